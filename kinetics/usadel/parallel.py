"""Energies over MPI sub-communicators: each group of ranks solves its own contiguous block of
energies (continuation inside the block) on its own copy of the mesh, distributed over the
ranks of the group (spatial parallelism inside a group); the measurements are gathered on
every rank in energy order.

The Usadel problem at one energy does not couple to the others, so G groups give up to G
times the throughput of one group of the same size (benchmarks/usadel.py measures it), at G
copies of the mesh and the solver.  The results do not depend on the grouping beyond the
Newton tolerance (each block starts from its own initial guess; tests/test_usadel_parallel.py
checks 1 group against 2).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kinetics import validation

__all__ = ["energy_groups", "parallel_sweep"]


def energy_groups(comm, groups: int):
    """(sub-communicator, group index): the ranks of ``comm`` split into ``groups``
    contiguous groups of (nearly) equal size.

    Raises
    ------
    ValueError
        For groups < 1 or more groups than ranks.
    """
    groups = validation.integer("energy_groups", "groups", groups, 1, max(1, comm.size))
    color = comm.rank * groups // comm.size
    return comm.Split(color, comm.rank), color


def parallel_sweep(build: Callable, energies, measure: Callable, *, comm=None,
                   groups: int | None = None, initial: str = "auto") -> np.ndarray:
    """Sweep ``energies`` split over ``groups`` groups of the ranks of ``comm``.

    Parameters
    ----------
    build:
        ``build(subcomm) -> UsadelProblem``: the problem on a device built on ``subcomm``
        (called once per group, collectively on its ranks).
    energies:
        Strictly increasing 1D array (energy units).
    measure:
        ``measure(problem, eps) -> array``: what to record at each energy (collective inside
        the group, the same on the group's ranks; e.g.
        ``lambda p, e: kinetics.usadel.observables.dos_at(p, points)``); every call returns
        the same shape.
    comm:
        The communicator (default ``MPI.COMM_WORLD``).
    groups:
        Number of groups (default: one per rank), at most the number of energies.
    initial:
        Starting point of each group's first energy (:meth:`UsadelProblem.initial_guess`).

    Returns
    -------
    numpy.ndarray (n_energies, ...): the measurements in energy order, on every rank.

    Raises
    ------
    ValueError
        For a bad energy grid or group count.
    kinetics.solvers.linear.SolverError
        When Newton fails at an energy (in any group; the message names it).
    """
    from mpi4py import MPI

    from kinetics.usadel import bulk
    comm = MPI.COMM_WORLD if comm is None else comm
    e = bulk.check_energies(energies, "parallel_sweep")
    if e.ndim != 1 or e.size == 0 or (e.size > 1 and np.any(np.diff(e) <= 0)):
        raise validation.ValidationError("parallel_sweep", "energies",
                                         "a non-empty strictly increasing 1D array",
                                         f"shape {e.shape}")
    groups = comm.size if groups is None else groups
    groups = validation.integer("parallel_sweep", "groups", groups, 1,
                                max(1, min(comm.size, e.size)))
    sub, color = energy_groups(comm, groups)
    blocks = np.array_split(np.arange(e.size), groups)
    mine = blocks[color]
    error = None
    rows = []
    try:
        problem = build(sub)
        try:
            problem.sweep(e[mine], initial=initial,
                          callback=lambda p, eps: rows.append(np.asarray(measure(p, eps))))
        finally:
            problem.destroy()
    except Exception as exc:  # noqa: BLE001 - re-raised on every rank below
        error = f"{type(exc).__name__}: {exc}"
    errors = [x for x in comm.allgather(error) if x is not None]
    sub.Free()
    if errors:
        from kinetics.solvers.linear import SolverError
        raise SolverError(f"parallel_sweep: a group failed: {errors[0]}", reason="GROUP")
    # one rank per group contributes its block (the group's ranks hold the same values)
    leader = comm.rank == min(r for r in range(comm.size) if r * groups // comm.size == color)
    pieces = comm.allgather((int(color), np.stack(rows) if rows else None) if leader else None)
    ordered = sorted((p for p in pieces if p is not None), key=lambda p: p[0])
    return np.concatenate([p[1] for p in ordered])
