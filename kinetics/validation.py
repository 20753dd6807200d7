"""Input validators shared by the materials, boundary conditions, models and case files.

Every validator takes the ``owner`` (the object the value belongs to, e.g.
``"material 'Pt'"``; may be empty) and the parameter ``name``, returns the value converted
(float, int or a float array of shape (3,)) and raises an error naming owner, parameter and
the valid range::

    material 'X': sigma must be positive and finite, got -1

Numbers that are not numbers at all raise :class:`TypeError`; numbers out of range raise
:class:`ValidationError`, a :class:`ValueError` that also carries the parts of its message
(so that :mod:`kinetics.case` can say the same thing next to a file, line and key).
Only numpy is imported.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["ValidationError", "UNIT_TOLERANCE", "number", "finite", "positive", "integer",
           "vector3", "unit_vector", "direction"]

#: allowed deviation of |m| from 1 for a direction given as a unit vector
UNIT_TOLERANCE = 1e-6


class ValidationError(ValueError):
    """A value outside its valid range.

    ``str(error)`` is ``"{owner}: {name} must be {requirement}, got {actual}[; {hint}]"``.

    Attributes
    ----------
    owner, name:
        What the value belongs to and the parameter name.
    requirement:
        The valid range in words (``"positive and finite"``, ``"a unit vector"``, ...).
    actual:
        The offending value as text.
    hint:
        How to fix it (may be empty).
    """

    def __init__(self, owner: str, name: str, requirement: str, actual: str, hint: str = ""):
        self.owner, self.name = owner, name
        self.requirement, self.actual, self.hint = requirement, actual, hint
        prefix = f"{owner}: " if owner else ""
        super().__init__(f"{prefix}{name} {self.brief()}")

    def brief(self) -> str:
        """The message without owner and name: ``"must be ..., got ...[; hint]"``."""
        return f"must be {self.requirement}, got {self.actual}" + (f"; {self.hint}" if self.hint
                                                                    else "")


def _prefix(owner: str) -> str:
    return f"{owner}: " if owner else ""


def number(owner: str, name: str, value: Any, *, kind: str = "a number") -> float:
    """``value`` as a float (may be nan or ±inf).

    ``kind`` describes what is accepted, for the message (e.g. ``"a number (SI units) or a
    callable f(x)"``).

    Raises
    ------
    TypeError
        If ``float(value)`` fails: ``"{owner}: {name} must be {kind}, got {value!r}"``.
    """
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{_prefix(owner)}{name} must be {kind}, got {value!r}") from None


def finite(owner: str, name: str, value: Any, *, kind: str = "a number") -> float:
    """A finite float (any sign).

    Raises
    ------
    TypeError
        If ``value`` is not a number (see :func:`number`).
    ValidationError
        For nan or ±inf: ``"{owner}: {name} must be finite, got inf"``.
    """
    v = number(owner, name, value, kind=kind)
    if not math.isfinite(v):
        raise ValidationError(owner, name, "finite", f"{v:g}")
    return v


def positive(owner: str, name: str, value: Any, *, allow_inf: bool = False,
             kind: str = "a number") -> float:
    """A float > 0, finite unless ``allow_inf`` (then +inf is accepted too).

    Raises
    ------
    TypeError
        If ``value`` is not a number (see :func:`number`).
    ValidationError
        For nan, values <= 0, -inf, and +inf unless allowed:
        ``"{owner}: {name} must be positive and finite, got -1"`` (``"positive (or +inf)"``
        with ``allow_inf``).
    """
    v = number(owner, name, value, kind=kind)
    if math.isnan(v) or v <= 0 or (math.isinf(v) and not allow_inf):
        requirement = "positive (or +inf)" if allow_inf else "positive and finite"
        raise ValidationError(owner, name, requirement, f"{v:g}")
    return v


def _choices(lo: int, hi: int) -> str:
    values = [str(i) for i in range(lo, hi + 1)]
    return ", ".join(values[:-1]) + f" or {values[-1]}"


def integer(owner: str, name: str, value: Any, lo: int | None = None,
            hi: int | None = None) -> int:
    """An integer (not a bool) with ``lo <= value <= hi`` (either bound may be None).

    Raises
    ------
    ValidationError
        For non-integers and values out of range; the requirement lists up to five allowed
        values (``"1, 2 or 3"``) or gives the range (``"an integer >= 1"``).
    """
    if lo is not None and hi is not None and 1 <= hi - lo <= 4:
        requirement = _choices(lo, hi)
    elif lo is not None and hi is not None:
        requirement = f"an integer in [{lo}, {hi}]"
    elif lo is not None:
        requirement = f"an integer >= {lo}"
    elif hi is not None:
        requirement = f"an integer <= {hi}"
    else:
        requirement = "an integer"
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    if not ok or (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ValidationError(owner, name, requirement, f"{value!r}")
    return int(value)


def vector3(owner: str, name: str, value: Any) -> np.ndarray:
    """A finite float array of shape (3,).

    Raises
    ------
    ValidationError
        ``"{owner}: {name} must be a finite 3-vector, got {value!r}"``.
    """
    arr = _finite_vector3(value)
    if arr is None:
        raise ValidationError(owner, name, "a finite 3-vector", f"{value!r}")
    return arr


def unit_vector(owner: str, name: str, value: Any, *, tol: float = UNIT_TOLERANCE) -> np.ndarray:
    """A finite 3-vector with | |v| − 1 | <= ``tol``, returned as given (not normalized).

    Raises
    ------
    ValidationError
        For a value that is not a finite 3-vector (see :func:`vector3`), or
        ``"{owner}: {name} must be a unit vector, got |{name}| = 2 for (0, 0, 2); normalize
        it ..."``.
    """
    v = vector3(owner, name, value)
    norm = float(np.linalg.norm(v))
    if abs(norm - 1.0) > tol:
        raise ValidationError(owner, name, "a unit vector", f"|{name}| = {norm:.6g} for {value!r}",
                              f"normalize it ({name} / |{name}|; tolerance {tol:g})")
    return v


def direction(owner: str, name: str, value: Any) -> np.ndarray:
    """A finite non-zero 3-vector, returned normalized to length 1.

    Raises
    ------
    ValidationError
        ``"{owner}: {name} must be a finite non-zero 3-vector, got {value!r}"``.
    """
    arr = _finite_vector3(value)
    if arr is None or np.linalg.norm(arr) == 0:
        raise ValidationError(owner, name, "a finite non-zero 3-vector", f"{value!r}")
    return arr / np.linalg.norm(arr)


def _finite_vector3(value: Any) -> np.ndarray | None:
    """``value`` as a finite float array of shape (3,), or None when it is not one."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr if arr.shape == (3,) and np.all(np.isfinite(arr)) else None
