"""The model registry of the case files: a model brings its section, checks and run function."""

import re

import pytest
from mpi4py import MPI

from kinetics.case import CaseError, parse_case
from kinetics.models.registry import REGISTRY, CaseModel, Registry
from kinetics.runner import Progress, run_case

BASE = """
[geometry]
builder = "layered_box"
lengths = [20e-9, 10e-9, 4e-9]
cells = [2, 1, 2]
"""

TOY = """
[toy]
strength = 2.5
"""


def _toy_run(case, device, context):
    return {"toy": {"strength": case.get("toy", "strength"), "dim": device.dim}}


def _toy_validate(case, section):
    if section["strength"] > 10:
        raise case.error(("toy", "strength"), "must be at most 10")


def toy_registry():
    registry = REGISTRY.copy()
    registry.register(CaseModel(name="toy", section="toy", run=_toy_run, needs=(),
                                keys={"strength": (int, float), "label": str},
                                required={"strength": "a number"}, validate=_toy_validate))
    return registry


def test_a_registered_model_gets_its_section_checked_and_run(tmp_path):
    registry = toy_registry()
    case = parse_case(BASE + TOY, "toy.toml", registry=registry)
    assert case.model.name == "toy"
    with pytest.raises(CaseError, match=r"toy\.toml, line 8: \[toy\.strength\] must be at most 10"):
        parse_case(BASE + TOY.replace("2.5", "12.0"), "toy.toml", registry=registry)
    with pytest.raises(CaseError, match=r"\[toy\.strength\] required, a number"):
        parse_case(BASE + "\n[toy]\nlabel = 'x'\n", "toy.toml", registry=registry)
    with pytest.raises(CaseError, match=r"\[toy\.strength\] must be integer or number"):
        parse_case(BASE + TOY.replace("2.5", '"strong"'), "toy.toml", registry=registry)
    # the default registry does not know the section: listed among the valid keys
    with pytest.raises(CaseError, match=r"unknown key 'toy'; valid keys: .*pumping.*sweep"):
        parse_case(BASE + TOY, "toy.toml")
    results = run_case(case, tmp_path / "out", MPI.COMM_SELF, Progress(MPI.COMM_SELF, False))
    assert results["toy"] == {"strength": 2.5, "dim": 3}
    assert (tmp_path / "out" / "results.json").is_file()
    assert not (tmp_path / "out" / "fields.bp").exists()     # no solution left: no fields


def test_a_section_is_registered_once():
    registry = toy_registry()
    with pytest.raises(ValueError, match=r"section \[toy\] is already registered by model 'toy'"):
        registry.register(CaseModel(name="other", section="toy", run=_toy_run))
    with pytest.raises(ValueError, match="the default model is already registered"):
        registry.register(CaseModel(name="other", section=None, run=_toy_run))
    assert "toy" not in REGISTRY.sections()


def test_an_empty_registry_asks_for_a_model_section():
    registry = Registry()
    registry.register(CaseModel(name="toy", section="toy", run=_toy_run, needs=()))
    with pytest.raises(CaseError, match=r"no model section: give one of \[toy\]"):
        parse_case(BASE, "toy.toml", registry=registry)


def test_two_model_sections_are_rejected():
    text = BASE + """
[materials]
pt = "Pt"

[boundaries.zmin]
type = "magnetic"
interface = "Pt|YIG"

[sweep]
interface = "zmin"
planes = ["alpha"]

[pumping]
interface = "zmin"
frequency_Hz = 9e9
cone_angle_deg = 1.0
"""
    with pytest.raises(CaseError, match=r"two\.toml, line 18: \[pumping\] a case runs one model, "
                                        r"but \[sweep\] and \[pumping\] select two"):
        parse_case(text, "two.toml")


def test_the_models_of_the_example_cases_are_registered():
    assert {"sweep", "pumping", "texture_pumping"} <= set(REGISTRY.sections())
    assert REGISTRY.lookup(None).name == "spin_charge"
    with pytest.raises(KeyError, match="no model for section \\[nope\\]; model sections: "):
        REGISTRY.lookup("nope")


@pytest.mark.parametrize("model", [m for m in REGISTRY.models() if m.section],
                         ids=lambda m: m.section)
def test_every_model_section_rejects_an_unknown_key(model):
    text = BASE + '\n[materials]\npt = "Pt"\n' + f"\n[{model.section}]\nbogus_key = 1\n"
    with pytest.raises(CaseError) as info:
        parse_case(text, "unknown.toml")
    message = str(info.value)
    assert message.startswith("unknown.toml, line 11: ")
    assert f"[{model.section}.bogus_key] unknown key 'bogus_key'" in message
    assert re.search(r"valid keys: .*" + re.escape(sorted(model.keys)[-1]), message)


def test_a_model_schema_gives_keys_required_ranges_references_and_its_docs_table():
    from kinetics.case_schema import Integer, Number, String, doc_table
    schema = {"strength": Number(required=True, unit="T", lo=0.0, hi=10.0, description="field"),
              "count": Integer(lo=1, hi=100, default=4, description="samples"),
              "surface": String(ref="facet", description="a facet")}
    registry = REGISTRY.copy()
    model = registry.register(CaseModel(name="toy2", section="toy2", run=_toy_run, needs=(),
                                        schema=schema))
    assert model.keys == schema and model.required == {"strength": "a number (T) in [0, 10]"}
    text = BASE + '\n[toy2]\nstrength = true\ncount = 0\nsurface = "zmn"\nextra = 1\n'
    with pytest.raises(CaseError) as info:
        parse_case(text, "toy2.toml", registry=registry)
    assert info.value.errors == [
        "toy2.toml, line 8: [toy2.strength] must be a number (T) in [0, 10], got boolean true",
        "toy2.toml, line 9: [toy2.count] must be an integer in [1, 100], got integer 0",
        "toy2.toml, line 11: [toy2.extra] unknown key 'extra'; valid keys: count, strength, surface",
        "toy2.toml, line 10: [toy2.surface] unknown facet name 'zmn'; facets of the device: xmax, "
        "xmin, ymax, ymin, zmax, zmin; did you mean 'zmin'?"]
    assert parse_case(BASE + '\n[toy2]\nstrength = 2\n', "toy2.toml", registry=registry).model \
        is model
    assert doc_table(schema).splitlines()[2:] == [
        "| `strength` | number | [0, 10] T | required | field |",
        "| `count` | integer | 1 to 100 | `4` | samples |",
        "| `surface` | string | a facet name |  | a facet |"]
    with pytest.raises(ValueError, match="give either schema or keys/required"):
        CaseModel(name="bad", section="bad", run=_toy_run, schema=schema, keys={"a": int})
