"""Benchmark of the linearized Keldysh sector (kinetics.usadel.keldysh, issue 16): the cost of
the kinetic solve per energy relative to one retarded (Newton) solve, and of a temperature
sweep across T_c.

Device: a 2D superconducting strip (T_c0 = 1, θ = 0.01, κ = 0.005, τ_so = 4; lengths in
ξ_T = √(ħD/k_BT_c0), energies in k_BT_c0) between two normal reservoirs, the left one
holding a spin accumulation along z; P1 triangles.  Per energy (ε = 0.5, 1.0, 1.5, 3.0, with
``--large`` 1.0, 3.0, at T = 0.5 T_c, Δ = Δ_BCS(T)) the script prints the retarded solve
(Newton iterations, wall time), the kinetic solve split into the coefficient update at the
quadrature points and the assembly + LU, and the peak memory; then a sweep T = (0.5, 0.9, 1.1) T_c with ``--points``
energies each.  With ``--large`` the strip has about 5·10⁴ nodes; the retarded solver's
factorization is released before each kinetic solve there, so that both fit in memory.
Not run by the tests.

    docker/env run -- python3 benchmarks/keldysh.py [--large] [--points N]
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
from mpi4py import MPI

from kinetics.geometry import layered_box
from kinetics.usadel.keldysh import KineticProblem, Terminal, set_bulk_gaps
from kinetics.usadel.problem import Reservoir, UsadelProblem, UsadelRegion


def peak_memory_mb() -> float:
    """Peak resident memory of this process (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", action="store_true")
    parser.add_argument("--points", type=int, default=24)
    args = parser.parse_args()
    comm = MPI.COMM_WORLD
    cells = (400, 125) if args.large else (96, 24)
    length = (16.0, 5.0)
    t0 = time.perf_counter()
    dev = layered_box([length[0], length[1]], list(cells), length_unit=1.0, comm=comm)
    reg = UsadelRegion(tc0=1.0, D=1.0, theta=0.01, kappa=0.005, tau_so=4.0)
    up = UsadelProblem(dev, {"film": reg}, {"xmin": Reservoir(), "xmax": Reservoir()},
                       eta=1e-3, degree=1)
    kp = KineticProblem(up, {"xmin": Terminal(mu_s=(0.0, 0.0, 1.0))})
    setup = time.perf_counter() - t0
    nodes = dev.mesh.topology.index_map(0).size_global
    def say(*a, **k):
        if comm.rank == 0:
            print(*a, **{"flush": True, **k})
    say(f"strip {length[0]} x {length[1]} xi_T, {cells[0]}x{cells[1]}x2 triangles, {nodes} "
        f"nodes, {comm.size} rank(s); retarded unknowns {up.unknowns}, kinetic "
        f"{8 * nodes}; set-up (incl. compilation unless cached) {setup:.1f} s")
    gap = set_bulk_gaps(up, 0.5)["film"]
    say(f"T = 0.5 Tc: gap {gap:.4f}")
    rows = []
    for k, eps in enumerate((1.0, 3.0) if args.large else (0.5, 1.0, 1.5, 3.0)):
        comm.Barrier()
        t, c = time.perf_counter(), time.process_time()
        its = up.sweep([eps], initial="auto" if k == 0 else None)
        t_ret, c_ret = time.perf_counter() - t, time.process_time() - c
        if args.large:
            up.solver.snes.getKSP().getPC().reset()        # free the retarded factorization
        comm.Barrier()
        c = time.process_time()
        kp.solve(eps)
        c_kin = time.process_time() - c
        t_coef = comm.allreduce(kp.timings["coefficients"], op=MPI.MAX)
        t_lin = comm.allreduce(kp.timings["linear_solve"], op=MPI.MAX)
        mem = comm.allreduce(peak_memory_mb(), op=MPI.MAX)
        rows.append((eps, int(sum(its)), t_ret, t_coef, t_lin, mem, c_ret, c_kin))
        say(f"  eps {eps:4.1f}: retarded {int(sum(its))} Newton its {t_ret:7.2f} s (CPU "
            f"{c_ret:.2f}) | kinetic: coefficients {t_coef:6.2f} s, assembly + LU "
            f"{t_lin:6.2f} s (CPU {c_kin:.2f}) | peak {mem:.0f} MB")
    r = np.array(rows)
    kin = (r[:, 3] + r[:, 4]).mean()
    say(f"mean per energy: retarded {r[:, 2].mean():.2f} s, kinetic {kin:.2f} s (ratio "
        f"{kin / r[:, 2].mean():.2f}); CPU: retarded {r[:, 6].mean():.2f} s, kinetic "
        f"{r[:, 7].mean():.2f} s (ratio {r[:, 7].mean() / r[:, 6].mean():.2f})")
    if args.large:
        return
    t = time.perf_counter()
    c = time.process_time()
    for T in (0.5, 0.9, 1.1):
        set_bulk_gaps(up, T)
        ts, cs = time.perf_counter(), time.process_time()
        mu, mu_s, Y = kp.accumulations(T, points=args.points)
        say(f"  T = {T} Tc: {kp.energies_used} energies, {time.perf_counter() - ts:.1f} s "
            f"(CPU {time.process_time() - cs:.1f} s)")
    say(f"sweep of 3 temperatures: {time.perf_counter() - t:.1f} s (CPU "
        f"{time.process_time() - c:.1f} s)")
    kp.destroy()
    up.destroy()


if __name__ == "__main__":
    main()
