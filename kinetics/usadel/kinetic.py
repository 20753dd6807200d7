"""The Keldysh sector of the Usadel equation with extrinsic spin–orbit coupling, linear in
the distribution functions (numpy algebra; the finite-element problem is
:mod:`kinetics.usadel.keldysh`).

Distribution functions
----------------------
The Keldysh function is ǧ^K = ǧ^R ȟ − ȟ ǧ^A with ǧ^A = −ρ₃(ǧ^R)†ρ₃
(:func:`kinetics.usadel.extrinsic.advanced`) and a Nambu-diagonal distribution matrix

    ȟ = Σ_m h_m P̌_m,   P̌ = (1, ρ₃, Š_x, Š_y, Š_z, ρ₃Š_x, ρ₃Š_y, ρ₃Š_z),               (K1)

with eight real modes h_m (:data:`MODES`): energy (h_L), charge (h_T), spin (h_Ta) and
spin-energy (h_La) (Bergeret, Silaev, Virtanen & Heikkilä, RMP 90, 041001 (2018), Sec. IV,
for the collinear case; Š_a = diag(σ_a, −σ_a*) is the spin operator of
:mod:`kinetics.usadel.extrinsic`, the σ^a of seed 003).  Tr P̌_mP̌_n = 4δ_mn.  A normal
reservoir at electrochemical potential μ and spin accumulation μ_s (energies) has, to first
order, h_T = −2μ w(ε), h_Ta = −μ_s^a w(ε), w(ε) = (1/4T) cosh⁻²(ε/2T) (∫w dε = 1; the
electron block of ȟ is tanh((ε − μ − μ_s·σ/2)/2T), the hole block tanh((ε + …)/2T)).

Kinetic equation
----------------
The Keldysh component of the stationary equation (E1) of :mod:`kinetics.usadel.extrinsic`,

    ∂_k Q̌_k^K + Š^K = 0,   Q̌_k = D(ǧ∂_kǧ − Č_k),   Š = i[X̌, ǧ] + Ť,                    (K2)

with (AB)^K = A^R B^K + A^K B^A for every product, X̌^{R,A} = (ε ± iη)ρ₃ + Δ̌ + M̌ +
Σ̌^{R,A}, X̌^K = Σ̌^K (the self-energies of :mod:`kinetics.usadel.riccati` are linear in ǧ:
Σ̌^K = Σ̌[ǧ^K]).  The Dynes η relaxes every mode to equilibrium (a bath with the equilibrium
distribution, whose deviation is zero in linear response).  Projected on the modes,

    q^m_k = Tr[P̌_m Q̌_k^K]/4 = Σ_n (A^{mn}_{kj} ∂_j h_n + B^{mn}_k h_n),
    s^m   = Tr[P̌_m Š^K]/4    = Σ_n (C^{mn} h_n + E^{mn}_j ∂_j h_n),                        (K3)

and ∂_k q^m_k + s^m = 0 are eight real linear equations (the imaginary parts of the traces
vanish; tested).  The coefficients are computed by :func:`coefficients` from ǧ^R and ∂ǧ^R
by linearity.  Natural boundary condition: n_k q^m_k = 0 (no matrix current through an
insulating surface, seed 003 Sec. II).  In the normal state (ǧ^R = ρ₃) ǧ^K = 2ρ₃ȟ and (K3)
are seed 003 Eqs. 79–81 (with the relaxation sign corrected) for n ∝ h_T and S^a ∝ h_Ta,
i.e. the spin–charge model of :mod:`kinetics.physics.spin_charge` with V ↔ h_T and
μ_s ↔ 2h_Ta (tests/test_usadel_keldysh.py).

Observables (linear in ȟ, normalized to the normal state): ñ = Tr ǧ^K/8 and
s̃^a = Tr[Š_aρ₃ǧ^K]/8 (seed 003: n = −(π/4)N_F Tr ǧ^K, S^a = −(π/4)N_F Tr σ^aτ₃ǧ^K), equal to
h_T and h_Ta in a normal metal; the currents j^m_k = −q^m_k/2 (the charge current −D∂_kh_T
+ … in a normal metal).

Shapes: leading axes (...) over points; ǧ (..., 4, 4), ∂ǧ (..., 3, 4, 4) (physical axes x, y,
z; zero along the axes a mesh does not span).
"""

from __future__ import annotations

import numpy as np

from kinetics.usadel import riccati
from kinetics.usadel.extrinsic import LEVI_CIVITA, SPIN, advanced, soc_combination

__all__ = ["MODES", "PROJECTORS", "keldysh", "fluxes_and_sources", "coefficients",
           "coefficients_reference", "densities"]

#: the eight modes of ȟ (K1)
MODES = ("energy", "charge", "spin_x", "spin_y", "spin_z",
         "spin_energy_x", "spin_energy_y", "spin_energy_z")
#: P̌_m of (K1), shape (8, 4, 4)
PROJECTORS = np.array([np.eye(4), riccati.RHO3, *SPIN, *(riccati.RHO3 @ S for S in SPIN)],
                      dtype=complex)


def _superoperator(left, right):
    """M (16, 16) with vec(Σ_a left_a g right_a) = vec(g) @ M for row-major vec."""
    M = np.einsum("aij,akl->jkil", left, right)            # [j, k] -> [i, l]
    return np.ascontiguousarray(M.reshape(16, 16))


_ALPHA_SF = _superoperator(riccati.ALPHA, riccati.ALPHA)
_ALPHA_SO = _superoperator(riccati.RHO3 @ riccati.ALPHA, riccati.ALPHA @ riccati.RHO3)


def _self_energy(g, inv_tau_sf, inv_tau_so):
    """Σ̌[g] = (i/8τ_sf) α̂·gα̂ + (i/8τ_so) ρ₃α̂·gα̂ρ₃ (:mod:`kinetics.usadel.riccati`) for g
    (..., 4, 4); the rates broadcast against the leading axes."""
    v = g.reshape(g.shape[:-2] + (16,))
    sf = np.asarray(inv_tau_sf, float)[..., None]
    so = np.asarray(inv_tau_so, float)[..., None]
    out = 1j / 8 * (sf * (v @ _ALPHA_SF) + so * (v @ _ALPHA_SO))
    return out.reshape(g.shape)


def keldysh(gR, dgR, h, dh):
    """(ǧ^K, ∂ǧ^K) = (ǧ^Rȟ − ȟǧ^A, ∂(ǧ^Rȟ − ȟǧ^A)) for ȟ (..., 4, 4) and ∂ȟ (..., 3, 4, 4)."""
    gA, dgA = advanced(gR), advanced(dgR)
    hh = h[..., None, :, :]
    gK = gR @ h - h @ gA
    dgK = dgR @ hh + gR[..., None, :, :] @ dh - dh @ gA[..., None, :, :] - hh @ dgA
    return gK, dgK


def fluxes_and_sources(gR, dgR, h, dh, *, X, eta, D=1.0, theta=0.0, kappa=0.0,
                       inv_tau_sf=0.0, inv_tau_so=0.0):
    """(Q̌_k^K (..., 3, 4, 4), Š^K (..., 4, 4)) of (K2) for the distribution ȟ, ∂ȟ.

    Parameters
    ----------
    gR, dgR:
        Retarded function and its gradient (physical axes x, y, z).
    h, dh:
        Distribution matrix and gradient, (..., 4, 4) and (..., 3, 4, 4).
    X:
        X̌ without the broadening and self-energies: ερ₃ + Δ̌ + M̌ (..., 4, 4)
        (:func:`kinetics.usadel.riccati.energy_matrix` with η = 0).
    eta:
        Dynes broadening (energy units): X̌^{R,A} = X̌ ± iηρ₃.
    D, theta, kappa, inv_tau_sf, inv_tau_so:
        Diffusion coefficient, spin Hall angle, swapping coefficient, 1/τ_sf, 1/τ_so
        (scalars or arrays over the leading axes).
    """
    gA, dgA = advanced(gR), advanced(dgR)
    gK, dgK = keldysh(gR, dgR, h, dh)
    D = np.asarray(D, float)[..., None, None]
    th = np.asarray(theta, float)[..., None, None]
    ka = np.asarray(kappa, float)[..., None, None]
    e3 = lambda a: a[..., None, :, :]                      # noqa: E731  broadcast over k
    gdgK = e3(gR) @ dgK + e3(gK) @ dgA                     # (ǧ∂_kǧ)^K
    C = soc_combination(dgK, gdgK, theta, kappa)
    Q = D[..., None, :, :] * (gdgK - C)
    rho = riccati.RHO3
    XR = X + 1j * np.asarray(eta, float)[..., None, None] * rho
    XA = X - 1j * np.asarray(eta, float)[..., None, None] * rho
    XR = XR + _self_energy(gR, inv_tau_sf, inv_tau_so)
    XA = XA + _self_energy(gA, inv_tau_sf, inv_tau_so)
    XK = _self_energy(gK, inv_tau_sf, inv_tau_so)
    src = 1j * (XR @ gK + XK @ gA - gR @ XK - gK @ XA)
    for k in range(3):
        for j in range(3):
            if k == j:
                continue
            a = 3 - k - j
            e = LEVI_CIVITA[a, k, j]
            S = SPIN[a]
            ggg = (gR @ dgR[..., k, :, :] @ dgK[..., j, :, :]
                   + gR @ dgK[..., k, :, :] @ dgA[..., j, :, :]
                   + gK @ dgA[..., k, :, :] @ dgA[..., j, :, :])
            dd = dgR[..., k, :, :] @ dgK[..., j, :, :] + dgK[..., k, :, :] @ dgA[..., j, :, :]
            src = src + e * D * (0.25 * th * (S @ ggg - ggg @ S) + 0.25j * ka * (dd @ S - S @ dd))
    return Q, src


def _project(x):
    return np.einsum("mij,...ji->...m", PROJECTORS, x) / 4


def _check_axes(axes):
    axes = tuple(int(a) for a in axes)
    if not 1 <= len(axes) <= 3 or len(set(axes)) != len(axes) or set(axes) - {0, 1, 2}:
        raise ValueError(f"axes must be 1-3 distinct indices out of 0, 1, 2, got {axes!r}")
    return axes


#: Tr[P̌_m x]/4 = x.reshape(16) @ _TRACE[:, m]
_TRACE = np.ascontiguousarray(np.transpose(PROJECTORS, (2, 1, 0)).reshape(16, 8)) / 4


def _proj(x):
    """Tr[P̌_m x]/4 (real part) for x (..., 4, 4) → (..., 8)."""
    return (x.reshape(x.shape[:-2] + (16,)) @ _TRACE).real


def _comm(x, S):
    return x @ S - S @ x


def coefficients(gR, dgR, axes, *, X, eta, D=1.0, theta=0.0, kappa=0.0, inv_tau_sf=0.0,
                 inv_tau_so=0.0):
    """The coefficients of (K3) at every point: A (..., 8, d, 8, d) [m, k, n, j],
    B (..., 8, d, 8) [m, k, n], C (..., 8, 8) [m, n], E (..., 8, 8, d) [m, n, j], real,
    with k, j over the d mesh directions.

    ``axes`` are the physical axes (0, 1, 2 for x, y, z) of the mesh directions, e.g. (0, 1)
    for a mesh in the x-y plane (:func:`kinetics.usadel.sampling.axis_indices`); the other
    parameters are those of :func:`fluxes_and_sources` (scalars or arrays over the leading
    axes).  Uses the structure of the basis inputs: ȟ = P̌_n gives ǧ^K = K_n =
    ǧ^RP̌_n − P̌_nǧ^A and ∂_jǧ^K = ∂_jǧ^RP̌_n − P̌_n∂_jǧ^A; ∂_jȟ = P̌_n gives ǧ^K = 0 and
    ∂_iǧ^K = δ_ij K_n.  Equal to :func:`coefficients_reference` (tested).

    Raises
    ------
    ValueError
        If ``axes`` are not 1–3 distinct indices out of 0, 1, 2.
    """
    axes = _check_axes(axes)
    d = len(axes)
    gR = np.asarray(gR, complex)
    lead = gR.shape[:-2]
    nl = len(lead)
    P = PROJECTORS
    def sc(a, n):            # a scalar field over the leading axes, with n trailing axes
        return np.broadcast_to(np.asarray(a, float), lead).reshape(lead + (1,) * n)
    th, ka = sc(theta, 3), sc(kappa, 3)
    gA = advanced(gR)
    dR = np.asarray(dgR, complex)[..., axes, :, :]              # (..., d, 4, 4)
    dA = advanced(dR)
    g1, a1 = gR[..., None, :, :], gA[..., None, :, :]           # (..., 1, 4, 4)
    Kn = g1 @ P - P @ a1                                        # (..., 8, 4, 4)
    DK = dR[..., None, :, :, :] @ P[:, None] - P[:, None] @ dA[..., None, :, :, :]  # (.., 8, d)
    GK = g1[..., None, :, :] @ DK + Kn[..., None, :, :] @ dA[..., None, :, :, :]   # (g∂g)^K
    GKd = g1 @ Kn                                               # dh inputs: δ_kj ǧ^R K_n
    soc = bool(np.any(th != 0) or np.any(ka != 0))
    Dth, Dka = sc(D, 3) * th, sc(D, 3) * ka
    A = np.zeros(lead + (8, d, 8, d))
    B = np.zeros(lead + (8, d, 8))
    # -- fluxes: h inputs (B) and ∂h inputs (A)
    fluxB = GK.copy()                                           # (..., 8n, d k, 4, 4)
    fluxA = np.zeros(lead + (8, d, d) + (4, 4), complex)        # [n, j, k]
    for j in range(d):
        fluxA[..., :, j, j, :, :] = GKd
    if soc:
        for a in range(3):
            S = SPIN[a]
            for k in range(d):
                for jj in range(d):
                    e = LEVI_CIVITA[a, axes[k], axes[jj]]
                    if not e:
                        continue
                    dk = DK[..., :, jj, :, :]
                    fluxB[..., :, k, :, :] -= e * (0.5 * th * (dk @ S + S @ dk)
                                                   + 0.5j * ka * _comm(GK[..., :, jj, :, :], S))
                    fluxA[..., :, jj, k, :, :] -= e * (0.5 * th * (Kn @ S + S @ Kn)
                                                       + 0.5j * ka * _comm(GKd, S))
    B[:] = np.moveaxis(_proj(sc(D, 4) * fluxB), (nl, nl + 1, nl + 2), (nl + 2, nl + 1, nl))
    A[:] = np.moveaxis(_proj(sc(D, 5) * fluxA),
                       (nl, nl + 1, nl + 2, nl + 3), (nl + 2, nl + 3, nl + 1, nl))
    # -- sources: i[X̌, ǧ]^K for the h inputs, the torque for both
    rho = riccati.RHO3
    eta_ = np.broadcast_to(np.asarray(eta, float), lead)[..., None, None]
    Xm = np.broadcast_to(np.asarray(X, complex), lead + (4, 4))
    XR = Xm + 1j * eta_ * rho
    XA = Xm - 1j * eta_ * rho
    rates = bool(np.any(np.asarray(inv_tau_sf) != 0) or np.any(np.asarray(inv_tau_so) != 0))
    if rates:
        XR = XR + _self_energy(gR, inv_tau_sf, inv_tau_so)
        XA = XA + _self_energy(gA, inv_tau_sf, inv_tau_so)
    src = 1j * (XR[..., None, :, :] @ Kn - Kn @ XA[..., None, :, :])
    if rates:
        sf = np.broadcast_to(np.asarray(inv_tau_sf, float), lead)[..., None]
        so = np.broadcast_to(np.asarray(inv_tau_so, float), lead)[..., None]
        XK = _self_energy(Kn, sf, so)
        src = src + 1j * (XK @ a1 - g1 @ XK)
    srcE = np.zeros(lead + (8, d, 4, 4), complex)               # [n, l]
    if soc:
        for k in range(d):
            for jj in range(d):
                if k == jj:
                    continue
                a = 3 - axes[k] - axes[jj]
                e = LEVI_CIVITA[a, axes[k], axes[jj]]
                S = SPIN[a]
                Lk = (gR @ dR[..., k, :, :])[..., None, :, :]          # ǧ^R∂_kǧ^R
                dRk, dAj = dR[..., k, :, :][..., None, :, :], dA[..., jj, :, :][..., None, :, :]
                ggg = (Lk @ DK[..., :, jj, :, :] + g1 @ DK[..., :, k, :, :] @ dAj
                       + Kn @ (dA[..., k, :, :] @ dA[..., jj, :, :])[..., None, :, :])
                dd = dRk @ DK[..., :, jj, :, :] + DK[..., :, k, :, :] @ dAj
                src = src + e * (0.25 * Dth * _comm(S, ggg) + 0.25j * Dka * _comm(dd, S))
                # ∂_l ȟ inputs: l = jj (first two products) and l = k (the middle one)
                ggg_j = Lk @ Kn
                dd_j = dRk @ Kn
                srcE[..., :, jj, :, :] += e * (0.25 * Dth * _comm(S, ggg_j)
                                               + 0.25j * Dka * _comm(dd_j, S))
                ggg_k = g1 @ Kn @ dAj
                dd_k = Kn @ dAj
                srcE[..., :, k, :, :] += e * (0.25 * Dth * _comm(S, ggg_k)
                                              + 0.25j * Dka * _comm(dd_k, S))
    C = np.swapaxes(_proj(src), -1, -2)
    E = np.moveaxis(_proj(srcE), (nl, nl + 1, nl + 2), (nl + 1, nl + 2, nl))
    return A, B, C, E


def coefficients_reference(gR, dgR, axes, **params):
    """:func:`coefficients` by brute force: :func:`fluxes_and_sources` for each of the
    8(1 + d) basis inputs ȟ = P̌_n and ∂_jȟ = P̌_n (slow; the reference of the tests).
    The coefficients of (K3) at every point: A (..., 8, d, 8, d) [m, k, n, j],
    B (..., 8, d, 8) [m, k, n], C (..., 8, 8) [m, n], E (..., 8, 8, d) [m, n, j], real,
    with k, j over the d mesh directions.

    ``axes`` are the physical axes (0, 1, 2 for x, y, z) of the mesh directions, e.g. (0, 1)
    for a mesh in the x-y plane (:func:`kinetics.usadel.sampling.axis_indices`); ``params``
    are those of :func:`fluxes_and_sources` (X, eta, D, theta, kappa, inv_tau_sf,
    inv_tau_so).

    Raises
    ------
    ValueError
        If ``axes`` are not 1–3 distinct indices out of 0, 1, 2.
    """
    axes = tuple(int(a) for a in axes)
    if not 1 <= len(axes) <= 3 or len(set(axes)) != len(axes) or set(axes) - {0, 1, 2}:
        raise ValueError(f"axes must be 1-3 distinct indices out of 0, 1, 2, got {axes!r}")
    d = len(axes)
    lead = np.shape(gR)[:-2]
    nb = 8 * (1 + d)
    h = np.zeros((nb, 4, 4), complex)                   # the basis inputs: ȟ = P̌_n ...
    dh = np.zeros((nb, 3, 4, 4), complex)               # ... and ∂_jȟ = P̌_n
    h[:8] = PROJECTORS
    for j, ax in enumerate(axes):
        dh[8 * (1 + j):8 * (2 + j), ax] = PROJECTORS
    grow = lambda a: np.expand_dims(a, axis=len(lead))  # noqa: E731  (..., 1, matrix axes)
    params = dict(params)
    for key in ("eta", "D", "theta", "kappa", "inv_tau_sf", "inv_tau_so"):
        if key in params:
            params[key] = np.expand_dims(np.broadcast_to(np.asarray(params[key], float), lead),
                                         -1)
    params["X"] = grow(np.broadcast_to(np.asarray(params["X"], complex), lead + (4, 4)))
    Q, S = fluxes_and_sources(grow(np.asarray(gR, complex)), grow(np.asarray(dgR, complex)),
                              h, dh, **params)
    q = _project(Q[..., list(axes), :, :]).real          # (..., nb, d, 8) [b, k, m]
    s = _project(S).real                                 # (..., nb, 8) [b, m]
    q = q.reshape(lead + (1 + d, 8, d, 8))               # [i, n, k, m]
    s = s.reshape(lead + (1 + d, 8, 8))                  # [i, n, m]
    nl = len(lead)
    B = np.moveaxis(q[..., 0, :, :, :], (nl, nl + 1, nl + 2), (nl + 2, nl + 1, nl))
    C = np.swapaxes(s[..., 0, :, :], -1, -2)
    A = np.moveaxis(q[..., 1:, :, :, :], (nl, nl + 1, nl + 2, nl + 3), (nl + 3, nl + 2, nl + 1, nl))
    E = np.moveaxis(s[..., 1:, :, :], (nl, nl + 1, nl + 2), (nl + 2, nl + 1, nl))
    return (np.ascontiguousarray(A), np.ascontiguousarray(B), np.ascontiguousarray(C),
            np.ascontiguousarray(E))


def densities(gR, h) -> tuple[np.ndarray, np.ndarray]:
    """(ñ, s̃) = (Tr ǧ^K/8, Tr[Š_aρ₃ǧ^K]/8) for ȟ (..., 4, 4): shapes (...) and (..., 3), real
    (module docstring; h_T and h_Ta in a normal metal)."""
    gK = gR @ h - h @ advanced(gR)
    n = np.trace(gK, axis1=-2, axis2=-1).real / 8
    s = np.einsum("aij,jk,...ki->...a", SPIN, riccati.RHO3, gK).real / 8
    return n, s
