"""Structured thin-film stacks without gmsh: :func:`layered_box`.

A box of layers along the last axis, meshed as hexahedra (or simplices) with optional
grading toward the layer faces; used by the verification tests, the benchmarks and the quick
demos.  Faces are named globally (``xmin``, ``xmax``, ...), regions by layer name.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kinetics.device import Device

__all__ = ["layered_box", "graded_nodes"]


def graded_nodes(s: np.ndarray, grading: float) -> np.ndarray:
    """Map uniform s in [0, 1] to nodes clustered at both ends (grading in [0, 1))."""
    return s - grading * np.sin(2 * np.pi * s) / (2 * np.pi)


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
        For non-positive lengths, thicknesses or cell counts, duplicate layer names, or a
        grading outside [0, 1).
    """
    from dolfinx import mesh as dmesh
    from mpi4py import MPI

    comm = MPI.COMM_WORLD if comm is None else comm
    dim = len(lengths)
    if dim not in (1, 2, 3) or len(cells) != dim:
        raise ValueError(f"lengths and cells must both have 1, 2 or 3 entries, got {lengths}, {cells}")
    if any(float(v) <= 0 for v in lengths[:-1]) or any(int(n) < 1 for n in cells[:-1]):
        raise ValueError(f"lengths must be positive and cells >= 1, got {lengths}, {cells}")
    if not 0 <= grading < 1:
        raise ValueError(f"grading must be in [0, 1), got {grading}")
    if layers is None:
        layers = [("film", float(lengths[-1]), int(cells[-1]))]
    names = [name for name, _, _ in layers]
    if len(set(names)) != len(names):
        raise ValueError(f"layer names must be distinct, got {names}")
    for name, t, n in layers:
        if not float(t) > 0 or int(n) < 1:
            raise ValueError(f"layer '{name}': thickness must be > 0 and cells >= 1, got {t}, {n}")
    axes = axes or "xyz"[:dim]
    unit = float(length_unit)
    ext = [float(v) / unit for v in lengths[:-1]]
    counts = [int(n) for n in cells[:-1]]
    n_layer = [int(n) for _, _, n in layers]
    t_layer = [float(t) / unit for _, t, _ in layers]
    nz = sum(n_layer)

    simplex = cell_type in ("tetrahedron", "triangle")
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
    boundaries, marked = {}, []
    tag = 1
    for d in range(dim):
        for side, value in (("min", 0.0), ("max", maxima[d])):
            facets = dmesh.locate_entities_boundary(
                msh, fdim, lambda p, d=d, value=value: np.abs(p[d] - value) < tol)
            boundaries[f"{axes[d]}{side}"] = tag
            marked.append((facets, tag))
            tag += 1
    for i in range(len(layers) - 1):
        zi = bounds_z[i + 1]
        facets = dmesh.locate_entities(msh, fdim, lambda p, zi=zi: np.abs(p[dim - 1] - zi) < tol)
        boundaries[f"{names[i]}|{names[i + 1]}"] = tag
        marked.append((facets, tag))
        tag += 1
    # each facet lies in one plane, so the sets are disjoint; meshtags wants sorted entities
    all_f = np.concatenate([f for f, _ in marked]).astype(np.int32)
    all_v = np.concatenate([np.full(len(f), t, dtype=np.int32) for f, t in marked])
    order = np.argsort(all_f)
    facet_tags = dmesh.meshtags(msh, fdim, all_f[order], all_v[order])
    return Device(msh, cell_tags, facet_tags, regions, boundaries, length_unit=unit, axes=axes)
