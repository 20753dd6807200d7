"""kinetics: finite-element solvers for the kinetic (diffusive) equations of spin transport.

The package is organised along the data path of ``docs/design.md``::

    geometry (gmsh) -> Device -> materials -> physics (UFL weak forms) -> models
        -> solvers (PETSc) -> observables -> output / plot

Importing :mod:`kinetics` has no side effects: heavy modules (dolfinx, PETSc, gmsh,
PyVista) are imported only when a submodule that needs them is used.  The most used
names are available at the top level, loaded lazily::

    import kinetics
    pt = kinetics.materials.get("Pt")
    problem = kinetics.SpinChargeProblem(device, {"film": pt}, boundaries)
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# name -> submodule that defines it (loaded on first access, PEP 562)
_LAZY = {
    "Device": "kinetics.device",
    "Material": "kinetics.materials",
    "SpinChargeProblem": "kinetics.models.spin_charge",
    "Solution": "kinetics.models.spin_charge",
    "Insulator": "kinetics.physics.boundaries",
    "Contact": "kinetics.physics.boundaries",
    "CurrentContact": "kinetics.physics.boundaries",
    "FloatingProbe": "kinetics.physics.boundaries",
    "SpinInjection": "kinetics.physics.boundaries",
    "MagneticInterface": "kinetics.physics.boundaries",
    "PumpingProblem": "kinetics.models.pumping",
    "Precession": "kinetics.physics.pumping",
    "TexturePumping": "kinetics.models.texture",
    "ElectronGas": "kinetics.models.texture",
}
_SUBMODULES = {"analytic", "case", "check", "cli", "device", "geometry", "io", "materials",
               "models", "observables", "output", "physics", "plot", "runner", "solvers",
               "units"}

__all__ = sorted(_LAZY) + sorted(_SUBMODULES) + ["__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _SUBMODULES:
        return importlib.import_module(f"kinetics.{name}")
    raise AttributeError(f"module 'kinetics' has no attribute {name!r}")


def __dir__():
    return __all__
