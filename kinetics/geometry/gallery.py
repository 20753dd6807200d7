"""Default devices and an off-screen picture of a device (PyVista).

``DEFAULT_DEVICES[name]()`` builds a small example of each device family (the
``kinetics mesh NAME --png FILE`` command); keyword arguments override the defaults, e.g.
``DEFAULT_DEVICES["film"](h=2e-9)``.  :func:`render` draws a device coloured by region with
its interfaces highlighted, and writes a PNG.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from kinetics.geometry._gmsh import run_on_root
from kinetics.geometry.builders import film, pillar, stack
from kinetics.geometry.devices import hall_bar, nonlocal_spin_valve

__all__ = ["DEFAULT_DEVICES", "render"]

#: name -> builder with small default parameters (a ``functools.partial`` with keyword
#: arguments only: call it, overriding any of them if you like).  Lengths in metres.
DEFAULT_DEVICES = {
    "film": functools.partial(film, thickness=5e-9, size=(60e-9, 40e-9), h=6e-9, cells_across=3),
    "stack": functools.partial(stack, layers=[("pt", 5e-9), ("cu", 10e-9)], size=(60e-9, 40e-9),
                               substrate="yig", h=5e-9, refine={"pt|yig": (1.25e-9, 2e-9)}),
    "hall_bar": functools.partial(hall_bar, length=400e-9, width=100e-9, thickness=10e-9,
                                  arm_width=40e-9, arm_length=60e-9,
                                  arm_positions=(-100e-9, 100e-9), h=12e-9, cells_across=2),
    "nonlocal_spin_valve": functools.partial(nonlocal_spin_valve, channel_length=600e-9,
                                             channel_width=100e-9, channel_thickness=20e-9,
                                             fm_widths=(60e-9, 90e-9), gap=120e-9,
                                             fm_thickness=20e-9, fm_length=250e-9, h=20e-9),
    "pillar": functools.partial(pillar, layers=[("py", 3e-9), ("cu", 6e-9), ("co", 6e-9)],
                                semi_axes=(20e-9, 12e-9), h=3e-9, cells_across=2),
    "stack2d": functools.partial(stack, layers=[("pt", 5e-9), ("cu", 10e-9)], size=60e-9,
                                 substrate="yig", dim=2, h=2.5e-9,
                                 refine={"pt|yig": (0.5e-9, 1e-9)}),
}

_REGION_COLORS = ["#8da0cb", "#fc8d62", "#66c2a5", "#e5c494", "#a6d854", "#ffd92f", "#b3b3b3",
                  "#e78ac3"]
_INTERFACE_COLORS = ["#d62728", "#1f3fb4", "#9467bd", "#2ca02c", "#ff7f0e", "#17becf",
                     "#8c564b", "#e377c2", "#bcbd22", "#7f7f7f"]


def _highlighted(names) -> list[str]:
    """Facets drawn by default: interfaces ("a|b"), contacts, probes and leads."""
    return [n for n in names if "|" in n or n.startswith(("contact", "probe")) or
            n.endswith("_lead")]


def _owned_grid(mesh, dim: int, entities: np.ndarray):
    """(cells (n, nv) node indices, vtk cell type per cell, coordinates) of local entities."""
    from dolfinx import plot
    mesh.topology.create_connectivity(dim, 0)
    if len(entities) == 0:
        return np.zeros((0, 1), dtype=np.int64), np.zeros(0, dtype=np.uint8), np.zeros((0, 3))
    topo, types, x = plot.vtk_mesh(mesh, dim, entities.astype(np.int32))
    nv = int(topo[0])
    return topo.reshape(-1, nv + 1)[:, 1:].astype(np.int64), np.asarray(types), np.asarray(x)


def _gather(comm, cells, types, x, values):
    """Concatenate per-rank grids on rank 0 (node indices offset); None elsewhere."""
    parts = comm.gather((cells, types, x, values), root=0)
    if comm.rank != 0:
        return None
    offset, out = 0, []
    for c, t, xx, v in parts:
        if len(c):
            out.append((c + offset, t, xx, v))
        offset += len(xx)
    if not out:
        return None
    xs = np.concatenate([p[2] for p in parts if len(p[2])])
    return (np.concatenate([o[0] for o in out]), np.concatenate([o[1] for o in out]), xs,
            np.concatenate([o[3] for o in out]))


def _pv_grid(pv, cells, types, x):
    nv = cells.shape[1]
    flat = np.hstack([np.full((len(cells), 1), nv, dtype=np.int64), cells]).ravel()
    return pv.UnstructuredGrid(flat, types.astype(np.uint8), x)


def render(device, png_path, *, title: str | None = None, window_size=None,
           show_edges: bool = True, highlight=None) -> Path:
    """Render a device off-screen to a PNG: regions coloured, interfaces highlighted, legend.

    Collective: call it on every rank.  The mesh is gathered to rank 0 (owned cells and
    facets of every rank), which renders and writes the file; other ranks only send.

    Parameters
    ----------
    device:
        A :class:`~kinetics.device.Device` (2D or 3D).
    png_path:
        Output file (a ``.png``); parent directories are created.
    title:
        Text at the top; default the device's regions.
    window_size:
        Image size in pixels ``(width, height)``; default (1600, 700) in 3D (two panels:
        the regions with their mesh, and the highlighted facets in ghosted regions) and
        (1000, 600) in 2D (one panel).
    show_edges:
        Draw the cell edges of the regions.
    highlight:
        Facet names to draw in colour (each listed in the legend); default: the interfaces
        (names with ``|``, e.g. ``"pt|cu"`` and the boundary ``"pt|yig"``), contacts
        (``contact*``), probes (``probe*``) and leads (``*_lead``).

    Returns
    -------
    pathlib.Path
        ``png_path`` (on every rank).

    Raises
    ------
    ValueError
        If the device is 1D.
    RuntimeError
        When no off-screen rendering is possible (no X display and Xvfb does not start):
        install xvfb or run under ``xvfb-run -a``.  Without a working ``DISPLAY``, rank 0
        starts a private Xvfb (:func:`kinetics.plot.common.ensure_display`).

    Notes
    -----
    3D: two panels with the same isometric camera: the regions, opaque with their mesh
    edges, and the highlighted facets, opaque, inside faint ghosts of the regions (so that
    interior interfaces and bottom faces show).  2D: one panel in the mesh plane, labelled
    with the device's axes (e.g. x horizontal, z vertical), regions filled and highlighted
    facets as thick lines.  The legend is the list of coloured names under the title.
    """
    png_path = Path(png_path)
    mesh, comm, tdim = device.mesh, device.comm, device.dim
    if tdim < 2:
        raise ValueError(f"render draws 2D and 3D devices, this one is {tdim}D")
    n_own = mesh.topology.index_map(tdim).size_local
    cells = np.arange(n_own, dtype=np.int32)
    region_of = np.full(n_own, -1, dtype=np.int32)
    own = device.cell_tags.indices < n_own
    region_of[device.cell_tags.indices[own]] = device.cell_tags.values[own]
    body = _gather(comm, *_owned_grid(mesh, tdim, cells), region_of)

    fdim = tdim - 1
    mesh.topology.create_connectivity(fdim, tdim)
    nf_own = mesh.topology.index_map(fdim).size_local
    interfaces = _highlighted(device.boundaries) if highlight is None else list(highlight)
    for name in interfaces:
        device.boundary_tag(name)  # KeyError for an unknown name, on every rank
    faces = {}
    for name in interfaces:
        ents = device.facet_tags.find(device.boundaries[name])
        ents = ents[ents < nf_own]
        faces[name] = _gather(comm, *_owned_grid(mesh, fdim, ents), np.zeros(len(ents)))

    # rank 0 draws; an error there is raised on every rank (no rank is left waiting)
    run_on_root(comm, lambda: _draw(device, png_path, body, faces, interfaces, title,
                                    window_size, show_edges))
    return png_path


def _draw(device, png_path, body, faces, interfaces, title, window_size, show_edges):
    """Rank 0: the PyVista scene (3D: two panels, regions | tagged facets; 2D: one)."""
    import pyvista as pv
    pv.OFF_SCREEN = True
    from kinetics.plot.common import ensure_display
    ensure_display()
    tdim = device.dim
    png_path.parent.mkdir(parents=True, exist_ok=True)
    grid = _pv_grid(pv, *body[:3])
    parts = []
    for i, (name, tag) in enumerate(device.regions.items()):
        ids = np.flatnonzero(body[3] == tag)
        if len(ids):
            parts.append((name, grid.extract_cells(ids), _REGION_COLORS[i % len(_REGION_COLORS)]))
    facets = [(name, _pv_grid(pv, *faces[name][:3]), _INTERFACE_COLORS[i % len(_INTERFACE_COLORS)])
              for i, name in enumerate(interfaces) if faces[name] is not None]
    size = list(window_size or ((1600, 700) if tdim == 3 else (1000, 600)))
    plotter = pv.Plotter(off_screen=True, window_size=size, shape=(1, 2) if tdim == 3 else (1, 1),
                         border=False)
    plotter.set_background("white")

    panel_h = size[1]

    def legend(entries):
        # coloured labels under the title (VTK's legend box misplaces itself in subplots)
        for k, (label, color) in enumerate(entries):
            plotter.add_text(label, position=(12, panel_h - 62 - 24 * k), font_size=11,
                             color=color)

    def camera():
        if tdim == 3:
            plotter.view_isometric()
        else:
            plotter.view_xy()
        plotter.reset_camera()
        plotter.camera.zoom(0.75 if tdim == 3 else 0.85)

    # panel 1: regions (opaque, with the mesh); in 2D the tagged facets as thick lines too
    for name, part, color in parts:
        plotter.add_mesh(part, color=color, show_edges=show_edges, edge_color="#444444",
                         line_width=0.5, lighting=tdim == 3, ambient=0.4, diffuse=0.6)
    if tdim == 2:
        for name, fgrid, color in facets:
            plotter.add_mesh(fgrid, color=color, line_width=5)
        plotter.add_axes(xlabel=device.axes[0], ylabel=device.axes[1], zlabel="")
    else:
        plotter.add_axes()
    legend([(p[0], p[2]) for p in parts] + ([(f[0], f[2]) for f in facets] if tdim == 2 else []))
    plotter.add_text(title or "device", font_size=12, color="black", position="upper_left")
    camera()
    if tdim == 3:
        # panel 2: the tagged facets, opaque, inside ghosts of the regions
        plotter.subplot(0, 1)
        for name, part, color in parts:
            plotter.add_mesh(part.extract_surface(), color=color, opacity=0.15, lighting=False)
        for name, fgrid, color in facets:
            plotter.add_mesh(fgrid, color=color, ambient=0.45, diffuse=0.6)
        plotter.add_text("tagged facets" if facets else "no tagged facets", font_size=12,
                         color="black", position="upper_left")
        if facets:
            legend([(f[0], f[2]) for f in facets])
        plotter.add_axes()
        camera()
    plotter.screenshot(str(png_path))
    plotter.close()
