"""Matsubara sums of the Usadel problem (kinetics.usadel.matsubara): the self-consistent
gap of a pair-breaking superconductor against the Abrikosov–Gor'kov equations, T_c against
the Abrikosov–Gor'kov formula, the supercurrent of a short diffusive junction against
Kulik & Omelyanchuk, the BCS references, 2 ranks, bad input."""

import math

import numpy as np
import pytest
from mpi4py import MPI
from scipy.optimize import brentq

from kinetics.geometry import layered_box
from kinetics.usadel import matsubara as ms
from kinetics.usadel.problem import COMPILE_FAST, Reservoir, UsadelProblem, UsadelRegion

TC0 = 1.0


def wire(n=4, comm=MPI.COMM_SELF, **region):
    """A uniform superconducting wire of one mesh unit, vacuum ends."""
    dev = layered_box([1.0], [n], length_unit=1.0, comm=comm)
    return UsadelProblem(dev, {"film": UsadelRegion(**{"tc0": TC0, **region})}, eta=1e-3,
                         delta_field=True, jit_options=COMPILE_FAST)


def ag_gap(T, inv_tau_sf, omega_max):
    """The uniform Abrikosov–Gor'kov gap from the same truncated gap equation (G2) the
    solver uses: F_n = 1/√(1 + u_n²), u(1 − ζ/√(1 + u²)) = ω_n/Δ, ζ = α/Δ, α = 3/(4τ_sf)."""
    w = ms.matsubara_frequencies(T, omega_max)
    alpha = 0.75 * inv_tau_sf
    c = ms.tail_coefficient(T, len(w))
    s_inv = 2 * math.pi * T * np.sum(1 / w)

    def anomalous(delta):
        zeta = alpha / delta
        out = []
        for x in w / delta:
            u = brentq(lambda u: u * (1 - zeta / math.sqrt(1 + u * u)) - x, x, x + zeta + 1,
                       xtol=1e-15, rtol=1e-15)
            out.append(1 / math.sqrt(1 + u * u))
        return np.array(out)

    def g(delta):
        return (2 * math.pi * T * np.sum(anomalous(delta)) - c * delta ** 3
                - delta * (s_inv - math.log(TC0 / T)))
    return brentq(g, 0.05, 2.0, xtol=1e-14, rtol=1e-14)


def test_bulk_references():
    """Δ(T → 0) = π e^{−γ_E} T_c0 = 1.7639 T_c0; the AG T_c falls with slope π/4 at small
    pair breaking (AG 1961) and vanishes at α = Δ(0)/2; the truncated linear AG equation
    tends to the digamma formula at first order in 1/ω_max."""
    assert ms.bcs_gap_zero_temperature(1.0) == pytest.approx(1.7638769, rel=1e-7)
    assert ms.bcs_gap(0.02, 1.0) == pytest.approx(ms.bcs_gap_zero_temperature(1.0), rel=1e-7)
    assert ms.bcs_gap(1.0, 1.0) == 0.0
    a = 1e-5
    assert (1 - ms.ag_critical_temperature(1.0, a / 0.75)) / a == pytest.approx(math.pi / 4,
                                                                             rel=1e-3)
    a_c = 0.5 * ms.bcs_gap_zero_temperature(1.0)
    assert ms.ag_critical_temperature(1.0, 1.001 * a_c / 0.75) == 0.0
    assert 0 < ms.ag_critical_temperature(1.0, 0.99 * a_c / 0.75) < 0.2
    exact = ms.ag_critical_temperature(1.0, 0.3)
    errors = [abs(ms.ag_linear_critical_temperature(1.0, 0.3, w) - exact) for w in (50, 100, 200)]
    assert errors[0] / errors[1] == pytest.approx(2, rel=0.15)
    assert errors[1] / errors[2] == pytest.approx(2, rel=0.15)


def test_self_consistent_gap_of_a_pair_breaking_superconductor():
    """With spin-flip scattering (α = 0.2 T_c0) the iteration, started from the BCS gap,
    converges to the Abrikosov–Gor'kov gap of the same truncated equation to 1e-9."""
    inv_tau = 0.2 / 0.75
    problem = wire(tau_sf=1 / inv_tau)
    T = 0.3
    sol = ms.self_consistent_gap(problem, T, tol=1e-11)
    ref = ag_gap(T, inv_tau, 40.0 * TC0)
    assert sol.max_delta == pytest.approx(ref, rel=1e-9)
    assert sol.max_delta < 0.95 * ms.bcs_gap(T, TC0)           # pair breaking lowers it
    assert sol.iterations >= 2 and sol.residuals[-1] <= 1e-11
    assert problem._delta.x.array[0] == pytest.approx(ref, rel=1e-9)


def test_critical_temperature_equals_abrikosov_gorkov():
    """T_c from the linearized gap map equals the AG T_c of the same truncation (1e-6) and
    is within the truncation error of the digamma formula; the clean wire has gain 1 at
    T_c0."""
    assert ms.linear_gain(wire(), TC0) == pytest.approx(1.0, abs=1e-10)
    inv_tau = 0.3
    problem = wire(tau_sf=1 / inv_tau)
    tc = ms.critical_temperature(problem, omega_max=60.0, tol=1e-8)
    assert tc == pytest.approx(ms.ag_linear_critical_temperature(TC0, inv_tau, 60.0), rel=1e-6)
    assert tc == pytest.approx(ms.ag_critical_temperature(TC0, inv_tau), rel=2e-2)
    assert tc < 0.9 * TC0


@pytest.mark.parametrize("phi", [0.5, 1.5, 2.5])
def test_short_junction_supercurrent_is_kulik_omelyanchuk(phi):
    """A diffusive N wire between S reservoirs Δe^{∓iφ/2}, E_Th = 10⁴Δ: eIR_N equals
    Kulik & Omelyanchuk's 2πT Σ 2Δcos(φ/2)/δ arctan(Δ sin(φ/2)/δ), δ = √(ω² + Δ²cos²(φ/2))
    (Sov. J. Low Temp. Phys. 1, 102 (1975); Golubov et al., RMP 76, 411 (2004)), summed over
    the same frequencies, to 2.5e-4 (measured 6e-5 to 1e-4); at E_Th = 10³Δ the deviation is
    several times larger (the short-junction limit is approached)."""
    T, omega_max = 0.2, 20.0
    w = ms.matsubara_frequencies(T, omega_max)
    d = np.sqrt(w ** 2 + math.cos(phi / 2) ** 2)
    ko = 2 * math.pi * T * np.sum(2 * math.cos(phi / 2) / d * np.arctan(math.sin(phi / 2) / d))
    dev = layered_box([1.0], [80], length_unit=1.0, comm=MPI.COMM_SELF)
    dev_err = []
    for D in (1e4, 1e3):
        problem = UsadelProblem(dev, {"film": UsadelRegion(D=D)},
                                {"xmin": Reservoir(1.0, -phi / 2), "xmax": Reservoir(1.0, phi / 2)},
                                eta=1e-3, degree=2, jit_options=COMPILE_FAST)
        # eIR_N/Δ = ℓ e j/σ_N, ℓ = 1 mesh unit
        dev_err.append(ms.supercurrent(problem, T, "xmin", (1, 0, 0), omega_max=omega_max) / ko - 1)
    assert abs(dev_err[0]) < 2.5e-4
    assert abs(dev_err[1]) > 4 * abs(dev_err[0])
    assert dev_err[0] < 0 and dev_err[1] < 0


@pytest.mark.mpi
def test_proximity_gap_on_two_ranks_equals_serial():
    """A 1D S/N bilayer: the self-consistent Δ is suppressed toward the N side (and 0 in N);
    2 ranks give the serial Δ(x) to 1e-9."""
    points = np.array([[0.0, 0, 0], [1.0, 0, 0], [1.99, 0, 0], [2.5, 0, 0]])
    out = []
    for comm in (MPI.COMM_SELF, MPI.COMM_WORLD):
        dev = layered_box([1.0], [1], [("S", 2.0, 10), ("N", 1.0, 5)], axes="x",
                          length_unit=1.0, comm=comm)
        problem = UsadelProblem(dev, {"S": UsadelRegion(tc0=TC0), "N": UsadelRegion()},
                                eta=1e-3, delta_field=True, jit_options=COMPILE_FAST)
        sol = ms.self_consistent_gap(problem, 0.5, tol=1e-10)
        out.append((sol.max_delta, ms.pair_potential_at(problem, points)))
    assert out[1][0] == pytest.approx(out[0][0], rel=1e-9)
    assert np.allclose(out[1][1], out[0][1], rtol=1e-9, atol=1e-12)
    d = np.abs(out[0][1])
    assert d[0] > d[1] > d[2] > 0.2 * d[0] and d[3] == 0.0
    assert d[0] < ms.bcs_gap(0.5, TC0)


def test_bad_input():
    with pytest.raises(ValueError, match="tc0"):
        UsadelRegion(tc0=-1.0)
    dev = layered_box([1.0], [2], length_unit=1.0, comm=MPI.COMM_SELF)
    normal = UsadelProblem(dev, {"film": UsadelRegion()}, eta=1e-3, jit_options=COMPILE_FAST)
    with pytest.raises(ValueError, match="no region has a critical temperature"):
        ms.GapEquation(normal, 0.5)
    fixed = UsadelProblem(dev, {"film": UsadelRegion(delta=1.0, tc0=1.0)}, eta=1e-3,
                          jit_options=COMPILE_FAST)
    with pytest.raises(ValueError, match="delta_field=True"):
        ms.GapEquation(fixed, 0.5)
    with pytest.raises(ValueError, match="temperature"):
        ms.GapEquation(wire(), 0.0)
    with pytest.raises(ValueError, match="omega_max"):
        ms.matsubara_frequencies(1e-6, 1e3)
    with pytest.raises(ValueError, match="eta"):
        normal.set_broadening(-1.0)
    pair = layered_box([1.0], [1], [("S1", 1.0, 2), ("S2", 1.0, 2)], axes="x",
                       length_unit=1.0, comm=MPI.COMM_SELF)
    touching = UsadelProblem(pair, {"S1": UsadelRegion(tc0=1.0), "S2": UsadelRegion(tc0=0.5)},
                             eta=1e-3, delta_field=True, jit_options=COMPILE_FAST)
    with pytest.raises(ValueError, match="'S1' and 'S2' have different tc0 and share nodes"):
        ms.GapEquation(touching, 0.3)
