"""A demo runs as a Jupyter notebook (issue 15).

The demos are jupytext percent scripts. ``jupytext --to ipynb`` turns one into a notebook,
and a Jupyter kernel (nbclient + ipykernel, from the environment) executes it cell by cell,
as a user opening it in JupyterLab would. The kernel starts the script with its own
arguments (``-f <connection file>``): the demos' argparse must tolerate them. The test adds
``--quick`` and an output folder to those arguments in a first cell, the way a user sets
parameters at the top of a notebook, and checks the demo's printed lines, numbers and
picture. (Not marked mpi: a kernel is one process.)"""

import json
import math
import subprocess
import sys
from pathlib import Path

import jupytext
import nbclient
import nbformat

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demos" / "soc_absorption.py"     # 1D and 2D: a few seconds with --quick


def _to_notebook(demo: Path, path: Path) -> nbformat.NotebookNode:
    """The demo as a notebook file, through jupytext's command line (what a user runs)."""
    res = subprocess.run([sys.executable, "-m", "jupytext", "--to", "ipynb", "-o", str(path),
                          str(demo)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    return nb


def _text_output(nb: nbformat.NotebookNode) -> str:
    return "".join(out.get("text", "") for cell in nb.cells if cell.cell_type == "code"
                   for out in cell.get("outputs", []) if out.get("output_type") == "stream")


def test_demo_is_a_literate_notebook(tmp_path):
    """Text and code alternate: the physics is explained in markdown cells, not comments."""
    nb = _to_notebook(DEMO, tmp_path / "demo.ipynb")
    kinds = [cell.cell_type for cell in nb.cells]
    assert kinds[0] == "markdown" and nb.cells[0].source.startswith("# ")
    assert kinds.count("markdown") >= 3 and kinds.count("code") >= 3
    assert any("parse_known_args" in cell.source for cell in nb.cells
               if cell.cell_type == "code")


def test_demo_runs_as_a_notebook(tmp_path):
    nb = _to_notebook(DEMO, tmp_path / "demo.ipynb")
    out = tmp_path / "out"
    # the kernel's own arguments stay in sys.argv: the demo must ignore them
    setup = (f"import sys\nkernel_args = list(sys.argv[1:])\n"
             f"sys.argv += ['--quick', '-o', {str(out)!r}]")
    nb.cells.insert(0, nbformat.v4.new_code_cell(setup))
    nb.cells.append(nbformat.v4.new_code_cell("print('kernel arguments:', kernel_args)"))
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()       # raises CellExecutionError, with the traceback, if a cell fails

    text = _text_output(nb)
    assert "kernel arguments: ['-f'" in text            # the kernel did pass its own
    assert "wrote " in text and "results.json" in text
    results = json.loads((out / "results.json").read_text())
    assert results["demo"] == "soc_absorption"
    # FEM against the closed form (Eqs. 20-21), as the script reports it
    setup_a = results["setup_a"]
    errors = [v for case in setup_a.values() for k, v in case.items()
              if k.startswith("max_rel_diff")]
    assert len(errors) == 4 and max(errors) < 1e-4, setup_a
    assert (out / "soc_absorption.png").stat().st_size > 10_000

    # and the same numbers as the script run from the command line
    script_out = tmp_path / "script"
    res = subprocess.run([sys.executable, str(DEMO), "--quick", "-o", str(script_out)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    script = json.loads((script_out / "results.json").read_text())["setup_a"]
    for case, values in setup_a.items():
        for key in ("j_x_interface", "j_y_interface"):
            assert math.isclose(values[key], script[case][key], rel_tol=1e-10), (case, key)
