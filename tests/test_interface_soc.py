"""Tests of kinetics.physics.interface_soc (seed 004: Zhang et al., PRB 108, 125309 (2023)).

Prefactor convention: the closed forms below are the printed Eqs. (47), (48), (56), (57),
(D4), (D5) multiplied by 4 (the convention of kinetics.physics.gauge, note §4c), with the
missing λ of (57) restored.
"""

import numpy as np
import pytest
from scipy.constants import k as k_B
from scipy.linalg import expm
from scipy.spatial.transform import Rotation

from kinetics import units
from kinetics.physics import gauge
from kinetics.physics import interface_soc as soc
from kinetics.physics.boundaries import MagneticInterface

HBAR, E, ME = units.hbar, units.e, units.m_e
NU = 1e47            # DOS per spin, 1/(J m^3)
D = 1e-3             # m^2/s
PAULI = np.array([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]])


def cross(v):
    return np.array([[0, -v[2], v[1]], [v[2], 0, -v[0]], [-v[1], v[0], 0]])


def random_unit(rng):
    v = rng.normal(size=3)
    return v / np.linalg.norm(v)


def strain_config(rng, scale=1e4):
    """Random α, β, λ (m/s) and u_∥, u_⊥; the gauge field with u_xy = u_∥, u_yz = u_zx = u_⊥."""
    al, be, la = rng.uniform(-1, 1, 3) * scale
    up, ut = rng.uniform(-1, 1, 2)
    A = gauge.rashba_dresselhaus(al, be) + gauge.strain(la, u_xy=up, u_yz=ut, u_zx=ut)
    return (al, be, la, up, ut), A


# ----------------------------------------------------------------------------- torque
@pytest.mark.parametrize("seed", range(5))
def test_torque_mapping_paper_matrix_equals_minus_ours(seed):
    """eJ^z (Eq. 40, +z into the metal) = -n·j_s (n = -z): matrices agree, wrong signs fail."""
    rng = np.random.default_rng(seed)
    G_s_m, G_r_m, G_i_m = -rng.uniform(1e12, 1e13), rng.uniform(1e12, 1e13), rng.normal() * 1e13
    m = random_unit(rng)
    Q = soc.exchange_rotation(rng.normal(size=3))
    mt = Q @ m
    paper = G_s_m * np.eye(3) + G_r_m * cross(mt) @ cross(mt) + G_i_m * cross(mt)
    # m̃×(m̃×μ) = -(μ - (m̃·μ)m̃)
    mu = rng.normal(size=3)
    assert np.allclose(np.cross(mt, np.cross(mt, mu)), -(mu - mt.dot(mu) * mt))
    kw = soc.to_boundary_conductances(G_s_m, G_r_m, G_i_m)
    ours = MagneticInterface("x", m=m, rotation=Q, **kw).conductance_matrix()
    np.testing.assert_allclose(ours, -paper, rtol=1e-12, atol=1e-3)
    assert kw["G_s"] > 0 and kw["G_r"] == G_r_m and kw["G_i"] == G_i_m
    wrong = MagneticInterface("x", m=m, rotation=Q, G_s=kw["G_s"], G_r=kw["G_r"],
                              G_i=-kw["G_i"]).conductance_matrix()
    assert not np.allclose(wrong, -paper, rtol=1e-6)


def test_torque_conductances_formulas():
    lp, lt, rp, rt, delta = 3e-9, 5e-9, 2e11, 7e11, 1e-22
    c = soc.torque_conductances(NU, lp, lt, rp, rt, exchange=delta)
    g = E ** 2 * NU
    assert c["G_s_m"] == pytest.approx(-g * lp * rp, rel=1e-14)                  # (41)
    assert c["G_r_m"] == pytest.approx(g * (lt * rt - lp * rp), rel=1e-14)        # (42)
    assert c["G_i_m"] == pytest.approx(-g / HBAR * lt * delta, rel=1e-14)         # (43)
    b = soc.to_boundary_conductances(**c)
    # transverse absorption G_s + G_r = e²ν l⊥/τ⊥ (paper: -(G_s^m - G_r^m))
    assert b["G_s"] + b["G_r"] == pytest.approx(g * lt * rt, rel=1e-14)
    # Weiss field of Eq. (3): n_m K_s <S∥> (Eq. 43, not the /2 of Eq. 15)
    assert soc.exchange_splitting(1e27, 2e-49, 0.5) == pytest.approx(1e27 * 2e-49 * 0.5)


def test_sec_relaxation_rates():
    n_m, K_s, S, SS, eps = 1e27, 1e-50, 0.4, 0.25, 1e-22
    pref = np.pi / HBAR * n_m * NU * K_s ** 2
    for T in (0.5, 10.0, 300.0):
        x = eps / (k_B * T)
        nB = 1.0 / np.expm1(x)
        rp, rt = soc.sec_relaxation_rates(NU, n_m, K_s, S, SS, eps, T)
        assert rp == pytest.approx(2 * pref * x * nB * (1 + nB) * S, rel=1e-10)      # (4)
        assert rt == pytest.approx(rp / 2 + pref * SS, rel=1e-12)                  # (5)
    rp, rt = soc.sec_relaxation_rates(NU, n_m, K_s, S, SS, eps, 0.0)
    assert rp == 0.0 and rt == pytest.approx(pref * SS)


def test_soc_rates_and_total_times():
    rng = np.random.default_rng(1)
    (al, be, la, up, ut), A = strain_config(rng)
    M = D * gauge.relaxation_tensor(A)
    rp, rt = soc.soc_relaxation_rates(D, al, be, la, up, ut)
    k = D * ME ** 2 / HBAR ** 2
    a2 = (al - up * la) ** 2
    assert rp == pytest.approx(4 * 2 * k * (a2 + be ** 2 + (ut * la) ** 2), rel=1e-12)   # 4x(D4)
    assert rt == pytest.approx(4 * k * (a2 + be ** 2 + 3 * (ut * la) ** 2), rel=1e-12)  # 4x(D5)
    assert rp == pytest.approx(M[2, 2], rel=1e-12) and rt == pytest.approx(M[0, 0], rel=1e-12)
    tp, tt = soc.total_relaxation_times((1e11, 2e11), (rp, rt))                       # (D1)
    assert tp == pytest.approx(1 / (1e11 + rp)) and tt == pytest.approx(1 / (2e11 + rt))
    assert soc.diffusion_length(D, tp) == pytest.approx(np.sqrt(D * tp))


# ----------------------------------------------------------------------------- Ω, Γ
@pytest.mark.parametrize("seed", range(10))
def test_omega_reproduces_closed_form_brackets(seed):
    """Eq. (36) at Θ = δ vs 4 x the printed (47), (48), (56), (57) (λ restored), 1e-12."""
    rng = np.random.default_rng(seed)
    (al, be, la, up, ut), A = strain_config(rng)
    lp, lt = rng.uniform(1e-9, 5e-9, 2)
    O = soc.omega_tensor(A, [lt, lt, lp], D)
    Op, Om = soc.split_symmetric(O)
    K = D * ME ** 2 / HBAR ** 2
    ap, s = al - up * la, ut * la
    assert Op[2, 2] == pytest.approx(4 * 2 * lp * K * (ap ** 2 + be ** 2 + s ** 2), rel=1e-12)
    assert Op[0, 0] == pytest.approx(4 * lt * K * (ap ** 2 + be ** 2 + 3 * s ** 2), rel=1e-12)
    assert Op[1, 1] == pytest.approx(Op[0, 0], rel=1e-12)
    assert Op[0, 1] == pytest.approx(4 * lt * K * (2 * be * ap + s ** 2), rel=1e-12)
    # (57): -(l Dm²/ħ²) u⊥λ(α - β - u∥λ), with l -> (l∥ + l⊥)/2
    assert Op[1, 2] == pytest.approx(-4 * (lp + lt) / 2 * K * s * (ap - be), rel=1e-12)
    # the printed l∥ alone is right only for l∥ = l⊥, and λ must multiply u∥:
    O_eq = soc.omega_tensor(A, [lp, lp, lp], D)
    assert O_eq[1, 2] == pytest.approx(-4 * lp * K * s * (ap - be), rel=1e-12)
    assert O_eq[1, 2] != pytest.approx(-4 * lp * K * s * (al - be - up), rel=1e-6)
    # the closed-form function gives the same numbers
    c = soc.spin_loss_conductances(NU, D, lp, lt, al, be, la, up, ut)
    for key, val in (("Omega_zz", Op[2, 2]), ("Omega_xx", Op[0, 0]), ("Omega_xy", Op[0, 1]),
                     ("Omega_yz", Op[1, 2])):
        assert c[key] == pytest.approx(val, rel=1e-12)
    # the zeroth-order antisymmetric part the paper drops vanishes only for l∥ = l⊥
    assert np.allclose(soc.split_symmetric(O_eq)[1], 0, atol=1e-12 * np.abs(O_eq).max())


@pytest.mark.parametrize("seed", range(5))
def test_omega_is_D_M_ell_and_rashba_anisotropy(seed):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(3, 3)) * 1e7
    ell = rng.uniform(1e-9, 5e-9, 3)
    np.testing.assert_allclose(soc.omega_tensor(A, ell, D),
                               D * gauge.relaxation_tensor(A) @ np.diag(ell), rtol=1e-12,
                               atol=1e-12 * D * np.abs(A).max() ** 2 * ell.max())
    # pure Rashba: Dyakonov-Perel Ω^{zz} = 2 Ω^{xx} = 2 Ω^{yy} for l∥ = l⊥, no off-diagonal
    O = soc.omega_tensor(gauge.rashba_dresselhaus(rng.uniform(1e3, 1e5)), [2e-9] * 3, D)
    assert O[2, 2] == pytest.approx(2 * O[0, 0], rel=1e-12)
    assert O[1, 1] == pytest.approx(O[0, 0], rel=1e-12)
    assert np.allclose(O - np.diag(np.diag(O)), 0, atol=1e-14 * O[2, 2])


def test_xz_equals_yz_coupling():
    rng = np.random.default_rng(7)
    (al, be, la, up, ut), A = strain_config(rng)
    Gam = soc.spin_loss_tensor(NU, D, 2e-9, 3e-9, al, be, la, up, ut)
    O = soc.omega_tensor(A, [3e-9, 3e-9, 2e-9], D)
    assert O[0, 2] == pytest.approx(O[1, 2], rel=1e-12)
    assert O[2, 0] == pytest.approx(O[2, 1], rel=1e-12)
    assert Gam[0, 2] == pytest.approx(Gam[1, 2], rel=1e-12)
    assert Gam[2, 0] == pytest.approx(Gam[2, 1], rel=1e-12)
    A2 = gauge.rashba_dresselhaus(al, be) + gauge.strain(la, u_xy=up, u_yz=ut, u_zx=-0.3 * ut)
    O2 = soc.omega_tensor(A2, [3e-9, 3e-9, 2e-9], D)
    assert O2[0, 2] != pytest.approx(O2[1, 2], rel=1e-3)


@pytest.mark.parametrize("seed", range(5))
def test_spin_loss_tensor_equals_contraction(seed):
    rng = np.random.default_rng(seed)
    (al, be, la, up, ut), A = strain_config(rng)
    ell = 3e-9
    closed = soc.spin_loss_tensor(NU, D, ell, ell, al, be, la, up, ut)
    contracted = soc.gauge_loss_tensor(A, NU, D, [ell] * 3)
    np.testing.assert_allclose(closed, contracted, rtol=1e-11, atol=1e-11 * np.abs(closed).max())
    # l∥ != l⊥: they differ only by the antisymmetric zeroth-order Ω_- in xz, yz
    lp, lt = 2e-9, 4e-9
    diff = soc.gauge_loss_tensor(A, NU, D, [lt, lt, lp]) - soc.spin_loss_tensor(
        NU, D, lp, lt, al, be, la, up, ut)
    Om = E ** 2 * NU * soc.split_symmetric(soc.omega_tensor(A, [lt, lt, lp], D))[1]
    np.testing.assert_allclose(diff, Om, atol=1e-11 * np.abs(closed).max())


def test_linear_term_sign_of_eq58():
    """Contraction of (37): eJ^A = e²ν_F D A_z×μ = G_λ (ŷ - x̂)×μ (printed: opposite sign)."""
    ut, la = 0.4, 2e4
    A = gauge.strain(la, u_yz=ut, u_zx=ut)
    Gam = soc.gamma_tensor(A, D)
    mu = np.array([0.3, -0.2, 0.9])
    np.testing.assert_allclose(-Gam @ mu, D * np.cross(A[2], mu), rtol=1e-12)
    G_lam = soc.spin_loss_conductances(NU, D, 1e-9, 1e-9, lam=la, u_perp=ut)["G_lambda_a"]
    assert G_lam == pytest.approx(E ** 2 * NU * 2 * D * ME / HBAR * ut * la, rel=1e-12)  # (59)
    eJ = -E ** 2 * NU * Gam @ mu
    np.testing.assert_allclose(eJ, G_lam * np.cross([-1, 1, 0], mu), rtol=1e-12)
    assert not np.allclose(eJ, G_lam * np.cross([1, -1, 0], mu))


def test_hall_terms_60_61_against_contraction():
    """First order in θ_C (Eq. 38): (60) and (61) agree with (37) when u∥λ = 0, u⊥ = 0."""
    al, be = 3e4, -1e4
    th = np.array([0.02, -0.05, 0.03])
    A = gauge.rashba_dresselhaus(al, be)
    G1 = soc.gamma_tensor(A, D, th) - soc.gamma_tensor(A, D)
    h = soc.hall_conductances_unverified(NU, D, 1e-9, 1e-9, th, al, be)
    paper = h["G_alpha_a"] * cross(h["n_alpha"]) + h["G_beta_a"] * cross(h["n_beta"])
    np.testing.assert_allclose(-E ** 2 * NU * G1, paper, rtol=1e-12, atol=1e-6)
    with pytest.raises(ValueError, match="include_unverified"):
        soc.spin_loss_tensor(NU, D, 1e-9, 1e-9, al, be, theta_C=th)
    g = soc.spin_loss_tensor(NU, D, 1e-9, 1e-9, al, be, theta_C=th, include_unverified=True)
    assert not np.allclose(g, soc.spin_loss_tensor(NU, D, 1e-9, 1e-9, al, be))


# ----------------------------------------------------------------------------- rotation
@pytest.mark.parametrize("seed", range(6))
def test_exchange_rotation(seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=3) * rng.uniform(0.1, 3.0)
    Q = soc.exchange_rotation(a)
    assert np.allclose(Q @ Q.T, np.eye(3), atol=1e-12) and np.linalg.det(Q) == pytest.approx(1)
    np.testing.assert_allclose(Q, Rotation.from_rotvec(-a).as_matrix(), atol=1e-12)
    n = a / np.linalg.norm(a)
    np.testing.assert_allclose(Q @ n, n, atol=1e-12)                       # axis
    v = np.cross(n, random_unit(rng))
    v /= np.linalg.norm(v)
    w = Q @ v
    ang = np.arctan2(np.dot(np.cross(v, w), n), np.dot(v, w))              # signed angle about n
    assert ang == pytest.approx((np.pi - np.linalg.norm(a)) % (2 * np.pi) - np.pi, abs=1e-10)
    # derivation: s̃ = 𝓡† s 𝓡 = R s (Eq. 3, C9); S·s̃ = (Q S)·s with Q = Rᵀ (m̃ = Q m)
    U = expm(-0.5j * np.einsum("a,aij->ij", a, PAULI))
    S = rng.normal(size=3)
    H = np.einsum("a,aij->ij", S, U.conj().T @ PAULI @ U)
    np.testing.assert_allclose(H, np.einsum("a,aij->ij", Q @ S, PAULI), atol=1e-12)
    # usable by MagneticInterface
    MagneticInterface("x", m=(0, 0, 1), rotation=Q)


def test_exchange_rotation_identity():
    np.testing.assert_allclose(soc.exchange_rotation([0, 0, 0]), np.eye(3), atol=1e-15)
    # small angle: m̃ = m - A_so × m
    a, m = np.array([1e-6, -2e-6, 3e-6]), np.array([0.6, 0.0, 0.8])
    np.testing.assert_allclose(soc.exchange_rotation(a) @ m, m - np.cross(a, m), atol=1e-11)


# ----------------------------------------------------------------------------- exact layer
def test_layer_tanh_profile():
    """Note §4a: zero flux at -l_F gives e²ν (l/τ) tanh(l_F/l), = diffusion_length form."""
    rates, d = (2e12, 5e12), 4e-9
    G = soc.layer_conductance(NU, D, rates, (0, 0, 1), thickness=d)
    for a, r in ((2, rates[0]), (0, rates[1]), (1, rates[1])):
        ell = np.sqrt(D / r)
        assert G[a, a] == pytest.approx(E ** 2 * NU * r * ell * np.tanh(d / ell), rel=1e-10)
        assert G[a, a] == pytest.approx(E ** 2 * NU * r * soc.diffusion_length(D, 1 / r, d),
                                        rel=1e-10)
    assert np.allclose(G - np.diag(np.diag(G)), 0, atol=1e-10 * G.max())
    thin = soc.layer_conductance(NU, D, rates, (0, 0, 1), thickness=1e-12)
    assert thin[2, 2] == pytest.approx(E ** 2 * NU * rates[0] * 1e-12, rel=1e-6)


def test_pure_rashba_closed_forms_are_exact():
    """With A_z = 0 and M diagonal, N̄ = l N(0) is exact: the whole chain equals the layer."""
    kw = dict(nu_F=NU, D=D, n_m=1e27, K_s=3e-50, S_par=0.0, SS_par=0.25, eps_L=1e-22,
              T=10.0, alpha=4e3)
    iface = soc.interface_from_microscopic(**kw)
    G = MagneticInterface("x", m=(0, 0, 1), **iface).conductance_matrix()
    rates = soc.sec_relaxation_rates(NU, 1e27, 3e-50, 0.0, 0.25, 1e-22, 10.0)
    exact = soc.layer_conductance(NU, D, rates, (0, 0, 1), A=gauge.rashba_dresselhaus(4e3))
    np.testing.assert_allclose(G, exact, rtol=1e-9, atol=1e-9 * exact.max())
    # and the closed forms (41)-(48) give the same
    rp, rt = soc.soc_relaxation_rates(D, alpha=4e3)
    lp, lt = (np.sqrt(D * t) for t in soc.total_relaxation_times(rates, (rp, rt)))
    b = soc.to_boundary_conductances(**soc.torque_conductances(NU, lp, lt, *rates))
    G2 = MagneticInterface("x", **b, Gamma_loss=soc.spin_loss_tensor(NU, D, lp, lt, 4e3)
                           ).conductance_matrix()
    np.testing.assert_allclose(G2, exact, rtol=1e-9, atol=1e-9 * exact.max())


def test_layer_weak_coupling_off_diagonal_is_half():
    """Documents the limit of Eq. (34): exact G_i and Ω_+^{xy} terms are 1/2 of (43), (56)."""
    rates = (2e12, 5e12)
    lp, lt = np.sqrt(D / rates[0]), np.sqrt(D / rates[1])
    delta = 1e-4 * HBAR * rates[1]
    G = soc.layer_conductance(NU, D, rates, (0, 0, 1), exchange=delta)
    G_i = soc.torque_conductances(NU, lp, lt, *rates, exchange=delta)["G_i_m"]
    # ours: -G_i m̃×μ, (m̃×μ)_x = -μ_y  ->  G[0, 1] = G_i
    assert G[0, 1] == pytest.approx(0.5 * G_i, rel=1e-3)
    A = gauge.rashba_dresselhaus(30.0, 15.0)
    G = soc.layer_conductance(NU, D, rates, (0, 0, 1), A=A)
    O = E ** 2 * NU * soc.omega_tensor(A, [lt, lt, lp], D)
    assert G[0, 1] == pytest.approx(0.5 * O[0, 1], rel=1e-3)
    # the diagonal is exact: l∥/τ∥^m + Ω^{zz} with l∥ = sqrt(D τ^F), τ^F from (D1)
    M = D * gauge.relaxation_tensor(A)
    lpF = np.sqrt(D / (rates[0] + M[2, 2]))
    assert G[2, 2] == pytest.approx(E ** 2 * NU * lpF * (rates[0] + M[2, 2]), rel=1e-10)


def test_layer_linear_strain_term():
    """Exact first order in A_z: e²ν Γ^{ac}(l_a - l_c)/(l_a + l_c), symmetric, not Γ."""
    rates = (2e12, 5e12)
    A = gauge.strain(5.0, u_yz=0.5, u_zx=0.5)
    G = soc.layer_conductance(NU, D, rates, (0, 0, 1), A=A)
    Gam = E ** 2 * NU * soc.gamma_tensor(A, D)
    lz, lx = np.sqrt(D / rates[0]), np.sqrt(D / rates[1])
    f = (lx - lz) / (lx + lz)
    assert G[0, 2] == pytest.approx(Gam[0, 2] * f, rel=1e-3)
    assert G[2, 0] == pytest.approx(Gam[2, 0] * -f, rel=1e-3)
    assert G[0, 2] == pytest.approx(G[2, 0], rel=1e-3)


# ----------------------------------------------------------------------------- interface
def test_interface_from_microscopic_kwargs():
    m = np.array([1.0, 1.0, 1.0]) / np.sqrt(3)
    kw = dict(nu_F=NU, D=D, n_m=1e27, K_s=3e-50, S_par=0.3, SS_par=0.25, eps_L=1e-22, T=1.0,
              alpha=2e3, beta=5e2, lam=1e3, u_par=0.1, u_perp=0.2, A_so=(0.1, 0.0, 0.2), m=m)
    out = soc.interface_from_microscopic(**kw)
    assert set(out) == {"G_s", "G_r", "G_i", "Gamma_loss", "rotation"}
    iface = MagneticInterface("pt|yig", m=m, **out)
    assert iface.G_s > 0 and iface.G_r > 0 and iface.G_i < 0
    np.testing.assert_allclose(out["rotation"], soc.exchange_rotation((0.1, 0.0, 0.2)))
    no_gamma = soc.interface_from_microscopic(**kw, include_gamma=False)["Gamma_loss"]
    Gam = E ** 2 * NU * soc.gamma_tensor(gauge.strain(1e3, 0.1, 0.2, 0.2), D)
    np.testing.assert_allclose(out["Gamma_loss"] - no_gamma, Gam, rtol=1e-9)
    # m̃ = ẑ: Γ_loss is the contraction with l∥, l⊥ from (4)-(5), 4x(D4)-(D5) and (D1)
    kz = dict(kw, m=(0, 0, 1), A_so=(0, 0, 0))
    out = soc.interface_from_microscopic(**kz)
    sec = soc.sec_relaxation_rates(NU, 1e27, 3e-50, 0.3, 0.25, 1e-22, 1.0)
    so = soc.soc_relaxation_rates(D, 2e3, 5e2, 1e3, 0.1, 0.2)
    lp, lt = (np.sqrt(D * t) for t in soc.total_relaxation_times(sec, so))
    A = gauge.rashba_dresselhaus(2e3, 5e2) + gauge.strain(1e3, 0.1, 0.2, 0.2)
    np.testing.assert_allclose(out["Gamma_loss"], soc.gauge_loss_tensor(A, NU, D, [lt, lt, lp]),
                               rtol=1e-12)


def test_negative_G_r_raises():
    # hot paramagnet: 1/τ∥ large (x n_B(1+n_B) ~ 1/x), ⟨S∥S∥⟩ small
    with pytest.raises(ValueError, match="G_r"):
        soc.interface_from_microscopic(nu_F=NU, D=D, n_m=1e27, K_s=3e-50, S_par=0.5,
                                       SS_par=0.0, eps_L=1e-23, T=300.0)


@pytest.mark.parametrize("call, name", [
    (lambda: soc.sec_relaxation_rates(-1, 1, 1, 0.5, 0.25, 1e-22, 1), "nu_F"),
    (lambda: soc.sec_relaxation_rates(NU, -1, 1, 0.5, 0.25, 1e-22, 1), "n_m"),
    (lambda: soc.sec_relaxation_rates(NU, 1, 1, 0.5, 0.25, 1e-22, -1), "T"),
    (lambda: soc.sec_relaxation_rates(NU, 1, 1, 0.5, 0.25, 0.0, 1), "eps_L"),
    (lambda: soc.soc_relaxation_rates(-D, 1.0), "D"),
    (lambda: soc.soc_relaxation_rates(D, np.nan), "alpha"),
    (lambda: soc.total_relaxation_times((-1, 1), (1, 1)), "sec rate_par"),
    (lambda: soc.diffusion_length(D, -1e-12), "tau"),
    (lambda: soc.diffusion_length(D, np.inf), "tau"),
    (lambda: soc.diffusion_length(D, 1e-12, thickness=0), "thickness"),
    (lambda: soc.torque_conductances(NU, -1e-9, 1e-9, 1, 1), "ell_par"),
    (lambda: soc.torque_conductances(NU, 1e-9, 1e-9, -1, 1), "rate_par"),
    (lambda: soc.omega_tensor(np.zeros((2, 3)), [1e-9] * 3, D), "A"),
    (lambda: soc.omega_tensor(np.zeros((3, 3)), [1e-9, 0, 1e-9], D), "ell"),
    (lambda: soc.omega_tensor(np.zeros((3, 3)), [1e-9] * 3, D, theta_C=[0, 1]), "theta_C"),
    (lambda: soc.spin_loss_tensor(NU, D, 1e-9, -1e-9, 1.0), "ell_perp"),
    (lambda: soc.spin_loss_tensor(NU, D, 1e-9, 1e-9, effective_mass=0), "effective_mass"),
    (lambda: soc.exchange_rotation([1.0, 2.0]), "A_so"),
    (lambda: soc.length_tensor(1e-9, 1e-9, [1, 1, 0]), "m"),
    (lambda: soc.layer_conductance(NU, D, (0, 0), (0, 0, 1)), "relaxation"),
    (lambda: soc.layer_conductance(NU, D, (1, 1), (0, 0, 1), thickness=-1), "thickness"),
    (lambda: soc.interface_from_microscopic(nu_F=NU, D=D, n_m=0, K_s=0, S_par=0, SS_par=0,
                                            eps_L=1e-22, T=1), "thickness"),
])
def test_bad_input_names_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
