"""Layered devices built by extruding a planform through a list of films: stacks and pillars.

Every builder takes lengths in metres, builds the gmsh model in nanometres on rank 0 and
returns a :class:`~kinetics.device.Device` (``length_unit = 1e-9``) distributed over
``comm``.  Common keyword arguments:

``h``
    Maximum element size in metres (default: see each builder).
``refine``
    Graded refinement toward named facets: ``{facet_name: (h_min_m, distance_m)}``.  Cells
    within ``distance`` of the facets get the size ``h_min``; beyond it the size grows
    linearly (slope 1/2) to ``h``.  Implemented as gmsh Distance + Threshold fields (their
    Min is the background field), so at least ``distance / h_min`` cells lie across the
    first ``distance`` next to the facet (counted as the cells that a segment normal to
    the facet crosses; ``tests/test_geometry.py`` checks it).  Unstructured meshes use
    gmsh's HXT algorithm.  A film thinner than the minimum element size ``min(h, every
    h_min)`` raises ValueError in an unstructured mesh (it would get flat tetrahedra).
``cells_across``
    ``None`` (default): unstructured tetrahedra (triangles in 2D).  An int, or a dict
    ``{layer: int}``: structured layers through the thickness: the planform mesh is extruded
    with that many cells across each film (the prisms are split into tetrahedra).  With
    structured layers ``refine`` acts in-plane only (toward side faces and contacts).
``grading``
    With ``cells_across``: 0 (default) for uniform layers; 0 < g < 1 clusters the extruded
    layers toward both faces of every film (the cell next to a face is (1 - g) times the
    uniform one), the same map as :func:`kinetics.geometry.layered_box`.  This resolves the
    spin diffusion length next to interfaces with few layers.
``comm``
    MPI communicator (default ``MPI.COMM_WORLD``); gmsh runs on its rank 0.
``cache``
    ``False`` (default), ``True`` (cache in ``$KINETICS_MESH_CACHE`` or
    ``~/.cache/kinetics/meshes``) or a directory: reuse a .msh generated before for the
    same parameters (keyed by a hash), written atomically by rank 0.
``verbose``
    Let gmsh print to the terminal.

Every length is checked before gmsh starts: a real number (not a bool or a string), finite,
in [1e-12 m, 1 m]; counts are integers; ``h`` must not exceed the device; lists
(layers, boxes, arm pairs) have at most 100 entries.  Each builder has
a ``*_plan`` twin (same parameters, without ``comm``, ``cache``, ``verbose``) that does all
of the checking and names the regions and facets without gmsh: :func:`kinetics.geometry.describe`
uses it, and the builder meshes the plan.

Facet naming scheme (all builders): an interface between two meshed regions is
``"<lower>|<upper>"``; an exterior face is ``"<region>_<side>"`` with side ``xmin``,
``xmax``, ``ymin``, ``ymax``, ``bottom`` (lowest z) or ``top``; curved and other side walls
are ``"<region>_sides"``; builders rename a few faces to their role (contacts, leads, the
heavy-metal|magnetic-insulator face).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

from kinetics.geometry import _gmsh, names
from kinetics.geometry.checks import (check_cells_across, check_dim, check_grading, check_h,
                                      check_layers, check_name, check_refine, check_thin_layers,
                                      check_volume_map, estimate_cells, positive)

__all__ = ["stack", "film", "pillar", "Plan", "stack_plan", "film_plan", "pillar_plan",
           "extruded_plan"]

NM = _gmsh.NM


@dataclasses.dataclass
class Plan:
    """A checked builder call: what will be meshed and how everything will be named.

    Attributes
    ----------
    builder:
        Builder name (``"stack"``, ...).
    params:
        The checked parameters (the mesh cache key).
    dim:
        Mesh dimension (2 or 3; 1 for a 1D layered box).
    axes:
        Physical axes of the mesh coordinates (``"xyz"``, ``"xz"``, ...).
    regions:
        Region names, in the Device's order.
    boundaries:
        Facet names, in the Device's order.
    cells:
        Estimated number of cells (exact for :func:`~kinetics.geometry.layered_box`).
    construct:
        ``construct(session)`` builds the gmsh model and mesh on rank 0 (None without gmsh).
    values:
        Builder-specific checked values.
    """

    builder: str
    params: dict
    dim: int
    axes: str
    regions: list[str]
    boundaries: list[str]
    cells: float
    construct: Callable | None = None
    values: dict = dataclasses.field(default_factory=dict)

    def build(self, comm=None, cache=False, verbose: bool = False):
        """Mesh the plan with gmsh on rank 0 and distribute it -> Device."""
        return _gmsh.build_device(self.builder, self.params, self.construct, tdim=self.dim,
                                  axes=self.axes, comm=comm, cache=cache, verbose=verbose,
                                  expected=(self.regions, self.boundaries))


def _heights(n: int, grading: float) -> list[float]:
    """Cumulative layer heights (fractions of the film) for ``n`` graded extruded layers."""
    from kinetics.geometry.layered_box import graded_nodes
    import numpy as np
    return [float(v) for v in graded_nodes(np.arange(1, n + 1) / n, grading)]


def extruded_plan(builder: str, params: dict, *, base, layers, namer, sides, dim: int,
                  h: float, refine: dict, cells: dict | None, axes: str, area: float,
                  extent: float, grading: float = 0.0) -> Plan:
    """Plan the extrusion of the planform ``base(occ)`` film by film.

    ``base(occ)`` creates the planform (surfaces at z=0; in 2D curves at y=0), ``namer``
    names exterior facets (see :mod:`kinetics.geometry.names`), ``sides`` lists the
    planform's walls for the names (``[{"side": ..., "center": (x, y, z) nm}]``),
    ``area`` is the planform area (m^2; m in 2D) and ``extent`` the device's largest
    extent (m).

    Raises
    ------
    ValueError
        ``h`` larger than the device; refining toward a facet perpendicular to the stacking
        axis with structured layers.
    KeyError
        ``refine`` names a facet the device will not have (the message lists them).
    """
    order = [n for n, _ in layers]
    check_h(h, extent)
    facets = names.extruded_facets(order, namer, sides)
    for name in refine:
        if name not in facets:
            raise KeyError(f"refine: unknown facet name '{name}'; facets of this device: "
                           f"{', '.join(facets)}")
        if cells is not None and facets[name]:
            raise ValueError(f"refine: '{name}' is perpendicular to the stacking axis; with "
                             f"structured layers (cells_across) the spacing through the "
                             f"thickness is set by cells_across, so refine only toward side "
                             f"faces (or drop cells_across to grade an unstructured mesh)")
    thickness = sum(t for _, t in layers)
    if cells:
        # planform cells x layers x (3 tetrahedra per prism in 3D, 2 triangles per quad in 2D)
        planform = estimate_cells(area, h, dim - 1, refine, extent if dim == 3 else 1.0)
        n_cells = planform * sum(cells.values()) * (3 if dim == 3 else 2)
    else:
        face = max(area, extent * thickness) if dim == 3 else extent
        n_cells = estimate_cells(area * thickness, h, dim, refine, face)
    refine_nm = {k: (v[0] / NM, v[1] / NM) for k, v in refine.items()}

    def construct(session):
        gmsh = session.gmsh
        occ = gmsh.model.occ
        current = base(occ)
        n_base = len(current)
        region_of: dict[int, str] = {}
        for name, t in layers:
            shift = (0.0, 0.0, t / NM) if dim == 3 else (0.0, t / NM, 0.0)
            if cells and grading:
                kw = {"numElements": [1] * cells[name], "heights": _heights(cells[name], grading),
                      "recombine": False}
            else:
                kw = {"numElements": [cells[name]], "recombine": False} if cells else {}
            out = occ.extrude(current, *shift, **kw)
            tops = [out[i - 1] for i in range(1, len(out)) if out[i][0] == dim]
            for d, v in out:
                if d == dim:
                    region_of[v] = name
            current = tops
        occ.synchronize()
        got = {}
        for _, v in gmsh.model.getEntities(dim):
            got.setdefault(region_of.get(v, f"(unexpected volume {v})"), []).append(v)
        check_volume_map(got, {name: n_base for name in order})
        found = _gmsh.classify_facets(gmsh, dim, region_of, order, namer)
        regions = {name: got[name] for name in order}
        _gmsh.add_groups(gmsh, dim, regions, found)
        _gmsh.apply_sizes(session, dim, h / NM, refine_nm, found, horizontal_ok=cells is None)
        gmsh.model.mesh.generate(dim)

    return Plan(builder, params, dim, axes, order, list(facets), n_cells, construct,
                {"h": h, "refine": refine, "cells": cells})


def _common(layers, refine, cells_across):
    layers = check_layers(layers)
    refine = check_refine(refine)
    cells = check_cells_across(cells_across, [n for n, _ in layers])
    return layers, refine, cells


def stack_plan(layers, size, *, substrate: str | None = None, h: float | None = None,
               refine: dict | None = None, cells_across=None, grading: float = 0.0,
               dim: int = 3) -> Plan:
    """Check the arguments of :func:`stack` and name its regions and facets (no gmsh).

    Returns
    -------
    Plan

    Raises
    ------
    ValueError, KeyError
        As :func:`stack`.
    """
    dim = check_dim(dim)
    layers, refine, cells = _common(layers, refine, cells_across)
    if dim == 2 and not hasattr(size, "__len__"):
        size = (size,)
    if isinstance(size, (str, bytes, dict)):
        raise ValueError(f"size must be (Lx, Ly) in metres (3D) or Lx (2D), got {size!r}")
    try:
        size = tuple(size)
    except TypeError:
        raise ValueError(f"size must be (Lx, Ly) in metres (3D) or Lx (2D), got {size!r}") from None
    if len(size) != dim - 1:
        raise ValueError(f"size must have {dim - 1} entries for dim={dim}, got {size!r}")
    size = tuple(positive(f"size[{i}]", s) for i, s in enumerate(size))
    if substrate is not None:
        check_name("substrate", substrate)
    lateral = min(size)
    if h is None:
        h = lateral / 10 if cells else min(min(t for _, t in layers), lateral / 4)
    h = positive("h", h)
    if cells is None:
        check_thin_layers(layers, h, refine)
    first = layers[0][0]
    bottom = f"{first}|{substrate}" if substrate else f"{first}_bottom"
    grading = check_grading(grading, cells)

    def base(occ):
        if dim == 3:
            return [(2, occ.addRectangle(0, 0, 0, size[0] / NM, size[1] / NM))]
        p0, p1 = occ.addPoint(0, 0, 0), occ.addPoint(size[0] / NM, 0, 0)
        return [(1, occ.addLine(p0, p1))]

    sides = names.side_names(dim)[:dim - 1]
    params = {"layers": layers, "size": size, "substrate": substrate, "h": h, "refine": refine,
              "cells": cells, "dim": dim, "grading": grading}
    return extruded_plan("stack", params, base=base, layers=layers,
                         namer=names.stack_namer(first, bottom),
                         sides=[{"side": s, "center": (0.0, 0.0, 0.0)} for pair in sides for s in pair],
                         dim=dim, h=h, refine=refine, cells=cells, axes="xyz" if dim == 3 else "xz",
                         area=math.prod(size), extent=max(*size, sum(t for _, t in layers)),
                         grading=grading)


@names.checked_keywords
def stack(layers, size, *, substrate: str | None = None, h: float | None = None,
          refine: dict | None = None, cells_across=None, grading: float = 0.0, dim: int = 3,
          comm=None, cache=False, verbose: bool = False):
    """A rectangular multilayer: films stacked along z on an (unmeshed) substrate.

    Parameters
    ----------
    layers:
        ``[(name, thickness_m), ...]`` from the bottom up; any number of layers, distinct
        names (the region names).
    size:
        ``(Lx, Ly)`` lateral size in metres (3D); ``Lx`` or ``(Lx,)`` with ``dim=2``.
        The stack fills ``[0, Lx] x [0, Ly] x [0, sum(thickness)]`` (2D: ``[0, Lx] x [0, t]``
        in the x-z plane).
    substrate:
        Name of the substrate (e.g. ``"yig"``): the bottom face of the first layer is then
        the boundary ``"<first>|<substrate>"``; without it, ``"<first>_bottom"``.
    h:
        Maximum element size (m).  Default: unstructured ``min(thinnest layer, min(size)/4)``,
        structured ``min(size)/10``.
    refine, cells_across, comm, cache, verbose:
        See :mod:`kinetics.geometry.builders`.
    dim:
        3 (default) or 2 for the x-z cross-section (``axes="xz"``; the mesh's second
        coordinate is z).

    Returns
    -------
    Device
        Regions: the layer names.  Boundaries: ``"<lower>|<upper>"`` between layers (interior
        facets), ``"<first>|<substrate>"`` or ``"<first>_bottom"``, ``"<last>_top"``, and per
        layer ``"<layer>_xmin"``, ``"<layer>_xmax"``, ``"<layer>_ymin"``, ``"<layer>_ymax"``
        (3D only for y).

    Raises
    ------
    ValueError
        Lengths that are not numbers (bools, strings), NaN, infinite, non-positive, above
        1 m or below 1e-12 m; ``h`` larger than the device; repeated layer names, bad
        ``refine`` or ``cells_across`` values, a layer thinner than the minimum element size
        (``min(h, refine h_min)``) in an unstructured mesh, refining toward a horizontal face
        with structured layers, ``dim`` not 2 or 3.
    KeyError
        ``refine`` names a facet the device does not have (the message lists them);
        ``cells_across`` dict not covering the layers.
    """
    return stack_plan(layers, size, substrate=substrate, h=h, refine=refine,
                      cells_across=cells_across, grading=grading, dim=dim).build(comm, cache, verbose)


def film_plan(thickness: float, size, *, name: str = "pt", substrate: str | None = "yig",
              h: float | None = None, refine: dict | None = None, cells_across=None,
              grading: float = 0.0, dim: int = 3) -> Plan:
    """Check the arguments of :func:`film` and name its regions and facets (no gmsh).

    Returns
    -------
    Plan

    Raises
    ------
    ValueError, KeyError
        As :func:`stack`.
    """
    return stack_plan([(name, thickness)], size, substrate=substrate, h=h, refine=refine,
                      cells_across=cells_across, grading=grading, dim=dim)


@names.checked_keywords
def film(thickness: float, size, *, name: str = "pt", substrate: str | None = "yig",
         h: float | None = None, refine: dict | None = None, cells_across=None,
         grading: float = 0.0, dim: int = 3, comm=None, cache=False, verbose: bool = False):
    """A single film: ``stack([(name, thickness)], size, substrate=substrate, ...)``.

    Parameters
    ----------
    thickness:
        Film thickness (m).
    size:
        ``(Lx, Ly)`` (m), or ``Lx`` with ``dim=2``.
    name:
        Region name (default ``"pt"``).
    substrate:
        The bottom face is ``"<name>|<substrate>"`` (default ``"pt|yig"``); ``None`` gives
        ``"<name>_bottom"``.
    h, refine, cells_across, grading, dim, comm, cache, verbose:
        As for :func:`stack`.

    Returns
    -------
    Device
        Region ``name``; boundaries ``"<name>|<substrate>"``, ``"<name>_top"``,
        ``"<name>_xmin"``, ``"<name>_xmax"`` (and ``_ymin``, ``_ymax`` in 3D).

    Raises
    ------
    ValueError, KeyError
        As :func:`stack`.
    """
    return film_plan(thickness, size, name=name, substrate=substrate, h=h, refine=refine,
                     cells_across=cells_across, grading=grading, dim=dim).build(comm, cache, verbose)


def pillar_plan(layers, semi_axes, *, h: float | None = None, refine: dict | None = None,
                cells_across=None, grading: float = 0.0) -> Plan:
    """Check the arguments of :func:`pillar` and name its regions and facets (no gmsh).

    Returns
    -------
    Plan

    Raises
    ------
    ValueError, KeyError
        As :func:`pillar`.
    """
    layers, refine, cells = _common(layers, refine, cells_across)
    if not hasattr(semi_axes, "__len__") or isinstance(semi_axes, (str, bytes, dict)):
        semi_axes = (semi_axes, semi_axes)
    try:
        a, b = semi_axes
    except (TypeError, ValueError):
        raise ValueError(f"semi_axes must be (a, b) in metres or one radius, got {semi_axes!r}") from None
    a, b = positive("semi_axes[0]", a), positive("semi_axes[1]", b)
    if h is None:
        h = min(a, b) / 4 if cells else min(min(t for _, t in layers), min(a, b) / 4)
    h = positive("h", h)
    if cells is None:
        check_thin_layers(layers, h, refine)
    first, last = layers[0][0], layers[-1][0]
    grading = check_grading(grading, cells)

    def base(occ):
        if a >= b:
            return [(2, occ.addDisk(0, 0, 0, a / NM, b / NM))]
        disk = occ.addDisk(0, 0, 0, b / NM, a / NM)  # OCC wants the major axis along x
        occ.rotate([(2, disk)], 0, 0, 0, 0, 0, 1, math.pi / 2)
        return [(2, disk)]

    params = {"layers": layers, "semi_axes": (a, b), "h": h, "refine": refine, "cells": cells,
              "grading": grading}
    return extruded_plan("pillar", params, base=base, layers=layers,
                         namer=names.pillar_namer(first, last),
                         sides=[{"side": "curved", "center": (a / NM, 0.0, 0.0)}], dim=3, h=h,
                         refine=refine, cells=cells, axes="xyz", area=math.pi * a * b,
                         extent=max(2 * a, 2 * b, sum(t for _, t in layers)), grading=grading)


@names.checked_keywords
def pillar(layers, semi_axes, *, h: float | None = None, refine: dict | None = None,
           cells_across=None, grading: float = 0.0, comm=None, cache=False,
           verbose: bool = False):
    """A cylindrical or elliptical multilayer nanopillar, contacted by leads top and bottom.

    Parameters
    ----------
    layers:
        ``[(name, thickness_m), ...]`` from the bottom up.
    semi_axes:
        ``(a, b)``: semi-axes along x and y in metres (``a == b`` for a circular pillar), or
        a single radius.  The pillar axis is z through the origin, from z = 0 up.
    h:
        Maximum element size (m); default ``min(a, b) / 4`` (structured) or
        ``min(thinnest layer, min(a, b) / 4)`` (unstructured).
    refine, cells_across, comm, cache, verbose:
        See :mod:`kinetics.geometry.builders`.

    Returns
    -------
    Device
        Regions: the layer names.  Boundaries: ``"bottom_lead"`` (bottom face of the first
        layer), ``"top_lead"`` (top face of the last layer), ``"<lower>|<upper>"`` between
        layers, ``"<layer>_sides"`` (the curved wall of each layer).  The leads are faces,
        not volumes: put contact conditions on them.  The curved wall is meshed by a
        polygon with vertices on the ellipse, so volumes and areas converge to
        ``pi a b t`` from below as ``(h / rho)^2`` (rho the smallest curvature radius).

    Raises
    ------
    ValueError, KeyError
        As :func:`stack`; also for non-positive semi-axes.
    """
    return pillar_plan(layers, semi_axes, h=h, refine=refine, cells_across=cells_across,
                       grading=grading).build(comm, cache, verbose)
