"""``ocppgen list --device-model [--component NAME]``: the catalogue as the CSV files give it."""

from __future__ import annotations

import csv
from pathlib import Path

from support import ROOT, SCHEMAS
from test_cli import run


def _lines(*args: str) -> list[str]:
    result = run("list", "--device-model", *args, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def _csv(version: str, name: str) -> list[dict[str, str]]:
    with (SCHEMAS / version / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_variable_and_key_is_listed_once() -> None:
    lines = _lines()
    for version, count in (("2.0.1", 249), ("2.1", 433)):
        rows = _csv(version, "components-variables.csv")
        assert len(rows) == count
        title = next(line for line in lines if line.startswith(f"OCPP {version} device model"))
        assert f"{count} variables" in title
        for row in rows:
            cells = [row["component"], row["variable"]]
            assert any(line.split()[:2] == cells for line in lines), cells
    keys = _csv("1.6", "configuration-keys.csv")
    assert "OCPP 1.6 configuration keys: 54 keys" in lines
    for row in keys:
        assert any(line.split()[:3] == [row["key"], row["profile"], row["type"]] for line in lines)


def test_one_component_with_its_facts() -> None:
    lines = _lines("--version", "2.0.1", "--component", "ocppcommctrlr")
    assert lines[0].startswith("OCPP 2.0.1 OCPPCommCtrlr (controller): 18 variables of its own")
    heartbeat = next(line for line in lines if " HeartbeatInterval " in line)
    assert heartbeat.split() == [
        "OCPPCommCtrlr",
        "HeartbeatInterval",
        "integer",
        "s",
        "ReadWrite",
        "no",
    ]
    timeout = next(line for line in lines if " MessageTimeout " in line)
    assert timeout.split()[2] == "Default"  # the instance
    generic = _lines("--version", "2.1", "--component", "generic")
    assert generic == _lines("--version", "2.1", "--component", "<GENERIC>")
    assert generic[0] == "OCPP 2.1: the generic variables, which apply to any component"
    assert len(generic) == 2 + 74
    unknown = next(line for line in generic if line.startswith("<generic>  Active "))
    assert " - " in unknown  # mutability not fixed by the standard: shown as such


def test_a_component_of_one_version_only_and_bad_uses(tmp_path: Path) -> None:
    lines = _lines("--component", "BatterySwapCtrlr")
    assert "OCPP 2.0.1: no component 'BatterySwapCtrlr' in the device model" in lines
    assert any(line.startswith("OCPP 2.1 BatterySwapCtrlr (controller)") for line in lines)
    for args, message in (
        (["--device-model", "--component", "Nope"], "no component 'Nope' in the device model"),
        (["--component", "EVSE"], "--component: needs --device-model"),
        (["--device-model", "--component", "EVSE", "-v", "1.6"], "(none of the versions chosen)"),
    ):
        result = run("list", *args, cwd=tmp_path)
        assert result.returncode == 2 and result.stderr.count("\n") == 1
        assert message in result.stderr
