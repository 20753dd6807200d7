"""Interface spin pumping (kinetics.physics.pumping, kinetics.models.pumping) against closed
forms: the pumped source and its Onsager structure, the perfect sink, the DC accumulation
profile, the ISHE voltage and current of a Pt strip on YIG versus thickness (with convergence
rates), linear response versus the exact quasi-static average, and MPI invariance."""

import math

import numpy as np
import pytest
import ufl
from mpi4py import MPI

import kinetics
from kinetics import analytic as an
from kinetics import observables as ob
from kinetics.geometry import layered_box
from kinetics.analytic import pumping as ap
from kinetics.physics import pumping as pp
from kinetics.physics.boundaries import Contact, MagneticInterface
from kinetics.models.pumping import PumpingProblem

from _helpers import l2_norm, rates

PT = kinetics.materials.get("Pt")                  # σ = 2.4e6 S/m, λ = 1.5 nm, θ = 0.11
G_R, G_I = 4e14, 1.5e14
OMEGA = 2 * math.pi * 9.4e9
PREC = pp.Precession(axis=(0, 1, 0), cone_angle=0.3, omega=OMEGA)
LX = 20e-9


def strip(d, nz, material=PT, degree=1, prec=PREC, G=(G_R, G_I), backflow=True, floating=True,
          comm=None, top=None, grading=0.0):
    """x-z cross-section of a strip on the magnet (zmin): contact xmin grounded, xmax floating."""
    dev = layered_box([LX, d], [2, nz], axes="xz", comm=comm, grading=grading)
    bcs = [Contact("xmin", 0.0, spin="opaque"), Contact("xmax", 0.0, spin="opaque"),
           MagneticInterface("zmin", G_r=G[0], G_i=G[1])]
    if top:
        bcs.append(top)
    return PumpingProblem(dev, {"film": material}, bcs, {"zmin": prec},
                          floating=["xmax"] if floating else [], backflow=backflow, degree=degree)


# ----------------------------------------------------------------------------- formulas
def test_pumped_source_dc_and_onsager_structure():
    t = np.linspace(0, PREC.period, 2000, endpoint=False)
    m, md = PREC.m(t), PREC.mdot(t)
    assert np.allclose(np.linalg.norm(m, axis=1), 1.0)
    assert np.allclose(md, np.gradient(m, t, axis=0), atol=2e-3 * OMEGA)
    j = pp.pumped_spin_current(m, md, G_R, G_I).mean(axis=0)
    expected = pp.HBAR_OVER_E * G_R * OMEGA * math.sin(PREC.cone_angle) ** 2
    assert np.allclose(j, [0, expected, 0], atol=1e-9 * expected)        # G_i ṁ averages out
    h = PREC.harmonics()
    assert np.allclose(h["mxmdot0"].real, np.cross(m, md).mean(axis=0), atol=1e-9 * OMEGA)
    c1 = 2 * (np.cross(m, md) * np.exp(-1j * OMEGA * t)[:, None]).mean(axis=0)
    assert np.allclose(h["mxmdot1"], c1, atol=1e-9 * OMEGA)
    # j_pump = 𝐆_mix(m) μ_p (rotating frame) and 𝐆(m)ᵀ = 𝐆(−m) (Onsager-Casimir)
    for k in (0, 333, 1200):
        Gm = an.conductance_matrix(G_R, G_I, 2e13, m=m[k])
        G_mix = an.conductance_matrix(G_R, G_I, m=m[k])
        assert np.allclose(G_mix @ pp.pump_accumulation(m[k], md[k]),
                           pp.pumped_spin_current(m[k], md[k], G_R, G_I), rtol=1e-12)
        assert np.allclose(Gm.T, an.conductance_matrix(G_R, G_I, 2e13, m=-m[k]))
    # reversing the sense of precession reverses the DC spin current
    rev = pp.Precession(axis=(0, 1, 0), cone_angle=0.3, omega=-OMEGA)
    assert rev.harmonics()["mxmdot0"].real[1] == pytest.approx(-expected / pp.HBAR_OVER_E / G_R)


def test_closed_form_is_first_order_in_theta_of_the_exact_film_solution():
    d = 4e-9
    for theta in (1e-4, 0.02):
        ex = ap.film_pumping_exact(d, PT.sigma, PT.lambda_sf, theta, PREC, G_R, G_I)
        V = ap.ishe_voltage_film(d, PT.sigma, PT.lambda_sf, theta, LX, OMEGA, 0.3, G_R, G_I)
        assert -ex["E_x"] * LX == pytest.approx(V, rel=2 * theta ** 2)
        sc = ap.film_pumping_exact(d, PT.sigma, PT.lambda_sf, theta, PREC, G_R, G_I, circuit="short")
        I = ap.ishe_current_film(d, PT.sigma, PT.lambda_sf, theta, OMEGA, 0.3, G_R, G_I)
        assert sc["I_per_width"] == pytest.approx(I, rel=1e-10)       # exact when shorted
    g_b = ap.film_spin_conductance(d, PT.sigma, PT.lambda_sf)
    js = ap.dc_pumped_spin_current(OMEGA, 0.3, G_R, G_I, g_b)
    assert ex["js_in"][1] == pytest.approx(js, rel=1e-3)
    assert js < ap.dc_pumped_spin_current(OMEGA, 0.3, G_R, G_I)       # backflow reduces it


# ----------------------------------------------------------------------------- FEM
def test_perfect_sink_receives_hbar_over_e_G_r_omega_sin2():
    """No backflow (μ_s = 0 at the interface): the spin current pumped in is (ħ/e)G_r ω sin²θ_c.
    It is checked where it arrives: at a spin reservoir on top of a metal without relaxation."""
    cu = kinetics.materials.get("Cu").with_(lambda_sf=math.inf, theta_sh=0.0)
    prob = strip(3e-9, 4, material=cu, backflow=False, floating=False,
                 top=Contact("zmax", 0.0, spin="reservoir"))
    res = prob.periodic(8)
    expected = pp.HBAR_OVER_E * G_R * OMEGA * math.sin(0.3) ** 2
    into = res.spin_current_into_metal("zmin") / LX
    out = ob.contact_spin_current(res.dc, "zmax") / LX
    assert np.allclose(into, [0, expected, 0], atol=1e-9 * expected)
    assert np.allclose(out, [0, expected, 0], atol=1e-7 * expected)


@pytest.mark.parametrize("top,lam", [("insulator", 1.5e-9), ("reservoir", 4e-9)])
def test_backflow_reduces_pumping_to_re_G_eff(top, lam):
    """With backflow the DC current into the metal is (ħ/e) ω sin²θ Re[g_b G/(g_b + G)]
    (rotating frame, exact for θ_SH = 0 at any cone angle, here 0.3 rad)."""
    d = 3e-9
    mat = PT.with_(theta_sh=0.0, lambda_sf=lam)
    extra = Contact("zmax", 0.0, spin="reservoir") if top == "reservoir" else None
    prob = strip(d, 24, material=mat, degree=2, floating=False, top=extra)
    res = prob.periodic(8)
    g_b = ap.film_spin_conductance(d, mat.sigma, lam, top)
    expected = ap.dc_pumped_spin_current(OMEGA, 0.3, G_R, G_I, g_b)
    got = res.spin_current_into_metal("zmin") / LX
    assert got[1] == pytest.approx(expected, rel=1e-6)
    assert abs(got[0]) + abs(got[2]) < 1e-9 * expected


def test_dc_accumulation_profile_converges_to_closed_form():
    d = 4e-9
    mat = PT.with_(theta_sh=0.0)
    errors, hs = [], []
    for nz in (4, 8, 16):
        prob = strip(d, nz, material=mat, floating=False)
        dc = prob.periodic(8).dc
        z = prob.problem.x_si[2]
        g_b = ap.film_spin_conductance(d, PT.sigma, PT.lambda_sf)
        mu0 = ap.dc_pumped_spin_current(OMEGA, 0.3, G_R, G_I, g_b) / g_b
        exact = ufl.as_vector([0, mu0 * ufl.cosh((d - z) / PT.lambda_sf) / math.cosh(d / PT.lambda_sf), 0])
        errors.append(l2_norm(dc.mu_s - exact, prob.problem.dx) / l2_norm(exact, prob.problem.dx))
        hs.append(d / nz)
    z = np.linspace(0, d, 5)
    prof = ob.line_profile(dc, np.column_stack([np.full(5, LX / 2), np.zeros(5), z]))
    ref = ap.film_pumped_accumulation(z, d, PT.sigma, PT.lambda_sf, OMEGA, 0.3, G_R, G_I)
    assert np.allclose(prof[:, 1], ref, rtol=5e-3)
    assert rates(errors, hs)[-1] > 1.9, errors
    assert errors[-1] < 5e-3


@pytest.mark.parametrize("d_over_lambda", [0.5, 2, 8])
def test_ishe_voltage_vs_thickness_converges_to_exact_film(d_over_lambda):
    """Open-circuit V_ISHE (floating contact) of Pt (θ_SH = 0.11, exact in θ_SH) vs the
    exact quasi-static film solution; P1 converges at rate 2, and the closed form
    (first order in θ_SH) is within θ_SH²."""
    d = d_over_lambda * PT.lambda_sf
    ex = ap.film_pumping_exact(d, PT.sigma, PT.lambda_sf, PT.theta_sh, PREC, G_R, G_I, samples=8)
    V_exact = -ex["E_x"] * LX
    errs = []
    for nz in (6, 12, 24):
        V = strip(d, nz, grading=0.6).periodic(8).floating_potential("xmax")
        errs.append(abs(V / V_exact - 1))
    assert rates(errs, [1 / 6, 1 / 12, 1 / 24])[-1] > 1.85, errs
    assert errs[-1] < 2e-3
    V_cf = ap.ishe_voltage_film(d, PT.sigma, PT.lambda_sf, PT.theta_sh, LX, OMEGA, 0.3, G_R, G_I)
    assert V == pytest.approx(V_cf, rel=PT.theta_sh ** 2)
    assert V > 0          # p̂ = ŷ, n̂ = ẑ: the ISHE current flows along +x, V(xmax) > V(xmin)


def test_short_circuit_ishe_current_matches_closed_form():
    d = 3e-9
    prob = strip(d, 16, degree=2, floating=False)
    I = ob.contact_current(prob.periodic(8).dc, "xmin")           # A/m: into the strip at xmin
    I_cf = ap.ishe_current_film(d, PT.sigma, PT.lambda_sf, PT.theta_sh, OMEGA, 0.3, G_R, G_I)
    assert I == pytest.approx(I_cf, rel=1e-5)


def test_voltage_scales_with_frequency_and_cone_angle():
    d = 3e-9
    base = strip(d, 8, degree=2).periodic(8).floating_potential("xmax")
    p2 = pp.Precession(axis=(0, 1, 0), cone_angle=0.6, omega=2.5 * OMEGA)
    V2 = strip(d, 8, degree=2, prec=p2).periodic(8).floating_potential("xmax")
    # exact in the cone angle only up to the O(θ_SH²) SMR modulation
    assert V2 / base == pytest.approx(2.5 * math.sin(0.6) ** 2 / math.sin(0.3) ** 2, rel=PT.theta_sh ** 2)


def test_linear_response_matches_periodic_to_second_order_in_cone_angle():
    diffs = []
    for th in (0.2, 0.1):
        prec = pp.Precession(axis=(0, 1, 0), cone_angle=th, omega=OMEGA)
        prob = strip(3e-9, 8, prec=prec)
        res, lin = prob.periodic(16), prob.linear_response()
        re, im = res.harmonic(1)
        lre, lim = lin.first_harmonic
        h1 = re.u.x.array + 1j * im.u.x.array
        l1 = lre.u.x.array + 1j * lim.u.x.array
        diffs.append((abs(lin.floating_dc["xmax"] / res.floating_potential("xmax") - 1),
                      np.linalg.norm(h1 - l1) / np.linalg.norm(h1)))
    d = np.array(diffs)
    assert np.all(d[1] < 0.3 * d[0])               # O(θ_c²): a factor 4 per halving
    assert d[1, 0] < 3e-3 and d[1, 1] < 1e-3


def test_first_harmonic_at_the_interface_matches_rotating_frame():
    """θ_SH = 0: μ̂₁(0) = (g_b + 𝐆(m₀))⁻¹ 𝐆(m₀) μ̂_p1 in linear response (G_i ≠ 0)."""
    d = 3e-9
    prec = pp.Precession(axis=(0, 1, 0), cone_angle=0.01, omega=OMEGA)
    prob = strip(d, 16, material=PT.with_(theta_sh=0.0), degree=2, prec=prec, floating=False)
    lin = prob.linear_response()
    pts = [[LX / 2, 0, 0.0]]
    mu1 = ob.line_profile(lin.first_harmonic[0], pts)[0] + 1j * ob.line_profile(lin.first_harmonic[1], pts)[0]
    g_b = ap.film_spin_conductance(d, PT.sigma, PT.lambda_sf)
    G0 = an.conductance_matrix(G_R, G_I, m=(0, 1, 0))
    mup1 = pp.HBAR_OVER_E * prec.harmonics()["mxmdot1"]
    expected = np.linalg.solve(g_b * np.eye(3) + G0, G0 @ mup1)
    assert np.allclose(mu1, expected, rtol=1e-4, atol=1e-5 * np.abs(expected).max())


def test_magnetization_function_equals_precession():
    a, e1, e2 = PREC.basis
    th = PREC.cone_angle

    def m_func(t, x):
        psi = OMEGA * t
        return [math.sin(th) * ufl.cos(psi) * e1[i] + math.sin(th) * ufl.sin(psi) * e2[i]
                + math.cos(th) * a[i] for i in range(3)]

    V1 = strip(2e-9, 4).periodic(8).floating_potential("xmax")
    V2 = strip(2e-9, 4, prec=pp.MagnetizationFunction(m_func, period=PREC.period)) \
        .periodic(8).floating_potential("xmax")
    assert V2 == pytest.approx(V1, rel=1e-10)


def test_bad_input_is_rejected_before_solving():
    dev = layered_box([LX, 2e-9], [2, 2], axes="xz")
    bcs = [Contact("xmin"), MagneticInterface("zmin", G_r=G_R)]
    with pytest.raises(ValueError, match="must name a MagneticInterface"):
        PumpingProblem(dev, {"film": PT}, bcs, {"xmin": PREC})
    with pytest.raises(ValueError, match="leave MagneticInterface.pumping"):
        PumpingProblem(dev, {"film": PT}, [Contact("xmin"), MagneticInterface("zmin", pumping=(0, 1, 0))],
                       {"zmin": PREC})
    with pytest.raises(ValueError, match="Precession or MagnetizationFunction"):
        PumpingProblem(dev, {"film": PT}, bcs, {"zmin": (0, 1, 0)})
    with pytest.raises(ValueError, match="keep at least one Contact"):
        PumpingProblem(dev, {"film": PT}, bcs, {"zmin": PREC}, floating=["xmin"])
    with pytest.raises(ValueError, match="is not a Contact"):
        PumpingProblem(dev, {"film": PT}, bcs, {"zmin": PREC}, floating=["zmin"])
    with pytest.raises(ValueError, match="cone_angle"):
        pp.Precession(cone_angle=2.0)
    with pytest.raises(ValueError, match="omega"):
        pp.Precession(omega=0.0)
    with pytest.raises(ValueError, match="period"):
        pp.MagnetizationFunction(lambda t, x: x, period=-1.0)
    with pytest.raises(ValueError, match="top"):
        ap.film_spin_conductance(1e-9, 1e6, 1e-9, top="metal")
    prob = PumpingProblem(dev, {"film": PT}, bcs,
                          {"zmin": pp.MagnetizationFunction(lambda t, x: [0, 0, 1])})
    with pytest.raises(ValueError, match="period"):
        prob.periodic()
    with pytest.raises(ValueError, match="Precession"):
        prob.linear_response()


def _mpi_observables(comm):
    prob = strip(3e-9, 8, degree=1, comm=comm, prec=pp.Precession(axis=(0.6, 0.8, 0), cone_angle=0.4,
                                                                    omega=OMEGA))
    res = prob.periodic(8)
    re, im = res.harmonic(1)
    return {"V": res.floating_potential("xmax"), "js": res.spin_current_into_metal("zmin"),
            "mu_dc": ob.line_profile(res.dc, [[LX / 2, 0, z] for z in (0.0, 2e-9)]),
            "mu": ob.line_profile(re, [[LX / 3, 0, z] for z in (0.0, 1e-9, 3e-9)])}


@pytest.mark.mpi
def test_pumping_voltages_equal_on_distributed_and_serial_mesh():
    par = _mpi_observables(MPI.COMM_WORLD)
    ser = _mpi_observables(MPI.COMM_SELF)
    for key in par:
        scale = np.max(np.abs(ser[key]))
        assert np.allclose(par[key], ser[key], rtol=1e-8, atol=1e-9 * scale), key
