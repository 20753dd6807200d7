"""Block preconditioner for the interleaved spin-charge unknowns u = (V, μx, μy, μz).

:class:`SpinChargePC` is a petsc4py ``python`` PC used by the ``iterative`` preset of
:mod:`kinetics.solvers.linear`.  It splits the operator into the charge block and the spin block
(the PCFIELDSPLIT idea, written out so that the spin block can be taken in the frame of
the interface magnetization), each preconditioned by hypre BoomerAMG.  Why the frame: the
HM|FI boundary term n·j_s = G_s μ + G_r(μ − (m·μ)m) − G_i m×μ (design.md §3; seed 004
Eqs. 35, 39-44; Chen et al. 2013 Eq. 7) has its G_s and G_r parts diagonal in the basis
(m, e2, e3); the G_i rotation couples only the two transverse components, which share
one AMG, and is left to GMRES.  The two scalar hierarchies (along m, across m) do not
depend on the direction of m, so an angular sweep keeps them.

For operators with magnets and F|N junctions inside (:class:`kinetics.models.circuit.
CircuitProblem`: several domains in one AIJ matrix of block size 4) the ``rotated`` form
takes the spin blocks from the operator itself in the frame of one magnet, each shifted by
its couplings to the other two (:func:`rotated_spin_blocks`): exact along m, and a
mesh-independent preconditioner of the exchange-precession pair across m.
"""

from __future__ import annotations

import time

import numpy as np

__all__ = ["SpinChargePC", "spin_frame"]


def _component_is(A, comp: int, bs: int):
    from petsc4py import PETSc
    r0, r1 = A.getOwnershipRange()
    return PETSc.IS().createStride((r1 - r0) // bs, r0 + comp, bs, comm=A.getComm())


def spin_frame(m) -> np.ndarray:
    """The orthonormal spin frame of a magnetization: a (3, 3) array whose rows are m/|m| and
    two unit vectors e2, e3 completing a right-handed frame (e3 = m × e2)."""
    m = np.asarray(m, dtype=float)
    m = m / np.linalg.norm(m)
    a = np.eye(3)[int(np.argmin(np.abs(m)))]
    e2 = np.cross(m, a)
    e2 /= np.linalg.norm(e2)
    return np.array([m, e2, np.cross(m, e2)])


def _interface_combination(B, weights):
    """The scalar matrix Σ_ab weights[a, b] B_ab of the 3x3 spin blocks (a, b = μx, μy, μz)
    of the interface matrix B (block size 4), one row per node."""
    ip, jj, blocks = _spin_blocks(B)
    return _scalar_aij(B, ip, jj, np.einsum("nab,ab->n", blocks, np.asarray(weights)))


def _scalar_aij(B, ip, jj, data):
    """An assembled AIJ matrix with one row and column per node of B (block size 4) from
    the local CSR arrays (:func:`_spin_blocks` layout)."""
    from petsc4py import PETSc
    n, N = len(ip) - 1, B.getSize()[0] // 4
    C = PETSc.Mat().createAIJ(size=((n, N), (n, N)), csr=(ip, jj, data), comm=B.getComm())
    C.assemble()
    return C


def _spin_blocks(B):
    """The 3x3 spin blocks of the (block size 4) matrix B node by node: ``(ip, jj, blocks)``
    with the CSR row pointer over the local nodes, the global column nodes and a
    (nnz, 3, 3) array.  The nine component submatrices come from PETSc; when they share
    one sparsity pattern (the blocked pattern of dolfinx's vector spaces) their values are
    stacked, otherwise their nonzeros are merged node by node."""
    from petsc4py import PETSc
    iss = [_component_is(B, c, 4) for c in (1, 2, 3)]
    csr = [[B.createSubMatrix(iss[a], iss[b]) for b in range(3)] for a in range(3)]
    parts = [[M.getValuesCSR() for M in row] for row in csr]
    for obj in iss + [M for row in csr for M in row]:
        obj.destroy()
    ip, jj, _ = parts[0][0]
    if all(np.array_equal(p[0], ip) and np.array_equal(p[1], jj) for row in parts for p in row):
        blocks = np.stack([np.stack([p[2] for p in row], axis=-1) for row in parts], axis=-2)
        return ip, jj, blocks
    r0, r1 = B.getOwnershipRange()
    n, N = (r1 - r0) // 4, B.getSize()[0] // 4
    keys, where = [], []
    for a in range(3):
        for b in range(3):
            p_ip, p_jj, p_v = parts[a][b]
            rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(p_ip))
            keys.append(rows * N + p_jj)
            where.append((a, b, p_v))
    uniq, inv = np.unique(np.concatenate(keys), return_inverse=True)
    blocks = np.zeros((uniq.size, 3, 3))
    start = 0
    for (a, b, v), k in zip(where, keys):
        np.add.at(blocks[:, a, b], inv[start:start + k.size], v)
        start += k.size
    ip = np.zeros(n + 1, dtype=PETSc.IntType)
    np.cumsum(np.bincount(uniq // N, minlength=n), out=ip[1:])
    return ip, (uniq % N).astype(PETSc.IntType), blocks


def rotated_spin_blocks(P, E):
    """The three scalar spin operators of the rotated preconditioner, as AIJ matrices on
    the nodes of P (block size 4): in the frame E (rows m, e2, e3; :func:`spin_frame`),
    S_k = P_kk + Σ_{l≠k} |P_kl|, with P_kl = Σ_ab E_ka E_lb P_ab the rotated spin blocks
    and |·| entrywise.

    In a ferromagnet with m along E[0] the rotated blocks are exact: P_mm is the
    longitudinal operator K + c_sf M, P_22 = P_33 = K + (c_sf + 1/λ_φ²)M, and the exchange
    precession is the skew coupling P_23 = −P_32 = ±M/λ_J² (K stiffness, M mass, both
    with σ/2; Valet & Fert, PRB 48, 7099 (1993); Petitjean et al., PRL 109, 117204 (2012)).
    The transverse pair is the real form of the complex operator K + (k_r ∓ i k_i)M,
    k_r = c_sf + 1/λ_φ², k_i = 1/λ_J², which K + (k_r + k_i)M preconditions with
    eigenvalues (κ + k_r ± i k_i)/(κ + k_r + k_i) (κ ≥ 0 the eigenvalues of M⁻¹K): of modulus
    between 1/√2 and 1 and argument below arctan(k_i/k_r), whatever the mesh; the shift
    |P_23| is exactly that.  The Hanle precession of a normal metal is a skew pair across
    B of the same kind (k_r = 1/λ_N², k_i = ω_L τ_s/λ_N²): when ω_L τ_s ≫ 1 the argument
    nears 90° and GMRES needs more iterations (37 instead of 15 at ω_L τ_s ≈ 2 on the
    benchmark valve, benchmarks/nlsv.py).  The shifts also bound the symmetric cross
    couplings of a magnet at an angle to E[0].

    Parameters
    ----------
    P:
        AIJ matrix of block size 4 (interleaved V, μx, μy, μz of one or several spaces).
    E:
        (3, 3) orthonormal frame, rows m, e2, e3.

    Returns
    -------
    list of petsc4py.PETSc.Mat
        [S_∥, S_2, S_3], scalar AIJ matrices (one row per node); owned by the caller.
    """
    ip, jj, blocks = _spin_blocks(P)
    R = np.einsum("ka,nab,lb->nkl", E, blocks, E)
    shift = np.abs(R).sum(axis=2)
    return [_scalar_aij(P, ip, jj, R[:, k, k] + shift[:, k] - np.abs(R[:, k, k]))
            for k in range(3)]


class SpinChargePC:
    """Block preconditioner for u = (V, μx, μy, μz) (a petsc4py ``python`` PC context).

    Built from the preconditioning matrix P (block size 4) and optional hints that
    :class:`kinetics.models.spin_charge.SpinChargeProblem` provides through
    :meth:`kinetics.solvers.linear.LinearSolver.set_block_hints`:

    ``interface``
        The assembled HM|FI (Robin) part B of the operator (AIJ, same layout as P).
    ``frame``
        The (uniform) magnetization m seen at the interface(s), or None.
    ``blocks``
        The bulk charge block and bulk spin block S0 assembled as scalar matrices
        (``{"charge": Mat, "spin": Mat}``, copied, or a callable returning a fresh such
        dict at every set-up); when given, nothing is extracted from P (then P may be BAIJ).
    ``rotated``
        True for operators with magnets and junctions inside (several domains of
        :class:`kinetics.models.circuit.CircuitProblem` in one AIJ matrix of block size 4):
        the charge block is P_VV and the two spin blocks are taken from P in the frame of
        ``frame`` (z when None) by :func:`rotated_spin_blocks`.

    Charge block: P_VV.  Spin blocks: S0 = (1/3) Σ_a (P_aa − B_aa), the bulk spin operator
    (identical for the three components when the bulk is spin-isotropic), plus the Robin
    term resolved in the frame (m, e2, e3): S_∥ = S0 + Σ_ab m_a m_b B_ab along m and
    S_⊥ = S0 + ½ Σ_{k=2,3} Σ_ab e_ka e_kb B_ab across.  For G = G_r (I − m mᵀ) + G_s those
    blocks do not depend on the direction of m.  Without a frame one AMG of
    S0 + (1/3) Σ_a B_aa serves the three components.  For block sizes other than 4 (or no
    hint) every component gets its own AMG, composed additively.
    """

    def __init__(self):
        self.interface = None
        self.frame = None
        self.spin_charge = False
        self.composition = "multiplicative"
        self.spin_mode = "auto"
        self.isotropic = False
        self.blocks = None
        self.rotated = False
        self._pcs: list = []
        self._mats: list = []
        self._frame_rows = None
        self.bs = None
        self.setup_count = 0
        self.setup_time = 0.0
        #: seconds spent assembling blocks from forms (part of setup_time; reported by
        #: LinearSolver as assembly, not as preconditioner set-up)
        self.assembly_time = 0.0

    # petsc4py python-PC protocol ---------------------------------------------------------
    def setFromOptions(self, pc):
        from petsc4py import PETSc
        opts = PETSc.Options(pc.getOptionsPrefix() or "")
        self.composition = opts.getString("block_composition", self.composition)
        self.spin_mode = opts.getString("block_spin", self.spin_mode)
        if self.composition not in ("multiplicative", "additive"):
            raise ValueError(f"block_composition must be multiplicative or additive, got "
                             f"'{self.composition}'")
        if self.spin_mode not in ("auto", "frame", "average"):
            raise ValueError(f"block_spin must be auto, frame or average, got '{self.spin_mode}'")

    def _sub_pc(self, pc, M, name: str):
        from petsc4py import PETSc
        prefix = (pc.getOptionsPrefix() or "") + name + "_"
        opts = PETSc.Options()
        sub = PETSc.PC().create(M.getComm())
        sub.setOptionsPrefix(prefix)
        sub.setOperators(M, M)
        if not opts.hasName(prefix + "pc_type"):
            sub.setType("hypre")
            if not opts.hasName(prefix + "pc_hypre_type"):
                sub.setHYPREType("boomeramg")
            # global C/F measure: on several ranks as good as serial (7 instead of 8-10
            # iterations on 2 ranks); identical in serial
            if not opts.hasName(prefix + "pc_hypre_boomeramg_measure_type"):
                opts[prefix + "pc_hypre_boomeramg_measure_type"] = "global"
        sub.setFromOptions()
        if sub.getType() == "hypre" and M.getType() != "hypre":
            # hand hypre its own format: the AIJ copy is replaced, not duplicated
            M.convert("hypre")
            sub.setOperators(M, M)
        sub.setUp()
        return sub

    def _destroy_blocks(self):
        for obj in self._pcs + self._mats:
            obj.destroy()
        self._pcs, self._mats = [], []

    def setUp(self, pc):
        t0 = time.perf_counter()
        self._destroy_blocks()
        A, P = pc.getOperators()
        self.A = A
        bs = P.getBlockSize()
        self.bs = bs
        self._frame_rows = None
        if not (self.spin_charge and bs == 4):
            iss = [_component_is(P, c, bs) for c in range(bs)]
            self._mats = [P.createSubMatrix(i, i) for i in iss]
            self._pcs = [self._sub_pc(pc, M, f"block{c}") for c, M in enumerate(self._mats)]
            self._groups = [(c,) for c in range(bs)]
            for i in iss:
                i.destroy()
        else:
            self._setup_spin_charge(pc, P)
        self._x = [M.createVecRight() for M in self._mats]
        self._y = [M.createVecRight() for M in self._mats]
        self._work = A.createVecRight()
        self.setup_count += 1
        self.setup_time += time.perf_counter() - t0

    def _setup_spin_charge(self, pc, P):
        from petsc4py import PETSc
        SUB = PETSc.Mat.Structure.SUBSET_NONZERO_PATTERN
        if self.rotated and self.blocks is None:
            # several magnets and junctions inside P: every spin block from P, in one frame
            E = spin_frame(self.frame if self.frame is not None else (0.0, 0.0, 1.0))
            self._frame_rows = E
            iss = _component_is(P, 0, 4)
            V = P.createSubMatrix(iss, iss)
            iss.destroy()
            self._mats = [V, *rotated_spin_blocks(P, E)]
            self._pcs = [self._sub_pc(pc, M, "charge" if k == 0 else "spin")
                         for k, M in enumerate(self._mats)]
            return
        B = self.interface
        bulk = np.zeros((3, 3))
        if self.blocks is not None:
            # bulk blocks assembled from scalar forms (the operator may be BAIJ); a callable
            # assembles fresh ones that this preconditioner then owns (no idle copies)
            if callable(self.blocks):
                t0 = time.perf_counter()
                fresh = self.blocks()
                self.assembly_time += time.perf_counter() - t0
                V, base = fresh["charge"], fresh["spin"]
            else:
                V, base = self.blocks["charge"].copy(), self.blocks["spin"].copy()
        else:
            # extracted from the (AIJ) operator: they include the Robin diagonal blocks
            iss = [_component_is(P, c, 4) for c in range(4)]
            V = P.createSubMatrix(iss[0], iss[0])
            comps = (1,) if self.isotropic else (1, 2, 3)
            base = None
            for c in comps:
                blk = P.createSubMatrix(iss[c], iss[c])
                if base is None:
                    base = blk
                else:
                    base.axpy(1.0, blk, SUB)
                    blk.destroy()
            if len(comps) > 1:
                base.scale(1.0 / len(comps))
            for i in iss:
                i.destroy()
            # the bulk spin block is base − (Robin part of the extracted diagonal blocks)
            for c in comps:
                bulk[c - 1, c - 1] = 1.0 / len(comps)
        use_frame = (self.spin_mode in ("auto", "frame") and self.frame is not None
                     and B is not None)
        if self.spin_mode == "frame" and not use_frame:
            raise ValueError("block_spin=frame needs a uniform magnetization and the interface "
                             "matrix (given by SpinChargeProblem)")

        def spin_block(weights, last):
            """base + Σ_ab (weights − bulk)_ab B_ab (one sparse update of the interface rows)."""
            S = base if last else base.copy()
            if B is not None:
                C = _interface_combination(B, weights - bulk)
                S.axpy(1.0, C, SUB)
                C.destroy()
            return S

        if use_frame:
            E = spin_frame(self.frame)
            self._frame_rows = E
            S_par = spin_block(np.outer(E[0], E[0]), last=False)
            S_perp = spin_block(0.5 * (np.outer(E[1], E[1]) + np.outer(E[2], E[2])), last=True)
            self._mats = [V, S_par, S_perp]
            names = ["charge", "spin", "spin_perp"]
        else:
            S = spin_block(np.eye(3) / 3.0, last=True)
            self._mats = [V, S]
            names = ["charge", "spin"]
        # sub-preconditioners: the two transverse spin blocks share the "spin_" options
        self._pcs = [self._sub_pc(pc, M, n if n != "spin_perp" else "spin")
                     for M, n in zip(self._mats, names)]

    def update_frame(self, m):
        """New magnetization direction for an existing set-up (sweeps): only the rotation of
        the spin components changes; the hierarchies stay valid."""
        self.frame = None if m is None else np.asarray(m, dtype=float)
        if self._frame_rows is not None and m is not None:
            self._frame_rows = spin_frame(m)

    def _solve_block(self, k, src):
        """Apply sub-preconditioner k to the numpy array src (local part) -> numpy array."""
        xk, yk = self._x[k], self._y[k]
        xk.getArray()[:] = src
        self._pcs[k].apply(xk, yk)
        return yk.getArray(readonly=True)

    def _spin(self, r):
        """Spin part of the preconditioner on the local (n, 3) array r."""
        E = self._frame_rows
        if E is None:
            out = np.empty_like(r)
            for a in range(3):
                out[:, a] = self._solve_block(1, r[:, a])
            return out
        rf = r @ E.T                      # components along (m, e2, e3)
        yf = np.empty_like(rf)
        yf[:, 0] = self._solve_block(1, rf[:, 0])
        yf[:, 1] = self._solve_block(2, rf[:, 1])
        yf[:, 2] = self._solve_block(3 if len(self._pcs) > 3 else 2, rf[:, 2])
        return yf @ E

    def apply(self, pc, x, y):
        bs = self.bs
        if not (self.spin_charge and bs == 4):
            xa = x.getArray(readonly=True).reshape(-1, bs)
            ya = y.getArray().reshape(-1, bs)
            for c in range(bs):
                ya[:, c] = self._solve_block(c, xa[:, c])
            return
        xa = x.getArray(readonly=True).reshape(-1, 4)
        yV = self._solve_block(0, xa[:, 0])
        if self.composition == "additive":
            ya = y.getArray().reshape(-1, 4)
            ya[:, 0] = yV
            ya[:, 1:] = self._spin(xa[:, 1:])
            return
        ya = y.getArray().reshape(-1, 4)
        ya[:, 0] = yV
        ya[:, 1:] = 0.0
        del ya
        # residual of the spin equations after the charge update: r = x − A y
        self.A.mult(y, self._work)
        ra = self._work.getArray().reshape(-1, 4)
        rs = xa[:, 1:] - ra[:, 1:]
        y.getArray().reshape(-1, 4)[:, 1:] = self._spin(rs)

    def view(self, pc, viewer):
        kind = ("spin-charge" if self.spin_charge and self.bs == 4 else "per component")
        frame = "m frame" if self._frame_rows is not None else "averaged spin block"
        viewer.printfASCII(f"  kinetics SpinChargePC: {kind}, {self.composition}, {frame}, "
                           f"{len(self._pcs)} sub-preconditioners\n")
        for sub in self._pcs:
            sub.view(viewer)

    def destroy(self, pc):
        self._destroy_blocks()
