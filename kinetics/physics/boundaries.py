"""Boundary and interface conditions of the spin-charge model, attached to named facets.

Normals n point out of the metal; n·j is the outflow (docs/design.md section 3).

=====================  ==================================================================
class                  condition
=====================  ==================================================================
:class:`Insulator`     n·j_c = 0, n·j_s = 0 (the default on every untagged boundary):
                       the *total* currents vanish, which is what produces spin Hall
                       edge accumulation.
:class:`Contact`       V = V0; spin reservoir μ_s = 0 (``spin="reservoir"``) or
                       spin-opaque n·j_s = 0 (``spin="opaque"``).
:class:`CurrentContact` n·j_c = −I/A (a current I flows *into* the device through the
                       area A), spin-opaque.
:class:`FloatingProbe` an ideal voltmeter: no current (n·j_c = n·j_s = 0); its reading
                       is the area-averaged potential of its facets.
:class:`SpinInjection` a given spin current enters: n·j_s = −j_inj, n·j_c = 0 (a
                       ferromagnetic injector, optical orientation, a pumping source).
:class:`MagneticInterface` HM|FI: n·j_c = 0 and
                       n·j_s = G_s μ_s + G_r (μ_s − (m̃·μ_s) m̃) − G_i m̃×μ_s + Γ_loss μ_s
                       with m̃ = R m (seed 004 Eqs. 3, 35, 40; Chen et al. 2013 Eq. 7).
=====================  ==================================================================

G_i sign: with n = −ẑ at the bottom of a film on the magnet, the condition reads
j_s,z = G_r m̃×(m̃×μ_s) + G_i m̃×μ_s, the form of Chen et al., PRB 87, 144411 (2013), and the
SMR amplitudes follow their Eqs. (14)-(15) (checked in tests/test_smr_sot.py).  Seed 004
counts absorption as negative (its G_s^m < 0); :mod:`kinetics.physics.interface_soc` converts.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

__all__ = ["Boundary", "Insulator", "Contact", "CurrentContact", "FloatingProbe",
           "SpinInjection", "MagneticInterface", "M_TOLERANCE"]

#: allowed deviation of |m| from 1 for a given magnetization direction
M_TOLERANCE = 1e-6


def _vector3(owner: str, name: str, value) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.shape != (3,) or not np.all(np.isfinite(arr)):
        raise ValueError(f"{owner}: {name} must be a finite 3-vector, got {value!r}")
    return arr


def unit_vector(owner: str, value, tol: float = M_TOLERANCE) -> np.ndarray:
    """Validate a magnetization direction: a finite 3-vector with | |m| − 1 | <= tol.

    Raises
    ------
    ValueError
        Naming the owner and the actual norm.
    """
    m = _vector3(owner, "m", value)
    norm = float(np.linalg.norm(m))
    if abs(norm - 1.0) > tol:
        raise ValueError(f"{owner}: the magnetization m must be a unit vector, got {value!r} "
                         f"with |m| = {norm:.6g}; normalize it (m / |m|)")
    return m


@dataclasses.dataclass
class Boundary:
    """Base class: a condition on the facets named ``name`` in the device."""

    name: str

    @property
    def kind(self) -> str:
        return type(self).__name__


@dataclasses.dataclass
class Insulator(Boundary):
    """Insulating or vacuum surface: zero total charge and spin current (natural condition)."""


@dataclasses.dataclass
class Contact(Boundary):
    """An ohmic contact held at the potential ``V`` (volts).

    Parameters
    ----------
    name:
        Boundary name.
    V:
        Contact potential in volts.
    spin:
        ``"reservoir"`` (μ_s = 0: an ideal normal-metal reservoir, the default) or
        ``"opaque"`` (n·j_s = 0).

    Raises
    ------
    ValueError
        For an unknown ``spin`` value or a non-finite V.
    """

    V: float = 0.0
    spin: str = "reservoir"

    def __post_init__(self):
        if self.spin not in ("reservoir", "opaque"):
            raise ValueError(f"contact '{self.name}': spin must be 'reservoir' or 'opaque', "
                             f"got {self.spin!r}")
        if not np.isfinite(float(self.V)):
            raise ValueError(f"contact '{self.name}': V must be finite, got {self.V}")
        self.V = float(self.V)


@dataclasses.dataclass
class CurrentContact(Boundary):
    """A contact through which the current ``current`` (A) flows into the device, spread
    uniformly over its area (n·j_c = −I/A); spin-opaque (n·j_s = 0).

    In a 2D cross-section the current is per unit length of the uniform direction (A/m).
    """

    current: float = 0.0

    def __post_init__(self):
        if not np.isfinite(float(self.current)):
            raise ValueError(f"current contact '{self.name}': current must be finite")
        self.current = float(self.current)


@dataclasses.dataclass
class FloatingProbe(Boundary):
    """An ideal voltage probe: draws no current; reports the average potential of its facets."""


@dataclasses.dataclass
class SpinInjection(Boundary):
    """A spin current density ``j_s`` (3-vector: polarization, A/m² in charge-current units)
    flowing *into* the metal through the facets: n·j_s = −j_inj, no charge current.

    Raises
    ------
    ValueError
        If ``j_s`` is not a finite 3-vector.
    """

    j_s: Any = (0.0, 0.0, 0.0)

    def __post_init__(self):
        self.j_s = _vector3(f"spin injection '{self.name}'", "j_s", self.j_s)


@dataclasses.dataclass
class MagneticInterface(Boundary):
    """Heavy-metal | ferromagnetic-insulator interface (HM|FI).

    n·j_c = 0 and  n·j_s = G_s μ_s + G_r (μ_s − (m̃·μ_s) m̃) − G_i m̃×μ_s + Γ_loss μ_s

    (docs/design.md §3; seed 004 Eqs. 35, 39-44 with absorption counted positive;
    Chen et al. 2013 Eq. 7 for the G_r, G_i part).

    Parameters
    ----------
    name:
        Facet name of the interface (a boundary of the metal mesh).
    G_r, G_i:
        Spin-mixing conductance G↑↓ = G_r + i G_i, Ω⁻¹m⁻² (G_r >= 0).
    G_s:
        Spin-sink conductance, Ω⁻¹m⁻² (>= 0).
    m:
        Magnetization direction: a unit 3-vector, or a callable ``f(x)`` of the UFL spatial
        coordinate (metres) returning a UFL 3-vector (e.g. a domain wall along the
        interface; its unit length is the caller's responsibility), or a dolfinx Function
        with 3 components.
    rotation:
        Optional 3x3 rotation R with m̃ = R m (noncollinear spin exchange from interfacial
        SOC, seed 004 Eq. 3 and Appendix C).  Must be orthogonal with det +1.
    Gamma_loss:
        Optional 3x3 spin-memory-loss conductance tensor Γ (Ω⁻¹m⁻²), acting as Γ μ_s; see
        :func:`kinetics.physics.interface_soc.spin_loss_tensor`.
    pumping:
        Optional pumped spin current density j_pump (3-vector, A/m², charge-current units)
        subtracted on the right-hand side (Tserkovnyak et al., PRL 88, 117601 (2002)).

    Raises
    ------
    ValueError
        For negative G_r or G_s, |m| != 1, a non-rotation R, or a Γ of the wrong shape.
    """

    G_r: float = 0.0
    G_i: float = 0.0
    G_s: float = 0.0
    m: Any = (0.0, 0.0, 1.0)
    rotation: Any = None
    Gamma_loss: Any = None
    pumping: Any = None

    def __post_init__(self):
        owner = f"interface '{self.name}'"
        for f in ("G_r", "G_i", "G_s"):
            v = float(getattr(self, f))
            if not np.isfinite(v):
                raise ValueError(f"{owner}: {f} must be finite, got {v}")
            setattr(self, f, v)
        if self.G_r < 0 or self.G_s < 0:
            raise ValueError(f"{owner}: G_r and G_s must be >= 0 (positive = absorption), got "
                             f"G_r={self.G_r:g}, G_s={self.G_s:g} 1/(Ohm m^2)")
        if not (callable(self.m) or hasattr(self.m, "function_space")):
            self.m = unit_vector(owner, self.m)
        if self.rotation is not None:
            R = np.asarray(self.rotation, dtype=float)
            if R.shape != (3, 3) or not np.allclose(R @ R.T, np.eye(3), atol=1e-10) \
                    or np.linalg.det(R) < 0:
                raise ValueError(f"{owner}: rotation must be a 3x3 proper rotation matrix")
            self.rotation = R
        if self.Gamma_loss is not None:
            G = np.asarray(self.Gamma_loss, dtype=float)
            if G.shape != (3, 3) or not np.all(np.isfinite(G)):
                raise ValueError(f"{owner}: Gamma_loss must be a finite 3x3 array "
                                 f"(1/(Ohm m^2)), got shape {G.shape}")
            self.Gamma_loss = G
        if self.pumping is not None and not callable(self.pumping):
            self.pumping = _vector3(owner, "pumping", self.pumping)

    def conductance_matrix(self, m=None) -> np.ndarray:
        """The 3x3 matrix 𝐆 with n·j_s = 𝐆 μ_s for a uniform m (Ω⁻¹m⁻²).

        𝐆 = G_s I + G_r (I − m̃ m̃ᵀ) − G_i [m̃]_× + Γ_loss, where [m]_× μ = m × μ.
        """
        m = np.asarray(self.m if m is None else m, dtype=float)
        if self.rotation is not None:
            m = self.rotation @ m
        cross = np.array([[0, -m[2], m[1]], [m[2], 0, -m[0]], [-m[1], m[0], 0]])
        G = self.G_s * np.eye(3) + self.G_r * (np.eye(3) - np.outer(m, m)) - self.G_i * cross
        if self.Gamma_loss is not None:
            G = G + self.Gamma_loss
        return G

