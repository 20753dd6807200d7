"""Texture spin pumping that gives a voltage: the seed-002 charge response on a device with regions.

Takeuchi, Hosono & Tatara, PRB 81, 144405 (2010) (our identification of seed 002;
docs/references.md, notes in shared/notes/seed-002.md; design and limits in
docs/seed002_voltage.md).  :mod:`kinetics.models.texture` solves the paper's spin-pumping
diffusion with uniform parameters and E = 0, so it has no voltage.  This module takes the
period-averaged (DC) part of the same sources on a device whose regions carry their own
parameters (a textured ferromagnet beside a heavy metal), and feeds the spin-to-charge
conversion into a charge equation with a conductivity, contacts and open-circuit walls.

Units follow the drift-diffusion core (:mod:`kinetics.physics.spin_charge`): μ_s in volts,
spin currents in charge-current units (2e/ħ times the angular-momentum current), σ = 2e²νD
with ν the density of states per spin and volume (the paper's ν/V).  The seed-002 density
ρ_s (J·s/m³) is ρ_s = (ħνJ/V)S + (ħν e/2) μ_s.

Spin (DC of seed 002 Eqs. 12-13/A20-A21 with per-region D, ν and an optional spin-flip
length λ_sf; the Ṡ source and the ∇²S source average to zero over a period):

    −∇·((σ/2)∇μ_s) + (σ/2λ_sf²) μ_s = (2e/ħ) T^(dy),   T^(dy) = (2νJ²τ/V) ⟨S×Ṡ⟩_t        (Eq. 26)

with n·∇μ_s = 0 on walls (no spin current leaves; Eq. 9 with a reflecting wall) and μ_s = 0
on ``spin_reservoirs``.  The diffusive spin current is J[a, i] = −(σ/2)∂_i μ_s^a (Eq. 16
minus j^(sc): the equilibrium supercurrent (8) carries no dissipation and is not converted).
In one uniform region this is exactly the DC of :class:`kinetics.models.texture.TexturePumping`
(μ_s = 2 τ T^(dy)-average/(ħνe) with τ_sf = λ_sf²/D; tested).

Charge (∇·j_c = 0, B6; j_c = σE + j_conv, Eq. 18 with E kept):

    −∇·(σ∇φ) = −∇·j_conv,   n·(−σ∇φ + j_conv) = 0 on walls,   φ = 0 on contacts

φ is the electrochemical potential (the paper's −D∇ρ_c is its diffusion part), so a
voltmeter reads φ differences.  The conversion currents j_conv, each reported on its own:

``"diffusive"``
    θ_SH conversion of the diffusive spin current, j_c = −θ_SH ε:J = (θ_SH σ/2) ∇×μ_s: the
    σ_SH term of the paper's phenomenological Eq. (19), as in the drift-diffusion core and the
    interface pumping model (:mod:`kinetics.models.pumping`).  The paper argues (Sec. III B)
    that *impurity* SOC converts only the local current; θ_SH is the heavy metal's
    phenomenological spin Hall angle, kept separate from the paper's λ_so.
``"rashba"`` (local)
    a^R × T^(dy), a^R = −2eτE_so/ħ² (Eq. 25).  Its charge density ρ_c of Eqs. (26)-(27) is
    the response of the charge equation to this current (it is inside φ).
``"impurity"`` (local)
    a^imp ε:j_s^(local), a^imp = 2eλ_so k_F²/(ε_Fτ) (Eqs. 30-31), with the period average of
    j_s^(local) = (ħνJτD/V)(∇Ṡ − (2Jτ/ħ){∇(S×Ṡ) + S×∇Ṡ}).  It vanishes for uniform
    precession (Sec. III B).

Here (ε:J)_i = ε_ijα J[α, j] (flow × spin),
:func:`kinetics.physics.texture.conversion.flow_cross_spin`.  The conversion is one-way (first
order in θ_SH, E_so, λ_so): the spin Hall back-action of E on μ_s (O(θ_SH²)) is left out, as in
the paper, unless ``backaction=True`` (:mod:`kinetics.models.texture_backaction`: exact in
θ_SH, as the drift-diffusion core).  The Rashba and impurity terms act only where
the texture acts (J ≠ 0): the paper gives no ∇E_so or nonlocal terms.  Spin pumping back-flow
into the magnet is not in the paper's model (a volume source, no mixing conductance); with a
magnet without spin relaxation the whole pumped spin current enters the metal, the
no-backflow limit of the interface model.

The two contacts are equipotential facets, ``ground`` (φ = 0) and ``probe``.  Outputs
(:class:`VoltageResult`): the short-circuit current I_sc through the probe (both contacts at
φ = 0), the open-circuit voltage of a floating probe (an ideal voltmeter: equipotential, no
net current), V_oc = I_sc/G with G the two-contact conductance (Thevenin; exact by
linearity), per contribution and in total; the DC μ_s and a spin-balance check.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from kinetics import units, validation
from kinetics.models.texture_charge_regions import (CONTRIBUTIONS, ChargeRegion, VoltageResult,
                                                    open_circuit)
from kinetics.physics.texture import conversion as conv

__all__ = ["ChargeRegion", "TextureVoltage", "VoltageResult", "CONTRIBUTIONS", "MAX_SAMPLES"]

#: most time samples per period
MAX_SAMPLES = 4096


class TextureVoltage:
    """Period-averaged ISHE/Rashba voltage of a prescribed texture (module docstring).

    Parameters
    ----------
    device:
        :class:`kinetics.device.Device` (1D, 2D or 3D) with named regions and facets.
    regions:
        Region name -> :class:`ChargeRegion`, one for every region of the device.
    texture:
        :class:`~kinetics.physics.texture.sources.AnalyticTexture` or a periodic
        :class:`~kinetics.physics.texture.sources.SampledTexture`; S is dimensionless (the
        magnitude rides in J), Ṡ in 1/s.  Used where a region's gas has J != 0.
    ground, probe:
        Facet names of the two equipotential contacts: φ = 0 at ``ground``; ``probe`` is
        floating (open circuit) or at φ = 0 (short circuit).  Other walls are insulating.
    spin_reservoirs:
        Facet names where μ_s = 0 (ideal spin sinks).
    degree:
        Lagrange degree (1-3) of μ_s and φ.
    samples:
        Time samples per period N (>= 4; exact for trigonometric sources below N/2).
    backaction:
        False (default): one-way conversion, first order in θ_SH, as above.  True: the spin
        Hall back-action of the charge field on μ_s is kept (spin and charge solved together,
        exact in θ_SH as the drift-diffusion core; :mod:`kinetics.models.texture_backaction`).

    Raises
    ------
    TypeError
        regions that is not a mapping of ChargeRegion; a texture without ``bind``.
    kinetics.validation.ValidationError / ValueError
        Regions missing or unknown; no textured region; a texture coupled to regions
        without any conversion mechanism (every θ_SH, E_so, λ_so None); unknown or
        identical or touching ground/probe facets, facets with no cells; a closed spin problem
        (λ_sf = inf everywhere and no spin reservoir: the DC accumulation grows without
        bound, seed 002 §4.3); a texture without a period; degree or samples out of range.
    KeyError
        Unknown facet names.
    """

    def __init__(self, device, regions: Mapping[str, ChargeRegion], texture, *, ground: str,
                 probe: str, spin_reservoirs: Sequence[str] = (), degree: int = 2,
                 samples: int = 16, backaction: bool = False):
        owner = "TextureVoltage"
        if not isinstance(regions, Mapping) or not all(isinstance(r, ChargeRegion)
                                                       for r in regions.values()):
            raise TypeError(f"{owner}: regions must be a mapping region name -> ChargeRegion")
        missing = sorted(set(device.regions) - set(regions))
        unknown = sorted(set(regions) - set(device.regions))
        if missing or unknown:
            raise validation.ValidationError(owner, "regions", f"one ChargeRegion for each "
                                             f"device region {sorted(device.regions)}",
                                             f"missing {missing}, unknown {unknown}")
        if not any(r.textured for r in regions.values()):
            raise validation.ValidationError(owner, "regions",
                                             "at least one textured region (gas with J != 0)",
                                             "none", "the texture acts only where J != 0")
        if not any(r.converts for r in regions.values()):
            raise validation.ValidationError(
                owner, "regions",
                "some region with a conversion mechanism (theta_sh, E_so or lambda_so)",
                "a texture coupled only to regions without one",
                "give theta_sh to the metal that collects the spin current, or E_so / lambda_so "
                "to the textured region (zero values are allowed)")
        if not hasattr(texture, "bind"):
            raise TypeError(f"{owner}: texture must be an AnalyticTexture or SampledTexture, "
                            f"got {type(texture).__name__}")
        if getattr(texture, "period", None) is None:
            raise validation.ValidationError(owner, "texture",
                                             "periodic (the voltage is a period average)",
                                             "a texture with no period")
        ground = validation.text(owner, "ground", ground)
        probe = validation.text(owner, "probe", probe)
        if ground == probe:
            raise validation.ValidationError(owner, "probe", "a facet other than ground",
                                             repr(probe))
        if isinstance(spin_reservoirs, str) or not isinstance(spin_reservoirs, Sequence):
            raise TypeError(f"{owner}: spin_reservoirs must be a list of facet names, "
                            f"got {spin_reservoirs!r}")
        for name in (ground, probe, *spin_reservoirs):
            device.boundary_tag(name)                                      # KeyError if unknown
            if device.facet_count(name) == 0:
                raise validation.ValidationError(owner, "facets",
                                                 "names of facets present in the mesh",
                                                 f"'{name}' has no facets")
        if not spin_reservoirs and all(math.isinf(r.lambda_sf) for r in regions.values()):
            raise validation.ValidationError(
                owner, "lambda_sf", "finite in some region, or spin_reservoirs given",
                "inf everywhere with no reservoir",
                "without relaxation the DC spin accumulation of a closed device grows without "
                "bound (seed 002 §4.3)")
        self.degree = validation.integer(owner, "degree", degree, 1, 3)
        self.samples = validation.integer(owner, "samples", samples, 4, MAX_SAMPLES)
        self.backaction = validation.boolean(owner, "backaction", backaction)
        self.device, self.regions = device, dict(regions)
        self.ground, self.probe = ground, probe
        self.spin_reservoirs = list(spin_reservoirs)
        self.texture = texture.bind(device, self.degree)
        self._build()

    # ------------------------------------------------------------------ set-up
    def _dg0(self, values: dict, shape=()):
        """A DG0 Function with ``values[region]`` on each region's cells."""
        from dolfinx import fem
        V = fem.functionspace(self.device.mesh, ("DG", 0, shape) if shape else ("DG", 0))
        f = fem.Function(V)
        bs = V.dofmap.index_map_bs
        arr = f.x.array.reshape(-1, bs)
        for name, val in values.items():
            cells = self.device.cell_tags.find(self.device.region_tag(name))
            dofs = V.dofmap.list[cells].ravel() if len(cells) else np.zeros(0, dtype=np.int32)
            arr[dofs] = np.asarray(val, dtype=float).reshape(-1)[:bs] if bs > 1 else float(val)
        f.x.scatter_forward()
        return f

    def _grad(self, f):
        """Gradient in mesh units padded to x, y, z: (3,) for a scalar, [a, i] for a vector."""
        import ufl
        from ufl.domain import extract_domains
        axes = self.device.axes

        def d(g, ax):
            k = axes.find(ax)
            return ufl.zero() if (k < 0 or not extract_domains(g)) else g.dx(k)
        f = ufl.as_ufl(f)
        if f.ufl_shape == ():
            return ufl.as_vector([d(f, ax) for ax in "xyz"])
        return ufl.as_matrix([[d(f[a], ax) for ax in "xyz"] for a in range(3)])

    def _build(self):
        import ufl
        from dolfinx import fem
        from kinetics.solvers.linear import LinearSolver
        from kinetics.solvers.system import assemble_operator
        dev, regs = self.device, self.regions
        msh = dev.mesh
        L = dev.length_unit
        self.sigma0 = max(r.sigma for r in regs.values())
        s0 = self.sigma0
        sig = self._dg0({n: r.sigma / s0 for n, r in regs.items()})
        inv_l2 = self._dg0({n: 0.0 if math.isinf(r.lambda_sf) else (L / r.lambda_sf) ** 2
                            for n, r in regs.items()})
        theta = self._dg0({n: r.theta_sh or 0.0 for n, r in regs.items()})
        c_T = self._dg0({n: r.spin_source() * L ** 2 / s0 for n, r in regs.items()})
        a_R = self._dg0({n: r.rashba_vector() * L / s0 for n, r in regs.items()}, (3,))
        imp = {n: r.impurity_factors() for n, r in regs.items()}
        c_imp = self._dg0({n: v[0] / s0 for n, v in imp.items()})
        c_J = self._dg0({n: v[1] for n, v in imp.items()})
        self._coef = {"sigma": sig, "inv_l2": inv_l2, "theta": theta, "c_T": c_T}
        dx = ufl.Measure("dx", domain=msh, subdomain_data=dev.cell_tags)
        ds = ufl.Measure("ds", domain=msh, subdomain_data=dev.facet_tags)
        self.dx, self.ds = dx, ds
        fdim = msh.topology.dim - 1

        # spin: −∇·(σ̂/2 ∇μ) + σ̂/2 (L/λ)² μ = ĉ_T S×Ṡ  (all in mesh units / σ0)
        Q = fem.functionspace(msh, ("Lagrange", self.degree, (3,)))
        mu, w = ufl.TrialFunction(Q), ufl.TestFunction(Q)
        a_s = (0.5 * sig * ufl.inner(ufl.grad(mu), ufl.grad(w))
               + 0.5 * sig * inv_l2 * ufl.inner(mu, w)) * dx
        tex = self.texture
        M = ufl.cross(tex.S, tex.Sdot)
        self._L_spin = fem.form(c_T * ufl.inner(M, w) * dx)
        bcs_s = []
        for name in self.spin_reservoirs:
            facets = dev.facet_tags.find(dev.boundary_tag(name))
            dofs = fem.locate_dofs_topological(Q, fdim, facets)
            bcs_s.append(fem.dirichletbc(np.zeros(3), dofs, Q))
        self._a_spin, self._bcs_spin, self.Q = fem.form(a_s), bcs_s, Q
        self._spin_solver = LinearSolver(dev.comm, "direct")
        self._spin_solver.set_operator(assemble_operator(self._a_spin, bcs_s))

        # charge: ∫ σ̂ ∇φ·∇v = ∫ ĵ_conv·∇v (j_conv L/σ0, physical x, y, z components)
        P = fem.functionspace(msh, ("Lagrange", self.degree))
        phi, v = ufl.TrialFunction(P), ufl.TestFunction(P)
        a_c = fem.form(sig * ufl.inner(ufl.grad(phi), ufl.grad(v)) * dx)
        self.P = P
        idx = [("xyz".index(ax)) for ax in dev.axes]
        self._vmesh = lambda j: ufl.as_vector([j[i] for i in idx])     # physical -> mesh components

        def dofs_of(name):
            return fem.locate_dofs_topological(P, fdim, dev.facet_tags.find(dev.boundary_tag(name)))
        self._dofs = {n: dofs_of(n) for n in (self.ground, self.probe)}
        shared = dev.comm.allreduce(len(np.intersect1d(*self._dofs.values())))
        if shared:
            raise validation.ValidationError(
                "TextureVoltage", "probe", "a facet set that does not touch the ground",
                f"'{self.probe}' shares {shared} degrees of freedom with '{self.ground}'")
        gnd = fem.dirichletbc(np.float64(0.0), self._dofs[self.ground], P)
        self._bcs_short = [gnd, fem.dirichletbc(np.float64(0.0), self._dofs[self.probe], P)]
        self._bcs_unit = [gnd, fem.dirichletbc(np.float64(1.0), self._dofs[self.probe], P)]
        self._a_charge = a_c
        solver = LinearSolver(dev.comm, "direct")
        solver.set_operator(assemble_operator(a_c, self._bcs_short))
        self._solvers = {"short": solver}
        # local conversion currents (scaled) as UFL of the current texture time
        Sd = tex.Sdot
        gSd = self._grad(Sd)
        gM = self._grad(M)
        SxgSd = ufl.as_matrix([[ufl.cross(tex.S, ufl.as_vector([gSd[b, i] for b in range(3)]))[a]
                                for i in range(3)] for a in range(3)])
        # j^(local)·L (mesh-unit gradients: the 1/L of ∇ and the L of ĵ cancel)
        Jloc = c_imp * (gSd - c_J * (gM + SxgSd))
        self._j_local = {"rashba": ufl.cross(a_R, M), "impurity": conv.flow_cross_spin(Jloc)}
        zero = fem.Constant(msh, np.float64(0.0))        # keeps a vanishing form non-empty
        self._zero = zero
        self._L_local = {k: fem.form(ufl.inner(self._vmesh(j), ufl.grad(v)) * dx + zero * v * dx)
                         for k, j in self._j_local.items()}
        self._mu = fem.Function(Q, name="mu_s")
        self._v = v
        # diffusive ISHE: ĵ = (θ σ̂/2) ∇̂×μ_s
        g = self._grad(self._mu)
        curl = ufl.as_vector([g[2, 1] - g[1, 2], g[0, 2] - g[2, 0], g[1, 0] - g[0, 1]])
        self._j_diff = 0.5 * theta * sig * curl
        self._L_diff = fem.form(ufl.inner(self._vmesh(self._j_diff), ufl.grad(v)) * dx)
        if self.backaction:
            from kinetics.models.texture_backaction import CoupledResponse
            self._coupled = CoupledResponse(self)

    # ------------------------------------------------------------------ solve
    def _averaged_rhs(self, forms: dict, a_form, bcs) -> dict:
        """name -> PETSc Vec: the period average of ``forms`` over the samples."""
        from kinetics.solvers.system import assemble_rhs
        T = self.texture.period
        acc = {k: None for k in forms}
        for t in np.arange(self.samples) * T / self.samples:
            self.texture.set_time(float(t))
            for k, f in forms.items():
                b = assemble_rhs(f, a_form, bcs)
                if acc[k] is None:
                    acc[k] = b
                else:
                    acc[k].axpy(1.0, b)
                    b.destroy()
        for b in acc.values():
            b.scale(1.0 / self.samples)
        return acc

    def solve(self) -> VoltageResult:
        """The DC spin accumulation, open-circuit voltages and short-circuit currents.

        Raises
        ------
        kinetics.solvers.linear.SolverError
            If PETSc fails.
        """
        from dolfinx import fem
        from kinetics.solvers.system import assemble_rhs
        if self.backaction:
            return self._coupled.solve()
        b = self._averaged_rhs({"spin": self._L_spin}, self._a_spin, self._bcs_spin)["spin"]
        self._spin_solver.solve(b, self._mu.x.petsc_vec)
        self._mu.x.scatter_forward()
        b.destroy()
        # Thevenin: short-circuit currents, the probe's conductance G from a unit potential,
        # V_oc = I_sc / G and φ_oc = φ_sc + V_oc u₁ (a floating equipotential probe)
        rhs = self._averaged_rhs(self._L_local, self._a_charge, self._bcs_short)
        rhs["diffusive"] = assemble_rhs(self._L_diff, self._a_charge, self._bcs_short)
        b1 = assemble_rhs(fem.form(self._zero * self._v * self.dx), self._a_charge, self._bcs_unit)
        G, V, I, phis = open_circuit(self.P, self._solvers["short"], rhs, b1,
                                     self._probe_current, "phi")
        return VoltageResult(V, I, self._mu, phis, self._spin_balance(), self.samples, G)

    def _probe_current(self, phi, kind) -> float:
        """Current leaving through the probe, ∫ j·∇ψ dx with ψ = 1 on the probe dofs (0 on
        the ground): exact for the discrete solution (flux by the residual).  ``kind`` None:
        −σ∇φ only; else plus the conversion current of that mechanism (period-averaged)."""
        import ufl
        from dolfinx import fem
        from mpi4py import MPI
        if not hasattr(self, "_probe_forms"):
            psi = fem.Function(self.P)
            psi.x.array[self._dofs[self.probe]] = 1.0
            psi.x.scatter_forward()
            work = fem.Function(self.P)
            gpsi = ufl.grad(psi)
            forms = {None: fem.form(ufl.inner(-self._coef["sigma"] * ufl.grad(work), gpsi)
                                    * self.dx),
                     "diffusive": fem.form(ufl.inner(self._vmesh(self._j_diff), gpsi) * self.dx)}
            for k, j in self._j_local.items():
                forms[k] = fem.form(ufl.inner(self._vmesh(j), gpsi) * self.dx
                                    + self._zero * psi * self.dx)
            self._probe_forms = (work, forms)
        work, forms = self._probe_forms
        work.x.array[:] = phi.x.array
        val = fem.assemble_scalar(forms[None])
        if kind == "diffusive":
            val += fem.assemble_scalar(forms[kind])
        elif kind is not None:
            T = self.texture.period
            acc = 0.0
            for t in np.arange(self.samples) * T / self.samples:
                self.texture.set_time(float(t))
                acc += fem.assemble_scalar(forms[kind])
            val += acc / self.samples
        val = self.device.comm.allreduce(val, op=MPI.SUM)
        # scaled current × σ0 × L^(dim−2): ∫ (j L/σ0)·∇̂ψ dx̂ · σ0 L^(dim-2)
        return val * self.sigma0 * self.device.length_unit ** (self.device.dim - 2)

    def _spin_balance(self) -> np.ndarray:
        """(∫ source, ∫ relaxation + reservoir outflow) per spin axis, SI (A in 3D).

        One compiled form each, with the spin axis as a runtime Constant (few JIT compiles)."""
        import ufl
        from dolfinx import fem
        from mpi4py import MPI
        comm = self.device.comm
        c = self._coef
        tex = self.texture
        M = ufl.cross(tex.S, tex.Sdot)
        T = tex.period
        # ψ: the spin axis e everywhere (source, relaxation), or on the reservoir dofs only
        psi = fem.Function(self.Q)
        src_f = fem.form(c["c_T"] * ufl.inner(M, psi) * self.dx)
        rel_f = fem.form((0.5 * c["sigma"] * ufl.inner(ufl.grad(self._mu), ufl.grad(psi))
                          + 0.5 * c["sigma"] * c["inv_l2"] * ufl.inner(self._mu, psi)) * self.dx)
        fdim = self.device.mesh.topology.dim - 1
        res_dofs = [fem.locate_dofs_topological(self.Q, fdim, self.device.facet_tags.find(
            self.device.boundary_tag(name))) for name in self.spin_reservoirs]
        bs = self.Q.dofmap.index_map_bs

        def source(ps):
            acc = 0.0
            for t in np.arange(self.samples) * T / self.samples:
                tex.set_time(float(t))
                acc += fem.assemble_scalar(src_f)
            return acc / self.samples

        src, rel = np.zeros(3), np.zeros(3)
        for a in range(3):
            psi.x.array[:] = np.tile(np.eye(3)[a], len(psi.x.array) // bs)
            src[a] = comm.allreduce(source(psi), op=MPI.SUM)
            # ∇ψ = 0: the relaxation integral
            rel[a] = comm.allreduce(fem.assemble_scalar(rel_f), op=MPI.SUM)
            if res_dofs:
                # outflow by the residual (conservative): ∫ ŝ·ψ − a(μ, ψ), ψ = e_a on reservoir dofs
                psi.x.array[:] = 0.0
                arr = psi.x.array.reshape(-1, bs)
                for dofs in res_dofs:
                    arr[dofs, a] = 1.0
                psi.x.scatter_forward()
                rel[a] += comm.allreduce(source(psi) - fem.assemble_scalar(rel_f), op=MPI.SUM)
        scale = self.sigma0 * self.device.length_unit ** (self.device.dim - 2)
        return np.array([src, rel]) * scale
