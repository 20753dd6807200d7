"""Observables of a solved :class:`~kinetics.usadel.problem.UsadelProblem`: local and
spin-resolved DOS, singlet/triplet pair amplitudes, and the spectral gap (minigap).

Normalization: DOS in units of the normal-state DOS per spin (1 in a normal metal),
N = Re Tr g/2, N_± = Re Tr[(1 ± n·σ)g]/2 (:mod:`kinetics.usadel.riccati`).  Every function
is collective under MPI (call it on all ranks) and returns the same value on every rank.
"""

from __future__ import annotations

import numpy as np

from kinetics import validation
from kinetics.usadel import riccati

__all__ = ["nodal_dos", "dos_at", "spin_dos_at", "pairs_at", "dos_extrema", "minigap"]


def nodal_dos(problem) -> tuple[np.ndarray, np.ndarray]:
    """(x, N): coordinates (n, 3) and DOS (n,) at the owned Lagrange nodes of this rank
    (not gathered: use for per-rank post-processing or :func:`dos_extrema`)."""
    x, g, gt = problem.nodal_riccati(owned=True)
    return x, riccati.dos(g, gt)


def dos_at(problem, points) -> np.ndarray:
    """DOS (N,) at points (N, 3) in mesh coordinates (ValueError outside the mesh)."""
    g, gt = problem.evaluate(points)
    return riccati.dos(g, gt)


def spin_dos_at(problem, points, axis=(0.0, 0.0, 1.0)):
    """(N_+, N_−), each (N,), spin-resolved DOS along ``axis`` at points (N, 3) (mesh units).

    Raises
    ------
    ValueError
        For points outside the mesh or an invalid axis.
    """
    g, gt = problem.evaluate(points)
    return riccati.spin_dos(g, gt, axis)


def pairs_at(problem, points):
    """(f_s (N,), d (N, 3)): singlet amplitude and triplet d-vector of f = (f_s + d·σ)iσ_y
    at points (N, 3) (mesh units), complex."""
    g, gt = problem.evaluate(points)
    return riccati.pair_amplitudes(g, gt)


def dos_extrema(problem) -> tuple[float, float]:
    """(min, max) of the DOS over all Lagrange nodes of the mesh (all ranks)."""
    from mpi4py import MPI
    _, n = nodal_dos(problem)
    comm = problem.mesh.comm
    lo = comm.allreduce(float(n.min()) if n.size else np.inf, op=MPI.MIN)
    hi = comm.allreduce(float(n.max()) if n.size else -np.inf, op=MPI.MAX)
    return lo, hi


def minigap(problem, energies, *, threshold: float = 0.02, tol: float = 1e-4,
            initial: str | None = "auto", start: list | None = None, measure: str = "max",
            max_halvings: int = 8, bisect_halvings: int = 8,
            unphysical_above: bool = False) -> float:
    """Spectral gap: the lowest energy at which the DOS somewhere in the device reaches
    ``threshold`` (max over the Lagrange nodes), located on ``energies`` and refined by
    bisection to ``tol``.

    With a Dynes broadening η the DOS below the gap is O(η).  A BCS edge rises as
    (ε − E_g)^{-1/2}, but the proximity minigap of an S–N–S junction opens with a
    square-root onset (Zhou et al., J. Low Temp. Phys. 110, 841 (1998)), so the threshold
    must be small: on the 2D junction of demos/sns_junction.py (Δ = 1000 E_Th, η = 1e-5)
    0.02 gives 3.1143 E_Th and 0.5 gives 3.175 (2 % high).  Pick η ≪ E_g
    (tests/test_usadel_proximity.py measures the sensitivity).

    Parameters
    ----------
    problem:
        A :class:`~kinetics.usadel.problem.UsadelProblem` (its ``u`` is overwritten).
    energies:
        Increasing grid (≥ 2 energies) whose first energy lies inside the gap.
    threshold:
        DOS level in (0, 1).
    tol:
        Bisection tolerance (energy units), > 0.
    initial:
        Starting point at the first energy (:meth:`UsadelProblem.sweep`).
    start:
        Continuation between calls (e.g. over a phase scan): a list, empty at first; when it
        holds a solution the first energy starts from it instead of ``initial``, and the
        solution at the first energy is stored in it.
    measure:
        ``"max"``: the largest nodal DOS; ``"abs"``: the largest |N| (also counts a negative
        DOS of a root past the edge).
    max_halvings, bisect_halvings:
        Step halvings of :meth:`UsadelProblem.sweep` on the grid and in the bisection.
    unphysical_above:
        Count an energy whose Newton solve ends on an unphysical root (``SolverError`` with
        reason ``"UNPHYSICAL"``, past the fold where the gapped branch ends) as above the
        gap instead of raising (not at the first energy).

    Returns
    -------
    float: the gap E_g (upper end of the final bracket).

    Raises
    ------
    ValueError
        For a bad threshold, tol, measure or grid, when the DOS already reaches the threshold
        at the first energy, or never reaches it on the grid.
    kinetics.solvers.linear.SolverError
        When Newton fails at an energy.
    """
    from kinetics.solvers.linear import SolverError
    own = "minigap"
    threshold = validation.positive(own, "threshold", threshold, limit=1.0 - 1e-12, tiny=1e-12)
    tol = validation.positive(own, "tol", tol)
    measure = validation.choice(own, "measure", measure, ("max", "abs"))
    e = validation.array(own, "energies", energies, (None,))
    if e.size < 2 or np.any(np.diff(e) <= 0):
        raise validation.ValidationError(own, "energies", "an increasing grid of >= 2 energies",
                                         f"{e.size} energies")
    state = {}

    def record(p, eps):
        lo, hi = dos_extrema(p)
        state[eps] = (hi if measure == "max" else max(hi, -lo), p.u.x.array.copy())

    def above(eps, halvings) -> bool:
        """Solve at eps from the current solution; whether the DOS reaches the threshold."""
        try:
            problem.sweep([eps], initial=None, callback=record, max_halvings=halvings)
        except SolverError as exc:
            if not (unphysical_above and exc.reason == "UNPHYSICAL"):
                raise
            return True
        return state[eps][0] >= threshold
    if start:
        problem.u.x.array[:], problem.energy = start[0], float(e[0])
    problem.sweep(e[:1], initial=None if start else initial, callback=record,
                  max_halvings=max_halvings)
    if start is not None:
        start[:] = [problem.u.x.array.copy()]
    if state[e[0]][0] >= threshold:
        raise validation.ValidationError(own, "energies", "a grid starting inside the gap",
                                         f"DOS {state[e[0]][0]:.3g} >= threshold at "
                                         f"eps = {e[0]:g}")
    lo = float(e[0])
    hi = None
    for eps in e[1:]:
        if above(float(eps), max_halvings):
            hi = float(eps)
            break
        lo = float(eps)
    if hi is None:
        raise validation.ValidationError(own, "energies", "a grid reaching above the gap",
                                         f"max DOS {state[lo][0]:.3g} < threshold up to "
                                         f"eps = {lo:g}")
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        problem.u.x.array[:] = state[lo][1]
        problem.energy = lo
        if above(mid, bisect_halvings):
            hi = mid
        else:
            lo = mid
    return hi
