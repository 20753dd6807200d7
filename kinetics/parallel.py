"""Ending an MPI run together: one exit code and one message, no deadlock, no orphans.

``kinetics run`` under ``mpirun -n N`` has three ways to end badly, each handled here:

- **an error raised on every rank** (an invalid case, a solver failure: these are decided
  collectively): every rank reaches :func:`finish_error`, which sees the others arrive
  (a non-blocking barrier), agrees on the largest exit code, and lets rank 0 alone print;
- **an error raised on some ranks only** (a bug, a file-system failure on one rank): the
  others are waiting in a collective operation and would wait forever; :func:`finish_error`
  gives up after ``timeout`` seconds, prints the failing rank's message, and calls
  ``MPI_Abort`` with the exit code, which ends every rank (Open MPI adds its own note);
- **a killed launcher** (``kill -9`` of ``mpirun``): :func:`guard_launcher` asks the kernel
  to kill each rank when its parent process (the launcher) dies (Linux ``prctl``
  ``PR_SET_PDEATHSIG``), and returns a check that the output code asks before it renames a
  result into place.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time

__all__ = ["guard_launcher", "finish_error", "launched_by_mpirun"]

_PR_SET_PDEATHSIG = 1


def launched_by_mpirun() -> bool:
    """Whether this process was started by an MPI launcher (Open MPI / PMIx / MPICH)."""
    return any(k in os.environ for k in ("OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"))


def guard_launcher():
    """Die with the MPI launcher; returns ``alive()``, True while the launcher runs.

    Under an MPI launcher, sets the parent-death signal of this process to SIGKILL (Linux
    only; elsewhere nothing is set), so killing ``mpirun`` ends every rank instead of
    leaving them to finish and write after the user saw the failure.  Outside a launcher
    (a singleton run) ``alive()`` is always True.

    Returns
    -------
    callable
        ``alive() -> bool``: False once the parent process has changed (the launcher died).
    """
    if not launched_by_mpirun():
        return lambda: True
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:      # the launcher died before the signal was armed
        os._exit(1)
    return lambda: os.getppid() == parent


def finish_error(comm, code: int, message: str, timeout: float = 20.0) -> int:
    """End a failed run on every rank with one exit code and one message.

    Call on a rank that caught an error, with its exit code and message.  If every rank
    arrives within ``timeout`` seconds, the exit code is the largest of them and rank 0
    prints its message (to stderr); the code is returned on every rank.  Otherwise the
    other ranks are stuck elsewhere: this rank prints its message (prefixed with its rank)
    and aborts the whole job with ``code`` (``MPI_Abort``; does not return).

    Parameters
    ----------
    comm:
        The communicator of the run (COMM_WORLD for the CLI).
    code:
        Exit code of this rank (> 0).
    message:
        One line (or a few) for the user, without the ``kinetics:`` prefix.
    timeout:
        Seconds to wait for the other ranks.

    Returns
    -------
    int
        The exit code (every rank, when all arrived).
    """
    if comm.size == 1:
        _print(message)
        return code
    request = comm.Ibarrier()
    deadline = time.monotonic() + timeout
    while not request.Test():
        if time.monotonic() > deadline:
            _print(f"(rank {comm.rank}) {message}")
            sys.stderr.flush()
            comm.Abort(code)
        time.sleep(0.01)
    code = comm.allreduce(code, op=_max())
    if comm.rank == 0:
        _print(message)
    return code


def _print(message: str) -> None:
    """Each line of ``message`` with the ``kinetics:`` prefix (tracebacks stay as they are)."""
    head, sep, trace = message.partition("Traceback (most recent call last):")
    lines = [f"kinetics: {line}" for line in head.rstrip().splitlines()]
    print("\n".join(lines) + (f"\n{sep}{trace}" if sep else ""), file=sys.stderr, flush=True)


def _max():
    from mpi4py import MPI
    return MPI.MAX
