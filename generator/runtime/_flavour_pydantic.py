"""The pydantic flavour: what the shared runtime modules need to know of the models.

Shipped as ``_flavour.py`` in a package generated with ``--style pydantic``; see the
dataclasses flavour's ``_flavour.py`` for the contract.
"""

from __future__ import annotations

from collections.abc import Collection

from ._pydantic import OcppModel as Model
from ._runtime import Dialect, JsonValue

__all__ = ["FLAVOUR", "Model", "dialect_of", "extra_of", "json_names"]

FLAVOUR = "pydantic"
"""The name of the flavour (``ocppgen generate --style``)."""


def json_names(cls: type[Model]) -> Collection[str]:
    """The JSON names of the properties ``cls`` declares (additional properties aside)."""
    return frozenset(info.alias or name for name, info in cls.model_fields.items())


def extra_of(obj: object) -> dict[str, JsonValue]:
    """The additional properties of an object whose schema allows them (``customData``), as
    a dict the caller may change."""
    extra: dict[str, JsonValue] | None = getattr(obj, "__pydantic_extra__", None)
    if extra is None:
        raise TypeError(f"{type(obj).__name__} does not allow additional properties")
    return extra


def dialect_of(cls: type[Model]) -> Dialect:
    """The error-code spelling of the OCPP version ``cls`` belongs to."""
    return cls.ocpp_dialect
