# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # A 3D lateral S–N–S junction: minigap, its effective length, current–phase relation, DOS map
#
# The 3D version of ``demos/sns_junction.py``: a diffusive normal-metal wire (say Cu,
# $L = 500$ nm between the superconductors, width $W = 0.25L$, thickness $t = 0.1L$) on an
# insulating substrate, with two superconducting electrodes (say Al) evaporated over its
# ends, as in the lateral junctions of Dubos et al. (PRB 63, 064502 (2001)) and Le Sueur et
# al. (PRL 100, 197002 (2008)).  Each electrode covers an overlap $a = 0.3L$ of the wire on
# its top, both side walls and the end face; the bottom rests on the substrate.  The
# junction length $L$ is the distance between the electrodes' inner edges.
#
# **S as rigid reservoirs.**  The electrodes are not meshed: the contact faces of the wire
# carry the bulk BCS Riccati amplitudes of $\Delta e^{\mp i\varphi/2}$ (``Reservoir``, as in
# the 2D demo), $\Delta = 1000\,E_{Th}$.  This is the usual boundary condition of a long
# junction with transparent interfaces to a large, clean superconductor: the inverse
# proximity effect in S is weak and confined to $\xi_S = \sqrt{\hbar D/\Delta} = 0.03L$,
# which a mesh of S would need to resolve (16 unknowns per node) to change the minigap by
# a fraction of a per cent.  Energies are in $E_{Th} = \hbar D/L^2$ of the bare length L.
#
# **Effective length.**  With full-face contacts at $x = 0, L$ (a bar) the 3D problem is
# the 1D one: $E_g(0) \approx 3.12\,E_{Th}$ (Zhou, Charlat, Spivak & Pannetier, J. Low
# Temp. Phys. 110, 841 (1998)); this bar is computed first, as the verification that the
# 3D solver agrees with 1D/2D.  Under an overlapping electrode the wire is not held at the
# S value up to $x = 0$: the bottom of the wire is a distance $t$ from the contact, and the
# proximity amplitude, like a current, spreads into the cross-section over a length of
# order $t$ around the electrode edge.  On that scale the Usadel equation is Laplace's
# ($\varepsilon t^2/\hbar D \ll 1$), so far from the edges the solution is the 1D one of a
# longer junction, $L_{eff} = L + 2\delta$, and $E_g \approx 3.12\,\hbar D/L_{eff}^2$.  The
# same $\delta$ lengthens the normal-state resistance, $R_N = (L + 2\delta)/\sigma_N Wt$,
# which the demo computes from Laplace's equation.  For a contact on the top face only
# (a 2D problem in x-z) the conformal map $w = e^{\pi z/t}$ gives $\delta = 2t\ln 2/\pi =
# 0.441t$; side walls under the electrode shorten it.
#
# Run: ``mpirun -n 2 python3 demos/sns_junction_3d.py`` (24 min on 2 ranks of a busy machine;
# ``--quick``: no bar, no minigap search (the minigap predicted from $R_N$ sets the DOS
# energies), no current).

# %%
import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
import ufl
from dolfinx import fem
from dolfinx.fem.petsc import LinearProblem
from mpi4py import MPI

from kinetics.geometry import blocks, statistics
from kinetics.output import results as io
from kinetics.usadel import matsubara, observables
from kinetics.usadel.problem import COMPILE_FAST, Reservoir, UsadelProblem, UsadelRegion

comm = MPI.COMM_WORLD


def log(*args):
    if comm.rank == 0:
        print(*args, flush=True)


parser = argparse.ArgumentParser()
parser.add_argument("-o", "--output", default="results/sns_junction_3d")
parser.add_argument("--quick", action="store_true")
args = parser.parse_known_args()[0] if "ipykernel" in sys.modules else parser.parse_args()
out = Path(args.output)
t0 = time.perf_counter()

# %% [markdown]
# ## Geometry and mesh
# ``blocks`` builds the wire from three boxes (lengths in $L$, passed as "nm": the mesh
# unit is $L$): ``nl`` $[-a, 0]$ and ``nr`` $[L, L + a]$ under the electrodes and ``n``
# $[0, L]$ between them, so that the faces are tagged ``nl_top``, ``nl_ymin``, … and the
# electrode edges are the interior interfaces ``nl|n``, ``n|nr``.  The device is symmetric
# under $y \to W - y$ at every phase, so only the half $0 \le y \le W/2$ is meshed: the
# mid-plane ``*_ymax`` is a symmetry plane, where the zero-current (vacuum) condition is
# exact; conductances and currents are doubled.  P2 elements (P1 needs far finer meshes:
# its DOS inside the minigap is off by −0.005 at $h = 0.1L$, and Newton lands on unphysical
# roots below the gap), tetrahedra of size $h = 0.1L$ (one across the thickness): the
# Riccati problem has 16 real unknowns per node, and a Newton step costs seconds.  The
# verification bar is the box ``n`` alone with reservoirs on ``n_xmin`` and ``n_xmax``.

# %%
NM = 1e-9
DELTA, ETA = 1000.0, 1e-5
L, W, T_N, A = 1.0, 0.25, 0.1, 0.3
H, DEGREE = 0.1, 2
TEMP = 1.0
OMEGA_MAX = 30.0                                          # 5 Matsubara frequencies
phases = np.array([]) if args.quick else np.linspace(0.0, math.pi, 3)
cpr_phases = [] if args.quick else [math.pi / 2]


def wire(overlap, h):
    def box(x0, x1):
        return ((x0 * NM, 0.0, 0.0), (x1 * NM, 0.5 * W * NM, T_N * NM))
    boxes = {"nl": box(-A, 0.0), "n": box(0.0, L), "nr": box(L, L + A)} if overlap else \
        {"n": box(0.0, L)}
    return blocks(boxes, dim=3, h=h * NM, comm=comm)


overlap = wire(True, H)
bar = None if args.quick else wire(False, H)
CONTACTS = {"overlap": (["nl_top", "nl_ymin", "nl_xmin"], ["nr_top", "nr_ymin", "nr_xmax"]),
            "top only": (["nl_top"], ["nr_top"]), "bar": (["n_xmin"], ["n_xmax"])}

# %% [markdown]
# ## Normal-state resistance: the spreading length δ
# Laplace's equation $\nabla^2 V = 0$ with $V = 0$ and $1$ on the two contacts (P2): the
# conductance is $G = \sigma_N\int|\nabla V|^2$, and $R_N\sigma_N Wt = Wt/\int|\nabla V|^2
# = L + 2\delta$.  With the top faces alone as contacts the result is checked against
# the conformal $2t\ln 2/\pi$ (the overlap $a = 3t$ adds $O(e^{-\pi a/t})$).  The contact
# edge is a square-root singularity, so δ converges slowly (like h): it is computed on the
# Usadel mesh (to compare with the minigap on the same mesh) and, in the full run, on a
# mesh 4 times finer.


# %%
def resistance_length(dev, left, right):
    V = fem.functionspace(dev.mesh, ("Lagrange", 2))
    bcs = []
    for names, value in ((left, 0.0), (right, 1.0)):
        facets = np.concatenate([dev.facet_tags.find(dev.boundary_tag(n)) for n in names])
        bcs.append(fem.dirichletbc(value, fem.locate_dofs_topological(V, 2, facets), V))
    u, v = ufl.TrialFunction(V), ufl.TestFunction(V)
    zero = fem.Constant(dev.mesh, 0.0)
    problem = LinearProblem(ufl.inner(ufl.grad(u), ufl.grad(v)) * ufl.dx, zero * v * ufl.dx,
                            bcs=bcs, petsc_options={"ksp_type": "preonly", "pc_type": "lu",
                                                   "pc_factor_mat_solver_type": "mumps"})
    uh = problem.solve()
    g = fem.assemble_scalar(fem.form(ufl.inner(ufl.grad(uh), ufl.grad(uh)) * ufl.dx))
    return W * T_N / (2 * comm.allreduce(g, op=MPI.SUM))      # 2: the other half


l_res = {k: resistance_length(overlap, *CONTACTS[k]) for k in ("overlap", "top only")}
if not args.quick:
    fine = wire(True, H / 4)
    l_res.update({f"{k}, h/4": resistance_length(fine, *CONTACTS[k])
                  for k in ("overlap", "top only")})
    l_res["bar"] = resistance_length(bar, *CONTACTS["bar"])
    del fine
delta_conformal = 2 * T_N * math.log(2) / math.pi
deltas = {k: (v - L) / 2 + 0.0 for k, v in l_res.items()}
for k, v in l_res.items():
    log(f"R_N σ_N W t = {v:.6f} L, δ = {abs(deltas[k]) if k == 'bar' else deltas[k]:.5f} L "
        f"= {deltas[k] / T_N:+.4f} t ({k})")
log(f"top faces only: conformal δ = 2t ln2/π = {delta_conformal:.5f} L")

# %% [markdown]
# ## The Usadel problems
# Reservoirs $\Delta e^{\mp i\varphi/2}$ on every face of each contact (one ``Reservoir``
# object per electrode, shared by its faces), vacuum elsewhere, Dynes $\eta = 10^{-5}E_{Th}$,
# quadrature degree 4 (as in the 2D demo).


# %%
def usadel(dev, left_names, right_names):
    left, right = Reservoir(DELTA, 0.0), Reservoir(DELTA, 0.0)
    res = {**{n: left for n in left_names}, **{n: right for n in right_names}}
    p = UsadelProblem(dev, {r: UsadelRegion(D=1.0) for r in dev.regions}, res, eta=ETA,
                      degree=DEGREE, quadrature_degree=4, jit_options=COMPILE_FAST)

    def set_phase(phi):
        left.phase, right.phase = -phi / 2, phi / 2
    return p, set_phase


def describe(name, dev, p):
    stats = statistics(dev)
    info = {"cells": stats["cells"], "vertices": stats["vertices"],
            "unknowns": 16 * p.space.dofmap.index_map.size_global}
    log(f"{name} (half width): {info['cells']} tetrahedra, {info['unknowns']} unknowns (P2)")
    return info


# %% [markdown]
# ## Minigap
# As in the 2D demo: scan the energy upward with continuation, then bisect on
# $\max N \ge 0.02$ over the nodes (grid 0, 1, 2, 2.5, …, 4, tolerance $10^{-2}E_{Th}$;
# not in ``--quick``, which only predicts $E_g$ from $R_N$); at each new phase
# the scan starts from the previous phase's solution.  The gapped branch ends at $E_g$ in a
# fold; on this mesh its nodal DOS drops below ``DOS_FLOOR`` $= -0.01$ just before the
# fold, where ``UsadelProblem`` rejects the root ("UNPHYSICAL"): such an energy counts as
# above the edge (the bar's edge found so is 3.117, within the finite-Δ shift of 3.122).  At $\varphi = \pi$ the gap is closed
# ($N(\varepsilon \to 0) = 1$ in the middle).  The verification bar (full run only) uses
# the same mesh size and elements.

# %%
THRESHOLD, TOL = 0.02, 1e-2
GRID = np.array([0.0, 1.0, 2.0, 2.5, 3.0, 3.5, 4.0])
MID = np.array([[0.5 * L, 0.5 * W, 0.5 * T_N]])


def gaps_vs_phase(p, set_phase, phis):
    start, gaps = [], []
    for phi in phis:
        set_phase(phi)
        if abs(phi - math.pi) < 1e-12:
            p.sweep([1e-3])
            n_mid = float(observables.dos_at(p, MID)[0])
            log(f"  φ = π: N(ε = 1e-3, middle) = {n_mid:.6f} (normal metal: 1), E_g = 0")
            gaps.append(0.0)
            continue
        gaps.append(observables.minigap(
            p, GRID, threshold=THRESHOLD, tol=TOL, start=start, measure="abs", max_halvings=2,
            bisect_halvings=1, unphysical_above=True))   # past the fold: above the gap
        log(f"  φ = {phi / math.pi:.3f}π: E_g = {gaps[-1]:.4f} E_Th  "
            f"[{time.perf_counter() - t0:.0f} s elapsed]")
    return gaps


ZHOU = 3.122
mesh_info, gap_bar = {}, None
if not args.quick:
    log("verification bar (contacts on the full end faces):")
    p_bar, phase_bar = usadel(bar, *CONTACTS["bar"])
    mesh_info["bar"] = describe("bar", bar, p_bar)
    gap_bar = gaps_vs_phase(p_bar, phase_bar, phases[:1])[0]
    log(f"bar: E_g(0) = {gap_bar:.4f} E_Th, Zhou et al. {ZHOU}: "
        f"{100 * (gap_bar / ZHOU - 1):+.2f} %")
    p_bar.destroy()

log("overlapping electrodes:")
problem, set_phase = usadel(overlap, *CONTACTS["overlap"])
mesh_info["overlap"] = describe("overlap", overlap, problem)
e_pred = ZHOU * (L / l_res["overlap"]) ** 2        # the minigap predicted from R_N
log(f"predicted from R_N: E_g(0) = 3.122 (L/L_R)² = {e_pred:.4f} E_Th")
gaps = [] if args.quick else gaps_vs_phase(problem, set_phase, phases)
# the bar's E_g on the same mesh replaces 3.12 (the mesh error cancels to first order)
ref = ZHOU if gap_bar is None else gap_bar
l_eff = L * math.sqrt(ref / gaps[0]) if gaps else None
if gaps:
    log(f"overlap: E_g(0) = {gaps[0]:.4f} E_Th = {gaps[0] / ref:.4f} of the bar's "
        f"({gaps[0] / ZHOU:.4f} of {ZHOU}): L_eff = L √(E_g,bar/E_g) = {l_eff:.4f} L, "
        f"δ = {(l_eff - L) / 2:.4f} L = {(l_eff - L) / 2 / T_N:.3f} t; "
        f"from R_N on the same mesh: δ = {deltas['overlap']:.4f} L")

# %% [markdown]
# ## The local DOS below, at and above the minigap
# At $\varphi = 0$ and $\varepsilon = 0.6$, $1.05$ and $1.5\,E_g$, evaluated on a regular
# grid of points over the half wire (``observables.dos_at``: the same values on any number
# of ranks); below the gap from $\varepsilon = 0$ upward, the others from $4E_g$ downward
# (continuation on the retarded branch).  Probes: under the electrode at the bottom of the
# wire, at the electrode edge (bottom and top), and at $x = L/4$, $L/2$ (mid-plane).

# %%
set_phase(0.0)
NX, NY, NZ = (33, 4, 3) if args.quick else (97, 7, 6)
gx, gy, gz = (np.linspace(-A, L + A, NX), np.linspace(0.0, W / 2, NY), np.linspace(0.0, T_N, NZ))
pts = np.stack(np.meshgrid(gx, gy, gz, indexing="ij"), axis=-1).reshape(-1, 3)
PROBES = np.array([[-0.15, 0.5 * W, 0.0], [0.0, 0.5 * W, 0.0], [0.0, 0.5 * W, T_N],
                   [0.25, 0.5 * W, 0.5 * T_N], [0.5, 0.5 * W, 0.5 * T_N]])
e_gap = gaps[0] if gaps else e_pred
FACTORS = (1.5,) if args.quick else (0.6, 1.05, 1.5)   # of E_g: below, at, above
e_maps = [f * e_gap for f in FACTORS]
maps, probes = {}, {}


def record(p, eps):
    maps[eps] = observables.dos_at(p, pts).reshape(NX, NY, NZ)
    probes[eps] = observables.dos_at(p, PROBES).tolist()
    log(f"ε = {eps:.3f} E_Th: DOS at the probes " + ", ".join(f"{v:.4f}" for v in probes[eps])
        + f"; max over the grid {maps[eps].max():.4f}")


below = [e for f, e in zip(FACTORS, e_maps) if f < 1]
if below:                                           # from ε = 0 upward
    problem.sweep([0.0] + below, callback=lambda p, e: e > 0 and record(p, e))
problem.sweep([e for f, e in zip(FACTORS, e_maps) if f >= 1][::-1],
              callback=record)                      # from above the gap downward
# (--quick: 1.5 E_g only; each 3D Newton step costs seconds)
maps, probes = [maps[e] for e in e_maps], [probes[e] for e in e_maps]

# %% [markdown]
# ## Result
# (Full run, 2 ranks.)  The bar gives $E_g(0) = 3.117E_{Th}$, −0.15 % from Zhou et al.'s
# 3.122 (the 2D demo: 3.114): the 3D solver agrees with 1D/2D.  The overlapping
# electrodes lower it to $2.766E_{Th}$ (0.887 of the bar's): $L_{eff} = 1.062L$,
# $\delta = 0.031L = 0.31t$.  The normal-state resistance gives $\delta = 0.024L$ on the
# same mesh and $0.0275L$ on a 4× finer one, still rising (the top-contact check is 13 %
# and 5 % below the conformal $0.441t$ on these meshes), so the two δ agree to about 10 %,
# i.e. $E_g$ agrees with $3.12E_{Th}(L/L_R)^2$ to about 1 %; the side walls under the
# electrodes cut δ from $0.44t$ to $\approx 0.3t$.  At $\varphi = \pi/2$: $E_g = 2.117E_{Th}$,
# 0.886 of the 2D demo's 2.39, the same factor as at $\varphi = 0$, so the whole
# $E_g(\varphi)$ scales with $(L/L_{eff})^2$; the gap is closed at π.  The current at π/2,
# $eIR_N = 6.4E_{Th}$ ($T = E_{Th}$), is below the 2D strip's 9.3: the junction is longer
# ($E_{Th}$ of $L_{eff}$ is 0.89 of $E_{Th}$, and $L_{eff}/\xi_T$ larger).  Under the
# electrodes the wire is gapped; above $E_g$ the first states appear in the middle, and a
# few at the bottom of the wire at the electrode edge (probe 2: 0.03 at $1.05E_g$).

# %%
results = {
    "demo": "sns_junction_3d", "ranks": comm.size,
    "parameters": {"delta_E_Th": DELTA, "eta_E_Th": ETA, "length_L": L, "width_L": W,
                   "thickness_L": T_N, "overlap_L": A, "h_L": H, "degree": DEGREE,
                   "temperature_E_Th": TEMP, "omega_max_E_Th": OMEGA_MAX,
                   "dos_threshold": THRESHOLD, "gap_tolerance_E_Th": TOL},
    "mesh": mesh_info,
    "resistance_length_L": l_res, "delta_L": deltas, "delta_conformal_L": delta_conformal,
    **({} if gap_bar is None else {"bar_minigap0_E_Th": gap_bar,
                                   "max_rel_bar_minigap0_vs_3p122": abs(gap_bar / ZHOU - 1)}),
    "phases_rad": phases.tolist(), "minigap_E_Th": gaps,
    "minigap_predicted_from_RN_E_Th": e_pred,
    **({"effective_length_L": l_eff, "delta_from_minigap_L": (l_eff - L) / 2} if gaps else {}),
    "dos": {"energies_E_Th": e_maps, "probes_L": PROBES.tolist(), "values": probes},
    "wall_time_s": time.perf_counter() - t0}
io.write_json(out / "results.json", results, comm)

# %% [markdown]
# ## Pictures
# The DOS on the back half of the wire ($y > W/2$, the computed half mirrored), so that
# the x-z section through the middle of the wire faces the camera, with the electrodes
# drawn as translucent boxes over the ends (PyVista, off screen as in
# ``kinetics.geometry.gallery``); and the minigap versus phase (matplotlib).

# %%
if comm.rank == 0:
    import pyvista as pv
    pv.OFF_SCREEN = True
    from kinetics.plot.common import ensure_display
    ensure_display()
    grid = pv.ImageData(dimensions=(NX, NY, NZ), origin=(-A, 0.5 * W, 0.0),
                        spacing=(gx[1] - gx[0], gy[1] - gy[0], gz[1] - gz[0]))
    vmax = max(1.0, max(m.max() for m in maps))
    pl = pv.Plotter(off_screen=True, shape=(len(e_maps), 1),
                    window_size=(1300, 320 * len(e_maps)), border=False)
    pl.set_background("white")
    labels = {0.6: "below the minigap", 1.05: "just above the minigap",
              1.5: "above the minigap"}
    labels = [labels[f] for f in FACTORS]
    for k, (eps, dos) in enumerate(zip(e_maps, maps)):
        pl.subplot(k, 0)
        g = grid.copy()
        g.point_data["N"] = dos[:, ::-1, :].ravel(order="F")       # mirrored: y -> W - y
        pl.add_mesh(g, scalars="N", cmap="viridis", clim=(0.0, vmax), lighting=False,
                    scalar_bar_args={
                        "title": "N/N0", "color": "black", "vertical": True, "width": 0.04,
                        "position_x": 0.93, "position_y": 0.1, "height": 0.8})
        for x0, x1 in ((-A - 0.15, 0.0), (L, L + A + 0.15)):
            pl.add_mesh(pv.Box(bounds=(x0, x1, 0.5 * W, W + 0.06, 0.0, T_N + 0.06)),
                        color="silver", opacity=0.25)
        pl.add_text(f"energy {eps / e_gap:.2f} E_g = {eps:.2f} E_Th ({labels[k]}); "
                    f"z scaled ×2", font_size=11, color="black")
        pl.set_scale(zscale=2.0)
        pl.camera_position = [(0.5, -1.3, 1.1), (0.5, 0.5 * W, 0.1), (0.0, 0.0, 1.0)]
        pl.camera.zoom(1.5)
    pl.screenshot(str(out / "sns_junction_3d.png"))
    pl.close()

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, a1 = plt.subplots(figsize=(6, 4.2))
    ph = np.linspace(0, math.pi, 200)
    a1.plot(ph / math.pi, ZHOU * np.abs(np.cos(ph / 2)), "--", color="grey",
            label=r"guide $3.12|\cos(\varphi/2)|$")
    if gaps:
        a1.plot(phases / math.pi, gaps, "o-", label="overlapping electrodes (3D, P2)")
    a1.plot([0.0], [e_pred], "^", label=r"$3.122E_{Th}(L/L_R)^2$, $L_R$ from $R_N$")
    if gap_bar is not None:
        a1.plot([0.0], [gap_bar], "s", label="bar, full end contacts")
    a1.set_xlabel(r"$\varphi/\pi$")
    a1.set_ylabel(r"$E_g/E_{Th}$")
    a1.legend()
    fig.tight_layout()
    fig.savefig(out / "sns_junction_3d_phase.png", dpi=110)
    log(f"wrote {out}/results.json, sns_junction_3d.png and sns_junction_3d_phase.png in "
        f"{time.perf_counter() - t0:.0f} s")

# %% [markdown]
# ## Current–phase relation
# ``matsubara.supercurrent`` through the electrode edge ``nl|n`` (an interior facet set)
# along x, at $k_BT = E_{Th}$ with the Matsubara sum cut at $30E_{Th}$ (5 frequencies; the
# 2D demo finds this 1 % low against $60E_{Th}$).  In 3D it returns
# $Ie/(\sigma_N E_{Th}L)$ for the half wire; with $R_N = L_R/(\sigma_N Wt)$ from the
# resistance above, $eIR_N = 2E_{Th}\,S\,L_R/(Wt)$ (lengths in $L$), the quantity the 2D
# demo plots.  Only at $\varphi = \pi/2$ (about a minute per phase and frequency on 2
# busy ranks), after the pictures; not in ``--quick``.


# %%
def current(phi):
    set_phase(phi)
    s = matsubara.supercurrent(problem, TEMP, "nl|n", (1, 0, 0), omega_max=OMEGA_MAX)
    return 2 * s * l_res["overlap"] / (W * T_N)


currents = [current(phi) for phi in cpr_phases]
for phi, c in zip(cpr_phases, currents):
    log(f"φ = {phi / math.pi:.3f}π: eIR_N = {c:+.6e} E_Th")
log(f"[{time.perf_counter() - t0:.0f} s elapsed]")
if currents:
    results.update({"cpr_phases_rad": cpr_phases, "eIRn_E_Th": currents,
                    "wall_time_s": time.perf_counter() - t0})
    io.write_json(out / "results.json", results, comm)
