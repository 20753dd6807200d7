"""Closed forms of spin pumping into a film (the references of :mod:`kinetics.models.pumping`).

Conventions and the boundary condition are those of :mod:`kinetics.physics.pumping`
(Tserkovnyak, Brataas & Bauer, PRL 88, 117601 (2002); docs/pumping.md): μ_s in volts, j_s in
A/m², n out of the metal, u(t) = Re[û e^{+iωt}].
"""

from __future__ import annotations

import math

import numpy as np

from kinetics.physics.pumping import HBAR_OVER_E, Precession, pump_accumulation

__all__ = ["film_spin_conductance", "effective_mixing_conductance", "dc_pumped_spin_current",
           "film_pumped_accumulation", "ishe_voltage_film", "ishe_current_film",
           "film_pumping_exact"]


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
    :mod:`kinetics.models.pumping` with contacts at the x ends.  At each of ``samples``
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
    from kinetics.analytic.film import conductance_matrix
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
