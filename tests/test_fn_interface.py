"""Resistive F|N interfaces of magnetoelectronic circuit theory (kinetics.physics.fn_interface,
kinetics.models.circuit): CPP-GMR of Co/Cu/Co with r_b* > 0 against Valet–Fert, the r_b* → 0
limit against the continuous SpinChargeProblem, charge and spin balance, the HM|FI limit of
the mixing term, the 4×4 matrix, 2 MPI ranks, bad input."""

import math

import numpy as np
import pytest
from dolfinx import fem
from mpi4py import MPI

import kinetics
from kinetics import observables as ob
from kinetics.analytic import gmr
from kinetics.geometry import layered_box
from kinetics.fn_materials import FNInterface, fn_interface
from kinetics.models.circuit import (CircuitProblem, FNJunction, contact_current,
                                     interface_current, resistance_area)
from kinetics.models.spin_charge import SpinChargeProblem
from kinetics.physics import fn_interface as fn
from kinetics.physics.boundaries import Contact, MagneticInterface, SpinInjection

CO = kinetics.materials.get("Co")
CU = kinetics.materials.get("Cu").with_(theta_sh=0.0)
V0 = 1e-3
R_B, GAMMA = 0.5e-15, 0.6                 # Ω m²: about Bass & Pratt's Co|Cu r_b*
ITF = FNInterface.from_valet_fert("Co|Cu", R_B, GAMMA, G_r=5e14, G_i=2e14)


def stack(t_N, comm=None, cells=50):
    """Co (10 l_F) | Cu (t_N) | Co on a graded 1D mesh."""
    lead = 10 * CO.lambda_sf
    return layered_box([1.0], [1], [("F1", lead, cells), ("N", t_N, cells), ("F2", lead, cells)],
                       axes="x", grading=0.6, comm=comm)


def trilayer(t_N, itf=ITF, comm=None, cells=50, degree=2):
    """{state: (problem, solution)} of Co|Cu|Co with two junctions, P and AP."""
    dev = stack(t_N, comm, cells)
    out = {}
    for state, p in (("P", 1.0), ("AP", -1.0)):
        problem = CircuitProblem(dev, {"F1": CO, "N": CU, "F2": CO.with_(m=(0.0, 0.0, p))},
                                 [Contact("xmin", V=V0), Contact("xmax", V=0.0)],
                                 [FNJunction("F1|N", itf), FNJunction("N|F2", itf, ("F2", "N"))],
                                 degree=degree)
        out[state] = problem, problem.solve()
    return out


def delta_ra(runs):
    """(R_AP·A − R_P·A, {state: R·A}) in Ω m²."""
    ra = {s: resistance_area(sol, "xmin", "xmax") for s, (_, sol) in runs.items()}
    return ra["AP"] - ra["P"], ra


# ------------------------------------------------------------------ 1. CPP-GMR with r_b*
@pytest.mark.parametrize("ratio", [0.1, 1.0, 3.0])
def test_cpp_gmr_with_interface_resistance_matches_valet_fert(ratio):
    t_N = ratio * CU.lambda_sf
    delta, _ = delta_ra(trilayer(t_N))
    args = (t_N, CO.sigma, CO.beta, CO.lambda_sf, CU.sigma, CU.lambda_sf)
    exact = gmr.cpp_gmr_delta_ra_interface(*args, R_B, GAMMA)
    assert delta == pytest.approx(exact, rel=1e-4, abs=0)
    # the interface matters: without it ΔR·A differs by far more than the tolerance
    assert abs(gmr.cpp_gmr_delta_ra(*args) / exact - 1) > 0.1


def test_closed_form_reduces_to_transparent_case():
    for t_N in (0.0, 50e-9, 1e-6):
        args = (t_N, CO.sigma, CO.beta, CO.lambda_sf, CU.sigma, CU.lambda_sf)
        assert gmr.cpp_gmr_delta_ra_interface(*args, 0.0, 0.7) == pytest.approx(
            gmr.cpp_gmr_delta_ra(*args), rel=1e-14, abs=0)


def test_small_interface_resistance_gives_the_continuous_result():
    """r_b* = 1e-22 Ω m² (r_b*/r_F ~ 2e-8): R·A of both states equals SpinChargeProblem's."""
    t_N = CU.lambda_sf
    _, ra = delta_ra(trilayer(t_N, FNInterface.from_valet_fert("tiny", 1e-22, GAMMA, 5e14),
                              cells=30))
    dev = stack(t_N, cells=30)
    for state, p in (("P", 1.0), ("AP", -1.0)):
        ref = SpinChargeProblem(dev, {"F1": CO, "N": CU, "F2": CO.with_(m=(0.0, 0.0, p))},
                                [Contact("xmin", V=V0), Contact("xmax", V=0.0)], degree=2)
        r_ref = V0 / ob.contact_current(ref.solve(), "xmin")
        assert ra[state] == pytest.approx(r_ref, rel=1e-6, abs=0)


def test_set_magnetization_switches_bulk_and_junctions():
    t_N = CU.lambda_sf
    runs = trilayer(t_N, cells=30)
    _, ra = delta_ra(runs)
    problem, _ = runs["P"]
    problem.set_magnetization("F2", (0.0, 0.0, -1.0))
    sol = problem.solve()
    assert resistance_area(sol, "xmin", "xmax") == pytest.approx(ra["AP"], rel=1e-12, abs=0)
    with pytest.raises(KeyError, match="ferromagnetic regions: F1, F2"):
        problem.set_magnetization("N", (0, 0, 1))
    with pytest.raises(ValueError, match="m must be a unit vector"):
        problem.set_magnetization("F2", (0, 0, 2))


# ------------------------------------------------------------------ 2. balance
def test_charge_and_spin_currents_balance_at_the_interfaces():
    t_N = CU.lambda_sf
    for state, (problem, sol) in trilayer(t_N, cells=30).items():
        j_in = contact_current(sol, "xmin")
        jc1, js1 = interface_current(sol, "F1|N")             # F1 -> N
        jc2, js2 = interface_current(sol, "N|F2")             # F2 -> N
        # charge: contact = F1|N current = N|F2 current (consistent fluxes, any mesh)
        assert jc1 == pytest.approx(j_in, rel=1e-9, abs=0)
        assert -jc2 == pytest.approx(j_in, rel=1e-9, abs=0)
        assert contact_current(sol, "xmax") == pytest.approx(-j_in, rel=1e-9, abs=0)
        # spin: what enters the spacer through its two interfaces relaxes inside it
        rf = problem.fields
        mu_z = sol.u["N"][3]
        relaxed = MPI.COMM_WORLD.allreduce(fem.assemble_scalar(rf.form(
            mu_z * rf.dx("N"))), op=MPI.SUM) * problem.scaling.length * CU.sigma / (
            2 * CU.lambda_sf ** 2)
        # (P: the accumulation is odd about the spacer's middle and relaxes ~0; AP: even)
        assert abs(js1[2] + js2[2] - relaxed) < 1e-9 * abs(js1[2]), (state, js1, js2, relaxed)
        if state == "AP":
            assert abs(relaxed) > 0.1 * abs(js1[2])
        assert np.all(js1[:2] == 0) and np.all(js2[:2] == 0)


# ------------------------------------------------------------------ 3. HM|FI limit, matrix
def test_transverse_block_is_the_hmfi_conductance():
    """For μ_F = 0, ΔV = 0 the spin current N → F is −𝐆[1:, 1:](−μ_N), whose transverse part
    is MagneticInterface's 𝐆 μ_N; G↑ = G↓ = G_r, G_i = 0 is isotropic."""
    m = np.array([0.48, -0.6, 0.64])
    G = fn.conductance_matrix_numpy(ITF.G_up, ITF.G_down, ITF.G_r, ITF.G_i, m)
    hm = MagneticInterface("x", G_r=ITF.G_r, G_i=ITF.G_i, m=m).conductance_matrix()
    P = np.eye(3) - np.outer(m, m)
    mu_N = np.array([0.3, -1.1, 0.7])
    assert np.allclose(P @ (G[1:, 1:] @ mu_N), hm @ mu_N, rtol=1e-14, atol=0)
    assert np.allclose(P @ G[1:, 1:] @ P, hm, rtol=0, atol=1e-14 * ITF.G_r)
    assert np.allclose(G[1:, 1:] @ m, 0.5 * (ITF.G_up + ITF.G_down) * m, rtol=1e-14)
    assert np.allclose(fn.conductance_matrix_numpy(2.0, 2.0, 2.0, 0.0, m),
                       np.diag([4.0, 2.0, 2.0, 2.0]), atol=1e-15)
    # Onsager–Casimir (spin odd under time reversal, spin rows weighted by 1/2):
    # E (W G(m))ᵀ E = W G(−m); the plain transpose is not (the G_i and β-like parts break it)
    W, E = np.diag([1, 0.5, 0.5, 0.5]), np.diag([1, -1, -1, -1])
    G_minus = fn.conductance_matrix_numpy(ITF.G_up, ITF.G_down, ITF.G_r, ITF.G_i, -m)
    assert np.allclose(E @ (W @ G).T @ E, W @ G_minus, rtol=1e-14, atol=0)
    assert not np.allclose((W @ G).T, W @ G_minus, rtol=1e-3, atol=0)


def hmfi_film(x, d, sigma, l_N, j0, G_r, G_i):
    """μ₊ = μ_x + iμ_y (V) in a normal film 0 < x < d: spin current j0 x̂ injected at x = 0,
    HM|FI at x = d with m = ẑ, where n·J = G_r μ⊥ − G_i m×μ reads J₊ = (G_r − iG_i)μ₊;
    μ₊ = A cosh(x/l) + B sinh(x/l), J₊ = −(σ/2)μ₊'."""
    g, k = complex(G_r, -G_i), sigma / (2 * l_N)
    B = -2 * l_N * j0 / sigma
    s, c = math.sinh(d / l_N), math.cosh(d / l_N)
    A = -B * (g * s + k * c) / (k * s + g * c)
    return A * np.cosh(x / l_N) + B * np.sinh(x / l_N)


def hmfi_limit_error(lam, d=100e-9, j0=1e9):
    """Max relative deviation of the N-side μ₊ of Cu (d) | Co (λ_J = λ_φ = lam) from
    :func:`hmfi_film`; V and μ_z must vanish."""
    fe = CO.with_(lambda_J=lam, lambda_phi=lam)
    dev = layered_box([1.0], [1], [("N", d, 100), ("F", 20 * lam, 40)], axes="x", grading=0.5)
    problem = CircuitProblem(dev, {"N": CU, "F": fe},
                             [SpinInjection("xmin", j_s=(j0, 0.0, 0.0)), Contact("xmax", V=0.0)],
                             [FNJunction("N|F", ITF)], degree=2)
    x, u = problem.solve().values("N")
    exact = hmfi_film(x[:, 0], d, CU.sigma, CU.lambda_sf, j0, ITF.G_r, ITF.G_i)
    err = np.max(np.abs(u[:, 1] + 1j * u[:, 2] - exact), initial=0.0) / np.max(np.abs(exact))
    assert np.max(np.abs(u[:, [0, 3]]), initial=0.0) < 1e-12 * np.max(np.abs(exact))
    return MPI.COMM_WORLD.allreduce(err, op=MPI.MAX)


def test_mixing_term_reduces_to_hmfi_when_f_has_no_transverse_accumulation():
    """λ_J = λ_φ → 0 kills μ_F⊥ (μ_F⊥ ~ 2G_rλμ_N/σ_F): the N-side accumulation tends to
    the HM|FI film solution linearly in λ (a wrong sign of G_r or G_i gives O(1))."""
    e1, e2 = hmfi_limit_error(1e-11), hmfi_limit_error(1e-12)
    assert e2 < 2e-4, (e1, e2)
    assert e1 / e2 == pytest.approx(10.0, rel=0.15), (e1, e2)


# ------------------------------------------------------------------ 4. MPI
@pytest.mark.mpi
def test_gmr_with_interfaces_on_two_ranks_equals_serial():
    t_N = CU.lambda_sf
    par, _ = delta_ra(trilayer(t_N, comm=MPI.COMM_WORLD, cells=40))
    ser, _ = delta_ra(trilayer(t_N, comm=MPI.COMM_SELF, cells=40))
    assert par == pytest.approx(ser, rel=1e-10, abs=0)


# ------------------------------------------------------------------ 5. bad input
def test_bad_input():
    with pytest.raises(ValueError, match="G_down must be positive"):
        FNInterface("x", G_up=1e15, G_down=0.0)
    with pytest.raises(ValueError, match="G_up must be positive"):
        FNInterface("x", G_up=-1e15, G_down=1e15)
    with pytest.raises(ValueError, match="gamma must be in"):
        FNInterface.from_valet_fert("x", 1e-15, 1.0)
    with pytest.raises(ValueError, match="G_r must be"):
        fn_interface("Py|Cu", G_r=-1.0)
    assert fn_interface("co|cu").gamma == pytest.approx(0.77, rel=1e-12)
    dev = stack(100e-9, cells=4)
    mats = {"F1": CO, "N": CU, "F2": CO}
    contacts = [Contact("xmin", V=V0), Contact("xmax", V=0.0)]
    with pytest.raises(ValueError, match="regions 'F1' and 'F2' do not touch"):
        CircuitProblem(dev, mats, contacts, [FNJunction("F1|N", ITF, between=("F1", "F2"))])
    with pytest.raises(ValueError, match="must be interior"):
        CircuitProblem(dev, mats, [Contact("xmax", V=0.0)], [FNJunction("xmin", ITF)])
    with pytest.raises(ValueError, match="between a ferromagnet and a normal metal"):
        CircuitProblem(dev, {"F1": CO, "N": CO, "F2": CO}, contacts, [FNJunction("F1|N", ITF)])
    with pytest.raises(KeyError, match="F1|N"):
        CircuitProblem(dev, mats, contacts, [FNJunction("F1|X", ITF)])
    with pytest.raises(TypeError, match="FNInterface"):
        FNJunction("F1|N", {"G_up": 1.0})
