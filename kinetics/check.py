"""Check a case or a device before solving: sizes of regions and tagged facets, a report.

:func:`measures` gives the volume of every region and the area of every tagged facet set
(SI units, reduced over MPI, from the vertex coordinates: no form is compiled).
:func:`report` is the table that ``kinetics mesh`` prints; :func:`check_case` is
``kinetics check CASE``: the case validated, meshed, its materials and boundary conditions
checked against the mesh and listed with their resolved values, the device drawn; no solve.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

__all__ = ["measures", "report", "mesh_case", "check_case", "MEASURE_UNITS"]

#: topological dimension -> (what a region measures, unit; what a facet measures, unit)
MEASURE_UNITS = {1: ("length", "m", "points", "1"), 2: ("area", "m^2", "length", "m"),
                 3: ("volume", "m^3", "area", "m^2")}


def _simplex_measure(x: np.ndarray) -> np.ndarray:
    """Measures of simplices with vertex coordinates ``x`` (n, k + 1, 3), k = 0..3."""
    k = x.shape[1] - 1
    if k == 0:
        return np.ones(len(x))
    edges = x[:, 1:, :] - x[:, :1, :]                     # (n, k, 3)
    gram = np.einsum("nid,njd->nij", edges, edges)
    return np.sqrt(np.clip(np.linalg.det(gram), 0.0, None)) / math.factorial(k)


#: tensor-product cells (dolfinx vertex order) split into simplices (exact for affine cells)
_SPLITS = {"quadrilateral": ((0, 1, 3), (0, 2, 3)),
           "hexahedron": ((0, 1, 3, 7), (0, 1, 5, 7), (0, 2, 3, 7), (0, 2, 6, 7),
                          (0, 4, 5, 7), (0, 4, 6, 7))}


def _entity_measures(mesh, dim: int, entities: np.ndarray, kind: str) -> np.ndarray:
    """Measures (mesh units) of the local ``entities`` of dimension ``dim``."""
    from dolfinx import mesh as dmesh
    if len(entities) == 0:
        return np.zeros(0)
    nodes = dmesh.entities_to_geometry(mesh, dim, entities.astype(np.int32), False)
    x = mesh.geometry.x[nodes]                             # (n, nodes per entity, 3)
    split = _SPLITS.get(kind)
    if split is None:
        return _simplex_measure(x[:, :dim + 1, :])
    return sum(_simplex_measure(x[:, list(s), :]) for s in split)


def _facet_kind(cell_kind: str, dim: int) -> str:
    if dim == 3:
        return "quadrilateral" if cell_kind == "hexahedron" else "triangle"
    return "interval" if dim == 2 else "point"


def measures(device) -> dict:
    """Sizes of the regions and tagged facet sets of a device (collective: every rank).

    Returns
    -------
    dict with ``regions`` (name -> volume: m^3 in 3D, area m^2 in 2D, length m in 1D),
    ``facets`` (name -> area m^2 in 3D, length m in 2D, number of points in 1D) and
    ``units`` ({"regions": unit, "facets": unit}); global values (sums over the ranks' owned
    cells and facets), in SI units (mesh coordinates times ``device.length_unit``).
    Affine cells are measured exactly (tensor-product cells split into simplices).
    """
    from mpi4py import MPI
    msh, tdim = device.mesh, device.dim
    kind = msh.topology.cell_type.name
    n_cells = msh.topology.index_map(tdim).size_local
    cells = np.arange(n_cells, dtype=np.int32)
    cell_size = _entity_measures(msh, tdim, cells, kind)
    msh.topology.create_entities(tdim - 1)
    msh.topology.create_connectivity(tdim - 1, 0)
    n_facets = msh.topology.index_map(tdim - 1).size_local
    ct, ft = device.cell_tags, device.facet_tags
    unit = device.length_unit
    regions, facets = {}, {}
    for name in device.regions:
        local = ct.indices[(ct.values == device.region_tag(name)) & (ct.indices < n_cells)]
        regions[name] = msh.comm.allreduce(float(cell_size[local].sum()), op=MPI.SUM) \
            * unit ** tdim
    for name in device.boundaries:
        local = ft.indices[(ft.values == device.boundary_tag(name)) & (ft.indices < n_facets)]
        size = _entity_measures(msh, tdim - 1, local, _facet_kind(kind, tdim))
        facets[name] = msh.comm.allreduce(float(size.sum()), op=MPI.SUM) * \
            (unit ** (tdim - 1) if tdim > 1 else 1.0)
    _, region_unit, _, facet_unit = MEASURE_UNITS[tdim]
    return {"regions": regions, "facets": facets,
            "units": {"regions": region_unit, "facets": facet_unit}}


def _si(value: float, unit: str) -> str:
    """``value`` in the nm-based unit that reads best (nm, nm^2, nm^3), with the SI value."""
    power = {"m": 1, "m^2": 2, "m^3": 3}.get(unit)
    if power is None:
        return f"{value:g}"
    return f"{value / 1e-9 ** power:.4g} nm{'' if power == 1 else f'^{power}'}"


def report(stats: dict, sizes: dict, interfaces=()) -> str:
    """Plain-text table of a device: mesh statistics (:func:`kinetics.geometry.statistics`),
    then every region with its cells and size, every facet set with its facets and size
    (interfaces ``a|b`` marked), from :func:`measures`."""
    from kinetics.geometry import format_statistics
    head = format_statistics(stats).split("\nregion")[0]
    tdim = stats["dim"]
    rname, _, fname, _ = MEASURE_UNITS[tdim]
    names = [*sizes["regions"], *sizes["facets"]]
    width = max([len(n) for n in names] + [8])
    lines = [head, f"{'region':<{width}}  {'cells':>9}  {rname}"]
    for n, v in sizes["regions"].items():
        lines.append(f"{n:<{width}}  {stats['regions'].get(n, 0):>9}  "
                     f"{_si(v, sizes['units']['regions'])}")
    lines.append(f"{'facet set':<{width}}  {'facets':>9}  {fname}")
    for n, v in sizes["facets"].items():
        mark = "  (interface)" if "|" in n or n in interfaces else ""
        lines.append(f"{n:<{width}}  {stats['boundaries'].get(n, 0):>9}  "
                     f"{_si(v, sizes['units']['facets'])}{mark}")
    return "\n".join(lines)


def mesh_case(case, comm=None):
    """The device of a validated case's ``[geometry]``, without its output folder: a
    ``cache`` folder (which lies in the output folder) is ignored, so nothing is written.

    Raises
    ------
    kinetics.case.CaseError
        If the builder or the loader rejects the geometry.
    """
    import dataclasses
    geo = {k: v for k, v in case.data["geometry"].items() if k != "cache"}
    return dataclasses.replace(case, data={**case.data, "geometry": geo}).build_device(comm)


def _unit(key: str) -> str:
    from kinetics.io import _rule_unit
    unit = _rule_unit(("materials", "x", key))
    return "" if unit in ("1", "unspecified") else f" {unit}"


def _condition(spec) -> str:
    if not isinstance(spec, dict):
        return "?"
    rest = ", ".join(f"{k} = {v}" for k, v in spec.items() if k != "type")
    return spec.get("type", "?") + (f" ({rest})" if rest else "")


def check_case(case, comm=None, png=None) -> str:
    """Validate-and-mesh check of a case, no solve (collective: call on every rank).

    Meshes ``[geometry]`` (:func:`mesh_case`), checks the ``[materials]`` regions and the
    ``[boundaries]`` facet names against the mesh, and draws the device with every tagged
    facet set to ``png`` (:func:`kinetics.geometry.gallery.render`; 2D and 3D devices).

    Returns
    -------
    str
        The report: model, mesh statistics, regions with their cells, volumes and materials
        (resolved values and library source), facet sets with their facets, areas and
        conditions (facets without one are insulating), the picture's path.

    Raises
    ------
    kinetics.case.CaseError
        For a geometry the builder rejects, a region or facet name the mesh does not have, a
        region without material (exit code 2 of ``kinetics check``).
    """
    from mpi4py import MPI

    from kinetics.geometry import statistics
    from kinetics.models.registry import REGISTRY
    from kinetics.runner import case_provenance
    from kinetics.log import LOGGER
    comm = comm or MPI.COMM_WORLD
    model = case.model or REGISTRY.lookup(None)
    LOGGER.info(f"{case.path}: valid; meshing")
    device = mesh_case(case, comm)
    LOGGER.info("checking materials and boundary names against the mesh")
    if "materials" in model.needs or case.get("materials") is not None:
        case.materials(device)
    if case.get("boundaries") is not None:
        case.boundaries(device)
    sizes = measures(device)
    prov = case_provenance(case, model, sizes)
    lines = [f"{case.path}: valid; model {model.name}"
             + (f" ([{model.section}])" if model.section else ""),
             report(statistics(device), sizes)]
    if prov["materials"]:
        lines.append("materials")
        for region, m in prov["materials"].items():
            values = ", ".join(f"{k} = {v:g}{_unit(k)}" for k, v in m.items()
                               if isinstance(v, (int, float)) and not isinstance(v, bool))
            lib = f"{m['library']}" + (f" with {', '.join(m['overrides'])} from the case"
                                       if m["overrides"] else "") if m["library"] else \
                "the case file"
            lines.append(f"  {region}: {lib}: {values}")
            lines.append(f"      source: {m['source']}")
    table = case.get("boundaries")
    if table is None:
        lines.append(f"conditions: no [boundaries] table"
                     + (f" (the facets' conditions are set in [{model.section}])"
                        if model.section else ""))
    else:
        lines.append("conditions")
    for name in device.boundaries if table is not None else []:
        if name in prov["interfaces"]:
            i = prov["interfaces"][name]
            lines.append(f"  {name}: magnetic, G_r = {i['G_r']:g}, G_i = {i['G_i']:g}, "
                         f"G_s = {i['G_s']:g} 1/(Ohm m^2), m = {i['m']}"
                         + (f"; {i['library']}: {i['source']}" if i["library"] else ""))
        elif name in table:
            lines.append(f"  {name}: {_condition(table[name])}")
        else:
            lines.append(f"  {name}: no [boundaries] entry: insulating (n.j = 0)")
    if png is not None:
        if device.dim < 2:
            lines.append("picture: none (a 1D device)")
        else:
            from kinetics.plot import regions
            title = f"{Path(case.path).name}: regions and tagged facets"
            try:
                path = regions(device, png, title=title)
                lines.append(f"wrote {path}")
            except RuntimeError as exc:        # no off-screen rendering (raised on every rank)
                lines.append(f"picture: not drawn ({str(exc).splitlines()[0]})")
    lines.append("no problems found (nothing solved)")
    return "\n".join(lines)
