"""Onsager–Casimir reciprocity of a multi-terminal device with F|N junctions (issue 12): the
conductance matrix G_ij = ∂I_i/∂V_j of the four contacts of a Py/Cu nonlocal spin valve
(x-z section) obeys G_ij(m) = G_ji(−m) when every magnetization is reversed.

The device is made non-reciprocal on purpose, so that the test can fail: the electrodes
have an anomalous Hall angle (θ_AH = 0.05, m in the plane of the section along y, so
m×E lies in the section), non-collinear magnetizations (F1 along y, F2 along x) and
junctions with an imaginary mixing conductance G_i; then G_ij(m) ≠ G_ji(m) by far more than
the tolerance, and an F|N term with a wrong sign of G_i or of the charge–spin coupling
breaks the relation.  Contacts are spin reservoirs, so their charge currents are the whole
response.  Measured: |G(m) − G(−m)ᵀ| = 1.6e-14 of max|G|, |G(m) − G(m)ᵀ| = 1.0e-3 of it; with
the factor ½ of the F|N charge row's spin term changed to 1 the test fails.
"""

import numpy as np
import pytest

import kinetics
from kinetics.fn_materials import FNInterface
from kinetics.geometry import nonlocal_spin_valve
from kinetics.models.circuit import CircuitProblem, FNJunction, contact_current
from kinetics.physics.boundaries import Contact

CONTACTS = ("fm1_top", "fm2_top", "contact_left", "contact_right")
CU = kinetics.materials.get("Cu").with_(theta_sh=0.0)
PY = kinetics.materials.get("Py").with_(theta_ah=0.05)
ITF = FNInterface.from_valet_fert("Py|Cu", 0.5e-15, 0.7, G_r=5e14, G_i=3e14)


def conductance_matrix(dev, s: float) -> np.ndarray:
    """G[i, j] = I_i (A/m, into the device) for V_j = 1 V and the other contacts at 0, with
    every magnetization multiplied by s."""
    m1, m2 = s * np.array([0.0, 1.0, 0.0]), s * np.array([1.0, 0.0, 0.0])
    G = np.zeros((4, 4))
    for j, driven in enumerate(CONTACTS):
        problem = CircuitProblem(
            dev, {"channel": CU, "fm1": PY.with_(m=m1), "fm2": PY.with_(m=m2)},
            [Contact(c, V=1.0 if c == driven else 0.0) for c in CONTACTS],
            [FNJunction("channel|fm1", ITF), FNJunction("channel|fm2", ITF)])
        sol = problem.solve()
        G[:, j] = [contact_current(sol, c) for c in CONTACTS]
    return G


def test_conductance_matrix_obeys_onsager_casimir():
    dev = nonlocal_spin_valve(1.2e-6, 1e-6, 20e-9, fm_widths=(60e-9, 60e-9), gap=150e-9,
                              fm_thickness=20e-9, dim=2, h=5e-9)
    Gp, Gm = conductance_matrix(dev, 1.0), conductance_matrix(dev, -1.0)
    scale = np.max(np.abs(Gp))
    # current conservation and no current without bias: rows and columns sum to zero
    assert np.abs(Gp.sum(axis=0)).max() < 1e-9 * scale
    assert np.abs(Gp.sum(axis=1)).max() < 1e-9 * scale
    # reciprocity with reversed magnetizations, and its breaking at fixed m
    assert np.abs(Gp - Gm.T).max() < 1e-9 * scale
    asym = np.abs(Gp - Gp.T).max()
    assert asym > 1e-4 * scale
