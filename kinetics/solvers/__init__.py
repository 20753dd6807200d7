"""Solvers: the one assembly and solve path of every model.

- :mod:`kinetics.solvers.linear` — the checked linear solve (:class:`LinearSolver`: converged
  reason, NaN/Inf, true residual);
- :mod:`kinetics.solvers.options` — the presets' PETSc options and the allow-list of options
  accepted from case files (:func:`check_case_options`);
- :mod:`kinetics.solvers.system` — assembly of a linear problem: matrix, lifting,
  Dirichlet conditions, the right-hand side (the one place that lifts);
- :mod:`kinetics.solvers.block_pc` — the spin–charge block preconditioner;
- :mod:`kinetics.solvers.assembly` — interface-only updates for sweeps, compact matrices;
- :mod:`kinetics.solvers.recycling` — initial guesses from earlier solutions of a sweep;
- :mod:`kinetics.solvers.nonlinear` — Newton with line search on PETSc SNES;
- :mod:`kinetics.solvers.complex` — complex-valued linear problems as real 2×2 blocks;
- :mod:`kinetics.solvers.jit` — compiler options of the generated kernels.
"""
