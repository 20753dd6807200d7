# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Spin Hall magnetoresistance of a Pt film on YIG
#
# A charge current along $x$ in a Pt film drives, through the spin Hall effect, a spin
# current along the film normal $z$ that piles up spin accumulation $\mu_s$ (polarized
# along $y$) at the two surfaces.  At the bottom surface the magnetic insulator YIG absorbs
# the component of $\mu_s$ transverse to its magnetization $m$ through the spin-mixing
# conductance $G_{\uparrow\downarrow} = G_r + iG_i$.  The inverse spin Hall effect turns the
# changed spin current back into a charge current, so the film resistance depends on $m$:
# the spin Hall magnetoresistance (SMR) of Chen et al., PRB 87, 144411 (2013),
#
# $$\rho_\mathrm{long} = \rho + \Delta\rho_0 + \Delta\rho_1 (1 - m_y^2), \qquad
#   \rho_\mathrm{trans} = \Delta\rho_1 m_x m_y + \Delta\rho_2 m_z .$$
#
# This demo solves the SU(2) spin-charge drift-diffusion model on an $x$-$z$ cross-section
# of the film for the Pt|YIG parameters of Vlietstra et al., PRB 87, 184421 (2013)
# ($\theta_{SH} = 0.08$, $\lambda_{sf} = 1.1$ nm, $G_r = 7\times10^{14}$,
# $G_i = 5\times10^{13}\ \Omega^{-1}\mathrm{m}^{-2}$), for Pt thicknesses 3, 4, 8 and 35 nm,
# extracts $\Delta\rho_1/\rho$ and $\Delta\rho_2/\rho$ and compares them with Chen's closed
# form.  Run it with ``python3 demos/pt_film_smr.py`` or ``mpirun -n 2 python3 ...``;
# ``--quick`` uses two thicknesses.

# %%
import argparse
import sys
import time
from pathlib import Path

import numpy as np
from mpi4py import MPI

import kinetics
from kinetics import analytic, observables
from kinetics.output import results as io
from kinetics.geometry import layered_box
from kinetics.physics.boundaries import Contact, MagneticInterface
from kinetics.models.spin_charge import SpinChargeProblem

comm = MPI.COMM_WORLD


def log(*args):
    if comm.rank == 0:
        print(*args, flush=True)


parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("-o", "--output", default="results/pt_film_smr", help="output folder")
parser.add_argument("--quick", action="store_true", help="two thicknesses, coarser mesh")
args = parser.parse_known_args()[0] if "ipykernel" in sys.modules else parser.parse_args()
out = Path(args.output)

# %% [markdown]
# ## Parameters
# Materials come from the library with their literature sources; the interface parameters
# likewise.

# %%
pt = kinetics.materials.get("Pt-Vlietstra")
yig = kinetics.materials.interface("Pt|YIG-Vlietstra")
thicknesses = [3e-9, 8e-9] if args.quick else [3e-9, 4e-9, 8e-9, 35e-9]
length, V0 = 20e-9, 1e-3            # segment between the contacts (m), applied voltage (V)
directions = {"x": (1, 0, 0), "y": (0, 1, 0), "z": (0, 0, 1), "-z": (0, 0, -1)}
log(f"Pt: {pt.source}\nPt|YIG: {yig.source}")

# %% [markdown]
# ## Solve
# For each thickness: a cross-section mesh (YIG is its bottom face ``zmin``) graded toward both surfaces (nodes cluster where
# $\mu_s$ varies on the scale $\lambda_{sf}$), spin-opaque contacts at the ends, YIG at the
# bottom.  Each magnetization direction only changes the interface term: the forms are
# compiled once and reassembled.  $\rho_\mathrm{trans}/\rho = -\langle j_y\rangle/(\sigma E)$
# (the cross-section is infinitely wide, so $E_y = 0$).

# %%
rows = []
profiles = {}
t_start = time.perf_counter()
for d in thicknesses:
    nz = 24 if args.quick else 48
    dev = layered_box([length, d], [2, nz], layers=[("pt", d, nz)], axes="xz", grading=0.7)
    problem = SpinChargeProblem(dev, {"pt": pt}, [
        Contact("xmin", V=V0, spin="opaque"), Contact("xmax", V=0.0, spin="opaque"),
        MagneticInterface("zmin", G_r=yig.G_r, G_i=yig.G_i, m=(0, 1, 0))], degree=2)
    E = V0 / length
    rho_long, rho_trans = [], []
    for key, m in directions.items():
        problem.set_magnetization("zmin", m)
        sol = problem.solve()
        jx = observables.contact_current(sol, "xmin") / d
        jy = observables.region_average(sol, "j_c")[1]
        rho_long.append(E / jx)
        rho_trans.append(-jy / (pt.sigma * E) / pt.sigma)
        if key == "x":
            z = np.linspace(0, d, 81)
            pts = np.column_stack([np.full_like(z, length / 2), np.zeros_like(z), z])
            profiles[d] = (z, observables.line_profile(sol, pts))
            if d == thicknesses[0]:
                state = f"d = {d * 1e9:g} nm, m = (1, 0, 0), V = {V0 * 1e3:g} mV at xmin"
                io.write_fields(sol, out / "fields_3nm_mx.bp", state=state)
    fit = observables.fit_smr(list(directions.values()), rho_long, rho_trans)
    rho = 1 / pt.sigma
    _, d1, d2 = analytic.chen_smr(d, pt.sigma, pt.lambda_sf, pt.theta_sh, yig.G_r, yig.G_i)
    row = {"thickness_m": d, "drho1_over_rho": fit["delta_rho_1"] / rho,
           "drho2_over_rho": fit["delta_rho_2"] / rho, "chen_drho1_over_rho": d1,
           "chen_drho2_over_rho": d2, "unknowns": problem.num_dofs}
    rows.append(row)
    log(f"d = {d * 1e9:5.1f} nm  Δρ1/ρ = {row['drho1_over_rho']:.4e} (Chen {d1:.4e})   "
        f"Δρ2/ρ = {row['drho2_over_rho']:.4e} (Chen {d2:.4e})   {problem.num_dofs} unknowns")

# %% [markdown]
# ## Results
# The FEM amplitudes agree with Chen's closed form to $O(\theta_{SH}^2)$ (the model is
# exact in $\theta$; Chen's formula is its second-order expansion).

# %%
results = {"demo": "pt_film_smr", "units": {"thickness_m": "m", "drho_over_rho": "1"},
           "material": pt.summary(), "interface": {"G_r": yig.G_r, "G_i": yig.G_i,
                                                   "source": yig.source},
           "rows": rows, "ranks": comm.size, "wall_time_s": time.perf_counter() - t_start}
io.write_json(out / "results.json", results, comm)

if comm.rank == 0:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for d, (z, mu) in profiles.items():
        ax1.plot(z * 1e9, mu[:, 1] * 1e6, label=f"d = {d * 1e9:g} nm")
    ax1.set_xlabel("height above YIG, z (nm)")
    ax1.set_ylabel(r"spin accumulation $\mu_{s,y}$ ($\mu$V)")
    ax1.set_title(r"$\mu_{s,y}$ through the film at " + f"x = {length * 0.5e9:g} nm (middle); "
                  f"m = x, current along +x", fontsize=10)
    ax1.legend(fontsize=9)
    dd = np.geomspace(1e-9, 40e-9, 200)
    chen = np.array([analytic.chen_smr(x, pt.sigma, pt.lambda_sf, pt.theta_sh, yig.G_r, yig.G_i)
                     for x in dd])
    d_nm = [r["thickness_m"] * 1e9 for r in rows]
    ax2.plot(dd * 1e9, chen[:, 1], "-", color="C0", label=r"$\Delta\rho_1/\rho$: Chen 2013")
    ax2.plot(d_nm, [r["drho1_over_rho"] for r in rows], "o", color="C0", mfc="none", mew=1.6,
             label=r"$\Delta\rho_1/\rho$: FEM")
    ax2.plot(dd * 1e9, -chen[:, 2], "-", color="C3", label=r"$-\Delta\rho_2/\rho$: Chen 2013")
    ax2.plot(d_nm, [-r["drho2_over_rho"] for r in rows], "s", color="C3", mfc="none", mew=1.6,
             label=r"$-\Delta\rho_2/\rho$: FEM")
    ax2.set_xlabel("Pt thickness d (nm)")
    ax2.set_ylabel("SMR amplitude (1)")
    ax2.set_yscale("log")
    ax2.set_xscale("log")
    from matplotlib.ticker import FixedLocator, NullFormatter, ScalarFormatter
    ax2.xaxis.set_major_locator(FixedLocator([1, 2, 3, 4, 6, 8, 10, 20, 40]))
    ax2.xaxis.set_major_formatter(ScalarFormatter())
    ax2.xaxis.set_minor_formatter(NullFormatter())
    ax2.grid(True, which="major", color="0.92", lw=0.6)
    ax2.set_title("FEM (markers) vs Chen et al. 2013 (lines)", fontsize=10)
    ax2.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    fig.savefig(out / "smr.png", dpi=120)
    log(f"wrote {out / 'results.json'}, {out / 'smr.png'}, {out / 'fields_3nm_mx.bp'} (.vtu)")
