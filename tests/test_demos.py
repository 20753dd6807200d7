"""Every demo (``--quick``) and every example case runs on 1, 2 and 3 ranks (3 oversubscribed),
writes non-blank pictures and a results JSON, and gives the same numbers on every rank count:
each run's results.json is compared with the 1-rank one for every number to 1e-8 relative
(issue #14; the comparator and its scale rule are in ``tests/_compare.py``).

Each run happens once per session (the ``runs`` fixture caches its output folder); the
comparisons reuse the cached runs and are skipped, naming the failed run, when one of them
failed.  (Not marked mpi: it starts mpirun itself.)"""

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from _compare import assert_same_results, differences, largest_difference, unit_of

ROOT = Path(__file__).resolve().parent.parent
DEMOS = sorted((ROOT / "demos").glob("*.py"))
CASES = sorted((ROOT / "cases").glob("*.toml"))
RANKS = (1, 2, 3)


def assert_picture_not_blank(path: Path):
    import matplotlib.image as mpimg
    img = mpimg.imread(path)
    flat = img.reshape(-1, img.shape[-1]) if img.ndim == 3 else img.reshape(-1, 1)
    colours = np.unique(np.round(flat[::7] * 255).astype(int), axis=0)
    assert len(colours) > 20, f"{path.name} looks blank ({len(colours)} colours)"
    background = np.all(np.isclose(flat, flat[0]), axis=1).mean()
    assert background < 0.98, f"{path.name} is {background:.1%} background"


@lru_cache(maxsize=1)
def _open_mpi() -> bool:
    res = subprocess.run(["mpirun", "--version"], capture_output=True, text=True)
    return "Open MPI" in res.stdout + res.stderr or "OpenRTE" in res.stdout + res.stderr


def mpi_command(cmd: list, ranks: int) -> list:
    """``cmd`` under mpirun on ``ranks`` ranks (more ranks than cores allowed: the CI machine
    has 2 cores and the 3-rank runs oversubscribe them)."""
    if ranks == 1:
        return cmd
    extra = ["--oversubscribe"] if _open_mpi() else []     # MPICH oversubscribes by default
    return ["mpirun", *extra, "-n", str(ranks)] + cmd


@dataclass
class Run:
    name: str
    ranks: int
    out: Path
    error: str | None
    seconds: float

    @property
    def label(self) -> str:
        return f"{self.name} on {self.ranks} rank{'s' if self.ranks > 1 else ''}"

    def results(self) -> dict:
        return json.loads((self.out / "results.json").read_text())


class Runs:
    """Each demo or case on each rank count, run at most once per session."""

    def __init__(self, base: Path):
        self.base = base
        self.done: dict[tuple, Run] = {}

    def get(self, script: Path, ranks: int) -> Run:
        key = (script, ranks)
        if key not in self.done:
            self.done[key] = self._run(script, ranks)
        return self.done[key]

    def _run(self, script: Path, ranks: int) -> Run:
        out = self.base / f"{script.stem}-{ranks}"
        if script.suffix == ".toml":
            cmd = [sys.executable, "-m", "kinetics", "run", str(script), "-o", str(out), "-q"]
        else:
            cmd = [sys.executable, str(script), "--quick", "-o", str(out)]
        # a clean MPI environment: pytest itself may run under mpirun
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("OMPI_COMM", "PMIX", "PMI_"))}
        # a fresh, short (socket paths ≤ 107 characters) MPI session directory: a stale
        # /tmp/prterun.<host>.<pid>.0 of a killed run makes a later mpirun that gets the same
        # pid fail with PMIX_ERR_EXISTS
        env["TMPDIR"] = tempfile.mkdtemp(prefix="kmpi")
        t0 = time.perf_counter()
        try:
            res = subprocess.run(mpi_command(cmd, ranks), capture_output=True, text=True,
                                 cwd=ROOT, env=env, timeout=600)
            error = None if res.returncode == 0 else \
                f"exit code {res.returncode}:\n{res.stderr[-3000:]}"
        except subprocess.TimeoutExpired:
            error = "timed out after 600 s"
        finally:
            shutil.rmtree(env["TMPDIR"], ignore_errors=True)
        if error is None and not (out / "results.json").is_file():
            error = "exit code 0 but no results.json"
        return Run(script.stem, ranks, out, error, time.perf_counter() - t0)

    def completed(self, script: Path, ranks: int, test: str) -> Run:
        """The run, or skip the calling comparison when it failed (its own test reports why)."""
        run = self.get(script, ranks)
        if run.error is not None:
            pytest.skip(f"the run of {run.label} failed ({run.error.splitlines()[0]}); "
                        f"see {test}[{script.stem}-{ranks}]")
        return run


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    return Runs(tmp_path_factory.mktemp("runs"))


# ---------------------------------------------------------------- the comparator itself

REFERENCE = {
    "ranks": 1, "wall_time_s": 3.2, "case_file": "cases/x.toml",
    "base": {"contacts": {"left": {"current_A": 8.6e-06, "V_V": 1e-3},
                          "right": {"current_A": -8.6e-06, "V_V": 0.0}},
             "resistance_Ohm": {"R_xx": 115.8, "R_xy": 3e-14},
             "torque": {"tau_DL": 7.1e-07, "tau_FL": 3.7e-08}},
    "open_circuit": {"contacts": {"a": {"current_A": 2.5e-24}},
                     "spin_current_A": [2.1e-15, 1.2e-08, -1.8e-17]},
    "sweep": [{"tau_DL": 7.1e-07}, {"tau_DL": 2.7e-28}],
    "profile": {"mu_s_V": [[1.2e-14, 0.0, 0.0119], [-0.0016, 0.0, 0.0117]]},
    "drho1_over_rho": 4.05e-4,
    "rows": [{"metal": "Pt", "xi_DL": 0.008, "unknowns": 980}],
}


def changed(path, value, tree=None):
    """A deep copy of ``tree`` (REFERENCE) with the entry at ``path`` replaced by ``value``
    (or deleted when ``value`` is ``...``)."""
    tree = json.loads(json.dumps(REFERENCE if tree is None else tree))
    node = tree
    for key in path[:-1]:
        node = node[key]
    if value is ...:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return tree


def test_compare_identical_and_excluded_keys_pass():
    assert differences(REFERENCE, REFERENCE) == []
    other = changed(("ranks",), 3)
    other["wall_time_s"] = 17.0
    assert differences(REFERENCE, other) == []


@pytest.mark.parametrize("path, value", [
    (("base", "contacts", "left", "current_A"), 8.6e-06 * (1 + 1e-6)),
    (("base", "resistance_Ohm", "R_xx"), 115.8 * (1 - 1e-6)),
    (("base", "torque", "tau_FL"), 3.7e-08 * (1 + 1e-6)),     # smallest component of its group
    (("open_circuit", "spin_current_A", 1), 1.2e-08 * (1 + 1e-6)),
    (("profile", "mu_s_V", 1, 0), -0.0016 * (1 + 1e-6)),
    (("rows", 0, "xi_DL"), 0.008 * (1 + 1e-6)),
    (("rows", 0, "unknowns"), 981),
    (("drho1_over_rho",), 4.05e-4 + 1e-7),                    # 2.5e-4 of itself, 1e-7 of 1
])
def test_compare_fails_on_a_change_of_a_real_number(path, value):
    diffs = differences(REFERENCE, changed(path, value))
    assert len(diffs) == 1, diffs
    d = diffs[0]
    name = [key for key in path if isinstance(key, str)][-1]
    assert name in d.path and repr(d.b) in str(d) and "relative difference" in str(d)
    assert d.rel > 1e-8
    with pytest.raises(AssertionError, match=rf"differ between 1 rank \(a\) and 2 ranks \(b\)"):
        assert_same_results(REFERENCE, changed(path, value), labels=("1 rank", "2 ranks"))


@pytest.mark.parametrize("path, value", [
    (("base", "resistance_Ohm", "R_xy"), -4e-14),         # vanishes by symmetry (R_xx scale)
    (("base", "contacts", "right", "V_V"), 1e-19),         # an exact zero, round-off (V scale)
    (("open_circuit", "contacts", "a", "current_A"), -3.2e-23),   # open circuit: A scale
    (("open_circuit", "spin_current_A", 2), -1.79e-17),   # 1e-3 of itself; array scale 1e-8
    (("profile", "mu_s_V", 0, 0), 4e-13),                 # round-off against the profile
    (("sweep", 1, "tau_DL"), -1e-27),                     # zero at one angle of the scan
    (("base", "resistance_Ohm", "R_xx"), 115.8 * (1 + 5e-9)),
    (("drho1_over_rho",), 4.05e-4 + 9e-12),                # round-off of R_xx: 9e-12 of 1
])
def test_compare_passes_round_off(path, value):
    assert differences(REFERENCE, changed(path, value)) == []


def test_compare_components_share_a_scale():
    # a real transverse resistance (planar Hall, 7e-5 of R_xx) is a difference of two large
    # potentials: its round-off is that of R_xx (pt_yig_smr: 2e-8 of R_xy, 1e-12 of R_xx)
    r_xy = ("base", "resistance_Ohm", "R_xy")
    ref = changed(r_xy, 0.0083)
    assert differences(ref, changed(r_xy, 0.0083 + 1.5e-10, ref)) == []
    assert len(differences(ref, changed(r_xy, 0.0083 + 1e-5, ref))) == 1
    # keys without a component label are not components (current_A, V_V)
    v_left = ("base", "contacts", "left", "V_V")
    assert len(differences(REFERENCE, changed(v_left, 1e-3 + 1e-10))) == 1


def test_compare_reports_structure_strings_and_types():
    def only(other):
        diffs = differences(REFERENCE, other)
        assert len(diffs) == 1, diffs
        return str(diffs[0])
    assert "base/torque/tau_FL: missing in the second" in only(
        changed(("base", "torque", "tau_FL"), ...))
    extra = changed(("base", "torque", "tau_XX"), 1.0)
    assert "base/torque/tau_XX: missing in the first" in only(extra)
    assert "case_file: 'cases/x.toml' vs 'cases/y.toml'" in only(
        changed(("case_file",), "cases/y.toml"))
    assert "rows[0]/metal: 'Pt' vs 'Cu'" in only(changed(("rows", 0, "metal"), "Cu"))
    assert "3 entries vs 2" in only(changed(("open_circuit", "spin_current_A"), [2.1e-15, 1.2e-08]))
    assert "a number" in only(changed(("rows", 0, "unknowns"), "980"))
    assert "a bool" in only(changed(("rows", 0, "unknowns"), True))
    assert "inf" in only(changed(("drho1_over_rho",), math.nan))


def test_compare_units_and_largest_difference():
    assert [unit_of(k) for k in ("current_A", "V_V", "tau_DL_J_per_m2", "mu_s_V", "rho_s_J_s",
                                 "eigenvalues_per_m2", "R_xy", "G_r", "thickness_m")] == \
        ["A", "V", "J_per_m2", "V", "J_s", "per_m2", None, None, "m"]
    d = largest_difference(REFERENCE, changed(("base", "resistance_Ohm", "R_xx"), 115.8 + 1e-9))
    assert d.path == "base/resistance_Ohm/R_xx" and d.rel == pytest.approx(1e-9 / 115.8, rel=1e-6)


# ---------------------------------------------------------------- the runs

@pytest.mark.parametrize("ranks", RANKS)
@pytest.mark.parametrize("demo", DEMOS, ids=[d.stem for d in DEMOS])
def test_demo_runs_quick(demo, ranks, runs):
    run = runs.get(demo, ranks)
    assert run.error is None, f"{run.label}: {run.error}"
    results = run.results()
    assert results.get("ranks", ranks) == ranks
    assert results["provenance"]["run"]["ranks"] == ranks        # issue 15: provenance
    pngs = sorted(run.out.glob("*.png"))
    assert pngs, "the demo wrote no picture"
    for png in pngs:
        assert_picture_not_blank(png)


@pytest.mark.parametrize("ranks", RANKS)
@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_example_case_runs(case, ranks, runs):
    run = runs.get(case, ranks)
    assert run.error is None, f"{run.label}: {run.error}"
    results = run.results()
    assert results["ranks"] == ranks
    prov = results["provenance"]                                   # issue 15: provenance
    assert prov["run"]["ranks"] == ranks and prov["kinetics"] and prov["units"]
    if "texture_pumping" in results:          # the seed-002 model: no contacts
        assert np.isfinite(results["texture_pumping"]["period_average"]["rho_s_J_s"]).all()
        return
    if "texture_voltage" in results:          # seed-002 voltage: two contacts, V_oc and I_sc
        assert np.isfinite(list(results["texture_voltage"]["V_oc_V"].values())).all()
        return
    if "keldysh" in results.get("usadel", {}):  # the Keldysh sector: accumulations
        kel = results["usadel"]["keldysh"]
        assert np.isfinite(np.array(kel["charge_accumulation"])).all()
        assert np.isfinite(np.array(kel["spin_accumulation"])).all()
        return
    if "usadel" in results:                   # the superconducting model: DOS, no contacts
        dos = np.array(results["usadel"]["dos"])
        assert np.isfinite(dos).all() and dos.min() >= -1e-9
        return
    contacts = results["base"]["contacts"]
    # charge conservation: relative to the largest contact current, with a 1 fA floor for
    # open-circuit cases (spin pumping) whose currents are zero to round-off
    largest = max(abs(c["current_A"]) for c in contacts.values())
    assert sum(c["current_A"] for c in contacts.values()) == pytest.approx(
        0.0, abs=1e-8 * largest + 1e-15)


# ---------------------------------------------------------------- the same numbers on 2 and 3 ranks

@pytest.mark.parametrize("ranks", RANKS[1:])
@pytest.mark.parametrize("demo", DEMOS, ids=[d.stem for d in DEMOS])
def test_demo_same_on_ranks(demo, ranks, runs):
    one = runs.completed(demo, 1, "test_demo_runs_quick")
    many = runs.completed(demo, ranks, "test_demo_runs_quick")
    assert_same_results(one.results(), many.results(), labels=(one.label, many.label))


@pytest.mark.parametrize("ranks", RANKS[1:])
@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_example_case_same_on_ranks(case, ranks, runs):
    one = runs.completed(case, 1, "test_example_case_runs")
    many = runs.completed(case, ranks, "test_example_case_runs")
    assert_same_results(one.results(), many.results(), labels=(one.label, many.label))
