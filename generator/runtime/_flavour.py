"""The dataclasses flavour: what the shared runtime modules need to know of the models.

``_registry``, ``_dispatch``, ``_vendor`` and the generated tests are the same file in every
flavour; they reach the models only through this module, which each flavour provides.
"""

from __future__ import annotations

from collections.abc import Collection

from ._runtime import Dialect, JsonValue, Model

__all__ = ["FLAVOUR", "Model", "dialect_of", "extra_of", "json_names"]

FLAVOUR = "dataclasses"
"""The name of the flavour (``ocppgen generate --style``)."""


def json_names(cls: type[Model]) -> Collection[str]:
    """The JSON names of the properties ``cls`` declares (additional properties aside)."""
    return cls._table.names


def extra_of(obj: object) -> dict[str, JsonValue]:
    """The additional properties of an object whose schema allows them (``customData``), as
    a dict the caller may change."""
    extra: dict[str, JsonValue] = getattr(obj, "extra")  # noqa: B009 - one name per flavour
    return extra


def dialect_of(cls: type[Model]) -> Dialect:
    """The error-code spelling of the OCPP version ``cls`` belongs to."""
    return cls._table.dialect
