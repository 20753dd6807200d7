"""The retarded solution of a :class:`~kinetics.usadel.problem.UsadelProblem` as 4×4 numpy
arrays at quadrature points or nodes: ǧ, its gradient ∂ǧ on the physical axes, Δ and the
region parameters, for the post-processing and kinetic modules
(:mod:`kinetics.usadel.torque`, :mod:`kinetics.usadel.keldysh`).

Gradients: mesh coordinate j is the physical axis ``device.axes[j]`` (as in
:mod:`kinetics.physics.spin_charge`); ∂ǧ has the three physical axes x, y, z with zeros
along the axes the mesh does not span.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from kinetics.usadel.extrinsic import gradient_from_riccati
from kinetics.usadel.parameters import unpack

__all__ = ["axis_indices", "quadrature_rule", "CellData", "cell_parameters", "sample"]


def axis_indices(device) -> tuple[int, ...]:
    """Physical axis index (0, 1, 2 for x, y, z) of each mesh coordinate."""
    return tuple("xyz".index(a) for a in device.axes)


def quadrature_rule(mesh, degree: int):
    """(points (nq, tdim), weights (nq,)) of the default basix rule of ``degree`` on the
    mesh's cell (the rule FFCx uses for ``dx(metadata={"quadrature_degree": degree})``)."""
    import basix
    cell = basix.CellType[mesh.topology.cell_name()]
    return basix.make_quadrature(cell, degree)


@dataclasses.dataclass
class CellData:
    """Region parameters per local cell (owned and ghost), arrays of shape (n_cells,) or
    (n_cells, 3): D, θ, κ, 1/τ_sf, 1/τ_so, h."""

    D: np.ndarray
    theta: np.ndarray
    kappa: np.ndarray
    inv_tau_sf: np.ndarray
    inv_tau_so: np.ndarray
    h: np.ndarray


def cell_parameters(problem) -> CellData:
    """The :class:`CellData` of ``problem`` (a UsadelProblem) from its regions and the
    device's cell tags.  ValueError if a local cell has no region."""
    msh = problem.mesh
    tdim = msh.topology.dim
    imap = msh.topology.index_map(tdim)
    n = imap.size_local + imap.num_ghosts
    out = {k: np.full(n, np.nan) for k in ("D", "theta", "kappa", "inv_tau_sf", "inv_tau_so")}
    h = np.full((n, 3), np.nan)
    for name, reg in problem.regions.items():
        cells = problem.device.cell_tags.find(problem.device.region_tag(name))
        out["D"][cells] = reg.D
        out["theta"][cells] = reg.theta
        out["kappa"][cells] = reg.kappa
        out["inv_tau_sf"][cells] = 1.0 / reg.tau_sf
        out["inv_tau_so"][cells] = 1.0 / reg.tau_so
        h[cells] = reg.h
    if np.isnan(out["D"]).any():
        raise ValueError("some cells of the mesh belong to no region of the Usadel problem")
    return CellData(h=h, **out)


class _Evaluators:
    """Compiled expressions u, ∇u and Δ at the reference points of a quadrature rule."""

    def __init__(self, problem, points):
        import ufl
        from dolfinx import fem
        self.u = fem.Expression(problem.u, points)
        self.du = fem.Expression(ufl.grad(problem.u), points)
        self.delta = fem.Expression(problem._delta, points)
        self.x = fem.Expression(ufl.SpatialCoordinate(problem.mesh), points)


def sample(problem, cells: np.ndarray, evaluators: _Evaluators, nq: int):
    """(x, ǧ, ∂ǧ, Δ) of the current solution of ``problem`` at the nq points of each of
    ``cells``: x (nc, nq, gdim) mesh coordinates, ǧ (nc, nq, 4, 4), ∂ǧ (nc, nq, 3, 4, 4) in
    1/mesh length on the physical axes, Δ (nc, nq) complex (energy units).  Each cell uses
    the block of its domain (:attr:`UsadelProblem.cell_domain`)."""
    msh = problem.mesh
    gdim = msh.geometry.dim
    K = len(problem.domains)
    nc = len(cells)
    u = evaluators.u.eval(msh, cells).reshape(nc, nq, 16 * K)
    du = evaluators.du.eval(msh, cells).reshape(nc, nq, 16 * K, gdim)
    dl = evaluators.delta.eval(msh, cells).reshape(nc, nq, 2)
    x = evaluators.x.eval(msh, cells).reshape(nc, nq, gdim)
    dom = np.maximum(problem.cell_domain[cells], 0)
    if K > 1:
        idx = 16 * dom[:, None] + np.arange(16)[None, :]             # (nc, 16)
        u = np.take_along_axis(u, idx[:, None, :], axis=2)
        du = np.take_along_axis(du, idx[:, None, :, None], axis=2)
    gam, gam_t = unpack(u)
    dgam = np.zeros((nc, nq, 3, 2, 2), complex)
    dgam_t = np.zeros((nc, nq, 3, 2, 2), complex)
    for j, ax in enumerate(axis_indices(problem.device)):
        dgam[:, :, ax], dgam_t[:, :, ax] = unpack(du[..., j])
    g, dg = gradient_from_riccati(gam, gam_t, dgam, dgam_t)
    return x, g, dg, dl[..., 0] + 1j * dl[..., 1]
