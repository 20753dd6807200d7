# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Nonlocal spin valve: Py/Cu, R_NL for parallel and antiparallel electrodes, Hanle precession
#
# A Cu channel is crossed by two Py bars.  A current I flows from the injector F1 into the
# channel and out of its left end; the detector F2, to the right, draws no current, and its
# voltage against the right end of the channel, divided by I, is the nonlocal resistance
# R_NL.  Only spin reaches F2: R_NL = ±ΔR_s/2 for parallel/antiparallel electrodes, and
# Takahashi & Maekawa, PRB 67, 052409 (2003) give, for point-like junctions on a 1D channel,
#
# $$\Delta R_s = \frac{4R_N X_1X_2\,e^{-L/\lambda_N}}{D_1D_2 - e^{-2L/\lambda_N}},\quad
# X_i = \frac{P_I}{1-P_I^2}\frac{R_i}{R_N} + \frac{p_F}{1-p_F^2}\frac{R_F}{R_N},\quad
# D_i = 1 + \frac{2}{1-P_I^2}\frac{R_i}{R_N} + \frac{2}{1-p_F^2}\frac{R_F}{R_N},$$
#
# with the spin resistances R_N = ρ_Nλ_N/A_N, R_F = ρ_Fλ_F/A_J (``kinetics.analytic.nlsv``).
# The Py|Cu interfaces are resistive F|N junctions of circuit theory (``CircuitProblem``,
# ``FNJunction``): V and μ_s jump across them.
#
# 1. **3D device** (transparent Py|Cu interfaces of the library, Bass & Pratt's r_b*, γ):
#    R_NL(P), R_NL(AP) and the spin accumulation in the channel.  The electrodes here are
#    thin bars fed from their ends, not TM's semi-infinite columns, so ΔR_s differs from the
#    closed form by a geometric factor, printed below.
# 2. **Spacing dependence** on the x-z cross-section (2D, thin channel and narrow junctions:
#    the TM limit; tests/test_nlsv.py shows the 2D R_NL converging to TM at first order in
#    the junction size): ΔR_s(L) against the closed form, e^{−L/λ_N} at large L.
# 3. **Hanle curve**: tunnel junctions, a field B ⊥ the film precesses the spins on their way
#    to the detector; fitting the standard 1D expression (Johnson & Silsbee 1985; Jedema et
#    al. 2002) returns the channel's λ_N and τ_s = λ_N²/D, the way they are measured.
#
# Run: ``mpirun -n 2 python3 demos/nonlocal_spin_valve.py`` (``--quick``: coarser meshes,
# fewer points).

# %%
import argparse
import sys
import time
from pathlib import Path

import numpy as np
from mpi4py import MPI

import kinetics
from kinetics import plot
from kinetics.analytic import nlsv
from kinetics.fn_materials import FNInterface, fn_interface
from kinetics.geometry import nonlocal_spin_valve, statistics
from kinetics.models.circuit import CircuitProblem, FNJunction, nonlocal_resistance
from kinetics.output import results as io
from kinetics.physics.boundaries import Contact

comm = MPI.COMM_WORLD


def log(*args):
    if comm.rank == 0:
        print(*args, flush=True)


parser = argparse.ArgumentParser()
parser.add_argument("-o", "--output", default="results/nonlocal_spin_valve")
parser.add_argument("--quick", action="store_true")
args = parser.parse_known_args()[0] if "ipykernel" in sys.modules else parser.parse_args()
out = Path(args.output)
t0 = time.perf_counter()

cu = kinetics.materials.get("Cu").with_(theta_sh=0.0, diffusion_constant=0.02)
py = kinetics.materials.get("Py")
py_cu = fn_interface("Py|Cu")
y_hat = np.array([0.0, 1.0, 0.0])
V0 = 1e-3


def valve_problem(dev, itf, contact, magnetic_field=None, degree=1):
    """The Py/Cu valve with both electrodes along +y, current from ``contact`` to the left end."""
    return CircuitProblem(dev, {"channel": cu, "fm1": py.with_(m=y_hat), "fm2": py.with_(m=y_hat)},
                          [Contact(contact, V=V0), Contact("contact_left", V=0.0)],
                          [FNJunction("channel|fm1", itf), FNJunction("channel|fm2", itf)],
                          degree=degree, magnetic_field=magnetic_field)


# %% [markdown]
# ## 1. The 3D device: R_NL(P), R_NL(AP)
# Channel 2.4 µm × 100 nm × 20 nm, electrodes 80 nm wide, 20 nm thick, 400 nm long, 250 nm
# apart (edge to edge).  Current enters F1 at its end face ``fm1_ymax``; the detector
# voltage is read on ``fm2_ymax`` against the channel's right end.

# %%
w_c, t_c, w_F, t_F, gap = 100e-9, 20e-9, 80e-9, 20e-9, 250e-9
h = 20e-9 if args.quick else 10e-9
h_junction = 6e-9 if args.quick else 3e-9
dev3 = nonlocal_spin_valve(2.4e-6, w_c, t_c, fm_widths=(w_F, w_F), gap=gap, fm_thickness=t_F,
                           fm_length=400e-9, h=h, comm=comm,
                           refine={"channel|fm1": (h_junction, 40e-9),
                                   "channel|fm2": (h_junction, 40e-9)})
stats = statistics(dev3)
problem3 = valve_problem(dev3, py_cu, "fm1_ymax")
r3 = {}
for state, s in (("P", 1.0), ("AP", -1.0)):
    problem3.set_magnetization("fm2", s * y_hat)
    sol = problem3.solve()
    r3[state] = nonlocal_resistance(sol, "fm2_ymax", "contact_right", "fm1_ymax")
    if state == "P":
        sol_p = sol
L3 = gap + w_F
tm_args3 = dict(lambda_N=cu.lambda_sf,
                R_N=nlsv.spin_resistance(1 / cu.sigma, cu.lambda_sf, w_c * t_c),
                R_F=nlsv.spin_resistance(1 / py.sigma, py.lambda_sf, w_F * w_c), p_F=py.beta,
                R_1=py_cu.r_b * (1 - py_cu.gamma ** 2) / (w_F * w_c),
                R_2=py_cu.r_b * (1 - py_cu.gamma ** 2) / (w_F * w_c), P_I=py_cu.gamma)
delta3 = r3["P"] - r3["AP"]
tm3 = nlsv.takahashi_maekawa(L3, **tm_args3)
log(f"3D mesh: {stats['cells']} cells; R_NL(P) = {r3['P'] * 1e3:.4f} mΩ, "
    f"R_NL(AP) = {r3['AP'] * 1e3:.4f} mΩ, ΔR_s = {delta3 * 1e3:.4f} mΩ "
    f"(Takahashi–Maekawa, point junctions: {tm3 * 1e3:.4f} mΩ, ratio {delta3 / tm3:.3f})")

# %% [markdown]
# ## 2. ΔR_s against the electrode spacing (x-z cross-section)
# A 5 nm channel with 10 nm junctions (P2): per metre of depth A_N = t_N, A_J = w, so the
# resistances are in Ω m.

# %%
t_N2, w2 = 5e-9, 10e-9
ra_2d = 5e-16                                     # a junction with R_i ~ R_F


def valve_2d(L, itf, degree, magnetic_field=None, s2=(1.0, -1.0)):
    """{s2: R_NL} of the 2D valve with centre distance L."""
    g = L - w2
    length = 2 * (g / 2 + w2 + 6 * cu.lambda_sf)
    dev = nonlocal_spin_valve(length, 1e-6, t_N2, fm_widths=(w2, w2), gap=g,
                              fm_thickness=15 * py.lambda_sf, dim=2, h=t_N2 / 2, comm=comm,
                              refine={"channel|fm1": (w2 / 8, 2 * w2),
                                      "channel|fm2": (w2 / 8, 2 * w2)})
    problem = valve_problem(dev, itf, "fm1_top", magnetic_field, degree)
    return problem


itf2 = FNInterface.tunnel("Py|Cu (R·A = 0.5 fΩ m²)", ra_2d, 0.3)
tm_args2 = dict(lambda_N=cu.lambda_sf, R_N=nlsv.spin_resistance(1 / cu.sigma, cu.lambda_sf, t_N2),
                R_F=nlsv.spin_resistance(1 / py.sigma, py.lambda_sf, w2), p_F=py.beta,
                R_1=ra_2d / w2, R_2=ra_2d / w2, P_I=0.3)
spacings = cu.lambda_sf * (np.array([0.3, 1.0, 2.5]) if args.quick
                           else np.array([0.15, 0.3, 0.6, 1.0, 1.5, 2.0, 3.0]))
scan = []
for L in spacings:
    problem = valve_2d(L, itf2, 1 if args.quick else 2)
    r = {}
    for s in (1.0, -1.0):
        problem.set_magnetization("fm2", s * y_hat)
        r[s] = nonlocal_resistance(problem.solve(), "fm2_top", "contact_right", "fm1_top")
    tm = nlsv.takahashi_maekawa(L, **tm_args2)
    scan.append({"L_m": float(L), "R_NL_P_Ohm_m": r[1.0], "R_NL_AP_Ohm_m": r[-1.0],
                 "delta_R_s_Ohm_m": r[1.0] - r[-1.0], "takahashi_maekawa_Ohm_m": tm,
                 "rel_dev": (r[1.0] - r[-1.0]) / tm - 1})
    log(f"L = {L * 1e9:6.1f} nm: ΔR_s = {(r[1.0] - r[-1.0]) * 1e9:.5f} nΩ m "
        f"(TM {tm * 1e9:.5f}, deviation {scan[-1]['rel_dev']:+.2e})")

# %% [markdown]
# ## 3. Hanle curve and its fit
# Tunnel junctions (R·A = 1 pΩ m², P_I = 0.6: R_i ≈ 70 R_N, so little spin flows back into
# the electrodes; the fit's λ_N and τ_s are within 0.1 % and 0.3 % of the channel's, the
# remainder being that back-flow), B along z, perpendicular to the film and to the
# electrodes' magnetization.  One problem, its field changed between solves (no
# recompilation).  (A far more resistive barrier makes R_NL a difference of potentials
# 10⁶ times larger than itself, and its last digits then depend on the MPI partition.)

# %%
tau_s = cu.lambda_sf ** 2 / cu.diffusion_constant
n_fields = 11 if args.quick else 21
fields = np.linspace(-6.0, 6.0, n_fields) / (nlsv.GYROMAGNETIC * tau_s)
L_h = 0.63 * cu.lambda_sf
hanle_problem = valve_2d(L_h, FNInterface.tunnel("tunnel", 1e-12, 0.6), 1,
                         magnetic_field=(0.0, 0.0, 0.0))
R_hanle = []
for B in fields:
    hanle_problem.set_magnetic_field((0.0, 0.0, B))
    R_hanle.append(nonlocal_resistance(hanle_problem.solve(), "fm2_top", "contact_right",
                                       "fm1_top"))
R_hanle = np.array(R_hanle)
fit = nlsv.fit_hanle(fields, R_hanle, L_h, 0.5 * cu.lambda_sf, 2 * tau_s)
log(f"Hanle fit: λ_N = {fit.lambda_N * 1e9:.2f} nm (channel {cu.lambda_sf * 1e9:.2f}), "
    f"τ_s = {fit.tau_s * 1e12:.4f} ps (channel {tau_s * 1e12:.4f}), D = "
    f"{fit.diffusion_constant:.5f} m²/s")

# %% [markdown]
# ## Pictures
# The y component of μ_s (the electrodes' axis) in the 3D device, parallel state, seen from
# above: injected under F1, it diffuses both ways along the channel and decays over λ_N;
# the charts show ΔR_s(L) with the closed form and the Hanle curve with its fit.

# %%
plot.spin_accumulation_3d(sol_p, out / "nlsv_mu_y.png", component="y",
                          title="Py/Cu nonlocal spin valve (P): μ_y")
if comm.rank == 0:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2))
    LL = np.linspace(0.05, 3.2, 200) * cu.lambda_sf
    a1.semilogy(LL * 1e9, [nlsv.takahashi_maekawa(x, **tm_args2) * 1e9 for x in LL], "k-",
                label="Takahashi–Maekawa")
    a1.semilogy([s["L_m"] * 1e9 for s in scan], [s["delta_R_s_Ohm_m"] * 1e9 for s in scan],
                "o", color="C0", label="FEM, x-z section")
    a1.set(xlabel="electrode spacing L (nm)", ylabel="ΔR_s = R_NL(P) − R_NL(AP) (nΩ m)",
           title=f"Py/Cu, λ_N = {cu.lambda_sf * 1e9:.0f} nm")
    a1.legend()
    BB = np.linspace(fields[0], fields[-1], 400)
    a2.plot(fields, R_hanle * 1e9, "o", color="C0", label="FEM")
    a2.plot(BB, nlsv.hanle(BB, L_h, fit.lambda_N, fit.tau_s, fit.amplitude, fit.offset) * 1e9,
            "-", color="C0", lw=1, label=f"fit: λ_N = {fit.lambda_N * 1e9:.1f} nm, "
                                         f"τ_s = {fit.tau_s * 1e12:.2f} ps")
    a2.axhline(0.0, color="0.6", lw=0.6)
    a2.set(xlabel="B ⊥ film (T)", ylabel="R_NL (nΩ m)", title="Hanle precession, tunnel contacts")
    a2.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "nlsv_spacing_hanle.png", dpi=110)
    plt.close(fig)

io.write_json(out / "results.json", {
    "demo": "nonlocal_spin_valve", "ranks": comm.size, "mesh_3d": stats,
    "device_3d": {"R_NL_P_Ohm": r3["P"], "R_NL_AP_Ohm": r3["AP"], "delta_R_s_Ohm": delta3,
                  "takahashi_maekawa_Ohm": tm3, "L_m": L3},
    "spacing_scan_2d": scan,
    "hanle_2d": {"B_T": fields.tolist(), "R_NL_Ohm_m": R_hanle.tolist(), "L_m": L_h,
                 "fit_lambda_N_m": fit.lambda_N, "fit_tau_s_s": fit.tau_s,
                 "channel_lambda_N_m": cu.lambda_sf, "channel_tau_s_s": tau_s},
    "wall_time_s": time.perf_counter() - t0}, comm)
log(f"wrote {out} in {time.perf_counter() - t0:.0f} s")
