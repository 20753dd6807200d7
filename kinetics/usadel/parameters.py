"""Parameters of a Usadel problem: per-region material data, reservoirs, and the packing of
γ, γ̃ into the 16 real components of the finite-element unknown.

Units: :mod:`kinetics.usadel.problem` (energies in a unit E₀, lengths in mesh units).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np

from kinetics import validation
from kinetics.usadel import bulk

__all__ = ["UsadelRegion", "Reservoir", "pack", "unpack", "delta_values", "bulk_guess",
           "coefficient_fields"]

_LIMIT = 1e8      # bound on |Δ|, |h|, rates, D in units of E₀ (and 1/bound as tiny)


@dataclasses.dataclass
class UsadelRegion:
    """Material parameters of one region (units: :mod:`kinetics.usadel.problem`).

    Attributes
    ----------
    delta:
        |Δ| ≥ 0 (a number), or a callable ``x -> complex array (N,)`` for Δ(r) with its
        phase (x: mesh coordinates, shape (3, N)); 0 in a normal metal.
    phase:
        Phase φ of a constant Δ = |Δ|e^{iφ} (radians); ignored for a callable delta.
    h:
        Exchange field (3,), energy units (sign: :mod:`kinetics.usadel.riccati`).
    D:
        Dimensionless diffusion coefficient D̂ > 0.
    tau_sf, tau_so:
        Spin-flip and spin–orbit scattering times (inverse energy units), > 0; ``inf``
        (default) switches the term off.
    gauge:
        SU(2) gauge field of spin–orbit coupling linear in momentum, a (3, 3) array
        ``A[k, b]`` (direction k, spin component b) in 1/(mesh length unit), the convention
        of :mod:`kinetics.physics.gauge` (e.g. ``rashba_dresselhaus(alpha) * L`` for a mesh
        unit of L metres); entered through the covariant derivative
        (:mod:`kinetics.usadel.forms`); only the rows k < mesh dimension act.  Default: none.
    tc0:
        Critical temperature k_B T_c0 ≥ 0 of the clean bulk material (energy units): the
        pairing interaction of the self-consistent gap equation
        (:mod:`kinetics.usadel.matsubara`); 0 (default): no pairing (a normal metal, or a Δ
        that is prescribed).
    theta, kappa:
        Spin Hall angle θ and spin-swapping coefficient κ of extrinsic spin–orbit scattering
        (seed 003 Eqs. 2–5; κ with the sign of seed Eq. 81, as
        :class:`kinetics.materials.Material`), dimensionless, |θ|, |κ| ≤ 1.  They enter the
        matrix current and the torque Ť of the retarded (and Matsubara) solve
        (:mod:`kinetics.usadel.extrinsic_forms`), of the Keldysh sector
        (:mod:`kinetics.usadel.kinetic`, :mod:`kinetics.usadel.keldysh`) and of the
        equilibrium torque and spin currents (:mod:`kinetics.usadel.torque`); not combined
        with ``gauge`` (ValueError from :class:`~kinetics.usadel.problem.UsadelProblem`).
        Elliott–Yafet relaxation is ``tau_so``.

    Raises
    ------
    ValueError
        For Δ < 0 or non-finite, non-finite phase or h, D ≤ 0, τ ≤ 0 or NaN, T_c0 < 0,
        a gauge field that is not a finite (3, 3) array, |θ| or |κ| > 1 or non-finite.
    """

    delta: float | Callable = 0.0
    phase: float = 0.0
    h: tuple = (0.0, 0.0, 0.0)
    D: float = 1.0
    tau_sf: float = math.inf
    tau_so: float = math.inf
    tc0: float = 0.0
    gauge: object = None
    theta: float = 0.0
    kappa: float = 0.0

    def __post_init__(self):
        own = "UsadelRegion"
        if not callable(self.delta):
            self.delta = validation.nonnegative(own, "delta", self.delta, limit=_LIMIT)
        self.phase = validation.finite(own, "phase", self.phase)
        self.h = validation.vector3(own, "h", self.h, limit=_LIMIT)
        self.D = validation.positive(own, "D", self.D, limit=_LIMIT)
        self.tau_sf = validation.positive(own, "tau_sf", self.tau_sf, allow_inf=True,
                                          limit=_LIMIT)
        self.tau_so = validation.positive(own, "tau_so", self.tau_so, allow_inf=True,
                                          limit=_LIMIT)
        self.tc0 = validation.nonnegative(own, "tc0", self.tc0, limit=_LIMIT)
        self.theta = validation.finite(own, "theta", self.theta, limit=1.0)
        self.kappa = validation.finite(own, "kappa", self.kappa, limit=1.0)
        self.gauge = (np.zeros((3, 3)) if self.gauge is None
                      else validation.matrix3(own, "gauge", self.gauge, limit=_LIMIT))


@dataclasses.dataclass
class Reservoir:
    """A rigid reservoir on a boundary: bulk BCS with |Δ| ≥ 0, phase φ and exchange field h
    (Δ = 0: a normal reservoir, γ = γ̃ = 0).  Raises ValueError like :class:`UsadelRegion`."""

    delta: float = 0.0
    phase: float = 0.0
    h: tuple = (0.0, 0.0, 0.0)

    def __post_init__(self):
        self.delta = validation.nonnegative("Reservoir", "delta", self.delta, limit=_LIMIT)
        self.phase = validation.finite("Reservoir", "phase", self.phase)
        self.h = validation.vector3("Reservoir", "h", self.h, limit=_LIMIT)

    def riccati(self, eps: float, eta: float):
        """(γ, γ̃) 2×2 of the reservoir at energy ε (:func:`kinetics.usadel.bulk.bulk_riccati`)."""
        if self.delta == 0.0:
            return np.zeros((2, 2), complex), np.zeros((2, 2), complex)
        return bulk.bulk_riccati(eps, self.delta, eta, self.phase, self.h)


def pack(gamma, gamma_t) -> np.ndarray:
    """The 16 real components u (layout :data:`kinetics.usadel.forms.LAYOUT`) of γ, γ̃
    (..., 2, 2) → (..., 16)."""
    g = np.asarray(gamma, complex).reshape(*np.shape(gamma)[:-2], 4)
    gt = np.asarray(gamma_t, complex).reshape(*np.shape(gamma_t)[:-2], 4)
    return np.concatenate([g.real, g.imag, gt.real, gt.imag], axis=-1)


def unpack(u) -> tuple[np.ndarray, np.ndarray]:
    """(γ, γ̃) (..., 2, 2) from u (..., 16) (inverse of :func:`pack`)."""
    u = np.asarray(u, dtype=float)
    g = (u[..., 0:4] + 1j * u[..., 4:8]).reshape(*u.shape[:-1], 2, 2)
    gt = (u[..., 8:12] + 1j * u[..., 12:16]).reshape(*u.shape[:-1], 2, 2)
    return g, gt


def delta_values(reg, name, x):
    """(2, N) array (Re Δ, Im Δ), energy units, of the :class:`UsadelRegion` ``reg`` (named
    ``name`` in messages) at points x (3, N) in mesh coordinates.

    Raises
    ------
    ValueError
        When a callable Δ returns another shape than (N,) or non-finite values."""
    if callable(reg.delta):
        val = np.asarray(reg.delta(x), dtype=complex).reshape(-1)
        if val.shape != (x.shape[1],) or not np.all(np.isfinite(val)):
            raise ValueError(f"region '{name}': delta(x) must return {x.shape[1]} finite "
                             f"complex values, got shape {val.shape}")
    else:
        val = np.full(x.shape[1], reg.delta * np.exp(1j * reg.phase))
    return np.vstack([val.real, val.imag])


def bulk_guess(reg, eps, eta, x):
    """(16, N) array: the packed (γ, γ̃) (:func:`pack`) of the local bulk solution of the
    :class:`UsadelRegion` ``reg`` at ε + iη (energy units) and points x (3, N), mesh
    coordinates: BCS (Zeeman-split with h) for Δ > 0, 0 in a normal metal; the initial
    guess of :class:`kinetics.usadel.problem.UsadelProblem`."""
    if callable(reg.delta):
        d = np.asarray(reg.delta(x), dtype=complex).reshape(-1)
        z = eps + 1j * eta
        s = bulk.retarded_sqrt(z * z - np.abs(d) ** 2)
        isy = bulk.riccati.ISY
        return pack((d / (z + s))[:, None, None] * isy,
                    (-np.conj(d) / (z + s))[:, None, None] * isy).T
    if reg.delta > 0:
        gam, gam_t = bulk.bulk_riccati(eps, reg.delta, eta, reg.phase, reg.h)
    else:
        gam, gam_t = np.zeros((2, 2)), np.zeros((2, 2))
    return np.tile(pack(gam, gam_t)[:, None], (1, x.shape[1]))


def coefficient_fields(device, regions: dict, degree: int, delta_field: bool):
    """The region parameters of a :class:`~kinetics.usadel.problem.UsadelProblem` as
    Functions on ``device.mesh``: ``(coef, delta, soc, gauge)`` with

    - ``coef``: DG0 (h_x, h_y, h_z, D, 1/τ_sf, 1/τ_so) (energy units, D in energy × length²);
    - ``delta``: Δ = (Re, Im) in DG(``degree``) when ``delta_field`` or a region's Δ is a
      callable (:func:`delta_values`), else DG0;
    - ``soc``: DG0 (θ, κ) of seed 003, None when every region has θ = κ = 0;
    - ``gauge``: DG0 A[k, b] (9 components, row-major, 1/length), None when no region has one.

    ``regions`` maps every region name of ``device`` to its :class:`UsadelRegion`."""
    from dolfinx import fem
    msh = device.mesh

    def cells(name):
        return device.cell_tags.find(device.region_tag(name))

    def piecewise(name, values):
        size = len(next(iter(values.values())))
        f = fem.Function(fem.functionspace(msh, ("DG", 0, (size,))), name=name)
        for region, vals in values.items():
            vals = np.asarray(vals, dtype=float)
            f.interpolate(lambda x, vals=vals: np.tile(vals[:, None], (1, x.shape[1])),
                          cells0=cells(region))
        f.x.scatter_forward()
        return f

    coef = piecewise("coefficients", {n: [*r.h, r.D, 1.0 / r.tau_sf, 1.0 / r.tau_so]
                                      for n, r in regions.items()})
    field = delta_field or any(callable(r.delta) for r in regions.values())
    delta = fem.Function(fem.functionspace(msh, ("DG", degree if field else 0, (2,))),
                         name="delta")
    for name, reg in regions.items():
        delta.interpolate(lambda x, reg=reg, name=name: delta_values(reg, name, x),
                          cells0=cells(name))
    delta.x.scatter_forward()
    soc = (piecewise("theta_kappa", {n: [r.theta, r.kappa] for n, r in regions.items()})
           if any(r.theta != 0 or r.kappa != 0 for r in regions.values()) else None)
    gauge = (piecewise("gauge", {n: r.gauge.reshape(9) for n, r in regions.items()})
             if any(np.any(r.gauge != 0) for r in regions.values()) else None)
    return coef, delta, soc, gauge
