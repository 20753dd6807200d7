"""Domains of a Usadel problem: groups of regions inside which γ, γ̃ are continuous, separated
by Kupriyanov–Lukichev (tunnel) interfaces across which they jump.

Method: the single-mesh alternative of shared/notes/dolfinx-0.9-interfaces.md ("a mixed
[P1, P1] space on the whole mesh, u_i used only in region i, the dofs that no region-i cell
touches fixed to zero (found in parallel with a reverse scatter)"), so that one blocked
Function on the parent mesh carries every domain (16 components per domain) and the project's
:class:`~kinetics.solvers.nonlinear.NonlinearSolver` solves the coupled problem unchanged.
Because every domain's field is continuous on the whole mesh, the interface terms use
``avg()`` and need no side ordering.  (The per-region submesh spaces of
:class:`kinetics.models.regions.RegionFields` would halve the unknowns of a two-domain
problem but need a block SNES driver; see the report of issue 13, stage 1.)
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = ["TunnelInterface", "group_domains", "touched_blocks", "facet_domains"]


class TunnelInterface:
    """A Kupriyanov–Lukichev interface (Kupriyanov & Lukichev, JETP 67, 1163 (1988);
    Riccati form: :func:`kinetics.usadel.forms.kl_flux`) with R_B/R_N = ``r``, R_N the normal-state resistance of a
    length ``length`` (mesh units) of the material on either side, whose normal-state DOS is
    assumed equal on both sides.  The coupling of the weak form is κ = D̂/(r·length) with
    D̂ the dimensionless diffusion coefficient of the side that ``length`` refers to
    (``side``, a region name); :meth:`kappa` evaluates it.

    Raises
    ------
    ValueError
        For r or length not positive and finite (kinetics.validation).
    """

    def __init__(self, r: float, length: float = 1.0, side: str | None = None):
        from kinetics import validation
        self.r = validation.positive("TunnelInterface", "r", r, limit=1e12)
        self.length = validation.positive("TunnelInterface", "length", length, limit=1e12)
        self.side = side

    def kappa(self, D_side: float) -> float:
        """κ = D̂/(r·length)."""
        return D_side / (self.r * self.length)

    def __repr__(self):
        return f"TunnelInterface(r={self.r:g}, length={self.length:g}, side={self.side!r})"


def _interior_pairs(device, skip: Iterable[int]):
    """{(region_tag_a, region_tag_b)} of cells that share an owned interior facet not tagged
    with any of ``skip`` (all ranks)."""
    msh = device.mesh
    tdim = msh.topology.dim
    msh.topology.create_connectivity(tdim - 1, tdim)
    f2c = msh.topology.connectivity(tdim - 1, tdim)
    n_owned = msh.topology.index_map(tdim - 1).size_local
    cmap = msh.topology.index_map(tdim)
    region = np.full(cmap.size_local + cmap.num_ghosts, -1, dtype=np.int64)
    region[device.cell_tags.indices] = device.cell_tags.values
    skipped = np.zeros(n_owned, dtype=bool)
    for tag in skip:
        f = device.facet_tags.find(tag)
        skipped[f[f < n_owned]] = True
    off, arr = f2c.offsets, f2c.array
    facets = np.arange(n_owned)
    two = (off[1:n_owned + 1] - off[:n_owned] == 2) & ~skipped
    c0, c1 = arr[off[facets[two]]], arr[off[facets[two]] + 1]
    r0, r1 = region[c0], region[c1]
    pairs = {(int(min(a, b)), int(max(a, b))) for a, b in zip(r0, r1) if a != b}
    return set().union(*msh.comm.allgather(pairs))


def group_domains(device, regions: Iterable[str], tunnel_names: Iterable[str]) -> list[list[str]]:
    """Regions grouped into domains: two regions share a domain when they touch across a
    facet that is not part of a tunnel interface (union–find over region adjacency).

    Returns
    -------
    list of lists of region names, in the order of first appearance in ``regions``.
    """
    names = list(regions)
    tags = {device.region_tag(n): n for n in names}
    parent = {n: n for n in names}

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a
    skip = [device.boundary_tag(n) for n in tunnel_names]
    for a, b in sorted(_interior_pairs(device, skip)):
        if a in tags and b in tags:
            ra, rb = find(tags[a]), find(tags[b])
            if ra != rb:
                parent[rb] = ra
    groups: dict[str, list[str]] = {}
    for n in names:
        groups.setdefault(find(n), []).append(n)
    return list(groups.values())


def touched_blocks(space, cells: np.ndarray) -> np.ndarray:
    """Boolean mask over the (owned + ghost) block dofs (nodes) of ``space``: True where a
    node belongs to a cell of ``cells`` on any rank (reverse scatter of a marker, then
    forward), so that parallel runs fix the same nodes as serial runs."""
    from dolfinx import fem, la
    msh = space.mesh
    Q = fem.functionspace(msh, ("Lagrange", space.element.basix_element.degree))
    mark = fem.Function(Q)
    dofs = Q.dofmap.list[cells].ravel() if len(cells) else np.zeros(0, dtype=np.int32)
    mark.x.array[dofs] = 1.0
    mark.x.scatter_reverse(la.InsertMode.add)
    mark.x.scatter_forward()
    # node k of Q ↔ node of the blocked space through the cell-wise dof lists
    qmap = np.full(len(mark.x.array), -1, dtype=np.int64)
    qmap[Q.dofmap.list.ravel()] = space.dofmap.list.ravel()
    out = np.zeros(space.dofmap.index_map.size_local + space.dofmap.index_map.num_ghosts,
                   dtype=bool)
    ok = qmap >= 0
    out[qmap[ok]] = mark.x.array[ok] > 0
    return out


def facet_domains(device, facets: np.ndarray, cell_domain: np.ndarray) -> set[int]:
    """Indices of the domains whose cells bound the given (local) facets, on any rank."""
    msh = device.mesh
    tdim = msh.topology.dim
    f2c = msh.topology.connectivity(tdim - 1, tdim)
    found = {int(cell_domain[c]) for f in facets for c in f2c.links(f) if cell_domain[c] >= 0}
    return set().union(*msh.comm.allgather(found))
