"""Bulk (uniform) retarded solutions: BCS with Dynes broadening, Zeeman-split BCS and
Abrikosov–Gor'kov pair breaking, as closed forms and as Riccati pairs (γ, γ̃).

Conventions and units are those of :mod:`kinetics.usadel.riccati` (JOL basis, ε → ε + iη,
exchange term M̌ = diag(h·σ, h·σ*)).  Energies, Δ, h and η share one energy unit; τ_sf is in
the inverse unit (ħ = 1).  The DOS is normalized to the normal-state DOS per spin.

Retarded branch: s(z) = √(z² − Δ²) with Im s > 0 for Im z > 0 (s → z at large |z|); every
function requires η > 0 so that the branch is unambiguous.

Equilibrium references for :mod:`kinetics.usadel.matsubara`: the Matsubara grid, the BCS
gap Δ(T) and the Abrikosov–Gor'kov T_c (k_B = ħ = 1, T in the energy unit).
"""

from __future__ import annotations

import math

import numpy as np

from kinetics import validation
from kinetics.usadel import riccati

__all__ = ["retarded_sqrt", "bcs_dos", "zeeman_dos", "zeeman_spin_dos", "bcs_riccati",
           "sign_gf", "bulk_riccati", "zeta_from_tau_sf", "ag_u", "ag_dos", "ag_gap",
           "ag_riccati", "check_energies", "check_eta", "matsubara_frequencies",
           "tail_coefficient", "bcs_gap", "bcs_gap_zero_temperature", "ag_critical_temperature",
           "ag_linear_critical_temperature"]


def check_eta(eta, owner: str = "usadel") -> float:
    """The Dynes broadening η as a float; ValidationError (a ValueError) unless 0 < η ≤ 1e6."""
    return validation.positive(owner, "eta (Dynes broadening)", eta, limit=1e6, tiny=1e-300)


def check_energies(eps, owner: str = "usadel") -> np.ndarray:
    """Energies as a finite float array (any shape, |ε| ≤ 1e12); ValidationError otherwise."""
    return validation.array(owner, "energies", eps, limit=1e12,
                            what="a finite real array of energies")


def _delta(delta, owner):
    return validation.nonnegative(owner, "delta (|Δ|)", delta, limit=1e12)


def retarded_sqrt(w) -> np.ndarray:
    """√w on the branch with Im √w ≥ 0 (the retarded s for w = (ε+iη)² − Δ², η > 0)."""
    s = np.sqrt(np.asarray(w, dtype=complex))
    return np.where(s.imag < 0, -s, s)


def bcs_dos(eps, delta=1.0, eta=1e-3) -> np.ndarray:
    """BCS DOS with Dynes broadening, N(ε) = Re[(ε+iη)/√((ε+iη)² − Δ²)] (Dynes, Narayanamurti
    & Garno, PRL 41, 1509 (1978)), retarded branch; same shape as ``eps``.

    Raises
    ------
    ValueError
        For non-finite energies, Δ < 0 or non-finite, η ≤ 0 or non-finite.
    """
    owner = "bcs_dos"
    eps, delta, eta = check_energies(eps, owner), _delta(delta, owner), check_eta(eta, owner)
    z = eps + 1j * eta
    return np.real(z / retarded_sqrt(z * z - delta ** 2))


def zeeman_spin_dos(eps, delta=1.0, h=0.1, eta=1e-3):
    """Spin-resolved DOS of a BCS superconductor in an exchange (Zeeman) field of magnitude
    h ≥ 0, for spins along (+) and against (−) h: N_±(ε) = N_BCS(ε ± h) (Meservey & Tedrow,
    Phys. Rep. 238, 173 (1994), Sec. 2; sign: the JOL convention of
    :mod:`kinetics.usadel.riccati`, electron Hamiltonian −h·σ).

    Returns
    -------
    (N_plus, N_minus), each the shape of ``eps``.

    Raises
    ------
    ValueError
        As :func:`bcs_dos`, and for h < 0 or non-finite.
    """
    h = validation.nonnegative("zeeman_spin_dos", "h", h, limit=1e12)
    eps = check_energies(eps, "zeeman_spin_dos")
    return bcs_dos(eps + h, delta, eta), bcs_dos(eps - h, delta, eta)


def zeeman_dos(eps, delta=1.0, h=0.1, eta=1e-3) -> np.ndarray:
    """Total DOS of the Zeeman-split BCS state, N = ½ Σ_± N_BCS(ε ± h) (Meservey & Tedrow,
    Phys. Rep. 238, 173 (1994)).  Raises ValueError as :func:`zeeman_spin_dos`."""
    up, down = zeeman_spin_dos(eps, delta, h, eta)
    return (up + down) / 2


def bcs_riccati(eps, delta=1.0, eta=1e-3, phase=0.0):
    """Riccati pair of bulk BCS: γ = Δe^{iφ}/(z + s) iσ_y, γ̃ = −Δe^{−iφ}/(z + s) iσ_y with
    z = ε + iη, s = √(z² − Δ²) (retarded).  Δ = 0 gives the normal state γ = γ̃ = 0.

    Returns
    -------
    (γ, γ̃), each of shape eps.shape + (2, 2).

    Raises
    ------
    ValueError
        As :func:`bcs_dos`, and for a non-finite phase.
    """
    owner = "bcs_riccati"
    eps, delta, eta = check_energies(eps, owner), _delta(delta, owner), check_eta(eta, owner)
    phase = validation.finite(owner, "phase", phase)
    z = eps + 1j * eta
    a = delta / (z + retarded_sqrt(z * z - delta ** 2))
    ph = np.exp(1j * phase)
    return (a * ph)[..., None, None] * riccati.ISY, (-a / ph)[..., None, None] * riccati.ISY


def sign_gf(X) -> np.ndarray:
    """The retarded uniform solution ǧ = sgn(X̌) of [X̌, ǧ] = 0, ǧ² = 1: the spectral
    projector difference P₊ − P₋ over the eigenvalues of X̌ with Im λ ≷ 0 (for X̌ = zρ₃ + Δ̌
    this is (zρ₃ + Δ̌)/s with Im s > 0, the BCS solution).  X: (..., 4, 4).

    Raises
    ------
    ValueError
        If an eigenvalue of X̌ is (numerically) real: no retarded branch (η too small).
    """
    X = np.asarray(X, dtype=complex)
    lam, V = np.linalg.eig(X)
    scale = np.max(np.abs(lam), axis=-1, keepdims=True) + 1.0
    if np.any(np.abs(lam.imag) <= 1e-14 * scale):
        raise ValueError("X has a real eigenvalue: the retarded function is not defined "
                         "(increase the Dynes broadening eta)")
    sgn = np.sign(lam.imag)
    return (V * sgn[..., None, :]) @ np.linalg.inv(V)


def bulk_riccati(eps, delta=1.0, eta=1e-3, phase=0.0, h=(0.0, 0.0, 0.0)):
    """Riccati pair of the uniform state with pair potential Δe^{iφ} and exchange field h
    (3-vector, any direction), without spin-flip or spin–orbit scattering:
    ǧ = sgn(X̌) (:func:`sign_gf`), X̌ = :func:`kinetics.usadel.riccati.energy_matrix`.

    Returns
    -------
    (γ, γ̃), each of shape eps.shape + (2, 2).

    Raises
    ------
    ValueError
        For invalid inputs (as :func:`bcs_riccati`; h a finite 3-vector).
    """
    owner = "bulk_riccati"
    eps, delta, eta = check_energies(eps, owner), _delta(delta, owner), check_eta(eta, owner)
    phase = validation.finite(owner, "phase", phase)
    h = validation.vector3(owner, "h", h, limit=1e12)
    X = riccati.energy_matrix(eps, eta, delta * np.exp(1j * phase), h)
    return riccati.riccati_from_gf(sign_gf(X))


def zeta_from_tau_sf(tau_sf, delta=1.0) -> float:
    """Abrikosov–Gor'kov pair-breaking parameter ζ = 3/(4τ_sfΔ) of the spin-flip term
    Σ̌_sf = (i/8τ_sf) α̂·ǧα̂ (derived in tests/test_usadel_bulk.py: with this term the bulk
    equation reduces to (1) of :func:`ag_u`).  τ_sf > 0 in inverse energy units, Δ > 0."""
    tau_sf = validation.positive("zeta_from_tau_sf", "tau_sf", tau_sf)
    delta = validation.positive("zeta_from_tau_sf", "delta", delta)
    return 3.0 / (4.0 * tau_sf * delta)


def ag_u(eps, zeta, delta=1.0, eta=1e-3) -> np.ndarray:
    """The Abrikosov–Gor'kov variable u (complex, shape of eps), root of

        z/Δ = u (1 − iζ/√(u² − 1)),   z = ε + iη,                              (1)

    i.e. ε/Δ = u(1 − ζ/√(1 − u²)) in the gap (Abrikosov & Gor'kov, JETP 12, 1243 (1961);
    Skalski, Betbeder-Matibet & Weiss, Phys. Rev. 136, A1500 (1964); Maki, in
    Superconductivity, ed. Parks (1969), Ch. 18), with the retarded √ (Im > 0).  Squaring (1) gives the quartic
    (u − z/Δ)²(u² − 1) + ζ²u² = 0; the root kept satisfies (1) itself with Im u > 0.
    g = u/√(u² − 1), f = 1/√(u² − 1).

    Raises
    ------
    ValueError
        For invalid ε, Δ ≤ 0, η ≤ 0, ζ < 0 or non-finite; RuntimeError if no root of the
        quartic satisfies (1) (not observed for η > 0).
    """
    owner = "ag_u"
    eps, eta = check_energies(eps, owner), check_eta(eta, owner)
    delta = validation.positive(owner, "delta", delta, limit=1e12)
    zeta = validation.nonnegative(owner, "zeta", zeta, limit=1e6)
    w = (eps + 1j * eta) / delta
    out = np.empty(w.shape, dtype=complex)
    for idx, wi in np.ndenumerate(w):
        # (u − w)²(u² − 1) + ζ²u² = u⁴ − 2w u³ + (w² − 1 + ζ²)u² + 2w u − w²
        roots = np.roots([1.0, -2 * wi, wi * wi - 1 + zeta ** 2, 2 * wi, -wi * wi])
        s = retarded_sqrt(roots * roots - 1)
        err = np.abs(roots * (1 - 1j * zeta / s) - wi)
        ok = (err < 1e-8 * (1 + abs(wi))) & (roots.imag > 0)
        if not np.any(ok):
            raise RuntimeError(f"no Abrikosov-Gor'kov root at eps = {eps[idx]!r}")
        out[idx] = roots[ok][np.argmin(err[ok])]
    return out


def ag_dos(eps, zeta, delta=1.0, eta=1e-3) -> np.ndarray:
    """Abrikosov–Gor'kov DOS N = Re[u/√(u² − 1)] with u from :func:`ag_u` (same errors)."""
    u = ag_u(eps, zeta, delta, eta)
    return np.real(u / retarded_sqrt(u * u - 1))


def ag_gap(zeta, delta=1.0) -> float:
    """Spectral gap of the Abrikosov–Gor'kov state, E_g = Δ(1 − ζ^{2/3})^{3/2} for ζ < 1, else 0
    (Abrikosov & Gor'kov, JETP 12, 1243 (1961); Skalski et al. (1964); it follows from
    (1) of :func:`ag_u` where dε/du = 0)."""
    zeta = validation.nonnegative("ag_gap", "zeta", zeta, limit=1e6)
    delta = validation.positive("ag_gap", "delta", delta, limit=1e12)
    return delta * max(0.0, 1.0 - zeta ** (2.0 / 3.0)) ** 1.5


def ag_riccati(eps, zeta, delta=1.0, eta=1e-3, phase=0.0):
    """Riccati pair of the Abrikosov–Gor'kov state: g = u/s, f = e^{iφ}/s iσ_y, s = √(u²−1),
    γ = (1 + g)⁻¹ f = e^{iφ}/(s + u) iσ_y, γ̃ = −e^{−iφ}/(s + u) iσ_y (as
    :func:`bcs_riccati` with z/Δ → u).  Returns (γ, γ̃), shapes eps.shape + (2, 2); errors
    as :func:`ag_u`."""
    phase = validation.finite("ag_riccati", "phase", phase)
    u = ag_u(eps, zeta, delta, eta)
    a = 1.0 / (u + retarded_sqrt(u * u - 1))
    ph = np.exp(1j * phase)
    return (a * ph)[..., None, None] * riccati.ISY, (-a / ph)[..., None, None] * riccati.ISY


# ------------------------------------------------ Matsubara grid and equilibrium references
def matsubara_frequencies(temperature: float, omega_max: float) -> np.ndarray:
    """The positive Matsubara frequencies ω_n = πT(2n + 1) ≤ ω_max (at least ω_0), energy
    units; ValueError for T or ω_max not positive and finite, or more than 10⁵ of them."""
    T = validation.positive("matsubara_frequencies", "temperature", temperature, limit=1e8)
    w = validation.positive("matsubara_frequencies", "omega_max", omega_max, limit=1e12)
    count = max(1, int(math.floor((w / (math.pi * T) - 1) / 2)) + 1)
    if count > 100_000:
        raise validation.ValidationError("matsubara_frequencies", "omega_max",
                                         "at most 1e5 frequencies", f"{count}")
    return math.pi * T * (2 * np.arange(count) + 1)


def tail_coefficient(temperature: float, count: int) -> float:
    """C = 2πT Σ_{n≥N} 1/(2ω_n³) = −ψ''(N + ½)/(16π²T²) (inverse energy squared): the
    neglected part of the gap equation is C Δ|Δ|² (module docstring)."""
    from scipy.special import polygamma
    return float(-polygamma(2, count + 0.5) / (16 * math.pi ** 2 * temperature ** 2))


def _bcs_residual(delta, T, tc0, omegas):
    """(G1)/Δ (:mod:`kinetics.usadel.matsubara`) of the uniform BCS state, truncated at
    ``omegas`` with the tail."""
    s = 2 * math.pi * T * np.sum(1 / omegas - 1 / np.sqrt(omegas ** 2 + delta ** 2))
    return s + tail_coefficient(T, len(omegas)) * delta ** 2 - math.log(tc0 / T)


def bcs_gap(temperature: float, tc0: float, omega_max: float | None = None) -> float:
    """The self-consistent uniform BCS gap Δ(T) (energy units) from the gap equation (G1) of
    :mod:`kinetics.usadel.matsubara`, 0 for T ≥ T_c0; with ``omega_max`` the same truncated
    sum and tail as :class:`kinetics.usadel.matsubara.GapEquation` uses, without it
    converged (ω_max = 2000 T_c0).  ValueError for T or T_c0 not positive."""
    from scipy.optimize import brentq
    T = validation.positive("bcs_gap", "temperature", temperature, limit=1e8)
    tc0 = validation.positive("bcs_gap", "tc0", tc0, limit=1e8)
    if T >= tc0:
        return 0.0
    omegas = matsubara_frequencies(T, 2000 * tc0 if omega_max is None else omega_max)
    return brentq(_bcs_residual, 1e-12 * tc0, 4 * tc0, args=(T, tc0, omegas), xtol=1e-15 * tc0,
                  rtol=1e-15)


def bcs_gap_zero_temperature(tc0: float) -> float:
    """Δ(0) = π e^{−γ_E} T_c0 ≈ 1.7639 T_c0 (BCS weak coupling)."""
    return math.pi * math.exp(-np.euler_gamma) * validation.positive(
        "bcs_gap_zero_temperature", "tc0", tc0)


def ag_critical_temperature(tc0: float, inv_tau_sf: float) -> float:
    """Abrikosov–Gor'kov T_c from ln(T_c0/T_c) = ψ(½ + α/2πT_c) − ψ(½) (Abrikosov & Gor'kov,
    JETP 12, 1243 (1961)), α = 3/(4τ_sf) the pair-breaking energy of this package's
    spin-flip term (ζ = α/Δ, :func:`kinetics.usadel.bulk.zeta_from_tau_sf`); 0 when
    α ≥ Δ(0)/2 = (π/2)e^{−γ_E} T_c0, where superconductivity is destroyed."""
    from scipy.optimize import brentq
    from scipy.special import digamma
    tc0 = validation.positive("ag_critical_temperature", "tc0", tc0)
    alpha = 0.75 * validation.nonnegative("ag_critical_temperature", "inv_tau_sf", inv_tau_sf)
    if alpha == 0:
        return tc0
    if alpha >= 0.5 * bcs_gap_zero_temperature(tc0) * (1 - 1e-12):
        return 0.0

    def f(T):
        return math.log(tc0 / T) - (digamma(0.5 + alpha / (2 * math.pi * T)) - digamma(0.5))
    return brentq(f, 1e-9 * tc0, tc0, xtol=1e-15 * tc0, rtol=1e-15)


def ag_linear_critical_temperature(tc0: float, inv_tau_sf: float, omega_max: float) -> float:
    """T_c of the linearized gap equation with the Abrikosov–Gor'kov F = Δ/(ω_n + α)
    truncated at ω_max exactly as :class:`GapEquation` truncates it:
    2πT Σ_{n<N} [1/ω_n − 1/(ω_n + α)] = ln(T_c0/T); tends to
    :func:`ag_critical_temperature` as ω_max → ∞ (error ∝ α/ω_max)."""
    from scipy.optimize import brentq
    alpha = 0.75 * inv_tau_sf

    def f(T):
        w = matsubara_frequencies(T, omega_max)
        return 2 * math.pi * T * np.sum(1 / w - 1 / (w + alpha)) - math.log(tc0 / T)
    lo = 1e-3 * tc0
    if f(lo) > 0:
        return 0.0
    return brentq(f, lo, tc0, xtol=1e-13 * tc0)
