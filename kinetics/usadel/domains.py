"""Domains of a Usadel problem: groups of regions inside which γ, γ̃ are continuous, separated
by Kupriyanov–Lukichev (tunnel) interfaces across which they jump.

Method (K > 1 domains): the per-region spaces of the core
(:class:`kinetics.models.regions.RegionFields`, shared/notes/dolfinx-0.9-interfaces.md).
Domain k gets its own 16-component Lagrange space on the submesh of its regions, so a
two-domain problem has the unknowns of the nodes of each domain once (a node on a tunnel
interface twice, once per side) instead of 16·K components on every node of the mesh.
Every form is integrated on the parent mesh: the bulk residual of domain k over its cells,
the Kupriyanov–Lukichev terms (:func:`kinetics.usadel.forms.interface_residual`) over the
interface facets with the sides *ordered* (the cell of the lower-numbered domain is '+')
and the entity maps *padded* on the interface cells — the two steps of the notes without
which the answer is wrong with no error, or the assembly fails.  The coefficients (DG0
h/D/τ, Δ in DG, the DG0 gauge field) and the constants stay parent-mesh Functions: the
integration domain is the parent mesh, so they need no entity map and no interpolation.
The coupled residuals are solved by
:class:`kinetics.solvers.nonlinear_block.BlockNonlinearSolver` (Jacobian blocks
∂F_i/∂u_j, empty ones left out); reservoirs are Dirichlet conditions on the domains
whose cells they bound.

The problem's state stays readable and writable as before: ``UsadelProblem.u`` is a
16·K-component Function on the parent mesh that mirrors the domain Functions (block k at
the nodes of domain k, zero elsewhere — the layout of the former single-mesh split), copied
into them before every solve (:meth:`DomainSpaces.pull`) and back after it
(:meth:`DomainSpaces.push`), so that nodal values, point evaluation, the Matsubara gap and
saving/restoring ``u.x.array`` work unchanged.  The copies are exact permutations (nodes
matched by their coordinates cell by cell); the mirror costs memory, not unknowns.  K = 1
uses one space on the parent mesh and :class:`~kinetics.solvers.nonlinear.NonlinearSolver`
directly.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = ["TunnelInterface", "group_domains", "facet_domains", "DomainSpaces",
           "MirroredSolver"]


class TunnelInterface:
    """A Kupriyanov–Lukichev interface (Kupriyanov & Lukichev, JETP 67, 1163 (1988);
    Riccati form: :func:`kinetics.usadel.forms.kl_flux`) with R_B/R_N = ``r``, R_N the
    normal-state resistance of a length ``length`` (mesh units) of the material on either
    side, whose normal-state DOS is assumed equal on both sides.  The coupling of the weak
    form is κ = D̂/(r·length) with D̂ the dimensionless diffusion coefficient of the side
    that ``length`` refers to (``side``, a region name); :meth:`kappa` evaluates it.

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


def facet_domains(device, facets: np.ndarray, cell_domain: np.ndarray) -> set[int]:
    """Indices of the domains whose cells bound the given (local) facets, on any rank."""
    msh = device.mesh
    tdim = msh.topology.dim
    f2c = msh.topology.connectivity(tdim - 1, tdim)
    found = {int(cell_domain[c]) for f in facets for c in f2c.links(f) if cell_domain[c] >= 0}
    return set().union(*msh.comm.allgather(found))


class DomainSpaces:
    """The per-domain spaces of a Usadel problem with K > 1 domains (module docstring).

    Parameters
    ----------
    device:
        The :class:`~kinetics.device.Device` (mesh ghosted by shared facets).
    groups:
        K lists of region names (:attr:`UsadelProblem.domains`); domain k is named
        ``"domain<k>"`` in :attr:`fields`, and the lower-numbered domain of an interface is
        its '+' side.
    degree:
        Lagrange degree.
    parent:
        The 16·K-component Lagrange space on the parent mesh (:attr:`UsadelProblem.space`),
        whose block k mirrors domain k.

    Attributes
    ----------
    fields:
        The :class:`~kinetics.models.regions.RegionFields` (spaces of shape (16,)).
    spaces:
        The K submesh spaces.
    u, guess:
        The K domain Functions of the unknown and of the initial-guess target (after
        :meth:`solvers`).

    Raises
    ------
    RuntimeError
        If a submesh node has no parent node at its coordinates (a dolfinx change).
    """

    def __init__(self, device, groups, degree: int, parent):
        from kinetics.models.regions import RegionFields
        self.K = len(groups)
        self.names = [f"domain{k}" for k in range(self.K)]
        self.fields = RegionFields(device, dict(zip(self.names, groups)), degree=degree,
                                   shape=(16,))
        self.spaces = [self.fields.space(n) for n in self.names]
        self.parent = parent
        self._nodes = [self._node_map(k) for k in range(self.K)]
        self.u, self.guess = [], []

    def _node_map(self, k: int, chunk: int = 4096) -> np.ndarray:
        """Parent node (block dof of :attr:`parent`) of every local node of space k, by
        matching the nodal coordinates of each submesh cell with its parent cell's."""
        S, V = self.spaces[k], self.parent
        s2p = self.fields.sub_to_parent[self.names[k]]
        im = S.dofmap.index_map
        out = np.full(im.size_local + im.num_ghosts, -1, dtype=np.int64)
        xs_all, xp_all = S.tabulate_dof_coordinates(), V.tabulate_dof_coordinates()
        extent = float(np.ptp(xp_all, axis=0).max(initial=0.0)) if len(xp_all) else 1.0
        worst = 0.0
        for lo in range(0, len(s2p), chunk):
            sc = S.dofmap.list[lo:lo + chunk]
            pc = V.dofmap.list[s2p[lo:lo + chunk]]
            d = np.linalg.norm(xs_all[sc][:, :, None, :] - xp_all[pc][:, None, :, :], axis=-1)
            j = np.argmin(d, axis=2)
            worst = max(worst, float(np.take_along_axis(d, j[:, :, None], 2).max(initial=0.0)))
            out[sc.ravel()] = np.take_along_axis(pc, j, axis=1).ravel()
        if np.any(out < 0) or worst > 1e-10 * max(extent, 1e-300):
            raise RuntimeError(f"submesh nodes of domain {k} do not match the parent mesh's "
                               f"nodes (largest distance {worst:.3g})")
        return out

    # -- the mirror ------------------------------------------------------------------
    def pull(self, parent_fn, subs) -> None:
        """Block k of the parent Function → the K domain Functions ``subs`` (all local
        nodes; the parent's ghosts must be up to date, as after :meth:`push`)."""
        arr = parent_fn.x.array.reshape(-1, 16 * self.K)
        for k, w in enumerate(subs):
            w.x.array.reshape(-1, 16)[:] = arr[self._nodes[k], 16 * k:16 * (k + 1)]

    def push(self, subs, parent_fn) -> None:
        """The K domain Functions → block k of the parent Function, zero at the nodes of
        no domain-k cell.  Each owned node of a domain space is written once to its parent
        node (possibly a ghost), then a reverse scatter (add) hands it to the parent node's
        owner and a forward scatter updates the ghosts: exact, and the same on any
        partition."""
        from dolfinx import la
        arr = np.zeros((len(parent_fn.x.array) // (16 * self.K), 16 * self.K))
        for k, w in enumerate(subs):
            n = self.spaces[k].dofmap.index_map.size_local
            arr[self._nodes[k][:n], 16 * k:16 * (k + 1)] = w.x.array.reshape(-1, 16)[:n]
        parent_fn.x.array[:] = arr.ravel()
        parent_fn.x.scatter_reverse(la.InsertMode.add)
        parent_fn.x.scatter_forward()

    @property
    def unknowns(self) -> int:
        """Global number of unknowns, Σ_k 16 × (nodes of domain k)."""
        return sum(S.dofmap.index_map.size_global * S.dofmap.index_map_bs for S in self.spaces)

    # -- forms and solvers -------------------------------------------------------------
    def solvers(self, problem, coefficients: dict, sides: dict, options: dict, jit_options,
                extrinsic=None):
        """(solver, initial-guess solver, Dirichlet conditions, reservoir values) of the
        K-domain problem, the solvers wrapped in :class:`MirroredSolver`.

        ``coefficients``: the keyword arguments of :func:`kinetics.usadel.forms.residual`
        after ``gdim`` (parent-mesh coefficients); ``sides``: ``{interface: (a, b, κ)}``
        with domain indices a < b and κ = D̂/(r·length); the reservoir values are pairs
        (Reservoir, Function g on the domain's space) to set at each energy; ``extrinsic``:
        None or (θ, κ, axes) of :mod:`kinetics.usadel.extrinsic_forms` (its residual with its
        partial Jacobian on the diagonal blocks).
        """
        import ufl
        from dolfinx import fem

        from kinetics.solvers.nonlinear_block import BlockNonlinearSolver
        from kinetics.usadel import forms
        from kinetics.usadel.problem import GUESS_MASS
        qd, gdim = problem.quadrature_degree, problem.mesh.geometry.dim
        self.u = [fem.Function(S, name=f"riccati_{n}") for S, n in zip(self.spaces, self.names)]
        self.guess = [fem.Function(S, name=f"guess_{n}") for S, n in zip(self.spaces, self.names)]
        v = [ufl.TestFunction(S) for S in self.spaces]
        D = coefficients["D"]
        F, Fl = [], []
        for k in range(self.K):
            dxk = self.fields.dx(self.names[k])(degree=qd)
            F.append(forms.residual(self.u[k], v[k], dxk, gdim, **coefficients))
            Fl.append((D * ufl.inner(ufl.grad(self.u[k]), ufl.grad(v[k]))
                       + GUESS_MASS * ufl.inner(self.u[k] - self.guess[k], v[k])) * dxk)
        for name, (a, b, kappa) in sides.items():
            if self.fields.sides(name) != (self.names[a], self.names[b]):
                raise RuntimeError(f"interface '{name}': sides {self.fields.sides(name)} "
                                   f"instead of {(self.names[a], self.names[b])}")
            Fa, Fb = forms.interface_residual(self.u[a]("+"), self.u[b]("-"), v[a]("+"),
                                              v[b]("-"), self.fields.dS(name)(degree=qd), kappa)
            F[a], F[b] = F[a] + Fa, F[b] + Fb
        bcs, values = [], []
        dev = problem.device
        for name, res in problem.reservoirs.items():
            facets = dev.facet_tags.find(dev.boundary_tag(name))
            for k in sorted(facet_domains(dev, facets, problem.cell_domain)):
                g = fem.Function(self.spaces[k])
                bcs.append(self.fields.dirichlet(self.names[k], name, g))
                values.append((res, g))
        maps = self.fields.interface_entity_maps
        kw = {"entity_maps": maps, "options": options, "jit_options": jit_options}
        J = None
        if extrinsic is not None:
            from kinetics.solvers.nonlinear_block import jacobian_blocks
            from kinetics.usadel.extrinsic_forms import extrinsic_jacobian, extrinsic_residual
            J = jacobian_blocks(F, self.u)
            for k in range(self.K):
                dxk = self.fields.dx(self.names[k])(degree=qd)
                Fx = extrinsic_residual(self.u[k], v[k], dxk, gdim, D=D, extrinsic=extrinsic)
                if isinstance(Fx, int):
                    continue
                F[k] = F[k] + Fx
                Jk = extrinsic_jacobian(self.u[k], ufl.TrialFunction(self.spaces[k]), v[k], dxk,
                                        gdim, D=D, extrinsic=extrinsic)
                J[k][k] = Jk if J[k][k] is None else J[k][k] + Jk
        solver = BlockNonlinearSolver(F, self.u, bcs, J=J, **kw)
        laplace = BlockNonlinearSolver(Fl, self.u, bcs, **kw)
        return (MirroredSolver(solver, self, [(problem.u, self.u)], problem.u),
                MirroredSolver(laplace, self, [(problem.u, self.u), (problem._guess, self.guess)],
                               problem.u), bcs, values)


class MirroredSolver:
    """A :class:`~kinetics.solvers.nonlinear_block.BlockNonlinearSolver` on the domain
    Functions seen through the parent-mesh mirror: :meth:`solve` pulls the listed parent
    Functions into the domain Functions, solves, and pushes the result (also a failed
    solve's last iterate) into the parent Function.  Other attributes (``iterations``,
    ``residuals``, ``reason``, ``snes``, …) are the block solver's."""

    def __init__(self, block, spaces: DomainSpaces, pulls, parent):
        self.block, self._spaces, self._pulls, self._parent = block, spaces, pulls, parent

    def solve(self):
        """Pull, Newton (raises SolverError as the block solver), push; returns the parent
        Function."""
        for parent_fn, subs in self._pulls:
            self._spaces.pull(parent_fn, subs)
        try:
            self.block.solve()
        finally:
            self._spaces.push(self.block.u, self._parent)
        return self._parent

    def __getattr__(self, name):
        if name == "block":
            raise AttributeError(name)
        return getattr(self.block, name)

    def destroy(self):
        self.block.destroy()
