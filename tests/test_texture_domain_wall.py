"""A precessing domain wall as the seed-002 texture (kinetics.physics.texture.walls) driving
the texture voltage (kinetics.models.texture_charge, issue 17): the pumped spin equals
(2e/ħ)2νJ²τ Ω ∫sech² (the wall's closed-form S×Ṡ average), V is odd in the precession sense,
even in the polarity and independent of ψ₀, the wall's V is the uniform-precession V times
∫sech²u dx/L (exact with spin-reflecting ends), the impurity conversion of the wall's local
spin current against its closed form, bad input, and 2 ranks = serial."""

import math

import numpy as np
import pytest
from mpi4py import MPI

import kinetics
from kinetics import units
from kinetics.geometry import layered_box
from kinetics.models.texture import ElectronGas
from kinetics.models.texture_charge import ChargeRegion, TextureVoltage
from kinetics.physics.texture import conversion as conv
from kinetics.physics.texture.walls import precessing_domain_wall, wall_source_integral

PT = kinetics.materials.get("Pt")
GAS = ElectronGas(nu=1e47, J=1e-21, tau=1e-14, D=1e-3)
L, T_FM, T_PT, X0 = 200e-9, 2e-9, 4e-9, 100e-9
OMEGA = 2 * math.pi * 1e9


def strip(wall, comm=None, backaction=True):
    """x-z strip: 2 nm textured magnet (Rashba E_so ∥ ẑ, λ_so) under 4 nm Pt, contacts at
    both ends (spin-reflecting)."""
    dev = layered_box([L, T_FM + T_PT], [40, 4], axes="xz", comm=comm,
                      layers=[("fm", T_FM, 2), ("pt", T_PT, 2)])
    regions = {"fm": ChargeRegion(gas=GAS, lambda_sf=5e-9, E_so=(0, 0, 1e-30), lambda_so=1e-20),
               "pt": ChargeRegion(sigma=PT.sigma, lambda_sf=PT.lambda_sf, theta_sh=PT.theta_sh)}
    return TextureVoltage(dev, regions, wall, ground="xmin", probe="xmax", degree=1, samples=8,
                          backaction=backaction).solve()


def wall(width=20e-9, Omega=OMEGA, **kw):
    return precessing_domain_wall(axis=(0, 1, 0), normal=(1, 0, 0), center=X0, width=width,
                                  Omega=Omega, **kw)


def test_pumped_spin_is_the_closed_form_of_the_wall():
    """⟨S×Ṡ⟩_t = Ω sech²u ŷ: the pumped spin current per unit length (A/m) is
    (2e/ħ)(2νJ²τ) Ω t_F ∫₀^L sech²((x − X)/w) dx, along ŷ only, to 1e-6; absorbed = pumped."""
    res = strip(wall(), backaction=False)
    expected = 2 * units.e / units.hbar * GAS.damping * OMEGA * T_FM \
        * wall_source_integral(X0, 20e-9, 0.0, L)
    assert res.spin_balance[0, 1] == pytest.approx(expected, rel=1e-6)
    assert res.spin_balance[1, 1] == pytest.approx(expected, rel=1e-9)
    assert np.abs(res.spin_balance[:, [0, 2]]).max() < 1e-9 * expected


def test_wall_voltage_symmetries_and_uniform_limit():
    """Odd in Ω, even in the polarity p, independent of ψ₀ (Bloch ↔ Néel), to 1e-10; and
    V(wall)/V(uniform, cone 90°) = ∫₀^L sech²u dx / L for the diffusive and the Rashba parts
    (the x-integrated problem with reflecting ends is the uniform one) to 1e-6 (found 3e-12).
    A factor 2 in the wall's source (∫sech² = 2w) or a wrong sign would fail."""
    base = strip(wall())
    rev, flip, bloch = strip(wall(Omega=-OMEGA)), strip(wall(polarity=-1)), \
        strip(wall(phase=math.pi / 2))
    uni = strip(wall(width=1.0))                              # sech²u = 1 over the strip
    ratio = wall_source_integral(X0, 20e-9, 0.0, L) / L
    for m in ("diffusive", "rashba"):
        assert base.V[m] > 0
        assert rev.V[m] == pytest.approx(-base.V[m], rel=1e-10)
        assert flip.V[m] == pytest.approx(base.V[m], rel=1e-10)
        assert bloch.V[m] == pytest.approx(base.V[m], rel=1e-10)
        assert base.V[m] / uni.V[m] == pytest.approx(ratio, rel=1e-6)
    # the impurity current of the wall is a closed loop: no voltage between the ends
    assert abs(base.V["impurity"]) < 1e-10 * base.V["rashba"]


def test_impurity_current_of_a_wall_at_the_edge_matches_closed_form():
    """For precession about ŷ with polar angle θ(x), the DC local spin current is
    J[y, x] = −ħνJτD (2Jτ/ħ) Ω (3/2) ∂_x sin²θ; a^imp ε:J flows along ẑ, so with contacts on
    zmin/zmax I_sc = ∫ a^imp J[y, x] dx = −a^imp ħνJτD (2Jτ/ħ) Ω (3/2)[sech²u]₀^L.  A wall
    centred at x = 0 gives [sech²u]₀^L = sech²(L/w) − 1.  To 2e-3 (P2, 40 cells); odd in
    λ_so."""
    w = 40e-9
    dev = layered_box([L, 10e-9], [40, 2], layers=[("fm", 10e-9, 2)], axes="xz")

    def run(lam):
        tex = precessing_domain_wall(axis=(0, 1, 0), normal=(1, 0, 0), center=0.0, width=w,
                                     Omega=OMEGA)
        return TextureVoltage(dev, {"fm": ChargeRegion(gas=GAS, lambda_sf=30e-9, lambda_so=lam)},
                              tex, ground="zmin", probe="zmax", degree=2).solve()
    r1, r2 = run(1e-20), run(-1e-20)
    a = conv.impurity_coefficient(1e-20, GAS)
    jump = 1 / math.cosh(L / w) ** 2 - 1.0
    expected = -a * GAS.kappa_eq * GAS.tau * GAS.D * (2 * GAS.J * GAS.tau / units.hbar) \
        * OMEGA * 1.5 * jump
    assert r1.I["impurity"] == pytest.approx(expected, rel=2e-3)
    assert r2.I["impurity"] == pytest.approx(-r1.I["impurity"], rel=1e-10)


def test_bad_wall_input():
    with pytest.raises(ValueError, match="polarity must be \\+1 or -1"):
        precessing_domain_wall(polarity=0)
    with pytest.raises(ValueError, match="polarity"):
        precessing_domain_wall(polarity=2)
    with pytest.raises(ValueError, match="width"):
        precessing_domain_wall(width=0.0)
    with pytest.raises(ValueError, match="width"):
        precessing_domain_wall(width=2.0)
    with pytest.raises(ValueError, match="normal"):
        precessing_domain_wall(normal=(0, 0, 0))
    with pytest.raises(ValueError, match="omega"):
        precessing_domain_wall(Omega=0.0)
    with pytest.raises(ValueError, match="center"):
        precessing_domain_wall(center=float("nan"))
    with pytest.raises(ValueError, match="hi"):
        wall_source_integral(0.0, 1e-9, 1.0, 0.0)


@pytest.mark.mpi
def test_two_ranks_equal_serial():
    def obs(comm):
        r = strip(wall(), comm=comm)
        return np.array([r.V["diffusive"], r.V["rashba"], r.I["total"], r.conductance,
                         r.spin_balance[1, 1]])
    assert np.allclose(obs(MPI.COMM_WORLD), obs(MPI.COMM_SELF), rtol=1e-9, atol=0.0)
