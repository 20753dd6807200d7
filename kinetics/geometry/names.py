"""Region and facet names of the builders, computed without gmsh (pure Python).

The gmsh builders name every facet with the functions here (``interface_name`` and the
namers, called by :func:`kinetics.geometry._gmsh.classify_facets` on the gmsh entities),
and :func:`kinetics.geometry.describe` calls the same functions on the faces that the
builder's parameters imply (:func:`extruded_facets`, :func:`box_facets`), so the names
known before meshing and the names of the meshed device cannot drift apart.

A namer is ``namer(info) -> str | None`` with ``info`` a dict: ``region`` (the adjacent
region), ``side`` (``"xmin"``, ``"xmax"``, ``"ymin"``, ``"ymax"``, ``"bottom"``,
``"top"`` for a plane facet at the extreme of its volume along its normal, ``"inner"``
for another plane facet, ``"curved"``) and ``center`` (a point of the facet in model
units, nm).

:func:`checked_keywords` wraps the builders so that a wrong keyword argument is answered
with the valid ones, the closest one, and how the builder names its faces.
"""

from __future__ import annotations

import difflib
import functools
import inspect
from collections.abc import Callable, Sequence

__all__ = ["interface_name", "default_namer", "stack_namer", "pillar_namer", "hall_bar_namer",
           "extruded_facets", "box_facets", "layered_box_facets", "side_names",
           "checked_keywords", "keyword_listing"]

#: words a user may try for the face toward a magnet or substrate
_FACE_WORDS = {"substrate", "interface", "bottom", "magnet", "insulator", "fi", "below",
               "substrate_name", "interface_name", "bottom_name"}


def keyword_listing(fn) -> str:
    """``"length, width, thickness, arm_width=None, ..."``: the parameters of ``fn`` with
    their defaults (``comm``, ``verbose`` included)."""
    out = []
    for p in inspect.signature(fn).parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        out.append(p.name if p.default is p.empty else f"{p.name}={p.default!r}")
    return ", ".join(out)


def _face_hint(fn, bad: str) -> str:
    params = inspect.signature(fn).parameters
    name = fn.__name__
    if bad not in _FACE_WORDS:
        return ""
    if "interface" in params and bad != "interface":
        default = params["interface"].default
        return (f"; {name}() names its bottom face (the heavy-metal|magnetic-insulator "
                f"boundary) with interface=, default {default!r}: e.g. "
                f"interface='pt|gd3ga5o12' (the material behind it is set by the boundary "
                f"condition, not the mesh)")
    if "substrate" in params and bad != "substrate":
        return (f"; {name}() names the bottom face '<lowest layer>|<substrate>' with "
                f"substrate= (None: '<lowest layer>_bottom')")
    return ""


def checked_keywords(fn):
    """Decorate a builder: a call with a wrong argument raises TypeError naming the valid
    keywords (with defaults), the closest one ("did you mean") and, for words like
    ``substrate``, how the builder names its faces (``interface=`` of :func:`hall_bar`).

    ``inspect.signature`` and the docstring of the wrapped function are kept.
    """
    sig = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            sig.bind(*args, **kwargs)
        except TypeError as exc:
            unknown = [k for k in kwargs if k not in sig.parameters]
            if unknown:
                bad = unknown[0]
                close = difflib.get_close_matches(bad, list(sig.parameters), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                message = (f"{fn.__name__}() got an unexpected keyword argument '{bad}'"
                           f"{hint}{_face_hint(fn, bad)}; valid: {keyword_listing(fn)}")
            else:
                message = f"{fn.__name__}(): {exc}; parameters: {keyword_listing(fn)}"
            raise TypeError(message) from None
        return fn(*args, **kwargs)
    return wrapper

Namer = Callable[[dict], "str | None"]


def side_names(dim: int) -> tuple[tuple[str, str], ...]:
    """Names of the (min, max) faces along each axis: x, (y,) then the stacking axis."""
    if dim == 2:
        return (("xmin", "xmax"), ("bottom", "top"))
    return (("xmin", "xmax"), ("ymin", "ymax"), ("bottom", "top"))


def interface_name(a: str, b: str) -> str:
    """``"a|b"``: the facets between region ``a`` (listed first) and region ``b``."""
    return f"{a}|{b}"


def default_namer(info: dict) -> str:
    """``"<region>_<side>"``; curved and non-extreme plane facets are ``"<region>_sides"``."""
    side = info["side"]
    return f"{info['region']}_{'sides' if side in ('curved', 'inner') else side}"


def stack_namer(first: str, bottom: str) -> Namer:
    """Stacks and films: the bottom face of the first layer is ``bottom``; others default."""
    def namer(info):
        if info["side"] == "bottom" and info["region"] == first:
            return bottom
        return default_namer(info)
    return namer


def pillar_namer(first: str, last: str) -> Namer:
    """Pillars: ``"bottom_lead"``, ``"top_lead"``, and ``"<layer>_sides"`` for the walls."""
    def namer(info):
        if info["side"] == "bottom" and info["region"] == first:
            return "bottom_lead"
        if info["side"] == "top" and info["region"] == last:
            return "top_lead"
        return f"{info['region']}_sides"
    return namer


def hall_bar_namer(name: str, interface: str, arm_x_nm: Sequence[float], half_arm_nm: float,
                   tol_nm: float) -> Namer:
    """Hall bars: the interface (bottom), ``<name>_top``, the contacts at the bar ends, the
    probe faces ``probe_<i>_ymax``/``probe_<i>_ymin`` (arm end faces whose centre lies
    within ``half_arm_nm + tol_nm`` of arm pair i's x position) and ``<name>_sides``."""
    def namer(info):
        side = info["side"]
        if side == "bottom":
            return interface
        if side == "top":
            return f"{name}_top"
        if side == "xmin":
            return "contact_left"
        if side == "xmax":
            return "contact_right"
        if side in ("ymin", "ymax"):
            for i, x in enumerate(arm_x_nm, start=1):
                if abs(info["center"][0] - x) < half_arm_nm + tol_nm:
                    return f"probe_{i}_{side}"
        return f"{name}_sides"
    return namer


def extruded_facets(layers: Sequence[str], namer: Namer, sides: Sequence[dict]) -> dict[str, bool]:
    """Facet names of a planform extruded through ``layers`` (bottom first).

    Parameters
    ----------
    layers:
        Region names from the bottom up.
    namer:
        The builder's namer (also used on the gmsh entities).
    sides:
        The side walls of one layer as namer infos without ``region``: ``{"side": ...,
        "center": (x, y, z) nm}``, one per wall of the planform.

    Returns
    -------
    dict
        Facet name -> True when all its facets are perpendicular to the stacking axis
        (bottom, top, interfaces), sorted by name as the Device's boundaries are.
    """
    out: dict[str, bool] = {}

    def add(name, horizontal):
        if name is not None:
            out[name] = out.get(name, True) and horizontal

    center = (0.0, 0.0, 0.0)
    for i, layer in enumerate(layers):
        if i == 0:
            add(namer({"region": layer, "side": "bottom", "center": center}), True)
        else:
            add(interface_name(layers[i - 1], layer), True)
        if i == len(layers) - 1:
            add(namer({"region": layer, "side": "top", "center": center}), True)
        for wall in sides:
            add(namer({"region": layer, **wall}), False)
    return dict(sorted(out.items()))


def _covered(face_lo, face_hi, covers, tol: float) -> bool:
    """Whether the union of the boxes ``covers`` covers the box [face_lo, face_hi] (up to tol)."""
    if not covers:
        return False
    n = len(face_lo)
    cuts = []
    for k in range(n):
        pts = {face_lo[k], face_hi[k]}
        for lo, hi in covers:
            pts.update(min(max(v, face_lo[k]), face_hi[k]) for v in (lo[k], hi[k]))
        cuts.append(sorted(pts))

    def cells(k, prefix):
        if k == n:
            yield prefix
            return
        for a, b in zip(cuts[k], cuts[k][1:]):
            if b - a > tol:
                yield from cells(k + 1, prefix + [0.5 * (a + b)])

    for mid in cells(0, []):
        if not any(all(lo[k] <= mid[k] <= hi[k] for k in range(n)) for lo, hi in covers):
            return False
    return True


def box_facets(boxes: dict, dim: int, tol: float) -> list[str]:
    """Default facet names of :func:`kinetics.geometry.blocks` from the box coordinates.

    Parameters
    ----------
    boxes:
        ``{region: (lo, hi)}`` corners (any length unit, the same as ``tol``), in the
        interface order (an interface between a and b is ``"a|b"`` with a listed first).
    dim:
        2 or 3.
    tol:
        Coordinates closer than ``tol`` are equal (touching faces).

    Returns
    -------
    list of str
        Sorted names: ``"a|b"`` for every pair of boxes sharing a face part of positive
        area, ``"<region>_<side>"`` for every box face not entirely covered by other boxes.

    Raises
    ------
    ValueError
        Two boxes overlap (their intersection has a positive volume).
    """
    order = list(boxes)
    sides = side_names(dim)
    for i, a in enumerate(order):
        for b in order[i + 1:]:
            (alo, ahi), (blo, bhi) = boxes[a], boxes[b]
            if all(min(ahi[k], bhi[k]) - max(alo[k], blo[k]) > tol for k in range(dim)):
                raise ValueError(f"regions '{a}' and '{b}' overlap (their boxes intersect in a "
                                 f"volume); shapes may touch but not overlap")
    names: set[str] = set()
    for a in order:
        lo, hi = boxes[a]
        for k in range(dim):
            rest = [j for j in range(dim) if j != k]
            face_lo, face_hi = [lo[j] for j in rest], [hi[j] for j in rest]
            for s, plane in ((0, lo[k]), (1, hi[k])):
                covers = []
                for b in order:
                    if b == a:
                        continue
                    blo, bhi = boxes[b]
                    if abs((bhi[k] if s == 0 else blo[k]) - plane) > tol:
                        continue
                    ilo = [max(face_lo[m], blo[j]) for m, j in enumerate(rest)]
                    ihi = [min(face_hi[m], bhi[j]) for m, j in enumerate(rest)]
                    if all(h - l > tol for l, h in zip(ilo, ihi)):
                        first, second = sorted((a, b), key=order.index)
                        names.add(interface_name(first, second))
                        covers.append((ilo, ihi))
                if not _covered(face_lo, face_hi, covers, tol):
                    names.add(default_namer({"region": a, "side": sides[k][s]}))
    return sorted(names)


def layered_box_facets(axes: str, layers: Sequence[str]) -> list[str]:
    """Facet names of :func:`kinetics.geometry.layered_box`, in the Device's order:
    ``"<axis>min"``, ``"<axis>max"`` per mesh axis, then the interfaces from the bottom up."""
    out = [f"{a}{side}" for a in axes for side in ("min", "max")]
    out += [interface_name(a, b) for a, b in zip(layers, layers[1:])]
    return out
