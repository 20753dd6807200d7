"""Gallery: every default device builds, has sane statistics and renders to a non-blank PNG."""

from pathlib import Path

import numpy as np
import pytest

from kinetics import geometry

pytest.importorskip("pyvista")

EXPECTED = {"film", "stack", "hall_bar", "nonlocal_spin_valve", "pillar", "stack2d"}


def read_png(path):
    import matplotlib.image as mpimg
    return mpimg.imread(str(path))


def assert_not_blank(path, min_colors=8):
    img = read_png(path)
    assert img.ndim == 3 and img.shape[0] > 100 and img.shape[1] > 100
    rgb = np.round(img[..., :3] * 255).astype(np.uint8).reshape(-1, 3)
    colors = np.unique(rgb, axis=0)
    assert len(colors) >= min_colors, f"{path}: only {len(colors)} colours"
    assert rgb.std() > 5
    # something other than the white background covers a real part of the picture
    assert np.mean(np.any(rgb < 230, axis=1)) > 0.02


def test_default_devices_are_the_documented_set():
    from kinetics.geometry import gallery
    assert set(gallery.DEFAULT_DEVICES) == EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_render_every_gallery_device(name, tmp_path):
    from kinetics.geometry import gallery
    device = gallery.DEFAULT_DEVICES[name]()
    stats = geometry.statistics(device)
    assert 0 < stats["h_min"] <= stats["h_max"] and 0.1 < stats["quality_min"] <= 1
    assert "|" in "".join(device.boundaries)  # every gallery device has a tagged interface
    out = gallery.render(device, tmp_path / "sub" / f"{name}.png", title=name)
    assert out == tmp_path / "sub" / f"{name}.png" and out.is_file()
    assert_not_blank(out)


@pytest.mark.mpi
def test_render_gathers_the_distributed_mesh(tmp_path):
    from mpi4py import MPI

    from kinetics.geometry import gallery
    comm = MPI.COMM_WORLD
    path = Path(comm.bcast(str(tmp_path), root=0)) / "nlsv.png"
    device = gallery.DEFAULT_DEVICES["nonlocal_spin_valve"](h=25e-9, fm_thickness=25e-9,
                                                           channel_thickness=25e-9)
    assert gallery.render(device, path, highlight=["channel|fm1", "contact_left"]) == path
    if comm.rank == 0:
        assert_not_blank(path)
    with pytest.raises(KeyError, match="unknown boundary 'nope'"):
        gallery.render(device, path, highlight=["nope"])


def test_render_refuses_1d(tmp_path):
    from kinetics.geometry import layered_box
    from kinetics.geometry import gallery
    with pytest.raises(ValueError, match="1D"):
        gallery.render(layered_box([10e-9], [4]), tmp_path / "x.png")
