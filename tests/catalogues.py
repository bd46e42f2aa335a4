"""The device-model and configuration modules of every flavour of the bindings, for the tests."""

from __future__ import annotations

import importlib
from types import ModuleType

from flavours import bindings as flavour_bindings

FLAVOURS = ("dataclasses", "pydantic", "msgspec")
"""Every flavour the device-model tests run in (the same runtime modules in each)."""
DEVICE_MODEL_VERSIONS = ("v201", "v21")


def bindings(flavour: str) -> str:
    """The import name of a flavour's package (the others than dataclasses are generated
    when stale)."""
    return flavour_bindings(flavour)


def module(flavour: str, package: str, name: str) -> ModuleType:
    """``<bindings>.<package>.<name>`` of a flavour, such as its ``v201.device_model``."""
    return importlib.import_module(f"{bindings(flavour)}.{package}.{name}")


def version(flavour: str, package: str) -> ModuleType:
    """The version module (``v201``...) of a flavour."""
    return importlib.import_module(f"{bindings(flavour)}.{package}")


def validation_error(flavour: str) -> type[Exception]:
    """The ValidationError of a flavour's package."""
    error: type[Exception] = importlib.import_module(bindings(flavour)).ValidationError
    return error
