"""Equilibrium superconductivity from Matsubara sums: the self-consistent pair potential,
the critical temperature and the supercurrent.

The Matsubara function at ω_n = πT(2n + 1) is the retarded function of
:class:`~kinetics.usadel.problem.UsadelProblem` continued to ε + iη = iω_n, i.e. solved at
ε = 0 with the broadening η = ω_n (:meth:`UsadelProblem.set_broadening`).  There the bulk
singlet amplitude is f_s = −iΔ/√(ω_n² + |Δ|²) (:mod:`kinetics.usadel.riccati` basis), so the
usual real anomalous function is F = i f_s (F = Δ/√(ω_n² + |Δ|²) in the bulk).  Units as
:mod:`kinetics.usadel.problem`: T, ω_n, Δ and T_c0 in the energy unit E₀ (k_B = ħ = 1).

Gap equation (weak coupling, the pairing constant and the Debye cutoff eliminated in favour
of the bulk critical temperature T_c0 of each region; e.g. Belzig et al., Superlattices
Microstruct. 25, 1251 (1999) Eq. 14; Golubov, Kupriyanov & Il'ichev, RMP 76, 411 (2004)):

    Δ(r) ln(T_c0/T) = 2πT Σ_{n≥0} [Δ(r)/ω_n − F(r, ω_n)],                      (G1)

the sum over ω_n > 0 counting ±ω_n (the singlet F is even in ω_n).  It is truncated at
ω_max with the tail of the local large-ω expansion F ≈ Δ/ω − Δ|Δ|²/(2ω³):
Σ_{n≥N} 2πT Δ|Δ|²/(2ω_n³) = C Δ|Δ|², C = −ψ''(N + ½)/(16π²T²) (:func:`tail_coefficient`),
and solved as the fixed point

    Δ ← (2πT Σ_{n<N} F_n − C Δ|Δ|²) / (2πT Σ_{n<N} 1/ω_n − ln(T_c0/T))            (G2)

at every node of the regions with T_c0 > 0 (Δ = its given value elsewhere, normally 0),
accelerated by PETSc's nonlinear GMRES (SNESNGMRES; Oosterlee & Washio, SIAM J. Sci.
Comput. 21, 1670 (2000)): on a 1D S/N bilayer at T = 0.3 T_c0, 13 iterations (27 sums) to
1e-10 instead of about 75 plain iterations; Anderson mixing (SNESANDERSON) stagnated there
at 1e-8.  Each evaluation of (G2) is
one Matsubara sum: a Newton solve per frequency with continuation in ω.  T_c is where the
largest eigenvalue of the linearized map (G2) (Δ → 0) is 1 (:func:`critical_temperature`).

Supercurrent (Matsubara form of the charge current, e.g. Belzig et al. (1999) Eq. 18):

    j = (2πσ_N T/e) Σ_{n≥0} (i/4) Tr[ρ₃ ǧ∇ǧ](iω_n),

which in the singlet case is (2πσ_N T/e) Σ sin²θ ∇φ and in a bulk superconductor with a
small phase gradient gives the London current (πσ_NΔ/2e) tanh(Δ/2T)∇φ (tested).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from kinetics import validation

__all__ = ["matsubara_frequencies", "tail_coefficient", "bcs_gap", "bcs_gap_zero_temperature",
           "ag_critical_temperature", "ag_linear_critical_temperature", "GapSolution",
           "GapEquation", "matsubara_solves", "self_consistent_gap", "linear_gain",
           "critical_temperature", "pair_potential_at", "supercurrent_density", "supercurrent"]


# the bulk references (and the frequency grid) live in kinetics.usadel.bulk
from kinetics.usadel.bulk import (ag_critical_temperature,  # noqa: E402,F401  (re-exported)
                                  ag_linear_critical_temperature, bcs_gap,
                                  bcs_gap_zero_temperature, matsubara_frequencies,
                                  tail_coefficient)


# ------------------------------------------------------------------- the gap equation on FEM
def matsubara_solves(problem, omegas):
    """Solve ``problem`` at each Matsubara frequency of ``omegas`` in turn (ε = 0, η = ω_n),
    the first from :meth:`UsadelProblem.initial_guess`, the others by continuation in ω (a
    failed step once more from the initial guess); yields the Newton iterations after each
    solve, with the solution in ``problem.u``.

    Raises
    ------
    kinetics.solvers.linear.SolverError
        When Newton fails at a frequency from both starting points.
    """
    from kinetics.solvers.linear import SolverError
    for i, w in enumerate(omegas):
        problem.set_broadening(float(w))
        if i == 0:
            problem.initial_guess(0.0)
        try:
            its = problem.solve(0.0)
        except SolverError:
            problem.initial_guess(0.0)                # from the local bulk state instead
            its = problem.solve(0.0)
        yield its



@dataclasses.dataclass
class GapSolution:
    """Result of :func:`self_consistent_gap`.

    Attributes
    ----------
    delta:
        Δ at the Lagrange nodes of the superconducting regions, a ``dolfinx.fem.Function``
        (components Re Δ, Im Δ; energy units), also copied into the problem.
    max_delta:
        max |Δ| over the mesh (energy units).
    iterations:
        Nonlinear GMRES iterations (each one or two Matsubara sums).
    matsubara_sums, newton_iterations:
        Matsubara sums and Newton iterations in all.
    residuals:
        max-norm of Δ_new − Δ per iteration (energy units).
    frequencies:
        Number of Matsubara frequencies per sum.
    """

    delta: object
    max_delta: float
    iterations: int
    matsubara_sums: int
    newton_iterations: int
    residuals: list
    frequencies: int


class GapEquation:
    """The map (G2) of the module docstring on ``problem`` at temperature T.

    Parameters
    ----------
    problem:
        A :class:`~kinetics.usadel.problem.UsadelProblem` built with ``delta_field=True``
        and at least one region with ``tc0 > 0``.
    temperature:
        T > 0 (energy units).
    omega_max:
        Highest Matsubara frequency (default 40·max(T_c0, T)).

    Raises
    ------
    ValueError
        Without a superconducting region, without ``delta_field``, for T ≤ 0 or two
        superconducting regions of different T_c0 that share nodes (one domain).
    """

    def __init__(self, problem, temperature: float, omega_max: float | None = None):
        from dolfinx import fem
        self.problem = p = problem
        sc = {r: reg for r, reg in p.regions.items() if reg.tc0 > 0}
        if not sc:
            raise ValueError("GapEquation: no region has a critical temperature tc0 > 0")
        if not p.delta_field:
            raise ValueError("GapEquation: build the UsadelProblem with delta_field=True")
        self.W = fem.functionspace(p.mesh, ("Lagrange", p.degree, (2,)))
        self.state = fem.Function(self.W, name="delta")
        self._wmap = np.full(len(self.state.x.array) // 2, -1, dtype=np.int64)
        self._wmap[self.W.dofmap.list.ravel()] = p.space.dofmap.list.ravel()
        dev = p.device
        self.regions = []
        for name, reg in sc.items():
            cells = dev.cell_tags.find(dev.region_tag(name))
            k = int(p.cell_domain[cells[0]]) if len(cells) else 0
            nodes = np.unique(self.W.dofmap.list[cells].ravel())
            for other, oreg, _, _, onodes in self.regions:
                if oreg.tc0 != reg.tc0 and np.intersect1d(nodes, onodes).size:
                    raise ValueError(f"GapEquation: superconducting regions '{other}' and "
                                     f"'{name}' have different tc0 and share nodes: the "
                                     f"self-consistent Δ is one continuous field (also "
                                     f"across tunnel interfaces), so such regions must not "
                                     f"touch; put a normal layer (tc0 = 0) between them")
            self.regions.append((name, reg, cells, k, nodes))
        self.matsubara_sums = 0
        self.newton_iterations = 0
        self.set_temperature(temperature, omega_max)

    def set_temperature(self, temperature: float, omega_max: float | None = None) -> None:
        """T > 0 (energy units) and the Matsubara grid up to ω_max (default
        40·max(T_c0, T)) of the next evaluations.  ValueError for T ≤ 0."""
        self.T = validation.positive("GapEquation", "temperature", temperature, limit=1e8)
        top = max(max(reg.tc0 for _, reg, _, _, _ in self.regions), self.T)
        self.omegas = matsubara_frequencies(self.T, 40 * top if omega_max is None else omega_max)
        self.tail = tail_coefficient(self.T, len(self.omegas))
        self.inv_sum = 2 * math.pi * self.T * float(np.sum(1 / self.omegas))

    # -- one Matsubara sum -----------------------------------------------------------------
    def set_delta(self, values: np.ndarray) -> None:
        """Write Δ (complex, one value per local node of :attr:`W`) into the problem's pair
        potential on the superconducting regions."""
        arr = self.state.x.array.reshape(-1, 2)
        arr[:, 0], arr[:, 1] = values.real, values.imag
        for _, _, cells, _, _ in self.regions:
            self.problem._delta.interpolate(self.state, cells0=cells, cells1=cells)
        self.problem._delta.x.scatter_forward()

    def anomalous_sum(self) -> list:
        """2πT Σ_{n<N} F(ω_n) at every local node of :attr:`W`, one complex array per
        domain, for the current Δ (Newton per frequency, continuation in ω)."""
        from kinetics.usadel import riccati
        from kinetics.usadel.parameters import unpack
        p, K = self.problem, len(self.problem.domains)
        total = [np.zeros(len(self._wmap), dtype=complex) for _ in range(K)]
        for its in matsubara_solves(p, self.omegas):
            self.newton_iterations += its
            arr = p.u.x.array.reshape(-1, 16 * K)[self._wmap]
            for k in range(K):
                fs = riccati.pair_amplitudes(*unpack(arr[:, 16 * k:16 * (k + 1)]))[0]
                total[k] += 2 * math.pi * self.T * 1j * fs
        self.matsubara_sums += 1
        return total

    def __call__(self, delta: np.ndarray, tail: bool = True) -> np.ndarray:
        """(G2): the new Δ at the local nodes from Δ (same layout); nodes outside the
        superconducting regions keep their value."""
        self.set_delta(delta)
        sums = self.anomalous_sum()
        out = delta.copy()
        for _, reg, _, k, nodes in self.regions:
            d = delta[nodes]
            num = sums[k][nodes] - (self.tail * d * np.abs(d) ** 2 if tail else 0.0)
            out[nodes] = num / (self.inv_sum - math.log(reg.tc0 / self.T))
        return out

    def initial(self) -> np.ndarray:
        """Starting Δ: the bulk Δ(T) of each region's T_c0 (:func:`bcs_gap`, same
        truncation) with the region's phase.  (Started far below it, the Anderson iteration
        can land on the trivial solution Δ = 0, which (G1) always has.)"""
        out = np.zeros(len(self._wmap), dtype=complex)
        for _, reg, _, _, nodes in self.regions:
            d0 = bcs_gap(self.T, reg.tc0, self.omegas[-1] * (1 + 1e-12))
            out[nodes] = d0 * np.exp(1j * reg.phase)
        return out

    def sc_mask(self) -> np.ndarray:
        """Boolean mask of the owned local nodes inside superconducting regions."""
        n_owned = self.W.dofmap.index_map.size_local
        mask = np.zeros(len(self._wmap), dtype=bool)
        for _, _, _, _, nodes in self.regions:
            mask[nodes] = True
        mask[n_owned:] = False
        return mask


def self_consistent_gap(problem, temperature: float, *, omega_max: float | None = None,
                        tol: float = 1e-9, max_iterations: int = 100, depth: int = 10,
                        options: dict | None = None, progress: bool = False) -> GapSolution:
    """Solve the gap equation (G1) on ``problem`` at temperature T (module docstring): Δ(r)
    in the regions with ``tc0 > 0`` self-consistent, to max|Δ_new − Δ| ≤ tol·max T_c0,
    starting from the bulk Δ(T) of each region.  ``depth``: the nonlinear GMRES history
    (``snes_ngmres_m``); ``options``: further PETSc SNES options (without prefix), e.g.
    ``{"snes_type": "anderson"}``; ``progress``: one line per Matsubara sum on rank 0.

    Raises
    ------
    ValueError
        As :class:`GapEquation`; for tol ≤ 0.
    kinetics.solvers.linear.SolverError
        When the iteration or a Newton solve fails (the reason and residuals).
    """
    from mpi4py import MPI
    from petsc4py import PETSc

    from kinetics.solvers.linear import SolverError
    gap = GapEquation(problem, temperature, omega_max)
    tol = validation.positive("self_consistent_gap", "tol", tol)
    max_iterations = validation.integer("self_consistent_gap", "max_iterations",
                                        max_iterations, 1, 10_000)
    scale = max(reg.tc0 for _, reg, _, _, _ in gap.regions)
    comm = problem.mesh.comm
    n_owned = gap.W.dofmap.index_map.size_local
    mask = gap.sc_mask()[:n_owned]
    current = gap.initial()
    residuals: list = []

    def to_complex(vec):
        a = vec.getArray(readonly=True).reshape(-1, 2)
        full = gap.state.x.array.reshape(-1, 2)
        full[:n_owned] = a
        gap.state.x.scatter_forward()
        return full[:, 0] + 1j * full[:, 1]

    def residual(snes, X, R):
        d = to_complex(X)
        new = gap(d)
        diff = np.where(mask, (new - d)[:n_owned], 0.0)
        r = R.getArray().reshape(-1, 2)
        r[:, 0], r[:, 1] = diff.real, diff.imag
        residuals.append(comm.allreduce(float(np.abs(diff).max(initial=0.0)), op=MPI.MAX))
        if progress and comm.rank == 0:
            print(f"gap equation: sum {gap.matsubara_sums}, max |ΔΔ| = {residuals[-1]:.3e}",
                  flush=True)

    X = gap.state.x.petsc_vec.duplicate()
    arr = X.getArray().reshape(-1, 2)
    arr[:, 0], arr[:, 1] = current[:n_owned].real, current[:n_owned].imag
    R = X.duplicate()
    snes = PETSc.SNES().create(comm)
    prefix = f"kinetics_gap_{id(gap)}_"
    snes.setOptionsPrefix(prefix)
    opts = PETSc.Options()
    for k, v in {"snes_type": "ngmres", "snes_ngmres_m": depth,
                 "snes_linesearch_type": "basic", "snes_atol": tol * scale * 1e-3,
                 "snes_rtol": 0.0, "snes_stol": 0.0, "snes_max_it": max_iterations,
                 "snes_max_funcs": 10 * max_iterations, **(options or {})}.items():
        opts[prefix + k] = v
    snes.setFromOptions()
    snes.setFunction(residual, R)
    snes.setConvergenceTest(lambda s, it, norms: (
        PETSc.SNES.ConvergedReason.CONVERGED_FNORM_ABS if residuals and residuals[-1] <= tol * scale
        else (PETSc.SNES.ConvergedReason.DIVERGED_MAX_IT if it >= max_iterations
              else PETSc.SNES.ConvergedReason.ITERATING)))
    try:
        snes.solve(None, X)
        reason, its = snes.getConvergedReason(), snes.getIterationNumber()
    finally:
        snes.destroy()
        for k in list(opts.getAll()):
            if k.startswith(prefix):
                opts.delValue(k)
    if reason <= 0:
        raise SolverError(f"self-consistent gap at T = {temperature:g} did not converge "
                          f"(SNES reason {reason}) after {its} iterations; max |ΔΔ| history: "
                          f"{', '.join(f'{r:.2e}' for r in residuals[-5:])}",
                          reason=str(reason), residuals=residuals)
    final = to_complex(X)
    gap.set_delta(final)
    X.destroy()
    R.destroy()
    biggest = comm.allreduce(float(np.abs(final[:n_owned][mask]).max(initial=0.0)), op=MPI.MAX)
    return GapSolution(gap.state, biggest, its, gap.matsubara_sums, gap.newton_iterations,
                       residuals, len(gap.omegas))


def linear_gain(problem, temperature: float, *, omega_max: float | None = None,
                tol: float = 1e-9, max_iterations: int = 50) -> float:
    """The largest eigenvalue λ of the gap map (G2) linearized at Δ = 0 (power iteration
    with Δ = 1e-7 T_c0 · v, v of unit norm over the nodes, λ the Rayleigh quotient, to a
    change below ``tol``·λ): λ > 1 below T_c, λ < 1 above (exactly 1 at T = T_c0 in a clean
    bulk superconductor).  Raises as :class:`GapEquation`."""
    return _power(GapEquation(problem, temperature, omega_max), tol, max_iterations)[0]


def _power(gap: GapEquation, tol, max_iterations, start=None):
    """(λ, v) of :func:`linear_gain` for the map ``gap`` at its temperature, from the vector
    ``start`` (the v of an earlier call on the same problem) when given."""
    from mpi4py import MPI
    comm = gap.problem.mesh.comm
    mask = gap.sc_mask()
    eps = 1e-7 * max(reg.tc0 for _, reg, _, _, _ in gap.regions)

    def dot(a, b):
        return comm.allreduce(complex(np.vdot(a[mask], b[mask])), op=MPI.SUM)
    if start is None:
        v = np.zeros(len(mask), dtype=complex)
        for _, _, _, _, nodes in gap.regions:
            v[nodes] = 1.0
    else:
        v = start.copy()
    v /= math.sqrt(dot(v, v).real)
    lam = 0.0
    for _ in range(max_iterations):
        g = gap(eps * v, tail=False) / eps
        new = dot(v, g).real
        v = g / math.sqrt(dot(g, g).real)
        if abs(new - lam) <= tol * abs(new):
            return new, v
        lam = new
    return lam, v


def critical_temperature(problem, *, t_low: float | None = None, t_high: float | None = None,
                         omega_max: float | None = None, tol: float = 1e-7) -> float:
    """T_c: where :func:`linear_gain` is 1, by Brent's method between ``t_low`` (default
    0.02 max T_c0) and ``t_high`` (default max T_c0, the highest possible); 0 if the gain is
    below 1 already at ``t_low``.  ``omega_max`` (default 40 max T_c0) is the same for all
    T, so that the truncation does not change along the search.  Each gain starts its power
    iteration from the eigenvector of the previous one (a few Matsubara sums each); a low
    ``t_low`` costs many frequencies (πT(2n+1) ≤ ω_max).

    Raises
    ------
    ValueError
        Without a region with tc0 > 0 (and as :class:`GapEquation`).
    """
    from scipy.optimize import brentq
    top = max(reg.tc0 for reg in problem.regions.values())
    if top <= 0:
        raise ValueError("critical_temperature: no region has a critical temperature tc0 > 0")
    lo = 0.02 * top if t_low is None else t_low
    hi = top if t_high is None else t_high
    w = 40 * top if omega_max is None else omega_max
    memo: dict = {}
    state = {"v": None}
    gap = GapEquation(problem, hi, w)

    def f(T):
        if T not in memo:
            gap.set_temperature(T, w)
            lam, state["v"] = _power(gap, 1e-3 * tol, 50, state["v"])
            memo[T] = lam - 1.0
        return memo[T]
    if f(hi) >= 0:
        return hi
    if f(lo) <= 0:
        return 0.0
    return brentq(f, lo, hi, xtol=tol * top, rtol=1e-15)


def pair_potential_at(problem, points) -> np.ndarray:
    """Δ (complex, (N,), energy units) of the problem at points (N, 3) in mesh coordinates,
    the same on every rank (collective); a point on a region boundary takes the value of the
    first cell found.  ValueError for points outside the mesh."""
    result = problem.point_values(points, 2, lambda x, cell: problem._delta.eval(x, [cell]),
                                  "pair_potential_at")
    return result[:, 0] + 1j * result[:, 1]


# ------------------------------------------------------------------------------ supercurrent
def supercurrent_density(problem, domain: int = 0):
    """(i/4) Tr[ρ₃ǧ∇̃ǧ] of the current solution in domain ``domain``, a real UFL vector of
    the mesh's geometric dimension (1/length in mesh units): 2πT Σ_n of it times σ_N/e is
    the supercurrent density (module docstring).  With an SU(2) gauge field ∇̃ǧ = ∇ǧ −
    i[Ǎ, ǧ] (:mod:`kinetics.usadel.forms`), which adds −i Tr[ρ₃ǧǍǧ] (Tr ρ₃Ǎ = 0):
    Tr[gÂg] + Tr[fÂ*f̃] + Tr[f̃Âf] + Tr[g̃Â*g̃] for ǧ = [[g, f], [−f̃, −g̃]]."""
    import ufl

    from kinetics.usadel import forms as fm
    u = problem.block(problem.u, domain)
    gam, gam_t = fm.split_unknown(u)
    N = fm._inv(fm._one_minus(fm._mm(gam, gam_t)))
    Nt = fm._inv(fm._one_minus(fm._mm(gam_t, gam)))
    g = fm._mm(N, fm._one_plus(fm._mm(gam, gam_t)))
    f = fm._scale(2.0, fm._mm(N, gam))
    ft = fm._scale(2.0, fm._mm(Nt, gam_t))
    gt = fm._mm(Nt, fm._one_plus(fm._mm(gam_t, gam)))

    def tr(A, B, k):
        out = 0
        for a in range(2):
            for b in range(2):
                dB = fm.Cx(ufl.grad(B[b][a].re)[k], ufl.grad(B[b][a].im)[k])
                out = out + A[a][b] * dB
        return out
    def trace(A):
        return A[0][0] + A[1][1]

    def tr_gauge(a):
        """Tr[ρ₃ǧǍǧ] for Â = a."""
        ac = [[x.conj() for x in row] for row in a]
        mm = fm._mm
        return (trace(mm(mm(g, a), g)) + trace(mm(mm(f, ac), ft)) + trace(mm(mm(ft, a), f))
                + trace(mm(mm(gt, ac), gt)))
    A = problem._gauge
    comps = []
    for k in range(problem.mesh.geometry.dim):
        t = tr(g, g, k) - tr(f, ft, k) + tr(ft, f, k) - tr(gt, gt, k)
        if A is not None:
            t = t - 1j * tr_gauge(fm.gauge_blocks([A[3 * k + b] for b in range(3)]))
        comps.append(-0.25 * t.im)                   # Re[(i/4) t]
    return ufl.as_vector(comps)


def supercurrent(problem, temperature: float, surface: str, direction, *,
                 omega_max: float | None = None, domain: int = 0) -> float:
    """2πT Σ_{n<N} ∫_surface (i/4)Tr[ρ₃ǧ∇ǧ](iω_n)·d dS for the current Δ: the supercurrent
    through the facets ``surface`` along the unit vector d, in units of σ_N E₀ L^{dim−2}/e
    (σ_N of the region, L the mesh unit; in 1D: e j/σ_N in E₀/L).  Truncated at ω_max
    (default 40 max(|Δ|, T)): the neglected tail is O(Δ²/(T ω_max)) of the sum.

    Raises
    ------
    KeyError
        For an unknown facet name.
    ValueError
        For T ≤ 0 or a direction that is not a finite non-zero 3-vector.
    """
    import ufl
    from dolfinx import fem
    from mpi4py import MPI
    p = problem
    T = validation.positive("supercurrent", "temperature", temperature, limit=1e8)
    d = validation.direction("supercurrent", "direction", direction)
    d = d / np.linalg.norm(d)
    dev = p.device
    tag = dev.boundary_tag(surface)
    top = max([T] + [abs(r.delta) for r in p.regions.values() if not callable(r.delta)]
              + [r.delta for r in p.reservoirs.values()])
    omegas = matsubara_frequencies(T, 40 * top if omega_max is None else omega_max)
    j = supercurrent_density(p, domain)
    dvec = ufl.as_vector([float(x) for x in d[:p.mesh.geometry.dim]])
    ds = ufl.Measure("ds", domain=p.mesh, subdomain_data=dev.facet_tags)(tag)
    dS = ufl.Measure("dS", domain=p.mesh, subdomain_data=dev.facet_tags)(tag)
    form = fem.form(ufl.inner(j, dvec) * ds + ufl.inner(ufl.avg(j), dvec) * dS)
    total = 0.0
    for _ in matsubara_solves(p, omegas):
        total += 2 * math.pi * T * p.mesh.comm.allreduce(fem.assemble_scalar(form), op=MPI.SUM)
    return total
