"""Closed forms of the spin AMR and the relaxation torque in a ferromagnet (pure numpy).

Model: :mod:`kinetics.physics.ferromagnet` with the terms of Nakabayashi, Takeuchi, Hosono,
Taguchi & Tatara, "Theory of spin relaxation torque in metallic ferromagnets" (NTHTT):
the local spin current m⊗(Σ_s E) with Σ_s = βσ I − δσ_s m⊗m (NTHTT Eq. 37) and the
relaxation torque T = m ∇·(ΓE), Γ = γI + δγ m⊗m (NTHTT Eqs. 5–6), δγ = γ/3 in their model.

*Local spin current* (NTHTT Eqs. 37–40, with the factor E that their Eq. 38 drops): for a
uniform field E at the angle θ to m, |Σ_s E| = E√(σ_s∥² cos²θ + σ_s⊥² sin²θ) with
σ_s⊥ = σ_s = βσ and σ_s∥ = σ_s − δσ_s, and Δρ_s/ρ_s⊥ = (ρ_s∥ − ρ_s⊥)/ρ_s⊥ =
(δσ_s/σ_s)/(1 − δσ_s/σ_s), ρ_sα = 1/σ_sα (NTHTT Eq. 40).

*Two regions in 1D* (a conductivity step inside a ferromagnet, or an F|N junction), derived
here for this framework's equations.  Region 1 fills −L₁ < x < 0, region 2 0 < x < L₂;
spin reservoirs (μ = 0) and V = V₀, 0 at the ends; m uniform with x-component m_x; current
density j along x.  With μ = μ_∥ m, the conserved spin current J̃ = J − m(ΓE) and the
charge current of each region are (module docstring of :mod:`kinetics.physics.ferromagnet`)

    J̃_x = β̃ σE − (σ/2)μ',   j = σE − (β̃σ/2)μ',
    β̃ = β − (γ + (δγ + δσ_s) m_x²)/σ                           (effective polarization)

and the continuity equation ∂_xJ̃_x = −(σ/2)c_sf μ, c_sf = (1 − β²)/l_sf², gives, eliminating
E = j/σ + β̃μ'/2,

    J̃_x = β̃ j − (σ/2)(1 − β̃²)μ',   μ'' = κ²μ,   κ² = c_sf/(1 − β̃²).

The torque renormalizes the bulk decay (∇·E = β̃μ''/2 ≠ 0 where μ varies) and, at the step,
μ and J̃ are continuous: the torque's surface source is the jump (β̃₁ − β̃₂) j of β̃ j.
Hence μ = μ₀ sinh(κ₁(x + L₁))/sinh(κ₁L₁) (x < 0), μ₀ sinh(κ₂(L₂ − x))/sinh(κ₂L₂) (x > 0),

    μ₀ = 2 j (β̃₁ − β̃₂)/D,   D = Σ_i σ_i(1 − β̃_i²) κ_i coth(κ_iL_i),
    j = V₀ / (L₁/σ₁ + L₂/σ₂ + (β̃₁ − β̃₂)²/D).

Two regions of one ferromagnet (same β, δσ_s, γ, δγ) differing only in σ have
β̃₁ − β̃₂ = (γ + (δγ + δσ_s)m_x²)(1/σ₂ − 1/σ₁): without spin AMR and torque a conductivity
step injects no spin (βj is continuous); with them the source is ∝ the jump of E, the
planar source ∇·E = (E₂ − E₁)δ(x) of NTHTT Sec. V.  For L_i ≫ 1/κ_i the profile is the
decaying exponential μ₀e^{−κ_i|x|} of a planar source (the 1D counterpart of NTHTT's Yukawa
kernel, Eqs. 31, 33), with the κ_i above.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

__all__ = ["PAPER_DELTA_GAMMA_RATIO", "local_spin_conductivity", "local_spin_current_magnitude",
           "spin_amr_ratio", "torque_tensor", "effective_polarization", "TwoRegionSolution",
           "two_region_junction"]

#: δγ/γ of NTHTT's free-electron model (below their Eq. 23).
PAPER_DELTA_GAMMA_RATIO = 1.0 / 3.0


def local_spin_conductivity(sigma_s: float, delta_sigma_s: float, m) -> np.ndarray:
    """Σ_s = σ_s I − δσ_s m⊗m (S/m), shape (3, 3): the local spin conductivity of NTHTT
    Eq. 37, σ_s = βσ in this framework.

    Raises
    ------
    ValueError
        If m is not a unit 3-vector (to 1e-9).
    """
    m = np.asarray(m, dtype=float)
    if m.shape != (3,) or abs(np.linalg.norm(m) - 1.0) > 1e-9:
        raise ValueError(f"local_spin_conductivity: m must be a unit 3-vector, got {m}")
    return sigma_s * np.eye(3) - delta_sigma_s * np.outer(m, m)


def local_spin_current_magnitude(E: float, sigma_s: float, delta_sigma_s: float,
                                 theta: float) -> float:
    """|Σ_s E| = E√(σ_s∥² cos²θ + σ_s⊥² sin²θ) (A/m²) for a field of magnitude E (V/m) at the
    angle θ (rad) to m; σ_s⊥ = σ_s, σ_s∥ = σ_s − δσ_s (S/m).  NTHTT Eq. 38 with the factor E
    restored."""
    par, perp = sigma_s - delta_sigma_s, sigma_s
    return E * math.sqrt(par ** 2 * math.cos(theta) ** 2 + perp ** 2 * math.sin(theta) ** 2)


def spin_amr_ratio(sigma_s: float, delta_sigma_s: float) -> float:
    """Δρ_s/ρ_s⊥ = (δσ_s/σ_s)/(1 − δσ_s/σ_s) (dimensionless), NTHTT Eq. 40.

    Raises
    ------
    ValueError
        If σ_s = 0 or δσ_s = σ_s (no parallel spin conductivity).
    """
    if sigma_s == 0 or delta_sigma_s == sigma_s:
        raise ValueError(f"spin_amr_ratio: need sigma_s != 0 and delta_sigma_s != sigma_s, "
                         f"got {sigma_s}, {delta_sigma_s}")
    r = delta_sigma_s / sigma_s
    return r / (1.0 - r)


def torque_tensor(gamma: float, delta_gamma: float, m) -> np.ndarray:
    """Γ = γI + δγ m⊗m (S/m), shape (3, 3): T = m ∇·(ΓE) (NTHTT Eqs. 5–6).

    Raises
    ------
    ValueError
        If m is not a unit 3-vector (to 1e-9).
    """
    return local_spin_conductivity(gamma, -delta_gamma, m)


def effective_polarization(sigma: float, beta: float, m_x: float, delta_sigma_s: float = 0.0,
                           gamma: float = 0.0, delta_gamma: float = 0.0) -> float:
    """β̃ = β − (γ + (δγ + δσ_s) m_x²)/σ: the polarization of J̃ and of the spin-charge
    coupling for flow along x (module docstring); σ, δσ_s, γ, δγ in S/m."""
    return beta - (gamma + (delta_gamma + delta_sigma_s) * m_x ** 2) / sigma


@dataclasses.dataclass(frozen=True)
class TwoRegionSolution:
    """Exact 1D two-region solution (module docstring).

    Attributes
    ----------
    j:
        Current density along x (A/m²).
    mu0:
        μ_∥ at the step x = 0 (V).
    kappa:
        (κ₁, κ₂), inverse decay lengths (1/m).
    lengths:
        (L₁, L₂) (m).
    """

    j: float
    mu0: float
    kappa: tuple
    lengths: tuple

    def mu(self, x) -> np.ndarray:
        """μ_∥(x) (V), x in m from the step (region 1 at x < 0), shape of x."""
        x = np.asarray(x, dtype=float)
        (k1, k2), (L1, L2) = self.kappa, self.lengths
        left = self.mu0 * np.sinh(k1 * (x + L1)) / math.sinh(k1 * L1)
        right = self.mu0 * np.sinh(k2 * (L2 - x)) / math.sinh(k2 * L2)
        return np.where(x < 0, left, right)


def two_region_junction(V0: float, lengths, sigma, beta, lambda_sf, beta_eff
                        ) -> TwoRegionSolution:
    """The exact 1D profile of two regions between spin reservoirs (module docstring).

    Parameters
    ----------
    V0:
        Voltage of the end x = −L₁ (V); x = L₂ is grounded.
    lengths, sigma, beta, lambda_sf, beta_eff:
        Pairs (region 1, region 2): L_i (m), σ_i (S/m), β_i, l_sf,i (m, finite) and β̃_i
        (:func:`effective_polarization`; 0 for a normal metal, with β = 0).

    Raises
    ------
    ValueError
        If a length, σ or l_sf is not positive and finite, or |β|, |β̃| >= 1.
    """
    L, s, b, l, bt = (tuple(float(v) for v in p) for p in (lengths, sigma, beta, lambda_sf,
                                                            beta_eff))
    for name, pair in (("lengths", L), ("sigma", s), ("lambda_sf", l)):
        if not all(0 < v < math.inf for v in pair):
            raise ValueError(f"two_region_junction: {name} must be positive and finite, "
                             f"got {pair}")
    if not all(abs(v) < 1 for v in b + bt):
        raise ValueError(f"two_region_junction: need |beta|, |beta_eff| < 1, got {b}, {bt}")
    eta = [1.0 - v ** 2 for v in bt]
    kappa = [math.sqrt((1.0 - b[i] ** 2) / l[i] ** 2 / eta[i]) for i in range(2)]
    D = sum(s[i] * eta[i] * kappa[i] / math.tanh(kappa[i] * L[i]) for i in range(2))
    j = V0 / (L[0] / s[0] + L[1] / s[1] + (bt[0] - bt[1]) ** 2 / D)
    return TwoRegionSolution(j=j, mu0=2.0 * j * (bt[0] - bt[1]) / D, kappa=tuple(kappa),
                             lengths=L)
