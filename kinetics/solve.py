"""PETSc solver presets and a linear solve that checks its converged reason.

Presets (overridable by any PETSc option, e.g. ``{"ksp_rtol": 1e-12}``):

``direct``
    LU factorization with MUMPS: robust for small and 2D problems and for sweeps (the
    factorization is reused while the operator is unchanged).
``iterative``
    GMRES preconditioned by a two-field block (PETSc fieldsplit) preconditioner: the charge
    field V (block 0) and the spin field μ_s (blocks 1-3 of the interleaved 4-vector),
    each with algebraic multigrid (hypre BoomerAMG).  The Robin (G_r, G_i) and gauge terms
    make the system non-symmetric, so GMRES, not CG.
``auto``
    ``direct`` below 200 000 unknowns or in 2D/1D, ``iterative`` above.

Every solve checks ``KSP.getConvergedReason()`` and raises :class:`SolverError` with the
reason name and the residual history when it is negative; a solution with NaN or Inf
raises too.  Nothing downstream writes a result from a failed solve.
"""

from __future__ import annotations

import itertools

import numpy as np

__all__ = ["PRESETS", "SolverError", "LinearSolver", "choose_preset"]

PRESETS: dict[str, dict] = {
    "direct": {
        "ksp_type": "preonly",
        "pc_type": "lu",
        "pc_factor_mat_solver_type": "mumps",
    },
    "iterative": {
        "ksp_type": "gmres",
        "ksp_gmres_restart": 300,
        "ksp_rtol": 1e-10,
        "ksp_atol": 1e-30,
        "ksp_max_it": 3000,
        "pc_type": "fieldsplit",
        "pc_fieldsplit_type": "multiplicative",
        "pc_fieldsplit_block_size": 4,
        "pc_fieldsplit_0_fields": "0",
        "pc_fieldsplit_1_fields": "1,2,3",
        "fieldsplit_0_ksp_type": "preonly",
        "fieldsplit_0_pc_type": "hypre",
        "fieldsplit_0_pc_hypre_type": "boomeramg",
        "fieldsplit_1_ksp_type": "preonly",
        "fieldsplit_1_pc_type": "hypre",
        "fieldsplit_1_pc_hypre_type": "boomeramg",
        "fieldsplit_1_pc_hypre_boomeramg_nodal_coarsen": 6,
        "fieldsplit_1_pc_hypre_boomeramg_vec_interp_variant": 3,
    },
}

_counter = itertools.count()


class SolverError(RuntimeError):
    """A PETSc solve failed.

    Attributes
    ----------
    reason:
        The KSP converged-reason name (e.g. ``"DIVERGED_ITS"``).
    residuals:
        The residual norm history (list of floats), possibly empty for direct solvers.
    """

    def __init__(self, message: str, reason: str = "", residuals=()):
        super().__init__(message)
        self.reason = reason
        self.residuals = list(residuals)


def choose_preset(name: str, num_dofs: int, tdim: int) -> str:
    """Resolve ``"auto"`` to a concrete preset name.

    Raises
    ------
    ValueError
        For an unknown preset name (the message lists the valid ones).
    """
    if name == "auto":
        return "direct" if (tdim < 3 or num_dofs < 200_000) else "iterative"
    if name not in PRESETS:
        raise ValueError(f"unknown solver preset '{name}'; valid: auto, {', '.join(PRESETS)}")
    return name


def _reason_name(value: int) -> str:
    from petsc4py import PETSc
    names = {getattr(PETSc.KSP.ConvergedReason, k): k
             for k in dir(PETSc.KSP.ConvergedReason) if not k.startswith("_")}
    return names.get(value, str(value))


class LinearSolver:
    """A PETSc KSP configured from a preset plus user options, with checked solves.

    Parameters
    ----------
    comm:
        MPI communicator.
    preset:
        ``"direct"`` or ``"iterative"`` (see module docstring).
    options:
        Extra PETSc options (without prefix) that override the preset.
    """

    def __init__(self, comm, preset: str = "direct", options: dict | None = None):
        from petsc4py import PETSc
        if preset not in PRESETS:
            raise ValueError(f"unknown solver preset '{preset}'; valid: {', '.join(PRESETS)}")
        self.preset = preset
        self.prefix = f"kinetics_{next(_counter)}_"
        self.options = {**PRESETS[preset], **(options or {})}
        opts = PETSc.Options()
        for k, v in self.options.items():
            opts[self.prefix + k] = v
        self.ksp = PETSc.KSP().create(comm)
        self.ksp.setOptionsPrefix(self.prefix)
        self._history = True
        self.iterations = 0

    def set_operator(self, A):
        """Set (or reset, after reassembly) the operator; the preconditioner is rebuilt."""
        self.ksp.setOperators(A)
        self.ksp.setFromOptions()
        self.ksp.setConvergenceHistory()

    def solve(self, b, x):
        """Solve A x = b in place.

        Raises
        ------
        SolverError
            When the KSP reports divergence (negative converged reason), when the
            factorization or preconditioner fails, or when x contains NaN/Inf.
        """
        from petsc4py import PETSc
        try:
            self.ksp.solve(b, x)
        except PETSc.Error as exc:  # e.g. MUMPS factorization error
            raise SolverError(f"PETSc solve failed ({self.preset} preset): {exc}",
                              reason="PETSC_ERROR") from exc
        reason = self.ksp.getConvergedReason()
        history = list(np.asarray(self.ksp.getConvergenceHistory()))
        self.iterations = self.ksp.getIterationNumber()
        if reason < 0:
            name = _reason_name(reason)
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
        x.ghostUpdate(addv=PETSc.InsertMode.INSERT, mode=PETSc.ScatterMode.FORWARD)
        local = x.getArray(readonly=True)
        bad = int(np.count_nonzero(~np.isfinite(local)))
        if x.getComm().tompi4py().allreduce(bad) > 0:
            raise SolverError("linear solve produced NaN/Inf values (singular operator? check "
                              "that a contact fixes the potential)", reason="NAN")
        return x

    def destroy(self):
        self.ksp.destroy()
