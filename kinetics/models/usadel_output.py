"""The outputs of ``[usadel]`` beyond the DOS at the probes: the adaptive energy grid
(``refine_energies``, :func:`kinetics.usadel.energy_grid.adaptive_sweep`), DOS maps at chosen
energies (``maps``: fields for ParaView) and the pictures of a finished run.

- **Adaptive grid.** ``energies`` is the coarse start; every interior energy whose DOS at a
  probe (or spin-resolved DOS, with an exchange field) deviates from the linear interpolation
  of its neighbours by more than ``tol`` gets midpoints on both sides, until none does, the
  spacing reaches ``min_spacing`` or the grid ``max_points`` (then results say so:
  ``refinement.converged`` false and ``reason``; no error, the curve is still usable).
- **Maps.** The local DOS N(ε, r) (and N_↑, N_↓ along +z with an exchange field) at each
  energy of ``maps``, solved by a sweep of their own (continuation from the lowest map
  energy; they need not lie on or inside ``energies``), as nodal values in discontinuous
  Lagrange elements of the problem's degree (exact at the nodes; discontinuous across tunnel
  barriers), one field per energy named ``dos_eps_<ε>`` (``dos_up_eps_<ε>``,
  ``dos_down_eps_<ε>``), ε in E₀ formatted with ``%.10g``.  :class:`DosMaps` hands them to
  :func:`kinetics.runner.run_case` like a model's solution: ``fields.bp`` (VTX, ParaView) and,
  on 2D/3D devices, ``fields.vtu`` (point data of the same names).
- **Pictures** (:func:`pictures`, from the output folder, no re-solve): the DOS curves at
  the probes with the bulk DOS of the probe's region overlaid where it is a superconductor
  with a closed form (BCS, Zeeman-split BCS, Abrikosov–Gor'kov with Dynes η), and one
  PyVista picture per map of a 2D/3D device.

Units: energies in E₀, DOS in the normal-state DOS per spin.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from kinetics.case_schema import MAX_COUNT, Integer, Number, check_section

__all__ = ["REFINE", "MAX_MAPS", "map_names", "check", "refined_sweep", "probe_regions",
           "with_fields", "DosMaps", "dos_maps", "bulk_reference", "dos_curves_picture", "dos_map_pictures",
           "pictures"]

#: keys of ``[usadel.refine_energies]``
REFINE = {
    "tol": Number(required=True, lo=1e-6, hi=1e3,
                  description="largest deviation of the DOS at an energy from the linear "
                              "interpolation of its neighbours (normal-state DOS per spin)"),
    "max_points": Integer(lo=2, hi=MAX_COUNT, default=200,
                          description="most energies of the refined grid (≥ the entries of "
                                      "`energies`)"),
    "min_spacing": Number(unit="E0", lo=1e-12, hi=1e6,
                          description="smallest energy spacing (default 1e-6 of the span of "
                                      "`energies`)"),
}

#: most entries of ``maps`` (each is a full field per output: fields.bp grows with it)
MAX_MAPS = 50


def map_names(eps: float, spin: bool) -> list[str]:
    """Field names of the map at energy ``eps`` (E₀): ``dos_eps_<eps>`` and, with ``spin``,
    ``dos_up_eps_<eps>``, ``dos_down_eps_<eps>`` (``%.10g``)."""
    tag = f"eps_{eps:.10g}"
    return [f"dos_{tag}"] + ([f"dos_up_{tag}", f"dos_down_{tag}"] if spin else [])


# ------------------------------------------------------------------------------- checks
def check(case, spec: dict) -> None:
    """Checks of ``refine_energies``, ``maps`` and ``[output]`` for ``[usadel]`` (before
    meshing); problems go to ``case.report``."""
    e = spec.get("energies")
    if "refine_energies" in spec:
        keypath = ("usadel", "refine_energies")
        table = spec["refine_energies"]
        ok = check_section(case, keypath, table, REFINE)
        if ok is not None and not isinstance(e, list):
            case.report(keypath, "refines `energies`: give them (the coarse start)")
        elif ok is not None and len(e) < 2:
            case.report(keypath, f"needs `energies` with at least 2 entries (the coarse "
                                 f"start), got {len(e)}")
        elif ok is not None and "max_points" in ok and table["max_points"] < len(e):
            case.report(keypath + ("max_points",), f"must be at least the number of "
                                                   f"`energies` ({len(e)}), got "
                                                   f"{table['max_points']}")
        elif (ok is not None and "min_spacing" in ok and isinstance(e, list)
              and all(isinstance(x, (int, float)) for x in e)
              and table["min_spacing"] > max(e) - min(e)):
            case.report(keypath + ("min_spacing",), f"must not exceed the span of `energies` "
                                                    f"({max(e) - min(e):g} E0), got "
                                                    f"{table['min_spacing']:g}")
    maps = spec.get("maps")
    if isinstance(maps, list) and all(isinstance(x, (int, float)) for x in maps):
        m = np.asarray(maps, dtype=float)
        if m.size > 1 and np.any(np.diff(m) <= 0):
            i = int(np.flatnonzero(np.diff(m) <= 0)[0])
            case.report(("usadel", "maps"), f"must be strictly increasing, got {m[i]:g} "
                                            f"followed by {m[i + 1]:g} (entries {i + 1} and "
                                            f"{i + 2})")
        else:
            names = [map_names(x, False)[0] for x in m]
            for i in range(1, len(names)):
                if names[i] == names[i - 1]:
                    case.report(("usadel", "maps"), f"entries {i} and {i + 1} ({m[i - 1]!r}, "
                                                    f"{m[i]!r}) give the same field name "
                                                    f"{names[i]}: keep energies apart by more "
                                                    f"than 1e-10 relative")
                    break
    output = case.data.get("output")
    if not isinstance(output, dict):
        return
    if output.get("fields") is True and not maps:
        case.report(("output", "fields"), "[usadel] writes results.json only (no fields or "
                                          "pictures) unless `maps` is given: remove it, set it "
                                          "to false, or give [usadel] maps")
    if output.get("fields") is False and maps:
        case.report(("output", "fields"), "[usadel] maps are written as fields: with fields = "
                                          "false they would be computed for nothing; remove "
                                          "fields = false or maps")
    if output.get("pictures") is True and "energies" not in spec:
        case.report(("output", "pictures"),
                    "[usadel] pictures show the DOS curves at the probes (and the maps): they "
                    "need `energies`; give them or set pictures = false")


# ------------------------------------------------------------------------------- solving
def refined_sweep(spec: dict, problem, points, spin: bool, progress=None) -> dict:
    """The adaptive sweep of ``spec["energies"]`` with ``spec["refine_energies"]``; the
    criterion watches the DOS at the probes (and N_↑, N_↓ along +z with ``spin``).

    Returns
    -------
    dict with ``energies`` (list, E₀), ``dos`` (energies × probes), ``dos_min`` (per energy,
    over the Lagrange nodes), ``dos_up``/``dos_down`` with ``spin``, ``newton_iterations``,
    and ``refinement`` (``coarse_energies``, ``tol``, ``rounds``, ``converged``, ``reason``).

    Raises
    ------
    kinetics.solvers.linear.SolverError
        When Newton fails at an energy (naming it).
    """
    from kinetics.usadel import observables as obs
    from kinetics.usadel.energy_grid import adaptive_sweep
    ref = spec["refine_energies"]
    lows: dict = {}

    def measure(p):
        parts = [obs.dos_at(p, points)]
        if spin:
            parts += list(obs.spin_dos_at(p, points, (0.0, 0.0, 1.0)))
        lows[float(p.energy)] = obs.dos_extrema(p)[0]
        if progress is not None:
            progress.step(f"usadel: eps = {p.energy:.6g} E0 ({len(lows)} solved), Newton "
                          f"iterations {p.iterations}")
        return np.stack(parts)

    res = adaptive_sweep(problem, spec["energies"], measure, tol=ref["tol"],
                         max_points=ref.get("max_points", 200),
                         min_spacing=ref.get("min_spacing"), on_limit="ignore")
    if progress is not None and not res.converged:
        progress.step(f"usadel: the energy grid stopped at {res.reason} with the DOS "
                      f"criterion unmet (results: usadel.refinement)")
    out = {"energies": [float(x) for x in res.energies], "dos": res.values[:, 0],
           "dos_min": np.array([lows[float(x)] for x in res.energies])}
    if spin:
        out.update(dos_up=res.values[:, 1], dos_down=res.values[:, 2])
    out["newton_iterations"] = [int(i) for i in res.iterations]
    out["refinement"] = {"coarse_energies": [float(x) for x in spec["energies"]],
                         "tol": float(ref["tol"]), "rounds": res.rounds,
                         "converged": res.converged, "reason": res.reason}
    return out


def probe_regions(problem, points) -> list[str]:
    """The region name of each probe (points (N, 3) in mesh units), the same on every rank
    and for any number of ranks: a probe on an interface gets the region of smallest tag
    among the cells holding it.  ValueError for points outside the mesh."""
    from mpi4py import MPI

    from kinetics.observables import locate_points
    dev = problem.device
    imap = dev.mesh.topology.index_map(dev.dim)
    big = np.iinfo(np.int64).max
    tags = np.full(imap.size_local + imap.num_ghosts, big, dtype=np.int64)
    tags[dev.cell_tags.indices] = dev.cell_tags.values
    pts = np.asarray(points, dtype=float).reshape(-1, 3) * dev.length_unit
    _, cells = locate_points(dev, pts, "probe_regions")
    local = np.array([tags[cells.links(i)].min(initial=big) for i in range(len(pts))],
                     dtype=np.int64)
    found = np.empty_like(local)
    dev.comm.Allreduce(local, found, op=MPI.MIN)
    names = {int(t): n for n, t in dev.regions.items()}
    return [names.get(int(t), "") for t in found]


class DosMaps:
    """DOS maps of a :class:`~kinetics.usadel.problem.UsadelProblem`, in the form
    :func:`kinetics.runner.run_case` writes as ``fields.bp``/``fields.vtu``
    (``context.solution``): ``fields`` (declared scalar primary fields), ``expression(name)``
    (the DG function), ``device``, ``degree``, ``regions``, ``problem``, ``magnetizations``.

    Attributes
    ----------
    energies:
        The map energies (E₀).
    functions:
        ``{name: dolfinx Function}`` in discontinuous Lagrange elements of ``degree``.
    """

    def __init__(self, problem, energies, functions: dict):
        from kinetics.models.base import Field
        self.problem, self.device, self.degree = problem, problem.device, problem.degree
        self.regions = list(problem.device.regions)
        self.magnetizations: dict = {}
        self.energies = [float(x) for x in energies]
        self.functions = dict(functions)
        self.fields = tuple(Field(n, (), "1", "DOS (normal-state DOS per spin)")
                            for n in self.functions)

    def add(self, functions: dict) -> None:
        """Add fields ({name: Function}): of the Keldysh sector (scalar charge accumulation
        or 3-vector spin accumulation in E₀, tunnel conductance Y) or of the equilibrium
        spin–orbit torque (``spin_orbit_torque``, ``equilibrium_*``)."""
        from kinetics.models.base import Field
        extra = []
        for name, f in functions.items():
            shape = tuple(f.ufl_shape)
            if name.startswith("tunnel_conductance"):
                extra.append(Field(name, shape, "1", "normalized tunnel conductance"))
                continue
            if name.startswith("equilibrium_") or name == "spin_orbit_torque":
                extra.append(Field(name, shape, "N_F E0^2 (L)", name.replace("_", " ")
                                   + " (Matsubara sum, cell averages)"))
                continue
            what = "spin accumulation" if shape else "charge accumulation"
            extra.append(Field(name, shape, "E0", f"{what} (Keldysh sector)"))
        self.functions.update(functions)
        self.fields = self.fields + tuple(extra)

    def expression(self, name: str, region: str | None = None):
        """The map ``name`` (a DG Function; ``region`` ignored). KeyError listing the maps."""
        try:
            return self.functions[name]
        except KeyError:
            raise KeyError(f"no DOS map {name!r}; maps: {', '.join(self.functions)}") from None


def with_fields(maps, problem, functions: dict):
    """``maps`` (a :class:`DosMaps` or None) with the fields ``functions`` added (a new
    :class:`DosMaps` without DOS maps when ``maps`` is None)."""
    out = maps if maps is not None else DosMaps(problem, [], {})
    out.add(functions)
    return out


def _nodal_maps(problem, spin: bool) -> list:
    """[N, (N_↑, N_↓)] of the current solution as DG(degree) Functions (nodal values of each
    domain on its own cells)."""
    from dolfinx import fem

    from kinetics.usadel import riccati
    from kinetics.usadel.parameters import unpack
    msh = problem.mesh
    Q = fem.functionspace(msh, ("Discontinuous Lagrange", problem.degree))
    outs = [fem.Function(Q) for _ in range(3 if spin else 1)]
    K = len(problem.domains)
    problem.u.x.scatter_forward()           # nodes of owned cells owned by other ranks
    arr = problem.u.x.array.reshape(-1, 16 * K)
    for k in range(K):
        cells = np.flatnonzero(problem.cell_domain == k)
        ldofs = problem.space.dofmap.list[cells].ravel()
        qdofs = Q.dofmap.list[cells].ravel()
        g, gt = unpack(arr[ldofs, 16 * k:16 * (k + 1)])
        vals = [riccati.dos(g, gt)]
        if spin:
            vals += list(riccati.spin_dos(g, gt, (0.0, 0.0, 1.0)))
        for f, v in zip(outs, vals):
            f.x.array[qdofs] = v
    for f in outs:
        f.x.scatter_forward()
    return outs


def dos_maps(spec: dict, problem, spin: bool, progress=None) -> DosMaps | None:
    """Solve the energies of ``spec["maps"]`` (a sweep from the initial guess at the lowest)
    and keep their DOS maps; None without ``maps``.

    Raises
    ------
    kinetics.solvers.linear.SolverError
        When Newton fails at a map energy (naming it).
    """
    energies = [float(x) for x in spec.get("maps", [])]
    if not energies:
        return None
    functions: dict = {}

    def record(p, eps):
        for name, f in zip(map_names(eps, spin), _nodal_maps(p, spin)):
            f.name = name
            functions[name] = f
        if progress is not None:
            progress.step(f"usadel: DOS map at eps = {eps:.6g} E0")
    problem.sweep(energies, callback=record)
    return DosMaps(problem, energies, functions)


# ------------------------------------------------------------------------------- pictures
def bulk_reference(region: dict, eps, eta: float):
    """Closed-form bulk DOS (shape of ``eps``) of a ``[usadel.regions.NAME]`` table: BCS,
    Zeeman-split BCS (|h|) or Abrikosov–Gor'kov (``tau_sf``, h = 0) with Dynes η; None for a
    normal metal, a self-consistent Δ (``tc0``), a gauge field or combinations without a
    closed form (h with ``tau_sf`` or ``tau_so``).  Infinite times may be given as "inf"
    (as results.json spells them)."""
    from kinetics.usadel import bulk
    delta = float(region.get("delta", 0.0))
    h = float(np.linalg.norm(region.get("h", [0.0, 0.0, 0.0])))
    tau_sf = float(region.get("tau_sf", np.inf))
    tau_so = float(region.get("tau_so", np.inf))
    if delta <= 0 or float(region.get("tc0", 0.0)) > 0 or np.any(region.get("gauge", 0)):
        return None
    e = np.asarray(eps, dtype=float)
    if h > 0:
        return None if np.isfinite(tau_sf) or np.isfinite(tau_so) else \
            bulk.zeeman_dos(e, delta, h, eta)
    if np.isfinite(tau_sf):
        return bulk.ag_dos(e, bulk.zeta_from_tau_sf(tau_sf, delta), delta, eta)
    return bulk.bcs_dos(e, delta, eta)


def dos_curves_picture(usadel: dict, regions: dict, png) -> Path | None:
    """Matplotlib picture of the DOS at each probe versus energy (``usadel``: the ``usadel``
    results of a run; ``regions``: its ``[usadel.regions]`` tables), the bulk DOS of the
    probe's region dashed where :func:`bulk_reference` has one.  Returns the PNG path (rank 0
    of MPI.COMM_WORLD draws; None elsewhere).  ValueError for a path not ending in .png."""
    from kinetics.plot.charts import _COLORS, _figure, _png, _rank0, _save
    png = _png(png)
    if not _rank0():
        return None
    e = np.asarray(usadel["energies"], dtype=float)
    dos = np.asarray(usadel["dos"], dtype=float).reshape(len(e), -1)
    probes = np.asarray(usadel.get("probes_m", np.zeros((dos.shape[1], 3))))
    where = usadel.get("probe_regions", [""] * dos.shape[1])
    fig = _figure(figsize=(7, 4.5))
    ax = fig.add_subplot()
    fine = np.linspace(e[0], e[-1], 2000) if len(e) > 1 else e
    for j in range(dos.shape[1]):
        color = _COLORS[j % len(_COLORS)]
        label = f"({', '.join(f'{1e9 * v:.4g}' for v in probes[j])}) nm"
        ax.plot(e, dos[:, j], "-", color=color, marker="." if len(e) < 80 else None,
                label=f"{label} [{where[j]}]" if where[j] else label)
        table = regions.get(where[j]) if where[j] else None
        ref = bulk_reference(table, fine, float(usadel["broadening"])) if table else None
        if ref is not None:
            ax.plot(fine, ref, "--", color=color, lw=1, label=f"bulk of {where[j]}")
    ax.set_xlabel("energy ε (E₀)")
    ax.set_ylabel("DOS (normal state per spin)")
    ax.axhline(1.0, color="0.6", lw=0.6)
    ax.legend(fontsize=8)
    ax.set_title("density of states at the probes")
    fig.tight_layout()
    return _save(fig, png)


def dos_map_pictures(vtu, out) -> list[Path] | None:
    """One PyVista picture ``<out>/<map name>.png`` per DOS map (point data ``dos_*eps_*``)
    of a run's ``fields.vtu``.  Returns the paths on rank 0 of MPI.COMM_WORLD (None
    elsewhere).  ValueError for a grid without maps or of a 1D device."""
    from kinetics.output.grid import load_vtu
    from kinetics.plot import scene as sc
    from kinetics.plot.charts import _rank0
    if not _rank0():
        return None
    grid = load_vtu(vtu)
    names = [n for n in grid.point_data if n.startswith("dos_") and "eps_" in n]
    if not names:
        raise ValueError(f"{vtu}: no DOS maps (point data dos_eps_*)")
    unit, axes, dim = sc.meta(grid)
    size = sc.window(grid, axes, dim, None)
    written = []
    for name in names:
        v = np.asarray(grid.point_data[name])
        lo, hi = float(v.min()), float(v.max())
        if hi - lo < 1e-6 * max(1.0, abs(hi)):      # a uniform map: a readable colour bar
            lo, hi = lo - 0.05 * max(1.0, abs(lo)), hi + 0.05 * max(1.0, abs(hi))

        def build(pl, name=name, clim=(lo, hi)):
            pl.set_background("white")
            pl.add_mesh(grid, scalars=name, cmap="viridis", clim=clim, show_scalar_bar=True,
                        scalar_bar_args=sc.scalar_bar("DOS"), lighting=dim == 3)
            kind = {"dos_up_": "spin-up DOS N↑ (+z)", "dos_down_": "spin-down DOS N↓ (+z)"}
            what = next((v for k, v in kind.items() if name.startswith(k)), "local DOS N")
            sc.frame(pl, grid, f"{what} at ε = {name.split('eps_')[1]} E₀", unit, axes,
                     dim, size)
        written.append(sc.render(sc.png_path(Path(out) / f"{name}.png"), build, size, False))
    return written


def pictures(folder, out=None) -> list[Path] | None:
    """The pictures of a finished ``[usadel]`` run folder (no re-solve): ``dos_curves.png``
    from results.json and, when the folder has ``fields.vtu`` with maps, one picture per map
    (:func:`dos_map_pictures`).  Output in ``out`` (default ``folder``).  Returns the paths on
    rank 0 of MPI.COMM_WORLD, None elsewhere.

    Raises
    ------
    FileNotFoundError
        Without results.json.
    ValueError
        When results.json holds no ``usadel`` DOS.
    """
    from kinetics.plot.charts import _rank0
    if not _rank0():
        return None
    folder = Path(folder)
    out = Path(out) if out is not None else folder
    data = json.loads((folder / "results.json").read_text())
    res = data.get("usadel", {})
    if "dos" not in res:
        raise ValueError(f"{folder}/results.json holds no [usadel] DOS")
    regions = data.get("case", {}).get("usadel", {}).get("regions", {})
    written = [dos_curves_picture(res, regions, out / "dos_curves.png")]
    if (folder / "fields.vtu").exists():
        written += dos_map_pictures(folder / "fields.vtu", out)
    return written
