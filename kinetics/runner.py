"""Run a case: mesh, then the case's model (solve, measure), then write the outputs.

The output folder is checked before meshing and written through
:class:`kinetics.output.folder.OutputFolder`: into a temporary sibling renamed into place at
the end, so a failed run leaves nothing, and never over a folder kinetics did not write.
Layout::

    DIR/results.json        case, mesh statistics, the model's results with units
    DIR/fields.bp           V, μ_s, j_c, j_s of the base state (VTX: open in ParaView)
    DIR/fields.vtu          the same at the vertices for PyVista and `kinetics plot DIR`
                            (2D and 3D devices)
    DIR/*.png               pictures (output.pictures = true; kinetics.plot.pictures_from_folder)
    DIR/.kinetics-result    marker: the kinetics version and the entries this run wrote

Progress goes to stderr on rank 0: a progress bar on a terminal, plain lines in logs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from kinetics.case import Case
from kinetics.models.registry import REGISTRY

__all__ = ["Progress", "run_case"]


class Progress:
    """Progress reporting on rank 0: tqdm on a terminal, plain lines otherwise."""

    def __init__(self, comm, enabled: bool = True):
        self.rank0 = comm.rank == 0 and enabled
        self.tty = self.rank0 and sys.stderr.isatty()
        self.t0 = time.perf_counter()

    def step(self, message: str):
        """Print ``message`` with the elapsed time (rank 0, when enabled)."""
        if self.rank0:
            print(f"[kinetics {time.perf_counter() - self.t0:7.1f} s] {message}",
                  file=sys.stderr, flush=True)

    def bar(self, total: int, desc: str):
        """A callable(i, n) advancing a bar (or printing a line per step)."""
        if self.tty:
            from tqdm import tqdm
            bar = tqdm(total=total, desc=desc, file=sys.stderr, leave=True)

            def advance(i, n):
                bar.update(1)
                if i == n:
                    bar.close()
            return advance
        return lambda i, n: self.step(f"{desc}: {i}/{n}")


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

    from kinetics.geometry import statistics
    from kinetics.models.registry import RunContext
    from kinetics.output.folder import OutputFolder

    comm = comm or MPI.COMM_WORLD
    progress = progress or Progress(comm)
    folder = OutputFolder(outdir, comm, protect=[case.path] if case.path != "<string>" else [])
    t_start = time.perf_counter()
    model = case.model or REGISTRY.lookup(None)

    progress.step("meshing")
    device = case.build_device(comm, output_dir=folder.target)
    results = {"case": _toml_numbers(case.data), "case_file": case.path, "ranks": comm.size,
               "mesh": statistics(device)}
    context = RunContext(comm=comm, progress=progress)
    results.update(model.run(case, device, context))
    results["wall_time_s"] = time.perf_counter() - t_start
    _check_finite(results)

    output = case.get("output", default={})
    progress.step("writing results")

    def write(tmp: Path):
        _write_outputs(tmp, context.solution, results, output, progress, comm, model.pictures)
    folder.write(write, launcher_alive)
    if comm.rank == 0 and folder.notes:
        print(f"kinetics: note: temporary folders of other runs into {outdir} were left alone: "
              f"{', '.join(folder.notes)}", file=sys.stderr, flush=True)
    progress.step(f"done: {outdir}")
    return results


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
    if sol is not None:
        from kinetics.models.circuit_results import CircuitSolution
        if output.get("fields", True) and not isinstance(sol, CircuitSolution):   # (.vtu only)
            io.write_fields(sol, tmp / "fields.bp")
        one_d = not isinstance(sol, CircuitSolution) and sol.device.dim == 1
        if (output.get("fields", True) or output.get("pictures", False)) and not one_d:
            # (a 1D stack has fields.bp only: PyVista grids are 2D and 3D)
            from kinetics.output import grid as export
            export.save_vtu(sol, tmp / "fields.vtu")
    io.write_json(tmp / "results.json", results, comm)
    if output.get("pictures", False) and (pictures is not None or sol is not None):
        if pictures is None:
            from kinetics.plot import pictures_from_folder as pictures
        progress.step("drawing pictures")
        pictures(tmp)
