"""Frozen parameter records (materials, ferromagnets, interface sets): a validated copy with
some parameters replaced, and a JSON-friendly summary.  One implementation for every record
class of :mod:`kinetics.materials`, :mod:`kinetics.ferromagnets` and
:mod:`kinetics.fn_materials`.
"""

from __future__ import annotations

import dataclasses

import numpy as np

__all__ = ["replaced", "summary"]


def replaced(owner: str, record, overrides: dict):
    """A copy of the frozen dataclass ``record`` with ``overrides`` replaced; its
    ``__post_init__`` validates the new values again.

    Raises
    ------
    TypeError
        ``"{owner}: unknown parameter(s) [...]; valid: [...]"`` for names that are not fields.
    """
    valid = {f.name for f in dataclasses.fields(record)}
    unknown = set(overrides) - valid
    if unknown:
        raise TypeError(f"{owner}: unknown parameter(s) {sorted(unknown)}; "
                        f"valid: {sorted(valid)}")
    return dataclasses.replace(record, **overrides)


def summary(record) -> dict:
    """Field name -> value of ``record`` for JSON: arrays as lists, callables (parameters
    that vary in space) as ``"expression"``."""
    out = {}
    for f in dataclasses.fields(record):
        v = getattr(record, f.name)
        if callable(v):
            v = "expression"
        elif isinstance(v, np.ndarray):
            v = v.tolist()
        out[f.name] = v
    return out
