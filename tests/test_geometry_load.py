"""The .geo files of meshes/ and the loader: same names and measures as the builders; cache."""

import os
from pathlib import Path

import pytest

from kinetics import geometry

NM = 1e-9
MESHES = Path(__file__).resolve().parent.parent / "meshes"


@pytest.fixture
def shared_tmp(tmp_path):
    """Rank 0's tmp_path on every rank (files are written and read on rank 0)."""
    from mpi4py import MPI
    return Path(MPI.COMM_WORLD.bcast(str(tmp_path), root=0))


def write_on_root(path: Path, text: str) -> Path:
    from mpi4py import MPI
    if MPI.COMM_WORLD.rank == 0:
        path.write_text(text)
    MPI.COMM_WORLD.barrier()
    return path


def same_device(a, b, rel=1e-10):
    assert set(a.regions) == set(b.regions)
    assert set(a.boundaries) == set(b.boundaries)
    assert a.axes == b.axes and a.length_unit == b.length_unit
    for name in sorted(a.regions):
        assert a.volume(name) == pytest.approx(b.volume(name), rel=rel), name
    for name in sorted(a.boundaries):
        assert a.area(name) == pytest.approx(b.area(name), rel=rel), name


L3 = 400 / 3  # hall_bar.geo spaces N pairs evenly: x_i = -L/2 + i L / (N + 1)
CASES = {
    "film.geo": ({"Lx": 30, "Ly": 20, "t": 5, "h": 5},
                 lambda: geometry.film(5 * NM, (30 * NM, 20 * NM), h=5 * NM), 1e-10),
    "stack.geo": ({"n_pt": 2, "n_cu": 2, "h": 6},
                  lambda: geometry.stack([("pt", 5 * NM), ("cu", 10 * NM)], (50 * NM, 30 * NM),
                                         substrate="yig", h=6 * NM, cells_across=2), 1e-10),
    "stack2d.geo": ({"h": 2.5},
                    lambda: geometry.stack([("pt", 5 * NM), ("cu", 10 * NM)], 50 * NM,
                                           substrate="yig", dim=2, h=2.5 * NM), 1e-10),
    "hall_bar.geo": ({"N": 2, "n": 2, "h": 15},
                     lambda: geometry.hall_bar(400 * NM, 100 * NM, 10 * NM, arm_width=40 * NM,
                                               arm_length=60 * NM,
                                               arm_positions=(-200 * NM + L3 * NM,
                                                              -200 * NM + 2 * L3 * NM),
                                               h=15 * NM, cells_across=2), 1e-10),
    "nonlocal_spin_valve.geo": ({"h": 20, "tc": 20, "tf": 20},
                                lambda: geometry.nonlocal_spin_valve(
                                    600 * NM, 100 * NM, 20 * NM, fm_widths=(50 * NM, 80 * NM),
                                    gap=100 * NM, fm_thickness=20 * NM, fm_length=300 * NM,
                                    h=20 * NM), 1e-10),
    # curved wall: both are polygons inscribed in the same ellipse, not necessarily the same
    "pillar.geo": ({"n": 1, "h": 4},
                   lambda: geometry.pillar([("py", 3 * NM), ("cu", 6 * NM), ("co", 6 * NM)],
                                           (20 * NM, 10 * NM), h=4 * NM, cells_across=1), 2e-2),
}


@pytest.mark.mpi
@pytest.mark.parametrize("name", sorted(CASES))
def test_geo_file_matches_builder(name):
    params, build, rel = CASES[name]
    loaded = geometry.load(MESHES / name, parameters=params)
    same_device(loaded, build(), rel=rel)


def test_every_geo_file_is_tested_and_documented():
    files = sorted(p.name for p in MESHES.glob("*.geo"))
    assert files == sorted(CASES)
    readme = (MESHES / "README.md").read_text()
    for f in files:
        assert f in readme


@pytest.mark.mpi
def test_loader_parameters_and_requested_names():
    d = geometry.load(MESHES / "film.geo", parameters={"t": 3, "Lx": 20, "Ly": 10, "h": 3},
                      regions=["pt"], boundaries=["pt|yig", "pt_top"])
    assert d.volume("pt") == pytest.approx(20 * 10 * 3 * NM ** 3, rel=1e-10)
    with pytest.raises(KeyError, match=r"no boundary named 'pt\|cu'.*pt\|yig"):
        geometry.load(MESHES / "film.geo", parameters={"h": 10}, boundaries=["pt|cu"])
    with pytest.raises(KeyError, match="no region named 'cu'"):
        geometry.load(MESHES / "film.geo", parameters={"h": 10}, regions="cu")
    with pytest.raises(FileNotFoundError, match="nothere.geo"):
        geometry.load(MESHES / "nothere.geo")


@pytest.mark.mpi
def test_loader_rejects_files_without_groups_or_with_overlapping_groups(shared_tmp):
    bare = write_on_root(shared_tmp / "bare.geo",
                         'SetFactory("OpenCASCADE");\nBox(1) = {0, 0, 0, 10, 10, 2};\n')
    with pytest.raises(ValueError, match="no physical groups"):
        geometry.load(bare)
    twice = write_on_root(shared_tmp / "twice.geo", """SetFactory("OpenCASCADE");
Box(1) = {0, 0, 0, 10, 10, 2};
Mesh.MeshSizeMax = 5;
Physical Volume("pt") = {1};
Physical Surface("pt|yig") = {5};
Physical Surface("bottom") = {5};
""")
    with pytest.raises(ValueError, match="belongs to two facet groups"):
        geometry.load(twice)


@pytest.mark.mpi
def test_cache_writes_once_and_the_msh_loads_back(shared_tmp):
    from mpi4py import MPI
    comm = MPI.COMM_WORLD
    cache = shared_tmp / "cache"
    kw = dict(h=5 * NM, refine={"pt|cu": (2 * NM, 2 * NM)}, cache=cache)
    a = geometry.stack([("pt", 5 * NM), ("cu", 5 * NM)], (20 * NM, 10 * NM), **kw)
    files = comm.bcast(sorted(cache.glob("*.msh")) if comm.rank == 0 else None)
    assert len(files) == 1 and files[0].name.startswith("stack-")
    stamp = comm.bcast(os.stat(files[0]).st_mtime_ns if comm.rank == 0 else None)
    b = geometry.stack([("pt", 5 * NM), ("cu", 5 * NM)], (20 * NM, 10 * NM), **kw)
    assert comm.bcast(os.stat(files[0]).st_mtime_ns if comm.rank == 0 else None) == stamp
    assert geometry.statistics(a)["cells"] == geometry.statistics(b)["cells"]
    same_device(a, b)
    same_device(geometry.load(files[0]), a)
    # other parameters -> another file
    geometry.stack([("pt", 5 * NM), ("cu", 5 * NM)], (20 * NM, 10 * NM), h=4 * NM, cache=cache)
    assert comm.bcast(len(list(cache.glob("*.msh"))) if comm.rank == 0 else None) == 2


@pytest.mark.mpi
def test_loader_rejects_mixed_cell_types(shared_tmp):
    mixed = write_on_root(shared_tmp / "mixed.geo", """SetFactory("OpenCASCADE");
Rectangle(1) = {0, 0, 0, 10, 5};
Rectangle(2) = {10, 0, 0, 10, 5};
BooleanFragments{ Surface{1}; Delete; }{ Surface{2}; Delete; }
Mesh.MeshSizeMax = 2.5;
Recombine Surface{2};
Physical Surface("a") = {1};
Physical Surface("b") = {2};
""")
    with pytest.raises(ValueError, match="mix element types"):
        geometry.load(mixed)
