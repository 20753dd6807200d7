"""Geometry of the PyVista pictures (:mod:`kinetics.plot.fields`, :mod:`kinetics.plot.currents`).

Internal to :mod:`kinetics.plot`: point placement for arrows and streamline seeds (evenly
spread points, lattices in a plane), cuts (clip normals, slices), region outlines and the
glyph meshes (arrows, ⊙/⊗ marks, cones).  Re-exported by :mod:`kinetics.plot.scene`.
"""

from __future__ import annotations

import numpy as np

AXIS = {"x": 0, "y": 1, "z": 2}
ISO_VIEW = np.ones(3) / np.sqrt(3.0)   # towards the camera of Plotter.view_isometric


# ------------------------------------------------------------------------------- placement
def spread(points: np.ndarray, n_target: int, measure: float, dim: int) -> np.ndarray:
    """Indices of about ``n_target`` evenly spread points (one per cube of a lattice sized
    from ``measure``, the area (dim 2) or volume (dim 3) the points cover)."""
    if len(points) <= n_target or n_target <= 0:
        return np.arange(len(points))
    h = (measure / n_target) ** (1.0 / dim) if measure > 0 else 1.0
    lo = points.min(axis=0)
    best = np.arange(len(points))
    for _ in range(8):
        rel = (points - lo) / h
        keys = np.floor(rel).astype(np.int64)
        dist = np.linalg.norm(rel - keys - 0.5, axis=1)
        _, inv = np.unique(keys, axis=0, return_inverse=True)
        inv = inv.ravel()
        order = np.lexsort((dist, inv))
        first = order[np.r_[True, inv[order][1:] != inv[order][:-1]]]
        best = first
        if len(first) <= 1.25 * n_target:
            break
        h *= (len(first) / n_target) ** (1.0 / dim)
    return np.sort(best)


def in_plane_basis(normal):
    """Two unit vectors spanning the plane normal to ``normal`` (axis-aligned when it is)."""
    normal = np.asarray(normal, dtype=float) / np.linalg.norm(normal)
    k = int(np.argmax(np.abs(normal)))
    if np.isclose(abs(normal[k]), 1.0):
        others = [i for i in range(3) if i != k]
        return np.eye(3)[others[0]], np.eye(3)[others[1]]
    u = np.cross(normal, np.eye(3)[int(np.argmin(np.abs(normal)))])
    u /= np.linalg.norm(u)
    return u, np.cross(normal, u)


def lattice_points(data, origin, basis, n_target, measure):
    """Points of a regular, cell-centred lattice (in the span of ``basis`` through ``origin``)
    inside ``data``, about ``n_target`` of them; sampled with the fields of ``data``.
    ``measure`` is the length/area of the device part the lattice covers."""
    import pyvista as pv
    corners = np.array(np.meshgrid(*np.asarray(data.bounds).reshape(3, 2))).reshape(3, -1).T
    rel = corners - origin
    lo = np.array([(rel @ b).min() for b in basis])
    hi = np.array([(rel @ b).max() for b in basis])
    dim = len(basis)
    h = (measure / max(n_target, 1)) ** (1.0 / dim) if measure > 0 else \
        float(np.max(hi - lo)) / max(n_target, 1)
    result = None
    for _ in range(6):
        counts = np.maximum(1, np.round((hi - lo) / h).astype(int))
        axes = [lo[k] + (hi[k] - lo[k]) * (np.arange(counts[k]) + 0.5) / counts[k]
                for k in range(dim)]
        grid = np.meshgrid(*axes, indexing="ij")
        pts = origin + sum(g.reshape(-1, 1) * b for g, b in zip(grid, basis))
        probe = pv.PolyData(pts).sample(data)
        valid = np.asarray(probe.point_data["vtkValidPointMask"]).astype(bool)
        result = probe.extract_points(valid, adjacent_cells=False, include_cells=False) \
            if valid.any() else None
        n = int(valid.sum())
        if n == 0 or 0.6 * n_target <= n <= 1.4 * n_target:
            break
        h *= (n / n_target) ** (1.0 / dim)
    spacing = float(np.min((hi - lo) / np.maximum(counts, 1)))
    if result is not None and not isinstance(result, pv.PolyData):
        result = pv.PolyData(np.asarray(result.points)).sample(data)
    return result, spacing


# ------------------------------------------------------------------------- cuts and outlines
def outlines(grid, dim):
    """Region outlines: feature edges of each region's surface (3D), boundaries (2D)."""
    import pyvista as pv
    region = np.asarray(grid.cell_data["region"]) if "region" in grid.cell_data \
        else np.zeros(grid.n_cells, dtype=int)
    parts = []
    for tag in np.unique(region):
        surf = grid.extract_cells(np.flatnonzero(region == tag)).extract_surface()
        edges = surf.extract_feature_edges(feature_angle=30, boundary_edges=True,
                                           feature_edges=dim == 3, manifold_edges=False,
                                           non_manifold_edges=False)
        if edges.n_points:
            parts.append(edges)
    return pv.merge(parts) if parts else None


def merge(parts):
    """One PolyData from the non-empty parts, or None."""
    import pyvista as pv
    parts = [p for p in parts if p is not None and p.n_points]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else pv.merge(parts)


def plane_normal(axes):
    """Unit normal of a 2D section spanned by ``axes`` and the in-plane basis (right, up)."""
    right = np.eye(3)[AXIS[axes[0]]]
    up = np.eye(3)[AXIS[axes[1]]]
    return np.cross(up, right), right, up


def parse_normal(clip):
    if isinstance(clip, str):
        if clip not in AXIS:
            raise ValueError(f"clip must be None, 'x', 'y', 'z' or a normal 3-vector, "
                             f"got {clip!r}")
        return np.eye(3)[AXIS[clip]]
    n = np.asarray(clip, dtype=float).ravel()
    if n.shape != (3,) or not np.linalg.norm(n) > 0:
        raise ValueError(f"clip must be None, 'x', 'y', 'z' or a nonzero 3-vector, "
                         f"got {clip!r}")
    return n / np.linalg.norm(n)


def slice_spec(slices, grid):
    """[(normal, origin), ...] from ``'z'``, ``('z', 3)`` or ``('z', [1.0, 2.5])``."""
    if isinstance(slices, str):
        axis, where = slices, 3
    else:
        try:
            axis, where = slices
        except (TypeError, ValueError):
            raise ValueError(f"slices must be 'x', 'y', 'z', (axis, count) or (axis, "
                             f"[positions]), got {slices!r}") from None
    if axis not in AXIS:
        raise ValueError(f"slices: unknown axis {axis!r}; use 'x', 'y' or 'z'")
    k = AXIS[axis]
    lo, hi = grid.bounds[2 * k], grid.bounds[2 * k + 1]
    if np.isscalar(where) and float(where).is_integer() and not isinstance(where, float):
        n = int(where)
        if n < 1:
            raise ValueError(f"slices: the count must be >= 1, got {n}")
        pos = lo + (hi - lo) * (np.arange(n) + 0.5) / n
    else:
        pos = np.atleast_1d(np.asarray(where, dtype=float))
        bad = pos[(pos < lo) | (pos > hi)]
        if len(bad):
            raise ValueError(f"slices: positions {bad.tolist()} lie outside the device "
                             f"({axis} from {lo:g} to {hi:g})")
    center = np.asarray(grid.center, dtype=float)
    out = []
    for p in pos:
        origin = center.copy()
        origin[k] = p
        out.append((np.eye(3)[k], origin))
    return out


# ---------------------------------------------------------------------------------- glyphs
def arrows(points, vectors, spacing, vmax, factor=None, lift=None, data=None):
    """Arrow glyphs (length ``factor``·|v|, default 0.9·spacing at |v| = vmax); short ones
    (< 4 % of the spacing) are dropped.  ``lift`` (n, 3) offsets the arrow bases; ``data``
    (name -> (n,) values) is carried to the glyphs."""
    import pyvista as pv
    points = np.asarray(points, dtype=float).reshape(-1, 3)
    vectors = np.asarray(vectors, dtype=float).reshape(-1, 3)
    mag = np.linalg.norm(vectors, axis=1)
    if factor is None:
        factor = 0.9 * spacing / vmax if vmax > 0 else 0.0
    keep = mag * factor > 0.04 * spacing
    if not np.any(keep):
        return None
    base = points[keep] + (0.0 if lift is None else lift[keep])
    cloud = pv.PolyData(base)
    cloud["v"] = vectors[keep]
    cloud["mag"] = mag[keep]
    for name, values in (data or {}).items():
        cloud[name] = np.asarray(values)[keep]
    geom = pv.Arrow(tip_length=0.3, tip_radius=0.13, shaft_radius=0.05)
    return cloud.glyph(orient="v", scale="mag", factor=factor, geom=geom)


def out_of_plane_marks(points, values, normal, factor, spacing):
    """⊙ / ⊗ symbols for the out-of-plane part of a vector on a 2D section (viewed along
    +``normal``): ⊗ where it points into the page (along +normal), ⊙ out of it; radius
    ``factor``·|value| (at most 0.45·spacing); small ones (< 6 % of the spacing) dropped."""
    import pyvista as pv
    radius = np.minimum(np.abs(values) * factor, 0.45 * spacing)
    keep = radius > 0.06 * spacing
    if not np.any(keep):
        return None
    u, v = in_plane_basis(normal)
    out = []
    ring = pv.Disc(center=(0, 0, 0), inner=0.78, outer=1.0, normal=normal, c_res=40)
    dot = pv.Disc(center=(0, 0, 0), inner=0.0, outer=0.28, normal=normal, c_res=24)
    d1, d2 = (u + v) / np.sqrt(2), (u - v) / np.sqrt(2)
    cross = pv.merge([bar(d1, d2, 0.72, 0.1), bar(d2, d1, 0.72, 0.1)])
    odot, otimes = pv.merge([ring, dot]), pv.merge([ring, cross])
    for sign, geom in ((1, otimes), (-1, odot)):
        sel = keep & (np.sign(values) == sign)
        if np.any(sel):
            cloud = pv.PolyData(points[sel])
            cloud["r"] = radius[sel]
            out.append(cloud.glyph(orient=False, scale="r", factor=1.0, geom=geom))
    return merge(out)


def bar(along, across, half_length, half_width):
    """A thin rectangle (PolyData) centred at the origin."""
    import pyvista as pv
    a, b = np.asarray(along) * half_length, np.asarray(across) * half_width
    return pv.Rectangle([tuple(-a - b), tuple(a - b), tuple(a + b)])


def cones(points, directions, size):
    """Cone glyphs (height ``size``) pointing along ``directions`` (flow markers)."""
    import pyvista as pv
    keep = np.linalg.norm(directions, axis=1) > 0
    if not np.any(keep):
        return None
    cloud = pv.PolyData(np.asarray(points)[keep])
    cloud["d"] = np.asarray(directions)[keep]
    geom = pv.Cone(center=(0, 0, 0), direction=(1, 0, 0), height=1.0, radius=0.32,
                   resolution=20)
    return cloud.glyph(orient="d", scale=False, factor=size, geom=geom)


def line_length(lines) -> float:
    """Total length of the lines of a PolyData."""
    sizes = lines.compute_cell_sizes(length=True, area=False, volume=False)
    return float(np.sum(sizes.cell_data["Length"]))
