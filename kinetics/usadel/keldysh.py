"""The linearized Keldysh sector on a mesh: the kinetic equations (K3) of
:mod:`kinetics.usadel.kinetic` for the eight distribution modes, one energy at a time, with
coefficients from the retarded solution of a :class:`~kinetics.usadel.problem.UsadelProblem`
(the spin Hall effect, swapping, Elliott–Yafet relaxation and the torque Ť of seed 003 in
the superconducting state; the spin–charge diffusion equations in the normal state).

Weak form (unknown ȟ = Σ_m h_m P̌_m in the Lagrange space of the retarded problem, 8
components, test functions v_m):

    Σ_m ∫ −q^m_k ∂_k v_m + s^m v_m dx = 0,

with q, s linear in h and ∇h through the coefficient fields A, B, C, E of (K3), held at the
quadrature points of the cell integrals (a basix quadrature element: the same points as the
assembly) and recomputed from ǧ^R, ∂ǧ^R for every energy.  Boundaries that are reservoirs
of the retarded problem are terminals with Dirichlet values of the modes; the others carry
no matrix current (natural condition).

Drive and linear response: a :class:`Terminal` at electrochemical potential μ and spin
accumulation μ_s (energy units) holds the distribution δȟ = w(ε)(−2μρ₃ − μ_s·Š) of a
normal reservoir to first order, w(ε) = (1/4T) cosh⁻²(ε/2T) = −∂f/∂ε
(:mod:`kinetics.usadel.kinetic`).  The equations at one energy are linear and do not contain
T, so :meth:`KineticProblem.solve` computes the response ĥ(ε) to the energy-independent
terminal values h_T = −2μ, h_Ta = −μ_s^a, and temperature enters only the energy integral:
the charge and spin accumulations are

    μ(r) = −½ ∫dε w(ε) ñ(ε, r),   μ_s(r) = −∫dε w(ε) s̃(ε, r),

equal to μ and μ_s of the terminals in a normal metal (:meth:`KineticProblem.accumulations`,
with :func:`thermal_quadrature`).  In a superconductor μ is the charge-imbalance potential
(the density of the charge mode, weighted with the local spectra through ñ).
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Mapping

import numpy as np

from kinetics import validation
from kinetics.usadel import kinetic, riccati, sampling

__all__ = ["Terminal", "KineticProblem", "fermi_weight", "thermal_quadrature",
           "set_bulk_gaps", "LU_OPTIONS", "KINETIC_JIT", "RESIDUAL_TOL"]

#: PETSc options of the kinetic linear systems (direct, MUMPS)
LU_OPTIONS = {"ksp_type": "preonly", "pc_type": "lu", "pc_factor_mat_solver_type": "mumps"}

#: largest accepted relative residual ‖Aĥ − b‖/‖b‖ of a kinetic solve (checked after the LU)
RESIDUAL_TOL = 1e-8

#: compiler options of the kinetic form: -O1 compiles the 8×8 tensor-coefficient kernel 5×
#: faster than -O2 and assembles within 1.5× of it (-O0: 12× faster to compile, 4.5× slower
#: to assemble; measured on a 2D strip of 4600 triangles)
KINETIC_JIT = {"cffi_extra_compile_args": ["-O1", "-g0"]}


def fermi_weight(eps, temperature: float) -> np.ndarray:
    """w(ε) = (1/4T) cosh⁻²(ε/2T) = −∂f/∂ε (∫ w dε = 1), energies and T in the same unit.
    ValueError for T ≤ 0 or non-finite."""
    T = validation.positive("fermi_weight", "temperature", temperature, limit=1e12)
    x = np.asarray(eps, dtype=float) / (2 * T)
    return 1.0 / (4 * T * np.cosh(np.clip(x, -350, 350)) ** 2)


def thermal_quadrature(temperature: float, edges=(), points: int = 48):
    """Nodes ε_i (increasing) and weights W_i with Σ_i W_i f(ε_i) ≈ ∫dε w(ε) f(ε),
    w = (1/4T) cosh⁻²(ε/2T): u = tanh(ε/2T) ∈ (−1, 1) (du = 2w dε), split into subintervals
    at ±tanh(e/2T) for each energy e in ``edges`` (gap edges, where f has square-root
    singularities), each mapped by u = (a+b)/2 + (b−a)/2 sin(πx/2) and integrated by
    Gauss–Legendre in x (the map makes |u − a|^{−1/2} singularities at the ends smooth).
    About ``points`` nodes in total, the same number (at least 4) on every subinterval.

    Raises
    ------
    ValueError
        For T ≤ 0, points < 4 or non-finite edges.
    """
    T = validation.positive("thermal_quadrature", "temperature", temperature, limit=1e12)
    points = validation.integer("thermal_quadrature", "points", points, 4, 100000)
    cuts = [0.0]
    for e in np.atleast_1d(np.asarray(edges, dtype=float)):
        if not np.isfinite(e):
            raise ValueError(f"thermal_quadrature: edges must be finite, got {edges!r}")
        u = math.tanh(abs(e) / (2 * T))
        if 1e-12 < u < 1 - 1e-12:
            cuts.append(u)
    cuts = np.unique(cuts)
    bounds = np.concatenate([cuts, [1.0]])             # subintervals of (0, 1), mirrored
    per = np.full(len(bounds) - 1, max(4, points // (2 * (len(bounds) - 1))))
    us, ws = [], []
    for (a, b), n in zip(zip(bounds[:-1], bounds[1:]), per):
        x, w = np.polynomial.legendre.leggauss(int(n))
        # u = (a+b)/2 + (b−a)/2 sin(πx/2): the end-point singularities ∝ |u − e|^{−1/2} of
        # the spectra at a gap edge become smooth in x
        us.append((a + b) / 2 + (b - a) / 2 * np.sin(np.pi * x / 2))
        ws.append(w * (b - a) / 2 * (np.pi / 2) * np.cos(np.pi * x / 2))
    u, wu = np.concatenate(us), np.concatenate(ws)
    u, wu = np.concatenate([-u[::-1], u]), np.concatenate([wu[::-1], wu])
    return 2 * T * np.arctanh(u), wu / 2


def set_bulk_gaps(problem, temperature: float) -> dict:
    """Set Δ of every region of ``problem`` (a UsadelProblem) with T_c0 > 0 to the uniform
    bulk BCS gap Δ(T) of its T_c0 (:func:`kinetics.usadel.bulk.bcs_gap`; 0 for T ≥ T_c0,
    the T = 0 gap below T = 0.02 T_c0, equal within e^{−Δ₀/T} < 1e-38), keeping its phase:
    the gap of a temperature sweep without self-consistency in the device.  Returns
    {region: Δ} (energy units).  ValueError for T ≤ 0."""
    from kinetics.usadel import bulk
    from kinetics.usadel.parameters import delta_values
    T = validation.positive("set_bulk_gaps", "temperature", temperature, limit=1e8)
    out = {}
    for name, reg in problem.regions.items():
        if reg.tc0 <= 0:
            continue
        if callable(reg.delta):
            raise ValueError(f"region '{name}' has a prescribed Δ(r) and tc0: set_bulk_gaps "
                             f"would replace it")
        if T < 0.02 * reg.tc0:
            reg.delta = float(bulk.bcs_gap_zero_temperature(reg.tc0))
        else:
            reg.delta = float(bulk.bcs_gap(T, reg.tc0))
        cells = problem.device.cell_tags.find(problem.device.region_tag(name))
        problem._delta.interpolate(lambda x, reg=reg, name=name: delta_values(reg, name, x),
                                   cells0=cells)
        out[name] = reg.delta
    problem._delta.x.scatter_forward()
    problem.energy = None
    return out


@dataclasses.dataclass
class Terminal:
    """A normal (or superconducting) reservoir as a kinetic terminal: electrochemical
    potential ``mu`` and spin accumulation ``mu_s`` (3,), energy units, linear response
    (:mod:`kinetics.usadel.keldysh`).  Raises ValueError for non-finite values."""

    mu: float = 0.0
    mu_s: tuple = (0.0, 0.0, 0.0)

    def __post_init__(self):
        self.mu = validation.finite("Terminal", "mu", self.mu, limit=1e8)
        self.mu_s = validation.vector3("Terminal", "mu_s", self.mu_s, limit=1e8)

    def modes(self) -> np.ndarray:
        """The eight Dirichlet mode values (:data:`kinetics.usadel.kinetic.MODES`) of the
        response ĥ = δȟ/w(ε): h_T = −2μ, h_Ta = −μ_s^a, the others 0."""
        out = np.zeros(8)
        out[1] = -2 * self.mu
        out[2:5] = -np.asarray(self.mu_s)
        return out


class KineticProblem:
    """The linearized Keldysh sector of ``usadel`` (a solved-per-energy
    :class:`~kinetics.usadel.problem.UsadelProblem` with one domain).

    Parameters
    ----------
    usadel:
        The retarded problem; its regions carry D, θ, κ, τ_sf, τ_so, h and its Δ.
    terminals:
        ``{boundary_name: Terminal}``: each must be a reservoir of ``usadel``; reservoirs
        without an entry are terminals at equilibrium (μ = μ_s = 0).
    options:
        PETSc options overriding :data:`LU_OPTIONS`.
    jit_options:
        For the kinetic form (default :data:`KINETIC_JIT`).

    Attributes
    ----------
    h:
        The response ĥ = δȟ/w(ε) of the distribution modes (8-component Function) to the
        terminals at the energy of the last :meth:`solve`.
    timings:
        Wall times (s) of the last :meth:`solve` on this rank: ``coefficients`` (the update at
        the quadrature points) and ``linear_solve`` (assembly and LU).

    Raises
    ------
    KeyError
        For a terminal that is not a boundary of the device.
    ValueError
        For a terminal that is not a reservoir of ``usadel``, or a problem with tunnel
        interfaces (several domains) or SU(2) gauge fields (not supported yet).
    """

    def __init__(self, usadel, terminals: Mapping | None = None, *,
                 options: dict | None = None, jit_options: dict | None = None):
        import basix.ufl
        import ufl
        from dolfinx import fem
        terminals = dict(terminals or {})
        self.usadel = p = usadel
        if len(p.domains) != 1:
            raise ValueError("the Keldysh sector does not support tunnel interfaces yet "
                             f"(the problem has {len(p.domains)} domains)")
        if p._gauge is not None:
            raise ValueError("the Keldysh sector does not support SU(2) gauge fields yet "
                             "(its derivatives are not covariant)")
        for name, term in terminals.items():
            p.device.boundary_tag(name)
            if name not in p.reservoirs:
                raise ValueError(f"terminal '{name}' is not a reservoir of the Usadel problem "
                                 f"(reservoirs: {', '.join(p.reservoirs) or 'none'}); a "
                                 f"transparent contact fixes both the spectra and the "
                                 f"distribution")
            if not isinstance(term, Terminal):
                raise ValueError(f"terminal '{name}': expected a Terminal, got {term!r}")
        self.terminals = {name: terminals.get(name, Terminal()) for name in p.reservoirs}
        msh = self.mesh = p.mesh
        tdim = msh.topology.dim
        self.d = d = msh.geometry.dim
        self.axes = sampling.axis_indices(p.device)
        self.qdeg = 2 * p.degree
        pts, _ = sampling.quadrature_rule(msh, self.qdeg)
        self.nq = len(pts)
        self._eval = sampling._Evaluators(p, pts)
        self.params = sampling.cell_parameters(p)
        imap = msh.topology.index_map(tdim)
        self.cells = np.arange(imap.size_local + imap.num_ghosts, dtype=np.int32)
        cell = msh.topology.cell_name()
        shapes = {"A": (8, d, 8, d), "B": (8, d, 8), "C": (8, 8), "E": (8, 8, d)}
        self._coef = {}
        for key, shape in shapes.items():
            Qe = basix.ufl.quadrature_element(cell, value_shape=shape, degree=self.qdeg)
            self._coef[key] = fem.Function(fem.functionspace(msh, Qe), name=f"kinetic_{key}")
        self.space = V = fem.functionspace(msh, ("Lagrange", p.degree, (8,)))
        self.h = fem.Function(V, name="distribution")
        h, v = ufl.TrialFunction(V), ufl.TestFunction(V)
        A, B, C, E = (self._coef[k] for k in "ABCE")
        dx = ufl.Measure("dx", domain=msh, metadata={"quadrature_degree": self.qdeg,
                                                     "quadrature_rule": "default"})
        gh, gv = ufl.grad(h), ufl.grad(v)
        m, k, n, j = ufl.indices(4)
        flux = (A[m, k, n, j] * gh[n, j] + B[m, k, n] * h[n]) * gv[m, k]
        source = (C[m, n] * h[n] + E[m, n, j] * gh[n, j]) * v[m]
        self._a = (source - flux) * dx
        self._L = ufl.inner(fem.Constant(msh, np.zeros(8)), v) * dx
        self._bcs, self._bc_values = [], []
        for name in self.terminals:
            facets = p.device.facet_tags.find(p.device.boundary_tag(name))
            const = fem.Constant(msh, np.zeros(8))
            dofs = fem.locate_dofs_topological(V, tdim - 1, facets)
            self._bcs.append(fem.dirichletbc(const, dofs, V))
            self._bc_values.append((name, const))
        self.options = {**LU_OPTIONS, **(options or {})}
        if self.options.get("pc_type") not in ("lu", "cholesky"):
            self.options.pop("pc_factor_mat_solver_type", None)   # (else unused: a warning)
        self.jit_options = dict(KINETIC_JIT if jit_options is None else jit_options)
        self._problem = None
        self.energy = None
        self.energies_used = 0
        self.timings: dict = {}

    # -- coefficients --------------------------------------------------------------------
    def _update(self, eps: float, batch: int = 2048):
        """Recompute A, B, C, E at every quadrature point from the current retarded
        solution at energy ε."""
        p, prm, nq = self.usadel, self.params, self.nq
        arrays = {k: f.x.array.reshape(-1, f.x.array.size // (len(self.cells) * nq))
                  for k, f in self._coef.items()}
        dofmap = self._coef["A"].function_space.dofmap.list          # (n_cells, nq)
        for start in range(0, len(self.cells), batch):
            cells = self.cells[start:start + batch]
            _, g, dg, delta = sampling.sample(p, cells, self._eval, nq)
            X = riccati.energy_matrix(eps, 0.0, delta, prm.h[cells][:, None, :])
            bc = lambda a: np.broadcast_to(a[cells][:, None], (len(cells), nq))  # noqa: E731
            A, B, C, E = kinetic.coefficients(
                g, dg, self.axes, X=X, eta=p.eta, D=bc(prm.D), theta=bc(prm.theta),
                kappa=bc(prm.kappa), inv_tau_sf=bc(prm.inv_tau_sf),
                inv_tau_so=bc(prm.inv_tau_so))
            rows = dofmap[cells].ravel()
            n = len(rows)
            arrays["A"][rows] = A.reshape(n, -1)
            arrays["B"][rows] = B.reshape(n, -1)
            arrays["C"][rows] = C.reshape(n, -1)
            arrays["E"][rows] = E.reshape(n, -1)

    # -- solving -------------------------------------------------------------------------
    def solve(self, eps: float):
        """The distribution modes at energy ε (the Function :attr:`h`), from the retarded
        solution that ``usadel`` holds, which must be at ε (``usadel.energy == eps``).

        Raises
        ------
        ValueError
            If the retarded problem is not solved at ε.
        kinetics.solvers.linear.SolverError
            If the linear solve fails, leaves a relative residual above
            :data:`RESIDUAL_TOL` or returns a non-finite solution.
        """
        from dolfinx.fem.petsc import LinearProblem
        from mpi4py import MPI

        from kinetics.solvers.linear import SolverError
        eps = validation.finite("KineticProblem.solve", "eps", eps, limit=1e12)
        if self.usadel.energy is None or self.usadel.energy != eps:
            raise ValueError(f"KineticProblem.solve({eps:g}): the Usadel problem holds the "
                             f"solution at {self.usadel.energy!r}; solve it at this energy "
                             f"first")
        t0 = time.perf_counter()
        self._update(eps)
        t1 = time.perf_counter()
        for name, const in self._bc_values:
            const.value = self.terminals[name].modes()
        if self._problem is None:
            self._problem = LinearProblem(self._a, self._L, bcs=self._bcs, u=self.h,
                                          petsc_options=self.options,
                                          jit_options=self.jit_options)
        self._problem.solve()
        reason = self._problem.solver.getConvergedReason()
        A, b = self._problem.A, self._problem.b
        r = b.duplicate()
        A.mult(self._problem._x, r)
        r.axpy(-1.0, b)
        bnorm = b.norm()
        rel = r.norm() / bnorm if bnorm > 0 else r.norm()
        r.destroy()
        ok = reason > 0 and np.all(np.isfinite(self.h.x.array)) and rel <= RESIDUAL_TOL
        if not self.mesh.comm.allreduce(bool(ok), op=MPI.LAND):
            raise SolverError(f"kinetic solve at energy eps = {eps:.10g} failed (KSP reason "
                              f"{reason}, relative residual {rel:.3g} > {RESIDUAL_TOL:g} or "
                              f"non-finite modes)", reason=str(reason))
        self.energy = eps
        self.timings = {"coefficients": t1 - t0, "linear_solve": time.perf_counter() - t1}
        return self.h

    # -- observables ---------------------------------------------------------------------
    def nodal_densities(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(ñ, s̃, N) at the nodes of this rank (owned and ghost), shapes (n,), (n, 3), (n,):
        the densities of :func:`kinetics.usadel.kinetic.densities` of the current ȟ and
        retarded solution, and the local DOS N = Re Tr ǧ₁₁/2."""
        from kinetics.usadel.parameters import unpack
        p = self.usadel
        if not np.array_equal(self.space.dofmap.list, p.space.dofmap.list):
            raise RuntimeError("the kinetic and retarded spaces have different dof maps")
        gam, gam_t = unpack(p.u.x.array.reshape(-1, 16))
        g = riccati.gf_from_riccati(gam, gam_t)
        modes = self.h.x.array.reshape(-1, 8)
        hm = np.einsum("nm,mij->nij", modes, kinetic.PROJECTORS)
        n, s = kinetic.densities(g, hm)
        return n, s, np.real(np.trace(g[:, :2, :2], axis1=1, axis2=2)) / 2

    def accumulations(self, temperature: float, *, points: int = 48, edges=None,
                      progress: bool = False):
        """Charge and spin accumulation μ(r) = −½∫dε w ñ, μ_s(r) = −∫dε w s̃ and the
        normalized tunnel conductance Y(r) = ∫dε w N of a normal tunnel probe at temperature
        T (energy units; μ, μ_s of the terminals and Y = 1 in a normal metal) with
        :func:`thermal_quadrature` (``points`` energies, split at the gap edges ``edges``;
        default: the |Δ| of the regions and reservoirs): the retarded problem is swept over
        the energies in increasing order (continuation) and the kinetic equations solved at
        each.  A normal tunnel probe at r measures the voltage μ/Y (zero current: ∫N(h_T −
        h_T^probe)dε = 0), a ferromagnetic one the spin voltage μ_s/Y (no spin splitting);
        in a superconductor Y ≪ 1 at T ≪ T_c, so a small charge imbalance gives a large
        probe voltage.

        Returns
        -------
        (mu, mu_s, Y): Lagrange Functions of the retarded problem's degree (scalar,
        3-vector, scalar) named "charge_accumulation", "spin_accumulation" and
        "tunnel_conductance".

        Raises
        ------
        ValueError
            For T ≤ 0 (as :func:`thermal_quadrature`).
        """
        from dolfinx import fem
        p = self.usadel
        if edges is None:
            edges = sorted({abs(r.delta) for r in p.regions.values() if not callable(r.delta)}
                           | {r.delta for r in p.reservoirs.values()})
        energies, weights = thermal_quadrature(temperature, edges, points)
        self.energies_used = len(energies)
        n_acc, s_acc, y_acc = 0.0, 0.0, 0.0
        for k, (eps, wk) in enumerate(zip(energies, weights)):
            p.sweep([eps], initial="auto" if k == 0 else None)
            self.solve(float(eps))
            n, s, dos = self.nodal_densities()
            n_acc, s_acc, y_acc = n_acc + wk * n, s_acc + wk * s, y_acc + wk * dos
            if progress and self.mesh.comm.rank == 0:
                print(f"keldysh: eps = {eps:.6g} ({k + 1}/{len(energies)})", flush=True)
        deg = p.degree
        scalar = fem.functionspace(self.mesh, ("Lagrange", deg))
        mu = fem.Function(scalar, name="charge_accumulation")
        mu_s = fem.Function(fem.functionspace(self.mesh, ("Lagrange", deg, (3,))),
                            name="spin_accumulation")
        Y = fem.Function(scalar, name="tunnel_conductance")
        mu.x.array[:] = -0.5 * n_acc
        mu_s.x.array[:] = -s_acc.reshape(-1)
        Y.x.array[:] = y_acc
        return mu, mu_s, Y

    def destroy(self):
        """Free the PETSc objects of the linear solver."""
        if self._problem is not None:
            self._problem.solver.destroy()
            self._problem = None

