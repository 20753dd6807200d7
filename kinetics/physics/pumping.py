"""Spin pumping at an HM|FI interface with a prescribed magnetization m(t): sources and closed forms.

A precessing magnet pumps a spin current into the adjacent metal (Tserkovnyak, Brataas &
Bauer, PRL 88, 117601 (2002)).  The metal's spin accumulation flows back through the same
mixing conductance.  This module provides the pumped source, the magnetization dynamics
that drive it (:class:`Precession`, :class:`MagnetizationFunction`), and the closed forms of
a film that the finite-element driver :mod:`kinetics.pumping_problem` is tested against.

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
real matrix (:meth:`kinetics.pumping_problem.PumpingProblem.linear_response`).  At second
order the DC has a rectification term ⟨δ𝐆 μ₁⟩: the oscillating conductance times the
first-harmonic accumulation.  Outside linear response, the period average of instantaneous
solves is exact (:meth:`~kinetics.pumping_problem.PumpingProblem.periodic`).

Harmonic convention: u(t) = Re[û e^{+iωt}].  This is the phasor convention of electrical
engineering and of seed 002.  Amplitudes in the physics convention e^{−iωt} are the complex
conjugates.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np

from kinetics import units

__all__ = ["pump_accumulation", "pumped_spin_current", "Precession", "MagnetizationFunction",
           "film_spin_conductance", "effective_mixing_conductance", "dc_pumped_spin_current",
           "film_pumped_accumulation", "ishe_voltage_film", "ishe_current_film",
           "film_pumping_exact"]

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


def _unit(name: str, v) -> np.ndarray:
    a = np.asarray(v, dtype=float)
    if a.shape != (3,) or not np.all(np.isfinite(a)) or np.linalg.norm(a) == 0:
        raise ValueError(f"{name} must be a finite non-zero 3-vector, got {v!r}")
    return a / np.linalg.norm(a)


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
    ValueError
        For a zero or non-finite axis, θ_c outside [0, π/2], ω = 0, or a reference parallel
        to the axis.
    """

    axis: tuple = (0.0, 0.0, 1.0)
    cone_angle: float = 0.1
    omega: float = 2 * math.pi * 10e9
    phase: float = 0.0
    reference: tuple | None = None

    def __post_init__(self):
        a = _unit("Precession: axis", self.axis)
        object.__setattr__(self, "axis", tuple(a))
        th = float(self.cone_angle)
        if not 0.0 <= th <= math.pi / 2:
            raise ValueError(f"Precession: cone_angle must be in [0, pi/2] rad, got {th}")
        if not (np.isfinite(self.omega) and self.omega != 0):
            raise ValueError(f"Precession: omega must be finite and non-zero (rad/s), got {self.omega}")
        ref = np.array([0.0, 0.0, 1.0]) if abs(a[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
        if self.reference is not None:
            ref = _unit("Precession: reference", self.reference)
        e1 = ref - (ref @ a) * a
        if np.linalg.norm(e1) < 1e-8:
            raise ValueError("Precession: reference is parallel to the axis")
        object.__setattr__(self, "cone_angle", th)
        object.__setattr__(self, "omega", float(self.omega))
        object.__setattr__(self, "_basis", (a, e1 / np.linalg.norm(e1), np.cross(a, e1 / np.linalg.norm(e1))))

    @property
    def period(self) -> float:
        """2π/|ω| in seconds."""
        return 2 * math.pi / abs(self.omega)

    @property
    def basis(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(â, ê₁, ê₂), orthonormal and right-handed."""
        return self._basis

    def m(self, t) -> np.ndarray:
        """m(t), shape (3,) or (len(t), 3)."""
        a, e1, e2 = self._basis
        psi = self.omega * np.asarray(t, dtype=float)[..., None] + self.phase
        th = self.cone_angle
        return math.cos(th) * a + math.sin(th) * (np.cos(psi) * e1 + np.sin(psi) * e2)

    def mdot(self, t) -> np.ndarray:
        """ṁ(t) in 1/s, shape (3,) or (len(t), 3)."""
        a, e1, e2 = self._basis
        psi = self.omega * np.asarray(t, dtype=float)[..., None] + self.phase
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


def check_time_function(owner: str, func, period) -> None:
    """Validate a prescribed field f(t, x) and its optional period (s).

    Raises
    ------
    TypeError
        If ``func`` is not callable.
    ValueError
        For a period that is not positive and finite.
    """
    if not callable(func):
        raise TypeError(f"{owner}: func must be callable f(t, x), got {func!r}")
    if period is not None and not (np.isfinite(period) and period > 0):
        raise ValueError(f"{owner}: period must be positive (s), got {period}")


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
    ValueError
        For a non-positive period.
    """

    func: Callable
    period: float | None = None

    def __post_init__(self):
        check_time_function("MagnetizationFunction", self.func, self.period)

    def ufl(self, t, x):
        """(m, ṁ) as UFL expressions of the Constant ``t`` (s) and the SI coordinate ``x``."""
        import ufl
        tv = ufl.variable(t)
        m = ufl.as_vector(self.func(tv, x))
        if m.ufl_shape != (3,):
            raise ValueError(f"MagnetizationFunction: func must return a 3-vector, got shape {m.ufl_shape}")
        return m, ufl.diff(m, tv)


# ---------------------------------------------------------------------------- closed forms
def _check_film(d, sigma, lambda_sf):
    for name, v in (("d", d), ("sigma", sigma), ("lambda_sf", lambda_sf)):
        if not (np.isfinite(v) and v > 0):
            raise ValueError(f"{name} must be positive and finite (SI), got {v}")


def film_spin_conductance(d: float, sigma: float, lambda_sf: float, top: str = "insulator") -> float:
    """Spin conductance of a film seen from one face, g_b = n·j_s/μ_s, Ω⁻¹m⁻².

    Solving μ'' = μ/λ² across 0 < z < d with j_s = −(σ/2)μ' gives
    g_b = (σ/2λ) tanh(d/λ) when the top z = d is insulating (j_s = 0) and
    g_b = (σ/2λ) coth(d/λ) when it is a spin reservoir (μ_s = 0).

    Parameters
    ----------
    d, sigma, lambda_sf:
        Thickness (m), conductivity (S/m), spin diffusion length (m).
    top:
        ``"insulator"`` or ``"reservoir"``.

    Raises
    ------
    ValueError
        For non-positive parameters or an unknown ``top``.
    """
    _check_film(d, sigma, lambda_sf)
    x = d / lambda_sf
    if top == "insulator":
        return sigma / (2 * lambda_sf) * math.tanh(x)
    if top == "reservoir":
        return sigma / (2 * lambda_sf) / math.tanh(x)
    raise ValueError(f"top must be 'insulator' or 'reservoir', got {top!r}")


def effective_mixing_conductance(G_r: float, G_i: float, g_b: float) -> complex:
    """G_eff = g_b G↑↓/(g_b + G↑↓), G↑↓ = G_r + iG_i, in Ω⁻¹m⁻²: the mixing conductance
    in series with the metal (spin backflow).

    The series form 1/G_eff = 1/G↑↓ + 1/g_b is the one of Jiao & Bauer, PRL 110, 217602
    (2013) and of Mosendz et al., PRB 82, 214403 (2010).  g_b = inf gives G↑↓: no backflow,
    a perfect sink.  Only Re G_eff enters the DC.  It does not depend on the sign convention
    of G_i.
    """
    G = complex(G_r, G_i)
    if math.isinf(g_b):
        return G
    return g_b * G / (g_b + G)


def dc_pumped_spin_current(omega: float, cone_angle: float, G_r: float, G_i: float = 0.0,
                           g_b: float = math.inf) -> float:
    """DC spin current pumped into a metal by uniform precession, net of backflow, A/m².

        j_s⁰ = (ħ/e) ω sin²θ_c Re G_eff,   G_eff = g_b G↑↓/(g_b + G↑↓)

    It is polarized along the precession axis (ω > 0).  The result is exact at any cone
    angle for a spin-isotropic metal (θ_SH → 0).  In the frame rotating with m the problem
    is static, and the DC is the axial part of the rotating-frame solution.  g_b = inf gives
    the perfect-sink value (ħ/e) G_r ω sin²θ_c.

    Parameters
    ----------
    omega:
        Angular frequency (rad/s).
    cone_angle:
        Cone angle θ_c (rad).
    G_r, G_i:
        Mixing conductance (Ω⁻¹m⁻²).
    g_b:
        Spin conductance of the metal (:func:`film_spin_conductance`).
    """
    return HBAR_OVER_E * omega * math.sin(cone_angle) ** 2 * \
        effective_mixing_conductance(G_r, G_i, g_b).real


def film_pumped_accumulation(z, d, sigma, lambda_sf, omega, cone_angle, G_r, G_i=0.0,
                             top: str = "insulator") -> np.ndarray:
    """DC spin accumulation along the precession axis across a film on the magnet (volts).

    The film spans 0 < z < d with the magnet at z = 0.  With an insulating top,
    μ(z) = (j_s⁰/g_b) cosh((d − z)/λ)/cosh(d/λ); with a reservoir top,
    μ(z) = (j_s⁰/g_b) sinh((d − z)/λ)/sinh(d/λ).  j_s⁰ is from
    :func:`dc_pumped_spin_current` and g_b from :func:`film_spin_conductance`.  Valid for
    θ_SH → 0 at any cone angle.

    Returns
    -------
    numpy.ndarray with the shape of z.
    """
    g_b = film_spin_conductance(d, sigma, lambda_sf, top)
    js = dc_pumped_spin_current(omega, cone_angle, G_r, G_i, g_b)
    z = np.asarray(z, dtype=float)
    if top == "insulator":
        return js / g_b * np.cosh((d - z) / lambda_sf) / math.cosh(d / lambda_sf)
    return js / g_b * np.sinh((d - z) / lambda_sf) / math.sinh(d / lambda_sf)


def ishe_voltage_film(d: float, sigma: float, lambda_sf: float, theta_sh: float, length: float,
                      omega: float, cone_angle: float, G_r: float, G_i: float = 0.0,
                      geometry: float = 1.0) -> float:
    """Open-circuit DC inverse spin Hall voltage of a strip on a precessing magnet, volts.

        V_ISHE = θ_SH L λ tanh(d/2λ) j_s⁰ / (σ d) · [(p̂ × n̂)·ê_L]
        j_s⁰   = (ħ/e) ω sin²θ_c Re[g_b G↑↓/(g_b + G↑↓)],   g_b = (σ/2λ) tanh(d/λ)

    Derivation (our conventions).  The DC accumulation from
    :func:`film_pumped_accumulation` has polarization p̂ and spin current j_s⁰ into the film
    along n̂ (from the magnet into the metal).  Locally, j_c = σE + θ_SH (p̂×n̂)·J_pz(z),
    J_pz = −(σ/2)μ'.  Open circuit sets the thickness-averaged current to zero along ê_L,
    so E·ê_L = −θ_SH (p̂×n̂)·ê_L ⟨J_pz⟩/σ.  Also ⟨J_pz⟩ = (σ/2d)(μ(0) − μ(d)) =
    (λ/d) tanh(d/2λ) j_s⁰, because (1 − sech x)/tanh x = tanh(x/2).  V(end) − V(start) =
    −E·ê_L L gives the formula.  It is first order in θ_SH: the spin Hall back-action and the
    SMR modulation of the film are O(θ_SH²); :func:`film_pumping_exact` includes them.
    Mosendz et al., PRB 82, 214403 (2010) and Ando et al., J. Appl. Phys. 109, 103913 (2011)
    write V_ISHE = θ_SH λ L tanh(d/2λ) j_s⁰/(σ_N d_N + σ_F d_F).  For an insulating magnet
    (σ_F d_F = 0) that is this formula.  Their j_s⁰ = (2e/ħ)(ħω/4π) g_eff sin²θ_c is in
    angular-momentum units with g↑↓ in m⁻², and equals ours with G = (e²/h) g.  Ando's
    ellipticity factor replaces sin²θ_c for elliptical precession.

    Parameters
    ----------
    d, sigma, lambda_sf, theta_sh:
        Film thickness (m), conductivity (S/m), spin diffusion length (m), spin Hall angle.
    length:
        Distance L between the voltage contacts along ê_L (m).
    omega, cone_angle:
        Precession frequency (rad/s) and cone angle (rad).
    G_r, G_i:
        Mixing conductance (Ω⁻¹m⁻²).
    geometry:
        (p̂ × n̂)·ê_L, with p̂ the precession axis, n̂ the film normal pointing from the magnet
        into the metal, ê_L the direction from the − to the + contact.  It is 1 for
        p̂ = ŷ, n̂ = ẑ, ê_L = x̂.

    Returns
    -------
    V(+) − V(−) in volts.
    """
    g_b = film_spin_conductance(d, sigma, lambda_sf)
    js = dc_pumped_spin_current(omega, cone_angle, G_r, G_i, g_b)
    return geometry * theta_sh * length * lambda_sf * math.tanh(d / (2 * lambda_sf)) * js / (sigma * d)


def ishe_current_film(d, sigma, lambda_sf, theta_sh, omega, cone_angle, G_r, G_i=0.0,
                      geometry: float = 1.0) -> float:
    """Short-circuit DC ISHE current per unit width of a strip, A/m (to first order in θ_SH).

        I_sc/w = θ_SH λ tanh(d/2λ) j_s⁰ · [(p̂ × n̂)·ê_L]

    This is the current along ê_L through a shorted strip.  It flows into the strip through
    the contact at its start and out at its end.  V_ISHE = −I_sc R, with R = L/(σ w d) the
    strip resistance (:func:`ishe_voltage_film`).  Parameters as in :func:`ishe_voltage_film`.
    """
    g_b = film_spin_conductance(d, sigma, lambda_sf)
    js = dc_pumped_spin_current(omega, cone_angle, G_r, G_i, g_b)
    return geometry * theta_sh * lambda_sf * math.tanh(d / (2 * lambda_sf)) * js


def _film_instant(d, sigma, lam, theta, Gm, mu_p, Ex):
    """μ(0), μ(d) of the 1D film for a given E_x (E_y = 0): see film_pumping_exact."""
    ch, sh = math.cosh(d / lam), math.sinh(d / lam)
    s0 = np.array([0.0, -theta * sigma * Ex, 0.0])
    k = 2 * lam / sigma
    c1 = np.linalg.solve(sh * np.eye(3) + k * ch * Gm, k * ((1 - ch) * s0 + ch * Gm @ mu_p))
    c2 = k * (Gm @ (c1 - mu_p) + s0)
    return c1, c1 * ch + c2 * sh


def film_pumping_exact(d, sigma, lambda_sf, theta_sh, precession: Precession, G_r, G_i=0.0,
                       G_s=0.0, circuit: str = "open", samples: int = 16) -> dict:
    """Quasi-static 1D film solution with the full spin Hall back-action, averaged over a period.

    Geometry: film 0 < z < d on the magnet (z = 0, outward normal −ẑ), vacuum at z = d,
    uniform along x and y.  This is the x-z cross-section of
    :mod:`kinetics.pumping_problem` with contacts at the x ends.  At each of ``samples``
    instants t_k = kT/N the problem is linear and exact.  μ = c₁ cosh(z/λ) + c₂ sinh(z/λ)
    with

        [sinh(d/λ) I + (2λ/σ) cosh(d/λ) 𝐆] c₁ = (2λ/σ) [(1 − cosh(d/λ)) s₀ + cosh(d/λ) 𝐆 μ_p],
        c₂ = (2λ/σ) [𝐆(c₁ − μ_p) + s₀],   s₀ = (0, −θσE_x, 0),   μ_p = (ħ/e) m×ṁ,

    where 𝐆 = 𝐆(m(t_k)).  E_x follows from the circuit.  ``"open"``: the thickness-averaged
    j_x = σE_x − (θσ/2d)(μ_y(d) − μ_y(0)) vanishes.  ``"short"``: E_x = 0.  The trapezoidal
    average over the samples is spectrally accurate in ``samples``.

    Parameters
    ----------
    d, sigma, lambda_sf, theta_sh:
        Film thickness (m), conductivity (S/m), spin diffusion length (m), spin Hall angle.
    precession:
        A :class:`Precession`.
    G_r, G_i, G_s:
        Interface conductances (Ω⁻¹m⁻²).
    circuit:
        ``"open"`` or ``"short"``.
    samples:
        Instants per period (>= 4).

    Returns
    -------
    dict with ``E_x`` (V/m, DC), ``I_per_width`` (A/m: DC current per unit width along +x,
    zero when open), ``mu_bottom`` and ``mu_top`` (DC μ_s(0) and μ_s(d), volts, shape (3,)),
    ``js_in`` (DC spin current into the film at z = 0, A/m², shape (3,)), and ``E_x_samples``.

    Raises
    ------
    ValueError
        For an unknown circuit or fewer than 4 samples.
    """
    from kinetics.analytic import conductance_matrix
    _check_film(d, sigma, lambda_sf)
    if circuit not in ("open", "short"):
        raise ValueError(f"circuit must be 'open' or 'short', got {circuit!r}")
    if int(samples) < 4:
        raise ValueError(f"samples must be >= 4, got {samples}")
    ts = np.arange(int(samples)) * precession.period / int(samples)
    out = {"E_x": [], "I": [], "mu0": [], "mud": [], "js": []}
    for t in ts:
        m, md = precession.m(t), precession.mdot(t)
        Gm = conductance_matrix(G_r, G_i, G_s, m=m)
        mu_p = pump_accumulation(m, md)
        Ex = 0.0
        if circuit == "open":
            def mean_jx(mu0, mud, Ex):
                return sigma * Ex - theta_sh * sigma / (2 * d) * (mud[1] - mu0[1])
            j0 = mean_jx(*_film_instant(d, sigma, lambda_sf, theta_sh, Gm, mu_p, 0.0), 0.0)
            j1 = mean_jx(*_film_instant(d, sigma, lambda_sf, theta_sh, Gm, 0 * mu_p, 1.0), 1.0)
            Ex = -j0 / j1
        mu0, mud = _film_instant(d, sigma, lambda_sf, theta_sh, Gm, mu_p, Ex)
        I = d * (sigma * Ex - theta_sh * sigma / (2 * d) * (mud[1] - mu0[1]))
        out["E_x"].append(Ex)
        out["I"].append(I)
        out["mu0"].append(mu0)
        out["mud"].append(mud)
        out["js"].append(-Gm @ (mu0 - mu_p))   # into the film: −n·j_s = −𝐆(μ − μ_p)
    return {"E_x": float(np.mean(out["E_x"])), "I_per_width": float(np.mean(out["I"])),
            "mu_bottom": np.mean(out["mu0"], axis=0), "mu_top": np.mean(out["mud"], axis=0),
            "js_in": np.mean(out["js"], axis=0), "E_x_samples": np.array(out["E_x"])}
