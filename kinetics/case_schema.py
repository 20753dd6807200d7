"""Keys of a case file: where they are in the TOML text, and the specs that check their values.

A *schema* maps key -> spec.  A spec is one of the classes below (:class:`Number`,
:class:`Integer`, :class:`String`, :class:`Bool`, :class:`Vector`, :class:`Matrix3`,
:class:`Array`, :class:`Table`), which knows the key's type, valid range, unit, default and
meaning, checks a value (:meth:`Spec.check` returns the problems as ``"must be ..., got
..."`` texts) and writes its row of the docs table (:func:`doc_table`).  A bare type or tuple
of types (``(int, float)``, ``str``, ``list``) is accepted as a spec too (checked by type
only), for models registered with the older ``keys`` mapping.

Specs may declare a *reference*: ``ref="facet"`` or ``"region"`` (a name the geometry must
have, checked by :func:`kinetics.case_checks.check_names`) or ``ref="boundary"`` with
``ref_types`` (a ``[boundaries."NAME"]`` table of one of these types).

:func:`check_section` reports every unknown key, missing required key and bad value of a
table through ``case.report(keypath, message)`` (which adds the file and line) and returns
the keys whose values passed.  :class:`CaseError` (the error of every case-file problem,
defined in :mod:`kinetics.case_text`) is importable from here too.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Mapping
from typing import Any, ClassVar

from kinetics import validation
from kinetics.case_text import CaseError

__all__ = ["CaseError", "Spec", "Number", "Integer", "String", "Bool", "Vector", "Matrix3",
           "Array", "Table", "MAX_COUNT", "type_name", "toml_repr", "did_you_mean",
           "hint_after", "check_type", "check_value", "check_keys", "check_section",
           "requirement", "doc_table"]

#: upper bound of every count (steps, samples, points, list lengths) in a case file
MAX_COUNT = 10_000


# ------------------------------------------------------------------------------- words
def type_name(t) -> str:
    """A type (or tuple of types) in TOML words: integer, number, string, array, table."""
    if isinstance(t, tuple):
        return " or ".join(type_name(x) for x in t)
    return {int: "integer", float: "number", str: "string", list: "array", dict: "table",
            bool: "boolean"}.get(t, t.__name__)


def _kind(value) -> str:
    """The TOML kind of a parsed value: boolean, integer, number, string, array, table."""
    if isinstance(value, bool):
        return "boolean"
    return {int: "integer", float: "number", str: "string", list: "array",
            dict: "table"}.get(type(value), type(value).__name__)


def toml_repr(value, limit: int = 60) -> str:
    """``value`` as written in TOML (true, 'text', nan, [1, 2]), cut to ``limit`` characters."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = repr(value) if math.isfinite(value) else str(value)
    elif isinstance(value, list):
        text = "[" + ", ".join(toml_repr(v, limit) for v in value[:8]) + \
            (", ...]" if len(value) > 8 else "]")
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k} = {toml_repr(v, limit)}" for k, v in
                               list(value.items())[:4]) + (", ...}" if len(value) > 4 else "}")
    else:
        text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _got(value) -> str:
    return f"{_kind(value)} {toml_repr(value)}"


def did_you_mean(word: str, choices, quote: bool = True) -> str:
    """``" (did you mean 'x'?)"`` for the closest of ``choices``, or ``""``."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1) \
        if isinstance(word, str) else []
    if not close:
        return ""
    return f" (did you mean '{close[0]}'?)" if quote else f" (did you mean {close[0]}?)"


def hint_after(word: str, choices) -> str:
    """``"; did you mean 'x'?"`` (to follow a list of valid values), or ``""``."""
    hint = did_you_mean(word, choices)
    return f"; {hint[2:-1]}" if hint else ""


def _g(x: float) -> str:
    return f"{x:g}"


# ------------------------------------------------------------------------------- specs
@dataclasses.dataclass(frozen=True, kw_only=True)
class Spec:
    """Base of the value specs.

    Attributes
    ----------
    description:
        Meaning (docs table).
    required:
        Whether the key must be present.
    default:
        Default when absent (docs table; None: no default).
    ref, ref_types:
        What the value names: ``"facet"``, ``"region"`` or ``"boundary"`` (a
        ``[boundaries]`` table of one of ``ref_types``); None for no reference.
    """

    description: str = ""
    required: bool = False
    default: Any = None
    ref: str | None = None
    ref_types: tuple[str, ...] = ()

    #: Python types of a valid value (for ``CaseModel.keys``)
    types: ClassVar[tuple] = ()

    def check(self, value, name: str = "value") -> list[str]:
        """Problems of ``value`` (``"must be ..., got ..."``; ``name``: the key, used in
        messages such as ``|m| = 2``); empty when it is valid."""
        return []

    def type_words(self) -> str:
        """The type in the docs table (``"number"``, ``"3-vector"``, ...)."""
        return "value"

    def range_words(self) -> str:
        """Valid values and unit in the docs table."""
        return ""


def _number_problem(value, kind: str = "a number") -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"must be {kind}, got {_got(value)}"
    return None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Number(Spec):
    """A finite number (booleans are not numbers) in ``[lo, hi]`` (``(lo, hi]`` with
    ``lo_open``), in ``unit``; ``allow_inf`` also accepts ``inf`` (+infinity); ``min_abs``:
    |value| >= min_abs as well (signed quantities that must not vanish)."""

    unit: str = ""
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    allow_inf: bool = False
    min_abs: float | None = None
    types: ClassVar[tuple] = (int, float)

    def type_words(self) -> str:
        return "number"

    def _interval(self) -> str:
        lo = "-∞" if self.lo is None else _g(self.lo)
        hi = "∞" if self.hi is None else _g(self.hi)
        return f"{'(' if self.lo_open or self.lo is None else '['}{lo}, {hi}" \
               f"{')' if self.hi is None else ']'}"

    def _extras(self) -> str:
        return (" or inf" if self.allow_inf else "") + \
            (f", |value| >= {_g(self.min_abs)}" if self.min_abs is not None else "")

    def range_words(self) -> str:
        return self._interval() + (f" {self.unit}" if self.unit else "") + self._extras()

    def _requirement(self) -> str:
        unit = f" ({self.unit})" if self.unit else ""
        return f"a number{unit} in {self._interval()}{self._extras()}"

    def check(self, value, name: str = "value") -> list[str]:
        problem = _number_problem(value, self._requirement())
        if problem:
            return [problem]
        v = float(value)
        if math.isnan(v) or (math.isinf(v) and not (self.allow_inf and v > 0)):
            return [f"must be {self._requirement()}, got {toml_repr(value)}"]
        too_low = self.lo is not None and (v <= self.lo if self.lo_open else v < self.lo)
        too_high = self.hi is not None and v > self.hi and not (self.allow_inf and math.isinf(v))
        too_small = self.min_abs is not None and abs(v) < self.min_abs
        if too_low or too_high or too_small:
            return [f"must be {self._requirement()}, got {toml_repr(value)}"]
        return []


@dataclasses.dataclass(frozen=True, kw_only=True)
class Integer(Spec):
    """An integer (not a boolean, not 2.5) in ``[lo, hi]``."""

    lo: int | None = None
    hi: int | None = None
    types: ClassVar[tuple] = (int,)

    def type_words(self) -> str:
        return "integer"

    def range_words(self) -> str:
        if self.lo is not None and self.hi is not None:
            return f"{self.lo} to {self.hi}"
        return f">= {self.lo}" if self.lo is not None else (f"<= {self.hi}" if self.hi else "")

    def check(self, value, name: str = "value") -> list[str]:
        try:
            validation.integer("", "", value, self.lo, self.hi)
        except validation.ValidationError as exc:
            return [f"must be {exc.requirement}, got {_got(value)}"]
        return []


@dataclasses.dataclass(frozen=True, kw_only=True)
class String(Spec):
    """A string; non-empty unless ``allow_empty``; one of ``choices`` if given (``"unknown
    {noun} 'x'; valid: ...; did you mean 'y'?"``)."""

    choices: tuple[str, ...] = ()
    noun: str = "value"
    allow_empty: bool = False
    max_length: int = 1000
    types: ClassVar[tuple] = (str,)

    def type_words(self) -> str:
        return "string"

    def range_words(self) -> str:
        if self.choices:
            return ", ".join(f"`{c}`" for c in self.choices)
        return {"facet": "a facet name", "region": "a region name"}.get(
            self.ref, "a boundary of type " + " or ".join(f"`{t}`" for t in self.ref_types)
            if self.ref == "boundary" else "")

    def check(self, value, name: str = "value") -> list[str]:
        if not isinstance(value, str):
            return [f"must be a string, got {_got(value)}"]
        if not value and not self.allow_empty:
            return ["must be a non-empty string, got ''"]
        if len(value) > self.max_length:
            return [f"must be a string of at most {self.max_length} characters, got "
                    f"{len(value)} characters"]
        if self.choices and value not in self.choices:
            return [f"unknown {self.noun} {value!r}; valid: {', '.join(self.choices)}"
                    f"{hint_after(value, self.choices)}"]
        return []


@dataclasses.dataclass(frozen=True, kw_only=True)
class Bool(Spec):
    """``true`` or ``false``."""

    types: ClassVar[tuple] = (bool,)

    def type_words(self) -> str:
        return "boolean"

    def check(self, value, name: str = "value") -> list[str]:
        return [] if isinstance(value, bool) else [f"must be true or false, got {_got(value)}"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Vector(Spec):
    """A 3-vector of finite numbers; ``norm`` ``"any"``, ``"nonzero"`` or ``"unit"`` (|v| = 1
    within :data:`kinetics.validation.UNIT_TOLERANCE`); |v| <= ``max_norm`` if given."""

    unit: str = ""
    norm: str = "any"
    max_norm: float | None = None
    types: ClassVar[tuple] = (list,)

    def type_words(self) -> str:
        return "3-vector"

    def range_words(self) -> str:
        words = {"any": "finite", "nonzero": "finite, non-zero",
                 "unit": f"unit length (±{validation.UNIT_TOLERANCE:g})"}[self.norm]
        if self.max_norm is not None:
            words += f", length <= {_g(self.max_norm)}"
        return words + (f" {self.unit}" if self.unit else "")

    def check(self, value, name: str = "value") -> list[str]:
        if not isinstance(value, list):
            return [f"must be a 3-vector [x, y, z], got {_got(value)}"]
        if len(value) != 3:
            return [f"must be a 3-vector [x, y, z], got {len(value)} entries {toml_repr(value)}"]
        for i, v in enumerate(value):
            if _number_problem(v):
                return [f"must be a 3-vector of numbers, got {_got(v)} as entry {i + 1} of "
                        f"{toml_repr(value)}"]
        try:
            if self.norm == "unit":
                arr = validation.unit_vector("", name, value)
            elif self.norm == "nonzero":
                validation.direction("", name, value)
                arr = validation.vector3("", name, value)
            else:
                arr = validation.vector3("", name, value)
        except validation.ValidationError as exc:
            return [exc.brief()]
        if self.max_norm is not None and float(sum(arr * arr)) ** 0.5 > self.max_norm:
            return [f"must have a length of at most {_g(self.max_norm)} {self.unit}, got "
                    f"{toml_repr(value)}".rstrip()]
        return []


@dataclasses.dataclass(frozen=True, kw_only=True)
class Matrix3(Spec):
    """A 3x3 array of finite numbers with |entries| <= ``max_abs``; ``rotation``: proper
    rotation (R Rᵀ = 1 within 1e-10, det R = +1)."""

    unit: str = ""
    max_abs: float | None = None
    rotation: bool = False
    types: ClassVar[tuple] = (list,)

    def type_words(self) -> str:
        return "3×3 array"

    def range_words(self) -> str:
        if self.rotation:
            return "a proper rotation (R Rᵀ = 1 within 1e-10, det R = +1)"
        return "finite" + (f", |entries| <= {_g(self.max_abs)}" if self.max_abs else "") + \
            (f" {self.unit}" if self.unit else "")

    def check(self, value, name: str = "value") -> list[str]:
        rows = value if isinstance(value, list) else None
        if rows is None or len(rows) != 3 or not all(isinstance(r, list) and len(r) == 3
                                                     for r in rows):
            return [f"must be a 3x3 array [[a, b, c], [d, e, f], [g, h, i]], got {_got(value)}"]
        flat = [v for r in rows for v in r]
        if any(_number_problem(v) for v in flat) or not all(math.isfinite(v) for v in flat):
            return [f"must be a 3x3 array of finite numbers, got {toml_repr(value)}"]
        if self.max_abs is not None and max(abs(v) for v in flat) > self.max_abs:
            return [f"entries must be at most {_g(self.max_abs)} {self.unit} in magnitude, got "
                    f"{toml_repr(value)}"]
        if self.rotation:
            import numpy as np
            R = np.asarray(rows, dtype=float)
            if not np.allclose(R @ R.T, np.eye(3), atol=1e-10) or np.linalg.det(R) < 0:
                return [f"must be a proper rotation matrix (R Rᵀ = 1 within 1e-10, det R = +1), "
                        f"got {toml_repr(value)}"]
        return []


@dataclasses.dataclass(frozen=True)
class Array(Spec):
    """An array of ``min_len`` to ``max_len`` items, each valid for ``item``; ``unique``: no
    repeated entries."""

    item: Spec
    _: dataclasses.KW_ONLY
    min_len: int = 0
    max_len: int = MAX_COUNT
    unique: bool = False
    types: ClassVar[tuple] = (list,)

    def type_words(self) -> str:
        return f"array of {self.item.type_words()}s"

    def range_words(self) -> str:
        parts = [f"{self.min_len} to {self.max_len} entries"]
        if self.unique:
            parts.append("distinct")
        inner = self.item.range_words()
        return ", ".join(parts) + (f"; each {inner}" if inner else "")

    def check(self, value, name: str = "value") -> list[str]:
        if not isinstance(value, list):
            return [f"must be an array, got {_got(value)}"]
        if not self.min_len <= len(value) <= self.max_len:
            return [f"must have {self.min_len} to {self.max_len} entries, got {len(value)}"]
        out = []
        for i, v in enumerate(value):
            out += [f"entry {i + 1}: {p}" for p in self.item.check(v, name)]
        if self.unique and not out:
            seen = set()
            for v in value:
                key = toml_repr(v)
                if key in seen:
                    out.append(f"has {toml_repr(v)} more than once; entries must be distinct")
                    break
                seen.add(key)
        return out[:3]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Table(Spec):
    """A table (its contents are checked elsewhere)."""

    types: ClassVar[tuple] = (dict,)

    def type_words(self) -> str:
        return "table"

    def check(self, value, name: str = "value") -> list[str]:
        return [] if isinstance(value, dict) else [f"must be a table, got {_got(value)}"]


# ------------------------------------------------------------------------------- checks
def check_type(case, keypath: tuple, value, expected) -> bool:
    """Report (``case.report``) unless ``value`` has type ``expected`` (booleans are not
    numbers); returns whether it has.  Message: ``"must be integer or number, got str
    'one'"``."""
    numeric = expected in ((int, float), int, float)
    ok = isinstance(value, expected) and not (isinstance(value, bool) and numeric)
    if not ok:
        case.report(keypath, f"must be {type_name(expected)}, got {type(value).__name__} "
                             f"{toml_repr(value)}")
    return ok


def check_value(case, keypath: tuple, value, spec) -> bool:
    """Report every problem of ``value`` for ``spec`` (a :class:`Spec` or a type); returns
    whether it is valid."""
    if isinstance(spec, Spec):
        name = keypath[-1] if keypath and isinstance(keypath[-1], str) else "value"
        problems = spec.check(value, name)
        for p in problems:
            case.report(keypath, p)
        return not problems
    if isinstance(spec, (type, tuple)):
        return check_type(case, keypath, value, spec)
    return True


def check_keys(case, keypath: tuple, table: dict, allowed) -> set:
    """Report every key of ``table`` not in ``allowed`` (a schema or a set of names, with a
    did-you-mean hint and the valid keys) and every value of the wrong type; returns the keys
    that passed.  Empty key names are errors too."""
    ok = set()
    for key, value in table.items():
        if key not in allowed:
            case.report(keypath + (key,), f"unknown key '{key}'{did_you_mean(key, allowed)}; "
                                          f"valid keys: {', '.join(sorted(allowed))}")
            continue
        expected = allowed[key] if isinstance(allowed, Mapping) else None
        if expected is None or check_value(case, keypath + (key,), value, expected):
            ok.add(key)
    return ok


def check_section(case, keypath: tuple, table, schema: Mapping[str, Any],
                  required: Mapping[str, str] | None = None) -> set | None:
    """Check a table against ``schema``: its type, unknown keys, values, and required keys
    (the specs' ``required`` and ``required``: key -> what it is).

    Returns
    -------
    The set of keys whose values are valid, or None when ``table`` is not a table.
    """
    if not isinstance(table, dict):
        case.report(keypath, f"must be a table, got {_got(table)}")
        return None
    ok = check_keys(case, keypath, table, schema)
    need = dict(required or {})
    for key, spec in schema.items():
        if isinstance(spec, Spec) and spec.required and key not in need:
            need[key] = requirement(spec)
    for key, what in need.items():
        if key not in table:
            case.report(keypath + (key,), f"required, {what}")
    return ok


def requirement(spec: Spec) -> str:
    """``"a number (Hz) in [1, 1e+15]"``: a required key's description for messages."""
    text = spec.range_words()
    kind = spec.type_words()
    if isinstance(spec, Number):
        return spec._requirement()
    return f"a {kind}" + (f" ({text})" if text else "")


def _doc_value(value) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, float) and math.isfinite(value):
        return _g(value)
    return toml_repr(value)


def doc_table(schema: Mapping[str, Any]) -> str:
    """The markdown table of a schema: key, type, valid values and unit, default, meaning
    (the tables of docs/case_files.md are these, checked by tests/test_case.py)."""
    rows = ["| key | type | valid values | default | meaning |", "|---|---|---|---|---|"]
    for key, spec in schema.items():
        if not isinstance(spec, Spec):
            rows.append(f"| `{key}` | {type_name(spec)} | | | |")
            continue
        default = "required" if spec.required else (
            "" if spec.default is None else f"`{_doc_value(spec.default)}`")
        cells = [f"`{key}`", spec.type_words(), spec.range_words(), default, spec.description]
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows)
