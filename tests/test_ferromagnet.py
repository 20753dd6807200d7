"""Ferromagnetic metals in the bulk (kinetics.physics.ferromagnet): Valet–Fert CPP-GMR of a
Co/Cu/Co trilayer, the transverse decay and precession of μ_s, a manufactured solution of the
full operator, Onsager reciprocity of a four-terminal F|N spin valve (with AMR and the
anomalous Hall effect), the AMR/AHE current of a film, the normal-metal limit, bad input, and
the GMR on 2 MPI ranks."""

import math

import numpy as np
import pytest
import ufl
from dolfinx import fem, mesh
from mpi4py import MPI

import kinetics
from kinetics import observables as ob
from kinetics.analytic import gmr
from kinetics.geometry import layered_box
from kinetics.materials import Ferromagnet, Material
from kinetics.models.spin_charge import SpinChargeProblem
from kinetics.physics import ferromagnet as fm
from kinetics.physics.boundaries import Contact, SpinInjection
from kinetics.physics.spin_charge import grad3

from _helpers import l2_norm, left_edge_split, mms_errors, rates

CO = kinetics.materials.get("Co")
CU = kinetics.materials.get("Cu").with_(theta_sh=0.0)
V0 = 1e-3


# ------------------------------------------------------------------ 1. CPP-GMR (Valet–Fert)
def trilayer_ra(t_N, comm=None, cells=50, degree=2):
    """R·A (Ω m²) of Co/Cu/Co, parallel and antiparallel, leads of 10 l_F, 1D graded mesh."""
    lead = 10 * CO.lambda_sf
    dev = layered_box([1.0], [1], [("F1", lead, cells), ("N", t_N, cells), ("F2", lead, cells)],
                      axes="x", grading=0.6, comm=comm)
    out = {}
    for state, p in (("P", 1.0), ("AP", -1.0)):
        mats = {"F1": CO, "N": CU, "F2": CO.with_(m=(0.0, 0.0, p))}
        problem = SpinChargeProblem(dev, mats, [Contact("xmin", V=V0), Contact("xmax", V=0.0)],
                                    degree=degree, solver="direct")
        out[state] = V0 / ob.contact_current(problem.solve(), "xmin")   # 1D: A/m²
    return out


@pytest.mark.parametrize("ratio", [0.1, 1.0, 3.0])
def test_cpp_gmr_matches_valet_fert(ratio):
    """ΔR·A ~ 1e-15 Ω m²: every comparison is relative (abs=0)."""
    t_N = ratio * CU.lambda_sf
    ra = trilayer_ra(t_N)
    args = (t_N, CO.sigma, CO.beta, CO.lambda_sf, CU.sigma, CU.lambda_sf)
    exact = gmr.cpp_gmr_delta_ra(*args)
    assert ra["AP"] - ra["P"] == pytest.approx(exact, rel=1e-4, abs=0)
    # the parallel state alone: bulk series resistance + spin-accumulation excess
    bulk = 2 * 10 * CO.lambda_sf / CO.sigma + t_N / CU.sigma
    assert ra["P"] - bulk == pytest.approx(gmr.cpp_excess_ra(*args, parallel=True), rel=1e-4, abs=0)


def test_cpp_gmr_converges_at_rate_two_with_p1():
    t_N = CU.lambda_sf
    exact = gmr.cpp_gmr_delta_ra(t_N, CO.sigma, CO.beta, CO.lambda_sf, CU.sigma, CU.lambda_sf)
    errors = []
    for cells in (25, 50, 100):
        ra = trilayer_ra(t_N, cells=cells, degree=1)
        errors.append(abs(ra["AP"] - ra["P"] - exact) / exact)
    observed = rates(errors, [1 / 25, 1 / 50, 1 / 100])
    assert observed[-1] == pytest.approx(2.0, abs=0.1), (errors, observed)


def test_set_magnetization_of_a_region_reassembles_the_bulk():
    """Switching the second layer with set_magnetization gives the antiparallel R·A of a
    freshly built problem (the operator and the right-hand side are rebuilt)."""
    t_N = CU.lambda_sf
    ref = trilayer_ra(t_N, cells=30)
    dev = layered_box([1.0], [1], [("F1", 10 * CO.lambda_sf, 30), ("N", t_N, 30),
                                   ("F2", 10 * CO.lambda_sf, 30)], axes="x", grading=0.6)
    problem = SpinChargeProblem(dev, {"F1": CO, "N": CU, "F2": CO},
                                [Contact("xmin", V=V0), Contact("xmax", V=0.0)], degree=2)
    r_p = V0 / ob.contact_current(problem.solve(), "xmin")
    problem.set_magnetization("F2", (0, 0, -1))
    sol = problem.solve()
    r_ap = V0 / ob.contact_current(sol, "xmin")
    assert r_p == pytest.approx(ref["P"], rel=1e-12, abs=0)
    assert r_ap == pytest.approx(ref["AP"], rel=1e-12, abs=0)
    assert np.allclose(sol.magnetizations["F2"], [0, 0, -1])
    # j_c of each region comes from its own bulk model: uniform, equal to the contact current
    j = ob.contact_current(sol, "xmin")
    for region in ("F1", "N", "F2"):
        assert ob.region_average(sol, "j_c", region)[0] == pytest.approx(j, rel=1e-9, abs=0)
    with pytest.raises(ValueError, match="m must be a unit vector"):
        problem.set_magnetization("F2", (0, 0, 2))
    with pytest.raises(KeyError, match="ferromagnetic regions: F1, F2"):
        problem.set_magnetization("N", (0, 0, 1))


# ------------------------------------------------------------------ 2. transverse decay
def transverse_solution(cells, degree, length=30e-9, j0=1e9):
    """A transverse spin current j0 x̂ injected at x = 0 into Co with m = ẑ (reservoir at x = L);
    returns the problem, its solution and the exact μ_x, μ_y as UFL."""
    dev = layered_box([length], [cells], axes="x")
    problem = SpinChargeProblem(dev, {"film": CO}, [
        SpinInjection("xmin", j_s=(j0, 0.0, 0.0)), Contact("xmax", V=0.0)], degree=degree)
    k = gmr.transverse_wavenumber(CO.beta, CO.lambda_sf, CO.lambda_J, CO.lambda_phi)
    C = 2 * j0 / (CO.sigma * k)   # μ₊ = C e^{−kx}: −(σ/2) μ₊'(0) = j0 (e^{−2 Re k L} ~ 1e-21)
    x = problem.x_si[0]
    decay = ufl.exp(-k.real * x)
    c, s = ufl.cos(k.imag * x), ufl.sin(k.imag * x)
    exact = ufl.as_vector([decay * (C.real * c + C.imag * s), decay * (C.imag * c - C.real * s),
                           0.0])
    return problem, problem.solve(), exact, k, C


def test_transverse_accumulation_decays_and_precesses_counterclockwise():
    errors, hs = [], []
    for cells in (100, 200, 400):
        problem, sol, exact, k, C = transverse_solution(cells, 1)
        errors.append(l2_norm(sol.mu_s - exact, problem.dx) / l2_norm(exact, problem.dx))
        hs.append(1 / cells)
    observed = rates(errors, hs)
    assert observed[-1] == pytest.approx(2.0, abs=0.1), (errors, observed)
    assert errors[-1] < 1e-3
    # decay length 1/Re k and precession period 2π/|Im k| read off the P2 solution
    problem, sol, exact, k, C = transverse_solution(300, 2)
    x = np.array([2e-9, 4e-9])
    mu = ob.line_profile(sol, np.column_stack([x, 0 * x, 0 * x]))
    z = mu[:, 0] + 1j * mu[:, 1]
    ratio = z[1] / z[0]
    assert -np.log(abs(ratio)) / 2e-9 == pytest.approx(k.real, rel=1e-4, abs=0)
    # the phase grows with x: from x̂ toward +ŷ, counter-clockwise about m = +ẑ
    assert np.angle(ratio) / 2e-9 == pytest.approx(-k.imag, rel=1e-4, abs=0)
    assert -k.imag > 0
    assert np.allclose(mu[:, 2], 0.0, atol=1e-12 * abs(C))
    # the exact k² = (1 − β²)/l_sf² + 1/λ_φ² − i/λ_J²
    assert k ** 2 == pytest.approx(complex((1 - CO.beta ** 2) / CO.lambda_sf ** 2
                                           + CO.lambda_phi ** -2, -CO.lambda_J ** -2),
                                   rel=1e-12, abs=0)


# ------------------------------------------------------------------ 3. manufactured solution
AXES = "xy"


def div3(vec):
    return sum(grad3(vec[i], AXES)[i] for i in range(3))


def solve_mms(n, degree):
    msh = mesh.create_unit_square(MPI.COMM_WORLD, n, n, mesh.CellType.triangle)
    W = fem.functionspace(msh, ("Lagrange", degree, (4,)))
    x = ufl.SpatialCoordinate(msh)
    dx = ufl.Measure("dx", domain=msh)
    c = lambda v: fem.Constant(msh, np.asarray(v, dtype=np.float64))  # noqa: E731
    coef = fm.FerromagnetCoefficients(sigma=c(1.3), beta=c(0.4), c_sf=c(2.0),
                                      inv_lambda_J2=c(1.5), inv_lambda_phi2=c(0.7),
                                      m=c(np.array([1.0, 2.0, 2.0]) / 3.0),
                                      d_sigma=c(-0.3), theta_ah=c(0.2))
    Ve = ufl.sin(np.pi * x[0]) * ufl.cos(0.7 * np.pi * x[1]) + x[0]
    mue = ufl.as_vector([ufl.cos(np.pi * x[0] * x[1]), ufl.sin(1.3 * x[0] + 0.4) * x[1],
                         ufl.exp(0.5 * x[0]) * ufl.cos(np.pi * x[1])])
    jc, J = fm.charge_current(Ve, mue, coef, AXES), fm.spin_current(Ve, mue, coef, AXES)
    f_c = div3(jc)                                                   # ∇·j_c
    f_s = ufl.as_vector([div3(J[a, :]) for a in range(3)]) \
        + 0.5 * coef.sigma * fm.relaxation(mue, coef)               # ∂_iJ[a, i] + (σ/2)R

    # natural condition (given total normal currents) on x = 0, Dirichlet elsewhere
    ds, rest, n3 = left_edge_split(msh)

    u, t = ufl.TrialFunction(W), ufl.TestFunction(W)
    V, mu = u[0], ufl.as_vector([u[1], u[2], u[3]])
    v, w = t[0], ufl.as_vector([t[1], t[2], t[3]])
    a = fm.bulk_form(V, mu, v, w, coef, AXES, dx)
    L = (f_c * v + ufl.inner(f_s, w)) * dx - (ufl.dot(jc, n3) * v
                                               + ufl.inner(ufl.dot(J, n3), w)) * ds(1)
    return mms_errors(a, L, W, Ve, mue, rest, dx)


@pytest.mark.parametrize("degree", [1, 2])
def test_manufactured_solution_converges_at_optimal_rate(degree):
    ns = (8, 16, 32)
    errs = [solve_mms(n, degree) for n in ns]
    hs = [1.0 / n for n in ns]
    for k in range(2):
        observed = rates([e[k] for e in errs], hs)
        assert observed[-1] > degree + 1 - 0.1, (errs, observed)


# ------------------------------------------------------------------ 4. Onsager
FM = Ferromagnet("F", sigma=5e6, beta=0.6, lambda_sf=20e-9, lambda_J=8e-9, lambda_phi=12e-9,
                 sigma_parallel=4.6e6, theta_ah=0.05)
CONTACTS = ("contact_left", "contact_right", "fm1_top", "fm2_top")


@pytest.fixture(scope="module")
def spin_valve():
    """A 2D nonlocal spin valve: Cu channel, two ferromagnetic electrodes on top."""
    from kinetics.geometry import nonlocal_spin_valve
    return nonlocal_spin_valve(400e-9, 100e-9, 20e-9, gap=100e-9, fm_thickness=20e-9,
                               dim=2, h=8e-9)


def conductance_matrix(device, m1, m2):
    """G_ij = I_i / V_j (A/m, 2D cross-section) between the four disjoint contacts."""
    mats = {"channel": CU.with_(lambda_sf=80e-9), "fm1": FM.with_(m=m1), "fm2": FM.with_(m=m2)}
    G = np.zeros((4, 4))
    for j, drive in enumerate(CONTACTS):
        problem = SpinChargeProblem(device, mats, [Contact(c, V=V0 if c == drive else 0.0)
                                                   for c in CONTACTS], solver="direct")
        sol = problem.solve()
        G[:, j] = [ob.contact_current(sol, c) / V0 for c in CONTACTS]
    return G


def test_conductance_matrix_is_onsager_reciprocal(spin_valve):
    """G_ij(m) = G_ji(−m) with non-collinear electrodes, every transverse term, AMR and the
    anomalous Hall effect on (the latter makes G itself asymmetric)."""
    m1, m2 = np.array([1.0, 2.0, 2.0]) / 3.0, np.array([0.6, 0.0, -0.8])
    G_plus = conductance_matrix(spin_valve, m1, m2)
    G_minus = conductance_matrix(spin_valve, -m1, -m2)
    scale = np.abs(G_plus).max()
    assert np.allclose(G_plus, G_minus.T, rtol=0, atol=1e-10 * scale)
    assert np.allclose(G_plus.sum(axis=0), 0.0, atol=1e-10 * scale)   # charge conservation
    assert np.allclose(G_plus.sum(axis=1), 0.0, atol=1e-10 * scale)   # uniform V: no current
    assert np.all(np.diag(G_plus) > 0)
    assert np.abs(G_plus - G_plus.T).max() > 1e-5 * scale          # the Hall part is odd in m
    # the magnetizations matter: the spin-valve signal changes with the relative angle
    G_par = conductance_matrix(spin_valve, m1, m1)
    assert abs(G_par[2, 3] - G_plus[2, 3]) > 1e-6 * abs(G_plus[2, 3])


# ------------------------------------------------------------------ AMR and anomalous Hall
def test_amr_and_anomalous_hall_current_of_a_film():
    """A film along x with shorted transverse directions (1D mesh): μ_s = 0 and j = σ̂ E x̂,
    σ̂ = σ_⊥(I − mmᵀ) + σ_∥mmᵀ + θ_AH σ_⊥ m×; exact for P1."""
    length, sigma_par, theta = 100e-9, 4.0e6, 0.02
    dev = layered_box([length], [10], axes="x")
    E = V0 / length
    for m in ((0.6, 0.48, 0.64), (0.0, 0.0, 1.0), (1.0, 0.0, 0.0)):
        mat = Ferromagnet("F", sigma=5e6, beta=0.5, lambda_sf=10e-9, lambda_J=2e-9,
                          lambda_phi=3e-9, m=m, sigma_parallel=sigma_par, theta_ah=theta)
        sol = SpinChargeProblem(dev, {"film": mat}, [Contact("xmin", V=V0),
                                                      Contact("xmax", V=0.0)]).solve()
        j = gmr.conductivity_tensor(5e6, sigma_par, theta, m) @ np.array([E, 0.0, 0.0])
        assert ob.contact_current(sol, "xmin") == pytest.approx(j[0], rel=1e-10, abs=0)
        assert np.allclose(ob.region_average(sol, "j_c", "film"), j, rtol=0, atol=1e-10 * j[0])
        assert np.allclose(sol.u.x.array[1::4], 0.0, atol=1e-12 * V0)
    # m = ẑ: the Hall current flows along m×E = +ŷ, and ρ_xy = θ/(σ(1 + θ²)) of a Hall bar
    s = gmr.conductivity_tensor(5e6, sigma_par, theta, (0, 0, 1))
    assert s[1, 0] == pytest.approx(theta * 5e6, rel=1e-14)
    assert np.linalg.inv(s)[0, 1] == pytest.approx(theta / (5e6 * (1 + theta ** 2)), rel=1e-12)
    # AMR: ρ_xx = 1/σ_∥ with m ∥ E, 1/σ_⊥ with m ⊥ E
    assert 1 / gmr.conductivity_tensor(5e6, sigma_par, 0.0, (1, 0, 0))[0, 0] == \
        pytest.approx(1 / sigma_par, rel=1e-14)


# ------------------------------------------------------------------ 5. normal-metal limit
def test_normal_metal_limit_is_exactly_the_normal_metal():
    """β = 0, λ_J = λ_φ = inf: the ferromagnet is the normal metal with λ_sf = l_sf (spin
    from the spin Hall effect of Pt next to it)."""
    dev = layered_box([20e-9, 1], [8, 1], [("pt", 4e-9, 6), ("x", 6e-9, 6)], axes="xz")
    nm = Material("X", sigma=5e6, lambda_sf=3e-9)
    ferro = Ferromagnet("X", sigma=5e6, beta=0.0, lambda_sf=3e-9, m=(0.6, 0.0, 0.8))
    bcs = [Contact("xmin", V=V0), Contact("xmax", V=0.0, spin="opaque")]
    pt = kinetics.materials.get("Pt")
    sols = [SpinChargeProblem(dev, {"pt": pt, "x": mat}, bcs, degree=2).solve()
            for mat in (nm, ferro)]
    u_nm, u_fm = (s.u.x.array for s in sols)
    assert np.abs(u_nm[2::4]).max() > 1e-4 * V0        # a spin accumulation μ_y exists
    assert np.allclose(u_fm, u_nm, rtol=1e-10, atol=1e-12 * np.abs(u_nm).max())
    for name in ("j_c", "j_s"):
        a, b = (ob.region_average(s, name, "x") for s in sols)
        assert np.allclose(a, b, rtol=1e-9, atol=1e-12 * np.abs(a).max())


# ------------------------------------------------------------------ 6. bad input
@pytest.mark.parametrize("kw,match", [
    ({"beta": 1.0}, "beta must be in"), ({"beta": -1.2}, "beta must be in"),
    ({"beta": math.nan}, "beta must be finite"),
    ({"lambda_sf": 0.0}, "lambda_sf must be positive"),
    ({"lambda_J": -1e-9}, "lambda_J must be positive"),
    ({"lambda_phi": 0.0}, "lambda_phi must be positive"),
    ({"sigma": -1.0}, "sigma must be positive"),
    ({"sigma_parallel": 0.0}, "sigma_parallel must be positive"),
    ({"theta_ah": math.inf}, "theta_ah must be finite"),
    ({"m": (0.0, 0.0, 2.0)}, "m must be a unit vector"),
    ({"m": (0.0, 0.0, 0.0)}, "m must be a unit vector"),
])
def test_bad_ferromagnet_parameters_name_the_parameter(kw, match):
    with pytest.raises(ValueError, match=match):
        CO.with_(**kw)


def test_ferromagnet_library_and_type_errors():
    for name in ("Co", "Py", "Fe", "Ni", "CoFeB"):
        mat = kinetics.materials.get(name)
        assert isinstance(mat, Ferromagnet) and mat.source and 0 < mat.beta < 1
    for name in ("Cu", "Ag", "Al"):
        assert isinstance(kinetics.materials.get(name), Material)
    assert CO.rho_star == pytest.approx(1 / (CO.sigma * (1 - CO.beta ** 2)), rel=1e-14, abs=0)
    with pytest.raises(TypeError, match="beta must be a number"):
        CO.with_(beta="0.5")
    with pytest.raises(TypeError, match="unknown parameter"):
        CO.with_(theta_sh=0.1)


# ------------------------------------------------------------------ 7. MPI
@pytest.mark.mpi
def test_cpp_gmr_on_distributed_mesh_equals_serial():
    t_N = CU.lambda_sf
    par = trilayer_ra(t_N, comm=MPI.COMM_WORLD, cells=40)
    ser = trilayer_ra(t_N, comm=MPI.COMM_SELF, cells=40)
    delta_par, delta_ser = par["AP"] - par["P"], ser["AP"] - ser["P"]
    assert delta_par == pytest.approx(delta_ser, rel=1e-10, abs=0)
    assert delta_par == pytest.approx(gmr.cpp_gmr_delta_ra(
        t_N, CO.sigma, CO.beta, CO.lambda_sf, CU.sigma, CU.lambda_sf), rel=1e-4, abs=0)
