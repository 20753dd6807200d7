"""Physical constants and the unit conventions shared by every module.

All public interfaces use SI units (docs/design.md, section 3):

==================  ========================================  ==========
quantity            symbol                                    unit
==================  ========================================  ==========
electrochemical     V (= mu_c / e)                            V
potential
spin accumulation   mu_s = (mu_up - mu_down)/e per axis       V
charge current      j_c                                       A/m^2
spin current        j_s[a, i]: polarization a, flow i,        A/m^2
                    in charge-current units (2e/hbar x the
                    angular-momentum current density)
conductivity        sigma                                     S/m
interface           G_r, G_i, G_s, Gamma_loss                 1/(Ohm m^2)
conductances
gauge field         A[i, b]: spatial direction i, spin b      1/m
torque density      tau = hbar/(2e) x absorbed transverse     J/m^2
                    spin current
==================  ========================================  ==========

Spin accumulation follows Chen et al., PRB 87, 144411 (2013).  Normals point out of the
metal; "outflow" is n . j.

Constants are CODATA values from :mod:`scipy.constants`.
"""

from __future__ import annotations

from scipy import constants as _c

#: elementary charge e (C), positive
e = _c.e
#: reduced Planck constant (J s)
hbar = _c.hbar
#: free-electron mass (kg)
m_e = _c.m_e
#: Bohr magneton (J/T)
mu_B = _c.physical_constants["Bohr magneton"][0]

#: conversion of an absorbed spin current in charge-current units (A/m^2) to a torque per
#: interface area (J/m^2): tau = HBAR_OVER_2E * j_s
HBAR_OVER_2E = hbar / (2 * e)

nm = 1e-9
um = 1e-6
