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
from collections.abc import Mapping, Sequence

import numpy as np

from kinetics.materials import LIBRARY, Material
from kinetics.physics import boundaries as bc
from kinetics.physics.spin_charge import BulkCoefficients, bulk_form, interface_spin_outflow
from kinetics.solve import LinearSolver, choose_preset

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
        ``"auto"``, ``"direct"`` or ``"iterative"`` (:mod:`kinetics.solve`).
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
        self.petsc_options = dict(petsc_options or {})
        self._solver = None
        self._A = None
        self._operator_dirty = True

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
                if cond.spin == "reservoir":
                    for c in (1, 2, 3):
                        dofs_c = fem.locate_dofs_topological(self.W.sub(c), fdim, facets)
                        self.bcs.append(fem.dirichletbc(np.float64(0.0), dofs_c, self.W.sub(c)))
            # Insulator and FloatingProbe: natural conditions, nothing to add
        self.a_ufl, self.L_ufl = a, rhs
        self.a_form = fem.form(a)
        self.L_form = fem.form(rhs)

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
    def solve(self) -> "Solution":
        """Assemble (if needed) and solve; return a :class:`Solution`.

        Raises
        ------
        kinetics.solve.SolverError
            If PETSc does not converge (with the reason and residual history).
        """
        from dolfinx import fem
        from dolfinx.fem import petsc as fpetsc
        from petsc4py import PETSc
        comm = self.device.comm
        if self._solver is None:
            self._solver = LinearSolver(comm, self.solver_preset, self.petsc_options)
        if self._operator_dirty or self._A is None:
            if self._A is not None:
                self._A.zeroEntries()
                fpetsc.assemble_matrix(self._A, self.a_form, bcs=self.bcs)
            else:
                self._A = fpetsc.assemble_matrix(self.a_form, bcs=self.bcs)
            self._A.assemble()
            self._solver.set_operator(self._A)
            self._operator_dirty = False
        b = fpetsc.assemble_vector(self.L_form)
        fpetsc.apply_lifting(b, [self.a_form], bcs=[self.bcs])
        b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        fpetsc.set_bc(b, self.bcs)
        uh = fem.Function(self.W, name="u")
        self._solver.solve(b, uh.x.petsc_vec)
        uh.x.scatter_forward()
        b.destroy()
        return Solution(self, uh, iterations=self._solver.iterations)

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
