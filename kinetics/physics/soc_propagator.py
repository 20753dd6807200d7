"""The diffusive propagators of seed 000 as PDEs: (-∇² + q_σ²) K_σ = P_σ S on a device.

Tsutsui, Hosono & Yokoyama, "Spin-current absorption by inhomogeneous spin-orbit coupling"
(2018; notes shared/notes/seed-000.md §2.5, §2.7, §4; docs/seed000.md).  The static kernel
(17) of the propagator (14) is the Green function of the complex screened diffusion

    (-∇² + q_σ²) K_σ = P_σ S,   P_σ = 2π²/(D_σ τ_σ A_σ)   (paper normalisation, erratum 7;
                                                          "standard": 1/(D_σ τ_σ A_σ)),

q_σ(Ω) = √((B_σ + c_σ Ωτ_σ/A_σ)/(D_σ τ_σ)), Re q_σ > 0 (Eqs. 14, 18, 19, B18-B19;
:func:`kinetics.physics.soc_absorption.screening_wavenumber`, time dependence e^{iΩt}).
K_σ is the field K^i_(1),σ of Eq. (12) for one component of its source S = ∇λ_SO × ∂_iE_em
(stage 3 builds S; here S is given).  Each σ is one complex scalar problem, solved in the
real PETSc build as a real 2×2 block (:mod:`kinetics.solvers.complex`).

Sources (any sum):

- :class:`Sheet`: s δ_Γ on interior facets Γ (an interface where λ_SO steps; setup A has
  s = λ_SO E_y/(2ξ_E), :func:`~kinetics.physics.soc_absorption.sheet_strength`), weak form
  P ∫_Γ s v dS; K is continuous and [∂_n K]_Γ = -P s.
- :class:`SheetDipole`: s ∂_d δ_Γ (the δ' of ∂²λ_SO at a step, d a unit vector), weak form
  -P ∫_Γ s ∂_d v dS (with the average of ∂_d v); K itself jumps, K(Γ+εd) - K(Γ-εd) = -P s
  for d normal to Γ, so the Lagrange solution converges only weakly at Γ (h² away from it).
- :class:`Volume`: a smooth density S(r) (a λ_SO profile), number, UFL expression in mesh
  coordinates, or callable of points in metres, on one region or the whole device.

Boundaries: natural ∂_nK = 0 (zero flux; symmetry planes) everywhere except the ``robin``
facets, where the decaying condition ∂_nK = -q_σ K holds; it is exact for a planar
e^{-q z} and truncates an infinite domain.  Robin facets closer than ``min_decay_lengths``
decay lengths l_s = 1/Re q_σ to the sources give a :class:`TruncationWarning` (or
ValueError, ``on_short="raise"``) with the numbers: the reflected part of a non-planar
field is then ~e^{-2d/l_s}.

Units: mesh coordinates are in ``device.length_unit`` metres; q in 1/m; P in 1/m² (D_σ τ_σ
in m², A_σ dimensionless); K in [P][S]m² = [S] for a volume density S (sheets: [s]/m,
dipoles: [s]/m²).  The forms are written in mesh units and scaled by the unit, so any mesh
unit gives the same K.  Tested on ``layered_box`` devices (1D/2D/3D, hexahedra and
triangles) and a gmsh ``blocks`` device (tests/test_soc_propagator.py).
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Sequence

import numpy as np

from kinetics import validation
from kinetics.physics import soc_absorption

__all__ = ["Sheet", "SheetDipole", "Volume", "TruncationWarning", "ScreenedDiffusion",
           "Propagator", "propagator", "propagators", "prefactor"]

OWNER = "soc_propagator"
_ON_SHORT = ("warn", "raise", "ignore")


class TruncationWarning(UserWarning):
    """A Robin (decaying) boundary closer to the sources than ``min_decay_lengths`` l_s."""


@dataclasses.dataclass(frozen=True)
class Sheet:
    """s δ_Γ on the interior facets ``interface`` (a facet name of the device).  ``strength``:
    a (complex) number, a real UFL expression or a (re, im) pair of them (mesh coordinates),
    in source units × m."""
    interface: str
    strength: object = 1.0


@dataclasses.dataclass(frozen=True)
class SheetDipole:
    """s ∂_d δ_Γ (derivative of a sheet along the unit vector ``direction``, 3 components in
    the physical axes x, y, z) on the interior facets ``interface``; ``strength`` as
    :class:`Sheet`, in source units × m²."""
    interface: str
    strength: object = 1.0
    direction: tuple = (0.0, 0.0, 1.0)


@dataclasses.dataclass(frozen=True)
class Volume:
    """A volume density S(r) on ``region`` (a region name; None: the whole device).
    ``profile``: a (complex) number, a real UFL expression or (re, im) pair in the mesh
    coordinates (``ufl.SpatialCoordinate(device.mesh)``, mesh units), or a callable
    ``p -> complex array (N,)`` of points p (3, N) in metres along x, y, z (axes the mesh
    does not span are 0)."""
    profile: object
    region: str | None = None


def prefactor(channel, normalisation: str = "paper") -> complex:
    """P_σ = 2π²/(D_σ τ_σ A_σ) ("paper", Eq. 17) or 1/(D_σ τ_σ A_σ) ("standard"), in
    s/m² (complex) for a :class:`~kinetics.physics.soc_absorption.SpinChannel`
    (:func:`kinetics.physics.soc_absorption.propagator_prefactor`)."""
    from kinetics.physics.soc_absorption import propagator_prefactor
    return propagator_prefactor(channel, normalisation)


def _complex(name, value) -> complex:
    if isinstance(value, bool) or not isinstance(value, (int, float, complex, np.number)):
        raise validation.ValidationError(OWNER, name, "a (complex) number", repr(value))
    value = complex(value)
    if not (math.isfinite(value.real) and math.isfinite(value.imag)):
        raise validation.ValidationError(OWNER, name, "finite", repr(value))
    return value


@dataclasses.dataclass
class Propagator:
    """K_σ on the device: ``real``, ``imag`` (dolfinx Functions, Lagrange of ``degree``),
    ``q`` (1/m, Re q > 0), ``prefactor`` P (the factor of the sources), ``sigma`` (±1 or
    None for a bare q), ``omega`` (rad/s), ``device``.  Values in the units of P·S·m²."""
    real: object
    imag: object
    q: complex
    prefactor: complex
    sigma: int | None
    omega: float
    device: object

    @property
    def decay_length(self) -> float:
        """l_s = 1/Re q (m), Eq. (23)."""
        return 1.0 / self.q.real

    @property
    def wave_number(self) -> float:
        """k̃_s = Im q (1/m), the corrected Eq. (24)."""
        return self.q.imag

    def _at(self, points, size, value):
        """(N, size) of value(x_mesh, cell) at points (N, 3) in metres, the same on every
        rank (collective; ValidationError for points outside the mesh)."""
        from kinetics.observables import locate_points
        pts = validation.array(OWNER, "points", points, (None, 3),
                               what="a finite array of points (N, 3) in metres")
        pts_mesh, cells = locate_points(self.device, pts, OWNER)
        out = np.full((len(pts), size), np.nan, dtype=complex)
        for i in range(len(pts)):
            links = cells.links(i)
            if len(links):
                out[i] = value(pts_mesh[i], int(links[0]))
        result = np.full_like(out, np.nan)
        for g in self.device.comm.allgather(out):
            mask = np.isnan(result[:, 0]) & ~np.isnan(g[:, 0])
            result[mask] = g[mask]
        return result

    def values(self, points) -> np.ndarray:
        """K_σ at points (N, 3) in metres (x, y, z; axes the mesh does not span ignored):
        complex array (N,), the same on every rank (collective).  Raises ValidationError (a
        ValueError) for points outside the mesh."""
        def value(x, cell):
            return self.real.eval(x, [cell])[0] + 1j * self.imag.eval(x, [cell])[0]
        return self._at(points, 1, value)[:, 0]

    def gradient(self, points) -> np.ndarray:
        """∇K_σ at points (N, 3) in metres: complex array (N, 3) along x, y, z in units of K/m
        (0 along axes the mesh does not span), the same on every rank (collective).  On a
        facet the value of the first cell found: evaluate at z ± ε for one-sided limits.
        Lagrange degree ≤ 2 (no dof transformations)."""
        dev = self.device
        msh = dev.mesh
        V = self.real.function_space
        if V.element.needs_dof_transformations:
            raise NotImplementedError("gradient: elements with dof transformations (P3+)")
        tdim, gdim = msh.topology.dim, msh.geometry.dim
        celm = msh.ufl_domain().ufl_coordinate_element().basix_element
        velm = V.element.basix_element
        axes = ["xyz".index(a) for a in dev.axes]

        def value(x, cell):
            nodes = msh.geometry.x[msh.geometry.dofmap[cell]][:, :gdim]
            X = msh.geometry.cmap.pull_back(np.asarray(x[:gdim])[None, :], nodes)
            J = celm.tabulate(1, X)[1:tdim + 1, 0, :, 0] @ nodes          # (tdim, gdim)
            dref = velm.tabulate(1, X)[1:tdim + 1, 0, :, 0]                 # (tdim, ndofs)
            dofs = V.dofmap.cell_dofs(cell)
            coef = self.real.x.array[dofs] + 1j * self.imag.x.array[dofs]
            g_mesh = np.linalg.pinv(J) @ (dref @ coef)                      # (gdim,)
            out = np.zeros(3, dtype=complex)
            out[axes] = g_mesh[:len(axes)] / dev.length_unit
            return out
        return self._at(points, 3, value)


class ScreenedDiffusion:
    """The operator -∇² + q² with natural (zero-flux) boundaries and ∂_nK = -qK on the
    ``robin`` facet names, Lagrange ``degree``, assembled once per q (set_q reassembles).

    q: complex screening wave number (1/m) with Re q > 0.  ``solver``: a
    :class:`~kinetics.solvers.linear.LinearSolver` preset ("direct" = MUMPS LU).

    Raises
    ------
    kinetics.validation.ValidationError (ValueError)
        For q with Re q ≤ 0 or non-finite, unknown or interior robin names, degree not in
        1..4.
    """

    def __init__(self, device, q, *, robin: Sequence[str] = (), degree: int = 2,
                 solver: str = "direct", petsc_options: dict | None = None):
        import ufl
        from dolfinx import fem
        from kinetics.solvers.complex import ComplexLinearProblem
        self.device, self.mesh = device, device.mesh
        self.degree = validation.integer(OWNER, "degree", degree, 1, 4)
        if isinstance(robin, str):
            robin = (robin,)
        self.robin = tuple(robin)
        for name in self.robin:
            device.boundary_tag(name)
            self._check_facets(name, interior=False)
        L = device.length_unit
        self._k2re = fem.Constant(self.mesh, 0.0)
        self._k2im = fem.Constant(self.mesh, 0.0)
        self._qre = fem.Constant(self.mesh, 0.0)
        self._qim = fem.Constant(self.mesh, 0.0)
        self.set_q(q, assemble=False)
        dx = ufl.dx(domain=self.mesh)
        ds = ufl.Measure("ds", domain=self.mesh, subdomain_data=device.facet_tags)
        ids = tuple(device.boundary_tag(n) for n in self.robin)

        def a_re(u, v):
            a = ufl.inner(ufl.grad(u), ufl.grad(v)) * dx + self._k2re * u * v * dx
            return a + self._qre * u * v * ds(ids) if ids else a

        def a_im(u, v):
            a = self._k2im * u * v * dx
            return a + self._qim * u * v * ds(ids) if ids else a
        self.length_unit = L
        self.problem = ComplexLinearProblem(self.mesh, ("Lagrange", self.degree), a_re, a_im,
                                            solver=solver, petsc_options=petsc_options)

    def _check_facets(self, name, interior: bool):
        """Every facet of ``name`` interior (two cells) or exterior (one cell, on the outer
        boundary); ValidationError otherwise.  Collective."""
        from dolfinx import mesh as dmesh
        from mpi4py import MPI
        msh, tags = self.mesh, self.device.facet_tags
        fdim = msh.topology.dim - 1
        msh.topology.create_connectivity(fdim, fdim + 1)
        facets = tags.find(self.device.boundary_tag(name))
        n_owned = msh.topology.index_map(fdim).size_local
        facets = facets[facets < n_owned]
        ext = np.isin(facets, dmesh.exterior_facet_indices(msh.topology))
        bad = int(np.count_nonzero(ext if interior else ~ext))
        total = msh.comm.allreduce(len(facets), op=MPI.SUM)
        bad = msh.comm.allreduce(bad, op=MPI.SUM)
        if total == 0 or bad:
            kind = "interior (an interface between cells)" if interior else "on the outer boundary"
            raise validation.ValidationError(
                OWNER, f"facets '{name}'", f"{total} facets, all {kind}",
                f"{bad} of {total} are not" if total else "no facets")

    def set_q(self, q, *, assemble: bool = True) -> None:
        """New screening wave number q (1/m, Re q > 0); reassembles the operator."""
        q = _complex("q", q)
        if not q.real > 0:
            raise validation.ValidationError(OWNER, "q", "Re q > 0 (a decaying propagator)",
                                             repr(q))
        self.q = q
        qL = q * self.device.length_unit
        self._k2re.value, self._k2im.value = (qL * qL).real, (qL * qL).imag
        self._qre.value, self._qim.value = qL.real, qL.imag
        if assemble:
            self.problem.assemble()

    # -- sources -------------------------------------------------------------------------
    def _parts(self, name, value):
        """(re, im) UFL pieces of a number, a real UFL expression or a (re, im) pair."""
        if isinstance(value, tuple) and len(value) == 2:
            return value
        if isinstance(value, (int, float, complex, np.number)):
            c = _complex(name, value)
            return c.real, c.imag
        return value, 0.0

    def _indicator(self, region):
        """DG0 indicator Function of ``region`` (KeyError for an unknown name)."""
        from dolfinx import fem
        tag = self.device.region_tag(region)
        chi = fem.Function(fem.functionspace(self.mesh, ("DG", 0)), name=f"chi_{region}")
        chi.x.array[:] = 0.0
        cells = self.device.cell_tags.find(tag)
        chi.x.array[chi.function_space.dofmap.list[cells].ravel()] = 1.0
        chi.x.scatter_forward()
        return chi

    def _volume_parts(self, src: Volume):
        from dolfinx import fem
        if not callable(src.profile) or hasattr(src.profile, "ufl_shape"):
            return self._parts("profile", src.profile)
        fs = [fem.Function(self.problem.space) for _ in range(2)]
        L, axes = self.device.length_unit, self.device.axes

        def physical(x):
            p = np.zeros_like(x)
            for k, a in enumerate(axes):
                p["xyz".index(a)] = x[k] * L
            return p
        vals = {}

        def part(k):
            def f(x):
                key = x.shape
                if key not in vals:
                    vals[key] = np.asarray(src.profile(physical(x)), dtype=complex)
                return vals[key].real if k == 0 else vals[key].imag
            return f
        for k in range(2):
            fs[k].interpolate(part(k))
        return fs[0], fs[1]

    def _forms(self, sources, P: complex):
        """Callables (L_re, L_im) of the sources times P in the mesh-unit weak form
        (scaled by L^{2-d}: volume × L², sheet × L, dipole × 1)."""
        import ufl
        L, dev, msh = self.length_unit, self.device, self.mesh
        dx = ufl.dx(domain=msh)      # plain: the block helper adds an untagged dx term
        dS = ufl.Measure("dS", domain=msh, subdomain_data=dev.facet_tags)
        terms = []                                  # (re, im, kind, measure, direction)
        for src in sources:
            if isinstance(src, Volume):
                re, im = self._volume_parts(src)
                if src.region is not None:
                    chi = self._indicator(src.region)
                    re, im = chi * re, chi * im
                meas = dx
                terms.append((re, im, L * L, meas, None))
            elif isinstance(src, (Sheet, SheetDipole)):
                dev.boundary_tag(src.interface)
                self._check_facets(src.interface, interior=True)
                re, im = self._parts("strength", src.strength)
                meas = dS(dev.boundary_tag(src.interface))
                d = None
                if isinstance(src, SheetDipole):
                    d3 = validation.unit_vector(OWNER, "direction", src.direction)
                    d = ufl.as_vector([float(d3["xyz".index(a)]) for a in dev.axes])
                terms.append((re, im, L if d is None else 1.0, meas, d))
            else:
                raise validation.ValidationError(
                    OWNER, "sources", "Sheet, SheetDipole or Volume objects", repr(src))

        def coefficient(re, im, part):
            # (P s)_part = Re/Im of (P_re + i P_im)(s_re + i s_im)
            if part == 0:
                return P.real * re - P.imag * im
            return P.imag * re + P.real * im

        def form(part):
            live = [(coefficient(re, im, part), scale, meas, d)
                    for re, im, scale, meas, d in terms]
            live = [t for t in live if not (isinstance(t[0], (int, float)) and t[0] == 0)]
            if not live:
                return None

            def L_part(v):
                total = None
                for c, scale, meas, d in live:
                    interior = meas.integral_type() == "interior_facet"
                    if d is None:
                        test = ufl.avg(v) if interior else v
                    else:
                        test = -ufl.dot(ufl.avg(ufl.grad(v)), d)
                    if interior and hasattr(c, "ufl_shape"):
                        c = ufl.avg(c)
                    t = scale * c * test * meas
                    total = t if total is None else total + t
                return total
            return L_part
        return form(0), form(1)

    def solve(self, sources, prefactor: complex = 1.0, *, sigma=None, omega=0.0,
              min_decay_lengths: float = 3.0, on_short: str = "warn") -> Propagator:
        """K with (-∇² + q²)K = P·Σ sources (module docstring); returns a :class:`Propagator`.

        Raises
        ------
        kinetics.validation.ValidationError (ValueError)
            Before the solve, for no sources, unknown names, a sheet on exterior facets,
            a non-unit dipole direction, and (``on_short="raise"``) a Robin boundary closer
            than ``min_decay_lengths`` l_s to the sources (else a TruncationWarning).
        kinetics.solvers.linear.SolverError
            If the linear solve fails.
        """
        if isinstance(sources, (Sheet, SheetDipole, Volume)):
            sources = (sources,)
        sources = tuple(sources)
        if not sources:
            raise validation.ValidationError(OWNER, "sources", "at least one source", "none")
        P = _complex("prefactor", prefactor)
        on_short = validation.choice(OWNER, "on_short", on_short, _ON_SHORT)
        min_l = validation.nonnegative(OWNER, "min_decay_lengths", min_decay_lengths)
        L_re, L_im = self._forms(sources, P)
        if on_short != "ignore" and self.robin:
            self._check_truncation(sources, min_l, on_short)
        sol = self.problem.solve(L_re, L_im)
        sol.real.name, sol.imag.name = "K_re", "K_im"
        return Propagator(sol.real, sol.imag, self.q, P, sigma, float(omega), self.device)

    def _check_truncation(self, sources, min_l, on_short):
        """Distance (m) from each Robin boundary to the sources against min_l·l_s."""
        from dolfinx import mesh as dmesh
        from mpi4py import MPI
        from scipy.spatial import cKDTree
        msh, dev, L = self.mesh, self.device, self.length_unit
        tdim = msh.topology.dim

        def midpoints(dim, entities):
            """Coordinates (m) of the vertices of the entities (a support that touches a
            boundary is at distance 0)."""
            msh.topology.create_connectivity(dim, 0)
            msh.topology.create_connectivity(0, tdim)
            verts = dmesh.compute_incident_entities(msh.topology,
                                                    np.asarray(entities, np.int32), dim, 0)
            if len(verts) == 0:
                return np.zeros((0, 3))
            return dmesh.compute_midpoints(msh, 0, verts) * L
        pts = []
        for src in sources:
            if isinstance(src, Volume):
                n = msh.topology.index_map(tdim).size_local
                cells = (np.arange(n, dtype=np.int32) if src.region is None
                         else dev.cell_tags.find(dev.region_tag(src.region)))
                pts.append(midpoints(tdim, cells[cells < n]))
            else:
                pts.append(midpoints(tdim - 1, dev.facet_tags.find(
                    dev.boundary_tag(src.interface))))
        allpts = np.concatenate(msh.comm.allgather(np.concatenate(pts)))
        tree = cKDTree(allpts) if len(allpts) else None
        ls = 1.0 / self.q.real
        short = []
        for name in self.robin:
            mids = midpoints(tdim - 1, dev.facet_tags.find(dev.boundary_tag(name)))
            d = float(tree.query(mids)[0].min()) if (tree is not None and len(mids)) else np.inf
            d = msh.comm.allreduce(d, op=MPI.MIN)
            if d < min_l * ls:
                short.append(f"'{name}' at {d:.4g} m = {d / ls:.3g} l_s")
        if short:
            msg = (f"{OWNER}: Robin boundary {', '.join(short)} from the sources, fewer than "
                   f"{min_l:g} decay lengths l_s = 1/Re q = {ls:.4g} m (q = {self.q:.4g} 1/m); "
                   "a non-planar field is truncated with an error ~exp(-2d/l_s)")
            if on_short == "raise":
                raise validation.ValidationError(
                    OWNER, "robin", f">= {min_l:g} l_s from the sources", "; ".join(short),
                    f"l_s = {ls:.4g} m: lengthen the domain or lower min_decay_lengths")
            warnings.warn(msg, TruncationWarning, stacklevel=3)


def propagator(device, channel, sources, *, omega: float = 0.0, robin: Sequence[str] = (),
               degree: int = 2, normalisation: str = "paper", min_decay_lengths: float = 3.0,
               on_short: str = "warn", solver: str = "direct") -> Propagator:
    """K_σ of one :class:`~kinetics.physics.soc_absorption.SpinChannel` at frequency Ω
    (rad/s): (-∇² + q_σ(Ω)²) K_σ = P_σ Σ sources with ∂_nK = -q_σK on ``robin`` facets.

    For setup A (Sec. II D) on a 1D/2D/3D slab with ``Sheet(interface, sheet_strength(...))``
    and Robin ends, K_σ(z) equals :func:`~kinetics.physics.soc_absorption.planar_propagator`
    (the derived Eqs. 20-21).  Raises the errors of :class:`ScreenedDiffusion` and
    :meth:`ScreenedDiffusion.solve`, and ValidationError where q_σ(Ω) does not decay.
    """
    q = soc_absorption.screening_wavenumber(channel, omega)
    sd = ScreenedDiffusion(device, q, robin=robin, degree=degree, solver=solver)
    return sd.solve(sources, prefactor(channel, normalisation), sigma=channel.sigma,
                    omega=omega, min_decay_lengths=min_decay_lengths, on_short=on_short)


def propagators(device, coef, sources, **kwargs) -> tuple:
    """(K↑, K↓) of :func:`propagator` for both channels of a
    :class:`~kinetics.physics.soc_absorption.Coefficients` (same sources and options);
    one operator, reassembled for the second q."""
    opts = {k: kwargs.pop(k) for k in ("omega", "normalisation", "min_decay_lengths",
                                       "on_short") if k in kwargs}
    omega = opts.pop("omega", 0.0)
    normalisation = opts.pop("normalisation", "paper")
    sd, out = None, []
    for ch in coef.channels:
        q = soc_absorption.screening_wavenumber(ch, omega)
        if sd is None:
            sd = ScreenedDiffusion(device, q, **kwargs)
        else:
            sd.set_q(q)
        out.append(sd.solve(sources, prefactor(ch, normalisation), sigma=ch.sigma,
                            omega=omega, **opts))
    return tuple(out)
