"""Results of the seed-002 model (:mod:`kinetics.models.texture`): the fields at one
time (:class:`TextureState`), harmonic amplitudes (:class:`FrequencyResponse`) and time series
(:class:`TimeResponse`).

Every field is a UFL expression in SI units built from the solved averages and the texture
(formulas and equation numbers in :mod:`kinetics.models.texture`).  Spin densities
are in J·s/m³, spin currents J[a, i] (spin a, flow i) in J/m², torques in J/m³, charge
densities in C/m³ and charge currents in A/m².
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING

import numpy as np

from kinetics.physics.texture import conversion as conv
from kinetics.physics.texture.sources import nonzero

if TYPE_CHECKING:
    from kinetics.models.texture import TexturePumping

__all__ = ["TextureState", "FrequencyResponse", "TimeResponse"]


@dataclasses.dataclass
class TimeResponse:
    """Result of :meth:`TexturePumping.integrate`: observation ``times`` (s), the ``values``
    returned by ``observe``, and the final ``state`` (:class:`TextureState`)."""

    times: np.ndarray
    values: list
    state: "TextureState"


class FrequencyResponse:
    """Harmonic amplitudes from :meth:`TexturePumping.frequency`.

    Attributes
    ----------
    Omega:
        Fundamental angular frequency (rad/s).
    """

    def __init__(self, model: TexturePumping, Omega: float, amps: dict):
        self.model, self.Omega, self._amps = model, Omega, amps

    def amplitude(self, name: str, k: int):
        """(Re, Im) of the k-th amplitude of ``name`` (``avg_Sdot``, ``avg_M``,
        ``rho_c_rashba``, ``rho_c_impurity``, ``rho_direct``), u(t) = Σ Re[û_k e^{ikΩt}].
        For k = 0, Im is None.

        Raises
        ------
        KeyError
            For an unknown name or a harmonic that was not solved.
        """
        if name not in self._amps or not 0 <= k < len(self._amps[name]):
            raise KeyError(f"no amplitude ({name!r}, k={k}); solved: {list(self._amps)} up to "
                           f"k={len(next(iter(self._amps.values()))) - 1}")
        return self._amps[name][k]

    def state(self, t: float) -> "TextureState":
        """The reconstructed fields at time t (sets the texture to t)."""
        from dolfinx import fem
        self.model.texture.set_time(t)
        fields, rates = {}, {}
        for name, amps in self._amps.items():
            u, r = fem.Function(amps[0][0].function_space), fem.Function(amps[0][0].function_space)
            u.x.array[:] = amps[0][0].x.array
            for k in range(1, len(amps)):
                re, im = amps[k]
                c, s = math.cos(k * self.Omega * t), math.sin(k * self.Omega * t)
                u.x.array[:] += re.x.array * c - im.x.array * s
                r.x.array[:] += -k * self.Omega * (re.x.array * s + im.x.array * c)
            fields[name], rates[name] = u, r
        return TextureState(self.model, t, fields, rates)


class TextureState:
    """All seed-002 fields at one time, as UFL expressions (SI; module docstring).

    Attributes
    ----------
    t:
        Time (s).
    fields, rates:
        The solved averages (Functions) and their time derivatives.
    """

    def __init__(self, model: TexturePumping, t: float, fields: dict, rates: dict):
        self.model, self.t, self.fields, self.rates = model, t, fields, rates
        self.gas = model.gas

    @property
    def S(self):
        return self.model.texture.S

    @property
    def Sdot(self):
        return self.model.texture.Sdot

    @property
    def S_cross_Sdot(self):
        import ufl
        return ufl.cross(self.S, self.Sdot)

    @property
    def rho_s(self):
        """ρ_s = (ħνJ/V)S − (ħνJτ/V)⟨Ṡ⟩ + (2νJ²τ²/V)⟨S×Ṡ⟩ (Eq. 11 rewritten with
        τ(∂_t − D∇²)⟨·⟩ = 1; docs/pumping.md §2), J·s/m³."""
        g = self.gas
        return g.kappa_eq * (self.S - g.tau * self.fields["avg_Sdot"]) \
            + g.damping * g.tau * self.fields["avg_M"]

    @property
    def rho_s_dot(self):
        """∂_t ρ_s from the same formula, J/m³."""
        g = self.gas
        return g.kappa_eq * (self.Sdot - g.tau * self.rates["avg_Sdot"]) \
            + g.damping * g.tau * self.rates["avg_M"]

    @property
    def mu_s(self):
        """μ_s = Dρ_s − (ħνJD/V)S (seed 002 Eqs. 10, 14), J/m."""
        g = self.gas
        return g.D * (g.damping * g.tau * self.fields["avg_M"]
                      - g.kappa_eq * g.tau * self.fields["avg_Sdot"])

    @property
    def j_sc(self):
        """Equilibrium (super)current (ħνJD/V)∇S − (ħ²νJ²/12mε_FV) S×∇S (Eq. 17), [a, i], J/m²."""
        m, g = self.model, self.gas
        gS = m.grad(self.S)
        return g.kappa_eq * g.D * gS - g.kappa_sc * m.cross_grad(self.S, gS)

    @property
    def j_diffusive(self):
        """−D∇ρ_s (Eq. 16), [a, i], J/m²."""
        return -self.gas.D * self.model.grad(self.rho_s)

    @property
    def j_s(self):
        """Total spin current j_s^(sc) − D∇ρ_s (Eq. 16), [a, i], J/m²."""
        return self.j_sc + self.j_diffusive

    @property
    def j_local(self):
        """Local spin current (Eq. 31), [a, i], J/m²: smaller by (qℓ)² and not part of j_s."""
        return self.model.local_spin_current(self.S, self.Sdot)

    @property
    def torque(self):
        """T_s = −(ħ²νJ²/12mε_FV) S×∇²S + (2νJ²τ/V) S×Ṡ (Eq. A21), J/m³.  For a
        SampledTexture ∇²S is the cellwise Laplacian (needs degree >= 2)."""
        import ufl
        g = self.gas
        return -g.kappa_sc * ufl.cross(self.S, self.model.laplacian(self.S)) \
            + g.damping * self.S_cross_Sdot

    @property
    def damping_torque(self):
        """T^(dy) = (2νJ²τ/V) S×Ṡ (Eq. 26), J/m³."""
        return self.gas.damping * self.S_cross_Sdot

    def rho_c(self, kind: str):
        """Charge density (C/m³) of ``kind`` = ``"rashba"`` or ``"impurity"``.

        Raises
        ------
        KeyError
            If the model has no such SOC.
        """
        key = f"rho_c_{kind}"
        if key not in self.fields:
            raise KeyError(f"no {kind} SOC in this model: pass E_so= (rashba) or lambda_so= "
                           f"(impurity)")
        return self.fields[key]

    def j_c(self, kind: str):
        """Charge current (A/m²): a^R×T^(dy) − D∇ρ_c (Eq. 25) or a^imp ε:j^local − D∇ρ_c
        (Eq. 30)."""
        m = self.model
        rho = self.rho_c(kind)
        local = conv.rashba_local_current(m.a_R, self.damping_torque) if kind == "rashba" else \
            conv.impurity_local_current(m.a_imp, self.j_local)
        return local - self.gas.D * m.grad(rho)

    @property
    def rho_direct(self):
        """ρ_s from the direct route, Eq. (12)-(13) (only if solved with direct=True)."""
        return self.fields["rho_direct"]

    # ------------------------------------------------------------------ numbers
    def integrate(self, expr) -> np.ndarray | float:
        """∫ expr dV over the device (SI, MPI-reduced); any UFL shape."""
        import ufl
        from dolfinx import fem
        from mpi4py import MPI
        dev = self.model.device
        dx = ufl.Measure("dx", domain=dev.mesh)
        shape = expr.ufl_shape
        vals = [dev.comm.allreduce(fem.assemble_scalar(fem.form(expr[idx] * dx if shape
                                                                else expr * dx)),
                                   op=MPI.SUM) for idx in (np.ndindex(*shape) if shape else [()])]
        out = np.array(vals).reshape(shape) * dev.length_unit ** dev.dim
        return out if shape else float(out)

    def evaluate(self, expr, points) -> np.ndarray:
        """Values of a UFL expression at points (N, 3) in metres, via interpolation into a
        discontinuous Lagrange space of the model's degree.  Returns shape ``(N, *expr shape)``,
        NaN outside the mesh, gathered on every rank."""
        from dolfinx import fem, geometry
        dev = self.model.device
        V = fem.functionspace(dev.mesh, ("Discontinuous Lagrange", self.model.degree,
                                         expr.ufl_shape))
        f = fem.Function(V)
        if nonzero(expr) is not None:
            f.interpolate(fem.Expression(self.model.with_mesh(expr),
                                         V.element.interpolation_points()))
        pts = np.zeros((len(points), 3))
        P = np.asarray(points, dtype=float) / dev.length_unit
        for k, a in enumerate(dev.axes):
            pts[:, k] = P[:, "xyz".index(a)]
        tree = geometry.bb_tree(dev.mesh, dev.dim)
        cells = geometry.compute_colliding_cells(
            dev.mesh, geometry.compute_collisions_points(tree, pts), pts)
        size = int(np.prod(expr.ufl_shape)) if expr.ufl_shape else 1
        out = np.full((len(pts), size), np.nan)
        for i in range(len(pts)):
            if len(cells.links(i)):
                out[i] = f.eval(pts[i], cells.links(i)[:1])
        res = np.full_like(out, np.nan)
        for g in dev.comm.allgather(out):
            mask = np.isnan(res[:, 0]) & ~np.isnan(g[:, 0])
            res[mask] = g[mask]
        return res.reshape((len(pts),) + tuple(expr.ufl_shape))
