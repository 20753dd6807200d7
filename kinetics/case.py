"""Case files: a device, its materials, conditions, a model, measurements and outputs in TOML.

Read as bytes (at most :data:`MAX_BYTES`, UTF-8), parsed with :mod:`tomllib` and validated
completely before anything is meshed or solved: every key, type, range, vector, name and
reference, the materials and boundary objects, the names the geometry will have (computed
without meshing), the PETSc options and the geometry file paths.  All problems of a file
are reported together in one :class:`CaseError`, one line each: ``"FILE, line N:
[key.path] message"`` naming the valid choices.  docs/case_files.md documents the schema
field by field.

The sections common to every model are checked by :mod:`kinetics.case_checks` (schemas
there), the names by :mod:`kinetics.case_layout`.  The model is chosen by its section
(``[sweep]``, ``[pumping]``, ``[texture_pumping]``, ...; none: the steady spin-charge
model).  Each model registers the schema of its section, its checks and its run function in
:mod:`kinetics.models.registry`; the case keeps the record as :attr:`Case.model`.  At most
one model section may be present.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Any

import numpy as np

from kinetics.case_schema import did_you_mean
from kinetics.case_text import (MAX_BYTES, MAX_DEPTH, CaseError, Locator, decode_case, deepest,
                                parse_toml)
from kinetics.models.registry import REGISTRY, CaseModel, Registry

__all__ = ["CaseError", "Case", "load_case", "parse_case", "decode_case", "SCHEMA",
           "BOUNDARY_TYPES", "MAX_BYTES", "MAX_DEPTH", "schema",
           "sweep_directions"]

def __getattr__(name: str):
    # the schemas live in kinetics.case_checks (kept importable from here)
    if name in ("SCHEMA", "BOUNDARY_TYPES"):
        from kinetics import case_checks
        return getattr(case_checks, name)
    if name in ("GEOMETRY_BUILDERS", "LENGTH_KEYS"):
        from kinetics import case_layout
        return getattr(case_layout, name)
    raise AttributeError(f"module 'kinetics.case' has no attribute {name!r}")


def _keytext(keypath: tuple) -> str:
    out = ""
    for k in keypath:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out


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
    layout:
        The region and facet names of the geometry (``.regions``, ``.boundaries``), computed
        without meshing by :func:`kinetics.case_layout.layout_of`; None when they could not
        be computed (then the names are checked against the mesh).
    geometry_path:
        The checked path of ``[geometry] file`` (None for builders).
    """

    data: dict
    path: str
    base_dir: Path
    _locator: Locator
    model: CaseModel | None = None
    layout: Any = None
    geometry_path: Path | None = None
    _errors: list = dataclasses.field(default_factory=list, repr=False)
    _materials: dict | None = dataclasses.field(default=None, repr=False)
    _boundaries: list | None = dataclasses.field(default=None, repr=False)

    @property
    def parsed_materials(self) -> dict:
        """Region name -> material, for the ``[materials]`` entries that could be built when
        the case was validated (empty before); for model checks before meshing."""
        return dict(self._materials or {})

    # -- errors --------------------------------------------------------------------------
    def message(self, keypath: tuple, message: str) -> str:
        """``"FILE, line N: [key.path] message"`` (the line of the key, or of its table)."""
        line = self._locator.line(keypath)
        where = f"{self.path}" + (f", line {line}" if line else "")
        return f"{where}: [{_keytext(keypath)}] {message}" if keypath else f"{where}: {message}"

    def error(self, keypath: tuple, message: str) -> CaseError:
        """A CaseError for ``keypath`` naming the file and line (to raise)."""
        return CaseError(self.message(keypath, message))

    def report(self, keypath: tuple, message: str) -> None:
        """Record an error for ``keypath``; :func:`parse_case` raises them all together."""
        self._errors.append((tuple(keypath), self.message(keypath, message)))

    def has_errors(self, *prefix) -> bool:
        """Whether an error was reported for ``prefix`` or a key under it."""
        return any(k[:len(prefix)] == tuple(prefix) for k, _ in self._errors)

    def raise_errors(self) -> None:
        """Raise one CaseError with every reported error (in the order found), if any."""
        if self._errors:
            seen = list(dict.fromkeys(m for _, m in self._errors))
            raise CaseError(seen)

    # -- reading -------------------------------------------------------------------------
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
    def build_device(self, comm=None, output_dir=None):
        """The :class:`kinetics.device.Device` of ``[geometry]`` (meshes with gmsh on rank 0).

        Parameters
        ----------
        comm:
            MPI communicator.
        output_dir:
            The run's output folder: a ``[geometry] cache`` folder must lie inside it
            (:func:`kinetics.case_layout.cache_dir`); needed only for such a folder.

        Raises
        ------
        CaseError
            If the builder or loader rejects its parameters (their message, with file and
            line), or a cache folder is given without ``output_dir`` or outside it.
        """
        try:
            return self._build_device(comm, output_dir)
        except (ValueError, KeyError, TypeError, FileNotFoundError) as exc:
            if isinstance(exc, CaseError):
                raise
            raise self.error(("geometry",), str(exc).strip('"')) from None

    def _build_device(self, comm, output_dir):
        from kinetics.case_layout import cache_dir, geometry_roots
        geo = dict(self.data["geometry"])
        if "file" in geo:
            from kinetics.geometry import load
            path = Path(geo.pop("file"))
            path = self.geometry_path or (path if path.is_absolute() else self.base_dir / path)
            return load(path, comm=comm, trusted=False, roots=geometry_roots(self), **geo)
        if isinstance(geo.get("cache"), str):
            if output_dir is None:
                raise self.error(("geometry", "cache"), "a cache folder lies in the output "
                                 "folder, which this call does not know (output_dir)")
            geo["cache"] = cache_dir(self, output_dir)
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
        """Region name -> :class:`kinetics.materials.Material` (built and checked when the
        case was parsed), checked against the device's regions.

        Raises
        ------
        CaseError
            For a region the device does not have, or a region without material.
        """
        from kinetics.case_checks import build_materials
        if self._materials is None:
            self._materials = build_materials(self)
            self.raise_errors()
        for region in self._materials:
            if region not in device.regions:
                raise self.error(("materials", region), f"unknown region '{region}'"
                                 f"{did_you_mean(region, device.regions, quote=False)}; "
                                 f"regions of the device: {', '.join(sorted(device.regions))}")
        missing = sorted(set(device.regions) - set(self._materials))
        if missing:
            raise self.error(("materials",), f"region(s) {missing} have no material; every "
                             f"region needs one (regions: {', '.join(sorted(device.regions))})")
        return dict(self._materials)

    def boundaries(self, device) -> list:
        """The boundary conditions (fresh copies of the objects built and checked when the
        case was parsed), checked against the device's facet names.

        Raises
        ------
        CaseError
            For a facet name the device does not have.
        """
        from kinetics.case_checks import build_boundaries
        if self._boundaries is None:
            self._boundaries = build_boundaries(self)
            self.raise_errors()
        for cond in self._boundaries:
            if cond.name not in device.boundaries:
                raise self.error(("boundaries", cond.name), f"unknown facet name '{cond.name}'"
                                 f"{did_you_mean(cond.name, device.boundaries, quote=False)}; "
                                 f"facets of the device: {', '.join(sorted(device.boundaries))}")
        return copy.deepcopy(self._boundaries)


def schema(registry: Registry | None = None) -> dict[str, Any]:
    """Allowed top-level keys: the common sections plus every registered model section."""
    from kinetics.case_checks import SCHEMA
    registry = registry or REGISTRY
    return {**SCHEMA, **{m.section: dict(m.keys) for m in registry.models() if m.section}}


def parse_case(text: str, path: str = "<string>", base_dir: Path | None = None,
               registry: Registry | None = None) -> Case:
    """Parse and validate a case from TOML text.

    ``registry`` (default: :data:`kinetics.models.registry.REGISTRY`) supplies the model
    sections; the case's model is stored as :attr:`Case.model`.

    Raises
    ------
    CaseError
        With every problem of the case (``.errors``, one line each naming file, line, key
        and the valid choices); a TOML syntax error alone.
    """
    registry = registry or REGISTRY
    if len(text) > MAX_BYTES:
        raise CaseError(f"{path}: the text is longer than {MAX_BYTES} characters (1 MiB); a "
                        f"case file is a few kilobytes of TOML")
    data = parse_toml(text, path)
    depth, keys, big = deepest(data)
    case = Case(data, path, Path(base_dir) if base_dir is not None else Path.cwd(),
                Locator(text))
    if depth > MAX_DEPTH:
        raise case.error(keys, f"tables and arrays nested more than {MAX_DEPTH} levels deep; "
                               f"no key of a case file needs that")
    if big is not None:
        raise case.error(big, "invalid TOML: an integer outside the 64-bit range "
                              "(-2^63 to 2^63 - 1)")
    from kinetics.case_checks import validate
    validate(case, registry)
    case.raise_errors()
    return case


def load_case(path) -> Case:
    """Read and validate a case file (bytes, decoded as UTF-8; see :func:`decode_case`).

    Raises
    ------
    CaseError
        If the file is missing, not a regular file, unreadable, too large, not UTF-8 text,
        empty, or invalid (every problem, see :func:`parse_case`).
    """
    path = Path(path)
    if not path.exists():
        raise CaseError(f"case file {path} not found")
    if not path.is_file():
        raise CaseError(f"{path}: not a case file (a directory or special file)")
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CaseError(f"{path}: cannot be read ({exc.strerror})") from None
    return parse_case(decode_case(raw, str(path)), str(path), path.parent)


def sweep_directions(plane: str, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Magnetization directions of an SMR angular scan: (angles in degrees, unit vectors
    (steps, 3)); see :func:`kinetics.models.spin_charge_case.sweep_directions`."""
    from kinetics.models.spin_charge_case import sweep_directions as directions
    return directions(plane, steps)
