"""The ``kinetics`` command (also ``python -m kinetics``).

    kinetics --version
    kinetics run CASE.toml [-o DIR]   run a case file (works under mpirun -n N)
    kinetics plot DIR [-o OUT]        pictures of the fields a run wrote (no re-solve)
    kinetics demo                 list the demos
    kinetics demo NAME [ARGS]     run demos/NAME.py (works under mpirun -n N)
    kinetics mesh                 list the gallery devices
    kinetics mesh NAME [--png F]  build a gallery device, print its statistics, render it

Exit codes: 0 success, 2 bad usage or input (one-line reason on stderr), 3 solver failure.
"""

from __future__ import annotations

import argparse
import runpy
import sys
from pathlib import Path

from kinetics import __version__

#: where the demos are looked for: the source checkout of this package, then ./demos
DEMO_DIRS = (Path(__file__).resolve().parent.parent / "demos", Path.cwd() / "demos")


def _demos() -> dict[str, Path]:
    for folder in DEMO_DIRS:
        if folder.is_dir() and any(folder.glob("*.py")):
            return {p.stem: p for p in sorted(folder.glob("*.py"))}
    return {}


def _first_doc_line(path: Path) -> str:
    for line in path.read_text().splitlines():
        if line.startswith("# # "):
            return line[4:].strip()
    return ""


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    parser = argparse.ArgumentParser(prog="kinetics", description="Finite-element spin transport.")
    parser.add_argument("--version", action="version", version=f"kinetics {__version__}")
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", help="list or run the demos")
    demo.add_argument("name", nargs="?")
    demo.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the demo")
    run = sub.add_parser("run", help="run a case file")
    run.add_argument("case", help="case file (TOML)")
    run.add_argument("-o", "--output", help="output folder (default: results/<case name>)")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    plot = sub.add_parser("plot", help="draw the pictures of a results folder")
    plot.add_argument("folder", help="output folder of kinetics run (holds *.vtu)")
    plot.add_argument("-o", "--output", help="folder for the PNGs (default: the results folder)")
    mesh = sub.add_parser("mesh", help="build, describe and render gallery devices")
    mesh.add_argument("name", nargs="?")
    mesh.add_argument("--png", help="write a picture of the device (regions, tagged faces)")
    ns = parser.parse_args(argv)
    if ns.command is None:
        parser.print_help()
        return 0
    if ns.command == "demo":
        demos = _demos()
        if not demos:
            return _fail("no demos found: they are the demos/ folder of the source checkout "
                         f"(looked in {', '.join(str(d) for d in DEMO_DIRS)})", 2)
        if ns.name is None:
            for name, path in demos.items():
                print(f"{name:24s} {_first_doc_line(path)}")
            return 0
        if ns.name not in demos:
            print(f"kinetics: unknown demo '{ns.name}'; demos: {', '.join(demos)}", file=sys.stderr)
            return 2
        from kinetics.solvers.linear import SolverError
        sys.argv = [str(demos[ns.name]), *ns.args]
        try:
            runpy.run_path(str(demos[ns.name]), run_name="__main__")
        except SolverError as exc:
            print(f"kinetics: solver failed: {exc}", file=sys.stderr)
            return 3
        except (ValueError, KeyError, TypeError) as exc:
            print(f"kinetics: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 2
        return 0
    if ns.command == "mesh":
        return _mesh(ns)
    if ns.command == "run":
        return _run(ns)
    if ns.command == "plot":
        return _plot(ns)
    return 0


def _plot(ns) -> int:
    from mpi4py import MPI

    from kinetics.plot import pictures_from_folder
    try:
        paths = pictures_from_folder(ns.folder, ns.output)
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        return _fail(str(exc).splitlines()[0], 2)
    if MPI.COMM_WORLD.rank == 0:
        for p in paths or []:
            print(f"wrote {p}")
    return 0


def _fail(message: str, code: int) -> int:
    from mpi4py import MPI
    if MPI.COMM_WORLD.rank == 0:
        print(f"kinetics: {message}", file=sys.stderr)
    return code


def _run(ns) -> int:
    from mpi4py import MPI

    from kinetics.case import CaseError, load_case
    from kinetics.runner import Progress, run_case
    from kinetics.solvers.linear import SolverError
    comm = MPI.COMM_WORLD
    try:
        case = load_case(ns.case)
        out = Path(ns.output) if ns.output else Path("results") / Path(ns.case).stem
        run_case(case, out, comm, Progress(comm, enabled=not ns.quiet))
    except CaseError as exc:
        return _fail(str(exc).splitlines()[0], 2)
    except SolverError as exc:
        return _fail(f"solver failed: {str(exc).splitlines()[0]}", 3)
    return 0


def _mesh(ns) -> int:
    from mpi4py import MPI

    from kinetics.geometry import format_statistics, gallery, statistics
    devices = gallery.DEFAULT_DEVICES
    rank0 = MPI.COMM_WORLD.rank == 0
    if ns.name is None:
        if rank0:
            print("gallery devices: " + ", ".join(devices))
        return 0
    if ns.name not in devices:
        if rank0:
            print(f"kinetics: unknown device '{ns.name}'; gallery devices: {', '.join(devices)}",
                  file=sys.stderr)
        return 2
    device = devices[ns.name]()
    stats = format_statistics(statistics(device))
    if rank0:
        print(f"{ns.name}:\n{stats}")
    if ns.png:
        path = gallery.render(device, ns.png, title=ns.name)
        if rank0:
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
