"""UFL sources of the spin-pumping diffusion equation of seed 002 (textures, spin-to-charge
conversion).  The model that solves it is :mod:`kinetics.models.texture`."""
