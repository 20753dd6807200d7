"""The spin Hall back-action of the texture voltage: spin and charge solved together.

:class:`kinetics.models.texture_charge.TextureVoltage` converts the diffusive spin current
into charge one way (first order in θ_SH): the electric field that the conversion builds up
does not act back on μ_s.  The drift-diffusion core (docs/design.md §3; Chen et al., PRB 87,
144411 (2013), Eq. 1) and with it the interface pumping model of
:mod:`kinetics.models.pumping` keep both Onsager partners,

    j_c      = −σ∇φ + (θ_SH σ/2) ∇×μ_s + j_loc
    j_s[a,:] = −(σ/2)∇μ_s^a − θ_SH σ (ê_a × ∇φ)

so the open-circuit field E = −∇φ drives a spin Hall current that changes μ_s, whose inverse
spin Hall current changes φ: a correction of relative order θ_SH² to V_oc (0.9 % at
θ_SH = 0.11 in the Pt strip of docs/seed002_voltage.md).  This module solves the coupled
linear system for u = (μ_s, φ) in one Lagrange space of four components (``backaction=True``
of TextureVoltage), with the spin source (2e/ħ)T^(dy) of seed 002 Eq. (26) and the local
conversion currents j_loc (Eqs. 25, 30-31) as right-hand sides; walls carry no spin current
(total, with the spin Hall part) and no charge current.

Open circuit by superposition (the system is linear): the short-circuit solve (φ = 0 on
both contacts) per source gives I_k, a solve with φ = 1 on the probe and no source gives the
conductance G of the coupled system (it includes the spin Hall magnetoresistance of the
strip), V_k = I_k/G and u_oc = u_sc + V u_unit.  The probe current is the residual flux
∫ j_c·∇ψ (ψ = 1 on the probe's φ dofs), exact for the discrete solution.
"""

from __future__ import annotations

import numpy as np

from kinetics.models.texture_charge_regions import VoltageResult, open_circuit

__all__ = ["CoupledResponse"]


def _curl(g):
    """∇×f from the padded gradient g[a, i] = ∂_i f_a (UFL 3×3)."""
    import ufl
    return ufl.as_vector([g[2, 1] - g[1, 2], g[0, 2] - g[2, 0], g[1, 0] - g[0, 1]])


class CoupledResponse:
    """The coupled (μ_s, φ) solve of a built :class:`~kinetics.models.texture_charge.
    TextureVoltage` (module docstring); scaled as that class (lengths in mesh units,
    conductivities by σ0).

    Parameters
    ----------
    tv:
        The TextureVoltage (its coefficients, texture, contacts and local currents are
        used).
    """

    def __init__(self, tv):
        import ufl
        from dolfinx import fem
        from kinetics.solvers.linear import LinearSolver
        from kinetics.solvers.system import assemble_operator
        self.tv = tv
        dev, c = tv.device, tv._coef
        msh = dev.mesh
        fdim = msh.topology.dim - 1
        W = fem.functionspace(msh, ("Lagrange", tv.degree, (4,)))
        self.W = W
        u, z = ufl.TrialFunction(W), ufl.TestFunction(W)
        sig, theta, inv_l2 = c["sigma"], c["theta"], c["inv_l2"]

        def parts(f):
            return ufl.as_vector([f[0], f[1], f[2]]), f[3]

        def a_of(uu, zz):
            mu, phi = parts(uu)
            w, v = parts(zz)
            g_mu, g_w, g_phi, g_v = tv._grad(mu), tv._grad(w), tv._grad(phi), tv._grad(v)
            e = ufl.Identity(3)
            she = sum(ufl.dot(ufl.cross(ufl.as_vector([e[a, i] for i in range(3)]), g_phi),
                              ufl.as_vector([g_w[a, i] for i in range(3)])) for a in range(3))
            spin = 0.5 * sig * ufl.inner(g_mu, g_w) + 0.5 * sig * inv_l2 * ufl.inner(mu, w) \
                + theta * sig * she
            charge = sig * ufl.dot(g_phi, g_v) - 0.5 * theta * sig * ufl.dot(_curl(g_mu), g_v)
            return (spin + charge) * tv.dx

        tex = tv.texture
        M = ufl.cross(tex.S, tex.Sdot)
        zero = tv._zero

        def L_of(zz):
            w, v = parts(zz)
            g_v = tv._grad(v)
            out = {"diffusive": c["c_T"] * ufl.inner(M, w) * tv.dx + zero * v * tv.dx}
            for k, j in tv._j_local.items():
                out[k] = ufl.dot(j, g_v) * tv.dx + zero * v * tv.dx
            return out

        self._a = fem.form(a_of(u, z))
        self._L = {k: fem.form(f) for k, f in L_of(z).items()}

        def dofs(sub, name):
            return fem.locate_dofs_topological(W.sub(sub), fdim,
                                               dev.facet_tags.find(dev.boundary_tag(name)))
        gnd, prb = dofs(3, tv.ground), dofs(3, tv.probe)
        self._probe_dofs = prb
        res = [fem.dirichletbc(np.float64(0.0), dofs(a, name), W.sub(a))
               for name in tv.spin_reservoirs for a in range(3)]
        self._res_dofs = [(a, dofs(a, name)) for name in tv.spin_reservoirs for a in range(3)]
        g0 = fem.dirichletbc(np.float64(0.0), gnd, W.sub(3))
        self._bcs_short = [g0, fem.dirichletbc(np.float64(0.0), prb, W.sub(3)), *res]
        self._bcs_unit = [g0, fem.dirichletbc(np.float64(1.0), prb, W.sub(3)), *res]
        self._solver = LinearSolver(dev.comm, "direct")
        self._solver.set_operator(assemble_operator(self._a, self._bcs_short))
        # residual forms: a(u_f, ψ) and L(ψ) with Functions in place of trial and test
        self._uf, self._psi = fem.Function(W), fem.Function(W)
        self._a_res = fem.form(a_of(self._uf, self._psi))
        self._L_res = {k: fem.form(f) for k, f in L_of(self._psi).items()}
        self._zero_form = fem.form(zero * parts(z)[1] * tv.dx)

    # ------------------------------------------------------------------ helpers
    def _average(self, form_of_t) -> float:
        """Period average of ``form_of_t()`` over the texture samples."""
        tv = self.tv
        T, n = tv.texture.period, tv.samples
        acc = 0.0
        for t in np.arange(n) * T / n:
            tv.texture.set_time(float(t))
            acc += form_of_t()
        return acc / n

    def _residual(self, u, kind) -> float:
        """L_kind(ψ) − a(u, ψ) for the current ψ (period-averaged L; kind None: no L), SI
        scale, summed over ranks."""
        from dolfinx import fem
        from mpi4py import MPI
        tv = self.tv
        self._uf.x.array[:] = u.x.array
        val = -fem.assemble_scalar(self._a_res)
        if kind is not None:
            val += self._average(lambda: fem.assemble_scalar(self._L_res[kind]))
        val = tv.device.comm.allreduce(val, op=MPI.SUM)
        return val * tv.sigma0 * tv.device.length_unit ** (tv.device.dim - 2)

    def _probe_current(self, u, kind) -> float:
        """Charge current out of the probe: ∫ j_c·∇ψ = L(ψ) − a(u, ψ), ψ = 1 on the probe's
        φ dofs (exact for the discrete solution)."""
        self._psi.x.array[:] = 0.0
        self._psi.x.array[self._probe_dofs] = 1.0
        self._psi.x.scatter_forward()
        return self._residual(u, kind)

    # ------------------------------------------------------------------ solve
    def solve(self) -> VoltageResult:
        """Short-circuit currents, coupled conductance, open-circuit voltages (per source).

        Raises
        ------
        kinetics.solvers.linear.SolverError
            If PETSc fails.
        """
        from dolfinx import fem
        from kinetics.solvers.system import assemble_rhs
        tv = self.tv
        rhs = tv._averaged_rhs(self._L, self._a, self._bcs_short)
        b1 = assemble_rhs(self._zero_form, self._a, self._bcs_unit)
        G, V, I, u_oc = open_circuit(self.W, self._solver, rhs, b1, self._probe_current, "u")
        total = fem.Function(self.W)
        for uk in u_oc.values():
            total.x.array[:] += uk.x.array
        mu = fem.Function(tv.Q, name="mu_s")
        phis = {}
        if not np.allclose(tv.Q.tabulate_dof_coordinates(), self.W.tabulate_dof_coordinates()):
            raise RuntimeError("texture_backaction: the (3,) and (4,) spaces number their nodes "
                               "differently")
        mu.x.array[:] = total.x.array.reshape(-1, 4)[:, :3].ravel()
        for k, uk in u_oc.items():
            ph = fem.Function(tv.P, name=f"phi_{k}")
            ph.x.array[:] = uk.x.array.reshape(-1, 4)[:, 3]
            phis[k] = ph
        return VoltageResult(V, I, mu, phis, self._spin_balance(total), tv.samples, G)

    def _spin_balance(self, u) -> np.ndarray:
        """(∫ source, ∫ relaxation + reservoir outflow) per spin axis at open circuit, SI;
        the outflow is the residual flux of the spin rows (with the spin Hall current)."""
        from dolfinx import fem
        from mpi4py import MPI
        tv = self.tv
        psi = self._psi
        arr = psi.x.array.reshape(-1, 4)
        out = np.zeros((2, 3))
        scale = tv.sigma0 * tv.device.length_unit ** (tv.device.dim - 2)
        for a in range(3):
            psi.x.array[:] = 0.0
            arr[:, a] = 1.0
            psi.x.scatter_forward()
            src = self._average(lambda: fem.assemble_scalar(self._L_res["diffusive"]))
            out[0, a] = tv.device.comm.allreduce(src, op=MPI.SUM) * scale
            out[1, a] = out[0, a] - self._residual(u, "diffusive")   # = ∫ relaxation
            dofs = [d for b, d in self._res_dofs if b == a]
            if dofs:
                psi.x.array[:] = 0.0
                for d in dofs:
                    psi.x.array[d] = 1.0
                psi.x.scatter_forward()
                out[1, a] += self._residual(u, "diffusive")
        return out
