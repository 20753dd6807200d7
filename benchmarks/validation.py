"""How long a case file takes to be validated (issue 14: every error before meshing, "under
2 s on the example cases"): each example case and one broken copy of it, in a fresh process,
through ``load_case`` and through ``kinetics run`` (which stops before meshing).

    python3 benchmarks/validation.py        # prints a table (seconds)
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "cases").glob("*.toml"))


def seconds(cmd: list[str]) -> tuple[float, int]:
    t = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    return time.perf_counter() - t, res.returncode


def main() -> None:
    print("| case | load_case (s) | `kinetics run` of a broken copy (s, exit code) |")
    print("|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            code = ("import time; t = time.perf_counter(); from kinetics.case import load_case; "
                    f"load_case({str(case)!r}); print(time.perf_counter() - t)")
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True, cwd=ROOT)
            broken = Path(tmp) / case.name
            broken.write_text(case.read_text().replace("[geometry]", "[geometry]\nbogus = 1", 1))
            t, rc = seconds([sys.executable, "-m", "kinetics", "run", str(broken), "-o",
                             str(Path(tmp) / "out"), "-q"])
            print(f"| {case.stem} | {float(out.stdout):.3f} | {t:.2f} ({rc}) |")


if __name__ == "__main__":
    main()
