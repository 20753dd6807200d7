"""Materials: validated, immutable SI parameter sets with their literature sources.

A :class:`Material` carries the bulk parameters of the spin-charge drift-diffusion model
(docs/design.md section 3; Chen et al., PRB 87, 144411 (2013), Eq. 1; seed 003 Eqs. 79-81;
seed 004 Eqs. 26-32):

========== ====================================================== ========
name       meaning                                                unit
========== ====================================================== ========
sigma      electrical conductivity                                S/m
lambda_sf  spin diffusion length (Elliott-Yafet relaxation)       m
theta_sh   spin Hall angle (sign: Pt > 0, Ta and W < 0)           1
kappa      spin-swapping coefficient, seed 003 Eq. (81) sign      1
           (kappa = -kappa_LD of Lifshits & Dyakonov, see
           :func:`kappa_from_lifshits_dyakonov`)
gauge      SU(2) gauge field A[i, b], spatial i, spin b            1/m
           (see :mod:`kinetics.physics.gauge`)
========== ====================================================== ========

Every parameter may also be a callable ``f(x)`` of the UFL spatial coordinate ``x`` (in
metres, shape (3,)) returning a UFL expression, for coefficients that vary in space.

A :class:`Ferromagnet` (defined in :mod:`kinetics.ferromagnets`) carries the parameters of a
ferromagnetic metal (σ, β, l_sf, λ_J, λ_φ, m; the equations are in
:mod:`kinetics.physics.ferromagnet`).

The library (:data:`LIBRARY`, :func:`get`) holds room-temperature thin-film parameter sets
of normal metals and (mostly 4.2 K) parameter sets of ferromagnets, with the paper each number
comes from.  Interface partners (YIG, EuS, ...) are
interface parameter sets, see :data:`INTERFACES` and :func:`interface`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from kinetics import records, validation
from kinetics.ferromagnets import Ferromagnet

__all__ = ["Material", "Ferromagnet", "InterfaceParameters", "LIBRARY", "INTERFACES", "get",
           "interface", "kappa_from_lifshits_dyakonov", "check_conductances", "SI_LIMIT", "ANGLE_LIMIT"]

#: σ (S/m), λ_sf (m) and every entry of the gauge field (1/m) lie in [1e-30, 1e30]
#: (:data:`kinetics.validation.SI_LIMIT`; the gauge field only in magnitude) and so do the
#: interface conductances (Ω⁻¹m⁻², zero allowed)
SI_LIMIT = validation.SI_LIMIT
#: bound on |θ_SH| and |κ| (:data:`kinetics.validation.ANGLE_LIMIT`, 100)
ANGLE_LIMIT = validation.ANGLE_LIMIT


def _is_expression(value: Any) -> bool:
    return callable(value)


#: what a material parameter may be, for the TypeError of kinetics.validation
_NUMBER = "a number (SI units) or a callable f(x)"


@dataclasses.dataclass(frozen=True)
class Material:
    """Bulk parameters of a (normal or heavy) metal, SI units, immutable.

    Parameters
    ----------
    name:
        Material name used in messages and results.
    sigma:
        Conductivity σ in S/m (> 0), or callable f(x) -> UFL expression.
    lambda_sf:
        Spin diffusion length λ_sf in m (> 0; ``math.inf`` for no spin-flip relaxation), or
        callable.  Enters as the Elliott-Yafet
        relaxation -(σ/2) μ_s / λ_sf² of the spin continuity equation (Huang et al.
        (seed 003) Eq. 79 with the sign of its relaxation term corrected, docs/physics.md).
    theta_sh:
        Spin Hall angle θ_SH (dimensionless), or callable.  Enters j_c and j_s as in
        Chen et al. 2013 Eq. (1) / seed 003 Eqs. (80)-(81).
    kappa:
        Spin-swapping coefficient κ (dimensionless) with the sign of seed 003 Eq. (81).
    gauge_field:
        SU(2) gauge field A as a (3, 3) array, A[i, b] with spatial index i and spin index
        b, in 1/m; or a callable f(x) returning a UFL (3, 3) tensor; or None (no field).
        Built by :func:`kinetics.physics.gauge.rashba_dresselhaus` and friends.
    diffusion_constant:
        Electron diffusion constant D in m²/s (> 0), or None.  Needed only for the Hanle
        precession of the spin accumulation in an applied magnetic field
        (:class:`kinetics.models.spin_charge.SpinChargeProblem` ``magnetic_field``); the
        spin lifetime is τ_s = λ_sf²/D.
    source:
        Literature source of the numbers.

    Limits: σ and λ_sf in [1e-30, 1e30] (:data:`SI_LIMIT`; λ_sf may also be +inf),
    |θ_SH| and |κ| <= :data:`ANGLE_LIMIT`, |A[i, b]| <= 1e30 1/m.

    Raises
    ------
    kinetics.validation.ValidationError
        (a ValueError) For non-positive σ or λ_sf, non-finite numbers, numbers beyond the
        limits, an empty name, or a gauge field that is not a finite 3x3 array.
    TypeError
        For parameters that are neither numbers nor callables (strings and bools too), a
        name or source that is not a string.
    """

    name: str
    sigma: float | Callable
    lambda_sf: float | Callable
    theta_sh: float | Callable = 0.0
    kappa: float | Callable = 0.0
    gauge_field: Any = None
    source: str = ""
    diffusion_constant: float | None = None

    def __post_init__(self):
        owner = f"material '{validation.text('Material', 'name', self.name)}'"
        if self.diffusion_constant is not None:
            object.__setattr__(self, "diffusion_constant", validation.positive(
                owner, "diffusion_constant", self.diffusion_constant, kind="a number (m^2/s)",
                limit=SI_LIMIT))
        if not isinstance(self.source, str):
            raise TypeError(f"{owner}: source must be a string, got {self.source!r}")
        for field, check in (("sigma", "positive"), ("lambda_sf", "positive"),
                             ("theta_sh", "angle"), ("kappa", "angle")):
            value = getattr(self, field)
            if _is_expression(value):
                continue
            if check == "positive":
                value = validation.positive(owner, field, value, kind=_NUMBER, limit=SI_LIMIT,
                                            allow_inf=field == "lambda_sf")
            else:
                value = validation.finite(owner, field, value, kind=_NUMBER, limit=ANGLE_LIMIT)
            object.__setattr__(self, field, value)
        A = self.gauge_field
        if A is not None and not _is_expression(A):
            arr = validation.array(owner, "gauge_field", A, (3, 3), limit=SI_LIMIT,
                                   what="a finite (3, 3) array A[i, b] (spatial direction i, "
                                        "spin component b, 1/m)")
            arr.setflags(write=False)
            object.__setattr__(self, "gauge_field", arr)

    def with_(self, **overrides) -> "Material":
        """Return a copy with some parameters replaced (validated again).

        Example: ``get("Pt").with_(lambda_sf=1.1e-9, theta_sh=0.08)``.

        Raises
        ------
        TypeError
            For an unknown parameter name (the message lists the valid ones).
        """
        return records.replaced(f"material '{self.name}'", self, overrides)

    @property
    def is_constant(self) -> bool:
        """True when no parameter is a spatial expression."""
        return not any(_is_expression(getattr(self, f))
                       for f in ("sigma", "lambda_sf", "theta_sh", "kappa", "gauge_field"))

    def summary(self) -> dict:
        """JSON-friendly description (expressions are shown as 'expression')."""
        return records.summary(self)


def kappa_from_lifshits_dyakonov(kappa_ld: float) -> float:
    """Convert a swapping coefficient from the Lifshits-Dyakonov form to this package's.

    Lifshits & Dyakonov, PRL 103, 186601 (2009) write q_ij = q⁰_ij + κ_LD (q⁰_ji − δ_ij q⁰_kk)
    (first index flow, second spin).  Seed 003 Eq. (81), used here, writes
    J^b_k = −D∂_kS^b − Dκ(δ_kb ∂_aS^a − ∂_bS^k).  Substituting q⁰ = −D∂S shows the two
    forms are equal for κ = −κ_LD (checked in tests/test_physics_terms.py).

    Returns
    -------
    float
        κ in the convention of :class:`Material` (= −κ_LD).
    """
    return -validation.finite("kappa_from_lifshits_dyakonov", "kappa_ld", kappa_ld,
                              limit=ANGLE_LIMIT)


@dataclasses.dataclass(frozen=True)
class InterfaceParameters:
    """Conductances of a heavy-metal | ferromagnetic-insulator interface (SI, Ω⁻¹m⁻²).

    Positive values mean absorption (docs/design.md section 3):
    n·j_s = G_s μ_s + G_r (μ_s − (m·μ_s) m) − G_i m×μ_s + Γ_loss μ_s.

    Attributes
    ----------
    G_r, G_i:
        Real and imaginary parts of the spin-mixing conductance G↑↓ = G_r + i G_i.
    G_s:
        Spin-sink (longitudinal) conductance.
    source:
        Literature source.
    """

    name: str
    G_r: float
    G_i: float = 0.0
    G_s: float = 0.0
    source: str = ""

    def __post_init__(self):
        owner = f"interface '{validation.text('InterfaceParameters', 'name', self.name)}'"
        if not isinstance(self.source, str):
            raise TypeError(f"{owner}: source must be a string, got {self.source!r}")
        G = check_conductances(owner, self.G_r, self.G_i, self.G_s)
        for f, v in zip(("G_r", "G_i", "G_s"), G):
            object.__setattr__(self, f, v)


def check_conductances(owner: str, G_r, G_i, G_s) -> tuple[float, float, float]:
    """The conductances of an HM|FI interface (Ω⁻¹m⁻²) as floats.

    Sign rules (positive = absorption, docs/design.md §3): G_r >= 0 (the mixing
    conductance's real part is the dissipative transverse absorption) and G_s >= 0 (a spin
    sink); G_i, the reactive part, has either sign.  All finite with magnitude at most
    :data:`SI_LIMIT`.

    Returns
    -------
    (G_r, G_i, G_s)

    Raises
    ------
    TypeError
        For a value that is not a number.
    kinetics.validation.ValidationError
        ``"{owner}: G_r must be >= 0 and finite, got -1; G_r and G_s must be >= 0
        (positive = absorption)"``, or for non-finite or too large values.
    """
    kind = "a number (1/(Ohm m^2))"
    out = {}
    for name, value in (("G_r", G_r), ("G_s", G_s)):
        try:
            out[name] = validation.nonnegative(owner, name, value, kind=kind, limit=SI_LIMIT)
        except validation.ValidationError as exc:
            if not exc.actual.startswith("-") or exc.actual == "-inf":
                raise
            raise validation.ValidationError(
                owner, name, exc.requirement, exc.actual,
                "G_r and G_s must be >= 0 (positive = absorption); only G_i may be "
                "negative") from None
    out["G_i"] = validation.finite(owner, "G_i", G_i, kind=kind, limit=SI_LIMIT)
    return out["G_r"], out["G_i"], out["G_s"]


#: Bulk parameter sets (room temperature, thin films).  Override with ``get(name, **kw)``.
LIBRARY: dict[str, "Material | Ferromagnet"] = {m.name: m for m in (
    Material("Pt", sigma=2.4e6, lambda_sf=1.5e-9, theta_sh=0.11,
             source="Althammer et al., PRB 87, 224401 (2013): theta_SH = 0.11, lambda_sf = 1.5 nm; "
                    "sigma = 2.4e6 S/m (rho = 42 uOhm cm, their thin Pt films)"),
    Material("Pt-Vlietstra", sigma=4.3e6, lambda_sf=1.1e-9, theta_sh=0.08,
             source="Vlietstra et al., PRB 87, 184421 (2013): theta_SH = 0.08, lambda_sf = 1.1 nm; "
                    "sigma = 4.3e6 S/m"),
    Material("Ta", sigma=5.3e5, lambda_sf=1.8e-9, theta_sh=-0.12,
             source="beta-Ta: theta_SH = -0.12 and rho = 190 uOhm cm from Liu et al., Science 336, "
                    "555 (2012); lambda_sf = 1.8 nm from Hahn et al., PRB 87, 174417 (2013)"),
    Material("W", sigma=3.8e5, lambda_sf=1.4e-9, theta_sh=-0.33,
             source="beta-W: theta_SH = -0.33 and rho = 260 uOhm cm from Pai et al., APL 101, "
                    "122404 (2012); lambda_sf = 1.4 nm (typical value of later beta-W studies)"),
    Material("Cu", sigma=4.8e7, lambda_sf=350e-9, theta_sh=0.0032,
             source="lambda_sf = 350 nm at room temperature from Jedema et al., Nature 410, 345 "
                    "(2001); theta_SH = 0.32 % from Wang et al., PRL 112, 197201 (2014); "
                    "sigma of thin Cu films"),
    Material("Au", sigma=2.5e7, lambda_sf=35e-9, theta_sh=0.0035,
             source="Mosendz et al., PRB 82, 214403 (2010): theta_SH = 0.0035, lambda_sf = 35 nm; "
                    "sigma of thin Au films"),
    Material("Ag", sigma=3.5e7, lambda_sf=300e-9,
             source="lambda_sf ~ 300 nm at room temperature from Py/Ag lateral spin valves, "
                    "Kimura & Otani, PRL 99, 196604 (2007) (value as recalled, not checked "
                    "here); sigma of thin Ag films (estimate)"),
    Material("Al", sigma=1.7e7, lambda_sf=350e-9,
             source="lambda_sf = 350 +- 50 nm at room temperature (400 nm at low T): "
                    "Costache, Zaffalon & van Wees, arXiv cond-mat/0606802 (2006) (checked); "
                    "Jedema et al., APL (2002), doi:10.1063/1.1532753, report 500 nm; sigma "
                    "of thin Al films (estimate)"),
)}

_TRANSVERSE = ("lambda_J = 1 nm and lambda_phi = 2 nm: order-of-magnitude estimate on the "
               "nm scale of Petitjean, Luc & Waintal, PRL 109, 117204 (2012), not a fit")
_BP = "Bass & Pratt, J. Phys.: Condens. Matter 19, 183201 (2007), CPP-MR values at 4.2 K"

#: Ferromagnetic metals (:class:`Ferromagnet`, m = +z by default).  Mostly the 4.2 K CPP-MR
#: parameters of Bass & Pratt's review: use ``get(name, **kw)`` for room-temperature values.
LIBRARY.update({m.name: m for m in (
    Ferromagnet("Co", sigma=1.0 / 75e-9, beta=0.46, lambda_sf=59e-9, lambda_J=1e-9,
                lambda_phi=2e-9,
                source=f"{_BP}: beta = 0.46, l_sf = 59 nm, rho = 75 nOhm m (sputtered Co; the "
                       f"resistivity is sample dependent, as recalled); {_TRANSVERSE}"),
    Ferromagnet("Py", sigma=1.0 / 123e-9, beta=0.76, lambda_sf=5.5e-9, lambda_J=1e-9,
                lambda_phi=2e-9,
                source=f"Ni80Fe20: l_sf = 5.5 +- 1 nm at 4.2 K, Pratt et al., IEEE Trans. "
                       f"Magn. 33, 3505 (1997) (checked); beta = 0.76 and rho = 123 nOhm m as "
                       f"recalled from {_BP} (not checked; the Cu/Py multilayer analysis of "
                       f"PRB 1998, S0163-1829(98)01442-8, gives beta = 0.65 +- 0.1 and "
                       f"gamma(Py/Cu) = 0.76 +- 0.1 with the same l_sf); {_TRANSVERSE}"),
    Ferromagnet("Fe", sigma=1.0 / 100e-9, beta=0.6, lambda_sf=8.5e-9, lambda_J=1e-9,
                lambda_phi=2e-9,
                source=f"{_BP}: l_sf = 8.5 nm; beta = 0.6 and rho = 100 nOhm m are uncertain "
                       f"estimates (not checked here); {_TRANSVERSE}"),
    Ferromagnet("Ni", sigma=1.0 / 33e-9, beta=0.14, lambda_sf=21e-9, lambda_J=1e-9,
                lambda_phi=2e-9,
                source="Moreau et al., APL 90, 012101 (2007): l_sf = 21 +- 2 nm at 4.2 K in "
                       "sputtered Ni (checked); beta = 0.14 and rho = 33 nOhm m as recalled from "
                       f"{_BP} (uncertain); {_TRANSVERSE}"),
    Ferromagnet("CoFeB", sigma=1.0 / 1.5e-6, beta=0.66, lambda_sf=1.0e-9, lambda_J=1e-9,
                lambda_phi=2e-9,
                source="amorphous CoFeB at room temperature: rho = 150 uOhm cm, beta = 0.66 "
                       "and l_sf = 1 nm are uncertain estimates (beta of crystalline CoFe "
                       f"from {_BP}); {_TRANSVERSE}"),
)})

#: HM|FI interface parameter sets.
INTERFACES: dict[str, InterfaceParameters] = {p.name: p for p in (
    InterfaceParameters("Pt|YIG", G_r=4e14, G_i=0.0,
                        source="Althammer et al., PRB 87, 224401 (2013): G_r = 4e14 1/(Ohm m^2)"),
    InterfaceParameters("Pt|YIG-Vlietstra", G_r=7e14, G_i=5e13,
                        source="Vlietstra et al., PRB 87, 184421 (2013): G_r = 7e14, "
                               "G_i = 5e13 1/(Ohm m^2)"),
    InterfaceParameters("Pt|EuS", G_r=1e12, G_i=1e13, G_s=1e12,
                        source="orders of magnitude quoted by seed 004 (Zhang et al., PRB 108, "
                               "125309 (2023)) from its Ref. [42] for EuS/Pt"),
)}


def _lookup(table: dict, kind: str, name: str):
    validation.text(kind, "name", name)
    if name in table:
        return table[name]
    lower = {k.lower(): k for k in table}
    if name.lower() in lower:
        return table[lower[name.lower()]]
    import difflib
    close = difflib.get_close_matches(name, list(table), n=1) or \
        [lower[c] for c in difflib.get_close_matches(name.lower(), list(lower), n=1)]
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise KeyError(f"unknown {kind} '{name}'; known {kind}s: {', '.join(sorted(table))}{hint}")


def get(name: str, **overrides) -> "Material | Ferromagnet":
    """A library material (a :class:`Material` or a :class:`Ferromagnet`) by name
    (case-insensitive), with optional overrides.

    Raises
    ------
    KeyError
        For an unknown name; the message lists the known materials.
    TypeError
        For a name that is not a string, or an unknown override (the message lists the
        valid ones).
    """
    return _lookup(LIBRARY, "material", name).with_(**overrides) if overrides else \
        _lookup(LIBRARY, "material", name)


def interface(name: str, **overrides) -> InterfaceParameters:
    """A library HM|FI interface parameter set by name, with optional overrides.

    Raises
    ------
    KeyError
        For an unknown name; the message lists the known interfaces.
    TypeError
        For a name that is not a string, or an unknown override (the message lists the
        valid ones).
    """
    p = _lookup(INTERFACES, "interface", name)
    return records.replaced(f"interface '{p.name}'", p, overrides) if overrides else p

