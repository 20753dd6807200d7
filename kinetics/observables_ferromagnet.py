"""Spin-transfer torque on ferromagnetic metal layers (:mod:`kinetics.physics.ferromagnet`),
computed from a :class:`kinetics.models.spin_charge.Solution` (SI, MPI-reduced).

*The torque is the transverse spin current the layer absorbs.*  In a ferromagnetic region F
with uniform m the continuity equation of the bulk model is (module docstring of
:mod:`kinetics.physics.ferromagnet`; Zhang, Levy & Fert, PRL 88, 236601 (2002); Petitjean,
Luc & Waintal, PRL 109, 117204 (2012))

    ∂_iJ[a, i] = −(σ/2) [c_sf μ + (μ×m)/λ_J² + m×(μ×m)/λ_φ²]_a,

so by the divergence theorem the spin current flowing *into* F through its surface,
−∮ n·J dA, equals ∫_F (σ/2)[…] dx.  Its c_sf part is spin flip (angular momentum given to
the lattice); the precession (λ_J) and dephasing (λ_φ) parts are perpendicular to m and are
the angular momentum given to the magnetization:

    T = ∫_F (σ/2) [(μ×m)/λ_J² + m×(μ×m)/λ_φ²] dx          (A, charge-current units),
    τ = (ħ/2e) T / A_F                                     (J/m², A_F the layer's area).

*Same convention as the HM|FI interface* (:func:`kinetics.observables.interface_absorption`):
there the magnet absorbs the outflow n·j_s = G_r(μ − (m·μ)m) − G_i m×μ and
τ = (ħ/2e) × (that)/area.  For a thick F layer the correspondence is exact: with m = ẑ the
transverse accumulation μ₊ = μ_x + iμ_y entering F at its surface decays as μ₊(0)e^{−kx},
k² = c_sf + 1/λ_φ² − i/λ_J² (:func:`kinetics.analytic.gmr.transverse_wavenumber`), and the
spin current entering is −(σ/2)μ₊'(0) = (σ/2)k μ₊(0), while the interface gives
(G_r − iG_i)μ₊ (m×μ ↦ iμ₊).  Hence a thick F with c_sf = 0 absorbs exactly like an HM|FI
interface with

    G_r = (σ/2) Re k,    G_i = −(σ/2) Im k    (Im k < 0, so G_i > 0),

and the torque of both is the same (tests/test_spin_transfer.py).  When λ_J, λ_φ → 0 both
grow without bound: the layer becomes a perfect sink of transverse spin.

*Damping-like and field-like parts* for a reference polarization p (the fixed layer's m in
a spin valve): the components of τ along the unit vectors

    ê_DL = m×(p×m)/|p×m|,    ê_FL = p×m/|p×m|,

the directions of :func:`kinetics.observables.interface_torque` (with σ̂ → p), normalized so
that |τ_DL| and |τ_FL| are the magnitudes of the two parts for any angle between m and p
(Slonczewski, JMMM 159, L1 (1996) writes τ = a_J m×(p×m): then τ_DL = a_J |p×m|).  With
p ∥ m both directions are undefined and both parts are reported as zero.  A positive τ_DL
means the absorbed spin points along the part of p perpendicular to m.
"""

from __future__ import annotations

import numpy as np

from kinetics import units, validation

__all__ = ["layer_absorption", "layer_torque", "bulk_spin_relaxation"]


def _assemble(form) -> float:
    from dolfinx import fem
    from mpi4py import MPI
    f = fem.form(form)
    return f.mesh.comm.allreduce(fem.assemble_scalar(f), op=MPI.SUM)


def _ferromagnet_coefficients(sol, region: str, owner: str):
    """The :class:`kinetics.physics.ferromagnet.FerromagnetCoefficients` of ``region``."""
    problem = sol.problem
    regions = getattr(problem, "ferromagnetic_regions", [])
    validation.text(owner, "region", region)
    if region not in regions:
        raise KeyError(f"{owner}: '{region}' is not a ferromagnetic region of this problem; "
                       f"ferromagnetic regions: {', '.join(regions) or '(none)'}")
    return problem.coefficients(region)


def layer_absorption(sol, region: str) -> dict:
    """Spin current absorbed in the bulk of the ferromagnetic region ``region`` (module
    docstring; Zhang, Levy & Fert, PRL 88, 236601 (2002)).

    Returns
    -------
    dict with, each shape (3,) in A (A/m for a 2D cross-section, A/m² for a 1D stack):
        ``torque``: T = ∫ (σ/2)[(μ×m)/λ_J² + m×(μ×m)/λ_φ²] dx, the transverse spin current
        absorbed by the magnetization (⊥ m);
        ``spin_flip``: ∫ (σ/2) c_sf μ dx, c_sf = (1 − β²)/l_sf², given to the lattice;
        ``total``: their sum, ∫ (σ/2)R(μ) dx = the spin current flowing into the region
        through its surface (−∮ n·J dA, by the continuity equation);
    and ``m`` (3,), the region's magnetization.

    Raises
    ------
    KeyError
        If ``region`` is not a ferromagnetic region of the problem.
    kinetics.validation.ValidationError
        (a ValueError) If ``region`` is not a string.
    """
    import ufl
    coef = _ferromagnet_coefficients(sol, region, "layer_absorption")
    problem = sol.problem
    m, mu = coef.m, sol.mu_s
    mu_x_m = ufl.cross(mu, m)
    torque = 0.5 * coef.sigma * (coef.inv_lambda_J2 * mu_x_m
                                 + coef.inv_lambda_phi2 * ufl.cross(m, mu_x_m))
    flip = 0.5 * coef.sigma * coef.c_sf * mu
    dx = sol.dx(region)
    scale = problem.scaling.residual
    T = np.array([_assemble(torque[a] * dx) for a in range(3)]) * scale
    F = np.array([_assemble(flip[a] * dx) for a in range(3)]) * scale
    return {"torque": T, "spin_flip": F, "total": T + F,
            "m": np.array(coef.m.value, dtype=float)}


def layer_torque(sol, region: str, polarization, area=None, current=None) -> dict:
    """Spin-transfer torque per area on the ferromagnetic layer ``region``, split into
    damping-like and field-like parts about ``polarization`` (module docstring).

    Parameters
    ----------
    polarization:
        Reference direction p (3-vector, normalized here), e.g. the fixed layer's m.
    area:
        The layer's area A_F: m² (m for a 2D cross-section), or the name of a tagged
        surface whose area is used (e.g. the pillar's ``"spacer|free"`` interface).  Default:
        1 for a 1D stack (whose currents are already per m²); required otherwise.
    current:
        Optional applied charge current I (A; A/m in 2D, A/m² in 1D) for the efficiencies.

    Returns
    -------
    dict with
        ``torque_density`` (3,) J/m²: τ = (ħ/2e) T/A_F;
        ``tau_DL``, ``tau_FL`` J/m²: τ·ê_DL, τ·ê_FL (zero when p ∥ m);
        ``absorbed`` (3,) A: T (:func:`layer_absorption`); ``area`` (m²);
        ``angle`` rad: the angle between m and p;
        with ``current``: ``eta_DL``, ``eta_FL`` (dimensionless): T·ê_DL/I, T·ê_FL/I, the
        absorbed spin current per charge current, i.e. τ = η (ħ/2e) I/A_F.

    Raises
    ------
    KeyError
        If ``region`` is not a ferromagnetic region, or ``area`` names no surface.
    kinetics.validation.ValidationError
        (a ValueError) For a polarization that is not a finite non-zero 3-vector, an area
        that is not positive and finite, a missing area on a 2D or 3D mesh, or a current
        that is not a finite non-zero number.
    TypeError
        For an area or a current that is not a number.
    """
    owner = "layer_torque"
    p = validation.direction(owner, "polarization", polarization)
    p = p / np.linalg.norm(p)
    dev = sol.problem.device
    if area is None:
        if dev.dim != 1:
            raise validation.ValidationError(
                owner, "area", "the layer's area in m^2 (m in 2D) or a surface name",
                "None", f"needed on a {dev.dim}D mesh (a 1D stack is per unit area)")
        A = 1.0
    elif isinstance(area, str):
        A = dev.area(area)
    else:
        A = validation.positive(owner, "area", area)
    if current is not None:
        I = validation.finite(owner, "current", current)
        if I == 0:
            raise validation.ValidationError(owner, "current", "a non-zero current (A)", "0")
    absorbed = layer_absorption(sol, region)
    T, m = absorbed["torque"], absorbed["m"]
    pxm = np.cross(p, m)
    s = float(np.linalg.norm(pxm))
    if s < 1e-12:
        e_dl = e_fl = np.zeros(3)
    else:
        e_dl, e_fl = np.cross(m, pxm) / s, pxm / s
    tau = units.HBAR_OVER_2E * T / A
    out = {"torque_density": tau, "tau_DL": float(tau @ e_dl), "tau_FL": float(tau @ e_fl),
           "absorbed": T, "area": A,
           "angle": float(np.arctan2(s, float(np.clip(p @ m, -1.0, 1.0))))}
    if current is not None:
        out.update({"eta_DL": float(T @ e_dl) / I, "eta_FL": float(T @ e_fl) / I})
    return out


def bulk_spin_relaxation(sol, region: str) -> np.ndarray:
    """Spin current relaxed in the bulk of any region, ∫ (σ/2)R(μ) dx, shape (3,), A (A/m in
    2D, A/m² in 1D): R(μ) = μ/λ_sf² in a normal metal (Valet & Fert, PRB 48, 7099 (1993);
    the spin Hall terms of :mod:`kinetics.physics.spin_charge` act on the currents, not
    here) and c_sf μ + (μ×m)/λ_J² + m×(μ×m)/λ_φ² in a ferromagnet (``total`` of
    :func:`layer_absorption`).  With the spin currents through the boundaries it closes the
    balance of spin angular momentum (tests/test_spin_transfer.py).

    Raises
    ------
    KeyError
        For an unknown region.
    """
    problem = sol.problem
    if region in getattr(problem, "ferromagnetic_regions", []):
        return layer_absorption(sol, region)["total"]
    coef = problem.coefficients(region)              # KeyError for an unknown region
    relax = 0.5 * coef.sigma * coef.inv_lambda2 * sol.mu_s
    dx = sol.dx(region)
    return np.array([_assemble(relax[a] * dx) for a in range(3)]) * problem.scaling.residual
