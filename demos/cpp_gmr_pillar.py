# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # CPP giant magnetoresistance and spin-transfer torque in a Co/Cu/Co nanopillar
#
# An elliptical pillar (60 nm × 40 nm) of Co / Cu / Co carries a current along its axis z
# (current perpendicular to the planes, CPP).  The Co layers are ferromagnetic metals
# (``kinetics.physics.ferromagnet``: Valet–Fert two-current model with the transverse
# precession and dephasing lengths λ_J, λ_φ), with the 4.2 K parameters of Bass & Pratt
# (J. Phys.: Condens. Matter 19, 183201 (2007)) from the materials library: β = 0.46,
# l_sf = 59 nm, ρ = 75 nΩ m.  The Cu spacer has l_sf = 350 nm (its small spin Hall angle is
# set to zero, so that the pillar is exactly one-dimensional).  The contacts at the ends are
# ideal spin reservoirs.
#
# **GMR.**  With both layers along the same axis the resistance is R_P (parallel) or R_AP
# (antiparallel).  Valet & Fert, PRB 48, 7099 (1993) give ΔR·A = (R_AP − R_P)·A for
# semi-infinite Co on both sides of a Cu spacer of thickness t_N and transparent interfaces
# (r_b* = 0, as in this bulk model, whose V and μ_s are continuous):
#
# $$\Delta R A = \frac{2(\beta r_F)^2}{r_F\cosh(t_N/l_N) + \tfrac{r_N}{2}\left(1 + (r_F/r_N)^2\right)\sinh(t_N/l_N)},\qquad r_F = \rho_F^* l_F,\ r_N = l_N/\sigma_N,$$
#
# ``kinetics.analytic.gmr.cpp_gmr_delta_ra``.  The Co layers are therefore 5 l_F thick, so
# that the reservoirs at their ends change ΔR·A by about 2e^{−10} ≈ 1e-4 only.
#
# **Non-collinear layers and spin-transfer torque.**  With the fixed layer along p = x̂ and the
# free layer at an angle θ in the plane, the spin current reaching the free layer has a
# part perpendicular to its magnetization; the ferromagnet absorbs it within
# 1/Re k ≈ 1.3 nm of the interface (k² = c_sf + 1/λ_φ² − i/λ_J²), by precession and
# dephasing, and that absorbed transverse spin current is the torque on the magnetization,
# τ = (ħ/2e)/A ∫ (σ/2)[(μ×m)/λ_J² + m×(μ×m)/λ_φ²] dx (J/m²;
# ``kinetics.observables_ferromagnet``, whose docstring shows it is exactly the torque of an
# HM|FI interface with mixing conductance (σ/2)k for a thick layer).  Its damping-like part
# lies along m×(p×m), the field-like part along p×m.  The thickness of the free layer does
# not matter for τ; it is thick here for the GMR comparison.  The torque vanishes at θ = 0
# and π and is odd in θ about both (tests/test_spin_transfer.py), but in this model it is
# not symmetric about π/2 (Slonczewski's asymmetric angular dependence).
#
# The 3D pillar gives R_P, R_AP and the torque at θ = 90°; the thickness and angle scans run
# on 1D stacks (the pillar is exactly 1D: uniform current, insulating side walls).
#
# Run: ``mpirun -n 2 python3 demos/cpp_gmr_pillar.py`` (``--quick``: coarser mesh, P1,
# direct solver).

# %%
import argparse
import sys
import time
from pathlib import Path

import numpy as np
from mpi4py import MPI

import kinetics
from kinetics import observables, observables_ferromagnet, plot
from kinetics.analytic import gmr
from kinetics.geometry import layered_box, pillar, statistics
from kinetics.models.spin_charge import SpinChargeProblem
from kinetics.output import results as io
from kinetics.physics.boundaries import Contact

comm = MPI.COMM_WORLD


def log(*args):
    if comm.rank == 0:
        print(*args, flush=True)


parser = argparse.ArgumentParser()
parser.add_argument("-o", "--output", default="results/cpp_gmr_pillar")
parser.add_argument("--quick", action="store_true")
args = parser.parse_known_args()[0] if "ipykernel" in sys.modules else parser.parse_args()
out = Path(args.output)
t0 = time.perf_counter()

# %% [markdown]
# ## Materials, the pillar, the solver
# The iterative preset converges slowly with ferromagnets (its block preconditioner ignores
# the β coupling of charge and spin), so ``--quick`` uses the direct solver; the full run
# uses the iterative preset with a residual of 1e-12 and reports its iteration counts.

# %%
co = kinetics.materials.get("Co")
cu = kinetics.materials.get("Cu").with_(theta_sh=0.0)
t_F, t_N = 300e-9, 10e-9
a, b = 30e-9, 20e-9
V0 = 1e-3
p_fixed = np.array([1.0, 0.0, 0.0])


def free_m(theta):
    return (np.cos(theta), np.sin(theta), 0.0)


layers = [("fixed", t_F), ("spacer", t_N), ("free", t_F)]
dev = pillar(layers, (a, b), h=(6e-9 if args.quick else 3e-9),
             cells_across={"fixed": 16, "spacer": 4, "free": 16} if args.quick else
             {"fixed": 40, "spacer": 10, "free": 40}, grading=0.85, comm=comm)
stats = statistics(dev)
solver = ({"solver": "direct"} if args.quick else
          {"solver": "iterative", "petsc_options": {"ksp_rtol": 1e-12}})
problem = SpinChargeProblem(dev, {"fixed": co.with_(m=p_fixed), "spacer": cu,
                                  "free": co.with_(m=p_fixed)},
                            [Contact("bottom_lead", V=V0), Contact("top_lead", V=0.0)],
                            degree=1 if args.quick else 2, **solver)
area = dev.area("fixed|spacer")                       # the meshed (polygonal) cross-section
log(f"mesh: {stats['cells']} cells, {problem.num_dofs} unknowns, preset "
    f"{problem.solver_preset}")

# %% [markdown]
# ## R_P, R_AP and ΔR·A of the pillar against Valet–Fert
# R·A = V0 A / I.  The parallel state's excess over the series resistance of the layers,
# and ΔR·A, are compared with the closed forms (``cpp_excess_ra``, ``cpp_gmr_delta_ra``).

# %%
vf_args = (t_N, co.sigma, co.beta, co.lambda_sf, cu.sigma, cu.lambda_sf)
series_ra = 2 * t_F / co.sigma + t_N / cu.sigma
ra, iterations = {}, {}
for state, m in (("P", p_fixed), ("AP", -p_fixed), ("90deg", free_m(np.pi / 2))):
    problem.set_magnetization("free", m)
    sol = problem.solve()
    iterations[state] = sol.iterations
    ra[state] = V0 / observables.contact_current(sol, "bottom_lead") * area
sol_90 = sol
delta_ra = ra["AP"] - ra["P"]
delta_vf = gmr.cpp_gmr_delta_ra(*vf_args)
excess_vf = gmr.cpp_excess_ra(*vf_args, parallel=True)
torque_3d = observables_ferromagnet.layer_torque(
    sol_90, "free", p_fixed, area=area, current=observables.contact_current(sol_90, "bottom_lead"))
log(f"R_P = {ra['P'] / area:.4f} Ohm, R_AP = {ra['AP'] / area:.4f} Ohm (A = {area * 1e18:.1f} "
    f"nm^2); ΔR·A = {delta_ra * 1e15:.5f} fOhm m^2, Valet–Fert {delta_vf * 1e15:.5f} "
    f"(relative deviation {delta_ra / delta_vf - 1:+.2e})")
log(f"R_P·A excess over the series resistance: {(ra['P'] - series_ra) * 1e15:.5f} fOhm m^2, "
    f"Valet–Fert {excess_vf * 1e15:.5f}")
log(f"θ = 90°: τ_DL = {torque_3d['tau_DL']:.4e} J/m^2, τ_FL = {torque_3d['tau_FL']:.4e} J/m^2, "
    f"η_DL = {torque_3d['eta_DL']:.4f}, η_FL = {torque_3d['eta_FL']:.4f}")
if not args.quick:
    log(f"iterative preset, GMRES iterations: {iterations}")

# %% [markdown]
# ## ΔR·A against the spacer thickness, R(θ) and the torque against θ (1D stacks)
# The same stack as a 1D mesh, graded toward every interface, P2: the thickness scan of
# ΔR·A against Valet–Fert and the angular scans.


# %%
def stack(t_spacer, cells=(60, 30, 60)):
    d = layered_box([1.0], [1], [("fixed", t_F, cells[0]), ("spacer", t_spacer, cells[1]),
                                 ("free", t_F, cells[2])], axes="x", grading=0.85, comm=comm)
    return SpinChargeProblem(d, {"fixed": co.with_(m=p_fixed), "spacer": cu,
                                 "free": co.with_(m=p_fixed)},
                             [Contact("xmin", V=V0), Contact("xmax", V=0.0)], degree=2,
                             solver="direct")


def ra_1d(problem_1d):
    return V0 / observables.contact_current(problem_1d.solve(), "xmin")


thicknesses = [2e-9, 10e-9, 50e-9, 200e-9] if args.quick else \
    [1e-9, 2e-9, 5e-9, 10e-9, 20e-9, 50e-9, 100e-9, 200e-9, 500e-9]
scan_t = []
for t in thicknesses:
    p1 = stack(t)
    r_p = ra_1d(p1)
    p1.set_magnetization("free", -p_fixed)
    r_ap = ra_1d(p1)
    exact = gmr.cpp_gmr_delta_ra(t, co.sigma, co.beta, co.lambda_sf, cu.sigma, cu.lambda_sf)
    scan_t.append({"t_N_m": t, "delta_RA_Ohm_m2": r_ap - r_p, "valet_fert_Ohm_m2": exact})
max_rel_dev_scan = max(abs(s["delta_RA_Ohm_m2"] / s["valet_fert_Ohm_m2"] - 1) for s in scan_t)
log(f"ΔR·A vs t_N: largest relative deviation from Valet–Fert {max_rel_dev_scan:.2e}")

angles = np.linspace(0.0, np.pi, 13 if args.quick else 37)
p1 = stack(t_N)
scan_theta = []
for theta in angles:
    m = (-1.0, 0.0, 0.0) if theta == np.pi else free_m(theta)   # exact collinear ends
    p1.set_magnetization("free", m)
    s1 = p1.solve()
    j = observables.contact_current(s1, "xmin")
    tq = observables_ferromagnet.layer_torque(s1, "free", p_fixed, current=j)
    scan_theta.append({"theta_deg": float(np.degrees(theta)), "RA_Ohm_m2": V0 / j,
                       "tau_DL_J_per_m2": tq["tau_DL"], "tau_FL_J_per_m2": tq["tau_FL"],
                       "eta_DL": tq["eta_DL"], "eta_FL": tq["eta_FL"]})
ra_1d_p, ra_1d_ap = scan_theta[0]["RA_Ohm_m2"], scan_theta[-1]["RA_Ohm_m2"]
mid = scan_theta[len(angles) // 2]
log(f"1D stack: ΔR·A = {(ra_1d_ap - ra_1d_p) * 1e15:.5f} fOhm m^2; θ = 90°: "
    f"η_DL = {mid['eta_DL']:.4f}, η_FL = {mid['eta_FL']:.4f} (3D pillar: "
    f"{torque_3d['eta_DL']:.4f}, {torque_3d['eta_FL']:.4f})")

# %% [markdown]
# ## Pictures
# μ_s in the pillar at θ = 90° (fixed layer along x, free layer along y), sliced near the
# spacer: the accumulation polarized along x in the fixed layer turns toward y across the
# spacer and its transverse part dies within ~1 nm in the free layer.  The charts: ΔR·A
# against t_N with Valet–Fert, R(θ) and the damping-like and field-like torques against θ.

# %%
z_spacer = t_F * 1e9
plot.spin_accumulation_3d(sol_90, out / "pillar_mu.png", component="|mu_s|",
                          slices=("z", [z_spacer - 20.0, z_spacer - 1.0, z_spacer + t_N * 5e8,
                                        z_spacer + t_N * 1e9 + 1.0]),
                          title="Co/Cu/Co pillar, θ = 90°: μ_s near the Cu spacer")
plot.spin_accumulation_3d(sol_90, out / "pillar_mu_x.png", component="x", clip="y",
                          title="Co/Cu/Co pillar, θ = 90°: μ_x (x-z section)")
if comm.rank == 0:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(15, 4.2))
    tt = np.geomspace(min(thicknesses) / 2, max(thicknesses) * 2, 200)
    a1.loglog(tt * 1e9, [gmr.cpp_gmr_delta_ra(t, co.sigma, co.beta, co.lambda_sf, cu.sigma,
                                              cu.lambda_sf) * 1e15 for t in tt],
              "k-", label="Valet–Fert")
    a1.loglog([s["t_N_m"] * 1e9 for s in scan_t], [s["delta_RA_Ohm_m2"] * 1e15 for s in scan_t],
              "o", label="FEM, 1D")
    a1.loglog([t_N * 1e9], [delta_ra * 1e15], "s", mfc="none", ms=10, label="FEM, 3D pillar")
    a1.set(xlabel="Cu spacer t_N (nm)", ylabel="ΔR·A (fΩ m²)", title="CPP-GMR")
    a1.legend()
    th = [s["theta_deg"] for s in scan_theta]
    a2.plot(th, [(s["RA_Ohm_m2"] - ra_1d_p) / (ra_1d_ap - ra_1d_p) for s in scan_theta], "o-")
    a2.plot(th, (1 - np.cos(np.radians(th))) / 2, "k--", lw=0.8, label="(1 − cos θ)/2")
    a2.set(xlabel="θ (deg)", ylabel="(R(θ) − R_P)/(R_AP − R_P)", title="R(θ)")
    a2.legend()
    a3.plot(th, [s["eta_DL"] for s in scan_theta], "o-", label="damping-like η_DL")
    a3.plot(th, [s["eta_FL"] for s in scan_theta], "s-", label="field-like η_FL")
    a3.plot([90.0], [torque_3d["eta_DL"]], "k*", ms=12, label="3D pillar, θ = 90°")
    a3.set(xlabel="θ (deg)", ylabel="absorbed spin current / charge current",
           title="spin-transfer torque on the free layer")
    a3.legend()
    fig.tight_layout()
    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "gmr_torque.png", dpi=110)
    plt.close(fig)

io.write_json(out / "results.json", {
    "demo": "cpp_gmr_pillar", "ranks": comm.size, "mesh": stats, "unknowns": problem.num_dofs,
    "area_m2": area,
    "pillar": {"RA_P_Ohm_m2": ra["P"], "RA_AP_Ohm_m2": ra["AP"], "RA_90deg_Ohm_m2": ra["90deg"],
               "R_P_Ohm": ra["P"] / area, "R_AP_Ohm": ra["AP"] / area,
               "delta_RA_Ohm_m2": delta_ra, "valet_fert_delta_RA_Ohm_m2": delta_vf,
               "excess_RA_P_Ohm_m2": ra["P"] - series_ra, "valet_fert_excess_RA_Ohm_m2": excess_vf,
               "max_rel_dev_delta_RA": abs(delta_ra / delta_vf - 1),
               "torque_90deg": {"tau_DL_J_per_m2": torque_3d["tau_DL"],
                                "tau_FL_J_per_m2": torque_3d["tau_FL"],
                                "eta_DL": torque_3d["eta_DL"], "eta_FL": torque_3d["eta_FL"]}},
    "thickness_scan": scan_t, "max_rel_dev_scan": max_rel_dev_scan,
    "angle_scan": scan_theta,
    "wall_time_s": time.perf_counter() - t0}, comm)
log(f"wrote {out} in {time.perf_counter() - t0:.0f} s")
