"""Mutated example cases: every bad input is a clear CaseError before meshing.

From each example case (cases/*.toml) the mutation classes of issue #14 are generated
programmatically: every key deleted in turn; wrong types; numbers negative, zero, NaN, ±inf,
1e308, 1e-300; vectors of the wrong length, non-numeric, zero, non-unit; counts 0, -1,
10**6, 2.5; an unknown name in every string; broken files (TOML syntax, non-UTF-8, NUL
bytes, empty, deep nesting, too large, not a file); geometry file and cache paths.  Each
mutant is parsed in-process (``parse_case`` of the mutated text with the example's path and
folder, or ``load_case`` of a file for the byte-level mutants) and classified:

- ``error``: a CaseError whose every line starts with the file path and names the key;
- ``traceback``: any other exception (a failure);
- ``accepted-valid``: accepted, and listed in :data:`ACCEPTED` (reviewed: genuinely valid);
- ``accepted``: accepted although not listed (a failure: silently accepted bad input).

``python3 tests/test_case_mutations.py --table`` prints the outcome counts.
"""

from __future__ import annotations

import json
import math
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kinetics.case import CaseError, load_case, parse_case  # noqa: E402

CASES = sorted((ROOT / "cases").glob("*.toml"))
CLASSES = ("delete", "types", "numbers", "vectors", "counts", "names", "files", "paths",
           "scripts", "petsc")

#: Mutants that may be accepted, reviewed one by one: class -> [(key pattern, mutation kinds)].
#: Key patterns are fnmatch patterns of the dotted key path (list entries as [i]).
ACCEPTED: dict[str, list[tuple[str, set]]] = {
    "delete": [
        # optional keys and sections: defaults apply, the case stays meaningful
        ("title", {"delete"}), ("output", {"delete"}), ("output.*", {"delete"}),
        ("solver", {"delete"}), ("solver.*", {"delete"}),
        ("geometry.h", {"delete"}), ("geometry.cells_across", {"delete"}),
        ("geometry.grading", {"delete"}), ("geometry.name", {"delete"}),  # name: default "pt"
        ("geometry.substrate", {"delete"}),       # default "yig": the same facet names
        ("geometry.axes", {"delete"}),            # lengths has 2 entries: x-y is the default
        ("boundaries.*.V", {"delete"}), ("boundaries.*.spin", {"delete"}),
        ("boundaries.pt|yig.m", {"delete"}),      # default (0, 0, 1); sweeps set m themselves
        ("boundaries.pt_ymin", {"delete"}), ("boundaries.pt_ymax", {"delete"}),  # probes:
        # their facets stay facets of the device (insulating), still measurable
        ("boundaries.pt_xmax", {"delete"}),       # pumping: pt_xmin stays a fixed contact...
        ("measure", {"delete"}), ("measure.*", {"delete"}), ("measure.*[*]", {"delete"}),
        ("measure.torque[*].name", {"delete"}),
        ("sweep", {"delete"}),                    # then the steady model runs
        ("sweep.planes", {"delete"}), ("sweep.steps", {"delete"}),
        ("pumping.axis", {"delete"}), ("pumping.samples", {"delete"}),
        ("pumping.floating", {"delete"}),
        # nonlocal spin valve (circuit model): builder defaults (electrode widths, no
        # refinement), library values (Cu's θ_SH, Py's m = z), no antiparallel state, no
        # Hanle sweep (or its default z axis); without [circuit] the default spin-charge
        # model runs the same device with continuous interfaces
        ("geometry.fm_widths", {"delete"}), ("geometry.refine", {"delete"}),
        ("geometry.refine.*", {"delete"}), ("materials.*.theta_sh", {"delete"}),
        ("materials.*.m", {"delete"}), ("circuit", {"delete"}), ("circuit.flip", {"delete"}),
        ("circuit.hanle_fields", {"delete"}), ("circuit.hanle_axis", {"delete"}),
        ("texture_pumping.axis", {"delete"}), ("texture_pumping.wavevector", {"delete"}),
        ("texture_pumping.harmonics", {"delete"}), ("texture_pumping.samples", {"delete"}),
        ("texture_pumping.relaxation_time", {"delete"}),  # reservoirs remain
        ("texture_pumping.reservoirs", {"delete"}),       # relaxation_time remains
        # Usadel S-N-S wire: defaults (degree, no eV unit), a normal region or reservoir
        # (delta 0), no reservoirs (vacuum ends: a normal wire); without length_unit the
        # mesh unit (and with it E0 = ħD/L²) changes, still a valid problem
        ("geometry.length_unit", {"delete"}), ("usadel.degree", {"delete"}),
        ("usadel.energy_unit_eV", {"delete"}), ("usadel.regions.*.delta", {"delete"}),
        ("usadel.reservoirs", {"delete"}), ("usadel.reservoirs.*", {"delete"}),
        ("usadel.reservoirs.*.delta", {"delete"}), ("usadel.reservoirs.*.phase", {"delete"}),
        # Usadel Keldysh sweep (superconducting strip): defaults of the region (no pairing,
        # D̂ = 1, θ = κ = 0, no Elliott–Yafet relaxation) and of the energies per temperature
        ("usadel.regions.*.tc0", {"delete"}), ("usadel.regions.*.D", {"delete"}),
        ("usadel.regions.*.theta", {"delete"}), ("usadel.regions.*.kappa", {"delete"}),
        ("usadel.regions.*.tau_so", {"delete"}), ("usadel.keldysh.points", {"delete"}),
        # texture voltage (seed 002): default axis, wall normal, one-way conversion; the
        # magnet without spin flip, Rashba or impurity SOC (Pt's theta_sh still converts)
        ("texture_voltage.axis", {"delete"}), ("texture_voltage.wall_normal", {"delete"}),
        ("texture_voltage.backaction", {"delete"}),
        ("texture_voltage.regions.*.lambda_sf", {"delete"}),
        ("texture_voltage.regions.*.E_so", {"delete"}),
        ("texture_voltage.regions.*.lambda_so", {"delete"}),
    ],
    "types": [],
    "numbers": [
        # signed quantities (zero allowed): potentials, vector components that are not
        # unit vectors, the s-d exchange
        ("boundaries.*.V", {"negative", "zero", "tiny"}),
        ("measure.torque[*].current_density[*]", {"negative", "tiny"}),
        ("measure.torque[*].normal[*]", {"negative", "tiny"}),
        ("texture_pumping.wavevector[*]", {"negative", "zero", "tiny"}),
        ("texture_pumping.J", {"negative"}),
        ("texture_pumping.relaxation_time", {"inf"}),   # inf: no spin flip (reservoirs stay)
        ("geometry.grading", {"zero", "tiny"}),          # 0: uniform layers
        ("materials.*.theta_sh", {"negative", "tiny"}),  # a signed spin Hall angle
        ("circuit.polarization", {"negative", "zero", "tiny"}),  # signed; 0: unpolarized
        ("circuit.hanle_fields[*]", {"negative", "zero", "tiny"}),  # signed fields
        # Usadel: the first energy may be any value below the second (still increasing); a
        # tiny or zero Δ is a (nearly) normal region or reservoir; phases are signed; probe
        # coordinates 0 or tiny stay inside the wire (on its axis or at its end)
        ("usadel.energies[0]", {"negative", "zero", "tiny"}),
        ("usadel.regions.*.delta", {"tiny"}),
        ("usadel.reservoirs.*.delta", {"zero", "tiny"}),
        ("usadel.reservoirs.*.phase", {"negative", "zero", "tiny"}),
        ("usadel.probes[*][*]", {"zero", "tiny"}),
        # Keldysh sweep: a normal strip (tc0 0 or tiny), signed θ and κ, no Elliott–Yafet
        # relaxation (τ_so = inf), signed spin accumulations at the injector
        ("usadel.regions.*.tc0", {"zero", "tiny"}),
        ("usadel.regions.*.theta", {"negative", "zero", "tiny"}),
        ("usadel.regions.*.kappa", {"negative", "tiny"}),
        ("usadel.regions.*.tau_so", {"inf"}),
        ("usadel.keldysh.terminals.*.mu_s[*]", {"negative", "tiny"}),
        # texture voltage: the sign of f is the precession sense; a wall centred at or
        # before the strip's start; signed exchange and SOC strengths (0: no conversion)
        ("texture_voltage.frequency_Hz", {"negative"}),
        ("texture_voltage.wall_center", {"negative", "zero", "tiny"}),
        ("texture_voltage.regions.*.J", {"negative"}),
        ("texture_voltage.regions.*.lambda_sf", {"inf"}),
        ("texture_voltage.regions.*.E_so[*]", {"negative", "zero", "tiny"}),
        ("texture_voltage.regions.*.lambda_so", {"negative", "zero", "tiny"}),
    ],
    "vectors": [
        ("geometry.size", {"non_unit"}), ("geometry.lengths", {"non_unit"}),  # 2x larger
        ("geometry.cells", {"non_unit"}),                                      # 2x finer
        ("measure.torque[*].current_density", {"non_unit"}),
        ("measure.torque[*].normal", {"non_unit"}),      # normalized by the measurement
        ("texture_pumping.wavevector", {"non_unit", "zero"}),
        ("geometry.fm_widths", {"non_unit"}),            # 2x wider electrodes, still apart
        ("geometry.refine.*", {"non_unit"}),             # 2x coarser refinement
        ("usadel.probes[*]", {"zero", "non_unit"}),      # the wire's end; 2x farther, inside
        ("usadel.keldysh.temperatures", {"short", "non_unit"}),  # fewer / 2x higher
        ("usadel.keldysh.terminals.*.mu_s", {"non_unit"}),       # a 2x larger bias
        ("texture_voltage.regions.*.E_so", {"zero", "non_unit"}),  # no / 2x Rashba SOC
    ],
    "counts": [("geometry.cells[*]", {"million"})],  # 2e6 cells: within the cell budget of
    # kinetics.geometry.layout.MAX_CELLS (5e7); a large but legitimate mesh
    "names": [("title", {"unknown_name"}), ("description", {"unknown_name"}),  # free text
              ("measure.*.name", {"unknown_name"})],                            # result names
    "files": [],
    "paths": [("geometry.file", {"meshes_film"}), ("geometry.cache", {"cache_true"})],
    "scripts": [("geometry.file", {"geo_clean"})],        # meshes/film.geo copied next to it
    "petsc": [("solver.petsc_options.ksp_rtol", {"valid_rtol"})],
}

#: unit vectors: a mutated entry is valid when the vector stays a unit vector (a zero entry
#: set to 1e-300, or the sign of the only non-zero entry flipped)
UNIT_VECTORS = ("boundaries.*.m", "pumping.axis", "texture_pumping.axis", "sweep.directions[*]",
                "materials.*.m", "circuit.hanle_axis", "texture_voltage.axis",
                "texture_voltage.wall_normal")


# ------------------------------------------------------------------------------- TOML out
def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k)


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v == math.inf else "-inf" if v == -math.inf
                                            else repr(v))
    if isinstance(v, (int, str)):
        return str(v) if isinstance(v, int) else json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return "{" + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + "}"


def dumps(data: dict) -> str:
    """TOML text of parsed data (tables as headers, arrays of tables as [[...]])."""
    lines: list[str] = []

    def aot(v):
        return isinstance(v, list) and v and all(isinstance(x, dict) for x in v)

    def table(path: tuple, t: dict, header: str | None):
        if header:
            lines.extend(["", header])
        for k, v in t.items():
            if not isinstance(v, dict) and not aot(v):
                lines.append(f"{_key(k)} = {_value(v)}")
        for k, v in t.items():
            if isinstance(v, dict):
                table(path + (k,), v, "[" + ".".join(_key(x) for x in path + (k,)) + "]")
            elif aot(v):
                for entry in v:
                    table(path + (k,), entry, "[[" + ".".join(_key(x) for x in path + (k,)) + "]]")
    table((), data, None)
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------- mutants
def dotted(path: tuple) -> str:
    out = ""
    for k in path:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else k)
    return out


def nodes(value, path=()):
    """(path, value) of every table entry and array entry, depth first."""
    items = value.items() if isinstance(value, dict) else enumerate(value) \
        if isinstance(value, list) else ()
    for k, v in items:
        yield path + (k,), v
        yield from nodes(v, path + (k,))


def replaced(data, path: tuple, new=None, delete=False):
    """A deep copy of ``data`` with the value at ``path`` replaced by ``new`` (or deleted)."""
    d = json.loads(json.dumps(data, allow_nan=True))       # deep copy (nan survives)
    parent = d
    for k in path[:-1]:
        parent = parent[k]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return d


def _renamed(data, path: tuple, new_key: str):
    """A deep copy of ``data`` with the key at ``path`` renamed (order kept)."""
    d = json.loads(json.dumps(data, allow_nan=True))
    parent = d
    for k in path[:-1]:
        parent = parent[k]
    items = list(parent.items())
    parent.clear()
    parent.update({(new_key if k == path[-1] else k): v for k, v in items})
    return d


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def mutants(case: Path, cls: str):
    """(kind, key path, TOML text or bytes) of one mutation class of an example case."""
    text = case.read_text()
    data = tomllib.loads(text)
    if cls == "delete":
        for path, v in nodes(data):
            if isinstance(path[-1], str) or isinstance(v, dict):
                yield "delete", path, dumps(replaced(data, path, delete=True))
    elif cls == "types":
        for path, v in nodes(data):
            if _is_number(v):
                yield "string_for_number", path, dumps(replaced(data, path, "text"))
                yield "bool_for_number", path, dumps(replaced(data, path, True))
            elif isinstance(v, str):
                yield "number_for_string", path, dumps(replaced(data, path, 1.5))
            elif isinstance(v, bool):
                yield "number_for_bool", path, dumps(replaced(data, path, 1))
            elif isinstance(v, list):
                yield "table_for_array", path, dumps(replaced(data, path, {"a": 1}))
            elif isinstance(v, dict):
                yield "array_for_table", path, dumps(replaced(data, path, [1, 2]))
    elif cls == "numbers":
        for path, v in nodes(data):
            if _is_number(v):
                for kind, new in (("negative", -abs(v) if v else -1.0), ("zero", 0.0),
                                  ("nan", math.nan), ("inf", math.inf), ("-inf", -math.inf),
                                  ("huge", 1e308), ("tiny", 1e-300), ("bigint", 10 ** 400)):
                    if new != v:
                        yield kind, path, dumps(replaced(data, path, new))
    elif cls == "vectors":
        for path, v in nodes(data):
            if isinstance(v, list) and 2 <= len(v) <= 3 and all(_is_number(x) for x in v):
                yield "short", path, dumps(replaced(data, path, v[:-1]))
                yield "long", path, dumps(replaced(data, path, v + [0.0]))
                yield "non_numeric", path, dumps(replaced(data, path, ["x"] + v[1:]))
                if any(v):
                    yield "zero", path, dumps(replaced(data, path, [0.0] * len(v)))
                    yield "non_unit", path, dumps(replaced(data, path, [2.0 * x for x in v]))
    elif cls == "counts":
        for path, v in nodes(data):
            if isinstance(v, int) and not isinstance(v, bool):
                for kind, new in (("zero", 0), ("minus_one", -1), ("million", 10 ** 6),
                                  ("fraction", 2.5)):
                    if new != v:
                        yield kind, path, dumps(replaced(data, path, new))
    elif cls == "names":
        for path, v in nodes(data):
            if isinstance(v, str):
                yield "unknown_name", path, dumps(replaced(data, path, v + "_typo"))
            if path[0] in ("materials", "boundaries") and len(path) == 2:
                yield "unknown_name", path, dumps(_renamed(data, path, path[1] + "_typo"))
    elif cls == "files":
        yield from _file_mutants(text)
    elif cls == "scripts":
        yield from _script_mutants(data)
    elif cls == "petsc":
        for kind, key, value in (("python_pc", "pc_type", "python"),
                                 ("python_module", "pc_python_type", "os"),
                                 ("viewer", "ksp_view", "ascii:/tmp/kinetics-mutant.txt"),
                                 ("binary_viewer", "ksp_view_mat", "binary:/tmp/m.bin"),
                                 ("monitor", "ksp_monitor", True), ("options_file", "options_file",
                                                                    "/etc/passwd"),
                                 ("bogus_type", "ksp_type", "bogus"), ("nan", "ksp_rtol", math.nan),
                                 ("negative", "ksp_rtol", -1.0), ("huge_count", "ksp_max_it", 10 ** 9),
                                 ("table", "ksp_rtol", {"a": 1}), ("unknown", "ksp_rtool", 1e-8),
                                 ("valid_rtol", "ksp_rtol", 1e-12)):
            d = dict(data, solver={**data.get("solver", {}), "petsc_options": {key: value}})
            yield kind, ("solver", "petsc_options", key), dumps(d)
    elif cls == "paths":
        geo = data["geometry"]
        for kind, value in (("absolute", str(ROOT / "meshes" / "film.geo")),
                            ("dotdot", "../README.md"), ("etc_passwd", "/etc/passwd"),
                            ("dotdot_etc", "../../../../../../etc/passwd"),
                            ("missing", "missing.msh"), ("directory", "."),
                            ("proc", "/proc/self/environ"), ("empty", ""),
                            ("meshes_film", "../meshes/film.geo")):
            d = dict(data, geometry={"file": value})
            yield kind, ("geometry", "file"), dumps(d)
        for kind, value in (("cache_abs", "/tmp/kinetics-mutant-cache"),
                            ("cache_dotdot", "../../outside"), ("cache_etc", "/etc"),
                            ("cache_number", 5), ("cache_true", True)):
            yield kind, ("geometry", "cache"), dumps(dict(data, geometry={**geo, "cache": value}))
        yield "output_path", ("output", "path"), \
            dumps(dict(data, output={**data.get("output", {}), "path": "/etc"}))


GEO = (ROOT / "meshes" / "film.geo").read_text()


def _script_mutants(data: dict):
    """Case files next to geometry files (written to a temporary folder by :func:`outcome`)."""
    for kind, name, content in (
            ("geo_clean", "g.geo", GEO),
            ("geo_systemcall", "g.geo", GEO + '\nSystemCall "touch /tmp/kinetics-mutant";\n'),
            ("geo_save", "g.geo", GEO + '\nSave "/tmp/kinetics-mutant.msh";\n'),
            ("geo_exit", "g.geo", "Exit;\n" + GEO),
            ("geo_include_outside", "g.geo", 'Include "/etc/passwd";\n' + GEO),
            ("geo_general_option", "g.geo", "General.AbortOnError = 4;\n" + GEO),
            ("geo_syntax", "g.geo", GEO.replace(";", "", 3)),
            ("geo_empty", "g.geo", ""),
            ("msh_garbage", "g.msh", "garbage\n" * 10),
            ("msh_script", "g.msh", 'SystemCall "touch /tmp/kinetics-mutant";\n'),
            ("msh_truncated", "g.msh", "$MeshFormat\n4.1 0 8\n$EndMeshFormat\n$Nodes\n1 2")):
        d = dict(data, geometry={"file": name})
        yield kind, ("geometry", "file"), (dumps(d), {name: content})


def _file_mutants(text: str):
    first = text.index("[geometry]")
    yield "unclosed_table", (), text.replace("[geometry]", "[geometry", 1)
    yield "missing_equals", (), text[:first] + "title2 \n" + text[first:]
    yield "duplicate_key", (), text + "\n[geometry]\n"
    yield "unterminated_string", (), text.replace('"', "", 1)
    yield "non_utf8", (), text.encode()[:first] + b"# \xff\xfe\xfa\n" + text.encode()[first:]
    yield "latin1", (), text.replace("title", "# caf\u00e9\ntitle").encode("latin-1", "replace")
    yield "nul_byte", (), text.encode() + b"\x00"
    yield "garbage", (), bytes((i * 151 + 7) % 256 for i in range(4096))
    yield "empty", (), b""
    yield "whitespace", (), b"  \n\n\t\n"
    yield "comments_only", (), b"# nothing here\n"
    yield "deep_array", (), text + "\nx = " + "[" * 100_000 + "]" * 100_000 + "\n"
    yield "deep_inline", (), text + "\nx = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n"
    yield "deep_moderate", (), text + "\nx = " + "[" * 50 + "1" + "]" * 50 + "\n"
    yield "deep_headers", (), text + "\n[" + ".".join(["t"] * 2000) + "]\n"
    yield "huge", (), text + ("# padding " * 100 + "\n") * 3000
    yield "directory", (), None


# ------------------------------------------------------------------------------- outcome
def _match(key: str, pattern: str) -> bool:
    """Whether a dotted key path matches a pattern in which ``*`` stands for any text."""
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), key) is not None


def _accepted_valid(cls: str, kind: str, path: tuple, source: str) -> bool:
    key = dotted(path)
    if cls == "numbers" and isinstance(path[-1], int) and any(
            _match(dotted(path[:-1]), p) for p in UNIT_VECTORS):
        parent = tomllib.loads(source)
        for k in path[:-1]:
            parent = parent[k]
        return abs(math.hypot(*parent) - 1.0) <= 1e-6       # still a unit vector
    return any(_match(key, pattern) and kind in kinds for pattern, kinds in ACCEPTED.get(cls, []))


def outcome(case: Path, cls: str, kind: str, path: tuple, source, tmp: Path) -> tuple[str, str]:
    """(``"error"``, ``"traceback"``, ``"accepted"`` or ``"accepted-valid"``, detail)."""
    name = str(case)
    try:
        if isinstance(source, str):
            parse_case(source, name, case.parent)
        elif isinstance(source, tuple):
            text, files = source
            for file, content in files.items():
                (tmp / file).write_text(content)
            name = str(tmp / case.name)
            (tmp / case.name).write_text(text)
            load_case(tmp / case.name)
        else:
            target = tmp / case.name
            if source is None:
                target = tmp / "a_folder.toml"
                target.mkdir(exist_ok=True)
            else:
                target.write_bytes(source)
            name = str(target)
            load_case(target)
    except CaseError as exc:
        problems = [line for line in exc.errors if not line.startswith(name)]
        if problems:
            return "traceback", f"message without the file path: {problems[0]!r}"
        # the message names the mutated key, or a table that holds it ("[solver] is not
        # used"); a deletion is reported where the deleted item is missing or referenced,
        # and a renamed or replaced geometry where its names are used: any [key] will do
        text = str(exc)
        key = next((k for k in reversed(path) if isinstance(k, str)), None)
        named = key is None or key in text or any(f"[{dotted(path[:i])}]" in text
                                                  for i in range(1, len(path)))
        if cls == "delete" or path[:1] == ("geometry",) and cls in ("names", "paths", "scripts"):
            named = re.search(r"^[^\n]*?: \[", text) is not None
        if not named:
            return "traceback", f"message does not name the key '{key}': {exc.errors[0]!r}"
        return "error", exc.errors[0]
    except Exception as exc:  # noqa: BLE001 - every other exception is the failure we look for
        return "traceback", f"{type(exc).__name__}: {str(exc)[:300]}"
    text = source if isinstance(source, str) else source[0] if isinstance(source, tuple) else ""
    if _accepted_valid(cls, kind, path, text):
        return "accepted-valid", ""
    return "accepted", ""


def run_class(case: Path, cls: str, tmp: Path) -> dict[str, list]:
    out: dict[str, list] = {"error": [], "traceback": [], "accepted": [], "accepted-valid": []}
    for kind, path, source in mutants(case, cls):
        result, detail = outcome(case, cls, kind, path, source, tmp)
        out[result].append(f"{case.name} {cls}/{kind} [{dotted(path)}] {detail}")
    return out


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_mutants_are_clear_errors(case, cls, tmp_path):
    out = run_class(case, cls, tmp_path)
    bad = out["traceback"] + [f"{m} ACCEPTED (bad input silently accepted)"
                              for m in out["accepted"]]
    assert out["error"], f"{cls}: no mutant was rejected"
    assert not bad, f"{len(bad)} of {sum(map(len, out.values()))} mutants:\n" + "\n".join(bad)


def test_the_serializer_round_trips_the_examples():
    for case in CASES:
        data = tomllib.loads(case.read_text())
        assert tomllib.loads(dumps(data)) == data


def main(argv) -> int:
    import tempfile
    if "--table" not in argv:
        print(__doc__)
        return 2
    totals = {"error": 0, "traceback": 0, "accepted": 0, "accepted-valid": 0}
    print(f"| case | class | {' | '.join(totals)} |\n|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            for cls in CLASSES:
                out = run_class(case, cls, Path(tmp))
                print(f"| {case.stem} | {cls} | " + " | ".join(str(len(out[k])) for k in totals)
                      + " |")
                for k in totals:
                    totals[k] += len(out[k])
                for line in out["traceback"] + out["accepted"]:
                    print(f"    {line}", file=sys.stderr)
    print("| **all** | | " + " | ".join(f"**{v}**" for v in totals.values()) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
