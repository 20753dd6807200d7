"""Geometry known before meshing (describe), safe geometry files and mesh caches.

describe() must give exactly the names of the meshed device for every builder; bad
parameters must fail in describe() with one clear ValueError; .geo scripts that run
programs, write files or leave the case's folders must be refused, naming file and line.
"""

import math
import os
import tomllib
from pathlib import Path

import pytest

from kinetics import geometry
from kinetics.geometry import safety
from kinetics.geometry._gmsh import cache_path

NM = 1e-9
ROOT = Path(__file__).resolve().parent.parent
MESHES = ROOT / "meshes"

# ---------------------------------------------------------------------------------------
# describe() == the meshed device, for every builder
# ---------------------------------------------------------------------------------------
SAME_NAMES = [
    ("layered_box", {"lengths": [20 * NM, 10 * NM], "cells": [2, 2], "axes": "xz"}),
    ("layered_box", {"lengths": [10 * NM, 6 * NM, 0], "cells": [2, 2, 0],
                     "layers": [("pt", 3 * NM, 2), ("cu", 2 * NM, 1)],
                     "cell_type": "tetrahedron"}),
    ("layered_box", {"lengths": [300 * NM], "cells": [3], "axes": "x"}),
    ("film", {"thickness": 4 * NM, "size": [20 * NM, 10 * NM], "h": 5 * NM, "cells_across": 1}),
    ("film", {"thickness": 4 * NM, "size": 20 * NM, "dim": 2, "substrate": None, "h": 4 * NM}),
    ("stack", {"layers": [("pt", 4 * NM), ("cu", 4 * NM), ("py", 4 * NM)],
               "size": [16 * NM, 12 * NM], "h": 4 * NM}),
    ("stack", {"layers": [["pt", 4 * NM], ["cu", 6 * NM]], "size": [20 * NM], "dim": 2,
               "substrate": "yig", "h": 4 * NM, "refine": {"pt_xmin": [2 * NM, 2 * NM]}}),
    ("hall_bar", {"length": 100 * NM, "width": 40 * NM, "thickness": 5 * NM, "h": 10 * NM,
                  "cells_across": 1}),
    ("hall_bar", {"length": 160 * NM, "width": 40 * NM, "thickness": 5 * NM,
                  "arm_width": 20 * NM, "arm_length": 20 * NM, "arm_positions": [-40 * NM, 40 * NM],
                  "interface": "pt|tmig", "h": 10 * NM, "cells_across": 1}),
    ("nonlocal_spin_valve", {"channel_length": 200 * NM, "channel_width": 40 * NM,
                             "channel_thickness": 10 * NM, "gap": 40 * NM,
                             "fm_thickness": 10 * NM, "fm_widths": [20 * NM, 30 * NM],
                             "fm_length": 80 * NM, "h": 10 * NM}),
    ("nonlocal_spin_valve", {"channel_length": 200 * NM, "channel_width": 40 * NM,
                             "channel_thickness": 10 * NM, "gap": 40 * NM,
                             "fm_thickness": 10 * NM, "fm_length": 40 * NM, "h": 10 * NM}),
    ("nonlocal_spin_valve", {"channel_length": 200 * NM, "channel_width": 40 * NM,
                             "channel_thickness": 10 * NM, "gap": 40 * NM,
                             "fm_thickness": 10 * NM, "dim": 2, "h": 5 * NM}),
    ("pillar", {"layers": [("fm", 4 * NM)], "semi_axes": 8 * NM, "h": 4 * NM, "cells_across": 1}),
    ("pillar", {"layers": [("py", 3 * NM), ("cu", 3 * NM)], "semi_axes": [6 * NM, 10 * NM],
                "h": 3 * NM}),
    # a: top fully covered by c (no a_top), xmax partly covered by b (a|b and a_xmax)
    ("blocks", {"boxes": {"a": [[0, 0, 0], [20 * NM, 10 * NM, 10 * NM]],
                          "b": [[20 * NM, 0, 0], [30 * NM, 5 * NM, 10 * NM]],
                          "c": [[0, 0, 10 * NM], [20 * NM, 10 * NM, 15 * NM]]},
                "rename": {"a_xmin": "left", "b_xmax": "right", "c_top": "right"}, "h": 5 * NM}),
    # 2D: d touches a only at a corner (no interface), b sits on part of a's top
    ("blocks", {"boxes": {"a": [[0, 0], [20 * NM, 10 * NM]], "b": [[5 * NM, 10 * NM], [15 * NM, 15 * NM]],
                          "d": [[20 * NM, 10 * NM], [30 * NM, 20 * NM]]}, "dim": 2, "h": 5 * NM}),
]


@pytest.mark.mpi
@pytest.mark.parametrize("builder, params", SAME_NAMES,
                         ids=[f"{b}-{i}" for i, (b, _) in enumerate(SAME_NAMES)])
def test_describe_names_equal_the_meshed_device(builder, params):
    layout = geometry.describe(builder, params)
    kw = dict(params)
    if builder in ("stack", "pillar"):
        kw["layers"] = [tuple(x) for x in kw["layers"]]
    device = getattr(geometry, builder)(**kw)
    assert list(layout.regions) == list(device.regions)
    assert list(layout.boundaries) == list(device.boundaries)
    assert layout.dim == device.dim and layout.axes == device.axes
    if builder == "layered_box":
        assert layout.cells == geometry.statistics(device)["cells"]


@pytest.mark.parametrize("builder, params", [
    ("film", {"thickness": 10 * NM, "size": [100 * NM, 100 * NM], "h": 5 * NM}),
    ("film", {"thickness": 10 * NM, "size": [100 * NM, 100 * NM], "h": 5 * NM, "cells_across": 4}),
    ("film", {"thickness": 20 * NM, "size": 200 * NM, "dim": 2, "h": 2 * NM}),
    ("hall_bar", {"length": 400 * NM, "width": 100 * NM, "thickness": 10 * NM, "h": 12 * NM,
                  "arm_width": 40 * NM, "arm_length": 60 * NM, "cells_across": 2}),
])
def test_cell_estimate_is_within_a_factor_of_two(builder, params):
    estimate = geometry.describe(builder, params).cells
    cells = geometry.statistics(getattr(geometry, builder)(**params))["cells"]
    assert cells / 2 < estimate < 2 * cells, (estimate, cells)


def test_describe_example_cases():
    """(Its speed is timed in benchmarks/validation.py, not asserted here.)"""
    seen = 0
    for case in sorted((ROOT / "cases").glob("*.toml")):
        geo = dict(tomllib.loads(case.read_text())["geometry"])
        if "builder" in geo:
            layout = geometry.describe(geo.pop("builder"), geo)
            assert layout.regions and layout.boundaries
            seen += 1
    assert seen >= 3


# ---------------------------------------------------------------------------------------
# describe() errors: one ValueError naming the builder and the parameter
# ---------------------------------------------------------------------------------------
HB = {"length": 100 * NM, "width": 40 * NM, "thickness": 5 * NM}


@pytest.mark.parametrize("builder, params, match", [
    ("hall_bar", {**HB, "substrate": "yig"},
     r"hall_bar\(\): unknown parameter 'substrate'; valid: length, width, thickness"),
    ("hall_bar", {**HB, "lenght": 1e-7}, r"'lenght' \(did you mean 'length'\?\)"),
    ("hall_bar", {"length": 100 * NM, "width": 40 * NM}, r"missing required parameter 'thickness'"),
    ("hall_bar", {**HB, "width": math.nan}, r"hall_bar\(\): width must be a positive length .* nan"),
    ("hall_bar", {**HB, "thickness": math.inf}, r"thickness must be a positive length .* inf"),
    ("hall_bar", {**HB, "h": True}, r"h must be a positive length in metres, got True"),
    ("hall_bar", {**HB, "h": "5e-9"}, r"h must be a positive length in metres, got '5e-9'"),
    ("hall_bar", {**HB, "length": -1e-7}, r"length must be a positive length"),
    ("hall_bar", {**HB, "length": 0}, r"length must be a positive length"),
    ("hall_bar", {**HB, "length": 2.0}, r"length = 2 m is larger than 1 m"),
    ("hall_bar", {**HB, "thickness": 1e-13}, r"thickness = 1e-13 m is smaller than 1e-12 m"),
    ("hall_bar", {**HB, "h": 1e-11}, r"about .* cells, more than the budget of 5e\+07"),
    ("hall_bar", {**HB, "h": 1e-6, "cells_across": 1}, r"h = 1e-06 m is larger than the device"),
    ("hall_bar", {**HB, "cells_across": 2.5}, r"cells_across for layer 'pt' must be an integer"),
    ("hall_bar", {**HB, "cells_across": True}, r"must be an integer >= 1"),
    ("hall_bar", {**HB, "cells_across": 10 ** 5}, r"<= 10000, got 100000"),
    ("hall_bar", {**HB, "cells_across": 1, "grading": 1.0}, r"grading must be in \[0, 1\)"),
    ("hall_bar", {**HB, "cells_across": 1, "grading": False}, r"grading must be a number"),
    ("hall_bar", {**HB, "arm_positions": [math.nan]}, r"arm_positions\[0\] must be a finite"),
    ("hall_bar", {**HB, "refine": {"pt|cu": [1e-9, 1e-9]}},
     r"refine: unknown facet name 'pt\|cu'; facets of this device: contact_left"),
    ("hall_bar", {**HB, "verbose": "yes"}, r"verbose must be true or false"),
    ("hall_bar", {**HB, "cache": 3}, r"cache must be true, false or a folder"),
    ("film", {"thickness": 4 * NM, "size": [20 * NM, 10 * NM], "cells_across": 2,
              "refine": {"pt|yig": [1e-9, 1e-9]}}, r"perpendicular to the stacking axis"),
    ("film", {"thickness": 4 * NM, "size": [20 * NM, 10 * NM], "dim": 2.0}, r"dim must be 2 or 3"),
    ("stack", {"layers": [["pt", 4 * NM, 3]], "size": [20 * NM, 10 * NM]},
     r"layers must be a list of \(name, thickness_m\) pairs"),
    ("pillar", {"layers": [["fm", 2 * NM]], "semi_axes": [10 * NM, -1 * NM]}, r"semi_axes\[1\]"),
    ("stack", {"layers": [[f"l{i}", 2 * NM] for i in range(101)], "size": [20 * NM, 10 * NM]},
     r"layers has 101 entries, more than the limit of 100"),
    ("blocks", {"boxes": {f"b{i}": [[i * NM, 0, 0], [(i + 1) * NM, NM, NM]] for i in range(101)}},
     r"boxes has 101 entries, more than the limit of 100"),
    ("nonlocal_spin_valve", {"channel_length": 200 * NM, "channel_width": 40 * NM,
                             "channel_thickness": 10 * NM, "gap": 40 * NM,
                             "fm_thickness": False}, r"fm_thickness must be a positive length"),
    ("blocks", {"boxes": {"a": [[0, 0, 0], [20 * NM, 10 * NM, 10 * NM]],
                          "b": [[10 * NM, 0, 0], [30 * NM, 10 * NM, 10 * NM]]}, "h": 5 * NM},
     r"regions 'a' and 'b' overlap"),
    ("blocks", {"boxes": {"a": [[0, 0, math.nan], [20 * NM, 10 * NM, 10 * NM]]}},
     r"box 'a' corner 0 coordinate 2 must be a finite coordinate"),
    ("blocks", {"boxes": {"a": [[0, 0, 0], [10 * NM, 10 * NM, 10 * NM]]}, "rename": {"a_left": "x"}},
     r"rename: unknown facet name\(s\) \['a_left'\]; facets: a_bottom"),
    ("layered_box", {"lengths": [20 * NM, 10 * NM], "cells": [2.5, 2]}, r"cells\[0\] must be an integer"),
    ("layered_box", {"lengths": [20 * NM, 10 * NM], "cells": [2, 2], "axes": "xx"},
     r"axes must be 2 distinct letters"),
    ("layered_box", {"lengths": [20 * NM, True], "cells": [2, 2]}, r"thickness of layer 'film'"),
    ("layered_box", {"lengths": [1e-6, 1e-6, 1e-6], "cells": [1000, 1000, 1000]},
     r"about 1e\+09 cells, more than the budget"),
    ("layered_box", {"lengths": [20 * NM, 10 * NM], "cells": [2, 2], "comm": None},
     r"unknown parameter 'comm'"),
])
def test_describe_rejects_bad_parameters(builder, params, match):
    with pytest.raises(ValueError, match=match):
        geometry.describe(builder, params)


def test_describe_rejects_unknown_builders_and_non_tables():
    with pytest.raises(ValueError, match=r"unknown builder 'hallbar' \(did you mean 'hall_bar'\?\); "
                                         r"valid: layered_box, film"):
        geometry.describe("hallbar", {})
    with pytest.raises(ValueError, match=r"unknown builder 3; valid"):
        geometry.describe(3, {})
    with pytest.raises(ValueError, match=r"film\(\): parameters must be a table"):
        geometry.describe("film", [1, 2])
    assert geometry.describe("hall_bar", HB, max_cells=1e9).cells > 0
    with pytest.raises(ValueError, match="budget of 10"):
        geometry.describe("hall_bar", HB, max_cells=10)


@pytest.mark.parametrize("call, match", [
    (lambda: geometry.film(math.nan, (20 * NM, 10 * NM)), r"thickness of layer 'pt' .* nan"),
    (lambda: geometry.film(4 * NM, (20 * NM, math.inf)), r"size\[1\] must be a positive length"),
    (lambda: geometry.film(4 * NM, (20 * NM, 10 * NM), h=True), r"h must be a positive length .* True"),
    (lambda: geometry.hall_bar(100 * NM, 40 * NM, 5 * NM, cells_across=2.0), r"must be an integer"),
    (lambda: geometry.layered_box([20 * NM, 10 * NM], [2.5, 2]), r"cells\[0\] must be an integer"),
    (lambda: geometry.layered_box([math.nan, 10 * NM], [2, 2]), r"lengths\[0\] must be a positive"),
    (lambda: geometry.blocks({"a": ((0, 0, 0), (10 * NM, 10 * NM, math.inf))}), r"coordinate 2"),
])
def test_builders_reject_nan_bool_and_non_integer_counts(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---------------------------------------------------------------------------------------
# .geo scripts
# ---------------------------------------------------------------------------------------
SAFE = 'SetFactory("OpenCASCADE");\nBox(1) = {0, 0, 0, 10, 10, 2};\nPhysical Volume("pt") = {1};\n'


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.mark.parametrize("line", [
    'SystemCall "touch pwned";', 'System "touch pwned";', 'NonBlockingSystemCall "touch x";',
    'OnelabRun("x", "touch x");', 'Save "x.msh";', 'Save View[0] "x.pos";', 'Print "x.png";',
    'CreateDir "x";', 'DeleteFile "x";', 'Exit;', 'Abort;', 'Sleep 100;',
    'x = GetValue("x?", 1);', 'Plugin(Integrate).Run;', 'Printf("%g", 1) > "out.txt";',
    "Printf('a') >> 'out.txt';", 'General.AbortOnError = 4;', 'General.ErrorFileName = "e";',
    'Solver.Executable0 = "/bin/sh";', 'SetNumber("General.AbortOnError", 4);',
    'SetString("Solver.Executable0", "/bin/sh");', 'Include "/etc/passwd.geo";',
    'Include StrCat("a", ".geo");', 'Merge "../outside.geo";', 'Merge "notes.txt";',
    'v() = ShapeFromFile("missing.step");', 'NewModel;',
])
def test_refused_geo_commands(tmp_path, line):
    geo = write(tmp_path / "case" / "x.geo", SAFE + "\n" + line + "\n")
    write(tmp_path / "outside.geo", SAFE)
    write(tmp_path / "case" / "notes.txt", "hello")
    with pytest.raises(ValueError, match=r"x\.geo is refused \(it could run programs.*\): x\.geo:5: "):
        geometry.check_geo_script(geo, [tmp_path / "case"])


@pytest.mark.parametrize("line", [
    '// SystemCall "touch pwned"; Exit;', '/* Save "x.msh";\n Exit; */',
    'Printf("SystemCall Exit Save > out");', "name = 'Exit; SystemCall \"x\"';",
    'Physical Surface("Print|Save") = {1};', 'General.Terminal = 0;', 'Mesh.MeshSizeMax = 2;',
    'SetNumber("Mesh.MeshSizeMax", 2);', 'Printf("x = %g", 2);', 'mySystemCall = 1;',
    'Include "sub/part.geo";', 'Merge "sub/../sub/part.geo";',
])
def test_the_same_words_in_comments_and_strings_are_accepted(tmp_path, line):
    write(tmp_path / "case" / "sub" / "part.geo", "// a part\nlc = 1;\n")
    geo = write(tmp_path / "case" / "x.geo", SAFE + "\n" + line + "\n")
    geometry.check_geo_script(geo, [tmp_path / "case"])


def test_every_problem_is_reported_with_file_and_line(tmp_path):
    write(tmp_path / "case" / "sub" / "inc.geo", "a = 1;\n\nExit;\n")
    geo = write(tmp_path / "case" / "main.geo",
                '/* a\n b */ SystemCall "x";\nInclude "sub/inc.geo";\nSave "y";\n')
    with pytest.raises(ValueError) as err:
        geometry.check_geo_script(geo, [tmp_path / "case"])
    msg = str(err.value)
    assert "\n" not in msg
    assert "main.geo:2: 'SystemCall' runs a shell command" in msg
    assert "inc.geo:3: 'Exit' ends the process" in msg
    assert "main.geo:4: 'Save' writes a file" in msg


def test_include_outside_the_tree_symlinks_and_cycles(tmp_path):
    case = tmp_path / "case"
    write(tmp_path / "elsewhere" / "b.geo", "a = 1;\n")
    geo = write(case / "x.geo", 'Include "../elsewhere/b.geo";\n')
    with pytest.raises(ValueError, match=r"x\.geo:1: 'Include \"\.\./elsewhere/b\.geo\"'.*outside"):
        geometry.check_geo_script(geo, [case])
    geometry.check_geo_script(geo, [case, tmp_path / "elsewhere"])   # an allowed root
    os.symlink(tmp_path / "elsewhere" / "b.geo", case / "link.geo")
    geo = write(case / "y.geo", 'Include "link.geo";\n')
    with pytest.raises(ValueError, match="outside the allowed folders"):
        geometry.check_geo_script(geo, [case])
    write(case / "p.geo", 'Include "q.geo";\n')
    write(case / "q.geo", 'Include "p.geo";\n')
    with pytest.raises(ValueError, match=r"includes itself \(a cycle: p\.geo -> q\.geo -> p\.geo\)"):
        geometry.check_geo_script(case / "p.geo", [case])


def test_shipped_geo_files_pass_the_safety_check():
    files = sorted(MESHES.glob("*.geo"))
    assert files
    for f in files:
        geometry.check_geo_script(f, [MESHES])


def test_msh_without_header_is_a_script_and_refused(tmp_path):
    fake = write(tmp_path / "fake.msh", 'SystemCall "touch pwned";\n')
    with pytest.raises(ValueError, match="fake.msh is not a gmsh mesh file"):
        geometry.check_geo_script(fake, [tmp_path])
    with pytest.raises(ValueError, match="fake.msh is not a gmsh mesh file"):
        geometry.describe_file(fake)              # also when trusted
    assert not (tmp_path / "pwned").exists()


# ---------------------------------------------------------------------------------------
# geometry paths from case files
# ---------------------------------------------------------------------------------------
def test_check_geometry_path(tmp_path, monkeypatch):
    case = tmp_path / "case"
    good = write(case / "geo" / "dev.geo", SAFE)
    write(tmp_path / "secret.geo", SAFE)
    roots = [case]
    assert geometry.check_geometry_path("geo/dev.geo", case, roots) == good.resolve()
    assert geometry.check_geometry_path("geo/../geo/dev.geo", case, roots) == good.resolve()
    cases = [("/etc/shadow.geo", "absolute path"), ("~/x.geo", "'~'"), ("", "non-empty"),
             (3, "non-empty relative path"), ("../secret.geo", "outside the allowed folders"),
             ("geo/missing.geo", "no such file"), ("geo/dev.txt", "suffix '.txt'"),
             ("geo", "suffix '\\(none\\)'")]
    for value, match in cases:
        with pytest.raises(ValueError, match=match):
            geometry.check_geometry_path(value, case, roots)
    os.symlink(tmp_path / "secret.geo", case / "link.geo")
    with pytest.raises(ValueError, match=r"'link.geo' resolves to .*secret.geo, outside"):
        geometry.check_geometry_path("link.geo", case, roots)
    (case / "dir.geo").mkdir()
    with pytest.raises(ValueError, match="not a regular file"):
        geometry.check_geometry_path("dir.geo", case, roots)
    os.symlink("/etc/hostname", case / "host.msh")
    with pytest.raises(ValueError, match="outside the allowed folders"):
        geometry.check_geometry_path("host.msh", case, roots)
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 10)
    with pytest.raises(ValueError, match="larger than the limit"):
        geometry.check_geometry_path("geo/dev.geo", case, roots)


def test_meshes_folder_is_a_default_root(tmp_path):
    case = tmp_path / "case"
    case.mkdir()
    rel = os.path.relpath(MESHES / "film.geo", case)
    assert geometry.check_geometry_path(rel, case) == (MESHES / "film.geo").resolve()
    with pytest.raises(ValueError, match="outside"):
        geometry.check_geometry_path(rel, case, [case])


# ---------------------------------------------------------------------------------------
# describe_file and load(trusted=False)
# ---------------------------------------------------------------------------------------
def test_describe_file_names_without_meshing(tmp_path, capfd):
    layout = geometry.describe_file(MESHES / "stack.geo")
    assert layout.regions == ("pt", "cu") and layout.dim == 3 and layout.axes == "xyz"
    assert {"pt|yig", "pt|cu", "cu_top", "pt_xmin"} <= set(layout.boundaries)
    assert geometry.describe_file(MESHES / "stack2d.geo").axes == "xz"
    d = geometry.load(MESHES / "stack.geo", parameters={"h": 10})
    assert layout.regions == tuple(d.regions) and layout.boundaries == tuple(d.boundaries)
    # a .msh written by the cache reads back with the builder's names
    geometry.film(4 * NM, (20 * NM, 10 * NM), h=5 * NM, cells_across=1, cache=tmp_path)
    msh = next(tmp_path.glob("stack-*.msh"))
    assert geometry.describe_file(msh).boundaries == geometry.describe(
        "film", {"thickness": 4 * NM, "size": [20 * NM, 10 * NM], "h": 5 * NM, "cells_across": 1}).boundaries
    capfd.readouterr()
    bad = [(write(tmp_path / "garbage.msh", "$MeshFormat\n4.1 0 8\n$EndMeshFormat\n$Nodes\n1 2"),
            r"garbage\.msh: gmsh cannot read it: "),
           (write(tmp_path / "empty.msh", ""), "empty.msh is not a gmsh mesh file"),
           (write(tmp_path / "empty.geo", ""), r"empty\.geo: gmsh cannot read it: Could not merge"),
           (write(tmp_path / "syntax.geo", "Point(1) = {0, 0, 0;\n"),
            r"syntax\.geo: gmsh cannot read it: .*syntax error"),
           (write(tmp_path / "bare.geo", "Point(1) = {0, 0, 0};\n"), "bare.geo has no physical groups"),
           (tmp_path / "none.geo", "no such mesh or geometry file")]
    for path, match in bad:
        with pytest.raises(ValueError, match=match):
            geometry.describe_file(path)
    out, err = capfd.readouterr()
    assert out == "" and err == ""                   # gmsh kept quiet


def test_untrusted_scripts_are_refused_before_gmsh_runs(tmp_path):
    marker = tmp_path / "pwned"
    geo = write(tmp_path / "evil.geo", SAFE + f'SystemCall "touch {marker}";\n')
    with pytest.raises(ValueError, match=r"evil\.geo:4: 'SystemCall'"):
        geometry.describe_file(geo, trusted=False)
    with pytest.raises(ValueError, match=r"evil\.geo:4: 'SystemCall'"):
        geometry.load(geo, trusted=False, roots=[tmp_path])
    assert not marker.exists()
    exit_geo = write(tmp_path / "exit.geo", SAFE + "Exit;\n")
    with pytest.raises(ValueError, match="'Exit' ends the process"):
        geometry.load(exit_geo, trusted=False)
    d = geometry.load(MESHES / "film.geo", parameters={"h": 10}, trusted=False, roots=[MESHES])
    assert list(d.regions) == ["pt"]


def test_load_rejects_bad_inputs(tmp_path):
    with pytest.raises(ValueError, match=r"parameters\['h'\] must be a number or a string, got True"):
        geometry.load(MESHES / "film.geo", parameters={"h": True})
    with pytest.raises(ValueError, match="length_unit must be"):
        geometry.load(MESHES / "film.geo", length_unit=math.nan)
    with pytest.raises(ValueError, match="h must be a positive element size"):
        geometry.load(MESHES / "film.geo", h=-1)


# ---------------------------------------------------------------------------------------
# mesh caches
# ---------------------------------------------------------------------------------------
def test_check_cache_dir(tmp_path, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setenv("KINETICS_MESH_CACHE", str(tmp_path / "user-cache"))
    assert geometry.check_cache_dir(True, out) == tmp_path / "user-cache"
    assert geometry.check_cache_dir(False, out) is None
    assert geometry.check_cache_dir("mesh-cache", out) == out.resolve() / "mesh-cache"
    assert geometry.check_cache_dir("a/../b", out) == out.resolve() / "b"
    out.mkdir()
    os.symlink(tmp_path, out / "escape")
    for value, match in [("../x", "leaves the output folder"), ("/tmp/x", "absolute path"),
                         ("~/.cache", "'~'"), (1, "must be true"), (None, "must be true"),
                         (["x"], "must be true"), ("escape/x", "leaves the output folder")]:
        with pytest.raises(ValueError, match=match):
            geometry.check_cache_dir(value, out)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other names"])
def test_damaged_cache_files_are_rebuilt(tmp_path, damage):
    kw = dict(h=5 * NM, cells_across=1, cache=tmp_path)
    a = geometry.film(4 * NM, (20 * NM, 10 * NM), **kw)
    (msh,) = tmp_path.glob("stack-*.msh")
    good = msh.read_bytes()
    if damage == "garbage":
        msh.write_bytes(b"\x00\x01garbage")
    elif damage == "truncated":
        msh.write_bytes(good[:len(good) // 2])
    else:  # a complete mesh of another device under this key
        geometry.film(4 * NM, (20 * NM, 10 * NM), name="w", **kw)
        (other,) = [p for p in tmp_path.glob("stack-*.msh") if p != msh]
        msh.write_bytes(other.read_bytes())
    b = geometry.film(4 * NM, (20 * NM, 10 * NM), **kw)
    assert list(b.regions) == list(a.regions) and list(b.boundaries) == list(a.boundaries)
    assert b.volume("pt") == pytest.approx(a.volume("pt"), rel=1e-12)
    assert msh.read_bytes().startswith(b"$MeshFormat") and len(msh.read_bytes()) > len(good) // 2
    assert not list(tmp_path.glob(".*tmp*"))          # no temporary files left


def test_unwritable_cache_only_warns(tmp_path):
    blocker = write(tmp_path / "cache", "a file where the folder should be")
    with pytest.warns(RuntimeWarning, match="mesh cache .* not written"):
        d = geometry.film(4 * NM, (20 * NM, 10 * NM), h=5 * NM, cells_across=1, cache=blocker)
    assert list(d.regions) == ["pt"]
    assert cache_path(blocker, "stack", {}).parent == blocker
