"""The Riccati projection of seed 003's spin Hall/swapping current and torque
(:mod:`kinetics.usadel.extrinsic_forms`) against the 4×4 equation (E1) of
:mod:`kinetics.usadel.extrinsic`: at points of smooth fields γ(r), γ̃(r),

    ½P(−D∂_kČ_k + Ť)Q = −D∂_kc_k + S,   ½P̃(−D∂_kČ_k + Ť)Q̃ = −D∂_kc̃_k + S̃,

with the divergences by fourth-order finite differences, and ½PČ_kQ = c_k (the flux of the
weak form, hence its natural boundary condition)."""

import numpy as np
import pytest

from kinetics.usadel import extrinsic, extrinsic_forms

H = 1e-3
THETA, KAPPA, D = 0.3, -0.2, 1.7


def _field(seed, axes):
    """γ(r), γ̃(r) quadratic in the coordinates of ``axes`` with random complex 2×2
    coefficients (|γ| ≲ 0.5), and their gradients (3, 2, 2)."""
    rng = np.random.default_rng(seed)

    def rand(scale):
        return scale * (rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2)))
    coef = []
    for _ in range(2):
        g0 = rand(0.2)
        lin = np.array([rand(0.3) if k in axes else np.zeros((2, 2)) for k in range(3)])
        quad = np.zeros((3, 3, 2, 2), complex)
        for k in axes:
            for m in axes:
                quad[k, m] = quad[m, k] = rand(0.2) if k <= m else quad[m, k]
        coef.append((g0, lin, quad))

    def at(x):
        out = []
        for g0, lin, quad in coef:
            g = g0 + np.einsum("k,kij->ij", x, lin) + np.einsum("k,m,kmij->ij", x, x, quad)
            dg = lin + 2 * np.einsum("m,kmij->kij", x, quad)
            out += [g, dg]
        return out
    return at


def _lists(m):
    return [[complex(m[r, c]) for c in range(2)] for r in range(2)]


def _array(m):
    return np.array([[complex(m[r][c].re, m[r][c].im) if hasattr(m[r][c], "re")
                      else complex(m[r][c]) for c in range(2)] for r in range(2)])


def _riccati(at, x, axes):
    """(c, c̃) as arrays (3, 2, 2) and (S, S̃) of extrinsic_forms at x."""
    g, dg, gt, dgt = at(x)
    dl = [_lists(dg[k]) if k in axes else None for k in range(3)]
    dlt = [_lists(dgt[k]) if k in axes else None for k in range(3)]
    c, ct = extrinsic_forms.soc_fluxes(_lists(g), _lists(gt), dl, dlt, theta=THETA,
                                       kappa=KAPPA)
    S, St = extrinsic_forms.soc_sources(_lists(g), _lists(gt), dl, dlt, theta=THETA,
                                        kappa=KAPPA, D=D)
    z = np.zeros((2, 2), complex)
    return (np.array([z if f is None else _array(f) for f in c]),
            np.array([z if f is None else _array(f) for f in ct]), _array(S), _array(St))


def _matrix(at, x):
    """ǧ, Č_k (3, 4, 4) and Ť at x from the 4×4 formulas."""
    g, dg, gt, dgt = at(x)
    gg, dgg = extrinsic.gradient_from_riccati(g, gt, dg, dgt)
    return (gg, extrinsic.soc_current(gg, dgg, THETA, KAPPA),
            extrinsic.torque(gg, dgg, D, THETA, KAPPA))


def _divergence(f, x, axes):
    """Σ_k ∂_k f(x)[k] by fourth-order central differences along ``axes``."""
    total = 0
    for k in axes:
        e = np.zeros(3)
        e[k] = H
        total = total + (-f(x + 2 * e)[k] + 8 * f(x + e)[k] - 8 * f(x - e)[k]
                         + f(x - 2 * e)[k]) / (12 * H)
    return total


def _projectors(at, x):
    g, _, gt, _ = at(x)
    one = np.eye(2)
    P, Q = np.hstack([one, g]), np.vstack([-g, one])
    Pt, Qt = np.hstack([gt, one]), np.vstack([one, -gt])
    return P, Q, Pt, Qt


@pytest.mark.parametrize("axes", [(0, 1, 2), (0, 2)], ids=["3d", "xz-plane"])
@pytest.mark.parametrize("seed", [1, 2])
def test_projection_equals_matrix_equation(axes, seed):
    """Measured: the two sides agree to ≲ 1e-9 (against terms of order 1); dropping the
    torque or the product-rule sources changes them by ≳ 1e-2."""
    at = _field(seed, axes)
    x = np.array([0.11, -0.07, 0.05]) * np.array([k in axes for k in range(3)])
    P, Q, Pt, Qt = _projectors(at, x)
    divC = _divergence(lambda y: _matrix(at, y)[1], x, axes)
    T = _matrix(at, x)[2]
    K = -D * divC + T
    c_div = _divergence(lambda y: _riccati(at, y, axes)[0], x, axes)
    ct_div = _divergence(lambda y: _riccati(at, y, axes)[1], x, axes)
    _, _, S, St = _riccati(at, x, axes)
    lhs, lhs_t = 0.5 * P @ K @ Q, 0.5 * Pt @ K @ Qt
    scale = np.abs(lhs).max() + np.abs(lhs_t).max()
    assert scale > 0.05
    assert np.abs(lhs - (-D * c_div + S)).max() < 1e-9 * max(1.0, scale)
    assert np.abs(lhs_t - (-D * ct_div + St)).max() < 1e-9 * max(1.0, scale)
    # the sources are not negligible: without them the equality fails
    assert np.abs(lhs - (-D * c_div)).max() > 1e-2


@pytest.mark.parametrize("axes", [(0, 1, 2), (0, 2)], ids=["3d", "xz-plane"])
def test_flux_is_projected_matrix_current(axes):
    """½PČ_kQ = c_k and ½P̃Č_kQ̃ = c̃_k (1e-12), so the natural condition of the weak form,
    n·D(∇γ − c) = 0, is the zero matrix current n·(ǧ∂ǧ − Č) = 0 projected."""
    at = _field(5, axes)
    x = np.array([0.02, 0.03, -0.04])
    P, Q, Pt, Qt = _projectors(at, x)
    _, C, _ = _matrix(at, x)
    c, ct, _, _ = _riccati(at, x, axes)
    for k in axes:
        assert np.abs(0.5 * P @ C[k] @ Q - c[k]).max() < 1e-12
        assert np.abs(0.5 * Pt @ C[k] @ Qt - ct[k]).max() < 1e-12
    assert np.abs(c[axes[0]]).max() > 1e-2


def test_singlet_state():
    """A spin-singlet ǧ (γ = γ₀ iσ_y with a scalar profile) commutes with Š_a: the swapping
    flux and all κ sources vanish (< 1e-14), while the spin Hall flux (θ/2){∂_jǧ, Š_a} =
    θŠ_a∂_jǧ does not: a singlet gradient drives triplets where n·c ≠ 0 (edges, jumps of θ)."""
    isy = [[0j, 1 + 0j], [-1 + 0j, 0j]]

    def sc(m, z):
        return [[z * m[r][c] for c in range(2)] for r in range(2)]
    g, gt = sc(isy, 0.3 + 0.2j), sc(isy, -0.25 + 0.1j)
    dg = [sc(isy, 0.4 - 0.1j), None, sc(isy, -0.2 + 0.3j)]
    dgt = [sc(isy, 0.1 + 0.5j), None, sc(isy, 0.3 - 0.2j)]
    c, ct = extrinsic_forms.soc_fluxes(g, gt, dg, dgt, theta=0.0, kappa=KAPPA)
    S, St = extrinsic_forms.soc_sources(g, gt, dg, dgt, theta=0.0, kappa=KAPPA, D=D)
    for m in (c[0], c[2], ct[0], ct[2], S, St):
        assert np.abs(_array(m)).max() < 1e-14
    c, _ = extrinsic_forms.soc_fluxes(g, gt, dg, dgt, theta=THETA, kappa=0.0)
    assert np.abs(_array(c[0])).max() > 0.05
