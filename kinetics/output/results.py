"""Output: fields for ParaView (VTX/ADIOS2 ``.bp``) and results JSON, written atomically.

Only rank 0 writes summaries; field files are written collectively.  Every writer first
writes to a temporary name and renames on success, so a failed run leaves nothing
half-written.  Files are world-readable (0644).

Every results file gets a ``provenance`` table (:func:`provenance`, module
:mod:`kinetics.output.provenance`): version, commit, the state each field file written
beside it holds (:func:`write_fields` notes it), the unit of every number, and the run
(ranks, command line, time).  :func:`kinetics.io.load_results` reads it back.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from kinetics.output.provenance import field_notes, note_fields, provenance, written

__all__ = ["write_json", "write_fields", "to_jsonable", "provenance"]


def to_jsonable(obj):
    """Convert numpy scalars/arrays (recursively) to JSON types."""
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_json(path, data: dict, comm=None, *, with_provenance: bool = True) -> Path:
    """Write ``data`` as JSON on rank 0 (atomic rename); returns the path on every rank.

    With ``with_provenance`` (default), the file gets a ``provenance`` table
    (:func:`provenance`; a ``provenance`` dict already in ``data`` is kept and completed):
    the kinetics version and commit, what each field file written into the same folder by
    :func:`write_fields` holds, the unit of every number (``units``) and ``run`` (ranks,
    command line, UTC time).  The other keys and values of ``data`` are written unchanged.

    Strict JSON: NaN or infinity anywhere in ``data`` raises ValueError (on rank 0), since a
    result holding them is a failed result, not a number to plot.  The file is world-readable
    (0644, whatever the umask).

    Raises
    ------
    ValueError
        NaN or infinity in ``data`` (rank 0).
    OSError
        If writing fails (on every rank: on the others naming rank 0's error).
    """
    path = Path(path)
    rank = 0 if comm is None else comm.rank
    size = 1 if comm is None else comm.size
    error = None
    if rank == 0:
        try:
            if with_provenance:
                prov = provenance(data, ranks=size, fields=field_notes(path.parent),
                                  given=data.get("provenance"))
                data = {**{k: v for k, v in data.items() if k != "provenance"},
                        "provenance": prov}
            _write_json_file(path, data)
            if with_provenance:
                written(path)
        except (OSError, ValueError, TypeError) as exc:
            error = exc
    if comm is not None and comm.size > 1:
        message = comm.bcast(None if error is None else f"{type(error).__name__}: {error}",
                             root=0)
        if rank != 0 and message is not None:
            raise OSError(f"writing {path} failed on rank 0: {message}")
    if error is not None:
        raise error
    return path


def _write_json_file(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(to_jsonable(data), f, indent=2, allow_nan=False)
            f.write("\n")
        os.chmod(tmp, 0o644 | (0o666 & ~_umask()))   # mkstemp makes 0600; results are shared
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_fields(sol, path, state: str | None = None) -> Path:
    """Write the declared fields of a solution for ParaView as one VTX (``.bp``) folder, and
    on 2D and 3D devices the same fields at the vertices as ``.vtu`` beside it
    (:func:`kinetics.output.vtu.write_vtu_beside`, for PyVista and ``kinetics plot``).

    ``state`` says which state the fields are (e.g. ``"the last solve: 35 nm, m = -z"``);
    it is recorded, with what the solution itself tells (problem, degree, unknowns, mesh
    extent, magnetizations; :func:`kinetics.output.provenance.describe_solution`), under
    ``provenance/fields/<name>`` of the results.json written into the same folder (before or
    after this call).

    Every field of ``sol.fields`` is interpolated into a discontinuous Lagrange space of the
    solution's degree (exact for the primary fields; fluxes are cell-wise polynomials of one
    degree lower, per region), in SI units (spin–charge model: V and μ_s in volts, j_c and
    j_s in A/m²; a (3, 3) field is written as its rows, ``j_s_x`` the flow vector of
    x-polarized spin, J[0, :]).  Coordinates are in mesh units (``Device.length_unit``
    metres).

    Returns
    -------
    Path of the ``.bp`` folder.
    """
    from dolfinx import fem, io
    msh = sol.device.mesh
    functions = []
    for field in sol.fields:
        for name, part in _vector_parts(field):
            shape = () if part is None and field.shape == () else (3,)
            Q = fem.functionspace(msh, ("Discontinuous Lagrange", sol.degree, shape))
            f = fem.Function(Q, name=name)
            pts = Q.element.interpolation_points()
            regions = [None] if field.kind == "primary" else sol.regions
            for region in regions:
                expr = sol.expression(field.name, region)
                if part is not None:
                    expr = _row(expr, part)
                where = {} if region is None else {
                    "cells0": sol.device.cell_tags.find(sol.device.region_tag(region))}
                f.interpolate(fem.Expression(expr, pts), **where)
            functions.append(f)
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    if msh.comm.rank == 0 and tmp.exists():
        shutil.rmtree(tmp)
    msh.comm.barrier()
    with io.VTXWriter(msh.comm, str(tmp), functions, engine="BP4") as writer:
        writer.write(0.0)
    msh.comm.barrier()
    if msh.comm.rank == 0:
        if path.exists():
            shutil.rmtree(path)
        os.replace(tmp, path)
        from kinetics.output.folder import world_readable
        world_readable(path)
    msh.comm.barrier()
    note_fields(path, sol, state)
    # the same fields at the vertices, for PyVista and `kinetics plot` (2D and 3D devices)
    from kinetics.output.vtu import supports_vtu, write_vtu_beside
    if supports_vtu(sol):
        write_vtu_beside(sol, path, state=state)
        note_fields(path.with_suffix(".vtu"), sol, state)
    return path


def _vector_parts(field):
    """(output name, row) pairs of a declared field: scalars and 3-vectors are written
    whole (row None), a (3, 3) tensor as its rows ``name_x``, ``name_y``, ``name_z``."""
    if field.shape in ((), (3,)):
        return [(field.name, None)]
    return [(f"{field.name}_{a}", i) for i, a in enumerate("xyz")]


def _row(expr, i):
    import ufl
    return ufl.as_vector([expr[i, k] for k in range(3)])
