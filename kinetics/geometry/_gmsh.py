"""Shared gmsh -> dolfinx plumbing of the geometry builders (internal).

Everything gmsh does happens on rank 0 of the communicator: the builder's ``construct``
callback creates the geometry, the physical groups and the mesh there; the names of the
physical groups are broadcast; :func:`dolfinx.io.gmshio.model_to_mesh` distributes the mesh
(ghosting shared facets, so that interior-interface integrals are right in parallel).
An exception raised on rank 0 is re-raised on every rank, so that a bad input gives the
same error everywhere instead of a deadlock.

The gmsh model is built in nanometres (:data:`NM` metres per unit): gmsh's absolute
tolerances (1e-8 model units) are meaningless for metre-sized nanostructures.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import pickle
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

from kinetics.geometry.names import interface_name

#: metres per gmsh model unit used by every builder
NM = 1e-9
#: bump when the builders change the meshes they produce (invalidates cached .msh files)
CACHE_VERSION = 1
#: relative tolerance (of the model size) for "this face lies on that plane"
PLANE_TOL = 1e-7

_counter = itertools.count()


# ---------------------------------------------------------------------------------------
# gmsh session
# ---------------------------------------------------------------------------------------
class _Session:
    """A gmsh model on this rank; options set through :meth:`option` are restored."""

    def __init__(self, gmsh, name: str):
        self.gmsh = gmsh
        self.name = name
        self._saved: dict[str, float] = {}

    def option(self, key: str, value: float) -> None:
        if key not in self._saved:
            self._saved[key] = self.gmsh.option.getNumber(key)
        self.gmsh.option.setNumber(key, float(value))

    def restore(self) -> None:
        for key, value in self._saved.items():
            self.gmsh.option.setNumber(key, value)
        self._saved.clear()


@contextlib.contextmanager
def gmsh_model(verbose: bool = False):
    """Open a fresh gmsh model on this rank, and clean up whatever happens.

    gmsh is initialized only if it is not already (and then finalized again on exit);
    otherwise only the model added here is removed and the options changed through
    ``session.option`` are restored, so a caller's own gmsh state survives.
    """
    import gmsh
    own = not gmsh.isInitialized()
    if own:
        gmsh.initialize(argv=[], readConfigFiles=False, interruptible=False)
    name = f"kinetics-{os.getpid()}-{next(_counter)}"
    session = _Session(gmsh, name)
    previous = None if own else gmsh.model.getCurrent()
    try:
        session.option("General.Terminal", 1 if verbose else 0)
        gmsh.model.add(name)
        yield session
    finally:
        try:
            if name in gmsh.model.list():
                gmsh.model.setCurrent(name)
                gmsh.model.remove()
            session.restore()
            if previous is not None and previous in gmsh.model.list():
                gmsh.model.setCurrent(previous)
        finally:
            if own:
                gmsh.finalize()


def drain_parser(gmsh, attempts: int = 10000) -> None:
    """Empty the .geo parser after a syntax error.

    gmsh 4.13's lexer keeps the tokens it had read ahead of a syntax error, even across
    ``finalize``/``initialize``, and feeds them to the next script it parses, which then
    fails too (``line 0: syntax error ([)``).  Parsing a one-line valid script until it
    succeeds consumes them (a few attempts; each takes microseconds).

    Raises
    ------
    RuntimeError
        If the parser is still not clean after ``attempts`` tries.
    """
    with tempfile.TemporaryDirectory(prefix="kinetics-gmsh-") as tmp:
        script = Path(tmp) / "reset.geo"
        script.write_text("kinetics_parser_reset = 1;\n")
        for _ in range(attempts):
            try:
                gmsh.merge(str(script))
                gmsh.parser.clear("kinetics_parser_reset")
                return
            except Exception:  # noqa: BLE001 - gmsh raises plain Exceptions
                continue
    raise RuntimeError("gmsh's .geo parser stays broken after a syntax error; restart Python")


@contextlib.contextmanager
def quiet_fds(active: bool = True):
    """Send this process's stdout and stderr (file descriptors 1 and 2) to /dev/null.

    For OpenCASCADE's readers, which print parse errors straight to the terminal,
    bypassing ``General.Terminal``.
    """
    if not active:
        yield
        return
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, null):
            os.close(fd)


def _portable(exc: BaseException | None) -> BaseException | None:
    """An exception that survives pickling (for the broadcast to the other ranks)."""
    if exc is None:
        return None
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # pragma: no cover - unusual exception types
        return RuntimeError(f"{type(exc).__name__} on rank 0: {exc}")


def run_on_root(comm, fn):
    """Run ``fn()`` on rank 0 and broadcast its result; re-raise its exception on all ranks."""
    result = exc = None
    if comm.rank == 0:
        try:
            result = fn()
        except Exception as e:  # noqa: BLE001 - re-raised below on every rank
            exc = e
    payload = comm.bcast((result, _portable(exc)) if comm.rank == 0 else None, root=0)
    if exc is not None:
        raise exc
    if payload[1] is not None:
        raise payload[1]
    return payload[0]


# ---------------------------------------------------------------------------------------
# physical groups
# ---------------------------------------------------------------------------------------
def physical_names(gmsh, tdim: int) -> tuple[dict[str, int], dict[str, int]]:
    """(regions, boundaries): physical-group name -> tag for dims ``tdim`` and ``tdim - 1``.

    Unnamed groups are called by their tag number (``"7"``).

    Raises
    ------
    ValueError
        If two groups of the same dimension share a name, or a facet entity belongs to two
        facet groups (dolfinx stores one tag per facet).
    """
    regions, boundaries = {}, {}
    owner: dict[int, str] = {}
    for dim, tag in gmsh.model.getPhysicalGroups():
        if dim not in (tdim, tdim - 1):
            continue
        name = gmsh.model.getPhysicalName(dim, tag) or str(tag)
        target = regions if dim == tdim else boundaries
        if name in target:
            raise ValueError(f"two physical groups of dimension {dim} are named '{name}' "
                             f"(tags {target[name]} and {tag}); names must be unique")
        target[name] = int(tag)
        if dim == tdim - 1:
            for ent in gmsh.model.getEntitiesForPhysicalGroup(dim, tag):
                if int(ent) in owner:
                    raise ValueError(f"facet entity {ent} belongs to two facet groups, "
                                     f"'{owner[int(ent)]}' and '{name}'; dolfinx keeps one tag "
                                     f"per facet, so facet groups must not overlap")
                owner[int(ent)] = name
    return regions, boundaries


def add_groups(gmsh, tdim: int, regions: dict[str, list[int]], facets: dict[str, list[int]]):
    """Add physical groups (tags 1, 2, ... in the given order) with the user-facing names."""
    for i, (name, ents) in enumerate(regions.items(), start=1):
        gmsh.model.addPhysicalGroup(tdim, sorted(ents), i, name=name)
    for i, (name, ents) in enumerate(facets.items(), start=1):
        gmsh.model.addPhysicalGroup(tdim - 1, sorted(ents), i, name=name)


def classify_facets(gmsh, tdim: int, region_of: dict[int, str], order: list[str], namer):
    """Name every facet entity of the model from its neighbourhood.

    Parameters
    ----------
    region_of:
        Entity tag of dimension ``tdim`` -> region name.
    order:
        Region names, lowest first: an interface between regions a and b is ``"a|b"`` with
        ``a`` first in ``order``.
    namer:
        ``namer(info) -> str | None`` for exterior facets; ``info`` is a dict with
        ``region`` (the adjacent region), ``side`` (``"xmin"``, ``"xmax"``, ``"ymin"``,
        ``"ymax"``, ``"bottom"``, ``"top"`` for a plane facet at the extreme of its volume
        along its normal, ``"inner"`` for another plane facet, ``"curved"``), ``center``
        (centre of mass, model units) and ``bbox``.  ``None`` leaves the facet untagged.

    Returns
    -------
    dict name -> list of facet entity tags, sorted by name.
    """
    axes_names = (("xmin", "xmax"), ("bottom", "top")) if tdim == 2 else \
        (("xmin", "xmax"), ("ymin", "ymax"), ("bottom", "top"))
    box_all = gmsh.model.getBoundingBox(-1, -1)
    scale = max(box_all[3] - box_all[0], box_all[4] - box_all[1], box_all[5] - box_all[2])
    tol = max(PLANE_TOL * scale, 1e-5)  # gmsh pads OCC bounding boxes by ~1e-7 units
    vol_box = {v: gmsh.model.getBoundingBox(tdim, v) for v in region_of}
    out: dict[str, list[int]] = {}
    for _, f in gmsh.model.getEntities(tdim - 1):
        up, _ = gmsh.model.getAdjacencies(tdim - 1, f)
        neigh = [int(v) for v in up if int(v) in region_of]
        names = sorted({region_of[v] for v in neigh}, key=order.index)
        if len(names) == 2:
            name = interface_name(names[0], names[1])
        elif len(names) == 1 and len(neigh) == 1:
            bbox = gmsh.model.getBoundingBox(tdim - 1, f)
            vb = vol_box[neigh[0]]
            side = "curved"
            for k in range(tdim):
                if bbox[3 + k] - bbox[k] <= tol:
                    c = 0.5 * (bbox[k] + bbox[3 + k])
                    side = (axes_names[k][0] if abs(c - vb[k]) <= tol else
                            axes_names[k][1] if abs(c - vb[3 + k]) <= tol else "inner")
                    break
            center = gmsh.model.occ.getCenterOfMass(tdim - 1, f)
            name = namer({"region": names[0], "side": side, "center": center, "bbox": bbox})
        else:
            name = None  # between two entities of one region, or not next to any region
        if name is not None:
            out.setdefault(name, []).append(int(f))
    return dict(sorted(out.items()))


# ---------------------------------------------------------------------------------------
# element sizes
# ---------------------------------------------------------------------------------------
def apply_sizes(session, tdim: int, h_nm: float, refine_nm: dict, facets: dict[str, list[int]],
                horizontal_ok: bool = True):
    """Global maximum size ``h_nm`` plus graded refinement toward named facet groups.

    Also selects gmsh's HXT 3D algorithm (far fewer slivers than the default Delaunay).

    ``refine_nm``: name -> (h_min, distance) in nm.  For each name: a gmsh Distance field to
    the facets of that name and a Threshold field with size ``h_min`` up to ``distance``
    from them, growing linearly (slope 1/2) to ``h_nm``; the Min of all is the background
    size field.  With ``horizontal_ok=False`` (extruded, structured layers) refining toward
    a facet perpendicular to the stacking axis raises ValueError.
    """
    gmsh = session.gmsh
    session.option("Mesh.MeshSizeMax", h_nm)
    session.option("Mesh.MeshSizeMin", 0.0)
    session.option("Mesh.ElementOrder", 1)
    # HXT: far fewer slivers than the default Delaunay (worst radius ratio ~0.3, not ~0.002)
    session.option("Mesh.Algorithm3D", 10)
    if not refine_nm:
        return
    fields = []
    for name, (h_min, dist) in refine_nm.items():
        if name not in facets:
            raise KeyError(f"refine: unknown facet name '{name}'; facets of this device: "
                           f"{', '.join(sorted(facets))}")
        ents = facets[name]
        boxes = np.array([gmsh.model.getBoundingBox(tdim - 1, e) for e in ents])
        extent = float(np.max(boxes[:, 3:] - boxes[:, :3]))
        if not horizontal_ok and np.all(boxes[:, 3 + tdim - 1] - boxes[:, tdim - 1] <= 1e-6 * extent):
            raise ValueError(f"refine: '{name}' is perpendicular to the stacking axis; with "
                             f"structured layers (cells_across) the spacing through the "
                             f"thickness is set by cells_across, so refine only toward side "
                             f"faces (or drop cells_across to grade an unstructured mesh)")
        fd = gmsh.model.mesh.field.add("Distance")
        gmsh.model.mesh.field.setNumbers(fd, "SurfacesList" if tdim == 3 else "CurvesList", ents)
        # the distance is computed from points sampled on the facets: sample finer than dist
        sampling = int(min(max(20, np.ceil(2.0 * extent / min(dist, h_min))), 400 if tdim == 3 else 4000))
        gmsh.model.mesh.field.setNumber(fd, "Sampling", sampling)
        ft = gmsh.model.mesh.field.add("Threshold")
        gmsh.model.mesh.field.setNumber(ft, "InField", fd)
        gmsh.model.mesh.field.setNumber(ft, "SizeMin", h_min)
        gmsh.model.mesh.field.setNumber(ft, "SizeMax", max(h_nm, h_min))
        gmsh.model.mesh.field.setNumber(ft, "DistMin", dist)
        gmsh.model.mesh.field.setNumber(ft, "DistMax", dist + 2.0 * max(h_nm - h_min, 0.0))
        fields.append(ft)
    fmin = gmsh.model.mesh.field.add("Min")
    gmsh.model.mesh.field.setNumbers(fmin, "FieldsList", fields)
    gmsh.model.mesh.field.setAsBackgroundMesh(fmin)
    session.option("Mesh.MeshSizeFromPoints", 0)
    session.option("Mesh.MeshSizeFromCurvature", 0)
    session.option("Mesh.MeshSizeExtendFromBoundary", 0)


# ---------------------------------------------------------------------------------------
# cache
# ---------------------------------------------------------------------------------------
def default_cache_dir() -> Path:
    """``$KINETICS_MESH_CACHE`` or ``$XDG_CACHE_HOME/kinetics/meshes`` (~/.cache/kinetics/meshes)."""
    env = os.environ.get("KINETICS_MESH_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kinetics" / "meshes"


def cache_path(cache, builder: str, params: dict) -> Path | None:
    """The .msh file caching ``builder(**params)``, or None when caching is off.

    ``cache``: False/None (off), True (the default directory) or a directory path.
    """
    if cache is None or cache is False:
        return None
    directory = default_cache_dir() if cache is True else Path(cache).expanduser()
    import gmsh
    blob = json.dumps({"builder": builder, "params": params, "version": CACHE_VERSION,
                       "gmsh": gmsh.__version__}, sort_keys=True, default=repr)
    key = hashlib.sha256(blob.encode()).hexdigest()[:24]
    return directory / f"{builder}-{key}.msh"


def _write_atomic(gmsh, path: Path) -> None:
    """Write the model's mesh to ``path`` through a unique temporary file and ``os.replace``,
    so that a concurrent reader sees the old file or the complete new one, never a part.
    A cache that cannot be written only warns: the mesh was built."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp.msh", dir=path.parent)
        os.close(fd)
        tmp = Path(name)
        gmsh.write(str(tmp))
        os.replace(tmp, path)
        tmp = None
    except Exception as exc:  # noqa: BLE001 - a cache failure must not fail the build
        warnings.warn(f"mesh cache {path} not written: {exc}", RuntimeWarning, stacklevel=3)
    finally:
        if tmp is not None and tmp.exists():
            tmp.unlink()


def _complete_msh(path: Path) -> bool:
    """A .msh written by gmsh starts with ``$MeshFormat`` and ends with a ``$End...`` line."""
    try:
        with open(path, "rb") as f:
            head = f.read(64).lstrip()
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 256))
            tail = f.read().rstrip().splitlines()
    except OSError:
        return False
    return head.startswith(b"$MeshFormat") and bool(tail) and tail[-1].startswith(b"$End")


def read_cache(session, path: Path, tdim: int, expected=None):
    """(regions, boundaries) of a cached mesh merged into the session's model, or None.

    None (and an empty model again) when the file is incomplete, unreadable, lacks
    elements in a physical group, or its names differ from ``expected`` = (regions,
    boundaries): the caller then rebuilds the mesh and overwrites the file.
    """
    gmsh = session.gmsh
    if not _complete_msh(path):
        return None
    try:
        gmsh.merge(str(path))
        names = physical_names(gmsh, tdim)
        if expected is not None and (sorted(names[0]) != sorted(expected[0]) or
                                     sorted(names[1]) != sorted(expected[1])):
            raise ValueError("names differ")
        for dim, tag in gmsh.model.getPhysicalGroups():
            if len(gmsh.model.mesh.getNodesForPhysicalGroup(dim, tag)[0]) == 0:
                raise ValueError("empty group")
        return names
    except Exception:  # noqa: BLE001 - a damaged cache file: rebuild it
        gmsh.model.remove()
        gmsh.model.add(session.name)
        return None


# ---------------------------------------------------------------------------------------
# gmsh model -> Device
# ---------------------------------------------------------------------------------------
def build_device(builder: str, params: dict, construct, *, tdim: int, axes: str, comm=None,
                 cache=False, verbose: bool = False, length_unit: float = NM, expected=None):
    """Run ``construct(session)`` on rank 0 (geometry, physical groups, mesh) -> Device.

    With a cache directory, a mesh cached for the same ``builder`` and ``params`` is read
    instead of built (if it is complete and has the ``expected`` = (regions, boundaries)
    names; else it is rebuilt), and a new one is written there (rank 0, atomically).
    """
    from dolfinx.io import gmshio
    from dolfinx.mesh import GhostMode, create_cell_partitioner
    from mpi4py import MPI

    from kinetics.device import Device
    from kinetics.geometry.checks import check_device

    comm = MPI.COMM_WORLD if comm is None else comm
    path = cache_path(cache, builder, params) if comm.rank == 0 else None
    root = comm.rank == 0
    with gmsh_model(verbose) if root else contextlib.nullcontext() as session:
        def work():
            gmsh = session.gmsh
            if path is not None and path.is_file():
                names = read_cache(session, path, tdim, expected)
                if names is not None:
                    return names
            construct(session)
            names = physical_names(gmsh, tdim)
            if path is not None:
                _write_atomic(gmsh, path)
            return names

        regions, boundaries = run_on_root(comm, work)
        partitioner = create_cell_partitioner(GhostMode.shared_facet)
        mesh, ct, ft = gmshio.model_to_mesh(session.gmsh.model if root else None, comm, 0,
                                            gdim=tdim, partitioner=partitioner)
    device = Device(mesh, ct, ft, regions, boundaries, length_unit=length_unit, axes=axes)
    check_device(device)
    return device
