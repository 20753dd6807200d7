"""Where the time of a realistic run goes: a gmsh Hall bar (the pt_yig_smr demo geometry).

    docker/env run -- python3 benchmarks/profile_run.py            # warm JIT cache
    docker/env run -- python3 benchmarks/profile_run.py --cold     # empty JIT cache (first run)
    docker/env run -- mpirun -n 2 python3 benchmarks/profile_run.py

Phases: imports, mesh generation (gmsh on rank 0 + distribution), problem construction
(UFL forms, JIT compilation or cache load), first solve (assembly, interface part,
right-hand side, preconditioner set-up, Krylov solve), observables (R_xx, R_xy: their forms
are compiled on first use), output (VTX .bp fields and a gathered .vtu), and an SMR sweep
of ``--sweep`` directions.  Prints a table and, with ``--json``, one ``RESULT {...}`` line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

T_START = time.perf_counter()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", action="store_true", help="use an empty JIT cache")
    parser.add_argument("--h", type=float, default=25e-9, help="in-plane element size (m)")
    parser.add_argument("--across", type=int, default=6, help="cells across the film")
    parser.add_argument("--degree", type=int, default=1)
    parser.add_argument("--length", type=float, default=400e-9)
    parser.add_argument("--sweep", type=int, default=36, help="directions of the SMR sweep")
    parser.add_argument("--preset", default="auto")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="kinetics-profile-")
    if args.cold:                      # before dolfinx is imported: its JIT cache location
        os.environ["XDG_CACHE_HOME"] = os.path.join(tmp, "cache")
    phases = {}

    def mark(name, t0):
        comm.barrier()
        phases[name] = phases.get(name, 0.0) + time.perf_counter() - t0
        return time.perf_counter()

    t0 = time.perf_counter()
    import numpy as np
    from mpi4py import MPI
    comm = MPI.COMM_WORLD
    import dolfinx  # noqa: F401
    import kinetics
    from kinetics import observables
    from kinetics.output import results as io
    from kinetics.geometry import hall_bar
    from kinetics.physics.boundaries import Contact, FloatingProbe, MagneticInterface
    from kinetics.models.spin_charge import SpinChargeProblem
    t0 = mark("imports", T_START)

    d = 4e-9
    dev = hall_bar(args.length, 50e-9, d, arm_width=20e-9, arm_length=30e-9,
                   arm_positions=(-100e-9, 100e-9), h=args.h, cells_across=args.across,
                   grading=0.85, comm=comm)
    t0 = mark("mesh (gmsh + distribute)", t0)
    pt = kinetics.materials.get("Pt-Vlietstra")
    G = kinetics.materials.interface("Pt|YIG-Vlietstra")
    bcs = [Contact("contact_left", V=0.0), Contact("contact_right", V=1e-3),
           FloatingProbe("probe_1_ymax"), FloatingProbe("probe_1_ymin"),
           FloatingProbe("probe_2_ymax"), FloatingProbe("probe_2_ymin"),
           MagneticInterface("pt|yig", G_r=G.G_r, G_i=G.G_i, m=(0, 1, 0))]
    problem = SpinChargeProblem(dev, {"pt": pt}, bcs, degree=args.degree, solver=args.preset)
    t0 = mark("forms (UFL + JIT)", t0)
    sol = problem.solve()
    t0 = mark("first solve", t0)
    first = dict(problem.timings)

    def measure(s):
        I = observables.contact_current(s, "contact_right")
        V = {k: observables.average_potential(s, k) for k in
             ("probe_1_ymax", "probe_1_ymin", "probe_2_ymax", "probe_2_ymin")}
        return ((V["probe_2_ymax"] + V["probe_2_ymin"] - V["probe_1_ymax"] - V["probe_1_ymin"])
                / (2 * I), (V["probe_1_ymax"] - V["probe_1_ymin"]) / I)

    measure(sol)
    t0 = mark("observables (first: compiles)", t0)
    measure(sol)
    t0 = mark("observables (again)", t0)
    io.write_fields(sol, os.path.join(tmp, "fields.bp"))
    t0 = mark("output: VTX fields (.bp)", t0)
    from kinetics.output import grid as export
    export.save_vtu(sol, os.path.join(tmp, "fields.vtu"))
    t0 = mark("output: gathered .vtu", t0)
    before = dict(problem.timings)
    angles = np.linspace(0, 2 * np.pi, args.sweep, endpoint=False)
    its = []
    for a in angles:
        problem.set_magnetization("pt|yig", (np.cos(a), np.sin(a), 0.0))
        s = problem.solve()
        its.append(s.iterations)
    t0 = mark(f"sweep: {args.sweep} x (set_magnetization + solve)", t0)
    for a in angles[: min(4, args.sweep)]:
        problem.set_magnetization("pt|yig", (np.cos(a), np.sin(a), 0.0))
        measure(problem.solve())
    sweep = {k: problem.timings[k] - before[k] for k in before}
    total = time.perf_counter() - T_START
    out = {"ranks": comm.size, "cold": args.cold, "unknowns": problem.num_dofs,
           "preset": problem.solver_preset, "degree": args.degree, "phases": phases,
           "first_solve": first, "sweep": sweep, "sweep_iterations": its, "total": total}
    if comm.rank == 0:
        print(f"Hall bar {args.length * 1e9:.0f} nm, P{args.degree}, {problem.num_dofs:,} "
              f"unknowns, {comm.size} rank(s), preset {problem.solver_preset}, "
              f"{'cold' if args.cold else 'warm'} JIT cache")
        for k, v in phases.items():
            print(f"  {k:44s} {v:8.2f} s")
        print("  first solve: " + ", ".join(f"{k} {v:.2f}" for k, v in first.items()))
        print("  sweep:       " + ", ".join(f"{k} {v:.2f}" for k, v in sweep.items()))
        print(f"  sweep iterations: {its}")
        if args.json:
            print("RESULT " + json.dumps(out, default=float))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
