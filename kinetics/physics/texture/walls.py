"""A precessing domain wall as a prescribed texture of the seed-002 model.

A 180° wall between domains along ∓â (the easy axis), centred at n̂·x = X with width w,
whose magnetization precesses rigidly about â (a wall above Walker breakdown, or a wall
oscillator driven by a field or spin torque along â):

    S = S₀ [tanh(u) â + sech(u) (cos ψ ê₁ + sin ψ ê₂)],   u = p (n̂·x − X)/w,   ψ = Ωt + ψ₀

i.e. the polar angle θ(u) = 2 arctan e^(−u) of the Walker profile (cos θ = tanh u,
sin θ = sech u), with ê₁, ê₂ of :class:`kinetics.physics.pumping.Precession`.  p = ±1 says
which domain points along +â (p = +1: −â for n̂·x < X, +â beyond); ψ₀ is the in-plane angle
of the wall's centre at t = 0 (Bloch or Néel type for a given n̂).  Direct substitution:

    S×Ṡ = S₀² Ω [sech²(u) â − tanh(u) sech(u) (cos ψ ê₁ + sin ψ ê₂)]

so the period average ⟨S×Ṡ⟩_t = S₀² Ω sech²(u) â: odd in Ω (the precession sense), even in
p and independent of ψ₀, with ∫ sech²(u) dn = 2w (the wall acts as a uniform precession at
cone angle π/2 over a length 2w).  The seed-002 sources built on it (Takeuchi, Hosono &
Tatara, PRB 81, 144405 (2010), Eqs. 13, 26, 31; our identification) are in
:mod:`kinetics.models.texture_charge`.
"""

from __future__ import annotations

import math

from kinetics import validation

__all__ = ["precessing_domain_wall", "domain_wall_func", "wall_source_integral"]

#: widest wall accepted (m)
WIDTH_LIMIT = 1.0


def precessing_domain_wall(axis=(0, 0, 1), normal=(1, 0, 0), center: float = 0.0,
                           width: float = 10e-9, Omega: float = 2 * math.pi * 1e9,
                           polarity: int = 1, phase: float = 0.0, magnitude: float = 1.0):
    """The precessing wall of the module docstring as an
    :class:`~kinetics.physics.texture.sources.AnalyticTexture` (period 2π/|Ω|).

    Parameters
    ----------
    axis:
        Easy axis â, the precession axis (3-vector, normalized).
    normal:
        Wall normal n̂ (3-vector, normalized): S varies along n̂ only.
    center:
        X, position of the wall centre along n̂, m (|X| <= 1 m).
    width:
        Wall width w, m, in [1e-12, 1].
    Omega:
        Precession angular frequency Ω, rad/s, non-zero (its sign is the sense).
    polarity:
        p = +1 or −1: the domain along +â lies at n̂·x > X (+1) or < X (−1).
    phase:
        ψ₀, rad: in-plane angle of the wall centre at t = 0.
    magnitude:
        S₀ (dimensionless; the exchange J carries the physical scale).

    Raises
    ------
    TypeError
        For numbers that are not numbers.
    kinetics.validation.ValidationError
        (a ValueError) A zero or non-finite axis or normal, Ω = 0 or too large, a width not
        in [1e-12, 1] m, |X| > 1 m, p not ±1, |magnitude| > 1e6.
    """
    from kinetics.physics.pumping import Precession
    from kinetics.physics.texture.sources import AnalyticTexture
    owner = "precessing_domain_wall"
    prec = Precession(axis=axis, cone_angle=0.0, omega=Omega, phase=phase)
    n = validation.direction(owner, "normal", normal)
    n = n / math.sqrt(float(n @ n))
    X = validation.finite(owner, "center", center, kind="a number (m)", limit=1.0)
    w = validation.positive(owner, "width", width, kind="a number (m)", limit=WIDTH_LIMIT,
                            tiny=1e-12)
    p = validation.integer(owner, "polarity", polarity, -1, 1)
    if p == 0:
        raise validation.ValidationError(owner, "polarity", "+1 or -1", "0")
    S0 = validation.finite(owner, "magnitude", magnitude, limit=1e6)
    func = domain_wall_func(prec.axis, tuple(n), X, w, prec.omega, p, prec.phase, S0)
    return AnalyticTexture(func, period=prec.period)


def domain_wall_func(axis, normal, center, width, Omega, polarity=1, phase=0.0, magnitude=1.0):
    """``func(t, x)`` of the precessing wall (module docstring) for
    :class:`~kinetics.physics.texture.sources.AnalyticTexture`, unchecked: ``center``,
    ``width``, ``Omega``, ``phase`` may be dolfinx Constants (runtime values: one compilation
    serves a whole scan; the caller keeps the period 2π/|Ω| of the AnalyticTexture right).
    Use :func:`precessing_domain_wall` for checked numbers.  axis, normal: unit 3-vectors."""
    import ufl
    from kinetics.physics.pumping import Precession
    a, e1, e2 = Precession(axis=axis, cone_angle=0.0).basis

    def func(t, x):
        u = polarity * (sum(float(normal[i]) * x[i] for i in range(3)) - center) / width
        psi = Omega * t + phase
        c, s = ufl.tanh(u), 1.0 / ufl.cosh(u)
        return [magnitude * (c * a[i] + s * (ufl.cos(psi) * e1[i] + ufl.sin(psi) * e2[i]))
                for i in range(3)]
    return func


def wall_source_integral(center: float, width: float, lo: float, hi: float) -> float:
    """∫_lo^hi sech²((s − X)/w) ds = w [tanh((hi − X)/w) − tanh((lo − X)/w)], m: the period
    average of |S×Ṡ|/(S₀²|Ω|) integrated along the wall normal over [lo, hi].

    Raises
    ------
    kinetics.validation.ValidationError
        For a width that is not positive, or hi < lo.
    """
    w = validation.positive("wall_source_integral", "width", width, kind="a number (m)")
    if hi < lo:
        raise validation.ValidationError("wall_source_integral", "hi", f">= lo = {lo:g}", f"{hi:g}")
    return w * (math.tanh((hi - center) / w) - math.tanh((lo - center) / w))
