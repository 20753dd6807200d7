"""Compare two results.json trees number by number (not a test module).

Issue #14: every example case and every demo's ``--quick`` run must give the same numbers on
1, 2 and 3 MPI ranks.  :func:`differences` walks two trees together and reports

* a structural difference: a missing or extra key, a list of another length, a value of
  another type (numbers of both kinds, int and float, are one type; bool is its own);
* a string, bool or null that is not equal;
* a number that differs by more than ``rtol`` (1e-8) relative to the *scale* of its group.

The scale of a number is the largest magnitude, in either tree, of

1. its **quantity**: every number whose key path is the same once list indices are
   ignored, and whose last key is the same once a component label is ignored.  So an entry
   of an array is measured against the whole array (a component of μ_s that vanishes by
   symmetry against the largest component of the profile), an entry of a sweep or a table
   against the same key in every step or row (a torque that vanishes at one angle against
   the scan), and the components of one quantity, keys ``STEM_LABEL`` in one dict with the
   same stem (``R_xx``/``R_xy``, ``tau_DL``/``tau_FL``), against each other: a transverse
   resistance that vanishes by symmetry is a difference of two large potentials, measured
   on the scale of ``R_xx``;
2. its **unit**, times ``unit_floor`` (1e-6): every number whose key (or the nearest key
   above it that has one) ends in the same SI unit suffix (``current_A``,
   ``absorbed_spin_current_A``; ``resistance_Ohm`` for ``R_xx`` below it).  This floor,
   1e-14 of the largest value of that unit in the file, is for quantities that are zero up
   to round-off everywhere, e.g. the contact currents of an open-circuit (spin pumping)
   case, which have no nonzero relative in their own group; it is 10⁶ times below the
   largest value, so a real quantity down to 1e-8 of it still fails on a 1e-6 relative
   error;
3. **1** for the relative differences of :data:`RELATIVE_DIFFERENCES` (Δρ/ρ, relative
   deviations of the FEM from a closed form): a quantity d = x/y − 1 carries the relative
   error of x and y as an *absolute* error, so it is measured on the scale of x/y, 1.

Numbers with no nonzero value in their groups must be equal.  Only the keys of
:data:`EXCLUDED` are skipped.
"""

from __future__ import annotations

import fnmatch
import math
from dataclasses import dataclass
from numbers import Real

__all__ = ["RTOL", "UNIT_FLOOR", "EXCLUDED", "RELATIVE_DIFFERENCES", "Difference", "differences",
           "largest_difference", "assert_same_results", "unit_of"]

RTOL = 1e-8
UNIT_FLOOR = 1e-6

#: Key paths that legitimately differ between runs, with the reason.  Nothing else is
#: skipped: mesh statistics are global (cells, vertices, facets per tag, h, quality are
#: reduced over all ranks), so they are compared like any number; no results.json holds a
#: path of the output folder (``case_file`` is the case path as given, the same every run).
EXCLUDED = {
    ("ranks",): "the number of MPI ranks: differs by design (the run tests check its value)",
    ("wall_time_s",): "elapsed wall-clock time of the run",
    ("provenance", "run"): "ranks, command line, time and solver iterations of the run",
    ("provenance", "code"): "the git commit of the checkout, which may move between runs",
    ("provenance", "software"): "library versions (the same in one environment)",
}

#: Last keys (fnmatch patterns) of dimensionless relative differences d = x/y − 1, compared
#: on the scale 1 (rule 3 of the module docstring).  Measured against their own small size
#: they would amplify the rank-dependent round-off of x and y by 1/d: the SMR demo's Δρ/ρ
#: (≈ 4e-4, a difference of two R_xx values) differs by 2.5e-8 of itself between 1 and 2 ranks
#: while its R_xx agree to 5e-12, and spin_pumping_ishe's max_rel_diff_fem_vs_closed_form
#: (0.006) by 9e-8 of itself while V_fem agrees to 5e-10 (direct solves of thin, graded
#: meshes: cond(A)·ε).
RELATIVE_DIFFERENCES = {
    "*_over_rho": "Δρ/ρ: a difference of two resistivities over the resistivity",
    "max_rel_*": "the largest relative deviation of the FEM from a closed form",
    "max_relative_*": "the largest relative deviation of the FEM from an exact solution",
}

#: Tokens of the SI unit suffixes of result keys (``_A``, ``_V``, ``_Ohm``, ``_J_per_m2``,
#: ``_per_m2``, ``_J_m3``, ``_J_s``, ``_Hz``, ``_deg`` ...).  ``s`` counts only as the last
#: token (``mu_s_V`` is in volts, ``rho_s_J_s`` in J s).
_UNIT_TOKENS = {"A", "V", "Ohm", "m", "m2", "m3", "s", "Hz", "J", "W", "T", "K", "deg", "rad",
                "per"}


@dataclass
class Difference:
    path: str
    a: object
    b: object
    rel: float              # |a − b| / scale for numbers, inf otherwise
    note: str = ""

    def __str__(self):
        if self.note:
            return f"{self.path}: {self.note}"
        return (f"{self.path}: {self.a!r} vs {self.b!r}, relative difference {self.rel:.3g} "
                f"(|a-b| = {abs(self.a - self.b):.3g})")


def unit_of(key: str) -> str | None:
    """The SI unit suffix of a result key (``"current_A"`` → ``"A"``,
    ``"tau_DL_J_per_m2"`` → ``"J_per_m2"``), or None."""
    tokens = key.split("_")
    unit = []
    for i, tok in enumerate(reversed(tokens[1:])):       # the first token is the name
        if tok not in _UNIT_TOKENS or (tok == "s" and i > 0):
            break
        unit.insert(0, tok)
    while unit and unit[-1] == "per":
        unit.pop()
    return "_".join(unit) or None


def _stem(key: str) -> str:
    """``R_xx`` → ``R``, ``tau_DL`` → ``tau``: the name of the quantity of which ``key`` is
    a component; keys without a component label (``current_A``, ``V_V``) are their own."""
    if "_" not in key or unit_of(key):
        return key
    return key.rsplit("_", 1)[0]


def _is_number(x) -> bool:
    return isinstance(x, Real) and not isinstance(x, bool)


def _kind(x) -> str:
    if isinstance(x, dict):
        return "object"
    if isinstance(x, list):
        return "array"
    if _is_number(x):
        return "number"
    return type(x).__name__


def _fmt(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f"/{p}" if out else str(p))
    return out or "(top)"


def _walk(a, b, path, structure, numbers, exclude):
    if path in exclude:
        return
    ka, kb = _kind(a), _kind(b)
    if ka != kb:
        structure.append(Difference(_fmt(path), a, b, math.inf,
                                    f"a {ka} ({a!r:.60}) vs a {kb} ({b!r:.60})"))
    elif ka == "object":
        for key in a:
            if key not in b:
                structure.append(Difference(_fmt(path + (key,)), a[key], None, math.inf,
                                            "missing in the second results (b)"))
            else:
                _walk(a[key], b[key], path + (key,), structure, numbers, exclude)
        for key in b:
            if key not in a:
                structure.append(Difference(_fmt(path + (key,)), None, b[key], math.inf,
                                            "missing in the first results (a)"))
    elif ka == "array":
        if len(a) != len(b):
            structure.append(Difference(_fmt(path), a, b, math.inf,
                                        f"{len(a)} entries vs {len(b)}"))
        for i, (x, y) in enumerate(zip(a, b)):
            _walk(x, y, path + (i,), structure, numbers, exclude)
    elif ka == "number":
        numbers.append((path, a, b))
    elif a != b:
        structure.append(Difference(_fmt(path), a, b, math.inf, f"{a!r} vs {b!r}"))


def _quantity(path: tuple) -> tuple:
    keys = [p for p in path if not isinstance(p, int)]
    pattern = tuple("*" if isinstance(p, int) else p for p in path)
    if keys:        # the last key, up to a component label
        last = max(i for i, p in enumerate(path) if not isinstance(p, int))
        pattern = pattern[:last] + (_stem(path[last]),) + pattern[last + 1:]
    return pattern


def _unit(path: tuple) -> str | None:
    for p in reversed(path):
        if not isinstance(p, int) and unit_of(p):
            return unit_of(p)
    return None


def _relative_difference(path: tuple) -> bool:
    keys = [p for p in path if not isinstance(p, int)]
    return bool(keys) and any(fnmatch.fnmatchcase(keys[-1], pat) for pat in RELATIVE_DIFFERENCES)


def _magnitude(x) -> float:
    return abs(x) if math.isfinite(x) else 0.0


def differences(a: dict, b: dict, rtol: float = RTOL, unit_floor: float = UNIT_FLOOR,
                exclude=EXCLUDED) -> list[Difference]:
    """Every difference between the results trees ``a`` and ``b`` beyond ``rtol`` (module
    docstring), structural ones first, then numbers by decreasing relative difference."""
    structure, numbers = [], []
    _walk(a, b, (), structure, numbers, set(exclude))
    out = [d for d in _number_differences(numbers, unit_floor) if not d.rel <= rtol]
    return structure + sorted(out, key=lambda d: -d.rel)


def _number_differences(numbers, unit_floor) -> list[Difference]:
    by_quantity, by_unit = {}, {}
    for path, x, y in numbers:
        m = max(_magnitude(x), _magnitude(y))
        q, u = _quantity(path), _unit(path)
        by_quantity[q] = max(by_quantity.get(q, 0.0), m)
        if u is not None:
            by_unit[u] = max(by_unit.get(u, 0.0), m)
    out = []
    for path, x, y in numbers:
        if x == y or (math.isnan(x) and math.isnan(y)):
            rel = 0.0
        elif not (math.isfinite(x) and math.isfinite(y)):
            rel = math.inf
        else:
            u = _unit(path)
            scale = max(by_quantity[_quantity(path)],
                        unit_floor * by_unit[u] if u is not None else 0.0,
                        1.0 if _relative_difference(path) else 0.0)
            rel = abs(x - y) / scale if scale > 0 else math.inf
        out.append(Difference(_fmt(path), x, y, rel))
    return out


def largest_difference(a: dict, b: dict, unit_floor: float = UNIT_FLOOR,
                       exclude=EXCLUDED) -> Difference | None:
    """The number of ``a`` and ``b`` with the largest relative difference (as measured by
    :func:`differences`), whatever its size; None when there are no numbers.  Raises
    AssertionError on a structural difference."""
    structure, numbers = [], []
    _walk(a, b, (), structure, numbers, set(exclude))
    assert not structure, "\n".join(map(str, structure))
    diffs = _number_differences(numbers, unit_floor)
    return max(diffs, key=lambda d: d.rel) if diffs else None


def assert_same_results(a: dict, b: dict, labels=("first", "second"), rtol: float = RTOL,
                        show: int = 12):
    """Raise AssertionError naming every differing key path (the ``show`` largest), both
    values and the relative difference."""
    diffs = differences(a, b, rtol)
    if diffs:
        lines = [f"{len(diffs)} value(s) of results.json differ between {labels[0]} (a) and "
                 f"{labels[1]} (b) beyond {rtol:g} relative to their group's scale:"]
        lines += [f"  {d}" for d in diffs[:show]]
        if len(diffs) > show:
            lines.append(f"  ... and {len(diffs) - show} more")
        raise AssertionError("\n".join(lines))
