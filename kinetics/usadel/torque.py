"""The superconducting spin–orbit torque Ť and the spin currents of a solved
:class:`~kinetics.usadel.problem.UsadelProblem`, at quadrature points or given points, and
their equilibrium (energy-integrated) densities from Matsubara sums.

Physics (seed 003: Huang, Tokatly & Bergeret, arXiv:1807.07029 (2018); basis map and signs:
:mod:`kinetics.usadel.extrinsic`):

- the torque Ť = (D/4)θ ε_akj [Š_a, ǧ∂_kǧ∂_jǧ] + (D/4)κ ε_akj i[∂_kǧ∂_jǧ, Š_a] (seed Eq. 3/78,
  :func:`kinetics.usadel.extrinsic.torque`) and the matrix current
  J̌_k = −D(ǧ∂_kǧ − Č_k) with the spin Hall and swapping terms Č_k (seed Eq. 2/74,
  :func:`kinetics.usadel.extrinsic.matrix_current`), evaluated on the solution ǧ of the
  problem with the θ, κ of its regions.  The solution contains θ, κ when the problem was
  built with them (:mod:`kinetics.usadel.extrinsic_forms`); built with θ = κ = 0 and given
  θ, κ on its regions afterwards (``region.theta = ...``), it gives the first-order result
  of the paper's Sec. V (Ť of the SOC-free ǧ);
- for a vortex Δ = |Δ(r)|e^{inφ} in an in-plane Zeeman field h, Tr[σ^aτ₃Ť] = F(r) n (ẑ×h)_a
  (seed Eq. 84; σ^aτ₃ of the paper is Š_aρ₃ here).  Found here (tests/test_usadel_torque.py,
  demos/vortex_torque.py): per frequency the θ term gives Tr[Š_aŤ] only and the κ term
  Tr[Š_aρ₃Ť] only, both ∥ ẑ×h and odd in n; after the energy sum only Tr[Š_aŤ] (θ)
  survives (next paragraph but one).

Traces (per point; Š_a = :data:`~kinetics.usadel.extrinsic.SPIN`):
``tau`` = Tr[Š_a Ť], ``tau3`` = Tr[Š_aρ₃ Ť] (the paper's literal Eq. 84 trace),
``spin_current`` = Tr[Š_a J̌_k] (index order [a, k]: polarization a, direction k) and
``charge_current`` = Tr[ρ₃ J̌_k].  Tracing (E1) of :mod:`kinetics.usadel.extrinsic` with Š_a
gives the spin continuity equation: density Tr[Š_aρ₃ǧ^K] (the spin density of
:mod:`kinetics.usadel.kinetic`, the paper's S^a ∝ Tr[σ^aτ₃ǧ^K]; the ρ₃ comes from the
ε-term), current Tr[Š_aJ̌^K], source Tr[Š_aŤ^K]: so ``tau`` is the spin torque density.

Particle–hole symmetry at the Matsubara points (derived from the tilde conjugation
X̃(z) = X*(−z*) of :mod:`kinetics.usadel.riccati`): ǧ(iω) = −τ₁ǧ(iω)*τ₁ (τ₁ swaps the Nambu
blocks), hence Ť(iω) = τ₁Ť(iω)*τ₁ for both terms, and with τ₁Š_aτ₁ = −Š_a*,
τ₁ρ₃τ₁ = −ρ₃: Tr[Š_aŤ(iω)] is imaginary and Tr[Š_aρ₃Ť(iω)] real.  So the equilibrium
``tau3`` below vanishes identically (any state); the paper's Eq. 84 holds for the spectral
(retarded, per energy) trace, see :func:`quadrature_values` and :func:`spin_traces`.
Likewise Tr[Š_a J̌(iω)] and Tr[ρ₃J̌(iω)] are imaginary (the currents survive the sum).

Matsubara identity (the standard contour argument of the temperature technique, e.g.
Abrikosov, Gor'kov & Dzyaloshinskii, Methods of QFT in Statistical Physics): for a
retarded F^R(ε), analytic for Im ε > 0 and decaying faster than 1/ε, with
F^A(ε) = −ρ₃F^R(ε*)†ρ₃ (true for Ť and J̌, checked in tests/test_usadel_torque.py) and O
hermitian commuting with ρ₃:

    tanh(ε/2T) has poles at ε = iω_n (ω_n = πT(2n+1)) with residue 2T; closing the contour of
    F^R up and of F^A down, ∫dε tanh(ε/2T) Tr[O(F^R − F^A)]
    = 4πiT Σ_{n≥0} (Tr[O F^R(iω_n)] − conj Tr[O F^R(iω_n)]) = −8πT Σ_{n≥0} Im Tr[O F^R(iω_n)].

With the paper's normalization (S^a = −(π/4)N_F Tr[σ^aτ₃ǧ^K], ∫dε/2π, equilibrium
F^K = (F^R − F^A) tanh(ε/2T)) an equilibrium density is

    ⟨O F⟩ = −(π/4)N_F ∫(dε/2π) Tr[O F^K] = π N_F T Σ_{n≥0} Im Tr[O F^R(iω_n)],

where F^R(iω_n) is computed from the solution at ε = 0, η = ω_n
(:func:`kinetics.usadel.matsubara.matsubara_solves`).

Units: N_F = 1; energies (T, ω_n, the torque densities) in the problem's energy unit E₀,
lengths in mesh units; Ť is in E₀ (D̂ dimensionless, ∂ in 1/mesh length), J̌_k in
E₀·(mesh length) (D̂ ∂); so τ, τ₃ are in N_F E₀² and the spin currents in N_F E₀² L (per
unit N_F; multiply by the physical N_F, ħ/2 etc. for SI).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from kinetics import validation
from kinetics.usadel import sampling
from kinetics.usadel.bulk import matsubara_frequencies
from kinetics.usadel.extrinsic import SPIN, gradient_from_riccati, matrix_current
from kinetics.usadel.extrinsic import torque as torque_matrix
from kinetics.usadel.parameters import unpack
from kinetics.usadel.riccati import RHO3

__all__ = ["OPERATORS", "spin_traces", "QuadratureValues", "quadrature_values", "torque_at",
           "EquilibriumTorque", "equilibrium_torque", "default_omega_max"]

#: the trace operators: Š_a (3, 4, 4) and Š_aρ₃ (3, 4, 4)
OPERATORS = {"plain": SPIN, "rho3": SPIN @ RHO3}

#: names of the traced fields and their per-point shapes
FIELDS = {"tau": (3,), "tau3": (3,), "spin_current": (3, 3), "charge_current": (3,)}


def spin_traces(T, J) -> dict:
    """The traces of the module docstring from Ť (..., 4, 4) and J̌ (..., 3, 4, 4):
    ``tau``, ``tau3`` (..., 3), ``spin_current`` (..., 3, 3) (index [..., a, k]) and
    ``charge_current`` (..., 3); complex (the retarded values).  Units of Ť and J̌."""
    S, S3 = OPERATORS["plain"], OPERATORS["rho3"]
    return {"tau": np.einsum("aij,...ji->...a", S, T),
            "tau3": np.einsum("aij,...ji->...a", S3, T),
            "spin_current": np.einsum("aij,...kji->...ak", S, J),
            "charge_current": np.einsum("ij,...kji->...k", RHO3, J)}


@dataclasses.dataclass
class QuadratureValues:
    """Ť and J̌ of the current solution at the quadrature points of local cells.

    Attributes
    ----------
    cells:
        Local cell indices (n_cells,).
    x:
        Points (n_cells, nq, gdim), mesh coordinates.
    weights:
        Physical quadrature weights (n_cells, nq) (reference weight × |det J|, mesh units).
    torque:
        Ť (n_cells, nq, 4, 4), energy units E₀.
    current:
        J̌_k (n_cells, nq, 3, 4, 4), k = physical x, y, z, in E₀·L.
    delta:
        Δ (n_cells, nq) complex, E₀.
    """

    cells: np.ndarray
    x: np.ndarray
    weights: np.ndarray
    torque: np.ndarray
    current: np.ndarray
    delta: np.ndarray


class _Sampler:
    """Compiled expressions (ǧ, ∂ǧ, Δ, x, |det J|) at a quadrature rule of ``problem``."""

    def __init__(self, problem, degree: int | None):
        import ufl
        from dolfinx import fem
        if problem._gauge is not None:
            raise ValueError("the spin-orbit torque does not support SU(2) gauge fields yet "
                             "(its derivatives are not covariant)")
        deg = problem.quadrature_degree if degree is None else degree
        deg = validation.integer("torque", "quadrature_degree", deg, 1, 20)
        self.points, self.ref_weights = sampling.quadrature_rule(problem.mesh, deg)
        self.nq = len(self.ref_weights)
        self.evaluators = sampling._Evaluators(problem, self.points)
        self.detj = fem.Expression(abs(ufl.JacobianDeterminant(problem.mesh)), self.points)
        self.params = sampling.cell_parameters(problem)

    def __call__(self, problem, cells) -> QuadratureValues:
        x, g, dg, delta = sampling.sample(problem, cells, self.evaluators, self.nq)
        w = self.detj.eval(problem.mesh, cells).reshape(len(cells), self.nq) * self.ref_weights
        p = self.params
        D, th, ka = (a[cells][:, None] for a in (p.D, p.theta, p.kappa))
        return QuadratureValues(cells, x, w, torque_matrix(g, dg, D, th, ka),
                                matrix_current(g, dg, D, th, ka), delta)


def _owned_cells(problem) -> np.ndarray:
    imap = problem.mesh.topology.index_map(problem.mesh.topology.dim)
    return np.arange(imap.size_local, dtype=np.int32)


def quadrature_values(problem, cells=None, *, quadrature_degree: int | None = None):
    """:class:`QuadratureValues` of the current solution of ``problem`` (θ, κ, D of each
    cell's :class:`~kinetics.usadel.problem.UsadelRegion`) at the points of the basix rule
    of ``quadrature_degree`` (default the problem's) on ``cells`` (default: the owned cells
    of this rank; not collective).

    Raises
    ------
    ValueError
        For a bad quadrature degree, cells of no region, or a problem with an SU(2) gauge
        field (not supported)."""
    cells = _owned_cells(problem) if cells is None else np.asarray(cells, dtype=np.int32)
    return _Sampler(problem, quadrature_degree)(problem, cells)


def torque_at(problem, points) -> tuple[np.ndarray, np.ndarray]:
    """(Ť (N, 4, 4), J̌ (N, 3, 4, 4)) of the current solution at points (N, 3) in mesh
    coordinates, the same on every rank (collective).  ∇u is interpolated exactly into
    discontinuous Lagrange elements of degree − 1 (affine cells); a point on a cell
    boundary takes the value of the first cell found.  Units as :class:`QuadratureValues`.

    Raises
    ------
    ValueError
        For points that are not a finite (N, 3) array or lie outside the mesh."""
    import ufl
    from dolfinx import fem
    msh, K = problem.mesh, len(problem.domains)
    gdim = msh.geometry.dim
    W = fem.functionspace(msh, ("DG", max(problem.degree - 1, 0), (16 * K, gdim)))
    grad = fem.Function(W)
    grad.interpolate(fem.Expression(ufl.grad(problem.u), W.element.interpolation_points()))
    params = sampling.cell_parameters(problem)
    axes = sampling.axis_indices(problem.device)

    def value(x, cell):
        k = max(int(problem.cell_domain[cell]), 0)
        u = problem.u.eval(x, [cell])[16 * k:16 * (k + 1)]
        du = grad.eval(x, [cell]).reshape(16 * K, gdim)[16 * k:16 * (k + 1)]
        gam, gam_t = unpack(u)
        dgam = np.zeros((3, 2, 2), complex)
        dgam_t = np.zeros((3, 2, 2), complex)
        for j, ax in enumerate(axes):
            dgam[ax], dgam_t[ax] = unpack(du[:, j])
        g, dg = gradient_from_riccati(gam, gam_t, dgam, dgam_t)
        c = (params.D[cell], params.theta[cell], params.kappa[cell])
        T = torque_matrix(g, dg, *c)
        J = matrix_current(g, dg, *c)
        return np.concatenate([T.ravel().view(float), J.ravel().view(float)])
    out = problem.point_values(points, 2 * (16 + 48), value, "torque_at")
    cplx = out.view(complex)
    return cplx[:, :16].reshape(-1, 4, 4), cplx[:, 16:].reshape(-1, 3, 4, 4)


@dataclasses.dataclass
class EquilibriumTorque:
    """Result of :func:`equilibrium_torque` (units: module docstring, N_F = 1).

    Attributes
    ----------
    fields:
        ``{name: dolfinx Function}`` for ``tau``, ``tau3`` (DG0, shape (3,), index a),
        ``spin_current`` (DG0, shape (3, 3), index [a, k]) and ``charge_current`` (DG0,
        shape (3,)): cell averages
        of the densities over the quadrature points (owned and ghost cells filled), ready
        for XDMF (cell data) or PyVista.
    x, weights:
        Quadrature points (n_cells, nq, gdim) and physical weights (n_cells, nq) of the
        owned cells of this rank.
    values:
        ``{name: array}`` of the densities at these points, (n_cells, nq, 3) or
        (n_cells, nq, 3, 3), real.
    integrals:
        ``{name: array}`` ∫ density dA over the mesh (global, the same on every rank).
    omegas:
        The Matsubara frequencies summed (energy units).
    newton_iterations:
        Newton iterations of all solves.
    """

    fields: dict
    x: np.ndarray
    weights: np.ndarray
    values: dict
    integrals: dict
    omegas: np.ndarray
    newton_iterations: int


def default_omega_max(problem, temperature: float) -> float:
    """40·max(T, max|Δ|, max|h|) over the mesh (collective), energy units: the default
    Matsubara cutoff (as :func:`kinetics.usadel.matsubara.supercurrent`)."""
    from mpi4py import MPI
    d = problem._delta.x.array.reshape(-1, 2)
    dmax = float(np.max(np.hypot(d[:, 0], d[:, 1]), initial=0.0))
    dmax = problem.mesh.comm.allreduce(dmax, op=MPI.MAX)
    hmax = max(float(np.linalg.norm(r.h)) for r in problem.regions.values())
    return 40.0 * max(temperature, dmax, hmax)


def equilibrium_torque(problem, temperature: float, *, omega_max: float | None = None,
                       quadrature_degree: int | None = None,
                       progress: bool = False) -> EquilibriumTorque:
    """Equilibrium torque densities and spin currents by the Matsubara sum of the module
    docstring, π T Σ_{0 ≤ ω_n ≤ ω_max} Im Tr[O F^R(iω_n)] (N_F = 1), for
    F = Ť (``tau``: O = Š_a; ``tau3``: O = Š_aρ₃, seed Eq. 84, zero by symmetry: module
    docstring) and F = J̌_k (``spin_current``: O = Š_a; ``charge_current``: O = ρ₃, which is
    4D̂ times the supercurrent density of :func:`kinetics.usadel.matsubara.supercurrent_density`
    summed as there), with θ, κ, D of each region.  Solves ``problem``
    at each ω_n (ε = 0, η = ω_n, continuation in ω; collective), then restores its η (the
    solution left in ``problem.u`` is that at the last ω_n).

    Parameters
    ----------
    problem:
        A :class:`~kinetics.usadel.problem.UsadelProblem` (any dimension, domains allowed).
    temperature:
        T > 0 (energy units E₀).
    omega_max:
        Cutoff (default :func:`default_omega_max`); Ť decays fast in ω (like ω⁻² or faster
        at large ω, since ∂ǧ ∝ 1/ω), so a few Δ suffice for the torque (the spin currents
        carry the Zeeman triplet and decay more slowly).
    quadrature_degree:
        Of the points and cell averages (default the problem's).
    progress:
        Print one line per frequency on rank 0.

    Returns
    -------
    :class:`EquilibriumTorque`.

    Raises
    ------
    ValueError
        For T ≤ 0, ω_max ≤ 0 or non-finite, a bad quadrature degree, or a problem with an
        SU(2) gauge field (not supported).
    kinetics.solvers.linear.SolverError
        When Newton fails at a frequency.
    """
    from dolfinx import fem
    from mpi4py import MPI

    from kinetics.usadel.matsubara import matsubara_solves
    T = validation.positive("equilibrium_torque", "temperature", temperature, limit=1e8)
    wmax = default_omega_max(problem, T) if omega_max is None else validation.positive(
        "equilibrium_torque", "omega_max", omega_max, limit=1e12)
    omegas = matsubara_frequencies(T, wmax)
    msh = problem.mesh
    cells = _owned_cells(problem)
    sampler = _Sampler(problem, quadrature_degree)
    eta0 = problem.eta
    sums = {k: np.zeros((len(cells), sampler.nq) + s) for k, s in FIELDS.items()}
    its, q = 0, None
    for it in matsubara_solves(problem, omegas):
        its += it
        q = sampler(problem, cells)
        for k, v in spin_traces(q.torque, q.current).items():
            sums[k] += math.pi * T * v.imag
        if progress and msh.comm.rank == 0:
            print(f"equilibrium_torque: omega = {problem.eta:.6g} ({len(omegas)} in all), "
                  f"Newton iterations {it}", flush=True)
    problem.set_broadening(eta0)
    area = q.weights.sum(axis=1)
    fields, integrals = {}, {}
    for k, shape in FIELDS.items():
        V = fem.functionspace(msh, ("DG", 0, shape))
        f = fem.Function(V, name=k)
        avg = np.einsum("cq,cq...->c...", q.weights, sums[k]) / area.reshape(
            (-1,) + (1,) * len(shape))
        bs = V.dofmap.index_map_bs
        dofs = V.dofmap.list[cells, 0]
        f.x.array.reshape(-1, bs)[dofs] = avg.reshape(len(cells), bs)
        f.x.scatter_forward()
        fields[k] = f
        local = np.einsum("cq,cq...->...", q.weights, sums[k])
        integrals[k] = msh.comm.allreduce(local, op=MPI.SUM)
    return EquilibriumTorque(fields, q.x, q.weights, sums, integrals, omegas, its)
