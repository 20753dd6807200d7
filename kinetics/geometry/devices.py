"""Lateral devices: the Hall bar, box assemblies and the nonlocal spin valve.

Lengths are metres; see :mod:`kinetics.geometry.builders` for the common keyword arguments
(``h``, ``refine``, ``cells_across``, ``comm``, ``cache``, ``verbose``) and the facet
naming scheme.
"""

from __future__ import annotations

import math

from kinetics.geometry import _gmsh, names
from kinetics.geometry.builders import Plan, extruded_plan
from kinetics.geometry.checks import (check_cells_across, check_dim, check_grading, check_h,
                                      check_name, check_refine, check_thin_layers,
                                      check_count, check_volume_map, coordinate, estimate_cells,
                                      positive)

__all__ = ["hall_bar", "blocks", "nonlocal_spin_valve", "hall_bar_plan", "blocks_plan",
           "nonlocal_spin_valve_plan"]

NM = _gmsh.NM


def hall_bar_plan(length: float, width: float, thickness: float, *,
                  arm_width: float | None = None, arm_length: float | None = None,
                  arm_positions=(0.0,), name: str = "pt", interface: str = "pt|yig",
                  h: float | None = None, refine: dict | None = None,
                  cells_across: int | None = None, grading: float = 0.0) -> Plan:
    """Check the arguments of :func:`hall_bar` and name its regions and facets (no gmsh).

    Returns
    -------
    Plan

    Raises
    ------
    ValueError, KeyError
        As :func:`hall_bar`.
    """
    L, W, t = positive("length", length), positive("width", width), positive("thickness", thickness)
    wa = positive("arm_width", width / 2 if arm_width is None else arm_width)
    la = positive("arm_length", width if arm_length is None else arm_length)
    name = check_name("name", name)
    if not isinstance(interface, str) or not interface or interface != interface.strip():
        raise ValueError(f"interface must be a non-empty facet name, got {interface!r}")
    if isinstance(arm_positions, (str, bytes, dict)) or not hasattr(arm_positions, "__iter__"):
        raise ValueError(f"arm_positions must be a list of x positions (m), got {arm_positions!r}")
    xs = list(arm_positions)
    check_count("arm_positions", xs)
    xs = [coordinate(f"arm_positions[{i}]", x) for i, x in enumerate(xs)]
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
    grading = check_grading(grading, cells)

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

    namer = names.hall_bar_namer(name, interface, [x / NM for x in xs], wa / 2 / NM,
                                 1e-6 * L / NM)
    Y = (W / 2 + la) / NM
    sides = [{"side": "xmin", "center": (-L / 2 / NM, 0.0, 0.0)},
             {"side": "xmax", "center": (L / 2 / NM, 0.0, 0.0)},
             {"side": "inner", "center": (0.0, W / 2 / NM, 0.0)}]
    sides += [{"side": s, "center": (x / NM, y, 0.0)} for x in xs
              for s, y in (("ymax", Y), ("ymin", -Y))]
    params = {"L": L, "W": W, "t": t, "wa": wa, "la": la, "xs": xs, "name": name,
              "interface": interface, "h": h, "refine": refine, "cells": cells,
              "grading": grading}
    return extruded_plan("hall_bar", params, base=base, layers=[(name, t)], namer=namer,
                         sides=sides, dim=3, h=h, refine=refine, cells=cells, axes="xyz",
                         area=L * W + 2 * len(xs) * wa * la, extent=max(L, W + 2 * la, t),
                         grading=grading)


@names.checked_keywords
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
        Lengths that are not numbers, NaN, infinite, non-positive, above 1 m or below
        1e-12 m; ``h`` larger than the device; arms outside the bar, touching a contact or each other
        (``|x_i| + arm_width/2 < length/2``, centres more than ``arm_width`` apart); no
        arms; a film thinner than the minimum element size (unstructured).
    KeyError
        ``refine`` names an unknown facet.
    """
    return hall_bar_plan(length, width, thickness, arm_width=arm_width, arm_length=arm_length,
                         arm_positions=arm_positions, name=name, interface=interface, h=h,
                         refine=refine, cells_across=cells_across,
                         grading=grading).build(comm, cache, verbose)


def _check_box(name, box, dim):
    try:
        lo, hi = box
        lo, hi = list(lo), list(hi)
    except (TypeError, ValueError):
        raise ValueError(f"box '{name}' must be ((x0, y0, z0), (x1, y1, z1)) in metres "
                         f"((x0, z0), (x1, z1) in 2D), got {box!r}") from None
    if len(lo) != dim or len(hi) != dim:
        raise ValueError(f"box '{name}' needs {dim} coordinates per corner for dim={dim}, got {box!r}")
    lo = [coordinate(f"box '{name}' corner 0 coordinate {k}", v) for k, v in enumerate(lo)]
    hi = [coordinate(f"box '{name}' corner 1 coordinate {k}", v) for k, v in enumerate(hi)]
    for k in range(dim):
        positive(f"box '{name}' extent along axis {k}", hi[k] - lo[k])
    return lo, hi


def blocks_plan(boxes: dict, *, rename: dict | None = None, dim: int = 3,
                h: float | None = None, refine: dict | None = None) -> Plan:
    """Check the arguments of :func:`blocks` and name its regions and facets (no gmsh).

    The facet names follow from which boxes touch (:func:`kinetics.geometry.names.box_facets`).

    Returns
    -------
    Plan

    Raises
    ------
    ValueError, KeyError
        As :func:`blocks`.
    """
    dim = check_dim(dim)
    if not isinstance(boxes, dict) or not boxes:
        raise ValueError(f"boxes must be a non-empty dict {{region: (lo, hi)}}, got {boxes!r}")
    check_count("boxes", boxes)
    spec = {check_name("region name", n): _check_box(n, b, dim) for n, b in boxes.items()}
    if rename is not None and not isinstance(rename, dict):
        raise ValueError(f"rename must be a dict {{facet_name: new_name}}, got {rename!r}")
    rename = dict(rename or {})
    for old, new in rename.items():
        if not isinstance(new, str) or not new or new != new.strip():
            raise ValueError(f"rename['{old}'] must be a non-empty facet name, got {new!r}")
    refine = check_refine(refine)
    thick = {n: min(hi[k] - lo[k] for k in range(dim)) for n, (lo, hi) in spec.items()}
    if h is None:
        h = min(thick.values())
    h = positive("h", h)
    check_thin_layers(list(thick.items()), h, refine, kind="box")
    lo_all = [min(lo[k] for lo, _ in spec.values()) for k in range(dim)]
    hi_all = [max(hi[k] for _, hi in spec.values()) for k in range(dim)]
    extent = max(b - a for a, b in zip(lo_all, hi_all))
    check_h(h, extent)
    order = list(spec)
    tol = max(_gmsh.PLANE_TOL * extent / NM, 1e-5)
    spec_nm = {n: ([v / NM for v in lo], [v / NM for v in hi]) for n, (lo, hi) in spec.items()}
    default = names.box_facets(spec_nm, dim, tol)
    unknown = [k for k in rename if k not in default]
    if unknown:
        raise KeyError(f"rename: unknown facet name(s) {unknown}; facets: {', '.join(default)}")
    facets = sorted({rename.get(k, k) for k in default})
    for name in refine:
        if name not in facets:
            raise KeyError(f"refine: unknown facet name '{name}'; facets of this device: "
                           f"{', '.join(facets)}")
    volume = sum(math.prod(hi[k] - lo[k] for k in range(dim)) for lo, hi in spec.values())
    face = max(math.prod(hi_all[j] - lo_all[j] for j in range(dim) if j != k) for k in range(dim))
    n_cells = estimate_cells(volume, h, dim, refine, face)
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
        found = _gmsh.classify_facets(gmsh, dim, region_of, order, names.default_namer)
        missing = [k for k in rename if k not in found]
        if missing:
            raise KeyError(f"rename: unknown facet name(s) {missing}; facets: {', '.join(found)}")
        named: dict[str, list[int]] = {}
        for k, v in found.items():
            named.setdefault(rename.get(k, k), []).extend(v)
        _gmsh.add_groups(gmsh, dim, mapping, dict(sorted(named.items())))
        _gmsh.apply_sizes(session, dim, h / NM, refine_nm, named)
        gmsh.model.mesh.generate(dim)

    params = {"boxes": spec, "rename": rename, "dim": dim, "h": h, "refine": refine}
    return Plan("blocks", params, dim, "xyz" if dim == 3 else "xz", order, facets, n_cells,
                construct, {"h": h, "refine": refine})


@names.checked_keywords
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
        Empty or malformed boxes, coordinates that are not finite numbers or exceed 1 m,
        extents outside [1e-12 m, 1 m], overlapping boxes (from the coordinates, before
        gmsh; and after gmsh's fragment: a shared volume, or a box split into several
        volumes), a box thinner than the minimum element size, ``h`` larger than the
        device.
    KeyError
        ``rename`` or ``refine`` names an unknown facet (the message lists them).
    """
    return blocks_plan(boxes, rename=rename, dim=dim, h=h, refine=refine).build(comm, cache, verbose)


def nonlocal_spin_valve_plan(channel_length: float, channel_width: float,
                             channel_thickness: float, *, fm_widths=(None, None), gap: float,
                             fm_thickness: float, fm_length: float | None = None, dim: int = 3,
                             h: float | None = None, refine: dict | None = None) -> Plan:
    """Check the arguments of :func:`nonlocal_spin_valve` and name its regions and facets.

    Returns
    -------
    Plan
        A :func:`blocks` plan (builder ``"blocks"``: the same boxes give the same mesh).

    Raises
    ------
    ValueError, KeyError
        As :func:`nonlocal_spin_valve`.
    """
    dim = check_dim(dim)
    Lc = positive("channel_length", channel_length)
    wc = positive("channel_width", channel_width)
    tc = positive("channel_thickness", channel_thickness)
    g = positive("gap (edge-to-edge electrode spacing; electrodes must not touch)", gap)
    tf = positive("fm_thickness", fm_thickness)
    if isinstance(fm_widths, (str, bytes, dict)):
        raise ValueError(f"fm_widths must be (w1, w2) in metres, got {fm_widths!r}")
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
    else:
        if fm_length is not None:
            positive("fm_length", fm_length)
        boxes = {"channel": ((-Lc / 2, 0.0), (Lc / 2, tc)),
                 "fm1": ((-g / 2 - w1, tc), (-g / 2, tc + tf)),
                 "fm2": ((g / 2, tc), (g / 2 + w2, tc + tf))}
    if h is None:
        h = min(tc, tf)
    return blocks_plan(boxes, rename={"channel_xmin": "contact_left",
                                      "channel_xmax": "contact_right"},
                       dim=dim, h=h, refine=refine)


@names.checked_keywords
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
        Channel size (m); ``channel_width`` is ignored in 2D (but checked like the others).
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
        Lengths that are not numbers, NaN, infinite, non-positive, above 1 m or below
        1e-12 m; electrodes that touch or overlap (gap <= 0) or reach the channel
        ends (``gap/2 + w_i`` must be < ``Lc/2``); ``fm_length`` shorter than the channel
        width; films thinner than the minimum element size.
    KeyError
        ``refine`` names an unknown facet.
    """
    return nonlocal_spin_valve_plan(channel_length, channel_width, channel_thickness,
                                    fm_widths=fm_widths, gap=gap, fm_thickness=fm_thickness,
                                    fm_length=fm_length, dim=dim, h=h,
                                    refine=refine).build(comm, cache, verbose)
