"""Re-plottable output and pictures that say what they show (issue 15):
kinetics.output.vtu (the .vtu beside a .bp, with the state it holds), the named faces in the
exported grid and in plot.regions, `kinetics plot` on missing folders, the notes under the
picture titles, and the SMR chart and table of a [sweep] run."""

import types
from pathlib import Path

import numpy as np
import pytest

import kinetics
from kinetics import analytic, plot
from kinetics.geometry import layered_box
from kinetics.models.spin_charge import SpinChargeProblem
from kinetics.output import grid as export
from kinetics.output import vtu
from kinetics.physics.boundaries import Contact, MagneticInterface
from kinetics.plot import scene as sc
from kinetics.plot.regions import FACE_COLORS
from kinetics.plot.sweep import smr_sweep, sweep_table

pv = pytest.importorskip("pyvista")

PT = kinetics.materials.get("Pt")
STATE = "d = 4 nm, m = (1, 0, 0): the test state"


def solve(dim, comm=None):
    """A Pt film on a magnetic insulator (zmin), current from xmin (1 mV) to xmax (0 V)."""
    if dim == 3:
        dev = layered_box([16e-9, 8e-9, 0], [4, 2, 0], layers=[("pt", 4e-9, 3)], comm=comm)
    else:
        dev = layered_box([16e-9, 4e-9], [8, 6], layers=[("pt", 4e-9, 6)], axes="xz",
                          comm=comm)
    bcs = [Contact("xmin", V=1e-3, spin="opaque"), Contact("xmax", V=0.0, spin="opaque"),
           MagneticInterface("zmin", G_r=7e14, G_i=5e13, m=(1.0, 0.0, 0.0))]
    return SpinChargeProblem(dev, {"pt": PT}, bcs, degree=1).solve()


@pytest.fixture(scope="module")
def sol3d():
    return solve(3)


@pytest.fixture(scope="module")
def sol2d():
    return solve(2)


def faces_of(grid) -> dict:
    """name -> (n, 3) coordinates of the vertices of the named faces of a grid."""
    names = dict(zip(grid.field_data["facet_name_tag"].tolist(),
                     export.text_field(grid, "facet_name")))
    cells = np.asarray(grid.field_data["facet_cells"])
    tags = np.asarray(grid.field_data["facet_tag"])
    return {names[t]: np.asarray(grid.points)[cells[tags == t].ravel()] for t in np.unique(tags)}


# ---------------------------------------------------------------------------- the .vtu files
def test_vtu_beside_the_bp_holds_the_state_and_the_named_faces(sol3d, tmp_path):
    path = vtu.write_vtu_beside(sol3d, tmp_path / "out" / "fields.bp", state=STATE)
    assert path == tmp_path / "out" / "fields.vtu" and path.is_file()
    grid = export.load_vtu(path)
    assert vtu.state_of(grid) == STATE
    faces = faces_of(grid)
    assert {"xmin", "xmax", "zmin"} <= set(faces)
    # every vertex of a named face lies on that face (coordinates in nm)
    np.testing.assert_allclose(faces["xmin"][:, 0], 0.0, atol=1e-9)
    np.testing.assert_allclose(faces["xmax"][:, 0], 16.0, atol=1e-9)
    np.testing.assert_allclose(faces["zmin"][:, 2], 0.0, atol=1e-9)
    # the faces cover the boundary: the bottom has the area of the film
    tags = np.asarray(grid.field_data["facet_tag"])
    zmin = [t for t, n in zip(grid.field_data["facet_name_tag"],
                              export.text_field(grid, "facet_name")) if n == "zmin"][0]
    quads = np.asarray(grid.points)[np.asarray(grid.field_data["facet_cells"])[tags == zmin]]
    assert quads.shape[1:] == (4, 3)           # a hexahedral mesh: quadrilaterals, VTK order
    area = sum(0.5 * np.linalg.norm(np.cross(quads[:, i] - quads[:, 0],
                                             quads[:, i + 1] - quads[:, 0]), axis=1).sum()
               for i in (1, 2))
    assert area == pytest.approx(16.0 * 8.0, rel=1e-9)
    assert vtu.vtu_path("a/b.bp") == Path("a/b.vtu")


def test_no_vtu_without_a_grid_and_the_state_is_text(sol2d, tmp_path):
    assert vtu.write_vtu_beside(types.SimpleNamespace(device=None), tmp_path / "f.bp") is None
    assert not list(tmp_path.iterdir())
    with pytest.raises(ValueError, match="state must be a string"):
        vtu.write_vtu_beside(sol2d, tmp_path / "f.bp", state=3)
    with pytest.raises(ValueError, match="state must be a string"):
        export.save_vtu(sol2d, tmp_path / "f.vtu", state=["x"])
    assert not list(tmp_path.iterdir())


def test_plot_folder_errors_say_not_found_not_a_folder_or_no_vtu(tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        plot.pictures_from_folder(tmp_path / "nonexistent")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        plot.pictures_from_folder(tmp_path / "file.txt")
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "fields.bp").mkdir()
    with pytest.raises(FileNotFoundError, match=r"no \.vtu files.*fields\.bp.*ParaView"):
        plot.pictures_from_folder(tmp_path / "run")


# ------------------------------------------------------------------- what the pictures say
def test_notes_give_the_cut_the_state_and_the_current_direction(sol3d, sol2d):
    g3 = export.to_pyvista(sol3d)
    assert sc.current_note(g3) == "current along +x"
    assert sc.state_note(g3) == "m = (1, 0, 0);  current along +x"
    g3.field_data["state"] = np.array([STATE])
    assert sc.state_note(g3).startswith(STATE)
    unit, axes, dim = sc.meta(g3)
    cut = sc.view_note(g3, dim, axes, unit, normal=np.array([1.0, 0, 0]),
                       origin=np.asarray(g3.center))
    assert cut.startswith("cut at x = 8 nm: the part x < 8 nm")
    assert "top z = 4 nm" in sc.view_note(g3, dim, axes, unit)
    spec = sc.slice_spec(("z", [1.0, 3.0]), g3)
    assert sc.view_note(g3, dim, axes, unit, slices=spec).startswith("slices at z = 1, 3 nm")
    g2 = export.to_pyvista(sol2d)
    assert sc.view_note(g2, 2, "xz", "nm") == "x–z cross-section"


def test_a_thin_axis_gets_its_range_in_the_title_instead_of_overlapping_ticks():
    seen = {}
    fake = types.SimpleNamespace(show_bounds=lambda **kw: seen.update(kw))
    sc.axes_labels(fake, [-200, 200, -25, 25, 0, 4], "nm", "xyz", 3)
    assert seen["show_zlabels"] is False and seen["ztitle"] == "z: 0 to 4 (nm)"
    assert seen["show_xlabels"] and seen["show_ylabels"] and seen["xtitle"] == "x (nm)"


def _colour_pixels(png, hex_colour, tol=3):
    import matplotlib.image as mpimg
    from matplotlib.colors import to_rgb
    img = np.round(mpimg.imread(str(png))[..., :3] * 255)
    target = np.round(np.array(to_rgb(hex_colour)) * 255)
    return int(np.all(np.abs(img - target) <= tol, axis=-1).sum())


def test_regions_picture_draws_the_named_faces(sol2d, sol3d, tmp_path):
    # 2D: the faces are thick unlit lines in their own colours, one per named face
    png = plot.regions(sol2d, tmp_path / "r2.png")
    names = sorted(sol2d.problem.device.boundaries, key=sol2d.problem.device.boundaries.get)
    for k in range(len(names)):
        assert _colour_pixels(png, FACE_COLORS[k]) > 200, names[k]
    # without faces, none of those colours
    bare = plot.regions(sol2d, tmp_path / "bare.png", faces=False)
    assert _colour_pixels(bare, FACE_COLORS[0]) == 0
    # 3D: three panels (regions, faces from above, faces from below)
    import matplotlib.image as mpimg
    png3 = plot.regions(sol3d.problem.device, tmp_path / "r3.png")
    assert mpimg.imread(str(png3)).shape[1] == 2100
    # a grid written before the faces were exported is drawn without them
    grid = export.to_pyvista(sol3d)
    for key in ("facet_cells", "facet_tag", "facet_name", "facet_name_tag"):
        grid.field_data.remove(key)
    old = plot.regions(grid, tmp_path / "old.png")
    assert mpimg.imread(str(old)).shape[1] == 1400


# ------------------------------------------------------------------------------ the sweep
def _sweep_results():
    """Synthetic sweep results: R_xx = R0 + ΔR1 (1 − m_y²), R_xy = ΔR1 m_x m_y + ΔR2 m_z."""
    from kinetics.models.spin_charge_case import sweep_directions
    from kinetics.observables import fit_smr
    R0, d1, d2 = 100.0, 0.04, 0.002
    sweep, ms, xx, xy = {}, [], [], []
    for plane in ("alpha", "beta", "gamma"):
        ang, m = sweep_directions(plane, 9)
        rxx = R0 + d1 * (1 - m[:, 1] ** 2)
        rxy = d1 * m[:, 0] * m[:, 1] + d2 * m[:, 2]
        sweep[plane] = {"angles_deg": ang.tolist(), "m": m.tolist(),
                        "resistance_Ohm": {"R_xx": rxx.tolist(), "R_xy": rxy.tolist()}}
        ms.append(m), xx.append(rxx), xy.append(rxy)
    fit = fit_smr(np.concatenate(ms), np.concatenate(xx), np.concatenate(xy))
    return {"case": {"sweep": {"interface": "pt|yig"}}, "sweep": sweep, "smr_fit_Ohm": fit}


def test_sweep_chart_and_table(tmp_path):
    res = _sweep_results()
    png = smr_sweep(res, tmp_path / "smr_sweep.png")
    import matplotlib.image as mpimg
    img = mpimg.imread(str(png))
    assert img.shape[1] > 1000 and np.mean(np.any(img[..., :3] < 0.9, axis=-1)) > 0.02
    text = sweep_table(res)
    lines = text.splitlines()
    assert lines[1].startswith("alpha") and "R_xx 100 to 100.04 Ω" in lines[1]
    assert "ΔR_xx/R_xx 4.000e-04" in lines[1]
    assert "ΔR1/R0 = 4.0000e-04" in text and "ΔR2(R_xy)/R0 = 2.0000e-05" in text
    assert smr_sweep({"sweep": {"directions": {}}}, tmp_path / "none.png") is None
    assert sweep_table({"sweep": {}}) == ""


CASE = """
title = "sweep test"
[geometry]
builder = "film"
thickness = 4e-9
size = [16e-9, 8e-9]
name = "pt"
substrate = "yig"
cells_across = 3
h = 4e-9
[materials]
pt = { base = "Pt-Vlietstra" }
[boundaries.pt_xmin]
type = "contact"
V = 1e-3
spin = "opaque"
[boundaries.pt_xmax]
type = "contact"
V = 0.0
spin = "opaque"
[boundaries.pt_ymin]
type = "probe"
[boundaries.pt_ymax]
type = "probe"
[boundaries."pt|yig"]
type = "magnetic"
interface = "Pt|YIG-Vlietstra"
m = [0.0, 1.0, 0.0]
[sweep]
interface = "pt|yig"
planes = ["alpha"]
steps = 5
[[measure.resistance]]
name = "R_xx"
current = "pt_xmin"
plus = "pt_xmin"
minus = "pt_xmax"
[[measure.resistance]]
name = "R_xy"
current = "pt_xmin"
plus = "pt_ymax"
minus = "pt_ymin"
[output]
pictures = true
"""


def test_kinetics_run_with_a_sweep_prints_the_table_and_draws_the_chart(tmp_path, capsys):
    from mpi4py import MPI

    from kinetics.case import parse_case
    from kinetics.runner import Progress, run_case
    results = run_case(parse_case(CASE, "sweep.toml"), tmp_path / "run", MPI.COMM_WORLD,
                       Progress(MPI.COMM_WORLD, enabled=True))
    out = capsys.readouterr().out
    assert "SMR sweep" in out and out.count("alpha") == 1
    pt, yig = kinetics.materials.get("Pt-Vlietstra"), kinetics.materials.interface(
        "Pt|YIG-Vlietstra")
    _, c1, c2 = analytic.chen_smr(4e-9, pt.sigma, pt.lambda_sf, pt.theta_sh, yig.G_r, yig.G_i)
    cf = results["smr_closed_form"]
    assert cf["drho1_over_rho"] == pytest.approx(c1) and cf["drho2_over_rho"] == pytest.approx(c2)
    folder = tmp_path / "run"
    assert (folder / "smr_sweep.png").is_file() and (folder / "fields.vtu").is_file()
    assert (folder / "fields_regions.png").is_file()


@pytest.mark.mpi
def test_faces_and_state_are_the_same_on_every_rank_count(tmp_path):
    from mpi4py import MPI
    comm = MPI.COMM_WORLD
    folder = Path(comm.bcast(str(tmp_path), root=0))
    path = vtu.write_vtu_beside(solve(3), folder / "fields.bp", state=STATE)
    if comm.rank != 0:
        assert path is None
        return
    serial = vtu.write_vtu_beside(solve(3, comm=MPI.COMM_SELF), folder / "serial.bp",
                                  state=STATE)
    a, b = export.load_vtu(path), export.load_vtu(serial)
    assert vtu.state_of(a) == vtu.state_of(b) == STATE
    for key in ("facet_cells", "facet_tag", "facet_name_tag"):
        np.testing.assert_array_equal(a.field_data[key], b.field_data[key])
    np.testing.assert_allclose(a.points, b.points)
