"""Interface conductance between the fields of two domains (UFL only).

A thin interface between domain 1 and domain 2 carries, per unit area, the current

    j = G (u₁ − u₂),        j·n with n the unit normal pointing from side 1 to side 2
                            (out of region 1),

where u_i are the (possibly n-component) potentials or accumulations on the two sides and G
(n×n, symmetric positive semidefinite for a passive interface, units of conductance per area,
e.g. S/m² for a charge potential in volts) is the interface conductance matrix.  This is the
boundary condition of magnetoelectronic circuit theory (Brataas, Nazarov, Bauer, PRL 84, 2481
(2000)), whose F|N matrix couples charge and the spin accumulation along the magnetization
through G↑ ± G↓ and the transverse spin through the mixing conductance; for a scalar charge
potential, or one spin channel, it is the interface resistance 1/G of Valet & Fert, PRB 48, 7099
(1993), which the two-current model writes per channel.

Weak form.  Integrating −∇·(σ_i∇u_i) by parts in both regions, the flux −σ₁∇u₁·n out of
region 1 and −σ₂∇u₂·n into region 2 both equal j, so the interface adds to the bilinear form

    ∫_Γ G (u₁('+') − u₂('−)) · (v₁('+') − v₂('−')) dS,

with u₁, v₁ on side '+' and u₂, v₂ on side '−'.  The measure must put the cell of domain 1 on
'+' (:meth:`kinetics.models.regions.RegionFields.dS` does; plain facet tags do not, and the
result is then wrong without an error).  The sign of j follows n: with the sides swapped, j is
the current from 2 to 1.

This module builds UFL expressions only; compilation (with the padded entity maps) and assembly
are :mod:`kinetics.models.regions` and :mod:`kinetics.solvers.system`.
"""

from __future__ import annotations

import numpy as np
import ufl

from kinetics import validation

__all__ = ["conductance_matrix", "interface_current", "interface_conductance",
           "interface_conductance_blocks"]


def conductance_matrix(G, n: int):
    """G as a UFL operand for an n-component field (n = 0: scalar field).

    Parameters
    ----------
    G:
        A number or UFL scalar (n = 0 or 1, or isotropic G·I for n > 1), an (n, n) numpy
        array, or an (n, n) UFL expression / ``dolfinx.fem.Constant``.

    Raises
    ------
    kinetics.validation.ValidationError
        (a ValueError) If G is not a finite number or array, or its shape does not match n.
    """
    if isinstance(G, ufl.core.expr.Expr):
        shape = G.ufl_shape
    else:
        G = validation.array("conductance_matrix", "G", G,
                             what="a finite conductance (number or (n, n) array)")
        shape = G.shape
    if shape == ():
        return G if isinstance(G, ufl.core.expr.Expr) else float(G)
    if n == 0 or shape != (n, n):
        raise ValueError(f"conductance matrix of shape {shape} for a field with "
                         f"{n or 'scalar'} component(s): expected {(n, n) if n else '()'}")
    return G if isinstance(G, ufl.core.expr.Expr) else ufl.as_matrix(G.tolist())


def _n(u) -> int:
    shape = u.ufl_shape
    if len(shape) > 1:
        raise ValueError(f"fields must be scalar or vector, got shape {shape}")
    return shape[0] if shape else 0


def _times(G, w, n):
    """G w: matrix-vector product, or a scalar times w."""
    scalar = (np.ndim(G) == 0) if not isinstance(G, ufl.core.expr.Expr) else G.ufl_shape == ()
    return G * w if scalar else ufl.dot(G, w)


def interface_current(u1, u2, G):
    """j = G (u₁('+') − u₂('−')): the current per area from side 1 ('+') to side 2 ('−').

    Shapes: u1, u2 scalar or (n,); G as in :func:`conductance_matrix`.  Returns a UFL
    expression of the shape of u1 (evaluate it on an interior-facet measure).
    """
    n = _n(u1)
    if _n(u2) != n:
        raise ValueError(f"fields of shapes {u1.ufl_shape} and {u2.ufl_shape} on the two sides")
    return _times(conductance_matrix(G, n), u1("+") - u2("-"), n)


def interface_conductance_blocks(u1, u2, v1, v2, G, dS):
    """The interface term as a 2×2 block list ``[[a11, a12], [a21, a22]]``.

    ``a_ij`` has test function v_i and trial function u_j (u1, v1 of domain 1 on '+', u2, v2
    of domain 2 on '−'); their sum is :func:`interface_conductance`.  ``dS`` must order the
    sides (domain 1 on '+').
    """
    n = _n(u1)
    Gm = conductance_matrix(G, n)

    def term(u, su, v, sv, sign):
        return sign * ufl.inner(_times(Gm, u(su), n), v(sv)) * dS

    return [[term(u1, "+", v1, "+", 1.0), term(u2, "-", v1, "+", -1.0)],
            [term(u1, "+", v2, "-", -1.0), term(u2, "-", v2, "-", 1.0)]]


def interface_conductance(u1, u2, v1, v2, G, dS):
    """∫ G (u₁('+') − u₂('−')) · (v₁('+') − v₂('−')) dS as one UFL form.

    Parameters
    ----------
    u1, v1:
        Trial (or coefficient, for a residual) and test function of domain 1, side '+'.
    u2, v2:
        The same for domain 2, side '−'.  Scalar or shape (n,), both sides alike.
    G:
        Conductance per area: scalar, or (n, n) (:func:`conductance_matrix`).
    dS:
        The interior-facet measure of the interface with domain 1 on '+'.

    Raises
    ------
    ValueError
        For mismatched shapes of u1, u2 or G.
    """
    j = interface_current(u1, u2, G)
    return ufl.inner(j, v1("+") - v2("-")) * dS
