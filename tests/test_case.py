"""Case files: validation messages (key, file, line, valid choices) and runs on 1 and 2 ranks."""

import json
import re
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
    (('V = 1e-3', 'V = "one"'), r"line 13: \[boundaries\.xmin\.V\] must be a number \(V\) in "
                                r"\[-1000, 1000\], got string 'one'"),
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
      '\n[boundaries.xmin]'), r"\[pumping\.frequency_Hz\] must be a number \(Hz\) in "
                                 r"\[1, 1e\+15\], got -1\.0"),
    (("[boundaries.xmin]", '[texture_pumping]\nfrequency_Hz = 1e10\ncone_angle_deg = 5.0\nJ = 1e-21\n'
      'tau = 1e-14\nD = 1e-3\n\n[boundaries.xmin]'), r"\[texture_pumping\.nu\] required"),
])
def test_validation_messages_name_key_file_and_line(edit, pattern):
    text = GOOD.replace(*edit)
    with pytest.raises(CaseError, match=pattern):
        parse_case(text, "good.toml")


@pytest.mark.parametrize("edit,pattern", [
    (('pt = "Pt"', 'pt = "Platinum"'), r"line 9: \[materials\.pt\] unknown material 'Platinum'; known materials: Ag, Al, Au"),
    (('pt = "Pt"', 'pt = "Pt"\ncu = "Cu"'), r"unknown region 'cu'; regions of the device: pt"),
    (("[boundaries.zmin]", "[boundaries.zmn]"), r"unknown facet name 'zmn' \(did you mean zmin"),
    (('interface = "Pt|YIG"', 'interface = "Pt|GGG"'), r"unknown interface 'Pt\|GGG'; known"),
])
def test_names_are_checked_against_the_mesh_and_library(edit, pattern):
    with pytest.raises(CaseError, match=pattern):     # raised by parse_case, before meshing
        case = parse_case(GOOD.replace(*edit), "good.toml")
        device = case.build_device(MPI.COMM_WORLD)
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


# ------------------------------------------------------------------------- before meshing
def _errors(text, name="good.toml"):
    with pytest.raises(CaseError) as info:
        parse_case(text, name)
    assert str(info.value) == "\n".join(info.value.errors)
    assert all(e.startswith(f"{name}, line ") for e in info.value.errors), info.value.errors
    return info.value.errors


def test_all_errors_of_a_file_are_reported_at_once():
    text = GOOD.replace('V = 1e-3', 'V = true').replace('pt = "Pt"', 'pt = "Platinum"') \
        .replace('m = [0.0, 1.0, 0.0]', 'm = [0.0, 1.0]') + '\n[solver]\ndegree = 4\n'
    errors = _errors(text)
    assert errors == [
        "good.toml, line 9: [materials.pt] unknown material 'Platinum'; known materials: Ag, Al, "
        "Au, Co, CoFeB, Cu, Fe, Ni, Pt, Pt-Vlietstra, Py, Ta, W",
        "good.toml, line 13: [boundaries.xmin.V] must be a number (V) in [-1000, 1000], got "
        "boolean true",
        "good.toml, line 21: [boundaries.zmin.m] must be a 3-vector [x, y, z], got 2 entries "
        "[0.0, 1.0]",
        "good.toml, line 24: [solver.degree] must be 1, 2 or 3, got integer 4"]


@pytest.mark.parametrize("edit,pattern", [
    (('lengths = [20e-9, 10e-9, 4e-9]', 'lengths = [20e-9, 10e-9, 4e-9]\nh = true'),
     r"line 5: \[geometry\.h\] must not be a boolean here, got true"),
    (('lengths = [20e-9, 10e-9, 4e-9]', 'lengths = [20e-9, nan, 4e-9]'),
     r"line 4: \[geometry\.lengths\] numbers must be finite, got nan"),
    (('pt = "Pt"', 'pt = { base = "Pt", sigma = -1.0 }'),
     r"line 9: \[materials\.pt\.sigma\] must be a number \(S/m\) in \[1e-06, 1e\+10\], got -1\.0"),
    (('pt = "Pt"', 'pt = { sigma = 1e6 }'),
     r"\[materials\.pt\] without base = NAME, lambda_sf is required"),
    (('pt = "Pt"', 'pt = { base = "Pt", lambda = 1e-9 }'),
     r"\[materials\.pt\.lambda\] unknown key 'lambda' \(did you mean 'lambda_(sf|J)'\?\)"),
    (('interface = "Pt|YIG"\n', ''), r"\[boundaries\.zmin\] a magnetic boundary needs interface"),
    (('m = [0.0, 1.0, 0.0]', 'm = [0.0, "1", 0.0]'),
     r"\[boundaries\.zmin\.m\] must be a 3-vector of numbers, got string '1' as entry 2"),
    (('m = [0.0, 1.0, 0.0]', 'rotation = [[1, 0, 0], [0, 1, 0], [0, 0, -1]]'),
     r"\[boundaries\.zmin\.rotation\] must be a proper rotation matrix"),
    (('V = 1e-3', 'V = 0.0'), r"\[boundaries\] nothing drives a current"),
    (("[boundaries.xmax]\ntype = \"contact\"", "[boundaries.xmax]\ntype = \"probe\""),
     r"\[boundaries\] .*at least one contact must fix the potential|nothing drives"),
])
def test_values_are_checked_before_meshing(edit, pattern):
    assert edit[0] in GOOD
    assert any(re.search(pattern, e) for e in _errors(GOOD.replace(*edit))), pattern


SWEEP = '\n[sweep]\ninterface = "zmin"\nplanes = ["alpha"]\nsteps = 5\n'
MEASURE = ('\n[[measure.resistance]]\nname = "R"\ncurrent = "xmin"\nplus = "xmin"\nminus = "xmax"\n'
           '\n[[measure.profile]]\nstart = [0.0, 5e-9, 1e-9]\nend = [20e-9, 5e-9, 1e-9]\n')


@pytest.mark.parametrize("edit,pattern", [
    (('steps = 5', 'steps = 0'), r"line 26: \[sweep\.steps\] must be an integer in \[3, 10000\], got "
                                 r"integer 0"),
    (('steps = 5', 'steps = 1000000'), r"\[sweep\.steps\] must be an integer in \[3, 10000\]"),
    (('steps = 5', 'steps = 2.5'), r"\[sweep\.steps\] must be an integer in \[3, 10000\], got number 2\.5"),
    (('planes = ["alpha"]', 'planes = []'), r"line 23: \[sweep\] the sweep is empty"),
    (('planes = ["alpha"]', 'planes = ["alpha", "alpha"]'), r"\[sweep\.planes\] has 'alpha' more than once"),
    (('planes = ["alpha"]', 'planes = ["alfa"]'),
     r"\[sweep\.planes\] entry 1: unknown plane 'alfa'; valid: alpha, beta, gamma; did you mean 'alpha'\?"),
    (('interface = "zmin"\nplanes', 'interface = "xmin"\nplanes'),
     r"\[sweep\.interface\] 'xmin' must be a boundary of type 'magnetic'; boundaries of type "
     r"'magnetic': zmin"),
    (('minus = "xmax"\n', ''), r"line 28: \[measure\.resistance\[0\]\.minus\] required, a string \(a facet name\)"),
    (('minus = "xmax"', 'minus = "xmin"'), r"line 32: \[measure\.resistance\[0\]\.minus\] must differ from plus"),
    (('current = "xmin"', 'current = "zmin"'),
     r"\[measure\.resistance\[0\]\.current\] 'zmin' must be a boundary of type 'contact' or 'current'"),
    (('end = [20e-9, 5e-9, 1e-9]', 'end = [0.0, 5e-9, 1e-9]'),
     r"line 36: \[measure\.profile\[0\]\.end\] must differ from start"),
    (('end = [20e-9, 5e-9, 1e-9]', 'end = [20e-9, 5e-9, 1e-9]\npoints = 1000000'),
     r"\[measure\.profile\[0\]\.points\] must be an integer in \[2, 10000\]"),
    (('[[measure.profile]]', '[[measure.torque]]\ninterface = "zmin"\ncurrent_density = [1e11, 0, 0]\n'
                             'normal = [2.0, 0, 0]\n\n[[measure.profile]]'),
     r"\[measure\.torque\[0\]\.normal\] current_density and normal are parallel"),
])
def test_sweeps_and_measures_are_checked_before_meshing(edit, pattern):
    text = GOOD + SWEEP + MEASURE
    assert edit[0] in text
    assert any(re.search(pattern, e) for e in _errors(text.replace(*edit))), pattern


@pytest.mark.parametrize("edit,pattern", [
    (('plus = "xmin"', 'plus = "xmn"'),
     r"line 31: \[measure\.resistance\[0\]\.plus\] unknown facet name 'xmn'; facets of the device: "
     r"xmax, xmin, ymax, ymin, zmax, zmin; did you mean 'xmin'\?"),
    (('[[measure.profile]]', '[[measure.spin_current]]\nsurface = "zmin"\nregion = "cu"\n\n[[measure.profile]]'),
     r"\[measure\.spin_current\[0\]\.region\] unknown region name 'cu'; regions of the device: pt"),
    (('pt = "Pt"', 'pt = "Pt"\ncu = "Cu"'), r"line 10: \[materials\.cu\] unknown region 'cu'"),
    (('layers = [["pt", 4e-9, 4]]', 'layers = [["pt", 2e-9, 2], ["cu", 2e-9, 2]]'),
     r"\[materials\] region\(s\) cu have no material"),
    (('cells = [4, 2, 4]', 'cells = [4, 2, 4]\ncells_across = 3'),
     r"line 6: \[geometry\.cells_across\] layered_box\(\): unknown parameter 'cells_across'"),
])
def test_names_are_checked_against_the_layout_before_meshing(edit, pattern):
    text = GOOD + SWEEP + MEASURE
    assert edit[0] in text
    errors = _errors(text.replace(*edit))
    assert any(re.search(pattern, e) for e in errors), errors


def test_a_texture_case_needs_relaxation_or_a_reservoir():
    text = (ROOT / "cases" / "texture_spin_wave.toml").read_text()
    text = text.replace('relaxation_time = 1e-11', '').replace('reservoirs = ["xmin"]', '')
    errors = _errors(text, "t.toml")
    assert errors == ["t.toml, line 12: [texture_pumping] no steady state: give relaxation_time (s) "
                      "or reservoirs = [FACET, ...] (the pumped spin has nowhere to go otherwise; "
                      "docs/pumping.md §2)"]


@pytest.mark.parametrize("content,pattern", [
    (b"title = 'x'\n# \xff\xfe\n", r"bad\.toml, line 2: not UTF-8 text \(byte 0xff at offset 14\)"),
    (b"", r"bad\.toml: the file is empty"),
    (b"a = 1\x00", r"bad\.toml, line 1: not a text file \(it contains NUL bytes\)"),
    (b"a = " + b"[" * 100_000, r"bad\.toml: invalid TOML: arrays or tables nested too deeply"),
    (b"a = " + b"[" * 20 + b"]" * 20, r"bad\.toml, line 1: \[a\] tables and arrays nested more than 10"),
    (b"# x\n" * 300_000, r"bad\.toml: the file is larger than 1048576 bytes"),
    (b"a = " + b"9" * 400, r"bad\.toml, line 1: \[a\] invalid TOML: an integer outside the 64-bit range"),
    (b"[geometry\n", r"bad\.toml, line 1: invalid TOML: Expected ']' at the end of a table declaration"),
])
def test_broken_files_are_one_clear_error(tmp_path, content, pattern):
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    with pytest.raises(CaseError, match=pattern) as info:
        load_case(path)
    assert len(info.value.errors) == 1
    with pytest.raises(CaseError, match=r"not a case file \(a directory"):
        load_case(tmp_path)


@pytest.mark.parametrize("value,pattern", [
    ("/etc/passwd", r"\[geometry\.file\] geometry file '/etc/passwd' is an absolute path"),
    ("../README.md", r"\[geometry\.file\] geometry file '\.\./README\.md': suffix '\.md' is not allowed"),
    ("../../../etc/x.msh", r"\[geometry\.file\] geometry file '\.\./\.\./\.\./etc/x\.msh': no such file"),
    ("none.msh", r"\[geometry\.file\] geometry file 'none\.msh': no such file"),
])
def test_geometry_files_only_from_the_case_folder_or_meshes(value, pattern):
    text = (ROOT / "cases" / "pt_yig_film.toml").read_text()
    start, end = text.index("[geometry]"), text.index("[materials]")
    text = text[:start] + f'[geometry]\nfile = "{value}"\n\n' + text[end:]
    with pytest.raises(CaseError, match=pattern):
        parse_case(text, "f.toml", ROOT / "cases")
    ok = parse_case(text.replace(value, "../meshes/film.geo"), "f.toml", ROOT / "cases")
    assert sorted(ok.layout.boundaries) == ["pt_top", "pt_xmax", "pt_xmin", "pt_ymax", "pt_ymin", "pt|yig"]


@pytest.mark.parametrize("value,pattern", [
    ('"../elsewhere"', r"c\.toml, line 13: \[geometry\.cache\] cache folder '\.\./elsewhere' leaves the "
                      r"output folder \(-o\)"),
    ('"/tmp/c"', r"line 13: \[geometry\.cache\] cache folder '/tmp/c' is an absolute path"),
    ("5", r"line 13: \[geometry\.cache\] cache must be true \(the user cache folder\), false, or a "
          r"folder relative to the output folder, got 5"),
])
def test_a_cache_folder_stays_in_the_output_folder(value, pattern, tmp_path):
    text = (ROOT / "cases" / "pt_yig_film.toml").read_text().replace("h = 4e-9", "h = 4e-9\ncache = ")
    with pytest.raises(CaseError, match=pattern):
        parse_case(text.replace("cache = ", "cache = " + value), "c.toml", ROOT / "cases")
    case = parse_case(text.replace("cache = ", 'cache = "mesh-cache"'), "c.toml", ROOT / "cases")
    from kinetics.case_layout import cache_dir
    assert cache_dir(case, tmp_path) == tmp_path.resolve() / "mesh-cache"


def test_the_docs_have_every_schema_table():
    from kinetics.case_checks import doc_tables
    docs = (ROOT / "docs" / "case_files.md").read_text()
    for title, table in doc_tables().items():
        assert table in docs, f"docs/case_files.md lacks the table of {title}:\n{table}"


def test_validation_does_not_import_dolfinx():
    """Validation stays light (no dolfinx, no PETSc): it runs before meshing in well under a
    second (timed in benchmarks/validation.py, not here)."""
    code = ("import sys; from kinetics.case import load_case\n"
            f"for p in {[str(c) for c in CASES]!r}: load_case(p)\n"
            "print('dolfinx' in sys.modules, 'petsc4py' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    dolfinx, petsc = out.stdout.split()
    assert dolfinx == "False" and petsc == "False", out.stdout


def test_petsc_options_come_from_the_allow_list_only():
    text = GOOD + ('\n[solver]\npetsc_options = { pc_type = "python", ksp_view = "ascii:/tmp/x", '
                   'ksp_rtol = 1e-12, ksp_atol = nan }\n')
    errors = _errors(text)
    assert [e.split("]")[0] for e in errors] == [
        "good.toml, line 24: [solver.petsc_options.ksp_atol",
        "good.toml, line 24: [solver.petsc_options.pc_type",
        "good.toml, line 24: [solver.petsc_options.ksp_view"]
    assert "runs or needs Python code" in errors[1] and "viewers print or write files" in errors[2]
    parse_case(GOOD + '\n[solver]\npetsc_options = { ksp_rtol = 1e-12, pc_type = "lu" }\n', "ok.toml")


def test_ferromagnet_materials_in_case_files():
    from kinetics.materials import Ferromagnet
    co = GOOD.replace('pt = "Pt"', 'pt = { base = "Co", m = [0.0, 0.0, -1.0] }')
    case = parse_case(co, "good.toml")
    built = case._materials["pt"]
    assert isinstance(built, Ferromagnet) and tuple(built.m) == (0.0, 0.0, -1.0)
    own = GOOD.replace('pt = "Pt"', 'pt = { sigma = 5e6, lambda_sf = 40e-9, beta = 0.4 }')
    assert isinstance(parse_case(own, "good.toml")._materials["pt"], Ferromagnet)
    no_beta = GOOD.replace('pt = "Pt"', 'pt = { sigma = 5e6, lambda_sf = 40e-9, '
                                        'lambda_J = 1e-9 }')
    assert any("beta is required" in e for e in _errors(no_beta))
    on_normal = GOOD.replace('pt = "Pt"', 'pt = { base = "Pt", beta = 0.4 }')
    assert any("[materials.pt]" in e and "beta" in e for e in _errors(on_normal))
    too_big = GOOD.replace('pt = "Pt"', 'pt = { base = "Co", beta = 1.0 }')
    assert any("[materials.pt.beta]" in e for e in _errors(too_big))


def test_a_mesh_too_large_for_memory_is_refused_before_meshing(monkeypatch):
    parse_case(GOOD, "good.toml")                       # 32 cells fit
    monkeypatch.setenv("KINETICS_MEMORY_GB", "1e-6")    # a 1 kB machine
    errors = _errors(GOOD)
    assert len(errors) == 1 and "[geometry] the mesh would have about 32 cells" in errors[0]
    assert "kB per cell" in errors[0] and "KINETICS_MEMORY_GB" in errors[0]
