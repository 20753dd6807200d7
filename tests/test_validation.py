"""Bad input gets a clear error before any solve."""

import math

import numpy as np
import pytest

import kinetics
from kinetics.geometry import layered_box
from kinetics.materials import Material, kappa_from_lifshits_dyakonov
from kinetics.physics.boundaries import Contact, CurrentContact, MagneticInterface
from kinetics.models.spin_charge import SpinChargeProblem
from kinetics.solvers.linear import SolverError


@pytest.fixture(scope="module")
def device():
    return layered_box([10e-9, 5e-9, 4e-9], [2, 2, 4], layers=[("pt", 3e-9, 3), ("cu", 1e-9, 1)])


def mats():
    return {"pt": kinetics.materials.get("Pt"), "cu": kinetics.materials.get("Cu")}


def test_material_validation_messages():
    with pytest.raises(ValueError, match="sigma must be positive"):
        Material("X", sigma=-1.0, lambda_sf=1e-9)
    with pytest.raises(ValueError, match="lambda_sf must be positive"):
        Material("X", sigma=1e6, lambda_sf=0.0)
    with pytest.raises(ValueError, match="shape"):
        Material("X", sigma=1e6, lambda_sf=1e-9, gauge_field=np.zeros((2, 3)))
    with pytest.raises(TypeError, match="number"):
        Material("X", sigma="a lot", lambda_sf=1e-9)
    with pytest.raises(KeyError, match="known materials: .*Pt"):
        kinetics.materials.get("Platinum")
    with pytest.raises(TypeError, match="unknown parameter"):
        kinetics.materials.get("Pt", lamda_sf=1e-9)
    assert kinetics.materials.get("pt", theta_sh=0.08).theta_sh == 0.08
    assert Material("X", sigma=1e6, lambda_sf=math.inf).lambda_sf == math.inf


def test_unknown_region_and_missing_material(device):
    with pytest.raises(KeyError, match="unknown region 'ta'.*cu, pt"):
        SpinChargeProblem(device, {**mats(), "ta": kinetics.materials.get("Ta")}, [Contact("xmin")])
    with pytest.raises(ValueError, match=r"\['cu'\] have no material"):
        SpinChargeProblem(device, {"pt": kinetics.materials.get("Pt")}, [Contact("xmin")])


def test_unknown_boundary_and_missing_interface(device):
    with pytest.raises(KeyError, match="unknown boundary 'pt|yig'"):
        SpinChargeProblem(device, mats(), [Contact("xmin"), MagneticInterface("pt|yig", G_r=1e14)])
    with pytest.raises(ValueError, match="interior facets"):
        SpinChargeProblem(device, mats(), [Contact("xmin"), MagneticInterface("pt|cu", G_r=1e14)])


def test_magnetization_must_be_unit(device):
    with pytest.raises(ValueError, match=r"unit vector.*\|m\| = 2"):
        MagneticInterface("zmin", G_r=1e14, m=(0, 0, 2))
    problem = SpinChargeProblem(device, mats(), [Contact("xmin"), MagneticInterface("zmin", G_r=1e14)])
    with pytest.raises(ValueError, match="unit vector"):
        problem.set_magnetization("zmin", (1, 1, 0))
    with pytest.raises(KeyError, match="not a magnetic interface"):
        problem.set_magnetization("xmin", (1, 0, 0))


def test_conditions_are_validated(device):
    with pytest.raises(ValueError, match="G_r and G_s must be >= 0"):
        MagneticInterface("zmin", G_r=-1.0)
    with pytest.raises(ValueError, match="rotation"):
        MagneticInterface("zmin", G_r=1.0, rotation=2 * np.eye(3))
    with pytest.raises(ValueError, match="spin must be"):
        Contact("xmin", spin="transparent")
    with pytest.raises(ValueError, match="no Contact fixes the potential"):
        SpinChargeProblem(device, mats(), [CurrentContact("xmin", current=1e-6)])
    with pytest.raises(ValueError, match="more than one condition"):
        SpinChargeProblem(device, mats(), [Contact("xmin"), Contact("xmin", V=1.0)])
    with pytest.raises(ValueError, match="degree"):
        SpinChargeProblem(device, mats(), [Contact("xmin")], degree=5)
    with pytest.raises(ValueError, match="unknown solver preset"):
        SpinChargeProblem(device, mats(), [Contact("xmin")], solver="magic")


def test_failed_solve_raises_with_petsc_reason(device):
    problem = SpinChargeProblem(device, mats(), [Contact("xmin", V=1.0), Contact("xmax")],
                                solver="iterative", petsc_options={"ksp_max_it": 1,
                                                                   "ksp_rtol": 1e-14})
    with pytest.raises(SolverError, match="DIVERGED_MAX_IT") as info:
        problem.solve()
    assert info.value.reason == "DIVERGED_MAX_IT"


def test_swapping_convention_relation_to_lifshits_dyakonov():
    assert kappa_from_lifshits_dyakonov(0.3) == -0.3


def test_validators_bound_magnitudes_and_name_the_parameter():
    from kinetics import validation as v
    assert v.finite("o", "x", np.float32(2.0)) == 2.0
    assert v.positive("o", "x", 1e-30, limit=1e30) == 1e-30
    with pytest.raises(v.ValidationError, match=r"o: x must be finite and at most 1e\+100"):
        v.finite("o", "x", 1e308)
    with pytest.raises(v.ValidationError, match=r"x must be positive and in \[1e-30, 1e\+30\], got 1e-31"):
        v.positive("o", "x", 1e-31, limit=1e30)
    with pytest.raises(v.ValidationError, match=r"x must be >= 0 and finite, got -1"):
        v.nonnegative("o", "x", -1)
    with pytest.raises(TypeError, match=r"o: x must be a number, got True"):
        v.finite("o", "x", True)
    with pytest.raises(TypeError, match=r"o: x must be a number, got '1'"):
        v.finite("o", "x", "1")
    with pytest.raises(v.ValidationError, match=r"n must be 1, 2 or 3, got 2\.0"):
        v.integer("o", "n", 2.0, 1, 3)
    assert v.integer("o", "n", np.int32(2), 1, 3) == 2
    with pytest.raises(TypeError, match=r"flag must be True or False, got 1"):
        v.boolean("o", "flag", 1)
    with pytest.raises(TypeError, match=r"name must be a string, got None"):
        v.text("o", "name", None)
    with pytest.raises(v.ValidationError, match=r"A must be a finite array of shape \(3, 3\), got \[\[1, 2\], \[3\]\]"):
        v.array("o", "A", [[1, 2], [3]], (3, 3))
    with pytest.raises(v.ValidationError, match=r"m must be a finite 3-vector with entries at most 1e\+100"):
        v.vector3("o", "m", (1e200, 0, 0))
    with pytest.raises(v.ValidationError, match=r"m must be a unit vector, got the zero vector"):
        v.unit_vector("o", "m", (0, 0, 0))
