"""Device geometries: gmsh builders, a .geo/.msh loader, checks and mesh statistics.

Every builder returns a :class:`kinetics.device.Device` whose region and facet names are
the gmsh physical-group names.  Public lengths are SI metres; the gmsh models are built in
nanometres (``length_unit = 1e-9``).  gmsh runs on rank 0 only and dolfinx distributes the
mesh, so all of this works unchanged under ``mpirun``.

=============================  =========================================================
builder                        device
=============================  =========================================================
:func:`stack`, :func:`film`    rectangular multilayer / single film (3D or x-z 2D)
:func:`pillar`                 cylindrical or elliptical multilayer nanopillar
:func:`hall_bar`               Hall bar with end contacts and pairs of voltage arms
:func:`nonlocal_spin_valve`    channel crossed by two ferromagnetic electrodes (3D or 2D)
:func:`blocks`                 any assembly of named axis-aligned boxes
:func:`layered_box`            structured stack of layers without gmsh (hexahedra or simplices)
:func:`load`                   a user's .geo or .msh file with physical names
=============================  =========================================================

Before meshing: :func:`describe` checks a builder's parameters and returns a
:class:`Layout` (region and facet names, dimension, axes, estimated cells) without gmsh;
:func:`describe_file` reads the names of a .geo/.msh file without meshing.  Files and caches
named by untrusted input (case files) are checked by :mod:`kinetics.geometry.safety`
(:func:`check_geometry_path`, :func:`check_geo_script`, :func:`check_cache_dir`) and loaded
with ``load(..., trusted=False)``.

Naming: interfaces between meshed regions are ``"lower|upper"``; exterior faces are
``"<region>_<side>"`` (``xmin``, ``xmax``, ``ymin``, ``ymax``, ``bottom``, ``top``,
``sides``), with role names for contacts, probes, leads and the heavy-metal|insulator face
(see each builder).  Element sizes: ``h`` (maximum, metres), ``refine={facet: (h_min,
distance)}`` (graded toward facets) and ``cells_across`` (structured layers through thin
films); see :mod:`kinetics.geometry.builders`.

:func:`statistics` / :func:`format_statistics` report cells, vertices, element sizes and
quality; :func:`check_device` raises for empty regions or facet sets.  The picture gallery
(:mod:`kinetics.geometry.gallery`, PyVista) is imported on demand.
"""

from kinetics.geometry.builders import film, pillar, stack
from kinetics.geometry.checks import check_device, format_statistics, statistics
from kinetics.geometry.devices import blocks, hall_bar, nonlocal_spin_valve
from kinetics.geometry.layered_box import layered_box
from kinetics.geometry.layout import BUILDERS, Layout, describe
from kinetics.geometry.load import describe_file, load
from kinetics.geometry.safety import check_cache_dir, check_geo_script, check_geometry_path

__all__ = ["stack", "film", "pillar", "hall_bar", "nonlocal_spin_valve", "blocks", "layered_box", "load",
           "statistics", "format_statistics", "check_device", "gallery", "describe", "describe_file",
           "Layout", "BUILDERS", "check_geometry_path", "check_geo_script", "check_cache_dir"]


def __getattr__(name: str):
    if name == "gallery":
        import importlib
        return importlib.import_module("kinetics.geometry.gallery")
    raise AttributeError(f"module 'kinetics.geometry' has no attribute {name!r}")
