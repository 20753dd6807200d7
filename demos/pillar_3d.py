# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Spin accumulation in a Pt/Cu/Pt nanopillar carrying a vertical current
#
# An elliptical nanopillar (60 nm × 40 nm) of Pt (5 nm) / Cu (10 nm) / Pt (5 nm) between a
# bottom and a top lead.  The current flows along $z$.  In the Pt layers the spin Hall effect
# turns it into a spin current flowing *outward* with polarization
# $\hat\sigma = \hat j_c\times\hat n$ — azimuthal around the pillar — which piles up at the
# insulating side walls within $\lambda_{sf}$: the spin accumulation winds around the pillar
# like a vortex, with the same sense in both Pt layers (same current, same spin Hall angle).
# The Cu spacer, with its long $\lambda_{sf}$, carries the accumulation diffused from both.
# The leads are ideal spin reservoirs.
#
# Check: far from the leads and interfaces the side-wall accumulation of a straight wall is
# $\mu_\varphi = 2\theta_{SH}E\lambda\tanh(W/2\lambda)$ (the spin Hall strip,
# ``kinetics.analytic.spin_hall_strip``); here the wall is curved and the layers are thin, so
# the demo prints the ratio as an order-of-magnitude check, not a test.
#
# Run: ``mpirun -n 2 python3 demos/pillar_3d.py`` (``--quick``: coarser mesh).

# %%
import argparse
import sys
import time
from pathlib import Path

import numpy as np
from mpi4py import MPI

import kinetics
from kinetics import analytic, observables, plot
from kinetics.output import grid as export
from kinetics.output import results as io
from kinetics.geometry import pillar, statistics
from kinetics.physics.boundaries import Contact
from kinetics.models.spin_charge import SpinChargeProblem

comm = MPI.COMM_WORLD


def log(*args):
    if comm.rank == 0:
        print(*args, flush=True)


parser = argparse.ArgumentParser()
parser.add_argument("-o", "--output", default="results/pillar_3d")
parser.add_argument("--quick", action="store_true")
args = parser.parse_known_args()[0] if "ipykernel" in sys.modules else parser.parse_args()
out = Path(args.output)
t0 = time.perf_counter()

# %% [markdown]
# ## Device, materials, contacts
# Structured layers graded toward every interface resolve $\lambda_{sf}$(Pt) = 1.5 nm at the
# leads and at the Pt|Cu interfaces; the in-plane mesh is refined toward the side walls.

#
# The spin currents into the leads are about $2\cdot10^{-5}$ of the charge current, so the
# iterative solver is asked for a residual of $10^{-12}$ (its default is $10^{-10}$): then they
# are the same to $10^{-8}$ on any number of MPI ranks.

# %%
layers = [("pt_bottom", 5e-9), ("cu", 10e-9), ("pt_top", 5e-9)]
a, b = 30e-9, 20e-9
dev = pillar(layers, (a, b), h=(4e-9 if args.quick else 2.5e-9),
             cells_across={"pt_bottom": 6, "cu": 6, "pt_top": 6} if args.quick else
             {"pt_bottom": 10, "cu": 10, "pt_top": 10}, grading=0.7, comm=comm)
stats = statistics(dev)
pt, cu = kinetics.materials.get("Pt"), kinetics.materials.get("Cu")
V0 = 1e-3
problem = SpinChargeProblem(dev, {"pt_bottom": pt, "cu": cu, "pt_top": pt},
                            [Contact("bottom_lead", V=0.0), Contact("top_lead", V=V0)],
                            degree=1 if args.quick else 2,
                            petsc_options={"ksp_rtol": 1e-12})
log(f"mesh: {stats['cells']} cells, {problem.num_dofs} unknowns")
sol = problem.solve()

# %% [markdown]
# ## Numbers
# The current and resistance, the spin accumulation at the side wall (azimuthal component at
# the end of the long axis, $\mu_y$ at $(a, 0)$) at mid-height of the bottom Pt layer, and
# the spin current that each lead absorbs.

# %%
I = observables.contact_current(sol, "top_lead")
area = np.pi * a * b
R_ohmic = sum(t / (m.sigma * area) for (name, t), m in zip(layers, (pt, cu, pt)))
z_mid = 2.5e-9
probe = observables.line_profile(sol, [[a * 0.999, 0.0, z_mid], [0.0, 0.0, z_mid]])
E_pt = I / area / pt.sigma
strip_wall = analytic.spin_hall_strip(np.array([b]), 2 * b, pt.lambda_sf, pt.theta_sh, E_pt)[0][0]
spin_bottom = observables.contact_spin_current(sol, "bottom_lead")
spin_top = observables.contact_spin_current(sol, "top_lead")
log(f"I = {I * 1e6:.3f} uA, R = {V0 / I:.2f} Ohm (ohmic series {R_ohmic:.2f} Ohm)")
log(f"side wall μ_y = {probe[0, 1] * 1e6:+.4f} uV (polarization ĵ×n̂ = −ŷ for the downward "
    f"current), centre {probe[1, 1] * 1e6:+.5f} uV; straight thick-wall estimate "
    f"|2θEλ tanh(b/λ)| = {abs(strip_wall) * 1e6:.4f} uV (the 5 nm Pt layers between a reservoir "
    f"lead and Cu hold less)")
log(f"spin current into the leads: bottom {spin_bottom} A, top {spin_top} A")

# %% [markdown]
# ## Pictures
# The spin accumulation as arrows over the pillar, coloured by $|\mu_s|$; horizontal slices
# through the three layers (the vortex of $\mu_s$ at the wall); and the charge current.

# %%
export.save_vtu(sol, out / "pillar.vtu")
plot.spin_accumulation_3d(sol, out / "pillar_mu.png", component="|mu_s|",
                          title="Pt/Cu/Pt pillar, vertical current: spin accumulation")
plot.spin_accumulation_3d(sol, out / "pillar_mu_slices.png", component="|mu_s|",
                          slices=("z", [2.5, 10.0, 17.5]),
                          title="slices through Pt (2.5 nm), Cu (10 nm), Pt (17.5 nm)")
plot.current_streamlines(sol, out / "pillar_current.png", title="charge current")
io.write_fields(sol, out / "fields.bp")
io.write_json(out / "results.json", {
    "demo": "pillar_3d", "ranks": comm.size, "mesh": stats, "unknowns": problem.num_dofs,
    "current_A": I, "resistance_Ohm": V0 / I, "ohmic_series_resistance_Ohm": R_ohmic,
    "side_wall_mu_y_V": probe[0, 1], "centre_mu_y_V": probe[1, 1],
    "straight_wall_estimate_V": strip_wall,
    "spin_current_into_leads_A": {"bottom": spin_bottom, "top": spin_top},
    "wall_time_s": time.perf_counter() - t0}, comm)
log(f"wrote {out} in {time.perf_counter() - t0:.0f} s")
