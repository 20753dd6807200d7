# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Spin–orbit gauge fields: Dyakonov–Perel anisotropy and the persistent spin helix
#
# Rashba ($\alpha$) and Dresselhaus ($\beta$) spin–orbit coupling enter the diffusion
# equation as an SU(2) gauge field $A_i^b$ (seed 004, Eqs. 9–11): the spin accumulation is
# differentiated covariantly, $\mathcal{D}_i\mu = \partial_i\mu + A_i\times\mu$, so a spin
# moving along $i$ rotates by $|A_i|$ per metre.  Three consequences, each computed here with
# the finite-element model:
#
# 1. **Dyakonov–Perel anisotropy.** A uniform spin accumulation relaxes at the rates
#    $D\sum_i(|A_i|^2 - A_iA_i^T)$: for pure Rashba or Dresselhaus, out-of-plane spins relax
#    twice as fast as in-plane ones (1 : 1 : 2).  Read off the assembled operator.
# 2. **An interfacial Rashba layer on Cu.** Spins injected into a Cu channel covered by a
#    1 nm Rashba interface layer decay faster than in bare Cu; for $y$ spins flowing along
#    $x$ the decay length obeys $\lambda_y^{-2} = \lambda_{sf}^{-2} + f\,k^2$, with $k$ the
#    Rashba wavevector and $f$ the conductance fraction of the layer.
# 3. **The persistent spin helix.** With $\alpha = \beta$ the field is abelian
#    ($A_i^b = q_i n^b$, a pure gauge): along the [110] direction $z$-spins injected into a
#    channel precess about $\hat n$ without extra decay, $\mu_z = \mu_0(x)\cos qx$,
#    $\mu_x = -\mu_0(x)\sin qx$, with $\mu_0$ the profile without spin–orbit coupling.  With
#    Rashba alone (same precession rate along the channel) the helix decays.
#
# Run: ``mpirun -n 2 python3 demos/rashba_interface.py`` (``--quick`` for a coarse run).

# %%
import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
import ufl
from dolfinx import fem
from mpi4py import MPI

import kinetics
from kinetics import observables, units
from kinetics.output import results as io
from kinetics.geometry import layered_box
from kinetics.physics import gauge
from kinetics.physics.boundaries import Contact, SpinInjection
from kinetics.models.spin_charge import SpinChargeProblem

comm = MPI.COMM_WORLD


def log(*args):
    if comm.rank == 0:
        print(*args, flush=True)


parser = argparse.ArgumentParser()
parser.add_argument("-o", "--output", default="results/rashba_interface")
parser.add_argument("--quick", action="store_true")
args = parser.parse_known_args()[0] if "ipykernel" in sys.modules else parser.parse_args()
out = Path(args.output)
t0 = time.perf_counter()
degree = 1 if args.quick else 2    # --quick is a smoke test
m_eff = 0.067 * units.m_e          # GaAs-like effective mass for the 2D-electron-gas examples

# %% [markdown]
# ## 1. Uniform-mode relaxation rates from the assembled operator
# $a(e_b, e_a)$ of the bilinear form with constant test and trial spin fields equals
# $(\sigma/2)|\Omega|\,M_{ab}$; its eigenvalues are the relaxation-rate tensor divided by $D$.

# %%
alpha0 = 1.0e3                      # m/s
cases = {"Rashba": (alpha0, 0.0), "Dresselhaus": (0.0, alpha0), "alpha = 2 beta": (alpha0, alpha0 / 2),
         "alpha = beta (PSH)": (alpha0, alpha0)}
rates = {}
for label, (a, b) in cases.items():
    A = gauge.rashba_dresselhaus(a, b, effective_mass=m_eff)
    mat = kinetics.materials.get("Cu").with_(lambda_sf=math.inf, theta_sh=0.0, gauge_field=A)
    dev = layered_box([20e-9, 20e-9, 2e-9], [2, 2, 1], comm=comm)
    problem = SpinChargeProblem(dev, {"film": mat}, [Contact("xmin")], degree=1)
    funcs = []
    for c in range(3):
        f = fem.Function(problem.W)
        f.x.array.reshape(-1, 4)[:, c + 1] = 1.0
        funcs.append(f)
    M = np.array([[comm.allreduce(fem.assemble_scalar(fem.form(
        ufl.action(ufl.action(problem.a_ufl, funcs[b_]), funcs[a_]))), op=MPI.SUM)
        for b_ in range(3)] for a_ in range(3)])
    M /= 0.5 * (dev.volume() / dev.length_unit ** 3) * dev.length_unit ** 2
    ev = np.sort(np.linalg.eigvalsh(0.5 * (M + M.T)))
    rates[label] = {"eigenvalues_per_m2": ev, "ratios": ev / ev.max(),
                    "closed_form_per_m2": np.sort(np.linalg.eigvalsh(gauge.relaxation_tensor(A)))}
    log(f"{label:20s} eigenvalues of Σ(|A_i|² − A_iA_iᵀ): "
        + ", ".join(f"{v:.4e}" for v in ev) + "  1/m²   ratios " + " : ".join(f"{r:.3f}" for r in ev / ev[-1]))

# %% [markdown]
# ## 2. A Rashba interface layer on Cu: film and narrow wire
# Cu (8 nm, $\lambda_{sf}$ = 350 nm) under a 1 nm interface layer with Rashba coupling and
# the conductivity of Cu; $y$-polarized spin current injected at $x = 0$, a normal-metal
# reservoir at $x = L$.  In a wide film (an $x$–$z$ cross-section) the layer adds the
# relaxation $f k^2$.  In a 20 nm-wide wire (3D) the insulating side walls impose
# $\mathcal{D}_y\mu = 0$, which lets $\mu$ partly gauge away the transverse field $A_y$:
# the Dyakonov–Perel relaxation is suppressed in channels narrower than $1/k$
# (Kiselev & Kim, PRB 61, 13115 (2000)).

# %%
L = 2000e-9
cu = kinetics.materials.get("Cu").with_(theta_sh=0.0)
k = 2 * units.m_e * 5.0e2 / units.hbar                       # Rashba α = 500 m/s, free mass
iface = cu.with_(name="Rashba layer", gauge_field=gauge.rashba_dresselhaus(5.0e2))
nx = 60 if args.quick else 250
layers = [("cu", 8e-9, 4), ("interface", 1e-9, 1)]
geometries = {"film": layered_box([L, 9e-9], [nx, 0], layers=layers, axes="xz", comm=comm),
              "wire": layered_box([L, 20e-9, 9e-9], [nx, 4, 0], layers=layers, comm=comm)}
j0 = 1e9
profiles = {}
for label, (geo, mats) in {
        "bare Cu film": ("film", {"cu": cu, "interface": cu}),
        "Cu + Rashba layer, film": ("film", {"cu": cu, "interface": iface}),
        "Cu + Rashba layer, 20 nm wire": ("wire", {"cu": cu, "interface": iface})}.items():
    problem = SpinChargeProblem(geometries[geo], mats, [SpinInjection("xmin", j_s=(0, j0, 0)),
                                                        Contact("xmax", V=0.0)], degree=degree)
    sol = problem.solve()
    x = np.linspace(0, L, 81)
    mu = observables.line_profile(sol, np.column_stack([x, 0 * x + 10e-9 * (geo == "wire"),
                                                        0 * x + 4e-9]))
    profiles[label] = (x, mu[:, 1])
f = 1e-9 / 9e-9
lam_eff = 1 / math.sqrt(1 / cu.lambda_sf ** 2 + f * k ** 2)
xf, muf = profiles["Cu + Rashba layer, film"]
i0, i1 = np.searchsorted(xf, [200e-9, 600e-9])
lam_fem = (xf[i1] - xf[i0]) / math.log(muf[i0] / muf[i1])
log(f"Rashba layer: k = {k:.3e} 1/m, f = {f:.3f}: film decay length {lam_fem * 1e9:.1f} nm "
    f"(predicted {lam_eff * 1e9:.1f} nm; bare Cu {cu.lambda_sf * 1e9:.0f} nm)")

# %% [markdown]
# ## 3. Persistent spin helix in a 3D channel along [110]
# In the channel frame (x along [110]) equal Rashba and Dresselhaus couplings give
# $A_x = 2k_\alpha\hat y$, $A_y = 0$ (`gauge.uniform_helix_field`), $k_\alpha = 2m\alpha/\hbar$;
# Rashba alone with twice the coupling gives the same precession along $x$ but adds
# $A_y = -2k_\alpha\hat x$, which relaxes the helix.

# %%
Lh, W, T = 600e-9, 40e-9, 5e-9
alpha = 1.2e4                      # m/s: ħα ≈ 8 meV nm, a strong (InGaAs-like) 2DEG coupling
qh = 2 * (2 * m_eff * alpha / units.hbar)
helix_fields = {"PSH (α = β)": gauge.uniform_helix_field((qh, 0, 0), (0, 1, 0)),
                "Rashba only (α_R = 2α)": gauge.rashba_dresselhaus(2 * alpha, effective_mass=m_eff)}
lam2deg = 5e-6
egas = kinetics.materials.Material("2DEG film", sigma=1e5, lambda_sf=lam2deg)
nxh = 80 if args.quick else 200
devh = layered_box([Lh, W, T], [nxh, 4, 2], comm=comm)
helix = {}
last = None
for label, A in helix_fields.items():
    problem = SpinChargeProblem(devh, {"film": egas.with_(gauge_field=A)},
                                [SpinInjection("xmin", j_s=(0, 0, j0)), Contact("xmax", V=0.0)],
                                degree=2)
    sol = problem.solve()
    x = np.linspace(0, Lh, 121)
    helix[label] = (x, observables.line_profile(sol, np.column_stack([x, 0 * x + W / 2, 0 * x + T / 2])))
    if last is None:
        last = sol
env = 2 * j0 * lam2deg / egas.sigma * np.sinh((Lh - x) / lam2deg) / np.cosh(Lh / lam2deg)
exact = np.column_stack([-env * np.sin(qh * x), 0 * x, env * np.cos(qh * x)])
err = np.abs(helix["PSH (α = β)"][1] - exact).max() / np.abs(exact).max()
log(f"persistent spin helix: wavelength {2 * np.pi / qh * 1e9:.0f} nm, max deviation from the "
    f"exact helix {err:.2e} (relative)")

# %% [markdown]
# ## Results

# %%
io.write_json(out / "results.json", {
    "demo": "rashba_interface", "ranks": comm.size, "uniform_mode_relaxation": rates,
    "rashba_layer": {"k_per_m": k, "conductance_fraction": f, "predicted_lambda_y_m": lam_eff,
                     "fem_film_lambda_y_m": lam_fem,
                     "profiles": {lb: {"x_m": p[0], "mu_y_V": p[1]} for lb, p in profiles.items()}},
    "spin_helix": {"q_per_m": qh, "max_relative_deviation_from_exact": err,
                   "profiles": {lb: {"x_m": p[0], "mu_s_V": p[1]} for lb, p in helix.items()}},
    "wall_time_s": time.perf_counter() - t0}, comm)
io.write_fields(last, out / "helix_fields.bp")
if comm.rank == 0:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(15, 4))
    labels = list(rates)
    ev = np.array([rates[lb]["eigenvalues_per_m2"] for lb in labels])
    for i in range(3):
        a1.bar(np.arange(len(labels)) + (i - 1) * 0.25, ev[:, i] / ev.max(), width=0.25,
               label=f"eigenvalue {i + 1}")
    a1.set_xticks(range(len(labels)), labels, rotation=15, fontsize=8)
    a1.set_ylabel("relaxation rate / max (1)")
    a1.set_title("uniform-mode spin relaxation (DP)")
    a1.legend(fontsize=8)
    for lb, (x, muy) in profiles.items():
        a2.plot(x * 1e9, muy * 1e6, label=lb)
    a2.plot(xf * 1e9, muf[i0] * 1e6 * np.exp(-(xf - xf[i0]) / lam_eff), "k--",
            label=fr"film prediction, $\lambda_y$ = {lam_eff * 1e9:.0f} nm")
    a2.set_xlabel("distance from injector x (nm)")
    a2.set_ylabel(r"$\mu_{s,y}$ ($\mu$V)")
    a2.set_title("y spins in Cu under a Rashba layer")
    a2.set_yscale("log")
    a2.legend(fontsize=8)
    for lb, (x, mu) in helix.items():
        a3.plot(x * 1e9, mu[:, 2] * 1e6, label=fr"{lb}: $\mu_z$")
    a3.plot(x * 1e9, exact[:, 2] * 1e6, "k:", label="exact helix")
    a3.set_xlabel("distance along [110] x (nm)")
    a3.set_ylabel(r"$\mu_{s,z}$ ($\mu$V)")
    a3.set_title("persistent spin helix vs Rashba only")
    a3.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "rashba_interface.png", dpi=110)
    log(f"wrote {out} in {time.perf_counter() - t0:.0f} s")
