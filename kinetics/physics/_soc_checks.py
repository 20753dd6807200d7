"""Input checks and the ε, Pauli tensors shared by the interface-SOC modules.

Shared by :mod:`kinetics.physics.interface_soc`, :mod:`kinetics.physics.interface_soc_loss`
and :mod:`kinetics.physics.interface_soc_exact`: every check raises ValueError naming the
offending argument.  The checks are those of :mod:`kinetics.validation` (no owner: the
argument names are those of the public functions).
"""

from __future__ import annotations

import numpy as np

from kinetics import validation

EPS = np.zeros((3, 3, 3))
EPS[0, 1, 2] = EPS[1, 2, 0] = EPS[2, 0, 1] = 1.0
EPS[0, 2, 1] = EPS[2, 1, 0] = EPS[1, 0, 2] = -1.0
PAULI = np.array([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]])


def positive(name, value, *, allow_zero=False, allow_inf=False) -> float:
    """``value`` as a float > 0 (>= 0 with ``allow_zero``; +inf with ``allow_inf``), at most
    :data:`kinetics.validation.DEFAULT_LIMIT` (:func:`kinetics.validation.positive`,
    :func:`~kinetics.validation.nonnegative`).

    Raises
    ------
    TypeError
        For a value that is not a number.
    kinetics.validation.ValidationError
        Naming ``name``, for values out of range.
    """
    if allow_zero:
        v = validation.number("", name, value)
        if allow_inf and v == np.inf:
            return v
        return validation.nonnegative("", name, v)
    return validation.positive("", name, value, allow_inf=allow_inf)


def finite(name, value) -> float:
    """``value`` as a finite float (:func:`kinetics.validation.finite`; raises naming
    ``name``)."""
    return validation.finite("", name, value)


def array3(name, value, shape) -> np.ndarray:
    """``value`` as a finite float array of ``shape`` (:func:`kinetics.validation.array`;
    ValidationError naming ``name``)."""
    return validation.array("", name, value, shape)


def unit(m) -> np.ndarray:
    """A unit 3-vector m (:func:`kinetics.validation.unit_vector`, tolerance 1e-6)."""
    return validation.unit_vector("", "m", m)


def cross_matrix(v):          # [v]_× μ = v × μ
    return np.einsum("abc,b->ac", EPS, v)


def sym_cross_matrix(v):      # (|v| μ)^a = |ε^{abc}| v^b μ^c, the ‖v×μ‖ of Eq. (53)
    return np.einsum("abc,b->ac", np.abs(EPS), v)
