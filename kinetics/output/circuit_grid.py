"""The fields of a :class:`kinetics.models.circuit.CircuitSolution` as one PyVista grid.

A circuit solution has one Function per domain (V and μ_s jump at F|N junctions), so its
fields are exported per cell: the cell average of (V, μ_s) of the cell's own domain
(cell data ``V``, ``mu_s``, exact jumps at the junctions).  For the pictures of
:mod:`kinetics.plot` (which colour and draw arrows from point data) they are also averaged
onto the vertices (point data ``V``, ``mu_s``; at a junction this mixes the two sides over
one cell, so read jumps from the cell data or from :func:`kinetics.models.circuit_results.
facet_average`).  Coordinates, region tags and field data as
:func:`kinetics.output.grid.to_pyvista`.
"""

from __future__ import annotations

import numpy as np

from kinetics.output import grid as _grid

__all__ = ["circuit_to_pyvista"]


def _domain_averages(sol, dom: str) -> tuple[np.ndarray, np.ndarray]:
    """(parent cell indices, cell averages (n, 4)) of the owned cells of domain ``dom``."""
    import ufl
    rf = sol.problem.fields
    sub = rf.submeshes[dom]
    n_own = sub.topology.index_map(sub.topology.dim).size_local
    u = sol.u[dom]
    avg = _grid.cell_means(sub, 4, lambda q: ufl.inner(u, q) * ufl.dx(domain=sub), n_own)
    return np.asarray(rf.sub_to_parent[dom][:n_own]), avg


def circuit_to_pyvista(sol, *, unit: str = "nm"):
    """The fields of a circuit solution as one PyVista grid on rank 0 (module docstring).

    Collective: call it on every rank.

    Parameters
    ----------
    sol:
        A :class:`kinetics.models.circuit.CircuitSolution`.
    unit:
        Unit of the coordinates (as :func:`kinetics.output.grid.to_pyvista`).

    Returns
    -------
    pyvista.UnstructuredGrid on rank 0 (cell and point data ``V`` (V) and ``mu_s``
    (V, (n, 3))), None on the other ranks.

    Raises
    ------
    ValueError
        For an unknown ``unit``, a 1D device or a curved mesh geometry.
    """
    device = sol.problem.device
    if device.dim < 2:
        raise ValueError(f"circuit_to_pyvista draws 2D and 3D devices, this one is "
                         f"{device.dim}D; use kinetics.models.circuit_results.facet_average")
    n_cells = device.mesh.topology.index_map(device.dim).size_local
    values = np.full((n_cells, 4), np.nan)
    for dom in sol.problem.fields.names:
        parents, avg = _domain_averages(sol, dom)
        own = parents < n_cells
        values[parents[own]] = avg[own]
    grid = _grid._gather(device, {}, {"V": values[:, 0], "mu_s": values[:, 1:]}, unit,
                         {"model": np.array(["circuit"])})
    if grid is None:
        return None
    points = grid.cell_data_to_point_data(pass_cell_data=True)
    for name in ("V", "mu_s"):
        grid.point_data[name] = np.asarray(points.point_data[name])
    return grid
