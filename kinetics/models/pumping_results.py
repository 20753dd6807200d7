"""Results of :class:`kinetics.models.pumping.PumpingProblem`: the period-sampled quasi-static
solution (:class:`PeriodicResponse`) and the frozen-operator linear response
(:class:`LinearResponse`).  Harmonic convention u(t) = Re[û e^{+iωt}]
(:mod:`kinetics.physics.pumping`).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from kinetics.models.spin_charge import Solution, SpinChargeProblem

__all__ = ["PeriodicResponse", "LinearResponse"]


@dataclasses.dataclass
class LinearResponse:
    """Result of :meth:`PumpingProblem.linear_response`.

    Attributes
    ----------
    problem:
        The frozen-operator SpinChargeProblem (m = precession axis).
    dc:
        DC Solution, exact to O(θ_c²).
    first_harmonic:
        (Re, Im) Solutions with u(t) = u_dc + Re[(u_re + i u_im) e^{iωt}], exact to O(θ_c).
    floating_dc, floating_harmonic:
        Floating-contact potentials: DC (V), first harmonic (complex, V).
    """

    problem: SpinChargeProblem
    parts: dict

    @property
    def dc(self) -> Solution:
        return Solution(self.problem, self.parts["dc"][0])

    @property
    def first_harmonic(self) -> tuple[Solution, Solution]:
        return (Solution(self.problem, self.parts["re"][0]), Solution(self.problem, self.parts["im"][0]))

    @property
    def floating_dc(self) -> dict:
        return dict(self.parts["dc"][1])

    @property
    def floating_harmonic(self) -> dict:
        re, im = self.parts["re"][1], self.parts["im"][1]
        return {k: complex(re[k], im[k]) for k in re}


class PeriodicResponse:
    """Instantaneous solutions over one period and their averages (:meth:`PumpingProblem.periodic`).

    Attributes
    ----------
    times:
        Sample instants (s), shape (N,).
    period:
        T (s).
    """

    def __init__(self, owner, times, period, us, floating, inflow):
        self.owner = owner
        self.times = np.asarray(times)
        self.period = float(period)
        self._us = us
        self._floating = floating
        self._inflow = {k: np.array(v) for k, v in inflow.items()}

    def sample(self, k: int) -> Solution:
        """The instantaneous Solution at ``times[k]``."""
        return Solution(self.owner.problem, self._us[k])

    @property
    def dc(self) -> Solution:
        """Period-averaged fields (a Solution; see the module docstring for valid observables)."""
        from dolfinx import fem
        u = fem.Function(self.owner.problem.W, name="u_dc")
        u.x.array[:] = np.mean([v.x.array for v in self._us], axis=0)
        return Solution(self.owner.problem, u)

    def harmonic(self, k: int = 1) -> tuple[Solution, Solution]:
        """(Re, Im) of the k-th harmonic amplitude û_k, u(t) ≈ Σ_k Re[û_k e^{ikωt}], ω = 2π/T.

        Raises
        ------
        ValueError
            If k < 1 or k >= N/2 (aliased).
        """
        from dolfinx import fem
        N = len(self._us)
        if not 1 <= k < N / 2:
            raise ValueError(f"harmonic k must satisfy 1 <= k < N/2 = {N / 2}, got {k}")
        w = 2.0 / N * np.exp(-1j * k * 2 * np.pi * self.times / self.period)
        c = sum(wk * v.x.array for wk, v in zip(w, self._us))
        out = []
        for part in (c.real, c.imag):
            u = fem.Function(self.owner.problem.W)
            u.x.array[:] = part
            out.append(Solution(self.owner.problem, u))
        return tuple(out)

    def floating_potential(self, name: str, harmonic: int = 0):
        """DC potential (V) of a floating contact, or its complex harmonic amplitude.

        Raises
        ------
        KeyError
            If ``name`` is not a floating contact.
        """
        if name not in self.owner.floating:
            raise KeyError(f"'{name}' is not a floating contact; floating: {self.owner.floating}")
        v = np.array([V[name] for V in self._floating])
        if harmonic == 0:
            return float(v.mean())
        return complex(2.0 / len(v) * np.sum(v * np.exp(-1j * harmonic * 2 * np.pi * self.times / self.period)))

    def spin_current_into_metal(self, name: str) -> np.ndarray:
        """DC spin current entering the metal through interface ``name``: ⟨∫(j_pump − 𝐆μ_s) dA⟩,
        shape (3,), A (A/m per unit width for a 2D cross-section), charge-current units."""
        if name not in self._inflow:
            raise KeyError(f"'{name}' is not a pumping interface; interfaces: {list(self._inflow)}")
        return self._inflow[name].mean(axis=0)

    def spin_current_samples(self, name: str) -> np.ndarray:
        """Instantaneous ∫(j_pump − 𝐆μ_s) dA at each sample, shape (N, 3), A."""
        return self._inflow[name].copy()
