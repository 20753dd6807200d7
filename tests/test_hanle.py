"""Hanle precession of the spin accumulation in a normal metal under an applied field
(issue 12: every nonlocal measurement of λ_N uses it).

A transverse spin current j0 x̂ injected at x = 0 into a Cu wire with B ∥ ẑ: μ₊ = μ_x + iμ_y
obeys μ₊'' = (1 − iω_Lτ_s) μ₊/λ², ω_L = gμ_B B/ħ, τ_s = λ²/D, so μ₊ = C e^{−kx} with
k = √(1 − iω_Lτ_s)/λ and C = 2 j0/(σk) (−(σ/2)μ₊'(0) = j0; a reservoir 20 λ away).
"""

import cmath

import numpy as np
import pytest
import ufl

import kinetics
from kinetics import observables as ob
from kinetics.geometry import layered_box
from kinetics.models.spin_charge import SpinChargeProblem
from kinetics.physics.boundaries import Contact, SpinInjection
from kinetics.physics.spin_charge import GYROMAGNETIC

from _helpers import l2_norm, rates

D_CU = 0.02                                   # m²/s, a stated test value
CU = kinetics.materials.get("Cu").with_(theta_sh=0.0, diffusion_constant=D_CU)
J0 = 1e9                                      # A/m², injected spin current (x̂ polarized)


def wire(cells, degree, B=(0.0, 0.0, 0.0), material=CU, field=True):
    length = 20 * material.lambda_sf
    dev = layered_box([length], [cells], axes="x")
    return SpinChargeProblem(dev, {"film": material}, [
        SpinInjection("xmin", j_s=(J0, 0.0, 0.0)), Contact("xmax", V=0.0)], degree=degree,
        solver="direct", magnetic_field=B if field else None)


def wavenumber(B_z: float) -> complex:
    """k = √(1 − iω_Lτ_s)/λ of the Cu wire (principal root, Re k > 0)."""
    tau = CU.lambda_sf ** 2 / D_CU
    return cmath.sqrt(1 - 1j * GYROMAGNETIC * B_z * tau) / CU.lambda_sf


def exact_mu(problem, B_z):
    k = wavenumber(B_z)
    C = 2 * J0 / (CU.sigma * k)
    x = problem.x_si[0]
    decay, c, s = ufl.exp(-k.real * x), ufl.cos(k.imag * x), ufl.sin(k.imag * x)
    return ufl.as_vector([decay * (C.real * c + C.imag * s), decay * (C.imag * c - C.real * s),
                          0.0])


def test_field_precesses_the_accumulation_about_b_at_the_optimal_rate():
    B_z = 1.0                                 # ω_L τ_s ≈ 1.1 for these numbers
    tau = CU.lambda_sf ** 2 / D_CU
    assert 0.5 < GYROMAGNETIC * B_z * tau < 5  # a real rotation, not a small correction
    errors, hs = [], []
    for cells in (100, 200, 400):
        problem = wire(cells, 1, (0.0, 0.0, B_z))
        sol = problem.solve()
        exact = exact_mu(problem, B_z)
        errors.append(l2_norm(sol.mu_s - exact, problem.dx) / l2_norm(exact, problem.dx))
        hs.append(1 / cells)
    observed = rates(errors, hs)
    assert observed[-1] == pytest.approx(2.0, abs=0.1), (errors, observed)
    assert errors[-1] < 2e-3


def test_b_along_z_turns_x_spins_toward_plus_y():
    """∂_t s = ω_L × s with ω_L ∥ +B: an x̂ accumulation diffusing away turns toward +ŷ."""
    problem = wire(400, 2, (0.0, 0.0, 1.0))
    sol = problem.solve()
    lam = CU.lambda_sf
    mu = ob.line_profile(sol, np.array([[0.0, 0, 0], [0.5 * lam, 0, 0], [lam, 0, 0]]))
    phase = np.unwrap(np.angle(mu[:, 0] + 1j * mu[:, 1]))
    assert np.all(np.diff(phase) > 0.1), phase
    flipped = wire(400, 2, (0.0, 0.0, -1.0)).solve()
    mu_f = ob.line_profile(flipped, np.array([[lam, 0, 0]]))
    assert mu_f[0, 1] == pytest.approx(-mu[2, 1], rel=1e-10)     # μ_y odd in B
    assert mu_f[0, 0] == pytest.approx(mu[2, 0], rel=1e-10)      # μ_x even in B


@pytest.mark.mpi
def test_hanle_curve_at_the_injector_follows_the_closed_form():
    """μ₊(0; B) = 2 j0/(σ k(B)): the Hanle curve of the injector, swept with
    set_magnetic_field on one problem (no rebuild)."""
    problem = wire(400, 2)
    origin = np.array([[0.0, 0.0, 0.0]])
    for B_z in (0.0, 0.25, 1.0, 4.0):
        problem.set_magnetic_field((0.0, 0.0, B_z))
        mu = ob.line_profile(problem.solve(), origin)[0]
        expected = 2 * J0 / (CU.sigma * wavenumber(B_z))
        got = complex(mu[0], mu[1])
        assert abs(got - expected) < 1e-5 * abs(expected), (B_z, got, expected)
        assert abs(mu[2]) < 1e-12 * abs(expected)


def test_zero_field_equals_no_field_term():
    with_field = wire(50, 1).solve()
    without = wire(50, 1, field=False).solve()
    assert np.allclose(with_field.u.x.array, without.u.x.array, rtol=1e-12, atol=0)


def test_bad_input():
    with pytest.raises(ValueError, match="diffusion_constant"):
        wire(10, 1, material=kinetics.materials.get("Cu"))
    with pytest.raises(ValueError, match="built without a magnetic field"):
        wire(10, 1, field=False).set_magnetic_field((0, 0, 1))
    with pytest.raises(ValueError, match="magnetic_field"):
        wire(10, 1, (np.nan, 0.0, 0.0))
    with pytest.raises(ValueError, match="B"):
        wire(10, 1).set_magnetic_field((0.0, 0.0, 1e5))
    with pytest.raises(ValueError, match="diffusion_constant"):
        kinetics.materials.get("Cu", diffusion_constant=-1.0)
