"""Closed forms of the lateral nonlocal spin valve (pure numpy/scipy).

Model (Takahashi & Maekawa, PRB 67, 052409 (2003)): a normal-metal channel N of cross
section A_N along x, with spin diffusion length λ_N and resistivity ρ_N; two ferromagnetic
electrodes F1 (injector, at x = 0) and F2 (detector, at x = L) of resistivity ρ_F, spin
diffusion length λ_F and conductivity polarization p_F, much thicker than λ_F, joined to N
through junctions of area A_J, resistance R_i and interface polarization P_I.  A current I
flows from F1 into N and out of N's far left end; F2 draws no current.  With the spin
resistances

    R_N = ρ_N λ_N / A_N,   R_F = ρ_F λ_F / A_J                                       (Ω)

the nonlocal resistance R_NL = (V_F2 − V_N)/I is ±ΔR_s/2 for parallel/antiparallel
electrodes, with (TM Eq. 9 as quoted in kinetics issue 12; the equation number is not
checked here)

    ΔR_s = 4R_N X₁X₂ e^{−L/λ_N} / (D₁D₂ − e^{−2L/λ_N}),
    X_i = P_I/(1 − P_I²) · R_i/R_N + p_F/(1 − p_F²) · R_F/R_N,
    D_i = 1 + 2/(1 − P_I²) · R_i/R_N + 2/(1 − p_F²) · R_F/R_N.

:func:`takahashi_maekawa` evaluates it.  :func:`network` solves the same 1D model
independently (a 4×4 linear system), in the conventions of :mod:`kinetics.physics.ferromagnet`
and :mod:`kinetics.physics.fn_interface` (μ_s in volts, spin currents in charge-current
units), and returns R_NL itself, its P and AP values and the spin accumulations; the tests
check the two against each other and the finite-element solution against both.

Derivation of :func:`network` (m_i = s_i ŷ, s_i = ±1; y components of μ and spin currents):

- F_i, semi-infinite along its normal: μ_F decays as e^{−z/λ_F} away from the junction, and
  the spin current entering N is I_s = s_i p_F I_i − (1 − p_F²) μ_Fi / (2R_F) (eliminating
  ∇V with the charge current I_i; Valet & Fert, PRB 48, 7099 (1993)).
- Junction i, conductances G↑,↓ = (1 ± P_I)/(2R_i) (circuit theory, collinear part):
  I_s = s_i P_I I_i + (1 − P_I²)(μ_Fi − μ_Ni)/(2R_i), and the charge-voltage jump
  V_Fi − V_Ni = R_i I_i − (s_i P_I/2)(μ_Fi − μ_Ni).
- N: μ_N(x) = R_N Σ_j I_s,j e^{−|x − x_j|/λ_N} (the 1D Green's function; the spin current
  −(A_N/2ρ_N) μ_N' jumps by I_s,j at x_j).
- Detector voltage against N (constant V_N to the right of the injector):
  V_F2 − V_N = −(s₂P_I/2)(μ_F2 − μ_N2) + (s₂p_F/2) μ_F2 (the last term the drop of
  j_c = 0 = −σ∇V − (p_Fσ/2)∇(m·μ) across F2).

Hanle precession (:func:`hanle`): a field B ⊥ the electrodes' magnetization precesses the
spin accumulation in N at ω_L = gμ_B B/ħ; for tunnel junctions (no spin absorbed back by the
electrodes) the 1D Green's function becomes Re[e^{−kL}/(kλ_N)] with kλ_N = √(1 − iω_Lτ_s)
(Johnson & Silsbee, PRL 55, 1790 (1985); Jedema et al., Nature 416, 713 (2002)), so

    R_NL(B) = R_NL(0) · Re[e^{−L√(1 − iω_Lτ_s)/λ_N} / √(1 − iω_Lτ_s)] · e^{L/λ_N},

and :func:`fit_hanle` recovers λ_N and τ_s from a measured curve (scipy's curve_fit).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from kinetics import validation
from kinetics.physics.spin_charge import GYROMAGNETIC

__all__ = ["spin_resistance", "takahashi_maekawa", "NetworkResult", "network", "hanle",
           "fit_hanle", "HanleFit"]


def _arguments(owner: str, L, lambda_N, R_N, R_F, p_F, R_1, R_2, P_I) -> tuple:
    """The arguments of :func:`takahashi_maekawa` and :func:`network`, checked."""
    v = validation
    return (v.nonnegative(owner, "L", L), v.positive(owner, "lambda_N", lambda_N),
            v.positive(owner, "R_N", R_N), v.positive(owner, "R_F", R_F),
            v.polarization(owner, "p_F", p_F), v.nonnegative(owner, "R_1", R_1),
            v.nonnegative(owner, "R_2", R_2), v.polarization(owner, "P_I", P_I))


def spin_resistance(resistivity: float, spin_diffusion_length: float, area: float) -> float:
    """R = ρλ/A (Ω), the spin resistance of a conductor (Takahashi & Maekawa 2003).

    Raises
    ------
    kinetics.validation.ValidationError
        (a ValueError) For a non-positive or non-finite argument.
    TypeError
        For an argument that is not a number.
    """
    owner = "spin_resistance"
    return (validation.positive(owner, "resistivity", resistivity)
            * validation.positive(owner, "spin_diffusion_length", spin_diffusion_length)
            / validation.positive(owner, "area", area))


def takahashi_maekawa(L: float, lambda_N: float, R_N: float, R_F: float, p_F: float,
                      R_1: float, R_2: float, P_I: float) -> float:
    """ΔR_s = R_NL(P) − R_NL(AP) (Ω) of a nonlocal spin valve (module docstring; Takahashi
    & Maekawa, PRB 67, 052409 (2003)).

    Parameters
    ----------
    L:
        Centre-to-centre electrode spacing (m, >= 0).
    lambda_N:
        Spin diffusion length of the channel (m).
    R_N, R_F:
        Spin resistances ρ_Nλ_N/A_N and ρ_Fλ_F/A_J (Ω).
    p_F:
        Conductivity polarization of the electrodes, in (-1, 1).
    R_1, R_2:
        Junction resistances (Ω, >= 0; 0 for transparent contacts).
    P_I:
        Interface polarization, in (-1, 1).

    Raises
    ------
    kinetics.validation.ValidationError
        (a ValueError) For non-finite values, L < 0, non-positive λ_N, R_N, R_F, negative
        R_i, |p| >= 1.
    TypeError
        For an argument that is not a number.
    """
    L, lam, R_N, R_F, p_F, R_1, R_2, P_I = _arguments("takahashi_maekawa", L, lambda_N, R_N,
                                                       R_F, p_F, R_1, R_2, P_I)
    X, D = [], []
    for R in (R_1, R_2):
        X.append(P_I / (1 - P_I ** 2) * R / R_N + p_F / (1 - p_F ** 2) * R_F / R_N)
        D.append(1 + 2 / (1 - P_I ** 2) * R / R_N + 2 / (1 - p_F ** 2) * R_F / R_N)
    e = math.exp(-L / lam)
    return 4 * R_N * X[0] * X[1] * e / (D[0] * D[1] - e * e)


@dataclasses.dataclass(frozen=True)
class NetworkResult:
    """The 1D nonlocal spin valve for one pair of magnetizations (:func:`network`).

    Attributes
    ----------
    R_NL:
        Nonlocal resistance (V_F2 − V_N)/I (Ω).
    mu_N:
        Spin accumulation (y component, V per A of injected current: multiply by I) in N
        under the injector and under the detector, shape (2,).
    mu_F:
        The same in F1, F2 at their junctions, shape (2,).
    I_s:
        Spin currents (y component) entering N at the two junctions per A of current, (2,).
    """

    R_NL: float
    mu_N: np.ndarray
    mu_F: np.ndarray
    I_s: np.ndarray


def network(L: float, lambda_N: float, R_N: float, R_F: float, p_F: float, R_1: float,
            R_2: float, P_I: float, s=(1, 1)) -> NetworkResult:
    """The 1D nonlocal spin valve solved as a network (module docstring), for electrode
    magnetizations s = (s₁, s₂) ŷ, s_i = ±1; arguments as :func:`takahashi_maekawa`.

    Raises
    ------
    ValueError, TypeError
        As :func:`takahashi_maekawa`; s entries other than ±1.
    """
    L, lambda_N, R_N, R_F, p_F, R_1, R_2, P_I = _arguments("network", L, lambda_N, R_N, R_F,
                                                           p_F, R_1, R_2, P_I)
    if len(s) != 2 or any(v not in (1, -1) for v in s):
        raise ValueError(f"s must be two signs (±1, ±1), got {s!r}")
    I = np.array([1.0, 0.0])                  # 1 A into N at the injector, none at F2
    G = R_N * np.exp(-abs(L) / lambda_N * np.array([[0, 1], [1, 0]]))   # μ_N = G I_s
    R = np.array([R_1, R_2], dtype=float)
    # unknowns (μ_F1, μ_F2, I_s1, I_s2)
    A, b = np.zeros((4, 4)), np.zeros(4)
    for i in range(2):
        # F: I_s + (1 − p²) μ_F/(2R_F) = s p_F I
        A[i, i], A[i, 2 + i] = (1 - p_F ** 2) / (2 * R_F), 1.0
        b[i] = s[i] * p_F * I[i]
        # junction: 2R_i I_s − (1 − P²)(μ_F − G I_s) = 2R_i s P I
        row = 2 + i
        A[row, i] = -(1 - P_I ** 2)
        A[row, 2:] = (1 - P_I ** 2) * G[i]
        A[row, 2 + i] += 2 * R[i]
        b[row] = 2 * R[i] * s[i] * P_I * I[i]
    x = np.linalg.solve(A, b)
    mu_F, I_s = x[:2], x[2:]
    mu_N = G @ I_s
    V = -(s[1] * P_I / 2) * (mu_F[1] - mu_N[1]) + (s[1] * p_F / 2) * mu_F[1]
    return NetworkResult(float(V), mu_N, mu_F, I_s)


def hanle(B, L: float, lambda_N: float, tau_s: float, amplitude: float = 1.0,
          offset: float = 0.0, g_factor_ratio: float = 1.0) -> np.ndarray:
    """R_NL(B) of tunnel-contact electrodes magnetized ⊥ B (module docstring; Johnson &
    Silsbee, PRL 55, 1790 (1985)): amplitude · Re[e^{−kL}/(kλ_N)] e^{L/λ_N} + offset with
    kλ_N = √(1 − iω_Lτ_s), ω_L = (gμ_B/ħ) B (|g_e|, times ``g_factor_ratio``), so that
    ``amplitude`` is R_NL(0) − offset.

    Parameters
    ----------
    B:
        Field(s) in tesla, any shape.
    L, lambda_N, tau_s:
        Spacing (m), spin diffusion length (m), spin lifetime (s).

    Returns
    -------
    numpy.ndarray
        R_NL(B) in the unit of ``amplitude``, the shape of B.
    """
    B = np.asarray(B, dtype=float)
    q = np.sqrt(1 - 1j * GYROMAGNETIC * g_factor_ratio * B * tau_s)
    return amplitude * np.real(np.exp(-(q - 1) * L / lambda_N) / q) + offset


@dataclasses.dataclass(frozen=True)
class HanleFit:
    """Result of :func:`fit_hanle`: spin diffusion length (m), spin lifetime (s),
    diffusion constant λ_N²/τ_s (m²/s), amplitude and offset (unit of R), and the largest
    residual of the fit relative to the amplitude."""

    lambda_N: float
    tau_s: float
    diffusion_constant: float
    amplitude: float
    offset: float
    max_residual: float


def fit_hanle(B, R, L: float, lambda_guess: float, tau_guess: float) -> HanleFit:
    """Fit :func:`hanle` to a measured curve R(B) (least squares over λ_N, τ_s, amplitude
    and offset; scipy.optimize.curve_fit), the standard way λ_N and τ_s are measured in
    nonlocal spin valves (Jedema et al., Nature 416, 713 (2002)).

    Parameters
    ----------
    B, R:
        Fields (T) and nonlocal resistances, shape (n,), n >= 5, with the curve's extrema
        inside.
    L:
        Electrode spacing (m).
    lambda_guess, tau_guess:
        Starting values (m, s).

    Raises
    ------
    ValueError
        For fewer than five points, arrays of different shapes or non-finite data.
    RuntimeError
        If the fit does not converge (from scipy).
    """
    from scipy.optimize import curve_fit
    B, R = np.asarray(B, dtype=float), np.asarray(R, dtype=float)
    if B.shape != R.shape or B.ndim != 1 or len(B) < 5:
        raise ValueError(f"fit_hanle needs B and R of one shape (n,), n >= 5; got {B.shape}, "
                         f"{R.shape}")
    if not (np.all(np.isfinite(B)) and np.all(np.isfinite(R))):
        raise ValueError("fit_hanle: B and R must be finite")
    scale = float(np.max(np.abs(R))) or 1.0

    def model(b, log_lam, log_tau, amp, off):
        return hanle(b, L, math.exp(log_lam), math.exp(log_tau), amp, off)

    p0 = (math.log(lambda_guess), math.log(tau_guess), (R[np.argmin(np.abs(B))]) / scale, 0.0)
    p, _ = curve_fit(model, B, R / scale, p0=p0, xtol=1e-14, ftol=1e-14, maxfev=20000)
    lam, tau = math.exp(p[0]), math.exp(p[1])
    res = float(np.max(np.abs(model(B, *p) - R / scale)) / max(abs(p[2]), 1e-300))
    return HanleFit(lam, tau, lam ** 2 / tau, p[2] * scale, p[3] * scale, res)
