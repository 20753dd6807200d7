"""The parameters of a ferromagnetic metal (:class:`Ferromagnet`), SI units, immutable;
the library entries (Co, Py, Fe, Ni, CoFeB) are in :mod:`kinetics.materials`, which also
exports this class.  The equations are in :mod:`kinetics.physics.ferromagnet`.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from kinetics import records, validation
from kinetics.validation import ANGLE_LIMIT, SI_LIMIT

__all__ = ["Ferromagnet"]


@dataclasses.dataclass(frozen=True)
class Ferromagnet:
    """Bulk parameters of a ferromagnetic metal, SI units, immutable.

    The bulk model is :class:`kinetics.physics.ferromagnet.FerromagneticMetal` (the
    equations, the sign of the precession term and their sources are in that module).

    Parameters
    ----------
    name:
        Material name used in messages and results.
    sigma:
        Conductivity σ = σ↑ + σ↓ in S/m (> 0).
    beta:
        Conductivity polarization β = (σ↑ − σ↓)/σ, |β| < 1: Valet & Fert's bulk asymmetry
        (ρ↑,↓ = 2ρ*(1 ∓ β), ρ* = 1/(σ(1 − β²))), Valet & Fert, PRB 48, 7099 (1993).
    lambda_sf:
        Spin diffusion length l_sf of the longitudinal accumulation (Valet–Fert's l_F) in m
        (> 0, or ``math.inf``).
    lambda_J:
        Exchange (precession) length λ_J of the transverse accumulation in m (> 0 or inf).
    lambda_phi:
        Dephasing length λ_φ of the transverse accumulation in m (> 0 or inf).
    m:
        Unit magnetization direction of the region (3-vector, uniform); changed at run time
        with :meth:`kinetics.models.spin_charge.SpinChargeProblem.set_magnetization`.
    sigma_parallel:
        Conductivity σ_∥ for current along m in S/m (> 0), or None for σ_∥ = σ (no
        anisotropic magnetoresistance); ``sigma`` is then σ_⊥, across m.
    theta_ah:
        Anomalous Hall angle θ_AH: Hall current θ_AH σ m×E (sign convention in
        :mod:`kinetics.physics.ferromagnet`).
    delta_sigma_s:
        Spin AMR δσ_s in S/m (default 0: off): the local spin conductivity is the tensor
        βσ I − δσ_s m⊗m, i.e. βσ across m and βσ − δσ_s along m (Nakabayashi et al.,
        "Theory of spin relaxation torque in metallic ferromagnets", Eqs. 35–37, 40).
    gamma_t, delta_gamma_t:
        Relaxation-torque coefficients γ, δγ in S/m (default 0: off): the torque
        T = m ∇·((γI + δγ m⊗m)E) (A/m³) is a source of spin along m (same paper, Eqs. 5–6;
        δγ = γ/3 in its model).  Mapping to the paper's microscopic quantities in
        :mod:`kinetics.physics.ferromagnet`.
    source:
        Literature source of the numbers.

    Limits: σ, σ_∥, l_sf, λ_J, λ_φ in [1e-30, 1e30] (:data:`SI_LIMIT`; the lengths may be
    +inf), |β| < 1, |θ_AH| <= :data:`ANGLE_LIMIT`, | |m| − 1 | <= 1e-6
    (:data:`kinetics.validation.UNIT_TOLERANCE`), |δσ_s|, |γ|, |δγ| <= 1e30, and the
    effective polarizations β − γ/σ (across m) and β − (γ + δγ + δσ_s)/σ (along m) in
    (−1, 1) (otherwise the operator is not positive definite).

    Raises
    ------
    kinetics.validation.ValidationError
        (a ValueError naming the parameter) For |β| >= 1, non-positive or non-finite σ or
        σ_∥, non-positive l_sf, λ_J or λ_φ, a non-finite θ_AH, δσ_s, γ or δγ, an effective
        polarization outside (−1, 1) (named ``gamma_t`` across m, ``delta_sigma_s`` along m),
        a non-unit or non-finite m, an empty name.
    TypeError
        For parameters that are not numbers (strings, bools, callables too), a name or
        source that is not a string.
    """

    name: str
    sigma: float
    beta: float
    lambda_sf: float
    lambda_J: float = math.inf
    lambda_phi: float = math.inf
    m: Any = (0.0, 0.0, 1.0)
    sigma_parallel: float | None = None
    theta_ah: float = 0.0
    delta_sigma_s: float = 0.0
    gamma_t: float = 0.0
    delta_gamma_t: float = 0.0
    source: str = ""

    def __post_init__(self):
        owner = f"ferromagnet '{validation.text('Ferromagnet', 'name', self.name)}'"
        if self.sigma_parallel is not None:
            object.__setattr__(self, "sigma_parallel", validation.positive(
                owner, "sigma_parallel", self.sigma_parallel, kind="a number (S/m) or None",
                limit=SI_LIMIT))
        object.__setattr__(self, "theta_ah", validation.finite(owner, "theta_ah", self.theta_ah,
                                                               limit=ANGLE_LIMIT))
        if not isinstance(self.source, str):
            raise TypeError(f"{owner}: source must be a string, got {self.source!r}")
        kind = "a number (SI units)"
        for field in ("sigma", "lambda_sf", "lambda_J", "lambda_phi"):
            value = validation.positive(owner, field, getattr(self, field), kind=kind,
                                        limit=SI_LIMIT, allow_inf=field != "sigma")
            object.__setattr__(self, field, value)
        beta = validation.polarization(owner, "beta", self.beta,
                                       "the spin-down (or spin-up) conductivity σ(1 ∓ β)/2 "
                                       "must stay positive")
        object.__setattr__(self, "beta", beta)
        for field in ("delta_sigma_s", "gamma_t", "delta_gamma_t"):
            object.__setattr__(self, field, validation.finite(
                owner, field, getattr(self, field), kind="a number (S/m)", limit=SI_LIMIT))
        across = beta - self.gamma_t / self.sigma
        along = across - (self.delta_gamma_t + self.delta_sigma_s) / self.sigma
        for field, value, what in (("gamma_t", across, "β − γ/σ"),
                                   ("delta_sigma_s", along, "β − (γ + δγ + δσ_s)/σ")):
            if not abs(value) < 1.0:
                raise validation.ValidationError(
                    owner, field, f"such that {what} is in (-1, 1)", f"{value:g}",
                    "the spin-charge operator must stay positive definite")
        m = validation.unit_vector(owner, "m", self.m)
        m = m / np.linalg.norm(m)
        m.setflags(write=False)
        object.__setattr__(self, "m", m)

    def with_(self, **overrides) -> "Ferromagnet":
        """Return a copy with some parameters replaced (validated again).

        Raises
        ------
        TypeError
            For an unknown parameter name (the message lists the valid ones).
        """
        return records.replaced(f"ferromagnet '{self.name}'", self, overrides)

    @property
    def is_constant(self) -> bool:
        """True (no parameter of a ferromagnet is a spatial expression)."""
        return True

    @property
    def rho_star(self) -> float:
        """Valet–Fert's ρ* = 1/(σ(1 − β²)) in Ω m (ρ↑,↓ = 2ρ*(1 ∓ β))."""
        return 1.0 / (self.sigma * (1.0 - self.beta ** 2))

    def summary(self) -> dict:
        """JSON-friendly description."""
        return records.summary(self)
