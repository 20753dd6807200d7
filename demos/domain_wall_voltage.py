# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # A precessing domain wall under Pt: the voltage by spin Hall, Rashba and impurity conversion
#
# Seed 002 (Takeuchi, Hosono & Tatara, PRB 81, 144405 (2010), our identification) pumps spin
# with a prescribed texture $S(x,t)$.  Here the texture is a 180° domain wall in a 2 nm
# ferromagnet whose magnetization precesses about the easy axis $\hat y$ (a wall above Walker
# breakdown, or a wall oscillator): $S = \tanh u\,\hat y + \mathrm{sech}\,u\,(\cos\psi\,\hat e_1
# + \sin\psi\,\hat e_2)$, $u = (x - X)/w$, $\psi = \Omega t + \psi_0$
# (`kinetics.physics.texture.walls`).  The period average of the damping torque
# $T^{(dy)} = 2\nu J^2\tau\,S\times\dot S$ (Eq. 26) is $2\nu J^2\tau\,\Omega\,\mathrm{sech}^2u\,
# \hat y$: a spin source localized in the wall.  Three conversions give a voltage along the
# strip (`kinetics.models.texture_charge.TextureVoltage`, with the spin Hall back-action):
# the inverse spin Hall effect of the Pt on the *diffusive* spin current ($\theta_{SH}$),
# and, inside the magnet, the paper's two *local* mechanisms, Rashba $a^R\times T^{(dy)}$
# (Eq. 25) and impurity SOC $a^{imp}\,\epsilon:j_s^{(local)}$ (Eqs. 30-31).
#
# Physics checks made below (results.json, `checks`):
# * V is linear in the frequency and odd in the precession sense (Ω → −Ω);
# * V is even in the wall's polarity (−ŷ|+ŷ ↔ +ŷ|−ŷ) and does not depend on ψ₀ (Bloch or
#   Néel): the period average of S×Ṡ is Ω sech²u ŷ for every such wall;
# * the uniform-precession limit: with spin-reflecting ends the x-integrated problem is the
#   1D one, so V(wall) = V(uniform precession, cone 90°) × ∫sech²u dx / L exactly, for the
#   diffusive and the Rashba voltage (the uniform case equals the interface pumping model's
#   V_ISHE: tests/test_texture_voltage.py);
# * impurity SOC converts $j_s^{(local)} \propto \nabla(\mathrm{sech}^2u)\,\hat y$ into
#   $j_c \propto \hat x\times\hat y = \hat z$: a current loop through the wall, no voltage between
#   the ends, only a local potential dipole at the wall (the profile in the picture).
#
# Run: ``mpirun -n 2 python3 demos/domain_wall_voltage.py --quick -o DIR``.

# %%
import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
from mpi4py import MPI
from dolfinx import fem

import kinetics
from kinetics.geometry import layered_box
from kinetics.models.texture import ElectronGas
from kinetics.models.texture_charge import ChargeRegion, TextureVoltage
from kinetics.output import results as io
from kinetics.physics.texture.sources import AnalyticTexture
from kinetics.physics.texture.walls import domain_wall_func, wall_source_integral

comm = MPI.COMM_WORLD


def log(*args):
    if comm.rank == 0:
        print(*args, flush=True)


parser = argparse.ArgumentParser(description="DC voltage of a precessing domain wall under Pt")
parser.add_argument("-o", "--output", default="results/domain_wall_voltage", help="output folder")
parser.add_argument("--quick", action="store_true", help="fewer points and a coarser mesh")
args = parser.parse_known_args()[0] if "ipykernel" in sys.modules else parser.parse_args()
out = Path(args.output)

# %% [markdown]
# ## Device and parameters
# x-z cross-section: a 2 nm textured ferromagnet (electron gas ν, J, τ, D; λ_sf = 5 nm;
# Rashba vector $E_{so}\parallel\hat z$; impurity SOC $\lambda_{so}$) under 4 nm of Pt
# (library values, θ_SH = 0.11), 400 nm long, contacts across both ends.  The wall sits in
# the middle.  Regime of seed 002: ℓ = √(3Dτ) ≈ 5.5 nm, so qℓ = ℓ/w ≤ 0.3 for w ≥ 20 nm, and
# Ωτ ≤ 2.5e-4.  The Rashba and impurity strengths are illustrative, not fitted.

# %%
pt = kinetics.materials.get("Pt")
gas = ElectronGas(nu=1e47, J=1e-21, tau=1e-14, D=1e-3)     # σ_F = 2e²νD ≈ 5.1 MS/m
E_SO, LAMBDA_SO, LAMBDA_F = 1e-30, 1e-20, 5e-9
length, t_fm, t_pt = 400e-9, 2e-9, 4e-9
X0 = length / 2
nx = 80 if args.quick else 200
nz_f, nz_p = (2, 4) if args.quick else (4, 8)
freqs = [0.5e9, 1e9, 2e9] if args.quick else [0.25e9, 0.5e9, 1e9, 2e9, 4e9]
widths = [20e-9, 40e-9, 80e-9] if args.quick else [20e-9, 30e-9, 40e-9, 60e-9, 80e-9, 120e-9]
f0, w0 = 1e9, 40e-9
dev = layered_box([length, t_fm + t_pt], [nx, nz_f + nz_p], axes="xz",
                  layers=[("fm", t_fm, nz_f), ("pt", t_pt, nz_p)])
# Ω, w, polarity, ψ₀ are runtime constants: one compilation serves every point
c = {k: fem.Constant(dev.mesh, np.float64(v)) for k, v in
     (("Omega", 2 * math.pi * f0), ("width", w0), ("polarity", 1.0), ("phase", 0.0))}
wall = domain_wall_func((0, 1, 0), (1, 0, 0), X0, c["width"], c["Omega"], c["polarity"],
                        c["phase"])
regions = {"fm": ChargeRegion(gas=gas, lambda_sf=LAMBDA_F, E_so=(0.0, 0.0, E_SO),
                              lambda_so=LAMBDA_SO),
           "pt": ChargeRegion(sigma=pt.sigma, lambda_sf=pt.lambda_sf, theta_sh=pt.theta_sh)}
MECH = ("diffusive", "rashba", "impurity", "total")


def top_profile(phi):
    """(x, φ) on the top surface of the Pt, gathered on every rank, sorted by x."""
    fdim = dev.mesh.topology.dim - 1
    dofs = fem.locate_dofs_topological(phi.function_space, fdim,
                                       dev.facet_tags.find(dev.boundary_tag("zmax")))
    dofs = dofs[dofs < phi.function_space.dofmap.index_map.size_local]
    xs = phi.function_space.tabulate_dof_coordinates()[dofs, 0] * dev.length_unit
    pairs = sorted(p for part in comm.allgather(list(zip(xs.tolist(), phi.x.array[dofs].tolist())))
                   for p in part)
    return np.array(pairs)


def solve(f, w, polarity=1.0, phase=0.0, keep=False):
    c["Omega"].value, c["width"].value = 2 * math.pi * f, w
    c["polarity"].value, c["phase"].value = polarity, phase
    res = TextureVoltage(dev, regions, AnalyticTexture(wall, period=1.0 / abs(f)), ground="xmin",
                         probe="xmax", degree=1, samples=8, backaction=True).solve()
    row = {"f_Hz": f, "width_m": w, **{f"V_{m}_V": res.V[m] for m in MECH},
           "spin_pumped_A_per_m": float(res.spin_balance[0, 1])}
    imp = top_profile(res.phi["impurity"])
    row["impurity_dipole_V"] = float(imp[:, 1].max() - imp[:, 1].min())
    if keep:
        row["profile"] = {"x_m": imp[:, 0].tolist(), "phi_impurity_V": imp[:, 1].tolist(),
                          "phi_rashba_V": top_profile(res.phi["rashba"])[:, 1].tolist()}
    return row


# %% [markdown]
# ## Frequency and wall-width scans, symmetries, the uniform limit

# %%
t_start = time.perf_counter()
scan_f = [solve(f, w0, keep=(f == f0)) for f in freqs]
scan_w = [solve(f0, w) for w in widths]
base = next(r for r in scan_f if r["f_Hz"] == f0)
reverse = solve(-f0, w0)
flipped = solve(f0, w0, polarity=-1.0)
bloch = solve(f0, w0, phase=math.pi / 2)
uniform = solve(f0, 1.0)                            # w = 1 m: sech² = 1 over the strip
for r in scan_f + scan_w:
    log(f"f = {r['f_Hz'] / 1e9:4.2f} GHz  w = {r['width_m'] * 1e9:5.1f} nm  V: diffusive "
        f"{r['V_diffusive_V']:.4e}  Rashba {r['V_rashba_V']:.4e}  impurity "
        f"{r['V_impurity_V']:.1e} V (local dipole {r['impurity_dipole_V']:.2e} V)")


def rel(a, b):
    return abs(a / b - 1)


slope = [r["V_total_V"] / r["f_Hz"] for r in scan_f]
limit = {m: max(rel(r[f"V_{m}_V"] / uniform[f"V_{m}_V"],
                    wall_source_integral(X0, r["width_m"], 0.0, length) / length)
                for r in scan_w) for m in ("diffusive", "rashba")}
checks = {
    "max_rel_dev_from_linear_in_f": max(rel(s, slope[0]) for s in slope),
    "max_rel_dev_odd_in_precession_sense": max(rel(-reverse[f"V_{m}_V"], base[f"V_{m}_V"])
                                   for m in ("diffusive", "rashba")),
    "max_rel_dev_even_in_polarity": max(rel(flipped[f"V_{m}_V"], base[f"V_{m}_V"])
                            for m in ("diffusive", "rashba")),
    "max_rel_dev_over_wall_phase": max(rel(bloch[f"V_{m}_V"], base[f"V_{m}_V"])
                                     for m in ("diffusive", "rashba")),
    "max_rel_dev_uniform_limit_diffusive": limit["diffusive"],
    "max_rel_dev_uniform_limit_rashba": limit["rashba"],
    "max_rel_impurity_end_voltage_to_rashba": max(abs(r["V_impurity_V"] / r["V_rashba_V"])
                                            for r in scan_f + scan_w)}
for k, v in checks.items():
    log(f"{k}: {v:.1e}")

# %% [markdown]
# ## Results

# %%
results = {"demo": "domain_wall_voltage",
           "units": {"V": "V", "f_Hz": "Hz", "width_m": "m",
                     "spin_pumped_A_per_m": "A/m (per unit length along y)"},
           "pt": pt.summary(), "fm": {"nu": gas.nu, "J": gas.J, "tau": gas.tau, "D": gas.D,
                                      "lambda_sf_m": LAMBDA_F, "E_so_J_m": E_SO,
                                      "lambda_so_m2": LAMBDA_SO},
           "geometry_m": {"length": length, "t_fm": t_fm, "t_pt": t_pt, "wall_center": X0},
           "wall": {"easy_axis": [0, 1, 0], "normal": [1, 0, 0]},
           "frequency_scan": scan_f, "width_scan": scan_w, "uniform_precession": uniform,
           "checks": checks, "ranks": comm.size, "wall_time_s": time.perf_counter() - t_start}
io.write_json(out / "results.json", results, comm)

if comm.rank == 0:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(1, 3, figsize=(15, 4.2))
    labels = {"diffusive": r"diffusive ($\theta_{SH}$ in Pt)",
              "rashba": r"Rashba (local, $a^R\times T^{dy}$)", "total": "total"}
    for m, mk in zip(labels, "osd"):
        ax[0].plot([r["f_Hz"] / 1e9 for r in scan_f], [r[f"V_{m}_V"] * 1e9 for r in scan_f],
                   mk + "-", label=labels[m])
        ax[1].plot([r["width_m"] * 1e9 for r in scan_w], [r[f"V_{m}_V"] * 1e9 for r in scan_w],
                   mk, label=labels[m])
    ws = np.linspace(widths[0], widths[-1], 100)
    for m in ("diffusive", "rashba"):
        ax[1].plot(ws * 1e9, [uniform[f"V_{m}_V"] * 1e9 * wall_source_integral(X0, w, 0, length)
                              / length for w in ws], "k:", lw=1)
    ax[0].set_xlabel("precession frequency f (GHz)")
    ax[0].set_title(f"wall width w = {w0 * 1e9:g} nm")
    ax[1].set_xlabel("wall width w (nm)")
    ax[1].set_title(f"f = {f0 / 1e9:g} GHz; dotted: uniform precession × ∫sech²u dx/L")
    for x in ax[:2]:
        x.set_ylabel("V along the strip (nV)")
        ratio = checks["max_rel_impurity_end_voltage_to_rashba"]
        x.legend(fontsize=8, title=f"impurity SOC: |V| < {ratio:.0e} × Rashba", title_fontsize=8)
    prof = base["profile"]
    xs = np.array(prof["x_m"]) * 1e9
    ax[2].fill_between(xs, 0, 1 / np.cosh((xs - X0 * 1e9) / (w0 * 1e9)) ** 2
                       * max(abs(np.array(prof["phi_rashba_V"]))) * 1e9, color="0.88",
                       label=r"wall: sech$^2 u$ (scaled)")
    ax[2].plot(xs, np.array(prof["phi_rashba_V"]) * 1e9, "C1", label="Rashba (left axis, nV)")
    imp_ax = ax[2].twinx()
    imp_ax.plot(xs, np.array(prof["phi_impurity_V"]) * 1e12, "C2",
                label="impurity SOC (right axis, pV)")
    imp_ax.set_ylabel("impurity SOC: potential (pV)", color="C2")
    ax[2].set_xlabel("x (nm)")
    ax[2].set_ylabel("Rashba: potential on the Pt top (nV)", color="C1")
    ax[2].set_title(f"local mechanisms, w = {w0 * 1e9:g} nm, f = {f0 / 1e9:g} GHz")
    h1, l1 = ax[2].get_legend_handles_labels()
    h2, l2 = imp_ax.get_legend_handles_labels()
    ax[2].legend(h1 + h2, l1 + l2, fontsize=8, loc="upper left")
    fig.suptitle("Precessing domain wall in a 2 nm ferromagnet under 4 nm Pt (400 nm strip)")
    fig.tight_layout()
    fig.savefig(out / "domain_wall_voltage.png", dpi=110)
    log(f"wrote {out / 'results.json'}, {out / 'domain_wall_voltage.png'}")
