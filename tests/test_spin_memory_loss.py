"""Spin memory loss at F|N interfaces (kinetics.physics.fn_interface, Bass & Pratt's δ):
a junction with δ equals a resolved thin layer with spin flip over δ of its spin diffusion
lengths (the two-port it is derived from), δ = 0 is the lossless junction, and the spin
lost in the interface is G_sink(μ_F + μ_N) per area."""

from __future__ import annotations

import math

import numpy as np
import pytest

import kinetics
from kinetics.fn_materials import FNInterface
from kinetics.geometry import layered_box
from kinetics.materials import Ferromagnet
from kinetics.models.circuit import (CircuitProblem, FNJunction, interface_current,
                                     resistance_area)
from kinetics.physics.boundaries import Contact

CO = kinetics.materials.get("Co")
CU = kinetics.materials.get("Cu").with_(theta_sh=0.0)
R_B, GAMMA, DELTA = 0.5e-15, 0.7, 0.6
T_LAYER = 0.5e-9                          # thickness of the resolved interface layer
L_F, L_N = 60e-9, 200e-9
V0 = 1e-3


def junction(delta=DELTA):
    return FNInterface.from_valet_fert("Co|Cu", R_B, GAMMA, spin_memory_loss=delta)


def layer_material():
    """The interface as a bulk layer: ρ* = r_b*/t, β = γ, l_sf = t/δ (Valet & Fert's
    ρ↑,↓ = 2ρ*(1 ∓ β), so σ = 1/(ρ*(1 − β²)); Bass & Pratt 2007 Sec. 6.5)."""
    rho_star = R_B / T_LAYER
    return Ferromagnet("layer", sigma=1.0 / (rho_star * (1 - GAMMA ** 2)), beta=GAMMA,
                       lambda_sf=T_LAYER / DELTA, m=CO.m)


def solve(resolved: bool, delta=DELTA):
    if resolved:
        dev = layered_box([1.0], [1], [("F", L_F, 60), ("I", T_LAYER, 16), ("N", L_N, 80)],
                          axes="x", grading=0.6)
        problem = CircuitProblem(dev, {"F": CO, "I": layer_material(), "N": CU},
                                 [Contact("xmin", V=V0), Contact("xmax", V=0.0)], degree=2)
    else:
        dev = layered_box([1.0], [1], [("F", L_F, 60), ("N", L_N, 80)], axes="x", grading=0.6)
        problem = CircuitProblem(dev, {"F": CO, "N": CU},
                                 [Contact("xmin", V=V0), Contact("xmax", V=0.0)],
                                 [FNJunction("F|N", junction(delta))], degree=2)
    return problem.solve()


def mu_in_n(sol, shift):
    """(x − shift, μ_z) on the N side, sorted (shift: where the N region starts)."""
    x, u = sol.values("N")
    keep = x[:, 0] > shift + 1e-15
    order = np.argsort(x[keep, 0])
    return x[keep, 0][order] - shift, u[keep, 3][order]


def test_junction_with_spin_memory_loss_equals_a_resolved_lossy_layer():
    """R·A and the spin accumulation in the normal metal of Co | δ-junction | Cu equal
    those of Co | layer (r_b*, γ, l_sf = t/δ) | Cu (measured 8e-11 and 1.5e-9); without
    the loss (δ = 0) R·A differs by 2.7 % and μ_N by its own size."""
    junc, layer, lossless = solve(False), solve(True), solve(False, delta=0.0)
    ra = [resistance_area(s, "xmin", "xmax") for s in (junc, layer, lossless)]
    assert ra[0] == pytest.approx(ra[1], rel=1e-8)
    xj, mj = mu_in_n(junc, L_F)
    xl, ml = mu_in_n(layer, L_F + T_LAYER)
    _, m0 = mu_in_n(lossless, L_F)
    ref = np.interp(xj, xl, ml)
    scale = np.abs(ref).max()
    assert np.abs(mj - ref).max() < 1e-7 * scale
    assert np.abs(m0 - ref).max() > 0.5 * scale
    assert ra[2] / ra[1] - 1 > 1e-2


def test_the_interface_absorbs_g_sink_times_the_two_accumulations():
    """J_F − J_N = G_sink (μ_F + μ_N)·m with G_sink = G_s δ tanh(δ/2), G_s = 1/(2r_b*), and
    the charge current is continuous (spin only is lost)."""
    sol = solve(False)
    itf = junction()
    G_loss, G_sink = itf.spin_loss_conductances
    assert G_sink == pytest.approx(DELTA * math.tanh(DELTA / 2) / (2 * R_B), rel=1e-12)
    assert G_loss == pytest.approx((1 - DELTA / math.sinh(DELTA)) / (2 * R_B), rel=1e-12)
    jF, JF = interface_current(sol, "F|N", side="F")
    jN, JN = interface_current(sol, "F|N", side="N")
    assert jF == pytest.approx(jN, rel=1e-14)
    xF, uF = sol.values("F")
    xN, uN = sol.values("N")
    mu_F = uF[np.argmax(xF[:, 0]), 3]
    mu_N = uN[np.argmin(xN[:, 0]), 3]
    assert JF[2] - JN[2] == pytest.approx(G_sink * (mu_F + mu_N), rel=1e-9)
    assert JF[2] - JN[2] > 1e-2 * abs(JF[2])


def test_bad_spin_memory_loss():
    with pytest.raises(ValueError, match="spin_memory_loss must be >= 0"):
        junction(-0.1)
    with pytest.raises(ValueError, match="spin_memory_loss"):
        junction(math.inf)
    with pytest.raises(ValueError, match="side must be 'F' or 'N'"):
        interface_current(solve(False), "F|N", side="both")
    assert FNInterface.from_valet_fert("x", R_B, GAMMA).spin_loss_conductances == (0.0, 0.0)
