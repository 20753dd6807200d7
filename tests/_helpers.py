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


def left_edge_split(msh):
    """The boundary split of the manufactured-solution tests on a unit square: the facets of
    x = 0 tagged 1 (the natural condition, ``ds(1)``) and the other exterior facets (for
    Dirichlet values).  Returns (ds, the other facets, the outward normal padded to 3D)."""
    from dolfinx import mesh
    fdim = msh.topology.dim - 1
    left = mesh.locate_entities_boundary(msh, fdim, lambda p: np.isclose(p[0], 0.0))
    msh.topology.create_connectivity(fdim, fdim + 1)
    rest = np.setdiff1d(mesh.exterior_facet_indices(msh.topology), left)
    tags = mesh.meshtags(msh, fdim, np.sort(left), np.full(len(left), 1, np.int32))
    ds = ufl.Measure("ds", domain=msh, subdomain_data=tags)
    n = ufl.FacetNormal(msh)
    return ds, rest, ufl.as_vector([n[0], n[1], 0.0])


def mms_errors(a, L, W, Ve, mue, facets, dx):
    """Solve a = L with u = (Ve, μe) on ``facets`` (Dirichlet) and return the L2 errors of V
    and μ_s against (Ve, μe)."""
    ue = fem.Function(W)
    ue.interpolate(fem.Expression(ufl.as_vector([Ve, mue[0], mue[1], mue[2]]),
                                  W.element.interpolation_points()))
    fdim = W.mesh.topology.dim - 1
    bc = fem.dirichletbc(ue, fem.locate_dofs_topological(W, fdim, facets))
    uh = solve_direct(a, L, [bc], W)
    return (l2_norm(uh[0] - Ve, dx), l2_norm(ufl.as_vector([uh[1], uh[2], uh[3]]) - mue, dx))
