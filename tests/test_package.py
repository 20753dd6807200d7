"""The package imports without side effects; the version and the command work."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

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


# -- install: pip install -e . beside the environment's dolfinx (issue 15) -----------------

ROOT = Path(__file__).resolve().parent.parent


def _clean_env(**extra) -> dict:
    """The environment without the checkout on PYTHONPATH and with pip kept offline."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PIP_CONFIG_FILE")}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_CONFIG_FILE=os.devnull,
               **extra)
    return env


def test_editable_install_into_a_venv_beside_dolfinx(tmp_path):
    """README "Install": a venv with --system-site-packages over the environment, then
    ``pip install -e .`` (here --no-deps --no-build-isolation --no-index: no network).
    The installed package is the one imported, ``kinetics --version`` works, dolfinx and
    every dependency of pyproject.toml come from the environment."""
    src = tmp_path / "src"                  # a copy: the install writes kinetics.egg-info
    shutil.copytree(ROOT / "kinetics", src / "kinetics",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    venv = tmp_path / "venv"
    env = _clean_env()

    def run(*cmd):
        res = subprocess.run([str(c) for c in cmd], capture_output=True, text=True,
                             cwd=tmp_path, env=env)
        assert res.returncode == 0, f"{cmd}:\n{res.stdout}\n{res.stderr}"
        return res.stdout

    run(sys.executable, "-m", "venv", "--system-site-packages", venv)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "-e", src)
    code = ("import importlib.metadata as md, re, dolfinx, kinetics; print(kinetics.__file__); "
            "print(dolfinx.__version__); "
            "reqs = [re.split('[ <>=;!~]', r)[0] for r in md.requires('kinetics')]; "
            "print([(r, md.version(r)) for r in reqs])")
    file, dolfinx_version, deps = run(python, "-c", code).splitlines()
    assert Path(file).resolve() == (src / "kinetics" / "__init__.py").resolve()
    assert dolfinx_version.startswith("0.9")
    assert "numpy" in deps and "tqdm" in deps
    version = run(venv / "bin" / "kinetics", "--version").strip()
    assert version == f"kinetics {kinetics.__version__}"


def test_conda_environment_matches_pyproject():
    """docker/environment.yml provides dolfinx and every dependency and extra of
    pyproject.toml (the tools of the docs, notebook and test runs; conda-forge names)."""
    import tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = project["dependencies"] + sum(project["optional-dependencies"].values(), [])
    listed = {line.strip()[2:].split("=")[0].split("<")[0].split(">")[0].strip()
              for line in (ROOT / "docker" / "environment.yml").read_text().splitlines()
              if line.strip().startswith("- ")}
    wanted = {d.split(">")[0].split("=")[0].split("<")[0].strip() for d in deps}
    wanted.add("fenics-dolfinx")
    assert wanted <= listed, f"missing from docker/environment.yml: {sorted(wanted - listed)}"


def test_citation_file():
    """CITATION.cff is CFF 1.2.0 with its required keys, and its version is the package's."""
    import yaml                         # (python3-yaml: a dependency of jupytext)
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "version", "license"):
        assert cff.get(key), key
    assert cff["version"] == kinetics.__version__
    assert all("name" in a or "family-names" in a for a in cff["authors"])
    for ref in cff.get("references", []):
        assert ref["type"] and ref["title"] and ref["authors"]
        # only references with a verified identifier (docs/references.md)
        assert ref.get("doi") or any(i.get("type") in ("doi", "other")
                                     for i in ref.get("identifiers", [])), ref["title"]


def test_dockerfiles_match_the_environment():
    """docker/Dockerfile starts from the official image of the dolfinx version that the
    environment runs, and installs extras that pyproject.toml defines; docker/Dockerfile.debian
    installs docker/packages.txt. (No container engine here: the images are not built.)"""
    import re
    import tomllib

    import dolfinx
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    text = (ROOT / "docker" / "Dockerfile").read_text()
    base = re.search(r"^FROM (\S+)", text, re.M).group(1)
    major_minor = ".".join(dolfinx.__version__.split(".")[:2])
    assert re.fullmatch(rf"dolfinx/dolfinx:v{re.escape(major_minor)}\.\d+", base), base
    wanted = re.search(r'pip install [^\n]*"/opt/kinetics\[([a-z,]+)\]"', text).group(1)
    assert set(wanted.split(",")) == set(extras)
    debian = (ROOT / "docker" / "Dockerfile.debian").read_text()
    assert "COPY docker/packages.txt" in debian and "--system-site-packages /opt/venv" in debian
