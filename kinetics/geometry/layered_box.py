"""Structured thin-film stacks without gmsh: :func:`layered_box`.

A box of layers along the last axis, meshed as hexahedra (or simplices) with optional
grading toward the layer faces; used by the verification tests, the benchmarks and the quick
demos.  Faces are named globally (``xmin``, ``xmax``, ...), regions by layer name.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from kinetics.device import Device
from kinetics.geometry import names as _names
from kinetics.geometry.checks import (LENGTH_MAX, LENGTH_MIN, _real, check_count, check_name,
                                      integer, positive)

__all__ = ["layered_box", "layered_box_plan", "graded_nodes"]

#: most cells along one axis (and through one layer)
MAX_CELLS_AXIS = 10 ** 6
_CELL_TYPES = ("hexahedron", "quadrilateral", "tetrahedron", "triangle")


def graded_nodes(s: np.ndarray, grading: float) -> np.ndarray:
    """Map uniform s in [0, 1] to nodes clustered at both ends (grading in [0, 1))."""
    return s - grading * np.sin(2 * np.pi * s) / (2 * np.pi)


def layered_box_plan(lengths: Sequence[float], cells: Sequence[int],
                     layers: Sequence[tuple[str, float, int]] | None = None, *,
                     axes: str | None = None, length_unit: float = 1e-9, grading: float = 0.0,
                     cell_type: str = "hexahedron"):
    """Check the arguments of :func:`layered_box` and name its regions and facets.

    Returns
    -------
    kinetics.geometry.builders.Plan
        With the exact cell count; ``values`` holds the checked lengths, counts and layers.

    Raises
    ------
    ValueError
        As :func:`layered_box`.
    """
    from kinetics.geometry.builders import Plan
    unit = positive("length_unit", length_unit, lo=1e-15, hi=1e3)
    # lengths are metres whatever the mesh unit; a mesh in large units (length_unit = 1:
    # non-dimensional test meshes) may be up to 1000 units long
    lo, hi = LENGTH_MIN, max(LENGTH_MAX, 1e3 * unit)

    def seq(what, value):
        if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__"):
            raise ValueError(f"{what} must be a list of 1, 2 or 3 entries, got {value!r}")
        return list(value)

    lengths, cells = seq("lengths", lengths), seq("cells", cells)
    dim = len(lengths)
    if dim not in (1, 2, 3) or len(cells) != dim:
        raise ValueError(f"lengths and cells must both have 1, 2 or 3 entries, got {lengths}, {cells}")
    ext = [positive(f"lengths[{i}]", v, lo, hi) for i, v in enumerate(lengths[:-1])]
    counts = [integer(f"cells[{i}]", n, 1, MAX_CELLS_AXIS) for i, n in enumerate(cells[:-1])]
    g = _real("grading", grading, "a number in [0, 1)")
    if not 0 <= g < 1:
        raise ValueError(f"grading must be in [0, 1), got {grading!r}")
    if cell_type not in _CELL_TYPES:
        raise ValueError(f"cell_type must be one of {', '.join(_CELL_TYPES)}, got {cell_type!r}")
    if layers is None:
        layers = [("film", lengths[-1], cells[-1])]
    checked = []
    layers = seq("layers", layers)
    check_count("layers", layers)
    for i, layer in enumerate(layers):
        try:
            name, t, n = layer
        except (TypeError, ValueError):
            raise ValueError(f"layers[{i}] must be (name, thickness_m, cells), got {layer!r}") from None
        name = check_name(f"layers[{i}] name", name)
        checked.append((name, positive(f"thickness of layer '{name}'", t, lo, hi),
                        integer(f"cells of layer '{name}'", n, 1, MAX_CELLS_AXIS)))
    if not checked:
        raise ValueError("layers is empty: give at least one (name, thickness_m, cells)")
    region_names = [name for name, _, _ in checked]
    if len(set(region_names)) != len(region_names):
        raise ValueError(f"layer names must be distinct, got {region_names}")
    axes = "xyz"[:dim] if axes is None else axes
    if not (isinstance(axes, str) and len(axes) == dim and set(axes) <= set("xyz")
            and len(set(axes)) == dim):
        raise ValueError(f"axes must be {dim} distinct letters of 'xyz' (one per mesh axis), "
                         f"got {axes!r}")
    nz = sum(n for _, _, n in checked)
    simplex = cell_type in ("tetrahedron", "triangle")
    n_cells = math.prod(counts) * nz * ((6 if dim == 3 else 2) if simplex and dim > 1 else 1)
    values = {"ext": [v / unit for v in ext], "counts": counts, "layers": checked,
              "unit": unit, "grading": g, "simplex": simplex}
    return Plan("layered_box", values, dim, axes, region_names,
                _names.layered_box_facets(axes, region_names), n_cells, None, values)


def layered_box(lengths: Sequence[float], cells: Sequence[int],
                layers: Sequence[tuple[str, float, int]] | None = None, *,
                axes: str | None = None, length_unit: float = 1e-9, grading: float = 0.0,
                cell_type: str = "hexahedron", comm=None) -> Device:
    """A structured box (interval, rectangle or brick) with layers stacked along its last axis.

    Parameters
    ----------
    lengths:
        Side lengths in metres, one per mesh axis (1, 2 or 3 of them).  With ``layers`` the
        last entry is ignored (the stack height is the sum of the layer thicknesses).
    cells:
        Cells per mesh axis.  With ``layers`` the last entry is ignored (each layer gives its
        own count).
    layers:
        ``[(region_name, thickness_m, cells_across), ...]`` from the bottom (lowest
        coordinate of the last axis) up.  Default: one region ``"film"`` filling the box.
    axes:
        Physical axes of the mesh coordinates (default ``"xyz"[:dim]``); ``"xz"`` makes a 2D
        cross-section with the stack along z.
    length_unit:
        Metres per mesh unit (default nm).
    grading:
        0 for uniform spacing; 0 < g < 1 clusters nodes toward every layer face (the spacing
        at a face is (1 - g) times the uniform spacing).
    cell_type:
        ``"hexahedron"`` (quadrilateral in 2D) or ``"tetrahedron"`` (triangle in 2D).

    Returns
    -------
    Device
        Regions: the layer names.  Boundaries: ``{axis}min``/``{axis}max`` for each mesh axis
        (e.g. ``xmin``, ``zmax``) and, between layers, ``"lower|upper"`` interfaces.

    Raises
    ------
    ValueError
        For lengths or thicknesses that are not numbers (bools, strings), NaN, infinite,
        non-positive, or outside [1e-12 m, max(1 m, 1000 length_unit)] (lengths are
        metres whatever the mesh unit), cell counts that are not integers in [1, 1e6], duplicate
        or invalid layer names, ``axes`` that are not distinct letters of ``"xyz"`` (one per
        mesh axis), a grading outside [0, 1), an unknown ``cell_type``.  The entries of
        ``lengths`` and ``cells`` that are ignored (the last ones with ``layers``) are not
        checked.
    """
    from dolfinx import mesh as dmesh
    from mpi4py import MPI

    plan = layered_box_plan(lengths, cells, layers, axes=axes, length_unit=length_unit,
                            grading=grading, cell_type=cell_type)
    comm = MPI.COMM_WORLD if comm is None else comm
    v = plan.values
    dim, axes, unit, grading, simplex = plan.dim, plan.axes, v["unit"], v["grading"], v["simplex"]
    layers = v["layers"]
    ext, counts = v["ext"], v["counts"]
    names = plan.regions
    n_layer = [n for _, _, n in layers]
    t_layer = [t / unit for _, t, _ in layers]
    nz = sum(n_layer)

    if dim == 1:
        msh = dmesh.create_interval(comm, nz, [0.0, float(nz)])
    elif dim == 2:
        ct = dmesh.CellType.triangle if simplex else dmesh.CellType.quadrilateral
        msh = dmesh.create_rectangle(comm, [[0.0, 0.0], [ext[0], float(nz)]], [counts[0], nz], ct)
    else:
        ct = dmesh.CellType.tetrahedron if simplex else dmesh.CellType.hexahedron
        msh = dmesh.create_box(comm, [[0.0, 0.0, 0.0], [ext[0], ext[1], float(nz)]],
                               [counts[0], counts[1], nz], ct)

    # map the uniform "cell index" coordinate of the last axis to the physical layer stack
    bounds_idx = np.concatenate([[0], np.cumsum(n_layer)]).astype(float)
    bounds_z = np.concatenate([[0.0], np.cumsum(t_layer)])
    x = msh.geometry.x
    k = x[:, dim - 1].copy()
    z = np.empty_like(k)
    for i in range(len(layers)):
        sel = (k >= bounds_idx[i] - 1e-9) & (k <= bounds_idx[i + 1] + 1e-9)
        s = (k[sel] - bounds_idx[i]) / n_layer[i]
        z[sel] = bounds_z[i] + t_layer[i] * graded_nodes(np.clip(s, 0, 1), grading)
    x[:, dim - 1] = z

    # cell tags from midpoints
    tdim = msh.topology.dim
    msh.topology.create_connectivity(tdim, 0)
    n_local = msh.topology.index_map(tdim).size_local + msh.topology.index_map(tdim).num_ghosts
    cells_all = np.arange(n_local, dtype=np.int32)
    mid = dmesh.compute_midpoints(msh, tdim, cells_all)[:, dim - 1]
    region_values = np.searchsorted(bounds_z[1:-1], mid, side="right") + 1
    cell_tags = dmesh.meshtags(msh, tdim, cells_all, region_values.astype(np.int32))
    regions = {name: i + 1 for i, name in enumerate(names)}

    # facet tags: outer faces by coordinate, interfaces between layers
    fdim = tdim - 1
    msh.topology.create_connectivity(fdim, tdim)
    top = float(bounds_z[-1])
    maxima = ext + [top]
    tol = 1e-8 * max(maxima)
    # the names come from the plan (the same function names them before meshing)
    marked = []
    for d in range(dim):
        for side, value in (("min", 0.0), ("max", maxima[d])):
            marked.append(dmesh.locate_entities_boundary(
                msh, fdim, lambda p, d=d, value=value: np.abs(p[d] - value) < tol))
    for i in range(len(layers) - 1):
        zi = bounds_z[i + 1]
        marked.append(dmesh.locate_entities(msh, fdim, lambda p, zi=zi: np.abs(p[dim - 1] - zi) < tol))
    boundaries = {name: tag for tag, name in enumerate(plan.boundaries, start=1)}
    marked = list(zip(marked, boundaries.values()))
    # each facet lies in one plane, so the sets are disjoint; meshtags wants sorted entities
    all_f = np.concatenate([f for f, _ in marked]).astype(np.int32)
    all_v = np.concatenate([np.full(len(f), t, dtype=np.int32) for f, t in marked])
    order = np.argsort(all_f)
    facet_tags = dmesh.meshtags(msh, fdim, all_f[order], all_v[order])
    return Device(msh, cell_tags, facet_tags, regions, boundaries, length_unit=unit, axes=axes)
