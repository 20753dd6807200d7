"""A 1D S|N bilayer with a Kupriyanov–Lukichev interface (R_B/R_N = r), vacuum outer ends:
the FEM (two domains, tunnel coupling) against an independent θ-parametrization solution.

Units: energies in Δ, lengths in ξ = √(ħD/Δ) (D̂ = 1 in both layers).  θ-equations (singlet,
zero phase, convention of riccati.singlet_riccati): S: θ'' + 2iz sin θ + 2Δ cos θ = 0,
N: θ'' + 2iz sin θ = 0; KL in θ form (derived from the Riccati form): D̂θ_S'(0) =
D̂θ_N'(0) = κ sin(θ_N − θ_S), κ = D̂/(r·length)."""

import numpy as np
import pytest
from mpi4py import MPI
from scipy.integrate import solve_bvp, solve_ivp
from scipy.optimize import root

from kinetics.geometry import layered_box
from kinetics.usadel import observables as obs
from kinetics.usadel import riccati
from kinetics.usadel.domains import TunnelInterface
from kinetics.usadel.problem import COMPILE_FAST, Reservoir, UsadelProblem, UsadelRegion

D_S, D_N, ETA, KAPPA = 1.0, 1.0, 1e-3, 2.0        # r = 0.5 over a length 1: κ = 2
ENERGIES = np.array([0.2, 0.6, 1.1, 2.0])


def rhs_factory(z, delta):
    def rhs(x, y):
        th = y[0] + 1j * y[1]
        d2 = -2j * z * np.sin(th) - 2 * delta * np.cos(th)
        return np.array([y[2], y[3], d2.real, d2.imag])
    return rhs


def reference(eps):
    """(θ_S(x), θ_N(x)) on [−d_S, 0] and [0, d_N]: solve_bvp (tol 1e-6) as a start, then
    shooting from both vacuum ends (θ' = 0) with DOP853 (rtol 1e-13) and a root solve on the
    two end values so that the KL conditions hold to 1e-11."""
    z = eps + 1j * ETA
    fs, fn = rhs_factory(z, 1.0), rhs_factory(z, 0.0)

    def both(s, y):          # s ∈ [0, 1]: x_S = s − 1, x_N = s (both layers of length 1)
        return np.vstack([fs(s, y[:4]), fn(s, y[4:])])

    def kl(yS0, yN0):
        tS, tN = yS0[0] + 1j * yS0[1], yN0[0] + 1j * yN0[1]
        flux = KAPPA * np.sin(tN - tS)
        dS, dN = yS0[2] + 1j * yS0[3], yN0[2] + 1j * yN0[3]
        return [D_S * dS - flux, D_N * dN - flux]

    def bc(ya, yb):          # ya: s = 0 (x_S = −1 vacuum, x_N = 0 interface); yb: s = 1
        yS_vac, yN_int, yS_int, yN_vac = ya[:4], ya[4:], yb[:4], yb[4:]
        k1, k2 = kl(yS_int, yN_int)
        return np.array([yS_vac[2], yS_vac[3], yN_vac[2], yN_vac[3],
                         k1.real, k1.imag, k2.real, k2.imag])
    s = np.linspace(0, 1, 101)
    y0 = np.zeros((8, s.size))
    y0[0] = np.pi / 2
    y0[4] = 1.0
    start = solve_bvp(both, bc, s, y0, tol=1e-6, max_nodes=100000)
    assert start.status == 0, start.message

    def shoot(m, dense=False):
        kw = dict(method="DOP853", rtol=1e-13, atol=1e-14, dense_output=dense)
        rS = solve_ivp(fs, (-1.0, 0.0), [m[0], m[1], 0, 0], **kw)
        rN = solve_ivp(fn, (1.0, 0.0), [m[2], m[3], 0, 0], **kw)
        return rS, rN

    def miss(m):
        rS, rN = shoot(m)
        k1, k2 = kl(rS.y[:, -1], rN.y[:, -1])
        return [k1.real, k1.imag, k2.real, k2.imag]
    m0 = [*start.sol(0.0)[:2], *start.sol(1.0)[4:6]]
    m = root(miss, m0, tol=1e-14).x
    assert np.max(np.abs(miss(m))) < 1e-11
    rS, rN = shoot(m, dense=True)
    return (lambda x: rS.sol(x)[0] + 1j * rS.sol(x)[1],
            lambda x: rN.sol(x)[0] + 1j * rN.sol(x)[1])


@pytest.mark.parametrize("cells", [32])
def test_sn_bilayer_with_kupriyanov_lukichev_interface(cells):
    """Measured (P2, 32 cells per layer): nodal DOS errors ≤ 1.1e-8 on both sides; the DOS
    jumps across the barrier."""
    dev = layered_box([2.0], [2 * cells], layers=[("s", 1.0, cells), ("n", 1.0, cells)],
                      length_unit=1.0)
    p = UsadelProblem(dev, {"s": UsadelRegion(delta=1.0, D=D_S), "n": UsadelRegion(D=D_N)},
                      {}, {"s|n": TunnelInterface(r=0.5, length=1.0, side="s")}, eta=ETA,
                      degree=2, jit_options=COMPILE_FAST)
    assert p.domains == [["s"], ["n"]]
    refs = [reference(e) for e in ENERGIES]
    out = []

    def record(prob, eps):
        x, g, gt = prob.nodal_riccati()
        out.append((x[:, 0].copy(), riccati.dos(g, gt)))
    p.sweep(ENERGIES, callback=record)
    for (x, dos), (thS, thN) in zip(out, refs):
        # interface nodes appear once per domain: the first len/2 belong to "s"
        k = len(x) // 2
        ref = np.concatenate([np.real(np.cos(thS(x[:k] - 1.0))), np.real(np.cos(thN(x[k:] - 1.0)))])
        assert np.abs(dos - ref).max() < 1e-6
    # a real barrier: N-side and S-side DOS differ at the interface at ε = 0.2
    x0, dos0 = out[0]
    at = np.flatnonzero(np.isclose(x0, 1.0))
    assert len(at) == 2 and abs(dos0[at[0]] - dos0[at[1]]) > 0.05


def test_tunnel_interface_inputs():
    with pytest.raises(ValueError):
        TunnelInterface(r=0.0)
    with pytest.raises(ValueError):
        TunnelInterface(r=1.0, length=-1.0)
    dev = layered_box([2.0], [4], layers=[("s", 1.0, 2), ("n", 1.0, 2)], length_unit=1.0)
    with pytest.raises(ValueError, match="TunnelInterface"):
        UsadelProblem(dev, {"s": UsadelRegion(delta=1.0), "n": UsadelRegion()}, {},
                      {"s|n": 0.5}, eta=1e-3)
    with pytest.raises(KeyError):
        UsadelProblem(dev, {"s": UsadelRegion(delta=1.0), "n": UsadelRegion()}, {},
                      {"s|x": TunnelInterface(0.5)}, eta=1e-3)


def test_domains_have_their_own_spaces_and_u_mirrors_them():
    """Per-domain submesh spaces: the unknowns of each domain's nodes once (P2, 8 cells per
    layer: 17 nodes per domain) instead of 16·K components on every node; ``u`` is their
    exact mirror (block k zero outside domain k) and may be saved and restored."""
    dev = layered_box([2.0], [16], layers=[("s", 1.0, 8), ("n", 1.0, 8)], length_unit=1.0)
    p = UsadelProblem(dev, {"s": UsadelRegion(delta=1.0), "n": UsadelRegion()}, {},
                      {"s|n": TunnelInterface(r=0.5, side="s")}, eta=1e-2, degree=2,
                      jit_options=COMPILE_FAST)
    assert p.unknowns == 16 * (17 + 17)
    assert p.space.dofmap.index_map.size_global * p.space.dofmap.index_map_bs == 32 * 33
    p.sweep(np.array([0.3]))
    x = p.space.tabulate_dof_coordinates()[:, 0]
    arr = p.u.x.array.reshape(-1, 32)
    assert np.all(arr[x > 1.0 + 1e-12, :16] == 0) and np.all(arr[x < 1.0 - 1e-12, 16:] == 0)
    assert np.abs(arr[x < 1.0 - 1e-12, :16]).max() > 0.1      # S: a gapped solution
    saved = p.u.x.array.copy()
    before = obs.dos_at(p, np.array([[0.5, 0, 0], [1.5, 0, 0]]))
    p.sweep(np.array([0.8]), initial=None)
    assert np.abs(p.u.x.array - saved).max() > 1e-3
    p.u.x.array[:] = saved                                      # restore, continue from it
    p.energy = 0.3
    assert p.solve(0.3) <= 1
    assert np.abs(p.u.x.array - saved).max() < 1e-9
    assert np.allclose(obs.dos_at(p, np.array([[0.5, 0, 0], [1.5, 0, 0]])), before,
                       rtol=0, atol=1e-8)


def dos_of_barrier(dim, comm):
    """S|N (KL barrier, r = 0.5) on a layered box, a superconducting reservoir under S and
    vacuum elsewhere: 1D, or 2D quadrilaterals (2 cells across, layers along y).  DOS at
    points on both sides of the barrier (in layer coordinates) at two energies."""
    layers = [("s", 1.0, 16), ("n", 1.0, 16)]
    if dim == 1:
        dev = layered_box([2.0], [32], layers=layers, length_unit=1.0, comm=comm)
    else:
        dev = layered_box([0.5, 2.0], [2, 32], layers=layers, length_unit=1.0,
                          cell_type="quadrilateral", comm=comm)
    p = UsadelProblem(dev, {"s": UsadelRegion(delta=1.0), "n": UsadelRegion(D=0.5)},
                      {"xmin" if dim == 1 else "ymin": Reservoir(1.0)},
                      {"s|n": TunnelInterface(r=0.5, side="s")}, eta=1e-2, degree=2,
                      jit_options=COMPILE_FAST)
    ys = (0.3, 0.97, 0.9999, 1.0001, 1.03, 1.5, 1.98)
    pts = np.array([[y, 0, 0] if dim == 1 else [0.3, y, 0] for y in ys])
    out = []
    p.sweep(np.array([0.3, 1.1]), callback=lambda q, e: out.append(obs.dos_at(q, pts)))
    return np.array(out)


@pytest.mark.mpi
def test_two_dimensional_barrier_equals_one_dimensional():
    """A 2D barrier (facets whose two cells dolfinx orders either way, on 1 or 2 ranks,
    the partition cutting the layers) gives the 1D answer: the solution does not depend
    on x, and Q2 elements integrate that exactly.  Without the side ordering some facets
    would couple the wrong cells."""
    one = dos_of_barrier(1, MPI.COMM_SELF)
    two = dos_of_barrier(2, MPI.COMM_WORLD)
    assert np.abs(two - one).max() < 1e-8, np.abs(two - one).max()
    assert np.abs(one[0, 2] - one[0, 3]) > 0.05                 # a real jump at ε = 0.3


def test_self_consistent_gap_next_to_a_barrier():
    """S (T_c0 = 1) | KL barrier (r = 2) | N at T = 0.3, P1: the self-consistent Δ(x) equals
    the one the former single-mesh split (16·K components on every node) gave, measured
    before the port (max Δ 1.612358959822035; the two agree to 4e-16): Δ is suppressed
    towards the barrier, below the bulk Δ(T) = 1.7588, and zero in N."""
    from kinetics.usadel import matsubara as ms
    dev = layered_box([2.0], [16], layers=[("s1", 1.0, 8), ("n", 1.0, 8)], length_unit=1.0)
    p = UsadelProblem(dev, {"s1": UsadelRegion(tc0=1.0), "n": UsadelRegion()}, {},
                      {"s1|n": TunnelInterface(r=2.0, side="s1")}, eta=1e-3, degree=1,
                      delta_field=True, jit_options=COMPILE_FAST)
    sol = ms.self_consistent_gap(p, 0.3)
    d = ms.pair_potential_at(p, np.array([[x, 0, 0] for x in (0.05, 0.9, 0.999, 1.001, 1.5)]))
    assert sol.max_delta == pytest.approx(1.612358959822035, rel=1e-9)
    assert d.real[:3] == pytest.approx([1.61124528, 1.44039246, 1.39292434], rel=1e-7)
    assert np.all(d.real[3:] == 0) and np.all(d.imag == 0)
    assert sol.max_delta < ms.bcs_gap(0.3, 1.0, 40 * (1 + 1e-12)) - 0.1
