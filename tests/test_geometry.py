"""Geometry builders: names, analytic volumes and areas, graded refinement, checks, statistics.

Tests marked ``mpi`` also run under ``mpirun -n 2 python3 -m pytest -m mpi``; they compare
global (MPI-reduced) quantities with the same analytic values on every rank.
"""

import math

import numpy as np
import pytest

from kinetics import geometry
from kinetics.geometry import checks

NM = 1e-9
REL = 1e-10


def close(a, b, rel=REL):
    return abs(a - b) <= rel * abs(b)


def assert_measures(device, volumes: dict, areas: dict, rel=REL):
    for name, v in volumes.items():
        assert close(device.volume(name), v, rel), (name, device.volume(name), v)
    for name, a in areas.items():
        assert close(device.area(name), a, rel), (name, device.area(name), a)


# ---------------------------------------------------------------------------------------
# stack / film
# ---------------------------------------------------------------------------------------
@pytest.mark.mpi
def test_stack_three_layers_names_and_measures():
    Lx, Ly = 50 * NM, 30 * NM
    layers = [("pt", 5 * NM), ("cu", 10 * NM), ("py", 4 * NM)]
    d = geometry.stack(layers, (Lx, Ly), substrate="yig", h=4 * NM)
    assert list(d.regions) == ["pt", "cu", "py"]
    assert d.axes == "xyz" and d.length_unit == 1e-9
    sides = {f"{n}_{s}" for n, _ in layers for s in ("xmin", "xmax", "ymin", "ymax")}
    assert set(d.boundaries) == {"pt|yig", "pt|cu", "cu|py", "py_top"} | sides
    assert_measures(d, {n: Lx * Ly * t for n, t in layers},
                    {"pt|yig": Lx * Ly, "pt|cu": Lx * Ly, "cu|py": Lx * Ly, "py_top": Lx * Ly})
    for n, t in layers:
        assert_measures(d, {}, {f"{n}_xmin": Ly * t, f"{n}_xmax": Ly * t,
                                f"{n}_ymin": Lx * t, f"{n}_ymax": Lx * t})
    with pytest.raises(KeyError, match="pt_top"):
        d.boundary_tag("pt_top")  # pt's top is the interface pt|cu
    with pytest.raises(KeyError, match="regions of this device"):
        d.region_tag("yig")       # the substrate is not meshed


@pytest.mark.mpi
def test_stack_structured_layers_through_the_thickness():
    Lx, Ly = 40 * NM, 20 * NM
    d = geometry.stack([("pt", 6 * NM), ("cu", 4 * NM)], (Lx, Ly), h=8 * NM,
                       cells_across={"pt": 3, "cu": 2})
    assert "pt_bottom" in d.boundaries  # no substrate given
    assert_measures(d, {"pt": Lx * Ly * 6 * NM, "cu": Lx * Ly * 4 * NM},
                    {"pt_bottom": Lx * Ly, "pt|cu": Lx * Ly, "cu_top": Lx * Ly})
    # extruded: the vertices lie on exactly 3 + 2 + 1 planes z = const
    from mpi4py import MPI
    z = np.round(d.mesh.geometry.x[:, 2], 9)
    levels = set().union(*d.comm.allgather(set(z.tolist())))
    assert sorted(levels) == pytest.approx([0, 2, 4, 6, 8, 10])
    # the same triangulation on every plane: facets per horizontal plane equal
    assert d.facet_count("pt_bottom") == d.facet_count("pt|cu") == d.facet_count("cu_top")
    assert d.comm.allreduce(1, op=MPI.SUM) == d.comm.size


@pytest.mark.mpi
def test_stack_2d_cross_section():
    Lx = 60 * NM
    d = geometry.stack([("pt", 5 * NM), ("cu", 10 * NM)], Lx, substrate="yig", dim=2, h=2.5 * NM)
    assert d.axes == "xz" and d.dim == 2 and d.mesh.geometry.dim == 2
    assert set(d.boundaries) == {"pt|yig", "pt|cu", "cu_top", "pt_xmin", "pt_xmax",
                                 "cu_xmin", "cu_xmax"}
    assert_measures(d, {"pt": Lx * 5 * NM, "cu": Lx * 10 * NM},
                    {"pt|yig": Lx, "pt|cu": Lx, "cu_top": Lx, "pt_xmin": 5 * NM,
                     "cu_xmax": 10 * NM})


def test_film_defaults_and_2d_structured():
    d = geometry.film(5 * NM, (40 * NM, 30 * NM))
    assert list(d.regions) == ["pt"]
    assert set(d.boundaries) == {"pt|yig", "pt_top", "pt_xmin", "pt_xmax", "pt_ymin", "pt_ymax"}
    assert_measures(d, {"pt": 40 * 30 * 5 * NM ** 3}, {"pt|yig": 1200 * NM ** 2})
    d2 = geometry.film(5 * NM, 40 * NM, name="w", substrate="tmig", dim=2, cells_across=4)
    assert set(d2.boundaries) == {"w|tmig", "w_top", "w_xmin", "w_xmax"}
    assert_measures(d2, {"w": 200 * NM ** 2}, {"w|tmig": 40 * NM, "w_xmin": 5 * NM})
    assert d2.facet_count("w_xmin") == 4  # 4 cells across the film


# ---------------------------------------------------------------------------------------
# Hall bar, nonlocal spin valve, pillar, blocks
# ---------------------------------------------------------------------------------------
@pytest.mark.mpi
@pytest.mark.parametrize("cells_across", [None, 2])
def test_hall_bar(cells_across):
    L, W, t, wa, la = 300 * NM, 80 * NM, 8 * NM, 30 * NM, 40 * NM
    xs = (-80 * NM, 70 * NM)
    d = geometry.hall_bar(L, W, t, arm_width=wa, arm_length=la, arm_positions=xs,
                          interface="pt|tmig", h=8 * NM, cells_across=cells_across)
    # a list, not a set: collective calls (area) must come in the same order on every rank
    probes = [f"probe_{i}_{s}" for i in (1, 2) for s in ("ymin", "ymax")]
    assert set(d.boundaries) == {"pt|tmig", "pt_top", "pt_sides", "contact_left",
                                 "contact_right", *probes}
    n_arms = 2 * len(xs)
    plan = L * W + n_arms * wa * la
    perimeter = 2 * L + 2 * W + 2 * la * n_arms
    areas = {"pt|tmig": plan, "pt_top": plan, "contact_left": W * t, "contact_right": W * t,
             "pt_sides": perimeter * t - 2 * W * t - n_arms * wa * t}
    areas.update({p: wa * t for p in probes})
    assert_measures(d, {"pt": plan * t}, areas)
    # probe i sits at x_i: its facets' x-centre
    from dolfinx.mesh import compute_midpoints
    for i, x in enumerate(xs, start=1):
        f = d.facet_tags.find(d.boundary_tag(f"probe_{i}_ymax"))
        mid = compute_midpoints(d.mesh, 2, f)
        assert np.all(np.abs(mid[:, 0] * NM - x) <= wa / 2 + 1e-12)
        assert np.all(mid[:, 1] * NM > W / 2 + la - 1e-12)


@pytest.mark.mpi
@pytest.mark.parametrize("dim", [3, 2])
def test_nonlocal_spin_valve(dim):
    Lc, wc, tc, w1, w2, g, tf, lf = (600 * NM, 100 * NM, 20 * NM, 60 * NM, 90 * NM, 120 * NM,
                                     15 * NM, 250 * NM)
    d = geometry.nonlocal_spin_valve(Lc, wc, tc, fm_widths=(w1, w2), gap=g, fm_thickness=tf,
                                     fm_length=lf, h=15 * NM, dim=dim)
    assert list(d.regions) == ["channel", "fm1", "fm2"]
    assert {"channel|fm1", "channel|fm2", "contact_left", "contact_right", "channel_bottom",
            "channel_top", "fm1_top", "fm2_top"} <= set(d.boundaries)
    if dim == 3:
        assert {"fm1_ymin", "fm1_ymax", "fm2_bottom", "channel_ymin"} <= set(d.boundaries)
        assert_measures(d, {"channel": Lc * wc * tc, "fm1": w1 * lf * tf, "fm2": w2 * lf * tf},
                        {"channel|fm1": w1 * wc, "channel|fm2": w2 * wc,
                         "contact_left": wc * tc, "contact_right": wc * tc,
                         "channel_top": (Lc - w1 - w2) * wc, "fm1_bottom": w1 * (lf - wc),
                         "fm2_ymin": w2 * tf, "fm1_top": w1 * lf})
    else:
        assert d.axes == "xz" and "fm1_ymin" not in d.boundaries
        assert_measures(d, {"channel": Lc * tc, "fm1": w1 * tf, "fm2": w2 * tf},
                        {"channel|fm1": w1, "channel|fm2": w2, "contact_left": tc,
                         "channel_top": Lc - w1 - w2, "fm2_xmax": tf})


@pytest.mark.mpi
def test_pillar_structured_is_an_exact_prism_of_the_polygon():
    a, b = 20 * NM, 12 * NM
    layers = [("py", 3 * NM), ("cu", 6 * NM), ("co", 6 * NM)]
    h = 3 * NM
    d = geometry.pillar(layers, (a, b), h=h, cells_across=2)
    assert set(d.boundaries) == {"bottom_lead", "top_lead", "py|cu", "cu|co", "py_sides",
                                 "cu_sides", "co_sides"}
    poly = d.area("bottom_lead")
    # every cross-section is the same polygon, so the volumes are exact prisms of it
    assert_measures(d, {n: t * poly for n, t in layers},
                    {"top_lead": poly, "py|cu": poly, "cu|co": poly})
    # the polygon is inscribed in the ellipse (vertices on the curve, gmsh's OCC mass
    # pi a b): smaller, by at most ~ (edge / rho)^2 / 6 with rho = b^2/a the smallest
    # curvature radius; edges can be up to ~1.5 h
    exact = math.pi * a * b
    rho = b * b / a
    assert 0 < 1 - poly / exact < (1.5 * h / rho) ** 2 / 6
    assert close(d.area("cu_sides"), 2 * d.area("py_sides"), 1e-10)


def test_pillar_unstructured_and_circular():
    r = 10 * NM
    d = geometry.pillar([("fm", 4 * NM), ("nm", 4 * NM)], r, h=2 * NM)
    exact = math.pi * r * r * 4 * NM
    for n in ("fm", "nm"):
        assert 0 < 1 - d.volume(n) / exact < (1.5 * 2 / 10) ** 2 / 6
    # b > a: rotated ellipse, the long axis along y
    d = geometry.pillar([("fm", 4 * NM)], (8 * NM, 16 * NM), h=4 * NM, cells_across=1)
    from mpi4py import MPI
    x, y = (d.comm.allreduce(float(np.abs(d.mesh.geometry.x[:, k]).max()), op=MPI.MAX)
            for k in (0, 1))
    assert 7.5 < x <= 8 + 1e-9 and 15.5 < y <= 16 + 1e-9


@pytest.mark.mpi
def test_blocks_touching_boxes_share_an_interface():
    d = geometry.blocks({"a": ((0, 0, 0), (20 * NM, 10 * NM, 10 * NM)),
                         "b": ((20 * NM, 0, 0), (30 * NM, 10 * NM, 10 * NM))},
                        rename={"a_xmin": "left", "b_xmax": "right"}, h=5 * NM)
    assert {"a|b", "left", "right", "a_top", "b_bottom"} <= set(d.boundaries)
    assert_measures(d, {"a": 2000 * NM ** 3, "b": 1000 * NM ** 3},
                    {"a|b": 100 * NM ** 2, "left": 100 * NM ** 2, "a_top": 200 * NM ** 2})


# ---------------------------------------------------------------------------------------
# graded refinement
# ---------------------------------------------------------------------------------------
def _cells_across(device, lam_nm: float, n_lines: int = 25) -> int:
    """Fewest cells that a vertical segment 0 <= z <= lam (nm) crosses, over random lines."""
    from dolfinx import geometry as dg
    tree = dg.bb_tree(device.mesh, device.dim)
    rng = np.random.default_rng(1)
    box = device.mesh.geometry.x
    lo, hi = box[:, :2].min(axis=0), box[:, :2].max(axis=0)
    counts = []
    for _ in range(n_lines):
        xy = rng.uniform(lo + 0.1 * (hi - lo), hi - 0.1 * (hi - lo))
        z = np.linspace(1e-6 * lam_nm, lam_nm * (1 - 1e-6), 600)
        pts = np.column_stack([np.full_like(z, xy[0]), np.full_like(z, xy[1]), z])
        cc = dg.compute_colliding_cells(device.mesh, dg.compute_collisions_points(tree, pts), pts)
        counts.append(len(np.unique(cc.array)))
    return min(counts)


def test_graded_refinement_resolves_the_first_lambda():
    lam, n = 2 * NM, 4                              # want >= 4 cells across the first 2 nm
    kw = dict(h=4 * NM)
    coarse = geometry.film(8 * NM, (16 * NM, 16 * NM), **kw)
    fine = geometry.film(8 * NM, (16 * NM, 16 * NM), refine={"pt|yig": (lam / n, lam)}, **kw)
    assert _cells_across(coarse, lam / NM) < n      # the check can fail...
    assert _cells_across(fine, lam / NM) >= n       # ...and passes with the size field
    # graded, not global: the cells far from the interface stay coarse
    from kinetics.geometry.checks import _owned_vertices
    x = _owned_vertices(fine.mesh)
    far = x[:, :, 2].min(axis=1) > 6
    edge = np.linalg.norm(x[far][:, :, None] - x[far][:, None, :], axis=-1).max(axis=(1, 2))
    assert np.median(edge) > 2.5 * lam / n / NM
    assert geometry.statistics(fine)["cells"] > 4 * geometry.statistics(coarse)["cells"]


@pytest.mark.mpi
def test_refine_toward_an_interior_interface_keeps_measures():
    d = geometry.stack([("pt", 4 * NM), ("cu", 6 * NM)], (20 * NM, 10 * NM), h=4 * NM,
                       refine={"pt|cu": (1 * NM, 1 * NM), "cu_xmax": (2 * NM, 2 * NM)})
    assert_measures(d, {"pt": 800 * NM ** 3, "cu": 1200 * NM ** 3}, {"pt|cu": 200 * NM ** 2})
    assert geometry.statistics(d)["h_min"] < 1.6 * NM


@pytest.mark.mpi
def test_refine_errors():
    with pytest.raises(KeyError, match=r"refine: unknown facet name 'pt\|cu'.*pt\|yig"):
        geometry.film(4 * NM, (10 * NM, 10 * NM), refine={"pt|cu": (1 * NM, 1 * NM)})
    with pytest.raises(ValueError, match="perpendicular to the stacking axis"):
        geometry.film(4 * NM, (10 * NM, 10 * NM), cells_across=2,
                      refine={"pt|yig": (1 * NM, 1 * NM)})
    with pytest.raises(ValueError, match=r"refine\['pt\|yig'\] must be a pair"):
        geometry.film(4 * NM, (10 * NM, 10 * NM), refine={"pt|yig": 1 * NM})
    # side faces may be refined with structured layers
    d = geometry.film(4 * NM, (20 * NM, 10 * NM), cells_across=2, h=4 * NM,
                      refine={"pt_xmin": (1 * NM, 2 * NM)})
    assert d.facet_count("pt_xmin") > d.facet_count("pt_xmax")


# ---------------------------------------------------------------------------------------
# input checks
# ---------------------------------------------------------------------------------------
@pytest.mark.mpi
@pytest.mark.parametrize("call, error, match", [
    (lambda: geometry.stack([("pt", 1 * NM)], (20 * NM, 20 * NM), h=5 * NM), ValueError,
     "layer 'pt' .* thinner than the minimum element size"),
    (lambda: geometry.stack([("pt", 5 * NM), ("pt", 5 * NM)], (20 * NM, 20 * NM)), ValueError,
     "repeated: pt"),
    (lambda: geometry.stack([("pt", 0.0)], (20 * NM, 20 * NM)), ValueError,
     "thickness of layer 'pt'"),
    (lambda: geometry.stack([("pt", 5)], (20 * NM, 20 * NM)), ValueError,
     "lengths are in metres"),
    (lambda: geometry.stack([], (20 * NM, 20 * NM)), ValueError, "layers is empty"),
    (lambda: geometry.stack([("a|b", 5 * NM)], (20 * NM, 20 * NM)), ValueError, "reserved"),
    (lambda: geometry.stack([("pt", 5 * NM)], (20 * NM,)), ValueError, "2 entries for dim=3"),
    (lambda: geometry.stack([("pt", 5 * NM)], (2e-8, 2e-8), cells_across={"cu": 2}),
     KeyError, "missing"),
    (lambda: geometry.stack([("pt", 5 * NM)], (2e-8, 2e-8), cells_across=0), ValueError,
     "integer >= 1"),
    (lambda: geometry.hall_bar(100 * NM, 40 * NM, 5 * NM, arm_positions=(0, 10 * NM)),
     ValueError, "overlap or touch"),
    (lambda: geometry.hall_bar(100 * NM, 40 * NM, 5 * NM, arm_positions=(45 * NM,)),
     ValueError, "not inside the bar"),
    (lambda: geometry.hall_bar(100 * NM, 40 * NM, 5 * NM, arm_positions=()), ValueError,
     "at least one pair"),
    (lambda: geometry.nonlocal_spin_valve(300 * NM, 50 * NM, 10 * NM, gap=0.0,
                                          fm_thickness=10 * NM), ValueError, "gap"),
    (lambda: geometry.nonlocal_spin_valve(300 * NM, 50 * NM, 10 * NM, gap=100 * NM,
                                          fm_widths=(120 * NM, None), fm_thickness=10 * NM),
     ValueError, "fm1 .* reaches the channel end"),
    (lambda: geometry.nonlocal_spin_valve(300 * NM, 50 * NM, 10 * NM, gap=50 * NM,
                                          fm_thickness=10 * NM, fm_length=20 * NM),
     ValueError, "fm_length"),
    (lambda: geometry.pillar([("fm", 2 * NM)], (10 * NM, -1 * NM)), ValueError, "semi_axes"),
    (lambda: geometry.blocks({"a": ((0, 0, 0), (10 * NM, 10 * NM, 10 * NM))},
                             rename={"a_left": "x"}, h=5 * NM), KeyError, "a_xmin"),
])
def test_bad_inputs_raise_naming_the_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.mpi
def test_overlapping_boxes_are_caught_after_fragmenting():
    with pytest.raises(ValueError, match="'a' and 'b' overlap"):
        geometry.blocks({"a": ((0, 0, 0), (20 * NM, 10 * NM, 10 * NM)),
                         "b": ((10 * NM, 0, 0), (30 * NM, 10 * NM, 10 * NM))}, h=5 * NM)
    with pytest.raises(ValueError, match="overlap"):   # one box inside another
        geometry.blocks({"a": ((0, 0), (30 * NM, 10 * NM)),
                         "b": ((10 * NM, 2 * NM), (20 * NM, 8 * NM))}, dim=2, h=2 * NM)


def test_check_volume_map():
    checks.check_volume_map({"a": [1], "b": [2]}, {"a": 1, "b": 1})
    with pytest.raises(ValueError, match="region 'b' became 2 volume"):
        checks.check_volume_map({"a": [1], "b": [2, 3]}, {"a": 1, "b": 1})
    with pytest.raises(ValueError, match="'a' and 'b' overlap"):
        checks.check_volume_map({"a": [1, 2], "b": [2]}, {"a": 1, "b": 1})


@pytest.mark.mpi
def test_check_device_rejects_empty_regions_and_facets():
    from kinetics.device import Device
    from kinetics.geometry import layered_box
    box = layered_box([20 * NM, 10 * NM], [4, 2], [("pt", 5 * NM, 2)], cell_type="triangle")
    checks.check_device(box)
    ghost = Device(box.mesh, box.cell_tags, box.facet_tags, {**box.regions, "ghost": 99},
                   box.boundaries, length_unit=box.length_unit, axes=box.axes)
    with pytest.raises(ValueError, match="ghost"):
        checks.check_device(ghost)
    nofacet = Device(box.mesh, box.cell_tags, box.facet_tags, box.regions,
                     {**box.boundaries, "nothing": 77}, length_unit=box.length_unit, axes="xz")
    with pytest.raises(ValueError, match="nothing"):
        checks.check_device(nofacet)


# ---------------------------------------------------------------------------------------
# statistics
# ---------------------------------------------------------------------------------------
def test_quality_of_regular_and_degenerate_simplices():
    tet = np.array([[[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]],
                    [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0.5, 0.5, 1e-9]]], dtype=float)
    edges = [(i, j) for i in range(4) for j in range(i + 1, 4)]
    q, diam, measure = checks._quality(tet, 3, edges)
    assert q[0] == pytest.approx(1.0) and q[1] < 1e-6 and "radius ratio" in measure
    assert diam[0] == pytest.approx(math.sqrt(8))
    tri = np.array([[[0, 0, 0], [1, 0, 0], [0.5, math.sqrt(3) / 2, 0]]])
    q, _, _ = checks._quality(tri, 2, [(0, 1), (0, 2), (1, 2)])
    assert q[0] == pytest.approx(1.0)


@pytest.mark.mpi
def test_statistics_and_table():
    d = geometry.stack([("pt", 5 * NM), ("cu", 5 * NM)], (20 * NM, 10 * NM), h=5 * NM)
    s = geometry.statistics(d)
    assert s["cells"] == sum(s["regions"].values()) == d.mesh.topology.index_map(3).size_global
    assert s["vertices"] == d.mesh.topology.index_map(0).size_global
    assert 0 < s["h_min"] <= s["h_max"] < 2 * 5 * NM
    assert 0.05 < s["quality_min"] <= s["quality_mean"] <= 1
    assert s["boundaries"]["pt|cu"] == d.facet_count("pt|cu") > 0
    table = geometry.format_statistics(s)
    for word in ("tetrahedron", "pt|cu", "cu_top", "radius ratio", "nm"):
        assert word in table
    from kinetics.geometry import layered_box
    hexes = geometry.statistics(layered_box([20 * NM, 10 * NM, 5 * NM], [4, 2, 2]))
    assert "edge ratio" in hexes["quality_measure"] and hexes["quality_min"] == pytest.approx(0.5)


def test_gmsh_state_is_left_as_found():
    import gmsh
    from mpi4py import MPI
    if MPI.COMM_WORLD.size > 1:
        pytest.skip("serial: inspects rank 0's gmsh state")
    assert not gmsh.isInitialized()
    geometry.film(4 * NM, (10 * NM, 10 * NM), h=4 * NM)
    assert not gmsh.isInitialized()          # initialized and finalized by the builder
    gmsh.initialize()
    try:
        gmsh.option.setNumber("General.Terminal", 1)
        gmsh.option.setNumber("Mesh.MeshSizeMax", 123.0)
        gmsh.model.add("mine")
        with pytest.raises(KeyError, match="refine"):  # raised inside the gmsh session
            geometry.film(4 * NM, (10 * NM, 10 * NM), h=4 * NM, refine={"x": (1 * NM, 1 * NM)})
        geometry.film(4 * NM, (10 * NM, 10 * NM), h=4 * NM, refine={"pt|yig": (1 * NM, 1 * NM)})
        assert gmsh.isInitialized() and gmsh.model.getCurrent() == "mine"
        assert gmsh.model.list() == ["", "mine"] or gmsh.model.list() == ["mine"]
        assert gmsh.option.getNumber("Mesh.MeshSizeMax") == 123.0
        assert gmsh.option.getNumber("General.Terminal") == 1
    finally:
        gmsh.finalize()
