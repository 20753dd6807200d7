"""The ``[circuit]`` model of the case files (kinetics.models.circuit_case, issue 12): the
example nonlocal spin valve gives Takahashi & Maekawa's ΔR_s (to the first-order size
correction measured in tests/test_nlsv.py) and an even Hanle curve; every bad input of the
section is a CaseError naming the key, before meshing."""

from pathlib import Path

import numpy as np
import pytest
from mpi4py import MPI

from kinetics.analytic import nlsv
from kinetics.case import CaseError, load_case, parse_case
from kinetics.materials import get
from kinetics.runner import Progress, run_case

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "py_cu_nonlocal_spin_valve.toml"
TEXT = CASE.read_text()


def test_example_case_gives_takahashi_maekawa(tmp_path):
    res = run_case(load_case(CASE), tmp_path / "out", MPI.COMM_SELF, Progress(MPI.COMM_SELF, False))
    cu, py = get("Cu"), get("Py")
    t_N, w = 10e-9, 20e-9
    tm = nlsv.takahashi_maekawa(
        220e-9, cu.lambda_sf, nlsv.spin_resistance(1 / cu.sigma, cu.lambda_sf, t_N),
        nlsv.spin_resistance(1 / py.sigma, py.lambda_sf, w), py.beta, 1e-12 / w, 1e-12 / w, 0.6)
    delta = res["delta_resistance_Ohm"]["R_NL"]
    assert delta == pytest.approx(tm, rel=2e-2)          # measured 1.3e-2 at t_N = 10 nm
    assert res["states"]["AP"]["resistance_Ohm"]["R_NL"] == pytest.approx(
        -res["states"]["P"]["resistance_Ohm"]["R_NL"], rel=1e-6)
    hanle = np.array(res["hanle"]["resistance_Ohm"]["R_NL"])
    assert hanle == pytest.approx(hanle[::-1], rel=1e-8)
    assert hanle[3] == pytest.approx(res["base"]["resistance_Ohm"]["R_NL"], rel=1e-10)
    assert hanle.argmax() == 3
    # the tunnel injector carries the current and sends P_I of it as spin into N
    I = res["base"]["contacts"]["fm1_top"]["current_A"]
    js = res["base"]["junctions"]["channel|fm1"]["spin_current_A"]
    assert js[1] / I == pytest.approx(0.6, rel=0.1)


def test_iterative_preset_and_spin_memory_loss_in_the_example_case(tmp_path):
    """[solver] preset = "iterative" gives the direct solver's R_NL (P and AP) to 1e-7;
    spin_memory_loss reaches the junctions (results.json echoes it)."""
    text = TEXT.replace("hanle_fields = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]\n", "")
    res = {}
    for preset in ("direct", "iterative"):
        case = parse_case(text.replace("[circuit]\n", f"[solver]\npreset = \"{preset}\"\n\n"
                                       f"[circuit]\nspin_memory_loss = 0.2\n"),
                          str(CASE), CASE.parent)
        res[preset] = run_case(case, tmp_path / preset, MPI.COMM_SELF,
                               Progress(MPI.COMM_SELF, False))
        assert res[preset]["solver"] == preset
        assert res[preset]["interface"]["spin_memory_loss"] == 0.2
    for state in ("P", "AP"):
        r = [res[p]["states"][state]["resistance_Ohm"]["R_NL"] for p in ("direct", "iterative")]
        assert r[1] == pytest.approx(r[0], rel=1e-7)


def _errors(text: str) -> str:
    with pytest.raises(CaseError) as info:
        parse_case(text, str(CASE), CASE.parent)
    return str(info.value)


@pytest.mark.parametrize("old, new, expected", [
    ("resistance_area = 1e-12\n", "", "polarization needs resistance_area too"),
    ("resistance_area = 1e-12\npolarization = 0.6\n", "",
     "give the junctions' conductances one way"),
    ("resistance_area = 1e-12\n", "resistance_area = 1e-12\ninterface = \"Py|Cu\"\n",
     "are all given"),
    ("resistance_area = 1e-12\npolarization = 0.6\n", "interface = \"Py|Cx\"\n",
     "unknown F|N interface"),
    ("resistance_area = 1e-12\npolarization = 0.6\n", "G_up = 1e15\nG_down = -1e15\n",
     "G_down"),
    ("flip = [\"fm2\"]", "flip = [\"channel\"]", "'channel' is not ferromagnetic"),
    ("flip = [\"fm2\"]", "flip = [\"fm3\"]", "unknown region name 'fm3'"),
    ("junctions = [\"channel|fm1\", \"channel|fm2\"]", "junctions = [\"channel|fm9\"]",
     "unknown facet name 'channel|fm9'"),
    (", diffusion_constant = 0.02", "", "needs the diffusion_constant"),
    ("polarization = 0.6", "polarization = 1.0", "polarization"),
    ("[boundaries.contact_left]\ntype = \"contact\"",
     "[boundaries.contact_right]\ntype = \"probe\"\n\n[boundaries.contact_left]\n"
     "type = \"contact\"", "supports boundaries of type contact, insulator"),
    ("[circuit]\n", "[solver]\npreset = \"gmres\"\n\n[circuit]\n", "preset"),
    ("polarization = 0.6\n", "polarization = 0.6\nspin_memory_loss = -0.1\n",
     "spin_memory_loss"),
    ("hanle_axis = [0.0, 0.0, 1.0]", "hanle_axis = [0.0, 0.0, 2.0]", "hanle_axis"),
    ("[[measure.resistance]]\nname = \"R_NL\"",
     "[[measure.profile]]\nstart = [0.0, 0.0, 0.0]\nend = [1e-7, 0.0, 0.0]\n\n"
     "[[measure.resistance]]\nname = \"R_NL\"", "measures resistances only"),
])
def test_bad_circuit_input_is_a_clear_error_before_meshing(old, new, expected):
    assert old in TEXT
    message = _errors(TEXT.replace(old, new, 1))
    assert expected in message
    assert all(line.startswith(str(CASE)) for line in message.splitlines())


def test_junction_that_is_also_a_boundary_is_refused():
    text = TEXT + '\n[boundaries."channel|fm1"]\ntype = "insulator"\n'
    assert "a facet has one condition" in _errors(text)
