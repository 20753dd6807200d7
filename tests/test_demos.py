"""Every demo runs in its reduced size (--quick) on 1 and 2 ranks and writes non-blank pictures
and a results JSON.  (Not marked mpi: it starts mpirun itself.)"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMOS = sorted((ROOT / "demos").glob("*.py"))


def assert_picture_not_blank(path: Path):
    import matplotlib.image as mpimg
    img = mpimg.imread(path)
    flat = img.reshape(-1, img.shape[-1]) if img.ndim == 3 else img.reshape(-1, 1)
    colours = np.unique(np.round(flat[::7] * 255).astype(int), axis=0)
    assert len(colours) > 20, f"{path.name} looks blank ({len(colours)} colours)"
    background = np.all(np.isclose(flat, flat[0]), axis=1).mean()
    assert background < 0.98, f"{path.name} is {background:.1%} background"


def run(cmd: list, ranks: int):
    """Run ``cmd`` (python3 ...) on ``ranks`` MPI ranks in a clean MPI environment; assert success."""
    if ranks > 1:
        cmd = ["mpirun", "-n", str(ranks)] + cmd
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OMPI_COMM", "PMIX", "PMI_"))}
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]


@pytest.mark.parametrize("ranks", [1, 2])
@pytest.mark.parametrize("demo", DEMOS, ids=[d.stem for d in DEMOS])
def test_demo_runs_quick(demo, ranks, tmp_path):
    out = tmp_path / demo.stem
    run([sys.executable, str(demo), "--quick", "-o", str(out)], ranks)
    results = json.loads((out / "results.json").read_text())
    assert results.get("ranks", ranks) == ranks
    pngs = sorted(out.glob("*.png"))
    assert pngs, "the demo wrote no picture"
    for png in pngs:
        assert_picture_not_blank(png)


CASES = sorted((ROOT / "cases").glob("*.toml"))


@pytest.mark.parametrize("ranks", [1, 2])
@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_example_case_runs(case, ranks, tmp_path):
    out = tmp_path / case.stem
    run([sys.executable, "-m", "kinetics", "run", str(case), "-o", str(out), "-q"], ranks)
    results = json.loads((out / "results.json").read_text())
    assert results["ranks"] == ranks
    if "texture_pumping" in results:          # the seed-002 model: no contacts
        assert np.isfinite(results["texture_pumping"]["period_average"]["rho_s_J_s"]).all()
        return
    contacts = results["base"]["contacts"]
    # charge conservation: relative to the largest contact current, with a 1 fA floor for
    # open-circuit cases (spin pumping) whose currents are zero to round-off
    largest = max(abs(c["current_A"]) for c in contacts.values())
    assert sum(c["current_A"] for c in contacts.values()) == pytest.approx(
        0.0, abs=1e-8 * largest + 1e-15)
