"""The adaptive energy grid (kinetics.usadel.energy_grid.adaptive_sweep) on a uniform BCS
superconductor, whose DOS is the exact Dynes-broadened BCS DOS (kinetics.usadel.bulk): the
grid clusters at the coherence peak ε = Δ, its piecewise-linear interpolant matches the exact
DOS within a small multiple of tol where the coarse start does not, and the grid is the same
on 1, 2 and 3 ranks."""

import warnings

import numpy as np
import pytest
from mpi4py import MPI

from kinetics.geometry import layered_box
from kinetics.usadel import bulk
from kinetics.usadel.energy_grid import adaptive_sweep, interpolation_deviation
from kinetics.usadel.problem import COMPILE_FAST, UsadelProblem, UsadelRegion

ETA, TOL = 2e-2, 0.05
COARSE = np.linspace(0.0, 3.0, 7)                # Δ = 1: spacing 0.5, peak at ε = 1
POINTS = np.array([[0.3, 0.0, 0.0], [0.9, 0.0, 0.0]])


def bcs(comm, cells=4):
    dev = layered_box([1.0], [cells], length_unit=1.0, comm=comm)
    return UsadelProblem(dev, {"film": UsadelRegion(1.0)}, eta=ETA, jit_options=COMPILE_FAST)


@pytest.fixture(scope="module")
def serial():
    p = bcs(MPI.COMM_SELF)
    res = adaptive_sweep(p, COARSE, points=POINTS, tol=TOL, max_points=300)
    p.destroy()
    return res


def spacing_near(e, x):
    """Width of the grid interval holding x."""
    i = int(np.searchsorted(e, x))
    return e[i] - e[i - 1]


def test_grid_clusters_at_the_gap_edge_and_resolves_the_dos(serial):
    """Measured: 56 energies after 8 rounds; spacing 0.00195 at Δ, 0.5 at 3Δ; largest error
    of the interpolant on the check grid 0.009 (0.18 tol), 2.7 for the coarse grid."""
    e, y = serial.energies, serial.values
    assert serial.converged and serial.reason == "converged"
    assert y.shape == (e.size, 2) and serial.solves == e.size == serial.iterations.size
    assert np.all(np.diff(e) > 0) and set(COARSE) <= set(e)
    assert np.all(serial.iterations[1:] > 0) and serial.newton_iterations == serial.iterations.sum()
    # every probe of the uniform state carries the exact BCS DOS
    exact = bulk.bcs_dos(e, 1.0, ETA)
    assert np.max(np.abs(y - exact[:, None])) < 1e-8
    assert np.max(interpolation_deviation(e, y)) <= TOL
    assert spacing_near(e, 1.0 + 1e-9) * 10 <= spacing_near(e, 2.9)
    assert spacing_near(e, 2.9) == pytest.approx(0.5)
    fine = np.linspace(0.0, 3.0, 3001)
    err = np.max(np.abs(np.interp(fine, e, y[:, 0]) - bulk.bcs_dos(fine, 1.0, ETA)))
    coarse_err = np.max(np.abs(np.interp(fine, COARSE, bulk.bcs_dos(COARSE, 1.0, ETA))
                               - bulk.bcs_dos(fine, 1.0, ETA)))
    assert err <= TOL < coarse_err


def test_limits_stop_the_refinement_and_say_so():
    p = bcs(MPI.COMM_SELF, cells=2)
    with pytest.warns(RuntimeWarning, match="max_points = 9 reached"):
        res = adaptive_sweep(p, COARSE, points=POINTS, tol=TOL, max_points=9)
    assert res.energies.size == 9 and not res.converged and res.reason == "max_points"
    # the two intervals next to the largest deviation (the peak at ε = 1) were refined
    assert set(res.energies) - set(COARSE) == {0.75, 1.25}
    with pytest.raises(RuntimeError, match="min_spacing"):
        adaptive_sweep(p, COARSE, lambda q: np.array([q.energy > 1.1]), tol=0.3,
                       min_spacing=0.05, on_limit="raise")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = adaptive_sweep(p, COARSE, lambda q: np.array([q.energy > 1.1]), tol=0.3,
                             min_spacing=0.05, on_limit="ignore")
    # a step: refined down to the spacing limit around ε = 1.1 only
    assert res.reason == "min_spacing" and not res.converged
    assert spacing_near(res.energies, 1.1) == pytest.approx(0.5 / 8)
    p.destroy()


def test_bad_input():
    p = bcs(MPI.COMM_SELF, cells=2)
    cases = [((COARSE[:1],), {"tol": TOL}, "at least 2"),
             ((COARSE[::-1],), {"tol": TOL}, "strictly increasing"),
             (([0.0, 1.0, 1.0],), {"tol": TOL}, "strictly increasing"),
             (([0.0, np.nan],), {"tol": TOL}, "finite"),
             ((COARSE,), {"tol": 0.0}, "tol"),
             ((COARSE,), {"tol": np.inf}, "tol"),
             ((COARSE,), {"tol": TOL, "max_points": 3}, "max_points"),
             ((COARSE,), {"tol": TOL, "min_spacing": -1.0}, "min_spacing"),
             ((COARSE,), {"tol": TOL, "on_limit": "stop"}, "on_limit")]
    for args, kw, match in cases:
        with pytest.raises(ValueError, match=match):
            adaptive_sweep(p, *args, points=POINTS, **kw)
    with pytest.raises(ValueError, match="measure"):
        adaptive_sweep(p, COARSE, tol=TOL)
    with pytest.raises(ValueError, match="outside"):
        adaptive_sweep(p, COARSE, points=[[2.0, 0.0, 0.0]], tol=TOL)
    with pytest.raises(ValueError, match="shape"):
        adaptive_sweep(p, COARSE, lambda q: np.zeros(1 + int(q.energy > 1)), tol=TOL)
    p.destroy()


@pytest.mark.mpi
def test_same_grid_on_every_rank_count(serial):
    """The distributed problem (2 or 3 ranks) builds the serial grid exactly."""
    comm = MPI.COMM_WORLD
    p = bcs(comm, cells=6)
    res = adaptive_sweep(p, COARSE, points=POINTS, tol=TOL, max_points=300)
    p.destroy()
    assert np.array_equal(res.energies, serial.energies)
    assert np.max(np.abs(res.values - serial.values)) < 1e-8
    grids = comm.allgather(res.energies)
    assert all(np.array_equal(g, grids[0]) for g in grids)


def test_restored_solutions_of_a_tunnel_bilayer_match_a_plain_sweep():
    """S |tunnel| N (two domains, the unknown mirrored from per-domain spaces): every
    midpoint, solved from its stored lower neighbour, equals the plain sweep over the final
    grid to the Newton tolerance (measured 2e-11; 59 energies after 7 rounds from 5)."""
    from kinetics.usadel import observables as obs
    from kinetics.usadel.domains import TunnelInterface
    from kinetics.usadel.problem import Reservoir
    dev = layered_box([2.0], [16], layers=[("S", 1.0, 8), ("N", 1.0, 8)], length_unit=1.0,
                      comm=MPI.COMM_SELF)
    p = UsadelProblem(dev, {"S": UsadelRegion(1.0), "N": UsadelRegion(0.0)},
                      {"xmin": Reservoir(1.0)}, {"S|N": TunnelInterface(1.0)}, eta=ETA,
                      jit_options=COMPILE_FAST)
    assert len(p.domains) == 2
    pts = np.array([[1.5, 0.0, 0.0], [0.5, 0.0, 0.0]])
    res = adaptive_sweep(p, np.linspace(0.0, 2.0, 5), points=pts, tol=TOL)
    assert res.converged and res.energies.size > 12
    direct = []
    p.sweep(res.energies, callback=lambda q, e: direct.append(obs.dos_at(q, pts)))
    assert np.max(np.abs(res.values - np.array(direct))) < 1e-8
    p.destroy()
