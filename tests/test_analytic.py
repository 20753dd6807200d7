"""The closed forms agree with each other: exact 1D film model vs Chen 2013 and the SOT formula.

Pure numpy: these pin the conventions (G_i sign, polarization, normals) that the FEM tests
then check against.
"""

import numpy as np
import pytest

from kinetics import analytic as an

LAM, SIGMA = 1.5e-9, 2.4e6


def film(d, theta, Gr, Gi, m):
    return an.film_resistivity(d, SIGMA, LAM, theta, an.conductance_matrix(Gr, Gi, m=m))


@pytest.mark.parametrize("d_over_lambda", [1, 2, 5, 20])
@pytest.mark.parametrize("G", [(4e14, 0.0), (7e14, 5e13), (1e13, 3e14)])
def test_exact_film_reproduces_chen_smr(d_over_lambda, G):
    d, theta = d_over_lambda * LAM, 0.005
    long_y, _ = film(d, theta, *G, (0, 1, 0))
    long_x, _ = film(d, theta, *G, (1, 0, 0))
    _, trans_z = film(d, theta, *G, (0, 0, 1))
    _, trans_mz = film(d, theta, *G, (0, 0, -1))
    d0, d1, d2 = an.chen_smr(d, SIGMA, LAM, theta, *G)
    # Chen's formulas are O(theta^2); the exact 1D model differs at O(theta^4)
    assert long_y == pytest.approx(d0, rel=1e-3)
    assert long_x - long_y == pytest.approx(d1, rel=1e-3)
    assert (trans_z - trans_mz) / 2 == pytest.approx(d2, rel=1e-6)


def test_smr_is_quadratic_in_theta_and_vanishes_without_interface():
    d = 3 * LAM
    assert an.chen_smr(d, SIGMA, LAM, 0.1, 4e14)[1] == pytest.approx(
        4 * an.chen_smr(d, SIGMA, LAM, 0.05, 4e14)[1], rel=1e-12)
    long_x, _ = film(d, 0.1, 0.0, 0.0, (1, 0, 0))
    long_y, _ = film(d, 0.1, 0.0, 0.0, (0, 1, 0))
    assert long_x == long_y


@pytest.mark.parametrize("d_over_lambda", [0.5, 1, 3, 10])
def test_sot_efficiency_equals_absorbed_spin_current_of_exact_film(d_over_lambda):
    """ξ_DL + iξ_FL from the exact 1D solution (absorbed mixing current) vs the closed form."""
    d, theta, Gr, Gi, E = d_over_lambda * LAM, 0.1, 5e14, 1e14, 1e5
    m = np.array([0.0, 0.0, 1.0])
    G = an.conductance_matrix(Gr, Gi, m=m)
    c1, _ = an.film_coefficients(d, SIGMA, LAM, theta, E, G)
    absorbed = G @ c1                      # n·j_s at z = 0 (A/m^2)
    jc = SIGMA * E                         # along +x; n = -z
    sigma_hat = np.cross([1, 0, 0], [0, 0, -1])
    xi_dl = absorbed @ np.cross(m, np.cross(sigma_hat, m)) / jc
    xi_fl = absorbed @ np.cross(sigma_hat, m) / jc
    ref = an.sot_efficiency(d, SIGMA, LAM, theta, Gr, Gi)
    assert (xi_dl, xi_fl) == pytest.approx(ref, rel=1e-10)
    assert ref[0] > 0 and ref[1] > 0


def test_spin_hall_strip_closed_form_satisfies_boundary_condition():
    W, lam, theta, E = 10e-9, LAM, 0.1, 1e5
    y = np.array([-W / 2, W / 2])
    h = 1e-15
    mu_p, _ = an.spin_hall_strip(y + h, W, lam, theta, E)
    mu_m, _ = an.spin_hall_strip(y - h, W, lam, theta, E)
    dmu = (mu_p - mu_m) / (2 * h)
    # j_s[z, y] = -(σ/2) ∂_y μ_z + θ σ E = 0 at both edges
    assert np.allclose(dmu, 2 * theta * E, rtol=1e-6)
