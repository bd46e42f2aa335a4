"""A pytest plugin for running test modules against another flavour of ``ocpp_bindings``
(``flavour_checks.run_tests_against``): the run stops at once unless the package imported is
the flavour ``OCPPGEN_EXPECT_FLAVOUR`` names, and its summary says which it is."""

from __future__ import annotations

import importlib
import os

import pytest


def _flavour() -> str:
    return str(importlib.import_module("ocpp_bindings._flavour").FLAVOUR)


def pytest_sessionstart(session: pytest.Session) -> None:
    expected = os.environ.get("OCPPGEN_EXPECT_FLAVOUR")
    if expected and _flavour() != expected:
        raise pytest.UsageError(f"ocpp_bindings is the {_flavour()} flavour, not {expected}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(f"ocpp_bindings flavour: {_flavour()}")
