"""The F|N interface of magnetoelectronic circuit theory as a UFL interface term (UFL only).

Brataas, Nazarov & Bauer, PRL 84, 2481 (2000) and Eur. Phys. J. B 22, 99 (2001); Brataas,
Bauer & Kelly, Phys. Rep. 427, 157 (2006).  Units and conventions as in
:mod:`kinetics.physics.ferromagnet`: V and μ_s = (μ↑ − μ↓)/e in volts, μ↑,↓ = V ± μ_s/2;
spin currents in charge-current units, J = j↑ − j↓ along m; conductances per area in
Ω⁻¹m⁻²; m the unit magnetization of the ferromagnet F.

Jumps and normal.  ΔV = V_F − V_N, Δμ = μ_F − μ_N (each field taken on its own side of the
facet); n points from F to N; (j_c, J) below are the currents per area flowing from F into N.

*Collinear part* (two-current picture).  Each spin channel σ = ±1 crosses the interface with
the conductance G_σ: j_σ = G_σ Δμ_σ = G_σ(ΔV + σ m·Δμ/2), hence

    n·j_c = j↑ + j↓ = (G↑ + G↓) ΔV + ½(G↑ − G↓) m·Δμ,
    J_∥   = j↑ − j↓ = (G↑ − G↓) ΔV + ½(G↑ + G↓) m·Δμ      (spin along m).

Valet & Fert, PRB 48, 7099 (1993) write the interface resistances per channel
r↑,↓ = 2r_b*(1 ∓ γ) (the bulk analogue of ρ↑,↓ = 2ρ*(1 ∓ β)), so G↑,↓ = 1/(2r_b*(1 ∓ γ)),
the series resistance of the two channels in parallel is r_b*(1 − γ²) and γ > 0 favours
spin up, as β > 0 does (:class:`kinetics.fn_materials.FNInterface`).

*Transverse part* (mixing conductance G↑↓ = G_r + iG_i).  Written as the HM|FI condition of
:class:`kinetics.physics.boundaries.MagneticInterface` (Chen et al., PRB 87, 144411 (2013)
Eq. 7 signs), which gives the spin current flowing out of the normal metal into the magnet,
n_N·j_s = G_r μ_N⊥ − G_i m×μ_N, applied to the jump of the accumulation:

    J_⊥ = G_r (Δμ − (m·Δμ) m) − G_i m×Δμ              (F → N),

i.e. J_N→F = G_r(μ_N − μ_F)⊥ − G_i m×(μ_N − μ_F).  Which side's μ enters: circuit theory
takes the transverse accumulation of the ferromagnetic node as zero (it is destroyed within
the exchange length of the interface), and the mixing current is driven by the normal
metal's μ_N alone.  The bulk ferromagnet of this package keeps a transverse accumulation,
which decays over λ_J, λ_φ (:mod:`kinetics.physics.ferromagnet`); the mixing term acts on
the jump so that the spin current leaving N is the one entering F (no spin is lost at the
interface: the torque on m is exerted where the bulk relaxes it), the G_r part is a positive
semidefinite conductance and the G_i part is odd in m.  Onsager–Casimir, with the spin odd
under time reversal and the spin rows weighted by ½ as in the bulk:
E(W𝐆(m))ᵀE = W𝐆(−m), W = diag(1, ½, ½, ½), E = diag(1, −1, −1, −1) (tested).  With no
transverse accumulation on the F side (μ_F⊥ = 0, the circuit-theory limit, reached for
λ_J, λ_φ → 0) it is the HM|FI condition exactly (tests/test_fn_interface.py).  With
G↑ = G↓ = G_r = G, G_i = 0 the interface is spin-isotropic: the 4×4 matrix is diag(2G, G, G, G).

*Spin memory loss* (Bass & Pratt, J. Phys.: Condens. Matter 19, 183201 (2007) Sec. 6.5:
the interface as a thin layer of resistance-area r_b* = 1/(2G_s), G_s = 2G↑G↓/(G↑ + G↓),
with spin flip over δ of its spin diffusion lengths).  Solving the two-current equations of
such a layer (μ'' = μ/l², J = γ j_c − G_s t μ', Valet & Fert 1993 Eqs. with β → γ) from its
F end to its N end gives the charge row above unchanged and the longitudinal spin currents
at its two ends

    J_F = γ j_c + G_s (δ coth δ μ_F − δ csch δ μ_N),
    J_N = γ j_c + G_s (δ csch δ μ_F − δ coth δ μ_N)        (μ = m·μ, along m),

which for δ → 0 are the J_∥ above.  Written as the jump current J' (the J_∥ above with its
Δμ conductance reduced by G_loss = G_s(1 − δ/sinh δ)) plus a sink on each side,
J_F = J' + G_sink μ_F, J_N = J' − G_sink μ_N, G_sink = G_s δ tanh(δ/2): the interface
absorbs G_sink(μ_F + μ_N) of longitudinal spin current.  The transverse (mixing) part is
left as given: Bass & Pratt's δ comes from collinear CPP-MR, and G_r, G_i are already
effective values of the interface.

The 4×4 conductance matrix on (ΔV, Δμ_x, Δμ_y, Δμ_z) (:func:`conductance_matrix`):

    𝐆 = [[G↑ + G↓,       ½(G↑ − G↓) mᵀ                                ],
         [(G↑ − G↓) m,   ½(G↑ + G↓) m mᵀ + G_r (I − m mᵀ) − G_i [m]_×  ]],   [m]_× μ = m × μ.

Weak form.  As :mod:`kinetics.physics.interfaces` (the bulk forms are integrated by parts
with the full currents, n·j the outflow): the interface adds

    ∫_Γ j_c (v_F − v_N) + J·(w_F − w_N) dS

with (v, w) the test functions of (V, μ_s) on each side.  𝐆 is not symmetric (the charge–spin
blocks differ by the factor ½ of the spin weighting, as in the bulk form, and G_i is
antisymmetric), so the term is written here directly rather than through
:func:`kinetics.physics.interfaces.conductance_matrix`.  All conductances in internal units
(Ĝ = G L/σ0, :class:`kinetics.models.base.Scaling`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import ufl

__all__ = ["FNCoefficients", "charge_current", "spin_current", "spin_current_at",
           "conductance_matrix",
           "conductance_matrix_numpy", "interface_blocks"]


@dataclasses.dataclass
class FNCoefficients:
    """Coefficients of one F|N interface in internal units (UFL constants).

    Attributes
    ----------
    G_up, G_down:
        Ĝ↑, Ĝ↓ = G↑,↓ L/σ0 (positive).
    G_r, G_i:
        Real and imaginary parts of the mixing conductance, scaled alike.
    m:
        Unit magnetization of the F side, a ``dolfinx.fem.Constant`` of shape (3,) (the bulk
        coefficient of the F region, so that switching it switches both).
    G_loss, G_sink:
        The spin-memory-loss conductances (module docstring), scaled alike, or None when
        the interface has no spin memory loss.
    """

    G_up: Any
    G_down: Any
    G_r: Any
    G_i: Any
    m: Any
    G_loss: Any = None
    G_sink: Any = None


def charge_current(dV, dmu, c: FNCoefficients):
    """n·j_c = (G↑ + G↓)ΔV + ½(G↑ − G↓) m·Δμ, scalar, F → N (module docstring; Brataas,
    Nazarov & Bauer, Eur. Phys. J. B 22, 99 (2001), collinear part).  ``dV`` scalar,
    ``dmu`` shape (3,)."""
    return (c.G_up + c.G_down) * dV + 0.5 * (c.G_up - c.G_down) * ufl.dot(c.m, dmu)


def spin_current(dV, dmu, c: FNCoefficients):
    """n·J', shape (3,), F → N (module docstring):

        [(G↑ − G↓)ΔV + (½(G↑ + G↓) − G_loss) m·Δμ] m + G_r(Δμ − (m·Δμ)m) − G_i m×Δμ

    (Brataas, Nazarov & Bauer 2000, 2001; transverse signs of
    :class:`kinetics.physics.boundaries.MagneticInterface`; G_loss of the spin memory loss,
    Bass & Pratt 2007).  Without spin memory loss the spin current through the interface;
    with it the current at the F end is J' + G_sink (m·μ_F) m and at the N end
    J' − G_sink (m·μ_N) m (:func:`spin_current_at`)."""
    m = c.m
    m_dmu = ufl.dot(m, dmu)
    G_par = 0.5 * (c.G_up + c.G_down) if c.G_loss is None else \
        0.5 * (c.G_up + c.G_down) - c.G_loss
    return ((c.G_up - c.G_down) * dV + G_par * m_dmu) * m \
        + c.G_r * (dmu - m_dmu * m) - c.G_i * ufl.cross(m, dmu)


def spin_current_at(dV, dmu, mu_side, c: FNCoefficients, side: str):
    """n·J, shape (3,), F → N, at the F end (``side`` "F", ``mu_side`` = μ_F) or the N end
    (``side`` "N", ``mu_side`` = μ_N) of the interface: J' ± G_sink (m·μ) m (module
    docstring; equal to :func:`spin_current` without spin memory loss).

    Raises
    ------
    ValueError
        For a side other than "F", "N"."""
    if side not in ("F", "N"):
        raise ValueError(f"side must be 'F' or 'N', got {side!r}")
    J = spin_current(dV, dmu, c)
    if c.G_sink is None:
        return J
    sign = 1.0 if side == "F" else -1.0
    return J + sign * c.G_sink * ufl.dot(c.m, mu_side) * c.m


def conductance_matrix(c: FNCoefficients):
    """𝐆 (4×4 UFL matrix) with (n·j_c, n·J') = 𝐆 (ΔV, Δμ) (module docstring; the sink of
    the spin memory loss is not a jump term and not in it)."""
    e = [ufl.as_vector([1.0 if i == k else 0.0 for i in range(3)]) for k in range(3)]
    zero = ufl.as_vector([0.0, 0.0, 0.0])
    cols = [(1.0, zero)] + [(0.0, ek) for ek in e]
    rows = [[charge_current(dV, dmu, c) for dV, dmu in cols]]
    for a in range(3):
        rows.append([spin_current(dV, dmu, c)[a] for dV, dmu in cols])
    return ufl.as_matrix(rows)


def conductance_matrix_numpy(G_up: float, G_down: float, G_r: float, G_i: float,
                             m) -> np.ndarray:
    """𝐆 as a numpy (4, 4) array (SI, Ω⁻¹m⁻²) for a uniform unit m (module docstring;
    without spin memory loss)."""
    m = np.asarray(m, dtype=float)
    cross = np.array([[0, -m[2], m[1]], [m[2], 0, -m[0]], [-m[1], m[0], 0]])
    G = np.zeros((4, 4))
    G[0, 0] = G_up + G_down
    G[0, 1:] = 0.5 * (G_up - G_down) * m
    G[1:, 0] = (G_up - G_down) * m
    G[1:, 1:] = 0.5 * (G_up + G_down) * np.outer(m, m) \
        + G_r * (np.eye(3) - np.outer(m, m)) - G_i * cross
    return G


def interface_blocks(F, N, test_F, test_N, c: FNCoefficients, dS, f_side: str = "+"):
    """The interface term ∫ j_c (v_F − v_N) + J_F·w_F − J_N·w_N dS as a 2×2 block list
    (J_F = J_N = J' without spin memory loss; with it the sinks G_sink (m·μ)(m·w) of each
    side are in the diagonal blocks).

    Parameters
    ----------
    F, N:
        ``(V, μ)`` trial fields (or coefficients) of the F and N sides (scalar, shape (3,)).
    test_F, test_N:
        ``(v, w)`` test functions of the two sides.
    c:
        The :class:`FNCoefficients`.
    dS:
        Interior-facet measure of the interface with ordered sides
        (:meth:`kinetics.models.regions.RegionFields.dS`).
    f_side:
        ``"+"`` or ``"-"``: the side of ``dS`` on which the F fields live (N on the other).

    Returns
    -------
    list
        ``[[a_FF, a_FN], [a_NF, a_NN]]``, ``a_ij`` with the test function of side i and the
        trial field of side j; by linearity of (j_c, J) in the jumps, a_FN and a_NF carry
        the minus signs of ΔV = V_F − V_N and of (v_F − v_N).

    Raises
    ------
    ValueError
        For an ``f_side`` other than ``"+"``, ``"-"``.
    """
    if f_side not in ("+", "-"):
        raise ValueError(f"f_side must be '+' or '-', got {f_side!r}")
    n_side = "-" if f_side == "+" else "+"

    def term(trial, s_trial, test, s_test, sign):
        V, mu = trial
        v, w = test
        jc = charge_current(V(s_trial), mu(s_trial), c)
        J = spin_current(V(s_trial), mu(s_trial), c)
        return sign * (jc * v(s_test) + ufl.inner(J, w(s_test))) * dS

    def sink(trial, test, s):
        return c.G_sink * ufl.dot(c.m, trial[1](s)) * ufl.dot(c.m, test[1](s)) * dS

    blocks = [[term(F, f_side, test_F, f_side, 1.0), term(N, n_side, test_F, f_side, -1.0)],
              [term(F, f_side, test_N, n_side, -1.0), term(N, n_side, test_N, n_side, 1.0)]]
    if c.G_sink is not None:
        blocks[0][0] = blocks[0][0] + sink(F, test_F, f_side)
        blocks[1][1] = blocks[1][1] + sink(N, test_N, n_side)
    return blocks
