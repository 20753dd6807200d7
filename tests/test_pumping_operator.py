"""The diffusion average ⟨·⟩ of seed 002 (kinetics.models.diffusion_average): the plane-wave
kernel (the definition, seed 002 Eq. 6), the 1D step (seed note §4.3), manufactured solutions
for the time-dependent operator with observed rates in space and time, time domain converging
to frequency domain, and the singular DC problem (seed note §6.3)."""

import math

import numpy as np
import pytest
import ufl
from dolfinx import fem
from mpi4py import MPI

from kinetics.geometry import layered_box
from kinetics.models.diffusion_average import DiffusionAverage

from _helpers import l2_norm, rates

TAU, D = 1e-14, 1e-3                   # s, m²/s: ℓ = √(3Dτ) ≈ 5.5 nm
OMEGA = 2 * math.pi * 10e9             # Ωτ = 6e-4
LX = 1e-6
Q = 2 * math.pi / LX                   # Dq² ≈ 0.6 Ω


def x_si(dev):
    return dev.length_unit * ufl.SpatialCoordinate(dev.mesh)[0]


def plane_wave_exact(A_hat):
    return A_hat / (TAU * (D * Q ** 2 + 1j * OMEGA))


def test_plane_wave_kernel_is_the_diffuson_propagator():
    """⟨Re[Â cos(qx) e^{iΩt}]⟩ = Re[Â cos(qx) e^{iΩt} / (τ(Dq² + iΩ))] (cos satisfies the wall
    condition), with rate 3 for P2."""
    A_hat = 0.7 - 0.4j
    errs, hs = [], []
    for n in (8, 16, 32):
        dev = layered_box([LX], [n], axes="x")
        op = DiffusionAverage(dev, D, TAU, degree=2)
        c = ufl.cos(Q * x_si(dev))
        re, im = op.harmonic(OMEGA, f_re=A_hat.real * c, f_im=A_hat.imag * c)
        ex = plane_wave_exact(A_hat)
        e = l2_norm(ufl.as_vector([re - ex.real * c, im - ex.imag * c]), op.dx)
        errs.append(e / l2_norm(ufl.as_vector([ex.real * c, ex.imag * c]), op.dx))
        hs.append(1 / n)
    assert rates(errs, hs)[-1] > 2.85, errs
    assert errs[-1] < 1e-4
    # the static kernel 1/(τDq²) and the relaxation 1/(τ(Dq² + 1/τ_sf))
    op = DiffusionAverage(dev, D, TAU, tau_sf=1e-11, degree=2)
    s = op.steady(f=c)
    ex = 1 / (TAU * (D * Q ** 2 + 1e-11 ** -1))
    assert l2_norm(s - ex * c, op.dx) / l2_norm(ex * c, op.dx) < 1e-4


def test_one_dimensional_step():
    """A = Â θ(−x): ⟨A⟩ = (Â/iΩτ)[1 − ½e^{κx}] (x < 0), (Â/2iΩτ)e^{−κx} (x > 0), κ = √(iΩ/D)."""
    half = 3e-6
    kappa = np.sqrt(1j * OMEGA / D)
    A_hat = 1.0 + 0.5j
    errs = []
    for n in (60, 120, 240):
        dev = layered_box([2 * half], [n], axes="x")
        op = DiffusionAverage(dev, D, TAU, degree=2)
        xs = x_si(dev) - half
        step = ufl.conditional(ufl.lt(xs, 0.0), 1.0, 0.0)
        re, im = op.harmonic(OMEGA, f_re=A_hat.real * step, f_im=A_hat.imag * step)
        pts = np.linspace(-half / 3, half / 3, 13)
        vals = np.array([_eval(dev, f, p + half) for p in pts for f in (re, im)]).reshape(-1, 2)
        got = vals[:, 0] + 1j * vals[:, 1]
        ex = np.where(pts < 0, A_hat / (1j * OMEGA * TAU) * (1 - 0.5 * np.exp(kappa * pts)),
                      A_hat / (2j * OMEGA * TAU) * np.exp(-kappa * pts))
        errs.append(np.max(np.abs(got - ex)) / np.max(np.abs(ex)))
    assert rates(errs, [1, 0.5, 0.25])[-1] > 2.7, errs
    assert errs[-1] < 2e-5


def _eval(dev, f, x):
    from dolfinx import geometry
    p = np.array([[x / dev.length_unit, 0, 0]])
    tree = geometry.bb_tree(dev.mesh, dev.dim)
    cells = geometry.compute_colliding_cells(dev.mesh, geometry.compute_collisions_points(tree, p), p)
    val = f.eval(p, cells.links(0)[:1]) if len(cells.links(0)) else np.array([np.nan])
    out = dev.comm.allgather(val[0])
    return next(v for v in out if not np.isnan(v))


# ----------------------------------------------------------------------------- manufactured
LM = 100e-9                      # square side
TSF = 2e-12


def mms_setup(dev, t, mode):
    """Exact a (reservoir at xmin, walls elsewhere), a flux g with n·g = 0 on the walls, and
    f = τ(∂_t a − D∇²a + a/τ_sf) + ∇·g so that (1) holds."""
    x = dev.length_unit * ufl.SpatialCoordinate(dev.mesh)
    phi = ufl.sin(math.pi * x[0] / (2 * LM)) * ufl.cos(math.pi * x[1] / LM)
    w = 2 * math.pi / 4e-11
    if mode == "space":
        g_t, dg_t = 1 + t / 1e-11, 1 / 1e-11
    else:
        g_t, dg_t = ufl.sin(w * t), w * ufl.cos(w * t)
    a = phi * g_t
    lap = -((math.pi / (2 * LM)) ** 2 + (math.pi / LM) ** 2) * a
    G0 = 1e-3
    g = ufl.as_vector([G0 * ufl.sin(math.pi * x[0] / LM) * ufl.cos(math.pi * x[1] / LM) * g_t, 0.0, 0.0])
    div_g = G0 * math.pi / LM * ufl.cos(math.pi * x[0] / LM) * ufl.cos(math.pi * x[1] / LM) * g_t
    f = TAU * (phi * dg_t - D * lap + a / TSF) + div_g
    return a, f, g


def run_mms(n, degree, dt, t_end, mode, comm=MPI.COMM_WORLD):
    dev = layered_box([LM, LM], [n, n], axes="xy", cell_type="triangle", comm=comm)
    op = DiffusionAverage(dev, D, TAU, tau_sf=TSF, degree=degree, reservoirs=["xmin"])
    t = fem.Constant(dev.mesh, np.float64(0.0))
    a, f, g = mms_setup(dev, t, mode)
    init = fem.Function(op.space(1))
    init.interpolate(fem.Expression(a, op.space(1).element.interpolation_points()))
    st = op.stepper(dt, f=f, g=g, initial=init)
    for k in range(round(t_end / dt)):
        t.value = (k + 1) * dt
        st.step()
    return l2_norm(st.u - a, op.dx) / l2_norm(a, op.dx)


@pytest.mark.parametrize("degree", [1, 2])
def test_time_dependent_operator_manufactured_solution_space_rate(degree):
    errs = [run_mms(n, degree, 2.5e-12, 1e-11, "space") for n in (4, 8, 16)]
    assert rates(errs, [4, 2, 1])[-1] > degree + 1 - 0.15, errs


def test_time_dependent_operator_manufactured_solution_time_rate():
    dts = [4e-11 / 8, 4e-11 / 16, 4e-11 / 32]
    errs = [run_mms(8, 3, dt, 3e-11, "time") for dt in dts]
    assert rates(errs, dts)[-1] > 1.85, errs


def test_time_domain_converges_to_frequency_domain():
    """From rest, f = cos(qx) cos(Ωt): after the transient (rate Dq²) the BDF2 solution is
    Re[â e^{iΩt}] of the harmonic solve; the difference falls at rate 2 in Δt."""
    dev = layered_box([LX], [16], axes="x")
    op = DiffusionAverage(dev, D, TAU, degree=2)
    c = ufl.cos(Q * x_si(dev))
    re, _ = op.harmonic(OMEGA, f_re=c)
    T = 2 * math.pi / OMEGA
    t = fem.Constant(dev.mesh, np.float64(0.0))
    errs = []
    for N in (16, 32, 64):
        st = op.stepper(T / N, f=c * ufl.cos(OMEGA * t))
        for k in range(5 * N):
            t.value = (k + 1) * T / N
            st.step()
        errs.append(l2_norm(st.u - re, op.dx) / l2_norm(re, op.dx))
    assert rates(errs, [4, 2, 1])[-1] > 1.8, errs
    assert errs[-1] < 1e-2


def test_singular_dc_problem_is_a_clear_choice():
    dev = layered_box([LX], [32], axes="x")
    op = DiffusionAverage(dev, D, TAU)
    with pytest.raises(ValueError, match="no steady state.*relaxation time.*reservoir"):
        op.steady(f=ufl.as_vector([1.0 + 0 * x_si(dev), 0.0, 0.0]))
    # a mean-free source is solved in the complement of the constants, with the given mean
    c = ufl.cos(Q * x_si(dev))
    s = op.steady(f=c + 0 * c, mean=2.5)
    assert op.average(s, 1)[0] == pytest.approx(2.5)
    ex = 2.5 + c / (TAU * D * Q ** 2)
    assert l2_norm(s - ex, op.dx) / l2_norm(ex, op.dx) < 5e-3
    # a reservoir or a relaxation time removes the singularity
    assert DiffusionAverage(dev, D, TAU, reservoirs=["xmin"]).singular_dc is False
    assert DiffusionAverage(dev, D, TAU, tau_sf=1e-12).singular_dc is False
    with pytest.raises(ValueError, match="D must be positive"):
        DiffusionAverage(dev, -1.0, TAU)
    with pytest.raises(KeyError, match="unknown boundary"):
        DiffusionAverage(dev, D, TAU, reservoirs=["top"])
    with pytest.raises(ValueError, match="non-zero"):
        op.harmonic(0.0, f_re=c)


def _operator_numbers(comm):
    dev = layered_box([LM, LM], [6, 6], axes="xy", comm=comm)
    op = DiffusionAverage(dev, D, TAU, degree=2)                    # singular DC: pinned + projected
    x = dev.length_unit * ufl.SpatialCoordinate(dev.mesh)
    src = ufl.as_vector([ufl.cos(math.pi * x[0] / LM) * ufl.cos(math.pi * x[1] / LM),
                         ufl.cos(2 * math.pi * x[1] / LM), ufl.sin(math.pi * x[0] / LM) - 2 / math.pi])
    s = op.steady(f=src, mean=[1.0, -2.0, 0.5])
    re, im = op.harmonic(OMEGA, f_re=src)
    t = fem.Constant(dev.mesh, np.float64(0.0))
    st = op.stepper(1e-12, f=src * ufl.cos(OMEGA * t))
    for k in range(3):
        t.value = (k + 1) * 1e-12
        st.step()
    pts = [(0.3 * LM, 0.6 * LM), (0.9 * LM, 0.1 * LM)]
    return {"mean": op.average(s, 3), "steady": [_eval2(dev, s, p) for p in pts],
            "harmonic": [_eval2(dev, im, p) for p in pts], "step": [_eval2(dev, st.u, p) for p in pts]}


def _eval2(dev, f, p):
    from dolfinx import geometry
    pt = np.array([[p[0] / dev.length_unit, p[1] / dev.length_unit, 0.0]])
    tree = geometry.bb_tree(dev.mesh, dev.dim)
    cells = geometry.compute_colliding_cells(dev.mesh, geometry.compute_collisions_points(tree, pt), pt)
    val = f.eval(pt, cells.links(0)[:1]) if len(cells.links(0)) else None
    return next(v for v in dev.comm.allgather(val) if v is not None)


@pytest.mark.mpi
def test_operator_equal_on_distributed_and_serial_mesh():
    par, ser = _operator_numbers(MPI.COMM_WORLD), _operator_numbers(MPI.COMM_SELF)
    assert np.allclose(par["mean"], [1.0, -2.0, 0.5])
    for key in par:
        assert np.allclose(par[key], ser[key], rtol=1e-8, atol=1e-10 * np.abs(ser[key]).max()), key
