"""The package imports without side effects; the version and the command work."""

import subprocess
import sys

import kinetics


def test_import_has_no_side_effects(tmp_path):
    code = ("import sys, kinetics; "
            "heavy = [m for m in ('mpi4py', 'dolfinx', 'petsc4py', 'gmsh', 'pyvista') if m in sys.modules]; "
            "print(heavy)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]" and res.stderr == ""
    assert list(tmp_path.iterdir()) == []


def test_version_command():
    res = subprocess.run([sys.executable, "-m", "kinetics", "--version"], capture_output=True, text=True)
    assert res.returncode == 0
    assert res.stdout.strip() == f"kinetics {kinetics.__version__}"


def test_lazy_names_resolve():
    for name in kinetics.__all__:
        assert getattr(kinetics, name) is not None
