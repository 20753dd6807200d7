"""Fields that jump across named interior interfaces: one function space per domain.

Method (dolfinx 0.9).  The regions of a :class:`~kinetics.device.Device` are grouped into
*domains*; each domain gets a submesh (``dolfinx.mesh.create_submesh`` over the cells of its
regions) and a Lagrange space on it, so that a field is continuous inside a domain and free to
jump between domains.  Every form is integrated on the *parent* mesh: bulk terms over the
domain's cells (:meth:`RegionFields.dx`), boundary terms over its exterior facets
(:meth:`RegionFields.ds`), interface terms over the interior facets between two domains
(:meth:`RegionFields.dS`), and the forms are compiled with ``entity_maps`` (parent cell ->
submesh cell, −1 outside the domain; :meth:`RegionFields.form`).  The blocks of the coupled
system are assembled by :func:`kinetics.solvers.system.assemble_block_operator`.

Two traps, both giving a wrong answer without an error (or a hang under MPI):

1. **Side ordering.**  dolfinx orders the two cells of an interior facet as the mesh happens
   to number them.  The interface data of :meth:`RegionFields.dS` are rows
   (cell, local facet, cell, local facet) swapped so that the cell of the *first* domain of the
   interface (the one listed first in ``domains``) is '+': write u₁('+') and u₂('−').  Plain
   facet tags passed to ``dS`` do not give this.
2. **Padding.**  A dolfinx 0.9 ``Form`` maps *both* cells of an interior facet through every
   entity map; the −1 of the other domain's cell breaks the sparsity pattern ("Cannot insert
   rows that do not exist") or hangs.  :attr:`RegionFields.interface_entity_maps` therefore sets
   ``map_1[c−] = map_1[c+]`` and ``map_2[c+] = map_2[c−]`` on interface cells.  The padded maps
   are harmless for integrals restricted to a domain's own cells (:meth:`dx`, :meth:`ds`), but an
   integral over domain-2 cells that uses a domain-1 function would silently read a neighbour's
   values: use :attr:`entity_maps` (unpadded) for any such form.

All three measures share one ``subdomain_data`` object per integral type (UFL refuses two in one
form), so do not mix them with ``dx``/``ds``/``dS`` measures made elsewhere in the same form.
Meshes must be ghosted with ``GhostMode.shared_facet`` (the default of
:func:`kinetics.geometry.layered_box`) and the cell tags must cover ghost cells.
dolfinx 0.10 replaces the maps by ``EntityMap`` objects and needs no padding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from kinetics import validation

__all__ = ["RegionFields"]


class RegionFields:
    """Per-domain Lagrange spaces on submeshes of a device, and the measures that couple them.

    Parameters
    ----------
    device:
        A :class:`~kinetics.device.Device` (mesh ghosted by shared facets).
    domains:
        ``{domain_name: [region_name, ...]}``, e.g. ``{"left": ["a"], "right": ["b"]}``;
        default: one domain per region, named like it.  Regions left out carry no field.
        The order of the mapping sets the side ordering of every interface ('+' = earlier).
    degree:
        Lagrange degree (an integer, 1 to 3).
    shape:
        Value shape: ``()`` for a scalar field, ``(n,)`` for an n-component field.

    Attributes
    ----------
    names:
        Domain names, in order.
    submeshes, spaces:
        ``{domain: dolfinx.mesh.Mesh}``, ``{domain: dolfinx.fem.FunctionSpace}``.
    sub_to_parent:
        ``{domain: int32 array}``: submesh cell -> parent cell (owned + ghost).
    entity_maps:
        ``{submesh: int32 array over parent cells}``, −1 outside the domain.
    interface_entity_maps:
        The same maps padded on interface cells (trap 2 of the module docstring).
    interfaces:
        ``{interface_name: (plus_domain, minus_domain)}`` for every named facet set that
        separates two different domains.

    Raises
    ------
    KeyError
        For an unknown region (the message lists the device's regions).
    ValueError
        For a region in two domains, an empty domain, a bad degree or shape.
    """

    def __init__(self, device, domains: Mapping[str, Sequence[str]] | None = None, *,
                 degree: int = 1, shape: tuple = ()):
        import basix.ufl
        import ufl
        from dolfinx import fem
        from dolfinx import mesh as dmesh

        self.device = device
        self.mesh = msh = device.mesh
        if domains is None:
            domains = {name: [name] for name in device.regions}
        degree = validation.integer("RegionFields", "degree", degree, 1, 3)
        shape = tuple(int(n) for n in shape)
        if len(shape) > 1 or any(n < 1 for n in shape):
            raise ValueError(f"shape must be () or (n,) with n >= 1, got {shape}")
        owner: dict[str, str] = {}
        for dom, regions in domains.items():
            if isinstance(regions, str) or len(regions) == 0:
                raise ValueError(f"domain '{dom}' needs a non-empty list of region names, "
                                 f"got {regions!r}")
            for region in regions:
                device.region_tag(region)            # KeyError listing the regions
                if region in owner:
                    raise ValueError(f"region '{region}' is in two domains: "
                                     f"'{owner[region]}' and '{dom}'")
                owner[region] = dom
        self.names = [str(d) for d in domains]
        self.domains = {str(d): [str(r) for r in rs] for d, rs in domains.items()}
        self.degree, self.shape = int(degree), shape

        tdim = msh.topology.dim
        fdim = tdim - 1
        topo = msh.topology
        for a, b in ((tdim, fdim), (fdim, tdim), (tdim, tdim)):
            if a != b:
                topo.create_connectivity(a, b)
        cmap = topo.index_map(tdim)
        self._n_cells = cmap.size_local + cmap.num_ghosts
        self._n_owned_cells = cmap.size_local
        self._n_owned_facets = topo.index_map(fdim).size_local
        c2f = topo.connectivity(tdim, fdim)
        self._c2f = c2f.array.reshape(self._n_cells, -1)
        self._f2c = topo.connectivity(fdim, tdim)

        # domain index of every local cell, -1 for regions without a field
        tags = device.cell_tags
        self.cell_domain = np.full(self._n_cells, -1, dtype=np.int32)
        for k, dom in enumerate(self.names):
            for region in self.domains[dom]:
                self.cell_domain[tags.find(device.region_tag(region))] = k

        element = basix.ufl.element("Lagrange", msh.basix_cell(), self.degree, shape=shape)
        self.submeshes, self.spaces, self.sub_to_parent, self._parent_to_sub = {}, {}, {}, {}
        for k, dom in enumerate(self.names):
            cells = np.flatnonzero(self.cell_domain == k).astype(np.int32)
            sub, s2p, _, _ = dmesh.create_submesh(msh, tdim, cells)
            p2s = np.full(self._n_cells, -1, dtype=np.int32)
            p2s[s2p] = np.arange(len(s2p), dtype=np.int32)
            sub.topology.create_connectivity(tdim, fdim)
            sub.topology.create_connectivity(fdim, tdim)
            self.submeshes[dom], self.sub_to_parent[dom], self._parent_to_sub[dom] = sub, s2p, p2s
            self.spaces[dom] = fem.functionspace(sub, element)
        self.entity_maps = {self.submeshes[d]: self._parent_to_sub[d] for d in self.names}

        # interfaces: owned facets with two local cells in two different domains
        self._rows, self.interfaces, self._why_not = {}, {}, {}
        self._ext = {}                      # (domain, boundary) -> (cell, local facet) rows
        pair_tag = {}
        for name, tag in device.boundaries.items():
            facets = device.facet_tags.find(tag)
            owned = facets[facets < self._n_owned_facets]
            nlinks = self._f2c.offsets[owned + 1] - self._f2c.offsets[owned]
            inner, outer = owned[nlinks == 2], owned[nlinks == 1]
            for k, dom in enumerate(self.names):
                cells = self._f2c.array[self._f2c.offsets[outer]]
                sel = outer[self.cell_domain[cells] == k]
                self._ext[(dom, name)] = self._local_rows(sel, self._f2c.array[self._f2c.offsets[sel]])
            c0 = self._f2c.array[self._f2c.offsets[inner]]
            c1 = self._f2c.array[self._f2c.offsets[inner] + 1]
            d0, d1 = self.cell_domain[c0], self.cell_domain[c1]
            pairs = {(int(min(p, q)), int(max(p, q))) for p, q in zip(d0, d1)}
            pairs = set().union(*msh.comm.allgather(pairs))
            if len(pairs) != 1 or any(p == q or p < 0 for p, q in pairs):
                self._why_not[name] = self._describe(pairs)
                continue
            (k0, k1), = pairs
            swap = d0 != k0                          # put the cell of domain k0 on '+'
            cp, cm = np.where(swap, c1, c0), np.where(swap, c0, c1)
            rows = np.column_stack([cp, self._local_facet(inner, cp),
                                    cm, self._local_facet(inner, cm)]).astype(np.int32)
            self._rows[name] = rows
            self.interfaces[name] = (self.names[k0], self.names[k1])
            pair_tag[name] = tag

        # padding (trap 2): each map sends the other side's cell to its own side's cell
        self.interface_entity_maps = {}
        padded = {d: self._parent_to_sub[d].copy() for d in self.names}
        for name, rows in self._rows.items():
            plus, minus = self.interfaces[name]
            for dom, own, other in ((plus, rows[:, 0], rows[:, 2]), (minus, rows[:, 2], rows[:, 0])):
                m = padded[dom]
                free = m[other] < 0
                m[other[free]] = m[own[free]]
        self.interface_entity_maps = {self.submeshes[d]: padded[d] for d in self.names}

        self._dx = ufl.Measure("dx", domain=msh, subdomain_data=device.cell_tags)
        self._ds_ids = {key: i + 1 for i, key in enumerate(self._ext)}
        self._ds = ufl.Measure("ds", domain=msh, subdomain_data=[
            (self._ds_ids[key], rows.ravel()) for key, rows in self._ext.items()])
        self._dS_ids = pair_tag
        self._dS = ufl.Measure("dS", domain=msh, subdomain_data=[
            (pair_tag[name], rows.ravel()) for name, rows in self._rows.items()])

    # -- helpers -------------------------------------------------------------------------
    def _local_facet(self, facets, cells):
        """Local index of each facet in its cell (cells as numbered on the parent mesh)."""
        hit = self._c2f[cells] == facets[:, None]
        return np.argmax(hit, axis=1).astype(np.int32)

    def _local_rows(self, facets, cells):
        return np.column_stack([cells, self._local_facet(facets, cells)]).astype(np.int32)

    def _describe(self, pairs):
        if not pairs:
            return "it has no interior facets (an exterior face, or empty)"
        named = sorted((self.names[p] if p >= 0 else "(no domain)",
                        self.names[q] if q >= 0 else "(no domain)") for p, q in pairs)
        text = ", ".join(f"{a}|{b}" for a, b in named)
        return f"its facets lie between {text}, not between two different domains"

    def _domain(self, name: str) -> str:
        if name not in self.spaces:
            raise KeyError(f"unknown domain '{name}'; domains: {', '.join(self.names)}")
        return name

    # -- public --------------------------------------------------------------------------
    def space(self, domain: str):
        """The ``FunctionSpace`` of ``domain`` (KeyError listing the domains if unknown)."""
        return self.spaces[self._domain(domain)]

    def dx(self, domain: str):
        """Cell measure on the parent mesh over the regions of ``domain``."""
        tags = tuple(self.device.region_tag(r) for r in self.domains[self._domain(domain)])
        return self._dx(tags)

    def ds(self, domain: str, boundary: str):
        """Exterior-facet measure on the parent mesh over the facets of ``boundary`` that
        bound the cells of ``domain``.

        Raises
        ------
        KeyError
            Unknown domain or boundary (the message lists the valid names).
        ValueError
            If no exterior facet of ``boundary`` bounds ``domain``.
        """
        self.device.boundary_tag(boundary)
        key = (self._domain(domain), boundary)
        from mpi4py import MPI
        if self.mesh.comm.allreduce(len(self._ext[key]), op=MPI.SUM) == 0:
            raise ValueError(f"no exterior facet of '{boundary}' bounds domain '{domain}'")
        return self._ds(self._ds_ids[key])

    def dS(self, interface: str):
        """Interior-facet measure of ``interface`` with the first domain's cell on '+'
        (see :attr:`interfaces` for which domain that is).

        Raises
        ------
        KeyError
            Unknown name (the message lists the interfaces between domains).
        ValueError
            If the named facets do not separate two different domains.
        """
        return self._dS(self._dS_ids[self._interface(interface)])

    def _interface(self, name: str) -> str:
        if name in self.interfaces:
            return name
        if name in self._why_not:
            raise ValueError(f"'{name}' is not an interface between two domains: "
                             f"{self._why_not[name]}; interfaces: "
                             f"{', '.join(self.interfaces) or '(none)'}")
        raise KeyError(f"unknown interface '{name}'; interfaces between domains: "
                       f"{', '.join(self.interfaces) or '(none)'}")

    def sides(self, interface: str) -> tuple[str, str]:
        """``(plus_domain, minus_domain)`` of ``interface``."""
        return self.interfaces[self._interface(interface)]

    def interface_rows(self, interface: str) -> np.ndarray:
        """The (n, 4) int32 rows (cell+, local facet+, cell−, local facet−) of the owned
        facets of ``interface`` on this rank (parent-mesh numbering, owned + ghost cells)."""
        return self._rows[self._interface(interface)]

    def submesh_facets(self, domain: str, boundary: str) -> np.ndarray:
        """Submesh facets of ``domain`` (owned and ghost) that are facets of ``boundary``
        (exterior or interior in the parent) bounding a cell of the domain.

        Each parent facet is mapped through a cell it bounds: create_submesh keeps the vertex
        order of a cell, hence its local facet numbering; the facet midpoints are compared
        to make sure.

        Raises
        ------
        KeyError
            Unknown domain or boundary.
        RuntimeError
            If the mapped facets do not coincide (a dolfinx numbering change).
        """
        from dolfinx import mesh as dmesh
        dom = self._domain(domain)
        facets = self.device.facet_tags.find(self.device.boundary_tag(boundary))
        k = self.names.index(dom)
        off, arr = self._f2c.offsets, self._f2c.array
        cells = np.full(len(facets), -1, dtype=np.int32)
        for j in range(2):                   # the first local cell of each facet in the domain
            has = (off[facets + 1] - off[facets] > j) & (cells < 0)
            cand = np.where(has, arr[np.minimum(off[facets] + j, len(arr) - 1)], -1)
            ok = has & (self.cell_domain[cand] == k)
            cells[ok] = cand[ok]
        keep = cells >= 0
        facets, cells = facets[keep], cells[keep]
        lf = self._local_facet(facets, cells)
        sub = self.submeshes[dom]
        tdim = sub.topology.dim
        if len(self.sub_to_parent[dom]) == 0:      # no cell of the domain on this rank
            return np.zeros(0, dtype=np.int32)
        sc2f = sub.topology.connectivity(tdim, tdim - 1).array.reshape(len(self.sub_to_parent[dom]), -1)
        sub_facets = sc2f[self._parent_to_sub[dom][cells], lf].astype(np.int32)
        if len(facets) and not np.allclose(dmesh.compute_midpoints(self.mesh, tdim - 1, facets),
                                           dmesh.compute_midpoints(sub, tdim - 1, sub_facets)):
            raise RuntimeError("parent -> submesh facet map is inconsistent")
        return np.unique(sub_facets)

    def dirichlet(self, domain: str, boundary: str, value):
        """A ``DirichletBC`` on the space of ``domain`` over the facets of ``boundary``.

        ``value``: a number (scalar field), a length-n sequence (n-component field), a
        ``Function`` on the domain's space, or a callable ``f(x)`` (x: (3, N) -> values) to
        interpolate.  Raises KeyError for unknown names, ValueError when ``boundary`` does not
        touch ``domain`` (on any rank).
        """
        from dolfinx import fem
        from mpi4py import MPI
        V = self.space(domain)
        facets = self.submesh_facets(domain, boundary)
        if self.mesh.comm.allreduce(len(facets), op=MPI.SUM) == 0:
            raise ValueError(f"boundary '{boundary}' does not touch domain '{domain}'")
        fdim = V.mesh.topology.dim - 1
        dofs = fem.locate_dofs_topological(V, fdim, facets)
        if isinstance(value, fem.Function):
            return fem.dirichletbc(value, dofs)
        if callable(value):
            g = fem.Function(V)
            g.interpolate(value)
            return fem.dirichletbc(g, dofs)
        from dolfinx import default_scalar_type
        arr = np.asarray(value, dtype=default_scalar_type)
        if arr.shape != self.shape:
            raise ValueError(f"Dirichlet value of shape {arr.shape} for a field of shape {self.shape}")
        return fem.dirichletbc(arr, dofs, V)

    def form(self, forms, *, padded: bool | None = None):
        """Compile a UFL form or (nested) list of forms (None allowed) with the entity maps.

        ``padded``: None (default) uses :attr:`interface_entity_maps` when any of the forms
        has an interior-facet integral, :attr:`entity_maps` otherwise; True/False force one
        (trap 2 of the module docstring).
        """
        from dolfinx import fem
        if padded is None:
            def interior(f):
                if isinstance(f, (list, tuple)):
                    return any(interior(g) for g in f)
                return f is not None and bool(f.integrals_by_type("interior_facet"))
            padded = interior(forms)
        return fem.form(forms, entity_maps=self.interface_entity_maps if padded else self.entity_maps)

    def functions(self, prefix: str = "u") -> dict:
        """``{domain: Function}`` named ``prefix_domain``, zero."""
        from dolfinx import fem
        return {d: fem.Function(self.spaces[d], name=f"{prefix}_{d}") for d in self.names}
