"""Spin-charge transport with resistive F|N interfaces, where V and μ_s jump (circuit theory).

:class:`CircuitProblem` is a separate model from
:class:`kinetics.models.spin_charge.SpinChargeProblem`, whose single space makes V and μ_s
continuous everywhere.  Here the regions are grouped into *domains*: regions that touch
across facets which are not F|N junctions share a domain (a continuous field), and every
F|N junction (:class:`FNJunction`, a named set of interior facets) separates two domains.
Each domain carries u = (V, μ_x, μ_y, μ_z) (volts) on its own submesh space
(:class:`kinetics.models.regions.RegionFields`); the bulk terms of each region come from its
material's bulk model (:func:`kinetics.models.base.bulk_model`: normal metal or
ferromagnet), the junctions add the term of :mod:`kinetics.physics.fn_interface`, and the
block system (:class:`kinetics.solvers.system.BlockLinearProblem`) is solved with the checked
direct solver (default) or with GMRES and the block preconditioner of
:mod:`kinetics.solvers.block_pc` in its ``rotated`` form (``solver="iterative"``).  Internal
units as every model (:class:`kinetics.models.base.Scaling`).

Conditions on exterior facets: :class:`~kinetics.physics.boundaries.Contact` (V = V0 on every
domain the facets bound; μ_s = 0 for a spin reservoir),
:class:`~kinetics.physics.boundaries.SpinInjection` and
:class:`~kinetics.physics.boundaries.Insulator` (the default), with the semantics of
:mod:`kinetics.physics.boundaries`.  Observables: :func:`contact_current`,
:func:`interface_current`, :func:`resistance_area`, :func:`facet_average`,
:func:`nonlocal_resistance` (in :mod:`kinetics.models.circuit_results`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np

from kinetics import validation
from kinetics.fn_materials import FNInterface
from kinetics.materials import Ferromagnet
from kinetics.models import spin_charge as _registers_bulk_models  # noqa: F401
from kinetics.models.base import Field, Problem
from kinetics.models.spin_charge import MAX_FIELD
from kinetics.physics import boundaries as bc
from kinetics.physics import fn_interface as fn
from kinetics.solvers.linear import (AUTO_FALLBACK_LIMIT, PRESETS, choose_preset,
                                     direct_fallback)

__all__ = ["FNJunction", "CircuitProblem", "CircuitSolution", "contact_current",
           "interface_current", "resistance_area", "facet_average", "nonlocal_resistance"]


@dataclasses.dataclass
class FNJunction:
    """A resistive F|N interface on the interior facets named ``name``.

    Parameters
    ----------
    name:
        Facet name of the interface in the device (e.g. ``"F1|N"`` of
        :func:`kinetics.geometry.layered_box`).
    interface:
        Its conductances (:class:`kinetics.fn_materials.FNInterface`).
    between:
        Optional ``(ferromagnet_region, normal_region)``, checked against the facets.

    Raises
    ------
    TypeError
        For an ``interface`` that is not an FNInterface, a name that is not a string.
    kinetics.validation.ValidationError
        For an empty name or a ``between`` that is not two region names.
    """

    name: str
    interface: FNInterface
    between: tuple | None = None

    def __post_init__(self):
        self.name = validation.text("FNJunction", "name", self.name)
        if not isinstance(self.interface, FNInterface):
            raise TypeError(f"FNJunction '{self.name}': interface must be a "
                            f"kinetics.fn_materials.FNInterface, got {self.interface!r}")
        if self.between is not None:
            if isinstance(self.between, str) or len(self.between) != 2:
                raise validation.ValidationError(f"FNJunction '{self.name}'", "between",
                                                 "(ferromagnet_region, normal_region)",
                                                 repr(self.between))
            self.between = tuple(validation.text(f"FNJunction '{self.name}'", "between", r)
                                 for r in self.between)


class CircuitProblem(Problem):
    """Steady spin-charge transport with F|N junctions (module docstring).

    Parameters
    ----------
    device:
        A :class:`kinetics.device.Device` (ghost mode shared_facet, as the builders make).
    materials:
        Region name -> :class:`kinetics.materials.Material` or
        :class:`~kinetics.materials.Ferromagnet`.
    boundaries:
        Contact, SpinInjection and Insulator conditions on exterior facets.
    junctions:
        The :class:`FNJunction` s (interior facets between one ferromagnetic and one normal
        region).
    degree:
        Lagrange degree (1, 2 or 3).
    magnetic_field:
        Applied field B (3-vector, tesla) or None: Hanle precession of the spin accumulation
        in the normal metals (:func:`kinetics.physics.spin_charge.bulk_form`; needs their
        ``diffusion_constant``).  The ferromagnets ignore it (their exchange field dominates
        by orders of magnitude).  Sweep it with :meth:`set_magnetic_field`.
    solver:
        ``"direct"`` (default: MUMPS, exact to round-off, which a nonlocal voltage 10⁻⁶ of
        the device's potentials needs for many digits), ``"iterative"`` (GMRES to
        :data:`ITERATIVE_RTOL` with the block preconditioner: one AMG for V and three for
        the spin accumulation in the frame of the first magnet (fixed at the first solve),
        :func:`kinetics.solvers.block_pc.rotated_spin_blocks`; for large 3D devices),
        ``"fieldsplit"`` or ``"auto"`` (:func:`kinetics.solvers.linear.choose_preset`; a
        failed ``auto`` iterative solve is repeated with MUMPS).
    petsc_options:
        PETSc options overriding the preset (a dict), or None.
    reuse:
        ``"none"`` (default): a new factorization (preconditioner) for every changed
        operator.  ``"auto"``: after :meth:`set_magnetization` or
        :meth:`set_magnetic_field` the factorization (preconditioner) of an earlier operator
        serves GMRES on the new one (rebuilt when that needs more than
        :data:`kinetics.solvers.checks.REUSE_LU_REBUILD_ITERATIONS` iterations, or
        :data:`~kinetics.solvers.checks.REBUILD_EXTRA_ITERATIONS` more than a fresh one, or
        fails), and iterative solves start from the best combination of the earlier
        solutions (:class:`kinetics.solvers.recycling.SubspaceRecycler`).  A Hanle sweep then
        costs a fraction of the set-ups (benchmarks/nlsv.py), but with the direct solver the
        fields are exact to GMRES's 1e-12 only: a nonlocal voltage that is 10⁻⁶ of the
        device's potentials keeps about six digits.

    Raises
    ------
    KeyError
        Unknown region or facet name (the message lists the known ones).
    ValueError
        As :class:`kinetics.models.base.Problem`; a junction whose facets are not interior,
        do not separate one ferromagnetic from one normal region, or lie between other
        regions than its ``between``; two junctions on one name; a ``reuse`` other than
        "none"/"auto"; an unknown solver preset; a magnetic field that is not a finite
        3-vector of at most 1e4 T, or one without the normal metals' ``diffusion_constant``.
    TypeError
        A condition this model does not support, a junction that is not an FNJunction,
        ``petsc_options`` that are not a dict.
    """

    #: Relative tolerance of the ``iterative`` preset here (a nonlocal voltage is a small
    #: difference of potentials: 1e-12 keeps R_NL to ~1e-9 of itself, 1e-10 to ~1e-7 on
    #: the benchmark valve).
    ITERATIVE_RTOL = 1e-12
    #: With ``solver="auto"``, a failed iterative solve is repeated with MUMPS up to this size.
    AUTO_FALLBACK_LIMIT = AUTO_FALLBACK_LIMIT

    FIELDS = (Field("V", (), "V", "electrochemical potential"),
              Field("mu_s", (3,), "V", "spin accumulation"))
    SUPPORTED = (bc.Contact, bc.SpinInjection, bc.Insulator)

    def __init__(self, device, materials: Mapping, boundaries: Sequence = (),
                 junctions: Sequence = (), *, degree: int = 1, magnetic_field=None,
                 solver: str = "direct", petsc_options: Mapping | None = None,
                 reuse: str = "none"):
        super().__init__(device, materials, boundaries, degree=degree)
        self.reuse = validation.choice("CircuitProblem", "reuse", reuse, ("auto", "none"))
        if petsc_options is not None and not isinstance(petsc_options, Mapping):
            raise TypeError(f"CircuitProblem: petsc_options must be a dict of PETSc options "
                            f"or None, got {type(petsc_options).__name__}")
        self.petsc_options = dict(petsc_options or {})
        if solver != "auto" and solver not in PRESETS:
            raise ValueError(f"CircuitProblem: unknown solver preset '{solver}'; valid: auto, "
                             f"{', '.join(PRESETS)}")
        self._auto_preset = solver == "auto"
        self.magnetic_field = None if magnetic_field is None else \
            self.constant(validation.vector3("CircuitProblem", "magnetic_field",
                                             magnetic_field, limit=MAX_FIELD))
        for cond in self.boundaries:
            if not isinstance(cond, self.SUPPORTED):
                raise TypeError(f"CircuitProblem supports Contact, SpinInjection and Insulator "
                                f"conditions, got {cond.kind} '{cond.name}'")
        self.junctions = self._check_junctions(junctions)
        from kinetics.models.regions import RegionFields
        self.fields = RegionFields(device, self._domains(), degree=self.degree, shape=(4,))
        self.coef = {r: self.bulk_models[r].coefficients(self, mat)
                     for r, mat in self.materials.items()}
        self.junction_sides = {j.name: self._junction_sides(j) for j in self.junctions}
        self._build()
        self._linear = None
        self.solver_preset = choose_preset(solver, self.num_dofs, device.dim)

    # -- checks and domains ---------------------------------------------------------------
    def _check_junctions(self, junctions):
        out, seen = [], set()
        dev = self.device
        for j in junctions:
            if not isinstance(j, FNJunction):
                raise TypeError(f"junctions must be FNJunction objects, got {j!r}")
            if j.name in seen or any(c.name == j.name for c in self.boundaries):
                raise ValueError(f"facets '{j.name}' have more than one condition")
            seen.add(j.name)
            dev.boundary_tag(j.name)                       # KeyError listing the names
            total = dev.facet_count(j.name)
            if total == 0 or self.interior_facet_count(j.name) != total:
                raise ValueError(f"FNJunction '{j.name}': the facets must be interior (between "
                                 f"two regions); {total - self.interior_facet_count(j.name)} "
                                 f"of its {total} facets lie on the outer boundary")
            out.append(j)
        return out

    def _touching(self, exclude=()):
        """Pairs of region tags that share an interior facet not named in ``exclude``."""
        dev, msh = self.device, self.device.mesh
        tdim = msh.topology.dim
        msh.topology.create_connectivity(tdim - 1, tdim)
        f2c = msh.topology.connectivity(tdim - 1, tdim)
        cmap = msh.topology.index_map(tdim)
        region = np.full(cmap.size_local + cmap.num_ghosts, -1, dtype=np.int64)
        region[dev.cell_tags.indices] = dev.cell_tags.values
        owned = np.arange(msh.topology.index_map(tdim - 1).size_local, dtype=np.int32)
        for name in exclude:
            owned = np.setdiff1d(owned, dev.facet_tags.find(dev.boundary_tag(name)))
        inner = owned[f2c.offsets[owned + 1] - f2c.offsets[owned] == 2]
        t0 = region[f2c.array[f2c.offsets[inner]]]
        t1 = region[f2c.array[f2c.offsets[inner] + 1]]
        pairs = {(int(min(a, b)), int(max(a, b))) for a, b in zip(t0, t1) if a != b}
        return set().union(*msh.comm.allgather(pairs))

    def _domains(self) -> dict:
        """Regions joined across every interior facet that is not a junction (union-find)."""
        name_of = {t: r for r, t in self.device.regions.items()}
        parent = {r: r for r in self.device.regions}

        def root(r):
            while parent[r] != r:
                r = parent[r]
            return r

        for a, b in sorted(self._touching(exclude=[j.name for j in self.junctions])):
            ra, rb = root(name_of[a]), root(name_of[b])
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        groups: dict = {}
        for r in self.device.regions:
            groups.setdefault(root(r), []).append(r)
        return {"+".join(rs): rs for rs in groups.values()}

    def _junction_sides(self, j: FNJunction):
        """(F region, N region, side of F on dS) of junction ``j``."""
        rf = self.fields
        rf.sides(j.name)              # ValueError if the facets do not separate two domains
        rows = rf.interface_rows(j.name)
        region = np.full(len(rf.cell_domain), -1, dtype=np.int64)
        region[self.device.cell_tags.indices] = self.device.cell_tags.values
        name_of = {t: r for r, t in self.device.regions.items()}
        comm = self.device.comm
        plus = set().union(*comm.allgather({name_of[int(t)] for t in region[rows[:, 0]]}))
        minus = set().union(*comm.allgather({name_of[int(t)] for t in region[rows[:, 2]]}))
        owner = f"FNJunction '{j.name}'"
        if len(plus) != 1 or len(minus) != 1:
            raise ValueError(f"{owner}: its facets must separate two regions, found "
                             f"{sorted(plus)} | {sorted(minus)}")
        (p,), (m,) = plus, minus
        is_f = {r: isinstance(self.materials[r], Ferromagnet) for r in (p, m)}
        if is_f[p] == is_f[m]:
            kind = "ferromagnets" if is_f[p] else "normal metals"
            raise ValueError(f"{owner}: it must lie between a ferromagnet and a normal metal; "
                             f"'{p}' and '{m}' are both {kind}")
        f_reg, n_reg, side = (p, m, "+") if is_f[p] else (m, p, "-")
        if j.between is not None and tuple(j.between) != (f_reg, n_reg):
            a, b = j.between
            for r in (a, b):
                self.device.region_tag(r)             # KeyError listing the regions
            tags = (self.device.region_tag(a), self.device.region_tag(b))
            touch = (min(tags), max(tags)) in self._touching()
            why = "" if touch else f"; regions '{a}' and '{b}' do not touch"
            raise ValueError(f"{owner}: the facets lie between '{f_reg}' (F) and '{n_reg}' "
                             f"(N), not between '{a}' and '{b}'{why}")
        return f_reg, n_reg, side

    # -- forms ----------------------------------------------------------------------------
    def _split(self, u):
        import ufl
        return u[0], ufl.as_vector([u[1], u[2], u[3]])

    def junction_coefficients(self, name: str) -> fn.FNCoefficients:
        """The scaled conductances of junction ``name`` and the m of its F region."""
        j = next(j for j in self.junctions if j.name == name)
        s = self.scaling.per_area
        p = j.interface
        f_reg = self.junction_sides[name][0]
        loss = [None, None] if p.spin_memory_loss == 0.0 else \
            [self.constant(g * s) for g in p.spin_loss_conductances]
        return fn.FNCoefficients(*(self.constant(g * s) for g in (p.G_up, p.G_down, p.G_r, p.G_i)),
                                 m=self.coef[f_reg].m, G_loss=loss[0], G_sink=loss[1])

    def blocks(self, trials: Mapping, tests: Mapping, rows=None):
        """The bilinear form as ``{(test domain, trial domain): UFL form}``: bulk terms of
        every region and the junction terms; only test domains in ``rows`` (default all)."""
        rf, axes = self.fields, self.device.axes
        rows = rf.names if rows is None else rows
        out: dict = {}

        def add(key, form):
            if key[0] in rows:
                out[key] = form if key not in out else out[key] + form

        for dom in rf.names:
            V, mu = self._split(trials[dom])
            v, w = self._split(tests[dom])
            for r in rf.domains[dom]:
                dx = self.dx(self.device.region_tag(r))
                add((dom, dom), self.bulk_models[r].form(V, mu, v, w, self.coef[r], axes, dx))
        for j in self.junctions:
            f_reg, n_reg, side = self.junction_sides[j.name]
            plus, minus = rf.sides(j.name)
            fd, nd = (plus, minus) if side == "+" else (minus, plus)
            a = fn.interface_blocks(self._split(trials[fd]), self._split(trials[nd]),
                                    self._split(tests[fd]), self._split(tests[nd]),
                                    self.junction_coefficients(j.name), rf.dS(j.name), side)
            for (i, di) in enumerate((fd, nd)):
                for (k, dk) in enumerate((fd, nd)):
                    add((di, dk), a[i][k])
        return out

    def _build(self):
        import ufl
        rf = self.fields
        self.trials = {d: ufl.TrialFunction(rf.space(d)) for d in rf.names}
        self.tests = {d: ufl.TestFunction(rf.space(d)) for d in rf.names}
        self.a_ufl = self.blocks(self.trials, self.tests)
        self.L_ufl = {d: None for d in rf.names}
        self.bcs, self._contact_domains = [], {}
        for cond in self.boundaries:
            doms = [d for d in rf.names if self._touches(d, cond.name)]
            if isinstance(cond, bc.Contact):
                self._contact_domains[cond.name] = doms
                for d in doms:
                    self.bcs += self._dirichlet(d, cond)
            elif isinstance(cond, bc.SpinInjection):
                for d in doms:
                    w = self._split(self.tests[d])[1]
                    j = self.constant(cond.j_s * self.scaling.per_area)
                    term = ufl.inner(j, w) * rf.ds(d, cond.name)
                    self.L_ufl[d] = term if self.L_ufl[d] is None else self.L_ufl[d] + term
        n = rf.names
        self.a_form = rf.form([[self.a_ufl.get((i, k)) for k in n] for i in n])
        self.L_form = [None if self.L_ufl[d] is None else rf.form(self.L_ufl[d]) for d in n]

    def _touches(self, dom, name) -> bool:
        """Whether exterior facets ``name`` bound domain ``dom`` (collective)."""
        try:
            self.fields.ds(dom, name)
        except ValueError:
            return False
        return True

    def submesh_facets(self, dom: str, name: str) -> np.ndarray:
        """:meth:`RegionFields.submesh_facets`, empty on a rank without cells of ``dom``
        (where RegionFields' reshape of an empty connectivity fails in dolfinx 0.9)."""
        if len(self.fields.sub_to_parent[dom]) == 0:
            return np.zeros(0, dtype=np.int32)
        return self.fields.submesh_facets(dom, name)

    def _dirichlet(self, dom, cond: bc.Contact):
        from dolfinx import default_scalar_type, fem
        rf = self.fields
        W = rf.space(dom)
        facets = self.submesh_facets(dom, cond.name)
        fdim = W.mesh.topology.dim - 1
        comps = [0] + ([1, 2, 3] if cond.spin == "reservoir" else [])
        out = []
        for c in comps:
            dofs = fem.locate_dofs_topological(W.sub(c), fdim, facets)
            value = default_scalar_type(cond.V if c == 0 else 0.0)
            out.append(fem.dirichletbc(value, dofs, W.sub(c)))
        return out

    # -- magnetization and solve ----------------------------------------------------------
    def set_magnetization(self, region: str, m) -> None:
        """Set the uniform magnetization of the ferromagnetic ``region`` (bulk and its
        junctions); the operator is reassembled at the next solve.

        Raises
        ------
        KeyError
            If ``region`` is not ferromagnetic (the message lists the ferromagnetic regions).
        kinetics.validation.ValidationError
            For a non-unit m.
        """
        ferro = [r for r, mat in self.materials.items() if isinstance(mat, Ferromagnet)]
        if region not in ferro:
            raise KeyError(f"'{region}' is not a ferromagnetic region; ferromagnetic regions: "
                           f"{', '.join(ferro) or '(none)'}")
        self.coef[region].m.value[:] = validation.unit_vector(f"region '{region}'", "m", m)
        self._operator_changed()

    def set_magnetic_field(self, B) -> None:
        """Set the applied field B (3-vector, tesla) of the Hanle precession; the operator is
        reassembled at the next solve (no recompilation).

        Raises
        ------
        ValueError
            If the problem was built without ``magnetic_field`` (build it with
            ``magnetic_field=(0, 0, 0)``), or B is not a finite 3-vector of at most 1e4 T.
        """
        if self.magnetic_field is None:
            raise ValueError("set_magnetic_field: this problem was built without a magnetic "
                             "field; build it with magnetic_field=(0, 0, 0) to sweep B")
        self.magnetic_field.value[:] = validation.vector3("set_magnetic_field", "B", B,
                                                          limit=MAX_FIELD)
        self._operator_changed()

    def _operator_changed(self) -> None:
        """Reassemble after a coefficient changed, keeping the factorization with ``reuse``
        ``"auto"``."""
        if self._linear is not None:
            self._linear.assemble(keep_preconditioner=self.reuse == "auto")

    @property
    def num_dofs(self) -> int:
        """Number of unknowns: 4 (V, μ_s) per node of every domain (global)."""
        return sum(self.fields.space(d).dofmap.index_map.size_global * 4
                   for d in self.fields.names)

    @property
    def linear_solver(self):
        """The :class:`kinetics.solvers.linear.LinearSolver` of the solves (its
        ``iterations``, ``reused``, ``setups``); None before the first solve."""
        return None if self._linear is None else self._linear.solver

    def _frame(self):
        """The m of the first ferromagnetic region (the spin frame of the iterative
        preconditioner), sign chosen with a positive largest component; None without one."""
        for r, mat in self.materials.items():
            if isinstance(mat, Ferromagnet):
                m = np.array(self.coef[r].m.value, dtype=float)
                return m * np.sign(m[np.argmax(np.abs(m))])
        return None

    def _make_solver(self, preset: str):
        from kinetics.solvers.linear import LinearSolver, amg_defaults
        cell = self.device.mesh.topology.cell_name()
        rtol = {} if preset == "direct" else {"ksp_rtol": self.ITERATIVE_RTOL}
        solver = LinearSolver(self.device.comm, preset,
                              {**rtol, **amg_defaults(preset, cell, self.degree),
                               **self.petsc_options})
        solver.set_block_hints(rotated=True, frame=self._frame())
        return solver

    def solve(self) -> "CircuitSolution":
        """Assemble (once) and solve with the checked solver of :attr:`solver_preset`.

        Raises
        ------
        kinetics.solvers.linear.SolverError
            If the solve fails (with ``solver="auto"``: also with MUMPS).
        """
        from kinetics.solvers.linear import SolverError
        from kinetics.solvers.system import BlockLinearProblem
        rf = self.fields
        if self._linear is None:
            self._linear = BlockLinearProblem(
                self.a_form, self.bcs, [rf.space(d) for d in rf.names],
                solver=self._make_solver(self.solver_preset),
                names=[f"u_{d}" for d in rf.names], block_size=4,
                recycle=self.reuse == "auto")
        try:
            u = self._linear.solve(self.L_form)
        except SolverError as exc:
            if not (self._auto_preset and self.solver_preset != "direct"
                    and self.num_dofs <= self.AUTO_FALLBACK_LIMIT):
                raise
            self._linear.solver.destroy()
            self.solver_preset = "direct"
            self._linear.solver = direct_fallback(self.device.comm, self.num_dofs, exc.reason,
                                                  self.petsc_options)
            self._linear.recycler = None
            self._linear.solver.set_operator(self._linear.A)
            u = self._linear.solve(self.L_form)
        return CircuitSolution(self, dict(zip(rf.names, u)))


# the solution and its observables live in circuit_results (re-exported here)
from kinetics.models.circuit_results import (CircuitSolution, contact_current,  # noqa: E402
                                             facet_average, interface_current,
                                             nonlocal_resistance, resistance_area)
