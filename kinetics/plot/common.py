"""Shared machinery of :mod:`kinetics.plot`: off-screen rendering, MPI, atomic files, units.

Off-screen rendering
--------------------
The VTK of Debian (and of most Linux distributions and the pip wheels before VTK 9.4)
renders through X11 only: without an X server, creating a render window aborts the process.
:func:`ensure_display` therefore, on Linux, checks that ``$DISPLAY`` names an X server that
accepts connections; if there is none, it starts a private ``Xvfb`` (``-displayfd`` picks a
free display number, so concurrent processes do not collide), points ``DISPLAY`` to it and
stops it when Python exits (or when the parent dies).  ``xvfb-run -a`` around the command
works as well and is then simply used.  When neither a display nor Xvfb is available a
:class:`RuntimeError` says what to install.  VTK builds that render without X (EGL, OSMesa;
VTK >= 9.4 falls back to them at run time) need nothing.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import math
import os
import shutil
import signal
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np

from kinetics.output.grid import atomic_write, root_call, world_comm

__all__ = ["ensure_display", "display_available", "readable_unit", "font_file",
           "atomic_write", "root_call", "world_comm"]

_XVFB: subprocess.Popen | None = None


def _x_server_reachable() -> bool | None:
    """True/False whether ``$DISPLAY`` accepts an X connection; None if libX11 is missing."""
    if not os.environ.get("DISPLAY"):
        return False
    name = ctypes.util.find_library("X11")
    if name is None:
        return None
    try:
        x11 = ctypes.CDLL(name)
    except OSError:
        return None
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    handle = x11.XOpenDisplay(None)
    if not handle:
        return False
    x11.XCloseDisplay(handle)
    return True


def display_available() -> bool:
    """Whether an interactive window can be opened (a reachable X display; macOS/Windows:
    always).  A display started by :func:`ensure_display` (Xvfb) does not count."""
    if not sys.platform.startswith("linux"):
        return True
    return _XVFB is None and bool(_x_server_reachable())


def _vtk_needs_x() -> bool:
    """Whether this VTK renders through X11 only (no EGL/OSMesa window, VTK < 9.4)."""
    import vtkmodules.vtkRenderingOpenGL2  # noqa: F401 - registers the render-window factory
    from vtkmodules.vtkCommonCore import vtkVersion
    from vtkmodules.vtkRenderingCore import vtkRenderWindow
    name = vtkRenderWindow().GetClassName()
    if name in ("vtkEGLRenderWindow", "vtkOSOpenGLRenderWindow"):
        return False
    return (vtkVersion.GetVTKMajorVersion(), vtkVersion.GetVTKMinorVersion()) < (9, 4)


def _set_pdeathsig():  # runs in the child before exec (Linux): die with the parent
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - best effort
        pass


def _stop_xvfb() -> None:
    global _XVFB
    proc, _XVFB = _XVFB, None
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _start_xvfb(exe: str) -> str:
    """Start ``Xvfb`` on a free display; return the display name (``":N"``)."""
    global _XVFB
    read_fd, write_fd = os.pipe()
    try:
        proc = subprocess.Popen([exe, "-displayfd", str(write_fd), "-screen", "0", "3200x2400x24",
                                 "-nolisten", "tcp"], pass_fds=(write_fd,),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                preexec_fn=_set_pdeathsig)
    finally:
        os.close(write_fd)
    data = b""
    with os.fdopen(read_fd, "rb") as pipe:
        while not data.endswith(b"\n"):
            chunk = pipe.read(1)
            if not chunk:
                break
            data += chunk
    if proc.poll() is not None or not data.strip().isdigit():
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        raise RuntimeError(f"{exe} did not start (exit code {proc.returncode}); off-screen "
                           f"rendering needs an X server: run the command under xvfb-run -a")
    _XVFB = proc
    atexit.register(_stop_xvfb)
    return f":{data.decode().strip()}"


def ensure_display() -> str:
    """Make VTK rendering possible in this process (see the module docstring).

    Returns
    -------
    ``"native"`` (not Linux, or a VTK that renders without X), ``"display"`` (``$DISPLAY``
    works) or ``"xvfb"`` (a private Xvfb was started, or had been).

    Raises
    ------
    RuntimeError
        No reachable X display, VTK needs one and Xvfb is not installed (install the
        ``xvfb`` package, run under ``xvfb-run -a``, or use a VTK built with EGL/OSMesa).
    """
    if not sys.platform.startswith("linux"):
        return "native"
    if _XVFB is not None and _XVFB.poll() is None:
        return "xvfb"
    reachable = _x_server_reachable()
    if reachable or reachable is None and os.environ.get("DISPLAY"):
        return "display"
    if not _vtk_needs_x():
        return "native"
    exe = shutil.which("Xvfb")
    if exe is None:
        where = f"DISPLAY={os.environ['DISPLAY']!r} is not reachable" \
            if os.environ.get("DISPLAY") else "no DISPLAY is set"
        raise RuntimeError(f"cannot render pictures: {where} and Xvfb is not installed. "
                           f"Install xvfb (Debian: apt install xvfb), run the command under "
                           f"'xvfb-run -a', or use a VTK built with EGL/OSMesa")
    os.environ["DISPLAY"] = _start_xvfb(exe)
    return "xvfb"


def font_file() -> str | None:
    """Path of a TrueType font with Greek letters, sub/superscripts and µ (DejaVu Sans, as
    shipped with matplotlib), for VTK text; None if none is found."""
    global _FONT
    if _FONT is False:
        try:
            from matplotlib import font_manager
            path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"),
                                         fallback_to_default=True)
            _FONT = path if path and Path(path).is_file() else None
        except Exception:  # noqa: BLE001 - fall back to VTK's own font
            _FONT = None
    return _FONT


_FONT: str | None | bool = False

_PREFIXES = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, ""), (1e-3, "m"),
             (1e-6, "µ"), (1e-9, "n"), (1e-12, "p"), (1e-15, "f")]
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def readable_unit(max_abs: float, unit: str, *, mathtext: bool = False) -> tuple[float, str]:
    """A divisor and a unit label that make ``max_abs`` (in ``unit``) read as 1-999.

    Simple units (``V``, ``m``, ``Ω``, ``A``, ``s``, ``W``, ``J``, ``Hz``) take an SI prefix
    (1.5e-5 V -> (1e-6, "µV")); compound units (with ``/`` or ``²``) a power of ten
    (1.2e11 A/m² -> (1e11, "10¹¹ A/m²"), or ``$10^{11}$ A/m²`` with ``mathtext``).
    Dimensionless (``unit`` "" or "1") values get a power of ten only outside [1e-2, 1e3).

    Returns
    -------
    (divisor, label): plot ``values / divisor`` with the axis unit ``label``.
    """
    max_abs = float(abs(max_abs)) if np.isfinite(max_abs) else 0.0
    simple = unit in ("V", "m", "Ω", "A", "s", "W", "J", "Hz", "S")
    if max_abs == 0.0:
        return 1.0, unit
    if simple:
        for factor, prefix in _PREFIXES:
            if max_abs >= factor * 0.9995:
                return factor, prefix + unit
        return _PREFIXES[-1][0], _PREFIXES[-1][1] + unit
    exp = int(math.floor(math.log10(max_abs) + 1e-9))
    if unit in ("", "1"):
        if -2 <= exp < 3:
            return 1.0, unit
    elif exp == 0:
        return 1.0, unit
    power = f"$10^{{{exp}}}$" if mathtext else f"10{str(exp).translate(_SUPERSCRIPT)}"
    return 10.0 ** exp, f"{power} {unit}".strip() if unit not in ("", "1") else power


def warn_no_window():
    warnings.warn("show=True: no display to open a window on; the picture was written to "
                  "the PNG only", RuntimeWarning, stacklevel=3)
