"""Seed 000, stage 2: the diffusive propagators as PDEs (kinetics.physics.soc_propagator).

(-∇² + q_σ²)K_σ = P_σ S with the complex q_σ of soc_absorption, solved as a real 2×2 block.
1. Setup A in 1D: a sheet s δ(z) at an interface, Robin ends ∂_nK = -q K (exact for the
   pure exponential): K_σ(z) = planar_propagator to 1e-6 of max|K|, and the derivative jump
   [∂_zK]₀ = planar_propagator_jump to 1e-6, both spins, Ω = 0 and Ω ≠ 0, nm mesh units.
2. The same in 2D and 3D slabs (uniform across).
3. A manufactured solution of the complex (indefinite: Re q² < 0) operator with a volume
   source and a Robin side: L2 rates 2 (P1) and 3 (P2); the same with a callable source
   in metres on a nm mesh (unit scaling).
4. The δ' sheet (SheetDipole): K jumps by -s; converges at rate 2 away from the sheet.
5. Bad input, the truncation warning with its numbers.
6. MPI (2 and 3 ranks): the same numbers on every rank.
"""

import math

import numpy as np
import pytest
import ufl
from mpi4py import MPI

from kinetics import units
from kinetics.geometry.layered_box import layered_box
from kinetics.physics import soc_absorption as sa
from kinetics.physics import soc_propagator as sp

from _helpers import l2_norm, rates

eV = units.e
NM = 1e-9


def coef(M=0.5, eta_up=0.3, eta_down=0.2):
    """Clean-ish (η₊ < M: oscillating, Re B < 0) by default; dirty with M = 0.1."""
    return sa.coefficients(5 * eV, M * eV, eta_up * eV, eta_down * eV, 1e47, 0.8e47)


CASES = [  # (M, η↑, η↓, Ω in rad/s)
    (0.5, 0.3, 0.2, 0.0),
    (0.1, 0.5, 0.3, 0.0),
    (0.5, 0.3, 0.2, 2e14),
]
S = sa.sheet_strength(2e-19, 1e6, 0.3e-9)          # λ_SO E_y/(2ξ_E), V/m²


def slab(dim, n, half, *, across=1, grading=0.0, length_unit=NM, comm=None):
    """Two layers of thickness ``half`` (m) along the last axis, ``n`` cells each; the sheet
    is the interface "bottom|top" at z = half."""
    lengths = [half] * (dim - 1) + [2 * half]
    axes = {1: "z", 2: "xz", 3: "xyz"}[dim]
    return layered_box(lengths, [across] * (dim - 1) + [2 * n],
                       [("bottom", half, n), ("top", half, n)], axes=axes,
                       length_unit=length_unit, grading=grading, comm=comm)


def line(half, n=41, x=0.3):
    """Points (n, 3) along z through the slab (x = y = x·half), and z relative to the sheet."""
    z = np.linspace(0.0, 2 * half, n)
    pts = np.zeros((n, 3))
    pts[:, 0] = pts[:, 1] = x * half
    pts[:, 2] = z
    return pts, z - half


def check_planar(K, ch, half, omega, tol=1e-6):
    """K on the line and the derivative jump at the sheet against the closed form."""
    pts, z = line(half)
    exact = sa.planar_propagator(z, ch, S, omega=omega)
    got = K.values(pts)
    err = np.max(np.abs(got - exact)) / np.max(np.abs(exact))
    eps = 1e-6 * half * 1e-6
    side = np.array([[0.3 * half, 0.3 * half, half - eps], [0.3 * half, 0.3 * half, half + eps]])
    g = K.gradient(side)
    jump = g[1, 2] - g[0, 2]
    ref = sa.planar_propagator_jump(ch, S)
    jerr = abs(jump - ref) / abs(ref)
    assert err < tol and jerr < tol, (err, jerr)
    # the conjugate (wrong sign of i) is far off
    assert np.max(np.abs(got - exact.conj())) / np.max(np.abs(exact)) > 0.1
    return err, jerr


@pytest.mark.parametrize("M, eta_up, eta_down, omega", CASES)
def test_1d_sheet_matches_planar_propagator(M, eta_up, eta_down, omega):
    c = coef(M, eta_up, eta_down)
    for ch in c.channels:
        q = sa.screening_wavenumber(ch, omega)
        half = 4.0 / q.real
        dev = slab(1, 1200, half, grading=0.9)
        K = sp.propagator(dev, ch, sp.Sheet("bottom|top", S), omega=omega,
                          robin=("zmin", "zmax"))
        assert K.q == q and K.sigma == ch.sigma and K.decay_length == pytest.approx(
            1 / q.real)
        check_planar(K, ch, half, omega)
        # uniform across the gradient direction (mesh has none) and no x, y gradient
        assert np.all(K.gradient(line(half, 5)[0])[:, :2] == 0)


@pytest.mark.mpi
@pytest.mark.parametrize("dim", [2, 3])
def test_slab_sheet_is_planar_and_uniform(dim):
    c = coef()
    half = 4 * max(c.up.decay_length, c.down.decay_length)
    dev = slab(dim, 1000, half, grading=0.9, across=2 if dim == 2 else 1)
    up, down = sp.propagators(dev, c, sp.Sheet("bottom|top", S), robin=("zmin", "zmax"))
    for K, ch in ((up, c.up), (down, c.down)):
        check_planar(K, ch, half, 0.0)
        # uniform across: the same profile on another line, zero lateral gradient
        pts, _ = line(half, 11, x=0.8)
        pts0, _ = line(half, 11, x=0.1)
        assert np.allclose(K.values(pts), K.values(pts0), rtol=0, atol=1e-9 * abs(
            K.values(pts0)).max())
        assert np.max(np.abs(K.gradient(pts)[:, :2])) < 1e-6 * np.max(
            np.abs(K.gradient(pts)[:, 2]))
    # the two spins are different fields (different q, P)
    assert abs(up.values(line(half, 3)[0])[1] - down.values(line(half, 3)[0])[1]) > 0.1 * abs(
        up.values(line(half, 3)[0])[1])


@pytest.mark.mpi
def test_gmsh_device_sheet_is_planar():
    """A gmsh device (two blocks, unstructured triangles): interface and exterior facets from
    the physical groups, q from the dirty coefficients.  Values to 5e-6 (P2, h = 0.1 nm);
    the pointwise derivative jump of unstructured P2 only to O(h²)."""
    from kinetics.geometry.devices import blocks
    c = coef(0.1, 0.5, 0.3)
    H, W = 4 * max(c.up.decay_length, c.down.decay_length), 1e-9
    dev = blocks({"bottom": ((0, -H), (W, 0)), "top": ((0, 0), (W, H))}, dim=2, h=0.1e-9)
    Ks = sp.propagators(dev, c, sp.Sheet("bottom|top", S), robin=("bottom_bottom", "top_top"))
    z = np.linspace(-H, H, 41)
    for x in (0.1, 0.77):
        pts = np.zeros((41, 3))
        pts[:, 0], pts[:, 2] = x * W, z
        for K, ch in zip(Ks, c.channels):
            exact = sa.planar_propagator(z, ch, S)
            err = np.max(np.abs(K.values(pts) - exact)) / np.max(np.abs(exact))
            assert err < 5e-6, err
            g = K.gradient([[x * W, 0, -1e-16], [x * W, 0, 1e-16]])
            ref = sa.planar_propagator_jump(ch, S)
            assert abs(g[1, 2] - g[0, 2] - ref) < 2e-3 * abs(ref)


# -- manufactured solution -------------------------------------------------------------
Q = 1.5 - 2.0j                    # Re q² < 0: the indefinite (clean) regime
A0 = -5.0 / Q - 2.0               # g(x) = A0 + x² + x³: g'(0) = 0, g'(1) = -q g(1)


def mms_exact(x):
    """(K, f) complex, K = g(x) cos(πy), f = (-g'' + (π² + q²) g) cos(πy) (mesh units)."""
    g = A0 + x[0] ** 2 + x[0] ** 3
    cy = np.cos(np.pi * x[1])
    return g * cy, (-(2 + 6 * x[0]) + (np.pi ** 2 + Q * Q) * g) * cy


def cmul(a, b):
    return (a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0])


def mms_error(n, degree, callable_source=False, unit=1.0):
    """L2 error (mesh units) of the manufactured problem on a unit-square (``unit`` metres
    per mesh unit: q → q/unit, S → S/unit²) and the solution."""
    dev = layered_box([unit, unit], [n, n], length_unit=unit, cell_type="triangle")
    x = ufl.SpatialCoordinate(dev.mesh)
    g = (A0.real + x[0] ** 2 + x[0] ** 3, A0.imag + 0 * x[0])
    cy = ufl.cos(ufl.pi * x[1])
    k2 = np.pi ** 2 + Q * Q
    if callable_source:
        def src(p):             # points in metres, S in 1/m² of the mesh-unit f
            return mms_exact(p / unit)[1] / unit ** 2
        source = sp.Volume(src)
    else:
        f = cmul((k2.real, k2.imag), g)
        source = sp.Volume(((f[0] - 2 - 6 * x[0]) * cy, f[1] * cy))
    qq = Q / unit
    sd = sp.ScreenedDiffusion(dev, qq, robin=("xmax",), degree=degree)
    with pytest.warns(sp.TruncationWarning, match=r"'xmax' at 0 m = 0 l_s"):
        K = sd.solve(source)
    dx = ufl.dx(domain=dev.mesh)
    return l2_norm(ufl.as_vector([K.real - g[0] * cy, K.imag - g[1] * cy]), dx), K


@pytest.mark.mpi
@pytest.mark.parametrize("degree, ns", [(1, (8, 16, 32)), (2, (4, 8, 16))])
def test_manufactured_complex_operator_rates(degree, ns):
    errs = [mms_error(n, degree)[0] for n in ns]
    r = rates(errs, [1.0 / n for n in ns])
    assert np.all(r > degree + 1 - 0.15), (errs, r)
    assert errs[-1] < (5e-3 if degree == 1 else 5e-4), errs


def test_manufactured_callable_source_in_metres():
    """The same problem on a 1 nm square (q in 1/m, S in 1/m², a callable of metres) as on
    a unit square: the unit scaling of the forms; the interpolated source converges too."""
    e_nm, K = mms_error(8, 2, callable_source=True, unit=NM)
    e_1, _ = mms_error(8, 2, callable_source=True)
    assert e_nm == pytest.approx(e_1, rel=1e-6), (e_nm, e_1)
    e_ufl = mms_error(8, 2)[0]
    assert e_nm < 1.5 * e_ufl, (e_nm, e_ufl)
    exact = mms_exact(np.array([0.25, 0.6]))[0]
    assert abs(K.values([[0.25 * NM, 0.6 * NM, 0]])[0] - exact) < 3e-3 * abs(exact)


# -- δ' sheet ----------------------------------------------------------------------------
@pytest.mark.mpi
def test_sheet_dipole_jump_and_rate():
    """(-∂² + q²)K = s ∂_zδ(z): K = -s sign(z) e^{-q|z|}/2 (jump -s at the sheet)."""
    q, s, half = 1.0 + 2.0j, 0.7, 5.0
    errs, ns = [], (100, 200, 400)
    for n in ns:
        dev = slab(1, n, half, length_unit=1.0)
        K = sp.ScreenedDiffusion(dev, q, robin=("zmin", "zmax")).solve(
            sp.SheetDipole("bottom|top", s, (0, 0, 1)))
        pts, z = line(half, 81)
        far = np.abs(z) > 0.5
        exact = -s * np.sign(z) * np.exp(-q * np.abs(z)) / 2
        errs.append(np.max(np.abs(K.values(pts[far]) - exact[far])) / (s / 2))
        assert abs(K.values([[0, 0, half]])[0]) < 1e-8          # the mean of ±s/2
    r = rates(errs, [1.0 / n for n in ns])
    assert errs[-1] < 1e-4 and np.all(r > 1.8), (errs, r)
    # the opposite direction flips K
    K2 = sp.ScreenedDiffusion(dev, q, robin=("zmin", "zmax")).solve(
        sp.SheetDipole("bottom|top", s, (0, 0, -1)))
    assert np.allclose(K2.values(pts), -K.values(pts), atol=1e-12)


@pytest.mark.mpi
def test_volume_source_on_a_region_and_linearity():
    """A volume source on one region only: superposition with a sheet, complex scaling."""
    q, half = 0.8 + 0.5j, 6.0
    dev = slab(1, 60, half, length_unit=1.0)
    sd = sp.ScreenedDiffusion(dev, q, robin=("zmin", "zmax"))
    pts, _ = line(half, 13)
    sheet = sd.solve(sp.Sheet("bottom|top", 1.0), on_short="ignore").values(pts)
    vol = sd.solve(sp.Volume(1.0, "top"), on_short="ignore").values(pts)
    both = sd.solve([sp.Sheet("bottom|top", 2j), sp.Volume(1.0 - 1j, "top")],
                    prefactor=0.5 + 1j, on_short="ignore").values(pts)
    assert np.allclose(both, (0.5 + 1j) * (2j * sheet + (1 - 1j) * vol), rtol=1e-10,
                       atol=1e-12)
    # Robin is transparent: K is the infinite-line solution of the source on [h, 2h]
    z = pts[:, 2]
    exact = np.where(z >= half, 2 - np.exp(-q * (z - half)), np.exp(-q * (half - z)))
    exact = (exact - np.exp(-q * (2 * half - z))) / (2 * q * q)
    assert np.max(np.abs(vol - exact)) < 1e-6 * np.max(np.abs(exact)), np.abs(vol - exact)


# -- bad input ---------------------------------------------------------------------------
@pytest.mark.mpi
def test_bad_input_is_rejected_before_the_solve():
    dev = slab(1, 20, 5.0, length_unit=1.0)
    with pytest.raises(ValueError, match="Re q > 0"):
        sp.ScreenedDiffusion(dev, -1.0 + 1j)
    with pytest.raises(KeyError, match="unknown boundary 'top'"):
        sp.ScreenedDiffusion(dev, 1.0, robin=("top",))
    with pytest.raises(ValueError, match="outer boundary"):
        sp.ScreenedDiffusion(dev, 1.0, robin=("bottom|top",))
    sd = sp.ScreenedDiffusion(dev, 1.0, robin=("zmin", "zmax"))
    with pytest.raises(ValueError, match="interior"):
        sd.solve(sp.Sheet("zmin"))
    with pytest.raises(KeyError, match="unknown region 'middle'"):
        sd.solve(sp.Volume(1.0, "middle"))
    with pytest.raises(ValueError, match="at least one source"):
        sd.solve([])
    with pytest.raises(ValueError, match="unit"):
        sd.solve(sp.SheetDipole("bottom|top", 1.0, (0, 0, 2)))
    with pytest.raises(ValueError, match="Sheet, SheetDipole or Volume"):
        sd.solve(["bottom|top"])
    with pytest.raises(ValueError, match="complex"):
        sd.solve(sp.Sheet("bottom|top"), prefactor="1")
    # the branch point M/η₊ = 1 + √2: nothing decays
    ep = 0.2
    c = sa.coefficients(5 * eV, (1 + math.sqrt(2)) * ep * eV, ep * eV, ep * eV, 1e47, 1e47)
    with pytest.raises(ValueError, match="branch point"):
        sp.propagator(dev, c.up, sp.Sheet("bottom|top"))


@pytest.mark.mpi
def test_short_domain_warns_with_the_numbers():
    dev = slab(1, 20, 5.0, length_unit=1.0)
    sd = sp.ScreenedDiffusion(dev, 1.0 + 3j, robin=("zmin", "zmax"))
    with pytest.warns(sp.TruncationWarning, match=r"'zmin' at 5 m = 5 l_s.*6 decay lengths"):
        sd.solve(sp.Sheet("bottom|top"), min_decay_lengths=6)
    with pytest.raises(ValueError, match=r"'zmax' at 5 m = 5 l_s"):
        sd.solve(sp.Sheet("bottom|top"), min_decay_lengths=6, on_short="raise")
    sd.set_q(0.25)
    with pytest.warns(sp.TruncationWarning, match=r"l_s = 1/Re q = 4 m"):
        sd.solve(sp.Sheet("bottom|top"))
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sd.set_q(1.0)
        sd.solve(sp.Sheet("bottom|top"))            # 5 l_s ≥ 3 l_s: no warning


# -- MPI ---------------------------------------------------------------------------------
@pytest.mark.mpi
@pytest.mark.parametrize("dim", [1, 2])
def test_mpi_same_numbers_on_every_rank(dim):
    comm = MPI.COMM_WORLD
    c = coef(0.1, 0.5, 0.3)
    half = 4 * max(c.up.decay_length, c.down.decay_length)
    dev = slab(dim, 400, half, grading=0.9, across=2)
    Ks = sp.propagators(dev, c, sp.Sheet("bottom|top", S), robin=("zmin", "zmax"),
                        omega=1e14)
    pts, z = line(half, 17)
    for K, ch in zip(Ks, c.channels):
        check_planar(K, ch, half, 1e14)
        v = K.values(pts)
        assert all(np.array_equal(v, w) for w in comm.allgather(v))
    # the same numbers as a serial solve of the same mesh (each rank solves it alone)
    serial = sp.propagators(slab(dim, 400, half, grading=0.9, across=2, comm=MPI.COMM_SELF),
                            c, sp.Sheet("bottom|top", S), robin=("zmin", "zmax"), omega=1e14)
    for K, Ks_ in zip(Ks, serial):
        a, b = K.values(pts), Ks_.values(pts)
        assert np.max(np.abs(a - b)) < 1e-10 * np.max(np.abs(b)), np.max(np.abs(a - b))
