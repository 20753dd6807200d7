"""One benchmark measurement in a fresh process (run by benchmarks/run.py, under mpirun).

    python3 benchmarks/worker.py TASK '{"json": "parameters"}'

prints one line ``RESULT {json}`` on rank 0.  Tasks:

``solve``    the coupled 4-field problem on the benchmark film: phases (mesh, forms/JIT,
             assembly, preconditioner set-up, Krylov solve), iterations, peak memory; and
             optionally 4 scalar AMG Poisson solves on the same mesh (the limit).
``sweep``    an angular SMR scan (36 directions) with the default reuse versus one solve
             and versus independent solves, with the largest difference of the measured
             resistances.
``params``   iteration counts over the physical parameter range.

Timings of set-up and solve are the minimum of ``repeat`` runs on the assembled matrix
(fresh preconditioner each time); the first run also gives the peak memory.
"""

from __future__ import annotations

import json
import os
import sys
import time

import numpy as np
from mpi4py import MPI

comm = MPI.COMM_WORLD


def peak_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM), MB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024.0
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def rss_mb() -> float:
    """Current resident memory of this process (VmRSS), MB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def barrier_time():
    comm.barrier()
    return time.perf_counter()


# ---------------------------------------------------------------------------- devices
def cells_for(k: float, lateral=(1000e-9, 500e-9)):
    """Cells (nx, ny, nz) of the benchmark film at scale k (k = 1: 32 x 16 x 8)."""
    return int(round(32 * k)), int(round(16 * k)), int(round(8 * k))


def unknowns_for(k: float) -> int:
    nx, ny, nz = cells_for(k)
    return 4 * (nx + 1) * (ny + 1) * (nz + 1)


def film_device(k: float, *, thickness=6e-9, cell_type="tetrahedron", layers=None, dim=3):
    """Pt film on a magnetic insulator (bottom face), 1000 x 500 nm, nm-thin, graded layers."""
    from kinetics.geometry import layered_box
    nx, ny, nz = cells_for(k)
    if dim == 2:
        return layered_box([1000e-9, thickness], [nx * ny // 4, nz * 4],
                           layers=layers or [("pt", thickness, nz * 4)], axes="xz",
                           cell_type="triangle" if cell_type == "tetrahedron" else "quadrilateral",
                           comm=comm)
    return layered_box([1000e-9, 500e-9, thickness], [nx, ny, nz],
                       layers=layers or [("pt", thickness, nz)], cell_type=cell_type,
                       grading=0.3, comm=comm)


def film_problem(dev, *, theta=0.11, lambda_sf=1.5e-9, G_r=4e14, G_i=0.0, m=(0.6, 0.48, 0.64),
                 solver="auto", petsc_options=None, materials=None, probes=True):
    import kinetics
    from kinetics.physics.boundaries import Contact, FloatingProbe, MagneticInterface
    from kinetics.models.spin_charge import SpinChargeProblem
    mats = materials or {"pt": kinetics.materials.get("Pt", theta_sh=theta, lambda_sf=lambda_sf)}
    bcs = [Contact("xmin", V=1e-3), Contact("xmax", V=0.0),
           MagneticInterface("zmin", G_r=G_r, G_i=G_i, m=np.asarray(m) / np.linalg.norm(m))]
    if probes and dev.dim == 3:
        bcs += [FloatingProbe("ymin"), FloatingProbe("ymax")]
    return SpinChargeProblem(dev, mats, bcs, solver=solver, petsc_options=petsc_options)


# ---------------------------------------------------------------------------- tasks
def _coupled_timings(problem, repeat: int):
    """(setup, solve, iterations) of the coupled solve on the assembled operator, min of
    ``repeat`` fresh preconditioners (the problem's own first solve included)."""
    from kinetics.solvers.system import assemble_rhs
    best = (problem.timings["setup"], problem.timings["solve"])
    its = problem.solver.iterations
    b = assemble_rhs(problem.L_form, problem.a_form, problem.bcs)
    x = b.duplicate()
    for _ in range(repeat - 1):
        solver = problem.make_solver()
        solver.set_operator(problem.operator)
        x.set(0.0)
        comm.barrier()
        solver.solve(b, x)
        t = (solver.timings["setup"], solver.timings["solve"])
        t = tuple(comm.allreduce(v, op=MPI.MAX) for v in t)
        if sum(t) < sum(best):
            best = t
            its = solver.iterations
        solver.destroy()
    x.destroy()
    b.destroy()
    return best[0], best[1], its


def poisson_timings(dev, repeat: int, options: dict | None = None):
    """4 x (AMG set-up + CG solve) of a scalar P1 Poisson problem on the device's mesh
    (Dirichlet at xmin and xmax, rtol 1e-10 like the coupled solve): min of ``repeat``."""
    import ufl
    from dolfinx import fem
    from dolfinx.fem import petsc as fpetsc
    from petsc4py import PETSc

    from kinetics.solvers.system import assemble_rhs
    V = fem.functionspace(dev.mesh, ("Lagrange", 1))
    u, v = ufl.TrialFunction(V), ufl.TestFunction(V)
    fdim = dev.dim - 1
    facets = np.concatenate([dev.facet_tags.find(dev.boundary_tag(n)) for n in ("xmin", "xmax")])
    dofs = fem.locate_dofs_topological(V, fdim, facets)
    bcs = [fem.dirichletbc(np.float64(0.0), dofs, V)]
    t0 = barrier_time()
    a = fem.form(ufl.inner(ufl.grad(u), ufl.grad(v)) * ufl.dx)
    L = fem.form(fem.Constant(dev.mesh, 1.0) * v * ufl.dx)
    t_forms = barrier_time() - t0
    t0 = barrier_time()
    A = fpetsc.assemble_matrix(a, bcs=bcs)
    A.assemble()
    t_asm = barrier_time() - t0
    b = assemble_rhs(L, a, bcs)
    x = b.duplicate()
    opts = {"ksp_type": "cg", "ksp_rtol": 1e-10, "ksp_atol": 1e-30, "pc_type": "hypre",
            "pc_hypre_type": "boomeramg", **(options or {})}
    best = None
    for r in range(repeat):
        prefix = f"poisson{r}_"
        db = PETSc.Options()
        for k, val in opts.items():
            db[prefix + k] = val
        ksp = PETSc.KSP().create(comm)
        ksp.setOptionsPrefix(prefix)
        ksp.setOperators(A)
        ksp.setFromOptions()
        x.set(0.0)
        t0 = barrier_time()
        ksp.setUp()
        t1 = barrier_time()
        ksp.solve(b, x)
        t2 = barrier_time()
        if ksp.getConvergedReason() <= 0:
            raise RuntimeError(f"Poisson reference did not converge: {ksp.getConvergedReason()}")
        t = (t1 - t0, t2 - t1, ksp.getIterationNumber())
        if best is None or t[0] + t[1] < best[0] + best[1]:
            best = t
        ksp.destroy()
    A.destroy()
    b.destroy()
    x.destroy()
    return {"unknowns": V.dofmap.index_map.size_global, "forms": t_forms, "assemble": t_asm,
            "setup": best[0], "solve": best[1], "iterations": best[2]}


def task_solve(p):
    """The coupled problem at scale p["k"]; phases, iterations, memory; Poisson limit."""
    import dolfinx
    import kinetics.models.spin_charge  # noqa: F401  (the baseline includes every import)
    base = comm.allreduce(rss_mb(), op=MPI.SUM)
    t0 = barrier_time()
    dev = film_device(p["k"], cell_type=p.get("cell", "tetrahedron"), dim=p.get("dim", 3))
    t_mesh = barrier_time() - t0
    t0 = barrier_time()
    problem = film_problem(dev, solver=p.get("preset", "iterative"),
                           petsc_options=p.get("options"))
    t_forms = barrier_time() - t0
    t0 = barrier_time()
    sol = problem.solve()
    t_first = barrier_time() - t0
    peak = comm.allreduce(peak_rss_mb(), op=MPI.SUM)
    ph = {k: comm.allreduce(v, op=MPI.MAX) for k, v in problem.timings.items()}
    setup, solve, its = _coupled_timings(problem, p.get("repeat", 3))
    # observables once (their forms are compiled on first use)
    from kinetics import observables as ob
    t0 = barrier_time()
    current = ob.contact_current(sol, "xmin")
    t_obs = barrier_time() - t0
    out = {"k": p["k"], "ranks": comm.size, "unknowns": problem.num_dofs,
           "cells": dev.mesh.topology.index_map(dev.dim).size_global,
           "preset": problem.solver_preset, "mesh": t_mesh, "forms": t_forms,
           "first_solve": t_first, "assemble": ph["assemble"] + ph["interface"],
           "rhs": ph["rhs"], "setup": setup, "solve": solve, "iterations": its,
           "first_iterations": sol.iterations, "observable": t_obs, "current": current,
           "peak_mb": peak, "base_mb": base, "dolfinx": dolfinx.__version__,
           "matrix_nonzeros": problem.operator.getInfo()["nz_used"]}
    if p.get("poisson", False):
        out["poisson"] = poisson_timings(dev, p.get("repeat", 3))
    return out


def _smr(sol):
    from kinetics import observables as ob
    current = ob.contact_current(sol, "xmin")
    v_long = 1e-3
    dev = sol.problem.device
    if "ymax" in dev.boundaries:
        v_hall = ob.average_potential(sol, "ymax") - ob.average_potential(sol, "ymin")
    else:       # 2D cross-section: the potential of the top surface instead
        v_hall = ob.average_potential(sol, "zmax")
    return v_long / current, v_hall / current


def task_sweep(p):
    """36-direction in-plane SMR scan: reuse (default) vs one solve vs independent solves."""
    n = p.get("directions", 36)
    angles = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
    dirs = [(np.cos(a), np.sin(a), 0.0) for a in angles]
    dev = film_device(p["k"], dim=p.get("dim", 3))
    problem = film_problem(dev, solver=p.get("preset", "auto"), m=dirs[0])
    t0 = barrier_time()
    sol = problem.solve()
    t_one = barrier_time() - t0
    smr0 = _smr(sol)          # compiles the observable forms outside the timed sweep
    rows, its, t_steps, reused = [], [], [], []
    t_sweep = 0.0
    for m in dirs:
        t0 = barrier_time()
        problem.set_magnetization("zmin", m)
        s = problem.solve()
        dt = barrier_time() - t0
        t_sweep += dt
        t_steps.append(dt)
        its.append(s.iterations)
        reused.append(bool(problem.solver.reused))
        rows.append(_smr(s))
    peak = comm.allreduce(peak_rss_mb(), op=MPI.SUM)
    # independent solves: a fresh problem (no reuse) for a subset of the directions
    check = p.get("independent", 4)
    idx = np.linspace(0, n - 1, check).round().astype(int) if check else []
    fresh, t_fresh = [], []
    for i in idx:
        q = film_problem(dev, solver=problem.solver_preset, m=dirs[i])
        q.reuse = "none"
        t0 = barrier_time()
        s = q.solve()
        t_fresh.append(barrier_time() - t0)
        fresh.append(_smr(s))
        q.solver.destroy()
    rows = np.asarray(rows)
    rxx = rows[:, 0]
    amplitude = float(np.ptp(rxx)) or 1.0        # the SMR signal
    diff = 0.0
    for j, i in enumerate(idx):
        diff = max(diff, float(np.max(np.abs(rows[i] - np.asarray(fresh[j])))) / amplitude)
    return {"k": p["k"], "dim": dev.dim, "ranks": comm.size, "unknowns": problem.num_dofs,
            "preset": problem.solver_preset, "directions": n, "one_solve": t_one,
            "sweep": t_sweep, "steps": t_steps, "iterations": its, "reused": reused,
            "independent_mean": float(np.mean(t_fresh)) if t_fresh else None,
            "independent_checked": len(idx), "max_rel_diff": diff,
            "smr_ratio": float((rxx.max() - rxx.min()) / rxx.mean()),
            "setups": problem.solver.setups, "peak_mb": peak, "timings": problem.timings,
            "rxx0": smr0[0]}


PARAM_CASES = [
    ("Pt library (θ 0.11, λ 1.5 nm, G_r 4e14)", {}),
    ("θ_SH = 0.01", {"theta": 0.01}),
    ("θ_SH = 0.3", {"theta": 0.3}),
    ("G_r = 1e12", {"G_r": 1e12}),
    ("G_r = 1e15, G_i = 1e14", {"G_r": 1e15, "G_i": 1e14}),
    ("λ_sf = 0.5 nm", {"lambda_sf": 0.5e-9}),
    ("λ_sf = 10 nm", {"lambda_sf": 10e-9}),
    ("θ 0.3, G 1e15, λ 0.5 nm", {"theta": 0.3, "G_r": 1e15, "G_i": 1e14, "lambda_sf": 0.5e-9}),
    ("θ 0.3, G 1e15, λ 0.5 nm, 2 nm film", {"theta": 0.3, "G_r": 1e15, "G_i": 1e14,
                                           "lambda_sf": 0.5e-9, "thickness": 2e-9}),
    ("20 nm film", {"thickness": 20e-9}),
    ("m ∥ x", {"m": (1.0, 0.0, 0.0)}),
    ("m ∥ y", {"m": (0.0, 1.0, 0.0)}),
    ("Pt 3 nm / Cu 2 nm / Pt 3 nm", {"multilayer": True}),
    ("hexahedra", {"cell": "hexahedron"}),
    ("2D cross-section", {"dim": 2}),
]


def task_params(p):
    """Iterations (and times) of the iterative preset over the parameter range at scale k."""
    import kinetics
    out = []
    for label, c in PARAM_CASES:
        if p.get("only") and label not in p["only"]:
            continue
        thickness = c.get("thickness", 6e-9)
        layers, materials = None, None
        nz = cells_for(p["k"])[2]
        if c.get("multilayer"):
            t = 3e-9, 2e-9, 3e-9
            layers = [("pt", t[0], max(2, nz * 3 // 8)), ("cu", t[1], max(2, nz // 4)),
                      ("pt2", t[2], max(2, nz * 3 // 8))]
            thickness = sum(t)
            pt = kinetics.materials.get("Pt", theta_sh=0.3, lambda_sf=0.5e-9)
            materials = {"pt": pt, "cu": kinetics.materials.get("Cu"), "pt2": pt}
        dev = film_device(p["k"], thickness=thickness, layers=layers,
                          cell_type=c.get("cell", "tetrahedron"), dim=c.get("dim", 3))
        kw = {key: c[key] for key in ("theta", "lambda_sf", "G_r", "G_i", "m") if key in c}
        problem = film_problem(dev, solver="iterative", materials=materials, **kw)
        t0 = barrier_time()
        sol = problem.solve()
        total = barrier_time() - t0
        ref = None
        if p.get("check_direct") and problem.num_dofs <= 60_000:
            q = film_problem(dev, solver="direct", materials=materials, **kw)
            sq = q.solve()
            d = sol.u.x.petsc_vec.copy()
            d.axpy(-1.0, sq.u.x.petsc_vec)
            ref = d.norm() / sq.u.x.petsc_vec.norm()
            d.destroy()
        out.append({"case": label, "unknowns": problem.num_dofs, "iterations": sol.iterations,
                    "setup": problem.timings["setup"], "solve": problem.timings["solve"],
                    "total": total, "rel_diff_direct": ref})
    return {"k": p["k"], "ranks": comm.size, "cases": out}


TASKS = {"solve": task_solve, "sweep": task_sweep, "params": task_params}


def main():
    task, params = sys.argv[1], json.loads(sys.argv[2] if len(sys.argv) > 2 else "{}")
    load = os.getloadavg()[0]
    result = TASKS[task](params)
    result["load_before"] = load
    result["load_after"] = os.getloadavg()[0]
    if comm.rank == 0:
        print("RESULT " + json.dumps(result, default=float), flush=True)


if __name__ == "__main__":
    main()
