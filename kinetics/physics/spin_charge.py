"""UFL weak forms of the steady SU(2)-covariant spin-charge drift-diffusion equations.

Unknowns: the electrochemical potential V and the spin accumulation μ_s (3 components),
both in volts.  Index conventions: ``J[a, i]`` is the spin current of polarization ``a``
flowing along ``i``; ``A[i, b]`` the gauge field (spatial ``i``, spin ``b``).

Constitutive relations (Chen et al., PRB 87, 144411 (2013) Eq. 1; seed 003 Eqs. 80-81;
seed 004 Eqs. 26-32)::

    j_c      = −σ ∇V + (θ σ/2) ∇×μ_s                                        (charge_current)
    J[a, i]  = −(σ/2) (𝒟_i μ_s)^a − θ σ ε_iak ∂_k V
               − (σ/2) κ (δ_ai ∇·μ_s − ∂_a μ_s,i)                          (spin_current)
    (𝒟_i μ)^a = ∂_i μ^a + ε_abc A_i^b μ^c                                    (covariant_gradient)

Continuity (the second with seed 003 Eq. 79's relaxation sign corrected):

    ∇·j_c = 0,       𝒟_i J[a, i] = −(σ/2) μ_s^a / λ_sf²

Weak form, for test functions (v, w) and outward normal n (integration by parts with the
*full* currents, so that the natural boundary condition is "total normal current given"):

    ∫ −j_c·∇v dx + ∮ (n·j_c) v ds = 0
    ∫ −J : 𝒟w + (σ/2λ_sf²) μ_s·w dx + ∮ (n·J)·w ds = 0

using 𝒟_i† = −𝒟_i (ε_abc A_i^b J^c w^a = −J·(A_i × w)).

Every function here takes coefficients already expressed in the solver's internal units
(lengths in mesh units, conductivities divided by a reference σ0, see
:class:`kinetics.models.base.Scaling`); the formulas are unit-independent.

Gradients are "padded" to three dimensions: a mesh that spans only some physical axes
(``Device.axes``) has zero derivatives along the others, so a 2D x-z cross-section or a 1D
film profile use the same 3D formulas.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import ufl
from scipy import constants

__all__ = ["BulkCoefficients", "NormalMetal", "grad3", "curl3", "covariant_gradient",
           "charge_current", "spin_current", "bulk_form", "interface_spin_outflow",
           "ELECTRON_G", "GYROMAGNETIC"]

_AXIS = {"x": 0, "y": 1, "z": 2}

#: |g| of the free electron (CODATA, scipy.constants) used for the Larmor frequency
ELECTRON_G = abs(constants.physical_constants["electron g factor"][0])
#: g μ_B/ħ in rad s⁻¹ T⁻¹: ω_L = GYROMAGNETIC · B (Hanle precession, :func:`bulk_form`)
GYROMAGNETIC = ELECTRON_G * constants.physical_constants["Bohr magneton"][0] / constants.hbar


@dataclasses.dataclass
class BulkCoefficients:
    """Coefficients of one region in internal units (UFL constants or expressions).

    Attributes
    ----------
    sigma:
        σ / σ0 (dimensionless).
    inv_lambda2:
        (L / λ_sf)², L the mesh length unit; zero for no relaxation.
    theta:
        Spin Hall angle θ_SH.
    kappa:
        Spin-swapping coefficient κ (seed 003 Eq. 81 sign).
    A:
        Gauge field A[i, b] times L (UFL 3x3), or None.
    larmor:
        ω_L L²/D (UFL 3-vector): the Larmor frequency of an applied field over the
        diffusion constant, in internal units; None without a field (:func:`bulk_form`).
    """

    sigma: Any
    inv_lambda2: Any
    theta: Any = 0.0
    kappa: Any = 0.0
    A: Any = None
    larmor: Any = None


class NormalMetal:
    """The bulk model of a normal metal (:class:`kinetics.materials.Material`): the
    coefficients of one region in internal units, its weak form (:func:`bulk_form`) and its
    currents (what every bulk model provides: ``coefficients``, ``form``,
    ``charge_current``, ``spin_current``).

    ``problem`` is the model being built; it provides ``scaling`` (length L, σ0),
    ``constant(value)``, ``scaled(value, factor)`` and ``inverse_square_length(ℓ)``
    (:class:`kinetics.models.base.Problem`).
    """

    @staticmethod
    def coefficients(problem, mat) -> BulkCoefficients:
        """σ/σ0, (L/λ_sf)², θ_SH, κ and A·L of ``mat`` (numbers or callables of x)."""
        L = problem.scaling.length
        inv_lambda2 = problem.inverse_square_length(mat.lambda_sf)
        A = mat.gauge_field
        if A is None:
            A_hat = None
        elif callable(A):
            A_hat = ufl.as_matrix(A(problem.x_si)) * L
        else:
            A_hat = problem.constant(np.asarray(A) * L)
        return BulkCoefficients(sigma=problem.scaled(mat.sigma, 1.0 / problem.scaling.sigma0),
                                inv_lambda2=inv_lambda2,
                                theta=problem.scaled(mat.theta_sh, 1.0),
                                kappa=problem.scaled(mat.kappa, 1.0), A=A_hat,
                                larmor=NormalMetal.larmor(problem, mat))

    @staticmethod
    def larmor(problem, mat):
        """ω_L L²/D of the applied field ``problem.magnetic_field`` (a constant 3-vector in
        tesla, or None: no precession term), ω_L = (g μ_B/ħ) B with g = |g_e|
        (:data:`ELECTRON_G`).

        Raises
        ------
        ValueError
            With a field but no ``diffusion_constant`` in ``mat``.
        """
        B = getattr(problem, "magnetic_field", None)
        if B is None:
            return None
        if mat.diffusion_constant is None:
            raise ValueError(f"material '{mat.name}': Hanle precession in a magnetic field "
                             f"needs its diffusion_constant D (m^2/s), e.g. "
                             f"kinetics.materials.get('{mat.name}', diffusion_constant=...)")
        L = problem.scaling.length
        return problem.constant(GYROMAGNETIC * L ** 2 / mat.diffusion_constant) * B

    @staticmethod
    def form(V, mu, v, w, coef: BulkCoefficients, axes: str, dx):
        """The bulk weak form of the region (:func:`bulk_form`)."""
        return bulk_form(V, mu, v, w, coef, axes, dx)

    @staticmethod
    def charge_current(V, mu, coef: BulkCoefficients, axes: str):
        """j_c of the region (:func:`charge_current`)."""
        return charge_current(V, mu, coef, axes)

    @staticmethod
    def spin_current(V, mu, coef: BulkCoefficients, axes: str):
        """J[a, i] of the region (:func:`spin_current`)."""
        return spin_current(V, mu, coef, axes)


def grad3(f, axes: str):
    """Gradient of a scalar (shape (3,)) or 3-vector (shape (3, 3), ``G[a, i] = ∂_i f_a``),
    with zero derivatives along the physical axes the mesh does not span."""
    def d(g, axis):
        k = axes.find(axis)
        zero = k < 0 or isinstance(g, ufl.constantvalue.Zero)   # (Zero has no domain)
        return ufl.zero() if zero else g.dx(k)
    if len(f.ufl_shape) == 0:
        return ufl.as_vector([d(f, ax) for ax in "xyz"])
    return ufl.as_matrix([[d(f[a], ax) for ax in "xyz"] for a in range(3)])


def curl3(mu, axes: str):
    """∇×μ of a 3-vector field with padded derivatives."""
    g = grad3(mu, axes)  # g[a, i] = ∂_i μ_a
    return ufl.as_vector([g[2, 1] - g[1, 2], g[0, 2] - g[2, 0], g[1, 0] - g[0, 1]])


def covariant_gradient(mu, A, axes: str):
    """SU(2)-covariant gradient 𝒟μ[a, i] = ∂_i μ_a + (A_i × μ)_a  (seed 004 Eqs. 26-32)."""
    g = grad3(mu, axes)
    if A is None:
        return g
    a, i, b, c = ufl.indices(4)
    eps = ufl.PermutationSymbol(3)
    return ufl.as_tensor(g[a, i] + eps[a, b, c] * A[i, b] * mu[c], (a, i))


def charge_current(V, mu, coef: BulkCoefficients, axes: str):
    """j_c = −σ∇V + (θσ/2) ∇×μ_s  (Chen et al. 2013 Eq. 1; seed 003 Eq. 80), shape (3,)."""
    return -coef.sigma * grad3(V, axes) + 0.5 * coef.theta * coef.sigma * curl3(mu, axes)


def spin_current(V, mu, coef: BulkCoefficients, axes: str):
    """Spin current J[a, i] (polarization a, flow i), shape (3, 3).

    J = −(σ/2) 𝒟μ − θσ ε_iak ∂_kV − (σ/2) κ (δ_ai ∇·μ − ∂_a μ_i)
    (Chen et al. 2013 Eq. 1; seed 003 Eq. 81; seed 004 Eq. 31 with Θ = δ).
    """
    a, i, k = ufl.indices(3)
    eps = ufl.PermutationSymbol(3)
    gV = grad3(V, axes)
    gmu = grad3(mu, axes)
    Dmu = covariant_gradient(mu, coef.A, axes)
    delta = ufl.Identity(3)
    J = ufl.as_tensor(
        -0.5 * coef.sigma * Dmu[a, i]
        - coef.theta * coef.sigma * eps[i, a, k] * gV[k]
        - 0.5 * coef.sigma * coef.kappa * (delta[a, i] * ufl.tr(gmu) - gmu[i, a]),
        (a, i))
    return J


def bulk_form(V, mu, v, w, coef: BulkCoefficients, axes: str, dx):
    """Bulk part of the weak form over the measure ``dx`` (one region):

        ∫ −j_c·∇v − J : 𝒟w + (σ/2λ²) μ·w − (σ/2D) (ω_L×μ)·w dx

    The last term, with an applied field only (``coef.larmor`` = ω_L L²/D), is the Hanle
    precession of the accumulation about the field: ∂_t s = ω_L × s for the spin density
    s = (σ/2D) μ (in charge units; D∇²μ = μ/τ_s in steady state without a field), ω_L =
    (g μ_B/ħ) B, so that in steady state ∇·J = −(σ/2)μ/λ² + (σ/2D) ω_L×μ (Johnson &
    Silsbee, PRL 55, 1790 (1985); Jedema et al., Nature 416, 713 (2002), Eq. 1 with the
    precession term).  In 1D with B ∥ ẑ, μ₊ = μ_x + iμ_y obeys μ₊'' = (1 − iω_Lτ_s)μ₊/λ².

    Linear in (V, μ) when they are trial functions.  The boundary terms are added by the
    boundary conditions (:mod:`kinetics.physics.boundaries`).

    The flux and relaxation terms are separate integrals (the second carries the explicit
    default ``quadrature_rule`` in its metadata, which keeps UFL from merging them), so
    each gets its own estimated quadrature degree: for P1 and constant coefficients one
    point for the flux term instead of the four the relaxation term needs.  Same matrix to
    round-off, assembly 2.3x faster (docs/performance.md).  The Larmor term goes with the
    flux integral: with the relaxation one, FFCx 0.9 generates C code that declares the
    Jacobian twice for the submesh forms of :class:`kinetics.models.circuit.CircuitProblem`
    ("redefinition of J_c0"); the degree estimated for the merged integral integrates both
    terms exactly, so the matrix is the same to round-off."""
    jc = charge_current(V, mu, coef, axes)
    J = spin_current(V, mu, coef, axes)
    Dw = covariant_gradient(w, coef.A, axes)
    relaxation = dx.reconstruct(metadata={**dx.metadata(), "quadrature_rule": "default"})
    form = ((-ufl.inner(jc, grad3(v, axes)) - ufl.inner(J, Dw)) * dx
            + 0.5 * coef.sigma * coef.inv_lambda2 * ufl.inner(mu, w) * relaxation)
    if coef.larmor is not None:
        form = form - 0.5 * coef.sigma * ufl.inner(ufl.cross(coef.larmor, mu), w) * dx
    return form


def interface_spin_outflow(mu, m, G_r, G_s=0.0, G_i=0.0, Gamma=None, *, mixing_only=False):
    """n·j_s at an HM|FI interface (docs/design.md §3; seed 004 Eqs. 35, 40; Chen 2013 Eq. 7):

        𝐆μ = G_s μ + G_r (μ − (m·μ) m) − G_i m×μ + Γ μ

    ``m`` is the (rotated) magnetization m̃ seen by the conduction electrons.  With
    ``mixing_only`` only the torque-carrying G_r, G_i part is returned.  Coefficients in the
    caller's units (internal: G L/σ0)."""
    out = G_r * (mu - ufl.dot(m, mu) * m) - G_i * ufl.cross(m, mu)
    if mixing_only:
        return out
    out = out + G_s * mu
    return out if Gamma is None else out + ufl.dot(Gamma, mu)
