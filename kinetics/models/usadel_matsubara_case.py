"""Case-file glue of the equilibrium (Matsubara) keys of ``[usadel]``
(:mod:`kinetics.models.usadel_case`): the checks of ``temperature``, ``tc0``,
``supercurrent``, ``critical_temperature``, ``omega_max`` before meshing, and the runs of the
self-consistent gap, the supercurrent and T_c (:mod:`kinetics.usadel.matsubara`).
Units: those of :mod:`kinetics.models.usadel_case`.
"""

from __future__ import annotations

import numpy as np

from kinetics.case_schema import String, Vector, check_section

__all__ = ["SUPERCURRENT", "check", "self_consistent", "supercurrent_and_tc",
           "spin_orbit_torque"]

#: keys of ``[usadel.supercurrent]``
SUPERCURRENT = {
    "surface": String(required=True, ref="facet", description="facets the current crosses"),
    "direction": Vector(required=True, norm="nonzero", description="direction of the "
                                                                   "counted current"),
}


def check(case, spec: dict) -> None:
    """The equilibrium keys: something to compute, `temperature` where Matsubara sums need
    it, a region with `tc0` for T_c, a valid `supercurrent` table."""
    regions = spec.get("regions", {})
    paired = [n for n, t in regions.items() if isinstance(t, dict)
              and isinstance(t.get("tc0"), (int, float)) and t["tc0"] > 0]
    has_t = "temperature" in spec
    if "energies" not in spec and "maps" not in spec and not has_t and "keldysh" not in spec:
        case.report(("usadel",), "give `energies` (density of states), `maps`, "
                                 "`temperature` (Matsubara sums) or [usadel.keldysh]")
    if paired and not has_t and not spec.get("critical_temperature") \
            and "keldysh" not in spec:
        case.report(("usadel", "regions", paired[0], "tc0"),
                    "a self-consistent Δ needs [usadel] temperature (or critical_temperature "
                    "= true)")
    if spec.get("critical_temperature") and not paired:
        case.report(("usadel", "critical_temperature"), "needs a region with tc0 > 0")
    if "supercurrent" in spec:
        if not has_t:
            case.report(("usadel", "supercurrent"), "needs [usadel] temperature (a Matsubara "
                                                    "sum)")
        check_section(case, ("usadel", "supercurrent"), spec["supercurrent"], SUPERCURRENT)
    if "omega_max" in spec and not (has_t or spec.get("critical_temperature")):
        case.report(("usadel", "omega_max"), "is used by Matsubara sums only: give "
                                             "temperature or remove it")
    if spec.get("spin_orbit_torque"):
        if not has_t:
            case.report(("usadel", "spin_orbit_torque"), "needs [usadel] temperature (a "
                                                         "Matsubara sum)")
        coupled = [t for t in regions.values() if isinstance(t, dict)
                   and any(isinstance(t.get(k), (int, float)) and t.get(k) for k in
                           ("theta", "kappa"))]
        if not coupled:
            case.report(("usadel", "spin_orbit_torque"), "is zero without spin–orbit "
                                                         "coupling: give theta or kappa to a "
                                                         "region")
        for name, t in regions.items():
            if isinstance(t, dict) and t.get("gauge") is not None:
                case.report(("usadel", "regions", name, "gauge"), "spin_orbit_torque does "
                                                                  "not support gauge fields "
                                                                  "yet")

def self_consistent(spec: dict, problem, points, progress=None) -> dict:
    """The self-consistent Δ at ``temperature`` (:func:`kinetics.usadel.matsubara.
    self_consistent_gap`) when a region has ``tc0``; it stays in the problem for the DOS
    sweep.  Returns {} otherwise, else ``max_delta``, ``delta_at_probes`` ([re, im] per
    probe, E₀), ``gap_iterations``, ``matsubara_frequencies``.

    Raises
    ------
    kinetics.solvers.linear.SolverError
        When the gap iteration or a Newton solve fails.
    """
    from kinetics.usadel import matsubara as ms
    T = spec.get("temperature")
    if T is None or not any(r.tc0 > 0 for r in problem.regions.values()):
        return {}
    if progress is not None:
        progress.step(f"usadel: self-consistent gap at T = {T:g} E0")
    sol = ms.self_consistent_gap(problem, T, omega_max=spec.get("omega_max"))
    d = ms.pair_potential_at(problem, points)
    problem.set_broadening(spec["broadening"])
    return {"max_delta": sol.max_delta, "delta_at_probes": np.stack([d.real, d.imag], 1),
            "gap_iterations": sol.iterations, "matsubara_frequencies": sol.frequencies}


def supercurrent_and_tc(spec: dict, problem, progress=None) -> dict:
    """``supercurrent`` (σ_N E₀ L^{dim−2}/e, :func:`kinetics.usadel.matsubara.supercurrent`)
    with ``[usadel.supercurrent]`` and ``critical_temperature`` (E₀) when asked for; T_c
    last, since it leaves a tiny Δ in the problem.

    Raises
    ------
    kinetics.solvers.linear.SolverError
        When a Newton solve fails.
    """
    from kinetics.usadel import matsubara as ms
    w, out = spec.get("omega_max"), {}
    if "supercurrent" in spec:
        sc = spec["supercurrent"]
        if progress is not None:
            progress.step(f"usadel: supercurrent through {sc['surface']}")
        out["supercurrent"] = ms.supercurrent(problem, spec["temperature"], sc["surface"],
                                              sc["direction"], omega_max=w)
    if spec.get("critical_temperature"):
        if progress is not None:
            progress.step("usadel: critical temperature")
        out["critical_temperature"] = ms.critical_temperature(problem, omega_max=w)
    return out


def spin_orbit_torque(spec: dict, problem, progress=None):
    """With ``spin_orbit_torque = true``: the equilibrium spin–orbit torque of seed 003 at
    ``temperature`` (:func:`kinetics.usadel.torque.equilibrium_torque`, after the
    self-consistent gap).  Returns (results, fields): results ``{integrals: {tau, tau3,
    spin_current, charge_current}, matsubara_frequencies}`` (∫ density dA over the mesh,
    N_F = 1: E₀² L^dim, currents E₀² L^{dim+1}) and the DG0 fields
    ``spin_orbit_torque`` (τ^a, E₀²), ``equilibrium_spin_current`` ([a, k]) and
    ``equilibrium_charge_current``; ({}, {}) without the key.

    Raises
    ------
    kinetics.solvers.linear.SolverError
        When a Newton solve fails.
    """
    from kinetics.usadel.torque import equilibrium_torque
    if not spec.get("spin_orbit_torque"):
        return {}, {}
    if progress is not None:
        progress.step(f"usadel: spin-orbit torque at T = {spec['temperature']:g} E0")
    res = equilibrium_torque(problem, spec["temperature"], omega_max=spec.get("omega_max"))
    names = {"tau": "spin_orbit_torque", "spin_current": "equilibrium_spin_current",
             "charge_current": "equilibrium_charge_current"}
    fields = {}
    for key, name in names.items():
        f = res.fields[key]
        f.name = name
        fields[name] = f
    return ({"integrals": {k: np.asarray(v) for k, v in res.integrals.items()},
             "matsubara_frequencies": res.omegas}, fields)
