"""Spin pumping into a device from magnets with prescribed dynamics: quasi-static FEM driver.

:class:`PumpingProblem` wraps a :class:`kinetics.models.spin_charge.SpinChargeProblem` whose HM|FI
interfaces carry a time-dependent m(t, x) and the pumped source of
:mod:`kinetics.physics.pumping`:

    n·j_s = 𝐆(m) μ_s − (ħ/e)(G_r m×ṁ + G_i ṁ)

The metal is quasi-static (ωτ_sf ≪ 1, see :mod:`kinetics.physics.pumping`), so each instant
is the steady, real, linear problem of the core with the current m(t).  Two routes:

``periodic(samples)``
    Solves N instants t_k = kT/N of one period and averages them.  This is exact in the
    quasi-static limit for any periodic m(t, x), any cone angle and θ_SH, at the cost of one
    factorization per instant.  It gives the DC (:attr:`PeriodicResponse.dc`) and harmonic
    amplitudes by discrete Fourier transform.  The trapezoidal rule is spectrally accurate
    for smooth periodic integrands.
``linear_response()``
    Small cone angle, uniform precession (:class:`~kinetics.physics.pumping.Precession`).
    The operator is frozen at 𝐆(m₀), m₀ the precession axis.  The first-harmonic source
    (ħ/e)(G_r (m×ṁ)₁ + G_i ṁ₁) is complex.  Re and Im are two right-hand sides of the same
    real matrix, one factorization.  The DC source is ⟨j_pump⟩ = (ħ/e) G_r ω sin²θ_c â (the
    G_i ṁ term averages to zero) minus the rectified backflow ⟨δ𝐆 μ₁⟩.  Here
    δ𝐆μ = −G_r[(m₁·μ)m₀ + (m₀·μ)m₁] − G_i m₁×μ is the conductance modulation, and
    ⟨δ𝐆 μ₁⟩ = ½ Re[δ𝐆(m̂₁) μ̂₁*].  This DC is exact to O(θ_c²).

Floating contacts: a :class:`~kinetics.physics.boundaries.Contact` named in ``floating`` is
an equipotential electrode that draws no net current, i.e. an ideal voltmeter pad.  Its
potential is found by superposition with the same factorization: u = u_p + Σ_c V_c u_c,
where u_c has unit potential on contact c.  V_c makes the consistent flux through every
floating contact vanish.  The ISHE voltage of a strip is then exact even when the strip is
short, unlike a FloatingProbe (an insulating face).

Caveat: the averaged and harmonic :class:`~kinetics.models.spin_charge.Solution` objects are fine for
observables that are linear in u.  These are potentials, contact currents, μ_s, j_c and
region averages.  :func:`kinetics.observables.interface_absorption` uses the *current* m and
omits j_pump.  Use :meth:`PeriodicResponse.spin_current_into_metal` instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np

from kinetics import validation
from kinetics.physics import boundaries as bc
from kinetics.physics.pumping import HBAR_OVER_E, MagnetizationFunction, Precession
from kinetics.models.spin_charge import Solution, SpinChargeProblem
from kinetics.models.pumping_results import LinearResponse, PeriodicResponse

__all__ = ["PumpingProblem", "PeriodicResponse", "LinearResponse", "MAX_SAMPLES"]

#: most instants per period of :meth:`PumpingProblem.periodic` (each is one solve)
MAX_SAMPLES = 4096


def _mixing(mu, m, G_r, G_i):
    import ufl
    return G_r * (mu - ufl.dot(m, mu) * m) - G_i * ufl.cross(m, mu)


class _Engine:
    """Solves a SpinChargeProblem's operator for its right-hand side and makes floating
    contacts current-free by superposition (module docstring), through the problem's own
    assembly and checked solver (presets and block preconditioner included)."""

    def __init__(self, problem: SpinChargeProblem, floating: Sequence[str]):
        import ufl
        from dolfinx import fem
        self.problem = problem
        problem.reuse = "none"        # each instant: a fresh operator and factorization
        self.floating = list(floating)
        W = problem.W
        dev = problem.device
        fdim = dev.dim - 1
        self.work = fem.Function(W)
        if self.floating:         # forms of the consistent fluxes: compiled only when needed
            Au = ufl.action(problem.a_ufl, self.work)
            self.Au_form = fem.form(Au)
            self.residual_form = fem.form(Au - problem.L_ufl)
        # Dirichlet data of every contact, to rebuild with unit values for the floating ones
        self._contact_dofs = {}
        for cond in problem.boundaries:
            if isinstance(cond, bc.Contact):
                facets = dev.facet_tags.find(dev.boundary_tag(cond.name))
                comps = (0, 1, 2, 3) if cond.spin == "reservoir" else (0,)
                self._contact_dofs[cond.name] = {
                    c: fem.locate_dofs_topological(W.sub(c), fdim, facets) for c in comps}
        n_owned = W.dofmap.index_map.size_local * W.dofmap.index_map_bs
        self._owned0 = {name: d[0][d[0] < n_owned] for name, d in self._contact_dofs.items()}
        self._unit_bcs = {}
        for name in self.floating:
            bcs = []
            for other, dofs in self._contact_dofs.items():
                for c, dd in dofs.items():
                    val = 1.0 if (other == name and c == 0) else 0.0
                    bcs.append(fem.dirichletbc(np.float64(val), dd, W.sub(c)))
            self._unit_bcs[name] = bcs

    def assemble(self):
        """The operator depends on the time through m(t): re-assemble at the next solve."""
        self.problem.operator_changed()

    def _solve(self, bcs=None, source: bool = True):
        b = self.problem.rhs(bcs, source=source)
        try:
            return self.problem.solve_vector(b)
        finally:
            b.destroy()

    def _currents(self, u, sources: bool = True) -> np.ndarray:
        """Σ over each floating contact's potential dofs of the residual A u − L (or A u
        without the sources): the consistent fluxes."""
        from dolfinx.fem import petsc as fpetsc
        from mpi4py import MPI
        from petsc4py import PETSc
        self.work.x.array[:] = u.x.array
        r = fpetsc.assemble_vector(self.residual_form if sources else self.Au_form)
        r.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        arr = r.getArray(readonly=True)
        local = np.array([arr[self._owned0[n]].sum() for n in self.floating])
        r.destroy()
        return self.problem.device.comm.allreduce(local, op=MPI.SUM)

    def solve(self):
        """(u, {floating contact: potential}) for the current right-hand side."""
        u = self._solve()
        if not self.floating:
            return u, {}
        units = [self._solve(self._unit_bcs[n], source=False) for n in self.floating]
        I_p = self._currents(u)
        M = np.column_stack([self._currents(uc, sources=False) for uc in units])
        V = np.linalg.solve(M, -I_p)
        for Vc, uc in zip(V, units):
            u.x.array[:] += Vc * uc.x.array
        return u, dict(zip(self.floating, V.tolist()))


class PumpingProblem:
    """Spin pumping from HM|FI interfaces with prescribed magnetization dynamics.

    Parameters
    ----------
    device, materials, boundaries, degree, solver, petsc_options:
        As for :class:`kinetics.models.spin_charge.SpinChargeProblem`.  Every interface named in
        ``dynamics`` must be a :class:`~kinetics.physics.boundaries.MagneticInterface`.
        Its G_r, G_i, G_s, rotation and Γ_loss are used; its ``m`` is replaced and its
        ``pumping`` must be None.
    dynamics:
        Interface name -> :class:`~kinetics.physics.pumping.Precession` or
        :class:`~kinetics.physics.pumping.MagnetizationFunction`.  With a ``rotation`` R the
        electrons see m̃ = R m, and both backflow and pumping use m̃.
    floating:
        Names of Contacts that are floating electrodes: equipotential, zero net current
        (see the module docstring).  At least one Contact must stay fixed.
    backflow:
        True (default): the full condition (1) of :mod:`kinetics.physics.pumping`.  False:
        n·j_s = −j_pump, as if μ_s = 0 at the interface (a perfect spin sink, no backflow).

    Raises
    ------
    TypeError
        ``dynamics`` that is not a mapping, ``floating`` that is not a list of names,
        ``backflow`` that is not a bool.
    ValueError
        An interface in ``dynamics`` that is not a MagneticInterface of ``boundaries`` or
        already has a ``pumping``; a dynamics object of the wrong type; a floating name that
        is not a Contact; every contact floating.  Plus the errors of SpinChargeProblem.
    """

    def __init__(self, device, materials, boundaries, dynamics: Mapping, *,
                 floating: Sequence[str] = (), backflow: bool = True, degree: int = 1,
                 solver: str = "auto", petsc_options: dict | None = None):
        from dolfinx import fem
        owner = "PumpingProblem"
        if not isinstance(dynamics, Mapping):
            raise TypeError(f"{owner}: dynamics must be a mapping interface name -> Precession "
                            f"or MagnetizationFunction, got {type(dynamics).__name__}")
        if isinstance(floating, str) or not isinstance(floating, Sequence):
            raise TypeError(f"{owner}: floating must be a list of contact names, got {floating!r}")
        floating = [validation.text(owner, "floating[]", f) for f in floating]
        backflow = validation.boolean(owner, "backflow", backflow)
        if isinstance(boundaries, (str, Mapping)) or not isinstance(boundaries, Sequence):
            raise TypeError(f"{owner}: boundaries must be a list of conditions, "
                            f"got {type(boundaries).__name__}")
        by_name = {getattr(c, "name", None): c for c in boundaries}
        if not dynamics:
            raise ValueError("dynamics is empty: give {interface name: Precession(...)}")
        for name, dyn in dynamics.items():
            cond = by_name.get(name)
            if not isinstance(cond, bc.MagneticInterface):
                raise ValueError(f"dynamics: '{name}' must name a MagneticInterface in boundaries; "
                                 f"magnetic interfaces: {[c.name for c in boundaries if isinstance(c, bc.MagneticInterface)]}")
            if cond.pumping is not None:
                raise ValueError(f"interface '{name}': pumping is computed from its dynamics; "
                                 f"leave MagneticInterface.pumping = None")
            if not isinstance(dyn, (Precession, MagnetizationFunction)):
                raise ValueError(f"dynamics['{name}'] must be a Precession or MagnetizationFunction, "
                                 f"got {type(dyn).__name__}")
        contacts = [c.name for c in boundaries if isinstance(c, bc.Contact)]
        for name in floating:
            if name not in contacts:
                raise ValueError(f"floating contact '{name}' is not a Contact; contacts: {contacts}")
        if floating and set(floating) >= set(contacts):
            raise ValueError("every contact is floating: keep at least one Contact at a fixed potential")
        self.device = device
        self.dynamics = dict(dynamics)
        self.backflow = bool(backflow)
        self.floating = list(floating)
        self.t = fem.Constant(device.mesh, np.float64(0.0))
        self._conditions = {name: by_name[name] for name in dynamics}
        # uniform precession: m(t), ṁ(t) are runtime Constants (no recompilation when ω, θ_c
        # or the axis change); general m(t, x) is a UFL expression of the Constant t
        self._uniform = {name: (fem.Constant(device.mesh, np.zeros(3)), fem.Constant(device.mesh, np.zeros(3)))
                         for name, dyn in dynamics.items() if isinstance(dyn, Precession)}
        self._G = {name: (fem.Constant(device.mesh, np.float64(c.G_r)), fem.Constant(device.mesh, np.float64(c.G_i)))
                   for name, c in self._conditions.items()}
        new = [self._pumped_condition(c) if c.name in dynamics else c for c in boundaries]
        self.problem = SpinChargeProblem(device, materials, new, degree=degree, solver=solver,
                                         petsc_options=petsc_options)
        self._engine = None
        self._boundaries = list(boundaries)
        self._materials = dict(materials)
        self._options = {"degree": degree, "solver": solver, "petsc_options": petsc_options}
        self._linear = None
        self._inflow_forms = {}

    # ------------------------------------------------------------------ set-up
    def _m(self, name, x):
        """(m, ṁ) of interface ``name`` as UFL (before the rotation R)."""
        if name in self._uniform:
            return self._uniform[name]
        return self.dynamics[name].ufl(self.t, x)

    def _set_time(self, t: float):
        self.t.value = float(t)
        for name, (m, md) in self._uniform.items():
            m.value[:] = self.dynamics[name].m(t)
            md.value[:] = self.dynamics[name].mdot(t)

    def _m_tilde(self, name, x):
        import ufl
        cond = self._conditions[name]
        m, md = self._m(name, x)
        if cond.rotation is not None:
            R = ufl.as_matrix(cond.rotation.tolist())
            m, md = R * m, R * md
        return m, md

    def _pumped_condition(self, cond):
        name = cond.name

        def m_of_x(x):
            return self._m(name, x)[0]

        def pump_of_x(x):
            import ufl
            m, md = self._m_tilde(name, x)
            G_r, G_i = self._G[name]
            return HBAR_OVER_E * (G_r * ufl.cross(m, md) + G_i * md)

        G = {} if self.backflow else {"G_r": 0.0, "G_i": 0.0, "G_s": 0.0, "Gamma_loss": None}
        return dataclasses.replace(cond, m=m_of_x, pumping=pump_of_x, **G)

    @property
    def engine(self) -> _Engine:
        if self._engine is None:
            self._engine = _Engine(self.problem, self.floating)
        return self._engine

    def period(self) -> float:
        """The common period of all dynamics (s).

        Raises
        ------
        ValueError
            If a dynamics has no period or the periods differ.
        """
        periods = {name: getattr(d, "period", None) for name, d in self.dynamics.items()}
        if any(p is None for p in periods.values()):
            raise ValueError(f"a periodic average needs every dynamics to have a period; got {periods}")
        vals = list(periods.values())
        if not np.allclose(vals, vals[0], rtol=1e-12):
            raise ValueError(f"the interfaces have different periods {periods}; "
                             f"use a MagnetizationFunction with the common period")
        return float(vals[0])

    # ------------------------------------------------------------------ solves
    def solve(self, t: float) -> tuple[Solution, dict]:
        """The quasi-static solution at time ``t`` (s).

        Returns
        -------
        (Solution, {floating contact: potential in volts})

        Raises
        ------
        TypeError
            For a t that is not a number.
        kinetics.validation.ValidationError
            For a t that is not finite.
        kinetics.solvers.linear.SolverError
            If PETSc fails.
        """
        t = validation.finite("PumpingProblem.solve", "t", t, kind="a number (seconds)")
        self._set_time(t)
        self.engine.assemble()
        u, V = self.engine.solve()
        return Solution(self.problem, u), V

    def periodic(self, samples: int = 16) -> "PeriodicResponse":
        """Solve ``samples`` instants t_k = kT/N of one period (quasi-static, exact in the
        cone angle).  N >= 4; 8-16 is enough for uniform precession (spectral accuracy).

        Raises
        ------
        kinetics.validation.ValidationError
            (a ValueError) For N that is not an integer in [4, :data:`MAX_SAMPLES`].
        ValueError
            For dynamics without a common period.
        """
        samples = validation.integer("PumpingProblem.periodic", "samples", samples, 4,
                                     MAX_SAMPLES)
        T = self.period()
        times = np.arange(samples) * T / samples
        us, Vs, inflow = [], [], {name: [] for name in self.dynamics}
        for t in times:
            sol, V = self.solve(t)
            us.append(sol.u)
            Vs.append(V)
            for name in self.dynamics:
                inflow[name].append(self._inflow(name, sol.u))
        return PeriodicResponse(self, times, T, us, Vs, inflow)

    def _inflow(self, name: str, u) -> np.ndarray:
        """∫ (j_pump − 𝐆μ_s) dA over interface ``name`` at the current t: spin current into
        the metal, shape (3,), A (A/m in a 2D cross-section)."""
        import ufl
        from dolfinx import fem
        from mpi4py import MPI
        p = self.problem
        if name not in self._inflow_forms:
            work = fem.Function(p.W)
            mu = ufl.as_vector([work[1], work[2], work[3]])
            cond = self._conditions[name]
            m, md = self._m_tilde(name, p.x_si)
            G_r, G_i = self._G[name]
            j = HBAR_OVER_E * (G_r * ufl.cross(m, md) + G_i * md)
            if self.backflow:
                j = j - _mixing(mu, m, G_r, G_i) - cond.G_s * mu
                if cond.Gamma_loss is not None:
                    j = j - ufl.dot(ufl.as_matrix(cond.Gamma_loss.tolist()), mu)
            ds = p.ds(p.device.boundary_tag(name))
            self._inflow_forms[name] = (work, [fem.form(j[a] * ds) for a in range(3)])
        work, forms = self._inflow_forms[name]
        work.x.array[:] = u.x.array
        scale = p.scaling.area
        return np.array([p.device.comm.allreduce(fem.assemble_scalar(f), op=MPI.SUM)
                         for f in forms]) * scale

    # ------------------------------------------------------------------ linear response
    def linear_response(self) -> "LinearResponse":
        """First-harmonic and DC response of uniform precession to second order in θ_c, with
        the operator frozen at 𝐆(m₀) (module docstring): one real factorization for the DC,
        Re and Im.

        Raises
        ------
        ValueError
            If some dynamics is not a :class:`Precession`, or the precessions have different
            frequencies.
        """
        import ufl
        from dolfinx import fem
        precs = self.dynamics
        if not all(isinstance(d, Precession) for d in precs.values()):
            raise ValueError("linear_response needs Precession dynamics on every interface; "
                             "use periodic() for general m(t, x)")
        omegas = {abs(d.omega) for d in precs.values()}
        if len(omegas) != 1:
            raise ValueError(f"linear_response needs one frequency, got {sorted(omegas)}")
        p0 = self.problem
        msh = self.device.mesh
        Q = fem.functionspace(msh, ("Lagrange", p0.degree, (3,)))
        src = {name: fem.Function(Q, name=f"j_src_{name}") for name in precs}
        conds = []
        for c in self._boundaries:
            if c.name in precs:
                G = {} if self.backflow else {"G_r": 0.0, "G_i": 0.0, "G_s": 0.0, "Gamma_loss": None}
                c = dataclasses.replace(c, m=np.array(precs[c.name].axis),
                                        pumping=(lambda x, f=src[c.name]: f), **G)
            conds.append(c)
        problem = SpinChargeProblem(self.device, self._materials, conds, **self._options)
        engine = _Engine(problem, self.floating)
        engine.assemble()
        bs = Q.dofmap.index_map_bs
        n = Q.dofmap.index_map.size_local + Q.dofmap.index_map.num_ghosts

        def set_uniform(values: dict):
            for name, v in values.items():
                src[name].x.array[:] = np.tile(np.asarray(v, dtype=float), n)[: n * bs]

        def rotated(name, v):
            R = self._conditions[name].rotation
            return v if R is None else R @ v

        harm = {name: d.harmonics() for name, d in precs.items()}
        j1 = {}
        for name, h in harm.items():
            c = self._conditions[name]
            j1[name] = HBAR_OVER_E * (c.G_r * rotated(name, h["mxmdot1"]) + c.G_i * rotated(name, h["mdot1"]))
        out = {}
        for part in ("re", "im"):
            set_uniform({name: getattr(v, "real" if part == "re" else "imag") for name, v in j1.items()})
            out[part] = engine.solve()
        # DC: ⟨j_pump⟩ minus the rectified backflow ½ Re[δ𝐆(m̂₁) μ̂₁*]
        mu_r = ufl.as_vector([out["re"][0][i] for i in (1, 2, 3)])
        mu_i = ufl.as_vector([out["im"][0][i] for i in (1, 2, 3)])
        for name, h in harm.items():
            c = self._conditions[name]
            m0 = ufl.as_vector(rotated(name, np.array(precs[name].axis)).tolist())
            jdc = HBAR_OVER_E * c.G_r * rotated(name, h["mxmdot0"].real)
            expr = ufl.as_vector(jdc.tolist())
            if self.backflow:
                for mu, m1 in ((mu_r, rotated(name, h["m1"].real)), (mu_i, rotated(name, h["m1"].imag))):
                    m1 = ufl.as_vector(m1.tolist())
                    dG = -c.G_r * (ufl.dot(m1, mu) * m0 + ufl.dot(m0, mu) * m1) - c.G_i * ufl.cross(m1, mu)
                    expr = expr - 0.5 * dG
            src[name].interpolate(fem.Expression(expr, Q.element.interpolation_points()))
        out["dc"] = engine.solve()
        self._linear = problem
        return LinearResponse(problem, out)
