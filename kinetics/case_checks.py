"""The checks of the case-file sections common to every model, and their schemas.

:func:`validate` runs every check of a case and reports each problem through
``case.report`` (:mod:`kinetics.case` raises them together): the top-level keys and the
model section (through its :class:`~kinetics.models.registry.CaseModel`), ``[geometry]``,
``[materials]`` (built into :class:`~kinetics.materials.Material` objects), ``[boundaries]``
(built into the :mod:`kinetics.physics.boundaries` conditions), ``[solver]``, ``[output]``,
``[[measure.*]]``; ``[geometry]``, the names and the paths are checked by
:mod:`kinetics.case_layout`.  No mesh is built and neither dolfinx nor PETSc is imported.

The schemas here (key -> :mod:`kinetics.case_schema` spec) are the tables of
docs/case_files.md (:func:`doc_tables`; ``python3 -m kinetics.case_checks`` prints them).
"""

from __future__ import annotations

import difflib
from typing import Any

from kinetics.case_schema import (MAX_COUNT, Bool, CaseError, Integer, Matrix3, Number, Spec,
                                  String, Table, Vector, check_keys, check_section, doc_table,
                                  hint_after, toml_repr)

__all__ = ["SCHEMA", "SOLVER", "OUTPUT", "MATERIAL", "BOUNDARY_TYPES", "MEASURES", "PRESETS",
           "validate", "build_materials", "build_boundaries", "check_measures", "has_drive",
           "doc_tables"]

#: the sections common to every model (the model sections come from the registry)
SCHEMA: dict[str, Any] = {
    "title": String(allow_empty=True, description="free text, copied to results.json"),
    "description": String(allow_empty=True, max_length=100_000,
                          description="free text, copied to results.json"),
    "geometry": Table(), "materials": Table(), "boundaries": Table(), "solver": Table(),
    "measure": Table(), "output": Table(),
}

PRESETS = ("auto", "direct", "iterative", "fieldsplit")

SOLVER: dict[str, Spec] = {
    "degree": Integer(lo=1, hi=3, default=1, description="Lagrange degree"),
    "preset": String(choices=PRESETS, noun="preset", default="auto",
                     description="`direct` (MUMPS), `iterative` (GMRES + block "
                                 "preconditioner with BoomerAMG), `fieldsplit` (PCFIELDSPLIT); "
                                 "`auto` by size (docs/performance.md)"),
    "petsc_options": Table(description="PETSc options overriding the preset, from the "
                                       "allow-list below"),
}

OUTPUT: dict[str, Spec] = {
    "fields": Bool(default=True, description="`fields.bp` (VTX; open in ParaView) and "
                                             "`fields.vtu`"),
    "pictures": Bool(default=False, description="PNG pictures"),
    "json": Bool(default=True, description="`results.json` (always written)"),
}

#: keys of a [materials] table (overrides of a library material)
MATERIAL: dict[str, Spec] = {
    "base": String(description="library material to start from (without it, `sigma` and "
                               "`lambda_sf` are required)"),
    "sigma": Number(unit="S/m", lo=1e-6, hi=1e10, description="conductivity"),
    "lambda_sf": Number(unit="m", lo=1e-12, hi=1.0, allow_inf=True,
                        description="spin diffusion length (`inf`: no spin flip)"),
    "theta_sh": Number(lo=-10.0, hi=10.0, description="spin Hall angle"),
    "kappa": Number(lo=-10.0, hi=10.0, description="spin-swapping coefficient"),
    "diffusion_constant": Number(unit="m^2/s", lo=1e-8, hi=10.0,
                                 description="normal metal: diffusion constant D (Hanle "
                                             "precession, [circuit] magnetic_field)"),
    "gauge_field": Matrix3(unit="1/m", max_abs=1e12, description="SU(2) gauge field A[i, b]"),
    "beta": Number(lo=-0.999, hi=0.999, description="ferromagnet: conductivity polarization "
                                                    "β = (σ↑ − σ↓)/σ"),
    "lambda_J": Number(unit="m", lo=1e-12, hi=1.0, allow_inf=True,
                       description="ferromagnet: exchange (precession) length of the "
                                   "transverse spin accumulation"),
    "lambda_phi": Number(unit="m", lo=1e-12, hi=1.0, allow_inf=True,
                         description="ferromagnet: dephasing length of the transverse spin "
                                     "accumulation"),
    "m": Vector(norm="unit", description="ferromagnet: magnetization direction"),
    "sigma_parallel": Number(unit="S/m", lo=1e-6, hi=1e10,
                             description="ferromagnet: conductivity along m (AMR)"),
    "theta_ah": Number(lo=-10.0, hi=10.0, description="ferromagnet: anomalous Hall angle"),
    "delta_sigma_s": Number(unit="S/m", lo=-1e10, hi=1e10,
                            description="ferromagnet: anisotropy δσ_s of the local spin "
                                        "conductivity (seed 001 Eq. 37)"),
    "gamma_t": Number(unit="S/m", lo=-1e10, hi=1e10,
                      description="ferromagnet: relaxation-torque coefficient γ (seed 001 "
                                  "Eqs. 5-6)"),
    "delta_gamma_t": Number(unit="S/m", lo=-1e10, hi=1e10,
                            description="ferromagnet: its anisotropy δγ (γ/3 in seed 001)"),
    "source": String(allow_empty=True, description="literature source"),
}

#: the keys that make a [materials] table without `base` a ferromagnet
FERROMAGNET_KEYS = ("beta", "lambda_J", "lambda_phi", "m", "sigma_parallel", "theta_ah",
                    "delta_sigma_s", "gamma_t", "delta_gamma_t")

#: boundary type -> schema of its keys (besides `type`)
BOUNDARY_TYPES: dict[str, dict[str, Spec]] = {
    "contact": {
        "V": Number(unit="V", lo=-1e3, hi=1e3, default=0.0, description="fixed potential"),
        "spin": String(choices=("reservoir", "opaque"), default="reservoir",
                       description="μ_s = 0 (`reservoir`) or n·j_s = 0 (`opaque`)"),
    },
    "current": {"current": Number(unit="A", lo=-1e3, hi=1e3, default=0.0,
                                  description="current into the device (A/m in 2D), uniform "
                                              "density, spin-opaque")},
    "probe": {},
    "insulator": {},
    "magnetic": {
        "interface": String(description="library set: Pt|YIG, Pt|YIG-Vlietstra, Pt|EuS "
                                        "(gives G_r, G_i, G_s)"),
        "G_r": Number(unit="1/(Ohm m^2)", lo=0.0, hi=1e17, description="spin-mixing "
                                                                        "conductance, real part"),
        "G_i": Number(unit="1/(Ohm m^2)", lo=-1e17, hi=1e17, description="imaginary part"),
        "G_s": Number(unit="1/(Ohm m^2)", lo=0.0, hi=1e17, description="spin-sink conductance"),
        "m": Vector(norm="unit", default=[0.0, 0.0, 1.0], description="magnetization"),
        "Gamma_loss": Matrix3(unit="1/(Ohm m^2)", max_abs=1e17,
                              description="spin-memory-loss tensor"),
        "rotation": Matrix3(rotation=True, description="m̃ = R m (interfacial SOC)"),
        "pumping": Vector(unit="A/m^2", max_norm=1e15, description="pumped spin current "
                                                                   "density"),
    },
}

#: boundary type -> class in kinetics.physics.boundaries
BOUNDARY_CLASSES = {"contact": "Contact", "current": "CurrentContact", "probe": "FloatingProbe",
                    "insulator": "Insulator", "magnetic": "MagneticInterface"}

MEASURES: dict[str, dict[str, Spec]] = {
    "resistance": {
        "name": String(required=True, description="result name (R_xx, R_xy: SMR fit)"),
        "current": String(required=True, ref="boundary", ref_types=("contact", "current"),
                          description="the contact whose current I divides"),
        "plus": String(required=True, ref="facet", description="facet of V₊"),
        "minus": String(required=True, ref="facet", description="facet of V₋ (≠ plus)"),
        "scale": Number(lo=-1e12, hi=1e12, default=1.0,
                        description="factor (e.g. a width for a sheet resistance); non-zero"),
    },
    "torque": {
        "interface": String(required=True, ref="boundary", ref_types=("magnetic",),
                            description="the interface"),
        "current_density": Vector(required=True, unit="A/m^2", norm="nonzero", max_norm=1e15,
                                  description="applied charge current density"),
        "normal": Vector(required=True, norm="nonzero", description="outward normal of the "
                                                                    "metal (normalized)"),
        "name": String(description="result name (default: the interface)"),
    },
    "spin_current": {
        "surface": String(required=True, ref="facet", description="facet"),
        "region": String(ref="region", description="region whose spin current is integrated"),
        "name": String(description="result name (default: the surface)"),
    },
    "layer_torque": {
        "region": String(required=True, ref="region", description="a ferromagnetic region "
                                                                   "(e.g. a pillar's free "
                                                                   "layer)"),
        "polarization": Vector(required=True, norm="nonzero",
                               description="reference direction p (e.g. the fixed layer's "
                                           "m): damping-like along m×(p×m), field-like along "
                                           "p×m"),
        "area": Number(unit="m^2", lo=1e-30, hi=1.0, description="the layer's area (m in a "
                                                                 "2D section); or area_facet"),
        "area_facet": String(ref="facet", description="a facet whose area is the layer's "
                                                      "(e.g. spacer|free)"),
        "name": String(description="result name (default: the region)"),
    },
    "profile": {
        "name": String(default="profile", description="result name"),
        "start": Vector(required=True, unit="m", max_norm=1.0, description="first point"),
        "end": Vector(required=True, unit="m", max_norm=1.0, description="last point (≠ start)"),
        "points": Integer(lo=2, hi=MAX_COUNT, default=50, description="points on the line"),
    },
}

def _name_ok(case, keypath: tuple, name) -> bool:
    if not isinstance(name, str) or not name.strip() or name != name.strip():
        case.report(keypath, f"names must be non-empty strings without surrounding spaces, "
                             f"got {toml_repr(name)}")
        return False
    return True


# ------------------------------------------------------------------------------- materials
def build_materials(case) -> dict:
    """``[materials]`` as region -> :class:`kinetics.materials.Material`, reporting every
    unknown name, wrong key or value (the objects' own ValueError/TypeError included).

    Returns
    -------
    dict
        The materials that could be built.
    """
    from kinetics import materials as lib
    out: dict = {}
    table = case.data.get("materials", {})
    if not isinstance(table, dict):
        return out
    for region, spec in table.items():
        key = ("materials", region)
        if not _name_ok(case, key, region):
            continue
        if isinstance(spec, str):
            base, overrides = spec, {}
        elif isinstance(spec, dict):
            ok = check_section(case, key, spec, MATERIAL)
            if ok != set(spec):
                continue
            overrides = {k: v for k, v in spec.items() if k != "base"}
            base = spec.get("base")
            if base is None:
                missing = [k for k in ("sigma", "lambda_sf") if k not in spec]
                if any(k in spec for k in FERROMAGNET_KEYS) and "beta" not in spec:
                    missing.append("beta")         # a ferromagnet needs its polarization
                if missing:
                    case.report(key, f"without base = NAME, {' and '.join(missing)} "
                                     f"{'is' if len(missing) == 1 else 'are'} required "
                                     f"(library: {', '.join(sorted(lib.LIBRARY))})")
                    continue
        else:
            case.report(key, f"must be a library name or a table {{ base = NAME, <overrides> "
                             f"}}, got {toml_repr(spec)}")
            continue
        try:
            if base is None:
                kind = lib.Ferromagnet if any(k in overrides for k in FERROMAGNET_KEYS) \
                    else lib.Material
                out[region] = kind(name=region, **overrides)
            else:
                out[region] = lib.get(base, **overrides)
        except KeyError as exc:
            where = key + ("base",) if isinstance(spec, dict) else key
            case.report(where, str(exc).strip(chr(34)))      # (names the closest one)
        except (ValueError, TypeError) as exc:
            case.report(key, str(exc))
    return out


# ------------------------------------------------------------------------------- boundaries
def build_boundaries(case) -> list:
    """``[boundaries]`` as :mod:`kinetics.physics.boundaries` conditions, reporting every
    unknown type, key or value (``interface = NAME`` resolved in the library; the objects'
    own ValueError/TypeError included).

    Returns
    -------
    list
        The conditions that could be built.
    """
    from kinetics import materials as lib
    from kinetics.physics import boundaries as bc
    out = []
    table = case.data.get("boundaries", {})
    if not isinstance(table, dict):
        return out
    types = ", ".join(BOUNDARY_TYPES)
    for name, spec in table.items():
        key = ("boundaries", name)
        if not _name_ok(case, key, name):
            continue
        if not isinstance(spec, dict) or "type" not in spec:
            case.report(key, f"needs type = one of {types}")
            continue
        kind = spec["type"]
        if kind not in BOUNDARY_TYPES:
            case.report(key + ("type",), f"unknown type {toml_repr(kind)}; valid: {types}"
                                         f"{hint_after(kind, BOUNDARY_TYPES)}")
            continue
        params = {k: v for k, v in spec.items() if k != "type"}
        if check_keys(case, key, params, BOUNDARY_TYPES[kind]) != set(params):
            continue
        if kind == "magnetic" and "interface" not in params and "G_r" not in params:
            case.report(key, "a magnetic boundary needs interface = NAME (a library set: "
                             f"{', '.join(sorted(lib.INTERFACES))}) or G_r = ... (its "
                             "spin-mixing conductance, 1/(Ohm m^2))")
            continue
        try:
            if kind == "magnetic" and "interface" in params:
                iface = params.pop("interface")
                try:
                    p = lib.interface(iface)
                except KeyError as exc:
                    case.report(key + ("interface",), str(exc).strip(chr(34)))
                    continue
                params = {"G_r": p.G_r, "G_i": p.G_i, "G_s": p.G_s, **params}
            out.append(getattr(bc, BOUNDARY_CLASSES[kind])(name, **params))
        except (KeyError, ValueError, TypeError) as exc:
            case.report(key, str(exc).strip('"'))
    return out


# ------------------------------------------------------------------------------- measures
def check_measures(case) -> None:
    """``[[measure.*]]``: each entry a table with its required keys and valid values,
    distinct result names, resistances with plus ≠ minus and a current that flows (two
    contacts at different potentials or a non-zero current boundary), torques with
    current_density × normal ≠ 0, profiles with start ≠ end.  Names are resolved by
    :mod:`kinetics.case_layout`."""
    import numpy as np
    measure = case.data.get("measure")
    if not isinstance(measure, dict):
        return
    check_keys(case, ("measure",), measure, {k: list for k in MEASURES})
    for kind, entries in measure.items():
        if kind not in MEASURES or not isinstance(entries, list):
            continue
        if len(entries) > 100:
            case.report(("measure", kind), f"at most 100 entries, got {len(entries)}")
            continue
        names: dict = {}
        for i, entry in enumerate(entries):
            key = ("measure", kind, i)
            ok = check_section(case, key, entry, MEASURES[kind])
            if ok is None or ok != set(entry) or case.has_errors(*key):
                continue
            name = entry.get("name", {"torque": entry.get("interface"),
                                      "spin_current": entry.get("surface"),
                                      "layer_torque": entry.get("region")}.get(kind, "profile"))
            if name in names:
                case.report(key + ("name",), f"result name '{name}' is used by entry "
                                             f"{names[name] + 1} too; give each a distinct name")
            names[name] = i
            if kind == "resistance":
                _check_resistance(case, key, entry)
            elif kind == "torque":
                if np.linalg.norm(np.cross(entry["current_density"], entry["normal"])) == 0:
                    case.report(key + ("normal",), "current_density and normal are parallel: "
                                                   "the spin polarization j × n vanishes")
            elif kind == "layer_torque":
                _check_layer_torque(case, key, entry)
            elif kind == "profile" and entry["start"] == entry["end"]:
                case.report(key + ("end",), f"must differ from start, got {entry['end']}")


def has_drive(case) -> bool:
    """Whether something drives currents: two contacts at different potentials, a current
    boundary with current != 0, a magnetic boundary with ``pumping``, or the ``[pumping]``
    model (a precessing magnet)."""
    table = case.data.get("boundaries")
    specs = [s for s in table.values() if isinstance(s, dict)] if isinstance(table, dict) else []
    potentials = {s.get("V", 0.0) for s in specs if s.get("type") == "contact"}
    return len(potentials) > 1 or "pumping" in case.data or any(
        s.get("type") == "current" and s.get("current", 0.0) != 0 for s in specs) or any(
        s.get("type") == "magnetic" and isinstance(s.get("pumping"), list) and any(s["pumping"])
        for s in specs)


def _check_layer_torque(case, key: tuple, entry: dict) -> None:
    """A ferromagnetic region, at most one of area/area_facet (whether the mesh needs one is
    checked with the layout, :func:`kinetics.case_layout.check_layer_torque_area`)."""
    from kinetics.materials import Ferromagnet
    if "area" in entry and "area_facet" in entry:
        case.report(key + ("area_facet",), "give the layer's area one way: area or "
                                           "area_facet, not both")
    mat = case.parsed_materials.get(entry["region"])
    if mat is not None and not isinstance(mat, Ferromagnet):
        case.report(key + ("region",), f"'{entry['region']}' is not ferromagnetic: the torque "
                                       f"is exerted on a ferromagnetic layer (a material "
                                       f"with beta and lambda_sf)")


def _check_resistance(case, key: tuple, entry: dict) -> None:
    if entry["plus"] == entry["minus"]:
        case.report(key + ("minus",), f"must differ from plus ('{entry['plus']}'): the "
                                      f"resistance would be 0")
    if "scale" in entry and entry["scale"] == 0:
        case.report(key + ("scale",), "must be non-zero")
    current = entry["current"]
    spec = case.get("boundaries", current)
    floating = case.get("pumping", "floating", default=[])
    if isinstance(spec, dict) and spec.get("type") == "current" and spec.get("current", 0) == 0:
        case.report(key + ("current",), f"'{current}' carries current = 0: the resistance "
                                        f"would divide by zero")
    elif isinstance(floating, list) and current in floating:
        case.report(key + ("current",), f"'{current}' is a floating contact ([pumping] "
                                        f"floating): no current flows through it")
    elif not has_drive(case):
        case.report(key + ("current",), "no current flows: every contact has the same "
                                        "potential V and no current boundary drives one "
                                        "(the resistance would divide by zero)")


# ------------------------------------------------------------------------------- all
def _select_model(case, registry):
    present = [s for s in registry.sections() if s in case.data]
    if len(present) > 1:
        present.sort(key=lambda s: case._locator.line((s,)) or 0)
        first, last = registry.lookup(present[0]).name, registry.lookup(present[-1]).name
        case.report((present[-1],), f"a case runs one model, but [{present[0]}] and "
                                    f"[{present[-1]}] select two ({first}, {last}): remove one "
                                    f"of them")
    if present:
        return registry.lookup(present[0])
    if not registry.has_default():
        case.report((), f"no model section: give one of "
                        f"{', '.join(f'[{s}]' for s in registry.sections())}")
        return None
    return registry.lookup(None)


def _check_model_section(case, model, selected: bool) -> None:
    section = model.section
    table = case.data.get(section, {}) if section else {}
    ok = check_section(case, (section,), table, model.keys, model.required) if section \
        else set()
    if ok is None or not selected or case.has_errors(section):
        return
    from kinetics.case_layout import check_boundary_refs
    check_boundary_refs(case, (section,), table, model.keys)
    if model.validate is not None and not case.has_errors(section):
        try:
            model.validate(case, table)
        except CaseError as exc:        # a hook that raises case.error(...)
            case._errors.extend(((section,), m) for m in exc.errors)
        except (ValueError, KeyError, TypeError) as exc:
            case.report((section,), str(exc).strip('"'))


def validate(case, registry) -> None:
    """Check everything of ``case`` that can be checked without meshing; every problem is
    reported with ``case.report`` (the caller raises them together).  Sets ``case.model``,
    the built materials and boundaries, and ``case.layout``."""
    from kinetics.case import schema
    from kinetics.case_layout import check_geometry, check_layout, check_petsc_options
    data = case.data
    allowed = schema(registry)
    check_keys(case, (), data, allowed)
    # a misspelt section ([material]) is reported once, as an unknown key
    hinted = {c for k in data if k not in allowed
              for c in difflib.get_close_matches(k, allowed, n=1)}
    model = case.model = _select_model(case, registry)
    needs = ("geometry", *(model.needs if model else ()))
    for section in needs:
        if section not in data and section not in hinted:
            case.report((section,), f"missing section [{section}]")
    if isinstance(data.get("geometry"), dict):
        check_geometry(case)
    case._materials = build_materials(case)
    case._boundaries = build_boundaries(case)
    for section, spec in (("solver", SOLVER), ("output", OUTPUT)):
        if isinstance(data.get(section), dict):
            check_section(case, (section,), data[section], spec)
    for other in registry.models():
        if other.section in data or (other is model and other.section is None):
            _check_model_section(case, other, other is model)
    check_measures(case)
    check_petsc_options(case)
    if model is not None:
        check_layout(case)


def doc_tables() -> dict[str, str]:
    """Section title -> markdown table of its schema (the tables of docs/case_files.md)."""
    from kinetics.case_layout import FILE_GEOMETRY
    from kinetics.models.registry import REGISTRY
    out = {"[geometry] file": doc_table(FILE_GEOMETRY),
           "[solver]": doc_table(SOLVER), "[output]": doc_table(OUTPUT),
           "[materials] table": doc_table(MATERIAL)}
    for kind, spec in BOUNDARY_TYPES.items():
        if spec:
            out[f"boundary type {kind}"] = doc_table(spec)
    for kind, spec in MEASURES.items():
        out[f"[[measure.{kind}]]"] = doc_table(spec)
    for model in REGISTRY.models():
        if model.section:
            out[f"[{model.section}]"] = doc_table(model.keys)
    return out


if __name__ == "__main__":
    for title, table in doc_tables().items():
        print(f"{title}\n\n{table}\n")
