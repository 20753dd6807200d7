"""The models a case file can run, each registered with its section of the case file.

A model brings a :class:`CaseModel` record: the TOML section that selects it (or None for
the default model, run when no model section is present), the schema of that section (key
-> :mod:`kinetics.case_schema` spec: type, valid range, unit, default, meaning; it also
writes the section's table in docs/case_files.md), a ``validate`` hook for the checks that
need the whole case, the other sections it needs, and the ``run`` function.
:func:`kinetics.case.parse_case` validates the section through the record and
:func:`kinetics.runner.run_case` calls ``run``; neither has a branch per model.

Adding a model: write ``kinetics/models/<name>_case.py`` that builds its CaseModel and calls
:func:`register` at import, and add the module to :data:`MODULES`.  The modules are
imported the first time the registry is asked (so ``import kinetics`` stays light; the glue
modules import dolfinx only inside their run functions).
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["CaseModel", "RunContext", "Registry", "REGISTRY", "MODULES", "register", "lookup"]

#: glue modules that register the models of the case files (imported on first use)
MODULES = ("kinetics.models.spin_charge_case", "kinetics.models.pumping_case",
           "kinetics.models.texture_case", "kinetics.models.circuit_case",
           "kinetics.models.usadel_case")


@dataclasses.dataclass(frozen=True)
class CaseModel:
    """One model of the case files.

    Attributes
    ----------
    name:
        Model name (messages, docs).
    section:
        The top-level TOML table that selects the model, e.g. ``"pumping"``; None for the
        default model (run when no model section is present).
    bytes_per_cell:
        Measured peak memory of a run per mesh cell (bytes; 0: not known).  A case whose
        estimated mesh would need more than the machine's memory is refused before meshing
        (:func:`kinetics.case_layout.check_memory`).
    schema:
        Keys of the section -> spec (:class:`kinetics.case_schema.Number`, ``Integer``,
        ``String``, ``Bool``, ``Vector``, ``Matrix3``, ``Array``, ``Table``): type, range,
        unit, default, whether required, and references to facets, regions or boundaries.
        Unknown keys, missing required keys and invalid values are errors naming file, line
        and key.  ``keys`` and ``required`` are derived from it when it is given.
    keys:
        Allowed keys of the section -> spec, or type or tuple of types (``(int, float)``
        for numbers, ``list`` for arrays, ``dict`` for tables) for a model without a
        ``schema``.
    required:
        Keys that must be present -> what they are; a missing key gives
        ``"[section.key] required, <what>"``.
    needs:
        Other sections the model needs besides ``[geometry]`` (e.g. ``("materials",)``).
    validate:
        ``validate(case, section)`` for checks beyond the schema (relations between keys and
        sections); reports each problem with ``case.report(keypath, message)`` (or raises
        ``case.error(keypath, message)`` for one).  Called only when the section itself
        passed its schema, after the common sections have been checked.
    run:
        ``run(case, device, context) -> dict``: solve and measure; the dict is merged into
        results.json after ``case``, ``case_file``, ``ranks``, ``mesh``.  Set
        ``context.solution`` to the solution whose fields are written (fields.bp, .vtu,
        pictures), or leave it None for results.json only.
    pictures:
        ``pictures(folder)``: draws the model's pictures from a finished run's output folder
        (results.json and the fields in it) when ``[output] pictures = true``; called on
        every rank inside the run's temporary folder, so a failure leaves nothing written.
        None: :func:`kinetics.plot.pictures_from_folder` (spin accumulation and currents).

    Raises
    ------
    ValueError
        If both ``schema`` and ``keys``/``required`` are given.
    """

    name: str
    section: str | None
    run: Callable[..., dict]
    keys: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    required: Mapping[str, str] = dataclasses.field(default_factory=dict)
    needs: tuple[str, ...] = ("materials",)
    validate: Callable[..., None] | None = None
    schema: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    bytes_per_cell: float = 0.0
    pictures: Callable[..., Any] | None = None

    def __post_init__(self):
        if self.schema:
            if self.keys or self.required:
                raise ValueError(f"model '{self.name}': give either schema or keys/required")
            from kinetics.case_schema import Spec, requirement
            object.__setattr__(self, "keys", dict(self.schema))
            object.__setattr__(self, "required", {k: requirement(s)
                                                  for k, s in self.schema.items()
                                                  if isinstance(s, Spec) and s.required})


@dataclasses.dataclass
class RunContext:
    """What a model's run function gets besides the case and the device.

    Attributes
    ----------
    comm:
        The MPI communicator of the run.
    progress:
        :class:`kinetics.runner.Progress` (``step(message)``, ``bar(total, desc)``).
    solution:
        Set by the run function: the solution written as fields (None: none).
    """

    comm: Any
    progress: Any
    solution: Any = None


class Registry:
    """Section name (or None for the default model) -> :class:`CaseModel`.

    Parameters
    ----------
    modules:
        Modules imported on first use that register their models here (see
        :data:`MODULES`); empty for a registry filled by hand.
    """

    def __init__(self, modules: tuple[str, ...] = ()):
        self._models: dict[str | None, CaseModel] = {}
        self._modules = tuple(modules)
        self._loaded = not self._modules

    def _load(self) -> None:
        if not self._loaded:
            self._loaded = True     # set first: the modules call register() while importing
            for name in self._modules:
                importlib.import_module(name)

    def register(self, model: CaseModel) -> CaseModel:
        """Add ``model``; returns it.

        Raises
        ------
        ValueError
            If another model already has the same section (or is already the default).
        """
        if not isinstance(model, CaseModel):
            raise TypeError(f"register() takes a CaseModel, got {type(model).__name__}")
        other = self._models.get(model.section)
        if other is not None and other != model:
            what = f"section [{model.section}]" if model.section else "the default model"
            raise ValueError(f"model '{model.name}': {what} is already registered by model "
                             f"'{other.name}'")
        self._models[model.section] = model
        return model

    def lookup(self, section: str | None) -> CaseModel:
        """The model of ``section`` (None: the default model).

        Raises
        ------
        KeyError
            Naming the registered sections.
        """
        self._load()
        if section not in self._models:
            what = f"no model for section [{section}]" if section else "no default model"
            raise KeyError(f"{what}; model sections: {', '.join(self.sections()) or 'none'}")
        return self._models[section]

    def sections(self) -> tuple[str, ...]:
        """The registered model sections, sorted."""
        self._load()
        return tuple(sorted(s for s in self._models if s is not None))

    def models(self) -> tuple[CaseModel, ...]:
        """All registered models (the default first, then by section)."""
        self._load()
        return tuple(self._models[s] for s in ((None,) if None in self._models else ())
                     + self.sections())

    def has_default(self) -> bool:
        """Whether a default model (section None) is registered."""
        self._load()
        return None in self._models

    def copy(self) -> "Registry":
        """A new registry with the same models (for adding a model temporarily)."""
        self._load()
        new = Registry()
        new._models = dict(self._models)
        return new


#: the registry of the case files and the runner
REGISTRY = Registry(MODULES)


def register(model: CaseModel) -> CaseModel:
    """Register ``model`` in :data:`REGISTRY` (see :meth:`Registry.register`)."""
    return REGISTRY.register(model)


def lookup(section: str | None) -> CaseModel:
    """The model of ``section`` in :data:`REGISTRY` (see :meth:`Registry.lookup`)."""
    return REGISTRY.lookup(section)
