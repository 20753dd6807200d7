"""A manufactured solution of CircuitProblem with an F|N junction (issue 12): smooth fields
on the ferromagnet and the normal metal, different on the two sides (V and μ_s jump), a
non-collinear m, β, exchange precession and dephasing, spin Hall effect in N, mixing
conductances and spin memory loss at the junction.  The right-hand side is the problem's own
bilinear form applied to the interpolant of the exact fields (P(k+2)); the discrete block
system with the junction terms must converge to them at the optimal L2 rates (2 for P1, 3
for P2).  (The physics of the junction term is tested against exact 1D solutions in
tests/test_fn_interface.py and tests/test_spin_memory_loss.py; the bulk operator against a
strong-form manufactured solution in tests/test_ferromagnet.py.)"""

import numpy as np
import pytest
import ufl
from dolfinx import fem
from mpi4py import MPI

import kinetics
from kinetics.fn_materials import FNInterface
from kinetics.geometry import layered_box
from kinetics.models.circuit import CircuitProblem, FNJunction
from kinetics.physics.boundaries import Contact
from kinetics.solvers.system import BlockLinearProblem

from _helpers import rates

PY = kinetics.materials.get("Py").with_(m=(0.6, 0.0, 0.8))
CU = kinetics.materials.get("Cu").with_(theta_sh=0.05)
ITF = FNInterface.from_valet_fert("F|N", 0.5e-15, 0.7, G_r=4e14, G_i=1e14,
                                  spin_memory_loss=0.4)
L = 20e-9                                    # width and each layer's thickness (m)


def exact(side):
    """(V, μx, μy, μz) as a function of mesh coordinates x (3, N): smooth, different per side
    (volts; lengths in the mesh unit of 1 nm)."""
    s = 1.0 if side == "F" else -0.7

    def f(x):
        X, Y = x[0] / 20.0, x[1] / 20.0
        return np.vstack([1e-3 * (1 + 0.3 * s * np.sin(2 * X + Y)),
                          1e-4 * np.cos(1.5 * X * s + 0.5) * (1 + Y),
                          1e-4 * (s * X * Y + np.sin(Y)),
                          1e-4 * np.exp(0.3 * s * X) * np.cos(Y)])
    return f


def errors(n, degree, comm=MPI.COMM_SELF):
    dev = layered_box([L, 1.0], [n, 1], [("F", L, n), ("N", L, n)], axes="xy",
                      comm=comm, cell_type="triangle")
    problem = CircuitProblem(dev, {"F": PY, "N": CU}, [Contact("xmin", V=0.0)],
                             [FNJunction("F|N", ITF)], degree=degree)
    rf = problem.fields
    doms = {d: ("F" if "F" in rf.domains[d] else "N") for d in rf.names}
    exact_h, exact_k = {}, {}
    for d in rf.names:
        W = rf.space(d)
        Wh = fem.functionspace(W.mesh, ("Lagrange", degree + 2, (4,)))
        exact_h[d] = fem.Function(Wh)
        exact_h[d].interpolate(exact(doms[d]))
        exact_k[d] = fem.Function(W)
        exact_k[d].interpolate(exact(doms[d]))
    # L(v) = a(u_I, v): the problem's bilinear form with the trial fields replaced
    lin = problem.blocks(exact_h, problem.tests)
    L_forms = []
    for d in rf.names:
        total = sum(form for (i, _), form in lin.items() if i == d)
        L_forms.append(rf.form(total))
    bcs = []
    tdim = dev.dim
    for d in rf.names:
        W = rf.space(d)
        facets = np.unique(np.concatenate([problem.submesh_facets(d, b)
                                           for b in ("xmin", "xmax", "ymin", "ymax")
                                           if problem._touches(d, b)]))
        for c in range(4):
            Wc, _ = W.sub(c).collapse()
            g = fem.Function(Wc)
            g.interpolate(lambda x, d=d, c=c: exact(doms[d])(x)[c])
            dofs = fem.locate_dofs_topological((W.sub(c), Wc), tdim - 1, facets)
            bcs.append(fem.dirichletbc(g, dofs, W.sub(c)))
    solver = BlockLinearProblem(problem.a_form, bcs, [rf.space(d) for d in rf.names],
                                block_size=4)
    u = solver.solve(L_forms)
    out = {}
    for d, uh in zip(rf.names, u):
        e = uh - exact_h[d]
        err = fem.assemble_scalar(fem.form(ufl.inner(e, e) * ufl.dx(domain=uh.function_space.mesh)))
        ref = fem.assemble_scalar(fem.form(ufl.inner(exact_h[d], exact_h[d])
                                           * ufl.dx(domain=uh.function_space.mesh)))
        comm = dev.comm
        out[doms[d]] = np.sqrt(comm.allreduce(err, op=MPI.SUM) / comm.allreduce(ref, op=MPI.SUM))
    return out


@pytest.mark.parametrize("degree, expected", [(1, 2.0), (2, 3.0)])
def test_junction_system_converges_at_the_optimal_rate(degree, expected):
    """Relative L2 errors on each side at n = 4, 8, 16 cells per layer; rates within 0.25 of
    the optimal ones (a junction term on the wrong side or with a wrong restriction stalls
    at O(1))."""
    errs = [errors(n, degree) for n in (4, 8, 16)]
    for side in ("F", "N"):
        e = np.array([x[side] for x in errs])
        r = rates(e, [1 / 4, 1 / 8, 1 / 16])
        assert r[-1] == pytest.approx(expected, abs=0.25), (side, e, r)
        assert e[-1] < 1e-3


@pytest.mark.mpi
def test_junction_system_on_two_ranks_equals_serial():
    serial, parallel = errors(8, 1), errors(8, 1, MPI.COMM_WORLD)
    for side in ("F", "N"):
        assert parallel[side] == pytest.approx(serial[side], rel=1e-8)
