"""Lateral devices: the Hall bar, box assemblies and the nonlocal spin valve.

Lengths are metres; see :mod:`kinetics.geometry.builders` for the common keyword arguments
(``h``, ``refine``, ``cells_across``, ``comm``, ``cache``, ``verbose``) and the facet
naming scheme.
"""

from __future__ import annotations

from kinetics.geometry import _gmsh
from kinetics.geometry.builders import extruded
from kinetics.geometry.checks import (check_cells_across, check_grading, check_name, check_refine,
                                      check_thin_layers, check_volume_map, positive)

__all__ = ["hall_bar", "blocks", "nonlocal_spin_valve"]

NM = _gmsh.NM


def hall_bar(length: float, width: float, thickness: float, *, arm_width: float | None = None,
             arm_length: float | None = None, arm_positions=(0.0,), name: str = "pt",
             interface: str = "pt|yig", h: float | None = None, refine: dict | None = None,
             cells_across: int | None = None, grading: float = 0.0, comm=None, cache=False,
             verbose: bool = False):
    """A Hall bar: a film bar with current contacts at its ends and pairs of voltage arms.

    The bar lies along x, centred on the origin: ``[-length/2, length/2] x [-width/2,
    width/2] x [0, thickness]``, on the magnetic insulator (its bottom face).  Each arm
    position x_i carries a pair of arms ``[x_i - arm_width/2, x_i + arm_width/2]`` reaching
    ``arm_length`` beyond the bar on either side (y > width/2 and y < -width/2).

    Parameters
    ----------
    length, width, thickness:
        Bar size (m).
    arm_width:
        Arm width along x (m); default ``width / 2``.
    arm_length:
        How far each arm sticks out of the bar along y (m); default ``width``.
    arm_positions:
        x positions of the arm pairs' centres (m, relative to the bar centre); one pair per
        entry, numbered 1, 2, ... in this order.  Default: one pair at the centre.
    name:
        Region name of the film (default ``"pt"``).
    interface:
        Name of the bottom face, the heavy-metal|magnetic-insulator boundary
        (default ``"pt|yig"``).
    h:
        Maximum element size (m); default ``min(thickness, arm_width/2)`` (unstructured) or
        ``arm_width / 4`` (structured).
    refine, cells_across, comm, cache, verbose:
        See :mod:`kinetics.geometry.builders` (``cells_across``: an int).
    grading:
        With ``cells_across``: clusters the layers toward the top and bottom faces
        (see :mod:`kinetics.geometry.builders`).

    Returns
    -------
    Device
        Region ``name``.  Boundaries: ``interface`` (bottom), ``"<name>_top"``,
        ``"contact_left"`` (x = -length/2), ``"contact_right"`` (x = +length/2),
        ``"probe_<i>_ymax"`` and ``"probe_<i>_ymin"`` (end faces of the arms of pair i at
        +y and -y), ``"<name>_sides"`` (all other side walls).

    Raises
    ------
    ValueError
        Non-positive sizes; arms outside the bar, touching a contact or each other
        (``|x_i| + arm_width/2 < length/2``, centres more than ``arm_width`` apart); no
        arms; a film thinner than the minimum element size (unstructured).
    KeyError
        ``refine`` names an unknown facet.
    """
    L, W, t = positive("length", length), positive("width", width), positive("thickness", thickness)
    wa = positive("arm_width", width / 2 if arm_width is None else arm_width)
    la = positive("arm_length", width if arm_length is None else arm_length)
    name = check_name("name", name)
    if not isinstance(interface, str) or not interface:
        raise ValueError(f"interface must be a non-empty facet name, got {interface!r}")
    try:
        xs = [float(x) for x in arm_positions]
    except TypeError:
        raise ValueError(f"arm_positions must be a list of x positions (m), got {arm_positions!r}") from None
    if not xs:
        raise ValueError("arm_positions is empty: a Hall bar needs at least one pair of arms")
    for i, x in enumerate(xs, start=1):
        if not abs(x) + wa / 2 < L / 2:
            raise ValueError(f"arm pair {i} at x = {x:.4g} m (arm_width {wa:.4g} m) is not inside "
                             f"the bar (|x| + arm_width/2 must be < length/2 = {L / 2:.4g} m)")
    srt = sorted(xs)
    for x0, x1 in zip(srt, srt[1:]):
        if not x1 - x0 > wa:
            raise ValueError(f"arm pairs at x = {x0:.4g} m and {x1:.4g} m overlap or touch: "
                             f"centres must be more than arm_width = {wa:.4g} m apart")
    refine = check_refine(refine)
    cells = check_cells_across(cells_across, [name])
    if h is None:
        h = wa / 4 if cells else min(t, wa / 2)
    h = positive("h", h)
    if cells is None:
        check_thin_layers([(name, t)], h, refine)

    def base(occ):
        bar = occ.addRectangle(-L / 2 / NM, -W / 2 / NM, 0, L / NM, W / NM)
        arms = []
        for x in xs:
            x0 = (x - wa / 2) / NM
            arms.append(occ.addRectangle(x0, W / 2 / NM, 0, wa / NM, la / NM))
            arms.append(occ.addRectangle(x0, -(W / 2 + la) / NM, 0, wa / NM, la / NM))
        out, _ = occ.fuse([(2, bar)], [(2, a) for a in arms])
        if len(out) != 1:
            raise ValueError(f"the Hall bar outline fused into {len(out)} pieces, expected one "
                             f"(arms {xs} with arm_width {wa})")
        return out

    tol = 1e-6 * L / NM

    def namer(info):
        side, c = info["side"], info["center"]
        if side == "bottom":
            return interface
        if side == "top":
            return f"{name}_top"
        if side == "xmin":
            return "contact_left"
        if side == "xmax":
            return "contact_right"
        if side in ("ymin", "ymax"):
            for i, x in enumerate(xs, start=1):
                if abs(c[0] - x / NM) < wa / 2 / NM + tol:
                    return f"probe_{i}_{side}"
        return f"{name}_sides"

    params = {"L": L, "W": W, "t": t, "wa": wa, "la": la, "xs": xs, "name": name,
              "interface": interface, "h": h, "refine": refine, "cells": cells,
              "grading": check_grading(grading, cells)}
    return extruded("hall_bar", params, base=base, layers=[(name, t)], namer=namer, dim=3,
                     h=h, refine=refine, cells=cells, comm=comm, cache=cache, verbose=verbose,
                     axes="xyz", grading=grading)


def _check_box(name, box, dim):
    try:
        lo, hi = box
        lo, hi = [float(v) for v in lo], [float(v) for v in hi]
    except (TypeError, ValueError):
        raise ValueError(f"box '{name}' must be ((x0, y0, z0), (x1, y1, z1)) in metres "
                         f"((x0, z0), (x1, z1) in 2D), got {box!r}") from None
    if len(lo) != dim or len(hi) != dim:
        raise ValueError(f"box '{name}' needs {dim} coordinates per corner for dim={dim}, got {box!r}")
    for k in range(dim):
        positive(f"box '{name}' extent along axis {k}", hi[k] - lo[k])
    return lo, hi


def blocks(boxes: dict, *, rename: dict | None = None, dim: int = 3, h: float | None = None,
           refine: dict | None = None, comm=None, cache=False, verbose: bool = False):
    """An assembly of named axis-aligned boxes (rectangles in 2D), meshed conformally.

    Boxes may touch (the shared part becomes an interface) but not overlap.

    Parameters
    ----------
    boxes:
        ``{region: ((x0, y0, z0), (x1, y1, z1))}`` opposite corners in metres; in 2D
        ``((x0, z0), (x1, z1))`` in the x-z plane.  The dict order is the interface order:
        an interface between a and b is ``"a|b"`` with a listed first.
    rename:
        ``{default_facet_name: new_name}`` (several may share a new name, which merges them).
    dim:
        3 or 2 (``axes="xz"``).
    h:
        Maximum element size (m); default the smallest box extent.
    refine, comm, cache, verbose:
        See :mod:`kinetics.geometry.builders` (unstructured meshes only).

    Returns
    -------
    Device
        Regions: the box names.  Boundaries: ``"a|b"`` interfaces and ``"<region>_<side>"``
        exterior faces (side ``xmin``, ``xmax``, ``ymin``, ``ymax``, ``bottom``, ``top``;
        a face part that is not at the box's own extreme, ``"<region>_sides"``), renamed
        by ``rename``.

    Raises
    ------
    ValueError
        Empty or malformed boxes, non-positive extents, overlapping boxes (detected after
        gmsh's fragment: a shared volume, or a box split into several volumes), a box
        thinner than the minimum element size.
    KeyError
        ``rename`` or ``refine`` names an unknown facet (the message lists them).
    """
    if dim not in (2, 3):
        raise ValueError(f"dim must be 2 or 3, got {dim!r}")
    if not isinstance(boxes, dict) or not boxes:
        raise ValueError(f"boxes must be a non-empty dict {{region: (lo, hi)}}, got {boxes!r}")
    spec = {check_name("region name", n): _check_box(n, b, dim) for n, b in boxes.items()}
    rename = dict(rename or {})
    refine = check_refine(refine)
    thick = {n: min(hi[k] - lo[k] for k in range(dim)) for n, (lo, hi) in spec.items()}
    if h is None:
        h = min(thick.values())
    h = positive("h", h)
    check_thin_layers(list(thick.items()), h, refine, kind="box")
    order = list(spec)
    refine_nm = {k: (v[0] / NM, v[1] / NM) for k, v in refine.items()}

    def construct(session):
        gmsh = session.gmsh
        occ = gmsh.model.occ
        ents = []
        for lo, hi in spec.values():
            a = [v / NM for v in lo]
            d = [(hv - lv) / NM for lv, hv in zip(lo, hi)]
            ents.append((dim, occ.addBox(*a, *d) if dim == 3 else
                         occ.addRectangle(a[0], a[1], 0, d[0], d[1])))
        if len(ents) > 1:
            _, maps = occ.fragment(ents[:1], ents[1:])
        else:
            maps = [ents]
        occ.synchronize()
        mapping = {n: [t for dd, t in m if dd == dim] for n, m in zip(order, maps)}
        check_volume_map(mapping, {n: 1 for n in order})
        region_of = {v: n for n, vs in mapping.items() for v in vs}
        facets = _gmsh.classify_facets(gmsh, dim, region_of, order, _gmsh.default_namer)
        unknown = [k for k in rename if k not in facets]
        if unknown:
            raise KeyError(f"rename: unknown facet name(s) {unknown}; facets: {', '.join(facets)}")
        named: dict[str, list[int]] = {}
        for k, v in facets.items():
            named.setdefault(rename.get(k, k), []).extend(v)
        _gmsh.add_groups(gmsh, dim, mapping, dict(sorted(named.items())))
        _gmsh.apply_sizes(session, dim, h / NM, refine_nm, named)
        gmsh.model.mesh.generate(dim)

    params = {"boxes": spec, "rename": rename, "dim": dim, "h": h, "refine": refine}
    return _gmsh.build_device("blocks", params, construct, tdim=dim,
                              axes="xyz" if dim == 3 else "xz", comm=comm, cache=cache,
                              verbose=verbose)


def nonlocal_spin_valve(channel_length: float, channel_width: float, channel_thickness: float,
                        *, fm_widths=(None, None), gap: float, fm_thickness: float,
                        fm_length: float | None = None, dim: int = 3, h: float | None = None,
                        refine: dict | None = None, comm=None, cache=False,
                        verbose: bool = False):
    """A lateral nonlocal spin valve: a nonmagnetic channel crossed by two ferromagnetic bars.

    The channel lies along x, centred on the origin: ``[-Lc/2, Lc/2] x [-wc/2, wc/2] x
    [0, tc]``.  The electrodes are bars along y lying on the channel
    (``tc <= z <= tc + t_fm``), fm1 at ``[-gap/2 - w1, -gap/2]`` and fm2 at
    ``[gap/2, gap/2 + w2]`` along x (``gap`` is the edge-to-edge spacing), each
    ``fm_length`` long along y (centred, overhanging the channel).  With ``dim=2`` the
    device is the x-z cross-section through y = 0.

    Parameters
    ----------
    channel_length, channel_width, channel_thickness:
        Channel size (m); ``channel_width`` is ignored in 2D.
    fm_widths:
        ``(w1, w2)`` electrode widths along x (m); ``None`` entries default to
        ``channel_width / 2`` (in 2D: ``gap / 2``).  Different widths give different
        coercive fields in experiments.
    gap:
        Edge-to-edge spacing of the electrodes (m).
    fm_thickness:
        Electrode thickness (m).
    fm_length:
        Electrode length along y (m), at least the channel width; default
        ``3 * channel_width``.
    dim:
        3 or 2 (x-z cross-section, ``axes="xz"``).
    h:
        Maximum element size (m); default the thinnest film.
    refine, comm, cache, verbose:
        See :mod:`kinetics.geometry.builders` (unstructured meshes only).

    Returns
    -------
    Device
        Regions ``"channel"``, ``"fm1"``, ``"fm2"``.  Boundaries: ``"channel|fm1"``,
        ``"channel|fm2"`` (interfaces), ``"contact_left"``, ``"contact_right"`` (channel
        ends), ``"channel_bottom"`` (on the substrate), ``"channel_top"`` (uncovered top),
        ``"channel_ymin"``, ``"channel_ymax"`` (3D), and per electrode ``"fm<i>_top"``,
        ``"fm<i>_xmin"``, ``"fm<i>_xmax"``, ``"fm<i>_ymin"``, ``"fm<i>_ymax"`` (the
        electrode ends, 3D) and ``"fm<i>_bottom"`` (the overhang beside the channel, 3D).

    Raises
    ------
    ValueError
        Non-positive sizes; electrodes that touch or overlap (gap <= 0) or reach the channel
        ends (``gap/2 + w_i`` must be < ``Lc/2``); ``fm_length`` shorter than the channel
        width; films thinner than the minimum element size.
    KeyError
        ``refine`` names an unknown facet.
    """
    Lc = positive("channel_length", channel_length)
    wc = positive("channel_width", channel_width) if dim == 3 else channel_width
    tc = positive("channel_thickness", channel_thickness)
    g = positive("gap (edge-to-edge electrode spacing; electrodes must not touch)", gap)
    tf = positive("fm_thickness", fm_thickness)
    try:
        w1, w2 = fm_widths
    except (TypeError, ValueError):
        raise ValueError(f"fm_widths must be (w1, w2) in metres, got {fm_widths!r}") from None
    default_w = (wc / 2) if dim == 3 else g / 2
    w1 = positive("fm_widths[0]", default_w if w1 is None else w1)
    w2 = positive("fm_widths[1]", default_w if w2 is None else w2)
    for i, w in ((1, w1), (2, w2)):
        if not g / 2 + w < Lc / 2:
            raise ValueError(f"electrode fm{i} (gap/2 + width = {g / 2 + w:.4g} m) reaches the "
                             f"channel end at {Lc / 2:.4g} m: shorten gap or fm_widths, or "
                             f"lengthen the channel")
    if dim == 3:
        lf = positive("fm_length", 3 * wc if fm_length is None else fm_length)
        if lf < wc:
            raise ValueError(f"fm_length = {lf:.4g} m must be at least channel_width = {wc:.4g} m "
                             f"(the electrodes cross the channel)")
        boxes = {"channel": ((-Lc / 2, -wc / 2, 0.0), (Lc / 2, wc / 2, tc)),
                 "fm1": ((-g / 2 - w1, -lf / 2, tc), (-g / 2, lf / 2, tc + tf)),
                 "fm2": ((g / 2, -lf / 2, tc), (g / 2 + w2, lf / 2, tc + tf))}
    elif dim == 2:
        boxes = {"channel": ((-Lc / 2, 0.0), (Lc / 2, tc)),
                 "fm1": ((-g / 2 - w1, tc), (-g / 2, tc + tf)),
                 "fm2": ((g / 2, tc), (g / 2 + w2, tc + tf))}
    else:
        raise ValueError(f"dim must be 2 or 3, got {dim!r}")
    if h is None:
        h = min(tc, tf)
    return blocks(boxes, rename={"channel_xmin": "contact_left", "channel_xmax": "contact_right"},
                  dim=dim, h=h, refine=refine, comm=comm, cache=cache, verbose=verbose)
