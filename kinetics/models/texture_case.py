"""Case-file glue of the seed-002 model (``[texture_pumping]``, :mod:`kinetics.models.texture`).

A precessing texture (optionally a spin wave) pumps spin into a disordered conductor; the
model is solved in the frequency domain and reported as device integrals over one period.
A model of its own: it needs only ``[geometry]`` (no materials or boundary conditions).
dolfinx is imported inside the run function only.
"""

from __future__ import annotations

import math

import numpy as np

from kinetics.case_schema import MAX_COUNT, Array, Integer, Number, String, Vector
from kinetics.models.registry import CaseModel, register

__all__ = ["TEXTURE_PUMPING", "texture_pumping", "run"]

def texture_pumping(spec: dict, device, progress) -> dict:
    """Solve the ``[texture_pumping]`` section on ``device``.

    Returns
    -------
    dict with ``times_s`` (s, ``samples`` instants of one period), ``device_integrals``
    (per instant: ``rho_s_J_s``, ``torque_J``, ``mu_s_J_m3``, each a 3-vector),
    ``period_average`` (their means) and ``units``.
    """
    from kinetics.models.texture import ElectronGas, TexturePumping
    from kinetics.physics.texture.sources import precessing_texture
    omega = 2 * math.pi * spec["frequency_Hz"]
    texture = precessing_texture(axis=tuple(spec.get("axis", (0.0, 0.0, 1.0))),
                                 cone_angle=math.radians(spec["cone_angle_deg"]), Omega=omega,
                                 wavevector=tuple(spec.get("wavevector", (0.0, 0.0, 0.0))))
    gas = ElectronGas(nu=spec["nu"], J=spec["J"], tau=spec["tau"], D=spec["D"])
    model = TexturePumping(device, gas, texture, degree=spec.get("degree", 1),
                           relaxation_time=spec.get("relaxation_time", math.inf),
                           reservoirs=spec.get("reservoirs", ()), E_so=spec.get("E_so"))
    progress.step("solving the seed-002 model in the frequency domain")
    response = model.frequency(harmonics=spec.get("harmonics", 1))
    n = spec.get("samples", 8)
    times = np.arange(n) / n * 2 * math.pi / omega
    series = {"rho_s_J_s": [], "torque_J": [], "mu_s_J_m3": []}
    for t in times:
        st = response.state(float(t))
        series["rho_s_J_s"].append(st.integrate(st.rho_s))
        series["torque_J"].append(st.integrate(st.torque))
        series["mu_s_J_m3"].append(st.integrate(st.mu_s))
    return {"times_s": times, "device_integrals": series,
            "period_average": {k: np.mean(v, axis=0) for k, v in series.items()},
            "units": {"rho_s_J_s": "J s (integral of the spin density)",
                      "torque_J": "J (integral of the torque density)",
                      "mu_s_J_m3": "J m^3 (integral of the spin accumulation energy)"}}


def run(case, device, context) -> dict:
    """Run function of ``[texture_pumping]``: results get ``texture_pumping`` (see
    :func:`texture_pumping`); no fields are written."""
    return {"texture_pumping": texture_pumping(case.get("texture_pumping"), device,
                                               context.progress)}


def _validate(case, spec: dict) -> None:
    # sections of the spin-charge models that this model would silently ignore
    if "solver" in case.data:
        case.report(("solver",), "is not used by [texture_pumping] (its element degree is "
                                 "[texture_pumping] degree; it solves with a direct solver): "
                                 "remove [solver]")
    if "measure" in case.data:
        case.report(("measure",), "[[measure.*]] are observables of the spin-charge models; "
                                  "[texture_pumping] reports device integrals: remove them")
    # the period average of S×Ṡ is ω sin²θ â ≠ 0: without relaxation or a reservoir the
    # averages grow without bound (DiffusionAverage raises "no steady state" after meshing)
    if math.isinf(spec.get("relaxation_time", math.inf)) and not spec.get("reservoirs"):
        case.report(("texture_pumping",), "no steady state: give relaxation_time (s) or "
                                          "reservoirs = [FACET, ...] (the pumped spin has "
                                          "nowhere to go otherwise; docs/pumping.md §2)")


#: the schema of [texture_pumping] (docs/case_files.md)
SCHEMA = {
    "frequency_Hz": Number(required=True, unit="Hz", lo=1.0, hi=1e15, description="Ω/2π"),
    "cone_angle_deg": Number(required=True, unit="deg", lo=1e-6, hi=90.0,
                             description="cone angle θ"),
    "axis": Vector(norm="unit", default=[0.0, 0.0, 1.0], description="precession axis â"),
    "wavevector": Vector(unit="1/m", max_norm=1e12, default=[0.0, 0.0, 0.0],
                         description="spin-wave vector k"),
    "nu": Number(required=True, unit="1/(J m^3)", lo=1e30, hi=1e60,
                 description="density of states per spin"),
    "J": Number(required=True, unit="J", lo=-1e-17, hi=1e-17, min_abs=1e-30,
                description="s-d exchange (non-zero)"),
    "tau": Number(required=True, unit="s", lo=1e-18, hi=1e-9, description="elastic lifetime"),
    "D": Number(required=True, unit="m^2/s", lo=1e-8, hi=1.0, description="diffusion constant"),
    "relaxation_time": Number(unit="s", lo=1e-18, hi=1.0, allow_inf=True, default=math.inf,
                              description="spin-flip time (`inf`: none, as in the paper)"),
    "reservoirs": Array(String(ref="facet"), unique=True, max_len=100,
                        description="facets where the averages vanish (spin reservoirs)"),
    "E_so": Vector(unit="J m", max_norm=1e-25, description="Rashba vector (spin-to-charge "
                                                           "conversion)"),
    "harmonics": Integer(lo=1, hi=7, default=1,
                         description="harmonics solved (the solver samples 16 instants: "
                                     "at most 7)"),
    "samples": Integer(lo=1, hi=MAX_COUNT, default=8, description="instants reported per "
                                                                   "period"),
    "degree": Integer(lo=1, hi=3, default=1, description="element degree"),
}

TEXTURE_PUMPING = register(CaseModel(name="texture_pumping", section="texture_pumping", run=run,
                                     needs=(), schema=SCHEMA, validate=_validate,
                                     bytes_per_cell=27e3))

# the seed-002 texture voltage ([texture_voltage]) registers itself on import
from kinetics.models import texture_voltage_case as _texture_voltage  # noqa: E402,F401
