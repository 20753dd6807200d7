"""Spin pumping at an HM|FI interface with a prescribed magnetization m(t): sources and dynamics.

A precessing magnet pumps a spin current into the adjacent metal (Tserkovnyak, Brataas &
Bauer, PRL 88, 117601 (2002)).  The metal's spin accumulation flows back through the same
mixing conductance.  This module provides the pumped source and the magnetization dynamics
that drive it (:class:`Precession`, :class:`MagnetizationFunction`); the closed forms of a
film that the finite-element driver :mod:`kinetics.models.pumping` is tested against are in
:mod:`kinetics.analytic.pumping`.

Conventions (docs/design.md §3, docs/pumping.md)
------------------------------------------------
μ_s is in volts, (μ↑ − μ↓)/e per axis, with ↑ the spin angular momentum along the axis.
j_s is in charge-current units (A/m², 2e/ħ times the angular-momentum current).  n points out
of the metal.  The HM|FI condition is

    n·j_s = 𝐆(m) μ_s − j_pump,   j_pump = 𝐆_mix(m) μ_p,   μ_p = (ħ/e) m×ṁ             (1)
    j_pump = (ħ/e) (G_r m×ṁ + G_i ṁ)                                                 (2)

with 𝐆(m)μ = G_s μ + 𝐆_mix(m)μ (+ Γ_loss μ) and 𝐆_mix(m)μ = G_r (μ − (m·μ)m) − G_i m×μ.
The mixing part of the condition is therefore 𝐆_mix(m)(μ_s − μ_p).  Derivation of (1), (2):

* Rotating frame.  In the frame that rotates with m at the instantaneous angular velocity
  ω = m×ṁ (the part of the rotation that moves m), electrons feel the extra term −ω·ŝ of the
  Hamiltonian: a spin splitting ħω.  The magnet is static there, and the metal carries the
  spin accumulation μ_s − (ħ/e) m×ṁ.  Circuit theory (Brataas, Nazarov & Bauer) applies in
  that frame, so the mixing (spin-transfer) current is 𝐆_mix(μ_s − μ_p), which is (1).
  The spin sink G_s and the spin-memory loss Γ_loss are relaxation at the interface.  They
  are fixed to the lattice, not to the rotating magnet, so they act on μ_s and do not pump.
  Then m×((m×ṁ)×m) = m×ṁ and m×(m×ṁ) = −ṁ give (2).
* Onsager–Casimir.  𝐆(m)ᵀ = 𝐆(−m): the G_r part is symmetric and even in m, the G_i part
  antisymmetric and odd.  The power dissipated in the mixing channel,
  ½ (μ_s − μ_p)·𝐆_mix(μ_s − μ_p) = ½ G_r |(μ_s − μ_p)_⊥|² ≥ 0, is a non-negative
  quadratic form (½ j_s·μ_s is the power of a spin current in these units).  The reactive
  G_i term does no work.  The torque on the
  magnet, (ħ/2e) 𝐆_mix μ_s, and the pumped current, 𝐆_mix (ħ/e) m×ṁ, use the same matrix,
  which is the reciprocity between spin-transfer torque and pumping.
* Check against the literature.  With μ_s = 0 (a perfect sink) and uniform precession at
  cone angle θ_c, the period average is ⟨j_pump⟩ = (ħ/e) G_r ω sin²θ_c â: the G_i ṁ term
  averages to zero.  With G_r = (e²/h) g_r this is (2e/ħ)·(ħ/4π) g_r ω sin²θ_c, Tserkovnyak's
  I_s = (ħ/4π) g_r m×ṁ.

The sign of G_i follows Chen et al. 2013 (kinetics.physics.boundaries).  Papers that write
I_s = (ħ/4π)(g_r m×ṁ − g_i ṁ) have the opposite G_i.

Quasi-static response.  The metal's spin dynamics have the time scale τ_sf = λ_sf²/D.  For
Pt, τ_sf ≈ 10⁻¹⁴ s, so ωτ_sf ~ 10⁻³ at 10 GHz.  The bulk response to (1) is therefore
instantaneous: μ_s(t) is the steady solution for m(t).  The ∂_t term (σ/2D)∂_t μ_s is left
out; its relative size is ωτ_sf.  Each instant is a real, linear problem.  Its operator
depends on t only through 𝐆(m(t)).  Harmonic amplitudes with a fixed operator 𝐆(m₀) are
exact to first order in the cone angle.  Re and Im are then two right-hand sides of the same
real matrix (:meth:`kinetics.models.pumping.PumpingProblem.linear_response`).  At second
order the DC has a rectification term ⟨δ𝐆 μ₁⟩: the oscillating conductance times the
first-harmonic accumulation.  Outside linear response, the period average of instantaneous
solves is exact (:meth:`~kinetics.models.pumping.PumpingProblem.periodic`).

Harmonic convention: u(t) = Re[û e^{+iωt}].  This is the phasor convention of electrical
engineering and of seed 002.  Amplitudes in the physics convention e^{−iωt} are the complex
conjugates.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np

from kinetics import units, validation

__all__ = ["pump_accumulation", "pumped_spin_current", "Precession", "MagnetizationFunction",
           "HBAR_OVER_E", "OMEGA_LIMIT", "PERIOD_RANGE", "check_time_function"]

HBAR_OVER_E = units.hbar / units.e


def _cross(a, b):
    if hasattr(a, "ufl_shape") or hasattr(b, "ufl_shape"):
        import ufl
        return ufl.cross(a, b)
    return np.cross(a, b)


def pump_accumulation(m, mdot):
    """The rotating-frame spin accumulation μ_p = (ħ/e) m×ṁ (volts), Eq. (1) above.
    j_pump = 𝐆_mix(m) μ_p.

    Parameters
    ----------
    m, mdot:
        Magnetization direction (unit) and its time derivative (1/s): numpy arrays of shape
        (..., 3) or UFL 3-vectors.

    Returns
    -------
    Same type as the input, shape (..., 3), volts.
    """
    return HBAR_OVER_E * _cross(m, mdot)


def pumped_spin_current(m, mdot, G_r: float, G_i: float = 0.0):
    """Pumped spin current into the metal, j_pump = (ħ/e)(G_r m×ṁ + G_i ṁ), A/m² (Eq. 2).

    Tserkovnyak et al., PRL 88, 117601 (2002), in charge-current units with the G_i sign of
    Chen et al., PRB 87, 144411 (2013).  The module docstring derives it.

    Parameters
    ----------
    m, mdot:
        numpy arrays of shape (..., 3) or UFL 3-vectors; m is the unit magnetization
        direction, ṁ its time derivative in 1/s.
    G_r, G_i:
        Spin-mixing conductance G↑↓ = G_r + iG_i, Ω⁻¹m⁻².

    Returns
    -------
    j_pump, shape (..., 3), A/m².  It is the spin current entering the metal when μ_s = 0.
    """
    return HBAR_OVER_E * (G_r * _cross(m, mdot) + G_i * mdot)


#: bound on |ω| (rad/s): 1e18 rad/s is far above any magnetization dynamics (THz ~ 1e13)
OMEGA_LIMIT = 1e18
#: bounds on a period (s), the inverse of :data:`OMEGA_LIMIT` up to 1e6 s
PERIOD_RANGE = (1e-18, 1e6)


@dataclasses.dataclass(frozen=True)
class Precession:
    """Uniform circular precession of m about ``axis``.

    m(t) = cos θ_c â + sin θ_c [cos(ωt + φ) ê₁ + sin(ωt + φ) ê₂],   ê₁ × ê₂ = â

    Parameters
    ----------
    axis:
        Precession axis â (3-vector, normalized here).  For free precession it is the static
        effective field.  With ω > 0 the rotation is counterclockwise about â, as for LLG
        dm/dt = −γ m×H with γ > 0, and ⟨m×ṁ⟩ = ω sin²θ_c â.
    cone_angle:
        θ_c in radians, 0 <= θ_c <= π/2.
    omega:
        Angular frequency ω = 2πf in rad/s, non-zero.  Its sign gives the sense of rotation.
    phase:
        φ in radians.
    reference:
        Direction whose part perpendicular to â defines ê₁ (m(0) lies in the â-ê₁ plane).
        Default: ẑ, or x̂ when â is within 25° of ẑ.

    Raises
    ------
    TypeError
        For a cone angle, ω or phase that is not a number.
    kinetics.validation.ValidationError
        (a ValueError) For a zero or non-finite axis, θ_c outside [0, π/2], ω = 0 or
        |ω| > :data:`OMEGA_LIMIT`, |φ| > 1e6 rad, or a reference that is zero or parallel to
        the axis.
    """

    axis: tuple = (0.0, 0.0, 1.0)
    cone_angle: float = 0.1
    omega: float = 2 * math.pi * 10e9
    phase: float = 0.0
    reference: tuple | None = None

    def __post_init__(self):
        owner = "Precession"
        a = validation.direction(owner, "axis", self.axis)
        object.__setattr__(self, "axis", tuple(float(c) for c in a))
        th = validation.finite(owner, "cone_angle", self.cone_angle, kind="a number (radians)")
        if not 0.0 <= th <= math.pi / 2:
            raise validation.ValidationError(owner, "cone_angle", "in [0, pi/2] rad",
                                             f"{th:g}")
        omega = validation.finite(owner, "omega", self.omega, kind="a number (rad/s)",
                                  limit=OMEGA_LIMIT)
        if omega == 0:
            raise validation.ValidationError(owner, "omega", "non-zero (rad/s; its sign is the "
                                             "sense of rotation)", "0")
        phase = validation.finite(owner, "phase", self.phase, kind="a number (radians)",
                                  limit=1e6)
        ref = np.array([0.0, 0.0, 1.0]) if abs(a[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
        if self.reference is not None:
            ref = validation.direction(owner, "reference", self.reference)
        e1 = ref - (ref @ a) * a
        if np.linalg.norm(e1) < 1e-8:
            raise validation.ValidationError(owner, "reference", "not parallel to the axis",
                                             f"{tuple(self.reference)!r} for the axis "
                                             f"{self.axis!r}")
        e1 = e1 / np.linalg.norm(e1)
        object.__setattr__(self, "cone_angle", th)
        object.__setattr__(self, "omega", omega)
        object.__setattr__(self, "phase", phase)
        object.__setattr__(self, "_basis", (a, e1, np.cross(a, e1)))

    @property
    def period(self) -> float:
        """2π/|ω| in seconds."""
        return 2 * math.pi / abs(self.omega)

    @property
    def basis(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(â, ê₁, ê₂), orthonormal and right-handed."""
        return self._basis

    def m(self, t) -> np.ndarray:
        """m(t), shape (3,) or (len(t), 3).  Raises ValidationError for non-finite t."""
        a, e1, e2 = self._basis
        psi = self.omega * validation.array("Precession", "t", t)[..., None] + self.phase
        th = self.cone_angle
        return math.cos(th) * a + math.sin(th) * (np.cos(psi) * e1 + np.sin(psi) * e2)

    def mdot(self, t) -> np.ndarray:
        """ṁ(t) in 1/s, shape (3,) or (len(t), 3).  Raises ValidationError for non-finite t."""
        a, e1, e2 = self._basis
        psi = self.omega * validation.array("Precession", "t", t)[..., None] + self.phase
        return self.omega * math.sin(self.cone_angle) * (-np.sin(psi) * e1 + np.cos(psi) * e2)

    def ufl(self, t, x):
        """(m, ṁ) as UFL 3-vectors of the time ``t`` (a dolfinx Constant, seconds).  The
        coordinate ``x`` is accepted for a uniform interface with :class:`MagnetizationFunction`."""
        import ufl
        a, e1, e2 = (ufl.as_vector([float(c) for c in v]) for v in self._basis)
        psi = self.omega * t + self.phase
        th = self.cone_angle
        m = math.cos(th) * a + math.sin(th) * (ufl.cos(psi) * e1 + ufl.sin(psi) * e2)
        mdot = self.omega * math.sin(th) * (-ufl.sin(psi) * e1 + ufl.cos(psi) * e2)
        return m, mdot

    def harmonics(self) -> dict:
        """Complex amplitudes of m, ṁ and m×ṁ, with x(t) = x₀ + Re[x₁ e^{iωt}].  For ω < 0
        the harmonic is taken at |ω|.

        Returns
        -------
        dict with ``m0`` = cos θ_c â and ``m1`` = sin θ_c (ê₁ ∓ iê₂) e^{±iφ}.  It also has
        ``mdot1`` = i|ω| m1, ``mxmdot0`` = ω sin²θ_c â (the DC of m×ṁ) and ``mxmdot1`` = the
        first harmonic of m×ṁ, −ω sin θ_c cos θ_c (ê₁ ∓ iê₂) e^{±iφ}.  All are complex
        arrays of shape (3,).
        """
        a, e1, e2 = self._basis
        s = math.copysign(1.0, self.omega)
        th, w = self.cone_angle, abs(self.omega)
        u = (e1 - 1j * s * e2) * np.exp(1j * s * self.phase)
        m1 = math.sin(th) * u
        return {"m0": math.cos(th) * a.astype(complex), "m1": m1, "mdot1": 1j * w * m1,
                "mxmdot0": self.omega * math.sin(th) ** 2 * a.astype(complex),
                "mxmdot1": -self.omega * math.sin(th) * math.cos(th) * u}


def check_time_function(owner: str, func, period) -> float | None:
    """Validate a prescribed field f(t, x) and its optional period (s).

    Returns
    -------
    The period as a float (None stays None).

    Raises
    ------
    TypeError
        If ``func`` is not callable or the period is not a number.
    kinetics.validation.ValidationError
        For a period that is not positive and finite or outside :data:`PERIOD_RANGE`.
    """
    if not callable(func):
        raise TypeError(f"{owner}: func must be callable f(t, x), got {func!r}")
    if period is None:
        return None
    return validation.positive(owner, "period", period, kind="a number (seconds) or None",
                               tiny=PERIOD_RANGE[0], limit=PERIOD_RANGE[1])


@dataclasses.dataclass(frozen=True)
class MagnetizationFunction:
    """A prescribed m(t, x) given by a user function.

    Parameters
    ----------
    func:
        ``func(t, x)`` returns a UFL 3-vector.  ``t`` is a UFL variable (seconds), ``x`` the
        SI coordinate (UFL 3-vector, metres), so ufl.sin, ufl.cos, ufl.exp, ... apply.  ṁ is
        computed exactly by UFL differentiation with respect to t.  Keeping |m| = 1 is the
        caller's job.
    period:
        Period in seconds, needed for DC and harmonic averages; None for a non-periodic m.

    Raises
    ------
    TypeError
        If ``func`` is not callable.
    kinetics.validation.ValidationError
        For a period that is not positive and finite or outside :data:`PERIOD_RANGE`.
    """

    func: Callable
    period: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "period",
                           check_time_function("MagnetizationFunction", self.func, self.period))

    def ufl(self, t, x):
        """(m, ṁ) as UFL expressions of the Constant ``t`` (s) and the SI coordinate ``x``."""
        import ufl
        tv = ufl.variable(t)
        m = ufl.as_vector(self.func(tv, x))
        if m.ufl_shape != (3,):
            raise validation.ValidationError("MagnetizationFunction", "func",
                                             "a function returning a 3-vector",
                                             f"one returning shape {m.ufl_shape}")
        return m, ufl.diff(m, tv)
