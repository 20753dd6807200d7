"""Scene building blocks of the PyVista pictures (:mod:`kinetics.plot.fields`).

Internal to :mod:`kinetics.plot`: input handling (Solution / Device / grid / ``.vtu``, the
MPI dispatch to rank 0), point placement for arrows and seeds, outlines, the camera, axes
with units, colour bars and the off-screen rendering with atomic PNG writing.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from kinetics.plot.common import (atomic_write, display_available, ensure_display, font_file,
                                  root_call, warn_no_window, world_comm)

REGION_COLORS = ["#8da0cb", "#fc8d62", "#66c2a5", "#e5c494", "#a6d854", "#ffd92f", "#b3b3b3",
                 "#e78ac3"]
AXIS = {"x": 0, "y": 1, "z": 2}
ISO_VIEW = np.ones(3) / np.sqrt(3.0)   # towards the camera of Plotter.view_isometric


# ---------------------------------------------------------------------------------- inputs
def png_path(png) -> Path:
    png = Path(png)
    if png.suffix.lower() != ".png":
        raise ValueError(f"the picture path must end in .png, got {str(png)!r}")
    return png


def input_grid(obj, *, allow_device=False):
    """(grid or None, comm or None, collective) for a Solution, Device, grid or .vtu path."""
    from kinetics.output import grid as export
    if hasattr(obj, "problem") and hasattr(obj, "u"):
        return export.to_pyvista(obj), obj.problem.device.comm, True
    if hasattr(obj, "mesh") and hasattr(obj, "cell_tags"):
        if not allow_device:
            raise TypeError("this picture needs fields: pass a Solution, a grid from "
                            "kinetics.output.grid.to_pyvista/load_vtu or a .vtu path, not a Device")
        return export.device_grid(obj), obj.comm, True
    comm = world_comm()
    if comm is not None and comm.rank != 0:
        return None, comm, False
    if obj is None:
        raise ValueError("got None on rank 0: pass a Solution, a grid or a .vtu path")
    if isinstance(obj, (str, os.PathLike)):
        return export.load_vtu(obj), comm, False
    import pyvista as pv
    if isinstance(obj, pv.DataSet):
        return obj, comm, False
    raise TypeError(f"expected a Solution, a pyvista grid or a .vtu path, got "
                    f"{type(obj).__name__}")


def dispatch(obj, png, draw, *, allow_device=False):
    """Gather (if collective), then draw on rank 0; errors re-raised on every rank."""
    png = png_path(png)
    grid, comm, collective = input_grid(obj, allow_device=allow_device)
    if comm is not None and comm.rank != 0:
        if collective:
            root_call(comm, lambda: None)
        return None
    return root_call(comm if collective else None, lambda: draw(grid, png))


def require(grid, *names):
    present = list(grid.point_data) + list(grid.cell_data)
    for name in names:
        if name not in present:
            raise ValueError(f"the grid has no field {name!r} (fields: {', '.join(present)}); "
                             f"write it with kinetics.output.grid.save_vtu(solution, path)")


def meta(grid):
    """(length unit, axes, topological dim) from the field data (defaults for plain grids)."""
    from kinetics.output.grid import text_field
    fd = grid.field_data
    unit = text_field(grid, "length_unit")[0] if "length_unit" in fd else ""
    if "dim" in fd:
        dim = int(fd["dim"][0])
        if dim < 2:
            raise ValueError(f"the pictures show 2D and 3D devices, this one is {dim}D; use "
                             f"kinetics.plot.line_profile")
    else:
        b = np.asarray(grid.bounds).reshape(3, 2)
        dim = 3 if np.all(np.ptp(b, axis=1) > 0) else 2
    if "axes" in fd:
        axes = str(fd["axes"][0])
    else:
        b = np.asarray(grid.bounds).reshape(3, 2)
        axes = "".join(a for a, e in zip("xyz", np.ptp(b, axis=1)) if e > 0) if dim == 2 \
            else "xyz"
    return unit, axes, dim


def region_names(grid) -> dict[int, str]:
    fd = grid.field_data
    if "region_name" in fd and "region_tag" in fd:
        from kinetics.output.grid import text_field
        return {int(t): n for n, t in zip(text_field(grid, "region_name"), fd["region_tag"])}
    return {}


# ------------------------------------------------------------------------------- geometry
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


def nice_limit(value: float) -> float:
    """The smallest of 1, 1.2, 1.6, 2, 2.4, 3.2, 4, 4.8, 6, 8 (× 10^k) >= value, so that a
    colour bar from 0 (or −limit) with 5 labels reads in round numbers."""
    if not value > 0 or not np.isfinite(value):
        return 1.0
    k = np.floor(np.log10(value))
    for m in (1, 1.2, 1.6, 2, 2.4, 3.2, 4, 4.8, 6, 8, 10):
        if m * 10 ** k >= value * (1 - 1e-9):
            return float(m * 10 ** k)
    return float(10 ** (k + 1))


def truncated(name, lo, hi):
    """Matplotlib colour map ``name`` restricted to [lo, hi] of its range."""
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap
    base = colormaps[name]
    return ListedColormap(base(np.linspace(lo, hi, 256)), name=f"{name}_{lo}_{hi}")


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


# -------------------------------------------------------------------------------- scenery
def fonts(plotter):
    """Use a Unicode TrueType font (Greek letters, µ, superscripts) for the 2D text."""
    path = font_file()
    from vtkmodules.vtkCommonCore import VTK_FONT_FILE

    def apply(prop):
        if path is not None:
            prop.SetFontFamily(VTK_FONT_FILE)
            prop.SetFontFile(path)

    for actor in plotter.renderer.GetActors2D():
        cls = actor.GetClassName()
        if cls == "vtkScalarBarActor":
            apply(actor.GetTitleTextProperty())
            apply(actor.GetLabelTextProperty())
            actor.SetVerticalTitleSeparation(14)
        elif cls == "vtkLegendBoxActor":
            continue
        elif hasattr(actor, "GetTextProperty"):
            apply(actor.GetTextProperty())


def axes_labels(plotter, bounds, unit, axes, dim, window_size=None):
    """Axis titles with the unit and tick labels: VTK cube axes in 3D, a drawn frame in 2D."""
    if dim == 2:
        frame_2d(plotter, bounds, unit, axes, window_size)
        return
    ext = np.ptp(np.asarray(bounds).reshape(3, 2), axis=1)
    big = ext.max() if ext.max() > 0 else 1.0
    n = [int(np.clip(round(4 * e / big) + 1, 2, 5)) for e in ext]
    u = f" ({unit})" if unit else ""
    plotter.show_bounds(bounds=list(bounds), xtitle=f"x{u}", ytitle=f"y{u}", ztitle=f"z{u}",
                        n_xlabels=n[0], n_ylabels=n[1], n_zlabels=n[2], color="black",
                        location="outer", ticks="outside", font_size=16, fmt="%.3g",
                        bold=False, use_3d_text=False)


def nice_ticks(lo, hi, nbins):
    from matplotlib.ticker import MaxNLocator
    ticks = MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, hi)
    tol = 1e-9 * max(abs(hi - lo), 1e-300)
    return [t for t in ticks if lo - tol <= t <= hi + tol]


def world_text(plotter, text, position, *, size=18, h="center", v="center", angle=0.0):
    """A text actor anchored at a world position (constant size in pixels)."""
    from vtkmodules.vtkRenderingCore import vtkTextActor
    actor = vtkTextActor()
    actor.SetInput(text)
    prop = actor.GetTextProperty()
    prop.SetFontSize(size)
    prop.SetColor(0.0, 0.0, 0.0)
    prop.SetOrientation(angle)
    {"left": prop.SetJustificationToLeft, "center": prop.SetJustificationToCentered,
     "right": prop.SetJustificationToRight}[h]()
    {"top": prop.SetVerticalJustificationToTop,
     "center": prop.SetVerticalJustificationToCentered,
     "bottom": prop.SetVerticalJustificationToBottom}[v]()
    coord = actor.GetPositionCoordinate()
    coord.SetCoordinateSystemToWorld()
    coord.SetValue(*map(float, position))
    plotter.add_actor(actor, reset_camera=False)


def frame_2d(plotter, bounds, unit, axes, window_size):
    """Ticks, tick labels and axis titles along the bottom and left edges of a 2D section
    seen straight on (horizontal axis ``axes[0]``, vertical ``axes[1]``)."""
    import pyvista as pv
    b = np.asarray(bounds, dtype=float).reshape(3, 2)
    _, right, up = plane_normal(axes)
    i, j = AXIS[axes[0]], AXIS[axes[1]]
    (x0, x1), (z0, z1) = b[i], b[j]
    base = b[:, 0].copy()
    scale = parallel_scale(bounds, axes, window_size)
    px = 2.0 * scale / window_size[1]            # world length of one pixel
    tick = 8 * px
    u = f" ({unit})" if unit else ""

    def at(h, v):
        p = base.copy()
        p[i], p[j] = h, v
        return p

    segments = []
    for t in nice_ticks(x0, x1, 8):
        segments.append(pv.Line(at(t, z0), at(t, z0) - up * tick))
        world_text(plotter, f"{t:g}", at(t, z0) - up * (tick + 4 * px), v="top")
    for t in nice_ticks(z0, z1, 5 if (z1 - z0) < 0.5 * (x1 - x0) else 8):
        segments.append(pv.Line(at(x0, t), at(x0, t) - right * tick))
        world_text(plotter, f"{t:g}", at(x0, t) - right * (tick + 6 * px), h="right")
    plotter.add_mesh(pv.merge(segments), color="black", line_width=2, lighting=False,
                     reset_camera=False)
    world_text(plotter, f"{axes[0]}{u}", at(0.5 * (x0 + x1), z0) - up * (tick + 40 * px),
               size=20, v="top")
    world_text(plotter, f"{axes[1]}{u}", at(x0, 0.5 * (z0 + z1)) - right * (tick + 70 * px),
               size=20, angle=90.0)


def parallel_scale(bounds, axes, window_size):
    """Half the visible height (world units) of a 2D view: the section fills about 70 % of
    the width or 55 % of the height, leaving room for the colour bar, title and labels."""
    b = np.asarray(bounds, dtype=float).reshape(3, 2)
    w, h = np.ptp(b[AXIS[axes[0]]]), np.ptp(b[AXIS[axes[1]]])
    aspect = window_size[0] / window_size[1]
    return max(0.5 * h / 0.55, 0.5 * w / (0.7 * aspect), 1e-30)


def camera(plotter, grid, axes, dim, window_size):
    if dim == 3:
        plotter.view_isometric()
        plotter.reset_camera(bounds=grid.bounds)
        plotter.camera.zoom(1.05)
        return
    normal, right, up = plane_normal(axes)
    center = np.asarray(grid.center)
    plotter.enable_parallel_projection()
    scale = parallel_scale(grid.bounds, axes, window_size)
    aspect = window_size[0] / window_size[1]
    focal = center + right * 0.06 * scale * aspect - up * 0.04 * scale
    plotter.camera_position = [tuple(focal - normal * grid.length * 2), tuple(focal), tuple(up)]
    plotter.reset_camera_clipping_range()
    plotter.camera.parallel_scale = scale


def window(grid, axes, dim, window_size):
    if window_size is not None:
        return tuple(int(v) for v in window_size)
    if dim == 3:
        return (1400, 1000)
    b = np.asarray(grid.bounds).reshape(3, 2)
    w, h = np.ptp(b[AXIS[axes[0]]]), np.ptp(b[AXIS[axes[1]]])
    ratio = h / w if w > 0 else 1.0
    return (1600, int(np.clip(1600 * 0.7 * ratio / 0.55, 760, 1400)))


def scalar_bar(title):
    return dict(title=title, color="black", vertical=True, position_x=0.87, position_y=0.14,
                width=0.05, height=0.64, title_font_size=20, label_font_size=18, fmt="%.3g",
                n_labels=5)


def title(plotter, text):
    if text:
        plotter.add_text(text, position="upper_edge", font_size=14, color="black")


def legend(plotter, entries, window_size):
    """Coloured squares and names at the upper right (below the title)."""
    w, h = window_size
    for k, (name, color) in enumerate(entries):
        y = h - 80 - 30 * k
        plotter.add_text("■", position=(w - 230, y), font_size=15, color=color)
        plotter.add_text(name, position=(w - 200, y), font_size=13, color="black")


def magnet_note(grid):
    fd = grid.field_data
    if "magnet_name" not in fd or "magnet_m" not in fd:
        return ""
    ms = np.asarray(fd["magnet_m"]).reshape(-1, 3)
    parts = [f"m = ({', '.join(f'{v:.3g}' for v in (m + 0.0))})" for m in ms[:2]]
    return ",  " + "; ".join(parts)


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


def render(png, build, window_size, show):
    """Build the scene off-screen, write the PNG atomically; with ``show``, open a window
    on the display (when there is one) with the same scene."""
    import pyvista as pv
    ensure_display()
    plotter = pv.Plotter(off_screen=True, window_size=window_size)
    try:
        build(plotter)
        fonts(plotter)
        atomic_write(png, lambda tmp: plotter.screenshot(str(tmp)))
    finally:
        plotter.close()
    if show:
        if display_available():
            interactive = pv.Plotter(window_size=window_size)
            build(interactive)
            fonts(interactive)
            interactive.show()
        else:
            warn_no_window()
    return png


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
