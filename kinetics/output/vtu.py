"""The ``.vtu`` beside a ``.bp``: what ``kinetics plot DIR`` reads back.

:func:`kinetics.output.results.write_fields` writes VTX (ADIOS2 ``.bp``) folders for
ParaView; nothing in the Python environment reads ``.bp`` back (no ADIOS2 Python module), so
every field writer also leaves the gathered grid of :func:`kinetics.output.grid.to_pyvista`
as ``NAME.vtu`` next to ``NAME.bp`` (:func:`write_vtu_beside`).  The ``.vtu`` holds V and μ_s
at the vertices and the cell averages of the currents, in SI units, coordinates in nm.

Which state the files hold (e.g. "Pt 4 nm, m = x, I along -x") can be given as ``state``: it
is stored in the ``.vtu`` as field data ``state`` (read it with :func:`state_of`) and the
pictures of ``kinetics plot`` print it under their titles.
"""

from __future__ import annotations

from pathlib import Path

from kinetics.output import grid as _grid

__all__ = ["write_vtu_beside", "vtu_path", "state_of", "supports_vtu"]


def vtu_path(path) -> Path:
    """The ``.vtu`` path beside a field file: ``out/fields.bp`` -> ``out/fields.vtu``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.vtu") if path.suffix else \
        path.with_name(f"{path.name}.vtu")


def supports_vtu(sol) -> bool:
    """Whether :func:`write_vtu_beside` writes a grid for ``sol``: a solution of a problem
    (``sol.problem``: spin-charge and circuit solutions) on a 2D or 3D device.  1D stacks
    and solution-like objects without a problem (e.g. SOC spin currents) have no grid."""
    problem = getattr(sol, "problem", None)
    device = getattr(problem, "device", None)
    return device is not None and getattr(device, "dim", 0) >= 2


def write_vtu_beside(sol, path, *, state: str | None = None, unit: str = "nm"):
    """Write the fields of ``sol`` as ``NAME.vtu`` beside the field file ``path``.

    Collective: call it on every rank (the grid is gathered to rank 0, which writes under a
    temporary name and renames; an error there is raised on every rank).

    Parameters
    ----------
    sol:
        A :class:`~kinetics.models.spin_charge.Solution` or a
        :class:`~kinetics.models.circuit_results.CircuitSolution`.
    path:
        The field file written beside, e.g. ``out/fields.bp`` (need not exist); the grid goes
        to ``out/fields.vtu``.
    state:
        Which state the fields are (free text, e.g. ``"d = 4 nm, m = (1, 0, 0)"``); stored
        as field data ``state``.  None: nothing stored.
    unit:
        Coordinate unit of the grid (:func:`kinetics.output.grid.to_pyvista`).

    Returns
    -------
    pathlib.Path of the ``.vtu`` on rank 0; None on the other ranks, and on every rank when
    ``sol`` has no grid (:func:`supports_vtu`: a 1D device or no ``sol.problem``).

    Raises
    ------
    ValueError
        An unknown ``unit``, a curved mesh geometry, a ``state`` that is not a string.
    """
    if not supports_vtu(sol):
        if state is not None and not isinstance(state, str):
            raise ValueError(f"state must be a string describing the fields, got "
                             f"{type(state).__name__}")
        return None
    return _grid.save_vtu(sol, vtu_path(path), unit=unit, state=state)


def state_of(grid) -> str | None:
    """The ``state`` text of a grid written by :func:`write_vtu_beside`, or None."""
    if grid is None or "state" not in grid.field_data:
        return None
    return _grid.text_field(grid, "state")[0] or None
