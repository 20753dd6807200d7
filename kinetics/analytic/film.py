"""Closed-form references used by the tests, the demos and the docs (pure numpy).

Geometry of the film formulas: a metal film 0 < z < d, infinite in x and y, with a uniform
electric field E = −∂_xV along x.  The face z = 0 is an HM|FI interface (outward normal
n = −ẑ) with the conductance matrix 𝐆 (n·j_s = 𝐆 μ_s), the face z = d is vacuum.  Symbols:
σ conductivity (S/m), λ spin diffusion length (m), θ spin Hall angle, G↑↓ = G_r + i G_i.

Derivation of :func:`film_spin_accumulation` (our conventions, docs/design.md §3): in the
film, j_s[:, z] = −(σ/2) μ' + s0 with s0 = −θσE ŷ, and μ'' = μ/λ².  With
μ = c1 cosh(z/λ) + c2 sinh(z/λ), the vacuum condition j_s[:, z](d) = 0 and the interface
condition (σ/2) μ'(0) − s0 = 𝐆 μ(0) give

    [sinh(d/λ) I + (2λ/σ) cosh(d/λ) 𝐆] c1 = (2λ/σ) (1 − cosh(d/λ)) s0,
    c2 = (2λ/σ)(𝐆 c1 + s0).

The charge current averaged over the thickness is
⟨j_x⟩ = σE − (θσ/2d)(μ_y(d) − μ_y(0)), ⟨j_y⟩ = (θσ/2d)(μ_x(d) − μ_x(0)).
Because V stays linear in x, this 1D solution is exact (no expansion in θ).
"""

from __future__ import annotations

import numpy as np

__all__ = ["film_coefficients", "film_spin_accumulation", "film_resistivity",
           "chen_smr", "sot_efficiency", "spin_hall_strip", "conductance_matrix"]


def conductance_matrix(G_r: float = 0.0, G_i: float = 0.0, G_s: float = 0.0, m=(0, 0, 1),
                       Gamma_loss=None) -> np.ndarray:
    """𝐆 = G_s I + G_r (I − m mᵀ) − G_i [m]_× (+ Γ_loss), Ω⁻¹m⁻², shape (3, 3)."""
    m = np.asarray(m, dtype=float)
    cross = np.array([[0, -m[2], m[1]], [m[2], 0, -m[0]], [-m[1], m[0], 0]])
    G = G_s * np.eye(3) + G_r * (np.eye(3) - np.outer(m, m)) - G_i * cross
    return G if Gamma_loss is None else G + np.asarray(Gamma_loss, dtype=float)


def film_coefficients(d, sigma, lambda_sf, theta, E, G) -> tuple[np.ndarray, np.ndarray]:
    """Coefficient vectors (c1, c2) of μ(z) = c1 cosh(z/λ) + c2 sinh(z/λ) (volts).

    Parameters
    ----------
    d, sigma, lambda_sf, theta, E:
        Thickness (m), conductivity (S/m), spin diffusion length (m), spin Hall angle,
        electric field along x (V/m).
    G:
        Interface conductance matrix (3, 3), Ω⁻¹m⁻² (:func:`conductance_matrix`).
    """
    lam = lambda_sf
    ch, sh = np.cosh(d / lam), np.sinh(d / lam)
    s0 = np.array([0.0, -theta * sigma * E, 0.0])
    G = np.asarray(G, dtype=float)
    M = sh * np.eye(3) + (2 * lam / sigma) * ch * G
    c1 = np.linalg.solve(M, (2 * lam / sigma) * (1 - ch) * s0)
    c2 = (2 * lam / sigma) * (G @ c1 + s0)
    return c1, c2


def film_spin_accumulation(z, d, sigma, lambda_sf, theta, E, G) -> np.ndarray:
    """Exact μ_s(z) across the film (volts), shape (3, len(z)).  See the module docstring."""
    c1, c2 = film_coefficients(d, sigma, lambda_sf, theta, E, G)
    z = np.atleast_1d(np.asarray(z, dtype=float))
    return np.outer(c1, np.cosh(z / lambda_sf)) + np.outer(c2, np.sinh(z / lambda_sf))


def film_resistivity(d, sigma, lambda_sf, theta, G) -> tuple[float, float]:
    """(ρ_long/ρ − 1, ρ_trans/ρ) of the film, exact in the 1D model.

    ρ = 1/σ.  ρ_long = E/⟨j_x⟩.  ρ_trans is the Hall resistivity E_y/j_x of an open-circuit
    film, to first order in the transverse current: ρ_trans/ρ = −⟨j_y⟩/(σE).
    """
    E = 1.0
    mu = film_spin_accumulation([0.0, d], d, sigma, lambda_sf, theta, E, G)
    jx = sigma * E - theta * sigma / (2 * d) * (mu[1, 1] - mu[1, 0])
    jy = theta * sigma / (2 * d) * (mu[0, 1] - mu[0, 0])
    return sigma * E / jx - 1.0, -jy / (sigma * E)


def chen_smr(d, sigma, lambda_sf, theta, G_r, G_i=0.0) -> tuple[float, float, float]:
    """Spin Hall magnetoresistance of Chen et al., PRB 87, 144411 (2013), Eqs. (14)-(16).

    ρ_long = ρ + Δρ₀ + Δρ₁ (1 − m_y²),  ρ_trans = Δρ₁ m_x m_y + Δρ₂ m_z, with

        Δρ₀/ρ = −θ² (2λ/d) tanh(d/2λ)
        Δρ₁/ρ =  θ² (λ/d) Re[2λ G↑↓ tanh²(d/2λ) / (σ + 2λ G↑↓ coth(d/λ))]
        Δρ₂/ρ = −θ² (λ/d) Im[2λ G↑↓ tanh²(d/2λ) / (σ + 2λ G↑↓ coth(d/λ))]

    (current along x, film normal z, magnet at the bottom).  Valid to O(θ²).

    Returns
    -------
    (Δρ₀/ρ, Δρ₁/ρ, Δρ₂/ρ)
    """
    lam = lambda_sf
    G = complex(G_r, G_i)
    x = 2 * lam * G * np.tanh(d / (2 * lam)) ** 2 / (sigma + 2 * lam * G / np.tanh(d / lam))
    d0 = -theta ** 2 * (2 * lam / d) * np.tanh(d / (2 * lam))
    d1 = theta ** 2 * (lam / d) * x.real
    d2 = -theta ** 2 * (lam / d) * x.imag
    return float(d0), float(d1), float(d2)


def sot_efficiency(d, sigma, lambda_sf, theta, G_r, G_i=0.0) -> tuple[float, float]:
    """Damping-like and field-like spin-orbit-torque efficiencies of an HM|FI bilayer.

    ξ_DL + i ξ_FL = θ (1 − sech(d/λ)) g/(1 + g),   g = 2λρ G↑↓ coth(d/λ),  ρ = 1/σ

    (drift-diffusion result, e.g. Haney et al., PRB 87, 174411 (2013); derived in our
    conventions in :mod:`kinetics.observables`: ξ = (2e/ħ) τ / j_c, with τ_DL along
    m×(σ̂×m) and τ_FL along σ̂×m, σ̂ = ĵ_c × n̂ the polarization of the spin Hall current
    flowing into the magnet).

    Returns
    -------
    (ξ_DL, ξ_FL)
    """
    lam = lambda_sf
    g = 2 * lam * complex(G_r, G_i) / sigma / np.tanh(d / lam)
    xi = theta * (1 - 1 / np.cosh(d / lam)) * g / (1 + g)
    return float(xi.real), float(xi.imag)


def spin_hall_strip(y, W, lambda_sf, theta, E) -> tuple[np.ndarray, np.ndarray]:
    """Spin Hall accumulation and current in a strip |y| < W/2 with insulating edges.

    E along x.  Exact solution of the model, i.e. of Huang et al. (seed 003) Eqs. (79)-(81)
    with the relaxation sign of Eq. (79) corrected (solved here, not given in the paper;
    checked in tests/test_analytic.py), in our normalization:
    μ_z(y) = 2θEλ sinh(y/λ)/cosh(W/2λ),  j_x(y)/σE = 1 + θ² cosh(y/λ)/cosh(W/2λ).

    Returns
    -------
    (μ_z (V), j_x/(σE))
    """
    y = np.asarray(y, dtype=float)
    lam = lambda_sf
    mu_z = 2 * theta * E * lam * np.sinh(y / lam) / np.cosh(W / (2 * lam))
    jx = 1 + theta ** 2 * np.cosh(y / lam) / np.cosh(W / (2 * lam))
    return mu_z, jx
