"""Boundary and interface conditions of the spin-charge model, attached to named facets.

Normals n point out of the metal; n·j is the outflow (docs/design.md section 3).

==========================  ==================================================================
class                       condition
==========================  ==================================================================
:class:`Insulator`          n·j_c = 0, n·j_s = 0 (the default on every untagged boundary):
                            the *total* currents vanish, which is what produces spin Hall
                            edge accumulation.
:class:`Contact`            V = V0; spin reservoir μ_s = 0 (``spin="reservoir"``) or
                            spin-opaque n·j_s = 0 (``spin="opaque"``).
:class:`CurrentContact`     n·j_c = −I/A (a current I flows *into* the device through the
                            area A), spin-opaque.
:class:`FloatingProbe`      an ideal voltmeter: no current (n·j_c = n·j_s = 0); its reading
                            is the area-averaged potential of its facets.
:class:`SpinInjection`      a given spin current enters: n·j_s = −j_inj, n·j_c = 0 (a
                            ferromagnetic injector, optical orientation, a pumping source).
:class:`MagneticInterface`  HM|FI: n·j_c = 0 and
                            n·j_s = G_s μ_s + G_r (μ_s − (m̃·μ_s) m̃) − G_i m̃×μ_s + Γ_loss μ_s
                            with m̃ = R m (seed 004 Eqs. 3, 35, 40; Chen et al. 2013 Eq. 7).
==========================  ==================================================================

G_i sign: with n = −ẑ at the bottom of a film on the magnet, the condition reads
j_s,z = G_r m̃×(m̃×μ_s) + G_i m̃×μ_s, the form of Chen et al., PRB 87, 144411 (2013), and the
SMR amplitudes follow their Eqs. (14)-(15) (checked in tests/test_smr_sot.py).  Seed 004
counts absorption as negative (its G_s^m < 0); :mod:`kinetics.physics.interface_soc` converts.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from kinetics import validation

__all__ = ["Boundary", "Insulator", "Contact", "CurrentContact", "FloatingProbe",
           "SpinInjection", "MagneticInterface", "MagnetTerms", "M_TOLERANCE", "LIMIT",
           "check_rotation"]

#: allowed deviation of |m| from 1 for a given magnetization direction
#: (:data:`kinetics.validation.UNIT_TOLERANCE`)
M_TOLERANCE = validation.UNIT_TOLERANCE

#: bound on |V| (V), |I| (A), |j_s|, |j_pump| (A/m²) and the conductances (Ω⁻¹m⁻²)
LIMIT = validation.SI_LIMIT


@dataclasses.dataclass
class Boundary:
    """Base class: a condition on the facets named ``name`` in the device.

    Each condition adds its own terms to the spin–charge weak form in :meth:`contribute`,
    through the model's :class:`kinetics.models.base.FormBuilder` (trial fields
    ``fields["V"]``, ``fields["mu_s"]``, test fields ``tests[...]``, measures, constants
    and the internal :class:`~kinetics.models.base.Scaling`).  A new kind of condition is a
    new subclass; no model code changes.
    """

    name: str

    def __post_init__(self):
        """Check the name.

        Raises
        ------
        TypeError
            For a name that is not a string (``Contact(None)``).
        kinetics.validation.ValidationError
            For an empty name.
        """
        self.name = validation.text(self.kind, "name", self.name)

    @property
    def owner(self) -> str:
        """``"{kind} '{name}'"``, the owner named in error messages."""
        return f"{self.kind} '{self.name}'"

    @property
    def kind(self) -> str:
        return type(self).__name__

    def contribute(self, form) -> None:
        """Add this condition's terms to the weak form (natural conditions add nothing)."""


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
    TypeError
        For a name that is not a string or a V that is not a number.
    kinetics.validation.ValidationError
        For an empty name, an unknown ``spin`` value, or a V that is not finite or exceeds
        :data:`LIMIT` in magnitude.
    """

    V: float = 0.0
    spin: str = "reservoir"

    def __post_init__(self):
        super().__post_init__()
        self.spin = validation.choice(self.owner, "spin", self.spin, ("reservoir", "opaque"))
        self.V = validation.finite(self.owner, "V", self.V, kind="a number (volts)",
                                   limit=LIMIT)

    def contribute(self, form) -> None:
        """Dirichlet values: V = V0, and μ_s = 0 for a spin reservoir."""
        form.fix("V", self.name, self.V)
        if self.spin == "reservoir":
            form.fix("mu_s", self.name, 0.0)


@dataclasses.dataclass
class CurrentContact(Boundary):
    """A contact through which the current ``current`` (A) flows into the device, spread
    uniformly over its area (n·j_c = −I/A); spin-opaque (n·j_s = 0).

    In a 2D cross-section the current is per unit length of the uniform direction (A/m).

    Raises
    ------
    TypeError
        For a name that is not a string or a current that is not a number.
    kinetics.validation.ValidationError
        For an empty name or a current that is not finite or exceeds :data:`LIMIT`.
    """

    current: float = 0.0

    def __post_init__(self):
        super().__post_init__()
        self.current = validation.finite(self.owner, "current", self.current,
                                         kind="a number (amperes)", limit=LIMIT)

    def contribute(self, form) -> None:
        """−n·j_c = I/A enters: + ∫ (I/A) v ds (scaled) on the right-hand side."""
        j_in = self.current / form.area(self.name)
        form.add(linear=form.scaling.normal_current(j_in) * form.tests["V"] * form.ds(self.name))


@dataclasses.dataclass
class FloatingProbe(Boundary):
    """An ideal voltage probe: draws no current; reports the average potential of its facets."""


@dataclasses.dataclass
class SpinInjection(Boundary):
    """A spin current density ``j_s`` (3-vector: polarization, A/m² in charge-current units)
    flowing *into* the metal through the facets: n·j_s = −j_inj, no charge current.

    Raises
    ------
    kinetics.validation.ValidationError
        If ``j_s`` is not a finite 3-vector with entries at most :data:`LIMIT` (or the name
        is empty; TypeError for a name that is not a string).
    """

    j_s: Any = (0.0, 0.0, 0.0)

    def __post_init__(self):
        super().__post_init__()
        self.j_s = validation.vector3(self.owner, "j_s", self.j_s, limit=LIMIT)

    def contribute(self, form) -> None:
        """−n·j_s = j_inj enters: + ∫ j_inj·w ds (scaled) on the right-hand side."""
        import ufl
        form.add(linear=form.scaling.per_area * ufl.inner(form.constant(self.j_s),
                                                          form.tests["mu_s"]) * form.ds(self.name))


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
        Magnetization direction: a unit 3-vector (| |m| − 1 | <= :data:`M_TOLERANCE` = 1e-6,
        used as given: normalize it yourself), or a callable ``f(x)`` of the UFL spatial
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
    TypeError
        For a name that is not a string or conductances that are not numbers.
    kinetics.validation.ValidationError
        For negative G_r or G_s, non-finite conductances or conductances beyond
        :data:`LIMIT` (:func:`kinetics.materials.check_conductances`), | |m| − 1 | >
        :data:`M_TOLERANCE`, a non-rotation R, a Γ that is not a finite 3x3 array, a
        pumping that is neither a finite 3-vector nor a callable.
    """

    G_r: float = 0.0
    G_i: float = 0.0
    G_s: float = 0.0
    m: Any = (0.0, 0.0, 1.0)
    rotation: Any = None
    Gamma_loss: Any = None
    pumping: Any = None

    def __post_init__(self):
        from kinetics.materials import check_conductances
        super().__post_init__()
        owner = self.owner
        self.G_r, self.G_i, self.G_s = check_conductances(owner, self.G_r, self.G_i, self.G_s)
        if not (callable(self.m) or hasattr(self.m, "function_space")):
            self.m = validation.unit_vector(owner, "m", self.m)
        if self.rotation is not None:
            self.rotation = check_rotation(owner, "rotation", self.rotation)
        if self.Gamma_loss is not None:
            self.Gamma_loss = validation.matrix3(owner, "Gamma_loss", self.Gamma_loss,
                                                limit=LIMIT)
        if self.pumping is not None and not callable(self.pumping):
            self.pumping = validation.vector3(owner, "pumping", self.pumping, limit=LIMIT)

    def contribute(self, form) -> None:
        """Adds ∫ (𝐆(m̃) μ_s)·w ds to the operator and ∫ j_pump·w ds to the right-hand side;
        records the interface's :class:`MagnetTerms` for observables and sweeps."""
        import ufl

        from kinetics.physics.spin_charge import interface_spin_outflow
        scale = form.scaling.per_area
        m = form.vector(self.m)
        R = None if self.rotation is None else form.constant(self.rotation)
        m_tilde = m if R is None else ufl.dot(R, m)
        G_r = form.constant(self.G_r * scale)
        G_i = form.constant(self.G_i * scale)
        G_s = form.constant(self.G_s * scale)
        Gamma = None if self.Gamma_loss is None else form.constant(self.Gamma_loss * scale)
        mu, w, ds = form.fields["mu_s"], form.tests["mu_s"], form.ds(self.name)
        form.add(bilinear=ufl.inner(interface_spin_outflow(mu, m_tilde, G_r, G_s, G_i, Gamma),
                                    w) * ds)
        j_pump = None
        if self.pumping is not None:
            j_pump = scale * (self.pumping(form.x) if callable(self.pumping)
                              else form.constant(self.pumping))
            form.add(linear=ufl.inner(j_pump, w) * ds)
        form.record(self.name, MagnetTerms(m, m_tilde, G_r, G_i, G_s, Gamma, j_pump, self))

    def conductance_matrix(self, m=None) -> np.ndarray:
        """The 3x3 matrix 𝐆 with n·j_s = 𝐆 μ_s for a uniform m (Ω⁻¹m⁻²).

        𝐆 = G_s I + G_r (I − m̃ m̃ᵀ) − G_i [m̃]_× + Γ_loss, where [m]_× μ = m × μ.
        """
        m = np.asarray(self.m if m is None else validation.unit_vector(self.owner, "m", m),
                       dtype=float)
        if self.rotation is not None:
            m = self.rotation @ m
        cross = np.array([[0, -m[2], m[1]], [m[2], 0, -m[0]], [-m[1], m[0], 0]])
        G = self.G_s * np.eye(3) + self.G_r * (np.eye(3) - np.outer(m, m)) - self.G_i * cross
        if self.Gamma_loss is not None:
            G = G + self.Gamma_loss
        return G


def check_rotation(owner: str, name: str, value) -> np.ndarray:
    """A proper rotation matrix: a finite (3, 3) array R with R Rᵀ = I (to 1e-10) and
    det R = +1.

    Raises
    ------
    kinetics.validation.ValidationError
        Naming ``owner`` and ``name``, with the deviation from orthogonality or the
        determinant.
    """
    R = validation.matrix3(owner, name, value)
    dev = float(np.max(np.abs(R @ R.T - np.eye(3))))
    det = float(np.linalg.det(R))
    if dev > 1e-10 or det < 0:
        raise validation.ValidationError(
            owner, name, "a 3x3 proper rotation matrix (R R^T = I to 1e-10, det R = +1)",
            f"max |R R^T - I| = {dev:.3g}, det R = {det:.6g}")
    return R


@dataclasses.dataclass
class MagnetTerms:
    """The UFL terms of one HM|FI interface as a model assembled them (internal units:
    conductances × L/σ0, :class:`kinetics.models.base.Scaling`).

    Attributes
    ----------
    m, m_tilde:
        Magnetization and the direction m̃ = R m seen by the electrons (UFL 3-vectors; ``m``
        is a runtime Constant when uniform).
    G_r, G_i, G_s, Gamma:
        Scaled conductances (Constants; Γ_loss 3x3 or None).
    j_pump:
        Scaled pumped spin current (UFL 3-vector) or None.
    condition:
        The :class:`MagneticInterface`.
    """

    m: Any
    m_tilde: Any
    G_r: Any
    G_i: Any
    G_s: Any
    Gamma: Any
    j_pump: Any
    condition: "MagneticInterface"

    @property
    def uniform(self) -> bool:
        """Whether m is a uniform runtime constant (sweeps can change it)."""
        return hasattr(self.m, "value")

    def uniform_m_tilde(self):
        """m̃ = R m as a numpy 3-vector when m is uniform, else None."""
        if not self.uniform:
            return None
        v = np.asarray(self.m.value, dtype=float)
        if self.condition.rotation is not None:
            v = np.asarray(self.condition.rotation, dtype=float) @ v
        return v
