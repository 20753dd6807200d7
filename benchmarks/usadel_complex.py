"""Real 2×2 block split against Debian's complex PETSc build for the Usadel equation (issue 13).

The package solves the Riccati form of the Usadel equation (Jacobsen, Ouassou & Linder,
PRB 92, 024510 (2015); kinetics.usadel.forms and riccati.py) with 16 *real* unknowns per
point (Re/Im of γ, γ̃).  The alternative is the complex build of PETSc/dolfinx
(python3-dolfinx-complex, selected with PETSC_DIR=/usr/lib/petscdir/petsc-complex) with 8
*complex* unknowns per point.  This script solves the same problem both ways and measures:

- set-up with a fresh JIT cache and with a warm one (the difference is form compilation);
- per energy: Newton iterations, wall and CPU time (continuation in energy, same SNES
  options, MUMPS LU);
- at the last energy (minimum of 3 repeats, the machine may be shared): one Jacobian and one
  residual assembly, one MUMPS numeric factorization (what a Newton step pays), analysis +
  factorization from scratch, one forward/backward solve;
- matrix size and nonzeros, MUMPS INFOG(16)/(17) (MB, max per rank / total), INFOG(29)
  (factor entries), peak resident memory;
- the local DOS N(ε) = Re Tr g / 2 at probe points at every energy: the two forms must agree
  to --tol (default 1e-8), else the compare step exits with status 1.

The problem is the 2D S–N–S strip of benchmarks/usadel.py: a normal film [0, 1]×[0, 0.5]
(P1 triangles, 50×25 or 30×15 with --quick, lengths in L, energies in E_Th = ħD/L²) between
BCS reservoirs |Δ| = 100 E_Th with phases ∓π/4 on x = 0, 1 (Dirichlet: the bulk γ, γ̃ of
kinetics.usadel's Reservoir), η = 1e-3, energies linspace(0, 8, 21) (11 with --quick).

The two PETSc builds cannot share one interpreter, so every half runs in its own process:

    docker/env run -- python3 benchmarks/usadel_complex.py [--quick] [--ranks 2] [--keep DIR]
        (driver: runs both halves as subprocesses, then the comparison)
    docker/env run -- [mpirun -n 2] python3 benchmarks/usadel_complex.py --scalar real --out r.json
    docker/env run -- env PETSC_DIR=/usr/lib/petscdir/petsc-complex \\
        [mpirun -n 2] python3 benchmarks/usadel_complex.py --scalar complex --out c.json
    docker/env run -- python3 benchmarks/usadel_complex.py --compare r.json c.json

The complex half uses kinetics.solvers.nonlinear.NonlinearSolver unchanged (nothing in it
assumes real scalars).  MUMPS's speed depends on the BLAS (recorded in the JSON): Debian's
default is the reference BLAS; an OpenBLAS can be tried without installing it by putting
its libblas.so.3/liblapack.so.3 directory on LD_LIBRARY_PATH (and OPENBLAS_NUM_THREADS=1).
Not run by the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
from mpi4py import MPI

COMPLEX_PETSC = "/usr/lib/petscdir/petsc-complex"
#: probe points (mesh units): centre, off-centre, near a reservoir, near a corner
PROBES = np.array([[0.5, 0.25, 0.0], [0.25, 0.25, 0.0], [0.1, 0.1, 0.0], [0.75, 0.45, 0.0]])
PHASE, DELTA, ETA, DEGREE = np.pi / 2, 100.0, 1e-3, 1


def reservoirs():
    """{boundary: Reservoir} of the S–N–S strip (phase difference PHASE)."""
    from kinetics.usadel.problem import Reservoir
    return {"xmin": Reservoir(DELTA, -PHASE / 2), "xmax": Reservoir(DELTA, PHASE / 2)}


# ------------------------------------------------------------------ complex formulation
class ComplexRiccati:
    """The Riccati Usadel residual with 8 complex unknowns per point, u = (γ₁₁, γ₁₂, γ₂₁,
    γ₂₂, γ̃₁₁, γ̃₁₂, γ̃₂₁, γ̃₂₂), for a dolfinx build with complex PETSc scalars.

    Weak form (same equation as kinetics.usadel.forms, Jacobsen, Ouassou & Linder 2015):
    Σ_k ∫ D ∇u_k·∇v̄_k − ∫ S_k v̄_k = 0 with S, S̃ from ``forms.riccati_sources`` evaluated
    on complex UFL scalars.  The form is linear in conj(v) (``ufl.inner`` conjugates its
    second argument) and holomorphic in u (Δ* enters through the real-valued coefficients
    Re Δ, Im Δ), so ``ufl.derivative`` gives the complex Jacobian.  The coefficients (h, D,
    Δ in DG0), the quadrature degree 2·degree + 2, the Dirichlet data of the reservoirs and
    the harmonic initial guess are those of :class:`kinetics.usadel.problem.UsadelProblem`
    (one domain, no self-energies: the strip has none).

    Parameters: ``device`` (one normal region: D̂ = 1, Δ = 0, h = 0), ``res`` ({boundary:
    Reservoir}), ``eta`` (Dynes broadening, E_Th), ``degree``, ``jit_options`` (for
    dolfinx.fem.form).  RuntimeError if dolfinx was not built with complex scalars.
    """

    def __init__(self, device, res, *, eta, degree=DEGREE, jit_options=None):
        import dolfinx
        import ufl
        from dolfinx import fem

        from kinetics.solvers.nonlinear import NonlinearSolver
        from kinetics.usadel import forms
        from kinetics.usadel.problem import GUESS_MASS, SNES_OPTIONS
        if not np.issubdtype(dolfinx.default_scalar_type, np.complexfloating):
            raise RuntimeError("ComplexRiccati needs the complex build (PETSC_DIR="
                               f"{COMPLEX_PETSC}); dolfinx scalar is "
                               f"{dolfinx.default_scalar_type.__name__}")
        self.device, self.mesh, self.eta = device, device.mesh, eta
        msh, tdim = self.mesh, self.mesh.topology.dim
        msh.topology.create_connectivity(tdim - 1, tdim)
        self.space = V = fem.functionspace(msh, ("Lagrange", degree, (8,)))
        self.u = fem.Function(V, name="riccati")
        coef = fem.Function(fem.functionspace(msh, ("DG", 0, (6,))))
        coef.x.array.reshape(-1, 6)[:] = [0.0, 0.0, 0.0, 1.0, 0.0, 0.0]   # h, D, 1/τ_sf, 1/τ_so
        self._delta = delta = fem.Function(fem.functionspace(msh, ("DG", 0, (2,))))  # Re, Im Δ
        self._eps, self._eta = fem.Constant(msh, 0j), fem.Constant(msh, complex(eta))
        c, d, u, v = coef, delta, self.u, ufl.TestFunction(V)
        dx = ufl.Measure("dx", domain=msh, metadata={"quadrature_degree": 2 * degree + 2})
        gu = ufl.grad(u)
        gam = [[u[0], u[1]], [u[2], u[3]]]
        gam_t = [[u[4], u[5]], [u[6], u[7]]]
        dims = range(msh.geometry.dim)
        dgam = [[[gu[0, k], gu[1, k]], [gu[2, k], gu[3, k]]] for k in dims]
        dgam_t = [[[gu[4, k], gu[5, k]], [gu[6, k], gu[7, k]]] for k in dims]
        S, St = forms.riccati_sources(gam, gam_t, dgam, dgam_t, z=self._eps + 1j * self._eta,
                                      delta=forms.Cx(d[0], d[1]), h=(c[0], c[1], c[2]),
                                      D=c[3], inv_tau_sf=c[4], inv_tau_so=c[5],
                                      self_energies=False)
        src = [_as_complex(m[r][q]) for m in (S, St) for r in range(2) for q in range(2)]
        F = c[3] * ufl.inner(gu, ufl.grad(v)) * dx
        F = F - sum(ufl.inner(s, v[k]) for k, s in enumerate(src)) * dx
        self._guess = fem.Function(V, name="guess")        # bulk guess: 0 in a normal film
        Fl = (c[3] * ufl.inner(gu, ufl.grad(v))
              + GUESS_MASS * ufl.inner(u - self._guess, v)) * dx
        self.bcs, self._bc_values = [], []
        for name, r in res.items():
            facets = device.facet_tags.find(device.boundary_tag(name))
            consts = [fem.Constant(msh, 0j) for _ in range(8)]
            for i, const in enumerate(consts):
                dofs = fem.locate_dofs_topological(V.sub(i), tdim - 1, facets)
                self.bcs.append(fem.dirichletbc(const, dofs, V.sub(i)))
            self._bc_values.append((r, consts))
        self.solver = NonlinearSolver(F, u, self.bcs, options=dict(SNES_OPTIONS),
                                      jit_options=jit_options)
        self._laplace = NonlinearSolver(Fl, u, self.bcs, options=dict(SNES_OPTIONS),
                                        jit_options=jit_options)
        self.energy, self.iterations = None, 0

    def _set_energy(self, eps):
        self._eps.value = complex(eps)
        for r, consts in self._bc_values:
            g, gt = r.riccati(eps, self.eta)
            for const, val in zip(consts, np.concatenate([g.ravel(), gt.ravel()])):
                const.value = val

    def initial_guess(self, eps, kind="auto"):
        """u ← the harmonic extension of the reservoir values at ε (UsadelProblem "auto";
        ``kind`` is ignored)."""
        self._set_energy(eps)
        self.u.x.array[:] = self._guess.x.array
        self._laplace.solve()

    def nodal_riccati(self, owned=True):
        """(x, γ, γ̃) at the nodes of this rank, like UsadelProblem.nodal_riccati."""
        n = self.space.dofmap.index_map.size_local if owned else None
        arr = self.u.x.array.reshape(-1, 8)[:n]
        return (self.space.tabulate_dof_coordinates()[:n], arr[:, :4].reshape(-1, 2, 2),
                arr[:, 4:].reshape(-1, 2, 2))

    def solve(self, eps):
        """Newton at ε from the current u; the DOS-floor check of UsadelProblem.solve."""
        from kinetics.solvers.linear import SolverError
        from kinetics.usadel import riccati
        from kinetics.usadel.problem import DOS_FLOOR
        self._set_energy(eps)
        self.solver.solve()
        _, g, gt = self.nodal_riccati()
        low = self.mesh.comm.allreduce(float(riccati.dos(g, gt).min(initial=np.inf)),
                                       op=MPI.MIN)
        if low < DOS_FLOOR:
            raise SolverError(f"unphysical root at eps = {eps}", reason="UNPHYSICAL",
                              residuals=self.solver.residuals)
        self.energy, self.iterations = eps, self.solver.iterations
        return self.iterations

    def evaluate(self, points):
        """(γ, γ̃) (N, 2, 2) at points (N, 3) (mesh units), the same on every rank."""
        from kinetics.observables import locate_points
        pts, cells = locate_points(self.device, points * self.device.length_unit, "evaluate")
        out = np.full((len(pts), 8), np.nan + 0j)
        for i in range(len(pts)):
            if len(cells.links(i)):
                out[i] = self.u.eval(pts[i], [cells.links(i)[0]])
        res = np.full_like(out, np.nan)
        for g in self.mesh.comm.allgather(out):
            m = np.isnan(res[:, 0]) & ~np.isnan(g[:, 0])
            res[m] = g[m]
        return res[:, :4].reshape(-1, 2, 2), res[:, 4:].reshape(-1, 2, 2)

    def destroy(self):
        """Free the PETSc objects."""
        self.solver.destroy()
        self._laplace.destroy()


def _as_complex(x):
    """A complex UFL scalar from a :class:`kinetics.usadel.forms.Cx` whose parts are complex
    UFL expressions (Cx arithmetic is the field arithmetic over any commutative ring, so
    Cx(a, b) stands for a + ib whatever a, b are), or x itself."""
    from kinetics.usadel.forms import Cx
    if not isinstance(x, Cx):
        return x
    return x.re if isinstance(x.im, (int, float)) and x.im == 0 else x.re + 1j * x.im


# ------------------------------------------------------------------------- measuring
def _sweep(p, energies, record):
    """Newton at each energy from the previous solution (continuation; no step halving, so
    a failed solve raises kinetics.solvers.linear.SolverError: none failed on the grids
    here); record(eps, iterations, wall s, CPU s of the busiest rank) per energy."""
    comm = p.mesh.comm
    for eps in energies:
        comm.Barrier()
        t0, c0 = time.perf_counter(), time.process_time()
        its = p.solve(float(eps))
        cpu = time.process_time() - c0
        comm.Barrier()
        record(float(eps), its, time.perf_counter() - t0, comm.allreduce(cpu, op=MPI.MAX))


def _timed(comm, fn, repeats=3):
    """(wall, CPU) seconds of fn(): minima over ``repeats`` calls (barriers around each);
    CPU is the process time of the busiest rank, less sensitive to other jobs' load."""
    best, best_cpu = np.inf, np.inf
    for _ in range(repeats):
        comm.Barrier()
        t, c = time.perf_counter(), time.process_time()
        fn()
        cpu = time.process_time() - c
        comm.Barrier()
        best = min(best, time.perf_counter() - t)
        best_cpu = min(best_cpu, comm.allreduce(cpu, op=MPI.MAX))
    return best, best_cpu


def linear_costs(solver, comm) -> dict:
    """Timings (s) of one Jacobian assembly, residual assembly, MUMPS numeric factorization,
    analysis + factorization from scratch and triangular solve at the current iterate of
    a NonlinearSolver; matrix size/nonzeros and MUMPS INFOG(16), (17) (MB), (29)."""
    from petsc4py import PETSc
    s = solver
    ksp, A = s.snes.getKSP(), s._A
    b, x = s._b.duplicate(), s._x.duplicate()
    t = {"assemble_J": _timed(comm, lambda: s._jacobian(s.snes, s._x, A, A)),
         "assemble_F": _timed(comm, lambda: s._residual(s.snes, s._x, b))}
    numeric = []
    for _ in range(3):
        s._jacobian(s.snes, s._x, A, A)           # new matrix state → numeric refactorization
        ksp.setOperators(A)
        numeric.append(_timed(comm, ksp.setUp, repeats=1))
    t["lu_numeric"] = np.min(numeric, axis=0).tolist()
    b.set(1.0)
    t["lu_solve"] = _timed(comm, lambda: ksp.solve(b, x))
    fresh = []

    def full():
        k = PETSc.KSP().create(comm)
        k.setType("preonly")
        k.getPC().setType("lu")
        k.getPC().setFactorSolverType("mumps")
        k.setOperators(A)
        k.setUp()
        fresh.append(k)
    t["lu_full"] = _timed(comm, full)
    out = {**{k: v[0] for k, v in t.items()}, **{k + "_cpu": v[1] for k, v in t.items()}}
    try:
        fm = fresh[-1].getPC().getFactorMatrix()
        out["mumps_infog16_MB"] = int(fm.getMumpsInfog(16))
        out["mumps_infog17_MB"] = int(fm.getMumpsInfog(17))
        out["mumps_infog29_entries"] = int(fm.getMumpsInfog(29))
    except (AttributeError, PETSc.Error) as exc:      # older petsc4py: no getMumpsInfog
        out["mumps_info_error"] = str(exc)
    for k in fresh:
        k.destroy()
    info = A.getInfo(PETSc.Mat.InfoType.GLOBAL_SUM)
    out["matrix_rows"] = A.getSize()[0]
    out["matrix_nnz"] = int(info["nz_used"])
    out["matrix_MB"] = float(info["memory"]) / 2 ** 20 if "memory" in info else None
    b.destroy()
    x.destroy()
    return out


def worker(scalar: str, out_path: str, quick: bool, nx=None, ny=None, ne=None):
    """Build, solve and measure one half (``scalar`` "real" or "complex") on
    MPI.COMM_WORLD; write the measurements as JSON to ``out_path`` (rank 0).

    Raises
    ------
    RuntimeError
        If the PETSc build does not match ``scalar``.
    """
    import dolfinx

    from kinetics.geometry import layered_box
    from kinetics.solvers.jit import jit_options
    from kinetics.usadel import riccati
    from kinetics.usadel.problem import UsadelProblem, UsadelRegion
    comm = MPI.COMM_WORLD
    is_complex = np.issubdtype(dolfinx.default_scalar_type, np.complexfloating)
    if is_complex != (scalar == "complex"):
        raise RuntimeError(f"--scalar {scalar} but dolfinx scalar type is "
                           f"{dolfinx.default_scalar_type.__name__} (PETSC_DIR="
                           f"{os.environ.get('PETSC_DIR', 'unset')})")
    (dnx, dny), dne = ((30, 15), 11) if quick else ((50, 25), 21)    # benchmarks/usadel.py
    nx, ny, ne = nx or dnx, ny or dny, ne or dne
    energies = np.linspace(0.0, 8.0, ne)
    cache = comm.bcast(tempfile.mkdtemp(prefix="usadel_jit_") if comm.rank == 0 else None)
    jit = {**jit_options(), "cache_dir": cache}

    def build():
        dev = layered_box([1.0, 0.5], [nx, ny], length_unit=1.0, cell_type="triangle", comm=comm)
        if scalar == "real":
            return UsadelProblem(dev, {"film": UsadelRegion()}, reservoirs(), eta=ETA,
                                 degree=DEGREE, jit_options=jit)
        return ComplexRiccati(dev, reservoirs(), eta=ETA, degree=DEGREE, jit_options=jit)
    box = []
    setup = [_timed(comm, lambda: box.append(build()), 1)[0] for _ in range(2)]  # fresh, warm
    box[0].destroy()
    p = box[1]
    per_energy, dos = [], []

    def record(eps, its, dt, cpu):
        per_energy.append({"eps": eps, "its": its, "seconds": dt, "cpu": cpu})
        g, gt = p.evaluate(PROBES)
        dos.append(riccati.dos(g, gt).tolist())
    t_guess = _timed(comm, lambda: p.initial_guess(float(energies[0]), "auto"), 1)[0]
    _sweep(p, energies, record)
    lin = linear_costs(p.solver, comm)
    n = riccati.dos(*p.nodal_riccati(owned=True)[1:])
    lo, hi = comm.allreduce(n.min(), op=MPI.MIN), comm.allreduce(n.max(), op=MPI.MAX)
    rss = comm.allgather(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)  # MB
    im = p.space.dofmap.index_map
    result = {
        "scalar": scalar, "ranks": comm.size, "mesh": [nx, ny], "degree": DEGREE,
        "petsc_scalar": str(np.dtype(dolfinx.default_scalar_type)),
        "unknowns": im.size_global * p.space.dofmap.index_map_bs, "nodes": im.size_global,
        "setup_fresh_cache": setup[0], "setup_warm_cache": setup[1],
        "compile_estimate": setup[0] - setup[1], "initial_guess": t_guess,
        "energies": per_energy, "dos_probes": dos, "probes": PROBES.tolist(),
        "dos_range_last": [float(lo), float(hi)], **lin,
        "blas": sorted({ln.split()[-1] for ln in open("/proc/self/maps") if "blas" in ln}),
        "peak_rss_MB_max": max(rss), "peak_rss_MB_sum": sum(rss)}
    p.destroy()
    if comm.rank == 0:
        shutil.rmtree(cache, ignore_errors=True)
        with open(out_path, "w") as fh:
            json.dump(result, fh, indent=1)
        its = [e["its"] for e in per_energy]
        print(f"{scalar}: {result['unknowns']} unknowns on {comm.size} rank(s), set-up "
              f"{setup[0]:.2f} s (warm {setup[1]:.2f} s), Newton {sum(its)} iterations, "
              f"sweep {sum(e['seconds'] for e in per_energy):.2f} s -> {out_path}", flush=True)


# ------------------------------------------------------------------------ comparison
def _tot(r, key):
    return sum(e[key] for e in r["energies"])


def _ms(key):
    return lambda r: 1e3 * r[key]


ROWS = [  # (label, key or function of the result, format)
    ("unknowns (scalars of the build)", "unknowns", "{:d}"),
    ("matrix rows", "matrix_rows", "{:d}"),
    ("matrix nonzeros", "matrix_nnz", "{:d}"),
    ("set-up, fresh JIT cache [s]", "setup_fresh_cache", "{:.2f}"),
    ("set-up, warm JIT cache [s]", "setup_warm_cache", "{:.3f}"),
    ("compilation (difference) [s]", "compile_estimate", "{:.2f}"),
    ("initial guess (Laplace) [s]", "initial_guess", "{:.3f}"),
    ("Newton iterations total", lambda r: _tot(r, "its"), "{:d}"),
    ("Newton iterations per energy min/max",
     lambda r: (min(e["its"] for e in r["energies"]), max(e["its"] for e in r["energies"])),
     "{0[0]}/{0[1]}"),
    ("wall time per energy, median [ms]",
     lambda r: 1e3 * float(np.median([e["seconds"] for e in r["energies"]])), "{:.1f}"),
    ("sweep total [s]", lambda r: _tot(r, "seconds"), "{:.3f}"),
    ("wall time per Newton iteration [ms]",
     lambda r: 1e3 * _tot(r, "seconds") / max(1, _tot(r, "its")), "{:.1f}"),
    ("CPU per Newton iteration, busiest rank [ms]",
     lambda r: 1e3 * _tot(r, "cpu") / max(1, _tot(r, "its")), "{:.1f}"),
    ("Jacobian assembly [ms]", _ms("assemble_J"), "{:.1f}"),
    ("Jacobian assembly, CPU [ms]", _ms("assemble_J_cpu"), "{:.1f}"),
    ("residual assembly [ms]", _ms("assemble_F"), "{:.1f}"),
    ("MUMPS numeric factorization [ms]", _ms("lu_numeric"), "{:.1f}"),
    ("MUMPS numeric factorization, CPU [ms]", _ms("lu_numeric_cpu"), "{:.1f}"),
    ("MUMPS analysis + factorization [ms]", _ms("lu_full"), "{:.1f}"),
    ("LU forward/backward solve [ms]", _ms("lu_solve"), "{:.2f}"),
    ("assembly + factorization + solve [ms]",
     lambda r: 1e3 * (r["assemble_J"] + r["lu_numeric"] + r["lu_solve"]), "{:.1f}"),
    ("MUMPS INFOG(16) max/rank [MB]", "mumps_infog16_MB", "{}"),
    ("MUMPS INFOG(17) total [MB]", "mumps_infog17_MB", "{}"),
    ("MUMPS factor entries INFOG(29)", "mumps_infog29_entries", "{}"),
    ("peak RSS, sum over ranks [MB]", "peak_rss_MB_sum", "{:.0f}"),
]


def _value(r, key):
    try:
        return key(r) if callable(key) else r[key]
    except (KeyError, TypeError, ValueError):
        return None


def compare(paths, tol: float) -> int:
    """Print the markdown table of the results in ``paths`` (JSON files of :func:`worker`)
    and check that the probe DOS of every file agrees with the first one to ``tol``.
    Returns the exit status: 0 when it does, 1 otherwise (also for mismatched grids)."""
    res = [json.load(open(path)) for path in paths]
    head = [f"{r['scalar']} ({r['ranks']} rank{'s' if r['ranks'] > 1 else ''})" for r in res]
    lines = ["| quantity | " + " | ".join(head) + " | ratio last/first |",
             "|---" * (len(res) + 2) + "|"]
    for label, key, fmt in ROWS:
        vals = [_value(r, key) for r in res]
        cells = [fmt.format(v) if v is not None else "n/a" for v in vals]
        ratio = ""
        if all(isinstance(v, (int, float)) for v in (vals[0], vals[-1])) and vals[0]:
            ratio = f"{vals[-1] / vals[0]:.2f}"
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {ratio} |")
    print("\n".join(lines + [""] + [f"BLAS of {h}: {r.get('blas')}" for h, r in zip(head, res)]))
    status, ref = 0, np.array(res[0]["dos_probes"])
    e0 = [e["eps"] for e in res[0]["energies"]]
    for r in res[1:]:
        other = np.array(r["dos_probes"])
        if other.shape != ref.shape or e0 != [e["eps"] for e in r["energies"]]:
            print(f"\nFAIL: {r['scalar']} has another energy grid/probe set than "
                  f"{res[0]['scalar']}")
            status = 1
            continue
        diff = np.abs(other - ref)
        k = np.unravel_index(int(np.argmax(diff)), diff.shape)
        its_same = [e["its"] for e in r["energies"]] == [e["its"] for e in res[0]["energies"]]
        ok = bool(diff.max() <= tol)
        print(f"\nDOS at {ref.shape[1]} probes x {ref.shape[0]} energies, {r['scalar']} vs "
              f"{res[0]['scalar']}: max |dN| = {diff.max():.3e} (eps = {e0[k[0]]:g}, probe "
              f"{res[0]['probes'][k[1]][:2]}; N there {ref[k]:.6f}); tolerance {tol:g}: "
              f"{'OK' if ok else 'FAIL'}; Newton iterations per energy identical: {its_same}")
        status = status or (0 if ok else 1)
    return status


def driver(args) -> int:
    """Run the real and the complex half as subprocesses (``--ranks`` > 1: under mpirun)
    and compare them; returns the exit status."""
    outdir = args.keep or tempfile.mkdtemp(prefix="usadel_complex_")
    os.makedirs(outdir, exist_ok=True)
    paths = []
    for scalar in ("real", "complex"):
        env = {k: v for k, v in os.environ.items() if k != "PETSC_DIR"}
        env.update({"PETSC_DIR": COMPLEX_PETSC} if scalar == "complex" else {})
        path = os.path.join(outdir, f"{scalar}_np{args.ranks}.json")
        cmd = [sys.executable, os.path.abspath(__file__), "--scalar", scalar, "--out", path]
        cmd += ["--quick"] if args.quick else []
        cmd += [w for o in ("nx", "ny", "ne") if getattr(args, o)
                for w in (f"--{o}", str(getattr(args, o)))]
        if args.ranks > 1:
            cmd = ["mpirun", "-n", str(args.ranks)] + cmd
        print("+", " ".join(cmd), flush=True)
        done = subprocess.run(cmd, env=env)
        if done.returncode:
            print(f"{scalar} half failed with status {done.returncode}", file=sys.stderr)
            return done.returncode
        paths.append(path)
    status = compare(paths, args.tol)
    if not args.keep:
        shutil.rmtree(outdir, ignore_errors=True)
    return status


def main() -> int:
    """Command line (module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scalar", choices=("real", "complex"),
                    help="run one half in this process (needs the matching PETSc build)")
    ap.add_argument("--out", help="JSON output of --scalar")
    ap.add_argument("--compare", nargs="+", metavar="JSON",
                    help="table of these results (first = reference), DOS check")
    ap.add_argument("--quick", action="store_true", help="30x15 mesh, 11 energies")
    for opt in ("nx", "ny", "ne"):
        ap.add_argument(f"--{opt}", type=int, help="cells along x, y; energies in [0, 8]")
    ap.add_argument("--ranks", type=int, default=1, help="driver: MPI ranks per half")
    ap.add_argument("--keep", metavar="DIR", help="driver: keep the JSON files in DIR")
    ap.add_argument("--tol", type=float, default=1e-8, help="DOS agreement required")
    args = ap.parse_args()
    if args.compare:
        return compare(args.compare, args.tol)
    if args.scalar:
        if not args.out:
            ap.error("--scalar needs --out")
        worker(args.scalar, args.out, args.quick, args.nx, args.ny, args.ne)
        return 0
    return driver(args)


if __name__ == "__main__":
    sys.exit(main())
