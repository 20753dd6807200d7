"""Extrinsic spin–orbit coupling in the Usadel equation (kinetics.usadel.extrinsic; seed 003,
Huang, Tokatly & Bergeret, arXiv:1807.07029 (2018), Eqs. 2/74, 3/78, 70, 84):

- the formulas in the package basis equal the paper's in its basis (Ψ^c = iσ_yΨ†);
- the Elliott–Yafet term is the package's spin–orbit self-energy i[Σ̌_so, ǧ];
- the torque's algebra: Tr_σ Ť = 0, Tr ρ₃Ť = 0, Ť = 0 for a uniform or normal state;
- the vortex structure of Eq. 84 on the ansatz of Eqs. 82–83 (the local bulk Zeeman-BCS
  function of Δ(r)e^{inφ}): Tr[Š_aŤ] and Tr[Š_aρ₃Ť] are ∥ ẑ×h, linear in n, zero for n = 0,
  h = 0 or θ = κ = 0; the θ term gives the first, the κ term the second;
- the bulk BCS solution solves the full equation (E1), and the SOC current terms vanish for
  it.
"""

import numpy as np
import pytest

from kinetics.usadel import bulk, extrinsic, riccati

SIGMA4 = np.array([np.kron(np.eye(2), riccati.SIGMA[a]) for a in (1, 2, 3)])   # σ^a, seed
RNG = np.random.default_rng(3)


def vortex_field(points, n, h, eps=0.3, eta=0.05, xi=1.0):
    """ǧ of the local bulk solution of Δ = tanh(r/ξ)e^{inφ} and h at points (..., 3)."""
    x, y = points[..., 0], points[..., 1]
    r, phi = np.hypot(x, y), np.arctan2(y, x)
    out = np.zeros(x.shape + (4, 4), complex)
    for idx in np.ndindex(x.shape):
        gam, gam_t = bulk.bulk_riccati(eps, np.tanh(r[idx] / xi), eta, n * phi[idx], h)
        out[idx] = riccati.gf_from_riccati(gam, gam_t)
    return out


def with_gradient(point, n, h, step=2e-3):
    """(ǧ, ∂ǧ) at ``point`` with fourth-order central differences along x and y (∂_z = 0;
    error ~1e-10)."""
    p = np.asarray(point, float)
    g = vortex_field(p, n, h)
    dg = np.zeros((3, 4, 4), complex)
    for k in range(2):
        e = np.zeros(3)
        e[k] = step
        f = {m: vortex_field(p + m * e, n, h) for m in (-2, -1, 1, 2)}
        dg[k] = (f[-2] - 8 * f[-1] + 8 * f[1] - f[2]) / (12 * step)
    return g, dg


def random_riccati():
    return [0.4 * (RNG.normal(size=(2, 2)) + 1j * RNG.normal(size=(2, 2))) for _ in range(2)]


def random_state():
    """A normalized ǧ with an exact gradient (∂ǧ from random γ, γ̃, ∂γ, ∂γ̃)."""
    gam, gam_t = random_riccati()
    dgam = np.array([random_riccati()[0] for _ in range(3)])
    dgam_t = np.array([random_riccati()[0] for _ in range(3)])
    return extrinsic.gradient_from_riccati(gam, gam_t, dgam, dgam_t)


def test_spin_operator_is_the_papers_sigma_and_the_package_rho3_alpha():
    for a in range(3):
        assert np.allclose(extrinsic.to_seed_basis(extrinsic.SPIN[a]), SIGMA4[a], atol=1e-15)
        assert np.allclose(extrinsic.SPIN[a], riccati.RHO3 @ riccati.ALPHA[a], atol=1e-15)
    assert np.allclose(extrinsic.to_seed_basis(riccati.RHO3), np.diag([1, 1, -1, -1]))
    # Δ̌ of the package = −Δ̌ of the paper ([[0, Δ], [−Δ*, 0]]) with Δ_seed = −Δ
    X = riccati.energy_matrix(0.0, 0.0, 0.7 + 0.2j)
    d = -(0.7 + 0.2j)
    assert np.allclose(extrinsic.to_seed_basis(X), -np.kron([[0, d], [-np.conj(d), 0]],
                                                            np.eye(2)))
    g = random_state()[0]
    assert np.allclose(extrinsic.from_seed_basis(extrinsic.to_seed_basis(g)), g)


def seed_torque(g, dg, D, theta, kappa):
    """Seed 003 Eq. 3/78 written in the paper's basis with σ^a = 1 ⊗ σ^a."""
    out = np.zeros((4, 4), complex)
    for a in range(3):
        for k in range(3):
            for j in range(3):
                e = extrinsic.LEVI_CIVITA[a, k, j]
                if e:
                    S, dd = SIGMA4[a], dg[k] @ dg[j]
                    out += e * (D * theta / 4 * (S @ g @ dd - g @ dd @ S)
                                + 1j * D * kappa / 4 * (dd @ S - S @ dd))
    return out


def seed_current(g, dg, D, theta, kappa):
    """Seed 003 Eq. 2/74 in the paper's basis."""
    out = np.zeros((3, 4, 4), complex)
    for k in range(3):
        out[k] = g @ dg[k]
        for a in range(3):
            for j in range(3):
                e = extrinsic.LEVI_CIVITA[a, k, j]
                if e:
                    S = SIGMA4[a]
                    out[k] -= e * (theta / 2 * (dg[j] @ S + S @ dg[j])
                                   + 0.5j * kappa * (g @ dg[j] @ S - S @ g @ dg[j]))
    return -D * out


def test_torque_and_current_equal_the_paper_in_its_basis():
    g, dg = random_state()
    D, theta, kappa = 1.3, 0.11, -0.07
    gs, dgs = extrinsic.to_seed_basis(g), extrinsic.to_seed_basis(dg)
    T = extrinsic.torque(g, dg, D, theta, kappa)
    J = extrinsic.matrix_current(g, dg, D, theta, kappa)
    assert np.abs(T).max() > 0.1 and np.abs(J).max() > 0.1
    assert np.allclose(extrinsic.to_seed_basis(T), seed_torque(gs, dgs, D, theta, kappa),
                       atol=1e-12)
    assert np.allclose(extrinsic.to_seed_basis(J), seed_current(gs, dgs, D, theta, kappa),
                       atol=1e-12)


def test_elliott_yafet_is_the_spin_orbit_self_energy():
    g = random_state()[0]
    tau = 0.37
    sigma = riccati.self_energy(g, tau_so=tau)
    assert np.allclose(extrinsic.elliott_yafet(g, tau), 1j * (sigma @ g - g @ sigma),
                       atol=1e-13)
    assert np.abs(extrinsic.elliott_yafet(g, tau)).max() > 0.1
    assert np.all(extrinsic.elliott_yafet(g, np.inf) == 0)


def test_gradient_from_riccati_matches_finite_differences():
    gam, gam_t = random_riccati()
    dgam, dgam_t = random_riccati()
    g, dg = extrinsic.gradient_from_riccati(gam, gam_t, np.array([dgam, 0 * dgam, 0 * dgam]),
                                            np.array([dgam_t, 0 * dgam, 0 * dgam]))
    s = 1e-6
    fd = (riccati.gf_from_riccati(gam + s * dgam, gam_t + s * dgam_t)
          - riccati.gf_from_riccati(gam - s * dgam, gam_t - s * dgam_t)) / (2 * s)
    assert np.allclose(dg[0], fd, atol=1e-8)
    assert np.allclose(g, riccati.gf_from_riccati(gam, gam_t))
    assert np.abs(g @ dg[0] + dg[0] @ g).max() < 1e-12          # {ǧ, ∂ǧ} = 0


def test_torque_has_no_spin_trace_and_no_rho3_trace():
    g, dg = random_state()
    T = extrinsic.torque(g, dg, 1.0, 0.2, 0.15)
    assert np.abs(T).max() > 0.1
    ts = extrinsic.to_seed_basis(T)
    partial = ts.reshape(2, 2, 2, 2).trace(axis1=1, axis2=3)    # Tr over spin (seed basis)
    assert np.abs(partial).max() < 1e-13
    assert abs(np.trace(riccati.RHO3 @ T)) < 1e-13 and abs(np.trace(T)) < 1e-13


@pytest.mark.parametrize("h", [(0.0, 0.0, 0.0), (0.2, -0.1, 0.3)])
def test_torque_and_soc_current_vanish_in_a_uniform_state(h):
    gam, gam_t = bulk.bulk_riccati(0.4, 1.0, 0.02, 0.3, h)
    g = riccati.gf_from_riccati(gam, gam_t)
    zero = np.zeros((3, 4, 4), complex)
    assert np.all(extrinsic.torque(g, zero, 1.0, 0.1, 0.1) == 0)
    assert np.all(extrinsic.soc_current(g, zero, 0.1, 0.1) == 0)
    # the normal state with any gradient of the distribution-free ǧ = ρ₃: Ť = 0
    assert np.all(extrinsic.torque(riccati.RHO3, zero, 1.0, 0.1, 0.1) == 0)


def test_bulk_bcs_solves_the_full_equation():
    """(E1) for a uniform state: D∂_k(ǧ∂_kǧ − Č_k) = 0, Ť = 0, and i[X̌, ǧ] = 0 with X̌
    including the Elliott–Yafet self-energy (Anderson's theorem for the singlet BCS)."""
    eps, eta = 0.6, 0.01
    gam, gam_t = bulk.bcs_riccati(eps, 1.0, eta)
    g = riccati.gf_from_riccati(gam, gam_t)
    X = riccati.energy_matrix(eps, eta, 1.0) + riccati.self_energy(g, tau_so=0.3)
    zero = np.zeros((3, 4, 4), complex)
    res = 1j * (X @ g - g @ X) + extrinsic.torque(g, zero, 1.0, 0.1, 0.05)
    assert np.abs(res).max() < 1e-13
    assert np.abs(extrinsic.elliott_yafet(g, 0.3)).max() < 1e-13


H_FIELD = np.array([0.3, 0.1, 0.0])
POINTS = [(0.7, 0.4, 0.0), (-0.5, 1.1, 0.0), (0.2, -0.9, 0.0)]


@pytest.mark.parametrize("point", POINTS)
def test_vortex_torque_is_along_z_cross_h_and_linear_in_the_winding(point):
    zxh = np.cross([0.0, 0.0, 1.0], H_FIELD)
    base = {}
    for n in (1, -1, 2):
        g, dg = with_gradient(point, n, H_FIELD)
        t_theta = extrinsic.spin_trace(extrinsic.torque(g, dg, 1.0, 0.1, 0.0))
        t_kappa = extrinsic.spin_trace(extrinsic.torque(g, dg, 1.0, 0.0, 0.1), riccati.RHO3)
        for t in (t_theta, t_kappa):
            assert np.linalg.norm(t) > 1e-4
            assert np.linalg.norm(np.cross(t, zxh)) < 1e-7 * np.linalg.norm(t)   # ∥ ẑ×h
        # θ drives Tr[Š_aŤ] only, κ drives Tr[Š_aρ₃Ť] only
        assert np.linalg.norm(extrinsic.spin_trace(extrinsic.torque(g, dg, 1.0, 0.1, 0.0),
                                                   riccati.RHO3)) < 1e-7 * np.linalg.norm(t_theta)
        assert np.linalg.norm(extrinsic.spin_trace(extrinsic.torque(g, dg, 1.0, 0.0, 0.1))) \
            < 1e-7 * np.linalg.norm(t_kappa)
        base[n] = (t_theta, t_kappa)
    for k in range(2):                           # Eq. 84: proportional to n
        scale = np.linalg.norm(base[1][k])
        assert np.linalg.norm(base[-1][k] + base[1][k]) < 1e-7 * scale
        assert np.linalg.norm(base[2][k] - 2 * base[1][k]) < 1e-7 * scale


def test_vortex_torque_vanishes_without_winding_field_or_coupling():
    p = POINTS[0]
    for n, h, theta, kappa in ((0, H_FIELD, 0.1, 0.1), (1, (0.0, 0.0, 0.0), 0.1, 0.1),
                               (1, H_FIELD, 0.0, 0.0)):
        g, dg = with_gradient(p, n, h)
        T = extrinsic.torque(g, dg, 1.0, theta, kappa)
        for tr in (extrinsic.spin_trace(T), extrinsic.spin_trace(T, riccati.RHO3)):
            assert np.linalg.norm(tr) < 1e-6     # n = 1: ~0.1 (differencing error ~1e-7)


def test_advanced_torque_is_the_conjugate_of_the_retarded():
    """Ť[ǧ^A] = −ρ₃ Ť[ǧ^R]† ρ₃: equilibrium traces are 2Re/2i Im of retarded ones."""
    g, dg = random_state()
    T = extrinsic.torque(g, dg, 1.0, 0.1, 0.07)
    TA = extrinsic.torque(extrinsic.advanced(g), extrinsic.advanced(dg), 1.0, 0.1, 0.07)
    assert np.allclose(TA, extrinsic.advanced(T), atol=1e-12)
    J = extrinsic.matrix_current(g, dg, 1.0, 0.1, 0.07)
    JA = extrinsic.matrix_current(extrinsic.advanced(g), extrinsic.advanced(dg), 1.0, 0.1, 0.07)
    assert np.allclose(JA, extrinsic.advanced(J), atol=1e-12)


def test_bad_shapes_raise():
    with pytest.raises(ValueError, match="shape"):
        extrinsic.torque(np.eye(4), np.zeros((2, 4, 4)))
    with pytest.raises(ValueError, match="shape"):
        extrinsic.soc_current(np.eye(3), np.zeros((3, 4, 4)))
