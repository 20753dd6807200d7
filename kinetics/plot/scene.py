"""Scene building blocks of the PyVista pictures (:mod:`kinetics.plot.fields`, :mod:`.currents`).

Internal to :mod:`kinetics.plot`: input handling (Solution / Device / grid / ``.vtu``, the
MPI dispatch to rank 0), colour scales, the camera, axes with units, colour bars, titles and
legends, and the off-screen rendering with atomic PNG writing.  The geometry (point
placement for arrows and seeds, cuts, outlines, glyph meshes) is in
:mod:`kinetics.plot.shapes` and re-exported here.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from kinetics.plot.common import (atomic_write, display_available, ensure_display, font_file,
                                  root_call, warn_no_window, world_comm)
from kinetics.plot.shapes import (AXIS, ISO_VIEW, arrows, bar, cones, in_plane_basis,  # noqa: F401
                                  lattice_points, line_length, merge, out_of_plane_marks,
                                  outlines, parse_normal, plane_normal, slice_spec, spread)

REGION_COLORS = ["#8da0cb", "#fc8d62", "#66c2a5", "#e5c494", "#a6d854", "#ffd92f", "#b3b3b3",
                 "#e78ac3"]


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


# --------------------------------------------------------------------------------- colours
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


# -------------------------------------------------------------------------------- scenery
def fonts(plotter):
    """Use a Unicode TrueType font (Greek letters, µ, superscripts) for the 2D text."""
    path = font_file()
    from vtkmodules.vtkCommonCore import VTK_FONT_FILE

    def apply(prop):
        if path is not None:
            prop.SetFontFamily(VTK_FONT_FILE)
            prop.SetFontFile(path)

    actors = [a for ren in plotter.renderers for a in ren.GetActors2D()]
    for actor in actors:
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
    b = np.asarray(bounds, dtype=float).reshape(3, 2)
    ext = np.ptp(b, axis=1)
    big = ext.max() if ext.max() > 0 else 1.0
    n = [int(np.clip(round(4 * e / big) + 1, 2, 5)) for e in ext]
    u = f" ({unit})" if unit else ""
    # an axis much shorter than the others (a film's thickness) would get overlapping tick
    # labels: its range goes into its title instead
    thin = [e < 0.12 * big for e in ext]
    titles = [f"{a}: {lo:.3g} to {hi:.3g}{u}" if t else f"{a}{u}"
              for a, (lo, hi), t in zip("xyz", b, thin)]
    plotter.show_bounds(bounds=list(bounds), xtitle=titles[0], ytitle=titles[1],
                        ztitle=titles[2], n_xlabels=n[0], n_ylabels=n[1], n_zlabels=n[2],
                        show_xlabels=not thin[0], show_ylabels=not thin[1],
                        show_zlabels=not thin[2], color="black", location="outer",
                        ticks="outside", font_size=16, fmt="%.3g", bold=False,
                        use_3d_text=False)


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
    _justify(prop, h, v)
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


def screen_text(plotter, text, x, y, *, size=14, h="center", v="top", color="black"):
    """A text actor at normalized viewport coordinates (0-1 from the lower left)."""
    from vtkmodules.vtkRenderingCore import vtkTextActor
    actor = vtkTextActor()
    actor.SetInput(text)
    prop = actor.GetTextProperty()
    prop.SetFontSize(size)
    from matplotlib.colors import to_rgb
    prop.SetColor(*to_rgb(color))
    _justify(prop, h, v)
    coord = actor.GetPositionCoordinate()
    coord.SetCoordinateSystemToNormalizedViewport()
    coord.SetValue(float(x), float(y))
    plotter.add_actor(actor, reset_camera=False)


def title(plotter, text, note=None, window_size=None):
    """The title at the top and, below it in smaller type, ``note`` (what the picture shows:
    view or cut, state, current direction; may hold several lines)."""
    if text:
        plotter.add_text(text, position="upper_edge", font_size=14, color="black")
    if note:
        h = window_size[1] if window_size else 1000
        screen_text(plotter, note, 0.5, 1.0 - 62.0 / h, size=15, color="#333333")


def view_note(grid, dim, axes, unit, *, normal=None, origin=None, slices=None) -> str:
    """What part of the device a picture shows: the section plane (2D), the cut (``normal``
    through ``origin``), the slices (list of (normal, origin)) or the surfaces seen by the
    isometric camera (3D)."""
    u = f" {unit}" if unit else ""
    if dim == 2:
        return f"{axes[0]}–{axes[1]} cross-section"
    if slices:
        ks = {int(np.argmax(np.abs(n))) for n, _ in slices}
        if len(ks) == 1:
            k = ks.pop()
            pos = ", ".join(f"{o[k]:.3g}" for _, o in slices)
            return f"slices at {'xyz'[k]} = {pos}{u} inside the outline of the device"
        return "slices inside the outline of the device"
    if normal is not None:
        k = int(np.argmax(np.abs(normal)))
        if np.isclose(abs(normal[k]), 1.0):
            a, pos = "xyz"[k], float(origin[k])
            side = "<" if normal[k] > 0 else ">"
            rest = "–".join(c for c in "xyz" if c != a)
            return (f"cut at {a} = {pos:.3g}{u}: the part {a} {side} {pos:.3g}{u}, its "
                    f"{rest} cut face in front")
        return (f"cut through ({', '.join(f'{v:.3g}' for v in origin)}){u} normal to "
                f"({', '.join(f'{v:.2g}' for v in normal)})")
    b = np.asarray(grid.bounds, dtype=float).reshape(3, 2)
    return (f"outer faces seen from +x, +y, +z: top z = {b[2, 1]:.3g}{u}, sides "
            f"x = {b[0, 1]:.3g}{u} and y = {b[1, 1]:.3g}{u}")


def current_note(grid) -> str:
    """"current along −x" from the mean charge current of the grid (empty when the grid has
    no ``j_c`` or no dominant direction)."""
    data = grid.cell_data if "j_c" in grid.cell_data else grid.point_data
    if "j_c" not in data:
        return ""
    j = np.asarray(data["j_c"], dtype=float).reshape(-1, 3)
    mean = j.mean(axis=0) if len(j) else np.zeros(3)
    size = float(np.linalg.norm(mean))
    if not size > 0 or size < 1e-3 * float(np.abs(j).max()):
        return ""
    k = int(np.argmax(np.abs(mean)))
    if abs(mean[k]) < 0.9 * size:
        return ""
    return f"current along {'+' if mean[k] > 0 else '−'}{'xyz'[k]}"


def state_note(grid) -> str:
    """The ``state`` the fields were written with (field data) or the magnetizations, and
    the current direction (unless the state gives it), joined by ";  "."""
    from kinetics.output.vtu import state_of
    state = state_of(grid) or magnet_note(grid).lstrip(", ")
    current = "" if "current along" in state else current_note(grid)
    return ";  ".join(p for p in (state, current) if p)


def frame(plotter, grid, text, unit, axes, dim, window_size, note=None):
    """What every scene ends with: the title (and ``note`` under it), the orientation axes
    in 3D, the axis labels and the camera fitted to ``grid``."""
    title(plotter, text, note, window_size)
    if dim == 3:
        plotter.add_axes(color="black", line_width=3)
    axes_labels(plotter, grid.bounds, unit, axes, dim, window_size)
    camera(plotter, grid, axes, dim, window_size)


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


def render(png, build, window_size, show, **layout):
    """Build the scene off-screen, write the PNG atomically; with ``show``, open a window
    on the display (when there is one) with the same scene.  ``layout``: subplot keywords
    of ``pyvista.Plotter`` (``shape``, ``row_weights``, ``groups``, ``border``)."""
    import pyvista as pv
    ensure_display()
    plotter = pv.Plotter(off_screen=True, window_size=window_size, **layout)
    try:
        build(plotter)
        fonts(plotter)
        atomic_write(png, lambda tmp: plotter.screenshot(str(tmp)))
    finally:
        plotter.close()
    if show:
        if display_available():
            interactive = pv.Plotter(window_size=window_size, **layout)
            build(interactive)
            fonts(interactive)
            interactive.show()
        else:
            warn_no_window()
    return png


def _justify(prop, h: str, v: str) -> None:
    """Set the horizontal (left/center/right) and vertical (top/center/bottom) justification
    of a VTK text property."""
    {"left": prop.SetJustificationToLeft, "center": prop.SetJustificationToCentered,
     "right": prop.SetJustificationToRight}[h]()
    {"top": prop.SetVerticalJustificationToTop,
     "center": prop.SetVerticalJustificationToCentered,
     "bottom": prop.SetVerticalJustificationToBottom}[v]()
