"""Every observable is the same on the distributed mesh (COMM_WORLD, 2 ranks under
``mpirun -n 2``) and on a serial copy of the same problem (COMM_SELF) on each rank."""

import numpy as np
import pytest
from mpi4py import MPI

import kinetics
from kinetics import observables as ob
from kinetics.geometry import layered_box
from kinetics.physics.boundaries import Contact, FloatingProbe, MagneticInterface
from kinetics.models.spin_charge import SpinChargeProblem


def observables(comm, solver):
    dev = layered_box([12e-9, 6e-9, 4e-9], [6, 3, 8], layers=[("pt", 3e-9, 6), ("cu", 1e-9, 2)],
                      grading=0.5, comm=comm)
    mats = {"pt": kinetics.materials.get("Pt"), "cu": kinetics.materials.get("Cu")}
    problem = SpinChargeProblem(dev, mats, [
        Contact("xmin", V=1e-3), Contact("xmax", V=0.0, spin="opaque"),
        FloatingProbe("ymin"), FloatingProbe("ymax"),
        MagneticInterface("zmin", G_r=7e14, G_i=5e13, m=(0.6, 0.0, 0.8))], degree=1,
        solver=solver)
    sol = problem.solve()
    out = {
        "I": ob.contact_current(sol, "xmin"),
        "I_out": ob.contact_current(sol, "xmax"),
        "Vy": ob.average_potential(sol, "ymax") - ob.average_potential(sol, "ymin"),
        "absorbed": ob.interface_absorption(sol, "zmin")["total"],
        "spin_reservoir": ob.contact_spin_current(sol, "xmin"),
        "jc": ob.region_average(sol, "j_c", "pt"),
        "mu_line": ob.line_profile(sol, [[6e-9, 3e-9, z] for z in np.linspace(0, 4e-9, 5)]),
    }
    return out


@pytest.mark.mpi
@pytest.mark.parametrize("solver", ["direct", "iterative"])
def test_observables_equal_on_distributed_and_serial_mesh(solver):
    par = observables(MPI.COMM_WORLD, solver)
    ser = observables(MPI.COMM_SELF, "direct")
    scale = {"Vy": 1e-3}   # a small difference of potentials: compare on the 1 mV scale
    for key in par:
        atol = 1e-9 * scale.get(key, np.max(np.abs(ser[key])))
        assert np.allclose(par[key], ser[key], rtol=1e-7, atol=atol), key
    assert par["I"] + par["I_out"] == pytest.approx(0.0, abs=1e-9 * abs(par["I"]))
