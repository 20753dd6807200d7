"""Manufactured solutions for the full coupled operator: spin Hall, spin swapping,
Elliott-Yafet relaxation, an SU(2) gauge field and the Robin HM|FI term, on a 2D mesh
(axes x, y; every 3D index structure is active through the padded gradients).

The weak form is assembled from kinetics.physics.spin_charge exactly as the problem class
does; sources and boundary data are computed symbolically by UFL from the exact fields.
L2 errors must converge at rate 2 (P1) and 3 (P2)."""

import numpy as np
import pytest
import ufl
from dolfinx import fem, mesh
from mpi4py import MPI

from kinetics.physics.spin_charge import (BulkCoefficients, bulk_form, charge_current,
                                          grad3, interface_spin_outflow, spin_current)

from _helpers import left_edge_split, mms_errors, rates

AXES = "xy"


def exact_fields(x):
    V = ufl.sin(np.pi * x[0]) * ufl.cos(0.7 * np.pi * x[1]) + x[0]
    mu = ufl.as_vector([ufl.cos(np.pi * x[0] * x[1]), ufl.sin(1.3 * x[0] + 0.4) * x[1],
                        ufl.exp(0.5 * x[0]) * ufl.cos(np.pi * x[1])])
    return V, mu


def div3(vec, axes):
    return sum(grad3(vec[i], axes)[i] for i in range(3))


def solve_mms(n, degree, comm=MPI.COMM_WORLD):
    msh = mesh.create_unit_square(comm, n, n, mesh.CellType.triangle)
    W = fem.functionspace(msh, ("Lagrange", degree, (4,)))
    x = ufl.SpatialCoordinate(msh)
    dx = ufl.Measure("dx", domain=msh)
    c = lambda v: fem.Constant(msh, np.asarray(v, dtype=np.float64))  # noqa: E731
    A = c([[0.3, -0.5, 0.2], [0.4, 0.1, -0.6], [0.2, 0.7, 0.1]])
    coef = BulkCoefficients(sigma=c(1.3), inv_lambda2=c(2.0), theta=c(0.3), kappa=c(0.2), A=A)
    Ve, mue = exact_fields(x)
    jc, J = charge_current(Ve, mue, coef, AXES), spin_current(Ve, mue, coef, AXES)
    f_c = div3(jc, AXES)
    a_, i_, b_, c_ = ufl.indices(4)
    eps = ufl.PermutationSymbol(3)
    divJ = ufl.as_vector([div3(J[a, :], AXES) for a in range(3)])
    f_s = divJ + ufl.as_vector(eps[a_, b_, c_] * A[i_, b_] * J[c_, i_], a_) \
        + 0.5 * coef.sigma * coef.inv_lambda2 * mue

    # Robin HM|FI on the left edge x = 0 (n = -x), Dirichlet elsewhere
    m = c(np.array([1.0, 2.0, 2.0]) / 3.0)
    G = dict(G_r=c(1.7), G_s=c(0.4), G_i=c(0.9), Gamma=c([[0.3, 0.1, 0], [0.1, 0.2, 0], [0, 0, 0.5]]))
    ds, rest, n3 = left_edge_split(msh)
    Gmu_e = interface_spin_outflow(mue, m, G["G_r"], G["G_s"], G["G_i"], G["Gamma"])
    g_s = ufl.dot(J, n3) - Gmu_e           # n·J = 𝐆μ + g_s on the interface
    g_c = ufl.dot(jc, n3)

    u, t = ufl.TrialFunction(W), ufl.TestFunction(W)
    V, mu = u[0], ufl.as_vector([u[1], u[2], u[3]])
    v, w = t[0], ufl.as_vector([t[1], t[2], t[3]])
    a = bulk_form(V, mu, v, w, coef, AXES, dx) \
        + ufl.inner(interface_spin_outflow(mu, m, G["G_r"], G["G_s"], G["G_i"], G["Gamma"]), w) * ds(1)
    L = (f_c * v + ufl.inner(f_s, w)) * dx - (g_c * v + ufl.inner(g_s, w)) * ds(1)

    return mms_errors(a, L, W, Ve, mue, rest, dx)


@pytest.mark.parametrize("degree", [1, 2])
def test_manufactured_solution_converges_at_optimal_rate(degree):
    ns = (8, 16, 32)
    errs = [solve_mms(n, degree) for n in ns]
    hs = [1.0 / n for n in ns]
    rV = rates([e[0] for e in errs], hs)
    rmu = rates([e[1] for e in errs], hs)
    assert rV[-1] > degree + 1 - 0.1, (errs, rV)
    assert rmu[-1] > degree + 1 - 0.1, (errs, rmu)
