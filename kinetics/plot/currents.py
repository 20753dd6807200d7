"""PyVista picture of the charge current: streamlines (or arrows) of j_c coloured by |j_c|.

:func:`current_streamlines` is re-exported by :mod:`kinetics.plot.fields` and
:mod:`kinetics.plot` (documented there); its inputs are those of the other field pictures
(:mod:`kinetics.plot.fields`).
"""

from __future__ import annotations

import numpy as np

from kinetics.plot import scene as sc
from kinetics.plot.common import readable_unit

__all__ = ["current_streamlines"]


def current_streamlines(grid_or_solution, png, *, n_seeds: int | None = None,
                        style: str = "streamlines",
                        outline: bool = True, title: str | None = None, cmap: str | None = None,
                        window_size=None, show: bool = False, note: str | None = None):
    """Picture of the charge current: streamlines of j_c coloured by |j_c|.

    The cell-averaged ``j_c`` of the grid is averaged to the points and normalized; the
    streamlines start on the plane through the device centre normal to the mean current
    (about ``n_seeds`` evenly spread seeds) and run both ways; cones at the seeds show the
    direction of flow.  On a 2D section the in-plane part of j_c is traced.  When the
    streamlines are degenerate (too short to read), arrows of j_c are drawn instead; on a
    2D section without in-plane current, the section is coloured by the normal component
    with ⊙/⊗ marks.  The title says which.

    Parameters
    ----------
    grid_or_solution:
        As in :func:`~kinetics.plot.fields.spin_accumulation_3d` (needs cell or point data
        ``j_c``, A/m²).
    png:
        Output ``.png`` (atomic write).
    n_seeds:
        Number of streamlines (default 36 in 3D, 12 in 2D).
    style:
        ``"streamlines"`` (default) or ``"arrows"`` (arrows of j_c coloured by |j_c|, the
        fallback for degenerate streamlines).
    outline:
        Draw the region outlines.
    title:
        Text at the top (default "Charge current density j").
    note:
        Smaller text under the title; default (None): how the current is drawn, the state
        (field data ``state`` or the magnetizations) and the current direction; ``""``:
        none.
    cmap:
        Colour map of |j_c| (default: plasma without its palest end); the colour bar is in
        A/m² times a power of ten.
    window_size, show:
        As in :func:`~kinetics.plot.fields.spin_accumulation_3d`.

    Returns
    -------
    pathlib.Path of the PNG on rank 0; None on the other ranks.

    Raises
    ------
    ValueError
        A grid without ``j_c``, ``n_seeds`` < 1, an unknown ``style``, a path not ending
        in ``.png``.
    RuntimeError
        No way to render off-screen.
    """
    if n_seeds is not None and int(n_seeds) < 1:
        raise ValueError(f"n_seeds must be >= 1, got {n_seeds}")
    if style not in ("streamlines", "arrows"):
        raise ValueError(f"unknown style {style!r}; use 'streamlines' or 'arrows'")

    note_text = note

    def draw(grid, png_path):
        import pyvista as pv
        sc.require(grid, "j_c")
        unit, axes, dim = sc.meta(grid)
        work = pv.UnstructuredGrid(grid.cells, grid.celltypes, grid.points) \
            if isinstance(grid, pv.UnstructuredGrid) else grid.copy()
        region = np.asarray(grid.cell_data["region"]) if "region" in grid.cell_data \
            else np.zeros(grid.n_cells, dtype=np.int32)
        work.cell_data["region"] = region
        if "j_c" in grid.cell_data:
            jc_cells = np.asarray(grid.cell_data["j_c"], dtype=float)
            tmp = work.copy()
            tmp.cell_data["j_c"] = jc_cells
            j = np.asarray(tmp.cell_data_to_point_data().point_data["j_c"], dtype=float)
        else:
            j = np.asarray(grid.point_data["j_c"], dtype=float)
            tmp = work.copy()
            tmp.point_data["j_c"] = j
            jc_cells = np.asarray(tmp.point_data_to_cell_data().cell_data["j_c"])
        normal, j_perp = None, np.zeros(len(j))
        jtot = float(np.linalg.norm(j, axis=1).max()) if len(j) else 0.0
        if dim == 2:
            normal = sc.plane_normal(axes)[0]
            j_perp = j @ normal
            j = j - np.outer(j_perp, normal)
            jc_cells = jc_cells - np.outer(jc_cells @ normal, normal)
        jmag = np.linalg.norm(j, axis=1)
        jmax = float(jmag.max()) if len(j) else 0.0
        if jmax <= 1e-6 * jtot:       # no in-plane current (2D): show the normal part
            jmax = 0.0
        work.point_data["_jhat"] = j / jmax if jmax > 0 else j
        div, junit = readable_unit(jmax, "A/m²")
        work.point_data["_jmag"] = jmag / div
        clim = [0.0, sc.nice_limit(jmax / div)]
        seeds_n = int(n_seeds) if n_seeds else (36 if dim == 3 else 12)
        cm = cmap if cmap is not None else sc.truncated("plasma", 0.0, 0.82)

        lines = seeds = arrows = None
        if jmax > 0:
            sizes = work.compute_cell_sizes(length=False, area=dim == 2, volume=dim == 3)
            w = np.abs(np.asarray(sizes.cell_data["Volume" if dim == 3 else "Area"]))
            mean = (w[:, None] * jc_cells).sum(axis=0)
            direction = mean / np.linalg.norm(mean) if np.linalg.norm(mean) > 1e-9 * jmax * \
                w.sum() else np.eye(3)[sc.AXIS[axes[0]]]
            center = np.asarray(work.center)
            if dim == 3:
                cut = work.slice(normal=direction, origin=center)
                basis = sc.in_plane_basis(direction)
                seeds, _ = sc.lattice_points(work, center, basis, seeds_n, float(cut.area))
            else:
                along = np.cross(normal, direction)
                cut = work.slice(normal=direction, origin=center)
                seeds, _ = sc.lattice_points(work, center, (along / np.linalg.norm(along),),
                                             seeds_n, float(cut.length))
            if seeds is not None and seeds.n_points and style == "streamlines":
                lines = work.streamlines_from_source(
                    pv.PolyData(np.asarray(seeds.points)), vectors="_jhat",
                    integration_direction="both", initial_step_length=0.2, step_unit="cl",
                    max_step_length=0.5, max_steps=4000, terminal_speed=1e-8,
                    max_time=8.0 * work.length, compute_vorticity=False)
                if lines.n_cells == 0 or sc.line_length(lines) < 0.25 * seeds.n_points * \
                        np.ptp(np.asarray(work.points) @ direction):
                    lines = None
            if lines is None:   # degenerate: arrows of j_c instead
                measure = float(work.area) if dim == 2 else float(work.volume)
                if dim == 2:
                    _, right, up = sc.plane_normal(axes)
                    cloud, spacing = sc.lattice_points(work, center, (right, up), 100, measure)
                else:
                    cloud, spacing = sc.lattice_points(work, center, tuple(np.eye(3)), 150,
                                                       measure)
                if cloud is not None:
                    vec = np.asarray(cloud.point_data["_jhat"]) * jmax
                    arrows = sc.arrows(np.asarray(cloud.points), vec, spacing, jmax,
                                       data={"_jmag": np.linalg.norm(vec, axis=1) / div})
        perp = perp_marks = None
        if jmax == 0.0 and jtot > 0 and dim == 2:
            # current only normal to the section: colours and ⊙/⊗ marks of j_c·n
            pdiv, punit = readable_unit(jtot, "A/m²")
            plim = sc.nice_limit(float(np.abs(j_perp).max()) / pdiv)
            work.point_data["_jperp"] = j_perp / pdiv
            _, right, up = sc.plane_normal(axes)
            cloud, spacing = sc.lattice_points(work, np.asarray(work.center), (right, up), 100,
                                               float(work.area))
            if cloud is not None:
                perp_marks = sc.out_of_plane_marks(
                    np.asarray(cloud.points) - normal * 0.02 * spacing,
                    np.asarray(cloud.point_data["_jperp"]) * pdiv, normal,
                    0.4 * 0.8 * spacing / jtot, spacing)
            ax = "xyz"[int(np.argmax(np.abs(normal)))]
            perp = (punit, plim, ax)
        cones = None
        if lines is not None:
            pts = np.asarray(seeds.points)
            gap = np.min(np.linalg.norm(pts[1:] - pts[:-1], axis=1)) if len(pts) > 1 \
                else work.length
            cones = sc.cones(pts, np.asarray(seeds.point_data["_jhat"]),
                             min(0.03 * work.length, 0.7 * gap))
        edges = sc.outlines(work, dim) if outline else None
        what = "j∥" if dim == 2 else "j"
        if lines is not None:
            note = ", in-plane part" if dim == 2 else ""
        elif arrows is not None:
            note = "" if style == "arrows" else " (arrows: the streamlines are degenerate)"
            note += ", in-plane part" if dim == 2 else ""
        elif perp is not None:
            note = f" along {perp[2]}, normal to the section"
        else:
            note = ": none"
        text = title if title is not None else f"Charge current density j{note}"
        if note_text is None:
            how = ""
            if lines is not None:
                how = "streamlines seeded on the mid-plane across the flow; cones point along it"
            elif arrows is not None:
                how = "arrows along j, length ∝ |j|"
            view = sc.view_note(grid, dim, axes, unit) if dim == 2 else \
                "the whole device (faint) seen from +x, +y, +z"
            text_note = "\n".join(p for p in (f"{view};  {how}" if how else view,
                                               sc.state_note(grid)) if p)
        else:
            text_note = note_text
        names = sc.region_names(grid)
        size = sc.window(grid, axes, dim, window_size)

        def build(pl):
            pl.set_background("white")
            if perp is not None:
                punit, plim, ax = perp
                pl.add_mesh(work, scalars="_jperp", cmap=sc.truncated("RdBu_r", 0.1, 0.9),
                            clim=[-plim, plim], lighting=False,
                            scalar_bar_args=sc.scalar_bar(f"j along {ax} ({punit})"))
                if perp_marks is not None:
                    pl.add_mesh(perp_marks, color="#111111", lighting=False)
                    pl.add_text(f"⊗ j into the page (+{ax})    ⊙ out of the page (−{ax})",
                                position="lower_left", font_size=11, color="black")
            for i, tag in enumerate(np.unique(region)):
                if perp is not None:
                    break
                part = work.extract_cells(np.flatnonzero(region == tag))
                pl.add_mesh(part.extract_surface() if dim == 3 else part,
                            color=sc.REGION_COLORS[i % len(sc.REGION_COLORS)],
                            opacity=0.2 if dim == 3 else 0.3, lighting=False,
                            label=names.get(int(tag), str(tag)))
            if edges is not None:
                pl.add_mesh(edges, color="black", line_width=2.0, lighting=False)
            bar = sc.scalar_bar(f"|{what}| ({junit})")
            if lines is not None:
                tube = lines.tube(radius=0.004 * work.length) if dim == 3 else lines
                pl.add_mesh(tube, scalars="_jmag", cmap=cm, clim=clim, scalar_bar_args=bar,
                            line_width=5, ambient=0.3, diffuse=0.8, lighting=dim == 3)
                if cones is not None:
                    pl.add_mesh(cones, color="#1a1a1a", lighting=dim == 3)
            elif arrows is not None:
                pl.add_mesh(arrows, scalars="_jmag", cmap=cm, clim=clim, scalar_bar_args=bar,
                            lighting=dim == 3)
            sc.frame(pl, work, text, unit, axes, dim, size, note=text_note)

        return sc.render(png_path, build, size, show)

    return sc.dispatch(grid_or_solution, png, draw)
