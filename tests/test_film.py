"""FEM vs the exact 1D film solution (kinetics.analytic): spin Hall profile with insulating
surfaces and with an HM|FI surface, convergence rates, conservation, unit invariance."""

import math

import numpy as np
import pytest
import ufl

import kinetics
from kinetics import analytic as an
from kinetics import observables as ob
from kinetics.geometry import layered_box
from kinetics.physics.boundaries import Contact, Insulator, MagneticInterface
from kinetics.models.spin_charge import SpinChargeProblem

from _helpers import l2_norm, rates

LAM, SIGMA, THETA = 1.5e-9, 2.4e6, 0.11
PT = kinetics.materials.get("Pt")
D, LX, V0 = 5e-9, 10e-9, 1e-3


def solve_film(nz, degree, G=None, m=(1.0, 1.0, 1.0), unit=1e-9):
    m = np.asarray(m) / np.linalg.norm(m)
    dev = layered_box([LX, D], [2, nz], axes="xz", length_unit=unit)
    bcs = [Contact("xmin", V=V0, spin="opaque"), Contact("xmax", V=0.0, spin="opaque")]
    bcs.append(MagneticInterface("zmin", G_r=G[0], G_i=G[1], m=m) if G else Insulator("zmin"))
    problem = SpinChargeProblem(dev, {"film": PT}, bcs, degree=degree)
    Gm = an.conductance_matrix(*(G or (0, 0)), m=m)
    return problem, problem.solve(), Gm


def exact_mu(problem, Gm):
    c1, c2 = an.film_coefficients(D, SIGMA, LAM, THETA, V0 / LX, Gm)
    z = problem.x_si[2]
    return ufl.as_vector([c1[a] * ufl.cosh(z / LAM) + c2[a] * ufl.sinh(z / LAM) for a in range(3)])


@pytest.mark.parametrize("degree,rate", [(1, 2.0), (2, 3.0)])
@pytest.mark.parametrize("G", [None, (7e14, 5e13)], ids=["insulating", "HM|FI"])
def test_film_profile_converges_to_exact_solution(degree, rate, G):
    errors, hs = [], []
    for nz in (4, 8, 16):
        problem, sol, Gm = solve_film(nz, degree, G)
        ex = exact_mu(problem, Gm)
        errors.append(l2_norm(sol.mu_s - ex, problem.dx) / l2_norm(ex, problem.dx))
        hs.append(D / nz)
    observed = rates(errors, hs)
    assert observed[-1] > rate - 0.15, (errors, observed)
    assert errors[-1] < (5e-3 if degree == 1 else 1e-4)


def test_film_current_is_conserved_and_matches_exact_average():
    problem, sol, Gm = solve_film(16, 2, (7e14, 5e13))
    I_in, I_out = ob.contact_current(sol, "xmin"), ob.contact_current(sol, "xmax")
    assert I_in + I_out == pytest.approx(0.0, abs=1e-9 * abs(I_in))
    mu = an.film_spin_accumulation([0.0, D], D, SIGMA, LAM, THETA, V0 / LX, Gm)
    jx = SIGMA * V0 / LX - THETA * SIGMA / (2 * D) * (mu[1, 1] - mu[1, 0])
    assert I_in / D == pytest.approx(jx, rel=1e-7)   # per unit width (2D cross-section)


def test_result_does_not_depend_on_mesh_unit():
    _, sol_nm, _ = solve_film(8, 1, (7e14, 5e13), unit=1e-9)
    _, sol_m, _ = solve_film(8, 1, (7e14, 5e13), unit=1.0)
    I_nm, I_m = ob.contact_current(sol_nm, "xmin"), ob.contact_current(sol_m, "xmin")
    assert I_m == pytest.approx(I_nm, rel=1e-9)
    assert np.allclose(sol_m.u.x.array, sol_nm.u.x.array, rtol=1e-8, atol=1e-14)


def test_spin_hall_sign_matches_the_design_convention():
    """E along +x, θ > 0: the bulk spin Hall current flowing along +z is J[y, z] = −θσE < 0,
    i.e. it carries −ŷ spins up, so μ_y > 0 at the bottom surface z = 0 and < 0 at the top
    (docs/design.md §3)."""
    problem, sol, _ = solve_film(8, 1)
    pts = np.array([[LX / 2, 0, 0.0], [LX / 2, 0, D]])
    mu = ob.line_profile(sol, pts)
    assert mu[0, 1] > 0 > mu[1, 1]
    assert np.allclose(mu[:, [0, 2]], 0.0, atol=1e-12)


def test_spin_injection_decays_with_the_spin_diffusion_length():
    """A spin current j0 injected at x = 0 into a bar of length L (reservoir at x = L):
    μ(x) = (2 j0 λ/σ) sinh((L − x)/λ)/cosh(L/λ) along the injected polarization."""
    from kinetics.physics.boundaries import SpinInjection
    cu = kinetics.materials.get("Cu").with_(theta_sh=0.0, lambda_sf=100e-9)
    Lb, j0 = 300e-9, 1e9
    dev = layered_box([Lb, 10e-9], [60, 1], axes="xz", length_unit=1e-9)
    problem = SpinChargeProblem(dev, {"film": cu}, [
        SpinInjection("xmin", j_s=(0.0, 0.0, j0)), Contact("xmax", V=0.0)], degree=2)
    sol = problem.solve()
    x = np.linspace(0, Lb, 7)
    mu = ob.line_profile(sol, np.column_stack([x, 0 * x, 0 * x + 5e-9]))
    lam, sigma = 100e-9, cu.sigma
    exact = 2 * j0 * lam / sigma * np.sinh((Lb - x) / lam) / np.cosh(Lb / lam)
    assert np.allclose(mu[:, 2], exact, rtol=1e-4, atol=1e-6 * exact.max())
    assert np.allclose(mu[:, :2], 0.0, atol=1e-12)
    assert ob.contact_spin_current(sol, "xmax")[2] == pytest.approx(
        j0 / np.cosh(Lb / lam) * 10e-9, rel=1e-4)   # per unit width (cross-section)


def test_absorbed_spin_current_includes_the_pumped_current():
    """With a pumped current j_p at a perfect-sink-free interface (G = 0, insulating elsewhere
    except a reservoir), everything pumped in must leave through the reservoir."""
    from kinetics.physics.boundaries import MagneticInterface as MI
    cu = kinetics.materials.get("Cu").with_(theta_sh=0.0, lambda_sf=math.inf)
    dev = layered_box([40e-9, 10e-9], [8, 4], axes="xz")
    jp = np.array([0.0, 0.0, 2e9])
    problem = SpinChargeProblem(dev, {"film": cu}, [
        MI("xmin", G_r=1e14, m=(1, 0, 0), pumping=jp), Contact("xmax", V=0.0)], degree=1)
    sol = problem.solve()
    into_metal = -ob.interface_absorption(sol, "xmin")["total"]
    out_reservoir = ob.contact_spin_current(sol, "xmax")
    assert np.allclose(into_metal, out_reservoir, rtol=1e-8, atol=1e-12 * np.abs(jp).max())
    assert into_metal[2] > 0
