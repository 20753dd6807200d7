"""Matplotlib charts: line profiles, SMR angular dependence, thickness scans.

Public functions are re-exported by :mod:`kinetics.plot`.  Inputs are in SI (metres,
volts, ohms); with ``xunit``/``yunit`` given, the axes show readable prefixes (nm, µV, mΩ).
Only rank 0 of ``MPI.COMM_WORLD`` draws (when MPI runs); the others return None.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from kinetics.plot.common import atomic_write, readable_unit, world_comm

__all__ = ["line_profile", "smr_angular", "thickness_scan", "PLANES"]

#: rotation planes of the SMR angular scans: name -> (symbol, m(angle) text, m(angle in rad))
PLANES = {
    "alpha": ("α", "m = (cos α, sin α, 0)  (in plane, xy; from x = j)",
              lambda a: np.stack([np.cos(a), np.sin(a), 0 * a], axis=-1)),
    "beta": ("β", "m = (0, sin β, cos β)  (yz plane ⊥ j; from z = film normal)",
             lambda a: np.stack([0 * a, np.sin(a), np.cos(a)], axis=-1)),
    "gamma": ("γ", "m = (sin γ, 0, cos γ)  (xz plane ⊥ ŷ; from z = film normal)",
              lambda a: np.stack([np.sin(a), 0 * a, np.cos(a)], axis=-1)),
}
_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b"]


def _rank0() -> bool:
    comm = world_comm()
    return comm is None or comm.rank == 0


def _png(png) -> Path:
    png = Path(png)
    if png.suffix.lower() != ".png":
        raise ValueError(f"the picture path must end in .png, got {str(png)!r}")
    return png


def _figure(*args, **kwargs):
    from matplotlib.figure import Figure
    return Figure(*args, **kwargs)


def _save(fig, png: Path, dpi: int = 150) -> Path:
    atomic_write(png, lambda tmp: fig.savefig(tmp, dpi=dpi, format="png"))
    return png


def _columns(values, n: int, what: str) -> list[np.ndarray]:
    """(n,) / (n, k) array or a sequence of k (n,) arrays -> list of k (n,) arrays."""
    if isinstance(values, Mapping):
        raise TypeError(f"{what}: pass arrays and labels=..., not a dict")
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 1:
        cols = [arr]
    elif arr.ndim == 2 and arr.shape[0] == n:
        cols = [arr[:, k] for k in range(arr.shape[1])]
    elif arr.ndim == 2 and arr.shape[1] == n:
        cols = [arr[k] for k in range(arr.shape[0])]
    else:
        raise ValueError(f"{what}: expected shape ({n},) or ({n}, k), got {arr.shape}")
    for c in cols:
        if len(c) != n:
            raise ValueError(f"{what}: {len(c)} values for {n} abscissae")
    return cols


def _labels(labels, k: int, default: str) -> list[str | None]:
    if labels is None:
        return [default] if k == 1 else [f"{default} {i + 1}" for i in range(k)]
    if isinstance(labels, str):
        labels = [labels]
    labels = list(labels)
    if len(labels) != k:
        raise ValueError(f"labels: {len(labels)} labels for {k} curves")
    return labels


def _axis_label(label: str, unit: str | None) -> str:
    return f"{label} ({unit})" if unit not in (None, "", "1") else label


def _closed_form_curves(closed_form, x: np.ndarray, x_fine: np.ndarray, k: int, what: str):
    """Closed form -> (abscissae, list of k arrays) or None.

    Accepted: a callable f(x) returning (m,) or (m, k) values; an array of values at ``x``
    (shape (n,) or (n, k)); a pair (x_cf, values_cf)."""
    if closed_form is None:
        return None
    if callable(closed_form):
        xs = x_fine
        vals = closed_form(xs)
    elif isinstance(closed_form, tuple) and len(closed_form) == 2 and \
            np.ndim(closed_form[0]) == 1 and len(closed_form[0]) != k:
        xs, vals = np.asarray(closed_form[0], dtype=float), closed_form[1]
    else:
        xs, vals = x, closed_form
    cols = _columns(vals, len(xs), f"{what} closed_form")
    if len(cols) not in (1, k):
        raise ValueError(f"{what}: closed_form gives {len(cols)} curves for {k} data curves")
    return xs, cols


def _legend(ax):
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(frameon=False, fontsize=9)


def line_profile(z, values, png, *, labels=None, xlabel: str = "z", ylabel: str = "μ_s",
                 xunit: str | None = "m", yunit: str | None = "V", closed_form=None,
                 closed_form_label: str = "closed form", title: str | None = None,
                 markers: bool | None = None, dpi: int = 150):
    """Plot one or more profiles along a line (e.g. μ_s through a film) against position.

    Parameters
    ----------
    z:
        Positions, shape (n,), in ``xunit`` (SI metres by default).
    values:
        Shape (n,) or (n, k) (or a sequence of k (n,) arrays), in ``yunit`` (volts by
        default), e.g. the (n, 3) μ_s of :func:`kinetics.observables.line_profile`.
    png:
        Output ``.png`` (parent folders created; atomic write).
    labels:
        One legend label per curve (default "μ_s 1", ...).
    xlabel, ylabel:
        Axis names without unit; the unit is appended in parentheses.
    xunit, yunit:
        Units of the data (``"m"``, ``"V"``, ``"A/m²"``, ...): the axes are rescaled to a
        readable prefix (nm, µV) or power of ten.  None: no rescaling and no unit shown.
    closed_form:
        Reference curves drawn as dashed lines: a callable f(z) -> (m,) or (m, k) values
        (evaluated on 400 points, z in ``xunit``), an array of values at ``z``, or a pair
        ``(z_cf, values_cf)``.  One curve, or one per data curve.
    closed_form_label:
        Legend text of the reference.
    title:
        Axes title.
    markers:
        Draw the data as markers (default: when n <= 40) rather than lines.
    dpi:
        Resolution of the PNG.

    Returns
    -------
    pathlib.Path of the PNG on rank 0; None on other MPI ranks.

    Raises
    ------
    ValueError
        Mismatched shapes, wrong number of labels, a path not ending in ``.png``.
    """
    png = _png(png)
    if not _rank0():
        return None
    z = np.asarray(z, dtype=float).ravel()
    cols = _columns(values, len(z), "line_profile")
    names = _labels(labels, len(cols), ylabel)
    z_fine = np.linspace(z.min(), z.max(), 400) if len(z) else z
    ref = _closed_form_curves(closed_form, z, z_fine, len(cols), "line_profile")
    ymax = max([np.nanmax(np.abs(c)) for c in cols] +
               ([np.nanmax(np.abs(c)) for c in ref[1]] if ref else []) + [0.0])
    xdiv, xu = readable_unit(np.nanmax(np.abs(z)) if len(z) else 0.0, xunit, mathtext=True) \
        if xunit else (1.0, None)
    ydiv, yu = readable_unit(ymax, yunit, mathtext=True) if yunit else (1.0, None)
    markers = len(z) <= 40 if markers is None else markers
    fig = _figure(figsize=(6.4, 4.4))
    ax = fig.add_subplot()
    for i, (c, name) in enumerate(zip(cols, names)):
        color = _COLORS[i % len(_COLORS)]
        ax.plot(z / xdiv, c / ydiv, "o" if markers else "-", ms=4, lw=1.8, color=color,
                label=name)
    if ref is not None:
        for i, c in enumerate(ref[1]):
            color = "black" if len(ref[1]) == 1 else _COLORS[i % len(_COLORS)]
            ax.plot(ref[0] / xdiv, c / ydiv, "--", lw=1.3, color=color)
        ax.plot([], [], "--", lw=1.3, color="black", label=closed_form_label)
    ax.axhline(0.0, color="0.6", lw=0.6, zorder=0)
    ax.set_xlabel(_axis_label(xlabel, xu))
    ax.set_ylabel(_axis_label(ylabel, yu))
    if title:
        ax.set_title(title)
    _legend(ax)
    fig.tight_layout()
    return _save(fig, png, dpi)


def smr_angular(angles_deg, R_xx, R_xy, png, *, plane: str = "alpha", closed_form=None,
                unit: str = "Ω", relative: bool = False, labels=("FEM", "closed form"),
                title: str | None = None, dpi: int = 150):
    """SMR angular dependence: longitudinal and transverse resistance vs the magnetization
    angle in one of the three rotation planes (Nakayama et al., PRL 110, 206601 (2013);
    Chen et al., PRB 87, 144411 (2013)), current j along x, film normal z.

    ``plane="alpha"``: m = (cos α, sin α, 0) (in plane, angle from j);
    ``"beta"``: m = (0, sin β, cos β) (plane ⊥ j, angle from the normal);
    ``"gamma"``: m = (sin γ, 0, cos γ) (plane ⊥ ŷ, angle from the normal; no SMR expected
    in R_xx, which tells SMR from anisotropic magnetoresistance).

    Parameters
    ----------
    angles_deg:
        Angles in degrees, shape (n,).
    R_xx, R_xy:
        Longitudinal and transverse resistance (or resistivity) at those angles, in
        ``unit``; ``R_xy`` may be None (one panel).
    png:
        Output ``.png`` (atomic write).
    plane:
        ``"alpha"``, ``"beta"`` or ``"gamma"`` (the axis label and the m(angle) note).
    closed_form:
        Reference drawn as lines: a callable f(angles_deg) -> (R_xx, R_xy) (either may be
        None), evaluated on 361 angles over the data range, or a pair (R_xx_cf, R_xy_cf)
        of arrays at ``angles_deg``.
    unit:
        Unit of the resistances (``"Ω"``, ``"Ω m"``...); Ω gets a readable prefix.
    relative:
        Plot (R_xx − R̄_xx)/R̄_xx and R_xy/R̄_xx (dimensionless, R̄ the mean of the data)
        instead of R_xx − R̄_xx and R_xy.
    labels:
        Legend texts of the data and of the closed form.
    title:
        Figure title (default: the plane and its m(angle)).
    dpi:
        Resolution.

    Returns
    -------
    pathlib.Path of the PNG on rank 0; None on other MPI ranks.

    Raises
    ------
    ValueError
        Unknown ``plane`` (the message lists the valid ones), mismatched shapes, a path not
        ending in ``.png``.
    """
    if plane not in PLANES:
        raise ValueError(f"unknown rotation plane {plane!r}; use 'alpha' (xy), 'beta' (yz) "
                         f"or 'gamma' (xz)")
    png = _png(png)
    if not _rank0():
        return None
    ang = np.asarray(angles_deg, dtype=float).ravel()
    rxx = _columns(R_xx, len(ang), "R_xx")[0]
    rxy = None if R_xy is None else _columns(R_xy, len(ang), "R_xy")[0]
    fine = np.linspace(ang.min(), ang.max(), 361) if len(ang) else ang
    cf_xx = cf_xy = None
    cf_ang = ang
    if callable(closed_form):
        cf_ang = fine
        cf_xx, cf_xy = closed_form(fine)
    elif closed_form is not None:
        try:
            cf_xx, cf_xy = closed_form
        except (TypeError, ValueError):
            raise ValueError("smr_angular: closed_form must be a callable f(angles_deg) -> "
                             "(R_xx, R_xy) or a pair (R_xx_cf, R_xy_cf)") from None
    cf_xx = None if cf_xx is None else _columns(cf_xx, len(cf_ang), "closed_form R_xx")[0]
    cf_xy = None if cf_xy is None else _columns(cf_xy, len(cf_ang), "closed_form R_xy")[0]
    ref = float(np.mean(rxx))
    sym, note, _ = PLANES[plane]

    def scaled(y, shift):
        return (y - shift) / ref if relative else y - shift

    series_xx = [scaled(rxx, ref)] + ([scaled(cf_xx, ref)] if cf_xx is not None else [])
    series_xy = ([scaled(rxy, 0.0)] if rxy is not None else []) + \
        ([scaled(cf_xy, 0.0)] if cf_xy is not None else [])
    u = "1" if relative else unit
    div_xx, u_xx = readable_unit(max(float(np.max(np.abs(s))) for s in series_xx), u,
                                 mathtext=True)
    div_xy, u_xy = readable_unit(max([float(np.max(np.abs(s))) for s in series_xy] + [0.0]), u,
                                 mathtext=True)
    panels = 2 if rxy is not None else 1
    fig = _figure(figsize=(5.2 * panels, 4.2))
    axes = [fig.add_subplot(1, panels, k + 1) for k in range(panels)]
    data_label, cf_label = labels
    r_text = f"{ref:.6g} {unit}"
    ylab_xx = (r"$(R_{xx}-\bar R_{xx})/\bar R_{xx}$" if relative else r"$R_{xx}-\bar R_{xx}$")
    ylab_xy = (r"$R_{xy}/\bar R_{xx}$" if relative else r"$R_{xy}$")
    for ax, data, cf, div, uu, ylab in (
            (axes[0], series_xx[0], series_xx[1] if cf_xx is not None else None, div_xx, u_xx,
             ylab_xx),
            *([(axes[1], series_xy[0], series_xy[1] if cf_xy is not None else None, div_xy,
                u_xy, ylab_xy)] if rxy is not None else [])):
        if cf is not None:
            ax.plot(cf_ang, cf / div, "-", color="black", lw=1.3, label=cf_label)
        ax.plot(ang, data / div, "o", color=_COLORS[0], ms=5, label=data_label)
        ax.axhline(0.0, color="0.6", lw=0.6, zorder=0)
        ax.set_xlabel(f"{sym} (deg)")
        ax.set_ylabel(_axis_label(ylab, uu))
        span = ang.max() - ang.min() if len(ang) else 0
        if span >= 180:
            ax.set_xticks(np.arange(np.ceil(ang.min() / 90) * 90, ang.max() + 1, 90))
        _legend(ax)
    axes[0].set_title(rf"longitudinal ($\bar R_{{xx}}$ = {r_text})", fontsize=10)
    if rxy is not None:
        axes[1].set_title("transverse", fontsize=10)
    fig.suptitle(title if title is not None else f"SMR, {plane} scan: {note}", fontsize=11)
    fig.tight_layout()
    return _save(fig, png, dpi)


def thickness_scan(d, values, png, *, closed_form=None, ylabel: str = "value",
                   yunit: str | None = None, xlabel: str = "thickness d",
                   xunit: str | None = "m", labels=None, closed_form_label: str = "closed form",
                   log: bool | str = False, title: str | None = None, dpi: int = 150):
    """Plot observables against a film thickness (FEM points, closed form lines).

    Parameters
    ----------
    d:
        Thicknesses, shape (n,), in ``xunit`` (metres by default; the axis shows nm).
    values:
        Shape (n,) or (n, k) or a sequence of k (n,) arrays, in ``yunit``.
    png:
        Output ``.png`` (atomic write).
    closed_form:
        A callable f(d) -> (m,) or (m, k) (evaluated on 300 thicknesses from 0.8·min(d) to
        1.1·max(d), logarithmically spaced with a log x axis), an array at ``d``, or a pair
        ``(d_cf, values_cf)``.
    ylabel, yunit:
        Axis name and unit of the values (``yunit=None``: shown as is, e.g. for Δρ₁/ρ).
    xlabel, xunit:
        Axis name and unit of ``d``.
    labels:
        Legend labels of the data curves.
    closed_form_label:
        Legend text of the reference (one curve), or prefix of "label (closed form)".
    log:
        False, True/``"y"`` (log y axis), ``"x"`` or ``"both"``.
    title:
        Axes title.
    dpi:
        Resolution.

    Returns
    -------
    pathlib.Path of the PNG on rank 0; None on other MPI ranks.

    Raises
    ------
    ValueError
        Mismatched shapes, an unknown ``log`` option, non-positive values (data or closed
        form) on a log axis (plot −values or |values| and say so in the label), a path not
        ending in ``.png``.
    """
    if log not in (False, True, "x", "y", "both", None):
        raise ValueError(f"log must be False, True, 'x', 'y' or 'both', got {log!r}")
    png = _png(png)
    if not _rank0():
        return None
    logx = log in ("x", "both")
    logy = log in (True, "y", "both")
    d = np.asarray(d, dtype=float).ravel()
    cols = _columns(values, len(d), "thickness_scan")
    names = _labels(labels, len(cols), "FEM")
    lo, hi = (0.8 * d.min(), 1.1 * d.max()) if len(d) else (0.0, 1.0)
    fine = np.geomspace(max(lo, 1e-300), hi, 300) if logx or lo > 0 and hi / lo > 30 \
        else np.linspace(lo, hi, 300)
    ref = _closed_form_curves(closed_form, d, fine, len(cols), "thickness_scan")
    if logy:
        for c in cols + (ref[1] if ref else []):
            if np.any(np.asarray(c) <= 0):
                raise ValueError("thickness_scan: a log y axis needs positive values; plot "
                                 "-values or abs(values) (and say so in ylabel/labels)")
    if logx and np.any(d <= 0):
        raise ValueError("thickness_scan: a log x axis needs positive thicknesses")
    xdiv, xu = readable_unit(np.max(np.abs(d)) if len(d) else 0.0, xunit) if xunit \
        else (1.0, None)
    if logy or yunit is None:
        ydiv, yu = 1.0, yunit
    else:
        ymax = max([np.nanmax(np.abs(c)) for c in cols] +
                   ([np.nanmax(np.abs(c)) for c in ref[1]] if ref else []))
        ydiv, yu = readable_unit(ymax, yunit, mathtext=True)
    fig = _figure(figsize=(6.4, 4.4))
    ax = fig.add_subplot()
    markers = "osD^v<>"
    if ref is not None:
        for i, c in enumerate(ref[1]):
            if len(ref[1]) == 1:
                style, lab = dict(color="black"), closed_form_label
            else:
                style = dict(color=_COLORS[i % len(_COLORS)])
                lab = f"{names[i]} ({closed_form_label})"
            ax.plot(ref[0] / xdiv, c / ydiv, "-", lw=1.4, label=lab, **style)
    for i, (c, name) in enumerate(zip(cols, names)):
        ax.plot(d / xdiv, c / ydiv, markers[i % len(markers)], ms=6, mfc="none", mew=1.6,
                color=_COLORS[i % len(_COLORS)], label=name)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(_axis_label(xlabel, xu))
    ax.set_ylabel(_axis_label(ylabel, yu))
    if title:
        ax.set_title(title)
    ax.grid(True, which="major", color="0.9", lw=0.6)
    _legend(ax)
    fig.tight_layout()
    return _save(fig, png, dpi)
