"""Keys of a case file: where they are in the TOML text and whether they fit a schema.

A schema is a mapping key -> type or tuple of types (``(int, float)`` for numbers, ``list``
for arrays, ``dict`` for tables; anything else: not type-checked).  Used by
:mod:`kinetics.case` for the common sections and for the model sections registered in
:mod:`kinetics.models.registry`.  Errors come from ``case.error(keypath, message)``, which
adds the file and line that :class:`Locator` found.
"""

from __future__ import annotations

import difflib
import tomllib

__all__ = ["Locator", "type_name", "check_type", "check_keys"]


class Locator:
    """Line numbers of keys and tables in a TOML text (for error messages)."""

    def __init__(self, text: str):
        self.lines: dict[tuple, int] = {}
        table: tuple = ()
        for lineno, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                inner = line.strip("[]").split("#")[0].strip()
                try:
                    doc = tomllib.loads(f"[{inner}]\n")
                except tomllib.TOMLDecodeError:
                    continue
                table = self._path(doc)
                self.lines.setdefault(table, lineno)
                continue
            try:
                doc = tomllib.loads(line)
            except tomllib.TOMLDecodeError:
                key = line.split("=")[0].strip().strip('"')
                if key:
                    self.lines.setdefault(table + (key,), lineno)
                continue
            for sub in self._leaves(doc):
                self.lines.setdefault(table + sub, lineno)

    @staticmethod
    def _path(doc) -> tuple:
        out = []
        while isinstance(doc, dict) and len(doc) == 1:
            k = next(iter(doc))
            out.append(k)
            doc = doc[k]
        return tuple(out)

    @classmethod
    def _leaves(cls, doc, prefix=()):
        for k, v in doc.items():
            yield prefix + (k,)
            if isinstance(v, dict):
                yield from cls._leaves(v, prefix + (k,))

    def line(self, path: tuple) -> int | None:
        """Line of ``path`` (a key path; integer indices ignored), else of its closest
        parent, else None."""
        path = tuple(p for p in path if not isinstance(p, int))
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def type_name(t) -> str:
    """A type (or tuple of types) in TOML words: integer, number, string, array, table."""
    if isinstance(t, tuple):
        return " or ".join(type_name(x) for x in t)
    return {int: "integer", float: "number", str: "string", list: "array", dict: "table",
            bool: "boolean"}.get(t, t.__name__)


def check_type(case, keypath: tuple, value, expected) -> None:
    """Check that ``value`` has type ``expected`` (booleans are not numbers).

    Raises
    ------
    kinetics.case.CaseError
        ``"[keypath] must be integer or number, got str 'one'"`` with file and line.
    """
    numeric = expected in ((int, float), int, float)
    ok = isinstance(value, expected) and not (isinstance(value, bool) and numeric)
    if not ok:
        raise case.error(keypath, f"must be {type_name(expected)}, got {type(value).__name__} "
                         f"{value!r}")


def check_keys(case, keypath: tuple, table: dict, allowed) -> None:
    """Check every key of ``table`` against ``allowed`` (a schema, or a set of names).

    Raises
    ------
    kinetics.case.CaseError
        ``"[keypath.key] unknown key 'key' (did you mean ...?); valid keys: ..."`` for a key
        not allowed, or the :func:`check_type` error for a value of the wrong type.
    """
    for key, value in table.items():
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise case.error(keypath + (key,), f"unknown key '{key}'{hint}; valid keys: "
                             f"{', '.join(sorted(allowed))}")
        expected = allowed[key] if isinstance(allowed, dict) else None
        if isinstance(expected, (type, tuple)):
            check_type(case, keypath + (key,), value, expected)
