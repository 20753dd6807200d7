"""The API reference (docs/api, Sphinx + numpydoc) builds from the docstrings with warnings
as errors, and it has a page for every public module (issue 15).

The sources are copied to a temporary folder first, so that the generated module pages
(autosummary) and the HTML never land in the checkout. ``make docs`` builds the same in
docs/api/_build/html."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def public_modules() -> set[str]:
    """kinetics and every module or package under it whose name has no leading underscore."""
    names = set()
    for path in (ROOT / "kinetics").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts[-1] != "__main__" and not any(p.startswith("_") for p in parts):
            names.add(".".join(parts))
    return names


def test_public_modules_are_found():
    names = public_modules()
    assert {"kinetics", "kinetics.materials", "kinetics.geometry.builders",
            "kinetics.physics.spin_charge"} <= names
    assert "kinetics.geometry._gmsh" not in names and "kinetics.__main__" not in names


def test_api_reference_builds_without_warnings(tmp_path):
    src, out = tmp_path / "src", tmp_path / "html"
    shutil.copytree(ROOT / "docs" / "api", src,
                    ignore=shutil.ignore_patterns("_build", "generated"))
    env = dict(os.environ, KINETICS_ROOT=str(ROOT))
    res = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q",
                          "-b", "html", "-d", str(tmp_path / "doctrees"), str(src), str(out)],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert res.returncode == 0, f"Sphinx warnings (as errors):\n{res.stderr[-6000:]}"

    pages = {p.stem for p in (out / "generated").glob("*.html")}
    missing = public_modules() - pages
    assert not missing, f"modules without an API page: {sorted(missing)}"
    # numpydoc turned a "Parameters" section into a field list, with the units in it
    page = (out / "generated" / "kinetics.analytic.film.html").read_text()
    assert 'id="kinetics.analytic.film.film_coefficients"' in page
    assert '<dt class="field-odd">Parameters' in page
    # the plain-text notation of the docstrings survives: |m| and pt|yig are not markup
    page = (out / "generated" / "kinetics.physics.boundaries.html").read_text()
    assert "HM|FI" in page and "CurrentContact" in page
