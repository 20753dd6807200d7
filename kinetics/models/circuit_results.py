"""Results of :class:`kinetics.models.circuit.CircuitProblem`: the per-domain solution and
what a lab measures from it (currents through contacts and junctions, R·A, facet-averaged
potentials and spin accumulations, nonlocal resistances).  Units as
:mod:`kinetics.models.circuit` (SI; currents in A, A/m in 2D, A/m² in 1D).
"""

from __future__ import annotations

import numpy as np

from kinetics.physics import boundaries as bc
from kinetics.physics import fn_interface as fn

__all__ = ["CircuitSolution", "contact_current", "interface_current", "resistance_area",
           "facet_average", "nonlocal_resistance"]


class CircuitSolution:
    """The fields of a :class:`kinetics.models.circuit.CircuitProblem` (not a
    :class:`kinetics.models.base.Solution`: one Function per domain instead of one unknown).

    Attributes
    ----------
    problem:
        The problem.
    u:
        ``{domain: Function}`` with components (V, μ_x, μ_y, μ_z), volts.
    """

    def __init__(self, problem, u: dict):
        self.problem = problem
        self.u = u

    def domain_of(self, region: str) -> str:
        """The domain holding ``region`` (KeyError listing the regions if unknown)."""
        self.problem.device.region_tag(region)
        return next(d for d, rs in self.problem.fields.domains.items() if region in rs)

    def values(self, region: str) -> tuple[np.ndarray, np.ndarray]:
        """(dof coordinates (n, 3) in metres, values (n, 4)) of the owned dofs of the domain
        of ``region``."""
        u = self.u[self.domain_of(region)]
        V = u.function_space
        n = V.dofmap.index_map.size_local
        x = V.tabulate_dof_coordinates()[:n] * self.problem.scaling.length
        return x, u.x.array.reshape(-1, 4)[:n].copy()


def contact_current(sol: CircuitSolution, name: str) -> float:
    """Current flowing into the device through the Contact ``name`` (A; A/m in 2D, A/m² in
    1D): the consistent flux, Σ of the weak-form residual of the V rows on its facets.

    Raises
    ------
    ValueError
        If ``name`` is not a Contact of the problem.
    """
    from dolfinx import fem
    from dolfinx.fem import petsc as fpetsc
    from mpi4py import MPI
    from petsc4py import PETSc
    p = sol.problem
    cond = p.condition(name)
    if not isinstance(cond, bc.Contact):
        raise ValueError(f"'{name}' is a {cond.kind}, not a contact")
    rf, total = p.fields, 0.0
    for d in p._contact_domains[name]:
        row = p.blocks(sol.u, p.tests, rows=[d])
        res = sum(form for (i, _), form in row.items())
        if p.L_ufl[d] is not None:
            res = res - p.L_ufl[d]
        r = fpetsc.assemble_vector(rf.form(res))
        r.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        W = rf.space(d)
        dofs = fem.locate_dofs_topological(W.sub(0), W.mesh.topology.dim - 1,
                                           p.submesh_facets(d, name))
        n_owned = W.dofmap.index_map.size_local * W.dofmap.index_map_bs
        total += float(np.sum(r.getArray(readonly=True)[dofs[dofs < n_owned]]))
        r.destroy()
    return p.device.comm.allreduce(total, op=MPI.SUM) * p.scaling.residual


def interface_current(sol: CircuitSolution, name: str,
                      side: str = "N") -> tuple[float, np.ndarray]:
    """(charge current, spin current (3,)) through junction ``name`` from F into N (A; A/m
    in 2D, A/m² in 1D): ∫ (n·j_c, n·J) dS of :mod:`kinetics.physics.fn_interface`, the spin
    current at its N end (``side="N"``, the one injected into the normal metal) or at its F
    end (``"F"``); the two differ by the spin memory loss only.

    Raises
    ------
    KeyError
        For a name that is not a junction of the problem.
    ValueError
        For a side other than "F", "N".
    """
    from dolfinx import fem
    from mpi4py import MPI
    p = sol.problem
    if name not in p.junction_sides:
        raise KeyError(f"unknown junction '{name}'; junctions: {', '.join(p.junction_sides)}")
    rf = p.fields
    f_side = p.junction_sides[name][2]
    plus, minus = rf.sides(name)
    fd, nd = (plus, minus) if f_side == "+" else (minus, plus)
    sf, sn = f_side, ("-" if f_side == "+" else "+")
    VF, muF = p._split(sol.u[fd])
    VN, muN = p._split(sol.u[nd])
    c = p.junction_coefficients(name)
    dV, dmu = VF(sf) - VN(sn), muF(sf) - muN(sn)
    dS = rf.dS(name)
    comm = p.device.comm

    def total(expr):
        return comm.allreduce(fem.assemble_scalar(rf.form(expr * dS)), op=MPI.SUM)

    J = fn.spin_current_at(dV, dmu, muF(sf) if side == "F" else muN(sn), c, side)
    scale = p.scaling.residual
    return (total(fn.charge_current(dV, dmu, c)) * scale,
            np.array([total(J[a]) for a in range(3)]) * scale)


def resistance_area(sol: CircuitSolution, plus: str, minus: str) -> float:
    """R·A = (V_plus − V_minus)/(I/A) (Ω m²) between two Contacts, I the current into
    ``plus`` and A its area (for a 1D stack A = 1: R·A = ΔV/j).

    Raises
    ------
    ValueError
        If either name is not a Contact, or no current flows.
    """
    p = sol.problem
    cp, cm = p.condition(plus), p.condition(minus)
    for c in (cp, cm):
        if not isinstance(c, bc.Contact):
            raise ValueError(f"'{c.name}' is a {c.kind}, not a contact")
    I = contact_current(sol, plus)
    if I == 0:
        raise ValueError(f"no current flows between '{plus}' and '{minus}'")
    return (cp.V - cm.V) * p.device.area(plus) / I


def facet_average(sol: CircuitSolution, name: str) -> np.ndarray:
    """Average of (V, μ_x, μ_y, μ_z) (volts, shape (4,)) over the exterior facets ``name``
    (summed over the domains they bound): ∫ u ds / ∫ ds, the potential a voltage probe on
    those facets reads.

    Raises
    ------
    KeyError
        For an unknown facet name (the message lists the names).
    ValueError
        If the facets are not on the outer boundary of any domain.
    """
    from dolfinx import fem
    from mpi4py import MPI
    p = sol.problem
    p.device.boundary_tag(name)                       # KeyError listing the names
    rf, comm = p.fields, p.device.comm
    totals, size = np.zeros(4), 0.0
    for d in rf.names:
        try:
            ds = rf.ds(d, name)
        except ValueError:
            continue
        u = sol.u[d]
        size += comm.allreduce(fem.assemble_scalar(rf.form(1.0 * ds)), op=MPI.SUM)
        totals += [comm.allreduce(fem.assemble_scalar(rf.form(u[c] * ds)), op=MPI.SUM)
                   for c in range(4)]
    if size == 0.0:
        raise ValueError(f"facets '{name}' are not on the outer boundary of the device")
    return totals / size


def nonlocal_resistance(sol: CircuitSolution, plus: str, minus: str,
                        current_contact: str) -> float:
    """R_NL = (⟨V⟩_plus − ⟨V⟩_minus)/I (Ω; Ω m in 2D): the voltage between two exterior
    facet sets (probes, :func:`facet_average`) per current I flowing into the device
    through the Contact ``current_contact`` (:func:`contact_current`), e.g. the detector of a
    nonlocal spin valve against the far end of the channel (Takahashi & Maekawa, PRB 67,
    052409 (2003)).

    Raises
    ------
    KeyError, ValueError
        As :func:`facet_average` and :func:`contact_current`; ValueError if no current flows.
    """
    I = contact_current(sol, current_contact)
    if I == 0:
        raise ValueError(f"no current flows through '{current_contact}'")
    return float(facet_average(sol, plus)[0] - facet_average(sol, minus)[0]) / I
