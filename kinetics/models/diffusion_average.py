"""The diffusion average ⟨·⟩ of seed 002 as a finite-element solver.

Seed 002 Eq. (6) defines ⟨A⟩ through the diffuson propagator 1/(Dq²τ + iΩτ) with the Fourier
convention e^{−iq·x + iΩt}.  For a causal source this is the PDE (Eq. 6 as a PDE, with Σ_Ω = ∫dΩ/2π; docs/pumping.md §2)

    τ (∂_t − D∇² + 1/τ_sf) ⟨A⟩ = A − ∇·g                                              (1)

with the optional spin-flip relaxation 1/τ_sf.  It is not in the paper (τ_sf = ∞ reproduces
it).  The source is a volume term A and an optional flux g.  The flux lets sources such as
∇²S or ∇·(a^R×T) enter in weak form with first derivatives only.  Weak form, test function w,
in SI units:

    ∫ τ(∂_t a w + D∇a·∇w + a w/τ_sf) dx = ∫ (A w + g·∇w) dx

Natural boundary condition: the total flux vanishes, n·(τD∇a − g) = 0.  For a pure
⟨A⟩ (g = 0) this is a reflecting wall, n·∇⟨A⟩ = 0.  For the spin density it means no
diffusive spin current through the wall (docs/pumping.md).  Optional ``reservoirs`` are
facets with a = 0 (Dirichlet), an ideal sink.  The paper's medium is infinite.  On a
bounded domain these two boundary conditions are the modelling choice.

Solvers
-------
``steady``
    Ω = 0.  With τ_sf = ∞ and no reservoir the operator is the pure-Neumann Laplacian,
    which is singular (docs/pumping.md §2).  Then a source with non-zero mean has no steady
    state (⟨A⟩ grows linearly in time) and raises a ValueError before any solve.  A
    mean-free source is solved in the complement of the constants: the right-hand side is
    projected, one dof is pinned, and the mean of the solution is set to ``mean``.
``harmonic``
    a(t) = Re[â e^{+iΩt}], the paper's sign (also the engineering phasor e^{jωt}; the
    physics convention e^{−iωt} gives the complex conjugate).  (τ iΩ + K) â = Â is solved
    in the real 2×2 block form [[K, −τΩM], [τΩM, K]] [â_r; â_i] = [Â_r; Â_i].  This keeps
    the real PETSc build used by the rest of the framework, with the same process and the
    same MPI layout.  Complex PETSc would need a separate interpreter (dolfinx-complex) and
    would halve the unknowns of a problem that is cheap anyway.
``Stepper``
    Implicit BDF2 in time, started with one backward-Euler step.  It is L-stable: no
    oscillations when a source is switched on at t₀.  BDF2 is second order and one matrix
    factorization serves all steps.

Several components (e.g. the three spin components) share one operator: the unknown is a
vector Lagrange field with a block-diagonal matrix.  Internally the forms are written in mesh
coordinates and divided by L^d (L = ``Device.length_unit``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from kinetics import validation
from kinetics.physics.texture.sources import nonzero
from kinetics.solvers.linear import LinearSolver
from kinetics.solvers.system import assemble_operator, assemble_rhs

__all__ = ["DiffusionAverage", "Stepper"]


def _check_positive(name, v, allow_inf=False):
    """``v`` as a float > 0 (+inf too if ``allow_inf``); ValueError naming DiffusionAverage and
    ``name`` (:func:`kinetics.validation.positive`)."""
    return validation.positive("DiffusionAverage", name, v, allow_inf=allow_inf)


class DiffusionAverage:
    """Inverse of τ(∂_t − D∇² + 1/τ_sf) on a device (Eq. 1 above).

    Parameters
    ----------
    device:
        A :class:`kinetics.device.Device` (1D, 2D or 3D).
    D:
        Diffusion constant, m²/s.
    tau:
        Elastic lifetime τ, s (the prefactor of the operator, seed 002 Eq. 6).
    tau_sf:
        Optional relaxation time, s (``math.inf``: none, as in the paper).
    degree:
        Lagrange degree (1-3).
    reservoirs:
        Names of boundary facets with a = 0.
    solver, petsc_options:
        :mod:`kinetics.solvers.linear` preset and overrides (default: direct LU).

    Raises
    ------
    TypeError
        For numbers that are not numbers, reservoirs that are not a sequence of strings.
    kinetics.validation.ValidationError
        (a ValueError) For D, τ, τ_sf that are not positive and finite (τ_sf may be +inf)
        or beyond :data:`kinetics.validation.DEFAULT_LIMIT`, a degree that is not an integer
        in 1..3, reservoir names that name no facets of the device.
    KeyError
        For unknown reservoir names (the message lists the boundaries).
    """

    def __init__(self, device, D: float, tau: float, tau_sf: float = math.inf, *, degree: int = 1,
                 reservoirs: Sequence[str] = (), solver: str = "direct",
                 petsc_options: dict | None = None):
        import ufl
        from dolfinx import fem
        self.device = device
        self.D = _check_positive("D", D)
        self.tau = _check_positive("tau", tau)
        self.tau_sf = _check_positive("tau_sf", tau_sf, allow_inf=True)
        self.degree = validation.integer("DiffusionAverage", "degree", degree, 1, 3)
        if isinstance(reservoirs, str) or not isinstance(reservoirs, Sequence):
            raise TypeError(f"DiffusionAverage: reservoirs must be a list of boundary names, "
                            f"got {reservoirs!r}")
        self.reservoirs = [validation.text("DiffusionAverage", "reservoirs[]", r)
                           for r in reservoirs]
        for name in self.reservoirs:
            device.boundary_tag(name)
            if device.facet_count(name) == 0:
                raise validation.ValidationError(
                    "DiffusionAverage", "reservoirs", "names of facets of the mesh",
                    repr(name), "the mesh has no facets with that name")
        self.solver_preset, self.petsc_options = solver, dict(petsc_options or {})
        msh = device.mesh
        self.L = device.length_unit
        self.dx = ufl.Measure("dx", domain=msh)
        self.singular_dc = math.isinf(self.tau_sf) and not self.reservoirs
        # coefficients of the scaled form (divided by L^d): τ/dt-like, τD/L², τ/τ_sf
        self._c_mass = fem.Constant(msh, np.float64(0.0))
        self._c_diff = fem.Constant(msh, np.float64(self.tau * self.D / self.L ** 2))
        self._c_rel = fem.Constant(msh, np.float64(0.0 if math.isinf(self.tau_sf) else self.tau / self.tau_sf))
        self._c_omega = fem.Constant(msh, np.float64(0.0))
        self._spaces, self._ops = {}, {}

    # ------------------------------------------------------------------ spaces & forms
    def space(self, n: int):
        """The vector Lagrange space with ``n`` components (cached)."""
        from dolfinx import fem
        if n not in self._spaces:
            shape = () if n == 1 else (n,)
            self._spaces[n] = fem.functionspace(self.device.mesh, ("Lagrange", self.degree, shape))
        return self._spaces[n]

    def _bcs(self, Q):
        from dolfinx import fem
        dev = self.device
        out = []
        for name in self.reservoirs:
            facets = dev.facet_tags.find(dev.boundary_tag(name))
            dofs = fem.locate_dofs_topological(Q, dev.dim - 1, facets)
            bs = Q.dofmap.index_map_bs
            out.append(fem.dirichletbc(np.zeros(bs) if bs > 1 else np.float64(0.0), dofs, Q))
        return out

    def _vec(self, u, n):
        import ufl
        return ufl.as_vector([u]) if n == 1 else u

    def _operator(self, n: int, kind: str):
        """(a_form, bcs, solver) for ``kind`` in {"real", "pinned", "block"}; n components.
        "pinned" is the singular steady operator with one pinned node (its own matrix)."""
        import ufl
        from dolfinx import fem
        key = (n, kind)
        if key not in self._ops:
            Q = self.space(2 * n if kind == "block" else n)
            u, w = ufl.TrialFunction(Q), ufl.TestFunction(Q)
            cm, cd, cr = self._c_mass, self._c_diff, self._c_rel

            def K(a, b):
                return cd * ufl.inner(ufl.grad(a), ufl.grad(b)) + (cm + cr) * ufl.inner(a, b)

            if kind != "block":
                a = K(u, w) * self.dx
            else:
                uv, wv = self._vec(u, 2 * n), self._vec(w, 2 * n)
                ur, ui = ufl.as_vector([uv[i] for i in range(n)]), ufl.as_vector([uv[n + i] for i in range(n)])
                wr, wi = ufl.as_vector([wv[i] for i in range(n)]), ufl.as_vector([wv[n + i] for i in range(n)])
                # e^{+iΩt}: K â + iτΩ â = Â  ->  [[K, −τΩM], [τΩM, K]]
                a = (K(ur, wr) + K(ui, wi) + self._c_omega * (ufl.inner(ur, wi) - ufl.inner(ui, wr))) * self.dx
            bcs = self._bcs(Q) + (self._pin_bcs(Q) if kind == "pinned" else [])
            self._ops[key] = {"a": fem.form(a), "bcs": bcs, "Q": Q, "A": None,
                              "solver": None, "state": None}
        return self._ops[key]

    def _factor(self, op, state):
        if op["state"] == state:
            return
        op["A"] = assemble_operator(op["a"], op["bcs"], op["A"])
        if op["solver"] is None:
            op["solver"] = LinearSolver(self.device.comm, self.solver_preset, self.petsc_options)
        op["solver"].set_operator(op["A"])
        op["state"] = state

    def rhs_form(self, f, g, Q, history=()):
        """Scaled linear form ∫ f·w + g:∇w (+ Σ c inner(h, w)), f shape (n,) or (), g shape
        (n, 3) or (3,) in SI (flux per metre: the physical x, y, z components)."""
        import ufl
        from dolfinx import fem
        w = ufl.TestFunction(Q)
        n = Q.dofmap.index_map_bs
        wv = self._vec(w, n)
        f, g = nonzero(f), nonzero(g)
        if f is None:   # a Constant zero keeps the form non-empty
            f = fem.Constant(self.device.mesh, np.zeros(n) if n > 1 else np.float64(0.0))
        L = ufl.inner(self._vec(f, n), wv) * self.dx
        if g is not None:
            axes = self.device.axes
            g = ufl.as_matrix([[g[i] for i in range(3)]]) if len(g.ufl_shape) == 1 else g
            gm = ufl.as_matrix([[g[a, "xyz".index(ax)] for ax in axes] for a in range(n)])
            L = L + (1.0 / self.L) * ufl.inner(gm, ufl.grad(wv)) * self.dx
        for c, h in history:
            L = L + c * ufl.inner(self._vec(h, n), wv) * self.dx
        return fem.form(L)

    def _solve(self, op, L_form, project_mean=False):
        from dolfinx import fem
        # the projection comes before the Dirichlet values: the pinned row must keep its 0
        project = (lambda b: self._project_constants(b, op["Q"])) if project_mean else None
        b = assemble_rhs(L_form, op["a"], op["bcs"], before_bc=project)
        u = fem.Function(op["Q"])
        op["solver"].solve(b, u.x.petsc_vec)
        u.x.scatter_forward()
        b.destroy()
        return u

    # ------------------------------------------------------------------ steady
    def steady(self, f=None, g=None, mean=None, n: int | None = None, rtol: float = 1e-6,
               scale: float = 0.0, label: str = "the source"):
        """Solve (1) with ∂_t = 0.  Returns a Function with n components.

        Parameters
        ----------
        f:
            Volume source A, UFL scalar or n-vector (units of A).
        g:
            Flux source, UFL shape (3,) or (n, 3), SI.
        mean:
            Singular case only (τ_sf = ∞, no reservoir): the domain average of each
            component.  Default 0.
        rtol, scale:
            Compatibility test of the singular case: |⟨A⟩_Ω| <= rtol (⟨|A|⟩_Ω + scale), with
            ⟨·⟩_Ω the domain average.  ``scale`` is a typical magnitude of A, e.g. that of
            the oscillating parts, so that a DC that is round-off noise passes.  The default
            rtol allows for the quadrature error of analytic sources.  The small residual
            mean is projected out.
        label:
            Name of the source in error messages.

        Raises
        ------
        kinetics.validation.ValidationError
            (a ValueError) Singular case with a source of non-zero mean: no steady state
            exists.  The message gives the net generation and the cures: a relaxation time,
            a reservoir, or a mean-free source.
        """
        n = n or _ncomp([f], [g])
        if self.singular_dc:
            self._check_compatible(f, n, rtol, scale, label)
        return self._steady_solve(f, g, mean, n)

    def _steady_solve(self, f, g, mean, n):
        op = self._operator(n, "pinned" if self.singular_dc else "real")
        self._c_mass.value = 0.0
        self._factor(op, ("steady",))
        u = self._solve(op, self.rhs_form(f, g, op["Q"]), project_mean=self.singular_dc)
        if self.singular_dc:
            target = np.zeros(n) if mean is None else np.broadcast_to(
                validation.array("DiffusionAverage.steady", "mean", mean), (n,))
            avg = self.average(u, n)
            arr = u.x.array.reshape(-1, n)
            arr += target - avg
        return u

    def _check_compatible(self, f, n, rtol, scale, label):
        from dolfinx import fem
        f = nonzero(f)
        if f is None:
            return
        fv = self._vec(f, n)
        vol = _integral(fem.Constant(self.device.mesh, np.float64(1.0)) * self.dx, self.device)
        for a in range(n):
            net = _integral(fv[a] * self.dx, self.device) / vol
            size = _integral(abs(fv[a]) * self.dx, self.device) / vol
            if abs(net) > rtol * (size + scale):
                raise validation.ValidationError(
                    "no steady state", f"component {a} of {label}",
                    "mean-free in a closed domain without relaxation",
                    f"the non-zero mean {net:.4g}",
                    "its average grows linearly in time (at that rate divided by tau) because the "
                    "domain is closed and has no relaxation (docs/pumping.md §2).  Give a "
                    "relaxation time (tau_sf / relaxation_time), a reservoir boundary, or a "
                    "mean-free source")

    def _pin_bcs(self, Q):
        """Dirichlet 0 on the first owned node of rank 0 (all components)."""
        from dolfinx import fem
        bs = Q.dofmap.index_map_bs
        dofs = np.array([0], dtype=np.int32) if self.device.comm.rank == 0 else np.zeros(0, np.int32)
        return [fem.dirichletbc(np.zeros(bs) if bs > 1 else np.float64(0.0), dofs, Q)]

    def _project_constants(self, b, Q):
        """b ← b − (Σb / Σm) m per component, m = ∫w_i: the discrete compatibility condition."""
        import ufl
        from dolfinx import fem
        from dolfinx.fem import petsc as fpetsc
        from petsc4py import PETSc
        n = Q.dofmap.index_map_bs
        w = ufl.TestFunction(Q)
        one = ufl.as_vector([1.0] * n) if n > 1 else 1.0
        m = fpetsc.assemble_vector(fem.form(ufl.inner(one, w) * self.dx))
        m.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        comm = self.device.comm
        barr, marr = b.getArray(), m.getArray(readonly=True)
        sb = comm.allreduce(barr.reshape(-1, n).sum(axis=0))
        sm = comm.allreduce(marr.reshape(-1, n).sum(axis=0))
        barr.reshape(-1, n)[:] -= np.outer(marr.reshape(-1, n)[:, 0], sb / sm)
        m.destroy()

    def average(self, u, n: int) -> np.ndarray:
        """Domain average of each component of u (shape (n,))."""
        from dolfinx import fem
        uv = self._vec(u, n)
        vol = _integral(fem.Constant(self.device.mesh, np.float64(1.0)) * self.dx, self.device)
        return np.array([_integral(uv[a] * self.dx, self.device) for a in range(n)]) / vol

    # ------------------------------------------------------------------ harmonic
    def harmonic(self, Omega: float, f_re=None, f_im=None, g_re=None, g_im=None, n: int | None = None):
        """Complex amplitude of the periodic solution at angular frequency Ω ≠ 0 (e^{+iΩt}).

        Parameters
        ----------
        Omega:
            Angular frequency, rad/s (non-zero; use :meth:`steady` for Ω = 0).
        f_re, f_im, g_re, g_im:
            Real and imaginary parts of the source amplitudes (UFL; see :meth:`steady`).

        Returns
        -------
        (re, im) Functions with n components.

        Raises
        ------
        TypeError
            For an Ω that is not a number.
        kinetics.validation.ValidationError
            For Ω = 0 (use :meth:`steady`) or non-finite.
        """
        import ufl
        from dolfinx import fem
        Omega = validation.finite("DiffusionAverage.harmonic", "Omega", Omega,
                                  kind="a number (rad/s)")
        if Omega == 0:
            raise validation.ValidationError("DiffusionAverage.harmonic", "Omega", "non-zero",
                                             "0", "use steady() for Omega = 0")
        n = n or _ncomp([f_re, f_im], [g_re, g_im])
        op = self._operator(n, "block")
        self._c_mass.value = 0.0
        self._c_omega.value = self.tau * Omega
        self._factor(op, ("block", float(Omega)))

        def rows(v, flux):
            """Component rows of a source: a list of n scalars (volume) or n 3-lists (flux)."""
            if v is None:
                return [[0.0] * 3 if flux else 0.0 for _ in range(n)]
            if flux:
                return [[v[i] for i in range(3)]] if len(v.ufl_shape) == 1 else \
                    [[v[a, i] for i in range(3)] for a in range(n)]
            return [v] if v.ufl_shape == () else [v[a] for a in range(n)]

        def stack(re, im, flux):
            r = rows(re, flux) + rows(im, flux)
            return ufl.as_matrix(r) if flux else ufl.as_vector(r)

        f = None if f_re is None and f_im is None else stack(f_re, f_im, False)
        g = None if g_re is None and g_im is None else stack(g_re, g_im, True)
        u = self._solve(op, self.rhs_form(f, g, op["Q"]))
        out = []
        for part in (slice(0, n), slice(n, 2 * n)):
            v = fem.Function(self.space(n))
            v.x.array[:] = u.x.array.reshape(-1, 2 * n)[:, part].reshape(-1)
            out.append(v)
        return tuple(out)

    def stepper(self, dt: float, f=None, g=None, n: int | None = None, initial=None) -> "Stepper":
        """A BDF2 time stepper for (1) with the sources f(t), g(t) (UFL expressions of
        Constants that the caller updates to t_{n+1} before each :meth:`Stepper.step`).

        Raises
        ------
        ValueError
            For a non-positive dt.
        """
        return Stepper(self, _check_positive("dt", dt), f, g, n or _ncomp([f], [g]), initial)


class Stepper:
    """BDF2 (first step backward Euler) for τ(∂_t − D∇² + 1/τ_sf) a = f − ∇·g.

    BDF2: τ(3a^{k+1} − 4a^k + a^{k−1})/(2Δt) + K a^{k+1} = A^{k+1}.

    Attributes
    ----------
    u:
        The current solution (Function, n components), starting at ``initial`` (default 0:
        rest).
    rate:
        Its time derivative by the same difference formula (Function), for continuity checks.
    steps:
        Steps taken.
    """

    def __init__(self, op: DiffusionAverage, dt, f, g, n, initial=None):
        from dolfinx import fem
        self.op, self.dt, self.n = op, dt, n
        self.opdata = op._operator(n, "real")
        Q = self.opdata["Q"]
        self.u = fem.Function(Q, name="a")
        if initial is not None:
            self.u.x.array[:] = initial.x.array
        self.u_old = fem.Function(Q)
        self.rate = fem.Function(Q, name="da_dt")
        msh = op.device.mesh
        self._h1 = fem.Constant(msh, np.float64(0.0))
        self._h2 = fem.Constant(msh, np.float64(0.0))
        self._prev = fem.Function(Q)
        self.L_form = op.rhs_form(f, g, Q, history=[(self._h1, self.u), (self._h2, self._prev)])
        self.steps = 0

    def step(self):
        """Advance by Δt; returns the new solution ``u`` (updated in place)."""
        op, tau, dt = self.op, self.op.tau, self.dt
        bdf2 = self.steps >= 1
        op._c_mass.value = 1.5 * tau / dt if bdf2 else tau / dt
        self._h1.value = 2.0 * tau / dt if bdf2 else tau / dt
        self._h2.value = -0.5 * tau / dt if bdf2 else 0.0
        self._prev.x.array[:] = self.u_old.x.array
        op._factor(self.opdata, ("bdf2" if bdf2 else "be", dt))
        new = op._solve(self.opdata, self.L_form)
        if bdf2:
            self.rate.x.array[:] = (3 * new.x.array - 4 * self.u.x.array + self.u_old.x.array) / (2 * dt)
        else:
            self.rate.x.array[:] = (new.x.array - self.u.x.array) / dt
        self.u_old.x.array[:] = self.u.x.array
        self.u.x.array[:] = new.x.array
        self.steps += 1
        return self.u


def _ncomp(fs, gs) -> int:
    """Number of components from the first volume source (shape () or (n,)) or, failing
    that, the first flux source (shape (3,) for one component or (n, 3))."""
    for f in fs:
        if f is not None:
            return 1 if f.ufl_shape == () else int(f.ufl_shape[0])
    for g in gs:
        if g is not None:
            return 1 if len(g.ufl_shape) == 1 else int(g.ufl_shape[0])
    raise ValueError("no source given: pass f (volume) and/or g (flux)")


def _integral(form_expr, device) -> float:
    from dolfinx import fem
    from mpi4py import MPI
    return device.comm.allreduce(fem.assemble_scalar(fem.form(form_expr)), op=MPI.SUM)
