# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Spin–orbit torque of a metallic bilayer Pt | Py
#
# A charge current along $x$ in a Pt film of thickness $d$ sends a spin Hall current,
# polarized along $\hat\sigma = \hat j_c \times \hat n = \hat y$, into a ferromagnetic *metal*
# (Py) on top.  Unlike a magnetic insulator (demos/sot_bilayer.py) the metal absorbs the
# spin in its bulk: the accumulation transverse to $m$ precesses about the exchange field
# (length $\lambda_J$) and dephases (length $\lambda_\varphi$).  With $m = \hat z$ the
# transverse accumulation $\mu_+ = \mu_x + i\mu_y$ obeys $\nabla^2\mu_+ = k^2\mu_+$,
#
# $$k^2 = c_{sf} + \frac{1}{\lambda_\varphi^2} - \frac{i}{\lambda_J^2},$$
#
# (Petitjean, Luc & Waintal, PRL 109, 117204 (2012)), so a thick Py layer takes in the
# spin current $(\sigma_F/2)k\,\mu_+$: exactly what an HM|FI interface with the mixing
# conductance
#
# $$G_r - iG_i = \frac{\sigma_F}{2}\,k$$
#
# absorbs.  The damping-like and field-like efficiencies $\xi = (2e/\hbar)\,\tau/(\sigma_{Pt}E)$
# of the bilayer are therefore those of the HM|FI closed form (Haney et al., PRB 87, 174411
# (2013)),
#
# $$\xi_{DL} + i\xi_{FL} = \theta_{SH}\bigl(1 - \mathrm{sech}(d/\lambda)\bigr)\frac{g}{1+g},
#   \qquad g = 2\lambda\rho\,(G_r + iG_i)\coth(d/\lambda),$$
#
# and as $\lambda_J, \lambda_\varphi \to 0$ ($G_r \to \infty$) they reach the perfect-sink
# limit $\xi_{DL} = \theta_{SH}(1 - \mathrm{sech}(d/\lambda))$, $\xi_{FL} = 0$.
#
# This demo computes the torque on the Py layer (the transverse spin it absorbs,
# ``kinetics.observables_ferromagnet.layer_torque``) versus $d/\lambda_{Pt}$ for the library
# lengths $\lambda_J = 1$ nm, $\lambda_\varphi = 2$ nm, compares it with the closed form and
# with the FEM Pt film on the equivalent HM|FI interface, and repeats the sweep for shorter and
# longer lengths.  Run: ``mpirun -n 2 python3 demos/metallic_sot.py`` (``--quick``: three
# thicknesses, two length pairs, fewer cells).

# %%
import argparse
import sys
import time
from pathlib import Path

import numpy as np
from mpi4py import MPI
from scipy import constants

import kinetics
from kinetics import analytic, observables
from kinetics import observables_ferromagnet as obf
from kinetics.analytic import gmr
from kinetics.output import results as io
from kinetics.geometry import layered_box
from kinetics.physics.boundaries import Contact, MagneticInterface
from kinetics.models.spin_charge import SpinChargeProblem

comm = MPI.COMM_WORLD


def log(*args):
    if comm.rank == 0:
        print(*args, flush=True)


parser = argparse.ArgumentParser()
parser.add_argument("-o", "--output", default="results/metallic_sot")
parser.add_argument("--quick", action="store_true")
args = parser.parse_known_args()[0] if "ipykernel" in sys.modules else parser.parse_args()
out = Path(args.output)
t0 = time.perf_counter()

PT = kinetics.materials.get("Pt")
V0, LX, NX = 1e-3, 4e-9, 3                  # contact voltage, section length and cells along x
N_PT, N_PY = (12, 32) if args.quick else (16, 48)
ratios = [0.5, 1.0, 3.0] if args.quick else [0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0]
# (λ_J, λ_φ) in m; the first pair is the library value of Py
pairs = [(1e-9, 2e-9), (0.3e-9, 0.6e-9)] if args.quick else \
    [(1e-9, 2e-9), (3e-9, 6e-9), (0.3e-9, 0.6e-9), (0.1e-9, 0.2e-9)]

# %% [markdown]
# ## Setup
# An $x$–$z$ cross-section, Pt (bottom, thickness $d$) under Py, with spin-opaque contacts at
# $x = 0, L_x$ (the stack is uniform along $x$) and insulating top and bottom; P2 elements on
# layers graded toward their faces, three cells along $x$ so that the section partitions
# on several ranks.
#
# Py is taken with $\beta = 0$ and $l_{sf} = 1$ mm ($c_{sf} \approx 0$), $m = \hat z$: this
# isolates the transverse absorption.  With $\beta \ne 0$ the charge current in Py would also
# carry spin along $m$, which the spin-opaque contacts of this section would reflect into an
# extra longitudinal accumulation (a spin-valve-like current, not a spin–orbit torque); with
# $m = \hat z \perp \hat\sigma$ the whole spin Hall spin is transverse.  The Py layer is at
# least eight transverse decay lengths $1/\mathrm{Re}\,k$ thick, so that it acts as the
# semi-infinite absorber of the closed form.

# %%
to_xi = 2 * constants.e / constants.hbar / (PT.sigma * V0 / LX)     # τ → ξ = (2e/ħ)τ/(σE)


def py(lambda_J, lambda_phi):
    return kinetics.materials.get("Py").with_(beta=0.0, lambda_sf=1e-3, m=(0.0, 0.0, 1.0),
                                              lambda_J=lambda_J, lambda_phi=lambda_phi)


def equivalent_mixing(f):
    k = gmr.transverse_wavenumber(f.beta, f.lambda_sf, f.lambda_J, f.lambda_phi)
    return 0.5 * f.sigma * k.real, -0.5 * f.sigma * k.imag, 1.0 / k.real


def bilayer_efficiency(d, f, t_f):
    dev = layered_box([LX, 1.0], [NX, 1], [("Pt", d, N_PT), ("Py", t_f, N_PY)], axes="xz",
                      grading=0.7, comm=comm)
    sol = SpinChargeProblem(dev, {"Pt": PT, "Py": f},
                            [Contact("xmin", V=V0, spin="opaque"),
                             Contact("xmax", V=0.0, spin="opaque")], degree=2).solve()
    sigma_hat = np.cross([1.0, 0.0, 0.0], [0.0, 0.0, 1.0])      # ĵ × n̂, n̂ from Pt into Py
    t = obf.layer_torque(sol, "Py", sigma_hat, area=LX)
    return t["tau_DL"] * to_xi, t["tau_FL"] * to_xi


def interface_efficiency(d, G_r, G_i):
    dev = layered_box([LX, d], [NX, N_PT], axes="xz", grading=0.7, comm=comm)
    sol = SpinChargeProblem(dev, {"film": PT}, [
        Contact("xmin", V=V0, spin="opaque"), Contact("xmax", V=0.0, spin="opaque"),
        MagneticInterface("zmax", G_r=G_r, G_i=G_i, m=(0, 0, 1))], degree=2).solve()
    t = observables.interface_torque(sol, "zmax", current_density=(PT.sigma * V0 / LX, 0, 0),
                                     normal=(0, 0, 1))
    return t["xi_DL"], t["xi_FL"]


def sink_limit(d):
    return PT.theta_sh * (1 - 1 / np.cosh(d / PT.lambda_sf))


# %% [markdown]
# ## Sweep
# For each $(\lambda_J, \lambda_\varphi)$: the FEM bilayer and the closed form with the
# equivalent $G_r + iG_i$ at every thickness; for the library pair also the FEM Pt film on the
# equivalent HM|FI interface.

# %%
results = []
for lj, lp in pairs:
    f = py(lj, lp)
    G_r, G_i, decay = equivalent_mixing(f)
    t_f = max(8e-9, 8 * decay)
    row = {"lambda_J_m": lj, "lambda_phi_m": lp, "G_r": G_r, "G_i": G_i,
           "decay_length_m": decay, "py_thickness_m": t_f, "thickness_m": [], "d_over_lambda": [],
           "xi_DL_fem": [], "xi_FL_fem": [], "xi_DL_closed_form": [], "xi_FL_closed_form": [],
           "xi_DL_sink_limit": [], "fl_over_dl_fem": [], "dl_over_sink_limit_fem": []}
    if lj == pairs[0][0]:
        row.update(xi_DL_interface_fem=[], xi_FL_interface_fem=[])
    log(f"λ_J = {lj * 1e9:.2g} nm, λ_φ = {lp * 1e9:.2g} nm: G_r = {G_r:.3e}, G_i = {G_i:.3e} "
        f"1/(Ω m²), decay length {decay * 1e9:.3g} nm, Py {t_f * 1e9:.3g} nm")
    for r in ratios:
        d = r * PT.lambda_sf
        dl, fl = bilayer_efficiency(d, f, t_f)
        cdl, cfl = analytic.sot_efficiency(d, PT.sigma, PT.lambda_sf, PT.theta_sh, G_r, G_i)
        for key, v in [("thickness_m", d), ("d_over_lambda", r), ("xi_DL_fem", dl),
                       ("xi_FL_fem", fl), ("xi_DL_closed_form", cdl), ("xi_FL_closed_form", cfl),
                       ("xi_DL_sink_limit", sink_limit(d)), ("fl_over_dl_fem", fl / dl),
                       ("dl_over_sink_limit_fem", dl / sink_limit(d))]:
            row[key].append(float(v))
        msg = ""
        if "xi_DL_interface_fem" in row:
            idl, ifl = interface_efficiency(d, G_r, G_i)
            row["xi_DL_interface_fem"].append(idl)
            row["xi_FL_interface_fem"].append(ifl)
            msg = f"  HM|FI FEM {idl:+.5f} {ifl:+.5f}"
        log(f"  d/λ = {r:4.2f}  ξ_DL = {dl:+.5f} (closed form {cdl:+.5f})  ξ_FL = {fl:+.5f} "
            f"({cfl:+.5f})  FL/DL = {fl / dl:+.4f}  DL/sink = {dl / sink_limit(d):.4f}{msg}")
    for c in ("DL", "FL"):
        fem, cf = np.array(row[f"xi_{c}_fem"]), np.array(row[f"xi_{c}_closed_form"])
        # relative to the largest value of the sweep: ξ_FL → 0 in the sink limit
        row[f"max_rel_dev_{c}"] = float(np.max(np.abs(fem - cf)) / np.max(np.abs(cf)))
    if "xi_DL_interface_fem" in row:
        dev = [np.max(np.abs(np.array(row[f"xi_{c}_fem"]) - row[f"xi_{c}_interface_fem"]))
               / np.max(np.abs(row[f"xi_{c}_interface_fem"])) for c in ("DL", "FL")]
        row["max_rel_dev_DL_vs_interface"], row["max_rel_dev_FL_vs_interface"] = map(float, dev)
    log(f"  max relative deviation FEM vs closed form: DL {row['max_rel_dev_DL']:.2e}, "
        f"FL {row['max_rel_dev_FL']:.2e}")
    results.append(row)

max_dl = max(r["max_rel_dev_DL"] for r in results)
max_fl = max(r["max_rel_dev_FL"] for r in results)
log(f"largest relative deviation FEM vs closed form: DL {max_dl:.2e}, FL {max_fl:.2e}")

# %% [markdown]
# ## Result
# The FEM torque on the Py layer follows the HM|FI closed form with the equivalent mixing
# conductance to the discretization error (and the FEM Pt|FI film to the same accuracy):
# as far as the torque goes, a thick metallic ferromagnet *is* an interface with
# $G_r - iG_i = (\sigma_F/2)k$.  For the library lengths $G_r \approx 3\times10^{15}\
# \Omega^{-1}\mathrm{m}^{-2}$, several times a Pt|YIG mixing conductance, and
# $G_i/G_r = \tan(\tfrac12\arctan(\lambda_\varphi^2/\lambda_J^2)) \approx 0.78$ (the same for
# every pair here, all with $\lambda_\varphi = 2\lambda_J$): a sizable field-like torque.
# Longer lengths (weaker absorption, smaller $|G|$) lower $\xi_{DL}$ and raise
# $\xi_{FL}/\xi_{DL}$; shorter ones push $\xi_{DL}$ to the perfect-sink limit and $\xi_{FL}$
# to zero (the sink deficit $1 - \xi_{DL}/\xi_{sink}$ falls roughly like $1/G_r$, i.e. like
# the decay length).  $\xi_{FL}/\xi_{DL}$ grows with $d$: $\coth(d/\lambda)$, hence $|g|$, is
# smallest for thick Pt, where the phase of $g/(1+g)$ is largest.

# %%
io.write_json(out / "results.json", {
    "demo": "metallic_sot", "ranks": comm.size,
    "parameters": {"V0_V": V0, "section_length_m": LX, "cells_x": NX, "cells_pt": N_PT,
                   "cells_py": N_PY, "degree": 2, "grading": 0.7, "pt_sigma": PT.sigma,
                   "pt_lambda_sf_m": PT.lambda_sf, "pt_theta_sh": PT.theta_sh,
                   "py_sigma": py(*pairs[0]).sigma, "py_beta": 0.0, "py_lambda_sf_m": 1e-3,
                   "m": [0.0, 0.0, 1.0]},
    "pairs": results, "max_rel_dev_DL": max_dl, "max_rel_dev_FL": max_fl,
    "units": {"xi": "1", "G": "1/(Ohm m^2)", "lengths": "m"},
    "wall_time_s": time.perf_counter() - t0}, comm)
if comm.rank == 0:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2))
    x = np.linspace(0.05, max(ratios) * 1.08, 300)
    a1.plot(x, sink_limit(x * PT.lambda_sf), "k--", lw=1, label="perfect sink")
    for row in sorted(results, key=lambda r: -r["lambda_J_m"]):
        cf = np.array([analytic.sot_efficiency(r * PT.lambda_sf, PT.sigma, PT.lambda_sf,
                                               PT.theta_sh, row["G_r"], row["G_i"]) for r in x])
        label = rf"$\lambda_J$ = {row['lambda_J_m'] * 1e9:.2g}, $\lambda_\varphi$ = " \
                f"{row['lambda_phi_m'] * 1e9:.2g} nm" + (" (library)" if row is results[0] else "")
        line, = a1.plot(x, cf[:, 0], "-", label=label)
        a1.plot(row["d_over_lambda"], row["xi_DL_fem"], "o", color=line.get_color())
        a2.plot(x, cf[:, 1], "-", color=line.get_color())
        a2.plot(row["d_over_lambda"], row["xi_FL_fem"], "o", color=line.get_color())
        if "xi_DL_interface_fem" in row:
            a1.plot(row["d_over_lambda"], row["xi_DL_interface_fem"], "x", color="k", ms=8,
                    label="Pt on equivalent HM|FI (FEM)")
            a2.plot(row["d_over_lambda"], row["xi_FL_interface_fem"], "x", color="k", ms=8)
    a1.set_ylabel(r"damping-like efficiency $\xi_{DL}$")
    a2.set_ylabel(r"field-like efficiency $\xi_{FL}$")
    for a in (a1, a2):
        a.set_xlabel(r"Pt thickness $d/\lambda_{Pt}$")
        a.axhline(0, color="grey", lw=0.5)
    a1.legend(fontsize=8, title="lines: closed form, dots: Pt|Py FEM", title_fontsize=8)
    fig.suptitle("SOT efficiency of Pt|Py: bulk absorption in Py = HM|FI with "
                 r"$G_r - iG_i = (\sigma_F/2)k$")
    fig.tight_layout()
    fig.savefig(out / "metallic_sot.png", dpi=110)
log(f"wrote {out}/results.json and metallic_sot.png in {time.perf_counter() - t0:.0f} s")
