"""Exact interface conductance of the spin-orbit-coupled F layer of seed 004.

Zhang et al., PRB 108, 125309 (2023) approximate the layer profile by Eq. (34);
:func:`layer_conductance` solves the same layer equations, Eqs. (31)-(32) at Θ = δ, exactly,
as a reference for the closed forms of :mod:`kinetics.physics.interface_soc` (whose module
docstring states the conventions and the limitation found with it, and which re-exports
:func:`layer_conductance`).  SI units throughout.
"""

from __future__ import annotations

import numpy as np

from kinetics import units
from kinetics.physics import gauge
from kinetics.physics._soc_checks import (  # noqa: F401
    array3 as _array, cross_matrix as _cross, finite as _finite, positive as _positive, unit as _unit)

__all__ = ["layer_conductance"]


def layer_conductance(nu_F, D, rates, m, A=None, exchange=0.0, thickness=None):
    """Exact interface conductance of the uniform F layer (reference for the closed forms).

    Solves the layer equations behind Eq. (35) without the approximation (34): Eqs. (31)-(32)
    at Θ = δ, uniform in x, y, with the paper's J^{ia} (spin density N, paper units)::

        N' = -J/D - A_z×N,   J' = -(T + D Σ_{i=x,y}(|A_i|² - A_iA_iᵀ)) N + ω×N - A_z×J

    (' = d/dz, J = J^z, T = r∥ m̃m̃ᵀ + r⊥(I - m̃m̃ᵀ), ω = eΦ/ħ = -(Δ/ħ) m̃), with J = 0 at
    z = -l_F (or decay for l_F = inf).  Then J(0) = -K N(0), and n·j_s = e²ν_F K μ_s.

    Parameters: nu_F (J⁻¹m⁻³, per spin), D (m²/s); rates = (r∥, r⊥), 1/τ^m of the moments
    (Eqs. 4-5) in 1/s (>= 0); m, unit (3,) m̃; A, (3, 3) gauge field A[i, b] in 1/m or None;
    exchange, Δ in J (:func:`exchange_splitting`); thickness, l_F in m or None (infinite).
    Returns the (3, 3) total conductance (torque + loss), Ω⁻¹m⁻², our sign: compare with
    MagneticInterface.conductance_matrix().  Raises ValueError for bad input or a layer
    with a mode that does not relax.
    """
    g, D = units.e ** 2 * _positive("nu_F", nu_F), _positive("D", D)
    r = [_positive(f"rates[{k}]", v, allow_zero=True) for k, v in enumerate(rates)]
    m = _unit(m)
    A = np.zeros((3, 3)) if A is None else _array("A", A, (3, 3))
    P = np.outer(m, m)
    T = r[0] * P + r[1] * (np.eye(3) - P) + D * gauge.relaxation_tensor(A[:2])
    w = -_finite("exchange", exchange) / units.hbar * m
    Az = _cross(A[2])
    lam, V = np.linalg.eig(np.block([[-Az, -np.eye(3) / D], [_cross(w) - T, -Az]]))
    up = lam.real > 0
    if up.sum() != 3 or np.any(np.isclose(lam, 0, atol=1e-12 * np.abs(lam).max())):
        raise ValueError("layer_conductance: the layer has (almost) no spin relaxation")
    N0, J0 = V[:3, up], V[3:, up]
    if thickness is not None:
        d = _positive("thickness", thickness)
        Jd, Nd = V[3:, ~up], V[:3, ~up]
        B = -np.linalg.solve(Jd, J0 * np.exp(-lam[up] * d))
        N0, J0 = N0 + (Nd * np.exp(lam[~up] * d)) @ B, J0 + (Jd * np.exp(lam[~up] * d)) @ B
    return -g * (J0 @ np.linalg.inv(N0)).real
