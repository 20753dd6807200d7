"""Load a user's gmsh geometry (.geo) or mesh (.msh) with physical names as a Device, or
name its regions and facets without meshing (:func:`describe_file`)."""

from __future__ import annotations

import contextlib
import math
import os
import re
from collections.abc import Mapping
from pathlib import Path

from kinetics.geometry import _gmsh, names

__all__ = ["load", "describe_file"]

_MESH_SUFFIXES = {".msh"}
_CAD_SUFFIXES = {".brep", ".step", ".stp", ".iges", ".igs"}
_GEO_SUFFIXES = {".geo", ".geo_unrolled"} | _CAD_SUFFIXES
_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*\Z")


def _check_inputs(path, length_unit, parameters, h, axes):
    """Checked (path, suffix, parameters, length_unit, h); ValueError naming the input."""
    from kinetics.geometry.checks import _real
    if not isinstance(path, (str, os.PathLike)) or not str(path):
        raise ValueError(f"path must be a file name, got {path!r}")
    path = Path(path).expanduser()
    unit = _real("length_unit", length_unit, "a number (metres per model unit)")
    if not (math.isfinite(unit) and 1e-15 <= unit <= 1e3):
        raise ValueError(f"length_unit must be in [1e-15, 1e3] metres per model unit, got "
                         f"{length_unit!r}")
    if h is not None:
        h = _real("h", h, "a positive element size (model units)")
        if not (math.isfinite(h) and h > 0):
            raise ValueError(f"h must be a positive element size in model units, got {h!r}")
    if axes is not None and not (isinstance(axes, str) and 1 <= len(axes) <= 3 and
                                 set(axes) <= set("xyz") and len(set(axes)) == len(axes)):
        raise ValueError(f"axes must be distinct letters of 'xyz', got {axes!r}")
    if parameters is not None and not isinstance(parameters, Mapping):
        raise ValueError(f"parameters must be a dict {{name: number or string}}, got {parameters!r}")
    params = {}
    for k, v in (parameters or {}).items():
        if not isinstance(k, str) or not _NAME.match(k):
            raise ValueError(f"parameters: {k!r} is not a .geo variable name")
        if isinstance(v, str):
            params[k] = v
        else:
            num = _real(f"parameters['{k}']", v, "a number or a string")
            if not math.isfinite(num):
                raise ValueError(f"parameters['{k}'] must be finite, got {v!r}")
            params[k] = num
    suffix = path.suffix.lower()
    if params and suffix in _MESH_SUFFIXES:
        raise ValueError(f"parameters={parameters!r} only apply to .geo scripts, not {path.name}")
    return path, suffix, params, unit, h


def _open(session, path: Path, suffix: str, params: dict, h, verbose: bool,
          trusted: bool, roots) -> None:
    """Check (untrusted: the .geo rules of :mod:`kinetics.geometry.safety`) and merge."""
    from kinetics.geometry.safety import check_geo_script, check_msh_header
    if not trusted:
        check_geo_script(path, tuple(roots) if roots is not None else (path.parent,))
    elif suffix in _MESH_SUFFIXES:
        check_msh_header(path)
    gmsh = session.gmsh
    if h is not None:
        session.option("Mesh.MeshSizeMax", h)
    for k, v in params.items():
        if isinstance(v, str):
            gmsh.parser.setString(k, [v])
        else:
            gmsh.parser.setNumber(k, [v])
    try:
        with _gmsh.quiet_fds(not verbose and suffix in _CAD_SUFFIXES):
            gmsh.merge(str(path))
    except Exception as exc:  # noqa: BLE001 - gmsh raises plain Exceptions
        first = (str(exc).strip().splitlines() or ["(no message)"])[0]
        if suffix not in _MESH_SUFFIXES:
            _gmsh.drain_parser(gmsh)
        raise ValueError(f"{path.name}: gmsh cannot read it: {first}") from None
    finally:
        for k in params:
            gmsh.parser.clear(k)


def _groups(gmsh, name: str):
    """(regions, boundaries, tdim) of the merged model; ValueError without groups."""
    groups = gmsh.model.getPhysicalGroups()
    if not groups:
        raise ValueError(f"{name} has no physical groups: name the regions and "
                         f"boundaries with Physical Volume/Surface(\"name\") = {{...}};")
    tdim = max(d for d, _ in groups)
    regs, bnds = _gmsh.physical_names(gmsh, tdim)
    if not regs:
        raise ValueError(f"{name}: no physical groups of dimension {tdim}")
    return regs, bnds, tdim


def _gdim(gmsh, tdim: int) -> int:
    """Geometric dimension: 2 (1) for a mesh or geometry in the plane z = 0 (on the x axis)."""
    xyz = gmsh.model.mesh.getNodes()[1].reshape(-1, 3)
    if len(xyz):
        flat = [not abs(xyz[:, k]).any() for k in range(3)]
    else:
        box = gmsh.model.getBoundingBox(-1, -1)
        scale = max(box[3] - box[0], box[4] - box[1], box[5] - box[2], 0.0)
        tol = max(1e-6 * scale, 2e-7)  # OCC pads bounding boxes by ~1e-7 model units
        flat = [max(abs(box[k]), abs(box[k + 3])) <= tol for k in range(3)]
    if tdim == 1 and flat[1] and flat[2]:
        return 1
    return 2 if tdim <= 2 and flat[2] else 3


def describe_file(path, *, parameters: dict | None = None, axes: str | None = None,
                  trusted: bool = True, roots=None, verbose: bool = False):
    """The region and facet names of a .geo/.msh file, read without meshing.

    A ``.msh`` is read (its physical groups); a ``.geo`` script is run by gmsh up to its
    physical groups (gmsh only meshes if the script itself says ``Mesh N;``).  gmsh runs
    on the calling process only: no MPI collectives.

    Parameters
    ----------
    path:
        A ``.geo`` (or CAD) or ``.msh`` file.
    parameters:
        ``{name: number or string}`` overriding ``DefineConstant`` values of a .geo script.
    axes:
        Physical axes; default ``"xyz"`` in 3D, ``"xz"`` for a planar file, ``"x"`` in 1D.
    trusted:
        False for files named by untrusted input (case files): the file must pass
        :func:`kinetics.geometry.safety.check_geo_script` with ``roots`` first.
    roots:
        Folders that files included by an untrusted script must lie in (default: the
        file's folder).
    verbose:
        Let gmsh print to the terminal.

    Returns
    -------
    Layout
        ``regions`` and ``boundaries`` in the order :func:`load` gives them, ``dim``,
        ``axes``; ``cells`` is None.

    Raises
    ------
    ValueError
        A missing file; a .msh that does not start with ``$MeshFormat``; a file gmsh cannot
        read (garbage, empty, a syntax error: the message carries gmsh's first line, and
        gmsh prints nothing); no physical groups; repeated names or overlapping facet
        groups; an untrusted script refused by the safety rules; bad ``parameters`` or
        ``axes``.
    """
    from kinetics.geometry.layout import Layout
    path, suffix, params, _, _ = _check_inputs(path, 1e-9, parameters, None, axes)
    if not path.is_file():
        raise ValueError(f"no such mesh or geometry file: {path}")
    with _gmsh.gmsh_model(verbose) as session:
        _open(session, path, suffix, params, None, verbose, trusted, roots)
        regs, bnds, tdim = _groups(session.gmsh, path.name)
        gdim = _gdim(session.gmsh, tdim)
    if axes is None:
        axes = {3: "xyz", 2: "xz", 1: "x"}[gdim]
    return Layout(str(path), tdim, axes, tuple(regs), tuple(bnds), None)


@names.checked_keywords
def load(path, length_unit: float = 1e-9, *, regions=None, boundaries=None,
         parameters: dict | None = None, axes: str | None = None, h: float | None = None,
         comm=None, verbose: bool = False, trusted: bool = True, roots=None):
    """Read a .geo script or a .msh mesh with physical groups and return a Device.

    All physical groups of the top dimension become regions and all of dimension top-1
    become boundaries (facets, exterior or interior), named by their physical names
    (unnamed groups by their tag, e.g. ``"3"``).  Only elements in physical groups are kept
    (as gmsh's own .msh export does by default).  A .geo file is meshed (dimension =
    the highest physical group's) unless it already contains a mesh.  gmsh runs on rank 0.

    Parameters
    ----------
    path:
        A ``.geo`` (or CAD: ``.brep``, ``.step``, ``.iges``) or ``.msh`` file.
    length_unit:
        Metres per model unit of the file (default 1e-9: the file is in nanometres, as the
        files in ``meshes/`` are).
    regions, boundaries:
        Names that must exist in the file (e.g. ``["pt"]``, ``["pt|yig"]``); a missing one
        raises KeyError before the mesh is distributed.
    parameters:
        ``{name: value}`` overriding the ``DefineConstant[name = ...]`` parameters of a .geo
        script (numbers in the script's units, or strings).
    axes:
        Physical axes of the mesh coordinates; default ``"xyz"`` for 3D and ``"xz"`` for a
        planar 2D mesh (a cross-section, the kinetics convention).
    h:
        Maximum element size in model units for meshing a .geo (sets ``Mesh.MeshSizeMax``
        before the script runs, so the script can still override it).
    comm:
        MPI communicator (default ``MPI.COMM_WORLD``).
    verbose:
        Let gmsh print to the terminal.
    trusted:
        True (default, the Python API: the script may do anything gmsh allows).  False for a
        file named by untrusted input (a case file): the file must first pass
        :func:`kinetics.geometry.safety.check_geo_script` (no shell commands, no writing,
        no ``Exit``, includes only inside ``roots``).
    roots:
        With ``trusted=False``: folders that included files must lie in (default: the
        file's folder).

    Returns
    -------
    Device

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    ValueError
        The file has no physical groups, or two facet groups share facets (dolfinx keeps one
        tag per facet), or names repeat, or the groups mix element types (e.g. triangles and
        quadrilaterals), or ``parameters`` are given for a .msh file; gmsh cannot read the
        file (garbage, empty, syntax errors: gmsh's first message line); a .msh that does
        not start with ``$MeshFormat`` (gmsh would run it as a script); an untrusted file
        refused by the safety rules; bad ``length_unit``, ``h``, ``axes`` or
        ``parameters``.
    KeyError
        A name in ``regions``/``boundaries`` is not in the file; the message lists the
        file's names.
    """
    from dolfinx.io import gmshio
    from dolfinx.mesh import GhostMode, create_cell_partitioner
    from mpi4py import MPI

    from kinetics.device import Device
    from kinetics.geometry.checks import check_device

    comm = MPI.COMM_WORLD if comm is None else comm
    path, suffix, params, length_unit, h = _check_inputs(path, length_unit, parameters, h, axes)
    want_regions = [regions] if isinstance(regions, str) else list(regions or [])
    want_bounds = [boundaries] if isinstance(boundaries, str) else list(boundaries or [])
    root = comm.rank == 0

    with _gmsh.gmsh_model(verbose) if root else contextlib.nullcontext() as session:
        def work():
            gmsh = session.gmsh
            if not path.is_file():
                raise FileNotFoundError(f"no such mesh or geometry file: {path}")
            _open(session, path, suffix, params, h, verbose, trusted, roots)
            regs, bnds, tdim = _groups(gmsh, path.name)
            if len(gmsh.model.mesh.getNodes()[0]) == 0:
                gmsh.model.mesh.generate(tdim)
            _single_cell_type(gmsh, tdim, path.name)
            for kind, want, have in (("region", want_regions, regs),
                                     ("boundary", want_bounds, bnds)):
                missing = [n for n in want if n not in have]
                if missing:
                    raise KeyError(f"{path.name} has no {kind} named {', '.join(map(repr, missing))}; "
                                   f"its {kind} names: {', '.join(have) or '(none)'}")
            return regs, bnds, tdim, _gdim(gmsh, tdim)

        regs, bnds, tdim, gdim = _gmsh.run_on_root(comm, work)
        partitioner = create_cell_partitioner(GhostMode.shared_facet)
        mesh, ct, ft = gmshio.model_to_mesh(session.gmsh.model if root else None, comm, 0,
                                            gdim=gdim, partitioner=partitioner)
    if axes is None:
        axes = {3: "xyz", 2: "xz", 1: "x"}[gdim]
    device = Device(mesh, ct, ft, regs, bnds, length_unit=length_unit, axes=axes)
    check_device(device)
    return device


def _single_cell_type(gmsh, tdim: int, filename: str) -> None:
    """dolfinx meshes have one cell type (and one facet type): check before distributing."""
    for dim in (tdim, tdim - 1):
        types = set()
        for d, tag in gmsh.model.getPhysicalGroups(dim):
            for ent in gmsh.model.getEntitiesForPhysicalGroup(d, tag):
                types.update(int(t) for t in gmsh.model.mesh.getElementTypes(d, ent))
        if len(types) > 1:
            names = sorted(gmsh.model.mesh.getElementProperties(t)[0] for t in types)
            raise ValueError(f"{filename}: the physical groups of dimension {dim} mix element "
                             f"types ({', '.join(names)}); dolfinx needs a single cell type "
                             f"(mesh without Recombine, or split the file)")
