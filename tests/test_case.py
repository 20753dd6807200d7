"""Case files: validation messages (key, file, line, valid choices) and runs on 1 and 2 ranks."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from mpi4py import MPI

from kinetics.case import CaseError, load_case, parse_case, sweep_directions
from kinetics.runner import Progress, run_case

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "cases").glob("*.toml"))

GOOD = """
[geometry]
builder = "layered_box"
lengths = [20e-9, 10e-9, 4e-9]
cells = [4, 2, 4]
layers = [["pt", 4e-9, 4]]

[materials]
pt = "Pt"

[boundaries.xmin]
type = "contact"
V = 1e-3

[boundaries.xmax]
type = "contact"

[boundaries.zmin]
type = "magnetic"
interface = "Pt|YIG"
m = [0.0, 1.0, 0.0]
"""


def test_good_case_parses():
    case = parse_case(GOOD, "good.toml")
    assert case.get("boundaries", "zmin", "type") == "magnetic"


@pytest.mark.parametrize("edit,pattern", [
    (("[boundaries.xmax]", "[boundaries.xmax]\nVoltage = 1.0"),
     r"good\.toml, line 16: \[boundaries\.xmax\.Voltage\] unknown key 'Voltage'.*valid keys: V, spin"),
    (('V = 1e-3', 'V = "one"'), r"line 13: \[boundaries\.xmin\.V\] must be integer or number"),
    (('m = [0.0, 1.0, 0.0]', 'm = [0.0, 2.0, 0.0]'), r"line 21: .*unit vector, got \|m\| = 2"),
    (('lengths = [20e-9, 10e-9, 4e-9]', 'lengths = [20e-9, -10e-9, 4e-9]'),
     r"line 4: \[geometry\.lengths\] lengths must be positive"),
    (('layers = [["pt", 4e-9, 4]]', 'layers = [["pt", -4e-9, 4]]'),
     r"line 6: \[geometry\.layers\] .*positive thickness"),
    (('type = "magnetic"', 'type = "magnet"'), r"unknown type 'magnet'; valid: contact, current"),
    (('builder = "layered_box"', 'builder = "box"'), r"unknown builder 'box'; valid: layered_box"),
    (("[materials]", "[material]"), r"unknown key 'material' \(did you mean 'materials'\?\)"),
    (("[boundaries.xmin]", '[pumping]\ninterface = "zmin"\nfrequency_Hz = 9e9\ncone_angle_deg = 1.0\n'
      'floating = ["zmin"]\n\n[boundaries.xmin]'), r"\[pumping\.floating\] 'zmin' must be a boundary of type 'contact'"),
    (("[boundaries.xmin]", '[pumping]\ninterface = "zmin"\nfrequency_Hz = -1.0\ncone_angle_deg = 1.0\n'
      '\n[boundaries.xmin]'), r"\[pumping\.frequency_Hz\] required, a positive number"),
    (("[boundaries.xmin]", '[texture_pumping]\nfrequency_Hz = 1e10\ncone_angle_deg = 5.0\nJ = 1e-21\n'
      'tau = 1e-14\nD = 1e-3\n\n[boundaries.xmin]'), r"\[texture_pumping\.nu\] required"),
])
def test_validation_messages_name_key_file_and_line(edit, pattern):
    text = GOOD.replace(*edit)
    with pytest.raises(CaseError, match=pattern):
        parse_case(text, "good.toml")


@pytest.mark.parametrize("edit,pattern", [
    (('pt = "Pt"', 'pt = "Platinum"'), r"line 9: \[materials\.pt\] unknown material 'Platinum'; known materials: Au"),
    (('pt = "Pt"', 'pt = "Pt"\ncu = "Cu"'), r"unknown region 'cu'; regions of the device: pt"),
    (("[boundaries.zmin]", "[boundaries.zmn]"), r"unknown facet name 'zmn' \(did you mean zmin"),
    (('interface = "Pt|YIG"', 'interface = "Pt|GGG"'), r"unknown interface 'Pt\|GGG'; known"),
])
def test_names_are_checked_against_the_mesh_and_library(edit, pattern):
    case = parse_case(GOOD.replace(*edit), "good.toml")
    device = case.build_device(MPI.COMM_WORLD)
    with pytest.raises(CaseError, match=pattern):
        case.materials(device)
        case.boundaries(device)


def test_sweep_planes():
    ang, m = sweep_directions("beta", 5)
    assert np.allclose(np.linalg.norm(m, axis=1), 1.0)
    assert np.allclose(m[:, 0], 0.0) and ang[-1] == 360.0


@pytest.mark.mpi
def test_case_run_writes_results_and_matches_across_ranks(tmp_path_factory):
    """The same case on COMM_WORLD (2 ranks under mpirun) and COMM_SELF gives the same numbers."""
    text = GOOD + '\n[sweep]\ninterface = "zmin"\nplanes = ["alpha"]\nsteps = 5\n' \
        '\n[[measure.resistance]]\nname = "R"\ncurrent = "xmin"\nplus = "xmin"\nminus = "xmax"\n'
    case = parse_case(text, "sweep.toml")
    base = Path(MPI.COMM_WORLD.bcast(str(tmp_path_factory.mktemp("case")) if MPI.COMM_WORLD.rank == 0 else None))
    world = run_case(case, base / "world", MPI.COMM_WORLD, Progress(MPI.COMM_WORLD, False))
    serial = run_case(case, base / f"self{MPI.COMM_WORLD.rank}", MPI.COMM_SELF,
                      Progress(MPI.COMM_SELF, False))
    assert np.allclose(world["sweep"]["alpha"]["resistance_Ohm"]["R"],
                       serial["sweep"]["alpha"]["resistance_Ohm"]["R"], rtol=1e-9)
    MPI.COMM_WORLD.barrier()   # every rank's own COMM_SELF run has finished writing
    if MPI.COMM_WORLD.rank == 0:
        data = json.loads((base / "world" / "results.json").read_text())
        assert data["ranks"] == MPI.COMM_WORLD.size
        assert (base / "world" / "fields.bp").is_dir()
        assert not list(base.glob(".*tmp"))


def test_failed_run_writes_nothing(tmp_path):
    text = GOOD + '\n[solver]\npreset = "iterative"\npetsc_options = { ksp_max_it = 1, ksp_rtol = 1e-14 }\n'
    from kinetics.solvers.linear import SolverError
    with pytest.raises(SolverError):
        run_case(parse_case(text, "fail.toml"), tmp_path / "out", MPI.COMM_SELF, Progress(MPI.COMM_SELF, False))
    assert list(tmp_path.iterdir()) == []


def test_cli_exit_codes(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace("[materials]", "[material]"))
    res = subprocess.run([sys.executable, "-m", "kinetics", "run", str(bad), "-o", str(tmp_path / "o")],
                         capture_output=True, text=True)
    assert res.returncode == 2
    assert "unknown key 'material'" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_example_cases_validate(path):
    load_case(path)


def test_cli_plot_reports_a_missing_folder(tmp_path):
    res = subprocess.run([sys.executable, "-m", "kinetics", "plot", str(tmp_path / "none")],
                         capture_output=True, text=True)
    assert res.returncode == 2 and "kinetics:" in res.stderr
