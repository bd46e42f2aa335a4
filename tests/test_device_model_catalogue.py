"""The generated catalogue agrees with the CSV files row by row, read here independently of the
generator (the standard ``csv`` module, the files as vendored), in every flavour."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from catalogues import DEVICE_MODEL_VERSIONS, FLAVOURS, module
from support import SCHEMAS

FOLDERS = {"v201": "2.0.1", "v21": "2.1"}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _descriptor(dm: Any, row: dict[str, str]) -> Any:
    """The descriptor of a row, reached by its names as a user reaches it."""
    owner = dm.AnyComponent if row["component"] == "<generic>" else getattr(dm, row["component"])
    found = getattr(owner, row["variable"])
    instance = row["instance"]
    if not instance:
        assert isinstance(found, dm.Variable), row
        return found
    assert isinstance(found, dm.Instances), row
    if instance.startswith("<") or " " in instance:
        assert found.pattern == instance and found.instances == ()
        return found.template
    assert found.pattern is None and instance in found.instances
    return found[instance]


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("package", DEVICE_MODEL_VERSIONS)
def test_every_variable_row_is_generated_as_written(flavour: str, package: str) -> None:
    dm = module(flavour, package, "device_model")
    rows = _rows(SCHEMAS / FOLDERS[package] / "components-variables.csv")
    assert len(rows) in (249, 433)
    for row in rows:
        variable = _descriptor(dm, row)
        pattern = row["instance"].startswith("<") or " " in row["instance"]
        expected_scope = None if row["component"] == "<generic>" else row["component"]
        assert variable.component == expected_scope, row
        assert variable.name == row["variable"], row
        assert variable.instance == (row["instance"] if row["instance"] and not pattern else None)
        assert variable.data_type == row["data_type"], row
        assert variable.unit == (row["unit"] or None), row
        mutability = variable.mutability.value if variable.mutability else ""
        assert mutability == row["mutability"], row  # empty stays unknown: not guessed
        assert (variable.required.value if variable.required else "") == row["required"], row
        values = tuple(row["values_list"].split(",")) if row["values_list"] else ()
        assert variable.values_list == values, row
        assert variable.description == variable.__doc__ == row["description"], row
        assert variable.standard


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("package", DEVICE_MODEL_VERSIONS)
def test_nothing_is_generated_that_the_files_do_not_list(flavour: str, package: str) -> None:
    dm = module(flavour, package, "device_model")
    folder = SCHEMAS / FOLDERS[package]
    rows = _rows(folder / "components-variables.csv")
    components = _rows(folder / "components.csv")
    model = dm.DEVICE_MODEL
    assert list(model.components) == [row["component"] for row in components]
    for row in components:
        cls = model.components[row["component"]]
        assert (cls.name, cls.kind) == (row["component"], row["kind"])
        assert cls.in_components_table == (row["in_components_table"] == "yes")
        own = sum(len(list(v)) if isinstance(v, dm.Instances) else 1 for v in cls.variables())
        assert (
            own
            == int(row["specific_pairs"])
            == sum(r["component"] == row["component"] for r in rows)
        )
    generic = list(model.generic_variables())
    assert sum(len(list(v)) if isinstance(v, dm.Instances) else 1 for v in generic) == sum(
        r["component"] == "<generic>" for r in rows
    )


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_every_configuration_key_row_is_generated_as_written(flavour: str) -> None:
    configuration = module(flavour, "v16", "configuration")
    rows = _rows(SCHEMAS / "1.6" / "configuration-keys.csv")
    assert [key.name for key in configuration.CONFIGURATION] == [row["key"] for row in rows]
    for row in rows:
        key = getattr(configuration, row["key"])
        assert configuration.CONFIGURATION.find(row["key"].lower()) is key
        assert (key.profile, key.type, key.accessibility.value) == (
            row["profile"],
            row["type"],
            row["accessibility"],
        )
        assert key.required == (row["required"] == "required")
        assert key.unit == (row["unit"] or None)
        assert key.max_length_key == (row["max_length_key"] or None)
        assert key.description == key.__doc__ == row["description"]


def test_the_data_sets_own_check_passes() -> None:
    result = subprocess.run(
        [sys.executable, str(SCHEMAS / "check_device_model.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert "0 error(s)" in result.stdout
