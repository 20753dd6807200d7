"""The stationary retarded Usadel problem on a device, one energy at a time (Newton on SNES).

Units (dimensionless; the caller picks the energy unit E₀):

- energies ε, η, |Δ|, h and the rates 1/τ_sf, 1/τ_so are in units of E₀ (ħ = 1);
- lengths are mesh coordinates, in units of L = ``Device.length_unit`` metres;
- the diffusion coefficient of a region is D̂ = ħD/(E₀L²): D̂ = 1 when E₀ is the Thouless
  energy ħD/L² of one mesh unit; D̂ = (ξ₀/L)² when E₀ = Δ₀ and ξ₀ = √(ħD/Δ₀).

Equation, basis and signs: :mod:`kinetics.usadel.riccati` (JOL basis, tilde conjugation
γ̃(ε) = γ*(−ε), exchange term diag(h·σ, h·σ*)); weak form: :mod:`kinetics.usadel.forms`,
with the spin Hall/swapping current and torque of seed 003 in regions with θ or κ
(:mod:`kinetics.usadel.extrinsic_forms`).
Boundaries named in ``reservoirs`` are rigid reservoirs (Dirichlet: the bulk γ, γ̃ of the
reservoir's Δe^{iφ} and h at the current energy; Δ = 0 gives a normal reservoir γ = γ̃ = 0);
every other boundary is a vacuum/insulator (zero matrix current, natural).  Interfaces
between regions are transparent (γ continuous, D̂∂_nγ continuous) unless named in
``interfaces`` (:class:`~kinetics.usadel.domains.TunnelInterface`, Kupriyanov–Lukichev):
then the regions on either side form different *domains*, each with its own 16-component
space on the submesh of its regions, coupled by the interface terms and solved together
(:mod:`kinetics.usadel.domains`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from kinetics import validation
from kinetics.usadel import bulk, domains, extrinsic_forms, forms
from kinetics.usadel.parameters import (Reservoir, UsadelRegion, bulk_guess, coefficient_fields,
                                        pack, unpack)

__all__ = ["UsadelRegion", "Reservoir", "UsadelProblem", "SNES_OPTIONS", "COMPILE_FAST",
           "DOS_FLOOR", "pack", "unpack"]

#: Newton defaults (absolute tolerance on the residual in the units of the weak form)
SNES_OPTIONS = {"snes_rtol": 1e-10, "snes_atol": 1e-10, "snes_stol": 1e-14, "snes_max_it": 30,
                "snes_linesearch_type": "basic"}

#: ``jit_options`` that compile the (large) Riccati kernels about 7× faster (-O0) for about
#: 35 % slower assembly (1D P2 with self-energies: 4 s instead of 27 s to compile): for tests
#: and small problems.  The default is :func:`kinetics.solvers.jit.jit_options`.
COMPILE_FAST = {"cffi_extra_compile_args": ["-O0", "-g0"]}

#: weight μ of the mass term that makes the harmonic initial guess unique (energy units)
GUESS_MASS = 1e-6

#: lowest nodal DOS (normal-state units) accepted from a converged Newton solve: a physical
#: retarded or Matsubara function has Re Tr g/2 ≥ 0; discretization errors in the gap are
#: ~1e-4 on reasonable meshes (P2, tests and demos/sns_junction.py)
DOS_FLOOR = -1e-2


class UsadelProblem:
    """The retarded Usadel equation on ``device`` with Lagrange elements of ``degree``.

    Parameters
    ----------
    device:
        :class:`kinetics.device.Device` (1D, 2D or 3D); every region needs an entry in
        ``regions``.
    regions:
        ``{region_name: UsadelRegion}``.
    reservoirs:
        ``{boundary_name: Reservoir}``; other boundaries are vacuum (zero current).
    interfaces:
        ``{interface_name: TunnelInterface}`` (Kupriyanov–Lukichev); other interfaces are
        transparent.
    eta:
        Dynes broadening η > 0 (energy units), ε → ε + iη.
    degree:
        Lagrange degree 1–3.
    quadrature_degree:
        Quadrature degree of the cell integrals (default 2·degree + 2; UFL's estimate for
        the rational Riccati terms would be far higher and slow).
    options:
        PETSc options overriding :data:`SNES_OPTIONS` (see
        :class:`kinetics.solvers.nonlinear.NonlinearSolver`).
    jit_options:
        For ``dolfinx.fem.form``; default :func:`kinetics.solvers.jit.jit_options`
        (:data:`COMPILE_FAST` compiles faster).
    delta_field:
        Hold Δ in discontinuous Lagrange elements of ``degree`` in every region (a field
        that :mod:`kinetics.usadel.matsubara` updates self-consistently) even when every
        region's Δ is a constant (then piecewise constant, cheaper).

    Attributes
    ----------
    domains:
        Lists of region names; domain k owns components 16k … 16k + 15 of ``u``.
    space:
        The 16·K-component Lagrange space on the whole mesh; ``u`` the current solution on
        it (layout of each domain block: :data:`kinetics.usadel.forms.LAYOUT`; block k is
        zero at the nodes of no domain-k cell).  With K = 1 ``u`` is the unknown itself;
        with K > 1 the unknowns are the K Functions on per-domain submesh spaces
        (:class:`~kinetics.usadel.domains.DomainSpaces`, ``_split``) and ``u`` is their
        exact mirror, read from them after every solve and copied into them before it, so
        it may be read and written as with K = 1.
    unknowns:
        Global number of unknowns of the Newton systems (16·nodes for K = 1; Σ_k 16·nodes
        of domain k for K > 1).
    solver:
        The :class:`~kinetics.solvers.nonlinear.NonlinearSolver` (K = 1) or a
        :class:`~kinetics.usadel.domains.MirroredSolver` around a
        :class:`~kinetics.solvers.nonlinear_block.BlockNonlinearSolver` (K > 1).
    energy, iterations:
        Energy and Newton iterations of the last successful solve (None/0 before).

    Raises
    ------
    KeyError
        For unknown region or boundary names (the message lists the valid ones).
    ValueError
        For a region without parameters, η ≤ 0 or non-finite, a bad degree, entries that
        are not :class:`UsadelRegion` / :class:`Reservoir` / ``TunnelInterface``, a tunnel
        interface that does not separate two domains, or regions with θ or κ beside SU(2)
        gauge fields.
    """

    def __init__(self, device, regions: Mapping, reservoirs: Mapping | None = None,
                 interfaces: Mapping | None = None, *, eta: float, degree: int = 1,
                 quadrature_degree: int | None = None, options: dict | None = None,
                 jit_options: dict | None = None, delta_field: bool = False):
        import ufl
        from dolfinx import fem

        from kinetics.solvers.jit import jit_options as default_jit
        from kinetics.solvers.nonlinear import NonlinearSolver
        jit_options = default_jit() if jit_options is None else jit_options
        self.device, self.mesh = device, device.mesh
        self.eta = bulk.check_eta(eta, "UsadelProblem")
        self.degree = validation.integer("UsadelProblem", "degree", degree, 1, 3)
        qd = 2 * self.degree + 2 if quadrature_degree is None else quadrature_degree
        self.quadrature_degree = validation.integer("UsadelProblem", "quadrature_degree", qd,
                                                    1, 20)
        reservoirs, interfaces = dict(reservoirs or {}), dict(interfaces or {})
        for kind, table, cls, lookup in (
                ("region", regions, UsadelRegion, device.region_tag),
                ("boundary", reservoirs, Reservoir, device.boundary_tag),
                ("interface", interfaces, domains.TunnelInterface, device.boundary_tag)):
            for name, item in table.items():
                lookup(name)
                if not isinstance(item, cls):
                    raise ValueError(f"{kind} '{name}': expected a {cls.__name__}, got {item!r}")
        missing = sorted(set(device.regions) - set(regions))
        if missing:
            raise ValueError(f"regions without Usadel parameters: {', '.join(missing)}; "
                             f"give a UsadelRegion for each (delta=0 for a normal metal)")
        self.regions, self.reservoirs, self.interfaces = dict(regions), reservoirs, interfaces
        self.delta_field = bool(delta_field)
        msh = self.mesh
        tdim = msh.topology.dim
        msh.topology.create_connectivity(tdim - 1, tdim)
        self.domains = domains.group_domains(device, list(regions), list(interfaces))
        K = len(self.domains)
        cmap = msh.topology.index_map(tdim)
        self.cell_domain = np.full(cmap.size_local + cmap.num_ghosts, -1, dtype=np.int32)
        for k, group in enumerate(self.domains):
            for name in group:
                self.cell_domain[device.cell_tags.find(device.region_tag(name))] = k
        self.space = V = fem.functionspace(msh, ("Lagrange", self.degree, (16 * K,)))
        self.u = fem.Function(V, name="riccati")
        self._coef, self._delta, self._soc, self._gauge = coefficient_fields(
            device, self.regions, self.degree, self.delta_field)
        self._eps = fem.Constant(msh, 0.0)
        self._eta = fem.Constant(msh, self.eta)
        c, d = self._coef, self._delta
        any_tau = any(np.isfinite(r.tau_sf) or np.isfinite(r.tau_so) for r in regions.values())
        gdim = msh.geometry.dim
        A = self._gauge
        gauge = None if A is None else [[A[3 * k + b] for b in range(3)] for k in range(gdim)]
        coefs = dict(z=forms.Cx(self._eps, self._eta), delta=forms.Cx(d[0], d[1]),
                     h=(c[0], c[1], c[2]), D=c[3], inv_tau_sf=c[4], inv_tau_so=c[5],
                     self_energies=any_tau, gauge=gauge)
        if self._soc is not None and gauge is not None:
            raise ValueError("regions with theta or kappa cannot be combined with SU(2) gauge "
                             "fields yet (the Riccati form of both is not implemented)")
        #: (θ, κ, physical axes) of seed 003's terms (kinetics.usadel.extrinsic_forms), or None
        self.extrinsic = (None if self._soc is None else
                          (self._soc[0], self._soc[1], tuple("xyz".index(a) for a in device.axes)))
        sides = {}
        for name, tun in interfaces.items():
            a, b, side = self._sides(name, tun)
            sides[name] = (a, b, tun.kappa(self.regions[side].D))
        self._guess = fem.Function(V, name="guess")
        opts = {**SNES_OPTIONS, **(options or {})}
        self.energy = None
        self.iterations = 0
        self._split = None
        if K > 1:                      # per-domain submesh spaces: kinetics.usadel.domains
            self._split = domains.DomainSpaces(device, self.domains, self.degree, V)
            self.solver, self._laplace, self.bcs, self._bc_values = self._split.solvers(
                self, coefs, sides, opts, jit_options, self.extrinsic)
            return
        dx = ufl.Measure("dx", domain=msh, subdomain_data=device.cell_tags,
                         metadata={"quadrature_degree": self.quadrature_degree})
        v = ufl.TestFunction(V)
        F, Fl, Fx, Jx = 0, 0, 0, 0
        du = ufl.TrialFunction(V)
        for k, group in enumerate(self.domains):          # K = 1
            uk, vk, bk = (self.block(w, k) for w in (self.u, v, self._guess))
            dxk = dx(tuple(device.region_tag(n) for n in group))
            F = F + forms.residual(uk, vk, dxk, gdim, **coefs)
            Fl = Fl + (c[3] * ufl.inner(ufl.grad(uk), ufl.grad(vk))
                       + GUESS_MASS * ufl.inner(uk - bk, vk)) * dxk
            if self.extrinsic is not None:
                Fx = Fx + extrinsic_forms.extrinsic_residual(uk, vk, dxk, gdim, D=c[3],
                                                             extrinsic=self.extrinsic)
                Jx = Jx + extrinsic_forms.extrinsic_jacobian(uk, self.block(du, k), vk, dxk,
                                                             gdim, D=c[3],
                                                             extrinsic=self.extrinsic)
        J = None
        if not isinstance(Fx, int):      # seed 003's terms with their partial Jacobian
            J = ufl.derivative(F, self.u, du) + Jx
            F = F + Fx
        self.bcs, self._bc_values = [], []
        for name, res in reservoirs.items():
            facets = device.facet_tags.find(device.boundary_tag(name))
            for k in sorted(domains.facet_domains(device, facets, self.cell_domain)):
                consts = [fem.Constant(msh, 0.0) for _ in range(16)]
                for i, const in enumerate(consts):
                    sub = V.sub(16 * k + i)
                    dofs = fem.locate_dofs_topological(sub, tdim - 1, facets)
                    self.bcs.append(fem.dirichletbc(const, dofs, sub))
                self._bc_values.append((res, consts))
        self.solver = NonlinearSolver(F, self.u, self.bcs, J=J, options=opts,
                                      jit_options=jit_options)
        self._laplace = NonlinearSolver(Fl, self.u, self.bcs, options=opts,
                                        jit_options=jit_options)

    @property
    def unknowns(self) -> int:
        """Global number of unknowns of the Newton systems (see the class docstring)."""
        if self._split is not None:
            return self._split.unknowns
        return self.space.dofmap.index_map.size_global * self.space.dofmap.index_map_bs

    @staticmethod
    def block(w, k: int):
        """Components 16k … 16k + 15 of a UFL vector ``w`` (domain k)."""
        import ufl
        return ufl.as_vector([w[16 * k + i] for i in range(16)])

    def _sides(self, name: str, tun):
        """(domain a, domain b, region giving D̂) of tunnel interface ``name``."""
        dev = self.device
        facets = dev.facet_tags.find(dev.boundary_tag(name))
        found = domains.facet_domains(dev, facets, self.cell_domain)
        if len(found) != 2:
            raise ValueError(f"tunnel interface '{name}' must separate two domains, it bounds "
                             f"{len(found)} (domains: {self.domains})")
        a, b = sorted(found)
        side = tun.side if tun.side is not None else self.domains[a][0]
        if side not in self.regions:
            raise KeyError(f"tunnel interface '{name}': side '{side}' is not a region; regions: "
                           f"{', '.join(self.regions)}")
        return a, b, side

    # -- solving ---------------------------------------------------------------------
    def set_broadening(self, eta: float) -> None:
        """Set the Dynes broadening η > 0 (energy units) of the next solves, ε → ε + iη.
        With ε = 0 and η = ω_n this gives the Matsubara function at ω_n
        (:mod:`kinetics.usadel.matsubara`).  ValueError for η ≤ 0 or non-finite."""
        self.eta = bulk.check_eta(eta, "UsadelProblem.set_broadening")
        self._eta.value = self.eta
        self.energy = None

    def _set_energy(self, eps: float):
        self._eps.value = eps
        for res, target in self._bc_values:
            vals = pack(*res.riccati(eps, self.eta))
            if isinstance(target, list):          # K = 1: 16 Constants
                for const, val in zip(target, vals):
                    const.value = val
            else:                                 # K > 1: a Function on the domain space
                target.x.array.reshape(-1, 16)[:] = vals

    def initial_guess(self, eps: float, kind: str = "auto") -> None:
        """Set u to a starting point at energy ε: ``"bulk"`` (the local bulk BCS/Zeeman
        solution b of each region's Δ and h; nodes shared by two regions of one domain take
        one side's value), ``"laplace"`` or ``"auto"`` (the minimizer of
        Σ_k ∫ D̂|∇u_k|² + μ|u_k − b_k|², μ = :data:`GUESS_MASS`, with the reservoir values:
        the harmonic extension of the reservoirs where there are any, b elsewhere).

        Raises
        ------
        ValueError
            For an unknown kind or a non-finite ε.
        """
        from dolfinx import fem
        kind = validation.choice("initial_guess", "kind", kind, ("auto", "bulk", "laplace"))
        eps = validation.finite("initial_guess", "eps", eps, limit=1e12)
        self._set_energy(eps)
        W = fem.functionspace(self.mesh, ("Lagrange", self.degree, (16,)))
        w = fem.Function(W)
        arr = self._guess.x.array.reshape(-1, 16 * len(self.domains))
        wmap = np.full(len(w.x.array) // 16, -1, dtype=np.int64)
        wmap[W.dofmap.list.ravel()] = self.space.dofmap.list.ravel()
        for k, group in enumerate(self.domains):
            for name in group:
                reg = self.regions[name]
                cells = self.device.cell_tags.find(self.device.region_tag(name))
                w.interpolate(lambda x, reg=reg: bulk_guess(reg, eps, self.eta, x), cells0=cells)
            mine = np.unique(W.dofmap.list[self.cell_domain == k].ravel())
            arr[wmap[mine], 16 * k:16 * (k + 1)] = w.x.array.reshape(-1, 16)[mine]
        self._guess.x.scatter_forward()
        self.u.x.array[:] = self._guess.x.array
        if kind != "bulk":
            self._laplace.solve()
        self.energy = None

    def solve(self, eps: float) -> int:
        """Newton at energy ε from the current u (continuation); returns the iterations.

        Raises
        ------
        kinetics.solvers.linear.SolverError
            With the energy, the SNES reason and the residual history in the message when
            Newton fails (u then holds the last iterate); reason ``"UNPHYSICAL"`` when it
            converged to a root whose DOS is below :data:`DOS_FLOOR` at some node (a
            retarded or Matsubara function has Re Tr g ≥ 0: another branch of the
            nonlinear equation, or a mesh too coarse; :meth:`sweep` then retries with
            smaller energy steps).
        ValueError
            For a non-finite ε.
        """
        from mpi4py import MPI

        from kinetics.solvers.linear import SolverError
        from kinetics.usadel import riccati
        eps = validation.finite("UsadelProblem.solve", "eps", eps, limit=1e12)
        self._set_energy(eps)
        try:
            self.solver.solve()
        except SolverError as exc:
            raise SolverError(f"Usadel solve at energy eps = {eps:.10g} (eta = {self.eta:g}) "
                              f"failed: {exc}", reason=exc.reason,
                              residuals=exc.residuals) from exc
        _, g, gt = self.nodal_riccati(owned=True)
        low = self.mesh.comm.allreduce(float(riccati.dos(g, gt).min(initial=np.inf)),
                                       op=MPI.MIN)
        if low < DOS_FLOOR:
            raise SolverError(f"Usadel solve at energy eps = {eps:.10g} (eta = {self.eta:g}) "
                              f"converged to an unphysical root: the DOS is {low:.4g} < "
                              f"{DOS_FLOOR:g} at some node (another branch of the equation, or "
                              f"a mesh too coarse there); approach this energy in smaller "
                              f"steps or refine the mesh", reason="UNPHYSICAL",
                              residuals=self.solver.residuals)
        self.energy = eps
        self.iterations = self.solver.iterations
        return self.iterations

    def sweep(self, energies, *, initial: str | None = "auto", max_halvings: int = 8,
              callback: Callable | None = None, progress: bool = False):
        """Solve at each energy in order with continuation from the previous one; a failed
        step is retried from the last converged energy with up to ``max_halvings`` halvings
        of the step.

        Parameters
        ----------
        energies:
            A non-empty, strictly increasing or strictly decreasing 1D array.
        initial:
            Starting point at the first energy (see :meth:`initial_guess`), or None to
            continue from the current solution (at :attr:`energy`).
        callback:
            ``callback(problem, eps)`` after each requested energy (read the solution
            there, e.g. :func:`kinetics.usadel.observables.nodal_dos`).
        progress:
            Print one line per energy on rank 0.

        Returns
        -------
        numpy.ndarray (n,) of Newton iterations per requested energy (intermediate steps
        included).

        Raises
        ------
        ValueError
            For an empty, non-finite or non-monotonic energy grid.
        kinetics.solvers.linear.SolverError
            When a step fails after all halvings (names the energy).
        """
        from kinetics.solvers.linear import SolverError
        max_halvings = validation.integer("UsadelProblem.sweep", "max_halvings", max_halvings,
                                          0, 60)
        e = bulk.check_energies(energies, "UsadelProblem.sweep")
        if e.ndim != 1 or e.size == 0:
            raise validation.ValidationError("UsadelProblem.sweep", "energies",
                                             "a non-empty 1D array", f"shape {e.shape}")
        d = np.diff(e)
        if e.size > 1 and not (np.all(d > 0) or np.all(d < 0)):
            raise validation.ValidationError("UsadelProblem.sweep", "energies",
                                             "strictly monotonic", "a non-monotonic grid")
        if initial is not None or self.energy is None:
            self.initial_guess(float(e[0]), initial or "auto")
            self.energy = None
        its = np.zeros(e.size, dtype=int)
        for k, target in enumerate(e):
            last = self.u.x.array.copy()
            start = float(target) if self.energy is None else self.energy
            step, done, halvings = float(target) - start, start, 0
            while True:
                nxt = float(target) if abs(float(target) - done) <= abs(step) else done + step
                try:
                    its[k] += self.solve(nxt)
                except SolverError:
                    if halvings >= max_halvings or step == 0:
                        raise
                    self.u.x.array[:] = last
                    step, halvings = (nxt - done) / 2, halvings + 1
                    if step == 0:
                        raise
                    continue
                last, done = self.u.x.array.copy(), nxt
                if nxt == float(target):
                    break
            if progress and self.mesh.comm.rank == 0:
                print(f"usadel: eps = {target:.6g}  Newton iterations {its[k]}", flush=True)
            if callback is not None:
                callback(self, float(target))
        return its

    # -- access ------------------------------------------------------------------------
    def nodal_riccati(self, owned: bool = True):
        """(x, γ, γ̃) at the Lagrange nodes of this rank: coordinates (n, 3) (mesh units) and
        γ, γ̃ (n, 2, 2) of the current solution, for every domain at the nodes its cells
        touch (a node on a tunnel interface appears once per side); ``owned`` drops ghost
        nodes."""
        V = self.space
        n_owned = V.dofmap.index_map.size_local
        x_all = V.tabulate_dof_coordinates()
        arr = self.u.x.array.reshape(-1, 16 * len(self.domains))
        xs, gs, gts = [], [], []
        for k in range(len(self.domains)):
            nodes = np.unique(V.dofmap.list[self.cell_domain == k].ravel())
            if owned:
                nodes = nodes[nodes < n_owned]
            g, gt = unpack(arr[nodes, 16 * k:16 * (k + 1)])
            xs.append(x_all[nodes])
            gs.append(g)
            gts.append(gt)
        return np.concatenate(xs), np.concatenate(gs), np.concatenate(gts)

    def evaluate(self, points):
        """(γ, γ̃) (N, 2, 2) of the current solution at points (N, 3) in mesh coordinates,
        the same on every rank (collective); a point on a tunnel interface takes the value
        of the domain of the first cell found.

        Raises
        ------
        ValueError
            For points that are not a finite (N, 3) array or lie outside the mesh.
        """
        def value(x, cell):
            k = max(int(self.cell_domain[cell]), 0)
            return self.u.eval(x, [cell])[16 * k:16 * (k + 1)]
        return unpack(self.point_values(points, 16, value, "UsadelProblem.evaluate"))

    def point_values(self, points, size: int, value: Callable, owner: str) -> np.ndarray:
        """(N, size) array of ``value(x, cell)`` at points (N, 3) in mesh coordinates, ``x``
        the point and ``cell`` the first local cell containing it, gathered so that every
        rank returns the same array (collective).

        Raises
        ------
        ValueError
            For points that are not a finite (N, 3) array or lie outside the mesh (the
            message names ``owner``).
        """
        from kinetics.observables import locate_points
        pts = validation.array(owner, "points", points, (None, 3))
        pts_mesh, cells = locate_points(self.device, pts * self.device.length_unit, owner)
        out = np.full((len(pts), size), np.nan)
        for i in range(len(pts)):
            links = cells.links(i)
            if len(links):
                out[i] = value(pts_mesh[i], links[0])
        result = np.full_like(out, np.nan)
        for g in self.mesh.comm.allgather(out):
            mask = np.isnan(result[:, 0]) & ~np.isnan(g[:, 0])
            result[mask] = g[mask]
        return result

    def destroy(self):
        """Free the PETSc objects of the solvers."""
        self.solver.destroy()
        self._laplace.destroy()
