"""The steady spin-charge problem: device + materials + boundary conditions -> PETSc solve.

:class:`SpinChargeProblem` assembles the weak form of :mod:`kinetics.physics.spin_charge`
region by region (each region integrates its own material's coefficients over its cells,
so jumps of σ, θ_SH, κ, λ_sf and A between regions are handled by the natural flux
continuity of the weak form) and adds the boundary conditions of
:mod:`kinetics.physics.boundaries`.

Unknowns: one Lagrange space of degree 1 or 2 with 4 interleaved components
``u = (V, μ_x, μ_y, μ_z)`` (volts), so the assembled matrix has block size 4.

Internal units
--------------
The forms are written in mesh coordinates (``Device.length_unit`` = L metres per unit) and
divided by σ0 (the largest constant conductivity) and L^(d−2), so matrix entries are O(1)
whatever the units of the mesh:

    σ̂ = σ/σ0,   (L/λ_sf)²,   Â = A L,   Ĝ = G L/σ0,   ĵ_n = j_n L/σ0  (volts).

The discrete problem is the SI problem multiplied by 1/(σ0 L^(d−2)); observables convert
back (:mod:`kinetics.observables`).  Results do not depend on the mesh unit (tested).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence

import numpy as np

from kinetics.materials import LIBRARY, Material
from kinetics.physics import boundaries as bc
from kinetics.physics.spin_charge import BulkCoefficients, bulk_form, interface_spin_outflow
from kinetics.solvers import assembly
from kinetics.solvers.jit import jit_options
from kinetics.solvers.linear import LinearSolver, SolverError, amg_defaults, choose_preset

__all__ = ["SpinChargeProblem", "Solution"]


class SpinChargeProblem:
    """Steady SU(2)-covariant spin-charge drift-diffusion on a device.

    Parameters
    ----------
    device:
        A :class:`kinetics.device.Device`.
    materials:
        Region name -> :class:`kinetics.materials.Material`; every region of the device
        needs one.
    boundaries:
        Boundary conditions (:mod:`kinetics.physics.boundaries`) on named facets.  Boundary
        facets without a condition are insulating.  At least one :class:`Contact` must fix
        the potential.
    degree:
        Lagrange degree of V and μ_s (1 or 2).
    solver:
        ``"auto"`` (by size and dimension), ``"direct"``, ``"iterative"`` or
        ``"fieldsplit"`` (:mod:`kinetics.solvers.linear`).  After construction, ``reuse``
        (:attr:`REUSE_MODES`) and ``matrix_type`` (:attr:`MATRIX_TYPES`) tune sweeps and
        the operator format.
    petsc_options:
        PETSc options overriding the preset.

    Raises
    ------
    KeyError
        Unknown region or boundary name (the message lists the known ones).
    ValueError
        A region without material, a boundary named twice, a condition on facets that the
        mesh lacks or that are interior, a HM|FI or contact on interior facets, no contact
        fixing the potential, an unsupported degree.
    TypeError
        A material that is not a :class:`Material` or a condition of an unknown type.
    """

    def __init__(self, device, materials: Mapping[str, Material],
                 boundaries: Sequence[bc.Boundary] = (), *, degree: int = 1,
                 solver: str = "auto", petsc_options: dict | None = None):
        self.device = device
        self.materials = dict(materials)
        self.boundaries = list(boundaries)
        self.degree = int(degree)
        self._validate()
        self._build_spaces()
        self._build_forms()
        n_dofs = self.W.dofmap.index_map.size_global * 4
        self.solver_preset = choose_preset(solver, n_dofs, device.dim)
        self._auto_preset = solver == "auto"
        self.petsc_options = dict(petsc_options or {})
        self._solver = None
        self._A = None
        self._operator_dirty = True
        self.reuse = "auto"
        self.matrix_type = "auto"
        self._blocks = None          # scalar charge/spin blocks for the preconditioner
        self._interface = None       # Robin (HM|FI) part B of the operator, see _assemble_operator
        self._recycler = None
        from ufl.algorithms.analysis import extract_constants
        ms = [id(e["m"]) for e in self._magnets.values()]     # does b depend on m?
        self._rhs_depends_on_m = any(id(c) in ms for c in extract_constants(self.L_ufl))
        self._rhs = assembly.RightHandSide(self.L_ufl, self.L_form, self.a_form, self.bcs,
                                           self._interface_form)
        self.timings = {"assemble": 0.0, "interface": 0.0, "setup": 0.0, "solve": 0.0,
                        "rhs": 0.0}

    # ------------------------------------------------------------------ validation
    def _validate(self):
        dev = self.device
        if self.degree not in (1, 2, 3):
            raise ValueError(f"degree must be 1, 2 or 3, got {self.degree}")
        for name, mat in self.materials.items():
            dev.region_tag(name)  # KeyError listing the regions
            if not isinstance(mat, Material):
                raise TypeError(f"region '{name}': expected a kinetics.materials.Material, "
                                f"got {type(mat).__name__}")
        missing = [r for r in dev.regions if r not in self.materials]
        if missing:
            raise ValueError(f"region(s) {missing} have no material; assign one, e.g. "
                             f"materials={{'{missing[0]}': kinetics.materials.get('Pt')}}; "
                             f"library: {', '.join(sorted(LIBRARY))}")
        seen = set()
        for cond in self.boundaries:
            if not isinstance(cond, bc.Boundary):
                raise TypeError(f"boundary conditions must be kinetics.physics.boundaries "
                                f"objects, got {cond!r}")
            if cond.name in seen:
                raise ValueError(f"boundary '{cond.name}' has more than one condition")
            seen.add(cond.name)
            dev.boundary_tag(cond.name)  # KeyError listing the names
            if dev.facet_count(cond.name) == 0:
                raise ValueError(f"the mesh has no facets tagged '{cond.name}' (tag "
                                 f"{dev.boundary_tag(cond.name)}); the named interface is missing")
            if self._interior_facet_count(cond.name) > 0:
                raise ValueError(f"{cond.kind} '{cond.name}' lies (partly) on interior facets; "
                                 f"it must be an outer boundary of the meshed metal")
        if not any(isinstance(c, bc.Contact) for c in self.boundaries):
            raise ValueError("no Contact fixes the potential: add e.g. Contact('ground', V=0.0) "
                             "(a current contact alone leaves V undetermined)")

    def _interior_facet_count(self, name: str) -> int:
        from dolfinx import mesh as dmesh
        from mpi4py import MPI
        msh = self.device.mesh
        fdim = msh.topology.dim - 1
        msh.topology.create_connectivity(fdim, fdim + 1)
        exterior = dmesh.exterior_facet_indices(msh.topology)
        facets = self.device.facet_tags.find(self.device.boundary_tag(name))
        n_owned = msh.topology.index_map(fdim).size_local
        facets = facets[facets < n_owned]
        bad = int(np.count_nonzero(~np.isin(facets, exterior)))
        return msh.comm.allreduce(bad, op=MPI.SUM)

    # ------------------------------------------------------------------ spaces & forms
    def _build_spaces(self):
        import ufl
        from dolfinx import fem
        from mpi4py import MPI
        dev = self.device
        msh = dev.mesh
        self.W = fem.functionspace(msh, ("Lagrange", self.degree, (4,)))
        self.L = dev.length_unit
        constant_sigmas = [m.sigma for m in self.materials.values() if not callable(m.sigma)]
        self.sigma0 = max(constant_sigmas) if constant_sigmas else 1.0
        self.sigma0 = msh.comm.allreduce(self.sigma0, op=MPI.MAX)
        x = ufl.SpatialCoordinate(msh)
        self.x_si = ufl.as_vector([self.L * x[dev.axes.index(a)] if a in dev.axes else 0.0
                                   for a in "xyz"])
        self.dx = ufl.Measure("dx", domain=msh, subdomain_data=dev.cell_tags)
        self.ds = ufl.Measure("ds", domain=msh, subdomain_data=dev.facet_tags)

    def _constant(self, value):
        from dolfinx import fem
        return fem.Constant(self.device.mesh, np.asarray(value, dtype=np.float64))

    def _scaled(self, value, scale):
        """A material parameter (number or callable of x in metres) times ``scale``."""
        if callable(value):
            return value(self.x_si) * scale
        return self._constant(float(value) * scale)

    def coefficients(self, region: str) -> BulkCoefficients:
        """Internal-unit coefficients of ``region`` (see the module docstring)."""
        return self._coefs[region]

    def _region_coefficients(self, mat: Material) -> BulkCoefficients:
        import ufl
        L = self.L
        lam = mat.lambda_sf
        if callable(lam):
            inv_l2 = (L / lam(self.x_si)) ** 2
        else:
            inv_l2 = self._constant(0.0 if math.isinf(lam) else (L / lam) ** 2)
        A = mat.gauge_field
        if A is None:
            A_hat = None
        elif callable(A):
            A_hat = ufl.as_matrix(A(self.x_si)) * L
        else:
            A_hat = self._constant(np.asarray(A) * L)
        return BulkCoefficients(sigma=self._scaled(mat.sigma, 1.0 / self.sigma0),
                                inv_lambda2=inv_l2,
                                theta=self._scaled(mat.theta_sh, 1.0),
                                kappa=self._scaled(mat.kappa, 1.0), A=A_hat)

    def _build_forms(self):
        import ufl
        from dolfinx import fem
        dev = self.device
        axes = dev.axes
        u = ufl.TrialFunction(self.W)
        t = ufl.TestFunction(self.W)
        V, mu = u[0], ufl.as_vector([u[1], u[2], u[3]])
        v, w = t[0], ufl.as_vector([t[1], t[2], t[3]])
        self._coefs = {}
        a = None
        for name, mat in self.materials.items():
            coef = self._region_coefficients(mat)
            self._coefs[name] = coef
            term = bulk_form(V, mu, v, w, coef, axes, self.dx(dev.region_tag(name)))
            a = term if a is None else a + term
        rhs = ufl.inner(self._constant(0.0), v) * self.dx
        scale_G = self.L / self.sigma0
        self.bcs = []
        self._dirichlet_facets = {"charge": [], "spin": []}
        self._magnets: dict[str, dict] = {}
        fdim = dev.dim - 1
        for cond in self.boundaries:
            tag = dev.boundary_tag(cond.name)
            ds = self.ds(tag)
            if isinstance(cond, bc.MagneticInterface):
                m = self._magnetization(cond)
                R = None if cond.rotation is None else self._constant(cond.rotation)
                mt = m if R is None else ufl.dot(R, m)
                G_r = self._constant(cond.G_r * scale_G)
                G_i = self._constant(cond.G_i * scale_G)
                G_s = self._constant(cond.G_s * scale_G)
                Gamma = None if cond.Gamma_loss is None else \
                    self._constant(np.asarray(cond.Gamma_loss) * scale_G)
                a = a + ufl.inner(interface_spin_outflow(mu, mt, G_r, G_s, G_i, Gamma), w) * ds
                jp = None
                if cond.pumping is not None:
                    jp = scale_G * (cond.pumping(self.x_si) if callable(cond.pumping)
                                    else self._constant(cond.pumping))
                    rhs = rhs + ufl.inner(jp, w) * ds
                self._magnets[cond.name] = {"m": m, "m_tilde": mt, "G_r": G_r, "G_i": G_i,
                                            "G_s": G_s, "Gamma": Gamma, "j_pump": jp,
                                            "condition": cond}
            elif isinstance(cond, bc.SpinInjection):
                rhs = rhs + scale_G * ufl.inner(self._constant(cond.j_s), w) * ds
            elif isinstance(cond, bc.CurrentContact):
                area = dev.area(cond.name)  # SI
                j_in = cond.current / area
                rhs = rhs + (j_in * self.L / self.sigma0) * v * ds
            elif isinstance(cond, bc.Contact):
                facets = dev.facet_tags.find(tag)
                dofs = fem.locate_dofs_topological(self.W.sub(0), fdim, facets)
                self.bcs.append(fem.dirichletbc(np.float64(cond.V), dofs, self.W.sub(0)))
                self._dirichlet_facets["charge"].append(facets)
                if cond.spin == "reservoir":
                    self._dirichlet_facets["spin"].append(facets)
                    for c in (1, 2, 3):
                        dofs_c = fem.locate_dofs_topological(self.W.sub(c), fdim, facets)
                        self.bcs.append(fem.dirichletbc(np.float64(0.0), dofs_c, self.W.sub(c)))
            # Insulator and FloatingProbe: natural conditions, nothing to add
        self._dirichlet_facets = {k: np.unique(np.concatenate(v)).astype(np.int32) if v else
                                  np.zeros(0, dtype=np.int32)
                                  for k, v in self._dirichlet_facets.items()}
        self.a_ufl, self.L_ufl = a, rhs
        self.a_form = fem.form(a, jit_options=jit_options())
        self.L_form = fem.form(rhs, jit_options=jit_options())

    def _magnetization(self, cond: bc.MagneticInterface):
        m = cond.m
        if callable(m):
            return m(self.x_si)
        if hasattr(m, "function_space"):
            return m
        return self._constant(np.asarray(m, dtype=float))

    # ------------------------------------------------------------------ updates
    def condition(self, name: str) -> bc.Boundary:
        """The boundary condition on ``name``.

        Raises
        ------
        KeyError
            If no condition is set on that name.
        """
        for cond in self.boundaries:
            if cond.name == name:
                return cond
        raise KeyError(f"no boundary condition on '{name}'; conditions: "
                       f"{', '.join(c.name for c in self.boundaries)}")

    def set_magnetization(self, name: str, m) -> None:
        """Set a uniform magnetization direction on the HM|FI interface ``name``.

        No recompilation: the constant is updated and the operator is reassembled on the next
        :meth:`solve` (the way SMR angular scans are run).

        Raises
        ------
        KeyError
            If ``name`` is not a :class:`MagneticInterface` of this problem.
        ValueError
            If |m| != 1, or if the interface was built with a non-uniform m.
        """
        if name not in self._magnets:
            raise KeyError(f"'{name}' is not a magnetic interface of this problem; magnetic "
                           f"interfaces: {', '.join(self._magnets) or '(none)'}")
        entry = self._magnets[name]
        m_new = bc.unit_vector(f"interface '{name}'", m)
        if not hasattr(entry["m"], "value"):
            raise ValueError(f"interface '{name}' has a spatially varying magnetization; "
                             f"build a new problem to change it")
        entry["m"].value[:] = m_new
        entry["condition"].m = m_new
        self._operator_dirty = True

    # ------------------------------------------------------------------ solve
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
            m = entry["m"]
            if not hasattr(m, "value"):
                return None
            v = np.asarray(m.value, dtype=float)
            cond = entry["condition"]
            if getattr(cond, "rotation", None) is not None:
                v = np.asarray(cond.rotation, dtype=float) @ v
            frames.append(v)
        if not frames or any(not np.allclose(f, frames[0], atol=1e-12) for f in frames[1:]):
            return None
        return frames[0]

    def _spin_isotropic(self) -> bool:
        """True when the bulk spin operator is the same for the three spin components."""
        for mat in self.materials.values():
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
                and all(hasattr(e["m"], "value") for e in self._magnets.values()))

    def _solver_options(self, preset) -> dict:
        cell = self.device.mesh.topology.cell_name()
        return {**amg_defaults(preset, cell, self.degree), **self.petsc_options}

    def _make_solver(self, preset):
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
            terms = [bulk_form(V, mu, v, w, coefs[name], axes,
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
        """
        from dolfinx.fem import petsc as fpetsc
        from petsc4py import PETSc
        t0 = time.perf_counter()
        first = self._A is None
        if not first and self._interface is not None and self.reuse != "none":
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
        return not first

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
        if self.reuse not in self.REUSE_MODES:
            raise ValueError(f"reuse must be one of {self.REUSE_MODES}, got {self.reuse!r}")
        changed = False
        if self._operator_dirty or self._A is None:
            changed = self._assemble_operator()
            if self._solver is None:
                self._solver = self._make_solver(self.solver_preset)
            elif changed:
                self._solver.update_frame(self._uniform_frame())
            self._solver.set_operator(self._A, keep_preconditioner=(
                changed and self.reuse == "auto"))
            self._operator_dirty = False
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
        setup0, solve0, asm0 = (self._solver.timings[k] for k in ("setup", "solve", "assembly"))
        try:
            self._solver.solve(b, x, nonzero_guess=guess)
        except SolverError:
            if not (self._auto_preset and self.solver_preset != "direct"
                    and self.num_dofs <= self.AUTO_FALLBACK_LIMIT):
                raise
            self._fallback_to_direct()
            setup0 = solve0 = asm0 = 0.0          # a new solver, with its own timings
            self._solver.solve(b, x)
        self.timings["setup"] += self._solver.timings["setup"] - setup0
        self.timings["assemble"] += self._solver.timings["assembly"] - asm0
        self.timings["solve"] += self._solver.timings["solve"] - solve0
        if recycle and not (guess and self._solver.iterations == 0):
            self._recycler.add(self._A, x)    # (a converged initial guess is in the span)
        uh.x.scatter_forward()
        return Solution(self, uh, iterations=self._solver.iterations)

    #: With ``solver="auto"``, a failed iterative solve is repeated with MUMPS up to this size.
    AUTO_FALLBACK_LIMIT = 400_000

    def _fallback_to_direct(self):
        import warnings
        warnings.warn(f"the iterative solver did not converge on this problem "
                      f"({self.num_dofs} unknowns); falling back to the direct solver (MUMPS)",
                      RuntimeWarning, stacklevel=3)
        self._solver.destroy()
        self.solver_preset = "direct"
        keep = ("mat_mumps", "pc_factor", "ksp_view", "ksp_monitor")
        self._solver = LinearSolver(self.device.comm, "direct",
                                    {k: v for k, v in self.petsc_options.items()
                                     if k.startswith(keep)})
        self._solver.set_operator(self._A)

    @property
    def solver(self):
        """The :class:`kinetics.solvers.linear.LinearSolver` (None before the first solve)."""
        return self._solver

    @property
    def num_dofs(self) -> int:
        """Global number of unknowns (4 per node)."""
        return self.W.dofmap.index_map.size_global * 4


class Solution:
    """The fields of a solved :class:`SpinChargeProblem`.

    Attributes
    ----------
    problem:
        The problem that produced it (its state when solved: the magnetizations are
        recorded in ``magnetizations``).
    u:
        The 4-component dolfinx Function (V, μ_x, μ_y, μ_z), volts.
    magnetizations:
        Interface name -> magnetization (3-vector) used, for uniform magnetizations.
    iterations:
        Linear-solver iterations.
    """

    def __init__(self, problem: SpinChargeProblem, u, iterations: int = 0):
        self.problem = problem
        self.u = u
        self.iterations = iterations
        self.magnetizations = {name: np.array(e["m"].value, dtype=float)
                               for name, e in problem._magnets.items() if hasattr(e["m"], "value")}

    @property
    def V(self):
        """Electrochemical potential (UFL expression of ``u``), volts."""
        return self.u[0]

    @property
    def mu_s(self):
        """Spin accumulation (UFL 3-vector of ``u``), volts."""
        import ufl
        return ufl.as_vector([self.u[1], self.u[2], self.u[3]])

    def collapse(self):
        """(V, μ_s) as separate dolfinx Functions on their own (collapsed) spaces."""
        V = self.u.sub(0).collapse()
        V.name = "V"
        Vm = self.u.function_space.mesh
        from dolfinx import fem
        Q = fem.functionspace(Vm, ("Lagrange", self.problem.degree, (3,)))
        mu = fem.Function(Q, name="mu_s")
        mu.interpolate(fem.Expression(self.mu_s, Q.element.interpolation_points()))
        return V, mu
