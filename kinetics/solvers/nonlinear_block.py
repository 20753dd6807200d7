"""Newton on PETSc SNES for K coupled residuals in K Functions on different (sub)mesh spaces.

The problem: find u_0 … u_{K−1} (``dolfinx.fem.Function`` s, e.g. the per-domain submesh
spaces of :class:`kinetics.models.regions.RegionFields`) with F_i(u_0, …, u_{K−1}; v_i) = 0
for every test function v_i of space i, and Dirichlet conditions per block.  The Jacobian
blocks are J_ij = ``ufl.derivative(F_i, u_j, du_j)`` (derivatives expanded; blocks that
vanish, e.g. between two domains that share no interface, are None and not allocated).
Forms are compiled with ``entity_maps`` (dolfinx 0.9: ``{submesh: parent cell → submesh
cell}``, see shared/notes/dolfinx-0.9-interfaces.md; interface forms need the *padded* maps,
:attr:`RegionFields.interface_entity_maps`).

One monolithic ("block") PETSc vector holds the owned entries of u_0, then of u_1, … on each
rank (``dolfinx.fem.petsc.create_vector_block``), the Jacobian is one AIJ matrix
(``create_matrix_block``), so every linear-solver preset of
:data:`kinetics.solvers.linear.PRESETS` applies.  The callbacks follow the block variant of
``NonlinearPDE_SNESProblem`` in dolfinx's ``python/test/unit/nls``:

    x (ghosts updated) → u_0 … u_{K−1} (each ghost-updated);
    F ← assemble_vector_block(F, J, bcs, x0 = x, α = −1)   (lifting, F[bc] = x − g);
    J ← assemble_matrix_block(J, bcs) with identity Dirichlet rows and columns.

Everything else — options (SNES defaults, presets, line search through the options
database), convergence checks, the residual re-check after convergence, SolverError with
reason and residual history — is :class:`kinetics.solvers.nonlinear.SNESDriver`, shared with
:class:`~kinetics.solvers.nonlinear.NonlinearSolver`.
"""

from __future__ import annotations

from collections.abc import Sequence

from kinetics.solvers.nonlinear import SNESDriver

__all__ = ["BlockNonlinearSolver", "jacobian_blocks"]


def jacobian_blocks(F: Sequence, u: Sequence):
    """[[J_ij]]: the Gâteaux derivatives ``ufl.derivative(F_i, u_j, du_j)`` (du_j a
    TrialFunction of u_j's space), expanded; a block that vanishes identically is None.

    Raises
    ------
    ValueError
        If a row has no non-zero block (F_i depends on none of the u_j).
    """
    import ufl
    from ufl.algorithms import expand_derivatives
    out = []
    for i, Fi in enumerate(F):
        row = []
        for uj in u:
            Jij = expand_derivatives(ufl.derivative(Fi, uj, ufl.TrialFunction(uj.function_space)))
            row.append(None if Jij.empty() else Jij)
        if all(b is None for b in row):
            raise ValueError(f"residual {i} depends on none of the unknowns")
        out.append(row)
    return out


class BlockNonlinearSolver(SNESDriver):
    """Solve F_i(u_0, …, u_{K−1}; v_i) = 0, i = 0 … K−1, by Newton's method on PETSc SNES.

    Parameters
    ----------
    F:
        List of K residual forms (rank 1, the test function of F_i on u_i's space); any
        units, as :class:`~kinetics.solvers.nonlinear.NonlinearSolver`.
    u:
        List of K ``dolfinx.fem.Function`` s (scalar or blocked spaces, possibly on
        different submeshes of one parent mesh): the initial guess, overwritten with the
        solution by :meth:`solve`.
    bcs:
        Dirichlet conditions on any of the K spaces (each is applied to its own block).
    J:
        K × K nested list of bilinear forms (None for empty blocks); default
        :func:`jacobian_blocks`.
    entity_maps:
        Passed to ``dolfinx.fem.form`` for every form (``{submesh: int32 array over the
        parent's cells}``); None when all spaces live on the integration mesh.
    preset, options, jit_options:
        As :class:`~kinetics.solvers.nonlinear.NonlinearSolver`.

    Attributes
    ----------
    snes, iterations, residuals, reason, final_residual:
        As :class:`~kinetics.solvers.nonlinear.NonlinearSolver` (residual norms of the
        whole block vector).
    F_forms, J_forms:
        The compiled residual list and Jacobian block list.

    Raises
    ------
    ValueError
        For an unknown preset, K = 0, lists of different lengths, a J of the wrong shape, a
        residual independent of every unknown.
    """

    def __init__(self, F: Sequence, u: Sequence, bcs=(), J=None, *, entity_maps=None,
                 preset: str = "direct", options: dict | None = None,
                 jit_options: dict | None = None):
        from dolfinx import fem
        from dolfinx.fem import petsc as fpetsc
        from kinetics.solvers.linear import PRESETS
        if preset not in PRESETS:
            raise ValueError(f"unknown solver preset '{preset}'; valid: {', '.join(PRESETS)}")
        F, u = list(F), list(u)
        if len(F) == 0 or len(F) != len(u):
            raise ValueError(f"need K >= 1 residuals and as many unknowns, got {len(F)} "
                             f"residuals and {len(u)} unknowns")
        self.u = u
        self.bcs = list(bcs)
        J = jacobian_blocks(F, u) if J is None else [list(row) for row in J]
        if len(J) != len(u) or any(len(row) != len(u) for row in J):
            raise ValueError(f"J must be a {len(u)} x {len(u)} nested list")
        kw = {"jit_options": jit_options}
        if entity_maps is not None:
            kw["entity_maps"] = entity_maps
        self.F_forms = fem.form(F, **kw)
        self.J_forms = fem.form(J, **kw)
        self._b = fpetsc.create_vector_block(self.F_forms)
        self._A = fpetsc.create_matrix_block(self.J_forms)
        self._x = self._b.duplicate()
        self._sizes = [w.x.petsc_vec.getLocalSize() for w in u]
        self._setup(u[0].function_space.mesh.comm, preset, options)

    # -- between the block vector and the Functions ----------------------------------
    def _update(self, x) -> None:
        """Owned entries of x → u_0 … u_{K−1}, ghosts of x and of each u_i updated."""
        from petsc4py import PETSc
        x.ghostUpdate(addv=PETSc.InsertMode.INSERT, mode=PETSc.ScatterMode.FORWARD)
        arr = x.getArray(readonly=True)
        offset = 0
        for w, n in zip(self.u, self._sizes):
            w.x.petsc_vec.getArray()[:] = arr[offset:offset + n]
            w.x.petsc_vec.ghostUpdate(addv=PETSc.InsertMode.INSERT,
                                      mode=PETSc.ScatterMode.FORWARD)
            offset += n

    def _load(self, x) -> None:
        """u_0 … u_{K−1} (owned entries) → x."""
        from petsc4py import PETSc
        arr = x.getArray()
        offset = 0
        for w, n in zip(self.u, self._sizes):
            arr[offset:offset + n] = w.x.petsc_vec.getArray(readonly=True)
            offset += n
        x.ghostUpdate(addv=PETSc.InsertMode.INSERT, mode=PETSc.ScatterMode.FORWARD)

    def _local_values(self):
        return [w.x.petsc_vec.getArray(readonly=True) for w in self.u]

    def _result(self):
        return self.u

    # -- SNES callbacks ----------------------------------------------------------------
    def _residual(self, snes, x, b) -> None:
        """b ← [F_i(x)] with the Dirichlet rows x − g (lifted with J, module docstring)."""
        from dolfinx.fem import petsc as fpetsc
        self._update(x)
        with b.localForm() as b_local:
            b_local.set(0.0)
        fpetsc.assemble_vector_block(b, self.F_forms, self.J_forms, bcs=self.bcs, x0=x,
                                     alpha=-1.0)

    def _jacobian(self, snes, x, A, P) -> None:
        """A ← [J_ij(x)] with identity Dirichlet rows and columns."""
        from dolfinx.fem import petsc as fpetsc
        self._update(x)
        A.zeroEntries()
        fpetsc.assemble_matrix_block(A, self.J_forms, bcs=self.bcs, diagonal=1.0)
        A.assemble()
