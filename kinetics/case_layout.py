"""``[geometry]`` of a case and every name and path, checked before meshing.

- :func:`check_geometry`: exactly one of ``builder``/``file``, the keys of a file geometry
  (:data:`FILE_GEOMETRY`), and for builders what can be said without the builder (numbers
  finite, lengths positive, booleans only for ``cache``/``verbose``, layers).
- :func:`layout_of`: the region and facet names the geometry will have, from
  ``kinetics.geometry.describe(builder, params)`` or ``describe_file(path)`` (no mesh is
  built); their ValueError becomes an error on ``[geometry]``.
- :func:`check_names`: every reference to a region or facet (``[materials]`` and
  ``[boundaries]`` keys, ``[[measure.*]]`` surfaces and facets, model-section keys whose spec
  has ``ref="facet"``/``"region"``) against those names, with did-you-mean and the valid
  names; every region needs a material.
- :func:`check_boundary_refs`: keys whose spec has ``ref="boundary"`` name a
  ``[boundaries]`` table of the right type.
- :func:`check_geometry_paths`: ``[geometry] file`` only inside the case file's folder tree or
  the repository's ``meshes/`` (and ``.geo`` scripts without file-writing commands), and
  ``[geometry] cache`` (true, false or a folder inside the output folder), through
  :mod:`kinetics.geometry.safety`; :func:`cache_dir` resolves the cache for a run.
- :func:`check_petsc_options`: ``[solver] petsc_options`` through the allow-list of
  :func:`kinetics.solvers.options.check_case_options`.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

from kinetics.case_schema import (Array, Bool, Number, Spec, String, Table, check_section,
                                  check_value, did_you_mean, hint_after, toml_repr)

__all__ = ["MESH_ROOT", "FILE_GEOMETRY", "GEOMETRY_BUILDERS", "LENGTH_KEYS", "check_geometry",
           "layout_of", "check_names", "check_boundary_refs", "geometry_roots",
           "check_geometry_paths", "cache_dir", "check_petsc_options", "check_layout",
           "check_memory", "physical_memory"]

#: the repository's folder of example geometry files (a root for ``[geometry] file``)
MESH_ROOT = Path(__file__).resolve().parent.parent / "meshes"

GEOMETRY_BUILDERS = ("layered_box", "film", "stack", "hall_bar", "nonlocal_spin_valve",
                     "pillar", "blocks")

#: geometry parameters that are lengths (every number in them must be > 0)
LENGTH_KEYS = {"h", "thickness", "length", "width", "size", "lengths", "gap", "arm_width",
               "arm_length", "fm_thickness", "fm_length", "fm_widths", "channel_length",
               "channel_width", "channel_thickness", "semi_axes"}

#: the keys of ``[geometry]`` with ``file = PATH`` (keyword arguments of
#: :func:`kinetics.geometry.load`)
FILE_GEOMETRY: dict[str, Spec] = {
    "file": String(required=True, description="a `.geo`, `.msh` (or CAD) file with physical "
                                              "names, relative to the case file, inside its "
                                              "folder tree or `meshes/`"),
    "length_unit": Number(unit="m", lo=1e-12, hi=1.0, default=1e-9,
                          description="metres per model unit of the file"),
    "regions": Array(String(), unique=True, max_len=1000,
                     description="region names that must exist in the file"),
    "boundaries": Array(String(), unique=True, max_len=1000,
                        description="facet names that must exist in the file"),
    "parameters": Table(description="`DefineConstant` values of a `.geo` (numbers or strings)"),
    "axes": String(description="physical axes of the mesh coordinates (default `xyz`, `xz` "
                               "for a planar file)"),
    "h": Number(lo=0.0, lo_open=True, hi=1e9, description="maximum element size for meshing "
                                                          "a `.geo`, in model units"),
    "verbose": Bool(default=False, description="let gmsh print"),
}

#: the only geometry parameters that may be booleans
GEOMETRY_BOOL_KEYS = {"cache", "verbose"}


def _geometry_key(geo: dict, message: str) -> tuple:
    """``("geometry", key)`` for the geometry key the message names first (the file for a
    file geometry), else ``("geometry",)``."""
    found = []
    for key in geo:
        m = re.search(rf"(?<![\w|]){re.escape(str(key))}(?![\w|])", message)
        if m:
            found.append((m.start(), key))
    if found:
        return ("geometry", min(found)[1])
    return ("geometry", "file") if "file" in geo else ("geometry",)


def _report_geometry(case, exc: Exception) -> None:
    message = str(exc).strip('"')
    case.report(_geometry_key(case.data["geometry"], message), message)


# ------------------------------------------------------------------------------- geometry
def _walk(value, keys=()):
    """(sub-key path, leaf value) of every number, string and boolean in a value."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, keys + (k,))
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v, keys)
    else:
        yield keys, value


def check_geometry(case) -> None:
    """``[geometry]``: exactly one of builder/file, the builder name, and what can be said
    without the builder: numbers finite, lengths positive, booleans only for cache/verbose,
    layers as [name, thickness(, cells)].  The builder's own checks run in
    :func:`kinetics.case_layout.check_layout` (``kinetics.geometry.describe``)."""
    geo = case.data["geometry"]
    if not isinstance(geo, dict):
        return
    if ("builder" in geo) == ("file" in geo):
        case.report(("geometry",), "give exactly one of builder = NAME or file = PATH; "
                                   f"builders: {', '.join(GEOMETRY_BUILDERS)}")
    if "builder" in geo:
        check_value(case, ("geometry", "builder"), geo["builder"],
                    String(choices=GEOMETRY_BUILDERS, noun="builder"))
    if "file" in geo and "builder" not in geo:
        check_section(case, ("geometry",), geo, FILE_GEOMETRY)
        params = geo.get("parameters")
        for name, value in params.items() if isinstance(params, dict) else ():
            if not (isinstance(value, str) or (isinstance(value, (int, float)) and not
                                               isinstance(value, bool) and math.isfinite(value))):
                case.report(("geometry", "parameters", name), f"must be a finite number or a "
                                                              f"string, got {toml_repr(value)}")
        return
    if "comm" in geo:
        case.report(("geometry", "comm"), "is not a case-file parameter (the run's MPI "
                                          "communicator is used)")
    for key, value in geo.items():
        if key in ("builder", "file", "comm"):
            continue
        for sub, leaf in _walk(value):
            path = ("geometry", key) + sub
            if isinstance(leaf, bool) and key not in GEOMETRY_BOOL_KEYS:
                case.report(path, f"must not be a boolean here, got {toml_repr(leaf)} "
                                  f"(booleans: {', '.join(sorted(GEOMETRY_BOOL_KEYS))})")
                break
            if isinstance(leaf, float) and not math.isfinite(leaf):
                case.report(path, f"numbers must be finite, got {toml_repr(leaf)}")
                break
            if key in LENGTH_KEYS and not isinstance(leaf, bool) and (
                    not isinstance(leaf, (int, float)) or leaf <= 0):
                case.report(path, f"lengths must be positive (metres), got {toml_repr(value)}")
                break
        if key == "layers":
            _check_layers(case, value)


def _check_layers(case, value) -> None:
    if not isinstance(value, list) or not value:
        case.report(("geometry", "layers"), f"must be a non-empty array of [name, thickness_m"
                                            f"(, cells)], got {toml_repr(value)}")
        return
    for layer in value:
        ok = isinstance(layer, list) and len(layer) in (2, 3) and isinstance(layer[0], str) \
            and isinstance(layer[1], (int, float)) and not isinstance(layer[1], bool) \
            and layer[1] > 0
        if not ok:
            case.report(("geometry", "layers"), f"each layer is [name, thickness_m(, cells)] "
                                                f"with a positive thickness, got "
                                                f"{toml_repr(layer)}")
            return


# ------------------------------------------------------------------------------- paths
#: stands for the run's output folder when ``[geometry] cache`` is checked at parse time
_OUTPUT = Path("/kinetics-output-folder")


def geometry_roots(case) -> list[Path]:
    """Folders a case's geometry file may come from: its folder and :data:`MESH_ROOT`."""
    return [Path(case.base_dir).resolve(), MESH_ROOT]


def check_geometry_paths(case) -> None:
    """``[geometry] file`` (relative, inside :func:`geometry_roots`, an allowed suffix, an
    existing file, a ``.geo`` without file-writing or program-running commands) and
    ``[geometry] cache`` (true, false or a folder inside the output folder), through
    :mod:`kinetics.geometry.safety`; sets ``case.geometry_path``."""
    from kinetics.geometry import safety
    geo = case.data["geometry"]
    roots = geometry_roots(case)
    value = geo.get("file")
    if isinstance(value, str):
        try:
            path = Path(safety.check_geometry_path(value, Path(case.base_dir), roots))
            if not path.is_file():
                raise ValueError(f"geometry file {value!r}: no such file ({path})")
            safety.check_geo_script(path, roots)
        except (ValueError, OSError) as exc:
            case.report(("geometry", "file"), str(exc))
            return
        case.geometry_path = path
    if "cache" in geo:
        try:
            safety.check_cache_dir(geo["cache"], _OUTPUT)
        except (ValueError, OSError) as exc:
            case.report(("geometry", "cache"), str(exc).replace(str(_OUTPUT), "(-o)"))


def cache_dir(case, output_dir):
    """The mesh cache folder of ``[geometry] cache`` for a run writing to ``output_dir``
    (:func:`kinetics.geometry.safety.check_cache_dir`): None, the user cache folder, or a
    folder inside ``output_dir``.

    Raises
    ------
    kinetics.case_schema.CaseError
        For a folder outside ``output_dir``.
    """
    value = case.get("geometry", "cache", default=False)
    from kinetics.geometry.safety import check_cache_dir
    try:
        return check_cache_dir(value, output_dir)
    except ValueError as exc:
        raise case.error(("geometry", "cache"), str(exc)) from None


# ------------------------------------------------------------------------------- layout
def layout_of(case):
    """The names the geometry of ``case`` will have, without meshing.

    Returns
    -------
    A :class:`kinetics.geometry.Layout` (``.regions``, ``.boundaries``) from
    :func:`kinetics.geometry.describe` / :func:`kinetics.geometry.describe_file`, or None
    when they rejected the parameters (reported on ``[geometry]``) or the file path was
    refused.
    """
    from kinetics.geometry import describe, describe_file
    geo = dict(case.data["geometry"])
    try:
        if "file" in geo:
            if case.geometry_path is None:
                return None
            return describe_file(case.geometry_path, parameters=geo.get("parameters"),
                                 axes=geo.get("axes"), trusted=False,
                                 roots=geometry_roots(case))
        return describe(geo.pop("builder"), geo)
    except (ValueError, TypeError, KeyError, OSError) as exc:
        _report_geometry(case, exc)
        return None


def _names_of(spec, value) -> list[str]:
    if isinstance(spec, Array) and isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return [value] if isinstance(spec, String) and isinstance(value, str) else []


def _ref(spec) -> tuple[str | None, tuple]:
    inner = spec.item if isinstance(spec, Array) else spec
    return (inner.ref, inner.ref_types) if isinstance(inner, Spec) else (None, ())


def _referencing(case):
    """(key path, spec, value) of every reference in the model section and the measures."""
    from kinetics.case_checks import MEASURES
    model = case.model
    if model is not None and model.section and isinstance(case.data.get(model.section), dict):
        for key, value in case.data[model.section].items():
            spec = model.keys.get(key)
            if _ref(spec)[0]:
                yield (model.section, key), spec, value
    measure = case.data.get("measure")
    if isinstance(measure, dict):
        for kind, entries in measure.items():
            if kind in MEASURES and isinstance(entries, list):
                for i, entry in enumerate(entries):
                    if isinstance(entry, dict):
                        for key, value in entry.items():
                            spec = MEASURES[kind].get(key)
                            if _ref(spec)[0]:
                                yield ("measure", kind, i, key), spec, value


def check_boundary_refs(case, keypath: tuple, table: dict, schema) -> None:
    """Keys of ``table`` whose spec has ``ref="boundary"``: each name must be a
    ``[boundaries]`` table of one of the spec's ``ref_types``."""
    for key, value in table.items():
        spec = schema.get(key)
        ref, types = _ref(spec)
        if ref == "boundary":
            _check_boundary_names(case, keypath + (key,), _names_of(spec, value), types)


def _check_boundary_names(case, keypath: tuple, names: list, types: tuple) -> None:
    table = case.data.get("boundaries")
    table = table if isinstance(table, dict) else {}
    fitting = [n for n, s in table.items() if isinstance(s, dict) and s.get("type") in types]
    words = " or ".join(f"'{t}'" for t in types)
    for name in names:
        if case.boundary_type(name) not in types:
            what = (f"boundaries of type {words}: {', '.join(fitting)}" if fitting else
                    f"the case has no boundary of type {words}")
            case.report(keypath, f"'{name}' must be a boundary of type {words}; {what}"
                                 f"{hint_after(name, fitting)}")


def check_names(case, regions, boundaries) -> None:
    """Check every region and facet name the case uses against ``regions`` and
    ``boundaries`` (the geometry's names): ``[materials]`` and ``[boundaries]`` keys, every
    spec with ``ref="region"``/``"facet"`` in the model section and ``[[measure.*]]``; and
    that every region has a material (for models that need ``[materials]``)."""
    regions, boundaries = sorted(regions), sorted(boundaries)
    region_list, facet_list = ", ".join(regions), ", ".join(boundaries)
    materials = case.data.get("materials")
    if isinstance(materials, dict):
        for region in materials:
            if region not in regions:
                case.report(("materials", region), f"unknown region '{region}'; regions of "
                                                   f"the device: {region_list}"
                                                   f"{hint_after(region, regions)}")
        missing = [r for r in regions if r not in materials]
        if missing and case.model is not None and "materials" in case.model.needs:
            case.report(("materials",), f"region(s) {', '.join(missing)} have no material; "
                                        f"every region needs one (regions: {region_list})")
    table = case.data.get("boundaries")
    if isinstance(table, dict):
        for name in table:
            if name not in boundaries:
                case.report(("boundaries", name), f"unknown facet name '{name}'"
                                                  f"{did_you_mean(name, boundaries, False)}; "
                                                  f"facets of the device: {facet_list}")
    for keypath, spec, value in _referencing(case):
        ref, _ = _ref(spec)
        valid = {"facet": boundaries, "region": regions}.get(ref)
        if valid is None:
            continue
        for name in _names_of(spec, value):
            if name not in valid:
                case.report(keypath, f"unknown {ref} name '{name}'; {ref}s of the device: "
                                     f"{', '.join(valid)}{hint_after(name, valid)}")


def check_measure_boundaries(case) -> None:
    """``[[measure.*]]`` keys with ``ref="boundary"`` (resistance current contacts, torque
    interfaces)."""
    for keypath, spec, value in _referencing(case):
        if keypath[0] == "measure":
            ref, types = _ref(spec)
            if ref == "boundary":
                _check_boundary_names(case, keypath, _names_of(spec, value), types)


# ------------------------------------------------------------------------------- PETSc
def check_petsc_options(case) -> None:
    """``[solver] petsc_options``: values are strings, finite numbers or booleans; each
    option passes :func:`kinetics.solvers.options.check_case_options` (the allow-list),
    reported on ``[solver.petsc_options.KEY]``."""
    solver = case.data.get("solver")
    options = solver.get("petsc_options") if isinstance(solver, dict) else None
    if not isinstance(options, dict):
        return
    valid = {}
    for key, value in options.items():
        keypath = ("solver", "petsc_options", key)
        if not key.strip():
            case.report(keypath, "option names must be non-empty")
        elif isinstance(value, (dict, list)):
            case.report(keypath, f"must be a string, number or boolean, got {toml_repr(value)}")
        elif isinstance(value, float) and not math.isfinite(value):
            case.report(keypath, f"must be finite, got {toml_repr(value)}")
        else:
            valid[key] = value
    from kinetics.solvers.options import check_case_options
    for key, value in valid.items():
        for message in check_case_options({key: value}):
            case.report(("solver", "petsc_options", key), message)


# ------------------------------------------------------------------------------- all
def check_layout(case) -> None:
    """Paths, then (when ``[geometry]`` passed its checks) the layout and every name;
    sets ``case.layout``."""
    check_measure_boundaries(case)
    if not isinstance(case.data.get("geometry"), dict) or case.has_errors("geometry"):
        return
    check_geometry_paths(case)
    if case.has_errors("geometry"):
        return
    case.layout = layout_of(case)
    if case.layout is not None:
        check_names(case, case.layout.regions, case.layout.boundaries)
        check_memory(case, case.layout)
        check_layer_torque_area(case, case.layout.dim)
        output = case.data.get("output")
        if case.layout.dim == 1 and isinstance(output, dict) and output.get("pictures"):
            case.report(("output", "pictures"), "pictures need a 2D or 3D device; a 1D stack "
                                                "writes fields.bp and results.json (plot a "
                                                "[[measure.profile]] instead)")


def check_layer_torque_area(case, dim: int) -> None:
    """``[[measure.layer_torque]]`` on a 2D or 3D mesh needs the layer's ``area`` or
    ``area_facet`` (a 1D stack is per unit area)."""
    measure = case.data.get("measure")
    entries = measure.get("layer_torque") if isinstance(measure, dict) else None
    if dim == 1 or not isinstance(entries, list):
        return
    for i, entry in enumerate(entries):
        if isinstance(entry, dict) and "area" not in entry and "area_facet" not in entry:
            case.report(("measure", "layer_torque", i),
                        f"a {dim}D mesh needs the layer's area (area in m^2, m in 2D, or "
                        f"area_facet: a facet whose area it is)")


def physical_memory() -> float:
    """Bytes of memory available to a run: ``$KINETICS_MEMORY_GB`` (for ranks on several
    machines: their total) or this machine's physical memory."""
    value = os.environ.get("KINETICS_MEMORY_GB")
    if value:
        try:
            return float(value) * 1e9
        except ValueError:
            pass
    return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))


def check_memory(case, layout) -> None:
    """Refuse a mesh whose estimated memory (``layout.cells`` times the model's measured
    ``bytes_per_cell``) exceeds 80 % of :func:`physical_memory`: a run that the kernel
    would kill after minutes is an error before meshing."""
    model = case.model
    per_cell = getattr(model, "bytes_per_cell", 0.0) if model is not None else 0.0
    if not per_cell or not layout.cells:
        return
    need, have = layout.cells * per_cell, physical_memory()
    if need > 0.8 * have:
        case.report(("geometry",), f"the mesh would have about {layout.cells:.3g} cells, and "
                    f"the {model.name} model needs about {per_cell / 1e3:.0f} kB per cell "
                    f"({need / 1e9:.0f} GB) but this machine has {have / 1e9:.0f} GB: use "
                    f"fewer cells (a larger h, fewer cells/cells_across); for ranks on "
                    f"several machines set KINETICS_MEMORY_GB to their total")
