"""Energies over MPI sub-communicators (kinetics.usadel.parallel): one group equals the plain
sweep; on 2 ranks, two groups (one rank each, half the energies each) give the DOS of one
group of 2 ranks."""

import numpy as np
import pytest
from mpi4py import MPI

from kinetics.geometry import layered_box
from kinetics.usadel import observables as obs
from kinetics.usadel.parallel import energy_groups, parallel_sweep
from kinetics.usadel.problem import COMPILE_FAST, Reservoir, UsadelProblem, UsadelRegion

ENERGIES = np.linspace(0.5, 6.0, 8)
POINTS = np.array([[0.5, 0.0, 0.0], [0.2, 0.0, 0.0]])


def build(comm):
    """An S–N–S wire (Δ = 20 E_Th, phase difference 1 rad), energies in E_Th."""
    dev = layered_box([1.0], [24], length_unit=1.0, comm=comm)
    return UsadelProblem(dev, {"film": UsadelRegion()},
                         {"xmin": Reservoir(20.0, -0.5), "xmax": Reservoir(20.0, 0.5)},
                         eta=1e-3, degree=2, jit_options=COMPILE_FAST)


def measure(problem, eps):
    return obs.dos_at(problem, POINTS)


def test_one_group_equals_the_plain_sweep():
    direct = []
    p = build(MPI.COMM_SELF)
    p.sweep(ENERGIES, callback=lambda q, e: direct.append(measure(q, e)))
    got = parallel_sweep(build, ENERGIES, measure, comm=MPI.COMM_SELF, groups=1)
    assert got.shape == (len(ENERGIES), len(POINTS))
    assert np.array_equal(got, np.array(direct))
    assert got[0, 0] < 1e-2 < got[-1, 0]             # gapped at 0.5 E_Th, not at 6 E_Th


def test_bad_input():
    with pytest.raises(ValueError, match="groups"):
        parallel_sweep(build, ENERGIES, measure, comm=MPI.COMM_SELF, groups=2)
    with pytest.raises(ValueError, match="increasing"):
        parallel_sweep(build, ENERGIES[::-1], measure, comm=MPI.COMM_SELF)
    with pytest.raises(ValueError, match="groups"):
        energy_groups(MPI.COMM_SELF, 0)


@pytest.mark.mpi
def test_two_groups_equal_one_group_of_two_ranks():
    comm = MPI.COMM_WORLD
    one = parallel_sweep(build, ENERGIES, measure, comm=comm, groups=1)
    split = parallel_sweep(build, ENERGIES, measure, comm=comm, groups=comm.size)
    assert np.allclose(split, one, rtol=1e-8, atol=1e-10)
    sub, color = energy_groups(comm, comm.size)
    assert sub.size == 1 and color == comm.rank
    sub.Free()
