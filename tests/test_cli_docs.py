"""docs/devices.md and docs/materials.md are generated from the code and cannot drift
(issue 15): the builders' keywords with defaults and meanings (from their signatures and
docstrings), the material library's values and sources (from kinetics.materials).

Regenerate both after changing a builder or the library::

    docker/env run -- python3 tests/test_cli_docs.py --write
"""

import inspect
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEVICES_MD = ROOT / "docs" / "devices.md"
MATERIALS_MD = ROOT / "docs" / "materials.md"
BUILDERS = ("film", "stack", "pillar", "hall_bar", "nonlocal_spin_valve", "blocks",
            "layered_box", "load")
_SECTION = re.compile(r"^(Parameters|Returns|Raises|Notes|Examples|Attributes)\n-+$", re.M)


def _sections(doc: str) -> dict:
    """numpydoc section name -> text (and "" -> the text before the first section)."""
    parts = _SECTION.split(doc)
    out = {"": parts[0].strip()}
    for name, text in zip(parts[1::2], parts[2::2]):
        out[name] = text.strip("\n")
    return out


def _entries(text: str) -> dict:
    """``name:`` / ``a, b:`` entries of a Parameters section -> their text, one line."""
    out, names, lines = {}, [], []
    for line in text.splitlines() + ["END:"]:
        if line and not line.startswith(" ") and line.rstrip().endswith(":"):
            for n in names:
                out[n] = " ".join(s.strip() for s in lines)
            names, lines = [n.strip() for n in line.rstrip()[:-1].split(",")], []
        elif names:
            lines.append(line)
    return out


def _parameters(fn) -> dict:
    return _entries(_sections(inspect.getdoc(fn)).get("Parameters", ""))


def _common() -> dict:
    """The common keywords of kinetics.geometry.builders (its module docstring)."""
    from kinetics.geometry import builders
    doc = inspect.getdoc(builders)
    block = doc.split("Common keyword arguments:")[1].split("\nEvery length is checked")[0]
    out, name = {}, None
    for line in block.splitlines():
        m = re.match(r"^``(\w+)``$", line.strip()) if not line.startswith("    ") else None
        if m:
            name = m.group(1)
            out[name] = ""
        elif name:
            out[name] += " " + line.strip()
    return {k: v.strip() for k, v in out.items()}


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def devices_markdown() -> str:
    """The text of docs/devices.md."""
    import kinetics.geometry as geometry
    from kinetics.geometry import gallery
    common = _common()
    out = ["# Device builders and their keywords", "",
           "Generated from the signatures and docstrings of `kinetics.geometry` by "
           "`python3 tests/test_cli_docs.py --write` (a test checks that it is up to date). "
           "Lengths are metres (SI); element sizes too.  In a case file the keywords are "
           "the keys of `[geometry]` with `builder = \"NAME\"` (docs/case_files.md); "
           "`kinetics mesh NAME` builds the small gallery example of a builder, and "
           "`kinetics check CASE` meshes a case and lists its regions, facets and sizes.",
           "", "Facet names: an interface between two meshed regions is `lower|upper`; an "
           "exterior face is `<region>_<side>` (`xmin`, `xmax`, `ymin`, `ymax`, `bottom`, "
           "`top`, `sides`); builders rename a few faces to their role.  The face toward "
           "a magnetic insulator is named by `substrate=` (`film`, `stack`: "
           "`<lowest layer>|<substrate>`) or `interface=` (`hall_bar`, default `pt|yig`): "
           "e.g. `hall_bar(..., name=\"ta\", interface=\"ta|yig\")` for a Ta bar.", "",
           "## Keywords common to the gmsh builders", "",
           "| keyword | meaning |", "|---|---|"]
    out += [f"| `{k}` | {_cell(v)} |" for k, v in common.items()]
    for name in BUILDERS:
        fn = getattr(geometry, name)
        doc = inspect.getdoc(fn)
        sec = _sections(doc)
        entries = _parameters(fn)
        out += ["", f"## `{name}`", "", _cell(sec[""].split("\n\n")[0]), "",
                "| keyword | default | meaning |", "|---|---|---|"]
        for p in inspect.signature(fn).parameters.values():
            default = "required" if p.default is p.empty else f"`{p.default!r}`"
            text = entries.get(p.name, "")
            ref = re.match(r"As (for )?:func:`(\w+)`", text)
            if ref:                                   # "As for :func:`stack`."
                text = _parameters(getattr(geometry, ref.group(2))).get(p.name, text)
            if p.name in common and (not text or text.startswith(("See ", "As "))):
                text = f"{common[p.name].split('. ')[0].rstrip('.')}; see the common keywords"
            out.append(f"| `{p.name}` | {_cell(default)} | {_cell(text)} |")
        if "Returns" in sec:
            returns = sec["Returns"].split("\n", 1)
            out += ["", f"Returns: {_cell(returns[1] if len(returns) > 1 else returns[0])}"]
        if name in gallery.DEFAULT_DEVICES:
            kw = ", ".join(f"{k}={v!r}" for k, v in gallery.DEFAULT_DEVICES[name].keywords.items())
            out += ["", f"Gallery example (`kinetics mesh {name}`): `{name}({kw})`"]
    return "\n".join(out) + "\n"


def materials_markdown() -> str:
    """The text of docs/materials.md."""
    from kinetics import materials as lib
    out = ["# Material library", "",
           "Generated from `kinetics.materials` by `python3 tests/test_cli_docs.py --write` "
           "(a test checks that it is up to date).  Use a set by name: "
           "`kinetics.materials.get(\"Pt\")`, `kinetics.materials.interface(\"Pt|YIG\")`, or "
           "in a case file `pt = { base = \"Pt\", theta_sh = 0.1 }` and "
           "`interface = \"Pt|YIG\"` (overrides are recorded with the source in "
           "results.json, `provenance`).  SI units; ρ = 1/σ is shown for reference.", "",
           "## Normal metals", "",
           "| name | σ (S/m) | ρ (µΩ cm) | λ_sf (nm) | θ_SH | κ | source |",
           "|---|---|---|---|---|---|---|"]
    fms = []
    for name, m in lib.LIBRARY.items():
        if isinstance(m, lib.Ferromagnet):
            fms.append(m)
            continue
        out.append(f"| {_cell(name)} | {m.sigma:.4g} | {1e8 / m.sigma:.4g} | "
                   f"{m.lambda_sf * 1e9:.4g} | {m.theta_sh:g} | {m.kappa:g} | "
                   f"{_cell(m.source)} |")
    out += ["", "## Ferromagnetic metals", "",
            "| name | σ (S/m) | ρ (µΩ cm) | β | l_sf (nm) | λ_J (nm) | λ_φ (nm) | source |",
            "|---|---|---|---|---|---|---|---|"]
    for m in fms:
        out.append(f"| {_cell(m.name)} | {m.sigma:.4g} | {1e8 / m.sigma:.4g} | {m.beta:g} | "
                   f"{m.lambda_sf * 1e9:.4g} | {m.lambda_J * 1e9:.4g} | "
                   f"{m.lambda_phi * 1e9:.4g} | {_cell(m.source)} |")
    out += ["", "## Heavy-metal | magnetic-insulator interfaces", "",
            "Conductances per area in 1/(Ω m²); positive = absorption (docs/design.md §3).",
            "", "| name | G_r | G_i | G_s | source |", "|---|---|---|---|---|"]
    for name, p in lib.INTERFACES.items():
        out.append(f"| {_cell(name)} | {p.G_r:g} | {p.G_i:g} | {p.G_s:g} | "
                   f"{_cell(p.source)} |")
    return "\n".join(out) + "\n"


def test_devices_doc_is_generated_from_the_code():
    assert DEVICES_MD.read_text() == devices_markdown(), \
        "docs/devices.md is out of date: run python3 tests/test_cli_docs.py --write"


@pytest.mark.parametrize("name", BUILDERS)
def test_devices_doc_lists_every_keyword_with_a_meaning(name):
    import kinetics.geometry as geometry
    text = DEVICES_MD.read_text().split(f"## `{name}`")[1].split("\n## ")[0]
    for p in inspect.signature(getattr(geometry, name)).parameters.values():
        row = [line for line in text.splitlines() if line.startswith(f"| `{p.name}` |")]
        assert len(row) == 1, f"{name}: keyword {p.name} not listed"
        assert row[0].rstrip(" |").split("|")[-1].strip(), f"{name}: {p.name} has no meaning"


def test_materials_doc_is_generated_from_the_library():
    assert MATERIALS_MD.read_text() == materials_markdown(), \
        "docs/materials.md is out of date: run python3 tests/test_cli_docs.py --write"


def test_materials_doc_values():
    """Spot checks against published numbers (a wrong unit or factor fails)."""
    text = MATERIALS_MD.read_text()
    assert "| Pt | 2.4e+06 | 41.67 | 1.5 | 0.11 |" in text          # Althammer 2013
    assert "| Pt-Vlietstra | 4.3e+06 | 23.26 | 1.1 | 0.08 |" in text
    assert "| Pt\\|YIG-Vlietstra | 7e+14 | 5e+13 | 0 |" in text


if __name__ == "__main__":
    if "--write" in sys.argv:
        DEVICES_MD.write_text(devices_markdown())
        MATERIALS_MD.write_text(materials_markdown())
        print(f"wrote {DEVICES_MD} and {MATERIALS_MD}")
    else:
        print(__doc__)
