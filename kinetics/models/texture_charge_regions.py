"""Inputs and outputs of :class:`kinetics.models.texture_charge.TextureVoltage` (the seed-002
charge response; units and equations in that module's docstring): the parameters of one
region (:class:`ChargeRegion`) and the DC result (:class:`VoltageResult`)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from kinetics import units, validation
from kinetics.models.texture import ElectronGas
from kinetics.physics.texture import conversion as conv

__all__ = ["ChargeRegion", "VoltageResult", "CONTRIBUTIONS", "open_circuit"]

#: the conversion mechanisms, in the order of :attr:`VoltageResult.V`
CONTRIBUTIONS = ("diffusive", "rashba", "impurity")
_SIGMA_RANGE = (1e-6, 1e12)      # S/m


@dataclasses.dataclass(frozen=True)
class ChargeRegion:
    """Parameters of one region of a :class:`TextureVoltage` device (SI).

    Parameters
    ----------
    sigma:
        Conductivity σ, S/m, in [1e-6, 1e12].  With a ``gas`` it defaults to 2e²νD and must
        agree with it (relative 1e-6) when given.
    lambda_sf:
        Spin-flip length λ_sf, m (``math.inf``: no relaxation, as in the paper).
    theta_sh:
        Spin Hall angle θ_SH of the diffusive conversion (|θ| <= 1), or None (no mechanism).
    gas:
        :class:`kinetics.models.texture.ElectronGas` of a textured region: the texture acts
        where ``gas.J != 0``.  None: no texture coupling.
    E_so:
        Rashba vector E_so (J·m), shape (3,), or None.  Only in a textured region.
    lambda_so:
        Impurity-SOC strength λ_so (m²), or None.  Only in a textured region.

    Raises
    ------
    TypeError
        A gas that is not an ElectronGas; numbers that are not numbers.
    kinetics.validation.ValidationError
        (a ValueError) σ not positive/finite or out of range, or inconsistent with the gas;
        λ_sf not positive (inf allowed); θ_SH not finite or |θ_SH| > 1; E_so or λ_so out of
        range (:mod:`kinetics.physics.texture.conversion`) or given in a region without a
        texture (nothing converts there: use theta_sh).
    """

    sigma: float | None = None
    lambda_sf: float = math.inf
    theta_sh: float | None = None
    gas: ElectronGas | None = None
    E_so: object = None
    lambda_so: float | None = None

    def __post_init__(self):
        owner = "ChargeRegion"
        if self.gas is not None and not isinstance(self.gas, ElectronGas):
            raise TypeError(f"{owner}: gas must be an ElectronGas or None, "
                            f"got {type(self.gas).__name__}")
        lo, hi = _SIGMA_RANGE
        if self.gas is not None:
            s_gas = 2 * units.e ** 2 * self.gas.nu * self.gas.D
            if self.sigma is None:
                if not lo <= s_gas <= hi:
                    raise validation.ValidationError(owner, "sigma",
                                                     f"2 e^2 nu D in [{lo:g}, {hi:g}] S/m",
                                                     f"{s_gas:g} S/m", "check the gas's nu and D")
                object.__setattr__(self, "sigma", s_gas)
        if self.sigma is None:
            raise validation.ValidationError(owner, "sigma", "a conductivity (S/m)", "None",
                                             "give sigma, or a gas (sigma = 2 e^2 nu D)")
        sigma = validation.positive(owner, "sigma", self.sigma, kind="a number (S/m)", tiny=lo,
                                    limit=hi)
        s_gas = None if self.gas is None else 2 * units.e ** 2 * self.gas.nu * self.gas.D
        if s_gas is not None and abs(sigma / s_gas - 1) > 1e-6:
            raise validation.ValidationError(owner, "sigma", "equal to 2 e^2 nu D of the gas",
                                             f"{sigma:g} S/m vs {s_gas:g} S/m")
        object.__setattr__(self, "sigma", sigma)
        object.__setattr__(self, "lambda_sf", validation.positive(
            owner, "lambda_sf", self.lambda_sf, allow_inf=True, kind="a number (m) or math.inf"))
        if self.theta_sh is not None:
            object.__setattr__(self, "theta_sh", validation.finite(owner, "theta_sh",
                                                                   self.theta_sh, limit=1.0))
        textured = self.textured
        for name in ("E_so", "lambda_so"):
            if getattr(self, name) is not None and not textured:
                raise validation.ValidationError(
                    owner, name, "None in a region without a texture (gas with J != 0)",
                    repr(getattr(self, name)),
                    "the Rashba and impurity terms of seed 002 (Eqs. 25, 30) are local to the "
                    "texture; for conversion of the diffused spin current give theta_sh")
        if self.E_so is not None:
            object.__setattr__(self, "E_so", validation.vector3(owner, "E_so", self.E_so,
                                                                limit=conv.E_SO_LIMIT))
        if self.lambda_so is not None:
            conv.impurity_coefficient(self.lambda_so, self.gas)          # validates

    @property
    def textured(self) -> bool:
        """True when the texture acts here (a gas with J != 0)."""
        return self.gas is not None and self.gas.J != 0.0

    @property
    def converts(self) -> bool:
        """True when some conversion mechanism is given (θ_SH, E_so or λ_so, even zero)."""
        return self.theta_sh is not None or self.E_so is not None or self.lambda_so is not None

    # per-region coefficients (SI)
    def spin_source(self) -> float:
        """(2e/ħ)·2νJ²τ, A/m³ per 1/s of S×Ṡ: the spin source in charge units."""
        return 0.0 if not self.textured else 2 * units.e / units.hbar * self.gas.damping

    def rashba_vector(self) -> np.ndarray:
        """a^R·2νJ²τ (A/m² per 1/s of S×Ṡ), shape (3,): j = this × S×Ṡ (Eq. 25)."""
        if self.E_so is None or not self.textured:
            return np.zeros(3)
        return conv.rashba_coefficient(self.E_so, self.gas.tau) * self.gas.damping

    def impurity_factors(self) -> tuple[float, float]:
        """(a^imp ħνJτD, 2Jτ/ħ) of Eq. (31); (0, 0) without λ_so."""
        if self.lambda_so is None or not self.textured:
            return 0.0, 0.0
        g = self.gas
        a = conv.impurity_coefficient(self.lambda_so, g)
        return a * g.kappa_eq * g.tau * g.D, 2 * g.J * g.tau / units.hbar


@dataclasses.dataclass
class VoltageResult:
    """DC response of a :class:`TextureVoltage`.

    Attributes
    ----------
    V:
        Open-circuit voltage φ(probe) − φ(ground) of a floating probe contact, volts, per
        contribution (:data:`CONTRIBUTIONS`), plus ``"local"`` (rashba + impurity) and
        ``"total"``.
    I:
        Short-circuit current leaving through the probe (both contacts at φ = 0), per
        contribution as ``V``; A for a 3D mesh, A/m for a 2D cross-section (per unit length
        of the missing axis), A·m⁻² … in 1D.
    mu_s:
        The DC spin accumulation (volts), a dolfinx Function of shape (3,).
    phi:
        contribution -> open-circuit potential φ (volts), dolfinx Functions.
    spin_balance:
        (∫ source, ∫ relaxation + reservoir outflow) in A (3D; A/m in 2D) per spin axis,
        shape (2, 3); the outflow is the discrete (residual) flux, so the two rows agree to
        solver accuracy: a check of the solve, and the spin current absorbed per axis.
    samples:
        Time samples per period used for the averages.
    conductance:
        G between the two contacts (S; S·m⁻¹ … per unit length in 2D), V = I/G.
    """

    V: dict
    I: dict
    mu_s: object
    phi: dict
    spin_balance: np.ndarray
    samples: int
    conductance: float = math.nan

    def summary(self) -> dict:
        """JSON-ready numbers."""
        return {"V": {k: float(v) for k, v in self.V.items()},
                "I": {k: float(v) for k, v in self.I.items()},
                "spin_balance": self.spin_balance.tolist(), "samples": self.samples,
                "conductance": float(self.conductance)}


def open_circuit(space, solver, rhs: dict, unit_rhs, probe_current, name: str):
    """Open-circuit fields by superposition (Thévenin; the problem is linear), shared by
    :class:`~kinetics.models.texture_charge.TextureVoltage` and its coupled back-action solve:
    the unit solve (potential 1 on the probe, no source) gives the probe conductance
    G = −I(unit); each contribution k of :data:`CONTRIBUTIONS` is solved short-circuited,
    its current I_k read at the probe, V_k = I_k/G, and the field becomes the open-circuit
    one, u_k + V_k·u_unit (a floating equipotential probe).

    Parameters
    ----------
    space:
        Function space of the solves.
    solver:
        Linear solver with ``solve(b, x)`` (the short-circuit operator).
    rhs, unit_rhs:
        PETSc right-hand sides per contribution and of the unit solve (destroyed here).
    probe_current:
        ``probe_current(function, k)``: current leaving through the probe (A; k None for
        the unit solve).
    name:
        Prefix of the Functions' names (``f"{name}_{k}"``).

    Returns
    -------
    (G, V, I, fields): G in S; V (V) and I (A) per contribution plus ``"local"`` (Rashba +
    impurity) and ``"total"``; the open-circuit Functions per contribution.
    """
    from dolfinx import fem
    unit = fem.Function(space, name="unit_probe")
    solver.solve(unit_rhs, unit.x.petsc_vec)
    unit.x.scatter_forward()
    unit_rhs.destroy()
    G = -probe_current(unit, None)
    V, I, fields = {}, {}, {}
    for k in CONTRIBUTIONS:
        f = fem.Function(space, name=f"{name}_{k}")
        solver.solve(rhs[k], f.x.petsc_vec)
        f.x.scatter_forward()
        rhs[k].destroy()
        I[k] = probe_current(f, k)
        V[k] = I[k] / G
        f.x.array[:] += V[k] * unit.x.array
        fields[k] = f
    for D in (V, I):
        D["local"] = D["rashba"] + D["impurity"]
        D["total"] = D["diffusive"] + D["local"]
    return G, V, I, fields
