"""UFL weak forms of the diffusive spin and charge transport in a ferromagnetic metal.

Unknowns as in :mod:`kinetics.physics.spin_charge`: the electrochemical potential V and the
spin accumulation μ_s = (μ↑ − μ↓)/e (3 components), volts; spin currents ``J[a, i]``
(polarization a, flow i) in charge-current units (A/m²).  m is the unit magnetization of the
region (uniform, a runtime constant).

Constitutive relations.  The two-current model of Valet & Fert, PRB 48, 7099 (1993), with
σ↑,↓ = σ(1 ± β)/2 (so β = (σ↑ − σ↓)/σ is their bulk asymmetry: ρ↑,↓ = 1/σ↑,↓ = 2ρ*(1 ∓ β),
ρ* = 1/(σ(1 − β²))), μ↑,↓ = V ± μ_s/2, j↑,↓ = −σ↑,↓∇μ↑,↓, gives for the charge current
j_c = j↑ + j↓ and the spin current J = (j↑ − j↓) m along m; the transverse spin current is
that of a normal metal (Zhang, Levy & Fert, PRL 88, 236601 (2002); Petitjean, Luc & Waintal,
PRL 109, 117204 (2012)):

    j_c     = −σ∇V − (βσ/2) ∇(m·μ_s)                                      (charge_current)
    J[a, i] = −βσ m_a ∂_iV − (σ/2) ∂_iμ_a                                   (spin_current)

Onsager: the cross coefficients βσ/2 and βσ are equal once the spin equation is weighted by
1/2 (the conjugate force of J is −∇μ_s/2); what remains antisymmetric (precession, anomalous
Hall effect) is odd in m, so the conductance matrix of a device obeys G_ij(m) = G_ji(−m)
(tested).

Continuity:

    ∇·j_c = 0,
    ∂_iJ[a, i] = −(σ/2) [c_sf μ_a + (μ×m)_a/λ_J² + (m×(μ×m))_a/λ_φ²].

*The longitudinal coefficient* c_sf = (1 − β²)/l_sf².  With m uniform and μ = μ_∥ m,
∇·j_c = 0 gives σ∇²V = −(βσ/2)∇²μ_∥, hence ∇·J_∥ = −βσ∇²V − (σ/2)∇²μ_∥ =
−(σ/2)(1 − β²)∇²μ_∥, and the continuity equation becomes ∇²μ_∥ = μ_∥/l_sf²: the longitudinal
accumulation decays over Valet–Fert's l_F = l_sf.  The same c_sf relaxes the transverse components (isotropic spin flip).

*The transverse terms* (Zhang, Levy & Fert 2002; Petitjean et al. 2012).  The dephasing term
m×(μ×m) = μ − (m·μ)m relaxes the transverse part over λ_φ.  The precession term has the sign
written above: the equation is the steady state of ∂_t s + ∂_iJ[:, i] = −(σ/2)R(μ), s the
spin density (∝ μ), whose precession part is ∂_t s = (σ/2λ_J²) m×μ: a right-handed
(counter-clockwise) precession of the accumulation about +m.  For m = ẑ the transverse
combination μ₊ = μ_x + iμ_y then obeys

    ∇²μ₊ = k² μ₊,   k² = c_sf + 1/λ_φ² − i/λ_J²,

so a transverse accumulation injected at x = 0 into a ferromagnet filling x > 0 is
μ₊ ∝ e^{−kx} = e^{−Re k·x} e^{+i|Im k|x}: it decays over 1/Re k and turns from x̂ toward +ŷ
(counter-clockwise about m) with period 2π/|Im k| (tests/test_ferromagnet.py).  The opposite
sense of precession (the sign of the s-d exchange of a given material) is λ_J² → −λ_J²,
which this model does not offer.

*Anisotropic magnetoresistance and anomalous Hall effect* (charge current only; their spin
counterparts are not modelled): with E = −∇V the σ∇V term becomes

    σ̂E = σ_⊥E + (σ_∥ − σ_⊥)(m·E)m + θ_AH σ_⊥ m×E,

σ_∥ (σ_⊥ = σ) the conductivity along (across) m; the phenomenology of Nagaosa et al., RMP 82,
1539 (2010), with this sign convention: θ_AH > 0 drives the Hall current along m×E.  For
m = ẑ, ρ̂ = σ̂⁻¹ has ρ_xy = −ρ_yx = θ_AH/(σ(1 + θ_AH²)) (E = ρ̂j): in a Hall bar carrying j ∥ x̂
the Hall field is E_y = −θ_AH j/(σ(1 + θ_AH²)).  σ̂(m)ᵀ = σ̂(−m), so Onsager's
G_ij(m) = G_ji(−m) still holds while G is no longer symmetric (tested).  The spin terms use σ.

Weak form, for test functions (v, w), integrated by parts with the *full* currents so that
the natural boundary condition is "total normal current given" (as
:func:`kinetics.physics.spin_charge.bulk_form`):

    ∫ −j_c·∇v − J : ∇w + (σ/2) [c_sf μ + (μ×m)/λ_J² + m×(μ×m)/λ_φ²]·w dx = 0.

All coefficients are in the solver's internal units (lengths in mesh units, σ/σ0,
:class:`kinetics.models.base.Scaling`); gradients are padded to three dimensions
(:func:`kinetics.physics.spin_charge.grad3`), so 1D and 2D meshes use the same formulas.
V and μ_s are continuous across regions (transparent F|N contact).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import ufl

from kinetics.physics.spin_charge import grad3

__all__ = ["FerromagnetCoefficients", "FerromagneticMetal", "charge_current", "spin_current",
           "relaxation", "bulk_form"]


@dataclasses.dataclass
class FerromagnetCoefficients:
    """Coefficients of one ferromagnetic region in internal units (UFL constants).

    Attributes
    ----------
    sigma:
        σ/σ0 (dimensionless).
    beta:
        Conductivity polarization β (|β| < 1).
    c_sf:
        (1 − β²)(L/l_sf)², L the mesh length unit (zero for l_sf = inf).
    inv_lambda_J2, inv_lambda_phi2:
        (L/λ_J)², (L/λ_φ)² (zero for infinite lengths).
    m:
        Unit magnetization, a ``dolfinx.fem.Constant`` of shape (3,) (updated in place by
        :meth:`kinetics.models.spin_charge.SpinChargeProblem.set_magnetization`).
    d_sigma:
        (σ_∥ − σ_⊥)/σ0 (anisotropic magnetoresistance), or None.
    theta_ah:
        Anomalous Hall angle θ_AH, or None.
    """

    sigma: Any
    beta: Any
    c_sf: Any
    inv_lambda_J2: Any
    inv_lambda_phi2: Any
    m: Any
    d_sigma: Any = None
    theta_ah: Any = None


def charge_current(V, mu, coef: FerromagnetCoefficients, axes: str):
    """j_c = σ̂E − (βσ/2)∇(m·μ_s), E = −∇V, shape (3,), internal units (Valet & Fert, PRB 48,
    7099 (1993), two-current model; module docstring).  m uniform in the region.

    σ̂E = σ_⊥E + (σ_∥ − σ_⊥)(m·E)m + θ_AH σ_⊥ m×E (anisotropic magnetoresistance and
    anomalous Hall effect, module docstring); σ̂ = σ without them."""
    g_mu = grad3(mu, axes)                                    # g_mu[a, i] = ∂_i μ_a
    E = -grad3(V, axes)
    j = coef.sigma * E - 0.5 * coef.beta * coef.sigma * ufl.dot(ufl.transpose(g_mu), coef.m)
    if coef.d_sigma is not None:
        j = j + coef.d_sigma * ufl.dot(coef.m, E) * coef.m
    if coef.theta_ah is not None:
        j = j + coef.theta_ah * coef.sigma * ufl.cross(coef.m, E)
    return j


def spin_current(V, mu, coef: FerromagnetCoefficients, axes: str):
    """J[a, i] = −βσ m_a ∂_iV − (σ/2)∂_iμ_a, shape (3, 3) (polarization a, flow i), internal
    units (Valet & Fert 1993 two-current model; Zhang, Levy & Fert, PRL 88, 236601 (2002);
    module docstring)."""
    return (-coef.beta * coef.sigma * ufl.outer(coef.m, grad3(V, axes))
            - 0.5 * coef.sigma * grad3(mu, axes))


def relaxation(mu, coef: FerromagnetCoefficients):
    """R(μ) = c_sf μ + (μ×m)/λ_J² + m×(μ×m)/λ_φ², shape (3,), so that ∂_iJ[a, i] = −(σ/2)R_a
    (Zhang, Levy & Fert 2002; Petitjean, Luc & Waintal, PRL 109, 117204 (2012); the sign of
    the precession term is discussed in the module docstring)."""
    m = coef.m
    mu_x_m = ufl.cross(mu, m)
    return (coef.c_sf * mu + coef.inv_lambda_J2 * mu_x_m
            + coef.inv_lambda_phi2 * ufl.cross(m, mu_x_m))


def bulk_form(V, mu, v, w, coef: FerromagnetCoefficients, axes: str, dx):
    """Bulk weak form of a ferromagnetic region over ``dx``:

        ∫ −j_c·∇v − J : ∇w + (σ/2) R(μ)·w dx

    (module docstring).  Linear in (V, μ); boundary terms come from the conditions.  As in
    :func:`kinetics.physics.spin_charge.bulk_form` the relaxation integral carries its own
    quadrature metadata so that it gets its own (higher) estimated degree."""
    jc = charge_current(V, mu, coef, axes)
    J = spin_current(V, mu, coef, axes)
    relax = dx.reconstruct(metadata={**dx.metadata(), "quadrature_rule": "default"})
    return ((-ufl.inner(jc, grad3(v, axes)) - ufl.inner(J, grad3(w, axes))) * dx
            + 0.5 * coef.sigma * ufl.inner(relaxation(mu, coef), w) * relax)


class FerromagneticMetal:
    """The bulk model of a ferromagnetic metal (:class:`kinetics.materials.Ferromagnet`):
    coefficients in internal units, weak form and currents (the interface of
    :class:`kinetics.physics.spin_charge.NormalMetal`).

    ``problem`` provides ``scaling`` (length L, σ0), ``constant(value)`` and
    ``inverse_square_length(ℓ)`` (:class:`kinetics.models.base.Problem`).
    """

    @staticmethod
    def coefficients(problem, mat) -> FerromagnetCoefficients:
        """σ/σ0, β, (1 − β²)(L/l_sf)², (L/λ_J)², (L/λ_φ)² and the constant m of ``mat``."""
        beta, L = float(mat.beta), problem.scaling.length
        c_sf = 0.0 if math.isinf(mat.lambda_sf) else (1.0 - beta ** 2) * (L / mat.lambda_sf) ** 2
        sigma0 = problem.scaling.sigma0
        par = mat.sigma_parallel
        return FerromagnetCoefficients(
            sigma=problem.constant(mat.sigma / sigma0),
            beta=problem.constant(beta), c_sf=problem.constant(c_sf),
            inv_lambda_J2=problem.inverse_square_length(mat.lambda_J),
            inv_lambda_phi2=problem.inverse_square_length(mat.lambda_phi),
            m=problem.constant(mat.m),
            d_sigma=None if par is None else problem.constant((par - mat.sigma) / sigma0),
            theta_ah=problem.constant(mat.theta_ah) if mat.theta_ah != 0 else None)

    @staticmethod
    def form(V, mu, v, w, coef: FerromagnetCoefficients, axes: str, dx):
        """The bulk weak form of the region (:func:`bulk_form`)."""
        return bulk_form(V, mu, v, w, coef, axes, dx)

    charge_current = staticmethod(charge_current)
    spin_current = staticmethod(spin_current)
