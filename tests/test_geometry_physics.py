"""A solve on a gmsh-built film (kinetics.geometry.film) reproduces the exact 1D film solution
of the core (links the geometry and the physics layers)."""

import numpy as np
import pytest

import kinetics
from kinetics import analytic as an
from kinetics import observables as ob
from kinetics.geometry import film
from kinetics.physics.boundaries import Contact, MagneticInterface
from kinetics.models.spin_charge import SpinChargeProblem

LAM, SIGMA, THETA = 1.5e-9, 2.4e6, 0.11
D, LX, LY, V0 = 4e-9, 12e-9, 6e-9, 1e-3


@pytest.mark.mpi
@pytest.mark.parametrize("dim", [2, 3])
def test_gmsh_film_reproduces_exact_film_solution(dim):
    size = (LX, LY) if dim == 3 else (LX,)
    dev = film(D, size, name="pt", substrate="yig", cells_across=12, dim=dim, h=2e-9)
    m = np.array([1.0, 0.0, 1.0]) / np.sqrt(2)
    problem = SpinChargeProblem(dev, {"pt": kinetics.materials.get("Pt")}, [
        Contact("pt_xmin", V=V0, spin="opaque"), Contact("pt_xmax", V=0.0, spin="opaque"),
        MagneticInterface("pt|yig", G_r=7e14, G_i=5e13, m=m)], degree=2)
    sol = problem.solve()
    z = np.linspace(0, D, 9)
    y = LY / 2 if dim == 3 else 0.0
    pts = np.column_stack([np.full_like(z, LX / 2), np.full_like(z, y), z])
    mu = ob.line_profile(sol, pts)
    exact = an.film_spin_accumulation(z, D, SIGMA, LAM, THETA, V0 / LX,
                                      an.conductance_matrix(7e14, 5e13, m=m)).T
    scale = np.abs(exact).max()
    if dim == 2:
        assert np.abs(mu - exact).max() < 2e-3 * scale
    else:
        # insulating y faces add the spin Hall edge accumulation (μ_z) within ~λ of them; at
        # y = LY/2 = 2λ from both edges it is small but not zero: compare μ_x, μ_y tightly
        assert np.abs(mu[:, :2] - exact[:, :2]).max() < 5e-3 * scale
    I = ob.contact_current(sol, "pt_xmin")
    assert I + ob.contact_current(sol, "pt_xmax") == pytest.approx(0, abs=1e-9 * abs(I))


def test_graded_structured_layers_cluster_toward_both_faces():
    """grading > 0: the extruded layers next to the top and bottom faces are thinner."""
    from mpi4py import MPI
    dev = film(10e-9, (20e-9, 10e-9), cells_across=10, grading=0.8, h=5e-9, comm=MPI.COMM_SELF)
    z = np.unique(np.round(dev.mesh.geometry.x[:, 2], 6))
    assert len(z) == 11
    dz = np.diff(z)
    assert dz[0] == pytest.approx(dz[-1], rel=1e-6)
    assert dz[0] < 0.45 * dz[len(dz) // 2]
    assert dev.volume("pt") == pytest.approx(10e-9 * 20e-9 * 10e-9, rel=1e-10)
    with pytest.raises(ValueError, match="grading needs structured layers"):
        film(10e-9, (20e-9, 10e-9), grading=0.5, comm=MPI.COMM_SELF)
