"""What a lab measures, computed from a :class:`kinetics.models.spin_charge.Solution` (SI, MPI-reduced).

Currents through contacts held at a fixed potential are computed with the variationally
consistent flux (the residual of the weak form tested with a function that is one on the
contact): it conserves charge to solver precision, unlike ∫ n·j ds of a P1 gradient.

Sign conventions: ``contact_current`` is the current flowing *into* the device through the
contact (A).  Spin currents through surfaces are outflows n·j_s (A, charge-current units),
n pointing out of the metal (docs/design.md §3).

Torque at an HM|FI interface (docs/design.md §3): the transverse spin current absorbed by
the magnet, τ = (ħ/2e) [G_r (μ − (m̃·μ)m̃) − G_i m̃×μ] (J/m²).  Its damping-like and
field-like parts are the components along ê_DL = m̃×(σ̂×m̃) and ê_FL = σ̂×m̃, with σ̂ = ĵ_c×n̂
the polarization of the spin Hall current flowing into the magnet; the efficiencies are
ξ = (2e/ħ) τ / |j_c|, so that ξ_DL + iξ_FL = θ(1 − sech(d/λ)) g/(1+g) for a film
(:func:`kinetics.analytic.sot_efficiency`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from kinetics import units, validation
from kinetics.physics import boundaries as bc
from kinetics.physics.spin_charge import interface_spin_outflow

__all__ = ["contact_current", "contact_spin_current", "average_potential", "resistance",
           "spin_current_through", "interface_absorption", "interface_torque",
           "region_average", "line_profile", "angular_scan", "fit_smr"]


def _assemble(form) -> float:
    from dolfinx import fem
    from mpi4py import MPI
    f = fem.form(form)
    return f.mesh.comm.allreduce(fem.assemble_scalar(f), op=MPI.SUM)


def _residual_on_facets(sol, name: str, component: int) -> float:
    """Σ of the weak-form residual over the dofs of ``component`` on facets ``name``."""
    import ufl
    from dolfinx import fem
    from dolfinx.fem import petsc as fpetsc
    from mpi4py import MPI
    problem = sol.problem
    dev = problem.device
    facets = dev.facet_tags.find(dev.boundary_tag(name))
    dofs = fem.locate_dofs_topological(problem.W.sub(component), dev.dim - 1, facets)
    residual = ufl.action(problem.a_ufl, sol.u) - problem.L_ufl
    r = fpetsc.assemble_vector(fem.form(residual))
    from petsc4py import PETSc
    r.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
    n_owned = problem.W.dofmap.index_map.size_local * problem.W.dofmap.index_map_bs
    arr = r.getArray(readonly=True)
    local = float(np.sum(arr[dofs[dofs < n_owned]]))
    r.destroy()
    return dev.comm.allreduce(local, op=MPI.SUM)


def contact_current(sol, name: str) -> float:
    """Current flowing into the device through contact ``name`` (A).

    For a :class:`Contact` (fixed V) the consistent flux; for a :class:`CurrentContact` the
    prescribed current.  The currents into all contacts sum to zero.

    Raises
    ------
    ValueError
        If ``name`` is not a contact of the problem.
    """
    cond = sol.problem.condition(name)
    if isinstance(cond, bc.CurrentContact):
        return cond.current
    if not isinstance(cond, bc.Contact):
        raise ValueError(f"'{name}' is a {cond.kind}, not a contact")
    return _residual_on_facets(sol, name, 0) * sol.problem.scaling.residual


def contact_spin_current(sol, name: str) -> np.ndarray:
    """Spin current flowing out of the metal into the reservoir contact ``name``, shape (3,), A.

    Raises
    ------
    ValueError
        If ``name`` is not a spin-reservoir :class:`Contact`.
    """
    cond = sol.problem.condition(name)
    if not (isinstance(cond, bc.Contact) and cond.spin == "reservoir"):
        raise ValueError(f"'{name}' is not a spin-reservoir contact")
    return -np.array([_residual_on_facets(sol, name, c) for c in (1, 2, 3)]) * sol.problem.scaling.residual


def average_potential(sol, name: str) -> float:
    """Area-averaged potential V on facets ``name`` (V): the reading of a floating probe.

    Raises
    ------
    KeyError
        For an unknown facet name (the message lists the boundaries).
    ValueError
        For facets that are not on the outer boundary (zero exterior area).
    """
    problem = sol.problem
    ds = problem.ds(problem.device.boundary_tag(validation.text("average_potential", "name",
                                                                name)))
    area = _assemble(problem.constant(1.0) * ds)
    if area == 0:
        raise ValueError(f"average_potential: '{name}' has no exterior facets (zero area); "
                         f"give a boundary of the device")
    return _assemble(sol.V * ds) / area


def resistance(sol, current_contact: str, plus: str, minus: str) -> float:
    """(V_plus − V_minus) / I with I the current into ``current_contact`` (Ω).

    Two-terminal: plus/minus are the contacts; four-terminal or Hall: floating probes.

    Raises
    ------
    ValueError
        If no current flows through ``current_contact`` (I = 0, e.g. every contact at the
        same potential and no source) or I is not finite: the resistance is undefined.
        The message gives the contact potentials.
    KeyError, ValueError
        For names that are not conditions or contacts of the problem
        (:func:`contact_current`, :func:`average_potential`).
    """
    I = contact_current(sol, current_contact)
    V_plus, V_minus = average_potential(sol, plus), average_potential(sol, minus)
    if I == 0 or not np.isfinite(I):
        contacts = {c.name: c.V for c in sol.problem.boundaries if isinstance(c, bc.Contact)}
        raise ValueError(
            f"resistance: no current flows through '{current_contact}' (I = {I:g} A), so "
            f"(V_plus - V_minus)/I is undefined; contact potentials (V): {contacts}.  Give the "
            f"contacts different potentials or use a CurrentContact")
    return (V_plus - V_minus) / I


def spin_current_through(sol, name: str, region: str | None = None) -> np.ndarray:
    """Spin current through the tagged surface ``name``: ∫ n·j_s dA, shape (3,), A.

    On an HM|FI interface the boundary condition's 𝐆μ is integrated (exact for the discrete
    solution); on a spin-reservoir contact the consistent flux; elsewhere the constitutive
    spin current of ``region`` (default: the only region touching the surface, or the first
    material) is integrated with the outward normal (for interior interfaces: the normal of
    the '+' side, averaged).
    """
    import ufl
    problem = sol.problem
    try:
        cond = problem.condition(name)
    except KeyError:
        cond = None
    if isinstance(cond, bc.MagneticInterface):
        return interface_absorption(sol, name)["total"]
    if isinstance(cond, bc.Contact) and cond.spin == "reservoir":
        return contact_spin_current(sol, name)
    region = region or next(iter(problem.materials))
    J, _ = sol.flux("j_s", region)                        # internal units
    dev = problem.device
    n = ufl.FacetNormal(dev.mesh)
    n3 = ufl.as_vector([n[dev.axes.index(a)] if a in dev.axes else 0.0 for a in "xyz"])
    tag = dev.boundary_tag(name)
    dS = ufl.Measure("dS", domain=dev.mesh, subdomain_data=dev.facet_tags)
    scale = problem.scaling.residual
    out = []
    for a in range(3):
        flux = ufl.dot(J[a, :], n3)
        val = _assemble(flux * problem.ds(tag)) + _assemble(ufl.avg(flux) * dS(tag))
        out.append(val * scale)
    return np.array(out)


def interface_absorption(sol, name: str) -> dict:
    """Spin current absorbed by the HM|FI interface ``name`` (outflow n·j_s = 𝐆μ − j_pump).

    Returns
    -------
    dict with
        ``total`` (3,) A: ∫ (𝐆μ − j_pump) dA;
        ``mixing`` (3,) A: ∫ [G_r(μ − (m̃·μ)m̃) − G_i m̃×μ − j_pump] dA (the torque-carrying
        part; the pumped current belongs to it, docs/pumping.md);
        ``area`` m²; ``mean_density`` (3,) A/m² and ``torque_density`` (3,) J/m²
        (= ħ/2e × mixing/area).
    """
    problem = sol.problem
    entry = problem.magnetic_interface(name)
    mt, mu = entry.m_tilde, sol.mu_s
    ds = problem.ds(problem.device.boundary_tag(name))
    args = (mu, mt, entry.G_r, entry.G_s, entry.G_i, entry.Gamma)
    mixing = interface_spin_outflow(*args, mixing_only=True)
    total = interface_spin_outflow(*args)
    if entry.j_pump is not None:
        mixing, total = mixing - entry.j_pump, total - entry.j_pump
    scale = problem.scaling.residual
    tot = np.array([_assemble(total[a] * ds) for a in range(3)]) * scale
    mix = np.array([_assemble(mixing[a] * ds) for a in range(3)]) * scale
    area = problem.device.area(name)
    return {"total": tot, "mixing": mix, "area": area, "mean_density": tot / area,
            "torque_density": units.HBAR_OVER_2E * mix / area}


def interface_torque(sol, name: str, current_density, normal) -> dict:
    """Damping-like and field-like torque and SOT efficiencies at the HM|FI interface ``name``.

    Parameters
    ----------
    current_density:
        The charge current density j_c in the heavy metal (3-vector, A/m²), e.g. the applied
        current over the film cross-section.
    normal:
        Outward normal of the metal at the interface (3-vector), e.g. (0, 0, −1) for a
        film on top of the magnet.

    Returns
    -------
    dict with ``tau_DL``, ``tau_FL`` (J/m²), ``xi_DL``, ``xi_FL`` (dimensionless),
    ``polarization`` σ̂ and ``torque_density`` (3,) J/m².  The interface must have a uniform m.

    Raises
    ------
    kinetics.validation.ValidationError
        (a ValueError) For a current density that is not a finite non-zero 3-vector, a
        normal that is not a finite non-zero 3-vector, or a current parallel to the normal
        (no spin Hall polarization σ̂ = ĵ×n̂).
    ValueError
        For an interface with a non-uniform m.
    KeyError
        For a name that is not a magnetic interface of the problem.
    """
    owner = "interface_torque"
    j = validation.vector3(owner, "current_density", current_density)
    n = validation.direction(owner, "normal", normal)
    jc = float(np.linalg.norm(j))
    if jc == 0:
        raise validation.ValidationError(owner, "current_density", "a non-zero 3-vector (A/m^2)",
                                         repr(current_density))
    sigma_hat = np.cross(j / jc, n)
    if np.linalg.norm(sigma_hat) < 1e-12:
        raise validation.ValidationError(
            owner, "current_density", "not parallel to the normal (σ = j x n defines the "
            "polarization)", f"{current_density!r} with normal {normal!r}")
    sigma_hat /= np.linalg.norm(sigma_hat)
    problem = sol.problem
    m = problem.magnetic_interface(name).uniform_m_tilde()
    if m is None:
        raise ValueError(f"interface '{name}': torque decomposition needs a uniform m")
    e_dl = np.cross(m, np.cross(sigma_hat, m))
    e_fl = np.cross(sigma_hat, m)
    absorbed = interface_absorption(sol, name)
    tau = absorbed["torque_density"]
    tau_dl, tau_fl = float(tau @ e_dl), float(tau @ e_fl)
    return {"tau_DL": tau_dl, "tau_FL": tau_fl, "xi_DL": tau_dl / units.HBAR_OVER_2E / jc,
            "xi_FL": tau_fl / units.HBAR_OVER_2E / jc, "polarization": sigma_hat,
            "torque_density": tau}


def region_average(sol, quantity: str, region: str | None = None) -> np.ndarray | float:
    """Volume average of a declared field of the solution (``"V"``, ``"mu_s"`` in V,
    ``"j_c"`` A/m², ``"j_s"`` A/m² shape (3, 3) for the spin–charge model) over ``region``
    (default: the whole device).

    Raises
    ------
    KeyError
        For a field the solution does not declare.
    """
    field = sol.field(quantity)                           # KeyError naming the fields
    regions = [region] if region else sol.regions
    total, vol = None, 0.0
    for r in regions:
        dx = sol.dx(r)
        expr, s = (sol.expression(quantity), 1.0) if field.kind == "primary" else \
            sol.flux(quantity, r)
        shape = expr.ufl_shape
        vals = np.array([_assemble(expr[idx] * dx) for idx in np.ndindex(*shape)]) if shape \
            else np.array(_assemble(expr * dx))
        vals = vals.reshape(shape) * s
        total = vals if total is None else total + vals
        vol += _assemble(sol.problem.constant(1.0) * dx)
    return total / vol


def line_profile(sol, points, quantity: str = "mu_s") -> np.ndarray:
    """Values of ``"V"`` or ``"mu_s"`` at points (N, 3) in metres, gathered on every rank.

    Coordinates along axes that the mesh does not span (``Device.axes``) are ignored.

    Returns
    -------
    numpy.ndarray, shape (N,) for V or (N, 3) for μ_s.

    Raises
    ------
    kinetics.validation.ValidationError
        (a ValueError) For a quantity other than ``"V"`` and ``"mu_s"``, points that are
        not a finite (N, 3) array (N >= 1), and points outside the mesh: the message gives
        the number of such points, the first five and the mesh's bounding box.  Point
        location is collective: every rank takes the same decision and raises together.
    """
    owner = "line_profile"
    validation.choice(owner, "quantity", quantity, ("V", "mu_s"))
    pts = validation.array(owner, "points", points, (None, 3),
                           what="a finite array of points (N, 3) in metres")
    if len(pts) == 0:
        raise validation.ValidationError(owner, "points", "at least one point (N, 3)",
                                         "an empty array")
    dev = sol.problem.device
    pts_mesh, cells = locate_points(dev, pts, owner)
    ncomp = 1 if quantity == "V" else 3
    out = np.full((len(pts), ncomp), np.nan)
    for i in range(len(pts)):
        links = cells.links(i)
        if len(links):
            val = sol.u.eval(pts_mesh[i], links[:1])
            out[i] = val[0] if quantity == "V" else val[1:4]
    gathered = dev.comm.allgather(out)
    result = np.full_like(out, np.nan)
    for g in gathered:
        mask = np.isnan(result[:, 0]) & ~np.isnan(g[:, 0])
        result[mask] = g[mask]
    return result[:, 0] if quantity == "V" else result


def locate_points(device, points, owner: str = "points", name: str = "points"):
    """The cells (on this rank) holding each point; every point must lie in the mesh.

    Parameters
    ----------
    device:
        :class:`kinetics.device.Device`.
    points:
        Array (N, 3) in metres (finite; checked by the caller).  Coordinates along axes the
        mesh does not span (``Device.axes``) are ignored.
    owner, name:
        For the message (function or case key, and parameter).

    Returns
    -------
    (points in mesh units (N, 3), dolfinx adjacency list of the colliding local cells)

    Raises
    ------
    kinetics.validation.ValidationError
        On every rank together (the decision is an allreduce), for points outside the mesh:
        the message gives their number, the first five and the mesh's bounding box.
    """
    from dolfinx import geometry
    from mpi4py import MPI
    pts = np.asarray(points, dtype=float).reshape(-1, 3)
    pts_mesh = np.zeros((len(pts), 3))
    for k, a in enumerate(device.axes):
        pts_mesh[:, k] = pts[:, "xyz".index(a)] / device.length_unit
    tree = geometry.bb_tree(device.mesh, device.dim)
    cand = geometry.compute_collisions_points(tree, pts_mesh)
    cells = geometry.compute_colliding_cells(device.mesh, cand, pts_mesh)
    found = np.array([1 if len(cells.links(i)) else 0 for i in range(len(pts))], dtype=np.int64)
    found = device.comm.allreduce(found, op=MPI.SUM)
    outside = np.flatnonzero(found == 0)
    if len(outside):
        raise validation.ValidationError(
            owner, name, "inside the mesh",
            f"{len(outside)} of {len(pts)} points outside, e.g. "
            + ", ".join(f"#{i} {tuple(float(f'{c:.6g}') for c in pts[i])}" for i in outside[:5]),
            f"the mesh spans {_bounding_box(device)} m")
    return pts_mesh, cells


def _bounding_box(dev) -> str:
    """The device's bounding box in metres over all ranks, as text (collective)."""
    x = dev.mesh.geometry.x[:, :len(dev.axes)] * dev.length_unit
    n = len(dev.axes)
    ext = dev.comm.allgather((x.min(axis=0), x.max(axis=0)) if len(x) else
                             (np.full(n, np.inf), np.full(n, -np.inf)))
    lo = np.min([e[0] for e in ext], axis=0)
    hi = np.max([e[1] for e in ext], axis=0)
    return ", ".join(f"{a} in [{lo[k]:.6g}, {hi[k]:.6g}]" for k, a in enumerate(dev.axes))


def angular_scan(problem, interface: str, directions: Sequence, measure: Callable,
                 progress: Callable | None = None) -> list:
    """Solve for each magnetization direction and apply ``measure(solution)``.

    The interface's m is a constant: each step reassembles the matrix (no recompilation).

    Parameters
    ----------
    directions:
        Unit 3-vectors.
    measure:
        Function of a Solution returning anything (e.g. a tuple of resistances).
    progress:
        Optional callable(i, n) called after each step.
    """
    out = []
    for i, m in enumerate(directions):
        problem.set_magnetization(interface, m)
        out.append(measure(problem.solve()))
        if progress:
            progress(i + 1, len(directions))
    return out


def fit_smr(directions, rho_long, rho_trans=None) -> dict:
    """Least-squares fit of Chen et al. 2013's angular dependence to scanned resistivities.

    ρ_long = a + Δρ₁ (1 − m_y²),   ρ_trans = b + Δρ₁' m_x m_y + Δρ₂ m_z

    Returns
    -------
    dict with ``rho_0`` (= a, i.e. ρ + Δρ₀), ``delta_rho_1``, ``delta_rho_2`` (if rho_trans
    given), ``delta_rho_1_trans`` (the m_x m_y amplitude of ρ_trans, equal to Δρ₁ in theory),
    ``rho_trans_offset`` (b: an m-independent offset, e.g. from misaligned Hall probes),
    and the fit residuals.

    Raises
    ------
    kinetics.validation.ValidationError
        (a ValueError) For directions that are not a finite (N, 3) array with N >= 1, or
        resistivities that are not N finite numbers.
    """
    owner = "fit_smr"
    m = validation.array(owner, "directions", directions, (None, 3),
                         what="a finite array of unit vectors (N, 3)")
    n = len(m)
    if n < 1:
        raise validation.ValidationError(owner, "directions", "at least one direction (N, 3)",
                                         "an empty array")
    rho_long = validation.array(owner, "rho_long", rho_long, (n,),
                                what="one finite resistivity per direction")
    A = np.column_stack([np.ones(len(m)), 1 - m[:, 1] ** 2])
    coef, res, *_ = np.linalg.lstsq(A, rho_long, rcond=None)
    out = {"rho_0": float(coef[0]), "delta_rho_1": float(coef[1]),
           "residual_long": float(np.sqrt(res[0])) if len(res) else 0.0}
    if rho_trans is not None:
        B = np.column_stack([np.ones(len(m)), m[:, 0] * m[:, 1], m[:, 2]])
        rho_trans = validation.array(owner, "rho_trans", rho_trans, (n,),
                                     what="one finite resistivity per direction")
        c2, res2, *_ = np.linalg.lstsq(B, rho_trans, rcond=None)
        out.update({"rho_trans_offset": float(c2[0]), "delta_rho_1_trans": float(c2[1]),
                    "delta_rho_2": float(c2[2]),
                    "residual_trans": float(np.sqrt(res2[0])) if len(res2) else 0.0})
    return out
