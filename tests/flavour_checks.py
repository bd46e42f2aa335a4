"""Checks every generated flavour must pass, as functions of the flavour's package (generated
by ``flavours``): its generated tests, mypy and ruff, its imports, the dispatcher, the README
examples, and the dataclass flavour's class, field and enum member names."""

from __future__ import annotations

import ast
import asyncio
import enum
import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from flavours import FLAVOURS
from support import ROOT, SCHEMAS

VERSIONS = {"1.6": "v16", "2.0.1": "v201", "2.1": "v21"}
MODULES = ("enums", "datatypes", "messages")


def module(package: str, version: str, name: str) -> Any:
    """``<package>.<version folder>.<name>``."""
    return importlib.import_module(f"{package}.{VERSIONS[version]}.{name}")


def assert_generated_tests_pass(package: str) -> None:
    """The package's generated per-profile tests pass (more than 2000, none skipped)."""
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         "-p", "no:xdist", str(FLAVOURS / f"{package}_tests")],
        cwd=FLAVOURS, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(FLAVOURS), "OCPPGEN_SCHEMAS": str(SCHEMAS)},
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout[-3000:]
    passed = int(re.search(r"(\d+) passed", tests.stdout).group(1))  # type: ignore[union-attr]
    assert passed > 2000 and " skipped" not in tests.stdout


def assert_mypy_strict_and_ruff_clean(package: str) -> None:
    """``mypy --strict`` and ruff (the project's rules, as for ``generated/``) are clean."""
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", package,
         "-p", f"{package}_tests"],
        cwd=FLAVOURS, env={**os.environ, "MYPYPATH": str(FLAVOURS)},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config",
         str(ROOT / "pyproject.toml"), "--ignore", "E501,RUF001,RUF002,RUF003", package,
         f"{package}_tests"],
        cwd=FLAVOURS, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert ruff.returncode == 0, ruff.stdout[-3000:]


def assert_imports_only(package: str, allowed: Collection[str]) -> None:
    """Every module of the package imports the standard library, ``allowed`` and itself only."""
    known = set(sys.stdlib_module_names) | set(allowed) | {package}
    for path in sorted((FLAVOURS / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                tops = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                tops = {node.module.split(".")[0]}
            else:
                continue
            assert tops <= known, f"{path.name}: {tops - known}"


def class_names(package: str) -> list[str]:
    """The names of the classes datamodel-code-generator wrote in every ``models.py``."""
    names = []
    for models in sorted(FLAVOURS.glob(f"{package}/*/models.py")):
        tree = ast.parse(models.read_text(encoding="utf-8"))
        names += [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
    return names


def assert_no_numbered_or_generic_class_name(package: str) -> None:
    names = class_names(package)
    generic = {"Model", "Field", "Item", "RootModel", "BaseModel", "Type", "Enum", "Struct"}
    assert len(names) > 800
    bad = [n for n in names if re.search(r"\d$", n) and not n.endswith(("15118", "V2X"))]
    bad += [n for n in names if n in generic or re.fullmatch(r"(Model|Field|Item)\d*", n)]
    assert not bad, bad


def assert_same_names_as_the_dataclass_flavour(
    package: str, fields_of: Callable[[type], Collection[str]]
) -> None:
    """Every version's modules name the dataclass flavour's classes, enum members (names and
    values) and fields (``fields_of`` a class: its Python field names)."""
    for version in VERSIONS:
        for name in MODULES:
            mine = module(package, version, name)
            theirs = module("ocpp_bindings", version, name)
            public = sorted(
                n
                for n, v in vars(theirs).items()
                if isinstance(v, type) and v.__module__ == theirs.__name__
            )
            assert sorted(mine.__all__) == public
            for cls_name in public:
                reference, cls = getattr(theirs, cls_name), getattr(mine, cls_name)
                if issubclass(reference, enum.Enum):
                    assert [(m.name, m.value) for m in cls] == [
                        (m.name, m.value) for m in reference
                    ]
                else:
                    fields = {f for f in reference.__dataclass_fields__ if f != "extra"}
                    assert set(fields_of(cls)) == fields, cls_name


def assert_dispatcher_answers(package: str, version: str) -> None:
    """A CSMS dispatcher of the flavour answers a CALL with its handler's typed answer, and
    an invalid CALL with the version's CALLERROR (its handler never called)."""
    dispatch = module(package, version, "dispatch")
    examples = module(package, version, "examples")
    messages = module(package, version, "messages")
    seen: list[Any] = []

    class Central:
        async def on_boot_notification(self, request: Any, charging_station_id: str) -> Any:
            seen.append(request)
            return messages.BootNotificationResponse.from_dict(
                examples.response("BootNotification")
            )

    central = dispatch.Dispatcher(list(dispatch.Role)[1], [Central()])
    body = examples.request("BootNotification", full=True)
    frame = json.dumps([2, "u-1", "BootNotification", body])
    reply = json.loads(asyncio.run(central.handle_frame(frame, charging_station_id="CS-1")))
    assert reply == [3, "u-1", examples.response("BootNotification")]
    assert type(seen[0]) is messages.BootNotificationRequest
    assert seen[0].to_dict() == body

    del body[next(iter(examples.request("BootNotification")))]  # a required property
    frame = json.dumps([2, "u-2", "BootNotification", body])
    reply = json.loads(asyncio.run(central.handle_frame(frame, charging_station_id="CS-1")))
    occurrence = "OccurenceConstraintViolation" if version == "1.6" else "OccurrenceConstraint"
    assert reply[:2] == [4, "u-2"] and reply[2].startswith(occurrence)
    assert len(seen) == 1, "an invalid CALL never reaches the handler"


def assert_readme_examples_run(package: str) -> None:
    """Every Python block of the README runs against the flavour's package."""
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert blocks
    for block in blocks:
        exec(compile(block.replace("ocpp_bindings", package), "README.md", "exec"), {})


def run_tests_against(
    folder: Path, style: str, *test_files: str
) -> subprocess.CompletedProcess[str]:
    """Run test modules of ``tests/`` written against ``ocpp_bindings`` with the package of
    that name in ``folder`` (flavour ``style``) first on the path; the run stops unless that
    is the package imported (``expect_flavour``)."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         "-p", "no:xdist", "-p", "expect_flavour", "-o", f"pythonpath={folder} examples tests",
         *(f"tests/{name}" for name in test_files)],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "OCPPGEN_EXPECT_FLAVOUR": style},
    )  # fmt: skip
