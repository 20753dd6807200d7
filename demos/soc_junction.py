# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Spin-current absorption driven by a spin accumulation: setup B of Tsutsui, Hosono & Yokoyama
#
# Sec. III and Fig. 5 of the paper: two normal metals with different impurity spin–orbit
# strengths $\lambda_{SO}$ meet at a plane; a gradient of the spin accumulation
# $\mu_s$ ($\hat z$-polarised) runs along the interface in the bottom metal.  Besides the
# ordinary diffusion of the input spin current into the top metal, the step of
# $\lambda_{SO}$ generates spin currents polarised *perpendicular* to $\mu_s$ that flow
# across the interface and decay over $1/\xi$, $\xi = \sqrt{4\kappa/D\tau}$,
# $\kappa = \lambda_{SO}^2k_F^4/3$ (Eqs. 28–33; the paper's $(\tilde j_s^y)_z$ of Eq. 32 is
# $(\tilde j_s^x)_z$ here, the channel running along $x$):
#
# $$(-\nabla^2 + p^2)\Psi = S,\quad p^2 = \xi^2 + i\Omega/D,\quad
# \hat j = \zeta(1-\kappa)(1+3\kappa)\,\frac{i\Omega}{D\tau}\,\Psi,$$
#
# with $S$ the sheet $-\Delta\lambda\,\partial_x\partial_z\mu_s\,\delta(z)$ ($\zeta_{(1,2)}$)
# or the dipole $\Delta\lambda\,\partial_x\mu_s\,\delta'(z)$ ($\zeta_{(2,1)}$).  The kernel (29)
# is $\propto\Omega$: the currents respond to $\partial_t\mu_s$, so the drive is an AC current
# (a lock-in measurement), slow enough ($\Omega\tau_{sf}\ll 1$) for $\mu_s$ to follow it:
# $\mu_s(t) = \mathrm{Re}[\hat\mu_s e^{i\Omega t}]$ with $\hat\mu_s$ a static spin–charge
# solve.  Details, errata and the factor $i$ restored in (29): docs/seed000.md.
#
# The device (x–z cross-section, like a nonlocal spin valve): a Cu channel; a Py injector
# ($m \parallel \hat z$) at the left feeds current into the channel's left end, and the spin
# accumulation diffuses to the right under an absorber (Au-like, strong SOC) whose spin
# diffusion length is the $1/\xi$ of its $\kappa$ (spin flip by the SO impurities).  Steps:
# (1) `SpinChargeProblem` gives $\hat\mu_s$ and the input spin currents; (2)
# `soc_junction.absorbed_currents` solves the Sec. III propagators on the same mesh;
# (3) checks: Eqs. (31), (33) (no $\hat y$, $\hat z$ polarisation across the interface), the
# absorbed current integrated across the absorber decays exactly as
# $\cosh(p(t_a - z))$ (zero-flux side walls make the integral one-dimensional), and
# $\hat j\propto i\Omega$ for $\Omega\ll D\xi^2$.
# Run: ``mpirun -n 2 python3 demos/soc_junction.py`` (``--quick``: coarser mesh).

# %%
import argparse
import sys
import time
from pathlib import Path

import numpy as np
from mpi4py import MPI

import kinetics
from kinetics import units
from kinetics.geometry import blocks
from kinetics.models.spin_charge import SpinChargeProblem
from kinetics.observables import line_profile, spin_current_through
from kinetics.output import results as io
from kinetics.physics import soc_junction as sj
from kinetics.physics.boundaries import Contact

comm = MPI.COMM_WORLD


def log(*args):
    if comm.rank == 0:
        print(*args, flush=True)


parser = argparse.ArgumentParser()
parser.add_argument("-o", "--output", default="results/soc_junction")
parser.add_argument("--quick", action="store_true")
args = parser.parse_known_args()[0] if "ipykernel" in sys.modules else parser.parse_args()
out = Path(args.output)
t0 = time.perf_counter()

# %% [markdown]
# ## Parameters
# The paper gives none; illustrative: $\varepsilon_F = 5$ eV, $\tau = 10^{-14}$ s
# ($D = 5.9\times10^{-3}$ m²/s), $\nu = 10^{47}$ J⁻¹m⁻³, the absorber's $\lambda_{SO}$ such
# that $\kappa = 0.01$ ($1/\xi = 38$ nm), the channel's and injector's $\lambda_{SO}$ a fifth
# of it; drive $\Omega = 2\pi\times 1$ GHz, 1 mV on the injector.

# %%
eV = units.e
EPS_F, TAU, NU = 5 * eV, 1e-14, 1e47
K_F = np.sqrt(2 * units.m_e * EPS_F) / units.hbar
LAM_ABS = np.sqrt(0.03) / K_F ** 2
LAM = {"channel": 0.2 * LAM_ABS, "injector": 0.2 * LAM_ABS, "absorber": LAM_ABS}
OMEGA, V0 = 2 * np.pi * 1e9, 1e-3
coef = sj.junction_coefficients(EPS_F, TAU, NU, LAM_ABS)
log(f"κ = {coef.kappa:.4f}, 1/ξ = {coef.decay_length * 1e9:.2f} nm, D = {coef.D:.4g} m²/s, "
    f"Dξ² = {coef.D * coef.xi ** 2:.3g} rad/s, ζ21/ζ12 = {coef.zeta21 / coef.zeta12:.4g}")

# no spin Hall effect in the metals (the paper's Sec. III model has none): μ_s stays ∥ z
cu = kinetics.materials.get("Cu").with_(theta_sh=0.0)
py = kinetics.materials.get("Py").with_(m=(0.0, 0.0, 1.0))
au = kinetics.materials.get("Au").with_(theta_sh=0.0, lambda_sf=coef.decay_length)

# %% [markdown]
# ## Device and the spin–charge solve
# Channel 1.6 µm × 20 nm; injector 50 nm wide, 20 nm thick at x = −450 nm; absorber 600 nm
# wide, t_a = 150 nm thick, from x = 0; the interface is refined.

# %%
T_C, T_A, X_A, W_A = 20e-9, 150e-9, 0.0, 600e-9
h, h_itf = (12e-9, 4e-9) if args.quick else (5e-9, 1.5e-9)
dev = blocks({"channel": ((-800e-9, 0.0), (800e-9, T_C)),
              "injector": ((-450e-9, T_C), (-400e-9, T_C + 20e-9)),
              "absorber": ((X_A, T_C), (X_A + W_A, T_C + T_A))},
             dim=2, h=h, refine={"channel|absorber": (h_itf, 60e-9)}, comm=comm)
cells = dev.mesh.topology.index_map(dev.dim).size_global
problem = SpinChargeProblem(dev, {"channel": cu, "injector": py, "absorber": au},
                            [Contact("injector_top", V=V0), Contact("channel_xmin", V=0.0)],
                            degree=2)
sol = problem.solve()
xs = np.linspace(-790e-9, 790e-9, 161)
mid = np.zeros((len(xs), 3))
mid[:, 0], mid[:, 2] = xs, T_C / 2
mu_channel = line_profile(sol, mid)                     # (N, 3) volts
j_in = spin_current_through(sol, "channel|absorber", region="absorber")     # A/m (2D)
log(f"mesh: {cells} cells; μ_z under the absorber edge: {mu_channel[80, 2]:.4g} V; "
    f"spin current into the absorber (ordinary diffusion) {j_in} A/m")

# %% [markdown]
# ## The Sec. III currents
# Components: flow across the interface with the three polarisations ((31)–(33)) and the
# flow along it, $(\tilde j^x)_x$.

# %%
cur = sj.absorbed_currents(dev, coef, LAM, sol.mu_s, omega=OMEGA,
                           components=("xz", "yz", "zz", "xx"))
zz = T_C + np.array([0.02, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0]) * coef.decay_length
X_MID = X_A + 25e-9                    # near the absorber's edge, where ∂_xμ_s is largest
line = np.zeros((len(zz), 3))
line[:, 0], line[:, 2] = X_MID, zz
J_line = cur.at(line)
scale = np.abs(J_line[:, 0, 2]).max()
zeros_31_33 = float(np.abs(J_line[:, 1:, 2]).max() / scale)
mu_xy = float(np.abs(mu_channel[:, :2]).max() / np.abs(mu_channel[:, 2]).max())
log(f"(j̃^x)_z at x = {X_MID * 1e9:.0f} nm, z - t_c = 0.02/ξ: {J_line[0, 0, 2]:.4g} J/m²; "
    f"|(j̃^y)_z|, |(j̃^z)_z| ≤ {zeros_31_33:.1e} of it (Eqs. 31, 33; |μ_x|, |μ_y| ≤ "
    f"{mu_xy:.1e} |μ_z|)")
share21 = float(np.abs(cur.at(line, "21")[:, 0, 2]).max() / scale)

# %% [markdown]
# ## Check: the current integrated across the absorber
# The absorber's side walls carry no flux, so $\langle\Psi\rangle(z) = \int dx\,\Psi$ over
# its width obeys $(-\partial_z^2 + p^2)\langle\Psi\rangle = 0$ above the interface with
# $\partial_z\langle\Psi\rangle = 0$ at the top: $\langle\hat j\rangle(z) \propto
# \cosh(p(t_a - z'))$, $z' = z - t_c$.  Simpson's rule on the FEM values across the width.

# %%
n_x = 121 if args.quick else 401
xa = np.linspace(X_A + 1e-12, X_A + W_A - 1e-12, n_x)
levels = T_C + np.linspace(0.1, 1.0, 7) * T_A * 0.999
grid = np.array([[x, 0.0, z] for z in levels for x in xa])
Jg = cur.at(grid)[:, 0, 2].reshape(len(levels), n_x)
wts = np.ones(n_x)
wts[1:-1:2], wts[2:-1:2] = 4.0, 2.0
integ = Jg @ wts * (xa[1] - xa[0]) / 3                   # J/m (per metre of depth)
p = coef.screening(OMEGA)
theory = np.cosh(p * (T_A - (levels - T_C))) / np.cosh(p * (T_A - (levels[0] - T_C)))
ratio = integ / integ[0]
cosh_err = float(np.abs(ratio - theory).max())
log(f"∫(j̃^x)_z dx across the absorber vs cosh(p(t_a - z')): max |difference| = {cosh_err:.1e} "
    f"(p = {p:.4g} 1/m)")

# %% [markdown]
# ## Check: linear in Ω
# At $2\Omega$ the phasor doubles (up to $O(\Omega/D\xi^2)$) and stays $90°$ ahead of
# $\mu_s$ (mostly imaginary).

# %%
cur2 = sj.absorbed_currents(dev, coef, LAM, sol.mu_s, omega=2 * OMEGA, components="xz")
J2 = cur2.at(line)[:, 0, 2]
omega_ratio = J2 / J_line[:, 0, 2]
log(f"ĵ(2Ω)/ĵ(Ω) on the line: {np.abs(omega_ratio).min():.6f} … "
    f"{np.abs(omega_ratio).max():.6f}; arg ĵ = {np.degrees(np.angle(J_line[0, 0, 2])):.3f}°")

# %% [markdown]
# ## Results and picture
# (a) the spin accumulation along the channel: injected under the injector, it diffuses
# right and is sucked into the absorber; (b) the generated $\mathrm{Im}(\hat j^x)_z$ (the
# paper's $(\tilde j^y_{s,abs})_z$): it sits at the interface where $\partial_x\mu_s$ is
# largest and decays into both metals over $1/\xi$; (c) the width-integrated current
# against the cosh law and the share of the $\zeta_{(2,1)}$ term (the uniform-input term
# of Eq. 32 dominates by $\approx\zeta_{(2,1)}/\zeta_{(1,2)}$).

# %%
nxm, nzm = (81, 41) if args.quick else (201, 101)
gx = np.linspace(-150e-9, 250e-9, nxm)
gz = np.linspace(1e-10, T_C + 130e-9, nzm)
inside = [(x, z) for z in gz for x in gx
          if z <= T_C or X_A <= x <= X_A + W_A]
vals = cur.at(np.array([[x, 0.0, z] for x, z in inside]), "total")[:, 0, 2]
field = np.full((nzm, nxm), np.nan)
k = 0
for iz, z in enumerate(gz):
    for ix, x in enumerate(gx):
        if z <= T_C or X_A <= x <= X_A + W_A:
            field[iz, ix] = vals[k].imag
            k += 1
results = {
    "demo": "soc_junction", "ranks": comm.size, "cells": cells,
    "parameters": {"eps_F_eV": 5.0, "tau_s": TAU, "nu_per_J_m3": NU,
                   "lambda_so_m2": LAM, "omega_rad_per_s": OMEGA, "V0_V": V0},
    "coefficients": {"kappa": coef.kappa, "xi_per_m": coef.xi, "decay_length_m":
                     coef.decay_length, "D_m2_per_s": coef.D, "zeta12_s_per_m": coef.zeta12,
                     "zeta21_s_per_m": coef.zeta21, "p_per_m": [p.real, p.imag]},
    "spin_charge": {"mu_z_channel_V": mu_channel[::10, 2].tolist(),
                    "x_m": xs[::10].tolist(),
                    "spin_current_into_absorber_A_per_m": j_in.tolist()},
    "absorbed": {"x_m": X_MID, "z_m": zz.tolist(),
                 "j_xz_re_J_per_m2": J_line[:, 0, 2].real.tolist(),
                 "j_xz_im_J_per_m2": J_line[:, 0, 2].imag.tolist(),
                 "j_xx_im_J_per_m2": J_line[:, 0, 0].imag.tolist(),
                 "rel_max_j_yz_j_zz": zeros_31_33, "rel_max_mu_xy": mu_xy,
                 "share_zeta21_term": share21,
                 "width_integral_cosh_max_diff": cosh_err,
                 "omega_doubling_ratio_abs": np.abs(omega_ratio).tolist()},
    "units": {"j": "J/m^2, the paper's spin-current density (phasor of e^{i Omega t})"},
    "wall_time_s": time.perf_counter() - t0}
io.write_json(out / "results.json", results, comm)

if comm.rank == 0:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axs = plt.subplots(1, 3, figsize=(18, 4.6))
    ax = axs[0]
    ax.plot(xs * 1e9, mu_channel[:, 2] * 1e6, "C0-")
    ax.axvspan(-450, -400, color="C1", alpha=0.3, label="injector (Py, m ∥ z)")
    ax.axvspan(X_A * 1e9, (X_A + W_A) * 1e9, color="C2", alpha=0.2, label="absorber (SOC)")
    ax.set(xlabel="x (nm)", ylabel=r"$\mu_s^z$ (µV), mid-channel",
           title="(a) spin accumulation in the channel")
    ax.legend(fontsize=8)
    ax = axs[1]
    lim = np.nanmax(np.abs(field))
    im = ax.imshow(field / lim, origin="lower", cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto",
                   extent=[gx[0] * 1e9, gx[-1] * 1e9, gz[0] * 1e9, gz[-1] * 1e9])
    ax.axhline(T_C * 1e9, color="k", lw=0.5)
    fig.colorbar(im, ax=ax, label=r"Im $(\hat j^x)_z$ / max")
    ax.set(xlabel="x (nm)", ylabel="z (nm)",
           title=r"(b) generated $(\tilde j^x_s)_z$ (paper: $(\tilde j^y_{s,abs})_z$)")
    ax = axs[2]
    zp = (levels - T_C) * 1e9
    zf = np.linspace(zp[0], T_A * 1e9, 200)
    ax.semilogy(zf, np.abs(np.cosh(p * (T_A - zf * 1e-9))
                           / np.cosh(p * (T_A - (levels[0] - T_C)))), "k-",
                label=r"$\cosh(p(t_a - z'))$, $1/\xi$ = %.0f nm" % (coef.decay_length * 1e9))
    ax.semilogy(zp, np.abs(ratio), "C3o", label=r"FEM $\int dx\,(\hat j^x)_z$ (normalised)")
    ax.set(xlabel="z' = z − t_c (nm), into the absorber", ylabel="relative magnitude",
           title=f"(c) decay across the absorber: max diff {cosh_err:.1e}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "soc_junction.png", dpi=110)
    plt.close(fig)
log(f"wrote {out}/results.json, soc_junction.png in {time.perf_counter() - t0:.1f} s")
