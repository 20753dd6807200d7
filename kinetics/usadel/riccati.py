"""Riccati parametrization of the retarded quasiclassical Green's function (numpy algebra).

Basis and conventions (followed everywhere in :mod:`kinetics.usadel`)
---------------------------------------------------------------------
Nambu ⊗ spin basis (ψ↑, ψ↓, ψ↑†, ψ↓†) of Jacobsen, Ouassou & Linder, PRB 92, 024510 (2015)
(JOL), Sec. II, also used by GENEUS (github.com/jabirali/geneus).  The retarded 4×4 function is

    ǧ = [[ g, f ], [ −f̃, −g̃ ]],   ǧ² = 1,

with the *tilde conjugation* X̃(ε) = X*(−ε) (complex conjugation and ε → −ε).  The Riccati
parametrization (Schopohl & Maki, PRB 52, 490 (1995); Konstandin, Kopu & Eschrig, PRB 72,
140501 (2005); JOL Sec. II) uses two 2×2 complex matrices γ, γ̃:

    N = (1 − γγ̃)⁻¹,  Ñ = (1 − γ̃γ)⁻¹,
    g = N(1 + γγ̃),  f = 2Nγ,  −f̃ = −2Ñγ̃,  −g̃ = −Ñ(1 + γ̃γ).                     (R1)

ǧ = M ρ₃ M⁻¹ with M = [[1, −γ], [−γ̃, 1]], so ǧ² = 1 holds for any γ, γ̃ with 1 − γγ̃
invertible.  Inverse map: γ = (1 + g)⁻¹ f, γ̃ = −(1 − ǧ₂₂)⁻¹ ǧ₂₁.

The stationary retarded Usadel equation (JOL Sec. II, with the Dynes broadening ε → ε + iη):

    D ∇·(ǧ∇ǧ) + i[X̌, ǧ] = 0,                                                      (R2)
    X̌ = (ε + iη) ρ₃ + Δ̌ + M̌ + Σ̌_sf + Σ̌_so,
    Δ̌ = [[0, Δ iσ_y], [Δ* iσ_y, 0]],   M̌ = diag(h·σ, h·σ*),
    Σ̌_sf = (i/8τ_sf) α̂·ǧ α̂,   Σ̌_so = (i/8τ_so) ρ₃ α̂·ǧ α̂ ρ₃,   α̂ = diag(σ, σ*).

Σ̌ here is the term of X̌ (= −Σρ₃ of the Born self-energy Σ = ⟨V G V⟩, G = ρ₃ǧ, with the
magnetic-impurity potential V = u S·diag(σ, −σ*) and the spin–orbit impurity potential
V = iλ(k×k')·diag(σ, σ*); derived here).  So i[Σ̌, ǧ] = −(1/8τ)[α̂·ǧα̂ (ρ₃…ρ₃), ǧ]: the
same terms, coefficients and placement of ρ₃ as GENEUS (fortran/materials/spinscattering.f,
where the coefficients are 1/(8τ) too).  Checks (tests/test_usadel_bulk.py): Σ̌_so leaves a
singlet bulk BCS state unchanged (Anderson's theorem) and Σ̌_sf gives the
Abrikosov–Gor'kov solution with the pair-breaking parameter ζ = 3/(4 τ_sf Δ)
(:func:`kinetics.usadel.bulk.zeta_from_tau_sf`).  The exchange-field sign is JOL's: the
electron Hamiltonian contains −h·σ, so the DOS of spins along h is the BCS DOS shifted
*down* in energy, N_+(ε) = N_BCS(ε + |h|).

Riccati form (derived from (R2) with ǧ = Mρ₃M⁻¹; the (1,2) and (2,1) blocks of M⁻¹(R2)M):

    D[∇²γ + 2(∇γ)Ñγ̃(∇γ)] = −i(X₁₁γ − γX₂₂ − X₁₂ + γX₂₁γ),                         (R3)
    D[∇²γ̃ + 2(∇γ̃)Nγ(∇γ̃)] = −i(X₂₁ + γ̃X₁₁ − X₂₂γ̃ − γ̃X₁₂γ̃),

X_ij the 2×2 blocks of X̌.  With X̌ = (ε+iη)ρ₃ + M̌ + Δ̌ (Δ real) this reads
∇²γ + 2(∇γ)Ñγ̃(∇γ) = −2iεγ − i(h·σ)γ + iγ(h·σ*) − Δ(σ_y − γσ_yγ) (D = 1), the form of JOL
and of the MATLAB solver github.com/jabirali/usadel (N.m).  :func:`usadel_residual`
evaluates (R2) for ǧ directly, so tests/test_usadel_algebra.py checks (R3) against it.
The equation numbers of the cited papers were not checked here (no access to the texts);
every formula above is derived in this docstring or in the tests and verified numerically.

Units: energies in any unit (the caller's, e.g. Δ₀ or the Thouless energy), D·∇² in the
same unit.  All arrays broadcast over leading axes: γ has shape (..., 2, 2), ǧ (..., 4, 4).
"""

from __future__ import annotations

import numpy as np

__all__ = ["SIGMA", "ISY", "RHO3", "ALPHA", "nambu", "blocks", "gf_from_riccati",
           "riccati_from_gf", "energy_matrix", "self_energy", "riccati_source", "usadel_residual",
           "singlet_riccati", "theta_from_riccati", "dos", "spin_dos", "pair_amplitudes",
           "normalization_error"]

#: Pauli matrices σ⁰, σ^x, σ^y, σ^z, shape (4, 2, 2)
SIGMA = np.array([[[1, 0], [0, 1]], [[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]],
                 dtype=complex)
#: iσ_y = [[0, 1], [−1, 0]]: the singlet spin structure of f
ISY = 1j * SIGMA[2]
#: ρ₃ = diag(1, 1, −1, −1)
RHO3 = np.diag([1.0, 1.0, -1.0, -1.0]).astype(complex)
#: α̂_a = diag(σ_a, σ_a*), a = x, y, z, shape (3, 4, 4)
ALPHA = np.array([np.block([[SIGMA[a], np.zeros((2, 2))], [np.zeros((2, 2)), SIGMA[a].conj()]])
                  for a in (1, 2, 3)])


def nambu(a, b, c, d) -> np.ndarray:
    """The 4×4 matrix [[a, b], [c, d]] from 2×2 blocks of shape (..., 2, 2)."""
    a, b, c, d = np.broadcast_arrays(*(np.asarray(x, dtype=complex) for x in (a, b, c, d)))
    top = np.concatenate([a, b], axis=-1)
    bottom = np.concatenate([c, d], axis=-1)
    return np.concatenate([top, bottom], axis=-2)


def blocks(x: np.ndarray):
    """The 2×2 blocks (x₁₁, x₁₂, x₂₁, x₂₂) of x with shape (..., 4, 4)."""
    return x[..., :2, :2], x[..., :2, 2:], x[..., 2:, :2], x[..., 2:, 2:]


def _as_riccati(gamma, gamma_t):
    g1 = np.asarray(gamma, dtype=complex)
    g2 = np.asarray(gamma_t, dtype=complex)
    if g1.shape[-2:] != (2, 2) or g2.shape[-2:] != (2, 2):
        raise ValueError(f"gamma and gamma_t must have shape (..., 2, 2), got {g1.shape} "
                         f"and {g2.shape}")
    if not (np.all(np.isfinite(g1)) and np.all(np.isfinite(g2))):
        raise ValueError("gamma and gamma_t must be finite")
    return np.broadcast_arrays(g1, g2)


def gf_from_riccati(gamma, gamma_t) -> np.ndarray:
    """ǧ (..., 4, 4) from γ, γ̃ (..., 2, 2) by (R1) (module docstring).

    Raises
    ------
    ValueError
        For shapes other than (..., 2, 2), non-finite entries, or a singular 1 − γγ̃.
    """
    gam, gam_t = _as_riccati(gamma, gamma_t)
    one = np.eye(2)
    try:
        N = np.linalg.inv(one - gam @ gam_t)
        Nt = np.linalg.inv(one - gam_t @ gam)
    except np.linalg.LinAlgError:
        raise ValueError("1 - gamma gamma_t is singular: not a valid Riccati pair") from None
    return nambu(N @ (one + gam @ gam_t), 2 * N @ gam, -2 * Nt @ gam_t, -Nt @ (one + gam_t @ gam))


def riccati_from_gf(g) -> tuple[np.ndarray, np.ndarray]:
    """(γ, γ̃) from ǧ (..., 4, 4): γ = (1 + g)⁻¹ f, γ̃ = −(1 − ǧ₂₂)⁻¹ ǧ₂₁ (inverse of
    :func:`gf_from_riccati`; exact for ǧ² = 1).

    Raises
    ------
    ValueError
        For a shape other than (..., 4, 4) or when 1 + g or 1 − ǧ₂₂ is singular (the
        branch γ → ∞, not reached by retarded functions).
    """
    g = np.asarray(g, dtype=complex)
    if g.shape[-2:] != (4, 4):
        raise ValueError(f"g must have shape (..., 4, 4), got {g.shape}")
    g11, g12, g21, g22 = blocks(g)
    one = np.eye(2)
    try:
        return (np.linalg.solve(one + g11, g12), -np.linalg.solve(one - g22, g21))
    except np.linalg.LinAlgError:
        raise ValueError("1 + g or 1 - g22 is singular: no finite Riccati pair") from None


def energy_matrix(eps, eta, delta=0.0, h=(0.0, 0.0, 0.0)) -> np.ndarray:
    """X̌ = (ε + iη)ρ₃ + Δ̌ + M̌ without the self-energies (module docstring, (R2)).

    Parameters
    ----------
    eps, eta:
        Energy and Dynes broadening (real, energy units); broadcast.
    delta:
        Complex pair potential Δ = |Δ|e^{iφ} (energy units); broadcast with eps.
    h:
        Exchange field (3,) or (..., 3), energy units.

    Returns
    -------
    numpy.ndarray (..., 4, 4) complex.
    """
    z = np.asarray(eps, dtype=complex) + 1j * np.asarray(eta, dtype=float)
    delta = np.asarray(delta, dtype=complex)
    h = np.asarray(h, dtype=float)
    z, delta = np.broadcast_arrays(z, delta)
    hs = np.einsum("...a,aij->...ij", h, SIGMA[1:])
    one = np.broadcast_to(np.eye(2), z.shape + (2, 2))
    zz = z[..., None, None]
    dd = delta[..., None, None]
    return nambu(zz * one + hs, dd * ISY, np.conj(dd) * ISY, -zz * one + np.conj(hs))


def self_energy(g, tau_sf=np.inf, tau_so=np.inf) -> np.ndarray:
    """Σ̌_sf + Σ̌_so = (i/8τ_sf) α̂·ǧα̂ + (i/8τ_so) ρ₃α̂·ǧα̂ρ₃ (module docstring) for ǧ
    (..., 4, 4); τ in inverse energy units (ħ = 1), ``inf`` switches a term off."""
    g = np.asarray(g, dtype=complex)
    agα = np.einsum("aij,...jk,akl->...il", ALPHA, g, ALPHA)
    out = np.zeros_like(g)
    if np.isfinite(tau_sf):
        out = out + 1j / (8 * tau_sf) * agα
    if np.isfinite(tau_so):
        out = out + 1j / (8 * tau_so) * (RHO3 @ agα @ RHO3)
    return out


def riccati_source(gamma, gamma_t, X) -> tuple[np.ndarray, np.ndarray]:
    """The right-hand sides of the Riccati equations (module docstring):
    (−i(X₁₁γ − γX₂₂ − X₁₂ + γX₂₁γ), −i(X₂₁ + γ̃X₁₁ − X₂₂γ̃ − γ̃X₁₂γ̃)), each (..., 2, 2).
    In a uniform state both vanish."""
    gam, gam_t = _as_riccati(gamma, gamma_t)
    x11, x12, x21, x22 = blocks(np.asarray(X, dtype=complex))
    r = -1j * (x11 @ gam - gam @ x22 - x12 + gam @ x21 @ gam)
    rt = -1j * (x21 + gam_t @ x11 - x22 @ gam_t - gam_t @ x12 @ gam_t)
    return r, rt


def usadel_residual(g, dg, d2g, X, D=1.0) -> np.ndarray:
    """D∇·(ǧ∇ǧ) + i[X̌, ǧ] in 1D from ǧ, ǧ' and ǧ'' (each (..., 4, 4)): the matrix Usadel
    equation (R2), used to check the Riccati form (R3)."""
    g, dg, d2g, X = (np.asarray(a, dtype=complex) for a in (g, dg, d2g, X))
    return D * (dg @ dg + g @ d2g) + 1j * (X @ g - g @ X)


def singlet_riccati(theta, phase=0.0) -> tuple[np.ndarray, np.ndarray]:
    """(γ, γ̃) of the singlet state g = cos θ, f = −i sin θ e^{iφ} iσ_y:
    γ = −i tan(θ/2) e^{iφ} iσ_y,  γ̃ = +i tan(θ/2) e^{−iφ} iσ_y.

    θ (complex, any shape) is the θ-parametrization of the singlet retarded function, with
    the bulk BCS value cos θ = ε/s, sin θ = iΔ/s, s = √((ε+iη)² − Δ²) (θ = π/2 at ε = 0);
    with this convention the Usadel equation of a normal wire reads D θ'' + 2iε sin θ = 0
    (checked in tests/test_usadel_algebra.py).  Returns arrays of shape θ.shape + (2, 2).
    """
    t = np.tan(np.asarray(theta, dtype=complex) / 2)
    ph = np.exp(1j * np.asarray(phase, dtype=float))
    return ((-1j * t * ph)[..., None, None] * ISY, (1j * t / ph)[..., None, None] * ISY)


def theta_from_riccati(gamma) -> np.ndarray:
    """θ of a zero-phase singlet γ = −i tan(θ/2) iσ_y (inverse of :func:`singlet_riccati`)."""
    gam = np.asarray(gamma, dtype=complex)
    return 2 * np.arctan(1j * gam[..., 0, 1])


def dos(gamma, gamma_t) -> np.ndarray:
    """Local DOS N = Re Tr g / 2 in units of the normal-state DOS per spin (N = 1 in a normal
    metal); shape (...)."""
    g = gf_from_riccati(gamma, gamma_t)
    return np.real(np.trace(g[..., :2, :2], axis1=-2, axis2=-1)) / 2


def spin_dos(gamma, gamma_t, axis=(0.0, 0.0, 1.0)) -> tuple[np.ndarray, np.ndarray]:
    """Spin-resolved DOS (N_+, N_−) = Re Tr[(1 ± n·σ) g]/2 along the unit vector ``axis``
    (n), each 1 in a normal metal; (N_+ + N_−)/2 = :func:`dos`.

    Raises
    ------
    ValueError
        If ``axis`` is not a finite non-zero 3-vector.
    """
    n = np.asarray(axis, dtype=float).reshape(-1)
    if n.shape != (3,) or not np.all(np.isfinite(n)) or np.linalg.norm(n) == 0:
        raise ValueError(f"axis must be a finite non-zero 3-vector, got {axis!r}")
    n = n / np.linalg.norm(n)
    g = gf_from_riccati(gamma, gamma_t)[..., :2, :2]
    ns = np.einsum("a,aij->ij", n, SIGMA[1:])
    tr0 = np.real(np.trace(g, axis1=-2, axis2=-1))
    trn = np.real(np.trace(ns @ g, axis1=-2, axis2=-1))
    return (tr0 + trn) / 2, (tr0 - trn) / 2


def pair_amplitudes(gamma, gamma_t) -> tuple[np.ndarray, np.ndarray]:
    """Singlet and triplet amplitudes of f = (f_s + d·σ) iσ_y: f_s (...) and the d-vector
    (..., 3), complex (Tr[f (iσ_y)†]/2 and Tr[σ_a f (iσ_y)†]/2)."""
    f = gf_from_riccati(gamma, gamma_t)[..., :2, 2:]
    fi = f @ ISY.conj().T
    fs = np.trace(fi, axis1=-2, axis2=-1) / 2
    d = np.stack([np.trace(SIGMA[a] @ fi, axis1=-2, axis2=-1) / 2 for a in (1, 2, 3)], axis=-1)
    return fs, d


def normalization_error(g) -> np.ndarray:
    """max |ǧ² − 1| over the matrix entries, shape (...)."""
    g = np.asarray(g, dtype=complex)
    return np.max(np.abs(g @ g - np.eye(4)), axis=(-2, -1))
