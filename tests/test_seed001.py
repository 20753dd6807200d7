"""Spin AMR and relaxation torque in a ferromagnet (seed 001: Nakabayashi, Takeuchi, Hosono,
Taguchi & Tatara, "Theory of spin relaxation torque in metallic ferromagnets", NTHTT):
uniform field (V1), the local spin current against the angle and the spin AMR of Eq. 40
(V3), the planar torque source at a conductivity step with its exact 1D profile and rate
(V4), the spin balance at the reservoirs (V8), no injection for current parallel to an F|N
interface (V7), a manufactured solution with the bulk torque, Onsager reciprocity with
every term on, bad input and 2 MPI ranks."""

import math

import numpy as np
import pytest
import ufl
from dolfinx import fem, mesh
from mpi4py import MPI

import kinetics
from kinetics import observables as ob
from kinetics.analytic import seed001 as s1
from kinetics.geometry import layered_box
from kinetics.materials import Ferromagnet
from kinetics.models.spin_charge import SpinChargeProblem
from kinetics.physics import ferromagnet as fm
from kinetics.physics.boundaries import Contact
from kinetics.physics.spin_charge import grad3

from _helpers import l2_norm, left_edge_split, mms_errors, rates

V0 = 1e-3
F = Ferromagnet("F", sigma=5e6, beta=0.5, lambda_sf=10e-9, lambda_J=3e-9, lambda_phi=4e-9,
                m=(0.6, 0.0, 0.8), delta_sigma_s=2.5e5, gamma_t=4e5, delta_gamma_t=4e5 / 3)
CU = kinetics.materials.get("Cu").with_(theta_sh=0.0)


def mu_max(sol) -> float:
    """max |μ_s| component over the dofs (V)."""
    return float(np.abs(sol.u.x.array.reshape(-1, 4)[:, 1:]).max())


def film(mat, length=50e-9, cells=10):
    """A 1D film between two spin reservoirs (V0 and ground)."""
    dev = layered_box([length], [cells], axes="x")
    return SpinChargeProblem(dev, {"film": mat}, [Contact("xmin", V=V0), Contact("xmax", V=0.0)])


# ------------------------------------------------------------------ V1: uniform field
def test_uniform_field_has_no_torque_and_no_accumulation():
    """E uniform, m uniform: T = 0 and μ_s = 0 exactly (1D film, any m; 2D film with
    insulating sides, m in the x–z plane), J = m⊗Σ_sE, j_c = σE."""
    E = V0 / 50e-9
    for m in ((0.6, 0.0, 0.8), (1.0, 0.0, 0.0), (0.36, 0.48, 0.8)):
        sol = film(F.with_(m=m)).solve()
        assert mu_max(sol) < 1e-13 * V0
        J = ob.region_average(sol, "j_s", "film")
        exact = np.outer(m, s1.local_spin_conductivity(F.beta * F.sigma, F.delta_sigma_s, m)
                         @ [E, 0, 0])
        assert np.allclose(J, exact, rtol=0, atol=1e-10 * abs(F.beta * F.sigma * E))
        assert ob.contact_current(sol, "xmin") == pytest.approx(F.sigma * E, rel=1e-10, abs=0)
    dev = layered_box([50e-9, 20e-9], [8, 4], axes="xy")
    sol = SpinChargeProblem(dev, {"film": F}, [Contact("xmin", V=V0),
                                               Contact("xmax", V=0.0)]).solve()
    assert mu_max(sol) < 1e-13 * V0


# ------------------------------------------------------------------ V3: spin AMR
def test_local_spin_current_follows_the_spin_amr_of_eq_40():
    """|m·J|/E = √(σ_s∥² cos²θ + σ_s⊥² sin²θ) from the FEM field, σ_s⊥ = βσ,
    σ_s∥ = βσ − δσ_s; Δρ_s/ρ_s⊥ = (δσ_s/σ_s)/(1 − δσ_s/σ_s) to 1e-10."""
    length = 50e-9
    E, sigma_s = V0 / length, F.beta * F.sigma
    measured = {}
    for deg in (0, 30, 60, 90):
        th = math.radians(deg)
        m = (math.cos(th), math.sin(th), 0.0)
        J = ob.region_average(film(F.with_(m=m), length).solve(), "j_s", "film")
        local = np.asarray(m) @ J                 # the spin current polarized along m
        assert np.allclose(J, np.outer(m, local), rtol=0, atol=1e-12 * np.abs(J).max())
        measured[deg] = np.linalg.norm(local) / E
        assert np.linalg.norm(local) == pytest.approx(
            s1.local_spin_current_magnitude(E, sigma_s, F.delta_sigma_s, th), rel=1e-10, abs=0)
    assert measured[90] == pytest.approx(sigma_s, rel=1e-10, abs=0)
    assert measured[0] == pytest.approx(sigma_s - F.delta_sigma_s, rel=1e-10, abs=0)
    ratio = (1 / measured[0] - 1 / measured[90]) * measured[90]
    assert ratio == pytest.approx(s1.spin_amr_ratio(sigma_s, F.delta_sigma_s), rel=1e-10, abs=0)
    assert ratio == pytest.approx(0.1 / 0.9, rel=1e-9, abs=0)   # δσ_s/σ_s = 0.1


# ------------------------------------------------------------------ V4, V8: conductivity step
SIGMA2, L1, L2 = 2e6, 60e-9, 60e-9


def step_exact(mat):
    bt = [s1.effective_polarization(s, mat.beta, mat.m[0], mat.delta_sigma_s, mat.gamma_t,
                                    mat.delta_gamma_t) for s in (mat.sigma, SIGMA2)]
    return s1.two_region_junction(V0, (L1, L2), (mat.sigma, SIGMA2), (mat.beta,) * 2,
                                  (mat.lambda_sf,) * 2, bt), bt


def step_problem(mat, cells, degree, comm=None):
    """F (σ) for x < L1, the same ferromagnet with σ2 beyond: current across the step."""
    dev = layered_box([1.0], [1], [("F1", L1, cells), ("F2", L2, cells)], axes="x", comm=comm)
    return SpinChargeProblem(dev, {"F1": mat, "F2": mat.with_(sigma=SIGMA2)},
                             [Contact("xmin", V=V0), Contact("xmax", V=0.0)], degree=degree)


def test_conductivity_step_is_a_planar_torque_source():
    """A σ step inside one ferromagnet: μ_s = μ_∥(x) m with the exact two-region profile
    (source (γ + (δγ + δσ_s)m_x²) j (1/σ2 − 1/σ1), decay κ_i² = c_sf/(1 − β̃_i²)); P1 rate 2,
    μ(0) to 1e-7 and the current to 1e-9 with P2; none without the new terms."""
    exact, bt = step_exact(F)
    assert exact.mu0 > 0 and abs(exact.mu0) > 1e-3 * V0
    m = np.asarray(F.m)
    errors, hs = [], []
    for cells in (40, 80, 160):
        problem = step_problem(F, cells, 1)
        sol = problem.solve()
        x = problem.x_si[0] - L1
        (k1, k2) = exact.kappa
        mu_par = ufl.conditional(ufl.lt(x, 0.0),
                                 exact.mu0 * ufl.sinh(k1 * (x + L1)) / math.sinh(k1 * L1),
                                 exact.mu0 * ufl.sinh(k2 * (L2 - x)) / math.sinh(k2 * L2))
        ref = mu_par * ufl.as_vector(list(m))
        errors.append(l2_norm(sol.mu_s - ref, problem.dx) / l2_norm(ref, problem.dx))
        hs.append(1 / cells)
    observed = rates(errors, hs)
    assert observed[-1] == pytest.approx(2.0, abs=0.1), (errors, observed)
    sol = step_problem(F, 80, 2).solve()
    xs = np.array([-20e-9, -5e-9, 0.0, 5e-9, 20e-9])
    mu = ob.line_profile(sol, np.column_stack([xs + L1, 0 * xs, 0 * xs]))
    assert np.allclose(mu, np.outer(exact.mu(xs), m), rtol=0, atol=3e-6 * exact.mu0)
    assert mu[2] @ m == pytest.approx(exact.mu0, rel=1e-7, abs=0)     # measured: 1.6e-8
    assert ob.contact_current(sol, "xmin") == pytest.approx(exact.j, rel=1e-9, abs=0)
    # V8: the spin the torque creates leaves through the reservoirs or relaxes; the
    # reservoirs absorb J̃ = β̃j − (σ/2)(1 − β̃²)μ' (closed form)
    for name, i, sign, slope in (("xmin", 0, -1, exact.mu0 * exact.kappa[0]
                                  / math.sinh(exact.kappa[0] * L1)),
                                 ("xmax", 1, 1, -exact.mu0 * exact.kappa[1]
                                  / math.sinh(exact.kappa[1] * L2))):
        sigma = (F.sigma, SIGMA2)[i]
        flux = bt[i] * exact.j - 0.5 * sigma * (1 - bt[i] ** 2) * slope
        assert m @ ob.contact_spin_current(sol, name) == pytest.approx(sign * flux, rel=1e-8,
                                                                       abs=0)
    # without spin AMR and torque the step injects nothing (βj is continuous)
    plain = step_problem(F.with_(delta_sigma_s=0.0, gamma_t=0.0, delta_gamma_t=0.0), 20, 1)
    assert mu_max(plain.solve()) < 1e-13 * V0


# ------------------------------------------------------------------ V7: parallel current
def fn_bilayer(mat, contacts):
    dev = layered_box([80e-9, 1.0], [16, 1], [("F", 20e-9, 8), ("N", 40e-9, 8)], axes="xy")
    return SpinChargeProblem(dev, {"F": mat, "N": CU},
                             [Contact(contacts[0], V=V0), Contact(contacts[1], V=0.0)])


def test_current_parallel_to_an_fn_interface_injects_nothing():
    """E ∥ interface (∇·E = 0): no torque source, μ_s = 0 exactly for m·ŷ = 0 or m ⊥ E;
    the same junction with current across the interface accumulates spin.  With m tilted
    between E and the normal, the anisotropic terms (Σ_sE)·ŷ, (ΓE)·ŷ ≠ 0 do inject."""
    for m in ((1, 0, 0), (0, 0, 1), (0.6, 0, 0.8), (0, 1, 0)):
        sol = fn_bilayer(F.with_(m=m), ("xmin", "xmax")).solve()
        assert mu_max(sol) < 1e-13 * V0, m
    perp = fn_bilayer(F.with_(m=(0, 1, 0)), ("ymin", "ymax")).solve()
    assert mu_max(perp) > 1e-3 * V0
    tilted = fn_bilayer(F.with_(m=(0.6, 0.8, 0)), ("xmin", "xmax")).solve()
    assert mu_max(tilted) > 1e-5 * V0


# ------------------------------------------------------------------ manufactured solution
AXES = "xy"


def div3(vec):
    return sum(grad3(vec[i], AXES)[i] for i in range(3))


def solve_mms(n):
    """Every term on, including the bulk torque m∇·(ΓE) of a non-uniform E."""
    msh = mesh.create_unit_square(MPI.COMM_WORLD, n, n, mesh.CellType.triangle)
    W = fem.functionspace(msh, ("Lagrange", 1, (4,)))
    x = ufl.SpatialCoordinate(msh)
    dx = ufl.Measure("dx", domain=msh)
    c = lambda v: fem.Constant(msh, np.asarray(v, dtype=np.float64))  # noqa: E731
    coef = fm.FerromagnetCoefficients(sigma=c(1.3), beta=c(0.4), c_sf=c(2.0),
                                      inv_lambda_J2=c(1.5), inv_lambda_phi2=c(0.7),
                                      m=c(np.array([1.0, 2.0, 2.0]) / 3.0),
                                      d_sigma=c(-0.3), theta_ah=c(0.2), d_sigma_s=c(0.2),
                                      gamma_t=c(0.3), d_gamma_t=c(0.1))
    Ve = ufl.sin(np.pi * x[0]) * ufl.cos(0.7 * np.pi * x[1]) + x[0]
    mue = ufl.as_vector([ufl.cos(np.pi * x[0] * x[1]), ufl.sin(1.3 * x[0] + 0.4) * x[1],
                         ufl.exp(0.5 * x[0]) * ufl.cos(np.pi * x[1])])
    jc, J = fm.charge_current(Ve, mue, coef, AXES), fm.spin_current(Ve, mue, coef, AXES)
    E = -grad3(Ve, AXES)
    T = coef.m * div3(ufl.dot(fm.torque_tensor(coef), E))               # m∇·(ΓE)
    f_c = div3(jc)
    f_s = ufl.as_vector([div3(J[a, :]) for a in range(3)]) \
        + 0.5 * coef.sigma * fm.relaxation(mue, coef) - T
    ds, rest, n3 = left_edge_split(msh)
    Jt = fm.conserved_spin_current(Ve, mue, coef, AXES)
    u, t = ufl.TrialFunction(W), ufl.TestFunction(W)
    V, mu = u[0], ufl.as_vector([u[1], u[2], u[3]])
    v, w = t[0], ufl.as_vector([t[1], t[2], t[3]])
    a = fm.bulk_form(V, mu, v, w, coef, AXES, dx)
    L = (f_c * v + ufl.inner(f_s, w)) * dx - (ufl.dot(jc, n3) * v
                                               + ufl.inner(ufl.dot(Jt, n3), w)) * ds(1)
    return mms_errors(a, L, W, Ve, mue, rest, dx)


def test_manufactured_solution_with_the_bulk_torque_converges_at_rate_two():
    ns = (8, 16, 32)
    errs = [solve_mms(n) for n in ns]
    for k in range(2):
        observed = rates([e[k] for e in errs], [1 / n for n in ns])
        assert observed[-1] > 1.9, (errs, observed)


# ------------------------------------------------------------------ Onsager
GROUND = [Contact("xmin", V=0.0, spin="opaque")]   # Dirichlet on V only: no term in a_form


def weighted_operator(m):
    """The assembled operator of an F|N bilayer (insulating faces: no boundary terms), spin
    rows weighted by 1/2 (the conjugate force of J is −∇μ_s/2), as a dense array."""
    dev = layered_box([30e-9, 1.0], [6, 1], [("F", 10e-9, 3), ("N", 10e-9, 3)], axes="xy",
                      comm=MPI.COMM_SELF)
    mat = F.with_(m=m, sigma_parallel=4.6e6, theta_ah=0.05)
    problem = SpinChargeProblem(dev, {"F": mat, "N": CU}, GROUND)
    A = fem.assemble_matrix(problem.a_form).to_dense()
    weight = np.tile([1.0, 0.5, 0.5, 0.5], A.shape[0] // 4)
    return weight[:, None] * A


def test_operator_is_onsager_reciprocal_with_spin_amr_and_torque():
    """S W A(m) S = (W A(−m))ᵀ, S = diag(1, −1, −1, −1) (μ_s odd under time reversal),
    m non-collinear, every term on (AMR, anomalous Hall, precession, spin AMR, torque): the
    charge current carries the reciprocal −½(Σ_s − Γ)∇(m·μ_s), so the conductance matrix
    of any device obeys G_ij(m) = G_ji(−m).  The new terms alone give a symmetric W A."""
    m = np.array([1.0, 2.0, 2.0]) / 3.0
    A_plus, A_minus = weighted_operator(m), weighted_operator(-m)
    parity = np.tile([1.0, -1.0, -1.0, -1.0], A_plus.shape[0] // 4)   # μ_s is odd under T
    scale = np.abs(A_plus).max()
    assert np.abs(parity[:, None] * A_plus * parity[None, :] - A_minus.T).max() < 1e-12 * scale
    assert np.abs(A_plus - A_plus.T).max() > 1e-3 * scale       # odd-in-m parts exist
    # the spin AMR and torque parts alone (differences of operators) are symmetric
    off = F.with_(delta_sigma_s=0.0, gamma_t=0.0, delta_gamma_t=0.0)
    dev = layered_box([30e-9, 1.0], [6, 1], [("F", 10e-9, 3), ("N", 10e-9, 3)], axes="xy",
                      comm=MPI.COMM_SELF)
    ops = []
    for mat in (F.with_(m=m), off.with_(m=m)):
        A = fem.assemble_matrix(SpinChargeProblem(dev, {"F": mat, "N": CU}, GROUND).a_form)
        ops.append(np.tile([1.0, 0.5, 0.5, 0.5], A.to_dense().shape[0] // 4)[:, None]
                   * A.to_dense())
    delta = ops[0] - ops[1]
    assert np.abs(delta).max() > 1e-3 * scale
    assert np.abs(delta - delta.T).max() < 1e-12 * np.abs(delta).max()


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("kw,match", [
    ({"delta_sigma_s": math.nan}, "delta_sigma_s must be finite"),
    ({"gamma_t": math.inf}, "gamma_t must be finite"),
    ({"delta_gamma_t": "1"}, "delta_gamma_t must be a number"),
    ({"gamma_t": 8e6}, "gamma_t must be such that"),              # β − γ/σ = −1.1
    ({"delta_sigma_s": 7.6e6}, "delta_sigma_s must be such that"),   # along m: −1.02
])
def test_bad_spin_amr_and_torque_parameters_name_the_parameter(kw, match):
    with pytest.raises((ValueError, TypeError), match=match):
        F.with_(**kw)


def test_defaults_switch_the_new_terms_off():
    co = kinetics.materials.get("Co")
    assert co.delta_sigma_s == co.gamma_t == co.delta_gamma_t == 0.0
    assert s1.PAPER_DELTA_GAMMA_RATIO == pytest.approx(1 / 3, rel=1e-15)
    assert s1.torque_tensor(3.0, 1.0, (0, 0, 1)) == pytest.approx(np.diag([3.0, 3.0, 4.0]))


# ------------------------------------------------------------------ MPI
@pytest.mark.mpi
def test_conductivity_step_on_distributed_mesh_equals_serial():
    par = step_problem(F, 40, 2, comm=MPI.COMM_WORLD).solve()
    ser = step_problem(F, 40, 2, comm=MPI.COMM_SELF).solve()
    pts = np.array([[L1 - 5e-9, 0, 0], [L1, 0, 0], [L1 + 7e-9, 0, 0]])
    a, b = ob.line_profile(par, pts), ob.line_profile(ser, pts)
    assert np.allclose(a, b, rtol=0, atol=1e-10 * np.abs(b).max())
    exact, _ = step_exact(F)
    assert a[1] @ F.m == pytest.approx(exact.mu0, rel=1e-6, abs=0)
