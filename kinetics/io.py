"""Read a run back: ``results.json`` with the unit of every number and the run's provenance.

    from kinetics.io import load_results
    res = load_results("results/pt_yig_film")            # the folder, or its results.json
    res["base"]["resistance_Ohm"]["R_xx"], res.unit("base", "resistance_Ohm", "R_xx")
    res.provenance["materials"]["pt"]["source"]           # where each number came from

Every ``results.json`` written by :func:`kinetics.output.results.write_json` (``kinetics
run`` and the demos) holds, besides the results, a ``provenance`` table (see
:func:`kinetics.output.results.provenance`): the kinetics version, the git commit of the
checkout, the resolved material and interface parameters with their literature sources, the
mesh, the element degree and solver, what each field file holds, ``units`` (the unit of
every number, keyed by its path) and ``run`` (ranks, command line, time: what differs
between two runs of the same case).

Units are SI (docs/design.md section 3).  A key's unit is read from its suffix
(``current_A`` in A, ``tau_DL_J_per_m2`` in J/m^2, ``angles_deg`` in degrees), else from
the name of a known quantity (``sigma`` in S/m, ``G_r`` in 1/(Ohm m^2), ``R_xx`` in Ohm,
``tau_DL`` in J/m^2, counts in ``"1"``), else from the nearest enclosing key with a suffix
(``resistance_Ohm/R_xy``); :func:`units_map` applies these rules.  The case copied into
``case`` has the units of docs/case_files.md (SI; listed in the map as well).
"""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path

__all__ = ["Results", "load_results", "units_map", "unit_of_key", "UNSPECIFIED"]

#: unit given to a number whose key says nothing about its unit
UNSPECIFIED = "unspecified"

#: tokens of SI unit suffixes of result keys (``_A``, ``_V``, ``_Ohm``, ``_J_per_m2``,
#: ``_per_m2``, ``_J_m3``, ``_J_s``, ``_Hz``, ``_deg`` ...); ``s`` only as the last token
_SI_TOKENS = {"A", "V", "Ohm", "m", "m2", "m3", "s", "Hz", "J", "W", "T", "K", "deg", "rad",
              "eV", "S", "per"}
#: suffixes of numbers in reduced units (the Usadel demos and cases)
_REDUCED = {"E_Th": "E_Th (Thouless energy)", "Delta0": "Delta_0 (zero-temperature gap)",
            "Tc0": "T_c0 (critical temperature)", "Tc": "T_c (critical temperature)",
            "xi": "xi (coherence length)", "L": "L (device length)", "E0": "E_0 (energy unit)",
            "kTc": "k_B T_c"}
_READABLE = {"m2": "m^2", "m3": "m^3", "deg": "degrees"}
#: names whose last token ``s`` is a label (spin, sink), not seconds
_NAMES_ENDING_IN_S = {"mu_s", "j_s", "G_s", "rho_s", "sigma_s", "delta_sigma_s", "J_s", "n_s",
                      "lambda_s"}

#: (fnmatch pattern on the key path "a/b/#/c", ``#`` a list index, unit): known quantities
#: without a unit suffix
KNOWN = (
    ("mesh/regions/*", "1 (cells)"), ("mesh/boundaries/*", "1 (facets)"),
    ("mesh/h_min", "m"), ("mesh/h_max", "m"), ("mesh/length_unit", "m"),
    ("mesh/quality_*", "1"), ("*/area", "m^2"), ("*/volume", "m^3"),
    ("*/sigma", "S/m"), ("*/sigma_*", "S/m"), ("*/lambda_*", "m"),
    ("*/diffusion_constant", "m^2/s"),
    ("*/theta_*", "1"), ("*/kappa", "1"), ("*/beta", "1"), ("*/gamma_t", "S/m"),
    ("*/delta_gamma_t", "S/m"), ("*/delta_sigma_s", "S/m"), ("*/gauge_field*", "1/m"),
    ("*/G_r", "1/(Ohm m^2)"), ("*/G_i", "1/(Ohm m^2)"), ("*/G_s", "1/(Ohm m^2)"),
    ("*/Gamma_loss*", "1/(Ohm m^2)"), ("*/R_*", "Ohm"), ("*/tau_DL", "J/m^2"),
    ("*/tau_FL", "J/m^2"), ("*/torque_density*", "J/m^2"), ("*/xi_DL", "1"), ("*/xi_FL", "1"),
    ("*/m", "1 (unit vector)"), ("*/m/#*", "1 (unit vector)"), ("*/polarization*", "1"),
    ("*/normal*", "1"), ("*/mu_s", "V"), ("*/mu_s/#*", "V"), ("*/j_s", "A/m^2"),
    ("*/j_s/#*", "A/m^2"), ("*_over_*", "1"), ("*/max_rel_*", "1"), ("*/rel_*", "1"),
    ("ranks", "1 (count)"), ("*unknowns", "1 (count)"), ("*/cells", "1 (count)"),
    ("*/vertices", "1 (count)"), ("cells", "1 (count)"), ("vertices", "1 (count)"),
    ("*iterations", "1 (count)"), ("*/degree", "1"), ("degree", "1"), ("*/steps", "1 (count)"),
    ("*/points", "1 (count)"), ("*/dim", "1"), ("*/V", "V"), ("*/current", "A"),
)


def unit_of_key(key: str) -> str | None:
    """The unit a key's suffix names, readable: ``"current_A"`` -> ``"A"``,
    ``"tau_DL_J_per_m2"`` -> ``"J/m^2"``, ``"angles_deg"`` -> ``"degrees"``,
    ``"minigap_E_Th"`` -> ``"E_Th (Thouless energy)"``; None without a unit suffix."""
    if key in _NAMES_ENDING_IN_S:
        return None
    for suffix, unit in _REDUCED.items():
        if key.endswith("_" + suffix) and len(key) > len(suffix) + 1:
            return unit
    tokens = key.split("_")
    unit: list[str] = []
    for i, tok in enumerate(reversed(tokens[1:])):       # the first token is the name
        if tok not in _SI_TOKENS or (tok == "s" and i > 0):
            break
        unit.insert(0, tok)
    while unit and unit[-1] == "per":
        unit.pop()
    if not unit:
        return None
    text = ""
    for tok in unit:
        if tok == "per":
            text = (text or "1") + "/"
        else:
            word = _READABLE.get(tok, tok)
            text += word if not text or text.endswith("/") else f" {word}"
    return text


def _case_unit(path: tuple) -> str:
    """The unit of a number of the copied case (``case/...``), from the case schemas."""
    from kinetics import case_checks
    from kinetics.case_schema import Spec
    keys = [p for p in path if p != "[]"]
    spec = None
    if len(keys) >= 3 and keys[0] == "materials":
        spec = case_checks.MATERIAL.get(keys[2])
    elif len(keys) >= 3 and keys[0] == "boundaries":
        for table in case_checks.BOUNDARY_TYPES.values():
            spec = spec or table.get(keys[2])
    elif len(keys) >= 3 and keys[0] == "measure":
        spec = case_checks.MEASURES.get(keys[1], {}).get(keys[2])
    elif len(keys) >= 2 and keys[0] == "geometry":
        from kinetics.case_layout import LENGTH_KEYS
        if keys[1] in LENGTH_KEYS or keys[1] in ("layers", "refine", "arm_positions", "boxes"):
            return "m"
        return "1 (length_unit: m)" if keys[1] == "length_unit" else "1"
    elif len(keys) >= 2:
        try:
            from kinetics.case import schema
            spec = schema().get(keys[0], {}).get(keys[1])
        except Exception:  # noqa: BLE001 - a model whose registry cannot load: no unit
            spec = None
    if isinstance(spec, Spec):
        return getattr(spec, "unit", None) or "1"
    return "SI (docs/case_files.md)"


def _rule_unit(path: tuple) -> str:
    keys = [p for p in path if p != "[]"]
    if keys and keys[0] == "case":
        return _case_unit(path[1:])
    if keys and unit_of_key(keys[-1]):
        return unit_of_key(keys[-1])
    text = "/".join(path).replace("[]", "#")         # (fnmatch reads [ ] as a class)
    for pattern, unit in KNOWN:
        if fnmatch.fnmatchcase(text, pattern) or fnmatch.fnmatchcase("/" + text, pattern):
            return unit
    for key in reversed(keys[:-1]):
        if unit_of_key(key):
            return unit_of_key(key)
    return UNSPECIFIED


def units_map(data: dict) -> dict[str, str]:
    """Key path -> unit of every number in ``data`` (a results tree).

    Paths join keys with ``/`` and write list indices as ``[]`` (one entry for all the
    entries of a list: ``sweep/alpha/resistance_Ohm/R_xx/[]``).  The ``provenance`` table is
    left out.  The rules are in the module docstring; a number they do not cover gets
    :data:`UNSPECIFIED`.
    """
    out: dict[str, str] = {}

    def walk(value, path):
        if isinstance(value, dict):
            for k, v in value.items():
                if not path and k == "provenance":
                    continue
                walk(v, path + (str(k),))
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v, path + ("[]",))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            key = "/".join(path)
            if key not in out:
                out[key] = _rule_unit(path)
        elif hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "iufc":
            walk(value.tolist(), path)
    walk(data, ())
    return out


class Results(dict):
    """A run's results (the dict of ``results.json``) with its units and provenance.

    Attributes
    ----------
    path:
        The ``results.json`` it was read from.
    provenance:
        The ``provenance`` table (empty for a file written before kinetics recorded it).
    units:
        Key path -> unit of every number (:func:`units_map`; the file's own map when it has
        one).
    """

    def __init__(self, data: dict, path: Path):
        super().__init__(data)
        self.path = Path(path)
        prov = data.get("provenance")
        self.provenance: dict = prov if isinstance(prov, dict) else {}
        units = self.provenance.get("units")
        self.units: dict[str, str] = dict(units) if isinstance(units, dict) else units_map(data)

    def unit(self, *keys) -> str:
        """The unit of the number at ``self[keys[0]][keys[1]]...`` (list indices as ints).

        Raises
        ------
        KeyError
            When the path holds no number (the message names the closest paths).
        """
        path = "/".join("[]" if isinstance(k, int) else str(k) for k in keys)
        if path in self.units:
            return self.units[path]
        for key, unit in self.units.items():      # a list of numbers asked as a whole
            if key.startswith(path + "/[]") and set(key[len(path):]) <= set("/[]"):
                return unit
        import difflib
        close = difflib.get_close_matches(path, list(self.units), n=3)
        raise KeyError(f"no number at {path!r} in {self.path}"
                       + (f"; did you mean {', '.join(map(repr, close))}?" if close else ""))


def load_results(folder_or_file) -> Results:
    """Read a ``results.json`` (or the one in a results folder) back.

    Parameters
    ----------
    folder_or_file:
        An output folder of ``kinetics run`` or of a demo, or the path of its
        ``results.json``.

    Returns
    -------
    Results
        The results (a dict, numbers in SI units as written) with ``.units``,
        ``.provenance`` and ``.unit(*keys)``.

    Raises
    ------
    FileNotFoundError
        When the path does not exist or the folder holds no results.json.
    ValueError
        When the file is not a JSON object (the message names the file and the line).
    """
    path = Path(folder_or_file)
    if not path.exists():
        raise FileNotFoundError(f"{path}: not found (give a results folder or its "
                                f"results.json)")
    if path.is_dir():
        path = path / "results.json"
        if not path.is_file():
            raise FileNotFoundError(f"{path.parent} holds no results.json: not the output "
                                    f"folder of a kinetics run or demo")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not a text file") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: holds a JSON {type(data).__name__}, not the object of a "
                         f"results file")
    return Results(data, path)
