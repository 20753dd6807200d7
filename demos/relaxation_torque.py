# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Relaxation torque and spin AMR at a Py/Cu junction
#
# Nakabayashi, Takeuchi, Hosono, Taguchi & Tatara ("Theory of spin relaxation torque in
# metallic ferromagnets") find that spin–orbit impurities in a ferromagnet give
#
# * a local spin current with an anisotropic conductivity (their Eq. 37, "spin AMR"),
#   $J = m\otimes(\sigma_s I - \delta\sigma_s\, m\otimes m)E$, so that
#   $\Delta\rho_s/\rho_{s\perp} = (\delta\sigma_s/\sigma_s)/(1 - \delta\sigma_s/\sigma_s)$
#   (Eq. 40);
# * a relaxation torque $T = m\,\nabla\cdot((\gamma I + \delta\gamma\, m\otimes m)E)$
#   (Eqs. 5–6, $\delta\gamma = \gamma/3$ in their model), a source of spin along $m$
#   wherever $\nabla\cdot E \neq 0$: at an F|N interface only if the current crosses it.
#
# This demo puts both into the Valet–Fert model of a Py/Cu bilayer
# (`kinetics.physics.ferromagnet`): (a) current perpendicular to the interface, spin
# accumulation $\mu_s\cdot m$ with and without the torque, against the exact 1D solution
# (`kinetics.analytic.seed001`); (b) current parallel to the interface: no accumulation at
# all; (c) the spin AMR of Eq. 40 measured from the local spin current of a Py film at
# several angles between $m$ and $E$.  Run: ``mpirun -n 2 python3 demos/relaxation_torque.py``
# (``--quick``: coarser meshes, fewer angles).

# %%
import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
from mpi4py import MPI

import kinetics
from kinetics import observables
from kinetics.analytic import seed001
from kinetics.geometry import layered_box
from kinetics.models.spin_charge import SpinChargeProblem
from kinetics.output import results as io
from kinetics.physics.boundaries import Contact

comm = MPI.COMM_WORLD


def log(*args):
    if comm.rank == 0:
        print(*args, flush=True)


parser = argparse.ArgumentParser()
parser.add_argument("-o", "--output", default="results/relaxation_torque")
parser.add_argument("--quick", action="store_true")
args = parser.parse_known_args()[0] if "ipykernel" in sys.modules else parser.parse_args()
out = Path(args.output)
t0 = time.perf_counter()

# %% [markdown]
# ## Parameters
# Py and Cu from the library.  The paper gives no material numbers for $\delta\sigma_s$ and
# $\gamma$ (only the model ratio $\delta\gamma/\gamma = 1/3$), so the values here are
# illustrative: a spin AMR $\delta\sigma_s = 0.05\,\sigma_s$ ($\sigma_s = \beta\sigma$, of the
# size of the charge AMR of Py) and $\gamma = 0.2\,\sigma_s$, $\delta\gamma = \gamma/3$.

# %%
V0 = 1e-3
cu = kinetics.materials.get("Cu").with_(theta_sh=0.0)
py0 = kinetics.materials.get("Py")
sigma_s = py0.beta * py0.sigma
gamma = 0.2 * sigma_s
py = py0.with_(delta_sigma_s=0.05 * sigma_s, gamma_t=gamma,
               delta_gamma_t=seed001.PAPER_DELTA_GAMMA_RATIO * gamma)
t_F, t_N, width = 20e-9, 100e-9, 20e-9
n_F, n_N = (20, 20) if args.quick else (60, 60)
log(f"Py: {py0.source}\nCu: {cu.source}")

# %% [markdown]
# ## (a) Current across the interface
# Py ($0 < y < t_F$) under Cu, contacts (spin reservoirs) at the bottom of Py and the top
# of Cu, $m = \hat y$ along the current.  The solution is uniform along $x$, so it is the
# exact two-region profile of `seed001.two_region_junction`: the torque adds the source
# $-(\gamma + \delta\gamma + \delta\sigma_s)\,j/\sigma_F$ to Valet–Fert's $\beta j$ at the
# interface ($\tilde\beta = \beta - (\gamma + (\delta\gamma + \delta\sigma_s)m_y^2)/\sigma$).

# %%
dev = layered_box([width, 1.0], [2, 1], [("py", t_F, n_F), ("cu", t_N, n_N)], axes="xy",
                  comm=comm)
ys = np.linspace(0.0, t_F + t_N, 241)
line = np.column_stack([np.full_like(ys, width / 2), ys, 0 * ys])
gx, gy = np.linspace(0, width, 9), np.linspace(0, t_F + t_N, 61)
grid = np.array([[x, y, 0.0] for y in gy for x in gx])


def solve(mat, contacts, m):
    problem = SpinChargeProblem(dev, {"py": mat.with_(m=m), "cu": cu},
                                [Contact(contacts[0], V=V0), Contact(contacts[1], V=0.0)],
                                degree=2)
    return problem.solve()


m_perp = np.array([0.0, 1.0, 0.0])
cases = {"torque_on": py, "torque_off": py.with_(gamma_t=0.0, delta_gamma_t=0.0)}
perpendicular, profiles = {}, {}
for key, mat in cases.items():
    sol = solve(mat, ("ymin", "ymax"), m_perp)
    mu_line = observables.line_profile(sol, line) @ m_perp
    mu_at = float(observables.line_profile(sol, np.array([[width / 2, t_F, 0.0]]))[0] @ m_perp)
    bt = seed001.effective_polarization(mat.sigma, mat.beta, 1.0, mat.delta_sigma_s,
                                        mat.gamma_t, mat.delta_gamma_t)
    exact = seed001.two_region_junction(V0, (t_F, t_N), (mat.sigma, cu.sigma), (mat.beta, 0.0),
                                        (mat.lambda_sf, cu.lambda_sf), (bt, 0.0))
    j = observables.contact_current(sol, "ymin") / width
    perpendicular[key] = {
        "mu_interface_V": mu_at, "closed_form_mu_interface_V": exact.mu0,
        "max_rel_diff_mu_interface": abs(mu_at / exact.mu0 - 1),
        "current_density_A_per_m2": j, "closed_form_current_density_A_per_m2": exact.j,
        "beta_effective": bt}
    profiles[key] = (mu_line, exact.mu(ys - t_F))
    if key == "torque_on":
        map_perp = (observables.line_profile(sol, grid) @ m_perp).reshape(len(gy), len(gx))
    log(f"(a) {key:10s}: μ·m at the interface {mu_at * 1e6:+.5f} µV "
        f"(exact {exact.mu0 * 1e6:+.5f} µV), j = {j:.4e} A/m²")
torque_share = perpendicular["torque_on"]["mu_interface_V"] \
    - perpendicular["torque_off"]["mu_interface_V"]
log(f"    injected by the relaxation torque: {torque_share * 1e6:+.5f} µV")

# %% [markdown]
# ## (b) Current along the interface
# The same bilayer with the contacts at its ends: $E = E\hat x$ is uniform and parallel to
# the interface, $\nabla\cdot E = 0$ and no torque source; for $m$ along $E$ or along the
# normal ($(m\cdot\hat y)(m\cdot E) = 0$, so that the anisotropic currents have no normal
# component either) the accumulation vanishes identically.

# %%
parallel = {}
for label, m in (("m_along_E", (1.0, 0.0, 0.0)), ("m_along_normal", (0.0, 1.0, 0.0))):
    sol = solve(py, ("xmin", "xmax"), np.array(m))
    mu_max = comm.allreduce(float(np.abs(sol.u.x.array.reshape(-1, 4)[:, 1:]).max()),
                            op=MPI.MAX)
    # round-off: reported relative to the accumulation of (a) (a relative deviation)
    parallel[label] = {"max_rel_mu_s_to_perpendicular": mu_max / abs(
        perpendicular["torque_on"]["mu_interface_V"])}
    if label == "m_along_normal":
        map_par = (observables.line_profile(sol, grid) @ np.array(m)).reshape(len(gy), len(gx))
    log(f"(b) {label}: max |μ_s| = {mu_max:.2e} V")

# %% [markdown]
# ## (c) Spin AMR of a Py film
# A 1D Py film between reservoirs, uniform $E$: $\mu_s = 0$ and the local spin current is
# $m\otimes\Sigma_s E$.  Its magnitude over $E$ is the spin conductivity at the angle
# $\theta$ between $m$ and $E$: $\sqrt{\sigma_{s\parallel}^2\cos^2\theta +
# \sigma_{s\perp}^2\sin^2\theta}$ (the paper's Eq. 38 with its missing factor $E$).

# %%
film = layered_box([50e-9], [4], axes="x", comm=comm)
angles = [0, 45, 90] if args.quick else list(range(0, 91, 15))
amr_rows = []
for deg in angles:
    th = math.radians(deg)
    m = np.array([math.cos(th), math.sin(th), 0.0])
    sol = SpinChargeProblem(film, {"film": py.with_(m=m)},
                            [Contact("xmin", V=V0), Contact("xmax", V=0.0)]).solve()
    J = observables.region_average(sol, "j_s", "film")
    E = V0 / 50e-9
    s_fem = float(np.linalg.norm(m @ J)) / E
    s_exact = seed001.local_spin_current_magnitude(E, sigma_s, py.delta_sigma_s, th) / E
    amr_rows.append({"angle_deg": deg, "spin_conductivity_S_per_m": s_fem,
                     "closed_form_spin_conductivity_S_per_m": s_exact})
by_angle = {r["angle_deg"]: r["spin_conductivity_S_per_m"] for r in amr_rows}
ratio_fem = by_angle[90] / by_angle[0] - 1.0          # (ρ_s∥ − ρ_s⊥)/ρ_s⊥
ratio_exact = seed001.spin_amr_ratio(sigma_s, py.delta_sigma_s)
log(f"(c) Δρ_s/ρ_s⊥ = {ratio_fem:.10f} (Eq. 40: {ratio_exact:.10f})")

# %% [markdown]
# ## Results
# (a) The FEM interface accumulation equals the exact two-region value; the torque changes
# it by the share printed above (with $\gamma > 0$ it opposes the Valet–Fert injection).
# (b) With the current along the interface the accumulation is zero to round-off: the
# relaxation torque injects spin only with a current component across the interface.
# (c) The spin AMR ratio equals Eq. 40.

# %%
results = {"demo": "relaxation_torque", "ranks": comm.size,
           "materials": {"py": py.summary(), "cu": cu.summary()},
           "perpendicular": perpendicular, "torque_share_mu_interface_V": torque_share,
           "parallel": parallel, "spin_amr": {"rows": amr_rows, "ratio_fem": ratio_fem,
                                              "ratio_eq40": ratio_exact,
                                              "max_rel_diff_ratio": abs(ratio_fem / ratio_exact
                                                                        - 1)},
           "units": {"mu": "V", "spin_conductivity": "S/m", "current_density": "A/m^2"},
           "wall_time_s": time.perf_counter() - t0}
io.write_json(out / "results.json", results, comm)

if comm.rank == 0:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axs = plt.subplots(1, 4, figsize=(16, 4))
    for key, style in (("torque_on", "-"), ("torque_off", "--")):
        fem_line, exact_line = profiles[key]
        axs[0].plot(ys * 1e9, fem_line * 1e6, style, label=f"FEM, {key.replace('_', ' ')}")
        axs[0].plot(ys[::12] * 1e9, exact_line[::12] * 1e6, "k.", ms=4)
    axs[0].axvline(t_F * 1e9, color="grey", lw=0.5)
    axs[0].set_xlabel("y (nm): Py | Cu")
    axs[0].set_ylabel(r"$\mu_s\cdot m$ ($\mu$V)")
    axs[0].set_title("(a) current across the interface")
    axs[0].legend(fontsize=8)
    extent = (0, width * 1e9, 0, (t_F + t_N) * 1e9)
    vmax = np.abs(map_perp).max()
    for ax, data, title in ((axs[1], map_perp, r"(a) $\mu_s\cdot m$, $j \perp$ interface"),
                            (axs[2], map_par, r"(b) $\mu_s\cdot m$, $j \parallel$ interface")):
        im = ax.imshow(data * 1e6, origin="lower", extent=extent, aspect="auto",
                       cmap="RdBu_r", vmin=-vmax * 1e6, vmax=vmax * 1e6)
        ax.axhline(t_F * 1e9, color="k", lw=0.5)
        ax.set_xlabel("x (nm)")
        ax.set_ylabel("y (nm)")
        ax.set_title(title, fontsize=9)
    fig.colorbar(im, ax=axs[2], label=r"$\mu$V")
    th = np.linspace(0, 90, 91)
    axs[3].plot(th, [seed001.local_spin_current_magnitude(1.0, sigma_s, py.delta_sigma_s,
                                                          math.radians(t)) / 1e6 for t in th],
                "k-", label="Eq. 38 (with E)")
    axs[3].plot([r["angle_deg"] for r in amr_rows],
                [r["spin_conductivity_S_per_m"] / 1e6 for r in amr_rows], "o", label="FEM")
    axs[3].set_xlabel(r"angle between m and E ($^\circ$)")
    axs[3].set_ylabel(r"$|J_{loc}|/E$ (MS/m)")
    axs[3].set_title(f"(c) spin AMR: Δρ_s/ρ_s⊥ = {ratio_fem:.4f}")
    axs[3].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "relaxation_torque.png", dpi=110)
    log(f"wrote {out}/results.json and relaxation_torque.png in {time.perf_counter() - t0:.1f} s")
