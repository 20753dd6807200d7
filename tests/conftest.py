"""Shared fixtures.  Tests marked ``mpi`` also run under ``mpirun -n 2`` (make test)."""

import os

import pytest

os.environ.setdefault("PYVISTA_OFF_SCREEN", "true")


@pytest.fixture
def comm():
    from mpi4py import MPI
    return MPI.COMM_WORLD
