"""Input checks and the ε, Pauli tensors shared by the interface-SOC modules.

Shared by :mod:`kinetics.physics.interface_soc`, :mod:`kinetics.physics.interface_soc_loss`
and :mod:`kinetics.physics.interface_soc_exact`: every check raises ValueError naming the
offending argument.
"""

from __future__ import annotations

import numpy as np

EPS = np.zeros((3, 3, 3))
EPS[0, 1, 2] = EPS[1, 2, 0] = EPS[2, 0, 1] = 1.0
EPS[0, 2, 1] = EPS[2, 1, 0] = EPS[1, 0, 2] = -1.0
PAULI = np.array([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]])


def positive(name, value, *, allow_zero=False, allow_inf=False):
    v = float(value)
    if np.isnan(v) or (np.isinf(v) and not allow_inf) or (v < 0 if allow_zero else v <= 0):
        raise ValueError(f"{name} must be finite and {'>=' if allow_zero else '>'} 0, "
                         f"got {value!r}")
    return v


def finite(name, value):
    if not np.isfinite(v := float(value)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return v


def array3(name, value, shape):
    a = np.asarray(value, dtype=float)
    if a.shape != shape or not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be a finite array of shape {shape}, got {a.shape}")
    return a


def unit(m):
    if abs(np.linalg.norm(m := array3("m", m, (3,))) - 1.0) > 1e-6:
        raise ValueError(f"m must be a unit vector, got |m| = {np.linalg.norm(m):.6g}")
    return m


def cross_matrix(v):          # [v]_× μ = v × μ
    return np.einsum("abc,b->ac", EPS, v)


def sym_cross_matrix(v):      # (|v| μ)^a = |ε^{abc}| v^b μ^c, the ‖v×μ‖ of Eq. (53)
    return np.einsum("abc,b->ac", np.abs(EPS), v)
