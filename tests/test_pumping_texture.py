"""The seed-002 spin-pumping model (kinetics.models.texture): the internal identities
of the seed note §4.2 (uniform precession, static texture, continuity with the torque A21),
Rashba and impurity spin-to-charge conversion with charge conservation (B6), the singular DC
problem, time domain converging to frequency domain, sampled textures, and MPI invariance."""

import math

import numpy as np
import pytest
import ufl
from mpi4py import MPI

from kinetics import units
from kinetics.geometry import layered_box
from kinetics.models.texture import ElectronGas, TexturePumping
from kinetics.physics.texture.sources import AnalyticTexture, SampledTexture, precessing_texture

from _helpers import rates

GAS = ElectronGas(nu=1e47, J=1e-21, tau=1e-14, D=1e-3)   # Jτ/ħ ≈ 0.09, ℓ ≈ 5.5 nm
OMEGA = 2 * math.pi * 10e9                               # Ωτ ≈ 6e-4, √(D/Ω) ≈ 130 nm
T = 2 * math.pi / OMEGA
TH = 0.3
E_SO = 1e-30                                             # J·m


def uniform_exact(t):
    """Closed box, uniform precession about z from rest at t = 0 (seed note §4.3):
    ρ_s(t) = (ħνJ/V)S(0) + (2νJ²τ/V) ∫₀ᵗ S×Ṡ dt'."""
    s, c = math.sin(TH), math.cos(TH)
    integral = s * np.array([-c * math.sin(OMEGA * t), -c * (1 - math.cos(OMEGA * t)), OMEGA * t * s])
    return GAS.kappa_eq * np.array([s, 0.0, c]) + GAS.damping * integral


def test_uniform_precession_closed_box_spin_grows_linearly():
    """ρ̇_s = (2νJ²τ/V) S×Ṡ with j_s = 0: no steady state, ρ_s^z grows at (2νJ²τ/V)Ω sin²θ."""
    dev = layered_box([300e-9], [3], axes="x")
    model = TexturePumping(dev, GAS, precessing_texture(cone_angle=TH, Omega=OMEGA))
    errs = []
    for N in (16, 32, 64):
        res = model.integrate(1.5 * T, T / N, every=10 ** 6,      # observe the final state only
                              observe=lambda s: (s.integrate(s.rho_s) / 300e-9, s.integrate(s.j_s)))
        rho, js = res.values[-1]
        errs.append(np.linalg.norm(rho - uniform_exact(1.5 * T)) / np.linalg.norm(uniform_exact(1.5 * T)))
        assert np.abs(js).max() < 1e-12 * GAS.kappa_eq * GAS.D / 300e-9
    assert rates(errs, [4, 2, 1])[-1] > 1.9, errs
    assert rho[2] == pytest.approx(uniform_exact(1.5 * T)[2], rel=1e-10)   # the secular part is exact


def test_dc_without_relaxation_is_rejected_and_relaxation_gives_the_closed_form():
    dev = layered_box([300e-9], [3], axes="x")
    tex = precessing_texture(cone_angle=TH, Omega=OMEGA)
    with pytest.raises(ValueError, match="no steady state: component 2 of the DC source of avg_M"):
        TexturePumping(dev, GAS, tex).frequency()
    tsf = 1e-12
    fr = TexturePumping(dev, GAS, tex, relaxation_time=tsf).frequency(harmonics=1)
    st = fr.state(0.3 * T)
    rho = st.integrate(st.rho_s) / 300e-9
    # uniform: ⟨A⟩ = A₀τ_sf/τ + Re[Â₁e^{iΩt}/(τ(iΩ + 1/τ_sf))]
    s, c = math.sin(TH), math.cos(TH)
    M0 = OMEGA * s * s * np.array([0, 0, 1.0])
    M1 = -OMEGA * s * c * np.array([1, -1j, 0])
    Sd1 = 1j * OMEGA * s * np.array([1, -1j, 0])
    ph = np.exp(1j * OMEGA * 0.3 * T)
    S = np.array([s * math.cos(OMEGA * 0.3 * T), s * math.sin(OMEGA * 0.3 * T), c])
    k = 1 / (1j * OMEGA + 1 / tsf)
    exact = GAS.kappa_eq * (S - (Sd1 * k * ph).real) + GAS.damping * (M0 * tsf + (M1 * k * ph).real)
    assert np.allclose(rho, exact, rtol=1e-9, atol=1e-9 * np.abs(exact).max())


def test_rashba_uniform_precession_current_is_E_so_cross_S_cross_Sdot():
    """Seed note §4.3: uniform precession + Rashba, ρ_c = 0 and
    j_c = −(4eνJ²τ²/ħ²V) E_so×(S×Ṡ); DC part −(4eνJ²τ²/ħ²V) S²Ω sin²θ (E_so×â).
    1D along z with E_so ∥ ẑ, so j_c is in plane and the walls stay insulating."""
    dev = layered_box([200e-9], [4], axes="z")
    tex = precessing_texture(axis=(1, 0, 0), cone_angle=TH, Omega=OMEGA)
    model = TexturePumping(dev, GAS, tex, relaxation_time=1e-12, E_so=(0, 0, E_SO))
    fr = model.frequency(harmonics=1)
    pref = -4 * units.e * GAS.nu * GAS.J ** 2 * GAS.tau ** 2 / units.hbar ** 2
    jdc = np.zeros(3)
    for t in np.arange(8) * T / 8:
        st = fr.state(t)
        jc = st.integrate(st.j_c("rashba")) / 200e-9
        S = np.array(st.evaluate(st.S, [[0, 0, 50e-9]])[0])
        Sd = np.array(st.evaluate(st.Sdot, [[0, 0, 50e-9]])[0])
        expected = pref * np.cross([0, 0, E_SO], np.cross(S, Sd))
        assert np.allclose(jc, expected, rtol=1e-8, atol=1e-10 * np.abs(expected).max())
        assert abs(st.integrate(abs(st.rho_c("rashba")))) < 1e-20
        jdc += jc / 8
    expected_dc = pref * OMEGA * math.sin(TH) ** 2 * np.cross([0, 0, E_SO], [1, 0, 0])
    assert np.allclose(jdc, expected_dc, rtol=1e-8, atol=1e-9 * abs(expected_dc).max())


def test_static_texture_density_and_supercurrent():
    """Seed note §4.2.8: a static texture has ρ_s = (ħνJ/V)S (here from the direct route,
    Eqs. 12-13, solved in weak form with the null-space choice), and j_s reduces to the spin
    supercurrent −(ħ²νJ²/12mε_FV) S×∇S: for a spiral S = (cos qx, sin qx, 0),
    j_s^z along x = −(ħ²νJ²/12mε_FV) q."""
    q = 2 * math.pi / 400e-9
    tex = AnalyticTexture(lambda t, x: [ufl.cos(q * x[0]), ufl.sin(q * x[0]), 0 * t], period=T)
    errs = []
    for n in (8, 16, 32):
        dev = layered_box([600e-9], [n], axes="x")
        fr = TexturePumping(dev, GAS, tex, degree=2).frequency(harmonics=0, samples=4, direct=True)
        st = fr.state(0.0)
        err = st.rho_direct - GAS.kappa_eq * st.S
        errs.append(math.sqrt(st.integrate(ufl.inner(err, err)) / st.integrate(ufl.inner(st.S, st.S))) / GAS.kappa_eq)
        js = st.j_sc - GAS.D * st.model.grad(st.rho_direct)
    assert rates(errs, [4, 2, 1])[-1] > 2.8, errs
    mean_js = st.integrate(js) / 600e-9
    assert mean_js[2, 0] == pytest.approx(-GAS.kappa_sc * q, rel=1e-5)
    # the ∇S part of j^(sc) (Eq. 17) cancels −D∇ρ_s: check on the scale of either term
    assert np.abs(np.delete(mean_js.ravel(), 6)).max() < 1e-5 * GAS.kappa_eq * GAS.D * q
    assert np.allclose(st.integrate(st.torque), 0.0, atol=1e-12 * GAS.kappa_sc * q ** 2 * 600e-9)


def wave_texture(profile=True):
    """A spin wave along x whose cone angle varies along y (2D: every term of A21 is active)."""
    return precessing_texture(axis=(0, 0, 1), cone_angle=0.4, Omega=OMEGA, wavevector=(2 * math.pi / 500e-9, 0, 0),
                              profile=(lambda x: 0.5 * (1 + ufl.tanh((x[1] - 150e-9) / 80e-9))) if profile else None)


def bubble(st, Lx, Ly):
    x = st.model.device.length_unit * ufl.SpatialCoordinate(st.model.device.mesh)
    return ufl.sin(math.pi * x[0] / Lx) * ufl.sin(math.pi * x[1] / Ly)


def test_continuity_with_the_torque():
    """Seed note §4.2.3: ρ̇_s + ∇·j_s = T_s (A20, A21) with j_s from (16)-(17) and ρ_s from the
    averages.  Weak residual against an interior bubble w, at several times, → 0 with h."""
    L = 300e-9
    residuals = []
    for n in (6, 12):
        dev = layered_box([L, L], [n, n], axes="xy")
        model = TexturePumping(dev, GAS, wave_texture(), degree=2, reservoirs=["xmin"])
        fr = model.frequency(harmonics=1, samples=8)
        worst = 0.0
        for t in (0.0, 0.37 * T):
            st = fr.state(t)
            w = bubble(st, L, L)
            grad_w = st.model.grad(w)
            terms = [st.rho_s_dot * w, -ufl.dot(st.j_s, grad_w), -st.torque * w]
            vals = [st.integrate(e) for e in terms]
            worst = max(worst, np.linalg.norm(sum(vals)) / max(np.linalg.norm(v) for v in vals))
        residuals.append(worst)
    assert residuals[-1] < 2e-3 and residuals[-1] < 0.25 * residuals[0], residuals


def test_direct_route_equals_average_route():
    """Seed note §6.4: ρ_s from ⟨Ṡ⟩, ⟨S×Ṡ⟩ equals ρ_s from Eq. (12) with source (13)."""
    dev = layered_box([300e-9, 300e-9], [8, 8], axes="xy")
    model = TexturePumping(dev, GAS, wave_texture(), degree=2, relaxation_time=5e-12)
    fr = model.frequency(harmonics=1, samples=8, direct=True)
    st = fr.state(0.21 * T)
    d = st.rho_s - st.rho_direct
    rel = math.sqrt(st.integrate(ufl.inner(d, d)) / st.integrate(ufl.inner(st.rho_s, st.rho_s)))
    assert rel < 1e-3


def test_time_domain_converges_to_frequency_domain():
    dev = layered_box([500e-9], [16], axes="x")
    model = TexturePumping(dev, GAS, wave_texture(profile=False), degree=2, relaxation_time=2e-11)
    ref = model.frequency(harmonics=1, samples=8).state(6 * T)
    target = ref.integrate(ufl.inner(ref.mu_s, ref.mu_s))
    from dolfinx import fem
    keep = {}
    for name in ("avg_Sdot", "avg_M"):
        keep[name] = fem.Function(ref.fields[name].function_space)
        keep[name].x.array[:] = ref.fields[name].x.array
    errs = []
    for N in (16, 32):
        res = model.integrate(6 * T, T / N)
        st = res.state
        mu_ref = GAS.D * (GAS.damping * GAS.tau * keep["avg_M"] - GAS.kappa_eq * GAS.tau * keep["avg_Sdot"])
        d = st.mu_s - mu_ref
        errs.append(math.sqrt(st.integrate(ufl.inner(d, d)) / target))
    assert rates(errs, [2, 1])[-1] > 1.8, errs
    assert errs[-1] < 2e-2


def test_impurity_soc_local_conversion_and_charge_conservation():
    """Impurity SOC (Eqs. 30-31).  (a) A texture varying along x only gives a transverse,
    divergence-free local current: ρ_c = 0 and j_c = a^imp ε:j^local.  (b) In 2D, charge is
    conserved (B6): ∫ρ_c = 0 and the weak residual of ρ̇_c + ∇·j_c vanishes."""
    lam_so = 1e-21
    dev = layered_box([500e-9], [12], axes="x")
    model = TexturePumping(dev, GAS, wave_texture(profile=False), degree=2, relaxation_time=1e-11,
                           lambda_so=lam_so)
    st = model.frequency(harmonics=1, samples=8).state(0.1 * T)
    local = st.integrate(abs(model.a_imp) * ufl.sqrt(ufl.inner(st.j_local, st.j_local)))
    diff = st.integrate(ufl.sqrt(ufl.inner(st.model.grad(st.rho_c("impurity")), st.model.grad(st.rho_c("impurity")))))
    assert GAS.D * diff < 1e-10 * local
    jc = st.integrate(st.j_c("impurity")) / 500e-9
    assert abs(jc[0]) < 1e-10 * np.abs(jc).max() and np.abs(jc).max() > 0
    # (b) 2D
    L = 300e-9
    dev2 = layered_box([L, L], [8, 8], axes="xy")
    model2 = TexturePumping(dev2, GAS, wave_texture(), degree=2, relaxation_time=1e-11, lambda_so=lam_so,
                            E_so=(0, 0, E_SO))
    fr = model2.frequency(harmonics=1, samples=8)
    for kind in ("impurity", "rashba"):
        st = fr.state(0.4 * T)
        rho, rate = st.rho_c(kind), st.rates[f"rho_c_{kind}"]
        w = bubble(st, L, L) + 0.3
        gw = st.model.grad(w)
        residual = st.integrate(rate * w) - st.integrate(ufl.dot(st.j_c(kind), gw))
        local = st.j_c(kind) + GAS.D * st.model.grad(rho)           # the local current alone
        scale = st.integrate(abs(ufl.dot(local, gw)))
        assert abs(residual) < 1e-4 * scale, (kind, residual, scale)
        assert abs(st.integrate(rho)) < 1e-9 * st.integrate(abs(rho))


def sampled_wave(nt, nx, Lx):
    """The uniform-cone spin wave of wave_texture(profile=False), sampled on a regular grid."""
    k = 2 * math.pi / 500e-9
    t = np.arange(nt) * T / nt
    x = np.linspace(0, Lx, nx)
    psi = OMEGA * t[:, None] - k * x[None, :]
    vals = np.stack([math.sin(0.4) * np.cos(psi), math.sin(0.4) * np.sin(psi),
                     np.full_like(psi, math.cos(0.4))], axis=-1)
    return t, x, vals


def test_sampled_texture_matches_analytic():
    Lx = 500e-9
    dev = layered_box([Lx], [16], axes="x")
    ana = TexturePumping(dev, GAS, wave_texture(profile=False), degree=2, relaxation_time=1e-11)
    a = ana.frequency(harmonics=1, samples=8).state(0.2 * T)
    errs = []
    for nx in (101, 201):
        t, x, vals = sampled_wave(8, nx, Lx)
        tex = SampledTexture(t, vals, grid=[x], periodic=True)
        s = TexturePumping(dev, GAS, tex, degree=2, relaxation_time=1e-11).frequency(harmonics=1).state(0.2 * T)
        d = s.rho_s - a.rho_s
        errs.append(math.sqrt(s.integrate(ufl.inner(d, d)) / a.integrate(ufl.inner(a.rho_s, a.rho_s))))
    # the grid interpolation error falls below the P2 interpolation of S on the mesh (~1e-4)
    assert errs[-1] < 3e-4 and errs[-1] < errs[0], errs
    # a uniform, non-periodic series (cubic spline in time) in the time domain
    tt = np.linspace(0, 1.5 * T, 61)
    S = np.stack([math.sin(TH) * np.cos(OMEGA * tt), math.sin(TH) * np.sin(OMEGA * tt),
                  np.full_like(tt, math.cos(TH))], axis=-1)
    dev1 = layered_box([300e-9], [3], axes="x")
    m = TexturePumping(dev1, GAS, SampledTexture(tt, S))
    rho = m.integrate(1.5 * T, T / 64, every=10 ** 6, observe=lambda s: s.integrate(s.rho_s) / 300e-9).values[-1]
    assert np.allclose(rho, uniform_exact(1.5 * T), rtol=2e-3)


def test_bad_input_is_rejected():
    with pytest.raises(ValueError, match="tau must be positive"):
        ElectronGas(nu=1e47, J=1e-21, tau=-1.0, D=1e-3)
    dev = layered_box([300e-9], [3], axes="x")
    with pytest.raises(ValueError, match="no period"):
        TexturePumping(dev, GAS, AnalyticTexture(lambda t, x: [0, 0, 1 + 0 * t])).frequency()
    with pytest.raises(TypeError, match="ElectronGas"):
        TexturePumping(dev, {"nu": 1}, wave_texture())
    with pytest.raises(ValueError, match="E_so must be a finite 3-vector"):
        TexturePumping(dev, GAS, wave_texture(), E_so=(1e-30, 0))
    with pytest.raises(ValueError, match="values must have shape"):
        SampledTexture(np.arange(5.0), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="uniform time steps"):
        SampledTexture([0, 1, 2, 4.0], np.zeros((4, 3)), periodic=True)
    t, x, vals = sampled_wave(8, 11, 100e-9)
    with pytest.raises(ValueError, match="grid along x spans"):
        TexturePumping(dev, GAS, SampledTexture(t, vals, grid=[x], periodic=True))
    m = TexturePumping(dev, GAS, SampledTexture(np.linspace(0, 1e-10, 5), np.zeros((5, 3))))
    with pytest.raises(ValueError, match="outside the sampled interval"):
        m.integrate(2e-10, 1e-11)
    with pytest.raises(ValueError, match="positive integer"):
        m.integrate(1e-10, 3e-11)
    with pytest.raises(ValueError, match="not available with reservoirs"):
        TexturePumping(dev, GAS, wave_texture(profile=False), reservoirs=["xmin"]).frequency(direct=True)
    with pytest.raises(ValueError, match="harmonics"):
        TexturePumping(dev, GAS, wave_texture(profile=False), relaxation_time=1e-12).frequency(harmonics=-1)


def _mpi_numbers(comm):
    L = 300e-9
    dev = layered_box([L, L], [6, 6], axes="xy", comm=comm)
    model = TexturePumping(dev, GAS, wave_texture(), degree=1, reservoirs=["ymin"], E_so=(0, 0, E_SO))
    st = model.frequency(harmonics=1, samples=8).state(0.3 * T)
    return {"rho": st.integrate(st.rho_s), "js": st.integrate(st.j_s), "jc": st.integrate(st.j_c("rashba")),
            "pt": st.evaluate(st.mu_s, [[100e-9, 200e-9, 0], [250e-9, 40e-9, 0]])}


@pytest.mark.mpi
def test_texture_model_equal_on_distributed_and_serial_mesh():
    par, ser = _mpi_numbers(MPI.COMM_WORLD), _mpi_numbers(MPI.COMM_SELF)
    for key in par:
        assert np.allclose(par[key], ser[key], rtol=1e-8, atol=1e-9 * np.abs(ser[key]).max()), key
