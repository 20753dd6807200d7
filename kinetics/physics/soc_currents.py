"""Seed 000, stage 3: spin currents from a λ_SO profile and the field E_em (Eqs. 8-13).

Tsutsui, Hosono & Yokoyama (2018; notes shared/notes/seed-000.md §2.3-2.4, §4; docs/seed000.md).
λ_SO is given per region of a device (a dict region -> value, m²); where it steps across an
interface Γ with unit normal n (from the first to the second region of the pair),
∇λ_SO = Δλ n δ_Γ, Δλ = λ_second - λ_first.  With the field gradient G[i, k] = ∂_iE_k at Γ
(V/m², constant over Γ: :func:`tanh_field_gradient` for the setup-A profile
E(r) = E[1 + tanh(-n·(r - r_Γ)/ξ_E)]/2), the three sheet sources (strengths in units of
λ_SO·E/m, i.e. V, like :func:`~kinetics.physics.soc_absorption.sheet_strength`) are

    S12[i, j] = Δλ (n × G[i, :])_j          ∇λ_SO × ∂_iE        (Eqs. 8, 12)
    S10[i, j] = Δλ (n × G[:, i])_j          ∇λ_SO × ∇E^i        (Eq. 10)
    S13[j]    = Δλ n_j tr G                 ∇λ_SO (∇·E)         (Eqs. 9, 13)

(:func:`sheet_sources`).  Setup A (n = e_z, E = E_y e_y): S12[z] = sheet_strength e_x, the
others vanish.

Currents, a (3, 3) tensor J[α, i] (spin polarisation α, flow direction i), in units of
C (C/m, ``Coefficients.C``) times K (V/m): C·V/m², those of
:func:`~kinetics.physics.soc_absorption.absorbed_spin_currents`:

* diffusive, Eq. (11): K^i_σ = Σ_Γ S12_Γ[i] k_σ,Γ with k_σ,Γ the unit-sheet solution of
  (-∇² + q_σ²)k = P_σ δ_Γ (:mod:`kinetics.physics.soc_propagator`), and
  (j_s^x + i j_s^y)_i = C Σ_σ α_σ (K^i_σ,x + i K^i_σ,y)
  (= C Σ_σ(Re[α_σ e_α·K] + Im[α_σ (e_α × e_z)·K]), χ^(1) in both terms as in (B14), erratum
  of notes §7).  j_s^z comes from a source with a z component (an interface not normal to
  M ∥ z): (j_s^z)_i = C Σ_σ α_σ^z e_z·K^i_(2),σ with the unscreened χ^(2) (Eq. 15), i.e.
  (-∇² + q^(2)²)k = P^(2) δ_Γ, q^(2)² = -iΩ/D_σ, P^(2) = 2π²/(D_στ_σ) (the normalisation
  of Eq. 17), solved only at Ω > 0 (the static kernel does not decay: NotImplementedError);
  a complex amplitude of e^{iΩt} (``phasor_z``).  Setup A keeps Eq. (22), j_s^z = 0
  (e_z·S12 = 0 for an interface normal to the magnetisation: the ẑ-polarised input gives
  only x, y polarisations).  The diffusive part of Eq. (13) needs β_1σ, whose second term
  (B16) is undefined (erratum 5): NotImplementedError when tr G ≠ 0.
* local, Eqs. (8)-(10): sheet densities on Γ (the coefficient of δ_Γ, units C·V/m),
  J_loc[α, i] = C[(a₁e_α + a₂e_α×e_z)·S12[i] + (β₁ e_i×e_α + β₂(δ_iz e_α - δ_iα e_z))·S13
  + (γ₁e_α + γ₂e_α×e_z)·S10[i]], with the α = z coefficients and no second terms for α = z.

Physical axes are x, y, z whatever the mesh spans (``Device.axes``); the magnetisation is
along z.  Errors (before any solve): :class:`kinetics.validation.ValidationError` (a
ValueError) for a λ_SO profile naming unknown regions or missing some, non-finite values, no
step at all, a stepped region pair touching along facets no interface name tags, a curved
interface, an interface name with facets between several region pairs, a field gradient of
the wrong shape or giving no source.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from kinetics import validation
from kinetics.physics import soc_propagator

__all__ = ["Step", "SheetSources", "SpinCurrents", "tanh_field_gradient", "lambda_so_steps",
           "sheet_sources", "local_currents", "spin_currents", "split_interface",
           "unscreened_wavenumber", "unscreened_prefactor"]

OWNER = "soc_currents"
_E = np.eye(3)
PLANAR_TOLERANCE = 1e-8


@dataclasses.dataclass(frozen=True)
class Step:
    """A λ_SO step on the interface facet set ``name`` between regions ``first`` and
    ``second``: ``normal`` (3,) unit vector from first to second (physical x, y, z),
    ``jump`` = λ_second - λ_first (m²)."""
    name: str
    first: str
    second: str
    normal: np.ndarray
    jump: float


@dataclasses.dataclass(frozen=True)
class SheetSources:
    """The sheet strengths of one :class:`Step`: ``S12`` (3, 3) [i, j], ``S10`` (3, 3)
    [i, j], ``S13`` (3,) [j] (module docstring; units λ_SO·E/m)."""
    step: Step
    S12: np.ndarray
    S10: np.ndarray
    S13: np.ndarray


def tanh_field_gradient(E, xi_E, normal=(0.0, 0.0, 1.0)) -> np.ndarray:
    """G[i, k] = ∂_iE_k = -n_i E_k/(2ξ_E) (V/m², shape (3, 3)) at the centre of the setup-A
    profile E(r) = E[1 + tanh(-n·(r - r_Γ)/ξ_E)]/2 (Sec. II D): the field E (3,) in V/m on the
    -n side, ξ_E > 0 in m, ``normal`` a unit 3-vector.  ValidationError for bad input."""
    E = validation.array(OWNER, "E", E, (3,))
    xi = validation.positive(OWNER, "xi_E", xi_E)
    n = np.asarray(validation.unit_vector(OWNER, "normal", normal), dtype=float)
    return -np.outer(n, E) / (2.0 * xi)


def split_interface(device, name, inside, names=("patch", "rest")):
    """A copy of ``device`` whose interface ``name`` is split into the facet sets
    ``names[0]`` (facets whose midpoint p satisfies ``inside(p)``; p (3, N) in metres, x, y,
    z) and ``names[1]`` (the others), e.g. a finite patch of size b carrying the field
    gradient (``grad_E = {"patch": G, "rest": 0}``).  Same mesh and cell tags.

    Raises KeyError for an unknown ``name``, ValidationError for names already in use or a
    patch that is empty or the whole interface (over all ranks).
    """
    from dolfinx import mesh as dmesh
    from mpi4py import MPI
    from kinetics.device import Device
    msh, tags = device.mesh, device.facet_tags
    tag = device.boundary_tag(name)
    taken = sorted(set(names) & (set(device.boundaries) - {name}))
    if len(set(names)) != 2 or taken:
        raise validation.ValidationError(OWNER, "names", "two new facet names", str(names))
    fdim = msh.topology.dim - 1
    values = tags.values.copy()
    sel = np.flatnonzero(values == tag)
    mids = dmesh.compute_midpoints(msh, fdim, tags.indices[sel])
    p = np.zeros((3, len(sel)))
    for a, ax in enumerate(device.axes):
        p["xyz".index(ax)] = mids[:, a] * device.length_unit
    mask = np.asarray(inside(p), dtype=bool).reshape(len(sel))
    t_in, t_out = max(device.boundaries.values()) + 1, max(device.boundaries.values()) + 2
    values[sel] = np.where(mask, t_in, t_out)
    n_in = msh.comm.allreduce(int(mask.sum()), op=MPI.SUM)
    n_out = msh.comm.allreduce(int((~mask).sum()), op=MPI.SUM)
    if n_in == 0 or n_out == 0:
        raise validation.ValidationError(OWNER, "inside", f"a proper part of '{name}'",
                                         f"{n_in} facets inside, {n_out} outside")
    boundaries = {k: v for k, v in device.boundaries.items() if k != name}
    boundaries.update({names[0]: t_in, names[1]: t_out})
    ft = dmesh.meshtags(msh, fdim, tags.indices, values.astype(np.int32))
    return Device(msh, device.cell_tags, ft, dict(device.regions), boundaries,
                  device.length_unit, device.axes)


def _region_function(device):
    """DG0 Function of the cell region tags (ghosts included after scatter)."""
    from dolfinx import fem
    f = fem.Function(fem.functionspace(device.mesh, ("DG", 0)))
    f.x.array[:] = -1.0
    f.x.array[device.cell_tags.indices] = device.cell_tags.values
    f.x.scatter_forward()
    return f.x.array


def _facet_normals(device, facets, cells_of):
    """Unit normals (len(facets), 3) in physical axes of the facets, each oriented toward
    its cell in ``cells_of``."""
    from dolfinx import mesh as dmesh
    msh = device.mesh
    tdim, gdim = msh.topology.dim, msh.geometry.dim
    x = msh.geometry.x[:, :gdim]
    fv = dmesh.entities_to_geometry(msh, tdim - 1, np.asarray(facets, np.int32))
    cmid = dmesh.compute_midpoints(msh, tdim, np.asarray(cells_of, np.int32))[:, :gdim]
    out = np.zeros((len(facets), 3))
    for k, verts in enumerate(fv):
        p = x[verts]
        if tdim == 1:
            n = np.ones(1)
        elif tdim == 2:
            t = p[1] - p[0]
            n = np.array([-t[1], t[0]]) if gdim == 2 else None
        else:
            n = np.cross(p[1] - p[0], p[2] - p[0])
        if n is None:
            raise validation.ValidationError(OWNER, "device", "a mesh with gdim = tdim",
                                             f"gdim {gdim}, tdim {tdim}")
        n = n / np.linalg.norm(n)
        if np.dot(cmid[k] - p.mean(axis=0), n) < 0:      # toward the given cell
            n = -n
        for a, ax in enumerate(device.axes[:gdim]):
            out[k, "xyz".index(ax)] = n[a]
    return out


def lambda_so_steps(device, lambda_so: dict) -> list:
    """The λ_SO steps of a region profile: a list of :class:`Step`, one per tagged interior
    facet set whose two regions have different λ_SO (collective; the same on every rank).

    ``lambda_so``: region name -> λ_SO (m², real), one entry for every region of the device.

    Raises ValidationError for unknown or missing regions, non-finite values, no step, an
    interface name whose facets separate several region pairs (or none), a curved interface
    (normals differing by more than 1e-8), and stepped region pairs touching along facets no
    interface name tags (name them in the device's facet tags).
    """
    from dolfinx import mesh as dmesh
    if not isinstance(lambda_so, dict):
        raise validation.ValidationError(OWNER, "lambda_so", "a dict region -> λ_SO (m²)",
                                         type(lambda_so).__name__)
    unknown = sorted(set(lambda_so) - set(device.regions))
    missing = sorted(set(device.regions) - set(lambda_so))
    if unknown or missing:
        known = ", ".join(sorted(device.regions))
        raise validation.ValidationError(
            OWNER, "lambda_so", f"one value per region of the device ({known})",
            "; ".join(filter(None, [unknown and f"unknown regions {unknown}",
                                    missing and f"missing regions {missing}"])))
    lam = {r: validation.finite(OWNER, f"lambda_so['{r}']", v) for r, v in lambda_so.items()}
    name_of_tag = {t: r for r, t in device.regions.items()}
    msh, comm = device.mesh, device.comm
    tdim = msh.topology.dim
    msh.topology.create_connectivity(tdim - 1, tdim)
    f2c = msh.topology.connectivity(tdim - 1, tdim)
    region = _region_function(device)
    n_owned = msh.topology.index_map(tdim - 1).size_local
    exterior = set(dmesh.exterior_facet_indices(msh.topology).tolist())

    def pair_of(f):
        cells = f2c.links(f)
        if len(cells) != 2 or f in exterior:
            return None
        a, b = (int(region[c]) for c in cells)
        return None if a == b or a < 0 or b < 0 else (min(a, b), max(a, b))

    steps, tagged = [], set()
    for name in device.boundaries:
        facets = device.facet_tags.find(device.boundary_tag(name))
        facets = facets[facets < n_owned]
        pairs = {pair_of(int(f)) for f in facets}
        pairs = set().union(*comm.allgather(pairs))
        if None in pairs or not pairs:
            continue                             # an outer boundary (or mixed): not a step
        if len(pairs) > 1:
            named = sorted((name_of_tag[a], name_of_tag[b]) for a, b in pairs)
            raise validation.ValidationError(OWNER, f"interface '{name}'",
                                             "facets between one pair of regions", str(named))
        ta, tb = next(iter(pairs))
        tagged.update(int(f) for f in facets)
        first, second = name_of_tag[ta], name_of_tag[tb]
        jump = lam[second] - lam[first]
        if jump == 0.0:
            continue
        cell_b = [next(c for c in f2c.links(int(f)) if int(region[c]) == tb) for f in facets]
        normals = _facet_normals(device, facets, cell_b) if len(facets) else \
            np.zeros((0, 3))
        normals = np.concatenate(comm.allgather(normals))
        mean = normals.mean(axis=0)
        mean /= np.linalg.norm(mean)
        spread = float(np.max(np.linalg.norm(normals - mean, axis=1)))
        if spread > PLANAR_TOLERANCE:
            raise validation.ValidationError(
                OWNER, f"interface '{name}'", "planar (one normal; a uniform field gradient "
                "on a curved λ_SO step is not implemented)", f"normals differ by {spread:.3g}")
        mean[np.abs(mean) < 1e-14] = 0.0
        steps.append(Step(name, first, second, mean, jump))
    # stepped region pairs touching along untagged facets
    loose = set()
    for f in range(n_owned):
        p = pair_of(f)
        if p is not None and f not in tagged and lam[name_of_tag[p[0]]] != lam[name_of_tag[p[1]]]:
            loose.add((name_of_tag[p[0]], name_of_tag[p[1]]))
    loose = sorted(set().union(*comm.allgather(loose)))
    if loose:
        raise validation.ValidationError(
            OWNER, "device", "every λ_SO step on a tagged interface (facet name)",
            f"untagged facets between regions {loose}")
    if not steps:
        raise validation.ValidationError(OWNER, "lambda_so", "a step between two regions",
                                         f"the same λ_SO on every interface: {lam}")
    return steps


def sheet_sources(step: Step, grad_E) -> SheetSources:
    """The sheet strengths of Eqs. (12), (10), (13) at a step for the field gradient
    ``grad_E`` G[i, k] = ∂_iE_k (V/m², (3, 3)), e.g. :func:`tanh_field_gradient`."""
    G = validation.array(OWNER, "grad_E", grad_E, (3, 3))
    n, d = step.normal, step.jump
    S12 = d * np.cross(n[None, :], G)                 # row i: n × ∂_iE
    S10 = d * np.cross(n[None, :], G.T)               # row i: n × ∇E_i
    S13 = d * n * float(np.trace(G))
    return SheetSources(step, S12, S10, S13)


def local_currents(coef, src: SheetSources) -> np.ndarray:
    """J_loc[α, i] (3, 3) of Eqs. (8)-(10) at one step: the coefficient of δ_Γ, C times the
    sheet strengths (C·V/m), with the local coefficients α_i, β_i, γ_i of App. A (α = z:
    the z coefficients, no second terms)."""
    lc = coef.local
    J = np.zeros((3, 3))
    for a in range(3):
        ea = _E[a]
        exz = np.cross(ea, _E[2])
        xy = a < 2
        a1, a2 = (lc.alpha1_xy, lc.alpha2) if xy else (lc.alpha1_z, 0.0)
        b1, b2 = (lc.beta1_xy, lc.beta2) if xy else (lc.beta1_z, 0.0)
        g1, g2 = (lc.gamma1_xy, lc.gamma2) if xy else (lc.gamma1_z, 0.0)
        for i in range(3):
            ei = _E[i]
            J[a, i] = ((a1 * ea + a2 * exz) @ src.S12[i] + (g1 * ea + g2 * exz) @ src.S10[i]
                       + (b1 * np.cross(ei, ea) + b2 * ((i == 2) * ea - (i == a) * _E[2]))
                       @ src.S13)
    return coef.C * J


def unscreened_wavenumber(channel, omega) -> complex:
    """q^(2)_σ = √(-iΩ/D_σ) (1/m, Re q > 0) of the unscreened propagators χ^(2)_σ, χ_σ
    (Eqs. 15-16: (D_σk² - iΩ)τ_σ = D_στ_σ(k² + q²), time dependence e^{iΩt} as printed)
    for Ω > 0 (rad/s); decay length √(2D_σ/Ω).  ValidationError for Ω ≤ 0: the static
    kernel 1/(D_στ_σk²) is the undamped Poisson kernel (the z spin, conserved along M, does
    not relax in the model), with no decaying solution for an interface source."""
    w = validation.positive(OWNER, "omega (the unscreened χ^(2), Eq. 15)", omega)
    return complex(np.sqrt(complex(0.0, -w / channel.D)))


def unscreened_prefactor(channel, normalisation: str = "paper") -> float:
    """P^(2)_σ = 2π²/(D_στ_σ) ("paper": the normalisation of Eq. 17) or 1/(D_στ_σ)
    ("standard"), s/m², the factor of the source in (-∇² + q^(2)²)K_(2) = P^(2) S."""
    normalisation = validation.choice(OWNER, "normalisation", normalisation,
                                      ("paper", "standard"))
    base = 1.0 / (channel.D * channel.tau)
    return 2.0 * np.pi ** 2 * base if normalisation == "paper" else base


@dataclasses.dataclass
class _Field:
    name: str
    shape: tuple
    kind: str = "primary"


class SpinCurrents:
    """The spin-current tensor of a device: ``sources`` (list of :class:`SheetSources`),
    ``propagators`` {(σ, step name): unit-sheet Propagator}, ``coef``, ``local`` {step name:
    (3, 3) J_loc}.  Quacks like a solution for :func:`kinetics.output.results.write_fields`
    (``fields``, ``expression``, ``degree``, ``regions``, ``device``): the field ``j_s`` is
    written as its rows ``j_s_x``, ``j_s_y``, ``j_s_z`` (flow vectors of each polarisation)."""

    def __init__(self, device, coef, sources, propagators, degree, propagators_z=None):
        self.device, self.coef, self.sources = device, coef, sources
        self.propagators, self.degree = propagators, degree
        self.propagators_z = dict(propagators_z or {})
        self.regions = list(device.regions)
        self.fields = [_Field("j_s", (3, 3))]
        self.local = {s.step.name: local_currents(coef, s) for s in sources}
        # W[(σ, name)][i] = C α_σ (S12[i, x] + i S12[i, y])
        self.weights = {}
        for ch in coef.channels:
            for s in sources:
                self.weights[(ch.sigma, s.step.name)] = coef.C * ch.alpha_xy * (
                    s.S12[:, 0] + 1j * s.S12[:, 1])
        # W_z[(σ, name)][i] = C α_σ^z S12[i, z]  (Eq. 11, α = z, with χ^(2))
        self.weights_z = {(ch.sigma, s.step.name): coef.C * ch.alpha_z * s.S12[:, 2]
                          for ch in coef.channels for s in sources}

    def phasor_z(self, points) -> np.ndarray:
        """The row α = z of Eq. (11), (j_s^z)_i = C Σ_σ α_σ^z e_z·K^i_(2),σ, as the complex
        amplitude (N, 3) of e^{iΩt} at points (N, 3) in metres (0 without a source with a z
        component).  Collective."""
        n = len(np.atleast_2d(points))
        total = np.zeros((n, 3), dtype=complex)
        for key, K in self.propagators_z.items():
            total += K.values(points)[:, None] * self.weights_z[key][None, :]
        return total

    def at(self, points) -> np.ndarray:
        """The diffusive J[n, α, i] (N, 3, 3), real, at points (N, 3) in metres, Eq. (11):
        row α = z is Re of :meth:`phasor_z` (0 unless a source has a z component).
        Collective; the same on every rank; ValidationError for points outside the mesh."""
        total = 0.0
        for key, K in self.propagators.items():
            total = total + K.values(points)[:, None] * self.weights[key][None, :]
        out = np.zeros((len(np.atleast_2d(points)), 3, 3))
        out[:, 0, :], out[:, 1, :] = np.real(total), np.imag(total)
        if self.propagators_z:
            out[:, 2, :] = np.real(self.phasor_z(points))
        return out

    def expression(self, name="j_s", region=None):
        """UFL (3, 3) tensor J[α, i] of the diffusive currents (mesh functions)."""
        import ufl
        if name != "j_s":
            raise KeyError(f"unknown field '{name}'; fields: j_s")
        rows = [[0.0] * 3 for _ in range(3)]
        for key, K in self.propagators.items():
            W = self.weights[key]
            for i in range(3):
                if W[i] == 0:
                    continue
                rows[0][i] = rows[0][i] + W[i].real * K.real - W[i].imag * K.imag
                rows[1][i] = rows[1][i] + W[i].imag * K.real + W[i].real * K.imag
        for key, K in self.propagators_z.items():
            for i, w in enumerate(self.weights_z[key]):
                if w != 0:
                    rows[2][i] = rows[2][i] + float(w) * K.real
        from dolfinx import fem
        zero = fem.Constant(self.device.mesh, 0.0)      # keeps the domain (unlike 0.0 * f)
        return ufl.as_matrix([[zero + r for r in row] for row in rows])

    def functions(self) -> list:
        """The rows J[α, :] as dolfinx Functions ``j_s_x``, ``j_s_y``, ``j_s_z`` (vector
        discontinuous Lagrange of the propagator degree, shape (3,), same units as
        :meth:`at`)."""
        import ufl
        from dolfinx import fem
        expr = self.expression()
        Q = fem.functionspace(self.device.mesh, ("Discontinuous Lagrange", self.degree, (3,)))
        out = []
        for a, ax in enumerate("xyz"):
            f = fem.Function(Q, name=f"j_s_{ax}")
            f.interpolate(fem.Expression(ufl.as_vector([expr[a, k] for k in range(3)]),
                                         Q.element.interpolation_points()))
            out.append(f)
        return out

    def write(self, path):
        """The ``j_s`` rows as a VTX (.bp) folder for ParaView
        (:func:`kinetics.output.results.write_fields`); returns its Path.  Collective."""
        from kinetics.output.results import write_fields
        return write_fields(self, path)


def spin_currents(device, coef, lambda_so: dict, grad_E, *, robin=(), degree: int = 2,
                  omega: float = 0.0, min_decay_lengths: float = 3.0,
                  on_short: str = "warn") -> SpinCurrents:
    """The spin currents of Eqs. (8)-(13) on ``device`` for λ_SO per region (m²) and the
    field gradient ``grad_E`` at the steps ((3, 3) V/m², or a dict step name -> (3, 3)):
    two unit-sheet solves per step (one per spin, :func:`soc_propagator.propagators`, Robin
    ``robin`` facet names, Lagrange ``degree``, frequency ``omega`` in rad/s).

    For setup A (an FM/SOC-metal slab, λ = {fm: 0, metal: λ_SO},
    ``grad_E = tanh_field_gradient((0, E_y, 0), ξ_E)``) ``at(points)[:, 0:2, 2]`` equals
    :func:`~kinetics.physics.soc_absorption.absorbed_spin_currents` (Eqs. 20-21).

    A source with a z component (an interface not normal to M ∥ z) gives the row α = z of
    Eq. (11) through the unscreened χ^(2) (Eq. 15, :func:`unscreened_wavenumber`), only at
    ``omega`` > 0 (:meth:`SpinCurrents.phasor_z`; ``at`` holds its real part).

    Raises the errors of :func:`lambda_so_steps`; ValidationError for a field gradient giving
    no source (uniform E); NotImplementedError for a z-component source at Ω = 0 (the
    static χ^(2) does not decay) and for ∇·E ≠ 0 (diffusive Eq. 13 needs β_1σ, erratum 5);
    the errors of the propagator solves.
    """
    steps = lambda_so_steps(device, lambda_so)
    sources, scale = [], 0.0
    for st in steps:
        G = grad_E.get(st.name) if isinstance(grad_E, dict) else grad_E
        if G is None:
            raise validation.ValidationError(OWNER, "grad_E", f"an entry for '{st.name}'",
                                             str(sorted(grad_E)))
        sources.append(sheet_sources(st, G))
        scale = max(scale, abs(st.jump) * float(np.max(np.abs(np.asarray(G, float)))))
    zsteps = [s for s in sources if np.any(np.abs(s.S12[:, 2]) > 1e-14 * scale)]
    if zsteps and not omega > 0:
        s = zsteps[0]
        raise NotImplementedError(
            f"{OWNER}: step '{s.step.name}' gives a source with a z component "
            f"(e_z·∇λ_SO × ∂_iE = {s.S12[:, 2]}); j_s^z needs the unscreened χ^(2) of Eq. (15), "
            "whose static kernel 1/(D_στ_σk²) does not decay (the z spin is conserved along M): "
            "give omega > 0 (decay length √(2D_σ/Ω)); the static case is not implemented")
    for s in sources:
        if np.any(np.abs(s.S13) > 1e-14 * scale):
            raise NotImplementedError(
                f"{OWNER}: ∇·E ≠ 0 at step '{s.step.name}'; the diffusive current of Eq. (13) "
                "needs β_1σ, whose second term in (B16) has the undefined ν_α and is not "
                "dimensionless (erratum 5): not evaluated (the local Eq. 9 part: "
                "local_currents)")
    if not any(np.any(np.abs(s.S12) > 1e-14 * scale) for s in sources):
        raise validation.ValidationError(OWNER, "grad_E", "a field gradient ∂_iE not "
                                         "parallel to the step normals (a source of Eq. 12)",
                                         "no source: ∇λ_SO × ∂_iE = 0 at every step")
    props, props_z = {}, {}
    for s in sources:
        if not np.any(np.abs(s.S12[:, :2]) > 1e-14 * scale):
            continue                                    # no x, y source: no χ^(1) solve
        Ks = soc_propagator.propagators(
            device, coef, soc_propagator.Sheet(s.step.name, 1.0), robin=robin, degree=degree,
            omega=omega, min_decay_lengths=min_decay_lengths, on_short=on_short)
        for K in Ks:
            props[(K.sigma, s.step.name)] = K
    op = None
    for s in zsteps:                                    # χ^(2): (-∇² + q^(2)²)K = P^(2) δ_Γ
        for ch in coef.channels:
            q = unscreened_wavenumber(ch, omega)
            if op is None:
                op = soc_propagator.ScreenedDiffusion(device, q, robin=robin, degree=degree)
            else:
                op.set_q(q)
            props_z[(ch.sigma, s.step.name)] = op.solve(
                soc_propagator.Sheet(s.step.name, 1.0), unscreened_prefactor(ch),
                sigma=ch.sigma, omega=omega, min_decay_lengths=min_decay_lengths,
                on_short=on_short)
    return SpinCurrents(device, coef, sources, props, degree, props_z)
