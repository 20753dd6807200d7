"""The steady spin-charge problem: device + materials + boundary conditions -> PETSc solve.

:class:`SpinChargeProblem` assembles the weak form of :mod:`kinetics.physics.spin_charge`
region by region (each region integrates its own material's coefficients over its cells,
so jumps of σ, θ_SH, κ, λ_sf and A between regions are handled by the natural flux
continuity of the weak form; the bulk model of a region comes from its material's type,
:func:`kinetics.models.base.bulk_model`) and lets each condition of
:mod:`kinetics.physics.boundaries` add its own terms (``contribute``).

Unknowns: one Lagrange space of degree 1, 2 or 3 with 4 interleaved components
``u = (V, μ_x, μ_y, μ_z)`` (volts), so the assembled matrix has block size 4.  The forms are
in the internal units of :class:`kinetics.models.base.Scaling`; the :class:`Solution`
converts its fields to SI.  Results do not depend on the mesh unit (tested).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

import numpy as np

from kinetics import validation
from kinetics.materials import Ferromagnet, Material
from kinetics.models.base import Field, FormBuilder, Problem, register_bulk_model
from kinetics.models.base import Solution as BaseSolution
from kinetics.models.spin_charge_operator import SpinChargeOperator
from kinetics.physics import boundaries as bc
from kinetics.physics.boundaries import MagnetTerms
from kinetics.physics.ferromagnet import FerromagneticMetal
from kinetics.physics.spin_charge import BulkCoefficients, NormalMetal
from kinetics.solvers import assembly
from kinetics.solvers.jit import jit_options
from kinetics.solvers.linear import choose_preset
from kinetics.solvers.system import assemble_rhs

__all__ = ["SpinChargeProblem", "Solution"]

register_bulk_model(Material, NormalMetal)

#: largest applied magnetic field accepted (T)
MAX_FIELD = 1e4
register_bulk_model(Ferromagnet, FerromagneticMetal)


def fem_space(mesh, degree: int, components: int):
    """The Lagrange space of ``degree`` with ``components`` interleaved components."""
    from dolfinx import fem
    return fem.functionspace(mesh, ("Lagrange", degree, (components,)))


class SpinChargeProblem(SpinChargeOperator, Problem):
    """Steady SU(2)-covariant spin-charge drift-diffusion on a device.

    Parameters
    ----------
    device:
        A :class:`kinetics.device.Device`.
    materials:
        Region name -> :class:`kinetics.materials.Material` or
        :class:`kinetics.materials.Ferromagnet`; every region of the device needs one.
    boundaries:
        Boundary conditions (:mod:`kinetics.physics.boundaries`) on named facets.  Boundary
        facets without a condition are insulating.  At least one :class:`Contact` must fix
        the potential.
    degree:
        Lagrange degree of V and μ_s (1, 2 or 3).
    solver:
        ``"auto"`` (by size and dimension), ``"direct"``, ``"iterative"`` or
        ``"fieldsplit"`` (:mod:`kinetics.solvers.linear`).  After construction, ``reuse``
        (:attr:`REUSE_MODES`) and ``matrix_type`` (:attr:`MATRIX_TYPES`) tune sweeps and
        the operator format.
    petsc_options:
        PETSc options overriding the preset.
    magnetic_field:
        Applied magnetic field B (3-vector, tesla) for the Hanle precession of the spin
        accumulation in the normal metals (:func:`kinetics.physics.spin_charge.bulk_form`;
        every normal-metal material then needs its ``diffusion_constant``), or None (no
        precession term).  Change it with :meth:`set_magnetic_field` (Hanle sweeps).
        Ferromagnets ignore it (their exchange field dominates).

    Raises
    ------
    KeyError
        Unknown region or boundary name (the message lists the known ones).
    ValueError
        A region without material, a boundary named twice, a condition on facets that the
        mesh lacks or that are interior, a HM|FI or contact on interior facets, no contact
        fixing the potential, an unsupported degree, a magnetic field that is not a finite
        3-vector of at most 1e4 T or a normal metal without ``diffusion_constant`` in a
        field.
    TypeError
        A material without a registered bulk model, a condition that cannot contribute
        terms, petsc_options that are not a mapping.
    kinetics.validation.ValidationError
        (a ValueError) A degree that is not an integer 1, 2 or 3 (``2.5``, ``2.0`` and
        ``True`` too).
    """

    FIELDS = (
        Field("V", (), "V", "electrochemical potential"),
        Field("mu_s", (3,), "V", "spin accumulation (mu_up - mu_down)/e along x, y, z"),
        Field("j_c", (3,), "A/m^2", "charge current density", kind="flux"),
        Field("j_s", (3, 3), "A/m^2", "spin current density J[a, i]: polarization a, flow i "
              "(charge-current units)", kind="flux"),
    )

    def __init__(self, device, materials: Mapping[str, Material],
                 boundaries: Sequence[bc.Boundary] = (), *, degree: int = 1,
                 solver: str = "auto", petsc_options: dict | None = None,
                 magnetic_field=None):
        if petsc_options is not None and not isinstance(petsc_options, Mapping):
            raise TypeError(f"SpinChargeProblem: petsc_options must be a dict of PETSc options "
                            f"or None, got {type(petsc_options).__name__}")
        super().__init__(device, materials, boundaries, degree=degree)
        self._validate()
        self.magnetic_field = None if magnetic_field is None else \
            self.constant(validation.vector3("SpinChargeProblem", "magnetic_field",
                                             magnetic_field, limit=MAX_FIELD))
        self.W = fem_space(device.mesh, self.degree, 4)
        self._build_forms()
        n_dofs = self.W.dofmap.index_map.size_global * 4
        self.solver_preset = choose_preset(solver, n_dofs, device.dim)
        self._auto_preset = solver == "auto"
        self.petsc_options = dict(petsc_options or {})
        self._solver = None
        self._A = None
        self._operator_dirty = True
        self._bulk_changed = False   # a bulk coefficient (a region's m) changed: full assembly
        self.reuse = "auto"
        self.matrix_type = "auto"
        self._blocks = None          # scalar charge/spin blocks for the preconditioner
        self._interface = None       # Robin (HM|FI) part B of the operator, see _assemble_operator
        self._recycler = None
        from ufl.algorithms.analysis import extract_constants
        ms = [id(e.m) for e in self._magnets.values()]      # does b depend on m?
        self._rhs_depends_on_m = any(id(c) in ms for c in extract_constants(self.L_ufl))
        self._rhs = assembly.RightHandSide(self.L_ufl, self.L_form, self.a_form, self.bcs,
                                           self._interface_form)
        self.timings = {"assemble": 0.0, "interface": 0.0, "setup": 0.0, "solve": 0.0,
                        "rhs": 0.0}

    # ------------------------------------------------------------------ validation
    def _validate(self):
        for cond in self.boundaries:
            if self.interior_facet_count(cond.name) > 0:
                raise ValueError(f"{cond.kind} '{cond.name}' lies (partly) on interior facets; "
                                 f"it must be an outer boundary of the meshed metal")
        if not any(isinstance(c, bc.Contact) for c in self.boundaries):
            raise ValueError("no Contact fixes the potential: add e.g. Contact('ground', V=0.0) "
                             "(a current contact alone leaves V undetermined)")

    # ------------------------------------------------------------------ forms
    def coefficients(self, region: str) -> BulkCoefficients:
        """Internal-unit coefficients of ``region`` (see the module docstring)."""
        return self._coefs[region]

    def _build_forms(self):
        import ufl
        from dolfinx import fem
        dev = self.device
        u = ufl.TrialFunction(self.W)
        t = ufl.TestFunction(self.W)
        V, mu = u[0], ufl.as_vector([u[1], u[2], u[3]])
        v, w = t[0], ufl.as_vector([t[1], t[2], t[3]])
        self._coefs = {}
        a = None
        for name, mat in self.materials.items():
            bulk = self.bulk_models[name]
            coef = bulk.coefficients(self, mat)
            self._coefs[name] = coef
            term = bulk.form(V, mu, v, w, coef, dev.axes, self.dx(dev.region_tag(name)))
            a = term if a is None else a + term
        rhs = ufl.inner(self.constant(0.0), v) * self.dx
        builder = FormBuilder(self)
        builder.fields, builder.tests = {"V": V, "mu_s": mu}, {"V": v, "mu_s": w}
        for cond in self.boundaries:
            cond.contribute(builder)
        for term in builder.bilinear:
            a = a + term
        for term in builder.linear:
            rhs = rhs + term
        self._magnets: dict[str, MagnetTerms] = builder.records
        self.bcs = []
        fixed = {"charge": [], "spin": []}
        fdim = dev.dim - 1
        for field, facets, value in builder.dirichlet:
            comps = (0,) if field == "V" else (1, 2, 3)
            fixed["charge" if field == "V" else "spin"].append(facets)
            for c in comps:
                dofs = fem.locate_dofs_topological(self.W.sub(c), fdim, facets)
                self.bcs.append(fem.dirichletbc(np.float64(value), dofs, self.W.sub(c)))
        self._dirichlet_facets = {k: np.unique(np.concatenate(v)).astype(np.int32) if v else
                                  np.zeros(0, dtype=np.int32) for k, v in fixed.items()}
        self.a_ufl, self.L_ufl = a, rhs
        self.a_form = fem.form(a, jit_options=jit_options())
        self.L_form = fem.form(rhs, jit_options=jit_options())

    # ------------------------------------------------------------------ updates
    def magnetic_interface(self, name: str) -> MagnetTerms:
        """The terms of the HM|FI interface ``name`` (m, m̃, conductances in internal units,
        j_pump): what observables need to evaluate its spin current.

        Raises
        ------
        KeyError
            If ``name`` is not a :class:`MagneticInterface` of this problem.
        """
        if name not in self._magnets:
            raise KeyError(f"'{name}' is not a magnetic interface of this problem; magnetic "
                           f"interfaces: {', '.join(self._magnets) or '(none)'}")
        return self._magnets[name]

    @property
    def magnetic_interfaces(self) -> dict[str, MagnetTerms]:
        """Name -> :class:`MagnetTerms` of every HM|FI interface."""
        return dict(self._magnets)

    def operator_changed(self) -> None:
        """Mark the operator for re-assembly at the next solve (after runtime constants
        that it depends on changed, e.g. a time)."""
        self._operator_dirty = True

    @property
    def ferromagnetic_regions(self) -> list[str]:
        """Names of the regions whose material is a :class:`kinetics.materials.Ferromagnet`."""
        return [name for name, mat in self.materials.items() if isinstance(mat, Ferromagnet)]

    def set_magnetization(self, name: str, m) -> None:
        """Set a uniform magnetization direction on the HM|FI interface or the ferromagnetic
        region ``name``.

        No recompilation: the constant is updated and the operator is reassembled on the next
        :meth:`solve` (the way SMR angular scans are run): over the interface facets only for
        an interface, entirely (with a new preconditioner or factorization) for a region.

        Raises
        ------
        KeyError
            If ``name`` is neither a :class:`MagneticInterface` nor a ferromagnetic region
            of this problem.
        ValueError
            If |m| != 1, or if the interface was built with a non-uniform m.
        """
        if name in self.ferromagnetic_regions:
            m_new = validation.unit_vector(f"region '{name}'", "m", m)
            self._coefs[name].m.value[:] = m_new / np.linalg.norm(m_new)
            self._bulk_changed = True
            self.operator_changed()
            return
        if name not in self._magnets:
            raise KeyError(f"'{name}' is not a magnetic interface or a ferromagnetic region "
                           f"of this problem; magnetic interfaces: "
                           f"{', '.join(self._magnets) or '(none)'}; ferromagnetic regions: "
                           f"{', '.join(self.ferromagnetic_regions) or '(none)'}")
        entry = self.magnetic_interface(name)
        m_new = validation.unit_vector(f"interface '{name}'", "m", m)
        if not entry.uniform:
            raise ValueError(f"interface '{name}' has a spatially varying magnetization; "
                             f"build a new problem to change it")
        entry.m.value[:] = m_new
        entry.condition.m = m_new
        self._operator_dirty = True

    def set_magnetic_field(self, B) -> None:
        """Set the applied field B (3-vector, tesla) of the Hanle precession; the operator is
        reassembled on the next :meth:`solve` (no recompilation).

        Raises
        ------
        ValueError
            If the problem was built without ``magnetic_field`` (build it with
            ``magnetic_field=(0, 0, 0)`` to sweep the field), or B is not a finite 3-vector
            of at most 1e4 T.
        """
        if self.magnetic_field is None:
            raise ValueError("set_magnetic_field: this problem was built without a magnetic "
                             "field; build it with magnetic_field=(0, 0, 0) to sweep B")
        self.magnetic_field.value[:] = validation.vector3("set_magnetic_field", "B", B,
                                                          limit=MAX_FIELD)
        self._bulk_changed = True
        self.operator_changed()

    def solve(self) -> "Solution":
        """Assemble (if needed) and solve; return a :class:`Solution`.

        After :meth:`set_magnetization` only the interface part of the matrix is
        reassembled and (with ``reuse = "auto"``, the default) the preconditioner or the
        LU factorization of the previous operator is kept, GMRES correcting the difference,
        starting from the best combination of the earlier solutions.  Every solve still
        converges to the preset's tolerance and checks its converged reason.

        Raises
        ------
        kinetics.solvers.linear.SolverError
            If PETSc does not converge (with the reason and residual history).
        """
        from dolfinx import fem
        changed = self._prepare_operator()
        t0 = time.perf_counter()
        track = (self._interface is not None and self.reuse != "none"
                 and not self._rhs_depends_on_m)
        b = self._rhs.vector(changed, track)
        uh = fem.Function(self.W, name="u")
        x = uh.x.petsc_vec
        self.timings["rhs"] += time.perf_counter() - t0
        recycle = self._sweepable()
        if recycle and self._recycler is None:
            from kinetics.solvers.recycling import SubspaceRecycler
            self._recycler = SubspaceRecycler()
        guess = bool(recycle and self._recycler.initial_guess(b, x))
        self._checked_solve(b, x, guess)
        if recycle and not (guess and self._solver.iterations == 0):
            self._recycler.add(self._A, x)    # (a converged initial guess is in the span)
        uh.x.scatter_forward()
        return Solution(self, uh, iterations=self._solver.iterations)

    def rhs(self, bcs=None, *, source: bool = True):
        """The right-hand side b = L − A g of this problem's forms with the Dirichlet values
        of ``bcs`` (default: the problem's own; other values on the same dofs are allowed),
        or b = −A g with ``source=False`` (:func:`kinetics.solvers.system.assemble_rhs`).
        The caller owns the vector."""
        return assemble_rhs(self.L_form, self.a_form, self.bcs if bcs is None else bcs,
                            source=source)

    def solve_vector(self, b):
        """Solve A u = b with this problem's operator (assembled if it changed) and checked
        solver; returns u as a dolfinx Function on :attr:`W`.  For models that superpose
        several right-hand sides of one operator (:mod:`kinetics.models.pumping`).

        Raises
        ------
        kinetics.solvers.linear.SolverError
            If PETSc does not converge.
        """
        from dolfinx import fem
        self._prepare_operator()
        uh = fem.Function(self.W, name="u")
        self._checked_solve(b, uh.x.petsc_vec, False)
        uh.x.scatter_forward()
        return uh

    @property
    def operator(self):
        """The assembled operator (PETSc matrix; None before the first solve)."""
        return self._A

    @property
    def solver(self):
        """The :class:`kinetics.solvers.linear.LinearSolver` (None before the first solve)."""
        return self._solver

    @property
    def num_dofs(self) -> int:
        """Global number of unknowns (4 per node)."""
        return self.W.dofmap.index_map.size_global * 4


class Solution(BaseSolution):
    """The fields of a solved :class:`SpinChargeProblem` (declared in
    :attr:`SpinChargeProblem.FIELDS`: V, μ_s, j_c, j_s; SI through :meth:`expression`).

    Attributes
    ----------
    problem:
        The problem that produced it (its state when solved: the magnetizations are
        recorded in ``magnetizations``).
    u:
        The 4-component dolfinx Function (V, μ_x, μ_y, μ_z), volts.
    magnetizations:
        Interface or ferromagnetic region name -> magnetization (3-vector) used, for
        uniform magnetizations.
    iterations:
        Linear-solver iterations.
    """

    def __init__(self, problem: SpinChargeProblem, u, iterations: int = 0):
        super().__init__(problem, u, iterations)
        self.magnetizations = {name: np.array(e.m.value, dtype=float)
                               for name, e in problem.magnetic_interfaces.items() if e.uniform}
        self.magnetizations.update({name: np.array(problem.coefficients(name).m.value,
                                                    dtype=float)
                                    for name in problem.ferromagnetic_regions})

    def _primary(self, name: str):
        import ufl
        if name == "V":
            return self.u[0]
        return ufl.as_vector([self.u[1], self.u[2], self.u[3]])

    def _flux(self, name: str, region: str):
        p = self.problem
        bulk = p.bulk_models[region]       # KeyError for an unknown region
        current = bulk.charge_current if name == "j_c" else bulk.spin_current
        return (current(self.V, self.mu_s, p.coefficients(region), p.device.axes),
                p.scaling.current_density)

    @property
    def V(self):
        """Electrochemical potential (UFL expression of ``u``), volts."""
        return self._primary("V")

    @property
    def mu_s(self):
        """Spin accumulation (UFL 3-vector of ``u``), volts."""
        return self._primary("mu_s")

    def collapse(self):
        """(V, μ_s) as separate dolfinx Functions on their own (collapsed) spaces."""
        from dolfinx import fem
        V = self.u.sub(0).collapse()
        V.name = "V"
        Q = fem_space(self.u.function_space.mesh, self.problem.degree, 3)
        mu = fem.Function(Q, name="mu_s")
        mu.interpolate(fem.Expression(self.mu_s, Q.element.interpolation_points()))
        return V, mu
