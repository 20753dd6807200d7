"""Ferromagnet | normal-metal interfaces: the conductance sets of magnetoelectronic circuit
theory (:class:`FNInterface`) and a small library with sources (:data:`FN_INTERFACES`,
:func:`fn_interface`).  The equations that use them are in
:mod:`kinetics.physics.fn_interface`.
"""

from __future__ import annotations

import dataclasses
import math

from kinetics import records, validation
from kinetics.materials import _BP, SI_LIMIT, _lookup, check_conductances

__all__ = ["FNInterface", "FN_INTERFACES", "fn_interface", "MAX_SPIN_MEMORY_LOSS"]

#: Largest accepted spin memory loss δ: beyond it the interface already loses all
#: longitudinal spin (δ/sinh δ < 1e-20).
MAX_SPIN_MEMORY_LOSS = 50.0

@dataclasses.dataclass(frozen=True)
class FNInterface:
    """Conductances per area of a ferromagnet | normal-metal interface (SI, Ω⁻¹m⁻²):
    magnetoelectronic circuit theory (Brataas, Nazarov & Bauer, PRL 84, 2481 (2000); Eur.
    Phys. J. B 22, 99 (2001)); the equations are in :mod:`kinetics.physics.fn_interface`.

    Parameters
    ----------
    name:
        Name used in messages ("Co|Cu").
    G_up, G_down:
        Conductances of the majority and minority channels G↑, G↓ (> 0).
    G_r, G_i:
        Mixing conductance G↑↓ = G_r + iG_i in the convention of
        :class:`kinetics.physics.boundaries.MagneticInterface` (G_r >= 0, G_i any sign;
        with G↑ = G↓ = G_r, G_i = 0 the interface is spin-isotropic).
    source:
        Literature source of the numbers.
    spin_memory_loss:
        Bass & Pratt's spin-memory-loss parameter δ >= 0 (dimensionless; J. Phys.:
        Condens. Matter 19, 183201 (2007) Sec. 6.5): the interface is a thin layer with
        the resistances above and spin flip over δ of its spin diffusion lengths, so a
        fraction of the longitudinal spin current is lost in it
        (:mod:`kinetics.physics.fn_interface`).  0 (default): no loss.

    Raises
    ------
    kinetics.validation.ValidationError
        (a ValueError naming the parameter) For G↑ or G↓ <= 0 or beyond :data:`SI_LIMIT`,
        G_r < 0, non-finite values, an empty name, δ < 0 or δ > :data:`MAX_SPIN_MEMORY_LOSS`.
    TypeError
        For parameters that are not numbers, a source that is not a string.
    """

    name: str
    G_up: float
    G_down: float
    G_r: float = 0.0
    G_i: float = 0.0
    source: str = ""
    spin_memory_loss: float = 0.0

    def __post_init__(self):
        owner = f"F|N interface '{validation.text('FNInterface', 'name', self.name)}'"
        if not isinstance(self.source, str):
            raise TypeError(f"{owner}: source must be a string, got {self.source!r}")
        for f in ("G_up", "G_down"):
            object.__setattr__(self, f, validation.positive(
                owner, f, getattr(self, f), kind="a number (1/(Ohm m^2))", limit=SI_LIMIT))
        G_r, G_i, _ = check_conductances(owner, self.G_r, self.G_i, 0.0)
        object.__setattr__(self, "G_r", G_r)
        object.__setattr__(self, "G_i", G_i)
        object.__setattr__(self, "spin_memory_loss", validation.nonnegative(
            owner, "spin_memory_loss", self.spin_memory_loss,
            kind="a number (delta, dimensionless)", limit=MAX_SPIN_MEMORY_LOSS))

    @classmethod
    def from_valet_fert(cls, name: str, r_b: float, gamma: float, G_r: float = 0.0,
                        G_i: float = 0.0, source: str = "",
                        spin_memory_loss: float = 0.0) -> "FNInterface":
        """From Valet & Fert's interface resistance r_b* (Ω m², > 0) and asymmetry γ
        (|γ| < 1): r↑,↓ = 2r_b*(1 ∓ γ), G↑,↓ = 1/(2r_b*(1 ∓ γ)) (Valet & Fert, PRB 48, 7099
        (1993)); optionally Bass & Pratt's spin memory loss δ.

        Raises
        ------
        kinetics.validation.ValidationError
            For r_b* <= 0 or |γ| >= 1 (and as the class).
        """
        owner = f"F|N interface '{name}'"
        r_b = validation.positive(owner, "r_b", r_b, kind="a number (Ohm m^2)", limit=SI_LIMIT)
        gamma = validation.polarization(owner, "gamma", gamma, "both channel resistances "
                                        "2r_b*(1 ∓ γ) must be positive")
        return cls(name, 1.0 / (2 * r_b * (1 - gamma)), 1.0 / (2 * r_b * (1 + gamma)),
                   G_r, G_i, source, spin_memory_loss)

    @classmethod
    def tunnel(cls, name: str, resistance_area: float, polarization: float,
               G_r: float = 0.0, G_i: float = 0.0, source: str = "") -> "FNInterface":
        """A tunnel barrier (or any junction) given by its resistance-area product R·A
        (Ω m², > 0) and interface polarization P_I (|P_I| < 1): G↑,↓ = (1 ± P_I)/(2R·A), so
        that G↑ + G↓ = 1/(R·A) and (G↑ − G↓)/(G↑ + G↓) = P_I (Takahashi & Maekawa, PRB 67,
        052409 (2003); Brataas, Bauer & Kelly, Phys. Rep. 427, 157 (2006)).  A tunnel
        barrier has a small mixing conductance: G_r, G_i default to 0.

        Raises
        ------
        kinetics.validation.ValidationError
            For R·A <= 0, |P_I| >= 1 (and as the class).
        """
        owner = f"F|N interface '{name}'"
        ra = validation.positive(owner, "resistance_area", resistance_area,
                                 kind="a number (Ohm m^2)", limit=SI_LIMIT)
        P = validation.polarization(owner, "polarization", polarization,
                                    "both spin channels must conduct")
        return cls(name, (1 + P) / (2 * ra), (1 - P) / (2 * ra), G_r, G_i, source)

    @property
    def polarization(self) -> float:
        """The interface polarization P_I = (G↑ − G↓)/(G↑ + G↓) (the same number as
        Valet–Fert's γ)."""
        return self.gamma

    @property
    def spin_loss_conductances(self) -> tuple[float, float]:
        """(G_loss, G_sink) of the spin memory loss δ (Ω⁻¹m⁻²): with G_s = 2G↑G↓/(G↑ + G↓)
        = 1/(2r_b*), the longitudinal jump conductance is reduced by G_loss =
        G_s(1 − δ/sinh δ) and each side loses G_sink = G_s δ tanh(δ/2) times its own
        longitudinal accumulation (:mod:`kinetics.physics.fn_interface`); (0, 0) for δ = 0."""
        d = self.spin_memory_loss
        if d == 0.0:
            return 0.0, 0.0
        G_s = 2.0 * self.G_up * self.G_down / (self.G_up + self.G_down)
        return G_s * (1.0 - d / math.sinh(d)), G_s * d * math.tanh(0.5 * d)

    @property
    def r_b(self) -> float:
        """Valet–Fert's r_b* = (1/G↑ + 1/G↓)/4 (Ω m²)."""
        return 0.25 * (1.0 / self.G_up + 1.0 / self.G_down)

    @property
    def gamma(self) -> float:
        """Valet–Fert's γ = (G↑ − G↓)/(G↑ + G↓)."""
        return (self.G_up - self.G_down) / (self.G_up + self.G_down)

    def with_(self, **overrides) -> "FNInterface":
        """A copy with some parameters replaced (validated again; TypeError for unknown
        names, listing the valid ones)."""
        return records.replaced(f"F|N interface '{self.name}'", self, overrides)


_BP_FN = ("r_b* = AR*_F/N and gamma from " + _BP + " (as recalled, not checked here)")
_XIA = ("G_r, G_i: first-principles mixing conductance of Co/Cu (Xia et al., PRB 65, 220401(R) "
        "(2002), as quoted by Brataas, Bauer & Kelly, Phys. Rep. 427, 157 (2006); as recalled, "
        "not checked here)")

#: F|N interface sets (Valet–Fert r_b*, γ of CPP-MR experiments; mixing conductances of
#: first-principles calculations).  The G↑ + G↓ of r_b* exceeds the Sharvin-like G_r: the
#: two come from different sources and the mixing values are order-of-magnitude inputs.
FN_INTERFACES: dict[str, FNInterface] = {p.name: p for p in (
    FNInterface.from_valet_fert("Co|Cu", 0.51e-15, 0.77, G_r=0.55e15, G_i=0.01e15,
                                source=f"2AR* = 1.02 fOhm m^2, gamma = 0.77: {_BP_FN}; {_XIA}; "
                                       "spin memory loss (not applied here, add it with "
                                       "with_(spin_memory_loss=...)): delta = 0.25 +- 0.1, "
                                       "0.33 (+0.03/-0.08) fitted, at 4.2 K, in 'A way to "
                                       "measure electron spin-flipping at F/N interfaces and "
                                       "application to Co/Cu' (Bass, Pratt et al.; checked); "
                                       "first-principles calculations find it small at room "
                                       "temperature (Liu et al., arXiv 2207.02395)"),
    FNInterface.from_valet_fert("Py|Cu", 0.50e-15, 0.70, G_r=0.55e15, G_i=0.0,
                                source="2AR* = 1.0 +- 0.1 fOhm m^2, gamma = 0.7 +- 0.1 at "
                                       "4.2 K, the standard values quoted in J. Appl. Phys. "
                                       "99, 08G502 (2006) (checked); G_r = the Co/Cu value "
                                       "(estimate; Sharvin-like for Cu)"),
    FNInterface.from_valet_fert("Py|Ag", 0.50e-15, 0.70, G_r=0.45e15, G_i=0.0,
                                source="r_b* and gamma taken equal to Py|Cu (estimate, not "
                                       "checked here; Ag/Py CPP-MR data of " + _BP + "); G_r "
                                       "= 0.45e15 1/(Ohm m^2), a Sharvin-like estimate for Ag"),
)}


def fn_interface(name: str, **overrides) -> FNInterface:
    """A library F|N interface set (:data:`FN_INTERFACES`) by name, case-insensitive, with
    optional overrides.

    Raises
    ------
    KeyError
        For an unknown name; the message lists the known F|N interfaces.
    TypeError
        For a name that is not a string or an unknown override.
    """
    p = _lookup(FN_INTERFACES, "F|N interface", name)
    return p.with_(**overrides) if overrides else p
