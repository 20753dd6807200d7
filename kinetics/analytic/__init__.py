"""Closed-form references used by the tests, the demos and the docs (pure numpy).

- :mod:`kinetics.analytic.film` — the exact spin-charge film (HM|FI and vacuum faces), Chen
  et al.'s SMR amplitudes, the SOT efficiency, the spin Hall strip; its names are also
  available here (``kinetics.analytic.chen_smr``);
- :mod:`kinetics.analytic.pumping` — spin pumping into a film: spin conductance, pumped DC
  spin current, ISHE voltage and current, the exact instantaneous film solution;
- :mod:`kinetics.analytic.gmr` — ferromagnets: Valet–Fert CPP-GMR of an F/N/F trilayer, the
  transverse wavenumber of the spin accumulation;
- :mod:`kinetics.analytic.seed001` — seed 001 (Nakabayashi et al.): the anisotropic local spin
  conductivity, the spin AMR ratio (Eq. 40), the 1D profile injected by the relaxation torque.
"""

from kinetics.analytic.film import (chen_smr, conductance_matrix, film_coefficients,
                                    film_resistivity, film_spin_accumulation,
                                    sot_efficiency, spin_hall_strip)

__all__ = ["film_coefficients", "film_spin_accumulation", "film_resistivity", "chen_smr",
           "sot_efficiency", "spin_hall_strip", "conductance_matrix", "film", "pumping", "gmr",
           "seed001"]


def __getattr__(name: str):
    if name in ("film", "pumping", "gmr", "seed001"):
        import importlib
        return importlib.import_module(f"kinetics.analytic.{name}")
    raise AttributeError(f"module 'kinetics.analytic' has no attribute {name!r}")
