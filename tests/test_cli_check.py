"""``kinetics check``, ``kinetics mesh`` with files, "did you mean", builder keyword errors,
logging levels and closed progress bars (issue 15).  The commands run in-process through
:func:`kinetics.cli.main` on small meshes."""

import logging
import re
from pathlib import Path

import numpy as np
import pytest

from kinetics import materials as lib
from kinetics.cli import main

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "pt_yig_film.toml"
GOOD = """
[geometry]
builder = "film"
thickness = 4e-9
size = [40e-9, 20e-9]
substrate = "yig"
h = 8e-9
cells_across = 2

[materials]
pt = { base = "Ta", sigma = 6e5 }

[boundaries.pt_xmin]
type = "contact"
V = 1e-3

[boundaries.pt_xmax]
type = "contact"

[boundaries."pt|yig"]
type = "magnetic"
interface = "Pt|YIG"
"""


@pytest.fixture(autouse=True)
def _restore_logging():
    """main() configures the kinetics logger on the captured stderr: undo it afterwards."""
    from kinetics.log import LOGGER
    handlers, level, propagate = list(LOGGER.handlers), LOGGER.level, LOGGER.propagate
    yield
    LOGGER.handlers[:] = handlers
    LOGGER.setLevel(level)
    LOGGER.propagate = propagate


def _sizes(text: str) -> dict:
    """name -> (count, size, unit) of the region and facet rows of a report."""
    out = {}
    for m in re.finditer(r"^(\S+)\s+(\d+)\s+([0-9.e+-]+) (nm(?:\^\d)?)", text, re.M):
        out[m.group(1)] = (int(m.group(2)), float(m.group(3)), m.group(4))
    return out


def test_check_lists_sizes_materials_conditions_and_draws(tmp_path, capsys):
    case = tmp_path / "ta.toml"
    case.write_text(GOOD)
    png = tmp_path / "device.png"
    assert main(["check", str(case), "--png", str(png), "-q"]) == 0
    out = capsys.readouterr()
    rows = _sizes(out.out)
    assert rows["pt"][1:] == (pytest.approx(40 * 20 * 4), "nm^3")      # 3200 nm^3
    assert rows["pt|yig"][1:] == (pytest.approx(800), "nm^2")
    assert rows["pt_xmin"][1:] == (pytest.approx(80), "nm^2")
    assert rows["pt_ymax"][1:] == (pytest.approx(160), "nm^2")
    assert "pt: Ta with sigma from the case: sigma = 600000 S/m" in out.out
    assert "lambda_sf = 1.8e-09 m, theta_sh = -0.12" in out.out
    assert f"source: {lib.get('Ta').source}" in out.out
    assert "pt|yig: magnetic, G_r = 4e+14, G_i = 0, G_s = 0 1/(Ohm m^2)" in out.out
    assert "pt_top: no [boundaries] entry: insulating" in out.out
    assert "pt_xmax: contact" in out.out and "no problems found" in out.out
    import matplotlib.image as mpimg
    img = mpimg.imread(png)
    assert img.shape[0] > 100 and len(np.unique(img.reshape(-1, img.shape[-1])[::11], axis=0)) > 20
    assert out.err == ""                                       # -q: no progress lines


def test_check_reports_problems_with_exit_code_2(tmp_path, capsys):
    case = tmp_path / "bad.toml"
    case.write_text(GOOD.replace('base = "Ta"', 'base = "Taa"').replace("pt_xmax]", "pt_xmx]"))
    assert main(["check", str(case), "--no-png"]) == 2
    err = capsys.readouterr().err
    assert "unknown material 'Taa'" in err and "did you mean 'Ta'?" in err
    assert "unknown facet name 'pt_xmx' (did you mean pt_xmax?)" in err
    assert not list(Path.cwd().glob("bad-device.png"))
    assert main(["check", str(tmp_path / "none.toml")]) == 2
    assert "not found" in capsys.readouterr().err


def test_check_verbose_logs_steps(tmp_path, capsys):
    case = tmp_path / "ta.toml"
    case.write_text(GOOD)
    assert main(["check", str(case), "--no-png", "-v"]) == 0
    err = capsys.readouterr().err
    assert re.search(r"\[kinetics +\d+\.\d s\] .*valid; meshing", err)


def test_mesh_accepts_geo_msh_and_case_files(tmp_path, capsys):
    assert main(["mesh", str(ROOT / "meshes" / "film.geo"), "-q"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("film.geo:") and "region" in out and "facet set" in out
    assert main(["mesh", str(CASE), "-q"]) == 0
    rows = _sizes(capsys.readouterr().out)
    assert rows["pt"][1] == pytest.approx(40 * 20 * 4)             # the case's 4 nm film
    msh = tmp_path / "film.msh"
    _write_msh(msh)
    assert main(["mesh", str(msh), "-q"]) == 0
    rows = _sizes(capsys.readouterr().out)
    assert rows["a"][1:] == (pytest.approx(2 * 3), "nm^2") and rows["left"][1] == 3


def _write_msh(path):
    """A 2 x 3 nm rectangle, region "a", edge "left" (x = 0), meshed by gmsh."""
    import gmsh
    gmsh.initialize(interruptible=False)
    try:
        gmsh.option.setNumber("General.Terminal", 0)
        gmsh.model.add("r")
        s = gmsh.model.occ.addRectangle(0, 0, 0, 2, 3)
        gmsh.model.occ.synchronize()
        gmsh.model.addPhysicalGroup(2, [s], name="a")
        left = [t for d, t in gmsh.model.getBoundary([(2, s)], oriented=False)
                if abs(gmsh.model.occ.getCenterOfMass(1, t)[0]) < 1e-9]
        gmsh.model.addPhysicalGroup(1, left, name="left")
        gmsh.option.setNumber("Mesh.MeshSizeMax", 0.5)
        gmsh.model.mesh.generate(2)
        gmsh.write(str(path))
    finally:
        gmsh.finalize()


@pytest.mark.parametrize("argv, message", [
    (["mesh", "hallbar"], "unknown device 'hallbar' (did you mean 'hall_bar'?)"),
    (["mesh", "nowhere.msh"], "nowhere.msh: file not found"),
    (["mesh", "nowhere.toml"], "nowhere.toml: file not found"),
    (["demo", "pt_yig"], "unknown demo 'pt_yig' (did you mean 'pt_yig_smr'?)"),
])
def test_unknown_names_get_a_suggestion(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_builder_keyword_errors_list_the_valid_ones():
    from kinetics.geometry import film, hall_bar, load
    with pytest.raises(TypeError) as info:
        hall_bar(400e-9, 50e-9, 4e-9, substrate="yig")
    text = str(info.value)
    assert text.startswith("hall_bar() got an unexpected keyword argument 'substrate'")
    assert "with interface=, default 'pt|yig'" in text
    assert "valid: length, width, thickness, arm_width=None" in text and "cells_across=None" in text
    with pytest.raises(TypeError, match=r"'thicknes' \(did you mean 'thickness'\?\); valid: "
                                        r"thickness, size, name='pt', substrate='yig'"):
        film(4e-9, (1e-8, 1e-8), thicknes=3)
    with pytest.raises(TypeError, match="missing a required argument: 'thickness'"):
        film(size=(1e-8, 1e-8))
    with pytest.raises(TypeError, match=r"did you mean 'length_unit'"):
        load("x.msh", lenght_unit=1.0)


@pytest.mark.parametrize("name, closest", [("Ptt", "Pt"), ("pt-vlietstra2", "Pt-Vlietstra"),
                                           ("Cu2", "Cu")])
def test_library_lookups_suggest_the_closest_name(name, closest):
    with pytest.raises(KeyError, match=f"known materials: .*; did you mean '{closest}'"):
        lib.get(name)
    with pytest.raises(KeyError, match=r"did you mean 'Pt\|YIG-Vlietstra'"):
        lib.interface("Pt|YIG-Vliestra")


def test_log_levels_and_rank0_only():
    import io

    from kinetics import log

    class Rank:
        def __init__(self, rank):
            self.rank = rank
    for verbosity, shown in ((-1, ["warning: w"]), (0, ["i", "warning: w"]),
                             (1, ["d", "i", "warning: w"])):
        stream = io.StringIO()
        logger = log.setup(verbosity, Rank(0), stream)
        logging.getLogger("kinetics.x").debug("d")
        logging.getLogger("kinetics.x").info("i")
        logging.getLogger("kinetics.x").warning("w")
        lines = [line.split("] ", 1)[1] for line in stream.getvalue().splitlines()]
        assert lines == shown
    stream = io.StringIO()
    log.setup(1, Rank(1), stream)
    logging.getLogger("kinetics.x").warning("w")
    assert stream.getvalue() == ""
    log.setup(0, Rank(0), io.StringIO())
    assert len([h for h in logger.handlers if h.get_name() == "kinetics-cli"]) == 1


def test_progress_bars_close(monkeypatch, capsys):
    from mpi4py import MPI

    from kinetics.runner import Progress
    progress = Progress(MPI.COMM_SELF)
    progress.tty = True                           # as on a terminal: tqdm bars
    advance = progress.bar(3, "sweep alpha")
    for i in range(1, 4):
        advance(i, 3)
    assert progress._bars == []                   # closed at i == n
    advance = progress.bar(5, "sweep beta")
    advance(1, 5)
    assert len(progress._bars) == 1
    progress.close()                              # a loop that ended early
    assert progress._bars == []
    err = capsys.readouterr().err
    assert "sweep alpha: 100%" in err and "3/3" in err and "1/5" in err


def test_run_quiet_and_default_levels(tmp_path, capsys):
    case = tmp_path / "ta.toml"
    case.write_text(GOOD)
    assert main(["run", str(case), "-o", str(tmp_path / "q"), "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["run", str(case), "-o", str(tmp_path / "v")]) == 0
    err = capsys.readouterr().err
    assert re.search(r"\[kinetics +\d+\.\d s\] meshing \(film", err) and "done:" in err
    from kinetics.io import load_results
    res = load_results(tmp_path / "v")
    assert res.provenance["materials"]["pt"]["sigma"] == 6e5
    assert res.provenance["interfaces"]["pt|yig"]["G_r"] == lib.interface("Pt|YIG").G_r
