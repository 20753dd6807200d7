"""Output: fields for ParaView (VTX/ADIOS2 ``.bp``) and results JSON, written atomically.

Only rank 0 writes summaries; field files are written collectively.  Every writer first
writes to a temporary name and renames on success, so a failed run leaves nothing
half-written.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

__all__ = ["write_json", "write_fields", "to_jsonable"]


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


def write_json(path, data: dict, comm=None) -> Path:
    """Write ``data`` as JSON on rank 0 (atomic rename); returns the path on every rank."""
    path = Path(path)
    rank = 0 if comm is None else comm.rank
    if rank == 0:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w") as f:
            json.dump(to_jsonable(data), f, indent=2)
            f.write("\n")
        os.replace(tmp, path)
    if comm is not None:
        comm.barrier()
    return path


def write_fields(sol, path) -> Path:
    """Write V, μ_s, j_c and the spin current for ParaView as one VTX (``.bp``) folder.

    All fields are interpolated into discontinuous Lagrange spaces of the solution's degree
    (exact for V and μ_s; j_c and j_s are cell-wise polynomials of one degree lower), in SI
    units: V and μ_s in volts, j_c and j_s in A/m² (``j_s_x`` is the flow vector of x-polarized
    spin, i.e. J[0, :]).  Coordinates are in mesh units (``Device.length_unit`` metres).

    Returns
    -------
    Path of the ``.bp`` folder.
    """
    from dolfinx import fem, io
    import ufl
    from kinetics.physics.spin_charge import charge_current, spin_current
    problem = sol.problem
    dev = problem.device
    msh = dev.mesh
    deg = problem.degree
    S = fem.functionspace(msh, ("Discontinuous Lagrange", deg))
    Q = fem.functionspace(msh, ("Discontinuous Lagrange", deg, (3,)))
    pts_S = S.element.interpolation_points()
    pts_Q = Q.element.interpolation_points()
    V = fem.Function(S, name="V")
    V.interpolate(fem.Expression(sol.V, pts_S))
    mu = fem.Function(Q, name="mu_s")
    mu.interpolate(fem.Expression(sol.mu_s, pts_Q))
    jc = fem.Function(Q, name="j_c")
    js = [fem.Function(Q, name=f"j_s_{a}") for a in "xyz"]
    scale = problem.sigma0 / problem.L
    for region in problem.materials:
        cells = dev.cell_tags.find(dev.region_tag(region))
        coef = problem.coefficients(region)
        jc.interpolate(fem.Expression(scale * charge_current(sol.V, sol.mu_s, coef, dev.axes), pts_Q),
                       cells0=cells)
        J = spin_current(sol.V, sol.mu_s, coef, dev.axes)
        for a in range(3):
            js[a].interpolate(fem.Expression(scale * ufl.as_vector([J[a, i] for i in range(3)]),
                                             pts_Q), cells0=cells)
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    if msh.comm.rank == 0 and tmp.exists():
        shutil.rmtree(tmp)
    msh.comm.barrier()
    with io.VTXWriter(msh.comm, str(tmp), [V, mu, jc, *js], engine="BP4") as writer:
        writer.write(0.0)
    msh.comm.barrier()
    if msh.comm.rank == 0:
        if path.exists():
            shutil.rmtree(path)
        os.replace(tmp, path)
    msh.comm.barrier()
    return path
