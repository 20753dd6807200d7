"""Case-file glue of the linearized Keldysh sector (``[usadel.keldysh]``,
:mod:`kinetics.usadel.keldysh`): charge and spin accumulation driven by biased terminals,
with the spin Hall effect, swapping, Elliott–Yafet relaxation and the superconducting
torque of seed 003 (θ = ``theta``, κ = ``kappa``, τ_so of ``[usadel.regions.NAME]``), over
a sweep of temperatures across T_c.

Each temperature T: the regions with ``tc0`` take the bulk BCS gap Δ(T) of their T_c0
(uniform in the region, not self-consistent; 0 above T_c0), regions with a fixed ``delta``
keep it; the retarded problem and the kinetic equations are solved at the energies of
:func:`kinetics.usadel.keldysh.thermal_quadrature` (``points``, split at the gap edges), and
the accumulations μ(r) = −½∫w ñ dε, μ_s(r) = −∫w s̃ dε (energy units E₀; the terminal values
in a normal metal) and the tunnel conductance Y = ∫w N dε are reported at the probes of
``[usadel]``, with the voltages μ/Y, μ_s/Y that tunnel probes measure, and written as fields
``charge_accumulation_K``, ``spin_accumulation_K``, ``tunnel_conductance_K`` for the K-th
temperature.

Units: those of :mod:`kinetics.models.usadel_case` (energies and temperatures in E₀).
"""

from __future__ import annotations

import numpy as np

from kinetics.case_schema import (MAX_COUNT, Array, Integer, Number, Table, Vector,
                                  check_section, doc_table)

__all__ = ["KELDYSH", "TERMINAL", "check", "run", "doc_tables"]

_LIMIT = 1e8

#: keys of ``[usadel.keldysh]``
KELDYSH = {
    "temperatures": Array(Number(unit="E0", lo=1e-6, hi=_LIMIT), required=True,
                          min_len=1, max_len=MAX_COUNT,
                          description="k_B T of the sweep (regions with `tc0` take the bulk "
                                      "BCS gap Δ(T))"),
    "terminals": Table(required=True, description="reservoir facet → `{mu, mu_s}`: the bias "
                                                  "of the terminals (others: equilibrium)"),
    "points": Integer(lo=4, hi=4000, default=48, description="energies per temperature "
                                                             "(thermal quadrature)"),
}

#: keys of one ``[usadel.keldysh.terminals.FACET]`` table (kinetics.usadel.keldysh.Terminal)
TERMINAL = {
    "mu": Number(unit="E0", lo=-1e6, hi=1e6, default=0.0,
                 description="electrochemical potential (charge injection)"),
    "mu_s": Vector(unit="E0", max_norm=1e6, default=[0.0, 0.0, 0.0],
                   description="spin accumulation (spin injection)"),
}


def doc_tables() -> dict[str, str]:
    """Title -> markdown table (docs/case_files.md)."""
    return {"[usadel.keldysh]": doc_table(KELDYSH),
            "[usadel.keldysh.terminals.FACET]": doc_table(TERMINAL)}


def _coupled(spec: dict) -> list[tuple[str, str]]:
    """(region, key) of every nonzero θ or κ."""
    out = []
    for name, t in spec.get("regions", {}).items():
        if isinstance(t, dict):
            for key in ("theta", "kappa"):
                v = t.get(key, 0.0)
                if isinstance(v, (int, float)) and not isinstance(v, bool) and v != 0:
                    out.append((name, key))
    return out


def check(case, spec: dict) -> None:
    """Checks of ``[usadel.keldysh]`` and of θ, κ beyond the schema, before meshing: θ, κ
    not beside gauge fields (the Riccati form does not combine them yet); terminals name
    reservoirs and carry a bias; no tunnel barriers (not supported by the Keldysh sector
    yet); no `temperature` beside the sweep."""
    if _coupled(spec):
        for name, t in spec.get("regions", {}).items():
            if isinstance(t, dict) and t.get("gauge") is not None:
                case.report(("usadel", "regions", name, "gauge"),
                            "gauge fields and theta/kappa (in any region) cannot be combined "
                            "yet: remove one of them")
    if "keldysh" not in spec:
        return
    kel = spec["keldysh"]
    ok = check_section(case, ("usadel", "keldysh"), kel, KELDYSH)
    for name, t in spec.get("regions", {}).items():
        if isinstance(t, dict) and t.get("gauge") is not None:
            case.report(("usadel", "regions", name, "gauge"), "the Keldysh sector does not "
                                                              "support gauge fields yet")
    if ok is None:
        return
    if "tunnel" in spec:
        case.report(("usadel", "keldysh"), "the Keldysh sector does not support tunnel "
                                           "barriers yet: remove [usadel.tunnel] or this section")
    if "temperature" in spec:
        case.report(("usadel", "temperature"), "the [usadel.keldysh] sweep sets the "
                                               "temperatures (and Δ(T) of regions with tc0): "
                                               "remove [usadel] temperature")
    reservoirs = spec.get("reservoirs", {})
    terms = kel.get("terminals") if isinstance(kel.get("terminals"), dict) else {}
    for name, table in terms.items():
        keypath = ("usadel", "keldysh", "terminals", name)
        if name not in reservoirs:
            case.report(keypath, f"'{name}' is not a reservoir: a terminal is a "
                                 f"[usadel.reservoirs] facet (reservoirs: "
                                 f"{', '.join(reservoirs) or 'none'})")
            continue
        good = check_section(case, keypath, table, TERMINAL)
        if good is None or good != set(table):
            continue
        if table.get("mu", 0.0) == 0 and not any(table.get("mu_s", (0.0, 0.0, 0.0))):
            case.report(keypath, "has no bias: give mu (charge) or mu_s (spin), or remove the "
                                 "terminal (reservoirs without an entry are at equilibrium)")
    if "terminals" in kel and not terms:
        case.report(("usadel", "keldysh", "terminals"), "needs at least one biased terminal")


def run(spec: dict, problem, points, progress=None):
    """The temperature sweep of ``[usadel.keldysh]`` on ``problem`` (the UsadelProblem of the
    case) with probes ``points`` (N, 3) in mesh units.

    Returns
    -------
    (results, functions): ``results`` with ``temperatures``, ``charge_accumulation``
    (temperatures × probes, E₀), ``spin_accumulation`` (temperatures × probes × 3, E₀),
    ``tunnel_conductance`` Y (temperatures × probes, normalized to the normal state),
    ``probe_voltage`` μ/Y and ``probe_spin_voltage`` μ_s/Y (what normal and ferromagnetic
    tunnel probes measure, E₀/e), ``gaps`` ({region: Δ(T)} for regions with tc0),
    ``energies_per_temperature``; ``functions`` {name: Function} of the accumulation and
    tunnel-conductance fields.

    Raises
    ------
    kinetics.solvers.linear.SolverError
        When a retarded or kinetic solve fails.
    """
    from kinetics.usadel.keldysh import KineticProblem, Terminal, set_bulk_gaps
    kel = spec["keldysh"]
    terminals = {n: Terminal(**t) for n, t in kel["terminals"].items()}
    kin = KineticProblem(problem, terminals)
    temps = [float(t) for t in kel["temperatures"]]
    mus, spins, ys, gaps, functions = [], [], [], {}, {}
    try:
        for k, T in enumerate(temps):
            for name, d in set_bulk_gaps(problem, T).items():
                gaps.setdefault(name, []).append(d)
            if progress is not None:
                progress.step(f"usadel.keldysh: T = {T:g} E0 ({k + 1}/{len(temps)}), "
                              f"{kel.get('points', 48)} energies")
            mu, mu_s, Y = kin.accumulations(T, points=kel.get("points", 48))
            mus.append(problem.point_values(points, 1, lambda x, c: mu.eval(x, [c]),
                                            "usadel.keldysh")[:, 0])
            spins.append(problem.point_values(points, 3, lambda x, c: mu_s.eval(x, [c]),
                                              "usadel.keldysh"))
            ys.append(problem.point_values(points, 1, lambda x, c: Y.eval(x, [c]),
                                           "usadel.keldysh")[:, 0])
            for f in (mu, mu_s, Y):
                f.name = f"{f.name}_{k}"
                functions[f.name] = f
    finally:
        kin.destroy()
    mus, spins, ys = np.asarray(mus), np.asarray(spins), np.asarray(ys)
    results = {"temperatures": temps, "charge_accumulation": mus,
               "spin_accumulation": spins, "tunnel_conductance": ys,
               "probe_voltage": mus / ys, "probe_spin_voltage": spins / ys[:, :, None],
               "gaps": gaps,
               "energies_per_temperature": kin.energies_used,
               "terminals": {n: {"mu": t.mu, "mu_s": list(t.mu_s)} for n, t in
                             terminals.items()}}
    return results, functions
