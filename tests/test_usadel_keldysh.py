"""The linearized Keldysh sector (kinetics.usadel.kinetic, kinetics.usadel.keldysh):

- the fast coefficients equal the brute-force projection of the Keldysh equation;
- the projected equations are real for any normalized retarded function;
- normal state: the coefficients are seed 003 Eqs. 79–81 (relaxation sign corrected) with
  n ↔ h_T, S^a ↔ h_Ta, and on a mesh the kinetic solution equals SpinChargeProblem
  (V ↔ h_T, μ_s ↔ 2h_Ta) to 1e-8 on the spin Hall strip with swapping (1 and 2 ranks);
- bulk BCS: the energy and charge modes diffuse with D_L = (D/2)(1 + |G|² − |F|²) and
  D_T = (D/2)(1 + |G|² + |F|²) (Belzig, Wilhelm, Bruder, Schön & Zaikin, Superlatt.
  Microstruct. 25, 1251 (1999), with G, F the normal and anomalous retarded functions);
- an N wire on a superconducting reservoir (Nazarov & Stoof, PRL 76, 823 (1996)): the charge
  mode obeys (D_T h_T')' = 0, so h_T(x) = ∫_x^L dx'/D_T / ∫_0^L dx'/D_T with D_T = cosh²(Im θ)
  from the retarded solution, and G(ε = 0) = G_N (re-entrance).
"""

import numpy as np
import pytest
from mpi4py import MPI
from scipy.integrate import quad
from scipy.interpolate import CubicSpline

import kinetics
from kinetics.geometry import layered_box
from kinetics.models.spin_charge import SpinChargeProblem
from kinetics.physics.boundaries import Contact
from kinetics.usadel import bulk, kinetic, riccati
from kinetics.usadel.keldysh import KineticProblem, Terminal, fermi_weight, thermal_quadrature
from kinetics.usadel.parameters import unpack
from kinetics.usadel.problem import COMPILE_FAST, Reservoir, UsadelProblem, UsadelRegion
from test_usadel_extrinsic import H_FIELD, POINTS, random_state, with_gradient

PARAMS = dict(eta=0.05, D=1.3, theta=0.11, kappa=-0.07, inv_tau_so=0.3, inv_tau_sf=0.1)


def random_distribution(rng):
    h = np.einsum("m,mij->ij", rng.normal(size=8), kinetic.PROJECTORS)
    dh = np.einsum("km,mij->kij", rng.normal(size=(3, 8)), kinetic.PROJECTORS)
    return h, dh


@pytest.mark.parametrize("axes", [(0, 1), (0, 1, 2), (0, 2), (1,)])
def test_coefficients_equal_the_projected_keldysh_equation(axes):
    g, dg = with_gradient(POINTS[0], 1, H_FIELD)
    dg[2] = 0.3 * dg[0] - 0.2 * dg[1]                 # a z gradient for the 3D cases
    for ax in set(range(3)) - set(axes):
        dg[ax] = 0
    X = riccati.energy_matrix(0.3, 0.0, 0.5, H_FIELD)
    fast = kinetic.coefficients(g, dg, axes, X=X, **PARAMS)
    ref = kinetic.coefficients_reference(g, dg, axes, X=X, **PARAMS)
    for a, b in zip(fast, ref):
        assert a.shape == b.shape
        assert np.abs(a - b).max() < 1e-12 * max(1.0, np.abs(b).max())
    # and the coefficients reproduce the fluxes and sources of a random distribution
    h, dh = random_distribution(np.random.default_rng(1))
    dh[[ax for ax in range(3) if ax not in axes]] = 0
    Q, S = kinetic.fluxes_and_sources(g, dg, h, dh, X=X, **PARAMS)
    c = np.einsum("mij,ji->m", kinetic.PROJECTORS, h).real / 4
    dc = np.einsum("mij,kji->km", kinetic.PROJECTORS, dh[list(axes)]).real / 4
    A, B, C, E = fast
    q = np.einsum("mij,kji->mk", kinetic.PROJECTORS, Q[list(axes)]).real / 4
    s = np.einsum("mij,ji->m", kinetic.PROJECTORS, S).real / 4
    assert np.allclose(q, np.einsum("mknj,jn->mk", A, dc) + np.einsum("mkn,n->mk", B, c),
                       atol=1e-12)
    assert np.allclose(s, np.einsum("mn,n->m", C, c) + np.einsum("mnj,jn->m", E, dc),
                       atol=1e-12)
    assert (np.abs(E).max() > 1e-3) == (len(axes) > 1)   # the torque acts on ∂h (2D, 3D)


def test_projected_equations_are_real():
    rng = np.random.default_rng(2)
    for _ in range(3):
        g, dg = random_state()
        h, dh = random_distribution(rng)
        X = riccati.energy_matrix(0.3, 0.0, 0.5 + 0.2j, (0.1, 0.2, 0.3))
        Q, S = kinetic.fluxes_and_sources(g, dg, h, dh, X=X, **PARAMS)
        q = np.einsum("mij,kji->km", kinetic.PROJECTORS, Q)
        s = np.einsum("mij,ji->m", kinetic.PROJECTORS, S)
        assert np.abs(q.real).max() > 0.1
        assert np.abs(q.imag).max() < 1e-12 and np.abs(s.imag).max() < 1e-12


def test_normal_state_coefficients_are_the_spin_charge_equations():
    """q^m_k = 2 × (−j^m_k) with seed 003 Eqs. 80–81 and s^m = −(2/τ_so) h_m for the spin
    modes: j_k = −D∂_kn + Dθε_akj∂_jS^a, J^b_k = −D∂_kS^b + Dθε_bkj∂_jn
    − Dκ(δ_kb∂_aS^a − ∂_bS^k)."""
    D, th, ka, rate = 1.3, 0.11, -0.07, 0.4
    A, B, C, E = kinetic.coefficients(riccati.RHO3, np.zeros((3, 4, 4)), (0, 1, 2),
                                      X=riccati.energy_matrix(0.7, 0.0), eta=0.0, D=D,
                                      theta=th, kappa=ka, inv_tau_so=rate)
    eps = np.zeros((3, 3, 3))
    for a, b, c in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
        eps[a, b, c], eps[a, c, b] = 1.0, -1.0
    j = np.zeros((8, 3, 8, 3))           # −j^m_k = Σ j[m, k, n, j'] ∂_j' h_n
    T, S = 1, [2, 3, 4]
    for k in range(3):
        j[T, k, T, k] = D
        j[0, k, 0, k] = D
        for a in range(3):
            j[S[a], k, S[a], k] = D
            j[5 + a, k, 5 + a, k] = D
            for jj in range(3):
                j[T, k, S[a], jj] -= D * th * eps[a, k, jj]
                j[S[a], k, T, jj] -= D * th * eps[a, k, jj]
        for b in range(3):
            for a in range(3):                # −Dκ(δ_kb ∂_aS^a − ∂_bS^k)
                j[S[b], k, S[a], a] += D * ka * (k == b)
            j[S[b], k, S[k], b] -= D * ka
    assert np.allclose(A[[1, 2, 3, 4]], 2 * j[[1, 2, 3, 4]], atol=1e-14)
    assert np.abs(B).max() == 0 and np.abs(E).max() == 0
    expected = np.zeros((8, 8))
    for m in range(2, 8):
        expected[m, m] = -2 * rate        # Elliott–Yafet: D∇²h = h/τ_so on spin modes
    assert np.allclose(C, expected, atol=1e-14)


@pytest.mark.parametrize("eps", [0.3, 0.9, 1.2, 2.0, -1.5])
def test_bcs_energy_and_charge_modes_diffuse_with_belzig_coefficients(eps):
    gam, gam_t = bulk.bcs_riccati(eps, 1.0, 1e-3)
    g = riccati.gf_from_riccati(gam, gam_t)
    A = kinetic.coefficients(g, np.zeros((3, 4, 4)), (0,), X=riccati.energy_matrix(eps, 0.0, 1.0),
                             eta=1e-3, D=1.0)[0]
    G, F = g[0, 0], g[0, 3]
    DL = (1 + abs(G) ** 2 - abs(F) ** 2) / 2
    DT = (1 + abs(G) ** 2 + abs(F) ** 2) / 2
    assert A[0, 0, 0, 0] / 2 == pytest.approx(DL, rel=1e-10, abs=1e-14)
    assert A[1, 0, 1, 0] / 2 == pytest.approx(DT, rel=1e-10)
    if abs(eps) < 1:
        assert DL < 1e-4 < 1 < DT            # no energy transport in the gap
    # without spin splitting the spin mode diffuses like the energy mode, the spin-energy
    # mode like the charge mode (Bergeret et al., RMP 90, 041001 (2018), Sec. IV)
    assert A[2, 0, 2, 0] == pytest.approx(A[0, 0, 0, 0], rel=1e-10, abs=1e-14)
    assert A[5, 0, 5, 0] == pytest.approx(A[1, 0, 1, 0], rel=1e-10)


@pytest.mark.parametrize("eps", [0.3, 0.9, -0.5, 1.5])
def test_bcs_charge_imbalance_conversion(eps):
    """The Δ term of the charge mode is the Andreev conversion −2R_T h_T with
    R_T = 2Δ Re F_B (Belzig et al. 1999; F_B = i F in the convention here): strong inside
    the gap, zero above it (η → 0); the energy mode is not converted."""
    eta = 1e-9
    gam, gam_t = bulk.bcs_riccati(eps, 1.0, eta)
    g = riccati.gf_from_riccati(gam, gam_t)
    C = kinetic.coefficients(g, np.zeros((3, 4, 4)), (0,), X=riccati.energy_matrix(eps, 0.0, 1.0),
                             eta=eta, D=1.0)[2]
    R_T = 2 * 1.0 * np.real(1j * g[0, 3])
    assert C[1, 1] == pytest.approx(-2 * R_T, rel=1e-6, abs=1e-6)
    assert (abs(C[1, 1]) > 1.0) == (abs(eps) < 1)
    assert abs(C[0, 0]) < 1e-6


# ---------------------------------------------------------------- finite elements
LAM, W, LX = 100e-9, 40e-9, 600e-9


def strip_pair(theta=0.1, kappa=0.05, dim=2):
    """SpinChargeProblem and the kinetic h at one energy on the same strip mesh (x ∈ [0, LX],
    y ∈ [0, W] (and z ∈ [0, W] for dim = 3), V = 1 and h_T = 1 at xmin, 0 at xmax)."""
    dev = (layered_box([LX, W], [60, 8], axes="xy") if dim == 2
           else layered_box([LX / 2, W, W], [24, 5, 5]))
    mat = kinetics.materials.Material("m", sigma=1e7, lambda_sf=LAM, theta_sh=theta,
                                      kappa=kappa)
    sol = SpinChargeProblem(dev, {"film": mat}, [Contact("xmin", V=1.0),
                                                 Contact("xmax", V=0.0)], degree=1).solve()
    reg = UsadelRegion(D=1.0, tau_so=(LAM / dev.length_unit) ** 2, theta=theta, kappa=kappa)
    up = UsadelProblem(dev, {"film": reg}, {"xmin": Reservoir(), "xmax": Reservoir()},
                       eta=1e-14, degree=1, jit_options=COMPILE_FAST)
    up.sweep([0.0])
    kp = KineticProblem(up, {"xmin": Terminal(mu=-0.5)})
    return sol, kp.solve(0.0), kp


def check_strip(sol, h, kp):
    U, H = sol.u.x.array.reshape(-1, 4), h.x.array.reshape(-1, 8)
    assert np.array_equal(sol.u.function_space.dofmap.list, h.function_space.dofmap.list)
    comm = h.function_space.mesh.comm
    big = comm.allreduce(np.abs(U[:, 3]).max(initial=0), op=MPI.MAX)
    err_v = comm.allreduce(np.abs(U[:, 0] - H[:, 1]).max(initial=0), op=MPI.MAX)
    err_s = comm.allreduce(np.abs(U[:, 1:] - 2 * H[:, 2:5]).max(initial=0), op=MPI.MAX)
    other = comm.allreduce(np.abs(H[:, [0, 5, 6, 7]]).max(initial=0), op=MPI.MAX)
    assert big > 5e-3                              # the spin Hall accumulation μ_z
    assert err_v < 1e-8 and err_s < 1e-8 * big
    assert other < 1e-12
    # the energy integral: μ = −½∫w ñ = (−½)(−2μ_terminal) × profile, T-independent
    mu, mu_s, Y = kp.accumulations(0.7, points=8)
    assert np.allclose(Y.x.array, 1.0, atol=1e-12)
    assert np.allclose(mu.x.array, -0.5 * U[:, 0], atol=1e-12)
    assert np.allclose(mu_s.x.array.reshape(-1, 3), -0.5 * U[:, 1:], atol=1e-12 * big)


def test_normal_state_equals_the_spin_charge_model_on_a_strip():
    check_strip(*strip_pair())


def test_normal_state_equals_the_spin_charge_model_in_3d_with_swapping():
    """In a 3D bar the spin Hall accumulations S^z(y) and S^y(z) have ∂_aS^a ≠ 0, so the
    swapping term acts (in 2D it would not): the kinetic solution still equals
    SpinChargeProblem, and κ changes it."""
    sol, h, kp = strip_pair(dim=3)
    check_strip(sol, h, kp)
    sol0, h0, _ = strip_pair(kappa=0.0, dim=3)
    change = np.abs(h.x.array.reshape(-1, 8)[:, 2:5] - h0.x.array.reshape(-1, 8)[:, 2:5]).max()
    assert change > 1e-3 * np.abs(h0.x.array.reshape(-1, 8)[:, 2:5]).max()


@pytest.mark.mpi
def test_normal_state_equals_the_spin_charge_model_on_a_strip_mpi():
    check_strip(*strip_pair())


def ns_wire(cells=40, delta=50.0, eta=1e-7):
    dev = layered_box([1.0], [cells], length_unit=1.0)
    return UsadelProblem(dev, {"film": UsadelRegion()},
                         {"xmin": Reservoir(), "xmax": Reservoir(delta=delta)}, eta=eta,
                         degree=2, jit_options=COMPILE_FAST)


def gathered(comm, x, *values):
    xs = np.concatenate(comm.allgather(x))
    order = np.argsort(xs)
    xs, keep = np.unique(xs[order], return_index=True)
    return (xs,) + tuple(np.concatenate(comm.allgather(v))[order][keep] for v in values)


def ns_conductance(up, eps):
    """G(ε)/G_N from the kinetic h_T and the check of its profile against D_T(x)."""
    up.sweep([eps])
    kp = KineticProblem(up, {"xmin": Terminal(mu=-0.5)})
    h = kp.solve(eps)
    V = up.space
    n = V.dofmap.index_map.size_local
    x = V.tabulate_dof_coordinates()[:n, 0]
    gam, gam_t = unpack(up.u.x.array.reshape(-1, 16)[:n])
    G = riccati.gf_from_riccati(gam, gam_t)
    DT = (1 + np.abs(G[:, 0, 0]) ** 2 + np.abs(G[:, 0, 3]) ** 2) / 2
    xs, DT, hT, other = gathered(up.mesh.comm, x, DT, h.x.array.reshape(-1, 8)[:n, 1],
                                 np.abs(h.x.array.reshape(-1, 8)[:n, [0, 2, 3, 4, 5, 6, 7]]).max(
                                     axis=1))
    inv = CubicSpline(xs, 1 / DT)
    R = inv.integrate(0, 1)
    exact = np.array([inv.integrate(xx, 1) / R for xx in xs])
    kp.destroy()
    return 1 / R, np.abs(hT - exact).max(), other.max()


def check_ns_wire():
    up = ns_wire()
    G = {}
    for eps in (0.0, 3.0, 5.0):
        G[eps], err, other = ns_conductance(up, eps)
        assert err < 1e-6
        assert other < 1e-12
    assert G[0.0] == pytest.approx(1.0, abs=1e-6)              # re-entrance at ε = 0
    assert G[3.0] > 1.1 and G[5.0] > 1.15                     # proximity enhancement
    return G


def test_ns_wire_charge_mode_and_reentrance():
    check_ns_wire()


@pytest.mark.mpi
def test_ns_wire_charge_mode_and_reentrance_mpi():
    check_ns_wire()


def test_kinetic_problem_errors():
    dev = layered_box([1.0], [4], length_unit=1.0)
    one = UsadelProblem(dev, {"film": UsadelRegion()}, {"xmax": Reservoir(delta=5.0)},
                        eta=1e-3, jit_options=COMPILE_FAST)
    with pytest.raises(ValueError, match="not a reservoir"):
        KineticProblem(one, {"xmin": Terminal()})
    up = ns_wire(cells=4)
    with pytest.raises(KeyError):
        KineticProblem(up, {"nowhere": Terminal()})
    with pytest.raises(ValueError, match="Terminal"):
        KineticProblem(up, {"xmin": 1.0})
    kp = KineticProblem(up, {})
    with pytest.raises(ValueError, match="solve it at this energy"):
        kp.solve(0.5)
    with pytest.raises(ValueError, match="mu"):
        Terminal(mu=float("nan"))
    with pytest.raises(ValueError, match="temperature"):
        kp.accumulations(0.0)


@pytest.mark.parametrize("T", [0.05, 0.3, 1.0, 30.0])
def test_thermal_quadrature(T):
    """Exact for constants; converges for a Dynes-BCS-like integrand with square-root peaks
    at the gap edges ±1 (reference: the same rule with 4000 points, and scipy.quad at low T
    where the peaks carry no weight)."""
    eps, w = thermal_quadrature(T, edges=(1.0, 2.5), points=128)
    assert np.all(np.diff(eps) > 0) and np.allclose(eps, -eps[::-1])
    assert w.sum() == pytest.approx(1.0, abs=1e-13)

    def f(e):
        return 1 / (1 + e ** 2) + np.real(np.abs(e) / np.sqrt((e + 1e-3j) ** 2 - 1 + 0j))
    fine, wf = thermal_quadrature(T, edges=(1.0, 2.5), points=4000)
    ref = np.sum(wf * f(fine))
    assert np.sum(w * f(eps)) == pytest.approx(ref, rel=1e-3)
    if T < 0.1:
        exact = quad(lambda e: fermi_weight(e, T) / (1 + e ** 2), -40 * T, 40 * T)[0]
        assert np.sum(w / (1 + eps ** 2)) == pytest.approx(exact, rel=1e-6)
    with pytest.raises(ValueError, match="temperature"):
        thermal_quadrature(-1.0)


def test_gauge_fields_are_refused_by_the_keldysh_sector_and_the_torque():
    from kinetics.usadel.torque import equilibrium_torque
    dev = layered_box([1.0, 1.0], [2, 2], length_unit=1.0)
    A = np.zeros((3, 3))
    A[0, 1] = 0.3
    up = UsadelProblem(dev, {"film": UsadelRegion(gauge=A)}, {"xmin": Reservoir()},
                       eta=1e-3, jit_options=COMPILE_FAST)
    with pytest.raises(ValueError, match="gauge"):
        KineticProblem(up, {})
    with pytest.raises(ValueError, match="gauge"):
        equilibrium_torque(up, 0.5)


def test_a_kinetic_solve_that_misses_the_residual_fails(monkeypatch):
    """A solver that returns a wrong answer (here: one Richardson step instead of LU) is
    caught by the residual check instead of being returned."""
    import kinetics.usadel.keldysh as kd
    from kinetics.solvers.linear import SolverError
    up = ns_wire(cells=8)
    up.sweep([2.0])
    kp = KineticProblem(up, {"xmin": Terminal(mu=-0.5)},
                        options={"ksp_type": "richardson", "ksp_max_it": 1, "pc_type": "none",
                                 "ksp_convergence_test": "skip"})
    with pytest.raises(SolverError, match="relative residual"):
        kp.solve(2.0)
    good = KineticProblem(up, {"xmin": Terminal(mu=-0.5)})
    good.solve(2.0)
    assert kd.RESIDUAL_TOL == 1e-8
