"""Spin-loss part J^L + J^S + J^A of the HM|FI interface from interfacial SOC (seed 004).

Zhang et al., PRB 108, 125309 (2023): the contractions Ω, Γ of Eqs. (36)-(38) for any gauge
field, m̃ and Hall angle (:func:`omega_tensor`, :func:`gamma_tensor`,
:func:`gauge_loss_tensor`), and the paper's closed forms for m̃ = ẑ, Eqs. (44)-(61)
(:func:`spin_loss_conductances`, :func:`spin_loss_tensor`; the unverified first-order
Hall-angle terms in :func:`hall_conductances_unverified`).  Signs, the factor 4 and the
typos resolved are in the docstring of :mod:`kinetics.physics.interface_soc`, which
re-exports every public name of this module.  SI units throughout.
"""

from __future__ import annotations

import numpy as np

from kinetics import units
from kinetics.physics._soc_checks import (  # noqa: F401
    EPS as _EPS, array3 as _array, cross_matrix as _cross, finite as _finite, positive as _positive, sym_cross_matrix as _sym_cross)

__all__ = ["omega_tensor", "gamma_tensor", "split_symmetric", "gauge_loss_tensor",
           "spin_loss_conductances", "hall_conductances_unverified", "spin_loss_tensor"]


# --------------------------------------------------------------------------- contractions
def _hall(theta_C):
    """Spatial part of Eq. (38): Θ^{iμ}_{jν} = δ_μν (δ_ij - ε^{ikj} θ_C^{k0})."""
    if theta_C is None:
        return np.eye(3)
    th = _array("theta_C", theta_C, (3,))
    return np.eye(3) - np.einsum("ikj,k->ij", _EPS, th)


def _ell(ell):
    e = _array("ell", ell, None)
    if e.shape == (3,):
        if not np.all(np.isfinite(e)) or np.any(e <= 0):
            raise ValueError(f"ell must hold finite lengths > 0 (m), got {ell!r}")
        return np.diag(e)
    if e.shape == (3, 3) and np.all(np.isfinite(e)) and np.allclose(e, e.T) \
            and np.all(np.linalg.eigvalsh(e) >= 0):
        return e
    raise ValueError(f"ell must be 3 lengths (m) or a symmetric positive (3, 3) tensor "
                     f"(see length_tensor), got shape {e.shape}")


def omega_tensor(A, ell, D, theta_C=None):
    """Ω of Eq. (36), in m/s, with the gauge field in this package's units.

    Ω^{ac} = -D ε^{abμ} ε^{νdc} A[i, b] Θ^{iμ}_{jν} A[j, d] l^c ,
    (A = (e/ħ) A_paper).  At Θ = δ (θ_C = None) ε^{abμ}ε^{μdc} = δ_ad δ_bc - δ_ac δ_bd gives
    Ω^{ac} = D M^{ac} l^c with M = :func:`kinetics.physics.gauge.relaxation_tensor`.

    Parameters: A, (3, 3) gauge field A[i, b] in 1/m; ell, (3,) lengths l^c in m or a
    (3, 3) tensor L (:func:`length_tensor`) applied as Ω·L (N̄ = L N(0), Eq. 34 for any m̃);
    D in m²/s; theta_C, None or (3,) ordinary Hall angles θ_C^{k0} (Eq. 38, first order).
    Returns the (3, 3) array Ω[a, c]; the paper's current is J^{za} = -Ω^{ac} N^c.
    Raises ValueError for wrong shapes or non-positive lengths.
    """
    A = _array("A", A, (3, 3))
    core = -_positive("D", D) * np.einsum("abm,mdc,ib,ij,jd->ac", _EPS, _EPS, A,
                                          _hall(theta_C), A)
    return core @ _ell(ell)


def gamma_tensor(A, D, theta_C=None):
    """Γ of Eq. (37) in m/s: Γ^{ac} = -D ε^{abν} A[i, b] Θ^{iν}_{3c} (z = normal).

    At Θ = δ, Γ μ = -D A_z × μ.  Parameters as in :func:`omega_tensor`.  Returns a (3, 3)
    array; the paper's current is J^{za} = -Γ^{ac} N^c.  Raises ValueError for bad shapes.
    """
    A = _array("A", A, (3, 3))
    return -_positive("D", D) * np.einsum("abc,ib,i->ac", _EPS, A, _hall(theta_C)[:, 2])


def split_symmetric(T):
    """``(T_+, T_-) = ((T + Tᵀ)/2, (T - Tᵀ)/2)`` of a (3, 3) array (``Ω_±``, ``Γ_±`` below Eq. 35).

    Raises ValueError unless T is a finite (3, 3) array.
    """
    T = _array("T", T, (3, 3))
    return 0.5 * (T + T.T), 0.5 * (T - T.T)


def gauge_loss_tensor(A, nu_F, D, ell, theta_C=None, *, include_gamma=True):
    """Γ_loss = e²ν_F (Ω + Γ) (Ω⁻¹m⁻², our sign) from the contractions (36)-(37).

    The general form of J^L + J^S + J^A for any gauge field, m̃ (through ``ell``) and θ_C.
    Parameters as in :func:`omega_tensor`; nu_F per spin, J⁻¹m⁻³.  ``include_gamma=False``
    drops the linear Γ term (J^A), which the exact layer solution does not support (module
    docstring).  Returns (3, 3).
    """
    g = units.e ** 2 * _positive("nu_F", nu_F)
    out = omega_tensor(A, ell, D, theta_C)
    return g * (out + gamma_tensor(A, D, theta_C) if include_gamma else out)

# --------------------------------------------------------------------------- closed forms
def _couplings(D, ell_par, ell_perp, alpha, beta, lam, u_par, u_perp, effective_mass):
    D = _positive("D", D)
    lp, lt = _positive("ell_par", ell_par), _positive("ell_perp", ell_perp)
    m = _positive("effective_mass", effective_mass)
    lam = _finite("lam", lam)
    a = _finite("alpha", alpha) - _finite("u_par", u_par) * lam     # α - u_∥λ
    return D, lp, lt, m, a, _finite("beta", beta), _finite("u_perp", u_perp) * lam


def spin_loss_conductances(nu_F, D, ell_par, ell_perp, alpha=0.0, beta=0.0, lam=0.0,
                           u_par=0.0, u_perp=0.0, *, effective_mass=units.m_e):
    """Zeroth-order (θ_C = 0) spin-loss conductances for m̃ = ẑ, *paper's sign*.

    With K = 4Dm²/ħ² (factor-4 convention), α' = α - u_∥λ, s = u_⊥λ:
      Ω_+^{zz} = 2 K l∥ [α'² + β² + s²]        (47)   G_s^l = -e²ν_F Ω_+^{zz}        (45)
      Ω_+^{xx} = K l⊥ [α'² + β² + 3s²]         (48)   G_r^l = e²ν_F(Ω_+^{xx} - Ω_+^{zz}) (46)
      Ω_+^{xy} = K l⊥ [2βα' + s²]              (56)   G_∥^n = -e²ν_F Ω_+^{xy}        (54)
      Ω_+^{yz} = -K (l∥+l⊥)/2 s (α' - β)       (57, λ and l fixed) G_⊥^n = -e²ν_F Ω_+^{yz} (55)
      G_λ^a = e²ν_F (2Dm/ħ) s                  (59), entering as G_λ^a (ŷ - x̂)×μ (58 fixed)

    Parameters: nu_F (J⁻¹m⁻³, per spin), D (m²/s), ell_par, ell_perp (m), alpha, beta, lam
    (m/s), u_par = u_xy, u_perp = u_yz = u_zx, effective_mass (kg).
    Returns dict ``G_s_l, G_r_l, G_par_n, G_perp_n, G_lambda_a`` (Ω⁻¹m⁻², absorption
    negative) and ``Omega_zz, Omega_xx, Omega_xy, Omega_yz`` (m/s).  Raises ValueError.
    """
    D, lp, lt, m, a, b, s = _couplings(D, ell_par, ell_perp, alpha, beta, lam, u_par,
                                       u_perp, effective_mass)
    g = units.e ** 2 * _positive("nu_F", nu_F)
    K = 4.0 * D * m ** 2 / units.hbar ** 2
    om = {"Omega_zz": 2 * K * lp * (a * a + b * b + s * s),
          "Omega_xx": K * lt * (a * a + b * b + 3 * s * s),
          "Omega_xy": K * lt * (2 * b * a + s * s),
          "Omega_yz": -K * 0.5 * (lp + lt) * s * (a - b)}
    return {"G_s_l": -g * om["Omega_zz"], "G_r_l": g * (om["Omega_xx"] - om["Omega_zz"]),
            "G_par_n": -g * om["Omega_xy"], "G_perp_n": -g * om["Omega_yz"],
            "G_lambda_a": g * 2.0 * D * m / units.hbar * s, **om}


def hall_conductances_unverified(nu_F, D, ell_par, ell_perp, theta_C, alpha=0.0, beta=0.0,
                                 lam=0.0, u_par=0.0, u_perp=0.0, *,
                                 effective_mass=units.m_e):
    """UNVERIFIED first-order Hall-angle conductances as printed, Eqs. (49)-(52), (60)-(61).

    Kept apart because contracting Eqs. (36)-(38) (:func:`gauge_loss_tensor`) does not
    reproduce them:
    the θ^x, θ^y signs of (51), the β sign in the θ^z term of (52), and α -> α - u_∥λ
    (plus an extra ẑ×μ term) in (60).  (61) agrees.  (51)-(52) get the factor 4 of
    (47)-(48).  Use :func:`gauge_loss_tensor` with ``theta_C`` for the contraction.

    Parameters as :func:`spin_loss_conductances`; theta_C: (3,) θ_C^{k0}, not all zero.
    Returns dict ``G_i_l, G_j_l, G_alpha_a, G_beta_a`` (paper sign, Ω⁻¹m⁻²) and the unit
    vectors ``n_alpha``, ``n_beta`` of Eq. (58).  Raises ValueError.
    """
    D, lp, lt, m, a, b, s = _couplings(D, ell_par, ell_perp, alpha, beta, lam, u_par,
                                       u_perp, effective_mass)
    tx, ty, tz = th = _array("theta_C", theta_C, (3,))
    t0 = float(np.linalg.norm(th))
    if t0 == 0:
        raise ValueError("theta_C must not vanish for the Hall-angle terms")
    g = units.e ** 2 * _positive("nu_F", nu_F)
    K = 4.0 * D * m ** 2 / units.hbar ** 2
    om_xy = K * lt * ((b * b - a * a) * tz + (a - b) * s * ty - (a - b) * s * tx)   # (51)
    om_yz = K * lp * (-(b - a) * s * tz - s * s * ty - s * s * tx)                   # (52)
    w = g * 2.0 * D * m / units.hbar * t0
    return {"G_i_l": g * om_xy, "G_j_l": g * om_yz,
            "G_alpha_a": w * _finite("alpha", alpha), "G_beta_a": w * b,
            "n_alpha": np.array([-tx, -ty, 0.0]) / t0, "n_beta": np.array([ty, tx, 0.0]) / t0}


def spin_loss_tensor(nu_F, D, ell_par, ell_perp, alpha=0.0, beta=0.0, lam=0.0, u_par=0.0,
                     u_perp=0.0, *, theta_C=None, include_unverified=False,
                     effective_mass=units.m_e):
    """Γ_loss (3, 3), Ω⁻¹m⁻², our sign (n·j_s ⊃ +Γ_loss μ), for m̃ = ẑ: J^L + J^S + J^A.

    Γ_loss = -P with the paper's matrix (Eqs. 44, 53, 58)::

      P = G_s^l I + G_r^l [ẑ]_×² + G_∥^n |ẑ| + G_⊥^n (|x̂| + |ŷ|) + G_λ^a ([ŷ]_× - [x̂]_×)

    ([n]_× μ = n×μ, |n| μ = ‖n×μ‖ of Eq. 53), from :func:`spin_loss_conductances`.
    With ``theta_C`` and ``include_unverified=True`` the printed first-order terms
    G_i^l [ẑ]_× + G_j^l ([x̂]_× + [ŷ]_×) + G_α^a [n^α]_× + G_β^a [n^β]_× are added
    (:func:`hall_conductances_unverified`).

    Equals :func:`gauge_loss_tensor` (θ_C = 0) when l∥ = l⊥; for l∥ != l⊥ the contraction
    also has the antisymmetric ``Ω_-^{xz,yz}`` ∝ (l∥ - l⊥) that the paper drops.

    Parameters as :func:`spin_loss_conductances`.  Raises ValueError for bad input, or
    for a non-zero ``theta_C`` without ``include_unverified=True``.
    """
    c = spin_loss_conductances(nu_F, D, ell_par, ell_perp, alpha, beta, lam, u_par, u_perp,
                               effective_mass=effective_mass)
    ex, ey, ez = np.eye(3)
    P = (c["G_s_l"] * np.eye(3) + c["G_r_l"] * _cross(ez) @ _cross(ez)
         + c["G_par_n"] * _sym_cross(ez) + c["G_perp_n"] * (_sym_cross(ex) + _sym_cross(ey))
         + c["G_lambda_a"] * (_cross(ey) - _cross(ex)))
    if theta_C is not None and np.any(_array("theta_C", theta_C, (3,)) != 0):
        if not include_unverified:
            raise ValueError("theta_C: the printed Hall-angle terms (49)-(52), (60) are "
                             "unverified; pass include_unverified=True, or use "
                             "gauge_loss_tensor(..., theta_C=...) for the contraction")
        h = hall_conductances_unverified(nu_F, D, ell_par, ell_perp, theta_C, alpha, beta,
                                         lam, u_par, u_perp, effective_mass=effective_mass)
        P = P + (h["G_i_l"] * _cross(ez) + h["G_j_l"] * (_cross(ex) + _cross(ey))
                 + h["G_alpha_a"] * _cross(h["n_alpha"]) + h["G_beta_a"] * _cross(h["n_beta"]))
    return -P
