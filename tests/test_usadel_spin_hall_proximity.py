"""Seed 003's spin Hall term in the retarded solve: the proximity effect in a normal strip
(0 < x < L, 0 < z < W, x–z plane) between a superconducting reservoir (x = 0) and a normal
one (x = L), with vacuum edges at z = 0, W.

Weak proximity (|γ| ≪ 1) and first order in θ: the singlet γ₀ = f₀(x) iσ_y with
f₀ = γ_S sinh(k(L − x))/sinh(kL), k² = −2i(ε + iη)/D, is untouched in the bulk (the θ and κ
terms are divergence-free there), but the zero matrix current at the edges,
n·(∇γ − c) = 0, with c_z = (θ/2){∂_xγ₀, Š_y} projected = iθf₀'(x)·1
(:mod:`kinetics.usadel.extrinsic_forms`), drives a y-polarized triplet t(x, z)·1 (the
identity part of γ) odd about the centre line:

    D∇²t + 2i(ε + iη)t = 0,  t(0, z) = t(L, z) = 0,  ∂_zt = iθf₀'(x) at z = 0, W,
    t = Σ_n g_n sin(nπx/L) sinh(q_n(z − W/2)) / (q_n cosh(q_nW/2)),
    q_n² = (nπ/L)² + k²,  g_n = (2/L)(−iθkγ_S/sinh kL) (nπ/L)(cosh kL − (−1)ⁿ)/(k² + (nπ/L)²).

With θ₁ below and θ₂ above z = W/2 (two regions), the weak form keeps D(∂_zγ − c_z)
continuous (seed 003 footnote 61: the flux, not ∂_zγ), so ∂_zt jumps by i(θ₂ − θ₁)f₀' there;
per Fourier mode Z_n'' = q_n²Z_n on each half with Z_n'(0) = θ₁φ_n, Z_n'(W) = θ₂φ_n, Z_n and
Z_n' − θφ_n continuous (φ_n = g_n/θ), a 4 × 4 system per mode (:func:`series_jump`).

The swapping coefficient κ does not act on singlets (it commutes with Š_a) nor on this
triplet at this order, so κ leaves t unchanged."""

import numpy as np
import pytest
from mpi4py import MPI

from kinetics.geometry import layered_box
from kinetics.usadel.parameters import unpack
from kinetics.usadel.problem import COMPILE_FAST, Reservoir, UsadelProblem, UsadelRegion

L, W, EPS, ETA, DELTA_S = 1.0, 0.4, 1.0, 1e-3, 0.02


def series(x, z, theta, gamma_s, terms=20000):
    """t(x, z) of the module docstring."""
    k = np.sqrt(-2j * (EPS + 1j * ETA))
    k = k if k.real > 0 else -k
    n = np.arange(1, terms + 1)
    a = n * np.pi / L
    q = np.sqrt(a ** 2 + k ** 2)
    g = (2 / L) * (-1j * theta * k * gamma_s / np.sinh(k * L)) * a * (
        np.cosh(k * L) - (-1.0) ** n) / (k ** 2 + a ** 2)
    zz = z[:, None]        # sinh(q(z − W/2))/cosh(qW/2) without overflow:
    profile = (np.exp(q * (zz - W)) - np.exp(-q * zz)) / (1 + np.exp(-q * W))
    return np.sum(g * np.sin(a * x[:, None]) * profile / q, axis=1)


def series_jump(x, z, theta1, theta2, gamma_s, terms=20000):
    """t(x, z) with θ₁ for z < W/2 and θ₂ above (module docstring), from decaying
    exponentials on each half: Z = α₁e^{−qz} + β₁e^{−q(W/2−z)} below,
    α₂e^{−q(z−W/2)} + β₂e^{−q(W−z)} above."""
    k = np.sqrt(-2j * (EPS + 1j * ETA))
    k = k if k.real > 0 else -k
    n = np.arange(1, terms + 1)
    a = n * np.pi / L
    q = np.sqrt(a ** 2 + k ** 2)
    phi = (2 / L) * (-1j * k * gamma_s / np.sinh(k * L)) * a * (
        np.cosh(k * L) - (-1.0) ** n) / (k ** 2 + a ** 2)
    E, z0 = np.exp(-q * W / 2), np.zeros_like(q)
    M = np.stack([np.stack([-q, q * E, z0, z0], -1), np.stack([z0, z0, -q * E, q], -1),
                  np.stack([E, 1 + z0, -1 + z0, -E], -1), np.stack([-q * E, q, q, -q * E], -1)],
                 axis=1)
    rhs = np.stack([theta1 * phi, theta2 * phi, z0, (theta1 - theta2) * phi], -1)
    al1, be1, al2, be2 = np.moveaxis(np.linalg.solve(M, rhs[..., None])[..., 0], -1, 0)
    zz = z[:, None]
    low = al1 * np.exp(-q * zz) + be1 * np.exp(-q * np.abs(W / 2 - zz))
    high = al2 * np.exp(-q * np.abs(zz - W / 2)) + be2 * np.exp(-q * (W - zz))
    return np.sum(np.sin(a * x[:, None]) * np.where(zz <= W / 2, low, high), axis=1)


def solve(theta, kappa, cells=(24, 8), theta_top=None):
    """γ at the dofs; with ``theta_top`` two layers (θ below z = W/2, θ_top above)."""
    if theta_top is None:
        dev = layered_box([L, W], list(cells), axes="xz", length_unit=1.0)
        regions = {"film": UsadelRegion(theta=theta, kappa=kappa)}
    else:
        half = cells[1] // 2
        dev = layered_box([L, W], list(cells), [("bottom", W / 2, half), ("top", W / 2, half)],
                          axes="xz", length_unit=1.0)
        regions = {"bottom": UsadelRegion(theta=theta, kappa=kappa),
                   "top": UsadelRegion(theta=theta_top, kappa=kappa)}
    up = UsadelProblem(dev, regions, {"xmin": Reservoir(delta=DELTA_S), "xmax": Reservoir()},
                       eta=ETA, degree=2, jit_options=COMPILE_FAST)
    up.sweep([EPS])
    V = up.space
    n = V.dofmap.index_map.size_local
    xyz = V.tabulate_dof_coordinates()[:n]
    gam, _ = unpack(up.u.x.array.reshape(-1, 16)[:n])
    gamma_s = Reservoir(delta=DELTA_S).riccati(EPS, ETA)[0][0, 1]
    return xyz[:, 0], xyz[:, 1], gam, gamma_s


def check(theta=0.01):
    x, z, gam, gamma_s = solve(theta, 0.0)
    comm = MPI.COMM_WORLD
    inner = (x > 0.05) & (x < 0.95)
    t_fem = 0.5 * (gam[:, 0, 0] + gam[:, 1, 1])
    t_exact = series(x, z, theta, gamma_s)
    big = comm.allreduce(np.abs(t_exact[inner]).max(initial=0), op=MPI.MAX)
    err = comm.allreduce(np.abs(t_fem - t_exact)[inner].max(initial=0), op=MPI.MAX)
    spin = comm.allreduce(np.abs(gam[:, 0, 0] - gam[:, 1, 1]).max(initial=0), op=MPI.MAX)
    assert big > 1e-2 * theta * abs(gamma_s)
    assert err < 5e-4 * big, (err, big)
    assert spin < 1e-6 * big                 # only the y-polarized triplet (identity part)
    return x, z, t_fem, big


def test_spin_hall_triplets_at_vacuum_edges():
    """Measured (P2, 24 × 8, γ_S = 0.01): max |t| = 1.95e-5 at θ = 0.01 and
    max |t_FEM − t_series| = 3.8e-9 (2.0e-4 of it; 1.1e-9 on 40 × 16), so the opposite sign
    of θ would fail by 2 max |t|; κ = 0.3 leaves t to < 1e-3 of it."""
    x, z, t, big = check()
    _, _, gam_k, _ = solve(0.01, 0.3)
    assert np.abs(0.5 * (gam_k[:, 0, 0] + gam_k[:, 1, 1]) - t).max() < 1e-3 * big


@pytest.mark.mpi
def test_spin_hall_triplets_at_vacuum_edges_mpi():
    check()


def test_spin_hall_angle_that_jumps():
    """θ = 0.01 below z = W/2 and −0.02 above: the FEM equals the two-layer series (the flux
    D(∂_zγ − c_z) continuous at the jump); measured 3.7e-4 of max |t| = 2.5e-5 (P2, 24 × 8).
    The series with θ₁ = θ₂ is the closed form of the uniform strip (1e-12)."""
    x, z, gam, gamma_s = solve(0.01, 0.0, theta_top=-0.02)
    t_fem = 0.5 * (gam[:, 0, 0] + gam[:, 1, 1])
    inner = (x > 0.05) & (x < 0.95)
    t_exact = series_jump(x, z, 0.01, -0.02, gamma_s)
    big = np.abs(t_exact[inner]).max()
    assert np.abs(t_fem - t_exact)[inner].max() < 1e-3 * big
    # the two-layer series reduces to the closed form of the uniform strip
    same = series_jump(x, z, 0.01, 0.01, gamma_s)
    assert np.abs(same - series(x, z, 0.01, gamma_s)).max() < 1e-12 * np.abs(same).max()
