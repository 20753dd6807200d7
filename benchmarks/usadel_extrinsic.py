"""Benchmark of seed 003's spin Hall and swapping terms in the retarded Usadel solve
(kinetics.usadel.extrinsic_forms, issue 16): what θ and κ cost over the plain Riccati form.

Device: the 2D strip of benchmarks/keldysh.py (16 × 5 ξ_T, 96 × 24 × 2 P1 triangles; with
``--large`` 200 × 60 × 2), superconducting (Δ = 1.688, T = 0.5 T_c0) between two normal
reservoirs, τ_so = 4.  For θ = κ = 0 and for θ = 0.01, κ = 0.005 the script prints the form
compilation time (a fresh JIT cache in a temporary folder, default optimization), then the
Newton iterations and wall time per energy of a sweep ε = 0.5, 1.0, 1.5, 3.0 (continuation),
and the largest change of γ that θ, κ make.  Not run by the tests.

    docker/env run -- python3 benchmarks/usadel_extrinsic.py [--large]
"""

from __future__ import annotations

import argparse
import tempfile
import time

import numpy as np
from mpi4py import MPI

from kinetics.geometry import layered_box
from kinetics.solvers.jit import jit_options
from kinetics.usadel.problem import Reservoir, UsadelProblem, UsadelRegion

ENERGIES = (0.5, 1.0, 1.5, 3.0)


def run(theta, kappa, cells, comm, say):
    dev = layered_box([16.0, 5.0], list(cells), length_unit=1.0, comm=comm)
    reg = UsadelRegion(delta=1.688, D=1.0, theta=theta, kappa=kappa, tau_so=4.0)
    with tempfile.TemporaryDirectory() as cache:
        opts = {**jit_options(), "cache_dir": cache}
        t0 = time.perf_counter()
        up = UsadelProblem(dev, {"film": reg}, {"xmin": Reservoir(), "xmax": Reservoir()},
                           eta=1e-3, degree=1, jit_options=opts)
        setup = time.perf_counter() - t0
    say(f"theta = {theta}, kappa = {kappa}: {up.unknowns} unknowns, set-up incl. compilation "
        f"{setup:.1f} s")
    out = []
    for i, eps in enumerate(ENERGIES):
        t0 = time.perf_counter()
        up.sweep([eps], initial="auto" if i == 0 else None)
        wall = time.perf_counter() - t0
        say(f"  eps = {eps}: {up.iterations} Newton its, {wall:.2f} s")
        out.append(up.u.x.array.copy())
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", action="store_true")
    args = parser.parse_args()
    comm = MPI.COMM_WORLD

    def say(*a):
        if comm.rank == 0:
            print(*a, flush=True)
    cells = (200, 60) if args.large else (96, 24)
    plain = run(0.0, 0.0, cells, comm, say)
    soc = run(0.01, 0.005, cells, comm, say)
    for eps, a, b in zip(ENERGIES, plain, soc):
        change = comm.allreduce(np.abs(a - b).max(initial=0.0), op=MPI.MAX)
        size = comm.allreduce(np.abs(a).max(initial=0.0), op=MPI.MAX)
        say(f"eps = {eps}: max |u(theta, kappa) - u(0)| = {change:.3e} (max |u| {size:.3f})")


if __name__ == "__main__":
    main()
