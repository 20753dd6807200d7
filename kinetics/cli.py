"""The ``kinetics`` command (also ``python -m kinetics``).

    kinetics --version
    kinetics demo                 list the demos
    kinetics demo NAME [ARGS]     run demos/NAME.py (works under mpirun -n N)

Exit codes: 0 success, 2 bad usage or input (one-line reason on stderr), 3 solver failure.
"""

from __future__ import annotations

import argparse
import runpy
import sys
from pathlib import Path

from kinetics import __version__

DEMO_DIR = Path(__file__).resolve().parent.parent / "demos"


def _demos() -> dict[str, Path]:
    return {p.stem: p for p in sorted(DEMO_DIR.glob("*.py"))} if DEMO_DIR.is_dir() else {}


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
    ns = parser.parse_args(argv)
    if ns.command is None:
        parser.print_help()
        return 0
    if ns.command == "demo":
        demos = _demos()
        if ns.name is None:
            for name, path in demos.items():
                print(f"{name:24s} {_first_doc_line(path)}")
            return 0
        if ns.name not in demos:
            print(f"kinetics: unknown demo '{ns.name}'; demos: {', '.join(demos)}", file=sys.stderr)
            return 2
        from kinetics.solve import SolverError
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
