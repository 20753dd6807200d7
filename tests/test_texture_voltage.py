"""Texture pumping that gives a voltage (kinetics.models.texture_charge, seed 002 / issue 17):
uniform precession against the interface pumping model's V_ISHE and I_ISHE, sign reversals
with the precession sense, θ_SH and E_so, zero conversion, the Rashba local current against
its closed form, the impurity local current (zero for uniform precession), the uniform-region
limit against kinetics.models.texture, spin balance, bad input, and 2 ranks = serial."""

import math

import numpy as np
import pytest
import ufl
from mpi4py import MPI

import kinetics
from kinetics import observables as ob
from kinetics import units
from kinetics.analytic import pumping as ap
from kinetics.geometry import layered_box
from kinetics.models.pumping import PumpingProblem
from kinetics.models.texture import ElectronGas, TexturePumping
from kinetics.models.texture_charge import ChargeRegion, TextureVoltage
from kinetics.physics import pumping as pp
from kinetics.physics.boundaries import Contact, MagneticInterface
from kinetics.physics.texture.sources import precessing_texture

PT = kinetics.materials.get("Pt")                  # σ = 2.4e6 S/m, λ = 1.5 nm, θ = 0.11
G_R = 4e14
OMEGA = 2 * math.pi * 9.4e9
CONE = 0.3
LX, D_PT, D_FM = 20e-9, 3e-9, 0.1e-9


def fm_gas(G_r=G_R, d_fm=D_FM, sigma_fm=1e-5 * PT.sigma, tau=1e-15, D=1e-4):
    """A thin textured layer whose pumped spin current equals the interface model's
    (ħ/e)G_r m×ṁ: (2e/ħ)(2νJ²τ) d_F = (ħ/e) G_r fixes J; σ_F = 2e²νD ≪ σ_Pt (no shunt)."""
    nu = sigma_fm / (2 * units.e ** 2 * D)
    J = math.sqrt(units.hbar ** 2 * G_r / (4 * units.e ** 2 * nu * tau * d_fm))
    return ElectronGas(nu=nu, J=J, tau=tau, D=D)


def texture_strip(theta=PT.theta_sh, Omega=OMEGA, nz=12, comm=None, fm=None, E_so=None,
                  lambda_so=None, texture=None, pt_theta_given=True, backaction=False):
    """x-z strip: a textured layer (zmin side, thickness D_FM) under Pt; contacts xmin
    (ground) and xmax (probe) across the whole stack."""
    dev = layered_box([LX, D_PT], [2, nz], layers=[("fm", D_FM, 2), ("pt", D_PT, nz)], axes="xz",
                      comm=comm)
    regions = {"fm": fm or ChargeRegion(gas=fm_gas(), E_so=E_so, lambda_so=lambda_so),
               "pt": ChargeRegion(sigma=PT.sigma, lambda_sf=PT.lambda_sf,
                                  theta_sh=theta if pt_theta_given else None)}
    tex = texture or precessing_texture(axis=(0, 1, 0), cone_angle=CONE, Omega=Omega)
    return TextureVoltage(dev, regions, tex, ground="xmin", probe="xmax", backaction=backaction)


def pumping_strip(theta, floating=True, nz=12):
    """The interface model on the same Pt strip, without backflow (the texture model's volume
    source has none), as in tests/test_pumping_interface.py."""
    dev = layered_box([LX, D_PT], [2, nz], axes="xz")
    prob = PumpingProblem(dev, {"film": PT.with_(theta_sh=theta)},
                          [Contact("xmin", 0.0, spin="opaque"), Contact("xmax", 0.0, spin="opaque"),
                           MagneticInterface("zmin", G_r=G_R, G_i=0.0)],
                          {"zmin": pp.Precession(axis=(0, 1, 0), cone_angle=CONE, omega=OMEGA)},
                          floating=["xmax"] if floating else [], backflow=False, degree=2)
    return prob.periodic(8)


def first_order_V(theta):
    """Mosendz/Ando closed form without backflow: θ L λ tanh(d/2λ) j_s0/(σ d)."""
    js0 = pp.HBAR_OVER_E * G_R * OMEGA * math.sin(CONE) ** 2
    lam = PT.lambda_sf
    return theta * LX * lam * math.tanh(D_PT / (2 * lam)) * js0 / (PT.sigma * D_PT)


# ----------------------------------------------------------------------------- V_ISHE
def test_uniform_precession_reproduces_interface_pumping_voltage_small_theta():
    """θ_SH = 0.01 (spin Hall back-action O(θ²) = 1e-4): the texture model's V and I equal
    the interface model's: V to 5e-4 (found 7.6e-5), I to 1e-9 (the shorted film has no
    back-action); a factor 2 or a sign would fail."""
    theta = 0.01
    res = texture_strip(theta=theta).solve()
    V_pump = pumping_strip(theta).floating_potential("xmax")
    assert res.V["total"] == pytest.approx(V_pump, rel=5e-4)            # found 7.6e-5
    assert res.V["total"] == pytest.approx(first_order_V(theta), rel=2e-4)
    assert res.V["local"] == 0.0 and res.V["diffusive"] == res.V["total"]
    # short circuit: current in at xmin = out at xmax
    I_pump = ob.contact_current(pumping_strip(theta, floating=False).dc, "xmin")
    assert res.I["total"] == pytest.approx(I_pump, rel=1e-9)            # exact when shorted
    assert res.V["total"] == pytest.approx(res.I["total"] / res.conductance, rel=1e-12)
    # all the pumped spin current is absorbed in the Pt: (ħ/e) G_r ω sin²θ_c L_x
    js0 = pp.HBAR_OVER_E * G_R * OMEGA * math.sin(CONE) ** 2
    assert res.spin_balance[0, 1] == pytest.approx(js0 * LX, rel=1e-12)
    assert res.spin_balance[1, 1] == pytest.approx(js0 * LX, rel=1e-9)
    assert np.abs(res.spin_balance[:, [0, 2]]).max() < 1e-9 * js0 * LX


def test_uniform_precession_pt_voltage_within_theta_squared_of_interface_model():
    """θ_SH = 0.11: the interface model is exact in θ_SH, ours first order; they differ by
    O(θ²) (< 2θ² = 2.4 %), and ours is the larger (the back-action shunts)."""
    res = texture_strip().solve()
    V_pump = pumping_strip(PT.theta_sh).floating_potential("xmax")
    assert V_pump > 0 and res.V["total"] > V_pump
    assert res.V["total"] == pytest.approx(V_pump, rel=2 * PT.theta_sh ** 2)
    assert res.V["total"] == pytest.approx(first_order_V(PT.theta_sh), rel=2e-4)


def test_voltage_reverses_with_precession_sense_and_spin_hall_angle():
    base = texture_strip().solve()
    rev = texture_strip(Omega=-OMEGA).solve()
    neg = texture_strip(theta=-PT.theta_sh).solve()
    assert base.V["total"] > 0
    for r in (rev, neg):
        assert r.V["total"] == pytest.approx(-base.V["total"], rel=1e-10)
        assert r.I["total"] == pytest.approx(-base.I["total"], rel=1e-10)


def test_zero_conversion_gives_zero_voltage():
    res = texture_strip(theta=0.0, E_so=(0.0, 0.0, 0.0), lambda_so=0.0).solve()
    ref = first_order_V(PT.theta_sh)
    for k in ("total", "diffusive", "rashba", "impurity"):
        assert abs(res.V[k]) < 1e-12 * ref
    assert np.abs(res.mu_s.x.array).max() > 0          # the spin accumulation is there


# ----------------------------------------------------------------------------- back-action
@pytest.mark.parametrize("theta", [0.11, -0.3])
def test_backaction_reproduces_the_interface_model_exactly_in_theta(theta):
    """backaction=True keeps the spin Hall part −θσ ê_a×∇φ of the spin current: the texture
    model then gives the interface model's V_ISHE (exact in θ_SH) to 2e-6 (found 3.3e-7 at
    θ = 0.11 and 3.1e-7 at 0.3), where the one-way model is 0.92 % and 6.9 % above it."""
    ba = texture_strip(theta=theta, backaction=True).solve()
    one = texture_strip(theta=theta).solve()
    V_pump = pumping_strip(theta).floating_potential("xmax")
    assert ba.V["total"] == pytest.approx(V_pump, rel=2e-6)
    assert one.V["total"] / V_pump - 1 > 0.5 * theta ** 2          # the one-way model is off
    assert ba.V["diffusive"] == ba.V["total"] and ba.V["local"] == 0.0


def test_backaction_is_the_spin_hall_magnetoresistance_of_the_strip():
    """The O(θ²) difference sits in the conductance alone: the shorted strip has no field, so
    I_sc is the same with and without back-action (1e-12), while the open-circuit field drives
    a spin Hall current whose inverse spin Hall current raises the strip's conductance by the
    spin Hall magnetoresistance of a film with spin-reflecting surfaces, −Δρ₀/ρ =
    θ²(2λ/d)tanh(d/2λ) (Chen et al., PRB 87, 144411 (2013); exact 1D film model of
    kinetics.analytic.film): the relative change of G to 1e-4 of itself (found 1e-6; the
    textured layer carries 3e-7 of G).  Spin balance holds with the spin Hall term."""
    from kinetics.analytic import film
    theta = PT.theta_sh
    ba = texture_strip(backaction=True).solve()
    one = texture_strip().solve()
    assert ba.I["total"] == pytest.approx(one.I["total"], rel=1e-12)
    r_long = film.film_resistivity(D_PT, PT.sigma, PT.lambda_sf, theta,
                                   film.conductance_matrix())[0]
    smr = 1 / (1 + r_long) - 1
    assert smr == pytest.approx(theta ** 2 * (2 * PT.lambda_sf / D_PT)
                                * math.tanh(D_PT / (2 * PT.lambda_sf)), rel=1e-3)
    assert ba.conductance / one.conductance - 1 == pytest.approx(smr, rel=1e-4)
    js0 = pp.HBAR_OVER_E * G_R * OMEGA * math.sin(CONE) ** 2
    assert ba.spin_balance[0, 1] == pytest.approx(js0 * LX, rel=1e-12)
    assert ba.spin_balance[1, 1] == pytest.approx(js0 * LX, rel=1e-9)
    # zero spin Hall angle: the coupled solve is the one-way solve
    z_ba = texture_strip(theta=0.0, E_so=(0, 0, 1e-30), backaction=True).solve()
    z_one = texture_strip(theta=0.0, E_so=(0, 0, 1e-30)).solve()
    for k in ("diffusive", "rashba", "total"):
        assert z_ba.V[k] == pytest.approx(z_one.V[k], rel=1e-10, abs=1e-14 * abs(z_one.V["total"]))
    mu = np.abs(z_one.mu_s.x.array).max()
    assert np.abs(z_ba.mu_s.x.array - z_one.mu_s.x.array).max() < 1e-9 * mu


# ----------------------------------------------------------------------------- Rashba, impurity
@pytest.mark.parametrize("axes", ["x", "xz", "xyz"])
def test_rashba_local_current_of_uniform_precession_matches_closed_form(axes):
    """One textured region, uniform precession about ŷ, E_so ∥ ẑ: the DC local current
    a^R×T^(dy) = a^R (2νJ²τ) Ω sin²θ (ẑ × ŷ) is uniform and along x̂, so I_sc = j_x A
    (A = 1 in 1D: A/m²; the thickness in 2D: A/m; t·W in 3D: A) and V_oc = j_x L/σ exactly
    (seed 002 Eq. 25; seed note §4.3)."""
    gas = ElectronGas(nu=1e47, J=1e-21, tau=1e-14, D=1e-3)
    t_film, width, E = 4e-9, 6e-9, 1e-30
    lengths = {"x": [LX], "xz": [LX, t_film], "xyz": [LX, width, t_film]}[axes]
    cells = {"x": [4], "xz": [4, 4], "xyz": [3, 2, 2]}[axes]
    area = {"x": 1.0, "xz": t_film, "xyz": t_film * width}[axes]
    layer = [("fm", lengths[-1], cells[-1])]

    def run(Ez):
        dev = layered_box(lengths, cells, layers=layer, axes=axes)
        return TextureVoltage(dev, {"fm": ChargeRegion(gas=gas, lambda_sf=10e-9, E_so=(0, 0, Ez))},
                              precessing_texture(axis=(0, 1, 0), cone_angle=CONE, Omega=OMEGA),
                              ground="xmin", probe="xmax", degree=1).solve()

    res = run(E)
    a_R = -2 * units.e * gas.tau * E / units.hbar ** 2
    j_x = -a_R * gas.damping * OMEGA * math.sin(CONE) ** 2          # (ẑ × ŷ)_x = −1
    assert res.I["rashba"] == pytest.approx(j_x * area, rel=1e-10)
    assert res.V["rashba"] == pytest.approx(j_x * LX / gas_sigma(gas), rel=1e-10)
    assert res.conductance == pytest.approx(gas_sigma(gas) * area / LX, rel=1e-10)
    assert res.V["diffusive"] == 0.0 and abs(res.V["impurity"]) < 1e-12 * abs(res.V["rashba"])
    assert run(-E).V["rashba"] == pytest.approx(-res.V["rashba"], rel=1e-10)


def gas_sigma(gas):
    return 2 * units.e ** 2 * gas.nu * gas.D


def test_rashba_and_impurity_beside_pt_are_reported_separately():
    """FM with Rashba (and λ_so) under Pt: the local (Rashba) and diffusive (θ_SH) voltages
    add; the impurity one vanishes for uniform precession (seed 002 Sec. III B)."""
    both = texture_strip(E_so=(0, 0, 1e-30), lambda_so=1e-20).solve()
    only_R = texture_strip(theta=0.0, E_so=(0, 0, 1e-30)).solve()
    only_D = texture_strip().solve()
    assert both.V["rashba"] == pytest.approx(only_R.V["total"], rel=1e-10)
    assert both.V["diffusive"] == pytest.approx(only_D.V["total"], rel=1e-10)
    assert both.V["total"] == pytest.approx(both.V["rashba"] + both.V["diffusive"], rel=1e-12)
    assert abs(both.V["impurity"]) < 1e-12 * abs(both.V["total"])
    assert abs(both.V["rashba"]) > 0


def test_impurity_local_current_needs_a_texture_gradient():
    """λ_so converts j_s^(local) (Eq. 31).  For precession about ŷ with a cone angle θ(x), its
    DC is J[y, x] = −(ħνJτD)(2Jτ/ħ) Ω (∂_x sin²θ + sinθ cosθ θ') (the ∇Ṡ part averages out),
    and a^imp ε:J gives j_c,z = a^imp J[y, x]; with contacts on zmin/zmax the short-circuit
    current is ∫ j_c,z dx = −a^imp ħνJτD (2Jτ/ħ) Ω (3/2) [sin²θ]₀^L.  Zero for a uniform cone
    and for a uniform-cone spin wave; linear and odd in λ_so."""
    from kinetics.physics.texture import conversion as conv
    gas = ElectronGas(nu=1e47, J=1e-21, tau=1e-14, D=1e-3)
    L, w, x0 = 200e-9, 20e-9, 100e-9
    dev = layered_box([L, 10e-9], [40, 2], layers=[("fm", 10e-9, 2)], axes="xz")

    def run(lam, profile=None, k=(0.0, 0.0, 0.0)):
        tex = precessing_texture(axis=(0, 1, 0), cone_angle=CONE, Omega=OMEGA, wavevector=k,
                                 profile=profile)
        fm = ChargeRegion(gas=gas, lambda_sf=30e-9, lambda_so=lam)
        return TextureVoltage(dev, {"fm": fm}, tex, ground="zmin", probe="zmax", degree=1).solve()

    edge = lambda x: 0.5 * (1 + ufl.tanh((x[0] - x0) / w))
    uni, wave = run(1e-20), run(1e-20, k=(2 * math.pi / 100e-9, 0, 0))
    r1, r2 = run(1e-20, edge), run(-2e-20, edge)
    th = [CONE * 0.5 * (1 + math.tanh((x - x0) / w)) for x in (0.0, L)]
    jump = math.sin(th[1]) ** 2 - math.sin(th[0]) ** 2
    a = conv.impurity_coefficient(1e-20, gas)
    expected = -a * gas.kappa_eq * gas.tau * gas.D * (2 * gas.J * gas.tau / units.hbar) \
        * OMEGA * 1.5 * jump
    assert r1.I["impurity"] == pytest.approx(expected, rel=2e-3)
    scale = abs(r1.I["impurity"])
    assert abs(uni.I["impurity"]) < 1e-12 * scale and abs(wave.I["impurity"]) < 1e-12 * scale
    assert r2.I["impurity"] == pytest.approx(-2 * r1.I["impurity"], rel=1e-10)
    assert r1.V["diffusive"] == 0.0 and r1.V["rashba"] == 0.0


# ----------------------------------------------------------------------------- seed-002 limit
def test_uniform_region_equals_the_seed002_diffusion_average():
    """One region with uniform parameters: μ_s = 2 (2νJ²τ) τ ⟨S×Ṡ⟩_DC /(ħνe) with ⟨·⟩ the
    DC diffusion average of kinetics.models.texture (τ_sf = λ²/D, a reservoir at xmax), for a
    texture with a cone-angle edge (non-uniform source)."""
    gas = ElectronGas(nu=1e47, J=1e-21, tau=1e-14, D=1e-3)
    lam = 30e-9
    tsf = lam ** 2 / gas.D
    dev = layered_box([300e-9], [60], axes="x")
    edge = lambda x: 0.5 * (1 + ufl.tanh((x[0] - 150e-9) / 30e-9))
    tex = precessing_texture(axis=(0, 0, 1), cone_angle=CONE, Omega=OMEGA, profile=edge)
    ours = TextureVoltage(dev, {"film": ChargeRegion(gas=gas, lambda_sf=lam, theta_sh=0.0)}, tex,
                          ground="xmin", probe="xmax", spin_reservoirs=["xmax"], degree=2).solve()
    ref = TexturePumping(dev, gas, tex, degree=2, relaxation_time=tsf, reservoirs=["xmax"]
                         ).frequency(harmonics=0, samples=16)
    avg = ref.amplitude("avg_M", 0)[0]
    conv = 2 * gas.damping * gas.tau / (units.hbar * gas.nu * units.e)
    diff = ours.mu_s.x.array - conv * avg.x.array
    assert np.abs(diff).max() < 1e-3 * np.abs(ours.mu_s.x.array).max()
    bal = ours.spin_balance
    assert bal[1, 2] == pytest.approx(bal[0, 2], rel=1e-9)


# ----------------------------------------------------------------------------- bad input
def test_bad_input_is_rejected_before_solving():
    gas = fm_gas()
    dev = layered_box([LX, D_PT], [2, 2], layers=[("fm", D_FM, 1), ("pt", D_PT, 2)], axes="xz")
    tex = precessing_texture(axis=(0, 1, 0), cone_angle=CONE, Omega=OMEGA)
    pt = ChargeRegion(sigma=PT.sigma, lambda_sf=PT.lambda_sf, theta_sh=0.1)
    fm = ChargeRegion(gas=gas)
    ends = {"ground": "xmin", "probe": "xmax"}
    with pytest.raises(ValueError, match="without a conversion mechanism|conversion mechanism"):
        TextureVoltage(dev, {"fm": fm, "pt": ChargeRegion(sigma=PT.sigma, lambda_sf=1e-9)}, tex,
                       **ends)
    with pytest.raises(ValueError, match="E_so must be None in a region without a texture"):
        ChargeRegion(sigma=PT.sigma, E_so=(0, 0, 1e-30))
    with pytest.raises(ValueError, match="lambda_so must be None"):
        ChargeRegion(sigma=PT.sigma, lambda_so=1e-20)
    with pytest.raises(ValueError, match="sigma"):
        ChargeRegion(sigma=-1.0)
    with pytest.raises(ValueError, match="sigma"):
        ChargeRegion(sigma=float("nan"))
    with pytest.raises(ValueError, match="equal to 2 e\\^2 nu D"):
        ChargeRegion(sigma=PT.sigma, gas=gas)
    with pytest.raises(ValueError, match="lambda_sf"):
        ChargeRegion(sigma=PT.sigma, lambda_sf=-1e-9)
    with pytest.raises(ValueError, match="theta_sh"):
        ChargeRegion(sigma=PT.sigma, theta_sh=float("inf"))
    with pytest.raises(ValueError, match="E_so"):
        ChargeRegion(gas=gas, E_so=(0, 0, float("nan")))
    with pytest.raises(TypeError, match="ElectronGas"):
        ChargeRegion(gas={"nu": 1})
    with pytest.raises(ValueError, match="missing \\['pt'\\]"):
        TextureVoltage(dev, {"fm": ChargeRegion(gas=gas, theta_sh=0.1)}, tex, **ends)
    with pytest.raises(ValueError, match="textured region"):
        TextureVoltage(dev, {"fm": pt, "pt": pt}, tex, ground="xmin", probe="xmax")
    with pytest.raises(ValueError, match="grows without bound"):
        TextureVoltage(dev, {"fm": fm, "pt": pt.__class__(sigma=PT.sigma, theta_sh=0.1)}, tex,
                       **ends)
    with pytest.raises(ValueError, match="other than ground"):
        TextureVoltage(dev, {"fm": fm, "pt": pt}, tex, ground="xmin", probe="xmin")
    with pytest.raises(ValueError, match="does not touch the ground"):
        TextureVoltage(dev, {"fm": fm, "pt": pt}, tex, ground="xmin", probe="zmax")
    with pytest.raises(KeyError, match="unknown boundary"):
        TextureVoltage(dev, {"fm": fm, "pt": pt}, tex, ground="xmin", probe="left")
    from kinetics.physics.texture.sources import AnalyticTexture
    with pytest.raises(ValueError, match="periodic"):
        TextureVoltage(dev, {"fm": ChargeRegion(gas=gas), "pt": pt},
                       AnalyticTexture(lambda t, x: [0, 0, 1]), ground="xmin", probe="xmax")
    with pytest.raises(ValueError, match="samples"):
        TextureVoltage(dev, {"fm": fm, "pt": pt}, tex, **ends, samples=2)


# ----------------------------------------------------------------------------- MPI
def _observables(comm):
    res = texture_strip(comm=comm, nz=6, E_so=(0, 0, 1e-30), lambda_so=1e-20).solve()
    return np.array([res.V[k] for k in ("diffusive", "rashba", "impurity", "total")]
                    + [res.I["total"], res.conductance] + list(res.spin_balance.ravel()))


@pytest.mark.mpi
def test_two_ranks_equal_serial():
    par = _observables(MPI.COMM_WORLD)
    ser = _observables(MPI.COMM_SELF)
    scale = np.abs(ser)
    assert np.allclose(par, ser, rtol=1e-9, atol=1e-12 * scale.max())


def _backaction_observables(comm):
    res = texture_strip(comm=comm, nz=6, E_so=(0, 0, 1e-30), backaction=True).solve()
    return np.array([res.V[k] for k in ("diffusive", "rashba", "total")]
                    + [res.I["total"], res.conductance] + list(res.spin_balance[:, 1]))


@pytest.mark.mpi
def test_backaction_two_ranks_equal_serial():
    par = _backaction_observables(MPI.COMM_WORLD)
    ser = _backaction_observables(MPI.COMM_SELF)
    assert np.allclose(par, ser, rtol=1e-9, atol=0.0)
