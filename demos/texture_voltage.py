# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Texture spin pumping that gives a voltage: a spin wave in a ferromagnet under Pt
#
# Seed 002 (Takeuchi, Hosono & Tatara, PRB 81, 144405 (2010), our identification) pumps spin
# with a prescribed texture $S(x,t)$ through the s-d exchange.  The period average of the
# damping torque $T^{(dy)} = (2\nu J^2\tau) S\times\dot S$ (Eq. 26) is a spin source in the
# ferromagnet; the accumulation diffuses into the Pt and the inverse spin Hall effect
# ($\theta_{SH}$, the *diffusive* conversion) drives a charge current along the strip.  Inside
# the ferromagnet the paper's two *local* mechanisms act: Rashba, $j_c = a^R\times T^{(dy)}$
# (Eq. 25), and impurity SOC, $j_c = a^{imp}\,\epsilon : j_s^{(local)}$ (Eqs. 30-31).
# `kinetics.models.texture_charge.TextureVoltage` solves the DC spin diffusion with
# per-region parameters and the charge equation with a ground and a floating probe contact.
#
# The texture is a spin wave $S = \cos\theta(x)\,\hat y + \sin\theta(x)(\cos\psi\,\hat e_1 +
# \sin\psi\,\hat e_2)$, $\psi = \Omega t - kx$, launched at $x = 0$ with a cone angle that
# decays as $\theta(x) = \theta_0 e^{-x/\ell_d}$.  We scan the frequency and the wave vector
# and show the three mechanisms side by side.  What comes out: every DC voltage is linear in
# $\Omega$; none depends on $k$ (for any rigid travelling wave $S(\Omega t - kx)$ the period
# averages of $S\times\dot S$ and of $j_s^{(local)}$ do not involve $k$); the impurity
# mechanism gives no voltage along the strip (its local current flows across the film and
# needs a cone-angle gradient, seed 002 Sec. III B).
# Run: ``mpirun -n 2 python3 demos/texture_voltage.py --quick -o DIR``.

# %%
import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
import ufl
from mpi4py import MPI
from dolfinx import fem

import kinetics
from kinetics.geometry import layered_box
from kinetics.models.texture import ElectronGas
from kinetics.models.texture_charge import ChargeRegion, TextureVoltage
from kinetics.output import results as io
from kinetics.physics.pumping import Precession
from kinetics.physics.texture.sources import AnalyticTexture

comm = MPI.COMM_WORLD


def log(*args):
    if comm.rank == 0:
        print(*args, flush=True)


parser = argparse.ArgumentParser(description="DC voltage of a spin wave in a ferromagnet under Pt")
parser.add_argument("-o", "--output", default="results/texture_voltage", help="output folder")
parser.add_argument("--quick", action="store_true", help="fewer points and a coarser mesh")
args = parser.parse_known_args()[0] if "ipykernel" in sys.modules else parser.parse_args()
out = Path(args.output)

# %% [markdown]
# ## Device and parameters
# x-z cross-section: a 2 nm ferromagnet (textured, Rashba vector $E_{so}\parallel\hat z$,
# impurity SOC $\lambda_{so}$) under 4 nm of Pt ($\theta_{SH}$), 400 nm long, contacts at
# both ends.  The Rashba and impurity strengths are illustrative, not fitted.

# %%
pt = kinetics.materials.get("Pt")
gas = ElectronGas(nu=1e47, J=1e-21, tau=1e-14, D=1e-3)     # σ_F = 2e²νD ≈ 5.1 MS/m, Jτ/ħ ≈ 0.09
E_SO, LAMBDA_SO, LAMBDA_F = 1e-30, 1e-20, 5e-9
length, t_fm, t_pt = 400e-9, 2e-9, 4e-9
theta0, ell_d = 0.1, 200e-9
nx = 20 if args.quick else 80
nz_f, nz_p = (2, 4) if args.quick else (4, 12)
freqs = [2e9, 10e9, 20e9] if args.quick else [2e9, 5e9, 10e9, 15e9, 20e9]
wavelengths = [math.inf, 200e-9, 50e-9] if args.quick else \
    [math.inf, 400e-9, 200e-9, 100e-9, 50e-9, 25e-9]
f0 = 10e9
dev = layered_box([length, t_fm + t_pt], [nx, nz_f + nz_p], axes="xz",
                  layers=[("fm", t_fm, nz_f), ("pt", t_pt, nz_p)])
# Ω and k are runtime constants: one compilation for every point of the scans
Om = fem.Constant(dev.mesh, np.float64(2 * math.pi * f0))
kx = fem.Constant(dev.mesh, np.float64(0.0))
a, e1, e2 = Precession(axis=(0, 1, 0)).basis


def spin_wave(f, k):
    Om.value, kx.value = 2 * math.pi * f, k

    def func(t, x):
        th = theta0 * ufl.exp(-x[0] / ell_d)
        psi = Om * t - kx * x[0]
        return [ufl.cos(th) * a[i] + ufl.sin(th) * (ufl.cos(psi) * e1[i] + ufl.sin(psi) * e2[i])
                for i in range(3)]
    return AnalyticTexture(func, period=1.0 / f)


regions = {"fm": ChargeRegion(gas=gas, lambda_sf=LAMBDA_F, E_so=(0.0, 0.0, E_SO),
                              lambda_so=LAMBDA_SO),
           "pt": ChargeRegion(sigma=pt.sigma, lambda_sf=pt.lambda_sf, theta_sh=pt.theta_sh)}


def solve(f, k):
    res = TextureVoltage(dev, regions, spin_wave(f, k), ground="xmin", probe="xmax",
                         degree=1, samples=8).solve()
    mechanisms = ("diffusive", "rashba", "impurity", "total")
    return {"f_Hz": f, "k_per_m": k, **{f"V_{m}_V": res.V[m] for m in mechanisms},
            **{f"I_{m}_A_per_m": res.I[m] for m in mechanisms},
            "spin_into_pt_A_per_m": float(res.spin_balance[0, 1])}


# %% [markdown]
# ## Frequency and wave-vector scans

# %%
t_start = time.perf_counter()
scan_f = [solve(f, 2 * math.pi / 100e-9) for f in freqs]
scan_k = [solve(f0, 0.0 if math.isinf(w) else 2 * math.pi / w) for w in wavelengths]
for r in scan_f + scan_k:
    log(f"f = {r['f_Hz'] / 1e9:5.1f} GHz  k = {r['k_per_m']:.3e} 1/m  V: diffusive "
        f"{r['V_diffusive_V']:.4e}  Rashba {r['V_rashba_V']:.4e}  impurity "
        f"{r['V_impurity_V']:.3e} V")
slope = [r["V_total_V"] / r["f_Hz"] for r in scan_f]
k_spread = max(abs(r["V_total_V"] / scan_k[0]["V_total_V"] - 1) for r in scan_k)

# %% [markdown]
# ## Results

# %%
results = {"demo": "texture_voltage",
           "units": {"V": "V", "I": "A/m (per unit length along y)", "f_Hz": "Hz",
                     "k_per_m": "1/m"},
           "pt": pt.summary(), "fm": {"nu": gas.nu, "J": gas.J, "tau": gas.tau, "D": gas.D,
                                      "lambda_sf_m": LAMBDA_F, "E_so_J_m": E_SO,
                                      "lambda_so_m2": LAMBDA_SO},
           "geometry_m": {"length": length, "t_fm": t_fm, "t_pt": t_pt},
           "spin_wave": {"cone_angle_rad": theta0, "decay_length_m": ell_d, "axis": [0, 1, 0]},
           "frequency_scan": scan_f, "wavevector_scan": scan_k,
           "max_rel_dev_from_linear_in_f": max(abs(s / slope[0] - 1) for s in slope),
           "max_rel_dev_over_k": k_spread,
           "ranks": comm.size, "wall_time_s": time.perf_counter() - t_start}
io.write_json(out / "results.json", results, comm)
log(f"V/f constant to {results['max_rel_dev_from_linear_in_f']:.1e}; V independent of k to "
    f"{k_spread:.1e}")

if comm.rank == 0:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(1, 2, figsize=(11, 4.2))
    labels = {"diffusive": r"diffusive ($\theta_{SH}$ in Pt)",
              "rashba": r"Rashba (local, $a^R\times T^{dy}$)", "total": "total"}
    imp = max(abs(r["V_impurity_V"]) for r in scan_f + scan_k)
    for m, mk in zip(labels, "osd"):
        ax[0].plot([r["f_Hz"] / 1e9 for r in scan_f],
                   [abs(r[f"V_{m}_V"]) * 1e9 + 1e-30 for r in scan_f], mk + "-", label=labels[m])
        ax[1].plot([r["k_per_m"] * 1e-6 for r in scan_k],
                   [abs(r[f"V_{m}_V"]) * 1e9 + 1e-30 for r in scan_k], mk + "-", label=labels[m])
    for x in ax:
        x.set_yscale("log")
        x.set_ylabel("|V| along the strip (nV)")
        x.legend(fontsize=8, title=f"impurity SOC (local): |V| < {imp * 1e9:.0e} nV",
                 title_fontsize=8)
    ax[0].set_xlabel("frequency f (GHz)")
    ax[0].set_title(r"$\lambda_{sw}$ = 100 nm")
    ax[1].set_xlabel(r"wave vector k (1/$\mu$m)")
    ax[1].set_title(f"f = {f0 / 1e9:g} GHz")
    fig.suptitle("Spin wave in a 2 nm ferromagnet under 4 nm Pt, 400 nm strip")
    fig.tight_layout()
    fig.savefig(out / "texture_voltage.png", dpi=110)
    log(f"wrote {out / 'results.json'}, {out / 'texture_voltage.png'}")
