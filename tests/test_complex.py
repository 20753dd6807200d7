"""Complex-valued problems as real 2×2 blocks (kinetics.solvers.complex).

1. A damped diffusion wave on the unit square, −Δu + iκu = 0, u = 1 at x = 0 and
   u = e^{−s} at x = 1 (n·∇u = 0 on y = 0, 1): u = e^{−s x}, s = √(iκ) = √(κ/2)(1 + i).
   The conjugate e^{−s̄ x} solves the problem with the wrong sign of i; the tolerances must
   tell the two apart.
2. A manufactured 2-component solution with a volume source and a non-symmetric complex
   coupling, for the vector path and L_re/L_im.
L2 errors must converge at rate 2 (P1) and 3 (P2)."""

import cmath

import numpy as np
import pytest
import ufl
from dolfinx import fem, mesh
from mpi4py import MPI

from kinetics.solvers.complex import ComplexLinearProblem, solve_complex

from _helpers import l2_norm, rates

KAPPA = 20.0
S = cmath.sqrt(1j * KAPPA)          # principal root, Re s > 0: decays into x > 0


def strip(nx, degree, comm=MPI.COMM_WORLD, sign=1.0):
    """Solve problem 1; ``sign=-1``: the wrong sign of i, −Δu − iκu = 0 with the conjugate
    data ē^{−s}.  Returns the L2 errors against e^{−s x} and against its conjugate, the
    solution and the problem."""
    msh = mesh.create_unit_square(comm, nx, nx)
    fdim = msh.topology.dim - 1
    left = mesh.locate_entities_boundary(msh, fdim, lambda x: np.isclose(x[0], 0.0))
    right = mesh.locate_entities_boundary(msh, fdim, lambda x: np.isclose(x[0], 1.0))
    kappa = fem.Constant(msh, sign * KAPPA)
    problem = ComplexLinearProblem(
        msh, ("Lagrange", degree),
        a_re=lambda u, v: ufl.inner(ufl.grad(u), ufl.grad(v)) * ufl.dx,
        a_im=lambda u, v: kappa * u * v * ufl.dx,
        bcs=[(left, 1.0), (right, cmath.exp(-S) if sign > 0 else cmath.exp(-S.conjugate()))])
    sol = problem.solve()
    x = ufl.SpatialCoordinate(msh)
    decay = ufl.exp(-S.real * x[0])
    ue_re, ue_im = decay * ufl.cos(S.imag * x[0]), -decay * ufl.sin(S.imag * x[0])
    dx = ufl.dx(domain=msh)
    err = l2_norm(ufl.as_vector([sol.real - ue_re, sol.imag - ue_im]), dx)
    err_conj = l2_norm(ufl.as_vector([sol.real - ue_re, sol.imag + ue_im]), dx)
    return err, err_conj, sol, problem


@pytest.mark.parametrize("degree, ns", [(1, (8, 16, 32)), (2, (4, 8, 16))])
def test_damped_wave_converges_at_optimal_rate(degree, ns):
    out = [strip(nx, degree) for nx in ns]
    errs = [o[0] for o in out]
    r = rates(errs, [1.0 / nx for nx in ns])
    assert errs[-1] < (2e-3 if degree == 1 else 2e-4), errs
    assert np.all(r > degree + 1 - 0.2), (errs, r)
    # the conjugate (e^{+i Im(s) x}) is far outside the tolerance
    assert all(o[1] > 0.1 for o in out), [o[1] for o in out]


def test_wrong_sign_of_i_fails():
    """−Δu − iκu = 0 (a_im negated, conjugate data) has the conjugate solution e^{−s̄ x}:
    the block form maps a_im → −a_im to u → ū exactly, and the error test rejects it."""
    err, err_conj, _, _ = strip(16, 2)
    err_wrong, err_wrong_conj, _, _ = strip(16, 2, sign=-1.0)
    assert err < 1e-4 and err_conj > 0.1, (err, err_conj)
    assert err_wrong > 1000 * err, (err, err_wrong)
    assert err_wrong_conj == pytest.approx(err, rel=1e-8)


def test_dirichlet_values_scale_the_solution():
    """New boundary values 2i·g on the same facets (bc_values) give 2i·u: linearity in
    complex arithmetic, which a swapped (re, im) order or a lost sign would break."""
    _, _, sol, problem = strip(8, 1)
    sol2 = problem.solve(bc_values=[2j, 2j * cmath.exp(-S)])
    u = sol.real.x.array + 1j * sol.imag.x.array
    u2 = sol2.real.x.array + 1j * sol2.imag.x.array
    assert np.allclose(u2, 2j * u, rtol=1e-12, atol=1e-12)
    assert np.max(np.abs(u.imag)) > 0.1


B = np.array([[0.0, 2.0], [-1.0, 0.5]])     # non-symmetric coupling (imaginary part)


def exact_vector(x):
    """(Re u_e, Im u_e) of a 2-component complex field."""
    re = ufl.as_vector([ufl.sin(np.pi * x[0]) * x[1], ufl.cos(np.pi * x[1]) * x[0] ** 2])
    im = ufl.as_vector([ufl.exp(x[0]) * ufl.cos(2 * x[1]), x[0] * x[1] + ufl.sin(x[0] + x[1])])
    return re, im


def vector_problem(nx, degree, comm=MPI.COMM_WORLD):
    """−Δu + u + i(κ u + B u) = f with u = u_e on the boundary; returns (error, solution)."""
    msh = mesh.create_unit_square(comm, nx, nx)
    x = ufl.SpatialCoordinate(msh)
    ue_re, ue_im = exact_vector(x)
    Bc = fem.Constant(msh, B)
    kappa = 3.0
    lap = lambda w: ufl.div(ufl.grad(w))   # noqa: E731
    # f = −Δu_e + u_e + i(κ + B) u_e, split with i² = −1
    f_re = -lap(ue_re) + ue_re - kappa * ue_im - Bc * ue_im
    f_im = -lap(ue_im) + ue_im + kappa * ue_re + Bc * ue_re
    fdim = msh.topology.dim - 1
    msh.topology.create_connectivity(fdim, fdim + 1)
    facets = mesh.exterior_facet_indices(msh.topology)

    def g(p):
        re = np.vstack([np.sin(np.pi * p[0]) * p[1], np.cos(np.pi * p[1]) * p[0] ** 2])
        im = np.vstack([np.exp(p[0]) * np.cos(2 * p[1]), p[0] * p[1] + np.sin(p[0] + p[1])])
        return re + 1j * im

    sol = solve_complex(
        msh, ("Lagrange", degree, (2,)),
        a_re=lambda u, v: (ufl.inner(ufl.grad(u), ufl.grad(v)) + ufl.inner(u, v)) * ufl.dx,
        a_im=lambda u, v: (kappa * ufl.inner(u, v) + ufl.inner(Bc * u, v)) * ufl.dx,
        L_re=lambda v: ufl.inner(f_re, v) * ufl.dx,
        L_im=lambda v: ufl.inner(f_im, v) * ufl.dx,
        bcs=[(facets, g)])
    dx = ufl.dx(domain=msh)
    return l2_norm(sol.real - ue_re, dx) + l2_norm(sol.imag - ue_im, dx), sol


@pytest.mark.parametrize("degree, ns", [(1, (8, 16, 32)), (2, (4, 8, 16))])
def test_vector_manufactured_solution_converges_at_optimal_rate(degree, ns):
    errs = [vector_problem(nx, degree)[0] for nx in ns]
    r = rates(errs, [1.0 / nx for nx in ns])
    assert errs[-1] < (2e-3 if degree == 1 else 2e-4), errs
    assert np.all(r > degree + 1 - 0.2), (errs, r)


def test_bad_dirichlet_value_shape():
    msh = mesh.create_unit_square(MPI.COMM_WORLD, 2, 2)
    facets = mesh.locate_entities_boundary(msh, 1, lambda x: np.isclose(x[0], 0.0))
    with pytest.raises(ValueError, match="components"):
        ComplexLinearProblem(msh, ("Lagrange", 1, (2,)), lambda u, v: ufl.inner(u, v) * ufl.dx,
                             bcs=[(facets, [1.0, 2.0, 3.0])])


@pytest.mark.mpi
def test_distributed_equals_serial():
    par = strip(8, 2, MPI.COMM_WORLD)[0], vector_problem(8, 2, MPI.COMM_WORLD)[0]
    ser = strip(8, 2, MPI.COMM_SELF)[0], vector_problem(8, 2, MPI.COMM_SELF)[0]
    assert np.allclose(par, ser, rtol=1e-10, atol=0), (par, ser)
