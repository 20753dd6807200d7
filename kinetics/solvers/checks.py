"""Is the answer of a linear solve an answer?  The checks every solve of
:class:`kinetics.solvers.linear.LinearSolver` passes, and the error it raises otherwise.

PETSc's converged reason is not enough: ``ksp_type preonly`` reports success whatever the
preconditioner did (``pc_type none`` returns x = b), and a Krylov method tests the
*preconditioned* residual.  So after every solve :class:`TrueResidual` computes
r = b − Ax (one MatMult) and requires

- after ``preonly`` (a factorization): the normwise backward error
  η = ‖r‖∞ / (‖A‖∞‖x‖∞ + ‖b‖∞) <= :data:`DIRECT_RESIDUAL_BOUND` (Rigal–Gaches theorem,
  Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed. (2002), Thm. 7.1): a
  backward-stable factorization leaves η of a few machine epsilons however badly conditioned
  the operator (thin graded layers), where ρ = ‖r‖₂/‖b‖₂ itself may be large for an answer
  as good as floating point allows; measured: η ≤ 4.4e-16 with MUMPS on the tests and
  example cases, η ~ 1 for ``pc_type none``;
- after a Krylov method: ρ <= :data:`KRYLOV_RESIDUAL_FACTOR` · max(ksp_rtol, ksp_atol/‖b‖₂)
  (measured ρ/ksp_rtol up to 2.2e2 on the tests: block and fieldsplit AMG, LU of a nearby
  operator); for b = 0 the bound applies to ‖Ax‖₂.
"""

from __future__ import annotations

__all__ = ["SolverError", "TrueResidual", "residual_hint", "reason_name", "PETSC_ERRORS",
           "DIRECT_RESIDUAL_BOUND", "KRYLOV_RESIDUAL_FACTOR", "REBUILD_EXTRA_ITERATIONS",
           "REUSE_LU_REBUILD_ITERATIONS"]

#: Largest normwise backward error ‖b − Ax‖∞/(‖A‖∞‖x‖∞ + ‖b‖∞) accepted after ``ksp_type
#: preonly`` (MUMPS: ≤ 4.4e-16 on the tests and example cases; ``pc_type none``: ~1).
DIRECT_RESIDUAL_BOUND = 1e-10
#: Largest ratio of the relative true residual to ``ksp_rtol`` accepted after a Krylov solve.
KRYLOV_RESIDUAL_FACTOR = 1e4
#: A kept preconditioner (Krylov presets) is rebuilt after a solve that needed more than
#: this many iterations beyond those of the last fresh solve.
REBUILD_EXTRA_ITERATIONS = 4
#: A kept LU factorization is rebuilt after a solve that needed more GMRES iterations.
REUSE_LU_REBUILD_ITERATIONS = 10

#: Meanings of the PETSc error codes that options and factorizations typically raise.
PETSC_ERRORS = {55: "out of memory", 56: "operation not supported by this type",
                62: "wrong argument", 63: "argument out of range",
                71: "zero pivot in the LU factorization", 73: "object in the wrong state",
                75: "incompatible options", 76: "error in an external library (MUMPS, hypre)",
                81: "zero pivot in the Cholesky factorization",
                86: "unknown type: a misspelt ksp_type/pc_type or a package not installed",
                92: "no such factorization package for this matrix"}


class SolverError(RuntimeError):
    """A PETSc solve failed.

    Attributes
    ----------
    reason:
        The KSP converged-reason name (e.g. ``"DIVERGED_ITS"``), ``"TRUE_RESIDUAL"`` (the
        answer failed :class:`TrueResidual`), ``"NAN"`` or ``"PETSC_ERROR"``.
    residuals:
        The residual norm history (list of floats), possibly empty for direct solvers.
    true_residual, bound:
        For reason ``"TRUE_RESIDUAL"``: the relative true residual ‖b − A x‖/‖b‖ and the
        bound that was exceeded (of the backward error after ``preonly``; None otherwise).
    """

    def __init__(self, message: str, reason: str = "", residuals=(), *,
                 true_residual: float | None = None, bound: float | None = None):
        super().__init__(message)
        self.reason = reason
        self.residuals = list(residuals)
        self.true_residual = true_residual
        self.bound = bound


def reason_name(value: int) -> str:
    """The name of a KSP converged reason (``-3`` -> ``"DIVERGED_ITS"``)."""
    from petsc4py import PETSc
    names = {getattr(PETSc.KSP.ConvergedReason, k): k
             for k in dir(PETSc.KSP.ConvergedReason) if not k.startswith("_")}
    return names.get(value, str(value))


class TrueResidual:
    """The answer check of one operator A (module docstring).

    Call ``check(b, x, ksp_type, rtol, atol) -> bool``; afterwards ``rho`` (‖b − Ax‖₂/‖b‖₂,
    or ‖Ax‖₂ when b = 0), ``eta`` (the backward error, after ``preonly``; else None) and
    ``bound`` (of η after ``preonly``, of ρ otherwise) describe the last call.  ‖A‖∞ is
    computed once per instance: make a new one when the operator's values change.
    """

    def __init__(self, A):
        self.A = A
        self._r = A.createVecLeft()
        self._A_norm: float | None = None
        self.rho: float | None = None
        self.eta: float | None = None
        self.bound: float | None = None

    def __call__(self, b, x, ksp_type: str, rtol: float, atol: float) -> bool:
        from petsc4py import PETSc
        r = self._r
        self.A.mult(x, r)
        r.aypx(-1.0, b)                   # r = b − A x
        rnorm, bnorm = r.norm(), b.norm()
        self.rho = rnorm / bnorm if bnorm > 0 else rnorm
        if ksp_type == "preonly":
            inf = PETSc.NormType.INFINITY
            if self._A_norm is None:
                self._A_norm = self.A.norm(inf)
            scale = self._A_norm * x.norm(inf) + b.norm(inf)
            self.eta = r.norm(inf) / scale if scale > 0 else 0.0
            self.bound = DIRECT_RESIDUAL_BOUND
            return bool(self.eta <= self.bound)
        self.eta = None
        bound = KRYLOV_RESIDUAL_FACTOR * max(rtol * bnorm, atol)
        self.bound = bound / bnorm if bnorm > 0 else bound
        return bool(rnorm <= bound)

    def describe(self) -> str:
        """``"the backward error ... = η (...) exceeds the bound ..."`` of the last call."""
        if self.eta is not None:
            what = (f"the backward error ||b - Ax||/(||A|| ||x|| + ||b||) = {self.eta:.3e} "
                    f"(||b - Ax||/||b|| = {self.rho:.3e})")
        else:
            what = f"the true residual ||b - Ax||/||b|| = {self.rho:.3e}"
        return f"{what} exceeds the bound {self.bound:.1e}"

    def destroy(self) -> None:
        """Free the work vector."""
        self._r.destroy()


def residual_hint(ksp_type: str, pc_type: str, rtol: float) -> str:
    """The likely cause of a failed :class:`TrueResidual` check, for the message."""
    if ksp_type == "preonly" and pc_type not in ("lu", "cholesky", "redundant"):
        return (f"ksp_type preonly applies the preconditioner once, and pc_type {pc_type} "
                f"does not solve the system: use pc_type lu (the 'direct' preset) or a "
                f"Krylov ksp_type such as gmres")
    if ksp_type == "preonly":
        return ("the factorization is inaccurate: a singular or badly scaled operator (does "
                "a contact fix the potential?); try pc_factor_mat_solver_type mumps")
    return (f"the preconditioned residual met ksp_rtol = {rtol:.1e} but the true residual "
            f"did not (pc_type {pc_type} is far from the operator): tighten ksp_rtol, use "
            f"ksp_pc_side right, or the 'direct' preset")
