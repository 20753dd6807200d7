"""Case-file glue of spin–charge transport with F|N junctions (``[circuit]``,
:class:`kinetics.models.circuit.CircuitProblem`): nonlocal spin valves, CPP-GMR stacks,
tunnel injectors, Hanle curves.

The section names the interior facets that are resistive F|N junctions (``junctions``), the
conductances of all of them (a library set ``interface``, Valet–Fert's ``r_b``/``gamma``,
a tunnel barrier's ``resistance_area``/``polarization``, or ``G_up``/``G_down``; mixing
conductances ``G_r``, ``G_i``), optionally the regions whose magnetization is reversed for
a second, antiparallel state (``flip``) and an applied field or a Hanle sweep.  Every
``[[measure.resistance]]`` is (⟨V⟩_plus − ⟨V⟩_minus)/I with facet averages
(:func:`kinetics.models.circuit_results.nonlocal_resistance`), so a probe is any outer
facet.  Boundaries: ``contact`` and ``insulator`` (the default).  dolfinx is imported inside
the run function only.
"""

from __future__ import annotations

import numpy as np

from kinetics.case_schema import MAX_COUNT, Array, Number, String, Vector
from kinetics.models.registry import CaseModel, register

__all__ = ["CIRCUIT", "SCHEMA", "junction_interface", "run"]

#: units of the results
UNITS = {"current": "A (A/m in 2D)", "V": "V", "R": "Ohm (Ohm m in 2D)",
         "spin current": "A (charge-current units)", "B": "T"}

#: the ways to give the junctions' conductances: keys that must come together
CONDUCTANCE_SETS = (("interface",), ("r_b", "gamma"), ("resistance_area", "polarization"),
                    ("G_up", "G_down"))

_G = "1/(Ohm m^2)"
SCHEMA = {
    "junctions": Array(String(ref="facet"), required=True, min_len=1, max_len=100,
                       unique=True,
                       description="interior facets between a ferromagnetic and a normal "
                                   "region that are resistive F|N junctions (V and μ_s "
                                   "jump); other region contacts stay continuous"),
    "interface": String(description="library F|N set of every junction: Co|Cu, Py|Cu, Py|Ag "
                                    "(G_r, G_i below override its mixing conductance)"),
    "r_b": Number(unit="Ohm m^2", lo=1e-20, hi=1.0,
                  description="Valet–Fert interface resistance r_b* (with `gamma`)"),
    "gamma": Number(lo=-0.999, hi=0.999, description="Valet–Fert interface asymmetry γ"),
    "resistance_area": Number(unit="Ohm m^2", lo=1e-20, hi=1.0,
                              description="tunnel barrier R·A (with `polarization`)"),
    "polarization": Number(lo=-0.999, hi=0.999, description="interface polarization P_I"),
    "G_up": Number(unit=_G, lo=1e6, hi=1e17, description="majority conductance G↑ (with "
                                                          "`G_down`)"),
    "G_down": Number(unit=_G, lo=1e6, hi=1e17, description="minority conductance G↓"),
    "G_r": Number(unit=_G, lo=0.0, hi=1e17, description="spin-mixing conductance, real part "
                                                        "(default 0, or the library set's)"),
    "G_i": Number(unit=_G, lo=-1e17, hi=1e17, description="spin-mixing conductance, "
                                                          "imaginary part"),
    "spin_memory_loss": Number(lo=0.0, hi=50.0, description="Bass & Pratt's spin memory "
                                                             "loss δ of the junctions "
                                                             "(default 0)"),
    "flip": Array(String(ref="region"), min_len=1, max_len=100, unique=True,
                  description="ferromagnetic regions whose m is reversed for a second state: "
                              "results for `P` (as given) and `AP`"),
    "magnetic_field": Vector(unit="T", max_norm=1e4,
                             description="applied field (Hanle precession in the normal "
                                         "metals; needs their `diffusion_constant`)"),
    "hanle_fields": Array(Number(unit="T", lo=-1e4, hi=1e4), min_len=1, max_len=MAX_COUNT,
                          description="a Hanle sweep: field values along `hanle_axis`"),
    "hanle_axis": Vector(norm="unit", default=[0.0, 0.0, 1.0],
                         description="direction of the swept field"),
}

#: boundary types the circuit model supports
BOUNDARY_TYPES = ("contact", "insulator")


def junction_interface(spec: dict):
    """The :class:`kinetics.fn_materials.FNInterface` of the ``[circuit]`` section.

    Raises
    ------
    KeyError
        For an unknown library name (the message lists them).
    ValueError, TypeError
        For values the interface rejects.
    """
    from kinetics.fn_materials import FNInterface, fn_interface
    mixing = {k: spec[k] for k in ("G_r", "G_i") if k in spec}
    loss = {"spin_memory_loss": spec["spin_memory_loss"]} if "spin_memory_loss" in spec else {}
    if "interface" in spec:
        return fn_interface(spec["interface"], **mixing, **loss)
    if "r_b" in spec:
        itf = FNInterface.from_valet_fert("junction", spec["r_b"], spec["gamma"], **mixing)
    elif "resistance_area" in spec:
        itf = FNInterface.tunnel("junction", spec["resistance_area"], spec["polarization"],
                                 **mixing)
    else:
        itf = FNInterface("junction", spec["G_up"], spec["G_down"], **mixing)
    return itf.with_(**loss) if loss else itf


def _validate(case, spec: dict) -> None:
    """Checks of ``[circuit]`` beyond its schema, all before meshing."""
    from kinetics.materials import Ferromagnet
    from kinetics.models.spin_charge_case import check_circuit, check_drive
    check_circuit(case)
    check_drive(case)
    given = [s for s in CONDUCTANCE_SETS if any(k in spec for k in s)]
    if len(given) != 1:
        names = " or ".join("/".join(s) for s in CONDUCTANCE_SETS)
        what = "none is given" if not given else \
            f"{' and '.join('/'.join(s) for s in given)} are all given"
        case.report(("circuit",), f"give the junctions' conductances one way: {names}; {what}")
    else:
        missing = [k for k in given[0] if k not in spec]
        if missing:
            present = [k for k in given[0] if k in spec]
            case.report(("circuit",), f"{' and '.join(present)} needs {' and '.join(missing)} "
                                      f"too")
        else:
            try:
                junction_interface(spec)
            except KeyError as exc:
                case.report(("circuit", "interface"), str(exc).strip('"'))
            except (ValueError, TypeError) as exc:
                case.report(("circuit",), str(exc))
    measure = case.data.get("measure")
    for kind in (measure if isinstance(measure, dict) else {}):
        if kind != "resistance":
            case.report(("measure", kind), "the [circuit] model measures resistances only "
                                           "(the junctions' spin currents are in "
                                           "results.json); remove [circuit] for the "
                                           "continuous model's other measures")
    table = case.data.get("boundaries")
    table = table if isinstance(table, dict) else {}
    for name, b in table.items():
        if isinstance(b, dict) and b.get("type") not in BOUNDARY_TYPES + (None,):
            case.report(("boundaries", name, "type"),
                        f"the [circuit] model supports boundaries of type "
                        f"{', '.join(BOUNDARY_TYPES)}, got {b.get('type')!r}")
    for name in spec.get("junctions", []):
        if name in table:
            case.report(("circuit", "junctions"), f"'{name}' is also a [boundaries] table: a "
                                                  f"facet has one condition")
    materials = case.parsed_materials
    for region in spec.get("flip", []):
        mat = materials.get(region)
        if mat is not None and not isinstance(mat, Ferromagnet):
            case.report(("circuit", "flip"), f"'{region}' is not ferromagnetic: only a "
                                             f"ferromagnet's magnetization can be reversed")
    if "magnetic_field" in spec or "hanle_fields" in spec:
        for region, mat in materials.items():
            if not isinstance(mat, Ferromagnet) and mat.diffusion_constant is None:
                case.report(("materials", region),
                            f"Hanle precession ([circuit] magnetic_field or hanle_fields) "
                            f"needs the diffusion_constant (m^2/s) of the normal metal "
                            f"'{region}'")


def _measure(case, sol) -> dict:
    """Contacts (current A, V), the spin current through each junction (A, F → N) and the
    ``[[measure.resistance]]`` entries (Ω) of a circuit solution."""
    from kinetics.models import circuit_results as cr
    from kinetics.physics import boundaries as bc
    problem = sol.problem
    out: dict = {"contacts": {}, "junctions": {}}
    for cond in problem.boundaries:
        if isinstance(cond, bc.Contact):
            out["contacts"][cond.name] = {"current_A": cr.contact_current(sol, cond.name),
                                          "V_V": cond.V}
    for j in problem.junctions:    # (their charge currents follow from the contacts'; a
        # junction without current, a detector's, gives round-off scaled by 1/(R·A))
        out["junctions"][j.name] = {"spin_current_A": cr.interface_current(sol, j.name)[1]}
    for i, entry in enumerate(case.get("measure", "resistance", default=[])):
        try:
            R = cr.nonlocal_resistance(sol, entry["plus"], entry["minus"], entry["current"])
        except ValueError as exc:
            raise case.error(("measure", "resistance", i), str(exc)) from None
        out.setdefault("resistance_Ohm", {})[entry["name"]] = R * entry.get("scale", 1.0)
    return out


def run(case, device, context) -> dict:
    """Run function of ``[circuit]``: the solve in the given state; with ``flip`` the
    antiparallel one and the differences of the resistances; with ``hanle_fields`` the
    sweep.  Results: ``base`` (the given state), ``states`` (``P``, ``AP``) and
    ``delta_resistance_Ohm`` (R(P) − R(AP)), ``hanle`` (``B_T``, ``resistance_Ohm``).

    Raises
    ------
    kinetics.case.CaseError
        For inputs the problem rejects (keypath ``[circuit]``).
    """
    from kinetics.models.circuit import CircuitProblem, FNJunction
    from kinetics.models.spin_charge_case import prepare
    spec = case.get("circuit")
    materials, boundaries, options = prepare(case, device, context.progress)
    field = spec.get("magnetic_field")
    if field is None and "hanle_fields" in spec:
        field = [0.0, 0.0, 0.0]
    try:
        itf = junction_interface(spec)
        problem = CircuitProblem(device, materials, boundaries,
                                 [FNJunction(n, itf) for n in spec["junctions"]],
                                 degree=options["degree"], magnetic_field=field,
                                 solver=case.get("solver", default={}).get("preset", "direct"),
                                 petsc_options=options["petsc_options"])
    except (KeyError, ValueError, TypeError) as exc:
        raise case.error(("circuit",), str(exc).strip('"')) from None
    unknowns = problem.num_dofs
    context.progress.step(f"solving: {unknowns} unknowns in {len(problem.fields.names)} "
                          f"domains, {problem.solver_preset} solver")
    sol = context.solution = problem.solve()
    results = {"unknowns": unknowns, "solver": problem.solver_preset, "units": dict(UNITS),
               "interface": {k: getattr(itf, k) for k in ("G_up", "G_down", "G_r", "G_i",
                                                          "spin_memory_loss")},
               "base": _measure(case, sol)}
    if spec.get("flip"):
        m0 = {r: problem.coef[r].m.value.copy() for r in spec["flip"]}
        for r in spec["flip"]:
            problem.set_magnetization(r, -m0[r])
        ap = _measure(case, problem.solve())
        for r in spec["flip"]:
            problem.set_magnetization(r, m0[r])
        results["states"] = {"P": results["base"], "AP": ap}
        rp, rap = results["base"].get("resistance_Ohm", {}), ap.get("resistance_Ohm", {})
        results["delta_resistance_Ohm"] = {k: rp[k] - rap[k] for k in rp}
    if spec.get("hanle_fields"):
        axis = np.asarray(spec.get("hanle_axis", [0.0, 0.0, 1.0]), dtype=float)
        fields = np.asarray(spec["hanle_fields"], dtype=float)
        bar = context.progress.bar(len(fields), "Hanle sweep")
        rows = []
        for i, B in enumerate(fields):
            problem.set_magnetic_field(B * axis)
            rows.append(_measure(case, problem.solve()))
            bar(i + 1, len(fields))
        names = list(rows[0].get("resistance_Ohm", {}))
        results["hanle"] = {"B_T": fields, "axis": axis,
                            "resistance_Ohm": {k: [r["resistance_Ohm"][k] for r in rows]
                                               for k in names}}
        problem.set_magnetic_field(np.zeros(3) if field is None else np.asarray(field))
    return results


#: bytes_per_cell: the 3D valve of benchmarks/nlsv.py peaked at 490 MB for 32 869 cells (P1)
CIRCUIT = register(CaseModel(name="circuit", section="circuit", run=run, schema=SCHEMA,
                             validate=_validate, bytes_per_cell=20e3))
