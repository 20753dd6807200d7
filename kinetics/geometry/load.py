"""Load a user's gmsh geometry (.geo) or mesh (.msh) with physical names as a Device."""

from __future__ import annotations

import contextlib
from pathlib import Path

from kinetics.geometry import _gmsh

__all__ = ["load"]

_MESH_SUFFIXES = {".msh"}
_GEO_SUFFIXES = {".geo", ".geo_unrolled", ".brep", ".step", ".stp", ".iges", ".igs"}


def load(path, length_unit: float = 1e-9, *, regions=None, boundaries=None,
         parameters: dict | None = None, axes: str | None = None, h: float | None = None,
         comm=None, verbose: bool = False):
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
        quadrilaterals), or ``parameters`` are given for a .msh file.
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
    path = Path(path).expanduser()
    suffix = path.suffix.lower()
    want_regions = [regions] if isinstance(regions, str) else list(regions or [])
    want_bounds = [boundaries] if isinstance(boundaries, str) else list(boundaries or [])
    root = comm.rank == 0

    with _gmsh.gmsh_model(verbose) if root else contextlib.nullcontext() as session:
        def work():
            gmsh = session.gmsh
            if not path.is_file():
                raise FileNotFoundError(f"no such mesh or geometry file: {path}")
            if parameters and suffix in _MESH_SUFFIXES:
                raise ValueError(f"parameters={parameters!r} only apply to .geo scripts, not {path.name}")
            if h is not None:
                session.option("Mesh.MeshSizeMax", float(h))
            for k, v in (parameters or {}).items():
                if isinstance(v, str):
                    gmsh.parser.setString(k, [v])
                else:
                    gmsh.parser.setNumber(k, [float(v)])
            try:
                gmsh.merge(str(path))
            finally:
                for k in parameters or {}:
                    gmsh.parser.clear(k)
            groups = gmsh.model.getPhysicalGroups()
            if not groups:
                raise ValueError(f"{path.name} has no physical groups: name the regions and "
                                 f"boundaries with Physical Volume/Surface(\"name\") = {{...}};")
            tdim = max(d for d, _ in groups)
            if len(gmsh.model.mesh.getNodes()[0]) == 0:
                gmsh.model.mesh.generate(tdim)
            regs, bnds = _gmsh.physical_names(gmsh, tdim)
            _single_cell_type(gmsh, tdim, path.name)
            if not regs:
                raise ValueError(f"{path.name}: no physical groups of dimension {tdim}")
            for kind, want, have in (("region", want_regions, regs),
                                     ("boundary", want_bounds, bnds)):
                missing = [n for n in want if n not in have]
                if missing:
                    raise KeyError(f"{path.name} has no {kind} named {', '.join(map(repr, missing))}; "
                                   f"its {kind} names: {', '.join(have) or '(none)'}")
            xyz = gmsh.model.mesh.getNodes()[1].reshape(-1, 3)
            gdim = 3
            if tdim <= 2 and not abs(xyz[:, 2]).any():
                gdim = 2  # a planar mesh
            if tdim == 1 and not abs(xyz[:, 1:]).any():
                gdim = 1
            return regs, bnds, tdim, gdim

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
