"""Prescribed localized-spin textures S(x, t) for the seed-002 spin-pumping model.

Two kinds of input, both bound to a device before use (:meth:`bind`):

:class:`AnalyticTexture`
    ``func(t, x)`` returns a UFL 3-vector of the time t (s) and the SI coordinate x (m).
    Ṡ is computed by exact UFL differentiation, and so are ∇S, ∇Ṡ and ∇²S.
:class:`SampledTexture`
    An array sampled on a regular grid in time, e.g. a micromagnetic time series
    (mumax3/OOMMF output).  It is either uniform in space, shape (n_t, 3), or given on a
    regular spatial grid, shape (n_t, *grid_shape, 3).  In space it is interpolated
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
        ValueError
            For a non-periodic sampled series, if t is outside the sampled interval.
        """
        if self.t_range is not None and not (self.t_range[0] - 1e-12 * abs(self.t_range[1])
                                             <= t <= self.t_range[1] * (1 + 1e-12)):
            raise ValueError(f"t = {t:g} s is outside the sampled interval {self.t_range} s")
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
        If func is not callable.
    ValueError
        For a non-positive period.
    """

    func: Callable
    period: float | None = None

    def __post_init__(self):
        from kinetics.physics.pumping import check_time_function
        check_time_function("AnalyticTexture", self.func, self.period)

    def bind(self, device, degree: int = 1) -> BoundTexture:
        """Attach to ``device``: returns a :class:`BoundTexture`."""
        import ufl
        from dolfinx import fem
        t = fem.Constant(device.mesh, np.float64(0.0))
        tv = ufl.variable(t)
        S = ufl.as_vector(self.func(tv, si_coordinate(device)))
        if S.ufl_shape != (3,):
            raise ValueError(f"AnalyticTexture: func must return a 3-vector, got shape {S.ufl_shape}")
        return BoundTexture(t, S, ufl.diff(S, tv), self.period, True)


def precessing_texture(axis=(0, 0, 1), cone_angle: float = 0.1, Omega: float = 2 * math.pi * 1e10,
                       magnitude: float = 1.0, wavevector=(0.0, 0.0, 0.0), profile: Callable | None = None
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
    ValueError
        For a bad axis, a cone angle outside [0, π/2], or Ω = 0.
    """
    import ufl
    from kinetics.physics.pumping import Precession
    prec = Precession(axis=axis, cone_angle=cone_angle, omega=Omega)
    a, e1, e2 = prec.basis
    k = np.asarray(wavevector, dtype=float)

    def func(t, x):
        psi = Omega * t - sum(float(k[i]) * x[i] for i in range(3))
        th = cone_angle * profile(x) if profile is not None else cone_angle
        cos_t, sin_t = (ufl.cos(th), ufl.sin(th)) if profile is not None else (math.cos(th), math.sin(th))
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
        S at the samples: shape (n_t, 3) for a uniform texture, or (n_t, *grid_shape, 3) on
        a regular spatial grid.
    grid:
        For gridded values: one coordinate array (m) per axis of the device, in the order of
        ``Device.axes``, with lengths matching grid_shape.
    periodic:
        True: FFT (trigonometric) interpolation in time.  False: cubic spline.

    Raises
    ------
    ValueError
        Wrong shapes, non-increasing or non-uniform (periodic) times, a grid that does not
        match the values or does not cover the mesh (at :meth:`bind`), or non-finite data.
    """

    def __init__(self, times, values, grid=None, periodic: bool = False):
        self.times = np.asarray(times, dtype=float)
        self.values = np.asarray(values, dtype=float)
        nt = len(self.times)
        if self.times.ndim != 1 or nt < 4 or np.any(np.diff(self.times) <= 0):
            raise ValueError("SampledTexture: times must be a strictly increasing 1D array with >= 4 entries")
        if self.values.shape[0] != nt or self.values.shape[-1] != 3:
            raise ValueError(f"SampledTexture: values must have shape (n_t, ..., 3) with n_t = {nt}, "
                             f"got {self.values.shape}")
        if not np.all(np.isfinite(self.values)):
            raise ValueError("SampledTexture: values contain NaN or Inf")
        self.grid = None if grid is None else [np.asarray(g, dtype=float) for g in grid]
        spatial = self.values.shape[1:-1]
        if (self.grid is None) != (len(spatial) == 0):
            raise ValueError("SampledTexture: give grid coordinates exactly when values have spatial axes")
        if self.grid is not None and tuple(len(g) for g in self.grid) != spatial:
            raise ValueError(f"SampledTexture: grid lengths {[len(g) for g in self.grid]} do not match "
                             f"the spatial shape {spatial} of values")
        self.periodic = bool(periodic)
        dt = np.diff(self.times)
        if self.periodic and not np.allclose(dt, dt[0], rtol=1e-9):
            raise ValueError("SampledTexture: a periodic series needs uniform time steps")
        self.period = nt * dt[0] if self.periodic else None

    def _frames_at(self, device, coords_si) -> np.ndarray:
        """Spatially interpolated frames, shape (n_t, n_points, 3)."""
        nt, npts = len(self.times), len(coords_si)
        if self.grid is None:
            return np.broadcast_to(self.values[:, None, :], (nt, npts, 3)).copy()
        from scipy.interpolate import RegularGridInterpolator
        axes = device.axes
        if len(self.grid) != len(axes):
            raise ValueError(f"SampledTexture: the grid has {len(self.grid)} axes, the device spans {axes!r}")
        pts = np.column_stack([coords_si[:, "xyz".index(a)] for a in axes])
        for k, (g, a) in enumerate(zip(self.grid, axes)):
            tol = 1e-9 * max(abs(g[0]), abs(g[-1]), g[-1] - g[0])
            if pts[:, k].min() < g[0] - tol or pts[:, k].max() > g[-1] + tol:
                raise ValueError(f"SampledTexture: the grid along {a} spans [{g[0]:g}, {g[-1]:g}] m but "
                                 f"the mesh spans [{pts[:, k].min():g}, {pts[:, k].max():g}] m")
        vals = np.moveaxis(self.values, 0, -2)          # (*grid, n_t, 3)
        interp = RegularGridInterpolator(self.grid, vals, bounds_error=False, fill_value=None)
        return np.moveaxis(interp(pts), 1, 0)           # (n_t, n_points, 3)

    def bind(self, device, degree: int = 1) -> BoundTexture:
        """Interpolate onto a vector Lagrange space of ``degree``: returns a :class:`BoundTexture`."""
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
                Sdot.x.array[:] = np.tensordot(2j * np.pi * k / P * ph, C, axes=(0, 0)).real.reshape(-1)
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
