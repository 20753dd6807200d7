"""Spin Hall magnetoresistance (Chen et al., PRB 87, 144411 (2013)) and spin-orbit torque
efficiencies from FEM, against the closed forms, with θ_SH = 0.02 so that O(θ⁴) terms are
below 0.1 %."""

import numpy as np
import pytest

import kinetics
from kinetics import analytic as an
from kinetics import observables as ob
from kinetics.geometry import layered_box
from kinetics.physics.boundaries import Contact, MagneticInterface
from kinetics.models.spin_charge import SpinChargeProblem

LAM, SIGMA, THETA = 1.5e-9, 2.4e6, 0.02
G_R, G_I = 7e14, 5e13
PT = kinetics.materials.get("Pt").with_(theta_sh=THETA)
V0 = 1e-3
DIRECTIONS = {"x": (1, 0, 0), "y": (0, 1, 0), "z": (0, 0, 1), "-z": (0, 0, -1)}


def film_problem(d, lengths, cells, axes=None, degree=2):
    dev = layered_box(lengths + [d], cells, grading=0.8, axes=axes)
    bcs = [Contact("xmin", V=V0, spin="opaque"), Contact("xmax", V=0.0, spin="opaque"),
           MagneticInterface("zmin", G_r=G_R, G_i=G_I, m=(0, 1, 0))]
    return SpinChargeProblem(dev, {"film": PT}, bcs, degree=degree)


@pytest.mark.parametrize("d_over_lambda", [1, 5, 20])
def test_smr_longitudinal_3d_film_matches_chen(d_over_lambda):
    """Δρ₀/ρ and Δρ₁/ρ of a 3D film (width w = 40λ, insulating edges) vs Chen's closed form.

    The insulating side edges add the spin Hall edge term of a strip,
    −2θ²(λ/w) tanh(w/2λ) (kinetics.analytic.spin_hall_strip averaged), to ρ_long for every m;
    it is subtracted before comparing Δρ₀."""
    d, w, Lx = d_over_lambda * LAM, 40 * LAM, 4 * LAM
    nz = 12 if d_over_lambda <= 2 else 24
    problem = film_problem(d, [Lx, w], [1, 24, nz])
    rho = {}
    for key in ("x", "y"):
        problem.set_magnetization("zmin", DIRECTIONS[key])
        I = ob.contact_current(problem.solve(), "xmin")
        rho[key] = V0 / I * w * d / Lx
    d0, d1, _ = an.chen_smr(d, SIGMA, LAM, THETA, G_R, G_I)
    edge = -THETA ** 2 * (2 * LAM / w) * np.tanh(w / (2 * LAM))
    assert rho["y"] * SIGMA - 1 - edge == pytest.approx(d0, rel=0.02)
    assert (rho["x"] - rho["y"]) * SIGMA == pytest.approx(d1, rel=0.005)


@pytest.mark.parametrize("d_over_lambda", [1, 2, 5, 20])
def test_smr_all_amplitudes_cross_section_match_chen(d_over_lambda):
    """Δρ₀, Δρ₁, Δρ₂ on an x-z cross-section (infinitely wide film, so E_y = 0 and the
    transverse current gives ρ_trans/ρ = −⟨j_y⟩/(σE))."""
    d, Lx = d_over_lambda * LAM, 4 * LAM
    problem = film_problem(d, [Lx], [1, 16], axes="xz")
    E = V0 / Lx
    res = {}
    for key, m in DIRECTIONS.items():
        problem.set_magnetization("zmin", m)
        sol = problem.solve()
        jx = ob.contact_current(sol, "xmin") / d
        jy = ob.region_average(sol, "j_c")[1]
        res[key] = (E / jx * SIGMA - 1, -jy / (SIGMA * E))
    d0, d1, d2 = an.chen_smr(d, SIGMA, LAM, THETA, G_R, G_I)
    assert res["y"][0] == pytest.approx(d0, rel=1e-3)
    assert res["x"][0] - res["y"][0] == pytest.approx(d1, rel=1e-3)
    assert (res["z"][1] - res["-z"][1]) / 2 == pytest.approx(d2, rel=1e-3)
    # the angular form: ρ_long does not change between m = x and m = z
    assert res["z"][0] == pytest.approx(res["x"][0], abs=1e-4 * abs(d1))


@pytest.mark.parametrize("d_over_lambda", [0.5, 1, 3, 10])
def test_sot_efficiencies_match_closed_form(d_over_lambda):
    d, Lx = d_over_lambda * LAM, 4 * LAM
    theta, Gr, Gi = 0.11, 5e14, 1e14
    dev = layered_box([Lx, d], [1, 16], axes="xz", grading=0.6)
    pt = kinetics.materials.get("Pt")
    problem = SpinChargeProblem(dev, {"film": pt}, [
        Contact("xmin", V=V0, spin="opaque"), Contact("xmax", V=0.0, spin="opaque"),
        MagneticInterface("zmin", G_r=Gr, G_i=Gi, m=(0, 0, 1))], degree=2)
    sol = problem.solve()
    j = ob.contact_current(sol, "xmin") / d
    t = ob.interface_torque(sol, "zmin", current_density=(j, 0, 0), normal=(0, 0, -1))
    xi_dl, xi_fl = an.sot_efficiency(d, SIGMA, LAM, theta, Gr, Gi)
    # the closed form uses j_c = σE; the FEM current includes the O(θ²) ISHE back-flow
    assert t["xi_DL"] == pytest.approx(xi_dl, rel=2e-2)
    assert t["xi_FL"] == pytest.approx(xi_fl, rel=2e-2)
    jE = SIGMA * V0 / Lx
    assert t["xi_DL"] * j / jE == pytest.approx(xi_dl, rel=1e-4)
    assert t["xi_FL"] * j / jE == pytest.approx(xi_fl, rel=1e-4)
