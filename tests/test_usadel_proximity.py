"""A normal wire between two superconducting reservoirs (S–N–S, transparent interfaces):
the FEM Riccati solution against an independent θ-parametrization solver (scipy), the
convergence rate of P2, the minigap of Zhou et al. and its phase dependence.

Units: lengths in units of the wire length L (mesh [0, 1]), energies in units of the
Thouless energy E_Th = ħD/L², so D̂ = 1."""

import numpy as np
import pytest
from scipy.integrate import solve_bvp, solve_ivp
from scipy.optimize import root

from kinetics.geometry import layered_box
from kinetics.usadel import bulk, riccati
from kinetics.usadel import observables as obs
from kinetics.usadel.problem import COMPILE_FAST, Reservoir, UsadelProblem, UsadelRegion

DELTA, ETA = 20.0, 1e-3
ENERGIES = np.array([0.5, 1.5, 5.0, 9.0])


def theta_reservoir(eps, delta, eta):
    """θ_S of bulk BCS: cos θ = z/s, sin θ = iΔ/s (riccati.singlet_riccati convention)."""
    z = eps + 1j * eta
    return -1j * np.log((z - delta) / bulk.retarded_sqrt(z * z - delta ** 2))


def theta_reference(eps, delta, eta):
    """θ(x) of θ'' + 2i(ε + iη) sin θ = 0 on [0, 1], θ(0) = θ(1) = θ_S: solve_bvp (real
    split, tol 1e-6) for a start, then shooting from the symmetry point x = 1/2 (θ' = 0)
    with DOP853 at rtol 1e-13 and a root solve on θ(1/2) to |θ(0) − θ_S| < 1e-11."""
    z = eps + 1j * eta
    ths = theta_reservoir(eps, delta, eta)

    def rhs(x, y):
        d2 = -2j * z * np.sin(y[0] + 1j * y[1])
        return np.array([y[2], y[3], d2.real, d2.imag])

    def bc(ya, yb):
        return np.array([ya[0] - ths.real, ya[1] - ths.imag, yb[0] - ths.real, yb[1] - ths.imag])
    x = np.linspace(0, 1, 201)
    y0 = np.zeros((4, x.size))
    y0[0], y0[1] = ths.real, ths.imag
    start = solve_bvp(rhs, bc, x, y0, tol=1e-6, max_nodes=100000)
    assert start.status == 0, start.message

    def shoot(m, dense=False):
        return solve_ivp(rhs, (0.5, 0.0), [m[0], m[1], 0.0, 0.0], method="DOP853", rtol=1e-13,
                         atol=1e-14, dense_output=dense)

    def miss(m):
        y = shoot(m).y[:, -1]
        return [y[0] - ths.real, y[1] - ths.imag]
    m = root(miss, start.sol(0.5)[:2], tol=1e-14).x
    assert np.max(np.abs(miss(m))) < 1e-11
    half = shoot(m, dense=True).sol

    def theta(xs):
        y = half(np.minimum(xs, 1 - xs))
        return y[0] + 1j * y[1]
    return theta


@pytest.fixture(scope="module")
def references():
    return [theta_reference(e, DELTA, ETA) for e in ENERGIES]


def sns(cells, delta=DELTA, eta=ETA, phase=0.0, degree=2):
    dev = layered_box([1.0], [cells], length_unit=1.0)
    reservoirs = {"xmin": Reservoir(delta, -phase / 2), "xmax": Reservoir(delta, phase / 2)}
    return UsadelProblem(dev, {"film": UsadelRegion()}, reservoirs, eta=eta, degree=degree,
                         jit_options=COMPILE_FAST)


def errors(cells, refs):
    """(max nodal DOS error, L2 error of γ₁₂) per energy against the θ reference."""
    p = sns(cells)
    gx, gw = np.polynomial.legendre.leggauss(5)
    xe = np.linspace(0, 1, cells + 1)
    half = 0.5 * (xe[1:] - xe[:-1])[:, None]
    xq = (0.5 * (xe[1:] + xe[:-1])[:, None] + half * gx).ravel()
    wq = (half * gw).ravel()
    pts = np.column_stack([xq, 0 * xq, 0 * xq])
    out = []

    def record(prob, eps):
        x, g, gt = prob.nodal_riccati()
        assert riccati.normalization_error(riccati.gf_from_riccati(g, gt)).max() < 1e-12
        th = refs[len(out)]
        dos_err = np.abs(riccati.dos(g, gt) - np.real(np.cos(th(x[:, 0])))).max()
        gq, _ = prob.evaluate(pts)
        l2 = np.sqrt(np.sum(wq * np.abs(gq[:, 0, 1] + 1j * np.tan(th(xq) / 2)) ** 2))
        out.append((dos_err, l2))
    p.sweep(ENERGIES, callback=record)
    return np.array(out)


def test_dos_matches_theta_reference_and_p2_rate(references):
    """Measured (P2): nodal DOS errors ≤ 8.7e-7 on 64 cells (1e-10 at ε = 0.5); L2 errors of
    γ₁₂ fall by 8 per halving (rates 2.97–3.00)."""
    e16, e32, e64 = (errors(n, references) for n in (16, 32, 64))
    assert e64[:, 0].max() < 1e-5
    rates = np.log2(e32[:, 1] / e64[:, 1])
    assert np.all(rates > 2.8), rates
    assert np.all(np.log2(e16[:, 1] / e32[:, 1]) > 2.7)


def test_minigap_long_sns_junction():
    """E_g ≈ 3.122 E_Th for Δ ≫ E_Th, zero phase, transparent interfaces (Zhou, Charlat,
    Spivak & Pannetier, J. Low Temp. Phys. 110, 841 (1998)).  Measured with Δ = 1000 E_Th:
    3.1138 (3.1209 at Δ = 10⁴, 3.0452 at Δ = 100: the 1/Δ approach to 3.122); the gap does
    not depend on η (1e-5, 1e-6) or the mesh (32, 64, 128 cells) to 1e-5."""
    p = sns(32, delta=1000.0, eta=1e-5)
    grid = np.concatenate([np.linspace(0.0, 2.5, 6), np.linspace(2.6, 3.6, 11)])
    eg = obs.minigap(p, grid, threshold=0.02, tol=1e-4)
    assert abs(eg - 3.122) < 0.01 * 3.122, eg
    # the threshold picks the onset (DOS ∝ √(ε − E_g) above it): a threshold 10× higher
    # moves it up by 0.29 % (measured)
    p2 = sns(32, delta=1000.0, eta=1e-5)
    eg2 = obs.minigap(p2, grid, threshold=0.2, tol=1e-4)
    assert eg < eg2 < 1.006 * eg


def test_minigap_closes_at_phase_pi():
    grid = np.linspace(0.0, 3.6, 19)
    gaps = []
    for phase in (0.0, np.pi / 2, 0.9 * np.pi):
        gaps.append(obs.minigap(sns(32, 1000.0, 1e-5, phase), grid, threshold=0.02, tol=1e-3))
    assert gaps[0] > gaps[1] > gaps[2] > 0 and gaps[2] < 0.25 * gaps[0], gaps
    p = sns(32, 1000.0, 1e-5, np.pi)
    p.sweep([1e-3])
    # at φ = π the pair amplitude vanishes at the centre: normal DOS there, no gap
    assert abs(obs.dos_at(p, [[0.5, 0.0, 0.0]])[0] - 1.0) < 1e-6
    fs, d = obs.pairs_at(p, [[0.5, 0.0, 0.0], [0.1, 0.0, 0.0]])
    assert abs(fs[0]) < 1e-6 and abs(fs[1]) > 0.1 and np.abs(d).max() < 1e-10
    with pytest.raises(ValueError, match="inside the gap"):
        obs.minigap(p, grid, threshold=0.02)


def test_minigap_continuation_between_calls_and_options():
    """``start`` carries the solution at the first energy from one call to the next (the
    demos' scan over the phase) without changing the gap; ``measure="abs"`` and the halving
    options give the same gap here (no negative DOS, no fold rejection); a bad measure is
    an error."""
    grid = np.linspace(0.0, 3.6, 10)
    ref = obs.minigap(sns(32, 1000.0, 1e-5, np.pi / 2), grid, threshold=0.02, tol=1e-3)
    p = sns(32, 1000.0, 1e-5, 0.0)
    start = []
    obs.minigap(p, grid, threshold=0.02, tol=1e-3, start=start)
    assert len(start) == 1 and start[0].shape == p.u.x.array.shape
    p.reservoirs["xmin"].phase, p.reservoirs["xmax"].phase = -np.pi / 4, np.pi / 4
    eg = obs.minigap(p, grid, threshold=0.02, tol=1e-3, start=start, measure="abs",
                     max_halvings=2, bisect_halvings=1, unphysical_above=True)
    assert eg == pytest.approx(ref, abs=1e-3)
    with pytest.raises(ValueError, match="measure"):
        obs.minigap(p, grid, measure="min")
