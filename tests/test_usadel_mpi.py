"""The Usadel DOS on a distributed mesh (COMM_WORLD: 2 ranks under mpirun -n 2) equals the
DOS of the same problem on a serial copy (COMM_SELF) on each rank."""

import numpy as np
import pytest
from mpi4py import MPI

from kinetics.geometry import layered_box
from kinetics.usadel import observables as obs
from kinetics.usadel.domains import TunnelInterface
from kinetics.usadel.problem import COMPILE_FAST, Reservoir, UsadelProblem, UsadelRegion

POINTS_1D = np.array([[x, 0.0, 0.0] for x in (0.0, 0.13, 0.37, 0.5, 0.71, 0.94, 1.0)])
POINTS_2D = np.array([[0.2, 0.1, 0.0], [0.5, 0.45, 0.0], [0.8, 0.9, 0.0], [0.33, 1.4, 0.0]])


def ferromagnetic_sns(comm):
    """S–F–S wire: exchange field and spin-flip scattering in the wire, phase π/3."""
    dev = layered_box([1.0], [24], length_unit=1.0, comm=comm)
    p = UsadelProblem(dev, {"film": UsadelRegion(h=(0.0, 0.0, 2.0), tau_sf=5.0)},
                      {"xmin": Reservoir(30.0, -np.pi / 6), "xmax": Reservoir(30.0, np.pi / 6)},
                      eta=1e-2, degree=2, jit_options=COMPILE_FAST)
    out = []

    def record(prob, eps):
        up, down = obs.spin_dos_at(prob, POINTS_1D, (0, 0, 1))
        out.append(np.concatenate([obs.dos_at(prob, POINTS_1D), up, down]))
    p.sweep(np.linspace(0.0, 6.0, 4), callback=record)
    return np.array(out)


def sn_bilayer_2d(comm):
    """2D S/N bilayer (transparent interface, different D), reservoir under S."""
    dev = layered_box([1.0, 1.5], [6, 1], layers=[("s", 0.5, 3), ("n", 1.0, 6)],
                      length_unit=1.0, cell_type="triangle", comm=comm)
    p = UsadelProblem(dev, {"s": UsadelRegion(delta=1.0, D=0.3), "n": UsadelRegion(D=0.5)},
                      {"ymin": Reservoir(1.0)}, eta=1e-2, degree=1, jit_options=COMPILE_FAST)
    out = []
    p.sweep(np.array([0.5, 1.5]),
            callback=lambda prob, eps: out.append(obs.dos_at(prob, POINTS_2D)))
    return np.array(out)


def tunnel_bilayer_1d(comm):
    """1D S|N bilayer with a Kupriyanov–Lukichev interface (two domains) at x = 1, where a
    2-rank partition of the interval puts its cut."""
    dev = layered_box([2.0], [16], layers=[("s", 1.0, 8), ("n", 1.0, 8)], length_unit=1.0,
                      comm=comm)
    p = UsadelProblem(dev, {"s": UsadelRegion(delta=1.0), "n": UsadelRegion()}, {},
                      {"s|n": TunnelInterface(r=0.5, side="s")}, eta=1e-2, degree=2,
                      jit_options=COMPILE_FAST)
    pts = np.array([[x, 0.0, 0.0] for x in (0.1, 0.7, 0.999, 1.001, 1.4, 1.95)])
    out = []
    p.sweep(np.array([0.3, 0.8]), callback=lambda prob, eps: out.append(obs.dos_at(prob, pts)))
    return np.array(out)


@pytest.mark.mpi
@pytest.mark.parametrize("case", [ferromagnetic_sns, sn_bilayer_2d, tunnel_bilayer_1d])
def test_dos_same_on_distributed_and_serial_mesh(case):
    par = case(MPI.COMM_WORLD)
    ser = case(MPI.COMM_SELF)
    assert np.all(np.isfinite(par))
    assert np.abs(par - ser).max() < 1e-10
    assert np.ptp(par) > 0.1                     # a nontrivial, position-dependent DOS
