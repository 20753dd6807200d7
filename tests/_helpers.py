"""Helpers shared by the FEM tests (not a test module)."""

import numpy as np
import ufl
from dolfinx import fem
from mpi4py import MPI


def l2_norm(expr, dx) -> float:
    form = fem.form(ufl.inner(expr, expr) * dx)
    val = fem.assemble_scalar(form)
    return float(np.sqrt(form.mesh.comm.allreduce(val, op=MPI.SUM)))


def solve_direct(a, L, bcs, W):
    """Assemble the bilinear and linear UFL forms with Dirichlet ``bcs`` and solve with the
    package's checked direct solver; returns the solution Function on ``W``."""
    from dolfinx.fem import petsc as fpetsc
    from kinetics.solvers.system import assemble_rhs
    from kinetics.solvers.linear import LinearSolver
    a_form, L_form = fem.form(a), fem.form(L)
    A = fpetsc.assemble_matrix(a_form, bcs=bcs)
    A.assemble()
    b = assemble_rhs(L_form, a_form, bcs)
    uh = fem.Function(W)
    solver = LinearSolver(W.mesh.comm, "direct")
    solver.set_operator(A)
    solver.solve(b, uh.x.petsc_vec)
    uh.x.scatter_forward()
    return uh


def rates(errors, hs) -> np.ndarray:
    e, h = np.asarray(errors), np.asarray(hs)
    return np.log(e[1:] / e[:-1]) / np.log(h[1:] / h[:-1])
