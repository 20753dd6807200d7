"""The ``kinetics`` command (also ``python -m kinetics``)::

    kinetics --version
    kinetics run CASE.toml [-o DIR]   run a case file (works under mpirun -n N)
    kinetics check CASE.toml [--png F | --no-png]
                                  validate, mesh, list regions, facets and interfaces with
                                  their sizes, draw the tagged device; no solve
    kinetics plot DIR [-o OUT]        pictures of the fields a run wrote (no re-solve)
    kinetics demo                 list the demos
    kinetics demo NAME [ARGS]     run demos/NAME.py (works under mpirun -n N)
    kinetics mesh                 list the gallery devices
    kinetics mesh NAME|FILE [--png F]
                                  build a gallery device, or mesh a case file, a .geo or a
                                  .msh; print its statistics and sizes, render it

``run``, ``check`` and ``mesh`` take ``-v`` (details) and ``-q`` (warnings only): the log of
the ``kinetics`` logger on rank 0 (:mod:`kinetics.log`).  Unknown names (devices, demos,
materials, facets, keys) are answered with the valid ones and the closest ("did you mean").

Exit codes: 0 success, 1 internal error (a bug: traceback on stderr), 2 bad usage or input
(the reasons on stderr, one line each), 3 solver failure, 130 interrupted.  Under
``mpirun`` every rank ends with the same code and one message (:mod:`kinetics.parallel`).
"""

from __future__ import annotations

import argparse
import difflib
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


def _hint(word: str, choices) -> str:
    """``" (did you mean 'x'?)"`` for the closest of ``choices``, or ``""``."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    parser = argparse.ArgumentParser(prog="kinetics", description="Finite-element spin transport.")
    parser.add_argument("--version", action="version", version=f"kinetics {__version__}")
    sub = parser.add_subparsers(dest="command")
    verbosity = argparse.ArgumentParser(add_help=False)
    group = verbosity.add_mutually_exclusive_group()
    group.add_argument("-v", "--verbose", action="count", default=0, help="more details")
    group.add_argument("-q", "--quiet", action="store_true", help="warnings and errors only")
    demo = sub.add_parser("demo", help="list or run the demos")
    demo.add_argument("name", nargs="?")
    demo.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the demo")
    run = sub.add_parser("run", help="run a case file", parents=[verbosity])
    run.add_argument("case", help="case file (TOML)")
    run.add_argument("-o", "--output", help="output folder (default: results/<case name>)")
    check = sub.add_parser("check", parents=[verbosity],
                           help="validate and mesh a case, list its regions and facets, draw "
                                "the device; no solve")
    check.add_argument("case", help="case file (TOML)")
    check.add_argument("--png", help="picture of the tagged device (default: "
                                     "<case name>-device.png in the current folder)")
    check.add_argument("--no-png", action="store_true", help="no picture")
    plot = sub.add_parser("plot", help="draw the pictures of a results folder")
    plot.add_argument("folder", help="output folder of kinetics run (holds *.vtu)")
    plot.add_argument("-o", "--output", help="folder for the PNGs (default: the results folder)")
    mesh = sub.add_parser("mesh", parents=[verbosity],
                          help="build, describe and render gallery devices, case files, "
                               ".geo or .msh files")
    mesh.add_argument("name", nargs="?", help="gallery device, case file (.toml), .geo or .msh")
    mesh.add_argument("--png", help="write a picture of the device (regions, tagged faces)")
    ns = parser.parse_args(argv)
    if ns.command is None:
        parser.print_help()
        return 0
    if hasattr(ns, "verbose"):
        from kinetics import log
        log.setup(-1 if ns.quiet else ns.verbose)
    return _guarded(ns)


def _guarded(ns) -> int:
    """Run the command of ``ns``; every error ends every MPI rank with one exit code and one
    message (:func:`kinetics.parallel.finish_error`), and killing ``mpirun`` ends the ranks
    (:func:`kinetics.parallel.guard_launcher`).

    Exit codes: CaseError, OutputError -> 2; SolverError -> 3; KeyboardInterrupt -> 130;
    ValueError, KeyError, TypeError -> 2 for ``demo``/``mesh``/``plot``/``check`` (the
    user's arguments) but 1 for ``run`` (its input was validated: anything else is a bug);
    any other exception -> 1 with its traceback.
    """
    from mpi4py import MPI

    from kinetics import parallel
    from kinetics.case import CaseError
    from kinetics.output.folder import OutputError
    from kinetics.solvers.linear import SolverError
    comm = MPI.COMM_WORLD
    alive = parallel.guard_launcher()
    command = {"demo": _demo, "mesh": _mesh, "run": _run, "plot": _plot,
               "check": _check}[ns.command]
    try:
        return command(ns, alive)
    except (CaseError, OutputError) as exc:
        return parallel.finish_error(comm, 2, str(exc))
    except SolverError as exc:
        return parallel.finish_error(comm, 3, f"solver failed: {str(exc).splitlines()[0]}")
    except KeyboardInterrupt:
        return parallel.finish_error(comm, 130, "interrupted; nothing written", timeout=2.0)
    except (ValueError, KeyError, TypeError) as exc:
        if ns.command == "run":
            return _internal(comm, exc)
        return parallel.finish_error(comm, 2, f"{type(exc).__name__}: {str(exc).strip(chr(34))}")
    except Exception as exc:  # noqa: BLE001 - a bug: report it with its traceback, end all ranks
        return _internal(comm, exc)


def _internal(comm, exc) -> int:
    import traceback

    from kinetics import parallel
    detail = "".join(traceback.format_exception(exc)).rstrip()
    return parallel.finish_error(comm, 1, f"internal error ({type(exc).__name__}: {exc}); "
                                 f"please report it with this traceback:\n{detail}")


def _demo(ns, alive) -> int:
    demos = _demos()
    if not demos:
        return _fail("no demos found: they are the demos/ folder of the source checkout "
                     f"(looked in {', '.join(str(d) for d in DEMO_DIRS)})", 2)
    if ns.name is None:
        for name, path in demos.items():
            print(f"{name:24s} {_first_doc_line(path)}")
        return 0
    if ns.name not in demos:
        return _fail(f"unknown demo '{ns.name}'{_hint(ns.name, demos)}; demos: "
                     f"{', '.join(demos)}", 2)
    sys.argv = [str(demos[ns.name]), *ns.args]
    runpy.run_path(str(demos[ns.name]), run_name="__main__")
    return 0


def _plot(ns, alive) -> int:
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


def _run(ns, alive) -> int:
    """``kinetics run``: validate the case, check the output folder, mesh, solve, write."""
    from mpi4py import MPI

    from kinetics.case import load_case
    from kinetics.runner import Progress, run_case
    comm = MPI.COMM_WORLD
    case = load_case(ns.case)
    out = Path(ns.output) if ns.output else Path("results") / Path(ns.case).stem
    run_case(case, out, comm, Progress(comm, enabled=not ns.quiet), launcher_alive=alive)
    return 0


def _check(ns, alive) -> int:
    """``kinetics check``: validate, mesh, describe, draw; no solve (exit 2 on problems)."""
    from mpi4py import MPI

    from kinetics.case import load_case
    from kinetics.check import check_case
    comm = MPI.COMM_WORLD
    case = load_case(ns.case)
    png = None if ns.no_png else (ns.png or f"{Path(ns.case).stem}-device.png")
    text = check_case(case, comm, png=png)
    if comm.rank == 0:
        print(text, flush=True)
    return 0


#: suffixes ``kinetics mesh`` reads as gmsh files (:func:`kinetics.geometry.load`)
GMSH_SUFFIXES = (".geo", ".msh", ".geo_unrolled", ".brep", ".step", ".stp", ".iges", ".igs")


def _mesh(ns, alive) -> int:
    from mpi4py import MPI

    from kinetics.check import measures, report
    from kinetics.geometry import gallery, statistics
    devices = gallery.DEFAULT_DEVICES
    comm = MPI.COMM_WORLD
    rank0 = comm.rank == 0
    if ns.name is None:
        if rank0:
            print("gallery devices: " + ", ".join(devices))
            print("or give a case file (.toml), a .geo or a .msh file")
        return 0
    path = Path(ns.name)
    suffix = path.suffix.lower()
    if ns.name in devices:
        device, label = devices[ns.name](), ns.name
    elif suffix == ".toml" or suffix in GMSH_SUFFIXES:
        if not path.is_file():
            return _fail(f"{ns.name}: file not found", 2)
        if suffix == ".toml":
            from kinetics.case import load_case
            from kinetics.check import mesh_case
            device = mesh_case(load_case(path), comm)
        else:
            from kinetics.geometry import load
            device = load(path, comm=comm, trusted=False)
        label = path.name
    else:
        return _fail(f"unknown device '{ns.name}'{_hint(ns.name, devices)}; gallery "
                     f"devices: {', '.join(devices)}; or a case file (.toml), .geo or .msh "
                     f"file", 2)
    stats = report(statistics(device), measures(device))
    if rank0:
        print(f"{label}:\n{stats}", flush=True)
    if ns.png:
        if device.dim < 2:
            return _fail(f"{label} is a 1D device: no picture (--png draws 2D and 3D devices)",
                         2)
        from kinetics.plot import regions
        path = regions(device, ns.png, title=f"{label}: regions and named faces")
        if rank0:
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
