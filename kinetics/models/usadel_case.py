"""Case-file glue of the superconducting state (``[usadel]``,
:class:`kinetics.usadel.problem.UsadelProblem`): the density of states of a proximity
structure (S–N–S junctions, S|N bilayers, Zeeman-split superconductors) on an energy grid,
refined near gap edges with ``refine_energies``, and DOS maps written as fields with ``maps``
(:mod:`kinetics.models.usadel_output`).

Units (those of :mod:`kinetics.usadel.problem`): energies (``energies``, ``broadening``,
``delta``, ``h``) in a unit E₀ of the user's choice (``energy_unit_eV`` only labels the
results), lengths in mesh units L = ``[geometry] length_unit`` metres, the times ``tau_sf``,
``tau_so`` in ħ/E₀ and the diffusion coefficient D̂ = ħD/(E₀L²) (dimensionless); probes in
metres.  A model of its own: it needs only ``[geometry]``; ``[materials]``, ``[boundaries]``,
``[solver]`` and ``[[measure.*]]`` are errors (the section holds every parameter).  Every
value and name is checked before meshing (names against the geometry's layout when a builder
gives one, probes against the box of a ``layered_box``); a geometry file's names and the
other builders' probes are checked right after meshing, before the first solve.  The
kernels are compiled with the default options of :mod:`kinetics.solvers.jit` (cached on
disk, so only a case's first run pays for them).  dolfinx is imported inside the run
function only.
"""

from __future__ import annotations

import math

import numpy as np

from kinetics.case_schema import (MAX_COUNT, Array, Bool, Integer, Matrix3, Number, String,
                                  Table, Vector, check_section, doc_table, hint_after)
from kinetics.models import usadel_keldysh_case as keldysh_case
from kinetics.models import usadel_matsubara_case as matsubara_case
from kinetics.models import usadel_output as outputs
from kinetics.models.registry import CaseModel, register
from kinetics.models.usadel_matsubara_case import (SUPERCURRENT, self_consistent,
                                                   supercurrent_and_tc)

__all__ = ["USADEL", "SCHEMA", "REGION", "RESERVOIR", "TUNNEL", "SUPERCURRENT", "build",
           "usadel", "self_consistent", "supercurrent_and_tc", "run", "doc_tables"]

_LIMIT = 1e8     # bound of |Δ|, |h|, D̂, τ in E₀ units (kinetics.usadel.parameters)
_PHASE = Number(unit="rad", lo=-1e3, hi=1e3, default=0.0,
                description="phase φ of Δ = |Δ|e^{iφ}")

#: keys of one ``[usadel.regions.NAME]`` table (kinetics.usadel.parameters.UsadelRegion)
REGION = {
    "delta": Number(unit="E0", lo=0.0, hi=_LIMIT, default=0.0,
                    description="|Δ| (0: a normal metal); not self-consistent"),
    "phase": _PHASE,
    "h": Vector(unit="E0", max_norm=_LIMIT, default=[0.0, 0.0, 0.0],
                description="exchange field (Zeeman splitting)"),
    "D": Number(lo=1e-8, hi=_LIMIT, default=1.0, description="D̂ = ħD/(E₀L²)"),
    "tau_sf": Number(unit="hbar/E0", lo=1e-8, hi=_LIMIT, allow_inf=True, default=math.inf,
                     description="spin-flip time (`inf`: none)"),
    "tau_so": Number(unit="hbar/E0", lo=1e-8, hi=_LIMIT, allow_inf=True, default=math.inf,
                     description="spin–orbit scattering time (`inf`: none)"),
    "tc0": Number(unit="E0", lo=0.0, hi=_LIMIT, default=0.0,
                  description="bulk critical temperature k_B T_c0: Δ of this region "
                              "self-consistent at `temperature` (0: no pairing)"),
    "gauge": Matrix3(unit="1/L", max_abs=_LIMIT,
                     description="SU(2) gauge field A[k][b] of spin–orbit coupling (direction "
                                 "k, spin b; 𝒟μ = ∂μ + A_k × μ, kinetics.physics.gauge)"),
    "theta": Number(lo=-1.0, hi=1.0, default=0.0,
                    description="spin Hall angle θ of extrinsic spin–orbit scattering (seed "
                                "003: matrix current and torque of every solve)"),
    "kappa": Number(lo=-1.0, hi=1.0, default=0.0,
                    description="spin-swapping coefficient κ (seed 003 Eq. 81 sign; matrix "
                                "current and torque of every solve)"),
}

#: keys of one ``[usadel.reservoirs.FACET]`` table (kinetics.usadel.parameters.Reservoir)
RESERVOIR = {
    "delta": Number(unit="E0", lo=0.0, hi=_LIMIT, default=0.0,
                    description="|Δ| of the bulk reservoir (0: a normal reservoir)"),
    "phase": _PHASE,
    "h": Vector(unit="E0", max_norm=_LIMIT, default=[0.0, 0.0, 0.0],
                description="exchange field of the reservoir"),
}

#: keys of one ``[usadel.tunnel."A|B"]`` table (kinetics.usadel.domains.TunnelInterface)
TUNNEL = {
    "r": Number(required=True, lo=1e-12, hi=1e12, description="R_B/R_N: barrier resistance "
                                                              "over that of `length` of metal"),
    "length": Number(lo=1e-12, hi=1e12, default=1.0,
                     description="the length (mesh units) whose normal resistance is R_N"),
    "side": String(ref="region", description="the region whose D̂ and length R_N refers to "
                                             "(default: a region of the first domain)"),
}

#: the schema of [usadel] (docs/case_files.md)
SCHEMA = {
    "energies": Array(Number(unit="E0", lo=-1e6, hi=1e6), min_len=1,
                      max_len=MAX_COUNT,
                      description="energies ε, strictly increasing (solved in this order, "
                                  "each from the previous solution; the coarse start of "
                                  "`refine_energies`)"),
    "refine_energies": Table(description="`{tol, max_points, min_spacing}`: refine `energies` "
                                         "where the DOS bends (gap edges)"),
    "maps": Array(Number(unit="E0", lo=-1e6, hi=1e6), min_len=1, max_len=outputs.MAX_MAPS,
                  description="energies of DOS maps N(ε, r) written as fields (strictly "
                              "increasing; any energy, solved by a sweep of their own)"),
    "broadening": Number(required=True, unit="E0", lo=1e-12, hi=1e6,
                         description="Dynes broadening η (ε → ε + iη)"),
    "energy_unit_eV": Number(unit="eV", lo=1e-12, hi=1e3,
                             description="E₀ in eV: adds `energies_eV` to the results "
                                         "(labels only)"),
    "regions": Table(required=True, description="region name → `{delta, phase, h, D, tau_sf, "
                                                "tau_so, tc0, gauge, theta, kappa}`; every "
                                                "region needs one"),
    "reservoirs": Table(description="facet name → `{delta, phase, h}`: rigid bulk reservoirs "
                                    "(other outer facets: vacuum, no current)"),
    "tunnel": Table(description="interface facet name → `{r, length, side}`: "
                                "Kupriyanov–Lukichev barriers (other interfaces transparent)"),
    "probes": Array(Vector(unit="m", max_norm=1.0), required=True, min_len=1, max_len=1000,
                    description="points where the DOS is reported at every energy"),
    "degree": Integer(lo=1, hi=3, default=1, description="Lagrange degree"),
    "temperature": Number(unit="E0", lo=1e-6, hi=_LIMIT,
                          description="k_B T: Matsubara sums (self-consistent Δ of the regions "
                                      "with `tc0`, `supercurrent`)"),
    "omega_max": Number(unit="E0", lo=1e-6, hi=1e9, description="highest Matsubara "
                                                                "frequency (default 40 max(T_c0, "
                                                                "|Δ|, T))"),
    "supercurrent": Table(description="`{surface, direction}`: the supercurrent through "
                                      "these facets (needs `temperature`)"),
    "critical_temperature": Bool(default=False, description="also find T_c (regions with "
                                                            "`tc0`)"),
    "spin_orbit_torque": Bool(default=False, description="the equilibrium spin–orbit torque "
                                                         "and currents of seed 003 at "
                                                         "`temperature` (regions with theta, "
                                                         "kappa)"),
    "keldysh": Table(description="`{temperatures, terminals, points}`: charge and spin "
                                 "accumulation of biased terminals over a temperature sweep "
                                 "(linearized Keldysh sector)"),
}

#: sections of the other models that [usadel] would silently ignore
_FOREIGN = {
    "materials": "the Usadel parameters of each region are [usadel.regions.NAME] tables",
    "boundaries": "reservoirs are [usadel.reservoirs.FACET] tables and tunnel barriers "
                  "[usadel.tunnel.\"A|B\"] tables; other facets are vacuum",
    "solver": "the Usadel problem solves with Newton and a direct solver of its own",
    "measure": "[usadel] reports the DOS at its probes and its minimum over the mesh",
}


def doc_tables() -> dict[str, str]:
    """Title -> markdown table of the nested tables of ``[usadel]`` (docs/case_files.md)."""
    return {"[usadel.regions.NAME]": doc_table(REGION),
            "[usadel.reservoirs.FACET]": doc_table(RESERVOIR),
            "[usadel.tunnel.FACET]": doc_table(TUNNEL),
            "[usadel.supercurrent]": doc_table(SUPERCURRENT),
            "[usadel.refine_energies]": doc_table(outputs.REFINE),
            **keldysh_case.doc_tables()}


# ------------------------------------------------------------------------------- checks
def _entries(case, spec: dict, key: str, schema: dict) -> dict:
    """The valid ``name -> table`` entries of ``[usadel.<key>]`` (each checked against
    ``schema``; problems reported)."""
    out = {}
    for name, table in spec.get(key, {}).items():
        keypath = ("usadel", key, name)
        if not name.strip() or name != name.strip():
            case.report(keypath, f"names must be non-empty strings without surrounding spaces, "
                                 f"got {name!r}")
            continue
        ok = check_section(case, keypath, table, schema)
        if ok is not None and ok == set(table) and not case.has_errors(*keypath):
            out[name] = table
    return out


def _layout(case):
    """The :class:`kinetics.geometry.Layout` of a builder geometry (no meshing), or None (a
    file geometry, or a geometry with errors, reported by the common checks)."""
    geo = case.data.get("geometry")
    if not isinstance(geo, dict) or "builder" not in geo or case.has_errors("geometry"):
        return None
    from kinetics.geometry import describe
    params = {k: v for k, v in geo.items() if k != "builder"}
    try:
        return describe(geo["builder"], params)
    except (ValueError, TypeError, KeyError):
        return None         # reported on [geometry] by kinetics.case_layout.check_layout


def _check_box(case, spec: dict, layout) -> None:
    """Probes of a ``layered_box`` (the box [0, lengths] along its axes, metres) must lie in
    it; other geometries' probes are checked after meshing."""
    geo = case.data["geometry"]
    if geo.get("builder") != "layered_box":
        return
    ext = [float(x) for x in geo["lengths"][:layout.dim]]
    if geo.get("layers"):
        ext[-1] = sum(float(layer[1]) for layer in geo["layers"])
    for i, p in enumerate(spec["probes"]):
        for axis, length in zip(layout.axes, ext):
            v = float(p["xyz".index(axis)])
            if not -1e-9 * length <= v <= length * (1 + 1e-9):
                case.report(("usadel", "probes"), f"entry {i + 1}: {p} lies outside the device "
                                                  f"({axis} from 0 to {length:g} m)")
                break


def check_names(spec: dict, regions, facets, report) -> None:
    """Check the names of ``[usadel]`` against a geometry's ``regions`` and ``facets``: every
    region has a ``regions`` entry and no entry names an unknown region; reservoirs and
    tunnel barriers name facets (and ``side`` a region bounding its barrier).  Problems go
    to ``report(keypath, message)``."""
    regions, facets = sorted(regions), sorted(facets)
    given = spec.get("regions", {})
    for name in given:
        if name not in regions:
            report(("usadel", "regions", name), f"unknown region '{name}'; regions of the "
                                                f"device: {', '.join(regions)}"
                                                f"{hint_after(name, regions)}")
    missing = [r for r in regions if r not in given]
    if missing:
        report(("usadel", "regions"), f"region(s) {', '.join(missing)} have no Usadel "
                                      f"parameters; every region needs a [usadel.regions.NAME] "
                                      f"table (delta = 0 for a normal metal; regions: "
                                      f"{', '.join(regions)})")
    for key in ("reservoirs", "tunnel"):
        for name in spec.get(key, {}):
            if name not in facets:
                report(("usadel", key, name), f"unknown facet name '{name}'; facets of the "
                                              f"device: {', '.join(facets)}"
                                              f"{hint_after(name, facets)}")
    for name, t in spec.get("tunnel", {}).items():
        side = t.get("side") if isinstance(t, dict) else None
        if side is None:
            continue
        sides = name.split("|")
        if side not in regions:
            report(("usadel", "tunnel", name, "side"), f"unknown region '{side}'; regions of "
                                                       f"the device: {', '.join(regions)}"
                                                       f"{hint_after(side, regions)}")
        elif len(sides) == 2 and all(s in regions for s in sides) and side not in sides:
            report(("usadel", "tunnel", name, "side"), f"'{side}' does not touch the barrier "
                                                       f"'{name}': give {sides[0]} or {sides[1]}")


def _validate(case, spec: dict) -> None:
    """Checks of ``[usadel]`` beyond its schema, all before meshing."""
    from kinetics.usadel.domains import TunnelInterface
    from kinetics.usadel.parameters import Reservoir, UsadelRegion
    for section, why in _FOREIGN.items():
        if section in case.data:
            case.report((section,), f"is not used by [usadel] ({why}): remove [{section}]")
    outputs.check(case, spec)
    matsubara_case.check(case, spec)
    keldysh_case.check(case, spec)
    e = np.asarray(spec.get("energies", []), dtype=float)
    if e.size > 1 and np.any(np.diff(e) <= 0):
        i = int(np.flatnonzero(np.diff(e) <= 0)[0])
        case.report(("usadel", "energies"), f"must be strictly increasing, got {e[i]:g} "
                                            f"followed by {e[i + 1]:g} (entries {i + 1} and "
                                            f"{i + 2})")
    for key, schema, cls in (("regions", REGION, UsadelRegion),
                             ("reservoirs", RESERVOIR, Reservoir),
                             ("tunnel", TUNNEL, TunnelInterface)):
        for name, table in _entries(case, spec, key, schema).items():
            try:
                cls(**table)
            except (ValueError, TypeError) as exc:
                case.report(("usadel", key, name), str(exc))
    for name in set(spec.get("reservoirs", {})) & set(spec.get("tunnel", {})):
        case.report(("usadel", "tunnel", name), f"'{name}' is also a reservoir: a facet has one "
                                                f"condition")
    layout = _layout(case)
    if layout is not None:
        check_names(spec, layout.regions, layout.boundaries, case.report)
        _check_box(case, spec, layout)
    elif not spec.get("regions"):
        case.report(("usadel", "regions"), "needs a [usadel.regions.NAME] table for every "
                                           "region of the geometry")


# ------------------------------------------------------------------------------- run
def build(spec: dict, device, jit_options: dict | None = None):
    """The :class:`~kinetics.usadel.problem.UsadelProblem` of a ``[usadel]`` table (values
    as parsed; units: module docstring) on ``device``.

    Raises
    ------
    KeyError, ValueError
        For names the device does not have, or a tunnel barrier that does not separate two
        domains (the problem's own checks).
    """
    from kinetics.usadel.domains import TunnelInterface
    from kinetics.usadel.parameters import Reservoir, UsadelRegion
    from kinetics.usadel.problem import UsadelProblem
    regions = {n: UsadelRegion(**t) for n, t in spec["regions"].items()}
    reservoirs = {n: Reservoir(**t) for n, t in spec.get("reservoirs", {}).items()}
    tunnel = {n: TunnelInterface(**t) for n, t in spec.get("tunnel", {}).items()}
    return UsadelProblem(device, regions, reservoirs, tunnel, eta=spec["broadening"],
                         degree=spec.get("degree", 1), jit_options=jit_options,
                         delta_field=any(r.tc0 > 0 for r in regions.values()))


def _magnetic(spec: dict) -> bool:
    tables = list(spec["regions"].values()) + list(spec.get("reservoirs", {}).values())
    return any(any(t.get("h", (0.0, 0.0, 0.0))) for t in tables)


def usadel(spec: dict, problem, points, progress=None) -> dict:
    """Sweep ``spec["energies"]`` (continuation from the previous energy) and measure.

    Parameters
    ----------
    spec:
        The ``[usadel]`` table.
    problem:
        The problem of :func:`build`.
    points:
        Probes (N, 3) in mesh units.
    progress:
        :class:`kinetics.runner.Progress` or None (a line per energy).

    Returns
    -------
    dict with ``energies`` (E₀), ``dos`` (energies × probes, normal-state DOS per spin),
    ``dos_min`` (per energy, over the Lagrange nodes of the mesh), ``newton_iterations``
    (per energy), and with an exchange field somewhere ``dos_up``/``dos_down`` (spin along
    +z, energies × probes); with ``refine_energies`` the energies of the refined grid and
    ``refinement`` (:func:`kinetics.models.usadel_output.refined_sweep`).

    Raises
    ------
    kinetics.solvers.linear.SolverError
        When Newton fails at an energy (the message names it).
    """
    from kinetics.usadel import observables as obs
    energies = [float(x) for x in spec.get("energies", [])]
    if not energies:
        return {}
    spin = _magnetic(spec)
    if "refine_energies" in spec:
        return outputs.refined_sweep(spec, problem, points, spin, progress)
    rows: dict = {"dos": [], "dos_min": []}
    if spin:
        rows.update(dos_up=[], dos_down=[])

    def record(p, eps):
        rows["dos"].append(obs.dos_at(p, points))
        rows["dos_min"].append(obs.dos_extrema(p)[0])
        if spin:
            up, down = obs.spin_dos_at(p, points, (0.0, 0.0, 1.0))
            rows["dos_up"].append(up)
            rows["dos_down"].append(down)
        if progress is not None:
            progress.step(f"usadel: eps = {eps:.6g} E0 ({len(rows['dos'])}/{len(energies)}), "
                          f"Newton iterations {p.iterations}")
    its = problem.sweep(energies, callback=record)
    return {"energies": energies, **{k: np.asarray(v) for k, v in rows.items()},
            "newton_iterations": [int(i) for i in its]}


def run(case, device, context) -> dict:
    """Run function of ``[usadel]``: results get ``usadel`` with ``energies``, ``probes_m``,
    ``dos``, ``dos_min``, ``newton_iterations``, ``broadening``, ``degree``, ``unknowns``,
    ``units``, ``probe_regions`` (and ``energies_eV``, ``dos_up``/``dos_down``,
    ``refinement``, ``maps`` when they apply; see :func:`usadel`); with ``maps`` the DOS maps
    become ``context.solution`` (fields.bp, fields.vtu; :mod:`kinetics.models.usadel_output`).

    Raises
    ------
    kinetics.case.CaseError
        For names the mesh does not have (geometry files) or probes outside the mesh (before
        the first solve).
    kinetics.solvers.linear.SolverError
        When Newton fails at an energy (naming it); the runner then writes nothing.
    """
    spec = case.get("usadel")
    errors: list = []
    check_names(spec, device.regions, device.boundaries,
                lambda keypath, message: errors.append(case.error(keypath, message)))
    if errors:
        raise errors[0]
    try:
        problem = build(spec, device)
    except (KeyError, ValueError) as exc:
        raise case.error(("usadel",), str(exc).strip('"')) from None
    probes = np.asarray(spec["probes"], dtype=float).reshape(-1, 3)
    points = probes / device.length_unit
    try:
        problem.evaluate(points)
    except ValueError as exc:
        raise case.error(("usadel", "probes"), f"every probe must lie in the device "
                                               f"(metres): {exc}") from None
    unknowns = problem.unknowns
    context.progress.step(f"usadel: {len(spec.get('energies', []))} energies, {unknowns} "
                          f"unknowns in {len(problem.domains)} domain(s), degree "
                          f"{problem.degree}")
    try:
        eq = self_consistent(spec, problem, points, context.progress)
        out = usadel(spec, problem, points, context.progress)
        maps = outputs.dos_maps(spec, problem, _magnetic(spec), context.progress)
        torque, fields = matsubara_case.spin_orbit_torque(spec, problem, context.progress)
        if fields:
            maps = outputs.with_fields(maps, problem, fields)
            eq["spin_orbit_torque"] = torque
        eq.update(supercurrent_and_tc(spec, problem, context.progress))    # T_c last
        kel = None
        if "keldysh" in spec:
            kel, fields = keldysh_case.run(spec, problem, points, context.progress)
            maps = outputs.with_fields(maps, problem, fields)
    finally:
        problem.destroy()
    results = {**out, "probes_m": probes,
               "probe_regions": outputs.probe_regions(problem, points),
               "broadening": float(spec["broadening"]),
               "degree": problem.degree, "unknowns": int(unknowns),
               "units": {"energies": "E0 (the case's energy unit)",
                         "broadening": "E0", "dos": "normal-state DOS per spin",
                         "probes_m": "m"}}
    if "energy_unit_eV" in spec and "energies" in out:
        results["energies_eV"] = [e * spec["energy_unit_eV"] for e in out["energies"]]
        results["units"]["energies_eV"] = "eV"
    if maps is not None:
        context.solution = maps
    if maps is not None and maps.energies:
        results["maps"] = {"energies": maps.energies,
                           "fields": [n for n in maps.functions if n.startswith("dos")]}
        results["units"]["maps"] = "energies in E0; fields.bp/.vtu: normal-state DOS per spin"
    if kel is not None:
        results["keldysh"] = kel
        results["units"].update(charge_accumulation="E0", spin_accumulation="E0",
                                temperatures="E0")
    if eq:
        results["matsubara"] = {"temperature": spec.get("temperature"), **eq}
        results["units"].update(temperature="E0", delta="E0", critical_temperature="E0",
                                supercurrent="sigma_N E0 L^(dim-2)/e (L the mesh unit)")
    return {"usadel": results}


#: bytes_per_cell: not measured (0: no memory check before meshing)
USADEL = register(CaseModel(name="usadel", section="usadel", run=run, needs=(), schema=SCHEMA,
                            validate=_validate, pictures=outputs.pictures))
