"""Sphinx configuration of the kinetics API reference (numpydoc docstrings).

Build: ``make docs`` (HTML in docs/api/_build/html, warnings are errors), or
``python3 -m sphinx -W --keep-going -b html docs/api docs/api/_build/html``.
The module pages are generated from the package (autosummary, recursive) into
``docs/api/generated/``; nothing there is edited by hand.
"""

import os
import re
import sys
import types
from pathlib import Path

# the checkout this file belongs to (or KINETICS_ROOT, when the sources were copied to build)
ROOT = Path(os.environ.get("KINETICS_ROOT", Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYVISTA_OFF_SCREEN", "true")

import kinetics  # noqa: E402

# autosummary imports every submodule to list it; importing kinetics.__main__ would run the
# command line with Sphinx's arguments. A stand-in marked as a mock is skipped instead.
_main = types.ModuleType("kinetics.__main__")
_main.__sphinx_mock__ = True
sys.modules.setdefault("kinetics.__main__", _main)

project = "kinetics"
author = "The kinetics developers"
copyright = "The kinetics developers"
release = version = kinetics.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
]
templates_path = ["_templates"]
exclude_patterns = ["_build"]

autosummary_generate = True
autosummary_imported_members = False
autodoc_member_order = "bysource"
autodoc_typehints = "none"          # the numpydoc sections give types in words
autodoc_mock_imports: list[str] = []

# numpydoc: Parameters/Returns/Raises sections; members are listed by autodoc itself
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()

html_theme = "alabaster"
html_title = f"kinetics {release} API"
html_static_path: list[str] = []


# -- plain-text physics in docstrings -------------------------------------------------------
# The docstrings are written to read well in help() as well: |m| is an absolute value and
# pt|yig an interface name, not reST substitutions. Outside backquotes, literal blocks and
# tables, a bar is escaped before docutils sees it.
_BAR = re.compile(r"(?<!\\)\|")


def _escape_bars(line: str) -> str:
    parts = re.split(r"(`+[^`]*`+)", line)          # keep ``literals``, :roles:`...` as they are
    return "".join(p if p.startswith("`") else _BAR.sub(r"\\|", p) for p in parts)


def _plain_bars(app, what, name, obj, options, lines):
    literal_indent = None
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if literal_indent is not None:
            if stripped and indent <= literal_indent:
                literal_indent = None
            else:
                continue
        table_row = stripped.startswith(("+-", "+=", "| ")) or (
            stripped.startswith("|") and stripped.rstrip().endswith("|") and len(stripped) > 3
            and stripped.count("|") > 2)
        if table_row or stripped.startswith(".. math::"):
            continue
        lines[i] = _escape_bars(line)
        if line.rstrip().endswith("::"):
            literal_indent = indent


def setup(app):
    app.connect("autodoc-process-docstring", _plain_bars)
