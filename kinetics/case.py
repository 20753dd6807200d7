"""Case files: a device, its materials, conditions, a model, measurements and outputs in TOML.

Read with :mod:`tomllib` and validated before anything is meshed or solved; every error
names the key, the file and line, and the valid choices.  docs/case_files.md documents the
schema field by field.  Sections common to every model are checked here (:data:`SCHEMA`):
``[geometry]`` (``builder = NAME`` + its parameters, or ``file = PATH``), ``[materials]``
(region -> library name or table), ``[boundaries."FACET"]`` (``type`` = one of
:data:`BOUNDARY_TYPES` + its keys), ``[solver]``, ``[[measure.*]]``, ``[output]``.

The model is chosen by its section (``[sweep]``, ``[pumping]``, ``[texture_pumping]``, ...;
none: the steady spin-charge model).  Each model registers the schema of its section, its
checks and its run function in :mod:`kinetics.models.registry`; this module validates the
section through that record and stores it as :attr:`Case.model`.  At most one model section
may be present.
"""

from __future__ import annotations

import dataclasses
import difflib
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from kinetics import validation
from kinetics.case_schema import Locator, check_keys, check_type
from kinetics.models.registry import REGISTRY, CaseModel, Registry

__all__ = ["CaseError", "Case", "load_case", "parse_case", "SCHEMA", "BOUNDARY_TYPES",
           "schema", "check_unit_vector", "sweep_directions"]


class CaseError(ValueError):
    """Invalid case file; the message names the key, the file and line."""


#: allowed keys of the sections common to every model (None: free-form, checked below); the
#: model sections come from the registry (:func:`schema`)
SCHEMA: dict[str, Any] = {
    "title": str,
    "description": str,
    "geometry": None,
    "materials": None,
    "boundaries": None,
    "solver": {"degree": int, "preset": str, "petsc_options": dict},
    "measure": {"resistance": list, "torque": list, "spin_current": list, "profile": list},
    "output": {"fields": bool, "pictures": bool, "json": bool},
}

BOUNDARY_TYPES: dict[str, dict[str, type | tuple]] = {
    "contact": {"V": (int, float), "spin": str},
    "current": {"current": (int, float)},
    "probe": {},
    "insulator": {},
    "magnetic": {"G_r": (int, float), "G_i": (int, float), "G_s": (int, float),
                 "m": list, "interface": str, "Gamma_loss": list, "rotation": list,
                 "pumping": list},
}

#: boundary type -> class in kinetics.physics.boundaries
BOUNDARY_CLASSES = {"contact": "Contact", "current": "CurrentContact", "probe": "FloatingProbe",
                    "insulator": "Insulator", "magnetic": "MagneticInterface"}

MATERIAL_KEYS = {"base", "sigma", "lambda_sf", "theta_sh", "kappa", "gauge_field", "source"}

GEOMETRY_BUILDERS = ("layered_box", "film", "stack", "hall_bar", "nonlocal_spin_valve",
                     "pillar", "blocks")

MEASURE_KEYS = {
    "resistance": {"name": str, "current": str, "plus": str, "minus": str, "scale": (int, float)},
    "torque": {"interface": str, "current_density": list, "normal": list, "name": str},
    "spin_current": {"surface": str, "name": str, "region": str},
    "profile": {"name": str, "start": list, "end": list, "points": int},
}


@dataclasses.dataclass
class Case:
    """A validated case.

    Attributes
    ----------
    data:
        The parsed TOML (dict).
    path:
        The file it came from (or ``"<string>"``).
    base_dir:
        Folder that relative paths (``geometry.file``) are resolved against.
    model:
        The :class:`kinetics.models.registry.CaseModel` the case runs (chosen by its section).
    """

    data: dict
    path: str
    base_dir: Path
    _locator: Locator
    model: CaseModel | None = None

    def error(self, keypath: tuple, message: str) -> CaseError:
        """A CaseError for ``keypath`` naming the file and line."""
        line = self._locator.line(keypath)
        where = f"{self.path}" + (f", line {line}" if line else "")
        key = ".".join(str(k) for k in keypath)
        return CaseError(f"{where}: [{key}] {message}")

    def get(self, *keys, default=None):
        """The value at ``data[keys[0]][keys[1]]...``, or ``default`` where a key is missing."""
        d = self.data
        for k in keys:
            if not isinstance(d, dict) or k not in d:
                return default
            d = d[k]
        return d

    def boundary_type(self, name: str) -> str | None:
        """The ``type`` of ``[boundaries."name"]`` (None if there is no such table)."""
        spec = self.get("boundaries", name)
        return spec.get("type") if isinstance(spec, dict) else None

    # -- building the objects ------------------------------------------------------------
    def build_device(self, comm=None):
        """The :class:`kinetics.device.Device` of ``[geometry]`` (meshes with gmsh on rank 0).

        Raises
        ------
        CaseError
            If the builder rejects its parameters (the builder's message, with file and line).
        """
        try:
            return self._build_device(comm)
        except (ValueError, KeyError, TypeError) as exc:
            if isinstance(exc, CaseError):
                raise
            raise self.error(("geometry",), str(exc).strip('"')) from None

    def _build_device(self, comm):
        geo = dict(self.data["geometry"])
        if "file" in geo:
            from kinetics.geometry import load
            path = Path(geo.pop("file"))
            path = path if path.is_absolute() else self.base_dir / path
            return load(path, comm=comm, **geo)
        builder = geo.pop("builder")
        if builder == "layered_box":
            from kinetics.geometry import layered_box
            layers = [tuple(x) for x in geo.pop("layers")] if "layers" in geo else None
            return layered_box(layers=layers, comm=comm, **geo)
        import kinetics.geometry as geometry
        if "layers" in geo:
            geo["layers"] = [tuple(x) for x in geo["layers"]]
        return getattr(geometry, builder)(comm=comm, **geo)

    def materials(self, device) -> dict:
        """Region name -> Material, checked against the device's regions."""
        from kinetics import materials as lib
        out = {}
        for region, spec in self.data["materials"].items():
            if region not in device.regions:
                raise self.error(("materials", region), f"unknown region '{region}'; regions of "
                                 f"the device: {', '.join(sorted(device.regions))}")
            try:
                if isinstance(spec, str):
                    out[region] = lib.get(spec)
                else:
                    spec = dict(spec)
                    base = spec.pop("base", None)
                    if base is None:
                        out[region] = lib.Material(name=region, **spec)
                    else:
                        out[region] = lib.get(base, **spec)
            except (KeyError, ValueError, TypeError) as exc:
                raise self.error(("materials", region), str(exc).strip('"')) from None
        missing = sorted(set(device.regions) - set(out))
        if missing:
            raise self.error(("materials",), f"region(s) {missing} have no material; every "
                             f"region needs one (regions: {', '.join(sorted(device.regions))})")
        return out

    def boundaries(self, device) -> list:
        """The boundary conditions, checked against the device's facet names."""
        from kinetics import materials as lib
        from kinetics.physics import boundaries as bc
        out = []
        for name, spec in self.data.get("boundaries", {}).items():
            if name not in device.boundaries:
                close = difflib.get_close_matches(name, device.boundaries, n=3)
                hint = f" (did you mean {', '.join(close)}?)" if close else ""
                raise self.error(("boundaries", name), f"unknown facet name '{name}'{hint}; "
                                 f"facets of the device: {', '.join(sorted(device.boundaries))}")
            spec = dict(spec)
            kind = spec.pop("type")
            try:
                if kind == "magnetic" and "interface" in spec:
                    p = lib.interface(spec.pop("interface"))
                    spec = {"G_r": p.G_r, "G_i": p.G_i, "G_s": p.G_s, **spec}
                out.append(getattr(bc, BOUNDARY_CLASSES[kind])(name, **spec))
            except (KeyError, ValueError, TypeError) as exc:
                raise self.error(("boundaries", name), str(exc).strip('"')) from None
        return out


def check_unit_vector(case: Case, keypath: tuple, value) -> np.ndarray:
    """A direction given as a unit 3-vector (| |m| - 1 | <= 1e-6), for model validate hooks.

    Raises
    ------
    CaseError
        ``"[keypath] must be a unit vector, got |m| = 2 for [...]; ..."`` (file and line).
    """
    try:
        return validation.unit_vector("", str(keypath[-1]), value)
    except validation.ValidationError as exc:
        raise case.error(keypath, exc.brief()) from None


#: geometry parameters that are lengths (every number in them must be > 0)
LENGTH_KEYS = {"h", "thickness", "length", "width", "size", "lengths", "gap", "arm_width",
               "arm_length", "fm_thickness", "fm_length", "fm_widths", "channel_length",
               "channel_width", "channel_thickness", "semi_axes"}


def _numbers(value):
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _numbers(v)


def schema(registry: Registry | None = None) -> dict[str, Any]:
    """Allowed top-level keys: :data:`SCHEMA` plus every registered model section."""
    registry = registry or REGISTRY
    return {**SCHEMA, **{m.section: dict(m.keys) for m in registry.models() if m.section}}


def _select_model(case: Case, registry: Registry) -> CaseModel:
    present = [s for s in registry.sections() if s in case.data]
    if len(present) > 1:
        present.sort(key=lambda s: case._locator.line((s,)) or 0)
        raise case.error((present[-1],), f"a case runs one model, but [{present[0]}] and "
                         f"[{present[-1]}] select two ({registry.lookup(present[0]).name}, "
                         f"{registry.lookup(present[-1]).name}): remove one of them")
    if present:
        return registry.lookup(present[0])
    if not registry.has_default():
        raise CaseError(f"{case.path}: no model section: give one of "
                        f"{', '.join(f'[{s}]' for s in registry.sections())}")
    return registry.lookup(None)


def _check_model(case: Case, model: CaseModel) -> None:
    """The section's required keys and the model's own checks (keys and types are done)."""
    section = case.data.get(model.section, {}) if model.section else {}
    for key, what in model.required.items():
        if key not in section:
            raise case.error((model.section, key), f"required, {what}")
    if model.validate is not None:
        model.validate(case, section)


def parse_case(text: str, path: str = "<string>", base_dir: Path | None = None,
               registry: Registry | None = None) -> Case:
    """Parse and validate a case from TOML text.

    ``registry`` (default: :data:`kinetics.models.registry.REGISTRY`) supplies the model
    sections; the case's model is stored as :attr:`Case.model`.

    Raises
    ------
    CaseError
        For TOML syntax errors and for every schema violation, naming key, file and line;
        also when two model sections are present.
    """
    registry = registry or REGISTRY
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CaseError(f"{path}: invalid TOML: {exc}") from None
    case = Case(data, path, base_dir or Path.cwd(), Locator(text))
    allowed = schema(registry)
    check_keys(case, (), data, allowed)
    model = case.model = _select_model(case, registry)
    for section in ("geometry", *model.needs):
        if section not in data:
            raise case.error((section,), f"missing section [{section}]")
    for section, keys in allowed.items():
        if isinstance(keys, dict) and section in data:
            check_type(case, (section,), data[section], dict)
            check_keys(case, (section,), data[section], keys)
    geo = data["geometry"]
    check_type(case, ("geometry",), geo, dict)
    if ("builder" in geo) == ("file" in geo):
        raise case.error(("geometry",), "give exactly one of builder = NAME or file = PATH; "
                         f"builders: {', '.join(GEOMETRY_BUILDERS)}")
    if "builder" in geo and geo["builder"] not in GEOMETRY_BUILDERS:
        raise case.error(("geometry", "builder"), f"unknown builder '{geo['builder']}'; valid: "
                         f"{', '.join(GEOMETRY_BUILDERS)}")
    for key, value in geo.items():
        if key in LENGTH_KEYS:
            try:
                for v in _numbers(value):
                    validation.positive("geometry", key, v)
            except ValueError:
                raise case.error(("geometry", key), f"lengths must be positive (metres), got "
                                 f"{value!r}") from None
        if key == "layers":
            for layer in value:
                if not (isinstance(layer, list) and len(layer) >= 2 and isinstance(layer[1], (int, float))
                        and layer[1] > 0):
                    raise case.error(("geometry", "layers"), f"each layer is [name, thickness_m"
                                     f"(, cells)] with a positive thickness, got {layer!r}")
    for region, spec in data.get("materials", {}).items():
        if isinstance(spec, dict):
            check_keys(case, ("materials", region), spec, MATERIAL_KEYS)
        elif not isinstance(spec, str):
            raise case.error(("materials", region), "must be a library name or a table "
                             "{ base = NAME, <overrides> }")
    for name, spec in data.get("boundaries", {}).items():
        if not isinstance(spec, dict) or "type" not in spec:
            raise case.error(("boundaries", name), f"needs type = one of "
                             f"{', '.join(BOUNDARY_TYPES)}")
        kind = spec["type"]
        if kind not in BOUNDARY_TYPES:
            raise case.error(("boundaries", name, "type"), f"unknown type '{kind}'; valid: "
                             f"{', '.join(BOUNDARY_TYPES)}")
        check_keys(case, ("boundaries", name), {k: v for k, v in spec.items() if k != "type"},
                   BOUNDARY_TYPES[kind])
        if kind == "magnetic" and "m" in spec:
            check_unit_vector(case, ("boundaries", name, "m"), spec["m"])
    _check_model(case, model)
    for kind, entries in data.get("measure", {}).items():
        for i, entry in enumerate(entries):
            check_type(case, ("measure", kind), entry, dict)
            check_keys(case, ("measure", kind), entry, MEASURE_KEYS[kind])
    solver = data.get("solver", {})
    if "degree" in solver:
        try:
            validation.integer("solver", "degree", solver["degree"], 1, 3)
        except validation.ValidationError as exc:
            raise case.error(("solver", "degree"), exc.brief()) from None
    presets = ("auto", "direct", "iterative", "fieldsplit")
    if "preset" in solver and solver["preset"] not in presets:
        raise case.error(("solver", "preset"), f"unknown preset '{solver['preset']}'; valid: "
                         f"{', '.join(presets)}")
    return case


def load_case(path) -> Case:
    """Read and validate a case file.

    Raises
    ------
    CaseError
        If the file is missing or invalid (the message names key, file and line).
    """
    path = Path(path)
    if not path.is_file():
        raise CaseError(f"case file {path} not found")
    return parse_case(path.read_text(), str(path), path.parent)


def sweep_directions(plane: str, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Magnetization directions of an SMR angular scan: (angles in degrees, unit vectors
    (steps, 3)); see :func:`kinetics.models.spin_charge_case.sweep_directions`."""
    from kinetics.models.spin_charge_case import sweep_directions as directions
    return directions(plane, steps)
