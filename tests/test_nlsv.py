"""The nonlocal spin valve (issue 12): Takahashi & Maekawa's ΔR_s against an independent
network solution of the same 1D model; the finite-element R_NL of a 2D Py/Cu device
(kinetics.models.circuit) converging to it as the junction shrinks, for tunnel and
transparent contacts; Hanle curves whose fit returns the channel's λ_N and τ_s; 2 ranks.

Geometry (x-z cross-section, kinetics.geometry.nonlocal_spin_valve(dim=2)): a Cu channel of
thickness t_N, Py electrodes of width w = 2t_N, 80 nm = 15 λ_F tall (so that the drop
(p_F/2)μ_F across the detector is complete to e^{-15}), centre distance L = 220 nm ≈ 0.63 λ_N.
The 1D model is exact for t_N, w ≪ λ_N; the finite junction and channel thickness change
R_NL at first order in w/λ_N (the average of the cusp e^{−|x|/λ_N} over the junction alone
is 1 − w/(3λ_N)), which the test measures: halving t_N and w halves the deviation.
"""

import math

import numpy as np
import pytest
from mpi4py import MPI

import kinetics
from kinetics.analytic import nlsv
from kinetics.fn_materials import FNInterface
from kinetics.geometry import nonlocal_spin_valve
from kinetics.models.circuit import (CircuitProblem, FNJunction, contact_current,
                                     facet_average, interface_current, nonlocal_resistance)
from kinetics.physics.boundaries import Contact

CU = kinetics.materials.get("Cu").with_(theta_sh=0.0, diffusion_constant=0.02)
PY = kinetics.materials.get("Py")
L_C = 220e-9                               # centre-to-centre electrode distance
T_F = 80e-9
P_I = 0.3


def device(t_N, comm=None):
    w = 2 * t_N
    gap = L_C - w
    length = 2 * (gap / 2 + w + 6 * CU.lambda_sf)
    return nonlocal_spin_valve(length, 1e-6, t_N, fm_widths=(w, w), gap=gap, fm_thickness=T_F,
                               dim=2, h=t_N / 2, comm=comm,
                               refine={"channel|fm1": (w / 8, 2 * w),
                                       "channel|fm2": (w / 8, 2 * w)})


def valve(dev, itf, s2=1, B=None, degree=2, reuse="none"):
    return CircuitProblem(dev, {"channel": CU, "fm1": PY.with_(m=(0.0, 1.0, 0.0)),
                                "fm2": PY.with_(m=(0.0, float(s2), 0.0))},
                          [Contact("fm1_top", V=1e-3), Contact("contact_left", V=0.0)],
                          [FNJunction("channel|fm1", itf), FNJunction("channel|fm2", itf)],
                          degree=degree, magnetic_field=B, reuse=reuse)


def r_nl(problem):
    return nonlocal_resistance(problem.solve(), "fm2_top", "contact_right", "fm1_top")


def model(t_N, RA):
    """(ΔR_s of Takahashi & Maekawa, its arguments) for the 2D device of thickness t_N
    (per metre of depth: A_N = t_N, A_J = w)."""
    w = 2 * t_N
    args = dict(lambda_N=CU.lambda_sf, R_N=nlsv.spin_resistance(1 / CU.sigma, CU.lambda_sf, t_N),
                R_F=nlsv.spin_resistance(1 / PY.sigma, PY.lambda_sf, w), p_F=PY.beta,
                R_1=RA / w, R_2=RA / w, P_I=P_I)
    return nlsv.takahashi_maekawa(L_C, **args), args


# ------------------------------------------------------------------ the closed form
def test_takahashi_maekawa_equals_the_network_solution():
    rng = np.random.default_rng(3)
    for _ in range(50):
        args = dict(lambda_N=rng.uniform(0.1, 2), R_N=rng.uniform(0.1, 10),
                    R_F=rng.uniform(1e-3, 3), p_F=rng.uniform(-0.9, 0.9),
                    R_1=rng.choice([0.0, rng.uniform(0, 50)]), R_2=rng.uniform(0, 50),
                    P_I=rng.uniform(-0.9, 0.9))
        L = rng.uniform(0, 3)
        P, AP = nlsv.network(L, **args, s=(1, 1)), nlsv.network(L, **args, s=(1, -1))
        tm = nlsv.takahashi_maekawa(L, **args)
        assert P.R_NL - AP.R_NL == pytest.approx(tm, rel=1e-12, abs=1e-300)
        assert AP.R_NL == pytest.approx(-P.R_NL, rel=1e-12, abs=1e-300)
        # reversing both magnetizations changes nothing
        assert nlsv.network(L, **args, s=(-1, -1)).R_NL == pytest.approx(P.R_NL, rel=1e-12,
                                                                          abs=1e-300)


def test_tunnel_and_transparent_limits():
    """TM's two limits: R_i ≫ R_N, R_F: ΔR_s = P_I² R_N e^{−L/λ_N}; R_i = 0, R_F ≪ R_N:
    ΔR_s = 4 (p_F/(1 − p_F²))² R_F²/R_N e^{−L/λ_N}/(1 − e^{−2L/λ_N})."""
    L, lam, R_N = 0.7, 1.0, 2.0
    e = math.exp(-L / lam)
    assert nlsv.takahashi_maekawa(L, lam, R_N, 0.01, 0.5, 1e8, 1e8, 0.4) == pytest.approx(
        0.16 * R_N * e, rel=1e-6)
    R_F, p = 1e-4, 0.5
    assert nlsv.takahashi_maekawa(L, lam, R_N, R_F, p, 0.0, 0.0, 0.4) == pytest.approx(
        4 * (p / (1 - p * p)) ** 2 * R_F ** 2 / R_N * e / (1 - e * e), rel=1e-3)


# ------------------------------------------------------------------ finite elements
@pytest.mark.parametrize("contacts, RA", [("tunnel", 1e-15), ("transparent", 1e-19)])
def test_fem_converges_to_takahashi_maekawa_at_first_order(contacts, RA):
    """t_N = 10, 5, 2.5 nm (w = 2t_N, P2): the deviation from TM halves with the junction
    (measured 1.34e-2, 7.1e-3, 3.7e-3 tunnel; 7.5e-3, 3.4e-3, 1.6e-3 transparent), and the
    extrapolation that removes the first- and second-order terms agrees with TM to 1e-4
    (measured 7e-5); a factor 2 or a wrong sign anywhere would not."""
    dev_rel = []
    for t_N in (10e-9, 5e-9, 2.5e-9):
        itf = FNInterface.tunnel("Py|Cu", RA * t_N / 10e-9, P_I)
        dev = device(t_N)
        r = {s: r_nl(valve(dev, itf, s)) for s in (1, -1)}
        tm, _ = model(t_N, RA * t_N / 10e-9)
        assert r[-1] == pytest.approx(-r[1], rel=1e-6)          # no baseline in this device
        dev_rel.append((r[1] - r[-1]) / tm - 1)
    e1, e2, e3 = dev_rel
    assert 1.7 < e1 / e2 < 2.4 and 1.7 < e2 / e3 < 2.4
    assert abs((8 * e3 - 6 * e2 + e1) / 3) < 1e-4


def test_tunnel_contacts_carry_the_current_uniformly_and_inject_p_i():
    """Through a tunnel junction (R_i ≫ R_N) the spin current entering N is P_I I (the
    network's I_s1), and the detector draws no charge current."""
    t_N = 10e-9
    itf = FNInterface.tunnel("Py|Cu", 1e-12, P_I)
    problem = valve(device(t_N), itf)
    sol = problem.solve()
    I = contact_current(sol, "fm1_top")
    jc1, js1 = interface_current(sol, "channel|fm1")
    jc2, _ = interface_current(sol, "channel|fm2")
    assert jc1 == pytest.approx(I, rel=1e-8)
    assert abs(jc2) < 1e-8 * abs(I)
    _, args = model(t_N, 1e-12)
    net = nlsv.network(L_C, **args)
    assert js1[1] / I == pytest.approx(net.I_s[0], rel=2e-3)
    assert abs(js1[0]) + abs(js1[2]) < 1e-8 * abs(js1[1])


def test_hanle_fit_recovers_the_spin_diffusion_length_and_lifetime():
    """Tunnel contacts (R_i = 1e4 R_N: no spin absorbed back), B ⊥ the film along z,
    electrodes along y: the fitted λ_N, τ_s = λ_N²/D equal the channel's to 2e-3 (measured
    2.6e-4, 3.5e-5), the FEM curve follows the fitted Hanle curve to 1e-4 of its amplitude
    (measured 3e-6), and R_NL changes sign (the spins precess by more than π/2 on the way
    to the detector)."""
    t_N = 10e-9
    itf = FNInterface.tunnel("Py|Cu", 1e-10, P_I)
    problem = valve(device(t_N), itf, B=(0.0, 0.0, 0.0), degree=1)
    tau = CU.lambda_sf ** 2 / CU.diffusion_constant
    fields = np.linspace(-6.0, 6.0, 13) / (nlsv.GYROMAGNETIC * tau)
    R = []
    for B in fields:
        problem.set_magnetic_field((0.0, 0.0, B))
        R.append(r_nl(problem))
    R = np.array(R)
    fit = nlsv.fit_hanle(fields, R, L_C, 0.5 * CU.lambda_sf, 2 * tau)
    assert fit.lambda_N == pytest.approx(CU.lambda_sf, rel=2e-3)
    assert fit.tau_s == pytest.approx(tau, rel=2e-3)
    assert fit.max_residual < 1e-4
    assert R.min() < 0 < R.max()
    assert R == pytest.approx(R[::-1], rel=1e-9)                  # even in B


def test_sweep_with_a_kept_factorization_gives_the_direct_answers():
    """reuse="auto": the Hanle sweep keeps the LU factorization of an earlier field as the
    preconditioner of GMRES (fewer factorizations than fields) and gives the R_NL of fresh
    factorizations to 1e-5 (R_NL is ~1e-6 of the device's potentials, so GMRES's 1e-12
    leaves about six digits)."""
    itf = FNInterface.tunnel("Py|Cu", 1e-12, 0.6)
    dev = device(10e-9)
    fields = np.linspace(0.0, 1.0, 11)
    out = {}
    for reuse in ("none", "auto"):
        problem = valve(dev, itf, B=(0.0, 0.0, 0.0), degree=1, reuse=reuse)
        r = []
        for B in fields:
            problem.set_magnetic_field((0.0, 0.0, B))
            r.append(r_nl(problem))
        out[reuse] = np.array(r), problem.linear_solver.setups
    assert out["auto"][0] == pytest.approx(out["none"][0], rel=1e-5)
    assert out["none"][1] == len(fields) and out["auto"][1] <= len(fields) // 3


def test_facet_average_and_bad_input():
    t_N = 10e-9
    problem = valve(device(t_N), FNInterface.tunnel("Py|Cu", 1e-15, P_I))
    sol = problem.solve()
    assert facet_average(sol, "fm1_top")[0] == pytest.approx(1e-3, rel=1e-12)
    assert facet_average(sol, "contact_left")[0] == pytest.approx(0.0, abs=1e-15)
    with pytest.raises(KeyError, match="contact_left"):
        facet_average(sol, "nowhere")
    with pytest.raises(ValueError, match="reuse"):
        valve(device(t_N), FNInterface.tunnel("Py|Cu", 1e-15, P_I), reuse="always")
    with pytest.raises(ValueError, match="built without a magnetic field"):
        problem.set_magnetic_field((0.0, 0.0, 1.0))
    with pytest.raises(ValueError, match="polarization"):
        FNInterface.tunnel("x", 1e-15, 1.0)
    with pytest.raises(ValueError, match="resistance_area"):
        FNInterface.tunnel("x", -1e-15, 0.3)
    with pytest.raises(ValueError, match="p_F"):
        nlsv.takahashi_maekawa(1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.3)
    with pytest.raises(ValueError, match="L must be >= 0"):
        nlsv.takahashi_maekawa(-1.0, 1.0, 1.0, 1.0, 0.5, 0.0, 0.0, 0.3)
    with pytest.raises(ValueError, match="n >= 5"):
        nlsv.fit_hanle([0.0, 1.0], [1.0, 0.5], 1.0, 1.0, 1.0)


@pytest.mark.mpi
def test_nonlocal_resistance_on_two_ranks_equals_serial():
    comm = MPI.COMM_WORLD
    itf = FNInterface.tunnel("Py|Cu", 1e-15, P_I)
    r = r_nl(valve(device(10e-9, comm), itf, degree=1))
    serial = r_nl(valve(device(10e-9, MPI.COMM_SELF), itf, degree=1))
    assert r == pytest.approx(serial, rel=1e-9)
