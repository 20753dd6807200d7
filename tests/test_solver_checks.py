"""Every solve checks its answer; case files may only pass allow-listed PETSc options.

1. The true residual ‖b − Ax‖/‖b‖ after every linear solve: ``pc_type none`` with the
   direct preset (``ksp_type preonly``) used to "converge" and return x = b (R_xx = −236 Ω
   instead of 115.8 Ω on the example film); it must raise SolverError, as must a Krylov
   solve stopped early by a user's convergence test, a complex (2×2 block) solve, and a
   Newton solve that SNES calls converged after a fixed number of steps.
2. Kept preconditioners are rebuilt on iteration counts (deterministic), not timings.
3. PETSc errors (an unknown ksp_type) become SolverError naming the options.
4. kinetics.solvers.options: the allow-list refuses Python preconditioners, viewers,
   monitors, options files, drawing, logs, unknown keys (with a suggestion), wrong types,
   NaN and negative tolerances, and accepts and normalizes the usual tuning options.
"""

import cmath

import numpy as np
import pytest
from mpi4py import MPI

import kinetics
from kinetics import observables as ob
from kinetics.geometry import layered_box
from kinetics.models.spin_charge import SpinChargeProblem
from kinetics.physics.boundaries import Contact, FloatingProbe, MagneticInterface
from kinetics.solvers import options as so
from kinetics.solvers.linear import (DIRECT_RESIDUAL_BOUND, KRYLOV_RESIDUAL_FACTOR,
                                     REUSE_LU_REBUILD_ITERATIONS, LinearSolver, SolverError)

from test_solvers import tridiagonal


def film_problem(solver="direct", options=None, comm=MPI.COMM_WORLD):
    dev = layered_box([40e-9, 20e-9, 4e-9], [8, 4, 4], layers=[("pt", 4e-9, 4)], comm=comm)
    bcs = [Contact("xmin", V=1e-3), Contact("xmax", V=0.0), FloatingProbe("ymin"),
           FloatingProbe("ymax"), MagneticInterface("zmin", m=(0.0, 1.0, 0.0), G_r=4e14)]
    return SpinChargeProblem(dev, {"pt": kinetics.materials.get("Pt")}, bcs, solver=solver,
                             petsc_options=options)


# ---------------------------------------------------------------------- true residual
@pytest.mark.mpi
def test_preonly_without_a_factorization_raises():
    problem = film_problem("direct", {"pc_type": "none"})
    with pytest.raises(SolverError) as info:
        problem.solve()
    problem.solver.destroy()
    err = info.value
    assert err.reason == "TRUE_RESIDUAL"
    assert err.bound == DIRECT_RESIDUAL_BOUND
    assert err.true_residual > 1e-3            # x = b: nowhere near a solution
    for word in ("ksp_type preonly", "pc_type none", "does not solve", f"{err.bound:.1e}",
                 "backward error"):
        assert word in str(err), str(err)
    eta = float(str(err).split("||b||) = ")[1].split()[0])
    assert 1e-3 < eta <= 1.0                   # far above the bound, whatever the scaling


def test_direct_solve_backward_error_is_round_off():
    """MUMPS is backward stable: η is a few machine epsilons (the bound 1e-10 has margin)."""
    problem = film_problem("direct")
    problem.solve()
    assert problem.solver._check.eta < 1e-14
    problem.solver.destroy()


@pytest.mark.mpi
@pytest.mark.parametrize("preset", ["direct", "iterative"])
def test_normal_solves_pass_and_report_their_residual(preset):
    problem = film_problem(preset)
    sol = problem.solve()
    resistance = 1e-3 / ob.contact_current(sol, "xmin")
    direct = film_problem("direct").solve()
    assert resistance == pytest.approx(1e-3 / ob.contact_current(direct, "xmin"), rel=1e-8)
    rho = problem.solver.true_residual
    assert 0.0 < rho < (1e-11 if preset == "direct" else KRYLOV_RESIDUAL_FACTOR * 1e-10)


def test_auto_preset_falls_back_to_mumps_after_a_wrong_iterative_answer():
    dev = layered_box([200e-9, 100e-9, 4e-9], [20, 10, 8], layers=[("pt", 4e-9, 8)])
    bcs = [Contact("xmin", V=1e-3), Contact("xmax"), MagneticInterface("zmin", G_r=4e14)]
    mats = {"pt": kinetics.materials.get("Pt")}
    problem = SpinChargeProblem(dev, mats, bcs, petsc_options={
        "ksp_convergence_test": "skip", "ksp_max_it": 2})   # "converged" after 2 iterations
    assert problem.solver_preset == "iterative"
    with pytest.warns(RuntimeWarning, match="TRUE_RESIDUAL.*falling back to the direct"):
        sol = problem.solve()
    assert problem.solver_preset == "direct" and problem.solver.true_residual < 1e-11
    ref = SpinChargeProblem(dev, mats, bcs, solver="direct").solve()
    assert ob.contact_current(sol, "xmin") == pytest.approx(ob.contact_current(ref, "xmin"),
                                                            rel=1e-12)


def test_krylov_solve_stopped_early_raises_and_b_zero_gives_zero():
    A = tridiagonal(100, 2.0, -1.0, -1.0)
    b = A.createVecLeft()
    b.set(1.0)
    x = b.duplicate()
    bad = LinearSolver(MPI.COMM_SELF, "direct", {
        "ksp_type": "richardson", "pc_type": "jacobi", "ksp_rtol": 1e-10, "ksp_max_it": 3,
        "ksp_convergence_test": "skip"})      # CONVERGED_ITS after 3 sweeps
    bad.set_operator(A)
    with pytest.raises(SolverError, match="preconditioned residual met ksp_rtol") as info:
        bad.solve(b, x)
    assert info.value.reason == "TRUE_RESIDUAL"
    assert info.value.bound == pytest.approx(KRYLOV_RESIDUAL_FACTOR * 1e-10)
    bad.destroy()                               # (its unused options leave the database)
    good = LinearSolver(MPI.COMM_SELF, "direct")
    good.set_operator(A)
    good.solve(b, x)
    assert good.true_residual < 1e-12
    b.set(0.0)                                  # b = 0: the answer is x = 0
    good.solve(b, x)
    assert x.norm() == 0.0 and good.true_residual == 0.0


def test_complex_block_solve_is_checked():
    import ufl
    from dolfinx import mesh
    from kinetics.solvers.complex import ComplexLinearProblem
    msh = mesh.create_unit_square(MPI.COMM_WORLD, 6, 6)
    left = mesh.locate_entities_boundary(msh, 1, lambda x: np.isclose(x[0], 0.0))

    def problem(options):
        return ComplexLinearProblem(
            msh, ("Lagrange", 1), lambda u, v: ufl.inner(ufl.grad(u), ufl.grad(v)) * ufl.dx,
            lambda u, v: 3.0 * u * v * ufl.dx, [(left, cmath.exp(0.5j))],
            petsc_options=options)
    good = problem(None)
    good.solve()
    assert good.problem.solver.true_residual < 1e-13
    bad = problem({"pc_type": "jacobi"})
    with pytest.raises(SolverError, match="pc_type jacobi does not solve") as info:
        bad.solve()
    assert info.value.reason == "TRUE_RESIDUAL"
    bad.problem.solver.destroy()


def test_newton_stopped_after_fixed_steps_raises():
    from test_nonlinear import setup
    solver, _ = setup(8, 1, options={"snes_type": "ksponly"})
    with pytest.raises(SolverError, match="fixed number of steps") as info:
        solver.solve()
    assert info.value.reason == "TRUE_RESIDUAL"
    assert info.value.true_residual > 1e3 * info.value.bound
    solver.destroy()
    ok, _ = setup(8, 1)
    ok.solve()
    assert ok.final_residual < 1e-10 * ok.residuals[0]


# ------------------------------------------------------------ deterministic rebuilds
@pytest.mark.parametrize("shift,adaptive,setups", [(1e-3, True, 1), (1e-2, True, 2),
                                                   (1e-2, False, 1)])
def test_kept_factorization_is_rebuilt_on_iteration_counts(shift, adaptive, setups):
    """GMRES on LU(A) for A + shift·I: 8 iterations for 1e-3 (kept), 12 for 1e-2 (more
    than REUSE_LU_REBUILD_ITERATIONS: rebuilt before the next solve, unless adaptive is
    off)."""
    A = tridiagonal(200, 2.0, -1.0, -1.0)
    b = A.createVecLeft()
    b.set(1.0)
    x = b.duplicate()
    solver = LinearSolver(MPI.COMM_SELF, "direct")
    solver.adaptive = adaptive
    solver.set_operator(A)
    solver.solve(b, x)
    A.shift(shift)
    solver.set_operator(A, keep_preconditioner=True)
    solver.solve(b, x)
    assert solver.reused
    assert (solver.iterations > REUSE_LU_REBUILD_ITERATIONS) == (shift > 5e-3)
    solver.set_operator(A, keep_preconditioner=True)
    solver.solve(b, x)
    assert solver.setups == setups
    assert solver.reused == (setups == 1)


# --------------------------------------------------------------------- PETSc errors
def test_petsc_errors_become_solver_errors_naming_the_options():
    A = tridiagonal(10, 2.0, -1.0, -1.0)
    b = A.createVecLeft()
    b.set(1.0)
    solver = LinearSolver(MPI.COMM_SELF, "direct", {"ksp_type": "gmress"})
    with pytest.raises(SolverError, match="ksp_type=gmress") as info:
        solver.set_operator(A)
    assert info.value.reason == "PETSC_ERROR"
    solver = LinearSolver(MPI.COMM_SELF, "direct", {"pc_factor_mat_solver_type": "nosuch"})
    solver.set_operator(A)
    with pytest.raises(SolverError, match="pc_factor_mat_solver_type=nosuch"):
        solver.solve(b, b.duplicate())


# ---------------------------------------------------------------------- allow-list
@pytest.mark.parametrize("key,value,reason", [
    ("pc_type", "python", "Python code"),
    ("pc_python_type", "os.system", "arbitrary code"),
    ("ksp_type", "python", "Python code"),
    ("ksp_view", "ascii:/tmp/x.txt", "viewers"),
    ("ksp_view_mat", "binary:/tmp/A.bin", "viewers"),
    ("mat_view", True, "viewers"),
    ("ksp_monitor", True, "monitors"),
    ("ksp_monitor_true_residual", "ascii:out.txt", "monitors"),
    ("options_file", "/etc/passwd", "controls PETSc itself"),
    ("draw_pause", 1, "drawing"),
    ("ksp_plot_eigenvalues", True, "drawing"),
    ("log_view", True, "logs"),
    ("mat_mumps_icntl_1", 6, "output streams"),
    ("mat_mumps_icntl_22", 1, "out-of-core"),
    ("fieldsplit_0_pc_type", "a:b", "viewer or file"),
])
def test_refused_classes(key, value, reason):
    (msg,) = so.check_case_options({key: value})
    assert f"'{key}'" in msg and "not accepted from case files" in msg and reason in msg, msg


@pytest.mark.parametrize("options,expected", [
    ({"ksp_type": "gmress"}, "did you mean 'gmres'"),
    ({"ksp_typo": "gmres"}, "did you mean ksp_type"),
    ({"charge_pc_tpye": "gamg"}, "did you mean charge_pc_type"),
    ({"charge_ksp_type": "cg"}, "has no KSP"),
    ({"pc_hypre_type": "boomerang"}, "did you mean 'boomeramg'"),
    ({"block_spin": "rotating"}, "valid: auto, frame, average"),
    ({"ksp_rtol": "1e-12"}, "must be a number, got the string '1e-12' (write it without"),
    ({"ksp_rtol": float("nan")}, "must be finite, got nan"),
    ({"ksp_rtol": -1e-10}, "must be in (0, 1], got -1e-10"),
    ({"ksp_rtol": 0.0}, "must be in (0, 1], got 0"),
    ({"ksp_atol": float("inf")}, "must be finite"),
    ({"ksp_max_it": 1.5}, "must be an integer, got 1.5"),
    ({"ksp_max_it": True}, "must be an integer, got true"),
    ({"ksp_max_it": 10**7}, "must be in [1, 100000]"),
    ({"ksp_gmres_modifiedgramschmidt": "yes"}, "must be true or false"),
    ({"pc_fieldsplit_0_fields": "0;1"}, "component numbers"),
    ({"snes_rtol": 1e-8}, "not accepted from case files"),
])
def test_bad_values_and_names_are_explained(options, expected):
    (msg,) = so.check_case_options(options)
    assert expected in msg, msg


def test_accepted_options_are_normalized_and_all_errors_reported_at_once():
    accepted = {"-KSP_RTOL": 1e-12, "ksp_type": "FGMRES", "ksp_max_it": 2e3,
                "ksp_gmres_restart": 50, "pc_type": "hypre", "pc_hypre_type": "boomeramg",
                "pc_hypre_boomeramg_coarsen_type": "hmis",
                "pc_hypre_boomeramg_strong_threshold": 0.5,
                "pc_factor_mat_solver_type": "mumps", "mat_mumps_icntl_14": 50,
                "mat_mumps_cntl_1": 0.01, "charge_pc_type": "gamg", "spin_pc_gamg_threshold": 0.02,
                "block_composition": "additive", "block_spin": "frame",
                "fieldsplit_0_pc_type": "ilu", "fieldsplit_1_sub_pc_type": "icc",
                "pc_fieldsplit_0_fields": "1, 2", "sub_ksp_type": "preonly",
                "mg_levels_ksp_type": "chebyshev", "mg_levels_2_pc_type": "sor",
                "pc_sor_omega": 1.2, "ksp_pc_side": "right", "pc_gamg_repartition": True}
    assert so.check_case_options(accepted) == []
    out = so.validate_case_options(accepted)
    assert out["ksp_rtol"] == 1e-12 and out["ksp_type"] == "fgmres"
    assert out["ksp_max_it"] == 2000 and isinstance(out["ksp_max_it"], int)
    assert out["pc_hypre_boomeramg_coarsen_type"] == "HMIS"
    assert out["pc_fieldsplit_0_fields"] == "1,2"
    assert out["pc_gamg_repartition"] is True
    assert set(out) == {k.lstrip("-").lower() for k in accepted}
    bad = {"ksp_view": "ascii:/x", "pc_type": "python", "ksp_rtol": float("nan")}
    assert len(so.check_case_options(bad)) == 3
    with pytest.raises(ValueError) as info:
        so.validate_case_options({**accepted, **bad})
    assert str(info.value).count("\n") == 2
    assert so.check_case_options(["ksp_rtol"]) == [
        "petsc_options must be a table of option = value, got ['ksp_rtol']"]


def test_presets_and_amg_defaults_pass_the_allow_list():
    """What kinetics itself sets (except the iterative preset's Python PC) is allowed."""
    for name, preset in so.PRESETS.items():
        own = {k: v for k, v in preset.items() if "python" not in k and v != "python"}
        assert so.check_case_options(own) == [], name
        cell = "hexahedron"
        assert so.check_case_options(so.amg_defaults(name, cell, 1)) == []
