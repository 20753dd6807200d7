"""Solution → PyVista grid, gathered on rank 0, and its ``.vtu`` file (the input of the plots).

:func:`to_pyvista` turns a :class:`kinetics.models.spin_charge.Solution` into one
``pyvista.UnstructuredGrid`` holding the whole device, :func:`save_vtu` writes it and
:func:`load_vtu` reads it back, so that pictures can be drawn later without re-solving
(docs/design.md §2: "plotting never re-solves").  VTK stores ASCII strings only: read the
string field data with :func:`text_field`, which undoes the escapes.

The grid (coordinates in nanometres by default, see ``unit``):

========================  ======  ========================================================
name                      where   meaning
========================  ======  ========================================================
``V``                     point   electrochemical potential, V
``mu_s``                  point   spin accumulation (3-vector), V
``|mu_s|``                point   its magnitude, V
``region``                cell    region tag (int); names in field data ``region_name``
``j_c``                   cell    charge current density (3-vector), A/m², cell average
``|j_c|``                 cell    its magnitude, A/m²
``j_s_x/j_s_y/j_s_z``     cell    flow vector of x/y/z-polarized spin, ``J[a, :]``, in
                                  charge-current units A/m² (docs/design.md §3), cell average
========================  ======  ========================================================

Point values are the solution at the mesh vertices (a P2 solution is interpolated to P1,
which keeps its vertex values exactly).  Currents are gradients, discontinuous between
cells, so they are stored per cell as exact cell averages (1/|K| ∫_K j dx) computed with
each region's own material coefficients.

Field data: ``region_name`` / ``region_tag`` (aligned arrays), ``length_unit`` (the unit of
the coordinates, e.g. ``"nm"``; ``"um"`` for µm), ``axes`` (the device's mesh axes, e.g.
``"xz"``), ``dim`` (topological dimension), ``degree`` (of the solution), the tagged facets
(``facet_cells``: (n, 2, 3 or 4) point indices of each facet in VTK order, ``facet_tag``
(n,), names in
``facet_name`` / ``facet_name_tag``), and, for uniform magnetizations,
``magnet_name`` / ``magnet_m`` (interface names and unit vectors, shape (n, 3)), and, when
the writer was told, ``state`` (which state the fields are, free text; ``save_vtu(state=)``).

A 2D cross-section is embedded in 3D along the device's axes: an ``"xz"`` section stands in
the x-z plane (y = 0), so that the vectors (which always have 3 components) keep their
physical directions.

MPI: the mesh is distributed; every rank sends its owned vertices and cells to rank 0, which
assembles one grid (vertices and cells in the order of the mesh input, so that serial and
parallel grids are identical).  Other ranks get ``None``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

__all__ = ["to_pyvista", "device_grid", "save_vtu", "load_vtu", "text_field", "LENGTH_UNITS",
           "POINT_FIELDS", "CELL_FIELDS", "root_call", "world_comm", "atomic_write"]

#: coordinate units accepted by ``unit=``: name -> metres
LENGTH_UNITS = {"m": 1.0, "mm": 1e-3, "µm": 1e-6, "um": 1e-6, "nm": 1e-9}
#: point fields of a solution grid (name -> unit)
POINT_FIELDS = {"V": "V", "mu_s": "V", "|mu_s|": "V"}
#: cell fields of a solution grid (name -> unit)
CELL_FIELDS = {"region": "1", "j_c": "A/m²", "|j_c|": "A/m²", "j_s_x": "A/m²",
               "j_s_y": "A/m²", "j_s_z": "A/m²"}


def _ascii(text: str) -> str:
    """``text`` with non-ASCII characters \\u-escaped (VTK stores ASCII strings only);
    "µm" is stored as "um".  :func:`text_field` undoes it."""
    text = "um" if text == "µm" else str(text)
    return text if text.isascii() else text.encode("ascii", "backslashreplace").decode()


def text_field(grid, name: str) -> list[str]:
    """The strings of field data ``name`` of a grid, with escapes undone ("um" -> "µm")."""
    out = []
    for value in grid.field_data[name]:
        value = str(value)
        if "\\" in value:
            value = value.encode("ascii").decode("unicode_escape")
        out.append("µm" if name == "length_unit" and value == "um" else value)
    return out


def _unit_scale(unit: str) -> float:
    try:
        return LENGTH_UNITS[unit]
    except KeyError:
        raise ValueError(f"unknown length unit {unit!r}; use one of "
                         f"{', '.join(LENGTH_UNITS)}") from None


def _owned_mesh(device, unit: str):
    """This rank's owned vertices and cells: input ids, coordinates (in ``unit``, embedded in
    3D along ``device.axes``), VTK connectivity in input vertex ids, VTK types, cell ids."""
    from dolfinx import plot
    msh = device.mesh
    tdim = msh.topology.dim
    if msh.geometry.cmap.degree != 1:
        raise ValueError(f"to_pyvista needs an affine (degree-1) mesh geometry; this mesh has "
                         f"degree {msh.geometry.cmap.degree}")
    n_cells = msh.topology.index_map(tdim).size_local
    n_nodes = msh.geometry.index_map().size_local
    input_ids = np.asarray(msh.geometry.input_global_indices, dtype=np.int64)
    scale = device.length_unit / _unit_scale(unit)
    x = np.asarray(msh.geometry.x)
    pts = np.zeros((n_nodes, 3))
    for k, axis in enumerate(device.axes):
        pts[:, "xyz".index(axis)] = x[:n_nodes, k] * scale
    topo, types, _ = plot.vtk_mesh(msh, tdim, np.arange(n_cells, dtype=np.int32))
    if n_cells:
        nv = int(topo[0])
        conn = input_ids[np.asarray(topo).reshape(n_cells, nv + 1)[:, 1:]]
    else:
        conn = np.zeros((0, {1: 2, 2: 3, 3: 4}[tdim]), dtype=np.int64)
    cell_ids = np.asarray(msh.topology.original_cell_index[:n_cells], dtype=np.int64)
    lut = np.arange(256, dtype=np.uint8)
    lut[list(_LINEAR_VTK)] = list(_LINEAR_VTK.values())
    types = lut[np.asarray(types, dtype=np.int64)]
    return input_ids[:n_nodes], pts, conn, types, cell_ids


# dolfinx labels its cells as VTK Lagrange cells; degree-1 ones are the linear VTK cells
# with the same vertex order (line, triangle, quad, tetrahedron, hexahedron)
_LINEAR_VTK = {68: 3, 69: 5, 70: 9, 71: 10, 72: 12}


def _region_of_cells(device) -> np.ndarray:
    n_cells = device.mesh.topology.index_map(device.dim).size_local
    region = np.zeros(n_cells, dtype=np.int32)
    idx, val = device.cell_tags.indices, device.cell_tags.values
    own = idx < n_cells
    region[idx[own]] = val[own]
    return region


def _assemble_grid(parts, device, unit: str, extra_fields: dict):
    """Rank 0: one UnstructuredGrid from the per-rank parts (ordered by input indices)."""
    import pyvista as pv
    node_ids = np.concatenate([p["node_ids"] for p in parts])
    order = np.argsort(node_ids, kind="stable")
    sorted_ids = node_ids[order]
    if len(sorted_ids) > 1 and np.any(sorted_ids[1:] == sorted_ids[:-1]):
        raise RuntimeError("a mesh vertex is owned by two ranks; cannot gather the mesh")
    pts = np.concatenate([p["points"] for p in parts])[order]
    cell_ids = np.concatenate([p["cell_ids"] for p in parts])
    corder = np.argsort(cell_ids, kind="stable")
    conn = np.searchsorted(sorted_ids, np.concatenate([p["conn"] for p in parts]))[corder]
    types = np.concatenate([p["types"] for p in parts])[corder]
    cells = np.hstack([np.full((len(conn), 1), conn.shape[1], dtype=np.int64), conn]).ravel()
    grid = pv.UnstructuredGrid(cells, types, pts)
    for name in parts[0]["point_data"]:
        grid.point_data[name] = np.concatenate([p["point_data"][name] for p in parts])[order]
    for name in parts[0]["cell_data"]:
        grid.cell_data[name] = np.concatenate([p["cell_data"][name] for p in parts])[corder]
    names = list(device.regions)
    # VTK string arrays are ASCII: other characters are stored \u-escaped (see _ascii)
    grid.field_data["region_name"] = np.array([_ascii(n) for n in names] if names else [""])
    grid.field_data["region_tag"] = np.array([device.regions[n] for n in names] or [0],
                                             dtype=np.int32)
    grid.field_data["length_unit"] = np.array([_ascii(unit)])
    grid.field_data["axes"] = np.array([device.axes])
    grid.field_data["dim"] = np.array([device.dim], dtype=np.int32)
    for key, value in _facet_fields(parts, sorted_ids, device).items():
        grid.field_data[key] = value
    for key, value in extra_fields.items():
        grid.field_data[key] = value
    return grid


def _owned_facets(device) -> tuple[np.ndarray, np.ndarray]:
    """This rank's owned tagged facets: (vertices in input ids (n, nv), tags (n,))."""
    from dolfinx import mesh as dmesh
    msh, fdim = device.mesh, device.dim - 1
    msh.topology.create_connectivity(fdim, device.dim)
    n_own = msh.topology.index_map(fdim).size_local
    idx, val = device.facet_tags.indices, device.facet_tags.values
    own = idx < n_own
    nodes = np.asarray(dmesh.entities_to_geometry(msh, fdim, idx[own].astype(np.int32)))
    if nodes.ndim == 2 and nodes.shape[1] == 4:     # quadrilateral: dolfinx -> VTK order
        nodes = nodes[:, [0, 1, 3, 2]]
    input_ids = np.asarray(msh.geometry.input_global_indices, dtype=np.int64)
    return input_ids[nodes].reshape(len(nodes), -1), np.asarray(val[own], dtype=np.int32)


def _facet_fields(parts, sorted_ids, device) -> dict:
    """Field data of the tagged facets (rank 0): ``facet_cells`` (n, nv) point indices of the
    grid, ``facet_tag`` (n,), sorted by (tag, sorted vertices) so that the arrays do not
    depend on the number of ranks; ``facet_name`` / ``facet_name_tag`` (aligned)."""
    conn = np.concatenate([p["facets"] for p in parts])
    tags = np.concatenate([p["facet_tags"] for p in parts])
    if not len(tags):
        return {}
    cells = np.searchsorted(sorted_ids, conn)
    key = np.sort(cells, axis=1)
    order = np.lexsort(tuple(key[:, k] for k in reversed(range(key.shape[1]))) + (tags,))
    names = list(device.boundaries)
    return {"facet_cells": cells[order], "facet_tag": tags[order],
            "facet_name": np.array([_ascii(n) for n in names]),
            "facet_name_tag": np.array([device.boundaries[n] for n in names], dtype=np.int32)}


def _gather(device, point_data: dict, cell_data: dict, unit: str, extra_fields: dict):
    node_ids, pts, conn, types, cell_ids = _owned_mesh(device, unit)
    facets, facet_tags = _owned_facets(device)
    part = {"node_ids": node_ids, "points": pts, "conn": conn, "types": types,
            "cell_ids": cell_ids, "point_data": point_data, "facets": facets,
            "facet_tags": facet_tags,
            "cell_data": {"region": _region_of_cells(device), **cell_data}}
    comm = device.comm
    parts = comm.gather(part, root=0)
    if comm.rank != 0:
        return None
    return _assemble_grid(parts, device, unit, extra_fields)


def device_grid(device, *, unit: str = "nm"):
    """The mesh of a :class:`~kinetics.device.Device` as a PyVista grid on rank 0.

    Collective (call on every rank).  Cell data ``region`` (tag) and the field data of
    :func:`to_pyvista` (without fields); coordinates in ``unit``.

    Returns
    -------
    pyvista.UnstructuredGrid on rank 0, None on the other ranks.

    Raises
    ------
    ValueError
        For an unknown ``unit`` or a curved (degree > 1) mesh geometry.
    """
    _unit_scale(unit)
    return _gather(device, {}, {}, unit, {})


def _vertex_values(sol) -> dict:
    """Each declared primary field at this rank's owned geometry nodes, name -> array of
    shape (n_owned,) or (n_owned, 3), SI."""
    from dolfinx import fem
    msh = sol.device.mesh
    n_nodes = msh.geometry.index_map().size_local
    out = {}
    for field in sol.fields:
        if field.kind != "primary":
            continue
        Q = fem.functionspace(msh, ("Lagrange", 1, field.shape))
        f = fem.Function(Q)
        f.interpolate(fem.Expression(sol.expression(field.name), Q.element.interpolation_points()))
        values = np.full((len(msh.geometry.x), field.size), np.nan)
        dofs = f.x.array.reshape(-1, field.size)[Q.dofmap.list.ravel()]
        values[msh.geometry.dofmap.ravel()] = dofs
        out[field.name] = values[:n_nodes, 0] if field.shape == () else values[:n_nodes]
    return out


def cell_means(msh, size: int, integral, n_cells: int) -> np.ndarray:
    """Cell averages of a ``size``-component field on the first ``n_cells`` cells of
    ``msh`` (this rank's owned cells), shape (n_cells, size).

    ``integral(q)`` returns the UFL form ∫ field·q dx, linear in the test function q of the
    vector DG0 space (each cell's integral of the field), divided here by the cell volumes.
    """
    import ufl
    from dolfinx import fem
    D = fem.functionspace(msh, ("Discontinuous Lagrange", 0, (size,)))
    D0 = fem.functionspace(msh, ("Discontinuous Lagrange", 0))
    integrals = fem.assemble_vector(fem.form(integral(ufl.TestFunction(D)))).array
    volumes = fem.assemble_vector(fem.form(ufl.TestFunction(D0) * ufl.dx(domain=msh))).array
    cells = np.arange(n_cells, dtype=np.int32)
    return (integrals.reshape(-1, size)[D.dofmap.list[cells, 0]]
            / volumes[D0.dofmap.list[cells, 0]][:, None])


def _cell_averages(sol) -> dict:
    """Cell averages of the declared flux fields (SI) on this rank's owned cells, each
    region with its own coefficients: name -> (n_cells, 3) for vectors; a (3, 3) field as
    its rows ``name_x``, ``name_y``, ``name_z``."""
    import ufl
    dev = sol.device
    msh = dev.mesh
    parts = [(f"{f.name}_{a}" if f.shape == (3, 3) else f.name, f.name, i)
             for f in sol.fields if f.kind == "flux"
             for i, a in (enumerate("xyz") if f.shape == (3, 3) else [(None, None)])]
    n_cells = msh.topology.index_map(dev.dim).size_local
    if not parts:
        return {}
    if not sol.regions:
        return {label: np.zeros((n_cells, 3)) for label, _, _ in parts}

    def integral(q):
        form = None
        for region in sol.regions:
            comps = []
            for _, name, row in parts:
                e = sol.expression(name, region)
                comps += [e[k] if row is None else e[row, k] for k in range(3)]
            term = ufl.inner(ufl.as_vector(comps), q) * sol.dx(region)
            form = term if form is None else form + term
        return form

    avg = cell_means(msh, 3 * len(parts), integral, n_cells)
    return {label: avg[:, 3 * k:3 * k + 3] for k, (label, _, _) in enumerate(parts)}


def to_pyvista(solution, *, unit: str = "nm"):
    """The fields of a solution as one PyVista grid on rank 0 (see the module docstring).

    Collective: call it on every rank of the solution's communicator.

    Parameters
    ----------
    solution:
        A :class:`kinetics.models.spin_charge.Solution` (P1 or P2; 2D or 3D device), or a
        :class:`kinetics.models.circuit.CircuitSolution` (fields per cell,
        :func:`kinetics.output.circuit_grid.circuit_to_pyvista`).
    unit:
        Unit of the grid coordinates: ``"nm"`` (default), ``"µm"``/``"um"``, ``"mm"``,
        ``"m"``; recorded in field data ``length_unit``.

    Returns
    -------
    pyvista.UnstructuredGrid on rank 0 (point data ``V``, ``mu_s``, ``|mu_s|`` in V; cell
    data ``region``, ``j_c``, ``|j_c|``, ``j_s_x``, ``j_s_y``, ``j_s_z`` in A/m²), None on
    the other ranks.

    Raises
    ------
    ValueError
        For an unknown ``unit``, a 1D device (use :func:`kinetics.observables.line_profile`)
        or a curved (degree > 1) mesh geometry.
    """
    _unit_scale(unit)
    from kinetics.models.circuit_results import CircuitSolution
    if isinstance(solution, CircuitSolution):
        from kinetics.output.circuit_grid import circuit_to_pyvista
        return circuit_to_pyvista(solution, unit=unit)
    dev = solution.device
    if dev.dim < 2:
        raise ValueError(f"to_pyvista draws 2D and 3D devices, this one is {dev.dim}D; "
                         f"use kinetics.observables.line_profile and kinetics.plot.line_profile")
    point_data = _with_magnitudes(_vertex_values(solution), solution, "primary")
    cell_data = _with_magnitudes(_cell_averages(solution), solution, "flux")
    extra = {"degree": np.array([solution.degree], dtype=np.int32)}
    mags = solution.magnetizations
    if mags:
        extra["magnet_name"] = np.array([_ascii(n) for n in mags])
        extra["magnet_m"] = np.array([mags[k] for k in mags], dtype=float).reshape(-1, 3)
    return _gather(dev, point_data, cell_data, unit, extra)


def _with_magnitudes(data: dict, sol, kind: str) -> dict:
    """Contiguous arrays, with ``|name|`` after each declared 3-vector field of ``kind``."""
    out = {}
    for name, values in data.items():
        out[name] = np.ascontiguousarray(values)
        if any(f.name == name and f.shape == (3,) and f.kind == kind for f in sol.fields):
            out[f"|{name}|"] = np.linalg.norm(values, axis=1)
    return out


def root_call(comm, fn):
    """Run ``fn`` on rank 0; re-raise its exception on every rank; its value on rank 0."""
    result, error = None, None
    if comm is None or comm.rank == 0:
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - re-raised below, on every rank
            error = exc
    if comm is not None and comm.size > 1:
        msg = comm.bcast(None if error is None else f"{type(error).__name__}: {error}", root=0)
        if comm.rank != 0 and msg is not None:
            raise RuntimeError(f"rank 0 failed: {msg}")
    if error is not None:
        raise error
    return result


def atomic_write(path, write) -> Path:
    """Call ``write(tmp_path)`` with a temporary file next to ``path`` (same suffix), then
    rename it to ``path``; the temporary file is removed if ``write`` fails."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def save_vtu(solution_or_grid, path, *, unit: str = "nm", state: str | None = None):
    """Write the grid of :func:`to_pyvista` to a VTK ``.vtu`` file (binary, atomic).

    Parameters
    ----------
    solution_or_grid:
        A :class:`~kinetics.models.spin_charge.Solution` (collective: call on every rank; the
        grid is gathered to rank 0, which writes; an error there is raised on every rank) or a grid
        from :func:`to_pyvista` / :func:`load_vtu` (no communication: rank 0 of
        ``MPI.COMM_WORLD`` writes, other ranks return None at once, whatever they pass).
    path:
        The ``.vtu`` file; parent folders are created.  The file is written under a
        temporary name and renamed, so it is never half-written.
    unit:
        Coordinate unit when a solution is given (see :func:`to_pyvista`).
    state:
        Which state the fields are, as free text (e.g. ``"d = 4 nm, m = (1, 0, 0)"``),
        stored as field data ``state`` (:func:`kinetics.output.vtu.state_of`; the pictures
        of ``kinetics plot`` show it); None keeps the grid's own.

    Returns
    -------
    pathlib.Path on rank 0 (the writer), None on the other ranks.

    Raises
    ------
    ValueError
        If ``path`` does not end in ``.vtu`` or ``state`` is not a string; the errors of
        :func:`to_pyvista`.
    """
    path = Path(path)
    if path.suffix != ".vtu":
        raise ValueError(f"save_vtu writes VTK unstructured grids: the path must end in "
                         f".vtu, got {str(path)!r}")
    if state is not None and not isinstance(state, str):
        raise ValueError(f"save_vtu: state must be a string describing the fields, got "
                         f"{type(state).__name__}")

    def save(grid, tmp):
        if state is not None:
            grid = grid.copy(deep=False)
            grid.field_data["state"] = np.array([_ascii(state)])
        grid.save(str(tmp))
    if hasattr(solution_or_grid, "problem"):
        comm = solution_or_grid.problem.device.comm
        grid = to_pyvista(solution_or_grid, unit=unit)
    else:   # a grid: no communication, rank 0 writes
        world = world_comm()
        if world is not None and world.rank != 0:
            return None
        grid = solution_or_grid
        if grid is None:
            raise ValueError("save_vtu got None on rank 0: pass a Solution or a grid")
        return atomic_write(path, lambda tmp: save(grid, tmp))
    out = root_call(comm, lambda: atomic_write(path, lambda tmp: save(grid, tmp)))
    return out if comm.rank == 0 else None


def world_comm():
    """MPI.COMM_WORLD when mpi4py is loaded and MPI initialized and running on > 1 rank."""
    import sys
    if "mpi4py.MPI" not in sys.modules:
        return None
    from mpi4py import MPI
    if not MPI.Is_initialized() or MPI.Is_finalized() or MPI.COMM_WORLD.size == 1:
        return None
    return MPI.COMM_WORLD


def load_vtu(path):
    """Read a grid written by :func:`save_vtu` (local: any rank may call it).

    Returns
    -------
    pyvista.UnstructuredGrid with the point, cell and field data of :func:`to_pyvista`.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not a kinetics grid (no cell data ``region`` or no field data
        ``length_unit``).
    """
    import pyvista as pv
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {str(path)!r} (write it with "
                                f"kinetics.output.grid.save_vtu)")
    grid = pv.read(str(path))
    if not isinstance(grid, pv.UnstructuredGrid) or "region" not in grid.cell_data \
            or "length_unit" not in grid.field_data:
        raise ValueError(f"{str(path)!r} is not a kinetics grid (written by "
                         f"kinetics.output.grid.save_vtu): it lacks cell data 'region' or field "
                         f"data 'length_unit'")
    return grid
