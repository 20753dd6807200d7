"""Newton on PETSc SNES (kinetics.solvers.nonlinear) with a manufactured solution of

    −∇·((1 + |u|²)∇u) = f  on the unit square,  u = u_e on the boundary,

f computed by UFL from u_e.  L2 errors must converge at rate 2 (P1) and 3 (P2); Newton must
converge quadratically (a Picard Jacobian, the negative control, only linearly); a solve
that does not converge must raise SolverError with the SNES reason; the distributed mesh
must reproduce the serial answer."""

import numpy as np
import pytest
import ufl
from dolfinx import fem, mesh
from mpi4py import MPI

from kinetics.solvers.linear import SolverError
from kinetics.solvers.nonlinear import NonlinearSolver

from _helpers import l2_norm, rates


def exact(x, n):
    """u_e: a scalar (n = 1) or a 2-vector, not a polynomial."""
    u0 = ufl.sin(np.pi * x[0]) * ufl.cos(0.7 * np.pi * x[1]) + x[0]
    if n == 1:
        return u0
    return ufl.as_vector([u0, ufl.exp(0.5 * x[0]) * ufl.cos(np.pi * x[1]) * x[1]])


def setup(nx, degree, n=1, comm=MPI.COMM_WORLD, jacobian="newton", **kw):
    msh = mesh.create_unit_square(comm, nx, nx, mesh.CellType.triangle)
    V = fem.functionspace(msh, ("Lagrange", degree) if n == 1 else ("Lagrange", degree, (n,)))
    x = ufl.SpatialCoordinate(msh)
    ue = exact(x, n)
    k = lambda w: 1 + ufl.inner(w, w)  # noqa: E731  nonlinear conductivity
    f = -ufl.div(k(ue) * ufl.grad(ue))
    u, v = fem.Function(V), ufl.TestFunction(V)
    F = (k(u) * ufl.inner(ufl.grad(u), ufl.grad(v)) - ufl.inner(f, v)) * ufl.dx
    J = None
    if jacobian == "picard":   # drops the 2(u·du)∇u term: a wrong (Picard) Jacobian
        J = k(u) * ufl.inner(ufl.grad(ufl.TrialFunction(V)), ufl.grad(v)) * ufl.dx
    g = fem.Function(V)
    g.interpolate(fem.Expression(ue, V.element.interpolation_points()))
    fdim = msh.topology.dim - 1
    msh.topology.create_connectivity(fdim, fdim + 1)
    facets = mesh.exterior_facet_indices(msh.topology)
    bc = fem.dirichletbc(g, fem.locate_dofs_topological(V, fdim, facets))
    return NonlinearSolver(F, u, [bc], J, **kw), ue


def solve(nx, degree, n=1, comm=MPI.COMM_WORLD, **kw):
    solver, ue = setup(nx, degree, n, comm, **kw)
    u = solver.solve()
    err = l2_norm(u - ue, ufl.dx(domain=u.function_space.mesh))
    return err, solver


def orders(r):
    """Observed orders p_k = log(r_{k+1}/r_k) / log(r_k/r_{k−1}) above the round-off floor."""
    r = np.asarray(r)
    r = r[r > 1e-11 * r[0]]
    return np.log(r[2:] / r[1:-1]) / np.log(r[1:-1] / r[:-2])


@pytest.mark.parametrize("degree, ns", [(1, (8, 16, 32)), (2, (4, 8, 16))])
def test_manufactured_solution_converges_at_optimal_rate(degree, ns):
    out = [solve(nx, degree) for nx in ns]
    errs = [e for e, _ in out]
    r = rates(errs, [1.0 / nx for nx in ns])
    assert errs[-1] < (3e-3 if degree == 1 else 2e-4), errs
    assert np.all(r > degree + 1 - 0.2), (errs, r)
    for _, s in out:
        assert s.reason.startswith("CONVERGED") and s.iterations <= 8, (s.reason, s.residuals)


def test_newton_converges_quadratically_and_picard_does_not():
    _, newton = solve(16, 2)
    p = orders(newton.residuals)
    assert newton.residuals[-1] < 1e-10 * newton.residuals[0], newton.residuals
    assert np.max(p[-2:]) >= 1.8, (newton.residuals, p)
    r = np.asarray(newton.residuals)
    late = r[1:][r[:-1] < 1e-2 * r[0]] / r[:-1][r[:-1] < 1e-2 * r[0]] ** 2
    assert late.size >= 1 and np.all(late < 10.0), (r, late)
    # negative control: the Picard Jacobian converges only linearly (and slower)
    _, picard = solve(16, 2, jacobian="picard")
    assert picard.iterations > newton.iterations + 2, (picard.residuals, newton.residuals)
    assert np.max(orders(picard.residuals)[-3:]) < 1.5, picard.residuals


def test_blocked_space_converges_quadratically():
    err, s = solve(8, 2, n=2)
    assert err < 2e-3, err
    assert s.u.function_space.dofmap.index_map_bs == 2
    assert np.max(orders(s.residuals)[-2:]) >= 1.8, s.residuals


def test_divergence_raises_with_reason_and_history():
    solver, _ = setup(8, 1, options={"snes_max_it": 1, "snes_rtol": 1e-14})
    with pytest.raises(SolverError, match="DIVERGED_MAX_IT") as info:
        solver.solve()
    assert info.value.reason == "DIVERGED_MAX_IT"
    assert len(info.value.residuals) == 2 and info.value.residuals[1] < info.value.residuals[0]
    assert solver.iterations == 1


def test_problem_without_solution_raises():
    """(1 + u²) = 0 has no real solution: Newton cannot converge."""
    msh = mesh.create_unit_square(MPI.COMM_WORLD, 4, 4)
    V = fem.functionspace(msh, ("Lagrange", 1))
    u, v = fem.Function(V), ufl.TestFunction(V)
    u.x.array[:] = 1.0
    solver = NonlinearSolver((1 + u ** 2) * v * ufl.dx, u, options={"snes_max_it": 30})
    with pytest.raises(SolverError) as info:
        solver.solve()
    assert info.value.reason.startswith("DIVERGED"), info.value
    assert info.value.reason in str(info.value) and info.value.residuals


def test_unknown_preset():
    with pytest.raises(ValueError, match="unknown solver preset"):
        setup(2, 1, preset="lu")


@pytest.mark.mpi
def test_distributed_equals_serial():
    par_err, par = solve(8, 2, n=2, comm=MPI.COMM_WORLD)
    ser_err, ser = solve(8, 2, n=2, comm=MPI.COMM_SELF)
    assert par_err == pytest.approx(ser_err, rel=1e-10)
    assert par.iterations == ser.iterations
    rp, rs = np.asarray(par.residuals), np.asarray(ser.residuals)
    big = rs > 1e-6 * rs[0]
    assert np.allclose(rp[big], rs[big], rtol=1e-10), (rp, rs)
    mean = [MPI.COMM_WORLD.allreduce(fem.assemble_scalar(fem.form(s.u[1] * ufl.dx)), op=MPI.SUM)
            if s is par else fem.assemble_scalar(fem.form(s.u[1] * ufl.dx)) for s in (par, ser)]
    assert mean[0] == pytest.approx(mean[1], rel=1e-10)
