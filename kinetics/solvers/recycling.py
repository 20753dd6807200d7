"""Initial guesses for sequences of related linear solves (sweeps) from earlier solutions.

Used by :class:`kinetics.models.spin_charge.SpinChargeProblem` in angular (SMR) scans: the solutions
for different magnetization directions span a space of small dimension, so after a few
directions the minimal-residual combination of the stored solutions already meets the
tolerance.  Pure linear algebra on PETSc vectors; no physics.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SubspaceRecycler"]


class SubspaceRecycler:
    """Initial guesses for a sequence of related solves (sweeps) from earlier solutions.

    Keeps pairs (u_j, w_j = A u_j) and the Gram matrix G = Wᵀ W, and for a new right-hand
    side b starts from the minimal-residual combination x0 = U c, G c = Wᵀ b.  When the
    operator changes by an interface-only matrix D (an SMR sweep step),
    :meth:`operator_changed` updates W ← W + D U and G on the interface rows only, so no
    full matrix-vector product or Gram matrix is recomputed.  The solutions of an angular
    scan span a space of small dimension (the Robin term depends on m only through m⊗m and
    m), so after a few directions x0 already meets the tolerance and the Krylov solver stops
    after 0-2 iterations.

    Parameters
    ----------
    size:
        Maximum number of stored pairs (memory: 2 vectors per pair).  When full, the pair
        that contributed least to the last initial guess is replaced.
    """

    def __init__(self, size: int = 16):
        self.size = int(size)
        self.U: list = []
        self.W: list = []
        self.G = np.zeros((0, 0))
        self._rows = None
        self._c = None
        #: compute ``last_initial_residual`` (||b − A x0|| / ||b||) in initial_guess
        self.measure = False
        self.last_initial_residual = None

    def clear(self):
        for v in self.U + self.W:
            v.destroy()
        self.U, self.W = [], []
        self.G = np.zeros((0, 0))
        self._c = None

    def __len__(self):
        return len(self.U)

    def _dots(self, v) -> np.ndarray:
        """Wᵀ v."""
        if not self.W:
            return np.zeros(0)
        if len(self.W) == 1:
            return np.array([v.dot(self.W[0])])
        return np.asarray(v.mDot(self.W))

    def _lstsq(self, rhs) -> np.ndarray:
        """G⁻¹ rhs, with the (near-)null directions of G dropped."""
        lam, Q = np.linalg.eigh(self.G)
        keep = lam > 1e-13 * max(lam.max(), 0.0)
        return Q[:, keep] @ ((Q[:, keep].T @ rhs) / lam[keep])

    def initial_guess(self, b, x) -> bool:
        """Write x0 into x; returns False (x untouched) when nothing is stored."""
        if not self.U:
            return False
        rhs = self._dots(b)
        c = self._lstsq(rhs)
        x.set(0.0)
        x.maxpy(c, self.U)
        if self.measure:          # diagnostics: ||b − A x0|| / ||b|| (costs a pass over W)
            r = b.copy()
            r.maxpy(-c, self.W)
            nb = b.norm()
            self.last_initial_residual = r.norm() / nb if nb > 0 else 0.0
            r.destroy()
        self._c = c * np.sqrt(np.maximum(np.diag(self.G), 0.0))
        return True

    def refresh(self, A):
        """The operator was reassembled: recompute W = A U and G."""
        for u, w in zip(self.U, self.W):
            A.mult(u, w)
        self.G = np.array([self._dots(w) for w in self.W]).reshape(len(self.W), len(self.W))

    def operator_changed(self, D):
        """The operator became A + D, D nonzero on few rows (an interface): W += D U and
        G updated from those rows only."""
        if not self.U:
            return
        if self._rows is None:
            indptr = D.getValuesCSR()[0]
            self._rows = np.flatnonzero(np.diff(indptr))
        rows = self._rows
        z = D.createVecLeft()
        k = len(self.U)
        Wr = np.empty((k, rows.size))
        Zr = np.empty((k, rows.size))
        for j, (u, w) in enumerate(zip(self.U, self.W)):
            D.mult(u, z)
            Zr[j] = z.getArray(readonly=True)[rows]
            wa = w.getArray()
            Wr[j] = wa[rows]
            wa[rows] += Zr[j]
            del wa
        z.destroy()
        local = Wr @ Zr.T
        local = local + local.T + Zr @ Zr.T
        comm = D.getComm().tompi4py()
        self.G = self.G + comm.allreduce(local)

    def add(self, A, x):
        """Store the solution x of the current operator A (skipped when already spanned)."""
        w = A.createVecLeft()
        A.mult(x, w)
        nw0 = w.norm()
        u = x.copy()
        for _ in range(2 if self.W else 0):      # project out span(W), twice
            a = self._lstsq(self._dots(w))
            w.maxpy(-a, self.W)
            u.maxpy(-a, self.U)
        nw = w.norm()
        if not nw > 1e-10 * nw0:                 # already spanned (or x = 0)
            w.destroy()
            u.destroy()
            return
        w.scale(1.0 / nw)
        u.scale(1.0 / nw)
        if len(self.U) >= self.size:              # replace the least useful pair
            j = int(np.argmin(np.abs(self._c))) if self._c is not None and \
                len(self._c) == len(self.U) else 0
            self.U.pop(j).destroy()
            self.W.pop(j).destroy()
            self.G = np.delete(np.delete(self.G, j, axis=0), j, axis=1)
        g = self._dots(w)
        k = len(self.W)
        G = np.empty((k + 1, k + 1))
        G[:k, :k] = self.G
        G[:k, k] = G[k, :k] = g
        G[k, k] = 1.0
        self.G = G
        self.U.append(u)
        self.W.append(w)
        self._c = None
