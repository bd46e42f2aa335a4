"""The output flavours: one module per flavour, each a :class:`~generator.flavours.base.Flavour`
chosen once from the validated ``style`` setting (:class:`~generator.flavours.base.Style`).

Adding a flavour: a member of ``Style``, a module here implementing ``Flavour`` (its runtime
modules under ``generator/runtime``, its templates under ``templates/<style>/``), and its row
in ``FLAVOURS``.
"""

from __future__ import annotations

import importlib

from generator.flavours.base import Flavour, ModelSet, Style

__all__ = ["FLAVOURS", "Flavour", "ModelSet", "Style", "flavour"]

FLAVOURS: dict[Style, str] = {
    Style.DATACLASSES: "generator.flavours.dataclasses:DataclassesFlavour",
    Style.PYDANTIC: "generator.flavours.pydantic:PydanticFlavour",
    Style.MSGSPEC: "generator.flavours.msgspec:MsgspecFlavour",
}
"""Each style's flavour class (imported only when chosen: a flavour may need heavy packages)."""


def flavour(style: Style) -> Flavour:
    """The flavour of ``style``."""
    module, _, name = FLAVOURS[style].partition(":")
    chosen: Flavour = getattr(importlib.import_module(module), name)()
    return chosen
