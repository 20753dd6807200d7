"""Spin swapping (seed 003 Eq. 81; κ = −κ_LD, kinetics.materials.kappa_from_lifshits_dyakonov).

Seed 003 note §5: in a strip |y| < W/2 with insulating edges, y spins diffusing along x,
μ_y = μ0 e^{−x/λ}, acquire by swapping μ_x = −κ μ0 (y/λ) e^{−x/λ}: the edge condition
J[x, y] = −(σ/2)(∂_yμ_x − κ ∂_xμ_y) = 0 (J[y, y] = 0 is violated only at O(κ²)).
The sign of μ_x pins the sign convention of κ."""

import numpy as np
import pytest

import kinetics
from kinetics import observables as ob
from kinetics.geometry import layered_box
from kinetics.physics.boundaries import Contact, SpinInjection
from kinetics.models.spin_charge import SpinChargeProblem

LAM, W, LX = 100e-9, 40e-9, 1000e-9


@pytest.mark.parametrize("kappa", [0.02, -0.02])
def test_swapping_converts_y_spin_flow_into_x_accumulation_at_the_edges(kappa):
    mat = kinetics.materials.Material("swap", sigma=1e7, lambda_sf=LAM, kappa=kappa)
    dev = layered_box([LX, W], [100, 8], axes="xy")
    j0 = 1e9
    problem = SpinChargeProblem(dev, {"film": mat}, [
        SpinInjection("xmin", j_s=(0.0, j0, 0.0)), Contact("xmax", V=0.0)], degree=2)
    sol = problem.solve()
    x = np.array([200e-9, 300e-9, 400e-9])
    y = np.array([-0.5, -0.25, 0.25, 0.5]) * W
    X, Y = np.meshgrid(x, y, indexing="ij")
    pts = np.column_stack([X.ravel(), (Y + W / 2).ravel(), 0 * X.ravel()])
    mu = ob.line_profile(sol, pts).reshape(len(x), len(y), 3)
    mu0 = mu[:, :, 1].mean(axis=1)                       # μ_y(x), uniform across the strip
    expected = -kappa * mu0[:, None] * (y[None, :] / LAM)
    assert np.allclose(mu[:, :, 0], expected, rtol=0.03, atol=0.01 * np.abs(expected).max())
    # and μ_y decays with λ
    assert mu0[1] / mu0[0] == pytest.approx(np.exp(-100e-9 / LAM), rel=1e-3)
