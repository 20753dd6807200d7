"""Compiler flags for the forms of the spin-charge operator (FFCx kernels built by CFFI).

dolfinx compiles generated kernels with ``-O2 -g0``.  The spin-charge element matrix
(16x16, 3x3 spin-current tensors) is arithmetic-bound, and ``-march=native`` makes its
assembly about 25 % faster on the benchmark film (docs/performance.md).  The flags enter
FFCx's cache key, and so does a tag of this CPU (model and instruction-set flags), so a
JIT cache shared between different machines never hands one of them a kernel built for
the other.  ``KINETICS_JIT_PORTABLE=1`` in the environment selects dolfinx's defaults.
"""

from __future__ import annotations

import functools
import hashlib
import os

__all__ = ["jit_options"]


@functools.lru_cache(maxsize=1)
def _cpu_tag() -> str:
    """A short hash of this CPU's model name and flags ("generic" when unknown)."""
    try:
        with open("/proc/cpuinfo") as fh:
            lines = [ln for ln in fh if ln.startswith(("model name", "flags", "Features"))]
    except OSError:
        return "generic"
    key = "".join(sorted(set(lines)))
    return hashlib.sha1(key.encode()).hexdigest()[:12] if key else "generic"


def jit_options() -> dict:
    """``jit_options`` for :func:`dolfinx.fem.form`: ``-O2 -g0 -march=native`` tagged with
    the CPU, or ``{}`` (dolfinx's defaults) when ``KINETICS_JIT_PORTABLE`` is set or the
    CPU cannot be identified."""
    tag = _cpu_tag()
    if os.environ.get("KINETICS_JIT_PORTABLE", "") not in ("", "0") or tag == "generic":
        return {}
    return {"cffi_extra_compile_args": ["-O2", "-g0", "-march=native",
                                        f"-DKINETICS_CPU_{tag}"]}
