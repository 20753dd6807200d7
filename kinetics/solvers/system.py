"""The one assembly path of a linear finite-element problem: operator, lifting, Dirichlet values.

Every model assembles its linear systems here, so that the lifting sequence of dolfinx (b = L
− A g, ghost contributions summed once, Dirichlet values set last) is written once:

    b = assemble(L);  b −= A g  (:func:`lift`);  b ← reverse scatter;  b[bc dofs] = g

:func:`assemble_rhs` is that sequence, :func:`interface_lifting` its interface-only part
(sweeps, :class:`kinetics.solvers.assembly`), :func:`assemble_operator` the matrix with
the Dirichlet rows and columns replaced by the identity, and :class:`LinearProblem` ties a
bilinear form, its Dirichlet conditions and a checked :class:`~kinetics.solvers.linear.LinearSolver`
together for models that solve one operator for several right-hand sides (superposition,
time steps, frequencies).

A bug this layout removes: scattering the assembled vector before the lifting and again
after it adds the ghost contributions twice, which changes the answer with the number of
MPI ranks (and not at all in serial).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

__all__ = ["lift", "assemble_rhs", "interface_lifting", "assemble_operator", "LinearProblem",
           "assemble_block_operator", "assemble_block_rhs", "split_block_vector",
           "BlockLinearProblem"]


def lift(b, a_form, bcs, *, x0=None, scale: float = 1.0) -> None:
    """b ← b − scale·A (g − x0) over the owned entries: the Dirichlet lifting of the compiled
    bilinear form ``a_form`` with the values g of ``bcs``, followed by the reverse scatter that
    sums the ghost contributions of b (assembled and lifted) into their owners, once.

    Parameters
    ----------
    b:
        A ghosted PETSc vector holding an assembled, not yet scattered, linear form.
    a_form:
        The compiled bilinear form (``dolfinx.fem.Form``).
    bcs:
        The Dirichlet conditions (``dolfinx.fem.DirichletBC``), possibly empty.
    x0:
        Optional ghosted PETSc vector (ghosts up to date) subtracted from g; None: x0 = 0.
        Newton residuals use ``x0`` = the current iterate and ``scale=-1``.
    scale:
        Factor of the lifting (dolfinx's ``alpha``).
    """
    from dolfinx.fem import petsc as fpetsc
    from petsc4py import PETSc
    fpetsc.apply_lifting(b, [a_form], bcs=[list(bcs)], x0=[] if x0 is None else [x0],
                         alpha=scale)
    b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)


def assemble_rhs(L_form, a_form, bcs, *, source: bool = True,
                 before_bc: Callable | None = None):
    """b = L − A g with the Dirichlet values g of ``bcs`` set in b, as a new PETSc vector.

    Parameters
    ----------
    L_form, a_form:
        The compiled linear and bilinear forms.
    bcs:
        Dirichlet conditions.
    source:
        False: leave out L (b = −A g: the response to the Dirichlet data alone, as in
        superposition over contact potentials).
    before_bc:
        Optional ``before_bc(b)`` applied after the lifting and before the Dirichlet values are
        set (a projection that must not touch the Dirichlet rows).

    Returns
    -------
    petsc4py.PETSc.Vec
        Owned by the caller (``destroy()`` it when done).
    """
    from dolfinx.fem import petsc as fpetsc
    if source:
        b = fpetsc.assemble_vector(L_form)
    else:
        b = fpetsc.create_vector(L_form)
        b.set(0.0)
    lift(b, a_form, bcs)
    if before_bc is not None:
        before_bc(b)
    fpetsc.set_bc(b, list(bcs))
    return b


def interface_lifting(L_form, iface_form, bcs):
    """−B g, the interface part of the Dirichlet lifting (B: the compiled interface form), as a
    new PETSc vector laid out like ``L_form``'s, owned entries summed over ranks."""
    from dolfinx.fem import petsc as fpetsc
    out = fpetsc.create_vector(L_form)
    out.set(0.0)
    lift(out, iface_form, bcs)
    return out


def assemble_operator(a_form, bcs, A=None):
    """Assemble the compiled bilinear form with the Dirichlet rows and columns of ``bcs``
    replaced by the identity, into ``A`` (zeroed first; same sparsity) or a new AIJ matrix.

    Returns
    -------
    petsc4py.PETSc.Mat
        The assembled matrix (``A`` when given).
    """
    from dolfinx.fem import petsc as fpetsc
    if A is None:
        A = fpetsc.assemble_matrix(a_form, bcs=list(bcs))
    else:
        A.zeroEntries()
        fpetsc.assemble_matrix(A, a_form, bcs=list(bcs))
    A.assemble()
    return A


class LinearProblem:
    """One operator A(a, bcs) solved for several right-hand sides with a checked solver.

    Parameters
    ----------
    a_form:
        The compiled bilinear form on ``space``.
    bcs:
        Its Dirichlet conditions (the rows of A that are the identity).
    space:
        The ``dolfinx.fem.FunctionSpace`` of the solution.
    solver:
        A :class:`~kinetics.solvers.linear.LinearSolver`, or a callable returning one
        (called once, at the first :meth:`assemble`), so that a model can configure it
        (presets, block-preconditioner hints).

    Attributes
    ----------
    A:
        The assembled PETSc matrix (None before :meth:`assemble`).
    """

    def __init__(self, a_form, bcs: Sequence, space, solver):
        self.a_form = a_form
        self.bcs = list(bcs)
        self.space = space
        self._solver_factory = solver if callable(solver) else (lambda: solver)
        self.solver = None
        self.A = None

    def assemble(self) -> None:
        """(Re)assemble A with the current coefficients and hand it to the solver."""
        self.A = assemble_operator(self.a_form, self.bcs, self.A)
        if self.solver is None:
            self.solver = self._solver_factory()
        self.solver.set_operator(self.A)

    def rhs(self, L_form, bcs: Sequence | None = None, *, source: bool = True,
            before_bc: Callable | None = None):
        """:func:`assemble_rhs` with this operator; ``bcs`` default to the operator's own and
        must prescribe the same dofs (only their values may differ)."""
        return assemble_rhs(L_form, self.a_form, self.bcs if bcs is None else bcs,
                            source=source, before_bc=before_bc)

    def solve_vector(self, b, name: str = "u"):
        """Solve A u = b (b is destroyed) and return u as a Function on :attr:`space`.

        Raises
        ------
        kinetics.solvers.linear.SolverError
            If the solve fails (reason and residual history in the exception).
        """
        from dolfinx import fem
        if self.A is None:
            self.assemble()
        u = fem.Function(self.space, name=name)
        try:
            self.solver.solve(b, u.x.petsc_vec)
        finally:
            b.destroy()
        u.x.scatter_forward()
        return u

    def solve(self, L_form, bcs: Sequence | None = None, *, source: bool = True,
              before_bc: Callable | None = None, name: str = "u"):
        """Assemble the right-hand side (:meth:`rhs`) and solve; returns the Function."""
        return self.solve_vector(self.rhs(L_form, bcs, source=source, before_bc=before_bc),
                                 name=name)


# ----------------------------------------------------------------------------- block systems
# Coupled fields on several spaces (e.g. one per domain, kinetics.models.regions): the block
# operator [[a_ij]] and right-hand side [L_i] in one monolithic PETSc matrix/vector whose
# layout is the owned dofs of block 0, of block 1, ... on each rank.  dolfinx's
# assemble_vector_block performs the same lifting sequence as assemble_rhs (assemble, lift
# b_i −= Σ_j a_ij g_j, reverse scatter once, set the Dirichlet values last).

def _zero_linear_form(space):
    """The compiled form 0·v dx on ``space``'s own mesh (a block without a source)."""
    import numpy as np
    import ufl
    from dolfinx import default_scalar_type, fem
    v = ufl.TestFunction(space)
    zero = fem.Constant(space.mesh, np.zeros(v.ufl_shape, dtype=default_scalar_type))
    return fem.form(ufl.inner(zero, v) * ufl.dx(domain=space.mesh))


def assemble_block_operator(a_blocks, bcs, A=None):
    """Assemble the compiled block bilinear form ``a_blocks`` (nested list, None for a zero
    off-diagonal block) into one AIJ matrix, the Dirichlet rows and columns of ``bcs`` (on
    any of the blocks' spaces) replaced by the identity; into ``A`` (zeroed first) if given.

    Returns
    -------
    petsc4py.PETSc.Mat
        The assembled matrix (``A`` when given).
    """
    from dolfinx.fem import petsc as fpetsc
    if A is None:
        A = fpetsc.assemble_matrix_block(a_blocks, bcs=list(bcs))
    else:
        A.zeroEntries()
        fpetsc.assemble_matrix_block(A, a_blocks, bcs=list(bcs))
    A.assemble()
    return A


def assemble_block_rhs(L_blocks, a_blocks, bcs, spaces=None):
    """b = [L_i − Σ_j a_ij g_j] with the Dirichlet values set, as one new PETSc vector.

    Parameters
    ----------
    L_blocks:
        Compiled linear forms, one per block (None: no source, replaced by 0·v dx, which
        needs ``spaces``).
    a_blocks:
        The compiled block bilinear form (for the lifting).
    bcs:
        Dirichlet conditions on any of the blocks' spaces.
    spaces:
        The ``dolfinx.fem.FunctionSpace`` of each block (only used for None entries).

    Returns
    -------
    petsc4py.PETSc.Vec
        Owned by the caller (``destroy()`` it when done).

    Raises
    ------
    ValueError
        For a None entry without ``spaces``, or block counts that do not match.
    """
    from dolfinx.fem import petsc as fpetsc
    if len(L_blocks) != len(a_blocks) or (spaces is not None and len(spaces) != len(L_blocks)):
        raise ValueError(f"{len(L_blocks)} linear forms for {len(a_blocks)} block rows"
                         + ("" if spaces is None else f" and {len(spaces)} spaces"))
    if spaces is None and any(form is None for form in L_blocks):
        raise ValueError("a None linear form needs the block spaces (spaces=...)")
    L = [_zero_linear_form(spaces[i]) if form is None else form for i, form in enumerate(L_blocks)]
    return fpetsc.assemble_vector_block(L, a_blocks, bcs=list(bcs))


def split_block_vector(x, spaces, names: Sequence[str] | None = None):
    """One ``Function`` per block from a monolithic block vector ``x`` (owned parts laid out
    block after block on each rank), ghost values updated.

    Raises
    ------
    ValueError
        If the local size of ``x`` is not the sum of the blocks' owned sizes.
    """
    from dolfinx import fem
    names = list(names) if names is not None else [f"u{i}" for i in range(len(spaces))]
    arr = x.getArray(readonly=True)
    sizes = [V.dofmap.index_map.size_local * V.dofmap.index_map_bs for V in spaces]
    if sum(sizes) != len(arr):
        raise ValueError(f"block vector of local size {len(arr)}, blocks of sizes {sizes}")
    out, offset = [], 0
    for V, n, name in zip(spaces, sizes, names):
        u = fem.Function(V, name=name)
        u.x.array[:n] = arr[offset:offset + n]
        u.x.scatter_forward()
        out.append(u)
        offset += n
    return out


class BlockLinearProblem:
    """A block operator [[a_ij]] with its Dirichlet conditions, solved with a checked solver
    for one or more right-hand sides.

    Parameters
    ----------
    a_blocks:
        Compiled block bilinear form (nested list; diagonal blocks required, None allowed off
        the diagonal).
    bcs:
        Dirichlet conditions on any of the blocks' spaces.
    spaces:
        The ``dolfinx.fem.FunctionSpace`` of each block row (test space of a_ii).
    solver:
        A :class:`~kinetics.solvers.linear.LinearSolver` or a callable returning one; default
        ``LinearSolver(comm, "direct")`` (MUMPS).
    names:
        Names of the returned Functions (default ``u0, u1, ...``).
    block_size:
        PETSc block size given to the assembled matrix (4 for interleaved (V, μ_s) spaces,
        as the block preconditioner and PCFIELDSPLIT read it); every space's local size
        must be a multiple of it.
    recycle:
        Start every solve after the first from the minimal-residual combination of the
        earlier solutions (:class:`kinetics.solvers.recycling.SubspaceRecycler`; for sweeps:
        it shortens Krylov solves, including GMRES on a kept LU factorization, and is
        ignored by a fresh direct solve).

    Attributes
    ----------
    A:
        The assembled PETSc matrix (None before :meth:`assemble`).
    """

    def __init__(self, a_blocks, bcs: Sequence, spaces: Sequence, solver=None,
                 names: Sequence[str] | None = None, *, block_size: int = 1,
                 recycle: bool = False):
        self.a_blocks = a_blocks
        self.block_size = int(block_size)
        self.recycler = None
        if recycle:
            from kinetics.solvers.recycling import SubspaceRecycler
            self.recycler = SubspaceRecycler()
        self.bcs = list(bcs)
        self.spaces = list(spaces)
        if len(self.spaces) != len(a_blocks):
            raise ValueError(f"{len(self.spaces)} spaces for {len(a_blocks)} block rows")
        self.names = names
        if solver is None:
            from kinetics.solvers.linear import LinearSolver
            comm = self.spaces[0].mesh.comm
            solver = (lambda: LinearSolver(comm, "direct"))
        self._solver_factory = solver if callable(solver) else (lambda: solver)
        self.solver = None
        self.A = None

    def assemble(self, *, keep_preconditioner: bool = False) -> None:
        """(Re)assemble A with the current coefficients and hand it to the solver; with
        ``keep_preconditioner`` the factorization (preconditioner) of the previous operator
        is kept as the preconditioner of GMRES for the new one
        (:meth:`kinetics.solvers.linear.LinearSolver.set_operator`)."""
        first = self.A is None
        self.A = assemble_block_operator(self.a_blocks, self.bcs, self.A)
        if first and self.block_size > 1:
            self.A.setBlockSize(self.block_size)
        if self.recycler is not None and not first:
            self.recycler.refresh(self.A)
        if self.solver is None:
            self.solver = self._solver_factory()
        self.solver.set_operator(self.A, keep_preconditioner=keep_preconditioner)

    def solve(self, L_blocks):
        """Solve for the compiled linear forms ``L_blocks`` (None: no source) and return one
        Function per block.

        Raises
        ------
        kinetics.solvers.linear.SolverError
            If the solve fails.
        """
        if self.A is None:
            self.assemble()
        b = assemble_block_rhs(L_blocks, self.a_blocks, self.bcs, self.spaces)
        x = b.duplicate()                       # ghosted, as LinearSolver's checks want
        try:
            guess = self.recycler is not None and self.recycler.initial_guess(b, x)
            self.solver.solve(b, x, nonzero_guess=guess)
            if self.recycler is not None:
                self.recycler.add(self.A, x)
            return split_block_vector(x, self.spaces, self.names)
        finally:
            b.destroy()
            x.destroy()
