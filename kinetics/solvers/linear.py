"""PETSc solver presets and checked solves (the block preconditioner is in :mod:`kinetics.solvers.block_pc`).

Presets (each overridable by any PETSc option, e.g. ``{"ksp_rtol": 1e-12}``):

``direct``
    LU factorization with MUMPS.  Robust; fast for 1D/2D and small 3D problems.  In sweeps
    (:meth:`LinearSolver.set_operator` with ``keep_preconditioner=True``) the factorization of
    an earlier operator is kept and used as the preconditioner of GMRES for the new one, so a
    36-direction SMR scan costs one factorization plus cheap triangular solves.
``iterative``
    GMRES preconditioned by :class:`kinetics.solvers.block_pc.SpinChargePC`, a block
    preconditioner for the interleaved 4-vector u = (V, μx, μy, μz): one algebraic
    multigrid (hypre BoomerAMG) for the charge block and scalar AMGs for the spin block, composed multiplicatively (charge first, then
    spin with the charge-to-spin coupling of the residual).  The spin AMGs act on the spin
    components in the frame of the interface magnetization m (along m and transverse to
    it), where the Robin mixing term G_r(μ − (m·μ)m) is diagonal, so its coupling costs no
    iterations; their hierarchies do not depend on the direction of m, so a preconditioner
    built once serves a whole angular sweep.  Iteration counts are independent of the mesh
    size (≈ 6-8 to rtol 1e-10, see benchmarks/RESULTS.md).
``fieldsplit``
    The same idea expressed with PETSc options only (PCFIELDSPLIT, multiplicative over the
    four scalar fields, BoomerAMG on each): no Python preconditioner; needs an AIJ operator.
    At 4.8·10⁵ unknowns 1.2x slower in set-up + solve, 1.4x in a first solve.
``auto``
    ``direct`` for 1D problems, 2D problems below 100 000 unknowns and 3D problems below
    8 000 unknowns, ``iterative`` otherwise (:data:`AUTO_DIRECT_LIMITS`).  MUMPS fills in
    badly in 3D (this build orders with PORD): 0.4 s at 9·10³ unknowns and 1.9 s at 2·10⁴
    on the benchmark film, against 0.12 s for ``iterative`` (docs/performance.md).  When an ``auto``
    iterative solve fails, :class:`~kinetics.models.spin_charge.SpinChargeProblem` repeats it with
    MUMPS (up to 400 000 unknowns) after a warning.

Options of the block preconditioner (with the solver's options prefix): ``charge_*`` and
``spin_*`` configure the sub-preconditioners (default ``pc_type hypre``, ``pc_hypre_type
boomeramg``; e.g. ``{"spin_pc_type": "gamg"}``), ``block_composition`` is ``multiplicative``
(default) or ``additive``, ``block_spin`` is ``auto`` (frame when a uniform m is known,
else one AMG for the average of the three spin blocks), ``frame`` or ``average``.

Every solve is checked, whatever the preset or the user's options: a negative
``KSP.getConvergedReason()`` raises :class:`SolverError` with the reason name and residual
history; so does NaN/Inf in x; and so does an answer that fails the true-residual check of
:mod:`kinetics.solvers.checks` (after ``preonly``, which reports success whatever the
preconditioner did, the normwise backward error must be at most 1e-10; after a Krylov
method ‖b − Ax‖/‖b‖ at most 1e4·ksp_rtol), reason ``"TRUE_RESIDUAL"``, naming the numbers,
the KSP and PC types and the likely cause.  A solve with a kept (reused) preconditioner that
fails any check is repeated with a fresh one before anything is raised.
A ``PETSc.Error`` while configuring or solving (an unknown ``ksp_type``, a failed
factorization) becomes a :class:`SolverError` (reason ``"PETSC_ERROR"``) naming the options.

In sweeps a kept preconditioner is rebuilt after a solve that needed more than
:data:`REBUILD_EXTRA_ITERATIONS` iterations beyond the last fresh solve (Krylov presets: an
AMG set-up costs about 3 iterations, benchmarks/RESULTS.md (c)) or more than
:data:`REUSE_LU_REBUILD_ITERATIONS` (a kept LU factorization) -- iteration counts, not
timings, so that the sequence of solves does not depend on the machine's load.
"""

from __future__ import annotations

import itertools
import time

import numpy as np

from kinetics.solvers.block_pc import SpinChargePC
from kinetics.solvers.checks import (DIRECT_RESIDUAL_BOUND, KRYLOV_RESIDUAL_FACTOR,  # noqa: F401
                                     PETSC_ERRORS, REBUILD_EXTRA_ITERATIONS,
                                     REUSE_LU_REBUILD_ITERATIONS, SolverError, TrueResidual,
                                     reason_name, residual_hint)
from kinetics.solvers.options import (  # noqa: F401  (re-exported)
    AUTO_DIRECT_LIMITS, PRESETS, STRONG_THRESHOLD,
    amg_defaults, choose_preset)

__all__ = ["PRESETS", "SolverError", "LinearSolver", "choose_preset", "amg_defaults",
           "AUTO_DIRECT_LIMITS", "STRONG_THRESHOLD", "DIRECT_RESIDUAL_BOUND",
           "KRYLOV_RESIDUAL_FACTOR", "REBUILD_EXTRA_ITERATIONS", "REUSE_LU_REBUILD_ITERATIONS",
           "AUTO_FALLBACK_LIMIT", "direct_fallback"]

#: With a model's ``solver="auto"``, a failed iterative solve is repeated with MUMPS up to
#: this many unknowns (:func:`direct_fallback`).
AUTO_FALLBACK_LIMIT = 400_000

#: Option prefixes of the user's PETSc options that a direct fallback solver keeps.
DIRECT_FALLBACK_OPTIONS = ("mat_mumps", "pc_factor", "ksp_view", "ksp_monitor")

#: Krylov settings of a solve that reuses an LU factorization of an earlier operator.
_REUSE_LU = {"type": "gmres", "restart": 30, "rtol": 1e-12, "max_it": 60}

_counter = itertools.count()

# ---------------------------------------------------------------------------- convergence
class _RhsRelativeTest:
    """PETSc's default convergence test (||r|| ≤ max(rtol ||B b||, atol), divergence when
    ||r|| > dtol ||B b|| or NaN), with the reference ||B b|| remembered: a solve with a
    kept preconditioner and a nonzero initial guess then needs no extra preconditioner
    application to compute it (PETSc's default does one).  The reference is taken from the
    zero-guess initial residual of a fresh solve, or computed once when there is none."""

    def __init__(self):
        self.reference = None
        self.bnorm = None
        self.cached = False        # set by LinearSolver: the stored reference may be used

    def __call__(self, ksp, its, rnorm):
        from petsc4py import PETSc
        R = PETSc.KSP.ConvergedReason
        if its == 0:
            bnorm = ksp.getRhs().norm()
            same_rhs = self.bnorm is not None and abs(bnorm - self.bnorm) <= 1e-6 * self.bnorm
            if not (self.cached and self.reference is not None and same_rhs):
                self._reference(ksp, rnorm)
                self.bnorm = bnorm
        rtol, atol, dtol, _ = ksp.getTolerances()
        ref = self.reference
        if not np.isfinite(rnorm):
            return R.DIVERGED_NANORINF
        if rnorm <= atol:
            return R.CONVERGED_ATOL
        if rnorm <= rtol * ref:
            return R.CONVERGED_RTOL
        if its > 0 and rnorm > dtol * ref:
            return R.DIVERGED_DTOL
        return R.ITERATING

    def _reference(self, ksp, rnorm):
        from petsc4py import PETSc
        if not ksp.getInitialGuessNonzero():
            self.reference = rnorm            # r0 = B b (or b): no extra work
            return
        b = ksp.getRhs()
        if ksp.getPCSide() == PETSc.PC.Side.LEFT and \
                ksp.getNormType() == PETSc.KSP.NormType.PRECONDITIONED:
            w = b.duplicate()
            ksp.getPC().apply(b, w)
            self.reference = w.norm()
            w.destroy()
        else:
            self.reference = b.norm()


# ---------------------------------------------------------------------------- solver
class LinearSolver:
    """A PETSc KSP configured from a preset plus user options, with checked solves.

    Parameters
    ----------
    comm:
        MPI communicator.
    preset:
        ``"direct"``, ``"iterative"`` or ``"fieldsplit"`` (see the module docstring).
    options:
        Extra PETSc options (without prefix) that override the preset.  Not filtered: the
        Python API keeps full control (case files go through
        :func:`kinetics.solvers.options.validate_case_options` first).

    Attributes
    ----------
    iterations:
        Iterations of the last solve (1 for a fresh direct solve).
    reused:
        Whether the last solve kept the preconditioner (factorization) of an earlier operator.
    setups:
        Number of preconditioner (factorization) set-ups so far.
    true_residual:
        ‖b − A x‖₂/‖b‖₂ of the last solve (dimensionless; ‖A x‖₂ when b = 0).
    adaptive:
        Rebuild a kept preconditioner after a reuse solve that needed many iterations
        (module docstring; deterministic); False keeps it until a solve with it fails.
    timings:
        Seconds spent in preconditioner set-up (``"setup"``), in Krylov iterations
        (``"solve"``) and in assembling the preconditioner's blocks from forms
        (``"assembly"``, not part of ``"setup"``), accumulated over all solves.

    Raises
    ------
    ValueError
        For an unknown preset.
    """

    def __init__(self, comm, preset: str = "direct", options: dict | None = None):
        from petsc4py import PETSc
        if preset not in PRESETS:
            raise ValueError(f"unknown solver preset '{preset}'; valid: {', '.join(PRESETS)}")
        self.preset = preset
        self.prefix = f"kinetics_{next(_counter)}_"
        self.user_options = dict(options or {})
        self.options = {**PRESETS[preset], **self.user_options}
        opts = PETSc.Options()
        for k, v in self.options.items():
            opts[self.prefix + k] = v
        self.ksp = PETSc.KSP().create(comm)
        self.ksp.setOptionsPrefix(self.prefix)
        self.iterations = 0
        self.reused = False
        self.setups = 0
        self.true_residual = None
        self.timings = {"setup": 0.0, "solve": 0.0, "assembly": 0.0}
        self._A = None
        self._check = None             # the answer check of the current operator
        self._hints = None
        self._configured = False
        self._pc_valid = False         # a PC exists for some earlier operator
        self._keep = False             # keep it for the next solve
        self._fresh_iterations = 0     # iterations of the last fresh solve
        self._test = None              # convergence test (see _RhsRelativeTest)
        self._test_valid = False
        self._custom_test = any(k.startswith("ksp_converge") or k == "ksp_norm_type"
                                for k in self.options)
        self._stale = False
        self.adaptive = True

    # -- configuration ------------------------------------------------------------------
    def set_block_hints(self, *, interface=None, frame=None, isotropic: bool = False,
                        blocks=None, rotated: bool = False):
        """Structure of the spin-charge operator for the ``iterative`` preconditioner.

        Parameters
        ----------
        interface:
            The assembled Robin (HM|FI) part of the operator, or None.
        frame:
            The uniform interface magnetization m (3-vector), or None.
        isotropic:
            True when the bulk spin operator is the same for the three spin components
            (no spin swapping, no gauge field): one diagonal block is extracted, not three.
        blocks:
            ``{"charge": Mat, "spin": Mat}``: the bulk charge block and the (averaged) bulk
            spin block as scalar matrices (:func:`kinetics.solvers.assembly.diagonal_blocks`), or a
            callable returning them at each preconditioner set-up; then nothing is
            extracted from the operator, which may be BAIJ.  None: extract.
        rotated:
            Take every spin block from the (AIJ) operator in the frame of ``frame`` (z when
            None), with the cross couplings as shifts
            (:func:`kinetics.solvers.block_pc.rotated_spin_blocks`): for operators with
            magnets and junctions inside (:class:`kinetics.models.circuit.CircuitProblem`).
        """
        self._hints = {"interface": interface, "frame": frame, "isotropic": bool(isotropic),
                       "blocks": blocks, "rotated": bool(rotated)}
        ctx = self._pc_context()
        if ctx is not None:
            self._apply_hints(ctx)

    def _pc_context(self):
        pc = self.ksp.getPC()
        if pc.getType() != "python":
            return None
        try:
            ctx = pc.getPythonContext()
        except Exception:  # noqa: BLE001 - no context yet
            return None
        return ctx if isinstance(ctx, SpinChargePC) else None

    def _apply_hints(self, ctx):
        if self._hints is None:
            return
        ctx.spin_charge = True
        ctx.interface = self._hints["interface"]
        ctx.isotropic = self._hints["isotropic"]
        ctx.blocks = self._hints["blocks"]
        ctx.rotated = self._hints["rotated"]
        ctx.update_frame(self._hints["frame"])

    @property
    def base_ksp_type(self) -> str:
        return str(self.options.get("ksp_type", "gmres"))

    def set_operator(self, A, *, keep_preconditioner: bool = False):
        """Set (or reset, after reassembly or an in-place update) the operator.

        With ``keep_preconditioner`` the preconditioner (or LU factorization) built for an
        earlier operator is kept for the next solve, which then iterates (GMRES) to the
        preset's tolerance on the new operator; it is rebuilt automatically when such a
        solve fails or needs many more iterations than a fresh one.  Otherwise it is
        rebuilt on the next solve.

        Raises
        ------
        SolverError
            When PETSc refuses the options (e.g. an unknown ``ksp_type``), reason
            ``"PETSC_ERROR"``.
        """
        from petsc4py import PETSc
        self._A = A
        if self._check is not None:        # the operator's values may have changed
            self._check.destroy()
            self._check = None
        self.ksp.setOperators(A)
        if not self._configured:
            try:
                self.ksp.setFromOptions()
            except PETSc.Error as exc:
                raise self._petsc_error("setting the options", exc) from None
            self.ksp.setConvergenceHistory(reset=True)
            ctx = self._pc_context()
            if ctx is not None:
                self._apply_hints(ctx)
            self._configured = True
        self._keep = bool(keep_preconditioner) and self._pc_valid and not self._stale

    def _petsc_error(self, stage: str, exc) -> SolverError:
        """A SolverError for a PETSc.Error raised while ``stage``, naming the options."""
        user = ", ".join(f"{k}={v}" for k, v in self.user_options.items()) or "none"
        code = getattr(exc, "ierr", None)
        what = PETSC_ERRORS.get(code, str(exc).strip() or type(exc).__name__)
        return SolverError(
            f"PETSc failed while {stage} ({self.preset} preset; ksp_type "
            f"{self.options.get('ksp_type', 'gmres')}, pc_type "
            f"{self.options.get('pc_type', 'default')}; user options: {user}): PETSc error "
            f"{code} ({what}). Check the options or try the 'direct' preset.",
            reason="PETSC_ERROR")

    def _configure_ksp(self, reuse: bool, nonzero_guess: bool):
        """Fresh solves use the preset as configured; a kept LU factorization becomes the
        preconditioner of GMRES (same convergence test as the iterative preset: the
        preconditioned residual, here ≈ the error, below ``_REUSE_LU["rtol"]``)."""
        from petsc4py import PETSc
        ksp = self.ksp
        ksp.getPC().setReusePreconditioner(reuse)
        if self.base_ksp_type == "preonly":
            if reuse:
                ksp.setType(_REUSE_LU["type"])
                ksp.setGMRESRestart(_REUSE_LU["restart"])
                ksp.setTolerances(rtol=_REUSE_LU["rtol"], atol=1e-50, max_it=_REUSE_LU["max_it"])
            else:
                ksp.setType(PETSc.KSP.Type.PREONLY)
                nonzero_guess = False
        ksp.setInitialGuessNonzero(nonzero_guess)
        if ksp.getType() in ("gmres", "fgmres") and not self._custom_test:
            if self._test is None:
                self._test = _RhsRelativeTest()
                ksp.setConvergenceTest(self._test)
            # the reference ||B b|| of the last solve holds while the preconditioner is kept
            self._test.cached = reuse and self._test_valid
            self._test_valid = True
        else:       # a direct solve: a new factorization, the reference is stale
            self._test_valid = False

    def solve(self, b, x, *, nonzero_guess: bool = False):
        """Solve A x = b in place (x holds the initial guess when ``nonzero_guess``).

        Raises
        ------
        SolverError
            When the KSP reports divergence (negative converged reason), when the
            factorization or preconditioner fails (a PETSc error), when x contains
            NaN/Inf, or when the true residual exceeds its bound (module docstring).
        RuntimeError
            When called before :meth:`set_operator`.
        """
        if self._A is None:
            raise RuntimeError("LinearSolver.solve called before set_operator")
        keep, self._keep = self._keep, False
        if keep:
            x0 = x.copy() if nonzero_guess else None
            reason = self._run(b, x, reuse=True, nonzero_guess=nonzero_guess)
            if reason > 0 and self._finite(x) and self._residual_ok(b, x):
                self.reused = True
                # rebuild before the next solve when a fresh set-up would have been cheaper
                limit = (REUSE_LU_REBUILD_ITERATIONS if self.base_ksp_type == "preonly"
                         else self._fresh_iterations + REBUILD_EXTRA_ITERATIONS)
                if self.adaptive and self.iterations > limit:
                    self._stale = True
                if x0 is not None:
                    x0.destroy()
                return x
            # the kept preconditioner failed: rebuild and start again
            if x0 is not None:
                x0.copy(x)
                x0.destroy()
        self.reused = False
        reason = self._run(b, x, reuse=False, nonzero_guess=nonzero_guess)
        self._fresh_iterations = self.iterations
        self._stale = False
        if reason < 0:
            self._raise(reason)
        if not self._finite(x):
            raise SolverError("linear solve produced NaN/Inf values (singular operator? check "
                              "that a contact fixes the potential)", reason="NAN")
        if not self._residual_ok(b, x):
            self._raise_residual()
        return x

    def _run(self, b, x, *, reuse: bool, nonzero_guess: bool) -> int:
        from petsc4py import PETSc
        self._configure_ksp(reuse, nonzero_guess)
        pc = self.ksp.getPC()
        stage = "setting up the preconditioner"
        try:
            if not reuse:
                t0 = time.perf_counter()
                ctx = self._pc_context()
                a0 = ctx.assembly_time if ctx is not None else 0.0
                self.ksp.setUp()
                pc.setUp()
                self.ksp.setUpOnBlocks()
                assembly = (ctx.assembly_time if ctx is not None else 0.0) - a0
                self.timings["assembly"] += assembly
                self.timings["setup"] += time.perf_counter() - t0 - assembly
                self.setups += 1
                self._pc_valid = True
            stage = "solving"
            t0 = time.perf_counter()
            self.ksp.solve(b, x)
            self.timings["solve"] += time.perf_counter() - t0
        except PETSc.Error as exc:  # e.g. MUMPS factorization error
            self._pc_valid = False
            if reuse:
                return -1
            raise self._petsc_error(stage, exc) from None
        self.iterations = self.ksp.getIterationNumber()
        if self.base_ksp_type == "preonly" and not reuse:
            self.iterations = max(self.iterations, 1)
        return self.ksp.getConvergedReason()

    def _raise(self, reason):
        history = list(np.asarray(self.ksp.getConvergenceHistory()))
        name = reason_name(reason)
        pc_reason = ""
        try:
            failed = self.ksp.getPC().getFailedReason()
            pc_reason = f", PC failure reason {failed}" if failed else ""
        except AttributeError:  # older petsc4py
            pass
        tail = ", ".join(f"{r:.3e}" for r in history[-5:])
        raise SolverError(
            f"linear solve did not converge: KSP reason {name} ({reason}){pc_reason} after "
            f"{self.iterations} iterations with the '{self.preset}' preset; last residuals: "
            f"[{tail}]. Try the 'direct' preset or adjust PETSc options.",
            reason=name, residuals=history)

    def _finite(self, x) -> bool:
        """Whether x holds no NaN/Inf on any rank (ghosts updated first)."""
        from petsc4py import PETSc
        x.ghostUpdate(addv=PETSc.InsertMode.INSERT, mode=PETSc.ScatterMode.FORWARD)
        local = x.getArray(readonly=True)
        bad = int(np.count_nonzero(~np.isfinite(local)))
        return x.getComm().tompi4py().allreduce(bad) == 0

    # -- true residual ------------------------------------------------------------------
    def _residual_ok(self, b, x) -> bool:
        """Check the answer (:class:`kinetics.solvers.checks.TrueResidual`); store
        :attr:`true_residual`."""
        if self._check is None or self._check.A is not self._A:
            if self._check is not None:
                self._check.destroy()
            self._check = TrueResidual(self._A)
        rtol, atol, _, _ = self.ksp.getTolerances()
        ok = self._check(b, x, self.ksp.getType(), rtol, atol)
        self.true_residual = self._check.rho
        return ok

    def _raise_residual(self):
        ksp_type, pc_type = self.ksp.getType(), self.ksp.getPC().getType()
        hint = residual_hint(ksp_type, pc_type, self.ksp.getTolerances()[0])
        history = list(np.asarray(self.ksp.getConvergenceHistory()))
        check = self._check
        raise SolverError(
            f"linear solve gave a wrong answer: {check.describe()} (ksp_type {ksp_type}, "
            f"pc_type {pc_type}, '{self.preset}' preset, {self.iterations} iterations). "
            f"Likely cause: {hint}.", reason="TRUE_RESIDUAL", residuals=history,
            true_residual=check.rho, bound=check.bound)

    def update_frame(self, m):
        """Tell the block preconditioner the new magnetization direction (sweeps)."""
        if self._hints is not None:
            self._hints["frame"] = None if m is None else np.asarray(m, dtype=float)
        ctx = self._pc_context()
        if ctx is not None:
            ctx.update_frame(m)

    def destroy(self):
        """Free the KSP and remove this solver's options from the PETSc database."""
        from petsc4py import PETSc
        self.ksp.destroy()
        if self._check is not None:
            self._check.destroy()
        opts = PETSc.Options()
        for name in list(opts.getAll()):
            if name.startswith(self.prefix):
                opts.delValue(name)


def direct_fallback(comm, num_dofs: int, reason: str, options: dict) -> "LinearSolver":
    """The MUMPS solver that replaces a failed ``auto`` iterative one, after a RuntimeWarning
    naming the problem size and the failure ``reason``; of the user's PETSc ``options`` it
    keeps those starting with :data:`DIRECT_FALLBACK_OPTIONS`.  The caller sets its
    operator."""
    import warnings
    warnings.warn(f"the iterative solver did not converge on this problem "
                  f"({num_dofs} unknowns{', ' + reason if reason else ''}); "
                  f"falling back to the direct solver (MUMPS)", RuntimeWarning, stacklevel=3)
    return LinearSolver(comm, "direct", {k: v for k, v in options.items()
                                         if k.startswith(DIRECT_FALLBACK_OPTIONS)})
