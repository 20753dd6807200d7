"""Benchmark of the nonlocal spin valve (kinetics.models.circuit, demos/nonlocal_spin_valve.py):
the 3D Py/Cu device of the demo (2.4 µm Cu channel, 20 nm thick electrodes), with the
direct solver (MUMPS) and the ``iterative`` preset (GMRES to 1e-12 with the rotated block
preconditioner, kinetics.solvers.block_pc.rotated_spin_blocks), at three mesh sizes.

    docker/env run -- python3 benchmarks/nlsv.py                 # every row
    docker/env run -- python3 benchmarks/nlsv.py --rows 0 1      # the first two

Each row runs in a fresh process (``--one``) so that its peak resident memory is its own.
Measured: set-up (forms, JIT, problem; the mesh excluded), the P and AP solves (the AP one
after ``set_magnetization``: reassembly, with ``reuse="auto"`` the earlier factorization or
preconditioner kept when it serves), a Hanle sweep of 21 fields between −1 and 1 T
(``reuse="auto"``: kept factorization/preconditioner, and for GMRES initial guesses from the
earlier solutions), the set-ups and the most iterations in the sweep, peak memory per
unknown, ΔR_s, and for the iterative rows the scalar AMG limit: 4 × (set-up + solve) of
GMRES with BoomerAMG on the charge block of the same mesh to the same tolerance, against
the preconditioner set-up + solve of the P state ("P_over_limit"; the P solve's time also
holds the first assembly).
"hanle_over_one_solve" is the sweep's time over the first (P) solve.  Printed as a
markdown table; not run by the tests.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time

#: (solver, h, h at the junctions in m)
ROWS = [("direct", 20e-9, 6e-9), ("iterative", 40e-9, 12e-9), ("iterative", 20e-9, 6e-9),
        ("iterative", 10e-9, 3e-9)]


def scalar_limit(problem) -> tuple[float, int]:
    """Seconds and iterations of 4 scalar AMG solves (GMRES + BoomerAMG, set-up included)
    on the charge block of the assembled operator, random right-hand side."""
    from petsc4py import PETSc

    from kinetics.solvers.block_pc import _component_is
    A = problem._linear.A
    rows = _component_is(A, 0, 4)
    Avv = A.createSubMatrix(rows, rows)
    ksp = PETSc.KSP().create(A.getComm())
    ksp.setOperators(Avv)
    ksp.setType("gmres")
    ksp.getPC().setType("hypre")
    ksp.setTolerances(rtol=problem.ITERATIVE_RTOL, atol=1e-30)
    b = Avv.createVecLeft()
    b.setRandom()
    x = b.duplicate()
    t = time.perf_counter()
    ksp.setUp()
    ksp.solve(b, x)
    return 4 * (time.perf_counter() - t), ksp.getIterationNumber()


def one(row: int) -> dict:
    import numpy as np

    import kinetics
    from kinetics.fn_materials import fn_interface
    from kinetics.geometry import nonlocal_spin_valve
    from kinetics.models.circuit import CircuitProblem, FNJunction, nonlocal_resistance
    from kinetics.physics.boundaries import Contact
    solver_name, h, h_j = ROWS[row]
    cu = kinetics.materials.get("Cu").with_(theta_sh=0.0, diffusion_constant=0.02)
    py = kinetics.materials.get("Py")
    y = np.array([0.0, 1.0, 0.0])
    dev = nonlocal_spin_valve(2.4e-6, 100e-9, 20e-9, fm_widths=(80e-9, 80e-9), gap=250e-9,
                              fm_thickness=20e-9, fm_length=400e-9, h=h,
                              refine={"channel|fm1": (h_j, 40e-9), "channel|fm2": (h_j, 40e-9)})
    itf = fn_interface("Py|Cu")
    t0 = time.perf_counter()
    problem = CircuitProblem(dev, {"channel": cu, "fm1": py.with_(m=y), "fm2": py.with_(m=y)},
                             [Contact("fm1_ymax", V=1e-3), Contact("contact_left", V=0.0)],
                             [FNJunction("channel|fm1", itf), FNJunction("channel|fm2", itf)],
                             magnetic_field=(0.0, 0.0, 0.0), solver=solver_name,
                             reuse="auto")
    setup = time.perf_counter() - t0
    unknowns = problem.num_dofs
    r, times = {}, {}
    for state, s in (("P", 1.0), ("AP", -1.0)):
        t = time.perf_counter()
        problem.set_magnetization("fm2", s * y)
        r[state] = nonlocal_resistance(problem.solve(), "fm2_ymax", "contact_right", "fm1_ymax")
        times[state] = time.perf_counter() - t
        if state == "P":
            p_its = problem.linear_solver.iterations
            t_lin = problem.linear_solver.timings
            p_linear = t_lin["setup"] + t_lin["solve"]
    solver = problem.linear_solver
    ap_reused, ap_its = solver.reused, solver.iterations
    setups0 = solver.setups
    t = time.perf_counter()
    its = []
    for B in np.linspace(-1.0, 1.0, 21):
        problem.set_magnetic_field((0.0, 0.0, B))
        problem.solve()
        its.append(solver.iterations)
    sweep = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024.0
    limit, limit_its = scalar_limit(problem) if solver_name != "direct" else (math.nan, 0)
    return {"solver": solver_name, "h_nm": h * 1e9, "unknowns": unknowns, "setup_s": setup, "solve_P_s": times["P"],
            "solve_AP_s": times["AP"], "hanle_21_s": sweep,
            "hanle_over_one_solve": sweep / times["P"], "AP_reused": ap_reused,
            "P_iterations": p_its, "AP_iterations": ap_its,
            "P_setup_solve_s": p_linear, "scalar_limit_s": limit,
            "P_over_limit": p_linear / limit,
            "scalar_iterations": limit_its, "hanle_setups": solver.setups - setups0,
            "hanle_max_iterations": max(its), "bytes_per_unknown": peak / unknowns,
            "delta_R_s_mOhm": (r["P"] - r["AP"]) * 1e3}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=list(range(len(ROWS))))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one(args.one)))
        return
    rows = []
    for row in args.rows:
        res = subprocess.run([sys.executable, __file__, "--one", str(row)], capture_output=True,
                             text=True, check=True)
        rows.append(json.loads(res.stdout.strip().splitlines()[-1]))
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(f"{row[k]:.4g}" if isinstance(row[k], float) else str(row[k])
                                for k in keys) + " |")


if __name__ == "__main__":
    main()
