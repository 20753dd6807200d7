"""results.json carries its provenance and units, and kinetics.io.load_results reads it back
(issue 15).  One small case run (a 4 nm Pt-Vlietstra film on YIG, 3-step sweep) is shared by
the tests of this module."""

import json
import os
import stat
import sys
from pathlib import Path

import numpy as np
import pytest

from kinetics import materials as lib
from kinetics.io import UNSPECIFIED, load_results, unit_of_key, units_map
from kinetics.output.provenance import code_version

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

CASE = (ROOT / "cases" / "pt_yig_film.toml").read_text() \
    .replace("steps = 9", "steps = 3").replace("pictures = true", "pictures = false") \
    .replace('pt = { base = "Pt-Vlietstra" }', 'pt = { base = "Pt-Vlietstra", theta_sh = 0.1 }') \
    .replace('interface = "Pt|YIG-Vlietstra"', 'interface = "Pt|YIG-Vlietstra"\nG_i = 1e13')


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from mpi4py import MPI

    from kinetics.case import parse_case
    from kinetics.runner import Progress, run_case
    base = tmp_path_factory.mktemp("io")
    case_file = base / "film.toml"
    case_file.write_text(CASE)
    case = parse_case(CASE, str(case_file), base)
    out = base / "out"
    old = os.umask(0o077)              # a private umask: the results are still world-readable
    try:
        run_case(case, out, MPI.COMM_SELF, Progress(MPI.COMM_SELF, enabled=False))
    finally:
        os.umask(old)
    return out


def test_results_keep_their_keys_and_gain_provenance(run):
    data = json.loads((run / "results.json").read_text())
    assert list(data)[:4] == ["case", "case_file", "ranks", "mesh"]
    for key in ("unknowns", "solver", "units", "base", "sweep", "smr_fit_Ohm", "wall_time_s"):
        assert key in data
    assert list(data)[-1] == "provenance"
    prov = data["provenance"]
    assert prov["run"]["ranks"] == 1 and prov["run"]["command"]
    assert prov["kinetics"] == __import__("kinetics").__version__
    assert prov["software"]["dolfinx"].startswith("0.9")


def test_resolved_materials_and_interfaces_with_sources(run):
    prov = load_results(run).provenance
    pt, vl = prov["materials"]["pt"], lib.get("Pt-Vlietstra")
    assert pt["library"] == "Pt-Vlietstra" and pt["overrides"] == ["theta_sh"]
    assert pt["sigma"] == vl.sigma == 4.3e6 and pt["lambda_sf"] == vl.lambda_sf == 1.1e-9
    assert pt["theta_sh"] == 0.1 != vl.theta_sh
    assert pt["source"] == vl.source and "Vlietstra" in pt["source"]
    iface = prov["interfaces"]["pt|yig"]
    assert (iface["G_r"], iface["G_i"], iface["G_s"]) == (7e14, 1e13, 0.0)
    assert iface["library"] == "Pt|YIG-Vlietstra" and iface["overrides"] == ["G_i"]
    assert iface["source"] == lib.interface("Pt|YIG-Vlietstra").source
    assert prov["degree"] == 1 and prov["solver"]["preset"] == "direct"


def test_mesh_sizes_and_field_states(run):
    prov = load_results(run).provenance
    sizes = prov["mesh_sizes"]
    assert sizes["regions"]["pt"] == pytest.approx(40e-9 * 20e-9 * 4e-9, rel=1e-12)
    assert sizes["facets"]["pt|yig"] == pytest.approx(40e-9 * 20e-9, rel=1e-12)
    assert sizes["facets"]["pt_xmin"] == pytest.approx(20e-9 * 4e-9, rel=1e-12)
    assert sizes["units"] == {"regions": "m^3", "facets": "m^2"}
    for name in ("fields.bp", "fields.vtu"):
        note = prov["fields"][name]
        assert note["state"] == ("spin_charge_sweep solution, [boundaries] as written: "
                                 "m = (0, 1, 0) at pt|yig (the base solve, before the [sweep] "
                                 "scans)")
        assert note["magnetizations"] == {"pt|yig": [0.0, 1.0, 0.0]}
        assert note["extent_m"][2] == pytest.approx([0.0, 4e-9], abs=1e-20)
        assert note["degree"] == 1 and note["unknowns"] == load_results(run)["unknowns"]


def test_every_number_has_a_unit(run):
    res = load_results(run)
    assert res.units == units_map(json.loads((run / "results.json").read_text()))
    assert not [k for k, u in res.units.items() if u == UNSPECIFIED]
    assert res.unit("base", "resistance_Ohm", "R_xx") == "Ohm"
    assert res.unit("base", "contacts", "pt_xmin", "current_A") == "A"
    assert res.unit("sweep", "alpha", "angles_deg", 0) == "degrees"
    assert res.unit("sweep", "alpha", "angles_deg") == "degrees"
    assert res.unit("base", "torque", "pt|yig", "tau_DL") == "J/m^2"
    assert res.unit("base", "torque", "pt|yig", "xi_DL") == "1"
    assert res.unit("mesh", "h_min") == "m"
    assert res.unit("case", "geometry", "thickness") == "m"
    assert res.unit("case", "boundaries", "pt_xmin", "V") == "V"
    assert res.unit("case", "boundaries", "pt|yig", "G_i") == "1/(Ohm m^2)"
    with pytest.raises(KeyError, match="did you mean .*'base/resistance_Ohm/R_xx'"):
        res.unit("base", "resistance_Ohm", "R_xz")


def test_outputs_world_readable_under_a_private_umask(run):
    assert stat.S_IMODE((run / "results.json").stat().st_mode) == 0o644
    assert stat.S_IMODE(run.stat().st_mode) & 0o755 == 0o755
    assert stat.S_IMODE((run / "fields.bp").stat().st_mode) & 0o755 == 0o755
    for p in (run / "fields.bp").iterdir():
        assert stat.S_IMODE(p.stat().st_mode) & 0o644 == 0o644


@pytest.mark.parametrize("key, unit", [
    ("current_A", "A"), ("tau_DL_J_per_m2", "J/m^2"), ("eigenvalues_per_m2", "1/m^2"),
    ("rho_s_J_s", "J s"), ("current_density_A_per_m2", "A/m^2"), ("area_m2", "m^2"),
    ("thickness_m", "m"), ("angles_deg", "degrees"), ("minigap_E_Th", "E_Th (Thouless energy)"),
    ("R_xy", None), ("G_r", None), ("mu_s", None), ("G_s", None), ("wall_time_s", "s"),
    ("mu_s_V", "V"),
])
def test_unit_of_key(key, unit):
    assert unit_of_key(key) == unit


def test_load_results_errors_and_old_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        load_results(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="holds no results.json"):
        load_results(tmp_path)
    bad = tmp_path / "results.json"
    bad.write_text('{"a": 1,\n "b": }\n')
    with pytest.raises(ValueError, match="line 2"):
        load_results(tmp_path)
    bad.write_text("[1, 2]")
    with pytest.raises(ValueError, match="JSON list"):
        load_results(bad)
    bad.write_text(json.dumps({"V_V": 1.0, "resistance_Ohm": {"R_xx": 2.0}, "n": 3}))
    res = load_results(bad)                      # written before provenance: units by rule
    assert res.provenance == {} and res == {"V_V": 1.0, "resistance_Ohm": {"R_xx": 2.0}, "n": 3}
    assert res.unit("resistance_Ohm", "R_xx") == "Ohm" and res.unit("n") == UNSPECIFIED


def test_code_version_reads_git_files_without_git(tmp_path):
    assert code_version(tmp_path)["git_commit"] in (None, code_version()["git_commit"])
    git = tmp_path / "repo" / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    sha = "0123456789abcdef0123456789abcdef01234567"
    (git / "HEAD").write_text("ref: refs/heads/dev\n")
    (git / "packed-refs").write_text(f"# pack-refs\n{sha} refs/heads/dev\n")
    info = code_version(tmp_path / "repo" / "kinetics")
    assert info["git_commit"] == sha and info["git_branch"] == "dev"
    (git / "refs" / "heads" / "dev").write_text(sha[::-1] + "\n")      # loose ref wins
    assert code_version(tmp_path / "repo")["git_commit"] == sha[::-1]
    (git / "HEAD").write_text(sha + "\n")                              # detached head
    assert code_version(tmp_path / "repo")["git_commit"] == sha
    (git / "HEAD").unlink()                                            # broken: no error
    assert code_version(tmp_path / "repo")["git_commit"] is None


def test_rank_dependent_provenance_is_not_compared():
    from _compare import differences
    a = {"x_V": 1.0, "provenance": {"materials": {"pt": {"sigma": 4.3e6}},
                                    "run": {"ranks": 1, "command": ["a"]},
                                    "code": {"git_commit": "1"}}}
    b = json.loads(json.dumps(a))
    b["provenance"]["run"] = {"ranks": 3, "command": ["mpirun", "b"], "utc": "later"}
    b["provenance"]["code"]["git_commit"] = "2"
    assert differences(a, b) == []
    b["provenance"]["materials"]["pt"]["sigma"] = 4.4e6          # the inputs are compared
    assert len(differences(a, b)) == 1


def test_fields_written_after_results_are_noted(tmp_path):
    """A demo writes results.json, then fields.bp: the note reaches the file."""
    from mpi4py import MPI

    from kinetics.geometry import film
    from kinetics.models.spin_charge import SpinChargeProblem
    from kinetics.output import results as io
    from kinetics.physics.boundaries import Contact, MagneticInterface
    dev = film(3e-9, (12e-9, 6e-9), h=3e-9, comm=MPI.COMM_SELF)
    problem = SpinChargeProblem(dev, {"pt": lib.get("Pt")},
                                [Contact("pt_xmin", V=0.0), Contact("pt_xmax", V=1e-3),
                                 MagneticInterface("pt|yig", G_r=4e14, m=(0, 0, -1))])
    sol = problem.solve()
    io.write_json(tmp_path / "results.json", {"demo": "x", "V_V": 1e-3}, MPI.COMM_SELF)
    io.write_fields(sol, tmp_path / "fields.bp", state="the last solve: m = -z")
    res = load_results(tmp_path)
    note = res.provenance["fields"]["fields.bp"]
    assert note["state"] == "the last solve: m = -z"
    assert note["magnetizations"]["pt|yig"] == [0.0, 0.0, -1.0]
    assert note["materials"]["pt"]["source"] == lib.get("Pt").source
    assert note["extent_m"][2] == pytest.approx([0.0, 3e-9], abs=1e-20)
    assert res["V_V"] == 1e-3 and res.unit("V_V") == "V"


@pytest.mark.mpi
def test_provenance_on_several_ranks(tmp_path_factory):
    """Collective parts (mesh sizes, field notes) give the serial numbers on every rank."""
    from mpi4py import MPI

    from kinetics.case import parse_case
    from kinetics.runner import Progress, run_case
    comm = MPI.COMM_WORLD
    base = Path(comm.bcast(str(tmp_path_factory.mktemp("io_mpi")) if comm.rank == 0 else None))
    case = parse_case(CASE, "film.toml", base)
    run_case(case, base / "out", comm, Progress(comm, enabled=False))
    prov = load_results(base / "out").provenance
    assert prov["run"]["ranks"] == comm.size
    assert prov["mesh_sizes"]["regions"]["pt"] == pytest.approx(3.2e-24, rel=1e-12)
    assert prov["mesh_sizes"]["facets"]["pt|yig"] == pytest.approx(8e-16, rel=1e-12)
    extent = prov["fields"]["fields.bp"]["extent_m"]
    assert np.allclose(extent, [[0.0, 4e-8], [0.0, 2e-8], [0.0, 4e-9]], rtol=0, atol=1e-20)
