"""The iterative preset of CircuitProblem (GMRES with the rotated block preconditioner,
kinetics.solvers.block_pc.rotated_spin_blocks): the same answers as MUMPS, iteration counts
that do not grow with refinement, the exact shifted blocks of a ferromagnet, 2 ranks.

Timings are in benchmarks/nlsv.py."""

from __future__ import annotations

import numpy as np
import pytest
import ufl
from mpi4py import MPI

import kinetics
from kinetics.fn_materials import fn_interface
from kinetics.geometry import layered_box, nonlocal_spin_valve
from kinetics.models.circuit import CircuitProblem, FNJunction, nonlocal_resistance
from kinetics.physics.boundaries import Contact, SpinInjection
from kinetics.solvers.block_pc import rotated_spin_blocks, spin_frame

CU = kinetics.materials.get("Cu").with_(theta_sh=0.0, diffusion_constant=0.02)
PY = kinetics.materials.get("Py")
Y = np.array([0.0, 1.0, 0.0])


def valve(h, solver, comm=None, **kw):
    """The benchmark's 3D Py/Cu valve (benchmarks/nlsv.py), mesh size h."""
    dev = nonlocal_spin_valve(2.4e-6, 100e-9, 20e-9, fm_widths=(80e-9, 80e-9), gap=250e-9,
                              fm_thickness=20e-9, fm_length=400e-9, h=h, comm=comm,
                              refine={"channel|fm1": (0.3 * h, 40e-9),
                                      "channel|fm2": (0.3 * h, 40e-9)})
    itf = fn_interface("Py|Cu")
    return CircuitProblem(dev, {"channel": CU, "fm1": PY.with_(m=Y), "fm2": PY.with_(m=Y)},
                          [Contact("fm1_ymax", V=1e-3), Contact("contact_left", V=0.0)],
                          [FNJunction("channel|fm1", itf), FNJunction("channel|fm2", itf)],
                          solver=solver, **kw)


def r_nl(problem):
    return nonlocal_resistance(problem.solve(), "fm2_ymax", "contact_right", "fm1_ymax")


def p_ap(problem):
    out = []
    for s in (1.0, -1.0):
        problem.set_magnetization("fm2", s * Y)
        out.append((r_nl(problem), problem.linear_solver.iterations))
    return out


def test_iterative_preset_gives_the_direct_answer_with_flat_iterations():
    """P and AP nonlocal resistances of GMRES (rtol 1e-12) equal MUMPS's to 1e-8 on two
    meshes (h and h/2), and the iteration counts stay within 14-18 on both.  Averaging the
    three spin blocks instead of rotating them into the magnets' frame takes 30."""
    its = []
    for h in (40e-9, 20e-9):
        direct = [r for r, _ in p_ap(valve(h, "direct"))]
        iterative = p_ap(valve(h, "iterative"))
        assert [r for r, _ in iterative] == pytest.approx(direct, rel=1e-8)
        its += [n for _, n in iterative]
    assert max(its) <= 18 and max(its) - min(its) <= 2, its


def test_rotated_blocks_of_a_ferromagnet_are_its_shifted_scalar_operators():
    """In a ferromagnet with m along the frame the rotated blocks are exact: S_2 = S_3 =
    K + (σ/2)(c_sf + 1/λ_φ² + 1/λ_J²)M (the transverse operator shifted by the exchange
    precession's |P_23|) and S_1 = K + (σ/2)c_sf M (the longitudinal operator): S_2 − S_1
    is the mass matrix times (σ/2)(1/λ_φ² + 1/λ_J²), in internal units (m at an angle to
    the axes, so that a wrong rotation would mix the blocks)."""
    from dolfinx import fem
    dev = layered_box([40e-9, 20e-9], [8, 4], axes="xy", cell_type="triangle")
    m = np.array([0.6, 0.0, 0.8])
    problem = CircuitProblem(dev, {"film": PY.with_(m=m)},
                             [Contact("xmax", V=0.0, spin="opaque"),
                              SpinInjection("xmin", j_s=(1e9, 0.0, 0.0))], solver="iterative")
    problem.solve()
    S = rotated_spin_blocks(problem._linear.A, spin_frame(m))
    (dom,) = problem.fields.names
    space = problem.fields.space(dom)
    scalar = fem.functionspace(space.mesh, ("Lagrange", 1))
    u, v = ufl.TrialFunction(scalar), ufl.TestFunction(scalar)
    coef = problem.coef["film"]
    shift = 0.5 * coef.sigma.value * (coef.inv_lambda_phi2.value + coef.inv_lambda_J2.value)
    from dolfinx.fem import petsc as fpetsc
    M = fpetsc.assemble_matrix(fem.form(shift * u * v * ufl.dx))
    M.assemble()
    D = S[1].copy()
    D.axpy(-1.0, S[0])
    E = S[1].copy()
    E.axpy(-1.0, S[2])
    scale = M.norm()
    assert E.norm() < 1e-12 * scale
    D.axpy(-1.0, M)
    assert D.norm() < 1e-10 * scale
    assert shift > 0.0


def test_unknown_preset_and_options_are_refused():
    dev = layered_box([40e-9, 20e-9], [4, 2], axes="xy", cell_type="triangle")
    with pytest.raises(ValueError, match="unknown solver preset 'gmres'"):
        CircuitProblem(dev, {"film": CU}, [Contact("xmax", V=0.0)], solver="gmres")
    with pytest.raises(TypeError, match="petsc_options"):
        CircuitProblem(dev, {"film": CU}, [Contact("xmax", V=0.0)], petsc_options="ksp_rtol")


@pytest.mark.mpi
def test_iterative_preset_on_two_ranks_equals_serial_direct():
    serial = p_ap(valve(40e-9, "direct", MPI.COMM_SELF))
    parallel = p_ap(valve(40e-9, "iterative", MPI.COMM_WORLD, reuse="auto"))
    assert [r for r, _ in parallel] == pytest.approx([r for r, _ in serial], rel=1e-8)
    assert max(n for _, n in parallel) <= 20
