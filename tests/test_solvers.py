"""Solver presets, the spin-charge block preconditioner and the reuse across sweeps.

Every iterative preset agrees with MUMPS on a film and a multilayer at the hard end of the
parameter range (θ_SH = 0.3, G = 1e15 Ω⁻¹m⁻², λ_sf = 0.5 nm); a reused (sweep) solve gives
the numbers of a fresh one; iteration counts stay bounded under refinement.  Counts are
asserted, never times (benchmarks/ measures those)."""

import numpy as np
import pytest
from mpi4py import MPI

import kinetics
from kinetics import observables as ob
from kinetics.geometry import layered_box
from kinetics.physics.boundaries import Contact, FloatingProbe, MagneticInterface
from kinetics.models.spin_charge import SpinChargeProblem
from kinetics.solvers.recycling import SubspaceRecycler
from kinetics.solvers.linear import AUTO_DIRECT_LIMITS, LinearSolver, choose_preset

PT_HARD = kinetics.materials.get("Pt", theta_sh=0.3, lambda_sf=0.5e-9)
G_HARD = dict(G_r=1e15, G_i=1e14)
M0 = np.array([0.6, 0.48, 0.64])


def film(comm=MPI.COMM_WORLD, scale=1, thickness=4e-9, cell="tetrahedron"):
    return layered_box([200e-9, 100e-9, thickness], [8 * scale, 4 * scale, 4 * scale],
                       layers=[("pt", thickness, 4 * scale)], cell_type=cell, grading=0.3,
                       comm=comm)


def multilayer(comm=MPI.COMM_WORLD):
    return layered_box([200e-9, 100e-9, 8e-9], [8, 4, 8],
                       layers=[("pt", 3e-9, 3), ("cu", 2e-9, 2), ("pt2", 3e-9, 3)],
                       grading=0.3, comm=comm)


def problem_on(dev, solver, *, second_magnet=False, options=None, m=M0):
    mats = {name: (kinetics.materials.get("Cu") if name == "cu" else PT_HARD)
            for name in dev.regions}
    bcs = [Contact("xmin", V=1e-3), Contact("xmax", V=0.0, spin="opaque"),
           FloatingProbe("ymin"), FloatingProbe("ymax"),
           MagneticInterface("zmin", m=m, **G_HARD)]
    if second_magnet:   # two interfaces with different m: no common spin frame
        bcs.append(MagneticInterface("zmax", G_r=4e14, m=(0.0, 0.0, 1.0)))
    return SpinChargeProblem(dev, mats, bcs, solver=solver, petsc_options=options)


def measure(sol):
    return np.array([ob.contact_current(sol, "xmin"),
                     ob.average_potential(sol, "ymax") - ob.average_potential(sol, "ymin")])


def rel_diff(sol, ref):
    d = sol.u.x.petsc_vec.copy()
    d.axpy(-1.0, ref.u.x.petsc_vec)
    return d.norm() / ref.u.x.petsc_vec.norm()


@pytest.mark.parametrize("preset,options", [
    ("iterative", None),
    ("iterative", {"block_spin": "average"}),
    ("iterative", {"block_composition": "additive"}),
    ("fieldsplit", None),
], ids=["iterative", "average-spin-block", "additive", "fieldsplit"])
@pytest.mark.parametrize("device,two", [(film, False), (multilayer, True)],
                         ids=["film", "multilayer"])
def test_iterative_presets_agree_with_mumps(preset, options, device, two):
    dev = device()
    ref = problem_on(dev, "direct", second_magnet=two).solve()
    problem = problem_on(dev, preset, second_magnet=two, options=options)
    sol = problem.solve()
    assert problem.solver_preset == preset
    assert 1 <= sol.iterations <= 20
    assert rel_diff(sol, ref) < 1e-8
    got, want = measure(sol), measure(ref)
    assert got[0] == pytest.approx(want[0], rel=1e-9)
    assert got[1] == pytest.approx(want[1], abs=1e-9 * 1e-3)   # Hall voltage on the mV scale


@pytest.mark.mpi
def test_iterative_preset_on_ranks_equals_serial_direct():
    par = problem_on(film(MPI.COMM_WORLD), "iterative").solve()
    ser = problem_on(film(MPI.COMM_SELF), "direct").solve()
    got, want = measure(par), measure(ser)
    assert got[0] == pytest.approx(want[0], rel=1e-9)
    assert got[1] == pytest.approx(want[1], abs=1e-9 * 1e-3)


def smr_scan(problem, directions):
    out = []
    for m in directions:
        problem.set_magnetization("zmin", m)
        sol = problem.solve()
        current, hall = measure(sol)
        out.append((1e-3 / current, hall / current, sol.iterations))
    return np.array(out)


DIRECTIONS = [(np.cos(a), np.sin(a), 0.0) for a in np.linspace(0, 2 * np.pi, 9)[:-1]] + \
             [(0.0, np.cos(b), np.sin(b)) for b in np.linspace(0, np.pi, 5)[1:]]


@pytest.mark.mpi
@pytest.mark.parametrize("preset", ["direct", "iterative"])
def test_sweep_reuse_gives_the_numbers_of_fresh_solves(preset):
    dev = film()
    reused = problem_on(dev, preset, m=DIRECTIONS[0])
    reused.solve()
    reused.solver.adaptive = False     # no iteration-count rebuilds: the count below is exact
    scan = smr_scan(reused, DIRECTIONS)
    fresh = problem_on(dev, preset, m=DIRECTIONS[0])
    fresh.reuse = "none"
    ref = smr_scan(fresh, DIRECTIONS)
    # the preconditioner (factorization) was built once and kept for the whole sweep
    assert reused.solver.setups == 1
    assert reused.solver.reused
    assert fresh.solver.setups == len(DIRECTIONS)
    amplitude = np.ptp(ref[:, 0])            # the SMR signal, ~1e-3 of R_xx
    assert amplitude > 0
    assert np.max(np.abs(scan[:, 0] - ref[:, 0])) < 1e-6 * amplitude
    assert np.max(np.abs(scan[:, 1] - ref[:, 1])) < 1e-6 * amplitude
    assert scan[:, 2].max() <= 12
    if preset == "iterative":   # recycled initial guesses save iterations
        assert scan[:, 2].sum() <= 0.8 * ref[:, 2].sum()


def test_reuse_operator_mode_rebuilds_the_preconditioner():
    problem = problem_on(film(), "iterative", m=DIRECTIONS[0])
    problem.reuse = "operator"
    problem.solve()
    scan = smr_scan(problem, DIRECTIONS[:3])
    assert problem.solver.setups == 4
    assert scan[:, 2].max() <= 12
    with pytest.raises(ValueError, match="reuse"):
        problem.reuse = "sometimes"
        problem.solve()


@pytest.mark.parametrize("cell", ["tetrahedron", "hexahedron"])
def test_iterations_bounded_under_refinement(cell):
    its = []
    for scale in (1, 2, 4):
        problem = problem_on(film(scale=scale, cell=cell), "iterative")
        its.append(problem.solve().iterations)
    assert max(its) <= 16, its
    # a 4x refinement (64x the unknowns) adds at most 20 % (and at least one iteration slack)
    assert its[-1] <= max(its[0] + 1, 1.2 * its[0]), its


def test_auto_preset_choice():
    assert choose_preset("auto", 10**6, 1) == "direct"
    assert choose_preset("auto", AUTO_DIRECT_LIMITS[2] - 1, 2) == "direct"
    assert choose_preset("auto", AUTO_DIRECT_LIMITS[2], 2) == "iterative"
    assert choose_preset("auto", AUTO_DIRECT_LIMITS[3] - 1, 3) == "direct"
    assert choose_preset("auto", 10**6, 3) == "iterative"
    assert choose_preset("fieldsplit", 10, 3) == "fieldsplit"
    with pytest.raises(ValueError, match="valid: auto, direct, iterative"):
        choose_preset("cg", 10, 3)


def test_auto_falls_back_to_direct_when_the_iterative_solve_fails():
    dev = layered_box([200e-9, 100e-9, 4e-9], [20, 10, 8], layers=[("pt", 4e-9, 8)])
    ref = problem_on(dev, "direct").solve()
    problem = problem_on(dev, "auto", options={"ksp_max_it": 1})
    assert problem.solver_preset == "iterative"
    with pytest.warns(RuntimeWarning, match="falling back to the direct solver"):
        sol = problem.solve()
    assert problem.solver_preset == "direct"
    assert rel_diff(sol, ref) < 1e-10


@pytest.mark.parametrize("matrix_type", ["auto", "aij"])
def test_operator_formats_equal_the_full_assembly(matrix_type):
    """The BAIJ operator (default) and the compact AIJ one hold dolfinx's full assembly,
    also after in-place interface updates; both solve to the MUMPS answer."""
    from dolfinx.fem import petsc as fpetsc
    from petsc4py import PETSc
    for cell in ("tetrahedron", "hexahedron"):
        dev = film(cell=cell)
        ref = problem_on(dev, "direct", second_magnet=True)
        problem = problem_on(dev, "iterative", second_magnet=True)
        problem.matrix_type = matrix_type
        problem.solve()
        full = fpetsc.assemble_matrix(problem.a_form, bcs=problem.bcs)
        full.assemble()
        if matrix_type == "auto":
            assert problem.operator.getType().endswith("baij")
            assert problem._blocks is not None      # the PC's blocks come from scalar forms
        else:
            assert problem.operator.getType().endswith("aij")
            assert problem.operator.getInfo()["nz_used"] < 0.8 * full.getInfo()["nz_used"]
        for m in DIRECTIONS[:3]:     # in-place interface updates keep it exact
            problem.set_magnetization("zmin", m)
            ref.set_magnetization("zmin", m)
            assert rel_diff(problem.solve(), ref.solve()) < 1e-8
        full.zeroEntries()
        fpetsc.assemble_matrix(full, problem.a_form, bcs=problem.bcs)
        full.assemble()
        full.axpy(-1.0, problem.operator, PETSc.Mat.Structure.DIFFERENT_NONZERO_PATTERN)
        assert full.norm() < 1e-13 * problem.operator.norm()
    # spin swapping couples the spin components in the bulk: no compaction, averaged blocks
    swap = kinetics.materials.get("Pt", kappa=0.1)
    dev = film()
    bcs = [Contact("xmin", V=1e-3), Contact("xmax")]
    problem = SpinChargeProblem(dev, {"pt": swap}, bcs, solver="iterative")
    problem.matrix_type = matrix_type
    sol = problem.solve()
    assert sol.iterations <= 20
    assert rel_diff(sol, SpinChargeProblem(dev, {"pt": swap}, bcs, solver="direct").solve()) < 1e-8
    full = fpetsc.assemble_matrix(problem.a_form, bcs=problem.bcs)
    full.assemble()
    if matrix_type == "aij":
        assert problem.operator.getInfo()["nz_used"] == full.getInfo()["nz_used"]


def tridiagonal(n, diagonal, lower, upper):
    """A serial n x n tridiagonal PETSc matrix (a small, exactly known operator)."""
    from petsc4py import PETSc
    A = PETSc.Mat().createAIJ([n, n], nnz=3, comm=MPI.COMM_SELF)
    for i in range(n):
        A.setValue(i, i, diagonal)
        if i:
            A.setValue(i, i - 1, lower)
            if upper:
                A.setValue(i - 1, i, upper)
    A.assemble()
    return A


def test_kept_preconditioner_that_fails_is_rebuilt():
    A = tridiagonal(200, 2.0, -1.0, -1.0)
    b = A.createVecLeft()
    b.set(1.0)
    x = b.duplicate()
    solver = LinearSolver(MPI.COMM_SELF, "direct")
    solver.set_operator(A)
    solver.solve(b, x)
    assert solver.setups == 1 and not solver.reused
    A.shift(50.0)                     # far from the factorized operator
    solver.set_operator(A, keep_preconditioner=True)
    solver.solve(b, x)
    r = b.duplicate()
    A.mult(x, r)
    r.axpy(-1.0, b)
    assert r.norm() < 1e-10 * b.norm()
    if not solver.reused:             # GMRES on LU(A_old) failed: the LU was rebuilt
        assert solver.setups == 2


def test_recycled_guess_reproduces_a_repeated_solve():
    from petsc4py import PETSc
    n = 50
    A = tridiagonal(n, 3.0, -1.0, 0.0)
    b = A.createVecLeft()
    b.setArray(np.linspace(1.0, 2.0, n))
    x = b.duplicate()
    ksp = PETSc.KSP().create(MPI.COMM_SELF)
    ksp.setOperators(A)
    ksp.setType("preonly")
    ksp.getPC().setType("lu")
    ksp.solve(b, x)
    rec = SubspaceRecycler(size=2)
    rec.measure = True
    rec.add(A, x)
    y = b.duplicate()
    assert rec.initial_guess(b, y)
    y.axpy(-1.0, x)
    assert y.norm() < 1e-12 * x.norm()
    assert rec.last_initial_residual < 1e-8


def test_sweep_notices_a_changed_dirichlet_value():
    dev = film()
    problem = problem_on(dev, "iterative", m=DIRECTIONS[0])
    problem.solve()
    problem.set_magnetization("zmin", DIRECTIONS[1])
    problem.solve()
    problem.bcs[0].g.value[...] = 2e-3        # the contact at xmin: 1 mV -> 2 mV
    problem.set_magnetization("zmin", DIRECTIONS[2])
    sol = problem.solve()
    fresh = problem_on(dev, "direct", m=DIRECTIONS[2])
    fresh.bcs[0].g.value[...] = 2e-3
    assert rel_diff(sol, fresh.solve()) < 1e-8


def test_fieldsplit_on_a_baij_operator_is_refused_before_the_solve():
    problem = problem_on(film(), "fieldsplit")
    problem.matrix_type = "baij"
    with pytest.raises(ValueError, match="fieldsplit preset needs an AIJ operator"):
        problem.solve()
    problem.matrix_type = "nonsense"
    with pytest.raises(ValueError, match="matrix_type must be one of"):
        problem.solve()
