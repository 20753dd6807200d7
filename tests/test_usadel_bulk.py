"""Closed-form bulk references of kinetics.usadel.bulk against the uniform solution of the
4×4 equation [X̌(ǧ), ǧ] = 0 (matrix sign function, fixed point for the self-energies)."""

import numpy as np
import pytest

from kinetics.usadel import bulk, riccati

ETA = 1e-3
EPS = np.array([-1.6, -0.7, 0.0, 0.35, 0.8, 0.97, 1.03, 1.5, 3.0])


def test_bcs_dos_closed_form_and_branch():
    """N(ε) = Re[z/√(z² − Δ²)]: even in ε, ≈ η/Δ at ε = 0, → |ε|/√(ε² − Δ²) outside."""
    n = bulk.bcs_dos(EPS, 1.0, ETA)
    assert np.allclose(n, bulk.bcs_dos(-EPS, 1.0, ETA), rtol=0, atol=1e-14)
    assert abs(bulk.bcs_dos(0.0, 1.0, ETA) - ETA) < 1e-9
    assert abs(bulk.bcs_dos(3.0, 1.0, 1e-9) - 3 / np.sqrt(8)) < 1e-8
    gam, gam_t = bulk.bcs_riccati(EPS, 1.0, ETA, phase=1.1)
    assert np.abs(riccati.dos(gam, gam_t) - n).max() < 1e-12
    # the retarded uniform solution sgn(X̌) is the same pair
    g2, gt2 = bulk.bulk_riccati(EPS, 1.0, ETA, phase=1.1)
    assert np.abs(g2 - gam).max() < 1e-12 and np.abs(gt2 - gam_t).max() < 1e-12
    r, rt = riccati.riccati_source(gam, gam_t, riccati.energy_matrix(EPS, ETA, np.exp(1.1j)))
    assert np.abs(r).max() < 1e-12 and np.abs(rt).max() < 1e-12


@pytest.mark.parametrize("h", [(0.0, 0.0, 0.3), (0.12, -0.2, 0.15)])
def test_zeeman_split_dos(h):
    """sgn(X̌) with M̌ = diag(h·σ, h·σ*): N_± along h equal N_BCS(ε ± |h|)."""
    h = np.array(h)
    hn = np.linalg.norm(h)
    gam, gam_t = bulk.bulk_riccati(EPS, 1.0, ETA, 0.0, h)
    up, down = riccati.spin_dos(gam, gam_t, h)
    assert np.abs(up - bulk.bcs_dos(EPS + hn, 1.0, ETA)).max() < 1e-11
    assert np.abs(down - bulk.bcs_dos(EPS - hn, 1.0, ETA)).max() < 1e-11
    assert np.abs(riccati.dos(gam, gam_t) - bulk.zeeman_dos(EPS, 1.0, hn, ETA)).max() < 1e-11
    assert np.abs(up - down).max() > 0.5            # really split


def _fixed_point(eps, tau_sf=np.inf, tau_so=np.inf, h=(0, 0, 0)):
    X0 = riccati.energy_matrix(eps, ETA, 1.0, h)
    g = bulk.sign_gf(X0)
    for _ in range(2000):
        new = bulk.sign_gf(X0 + riccati.self_energy(g, tau_sf, tau_so))
        if np.abs(new - g).max() < 1e-14:
            return new
        g = 0.5 * (g + new)
    raise AssertionError("no convergence")


@pytest.mark.parametrize("zeta", [0.2, 0.6])
def test_abrikosov_gorkov(zeta):
    """Σ̌_sf = (i/8τ_sf)α̂·ǧα̂ reproduces the AG DOS with ζ = 3/(4τ_sfΔ), with or without
    spin–orbit scattering (which leaves singlet bulk states alone)."""
    tau = 3 / (4 * zeta)
    assert abs(bulk.zeta_from_tau_sf(tau) - zeta) < 1e-15
    ref = bulk.ag_dos(EPS, zeta, 1.0, ETA)
    for tau_so in (np.inf, 0.4):
        got = np.array([riccati.dos(*riccati.riccati_from_gf(_fixed_point(e, tau, tau_so)))
                        for e in EPS])
        assert np.abs(got - ref).max() < 1e-10
    gam, gam_t = bulk.ag_riccati(EPS, zeta, 1.0, ETA)
    assert np.abs(riccati.dos(gam, gam_t) - ref).max() < 1e-12


def test_spin_orbit_alone_leaves_bcs():
    for e in (0.3, 1.2):
        g = _fixed_point(e, tau_so=0.2)
        assert np.abs(g - bulk.sign_gf(riccati.energy_matrix(e, ETA, 1.0))).max() < 1e-12


@pytest.mark.parametrize("zeta", [0.1, 0.3, 0.6])
def test_abrikosov_gorkov_spectral_gap(zeta):
    """E_g = Δ(1 − ζ^{2/3})^{3/2}: DOS ~ η below, a finite DOS just above."""
    eg = bulk.ag_gap(zeta)
    below = bulk.ag_dos(np.array([0.0, eg - 2e-3]), zeta, 1.0, 1e-8)
    above = bulk.ag_dos(np.array([eg + 2e-3]), zeta, 1.0, 1e-8)
    assert below.max() < 1e-5 and above.min() > 0.05
    assert bulk.ag_gap(1.2) == 0.0


@pytest.mark.parametrize("call", [
    lambda: bulk.bcs_dos(0.5, 1.0, 0.0),
    lambda: bulk.bcs_dos(0.5, 1.0, -1e-3),
    lambda: bulk.bcs_dos(np.nan, 1.0, 1e-3),
    lambda: bulk.bcs_dos(0.5, -1.0, 1e-3),
    lambda: bulk.bcs_dos(0.5, 1.0, np.inf),
    lambda: bulk.zeeman_dos(0.5, 1.0, -0.1),
    lambda: bulk.ag_dos(0.5, -0.1),
    lambda: bulk.bcs_riccati(0.5, 1.0, 1e-3, phase=np.nan),
    lambda: bulk.bulk_riccati(0.5, 1.0, 1e-3, h=(0, np.inf, 0)),
    lambda: bulk.zeta_from_tau_sf(0.0),
])
def test_bad_inputs_raise_value_error(call):
    with pytest.raises(ValueError):
        call()
