"""The superconducting state: the stationary retarded Usadel equation in the Riccati
parametrization (issue 13), one energy at a time on dolfinx meshes (1D/2D/3D), with seed
003's extrinsic spin–orbit coupling and the linearized Keldysh sector (issue 16).

Modules
-------
:mod:`~kinetics.usadel.riccati`
    numpy algebra of the Riccati parametrization; the conventions (basis, tilde
    conjugation, signs of Δ, h and the self-energies) stated once for the package.
:mod:`~kinetics.usadel.bulk`
    closed-form bulk references: Dynes-broadened BCS, Zeeman-split BCS, Abrikosov–Gor'kov.
:mod:`~kinetics.usadel.forms`
    the UFL residual (real 2×2 split of the complex unknowns) and the Kupriyanov–Lukichev
    interface terms.
:mod:`~kinetics.usadel.parameters`, :mod:`~kinetics.usadel.domains`
    region parameters and reservoirs; domains separated by tunnel interfaces.
:mod:`~kinetics.usadel.problem`
    :class:`~kinetics.usadel.problem.UsadelProblem`: Newton per energy
    (:class:`kinetics.solvers.nonlinear.NonlinearSolver`) with continuation in energy.
:mod:`~kinetics.usadel.observables`
    local and spin-resolved DOS, singlet/triplet amplitudes, minigap.
:mod:`~kinetics.usadel.matsubara`
    Matsubara sums: the self-consistent pair potential, T_c, the supercurrent.
:mod:`~kinetics.usadel.parallel`
    energies over MPI sub-communicators.
:mod:`~kinetics.usadel.energy_grid`
    :func:`~kinetics.usadel.energy_grid.adaptive_sweep`: an energy grid refined where the
    measured DOS bends (gap edges), the same on any number of ranks.
:mod:`~kinetics.usadel.extrinsic`
    extrinsic spin–orbit coupling of seed 003 in this basis: the spin Hall and swapping
    terms of the matrix current, the superconducting torque Ť, Elliott–Yafet (numpy).
:mod:`~kinetics.usadel.sampling`
    the retarded solution as 4×4 arrays (ǧ, ∂ǧ, Δ) at quadrature points.
:mod:`~kinetics.usadel.torque`
    Ť and the matrix current of a solution, and their equilibrium densities by Matsubara
    sums (:func:`~kinetics.usadel.torque.equilibrium_torque`).
:mod:`~kinetics.usadel.kinetic`, :mod:`~kinetics.usadel.keldysh`
    the Keldysh sector linear in the bias: the kinetic equations of the eight distribution
    modes (numpy coefficients) and :class:`~kinetics.usadel.keldysh.KineticProblem` on the
    mesh, with the thermal energy integral (charge and spin accumulation).

Units: energies in a unit E₀ of the caller's choice, lengths in mesh units, D̂ = ħD/(E₀L²)
(:mod:`kinetics.usadel.problem`).
"""
