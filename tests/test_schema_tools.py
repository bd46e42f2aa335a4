"""``ocppgen diff``, ``ocppgen schemas import`` and the CI workflow example."""

from __future__ import annotations

import dataclasses
import json
import random
import re
import shutil
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest
from inprocess import invoke, one_line_error
from support import ROOT, SCHEMAS
from test_cli import run
from typer.testing import Result

from generator import toml as tomllib
from generator.errors import GeneratorError
from generator.schemas import schemaset
from generator.schemas.importer import stale_entries
from generator.schemas.metadata import Overlay, load_metadata
from generator.schemas.schemaset import MAX_FILE_BYTES


def _copy_version(tmp_path: Path, version: str, name: str = "set") -> Path:
    target = tmp_path / name / version
    shutil.copytree(SCHEMAS / version, target)
    return target


def _edit(path: Path, change: Any) -> None:
    document = json.loads(path.read_text(encoding="utf-8-sig"))
    change(document)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")


def _diff_json(old: Path, new: Path, cwd: Path) -> dict[str, Any]:
    result = run("diff", str(old), str(new), "--format", "json", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_201_to_21_lists_the_27_new_actions(tmp_path: Path) -> None:
    metadata = tomllib.loads((SCHEMAS / "2.1" / "ocppgen.toml").read_text())
    new_in_21 = sorted(name for name, a in metadata["actions"].items() if "source" in a)
    assert len(new_in_21) == 27
    log = _diff_json(SCHEMAS / "2.0.1", SCHEMAS / "2.1", tmp_path)
    assert log["actions_added"] == new_in_21
    assert log["actions_removed"] == []


def test_added_enum_value_is_exactly_what_diff_reports(tmp_path: Path) -> None:
    new = _copy_version(tmp_path, "2.0.1")

    def add_value(document: dict[str, Any]) -> None:
        document["definitions"]["BootReasonEnumType"]["enum"].append("SolarFlare")

    _edit(new / "BootNotificationRequest.json", add_value)
    log = _diff_json(SCHEMAS / "2.0.1", new, tmp_path)
    assert log["changes"] == [
        {
            "subject": "BootReasonEnumType",
            "path": "",
            "change": "enum value added",
            "detail": "SolarFlare",
            "breaking": False,
        }
    ]
    assert log["description_changes"] == 0 and log["breaking"] == 0
    strict = run("diff", str(SCHEMAS / "2.0.1"), str(new), "--fail-on", "breaking", cwd=tmp_path)
    assert strict.returncode == 0, strict.stdout


def test_removed_enum_value_trips_fail_on_breaking(tmp_path: Path) -> None:
    new = _copy_version(tmp_path, "2.0.1")

    def remove_value(document: dict[str, Any]) -> None:
        document["definitions"]["BootReasonEnumType"]["enum"].remove("Watchdog")

    _edit(new / "BootNotificationRequest.json", remove_value)
    result = run("diff", str(SCHEMAS / "2.0.1"), str(new), "--fail-on", "breaking", cwd=tmp_path)
    assert result.returncode == 1
    assert "BootReasonEnumType" in result.stdout
    assert "enum value removed: Watchdog (breaking)" in result.stdout
    assert run("diff", str(SCHEMAS / "2.0.1"), str(new), cwd=tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("max_length", "breaking"),
    [(10, True), (100, False)],
)
def test_tightened_constraint_is_breaking_loosened_is_not(
    tmp_path: Path, max_length: int, breaking: bool
) -> None:
    new = _copy_version(tmp_path, "2.0.1")

    def resize(document: dict[str, Any]) -> None:
        definition = document["definitions"]["ChargingStationType"]["properties"]["model"]
        definition["maxLength"] = max_length
        definition["description"] = "Reworded."

    _edit(new / "BootNotificationRequest.json", resize)
    log = _diff_json(SCHEMAS / "2.0.1", new, tmp_path)
    assert log["changes"] == [
        {
            "subject": "ChargingStationType",
            "path": "model",
            "change": "constraint changed",
            "detail": f"maxLength: 20 -> {max_length}",
            "breaking": breaking,
        }
    ]
    assert log["description_changes"] == 1, "counted, not listed"


def test_field_removed_and_field_made_required_in_16_inline_types(tmp_path: Path) -> None:
    new = _copy_version(tmp_path, "1.6")

    def change(document: dict[str, Any]) -> None:
        period = document["properties"]["csChargingProfiles"]["properties"]["chargingSchedule"]
        items = period["properties"]["chargingSchedulePeriod"]["items"]
        del items["properties"]["numberPhases"]
        document["properties"]["csChargingProfiles"]["required"].append("transactionId")

    _edit(new / "SetChargingProfile.json", change)
    text = run("diff", str(SCHEMAS / "1.6"), str(new), "--format", "markdown", cwd=tmp_path)
    assert "## SetChargingProfile" in text.stdout
    path = "csChargingProfiles.chargingSchedule.chargingSchedulePeriod[].numberPhases"
    assert f"- `{path}` field removed: integer (breaking)" in text.stdout
    assert "- `csChargingProfiles.transactionId` became required (breaking)" in text.stdout


def test_diff_reads_zips_and_reports_bad_input(tmp_path: Path) -> None:
    log = _diff_json(_release_zip(tmp_path, "1.6"), SCHEMAS / "1.6", tmp_path)
    assert log["changes"] == [] and log["actions_added"] == []
    broken = _copy_version(tmp_path, "1.6")
    (broken / "Authorize.json").write_text("{")
    result = run("diff", str(SCHEMAS / "1.6"), str(broken), cwd=tmp_path)
    assert result.returncode == 2
    assert "Authorize.json" in result.stderr and "invalid JSON" in result.stderr


def _release_zip(tmp_path: Path, version: str, edit: dict[str, bytes] | None = None) -> Path:
    """The version's schemas as the OCA ships them: a zip with nested folders."""
    archive = tmp_path / f"release-{version}.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted((SCHEMAS / version).glob("*.json")):
            data = (edit or {}).get(path.name, path.read_bytes())
            out.writestr(f"OCPP-{version}_all_files/schemas/json/{path.name}", data)
        out.writestr("__MACOSX/._Authorize.json", b"junk")
    return archive


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project" / "schemas"
    for version in ("1.6", "2.1"):
        shutil.copytree(SCHEMAS / version, root / version)
    return root


def test_import_copies_verbatim_and_prints_the_changes(tmp_path: Path) -> None:
    schemas = _project(tmp_path)
    original = (SCHEMAS / "1.6" / "Heartbeat.json").read_bytes()
    with_bom_and_crlf = b"\xef\xbb\xbf" + original.replace(b"\n", b"\r\n").replace(
        b'"title"', b'"description": "Sent periodically.",\r\n    "title"', 1
    )
    archive = _release_zip(tmp_path, "1.6", {"Heartbeat.json": with_bom_and_crlf})
    result = run(
        "schemas",
        "import",
        str(archive),
        "--version",
        "1.6",
        "--schemas",
        str(schemas),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert (schemas / "1.6" / "Heartbeat.json").read_bytes() == with_bom_and_crlf
    assert "changed Heartbeat.json" in " ".join(result.stdout.split())
    assert "1 description-only changes not listed" in result.stdout
    assert (schemas / "1.6" / "ocppgen.toml").read_bytes() == (
        SCHEMAS / "1.6" / "ocppgen.toml"
    ).read_bytes()
    out = tmp_path / "out"
    generated = run(
        "generate", "--schemas", str(schemas), "--out", str(out), "-v", "1.6", cwd=tmp_path
    )
    assert generated.returncode == 0, generated.stderr


def test_import_accepts_send_messages_without_response(tmp_path: Path) -> None:
    schemas = _project(tmp_path)
    archive = _release_zip(tmp_path, "2.1")
    result = run(
        "schemas",
        "import",
        str(archive),
        "--version",
        "2.1",
        "--schemas",
        str(schemas),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "0 added, 0 changed, 0 removed" in result.stdout
    assert (schemas / "2.1" / "NotifyPeriodicEventStream.json").is_file()


def test_import_refuses_a_request_without_response_and_writes_nothing(tmp_path: Path) -> None:
    schemas = _project(tmp_path)
    release = tmp_path / "release" / "nested" / "json"
    shutil.copytree(SCHEMAS / "1.6", release)
    (release / "ResetResponse.json").unlink()
    (release / "ocppgen.toml").unlink()
    before = {p.name: p.read_bytes() for p in (schemas / "1.6").iterdir()}
    result = run(
        "schemas",
        "import",
        str(tmp_path / "release"),
        "--version",
        "1.6",
        "--schemas",
        str(schemas),
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "requests without a response schema: Reset" in result.stderr
    assert {p.name: p.read_bytes() for p in (schemas / "1.6").iterdir()} == before


def test_import_refuses_an_invalid_file(tmp_path: Path) -> None:
    schemas = _project(tmp_path)
    bad = json.loads((SCHEMAS / "1.6" / "Heartbeat.json").read_text())
    bad["properties"] = []
    archive = _release_zip(tmp_path, "1.6", {"Heartbeat.json": json.dumps(bad).encode()})
    result = run(
        "schemas",
        "import",
        str(archive),
        "--version",
        "1.6",
        "--schemas",
        str(schemas),
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "Heartbeat.json" in result.stderr and "#/properties" in result.stderr
    assert (schemas / "1.6" / "Heartbeat.json").read_bytes() == (
        SCHEMAS / "1.6" / "Heartbeat.json"
    ).read_bytes()


def test_ci_workflow_example_uses_real_commands_and_options(tmp_path: Path) -> None:
    workflow = (ROOT / "docs" / "ci" / "ocppgen.yml").read_text()
    command_lines = r"^\s*(?:run:\s*)?ocppgen ((?:schemas )?[a-z]+)([^\n|>]*)"
    calls = re.findall(command_lines, workflow, flags=re.MULTILINE)
    commands = {command for command, _ in calls}
    assert {"check", "diff", "generate"} <= commands
    for command, arguments in calls:
        help_text = run(*command.split(), "--help", cwd=tmp_path)
        assert help_text.returncode == 0, command
        for option in re.findall(r"--[a-z-]+", arguments):
            assert option in help_text.stdout, f"{command} has no {option}"


def _import(source: Path, version: str, schemas: Path, cwd: Path) -> Result:
    return invoke("schemas", "import", source, "--version", version, "--schemas", schemas, cwd=cwd)


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mode) for p in sorted(folder.iterdir())}


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for index in range(4):
            with archive.open(f"json/Bomb{index}Request.json", "w") as member:
                for _ in range(64):
                    member.write(b" " * 1024 * 1024)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    schemas = _project(tmp_path)
    before = _snapshot(schemas / "2.1")
    tracemalloc.start()
    try:
        result = _import(bomb, "2.1", schemas, tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    one_line_error(result, "bomb.zip!json/Bomb0Request.json:", "expands", "zip bomb")
    assert peak < 16 * 1024 * 1024, f"read {peak} bytes"
    assert _snapshot(schemas / "2.1") == before


def test_a_zip_entry_larger_than_a_schema_file_can_be_is_refused(tmp_path: Path) -> None:
    archive_path = tmp_path / "large.zip"
    noise = random.Random(7).randbytes(MAX_FILE_BYTES + 1)  # does not compress
    with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("HeartbeatRequest.json", noise)
    result = _import(archive_path, "2.1", _project(tmp_path), tmp_path)
    one_line_error(result, "large.zip!HeartbeatRequest.json:", "larger than a schema file can be")


def test_a_set_larger_than_the_bound_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schemaset, "MAX_TOTAL_BYTES", 100_000)
    with pytest.raises(GeneratorError, match="the set is larger than 100000 bytes"):
        schemaset.read_schema_source(SCHEMAS / "2.1")
    assert len(schemaset.read_schema_source(SCHEMAS / "1.6").files) == 78


def test_zip_entries_that_climb_out_are_reported_not_dropped(tmp_path: Path) -> None:
    archive_path = _release_zip(tmp_path, "1.6")
    with zipfile.ZipFile(archive_path, "a") as archive:
        archive.writestr("OCPP-1.6/schemas/../Extra.json", b"{}")
    schemas = _project(tmp_path)
    before = _snapshot(schemas / "1.6")
    result = _import(archive_path, "1.6", schemas, tmp_path)
    one_line_error(result, "!OCPP-1.6/schemas/../Extra.json:", "climbs out of the zip ('..')")
    assert _snapshot(schemas / "1.6") == before


def test_import_refuses_a_response_without_its_request(tmp_path: Path) -> None:
    release = tmp_path / "release"
    shutil.copytree(SCHEMAS / "1.6", release)
    (release / "Reset.json").unlink()
    (release / "ocppgen.toml").unlink()
    schemas = _project(tmp_path)
    before = _snapshot(schemas / "1.6")
    result = _import(release, "1.6", schemas, tmp_path)
    one_line_error(result, "responses without a request schema: Reset")
    assert _snapshot(schemas / "1.6") == before


def test_a_draft_04_file_is_refused_in_a_draft_06_version(tmp_path: Path) -> None:
    release = tmp_path / "release"
    shutil.copytree(SCHEMAS / "2.1", release)
    heartbeat = release / "HeartbeatRequest.json"
    heartbeat.write_text(
        heartbeat.read_text().replace("draft-06/schema#", "draft-04/schema#"), encoding="utf-8"
    )
    schemas = _project(tmp_path)
    before = _snapshot(schemas / "2.1")
    result = _import(release, "2.1", schemas, tmp_path)
    one_line_error(result, "HeartbeatRequest.json#/$schema:", "a draft-04 schema in OCPP 2.1")
    assert _snapshot(schemas / "2.1") == before
    (schemas / "2.1" / "HeartbeatRequest.json").write_bytes(heartbeat.read_bytes())
    generated = invoke(
        "generate", "--schemas", schemas, "--out", tmp_path / "out", "-v", "2.1", cwd=tmp_path
    )
    one_line_error(generated, "HeartbeatRequest.json#/$schema:", "a draft-04 schema in OCPP 2.1")


def test_import_of_an_unchanged_release_touches_no_file_and_keeps_modes(tmp_path: Path) -> None:
    schemas = _project(tmp_path)
    for path in (schemas / "1.6").glob("*.json"):
        path.chmod(0o755)
    heartbeat = schemas / "1.6" / "Heartbeat.json"
    heartbeat.chmod(0o640)
    before = _snapshot(schemas / "1.6")
    edited = heartbeat.read_bytes().replace(b'"title"', b'"description": "Beat.", "title"', 1)
    result = _import(_release_zip(tmp_path, "1.6"), "1.6", schemas, tmp_path)
    assert result.exit_code == 0, result.stderr
    assert _snapshot(schemas / "1.6") == before
    result = _import(
        _release_zip(tmp_path, "1.6", {"Heartbeat.json": edited}), "1.6", schemas, tmp_path
    )
    assert result.exit_code == 0, result.stderr
    assert heartbeat.read_bytes() == edited
    assert heartbeat.stat().st_mode & 0o7777 == 0o640


def test_committed_schemas_are_not_executable() -> None:
    executable = [
        str(path.relative_to(SCHEMAS))
        for path in sorted(SCHEMAS.rglob("*"))
        if path.is_file() and path.stat().st_mode & 0o111
    ]
    assert executable == []


def test_import_lists_the_ocppgen_toml_entries_a_removed_action_leaves(tmp_path: Path) -> None:
    release = tmp_path / "release"
    shutil.copytree(SCHEMAS / "1.6", release)
    for name in ("Reset.json", "ResetResponse.json", "ocppgen.toml"):
        (release / name).unlink()
    schemas = _project(tmp_path)
    result = _import(release, "1.6", schemas, tmp_path)
    assert result.exit_code == 0, result.stderr
    metadata = schemas / "1.6" / "ocppgen.toml"
    listed = result.stdout.split(f"remove these entries from {metadata} before generating")[1]
    entries = [line.strip() for line in listed.splitlines()[1:] if line.strip()]
    assert entries == [
        "[actions] Reset",
        '[type_names] "Reset:type"',
        '[type_names] "ResetResponse:status"',
    ]
    out = tmp_path / "out"
    failed = invoke("generate", "--schemas", schemas, "--out", out, "-v", "1.6", cwd=tmp_path)
    assert failed.exit_code == 2
    lines = metadata.read_text().splitlines()
    kept = [line for line in lines if not line.startswith(('"Reset:', '"ResetResponse:', "Reset "))]
    assert len(lines) - len(kept) == len(entries)
    metadata.write_text("\n".join(kept) + "\n")
    generated = invoke("generate", "--schemas", schemas, "--out", out, "-v", "1.6", cwd=tmp_path)
    assert generated.exit_code == 0, generated.stderr


def test_stale_entries_name_profiles_left_empty_and_overlays_of_removed_files() -> None:
    metadata = load_metadata(SCHEMAS / "2.1", ("ChargingStation", "CSMS"))
    source = schemaset.read_schema_source(SCHEMAS / "2.1")
    reservation = {
        name for name, action in metadata.actions.items() if action.profile == "Reservation"
    }
    kept = {
        name: entry
        for name, entry in source.files.items()
        if name.removesuffix(".json").removesuffix("Request").removesuffix("Response")
        not in reservation
    }
    overlay = Overlay("ReserveNowRequest.json", "remove", "/description", None, "overlays[0]")
    with_overlay = dataclasses.replace(metadata, overlays=(overlay,))
    entries = stale_entries(with_overlay, schemaset.SchemaSource("x", kept))
    assert entries == (
        *(f"[actions] {name}" for name in sorted(reservation)),
        "[profiles] Reservation (no action left)",
        "overlays[0] (file ReserveNowRequest.json)",
    )
