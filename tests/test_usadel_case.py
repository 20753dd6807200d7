"""The ``[usadel]`` model of the case files (kinetics.models.usadel_case): the example S–N–S
junction gives the numbers of the same problem built through the Python API; a uniform
superconductor gives the BCS (and Zeeman-split) DOS; every bad input of the section is a
CaseError naming the key, raised by parse_case (before meshing); probes outside the mesh
and Newton failures fail the run before anything is written."""

from pathlib import Path

import numpy as np
import pytest
from mpi4py import MPI

from kinetics.case import CaseError, load_case, parse_case
from kinetics.runner import Progress, run_case

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "sns_junction_dos.toml"
TEXT = CASE.read_text()


def run(case, out):
    return run_case(case, out, MPI.COMM_SELF, Progress(MPI.COMM_SELF, False))


def test_example_case_matches_the_python_api(tmp_path):
    """Measured: identical (largest difference 0.0) on one rank."""
    from kinetics.geometry import layered_box
    from kinetics.usadel import observables as obs
    from kinetics.usadel.problem import Reservoir, UsadelProblem, UsadelRegion
    res = run(load_case(CASE), tmp_path / "out")["usadel"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".kinetics-result",
                                                                    "results.json"]
    energies = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 5.0, 10.0, 25.0]
    assert res["energies"] == energies
    assert res["energies_eV"] == pytest.approx([1e-6 * e for e in energies], rel=1e-15)
    dos = np.asarray(res["dos"])
    assert dos.shape == (10, 3) and len(res["dos_min"]) == 10
    assert len(res["newton_iterations"]) == 10 and "dos_up" not in res   # no exchange field
    dev = layered_box([1e-6], [20], length_unit=1e-6, comm=MPI.COMM_SELF)
    p = UsadelProblem(dev, {"film": UsadelRegion(0.0)},
                      {"xmin": Reservoir(20.0, -0.5), "xmax": Reservoir(20.0, 0.5)},
                      eta=1e-3, degree=2)
    points = np.array([[0.5, 0, 0], [0.25, 0, 0], [0.05, 0, 0]])
    ref, low = [], []
    its = p.sweep(energies, callback=lambda q, e: (ref.append(obs.dos_at(q, points)),
                                                   low.append(obs.dos_extrema(q)[0])))
    assert np.max(np.abs(dos - np.array(ref))) <= 1e-10
    assert np.max(np.abs(np.array(res["dos_min"]) - low)) <= 1e-10
    assert res["newton_iterations"] == list(its)
    # physics: the middle of the wire is gapped below the minigap (≈ 2.7 E_Th at φ = 1),
    # peaked above it, normal far above; the reservoirs' gap (Δ = 20) keeps dos_min small
    assert dos[:4, 0].max() < 1e-3 and dos[5:7, 0].min() > 1.5
    assert dos[-1, 0] == pytest.approx(1.0, abs=5e-3)
    assert max(res["dos_min"][:-1]) < 1e-4


BULK = """
[geometry]
builder = "layered_box"
lengths = [1e-6, 0.5e-6]
cells = [4, 2]
axes = "xy"
length_unit = 1e-6

[usadel]
energies = [0.2, 0.8, 0.95, 1.05, 1.2, 2.0, 5.0]
broadening = 1e-3
probes = [[0.3e-6, 0.2e-6, 0.0], [1e-6, 0.5e-6, 0.0]]

[usadel.regions]
film = { delta = 1.0, phase = 0.3 H }
"""


@pytest.mark.parametrize("h", [None, 0.1])
def test_uniform_superconductor_gives_bcs(tmp_path, h):
    """One S region with vacuum facets: the bulk BCS (Zeeman-split) DOS everywhere.
    Measured (largest difference over energies and probes): 9.8e-10 (BCS), 1.9e-9 (Zeeman
    DOS), 3.8e-9 and 1.1e-12 (spin up, down): the Newton tolerance near the coherence peaks."""
    from kinetics.usadel import bulk
    text = BULK.replace(" H }", " }" if h is None else f", h = [0.0, 0.0, {h}] }}")
    res = run(parse_case(text, "bulk.toml", tmp_path), tmp_path / "out")["usadel"]
    e = np.array(res["energies"])
    dos = np.asarray(res["dos"])
    if h is None:
        ref = bulk.bcs_dos(e, 1.0, 1e-3)
        assert "dos_up" not in res
    else:
        ref = bulk.zeeman_dos(e, 1.0, h, 1e-3)
        up, down = bulk.zeeman_spin_dos(e, 1.0, h, 1e-3)
        assert np.max(np.abs(np.asarray(res["dos_up"]) - up[:, None])) < 1e-6
        assert np.max(np.abs(np.asarray(res["dos_down"]) - down[:, None])) < 1e-6
    assert np.max(np.abs(dos - ref[:, None])) < 1e-6
    assert np.max(np.abs(np.asarray(res["dos_min"]) - ref)) < 1e-6


def _edit(old, new, text=TEXT):
    assert old in text, old
    return text.replace(old, new, 1)


#: an S1 | N | S2 stack (names of several regions and interfaces)
LAYERED = _edit("""lengths = [1e-6]
cells = [20]
""", """lengths = [2e-6]
cells = [40]
layers = [["S1", 0.5e-6, 10], ["N", 1e-6, 20], ["S2", 0.5e-6, 10]]
""", _edit("film = { delta = 0.0 }", """S1 = { delta = 20.0, phase = -0.5 }
N = { delta = 0.0 }
S2 = { delta = 20.0, phase = 0.5 }""", _edit("[0.25e-6, 0.0, 0.0], [0.05e-6, 0.0, 0.0]]",
                                            "[1.0e-6, 0.0, 0.0], [1.75e-6, 0.0, 0.0]]")))


def _layered(old, new):
    return _edit(old, new, LAYERED)


def _stack(comm):
    """The device of LAYERED (S1 | N | S2, 2 µm) on ``comm``."""
    from kinetics.geometry import layered_box
    return layered_box([2e-6], [40], layers=[("S1", 0.5e-6, 10), ("N", 1e-6, 20),
                                             ("S2", 0.5e-6, 10)], length_unit=1e-6, comm=comm)


def _add(line):
    """The example case with one more [usadel] key."""
    return _edit("degree = 2", "degree = 2\n" + line)


BAD = {
    "empty energies": (_edit("energies = [0.5, 1.0,", "energies = [] #"),
                       r"\[usadel.energies\] must have 1 to 10000 entries, got 0"),
    "non-increasing energies": (_edit("[0.5, 1.0, 1.5", "[0.5, 1.5, 1.5"),
                                r"\[usadel.energies\] must be strictly increasing, got 1.5 "
                                r"followed by 1.5 \(entries 2 and 3\)"),
    "decreasing energies": (_edit("[0.5, 1.0,", "[1.0, 0.5,"),
                            r"\[usadel.energies\] must be strictly increasing, got 1 followed "
                            r"by 0.5"),
    "zero broadening": (_edit("broadening = 1e-3", "broadening = 0.0"),
                        r"\[usadel.broadening\] must be a number \(E0\) in \[1e-12, 1e\+06\]"),
    "no broadening": (_edit("broadening = 1e-3\n", ""),
                      r"\[usadel.broadening\] required"),
    "negative D": (_layered("N = { delta = 0.0 }", "N = { delta = 0.0, D = -1.0 }"),
                   r"\[usadel.regions.N.D\] must be a number in \[1e-08, 1e\+08\], got -1.0"),
    "zero tau_sf": (_layered("N = { delta = 0.0 }", "N = { tau_sf = 0.0 }"),
                    r"\[usadel.regions.N.tau_sf\] must be a number \(hbar/E0\) in"),
    "negative delta": (_layered("S1 = { delta = 20.0,", "S1 = { delta = -20.0,"),
                       r"\[usadel.regions.S1.delta\] must be a number \(E0\) in \[0, 1e\+08\]"),
    "negative reservoir delta": (_edit("xmax = { delta = 20.0", "xmax = { delta = -1.0"),
                                 r"\[usadel.reservoirs.xmax.delta\] must be a number"),
    "unknown region key": (_layered("N = { delta = 0.0 }", "N = { Delta = 0.0 }"),
                           r"\[usadel.regions.N.Delta\] unknown key 'Delta' \(did you mean "
                           r"'delta'\?\)"),
    "region not a table": (_layered("N = { delta = 0.0 }", "N = 0.0"),
                           r"\[usadel.regions.N\] must be a table, got number 0.0"),
    "missing region": (_layered("N = { delta = 0.0 }\n", ""),
                       r"\[usadel.regions\] region\(s\) N have no Usadel parameters"),
    "unknown region": (_layered("N = { delta = 0.0 }", "N = {}\nNN = {}"),
                       r"\[usadel.regions.NN\] unknown region 'NN'; regions of the device: "
                       r"N, S1, S2; did you mean 'N'\?"),
    "unknown reservoir facet": (_edit("xmax = {", "xmaxx = {"),
                                r"\[usadel.reservoirs.xmaxx\] unknown facet name 'xmaxx'; "
                                r"facets of the device: .*did you mean 'xmax'\?"),
    "tunnel without r": (LAYERED + '\n[usadel.tunnel."N|S2"]\nlength = 1.0\n',
                         r"\[usadel.tunnel.N\|S2.r\] required, a number in \[1e-12, 1e\+12\]"),
    "tunnel zero r": (LAYERED + '\n[usadel.tunnel."N|S2"]\nr = 0.0\n',
                      r"\[usadel.tunnel.N\|S2.r\] must be a number in"),
    "tunnel unknown facet": (LAYERED + '\n[usadel.tunnel."N|S3"]\nr = 1.0\n',
                             r"\[usadel.tunnel.N\|S3\] unknown facet name 'N\|S3'"),
    "tunnel side elsewhere": (LAYERED + '\n[usadel.tunnel."N|S2"]\nr = 1.0\nside = "S1"\n',
                              r"\[usadel.tunnel.N\|S2.side\] 'S1' does not touch the barrier "
                              r"'N\|S2': give N or S2"),
    "tunnel on a reservoir": (LAYERED + '\n[usadel.tunnel.xmax]\nr = 1.0\n',
                              r"\[usadel.tunnel.xmax\] 'xmax' is also a reservoir"),
    "probe not a vector": (_edit("[0.05e-6, 0.0, 0.0]]", "[0.05e-6, 0.0]]"),
                           r"\[usadel.probes\] entry 3: must be a 3-vector"),
    "probe outside": (_edit("[0.05e-6, 0.0, 0.0]]", "[-0.05e-6, 0.0, 0.0]]"),
                      r"\[usadel.probes\] entry 3: \[-5e-08, 0.0, 0.0\] lies outside the device "
                      r"\(x from 0 to 1e-06 m\)"),
    "probe outside a stack": (_layered("[1.75e-6, 0.0, 0.0]]", "[2.05e-6, 0.0, 0.0]]"),
                              r"\[usadel.probes\] entry 3: .* \(x from 0 to 2e-06 m\)"),
    "no probes": (_edit("probes = [[0.5e-6", "probes = [] #"),
                  r"\[usadel.probes\] must have 1 to 1000 entries, got 0"),
    "degree 4": (_edit("degree = 2", "degree = 4"),
                 r"\[usadel.degree\] must be 1, 2 or 3, got integer 4"),
    "materials": (TEXT + '\n[materials]\nN = "Cu"\n',
                  r"\[materials\] is not used by \[usadel\]"),
    "boundaries": (TEXT + '\n[boundaries.xmin]\ntype = "insulator"\n',
                   r"\[boundaries\] is not used by \[usadel\]"),
    "solver": (TEXT + '\n[solver]\ndegree = 2\n', r"\[solver\] is not used by \[usadel\]"),
    "pictures without energies": (
        _edit("energies = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 5.0, 10.0, 25.0]\n",
              "maps = [1.0]\n") + '\n[output]\npictures = true\n',
        r"\[output.pictures\] .*need `energies`"),
    "gauge not 3x3": (_edit("film = { delta = 0.0 }", "film = { gauge = [1.0, 2.0, 3.0] }"),
                      r"\[usadel.regions.film.gauge\] must be a 3x3 array"),
    "unknown key": (_edit("degree = 2", "degre = 2"),
                    r"\[usadel.degre\] unknown key 'degre' \(did you mean 'degree'\?\)"),
    "tc0 without temperature": (_edit("film = { delta = 0.0 }", "film = { tc0 = 1.0 }"),
                                r"\[usadel.regions.film.tc0\] a self-consistent Δ needs "
                                r"\[usadel\] temperature"),
    "supercurrent without temperature": (
        TEXT + '\n[usadel.supercurrent]\nsurface = "xmin"\ndirection = [1.0, 0.0, 0.0]\n',
        r"\[usadel.supercurrent\] needs \[usadel\] temperature"),
    "supercurrent zero direction": (
        _edit("degree = 2", "degree = 2\ntemperature = 1.0") + '\n[usadel.supercurrent]\n'
        'surface = "xmin"\ndirection = [0.0, 0.0, 0.0]\n', r"\[usadel.supercurrent.direction\]"),
    "critical temperature without tc0": (_edit("degree = 2", "degree = 2\ncritical_temperature = "
                                               "true"), r"\[usadel.critical_temperature\] needs "
                                                        r"a region with tc0 > 0"),
    "refine without tol": (_add("refine_energies = { max_points = 50 }"),
                           r"\[usadel.refine_energies.tol\] required"),
    "refine zero tol": (_add("refine_energies = { tol = 0.0 }"),
                        r"\[usadel.refine_energies.tol\] must be a number in \[1e-06, 1000\]"),
    "refine unknown key": (_add("refine_energies = { tol = 0.1, maxpoints = 50 }"),
                           r"\[usadel.refine_energies.maxpoints\] unknown key"),
    "refine too few points": (_add("refine_energies = { tol = 0.1, max_points = 5 }"),
                              r"\[usadel.refine_energies.max_points\] must be at least the "
                              r"number of `energies` \(10\), got 5"),
    "refine spacing beyond the span": (_add("refine_energies = { tol = 0.1, min_spacing = 30.0 }"),
                                       r"\[usadel.refine_energies.min_spacing\] must not exceed "
                                       r"the span of `energies` \(24.5 E0\)"),
    "refine one energy": (_edit("energies = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 5.0, 10.0, 25.0]",
                                "energies = [0.5]\nrefine_energies = { tol = 0.1 }"),
                          r"\[usadel.refine_energies\] needs `energies` with at least 2"),
    "refine not a table": (_add("refine_energies = 0.1"),
                           r"\[usadel.refine_energies\] must be a table"),
    "maps empty": (_add("maps = []"), r"\[usadel.maps\] must have 1 to 50 entries, got 0"),
    "maps too many": (_add(f"maps = {list(range(51))}"),
                      r"\[usadel.maps\] must have 1 to 50 entries, got 51"),
    "maps not increasing": (_add("maps = [1.0, 0.5]"), r"\[usadel.maps\] must be strictly "
                                                        r"increasing, got 1 followed by 0.5"),
    "maps not a number": (_add("maps = [1.0, \"2\"]"), r"\[usadel.maps\] entry 2: must be"),
    "maps infinite": (_add("maps = [1.0, inf]"), r"\[usadel.maps\] entry 2: must be"),
    "maps a number": (_add("maps = 1.0"), r"\[usadel.maps\] must be an array"),
    "maps indistinct": (_add("maps = [1.0, 1.00000000001]"), r"\[usadel.maps\] entries 1 and "
                                                             r"2 .* the same field name dos_eps_1"),
    "fields without maps": (TEXT + '\n[output]\nfields = true\n',
                            r"\[output.fields\] .*unless `maps` is given"),
    "maps without fields": (_add("maps = [1.0]") + '\n[output]\nfields = false\n',
                            r"\[output.fields\] \[usadel\] maps are written as fields"),
    "nothing to compute": (_edit("energies = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 5.0, 10.0, "
                                 "25.0]\n", ""), r"\[usadel\] give `energies`"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_is_a_case_error_before_meshing(name, monkeypatch):
    text, pattern = BAD[name]
    import kinetics.case as case_module

    def no_mesh(*args, **kwargs):
        raise AssertionError("meshed")
    monkeypatch.setattr(case_module.Case, "build_device", no_mesh)
    with pytest.raises(CaseError, match=pattern) as info:
        parse_case(text, str(CASE), CASE.parent)
    assert all(line.startswith(f"{CASE}, line ") for line in info.value.errors), info.value.errors


def test_probe_outside_the_mesh_fails_after_meshing_before_solving(tmp_path, monkeypatch):
    from kinetics.usadel.problem import UsadelProblem
    monkeypatch.setattr(UsadelProblem, "sweep", lambda *a, **k: pytest.fail("solved"))
    # (a layered_box's probes are checked by parse_case; other geometries' after meshing)
    case = load_case(CASE)
    case.data["usadel"]["probes"][2] = [2.5e-6, 0.0, 0.0]
    with pytest.raises(CaseError, match=r"\[usadel.probes\] every probe must lie in the device"):
        run(case, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_newton_failure_names_the_energy_and_writes_nothing(tmp_path, monkeypatch):
    from kinetics.solvers.linear import SolverError
    from kinetics.usadel.problem import UsadelProblem
    original = UsadelProblem.solve

    def solve(self, eps):
        if 2.0 < eps < 3.0:
            raise SolverError(f"Usadel solve at energy eps = {eps:.10g} failed: test")
        return original(self, eps)
    monkeypatch.setattr(UsadelProblem, "solve", solve)
    # the sweep halves the step 8 times from 2.0, then gives up naming the energy it tried
    with pytest.raises(SolverError, match=r"Usadel solve at energy eps = 2\.00195"):
        run(load_case(CASE), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_the_nested_tables_are_documented():
    from kinetics.models.usadel_case import doc_tables
    docs = (ROOT / "docs" / "case_files.md").read_text()
    for title, table in doc_tables().items():
        assert table in docs, f"docs/case_files.md lacks the table of {title}:\n{table}"


def test_a_tunnel_barrier_and_an_exchange_field_reach_the_problem(tmp_path):
    """S1 | N |tunnel| S2 (P1) with a Zeeman field in S2: the case gives the numbers of the
    Python API (measured difference 0), two domains, and spin-resolved DOS."""
    from kinetics.usadel import observables as obs
    from kinetics.usadel.domains import TunnelInterface
    from kinetics.usadel.problem import Reservoir, UsadelProblem, UsadelRegion
    text = _layered("degree = 2", "degree = 1").replace(
        "S2 = { delta = 20.0, phase = 0.5 }", "S2 = { delta = 20.0, phase = 0.5, "
                                              "h = [0.0, 0.0, 2.0] }")
    text += '\n[usadel.tunnel."N|S2"]\nr = 2.0\nside = "N"\n'
    res = run(parse_case(text, str(CASE), CASE.parent), tmp_path / "out")["usadel"]
    dev = _stack(MPI.COMM_SELF)
    p = UsadelProblem(dev, {"S1": UsadelRegion(20.0, -0.5), "N": UsadelRegion(0.0),
                            "S2": UsadelRegion(20.0, 0.5, h=(0.0, 0.0, 2.0))},
                      {"xmin": Reservoir(20.0, -0.5), "xmax": Reservoir(20.0, 0.5)},
                      {"N|S2": TunnelInterface(2.0, side="N")}, eta=1e-3, degree=1)
    assert len(p.domains) == 2
    points = np.array([[0.5, 0, 0], [1.0, 0, 0], [1.75, 0, 0]])     # S1, N, S2
    ref, up = [], []
    p.sweep(res["energies"], callback=lambda q, e: (
        ref.append(obs.dos_at(q, points)), up.append(obs.spin_dos_at(q, points)[0])))
    assert np.max(np.abs(np.asarray(res["dos"]) - ref)) <= 1e-10
    assert np.max(np.abs(np.asarray(res["dos_up"]) - up)) <= 1e-10
    assert np.allclose(np.asarray(res["dos_up"]) + res["dos_down"], 2 * np.asarray(res["dos"]),
                       atol=1e-12)
    # the Zeeman-split S2 (h = 2 along z, Δ = 20): spin-up DOS is the BCS DOS shifted down
    # (docs/usadel.md), so at ε = 25 the spin-up and spin-down DOS differ there
    assert abs(res["dos_up"][-1][2] - res["dos_down"][-1][2]) > 1e-2


def test_matsubara_keys_reach_the_solver(tmp_path):
    """`temperature` with a `tc0` region gives the self-consistent gap of
    kinetics.usadel.matsubara (a uniform wire: the bulk Δ(T) of the same truncation), and
    `[usadel.supercurrent]` of the example's S–N–S wire equals matsubara.supercurrent on the
    same problem; critical_temperature of the clean wire is T_c0."""
    from kinetics.usadel import matsubara as ms
    bulk = BULK.replace("film = { delta = 1.0, phase = 0.3 H }", "film = { tc0 = 1.0 }")
    bulk = bulk.replace("broadening = 1e-3", "broadening = 1e-3\ntemperature = 0.4\n"
                        "critical_temperature = true")
    res = run(parse_case(bulk, "bulk.toml", tmp_path), tmp_path / "bulk")["usadel"]
    ref = ms.bcs_gap(0.4, 1.0, 40.0 * (1 + 1e-12))
    assert res["matsubara"]["max_delta"] == pytest.approx(ref, rel=1e-9)
    assert np.allclose(np.asarray(res["matsubara"]["delta_at_probes"])[:, 0], ref, rtol=1e-9)
    assert res["matsubara"]["critical_temperature"] == pytest.approx(1.0, rel=1e-6)
    # the DOS sweep used the self-consistent gap
    from kinetics.usadel import bulk as bk
    assert np.asarray(res["dos"])[:, 0] == pytest.approx(
        bk.bcs_dos(np.array(res["energies"]), ref, 1e-3), abs=1e-6)
    text = _edit("degree = 2", "degree = 2\ntemperature = 2.0") + (
        '\n[usadel.supercurrent]\nsurface = "xmin"\ndirection = [1.0, 0.0, 0.0]\n')
    res = run(parse_case(text, str(CASE), CASE.parent), tmp_path / "sns")["usadel"]
    from kinetics.geometry import layered_box
    from kinetics.usadel.problem import Reservoir, UsadelProblem, UsadelRegion
    dev = layered_box([1e-6], [20], length_unit=1e-6, comm=MPI.COMM_SELF)
    problem = UsadelProblem(dev, {"film": UsadelRegion()}, {"xmin": Reservoir(20.0, -0.5),
                                                            "xmax": Reservoir(20.0, 0.5)},
                            eta=1e-3, degree=2)
    direct = ms.supercurrent(problem, 2.0, "xmin", (1.0, 0.0, 0.0))
    assert res["matsubara"]["supercurrent"] == pytest.approx(direct, rel=1e-10)
    assert direct > 0
