"""The generated per-profile tests cover every action and every message of every version."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import ocpp_bindings_tests
import pytest

VERSIONS = ("v16", "v201", "v21")


CATALOGUE_TESTS = {
    "v16": "test_configuration",
    "v201": "test_device_model",
    "v21": "test_device_model",
}
"""The generated tests of each version's catalogue module (1.6 keys, 2.x device model)."""


def _names(package: str) -> list[str]:
    folder = importlib.import_module(f"ocpp_bindings_tests.{package}")
    return [info.name for info in pkgutil.iter_modules(folder.__path__)]


def _modules(package: str) -> list[Any]:
    """The per-profile test modules."""
    names = [name for name in _names(package) if name != CATALOGUE_TESTS[package]]
    return [importlib.import_module(f"ocpp_bindings_tests.{package}.{name}") for name in names]


@pytest.mark.parametrize("package", VERSIONS)
def test_every_action_and_message_has_generated_tests(package: str) -> None:
    registry = importlib.import_module(f"ocpp_bindings.{package}.registry")
    modules = _modules(package)
    assert len(modules) == len(registry.PROFILES)
    messages = {(a, side) for m in modules for a, side, _ in m.MESSAGES}
    expected = {(name, "request") for name in registry.FEATURES}
    expected |= {(n, "response") for n, f in registry.FEATURES.items() if f.response is not None}
    assert messages == expected
    invalid = {(case.action, case.side) for m in modules for case in m.INVALID}
    assert invalid == expected, "every message has at least one invalid payload"
    labels = {case.label for m in modules for case in m.INVALID}
    assert labels == {
        "required missing", "string too long", "unknown enum value", "extra property", "wrong type",
    }  # fmt: skip
    handled = {action for m in modules for action, _, _ in m.HANDLERS}
    assert handled == set(registry.FEATURES)
    assert CATALOGUE_TESTS[package] in _names(package)


@pytest.mark.parametrize("package", VERSIONS)
def test_examples_are_available_as_data(package: str) -> None:
    examples = importlib.import_module(f"ocpp_bindings.{package}.examples")
    registry = importlib.import_module(f"ocpp_bindings.{package}.registry")
    assert set(examples.ACTIONS) == set(registry.FEATURES)
    for action, feature in registry.FEATURES.items():
        first = examples.request(action, full=True)
        first["changed"] = True
        assert "changed" not in examples.request(action, full=True), "a fresh copy each call"
        feature.request.from_dict(examples.request(action))
        if feature.response is None:
            with pytest.raises(KeyError):
                examples.response(action)
        else:
            feature.response.from_dict(examples.response(action, full=True))
    assert ocpp_bindings_tests.__doc__
