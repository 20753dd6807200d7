"""Benchmark of the ferromagnetic bulk model (kinetics.physics.ferromagnet): a Co/Cu/Co CPP
pillar (demos/cpp_gmr_pillar.py's stack, thinner Co) at three sizes, direct and iterative
presets.

    docker/env run -- python3 benchmarks/ferromagnet.py            # 3 sizes, up to ~1e5 unknowns
    docker/env run -- python3 benchmarks/ferromagnet.py --sizes 0  # the smallest only

Each (size, preset) runs in a fresh process (``--one``) so that the peak resident memory
(``ru_maxrss``) is its own.  Measured: set-up (mesh excluded: forms, JIT, problem), the
first solve (assembly, preconditioner or factorization, Krylov), a second solve after
``set_magnetization`` of the free layer (antiparallel: full reassembly), GMRES iterations,
peak memory per unknown, and R_AP − R_P against Valet–Fert's semi-infinite-lead closed form
as a sanity check (the layers here are finite, so only the order of magnitude is
expected to agree).  The markdown table is printed and, with ``--append``, appended to
benchmarks/RESULTS.md under a dated heading with the machine load (2 cores, shared).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: (in-plane element size h in m, cells across fixed/spacer/free)
SIZES = [(6e-9, (12, 4, 12)), (4e-9, (18, 6, 18)), (2.8e-9, (26, 8, 26))]
PRESETS = ("direct", "iterative")


def one(size: int, preset: str) -> dict:
    """Set up and solve the pillar of ``SIZES[size]`` with ``preset``; the measurements."""
    import kinetics
    from kinetics import observables
    from kinetics.analytic import gmr
    from kinetics.geometry import pillar
    from kinetics.models.spin_charge import SpinChargeProblem
    from kinetics.physics.boundaries import Contact
    h, cells = SIZES[size]
    co = kinetics.materials.get("Co")
    cu = kinetics.materials.get("Cu").with_(theta_sh=0.0)
    t_F, t_N = 60e-9, 10e-9
    dev = pillar([("fixed", t_F), ("spacer", t_N), ("free", t_F)], (30e-9, 20e-9), h=h,
                 cells_across=dict(zip(("fixed", "spacer", "free"), cells)), grading=0.8)
    t0 = time.perf_counter()
    problem = SpinChargeProblem(dev, {"fixed": co, "spacer": cu, "free": co},
                                [Contact("bottom_lead", V=1e-3), Contact("top_lead", V=0.0)],
                                degree=1, solver=preset)
    setup = time.perf_counter() - t0
    area = dev.area("fixed|spacer")
    out = {"size": size, "preset": preset, "unknowns": problem.num_dofs, "setup_s": setup}
    ra = {}
    for state, m in (("P", (0, 0, 1)), ("AP", (0, 0, -1))):
        problem.set_magnetization("free", m)
        t0 = time.perf_counter()
        try:
            sol = problem.solve()
        except Exception as exc:                       # report a failed solve in the table
            out[f"solve_{state}_s"] = None
            out["error"] = f"{type(exc).__name__}: {str(exc)[:120]}"
            break
        out[f"solve_{state}_s"] = time.perf_counter() - t0
        out[f"iterations_{state}"] = sol.iterations
        ra[state] = 1e-3 / observables.contact_current(sol, "bottom_lead") * area
    if len(ra) == 2:
        out["delta_RA_Ohm_m2"] = ra["AP"] - ra["P"]
        out["valet_fert_semi_infinite_Ohm_m2"] = gmr.cpp_gmr_delta_ra(
            t_N, co.sigma, co.beta, co.lambda_sf, cu.sigma, cu.lambda_sf)
    out["peak_rss_MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["bytes_per_unknown"] = out["peak_rss_MB"] * 2 ** 20 / problem.num_dofs
    return out


def table(rows: list[dict]) -> str:
    lines = ["| unknowns | preset | set-up s | solve P s | solve AP s | iterations P / AP | "
             "peak MB | kB per unknown | ΔR·A (fΩ m²) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        def f(key, fmt="{:.2f}"):
            v = r.get(key)
            return "failed" if v is None else fmt.format(v)
        dra = r.get("delta_RA_Ohm_m2")
        lines.append(f"| {r['unknowns']:,} | {r['preset']} | {f('setup_s')} | {f('solve_P_s')} "
                     f"| {f('solve_AP_s')} | {r.get('iterations_P', '–')} / "
                     f"{r.get('iterations_AP', '–')} | {r['peak_rss_MB']:.0f} | "
                     f"{r['bytes_per_unknown'] / 1e3:.1f} | "
                     f"{'–' if dra is None else f'{dra * 1e15:.4f}'} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--one", nargs=2, metavar=("SIZE", "PRESET"), help=argparse.SUPPRESS)
    parser.add_argument("--sizes", nargs="*", type=int, default=list(range(len(SIZES))))
    parser.add_argument("--append", action="store_true",
                        help="append the table to benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    if args.one:
        print("RESULT " + json.dumps(one(int(args.one[0]), args.one[1])), flush=True)
        return
    load_before = os.getloadavg()[0]
    rows = []
    for size in args.sizes:
        for preset in PRESETS:
            proc = subprocess.run([sys.executable, __file__, "--one", str(size), preset],
                                  capture_output=True, text=True,
                                  env={**os.environ, "OMP_NUM_THREADS": "1"})
            lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
            if proc.returncode or not lines:
                sys.exit(f"size {size} {preset} failed:\n{proc.stderr[-2000:]}")
            rows.append(json.loads(lines[-1][len("RESULT "):]))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    load_after = os.getloadavg()[0]
    today = datetime.date.today().isoformat()
    text = (f"\n## Ferromagnet: Co/Cu/Co CPP pillar ({today})\n\n"
            f"benchmarks/ferromagnet.py: elliptical pillar 60 nm × 40 nm, Co 60 nm / Cu 10 nm / "
            f"Co 60 nm (library Co, Bass & Pratt), P1, 1 rank, parallel then antiparallel "
            f"(`set_magnetization` of the free layer: full reassembly).  Set-up = forms, JIT "
            f"and problem (mesh excluded); peak memory = ru_maxrss of the process.  "
            f"{platform.node()}, {os.cpu_count()} cores, load {load_before:.2f} before, "
            f"{load_after:.2f} after (shared machine).\n\n{table(rows)}\n")
    print(text)
    if args.append:
        with open(HERE / "RESULTS.md", "a") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
