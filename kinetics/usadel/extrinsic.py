"""Extrinsic spin–orbit coupling in the Usadel equation (seed 003: Huang, Tokatly & Bergeret,
"Extrinsic spin-charge coupling in diffusive superconducting systems", arXiv:1807.07029
(2018)): the spin Hall and swapping terms of the matrix current, the superconducting
spin–orbit torque Ť and the Elliott–Yafet term, as numpy algebra in the basis of
:mod:`kinetics.usadel.riccati`.

Basis
-----
The paper uses the spinor (ψ, Ψ^c) with Ψ^c = iσ_yΨ†ᵀ (its Eq. 12), in which a
time-reversal-invariant spin operator is σ^a in both Nambu blocks.  The package uses
(ψ↑, ψ↓, ψ↑†, ψ↓†) (:mod:`kinetics.usadel.riccati`).  The two are related by
Ψ_seed = W Ψ_JOL, W = diag(1, iσ_y), so ǧ_seed = W ǧ W† (:func:`to_seed_basis`).  Under this
map the paper's σ^a ↔ Š_a = diag(σ_a, −σ_a*) (:data:`SPIN`, the package's ρ₃α̂_a) and
τ₃ ↔ ρ₃; its Δ̌ = [[0, Δ], [−Δ*, 0]] ↔ −Δ̌ of the package (Δ_seed = −Δ, a constant phase π);
its Zeeman term τ₃h·σ ↔ M̌ = diag(h·σ, h·σ*).  Its Elliott–Yafet term
−(1/8τ_so)[σ^aǧσ^a, ǧ] (Eq. 70) is the package's spin–orbit self-energy i[Σ̌_so, ǧ] with
Σ̌_so = (i/8τ_so) ρ₃α̂ǧα̂ρ₃ (tested in tests/test_usadel_extrinsic.py).

Equations (stationary, real energy; the paper's Eqs. 1–3 ≡ 74, 77, 78 with ∂_t → −iε)
-------------------------------------------------------------------------------------
In the package's sign convention (:mod:`kinetics.usadel.riccati`, (R2)):

    D ∂_k(ǧ∂_kǧ − Č_k) + i[X̌, ǧ] + Ť = 0,                                        (E1)
    Č_k = (θ/2) ε_akj {∂_jǧ, Š_a} + i(κ/2) ε_akj [ǧ∂_jǧ, Š_a],                  (E2)
    Ť = (D/4) θ ε_akj [Š_a, ǧ∂_kǧ∂_jǧ] + (D/4) κ ε_akj i[∂_kǧ∂_jǧ, Š_a],          (E3)

with the matrix current J̌_k = −D(ǧ∂_kǧ − Č_k) (seed Eq. 2/74) and X̌ including Σ̌_so (the
Elliott–Yafet term).  (E1) is the paper's Eq. 77 multiplied by −1 (its J̌ enters with +∂_k,
its time-derivative and Δ terms become −i[ερ₃ + Δ̌, ǧ] here).  θ is the spin Hall angle,
κ the spin-swapping coefficient (sign of seed Eq. 81, as :mod:`kinetics.materials`), D the
diffusion coefficient; all may vary in space (then Ť and ∂_kČ_k are distinct terms, seed
footnote 61).

Shapes: ǧ (..., 4, 4); gradients ∂ǧ (..., 3, 4, 4) with k = x, y, z (pad absent directions
with zeros); θ, κ, D scalars or arrays broadcasting with the leading axes.  Units: ∂ in
1/length, D in energy × length², so Ť and D∂_kČ_k are in energy units like i[X̌, ǧ].
"""

from __future__ import annotations

import numpy as np

from kinetics.usadel.riccati import ISY, RHO3, SIGMA, nambu

__all__ = ["SPIN", "LEVI_CIVITA", "W_SEED", "to_seed_basis", "from_seed_basis",
           "soc_current", "soc_combination", "matrix_current", "torque", "elliott_yafet",
           "advanced", "gradient_from_riccati", "spin_trace"]

#: Š_a = diag(σ_a, −σ_a*), a = x, y, z, shape (3, 4, 4): the paper's σ^a in this basis
SPIN = np.array([nambu(SIGMA[a], np.zeros((2, 2)), np.zeros((2, 2)), -SIGMA[a].conj())
                 for a in (1, 2, 3)])

#: ε_abc, shape (3, 3, 3)
LEVI_CIVITA = np.zeros((3, 3, 3))
for _a, _b, _c in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
    LEVI_CIVITA[_a, _b, _c], LEVI_CIVITA[_a, _c, _b] = 1.0, -1.0

#: W = diag(1, iσ_y): Ψ_seed = W Ψ (module docstring)
W_SEED = nambu(np.eye(2), np.zeros((2, 2)), np.zeros((2, 2)), ISY)


def to_seed_basis(x) -> np.ndarray:
    """W x W† for x (..., 4, 4): a matrix of this package in the basis of seed 003 (Eq. 12)."""
    return W_SEED @ np.asarray(x, dtype=complex) @ W_SEED.conj().T


def from_seed_basis(x) -> np.ndarray:
    """W† x W: inverse of :func:`to_seed_basis`."""
    return W_SEED.conj().T @ np.asarray(x, dtype=complex) @ W_SEED


def _as(g, dg):
    g = np.asarray(g, dtype=complex)
    dg = np.asarray(dg, dtype=complex)
    if g.shape[-2:] != (4, 4) or dg.shape[-3:] != (3, 4, 4):
        raise ValueError(f"g must have shape (..., 4, 4) and dg (..., 3, 4, 4), got {g.shape} "
                         f"and {dg.shape}")
    return g, dg


def _scalar(c):
    return np.asarray(c, dtype=float)[..., None, None]


def soc_current(g, dg, theta=0.0, kappa=0.0) -> np.ndarray:
    """Č_k = (θ/2) ε_akj {∂_jǧ, Š_a} + i(κ/2) ε_akj [ǧ∂_jǧ, Š_a] ((E2); seed 003 Eq. 2/74):
    the spin Hall and swapping parts of the matrix current, J̌_k = −D(ǧ∂_kǧ − Č_k).

    Returns (..., 3, 4, 4) (k = x, y, z), in 1/length.  Raises ValueError for bad shapes."""
    g, dg = _as(g, dg)
    return soc_combination(dg, g[..., None, :, :] @ dg, theta, kappa)


def soc_combination(d, gd, theta=0.0, kappa=0.0) -> np.ndarray:
    """Σ_{a,j} ε_akj [(θ/2){d_j, Š_a} + i(κ/2)[gd_j, Š_a]] for d = ∂ǧ and gd = ǧ∂ǧ (each
    (..., 3, 4, 4)): Č_k of (E2), linear in (d, gd), so that the Keldysh component is the same
    combination of ∂ǧ^K and (ǧ∂ǧ)^K (:mod:`kinetics.usadel.kinetic`).  θ, κ broadcast over
    the leading axes.  Returns (..., 3, 4, 4)."""
    theta, kappa = _scalar(theta), _scalar(kappa)
    out = np.zeros(np.broadcast_shapes(np.shape(d), np.shape(gd)), dtype=complex)
    for a in range(3):
        S = SPIN[a]
        anti = d @ S + S @ d                                       # {∂_jǧ, Š_a}
        comm = gd @ S - S @ gd                                     # [ǧ∂_jǧ, Š_a]
        for k in range(3):
            for j in range(3):
                e = LEVI_CIVITA[a, k, j]
                if e:
                    out[..., k, :, :] += e * (0.5 * theta * anti[..., j, :, :]
                                              + 0.5j * kappa * comm[..., j, :, :])
    return out


def matrix_current(g, dg, D=1.0, theta=0.0, kappa=0.0) -> np.ndarray:
    """J̌_k = −D(ǧ∂_kǧ − Č_k) (seed 003 Eq. 2/74 in this basis), shape (..., 3, 4, 4), in
    D × 1/length.  Raises ValueError for bad shapes."""
    g, dg = _as(g, dg)
    return -_scalar(D)[..., None, :, :] * (g[..., None, :, :] @ dg
                                           - soc_current(g, dg, theta, kappa))


def torque(g, dg, D=1.0, theta=0.0, kappa=0.0) -> np.ndarray:
    """The superconducting spin–orbit torque (E3), seed 003 Eq. 3/78:

        Ť = (D/4) θ ε_akj [Š_a, ǧ∂_kǧ∂_jǧ] + (D/4) κ ε_akj i[∂_kǧ∂_jǧ, Š_a],

    shape (..., 4, 4), energy units for D in energy × length² and ∂ in 1/length.  It is
    zero when ǧ is uniform or in the normal state (ǧ = ρ₃), and its spin trace vanishes.
    Raises ValueError for bad shapes."""
    g, dg = _as(g, dg)
    theta, kappa, D = _scalar(theta), _scalar(kappa), _scalar(D)
    out = np.zeros(g.shape, dtype=complex)
    for k in range(3):
        for j in range(3):
            a = 3 - k - j
            if k == j:
                continue
            e = LEVI_CIVITA[a, k, j]
            dd = dg[..., k, :, :] @ dg[..., j, :, :]
            gdd = g @ dd
            S = SPIN[a]
            out += e * (0.25 * theta * (S @ gdd - gdd @ S) + 0.25j * kappa * (dd @ S - S @ dd))
    return D * out


def elliott_yafet(g, tau_so) -> np.ndarray:
    """−(1/8τ_so) [Š_aǧŠ_a, ǧ] (seed 003 Eq. 70), shape (..., 4, 4), in 1/(τ_so unit);
    τ_so > 0 (``inf``: zero)."""
    g = np.asarray(g, dtype=complex)
    if not np.isfinite(tau_so):
        return np.zeros_like(g)
    sgs = np.einsum("aij,...jk,akl->...il", SPIN, g, SPIN)
    return -(sgs @ g - g @ sgs) / (8 * tau_so)


def advanced(g) -> np.ndarray:
    """ǧ^A = −ρ₃ (ǧ^R)† ρ₃ of a retarded function ǧ^R (..., 4, 4) (the same relation holds for
    the gradients)."""
    g = np.asarray(g, dtype=complex)
    return -RHO3 @ np.conj(np.swapaxes(g, -1, -2)) @ RHO3


def gradient_from_riccati(gamma, gamma_t, dgamma, dgamma_t) -> tuple[np.ndarray, np.ndarray]:
    """(ǧ, ∂ǧ) from γ, γ̃ (..., 2, 2) and their gradients (..., 3, 2, 2):
    ǧ = Mρ₃M⁻¹ with M = [[1, −γ], [−γ̃, 1]] (:mod:`kinetics.usadel.riccati`), so that
    ∂ǧ = [∂M M⁻¹, ǧ].  Returns ǧ (..., 4, 4) and ∂ǧ (..., 3, 4, 4).

    Raises
    ------
    ValueError
        For a singular M (1 − γγ̃ singular)."""
    gam = np.asarray(gamma, dtype=complex)
    gam_t = np.asarray(gamma_t, dtype=complex)
    one = np.broadcast_to(np.eye(2), gam.shape)
    M = nambu(one, -gam, -gam_t, one)
    try:
        Minv = np.linalg.inv(M)
    except np.linalg.LinAlgError:
        raise ValueError("1 - gamma gamma_t is singular: not a valid Riccati pair") from None
    g = M @ RHO3 @ Minv
    z = np.zeros(np.shape(dgamma), dtype=complex)
    dM = nambu(z, -np.asarray(dgamma, complex), -np.asarray(dgamma_t, complex), z)
    A = dM @ Minv[..., None, :, :]
    return g, A @ g[..., None, :, :] - g[..., None, :, :] @ A


def spin_trace(x, nambu_matrix=None) -> np.ndarray:
    """Tr[Š_a N x] for a = x, y, z, shape (..., 3): with ``nambu_matrix`` N = ρ₃ (RHO3) this
    is the paper's Tr[σ^aτ₃ x], with N = None (identity) Tr[σ^a x]."""
    x = np.asarray(x, dtype=complex)
    if nambu_matrix is not None:
        x = np.asarray(nambu_matrix) @ x
    return np.einsum("aij,...ji->...a", SPIN, x)
