"""Models: one module per problem that the framework solves.

- :mod:`kinetics.models.spin_charge` — steady SU(2)-covariant spin–charge drift–diffusion
  (:class:`SpinChargeProblem`);
- :mod:`kinetics.models.pumping` — spin pumping by magnets with prescribed dynamics;
- :mod:`kinetics.models.diffusion_average`, :mod:`kinetics.models.texture` — the
  spin-pumping diffusion equation of seed 002.
"""
