"""Case-file glue of the steady spin-charge model (:mod:`kinetics.models.spin_charge`).

Two registered models share the solve:

- ``spin_charge`` (no model section, the default): one steady solve, measured;
- ``spin_charge_sweep`` (``[sweep]``): the same, then magnetization scans of one magnetic
  interface (SMR), each step re-assembling the interface term only.

:func:`prepare` and :func:`measure` serve the other models that solve on the same inputs
(:mod:`kinetics.models.pumping_case`).  dolfinx is imported inside the functions only.
"""

from __future__ import annotations

import numpy as np

from kinetics.case_schema import MAX_COUNT, Array, Integer, String, Vector
from kinetics.models.registry import CaseModel, register

__all__ = ["STEADY", "SWEEP", "UNITS", "prepare", "measure", "solve_steady", "sweep_directions"]

#: units of the base results (results.json "units")
UNITS = {"current": "A", "V": "V", "R": "Ohm", "spin current": "A (charge-current units)",
         "torque density": "J/m^2"}

#: the rotation planes of an SMR scan (Althammer et al. 2013), see :func:`sweep_directions`
PLANES = ("alpha", "beta", "gamma")


def sweep_directions(plane: str, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Magnetization directions of an SMR angular scan (Althammer et al. 2013 planes).

    alpha: in the film plane, m = (cos a, sin a, 0), a from the current direction x;
    beta:  in the y-z plane, m = (0, cos b, sin b);
    gamma: in the x-z plane, m = (cos g, 0, sin g).

    Returns
    -------
    (angles in degrees from 0 to 360, shape (steps,); unit vectors, shape (steps, 3))

    Raises
    ------
    KeyError
        For a plane other than alpha, beta, gamma.
    """
    ang = np.linspace(0.0, 360.0, steps)
    r = np.radians(ang)
    c, s, z = np.cos(r), np.sin(r), np.zeros_like(r)
    vec = {"alpha": (c, s, z), "beta": (z, c, s), "gamma": (c, z, s)}[plane]
    return ang, np.column_stack(vec)


def prepare(case, device, progress) -> tuple[dict, list, dict]:
    """The inputs of a spin-charge problem: (materials, boundary conditions, keyword options
    ``degree``, ``solver``, ``petsc_options`` of ``[solver]``; the PETSc options normalized
    by :func:`kinetics.solvers.options.validate_case_options`, already checked at parse time).

    The points of every ``[[measure.profile]]`` are located in the mesh here, before the
    solve (the one check that needs the mesh: a .geo file's shape is known only to gmsh).

    Raises
    ------
    kinetics.case.CaseError
        For region or facet names the device does not have, rejected parameters, and
        profile points outside the device.
    """
    from kinetics import validation
    from kinetics.observables import locate_points
    materials = case.materials(device)
    boundaries = case.boundaries(device)
    for i, spec in enumerate(case.get("measure", "profile", default=[])):
        pts = np.linspace(spec["start"], spec["end"], spec.get("points", 50))
        try:
            locate_points(device, pts, "measure.profile", spec.get("name", f"profile {i + 1}"))
        except validation.ValidationError as exc:
            raise case.error(("measure", "profile", i), exc.brief()) from None
    solver = case.get("solver", default={})
    progress.step(f"assembling: {device.mesh.topology.index_map(device.dim).size_global} cells")
    options = {"degree": solver.get("degree", 1), "solver": solver.get("preset", "auto"),
               "petsc_options": None}
    if solver.get("petsc_options"):
        from kinetics.solvers.options import validate_case_options
        options["petsc_options"] = validate_case_options(solver["petsc_options"])
    return materials, boundaries, options


def measure(case, sol) -> dict:
    """Observables of a solution: every contact's current (A) and potential (V), every probe's
    potential, every magnetic interface's absorbed spin current (A), torque density (J/m²) and
    area (m²), and the ``[[measure.*]]`` entries of the case (resistances in Ω, torques,
    spin currents in A, torques per area on ferromagnetic layers in J/m² split into
    damping-like and field-like parts, profiles of μ_s in V along lines in m).

    Raises
    ------
    kinetics.case.CaseError
        Naming the ``[[measure.*]]`` entry, when the solution cannot give it (e.g. a
        resistance through a contact that carries no current).
    """
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
    spec_of = case.get("measure", default={})
    for kind, run in (("resistance", _resistance), ("torque", _torque),
                      ("spin_current", _spin_current), ("layer_torque", _layer_torque),
                      ("profile", _profile)):
        for i, spec in enumerate(spec_of.get(kind, [])):
            try:
                group, name, value = run(ob, sol, spec)
            except ValueError as exc:     # a measurement the solution cannot give (I = 0)
                raise case.error(("measure", kind, i), str(exc)) from None
            out.setdefault(group, {})[name] = value
    return out


def _resistance(ob, sol, spec):
    R = ob.resistance(sol, spec["current"], spec["plus"], spec["minus"])
    return "resistance_Ohm", spec["name"], R * spec.get("scale", 1.0)


def _torque(ob, sol, spec):
    t = ob.interface_torque(sol, spec["interface"], spec["current_density"], spec["normal"])
    return "torque", spec.get("name", spec["interface"]), t


def _layer_torque(ob, sol, spec):
    from kinetics import observables_ferromagnet as obf
    t = obf.layer_torque(sol, spec["region"], spec["polarization"],
                         area=spec.get("area", spec.get("area_facet")))
    return "layer_torque", spec.get("name", spec["region"]), {
        "torque_density_J_per_m2": t["torque_density"], "tau_DL_J_per_m2": t["tau_DL"],
        "tau_FL_J_per_m2": t["tau_FL"], "absorbed_spin_current_A": t["absorbed"],
        "area_m2": t["area"], "angle_rad": t["angle"]}


def _spin_current(ob, sol, spec):
    return ("spin_current_A", spec.get("name", spec["surface"]),
            ob.spin_current_through(sol, spec["surface"], spec.get("region")))


def _profile(ob, sol, spec):
    pts = np.linspace(spec["start"], spec["end"], spec.get("points", 50))
    return "profiles", spec.get("name", "profile"), {"points_m": pts,
                                                     "mu_s_V": ob.line_profile(sol, pts)}


def solve_steady(case, device, context):
    """Build and solve the steady problem; returns (problem, results dict with ``unknowns``,
    ``solver``, ``units``, ``base``) and sets ``context.solution``.

    Raises
    ------
    kinetics.case.CaseError
        For inputs the problem rejects (keypath ``[boundaries]``).
    """
    from kinetics.models.spin_charge import SpinChargeProblem
    materials, boundaries, options = prepare(case, device, context.progress)
    try:
        problem = SpinChargeProblem(device, materials, boundaries, **options)
    except (KeyError, ValueError) as exc:
        raise case.error(("boundaries",), str(exc).strip('"')) from None
    context.progress.step(f"solving: {problem.num_dofs} unknowns, {problem.solver_preset} solver")
    sol = context.solution = problem.solve()
    return problem, {"unknowns": problem.num_dofs, "solver": problem.solver_preset,
                     "units": dict(UNITS), "base": measure(case, sol)}


def run_steady(case, device, context) -> dict:
    """Run function of the default model: one steady solve, measured."""
    return solve_steady(case, device, context)[1]


def run_sweep(case, device, context) -> dict:
    """Run function of ``[sweep]``: the steady solve, then the scans; results get ``sweep``
    (per plane: ``angles_deg``, ``m``, ``measurements``, ``resistance_Ohm``) and, with
    resistances named R_xx and R_xy, ``smr_fit_Ohm``; for a ``film`` case, Chen's closed
    form ``smr_closed_form`` (:func:`_chen_closed_form`).  Rank 0 prints a short table of
    what was measured (:func:`kinetics.plot.sweep.sweep_table`) unless progress is off;
    ``[output] pictures = true`` draws ``smr_sweep.png`` (:func:`sweep_pictures`)."""
    from kinetics.observables import fit_smr
    problem, results = solve_steady(case, device, context)
    sweep = case.get("sweep")
    iface = sweep["interface"]
    m0 = problem.condition(iface).m.copy()
    planes = {}
    scans = [(p, *sweep_directions(p, sweep.get("steps", 13))) for p in sweep.get("planes", [])]
    if sweep.get("directions"):
        d = np.asarray(sweep["directions"], dtype=float)
        scans.append(("directions", np.arange(len(d), dtype=float), d))
    for plane, angles, dirs in scans:
        bar = context.progress.bar(len(dirs), f"sweep {plane}")
        rows = []
        for i, m in enumerate(dirs):
            problem.set_magnetization(iface, m)
            rows.append(measure(case, problem.solve()))
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
    closed = _chen_closed_form(case, problem, iface)
    if closed is not None:
        results["smr_closed_form"] = closed
    from kinetics.plot.sweep import sweep_table
    table = sweep_table(results)
    if table and context.comm.rank == 0 and getattr(context.progress, "rank0", True):
        print(table, flush=True)
    return results


def _chen_closed_form(case, problem, iface):
    """Chen et al. 2013's Δρ₁/ρ, Δρ₂/ρ (:func:`kinetics.analytic.chen_smr`) when the case is
    the film they describe: the ``film`` builder, one normal-metal region, the scanned
    interface with plain G_r, G_i (no G_s, spin-memory loss or rotation); else None."""
    from kinetics.analytic import chen_smr
    geo = case.get("geometry", default={}) or {}
    if geo.get("builder") != "film" or "thickness" not in geo or len(problem.materials) != 1:
        return None
    mat = next(iter(problem.materials.values()))
    cond = problem.condition(iface)
    if not all(isinstance(getattr(mat, k, None), (int, float))
               for k in ("sigma", "lambda_sf", "theta_sh")) or \
            getattr(cond, "G_s", 0.0) or getattr(cond, "Gamma_loss", None) is not None or \
            getattr(cond, "rotation", None) is not None or \
            getattr(mat, "kappa", 0.0) or type(mat).__name__ != "Material":
        return None
    d = float(geo["thickness"])
    _, d1, d2 = chen_smr(d, mat.sigma, mat.lambda_sf, mat.theta_sh, cond.G_r, cond.G_i)
    return {"thickness_m": d, "drho1_over_rho": d1, "drho2_over_rho": d2,
            "source": "Chen et al., PRB 87, 144411 (2013), Eqs. (14)-(16)"}


def sweep_pictures(folder) -> None:
    """Pictures of a ``[sweep]`` run (``[output] pictures = true``): the field pictures of
    :func:`kinetics.plot.pictures_from_folder` (of the base state) and ``smr_sweep.png``
    (:func:`kinetics.plot.sweep.smr_sweep`) from the folder's results.json.  Every rank
    calls it; rank 0 draws."""
    from pathlib import Path

    from kinetics.plot import pictures_from_folder
    from kinetics.plot.sweep import smr_sweep
    folder = Path(folder)
    if any(folder.glob("*.vtu")):
        pictures_from_folder(folder)
    smr_sweep(folder / "results.json", folder / "smr_sweep.png")


def check_circuit(case, floating=()) -> None:
    """Report unless some ``[boundaries]`` table of type 'contact' (not in ``floating``)
    fixes the potential (without one the problem is singular)."""
    table = case.get("boundaries", default={})
    table = table if isinstance(table, dict) else {}
    fixed = [n for n, s in table.items() if isinstance(s, dict) and s.get("type") == "contact"
             and n not in floating]
    if not fixed:
        what = "every contact floats" if floating else "no boundary has type 'contact'"
        case.report(("boundaries",), f"{what}: at least one contact must fix the potential "
                                     f"(type = \"contact\", V = ...)")


def check_drive(case) -> None:
    """Report unless something drives the steady problem
    (:func:`kinetics.case_checks.has_drive`; otherwise every field is zero)."""
    from kinetics.case_checks import has_drive
    if not has_drive(case):
        case.report(("boundaries",), "nothing drives a current: every contact has the same "
                                     "potential V, no current boundary has current != 0 and "
                                     "no magnetic boundary pumps (every field would be zero)")


def _validate_steady(case, section: dict) -> None:
    check_circuit(case)
    check_drive(case)


def _validate_sweep(case, sweep: dict) -> None:
    check_circuit(case)
    check_drive(case)
    if not sweep.get("planes") and not sweep.get("directions"):
        case.report(("sweep",), "the sweep is empty: give planes = [\"alpha\", ...] and/or "
                                "directions = [[x, y, z], ...]")


#: the schema of [sweep] (docs/case_files.md)
SWEEP_SCHEMA = {
    "interface": String(required=True, ref="boundary", ref_types=("magnetic",),
                        description="the magnetic boundary whose m is scanned"),
    "planes": Array(String(choices=PLANES, noun="plane"), max_len=3, unique=True,
                    description="`alpha` (m in x-y, angle from x), `beta` (y-z, from y), "
                                "`gamma` (x-z, from x): Althammer et al. 2013's planes"),
    "steps": Integer(lo=3, hi=MAX_COUNT, default=13,
                     description="directions per plane, 0° to 360° inclusive"),
    "directions": Array(Vector(norm="unit"), min_len=0, max_len=MAX_COUNT,
                        description="extra explicit directions (unit 3-vectors)"),
}

STEADY = register(CaseModel(name="spin_charge", section=None, run=run_steady,
                            validate=_validate_steady, bytes_per_cell=15e3))

SWEEP = register(CaseModel(name="spin_charge_sweep", section="sweep", run=run_sweep,
                           schema=SWEEP_SCHEMA, validate=_validate_sweep,
                           bytes_per_cell=15e3, pictures=sweep_pictures))
