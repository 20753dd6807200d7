"""Spin-to-charge conversion in the seed-002 model: Rashba and impurity spin-orbit coupling.

Seed 002 §III (Takeuchi, Hosono & Tatara, PRB 81, 144405 (2010); the seed text has no
title, the identification is ours: docs/references.md).  Both charge currents have the form
local current + diffusion of a charge density:

Rashba SOC, uniform E_so (Eqs. 24-26):

    j_c = a^R × T^(dy) − D∇ρ_c,     a^R = −2eτE_so/ħ²,     T^(dy) = (2νJ²τ/V) S×Ṡ
    ρ_c = (2νJ²τ²/V) a^R·⟨∇×(S×Ṡ)⟩

Impurity SOC (Eqs. 30-31; the paper quotes (30) from its Ref. 28):

    j_c,i = a^imp ε_ijα j_sj^(local)α − D∇_iρ_c,     a^imp = 2eλ_so k_F²/(ε_F τ)
    j_s^(local)α = (ħνJτD/V)(∇Ṡ^α − (2Jτ/ħ){∇[S×Ṡ]^α + [S×∇Ṡ]^α})

Charge conservation (B6), ρ̇_c + ∇·j_c = 0.  We do not evaluate the ρ_c formulas.  Instead we
solve the continuity equation with the local current F as a flux source:

    τ(∂_t − D∇²) ρ_c = −τ ∇·F     ⇔     ρ_c = ⟨−τ∇·F⟩

In the weak form F only needs first derivatives of S.  Its natural boundary condition is
n·j_c = 0, an insulating wall.  (B6) then holds by construction on any bounded domain.  In
an infinite or periodic medium, −∇·(a^R×T) = a^R·∇×T and
−∇·(a^imp ε:j^local) = (2νJ²τ²D a^imp/V) ε_ijα[∂_iS×∂_jṠ]^α (from Eqs. 24-27 and 30-31
with ∇·(E×M) = −E·∇×M and ε_ijα∂_i[S×∂_jṠ]^α = ε_ijα[∂_iS×∂_jṠ]^α), so this ρ_c is the
paper's (26)/(31).  Near walls the two differ: ∇ does not commute with ⟨·⟩ there
(docs/pumping.md §2).  The flux form is the charge-conserving one.  The paper's E = 0 is
kept: no σE term and no Poisson equation (docs/pumping.md, Limitations).

Index conventions: the spin current J[a, i] has spin polarization a and flow direction i, as
in the rest of kinetics.  The paper's j_{sj}^α is J[α, j].  Here (ε:J)_i = ε_ijα J[α, j], i.e.
flow × spin: a current flowing along n̂ with spin σ̂ gives n̂ × σ̂.  The drift-diffusion core
writes j_c = θ_SH (σ̂ × n̂)|J| (kinetics.physics.spin_charge).  a^imp therefore plays the role
of −θ_SH (in units 1/(charge-current units)).
"""

from __future__ import annotations

import numpy as np

from kinetics import units, validation

__all__ = ["rashba_coefficient", "impurity_coefficient", "flow_cross_spin",
           "rashba_local_current", "impurity_local_current", "E_SO_LIMIT", "LAMBDA_SO_LIMIT"]

#: bound on |E_so| entries (J·m): ten orders of magnitude above the Rashba coefficients of
#: real interfaces (~1e-30 J·m)
E_SO_LIMIT = 1e-20
#: bound on |λ_so| (m²): far above the squared lattice constant (~1e-20 m²)
LAMBDA_SO_LIMIT = 1e-10


def rashba_coefficient(E_so, tau: float) -> np.ndarray:
    """a^R = −2eτE_so/ħ² (seed 002 Eq. 25), C·m/(J·s), shape (3,).

    Parameters
    ----------
    E_so:
        Rashba vector E_so of H_so = −Σ_k E_so·(k × σ) (seed 002 Eq. 21), J·m, shape (3,).
    tau:
        Elastic lifetime, s.

    Raises
    ------
    kinetics.validation.ValidationError
        If E_so is not a finite 3-vector (|entries| <= 1e-20 J·m; physical values are
        ~1e-30 J·m, i.e. ~1e-11 eV·m) or τ is not positive and finite (TypeError for a τ
        that is not a number).
    """
    E = validation.vector3("rashba_coefficient", "E_so", E_so, limit=E_SO_LIMIT)
    tau = validation.positive("rashba_coefficient", "tau", tau, kind="a number (seconds)")
    return -2 * units.e * tau * E / units.hbar ** 2


def impurity_coefficient(lambda_so: float, gas) -> float:
    """a^imp = 2eλ_so k_F²/(ε_F τ) (seed 002 Eq. 30), C/(J·s).

    Parameters
    ----------
    lambda_so:
        Impurity SOC strength λ_so of seed 002 Eq. (28), m².
    gas:
        A :class:`kinetics.models.texture.ElectronGas` (k_F, ε_F, τ).

    Raises
    ------
    TypeError
        For a λ_so that is not a number.
    kinetics.validation.ValidationError
        For a λ_so that is not finite or exceeds 1e-10 m² in magnitude (physical values are
        of order a², a ~ 1e-10 m, or smaller).
    """
    lam = validation.finite("impurity_coefficient", "lambda_so", lambda_so,
                            kind="a number (m^2)", limit=LAMBDA_SO_LIMIT)
    return 2 * units.e * lam * gas.k_F ** 2 / (gas.eps_F * gas.tau)


def flow_cross_spin(J):
    """(ε:J)_i = ε_ijα J[α, j] for a UFL spin current J (spin a, flow i), shape (3,)."""
    import ufl
    eps = ufl.PermutationSymbol(3)
    i, j, a = ufl.indices(3)
    return ufl.as_vector(eps[i, j, a] * J[a, j], i)


def rashba_local_current(a_R, T_dy):
    """Local Rashba charge current a^R × T^(dy) (seed 002 Eq. 25), A/m², UFL (3,).

    a_R: shape (3,) numpy (C·m/(J·s)); T_dy: UFL 3-vector (J/m³)."""
    import ufl
    return ufl.cross(ufl.as_vector([float(c) for c in a_R]), T_dy)


def impurity_local_current(a_imp: float, J_local):
    """Local impurity-SOC charge current a^imp ε:j_s^(local) (seed 002 Eq. 30), A/m², UFL (3,)."""
    return a_imp * flow_cross_spin(J_local)
