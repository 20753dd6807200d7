"""Riccati algebra of kinetics.usadel (numpy only): normalization, the Riccati form of the
Usadel equation against the matrix equation, the θ-parametrization convention, and the
complex algebra that the UFL residual uses."""

import numpy as np
import pytest

from kinetics.usadel import bulk, forms, riccati

RNG = np.random.default_rng(1234)


def rand2(*shape, scale=0.4):
    return scale * (RNG.normal(size=shape + (2, 2)) + 1j * RNG.normal(size=shape + (2, 2)))


def test_normalization_and_inverse_map():
    gam, gam_t = rand2(200), rand2(200)
    g = riccati.gf_from_riccati(gam, gam_t)
    assert riccati.normalization_error(g).max() < 1e-12
    back, back_t = riccati.riccati_from_gf(g)
    assert np.abs(back - gam).max() < 1e-12 and np.abs(back_t - gam_t).max() < 1e-12


def test_bad_riccati_input():
    with pytest.raises(ValueError, match="shape"):
        riccati.gf_from_riccati(np.zeros((3, 3)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="finite"):
        riccati.gf_from_riccati(np.full((2, 2), np.nan), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="singular"):
        riccati.gf_from_riccati(np.eye(2), np.eye(2))
    with pytest.raises(ValueError, match="axis"):
        riccati.spin_dos(np.zeros((2, 2)), np.zeros((2, 2)), (0, 0, 0))


def _poly(coef, x):
    """Σ_k coef[k] x^k and its first two derivatives, for coef (K, 2, 2)."""
    k = np.arange(len(coef))
    p = np.einsum("k,kij->ij", x ** k, coef)
    d1 = np.einsum("k,kij->ij", np.where(k >= 1, k * x ** np.maximum(k - 1, 0), 0), coef)
    d2 = np.einsum("k,kij->ij", np.where(k >= 2, k * (k - 1) * x ** np.maximum(k - 2, 0), 0),
                   coef)
    return p, d1, d2


def nambu_derivatives(cg, cgt, x0, dx=1e-3):
    """ǧ, ǧ', ǧ'' at x0 of the polynomial Riccati amplitudes with coefficients cg, cgt
    (fourth-order central differences of ǧ built from γ, γ̃)."""
    g_at = [riccati.gf_from_riccati(_poly(cg, x0 + k * dx)[0], _poly(cgt, x0 + k * dx)[0])
            for k in (-2, -1, 0, 1, 2)]
    g1 = (g_at[0] - 8 * g_at[1] + 8 * g_at[3] - g_at[4]) / (12 * dx)
    g2 = (-g_at[0] + 16 * g_at[1] - 30 * g_at[2] + 16 * g_at[3] - g_at[4]) / (12 * dx * dx)
    return g_at[2], g1, g2


@pytest.mark.parametrize("taus", [(np.inf, np.inf), (0.7, 1.3)])
def test_riccati_form_equals_matrix_usadel_equation(taus):
    """For random γ(x), γ̃(x), the matrix equation D(ǧ'ǧ' + ǧǧ'') + i[X̌, ǧ] equals
    M [[0, 2N(DL − r)], [2Ñ(DL̃ − r̃), 0]] M⁻¹ with L = γ'' + 2γ'Ñγ̃γ', r the Riccati source
    (derivation in riccati.py); so the Riccati equations hold iff the Usadel equation does."""
    cg, cgt = rand2(3, scale=0.3), rand2(3, scale=0.3)
    D, x0 = 0.8, 0.37
    gam, dgam, d2gam = _poly(cg, x0)
    gam_t, dgam_t, d2gam_t = _poly(cgt, x0)
    g0, g1, g2 = nambu_derivatives(cg, cgt, x0)
    X = riccati.energy_matrix(0.3, 0.05, 0.9 * np.exp(0.4j), (0.2, -0.1, 0.3))
    X = X + riccati.self_energy(g0, *taus)
    U = riccati.usadel_residual(g0, g1, g2, X, D)
    one = np.eye(2)
    N, Nt = np.linalg.inv(one - gam @ gam_t), np.linalg.inv(one - gam_t @ gam)
    L = d2gam + 2 * dgam @ Nt @ gam_t @ dgam
    Lt = d2gam_t + 2 * dgam_t @ N @ gam @ dgam_t
    r, rt = riccati.riccati_source(gam, gam_t, X)
    M = riccati.nambu(one, -gam, -gam_t, one)
    inner = riccati.nambu(np.zeros((2, 2)), 2 * N @ (D * L - r), 2 * Nt @ (D * Lt - rt),
                          np.zeros((2, 2)))
    pred = M @ inner @ np.linalg.inv(M)
    assert np.abs(U - pred).max() < 1e-7 * (1 + np.abs(U).max())
    assert np.abs(U).max() > 1e-2          # a nontrivial check


def test_theta_parametrization_convention():
    """γ = −i tan(θ/2) iσ_y gives g = cos θ, f = −i sin θ iσ_y, and the Riccati equation of a
    normal wire is (−i(1 + t²)/2)(Dθ'' + 2iz sin θ) iσ_y, t = tan(θ/2): the singlet Usadel
    equation Dθ'' + 2iε sin θ = 0 of the reference solver in test_usadel_proximity.py."""
    theta = np.array([0.3 + 0.2j, 1.2 - 0.4j, np.pi / 2 + 0.01j])
    gam, gam_t = riccati.singlet_riccati(theta)
    g = riccati.gf_from_riccati(gam, gam_t)
    assert np.abs(g[:, 0, 0] - np.cos(theta)).max() < 1e-13
    assert np.abs(g[:, 0, 3] - (-1j) * np.sin(theta)).max() < 1e-13
    assert np.abs(riccati.theta_from_riccati(gam) - theta).max() < 1e-13
    # the bulk BCS state is θ_S with cos θ_S = z/s, sin θ_S = iΔ/s
    eps, eta, delta = np.array([0.2, 0.9, 1.7]), 1e-3, 1.0
    z = eps + 1j * eta
    s = bulk.retarded_sqrt(z * z - delta ** 2)
    th = -1j * np.log((z - delta) / s)
    gb, gbt = bulk.bcs_riccati(eps, delta, eta)
    gs, gst = riccati.singlet_riccati(th)
    assert np.abs(gb - gs).max() < 1e-12 and np.abs(gbt - gst).max() < 1e-12
    # the equation, on θ(x) = a + bx + cx²
    a, b, c, D, zz, x = 0.4 + 0.3j, 0.5 - 0.2j, -0.7 + 0.1j, 1.3, 0.8 + 0.01j, 0.6
    th, dth, d2th = a + b * x + c * x * x, b + 2 * c * x, 2 * c
    t = np.tan(th / 2)
    gam, gam_t = riccati.singlet_riccati(th)
    sec2 = 1 + t * t
    dgam = (-1j * sec2 * dth / 2) * riccati.ISY
    dgam_t = (1j * sec2 * dth / 2) * riccati.ISY
    d2gam = (-1j * (sec2 * d2th / 2 + t * sec2 * dth ** 2 / 2)) * riccati.ISY
    Nt = np.linalg.inv(np.eye(2) - gam_t @ gam)
    L = d2gam + 2 * dgam @ Nt @ gam_t @ dgam
    r, _ = riccati.riccati_source(gam, gam_t, riccati.energy_matrix(zz.real, zz.imag))
    pred = (-1j * sec2 / 2) * (D * d2th + 2j * zz * np.sin(th)) * riccati.ISY
    assert np.abs(D * L - r - pred).max() < 1e-12
    assert np.abs(dgam_t - (-1j * sec2 * dth / 2) * riccati.ISY).max() > 0.1  # γ̃ = −γ here


def _cx(m):
    return np.array([[complex(e.re, e.im) if isinstance(e, forms.Cx) else complex(e)
                      for e in row] for row in m])


def test_ufl_algebra_matches_numpy():
    """forms.riccati_sources (the algebra of the UFL residual) with plain complex numbers
    equals 2D Σ_k γ_k'Ñγ̃γ_k' − r with r, X̌ from riccati.py, self-energies included."""
    gam, gam_t = rand2(), rand2()
    dg, dgt = [rand2(), rand2()], [rand2(), rand2()]
    z, delta, h, D = 0.4 + 0.02j, 0.8 * np.exp(-0.3j), (0.1, 0.25, -0.2), 1.7
    tsf, tso = 0.9, 0.6
    lst = lambda m: [[complex(m[i, j]) for j in range(2)] for i in range(2)]  # noqa: E731
    S, St = forms.riccati_sources(lst(gam), lst(gam_t), [lst(d) for d in dg],
                                  [lst(d) for d in dgt], z=z, delta=delta, h=h, D=D,
                                  inv_tau_sf=1 / tsf, inv_tau_so=1 / tso)
    g = riccati.gf_from_riccati(gam, gam_t)
    X = riccati.energy_matrix(z.real, z.imag, delta, h) + riccati.self_energy(g, tsf, tso)
    r, rt = riccati.riccati_source(gam, gam_t, X)
    N, Nt = (np.linalg.inv(np.eye(2) - a @ b) for a, b in ((gam, gam_t), (gam_t, gam)))
    S_ref = sum(2 * D * d @ Nt @ gam_t @ d for d in dg) - r
    St_ref = sum(2 * D * d @ N @ gam @ d for d in dgt) - rt
    assert np.abs(_cx(S) - S_ref).max() < 1e-13
    assert np.abs(_cx(St) - St_ref).max() < 1e-13


def test_pair_amplitudes_and_spin_dos():
    """Bulk singlet: f_s = Δ/s, d = 0; Zeeman bulk along z: triplet d ∥ z appears, and the
    spin-resolved DOS along h sums to twice the total DOS."""
    eps, eta = np.array([0.3, 1.4]), 1e-3
    gam, gam_t = bulk.bcs_riccati(eps, 1.0, eta)
    fs, d = riccati.pair_amplitudes(gam, gam_t)
    z = eps + 1j * eta
    assert np.abs(fs - 1.0 / bulk.retarded_sqrt(z * z - 1)).max() < 1e-12
    assert np.abs(d).max() < 1e-14
    gam, gam_t = bulk.bulk_riccati(eps, 1.0, eta, 0.0, (0, 0, 0.4))
    fs, d = riccati.pair_amplitudes(gam, gam_t)
    assert np.abs(d[:, :2]).max() < 1e-13 and np.abs(d[:, 2]).min() > 1e-2
    up, down = riccati.spin_dos(gam, gam_t, (0, 0, 1))
    assert np.abs(up + down - 2 * riccati.dos(gam, gam_t)).max() < 1e-13


def test_kupriyanov_lukichev_riccati_form():
    """With ℓ∂_nγ₁, ℓ∂_nγ̃₁ from forms.kl_flux, the matrix current ǧ₁∂_nǧ₁ (finite
    differences of ǧ(γ, γ̃)) equals [ǧ₁, ǧ₂]/(2ℓ): the Kupriyanov–Lukichev condition."""
    g1, gt1, g2, gt2 = rand2(), rand2(), rand2(), rand2()
    ell, h = 0.7, 1e-5
    lst = lambda m: [[complex(m[i, j]) for j in range(2)] for i in range(2)]  # noqa: E731
    fl, flt = forms.kl_flux(lst(g1), lst(gt1), lst(g2), lst(gt2))
    d, dt = _cx(fl) / ell, _cx(flt) / ell
    G1 = riccati.gf_from_riccati(g1, gt1)
    G2 = riccati.gf_from_riccati(g2, gt2)
    dG = (riccati.gf_from_riccati(g1 + h * d, gt1 + h * dt)
          - riccati.gf_from_riccati(g1 - h * d, gt1 - h * dt)) / (2 * h)
    lhs = G1 @ dG
    rhs = (G1 @ G2 - G2 @ G1) / (2 * ell)
    assert np.abs(lhs - rhs).max() < 1e-8 * np.abs(rhs).max()
