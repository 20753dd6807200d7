"""PETSc option sets: the solver presets, and the allow-list of options accepted from case files.

:data:`PRESETS`, :func:`choose_preset` and :func:`amg_defaults` are the options of the
presets that :mod:`kinetics.solvers.linear` documents (and re-exports).

A case file is shared between researchers like data, so ``[solver] petsc_options`` may only
tune the linear solver; it must not run code, write files or print through PETSc.  PETSc's
options database can do all three: ``pc_type = "python"`` (with ``pc_python_type``) imports
and runs any Python module, viewers (``ksp_view = "ascii:/path"``, ``ksp_view_mat =
"binary:/path"``), monitors, ``*_draw*`` and ``log_*`` write files or open windows, and
``options_file`` reads more options from anywhere.  The Python API
(:class:`kinetics.solvers.linear.LinearSolver` ``options=``) keeps full control; this module
only checks what comes from a case file.

:data:`CASE_OPTIONS` maps each accepted option name (without the leading ``-``, without a
solver prefix) to its allowed values: a :class:`Choice` of strings, a :class:`Number` (int
or float, finite, in a range) or a :class:`Flag` (a boolean).  Besides:

- ``mat_mumps_icntl_<n>`` (integer; n in :data:`MUMPS_ICNTL`, not 1-3 (Fortran output
  units: files) nor 22 (out-of-core: temporary files)) and ``mat_mumps_cntl_<n>`` (real;
  n in :data:`MUMPS_CNTL`);
- ``pc_fieldsplit_<i>_fields``: comma-separated component numbers, e.g. ``"1,2,3"``;
- sub-solver prefixes: ``fieldsplit_<i>_``, ``sub_`` (block Jacobi, ASM), ``mg_levels_``,
  ``mg_levels_<k>_`` and ``mg_coarse_`` (multigrid) followed by any KSP or PC option above;
  ``charge_``, ``spin_`` and ``block<c>_`` (the sub-preconditioners of the ``iterative``
  preset's block preconditioner, :mod:`kinetics.solvers.block_pc`) followed by a PC option
  (``pc_*``, ``mat_mumps_*``); at most :data:`MAX_PREFIXES` prefixes;
- :data:`BLOCK_OPTIONS`: ``block_composition`` and ``block_spin`` of that preconditioner.

Everything else is refused, with a reason: viewers (``*view*``), monitors (``*monitor*``),
``*draw*``, logs, ``options_*`` (``options_file``, ...), anything ``python``, values holding
``:`` (viewer and file specifications), ``*_type`` values outside their set, unknown names
(with the closest valid ones, from :mod:`difflib`), and values of the wrong type or range.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass

__all__ = ["PRESETS", "AUTO_DIRECT_LIMITS", "STRONG_THRESHOLD", "choose_preset", "amg_defaults",
           "Choice", "Number", "Flag", "FLAG", "CASE_OPTIONS", "BLOCK_OPTIONS", "MUMPS_ICNTL",
           "MUMPS_CNTL", "MAX_PREFIXES", "check_case_options", "validate_case_options"]


# ------------------------------------------------------------------------ presets
_KRYLOV = {
    "ksp_type": "gmres",
    "ksp_gmres_restart": 100,
    "ksp_rtol": 1e-10,
    "ksp_atol": 1e-30,
    "ksp_max_it": 1000,
}

#: The solver presets (:mod:`kinetics.solvers.linear` describes them).
PRESETS: dict[str, dict] = {
    "direct": {
        "ksp_type": "preonly",
        "pc_type": "lu",
        "pc_factor_mat_solver_type": "mumps",
    },
    "iterative": {
        **_KRYLOV,
        "pc_type": "python",
        "pc_python_type": "kinetics.solvers.block_pc.SpinChargePC",
    },
    "fieldsplit": {
        **_KRYLOV,
        "pc_type": "fieldsplit",
        "pc_fieldsplit_type": "multiplicative",
        "pc_fieldsplit_block_size": 4,
        **{f"pc_fieldsplit_{i}_fields": str(i) for i in range(4)},
        **{f"fieldsplit_{i}_{k}": v for i in range(4)
           for k, v in (("ksp_type", "preonly"), ("pc_type", "hypre"),
                        ("pc_hypre_type", "boomeramg"))},
    },
}

#: ``auto`` uses ``direct`` below these sizes (unknowns) per topological dimension.
AUTO_DIRECT_LIMITS = {1: 10**9, 2: 100_000, 3: 8_000}


def choose_preset(name: str, num_dofs: int, tdim: int) -> str:
    """Resolve ``"auto"`` to a concrete preset name (:mod:`kinetics.solvers.linear`).

    Raises
    ------
    ValueError
        For an unknown preset name (the message lists the valid ones).
    """
    if name == "auto":
        return "direct" if num_dofs < AUTO_DIRECT_LIMITS.get(tdim, 0) else "iterative"
    if name not in PRESETS:
        raise ValueError(f"unknown solver preset '{name}'; valid: auto, {', '.join(PRESETS)}")
    return name


#: AMG strength threshold of the iterative presets except on P1 simplices (user options
#: win): trilinear hexahedra (bilinear quadrilaterals) of thin layers and P2/P3 elements
#: have positive off-diagonal couplings that the default threshold 0.25 mistakes for
#: strong ones (50 iterations instead of 8 on the benchmark film with hexahedra).
STRONG_THRESHOLD = 0.7


def amg_defaults(preset: str, cell_name: str, degree: int) -> dict:
    """PETSc options the presets add for a mesh of ``cell_name`` cells and Lagrange
    ``degree``: the BoomerAMG strength threshold :data:`STRONG_THRESHOLD` of every AMG of
    the ``iterative`` and ``fieldsplit`` presets except on P1 simplices; {} otherwise."""
    if cell_name in ("interval", "triangle", "tetrahedron") and degree == 1:
        return {}
    prefixes = {"iterative": ["charge_", "spin_"],
                "fieldsplit": [f"fieldsplit_{c}_" for c in range(4)]}.get(preset, [])
    return {p + "pc_hypre_boomeramg_strong_threshold": STRONG_THRESHOLD for p in prefixes}


# ------------------------------------------------------------------------ allow-list
@dataclass(frozen=True)
class Choice:
    """One string of ``values`` (compared case-insensitively; normalized to this spelling)."""
    values: tuple

    def normalize(self, value):
        """(normalized value, None) or (None, reason)."""
        if not isinstance(value, str):
            return None, f"must be a string, got {_show(value)}"
        lower = {v.lower(): v for v in self.values}
        if value.strip().lower() in lower:
            return lower[value.strip().lower()], None
        near = difflib.get_close_matches(value.lower(), list(lower), n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(repr(lower[n]) for n in near)}?" if near else ""
        return None, f"{value!r} is not allowed{hint} (valid: {', '.join(self.values)})"


@dataclass(frozen=True)
class Number:
    """A finite ``kind`` (int or float) in [lo, hi]; ``open_lo`` excludes lo (a relative
    tolerance must be > 0).  Integral floats are accepted for ints (TOML ``1e3``)."""
    kind: type
    lo: float
    hi: float
    open_lo: bool = False

    def normalize(self, value):
        """(normalized value, None) or (None, reason)."""
        what = "an integer" if self.kind is int else "a number"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            extra = " (write it without quotes)" if isinstance(value, str) else ""
            return None, f"must be {what}, got {_show(value)}{extra}"
        if not math.isfinite(value):
            return None, f"must be finite, got {value}"
        if self.kind is int:
            if value != int(value):
                return None, f"must be an integer, got {value}"
            value = int(value)
        else:
            value = float(value)
        below = value <= self.lo if self.open_lo else value < self.lo
        if below or value > self.hi:
            left = "(" if self.open_lo else "["
            return None, f"must be in {left}{self.lo:g}, {self.hi:g}], got {value:g}"
        return value, None


@dataclass(frozen=True)
class Flag:
    """A boolean (TOML ``true``/``false``)."""

    def normalize(self, value):
        """(normalized value, None) or (None, reason)."""
        if isinstance(value, bool):
            return value, None
        return None, f"must be true or false, got {_show(value)}"


FLAG = Flag()


@dataclass(frozen=True)
class _FieldList:
    """Comma-separated component numbers (``pc_fieldsplit_<i>_fields``)."""

    def normalize(self, value):
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if isinstance(text, str) and re.fullmatch(r"\s*\d{1,2}(\s*,\s*\d{1,2})*\s*", text):
            return ",".join(p.strip() for p in text.split(",")), None
        return None, f"must list component numbers like \"0\" or \"1,2,3\", got {_show(value)}"


def _show(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the string {value!r}"
    return repr(value)


_INF = float("inf")
_TOL = Number(float, 0.0, 1.0)
_COUNT = Number(int, 1, 100_000)
_LEVELS = Number(int, 0, 100)
_WEIGHT = Number(float, 0.0, 2.0, open_lo=True)

KSP_TYPES = ("gmres", "fgmres", "lgmres", "dgmres", "pgmres", "bcgs", "ibcgs", "fbcgs",
             "fbcgsr", "bcgsl", "pipebcgs", "cg", "pipecg", "groppcg", "fcg", "cgs", "tfqmr",
             "tcqmr", "qmrcgs", "bicg", "cr", "gcr", "minres", "symmlq", "lcd", "richardson",
             "chebyshev", "preonly")
PC_TYPES = ("lu", "cholesky", "ilu", "icc", "jacobi", "pbjacobi", "vpbjacobi", "bjacobi", "sor",
            "eisenstat", "asm", "gasm", "gamg", "hypre", "fieldsplit", "none")
_RELAX = Choice(("Jacobi", "sequential-Gauss-Seidel", "seqboundary-Gauss-Seidel", "SOR/Jacobi",
                 "backward-SOR/Jacobi", "symmetric-SOR/Jacobi", "l1scaled-SOR/Jacobi",
                 "Gaussian-elimination", "l1-Gauss-Seidel", "backward-l1-Gauss-Seidel", "CG",
                 "Chebyshev", "FCF-Jacobi", "l1scaled-Jacobi"))
_RESTRICTION = Choice(("basic", "restrict", "interpolate", "none"))

#: KSP options accepted from case files (also after a sub-solver prefix).
KSP_OPTIONS = {
    "ksp_type": Choice(KSP_TYPES),
    "ksp_rtol": Number(float, 0.0, 1.0, open_lo=True),
    "ksp_atol": Number(float, 0.0, _INF),
    "ksp_divtol": Number(float, 1.0, _INF),
    "ksp_max_it": _COUNT,
    "ksp_min_it": Number(int, 0, 100_000),
    "ksp_gmres_restart": Number(int, 1, 1000),
    "ksp_gmres_modifiedgramschmidt": FLAG,
    "ksp_gmres_classicalgramschmidt": FLAG,
    "ksp_gmres_cgs_refinement_type": Choice(("refine_never", "refine_ifneeded", "refine_always")),
    "ksp_gmres_preallocate": FLAG,
    "ksp_pc_side": Choice(("left", "right", "symmetric")),
    "ksp_norm_type": Choice(("preconditioned", "unpreconditioned", "natural")),
    "ksp_richardson_scale": Number(float, 0.0, 10.0, open_lo=True),
    "ksp_lgmres_augment": Number(int, 0, 100),
    "ksp_bcgsl_ell": Number(int, 1, 20),
}

#: PC options accepted from case files (also after a sub-solver prefix).
PC_OPTIONS = {
    "pc_type": Choice(PC_TYPES),
    # factorizations
    "pc_factor_mat_solver_type": Choice(("mumps", "superlu_dist", "superlu", "petsc", "umfpack",
                                         "klu", "cholmod", "strumpack")),
    "pc_factor_mat_ordering_type": Choice(("natural", "nd", "1wd", "rcm", "qmd", "rowlength",
                                           "wbm", "spectral", "amd")),
    "pc_factor_levels": Number(int, 0, 20),
    "pc_factor_fill": Number(float, 1.0, 1000.0),
    "pc_factor_shift_type": Choice(("none", "nonzero", "positive_definite", "inblocks")),
    "pc_factor_shift_amount": Number(float, 0.0, _INF),
    "pc_factor_zeropivot": _TOL,
    "pc_factor_pivot_in_blocks": FLAG,
    "pc_factor_reuse_ordering": FLAG,
    "pc_factor_reuse_fill": FLAG,
    # point and block relaxations, domain decomposition
    "pc_jacobi_type": Choice(("diagonal", "rowl1", "rowmax", "rowsum")),
    "pc_jacobi_abs": FLAG,
    "pc_jacobi_fixdiagonal": FLAG,
    "pc_sor_omega": _WEIGHT,
    "pc_sor_its": Number(int, 1, 1000),
    "pc_sor_lits": Number(int, 1, 1000),
    **{f"pc_sor_{k}": FLAG for k in ("symmetric", "forward", "backward", "local_symmetric",
                                     "local_forward", "local_backward")},
    "pc_eisenstat_omega": _WEIGHT,
    "pc_bjacobi_blocks": Number(int, 1, 10**7),
    "pc_asm_overlap": Number(int, 0, 20),
    "pc_asm_type": _RESTRICTION,
    "pc_asm_local_type": Choice(("additive", "multiplicative")),
    "pc_asm_blocks": Number(int, 1, 10**7),
    "pc_gasm_overlap": Number(int, 0, 20),
    "pc_gasm_type": _RESTRICTION,
    "pc_gasm_total_subdomains": Number(int, 1, 10**7),
    # hypre
    "pc_hypre_type": Choice(("boomeramg", "pilut", "euclid", "parasails")),
    "pc_hypre_boomeramg_strong_threshold": _TOL,
    "pc_hypre_boomeramg_max_levels": Number(int, 2, 100),
    "pc_hypre_boomeramg_max_iter": Number(int, 1, 100),
    "pc_hypre_boomeramg_tol": _TOL,
    "pc_hypre_boomeramg_truncfactor": _TOL,
    "pc_hypre_boomeramg_p_max": _LEVELS,
    "pc_hypre_boomeramg_agg_nl": _LEVELS,
    "pc_hypre_boomeramg_agg_num_paths": Number(int, 1, 100),
    "pc_hypre_boomeramg_max_row_sum": _TOL,
    "pc_hypre_boomeramg_max_coarse_size": Number(int, 1, 10**7),
    "pc_hypre_boomeramg_min_coarse_size": Number(int, 1, 10**7),
    "pc_hypre_boomeramg_coarsen_type": Choice(("CLJP", "Ruge-Stueben", "modifiedRuge-Stueben",
                                               "Falgout", "PMIS", "HMIS")),
    "pc_hypre_boomeramg_interp_type": Choice((
        "classical", "direct", "multipass", "multipass-wts", "ext+i", "ext+i-cc", "standard",
        "standard-wts", "block", "block-wtd", "FF", "FF1", "ext", "ad-wts", "ext-mm",
        "ext+i-mm", "ext+e-mm")),
    **{f"pc_hypre_boomeramg_relax_type_{k}": _RELAX for k in ("all", "down", "up", "coarse")},
    **{f"pc_hypre_boomeramg_grid_sweeps_{k}": Number(int, 1, 20)
       for k in ("all", "down", "up", "coarse")},
    "pc_hypre_boomeramg_relax_weight_all": _WEIGHT,
    "pc_hypre_boomeramg_outer_relax_weight_all": _WEIGHT,
    "pc_hypre_boomeramg_cycle_type": Choice(("V", "W")),
    "pc_hypre_boomeramg_measure_type": Choice(("local", "global")),
    "pc_hypre_boomeramg_nodal_coarsen": Number(int, 0, 6),
    "pc_hypre_boomeramg_vec_interp_variant": Number(int, 0, 3),
    "pc_hypre_boomeramg_numfunctions": Number(int, 1, 64),
    "pc_hypre_boomeramg_no_cf": FLAG,
    # PETSc's algebraic multigrid
    "pc_gamg_type": Choice(("agg", "classical", "geo")),
    "pc_gamg_threshold": Number(float, -1.0, 1.0),
    "pc_gamg_threshold_scale": _TOL,
    "pc_gamg_agg_nsmooths": Number(int, 0, 10),
    "pc_gamg_aggressive_coarsening": Number(int, 0, 20),
    "pc_gamg_square_graph": Number(int, 0, 20),
    "pc_gamg_graph_symmetrize": FLAG,
    "pc_gamg_process_eq_limit": Number(int, 1, 10**9),
    "pc_gamg_coarse_eq_limit": Number(int, 1, 10**9),
    "pc_gamg_repartition": FLAG,
    "pc_gamg_reuse_interpolation": FLAG,
    "pc_gamg_use_sa_esteig": FLAG,
    "pc_mg_levels": Number(int, 1, 30),
    "pc_mg_cycle_type": Choice(("v", "w")),
    "pc_mg_type": Choice(("multiplicative", "additive", "full", "kaskade")),
    # field split (the fieldsplit preset)
    "pc_fieldsplit_type": Choice(("additive", "multiplicative", "symmetric_multiplicative",
                                  "special", "schur", "gkb")),
    "pc_fieldsplit_block_size": Number(int, 1, 64),
    "pc_fieldsplit_schur_fact_type": Choice(("diag", "lower", "upper", "full")),
    "pc_fieldsplit_schur_precondition": Choice(("self", "selfp", "user", "a11", "full")),
    "pc_fieldsplit_detect_saddle_point": FLAG,
}

#: Options of the block preconditioner of the ``iterative`` preset (top level only).
BLOCK_OPTIONS = {
    "block_composition": Choice(("multiplicative", "additive")),
    "block_spin": Choice(("auto", "frame", "average")),
}

#: Every option name accepted without a prefix (besides the MUMPS and field patterns).
CASE_OPTIONS = {**KSP_OPTIONS, **PC_OPTIONS, **BLOCK_OPTIONS}

#: MUMPS ICNTL and CNTL entries accepted (``mat_mumps_icntl_<n>``, ``mat_mumps_cntl_<n>``).
MUMPS_ICNTL = frozenset({4, 6, 7, 8, 10, 11, 12, 13, 14, 15, 23, 24, 25, 27, 28, 29, 31, 33,
                         35, 36, 38, 48, 58})
MUMPS_CNTL = frozenset({1, 2, 3, 4, 5, 7})
#: Most sub-solver prefixes in one option name (``fieldsplit_0_sub_pc_type`` has two).
MAX_PREFIXES = 2

_SOLVER_PREFIX = re.compile(r"(fieldsplit_\d{1,2}_|sub_|mg_levels_(\d{1,2}_)?|mg_coarse_)")
_PC_PREFIX = re.compile(r"(charge_|spin_|block\d_)")
_REFUSED = (  # (pattern on the option name, reason)
    (re.compile(r"python"), "Python preconditioners and solvers run arbitrary code"),
    (re.compile(r"(^|_)log(_|$)"), "logs print or write files"),
    (re.compile(r"view"), "viewers print or write files (ascii:/binary: paths)"),
    (re.compile(r"monitor"), "monitors print or write files"),
    (re.compile(r"draw|plot"), "drawing opens windows or writes files"),
    (re.compile(r"^options_|^help$|^info$|^malloc|^objects_|^on_error|^history$"),
     "it controls PETSc itself (options files, debugging, output)"),
    (re.compile(r"^mat_mumps_icntl_[123]$"), "MUMPS output streams write files"),
    (re.compile(r"^mat_mumps_icntl_22$|ooc"), "MUMPS out-of-core mode writes temporary files"),
)


def _spec(name: str, depth: int = 0, pc_only: bool = False):
    """The value rule of an option name (lower case, no dash), or None.  ``pc_only``: after
    a block-preconditioner prefix (a PC without KSP)."""
    m = re.fullmatch(r"mat_mumps_(icntl|cntl)_(\d+)", name)
    if m:
        n = int(m.group(2))
        if m.group(1) == "icntl":
            return Number(int, -10**9, 10**9) if n in MUMPS_ICNTL else None
        return Number(float, -1e300, 1e300) if n in MUMPS_CNTL else None
    if re.fullmatch(r"pc_fieldsplit_\d{1,2}_fields", name):
        return _FieldList()
    table = PC_OPTIONS if pc_only else (CASE_OPTIONS if depth == 0 else
                                        {**KSP_OPTIONS, **PC_OPTIONS})
    if name in table:
        return table[name]
    if depth >= MAX_PREFIXES:
        return None
    m = _SOLVER_PREFIX.match(name)
    if m:
        return _spec(name[m.end():], depth + 1, False)
    m = _PC_PREFIX.match(name)
    if m and depth == 0:
        return _spec(name[m.end():], depth + 1, True)
    return None


def _suggest(name: str) -> str:
    """' did you mean ...?' for an unknown option name (its prefixes kept)."""
    prefix, rest, pc_only = "", name, False
    for _ in range(MAX_PREFIXES):
        m = _SOLVER_PREFIX.match(rest) or _PC_PREFIX.match(rest)
        if not m:
            break
        pc_only = pc_only or bool(_PC_PREFIX.match(rest))
        prefix, rest = prefix + m.group(0), rest[m.end():]
    pool = PC_OPTIONS if pc_only else (CASE_OPTIONS if not prefix else {**KSP_OPTIONS,
                                                                         **PC_OPTIONS})
    if pc_only and rest.startswith("ksp_"):
        return f"; {prefix} options configure a preconditioner (pc_*), which has no KSP"
    near = difflib.get_close_matches(rest, list(pool), n=3, cutoff=0.6)
    if not near and "mumps" in rest:
        near = ["mat_mumps_icntl_<n>", "mat_mumps_cntl_<n>"]
    return f"; did you mean {' or '.join(prefix + n for n in near)}?" if near else ""


def _check_one(key, value):
    """(normalized name, normalized value, None) or (name, None, message)."""
    if not isinstance(key, str) or not key.strip().lstrip("-"):
        return key, None, f"PETSc option {key!r}: option names must be non-empty strings"
    name = key.strip().lstrip("-").lower()
    shown = f"PETSc option '{key}' = {_show(value) if not isinstance(value, str) else repr(value)}"
    for pattern, reason in _REFUSED:
        if pattern.search(name):
            return name, None, f"{shown} is not accepted from case files: {reason}"
    if isinstance(value, str) and ":" in value:
        return name, None, (f"{shown} is not accepted from case files: values with ':' are "
                            f"viewer or file specifications")
    spec = _spec(name)
    if isinstance(value, str) and name.endswith("_type") and \
            value.strip().lower() in ("python", "shell", "mat", "composite", "ksp"):
        valid = f" (valid: {', '.join(spec.values)})" if isinstance(spec, Choice) else ""
        return name, None, (f"{shown} is not accepted from case files: type {value!r} runs "
                            f"or needs Python code or objects{valid}")
    if spec is None:
        return name, None, (f"PETSc option '{key}' is not accepted from case files (unknown or "
                            f"not allowed){_suggest(name)} (allowed: KSP and PC tuning options, "
                            f"see kinetics.solvers.options)")
    normalized, reason = spec.normalize(value)
    if reason is not None:
        return name, None, f"{shown}: {reason}"
    return name, normalized, None


def check_case_options(options) -> list[str]:
    """Check ``[solver] petsc_options`` of a case file against the allow-list.

    Parameters
    ----------
    options:
        Option name (without solver prefix; a leading ``-`` is ignored) -> value (str,
        int, float or bool, as read from TOML).

    Returns
    -------
    list[str]
        One message per refused entry (the option, its value, the reason, the valid
        choices or a did-you-mean); empty when everything is accepted.  Never raises
        (a non-table ``options`` gives one message).
    """
    if not isinstance(options, dict):
        return [f"petsc_options must be a table of option = value, got {_show(options)}"]
    return [msg for key, value in options.items() for msg in [_check_one(key, value)[2]]
            if msg is not None]


def validate_case_options(options) -> dict:
    """:func:`check_case_options`, raising; returns the options normalized for PETSc.

    Returns
    -------
    dict
        Lower-case names without a leading ``-`` -> values as PETSc expects them: str
        (choices in their canonical spelling), int, float or bool.

    Raises
    ------
    ValueError
        With every message of :func:`check_case_options`, one per line.
    """
    errors = check_case_options(options)
    if errors:
        raise ValueError("\n".join(errors))
    out = {}
    for key, value in options.items():
        name, normalized, _ = _check_one(key, value)
        out[name] = normalized
    return out
