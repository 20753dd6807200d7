"""Benchmark of the nonlocal spin valve (kinetics.models.circuit, demos/nonlocal_spin_valve.py):
the 3D Py/Cu device of the demo at two mesh sizes, direct solver (the only one
CircuitProblem has: its block system is solved with the checked MUMPS LU).

    docker/env run -- python3 benchmarks/nlsv.py            # h = 20 and 10 nm
    docker/env run -- python3 benchmarks/nlsv.py --sizes 0  # the coarse one only

Each size runs in a fresh process (``--one``) so that its peak resident memory is its own.
Measured: set-up (forms, JIT, problem; the mesh excluded), the P and AP solves (the AP one
after ``set_magnetization``: reassembly, and the P factorization kept if GMRES converges
with it in at most 10 iterations), a Hanle sweep of
21 fields between −1 and 1 T (``reuse="auto"``: the LU factorization of an earlier operator
preconditions GMRES; rebuilt when that needs more than 10 iterations), the number of
factorizations and the most GMRES iterations in the sweep, peak memory per unknown, and
ΔR_s.  "hanle_over_one_solve" is the sweep's time over the first (P) solve.  Printed as a
markdown table; not run by the tests.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

SIZES = [(20e-9, 6e-9), (10e-9, 3e-9)]          # (h, h at the junctions) in m


def one(size: int) -> dict:
    import numpy as np

    import kinetics
    from kinetics.fn_materials import fn_interface
    from kinetics.geometry import nonlocal_spin_valve
    from kinetics.models.circuit import CircuitProblem, FNJunction, nonlocal_resistance
    from kinetics.physics.boundaries import Contact
    h, h_j = SIZES[size]
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
                             magnetic_field=(0.0, 0.0, 0.0), reuse="auto")
    setup = time.perf_counter() - t0
    unknowns = problem.num_dofs
    r, times = {}, {}
    for state, s in (("P", 1.0), ("AP", -1.0)):
        t = time.perf_counter()
        problem.set_magnetization("fm2", s * y)
        r[state] = nonlocal_resistance(problem.solve(), "fm2_ymax", "contact_right", "fm1_ymax")
        times[state] = time.perf_counter() - t
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
    return {"h_nm": h * 1e9, "unknowns": unknowns, "setup_s": setup, "solve_P_s": times["P"],
            "solve_AP_s": times["AP"], "hanle_21_s": sweep,
            "hanle_over_one_solve": sweep / times["P"], "AP_reused": ap_reused,
            "AP_iterations": ap_its, "hanle_factorizations": solver.setups - setups0,
            "hanle_max_iterations": max(its), "bytes_per_unknown": peak / unknowns,
            "delta_R_s_mOhm": (r["P"] - r["AP"]) * 1e3}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(range(len(SIZES))))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one(args.one)))
        return
    rows = []
    for size in args.sizes:
        res = subprocess.run([sys.executable, __file__, "--one", str(size)], capture_output=True,
                             text=True, check=True)
        rows.append(json.loads(res.stdout.strip().splitlines()[-1]))
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(f"{row[k]:.4g}" for k in keys) + " |")


if __name__ == "__main__":
    main()
