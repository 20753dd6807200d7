"""Prescribed localized-spin textures S(x, t) for the seed-002 spin-pumping model.

Two kinds of input, both bound to a device before use (:meth:`bind`):

:class:`AnalyticTexture`
    ``func(t, x)`` returns a UFL 3-vector of the time t (s) and the SI coordinate x (m).
    Ṡ is computed by exact UFL differentiation, and so are ∇S, ∇Ṡ and ∇²S.
:class:`SampledTexture`
    An array sampled on a regular grid in time, e.g. a micromagnetic time series
    (mumax3/OOMMF output).  It is either uniform in space, shape (n_t, 3), or given on a
    regular spatial grid, shape ``(n_t, *grid_shape, 3)``.  In space it is interpolated
    (multi-linear) onto the Lagrange nodes.  In time, a periodic series (one period, uniform
    steps) uses trigonometric (FFT) interpolation.  This is exact for band-limited data and
    gives a spectrally accurate Ṡ.  A non-periodic series uses a cubic spline.

|S| carries the magnitude of the localized spin (dimensionless; seed 002 lets S have a
magnitude).  A bound texture (:class:`BoundTexture`) has the UFL fields ``S`` and ``Sdot`` at
the time set by :meth:`BoundTexture.set_time`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np

from kinetics import validation

__all__ = ["AnalyticTexture", "SampledTexture", "BoundTexture", "precessing_texture", "nonzero"]


def si_coordinate(device):
    """The SI coordinate (m) as a UFL 3-vector, zero along axes the mesh does not span."""
    import ufl
    x = ufl.SpatialCoordinate(device.mesh)
    L = device.length_unit
    return ufl.as_vector([L * x[device.axes.index(a)] if a in device.axes else 0.0 for a in "xyz"])


@dataclasses.dataclass
class BoundTexture:
    """A texture attached to a device.

    Attributes
    ----------
    t:
        dolfinx Constant holding the current time (s).
    S, Sdot:
        UFL 3-vectors at the current time (Ṡ in 1/s).
    period:
        Period in seconds, or None.
    analytic:
        True when S is an exact UFL expression, so that second derivatives are exact.
    n_frames:
        Number of time samples of a SampledTexture (None for an analytic one).
    """

    t: object
    S: object
    Sdot: object
    period: float | None
    analytic: bool
    _update: Callable | None = None
    t_range: tuple | None = None
    n_frames: int | None = None

    def set_time(self, t: float) -> None:
        """Set the texture to time ``t`` (s).

        Raises
        ------
        TypeError
            For a t that is not a number.
        kinetics.validation.ValidationError
            For a non-finite t and, for a non-periodic sampled series, a t outside the
            sampled interval.
        """
        t = validation.finite("texture", "t", t, kind="a number (seconds)")
        if self.t_range is not None and not (self.t_range[0] - 1e-12 * abs(self.t_range[1])
                                             <= t <= self.t_range[1] * (1 + 1e-12)):
            t0, t1 = self.t_range
            raise validation.ValidationError(
                "SampledTexture", "t", f"inside the sampled interval [{t0:g}, {t1:g}] s",
                f"{t:g} s, outside the sampled interval")
        self.t.value = float(t)
        if self._update is not None:
            self._update(float(t))


@dataclasses.dataclass(frozen=True)
class AnalyticTexture:
    """S(t, x) given by a UFL function.

    Parameters
    ----------
    func:
        ``func(t, x)`` returns a 3-vector (list or UFL).  t is a UFL variable in seconds and
        x the SI coordinate (UFL 3-vector, m).
    period:
        Period in seconds, needed by the frequency-domain solver.  None for a non-periodic S.

    Raises
    ------
    TypeError
        If func is not callable or the period is not a number.
    kinetics.validation.ValidationError
        For a period that is not positive and finite or outside
        :data:`kinetics.physics.pumping.PERIOD_RANGE`.
    """

    func: Callable
    period: float | None = None

    def __post_init__(self):
        from kinetics.physics.pumping import check_time_function
        object.__setattr__(self, "period",
                           check_time_function("AnalyticTexture", self.func, self.period))

    def bind(self, device, degree: int = 1) -> BoundTexture:
        """Attach to ``device``: returns a :class:`BoundTexture`."""
        import ufl
        from dolfinx import fem
        t = fem.Constant(device.mesh, np.float64(0.0))
        tv = ufl.variable(t)
        S = ufl.as_vector(self.func(tv, si_coordinate(device)))
        if S.ufl_shape != (3,):
            raise validation.ValidationError("AnalyticTexture", "func",
                                             "a function returning a 3-vector",
                                             f"one returning shape {S.ufl_shape}")
        return BoundTexture(t, S, ufl.diff(S, tv), self.period, True)


def precessing_texture(axis=(0, 0, 1), cone_angle: float = 0.1,
                       Omega: float = 2 * math.pi * 1e10, magnitude: float = 1.0,
                       wavevector=(0.0, 0.0, 0.0), profile: Callable | None = None
                       ) -> AnalyticTexture:
    """Circular precession, optionally a spin wave and/or with a position-dependent cone angle:

        S = S₀ [cos θ(x) â + sin θ(x) (cos ψ ê₁ + sin ψ ê₂)],   ψ = Ωt − k·x

    with ê₁, ê₂ as in :class:`kinetics.physics.pumping.Precession`.  For a uniform θ,
    direct substitution gives S×Ṡ = S₀²Ω sin θ (−cos θ (cos ψ ê₁ + sin ψ ê₂) + sin θ â).

    Parameters
    ----------
    axis, cone_angle, Omega:
        Precession axis, cone angle θ (rad), angular frequency Ω (rad/s, non-zero).
    magnitude:
        S₀.
    wavevector:
        k (1/m), for a travelling spin wave.
    profile:
        Optional ``profile(x)`` returning a UFL scalar in [0, 1] that multiplies θ, e.g.
        a smooth FM|NM junction (a tanh step).

    Raises
    ------
    TypeError
        For numbers that are not numbers or a profile that is not callable.
    kinetics.validation.ValidationError
        (a ValueError) For a bad axis, a cone angle outside [0, π/2], Ω = 0 or beyond
        :data:`kinetics.physics.pumping.OMEGA_LIMIT`, a magnitude that is not finite or
        exceeds 1e6, a wavevector that is not a finite 3-vector (|k| <= 1e12 1/m).
    """
    import ufl
    from kinetics.physics.pumping import Precession
    owner = "precessing_texture"
    prec = Precession(axis=axis, cone_angle=cone_angle, omega=Omega)
    a, e1, e2 = prec.basis
    cone_angle, Omega = prec.cone_angle, prec.omega
    magnitude = validation.finite(owner, "magnitude", magnitude, limit=1e6)
    k = validation.vector3(owner, "wavevector", wavevector, limit=1e12)
    if profile is not None and not callable(profile):
        raise TypeError(f"{owner}: profile must be callable profile(x) or None, got {profile!r}")

    def func(t, x):
        psi = Omega * t - sum(float(k[i]) * x[i] for i in range(3))
        th = cone_angle * profile(x) if profile is not None else cone_angle
        cos_t, sin_t = (ufl.cos(th), ufl.sin(th)) if profile is not None \
            else (math.cos(th), math.sin(th))
        return [magnitude * (cos_t * a[i] + sin_t * (ufl.cos(psi) * e1[i] + ufl.sin(psi) * e2[i]))
                for i in range(3)]

    return AnalyticTexture(func, period=prec.period)


class SampledTexture:
    """A texture sampled on a regular grid in time (and optionally in space).

    Parameters
    ----------
    times:
        Sample times (s), shape (n_t,), strictly increasing.  Periodic series must be
        uniform and cover exactly one period without repeating the first frame, so the
        period is n_t Δt.
    values:
        S at the samples: shape (n_t, 3) for a uniform texture, or ``(n_t, *grid_shape, 3)`` on
        a regular spatial grid.
    grid:
        For gridded values: one coordinate array (m) per axis of the device, in the order of
        ``Device.axes``, with lengths matching grid_shape.
    periodic:
        True: FFT (trigonometric) interpolation in time.  False: cubic spline.

    Raises
    ------
    kinetics.validation.ValidationError
        (a ValueError) Arrays that are not finite numbers or have the wrong shapes,
        fewer than 4 or non-increasing or (periodic) non-uniform times, grid coordinates
        that do not match the values or (at :meth:`bind`) do not cover the mesh.
    TypeError
        A ``periodic`` that is not a bool.
    """

    def __init__(self, times, values, grid=None, periodic: bool = False):
        owner = "SampledTexture"
        self.times = validation.array(owner, "times", times, (None,),
                                      what="a finite 1D array of times (s)")
        nt = len(self.times)
        if nt < 4 or np.any(np.diff(self.times) <= 0):
            raise validation.ValidationError(
                owner, "times", "a strictly increasing 1D array with >= 4 entries",
                f"{nt} entries" if nt < 4 else "non-increasing times")
        self.values = validation.array(owner, "values", values,
                                       what="a finite array of S (n_t, ..., 3)")
        if self.values.ndim < 2 or self.values.shape[0] != nt or self.values.shape[-1] != 3:
            raise validation.ValidationError(
                owner, "values", f"one frame per time, n_t = {nt}", f"shape {self.values.shape}",
                "values must have shape (n_t, 3) for a uniform texture or (n_t, *grid_shape, 3) "
                "on a grid")
        spatial = self.values.shape[1:-1]
        if grid is not None and (isinstance(grid, (str, bytes)) or not hasattr(grid, "__len__")):
            raise validation.ValidationError(owner, "grid", "a list of coordinate arrays",
                                             repr(grid))
        self.grid = None if grid is None else [
            validation.array(owner, f"grid[{k}]", g, (None,), what="a finite 1D array (m)")
            for k, g in enumerate(grid)]
        if (self.grid is None) != (len(spatial) == 0):
            raise validation.ValidationError(
                owner, "grid", "given exactly when values have spatial axes",
                f"{'no grid' if self.grid is None else 'a grid'} for values of shape "
                f"{self.values.shape}")
        if self.grid is not None and tuple(len(g) for g in self.grid) != spatial:
            raise validation.ValidationError(
                owner, "grid", f"of lengths matching the spatial shape {spatial} of values",
                f"grid lengths {[len(g) for g in self.grid]} that do not match")
        if self.grid is not None:
            for k, g in enumerate(self.grid):
                if len(g) < 2 or np.any(np.diff(g) <= 0):
                    raise validation.ValidationError(owner, f"grid[{k}]",
                                                     "strictly increasing with >= 2 entries",
                                                     repr(g.tolist()))
        self.periodic = validation.boolean(owner, "periodic", periodic)
        dt = np.diff(self.times)
        if self.periodic and not np.allclose(dt, dt[0], rtol=1e-9):
            raise validation.ValidationError(
                owner, "times", "uniformly spaced (a periodic series needs uniform time steps)",
                f"steps from {dt.min():g} to {dt.max():g} s")
        self.period = nt * dt[0] if self.periodic else None

    def _frames_at(self, device, coords_si) -> np.ndarray:
        """Spatially interpolated frames, shape (n_t, n_points, 3)."""
        nt, npts = len(self.times), len(coords_si)
        if self.grid is None:
            return np.broadcast_to(self.values[:, None, :], (nt, npts, 3)).copy()
        from scipy.interpolate import RegularGridInterpolator
        axes = device.axes
        if len(self.grid) != len(axes):
            raise validation.ValidationError(
                "SampledTexture", "grid", f"one coordinate array per device axis ({axes!r})",
                f"{len(self.grid)} arrays")
        pts = np.column_stack([coords_si[:, "xyz".index(a)] for a in axes])
        # the mesh extent over all ranks, so that every rank takes the same decision
        n = len(axes)
        ext = device.comm.allgather((pts.min(axis=0), pts.max(axis=0)) if len(pts) else
                                    (np.full(n, np.inf), np.full(n, -np.inf)))
        lo = np.min([e[0] for e in ext], axis=0)
        hi = np.max([e[1] for e in ext], axis=0)
        for k, (g, a) in enumerate(zip(self.grid, axes)):
            tol = 1e-9 * max(abs(g[0]), abs(g[-1]), g[-1] - g[0])
            if lo[k] < g[0] - tol or hi[k] > g[-1] + tol:
                raise validation.ValidationError(
                    "SampledTexture", f"grid[{k}]", "covering the mesh",
                    f"[{g[0]:g}, {g[-1]:g}] m",
                    f"the grid along {a} spans [{g[0]:g}, {g[-1]:g}] m but the mesh spans "
                    f"[{lo[k]:g}, {hi[k]:g}] m")
        vals = np.moveaxis(self.values, 0, -2)          # (*grid, n_t, 3)
        interp = RegularGridInterpolator(self.grid, vals, bounds_error=False, fill_value=None)
        return np.moveaxis(interp(pts), 1, 0)           # (n_t, n_points, 3)

    def bind(self, device, degree: int = 1) -> BoundTexture:
        """Interpolate onto a vector Lagrange space of ``degree``: returns a
        :class:`BoundTexture`."""
        from dolfinx import fem
        V = fem.functionspace(device.mesh, ("Lagrange", degree, (3,)))
        coords = V.tabulate_dof_coordinates() * device.length_unit
        frames = self._frames_at(device, coords)        # (n_t, n_nodes, 3)
        S, Sdot = fem.Function(V, name="S"), fem.Function(V, name="S_dot")
        t0, nt = self.times[0], len(self.times)
        if self.periodic:
            C = np.fft.rfft(frames, axis=0) / nt
            k = np.arange(C.shape[0])
            weight = np.where((k == 0) | (2 * k == nt), 1.0, 2.0)
            P = self.period

            def update(t):
                ph = weight * np.exp(2j * np.pi * k * (t - t0) / P)
                S.x.array[:] = np.tensordot(ph, C, axes=(0, 0)).real.reshape(-1)
                Sdot.x.array[:] = np.tensordot(2j * np.pi * k / P * ph, C,
                                               axes=(0, 0)).real.reshape(-1)
            t_range = None
        else:
            from scipy.interpolate import CubicSpline
            spline = CubicSpline(self.times, frames.reshape(nt, -1), axis=0)

            def update(t):
                S.x.array[:] = spline(t)
                Sdot.x.array[:] = spline(t, 1)
            t_range = (float(self.times[0]), float(self.times[-1]))
        t = fem.Constant(device.mesh, np.float64(t0))
        update(t0)
        return BoundTexture(t, S, Sdot, self.period, False, update, t_range, nt)


def nonzero(e):
    """None for None or an expression that is identically zero (after expanding derivatives,
    e.g. Ṡ of a static texture); otherwise e."""
    if e is None:
        return None
    import ufl
    from ufl.algorithms import expand_derivatives
    from ufl.constantvalue import Zero
    if isinstance(e, Zero) or isinstance(expand_derivatives(ufl.as_ufl(e)), Zero):
        return None
    return e
