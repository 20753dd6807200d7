"""SU(2) gauge fields in the Usadel solver (kinetics.usadel.forms, UsadelRegion(gauge=)):

- the covariant Riccati equations used by the weak form equal the 4×4 matrix equation
  D∇̃·(ǧ∇̃ǧ) + i[X̌, ǧ] with ∇̃ = ∇ − i[Ǎ, ·], Ǎ = diag(Â, −Â*) (finite differences);
- Â = A·σ/2 is the normal-state convention 𝒟μ = ∂μ + A × μ of kinetics.physics.gauge;
- in a uniform state the gauge term is spin–orbit relaxation: the isotropic field
  A_k^b = a δ_kb gives the residual of Elliott–Yafet scattering with 1/τ_so = 2Da²
  (−D[Ǎ_k, ǧ[Ǎ_k, ǧ]] = −D[Ǎ_kǧǍ_k, ǧ] and Ǎ_k = (a/2)ρ₃α̂_k);
- a pure gauge field that commutes with the exchange field and the singlet reservoirs leaves
  the solution, the DOS and the supercurrent unchanged (ǧ → UǧU† with [U, ǧ] = 0), while
  a non-commuting one changes them.
"""

import numpy as np
import pytest

from kinetics.geometry import layered_box
from kinetics.usadel import forms, matsubara, riccati
from kinetics.usadel.problem import COMPILE_FAST, Reservoir, UsadelProblem, UsadelRegion
from test_usadel_algebra import _poly, nambu_derivatives

RNG = np.random.default_rng(77)
SIGMA = riccati.SIGMA[1:]


def rand2(scale=0.3):
    return scale * (RNG.normal(size=(2, 2)) + 1j * RNG.normal(size=(2, 2)))


def lst(m):
    return [[complex(m[i, j]) for j in range(2)] for i in range(2)]


def arr(m):
    return np.array([[complex(e.re, e.im) if isinstance(e, forms.Cx) else complex(e)
                      for e in row] for row in m])


def test_gauge_blocks_are_the_normal_state_convention():
    """−i[Â, μ·σ] = (A × μ)·σ: on the spin part of g the covariant derivative is
    ∂μ + A × μ, as for the spin accumulation (kinetics.physics.gauge)."""
    A, mu = RNG.normal(size=3), RNG.normal(size=3)
    a = arr(forms.gauge_blocks(A))
    assert np.abs(a - np.einsum("b,bij->ij", A, SIGMA) / 2).max() < 1e-15
    ms = np.einsum("b,bij->ij", mu, SIGMA)
    lhs = -1j * (a @ ms - ms @ a)
    assert np.abs(lhs - np.einsum("b,bij->ij", np.cross(A, mu), SIGMA)).max() < 1e-14


@pytest.mark.parametrize("taus", [(np.inf, np.inf), (0.7, 1.3)])
def test_covariant_riccati_form_equals_matrix_equation(taus):
    """For random γ(x), γ̃(x) and a constant gauge field with all three spin components, the
    4×4 equation U = D∇̃·(ǧ∇̃ǧ) + i[X̌, ǧ] equals M[[0, 2N R], [2Ñ R̃, 0]]M⁻¹ with
    R = D ∂(𝒟γ) + S − iD(Â𝒟γ + 𝒟γÂ*)… as forms.py builds it (the strong form of the weak
    residual: R = D𝒟𝒟γ + 2D(𝒟γ)Ñγ̃(𝒟γ) − r), so the weak form solves the Usadel equation."""
    cg, cgt = RNG.normal(size=(3, 2, 2)) * 0.3 + 0.3j * RNG.normal(size=(3, 2, 2)), \
        RNG.normal(size=(3, 2, 2)) * 0.3 + 0.3j * RNG.normal(size=(3, 2, 2))
    D, x0 = 0.8, 0.37
    A = np.array([0.7, -0.4, 1.1])
    a = np.einsum("b,bij->ij", A, SIGMA) / 2
    Ach = riccati.nambu(a, np.zeros((2, 2)), np.zeros((2, 2)), -a.conj())
    gam, dgam, d2gam = _poly(cg, x0)
    gam_t, dgam_t, d2gam_t = _poly(cgt, x0)
    g0, g1, g2 = nambu_derivatives(cg, cgt, x0)
    z, delta, h = 0.3 + 0.05j, 0.9 * np.exp(0.4j), (0.2, -0.1, 0.3)
    X = riccati.energy_matrix(z.real, z.imag, delta, h) + riccati.self_energy(g0, *taus)

    def com(p, q):
        return p @ q - q @ p
    cur = g0 @ (g1 - 1j * com(Ach, g0))                        # ǧ∇̃ǧ
    dcur = g1 @ (g1 - 1j * com(Ach, g0)) + g0 @ (g2 - 1j * com(Ach, g1))
    U = D * (dcur - 1j * com(Ach, cur)) + 1j * com(X, g0)

    blocks = [forms.gauge_blocks(A)]
    cov, cov_t = forms.covariant_derivatives(lst(gam), lst(gam_t), [lst(dgam)], [lst(dgam_t)],
                                             blocks)
    S, St = forms.riccati_sources(lst(gam), lst(gam_t), cov, cov_t, z=z, delta=delta, h=h,
                                  D=D, inv_tau_sf=1 / taus[0], inv_tau_so=1 / taus[1],
                                  gauge=blocks)
    ac = a.conj()
    R = D * (d2gam - 1j * (a @ dgam + dgam @ ac)) + arr(S)        # D ∂(𝒟γ) + S
    Rt = D * (d2gam_t + 1j * (ac @ dgam_t + dgam_t @ a)) + arr(St)
    one = np.eye(2)
    N, Nt = np.linalg.inv(one - gam @ gam_t), np.linalg.inv(one - gam_t @ gam)
    M = riccati.nambu(one, -gam, -gam_t, one)
    inner = riccati.nambu(np.zeros((2, 2)), 2 * N @ R, 2 * Nt @ Rt, np.zeros((2, 2)))
    pred = M @ inner @ np.linalg.inv(M)
    assert np.abs(U - pred).max() < 1e-7 * (1 + np.abs(U).max())
    # the gauge field matters: without it the prediction misses by O(|A|)
    S0, St0 = forms.riccati_sources(lst(gam), lst(gam_t), [lst(dgam)], [lst(dgam_t)], z=z,
                                    delta=delta, h=h, D=D, inv_tau_sf=1 / taus[0],
                                    inv_tau_so=1 / taus[1])
    inner0 = riccati.nambu(np.zeros((2, 2)), 2 * N @ (D * d2gam + arr(S0)),
                           2 * Nt @ (D * d2gam_t + arr(St0)), np.zeros((2, 2)))
    assert np.abs(U - M @ inner0 @ np.linalg.inv(M)).max() > 1e-2


def _residual(problem, values):
    """The assembled weak residual (owned entries) at the nodal state ``values``."""
    from dolfinx.fem import petsc as fpetsc
    from petsc4py import PETSc
    problem.u.x.array[:] = values
    problem.u.x.scatter_forward()
    b = fpetsc.assemble_vector(problem.solver.F_form)
    b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
    out = b.array.copy()
    b.destroy()
    return out


def test_uniform_isotropic_gauge_field_is_spin_orbit_scattering():
    """At any uniform state, the residual rows of interior nodes of a 3D box with
    A_k^b = a δ_kb equal those of Elliott–Yafet scattering with 1/τ_so = 2Da² (the boundary
    rows differ: a uniform state carries a matrix current −iǧ[Ǎ_n, ǧ] through a vacuum
    surface).  A wrong sign of one gauge term, or a factor, breaks the equality."""
    a, D = 0.9, 0.7
    dev = layered_box([1.0, 1.0, 1.0], [3, 3, 3], length_unit=1.0)
    base = dict(delta=0.8, h=(0.3, -0.2, 0.25), D=D)
    pg = UsadelProblem(dev, {"film": UsadelRegion(**base, gauge=a * np.eye(3))}, eta=0.05,
                       jit_options=COMPILE_FAST)
    ps = UsadelProblem(dev, {"film": UsadelRegion(**base, tau_so=1 / (2 * D * a * a))},
                       eta=0.05, jit_options=COMPILE_FAST)
    p0 = UsadelProblem(dev, {"film": UsadelRegion(**base)}, eta=0.05, jit_options=COMPILE_FAST)
    for p in (pg, ps, p0):
        p._set_energy(0.4)
    state = np.tile(RNG.normal(size=16) * 0.4, pg.u.x.array.size // 16)
    rg, rs, r0 = (_residual(p, state) for p in (pg, ps, p0))
    x = pg.space.tabulate_dof_coordinates()[:rg.size // 16]
    interior = np.all((x > 1e-9) & (x < 1 - 1e-9), axis=1)
    assert interior.sum() == 8
    sel = np.repeat(interior, 16)
    assert np.abs(rs[sel] - r0[sel]).max() > 1e-3                     # τ_so acts
    assert np.abs(rg[sel] - rs[sel]).max() < 1e-12 * np.abs(rs[sel]).max()
    assert np.abs(rg[~sel] - rs[~sel]).max() > 1e-3                   # surface current


def sfs(gauge, h, phase=0.0):
    """1D S–F–S wire (length 1, E_Th units), BCS reservoirs Δ = 20 with phases ∓φ/2."""
    dev = layered_box([1.0], [40], length_unit=1.0)
    res = {"xmin": Reservoir(20.0, -phase / 2), "xmax": Reservoir(20.0, phase / 2)}
    return UsadelProblem(dev, {"film": UsadelRegion(h=h, gauge=gauge)}, res, eta=0.05,
                         degree=2, jit_options=COMPILE_FAST)


def test_commuting_pure_gauge_leaves_the_solution_unchanged():
    """A constant A_x along spin z is a pure gauge, U = exp(−iqxσ_z/2); it commutes with
    h ∥ z and with the singlet reservoirs, so γ, γ̃ (all 16 components) are unchanged.  A
    field along spin x does not commute with h ∥ z and changes the DOS."""
    q = 2.5
    energies = [0.5, 3.0, 8.0]
    Az, Ax = np.zeros((3, 3)), np.zeros((3, 3))
    Az[0, 2], Ax[0, 0] = q, q
    ref, com, non = (sfs(A, (0.0, 0.0, 4.0)) for A in (None, Az, Ax))
    for eps in energies:
        for p in (ref, com, non):
            p.initial_guess(eps)
            p.solve(eps)
        assert np.abs(com.u.x.array - ref.u.x.array).max() < 1e-9
        x = np.array([[0.5, 0.0, 0.0]])
        assert np.abs(riccati.dos(*non.evaluate(x)) - riccati.dos(*ref.evaluate(x))).max() > 1e-3


def _relative_variance(problem, j):
    """(∫j_x dx, ∫(j_x − j̄)² dx / j̄²) over the unit wire."""
    import ufl
    from dolfinx import fem
    dx = ufl.dx(domain=problem.mesh)
    mean = fem.assemble_scalar(fem.form(j[0] * dx))
    return mean, fem.assemble_scalar(fem.form((j[0] - mean) ** 2 * dx)) / mean ** 2


def test_supercurrent_is_gauge_invariant_and_conserved():
    """The supercurrent uses ǧ∇̃ǧ.  (i) A commuting pure gauge keeps the current through
    either end.  (ii) With a non-commuting field (spin x, h ∥ z) the spectral current
    (i/4)Tr ρ₃ǧ∇̃ǧ of one Matsubara frequency is conserved along the F wire (Δ = 0 inside,
    so Tr ρ₃[X̌, ǧ] = 0): constant to discretization error, while the ordinary
    Tr ρ₃ǧ∇ǧ varies by per cent (its gauge part vanishes at the singlet reservoirs, so the
    currents through the ends alone cannot tell them apart)."""
    q = 2.5
    Az, Ax = np.zeros((3, 3)), np.zeros((3, 3))
    Az[0, 2], Ax[0, 0] = q, q
    out = {}
    for name, A in (("none", None), ("commuting", Az)):
        p = sfs(A, (0.0, 0.0, 4.0), phase=1.1)
        out[name] = [matsubara.supercurrent(p, 2.0, end, (1, 0, 0), omega_max=60.0)
                     for end in ("xmin", "xmax")]
    ref = out["none"][0]
    assert abs(ref) > 1e-2
    assert abs(out["none"][1] - ref) < 1e-7 * abs(ref)
    assert max(abs(c - ref) for c in out["commuting"]) < 1e-8 * abs(ref)

    p = sfs(Ax, (0.0, 0.0, 4.0), phase=1.1)
    p.set_broadening(3.0)
    p.initial_guess(0.0)
    p.solve(0.0)
    mean, var = _relative_variance(p, matsubara.supercurrent_density(p))
    gauge, p._gauge = p._gauge, None
    mean0, var0 = _relative_variance(p, matsubara.supercurrent_density(p))
    p._gauge = gauge
    assert abs(mean) > 0.1 and var < 1e-5         # measured 8e-7
    assert var0 > 1e-3                             # measured 6e-3


def test_bad_gauge_field():
    with pytest.raises(ValueError, match="gauge"):
        UsadelRegion(gauge=np.ones(3))
    with pytest.raises(ValueError, match="gauge"):
        UsadelRegion(gauge=np.full((3, 3), np.nan))


def test_gauge_field_in_a_case(tmp_path):
    """`gauge` of a region reaches UsadelRegion: an F wire (h ∥ z) with a gauge field along
    spin x (which does not commute with h) gives the Python API's DOS."""
    from mpi4py import MPI

    from kinetics.case import parse_case
    from kinetics.usadel import observables as obs
    from test_usadel_case import CASE, _edit, run
    text = _edit("film = { delta = 0.0 }",
                      "film = { delta = 0.0, h = [0.0, 0.0, 2.0], "
                      "gauge = [[3.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]] }")
    res = run(parse_case(text, str(CASE), CASE.parent), tmp_path / "out")["usadel"]
    dev = layered_box([1e-6], [20], length_unit=1e-6, comm=MPI.COMM_SELF)
    A = np.zeros((3, 3))
    A[0, 0] = 3.0
    p = UsadelProblem(dev, {"film": UsadelRegion(0.0, h=(0, 0, 2.0), gauge=A)},
                      {"xmin": Reservoir(20.0, -0.5), "xmax": Reservoir(20.0, 0.5)},
                      eta=1e-3, degree=2)
    points = np.array([[0.5, 0, 0], [0.25, 0, 0], [0.05, 0, 0]])
    ref = []
    p.sweep(res["energies"], callback=lambda q, e: ref.append(obs.dos_at(q, points)))
    assert np.max(np.abs(np.array(res["dos"]) - ref)) <= 1e-10
    plain = _edit("film = { delta = 0.0 }", "film = { delta = 0.0, h = [0.0, 0.0, 2.0] }")
    plain = run(parse_case(plain, str(CASE), CASE.parent), tmp_path / "o2")
    assert np.max(np.abs(np.array(res["dos"]) - plain["usadel"]["dos"])) > 1e-3
