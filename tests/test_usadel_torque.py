"""The equilibrium spin–orbit torque of seed 003 (Huang, Tokatly & Bergeret, PRB 98, 144515
(2018), Sec. V) on a vortex in a Zeeman field: kinetics.usadel.torque.

Setup: a square [−3ξ, 3ξ]² with crossed diagonals (mirror symmetric under y → −y, a node at
the vortex axis, where Δ = 0), P1, Δ = Δ0 tanh(r/ξ)e^{inφ} prescribed, h = 0.3Δ0 in-plane,
D̂ = 1, T = 0.2Δ0 and ω_max = 4Δ0 (three Matsubara frequencies).  Energies in Δ0, lengths in
ξ = √(ħD/Δ0)."""

import functools
import math

import numpy as np
import pytest
from mpi4py import MPI

from kinetics.device import Device
from kinetics.usadel import bulk, riccati
from kinetics.usadel import torque as tq
from kinetics.usadel.extrinsic import SPIN, advanced, gradient_from_riccati, matrix_current
from kinetics.usadel.extrinsic import torque as torque_matrix
from kinetics.usadel.matsubara import matsubara_solves, supercurrent_density
from kinetics.usadel.problem import COMPILE_FAST, UsadelProblem, UsadelRegion

T, OMEGA_MAX, H = 0.2, 4.0, 0.3
RHO3 = riccati.RHO3
TAU1 = np.kron(np.array([[0, 1], [1, 0]]), np.eye(2))


def square(comm, half=3.0, cells=8):
    """A Device on [−half, half]² (crossed triangles), region "s", boundary "edge"."""
    from dolfinx import mesh as dmesh
    msh = dmesh.create_rectangle(comm, [[-half, -half], [half, half]], [cells, cells],
                                 dmesh.CellType.triangle, diagonal=dmesh.DiagonalType.crossed)
    imap = msh.topology.index_map(2)
    nc = imap.size_local + imap.num_ghosts
    ct = dmesh.meshtags(msh, 2, np.arange(nc, dtype=np.int32), np.ones(nc, dtype=np.int32))
    msh.topology.create_connectivity(1, 2)
    bf = dmesh.exterior_facet_indices(msh.topology).astype(np.int32)
    ft = dmesh.meshtags(msh, 1, bf, np.full(len(bf), 2, dtype=np.int32))
    return Device(msh, ct, ft, {"s": 1}, {"edge": 2}, length_unit=1.0)


def vortex(n):
    def delta(x):
        return np.tanh(np.hypot(x[0], x[1])) * np.exp(1j * n * np.arctan2(x[1], x[0]))
    return delta


def problem(comm, n, h=(H, 0.0, 0.0), theta=0.05, kappa=0.02):
    reg = UsadelRegion(delta=vortex(n), h=h, theta=theta, kappa=kappa)
    return UsadelProblem(square(comm), {"s": reg}, eta=0.1, degree=1,
                         jit_options=COMPILE_FAST)


@functools.lru_cache(maxsize=None)
def solved(n, h=(H, 0.0, 0.0)):
    """(problem, EquilibriumTorque) on COMM_SELF for θ = 0.05, κ = 0.02 to first order (the
    paper's Sec. V): the problem is built and solved without θ, κ, which are then set on its
    region for the torque and currents only."""
    p = problem(MPI.COMM_SELF, n, h, theta=0.0, kappa=0.0)
    reg = p.regions["s"]
    reg.theta, reg.kappa = 0.05, 0.02
    return p, tq.equilibrium_torque(p, T, omega_max=OMEGA_MAX)


def moments(res):
    """Integrals of the torque with weights 1, x, y, x² over the mesh (global), (4, 3)."""
    x = res.x.reshape(-1, res.x.shape[-1])
    w = res.weights.reshape(-1)
    tau = res.values["tau"].reshape(-1, 3)
    local = np.array([np.einsum("q,qa->a", w * f, tau)
                      for f in (np.ones(len(w)), x[:, 0], x[:, 1], x[:, 0] ** 2)])
    return res.fields["tau"].function_space.mesh.comm.allreduce(local, op=MPI.SUM)


# ------------------------------------------------------------------------- numpy checks
def test_matsubara_identity_on_bulk_zeeman_bcs():
    """∫dε tanh(ε/2T) Tr[O(F^R − F^A)] = −8πT Σ_{n≥0} Im Tr[O F^R(iω_n)] for F = ǧ − ρ₃ of a
    Zeeman-split BCS state (h oblique, phase 0.4), O = Š_aρ₃ (spin density) and O = Š_a.
    The real-axis integral is taken on the line ε + iπT/2 (no pole of tanh crossed, the
    integrand smooth): 2∫Re[tanh(z/2T) Tr O F^R(z)] dε."""
    temp, delta, h = 0.15, 1.0, np.array([0.2, -0.1, 0.25])
    ops = np.concatenate([SPIN @ RHO3, SPIN])

    def traces(eps, eta):
        X = riccati.energy_matrix(eps, eta, delta * np.exp(0.4j), h)
        F = bulk.sign_gf(X) - RHO3
        return np.einsum("oij,...ji->...o", ops, F)
    t = np.linspace(-13.0, 13.0, 60001)
    eps = 0.05 * np.sinh(t)
    z = eps + 0.5j * math.pi * temp
    f = np.tanh(z / (2 * temp))[:, None] * traces(eps, 0.5 * math.pi * temp)
    lhs = 2 * np.trapezoid(f.real * (0.05 * np.cosh(t))[:, None], t, axis=0)
    omegas = bulk.matsubara_frequencies(temp, 4000.0)
    rhs = -8 * math.pi * temp * traces(np.zeros_like(omegas), omegas).imag.sum(axis=0)
    assert np.abs(rhs[:3]).max() > 1e-2                 # the spin density is nonzero
    assert np.abs(lhs - rhs).max() < 1e-6 * np.abs(rhs).max()
    assert np.abs(rhs[3:]).max() < 1e-12                # Tr[Š_a ǧ] has no equilibrium part


def _random_state(rng, shape=(5,)):
    gam = 0.4 * (rng.normal(size=shape + (2, 2)) + 1j * rng.normal(size=shape + (2, 2)))
    gam_t = 0.4 * (rng.normal(size=shape + (2, 2)) + 1j * rng.normal(size=shape + (2, 2)))
    dg = rng.normal(size=shape + (3, 2, 2)) + 1j * rng.normal(size=shape + (3, 2, 2))
    dgt = rng.normal(size=shape + (3, 2, 2)) + 1j * rng.normal(size=shape + (3, 2, 2))
    return gradient_from_riccati(gam, gam_t, dg, dgt)


def test_advanced_relation_of_torque_and_current():
    """F^A = −ρ₃(F^R)†ρ₃ for F = Ť and J̌ (the premise of the Matsubara sum), for generic
    ǧ, ∂ǧ (ǧ² = 1) and both θ and κ."""
    g, dg = _random_state(np.random.default_rng(3))
    ga, dga = advanced(g), advanced(dg)
    for th, ka in ((0.3, 0.0), (0.0, 0.2), (0.1, -0.4)):
        T_r, T_a = torque_matrix(g, dg, 1.3, th, ka), torque_matrix(ga, dga, 1.3, th, ka)
        assert np.abs(T_r).max() > 1e-2
        assert np.abs(T_a - advanced(T_r)).max() < 1e-12 * np.abs(T_r).max()
        J_r, J_a = matrix_current(g, dg, 1.3, th, ka), matrix_current(ga, dga, 1.3, th, ka)
        assert np.abs(J_a - advanced(J_r)).max() < 1e-12 * np.abs(J_r).max()


# ------------------------------------------------------------------------- FE vortex
def test_torque_is_along_z_cross_h_and_odd_in_vorticity():
    _, plus = solved(1)
    _, minus = solved(-1)
    for res in (plus, minus):
        tau = res.values["tau"]
        norm = np.abs(tau).max()
        assert norm > 1e-3
        assert np.abs(tau[..., [0, 2]]).max() < 1e-8 * norm            # ∥ ẑ × x̂ = ŷ
        assert np.isclose(res.integrals["tau"][1], np.einsum(
            "cq,cq->", res.weights, tau[..., 1]), rtol=1e-12)
    # pointwise: Δ_{−n} = Δ_n* (time reversal, then a spin rotation by π about z) on the same
    # mesh, so τ_{−n} = −τ_n at every point
    scale = np.abs(plus.values["tau"]).max()
    assert np.abs(plus.values["tau"] + minus.values["tau"]).max() < 1e-10 * scale
    mp, mm = moments(plus), moments(minus)
    # n → −n is the mirror y → −y combined with a spin rotation by π about z (h → −h)
    parity = np.array([1.0, 1.0, -1.0, 1.0])
    assert np.abs(mp[:, 1] + parity * mm[:, 1]).max() < 1e-10 * np.abs(mp[:, 1]).max()
    assert mp[0, 1] > 0                       # F(r) > 0 on this mesh: τ·(ẑ×h) ∝ +n


def test_torque_rotates_with_h():
    _, res = solved(1, (H * math.cos(0.7), H * math.sin(0.7), 0.0))
    tau = res.integrals["tau"]
    zxh = np.array([-math.sin(0.7), math.cos(0.7), 0.0])
    assert np.linalg.norm(tau - (tau @ zxh) * zxh) < 1e-8 * abs(tau @ zxh)
    assert tau @ zxh > 0


def test_torque_vanishes_without_vorticity_field_or_coupling():
    p, ref = solved(1)
    scale = np.abs(ref.values["tau"]).max()
    for res in (solved(0)[1], solved(1, (0.0, 0.0, 0.0))[1]):
        for k in ("tau", "tau3"):
            assert np.abs(res.values[k]).max() < 1e-12 * scale
    reg = p.regions["s"]
    try:
        reg.theta, reg.kappa = 0.0, 0.0
        q = tq.quadrature_values(p)
        tr = tq.spin_traces(q.torque, q.current)
        assert np.abs(tr["tau"]).max() == 0 and np.abs(tr["tau3"]).max() == 0
    finally:
        reg.theta, reg.kappa = 0.05, 0.02


def test_theta_and_kappa_parts_and_linearity():
    """θ gives Tr[Š_aŤ] (imaginary at iω: the equilibrium τ), κ gives Tr[Š_aρ₃Ť] (real at
    iω: zero in equilibrium, by the particle–hole symmetry ǧ(iω) = −τ₁ǧ*τ₁); both exactly
    linear; the retarded κ trace is ∥ ẑ×h and odd in n."""
    p, ref = solved(1)
    reg = p.regions["s"]
    g_like = tq.quadrature_values(p)          # solution at the last ω_n
    out = {}
    try:
        for th, ka in ((0.05, 0.0), (0.0, 0.02), (0.1, 0.0), (0.0, 0.04), (0.05, 0.02)):
            reg.theta, reg.kappa = th, ka
            q = tq.quadrature_values(p)
            out[th, ka] = tq.spin_traces(q.torque, q.current)
    finally:
        reg.theta, reg.kappa = 0.05, 0.02
    th_part, ka_part, both = out[0.05, 0.0], out[0.0, 0.02], out[0.05, 0.02]
    s_th = np.abs(th_part["tau"]).max()
    s_ka = np.abs(ka_part["tau3"]).max()
    assert s_th > 1e-4 and s_ka > 1e-4
    assert np.abs(th_part["tau3"]).max() < 1e-12 * s_th
    assert np.abs(ka_part["tau"]).max() < 1e-12 * s_ka
    assert np.abs(th_part["tau"].real).max() < 1e-12 * s_th        # imaginary
    assert np.abs(ka_part["tau3"].imag).max() < 1e-12 * s_ka       # real
    assert np.abs(ka_part["tau3"][..., [0, 2]]).max() < 1e-8 * s_ka
    for k in ("tau", "tau3"):
        assert np.abs(out[0.1, 0.0][k] - 2 * th_part[k]).max() < 1e-13 * s_th
        assert np.abs(out[0.0, 0.04][k] - 2 * ka_part[k]).max() < 1e-13 * s_ka
        assert np.abs(both[k] - th_part[k] - ka_part[k]).max() < 1e-13 * max(s_th, s_ka)
    # particle–hole symmetry of the Matsubara solution, on ǧ itself via Ť = τ₁Ť*τ₁
    Tm = g_like.torque
    assert np.abs(Tm - TAU1 @ Tm.conj() @ TAU1).max() < 1e-12 * np.abs(Tm).max()
    # equilibrium: τ₃ ≡ 0, τ ∝ θ exactly (re-solved: the solution does not depend on θ, κ)
    assert np.abs(ref.values["tau3"]).max() < 1e-12 * np.abs(ref.values["tau"]).max()
    try:
        reg.theta, reg.kappa = 0.1, 0.0
        res2 = tq.equilibrium_torque(p, T, omega_max=OMEGA_MAX)
    finally:
        reg.theta, reg.kappa = 0.05, 0.02
    assert np.abs(res2.values["tau"] - 2 * ref.values["tau"]).max() < \
        1e-12 * np.abs(ref.values["tau"]).max()


def test_spectral_kappa_trace_is_odd_in_vorticity():
    """The κ part of the paper's Eq. 84 trace at one Matsubara frequency (where it is
    nonzero): Re Tr[Š_aρ₃Ť](n = −1) = −Re Tr[Š_aρ₃Ť](n = 1) at every point."""
    out = []
    for n in (1, -1):
        p, _ = solved(n)
        reg = p.regions["s"]
        try:
            reg.theta = 0.0
            for _ in matsubara_solves(p, [1.0]):
                q = tq.quadrature_values(p)
            out.append(tq.spin_traces(q.torque, q.current)["tau3"])
        finally:
            reg.theta = 0.05
    scale = np.abs(out[0]).max()
    assert scale > 1e-3
    assert np.abs(out[0] + out[1]).max() < 1e-10 * scale


def test_spin_current_vanishes_and_charge_current_is_the_supercurrent():
    """Equilibrium spin current Tr[Š_aJ̌] on the SOC-free solution: zero for a collinear
    Zeeman field (F_↑(−ω) = F_↓(ω): no spin supercurrent; the SOC parts reduce to Tr ∂ǧ and
    to the spin supercurrent); with θ in the solve it is not (next test).
    Tr[ρ₃J̌] = 4D̂ × the supercurrent density of
    kinetics.usadel.matsubara at each ω_n, circulating with the sign of n."""
    from dolfinx import fem
    p, res = solved(1)
    assert np.abs(res.values["spin_current"]).max() < 1e-12 * np.abs(res.values["tau"]).max()
    j = res.values["charge_current"]
    x = res.x
    circ = np.einsum("cq,cq->", res.weights, x[..., 0] * j[..., 1] - x[..., 1] * j[..., 0])
    assert circ > 1e-3
    _, minus = solved(-1)
    jm = minus.values["charge_current"]
    circ_m = np.einsum("cq,cq->", minus.weights, x[..., 0] * jm[..., 1] - x[..., 1] * jm[..., 0])
    assert abs(circ + circ_m) < 1e-10 * circ
    sampler = tq._Sampler(p, None)
    expr = fem.Expression(supercurrent_density(p), sampler.points)
    for _ in matsubara_solves(p, [0.9]):
        q = tq.quadrature_values(p)
        mine = tq.spin_traces(q.torque, q.current)["charge_current"].imag[..., :2]
        ref = expr.eval(p.mesh, q.cells).reshape(mine.shape)
        assert np.abs(mine - 4.0 * ref).max() < 1e-10 * np.abs(ref).max()


def test_soc_in_the_solve():
    """θ, κ in the Matsubara solve (kinetics.usadel.extrinsic_forms) change the torque at
    second order only: measured ∫τ_y = 0.158608 against 0.158621 to first order, the x, z
    components < 1e-4 of max τ pointwise (zero integrals).  But they give an equilibrium
    spin current at first order, through the θ-induced change of ǧ that the first-order
    evaluation leaves out: polarized along ẑ×h = ŷ, max 0.2 of max τ, doubling with (θ, κ)
    to 4 %, zero without h."""
    _, lin = solved(1)
    full = tq.equilibrium_torque(problem(MPI.COMM_SELF, 1), T, omega_max=OMEGA_MAX)
    tau, scale = full.values["tau"], np.abs(lin.values["tau"]).max()
    ty, ty_lin = full.integrals["tau"][1], lin.integrals["tau"][1]
    assert 1e-7 * abs(ty_lin) < abs(ty - ty_lin) < 1e-3 * abs(ty_lin)
    assert np.abs(tau[..., [0, 2]]).max() < 1e-3 * scale
    spin = full.values["spin_current"]                   # [..., a, k]
    s_y = np.abs(spin[..., 1, :]).max()
    assert s_y > 0.05 * scale
    assert np.abs(spin[..., [0, 2], :]).max() < 0.05 * s_y
    double = tq.equilibrium_torque(problem(MPI.COMM_SELF, 1, theta=0.1, kappa=0.04), T,
                                   omega_max=OMEGA_MAX).values["spin_current"]
    assert np.abs(double - 2 * spin).max() < 0.1 * s_y
    no_h = tq.equilibrium_torque(problem(MPI.COMM_SELF, 1, h=(0.0, 0.0, 0.0)), T,
                                 omega_max=OMEGA_MAX).values["spin_current"]
    assert np.abs(no_h).max() < 1e-12 * s_y


def test_torque_at_points_matches_quadrature_values():
    p, _ = solved(1)
    q = tq.quadrature_values(p, cells=np.array([5, 40, 77], dtype=np.int32))
    pts = np.zeros((3, 3))
    pts[:, :2] = q.x[:, 0]
    Tp, Jp = tq.torque_at(p, pts)
    assert np.abs(Tp - q.torque[:, 0]).max() < 1e-10 * np.abs(q.torque).max()
    assert np.abs(Jp - q.current[:, 0]).max() < 1e-10 * np.abs(q.current).max()
    f = solved(1)[1].fields["tau"]
    assert f.function_space.num_sub_spaces == 3 and np.isfinite(f.x.array).all()


def test_bad_inputs_raise():
    p, _ = solved(1)
    with pytest.raises(ValueError):
        tq.equilibrium_torque(p, -1.0)
    with pytest.raises(ValueError):
        tq.equilibrium_torque(p, T, omega_max=float("nan"))
    with pytest.raises(ValueError):
        tq.torque_at(p, np.array([[10.0, 0.0, 0.0]]))


@pytest.mark.mpi
def test_same_on_distributed_and_serial_mesh():
    def run(comm):
        p = problem(comm, 1)
        res = tq.equilibrium_torque(p, T, omega_max=OMEGA_MAX)
        pts = np.array([[0.3, 0.2, 0.0], [-1.1, 0.7, 0.0], [2.2, -2.5, 0.0]])
        Tp, _ = tq.torque_at(p, pts)
        return np.concatenate([moments(res).ravel(), res.integrals["charge_current"],
                               np.abs(Tp).ravel()])
    par, ser = run(MPI.COMM_WORLD), run(MPI.COMM_SELF)
    assert np.all(np.isfinite(par))
    assert np.abs(par - ser).max() < 1e-10 * np.abs(ser).max()
    assert np.abs(ser).max() > 1e-3
