"""Case-file glue of spin pumping at ferromagnetic resonance (``[pumping]``,
:class:`kinetics.models.pumping.PumpingProblem`).

The magnet behind one magnetic interface precesses uniformly; the metal's response is
averaged over ``samples`` instants of a period (quasi-static metal); listed contacts float
(ideal voltmeter pads, whose potential is the inverse spin Hall voltage).
dolfinx is imported inside the run function only.
"""

from __future__ import annotations

import math

from kinetics.case_schema import MAX_COUNT, Array, Bool, Integer, Number, String, Vector
from kinetics.models.registry import CaseModel, register
from kinetics.models.spin_charge_case import UNITS, check_circuit, measure, prepare

__all__ = ["PUMPING", "pumping_problem", "run"]


def pumping_problem(spec: dict, device, materials, boundaries, options):
    """A :class:`kinetics.models.pumping.PumpingProblem` for the ``[pumping]`` section:
    uniform precession about ``axis`` (default: the interface's m) at ``frequency_Hz`` (Hz)
    with the cone angle ``cone_angle_deg`` (degrees); the listed contacts float.

    Raises
    ------
    KeyError, ValueError
        From the problem, for inputs it rejects.
    """
    from kinetics.models.pumping import PumpingProblem
    from kinetics.physics.pumping import Precession
    iface = spec["interface"]
    cond = next(c for c in boundaries if c.name == iface)
    axis = tuple(spec.get("axis", tuple(cond.m)))
    dynamics = {iface: Precession(axis=axis, cone_angle=math.radians(spec["cone_angle_deg"]),
                                  omega=2 * math.pi * spec["frequency_Hz"])}
    return PumpingProblem(device, materials, boundaries, dynamics,
                          floating=spec.get("floating", ()), backflow=spec.get("backflow", True),
                          **options)


def run(case, device, context) -> dict:
    """Run function of ``[pumping]``: the period average of ``samples`` instantaneous solves.

    Returns the base results (``unknowns``, ``solver``, ``units``, ``base`` measured on the
    period-averaged solution, which is also the written field) and ``pumping``:
    ``frequency_Hz``, ``cone_angle_deg``, ``samples``, ``floating_potential_V`` (V per
    floating contact) and ``spin_current_into_metal_A`` (A, 3-vector).

    Raises
    ------
    kinetics.case.CaseError
        For inputs the problem rejects (keypath ``[pumping]``).
    """
    spec = case.get("pumping")
    materials, boundaries, options = prepare(case, device, context.progress)
    try:
        pumped = pumping_problem(spec, device, materials, boundaries, options)
    except (KeyError, ValueError) as exc:
        raise case.error(("pumping",), str(exc).strip('"')) from None
    problem = pumped.problem
    context.progress.step(f"solving: {problem.num_dofs} unknowns, {problem.solver_preset} solver")
    samples = spec.get("samples", 16)
    response = pumped.periodic(samples)
    sol = context.solution = response.dc
    return {"unknowns": problem.num_dofs, "solver": problem.solver_preset, "units": dict(UNITS),
            "base": measure(case, sol),
            "pumping": {
                "frequency_Hz": spec["frequency_Hz"], "cone_angle_deg": spec["cone_angle_deg"],
                "samples": samples,
                "floating_potential_V": {n: response.floating_potential(n)
                                         for n in pumped.floating},
                "spin_current_into_metal_A": response.spin_current_into_metal(spec["interface"])}}


def _validate(case, spec: dict) -> None:
    check_circuit(case, floating=spec.get("floating", ()))


#: the schema of [pumping] (docs/case_files.md)
SCHEMA = {
    "interface": String(required=True, ref="boundary", ref_types=("magnetic",),
                        description="the magnetic boundary whose magnet precesses"),
    "frequency_Hz": Number(required=True, unit="Hz", lo=1.0, hi=1e15,
                           description="precession frequency f (ω = 2πf)"),
    "cone_angle_deg": Number(required=True, unit="deg", lo=1e-6, hi=90.0,
                             description="precession cone angle"),
    "axis": Vector(norm="unit", description="precession axis, the static magnetization "
                                            "(default: the boundary's `m`)"),
    "samples": Integer(lo=4, hi=MAX_COUNT, default=16,
                       description="instants per period averaged (quasi-static metal)"),
    "floating": Array(String(ref="boundary", ref_types=("contact",)), unique=True,
                      max_len=100, description="contacts that float: equipotential pads "
                                               "drawing no net current (at least one contact "
                                               "must stay fixed)"),
    "backflow": Bool(default=True, description="spin backflow through G_r, G_i"),
}

PUMPING = register(CaseModel(name="pumping", section="pumping", run=run, schema=SCHEMA,
                             validate=_validate, bytes_per_cell=15e3))
