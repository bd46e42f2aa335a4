"""The output flavours: one module per flavour, each a :class:`~generator.flavours.base.Flavour`
chosen once from the validated ``style`` setting (:class:`~generator.flavours.base.Style`).

Adding a flavour: a member of ``Style``, a module here implementing ``Flavour`` (its runtime
modules under ``generator/runtime``, its templates under ``templates/<style>/``), its row in
``FLAVOURS``, and, when it needs packages beyond ocppgen's own, an extra in ``pyproject.toml``
named like the style with its row in ``EXTRAS``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from importlib import metadata

from generator.errors import GeneratorError
from generator.flavours.base import Flavour, ModelSet, Style

__all__ = [
    "EXTRAS",
    "FLAVOURS",
    "FORMATTER",
    "Extra",
    "Flavour",
    "ModelSet",
    "Style",
    "flavour",
    "output_tools",
    "require_extra",
]

FLAVOURS: dict[Style, str] = {
    Style.DATACLASSES: "generator.flavours.dataclasses:DataclassesFlavour",
    Style.PYDANTIC: "generator.flavours.pydantic:PydanticFlavour",
    Style.MSGSPEC: "generator.flavours.msgspec:MsgspecFlavour",
}
"""Each style's flavour class (imported only when chosen: a flavour may need heavy packages)."""


@dataclass(frozen=True)
class Extra:
    """The ``ocppgen[<name>]`` extra a flavour needs to generate."""

    name: str
    needs: tuple[str, ...]
    """The distributions it installs, all needed to generate the flavour."""
    shapes_output: tuple[str, ...] = ()
    """Those whose version shapes the generated text: pinned exactly in ``pyproject.toml``
    and recorded in the manifest."""


EXTRAS: dict[Style, Extra] = {
    Style.PYDANTIC: Extra(
        "pydantic",
        needs=("datamodel-code-generator", "isort", "pydantic"),
        shapes_output=("datamodel-code-generator",),
    ),
    Style.MSGSPEC: Extra(
        "msgspec",
        needs=("datamodel-code-generator", "isort", "msgspec"),
        shapes_output=("datamodel-code-generator",),
    ),
}
"""The styles that need more than ocppgen's own dependencies (dataclasses needs nothing)."""

FORMATTER = "black"
"""Formats every flavour's output: pinned exactly, its version recorded in the manifest."""


def require_extra(style: Style) -> None:
    """Refuse a style whose extra is not installed, saying how to install it."""
    extra = EXTRAS.get(style)
    if extra is None:
        return
    missing = [name for name in extra.needs if _installed(name) is None]
    if missing:
        raise GeneratorError(
            f"the {style.value} flavour needs {', '.join(missing)}, not installed: "
            f"pip install 'ocppgen[{extra.name}]'",
            f"--style {style.value}",
        )


def output_tools(style: Style) -> dict[str, str]:
    """The versions of the packages that shape the output of ``style`` (for the manifest)."""
    require_extra(style)
    extra = EXTRAS.get(style)
    names = (FORMATTER, *(extra.shapes_output if extra else ()))
    return {name: metadata.version(name) for name in names}


def _installed(distribution: str) -> str | None:
    """The installed version of ``distribution``, or None."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def flavour(style: Style) -> Flavour:
    """The flavour of ``style`` (its extra must be installed)."""
    require_extra(style)
    module, _, name = FLAVOURS[style].partition(":")
    chosen: Flavour = getattr(importlib.import_module(module), name)()
    return chosen
