"""Seed 000, Sec. III: spin-current absorption driven by a spin accumulation (Eqs. 28-33).

Tsutsui, Hosono & Yokoyama (2018; notes shared/notes/seed-000.md §2.6-2.7; docs/seed000.md).
Two normal metals with different impurity spin-orbit strengths λ_SO meet at an interface Γ;
a spin accumulation μ_s(r, t) (from a spin-charge solve) varies in one of them.  The
vertex-corrected currents (28) and (30) are convolutions of the kernel 𝒟 of Eq. (29) with

    S12[α, m] = Σ_c (∂_αλ ∂_c∂_m μ^c - ∂_cλ ∂_α∂_m μ^c)      ("interplay", ζ_(1,2), Eq. 28)
    S21[α, m] = Σ_c (∂_αμ^c ∂_c∂_m λ - ∂_cμ^c ∂_α∂_m λ)      ("uniform input", ζ_(2,1), Eq. 30)

(α: spin polarisation of the generated current, m: its flow direction).  The paper writes
them for μ_s polarised along z (c = z only); the sum over c is the rotation-covariant form
(spin and space rotate together in H_SO, Eq. 3) [derived here, not in the paper].  With
λ_SO per region, ∇λ = Δλ n δ_Γ and ∂_k∂_lλ = Δλ n_k n_l ∂_nδ_Γ at a planar step (n from
the first to the second region, :func:`kinetics.physics.soc_currents.lambda_so_steps`), so::

    S12[α, m] = Δλ (n_α Σ_c ∂_c∂_mμ^c - Σ_c n_c ∂_α∂_mμ^c) δ_Γ                  (a sheet)
    S21[α, m] = f ∂_nδ_Γ = ∂_n(f δ_Γ) - (∂_nf) δ_Γ,
                f = Δλ n_m (Σ_c n_c ∂_αμ^c - n_α Σ_c ∂_cμ^c)                  (dipole + sheet)

(:class:`~kinetics.physics.soc_propagator.SheetDipole` and ``Sheet``); a smooth λ_SO(r)
(a UFL expression) gives volume sources instead.  For z-polarised μ_s(y, z) and n = e_z
these are Eq. (32): (j̃^y)_z ∝ -ζ_(1,2) ∂_zλ ∂_z∂_yμ + ζ_(2,1) ∂_yμ ∂_z²λ, and (31), (33):
(j̃^x)_z = (j̃^z)_z = 0 (the tensor is antisymmetric under α ↔ polarisation).

The kernel (29) contains δ(r₂ - r₁) (notes §2.6), so with time dependence e^{iΩt} and
Σ_q → ∫d³q/(2π)³ (standard normalisation; the printed real-space (C10) is a 1D heat kernel
without θ(t) and factors, not used) each current is a complex screened diffusion

    (-∇² + p²) Ψ = S,   p² = ξ² + iΩ/D,   Re p > 0,     ĵ = ζ (1-κ)(1+3κ) (iΩ/(Dτ)) Ψ,

ξ = √(4κ/Dτ), κ = λ_SO²k_F⁴/3, D = 2ε_Fτ/3m (Sec. III, C6-C10).  Erratum: the printed
kernel Ω(1-κ)(1+3κ)/[Dτ(k²+ξ²) + iΩτ] is odd under Ω → -Ω without conjugation, i.e.
imaginary in time; the factor i of Eq. (27) restores a real response,
j̃(t) = ζ(1-κ)(1+3κ)(Dτ)⁻¹ ∂_tΨ(t) with (D⁻¹∂_t - ∇² + ξ²)Ψ = S (``phase="restored"``,
default; ``"printed"`` omits the i).  The sign of that i is not fixed by the paper (the other
choice flips every Sec. III current).  The currents respond to ∂_tμ_s: a static drive
gives none (the paper takes no static limit).  A quasi-static drive (Ωτ_sf ≪ 1 of the
metal) is μ_s(r, t) = Re[μ̂_s(r) e^{iΩt}] with μ̂_s the static spin-charge solution per unit
drive, and j̃(r, t) = Re[ĵ(r) e^{iΩt}].

Units: the paper's μ_s = (μ↑ - μ↓)/2 is an energy; the framework's spin accumulation is
(μ↑ - μ↓)/e in volts (design.md), so μ_s^paper = (e/2) μ_s.  λ_SO in m² (κ dimensionless),
ζ in s/m, S in J/m, Ψ in J·m, ĵ in J/m² (the paper's spin-current density; its
normalisation, σ or ħσ/2 per particle, is not fixed by Eq. 6, so no conversion to the
framework's A/m² is claimed).  Mesh coordinates in ``device.length_unit`` metres.
One κ (that of the absorbing metal, ``junction_coefficients``) holds on the whole device:
the paper's propagator is that of a homogeneous medium; κ per region is not implemented.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from kinetics import units, validation
from kinetics.physics import soc_currents, soc_propagator

__all__ = ["JunctionCoefficients", "junction_coefficients", "accumulation_sources",
           "AbsorbedCurrents", "absorbed_currents", "physical_gradient"]

OWNER = "soc_junction"
_PHASES = ("restored", "printed")
#: largest accepted κ: (1 - κ) of the spin ladder (C7) changes sign at κ = 1, and the
#: first-order expansion in λ_SO needs κ ≪ 1
KAPPA_MAX = 1.0


@dataclasses.dataclass(frozen=True)
class JunctionCoefficients:
    """Sec. III coefficients (SI): ``eps_F`` (J), ``tau`` (s), ``nu`` (J⁻¹m⁻³), ``mass``
    (kg), ``lambda_so`` (m², the absorbing metal's), ``k_F`` (1/m), ``kappa``
    = λ_SO²k_F⁴/3, ``D`` = 2ε_Fτ/3m (m²/s), ``xi`` = √(4κ/Dτ) (1/m), ``zeta12``
    = 4πħ²τν/3m and ``zeta21`` = (608πħ²τν/45m)(ε_Fτ/ħ)² (s/m, Eqs. 28, 30),
    ``vertex`` = (1-κ)(1+3κ) (Eq. 29)."""
    eps_F: float
    tau: float
    nu: float
    mass: float
    lambda_so: float
    k_F: float
    kappa: float
    D: float
    xi: float
    zeta12: float
    zeta21: float
    vertex: float

    @property
    def decay_length(self) -> float:
        """1/ξ (m): the static decay length of the absorbed currents (text below Eq. 29)."""
        return 1.0 / self.xi if self.xi > 0 else math.inf

    def screening(self, omega: float = 0.0) -> complex:
        """p = √(ξ² + iΩ/D) (1/m), Re p > 0, for Ω (rad/s, ≥ 0; time dependence e^{iΩt}).
        ValidationError for Ω < 0 or p = 0 (κ = 0 and Ω = 0: nothing screens)."""
        w = validation.nonnegative(OWNER, "omega", omega)
        p = complex(np.sqrt(complex(self.xi ** 2, w / self.D)))
        if not p.real > 0:
            raise validation.ValidationError(OWNER, "omega", "> 0 when κ = 0 (λ_SO = 0: "
                                             "no screening ξ)", f"{w:g}")
        return p

    def current_factor(self, omega: float, phase: str = "restored") -> complex:
        """ĵ/(ζΨ) = (1-κ)(1+3κ) iΩ/(Dτ) (``"restored"``) or without the i (``"printed"``),
        in 1/(m² s) (module docstring, Eq. 29)."""
        w = validation.nonnegative(OWNER, "omega", omega)
        phase = validation.choice(OWNER, "phase", phase, _PHASES)
        f = self.vertex * w / (self.D * self.tau)
        return complex(1j * f) if phase == "restored" else complex(f)


def junction_coefficients(eps_F, tau, nu, lambda_so, *, mass=units.m_e) -> JunctionCoefficients:
    """The Sec. III coefficients of a normal metal: Fermi energy ``eps_F`` (J), momentum
    relaxation time ``tau`` (s, the paper's τ = ħ/2πu₀²n_imp ν), density of states ``nu``
    (J⁻¹m⁻³), impurity spin-orbit strength ``lambda_so`` (m², the absorbing metal's; its
    sign does not enter κ), band ``mass`` (kg); k_F = √(2mε_F)/ħ.

    Raises
    ------
    kinetics.validation.ValidationError (ValueError)
        For non-positive or non-finite ε_F, τ, ν, mass, non-finite λ_SO, κ ≥ 1 (the ladder
        factor 1 - κ of Eq. C7 changes sign; the theory is first order in λ_SO) and
        ε_Fτ/ħ < 1 (the diffusive ladder needs ε_F ≫ ħ/τ).
    """
    eF = validation.positive(OWNER, "eps_F", eps_F)
    tau = validation.positive(OWNER, "tau", tau)
    nu = validation.positive(OWNER, "nu", nu)
    m = validation.positive(OWNER, "mass", mass)
    lam = validation.finite(OWNER, "lambda_so", lambda_so)
    if eF * tau / units.hbar < 1.0:
        raise validation.ValidationError(
            OWNER, "eps_F * tau / hbar", ">= 1 (weak disorder: the diffusion ladder of "
            "Eqs. C6-C7 needs ε_F ≫ ħ/τ)", f"{eF * tau / units.hbar:.3g}")
    kF = math.sqrt(2.0 * m * eF) / units.hbar
    kappa = lam * lam * kF ** 4 / 3.0
    if not kappa < KAPPA_MAX:
        raise validation.ValidationError(
            OWNER, "kappa = lambda_so² k_F⁴/3", "< 1 (1 - κ of Eq. C7 changes sign; "
            "the theory is first order in λ_SO: κ ≪ 1)", f"{kappa:.4g} (λ_SO = {lam:.4g} m², "
            f"k_F = {kF:.4g} 1/m)", f"|λ_SO| < {math.sqrt(3.0) / kF ** 2:.3g} m²")
    D = 2.0 * eF * tau / (3.0 * m)
    xi = math.sqrt(4.0 * kappa / (D * tau))
    z12 = 4.0 * math.pi * units.hbar ** 2 * tau * nu / (3.0 * m)
    z21 = 608.0 * math.pi * units.hbar ** 2 * tau * nu / (45.0 * m) * (eF * tau / units.hbar) ** 2
    return JunctionCoefficients(eF, tau, nu, m, lam, kF, kappa, D, xi, z12, z21,
                                (1.0 - kappa) * (1.0 + 3.0 * kappa))


# ------------------------------------------------------------------ sources

def physical_gradient(device, f) -> list:
    """∂_k f along the physical axes k = x, y, z (1/m) of a UFL scalar ``f`` on
    ``device.mesh``: a list of 3 UFL expressions (0 along axes the mesh does not span)."""
    import ufl
    g = ufl.grad(f)
    out = [0.0, 0.0, 0.0]
    for a, ax in enumerate(device.axes):
        out["xyz".index(ax)] = g[a] / device.length_unit
    return out


def _d(device, f):
    """physical_gradient, with exact zeros kept as 0.0."""
    if _is_zero(f):
        return [0.0, 0.0, 0.0]
    return physical_gradient(device, f)


def _component(name, value):
    """(α, m) from a pair of ints 0..2 or a two-letter string like "yz"."""
    if isinstance(value, str) and len(value) == 2 and set(value) <= set("xyz"):
        return "xyz".index(value[0]), "xyz".index(value[1])
    try:
        a, m = value
        a, m = int(validation.integer(OWNER, name, a, 0, 2)), int(
            validation.integer(OWNER, name, m, 0, 2))
    except (TypeError, ValueError):
        raise validation.ValidationError(OWNER, name, "(α, m) with α, m in 0..2 or a string "
                                         "like 'yz' (polarisation, flow)", repr(value)) from None
    return a, m


def _is_zero(expr) -> bool:
    import ufl
    return (isinstance(expr, (int, float)) and expr == 0.0) or isinstance(
        expr, ufl.constantvalue.Zero)


def _sum(terms):
    total = 0.0
    for t in terms:
        if not _is_zero(t):
            total = t if _is_zero(total) else total + t
    return total


def _mu_derivatives(device, mu_s):
    """(μ^c in J, g[c][k] = ∂_kμ^c in J/m, H[c][k][l] in J/m²) of the framework μ_s
    (volts, UFL 3-vector) in the paper's energy units μ^paper = (e/2) μ_s."""
    import ufl
    if getattr(mu_s, "ufl_shape", None) != (3,):
        raise validation.ValidationError(OWNER, "mu_s", "a UFL 3-vector (volts) on the "
                                         "device mesh, e.g. Solution.mu_s",
                                         repr(getattr(mu_s, "ufl_shape", type(mu_s).__name__)))
    domain = ufl.domain.extract_unique_domain(mu_s)
    if domain is not None and domain != device.mesh.ufl_domain():
        raise validation.ValidationError(OWNER, "mu_s", "defined on the device's mesh",
                                         "another mesh")
    mu = [0.5 * units.e * mu_s[c] for c in range(3)]
    g = [_d(device, mu[c]) for c in range(3)]
    H = [[_d(device, g[c][k]) for k in range(3)] for c in range(3)]
    return mu, g, H


def accumulation_sources(device, lambda_so, mu_s, component) -> tuple:
    """The sources of one component (α, m) of Eqs. (28), (30) for the propagator solve:
    ``(sources12, sources21)``, lists of :mod:`~kinetics.physics.soc_propagator` sources
    (Sheet, SheetDipole or Volume; empty when the component vanishes identically), in SI
    (J/m for a volume density, J for a sheet, J·m for a dipole).

    ``lambda_so``: a dict region -> λ_SO (m², steps at tagged planar interfaces) or a UFL
    scalar expression of the mesh coordinates (m², a smooth profile: volume sources).
    ``mu_s``: the framework's spin accumulation (UFL 3-vector on ``device.mesh``, volts,
    e.g. ``SpinChargeProblem.solve().mu_s``); ``component``: (α, m) ints or e.g. "yz".

    Raises ValidationError for a bad component or μ_s and the errors of
    :func:`kinetics.physics.soc_currents.lambda_so_steps` (unknown or missing regions, no
    step, untagged or curved steps).
    """
    a, m = _component("component", component)
    mu, g, H = _mu_derivatives(device, mu_s)
    if isinstance(lambda_so, dict):
        s12, s21 = [], []
        cs = [c for c in range(3) if c != a]        # c = α cancels identically
        for st in soc_currents.lambda_so_steps(device, lambda_so):
            n, dl = [float(v) for v in st.normal], st.jump
            sheet = _sum([dl * n[a] * H[c][c][m] for c in cs if n[a]]
                         + [-dl * n[c] * H[c][a][m] for c in cs if n[c]])
            f = _sum([dl * n[m] * n[c] * g[c][a] for c in cs if n[m] * n[c]]
                     + [-dl * n[m] * n[a] * g[c][c] for c in cs if n[m] * n[a]])
            dnf = _sum([dl * n[m] * n[k] * n[c] * H[c][k][a] for k in range(3) for c in cs
                        if n[m] * n[k] * n[c]]
                       + [-dl * n[m] * n[a] * n[k] * H[c][k][c] for k in range(3) for c in cs
                          if n[m] * n[a] * n[k]])
            if not _is_zero(sheet):
                s12.append(soc_propagator.Sheet(st.name, sheet))
            if not _is_zero(f):
                s21.append(soc_propagator.SheetDipole(st.name, f, tuple(n)))
            if not _is_zero(dnf):
                s21.append(soc_propagator.Sheet(st.name, -dnf))
        return s12, s21
    if getattr(lambda_so, "ufl_shape", None) != ():
        raise validation.ValidationError(OWNER, "lambda_so", "a dict region -> λ_SO (m²) or a "
                                         "UFL scalar expression (m²)", repr(lambda_so))
    dlam = _d(device, lambda_so)
    hlam = [_d(device, dlam[k]) for k in range(3)]
    cs = [c for c in range(3) if c != a]            # c = α cancels identically
    v12 = _sum([dlam[a] * H[c][c][m] for c in cs] + [-dlam[c] * H[c][a][m] for c in cs])
    v21 = _sum([g[c][a] * hlam[c][m] for c in cs] + [-g[c][c] * hlam[a][m] for c in cs])
    return ([] if _is_zero(v12) else [soc_propagator.Volume(v12)],
            [] if _is_zero(v21) else [soc_propagator.Volume(v21)])


# ------------------------------------------------------------------ currents

class AbsorbedCurrents:
    """The absorbed currents of Eqs. (28)-(33) at one drive frequency: ``coef``
    (:class:`JunctionCoefficients`), ``omega`` (rad/s), ``p`` (1/m), ``factor`` (the
    :meth:`JunctionCoefficients.current_factor`), ``psi`` {(α, m): (Ψ12, Ψ21)}
    (:class:`~kinetics.physics.soc_propagator.Propagator` or None for a vanishing source;
    Ψ in J·m).  Components not solved are 0."""

    def __init__(self, device, coef, omega, p, factor, psi):
        self.device, self.coef, self.omega = device, coef, omega
        self.p, self.factor, self.psi = p, factor, psi

    def at(self, points, term: str = "total") -> np.ndarray:
        """The phasor ĵ[n, α, m] (N, 3, 3) complex, J/m², at points (N, 3) in metres
        (j̃(t) = Re[ĵ e^{iΩt}]); ``term`` "total", "12" (ζ_(1,2), Eq. 28) or "21" (ζ_(2,1),
        Eq. 30).  Collective; the same on every rank; ValidationError for points outside."""
        term = validation.choice(OWNER, "term", term, ("total", "12", "21"))
        pts = np.atleast_2d(np.asarray(points, dtype=float))
        out = np.zeros((len(pts), 3, 3), dtype=complex)
        for (a, m), (p12, p21) in self.psi.items():
            if p12 is not None and term in ("total", "12"):
                out[:, a, m] += self.coef.zeta12 * self.factor * p12.values(pts)
            if p21 is not None and term in ("total", "21"):
                out[:, a, m] += self.coef.zeta21 * self.factor * p21.values(pts)
        return out

    def functions(self, term: str = "total") -> dict:
        """{(α, m): (real, imag)} dolfinx Functions of ĵ[α, m] (J/m², the propagator's
        Lagrange space) for output; ``term`` as :meth:`at`."""
        from dolfinx import fem
        term = validation.choice(OWNER, "term", term, ("total", "12", "21"))
        out = {}
        for (a, m), (p12, p21) in self.psi.items():
            parts = [(self.coef.zeta12, p12)] if term in ("total", "12") else []
            parts += [(self.coef.zeta21, p21)] if term in ("total", "21") else []
            parts = [(z, P) for z, P in parts if P is not None]
            if not parts:
                continue
            V = parts[0][1].real.function_space
            re, im = fem.Function(V), fem.Function(V)
            re.name, im.name = f"j_{'xyz'[a]}{'xyz'[m]}_re", f"j_{'xyz'[a]}{'xyz'[m]}_im"
            for z, P in parts:
                c = z * self.factor
                re.x.array[:] += c.real * P.real.x.array - c.imag * P.imag.x.array
                im.x.array[:] += c.imag * P.real.x.array + c.real * P.imag.x.array
            out[(a, m)] = (re, im)
        return out


def absorbed_currents(device, coef: JunctionCoefficients, lambda_so, mu_s, *, omega: float,
                      components=("xz", "yz", "zz"), robin=(), degree: int = 2,
                      phase: str = "restored", min_decay_lengths: float = 3.0,
                      on_short: str = "warn", solver: str = "direct") -> AbsorbedCurrents:
    """The absorbed spin currents (28)-(33) on ``device`` for λ_SO (:func:`accumulation_sources`)
    and the spin accumulation ``mu_s`` (volts; the amplitude μ̂_s of a drive at Ω) at the drive
    frequency ``omega`` (rad/s): one operator -∇² + p² (Robin ∂_nΨ = -pΨ on ``robin``
    facets, zero flux elsewhere, Lagrange ``degree``), two solves per requested component
    (α, m) with a source.  Default components: the flow across a z-normal interface,
    (j̃^x)_z, (j̃^y)_z, (j̃^z)_z of Eqs. (31)-(33).

    Raises the errors of :func:`accumulation_sources`,
    :meth:`JunctionCoefficients.screening` and of the propagator
    (:class:`~kinetics.physics.soc_propagator.ScreenedDiffusion`: unknown Robin names, a
    Robin boundary closer than ``min_decay_lengths`` decay lengths 1/Re p to the sources:
    TruncationWarning, or ValidationError with ``on_short="raise"``); ValidationError when
    no requested component has a source.
    """
    if not isinstance(coef, JunctionCoefficients):
        raise validation.ValidationError(OWNER, "coef", "JunctionCoefficients",
                                         type(coef).__name__)
    p = coef.screening(omega)
    factor = coef.current_factor(omega, phase)
    if isinstance(components, str):
        components = (components,)
    comps = [_component("components", c) for c in components]
    if not comps:
        raise validation.ValidationError(OWNER, "components", "at least one (α, m)", "none")
    sources = {c: accumulation_sources(device, lambda_so, mu_s, c) for c in comps}
    if not any(s12 or s21 for s12, s21 in sources.values()):
        raise validation.ValidationError(
            OWNER, "components", "a component with a source (∇λ_SO and ∇μ_s not parallel)",
            f"no source for {['xyz'[a] + 'xyz'[m] for a, m in comps]}")
    op = soc_propagator.ScreenedDiffusion(device, p, robin=robin, degree=degree, solver=solver)
    psi = {}
    for c, (s12, s21) in sources.items():
        psi[c] = tuple(op.solve(s, 1.0, omega=omega, min_decay_lengths=min_decay_lengths,
                                on_short=on_short) if s else None for s in (s12, s21))
    return AbsorbedCurrents(device, coef, float(omega), p, factor, psi)
