"""kinetics solver benchmarks: one command, a markdown table and a plot.

    docker/env run -- python3 benchmarks/run.py --quick     # ~1 minute, up to 1.5e5 unknowns
    docker/env run -- python3 benchmarks/run.py             # full: up to 1.1e6 unknowns, ~6 min

Every measurement runs in a fresh process (benchmarks/worker.py); the 2-rank parts are
launched by this script as ``mpirun -n 2 python3 benchmarks/worker.py ...`` (run it inside
the environment, as above: ``mpirun`` is the environment's).  Results go to
``benchmarks/RESULTS.md`` (tables and the targets of issue 7), ``benchmarks/results.png``
and ``benchmarks/results.json`` (raw numbers), or to ``--out DIR``.

Parts (``--parts``, default all):

``size``     time per unknown by phase (mesh, forms/JIT, assembly, preconditioner set-up,
             Krylov solve) from 1e4 to ≥ 1e6 unknowns, peak memory per unknown, iteration
             counts, and the limit: the coupled solve against 4 scalar AMG Poisson solves
             (CG + BoomerAMG, same mesh, same tolerance 1e-10).
``scaling``  strong (largest case) and weak (half of it per rank) scaling on 1 and 2 ranks.
``params``   iteration counts over the physical parameter range.
``sweep``    36-direction SMR scans (3D iterative, 2D direct) against one solve and against
             independent solves.

Timings of set-up and solve are the minimum of ``--repeat`` runs; the machine load is
recorded before and after every measurement (the machine has 2 cores: a load above ~1
from other jobs inflates times).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from worker import unknowns_for  # noqa: E402

QUICK = {"sizes": [0.75, 1.0, 1.5, 2.0], "params_k": 1.0, "sweep_k": 1.5, "sweep_2d_k": 1.5,
         "scaling_k": 2.0, "scaling_launches": 1, "profile_h": 25e-9}
FULL = {"sizes": [1.0, 1.5, 2.0, 3.0, 4.0], "params_k": 2.0, "sweep_k": 4.0, "sweep_2d_k": 1.5,
        "scaling_k": 4.0, "scaling_launches": 3, "profile_h": 12e-9}


def log(*args):
    print(*args, flush=True)


def run_worker(task: str, params: dict, ranks: int = 1, timeout: float = 3600.0) -> dict:
    cmd = [sys.executable, str(HERE / "worker.py"), task, json.dumps(params)]
    if ranks > 1:
        cmd = ["mpirun", "-n", str(ranks)] + cmd
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "OMP_NUM_THREADS": "1"})
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"benchmark worker failed ({' '.join(cmd)}):\n"
                           f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    out = json.loads(lines[-1][len("RESULT "):])
    out["wall"] = time.perf_counter() - t0
    return out


def k_for_unknowns(target: float) -> float:
    """Scale k of the benchmark film with about ``target`` unknowns."""
    lo, hi = 0.25, 12.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if unknowns_for(mid) < target else (lo, mid)
    return round(0.5 * (lo + hi), 4)


# ---------------------------------------------------------------------------- parts
def part_size(cfg, repeat):
    rows = []
    for k in cfg["sizes"]:
        log(f"  size k={k} (~{unknowns_for(k):,} unknowns)")
        rows.append(run_worker("solve", {"k": k, "poisson": True, "repeat": repeat}))
        r = rows[-1]
        log(f"    {r['unknowns']:,} unknowns: setup {r['setup']:.3f} s, solve {r['solve']:.3f} s "
            f"({r['iterations']} its), 4x Poisson {4 * (r['poisson']['setup'] + r['poisson']['solve']):.3f} s, "
            f"peak {r['peak_mb']:.0f} MB, load {r['load_before']:.2f}")
    return rows


def part_scaling(cfg, repeat, ranks):
    k = cfg["scaling_k"]
    out = {"strong": [], "weak": []}
    # the VM's second core is intermittently busy with other work: launch each size
    # ``cfg["scaling_launches"]`` times, alternating, and keep the fastest launch
    best = {}
    for launch in range(cfg.get("scaling_launches", 1)):
        for n in (1, ranks):
            log(f"  strong k={k} on {n} rank(s), launch {launch + 1}")
            r = run_worker("solve", {"k": k, "repeat": repeat, "poisson": True}, ranks=n)
            if n not in best or r["setup"] + r["solve"] < best[n]["setup"] + best[n]["solve"]:
                best[n] = r
    out["strong"] = [best[1], best[ranks]]
    k1 = k_for_unknowns(unknowns_for(k) / ranks)
    log(f"  weak: k={k1} on 1 rank, k={k} on {ranks}")
    out["weak"].append(run_worker("solve", {"k": k1, "repeat": repeat}, ranks=1))
    out["weak"].append(out["strong"][-1])
    return out


def part_params(cfg, only=None):
    log(f"  params k={cfg['params_k']}")
    params = {"k": cfg["params_k"], "check_direct": True}
    if only:
        params["only"] = only
    return run_worker("params", params)


def part_profile(cfg, ranks):
    """Phases of the demo's Hall bar (P2): warm and cold JIT cache, 1 and ``ranks`` ranks."""
    out = []
    # an untimed run first fills the JIT cache, so that "warm" means warm
    subprocess.run([sys.executable, str(HERE / "profile_run.py"), "--json", "--degree", "2",
                    "--h", str(cfg["profile_h"]), "--sweep", "1"], capture_output=True,
                   timeout=3600)
    for n, cold in ((1, True), (1, False), (ranks, False)):
        log(f"  profile: {n} rank(s), {'cold' if cold else 'warm'} JIT cache")
        cmd = [sys.executable, str(HERE / "profile_run.py"), "--json", "--degree", "2"]
        cmd += ["--h", str(cfg["profile_h"])] + (["--cold"] if cold else [])
        if n > 1:
            cmd = ["mpirun", "-n", str(n)] + cmd
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
        if proc.returncode != 0 or not lines:
            raise RuntimeError(f"profile failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
        r = json.loads(lines[-1][len("RESULT "):])
        r["load_before"] = os.getloadavg()[0]
        out.append(r)
    return out


def part_sweep(cfg):
    out = []
    log(f"  sweep 3D k={cfg['sweep_k']}")
    out.append(run_worker("sweep", {"k": cfg["sweep_k"], "preset": "auto"}))
    log(f"  sweep 2D k={cfg['sweep_2d_k']}")
    out.append(run_worker("sweep", {"k": cfg["sweep_2d_k"], "dim": 2, "preset": "auto"}))
    for r in out:
        log(f"    {r['dim']}D {r['preset']} {r['unknowns']:,}: one solve {r['one_solve']:.2f} s, "
            f"36 directions {r['sweep']:.2f} s ({r['sweep'] / r['one_solve']:.2f}x)")
    return out


# ---------------------------------------------------------------------------- report
def fmt(v, d=2):
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{d}f}"


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def limit_ratio(r):
    p = r["poisson"]
    return (r["setup"] + r["solve"]) / (4 * (p["setup"] + p["solve"]))


def limit_ratio_assembly(r):
    p = r["poisson"]
    return ((r["assemble"] + r["setup"] + r["solve"])
            / (4 * (p["assemble"] + p["setup"] + p["solve"])))


def targets(data):
    rows = []
    size = data.get("size") or []
    if size:
        big = max(size, key=lambda r: r["unknowns"])
        ratio = limit_ratio(big)
        rows.append(["coupled solve ≤ 1.5x 4 scalar AMG Poisson solves (≥ 1e6 unknowns)",
                     f"{ratio:.2f}x at {big['unknowns']:,} (with assembly: "
                     f"{limit_ratio_assembly(big):.2f}x)",
                     "yes" if ratio <= 1.5 and big["unknowns"] >= 1e6 else
                     ("yes (size < 1e6: quick run)" if ratio <= 1.5 else "**no**")])
        small = min(size, key=lambda r: r["unknowns"])
        # 4x refinement in h = 64x the unknowns: compare sizes N and ~N/64
        pairs = [(a, b) for a in size for b in size if 40 <= b["unknowns"] / a["unknowns"] <= 100]
        if pairs:
            a, b = max(pairs, key=lambda p: p[1]["unknowns"])
        else:
            a, b = small, big
        growth = b["iterations"] / a["iterations"] - 1
        rows.append(["iterations grow ≤ 20 % over a 4x refinement",
                     f"{a['iterations']} → {b['iterations']} ({a['unknowns']:,} → "
                     f"{b['unknowns']:,} unknowns, {growth * 100:+.0f} %)",
                     "yes" if growth <= 0.2 else "**no**"])
        per = big["peak_mb"] * 2**20 / big["unknowns"]
        rows.append(["peak memory ≤ 2 kB per unknown",
                     f"{per / 1024:.2f} kB at {big['unknowns']:,} (whole process)",
                     "yes" if per <= 2048 else "**no**"])
    sc = data.get("scaling")
    if sc:
        t1, t2 = (r["setup"] + r["solve"] for r in sc["strong"])
        a1, a2 = (r["first_solve"] for r in sc["strong"])
        rows.append(["2-rank speed-up ≥ 1.7 on the largest case",
                     f"{t1 / t2:.2f} (set-up + solve), {a1 / a2:.2f} (assembly + solve) at "
                     f"{sc['strong'][0]['unknowns']:,}", "yes" if t1 / t2 >= 1.7 else "**no**"])
    sw = data.get("sweep")
    if sw:
        for r in sw:
            ratio = r["sweep"] / r["one_solve"]
            rows.append([f"36-direction SMR sweep ≤ 5x one solve ({r['dim']}D, {r['preset']})",
                         f"{ratio:.2f}x at {r['unknowns']:,}", "yes" if ratio <= 5 else "**no**"])
    return rows


def write_report(data, out: Path):
    lines = ["# kinetics solver benchmarks", ""]
    m = data["machine"]
    lines += [f"Run {m['date']} on {m['host']} ({m['cpus']} cores, {m['mem_gb']:.0f} GB), "
              f"dolfinx {m.get('dolfinx', '?')}, commit `{m['commit']}`, mode `{data['mode']}`, "
              f"command `{data['command']}`.  Load average at start {m['load_start']:.2f}, "
              f"at end {m.get('load_end', float('nan')):.2f}; every row lists the load before "
              f"its measurement (2 cores: a load above ~1 from other jobs inflates the times).",
              "", "Benchmark device: Pt film (6 nm, graded layers) on a magnetic insulator, "
              "1000 x 500 nm, tetrahedra, contacts at both ends, Hall probes on the sides, "
              "library Pt (θ_SH 0.11, λ_sf 1.5 nm) and G_r = 4e14 Ω⁻¹m⁻², m = (0.6, 0.48, 0.64)."
              "  Preset `iterative` (GMRES + the spin-charge block preconditioner, rtol 1e-10).",
              "", "## Targets (issue 7)", "",
              table(["target", "measured", "met"], targets(data)), ""]
    size = data.get("size")
    if size:
        lines += ["## Coupled solve against the scalar limit (a)", "",
                  "Coupled: preconditioner set-up + GMRES solve of the 4-field problem.  "
                  "Limit: 4 x (BoomerAMG set-up + CG solve) of a scalar P1 Poisson problem on "
                  "the same mesh (Dirichlet at both ends, same rtol).  Minimum of the repeats.",
                  "", table(["unknowns", "set-up s", "solve s", "its", "Poisson set-up s",
                             "Poisson solve s", "Poisson its", "ratio", "ratio incl. assembly",
                             "load"],
                            [[f"{r['unknowns']:,}", fmt(r["setup"], 3), fmt(r["solve"], 3),
                              r["iterations"], fmt(r["poisson"]["setup"], 3),
                              fmt(r["poisson"]["solve"], 3), r["poisson"]["iterations"],
                              f"{limit_ratio(r):.2f}", f"{limit_ratio_assembly(r):.2f}",
                              fmt(r["load_before"])] for r in size]), ""]
        lines += ["## Time per unknown by phase (c) and memory (e)", "",
                  "Microseconds per unknown (1 rank); `first solve` is what `problem.solve()` "
                  "costs the first time (assembly, interface part, right-hand side, set-up, "
                  "solve).  Peak memory: the whole process (mesh, forms, matrix, "
                  "preconditioner, vectors), VmHWM.", "",
                  table(["unknowns", "mesh", "forms+JIT", "assembly", "set-up", "solve",
                         "first solve", "iterations", "peak MB", "kB/unknown",
                         "kB/unknown above imports", "matrix nnz/row"],
                        [[f"{r['unknowns']:,}"] + [fmt(1e6 * r[k] / r["unknowns"], 2) for k in
                                                     ("mesh", "forms", "assemble", "setup",
                                                      "solve", "first_solve")]
                         + [r["iterations"], fmt(r["peak_mb"], 0),
                            fmt(r["peak_mb"] * 1024 / r["unknowns"], 2),
                            fmt((r["peak_mb"] - r["base_mb"]) * 1024 / r["unknowns"], 2),
                            fmt(r["matrix_nonzeros"] / r["unknowns"], 1)] for r in size]), ""]
    sc = data.get("scaling")
    if sc:
        rows = []
        for kind in ("strong", "weak"):
            for r in sc[kind]:
                rows.append([kind, r["ranks"], f"{r['unknowns']:,}", fmt(r["assemble"], 2),
                             fmt(r["setup"], 3), fmt(r["solve"], 3), r["iterations"],
                             fmt(r["first_solve"], 2), fmt(r["load_before"])])
        s1, s2 = sc["strong"]
        w1, w2 = sc["weak"]
        p1, p2 = s1.get("poisson"), s2.get("poisson")
        ref = ""
        if p1 and p2:
            ref = (f"  The scalar limit on the same mesh, 4 x Poisson AMG: "
                   f"{4 * (p1['setup'] + p1['solve']):.2f} s on 1 rank ({p1['iterations']} its), "
                   f"{4 * (p2['setup'] + p2['solve']):.2f} s on {s2['ranks']} "
                   f"({p2['iterations']} its): speed-up "
                   f"{(p1['setup'] + p1['solve']) / (p2['setup'] + p2['solve']):.2f}.")
        lines += ["## Scaling on 1 and 2 ranks (b)", "",
                  f"Strong: the largest case, fastest of {data.get('scaling_launches', 1)} "
                  "launches per rank count (alternating; the VM's second core is at times "
                  "busy with other work).  Weak: half the unknowns on 1 rank.", "",
                  table(["kind", "ranks", "unknowns", "assembly s", "set-up s", "solve s", "its",
                         "first solve s", "load"], rows), "",
                  f"Strong speed-up (set-up + solve): "
                  f"{(s1['setup'] + s1['solve']) / (s2['setup'] + s2['solve']):.2f}; "
                  f"first solve incl. assembly: {s1['first_solve'] / s2['first_solve']:.2f}.  "
                  f"Weak efficiency (set-up + solve): "
                  f"{(w1['setup'] + w1['solve']) / (w2['setup'] + w2['solve']):.2f}." + ref, ""]
    pr = data.get("params")
    if pr:
        lines += ["## Iterations over the parameter range (d)", "",
                  f"{pr['cases'][0]['unknowns']:,} unknowns (k = {pr['k']}), preset "
                  "`iterative`; `vs MUMPS`: relative l2 difference of the solution vector "
                  "(small cases only).", "",
                  table(["case", "unknowns", "iterations", "set-up s", "solve s", "vs MUMPS"],
                        [[c["case"], f"{c['unknowns']:,}", c["iterations"], fmt(c["setup"], 3),
                          fmt(c["solve"], 3),
                          "–" if c["rel_diff_direct"] is None else f"{c['rel_diff_direct']:.1e}"]
                         for c in pr["cases"]]), ""]
        if size:
            lines += ["Iterations against mesh size (film): " + ", ".join(
                f"{r['unknowns']:,}: {r['iterations']}" for r in size) + ".", ""]
    sw = data.get("sweep")
    if sw:
        lines += ["## SMR angular sweep, 36 directions (f)", "",
                  "In-plane scan of m (10° steps) with `set_magnetization` + `solve` and the "
                  "default reuse (interface-only matrix update, kept preconditioner or LU "
                  "factorization, recycled initial guesses), against the first solve of the "
                  "problem (assembly + set-up + solve) and against independent solves "
                  "(`reuse = \"none\"`, a fresh problem; their mean over "
                  "a few directions, times 36).  `max diff`: largest difference of R_xx or "
                  "R_xy from the independent solves, relative to the SMR amplitude "
                  "max R_xx − min R_xx.", "",
                  table(["case", "unknowns", "one solve s", "sweep s", "sweep / one",
                         "36 independent s (est.)", "iterations per direction",
                         "max diff / SMR", "load"],
                        [[f"{r['dim']}D {r['preset']}", f"{r['unknowns']:,}",
                          fmt(r["one_solve"], 2), fmt(r["sweep"], 2),
                          f"{r['sweep'] / r['one_solve']:.2f}x",
                          fmt(36 * r["independent_mean"], 1) if r["independent_mean"] else "–",
                          " ".join(str(i) for i in r["iterations"]),
                          f"{r['max_rel_diff']:.1e}", fmt(r["load_before"])] for r in sw]), ""]
    prof = data.get("profile")
    if prof:
        names = list(prof[0]["phases"])
        head = ["phase"] + [f"{r['ranks']} rank(s), {'cold' if r['cold'] else 'warm'} JIT"
                            for r in prof]
        rows = [[n] + [fmt(r["phases"].get(n), 2) for r in prof] for n in names]
        rows.append(["first solve: assembly / interface / set-up / solve"] + [
            " / ".join(fmt(r["first_solve"][k], 2) for k in ("assemble", "interface", "setup",
                                                              "solve")) for r in prof])
        rows.append(["total"] + [fmt(r["total"], 2) for r in prof])
        lines += ["## Where the time goes: the demo's Hall bar (profiling)", "",
                  f"benchmarks/profile_run.py: the pt_yig_smr Hall bar (400 nm, 4 nm Pt, P2, "
                  f"{prof[0]['unknowns']:,} unknowns, preset `{prof[0]['preset']}`), seconds; "
                  "`cold`: empty JIT cache (the first run on a machine).  See "
                  "docs/performance.md.", "", table(head, rows), ""]
    lines += ["![benchmarks](results.png)", ""]
    (out / "RESULTS.md").write_text("\n".join(lines))


def plot(data, out: Path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(2, 2, figsize=(11, 8))
    size = data.get("size") or []
    if size:
        N = [r["unknowns"] for r in size]
        ax = axes[0, 0]
        for key, label in (("assemble", "assembly"), ("setup", "PC set-up"),
                           ("solve", "GMRES solve"), ("first_solve", "first solve (total)")):
            ax.loglog(N, [1e6 * r[key] / r["unknowns"] for r in size], "o-", label=label)
        ax.loglog(N, [1e6 * (r["setup"] + r["solve"]) / r["unknowns"] for r in size], "ks-",
                  label="coupled set-up + solve")
        ax.loglog(N, [1e6 * 4 * (r["poisson"]["setup"] + r["poisson"]["solve"]) / r["unknowns"]
                      for r in size], "k--", label="4 x Poisson AMG set-up + solve (limit)")
        ax.set_xlabel("unknowns")
        ax.set_ylabel("µs per unknown")
        ax.set_title("time per unknown (1 rank)")
        ax.legend(fontsize=8)
        ax = axes[0, 1]
        ax.semilogx(N, [r["iterations"] for r in size], "o-", label="coupled (GMRES)")
        ax.semilogx(N, [r["poisson"]["iterations"] for r in size], "s--", label="Poisson (CG)")
        pr = data.get("params")
        if pr:
            for c in pr["cases"]:
                ax.plot([c["unknowns"]], [c["iterations"]], "x", color="gray")
            ax.plot([], [], "x", color="gray", label="parameter cases")
        ax.set_ylim(0, None)
        ax.set_xlabel("unknowns")
        ax.set_ylabel("iterations to rtol 1e-10")
        ax.set_title("iterations")
        ax.legend(fontsize=8)
        ax = axes[1, 0]
        ax.semilogx(N, [r["peak_mb"] * 1024 / r["unknowns"] for r in size], "o-",
                    label="peak / unknowns")
        ax.semilogx(N, [(r["peak_mb"] - r["base_mb"]) * 1024 / r["unknowns"] for r in size],
                    "s--", label="(peak − process after imports) / unknowns")
        ax.axhline(2.0, color="r", ls=":", label="target 2 kB")
        ax.set_xlabel("unknowns")
        ax.set_ylabel("peak kB per unknown")
        ax.set_title("memory (whole process)")
        ax.legend(fontsize=8)
    sw = data.get("sweep") or []
    ax = axes[1, 1]
    for r in sw:
        ax.plot(range(1, len(r["steps"]) + 1), [t / r["one_solve"] for t in r["steps"]], "o-",
                label=f"{r['dim']}D {r['preset']}, {r['unknowns']:,}: total "
                      f"{r['sweep'] / r['one_solve']:.2f}x one solve")
    ax.set_xlabel("direction")
    ax.set_ylabel("time / one solve")
    ax.set_title("SMR sweep (36 directions)")
    if sw:
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "results.png", dpi=110)


def git_commit(repo: Path) -> str:
    """The checked-out commit (short hash, "+dirty" when files differ), read with git when
    it is installed, else from .git directly (the environment has no git)."""
    try:
        out = subprocess.run(["git", "-C", str(repo), "describe", "--always", "--dirty=+dirty"],
                             capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except OSError:
        pass
    try:
        head = (repo / ".git" / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            ref = head[5:]
            path = repo / ".git" / ref
            if path.exists():
                return path.read_text().strip()[:7]
            for line in (repo / ".git" / "packed-refs").read_text().splitlines():
                if line.endswith(" " + ref):
                    return line.split()[0][:7]
        return head[:7]
    except OSError:
        return "?"


def machine_info():
    info = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
            "host": platform.node(), "cpus": os.cpu_count(), "load_start": os.getloadavg()[0]}
    try:
        with open("/proc/meminfo") as fh:
            info["mem_gb"] = int(fh.readline().split()[1]) / 2**20
    except OSError:
        info["mem_gb"] = float("nan")
    info["commit"] = git_commit(HERE.parent)
    try:
        import dolfinx
        info["dolfinx"] = dolfinx.__version__
    except ImportError:
        pass
    return info


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (about 1 minute)")
    parser.add_argument("--parts", default="size,scaling,params,sweep,profile",
                        help="comma-separated subset of size,scaling,params,sweep,profile")
    parser.add_argument("--ranks", type=int, default=2, help="ranks of the parallel runs")
    parser.add_argument("--repeat", type=int, default=3, help="repeats (minimum is kept)")
    parser.add_argument("--out", default=str(HERE), help="output directory")
    parser.add_argument("--only", action="append", default=[],
                        help="parameter case to run (repeatable; default: all)")
    args = parser.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    data = {"mode": "quick" if args.quick else "full", "machine": machine_info(),
            "command": "python3 benchmarks/run.py " + " ".join(argv or sys.argv[1:])}
    log(f"kinetics benchmarks ({data['mode']}), load {data['machine']['load_start']:.2f}")
    t0 = time.perf_counter()
    if "size" in parts:
        log("size, limit and memory:")
        data["size"] = part_size(cfg, args.repeat)
    if "scaling" in parts:
        log("scaling:")
        data["scaling"] = part_scaling(cfg, args.repeat, args.ranks)
        data["scaling_launches"] = cfg.get("scaling_launches", 1)
    if "params" in parts:
        log("parameters:")
        data["params"] = part_params(cfg, args.only)
    if "sweep" in parts:
        log("SMR sweeps:")
        data["sweep"] = part_sweep(cfg)
    if "profile" in parts:
        log("profile of the demo geometry:")
        data["profile"] = part_profile(cfg, args.ranks)
    data["machine"]["load_end"] = os.getloadavg()[0]
    data["seconds"] = time.perf_counter() - t0
    (out / "results.json").write_text(json.dumps(data, indent=1, default=float))
    write_report(data, out)
    plot(data, out)
    log(f"done in {data['seconds']:.0f} s: {out / 'RESULTS.md'}, {out / 'results.png'}")
    for row in targets(data):
        log(f"  {row[0]}: {row[1]} -> {row[2]}")


if __name__ == "__main__":
    main()
