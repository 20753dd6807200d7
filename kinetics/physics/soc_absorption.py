"""Spin-current absorption by inhomogeneous spin-orbit coupling: the coefficients (seed 000).

Tsutsui, Hosono & Yokoyama, "Spin-current absorption by inhomogeneous spin-orbit coupling"
(2018; notes: shared/notes/seed-000.md).  A ferromagnet (exchange M, ε_Fσ = ε_F + σM,
σ = +1 ↑ majority) with impurities whose spin-orbit strength λ_SO(r) varies in space; an
electric field E_em produces spin currents ∝ ∇λ_SO.  This module gives, from
(ε_F, M, η↑, η↓, ν↑, ν↓), every coefficient of Sec. II and Apps. A-B, the screening wave
numbers of the diffusive propagator (14) and its 1D closed form (setup A, Eqs. 17-24), which
is the reference for the later PDE solves.  Pure numpy.

Units (SI): energies ε_F, M, η_σ in J; ν_σ the density of states per spin in J⁻¹m⁻³; the
band mass ``mass`` in kg (default m_e); τ_σ in s, D_σ in m²/s, q_σ in 1/m, lengths in m.
The coefficients α_i, β_i, γ_i, δ_i, ε_i, α_σ, β_2σ, A_σ, B_σ, F_σ, G_σ are dimensionless
(they depend on energy ratios only, so any common energy unit gives the same values).

Definitions [paper]: τ_σ = ħ/(2η_σ) (η_σ = ħ/2τ_σ), η_± = (η↑ ± η↓)/2,
D_σ = 2ε_Fσ τ_σ/3m (B20), C = (πeħ²/2m)(ν↑ + ν↓) (below Eq. 10), A_σ (18), B_σ (19),
F_σ (B18), G_σ (B19), α_σ (B15), β_1σ (B16), β_2σ (B17), δ_i, ε_i, γ_i (A15-A20),
α_i = γ_i + δ_i (A13), β_i = γ_i + ε_i (A14).  For spin polarisation α = z the second
coefficients (α₂, β₂, γ₂) do not enter (text below Eq. 10).

Closed forms [derived here, tested]: with (η₊ - iσM)³ = η₊(η₊² - 3M²) - iσM(3η₊² - M²)::

    A_σ = η_σ² η₊ / (η₊ + iσM)³,
    B_σ = M / ((M + iση₊) A_σ) = -iσ M (η₊ + iσM)⁴ / (η_σ² η₊ (M² + η₊²)),

and at Ω = 0, F_σ - iG_σ = A_σ (D_σ τ_σ k² + B_σ), k = u + q.  Hence the static kernel (17)
solves (-∇² + q_σ²) χ = [2π²/(D_σ τ_σ A_σ)] δ with q_σ = √(B_σ / D_σ τ_σ), Re q_σ > 0 (the
principal root: the Fourier integral of 1/(k² + q²) converges to e^{-q|z|} with Re q > 0).
With the Ω terms, F - iG = A_σ D_σ τ_σ (k² + q_σ(Ω)²), q_σ(Ω)² = (B_σ + c_σ Ωτ_σ/A_σ)/(D_σ τ_σ),
c_σ = [2σMη_ση₊² - iη_ση₊(η₊² - M²)]/(M² + η₊²)² (time dependence e^{iΩt}, Eq. 14).
Symmetry: B_{-σ} η_{-σ}² = conj(B_σ) η_σ², likewise A_σ/η_σ²: the two spins are conjugate.
arg B_σ = σ(4 atan(M/η₊) - π/2), so B_σ is real and negative (q_σ purely imaginary: no
decay) at M/η₊ = 1 + √2; there q_σ jumps (k̃ changes sign) and the propagator functions
raise.  Re B_σ > 0 iff η₊ > M (dirty); B_σ ≈ (M/η_σ²)(4M - iση₊) for η₊ ≫ M and
B_σ ≈ -iσM³/(η_σ² η₊) for M ≫ η₊, both with arg √B_σ → -σπ/4.

Setup A (Sec. II D): E_em = E_y[1 + tanh(-z/ξ_E)]/2 e_y, λ_SO(r) = λ_SO θ(z); the source of
(12) collapses to a δ sheet of strength s = λ_SO E_y/(2ξ_E) (x component, i = z).  The
plane integral ∫d²ρ e^{-qR}/R = 2π e^{-q|z|}/q of (17) gives (:func:`planar_propagator`)::

    K_σ(z) = π² s e^{-q_σ|z|} / (D_σ τ_σ A_σ q_σ),  q_σ = 1/l_s^σ + i k̃_s^σ,

the exact solution of (-∂_z² + q_σ²)K = [2π²/(D_σ τ_σ A_σ)] s δ(z), with the derivative jump
[∂_z K]₀ = -2π² s/(D_σ τ_σ A_σ) = -2π²λ_SO E_y/(2ξ_E D_σ τ_σ A_σ), l_s^σ (23) and
k̃_s^σ = |√B_σ| sin(arg √B_σ)/√(D_σ τ_σ).  From (11): j_s^x = C Σ_σ Re[α_σ K_σ] e_z,
j_s^y = C Σ_σ Im[α_σ K_σ] e_z, j_s^z = 0 (:func:`absorbed_spin_currents`).

Errata and ambiguities, and what is used
----------------------------------------
1. "Σ_σ ε_F σ X_σ" (A15-A20, OCR).  Readings: (a) ε_F·σ, (b) ε_Fσ (lost subscript braces),
   (c) ε_Fσ̄ (lost bar).  (a) is excluded by the paper's statement that for M → 0 the local
   currents become isotropic in spin space: with (a), δ₁^{xy} → 0 ≠ δ₁^z = -(4/9)ε_F/η₊, and
   ε₂, γ₂ (σ-odd, coefficients of e_α × e_z) stay finite, ∝ Σ_σ ε_F ε_Fσ/η_σ.  (b) gives
   δ₁^{xy} → -(4/9)ε_F/η₊ = δ₁^z.  (b) and (c) agree as M → 0 and differ at O(M) (for
   η↑ = η↓, Σ_σ σ ε_Fσ̄ ε_Fσ/η_σ = 0); no limit separates them.  We use (b) (the smaller
   repair; the OCR writes every other ε_Fσ the same way); (c) is ``sum_reading="bar"``.
2. ε₁ for α = x, y (A17) prints (16/9)Σ_σ σ(ε_Fσ/η_σ)ν_σ/(ν↑+ν↓) in its second term.  With
   the σ sign, ε₁^{xy} → 0 as M → 0 while ε₁^z → (16/9)ε_F/η₊, so β₁ = γ₁ + ε₁ would not be
   isotropic at M = 0, contradicting the text and the rotation invariance of the M = 0
   Hamiltonian; in the trace formula below (A6) the index-1 coefficients come from δ_αk,
   which carries no σ.  We drop that σ; then α₁, β₁, γ₁ are all isotropic at M → 0 (tested).
3. ε₁ for α = z (A17) prints (16/9)ε_Fσ/η_σ with σ free.  We use the ν-weighted spin average
   (16/9) Σ_σ ν_σ (ε_Fσ/η_σ)/(ν↑ + ν↓): it is the weight of the α = x, y term of the same
   coefficient, and for the paper's model (τ_σ = ħ/2πu₀²n_imp ν_σ, i.e. ν_σ/η_σ independent of
   σ) it equals (16/9)ε_F/η₊, the form of the other α = z coefficients δ₁^z, γ₁^z.
4. D_σ: Sec. II C prints 2ε_F τ_σ/3m, (B20) 2ε_Fσ τ_σ/3m.  We use (B20): (B18)-(B19) carry
   2ε_Fσ τ_σ/3m in the k² terms, and only with it does F_σ - iG_σ = A_σ(D_σ τ_σ k² + B_σ), the
   basis of (17); it is the Einstein value v_Fσ²τ_σ/3 of band σ.  The two differ by O(M/ε_F).
5. β_1σ (B16): the second term, π²(τ_σ ν_α/ħ)ν↑ν↓ ε_Fσ/η_σ, has an undefined ν_α and is not
   dimensionless; we give only the first term (``beta1_xy``) and no β_1σ for α = z.  Setup A
   does not need β (∇·E_em = 0).
6. (20), (24): the printed prefactor 1/(D_σ τ_σ) and the dimensionless k_s^σ = sin(arg √B_σ)
   are inconsistent with (17); we use the derived K_σ above (1/√(D_σ τ_σ), k̃_s^σ in 1/m).
   ``form="printed"`` of :func:`absorbed_spin_currents` keeps the printed 1/(D_σ τ_σ) (with
   the corrected k̃) for comparison with the paper's dirty/clean statements.
7. (17): the prefactor π/2 matches no standard Fourier convention (Σ_q → ∫d³q/(2π)³ gives
   1/4π).  We keep the paper's (the jump quoted above uses it); ``normalisation="standard"``
   divides K_σ by 2π², i.e. solves A_σ(-D_σ τ_σ ∂² + B_σ)K = s δ(z).
8. "η_τ ± η_⊥" after (19) is η↑ ± η↓, as after (A20).

Dirty/clean scalings at z = 0 (tests/test_seed000_coefficients.py, fitted slopes, M ≪ ε_F):
the printed (20)-(21) scale as η^{1/2} (dirty, η₊ ≫ M) and η^{3/2} (clean) overall, as the
paper says, but the η₋ factor sits in the other component: dirty j^x ∝ η₋η₊^{-1/2},
j^y ∝ η₊^{1/2}; clean j^x ∝ η₊^{3/2}, j^y ∝ η₋η₊^{1/2} (the paper: dirty j^x ∝ η₊^{1/2},
j^y ∝ η₋η₊^{-1/2}; clean j^x ∝ η₋η₊^{1/2}, j^y ∝ η₊^{3/2}).  The derived K_σ depends on
η↑, η↓ only through η₊ (A_σ√(D_στ_σB_σ) is η_σ-free): dirty j^x ∝ η₊^{-3/2}, j^y ∝ η₊^{-1/2};
clean j^x ∝ η₊^{1/2}, j^y ∝ η₊^{3/2}.
At M → 0: α_σ^{xy} → -(2i/9)(ε_F/η₊)², whose (e_α × e_z) term survives,
and β_1σ^{xy} → -(2/3)ε_Fτ/ħ (for η₋ ≪ M) has no α = z counterpart: unlike the local ones,
(B15)-(B16) are not spin-isotropic at M → 0 (not repaired here).
Not uniform: M²/(M² + η₋²) in γ₂, β_1σ, 1/(M² + η₋²) in β_2σ and Mη₋/(M² + η₋²) in γ₁ depend
on η₋/M as both go to zero (β_2σ → 1/6 for the model's η₋ ∝ M), so M = 0 is rejected (it is
also not screened: B_σ = 0); take the limit along a path.
The paper's model fixes η↑/η↓ = ν↑/ν↓; the inputs here are independent (not enforced).
Validity [paper]: ε_Fσ ≫ η_σ, T = 0, first Born, first order in λ_SO, ∂²λ_SO neglected.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from kinetics import units, validation

__all__ = ["propagator_prefactor", "Parameters", "SpinChannel", "LocalCoefficients",
           "Coefficients", "parameters", "spin_channel", "local_coefficients", "coefficients",
           "screening_wavenumber",
           "planar_propagator", "planar_propagator_jump", "sheet_strength",
           "absorbed_spin_currents", "disk_axis_currents"]

OWNER = "seed-000 coefficients"
#: relative |Re √B_σ| below which the screening counts as lost (B_σ on the negative axis)
BRANCH_TOLERANCE = 1e-9
_READINGS = ("subscript", "bar")


@dataclasses.dataclass(frozen=True)
class Parameters:
    """Validated model parameters (SI).  ``eta``, ``nu``: arrays of shape (2,) over
    σ = (+1, -1) = (↑, ↓) in J and J⁻¹m⁻³; ``eps_F``, ``M`` in J, ``mass`` in kg."""
    eps_F: float
    M: float
    eta: np.ndarray
    nu: np.ndarray
    mass: float

    sigma = np.array([1.0, -1.0])          # σ of the two entries (class constant)
    sigma.flags.writeable = False

    @property
    def eta_plus(self) -> float:
        """η₊ = (η↑ + η↓)/2 (J)."""
        return 0.5 * float(self.eta[0] + self.eta[1])

    @property
    def eta_minus(self) -> float:
        """η₋ = (η↑ - η↓)/2 (J)."""
        return 0.5 * float(self.eta[0] - self.eta[1])

    @property
    def eps_F_sigma(self) -> np.ndarray:
        """ε_Fσ = ε_F + σM, shape (2,), J (Eq. 1)."""
        return self.eps_F + self.sigma * self.M

    @property
    def tau(self) -> np.ndarray:
        """τ_σ = ħ/(2η_σ), shape (2,), s."""
        return units.hbar / (2.0 * self.eta)

    @property
    def D(self) -> np.ndarray:
        """D_σ = 2ε_Fσ τ_σ/(3m), shape (2,), m²/s (B20; erratum 4)."""
        return 2.0 * self.eps_F_sigma * self.tau / (3.0 * self.mass)


def parameters(eps_F, M, eta_up, eta_down, nu_up, nu_down, *, mass=units.m_e) -> Parameters:
    """Check and bundle the inputs (SI).

    Raises
    ------
    TypeError
        For a value that is not a real number.
    kinetics.validation.ValidationError
        For non-finite values, η_σ ≤ 0, ν_σ ≤ 0, mass ≤ 0, M ≤ 0 (σ = +1 is the majority
        band; for M < 0 swap the ↑, ↓ inputs) and ε_F ≤ |M| (ε_F↓ = ε_F - M must be > 0).
    """
    eps_F = validation.finite(OWNER, "eps_F", eps_F)
    M = validation.finite(OWNER, "M", M)
    eta = np.array([validation.positive(OWNER, n, v)
                    for n, v in (("eta_up", eta_up), ("eta_down", eta_down))])
    nu = np.array([validation.positive(OWNER, n, v)
                   for n, v in (("nu_up", nu_up), ("nu_down", nu_down))])
    mass = validation.positive(OWNER, "mass", mass)
    eta.flags.writeable = nu.flags.writeable = False
    if M <= 0.0:
        raise validation.ValidationError(
            OWNER, "M", "positive (σ = +1 is the majority band)", f"{M:g}",
            "for M < 0 swap the up/down inputs; M = 0 has no screening and its limit depends "
            "on eta_minus/M")
    if not eps_F > abs(M):
        raise validation.ValidationError(
            OWNER, "eps_F", f"> |M| = {abs(M):g} (both spin bands occupied)", f"{eps_F:g}")
    return Parameters(eps_F, M, eta, nu, mass)


def _ratio(num, den):
    """num/den with 0/0 := 0 (only M = η₋ = 0, which :func:`parameters` excludes)."""
    return num / den if den != 0.0 else 0.0


@dataclasses.dataclass(frozen=True)
class SpinChannel:
    """Coefficients of one spin channel σ (App. B, Eqs. 17-19, 23).

    Scalars: ``eps_F_sigma``, ``eta`` (J); ``tau`` (s); ``nu`` (J⁻¹m⁻³); ``D`` (m²/s);
    ``A``, ``B``, ``alpha_xy`` (α_σ for α = x, y), ``c`` (Ω coefficient of F - iG): complex,
    dimensionless; ``alpha_z``, ``beta1_xy`` (first term of B16 only, erratum 5), ``beta2``:
    float, dimensionless; ``q`` (complex, 1/m; Re q > 0 or nan at the branch point);
    ``decay_length`` l_s^σ (m), ``wave_number`` k̃_s^σ (1/m).
    """
    sigma: int
    eps_F_sigma: float
    eta: float
    tau: float
    nu: float
    D: float
    A: complex
    B: complex
    c: complex
    alpha_xy: complex
    alpha_z: float
    beta1_xy: float
    beta2: float
    q: complex
    decay_length: float
    wave_number: float
    M: float
    eta_plus: float

    def F(self, k2, omega=0.0):
        """F_σ (B18) at k² = (u + q)² (1/m², array) and Ω (rad/s): dimensionless, real."""
        M, ep, es = self.M, self.eta_plus, self.eta
        s = M * M + ep * ep
        return (M * M / s + 2 * self.sigma * M * es * ep ** 2 / s ** 2 * omega * self.tau
                + es ** 2 * ep ** 2 * (ep ** 2 - 3 * M * M) / s ** 3 * self.D * self.tau
                * np.asarray(k2, dtype=float))

    def G(self, k2, omega=0.0):
        """G_σ (B19) at k² (1/m²) and Ω (rad/s): dimensionless, real."""
        M, ep, es = self.M, self.eta_plus, self.eta
        s = M * M + ep * ep
        return (self.sigma * M * ep / s + es * ep * (ep ** 2 - M * M) / s ** 2 * omega * self.tau
                + self.sigma * M * es ** 2 * ep * (3 * ep ** 2 - M * M) / s ** 3 * self.D
                * self.tau * np.asarray(k2, dtype=float))


def spin_channel(p: Parameters, sigma: int) -> SpinChannel:
    """The :class:`SpinChannel` of σ = +1 (↑) or -1 (↓) for checked parameters ``p``."""
    sigma = int(validation.choice(OWNER, "sigma", sigma, (1, -1)))
    i = 0 if sigma == 1 else 1
    M, ep, em = p.M, p.eta_plus, p.eta_minus
    es, efs, tau, D = float(p.eta[i]), float(p.eps_F_sigma[i]), float(p.tau[i]), float(p.D[i])
    s = M * M + ep * ep
    A = (es ** 2 * ep ** 2 * (ep ** 2 - 3 * M * M) / s ** 3
         - 1j * sigma * M * es ** 2 * ep * (3 * ep ** 2 - M * M) / s ** 3)            # (18)
    B = (M * s ** 2 / (es ** 2 * ep * (ep ** 2 * (ep ** 2 - 3 * M * M) ** 2
                                       + M * M * (3 * ep ** 2 - M * M) ** 2))
         * (4 * M * ep * (ep ** 2 - M * M)
            + 1j * sigma * (6 * ep ** 2 * M * M - M ** 4 - ep ** 4)))                # (19)
    c = (2 * sigma * M * es * ep ** 2 - 1j * es * ep * (ep ** 2 - M * M)) / s ** 2
    alpha_xy = (2 / 9 * M * ep * ((1 + sigma) * ep ** 2 - M * M) / s ** 3 * efs ** 2
                + 2j / 9 * ep ** 2 * ((1 + sigma) * M * M - ep ** 2) / s ** 3 * efs ** 2)  # (B15)
    alpha_z = -efs / (9 * ep)
    em2 = M * M + em * em
    beta1_xy = -2 / 3 * efs * tau / units.hbar * M * M * (ep ** 2 - em ** 2) / (s * em2)  # (B16)
    sb = -sigma                                                                       # σ̄
    beta2 = (2 / 3 * efs * tau / units.hbar * M * (ep + sb * em) * (ep * em + sb * M * M)
             / (s * em2))                                                             # (B17)
    q, ls, kt = _screening(B, D * tau)
    return SpinChannel(sigma, efs, es, tau, float(p.nu[i]), D, complex(A), complex(B),
                       complex(c), complex(alpha_xy), alpha_z, beta1_xy, beta2, q, ls, kt,
                       M, ep)


def _screening(B, Dtau):
    """q = √(B/Dτ) on the principal branch; (q, l_s, k̃), nan at the branch point."""
    root = np.sqrt(complex(B))
    if not root.real > BRANCH_TOLERANCE * abs(root):
        return complex(math.nan, math.nan), math.nan, math.nan
    q = root / math.sqrt(Dtau)
    return complex(q), 1.0 / q.real, float(q.imag)


@dataclasses.dataclass(frozen=True)
class LocalCoefficients:
    """Dimensionless coefficients of the local currents (8)-(10), App. A.  ``*_xy`` for spin
    polarisation α = x, y, ``*_z`` for α = z; the index-2 ones enter only for α = x, y.
    ``alpha*``, ``beta*``, ``gamma*`` are those of (8), (9), (10); ``delta*``, ``eps*`` the
    parts of (A13), (A14)."""
    alpha1_xy: float
    alpha1_z: float
    alpha2: float
    beta1_xy: float
    beta1_z: float
    beta2: float
    gamma1_xy: float
    gamma1_z: float
    gamma2: float
    delta1_xy: float
    delta1_z: float
    delta2: float
    eps1_xy: float
    eps1_z: float
    eps2: float


def local_coefficients(p: Parameters, sum_reading: str = "subscript") -> LocalCoefficients:
    """α_i, β_i, γ_i (and δ_i, ε_i) of (A13)-(A20) for checked parameters ``p``.

    ``sum_reading`` resolves the OCR "ε_F σ" inside the σ sums (erratum 1): ``"subscript"``
    reads ε_Fσ (default), ``"bar"`` reads ε_Fσ̄.  Errata 2 and 3 are applied.
    """
    sum_reading = validation.choice(OWNER, "sum_reading", sum_reading, _READINGS)
    M, eF, ep, em = p.M, p.eps_F, p.eta_plus, p.eta_minus
    sg, efs, eta, nu = p.sigma, p.eps_F_sigma, p.eta, p.nu
    X = efs if sum_reading == "subscript" else efs[::-1]        # the "ε_F σ" of the sums
    w = nu / nu.sum()                                           # ν_σ/(ν↑ + ν↓)
    r = efs / eta                                               # ε_Fσ/η_σ
    s, em2 = M * M + ep * ep, M * M + em * em
    S_nu = float(np.sum(X * w))                                 # Σ ε_Fσ ν_σ/(ν↑+ν↓)
    S_odd = float(np.sum(sg * X * r))                           # Σ σ ε_Fσ ε_Fσ/η_σ
    S_sq = float(np.sum(sg * r ** 2))                           # Σ σ (ε_Fσ/η_σ)²
    d1_xy = 16 / 9 * (eF * M * M * ep / s ** 2 - 0.25 * ep / s * S_nu)              # (A15)
    d1_z = -4 / 9 * eF / ep
    d2 = 16 / 9 * (eF * M * (M * M - ep * ep) / s ** 2 - 0.25 * M / s * S_nu)       # (A16)
    e1_xy = 8 / 9 * (M / s * S_odd + 2 * float(np.sum(r * w)))          # (A17), erratum 2
    e1_z = 16 / 9 * float(np.sum(r * w))                                 # erratum 3
    e2 = 8 / 9 * ep / s * S_odd                                                      # (A18)
    g1_xy = 2 / 15 * (M * ep / s * S_sq + _ratio(M * em, em2) * S_sq
                      - M * ep * ep / s ** 2 * S_odd - eF * ep / s)                  # (A19)
    g1_z = -2 / 15 * eF / ep
    g2 = -2 / 15 * (_ratio(M * M * (ep * ep - em * em), s * em2) * S_sq
                    + ep * (M * M - ep * ep) / s ** 2 * S_odd + eF * M / s)          # (A20)
    return LocalCoefficients(g1_xy + d1_xy, g1_z + d1_z, g2 + d2, g1_xy + e1_xy, g1_z + e1_z,
                             g2 + e2, g1_xy, g1_z, g2, d1_xy, d1_z, d2, e1_xy, e1_z, e2)


@dataclasses.dataclass(frozen=True)
class Coefficients:
    """Everything of Sec. II: ``params`` (:class:`Parameters`), ``up``, ``down``
    (:class:`SpinChannel`), ``local`` (:class:`LocalCoefficients`) and ``C`` =
    (πeħ²/2m)(ν↑ + ν↓) in C/m, the prefactor of (8)-(13)."""
    params: Parameters
    up: SpinChannel
    down: SpinChannel
    local: LocalCoefficients
    C: float

    @property
    def channels(self) -> tuple:
        """(up, down), i.e. σ = (+1, -1)."""
        return (self.up, self.down)

    def channel(self, sigma: int) -> SpinChannel:
        """The channel of σ = +1 or -1."""
        sigma = validation.choice(OWNER, "sigma", sigma, (1, -1))
        return self.up if sigma == 1 else self.down

    def array(self, name: str) -> np.ndarray:
        """Attribute ``name`` of both channels as an array of shape (2,) over σ = (+1, -1)."""
        return np.array([getattr(self.up, name), getattr(self.down, name)])


def coefficients(eps_F, M, eta_up, eta_down, nu_up, nu_down, *, mass=units.m_e,
                 sum_reading: str = "subscript") -> Coefficients:
    """All coefficients of Sec. II from (ε_F, M, η↑, η↓, ν↑, ν↓) in SI (module docstring).

    Raises the errors of :func:`parameters`.
    """
    p = parameters(eps_F, M, eta_up, eta_down, nu_up, nu_down, mass=mass)
    C = math.pi * units.e * units.hbar ** 2 / (2 * p.mass) * float(p.nu.sum())
    return Coefficients(p, spin_channel(p, 1), spin_channel(p, -1),
                        local_coefficients(p, sum_reading), C)


def _check_screened(ch: SpinChannel, q: complex) -> complex:
    if not np.isfinite(q) or not q.real > BRANCH_TOLERANCE * abs(q):
        raise validation.ValidationError(
            OWNER, f"B (sigma={ch.sigma:+d})", "off the negative real axis (a decaying "
            "propagator, Re q > 0)", f"{ch.B:g}",
            f"M/eta_plus = {ch.M / ch.eta_plus:g} is at the branch point 1 + sqrt(2)")
    return q


def screening_wavenumber(ch: SpinChannel, omega=0.0) -> complex:
    """q_σ(Ω) (1/m), Re q > 0, of F_σ - iG_σ = A_σ D_σ τ_σ (k² + q_σ²): q_σ² = (B_σ + c_σ Ωτ_σ
    /A_σ)/(D_σ τ_σ), Ω in rad/s with time dependence e^{iΩt} (Eq. 14).  Ω = 0 gives ``ch.q``.

    Raises ValidationError where q_σ² is real and negative (no decay).
    """
    omega = validation.finite(OWNER, "omega", omega)
    q = complex(np.sqrt(complex((ch.B + ch.c * omega * ch.tau / ch.A) / (ch.D * ch.tau))))
    return _check_screened(ch, q)


def sheet_strength(lambda_so, E_y, xi_E) -> float:
    """s = λ_SO E_y/(2ξ_E): the δ(z) sheet of the setup-A source (∇λ_SO × ∂_z E_em)^x of
    Sec. II D (λ_SO in m², E_y in V/m, ξ_E in m; s in V)."""
    lam = validation.finite(OWNER, "lambda_so", lambda_so)
    E = validation.finite(OWNER, "E_y", E_y)
    return lam * E / (2 * validation.positive(OWNER, "xi_E", xi_E))


def propagator_prefactor(ch: SpinChannel, normalisation: str = "paper") -> complex:
    """P_σ = 2π²/(D_σ τ_σ A_σ) ("paper", the prefactor of Eq. 17) or 1/(D_σ τ_σ A_σ)
    ("standard"), in s/m² (complex), the factor of the sources of (−∇² + q_σ²)K_σ.
    ValidationError for another ``normalisation``."""
    normalisation = validation.choice(OWNER, "normalisation", normalisation,
                                      ("paper", "standard"))
    return (2 * math.pi ** 2 if normalisation == "paper" else 1.0) / (ch.D * ch.tau * ch.A)


def planar_propagator(z, ch: SpinChannel, strength=1.0, *, omega=0.0,
                      normalisation: str = "paper"):
    """K_σ(z) = P s e^{-q_σ|z|}/(2q_σ), P = 2π²/(D_σ τ_σ A_σ) (erratum 7 for ``"standard"``,
    P = 1/(D_σ τ_σ A_σ)): the solution decaying both ways of (-∂_z² + q_σ²)K = P s δ(z).

    z: array of positions (m), any shape; ``strength`` s (e.g. :func:`sheet_strength`);
    q_σ = :func:`screening_wavenumber` at Ω.  Returns a complex array of the shape of z, in
    the units of s times m⁻¹·m² / m² (= s for the paper's setup A: λ_SO E_y/m²).
    """
    z = validation.array(OWNER, "z", z)
    s = validation.finite(OWNER, "strength", strength)
    q = screening_wavenumber(ch, omega)
    return propagator_prefactor(ch, normalisation) * s * np.exp(-q * np.abs(z)) / (2 * q)


def planar_propagator_jump(ch: SpinChannel, strength=1.0, *, normalisation: str = "paper"):
    """[∂_z K_σ] at z = 0: -P s = -2π² s/(D_σ τ_σ A_σ) (paper normalisation), complex."""
    s = validation.finite(OWNER, "strength", strength)
    return -propagator_prefactor(ch, normalisation) * s


def absorbed_spin_currents(z, coef: Coefficients, lambda_so, E_y, xi_E, *,
                           form: str = "derived") -> tuple:
    """Setup A, Eqs. (20)-(22): (j_s^x, j_s^y) along e_z at positions z (m, array), real
    arrays of the shape of z, in units of C (C/m) × λ_SO E_y/m² (j_s^z = 0).

    ``form="derived"``: C Σ_σ (Re, Im)[α_σ K_σ(z)] with :func:`planar_propagator`.
    ``form="printed"``: the printed prefactor 1/(D_σ τ_σ) of (20)-(21), i.e. each term of the
    derived form divided by √(D_σ τ_σ) (units × 1/m), with the corrected k̃ (erratum 6).
    """
    form = validation.choice(OWNER, "form", form, ("derived", "printed"))
    s = sheet_strength(lambda_so, E_y, xi_E)
    total = 0.0
    for ch in coef.channels:
        term = ch.alpha_xy * planar_propagator(z, ch, s)
        total = total + (term / math.sqrt(ch.D * ch.tau) if form == "printed" else term)
    return coef.C * np.real(total), coef.C * np.imag(total)


def disk_axis_currents(z, coef: Coefficients, lambda_so, E_y, xi_E, diameter) -> tuple:
    """Setup A with the source on a disk of diameter b only (the interface z = 0 beyond it
    carries no field gradient): (j_s^x, j_s^y) on the disk's axis at heights z (m, array),
    units of :func:`absorbed_spin_currents`.  The plane integral of the kernel (17) over
    ρ < b/2, ∫ e^{-qR}/R 2πρ dρ = 2π(e^{-q|z|} - e^{-q√(z² + b²/4)})/q, gives::

        K_σ^disk(z) = K_σ(z) [1 - e^{-q_σ(√(z² + b²/4) - |z|)}]

    with K_σ = :func:`planar_propagator` [derived here]: the planar result (b ≫ l_s, Sec.
    II D) is approached as |e^{-q_σ b/2}| at z = 0.  ValidationError for b ≤ 0."""
    b = validation.positive(OWNER, "diameter", diameter)
    z = validation.array(OWNER, "z", z)
    s = sheet_strength(lambda_so, E_y, xi_E)
    total = 0.0
    for ch in coef.channels:
        q = screening_wavenumber(ch)
        cut = 1.0 - np.exp(-q * (np.sqrt(z * z + b * b / 4) - np.abs(z)))
        total = total + ch.alpha_xy * planar_propagator(z, ch, s) * cut
    return coef.C * np.real(total), coef.C * np.imag(total)
