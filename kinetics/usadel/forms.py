"""The Riccati Usadel equation as a real UFL residual (real 2×2 split of complex unknowns).

Unknown: the 16-component real vector u = (Re γ, Im γ, Re γ̃, Im γ̃), each 2×2 block
flattened row-major (γ₁₁, γ₁₂, γ₂₁, γ₂₂); :data:`LAYOUT` gives the indices.

Equation (R3) of :mod:`kinetics.usadel.riccati` (Riccati form of the Usadel equation of
Jacobsen, Ouassou & Linder, PRB 92, 024510 (2015); conventions and derivation there):

    D[∇²γ + 2(∇γ)Ñγ̃(∇γ)] = −i(X₁₁γ − γX₂₂ − X₁₂ + γX₂₁γ),
    D[∇²γ̃ + 2(∇γ̃)Nγ(∇γ̃)] = −i(X₂₁ + γ̃X₁₁ − X₂₂γ̃ − γ̃X₁₂γ̃).

Weak form, for real 2×2 test matrices φ, φ̃ (one per real component of u):

    Σ_ij ∫ D ∇γ_ij·∇φ_ij − ∫ S_ij φ_ij = 0,   S = 2D(∇γ)Ñγ̃(∇γ) + i(X₁₁γ − γX₂₂ − X₁₂ + γX₂₁γ),

real and imaginary parts tested separately (and likewise for γ̃).  The boundary term
∮ D ∂_nγ φ is dropped: a vacuum/insulator boundary has zero matrix current
(D ǧ∇ǧ = D M Q M⁻¹ with Q built from N∂_nγ, Ñ∂_nγ̃, riccati.py), and inside one field a
jump of D keeps D∂_nγ continuous, i.e. the matrix current (a transparent interface).

SU(2) gauge fields (spin–orbit coupling linear in momentum: Rashba, Dresselhaus, strain;
the covariant Usadel equation of Bergeret & Tokatly, PRB 89, 134517 (2014), in the Riccati
form of Jacobsen, Ouassou & Linder (2015)): every ∇ becomes the covariant derivative ∇̃ǧ = ∇ǧ − i[Ǎ, ǧ] with
Ǎ_k = diag(Â_k, −Â_k*), Â_k = Σ_b A_k^b σ_b/2 (A_k^b as in :mod:`kinetics.physics.gauge`, so
that on the spin part of g it is 𝒟μ = ∂μ + A_k × μ, the normal-state convention).  ∇̃ obeys
the product rule on the Nambu blocks, so the Riccati derivation goes through with
𝒟_kγ = ∂_kγ − i(Â_kγ + γÂ_k*), 𝒟_kγ̃ = ∂_kγ̃ + i(Â_k*γ̃ + γ̃Â_k):

    D[𝒟_k𝒟_kγ + 2(𝒟_kγ)Ñγ̃(𝒟_kγ)] = −i(X₁₁γ − γX₂₂ − X₁₂ + γX₂₁γ)   (and likewise γ̃),

with the outer 𝒟_k𝒟_kγ = ∂_k(𝒟_kγ) − i(Â_k𝒟_kγ + 𝒟_kγÂ_k*).  Integrating ∂_k(𝒟_kγ)φ by
parts gives the flux Σ_ij ∫ D (𝒟γ)_ij·∇φ_ij, whose natural boundary condition is again zero
matrix current n·ǧ∇̃ǧ = 0, and the source terms of :func:`riccati_sources` (``gauge=``).
tests/test_usadel_gauge.py checks the projection against the 4×4 equation.

The matrix algebra (:func:`riccati_sources`) is written for any scalar type with +, −, ×, /
(python/numpy complex numbers or :class:`Cx`), so the tests check the UFL path against
:mod:`kinetics.usadel.riccati` with plain complex numbers.
"""

from __future__ import annotations

__all__ = ["Cx", "LAYOUT", "riccati_sources", "residual", "riccati_blocks", "split_unknown",
           "kl_flux", "interface_residual", "gauge_blocks", "covariant_derivatives"]

#: indices of (Re γ, Im γ, Re γ̃, Im γ̃) in u, each [[11, 12], [21, 22]]
LAYOUT = {"gamma_re": ((0, 1), (2, 3)), "gamma_im": ((4, 5), (6, 7)),
          "gamma_t_re": ((8, 9), (10, 11)), "gamma_t_im": ((12, 13), (14, 15))}


class Cx:
    """A complex number as a pair (re, im) of real UFL expressions (or floats), with the
    arithmetic of complex numbers; python numbers (real or complex) mix in."""

    __slots__ = ("re", "im")

    def __init__(self, re, im=0.0):
        self.re, self.im = re, im

    @staticmethod
    def of(x):
        """``x`` as a :class:`Cx` (python complex/real numbers are converted)."""
        if isinstance(x, Cx):
            return x
        if isinstance(x, complex):
            return Cx(x.real, x.imag)
        return Cx(x, 0.0)

    def __add__(self, o):
        o = Cx.of(o)
        return Cx(self.re + o.re, self.im + o.im)

    __radd__ = __add__

    def __sub__(self, o):
        o = Cx.of(o)
        return Cx(self.re - o.re, self.im - o.im)

    def __rsub__(self, o):
        return Cx.of(o) - self

    def __neg__(self):
        return Cx(-self.re, -self.im)

    def __mul__(self, o):
        o = Cx.of(o)
        return Cx(self.re * o.re - self.im * o.im, self.re * o.im + self.im * o.re)

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = Cx.of(o)
        d = o.re * o.re + o.im * o.im
        return Cx((self.re * o.re + self.im * o.im) / d, (self.im * o.re - self.re * o.im) / d)

    def __rtruediv__(self, o):
        return Cx.of(o) / self

    def conj(self):
        """The complex conjugate."""
        return Cx(self.re, -self.im)


def _conj(x):
    return x.conj() if isinstance(x, Cx) else complex(x).conjugate()


# ---------------------------------------------------------------- 2×2 matrix algebra
def _mm(a, b):
    return [[a[i][0] * b[0][j] + a[i][1] * b[1][j] for j in range(2)] for i in range(2)]


def _add(a, b):
    return [[a[i][j] + b[i][j] for j in range(2)] for i in range(2)]


def _sub(a, b):
    return [[a[i][j] - b[i][j] for j in range(2)] for i in range(2)]


def _scale(c, a):
    return [[c * a[i][j] for j in range(2)] for i in range(2)]


def _inv(a):
    det = a[0][0] * a[1][1] - a[0][1] * a[1][0]
    return [[a[1][1] / det, -a[0][1] / det], [-a[1][0] / det, a[0][0] / det]]


def _one_minus(a):
    return [[1.0 - a[0][0], -a[0][1]], [-a[1][0], 1.0 - a[1][1]]]


def _one_plus(a):
    return [[1.0 + a[0][0], a[0][1]], [a[1][0], 1.0 + a[1][1]]]


def _sandwich(a, left_conj: bool, right_conj: bool):
    """Σ_a σ_a^(*) A σ_a^(*) in closed form (σ_a* = −σ_yσ_aσ_y and Σ_a σ_a B σ_a = 2 Tr B − B):
    no conj: 2TrA − A;  both: 2TrA − A;  A σ*: A − 2Tr(Aσ_y)σ_y;  σ* A: A − 2Tr(σ_yA)σ_y."""
    tr = a[0][0] + a[1][1]
    if left_conj == right_conj:
        return [[2 * tr - a[0][0], -a[0][1]], [-a[1][0], 2 * tr - a[1][1]]]
    # Tr(Aσ_y) = Tr(σ_yA) = i(a01 − a10); 2Tr(.)σ_y = [[0, 2(a01 − a10)], [−2(a01 − a10), 0]]
    t = 2 * (a[0][1] - a[1][0])
    return [[a[0][0], a[0][1] - t], [a[1][0] + t, a[1][1]]]


def riccati_sources(gam, gam_t, dgam, dgam_t, *, z, delta, h=(0.0, 0.0, 0.0), D=1.0,
                    inv_tau_sf=0.0, inv_tau_so=0.0, self_energies: bool = True, gauge=None):
    """The sources S, S̃ of the weak form (module docstring), as 2×2 nested lists.

    Parameters
    ----------
    gam, gam_t:
        γ, γ̃ as 2×2 nested lists of scalars (complex numbers or :class:`Cx`).
    dgam, dgam_t:
        Lists over the spatial directions k of ∂_kγ, ∂_kγ̃ (2×2 nested lists each).
    z:
        ε + iη.
    delta:
        The complex pair potential Δ (Δ* is taken here).
    h:
        Exchange field (h_x, h_y, h_z), real scalars, energy units.
    D:
        Diffusion coefficient in energy × length² units (module docstring of problem.py).
    inv_tau_sf, inv_tau_so:
        1/τ_sf, 1/τ_so (energy units); used when ``self_energies`` is true.
    gauge:
        None, or the list over k of the 2×2 SU(2) gauge matrices Â_k (:func:`gauge_blocks`);
        then ``dgam``, ``dgam_t`` must be the covariant derivatives 𝒟_kγ, 𝒟_kγ̃
        (:func:`covariant_derivatives`) and the sources gain the terms of the outer
        covariant derivative (module docstring, "SU(2) gauge fields").

    Returns
    -------
    (S, S̃): S = 2D Σ_k(∂_kγ)Ñγ̃(∂_kγ) + i(X₁₁γ − γX₂₂ − X₁₂ + γX₂₁γ),
    S̃ = 2D Σ_k(∂_kγ̃)Nγ(∂_kγ̃) + i(X₂₁ + γ̃X₁₁ − X₂₂γ̃ − γ̃X₁₂γ̃); with a gauge field ∂ → 𝒟
    and S −= iD Σ_k (Â_k𝒟_kγ + 𝒟_kγÂ_k*), S̃ += iD Σ_k (Â_k*𝒟_kγ̃ + 𝒟_kγ̃Â_k).
    """
    i = 1j
    hx, hy, hz = h
    gg_t, g_tg = _mm(gam, gam_t), _mm(gam_t, gam)
    N, Nt = _inv(_one_minus(gg_t)), _inv(_one_minus(g_tg))
    one = [[1.0, 0.0], [0.0, 1.0]]
    hs = [[Cx(hz), Cx(hx, -hy)], [Cx(hx, hy), Cx(-hz)]]          # h·σ
    hsc = [[Cx(hz), Cx(hx, hy)], [Cx(hx, -hy), Cx(-hz)]]         # h·σ*
    x11 = _add(_scale(z, one), hs)
    x22 = _add(_scale(-1.0 * z, one), hsc)
    dconj = _conj(delta)
    x12 = [[0.0, delta], [-1.0 * delta, 0.0]]              # Δ iσ_y
    x21 = [[0.0, dconj], [-1.0 * dconj, 0.0]]              # Δ* iσ_y
    if self_energies:
        g11 = _mm(N, _one_plus(gg_t))
        g12 = _scale(2.0, _mm(N, gam))
        g21 = _scale(-2.0, _mm(Nt, gam_t))
        g22 = _scale(-1.0, _mm(Nt, _one_plus(g_tg)))
        diag = Cx(0.0, 0.125 * (inv_tau_sf + inv_tau_so))
        off = Cx(0.0, 0.125 * (inv_tau_sf - inv_tau_so))   # ρ₃ flips the off-diagonal blocks
        x11 = _add(x11, _scale(diag, _sandwich(g11, False, False)))
        x22 = _add(x22, _scale(diag, _sandwich(g22, True, True)))
        x12 = _add(x12, _scale(off, _sandwich(g12, False, True)))
        x21 = _add(x21, _scale(off, _sandwich(g21, True, False)))
    r = _add(_sub(_sub(_mm(x11, gam), _mm(gam, x22)), x12), _mm(_mm(gam, x21), gam))
    rt = _sub(_sub(_add(x21, _mm(gam_t, x11)), _mm(x22, gam_t)), _mm(_mm(gam_t, x12), gam_t))
    S, St = _scale(i, r), _scale(i, rt)
    for dk, dtk in zip(dgam, dgam_t):
        S = _add(S, _scale(2.0 * D, _mm(_mm(_mm(dk, Nt), gam_t), dk)))
        St = _add(St, _scale(2.0 * D, _mm(_mm(_mm(dtk, N), gam), dtk)))
    for a, dk, dtk in zip(gauge or (), dgam, dgam_t):
        ac = _conj_matrix(a)
        S = _sub(S, _scale(D, _scale(i, _add(_mm(a, dk), _mm(dk, ac)))))
        St = _add(St, _scale(D, _scale(i, _add(_mm(ac, dtk), _mm(dtk, a)))))
    return S, St


def _conj_matrix(a):
    return [[_conj(a[r][c]) for c in range(2)] for r in range(2)]


def gauge_blocks(A_k):
    """Â_k = Σ_b A_k^b σ_b / 2 (2×2 nested list of :class:`Cx`) of the three real components
    A_k^b (UFL scalars or floats, 1/length) of the SU(2) gauge field along direction k
    (convention of :mod:`kinetics.physics.gauge`: 𝒟μ = ∂μ + A_k × μ for a spin vector)."""
    ax, ay, az = (0.5 * c for c in A_k)
    return [[Cx(az), Cx(ax, -1.0 * ay)], [Cx(ax, ay), Cx(-1.0 * az)]]


def covariant_derivatives(gam, gam_t, dgam, dgam_t, gauge):
    """𝒟_kγ = ∂_kγ − i(Â_kγ + γÂ_k*) and 𝒟_kγ̃ = ∂_kγ̃ + i(Â_k*γ̃ + γ̃Â_k) (the (1,2) and
    (2,1) Nambu blocks of ∇ǧ − i[Ǎ, ǧ], Ǎ = diag(Â, −Â*); module docstring), for lists
    over k of 2×2 nested lists; returns the two lists."""
    i = 1j
    cov, cov_t = [], []
    for a, dk, dtk in zip(gauge, dgam, dgam_t):
        ac = _conj_matrix(a)
        cov.append(_sub(dk, _scale(i, _add(_mm(a, gam), _mm(gam, ac)))))
        cov_t.append(_add(dtk, _scale(i, _add(_mm(ac, gam_t), _mm(gam_t, a)))))
    return cov, cov_t


def split_unknown(u):
    """(γ, γ̃) of a 16-component UFL vector u as 2×2 nested lists of :class:`Cx`."""
    L = LAYOUT

    def block(re, im):
        return [[Cx(u[re[r][c]], u[im[r][c]]) for c in range(2)] for r in range(2)]
    return block(L["gamma_re"], L["gamma_im"]), block(L["gamma_t_re"], L["gamma_t_im"])


def riccati_blocks(w, gdim: int):
    """(γ, γ̃, [∂_mγ], [∂_mγ̃]) of a 16-component UFL vector ``w`` (layout :data:`LAYOUT`):
    2×2 nested lists of :class:`Cx`, the gradients one per mesh coordinate m < ``gdim``."""
    import ufl
    gam, gam_t = split_unknown(w)
    g = ufl.grad(w)

    def dblock(re, im, k):
        return [[Cx(g[re[r][c], k], g[im[r][c], k]) for c in range(2)] for r in range(2)]
    return (gam, gam_t, [dblock(LAYOUT["gamma_re"], LAYOUT["gamma_im"], k) for k in range(gdim)],
            [dblock(LAYOUT["gamma_t_re"], LAYOUT["gamma_t_im"], k) for k in range(gdim)])


def residual(u, v, dx, gdim: int, *, z, delta, h, D, inv_tau_sf, inv_tau_so,
             self_energies: bool, gauge=None, extrinsic=None):
    """The weak residual F(u; v) of the module docstring (a UFL form).

    Parameters
    ----------
    u, v:
        The 16-component unknown (``Function``) and test function.
    dx:
        Cell measure.
    gdim:
        Number of spatial derivatives (the mesh's geometric dimension).
    z, delta:
        :class:`Cx` of UFL scalars (ε + iη and Δ(r)).
    h:
        Three UFL scalars (exchange field).
    D, inv_tau_sf, inv_tau_so:
        UFL scalars.
    self_energies:
        Build the spin-flip/spin–orbit terms (False when both rates vanish everywhere).
    gauge:
        None (no SU(2) gauge field: the form above, unchanged), or a list over the gdim
        spatial directions k of the three UFL scalars A_k^b (1/length, convention of
        :mod:`kinetics.physics.gauge`): then the fluxes are the covariant derivatives,
        Σ_ij ∫ D (𝒟γ)_ij·∇φ_ij, and the sources carry the outer covariant derivative
        (module docstring).
    extrinsic:
        None, or ``(theta, kappa, axes)``: the spin Hall angle and swapping coefficient (UFL
        scalars) and the physical axis (0, 1, 2) of each mesh coordinate; adds
        :func:`kinetics.usadel.extrinsic_forms.extrinsic_residual` (seed 003 Eqs. 2–3).
        ValueError together with ``gauge``.
    """
    import ufl
    if extrinsic is not None and gauge is not None:
        raise ValueError("the spin Hall/swapping terms and SU(2) gauge fields cannot be "
                         "combined in the Riccati form yet")
    gam, gam_t, dgam, dgam_t = riccati_blocks(u, gdim)
    grad_u = ufl.grad(u)
    L = LAYOUT
    blocks = None
    if gauge is not None:
        blocks = [gauge_blocks(gauge[k]) for k in range(gdim)]
        dgam, dgam_t = covariant_derivatives(gam, gam_t, dgam, dgam_t, blocks)
    S, St = riccati_sources(gam, gam_t, dgam, dgam_t, z=z, delta=delta, h=h, D=D,
                            inv_tau_sf=inv_tau_sf, inv_tau_so=inv_tau_so,
                            self_energies=self_energies, gauge=blocks)
    pairs = (((L["gamma_re"], L["gamma_im"]), S, dgam),
             ((L["gamma_t_re"], L["gamma_t_im"]), St, dgam_t))
    if gauge is None:
        F = D * ufl.inner(grad_u, ufl.grad(v)) * dx
    else:
        flux = 0
        for (re, im), _, d in pairs:
            for k in range(gdim):
                for r in range(2):
                    for c in range(2):
                        flux = flux + (d[k][r][c].re * ufl.grad(v[re[r][c]])[k]
                                       + d[k][r][c].im * ufl.grad(v[im[r][c]])[k])
        F = D * flux * dx
    src = 0
    for (re, im), mat, _ in pairs:
        for r in range(2):
            for c in range(2):
                src = src + mat[r][c].re * v[re[r][c]] + mat[r][c].im * v[im[r][c]]
    if extrinsic is not None:
        from kinetics.usadel.extrinsic_forms import extrinsic_residual
        F = F + extrinsic_residual(u, v, dx, gdim, D=D, extrinsic=extrinsic)
    return F - src * dx


def kl_flux(gam1, gam_t1, gam2, gam_t2):
    """Kupriyanov–Lukichev flux of side 1 in Riccati form, as 2×2 nested lists:

        ℓ ∂_nγ₁ = (1 − γ₁γ̃₂) N₂ (γ₂ − γ₁),
        ℓ ∂_nγ̃₁ = (1 − γ̃₁γ₂) Ñ₂ (γ̃₂ − γ̃₁),

    n the normal out of side 1, N₂ = (1 − γ₂γ̃₂)⁻¹, Ñ₂ = (1 − γ̃₂γ₂)⁻¹, ℓ = R_□σ₁ (interface
    resistance per area times the conductivity of side 1).  This is the Riccati projection
    (derived as (R3) in riccati.py) of the matrix condition 2ℓ ǧ₁∂_nǧ₁ = [ǧ₁, ǧ₂] of
    Kupriyanov & Lukichev, JETP 67, 1163 (1988), in the form Jacobsen, Ouassou & Linder
    (2015) use; tests/test_usadel_algebra.py checks it against the matrix condition.  Any
    scalar type with +, −, ×, / (complex numbers or :class:`Cx`)."""
    one = [[1.0, 0.0], [0.0, 1.0]]
    N2 = _inv(_one_minus(_mm(gam2, gam_t2)))
    Nt2 = _inv(_one_minus(_mm(gam_t2, gam2)))
    flux = _mm(_mm(_sub(one, _mm(gam1, gam_t2)), N2), _sub(gam2, gam1))
    flux_t = _mm(_mm(_sub(one, _mm(gam_t1, gam2)), Nt2), _sub(gam_t2, gam_t1))
    return flux, flux_t


def interface_residual(u1, u2, v1, v2, dS, kappa):
    """The Kupriyanov–Lukichev terms of the weak form (Kupriyanov & Lukichev, JETP 67, 1163
    (1988), in the Riccati form of :func:`kl_flux`) on the interface facets ``dS`` between
    domain 1 and domain 2, split by test function:

        F₁ = −∮ κ F(γ₁ ← γ₂)·φ₁ dS,   F₂ = −∮ κ F(γ₂ ← γ₁)·φ₂ dS   (and likewise for γ̃),

    F from :func:`kl_flux`, κ = D̂/ℓ, ℓ = R_□σ (module docstring of problem.py; energy ×
    length units like D̂/length).

    Parameters
    ----------
    u1, v1:
        The 16-component unknown and test function of domain 1 *restricted to its side* of
        the facets, e.g. ``u1("+")``, ``v1("+")``; ``u2``, ``v2`` those of domain 2
        (``"-"``).  ``dS`` must order the sides so that every facet's '+' cell is in domain
        1 (:meth:`kinetics.models.regions.RegionFields.dS`): with plain facet tags some
        facets would pair the wrong cells — a wrong answer with no error.
    dS:
        Interior-facet measure of the interface.
    kappa:
        κ (a float or UFL scalar).

    Returns
    -------
    (F₁, F₂): UFL forms, linear in v1 and in v2 respectively.
    """
    g1, gt1 = split_unknown(u1)
    g2, gt2 = split_unknown(u2)
    L = LAYOUT
    out = []
    for (a, at, b, bt, v) in ((g1, gt1, g2, gt2, v1), (g2, gt2, g1, gt1, v2)):
        fl, flt = kl_flux(a, at, b, bt)
        total = 0
        for (re, im), mat in (((L["gamma_re"], L["gamma_im"]), fl),
                              ((L["gamma_t_re"], L["gamma_t_im"]), flt)):
            for r in range(2):
                for c in range(2):
                    total = total + mat[r][c].re * v[re[r][c]] + mat[r][c].im * v[im[r][c]]
        out.append(-kappa * total * dS)
    return out[0], out[1]
