"""Logging for the kinetics package: the ``kinetics`` logger, on MPI rank 0 only.

Library modules log with ``logging.getLogger(__name__)`` (children of ``kinetics``); nothing
is shown until an application configures logging.  The command line does, with
:func:`setup`: ``-q`` shows warnings and errors only, the default shows progress (INFO), and
``-v`` adds details (DEBUG: gmsh, solver choices, timings).  Messages go to stderr, from
rank 0 only (every rank runs the same code, so one copy is enough).  A Python user gets the
same with ``kinetics.log.setup(verbosity=1)`` or their own ``logging`` configuration.
"""

from __future__ import annotations

import logging
import sys
import time

__all__ = ["LOGGER", "setup", "level_of"]

#: the package logger; modules use logging.getLogger("kinetics.<module>")
LOGGER = logging.getLogger("kinetics")
LOGGER.addHandler(logging.NullHandler())

_HANDLER_NAME = "kinetics-cli"


class _Elapsed(logging.Formatter):
    """``[kinetics   12.3 s] message`` (seconds since :func:`setup`); warnings and errors
    named as such."""

    def __init__(self):
        super().__init__()
        self.t0 = time.perf_counter()

    def format(self, record):
        text = record.getMessage()
        if record.levelno >= logging.WARNING:
            text = f"{record.levelname.lower()}: {text}"
        return f"[kinetics {time.perf_counter() - self.t0:7.1f} s] {text}"


def level_of(verbosity: int) -> int:
    """The logging level of a verbosity: -1 (``-q``) WARNING, 0 INFO, 1+ (``-v``) DEBUG."""
    if verbosity < 0:
        return logging.WARNING
    return logging.INFO if verbosity == 0 else logging.DEBUG


def setup(verbosity: int = 0, comm=None, stream=None) -> logging.Logger:
    """Show the ``kinetics`` log on ``stream`` (default stderr) on rank 0 of ``comm``.

    Parameters
    ----------
    verbosity:
        -1 warnings only (``-q``), 0 progress (default), 1 details (``-v``).
    comm:
        MPI communicator (default ``MPI.COMM_WORLD``); the other ranks show nothing.
    stream:
        Where rank 0 writes.

    Returns
    -------
    The ``kinetics`` logger.  Calling again replaces the handler of the previous call.
    """
    if comm is None:
        from mpi4py import MPI
        comm = MPI.COMM_WORLD
    for h in list(LOGGER.handlers):
        if h.get_name() == _HANDLER_NAME:
            LOGGER.removeHandler(h)
    LOGGER.setLevel(level_of(verbosity))
    if comm.rank == 0:
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.set_name(_HANDLER_NAME)
        handler.setFormatter(_Elapsed())
        LOGGER.addHandler(handler)
    else:
        LOGGER.setLevel(logging.CRITICAL + 1)
    LOGGER.propagate = False
    return LOGGER
