"""Newton's method with line search on PETSc SNES for a nonlinear variational problem.

The problem is a UFL residual form F(u; v), linear in the test function v, with Dirichlet
conditions u = g on part of the boundary: find u with F(u; v) = 0 for all v.  Its Jacobian
J(u; du, v) is the Gâteaux derivative ``ufl.derivative(F, u, du)`` unless given.  One Newton
step solves J(u_k) δu = F(u_k) and sets u_{k+1} = u_k − λ δu, with λ from the line search
(default ``bt``, backtracking with cubic interpolation; λ = 1 near the solution, where the
convergence is quadratic).  PETSc SNES runs the loop (SNES manual, "Nonlinear solvers:
newtonls"); the callbacks follow the residual/Jacobian pattern of dolfinx's own SNES tests
(``NonlinearPDE_SNESProblem`` in dolfinx ``python/test/unit/nls``):

    F ← assemble(F(u));  F ← F − (−1)·J (g − u)  (:func:`kinetics.solvers.system.lift`);
    reverse scatter;  F[bc dofs] = u − g
    J ← assemble(J(u)) with the Dirichlet rows and columns set to the identity

so that the first step puts u on g and every later step leaves it there.  Before each
assembly the iterate is copied into the Function u and its ghosts are updated (forward
scatter), so parallel runs give the serial answer.

The linear solves use a preset of :data:`kinetics.solvers.linear.PRESETS` (default
``direct``: MUMPS LU) under the SNES's options prefix; any PETSc option (``snes_*``,
``snes_linesearch_*``, ``ksp_*``, ``pc_*``) given by the caller overrides the defaults.
petsc4py 3.22 has no ``SNES.getLineSearch()``, so the line search is configured through the
options database.  A solve that does not converge (negative ``SNES.ConvergedReason``) or
gives NaN/Inf raises :class:`~kinetics.solvers.linear.SolverError` with the reason name and
the residual-norm history; nothing is returned from a failed solve.

A positive reason is not trusted either: SNES also stops on a small step
(``CONVERGED_SNORM_RELATIVE``, e.g. after line searches that shrink a bad direction from a
linear solve that "converged" without solving, such as ``ksp_type preonly`` with
``pc_type none``) or after a fixed number of steps.  After every solve the residual F(u) is
assembled once more at the returned u and ‖F(u)‖₂ must be at most
:data:`SNES_RESIDUAL_FACTOR` · max(snes_rtol ‖F(u₀)‖₂, snes_atol); otherwise
:class:`~kinetics.solvers.linear.SolverError` (reason ``"TRUE_RESIDUAL"``) names both
numbers.  A ``PETSc.Error`` while reading the options (e.g. an unknown ``snes_type``) raises
:class:`~kinetics.solvers.linear.SolverError` too.

:class:`SNESDriver` holds everything above that does not depend on how the unknowns are
stored (options, SNES set-up, the solve loop, the checks); :class:`NonlinearSolver` stores
them in one Function, :class:`kinetics.solvers.nonlinear_block.BlockNonlinearSolver` in K
Functions on different (sub)mesh spaces.
"""

from __future__ import annotations

import itertools

import numpy as np

from kinetics.solvers.linear import PRESETS, SolverError
from kinetics.solvers.system import lift

__all__ = ["NonlinearSolver", "SNESDriver", "SNES_DEFAULTS", "SNES_RESIDUAL_FACTOR"]

#: The final residual ‖F(u)‖₂, evaluated again after SNES reports convergence, must be at
#: most this factor times max(snes_rtol ‖F(u₀)‖₂, snes_atol) (module docstring).  Measured
#: ratios (tests/test_nonlinear.py): Newton ≤ 2e-3; a Picard Jacobian stopped by the step
#: tolerance 7; SNES stopped after a fixed number of steps ≥ 3e6.
SNES_RESIDUAL_FACTOR = 100.0

#: SNES defaults (overridable): Newton with backtracking line search, PETSc's tolerances
#: except a tighter relative one.
SNES_DEFAULTS = {
    "snes_type": "newtonls",
    "snes_linesearch_type": "bt",
    "snes_rtol": 1e-10,
    "snes_atol": 1e-50,
    "snes_max_it": 50,
}

_counter = itertools.count()


def _reason_name(value: int) -> str:
    """The ``PETSc.SNES.ConvergedReason`` name of an integer reason."""
    from petsc4py import PETSc
    R = PETSc.SNES.ConvergedReason
    names = {getattr(R, k): k for k in dir(R) if not k.startswith("_") and k != "ITERATING"}
    return names.get(value, str(value))


class SNESDriver:
    """The part of a SNES Newton solver shared by :class:`NonlinearSolver` and
    :class:`~kinetics.solvers.nonlinear_block.BlockNonlinearSolver` (module docstring).

    A subclass creates the residual vector ``self._b``, the Jacobian matrix ``self._A`` and
    the solution vector ``self._x``, then calls :meth:`_setup`; it implements

    - ``_update(x)``: copy the SNES iterate x into its Function(s) and scatter their ghosts;
    - ``_load(x)``: copy its Function(s) into x (the initial guess);
    - ``_residual(snes, x, b)`` and ``_jacobian(snes, x, A, P)`` (SNES callbacks);
    - ``_local_values()``: the owned values of the Function(s) (a list of numpy arrays);
    - ``_result()``: what :meth:`solve` returns.
    """

    def _setup(self, comm, preset: str, options: dict | None) -> None:
        """Options database entries under a fresh prefix, the SNES and its callbacks.

        Raises
        ------
        ValueError
            For an unknown preset.
        kinetics.solvers.linear.SolverError
            When PETSc refuses the options (reason ``"PETSC_ERROR"``).
        """
        from petsc4py import PETSc
        if preset not in PRESETS:
            raise ValueError(f"unknown solver preset '{preset}'; valid: {', '.join(PRESETS)}")
        self.comm = comm
        self.preset = preset
        self.prefix = f"kinetics_snes_{next(_counter)}_"
        self.options = {**SNES_DEFAULTS, **PRESETS[preset], **(options or {})}
        db = PETSc.Options()
        for k, v in self.options.items():
            db[self.prefix + k] = v
        self.snes = PETSc.SNES().create(comm)
        self.snes.setOptionsPrefix(self.prefix)
        self.snes.setFunction(self._residual, self._b)
        self.snes.setJacobian(self._jacobian, self._A, self._A)
        self.snes.setMonitor(self._monitor)
        try:
            self.snes.setFromOptions()
            self.snes.getKSP().setFromOptions()
        except PETSc.Error as exc:
            user = ", ".join(f"{k}={v}" for k, v in (options or {}).items()) or "none"
            raise SolverError(f"PETSc refused the options of the nonlinear solver ({preset} "
                              f"preset; user options: {user}): {str(exc).strip()}",
                              reason="PETSC_ERROR") from None
        self.iterations = 0
        self.residuals: list[float] = []
        self.reason = ""
        self.final_residual = None

    def _monitor(self, snes, its, norm) -> None:
        self.residuals.append(float(norm))

    # -- solve -------------------------------------------------------------------------
    def solve(self):
        """Run Newton from the current unknowns; on success they hold the solution (ghosts
        updated).

        Returns
        -------
        The Function (:class:`NonlinearSolver`) or the list of Functions
        (:class:`~kinetics.solvers.nonlinear_block.BlockNonlinearSolver`).

        Raises
        ------
        kinetics.solvers.linear.SolverError
            When SNES reports divergence (negative converged reason: e.g.
            ``DIVERGED_MAX_IT``, ``DIVERGED_LINE_SEARCH``, ``DIVERGED_LINEAR_SOLVE``,
            ``DIVERGED_FNORM_NAN``) or a PETSc error occurs, with ``reason`` and
            ``residuals`` set; when the solution contains NaN/Inf (reason ``"NAN"``); when
            the residual re-assembled at the solution is too large (``"TRUE_RESIDUAL"``,
            module docstring).  The unknowns then hold the last iterate.
        """
        from petsc4py import PETSc
        self.residuals = []
        self._load(self._x)
        try:
            self.snes.solve(None, self._x)
        except PETSc.Error as exc:
            self.reason = "PETSC_ERROR"
            raise SolverError(f"nonlinear solve failed ({self.preset} preset): {exc}",
                              reason=self.reason, residuals=self.residuals) from exc
        finally:
            self._update(self._x)
        self.iterations = self.snes.getIterationNumber()
        reason = self.snes.getConvergedReason()
        self.reason = _reason_name(reason)
        if reason < 0:
            self._raise(reason)
        self._check_finite()
        self._check_residual()
        return self._result()

    def _check_residual(self) -> None:
        """Assemble F at the returned u and compare ‖F‖₂ with the requested tolerance."""
        from petsc4py import PETSc
        F = self._b.duplicate()
        self._residual(self.snes, self._x, F)
        fnorm = F.norm()
        F.destroy()
        rtol, atol, _, _ = self.snes.getTolerances()
        f0 = self.residuals[0] if self.residuals else fnorm
        bound = SNES_RESIDUAL_FACTOR * max(rtol * f0, atol)
        self.final_residual = fnorm
        if fnorm <= bound or fnorm == 0.0:
            return
        ksp = self.snes.getKSP()
        ksp_type, pc_type = ksp.getType(), ksp.getPC().getType()
        if self.reason == "CONVERGED_ITS":
            hint = ("SNES stopped after a fixed number of steps (snes_type ksponly, "
                    "snes_convergence_test skip)")
        elif ksp_type == PETSc.KSP.Type.PREONLY and pc_type not in ("lu", "cholesky"):
            hint = (f"ksp_type preonly with pc_type {pc_type} does not solve the Newton "
                    f"systems; use pc_type lu or a Krylov ksp_type")
        else:
            hint = ("the step tolerance snes_stol stopped Newton early (a poor Jacobian or "
                    "inexact linear solves)")
        raise SolverError(
            f"nonlinear solve gave a wrong answer: SNES reported {self.reason} after "
            f"{self.iterations} Newton iterations, but ||F(u)|| = {fnorm:.3e} exceeds "
            f"{SNES_RESIDUAL_FACTOR:g} max(snes_rtol ||F(u0)||, snes_atol) = {bound:.3e} "
            f"(||F(u0)|| = {f0:.3e}; ksp_type {ksp_type}, pc_type {pc_type}, "
            f"'{self.preset}' preset). Likely cause: {hint}.",
            reason="TRUE_RESIDUAL", residuals=self.residuals, true_residual=fnorm, bound=bound)

    def _raise(self, reason: int):
        tail = ", ".join(f"{r:.3e}" for r in self.residuals[-6:])
        lin = self.snes.getKSP().getConvergedReason()
        raise SolverError(
            f"nonlinear solve did not converge: SNES reason {self.reason} ({reason}) after "
            f"{self.iterations} Newton iterations (last KSP reason {lin}) with the "
            f"'{self.preset}' preset; residual norms: [{tail}]. Try a better initial guess, "
            f"more iterations (snes_max_it) or another line search (snes_linesearch_type).",
            reason=self.reason, residuals=self.residuals)

    def _check_finite(self):
        bad = sum(int(np.count_nonzero(~np.isfinite(a))) for a in self._local_values())
        if self.comm.allreduce(bad) > 0:
            raise SolverError("nonlinear solve produced NaN/Inf values", reason="NAN",
                              residuals=self.residuals)

    def destroy(self):
        """Free the PETSc objects and remove this solver's options from the database."""
        from petsc4py import PETSc
        for obj in (self.snes, self._A, self._b, self._x):
            obj.destroy()
        db = PETSc.Options()
        for name in list(db.getAll()):
            if name.startswith(self.prefix):
                db.delValue(name)


class NonlinearSolver(SNESDriver):
    """Solve F(u; v) = 0 for the Function u by Newton's method on PETSc SNES.

    Parameters
    ----------
    F:
        The residual, a UFL form of rank 1 (test function v) depending nonlinearly on ``u``;
        any units (the residual and solution are dimensionless or as the caller scales them).
    u:
        A ``dolfinx.fem.Function`` on a scalar or blocked (vector, bs > 1) space: the initial
        guess, overwritten with the solution by :meth:`solve`.
    bcs:
        Dirichlet conditions (``dolfinx.fem.DirichletBC``) on u's space.
    J:
        The Jacobian, a UFL bilinear form; default ``ufl.derivative(F, u, du)``.
    preset:
        Linear-solver preset, a key of :data:`kinetics.solvers.linear.PRESETS`.
    options:
        PETSc options without prefix (``{"snes_rtol": 1e-12, "ksp_type": "gmres"}``) that
        override :data:`SNES_DEFAULTS` and the preset.
    jit_options:
        Passed to ``dolfinx.fem.form`` (e.g. :func:`kinetics.solvers.jit.jit_options`).

    Attributes
    ----------
    snes:
        The ``petsc4py.PETSc.SNES`` (options prefix :attr:`prefix`, unique per instance).
    iterations:
        Newton iterations of the last solve.
    residuals:
        Residual norms ||F(u_k)||₂ of the last solve, k = 0 … iterations (list of floats).
    reason:
        The converged-reason name of the last solve (e.g. ``"CONVERGED_FNORM_RELATIVE"``).
    final_residual:
        ‖F(u)‖₂ evaluated again at the solution of the last solve (same units as F).

    Raises
    ------
    ValueError
        For an unknown preset.
    """

    def __init__(self, F, u, bcs=(), J=None, *, preset: str = "direct",
                 options: dict | None = None, jit_options: dict | None = None):
        import ufl
        from dolfinx import fem
        from dolfinx.fem import petsc as fpetsc
        if preset not in PRESETS:
            raise ValueError(f"unknown solver preset '{preset}'; valid: {', '.join(PRESETS)}")
        self.u = u
        self.bcs = list(bcs)
        if J is None:
            J = ufl.derivative(F, u, ufl.TrialFunction(u.function_space))
        self.F_form = fem.form(F, jit_options=jit_options)
        self.J_form = fem.form(J, jit_options=jit_options)
        self._b = fpetsc.create_vector(self.F_form)
        self._A = fpetsc.create_matrix(self.J_form)
        self._x = u.x.petsc_vec.duplicate()
        self._setup(u.function_space.mesh.comm, preset, options)

    # -- SNES callbacks ----------------------------------------------------------------
    def _update(self, x) -> None:
        """Copy the iterate x (owned entries) into u and update u's ghosts."""
        from petsc4py import PETSc
        x.copy(self.u.x.petsc_vec)
        self.u.x.petsc_vec.ghostUpdate(addv=PETSc.InsertMode.INSERT,
                                       mode=PETSc.ScatterMode.FORWARD)

    def _load(self, x) -> None:
        self.u.x.petsc_vec.copy(x)

    def _local_values(self):
        return [self.u.x.petsc_vec.getArray(readonly=True)]

    def _result(self):
        return self.u

    def _residual(self, snes, x, b) -> None:
        """b ← F(x) with the Dirichlet rows x − g (lifted with J, see the module docstring)."""
        from dolfinx.fem import petsc as fpetsc
        self._update(x)
        ux = self.u.x.petsc_vec
        with b.localForm() as b_local:
            b_local.set(0.0)
        fpetsc.assemble_vector(b, self.F_form)
        lift(b, self.J_form, self.bcs, x0=ux, scale=-1.0)
        fpetsc.set_bc(b, self.bcs, ux, -1.0)

    def _jacobian(self, snes, x, A, P) -> None:
        """A ← J(x) with identity Dirichlet rows and columns (u is current: SNES evaluates
        the residual at x before the Jacobian)."""
        from dolfinx.fem import petsc as fpetsc
        self._update(x)
        A.zeroEntries()
        fpetsc.assemble_matrix(A, self.J_form, bcs=self.bcs)
        A.assemble()
