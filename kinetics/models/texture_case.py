"""Case-file glue of the seed-002 model (``[texture_pumping]``, :mod:`kinetics.models.texture`).

A precessing texture (optionally a spin wave) pumps spin into a disordered conductor; the
model is solved in the frequency domain and reported as device integrals over one period.
A model of its own: it needs only ``[geometry]`` (no materials or boundary conditions).
dolfinx is imported inside the run function only.
"""

from __future__ import annotations

import math

import numpy as np

from kinetics import validation
from kinetics.case import check_unit_vector
from kinetics.models.registry import CaseModel, register

__all__ = ["TEXTURE_PUMPING", "texture_pumping", "run"]

#: keys that must be positive numbers
POSITIVE = ("frequency_Hz", "cone_angle_deg", "nu", "tau", "D")


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
    for key in POSITIVE:
        try:
            validation.positive("texture_pumping", key, spec[key])
        except ValueError:
            raise case.error(("texture_pumping", key), "required, a positive number") from None
    if "axis" in spec:
        check_unit_vector(case, ("texture_pumping", "axis"), spec["axis"])
    for key, lo, hi in (("harmonics", 1, None), ("samples", 1, None), ("degree", 1, 3)):
        if key in spec:
            try:
                validation.integer("texture_pumping", key, spec[key], lo, hi)
            except validation.ValidationError as exc:
                raise case.error(("texture_pumping", key), exc.brief()) from None


TEXTURE_PUMPING = register(CaseModel(
    name="texture_pumping", section="texture_pumping", run=run, needs=(),
    keys={"frequency_Hz": (int, float), "cone_angle_deg": (int, float), "axis": list,
          "wavevector": list, "nu": (int, float), "J": (int, float), "tau": (int, float),
          "D": (int, float), "relaxation_time": (int, float), "reservoirs": list,
          "E_so": list, "harmonics": int, "samples": int, "degree": int},
    required={**{k: "a positive number" for k in POSITIVE}, "J": "the s-d exchange constant (J)"},
    validate=_validate))
