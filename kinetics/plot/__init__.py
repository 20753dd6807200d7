"""Pictures of solutions: PyVista scenes of the fields and matplotlib charts, as PNG files.

Plotting never re-solves (docs/design.md §2): the PyVista functions take a
:class:`~kinetics.models.spin_charge.Solution`, a grid from
:func:`kinetics.output.grid.to_pyvista`, or the ``.vtu`` file that
:func:`kinetics.output.grid.save_vtu` (or :func:`kinetics.output.vtu.write_vtu_beside`) wrote
during the run; the charts take arrays.

PyVista (off-screen PNG; ``show=True`` also opens a window when a display exists):

- :func:`spin_accumulation_3d` — μ_s arrows over the device coloured by |μ_s| or a
  component, clipped or sliced views through the thickness; on a 2D section the in-plane
  part as arrows and the normal part as ⊙/⊗ marks;
- :func:`current_streamlines` — streamlines of the charge current coloured by |j_c|;
- :func:`regions` — the device coloured by region and its named faces (contacts, probes,
  interfaces; seen from above and from below), with legends;
- :func:`pictures_from_folder` — the standard pictures of every ``.vtu`` in a folder (what
  ``kinetics plot DIR`` draws).

Matplotlib:

- :func:`line_profile` — profiles along a line (μ_s through a film) with closed forms;
- :func:`smr_angular` — R_xx, R_xy vs the magnetization angle in the α (xy), β (yz),
  γ (xz) rotation planes;
- :func:`thickness_scan` — observables vs film thickness (SMR amplitudes vs Chen 2013);
- :func:`smr_sweep` — the SMR chart of a ``[sweep]`` run from its results.json, and
  :func:`sweep_table`, the summary ``kinetics run`` prints.

Conventions shared by all of them:

- every function returns the PNG path on the rank that drew it (rank 0) and None on the
  other MPI ranks, without error.  With a Solution (or Device) the call is collective (the
  fields are gathered to rank 0); an error on rank 0 is raised on every rank.  With a grid,
  a path or arrays, rank 0 of ``MPI.COMM_WORLD`` draws and nothing is communicated, so
  such calls may also sit inside ``if comm.rank == 0:``;
- the PNG is written under a temporary name in the same folder and renamed: never
  half-written; parent folders are created;
- SI inputs, readable outputs: axes and colour bars carry units with prefixes chosen from
  the data (nm, µV, mΩ, 10¹¹ A/m²);
- off-screen rendering works without a display: on Linux without a reachable X server a
  private Xvfb is started (:func:`kinetics.plot.common.ensure_display`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kinetics.plot.charts import PLANES, line_profile, smr_angular, thickness_scan
from kinetics.plot.common import ensure_display, readable_unit, world_comm
from kinetics.plot.fields import COMPONENTS, current_streamlines, regions, spin_accumulation_3d
from kinetics.plot.sweep import smr_sweep, sweep_table

__all__ = ["spin_accumulation_3d", "current_streamlines", "regions", "pictures_from_folder",
           "line_profile", "smr_angular", "thickness_scan", "smr_sweep", "sweep_table",
           "ensure_display", "readable_unit", "COMPONENTS", "PLANES"]


def pictures_from_folder(folder, out=None) -> list[Path] | None:
    """Draw the standard pictures of every ``*.vtu`` in ``folder`` (no re-solve).

    For each ``NAME.vtu`` (written by :func:`kinetics.output.grid.save_vtu`):
    ``NAME_mu.png`` (|μ_s|), ``NAME_mu_<c>.png`` (its largest component c, signed colours),
    ``NAME_mu_cut.png`` (3D only: clipped normal to x, the y-z cross-section through the
    thickness), ``NAME_current.png`` (j_c streamlines) and ``NAME_regions.png`` (regions and
    named faces).  Each picture says under its title what it shows (faces, cut position,
    the state written with the fields, the current direction).

    Parameters
    ----------
    folder:
        Folder with ``.vtu`` files (not searched recursively).
    out:
        Folder for the PNGs (default: ``folder``).

    Returns
    -------
    list of the PNG paths written, on rank 0 of ``MPI.COMM_WORLD``; None on other ranks.

    Raises
    ------
    FileNotFoundError
        If ``folder`` does not exist ("... not found"), is not a folder, or holds no
        ``.vtu`` file (the message says which).
    ValueError
        If a ``.vtu`` is not a kinetics grid (:func:`kinetics.output.grid.load_vtu`).
    """
    from kinetics.output.grid import load_vtu
    comm = world_comm()
    if comm is not None and comm.rank != 0:
        return None
    folder = Path(folder)
    if not folder.exists():
        raise FileNotFoundError(f"{str(folder)!r} not found: give the output folder of a run "
                                f"(kinetics run CASE -o FOLDER)")
    if not folder.is_dir():
        raise FileNotFoundError(f"{str(folder)!r} is not a folder: give the output folder of "
                                f"a run, which holds fields.vtu")
    files = sorted(folder.glob("*.vtu"))
    if not files:
        bp = sorted(p.name for p in folder.glob("*.bp"))
        also = (f" (it holds {', '.join(bp)}, which ParaView opens with its ADIOS2 VTX "
                f"reader)") if bp else ""
        raise FileNotFoundError(f"no .vtu files in {str(folder)!r}{also}; runs write them "
                                f"beside the .bp fields (kinetics.output.vtu."
                                f"write_vtu_beside, kinetics.output.grid.save_vtu)")
    out = Path(out) if out is not None else folder
    written = []
    for path in files:
        grid = load_vtu(path)
        stem = out / path.stem
        dim = int(grid.field_data["dim"][0]) if "dim" in grid.field_data else 3
        if "mu_s" in grid.point_data:
            mu = np.asarray(grid.point_data["mu_s"])
            comp = "xyz"[int(np.argmax(np.abs(mu).max(axis=0)))] if len(mu) else "y"
            written.append(spin_accumulation_3d(grid, f"{stem}_mu.png"))
            written.append(spin_accumulation_3d(grid, f"{stem}_mu_{comp}.png", component=comp))
            if dim == 3:
                written.append(spin_accumulation_3d(grid, f"{stem}_mu_cut.png", component=comp,
                                                    clip="x"))
        if "j_c" in grid.cell_data or "j_c" in grid.point_data:
            written.append(current_streamlines(grid, f"{stem}_current.png"))
        written.append(regions(grid, f"{stem}_regions.png"))
    return written
