"""Spin Hall, swapping and the superconducting torque of seed 003 in the Riccati (weak) form of
the retarded Usadel equation.

Seed 003 (Huang, Tokatly & Bergeret, arXiv:1807.07029 (2018), Eqs. 2–3 ≡ 74, 78) adds to the
Usadel equation the spin Hall (θ) and swapping (κ) parts Č_k of the matrix current and the
torque Ť; in the package's basis and signs (:mod:`kinetics.usadel.extrinsic`, (E1)–(E3)):

    D ∂_k(ǧ∂_kǧ − Č_k) + i[X̌, ǧ] + Ť = 0.

Riccati projection (derived here).  With ǧ = Mρ₃M⁻¹, M = [[1, −γ], [−γ̃, 1]]
(:mod:`kinetics.usadel.riccati`), the equation for γ is (1/2)P(·)Q with P = [1, γ],
Q = [−γ; 1], and the one for γ̃ is (1/2)P̃(·)Q̃ with P̃ = [γ̃, 1], Q̃ = [1; −γ̃]; for the
Usadel terms this gives (R3) (PǨQ = N⁻¹(M⁻¹ǨM)₁₂, P̃ǨQ̃ = Ñ⁻¹(M⁻¹ǨM)₂₁).  In the frame of M:

    M⁻¹∂_jǧM = [[0, a_j], [b_j, 0]],  a_j = 2N∂_jγ,  b_j = −2Ñ∂_jγ̃,  M⁻¹ǧM = ρ₃,
    M⁻¹Š_aM = s = [[N(p − γqγ̃), N(γq − pγ)], [Ñ(γ̃p − qγ̃), Ñ(q − γ̃pγ)]],

p = σ_a, q = −σ_a* (Š_a = diag(p, q)).  Then, with θ± = (θ ± iκ)/2 and Σ over ε_akj:

    K'_k ≡ M⁻¹Č_kM:  K'₁₂ = Σ θ₊a_j s₂₂ + θ₋s₁₁a_j,   K'₂₁ = Σ θ₋b_j s₁₁ + θ₊s₂₂b_j,
                      K'₁₁ = Σ θ₊(a_j s₂₁ + s₁₂b_j),   K'₂₂ = Σ θ₋(b_j s₁₂ + s₂₁a_j);
    M⁻¹ŤM:  (·)₁₂ = (D/4) Σ −(θ − iκ)a_kb_j s₁₂ − (θ + iκ)s₁₂b_ka_j,
            (·)₂₁ = (D/4) Σ (θ − iκ)s₂₁a_kb_j + (θ + iκ)b_ka_j s₂₁.

The divergence is projected with the product rule (P∂ǨQ = ∂(PǨQ) − ∂PǨQ − PǨ∂Q):

    (1/2)P ∂_kČ_k Q = ∂_kc_k + ∂_kγ γ̃N c_k + c_k Ñγ̃ ∂_kγ + ½(N⁻¹K'₁₁N ∂_kγ − ∂_kγ K'₂₂),
    (1/2)P̃∂_kČ_k Q̃ = ∂_kc̃_k + ∂_kγ̃ γÑ c̃_k + c̃_k Nγ ∂_kγ̃ + ½(Ñ⁻¹K'₂₂Ñ ∂_kγ̃ − ∂_kγ̃ K'₁₁),

c_k = ½N⁻¹K'₁₂ = Σ θ₊∂_jγ s₂₂ + θ₋(p − γqγ̃)N∂_jγ, c̃_k = ½Ñ⁻¹K'₂₁ =
−Σ θ₋∂_jγ̃ s₁₁ + θ₊(q − γ̃pγ)Ñ∂_jγ̃.  Since (1/2)P(ǧ∂_kǧ)Q = ∂_kγ, the weak form of
:mod:`kinetics.usadel.forms` gains the flux −D c_k (natural condition: zero matrix current
n·(ǧ∂ǧ − Č) = 0 at vacuum boundaries; D c_k continuous where D, θ, κ jump, seed footnote 61:
the torque and the divergence stay separate terms) and the sources

    S += −D Σ_k [∂_kγ γ̃N c_k + c_k Ñγ̃ ∂_kγ + ½(N⁻¹K'₁₁N ∂_kγ − ∂_kγ K'₂₂)] + ½N⁻¹(M⁻¹ŤM)₁₂,

and likewise for S̃.  tests/test_usadel_extrinsic_forms.py checks both against the 4×4
equation (:func:`kinetics.usadel.extrinsic.soc_current`, :func:`~kinetics.usadel.extrinsic.torque`)
with finite differences, and the weak form by a manufactured solution.

Weak form (:func:`extrinsic_residual`, added by :func:`kinetics.usadel.forms.residual`):
−∫ D c_k·∂_kφ − ∫ S·φ (and likewise for γ̃), real and imaginary parts tested separately.
Newton uses :func:`extrinsic_jacobian`: the derivative of the flux with respect to ∇γ at
frozen γ (c is linear in ∇γ), without the derivatives of c with respect to γ and of the
sources; those are O(θ, κ) of the Jacobian, so Newton converges linearly with a rate of
that order, while the full Gâteaux derivative would make the generated kernel about six
times larger (14 MB of C for a 2D P1 form against 2.4 MB) and its compilation minutes long.

Scalar types: any with +, −, ×, / (python complex numbers, or :class:`kinetics.usadel.forms.Cx`
of UFL expressions).  Gradients are given per *physical* axis k = x, y, z (None for an axis
the mesh does not span).
"""

from __future__ import annotations

from kinetics.usadel.forms import (Cx, _add, _inv, _mm, _one_minus, _scale, _sub,
                                   riccati_blocks)

__all__ = ["PAULI", "spin_frame", "soc_fluxes", "soc_sources", "extrinsic_residual",
           "extrinsic_jacobian"]

#: σ_x, σ_y, σ_z as 2×2 nested lists of python complex numbers
PAULI = ([[0j, 1 + 0j], [1 + 0j, 0j]], [[0j, -1j], [1j, 0j]], [[1 + 0j, 0j], [0j, -1 + 0j]])

_EPS = {(0, 1, 2): 1.0, (1, 2, 0): 1.0, (2, 0, 1): 1.0,
        (0, 2, 1): -1.0, (2, 1, 0): -1.0, (1, 0, 2): -1.0}


def _spin(a):
    """(p, q) = (σ_a, −σ_a*): the Nambu blocks of Š_a."""
    s = PAULI[a]
    return s, [[-s[r][c].conjugate() for c in range(2)] for r in range(2)]


def spin_frame(gam, gam_t):
    """The Riccati frame of a point: N, Ñ and the blocks of M⁻¹Š_aM for a = x, y, z.

    Returns ``(N, Nt, s)`` with ``s[a] = (s11, s12, s21, s22)`` (module docstring), all
    2×2 nested lists of the scalar type of ``gam``, ``gam_t``."""
    N, Nt = _inv(_one_minus(_mm(gam, gam_t))), _inv(_one_minus(_mm(gam_t, gam)))
    s = []
    for a in range(3):
        p, q = _spin(a)
        s.append((_mm(N, _sub(p, _mm(_mm(gam, q), gam_t))),
                  _mm(N, _sub(_mm(gam, q), _mm(p, gam))),
                  _mm(Nt, _sub(_mm(gam_t, p), _mm(q, gam_t))),
                  _mm(Nt, _sub(q, _mm(_mm(gam_t, p), gam)))))
    return N, Nt, s


def _pairs(dgam):
    """(a, k, j, ε_akj) for the physical axes k ≠ j that both have a gradient."""
    for (a, k, j), e in _EPS.items():
        if dgam[k] is not None and dgam[j] is not None:
            yield a, k, j, e


def _theta_pm(theta, kappa):
    return Cx(0.5 * theta, 0.5 * kappa), Cx(0.5 * theta, -0.5 * kappa)


def soc_fluxes(gam, gam_t, dgam, dgam_t, *, theta, kappa, frame=None):
    """The fluxes c_k, c̃_k (module docstring): the Riccati projections ½N⁻¹(M⁻¹Č_kM)₁₂ and
    ½Ñ⁻¹(M⁻¹Č_kM)₂₁ of the spin Hall and swapping current Č_k of seed 003 Eq. 2/74.

    Parameters
    ----------
    gam, gam_t:
        γ, γ̃ (2×2 nested lists).
    dgam, dgam_t:
        Length-3 lists over the physical axes x, y, z of ∂_kγ, ∂_kγ̃ (2×2 nested lists, or
        None for an axis the mesh does not span), in 1/length.
    theta, kappa:
        Spin Hall angle θ and swapping coefficient κ (real scalars).
    frame:
        ``spin_frame(gam, gam_t)`` if already computed.

    Returns
    -------
    (c, ct): lists over k = x, y, z of 2×2 nested lists (None where ∂_k is None), 1/length.
    """
    N, Nt, s = frame or spin_frame(gam, gam_t)
    tp, tm = _theta_pm(theta, kappa)
    c, ct = [None] * 3, [None] * 3
    for a, k, j, e in _pairs(dgam):
        p, q = _spin(a)
        s11, _, _, s22 = s[a]
        term = _add(_scale(tp, _mm(dgam[j], s22)),
                    _scale(tm, _mm(_mm(_sub(p, _mm(_mm(gam, q), gam_t)), N), dgam[j])))
        term_t = _add(_scale(tm, _mm(dgam_t[j], s11)),
                      _scale(tp, _mm(_mm(_sub(q, _mm(_mm(gam_t, p), gam)), Nt), dgam_t[j])))
        c[k] = _scale(e, term) if c[k] is None else _add(c[k], _scale(e, term))
        ct[k] = _scale(-e, term_t) if ct[k] is None else _sub(ct[k], _scale(e, term_t))
    return c, ct


def soc_sources(gam, gam_t, dgam, dgam_t, *, theta, kappa, D, frame=None, fluxes=None):
    """The sources that the spin Hall/swapping divergence and the torque Ť add to S, S̃ of
    :func:`kinetics.usadel.forms.riccati_sources` (module docstring; seed 003 Eqs. 2–3).

    Parameters as :func:`soc_fluxes`, plus D (energy × length²); ``fluxes`` is the result
    of :func:`soc_fluxes` if already computed.  Returns (S, S̃) as 2×2 nested lists in
    energy units (zero lists when the mesh spans a single axis)."""
    frame = frame or spin_frame(gam, gam_t)
    N, Nt, s = frame
    c, ct = fluxes or soc_fluxes(gam, gam_t, dgam, dgam_t, theta=theta, kappa=kappa,
                                 frame=frame)
    tp, tm = _theta_pm(theta, kappa)
    one = [[1.0, 0.0], [0.0, 1.0]]
    Ninv, Ntinv = _sub(one, _mm(gam, gam_t)), _sub(one, _mm(gam_t, gam))
    a_ = [None if d is None else _scale(2.0, _mm(N, d)) for d in dgam]
    b_ = [None if d is None else _scale(-2.0, _mm(Nt, d)) for d in dgam_t]
    K11, K22 = [None] * 3, [None] * 3
    T12 = T21 = None
    for a, k, j, e in _pairs(dgam):
        _, s12, s21, _ = s[a]
        k11 = _scale(tp, _add(_mm(a_[j], s21), _mm(s12, b_[j])))
        k22 = _scale(tm, _add(_mm(b_[j], s12), _mm(s21, a_[j])))
        K11[k] = _scale(e, k11) if K11[k] is None else _add(K11[k], _scale(e, k11))
        K22[k] = _scale(e, k22) if K22[k] is None else _add(K22[k], _scale(e, k22))
        ab, ba = _mm(a_[k], b_[j]), _mm(b_[k], a_[j])
        t12 = _scale(-e, _add(_scale(2 * tm, _mm(ab, s12)), _scale(2 * tp, _mm(s12, ba))))
        t21 = _scale(e, _add(_scale(2 * tm, _mm(s21, ab)), _scale(2 * tp, _mm(ba, s21))))
        T12 = t12 if T12 is None else _add(T12, t12)
        T21 = t21 if T21 is None else _add(T21, t21)
    zero = [[0.0, 0.0], [0.0, 0.0]]
    S, St = zero, zero
    for k in range(3):
        if c[k] is None:
            continue
        dk, dtk = dgam[k], dgam_t[k]
        prod = _add(_add(_mm(_mm(_mm(dk, gam_t), N), c[k]), _mm(_mm(_mm(c[k], Nt), gam_t), dk)),
                    _scale(0.5, _sub(_mm(_mm(_mm(Ninv, K11[k]), N), dk), _mm(dk, K22[k]))))
        prod_t = _add(_add(_mm(_mm(_mm(dtk, gam), Nt), ct[k]), _mm(_mm(_mm(ct[k], N), gam), dtk)),
                      _scale(0.5, _sub(_mm(_mm(_mm(Ntinv, K22[k]), Nt), dtk), _mm(dtk, K11[k]))))
        S, St = _sub(S, _scale(D, prod)), _sub(St, _scale(D, prod_t))
    if T12 is not None:
        S = _add(S, _scale(0.125 * D, _mm(Ninv, T12)))
        St = _add(St, _scale(0.125 * D, _mm(Ntinv, T21)))
    return S, St


def _physical(d, axes):
    out = [None] * 3
    for m, k in enumerate(axes):
        out[k] = d[m]
    return out


def _tested(v, mats, gradient: bool = False):
    """Σ Re(m)·v_re + Im(m)·v_im over the 2×2 blocks of (γ, γ̃) for ``mats`` = (M, M̃); with
    ``gradient`` the mats are lists over mesh coordinates m, tested with ∂_m v."""
    import ufl

    from kinetics.usadel.forms import LAYOUT
    total = 0
    for (re, im), mat in (((LAYOUT["gamma_re"], LAYOUT["gamma_im"]), mats[0]),
                          ((LAYOUT["gamma_t_re"], LAYOUT["gamma_t_im"]), mats[1])):
        for m, entry in enumerate(mat if gradient else [mat]):
            if entry is None:
                continue
            for r in range(2):
                for c in range(2):
                    a, b = v[re[r][c]], v[im[r][c]]
                    if gradient:
                        a, b = ufl.grad(a)[m], ufl.grad(b)[m]
                    total = total + entry[r][c].re * a + entry[r][c].im * b
    return total


def extrinsic_residual(u, v, dx, gdim: int, *, D, extrinsic):
    """The spin Hall, swapping and torque terms of the weak Riccati residual (module
    docstring): −∫ D c_k·∂_kφ − ∫ S_x·φ for γ and γ̃.

    Parameters
    ----------
    u, v:
        16-component unknown and test function (layout :data:`kinetics.usadel.forms.LAYOUT`).
    dx:
        Cell measure.
    gdim:
        Number of mesh coordinates.
    D:
        Diffusion coefficient (UFL scalar, energy × length²).
    extrinsic:
        ``(theta, kappa, axes)``: UFL scalars θ, κ and the physical axis (0, 1, 2) of each
        mesh coordinate.

    Returns
    -------
    A UFL form linear in v (0 when the mesh spans a single axis: then every term vanishes).
    """
    theta, kappa, axes = extrinsic
    gam, gam_t, dgam, dgam_t = riccati_blocks(u, gdim)
    dp, dpt = _physical(dgam, axes), _physical(dgam_t, axes)
    frame = spin_frame(gam, gam_t)
    c, ct = soc_fluxes(gam, gam_t, dp, dpt, theta=theta, kappa=kappa, frame=frame)
    if all(x is None for x in c):
        return 0
    S, St = soc_sources(gam, gam_t, dp, dpt, theta=theta, kappa=kappa, D=D, frame=frame,
                        fluxes=(c, ct))
    flux = _tested(v, ([c[k] for k in axes], [ct[k] for k in axes]), gradient=True)
    return -D * flux * dx - _tested(v, (S, St)) * dx


def extrinsic_jacobian(u, du, v, dx, gdim: int, *, D, extrinsic):
    """The part of the Jacobian of :func:`extrinsic_residual` that Newton uses (module
    docstring): −∫ D c_k(γ; ∇δγ)·∂_kφ, the flux with ∇γ replaced by the trial gradient at
    frozen γ (exact for the ∇γ-dependence of the flux).  Parameters as
    :func:`extrinsic_residual` plus the trial function ``du``; returns a bilinear UFL form
    or 0."""
    theta, kappa, axes = extrinsic
    gam, gam_t, _, _ = riccati_blocks(u, gdim)
    _, _, ddu, ddu_t = riccati_blocks(du, gdim)
    c, ct = soc_fluxes(gam, gam_t, _physical(ddu, axes), _physical(ddu_t, axes),
                       theta=theta, kappa=kappa)
    if all(x is None for x in c):
        return 0
    return -D * _tested(v, ([c[k] for k in axes], [ct[k] for k in axes]), gradient=True) * dx
