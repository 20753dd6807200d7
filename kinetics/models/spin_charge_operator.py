"""The operator of the spin–charge model: matrix formats, interface-only updates for sweeps,
solver presets and block-preconditioner hints, and the checked solve with its fallback.

:class:`SpinChargeOperator` is a mixin of :class:`kinetics.models.spin_charge.SpinChargeProblem`
(which provides ``W``, ``a_form``, ``a_ufl``, ``bcs``, ``materials``, ``device``, ``degree``,
the bulk models and the magnetic interfaces).  An angular (SMR) sweep changes only the HM|FI
term: A(m_new) = A(m_old) + B(m_new) − B(m_old) is updated over interface facets only, the
factorization or preconditioner of the earlier operator is kept, and earlier solutions give
the initial guess (:mod:`kinetics.solvers.assembly`, :mod:`kinetics.solvers.recycling`).
"""

from __future__ import annotations

import time

import numpy as np

from kinetics.solvers import assembly
from kinetics.solvers.linear import (AUTO_FALLBACK_LIMIT, LinearSolver, SolverError,
                                     amg_defaults, direct_fallback)

__all__ = ["SpinChargeOperator"]


class SpinChargeOperator:
    """Operator assembly, sweeps and solver configuration of the spin–charge model (mixin)."""

    #: ``reuse`` modes: "auto" (default) updates only the interface (Robin) part of the
    #: matrix when a magnetization changes, keeps the preconditioner or factorization and
    #: starts from the best combination of earlier solutions; "operator" updates the matrix
    #: the same way but rebuilds the preconditioner and starts from zero; "none" reassembles
    #: and rebuilds everything for every changed operator.
    REUSE_MODES = ("auto", "operator", "none")

    def _uniform_frame(self):
        """The magnetization m̃ = R m shared by all HM|FI interfaces, or None."""
        frames = []
        for entry in self._magnets.values():
            v = entry.uniform_m_tilde()
            if v is None:
                return None
            frames.append(v)
        if not frames or any(not np.allclose(f, frames[0], atol=1e-12) for f in frames[1:]):
            return None
        return frames[0]

    def _spin_isotropic(self) -> bool:
        """True when the bulk spin operator is the same for the three spin components."""
        from kinetics.materials import Material
        if getattr(self, "magnetic_field", None) is not None:   # Hanle precession
            return False
        for mat in self.materials.values():
            if not isinstance(mat, Material):     # a ferromagnet couples the spin components
                return False
            kappa = mat.kappa
            if callable(kappa) or float(kappa) != 0.0 or mat.gauge_field is not None:
                return False
        return True

    def _interface_form(self):
        """The m-dependent (exterior-facet, Robin) part of the operator (compiled once)."""
        if not hasattr(self, "_interface_form_cache"):
            self._interface_form_cache = assembly.interface_form(self.a_ufl)
        return self._interface_form_cache

    def _assemble_interface(self, B=None):
        return assembly.assemble_interface(self._interface_form(), self.bcs, B)

    def _sweepable(self) -> bool:
        """Whether solutions can be recycled across magnetization changes."""
        return (self.reuse == "auto" and bool(self._magnets)
                and all(e.uniform for e in self._magnets.values()))

    def _solver_options(self, preset) -> dict:
        cell = self.device.mesh.topology.cell_name()
        return {**amg_defaults(preset, cell, self.degree), **self.petsc_options}

    def make_solver(self, preset: str | None = None) -> LinearSolver:
        """A new :class:`~kinetics.solvers.linear.LinearSolver` configured as this problem's:
        the preset (default: :attr:`solver_preset`) with its AMG defaults, the user's PETSc
        options and the block-preconditioner hints of the operator."""
        preset = preset or self.solver_preset
        options = self._solver_options(preset)
        solver = LinearSolver(self.device.comm, preset, options)
        if self._interface is not None or preset != "direct":
            solver.set_block_hints(**self._block_hints())
        return solver

    def _block_hints(self) -> dict:
        """What the block preconditioner needs to know of the operator's structure."""
        return {"interface": self._interface, "frame": self._uniform_frame(),
                "isotropic": self._spin_isotropic(), "blocks": self._blocks}

    def _diagonal_blocks(self):
        """Charge and spin blocks assembled from scalar forms (:func:`assembly.diagonal_blocks`),
        or None (then an AIJ operator is assembled and the blocks are extracted from it)."""
        import ufl
        coefs, axes = self._coefs, self.device.axes

        def bulk(V, mu, v, w):
            terms = [self.bulk_models[name].form(V, mu, v, w, coefs[name], axes,
                               self.dx(self.device.region_tag(name))) for name in coefs]
            return sum(terms[1:], terms[0]) if terms else ufl.zero()
        comps = (0,) if self._spin_isotropic() else (0, 1, 2)
        return assembly.diagonal_blocks(self.W, bulk, self._dirichlet_facets,
                                        spin_components=comps)

    #: ``matrix_type``: "auto" (BAIJ with block size 4 for the direct and iterative
    #: presets, whose preconditioner then gets its blocks from scalar forms; compact AIJ
    #: for "fieldsplit", which extracts them), "baij", "aij" (compact when the bulk is
    #: spin-isotropic) or "aij-full" (dolfinx's pattern).
    MATRIX_TYPES = ("auto", "baij", "aij", "aij-full")

    def _first_assembly(self):
        """Create and assemble the operator in the format of :attr:`matrix_type`."""
        from dolfinx.fem import petsc as fpetsc
        kind = self.matrix_type
        if kind not in self.MATRIX_TYPES:
            raise ValueError(f"matrix_type must be one of {self.MATRIX_TYPES}, got {kind!r}")
        if kind == "auto":
            kind = "aij" if self.solver_preset == "fieldsplit" else "baij"
        if kind == "baij" and self.solver_preset == "fieldsplit":
            raise ValueError("the fieldsplit preset needs an AIJ operator (PCFIELDSPLIT takes "
                             "strided sub-matrices); use matrix_type 'auto' or 'aij'")
        if kind == "baij" and self.solver_preset != "direct":
            if assembly.scalar_node_space(self.W) is None:
                kind = "aij"
            else:       # assembled when the preconditioner is (re)built, then owned by it
                self._blocks = self._diagonal_blocks
        A = None
        if kind == "baij":
            A = fpetsc.create_matrix(self.a_form, mat_type="baij")
        elif kind == "aij" and self._spin_isotropic():
            A = assembly.compact_matrix(self.a_form, self.W, self.device, list(self._magnets))
        if A is None:
            A = fpetsc.assemble_matrix(self.a_form, bcs=self.bcs)
        else:
            fpetsc.assemble_matrix(A, self.a_form, bcs=self.bcs)
        A.assemble()
        return A

    def _assemble_operator(self) -> bool:
        """Assemble A and, when useful, its interface (Robin) part B: at once for the
        iterative preconditioner (it resolves the Robin term in the m frame), from the first
        change of m on for the direct solver (sweeps).

        Returns True when this is a re-assembly, i.e. only a magnetization changed since the
        preconditioner was built (the only operator change :meth:`set_magnetization` makes).
        A changed bulk coefficient (the magnetization of a ferromagnetic region) is a full
        re-assembly with a new preconditioner: False.
        """
        from dolfinx.fem import petsc as fpetsc
        from petsc4py import PETSc
        t0 = time.perf_counter()
        first = self._A is None
        bulk_changed, self._bulk_changed = getattr(self, "_bulk_changed", False), False
        if (not first and not bulk_changed and self._interface is not None
                and self.reuse != "none"):
            # A(m_new) = A(m_old) + B(m_new) − B(m_old): only interface facets are assembled
            D = self._assemble_interface(self._interface_scratch)
            D.axpy(-1.0, self._interface, PETSc.Mat.Structure.SAME_NONZERO_PATTERN)
            self._A.axpy(1.0, D, PETSc.Mat.Structure.SUBSET_NONZERO_PATTERN)
            self._interface.axpy(1.0, D, PETSc.Mat.Structure.SAME_NONZERO_PATTERN)
            if self._recycler is not None:
                self._recycler.operator_changed(D)
            self._interface_scratch = D
            self.timings["interface"] += time.perf_counter() - t0
            return True
        if first:
            self._A = self._first_assembly()
        else:
            self._A.zeroEntries()
            fpetsc.assemble_matrix(self._A, self.a_form, bcs=self.bcs)
            self._A.assemble()
        if self._recycler is not None:
            if self.reuse == "auto":
                self._recycler.refresh(self._A)
            else:
                self._recycler.clear()
        self.timings["assemble"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        if (self.solver_preset != "direct" or (self.reuse != "none" and not first)) and \
                self._interface_form() is not None:
            if self._interface is None:
                self._interface = self._assemble_interface()
                self._interface_scratch = self._assemble_interface()
                if self._solver is not None:
                    self._solver.set_block_hints(**self._block_hints())
            elif self.reuse == "none":
                self._assemble_interface(self._interface)
        self.timings["interface"] += time.perf_counter() - t0
        return not first and not bulk_changed

    def _prepare_operator(self) -> bool:
        """Assemble the operator and configure the solver when the operator changed; True
        when only a magnetization changed (see :meth:`_assemble_operator`)."""
        if self.reuse not in self.REUSE_MODES:
            raise ValueError(f"reuse must be one of {self.REUSE_MODES}, got {self.reuse!r}")
        changed = False
        if self._operator_dirty or self._A is None:
            changed = self._assemble_operator()
            if self._solver is None:
                self._solver = self.make_solver(self.solver_preset)
            elif changed:
                self._solver.update_frame(self._uniform_frame())
            self._solver.set_operator(self._A, keep_preconditioner=(
                changed and self.reuse == "auto"))
            self._operator_dirty = False
        return changed

    def _checked_solve(self, b, x, guess: bool) -> None:
        """Solve with the current solver; with ``solver="auto"`` a failed iterative solve is
        repeated with MUMPS (:attr:`AUTO_FALLBACK_LIMIT`)."""
        setup0, solve0, asm0 = (self._solver.timings[k] for k in ("setup", "solve", "assembly"))
        try:
            self._solver.solve(b, x, nonzero_guess=guess)
        except SolverError as exc:
            if not (self._auto_preset and self.solver_preset != "direct"
                    and self.num_dofs <= self.AUTO_FALLBACK_LIMIT):
                raise
            self._fallback_to_direct(exc.reason)
            setup0 = solve0 = asm0 = 0.0          # a new solver, with its own timings
            self._solver.solve(b, x)
        self.timings["setup"] += self._solver.timings["setup"] - setup0
        self.timings["assemble"] += self._solver.timings["assembly"] - asm0
        self.timings["solve"] += self._solver.timings["solve"] - solve0

    #: With ``solver="auto"``, a failed iterative solve is repeated with MUMPS up to this size.
    AUTO_FALLBACK_LIMIT = AUTO_FALLBACK_LIMIT

    def _fallback_to_direct(self, reason: str = ""):
        self._solver.destroy()
        self.solver_preset = "direct"
        self._solver = direct_fallback(self.device.comm, self.num_dofs, reason,
                                       self.petsc_options)
        self._solver.set_operator(self._A)

