"""Tests of kinetics.physics.soc_absorption (seed 000: Tsutsui, Hosono & Yokoyama 2018).

Coefficients of Sec. II / Apps. A-B, the screening wave numbers of the static diffusive
propagator and its 1D closed form K_σ(z) (notes shared/notes/seed-000.md, §2.2-2.5, §4).
Energies are given in eV and converted to J; the coefficients depend on ratios only.
"""

import dataclasses
import math

import numpy as np
import pytest

from kinetics import units
from kinetics.physics import soc_absorption as sa
from kinetics.validation import ValidationError

EV = units.e
NU = 1e47                    # DOS per spin, 1/(J m^3)


def coef(eF=5.0, M=0.5, eu=0.02, ed=0.03, nu=(NU, 0.8 * NU), **kw):
    return sa.coefficients(eF * EV, M * EV, eu * EV, ed * EV, *nu, **kw)


CASES = [dict(M=0.5, eu=0.02, ed=0.03),      # clean: M >> eta
         dict(M=0.01, eu=0.2, ed=0.05),      # dirty: eta >> M
         dict(M=0.1, eu=0.1, ed=0.1),        # eta_plus = M, B purely imaginary
         dict(M=0.3, eu=0.05, ed=0.4)]


# --- A_σ, B_σ, F_σ, G_σ -------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_B_identity_and_closed_forms(case):
    c = coef(**case)
    M, ep = c.params.M, c.params.eta_plus
    for ch in c.channels:
        s, es = ch.sigma, ch.eta
        assert ch.B == pytest.approx(M / ((M + 1j * s * ep) * ch.A), rel=1e-12)
        assert ch.A == pytest.approx(es ** 2 * ep / (ep + 1j * s * M) ** 3, rel=1e-12)
        assert ch.B == pytest.approx(-1j * s * M * (ep + 1j * s * M) ** 4
                                     / (es ** 2 * ep * (M * M + ep * ep)), rel=1e-12)
    # the two spins are conjugate up to eta_sigma^2
    up, dn = c.channels
    assert dn.B * dn.eta ** 2 == pytest.approx(np.conj(up.B) * up.eta ** 2, rel=1e-12)
    assert dn.A / dn.eta ** 2 == pytest.approx(np.conj(up.A / up.eta ** 2), rel=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_F_minus_iG_is_screened_diffusion(case):
    c = coef(**case)
    k2 = np.array([0.0, 1e14, 3e16, 1e18])          # 1/m^2
    for ch in c.channels:
        Dt = ch.D * ch.tau
        static = ch.F(k2) - 1j * ch.G(k2)
        assert np.allclose(static, ch.A * (Dt * k2 + ch.B), rtol=1e-12, atol=0)
        assert static[0] == pytest.approx(c.params.M / (c.params.M + 1j * ch.sigma
                                                        * c.params.eta_plus), rel=1e-12)
        omega = 3e12                                  # rad/s
        dyn = ch.F(k2, omega) - 1j * ch.G(k2, omega)
        assert np.allclose(dyn - static, ch.c * omega * ch.tau, rtol=1e-12, atol=1e-15)
        q = sa.screening_wavenumber(ch, omega)        # F - iG = A Dτ (k² + q(Ω)²)
        assert q.real > 0
        assert np.allclose(dyn, ch.A * Dt * (k2 + q * q), rtol=1e-12, atol=0)


def test_D_uses_spin_resolved_fermi_energy():
    c = coef()
    p = c.params
    for i, ch in enumerate(c.channels):
        assert ch.tau == pytest.approx(units.hbar / (2 * p.eta[i]), rel=1e-15)
        assert ch.D == pytest.approx(2 * (p.eps_F + ch.sigma * p.M) * ch.tau / (3 * units.m_e),
                                     rel=1e-15)
    assert c.C == pytest.approx(math.pi * units.e * units.hbar ** 2 / (2 * units.m_e)
                                * p.nu.sum(), rel=1e-15)


def test_screening_branch_and_asymptotes():
    for M, ep in ((1.0, 1e3), (1e3, 1.0)):             # dirty, clean: arg sqrt(B) -> -σπ/4
        c = coef(eF=1e7, M=M, eu=ep, ed=ep)
        for ch in c.channels:
            assert np.angle(np.sqrt(ch.B)) == pytest.approx(-ch.sigma * math.pi / 4, abs=3e-3)
            assert ch.q.real > 0
            assert ch.decay_length == pytest.approx(1 / ch.q.real, rel=1e-14)
            root = np.sqrt(ch.B)
            # (23) and the dimensionally corrected (24)
            assert ch.decay_length == pytest.approx(
                math.sqrt(ch.D * ch.tau) / (abs(root) * math.cos(np.angle(root))), rel=1e-12)
            assert ch.wave_number == pytest.approx(
                abs(root) * math.sin(np.angle(root)) / math.sqrt(ch.D * ch.tau), rel=1e-12)
    for ep, sign in ((0.2, 1), (0.05, -1)):          # sign Re B = sign(eta_+ - M)
        for ch in coef(M=0.1, eu=ep, ed=ep).channels:
            assert np.sign(ch.B.real) == sign
    # M/eta_+ = 1 + sqrt(2): B real negative, no decay -> the propagator refuses
    ep = 0.1
    c = coef(M=ep * (1 + math.sqrt(2)), eu=ep, ed=ep)
    for ch in c.channels:
        assert abs(ch.B.imag) < 1e-9 * abs(ch.B) and ch.B.real < 0
        with pytest.raises(ValidationError, match="branch point"):
            sa.planar_propagator([0.0, 1e-9], ch)


# --- M -> 0: spin-isotropic limit ------------------------------------------------------------

def _path(M, physical):
    """eta_up = eta_down (physical=False) or the model's eta_σ ∝ nu_σ ∝ sqrt(eps_Fσ)."""
    eF, eta = 5.0, 0.05
    f = np.sqrt(np.array([eF + M, eF - M]) / eF) if physical else np.ones(2)
    return coef(eF=eF, M=M, eu=eta * f[0], ed=eta * f[1], nu=tuple(NU * f))


@pytest.mark.parametrize("physical", [False, True])
@pytest.mark.parametrize("reading", ["subscript", "bar"])
def test_M_to_zero_is_spin_isotropic(physical, reading):
    scale = 5.0 / 0.05                                  # eps_F/eta_+: size of the coefficients
    dev = []
    for M in (1e-4, 1e-6):
        c = _path(M, physical)
        L = sa.local_coefficients(c.params, reading)
        d = [L.alpha1_xy - L.alpha1_z, L.beta1_xy - L.beta1_z, L.gamma1_xy - L.gamma1_z,
             L.delta1_xy - L.delta1_z, L.eps1_xy - L.eps1_z,
             L.alpha2, L.beta2, L.gamma2, L.delta2, L.eps2]          # sigma-odd: -> 0
        up, dn = c.channels
        if not physical:
            d += [up.beta2, dn.beta2]
        else:   # M^2 + eta_-^2 with eta_- ∝ M: beta_2σ -> (1/3) τ η₊/ħ = 1/6, i.e. O(η/ε_F)
            assert abs(up.beta2) + abs(dn.beta2) < 0.5 * 2 * 0.05 / 5 * abs(up.beta1_xy)
            d += [up.beta2 - dn.beta2]
        d += [up.alpha_xy.real / scale, dn.alpha_xy.real / scale,
              (up.alpha_xy - dn.alpha_xy).imag / scale]
        d = list(np.divide(d, scale))        # coefficients of size eps_F/eta (or its square)
        d += [up.A.imag, dn.A.imag, up.A.real - 1, dn.A.real - 1,    # order-one quantities
              (up.D - dn.D) / up.D, (up.tau - dn.tau) / up.tau]
        dev.append(np.abs(d))
    assert np.all(dev[1] < 1e-4)                      # M/eta_+ = 2e-5 here
    assert np.all(dev[1] <= 0.06 * dev[0] + 1e-13)     # ∝ M gives 0.01 (M / 100), ∝ √M 0.1
    # the isotropic values themselves (errata 1-3 give the z values for x, y too)
    L = sa.local_coefficients(_path(1e-7, physical).params, reading)
    assert L.delta1_xy == pytest.approx(-4 / 9 * scale, rel=1e-5)
    assert L.eps1_xy == pytest.approx(16 / 9 * scale, rel=1e-5)
    assert L.gamma1_xy == pytest.approx(-2 / 15 * scale, rel=1e-5)


def test_eps1_z_spin_average_matches_model():
    """Erratum 3: with nu_σ ∝ eta_σ (the paper's τ_σ), eps1_z = (16/9) eps_F/eta_+."""
    c = coef(M=0.8, eu=0.03, ed=0.07, nu=(0.3 * NU, 0.7 * NU))
    assert c.local.eps1_z == pytest.approx(16 / 9 * c.params.eps_F / c.params.eta_plus,
                                           rel=1e-12)
    assert c.local.delta1_z == pytest.approx(-4 / 9 * c.params.eps_F / c.params.eta_plus)
    L = c.local
    assert L.alpha1_xy == pytest.approx(L.gamma1_xy + L.delta1_xy)
    assert L.beta2 == pytest.approx(L.gamma2 + L.eps2)


def test_sum_readings_differ_only_through_sigma_bar():
    c = coef(M=0.5, eu=0.04, ed=0.04, nu=(NU, NU))
    a = sa.local_coefficients(c.params, "subscript")
    b = sa.local_coefficients(c.params, "bar")
    assert a.eps2 != pytest.approx(b.eps2)
    assert b.eps2 == pytest.approx(0.0, abs=1e-12)     # Σ σ ε_Fσ̄ ε_Fσ/η = 0 at η₋ = 0
    assert a.delta1_z == b.delta1_z and a.gamma1_z == b.gamma1_z


# --- dirty / clean scalings (notes §4) -------------------------------------------------------

def _j0(ep, em, form):
    c = sa.coefficients(1e8 * EV, 1.0 * EV, (ep + em) * EV, (ep - em) * EV, NU, NU)
    jx, jy = sa.absorbed_spin_currents(np.zeros(1), c, 1e-20, 1.0, 1e-10, form=form)
    return np.abs([jx[0], jy[0]])


def _slopes(xs, f):
    J = np.array([f(x) for x in xs])
    return np.array([np.polyfit(np.log(xs), np.log(J[:, k]), 1)[0] for k in (0, 1)])


# exponents (d ln|j| / d ln eta_+ at fixed eta_-, d ln|j| / d ln eta_-) of (j^x, j^y) at z = 0
SCALINGS = {
    ("printed", "dirty"): ([-0.5, 0.5], [1.0, 0.0]),   # paper: j^x ∝ η₊^½, j^y ∝ η₋η₊^-½
    ("printed", "clean"): ([1.5, 0.5], [0.0, 1.0]),    # paper: j^x ∝ η₋η₊^½, j^y ∝ η₊^3/2
    ("derived", "dirty"): ([-1.5, -0.5], [0.0, 0.0]),
    ("derived", "clean"): ([0.5, 1.5], [0.0, 0.0]),
}


@pytest.mark.parametrize("form,limit", list(SCALINGS))
def test_dirty_clean_power_laws(form, limit):
    ep0 = 1e4 if limit == "dirty" else 1e-5              # in units of M; eps_F = 1e8 M
    em0 = 0.05 * ep0
    p_plus = _slopes(np.geomspace(ep0, 2 * ep0, 4), lambda e: _j0(e, em0, form))
    p_minus = _slopes(np.geomspace(em0, 2 * em0, 4), lambda m: _j0(ep0, m, form))
    want_plus, want_minus = SCALINGS[form, limit]
    assert p_plus == pytest.approx(want_plus, abs=0.02)
    assert p_minus == pytest.approx(want_minus, abs=0.02)
    # overall scale eta -> s eta: printed 1/2 (dirty), 3/2 (clean) as the paper says
    p_all = _slopes(np.geomspace(1, 2, 4), lambda s: _j0(s * ep0, s * em0, form))
    assert p_all == pytest.approx(np.add(want_plus, want_minus), abs=0.02)


# --- the 1D closed form K_σ(z) ---------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("omega", [0.0, 5e12])
def test_planar_propagator_solves_screened_equation(case, omega):
    c = coef(**case)
    s = sa.sheet_strength(1e-20, 2e3, 3e-10)
    assert s == pytest.approx(1e-20 * 2e3 / 6e-10)
    for ch in c.channels:
        q = sa.screening_wavenumber(ch, omega)
        ls = 1 / q.real
        h = 1e-3 * min(ls, 1 / abs(q))
        z = np.concatenate([-np.linspace(0.3, 3, 7), np.linspace(0.3, 3, 7)]) * ls
        K = lambda x: sa.planar_propagator(x, ch, s, omega=omega)      # noqa: E731
        lap = (K(z + h) - 2 * K(z) + K(z - h)) / h ** 2
        res = -lap + q * q * K(z)
        assert np.max(np.abs(res)) < 1e-5 * np.max(np.abs(q * q * K(z)))
        assert np.allclose(K(z), K(-z), rtol=1e-14)                    # even in z
        # derivative jump at z = 0 (4th-order one-sided differences)
        w = np.array([-25, 48, -36, 16, -3]) / (12 * h)
        right = w @ K(h * np.arange(5))
        left = -(w @ K(-h * np.arange(5)))
        jump = sa.planar_propagator_jump(ch, s)
        assert right - left == pytest.approx(jump, rel=1e-6)
        assert jump == pytest.approx(-2 * math.pi ** 2 * s / (ch.D * ch.tau * ch.A), rel=1e-14)
        # decay and oscillation: K(z + l_s)/K(z) = e^{-1} e^{-i k̃ l_s}
        if omega == 0.0:
            r = K(np.array([2 * ls]))[0] / K(np.array([ls]))[0]
            assert r == pytest.approx(math.exp(-1) * np.exp(-1j * ch.wave_number * ls), rel=1e-12)
            K0 = math.pi ** 2 * s / (ch.A * math.sqrt(ch.D * ch.tau) * np.sqrt(ch.B))
            assert K(np.zeros(1))[0] == pytest.approx(K0, rel=1e-12)
        std = sa.planar_propagator(z, ch, s, omega=omega, normalisation="standard")
        assert np.allclose(std * 2 * math.pi ** 2, K(z), rtol=1e-13)


def test_absorbed_currents():
    c = coef(**CASES[0])
    z = np.linspace(-3e-9, 3e-9, 11)
    jx, jy = sa.absorbed_spin_currents(z, c, 1e-20, 1e3, 2e-10)
    s = 1e-20 * 1e3 / 4e-10
    tot = sum(ch.alpha_xy * sa.planar_propagator(z, ch, s) for ch in c.channels)
    assert np.allclose(jx, c.C * tot.real, rtol=1e-14) and np.allclose(jy, c.C * tot.imag)
    px, py = sa.absorbed_spin_currents(z, c, 1e-20, 1e3, 2e-10, form="printed")
    pt = sum(ch.alpha_xy * sa.planar_propagator(z, ch, s) / math.sqrt(ch.D * ch.tau)
             for ch in c.channels)
    assert np.allclose(px, c.C * pt.real, rtol=1e-14) and np.allclose(py, c.C * pt.imag)


# --- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("kw,match", [
    (dict(eu=0.0), "eta_up must be positive"),
    (dict(ed=-0.01), "eta_down must be positive"),
    (dict(eF=0.5, M=0.5), r"eps_F must be > \|M\|"),
    (dict(eF=0.4, M=0.5), r"eps_F must be > \|M\|"),
    (dict(M=0.0), "M must be positive"),
    (dict(M=-0.2), "M must be positive"),
    (dict(eF=math.nan), "eps_F must be finite"),
    (dict(M=math.inf), "M must be finite"),
    (dict(eu=math.inf), "eta_up must be positive and finite"),
    (dict(nu=(NU, math.nan)), "nu_down must be positive"),
    (dict(nu=(0.0, NU)), "nu_up must be positive"),
])
def test_bad_parameters(kw, match):
    with pytest.raises(ValidationError, match=match):
        coef(**kw)


def test_bad_types_and_options():
    with pytest.raises(TypeError, match="eta_up"):
        sa.coefficients(1.0, 0.1, "0.01", 0.01, NU, NU)
    with pytest.raises(ValidationError, match="sum_reading"):
        coef(sum_reading="eps_F_times_sigma")
    c = coef()
    with pytest.raises(ValidationError, match="form"):
        sa.absorbed_spin_currents([0.0], c, 1.0, 1.0, 1.0, form="other")
    with pytest.raises(ValidationError, match="xi_E"):
        sa.sheet_strength(1.0, 1.0, 0.0)
    with pytest.raises(ValidationError, match="z"):
        sa.planar_propagator([0.0, math.nan], c.up)
    with pytest.raises(ValidationError, match="normalisation"):
        sa.planar_propagator([0.0], c.up, normalisation="si")
    with pytest.raises(ValidationError, match="omega"):
        sa.screening_wavenumber(c.up, math.inf)
    with pytest.raises(ValidationError, match="sigma"):
        c.channel(0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.up.B = 1.0
    with pytest.raises(ValueError):
        c.params.eta[0] = 1.0
