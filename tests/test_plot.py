"""Pictures and the exported grid: kinetics.output.grid (to_pyvista, save_vtu, load_vtu) and
kinetics.plot (PyVista scenes and matplotlib charts), in 3D and on a 2D x-z section,
serially and gathered from 2 MPI ranks."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import kinetics
from kinetics import analytic as an
from kinetics import observables, plot
from kinetics.output import grid as export
from kinetics.geometry import layered_box
from kinetics.physics.boundaries import Contact, MagneticInterface
from kinetics.models.spin_charge import SpinChargeProblem

pv = pytest.importorskip("pyvista")

PT, CU = kinetics.materials.get("Pt"), kinetics.materials.get("Cu")
V0 = 1e-3


def solve(dim, degree=1, comm=None, m=(1.0, 0.0, 0.0)):
    """A Pt film (3D: Pt|Cu bilayer) on a magnetic insulator (bottom face), driven by two
    spin-opaque contacts: the spin Hall accumulation of tests/test_film.py."""
    if dim == 3:
        dev = layered_box([16e-9, 8e-9, 0], [8, 4, 0], layers=[("pt", 3e-9, 3), ("cu", 3e-9, 2)],
                          comm=comm)
        materials = {"pt": PT, "cu": CU}
    else:
        dev = layered_box([16e-9, 4e-9], [16, 8], layers=[("pt", 4e-9, 8)], axes="xz",
                          grading=0.5, comm=comm)
        materials = {"pt": PT}
    bcs = [Contact("xmin", V=V0, spin="opaque"), Contact("xmax", V=0.0, spin="opaque"),
           MagneticInterface("zmin", G_r=7e14, G_i=5e13, m=m)]
    return SpinChargeProblem(dev, materials, bcs, degree=degree).solve()


@pytest.fixture(scope="module")
def sol3d():
    return solve(3, degree=1)


@pytest.fixture(scope="module")
def sol2d():
    return solve(2, degree=2)


@pytest.fixture(scope="module")
def grids(sol3d, sol2d):
    return {3: export.to_pyvista(sol3d), 2: export.to_pyvista(sol2d)}


def assert_not_blank(path, min_colors=16, min_ink=0.03):
    """The PNG exists, has many colours and enough non-background pixels (charts with thin
    lines on white: min_ink=0.01), and no temporary file is left next to it."""
    import matplotlib.image as mpimg
    path = Path(path)
    assert path.is_file(), path
    img = mpimg.imread(str(path))
    assert img.ndim == 3 and img.shape[0] >= 300 and img.shape[1] >= 300
    rgb = np.round(img[..., :3] * 255).astype(np.uint8).reshape(-1, 3)
    assert len(np.unique(rgb, axis=0)) >= min_colors, f"{path}: too few colours"
    assert np.mean(np.any(rgb < 235, axis=1)) > min_ink, f"{path}: almost all background"
    assert not [p for p in path.parent.iterdir() if p.name.startswith(f".{path.stem}.")], \
        "a temporary file was left behind"


# ------------------------------------------------------------------------------- the grid
@pytest.mark.parametrize("dim", [3, 2])
def test_grid_has_the_documented_fields_units_and_embedding(grids, dim):
    g = grids[dim]
    assert isinstance(g, pv.UnstructuredGrid)
    assert set(export.POINT_FIELDS) <= set(g.point_data)
    assert set(export.CELL_FIELDS) <= set(g.cell_data)
    assert g["mu_s"].shape == (g.n_points, 3) and g["j_s_y"].shape == (g.n_cells, 3)
    assert str(g.field_data["length_unit"][0]) == "nm"
    names = dict(zip(g.field_data["region_name"], g.field_data["region_tag"]))
    assert set(np.unique(g["region"])) == set(names.values())
    np.testing.assert_allclose(g.field_data["magnet_m"], [[1.0, 0.0, 0.0]])
    b = np.asarray(g.bounds)
    if dim == 3:
        np.testing.assert_allclose(b, [0, 16, 0, 8, 0, 6], atol=1e-9)
        assert set(names) == {"pt", "cu"} and g.celltypes[0] == 12   # linear hexahedra
    else:   # the x-z section stands in the x-z plane
        np.testing.assert_allclose(b, [0, 16, 0, 0, 0, 4], atol=1e-9)
        assert str(g.field_data["axes"][0]) == "xz" and int(g.field_data["degree"][0]) == 2
    np.testing.assert_allclose(g["|mu_s|"], np.linalg.norm(g["mu_s"], axis=1))
    # the film carries ~σE = 1.2e11 A/m² along x
    jx = np.asarray(g["j_c"])[:, 0][np.asarray(g["region"]) == names["pt"]]
    assert 0.5 * PT.sigma * V0 / 16e-9 < np.median(jx) < 2 * PT.sigma * V0 / 16e-9


@pytest.mark.parametrize("dim", [3, 2])
def test_point_values_are_the_solution_at_the_vertices(request, grids, dim):
    sol = request.getfixturevalue(f"sol{dim}d")
    g = grids[dim]
    pts = np.asarray(g.points) * 1e-9    # nm -> m, physical x, y, z
    np.testing.assert_allclose(g["V"], observables.line_profile(sol, pts, "V"),
                               rtol=1e-9, atol=1e-12 * V0)
    mu = observables.line_profile(sol, pts, "mu_s")
    np.testing.assert_allclose(g["mu_s"], mu, rtol=1e-8, atol=1e-9 * np.abs(mu).max())


@pytest.mark.parametrize("dim", [3, 2])
def test_cell_currents_are_cell_averages(request, grids, dim):
    sol = request.getfixturevalue(f"sol{dim}d")
    g = grids[dim]
    size = g.compute_cell_sizes(length=False, area=dim == 2, volume=dim == 3)
    w = np.abs(size.cell_data["Volume" if dim == 3 else "Area"])
    for name, ref in (("j_c", observables.region_average(sol, "j_c")),
                      ("j_s_y", observables.region_average(sol, "j_s")[1])):
        mean = (w[:, None] * np.asarray(g[name])).sum(axis=0) / w.sum()
        np.testing.assert_allclose(mean, ref, rtol=1e-8, atol=1e-9 * np.abs(ref).max())


def test_save_and_load_round_trip(sol2d, grids, tmp_path):
    path = export.save_vtu(sol2d, tmp_path / "out" / "fields.vtu")
    assert path == tmp_path / "out" / "fields.vtu"
    assert [p.name for p in path.parent.iterdir()] == ["fields.vtu"]  # no temporary left
    back = export.load_vtu(path)
    ref = grids[2]
    assert back.n_points == ref.n_points and back.n_cells == ref.n_cells
    np.testing.assert_array_equal(back.points, ref.points)
    for name in list(export.POINT_FIELDS) + list(export.CELL_FIELDS):
        np.testing.assert_array_equal(back[name], ref[name])
    for key in ("region_name", "length_unit", "axes", "magnet_name"):
        assert list(back.field_data[key]) == list(ref.field_data[key])
    # a grid writes the same way; the plots read the file without the solution
    assert export.save_vtu(back, tmp_path / "again.vtu").is_file()


def test_export_errors(sol2d, tmp_path):
    with pytest.raises(ValueError, match=r"must end in \.vtu"):
        export.save_vtu(sol2d, tmp_path / "fields.vtk")
    with pytest.raises(ValueError, match="unknown length unit 'pm'"):
        export.to_pyvista(sol2d, unit="pm")
    with pytest.raises(FileNotFoundError, match="no such file"):
        export.load_vtu(tmp_path / "missing.vtu")
    pv.Sphere().cast_to_unstructured_grid().save(str(tmp_path / "sphere.vtu"))
    with pytest.raises(ValueError, match="not a kinetics grid"):
        export.load_vtu(tmp_path / "sphere.vtu")


def test_grid_in_micrometres(sol2d):
    g = export.to_pyvista(sol2d, unit="µm")
    np.testing.assert_allclose(g.bounds[1], 0.016)
    assert export.text_field(g, "length_unit") == ["µm"]


# ----------------------------------------------------------------------- PyVista pictures
@pytest.mark.parametrize("dim", [3, 2])
@pytest.mark.parametrize("kind", ["magnitude", "component", "streamlines", "regions"])
def test_field_pictures(grids, dim, kind, tmp_path):
    g = grids[dim]
    png = tmp_path / "pics" / f"{kind}_{dim}d.png"
    if kind == "magnitude":
        out = plot.spin_accumulation_3d(g, png)
    elif kind == "component":
        out = plot.spin_accumulation_3d(g, png, component="y", title="μ_y")
    elif kind == "streamlines":
        out = plot.current_streamlines(g, png)
    else:
        out = plot.regions(g, png)
    assert out == png
    assert_not_blank(png)


@pytest.mark.parametrize("view", [dict(clip="y"), dict(clip=(1, 0, 1)), dict(slices=("z", 3)),
                                  dict(slices=("x", [4.0, 12.0]))], ids=str)
def test_clipped_and_sliced_views_through_the_film(grids, view, tmp_path):
    png = plot.spin_accumulation_3d(grids[3], tmp_path / "cut.png", component="z", **view)
    assert_not_blank(png)


def test_pictures_from_a_solution_a_device_and_a_file(sol2d, sol3d, tmp_path):
    assert_not_blank(plot.spin_accumulation_3d(sol2d, tmp_path / "sol.png", component="y",
                                               glyphs=False, outline=False))
    assert_not_blank(plot.regions(sol3d.problem.device, tmp_path / "device.png"))
    vtu = export.save_vtu(sol3d, tmp_path / "fields.vtu")
    assert_not_blank(plot.current_streamlines(str(vtu), tmp_path / "from_file.png", n_seeds=9))


def test_pictures_from_folder(grids, tmp_path):
    export.save_vtu(grids[3], tmp_path / "film3d.vtu")
    written = plot.pictures_from_folder(tmp_path, out=tmp_path / "png")
    names = sorted(p.name for p in written)
    assert names == sorted(["film3d_mu.png", "film3d_mu_y.png", "film3d_mu_cut.png",
                            "film3d_current.png", "film3d_regions.png"])
    for png in written:
        assert_not_blank(png)
    with pytest.raises(FileNotFoundError, match="no .vtu files"):
        plot.pictures_from_folder(tmp_path / "png")


def test_streamlines_fall_back_to_arrows_without_in_plane_current(grids, tmp_path):
    g = grids[2].copy()
    j = np.zeros((g.n_cells, 3))
    j[:, 1] = 1e10          # only along y, normal to the x-z section
    g.cell_data["j_c"] = j
    assert_not_blank(plot.current_streamlines(g, tmp_path / "none.png"), min_colors=8)
    j[:, 0] = np.linspace(1e10, 3e10, g.n_cells)   # in-plane current again
    g.cell_data["j_c"] = j
    assert_not_blank(plot.current_streamlines(g, tmp_path / "some.png"))
    assert_not_blank(plot.current_streamlines(g, tmp_path / "arrows.png", style="arrows"))
    assert_not_blank(plot.current_streamlines(grids[3], tmp_path / "arrows3.png",
                                              style="arrows"))
    with pytest.raises(ValueError, match="unknown style 'dots'"):
        plot.current_streamlines(g, tmp_path / "x.png", style="dots")


def test_picture_errors(grids, tmp_path):
    g3, g2 = grids[3], grids[2]
    with pytest.raises(ValueError, match="unknown component 'w'"):
        plot.spin_accumulation_3d(g3, tmp_path / "a.png", component="w")
    with pytest.raises(ValueError, match="clip or slices"):
        plot.spin_accumulation_3d(g3, tmp_path / "a.png", clip="x", slices="z")
    with pytest.raises(ValueError, match="clip must be"):
        plot.spin_accumulation_3d(g3, tmp_path / "a.png", clip="q")
    with pytest.raises(ValueError, match="2D section"):
        plot.spin_accumulation_3d(g2, tmp_path / "a.png", clip="x")
    with pytest.raises(ValueError, match="outside the device"):
        plot.spin_accumulation_3d(g3, tmp_path / "a.png", slices=("z", [100.0]))
    with pytest.raises(ValueError, match=r"must end in \.png"):
        plot.regions(g3, tmp_path / "a.jpg")
    bare = pv.UnstructuredGrid(g3.cells, g3.celltypes, g3.points)
    bare.cell_data["region"] = g3["region"]
    with pytest.raises(ValueError, match="no field 'mu_s'"):
        plot.spin_accumulation_3d(bare, tmp_path / "a.png")
    with pytest.raises(ValueError, match="no field 'j_c'"):
        plot.current_streamlines(bare, tmp_path / "a.png")
    line = layered_box([10e-9], [4], comm=None)
    with pytest.raises(ValueError, match="1D"):
        plot.regions(line, tmp_path / "a.png")
    assert not list(tmp_path.iterdir())   # nothing written


# ------------------------------------------------------------------- matplotlib charts
def test_line_profile_with_closed_form(tmp_path):
    d, L = 5e-9, 20e-9
    G = an.conductance_matrix(7e14, 5e13, m=(1, 0, 0))

    def exact(z):
        return an.film_spin_accumulation(z, d, PT.sigma, PT.lambda_sf, PT.theta_sh, V0 / L, G).T

    z = np.linspace(0, d, 15)
    png = plot.line_profile(z, exact(z), tmp_path / "profile.png", labels=["μx", "μy", "μz"],
                            xlabel="height z", ylabel="μ_s", closed_form=exact)
    assert_not_blank(png, min_ink=0.01)
    with pytest.raises(ValueError, match="2 labels for 3 curves"):
        plot.line_profile(z, exact(z), tmp_path / "p.png", labels=["a", "b"])


@pytest.mark.parametrize("plane", ["alpha", "beta", "gamma"])
def test_smr_angular_in_the_three_planes(plane, tmp_path):
    _, d1, d2 = an.chen_smr(4e-9, PT.sigma, PT.lambda_sf, PT.theta_sh, 7e14, 5e13)
    R0 = 1e3

    def chen(angles):
        m = plot.PLANES[plane][2](np.radians(angles))
        return R0 * (1 + d1 * (1 - m[:, 1] ** 2)), R0 * (d1 * m[:, 0] * m[:, 1] + d2 * m[:, 2])

    ang = np.arange(0.0, 361.0, 30.0)
    Rxx, Rxy = chen(ang)
    assert_not_blank(plot.smr_angular(ang, Rxx, Rxy, tmp_path / f"{plane}.png", plane=plane,
                                      closed_form=chen), min_ink=0.01)
    assert_not_blank(plot.smr_angular(ang, Rxx, None, tmp_path / "rel.png", plane=plane,
                                      relative=True, closed_form=(Rxx, None)), min_ink=0.01)


def test_thickness_scan_log_and_linear(tmp_path):
    d = np.array([3, 4, 8, 35]) * 1e-9

    def chen(dd):
        return np.array([an.chen_smr(x, PT.sigma, PT.lambda_sf, PT.theta_sh, 7e14, 5e13)[1:]
                         for x in dd]) * [1, -1]

    png = plot.thickness_scan(d, chen(d), tmp_path / "scan.png", closed_form=chen,
                              labels=["Δρ1/ρ", "−Δρ2/ρ"], ylabel="SMR amplitude", log=True)
    assert_not_blank(png, min_ink=0.01)
    assert_not_blank(plot.thickness_scan(d, chen(d)[:, 0], tmp_path / "lin.png"), min_ink=0.01)
    with pytest.raises(ValueError, match="log y axis needs positive"):
        plot.thickness_scan(d, -chen(d), tmp_path / "bad.png", log="y")


def test_chart_errors(tmp_path):
    with pytest.raises(ValueError, match="unknown rotation plane 'delta'"):
        plot.smr_angular([0, 90], [1, 2], [0, 0], tmp_path / "a.png", plane="delta")
    with pytest.raises(ValueError, match=r"expected shape \(3,\)"):
        plot.line_profile([0, 1, 2], np.zeros((4, 2)), tmp_path / "a.png")
    with pytest.raises(ValueError, match="log must be"):
        plot.thickness_scan([1, 2], [1, 2], tmp_path / "a.png", log="z")
    assert not list(tmp_path.iterdir())


def test_readable_units():
    assert plot.readable_unit(1.5e-5, "V") == (1e-6, "µV")
    assert plot.readable_unit(2.0e-9, "m") == (1e-9, "nm")
    assert plot.readable_unit(0.3, "Ω") == (1e-3, "mΩ")
    assert plot.readable_unit(1.2e11, "A/m²") == (1e11, "10¹¹ A/m²")
    assert plot.readable_unit(3e-4, "1") == (1e-4, "10⁻⁴")
    assert plot.readable_unit(0.0, "V") == (1.0, "V")


# ------------------------------------------------------------------ off-screen rendering
def _run_without_display(code, path_env=None):
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    if path_env is not None:
        env["PATH"] = path_env
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=120)


def test_renders_without_a_display_by_starting_xvfb(grids, tmp_path):
    """What `make` does: no DISPLAY, no xvfb-run around the command."""
    vtu = export.save_vtu(grids[2], tmp_path / "f.vtu")
    code = ("import os, kinetics.plot as p\n"
            f"print(p.regions({str(vtu)!r}, {str(tmp_path / 'r.png')!r}, show=True))\n")
    res = _run_without_display(code)
    assert res.returncode == 0, res.stderr
    assert_not_blank(tmp_path / "r.png", min_colors=8)
    # show=True has no screen to open a window on: a warning, the PNG is written all the same
    assert "RuntimeWarning: show=True: no display" in res.stderr


def test_clear_error_without_display_and_xvfb():
    code = ("import kinetics.plot.common as c\n"
            "try:\n    c.ensure_display()\nexcept RuntimeError as e:\n    print('ERR', e)\n")
    res = _run_without_display(code, path_env="/nonexistent")
    assert res.returncode == 0, res.stderr
    assert "ERR cannot render pictures: no DISPLAY is set and Xvfb is not installed" \
        in res.stdout


# --------------------------------------------------------------------------------- MPI
@pytest.mark.mpi
@pytest.mark.parametrize("dim", [3, 2])
def test_gathered_grid_equals_the_serial_grid(dim, tmp_path):
    from mpi4py import MPI
    comm = MPI.COMM_WORLD
    degree = 2 if dim == 2 else 1
    grid = export.to_pyvista(solve(dim, degree=degree))
    if comm.rank != 0:
        assert grid is None
        return
    ref = export.to_pyvista(solve(dim, degree=degree, comm=MPI.COMM_SELF))
    assert grid.n_points == ref.n_points and grid.n_cells == ref.n_cells
    np.testing.assert_allclose(grid.points, ref.points)          # same order, too
    # tolerances relative to the size of each kind of field (components that vanish are
    # round-off, different on 1 and 2 ranks)
    mu_max, j_max = np.abs(ref["mu_s"]).max(), np.abs(ref["j_c"]).max()
    scales = {"V": V0, "mu_s": mu_max, "|mu_s|": mu_max, "region": 1.0}
    for name in ("V", "mu_s", "|mu_s|", "region", "j_c", "j_s_x", "j_s_y", "j_s_z"):
        a, b = np.asarray(grid[name], dtype=float), np.asarray(ref[name], dtype=float)
        atol = 1e-8 * scales.get(name, j_max)
        np.testing.assert_allclose([a.min(), a.max()], [b.min(), b.max()], rtol=1e-7, atol=atol)
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=atol)


@pytest.mark.mpi
def test_pictures_and_files_under_mpi(tmp_path):
    from mpi4py import MPI
    comm = MPI.COMM_WORLD
    folder = Path(comm.bcast(str(tmp_path), root=0))
    sol = solve(2, degree=1)
    out = plot.spin_accumulation_3d(sol, folder / "mu.png", component="y")
    vtu = export.save_vtu(sol, folder / "f.vtu")
    lines = plot.current_streamlines(folder / "f.vtu" if comm.rank == 0 else None,
                                     folder / "j.png")
    chart = plot.line_profile([0, 1], [1, 2], folder / "l.png")
    if comm.rank == 0:
        assert out == folder / "mu.png" and vtu == folder / "f.vtu"
        for png in (out, lines):
            assert_not_blank(png, min_colors=8)
        assert_not_blank(chart, min_colors=8, min_ink=0.01)
    else:
        assert out is None and vtu is None and lines is None and chart is None
    with pytest.raises((ValueError, RuntimeError), match="unknown component|rank 0 failed"):
        plot.spin_accumulation_3d(sol, folder / "bad.png", component="q")
    comm.barrier()
