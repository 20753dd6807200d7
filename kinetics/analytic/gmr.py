"""Closed forms of collinear F/N/F stacks, of transverse spin in a ferromagnet and of its
anisotropic, anomalous-Hall conductivity (pure numpy).

Model (:mod:`kinetics.physics.ferromagnet`): a ferromagnet F with conductivity σ_F,
conductivity polarization β and spin diffusion length l_F; a normal metal N with σ_N, l_N;
transparent interfaces (V and μ_s continuous, Valet–Fert's r_b* = 0).  Valet & Fert, PRB 48,
7099 (1993) write ρ↑,↓ = 2ρ_F*(1 ∓ β); with σ↑,↓ = 1/ρ↑,↓ the conductivity is
σ_F = 1/(ρ_F*(1 − β²)), i.e.

    ρ_F* = 1/(σ_F (1 − β²)),   r_F = ρ_F* l_F,   r_N = l_N/σ_N   (Ω m²).

Derivation of :func:`cpp_gmr_delta_ra` (semi-infinite F leads, current density j along x,
F|N at x = 0 and x = t_N, the first layer magnetized along +ẑ and the second along pẑ,
p = +1 parallel, −1 antiparallel).  Along m, in F: J = pβj − μ'/(2ρ_F*) (eliminating ∇V with
∇·j = 0) and
μ'' = μ/l_F²; in N: J = −μ'/(2ρ_N), μ'' = μ/l_N².  With μ = A e^{x/l_F} (x < 0),
μ = B e^{−(x−t_N)/l_F} (x > t_N) and cosh/sinh about the middle of N, continuity of μ and J
at both interfaces fixes A, B; the excess voltage is (β/2)(A − pB) (the V drop of
j = −σ∇V − (βσ/2)∇μ_∥ across each lead), and R_AP − R_P gives

    ΔR·A = 2(βr_F)² / [r_F cosh(t_N/l_N) + (r_N/2)(1 + (r_F/r_N)²) sinh(t_N/l_N)],

the r_b* = 0 case of the semi-infinite-lead formula quoted from Valet & Fert (1993) (the
equation number in their paper is not checked here; the derivation above was checked
symbolically).  The bulk resistances cancel in the difference.
"""

from __future__ import annotations

import cmath
import math

import numpy as np

__all__ = ["rho_star", "cpp_gmr_delta_ra", "cpp_excess_ra", "transverse_wavenumber",
           "transverse_profile", "conductivity_tensor"]


def rho_star(sigma: float, beta: float) -> float:
    """Valet–Fert's ρ* = 1/(σ(1 − β²)) (Ω m) of a ferromagnet of conductivity σ (S/m) and
    polarization β (ρ↑,↓ = 2ρ*(1 ∓ β); Valet & Fert, PRB 48, 7099 (1993)).

    Raises
    ------
    ValueError
        If σ <= 0 or |β| >= 1.
    """
    if not (sigma > 0 and abs(beta) < 1):
        raise ValueError(f"rho_star: need sigma > 0 and |beta| < 1, got {sigma}, {beta}")
    return 1.0 / (sigma * (1.0 - beta ** 2))


def cpp_gmr_delta_ra(t_N: float, sigma_F: float, beta: float, l_F: float, sigma_N: float,
                     l_N: float) -> float:
    """ΔR·A = R_AP·A − R_P·A (Ω m²) of a F/N/F trilayer with semi-infinite F leads and
    transparent interfaces (module docstring; Valet & Fert, PRB 48, 7099 (1993), r_b* = 0).

    Parameters
    ----------
    t_N:
        Spacer thickness (m, >= 0).
    sigma_F, beta, l_F:
        Conductivity (S/m), conductivity polarization and spin diffusion length (m) of F.
    sigma_N, l_N:
        Conductivity (S/m) and spin diffusion length (m) of N.

    Raises
    ------
    ValueError
        For non-positive conductivities or lengths, a negative t_N or |β| >= 1.
    """
    if not (t_N >= 0 and l_F > 0 and sigma_N > 0 and l_N > 0):
        raise ValueError("cpp_gmr_delta_ra: need t_N >= 0 and positive l_F, sigma_N, l_N")
    r_F = rho_star(sigma_F, beta) * l_F
    r_N = l_N / sigma_N
    x = t_N / l_N
    return 2.0 * (beta * r_F) ** 2 / (r_F * math.cosh(x)
                                      + 0.5 * r_N * (1.0 + (r_F / r_N) ** 2) * math.sinh(x))


def cpp_excess_ra(t_N, sigma_F, beta, l_F, sigma_N, l_N, parallel: bool = True) -> float:
    """The spin-accumulation (excess) part of R·A (Ω m²) of the same trilayer, parallel or
    antiparallel (module docstring): R·A = Σ bulk ρ t + this; for the parallel state
    2β²r_F r_N sinh(a)/(r_F cosh(a) + r_N sinh(a)), a = t_N/(2l_N).

    Raises
    ------
    ValueError
        As :func:`cpp_gmr_delta_ra`.
    """
    r_F = rho_star(sigma_F, beta) * l_F
    r_N = l_N / sigma_N
    a = t_N / (2 * l_N)
    if parallel:
        return 2 * beta ** 2 * r_F * r_N * math.sinh(a) / (r_F * math.cosh(a)
                                                         + r_N * math.sinh(a))
    return cpp_excess_ra(t_N, sigma_F, beta, l_F, sigma_N, l_N, True) + \
        cpp_gmr_delta_ra(t_N, sigma_F, beta, l_F, sigma_N, l_N)


def transverse_wavenumber(beta: float, l_sf: float, lambda_J: float,
                          lambda_phi: float) -> complex:
    """k (1/m, Re k > 0) of the transverse accumulation μ₊ = μ_x + iμ_y for m = ẑ:
    ∇²μ₊ = k²μ₊, k² = (1 − β²)/l_sf² + 1/λ_φ² − i/λ_J² (:mod:`kinetics.physics.ferromagnet`,
    module docstring; Petitjean, Luc & Waintal, PRL 109, 117204 (2012) for the form).
    Decay length 1/Re k, precession period 2π/|Im k|; Im k < 0.

    Raises
    ------
    ValueError
        If every relaxation length is infinite (k = 0).
    """
    k2 = complex((1 - beta ** 2) / l_sf ** 2 + 1 / lambda_phi ** 2, -1 / lambda_J ** 2)
    if k2 == 0:
        raise ValueError("transverse_wavenumber: no relaxation (all lengths infinite)")
    return cmath.sqrt(k2)


def transverse_profile(x, mu0: complex, k: complex) -> np.ndarray:
    """μ₊(x) = μ0 e^{−kx} as (μ_x, μ_y) columns, shape (len(x), 2) (V): the accumulation in a
    ferromagnet filling x > 0 with μ₊(0) = μ0 (:func:`transverse_wavenumber`)."""
    z = mu0 * np.exp(-k * np.asarray(x, dtype=float))
    return np.column_stack([z.real, z.imag])


def conductivity_tensor(sigma_perp: float, sigma_par: float, theta_ah: float, m) -> np.ndarray:
    """σ̂ (S/m, shape (3, 3)) with j = σ̂E in a uniform ferromagnet without spin accumulation:
    σ̂ = σ_⊥(I − mmᵀ) + σ_∥mmᵀ + θ_AH σ_⊥[m]_×, [m]_× E = m×E
    (:mod:`kinetics.physics.ferromagnet`; phenomenology of Nagaosa et al., RMP 82, 1539
    (2010), sign convention stated there).  E.g. a film along x with the transverse
    directions shorted carries j = σ̂ E x̂; ρ̂ = σ̂⁻¹ is the resistivity of a Hall bar."""
    m = np.asarray(m, dtype=float)
    cross = np.array([[0, -m[2], m[1]], [m[2], 0, -m[0]], [-m[1], m[0], 0]])
    return sigma_perp * np.eye(3) + (sigma_par - sigma_perp) * np.outer(m, m) \
        + theta_ah * sigma_perp * cross


# ------------------------------------------------------------- resistive F|N interfaces
__all__ += ["cpp_gmr_delta_ra_interface"]


def cpp_gmr_delta_ra_interface(t_N: float, sigma_F: float, beta: float, l_F: float,
                               sigma_N: float, l_N: float, r_b: float, gamma: float) -> float:
    """ΔR·A = R_AP·A − R_P·A (Ω m²) of a F/N/F trilayer with semi-infinite F leads and two
    resistive F|N interfaces (Valet & Fert, PRB 48, 7099 (1993), semi-infinite leads):

        ΔR·A = 2(βr_F + γr_b*)² / [(r_F + r_b*) cosh(t_N/l_N)
                                   + (r_N/2)(1 + ((r_F + r_b*)/r_N)²) sinh(t_N/l_N)],

    r_F = ρ_F* l_F, r_N = l_N/σ_N.  The interface of each spin channel is the resistance
    r↑,↓ = 2r_b*(1 ∓ γ) in series with the lead's 2ρ_F*(1 ∓ β)l_F, so r_F → r_F + r_b* and
    βr_F → βr_F + γr_b* in :func:`cpp_gmr_delta_ra`, which is the r_b* = 0 case (the
    circuit-theory conductances are G↑,↓ = 1/(2r_b*(1 ∓ γ)),
    :class:`kinetics.fn_materials.FNInterface`).

    Parameters
    ----------
    t_N, sigma_F, beta, l_F, sigma_N, l_N:
        As :func:`cpp_gmr_delta_ra` (m, S/m, 1, m, S/m, m).
    r_b:
        Interface resistance r_b* (Ω m², >= 0).
    gamma:
        Interface asymmetry γ (|γ| < 1).

    Raises
    ------
    ValueError
        As :func:`cpp_gmr_delta_ra`, and for r_b* < 0 or |γ| >= 1.
    """
    if not (t_N >= 0 and l_F > 0 and sigma_N > 0 and l_N > 0):
        raise ValueError("cpp_gmr_delta_ra_interface: need t_N >= 0 and positive l_F, "
                         "sigma_N, l_N")
    if not (r_b >= 0 and abs(gamma) < 1):
        raise ValueError(f"cpp_gmr_delta_ra_interface: need r_b >= 0 and |gamma| < 1, "
                         f"got {r_b}, {gamma}")
    r_F = rho_star(sigma_F, beta) * l_F
    r_N = l_N / sigma_N
    r = r_F + r_b
    x = t_N / l_N
    return 2.0 * (beta * r_F + gamma * r_b) ** 2 / (
        r * math.cosh(x) + 0.5 * r_N * (1.0 + (r / r_N) ** 2) * math.sinh(x))
