"""Complex-valued linear problems on the real PETSc build, as real 2×2 blocks.

A complex bilinear form a = a_re + i a_im and linear form L = L_re + i L_im (each part
evaluated on real functions; the test function is not conjugated) define the complex problem

    a(u, v) = L(v)  for all v,   u = u_r + i u_i,   u = g_r + i g_i on the Dirichlet facets.

Splitting into real and imaginary parts, with i² = −1 and test functions v_r (real row) and
v_i (imaginary row), gives one real problem for (u_r, u_i) on a space with twice the
components, real part first:

    a_re(u_r, v_r) − a_im(u_i, v_r) + a_im(u_r, v_i) + a_re(u_i, v_i) = L_re(v_r) + L_im(v_i)

i.e. [[A_re, −A_im], [A_im, A_re]] [u_r; u_i] = [b_re; b_im], the standard real equivalent
formulation of a complex linear system (Day & Heroux, SIAM J. Sci. Comput. 23 (2001) 480,
"K1" form, here interleaved per node because the space is blocked).  It keeps the real PETSc
build, the process and the MPI layout of every other solve, at the price of a matrix twice
the size of the complex one.

Sign convention: i is the algebraic unit of the caller's complex amplitudes; the helper adds
nothing to it.  For phasors a(t) = Re[â e^{+iΩt}] a time derivative ∂_t becomes +iΩ, so
τ∂_t + K gives ``a_re = K``, ``a_im = +τΩ M``; with e^{−iωt} (physics convention) it is
``a_im = −ωM`` and the solution is the complex conjugate of the former.

Assembly and the Dirichlet lifting go through :class:`kinetics.solvers.system.LinearProblem`,
the solve through a checked :class:`kinetics.solvers.linear.LinearSolver`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from kinetics.solvers.linear import LinearSolver
from kinetics.solvers.system import LinearProblem

__all__ = ["ComplexLinearProblem", "ComplexSolution", "solve_complex"]


@dataclass
class ComplexSolution:
    """Real and imaginary parts of a complex solution.

    Attributes
    ----------
    real, imag:
        ``dolfinx.fem.Function`` on the problem's real space (n components, or scalar).
    block:
        The solution on the block space (2n components: real part first).
    """
    real: Any
    imag: Any
    block: Any


class ComplexLinearProblem:
    """a(u, v) = L(v) for complex u, solved as a real 2×2 block problem (module docstring).

    Units are those of the caller's forms and data (the helper only splits them).

    Parameters
    ----------
    mesh:
        The ``dolfinx.mesh.Mesh``.
    element:
        A real Lagrange space description for ``dolfinx.fem.functionspace``:
        ``("Lagrange", degree)`` (scalar) or ``("Lagrange", degree, (n,))`` (n components).
    a_re, a_im:
        Callables ``(u, v) -> UFL form`` (with its measures) of the real and imaginary parts
        of the bilinear form, for real u, v of the space's shape (scalar or n-vector).
        ``a_im`` may be None (zero).  Coefficients (``fem.Constant``) may change between
        solves; call :meth:`assemble` afterwards.
    bcs:
        Dirichlet conditions as ``(facets, value)`` pairs: ``facets`` an int32 array of
        boundary facet indices (dimension tdim − 1, local to the rank), ``value`` a complex
        number, a complex sequence of length n, or a callable ``x -> complex array`` of shape
        (N,) (scalar) or (n, N) for points x of shape (3, N).
    solver:
        A :class:`~kinetics.solvers.linear.LinearSolver` preset name or an instance.
    petsc_options:
        PETSc options overriding the preset (when ``solver`` is a name).
    jit_options:
        Passed to ``dolfinx.fem.form``.

    Attributes
    ----------
    space, block_space:
        The real space (n components) and the block space (2n components, vector).
    n:
        Components of the real space (1 for a scalar space).
    problem:
        The :class:`~kinetics.solvers.system.LinearProblem` of the block operator.

    Raises
    ------
    ValueError
        For a Dirichlet value of the wrong shape.
    """

    def __init__(self, mesh, element: tuple, a_re: Callable, a_im: Callable | None = None,
                 bcs: Sequence = (), *, solver: str | LinearSolver = "direct",
                 petsc_options: dict | None = None, jit_options: dict | None = None):
        import ufl
        from dolfinx import fem
        family, degree, *shape = element
        shape = tuple(shape[0]) if shape else ()
        self.n = int(np.prod(shape)) if shape else 1
        if len(shape) > 1:
            raise ValueError(f"only scalar or vector spaces are supported, got shape {shape}")
        self.mesh, self.jit_options = mesh, jit_options
        self.space = fem.functionspace(mesh, (family, degree, shape) if shape else (family, degree))
        self.block_space = fem.functionspace(mesh, (family, degree, (2 * self.n,)))
        u, v = ufl.TrialFunction(self.block_space), ufl.TestFunction(self.block_space)
        (ur, ui), (vr, vi) = self.parts(u), self.parts(v)
        a = a_re(ur, vr) + a_re(ui, vi)
        if a_im is not None:
            a = a - a_im(ui, vr) + a_im(ur, vi)
        self._facets = [np.asarray(f, dtype=np.int32) for f, _ in bcs]
        fdim = mesh.topology.dim - 1
        self._dofs = [fem.locate_dofs_topological(self.block_space, fdim, f)
                      for f in self._facets]
        self.bcs = self._dirichlet([g for _, g in bcs])
        if isinstance(solver, str):
            comm, preset, opts = mesh.comm, solver, petsc_options
            factory = lambda: LinearSolver(comm, preset, opts)  # noqa: E731
        else:
            factory = solver
        self.problem = LinearProblem(fem.form(a, jit_options=jit_options), self.bcs,
                                     self.block_space, factory)

    def parts(self, w):
        """(real, imaginary) parts of a block-space argument or Function ``w``: UFL scalars
        (n = 1) or n-vectors."""
        import ufl
        n = self.n
        if n == 1:
            return w[0], w[1]
        return ufl.as_vector([w[i] for i in range(n)]), ufl.as_vector([w[n + i] for i in range(n)])

    def _dirichlet(self, values):
        """DirichletBCs on the block space with the block values (Re g, Im g)."""
        from dolfinx import fem
        out = []
        for dofs, g in zip(self._dofs, values):
            gh = fem.Function(self.block_space)
            if callable(g):
                def block(x, g=g):
                    gx = np.asarray(g(x), dtype=complex).reshape(self.n, -1)
                    return np.vstack([gx.real, gx.imag])
                gh.interpolate(block)
            else:
                gv = np.asarray(g, dtype=complex).reshape(-1)
                if gv.size not in (1, self.n):
                    raise ValueError(f"Dirichlet value of {gv.size} components for a space "
                                     f"with {self.n}")
                gv = np.broadcast_to(gv, (self.n,))
                gh.x.array.reshape(-1, 2 * self.n)[:] = np.concatenate([gv.real, gv.imag])
            out.append(fem.dirichletbc(gh, dofs))
        return out

    def assemble(self) -> None:
        """(Re)assemble the block operator with the current coefficients (e.g. after a
        frequency change); the next solve refactors."""
        self.problem.assemble()

    def rhs_form(self, L_re: Callable | None = None, L_im: Callable | None = None):
        """The compiled block linear form L_re(v_r) + L_im(v_i) (zero when both are None)."""
        import ufl
        from dolfinx import fem
        v = ufl.TestFunction(self.block_space)
        vr, vi = self.parts(v)
        zero = fem.Constant(self.mesh, np.zeros(2 * self.n))
        L = ufl.inner(zero, v) * ufl.dx(domain=self.mesh)
        if L_re is not None:
            L = L + L_re(vr)
        if L_im is not None:
            L = L + L_im(vi)
        return fem.form(L, jit_options=self.jit_options)

    def solve(self, L_re: Callable | None = None, L_im: Callable | None = None,
              bc_values: Sequence | None = None) -> ComplexSolution:
        """Solve for the source ``L_re + i L_im`` (callables ``v -> UFL form``, or None).

        Parameters
        ----------
        bc_values:
            New Dirichlet values, one per condition of the constructor (same facets); None:
            those of the constructor.

        Returns
        -------
        ComplexSolution
            ``.real``, ``.imag`` on :attr:`space`, ``.block`` on :attr:`block_space`.

        Raises
        ------
        kinetics.solvers.linear.SolverError
            If the linear solve fails.
        """
        if self.problem.A is None:
            self.problem.assemble()
        bcs = None if bc_values is None else self._dirichlet(list(bc_values))
        w = self.problem.solve(self.rhs_form(L_re, L_im), bcs, name="u_block")
        return ComplexSolution(*self.split(w), block=w)

    def split(self, w):
        """(real, imag) Functions on :attr:`space` from a Function ``w`` on the block space."""
        from dolfinx import fem
        same = np.array_equal(self.space.dofmap.list, self.block_space.dofmap.list)
        out = []
        for k, name in ((0, "re"), (1, "im")):
            f = fem.Function(self.space, name=name)
            if same:      # same nodes, same order: copy the component columns
                cols = w.x.array.reshape(-1, 2 * self.n)[:, k * self.n:(k + 1) * self.n]
                f.x.array[:] = cols.reshape(-1)
            else:
                f.interpolate(fem.Expression(self.parts(w)[k],
                                             self.space.element.interpolation_points()))
            out.append(f)
        return tuple(out)


def solve_complex(mesh, element: tuple, a_re: Callable, a_im: Callable | None,
                  L_re: Callable | None, L_im: Callable | None, bcs: Sequence = (), *,
                  solver: str = "direct", petsc_options: dict | None = None) -> ComplexSolution:
    """One complex solve: :class:`ComplexLinearProblem` (same arguments) then
    :meth:`ComplexLinearProblem.solve` with ``L_re``, ``L_im``.

    Raises
    ------
    kinetics.solvers.linear.SolverError
        If the linear solve fails.
    """
    problem = ComplexLinearProblem(mesh, element, a_re, a_im, bcs, solver=solver,
                                   petsc_options=petsc_options)
    return problem.solve(L_re, L_im)
