"""SU(2) gauge fields of spin-orbit coupling (seed 004, Eqs. 9-11) as plain arrays.

Convention (used everywhere in kinetics)
----------------------------------------
The gauge field is a (3, 3) array ``A[i, b]``: spatial direction ``i``, spin component ``b``,
in 1/m.  It enters the SU(2)-covariant derivative of the spin accumulation

    (𝒟_i μ)^a = ∂_i μ^a + ε_abc A_i^b μ^c          i.e.  𝒟_i μ = ∂_i μ + A_i × μ

(seed 004 Eqs. 26-32, with ``A_i^b = (e/ħ) A^{ib}_paper``).  ``|A_i|`` is the angle by which
a spin rotates per unit length travelled along ``i``.

From seed 004 Eqs. (9)-(11) (spin operators ŝ = σ/2, e < 0 cancels), for an effective mass m:

    A_x = (2m/ħ) (−β,            α − u_xy λ,   u_zx λ)
    A_y = (2m/ħ) (−α + u_xy λ,   β,           −u_yz λ)
    A_z = (2m/ħ) (−u_zx λ,       u_yz λ,       0     )

with the Rashba α, Dresselhaus β and strain λ couplings in m/s (velocity units, from
V_R = 2α(P×ẑ)·s, V_D = 2β(P_x s_x + P_y s_y), V_S of Eq. A4).

The factor-4 question (derived here, by contracting Eq. (36) at Θ = δ with Eqs. (9)-(11);
docs/physics.md, "Gauge-field convention"): with this convention the uniform
mode of the spin diffusion operator relaxes at D Σ_i (|A_i|² − A_i A_iᵀ), i.e. for pure
Rashba 1/τ_z = 8 D m² α²/ħ² and 1/τ_x = 1/τ_y = 4 D m² α²/ħ², the standard 2D
Dyakonov-Perel rates for V_R = α(P×ẑ)·σ.  Seed 004's printed Eqs. (47), (48), (D4), (D5)
carry prefactors 4x smaller; we follow Eqs. (9)-(11) and the standard rates, and treat the
printed prefactors as a typo.  :func:`relaxation_tensor` gives the tensor.
"""

from __future__ import annotations

import numpy as np

from kinetics import units, validation

__all__ = ["rashba_dresselhaus", "strain", "uniform_helix_field", "relaxation_tensor",
           "pure_gauge_rotation"]


def rashba_dresselhaus(alpha: float = 0.0, beta: float = 0.0, *,
                       effective_mass: float = units.m_e) -> np.ndarray:
    """Gauge field of interfacial Rashba (α) and Dresselhaus (β) coupling, seed 004 Eqs. (9)-(10).

    Parameters
    ----------
    alpha, beta:
        Rashba and Dresselhaus couplings in m/s (V_R = 2α(P×ẑ)·s, V_D = 2β(P_x s_x + P_y s_y)).
        To convert from the common α_R in eV·m (H = α_R (k×ẑ)·σ): α = α_R/ħ (m/s).
    effective_mass:
        Electron mass m in kg (default: free-electron mass).

    Returns
    -------
    numpy.ndarray, shape (3, 3)
        ``A[i, b]`` in 1/m: A_x = (2m/ħ)(−β, α, 0), A_y = (2m/ħ)(−α, β, 0), A_z = 0.

    Raises
    ------
    TypeError
        For parameters that are not numbers.
    kinetics.validation.ValidationError
        For non-finite α, β or a mass that is not positive and finite.
    """
    owner = "rashba_dresselhaus"
    alpha = validation.finite(owner, "alpha", alpha, kind="a number (m/s)")
    beta = validation.finite(owner, "beta", beta, kind="a number (m/s)")
    effective_mass = validation.positive(owner, "effective_mass", effective_mass,
                                         kind="a number (kg)")
    k = 2.0 * effective_mass / units.hbar
    return k * np.array([[-beta, alpha, 0.0],
                         [-alpha, beta, 0.0],
                         [0.0, 0.0, 0.0]])


def strain(lam: float, u_xy: float = 0.0, u_yz: float = 0.0, u_zx: float = 0.0, *,
           effective_mass: float = units.m_e) -> np.ndarray:
    """Gauge field of strain-induced spin-orbit coupling, seed 004 Eqs. (9)-(11) and (A4).

    Parameters
    ----------
    lam:
        Strain spin-orbit coupling λ in m/s.
    u_xy, u_yz, u_zx:
        Shear strain components (dimensionless).
    effective_mass:
        Electron mass in kg.

    Returns
    -------
    numpy.ndarray, shape (3, 3)
        ``A[i, b]`` in 1/m; add to :func:`rashba_dresselhaus` for combined couplings.

    Raises
    ------
    TypeError
        For parameters that are not numbers.
    kinetics.validation.ValidationError
        For non-finite couplings or strains, or a mass that is not positive and finite.
    """
    owner = "strain"
    lam = validation.finite(owner, "lam", lam, kind="a number (m/s)")
    u_xy, u_yz, u_zx = (validation.finite(owner, n, v) for n, v in
                        (("u_xy", u_xy), ("u_yz", u_yz), ("u_zx", u_zx)))
    effective_mass = validation.positive(owner, "effective_mass", effective_mass,
                                         kind="a number (kg)")
    k = 2.0 * effective_mass / units.hbar * lam
    return k * np.array([[0.0, -u_xy, u_zx],
                         [u_xy, 0.0, -u_yz],
                         [-u_zx, u_yz, 0.0]])


def uniform_helix_field(q, axis) -> np.ndarray:
    """An abelian (curvature-free) gauge field A_i^b = q_i n^b.

    Such a field is a pure gauge: the spin helix μ(x) = R_n(−q·x) μ0 (rotation about the unit
    vector ``n`` by the angle −q·x) has 𝒟μ = 0 everywhere (:func:`pure_gauge_rotation`).
    Equal Rashba and Dresselhaus coupling (α = β) is of this form (the persistent spin helix).

    Parameters
    ----------
    q:
        Wavevector (3,), 1/m.
    axis:
        Spin rotation axis n (3,), normalized internally.

    Raises
    ------
    kinetics.validation.ValidationError
        If q is not a finite 3-vector or the axis is not a finite non-zero 3-vector.
    """
    owner = "uniform_helix_field"
    n = validation.direction(owner, "axis", axis)
    return np.outer(validation.vector3(owner, "q", q), n)


def relaxation_tensor(A) -> np.ndarray:
    """The tensor Σ_i (|A_i|² I − A_i A_iᵀ) (1/m²) of the uniform-mode relaxation.

    For a spatially uniform μ the covariant spin diffusion term (σ/2) ∫ 𝒟μ : 𝒟w equals
    (σ/2) ∫ μ · M w with this M.  With D the diffusion constant, D·M is the Dyakonov-Perel
    relaxation-rate tensor (module docstring; docs/physics.md).  Pure Rashba or Dresselhaus gives
    eigenvalues in the ratio 1 : 1 : 2 (in-plane : in-plane : out-of-plane).

    Parameters
    ----------
    A:
        Gauge field, shape (3, 3), ``A[i, b]``.
    """
    A = validation.array("relaxation_tensor", "A", A, (None, 3),
                         what="a finite gauge field A[i, b]")
    return sum(np.dot(a, a) * np.eye(3) - np.outer(a, a) for a in A)


def pure_gauge_rotation(q, axis, x, mu0) -> np.ndarray:
    """Evaluate the spin helix μ(x) = R_n(−q·x) μ0 that solves 𝒟μ = 0 for A = q ⊗ n.

    Parameters
    ----------
    q, axis:
        As in :func:`uniform_helix_field`.
    x:
        Points, shape (3, N) in metres (dolfinx interpolation layout).
    mu0:
        μ at x = 0, shape (3,).

    Returns
    -------
    numpy.ndarray, shape (3, N)
    """
    owner = "pure_gauge_rotation"
    n = validation.direction(owner, "axis", axis)
    mu0 = validation.vector3(owner, "mu0", mu0)
    phi = -validation.vector3(owner, "q", q) @ validation.array(owner, "x", x, (3, None))
    c, s = np.cos(phi), np.sin(phi)
    par = np.dot(n, mu0) * n
    perp = mu0 - par
    cross = np.cross(n, mu0)
    return par[:, None] + perp[:, None] * c + cross[:, None] * s
