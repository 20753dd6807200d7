"""What every model shares: internal units, declared solution fields, the region → bulk-model
dispatch, conditions that contribute their own form terms, and a Solution that converts to SI.

A model (:mod:`kinetics.models.spin_charge` is the reference) is a :class:`Problem` that

- declares its solution fields (:class:`Field`: name, shape, SI unit, kind), so that output,
  observables and plotting iterate over them instead of knowing the layout of the unknown;
- asks :func:`bulk_model` for the bulk terms of each region's material (different material
  kinds register different bulk models with :func:`register_bulk_model`);
- lets each boundary or interface condition add its own terms through a :class:`FormBuilder`
  (``condition.contribute(builder)``), so that no ``isinstance`` chain decides the form;
- keeps the internal unit scaling in one :class:`Scaling`.

Internal units (:class:`Scaling`): the forms are written in mesh coordinates (L metres per
unit, ``Device.length_unit``) and divided by σ0 L^(d−2), σ0 the largest constant
conductivity, so that matrix entries are O(1) whatever the mesh unit:

    σ̂ = σ/σ0,   (L/λ_sf)²,   Â = A L,   Ĝ = G L/σ0,   ĵ_n = j_n L/σ0  (volts).

Potentials (volts) are not scaled; a flux of the scaled weak form is σ0/L A/m², one unit of
its residual σ0 L^(d−2) A (A/m in a 2D cross-section).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from kinetics import validation

__all__ = ["Field", "Scaling", "Problem", "Solution", "FormBuilder", "register_bulk_model",
           "bulk_model"]


# ---------------------------------------------------------------------------- fields
@dataclasses.dataclass(frozen=True)
class Field:
    """A field that a model's solution declares.

    Attributes
    ----------
    name:
        Short name used in output files and by :meth:`Solution.expression` (``"V"``).
    shape:
        Value shape: ``()`` scalar, ``(3,)`` vector, ``(3, 3)`` tensor.
    unit:
        SI unit of the values (``"V"``, ``"A/m^2"``).
    description:
        One line for people (legends, file metadata).
    kind:
        ``"primary"``: part of the unknown, continuous (point data);
        ``"flux"``: derived per region from the primary fields and the region's
        coefficients, discontinuous across regions (cell data).
    """

    name: str
    shape: tuple
    unit: str
    description: str
    kind: str = "primary"

    @property
    def size(self) -> int:
        """Number of scalar components."""
        return int(np.prod(self.shape)) if self.shape else 1


# ---------------------------------------------------------------------------- scaling
class Scaling:
    """The internal units of a problem (module docstring), in one place.

    Parameters
    ----------
    length_unit:
        L, metres per mesh coordinate unit.
    sigma0:
        Reference conductivity σ0, S/m (> 0).
    dim:
        Topological dimension d of the mesh.
    """

    def __init__(self, length_unit: float, sigma0: float, dim: int):
        self.length = float(length_unit)
        self.sigma0 = float(sigma0)
        self.dim = int(dim)
        #: factor of a conductance per area (and of a current density entering as a flux
        #: through a surface, in volts): Ĝ = G · per_area
        self.per_area = self.length / self.sigma0
        #: A/m² per unit of a scaled flux −σ̂∇̂V
        self.current_density = self.sigma0 / self.length
        #: SI value (A, A/m in 2D) of one unit of the scaled weak-form residual
        self.residual = self.sigma0 * self.length ** (self.dim - 2)
        #: m² (m in 2D) per unit of a mesh facet integral
        self.area = self.length ** (self.dim - 1)

    def normal_current(self, j: float) -> float:
        """A normal current density j (A/m²) in the units of the scaled weak form."""
        return j * self.length / self.sigma0


# ---------------------------------------------------------------------------- bulk models
_BULK_MODELS: dict[type, Callable] = {}


def register_bulk_model(material_type: type, model: Callable) -> None:
    """Declare ``model`` the bulk model of the regions whose material is a
    ``material_type`` (subclasses included, the most specific registration wins)."""
    _BULK_MODELS[material_type] = model


def bulk_model(material) -> Callable:
    """The bulk model registered for the type of ``material``.

    Raises
    ------
    TypeError
        If no bulk model is registered for it (the message lists the registered types).
    """
    for cls in type(material).__mro__:
        if cls in _BULK_MODELS:
            return _BULK_MODELS[cls]
    known = ", ".join(sorted(t.__name__ for t in _BULK_MODELS)) or "(none)"
    raise TypeError(f"no bulk model for a material of type {type(material).__name__}; "
                    f"registered: {known}")


# ---------------------------------------------------------------------------- forms
class FormBuilder:
    """What a condition sees when it adds its terms to a model's weak form.

    A model creates one and calls ``condition.contribute(builder)`` for each condition; the
    condition adds bilinear and linear terms and Dirichlet values through it.  The model
    sets the trial and test fields (e.g. ``builder.fields = {"V": V, "mu_s": mu}``,
    ``builder.tests = {"V": v, "mu_s": w}``).

    Attributes
    ----------
    problem:
        The :class:`Problem` being built.
    scaling:
        Its :class:`Scaling`.
    fields, tests:
        Name -> UFL trial (unknown) and test field of the model.
    """

    def __init__(self, problem: "Problem"):
        self.problem = problem
        self.scaling = problem.scaling
        self.fields: dict = {}
        self.tests: dict = {}
        self.bilinear = []
        self.linear = []
        self.dirichlet: list[tuple[str, np.ndarray, float]] = []   # (field, facets, value)
        self.records: dict = {}

    @property
    def x(self):
        """The SI spatial coordinate (UFL 3-vector, metres; zero along unmeshed axes)."""
        return self.problem.x_si

    def ds(self, name: str):
        """Exterior-facet measure of the facets named ``name``."""
        return self.problem.ds(self.problem.device.boundary_tag(name))

    def area(self, name: str) -> float:
        """Area of the facets ``name`` (SI: m², m in 2D)."""
        return self.problem.device.area(name)

    def constant(self, value):
        """A runtime constant (changing its ``value`` needs no recompilation)."""
        return self.problem.constant(value)

    def vector(self, value):
        """A 3-vector given as numbers (a constant), a callable of the SI coordinate, or a
        dolfinx Function, as UFL."""
        if callable(value):
            return value(self.x)
        if hasattr(value, "function_space"):
            return value
        return self.constant(np.asarray(value, dtype=float))

    def add(self, bilinear=None, linear=None) -> None:
        """Add UFL terms to the bilinear and/or linear form."""
        if bilinear is not None:
            self.bilinear.append(bilinear)
        if linear is not None:
            self.linear.append(linear)

    def fix(self, field: str, name: str, value: float = 0.0) -> None:
        """Prescribe ``field`` (all its components) to ``value`` on the facets ``name``."""
        dev = self.problem.device
        facets = dev.facet_tags.find(dev.boundary_tag(name))
        self.dirichlet.append((field, facets, float(value)))

    def record(self, name: str, entry) -> None:
        """Keep ``entry`` (what observables need to know of the condition) under ``name``."""
        self.records[name] = entry


# ---------------------------------------------------------------------------- problem
class Problem:
    """Base of the models: a device, a material per region, conditions on named facets.

    Subclasses set :attr:`FIELDS` and build their spaces and forms.

    Parameters
    ----------
    device:
        A :class:`kinetics.device.Device`.
    materials:
        Region name -> material; every region of the device needs one, and each material's
        type must have a registered bulk model (:func:`register_bulk_model`).
    conditions:
        Boundary and interface conditions (objects with ``name``, ``kind`` and
        ``contribute(builder)``), at most one per facet name.
    degree:
        Lagrange degree (1, 2 or 3).

    Raises
    ------
    KeyError
        Unknown region or facet name (the message lists the known ones).
    ValueError
        A region without material, a facet name with two conditions or without facets;
        a degree that is not an integer 1, 2 or 3 (:class:`kinetics.validation.ValidationError`,
        also for ``2.5``, ``2.0`` and ``True``).
    TypeError
        Materials that are not a mapping, conditions that are not a sequence, a material
        without a registered bulk model, a condition that cannot contribute terms.
    """

    #: the fields of this model's solution
    FIELDS: tuple[Field, ...] = ()

    def __init__(self, device, materials: Mapping, conditions: Sequence = (), *,
                 degree: int = 1):
        owner = type(self).__name__
        if not isinstance(materials, Mapping):
            raise TypeError(f"{owner}: materials must be a mapping region name -> Material, "
                            f"got {type(materials).__name__}")
        if isinstance(conditions, (str, Mapping)) or not isinstance(conditions, Sequence):
            raise TypeError(f"{owner}: boundaries must be a list of conditions "
                            f"(kinetics.physics.boundaries), got {type(conditions).__name__}")
        self.device = device
        self.materials = dict(materials)
        self.boundaries = list(conditions)
        self.degree = validation.integer(owner, "degree", degree, 1, 3)
        self._validate_common()
        self.bulk_models = {}
        for name, mat in self.materials.items():
            try:
                self.bulk_models[name] = bulk_model(mat)
            except TypeError as exc:
                raise TypeError(f"{owner}: materials[{name!r}] = {mat!r} is not a material "
                                f"(e.g. kinetics.materials.get('Pt')): {exc}") from None
        self.scaling = Scaling(device.length_unit, self._reference_conductivity(), device.dim)
        self._measures()

    # -- validation
    def _validate_common(self):
        from kinetics.materials import LIBRARY
        dev = self.device
        for name in self.materials:
            dev.region_tag(name)  # KeyError listing the regions
        missing = [r for r in dev.regions if r not in self.materials]
        if missing:
            raise ValueError(f"region(s) {missing} have no material; assign one, e.g. "
                             f"materials={{'{missing[0]}': kinetics.materials.get('Pt')}}; "
                             f"library: {', '.join(sorted(LIBRARY))}")
        seen = set()
        for cond in self.boundaries:
            if not callable(getattr(cond, "contribute", None)):
                raise TypeError(f"boundary conditions must be kinetics.physics.boundaries "
                                f"objects, got {cond!r}")
            if cond.name in seen:
                raise ValueError(f"boundary '{cond.name}' has more than one condition")
            seen.add(cond.name)
            dev.boundary_tag(cond.name)  # KeyError listing the names
            if dev.facet_count(cond.name) == 0:
                raise ValueError(f"the mesh has no facets tagged '{cond.name}' (tag "
                                 f"{dev.boundary_tag(cond.name)}); the named interface is missing")

    def interior_facet_count(self, name: str) -> int:
        """Number of facets named ``name`` that are interior (shared by two cells), over
        all ranks."""
        from dolfinx import mesh as dmesh
        from mpi4py import MPI
        msh = self.device.mesh
        fdim = msh.topology.dim - 1
        msh.topology.create_connectivity(fdim, fdim + 1)
        exterior = dmesh.exterior_facet_indices(msh.topology)
        facets = self.device.facet_tags.find(self.device.boundary_tag(name))
        n_owned = msh.topology.index_map(fdim).size_local
        facets = facets[facets < n_owned]
        bad = int(np.count_nonzero(~np.isin(facets, exterior)))
        return msh.comm.allreduce(bad, op=MPI.SUM)

    def _reference_conductivity(self) -> float:
        from mpi4py import MPI
        sigmas = [m.sigma for m in self.materials.values()
                  if not callable(getattr(m, "sigma", None))]
        sigma0 = max(sigmas) if sigmas else 1.0
        return self.device.mesh.comm.allreduce(sigma0, op=MPI.MAX)

    # -- UFL helpers
    def _measures(self):
        import ufl
        dev = self.device
        msh = dev.mesh
        x = ufl.SpatialCoordinate(msh)
        L = self.scaling.length
        self.x_si = ufl.as_vector([L * x[dev.axes.index(a)] if a in dev.axes else 0.0
                                   for a in "xyz"])
        self.dx = ufl.Measure("dx", domain=msh, subdomain_data=dev.cell_tags)
        self.ds = ufl.Measure("ds", domain=msh, subdomain_data=dev.facet_tags)

    def constant(self, value):
        """A ``dolfinx.fem.Constant`` on the device mesh holding ``value`` (float64)."""
        from dolfinx import fem
        return fem.Constant(self.device.mesh, np.asarray(value, dtype=np.float64))

    def scaled(self, value, scale: float):
        """A material parameter (a number or a callable of the SI coordinate) times ``scale``,
        as UFL."""
        if callable(value):
            return value(self.x_si) * scale
        return self.constant(float(value) * scale)

    def inverse_square_length(self, length):
        """(L/ℓ)² for a length ℓ in metres (number, ``inf`` or callable of x), as UFL."""
        L = self.scaling.length
        if callable(length):
            return (L / length(self.x_si)) ** 2
        return self.constant(0.0 if math.isinf(length) else (L / length) ** 2)

    def condition(self, name: str):
        """The condition on the facets ``name``.

        Raises
        ------
        KeyError
            If no condition is set on that name.
        """
        for cond in self.boundaries:
            if cond.name == name:
                return cond
        raise KeyError(f"no boundary condition on '{name}'; conditions: "
                       f"{', '.join(c.name for c in self.boundaries)}")


# ---------------------------------------------------------------------------- solution
class Solution:
    """The solved fields of a :class:`Problem`, with their declared names, shapes and units.

    Subclasses implement :meth:`_primary` (the UFL expression of a primary field in terms of
    the unknown, SI) and :meth:`_flux` (a flux field in one region: internal-unit expression
    and SI factor, :meth:`flux`).

    Attributes
    ----------
    problem:
        The problem that produced it.
    u:
        The unknown (a dolfinx Function).
    iterations:
        Linear-solver iterations of the solve.
    """

    def __init__(self, problem: Problem, u, iterations: int = 0):
        self.problem = problem
        self.u = u
        self.iterations = iterations

    @property
    def fields(self) -> tuple[Field, ...]:
        """The declared fields (:attr:`Problem.FIELDS`)."""
        return self.problem.FIELDS

    def field(self, name: str) -> Field:
        """The declared :class:`Field` called ``name``.

        Raises
        ------
        KeyError
            For an undeclared name (the message lists the fields).
        """
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"unknown field {name!r}; fields: "
                       f"{', '.join(f.name for f in self.fields)}")

    @property
    def device(self):
        """The device of the problem."""
        return self.problem.device

    @property
    def degree(self) -> int:
        """Lagrange degree of the unknown."""
        return self.problem.degree

    @property
    def regions(self) -> list[str]:
        """Regions where the fields live."""
        return list(self.problem.materials)

    def dx(self, region: str | None = None):
        """Cell measure of ``region`` (all cells for None)."""
        p = self.problem
        return p.dx if region is None else p.dx(p.device.region_tag(region))

    def expression(self, name: str, region: str | None = None):
        """The field ``name`` as a UFL expression in SI units.

        Primary fields are defined everywhere; a flux field needs the ``region`` whose
        coefficients define it.

        Raises
        ------
        KeyError
            Unknown field.
        ValueError
            A flux field without a region.
        """
        if self.field(name).kind == "primary":
            return self._primary(name)
        expr, factor = self.flux(name, region)
        return factor * expr

    def flux(self, name: str, region: str | None):
        """A flux field in ``region`` as (UFL expression in internal units, SI factor): an
        integral of the expression times the factor is the SI integral (in mesh-unit
        measure).  Integrating first and scaling after keeps the round-off of the
        internal units.

        Raises
        ------
        KeyError
            Unknown field.
        ValueError
            A primary field, or no region.
        """
        if self.field(name).kind != "flux":
            raise ValueError(f"field {name!r} is not a flux; use expression()")
        if region is None:
            raise ValueError(f"field {name!r} is a flux: give the region whose coefficients "
                             f"define it (regions: {', '.join(self.regions)})")
        return self._flux(name, region)

    def _primary(self, name: str):
        raise NotImplementedError

    def _flux(self, name: str, region: str):
        raise NotImplementedError
