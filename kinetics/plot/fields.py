"""PyVista pictures of the fields: spin accumulation, current streamlines, regions.

Public functions are re-exported by :mod:`kinetics.plot` (documented there).  Each takes a
:class:`~kinetics.models.spin_charge.Solution` (collective; the fields are gathered to rank 0 with
:func:`kinetics.output.grid.to_pyvista`), a grid from :func:`kinetics.output.grid.to_pyvista` /
:func:`kinetics.output.grid.load_vtu`, or the path of a ``.vtu`` written by
:func:`kinetics.output.grid.save_vtu`; :func:`regions` also takes a
:class:`~kinetics.device.Device`.
"""

from __future__ import annotations

import numpy as np

from kinetics.plot import scene as sc
from kinetics.plot.common import readable_unit
from kinetics.plot.currents import current_streamlines
from kinetics.plot.regions import regions

__all__ = ["spin_accumulation_3d", "current_streamlines", "regions"]

COMPONENTS = ("|mu_s|", "x", "y", "z")
MU = "μₛ"


# ------------------------------------------------------------------------ spin accumulation
def spin_accumulation_3d(grid_or_solution, png, *, component: str = "|mu_s|",
                         glyphs: bool = True, glyph_factor: float | None = None,
                         max_arrows: int | None = None, clip=None, slices=None,
                         outline: bool = True, title: str | None = None, cmap: str | None = None,
                         window_size=None, show: bool = False, note: str | None = None):
    """Picture of the spin accumulation μ_s: arrows over the device coloured by a component.

    Parameters
    ----------
    grid_or_solution:
        A :class:`~kinetics.models.spin_charge.Solution` (collective: call on every rank), a
        grid from :func:`kinetics.output.grid.to_pyvista`/:func:`~kinetics.output.grid.load_vtu`,
        or a ``.vtu`` path (then rank 0 of ``MPI.COMM_WORLD`` draws; other ranks may pass None).
    png:
        Output ``.png`` (parent folders created; written under a temporary name, renamed).
    component:
        Colour: ``"|mu_s|"`` (magnitude, sequential colours) or ``"x"``, ``"y"``, ``"z"``
        (signed component, diverging colours centred on 0).  The colour bar is in V with a
        readable prefix (µV, mV, ...).
    glyphs:
        Draw μ_s as arrows at about ``max_arrows`` evenly spread points of the drawn
        surfaces (3D) or of the section (2D: the in-plane part of μ_s; an out-of-plane
        μ_s shows in the colours only).
    glyph_factor:
        Arrow length per volt of μ_s in coordinate units (nm/V by default); default: the
        largest |μ_s| gets 0.8 × the arrow spacing.
    max_arrows:
        Number of arrows (default 250 in 3D, 120 in 2D).
    clip:
        None, ``"x"``, ``"y"``, ``"z"`` or a normal 3-vector: cut the device by the plane
        through its centre with that normal and keep the half on the negative side, whose
        cut face (facing +normal, towards the isometric camera for positive normals) shows
        the interior, e.g. ``clip="y"`` shows the x-z cross-section through the thickness.
        3D only.
    slices:
        None, ``"x"``/``"y"``/``"z"`` (3 slices normal to that axis), ``(axis, n)`` (n evenly
        spaced slices) or ``(axis, [positions])`` (in coordinate units): coloured slices
        inside a faint outline of the device, e.g. ``("z", 3)`` for three heights through a
        film.  3D only; not together with ``clip``.
    outline:
        Draw the region outlines (black lines).
    title:
        Text at the top; default "Spin accumulation" and what the colours show.
    note:
        Smaller text under the title; default (None): what is shown (the faces seen, the cut
        or the slice positions) and, on a second line, the state (field data ``state``, or
        the magnetizations) and the direction of the charge current.  ``""``: none.
    cmap:
        Matplotlib colour map name (default ``"viridis"`` for the magnitude, ``"RdBu_r"``
        for a component).
    window_size:
        Image size in pixels; default (1400, 1000) in 3D, 1600 wide in 2D.
    show:
        Also open an interactive window when a display exists (otherwise a warning).

    Returns
    -------
    pathlib.Path of the PNG on rank 0; None on the other ranks.

    Raises
    ------
    ValueError
        Unknown ``component``, a bad ``clip`` or ``slices``, ``clip`` or ``slices`` on a 2D
        section, both of them, a grid without ``mu_s``, or a path not ending in ``.png``.
    RuntimeError
        No way to render off-screen (see :func:`kinetics.plot.common.ensure_display`).
    """
    if component not in COMPONENTS:
        raise ValueError(f"unknown component {component!r}; use one of "
                         f"{', '.join(map(repr, COMPONENTS))}")
    if clip is not None and slices is not None:
        raise ValueError("choose clip or slices, not both")
    if clip is not None:
        sc.parse_normal(clip)

    def draw(grid, png_path):
        import pyvista as pv
        sc.require(grid, "mu_s")
        unit, axes, dim = sc.meta(grid)
        if dim == 2 and (clip is not None or slices is not None):
            raise ValueError("clip and slices cut 3D devices; this grid is a 2D section "
                             f"in the {axes} plane")
        mu = np.asarray(grid.point_data["mu_s"], dtype=float)
        if component == "|mu_s|":
            values, label = np.linalg.norm(mu, axis=1), f"|{MU}|"
        else:
            values, label = mu[:, sc.AXIS[component]], f"{MU},{component}"
        vmax_all = float(np.max(np.abs(values))) if len(values) else 0.0
        vmax_vec = float(np.max(np.linalg.norm(mu, axis=1))) if len(mu) else 0.0
        div, vunit = readable_unit(vmax_vec, "V")    # the unit of |μ_s| for every component
        work = pv.UnstructuredGrid(grid.cells, grid.celltypes, grid.points) \
            if isinstance(grid, pv.UnstructuredGrid) else grid.copy()
        if "region" in grid.cell_data:
            work.cell_data["region"] = grid.cell_data["region"]
        work.point_data["_c"] = values / div
        work.point_data["_mu"] = mu
        lim = sc.nice_limit(vmax_all / div)
        if component == "|mu_s|":
            clim, cm = [0.0, lim], cmap or sc.truncated("viridis", 0.22, 1.0)
        else:
            clim, cm = [-lim, lim], cmap or sc.truncated("RdBu_r", 0.1, 0.9)
        n_arrows = max_arrows if max_arrows is not None else (250 if dim == 3 else 120)

        cut_normal = sc.parse_normal(clip) if clip is not None else None
        shown, edges, arrow_sets = [], None, []
        if slices is not None:
            spec = sc.slice_spec(slices, work)
            for n, o in spec:
                piece = work.slice(normal=n, origin=o)
                if piece.n_points:
                    shown.append(piece)
                    u, v = sc.in_plane_basis(n)
                    arrow_sets.append(sc.lattice_points(work, o, (u, v), n_arrows // len(spec),
                                                        float(piece.area)) + (None,))
            if outline:
                edges = sc.merge([sc.outlines(work, 3)] + [sc.outlines(p, 2) for p in shown])
        else:
            body = work.clip(normal=cut_normal, origin=work.center, invert=True) \
                if cut_normal is not None else work
            shown.append(body)
            if outline:
                parts = [sc.outlines(work, dim)]
                if cut_normal is not None:
                    parts = [parts[0].clip(normal=cut_normal, origin=work.center, invert=True)
                             if parts[0] is not None else None,
                             sc.outlines(work.slice(normal=cut_normal, origin=work.center), 2)]
                edges = sc.merge(parts)
            if dim == 3:
                surf = body.extract_surface().compute_normals(
                    point_normals=False, cell_normals=True, auto_orient_normals=True,
                    split_vertices=False, consistent_normals=True)
                centers = surf.point_data_to_cell_data(pass_point_data=False).cell_centers()
                # only faces seen by the isometric camera carry arrows
                facing = np.asarray(centers.point_data["Normals"]) @ sc.ISO_VIEW > 0.05
                sizes = surf.compute_cell_sizes(length=False, area=True, volume=False)
                measure = float(np.asarray(sizes.cell_data["Area"])[facing].sum())
                centers = centers.extract_points(facing, adjacent_cells=False,
                                                 include_cells=False)
                ids = sc.spread(np.asarray(centers.points), n_arrows, measure, 2)
                spacing = np.sqrt(measure / max(len(ids), 1))
                picked = pv.PolyData(np.asarray(centers.points)[ids])
                picked.point_data["_mu"] = np.asarray(centers.point_data["_mu"])[ids]
                arrow_sets.append((picked, spacing,
                                   np.asarray(centers.point_data["Normals"])[ids]))
            else:
                normal, right, up = sc.plane_normal(axes)
                arrow_sets.append(sc.lattice_points(work, np.asarray(work.center), (right, up),
                                                    n_arrows, float(work.area)) + (None,))
        arrows = symbols = None
        symbol_note = ""
        if glyphs:
            pieces, marks = [], []
            for cloud, spacing, normals in arrow_sets:
                if cloud is None or cloud.n_points == 0:
                    continue
                vec = np.asarray(cloud.point_data["_mu"])
                pts = np.asarray(cloud.points)
                factor = glyph_factor if glyph_factor is not None else \
                    (0.8 * spacing / vmax_vec if vmax_vec > 0 else 0.0)
                lift = None
                if normals is not None:
                    # arrows stand on the outer side of the surface: an arrow pointing
                    # inwards is moved out so that its tip touches the surface
                    depth = np.minimum(np.einsum("ij,ij->i", vec, normals), 0.0) * factor
                    lift = normals * (0.05 * spacing - depth)[:, None]
                if dim == 2:
                    normal = sc.plane_normal(axes)[0]
                    out_of_plane = vec @ normal
                    vec = vec - np.outer(out_of_plane, normal)   # the in-plane part
                    pts = pts - normal * 0.02 * spacing          # in front of the section
                    marks.append(sc.out_of_plane_marks(pts, out_of_plane, normal,
                                                       0.4 * factor, spacing))
                a = sc.arrows(pts, vec, spacing, vmax_vec, factor, lift)
                if a is not None:
                    pieces.append(a)
            arrows = sc.merge(pieces)
            symbols = sc.merge(marks)
            if symbols is not None:
                ax = "xyz"[int(np.argmax(np.abs(sc.plane_normal(axes)[0])))]
                symbol_note = f"⊗ {MU} into the page (+{ax})    ⊙ out of the page (−{ax})"
        what = f"|{MU}|" if component == "|mu_s|" else f"{MU},{component}"
        text = title if title is not None else \
            f"Spin accumulation: colours {what}" + (f", arrows {MU}" if arrows is not None
                                                    else "")
        if note is None:
            cut = dict(normal=cut_normal, origin=np.asarray(work.center)) \
                if cut_normal is not None else {}
            view = sc.view_note(grid, dim, axes, unit, slices=spec if slices is not None
                                else None, **cut)
            text_note = "\n".join(p for p in (view, sc.state_note(grid)) if p)
        else:
            text_note = note
        arrow_note = ""
        if arrows is not None:
            part = f"in-plane part of {MU}" if dim == 2 else MU
            arrow_note = (f"arrows: {part}, length ∝ |{MU}|, the longest "
                          f"{vmax_vec / div:.3g} {vunit}")
        size = sc.window(grid, axes, dim, window_size)
        bar = sc.scalar_bar(f"{label} ({vunit})")

        def build(pl):
            pl.set_background("white")
            if slices is not None or clip is not None:   # a ghost of the whole device
                pl.add_mesh(work.extract_surface(), color="#bbbbbb", opacity=0.12,
                            lighting=False)
            for k, part in enumerate(shown):
                pl.add_mesh(part, scalars="_c", cmap=cm, clim=clim, show_scalar_bar=k == 0,
                            scalar_bar_args=bar, ambient=0.45, diffuse=0.6, specular=0.0,
                            lighting=dim == 3, interpolate_before_map=True)
            if edges is not None:
                pl.add_mesh(edges, color="black", line_width=2.5, lighting=False)
            if arrows is not None:
                pl.add_mesh(arrows, color="#111111", ambient=0.35, diffuse=0.7,
                            specular=0.3, lighting=dim == 3)
            if symbols is not None:
                pl.add_mesh(symbols, color="#111111", lighting=False)
                pl.add_text(symbol_note, position="lower_left", font_size=11, color="black")
            if arrow_note:
                sc.screen_text(pl, arrow_note, 0.99, 0.01 + 30 / size[1], size=14, h="right",
                               v="bottom")
            sc.frame(pl, work, text, unit, axes, dim, size, note=text_note)

        return sc.render(png_path, build, size, show)

    return sc.dispatch(grid_or_solution, png, draw)
