"""Helpers shared by the FEM tests (not a test module)."""

import numpy as np
import ufl
from dolfinx import fem
from mpi4py import MPI


def l2_norm(expr, dx) -> float:
    form = fem.form(ufl.inner(expr, expr) * dx)
    val = fem.assemble_scalar(form)
    return float(np.sqrt(form.mesh.comm.allreduce(val, op=MPI.SUM)))


def rates(errors, hs) -> np.ndarray:
    e, h = np.asarray(errors), np.asarray(hs)
    return np.log(e[1:] / e[:-1]) / np.log(h[1:] / h[:-1])
