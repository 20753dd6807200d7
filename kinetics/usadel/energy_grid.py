"""An energy grid that refines itself where the measured spectrum bends (gap edges, coherence
peaks, minigaps): :func:`adaptive_sweep`.

Start: the caller's coarse, strictly increasing grid, solved in order with continuation
(:meth:`~kinetics.usadel.problem.UsadelProblem.sweep`).  Each round then tests every interior
energy ε_i of the current grid: the measured values y_i are compared with the linear
interpolation of its neighbours,

    d_i = max_k | y_ik − [y_(i−1)k + (y_(i+1)k − y_(i−1)k) w_i] |,
    w_i = (ε_i − ε_(i−1)) / (ε_(i+1) − ε_(i−1))

(max over the components k of the measurement: probes, spins, ...).  Where d_i > ``tol`` both
intervals next to ε_i get their midpoint, unless the new spacing would fall below
``min_spacing``.  A midpoint is solved from the stored solution of its lower neighbour (the
problem holds one state, so the owned dof arrays of every solved energy are kept, memory
n_energies × n_dofs), its Newton step halved when it fails (as in ``sweep``).  The rounds stop
when no interval needs refinement, when only intervals at ``min_spacing`` do, or when
``max_points`` is reached; the last two leave the criterion unmet somewhere and are reported
(``on_limit``).

MPI: the deviations are reduced over the ranks (MPI.MAX) before any decision, so every rank
builds the same grid; with a measurement that is the same on every rank (the default DOS at
probes, gathered) the grid does not depend on the number of ranks beyond the Newton
tolerance.

A feature narrower than the coarse spacing that leaves no trace at the coarse energies (the
three-point test sees nothing) is not found: start from a grid fine enough to see every
feature once.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable

import numpy as np

from kinetics import validation

__all__ = ["AdaptiveSweep", "adaptive_sweep", "interpolation_deviation"]

_OWNER = "adaptive_sweep"


@dataclasses.dataclass
class AdaptiveSweep:
    """Result of :func:`adaptive_sweep`.

    Attributes
    ----------
    energies:
        (n,) sorted energies (energy units of the problem).
    values:
        (n, ...) the measurements at those energies (the shape of one measurement after n).
    iterations:
        (n,) Newton iterations of each energy (intermediate continuation steps included).
    solves:
        Number of energies solved (n).
    rounds:
        Refinement rounds done (0: the coarse grid already met the criterion).
    converged:
        True when every interior energy meets the criterion (d_i ≤ tol).
    reason:
        ``"converged"``, ``"min_spacing"`` or ``"max_points"``.
    """

    energies: np.ndarray
    values: np.ndarray
    iterations: np.ndarray
    solves: int
    rounds: int
    converged: bool
    reason: str

    @property
    def newton_iterations(self) -> int:
        """Total Newton iterations of the sweep."""
        return int(np.sum(self.iterations))


def interpolation_deviation(energies, values) -> np.ndarray:
    """d_i (n,) of the module docstring: the largest deviation, over the components, of each
    interior measurement from the linear interpolation of its two neighbours; 0 at the two
    ends.  ``energies`` (n,) strictly increasing, ``values`` (n, ...) (units of the values).

    Raises
    ------
    ValueError
        For non-finite input, mismatched lengths or a grid that is not strictly increasing.
    """
    e = validation.array("interpolation_deviation", "energies", energies, (None,))
    y = validation.array("interpolation_deviation", "values", values)
    if y.ndim == 0 or y.shape[0] != e.size:
        raise validation.ValidationError("interpolation_deviation", "values",
                                         f"an array with {e.size} rows", f"shape {y.shape}")
    if np.any(np.diff(e) <= 0):
        raise validation.ValidationError("interpolation_deviation", "energies",
                                         "strictly increasing", "a non-increasing grid")
    y = y.reshape(e.size, -1)
    d = np.zeros(e.size)
    if e.size > 2:
        w = ((e[1:-1] - e[:-2]) / (e[2:] - e[:-2]))[:, None]
        line = y[:-2] + (y[2:] - y[:-2]) * w
        d[1:-1] = np.abs(y[1:-1] - line).max(axis=1, initial=0.0)
    return d


def _check(energies, tol, max_points, min_spacing, on_limit):
    e = validation.array(_OWNER, "energies", energies, (None,), limit=1e12)
    if e.size < 2:
        raise validation.ValidationError(_OWNER, "energies", "a grid of at least 2 energies",
                                         f"{e.size} energies")
    if np.any(np.diff(e) <= 0):
        i = int(np.flatnonzero(np.diff(e) <= 0)[0])
        raise validation.ValidationError(_OWNER, "energies", "strictly increasing",
                                         f"{e[i]:g} followed by {e[i + 1]:g}")
    tol = validation.positive(_OWNER, "tol", tol, limit=1e6, tiny=1e-12)
    max_points = validation.integer(_OWNER, "max_points", max_points, e.size, 100_000)
    span = float(e[-1] - e[0])
    if min_spacing is None:
        min_spacing = 1e-6 * span
    min_spacing = validation.positive(_OWNER, "min_spacing", min_spacing, limit=span,
                                      tiny=1e-300)
    # never below the float resolution of the grid: a midpoint must differ from both ends
    min_spacing = max(min_spacing, 1e-12 * max(span, float(np.abs(e).max())))
    on_limit = validation.choice(_OWNER, "on_limit", on_limit, ("warn", "raise", "ignore"))
    return e, tol, max_points, min_spacing, on_limit


def adaptive_sweep(problem, energies, measure: Callable | None = None, *, points=None,
                   tol: float, max_points: int = 200, min_spacing: float | None = None,
                   initial: str | None = "auto", on_limit: str = "warn",
                   max_halvings: int = 8) -> AdaptiveSweep:
    """Solve ``problem`` on an energy grid refined where the measurement bends (module
    docstring: the criterion d_i ≤ ``tol``, midpoint insertion, continuation from stored
    solutions).

    Parameters
    ----------
    problem:
        A :class:`~kinetics.usadel.problem.UsadelProblem` (its ``u`` is overwritten; at the
        end it holds the solution of the last energy solved, not the highest one).
    energies:
        (n,) coarse start, strictly increasing, n ≥ 2 (energy units).
    measure:
        ``measure(problem) -> array`` of a fixed shape, called once after each solve with
        the problem at that energy (``problem.energy``); collective, the same on every rank
        (e.g. :func:`kinetics.usadel.observables.dos_at`).  Default: the DOS at ``points``.
    points:
        (N, 3) probe points in mesh units for the default measurement.
    tol:
        Absolute tolerance of the criterion, in the units of the measurement (normal-state
        DOS for the default), > 0.
    max_points:
        Largest number of energies (≥ n).  When the next round would exceed it, the
        intervals next to the largest deviations are refined first up to the limit.
    min_spacing:
        Smallest spacing a midpoint may create (energy units, > 0, at most the span of
        ``energies``); default 1e-6 of the span; never below 1e-12 of max(span, max |ε|)
        (the float resolution of the grid).
    initial:
        Starting point at the first energy (:meth:`UsadelProblem.initial_guess`), or None to
        continue from the current solution.
    on_limit:
        When ``max_points`` or ``min_spacing`` stops the refinement with the criterion unmet:
        ``"warn"`` (a RuntimeWarning naming the limit and the largest deviation left; the
        result is still returned, ``converged`` False), ``"raise"`` (RuntimeError) or
        ``"ignore"``.
    max_halvings:
        Step halvings of a failing continuation step (see ``sweep``).

    Returns
    -------
    :class:`AdaptiveSweep`: sorted energies (m,), values (m, ...), Newton iterations (m,),
    the number of solves, rounds, ``converged`` and ``reason``.

    Raises
    ------
    ValueError
        For fewer than 2 energies, a non-increasing or non-finite grid, tol ≤ 0 or
        non-finite, max_points < n, a bad min_spacing or on_limit, neither ``measure`` nor
        ``points``, points outside the mesh (before any solve), or a measurement that
        changes shape or is not finite.
    RuntimeError
        With ``on_limit="raise"`` when a limit stops the refinement.
    kinetics.solvers.linear.SolverError
        When Newton fails at an energy (the message names it).
    """
    from mpi4py import MPI
    e0, tol, max_points, min_spacing, on_limit = _check(energies, tol, max_points,
                                                        min_spacing, on_limit)
    if measure is None:
        if points is None:
            raise validation.ValidationError(_OWNER, "measure", "a callable, or probe points "
                                             "given as points=", "neither")
        from kinetics.usadel.observables import dos_at
        pts = validation.array(_OWNER, "points", points, (None, 3))
        problem.evaluate(pts)                   # ValueError now for points outside the mesh
        measure = (lambda p: dos_at(p, pts))
    elif not callable(measure):
        raise validation.ValidationError(_OWNER, "measure", "a callable", repr(measure))
    comm = problem.mesh.comm
    n_own = problem.space.dofmap.index_map.size_local * problem.space.dofmap.index_map_bs
    state: dict[float, tuple] = {}      # energy -> (values, owned dofs, iterations)
    shape: list = []

    def record(p, eps):
        y = np.asarray(measure(p), dtype=float)
        if not shape:
            shape.append(y.shape)
        if y.shape != shape[0] or not np.all(np.isfinite(y)):
            raise validation.ValidationError(_OWNER, "measure", f"finite arrays of shape "
                                             f"{shape[0]}", f"shape {y.shape} at eps = "
                                             f"{eps:.10g}" if y.shape != shape[0] else
                                             f"non-finite values at eps = {eps:.10g}")
        state[float(eps)] = [y, p.u.x.array[:n_own].copy(), 0]

    its = problem.sweep(e0, initial=initial, max_halvings=max_halvings, callback=record)
    for eps, it in zip(e0, its):
        state[float(eps)][2] = int(it)
    rounds, reason = 0, "converged"
    while True:
        grid = np.array(sorted(state))
        values = np.stack([state[x][0] for x in grid])
        local = interpolation_deviation(grid, values)
        dev = np.empty_like(local)
        comm.Allreduce(local, dev, op=MPI.MAX)          # the same decisions on every rank
        flagged = np.zeros(grid.size - 1)              # interval -> deviation that asks
        for i in np.flatnonzero(dev > tol):
            for j in (i - 1, i):
                flagged[j] = max(flagged[j], dev[i])
        width = np.diff(grid)
        wanted = np.flatnonzero(flagged > 0)
        if wanted.size == 0:
            break
        todo = wanted[width[wanted] / 2 >= min_spacing]
        if todo.size < wanted.size and reason == "converged":
            reason = "min_spacing"
        room = max_points - grid.size
        if todo.size > room:
            order = np.argsort(-flagged[todo], kind="stable")
            todo, reason = np.sort(todo[order[:room]]), "max_points"
        if todo.size == 0:
            break
        rounds += 1
        for j in todo:
            lo, mid = float(grid[j]), float(0.5 * (grid[j] + grid[j + 1]))
            problem.u.x.array[:n_own] = state[lo][1]
            problem.u.x.scatter_forward()
            problem.energy = lo
            it = problem.sweep([mid], initial=None, max_halvings=max_halvings,
                               callback=record)
            state[mid][2] = int(it[0])
        if reason == "max_points":
            break
    grid = np.array(sorted(state))
    values = np.stack([state[x][0] for x in grid])
    dev = np.empty(grid.size)
    comm.Allreduce(interpolation_deviation(grid, values), dev, op=MPI.MAX)
    converged = bool(np.all(dev <= tol))
    if converged:
        reason = "converged"
    elif reason == "converged":     # (cannot happen: the loop ends only on a limit)
        reason = "min_spacing"
    if not converged and on_limit != "ignore":
        k = int(np.argmax(dev))
        limit = (f"max_points = {max_points} reached" if reason == "max_points" else
                 f"the spacing reached min_spacing = {min_spacing:g}")
        msg = (f"{_OWNER}: {limit} with the criterion unmet: the largest deviation from "
               f"linear interpolation is {dev[k]:.3g} > tol = {tol:g} at eps = "
               f"{grid[k]:.10g}; raise max_points, lower min_spacing or raise tol")
        if on_limit == "raise":
            raise RuntimeError(msg)
        warnings.warn(msg, RuntimeWarning, stacklevel=2)
    return AdaptiveSweep(energies=grid, values=values,
                         iterations=np.array([state[x][2] for x in grid], dtype=int),
                         solves=int(grid.size), rounds=rounds, converged=converged,
                         reason=reason)
