"""What a builder will produce, known before meshing: :func:`describe` -> :class:`Layout`.

:func:`describe` checks a builder's keyword arguments exactly as the builder does (it calls
the builder's ``*_plan`` twin, which the builder itself calls before meshing) and returns
the region and facet names of the device, its dimension, axes and an estimate of its cell
count.  No gmsh, no dolfinx, no MPI: it is pure Python and takes milliseconds, so a case
file can check every name it uses before anything is meshed.

    >>> from kinetics.geometry import describe
    >>> describe("film", {"thickness": 4e-9, "size": [40e-9, 20e-9], "h": 4e-9}).boundaries
    ('pt_top', 'pt_xmax', 'pt_xmin', 'pt_ymax', 'pt_ymin', 'pt|yig')
"""

from __future__ import annotations

import dataclasses
import difflib
import inspect
import os
from collections.abc import Mapping

__all__ = ["Layout", "describe", "BUILDERS", "MAX_CELLS"]

#: builder names accepted by :func:`describe` (and by case files)
BUILDERS = ("layered_box", "film", "stack", "hall_bar", "nonlocal_spin_valve", "pillar",
            "blocks")
#: default cell budget of :func:`describe`: a larger estimated mesh is an error
MAX_CELLS = 5e7
#: keyword arguments of the gmsh builders that do not change the names
_GMSH_EXTRAS = ("cache", "verbose")


@dataclasses.dataclass(frozen=True)
class Layout:
    """The names and size of a device, known without meshing it.

    Attributes
    ----------
    source:
        The builder name (``"hall_bar"``) or the geometry file's path.
    dim:
        Mesh (topological) dimension: 1, 2 or 3.
    axes:
        Physical axes of the mesh coordinates (``"xyz"``, ``"xz"``, ...).
    regions:
        Region names, in the order of the meshed Device's ``regions``.
    boundaries:
        Facet names (exterior faces and interfaces), in the order of the Device's
        ``boundaries``.
    cells:
        Estimated number of cells (exact for ``layered_box``; a rough count for the gmsh
        builders, within a factor of ~2); None for geometry files.
    """

    source: str
    dim: int
    axes: str
    regions: tuple[str, ...]
    boundaries: tuple[str, ...]
    cells: float | None = None

    @property
    def interfaces(self) -> tuple[str, ...]:
        """The facet names of the form ``"a|b"`` (interfaces and named substrate faces)."""
        return tuple(n for n in self.boundaries if "|" in n)


def _plans() -> dict:
    """Builder name -> (plan function, extra keyword arguments that do not affect names)."""
    from kinetics.geometry import builders, devices
    from kinetics.geometry.layered_box import layered_box_plan
    return {"layered_box": (layered_box_plan, ()),
            "film": (builders.film_plan, _GMSH_EXTRAS),
            "stack": (builders.stack_plan, _GMSH_EXTRAS),
            "pillar": (builders.pillar_plan, _GMSH_EXTRAS),
            "hall_bar": (devices.hall_bar_plan, _GMSH_EXTRAS),
            "nonlocal_spin_valve": (devices.nonlocal_spin_valve_plan, _GMSH_EXTRAS),
            "blocks": (devices.blocks_plan, _GMSH_EXTRAS)}


def _hint(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def parameters(builder: str) -> tuple[list[str], list[str]]:
    """(all keyword names, required ones) accepted by :func:`describe` for ``builder``.

    Raises
    ------
    ValueError
        ``builder`` is not one of :data:`BUILDERS`.
    """
    plans = _plans()
    if not isinstance(builder, str) or builder not in plans:
        raise ValueError(f"unknown builder {builder!r}{_hint(str(builder), BUILDERS)}; "
                         f"valid: {', '.join(BUILDERS)}")
    fn, extras = plans[builder]
    sig = inspect.signature(fn).parameters.values()
    names = [p.name for p in sig] + list(extras)
    required = [p.name for p in sig if p.default is inspect.Parameter.empty]
    return names, required


def describe(builder: str, params: Mapping, *, max_cells: float = MAX_CELLS) -> Layout:
    """Check a builder's keyword arguments and name what it will mesh, without meshing.

    Pure Python (no gmsh, no MPI collectives): call it on any rank, as often as needed.
    The checks are the builder's own (see each builder's Raises), plus a cell budget.

    Parameters
    ----------
    builder:
        One of :data:`BUILDERS`: ``layered_box``, ``film``, ``stack``, ``hall_bar``,
        ``nonlocal_spin_valve``, ``pillar``, ``blocks``.
    params:
        The builder's keyword arguments (lengths in metres), e.g. the ``[geometry]`` table
        of a case file without ``builder``; ``comm`` is not accepted, ``cache`` (a bool or a
        path) and ``verbose`` (a bool) are accepted by the gmsh builders and ignored.
    max_cells:
        Cell budget: an estimated mesh larger than this raises ValueError instead of
        meshing for hours (default 5e7).

    Returns
    -------
    Layout
        Region and facet names in the order of the meshed Device, dimension, axes and the
        estimated cell count.

    Raises
    ------
    ValueError
        Every error, with the message starting ``"<builder>(): "``: an unknown builder or
        keyword (``"hall_bar(): unknown parameter 'substrate'; valid: length, width, ..."``
        with a did-you-mean), missing required keywords, wrong types (``h = true``: a bool
        is not a length; strings where numbers go; non-integer counts), NaN, ±inf, zero,
        negative, huge (> 1 m) or tiny (< 1e-12 m) lengths, ``h`` larger than the device,
        counts out of range (``cells_across`` 1..10000, ``grading`` in [0, 1)), unknown
        facet names in ``refine`` or ``rename``, overlapping ``blocks`` boxes, and an
        estimated mesh of more than ``max_cells`` cells; more than 100 layers, boxes or
        arm pairs.
    """
    names, required = parameters(builder)
    if not isinstance(params, Mapping):
        raise ValueError(f"{builder}(): parameters must be a table of keyword arguments, "
                         f"got {params!r}")
    unknown = [k for k in params if k not in names]
    if unknown:
        listed = ", ".join(f"'{k}'{_hint(str(k), names)}" for k in unknown)
        raise ValueError(f"{builder}(): unknown parameter{'s' if len(unknown) > 1 else ''} "
                         f"{listed}; valid: {', '.join(names)}")
    missing = [k for k in required if k not in params]
    if missing:
        raise ValueError(f"{builder}(): missing required parameter"
                         f"{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}; "
                         f"valid: {', '.join(names)}")
    kwargs = dict(params)
    fn, extras = _plans()[builder]
    if "verbose" in kwargs and not isinstance(kwargs["verbose"], bool):
        raise ValueError(f"{builder}(): verbose must be true or false, got {kwargs['verbose']!r}")
    if "cache" in kwargs and not isinstance(kwargs["cache"], (bool, str, os.PathLike)):
        raise ValueError(f"{builder}(): cache must be true, false or a folder, got "
                         f"{kwargs['cache']!r}")
    for key in extras:
        kwargs.pop(key, None)
    try:
        plan = fn(**kwargs)
    except KeyError as exc:
        raise ValueError(f"{builder}(): {exc.args[0] if exc.args else exc}") from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError(f"{builder}(): {exc}") from None
    if not plan.cells <= max_cells:
        h = plan.values.get("h")
        raise ValueError(f"{builder}(): the mesh would have about {plan.cells:.3g} cells, more "
                         f"than the budget of {max_cells:.3g}" +
                         (f": increase h (now {h:g} m), or reduce refine or cells_across"
                          if h else ": use fewer cells"))
    return Layout(builder, plan.dim, plan.axes, tuple(plan.regions), tuple(plan.boundaries),
                  float(plan.cells))
