"""The ``[texture_voltage]`` section of the case files (kinetics.models.texture_voltage_case,
seed 002 / issue 17): the example case gives the Python API's numbers to 1e-10, and every bad
input of the section is a CaseError naming the key, before meshing."""

import math
import re
from pathlib import Path

import numpy as np
import pytest
from mpi4py import MPI

import kinetics
from kinetics.case import CaseError, load_case, parse_case
from kinetics.runner import Progress, run_case

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "texture_domain_wall_voltage.toml"
TEXT = CASE.read_text()


def test_example_case_equals_the_python_api(tmp_path):
    """kinetics run of the example = TextureVoltage built by hand (same mesh, regions, wall)
    to 1e-10 for every contribution of V_oc and I_sc, and the conductance."""
    from kinetics.geometry import stack
    from kinetics.models.texture import ElectronGas
    from kinetics.models.texture_charge import ChargeRegion, TextureVoltage
    from kinetics.physics.texture.walls import precessing_domain_wall
    res = run_case(load_case(CASE), tmp_path / "out", MPI.COMM_SELF,
                   Progress(MPI.COMM_SELF, False))["texture_voltage"]
    dev = stack([("fm", 2e-9), ("pt", 4e-9)], [400e-9], dim=2, h=10e-9, cells_across=2,
                comm=MPI.COMM_SELF)
    pt = kinetics.materials.get("Pt")
    regions = {"fm": ChargeRegion(gas=ElectronGas(nu=1e47, J=1e-21, tau=1e-14, D=1e-3),
                                  lambda_sf=5e-9, E_so=(0.0, 0.0, 1e-30), lambda_so=1e-20),
               "pt": ChargeRegion(sigma=pt.sigma, lambda_sf=pt.lambda_sf, theta_sh=pt.theta_sh)}
    wall = precessing_domain_wall(axis=(0, 1, 0), normal=(1, 0, 0), center=200e-9, width=20e-9,
                                  Omega=2 * math.pi * 2e9)
    ref = TextureVoltage(dev, regions, wall, ground="pt_xmin", probe="pt_xmax", degree=2,
                         samples=16, backaction=True).solve()
    assert res["backaction"] is True and "I_sc_A_per_m" in res
    for k in ("diffusive", "rashba", "total"):
        assert res["V_oc_V"][k] == pytest.approx(ref.V[k], rel=1e-10)
        assert res["I_sc_A_per_m"][k] == pytest.approx(ref.I[k], rel=1e-10)
    assert abs(res["V_oc_V"]["impurity"]) < 1e-8 * abs(ref.V["total"])   # no net current
    assert res["conductance_S_per_m"] == pytest.approx(ref.conductance, rel=1e-10)
    assert res["V_oc_V"]["diffusive"] > 0 and res["V_oc_V"]["rashba"] > 0


def test_a_precessing_case_equals_the_python_api(tmp_path):
    """texture = "precession" (a spin wave, one-way conversion, a reservoir, degree 1) through
    kinetics run = TextureVoltage with precessing_texture, to 1e-10."""
    from kinetics.geometry import stack
    from kinetics.models.texture import ElectronGas
    from kinetics.models.texture_charge import ChargeRegion, TextureVoltage
    from kinetics.physics.texture.sources import precessing_texture
    text = TEXT
    for old, new in (('texture = "domain_wall"', 'texture = "precession"\ncone_angle_deg = 20.0\n'
                                                 'wavevector = [3e7, 0.0, 0.0]\ndegree = 1\n'
                                                 'spin_reservoirs = ["fm_bottom"]'),
                     ("wall_normal = [1.0, 0.0, 0.0]\n", ""), ("wall_center = 200e-9\n", ""),
                     ("wall_width = 20e-9\n", ""), ("backaction = true", "backaction = false")):
        text = _sub(text, old, new)
    res = run_case(parse_case(text, str(CASE), CASE.parent), tmp_path / "out", MPI.COMM_SELF,
                   Progress(MPI.COMM_SELF, False))["texture_voltage"]
    dev = stack([("fm", 2e-9), ("pt", 4e-9)], [400e-9], dim=2, h=10e-9, cells_across=2,
                comm=MPI.COMM_SELF)
    pt = kinetics.materials.get("Pt")
    regions = {"fm": ChargeRegion(gas=ElectronGas(nu=1e47, J=1e-21, tau=1e-14, D=1e-3),
                                  lambda_sf=5e-9, E_so=(0.0, 0.0, 1e-30), lambda_so=1e-20),
               "pt": ChargeRegion(sigma=pt.sigma, lambda_sf=pt.lambda_sf, theta_sh=pt.theta_sh)}
    tex = precessing_texture(axis=(0, 1, 0), cone_angle=math.radians(20.0),
                             Omega=2 * math.pi * 2e9, wavevector=(3e7, 0, 0))
    ref = TextureVoltage(dev, regions, tex, ground="pt_xmin", probe="pt_xmax", degree=1,
                         spin_reservoirs=["fm_bottom"]).solve()
    assert res["backaction"] is False
    for k in ("diffusive", "rashba", "total"):
        assert res["V_oc_V"][k] == pytest.approx(ref.V[k], rel=1e-10)
    bal = np.array(res["spin_balance_A_per_m"])
    assert np.allclose(bal, ref.spin_balance, rtol=1e-10, atol=1e-12 * ref.spin_balance.max())


def test_the_docs_have_the_region_table():
    from kinetics.models.texture_voltage_case import doc_tables
    docs = (ROOT / "docs" / "case_files.md").read_text()
    for title, table in doc_tables().items():
        assert table in docs, f"docs/case_files.md lacks the table of {title}:\n{table}"


def _sub(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


FM_SOC = ('E_so = [0.0, 0.0, 1e-30]              # Rashba vector, J m\n'
          'lambda_so = 1e-20                     # impurity SOC, m^2\n')
PT = 'material = "Pt"                       # sigma, lambda_sf, theta_sh of the library\n'
BAD = [
    # the case: a texture coupled to regions without a conversion mechanism
    ((FM_SOC, ""), (PT, "sigma = 2.4e6\nlambda_sf = 1.5e-9\n"),
     r"\[texture_voltage\.regions\] the texture in fm is coupled to regions without a "
     r"conversion mechanism"),
    (("nu = 1e47 ", "# nu"), ("J = 1e-21 ", "# J"), ("tau = 1e-14 ", "# tau"),
     ("D = 1e-3 ", "# D"), (FM_SOC, "sigma = 5e6\n"),
     r"\[texture_voltage\.regions\] no textured region"),
    (("tau = 1e-14 ", "# tau"), r"\[texture_voltage\.regions\.fm\] a textured region needs all "
                                r"of nu, J, tau, D .*missing tau"),
    (("lambda_sf = 5e-9\n", 'lambda_sf = 5e-9\nmaterial = "Cu"\n'),
     r"\[texture_voltage\.regions\.fm\] material and a gas .* exclude each other"),
    ((PT, 'material = "Ptt"\n'), r"\[texture_voltage\.regions\.pt\.material\] unknown material "
                                 r"'Ptt'; valid: .*did you mean 'Pt'"),
    ((PT, 'material = "Py"\n'), r"\[texture_voltage\.regions\.pt\.material\] unknown material "
                                r"'Py'"),
    ((PT, PT + "E_so = [0.0, 0.0, 1e-30]\n"),
     r"\[texture_voltage\.regions\.pt\] .*E_so must be None in a region without a texture"),
    (("lambda_sf = 5e-9\n", "lambda_sf = 5e-9\nsigma = 1e6\n"),
     r"\[texture_voltage\.regions\.fm\] .*sigma must be equal to 2 e\^2 nu D"),
    (("[texture_voltage.regions.pt]", "[texture_voltage.regions.cu]"),
     r"\[texture_voltage\.regions\.cu\] unknown region 'cu'; regions of the device: fm, pt"),
    (("[texture_voltage.regions.pt]", "[texture_voltage.regions.cu]"),
     r"\[texture_voltage\.regions\] region\(s\) pt have no \[texture_voltage\.regions\.NAME\]"),
    ((PT, PT + "colour = 1\n"), r"\[texture_voltage\.regions\.pt\.colour\] unknown key 'colour'"),
    ((PT, PT + "theta_sh = 1.5\n"), r"\[texture_voltage\.regions\.pt\.theta_sh\] must be a "
                                    r"number in \[-1, 1\]"),
    (('probe = "pt_xmax"', 'probe = "pt_xmin"'),
     r"\[texture_voltage\.probe\] must be a facet other than ground"),
    (('probe = "pt_xmax"', 'probe = "pt_xmx"'),
     r"\[texture_voltage\.probe\] unknown facet name 'pt_xmx'.*did you mean 'pt_xmax'"),
    (("wall_width = 20e-9\n", "wall_width = 20e-9\ncone_angle_deg = 10.0\n"),
     r"\[texture_voltage\.cone_angle_deg\] is not used by texture = \"domain_wall\""),
    (("wall_width = 20e-9\n", ""), r"\[texture_voltage\.wall_width\] required for texture = "
                                   r"\"domain_wall\""),
    (('texture = "domain_wall"', 'texture = "precession"'),
     r"\[texture_voltage\.cone_angle_deg\] required for texture = \"precession\""),
    (('texture = "domain_wall"', 'texture = "wall"'), r"\[texture_voltage\.texture\] unknown "
                                                     r"texture 'wall'"),
    (("wall_width = 20e-9\n", "wall_width = 20e-9\nwall_polarity = 0\n"),
     r"\[texture_voltage\.wall_polarity\] must be \+1 or -1"),
    (("frequency_Hz = 2e9 ", "frequency_Hz = 0.0 "), r"\[texture_voltage\.frequency_Hz\] must be"),
    (("lambda_sf = 5e-9\n", ""), (PT, PT + "lambda_sf = inf\n"),
     r"\[texture_voltage\.spin_reservoirs\] no steady state"),
    (("[texture_voltage.regions.pt]", '[materials]\npt = "Pt"\n\n[texture_voltage.regions.pt]'),
     r"\[materials\] is not used by \[texture_voltage\]"),
]


@pytest.mark.parametrize("case", BAD, ids=[str(i) for i in range(len(BAD))])
def test_bad_input_is_a_clear_error_before_meshing(case):
    *edits, pattern = case
    text = TEXT
    for old, new in edits:
        text = _sub(text, old, new)
    with pytest.raises(CaseError) as err:
        parse_case(text, "t.toml", ROOT / "cases")
    assert any(re.search(pattern, e) for e in err.value.errors), err.value.errors


def test_a_layered_box_probe_touching_the_ground_is_refused_before_meshing():
    text = _sub(TEXT, TEXT[TEXT.index("[geometry]"):TEXT.index("[texture_voltage]")],
                '[geometry]\nbuilder = "layered_box"\nlengths = [400e-9, 6e-9]\ncells = [40, 6]\n'
                'axes = "xz"\nlayers = [["fm", 2e-9, 2], ["pt", 4e-9, 4]]\n\n')
    ok = parse_case(text.replace('"pt_xmin"', '"xmin"').replace('"pt_xmax"', '"xmax"'), "t.toml",
                    ROOT / "cases")
    assert ok.model.section == "texture_voltage"
    with pytest.raises(CaseError, match=r"\[texture_voltage\.probe\] 'zmax' touches the ground "
                                        r"'xmin'.*use the opposite face xmax"):
        parse_case(text.replace('"pt_xmin"', '"xmin"').replace('"pt_xmax"', '"zmax"'), "t.toml",
                   ROOT / "cases")
