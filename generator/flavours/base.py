"""What a flavour is: the style setting, and the protocol each flavour module implements."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from generator import ir
    from generator.render.renderer import Renderer


class Style(str, Enum):
    """The flavour of the generated models (``--style`` / ``[tool.ocppgen] style``)."""

    DATACLASSES = "dataclasses"
    """Standard-library dataclasses with the compiled validation runtime."""
    PYDANTIC = "pydantic"
    """pydantic v2 models written by datamodel-code-generator."""
    MSGSPEC = "msgspec"
    """msgspec structs written by datamodel-code-generator, decoded by msgspec's C code."""


@dataclass(frozen=True)
class ModelSet:
    """The model classes of one folder: one version of the bindings, or of an extension."""

    spec: ir.Spec
    """The version's IR: its enums, data types and title."""
    objects: tuple[ir.ObjectDef, ...]
    """The payload classes (``messages.py``): the version's messages, or an extension's."""
    folder: str
    """Where the modules go, relative to the output folder (``ocpp_bindings/v201``)."""
    source: str
    """What the generated header names as the source."""
    package: str
    """The bindings package (``ocpp_bindings``): its runtime modules serve every set."""
    datatypes_doc: str
    """The docstring of ``datatypes.py``."""
    messages_doc: str
    """The docstring of ``messages.py``."""
    in_bindings: bool = True
    """True for the bindings' own version folder (every module written, runtime imported
    relatively); False for an extension (modules only where it has classes)."""


class Flavour(Protocol):
    """One output flavour: the runtime modules it ships and how it writes the model classes.

    Everything else (registry, handlers, dispatcher, examples, generated tests, extension
    registries) is rendered once for every flavour from the same templates; they reach the
    models through the package's ``_flavour`` module.
    """

    style: Style
    runtime: Mapping[str, str]
    """Files this flavour adds to the package: name in the package -> module under
    ``generator/runtime`` (``_flavour.py`` among them)."""

    def template_filters(self) -> Mapping[str, Callable[..., Any]]:
        """Filters the flavour's templates need, besides the common ones."""
        ...

    def render_models(self, renderer: Renderer, models: ModelSet) -> None:
        """Write the model modules (``enums``, ``datatypes``, ``messages`` and the flavour's
        own) of ``models`` through ``renderer``."""
        ...
