"""Assembly helpers for sweeps: the compact spin-charge matrix and the interface (Robin) part.

An angular (SMR) sweep changes only the HM|FI boundary term n·j_s = G_s μ + G_r(μ − (m·μ)m)
− G_i m×μ (design.md §3).  :class:`kinetics.models.spin_charge.SpinChargeProblem` therefore assembles
the exterior-facet integrals of its bilinear form separately (:func:`interface_form`,
:func:`assemble_interface`) and updates A(m_new) = A(m_old) + B(m_new) − B(m_old) over
interface facets only, and the right-hand side by the interface part of the Dirichlet
lifting (:func:`kinetics.solvers.system.interface_lifting`).  :func:`compact_matrix` preallocates only the
structurally nonzero component couplings of the blocked (bs = 4) operator.

Finite-element plumbing only: the physics is in :mod:`kinetics.physics`.
"""

from __future__ import annotations

import numpy as np

from kinetics.solvers.system import assemble_rhs, interface_lifting

__all__ = ["interface_form", "assemble_interface", "compact_matrix", "rhs_fingerprint",
           "RightHandSide", "scalar_node_space", "diagonal_blocks"]


def interface_form(a_ufl):
    """The exterior-facet (Robin, m-dependent) integrals of the bilinear form ``a_ufl`` as
    a compiled dolfinx form, or None when there are none."""
    import ufl
    from dolfinx import fem

    from kinetics.solvers.jit import jit_options
    facet = [i for i in a_ufl.integrals() if i.integral_type() == "exterior_facet"]
    return fem.form(ufl.Form(facet), jit_options=jit_options()) if facet else None


def assemble_interface(form, bcs, B=None):
    """Assemble the interface form with the Dirichlet rows and columns of ``bcs`` zeroed
    and no unit diagonal (the full matrix has it), into B (reused, zeroed) or a new matrix.
    Returns the assembled PETSc matrix."""
    from dolfinx import cpp
    from dolfinx.fem import petsc as fpetsc
    if B is None:
        B = fpetsc.create_matrix(form)
    else:
        B.zeroEntries()
    cpp.fem.petsc.assemble_matrix(B, form._cpp_object,
                                  cpp.fem.pack_constants(form._cpp_object),
                                  cpp.fem.pack_coefficients(form._cpp_object),
                                  [bc._cpp_object for bc in bcs])
    B.assemble()
    return B


def compact_matrix(a_form, W, device, interface_names):
    """An empty PETSc matrix for ``a_form`` holding only the structurally nonzero
    couplings of a spin-isotropic bulk (no spin swapping, no gauge field: the caller
    checks), or None when the space is not blocked with bs = 4.

    dolfinx preallocates all 16 component couplings of every pair of neighbouring
    nodes.  Without spin swapping and gauge fields the bulk couples V-V, V-μ_a, μ_a-V
    and μ_a-μ_a only (10 of 16); the full 4x4 blocks are kept for node pairs on a
    magnetic interface (the Robin term couples μ_x, μ_y, μ_z there, and sweeps change
    those entries).  The other (exactly zero) entries are skipped on insertion, which
    saves 35-40 % of the matrix memory and of every matrix-vector product.

    Parameters
    ----------
    a_form:
        The compiled bilinear form on the blocked space W (4 components per node).
    W:
        Its function space.
    device:
        The :class:`kinetics.device.Device` (facet tags and communicator).
    interface_names:
        Boundary names of the magnetic interfaces (full 4x4 blocks there).
    """
    from dolfinx import fem, la
    from petsc4py import PETSc
    dev = device
    comm = dev.comm
    imap = W.dofmap.index_map
    if W.dofmap.index_map_bs != 4:
        return None
    sp = fem.create_sparsity_pattern(a_form)
    sp.finalize()
    g0, g1 = sp.graph
    # (offsets, columns) of the node graph; its rows are the owned nodes (then ghosts)
    is_offsets = g0.size > 0 and g0[0] == 0 and g0[-1] == g1.size and np.all(np.diff(g0) >= 0)
    offsets, cols = (g0, g1) if is_offsets else (g1, g0)
    n = imap.size_local
    offsets = offsets[:n + 1]
    cols = cols[:offsets[-1]]
    cmap = sp.column_index_map()
    l2g = np.asarray(cmap.local_to_global(
        np.arange(cmap.size_local + cmap.num_ghosts, dtype=np.int32)), dtype=np.int64)
    # nodes on magnetic interfaces, made consistent across ranks
    flag = la.vector(imap, 1, dtype=np.float64)
    flag.array[:] = 0.0
    fdim = dev.dim - 1
    for name in interface_names:
        facets = dev.facet_tags.find(dev.boundary_tag(name))
        flag.array[fem.locate_dofs_topological(W, fdim, facets)] = 1.0
    flag.scatter_reverse(la.InsertMode.add)
    flag.scatter_forward()
    node_iface = flag.array > 0              # dofmap numbering (owned + ghosts)
    # the same flags in the column numbering of the pattern; a column this rank does
    # not know is treated as an interface node (a full 4x4 block: conservative)
    dof_l2g = np.asarray(imap.local_to_global(
        np.arange(node_iface.size, dtype=np.int32)), dtype=np.int64)
    order = np.argsort(dof_l2g)
    pos = np.clip(np.searchsorted(dof_l2g[order], l2g), 0, dof_l2g.size - 1)
    known = dof_l2g[order][pos] == l2g
    col_iface = np.where(known, node_iface[order][pos], True)
    row_iface = node_iface[:n]
    counts_row = np.diff(offsets)
    row = np.repeat(np.arange(n, dtype=np.int32), counts_row)
    gcol = l2g[cols]
    order = np.lexsort((gcol, row))
    gcol = gcol[order]
    pair_iface = row_iface[row] & col_iface[cols[order]]
    del row, order
    bulk = np.array([[True, True, True, True],
                     [True, True, False, False],
                     [True, False, True, False],
                     [True, False, False, True]])
    comp = np.arange(4)
    counts = np.empty((n, 4), dtype=np.int64)
    blocks = []
    for c in range(4):
        allowed = bulk[c][None, :] | pair_iface[:, None]
        counts[:, c] = np.add.reduceat(allowed.sum(axis=1), offsets[:-1]) if n else 0
        blocks.append(((4 * gcol)[:, None] + comp[None, :])[allowed].astype(PETSc.IntType))
        del allowed
    indptr = np.zeros(4 * n + 1, dtype=PETSc.IntType)
    np.cumsum(counts.ravel(), out=indptr[1:])
    indices = np.empty(int(indptr[-1]), dtype=PETSc.IntType)
    starts = indptr[:-1].reshape(n, 4)
    for c in range(4):
        cnt = counts[:, c]
        local_start = np.concatenate([[0], np.cumsum(cnt)[:-1]])
        dest = np.repeat(starts[:, c] - local_start, cnt) + np.arange(int(cnt.sum()))
        indices[dest] = blocks[c]
        blocks[c] = None
    del blocks, gcol, pair_iface
    N = imap.size_global
    A = PETSc.Mat().create(comm)
    A.setSizes(((4 * n, 4 * N), (4 * n, 4 * N)), bsize=4)
    A.setType(PETSc.Mat.Type.AIJ)
    A.setPreallocationCSR((indptr, indices))
    del indptr, indices
    lg_nodes = np.asarray(imap.local_to_global(
        np.arange(n + imap.num_ghosts, dtype=np.int32)), dtype=PETSc.IntType)
    lgmap = PETSc.LGMap().create(lg_nodes, bsize=4, comm=comm)
    A.setLGMap(lgmap, lgmap)
    # a coupling outside the pattern (none expected) costs a malloc, not an error
    A.setOption(PETSc.Mat.Option.NEW_NONZERO_ALLOCATION_ERR, False)
    A.setOption(PETSc.Mat.Option.IGNORE_ZERO_ENTRIES, True)
    return A


class RightHandSide:
    """The right-hand side b of a problem, kept across solves.

    After an interface-only change of the operator (a new m) only the interface part of the
    Dirichlet lifting is recomputed, b += l(m_new) − l(m_old), provided nothing else b
    depends on changed (:func:`rhs_fingerprint`); otherwise b is assembled afresh.

    Parameters
    ----------
    L_ufl, L_form:
        The linear form (UFL and compiled).
    a_form:
        The compiled bilinear form (for the lifting).
    bcs:
        The Dirichlet conditions.
    interface_form:
        Callable returning the compiled interface part of ``a_form`` (:func:`interface_form`).
    """

    def __init__(self, L_ufl, L_form, a_form, bcs, interface_form):
        self.L_ufl, self.L_form, self.a_form, self.bcs = L_ufl, L_form, a_form, bcs
        self.interface_form = interface_form
        self._b = self._lift = self._fingerprint = None

    def _lifting(self):
        return interface_lifting(self.L_form, self.interface_form(), self.bcs)

    def vector(self, interface_changed: bool, track: bool):
        """b for the current operator (owned by this object: do not destroy it).

        ``interface_changed``: only the interface part of the operator changed since the
        last call.  ``track``: keep the interface lifting for such updates (False when
        there is no interface part, b depends on m, or reuse is off)."""
        from dolfinx.fem import petsc as fpetsc
        b, lift = self._b, self._lift
        if b is not None and lift is not None and interface_changed and track:
            fingerprint = rhs_fingerprint(self.L_ufl, self.L_form, self.bcs)
            if (fingerprint is not None and fingerprint.shape == self._fingerprint.shape
                    and np.array_equal(fingerprint, self._fingerprint)):
                new = self._lifting()
                b.axpy(1.0, new)
                b.axpy(-1.0, lift)
                lift.destroy()
                self._lift = new
                fpetsc.set_bc(b, self.bcs)
                return b
        for vec in (b, lift):
            if vec is not None:
                vec.destroy()
        self._b = assemble_rhs(self.L_form, self.a_form, self.bcs)
        self._lift = self._fingerprint = None
        if track:
            self._lift = self._lifting()
            self._fingerprint = rhs_fingerprint(self.L_ufl, self.L_form, self.bcs)
            if self._fingerprint is None:       # changes of L cannot be seen: no updates
                self._lift.destroy()
                self._lift = None
        return self._b


def rhs_fingerprint(L_ufl, L_form, bcs):
    """What b depends on besides m: the constants of L and the Dirichlet values (None
    when L has coefficient functions, whose changes cannot be seen cheaply)."""
    from dolfinx import cpp
    if L_ufl.coefficients():
        return None
    parts = [np.asarray(cpp.fem.pack_constants(L_form._cpp_object), dtype=float)]
    for bcond in bcs:
        g = getattr(bcond, "g", None)
        value = getattr(g, "value", g)
        if value is not None:
            parts.append(np.atleast_1d(np.asarray(value, dtype=float)).ravel())
    return np.concatenate(parts)


def scalar_node_space(W):
    """The scalar space of W's first component if it numbers the nodes exactly as W does
    (node i of the scalar space = block i of W, on every rank), else None."""
    from mpi4py import MPI
    if W.dofmap.index_map_bs != 4:
        return None
    Q, maps = W.sub(0).collapse()
    n = Q.dofmap.index_map.size_local + Q.dofmap.index_map.num_ghosts
    same = np.array_equal(np.asarray(maps), 4 * np.arange(n))
    return Q if Q.mesh.comm.allreduce(same, op=MPI.LAND) else None


def diagonal_blocks(W, bulk, dirichlet_facets, *, spin_components=(0, 1, 2)):
    """The charge block and the (averaged) spin block of the bulk operator, assembled as
    scalar matrices on the nodes of W, for the block preconditioner
    (:class:`kinetics.solvers.block_pc.SpinChargePC`), so that the full operator need not be an
    AIJ matrix from which they are extracted (a BAIJ matrix assembles 2-3x faster).

    Parameters
    ----------
    W:
        The blocked space (V, μx, μy, μz), block size 4.
    bulk:
        ``bulk(V, mu, v, w)`` -> the UFL bulk form of the problem (all regions, cell
        integrals only: :func:`kinetics.physics.spin_charge.bulk_form` summed).
    dirichlet_facets:
        ``{"charge": facets, "spin": facets}``: facets (local indices, dimension d-1)
        where V, respectively all three spin components, are prescribed; those rows and
        columns get the unit diagonal the full operator has.
    spin_components:
        Spin components whose diagonal blocks are averaged (one suffices for a
        spin-isotropic bulk).

    Returns
    -------
    dict
        ``{"charge": Mat, "spin": Mat}`` (PETSc AIJ, the numbering of W's nodes), or None
        when the collapsed scalar space does not share W's node numbering (then the
        preconditioner extracts the blocks from an AIJ operator instead).
    """
    import ufl
    from dolfinx import fem
    from dolfinx.fem import petsc as fpetsc

    from kinetics.solvers.jit import jit_options
    Q = scalar_node_space(W)
    if Q is None:
        return None
    s, r = ufl.TrialFunction(Q), ufl.TestFunction(Q)
    zero = ufl.as_vector([0 * s, 0 * s, 0 * s])
    zero_t = ufl.as_vector([0 * r, 0 * r, 0 * r])

    def along(f, c):
        return ufl.as_vector([f if k == c else 0 * f for k in range(3)])

    charge = bulk(s, zero, r, zero_t)
    spin = sum(bulk(0 * s, along(s, c), 0 * r, along(r, c)) for c in spin_components)
    spin = (1.0 / len(spin_components)) * spin
    fdim = Q.mesh.topology.dim - 1
    out = {}
    for name, form in (("charge", charge), ("spin", spin)):
        dofs = fem.locate_dofs_topological(Q, fdim, dirichlet_facets[name])
        bcs = [fem.dirichletbc(np.float64(0.0), dofs, Q)]
        compiled = fem.form(form, jit_options=jit_options())
        # both blocks live on the same cells: one sparsity pattern serves both
        M = fpetsc.create_matrix(compiled) if not out else out["charge"].duplicate()
        M.zeroEntries()
        fpetsc.assemble_matrix(M, compiled, bcs=bcs)
        M.assemble()
        out[name] = M
    return out
