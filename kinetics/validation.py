"""Input validators shared by the materials, boundary conditions, models and case files.

Every validator takes the ``owner`` (the object the value belongs to, e.g.
``"material 'Pt'"``; may be empty) and the parameter ``name``, returns the value converted
(float, int, str or a float array) and raises an error naming owner, parameter and the
valid range::

    material 'X': sigma must be positive and finite, got -1

Values of the wrong type (a string, a bool or None where a number is expected) raise
:class:`TypeError`; values out of range, and arrays that cannot be converted or have the
wrong shape, raise :class:`ValidationError`, a :class:`ValueError` that also carries the
parts of its message (so that :mod:`kinetics.case` can say the same thing next to a file,
line and key).

Magnitudes.  Every number is bounded: ``|value| <= limit`` and, for the positive
validators, ``value >= tiny`` (default ``1 / limit``).  The default :data:`DEFAULT_LIMIT`
(1e100) keeps squares, inverse squares and products of two accepted numbers finite
doubles, so that no accepted value turns into inf or 0 in generated code; the physics
classes pass the tighter :data:`SI_LIMIT` (1e30 in SI units) or a physically motivated
range stated in their docstrings.  Only numpy is imported.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = ["ValidationError", "UNIT_TOLERANCE", "DEFAULT_LIMIT", "SI_LIMIT", "ANGLE_LIMIT",
           "number",
           "finite", "positive", "nonnegative", "integer", "boolean", "text", "choice",
           "array", "vector3", "matrix3", "unit_vector", "direction"]

#: allowed deviation of |m| from 1 for a direction given as a unit vector
UNIT_TOLERANCE = 1e-6
#: default bound on |value| (and 1/value for positive numbers): squares and products of
#: two accepted numbers stay finite doubles
DEFAULT_LIMIT = 1e100
#: bound on |value| of an SI material, interface or boundary parameter (and on 1/value of
#: a positive one): far beyond any physical value, far below the float overflow
SI_LIMIT = 1e30
#: bound on |value| of a dimensionless angle of a material (spin Hall, anomalous Hall) and
#: of κ: the largest reported spin Hall angles (topological insulators) are of order 10;
#: 100 leaves room and keeps the coefficients of the weak form O(1)
ANGLE_LIMIT = 100.0


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


def _show(value: Any, width: int = 80) -> str:
    """``repr(value)`` shortened to ``width`` characters."""
    text = repr(value)
    return text if len(text) <= width else text[:width - 3] + "..."


def number(owner: str, name: str, value: Any, *, kind: str = "a number") -> float:
    """``value`` as a float (may be nan or ±inf).

    ``kind`` describes what is accepted, for the message (e.g. ``"a number (SI units) or a
    callable f(x)"``).  Python and numpy real numbers are accepted; bools, strings, None,
    complex numbers and arrays are not.

    Raises
    ------
    TypeError
        ``"{owner}: {name} must be {kind}, got {value!r}"``.
    """
    bad = isinstance(value, (bool, np.bool_, str, bytes, complex, np.complexfloating)) or (
        isinstance(value, np.ndarray) and value.ndim > 0)
    if not bad:
        try:
            return float(value)
        except (TypeError, ValueError):
            pass
    raise TypeError(f"{_prefix(owner)}{name} must be {kind}, got {_show(value)}") from None


def _bound_text(limit: float, tiny: float | None = None) -> str:
    if tiny is None:
        return f"at most {limit:g} in magnitude"
    return f"in [{tiny:g}, {limit:g}]"


def finite(owner: str, name: str, value: Any, *, kind: str = "a number",
           limit: float = DEFAULT_LIMIT) -> float:
    """A finite float (any sign) with ``|value| <= limit``.

    Raises
    ------
    TypeError
        If ``value`` is not a number (see :func:`number`).
    ValidationError
        For nan or ±inf (``"{owner}: {name} must be finite, got inf"``) and for
        ``|value| > limit`` (``"must be finite and at most 1e+30 in magnitude"``).
    """
    v = number(owner, name, value, kind=kind)
    if not math.isfinite(v):
        raise ValidationError(owner, name, "finite", f"{v:g}")
    if abs(v) > limit:
        raise ValidationError(owner, name, f"finite and {_bound_text(limit)}", f"{v:g}")
    return v


def positive(owner: str, name: str, value: Any, *, allow_inf: bool = False,
             kind: str = "a number", limit: float = DEFAULT_LIMIT,
             tiny: float | None = None) -> float:
    """A float in [``tiny``, ``limit``] (``tiny`` defaults to ``1 / limit``); with
    ``allow_inf`` +inf is accepted too.

    Raises
    ------
    TypeError
        If ``value`` is not a number (see :func:`number`).
    ValidationError
        For nan, values <= 0, -inf, and +inf unless allowed:
        ``"{owner}: {name} must be positive and finite, got -1"`` (``"positive (or +inf)"``
        with ``allow_inf``); for values outside [tiny, limit]:
        ``"must be positive and in [1e-30, 1e+30], got 1e+308"``.
    """
    v = number(owner, name, value, kind=kind)
    if math.isinf(v) and v > 0 and allow_inf:
        return v
    if math.isnan(v) or v <= 0 or math.isinf(v):
        requirement = "positive (or +inf)" if allow_inf else "positive and finite"
        raise ValidationError(owner, name, requirement, f"{v:g}")
    tiny = 1.0 / limit if tiny is None else tiny
    if not tiny <= v <= limit:
        extra = " (or +inf)" if allow_inf else ""
        raise ValidationError(owner, name, f"positive and {_bound_text(limit, tiny)}{extra}",
                              f"{v:g}")
    return v


def nonnegative(owner: str, name: str, value: Any, *, kind: str = "a number",
                limit: float = DEFAULT_LIMIT) -> float:
    """A finite float in [0, ``limit``].

    Raises
    ------
    TypeError
        If ``value`` is not a number (see :func:`number`).
    ValidationError
        ``"{owner}: {name} must be >= 0 and finite, got -1"`` (or ``"... and at most
        1e+30"`` for too large values).
    """
    v = number(owner, name, value, kind=kind)
    if math.isnan(v) or v < 0 or math.isinf(v):
        raise ValidationError(owner, name, ">= 0 and finite", f"{v:g}")
    if v > limit:
        raise ValidationError(owner, name, f">= 0 and at most {limit:g}", f"{v:g}")
    return v


def polarization(owner: str, name: str, value: Any, why: str = "") -> float:
    """A finite float in the open interval (−1, 1): a spin polarization (β, γ, P_I).

    Raises
    ------
    TypeError
        If ``value`` is not a number (see :func:`number`).
    ValidationError
        ``"{owner}: {name} must be finite, got nan"`` or ``"... must be in (-1, 1), got 1;
        {why}"``.
    """
    v = finite(owner, name, value)
    if not abs(v) < 1.0:
        raise ValidationError(owner, name, "in (-1, 1)", f"{v:g}", why)
    return v


def _choices(lo: int, hi: int) -> str:
    values = [str(i) for i in range(lo, hi + 1)]
    return ", ".join(values[:-1]) + f" or {values[-1]}"


def integer(owner: str, name: str, value: Any, lo: int | None = None,
            hi: int | None = None) -> int:
    """An integer (Python or numpy; not a bool, not a float) with ``lo <= value <= hi``
    (either bound may be None).

    Raises
    ------
    ValidationError
        For non-integers (``2.5``, ``2.0``, ``True``, ``"2"``) and values out of range; the
        requirement lists up to five allowed values (``"1, 2 or 3"``) or gives the range
        (``"an integer >= 1"``).
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
        raise ValidationError(owner, name, requirement, _show(value))
    return int(value)


def boolean(owner: str, name: str, value: Any) -> bool:
    """``True`` or ``False`` (Python or numpy bools; not 0/1, not strings).

    Raises
    ------
    TypeError
        ``"{owner}: {name} must be True or False, got 'yes'"``.
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{_prefix(owner)}{name} must be True or False, got {_show(value)}")
    return bool(value)


def text(owner: str, name: str, value: Any) -> str:
    """A non-empty string (not only whitespace), e.g. a region or facet name.

    Raises
    ------
    TypeError
        For a value that is not a ``str``: ``"{owner}: {name} must be a string, got None"``.
    ValidationError
        For ``""`` or whitespace: ``"{owner}: {name} must be a non-empty string, got ''"``.
    """
    if not isinstance(value, str):
        raise TypeError(f"{_prefix(owner)}{name} must be a string, got {_show(value)}")
    if not value.strip():
        raise ValidationError(owner, name, "a non-empty string", repr(value))
    return value


def choice(owner: str, name: str, value: Any, choices: Iterable) -> Any:
    """One of ``choices`` (compared with ``==``).

    Raises
    ------
    ValidationError
        ``"{owner}: {name} must be one of 'a', 'b', got 'c'"``.
    """
    choices = list(choices)
    try:
        ok = any(value == c and type(value) is type(c) for c in choices)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValidationError(owner, name, "one of " + ", ".join(repr(c) for c in choices),
                              _show(value))
    return value


def array(owner: str, name: str, value: Any, shape: tuple | None = None, *,
          ndim: int | None = None, limit: float = DEFAULT_LIMIT,
          what: str = "a finite array") -> np.ndarray:
    """``value`` as a finite float array, of the given ``shape`` and/or ``ndim`` (a None
    entry of ``shape`` matches any length), with every ``|entry| <= limit``.

    ``what`` names the expected value in the message (``"a finite 3-vector"``).

    Raises
    ------
    ValidationError
        For values that numpy cannot convert to floats (strings, ragged lists, None), a
        wrong shape, non-finite entries or entries beyond ``limit``:
        ``"{owner}: {name} must be a finite array of shape (3, 3), got shape (2, 3)"``.
    """
    requirement = what if shape is None else f"{what} of shape {_shape_text(shape)}"
    if ndim is not None and shape is None:
        requirement += f" with {ndim} dimension(s)"
    if isinstance(value, (str, bytes)) or value is None:
        raise ValidationError(owner, name, requirement, _show(value))
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(owner, name, requirement, _show(value)) from None
    if shape is not None and (arr.ndim != len(shape) or any(
            s is not None and s != n for s, n in zip(shape, arr.shape))):
        raise ValidationError(owner, name, requirement, f"shape {arr.shape}")
    if ndim is not None and arr.ndim != ndim:
        raise ValidationError(owner, name, requirement, f"shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValidationError(owner, name, requirement, f"non-finite entries in {_show(value)}")
    if arr.size and float(np.max(np.abs(arr))) > limit:
        raise ValidationError(owner, name, f"{requirement}, entries at most {limit:g} in "
                              "magnitude", f"{float(np.max(np.abs(arr))):g}")
    return arr


def _shape_text(shape: tuple) -> str:
    parts = ["n" if s is None else str(s) for s in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def vector3(owner: str, name: str, value: Any, *, limit: float = DEFAULT_LIMIT) -> np.ndarray:
    """A finite float array of shape (3,), entries at most ``limit`` in magnitude.

    Raises
    ------
    ValidationError
        ``"{owner}: {name} must be a finite 3-vector, got {value!r}"``.
    """
    arr = _finite_vector3(value, limit)
    if arr is None:
        raise ValidationError(owner, name, "a finite 3-vector" + _limit_text(limit, value),
                              _show(value))
    return arr


def matrix3(owner: str, name: str, value: Any, *, limit: float = DEFAULT_LIMIT) -> np.ndarray:
    """A finite float array of shape (3, 3) (:func:`array`).

    Raises
    ------
    ValidationError
        ``"{owner}: {name} must be a finite array of shape (3, 3), got shape (2, 3)"``.
    """
    return array(owner, name, value, (3, 3), limit=limit)


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
    if norm == 0:
        raise ValidationError(owner, name, "a unit vector", f"the zero vector {_show(value)}",
                              "a zero vector has no direction")
    if abs(norm - 1.0) > tol:
        raise ValidationError(owner, name, "a unit vector", f"|{name}| = {norm:.6g} for {value!r}",
                              f"normalize it ({name} / |{name}|; tolerance {tol:g})")
    return v


def direction(owner: str, name: str, value: Any, *,
              limit: float = DEFAULT_LIMIT) -> np.ndarray:
    """A finite non-zero 3-vector, returned normalized to length 1.

    Raises
    ------
    ValidationError
        ``"{owner}: {name} must be a finite non-zero 3-vector, got {value!r}"``.
    """
    arr = _finite_vector3(value, limit)
    norm = 0.0 if arr is None else float(np.linalg.norm(arr))
    if arr is None or not norm > 0:
        raise ValidationError(owner, name,
                              "a finite non-zero 3-vector" + _limit_text(limit, value),
                              _show(value))
    return arr / norm


def _limit_text(limit: float, value: Any = None) -> str:
    """The bound in the requirement: always for a non-default limit, and for the default
    one when ``value`` is a finite vector that exceeds it."""
    if limit != DEFAULT_LIMIT or (_finite_vector3(value, math.inf) is not None
                                  and _finite_vector3(value, limit) is None):
        return f" with entries at most {limit:g} in magnitude"
    return ""


def _finite_vector3(value: Any, limit: float = DEFAULT_LIMIT) -> np.ndarray | None:
    """``value`` as a finite float array of shape (3,) within ``limit``, or None when it is
    not one."""
    if isinstance(value, (str, bytes)) or value is None:
        return None
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return None
    ok = arr.shape == (3,) and np.all(np.isfinite(arr)) and np.all(np.abs(arr) <= limit)
    return arr if ok else None
