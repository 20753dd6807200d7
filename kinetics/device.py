"""The meshed device: a dolfinx mesh with named regions and named boundaries.

Every geometry builder (:mod:`kinetics.geometry`) returns a :class:`Device`; every physics
model takes one.  Names are the user-facing handles (gmsh physical-group names): materials
are assigned to region names and boundary conditions to boundary names.

Lengths: the mesh coordinates are in units of ``length_unit`` metres (the gmsh builders use
nanometres, ``length_unit = 1e-9``).  Public quantities stay in SI; the solvers convert.

This module also has :func:`layered_box`, a structured (hexahedral or simplex) builder for
thin-film stacks without gmsh, used by the verification tests and the quick demo.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

__all__ = ["Device", "layered_box"]


@dataclasses.dataclass
class Device:
    """A mesh with named cell regions and named facet sets.

    Attributes
    ----------
    mesh:
        ``dolfinx.mesh.Mesh`` (1D, 2D or 3D), distributed over ``mesh.comm``.
    cell_tags:
        ``dolfinx.mesh.MeshTags`` of dimension tdim; values are region tags.
    facet_tags:
        ``dolfinx.mesh.MeshTags`` of dimension tdim - 1; values are boundary tags.
        Interior facets (interfaces between regions) may be tagged too.
    regions:
        Region name -> cell tag value.
    boundaries:
        Boundary or interface name -> facet tag value.
    length_unit:
        Metres per mesh coordinate unit (1e-9 for a mesh in nanometres).
    axes:
        The physical axes that the mesh coordinates span, e.g. ``"xyz"`` for 3D, ``"xz"`` for a
        2D cross-section in the x-z plane (uniform along y).  Spin accumulation always has
        three components; gradients along axes the mesh does not span are zero.

    Raises
    ------
    ValueError
        If ``axes`` does not match the mesh's geometric dimension or repeats an axis, if
        ``length_unit`` is not positive, or if region/boundary tags are not integers.
    """

    mesh: object
    cell_tags: object
    facet_tags: object
    regions: dict[str, int]
    boundaries: dict[str, int]
    length_unit: float = 1.0
    axes: str | None = None

    def __post_init__(self):
        gdim = self.mesh.geometry.dim
        if self.axes is None:
            self.axes = "xyz"[:gdim]
        if len(self.axes) != gdim or len(set(self.axes)) != gdim or set(self.axes) - set("xyz"):
            raise ValueError(f"axes={self.axes!r} must name {gdim} distinct axes out of 'xyz' "
                             f"for a mesh of geometric dimension {gdim}")
        if not self.length_unit > 0:
            raise ValueError(f"length_unit must be positive (metres per mesh unit), got {self.length_unit}")
        self.regions = {str(k): int(v) for k, v in self.regions.items()}
        self.boundaries = {str(k): int(v) for k, v in self.boundaries.items()}

    # -- names ---------------------------------------------------------------------------
    @property
    def comm(self):
        """The MPI communicator of the mesh."""
        return self.mesh.comm

    @property
    def dim(self) -> int:
        """Topological dimension of the mesh."""
        return self.mesh.topology.dim

    def region_tag(self, name: str) -> int:
        """Cell tag of region ``name``.

        Raises
        ------
        KeyError
            For an unknown name; the message lists the known regions.
        """
        try:
            return self.regions[name]
        except KeyError:
            raise KeyError(f"unknown region '{name}'; regions of this device: "
                           f"{', '.join(sorted(self.regions)) or '(none)'}") from None

    def boundary_tag(self, name: str) -> int:
        """Facet tag of boundary or interface ``name``.

        Raises
        ------
        KeyError
            For an unknown name; the message lists the known boundaries.
        """
        try:
            return self.boundaries[name]
        except KeyError:
            raise KeyError(f"unknown boundary '{name}'; boundaries of this device: "
                           f"{', '.join(sorted(self.boundaries)) or '(none)'}") from None

    # -- measures ------------------------------------------------------------------------
    def _global_count(self, tags, value) -> int:
        from mpi4py import MPI
        ent = tags.find(value)
        imap = self.mesh.topology.index_map(tags.dim)
        owned = int(np.count_nonzero(ent < imap.size_local))
        return self.comm.allreduce(owned, op=MPI.SUM)

    def facet_count(self, name: str) -> int:
        """Global number of facets tagged ``name`` (0 when the mesh lacks it)."""
        return self._global_count(self.facet_tags, self.boundary_tag(name))

    def cell_count(self, name: str) -> int:
        """Global number of cells in region ``name``."""
        return self._global_count(self.cell_tags, self.region_tag(name))

    def volume(self, name: str | None = None) -> float:
        """Volume of a region (or of the whole mesh) in m^dim (SI), reduced over MPI."""
        import ufl
        dx = ufl.Measure("dx", domain=self.mesh, subdomain_data=self.cell_tags)
        measure = dx if name is None else dx(self.region_tag(name))
        return self._integrate(lambda one: one * measure) * self.length_unit ** self.dim

    def area(self, name: str) -> float:
        """Area of a tagged boundary (ds) or interior interface (dS) in m^(dim-1), over MPI."""
        import ufl
        tag = self.boundary_tag(name)
        ds = ufl.Measure("ds", domain=self.mesh, subdomain_data=self.facet_tags)
        dS = ufl.Measure("dS", domain=self.mesh, subdomain_data=self.facet_tags)
        value = self._integrate(lambda one: one * ds(tag) + ufl.avg(one) * dS(tag))
        return value * self.length_unit ** (self.dim - 1)

    def _integrate(self, integrand) -> float:
        """Global value of the form ``integrand(one)``, ``one`` the constant 1."""
        from dolfinx import fem
        from mpi4py import MPI
        one = fem.Constant(self.mesh, np.float64(1.0))
        local = fem.assemble_scalar(fem.form(integrand(one)))
        return self.comm.allreduce(local, op=MPI.SUM)

    def summary(self) -> dict:
        """Mesh statistics: cells, vertices, per-region cell counts and volumes (SI)."""
        topo = self.mesh.topology
        ncells = topo.index_map(self.dim).size_global
        nverts = topo.index_map(0).size_global
        out = {"cells": ncells, "vertices": nverts, "dim": self.dim, "axes": self.axes,
               "length_unit_m": self.length_unit, "regions": {}, "boundaries": {}}
        for name in self.regions:
            out["regions"][name] = {"cells": self.cell_count(name), "volume": self.volume(name)}
        for name in self.boundaries:
            out["boundaries"][name] = {"facets": self.facet_count(name), "area": self.area(name)}
        return out


def _graded(s: np.ndarray, grading: float) -> np.ndarray:
    """Map uniform s in [0, 1] to nodes clustered at both ends (grading in [0, 1))."""
    return s - grading * np.sin(2 * np.pi * s) / (2 * np.pi)


def layered_box(lengths: Sequence[float], cells: Sequence[int],
                layers: Sequence[tuple[str, float, int]] | None = None, *,
                axes: str | None = None, length_unit: float = 1e-9, grading: float = 0.0,
                cell_type: str = "hexahedron", comm=None) -> Device:
    """A structured box (interval, rectangle or brick) with layers stacked along its last axis.

    Parameters
    ----------
    lengths:
        Side lengths in metres, one per mesh axis (1, 2 or 3 of them).  With ``layers`` the
        last entry is ignored (the stack height is the sum of the layer thicknesses).
    cells:
        Cells per mesh axis.  With ``layers`` the last entry is ignored (each layer gives its
        own count).
    layers:
        ``[(region_name, thickness_m, cells_across), ...]`` from the bottom (lowest
        coordinate of the last axis) up.  Default: one region ``"film"`` filling the box.
    axes:
        Physical axes of the mesh coordinates (default ``"xyz"[:dim]``); ``"xz"`` makes a 2D
        cross-section with the stack along z.
    length_unit:
        Metres per mesh unit (default nm).
    grading:
        0 for uniform spacing; 0 < g < 1 clusters nodes toward every layer face (the spacing
        at a face is (1 - g) times the uniform spacing).
    cell_type:
        ``"hexahedron"`` (quadrilateral in 2D) or ``"tetrahedron"`` (triangle in 2D).

    Returns
    -------
    Device
        Regions: the layer names.  Boundaries: ``{axis}min``/``{axis}max`` for each mesh axis
        (e.g. ``xmin``, ``zmax``) and, between layers, ``"lower|upper"`` interfaces.

    Raises
    ------
    ValueError
        For non-positive lengths, thicknesses or cell counts, duplicate layer names, or a
        grading outside [0, 1).
    """
    from dolfinx import mesh as dmesh
    from mpi4py import MPI

    comm = MPI.COMM_WORLD if comm is None else comm
    dim = len(lengths)
    if dim not in (1, 2, 3) or len(cells) != dim:
        raise ValueError(f"lengths and cells must both have 1, 2 or 3 entries, got {lengths}, {cells}")
    if any(float(v) <= 0 for v in lengths[:-1]) or any(int(n) < 1 for n in cells[:-1]):
        raise ValueError(f"lengths must be positive and cells >= 1, got {lengths}, {cells}")
    if not 0 <= grading < 1:
        raise ValueError(f"grading must be in [0, 1), got {grading}")
    if layers is None:
        layers = [("film", float(lengths[-1]), int(cells[-1]))]
    names = [name for name, _, _ in layers]
    if len(set(names)) != len(names):
        raise ValueError(f"layer names must be distinct, got {names}")
    for name, t, n in layers:
        if not float(t) > 0 or int(n) < 1:
            raise ValueError(f"layer '{name}': thickness must be > 0 and cells >= 1, got {t}, {n}")
    axes = axes or "xyz"[:dim]
    unit = float(length_unit)
    ext = [float(v) / unit for v in lengths[:-1]]
    counts = [int(n) for n in cells[:-1]]
    n_layer = [int(n) for _, _, n in layers]
    t_layer = [float(t) / unit for _, t, _ in layers]
    nz = sum(n_layer)

    simplex = cell_type in ("tetrahedron", "triangle")
    if dim == 1:
        msh = dmesh.create_interval(comm, nz, [0.0, float(nz)])
    elif dim == 2:
        ct = dmesh.CellType.triangle if simplex else dmesh.CellType.quadrilateral
        msh = dmesh.create_rectangle(comm, [[0.0, 0.0], [ext[0], float(nz)]], [counts[0], nz], ct)
    else:
        ct = dmesh.CellType.tetrahedron if simplex else dmesh.CellType.hexahedron
        msh = dmesh.create_box(comm, [[0.0, 0.0, 0.0], [ext[0], ext[1], float(nz)]],
                               [counts[0], counts[1], nz], ct)

    # map the uniform "cell index" coordinate of the last axis to the physical layer stack
    bounds_idx = np.concatenate([[0], np.cumsum(n_layer)]).astype(float)
    bounds_z = np.concatenate([[0.0], np.cumsum(t_layer)])
    x = msh.geometry.x
    k = x[:, dim - 1].copy()
    z = np.empty_like(k)
    for i in range(len(layers)):
        sel = (k >= bounds_idx[i] - 1e-9) & (k <= bounds_idx[i + 1] + 1e-9)
        s = (k[sel] - bounds_idx[i]) / n_layer[i]
        z[sel] = bounds_z[i] + t_layer[i] * _graded(np.clip(s, 0, 1), grading)
    x[:, dim - 1] = z

    # cell tags from midpoints
    tdim = msh.topology.dim
    msh.topology.create_connectivity(tdim, 0)
    n_local = msh.topology.index_map(tdim).size_local + msh.topology.index_map(tdim).num_ghosts
    cells_all = np.arange(n_local, dtype=np.int32)
    mid = dmesh.compute_midpoints(msh, tdim, cells_all)[:, dim - 1]
    region_values = np.searchsorted(bounds_z[1:-1], mid, side="right") + 1
    cell_tags = dmesh.meshtags(msh, tdim, cells_all, region_values.astype(np.int32))
    regions = {name: i + 1 for i, name in enumerate(names)}

    # facet tags: outer faces by coordinate, interfaces between layers
    fdim = tdim - 1
    msh.topology.create_connectivity(fdim, tdim)
    top = float(bounds_z[-1])
    maxima = ext + [top]
    tol = 1e-8 * max(maxima)
    boundaries, marked = {}, []
    tag = 1
    for d in range(dim):
        for side, value in (("min", 0.0), ("max", maxima[d])):
            facets = dmesh.locate_entities_boundary(
                msh, fdim, lambda p, d=d, value=value: np.abs(p[d] - value) < tol)
            boundaries[f"{axes[d]}{side}"] = tag
            marked.append((facets, tag))
            tag += 1
    for i in range(len(layers) - 1):
        zi = bounds_z[i + 1]
        facets = dmesh.locate_entities(msh, fdim, lambda p, zi=zi: np.abs(p[dim - 1] - zi) < tol)
        boundaries[f"{names[i]}|{names[i + 1]}"] = tag
        marked.append((facets, tag))
        tag += 1
    # each facet lies in one plane, so the sets are disjoint; meshtags wants sorted entities
    all_f = np.concatenate([f for f, _ in marked]).astype(np.int32)
    all_v = np.concatenate([np.full(len(f), t, dtype=np.int32) for f, t in marked])
    order = np.argsort(all_f)
    facet_tags = dmesh.meshtags(msh, fdim, all_f[order], all_v[order])
    return Device(msh, cell_tags, facet_tags, regions, boundaries, length_unit=unit, axes=axes)
