"""The FEM Usadel solver on a uniform superconductor reproduces the bulk closed forms (BCS,
Zeeman-split BCS, Abrikosov–Gor'kov) at every node, in 1D (P2) and 2D (P1 triangles), with
vacuum (natural) boundaries alone or with a bulk reservoir; and bad inputs raise."""

import numpy as np
import pytest

from kinetics.geometry import layered_box
from kinetics.solvers.linear import SolverError
from kinetics.usadel import bulk, riccati
from kinetics.usadel import observables as obs
from kinetics.usadel.problem import COMPILE_FAST, Reservoir, UsadelProblem, UsadelRegion

ETA = 1e-3
ENERGIES = np.array([-1.5, -0.4, 0.0, 0.5, 0.98, 1.02, 2.0])
TOL = 1e-8


def interval(n=8):
    return layered_box([1.0], [n], length_unit=1.0)


def run(problem, energies, what):
    out = []

    def record(p, eps):
        x, g, gt = p.nodal_riccati()
        out.append(what(g, gt))
    problem.sweep(energies, callback=record)
    return np.array(out)


@pytest.mark.parametrize("reservoir", [False, True])
def test_bcs_1d(reservoir):
    phase = 0.8
    res = {"xmin": Reservoir(1.0, phase)} if reservoir else {}
    p = UsadelProblem(interval(), {"film": UsadelRegion(delta=1.0, phase=phase)}, res, eta=ETA,
                      degree=2, jit_options=COMPILE_FAST)
    dos = run(p, ENERGIES, riccati.dos)
    err = np.abs(dos - bulk.bcs_dos(ENERGIES, 1.0, ETA)[:, None]).max()
    assert err < TOL
    # the Riccati amplitudes themselves, phase included
    gam, gam_t = bulk.bcs_riccati(ENERGIES[-1], 1.0, ETA, phase)
    _, g, gt = p.nodal_riccati()
    assert np.abs(g - gam).max() < TOL and np.abs(gt - gam_t).max() < TOL


def test_zeeman_split_1d():
    """Spin-resolved DOS along h: N_± = N_BCS(ε ± |h|) (JOL sign), h oblique."""
    h = np.array([0.1, -0.15, 0.2])
    hn = np.linalg.norm(h)
    p = UsadelProblem(interval(), {"film": UsadelRegion(delta=1.0, h=h)}, {}, eta=ETA, degree=2,
                      jit_options=COMPILE_FAST)
    spin = run(p, ENERGIES, lambda g, gt: np.array(riccati.spin_dos(g, gt, h)))
    up, down = bulk.zeeman_spin_dos(ENERGIES, 1.0, hn, ETA)
    assert np.abs(spin[:, 0] - up[:, None]).max() < TOL
    assert np.abs(spin[:, 1] - down[:, None]).max() < TOL
    assert np.abs(up - down).max() > 0.5


def test_callable_pair_potential():
    """Δ(x) given as a callable (interpolated in DG2) with a constant modulus and phase is the
    BCS state with that phase."""
    phase = -1.2
    p = UsadelProblem(interval(), {"film": UsadelRegion(delta=lambda x: np.full(
        x.shape[1], 1.3 * np.exp(1j * phase)))}, {}, eta=ETA, degree=2, jit_options=COMPILE_FAST)
    dos = run(p, ENERGIES, riccati.dos)
    assert np.abs(dos - bulk.bcs_dos(ENERGIES, 1.3, ETA)[:, None]).max() < TOL
    gam, _ = bulk.bcs_riccati(ENERGIES[-1], 1.3, ETA, phase)
    assert np.abs(p.nodal_riccati()[1] - gam).max() < TOL
    with pytest.raises(ValueError, match="delta"):
        UsadelProblem(interval(), {"film": UsadelRegion(delta=lambda x: np.zeros(3))}, {},
                      eta=ETA, degree=2, jit_options=COMPILE_FAST)


@pytest.mark.parametrize("tau_so", [np.inf, 0.5])
def test_abrikosov_gorkov_1d(tau_so):
    zeta = 0.3
    tau_sf = 3 / (4 * zeta)
    p = UsadelProblem(interval(), {"film": UsadelRegion(delta=1.0, tau_sf=tau_sf, tau_so=tau_so)},
                      {}, eta=ETA, degree=2,
                      jit_options=COMPILE_FAST)
    energies = np.array([0.0, 0.3, 0.45, 0.8, 1.0, 1.6])
    dos = run(p, energies, riccati.dos)
    assert np.abs(dos - bulk.ag_dos(energies, zeta, 1.0, ETA)[:, None]).max() < TOL
    # the gap is the AG gap, not Δ
    assert dos[1].max() < 0.01 and dos[2].min() > 0.1 and bulk.ag_gap(zeta) < 0.45


@pytest.mark.parametrize("h", [(0.0, 0.0, 0.0), (0.0, 0.0, 0.25)])
def test_uniform_2d_with_reservoir(h):
    dev = layered_box([1.0, 1.0], [5, 5], length_unit=1.0, cell_type="triangle")
    p = UsadelProblem(dev, {"film": UsadelRegion(delta=1.0, phase=-0.5, h=h)},
                      {"xmin": Reservoir(1.0, -0.5, h)}, eta=ETA, degree=1,
                      jit_options=COMPILE_FAST)
    spin = run(p, ENERGIES, lambda g, gt: np.array(riccati.spin_dos(g, gt, (0, 0, 1))))
    up, down = bulk.zeeman_spin_dos(ENERGIES, 1.0, h[2], ETA)
    assert np.abs(spin[:, 0] - up[:, None]).max() < TOL
    assert np.abs(spin[:, 1] - down[:, None]).max() < TOL
    pts = np.array([[0.3, 0.7, 0.0], [0.91, 0.05, 0.0]])
    assert np.abs(obs.dos_at(p, pts) - bulk.zeeman_dos(2.0, 1.0, h[2], ETA)).max() < TOL


@pytest.mark.parametrize("make", [
    lambda d: UsadelProblem(d, {"film": UsadelRegion(delta=1.0)}, eta=0.0),
    lambda d: UsadelProblem(d, {"film": UsadelRegion(delta=1.0)}, eta=-1e-3),
    lambda d: UsadelProblem(d, {"film": UsadelRegion(delta=1.0)}, eta=np.nan),
    lambda d: UsadelProblem(d, {}, eta=1e-3),
    lambda d: UsadelProblem(d, {"film": "S"}, eta=1e-3),
    lambda d: UsadelRegion(delta=-1.0),
    lambda d: UsadelRegion(delta=np.inf),
    lambda d: UsadelRegion(D=0.0),
    lambda d: UsadelRegion(tau_sf=0.0),
    lambda d: UsadelRegion(tau_so=-1.0),
    lambda d: UsadelRegion(h=(0, np.nan, 0)),
    lambda d: Reservoir(delta=-0.1),
])
def test_bad_inputs(make):
    with pytest.raises(ValueError):
        make(interval(2))


def test_unknown_names_and_bad_grids():
    dev = interval(4)
    with pytest.raises(KeyError, match="xmin"):
        UsadelProblem(dev, {"film": UsadelRegion()}, {"top": Reservoir()}, eta=1e-3, degree=2)
    p = UsadelProblem(dev, {"film": UsadelRegion(delta=1.0)}, eta=1e-3, degree=2,
                      options={"snes_max_it": 1}, jit_options=COMPILE_FAST)
    for grid in ([], [0.1, 0.3, 0.2], [0.1, np.nan]):
        with pytest.raises(ValueError, match="energies"):
            p.sweep(grid)
    p.initial_guess(3.0, "bulk")
    with pytest.raises(SolverError, match="eps = 0.5"):    # one Newton step is not enough
        p.solve(0.5)


def test_uniform_3d_zeeman():
    """3D hexahedra, oblique h, reservoir on one face: N_± = N_BCS(ε ± |h|) at every node."""
    h = np.array([0.05, 0.1, -0.2])
    dev = layered_box([1.0, 1.0, 1.0], [2, 2, 2], length_unit=1.0)
    p = UsadelProblem(dev, {"film": UsadelRegion(delta=1.0, phase=0.3, h=h)},
                      {"zmax": Reservoir(1.0, 0.3, h)}, eta=ETA, degree=1,
                      jit_options=COMPILE_FAST)
    energies = np.array([0.2, 0.9, 1.5])
    spin = run(p, energies, lambda g, gt: np.array(riccati.spin_dos(g, gt, h)))
    up, down = bulk.zeeman_spin_dos(energies, 1.0, np.linalg.norm(h), ETA)
    assert np.abs(spin[:, 0] - up[:, None]).max() < TOL
    assert np.abs(spin[:, 1] - down[:, None]).max() < TOL
