"""Run a case: mesh, then the case's model (solve, measure), then write the outputs.

Output folder layout (written to a temporary sibling and renamed at the end, so a failed
run leaves nothing)::

    DIR/results.json        case, mesh statistics, the model's results with units
    DIR/fields.bp           V, μ_s, j_c, j_s of the base state (VTX: open in ParaView)
    DIR/fields.vtu          the same at the vertices for PyVista and `kinetics plot DIR`
    DIR/*.png               pictures (output.pictures = true; kinetics.plot.pictures_from_folder)

Progress goes to stderr on rank 0: a progress bar on a terminal, plain lines in logs.
"""

from __future__ import annotations

import os
import shutil
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
            return lambda i, n: bar.update(1) or (bar.close() if i == n else None)
        return lambda i, n: self.step(f"{desc}: {i}/{n}")


def run_case(case: Case, outdir, comm=None, progress: Progress | None = None) -> dict:
    """Run ``case`` and write its outputs to ``outdir``; returns the results dict.

    Meshes ``[geometry]``, then calls the run function of the case's model
    (:attr:`kinetics.case.Case.model`, registered in :mod:`kinetics.models.registry`), whose
    results follow ``case``, ``case_file``, ``ranks`` and ``mesh`` in results.json;
    ``wall_time_s`` (s) comes last.  Fields are written when the model left a solution.

    Raises
    ------
    kinetics.case.CaseError
        For input that only shows up against the mesh (unknown region or facet names).
    kinetics.solvers.linear.SolverError
        If a solve fails; nothing is written in that case.
    """
    from mpi4py import MPI

    from kinetics.geometry import statistics
    from kinetics.models.registry import RunContext

    comm = comm or MPI.COMM_WORLD
    progress = progress or Progress(comm)
    outdir = Path(outdir)
    t_start = time.perf_counter()
    model = case.model or REGISTRY.lookup(None)

    progress.step("meshing")
    device = case.build_device(comm)
    results = {"case": case.data, "case_file": case.path, "ranks": comm.size,
               "mesh": statistics(device)}
    context = RunContext(comm=comm, progress=progress)
    results.update(model.run(case, device, context))
    results["wall_time_s"] = time.perf_counter() - t_start

    output = case.get("output", default={})
    progress.step("writing results")

    def write(tmp: Path):
        _write_outputs(tmp, context.solution, results, output, progress, comm)
    _write(outdir, comm, write)
    progress.step(f"done: {outdir}")
    return results


def _write(outdir: Path, comm, writer) -> None:
    """Call ``writer(tmp)`` on every rank with a fresh temporary sibling folder of ``outdir``
    and rename it to ``outdir`` when it returns: a failed run leaves nothing."""
    tmp = outdir.parent / f".{outdir.name}.tmp"
    if comm.rank == 0:
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
    comm.barrier()
    writer(tmp)
    comm.barrier()
    if comm.rank == 0:
        if outdir.exists():
            shutil.rmtree(outdir)
        os.replace(tmp, outdir)
    comm.barrier()


def _write_outputs(tmp: Path, sol, results: dict, output: dict, progress, comm) -> None:
    """results.json, and the fields (``[output]``) of ``sol`` unless it is None."""
    from kinetics.output import results as io
    if sol is None:
        io.write_json(tmp / "results.json", results, comm)
        return
    if output.get("fields", True):
        io.write_fields(sol, tmp / "fields.bp")
    if output.get("fields", True) or output.get("pictures", False):
        from kinetics.output import grid as export
        export.save_vtu(sol, tmp / "fields.vtu")
    io.write_json(tmp / "results.json", results, comm)
    if output.get("pictures", False):
        from kinetics.plot import pictures_from_folder
        progress.step("drawing pictures")
        pictures_from_folder(tmp)
