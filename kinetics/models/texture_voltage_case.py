"""Case-file glue of the seed-002 texture voltage (``[texture_voltage]``,
:class:`kinetics.models.texture_charge.TextureVoltage`; docs/seed002_voltage.md).

A prescribed texture (uniform precession, a spin wave, or a precessing domain wall) pumps
spin (Takeuchi, Hosono & Tatara, PRB 81, 144405 (2010), Eq. 26, our identification); each
region of the device has its own conductivity, spin-flip length and conversion mechanism
(θ_SH, Rashba E_so, impurity λ_so) in ``[texture_voltage.regions.NAME]``; the open-circuit
voltage and short-circuit current between the ``ground`` and ``probe`` facets are written
to results.json.  A model of its own: it needs only ``[geometry]``; ``[materials]``,
``[boundaries]``, ``[solver]`` and ``[[measure.*]]`` are errors.  Every check of
:class:`~kinetics.models.texture_charge.TextureVoltage` that does not need the mesh is made
here, before meshing.  dolfinx is imported inside the run function only.
"""

from __future__ import annotations

import math

from kinetics import materials as library
from kinetics.case_schema import (Array, Bool, Integer, Number, String, Table, Vector,
                                  check_section, doc_table, hint_after)
from kinetics.models.registry import CaseModel, register

__all__ = ["TEXTURE_VOLTAGE", "REGION", "SCHEMA", "charge_regions", "texture", "run",
           "doc_tables"]

SECTION = "texture_voltage"
#: library materials a region may name: the normal metals (a magnet is a textured gas)
_METALS = sorted(n for n, m in library.LIBRARY.items() if not isinstance(m, library.Ferromagnet))
_GAS = ("nu", "J", "tau", "D")

#: the keys of one [texture_voltage.regions.NAME] table
REGION = {
    "material": String(description="library material (σ, λ_sf, θ_SH; the keys below override "
                                   "them); not with a gas"),
    "sigma": Number(unit="S/m", lo=1e-6, hi=1e12, description="conductivity σ (with a gas: "
                                                              "default and must be 2e²νD)"),
    "lambda_sf": Number(unit="m", lo=1e-12, hi=1.0, allow_inf=True,
                        description="spin-flip length (default: the material's, else `inf`)"),
    "theta_sh": Number(lo=-1.0, hi=1.0, description="spin Hall angle: converts the diffusive "
                                                    "spin current"),
    "nu": Number(unit="1/(J m^3)", lo=1e30, hi=1e60, description="gas: density of states "
                                                                 "per spin (textured region)"),
    "J": Number(unit="J", lo=-1e-17, hi=1e-17, min_abs=1e-30, description="gas: s-d exchange"),
    "tau": Number(unit="s", lo=1e-18, hi=1e-9, description="gas: elastic lifetime"),
    "D": Number(unit="m^2/s", lo=1e-8, hi=1.0, description="gas: diffusion constant"),
    "E_so": Vector(unit="J m", max_norm=1e-20, description="Rashba vector (local conversion, "
                                                           "Eq. 25); textured regions only"),
    "lambda_so": Number(unit="m^2", lo=-1e-10, hi=1e-10,
                        description="impurity SOC strength (local conversion, Eqs. 30-31); "
                                    "textured regions only"),
}

#: the schema of [texture_voltage] (docs/case_files.md)
SCHEMA = {
    "texture": String(choices=("precession", "domain_wall"), noun="texture",
                      default="precession", description="uniform precession or spin wave; or "
                                                        "a precessing domain wall"),
    "frequency_Hz": Number(required=True, unit="Hz", lo=-1e15, hi=1e15, min_abs=1.0,
                           description="Ω/2π; its sign is the sense of precession about `axis`"),
    "axis": Vector(norm="unit", default=[0.0, 0.0, 1.0],
                   description="precession axis â (a wall's easy axis)"),
    "cone_angle_deg": Number(unit="deg", lo=1e-6, hi=90.0,
                             description="cone angle θ (`precession`: required)"),
    "wavevector": Vector(unit="1/m", max_norm=1e12, description="spin-wave vector k "
                                                                "(`precession`; default 0)"),
    "wall_normal": Vector(norm="unit", description="wall normal n̂ (`domain_wall`; default "
                                                   "[1, 0, 0])"),
    "wall_center": Number(unit="m", lo=-1.0, hi=1.0, description="wall centre along n̂ "
                                                                 "(`domain_wall`: required)"),
    "wall_width": Number(unit="m", lo=1e-12, hi=1.0, description="wall width w "
                                                                 "(`domain_wall`: required)"),
    "wall_polarity": Integer(lo=-1, hi=1, description="+1: the +â domain beyond the centre, -1: "
                                                      "before it (`domain_wall`; default 1)"),
    "ground": String(required=True, ref="facet", description="contact at φ = 0"),
    "probe": String(required=True, ref="facet", description="floating (V_oc) or shorted "
                                                            "(I_sc) contact"),
    "spin_reservoirs": Array(String(ref="facet"), unique=True, max_len=100,
                             description="facets where μ_s = 0"),
    "degree": Integer(lo=1, hi=3, default=2, description="Lagrange degree of μ_s and φ"),
    "samples": Integer(lo=4, hi=4096, default=16, description="instants per period averaged"),
    "backaction": Bool(default=False, description="self-consistent spin Hall back-action "
                                                  "(θ_SH in the spin equation too)"),
    "regions": Table(required=True, description="region name → `{material, sigma, lambda_sf, "
                                                "theta_sh, nu, J, tau, D, E_so, lambda_so}`; "
                                                "every region needs one"),
}

_PRECESSION_ONLY = ("cone_angle_deg", "wavevector")
_WALL_ONLY = ("wall_normal", "wall_center", "wall_width", "wall_polarity")

#: sections of the other models that this model would silently ignore
_FOREIGN = {
    "materials": "the parameters of each region are [texture_voltage.regions.NAME] tables",
    "boundaries": "the contacts are `ground` and `probe`, spin sinks `spin_reservoirs`; other "
                  "facets are insulating walls",
    "solver": "it solves with a direct solver; its degree is [texture_voltage] degree",
    "measure": "it reports V_oc and I_sc between ground and probe",
}


def doc_tables() -> dict[str, str]:
    """Title -> markdown table of the nested table of ``[texture_voltage]``."""
    return {"[texture_voltage.regions.NAME]": doc_table(REGION)}


# ------------------------------------------------------------------------------- builders
def charge_regions(spec: dict) -> dict:
    """Region name -> :class:`kinetics.models.texture_charge.ChargeRegion` of the
    ``regions`` tables of a ``[texture_voltage]`` section (SI values as in the file).

    Raises
    ------
    KeyError
        An unknown library material.
    ValueError, TypeError
        From :class:`~kinetics.models.texture.ElectronGas` and ``ChargeRegion``: a gas with
        some of nu, J, tau, D missing, a material with a gas, inconsistent σ, E_so or λ_so
        outside a textured region, values out of range.
    """
    from kinetics.models.texture import ElectronGas
    from kinetics.models.texture_charge import ChargeRegion
    out = {}
    for name, t in spec["regions"].items():
        given = [k for k in _GAS if k in t]
        if given and len(given) < len(_GAS):
            missing = [k for k in _GAS if k not in t]
            raise ValueError(f"a textured region needs all of nu, J, tau, D (the electron gas); "
                             f"missing {', '.join(missing)}")
        gas = ElectronGas(**{k: t[k] for k in _GAS}) if given else None
        base = {}
        if "material" in t:
            if gas is not None:
                raise ValueError("material and a gas (nu, J, tau, D) exclude each other: a "
                                 "textured region's σ is 2e²νD; give sigma/lambda_sf/theta_sh")
            m = library.get(t["material"])
            if isinstance(m, library.Ferromagnet):
                raise ValueError(f"material '{t['material']}' is a ferromagnet: give a textured "
                                 f"region its gas (nu, J, tau, D) and sigma/lambda_sf instead; "
                                 f"metals: {', '.join(_METALS)}")
            base = {"sigma": m.sigma, "lambda_sf": m.lambda_sf, "theta_sh": m.theta_sh}
        for key in ("sigma", "lambda_sf", "theta_sh", "E_so", "lambda_so"):
            if key in t:
                base[key] = tuple(t[key]) if key == "E_so" else t[key]
        out[name] = ChargeRegion(gas=gas, **base)
    return out


def texture(spec: dict):
    """The texture of a ``[texture_voltage]`` section: :func:`~kinetics.physics.texture.
    sources.precessing_texture` or :func:`~kinetics.physics.texture.walls.
    precessing_domain_wall`, Ω = 2π ``frequency_Hz``.

    Raises
    ------
    ValueError, TypeError
        From the texture builders.
    """
    from kinetics.physics.texture.sources import precessing_texture
    from kinetics.physics.texture.walls import precessing_domain_wall
    omega = 2 * math.pi * spec["frequency_Hz"]
    axis = tuple(spec.get("axis", (0.0, 0.0, 1.0)))
    if spec.get("texture", "precession") == "domain_wall":
        return precessing_domain_wall(axis=axis, normal=tuple(spec.get("wall_normal", (1, 0, 0))),
                                      center=spec["wall_center"], width=spec["wall_width"],
                                      Omega=omega, polarity=spec.get("wall_polarity", 1))
    return precessing_texture(axis=axis, cone_angle=math.radians(spec["cone_angle_deg"]),
                              Omega=omega, wavevector=tuple(spec.get("wavevector", (0, 0, 0))))


def run(case, device, context) -> dict:
    """Run function of ``[texture_voltage]``.

    Returns ``{"texture_voltage": {...}}`` with ``V_oc_V`` and ``I_sc_A`` (per
    contribution: diffusive, rashba, impurity, local, total), ``conductance_S``,
    ``spin_balance_A`` (2×3: pumped, absorbed per spin axis), ``samples`` and
    ``backaction``; on a 2D cross-section the keys end in ``_per_m`` (per unit length of the
    missing axis), in 1D in ``_per_m2``.

    Raises
    ------
    kinetics.case.CaseError
        For inputs that only the mesh reveals (a probe touching the ground, unknown names of
        a geometry file), keypath ``[texture_voltage]``.
    """
    from kinetics.models.texture_charge import TextureVoltage
    spec = case.get(SECTION)
    try:
        model = TextureVoltage(device, charge_regions(spec), texture(spec),
                               ground=spec["ground"], probe=spec["probe"],
                               spin_reservoirs=tuple(spec.get("spin_reservoirs", ())),
                               degree=spec.get("degree", 2), samples=spec.get("samples", 16),
                               backaction=spec.get("backaction", False))
    except (KeyError, ValueError, TypeError) as exc:
        raise case.error((SECTION,), str(exc).strip('"')) from None
    context.progress.step("solving the DC spin accumulation and the charge response")
    res = model.solve()
    out = res.summary()
    per = {3: "", 2: "_per_m", 1: "_per_m2"}[device.dim]     # a 2D cross-section: per metre
    return {SECTION: {"V_oc_V": out["V"], f"I_sc_A{per}": out["I"],
                      f"conductance_S{per}": out["conductance"],
                      f"spin_balance_A{per}": out["spin_balance"], "samples": out["samples"],
                      "backaction": bool(spec.get("backaction", False))}}


# ------------------------------------------------------------------------------- checks
def _layout(case):
    """The layout of a builder geometry (no meshing), or None."""
    geo = case.data.get("geometry")
    if not isinstance(geo, dict) or "builder" not in geo or case.has_errors("geometry"):
        return None
    from kinetics.geometry import describe
    try:
        return describe(geo["builder"], {k: v for k, v in geo.items() if k != "builder"})
    except (ValueError, TypeError, KeyError):
        return None         # reported on [geometry] by the common checks


def _check_regions(case, spec: dict) -> dict | None:
    """Check every region table; the ChargeRegions, or None after an error."""
    good = True
    for name, table in spec["regions"].items():
        keypath = (SECTION, "regions", name)
        if not name.strip() or name != name.strip():
            case.report(keypath, f"names must be non-empty strings without surrounding spaces, "
                                 f"got {name!r}")
            good = False
            continue
        ok = check_section(case, keypath, table, REGION)
        if ok is None or ok != set(table):
            good = False
            continue
        if "material" in table:
            names = _METALS
            if table["material"].lower() not in {n.lower() for n in names}:
                case.report(keypath + ("material",), f"unknown material '{table['material']}'; "
                                                     f"valid: {', '.join(names)}"
                                                     f"{hint_after(table['material'], names)}")
                good = False
                continue
        try:
            charge_regions({"regions": {name: table}})
        except (ValueError, TypeError, KeyError) as exc:
            case.report(keypath, str(exc).strip('"'))
            good = False
    if not good:
        return None
    return charge_regions(spec)


def _check_texture(case, spec: dict) -> None:
    kind = spec.get("texture", "precession")
    wrong, needed = (_PRECESSION_ONLY, ("wall_center", "wall_width")) if kind == "domain_wall" \
        else (_WALL_ONLY, ("cone_angle_deg",))
    for key in wrong:
        if key in spec:
            case.report((SECTION, key), f"is not used by texture = \"{kind}\": remove it")
    for key in needed:
        if key not in spec:
            case.report((SECTION, key), f"required for texture = \"{kind}\", "
                                        f"{SCHEMA[key].range_words()}")
    if spec.get("wall_polarity", 1) == 0:
        case.report((SECTION, "wall_polarity"), "must be +1 or -1, got 0")


def _check_contacts(case, spec: dict, layout) -> None:
    ground, probe = spec.get("ground"), spec.get("probe")
    if ground is not None and ground == probe:
        case.report((SECTION, "probe"), f"must be a facet other than ground, got '{probe}'")
        return
    geo = case.data.get("geometry", {})
    if layout is None or geo.get("builder") != "layered_box" or "|" in f"{ground}{probe}":
        return
    sides = {f"{a}{e}": a for a in layout.axes for e in ("min", "max")}
    if ground in sides and probe in sides and sides[ground] != sides[probe]:
        opposite = sides[ground] + ("max" if ground.endswith("min") else "min")
        case.report((SECTION, "probe"), f"'{probe}' touches the ground '{ground}' (they share an "
                                        f"edge of the box): use the opposite face {opposite}")


def _validate(case, spec: dict) -> None:
    """Checks of ``[texture_voltage]`` beyond its schema, all before meshing."""
    for section, why in _FOREIGN.items():
        if section in case.data:
            case.report((section,), f"is not used by [texture_voltage] ({why}): remove "
                                    f"[{section}]")
    _check_texture(case, spec)
    layout = _layout(case)
    _check_contacts(case, spec, layout)
    if layout is not None:
        regions = sorted(layout.regions)
        for name in spec["regions"]:
            if name not in regions:
                case.report((SECTION, "regions", name),
                            f"unknown region '{name}'; regions of the device: "
                            f"{', '.join(regions)}{hint_after(name, regions)}")
        missing = [r for r in regions if r not in spec["regions"]]
        if missing:
            case.report((SECTION, "regions"), f"region(s) {', '.join(missing)} have no "
                                              f"[texture_voltage.regions.NAME] table; every "
                                              f"region needs one (regions: {', '.join(regions)})")
    regs = _check_regions(case, spec)
    if regs is None:
        return
    textured = [n for n, r in regs.items() if r.textured]
    if not textured:
        case.report((SECTION, "regions"), "no textured region: give the electron gas (nu, J, "
                                          "tau, D) of the region where the texture acts")
    elif not any(r.converts for r in regs.values()):
        case.report((SECTION, "regions"),
                    f"the texture in {', '.join(textured)} is coupled to regions without a "
                    f"conversion mechanism: give theta_sh to the metal that collects the spin "
                    f"current, or E_so / lambda_so to the textured region (0 is allowed)")
    if not spec.get("spin_reservoirs") and all(math.isinf(r.lambda_sf) for r in regs.values()):
        case.report((SECTION, "spin_reservoirs"),
                    "no steady state: lambda_sf is inf in every region and there is no spin "
                    "reservoir, so the pumped spin accumulates without bound (seed 002 §4.3); "
                    "give a finite lambda_sf or spin_reservoirs = [FACET, ...]")


TEXTURE_VOLTAGE = register(CaseModel(name=SECTION, section=SECTION, run=run, needs=(),
                                     schema=SCHEMA, validate=_validate, bytes_per_cell=40e3))
