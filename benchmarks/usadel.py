"""Benchmark of the Usadel solver (kinetics.usadel, issue 13 stage 1): time per energy point.

Two S–N–S problems (normal wire between BCS reservoirs, energies in E_Th = ħD/L², lengths in
L): a 1D wire (P2) and a 2D strip (P1 triangles) with a phase difference.  For each the
script prints the one-off set-up time (form compilation included, unless cached), and per
energy the Newton iterations and the wall time, plus the time of one Jacobian assembly and
one LU solve of the same system for comparison.  Then the self-consistent gap
(kinetics.usadel.matsubara) of an S/N bilayer (1D, and 2D with --full-gap) at T = 0.3 T_c0:
nonlinear-GMRES iterations, Matsubara sums, Newton iterations and wall time.  Not run by
the tests.

    docker/env run -- python3 benchmarks/usadel.py [--quick]
    docker/env run -- mpirun -n 2 python3 benchmarks/usadel.py
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from mpi4py import MPI

from kinetics.geometry import layered_box
from kinetics.usadel import observables as obs
from kinetics.usadel.problem import Reservoir, UsadelProblem, UsadelRegion


def one_linear_solve(problem) -> float:
    """Wall time of one Jacobian assembly + LU factorization and solve at the current u."""
    s = problem.solver
    comm = problem.mesh.comm
    comm.Barrier()
    t = time.perf_counter()
    s._jacobian(s.snes, s._x, s._A, s._A)
    ksp = s.snes.getKSP()
    ksp.setOperators(s._A)
    b, x = s._b.duplicate(), s._x.duplicate()
    b.set(1.0)
    ksp.solve(b, x)
    comm.Barrier()
    dt = time.perf_counter() - t
    b.destroy()
    x.destroy()
    return dt


def run(name, device, energies, *, degree, phase, delta, eta):
    """Sweep an S–N–S problem on ``device`` over ``energies`` and print the timings."""
    comm = device.mesh.comm
    t0 = time.perf_counter()
    p = UsadelProblem(device, {"film": UsadelRegion()},
                      {"xmin": Reservoir(delta, -phase / 2), "xmax": Reservoir(delta, phase / 2)},
                      eta=eta, degree=degree)
    setup = time.perf_counter() - t0
    times, cpu = [], []
    last = [time.perf_counter(), time.process_time()]

    def record(prob, eps):
        now, now_cpu = time.perf_counter(), time.process_time()
        times.append(now - last[0])
        cpu.append(now_cpu - last[1])
        last[:] = [now, now_cpu]
    p.initial_guess(float(energies[0]))
    last[:] = [time.perf_counter(), time.process_time()]
    its = list(p.sweep(energies, initial=None, callback=record))
    cpu_max = comm.allreduce(float(np.mean(cpu)), op=MPI.MAX)
    lin = one_linear_solve(p)
    ndofs = p.unknowns
    lo, hi = obs.dos_extrema(p)
    if comm.rank == 0:
        t = np.array(times)
        print(f"\n{name}: {ndofs} unknowns, {comm.size} rank(s), P{degree}, set-up {setup:.2f} s")
        print(f"  energies {len(energies)}: Newton iterations per energy min/mean/max "
              f"{min(its)}/{np.mean(its):.1f}/{max(its)}")
        print(f"  wall time per energy: mean {t.mean() * 1e3:.1f} ms, max {t.max() * 1e3:.1f} ms"
              f" (CPU of the busiest rank {cpu_max * 1e3:.1f} ms); one assembly + LU solve "
              f"{lin * 1e3:.1f} ms")
        print(f"  DOS range at the last energy: [{lo:.4f}, {hi:.4f}]", flush=True)
    p.destroy()


def self_consistent(name, device, temperature):
    """The self-consistent gap of an S/N bilayer on ``device`` (regions S, N; T_c0 = 1,
    energies in T_c0, lengths in ξ = √(ħD/T_c0))."""
    from kinetics.usadel import matsubara as ms
    comm = device.mesh.comm
    p = UsadelProblem(device, {"S": UsadelRegion(tc0=1.0), "N": UsadelRegion()}, eta=1e-3,
                      delta_field=True)
    t = time.perf_counter()
    sol = ms.self_consistent_gap(p, temperature, tol=1e-9)
    dt = time.perf_counter() - t
    ndofs = p.unknowns
    if comm.rank == 0:
        print(f"\n{name}: {ndofs} unknowns, {comm.size} rank(s), T = {temperature} T_c0, "
              f"{sol.frequencies} Matsubara frequencies")
        print(f"  {sol.iterations} NGMRES iterations, {sol.matsubara_sums} sums, "
              f"{sol.newton_iterations} Newton iterations "
              f"({sol.newton_iterations / (sol.matsubara_sums * sol.frequencies):.2f} per "
              f"frequency), {dt:.1f} s; max Δ = {sol.max_delta:.6f} (bulk "
              f"{ms.bcs_gap(temperature, 1.0):.6f})", flush=True)
    p.destroy()


def energy_parallel(nx, ny, energies):
    """Wall time of a 2D S–N–S DOS sweep with the energies over one group of all ranks
    against one group per rank (kinetics.usadel.parallel); run under mpirun."""
    from kinetics.usadel.parallel import parallel_sweep
    comm = MPI.COMM_WORLD
    if comm.size < 2:
        return

    def build(sub):
        dev = layered_box([1.0, 0.5], [nx, ny], length_unit=1.0, cell_type="triangle",
                          comm=sub)
        return UsadelProblem(dev, {"film": UsadelRegion()},
                             {"xmin": Reservoir(100.0, -0.5), "xmax": Reservoir(100.0, 0.5)},
                             eta=1e-3, degree=1)
    pts = np.array([[0.5, 0.25, 0.0]])
    build(MPI.COMM_SELF).destroy()                # compile once (cached for both runs)
    times = {}
    for groups in (1, comm.size):
        comm.Barrier()
        t = time.perf_counter()
        parallel_sweep(build, energies, lambda p, e: obs.dos_at(p, pts), groups=groups)
        comm.Barrier()
        times[groups] = time.perf_counter() - t
    if comm.rank == 0:
        print(f"\nenergy-parallel 2D S-N-S ({nx}x{ny}, {len(energies)} energies, {comm.size} "
              f"ranks): 1 group {times[1]:.2f} s, {comm.size} groups {times[comm.size]:.2f} s, "
              f"speed-up {times[1] / times[comm.size]:.2f}", flush=True)


def strip(nodes: int, comm):
    """A 1 × 0.25 P1 triangle strip with about ``nodes`` nodes (4:1 cells)."""
    ny = max(1, int(round((nodes / 4) ** 0.5)) - 1)
    return layered_box([1.0, 0.25], [4 * ny + 3, ny], length_unit=1.0, cell_type="triangle",
                       comm=comm)


def peak_memory_mb(comm) -> float:
    """Sum over the ranks of each process's peak resident memory (MB, Linux ru_maxrss)."""
    import resource
    return comm.allreduce(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)


def large(nodes: int, n_energies: int, block: int, start: int, small: int):
    """The issue's size (a 2D S–N–S strip of ``nodes`` P1 nodes, ``n_energies`` energies on
    [0, 8] E_Th): the energies ``start`` … ``start + block − 1`` of that grid, on all ranks
    as one group (spatial parallelism) and, on 2+ ranks, as one group per rank (energy
    parallelism, each group its own mesh copy); and the whole grid on a mesh of ``small``
    nodes for the Newton iterations of every energy with continuation at that spacing."""
    from kinetics.usadel.parallel import parallel_sweep
    comm = MPI.COMM_WORLD
    grid = np.linspace(0.0, 8.0, n_energies)
    run(f"2D SNS strip, all {n_energies} energies (mesh of ~{small} nodes)",
        strip(small, comm), grid, degree=1, phase=np.pi / 2, delta=100.0, eta=1e-3)
    sel = grid[start:start + block]
    run(f"2D SNS strip ~{nodes} nodes, energies {start}-{start + block - 1} of {n_energies} "
        f"({sel[0]:.2f}-{sel[-1]:.2f} E_Th)", strip(nodes, comm), sel, degree=1,
        phase=np.pi / 2, delta=100.0, eta=1e-3)
    mem = peak_memory_mb(comm)
    if comm.rank == 0:
        print(f"  peak resident memory (sum over ranks): {mem:.0f} MB", flush=True)
    if comm.size < 2:
        return

    def build(sub):
        return UsadelProblem(strip(nodes, sub), {"film": UsadelRegion()},
                             {"xmin": Reservoir(100.0, -np.pi / 4),
                              "xmax": Reservoir(100.0, np.pi / 4)}, eta=1e-3, degree=1)
    pts = np.array([[0.5, 0.125, 0.0]])
    comm.Barrier()
    t = time.perf_counter()
    parallel_sweep(build, sel, lambda p, e: obs.dos_at(p, pts), groups=comm.size)
    comm.Barrier()
    dt = time.perf_counter() - t
    if comm.rank == 0:
        print(f"  energy-parallel, {comm.size} groups of 1 rank: {dt:.1f} s for {block} "
              f"energies (set-up included)", flush=True)


def main():
    """Run the 1D and 2D benchmarks (``--quick``: small meshes, 11 energies; ``--large``:
    the issue's 5·10⁴-node, 200-energy S–N–S row, see :func:`large`)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller meshes and fewer energies")
    ap.add_argument("--large", action="store_true",
                    help="only the issue's 5e4-node row (a block of its 200 energies)")
    ap.add_argument("--block", type=int, default=8, help="energies of the large row solved")
    ap.add_argument("--start", type=int, default=60, help="first energy index of the block")
    ap.add_argument("--small", type=int, default=2500,
                    help="nodes of the mesh that runs the whole energy grid (large row)")
    args = ap.parse_args()
    comm = MPI.COMM_WORLD
    if args.large:
        large(50_000, 200, args.block, args.start, args.small)
        return
    n1, (nx, ny), ne = (100, (30, 15), 11) if args.quick else (400, (50, 25), 21)
    run("1D SNS wire", layered_box([1.0], [n1], length_unit=1.0, comm=comm),
        np.linspace(0.0, 8.0, ne), degree=2, phase=0.0, delta=100.0, eta=1e-3)
    run("2D SNS strip", layered_box([1.0, 0.5], [nx, ny], length_unit=1.0,
                                    cell_type="triangle", comm=comm),
        np.linspace(0.0, 8.0, ne), degree=1, phase=np.pi / 2, delta=100.0, eta=1e-3)
    self_consistent("1D S/N bilayer", layered_box([1.0], [1], [("S", 2.0, 40), ("N", 1.0, 20)],
                                                  axes="x", length_unit=1.0, comm=comm), 0.3)
    energy_parallel(nx, ny, np.linspace(0.0, 8.0, ne))
    if not args.quick:
        self_consistent("2D S/N bilayer", layered_box(
            [2.0, 1.0], [20, 1], [("S", 2.0, 20), ("N", 1.0, 10)], axes="xy",
            length_unit=1.0, cell_type="triangle", comm=comm), 0.3)


if __name__ == "__main__":
    main()
