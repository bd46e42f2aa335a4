"""Regeneration: the manifest, a fast ``check``, and incremental ``generate``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support import SCHEMAS
from test_cli import _snapshot, run

from generator import pipeline
from generator.config import Settings
from generator.output.manifest import read_manifest

SMALL_SET = [
    "BootNotificationRequest",
    "BootNotificationResponse",
    "HeartbeatRequest",
    "HeartbeatResponse",
]
METADATA = """
[profiles]
Provisioning = { letter = "B" }
Availability = { letter = "G" }

[actions]
BootNotification = { profile = "Provisioning", initiator = "ChargingStation" }
Heartbeat = { profile = "Availability", initiator = "ChargingStation" }
"""


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A small 2.0.1 set, generated once into ``tmp_path/out``."""
    folder = tmp_path / "schemas" / "2.0.1"
    folder.mkdir(parents=True)
    for name in SMALL_SET:
        shutil.copy(SCHEMAS / "2.0.1" / f"{name}.json", folder)
    (folder / "ocppgen.toml").write_text(METADATA)
    result = Settings(tmp_path / "schemas", tmp_path / "out", ())
    pipeline.generate(result)
    return result


def _add_boot_reason(settings: Settings, value: str) -> None:
    path = settings.schemas / "2.0.1" / "BootNotificationRequest.json"
    document = json.loads(path.read_text(encoding="utf-8-sig"))
    document["definitions"]["BootReasonEnumType"]["enum"].append(value)
    path.write_text(json.dumps(document, indent=2))


def test_manifest_records_inputs_and_outputs(settings: Settings) -> None:
    manifest = read_manifest(settings.out / "ocpp_bindings" / "manifest.json")
    assert manifest is not None
    assert "schemas/2.0.1/BootNotificationRequest.json" in manifest.inputs
    assert "schemas/2.0.1/ocppgen.toml" in manifest.inputs
    assert "templates/objects.py.j2" in manifest.inputs
    assert "generator" in manifest.inputs
    assert "ocpp_bindings/v201/enums.py" in manifest.outputs
    assert manifest.generator_version


def test_check_with_unchanged_inputs_uses_the_manifest_and_still_sees_edits(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_generation(_: Settings) -> dict[str, str]:
        raise AssertionError("check regenerated although no input changed")

    monkeypatch.setattr(pipeline, "generate_files", no_generation)
    assert not pipeline.check(settings)
    enums = settings.out / "ocpp_bindings" / "v201" / "enums.py"
    enums.write_text(enums.read_text().replace("PowerUp", "PowerUP"))
    (settings.out / "ocpp_bindings" / "v201" / "registry.py").unlink()
    (settings.out / "ocpp_bindings" / "notes.txt").write_text("mine")
    found = pipeline.check(settings)
    assert found.stale == ("ocpp_bindings/v201/enums.py",)
    assert found.missing == ("ocpp_bindings/v201/registry.py",)
    assert found.extra == ("ocpp_bindings/notes.txt",)


def test_changed_schema_makes_check_fail_and_generate_rewrites_only_what_it_affects(
    settings: Settings, tmp_path: Path
) -> None:
    package = settings.out / "ocpp_bindings"
    before = {p: p.stat().st_mtime_ns for p in package.rglob("*.py")}
    _add_boot_reason(settings, "SolarFlare")
    found = pipeline.check(settings)
    assert "ocpp_bindings/v201/enums.py" in found.stale
    written = pipeline.generate(settings)
    assert set(written.rewritten) == {
        "ocpp_bindings/manifest.json",
        "ocpp_bindings/v201/__init__.py",  # names the schema set's digest
        "ocpp_bindings/v201/enums.py",
    }
    assert 'SolarFlare = "SolarFlare"' in (package / "v201" / "enums.py").read_text()
    untouched = package / "v201" / "messages.py"
    assert untouched.stat().st_mtime_ns == before[untouched]
    assert not pipeline.check(settings)
    fresh = Settings(settings.schemas, tmp_path / "fresh", ())
    pipeline.generate(fresh)
    assert _snapshot(fresh.out, skip_cache=True) == _snapshot(settings.out, skip_cache=True), (
        "incremental must equal a full run"
    )


def test_hand_edit_is_overwritten_by_the_next_generate(settings: Settings) -> None:
    enums = settings.out / "ocpp_bindings" / "v201" / "enums.py"
    original = enums.read_text()
    enums.write_text(original + "# local change\n")
    written = pipeline.generate(settings)
    assert written.rewritten == ["ocpp_bindings/v201/enums.py"]
    assert enums.read_text() == original


def test_check_on_bad_input_is_exit_2_and_writes_nothing(settings: Settings) -> None:
    (settings.schemas / "2.0.1" / "HeartbeatRequest.json").write_text("{")
    before = _snapshot(settings.out, skip_cache=True)
    result = run(
        "check", "--schemas", str(settings.schemas), "--out", str(settings.out), cwd=settings.out
    )
    assert result.returncode == 2
    assert "HeartbeatRequest.json" in result.stderr and result.stderr.count("\n") == 1
    assert _snapshot(settings.out, skip_cache=True) == before
