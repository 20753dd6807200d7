"""The Python API rejects bad input with an error naming the parameter (issue #14, items 6, 8).

Each row of the tables is one bad call: the exception type and a pattern that names the
parameter (and, where it matters, the owner and the rule).  Most fail before any mesh is
built; the rest share one tiny 2D device and one solution built once for the module.
"""

import math

import numpy as np
import pytest

import kinetics
from kinetics import observables as ob
from kinetics.device import Device
from kinetics.geometry import layered_box
from kinetics.materials import InterfaceParameters, Material
from kinetics.models.diffusion_average import DiffusionAverage
from kinetics.models.pumping import PumpingProblem
from kinetics.models.spin_charge import SpinChargeProblem
from kinetics.models.texture import ElectronGas, TexturePumping
from kinetics.physics import gauge
from kinetics.physics import interface_soc as soc
from kinetics.physics.boundaries import (Contact, CurrentContact, FloatingProbe, Insulator,
                                         MagneticInterface, SpinInjection)
from kinetics.physics.pumping import MagnetizationFunction, Precession
from kinetics.physics.texture import conversion as conv
from kinetics.physics.texture.sources import (AnalyticTexture, SampledTexture,
                                              precessing_texture)
from kinetics.validation import ValidationError

NAN, INF = math.nan, math.inf
GAS = ElectronGas(nu=1e47, J=1e-21, tau=1e-14, D=1e-3)
PT = kinetics.materials.get("Pt")
GOOD_GAS = dict(nu=1e47, J=1e-21, tau=1e-14, D=1e-3)
TIMES = np.linspace(0.0, 3e-10, 4)


def mat(**kw):
    return Material("X", **{"sigma": 1e6, "lambda_sf": 1e-9, **kw})


def gas(**kw):
    return ElectronGas(**{**GOOD_GAS, **kw})


def texture(**kw):
    return SampledTexture(**{"times": TIMES, "values": np.zeros((4, 3)), **kw})


def wave(t, x):
    return [0 * t, 0 * t, 1 + 0 * t]


V = ValidationError
# (id, call, exception, pattern naming the parameter)
NO_MESH = [
    # materials
    ("sigma-nan", lambda: mat(sigma=NAN), V, r"material 'X': sigma must be positive"),
    ("sigma-inf", lambda: mat(sigma=INF), V, r"sigma must be positive and finite, got inf"),
    ("sigma-huge", lambda: mat(sigma=1e308), V, r"sigma must be positive and in \[1e-30, 1e\+30\]"),
    ("sigma-zero", lambda: mat(sigma=0.0), V, r"sigma must be positive"),
    ("sigma-bool", lambda: mat(sigma=True), TypeError, r"sigma must be a number"),
    ("sigma-str", lambda: mat(sigma="1e6"), TypeError, r"sigma must be a number"),
    ("sigma-list", lambda: mat(sigma=[1e6]), TypeError, r"sigma must be a number"),
    ("lambda-neg", lambda: mat(lambda_sf=-1e-9), V, r"lambda_sf must be positive"),
    ("lambda-tiny", lambda: mat(lambda_sf=1e-300), V, r"lambda_sf must be positive and in"),
    ("lambda-nan", lambda: mat(lambda_sf=NAN), V, r"lambda_sf must be positive \(or \+inf\)"),
    ("theta-nan", lambda: mat(theta_sh=NAN), V, r"theta_sh must be finite, got nan"),
    ("theta-huge", lambda: mat(theta_sh=1e308), V, r"theta_sh must be finite and at most 100"),
    ("theta-big", lambda: mat(theta_sh=1e3), V, r"theta_sh must be finite and at most 100"),
    ("kappa-inf", lambda: mat(kappa=-INF), V, r"kappa must be finite"),
    ("gauge-nan", lambda: mat(gauge_field=np.full((3, 3), NAN)), V, r"gauge_field must be"),
    ("gauge-ragged", lambda: mat(gauge_field=[[1, 2], [3]]), V, r"gauge_field must be a finite"),
    ("gauge-shape", lambda: mat(gauge_field=np.zeros((2, 3))), V, r"gauge_field .*got shape \(2, 3\)"),
    ("gauge-huge", lambda: mat(gauge_field=np.full((3, 3), 1e308)), V, r"gauge_field .*at most 1e\+30"),
    ("material-name-none", lambda: Material(None, 1e6, 1e-9), TypeError, r"name must be a string"),
    ("material-name-empty", lambda: Material("", 1e6, 1e-9), V, r"name must be a non-empty string"),
    ("get-typo", lambda: kinetics.materials.get("Pt", lamda_sf=1e-9), TypeError, r"lamda_sf"),
    ("get-none", lambda: kinetics.materials.get(None), TypeError, r"name must be a string"),
    ("interface-Gr-nan", lambda: InterfaceParameters("I", G_r=NAN), V, r"interface 'I': G_r must be"),
    ("interface-Gs-neg", lambda: kinetics.materials.interface("Pt|YIG", G_s=-1.0), V,
     r"G_s must be >= 0 and finite, got -1; G_r and G_s must be >= 0"),
    ("interface-typo", lambda: kinetics.materials.interface("Pt|YIG", G_x=1.0), TypeError, r"G_x"),
    # boundary conditions
    ("contact-none", lambda: Contact(None), TypeError, r"Contact: name must be a string, got None"),
    ("contact-empty", lambda: Contact(""), V, r"Contact: name must be a non-empty string"),
    ("contact-int", lambda: Contact(3), TypeError, r"name must be a string, got 3"),
    ("insulator-none", lambda: Insulator(None), TypeError, r"Insulator: name must be a string"),
    ("probe-blank", lambda: FloatingProbe("  "), V, r"FloatingProbe: name must be a non-empty"),
    ("contact-V-nan", lambda: Contact("xmin", V=NAN), V, r"Contact 'xmin': V must be finite, got nan"),
    ("contact-V-huge", lambda: Contact("xmin", V=1e308), V, r"V must be finite and at most 1e\+30"),
    ("contact-V-str", lambda: Contact("xmin", V="1"), TypeError, r"V must be a number"),
    ("contact-spin", lambda: Contact("xmin", spin="transparent"), V,
     r"spin must be one of 'reservoir', 'opaque', got 'transparent'"),
    ("current-inf", lambda: CurrentContact("xmin", current=INF), V, r"current must be finite"),
    ("current-none", lambda: CurrentContact("xmin", current=None), TypeError, r"current must be a number"),
    ("injection-short", lambda: SpinInjection("zmin", j_s=(1.0, 2.0)), V, r"j_s must be a finite 3-vector"),
    ("injection-str", lambda: SpinInjection("zmin", j_s=["a", 1, 0]), V, r"j_s must be a finite 3-vector"),
    ("magnet-Gr-nan", lambda: MagneticInterface("zmin", G_r=NAN), V, r"MagneticInterface 'zmin': G_r must be"),
    ("magnet-Gr-neg", lambda: MagneticInterface("zmin", G_r=-1.0), V, r"G_r and G_s must be >= 0"),
    ("magnet-Gs-neg", lambda: MagneticInterface("zmin", G_r=1e14, G_s=-1.0), V, r"G_s must be >= 0"),
    ("magnet-Gi-inf", lambda: MagneticInterface("zmin", G_r=1e14, G_i=INF), V, r"G_i must be finite"),
    ("magnet-Gr-huge", lambda: MagneticInterface("zmin", G_r=1e308), V, r"G_r must be >= 0 and at most"),
    ("magnet-m-zero", lambda: MagneticInterface("zmin", G_r=1e14, m=(0, 0, 0)), V, r"m must be a unit vector"),
    ("magnet-m-str", lambda: MagneticInterface("zmin", G_r=1e14, m=["a", 1, 0]), V, r"m must be a finite 3-vector"),
    ("magnet-m-ragged", lambda: MagneticInterface("zmin", m=[[1, 0], [0]]), V, r"m must be a finite 3-vector"),
    ("magnet-m-nan", lambda: MagneticInterface("zmin", m=(NAN, 0, 1)), V, r"m must be a finite 3-vector"),
    ("magnet-rotation", lambda: MagneticInterface("zmin", rotation=2 * np.eye(3)), V, r"rotation must be a 3x3 proper"),
    ("magnet-improper", lambda: MagneticInterface("zmin", rotation=np.diag([1.0, 1.0, -1.0])), V,
     r"rotation .*det R = -1"),
    ("magnet-gamma-shape", lambda: MagneticInterface("zmin", Gamma_loss=np.zeros((2, 2))), V, r"Gamma_loss must be"),
    ("magnet-gamma-inf", lambda: MagneticInterface("zmin", Gamma_loss=np.full((3, 3), INF)), V, r"Gamma_loss must be"),
    ("magnet-pumping", lambda: MagneticInterface("zmin", pumping=(INF, 0, 0)), V, r"pumping must be a finite 3-vector"),
    ("magnet-m-other", lambda: MagneticInterface("zmin").conductance_matrix(m=(0, 0, 3)), V, r"m must be a unit vector"),
    # magnetization dynamics
    ("prec-axis", lambda: Precession(axis=(0, 0, 0)), V, r"Precession: axis must be a finite non-zero"),
    ("prec-cone", lambda: Precession(cone_angle=2.0), V, r"cone_angle must be in \[0, pi/2\]"),
    ("prec-cone-nan", lambda: Precession(cone_angle=NAN), V, r"cone_angle must be finite"),
    ("prec-omega-zero", lambda: Precession(omega=0.0), V, r"omega must be non-zero"),
    ("prec-omega-inf", lambda: Precession(omega=INF), V, r"omega must be finite"),
    ("prec-omega-huge", lambda: Precession(omega=1e308), V, r"omega must be finite and at most 1e\+18"),
    ("prec-phase", lambda: Precession(phase=NAN), V, r"phase must be finite"),
    ("prec-reference", lambda: Precession(reference=(0, 0, 2)), V, r"reference must be not parallel"),
    ("mfunc-period", lambda: MagnetizationFunction(wave, period=-1.0), V, r"MagnetizationFunction: period must be positive"),
    ("mfunc-period-nan", lambda: MagnetizationFunction(wave, period=NAN), V, r"period must be positive"),
    ("mfunc-func", lambda: MagnetizationFunction(None), TypeError, r"func must be callable"),
    # seed-002 texture model
    ("gas-nu", lambda: gas(nu=NAN), V, r"ElectronGas: nu must be positive"),
    ("gas-J", lambda: gas(J=INF), V, r"ElectronGas: J must be finite"),
    ("gas-tau", lambda: gas(tau=0.0), V, r"tau must be positive"),
    ("gas-D", lambda: gas(D=1e308), V, r"D must be positive and in \[1e-15, 1000\]"),
    ("gas-mass", lambda: gas(mass=-1.0), V, r"mass must be positive"),
    ("gas-epsF", lambda: gas(eps_F=0.0), V, r"eps_F must be positive"),
    ("gas-str", lambda: gas(nu="many"), TypeError, r"nu must be a number"),
    ("analytic-period", lambda: AnalyticTexture(wave, period=0.0), V, r"AnalyticTexture: period must be positive"),
    ("sampled-times-str", lambda: texture(times=["a", "b", "c", "d"]), V, r"SampledTexture: times must be"),
    ("sampled-times-ragged", lambda: texture(times=[[0, 1], [2]]), V, r"times must be"),
    ("sampled-times-order", lambda: texture(times=[0, 2e-10, 1e-10, 3e-10]), V, r"times must be a strictly increasing"),
    ("sampled-values-nan", lambda: texture(values=np.full((4, 3), NAN)), V, r"values must be"),
    ("sampled-values-shape", lambda: texture(values=np.zeros((4, 2))), V, r"values must have shape"),
    ("sampled-periodic", lambda: texture(periodic="yes"), TypeError, r"periodic must be True or False"),
    ("sampled-grid", lambda: texture(values=np.zeros((4, 2, 3)), grid=[["a", "b"]]), V, r"grid\[0\] must be"),
    ("texture-magnitude", lambda: precessing_texture(magnitude=NAN), V, r"magnitude must be finite"),
    ("texture-wavevector", lambda: precessing_texture(wavevector=(1.0, 2.0)), V, r"wavevector must be a finite 3-vector"),
    ("texture-omega", lambda: precessing_texture(Omega=0.0), V, r"omega must be non-zero"),
    ("rashba-E", lambda: conv.rashba_coefficient((NAN, 0, 0), 1e-14), V, r"E_so must be a finite 3-vector"),
    ("rashba-tau", lambda: conv.rashba_coefficient((0, 0, 1e-30), -1.0), V, r"tau must be positive"),
    ("impurity-lambda", lambda: conv.impurity_coefficient(INF, GAS), V, r"lambda_so must be finite"),
    ("gauge-alpha", lambda: gauge.rashba_dresselhaus(alpha=NAN), V, r"alpha must be finite"),
    ("helix-axis", lambda: gauge.uniform_helix_field((1, 0, 0), (0, 0, 0)), V, r"axis must be a finite non-zero"),
    ("soc-G", lambda: soc.to_boundary_conductances(NAN, 0.0, 0.0), V, r"G_s_m must be finite"),
    ("soc-nu-str", lambda: soc.diffusion_length("1", 1e-12), TypeError, r"D must be a number"),
    # observables that need no mesh
    ("fit-directions", lambda: ob.fit_smr([[1, 0]], [1.0]), V, r"fit_smr: directions must be"),
    ("fit-rho", lambda: ob.fit_smr(np.eye(3), [1.0, 2.0]), V, r"rho_long must be one finite"),
    ("fit-rho-trans", lambda: ob.fit_smr(np.eye(3), [1, 2, 3], [1, NAN, 0]), V, r"rho_trans must be"),
]


@pytest.mark.parametrize("call, exc, pattern", [row[1:] for row in NO_MESH],
                         ids=[row[0] for row in NO_MESH])
def test_bad_call_without_mesh(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


def test_validation_errors_are_value_errors_with_parts():
    with pytest.raises(ValueError) as info:
        Contact("xmin", V=NAN)
    err = info.value
    assert isinstance(err, ValidationError)
    assert (err.owner, err.name, err.requirement, err.actual) == ("Contact 'xmin'", "V", "finite", "nan")


# ---------------------------------------------------------------------------- with a mesh
@pytest.fixture(scope="module")
def ctx():
    """One 2x2 film (x-z cross-section, 10 nm x 5 nm), a solved problem with an HM|FI
    bottom, and a solution with equal contact potentials."""
    dev = layered_box([10e-9, 5e-9], [2, 2], axes="xz")
    bcs = [Contact("xmin", V=1e-3), Contact("xmax"), MagneticInterface("zmin", G_r=4e14)]
    problem = SpinChargeProblem(dev, {"film": PT}, bcs)
    equal = SpinChargeProblem(dev, {"film": PT}, [Contact("xmin"), Contact("xmax")]).solve()
    return {"dev": dev, "problem": problem, "sol": problem.solve(), "equal": equal,
            "bcs": bcs, "mats": {"film": PT}}


def problem(c, **kw):
    return SpinChargeProblem(c["dev"], c["mats"], c["bcs"], **kw)


def pumping(c, **kw):
    return PumpingProblem(c["dev"], c["mats"], c["bcs"], {"zmin": Precession()}, **kw)


WITH_MESH = [
    ("degree-float", lambda c: problem(c, degree=2.5), V, r"SpinChargeProblem: degree must be 1, 2 or 3, got 2\.5"),
    ("degree-float-int", lambda c: problem(c, degree=2.0), V, r"degree must be 1, 2 or 3, got 2\.0"),
    ("degree-bool", lambda c: problem(c, degree=True), V, r"degree must be 1, 2 or 3, got True"),
    ("degree-zero", lambda c: problem(c, degree=0), V, r"degree must be 1, 2 or 3, got 0"),
    ("degree-str", lambda c: problem(c, degree="2"), V, r"degree must be 1, 2 or 3, got '2'"),
    ("materials-list", lambda c: SpinChargeProblem(c["dev"], [("film", PT)], c["bcs"]), TypeError,
     r"materials must be a mapping"),
    ("boundaries-single", lambda c: SpinChargeProblem(c["dev"], c["mats"], Contact("xmin")), TypeError,
     r"boundaries must be a list"),
    ("petsc-options", lambda c: problem(c, petsc_options=["ksp_type"]), TypeError, r"petsc_options must be a dict"),
    ("set-m", lambda c: c["problem"].set_magnetization("zmin", (0, 0, 2)), V, r"interface 'zmin': m must be a unit"),
    ("set-m-str", lambda c: c["problem"].set_magnetization("zmin", "z"), V, r"m must be a finite 3-vector"),
    ("profile-outside", lambda c: ob.line_profile(c["sol"], [[5e-9, 0, 1e-9], [1.0, 0, 0], [-1e-6, 0, 0]]), V,
     r"line_profile: points must be inside the mesh, got 2 of 3 points outside, e.g. #1 \(1\.0, 0\.0, 0\.0\), "
     r"#2 .*x in \[0, 1e-08\], z in \[0, 5e-09\] m"),
    ("profile-nan", lambda c: ob.line_profile(c["sol"], [[NAN, 0, 0]]), V, r"points must be a finite array"),
    ("profile-str", lambda c: ob.line_profile(c["sol"], [["a", 0, 0]]), V, r"points must be a finite array"),
    ("profile-shape", lambda c: ob.line_profile(c["sol"], [[0.0, 0.0]]), V, r"points .*got shape \(1, 2\)"),
    ("profile-empty", lambda c: ob.line_profile(c["sol"], np.zeros((0, 3))), V, r"points must be at least one"),
    ("profile-quantity", lambda c: ob.line_profile(c["sol"], [[1e-9, 0, 1e-9]], "j_c"), V,
     r"quantity must be one of 'V', 'mu_s', got 'j_c'"),
    ("torque-normal", lambda c: ob.interface_torque(c["sol"], "zmin", (1e10, 0, 0), (0, 0, 0)), V,
     r"interface_torque: normal must be a finite non-zero 3-vector"),
    ("torque-normal-nan", lambda c: ob.interface_torque(c["sol"], "zmin", (1e10, 0, 0), (0, NAN, 1)), V,
     r"normal must be a finite non-zero"),
    ("torque-current-zero", lambda c: ob.interface_torque(c["sol"], "zmin", (0, 0, 0), (0, 0, -1)), V,
     r"current_density must be a non-zero"),
    ("torque-parallel", lambda c: ob.interface_torque(c["sol"], "zmin", (0, 0, 1e10), (0, 0, -1)), V,
     r"current_density must be not parallel to the normal"),
    ("resistance-equal", lambda c: ob.resistance(c["equal"], "xmin", "xmin", "xmax"), ValueError,
     r"resistance: no current flows through 'xmin' \(I = 0 A\).*'xmin': 0\.0, 'xmax': 0\.0"),
    ("average-unknown", lambda c: ob.average_potential(c["sol"], "top"), KeyError, r"unknown boundary 'top'"),
    ("diffusion-D", lambda c: DiffusionAverage(c["dev"], NAN, 1e-14), V, r"DiffusionAverage: D must be positive"),
    ("diffusion-tau-sf", lambda c: DiffusionAverage(c["dev"], 1e-3, 1e-14, -1.0), V, r"tau_sf must be positive"),
    ("diffusion-degree", lambda c: DiffusionAverage(c["dev"], 1e-3, 1e-14, degree=1.5), V,
     r"DiffusionAverage: degree must be 1, 2 or 3, got 1\.5"),
    ("diffusion-reservoirs", lambda c: DiffusionAverage(c["dev"], 1e-3, 1e-14, reservoirs="xmin"), TypeError,
     r"reservoirs must be a list of boundary names"),
    ("diffusion-omega", lambda c: DiffusionAverage(c["dev"], 1e-3, 1e-14, 1e-12).harmonic(0.0), V,
     r"harmonic: Omega must be non-zero"),
    ("device-length-unit", lambda c: Device(c["dev"].mesh, c["dev"].cell_tags, c["dev"].facet_tags,
                                            c["dev"].regions, c["dev"].boundaries, length_unit=NAN), V,
     r"Device: length_unit must be positive"),
    ("device-region-name", lambda c: Device(c["dev"].mesh, c["dev"].cell_tags, c["dev"].facet_tags,
                                            {None: 1}, c["dev"].boundaries), TypeError,
     r"regions name must be a string"),
    ("pumping-floating", lambda c: pumping(c, floating="xmax"), TypeError, r"PumpingProblem: floating must be a list"),
    ("pumping-backflow", lambda c: pumping(c, backflow="yes"), TypeError, r"backflow must be True or False"),
    ("pumping-dynamics", lambda c: PumpingProblem(c["dev"], c["mats"], c["bcs"], [Precession()]), TypeError,
     r"dynamics must be a mapping"),
    ("texture-relaxation", lambda c: TexturePumping(c["dev"], GAS, AnalyticTexture(wave), relaxation_time=0.0),
     V, r"TexturePumping: relaxation_time must be positive"),
    ("texture-func", lambda c: TexturePumping(c["dev"], GAS, AnalyticTexture(lambda t, x: [t, t])), V,
     r"AnalyticTexture: func must be a function returning a 3-vector"),
    ("texture-reservoirs", lambda c: TexturePumping(c["dev"], GAS, AnalyticTexture(wave), reservoirs=["zmid"]),
     KeyError, r"unknown boundary 'zmid'"),
    ("texture-E_so", lambda c: TexturePumping(c["dev"], GAS, AnalyticTexture(wave), E_so=(1.0, 0, 0)),
     V, r"E_so must be a finite 3-vector with entries at most 1e-20"),
]


@pytest.mark.parametrize("call, exc, pattern", [row[1:] for row in WITH_MESH],
                         ids=[row[0] for row in WITH_MESH])
def test_bad_call_with_mesh(ctx, call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call(ctx)


@pytest.fixture(scope="module")
def texture_model(ctx):
    tex = AnalyticTexture(wave, period=1e-10)
    return TexturePumping(ctx["dev"], GAS, tex, relaxation_time=1e-12)


@pytest.mark.parametrize("call, pattern", [
    (lambda m: m.frequency(harmonics=1.5), r"TexturePumping\.frequency: harmonics must be an integer >= 0, got 1\.5"),
    (lambda m: m.frequency(harmonics=-1), r"harmonics must be an integer >= 0"),
    (lambda m: m.frequency(samples=10 ** 9), r"samples must be an integer in \[1, 4096\]"),
    (lambda m: m.frequency(harmonics=4, samples=8), r"samples must be more than 2 x harmonics = 8"),
    (lambda m: m.frequency(direct="no"), r"direct must be True or False"),
    (lambda m: m.integrate(1e-10, NAN), r"TexturePumping\.integrate: dt must be positive"),
    (lambda m: m.integrate(INF, 1e-11), r"t_end must be finite"),
    (lambda m: m.integrate(1e-10, 1e-11, every=0), r"every must be an integer >= 1"),
    (lambda m: m.integrate(1e-10, 3e-11), r"\(t_end - t0\)/dt must be a positive integer"),
    (lambda m: m.integrate(1.0, 1e-16), r"\(t_end - t0\)/dt must be a positive integer <= 1000000"),
], ids=["harmonics-float", "harmonics-neg", "samples-huge", "samples-few", "direct", "dt-nan",
        "t_end-inf", "every", "steps-fraction", "steps-huge"])
def test_bad_texture_solver_call(texture_model, call, pattern):
    with pytest.raises(ValidationError, match=pattern):
        call(texture_model)


# ---------------------------------------------------------------------------- good calls
def test_good_calls_still_work(ctx):
    m = Material("Y", sigma=np.float32(2e6), lambda_sf=math.inf, theta_sh=np.float64(-0.1),
                 gauge_field=np.zeros((3, 3)))
    assert (m.sigma, m.lambda_sf, m.theta_sh) == (2e6, math.inf, -0.1)
    assert callable(Material("Z", sigma=lambda x: 1e6 + 0 * x[0], lambda_sf=1e-9).sigma)
    assert Contact("xmin", V=np.float64(0.5)).V == 0.5 and Contact("xmin", V=1).V == 1.0
    tilt = np.array([0.0, 0.0, 1.0 + 5e-7])            # within the documented 1e-6 tolerance
    assert MagneticInterface("zmin", G_r=1e14, G_i=-1e13, m=tilt).G_i == -1e13
    assert Precession(axis=(0, 0, 2), omega=-1e10).axis == (0.0, 0.0, 1.0)
    assert problem(ctx, degree=np.int64(1)).degree == 1
    sol = ctx["sol"]
    mu = ob.line_profile(sol, [[5e-9, 0.0, 0.0], [10e-9, 0.0, 5e-9]])   # corners included
    assert mu.shape == (2, 3) and np.all(np.isfinite(mu))
    R = ob.resistance(sol, "xmin", "xmin", "xmax")
    assert np.isfinite(R) and R > 0
    t = ob.interface_torque(sol, "zmin", current_density=(1e10, 0, 0), normal=(0, 0, -2))
    assert np.isfinite(t["xi_DL"]) and t["xi_DL"] > 0
    assert ob.fit_smr(np.eye(3), [1.0, 2.0, 1.0])["delta_rho_1"] == pytest.approx(-1.0)


def test_material_that_is_not_a_material_names_the_region(ctx):
    with pytest.raises(TypeError, match=r"materials\['film'\] = 'Pt' is not a material"):
        SpinChargeProblem(ctx["dev"], {"film": "Pt"}, ctx["bcs"])
