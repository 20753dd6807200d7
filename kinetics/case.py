"""Case files: a device, its materials, conditions, sweeps and outputs in one TOML file.

Read with :mod:`tomllib` and validated before anything is meshed or solved; every error
names the key, the file and line, and the valid choices.  The schema (docs/case_files.md
documents it field by field)::

    [geometry]                       # one of: builder = NAME (+ its parameters) | file = PATH
    builder = "film"                 # layered_box, film, stack, hall_bar, nonlocal_spin_valve, pillar
    thickness = 5e-9                 # builder parameters, SI units
    size = [40e-9, 20e-9]

    [materials]                      # region -> library material (string) or table
    pt = { base = "Pt", theta_sh = 0.08 }

    [boundaries."pt|yig"]            # facet name -> condition
    type = "magnetic"                # contact | current | probe | insulator | magnetic
    interface = "Pt|YIG"             # library conductances (optional), overridden by G_r, G_i, G_s
    m = [0, 1, 0]

    [sweep]                          # optional: magnetization scans for SMR
    interface = "pt|yig"
    planes = ["alpha", "beta", "gamma"]
    steps = 13

    [pumping]                        # optional instead of [sweep]: spin pumping (FMR)
    interface = "pt|yig"
    frequency_Hz = 9.4e9
    cone_angle_deg = 1.0
    axis = [1, 0, 0]                 # precession axis = static magnetization
    floating = ["pt_xmax"]           # contacts read as ideal voltmeters (V_ISHE)

    [solver]
    degree = 1
    preset = "auto"

    [[measure.resistance]]           # named resistances (V_plus - V_minus)/I
    name = "R_xx"
    current = "pt_xmin"
    plus = "pt_xmin"
    minus = "pt_xmax"

    [output]
    fields = true
    pictures = true
"""

from __future__ import annotations

import dataclasses
import difflib
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["CaseError", "Case", "load_case", "parse_case", "SCHEMA", "BOUNDARY_TYPES",
           "sweep_directions"]


class CaseError(ValueError):
    """Invalid case file; the message names the key, the file and line."""


#: allowed keys per section (None: free-form mapping checked elsewhere)
SCHEMA: dict[str, Any] = {
    "title": str,
    "description": str,
    "geometry": None,
    "materials": None,
    "boundaries": None,
    "sweep": {"interface": str, "planes": list, "steps": int, "directions": list},
    "pumping": {"interface": str, "frequency_Hz": (int, float), "cone_angle_deg": (int, float),
                "axis": list, "samples": int, "floating": list, "backflow": bool},
    "texture_pumping": {"frequency_Hz": (int, float), "cone_angle_deg": (int, float),
                        "axis": list, "wavevector": list, "nu": (int, float), "J": (int, float),
                        "tau": (int, float), "D": (int, float), "relaxation_time": (int, float),
                        "reservoirs": list, "E_so": list, "harmonics": int, "samples": int,
                        "degree": int},
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

MATERIAL_KEYS = {"base", "sigma", "lambda_sf", "theta_sh", "kappa", "gauge_field", "source"}

GEOMETRY_BUILDERS = ("layered_box", "film", "stack", "hall_bar", "nonlocal_spin_valve",
                     "pillar", "blocks")

MEASURE_KEYS = {
    "resistance": {"name": str, "current": str, "plus": str, "minus": str, "scale": (int, float)},
    "torque": {"interface": str, "current_density": list, "normal": list, "name": str},
    "spin_current": {"surface": str, "name": str, "region": str},
    "profile": {"name": str, "start": list, "end": list, "points": int},
}


# ---------------------------------------------------------------------------- locating keys
class _Locator:
    """Line numbers of keys and tables in a TOML text (for error messages)."""

    def __init__(self, text: str):
        self.lines: dict[tuple, int] = {}
        table: tuple = ()
        for lineno, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                inner = line.strip("[]").split("#")[0].strip()
                try:
                    doc = tomllib.loads(f"[{inner}]\n")
                except tomllib.TOMLDecodeError:
                    continue
                table = self._path(doc)
                self.lines.setdefault(table, lineno)
                continue
            try:
                doc = tomllib.loads(line)
            except tomllib.TOMLDecodeError:
                key = line.split("=")[0].strip().strip('"')
                if key:
                    self.lines.setdefault(table + (key,), lineno)
                continue
            for sub in self._leaves(doc):
                self.lines.setdefault(table + sub, lineno)

    @staticmethod
    def _path(doc) -> tuple:
        out = []
        while isinstance(doc, dict) and len(doc) == 1:
            k = next(iter(doc))
            out.append(k)
            doc = doc[k]
        return tuple(out)

    @classmethod
    def _leaves(cls, doc, prefix=()):
        for k, v in doc.items():
            yield prefix + (k,)
            if isinstance(v, dict):
                yield from cls._leaves(v, prefix + (k,))

    def line(self, path: tuple) -> int | None:
        path = tuple(p for p in path if not isinstance(p, int))
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


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
    """

    data: dict
    path: str
    base_dir: Path
    _locator: _Locator

    def error(self, keypath: tuple, message: str) -> CaseError:
        """A CaseError for ``keypath`` naming the file and line."""
        line = self._locator.line(keypath)
        where = f"{self.path}" + (f", line {line}" if line else "")
        key = ".".join(str(k) for k in keypath)
        return CaseError(f"{where}: [{key}] {message}")

    def get(self, *keys, default=None):
        d = self.data
        for k in keys:
            if not isinstance(d, dict) or k not in d:
                return default
            d = d[k]
        return d

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
                if kind == "contact":
                    out.append(bc.Contact(name, **spec))
                elif kind == "current":
                    out.append(bc.CurrentContact(name, **spec))
                elif kind == "probe":
                    out.append(bc.FloatingProbe(name))
                elif kind == "insulator":
                    out.append(bc.Insulator(name))
                else:
                    params = {}
                    if "interface" in spec:
                        p = lib.interface(spec.pop("interface"))
                        params = {"G_r": p.G_r, "G_i": p.G_i, "G_s": p.G_s}
                    params.update(spec)
                    out.append(bc.MagneticInterface(name, **params))
            except (KeyError, ValueError, TypeError) as exc:
                raise self.error(("boundaries", name), str(exc).strip('"')) from None
        return out


def _type_name(t) -> str:
    if isinstance(t, tuple):
        return " or ".join(_type_name(x) for x in t)
    return {int: "integer", float: "number", str: "string", list: "array", dict: "table",
            bool: "boolean"}.get(t, t.__name__)


def _check_type(case: Case, keypath: tuple, value, expected):
    numeric = expected in ((int, float), int, float)
    ok = isinstance(value, expected) and not (isinstance(value, bool) and numeric)
    if not ok:
        raise case.error(keypath, f"must be {_type_name(expected)}, got {type(value).__name__} "
                         f"{value!r}")


def _check_keys(case: Case, keypath: tuple, table: dict, allowed) -> None:
    for key, value in table.items():
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise case.error(keypath + (key,), f"unknown key '{key}'{hint}; valid keys: "
                             f"{', '.join(sorted(allowed))}")
        expected = allowed[key] if isinstance(allowed, dict) else None
        if isinstance(expected, (type, tuple)):
            _check_type(case, keypath + (key,), value, expected)


def _check_unit_vector(case: Case, keypath: tuple, value):
    arr = np.asarray(value, dtype=float) if isinstance(value, list) else None
    if arr is None or arr.shape != (3,):
        raise case.error(keypath, f"must be a 3-vector [mx, my, mz], got {value!r}")
    norm = float(np.linalg.norm(arr))
    if abs(norm - 1) > 1e-6:
        raise case.error(keypath, f"the magnetization must be a unit vector, got |m| = {norm:.6g}")


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


def parse_case(text: str, path: str = "<string>", base_dir: Path | None = None) -> Case:
    """Parse and validate a case from TOML text.

    Raises
    ------
    CaseError
        For TOML syntax errors and for every schema violation, naming key, file and line.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CaseError(f"{path}: invalid TOML: {exc}") from None
    case = Case(data, path, base_dir or Path.cwd(), _Locator(text))
    _check_keys(case, (), data, SCHEMA)
    required = ("geometry",) if "texture_pumping" in data else ("geometry", "materials")
    for section in required:
        if section not in data:
            raise case.error((section,), f"missing section [{section}]")
    for section, allowed in SCHEMA.items():
        if isinstance(allowed, dict) and section in data:
            _check_type(case, (section,), data[section], dict)
            _check_keys(case, (section,), data[section], allowed)
    geo = data["geometry"]
    _check_type(case, ("geometry",), geo, dict)
    if ("builder" in geo) == ("file" in geo):
        raise case.error(("geometry",), "give exactly one of builder = NAME or file = PATH; "
                         f"builders: {', '.join(GEOMETRY_BUILDERS)}")
    if "builder" in geo and geo["builder"] not in GEOMETRY_BUILDERS:
        raise case.error(("geometry", "builder"), f"unknown builder '{geo['builder']}'; valid: "
                         f"{', '.join(GEOMETRY_BUILDERS)}")
    for key, value in geo.items():
        if key in LENGTH_KEYS and any(v <= 0 for v in _numbers(value)):
            raise case.error(("geometry", key), f"lengths must be positive (metres), got {value!r}")
        if key == "layers":
            for layer in value:
                if not (isinstance(layer, list) and len(layer) >= 2 and isinstance(layer[1], (int, float))
                        and layer[1] > 0):
                    raise case.error(("geometry", "layers"), f"each layer is [name, thickness_m"
                                     f"(, cells)] with a positive thickness, got {layer!r}")
    for region, spec in data.get("materials", {}).items():
        if isinstance(spec, dict):
            _check_keys(case, ("materials", region), spec, MATERIAL_KEYS)
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
        _check_keys(case, ("boundaries", name), {k: v for k, v in spec.items() if k != "type"},
                    BOUNDARY_TYPES[kind])
        if kind == "magnetic" and "m" in spec:
            _check_unit_vector(case, ("boundaries", name, "m"), spec["m"])
    sweep = data.get("sweep")
    if sweep:
        for p in sweep.get("planes", []):
            if p not in ("alpha", "beta", "gamma"):
                raise case.error(("sweep", "planes"), f"unknown plane '{p}'; valid: alpha (xy), "
                                 f"beta (yz), gamma (xz)")
        for i, m in enumerate(sweep.get("directions", [])):
            _check_unit_vector(case, ("sweep", "directions"), m)
        iface = sweep.get("interface")
        if iface is None or data.get("boundaries", {}).get(iface, {}).get("type") != "magnetic":
            raise case.error(("sweep", "interface"), "must name a boundary of type 'magnetic'")
    texture = data.get("texture_pumping")
    if texture:
        for other in ("sweep", "pumping"):
            if other in data:
                raise case.error(("texture_pumping",), f"[texture_pumping] is a model of its own: "
                                 f"remove [{other}]")
        for key in ("frequency_Hz", "cone_angle_deg", "nu", "tau", "D"):
            if key not in texture or not texture[key] > 0:
                raise case.error(("texture_pumping", key), "required, a positive number")
        if "J" not in texture:
            raise case.error(("texture_pumping", "J"), "required: the s-d exchange constant (J)")
        if "axis" in texture:
            _check_unit_vector(case, ("texture_pumping", "axis"), texture["axis"])
    pumping = data.get("pumping")
    if pumping:
        if sweep:
            raise case.error(("pumping",), "use either [sweep] or [pumping], not both")
        iface = pumping.get("interface")
        if iface is None or data.get("boundaries", {}).get(iface, {}).get("type") != "magnetic":
            raise case.error(("pumping", "interface"), "must name a boundary of type 'magnetic'")
        for key in ("frequency_Hz", "cone_angle_deg"):
            if key not in pumping or not pumping[key] > 0:
                raise case.error(("pumping", key), "required, a positive number")
        if "axis" in pumping:
            _check_unit_vector(case, ("pumping", "axis"), pumping["axis"])
        for name in pumping.get("floating", []):
            if data.get("boundaries", {}).get(name, {}).get("type") != "contact":
                raise case.error(("pumping", "floating"), f"'{name}' must be a boundary of type "
                                 "'contact' (a floating contact is an ideal voltmeter pad)")
    for kind, entries in data.get("measure", {}).items():
        for i, entry in enumerate(entries):
            _check_type(case, ("measure", kind), entry, dict)
            _check_keys(case, ("measure", kind), entry, MEASURE_KEYS[kind])
    solver = data.get("solver", {})
    if "degree" in solver and solver["degree"] not in (1, 2, 3):
        raise case.error(("solver", "degree"), f"must be 1, 2 or 3, got {solver['degree']}")
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
    """Magnetization directions of an SMR angular scan (Althammer et al. 2013 planes).

    alpha: in the film plane, m = (cos a, sin a, 0), a from the current direction x;
    beta:  in the y-z plane, m = (0, cos b, sin b);
    gamma: in the x-z plane, m = (cos g, 0, sin g).

    Returns
    -------
    (angles in degrees, shape (steps,); unit vectors, shape (steps, 3))
    """
    ang = np.linspace(0.0, 360.0, steps)
    r = np.radians(ang)
    c, s, z = np.cos(r), np.sin(r), np.zeros_like(r)
    vec = {"alpha": (c, s, z), "beta": (z, c, s), "gamma": (c, z, s)}[plane]
    return ang, np.column_stack(vec)
