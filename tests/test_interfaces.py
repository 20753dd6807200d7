"""Fields that jump across an interface: per-domain submesh spaces coupled by an interface
conductance (kinetics.models.regions, kinetics.physics.interfaces, the block path of
kinetics.solvers.system).

Two conductors 0 < z < L₁ (σ₁) and L₁ < z < L₁ + L₂ (σ₂) joined by a conductance G per area,
u = U₀ at z = 0, u = U_L at the top, insulating sides: the profiles are linear, P1 is exact.
For an n-component field with diagonal bulk conductivities D₁, D₂ and an n×n interface matrix G,
the current J (constant) solves (G⁻¹ + L₁D₁⁻¹ + L₂D₂⁻¹) J = U₀ − U_L, u₁(z) = U₀ − D₁⁻¹J z,
and u₂(L₁) = u₁(L₁) − G⁻¹J.  σ₁ ≠ σ₂ makes a swapped side ordering fail.  The boxes are long
along x so that the partitioner cuts across the interface (checked on more than one rank).
"""

import numpy as np
import pytest
import ufl
from dolfinx import fem
from mpi4py import MPI

from kinetics.geometry import layered_box
from kinetics.models.regions import RegionFields
from kinetics.physics.interfaces import (conductance_matrix, interface_conductance,
                                         interface_conductance_blocks)
from kinetics.solvers.system import BlockLinearProblem

L1, L2 = 0.5, 0.5
TOL = 1e-10


def device(comm, dim):
    """Default partition: cut across x, so every rank owns interface facets."""
    layers = [("a", L1, 2), ("b", L2, 2)]
    if dim == 2:
        return layered_box([4.0, 1.0], [16, 1], layers, length_unit=1.0, comm=comm)
    return layered_box([2.0, 0.5, 1.0], [8, 2, 1], layers, length_unit=1.0, comm=comm)


def staggered_device(comm, dim):
    """The geometry of :func:`device`, partitioned by hand into blocks along x that are
    shifted between the two layers, so that half of the interface facets (2 ranks) have
    their two cells on different ranks (the '+' or '−' cell a ghost)."""
    import basix.ufl
    from dolfinx import graph
    from dolfinx import mesh as dmesh
    from kinetics.device import Device
    n = [16, 4] if dim == 2 else [8, 2, 4]
    ext = [4.0, 1.0] if dim == 2 else [2.0, 0.5, 1.0]
    idx = np.stack(np.meshgrid(*[np.arange(k) for k in n], indexing="ij"), -1).reshape(-1, dim)
    idx = idx[np.lexsort(idx.T)]                                # x fastest
    stride = np.cumprod([1] + [k + 1 for k in n[:-1]])
    corners = np.stack(np.meshgrid(*[[0, 1]] * dim, indexing="ij"), -1).reshape(-1, dim)[:, ::-1]
    owner = None
    if comm.rank == 0:
        cells = ((idx[:, None, :] + corners[None]) @ stride).astype(np.int64)
        grid = np.stack(np.meshgrid(*[np.arange(k + 1) for k in n], indexing="ij"), -1)
        grid = grid.reshape(-1, dim)[np.lexsort(grid.reshape(-1, dim).T)]
        x = grid * (np.array(ext) / n)
        upper = idx[:, -1] >= n[-1] // 2
        shift = np.where(upper, n[0] // (2 * comm.size), 0)
        owner = (((idx[:, 0] + shift) % n[0]) * comm.size // n[0]).astype(np.int32)
    else:
        cells, x = np.zeros((0, 2 ** dim), dtype=np.int64), np.zeros((0, dim))

    def partition(_comm, _nparts, dual, ghosting):
        data, offsets = [], [0]
        for c in range(dual.num_nodes):
            own = int(owner[c])
            data += [own] + (sorted({int(owner[k]) for k in dual.links(c)} - {own}) if ghosting else [])
            offsets.append(len(data))
        return graph.adjacencylist(np.array(data, dtype=np.int32), np.array(offsets, dtype=np.int32))

    cell = "quadrilateral" if dim == 2 else "hexahedron"
    domain = ufl.Mesh(basix.ufl.element("Lagrange", cell, 1, shape=(dim,)))
    msh = dmesh.create_mesh(comm, cells, x, domain, partitioner=dmesh.create_cell_partitioner(
        partition, dmesh.GhostMode.shared_facet))
    tdim, top = dim, ext[-1]
    msh.topology.create_connectivity(tdim - 1, tdim)
    imap = msh.topology.index_map(tdim)
    all_cells = np.arange(imap.size_local + imap.num_ghosts, dtype=np.int32)
    mid = dmesh.compute_midpoints(msh, tdim, all_cells)[:, dim - 1]
    cell_tags = dmesh.meshtags(msh, tdim, all_cells, np.where(mid < L1, 1, 2).astype(np.int32))
    axis = "xyz"[dim - 1]
    on = lambda z: (lambda p: np.isclose(p[dim - 1], z))
    marked = [(dmesh.locate_entities_boundary(msh, tdim - 1, on(0.0)), 1),
              (dmesh.locate_entities_boundary(msh, tdim - 1, on(top)), 2),
              (dmesh.locate_entities(msh, tdim - 1, on(L1)), 3)]
    f = np.concatenate([m for m, _ in marked]).astype(np.int32)
    v = np.concatenate([np.full(len(m), t, dtype=np.int32) for m, t in marked])
    order = np.argsort(f)
    facet_tags = dmesh.meshtags(msh, tdim - 1, f[order], v[order])
    return Device(msh, cell_tags, facet_tags, {"a": 1, "b": 2},
                  {f"{axis}min": 1, f"{axis}max": 2, "a|b": 3}, length_unit=1.0)


def spin_conductance():
    """An F|N circuit-theory-like 4×4 matrix on (V, μx, μy, μz): G↑ ± G↓ couple the charge to
    the spin along m, a mixing conductance acts on the transverse spin (symmetric, SPD)."""
    g_up, g_dn, g_mix = 3.0, 1.0, 1.5
    m = np.array([0.6, 0.0, 0.8])
    G = np.zeros((4, 4))
    G[0, 0] = g_up + g_dn
    G[0, 1:] = G[1:, 0] = (g_up - g_dn) * m
    G[1:, 1:] = (g_up + g_dn) * np.outer(m, m) + g_mix * (np.eye(3) - np.outer(m, m))
    return G


def exact(D1, D2, G, U0, UL):
    """(u₁(z), u₂(z)) of the 1D problem (n components; scalars are 1×1)."""
    R = L1 * np.linalg.inv(D1) + L2 * np.linalg.inv(D2)
    J = np.linalg.solve(np.linalg.inv(G) + R, U0 - UL)
    u1 = lambda z: U0[None, :] - np.outer(z, np.linalg.solve(D1, J))
    u2 = lambda z: UL[None, :] + np.outer(L1 + L2 - z, np.linalg.solve(D2, J))
    return u1, u2, np.linalg.solve(G, J)


def solve(comm, dim, D1, D2, G, U0, UL, *, staggered=False, swap=False):
    """Solve the two-domain problem; returns the errors and partition facts.  ``swap``: use
    the interface rows with '+' and '−' exchanged (the trap; must fail)."""
    dev = (staggered_device if staggered else device)(comm, dim)
    n = len(U0)
    shape = () if n == 1 else (n,)
    rf = RegionFields(dev, {"left": ["a"], "right": ["b"]}, degree=1, shape=shape)
    assert rf.sides("a|b") == ("left", "right")
    V1, V2 = rf.space("left"), rf.space("right")
    u1, u2 = ufl.TrialFunction(V1), ufl.TrialFunction(V2)
    v1, v2 = ufl.TestFunction(V1), ufl.TestFunction(V2)
    dS = rf.dS("a|b")
    if swap:
        rows = rf.interface_rows("a|b")[:, [2, 3, 0, 1]]
        dS = ufl.Measure("dS", domain=dev.mesh, subdomain_data=[(1, rows.ravel())])(1)
    if n == 1:
        bulk = [D1[0, 0] * ufl.inner(ufl.grad(u1), ufl.grad(v1)) * rf.dx("left"),
                D2[0, 0] * ufl.inner(ufl.grad(u2), ufl.grad(v2)) * rf.dx("right")]
        Gu = G[0, 0]
    else:
        bulk = [ufl.inner(ufl.dot(ufl.as_matrix(D.tolist()), ufl.grad(u)), ufl.grad(v)) * rf.dx(d)
                for D, u, v, d in ((D1, u1, v1, "left"), (D2, u2, v2, "right"))]
        Gu = G
    a = interface_conductance_blocks(u1, u2, v1, v2, Gu, dS)
    a[0][0] += bulk[0]
    a[1][1] += bulk[1]
    value = (lambda U: U[0]) if n == 1 else (lambda U: U)
    bcs = [rf.dirichlet("left", "ymin" if dim == 2 else "zmin", value(U0)),
           rf.dirichlet("right", "ymax" if dim == 2 else "zmax", value(UL))]
    problem = BlockLinearProblem(rf.form(a), bcs, [V1, V2], names=["u_left", "u_right"])
    w1, w2 = problem.solve([None, None])

    e1, e2, jump = exact(D1, D2, G, U0, UL)
    err = 0.0
    for w, ex in ((w1, e1), (w2, e2)):
        V = w.function_space
        nown = V.dofmap.index_map.size_local
        z = V.tabulate_dof_coordinates()[:nown, dim - 1]
        vals = w.x.array.reshape(-1, n)[:nown]
        err = max(err, float(np.max(np.abs(vals - ex(z)), initial=0.0)))
    err = comm.allreduce(err, op=MPI.MAX)

    # the interface jump, averaged over the interface through the ordered measure
    area = comm.allreduce(fem.assemble_scalar(fem.form(
        fem.Constant(dev.mesh, 1.0) * dS)), op=MPI.SUM)
    jerr = 0.0
    for k in range(n):
        c1 = w1 if n == 1 else w1[k]
        c2 = w2 if n == 1 else w2[k]
        avg = comm.allreduce(fem.assemble_scalar(rf.form(
            (c1("+") - c2("-")) * dS)), op=MPI.SUM) / area
        jerr = max(jerr, abs(avg - jump[k]))

    rows = rf.interface_rows("a|b")
    nown = dev.mesh.topology.index_map(dim).size_local
    crossing = comm.allreduce(int(np.count_nonzero((rows[:, 0] >= nown) | (rows[:, 2] >= nown))),
                              op=MPI.SUM)
    owners = comm.allreduce(int(len(rows) > 0), op=MPI.SUM)
    assert np.all(rf.cell_domain[rows[:, 0]] == 0) and np.all(rf.cell_domain[rows[:, 2]] == 1)
    return {"profile": err, "jump": jerr, "area": area, "crossing": crossing, "owners": owners}


def check(comm, dim, n, staggered=False):
    if n == 1:
        D1, D2, G = np.array([[2.0]]), np.array([[0.5]]), np.array([[3.0]])
        U0, UL = np.array([1.0]), np.array([0.0])
    else:
        D1, D2, G = np.diag([2.0, 1.0, 0.7, 1.5]), np.diag([0.5, 0.8, 1.2, 0.3]), spin_conductance()
        U0, UL = np.array([1.0, 0.2, -0.3, 0.5]), np.array([0.0, -0.1, 0.4, 0.0])
    out = solve(comm, dim, D1, D2, G, U0, UL, staggered=staggered)
    width = 4.0 if dim == 2 else 2.0 * 0.5
    assert out["area"] == pytest.approx(width, rel=1e-12)
    assert out["profile"] < TOL, out
    assert out["jump"] < TOL, out
    if comm.size > 1:
        assert out["owners"] == comm.size, out          # every rank owns interface facets
        if staggered:
            assert out["crossing"] > 0, out             # some have their cells on two ranks
    return out


@pytest.mark.parametrize("dim", [2, 3])
def test_scalar_jump_serial(dim):
    out = check(MPI.COMM_SELF, dim, 1)
    J = 1.0 / (L1 / 2.0 + L2 / 0.5 + 1.0 / 3.0)
    assert J / 3.0 == pytest.approx(0.210526315789, abs=1e-11)   # the note's numbers
    assert out["crossing"] == 0


@pytest.mark.parametrize("dim", [2, 3])
def test_spin_jump_serial(dim):
    check(MPI.COMM_SELF, dim, 4)


@pytest.mark.mpi
@pytest.mark.parametrize("dim", [2, 3])
@pytest.mark.parametrize("n", [1, 4])
@pytest.mark.parametrize("staggered", [False, True], ids=["default", "staggered"])
def test_jump_distributed(dim, n, staggered):
    check(MPI.COMM_WORLD, dim, n, staggered)


@pytest.mark.mpi
@pytest.mark.parametrize("n", [1, 4])
def test_swapped_rows_give_wrong_answer(n):
    """The test is sensitive to the trap: exchanging '+' and '−' breaks it (σ₁ ≠ σ₂)."""
    D1, D2, G = np.diag([2.0, 1.0, 0.7, 1.5][:n]), np.diag([0.5, 0.8, 1.2, 0.3][:n]), \
        (np.array([[3.0]]) if n == 1 else spin_conductance())
    U0, UL = np.array([1.0, 0.2, -0.3, 0.5][:n]), np.zeros(n)
    out = solve(MPI.COMM_WORLD, 2, D1, D2, G, U0, UL, staggered=True, swap=True)
    assert out["profile"] > 1e-2


def test_swapped_sides_fail():
    """The '+' side of the ordered measure is domain 1: listing the domains the other way
    round swaps the sides, and the same forms then give a wrong profile."""
    dev = device(MPI.COMM_SELF, 2)
    rf = RegionFields(dev, {"right": ["b"], "left": ["a"]})
    assert rf.sides("a|b") == ("right", "left")
    rows = rf.interface_rows("a|b")
    assert np.all(rf.cell_domain[rows[:, 0]] == 0)
    z = dev.mesh.geometry.x[:, 1]
    mid = np.mean(z[dev.mesh.geometry.dofmap[rows[:, 0]]], axis=1)
    assert np.all(mid > L1)                     # '+' cells are in region b


def test_sum_form_equals_blocks():
    dev = device(MPI.COMM_SELF, 2)
    rf = RegionFields(dev, {"left": ["a"], "right": ["b"]}, shape=(4,))
    V1, V2 = rf.space("left"), rf.space("right")
    w1, w2 = fem.Function(V1), fem.Function(V2)
    w1.interpolate(lambda x: np.vstack([x[0], x[1] ** 2, 1 + x[0] * x[1], np.cos(x[0])]))
    w2.interpolate(lambda x: np.vstack([x[1], 2 + x[0], x[0] ** 2, np.sin(x[0])]))
    G, dS = spin_conductance(), rf.dS("a|b")
    total = fem.assemble_scalar(rf.form(interface_conductance(w1, w2, w1, w2, G, dS)))
    blocks = interface_conductance_blocks(w1, w2, w1, w2, G, dS)
    parts = sum(fem.assemble_scalar(rf.form(f)) for row in blocks for f in row)
    assert total == pytest.approx(parts, rel=1e-12) and total > 0


# ----------------------------------------------------------------------------- errors
@pytest.fixture(scope="module")
def dev3():
    return layered_box([2.0, 1.5], [4, 1], [("a", 0.5, 1), ("b", 0.5, 1), ("c", 0.5, 1)],
                       length_unit=1.0, comm=MPI.COMM_SELF)


def test_unknown_region(dev3):
    with pytest.raises(KeyError, match="unknown region 'x'.*a, b, c"):
        RegionFields(dev3, {"left": ["a"], "right": ["x"]})


def test_region_in_two_domains(dev3):
    with pytest.raises(ValueError, match="region 'b' is in two domains"):
        RegionFields(dev3, {"left": ["a", "b"], "right": ["b", "c"]})


def test_empty_domain_and_bad_space(dev3):
    with pytest.raises(ValueError, match="non-empty list"):
        RegionFields(dev3, {"left": [], "right": ["c"]})
    with pytest.raises(ValueError, match="non-empty list"):
        RegionFields(dev3, {"left": "a"})
    with pytest.raises(ValueError, match="degree"):
        RegionFields(dev3, degree=0)
    with pytest.raises(ValueError, match="shape"):
        RegionFields(dev3, shape=(2, 2))


def test_interface_errors(dev3):
    rf = RegionFields(dev3, {"left": ["a", "b"], "right": ["c"]})
    assert rf.interfaces == {"b|c": ("left", "right")}
    with pytest.raises(KeyError, match="unknown interface 'x|y'.*b\\|c"):
        rf.dS("x|y")
    with pytest.raises(ValueError, match="'a\\|b' is not an interface.*left\\|left"):
        rf.dS("a|b")
    with pytest.raises(ValueError, match="'ymin' is not an interface.*no interior facets"):
        rf.dS("ymin")
    partial = RegionFields(dev3, {"left": ["a"], "mid": ["b"]})   # c carries no field
    with pytest.raises(ValueError, match="no domain"):
        partial.dS("b|c")
    with pytest.raises(KeyError, match="unknown domain 'x'.*left, right"):
        rf.space("x")
    with pytest.raises(KeyError, match="unknown boundary 'nope'"):
        rf.ds("left", "nope")
    with pytest.raises(ValueError, match="no exterior facet of 'ymax' bounds domain 'left'"):
        rf.ds("left", "ymax")
    with pytest.raises(ValueError, match="'ymax' does not touch domain 'left'"):
        rf.dirichlet("left", "ymax", 0.0)
    with pytest.raises(ValueError, match="shape"):
        rf.dirichlet("left", "ymin", [1.0, 2.0])


def test_dirichlet_and_ds_on_faces(dev3):
    """A Dirichlet face that spans two domains splits between them; ds areas add up."""
    rf = RegionFields(dev3, {"left": ["a", "b"], "right": ["c"]})
    one = fem.Constant(dev3.mesh, 1.0)
    lengths = {d: fem.assemble_scalar(fem.form(one * rf.ds(d, "xmin"))) for d in rf.names}
    assert lengths["left"] == pytest.approx(1.0) and lengths["right"] == pytest.approx(0.5)
    for d, nodes in (("left", 3), ("right", 2)):
        bc = rf.dirichlet(d, "xmin", 2.0)
        assert len(bc.dof_indices()[0]) == nodes


def test_conductance_shape_errors():
    assert conductance_matrix(2.0, 0) == 2.0
    with pytest.raises(ValueError, match="shape \\(3, 3\\)"):
        conductance_matrix(np.eye(3), 4)
    with pytest.raises(ValueError, match="scalar"):
        conductance_matrix(np.eye(2), 0)
