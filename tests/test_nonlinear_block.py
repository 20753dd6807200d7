"""Newton on PETSc SNES for coupled residuals in per-region submesh spaces
(kinetics.solvers.nonlinear_block) with a nonlinear bulk and a nonlinear interface law:

    −∇·((1 + u_i²)∇u_i) = 0 in region i (a: 0 < y < ½, b: ½ < y < 1; x ∈ (0, ½)),
    u_a = 1 at y = 0, u_b = 0 at y = 1, zero flux on the sides,
    n·j = G s + G₃ s³ on the interface, s = u_a − u_b (the jump), j = −(1 + u²)∇u.

Exact solution (1D in y): the Kirchhoff transform K(u) = u + u³/3 turns each side into
K(u)'' = 0, so with a = u_a(½), b = u_b(½) the current is J = (K(1) − K(a))/½ =
(K(b) − K(0))/½ = G s + G₃ s³, a scalar equation for s = a − b solved with brentq; then
K(u_a(y)) = K(1) − J y and K(u_b(y)) = J (1 − y).  On quadrilaterals and hexahedra P1 reproduces it exactly at the
nodes (each element's flux ∫(1 + u_h²)∂_y u_h is K(u_h(y₁)) − K(u_h(y₀)) over its height:
checked to the Newton tolerance) and P2 superconverges at the nodes (measured rate 4);
on triangles the error converges.  Newton must converge quadratically, on 1, 2 and 3 ranks
with the serial answer; a solve cut short raises SolverError."""

import numpy as np
import pytest
import ufl
from dolfinx import fem
from mpi4py import MPI
from scipy.optimize import brentq

from kinetics.geometry import layered_box
from kinetics.models.regions import RegionFields
from kinetics.solvers.linear import SolverError
from kinetics.solvers.nonlinear_block import BlockNonlinearSolver, jacobian_blocks

G, G3 = 1.5, 4.0


def kirchhoff(u):
    return u + u ** 3 / 3


def kirchhoff_inv(k):
    return brentq(lambda u: kirchhoff(u) - k, -2.0, 2.0, xtol=1e-15, rtol=1e-15)


def exact():
    """(J, a, b): the current and the two interface values of the exact solution."""
    def miss(s):
        J = G * s + G3 * s ** 3
        a = kirchhoff_inv(kirchhoff(1.0) - 0.5 * J)
        b = kirchhoff_inv(0.5 * J)
        return (a - b) - s
    s = brentq(miss, 0.0, 1.0, xtol=1e-15, rtol=1e-15)
    J = G * s + G3 * s ** 3
    return J, kirchhoff_inv(kirchhoff(1.0) - 0.5 * J), kirchhoff_inv(0.5 * J)


def exact_profile(y, J):
    """u(y) on both sides (y < ½: region a)."""
    k = np.where(y < 0.5, kirchhoff(1.0) - J * y, J * (1.0 - y))
    return np.array([kirchhoff_inv(v) for v in k])


#: stop Newton at the round-off floor so that "exact" means ~1e-12
TIGHT = {"snes_atol": 1e-12, "snes_rtol": 1e-14}


def setup(ny, degree, comm=MPI.COMM_WORLD, cell_type="quadrilateral", law=(G, G3), **kw):
    dims = [0.5, 1.0] if cell_type in ("triangle", "quadrilateral") else [0.5, 0.25, 1.0]
    cells = [2, ny] if len(dims) == 2 else [2, 1, ny]
    dev = layered_box(dims, cells, layers=[("a", 0.5, ny // 2), ("b", 0.5, ny // 2)],
                      length_unit=1.0, cell_type=cell_type, comm=comm)
    rf = RegionFields(dev, {"a": ["a"], "b": ["b"]}, degree=degree)
    ua, ub = (fem.Function(rf.space(d)) for d in ("a", "b"))
    ua.x.array[:], ub.x.array[:] = 0.5, 0.5
    va, vb = ufl.TestFunction(rf.space("a")), ufl.TestFunction(rf.space("b"))
    k = lambda w: 1 + w ** 2  # noqa: E731
    s = ua("+") - ub("-")                            # a is '+' on the interface
    flux = law[0] * s + law[1] * s ** 3
    dS = rf.dS("a|b")
    Fa = k(ua) * ufl.inner(ufl.grad(ua), ufl.grad(va)) * rf.dx("a") + flux * va("+") * dS
    Fb = k(ub) * ufl.inner(ufl.grad(ub), ufl.grad(vb)) * rf.dx("b") - flux * vb("-") * dS
    axis = "y" if len(dims) == 2 else "z"
    bcs = [rf.dirichlet("a", f"{axis}min", 1.0), rf.dirichlet("b", f"{axis}max", 0.0)]
    solver = BlockNonlinearSolver([Fa, Fb], [ua, ub], bcs,
                                  entity_maps=rf.interface_entity_maps, **kw)
    return solver, rf, axis


def errors(solver, axis):
    """(max nodal error, relative error of the interface jump) on all ranks."""
    J, a, b = exact()
    i = "xyz".index(axis)
    worst, jump_a, jump_b = 0.0, [], []
    for w in solver.u:
        V = w.function_space
        n = V.dofmap.index_map.size_local
        y = V.tabulate_dof_coordinates()[:n, i]
        # nodes on the interface belong to the side of the space they are in
        side_a = V.mesh is solver.u[0].function_space.mesh
        yy = np.where(np.isclose(y, 0.5), 0.5 - 1e-14 if side_a else 0.5 + 1e-14, y)
        worst = max(worst, float(np.abs(w.x.array[:n] - exact_profile(yy, J)).max(initial=0)))
        (jump_a if side_a else jump_b).extend(w.x.array[:n][np.isclose(y, 0.5)])
    comm = solver.comm
    worst = comm.allreduce(worst, op=MPI.MAX)
    ja = np.concatenate(comm.allgather(np.asarray(jump_a)))
    jb = np.concatenate(comm.allgather(np.asarray(jump_b)))
    jump = ja.mean() - jb.mean()
    return worst, abs(jump - (a - b)) / (a - b)


def orders(r):
    r = np.asarray(r)
    r = r[r > 1e-11 * r[0]]
    return np.log(r[2:] / r[1:-1]) / np.log(r[1:-1] / r[:-2])


def test_exact_reference_is_consistent():
    J, a, b = exact()
    assert 0 < b < a < 1
    assert J == pytest.approx(G * (a - b) + G3 * (a - b) ** 3, rel=1e-14)
    assert J == pytest.approx(2 * (kirchhoff(b) - kirchhoff(0.0)), rel=1e-14)


@pytest.mark.parametrize("cell_type", ["quadrilateral", "hexahedron"])
def test_p1_is_exact_at_the_nodes(cell_type):
    solver, _, axis = setup(8, 1, cell_type=cell_type, options=TIGHT)
    solver.solve()
    assert solver.reason.startswith("CONVERGED") and solver.iterations <= 8
    e, j = errors(solver, axis)
    assert e < 1e-11 and j < 1e-11, (e, j)


def test_p2_superconverges_at_the_nodes():
    errs = []
    for ny in (4, 8, 16):
        solver, _, axis = setup(ny, 2, options=TIGHT)
        solver.solve()
        e, j = errors(solver, axis)
        assert j < 1e-11, j                     # the vertices are exact, as for P1
        errs.append(e)
        solver.destroy()
    rate = np.log2(np.asarray(errs[:-1]) / np.asarray(errs[1:]))
    assert errs[-1] < 3e-8 and np.all(rate > 3.5), (errs, rate)


def test_triangles_converge():
    jumps = []
    for ny in (8, 16, 32):
        solver, _, axis = setup(ny, 1, cell_type="triangle")
        solver.solve()
        jumps.append(errors(solver, axis)[1])
        solver.destroy()
    jumps = np.asarray(jumps)
    assert jumps[-1] < 5e-7 and np.all(np.log2(jumps[:-1] / jumps[1:]) > 1.6), jumps


def test_wrong_interface_law_is_detected():
    """Negative control: a factor 2 on the cubic term moves the jump by far more than the
    tolerances above."""
    solver, _, axis = setup(8, 1, law=(G, 2 * G3))
    solver.solve()
    assert errors(solver, axis)[1] > 1e-2


def test_newton_converges_quadratically():
    solver, _, _ = setup(8, 2, options=TIGHT)
    solver.solve()
    r = np.asarray(solver.residuals)
    assert r[-1] < 1e-13 * r[0], r
    assert np.max(orders(r)[-2:]) >= 1.8, r
    keep = (r[:-1] < 1e-2 * r[0]) & (r[1:] > 1e-13 * r[0])      # above the round-off floor
    late = r[1:][keep] / r[:-1][keep] ** 2
    assert late.size >= 1 and np.all(late < 10.0), (r, late)
    assert solver.final_residual <= 100 * 1e-12


def test_non_converging_solve_raises_with_reason_and_history():
    solver, _, _ = setup(8, 1, options={"snes_max_it": 1, "snes_rtol": 1e-14})
    with pytest.raises(SolverError, match="DIVERGED_MAX_IT") as info:
        solver.solve()
    assert info.value.reason == "DIVERGED_MAX_IT"
    assert len(info.value.residuals) == 2 and info.value.residuals[1] < info.value.residuals[0]


def test_false_convergence_is_caught_by_the_residual_recheck():
    """A linear 'solve' that does nothing (preonly + no preconditioner) makes SNES stop on a
    small step; the re-assembled residual exposes it."""
    solver, _, _ = setup(8, 1, options={"ksp_type": "preonly", "pc_type": "none",
                                        "snes_stol": 1e-3, "snes_max_it": 5})
    with pytest.raises(SolverError) as info:
        solver.solve()
    solver.destroy()                  # (its unused MUMPS option would be reported at exit)
    assert info.value.reason in ("TRUE_RESIDUAL", "DIVERGED_MAX_IT",
                                 "DIVERGED_LINE_SEARCH"), info.value


def test_jacobian_blocks_without_coupling_are_left_out():
    solver, rf, _ = setup(4, 1)
    assert all(b is not None for row in solver.J_forms for b in row)   # the interface
    ua, ub = solver.u
    va, vb = ufl.TestFunction(rf.space("a")), ufl.TestFunction(rf.space("b"))
    J = jacobian_blocks([ua ** 3 * va * rf.dx("a"), ub * vb * rf.dx("b")], [ua, ub])
    assert J[0][1] is None and J[1][0] is None
    assert J[0][0] is not None and J[1][1] is not None
    with pytest.raises(ValueError, match="depends on none"):
        jacobian_blocks([va * rf.dx("a")], [ua])


def test_bad_input():
    with pytest.raises(ValueError, match="as many unknowns"):
        BlockNonlinearSolver([], [])
    with pytest.raises(ValueError, match="unknown solver preset"):
        setup(4, 1, preset="lu")


@pytest.mark.mpi
@pytest.mark.parametrize("cell_type, degree", [("quadrilateral", 1), ("hexahedron", 1),
                                               ("triangle", 2)])
def test_distributed_equals_serial_and_exact(cell_type, degree):
    """1, 2 or 3 ranks (mpirun -n N): the serial answer, and the exact one where P1 is
    exact; with 16 layers of cells the partition cuts through the interface."""
    ny = 16 if cell_type != "hexahedron" else 8
    par, _, axis = setup(ny, degree, MPI.COMM_WORLD, cell_type, options=TIGHT)
    ser, _, _ = setup(ny, degree, MPI.COMM_SELF, cell_type, options=TIGHT)
    par.solve()
    ser.solve()
    ep, es = errors(par, axis), errors(ser, axis)
    assert ep[0] == pytest.approx(es[0], rel=1e-6, abs=1e-12)
    assert ep[1] == pytest.approx(es[1], rel=1e-6, abs=1e-12)
    assert par.iterations == ser.iterations
    rp, rs = np.asarray(par.residuals), np.asarray(ser.residuals)
    big = rs > 1e-6 * rs[0]
    assert np.allclose(rp[big], rs[big], rtol=1e-9), (rp, rs)
    if cell_type != "triangle":
        assert ep[0] < 1e-11 and ep[1] < 1e-11, ep
    else:
        assert ep[1] < 2e-7, ep
