"""SU(2) gauge field: Dyakonov-Perel anisotropy of the assembled operator and the persistent
spin helix (a pure gauge with 𝒟μ = 0 is an exact, non-decaying steady solution)."""

import math

import numpy as np
import pytest
import ufl
from dolfinx import fem, mesh
from mpi4py import MPI

import kinetics
from kinetics.geometry import layered_box
from kinetics.physics import gauge
from kinetics.physics.boundaries import Contact
from kinetics.physics.spin_charge import BulkCoefficients, bulk_form, covariant_gradient
from kinetics.models.spin_charge import SpinChargeProblem

from _helpers import l2_norm, solve_direct

ALPHA = 2e4      # m/s: Rashba coupling; 2 m alpha / hbar ~ 0.35 / nm


def _assembled_uniform_block(A):
    """M[a, b] = a(e_b, e_a) / (σ/2 |Ω|) from the problem's bilinear form (internal units)."""
    pt = kinetics.materials.get("Pt").with_(lambda_sf=math.inf, theta_sh=0.0, gauge_field=A)
    dev = layered_box([4e-9, 3e-9, 2e-9], [2, 2, 2])
    problem = SpinChargeProblem(dev, {"film": pt}, [Contact("xmin")], degree=1)
    M = np.zeros((3, 3))
    funcs = []
    for b in range(3):
        f = fem.Function(problem.W)
        f.x.array.reshape(-1, 4)[:, b + 1] = 1.0
        funcs.append(f)
    for a in range(3):
        for b in range(3):
            form = fem.form(ufl.action(ufl.action(problem.a_ufl, funcs[b]), funcs[a]))
            M[a, b] = MPI.COMM_WORLD.allreduce(fem.assemble_scalar(form), op=MPI.SUM)
    vol = dev.volume() / dev.length_unit ** 3
    sigma_hat = 1.0
    return M / (0.5 * sigma_hat * vol) / dev.length_unit ** 2   # back to 1/m^2


@pytest.mark.parametrize("alpha,beta", [(ALPHA, 0.0), (0.0, ALPHA), (ALPHA, 0.4 * ALPHA)])
def test_rashba_dresselhaus_relaxation_tensor_from_assembled_operator(alpha, beta):
    A = gauge.rashba_dresselhaus(alpha, beta)
    M = _assembled_uniform_block(A)
    assert np.allclose(M, gauge.relaxation_tensor(A), rtol=1e-10, atol=1e-8 * np.abs(M).max())
    ev = np.sort(np.linalg.eigvalsh(0.5 * (M + M.T)))
    if beta == 0.0 or alpha == 0.0:
        # Dyakonov-Perel: in-plane : in-plane : out-of-plane = 1 : 1 : 2
        assert ev / ev[0] == pytest.approx([1.0, 1.0, 2.0], rel=1e-10)
        k = 2 * kinetics.units.m_e * max(alpha, beta) / kinetics.units.hbar
        assert ev[0] == pytest.approx(k ** 2, rel=1e-10)


def _helix_solution(n, degree, comm=MPI.COMM_WORLD):
    """Source-free problem on [0,1]^2 (axes x, y) with A = q ⊗ n_spin, no relaxation,
    Dirichlet data = the helix on x = 0, insulating elsewhere."""
    msh = mesh.create_unit_square(comm, n, n)
    W = fem.functionspace(msh, ("Lagrange", degree, (4,)))
    q, axis, mu0 = np.array([3.0, 1.5, 0.0]), np.array([0.0, 0.6, 0.8]), np.array([1.0, 0.0, 0.5])
    A = fem.Constant(msh, gauge.uniform_helix_field(q, axis))
    coef = BulkCoefficients(sigma=fem.Constant(msh, 1.0), inv_lambda2=fem.Constant(msh, 0.0),
                            theta=0.0, kappa=0.0, A=A)
    u, t = ufl.TrialFunction(W), ufl.TestFunction(W)
    dx = ufl.Measure("dx", domain=msh)
    a = bulk_form(u[0], ufl.as_vector([u[1], u[2], u[3]]), t[0],
                  ufl.as_vector([t[1], t[2], t[3]]), coef, "xy", dx)
    L = fem.Constant(msh, 0.0) * t[0] * dx

    def helix(x):
        return np.vstack([np.zeros(x.shape[1]),
                          gauge.pure_gauge_rotation(q, axis, x, mu0)])
    ue = fem.Function(W)
    ue.interpolate(helix)
    fdim = msh.topology.dim - 1
    left = mesh.locate_entities_boundary(msh, fdim, lambda p: np.isclose(p[0], 0.0))
    bc = fem.dirichletbc(ue, fem.locate_dofs_topological(W, fdim, left))
    uh = solve_direct(a, L, [bc], W)
    x = ufl.SpatialCoordinate(msh)
    phi = -(q[0] * x[0] + q[1] * x[1])
    n_ = ufl.as_vector(axis)
    par = float(axis @ mu0) * n_
    mu_ex = par + (ufl.as_vector(mu0) - par) * ufl.cos(phi) + ufl.as_vector(np.cross(axis, mu0)) * ufl.sin(phi)
    mu_h = ufl.as_vector([uh[1], uh[2], uh[3]])
    err = l2_norm(mu_h - mu_ex, dx) / l2_norm(mu_ex, dx)
    Dmu = l2_norm(covariant_gradient(mu_h, A, "xy"), dx) / (np.linalg.norm(q) * np.linalg.norm(mu0))
    amp = (l2_norm(ufl.sqrt(ufl.inner(mu_h, mu_h)) - float(np.linalg.norm(mu0)), dx))
    return err, Dmu, amp


def test_persistent_spin_helix_is_an_exact_nondecaying_solution():
    res = [_helix_solution(n, 2) for n in (4, 8, 16)]
    errs = [r[0] for r in res]
    assert errs[-1] < 1e-4
    assert errs[0] / errs[-1] > 2 ** 5          # converges at rate ~3 (P2)
    assert res[-1][1] < 5e-3 and res[0][1] / res[-1][1] > 2 ** 3   # 𝒟μ_h → 0
    assert res[-1][2] < 1e-4                    # |μ| stays |μ0|: no decay away from x = 0


def test_non_pure_gauge_field_makes_the_same_data_decay():
    """Control: with a non-abelian Rashba field the same boundary data decays (DP relaxation)."""
    A = gauge.rashba_dresselhaus(ALPHA)
    assert np.linalg.eigvalsh(gauge.relaxation_tensor(A)).min() > 0
    q, axis = np.array([3.0, 1.5, 0.0]), np.array([0.0, 0.6, 0.8])
    assert np.allclose(gauge.relaxation_tensor(gauge.uniform_helix_field(q, axis)) @ axis, 0.0)
