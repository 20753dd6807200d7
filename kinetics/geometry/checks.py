"""Input checks of the geometry builders, device checks and mesh statistics.

:func:`statistics` measures a :class:`~kinetics.device.Device` (MPI-reduced);
:func:`format_statistics` turns the result into a table to print.  Element size ``h`` is
the cell diameter (its longest edge); quality is the normalized radius ratio of simplices,
``d * r_in / R_circ`` (1 for the equilateral triangle / regular tetrahedron, 0 for a
degenerate cell), or the shortest/longest edge ratio for quadrilaterals and hexahedra.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["check_device", "statistics", "format_statistics"]


# ---------------------------------------------------------------------------------------
# input checks (pure Python: run identically on every rank, before any gmsh work)
# ---------------------------------------------------------------------------------------
#: accepted lengths in metres (with the gmsh builders' nm model units: 1e-3 to 1e9 units)
LENGTH_MIN, LENGTH_MAX = 1e-12, 1.0
#: most structured layers through one film
MAX_CELLS_ACROSS = 10000
#: most layers, boxes or arm pairs of one device (naming blocks is polynomial in the count)
MAX_ITEMS = 100


def check_count(what: str, items) -> None:
    """At most :data:`MAX_ITEMS` entries in ``items`` (ValueError naming ``what``)."""
    if len(items) > MAX_ITEMS:
        raise ValueError(f"{what} has {len(items)} entries, more than the limit of {MAX_ITEMS}")


def _real(what: str, value, kind: str) -> float:
    """``float(value)`` for a Python/numpy real number; ValueError for bools, strings, None."""
    if isinstance(value, (bool, np.bool_, str, bytes)) or value is None or \
            isinstance(value, (complex, np.complexfloating)) or \
            (isinstance(value, np.ndarray) and value.ndim > 0):
        raise ValueError(f"{what} must be {kind}, got {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be {kind}, got {value!r}") from None


def positive(what: str, value, lo: float = LENGTH_MIN, hi: float = LENGTH_MAX,
             unit: str = "m") -> float:
    """A length: ``float(value)`` if it is a real number in [``lo``, ``hi``] (metres).

    Raises
    ------
    ValueError
        Naming ``what``: for bools (``h = true`` is not 1 m), strings and other non-numbers,
        NaN, ±inf, values <= 0, values above ``hi`` (1 m: "lengths are in metres") and
        below ``lo`` (1e-12 m).
    """
    v = _real(what, value, "a positive length in metres")
    if not (math.isfinite(v) and v > 0):
        raise ValueError(f"{what} must be a positive length in metres, got {value!r}")
    if v > hi:
        raise ValueError(f"{what} = {v:g} {unit} is larger than {hi:g} {unit}: lengths are in "
                         f"metres (write 5e-9 for 5 nm)")
    if v < lo:
        raise ValueError(f"{what} = {v:g} {unit} is smaller than {lo:g} {unit} (lengths are in "
                         f"metres: write 5e-9 for 5 nm)")
    return v


def coordinate(what: str, value, limit: float = LENGTH_MAX) -> float:
    """A finite coordinate (m) with ``|value| <= limit``; ValueError naming ``what`` else."""
    v = _real(what, value, "a coordinate in metres (a number)")
    if not math.isfinite(v) or abs(v) > limit:
        raise ValueError(f"{what} must be a finite coordinate in metres with |value| <= "
                         f"{limit:g}, got {value!r}")
    return v


def integer(what: str, value, lo: int | None = None, hi: int | None = None) -> int:
    """An integer (not a bool, not 2.0) in [lo, hi]; ValueError naming ``what`` else."""
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    if not ok or (lo is not None and value < lo) or (hi is not None and value > hi):
        rng = (f" >= {lo}" if lo is not None else "") + \
            (" and" if lo is not None and hi is not None else "") + \
            (f" <= {hi}" if hi is not None else "")
        raise ValueError(f"{what} must be an integer{rng}, got {value!r}")
    return int(value)


def check_dim(dim) -> int:
    """``dim`` 2 or 3 (an integer)."""
    if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)) or dim not in (2, 3):
        raise ValueError(f"dim must be 2 or 3, got {dim!r}")
    return int(dim)


def check_h(h: float, extent: float) -> float:
    """The element size must not exceed the device's largest extent (both in metres)."""
    if h > extent * (1 + 1e-9):
        raise ValueError(f"h = {h:g} m is larger than the device (its largest extent is "
                         f"{extent:g} m): give an element size smaller than the device")
    return h


#: cells per h^d of an unstructured simplex mesh with maximum size h (a rough count)
_CELLS_PER_H = {1: 1.0, 2: 2.5, 3: 6.0}


def estimate_cells(volume: float, h: float, dim: int, refine=None, area: float = 0.0) -> float:
    """Rough cell count of an unstructured simplex mesh (for the cell budget).

    ``volume`` (m^dim), ``h`` (m); ``refine`` ``{name: (h_min, distance)}`` adds the cells
    of a layer of ``area`` (m^(dim-1), the device's largest face) and thickness
    ``distance + h_min`` at size ``h_min`` (at most the whole volume at that size).
    """
    k = _CELLS_PER_H[dim]
    cells = k * volume / h ** dim
    for h_min, dist in (refine or {}).values():
        cells += k * min(volume, area * (dist + h_min)) / h_min ** dim
    return cells


def check_name(what: str, name) -> str:
    """A user-facing region/facet name: a non-empty string without '|'."""
    if not isinstance(name, str) or not name or "|" in name or name != name.strip():
        raise ValueError(f"{what} must be a non-empty string without '|' or surrounding "
                         f"spaces, got {name!r} ('a|b' is reserved for interfaces)")
    return name


def check_layers(layers) -> list[tuple[str, float]]:
    """Validate ``[(name, thickness_m), ...]`` (at least one, distinct names, thickness > 0)."""
    try:
        out = [(n, t) for n, t in layers]
    except (TypeError, ValueError):
        raise ValueError(f"layers must be a list of (name, thickness_m) pairs, got {layers!r}") from None
    if not out:
        raise ValueError("layers is empty: give at least one (name, thickness_m) pair")
    check_count("layers", out)
    names = [check_name("layer name", n) for n, _ in out]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ValueError(f"layer names must be distinct; repeated: {', '.join(dup)}")
    return [(n, positive(f"thickness of layer '{n}'", t)) for n, t in out]


def check_refine(refine) -> dict[str, tuple[float, float]]:
    """Validate ``{facet_name: (h_min_m, distance_m)}``."""
    if refine is None:
        return {}
    if not isinstance(refine, dict):
        raise ValueError(f"refine must be a dict {{facet_name: (h_min_m, distance_m)}}, got {refine!r}")
    out = {}
    for name, spec in refine.items():
        try:
            h_min, dist = spec
        except (TypeError, ValueError):
            raise ValueError(f"refine['{name}'] must be a pair (h_min_m, distance_m), got {spec!r}") from None
        out[str(name)] = (positive(f"refine['{name}'] h_min", h_min),
                          positive(f"refine['{name}'] distance", dist))
    return out


def check_cells_across(cells_across, names: Sequence[str]) -> dict[str, int] | None:
    """``None`` (unstructured), an int for every layer, or ``{layer: int}`` covering all layers.

    Counts are integers in [1, 10000] (ValueError); a dict missing a layer or naming an
    unknown one raises KeyError.
    """
    if cells_across is None:
        return None
    if isinstance(cells_across, dict):
        missing = [n for n in names if n not in cells_across]
        extra = [n for n in cells_across if n not in names]
        if missing or extra:
            raise KeyError(f"cells_across must give a count for every layer: "
                           f"missing {missing}, unknown {extra}; layers: {', '.join(names)}")
        counts = {n: cells_across[n] for n in names}
    else:
        counts = {n: cells_across for n in names}
    return {n: integer(f"cells_across for layer '{n}'", c, 1, MAX_CELLS_ACROSS)
            for n, c in counts.items()}


def check_grading(grading, cells) -> float:
    """``grading`` in [0, 1); non-zero only together with structured layers (``cells_across``)."""
    g = _real("grading", grading, "a number in [0, 1)")
    if not 0.0 <= g < 1.0:
        raise ValueError(f"grading must be in [0, 1) (0: uniform layers), got {grading!r}")
    if g and cells is None:
        raise ValueError("grading needs structured layers: pass cells_across=N as well")
    return g


def check_thin_layers(layers: Sequence[tuple[str, float]], h: float,
                      refine: dict[str, tuple[float, float]], kind: str = "layer") -> None:
    """Unstructured meshes: every layer must be at least the minimum element size thick.

    The minimum element size is ``min(h, every refine h_min)``; a thinner layer would get
    flat, degenerate tetrahedra.  Raises ValueError naming the layer (or box: ``kind``)
    and the remedies.
    """
    h_min = min([h] + [hm for hm, _ in refine.values()])
    for name, t in layers:
        if t < h_min * (1 - 1e-9):
            raise ValueError(
                f"{kind} '{name}' ({t * 1e9:.4g} nm) is thinner than the minimum element size "
                f"{h_min * 1e9:.4g} nm: pass h <= {t:.3g} (m)"
                + (", refine toward its faces, or structured layers through the thickness "
                   "(cells_across=...)" if kind == "layer" else ""))


def check_volume_map(mapping: dict[str, list[int]], expected: dict[str, int]) -> None:
    """After a gmsh fragment: each region must own the expected number of volumes.

    ``mapping``: region name -> resulting entity tags.  Raises ValueError when two regions
    share a volume (they overlap) or a region was split/lost (touching or crossing inputs).
    """
    owner: dict[int, str] = {}
    for name, ents in mapping.items():
        for e in ents:
            if e in owner:
                raise ValueError(f"regions '{owner[e]}' and '{name}' overlap (gmsh fragments "
                                 f"them into a shared volume); shapes may touch but not overlap")
            owner[e] = name
    for name, n in expected.items():
        got = len(mapping.get(name, []))
        if got != n:
            raise ValueError(f"region '{name}' became {got} volume(s) after gmsh fragmented "
                             f"the geometry, expected {n}: shapes overlap, cut through each "
                             f"other or are too thin; regions: {', '.join(expected)}")


# ---------------------------------------------------------------------------------------
# device checks
# ---------------------------------------------------------------------------------------
def _owned_vertices(mesh) -> np.ndarray:
    """(n_owned_cells, n_vertices_per_cell, 3) coordinates of the cells' vertices."""
    import basix
    tdim = mesh.topology.dim
    n = mesh.topology.index_map(tdim).size_local
    ref = basix.topology(getattr(basix.CellType, mesh.topology.cell_type.name))
    nv = len(ref[0])
    dofs = mesh.geometry.dofmap[:n, :nv]
    return mesh.geometry.x[dofs]


def _cell_measures(mesh) -> np.ndarray | None:
    """Length/area/volume of owned simplex cells (mesh units), None for other cells."""
    x = _owned_vertices(mesh)
    tdim = mesh.topology.dim
    if x.shape[1] != tdim + 1:
        return None
    e = x[:, 1:, :] - x[:, :1, :]
    if tdim == 1:
        return np.linalg.norm(e[:, 0], axis=1)
    if tdim == 2:
        return 0.5 * np.linalg.norm(np.cross(e[:, 0], e[:, 1]), axis=1)
    return np.abs(np.einsum("ij,ij->i", e[:, 0], np.cross(e[:, 1], e[:, 2]))) / 6.0


def check_device(device) -> None:
    """Every named region has cells and a positive volume; every named facet set has facets.

    Raises
    ------
    ValueError
        Naming the empty or zero-volume regions / facet sets (MPI-collective: same error on
        every rank).
    """
    from mpi4py import MPI
    comm = device.comm
    empty = [n for n in device.regions if device.cell_count(n) == 0]
    if empty:
        raise ValueError(f"region(s) {', '.join(empty)} have no cells (zero volume); regions: "
                         f"{', '.join(device.regions)}")
    meas = _cell_measures(device.mesh)
    if meas is not None:
        n = device.mesh.topology.index_map(device.dim).size_local
        cells, values = device.cell_tags.indices, device.cell_tags.values
        own = cells < n
        total = comm.allreduce(float(meas.sum()), op=MPI.SUM)
        for name, tag in device.regions.items():
            sel = cells[own & (values == tag)]
            vol = comm.allreduce(float(meas[sel].sum()), op=MPI.SUM)
            if not vol > 1e-12 * total:
                raise ValueError(f"region '{name}' has zero volume ({vol:.3g} of {total:.3g} "
                                 f"mesh units^{device.dim}): its cells are degenerate")
    nofacets = [n for n in device.boundaries if device.facet_count(n) == 0]
    if nofacets:
        raise ValueError(f"facet set(s) {', '.join(nofacets)} have no facets; boundaries: "
                         f"{', '.join(device.boundaries)}")


# ---------------------------------------------------------------------------------------
# statistics
# ---------------------------------------------------------------------------------------
def _quality(x: np.ndarray, tdim: int, edges) -> tuple[np.ndarray, np.ndarray, str]:
    """(quality, diameter) per cell from vertex coordinates x (n, nv, 3)."""
    lengths = np.stack([np.linalg.norm(x[:, a] - x[:, b], axis=1) for a, b in edges], axis=1)
    diam = lengths.max(axis=1)
    nv = x.shape[1]
    if nv != tdim + 1:  # quadrilateral / hexahedron
        return lengths.min(axis=1) / diam, diam, "edge ratio (min/max edge)"
    if tdim == 1:
        return np.ones(len(x)), diam, "radius ratio"
    tiny = np.finfo(float).tiny
    if tdim == 2:
        a, b, c = lengths.T
        area = 0.5 * np.linalg.norm(np.cross(x[:, 1] - x[:, 0], x[:, 2] - x[:, 0]), axis=1)
        s = 0.5 * (a + b + c)
        q = 8.0 * area ** 2 / np.maximum(s * a * b * c, tiny)   # 2 r / R
        return q, diam, "radius ratio 2r/R"
    a, b, c = (x[:, i] - x[:, 0] for i in (1, 2, 3))
    vol6 = np.abs(np.einsum("ij,ij->i", a, np.cross(b, c)))
    faces = ((0, 1, 2), (0, 1, 3), (0, 2, 3), (1, 2, 3))
    area = sum(0.5 * np.linalg.norm(np.cross(x[:, j] - x[:, i], x[:, k] - x[:, i]), axis=1)
               for i, j, k in faces)
    r_in = 0.5 * vol6 / np.maximum(area, tiny)                 # 3 V / S
    num = (np.einsum("ij,ij->i", a, a)[:, None] * np.cross(b, c)
           + np.einsum("ij,ij->i", b, b)[:, None] * np.cross(c, a)
           + np.einsum("ij,ij->i", c, c)[:, None] * np.cross(a, b))
    r_out = np.linalg.norm(num, axis=1) / np.maximum(2.0 * vol6, tiny)  # |...| / (12 V)
    return 3.0 * r_in / np.maximum(r_out, tiny), diam, "radius ratio 3r/R"


def statistics(device) -> dict:
    """Mesh statistics of a device, reduced over MPI (call on every rank).

    Returns
    -------
    dict with
        ``dim``, ``axes``, ``cell_type`` (e.g. ``"tetrahedron"``), ``cells``, ``vertices``
        (global counts), ``regions`` (name -> cell count), ``boundaries`` (name -> facet
        count), ``h_min``, ``h_max`` (smallest and largest cell diameter = longest edge, in
        metres), ``quality_min`` (worst cell), ``quality_mean``, ``quality_measure`` (what
        quality means, see the module docstring), ``length_unit`` (metres per mesh unit).
    """
    import basix
    from mpi4py import MPI
    mesh, comm, tdim = device.mesh, device.comm, device.dim
    ref = basix.topology(getattr(basix.CellType, mesh.topology.cell_type.name))
    x = _owned_vertices(mesh)
    q, diam, measure = _quality(x, tdim, ref[1])
    n = len(q)
    ntot = comm.allreduce(n, op=MPI.SUM)
    unit = device.length_unit
    return {
        "dim": tdim, "axes": device.axes, "cell_type": mesh.topology.cell_type.name,
        "cells": mesh.topology.index_map(tdim).size_global,
        "vertices": mesh.topology.index_map(0).size_global,
        "regions": {name: device.cell_count(name) for name in device.regions},
        "boundaries": {name: device.facet_count(name) for name in device.boundaries},
        "h_min": comm.allreduce(float(diam.min()) if n else math.inf, op=MPI.MIN) * unit,
        "h_max": comm.allreduce(float(diam.max()) if n else 0.0, op=MPI.MAX) * unit,
        "quality_min": comm.allreduce(float(q.min()) if n else math.inf, op=MPI.MIN),
        "quality_mean": comm.allreduce(float(q.sum()), op=MPI.SUM) / max(ntot, 1),
        "quality_measure": measure, "length_unit": unit,
    }


def format_statistics(stats: dict) -> str:
    """A plain-text table of :func:`statistics` (lengths shown in nm)."""
    lines = [
        f"mesh      {stats['dim']}D {stats['cell_type']} (axes {stats['axes']}): "
        f"{stats['cells']} cells, {stats['vertices']} vertices",
        f"h         min {stats['h_min'] * 1e9:.4g} nm, max {stats['h_max'] * 1e9:.4g} nm "
        f"(cell diameter)",
        f"quality   worst {stats['quality_min']:.3f}, mean {stats['quality_mean']:.3f} "
        f"({stats['quality_measure']}, 1 = regular)",
    ]
    width = max([len(n) for n in (*stats["regions"], *stats["boundaries"])] + [8])
    lines.append(f"{'region':<{width}}  {'cells':>9}")
    lines += [f"{n:<{width}}  {c:>9}" for n, c in stats["regions"].items()]
    lines.append(f"{'boundary':<{width}}  {'facets':>9}")
    lines += [f"{n:<{width}}  {c:>9}" for n, c in stats["boundaries"].items()]
    return "\n".join(lines)
