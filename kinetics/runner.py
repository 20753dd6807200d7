"""Run a case: mesh, assemble, solve (with magnetization sweeps), measure, write.

Output folder layout (written to a temporary sibling and renamed at the end, so a failed
run leaves nothing)::

    DIR/results.json        case, mesh statistics, observables with units, sweeps
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

import numpy as np

from kinetics.case import Case, sweep_directions

__all__ = ["Progress", "run_case"]


class Progress:
    """Progress reporting on rank 0: tqdm on a terminal, plain lines otherwise."""

    def __init__(self, comm, enabled: bool = True):
        self.rank0 = comm.rank == 0 and enabled
        self.tty = self.rank0 and sys.stderr.isatty()
        self.t0 = time.perf_counter()

    def step(self, message: str):
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


def _measure(case: Case, sol) -> dict:
    from kinetics import observables as ob
    from kinetics.physics import boundaries as bc
    problem = sol.problem
    out: dict = {"contacts": {}, "probes": {}, "interfaces": {}}
    for cond in problem.boundaries:
        if isinstance(cond, (bc.Contact, bc.CurrentContact)):
            out["contacts"][cond.name] = {"current_A": ob.contact_current(sol, cond.name),
                                          "V_V": ob.average_potential(sol, cond.name)}
        elif isinstance(cond, bc.FloatingProbe):
            out["probes"][cond.name] = {"V_V": ob.average_potential(sol, cond.name)}
        elif isinstance(cond, bc.MagneticInterface):
            a = ob.interface_absorption(sol, cond.name)
            out["interfaces"][cond.name] = {"absorbed_spin_current_A": a["total"],
                                            "torque_density_J_per_m2": a["torque_density"],
                                            "area_m2": a["area"]}
    measure = case.get("measure", default={})
    for spec in measure.get("resistance", []):
        R = ob.resistance(sol, spec["current"], spec["plus"], spec["minus"])
        out.setdefault("resistance_Ohm", {})[spec["name"]] = R * spec.get("scale", 1.0)
    for spec in measure.get("torque", []):
        t = ob.interface_torque(sol, spec["interface"], spec["current_density"], spec["normal"])
        out.setdefault("torque", {})[spec.get("name", spec["interface"])] = t
    for spec in measure.get("spin_current", []):
        out.setdefault("spin_current_A", {})[spec.get("name", spec["surface"])] = \
            ob.spin_current_through(sol, spec["surface"], spec.get("region"))
    for spec in measure.get("profile", []):
        pts = np.linspace(spec["start"], spec["end"], spec.get("points", 50))
        out.setdefault("profiles", {})[spec.get("name", "profile")] = {
            "points_m": pts, "mu_s_V": ob.line_profile(sol, pts)}
    return out


def _pumping_problem(spec: dict, device, materials, boundaries, options):
    """A :class:`kinetics.models.pumping.PumpingProblem` for the ``[pumping]`` section:
    uniform precession about ``axis`` (default: the interface's m) at ``frequency_Hz`` with
    the cone angle ``cone_angle_deg``; the listed contacts float."""
    import math

    from kinetics.physics.pumping import Precession
    from kinetics.models.pumping import PumpingProblem
    iface = spec["interface"]
    cond = next(c for c in boundaries if c.name == iface)
    axis = tuple(spec.get("axis", tuple(cond.m)))
    dynamics = {iface: Precession(axis=axis, cone_angle=math.radians(spec["cone_angle_deg"]),
                                  omega=2 * math.pi * spec["frequency_Hz"])}
    return PumpingProblem(device, materials, boundaries, dynamics,
                          floating=spec.get("floating", ()), backflow=spec.get("backflow", True),
                          **options)


def _texture_pumping(spec: dict, device, progress) -> dict:
    """Run the seed-002 model (:mod:`kinetics.models.texture`) for the
    ``[texture_pumping]`` section: a precessing texture (optionally a spin wave), solved in
    the frequency domain, reported as device integrals over one period."""
    import math

    from kinetics.models.texture import ElectronGas, TexturePumping
    from kinetics.physics.texture.sources import precessing_texture
    omega = 2 * math.pi * spec["frequency_Hz"]
    texture = precessing_texture(axis=tuple(spec.get("axis", (0.0, 0.0, 1.0))),
                                 cone_angle=math.radians(spec["cone_angle_deg"]), Omega=omega,
                                 wavevector=tuple(spec.get("wavevector", (0.0, 0.0, 0.0))))
    gas = ElectronGas(nu=spec["nu"], J=spec["J"], tau=spec["tau"], D=spec["D"])
    model = TexturePumping(device, gas, texture, degree=spec.get("degree", 1),
                           relaxation_time=spec.get("relaxation_time", math.inf),
                           reservoirs=spec.get("reservoirs", ()), E_so=spec.get("E_so"))
    progress.step("solving the seed-002 model in the frequency domain")
    response = model.frequency(harmonics=spec.get("harmonics", 1))
    n = spec.get("samples", 8)
    times = np.arange(n) / n * 2 * math.pi / omega
    series = {"rho_s_J_s": [], "torque_J": [], "mu_s_J_m3": []}
    for t in times:
        st = response.state(float(t))
        series["rho_s_J_s"].append(st.integrate(st.rho_s))
        series["torque_J"].append(st.integrate(st.torque))
        series["mu_s_J_m3"].append(st.integrate(st.mu_s))
    out = {"times_s": times, "device_integrals": series,
           "period_average": {k: np.mean(v, axis=0) for k, v in series.items()},
           "units": {"rho_s_J_s": "J s (integral of the spin density)",
                     "torque_J": "J (integral of the torque density)",
                     "mu_s_J_m3": "J m^3 (integral of the spin accumulation energy)"}}
    return out


def run_case(case: Case, outdir, comm=None, progress: Progress | None = None) -> dict:
    """Run ``case`` and write its outputs to ``outdir``; returns the results dict.

    Raises
    ------
    kinetics.case.CaseError
        For input that only shows up against the mesh (unknown region or facet names).
    kinetics.solvers.linear.SolverError
        If a solve fails; nothing is written in that case.
    """
    from mpi4py import MPI

    from kinetics.output import results as io
    from kinetics.geometry import statistics
    from kinetics.observables import fit_smr
    from kinetics.models.spin_charge import SpinChargeProblem

    comm = comm or MPI.COMM_WORLD
    progress = progress or Progress(comm)
    outdir = Path(outdir)
    t_start = time.perf_counter()

    progress.step("meshing")
    device = case.build_device(comm)
    stats = statistics(device)
    if case.get("texture_pumping"):
        results = {"case": case.data, "case_file": case.path, "ranks": comm.size, "mesh": stats,
                   "texture_pumping": _texture_pumping(case.get("texture_pumping"), device,
                                                       progress),
                   "wall_time_s": time.perf_counter() - t_start}
        _write(outdir, comm, lambda tmp: io.write_json(tmp / "results.json", results, comm))
        progress.step(f"done: {outdir}")
        return results
    materials = case.materials(device)
    boundaries = case.boundaries(device)
    solver = case.get("solver", default={})
    progress.step(f"assembling: {device.mesh.topology.index_map(device.dim).size_global} cells")
    options = {"degree": solver.get("degree", 1), "solver": solver.get("preset", "auto"),
               "petsc_options": solver.get("petsc_options")}
    pumping = case.get("pumping")
    try:
        if pumping:
            pumped = _pumping_problem(pumping, device, materials, boundaries, options)
            problem = pumped.problem
        else:
            problem = SpinChargeProblem(device, materials, boundaries, **options)
    except (KeyError, ValueError) as exc:
        raise case.error(("pumping" if pumping else "boundaries",), str(exc).strip('"')) from None
    progress.step(f"solving: {problem.num_dofs} unknowns, {problem.solver_preset} solver")
    extra = {}
    if pumping:
        samples = pumping.get("samples", 16)
        response = pumped.periodic(samples)
        sol = response.dc
        extra["pumping"] = {
            "frequency_Hz": pumping["frequency_Hz"], "cone_angle_deg": pumping["cone_angle_deg"],
            "samples": samples,
            "floating_potential_V": {n: response.floating_potential(n) for n in pumped.floating},
            "spin_current_into_metal_A": response.spin_current_into_metal(pumping["interface"])}
    else:
        sol = problem.solve()
    results = {"case": case.data, "case_file": case.path, "ranks": comm.size,
               "mesh": stats, "unknowns": problem.num_dofs, "solver": problem.solver_preset,
               "units": {"current": "A", "V": "V", "R": "Ohm", "spin current": "A "
                         "(charge-current units)", "torque density": "J/m^2"},
               "base": _measure(case, sol), **extra}

    sweep = case.get("sweep")
    if sweep:
        iface = sweep["interface"]
        m0 = problem.condition(iface).m.copy()
        planes = {}
        scans = [(p, *sweep_directions(p, sweep.get("steps", 13))) for p in sweep.get("planes", [])]
        if sweep.get("directions"):
            d = np.asarray(sweep["directions"], dtype=float)
            scans.append(("directions", np.arange(len(d), dtype=float), d))
        for plane, angles, dirs in scans:
            bar = progress.bar(len(dirs), f"sweep {plane}")
            rows = []
            for i, m in enumerate(dirs):
                problem.set_magnetization(iface, m)
                rows.append(_measure(case, problem.solve()))
                bar(i + 1, len(dirs))
            entry = {"angles_deg": angles, "m": dirs, "measurements": rows}
            R = [r.get("resistance_Ohm", {}) for r in rows]
            if R and R[0]:
                entry["resistance_Ohm"] = {k: [r[k] for r in R] for k in R[0]}
            planes[plane] = entry
        problem.set_magnetization(iface, m0)
        results["sweep"] = planes
        names = list(next(iter(planes.values())).get("resistance_Ohm", {})) if planes else []
        if "R_xx" in names and "R_xy" in names:
            allm = np.concatenate([p["m"] for p in planes.values()])
            rxx = np.concatenate([p["resistance_Ohm"]["R_xx"] for p in planes.values()])
            rxy = np.concatenate([p["resistance_Ohm"]["R_xy"] for p in planes.values()])
            results["smr_fit_Ohm"] = fit_smr(allm, rxx, rxy)
    results["wall_time_s"] = time.perf_counter() - t_start

    output = case.get("output", default={})
    progress.step("writing results")

    def write(tmp: Path):
        _write_outputs(tmp, sol, results, output, progress, comm)
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
    from kinetics.output import results as io
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
