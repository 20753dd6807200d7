"""PyVista picture of a device: its regions and its named faces (contacts, probes, interfaces).

:func:`regions` is re-exported by :mod:`kinetics.plot.fields` and :mod:`kinetics.plot`.  The
faces come from the field data ``facet_cells`` / ``facet_tag`` / ``facet_name`` that
:func:`kinetics.output.grid.to_pyvista` and :func:`~kinetics.output.grid.device_grid` store
(grids written before they did are drawn without faces).
"""

from __future__ import annotations

import numpy as np

from kinetics.plot import scene as sc

__all__ = ["regions", "FACE_COLORS"]

#: colours of the named faces (distinct from the pale region colours)
FACE_COLORS = ["#d62728", "#1f3fb4", "#2ca02c", "#ff7f0e", "#9467bd", "#17becf", "#8c564b",
               "#e377c2", "#bcbd22", "#7f7f7f", "#393b79", "#637939"]
_VTK_TYPE = {2: 3, 3: 5, 4: 9}          # vertices per facet -> VTK line, triangle, quad
_BELOW = np.array([-1.0, -1.0, -1.0]) / np.sqrt(3.0)
_ROW = 30                               # pixels per legend row in the title row


def _faces(grid):
    """[(name, facet grid, colour, interior)] of the named faces of ``grid`` (may be [])."""
    import pyvista as pv
    fd = grid.field_data
    if "facet_cells" not in fd or "facet_tag" not in fd:
        return []
    from kinetics.output.grid import text_field
    cells = np.asarray(fd["facet_cells"], dtype=np.int64)
    cells = cells.reshape(len(cells), -1)
    tags = np.asarray(fd["facet_tag"]).ravel()
    names = dict(zip(np.asarray(fd["facet_name_tag"]).tolist(), text_field(grid, "facet_name")))
    outer = _outer_faces(grid)
    out = []
    palette = _palette(len(np.unique(tags)))
    for i, tag in enumerate(np.unique(tags)):
        sel = cells[tags == tag]
        nv = sel.shape[1]
        flat = np.hstack([np.full((len(sel), 1), nv, dtype=np.int64), sel]).ravel()
        part = pv.UnstructuredGrid(flat, np.full(len(sel), _VTK_TYPE[nv], dtype=np.uint8),
                                   np.asarray(grid.points))
        part = part.extract_cells(np.arange(len(sel)))      # only the points it uses
        interior = outer is not None and not any(tuple(sorted(c.tolist())) in outer
                                                 for c in sel)
        out.append((names.get(int(tag), f"facet {tag}"), part,
                    palette[i], interior))
    return out


def _palette(n: int) -> list:
    """``n`` distinct face colours: :data:`FACE_COLORS`, then matplotlib's tab20b/tab20c."""
    if n <= len(FACE_COLORS):
        return FACE_COLORS[:n]
    from matplotlib import colormaps
    from matplotlib.colors import to_hex
    extra = [to_hex(colormaps[name](k)) for name in ("tab20b", "tab20c") for k in range(20)]
    more = FACE_COLORS + [c for c in extra if c not in FACE_COLORS]
    return [more[i % len(more)] for i in range(n)]


def _legend_layout(entries, width):
    """(x pixel, row) of each legend entry in rows across ``width`` pixels."""
    x, row, out = 20, 0, []
    for name, _ in entries:
        w = 40 + 11 * len(name)
        if x + w > width - 20 and x > 20:
            x, row = 20, row + 1
        out.append((x, row))
        x += w + 24
    return out


def _outer_faces(grid):
    """Sorted point-index tuples of the boundary faces of a 3D grid (None in 2D)."""
    if grid.n_cells == 0 or grid.get_cell(0).dimension != 3:
        return None
    surf = grid.extract_surface(pass_pointid=True)
    ids = np.asarray(surf.point_data["vtkOriginalPointIds"])
    flat, out, k = np.asarray(surf.faces), set(), 0
    while k < len(flat):                      # [n, i1..in, n, ...]: triangles and quads
        n = int(flat[k])
        out.add(tuple(sorted(ids[flat[k + 1:k + 1 + n]].tolist())))
        k += n + 1
    return out


def regions(device_or_grid, png, *, title: str | None = None, show_edges: bool = True,
            faces: bool = True, window_size=None, show: bool = False, note: str | None = None):
    """Picture of the device: regions coloured, named faces (contacts, probes, top, sides,
    interfaces) in colour, each with a legend.

    3D: three panels with the same axes: the regions (with the mesh; interior interfaces
    opaque inside ghosted regions), the faces seen from above (+x, +y, +z) and the faces
    seen from below (−x, −y, −z), so that bottom interfaces are seen from their own side.
    2D: one panel, regions filled and named faces (edges of the section) as thick lines.

    Parameters
    ----------
    device_or_grid:
        A :class:`~kinetics.device.Device` or :class:`~kinetics.models.spin_charge.Solution`
        (collective), or a grid / ``.vtu`` path (rank 0 draws).  Needs cell data
        ``region``; faces need the facet field data of
        :func:`kinetics.output.grid.to_pyvista`.
    png:
        Output ``.png`` (atomic write).
    title:
        Text at the top (default "Regions and named faces").
    show_edges:
        Draw the mesh edges of the regions.
    faces:
        Draw the named faces (False: the regions only, one panel).
    note:
        Text under the title (default: the state of the grid, if any; ``""``: none).
    window_size, show:
        As in :func:`kinetics.plot.spin_accumulation_3d`; default 2100 × 800 for three
        panels.

    Returns
    -------
    pathlib.Path of the PNG on rank 0; None on the other ranks.

    Raises
    ------
    ValueError
        A grid without ``region``, a 1D device, a path not ending in ``.png``.
    RuntimeError
        No way to render off-screen.
    """

    def draw(grid, png_path):
        sc.require(grid, "region")
        unit, axes, dim = sc.meta(grid)
        names = sc.region_names(grid)
        region = np.asarray(grid.cell_data["region"])
        parts = []
        for i, tag in enumerate(sorted(set(names) | set(np.unique(region).tolist()))):
            ids = np.flatnonzero(region == tag)
            if len(ids):
                parts.append((names.get(int(tag), f"region {tag}"), grid.extract_cells(ids),
                              sc.REGION_COLORS[i % len(sc.REGION_COLORS)]))
        named = _faces(grid) if faces else []
        edges = sc.outlines(grid, dim)
        panels = 3 if dim == 3 and named else 1
        text = title if title is not None else \
            ("Regions and named faces" if named else "Regions")
        text_note = sc.state_note(grid) if note is None else note
        region_legend = [(n, c) for n, _, c in parts]
        face_legend = [(f"{n} (interior)" if inner else n, c) for n, _, c, inner in named]
        width = int(window_size[0]) if window_size is not None else 2100
        places = _legend_layout(region_legend + face_legend, width)
        rows = 1 + max((r for _, r in places), default=0)
        head = (130 if text_note else 100) + _ROW * (rows - 1)    # the title row, pixels
        size = tuple(int(v) for v in window_size) if window_size is not None else \
            ((width, 650 + head) if panels == 3 else sc.window(grid, axes, dim, None))

        def legend(pl, entries, top, left):
            for k, (name, color) in enumerate(entries):
                y = top - 28 * k
                pl.add_text("■", position=(left, y), font_size=15, color=color)
                pl.add_text(name, position=(left + 30, y), font_size=13, color="black")

        def legend_rows(pl, entries, top):
            """Coloured squares and names in rows across the title renderer (pixels)."""
            for (name, color), (x, row) in zip(entries, places):
                y = top - _ROW * row
                pl.add_text("■", position=(x, y), font_size=13, color=color)
                pl.add_text(name, position=(x + 26, y), font_size=11, color="black")

        def regions_panel(pl, panel_size):
            inner = [f for f in named if f[3]]
            for name, part, color in parts:
                pl.add_mesh(part, color=color, show_edges=show_edges and not inner,
                            edge_color="#555555", line_width=0.6, lighting=dim == 3,
                            ambient=0.4, diffuse=0.6, opacity=0.25 if inner else 1.0)
            if edges is not None:
                pl.add_mesh(edges, color="black", line_width=2.5, lighting=False)
            shown = inner if dim == 3 else named
            for name, part, color, _ in shown:
                pl.add_mesh(part, color=color, line_width=7, lighting=dim == 3,
                            ambient=0.45, diffuse=0.6)
            if panels == 1:
                entries = region_legend + [e for e, f in zip(face_legend, named) if f in shown]
                longest = max((len(n) for n, _ in entries), default=0)
                legend(pl, entries, panel_size[1] - 110,
                       max(panel_size[0] - 90 - 13 * longest, 10))
                sc.frame(pl, grid, text, unit, axes, dim, panel_size, note=text_note)
            else:
                what = "regions" + (" and interior faces" if inner else "")
                pl.add_text(what, position="upper_edge", font_size=11, color="black")
                sc.frame(pl, grid, "", unit, axes, dim, panel_size)
                pl.camera.zoom(0.8)                 # room for the axis labels

        def faces_panel(pl, panel_size, below):
            for name, part, color in parts:
                pl.add_mesh(part.extract_surface(), color=color, opacity=0.12, lighting=False)
            outer = [f for f in named if not f[3]]
            for name, part, color, _ in outer:
                pl.add_mesh(part, color=color, ambient=0.65, diffuse=0.45)
            if edges is not None:
                pl.add_mesh(edges, color="black", line_width=2.0, lighting=False)
            view = "below (−x, −y, −z)" if below else "above (+x, +y, +z)"
            pl.add_text(f"named faces seen from {view}", position="upper_edge", font_size=11,
                        color="black")
            sc.frame(pl, grid, "", unit, axes, dim, panel_size)
            if below:
                center = np.asarray(grid.center, dtype=float)
                pl.camera_position = [tuple(center + _BELOW * 4 * grid.length), tuple(center),
                                      (0.0, 0.0, 1.0)]
                pl.reset_camera(bounds=grid.bounds)
            pl.camera.zoom(0.8)

        def build(pl):
            pl.set_background("white")
            if panels == 1:
                regions_panel(pl, size)
                return
            # a title row over three panels (row 0 is one renderer spanning the width)
            pl.subplot(0, 0)
            pl.set_background("white")
            pl.add_text(text, position="upper_edge", font_size=14, color="black")
            if text_note:
                sc.screen_text(pl, text_note, 0.5, 1.0 - 50 / head, size=18,
                               color="#333333")
            legend_rows(pl, region_legend + face_legend, head - (105 if text_note else 75))
            panel_size = (size[0] // 3, size[1] - head)
            for k in range(3):
                pl.subplot(1, k)
                pl.set_background("white")
                if k == 0:
                    regions_panel(pl, panel_size)
                else:
                    faces_panel(pl, panel_size, below=k == 2)

        layout = {} if panels == 1 else dict(
            shape=(2, 3), row_weights=[head, size[1] - head],
            groups=[(0, np.s_[:])], border=False)
        return sc.render(png_path, build, size, show, **layout)

    return sc.dispatch(device_or_grid, png, draw, allow_device=True)
