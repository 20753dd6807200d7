"""The meshed device: a dolfinx mesh with named regions and named boundaries.

Every geometry builder (:mod:`kinetics.geometry`) returns a :class:`Device`; every physics
model takes one.  Names are the user-facing handles (gmsh physical-group names): materials
are assigned to region names and boundary conditions to boundary names.

Lengths: the mesh coordinates are in units of ``length_unit`` metres (the gmsh builders use
nanometres, ``length_unit = 1e-9``).  Public quantities stay in SI; the solvers convert.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from kinetics import validation

__all__ = ["Device"]


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
        ``length_unit`` is not positive and finite or outside [1e-30, 1e30] m
        (:class:`kinetics.validation.ValidationError`), or if region/boundary names are
        empty or their tags are not integers.
    TypeError
        For a length_unit that is not a number, names that are not strings, or regions
        and boundaries that are not mappings.
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
        self.length_unit = validation.positive("Device", "length_unit", self.length_unit,
                                               kind="a number (metres per mesh unit)",
                                               limit=validation.SI_LIMIT)
        self.regions = _tags("regions", self.regions)
        self.boundaries = _tags("boundaries", self.boundaries)

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


def _tags(name: str, table) -> dict[str, int]:
    """``table`` (name -> tag) with string names and integer tags.

    Raises
    ------
    TypeError
        If ``table`` is not a mapping or a name is not a string.
    kinetics.validation.ValidationError
        For an empty name or a tag that is not an integer.
    """
    if not hasattr(table, "items"):
        raise TypeError(f"Device: {name} must be a mapping name -> tag, got {type(table).__name__}")
    return {validation.text("Device", f"{name} name", k): validation.integer("Device",
                                                                             f"{name}[{k!r}]", v)
            for k, v in table.items()}
