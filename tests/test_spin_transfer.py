"""Spin-transfer torque on ferromagnetic metal layers (kinetics.observables_ferromagnet):
a thick ferromagnet absorbs exactly like the HM|FI interface of the equivalent mixing
conductance, the angular dependence of the torque in a Co/Cu/Co spin valve, and the
balance of charge and spin currents."""

import math

import numpy as np
import pytest
from mpi4py import MPI

import kinetics
from kinetics import observables as ob
from kinetics import observables_ferromagnet as obf
from kinetics import units
from kinetics.analytic import gmr
from kinetics.geometry import layered_box
from kinetics.materials import Ferromagnet
from kinetics.models.spin_charge import SpinChargeProblem
from kinetics.physics.boundaries import Contact, MagneticInterface, SpinInjection

CO = kinetics.materials.get("Co")
CU = kinetics.materials.get("Cu").with_(theta_sh=0.0)
PT = kinetics.materials.get("Pt").with_(theta_sh=0.05)
V0 = 1e-3


# ------------------------------------------------------------------ a. F layer = HM|FI
T_F, D_PT, LX = 6e-9, 4e-9, 6e-9
#: β = 0 and l_sf = inf: the charge current does not polarize, the spin does not flip, so
#: only the transverse absorption differs from a magnetic insulator
F_EQ = Ferromagnet("F", sigma=CO.sigma, beta=0.0, lambda_sf=math.inf, lambda_J=CO.lambda_J,
                   lambda_phi=CO.lambda_phi)


def equivalent_mixing_conductance(mat, t_F):
    """G_r − iG_i = (σ/2) k tanh(k t_F) (1/(Ω m²)): the transverse spin current entering a
    layer of thickness t_F with a spin-opaque far side, μ₊ ∝ cosh(k(t_F − x)), per μ₊ at its
    surface (kinetics.observables_ferromagnet module docstring)."""
    k = gmr.transverse_wavenumber(mat.beta, mat.lambda_sf, mat.lambda_J, mat.lambda_phi)
    g = 0.5 * mat.sigma * k * np.tanh(k * t_F)
    return g.real, -g.imag


def pt_on_magnet(m, kind, cells=24):
    """An x-z cross-section of Pt (current along x) on a bulk F layer or on a magnetic
    insulator boundary with the equivalent conductance; spin-opaque contacts."""
    contacts = [Contact("xmin", V=V0, spin="opaque"), Contact("xmax", V=0.0, spin="opaque")]
    if kind == "bulk":
        dev = layered_box([LX, 1.0], [1, 1], [("f", T_F, cells), ("pt", D_PT, cells)],
                          axes="xz", grading=0.8)
        problem = SpinChargeProblem(dev, {"f": F_EQ.with_(m=m), "pt": PT}, contacts, degree=2,
                                    solver="direct")
    else:
        G_r, G_i = equivalent_mixing_conductance(F_EQ, T_F)
        dev = layered_box([LX, 1.0], [1, 1], [("pt", D_PT, cells)], axes="xz", grading=0.8)
        problem = SpinChargeProblem(dev, {"pt": PT}, contacts + [
            MagneticInterface("zmin", G_r=G_r, G_i=G_i, m=m)], degree=2, solver="direct")
    return problem.solve()


@pytest.mark.parametrize("m", [(0.0, 0.0, 1.0), (1.0, 0.0, 0.0), (0.48, 0.6, 0.64)])
def test_thick_layer_torque_equals_hm_fi_interface_torque(m):
    """Pt on a ferromagnet (β = 0, no spin flip) and Pt on an insulator with G_r − iG_i =
    (σ/2)k tanh(k t_F): the same torque vector (J/m²) and the same μ_s at the Pt surface.
    The precession sign and the factor σ/2 of the observable are both tested: with λ_J → −λ_J
    (G_i → −G_i) or a factor 2 the torques differ by far more than the tolerance."""
    bulk, ins = pt_on_magnet(m, "bulk"), pt_on_magnet(m, "insulator")
    j = ob.contact_current(ins, "xmin") / D_PT                 # A/m² in Pt (2D: A/m / m)
    fm = obf.layer_torque(bulk, "f", (0, 1, 0), area=LX)
    hm = ob.interface_torque(ins, "zmin", (j, 0.0, 0.0), (0.0, 0.0, -1.0))
    scale = np.linalg.norm(hm["torque_density"])
    assert scale > 0
    assert np.allclose(fm["torque_density"], hm["torque_density"], rtol=0, atol=2e-6 * scale)
    # the layer's absorption is all torque (no spin flip) and ⊥ m
    absorbed = obf.layer_absorption(bulk, "f")
    assert np.allclose(absorbed["spin_flip"], 0.0, atol=0)
    assert abs(absorbed["torque"] @ np.asarray(m)) < 1e-12 * np.linalg.norm(absorbed["torque"])
    # μ_s at the top of the Pt film agrees as well
    top = np.array([[LX / 2, 0.0, T_F + D_PT], [LX / 2, 0.0, D_PT]])
    mu_b = ob.line_profile(bulk, top[:1])
    mu_i = ob.line_profile(ins, top[1:])
    assert np.allclose(mu_b, mu_i, rtol=0, atol=2e-6 * np.abs(mu_i).max())
    if m == (1.0, 0.0, 0.0):
        # m ⊥ σ̂ = ŷ: DL and FL parts as interface_torque's, and the DL part is positive
        assert fm["tau_DL"] == pytest.approx(hm["tau_DL"], rel=2e-6, abs=0)
        assert fm["tau_FL"] == pytest.approx(hm["tau_FL"], rel=2e-5, abs=0)
        assert fm["tau_DL"] > 0 and fm["tau_FL"] != 0


def test_short_lengths_make_the_layer_a_perfect_transverse_sink():
    """λ_J, λ_φ → 0: G → ∞, μ_⊥ → 0 at the surface, and the torque tends to that of an
    insulator with G_r = ∞, G_i = 0; the convergence is monotonic in λ."""
    G_r, _ = equivalent_mixing_conductance(F_EQ.with_(lambda_J=0.02e-9, lambda_phi=0.04e-9),
                                           T_F)
    assert G_r > 1e16
    ref = ob.interface_torque(_insulator(1e18, 0.0), "zmin", (1.0, 0, 0), (0, 0, -1))["tau_DL"]
    gaps = []
    for lam in (2e-9, 0.5e-9, 0.125e-9):
        mat = F_EQ.with_(lambda_J=lam, lambda_phi=2 * lam)
        dev = layered_box([LX, 1.0], [1, 1], [("f", T_F, 60), ("pt", D_PT, 24)], axes="xz",
                          grading=0.9)
        sol = SpinChargeProblem(dev, {"f": mat.with_(m=(1, 0, 0)), "pt": PT}, [
            Contact("xmin", V=V0, spin="opaque"), Contact("xmax", V=0.0, spin="opaque")],
            degree=2, solver="direct").solve()
        gaps.append(abs(obf.layer_torque(sol, "f", (0, 1, 0), area=LX)["tau_DL"] - ref) / ref)
    assert gaps[0] > gaps[1] > gaps[2]
    assert gaps[2] < 0.05


def _insulator(G_r, G_i):
    dev = layered_box([LX, 1.0], [1, 1], [("pt", D_PT, 24)], axes="xz", grading=0.8)
    return SpinChargeProblem(dev, {"pt": PT}, [
        Contact("xmin", V=V0, spin="opaque"), Contact("xmax", V=0.0, spin="opaque"),
        MagneticInterface("zmin", G_r=G_r, G_i=G_i, m=(1, 0, 0))], degree=2,
        solver="direct").solve()


# ------------------------------------------------------------------ b. angular dependence
LAYERS = [("fixed", 60e-9, 40), ("spacer", 10e-9, 20), ("free", 4e-9, 40), ("lead", 60e-9, 30)]


@pytest.fixture(scope="module")
def spin_valve():
    """A 1D Co(60)/Cu(10)/Co(4)/Cu(60) nm spin valve between spin reservoirs; current from
    the fixed layer into the free layer (V0 on the fixed side)."""
    dev = layered_box([1.0], [1], LAYERS, axes="x", grading=0.7)
    return SpinChargeProblem(dev, {"fixed": CO, "spacer": CU, "free": CO, "lead": CU},
                             [Contact("xmin", V=V0), Contact("xmax", V=0.0)], degree=2,
                             solver="direct")


def torque_at(problem, theta, exact=None):
    m = exact if exact is not None else (math.sin(theta), 0.0, math.cos(theta))
    problem.set_magnetization("free", m)
    sol = problem.solve()
    I = ob.contact_current(sol, "xmin")
    return sol, obf.layer_torque(sol, "free", (0, 0, 1), current=I)


def test_torque_vanishes_for_collinear_layers_and_is_odd_in_the_angle(spin_valve):
    _, t90 = torque_at(spin_valve, math.pi / 2)
    scale = np.linalg.norm(t90["torque_density"])
    assert scale > 0
    for exact in ((0, 0, 1), (0, 0, -1)):                          # θ = 0 and π exactly
        _, t = torque_at(spin_valve, None, exact)
        assert np.abs(t["torque_density"]).max() <= 1e-13 * scale
        assert t["tau_DL"] == 0 and t["tau_FL"] == 0
    for theta in (0.3, 1.2, 2.5):
        _, tp = torque_at(spin_valve, theta)
        _, tm = torque_at(spin_valve, -theta)
        # θ → −θ is the rotation by π about p = ẑ: τ_x, τ_y odd, τ_z even
        assert np.allclose(tm["torque_density"], [-1, -1, 1] * tp["torque_density"], rtol=0,
                           atol=1e-10 * scale)
        # current from the fixed into the free layer: the absorbed spin points along p_⊥
        assert tp["tau_DL"] > 0 and tp["eta_DL"] > 0
        assert tp["tau_DL"] == pytest.approx(tm["tau_DL"], rel=1e-9, abs=0)


def test_small_angle_torque_is_proportional_to_sin_theta(spin_valve):
    """τ = a(θ) m×(p×m) with a smooth and even in θ: τ_DL/sin θ = a(0) + O(θ²)."""
    ratios = []
    for theta in (1e-3, 2e-3, 4e-3):
        _, t = torque_at(spin_valve, theta)
        ratios.append(t["tau_DL"] / math.sin(theta))
    d1, d2 = ratios[1] - ratios[0], ratios[2] - ratios[1]
    assert abs(d1) < 1e-4 * abs(ratios[0])
    assert d2 / d1 == pytest.approx(4.0, rel=0.05)             # the O(θ²) correction


def test_reversing_the_current_reverses_the_torque(spin_valve):
    _, t = torque_at(spin_valve, 1.0)
    dev = spin_valve.device
    reverse = SpinChargeProblem(dev, {"fixed": CO, "spacer": CU, "free": CO, "lead": CU},
                                [Contact("xmin", V=-V0), Contact("xmax", V=0.0)], degree=2,
                                solver="direct")
    _, r = torque_at(reverse, 1.0)
    assert np.allclose(r["torque_density"], -t["torque_density"], rtol=0,
                       atol=1e-12 * np.linalg.norm(t["torque_density"]))
    assert r["eta_DL"] == pytest.approx(t["eta_DL"], rel=1e-10, abs=0)


# ------------------------------------------------------------------ c. current balance
def test_charge_and_spin_currents_balance_in_a_non_collinear_spin_valve(spin_valve):
    """Σ contact currents = 0; spin into the reservoirs + bulk relaxation of every layer
    (spin flip in all, torque in the ferromagnets) = 0, to 1e-8 of the largest term."""
    sol, t = torque_at(spin_valve, 1.0)
    I = [ob.contact_current(sol, c) for c in ("xmin", "xmax")]
    assert I[0] + I[1] == pytest.approx(0.0, abs=1e-10 * abs(I[0]))
    terms = [ob.contact_spin_current(sol, c) for c in ("xmin", "xmax")]
    terms += [obf.bulk_spin_relaxation(sol, r) for r in ("fixed", "spacer", "free", "lead")]
    scale = max(np.abs(x).max() for x in terms)
    assert np.abs(sum(terms)).max() < 1e-8 * scale
    free = obf.layer_absorption(sol, "free")
    assert np.linalg.norm(free["torque"]) > 1e-3 * scale           # a term that matters
    assert np.allclose(free["total"], obf.bulk_spin_relaxation(sol, "free"), rtol=0, atol=0)
    assert np.allclose(t["torque_density"], units.HBAR_OVER_2E * free["torque"], rtol=1e-14,
                       atol=0)


def test_injected_transverse_spin_current_is_absorbed_as_torque_and_spin_flip():
    """A transverse spin current j0 x̂ injected into a lossless spacer (l_sf = inf) on a Co
    layer with m = ẑ and a spin-opaque far side: the torque plus the spin flip in Co equal
    j0 (the Neumann datum), and the torque is the larger part."""
    j0 = 1e9
    dev = layered_box([1.0], [1], [("n", 5e-9, 20), ("f", 8e-9, 60)], axes="x", grading=0.7)
    sol = SpinChargeProblem(dev, {"n": CU.with_(lambda_sf=math.inf), "f": CO}, [
        SpinInjection("xmin", j_s=(j0, 0.0, 0.0)), Contact("xmax", V=0.0, spin="opaque")],
        degree=2, solver="direct").solve()
    a = obf.layer_absorption(sol, "f")
    assert a["total"] == pytest.approx([j0, 0.0, 0.0], rel=1e-9, abs=1e-9 * j0)
    assert np.linalg.norm(a["torque"]) > 0.99 * j0
    assert np.all(np.abs(obf.bulk_spin_relaxation(sol, "n")) <= 1e-12 * j0)


# ------------------------------------------------------------------ errors
def test_layer_torque_bad_input_names_the_parameter(spin_valve):
    sol = spin_valve.solve()
    with pytest.raises(KeyError, match="ferromagnetic regions: fixed, free"):
        obf.layer_torque(sol, "spacer", (0, 0, 1))
    with pytest.raises(ValueError, match="polarization"):
        obf.layer_torque(sol, "free", (0, 0, 0))
    with pytest.raises(ValueError, match="area"):
        obf.layer_torque(sol, "free", (0, 0, 1), area=-1.0)
    with pytest.raises(ValueError, match="current"):
        obf.layer_torque(sol, "free", (0, 0, 1), current=0.0)


@pytest.mark.mpi
def test_torque_on_two_ranks_equals_serial():
    out = []
    for comm in (MPI.COMM_WORLD, MPI.COMM_SELF):
        dev = layered_box([1.0], [1], LAYERS, axes="x", grading=0.7, comm=comm)
        problem = SpinChargeProblem(dev, {"fixed": CO, "spacer": CU, "free": CO, "lead": CU},
                                    [Contact("xmin", V=V0), Contact("xmax", V=0.0)], degree=2,
                                    solver="direct")
        out.append(torque_at(problem, 1.0)[1]["torque_density"])
    assert np.allclose(out[0], out[1], rtol=1e-10, atol=0)
