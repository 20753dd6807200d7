"""The SMR chart of a ``[sweep]`` run, drawn from its results.json (no re-solve).

:func:`smr_sweep` plots the longitudinal and transverse resistance changes against the
magnetization angle in each scanned plane, FEM as markers and the angular form of Chen et
al., PRB 87, 144411 (2013) as a line of the same colour: the closed form of the film when
the run recorded one (``smr_closed_form``), else the least-squares fit of the scan
(``smr_fit_Ohm``).  :func:`sweep_table` is the short text summary ``kinetics run`` prints.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from kinetics.plot.charts import _COLORS, _figure, _png, _rank0, _save

__all__ = ["smr_sweep", "sweep_table", "PLANE_TEXT"]

#: rotation planes of ``[sweep]`` (kinetics.models.spin_charge_case.sweep_directions)
PLANE_TEXT = {"alpha": ("α", "m in x–y, angle from x"), "beta": ("β", "m in y–z, from y"),
              "gamma": ("γ", "m in x–z, from x")}


def _load(results):
    if isinstance(results, (str, Path)):
        return json.loads(Path(results).read_text())
    return results


def _planes(res: dict) -> dict:
    sweep = res.get("sweep") or {}
    return {p: v for p, v in sweep.items() if p in PLANE_TEXT and "resistance_Ohm" in v
            and "R_xx" in v["resistance_Ohm"]}


def _forms(res: dict, m: np.ndarray):
    """(ΔR_xx/R, R_xy/R, label) of the reference line at directions m (n, 3), or None."""
    fit = res.get("smr_fit_Ohm")
    if fit is None:
        return None
    cf = res.get("smr_closed_form")
    if cf is not None:
        long = cf["drho1_over_rho"] * (1 - m[:, 1] ** 2)
        trans = (fit["delta_rho_1_trans"] * m[:, 0] * m[:, 1] + fit["delta_rho_2"] * m[:, 2]) \
            / fit["rho_0"]
        return long, trans, "Chen 2013 closed form (R_xx); fit (R_xy)"
    long = fit["delta_rho_1"] * (1 - m[:, 1] ** 2) / fit["rho_0"]
    trans = (fit["delta_rho_1_trans"] * m[:, 0] * m[:, 1] + fit["delta_rho_2"] * m[:, 2]) \
        / fit["rho_0"]
    return long, trans, "Chen 2013 angular form, fitted"


def smr_sweep(results, png, *, title: str | None = None, dpi: int = 130):
    """SMR chart of a sweep: (R_xx − R₀)/R₀ and (R_xy − R_xy,0)/R₀ against the angle.

    R₀ is the fitted R_xx with m ∥ y (``smr_fit_Ohm.rho_0``, the SMR minimum) and R_xy,0 the
    fitted offset; without a fit, the mean of R_xx and no offset.

    Parameters
    ----------
    results:
        The results dict of a ``[sweep]`` run or the path of its results.json: ``sweep``
        (per plane ``angles_deg`` (n,), ``m`` (n, 3), ``resistance_Ohm`` with ``R_xx`` and
        optionally ``R_xy``, Ω), optionally ``smr_fit_Ohm`` and ``smr_closed_form``
        (``drho1_over_rho``, ``drho2_over_rho``, ``thickness_m``).
    png:
        Output ``.png`` (atomic write).
    title:
        Figure title (default: the swept interface and R₀).
    dpi:
        Resolution.

    Returns
    -------
    pathlib.Path on rank 0 of ``MPI.COMM_WORLD``; None on other ranks, and None when the
    sweep has no plane with a resistance named R_xx (nothing to draw).

    Raises
    ------
    ValueError
        A path not ending in ``.png``.
    FileNotFoundError
        ``results`` names a file that does not exist.
    """
    png = _png(png)
    if not _rank0():
        return None
    res = _load(results)
    planes = _planes(res)
    if not planes:
        return None
    fit = res.get("smr_fit_Ohm")
    has_xy = all("R_xy" in p["resistance_Ohm"] for p in planes.values())
    fig = _figure(figsize=(10.5 if has_xy else 6.0, 4.6))
    axes = [fig.add_subplot(1, 2 if has_xy else 1, k + 1) for k in range(2 if has_xy else 1)]
    r_all = np.concatenate([p["resistance_Ohm"]["R_xx"] for p in planes.values()])
    R0 = fit["rho_0"] if fit else float(np.mean(r_all))
    off = fit.get("rho_trans_offset", 0.0) if fit else 0.0
    ref_label = None
    for i, (plane, p) in enumerate(planes.items()):
        color = _COLORS[i % len(_COLORS)]
        sym, text = PLANE_TEXT[plane]
        ang = np.asarray(p["angles_deg"], dtype=float)
        rxx = np.asarray(p["resistance_Ohm"]["R_xx"], dtype=float)
        label = f"{sym}: {text}"
        style = dict(marker="os^"[i % 3], ls="none", color=color, ms=8 - 1.5 * (i % 3),
                     mfc="none", mew=1.6)      # overlapping points of two planes both show
        axes[0].plot(ang, (rxx - R0) / R0 * 1e4, label=f"FEM, {label}", **style)
        if has_xy:
            rxy = np.asarray(p["resistance_Ohm"]["R_xy"], dtype=float)
            axes[1].plot(ang, (rxy - off) / R0 * 1e4, **style)
        fine = np.linspace(0.0, 360.0, 361)
        from kinetics.models.spin_charge_case import sweep_directions
        m = sweep_directions(plane, len(fine))[1]
        ref = _forms(res, m)
        if ref is not None:
            ref_label = ref[2]
            axes[0].plot(fine, ref[0] * 1e4, "-", color=color, lw=1.4)
            if has_xy:
                axes[1].plot(fine, ref[1] * 1e4, "-", color=color, lw=1.4)
    for ax in axes:
        ax.set_xlabel("angle of m (deg)")
        ax.set_xticks(np.arange(0, 361, 90))
        ax.axhline(0.0, color="0.6", lw=0.6, zorder=0)
        ax.grid(True, color="0.92", lw=0.6)
    axes[0].set_ylabel(r"$(R_{xx}-R_0)/R_0$ ($10^{-4}$)")
    axes[0].set_title(r"longitudinal; $R_0 = R_{xx}(m\parallel y)$ = " + f"{R0:.6g} Ω",
                      fontsize=10)
    if has_xy:
        axes[1].set_ylabel(r"$(R_{xy}-R_{xy,0})/R_0$ ($10^{-4}$)")
        axes[1].set_title(r"transverse; offset $R_{xy,0}$ = " + f"{off:.3g} Ω", fontsize=10)
    handles, labels = axes[0].get_legend_handles_labels()
    if ref_label:
        from matplotlib.lines import Line2D
        handles.append(Line2D([], [], color="0.3", lw=1.4))
        labels.append(f"lines: {ref_label}")
    # the legend goes under the axes, where it covers no data
    fig.legend(handles, labels, loc="lower center", ncol=2, frameon=False, fontsize=9)
    iface = (res.get("case", {}).get("sweep", {}) or {}).get("interface", "")
    fig.suptitle(title if title is not None else
                 f"Spin Hall magnetoresistance: m of '{iface}' rotated (FEM markers, "
                 f"lines of the same colour: Chen et al. 2013)", fontsize=11)
    fig.tight_layout(rect=(0, 0.14, 1, 1))
    return _save(fig, png, dpi)


def sweep_table(results) -> str:
    """A short text table of what a ``[sweep]`` run measured: per plane the R_xx range and
    its relative change, the R_xy range; the fitted SMR amplitudes; Chen's closed form when
    recorded.  Empty string when the sweep measured no resistance."""
    res = _load(results)
    sweep = res.get("sweep") or {}
    rows = []
    for plane, p in sweep.items():
        R = p.get("resistance_Ohm") or {}
        if not R:
            continue
        cells = [f"{plane:10s} {len(p['angles_deg']):3d}"]
        for name in sorted(R):
            v = np.asarray(R[name], dtype=float)
            cells.append(f"{name} {v.min():.6g} to {v.max():.6g} Ω")
            if name == "R_xx" and v.min() > 0:
                cells.append(f"ΔR_xx/R_xx {(v.max() - v.min()) / v.min():.3e}")
        rows.append("  ".join(cells))
    if not rows:
        return ""
    lines = ["SMR sweep: plane, steps, measured ranges", *rows]
    fit = res.get("smr_fit_Ohm")
    if fit:
        r0 = fit["rho_0"]
        lines.append(f"fit (Chen 2013 angular form): R0 = {r0:.6g} Ω, ΔR1/R0 = "
                     f"{fit['delta_rho_1'] / r0:.4e}, ΔR1'(R_xy)/R0 = "
                     f"{fit.get('delta_rho_1_trans', 0.0) / r0:.4e}, ΔR2(R_xy)/R0 = "
                     f"{fit.get('delta_rho_2', 0.0) / r0:.4e}")
    cf = res.get("smr_closed_form")
    if cf:
        lines.append(f"Chen 2013 closed form (film, d = {cf['thickness_m'] * 1e9:.3g} nm): "
                     f"Δρ1/ρ = {cf['drho1_over_rho']:.4e}, Δρ2/ρ = {cf['drho2_over_rho']:.4e}")
    return "\n".join(lines)
