"""Outputs of the `[usadel]` case section (kinetics.models.usadel_output): the refined
energy grid (`refine_energies`), DOS maps written as fields (`maps`), the pictures drawn
during a run or from its folder, and their equality on 1, 2 and 3 ranks."""

from pathlib import Path

import numpy as np
import pytest
from mpi4py import MPI

from kinetics.case import parse_case
from kinetics.runner import Progress, run_case
from test_usadel_case import BULK, CASE, LAYERED, _edit, _layered, _stack, run  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent


MAPPED = BULK.replace("energies = [0.2, 0.8, 0.95, 1.05, 1.2, 2.0, 5.0]",
                      "energies = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]\n"
                      "refine_energies = { tol = 0.05, max_points = 120 }\n"
                      "maps = [0.5, 1.2]").replace("broadening = 1e-3", "broadening = 2e-2")


def mapped(h):
    return MAPPED.replace(" H }", " }" if h is None else f", h = [0.0, 0.0, {h}] }}")


def check_mapped(res, out, h):
    """The refined grid of the uniform (Zeeman-split) superconductor clusters at the peaks
    and resolves the exact DOS; the maps in fields.vtu carry the exact DOS at every vertex.
    Measured: 56 (BCS) and 87 (h = 0.1) energies after 8 rounds; the DOS to 1.9e-8; the
    interpolant to 0.009 and 0.005 (coarse grid: 2.7 and 1.6); the maps to 1e-14."""
    from kinetics.output.grid import load_vtu
    from kinetics.usadel import bulk
    e, dos = np.array(res["energies"]), np.asarray(res["dos"])
    exact = lambda x: bulk.zeeman_dos(x, 1.0, h or 0.0, 2e-2)     # noqa: E731 (BCS at h = 0)
    assert res["refinement"]["converged"] and res["refinement"]["rounds"] > 2
    assert res["refinement"]["coarse_energies"] == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
    assert np.max(np.abs(dos - exact(e)[:, None])) < 1e-7
    assert len(res["dos_min"]) == len(res["newton_iterations"]) == e.size
    fine = np.linspace(0.0, 3.0, 3001)
    err = np.max(np.abs(np.interp(fine, e, dos[:, 0]) - exact(fine)))
    coarse = np.array(res["refinement"]["coarse_energies"])
    assert err <= 0.05 < np.max(np.abs(np.interp(fine, coarse, exact(coarse)) - exact(fine)))
    assert np.diff(e)[np.searchsorted(e, 1.0) - 1] * 10 <= np.diff(e)[-1] == 0.5
    assert res["probe_regions"] == ["film", "film"]
    names = [f"dos_{s}eps_{x}" for x in (0.5, 1.2) for s in ("", "up_", "down_")[:1 + 2 * bool(h)]]
    assert res["maps"] == {"energies": [0.5, 1.2], "fields": names}
    assert (out / "fields.bp").is_dir()
    grid = load_vtu(out / "fields.vtu")
    for eps in (0.5, 1.2):
        assert np.max(np.abs(grid.point_data[f"dos_eps_{eps:g}"] - exact(eps))) < 1e-8
        if h is not None:
            up, down = bulk.zeeman_spin_dos(eps, 1.0, h, 2e-2)
            assert np.max(np.abs(grid.point_data[f"dos_up_eps_{eps:g}"] - up)) < 1e-8
            assert np.max(np.abs(grid.point_data[f"dos_down_eps_{eps:g}"] - down)) < 1e-8


@pytest.mark.parametrize("h", [None, 0.1])
def test_refined_energies_and_dos_maps(tmp_path, h):
    """`refine_energies` and `maps` on a uniform superconductor (exact BCS / Zeeman-split DOS);
    the pictures drawn from the folder (DOS curves with the bulk overlay, one per map)."""
    from kinetics.models.usadel_output import pictures
    out = tmp_path / "out"
    res = run(parse_case(mapped(h), "bulk.toml", tmp_path), out)["usadel"]
    check_mapped(res, out, h)
    written = pictures(out, tmp_path / "pics")
    names = sorted(["dos_curves.png"] + [f"{n}.png" for n in res["maps"]["fields"]])
    assert sorted(p.name for p in written) == names
    assert all(p.stat().st_size > 10_000 for p in written)
    if h is None:                     # the same pictures drawn by the run itself
        text = mapped(h) + "\n[output]\npictures = true\n"
        run(parse_case(text, "bulk.toml", tmp_path), tmp_path / "drawn")
        assert sorted(p.name for p in (tmp_path / "drawn").glob("*.png")) == names


def test_maps_of_a_wire(tmp_path):
    """A 1D S–N–S wire: fields.bp only (no .vtu in 1D), fields named with the energies;
    `maps` alone (no `energies`) is a valid case."""
    text = _edit("degree = 2", "degree = 2\nmaps = [2.0, 30.0]")
    out = tmp_path / "out"
    res = run(parse_case(text, str(CASE), CASE.parent), out)["usadel"]
    assert sorted(p.name for p in out.iterdir()) == [".kinetics-result", "fields.bp",
                                                      "results.json"]
    assert res["maps"] == {"energies": [2.0, 30.0], "fields": ["dos_eps_2", "dos_eps_30"]}
    assert res["probe_regions"] == ["film"] * 3
    assert res["energies"] == [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 5.0, 10.0, 25.0]
    alone = _edit("energies = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 5.0, 10.0, 25.0]\n", "", text)
    res2 = run(parse_case(alone, str(CASE), CASE.parent), tmp_path / "alone")["usadel"]
    assert "dos" not in res2 and res2["maps"] == res["maps"]


def test_a_map_is_discontinuous_across_a_tunnel_barrier():
    """S1 | N |tunnel| S2: on each side of the barrier the map equals the DOS of that side's
    domain (dos_at a hair inside it: the nodal DOS), and the two sides differ.  Measured at
    ε = 2: 1.291 on the N side, 0.097 on the S2 side; map against dos_at 7e-12."""
    from kinetics.models.usadel_case import build
    from kinetics.models.usadel_output import dos_maps
    from kinetics.usadel import observables as obs
    text = _layered("degree = 2", "degree = 1\nmaps = [2.0]")
    spec = parse_case(text + '\n[usadel.tunnel."N|S2"]\nr = 2.0\nside = "N"\n', str(CASE),
                      CASE.parent).get("usadel")
    p = build(spec, _stack(MPI.COMM_SELF))
    assert len(p.domains) == 2
    maps = dos_maps(spec, p, False)
    f = maps.expression("dos_eps_2")
    pts = np.array([[1.5 - 1e-9, 0, 0], [1.5 + 1e-9, 0, 0]])
    got = p.point_values(pts, 1, lambda x, cell: f.eval(x, [cell]), "test")[:, 0]
    ref = obs.dos_at(p, pts)
    assert np.max(np.abs(got - ref)) < 1e-9
    assert got[0] > 1.0 and got[1] < 0.2
    with pytest.raises(KeyError, match="dos_eps_2"):
        maps.expression("dos_eps_3")
    p.destroy()


@pytest.mark.mpi
def test_a_probe_on_an_interface_gets_the_region_of_smallest_tag():
    """S1 | N | S2 with probes inside N and on the S1|N interface (x = 0.5 µm): regions N
    and S1 (the smaller tag), whatever cell the point search meets first, on any number of
    ranks."""
    from kinetics.models.usadel_case import build
    from kinetics.models.usadel_output import probe_regions
    p = build(parse_case(LAYERED, str(CASE), CASE.parent).get("usadel"), _stack(MPI.COMM_WORLD))
    assert p.device.regions["S1"] < p.device.regions["N"]
    assert probe_regions(p, np.array([[1.0, 0, 0], [0.5, 0, 0], [2.0, 0, 0]])) == [
        "N", "S1", "S2"]
    p.destroy()


@pytest.mark.mpi
def test_refined_grid_and_maps_are_the_same_on_every_rank_count(tmp_path_factory):
    """The Zeeman case on 2 or 3 ranks: the serial energy grid exactly, the DOS and the maps
    to 1e-8."""
    from kinetics.output.grid import load_vtu
    comm = MPI.COMM_WORLD
    base = Path(comm.bcast(str(tmp_path_factory.mktemp("mpi")) if comm.rank == 0 else None))
    serial = run(parse_case(mapped(0.1), "bulk.toml", base), base / f"serial{comm.rank}")
    par = run_case(parse_case(mapped(0.1), "bulk.toml", base), base / "par", comm,
                   Progress(comm, False))
    a, b = serial["usadel"], par["usadel"]
    assert a["energies"] == b["energies"]
    assert np.max(np.abs(np.asarray(a["dos"]) - np.asarray(b["dos"]))) < 1e-8
    assert a["maps"] == b["maps"] and a["probe_regions"] == b["probe_regions"]
    comm.barrier()
    if comm.rank == 0:
        one, many = load_vtu(base / "serial0" / "fields.vtu"), load_vtu(base / "par" / "fields.vtu")
        for name in a["maps"]["fields"]:
            assert np.max(np.abs(one.point_data[name] - many.point_data[name])) < 1e-8


def test_bulk_reference_of_a_region_table():
    """The overlay of the DOS curves: the closed forms of kinetics.usadel.bulk for the
    region's Δ, h, τ_sf and the case's η, none where there is no closed form."""
    from kinetics.models.usadel_output import bulk_reference
    from kinetics.usadel import bulk
    e = np.linspace(0.0, 3.0, 13)
    assert np.array_equal(bulk_reference({"delta": 2.0, "tau_so": "inf"}, e, 0.01),
                          bulk.bcs_dos(e, 2.0, 0.01))
    assert np.array_equal(bulk_reference({"delta": 1.0, "h": [0.3, 0.0, 0.4]}, e, 0.01),
                          bulk.zeeman_dos(e, 1.0, 0.5, 0.01))
    assert np.array_equal(bulk_reference({"delta": 1.0, "tau_sf": 5.0}, e, 0.01),
                          bulk.ag_dos(e, bulk.zeta_from_tau_sf(5.0, 1.0), 1.0, 0.01))
    for table in ({}, {"delta": 0.0, "h": [0.0, 0.0, 1.0]}, {"delta": 1.0, "tc0": 1.0},
                  {"delta": 1.0, "h": [0.0, 0.0, 0.1], "tau_sf": 3.0}):
        assert bulk_reference(table, e, 0.01) is None
