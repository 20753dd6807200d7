"""``[usadel.keldysh]`` (kinetics.models.usadel_keldysh_case): the example case
(cases/superconductor_spin_hall.toml) runs; above T_c its accumulations are temperature
independent and equal to the kinetic solution of the Python API at one energy (the normal
state has energy-independent kinetics), the tunnel conductance is 1 there; the gap follows
BCS below T_c; the spin Hall signal across the strip is odd in θ; every bad input of the
section is a CaseError raised by parse_case (before meshing)."""

from pathlib import Path

import numpy as np
import pytest
from mpi4py import MPI

from kinetics.case import CaseError, parse_case
from kinetics.runner import Progress, run_case
from kinetics.usadel import bulk

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "superconductor_spin_hall.toml"
TEXT = CASE.read_text()
SMALL = (TEXT.replace("cells = [24, 6]", "cells = [16, 4]")
         .replace("temperatures = [0.3, 0.9, 1.2]", "temperatures = [0.6, 1.2, 1.5]")
         .replace("points = 16", "points = 8"))


def _edit(old, new, text=SMALL):
    assert old in text, old
    return text.replace(old, new, 1)


def run(text, out):
    return run_case(parse_case(text), out, MPI.COMM_SELF, Progress(MPI.COMM_SELF, False))


def api_normal_state(theta=0.05):
    """μ, μ_s at the probes from KineticProblem at ε = 0 with Δ = 0 (the normal state)."""
    from kinetics.geometry import layered_box
    from kinetics.usadel.keldysh import KineticProblem, Terminal
    from kinetics.usadel.problem import Reservoir, UsadelProblem, UsadelRegion
    dev = layered_box([4e-6, 1e-6], [16, 4], length_unit=1e-6, comm=MPI.COMM_SELF)
    up = UsadelProblem(dev, {"film": UsadelRegion(D=1.0, theta=theta, tau_so=4.0)},
                       {"xmin": Reservoir(), "xmax": Reservoir()}, eta=1e-3)
    up.sweep([0.0])
    kp = KineticProblem(up, {"xmin": Terminal(mu_s=(0.0, 0.0, 1.0))})
    h = kp.solve(0.0)
    pts = np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [2.0, 0.5, 0.0]])
    vals = up.point_values(pts, 8, lambda x, c: h.eval(x, [c]), "test")
    return -0.5 * vals[:, 1], -vals[:, 2:5]


def test_example_case_above_and_below_tc(tmp_path):
    res = run(SMALL, tmp_path / "out")["usadel"]
    kel = res["keldysh"]
    assert kel["temperatures"] == [0.6, 1.2, 1.5]
    assert kel["gaps"]["film"] == pytest.approx([bulk.bcs_gap(0.6, 1.0), 0.0, 0.0], rel=1e-12)
    mu, spin = np.asarray(kel["charge_accumulation"]), np.asarray(kel["spin_accumulation"])
    Y = np.asarray(kel["tunnel_conductance"])
    assert mu.shape == (3, 3) and spin.shape == (3, 3, 3)
    # normal state: T-independent, Y = 1, equal to the API at one energy
    assert np.allclose(mu[1], mu[2], atol=1e-12) and np.allclose(spin[1], spin[2], atol=1e-12)
    assert np.allclose(Y[1:], 1.0, atol=1e-12)
    mu_api, spin_api = api_normal_state()
    assert np.allclose(mu[1], mu_api, atol=1e-10)
    assert np.allclose(spin[1], spin_api, atol=1e-10)
    # the inverse spin Hall voltage across the strip: μ(y = W) − μ(y = 0) ≠ 0, and the
    # probe in the middle of the strip sees none (odd in y)
    assert abs(mu[1, 1] - mu[1, 0]) > 1e-3 and abs(mu[1, 2]) < 1e-10
    # below T_c: the gap opens, the tunnel conductance drops, the signal changes
    assert np.all(Y[0] < 0.9)
    assert np.allclose(np.asarray(kel["probe_voltage"]), mu / Y, rtol=1e-12)
    assert abs((mu[0, 1] - mu[0, 0]) / (mu[1, 1] - mu[1, 0]) - 1) > 0.05
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "fields.bp" in files and "fields.vtu" in files


def test_observables_are_continuous_through_tc(tmp_path):
    """Δ(T) ≈ 3.06 T_c √(1 − T/T_c) → 0 at T_c: the deviation of every observable from the
    normal state shrinks with it (ratio of deviations ≈ Δ(0.99999)/Δ(0.999) ≈ 0.1 or less)."""
    text = _edit("temperatures = [0.6, 1.2, 1.5]", "temperatures = [0.999, 0.99999, 1.001]")
    kel = run(text, tmp_path / "out")["usadel"]["keldysh"]
    for key in ("charge_accumulation", "spin_accumulation", "tunnel_conductance",
                "probe_voltage"):
        v = np.asarray(kel[key])
        far, near = np.abs(v[0] - v[2]).max(), np.abs(v[1] - v[2]).max()
        assert far > 1e-5 * np.abs(v[2]).max(), key          # the gap matters at 0.999 T_c
        assert near < 0.2 * far, key


def test_spin_hall_signal_is_odd_in_theta():
    plus = api_normal_state(0.05)[0]
    minus = api_normal_state(-0.05)[0]
    assert np.allclose(plus, -minus, atol=1e-12)
    assert abs(plus[1] - plus[0]) > 1e-3


BAD = {
    "theta beside a gauge field": (_edit("tau_so = 4.0", "tau_so = 4.0\ngauge = [[0.0, 0.1, "
                                         "0.0], [-0.1, 0.0, 0.0], [0.0, 0.0, 0.0]]\n"),
                                   r"\[usadel.regions.film.gauge\] gauge fields and "
                                   r"theta/kappa \(in any region\) cannot be combined"),
    "terminal not a reservoir": (_edit("[usadel.keldysh.terminals.xmin]",
                                       "[usadel.keldysh.terminals.ymin]"),
                                 r"\[usadel.keldysh.terminals.ymin\] 'ymin' is not a "
                                 r"reservoir"),
    "terminal without bias": (_edit("mu_s = [0.0, 0.0, 1.0]      # spin accumulation held at "
                                    "the injector (E0)", "mu = 0.0"),
                              r"\[usadel.keldysh.terminals.xmin\] has no bias"),
    "zero temperature": (_edit("[0.6, 1.2, 1.5]", "[0.0, 1.2, 1.5]"),
                         r"\[usadel.keldysh.temperatures\] entry 1: must be a number \(E0\) "
                         r"in \[1e-06, 1e\+08\]"),
    "infinite temperature": (_edit("[0.6, 1.2, 1.5]", "[0.6, inf]"),
                             r"\[usadel.keldysh.temperatures\] entry 2"),
    "negative tau_so": (_edit("tau_so = 4.0", "tau_so = -4.0"),
                        r"\[usadel.regions.film.tau_so\] must be a number"),
    "no temperatures": (_edit("temperatures = [0.6, 1.2, 1.5]\n", ""),
                        r"\[usadel.keldysh.temperatures\] required"),
    "temperature beside the sweep": (_edit("degree = 1", "degree = 1\ntemperature = 0.5"),
                                     r"\[usadel.temperature\] the \[usadel.keldysh\] sweep "
                                     r"sets the temperatures"),
    "unknown key": (_edit("points = 8", "pionts = 8"),
                    r"\[usadel.keldysh.pionts\] unknown key 'pionts'"),
    "bad mu_s": (_edit("mu_s = [0.0, 0.0, 1.0]", "mu_s = [0.0, 1.0]"),
                 r"\[usadel.keldysh.terminals.xmin.mu_s\]"),
    "theta out of range": (_edit("theta = 0.05", "theta = 1.5"),
                           r"\[usadel.regions.film.theta\] must be a number in \[-1, 1\]"),
}


def test_example_case_parses():
    parse_case(TEXT)


TORQUE = """
[geometry]
builder = "layered_box"
lengths = [2e-6, 1e-6]
cells = [8, 1]
layers = [["S", 0.5e-6, 2], ["N", 0.5e-6, 2]]
length_unit = 1e-6

[usadel]
broadening = 1e-3
temperature = 0.2
omega_max = 3.0
spin_orbit_torque = true
probes = [[1e-6, 0.25e-6, 0.0]]

[usadel.regions]
S = { delta = 1.0, theta = 0.05, kappa = 0.02 }
N = { h = [0.3, 0.0, 0.0], theta = 0.05 }

[usadel.reservoirs]
xmin = { delta = 1.0, phase = -0.6 }
xmax = { delta = 1.0, phase = 0.6 }
"""


def test_spin_orbit_torque_case_equals_the_api(tmp_path):
    """``spin_orbit_torque = true``: an S|N bilayer between phase-biased reservoirs with an
    in-plane exchange field in N (gradients along x and y) has a spin–orbit torque along
    ẑ×h = ŷ; the case reports the integrals of kinetics.usadel.torque.equilibrium_torque and
    writes the fields."""
    from kinetics.geometry import layered_box
    from kinetics.models.usadel_case import build
    from kinetics.usadel.torque import equilibrium_torque
    res = run(TORQUE, tmp_path / "out")["usadel"]["matsubara"]["spin_orbit_torque"]
    tau = np.asarray(res["integrals"]["tau"])
    assert abs(tau[1]) > 1e-4 and abs(tau[0]) < 1e-12 and abs(tau[2]) < 1e-12
    case = parse_case(TORQUE)
    dev = layered_box([2e-6, 1e-6], [8, 1], layers=[("S", 0.5e-6, 2), ("N", 0.5e-6, 2)],
                      length_unit=1e-6, comm=MPI.COMM_SELF)
    ref = equilibrium_torque(build(case.get("usadel"), dev), 0.2, omega_max=3.0)
    for key in ("tau", "charge_current"):
        assert np.allclose(res["integrals"][key], ref.integrals[key], rtol=1e-10, atol=1e-14)
    assert "fields.vtu" in {p.name for p in (tmp_path / "out").iterdir()}


BAD_TORQUE = {
    "torque without temperature": (TORQUE.replace("temperature = 0.2\nomega_max = 3.0\n", "")
                                   .replace("probes", "energies = [0.5]\nprobes"),
                                   r"\[usadel.spin_orbit_torque\] needs \[usadel\] temperature"),
    "torque without coupling": (TORQUE.replace(", theta = 0.05, kappa = 0.02", "")
                                .replace(", theta = 0.05", ""),
                                r"\[usadel.spin_orbit_torque\] is zero without spin–orbit"),
}


BAD.update(BAD_TORQUE)


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_is_a_case_error_before_meshing(name):
    text, pattern = BAD[name]
    with pytest.raises(CaseError, match=pattern):
        parse_case(text)


def test_gauge_fields_are_refused():
    gauge = "gauge = [[0.0, 0.1, 0.0], [-0.1, 0.0, 0.0], [0.0, 0.0, 0.0]]\n"
    with pytest.raises(CaseError, match=r"\[usadel.regions.film.gauge\] the Keldysh sector "
                                        r"does not support gauge fields"):
        parse_case(_edit("tau_so = 4.0", "tau_so = 4.0\n" + gauge))
    with pytest.raises(CaseError, match=r"\[usadel.regions.S.gauge\] spin_orbit_torque does "
                                        r"not support gauge fields"):
        parse_case(TORQUE.replace("S = { delta = 1.0,", "S = { gauge = [[0.0, 0.1, 0.0], "
                                  "[-0.1, 0.0, 0.0], [0.0, 0.0, 0.0]], delta = 1.0,"))
