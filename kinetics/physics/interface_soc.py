"""HM|FI interface conductances from interfacial spin-orbit coupling (Zhang et al., seed 004).

Zhang, Yao, Wang, Yan, PRB 108, 125309 (2023): the interface is a thin, disordered,
spin-orbit-coupled ferromagnetic layer F (z in [-l_F, 0]) under the heavy metal (z > 0).
Integrating its covariant continuity equation gives the spin current at z = 0 as a linear
function of the spin accumulation, J^z = J^M + J^L + J^S + J^A (+ J^E, not implemented).
This module gives the coefficients of :class:`kinetics.physics.boundaries.MagneticInterface`
from the microscopic parameters.  Pure numpy/scipy; SI units throughout.  Equation numbers
are the paper's (docs/references.md).  The spin-loss part (J^L + J^S + J^A) is in
:mod:`kinetics.physics.interface_soc_loss`, the exact layer solution in
:mod:`kinetics.physics.interface_soc_exact`; both are re-exported here.

Conventions settled here
------------------------
* Signs.  The paper's eJ^z flows along +z (into the metal); absorption is negative
  (G_s^m < 0).  Ours is n·j_s with n = -z (out of the metal), absorption positive.
  With m̃×(m̃×μ) = -(μ - (m̃·μ)m̃), the paper's eJ^M = G_s^m μ + G_r^m m̃×(m̃×μ) + G_i^m m̃×μ
  equals -[G_s μ + G_r (μ - (m̃·μ)m̃) - G_i m̃×μ] for
  ``G_s = -G_s^m, G_r = +G_r^m, G_i = +G_i^m`` (:func:`to_boundary_conductances`), and
  every other paper matrix P maps to ours as -P.  The paper's tensors enter as
  J^{za} = -(Ω^{ac} + Γ^{ac}) N^c (this reading reproduces the signs of Eqs. 45-57, 60-61),
  so Γ_loss = e²ν_F (Ω + Γ).
* ν_F is the density of states *per spin* (J⁻¹m⁻³), so that σ_F = 2e²ν_F D.  Then a layer
  absorbing with diffusion length l and rate 1/τ gives n·j_s = (σ_F/2l) μ_s = e²ν_F (l/τ) μ_s
  in the Chen et al. (PRB 87, 144411) units of this package, i.e. the paper's conductances
  equal ours up to the sign above.  (With the total DOS, halve every conductance.)
* Factor 4 (as :mod:`kinetics.physics.gauge`): Eqs. (9)-(11) contracted in Eq. (36) give
  4x the printed prefactors of (47), (48), (56), (57), (D4), (D5) (and (51), (52)), i.e.
  the standard 2D Dyakonov-Perel rates for pure Rashba.  We use 4x; (59)-(61) need none.
* Exchange.  Eq. (43) carries n_m K_s, Eq. (15) n_m K_s/2.  We use n_m K_s⟨S∥⟩
  (:func:`exchange_splitting`): it is the Weiss field of Eq. (3) with ŝ = σ/2, the
  normalisation fixed by [ŝ^a, ŝ^b] = iε^{abc}ŝ^c below Eq. (8).  The splitting is an
  explicit argument of :func:`torque_conductances`, so the other reading is one factor away.
* Typos resolved: (4) "v_F" is ν_F and its β is 1/k_BT; (44) the x̂, ŷ terms carry G_j^l;
  (57) u_∥ -> u_∥λ and l^∥ -> (l^∥ + l^⊥)/2 (Ω_+^{yz} mixes both, Eq. 36); (58) the
  G_λ^a terms have the opposite sign: contracting Eq. (37) (derived again from Eq. 33) gives
  eJ^A ⊃ e²ν_F D (A_z × μ) = G_λ^a (ŷ - x̂)×μ, whereas the α, β terms of (58) agree with it.
* Unverified: the first-order Hall-angle terms (49)-(52), (60) disagree with our
  contraction of Eqs. (36)-(38) (:func:`gauge_loss_tensor` with ``theta_C``: the θ^x, θ^y
  signs of (51), the β sign of (52), α -> α - u_∥λ in (60)); they are only in
  :func:`hall_conductances_unverified` and behind ``include_unverified=True``.
  :func:`omega_tensor`, :func:`gamma_tensor` give the contraction itself for any θ_C and
  gauge field.
* Frame: z is the interface normal pointing into the metal; the gauge field ``A[i, b]``
  (1/m, spatial i, spin b) is that of :mod:`kinetics.physics.gauge`.

Limitation (found with :func:`layer_conductance`, which solves the same layer equations,
Eqs. 31-32 at Θ = δ, exactly): the approximation N̄ ≈ l N(0) of Eq. (34) is exact for the
diagonal terms when A_z = 0 (e.g. pure Rashba, m̃ = ẑ), but at weak coupling the exact
off-diagonal terms are half of G_i^m (43) and of Ω_+^{xy} (56), and with A_z != 0
(u_⊥ != 0) the linear term is not the antisymmetric e²ν_F Γ but the symmetric
e²ν_F Γ^{ac}(l_a - l_c)/(l_a + l_c) (zero for l∥ = l⊥), while the A_z parts of Ω largely
cancel (a pure gauge along z).  Check your parameters with :func:`layer_conductance`.
"""

from __future__ import annotations

import numpy as np
from scipy import constants as _c
from scipy.linalg import expm

from kinetics import units
from kinetics.physics import gauge
from kinetics.physics._soc_checks import (  # noqa: F401
    EPS as _EPS, PAULI as _PAULI, array3 as _array, cross_matrix as _cross, finite as _finite,
    positive as _positive, sym_cross_matrix as _sym_cross, unit as _unit)
from kinetics.physics.interface_soc_exact import layer_conductance
from kinetics.physics.interface_soc_loss import (gamma_tensor, gauge_loss_tensor,
                                                 hall_conductances_unverified, omega_tensor,
                                                 spin_loss_conductances, spin_loss_tensor,
                                                 split_symmetric)

__all__ = ["sec_relaxation_rates", "soc_relaxation_rates", "total_relaxation_times",
           "diffusion_length", "length_tensor", "exchange_splitting", "torque_conductances",
           "to_boundary_conductances", "omega_tensor", "gamma_tensor", "split_symmetric",
           "spin_loss_conductances", "hall_conductances_unverified", "spin_loss_tensor",
           "gauge_loss_tensor", "layer_conductance", "exchange_rotation",
           "interface_from_microscopic"]


# ----------------------------------------------------------------------------- relaxation
def sec_relaxation_rates(nu_F, n_m, K_s, S_par, SS_par, eps_L, T):
    """Relaxation rates of itinerant spins by the local moments, Eqs. (4)-(5) = (D2)-(D3).

    1/τ_∥ = (2π/ħ) n_m ν_F K_s² x n_B(1 + n_B) |⟨S∥⟩|,  x = ε_L/k_BT, n_B = 1/(e^x - 1)
    1/τ_⊥ = 1/(2τ_∥) + (π/ħ) n_m ν_F K_s² ⟨S∥S∥⟩
    (the printed "v_F" is ν_F and the printed β is 1/k_BT, not the Dresselhaus β).

    Parameters: nu_F, density of states per spin at the Fermi level, J⁻¹m⁻³ (> 0);
    n_m, density of local moments, m⁻³ (>= 0); K_s, coupling of Eq. (3), J·m³ (any sign);
    S_par, SS_par: ⟨S∥⟩, ⟨S∥S∥⟩ (dimensionless, SS_par >= 0); eps_L, ε_L in J (> 0);
    T, temperature in K (>= 0; at T = 0 the longitudinal rate vanishes).

    Returns (rate_par, rate_perp) in 1/s.  Raises ValueError naming a non-physical input.
    """
    nu_F = _positive("nu_F", nu_F)
    n_m = _positive("n_m", n_m, allow_zero=True)
    K_s, S_par = _finite("K_s", K_s), _finite("S_par", S_par)
    SS_par = _positive("SS_par", SS_par, allow_zero=True)
    eps_L = _positive("eps_L", eps_L)
    T = _positive("T", T, allow_zero=True)
    x = eps_L / (_c.k * T) if T > 0 else np.inf   # x n_B (1 + n_B) = x e^-x / (1 - e^-x)²
    thermal = 0.0 if np.isinf(x) else x * np.exp(-x) / np.expm1(-x) ** 2
    pref = np.pi / units.hbar * n_m * nu_F * K_s ** 2
    rate_par = 2.0 * pref * thermal * abs(S_par)
    return rate_par, 0.5 * rate_par + pref * SS_par


def soc_relaxation_rates(D, alpha=0.0, beta=0.0, lam=0.0, u_par=0.0, u_perp=0.0, *,
                         effective_mass=units.m_e):
    """Spin relaxation rates from interfacial SOC for m̃ = ẑ, Eqs. (D4)-(D5), factor-4 form.

    1/τ_∥^SOC = (8Dm²/ħ²)[(α - u_∥λ)² + β² + u_⊥²λ²]     (printed: 2Dm²/ħ²)
    1/τ_⊥^SOC = (4Dm²/ħ²)[(α - u_∥λ)² + β² + 3u_⊥²λ²]    (printed: Dm²/ħ²)

    These are D·M^{zz} and D·M^{xx} of :func:`kinetics.physics.gauge.relaxation_tensor`
    for the gauge field of Eqs. (9)-(11) with u_xy = u_∥, u_yz = u_zx = u_⊥.

    Parameters: D, diffusion constant of F in m²/s (> 0); alpha, beta, lam: Rashba,
    Dresselhaus, strain couplings in m/s (Eqs. A2-A4); u_par = u_xy, u_perp = u_yz = u_zx
    (dimensionless); effective_mass in kg (> 0).
    Returns (rate_par, rate_perp) in 1/s.  Raises ValueError naming a bad input.
    """
    D = _positive("D", D)
    m = _positive("effective_mass", effective_mass)
    a = _finite("alpha", alpha) - _finite("u_par", u_par) * _finite("lam", lam)
    b2, s2 = _finite("beta", beta) ** 2, (_finite("u_perp", u_perp) * lam) ** 2
    k = D * m ** 2 / units.hbar ** 2
    return 8.0 * k * (a ** 2 + b2 + s2), 4.0 * k * (a ** 2 + b2 + 3.0 * s2)


def total_relaxation_times(sec_rates, soc_rates):
    """Total relaxation times of F, Eq. (D1): 1/τ^F = 1/τ^SEC + 1/τ^SOC.

    sec_rates, soc_rates: pairs (rate_par, rate_perp) in 1/s (>= 0).
    Returns (tau_par, tau_perp) in s (``inf`` where both rates vanish).  Raises ValueError.
    """
    r = [_positive(f"sec rate_{k}", a, allow_zero=True) + _positive(f"soc rate_{k}", b,
         allow_zero=True) for k, a, b in zip(("par", "perp"), sec_rates, soc_rates)]
    return tuple(np.inf if x == 0 else 1.0 / x for x in r)


def diffusion_length(D, tau, thickness=None):
    """Spin diffusion length l = sqrt(D τ) of F (Appendix D), optionally for a finite layer.

    With ``thickness`` l_F the effective length of Eq. (34), N̄ = l̃ N(0), is taken from
    the exact zero-flux profile N ∝ cosh((z + l_F)/l) (derived here: a decoupled component
    with J = 0 at z = -l_F has J(0) = -(l/τ) tanh(l_F/l) N(0)): l̃ = l tanh(l_F/l),
    which tends to l (l_F >> l) and to l_F (l_F << l, including τ = inf).

    D in m²/s (> 0); tau in s (> 0; inf allowed with a thickness); thickness l_F in m
    (> 0) or None (the paper's l_F >> l).  Returns a float in m.  Raises ValueError.
    """
    D = _positive("D", D)
    tau = _positive("tau", tau, allow_inf=thickness is not None)
    if thickness is None:
        return float(np.sqrt(D * tau))
    d = _positive("thickness", thickness)
    ell = np.sqrt(D * tau)
    return d if np.isinf(tau) else float(ell * np.tanh(d / ell))


def length_tensor(ell_par, ell_perp, m):
    """L = l∥ m̃m̃ᵀ + l⊥ (I - m̃m̃ᵀ) (m), so that N̄ = L N(0) (Eq. 34 for any m̃).

    m: unit 3-vector m̃.  Returns a (3, 3) array.  Raises ValueError for bad input.
    """
    P = np.outer(_unit(m), _unit(m))
    return _positive("ell_par", ell_par) * P + _positive("ell_perp", ell_perp) * (np.eye(3) - P)

# ---------------------------------------------------------------------------- torque part
def exchange_splitting(n_m, K_s, S_par):
    """Exchange splitting Δ = n_m K_s ⟨S∥⟩ (J) of the itinerant electrons, eΦ = -Δ m̃.

    Weiss field of Eq. (3) with ŝ = σ/2; this is the n_m K_s of Eq. (43), not the
    n_m K_s/2 of Eq. (15) (module docstring).  n_m in m⁻³ (>= 0), K_s in J·m³, S_par
    dimensionless.  Returns a float (J).  Raises ValueError naming a bad input.
    """
    return _positive("n_m", n_m, allow_zero=True) * _finite("K_s", K_s) * _finite("S_par", S_par)


def torque_conductances(nu_F, ell_par, ell_perp, rate_par, rate_perp, exchange=0.0):
    """Spin-sink and spin-mixing conductances of J^M, Eqs. (40)-(43), *paper's sign*.

    G_s^m = -e²ν_F l∥/τ∥^m                      (41)
    G_r^m = e²ν_F (l⊥/τ⊥^m - l∥/τ∥^m)           (42)
    G_i^m = -(e²/ħ) ν_F l⊥ Δ,  Δ = exchange      (43), Zeeman term dropped as there

    Parameters: nu_F, DOS per spin in J⁻¹m⁻³; ell_par, ell_perp, the diffusion lengths of
    F (total, Eq. D1, or l̃ of Eq. 34) in m; rate_par, rate_perp: 1/τ^m of the local
    moments only (Eqs. 4-5) in 1/s (>= 0); exchange: Δ of :func:`exchange_splitting`, J.
    Returns dict ``G_s_m, G_r_m, G_i_m`` in Ω⁻¹m⁻² (absorption negative; see
    :func:`to_boundary_conductances`).  Raises ValueError naming a bad input.
    """
    g = units.e ** 2 * _positive("nu_F", nu_F)
    lp, lt = _positive("ell_par", ell_par), _positive("ell_perp", ell_perp)
    rp, rt = (_positive(n, v, allow_zero=True) for n, v in (("rate_par", rate_par),
                                                           ("rate_perp", rate_perp)))
    return {"G_s_m": -g * lp * rp, "G_r_m": g * (lt * rt - lp * rp),
            "G_i_m": -g / units.hbar * lt * _finite("exchange", exchange)}


def to_boundary_conductances(G_s_m, G_r_m, G_i_m):
    """Map Eq. (40) to :class:`~kinetics.physics.boundaries.MagneticInterface` (module doc).

    Inputs in Ω⁻¹m⁻²; returns dict ``G_s = -G_s^m``, ``G_r = G_r^m``, ``G_i = G_i^m``.
    Raises ValueError (ValidationError) naming a non-finite input.
    """
    return {"G_s": -_finite("G_s_m", G_s_m), "G_r": _finite("G_r_m", G_r_m),
            "G_i": _finite("G_i_m", G_i_m)}

# ------------------------------------------------------------------------------- rotation
def exchange_rotation(A_so):
    """Rotation Q with m̃ = Q m for the noncollinear exchange of Eq. (3) and Appendix C.

    𝓡 = exp(-i A_so·σ/2) (Eq. C9; s taken as the Pauli matrices, so that 𝓡 is the SU(2)
    element of a rotation by the angle |A_so|, matching the Peierls phase of Eq. C2).
    Its SO(3) image R, defined by 𝓡†σ^a𝓡 = R_ab σ^b, is the right-handed rotation by
    |A_so| about A_so/|A_so| (scipy ``Rotation.from_rotvec(A_so)``).  Eq. (3) has s̃ = R s,
    hence K_s S·s̃ = K_s (Rᵀ S)·s and ⟨S̃⟩ = R⁻¹⟨S⟩ (stated in Appendix C):
    **Q = Rᵀ = rotation by -|A_so| about A_so/|A_so|**.  Use as MagneticInterface(rotation=Q).

    A_so: (3,) rotation vector in rad (phenomenological).  Returns a (3, 3) proper
    rotation (the identity for A_so = 0).  Raises ValueError for a wrong shape.
    """
    a = _array("A_so", A_so, (3,))
    U = expm(-0.5j * np.einsum("a,aij->ij", a, _PAULI))
    R = 0.5 * np.einsum("aij,bji->ab", U.conj().T @ _PAULI @ U, _PAULI).real
    return R.T.copy()

# --------------------------------------------------------------------------- all together
def interface_from_microscopic(*, nu_F, D, n_m, K_s, S_par, SS_par, eps_L, T, alpha=0.0,
                               beta=0.0, lam=0.0, u_par=0.0, u_perp=0.0, A_so=(0, 0, 0),
                               m=(0.0, 0.0, 1.0), thickness=None, include_gamma=True,
                               effective_mass=units.m_e):
    """Keyword arguments for MagneticInterface from the microscopic parameters of F::

        MagneticInterface("pt|yig", m=m, **interface_from_microscopic(..., m=m))

    Steps: rates (4)-(5); m̃ = Q m (:func:`exchange_rotation`); gauge field (9)-(11)
    (u_xy = u_∥, u_yz = u_zx = u_⊥); SOC rates D m̃ᵀMm̃ (∥) and D(tr M - m̃ᵀMm̃)/2 (⊥),
    which are (D4)-(D5) (factor 4) at m̃ = ẑ; (D1); l = sqrt(Dτ^F) (or l̃, Eq. 34, for a
    finite ``thickness``); J^M from (41)-(43) with Δ = n_m K_s⟨S∥⟩; Γ_loss from the
    contraction e²ν_F(Ω + Γ) at Θ = δ with N̄ = L(m̃) N(0) (:func:`gauge_loss_tensor`),
    which reduces to :func:`spin_loss_tensor` at m̃ = ẑ and l∥ = l⊥.  Hall-angle terms
    and the drift current J^E are not included.  Γ_loss depends on m: rebuild it when m
    changes.

    Parameters (SI): nu_F (J⁻¹m⁻³, per spin), D (m²/s), n_m (m⁻³), K_s (J·m³), S_par,
    SS_par (dimensionless), eps_L (J), T (K), alpha, beta, lam (m/s), u_par, u_perp,
    A_so (rad, (3,)), m (unit (3,)), thickness (m or None), effective_mass (kg);
    include_gamma: keep the linear J^A term (:func:`gauge_loss_tensor`).  For m̃ != ẑ
    the single l⊥ is our extension (a transverse average); check with
    :func:`layer_conductance`.

    Returns dict ``G_s, G_r, G_i, Gamma_loss, rotation``.  Raises ValueError for
    non-physical input, for a layer without any relaxation (infinite l; give
    ``thickness``), and when G_r = G_r^m < 0 (l∥/τ∥^m > l⊥/τ⊥^m), which MagneticInterface
    does not accept.
    """
    sec = sec_relaxation_rates(nu_F, n_m, K_s, S_par, SS_par, eps_L, T)
    Q = exchange_rotation(A_so)
    mt = Q @ _unit(m)
    A = gauge.rashba_dresselhaus(alpha, beta, effective_mass=effective_mass) + gauge.strain(
        lam, u_xy=u_par, u_yz=u_perp, u_zx=u_perp, effective_mass=effective_mass)
    M = gauge.relaxation_tensor(A)
    D = _positive("D", D)
    soc_par = D * mt @ M @ mt
    soc = (soc_par, 0.5 * D * (np.trace(M) - mt @ M @ mt))
    taus = total_relaxation_times(sec, soc)
    if thickness is None and np.isinf(max(taus)):
        raise ValueError("no spin relaxation in F (infinite diffusion length): give the "
                         "layer thickness")
    ell_par, ell_perp = (diffusion_length(D, t, thickness) for t in taus)
    G = to_boundary_conductances(**torque_conductances(
        nu_F, ell_par, ell_perp, sec[0], sec[1], exchange_splitting(n_m, K_s, S_par)))
    if G["G_r"] < 0:
        raise ValueError(f"G_r = {G['G_r']:.4g} 1/(Ohm m^2) < 0: longitudinal relaxation by "
                         "the moments outweighs the transverse one (Eqs. 4-5, 42); "
                         "MagneticInterface requires G_r >= 0")
    G["Gamma_loss"] = gauge_loss_tensor(A, nu_F, D, length_tensor(ell_par, ell_perp, mt),
                                       include_gamma=include_gamma)
    G["rotation"] = Q
    return G
