"""Provenance of a results file: what made the numbers, next to the numbers.

:func:`provenance` builds the ``provenance`` table that
:func:`kinetics.output.results.write_json` adds to every ``results.json``::

    provenance
      kinetics       package version
      code           git commit and branch of the checkout holding the package (null when it
                     is not in a git checkout; read from .git, no git program needed)
      software       versions of Python, dolfinx, PETSc (petsc4py), numpy, gmsh, ...
      fields         field file name -> what it holds (:func:`note_fields`)
      ...            what the caller adds (``kinetics run``: case, model, materials,
                     interfaces, mesh, degree, solver; :mod:`kinetics.runner`)
      units          key path -> unit of every number (:func:`kinetics.io.units_map`)
      run            ranks, command line, UTC time: what differs between two runs of the
                     same input (left out of the rank comparisons of tests/test_demos.py)

The table describes the run; the results themselves are unchanged.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import platform
import sys
from pathlib import Path

__all__ = ["provenance", "code_version", "software_versions", "note_fields", "field_notes",
           "describe_solution", "written"]

#: folder (resolved, str) -> {field file name: what it holds}; filled by note_fields on every
#: rank, read by write_json on rank 0
_NOTES: dict[str, dict] = {}
#: results.json files written by this process (rank 0): a later note updates them
_WRITTEN: set[str] = set()

_DISTRIBUTIONS = (("dolfinx", "fenics-dolfinx", "dolfinx"), ("basix", "fenics-basix", "basix"),
                  ("ufl", "fenics-ufl", "ufl"), ("petsc4py", "petsc4py", "petsc4py"),
                  ("mpi4py", "mpi4py", "mpi4py"), ("numpy", "numpy", "numpy"),
                  ("gmsh", "gmsh", "gmsh"))


def _git_dir(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        dot = folder / ".git"
        if dot.is_dir():
            return dot
        if dot.is_file():                      # a worktree: "gitdir: PATH"
            text = dot.read_text(errors="replace").strip()
            if text.startswith("gitdir:"):
                target = Path(text[7:].strip())
                return target if target.is_absolute() else (folder / target).resolve()
    return None


def _read_ref(git: Path, ref: str) -> str | None:
    common = git
    if (git / "commondir").is_file():
        common = (git / (git / "commondir").read_text().strip()).resolve()
    for base in (git, common):
        if (base / ref).is_file():
            return (base / ref).read_text().strip()
    packed = common / "packed-refs"
    if packed.is_file():
        for line in packed.read_text(errors="replace").splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1] == ref:
                return parts[0]
    return None


def code_version(start=None) -> dict:
    """``{"version", "git_commit", "git_branch"}`` of the kinetics package in use.

    The commit is read from the ``.git`` folder (or worktree file) in ``start`` or above it
    (default: the folder holding the package), without running git; None for each git entry
    when there is no git checkout or its files cannot be read (never an error).
    """
    from kinetics import __version__
    out = {"version": __version__, "git_commit": None, "git_branch": None}
    start = Path(__file__).resolve().parent.parent.parent if start is None else Path(start)
    try:
        git = _git_dir(start)
        if git is None:
            return out
        head = (git / "HEAD").read_text().strip()
        if head.startswith("ref:"):
            ref = head[4:].strip()
            out["git_branch"] = ref.rsplit("refs/heads/", 1)[-1]
            out["git_commit"] = _read_ref(git, ref)
        else:
            out["git_commit"] = head
    except (OSError, ValueError):
        pass
    return out


def software_versions() -> dict:
    """Versions of Python and of the libraries the numbers depend on (None when one is not
    installed or has no version)."""
    out = {"python": platform.python_version()}
    for key, dist, module in _DISTRIBUTIONS:
        version = None
        try:
            version = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            mod = sys.modules.get(module)
            version = getattr(mod, "__version__", None) if mod is not None else None
        out[key] = version
    return out


def describe_solution(sol, state: str | None = None) -> dict:
    """What a solution is, for ``provenance/fields`` (collective: call on every rank).

    Returns
    -------
    dict with ``state`` (the caller's words, or ``"the solution passed to write_fields"``),
    ``problem`` (class), ``degree``, ``unknowns``, ``regions``, ``extent_m`` ((dim, 2)
    bounding box of the mesh in metres), ``materials`` (region -> parameters and source) and
    ``magnetizations`` (boundary -> m, unit vector) where the problem has them.
    """
    import numpy as np
    from mpi4py import MPI
    out = {"state": state or "the solution passed to write_fields"}
    problem = getattr(sol, "problem", None)
    if problem is not None:
        out["problem"] = type(problem).__name__
    for key, attr in (("degree", "degree"), ("unknowns", "num_dofs")):
        value = getattr(sol, attr, None)
        value = getattr(problem, attr, None) if value is None else value
        if isinstance(value, (int, np.integer)):
            out[key] = int(value)
    device = getattr(sol, "device", None)
    if device is not None:
        msh = device.mesh
        x = msh.geometry.x[:, :msh.geometry.dim]
        lo = x.min(axis=0) if len(x) else np.full(x.shape[1], np.inf)
        hi = x.max(axis=0) if len(x) else np.full(x.shape[1], -np.inf)
        # float by float: a pickled array would be reduced with Python's min (an error)
        lo = [msh.comm.allreduce(float(v), op=MPI.MIN) * device.length_unit for v in lo]
        hi = [msh.comm.allreduce(float(v), op=MPI.MAX) * device.length_unit for v in hi]
        out["regions"] = list(device.regions)
        out["extent_m"] = [[float(a), float(b)] for a, b in zip(lo, hi)]
    materials = getattr(problem, "materials", None)
    if isinstance(materials, dict):
        out["materials"] = {r: m.summary() for r, m in materials.items()
                            if hasattr(m, "summary")}
    mags = {}
    conditions = getattr(problem, "boundaries", None)
    for cond in conditions if isinstance(conditions, (list, tuple)) else []:
        m, name = getattr(cond, "m", None), getattr(cond, "name", None)
        if isinstance(name, str) and isinstance(m, (list, tuple, np.ndarray)) and np.size(m) == 3:
            mags[name] = [float(v) for v in np.asarray(m, dtype=float).ravel()]
    if mags:
        out["magnetizations"] = mags
    return out


def note_fields(path: Path, sol, state: str | None = None) -> None:
    """Record what the field file ``path`` holds (collective: call on every rank).

    The note goes into ``provenance/fields/<path.name>`` of the results.json of the same
    folder: kept for :func:`kinetics.output.results.write_json` when that file is written
    later, or added to it at once when this process wrote it already (rank 0).
    """
    path = Path(path)
    note = describe_solution(sol, state)
    folder = str(path.parent.resolve())
    _NOTES.setdefault(folder, {})[path.name] = note
    comm = getattr(getattr(getattr(sol, "device", None), "mesh", None), "comm", None)
    if comm is not None and comm.rank != 0:
        return
    results = path.parent / "results.json"
    if str(results.resolve()) in _WRITTEN and results.is_file():
        import json

        from kinetics.output.results import _write_json_file
        data = json.loads(results.read_text())
        prov = data.setdefault("provenance", {})
        prov.setdefault("fields", {})[path.name] = note
        _write_json_file(results, data)


def written(path: Path) -> None:
    """Remember that this process wrote the results file ``path`` (rank 0), so that a field
    file written after it into the same folder is noted in it (:func:`note_fields`)."""
    _WRITTEN.add(str(Path(path).resolve()))


def field_notes(folder: Path) -> dict:
    """The notes of :func:`note_fields` for the field files of ``folder``."""
    return dict(_NOTES.get(str(Path(folder).resolve()), {}))


def provenance(data: dict, ranks: int = 1, fields: dict | None = None,
               given: dict | None = None) -> dict:
    """The ``provenance`` table of a results file (module docstring).

    Parameters
    ----------
    data:
        The results (for the units of their numbers).
    ranks:
        Number of MPI ranks of the run.
    fields:
        Field file name -> what it holds (:func:`field_notes`).
    given:
        Entries the caller knows (``kinetics run``: case, materials, mesh, ...); kept, and
        its ``run`` entries merged into ``run``.

    Returns
    -------
    dict
        JSON-ready; ``run`` differs between two runs of the same input.
    """
    from kinetics.io import units_map
    given = dict(given) if isinstance(given, dict) else ({} if given is None else
                                                         {"given": given})
    code = code_version()
    out = {"kinetics": code.pop("version"), "code": code, "software": software_versions()}
    run_given = given.pop("run", {})
    run_given = run_given if isinstance(run_given, dict) else {"given": run_given}
    out.update(given)
    if fields:
        out["fields"] = {**fields, **out.get("fields", {})}
    out["units"] = units_map(data)
    argv = list(getattr(sys, "orig_argv", None) or sys.argv)
    if argv:
        argv[0] = Path(argv[0]).name
    out["run"] = {"ranks": ranks, "command": argv,
                  "utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                  **run_given}
    return out
