"""``[[measure.layer_torque]]``: the spin-transfer torque on a ferromagnetic layer from a case
file equals kinetics.observables_ferromagnet.layer_torque on the same problem built in
Python (a 1D Co/Cu/Co stack with non-collinear magnets, which also checks that a 1D case
runs: fields.bp and results.json, no .vtu); bad entries are errors before meshing."""

import numpy as np
import pytest
from mpi4py import MPI

import kinetics
from kinetics import observables_ferromagnet as obf
from kinetics.case import CaseError, parse_case
from kinetics.geometry import layered_box
from kinetics.models.spin_charge import SpinChargeProblem
from kinetics.physics.boundaries import Contact
from kinetics.runner import Progress, run_case

LAYERS = [("fixed", 20e-9, 40), ("spacer", 5e-9, 10), ("free", 3e-9, 12)]
TEXT = """
[geometry]
builder = "layered_box"
lengths = [1.0]
cells = [1]
axes = "x"
layers = [["fixed", 20e-9, 40], ["spacer", 5e-9, 10], ["free", 3e-9, 12]]

[materials]
fixed = { base = "Co", m = [0.0, 0.0, 1.0] }
spacer = { base = "Cu", theta_sh = 0.0 }
free = { base = "Co", m = [0.6, 0.0, 0.8] }

[boundaries.xmin]
type = "contact"
V = 1e-3

[boundaries.xmax]
type = "contact"
V = 0.0

[[measure.layer_torque]]
region = "free"
polarization = [0.0, 0.0, 1.0]
"""


def test_case_layer_torque_equals_the_python_api(tmp_path):
    res = run_case(parse_case(TEXT, "stack.toml"), tmp_path / "out", MPI.COMM_SELF,
                   Progress(MPI.COMM_SELF, False))
    got = res["base"]["layer_torque"]["free"]
    assert (tmp_path / "out" / "fields.bp").is_dir() and not (tmp_path / "out" / "fields.vtu").exists()
    co, cu = kinetics.materials.get("Co"), kinetics.materials.get("Cu").with_(theta_sh=0.0)
    dev = layered_box([1.0], [1], LAYERS, axes="x", comm=MPI.COMM_SELF)
    sol = SpinChargeProblem(dev, {"fixed": co.with_(m=(0, 0, 1)), "spacer": cu,
                                  "free": co.with_(m=(0.6, 0.0, 0.8))},
                            [Contact("xmin", V=1e-3), Contact("xmax", V=0.0)]).solve()
    ref = obf.layer_torque(sol, "free", (0.0, 0.0, 1.0))
    assert abs(ref["tau_DL"]) > 1e-3 * np.linalg.norm(ref["torque_density"])
    assert got["tau_DL_J_per_m2"] == pytest.approx(ref["tau_DL"], rel=1e-10)
    assert got["tau_FL_J_per_m2"] == pytest.approx(ref["tau_FL"], rel=1e-8, abs=1e-12 * abs(
        ref["tau_DL"]))
    assert np.allclose(got["torque_density_J_per_m2"], ref["torque_density"], rtol=1e-10,
                       atol=1e-12 * abs(ref["tau_DL"]))
    assert got["angle_rad"] == pytest.approx(np.arccos(0.8), rel=1e-12)


@pytest.mark.parametrize("old, new, expected", [
    ('region = "free"', 'region = "spacer"', "'spacer' is not ferromagnetic"),
    ('polarization = [0.0, 0.0, 1.0]', 'polarization = [0.0, 0.0, 0.0]', "polarization"),
    ('polarization = [0.0, 0.0, 1.0]',
     'polarization = [0.0, 0.0, 1.0]\narea = 1e-12\narea_facet = "xmin"', "not both"),
    ('lengths = [1.0]\ncells = [1]\naxes = "x"',
     'lengths = [10e-9, 1.0]\ncells = [2, 1]\naxes = "yx"', "needs the layer's area"),
    ("[[measure.layer_torque]]", "[output]\npictures = true\n\n[[measure.layer_torque]]",
     "pictures need a 2D or 3D device"),
])
def test_bad_layer_torque_entries_are_errors_before_meshing(old, new, expected):
    assert old in TEXT
    with pytest.raises(CaseError) as info:
        parse_case(TEXT.replace(old, new), "stack.toml")
    assert expected in str(info.value)
