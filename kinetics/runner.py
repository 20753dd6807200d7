"""Run a case: mesh, then the case's model (solve, measure), then write the outputs.

The output folder is checked before meshing and written through
:class:`kinetics.output.folder.OutputFolder`: into a temporary sibling renamed into place at
the end, so a failed run leaves nothing, and never over a folder kinetics did not write.
Layout::

    DIR/results.json        case, mesh statistics, the model's results with units, and
                            ``provenance`` (:func:`case_provenance`, kinetics.io.load_results)
    DIR/fields.bp           V, μ_s, j_c, j_s of the base state (VTX: open in ParaView)
    DIR/fields.vtu          the same at the vertices for PyVista and `kinetics plot DIR`
                            (2D and 3D devices)
    DIR/*.png               pictures (output.pictures = true; kinetics.plot.pictures_from_folder)
    DIR/.kinetics-result    marker: the kinetics version and the entries this run wrote

Progress goes to stderr on rank 0 through the ``kinetics`` logger (:mod:`kinetics.log`): a
progress bar on a terminal, plain lines in logs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from kinetics.case import Case
from kinetics.log import LOGGER
from kinetics.models.registry import REGISTRY

__all__ = ["Progress", "run_case", "case_provenance"]


class Progress:
    """Progress reporting on rank 0 through the ``kinetics`` logger (:mod:`kinetics.log`).

    ``step(message)`` logs one INFO line with the elapsed time; ``bar(total, desc)`` returns
    a callable ``advance(i, n)``: a tqdm bar on a terminal (closed when ``i == n``, or by
    :meth:`close` if the loop ends early), one line per step otherwise.  Without a handler
    on the ``kinetics`` logger (a Python session that did not configure logging), lines go
    to stderr as before.  ``enabled=False`` shows nothing.
    """

    def __init__(self, comm, enabled: bool = True):
        self.rank0 = comm.rank == 0 and enabled
        self.tty = self.rank0 and sys.stderr.isatty()
        self.t0 = time.perf_counter()
        self._bars: list = []

    def _configured(self) -> bool:
        import logging
        return any(not isinstance(h, logging.NullHandler) for h in LOGGER.handlers)

    def step(self, message: str):
        """Show ``message`` with the elapsed time (rank 0, when enabled and INFO is shown)."""
        if not self.rank0:
            return
        if self._configured():
            LOGGER.info(message)
        else:
            print(f"[kinetics {time.perf_counter() - self.t0:7.1f} s] {message}",
                  file=sys.stderr, flush=True)

    def bar(self, total: int, desc: str):
        """A callable(i, n) advancing a bar (or showing a line per step); the bar closes at
        ``i == n`` and in :meth:`close`."""
        import logging
        shown = self.rank0 and (not self._configured() or LOGGER.isEnabledFor(logging.INFO))
        if self.tty and shown:
            from tqdm import tqdm
            bar = tqdm(total=total, desc=desc, file=sys.stderr, leave=True)
            self._bars.append(bar)

            def advance(i, n):
                bar.update(i - bar.n)
                if i >= n:
                    self._close(bar)
            return advance
        return lambda i, n: self.step(f"{desc}: {i}/{n}")

    def _close(self, bar) -> None:
        bar.close()
        if bar in self._bars:
            self._bars.remove(bar)

    def close(self) -> None:
        """Close the bars still open (a loop that ended early, an error)."""
        for bar in list(self._bars):
            self._close(bar)


def run_case(case: Case, outdir, comm=None, progress: Progress | None = None,
             launcher_alive=None) -> dict:
    """Run ``case`` and write its outputs to ``outdir``; returns the results dict.

    Checks the output folder (:class:`kinetics.output.folder.OutputFolder`), meshes
    ``[geometry]``, then calls the run function of the case's model
    (:attr:`kinetics.case.Case.model`, registered in :mod:`kinetics.models.registry`), whose
    results follow ``case``, ``case_file``, ``ranks`` and ``mesh`` in results.json;
    ``wall_time_s`` (s) comes last.  Fields are written when the model left a solution.

    Raises
    ------
    kinetics.output.folder.OutputError
        Before meshing, if ``outdir`` may not be used (an existing folder that is not a
        kinetics result, the case's own folder, ...); or if writing fails.
    kinetics.case.CaseError
        For input that only shows up against the mesh.
    kinetics.solvers.linear.SolverError
        If a solve fails; nothing is written in that case.

    ``launcher_alive`` (callable -> bool, from :func:`kinetics.parallel.guard_launcher`) is
    asked before the result is renamed into place.
    """
    from mpi4py import MPI

    from kinetics.check import measures
    from kinetics.geometry import statistics
    from kinetics.models.registry import RunContext
    from kinetics.output.folder import OutputFolder

    comm = comm or MPI.COMM_WORLD
    progress = progress or Progress(comm)
    folder = OutputFolder(outdir, comm, protect=[case.path] if case.path != "<string>" else [])
    t_start = time.perf_counter()
    model = case.model or REGISTRY.lookup(None)

    geometry = case.get("geometry", default={})
    progress.step(f"meshing ({geometry.get('builder') or geometry.get('file')}, gmsh on rank 0)")
    device = case.build_device(comm, output_dir=folder.target)
    results = {"case": _toml_numbers(case.data), "case_file": case.path, "ranks": comm.size,
               "mesh": statistics(device)}
    sizes = measures(device)
    progress.step(f"mesh: {results['mesh']['cells']} cells, {results['mesh']['vertices']} "
                  f"vertices; regions {', '.join(device.regions)}")
    context = RunContext(comm=comm, progress=progress)
    try:
        results.update(model.run(case, device, context))
    finally:
        progress.close()
    results["wall_time_s"] = time.perf_counter() - t_start
    _check_finite(results)
    results["provenance"] = case_provenance(case, model, sizes, context.solution)
    prov = results["provenance"]
    LOGGER.debug(f"degree {prov.get('degree')}, solver {prov.get('solver')}, "
                 f"{prov.get('run', {})}; materials "
                 f"{ {r: m['library'] or 'case' for r, m in prov['materials'].items()} }")

    output = case.get("output", default={})
    progress.step("writing results")

    def write(tmp: Path):
        _write_outputs(tmp, context.solution, results, output, progress, comm, model.pictures)
    folder.write(write, launcher_alive)
    if comm.rank == 0 and folder.notes:
        LOGGER.warning(f"temporary folders of other runs into {outdir} were left alone: "
                       f"{', '.join(folder.notes)}")
    progress.step(f"done: {outdir}")
    return results


def case_provenance(case: Case, model, sizes: dict, solution=None) -> dict:
    """The case-specific part of ``provenance`` in results.json (the rest is added by
    :func:`kinetics.output.results.write_json`; see :mod:`kinetics.output.provenance`).

    Parameters
    ----------
    case:
        The validated case.
    model:
        Its :class:`kinetics.models.registry.CaseModel`.
    sizes:
        :func:`kinetics.check.measures` of the device (region volumes, facet areas, SI).
    solution:
        The solution the run keeps (``context.solution``) or None.

    Returns
    -------
    dict with ``model``, ``state`` (which state the field files hold), ``materials`` (region
    -> resolved parameters, SI, with ``library`` name, ``overrides`` and ``source``),
    ``interfaces`` (magnetic boundary -> G_r, G_i, G_s in 1/(Ohm m^2), ``library``,
    ``source``), ``geometry`` (builder or file), ``mesh_sizes`` (region volumes, facet areas
    in SI units), ``degree``, ``solver`` and, in ``run``, the linear-solver iterations.
    """
    from kinetics import materials as lib
    mags = [f"m = ({', '.join(f'{v:g}' for v in spec.get('m', (0.0, 0.0, 1.0)))}) at {name}"
            for name, spec in (case.get("boundaries", default={}) or {}).items()
            if isinstance(spec, dict) and spec.get("type") == "magnetic"]
    state = f"{model.name} solution, [boundaries] as written" + \
        (f": {'; '.join(mags)}" if mags else "")
    if model.section == "sweep":
        state += " (the base solve, before the [sweep] scans)"
    out: dict = {"model": model.name, "section": model.section, "state": state}
    materials = {}
    table = case.get("materials", default={})
    for region, mat in case.parsed_materials.items():
        spec = table.get(region) if isinstance(table, dict) else None
        base = spec if isinstance(spec, str) else (spec or {}).get("base")
        overrides = sorted(k for k in spec if k != "base") if isinstance(spec, dict) else []
        summary = mat.summary() if hasattr(mat, "summary") else {}
        materials[region] = {**summary, "library": base, "overrides": overrides,
                             "source": summary.get("source") or "the case file"}
    out["materials"] = materials
    interfaces = {}
    for name, spec in (case.get("boundaries", default={}) or {}).items():
        if not isinstance(spec, dict) or spec.get("type") != "magnetic":
            continue
        entry = {"library": spec.get("interface"), "source": "the case file"}
        values = {"G_r": 0.0, "G_i": 0.0, "G_s": 0.0}
        if spec.get("interface"):
            p = lib.interface(spec["interface"])
            values = {"G_r": p.G_r, "G_i": p.G_i, "G_s": p.G_s}
            entry["source"] = p.source or spec["interface"]
        overrides = sorted(k for k in ("G_r", "G_i", "G_s") if k in spec)
        values.update({k: float(spec[k]) for k in overrides})
        interfaces[name] = {**values, **entry, "overrides": overrides,
                            "m": spec.get("m", [0.0, 0.0, 1.0])}
    out["interfaces"] = interfaces
    geo = case.get("geometry", default={})
    out["geometry"] = {"builder": geo.get("builder"), "file": geo.get("file")}
    out["mesh_sizes"] = sizes
    solver = case.get("solver", default={}) or {}
    problem = getattr(solution, "problem", None)
    degree = getattr(problem, "degree", None) or solver.get("degree")
    if degree is not None:
        out["degree"] = int(degree)
    preset = getattr(problem, "solver_preset", None) or solver.get("preset")
    if preset is not None:
        out["solver"] = {"preset": preset, "petsc_options": dict(solver.get("petsc_options",
                                                                            {}))}
    iterations = getattr(solution, "iterations", None)
    if iterations is not None and float(iterations).is_integer():
        out["run"] = {"linear_iterations_of_kept_solve": int(iterations)}
    return _toml_numbers(out)


def _toml_numbers(value):
    """The case data with infinite numbers (``lambda_sf = inf`` is valid TOML and a valid
    input) spelt as TOML spells them, ``"inf"``/``"-inf"``: results.json is strict JSON."""
    import math
    if isinstance(value, dict):
        return {k: _toml_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_toml_numbers(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def _check_finite(results: dict) -> None:
    """Raise SolverError naming the first NaN or infinite number in ``results`` (a result
    that holds one is a failed computation, never written)."""
    import numpy as np

    from kinetics.solvers.linear import SolverError

    def walk(value, path):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(value, np.ndarray) and value.dtype.kind in "fc":
            bad = np.flatnonzero(~np.isfinite(value.ravel()))
            if bad.size:
                walk(complex(value.ravel()[bad[0]]).real if value.dtype.kind == "f" else
                     float("nan"), f"{path}[flat {bad[0]}]")
        elif isinstance(value, (list, tuple)):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")
        elif isinstance(value, (float, np.floating)) and not np.isfinite(value):
            raise SolverError(f"the result {path} is {value}: the computation failed "
                              f"(nothing written)")
    walk(results, "")


def _write_outputs(tmp: Path, sol, results: dict, output: dict, progress, comm,
                   pictures=None) -> None:
    """results.json, the fields (``[output]``) of ``sol`` unless it is None, and the
    pictures: the model's ``pictures(folder)`` hook, or the standard field pictures."""
    from kinetics.output import results as io
    from kinetics.output.provenance import note_fields
    state = results.get("provenance", {}).get("state")
    if sol is not None:
        from kinetics.models.circuit_results import CircuitSolution
        if output.get("fields", True) and not isinstance(sol, CircuitSolution):   # (.vtu only)
            io.write_fields(sol, tmp / "fields.bp", state=state)
        one_d = not isinstance(sol, CircuitSolution) and sol.device.dim == 1
        from kinetics.output.vtu import supports_vtu
        wrote_vtu = (output.get("fields", True) and not isinstance(sol, CircuitSolution)
                     and supports_vtu(sol))        # write_fields wrote fields.vtu beside
        if (output.get("fields", True) or output.get("pictures", False)) and not one_d \
                and not wrote_vtu:
            # (a 1D stack has fields.bp only: PyVista grids are 2D and 3D)
            from kinetics.output import grid as export
            export.save_vtu(sol, tmp / "fields.vtu", state=state)
            note_fields(tmp / "fields.vtu", sol, state)
    io.write_json(tmp / "results.json", results, comm)
    if output.get("pictures", False) and (pictures is not None or sol is not None):
        if pictures is None:
            from kinetics.plot import pictures_from_folder as pictures
        progress.step("drawing pictures")
        pictures(tmp)
