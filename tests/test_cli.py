"""The ocppgen command line: options, defaults, and every bad-input path."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import ROOT, SCHEMAS
from typer.testing import CliRunner

from generator.errors import GeneratorError
from generator.output import writer

OCPPGEN = [sys.executable, "-c", "from generator.cli import app; app()"]
DRAFT06 = "http://json-schema.org/draft-06/schema#"
SMALL_SET = ["HeartbeatRequest", "HeartbeatResponse", "DataTransferRequest", "DataTransferResponse"]
SMALL_METADATA = """
[profiles]
Availability = { letter = "G" }
DataTransfer = { letter = "P" }

[actions]
Heartbeat = { profile = "Availability", initiator = "ChargingStation" }
DataTransfer = { profile = "DataTransfer", initiator = "both" }
"""


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*OCPPGEN, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture
def schemas(tmp_path: Path) -> Path:
    """A small 2.0.1 schema set copied from the real one."""
    root = tmp_path / "schemas"
    (root / "2.0.1").mkdir(parents=True)
    for name in SMALL_SET:
        shutil.copy(SCHEMAS / "2.0.1" / f"{name}.json", root / "2.0.1")
    (root / "2.0.1" / "ocppgen.toml").write_text(SMALL_METADATA)
    return root


def _snapshot(folder: Path, skip_cache: bool = False) -> dict[str, bytes]:
    files = (p for p in sorted(folder.rglob("*")) if p.is_file())
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in files
        if not (skip_cache and "__pycache__" in p.parts)
    }


def _expect_error(schemas: Path, tmp_path: Path, *fragments: str) -> str:
    out = tmp_path / "out"
    (out / "ocpp_bindings").mkdir(parents=True, exist_ok=True)
    (out / "ocpp_bindings" / "keep.py").write_text("previous generation\n")
    before = _snapshot(out)
    result = run("generate", "--schemas", str(schemas), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ocppgen: error: ")
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    assert _snapshot(out) == before, "nothing may be written on error"
    return lines[0]


def _write(path: Path, document: Any) -> None:
    path.write_text(json.dumps(document) if not isinstance(document, str) else document)


def test_generate_small_set_and_check(schemas: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("generate", "--schemas", str(schemas), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (out / "ocpp_bindings" / "v201" / "messages.py").is_file()
    assert not (out / "ocpp_bindings" / "v16").exists()
    assert run("check", "--schemas", str(schemas), "--out", str(out), cwd=tmp_path).returncode == 0
    messages = out / "ocpp_bindings" / "v201" / "messages.py"
    messages.write_text(messages.read_text() + "# edited\n")
    (out / "ocpp_bindings" / "stray.py").write_text("")
    stale = run("check", "--schemas", str(schemas), "--out", str(out), cwd=tmp_path)
    assert stale.returncode == 1
    assert "ocpp_bindings/v201/messages.py" in stale.stderr
    assert "ocpp_bindings/stray.py" in stale.stderr


def test_unreadable_json(schemas: Path, tmp_path: Path) -> None:
    _write(schemas / "2.0.1" / "HeartbeatRequest.json", '{"type": "object",')
    _expect_error(schemas, tmp_path, "HeartbeatRequest.json", "invalid JSON", "line 1")


def test_not_utf8(schemas: Path, tmp_path: Path) -> None:
    (schemas / "2.0.1" / "HeartbeatRequest.json").write_bytes(b'{"a": "\xff"}')
    _expect_error(schemas, tmp_path, "HeartbeatRequest.json", "not UTF-8")


def test_schema_that_fails_its_meta_schema(schemas: Path, tmp_path: Path) -> None:
    _write(
        schemas / "2.0.1" / "HeartbeatRequest.json",
        {"$schema": DRAFT06, "type": "object", "properties": {"a": {"type": 12}}},
    )
    _expect_error(schemas, tmp_path, "HeartbeatRequest.json#/properties/a/type", "invalid schema")


def test_unsupported_draft(schemas: Path, tmp_path: Path) -> None:
    _write(
        schemas / "2.0.1" / "HeartbeatRequest.json",
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"},
    )
    _expect_error(schemas, tmp_path, "HeartbeatRequest.json#/$schema", "unsupported $schema")


def test_unknown_construct(schemas: Path, tmp_path: Path) -> None:
    _write(
        schemas / "2.0.1" / "HeartbeatRequest.json",
        {
            "$schema": DRAFT06,
            "type": "object",
            "properties": {"code": {"type": "string", "pattern": "^[A-Z]+$"}},
        },
    )
    _expect_error(
        schemas, tmp_path, "HeartbeatRequest.json#/properties/code", "unsupported keyword 'pattern'"
    )


def test_unknown_format(schemas: Path, tmp_path: Path) -> None:
    _write(
        schemas / "2.0.1" / "HeartbeatRequest.json",
        {
            "$schema": DRAFT06,
            "type": "object",
            "properties": {"a": {"type": "string", "format": "email"}},
        },
    )
    _expect_error(schemas, tmp_path, "#/properties/a", "unsupported format 'email'")


def test_name_collision_between_files(schemas: Path, tmp_path: Path) -> None:
    path = schemas / "2.0.1" / "HeartbeatRequest.json"
    schema = json.loads(path.read_text())
    schema["definitions"]["CustomDataType"]["properties"]["vendorId"]["maxLength"] = 10
    _write(path, schema)
    _expect_error(
        schemas, tmp_path, "#/definitions/CustomDataType", "name collision", "'CustomDataType'"
    )


@pytest.mark.parametrize(
    ("values", "fragments"),
    [
        (["a-b", "a_b"], ("enum/1:", "values 'a-b' and 'a_b' both give the member name 'a_b'")),
        (["ok", "'''"], ("enum/1:", "value \"'''\" has no letter or digit", "'___'")),
        (["_x_"], ("enum/0:", "'_x_'", "starts and ends with '_'")),
        (["mro"], ("enum/0:", "'mro', which Enum reserves")),
        ([""], ("enum/0:", "the empty enum value")),
    ],
)
def test_enum_member_name_problems_say_what_and_which_value(
    schemas: Path, tmp_path: Path, values: list[str], fragments: tuple[str, ...]
) -> None:
    _write(
        schemas / "2.0.1" / "HeartbeatRequest.json",
        {
            "$schema": DRAFT06,
            "type": "object",
            "definitions": {"ModeEnumType": {"type": "string", "enum": values}},
            "properties": {"mode": {"$ref": "#/definitions/ModeEnumType"}},
        },
    )
    line = _expect_error(
        schemas, tmp_path, "HeartbeatRequest.json#/definitions/ModeEnumType/", *fragments
    )
    assert "reserved or already taken" not in line


def test_field_name_collision(schemas: Path, tmp_path: Path) -> None:
    _write(
        schemas / "2.0.1" / "HeartbeatRequest.json",
        {
            "$schema": DRAFT06,
            "type": "object",
            "properties": {"fooBar": {"type": "string"}, "foo_bar": {"type": "string"}},
        },
    )
    _expect_error(schemas, tmp_path, "#/properties/foo_bar", "collides")


def test_missing_response(schemas: Path, tmp_path: Path) -> None:
    (schemas / "2.0.1" / "HeartbeatResponse.json").unlink()
    _expect_error(schemas, tmp_path, "HeartbeatRequest.json", "no response")


def test_unnamed_inline_type_and_unknown_name(tmp_path: Path) -> None:
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS / "1.6", root / "1.6")
    metadata = root / "1.6" / "ocppgen.toml"
    text = metadata.read_text()
    metadata.write_text(text.replace('"UnlockConnectorResponse:status" = "UnlockStatus"\n', ""))
    _expect_error(
        root,
        tmp_path,
        "UnlockConnectorResponse.json#/properties/status",
        "UnlockConnectorResponse:status",
    )
    metadata.write_text(
        text.replace("[type_names]\n", '[type_names]\n"Nowhere:status" = "Nothing"\n')
    )
    _expect_error(root, tmp_path, "ocppgen.toml", "'Nowhere:status'")


def test_action_without_metadata_and_metadata_without_action(schemas: Path, tmp_path: Path) -> None:
    metadata = schemas / "2.0.1" / "ocppgen.toml"
    metadata.write_text(
        SMALL_METADATA.replace(
            'Heartbeat = { profile = "Availability", initiator = "ChargingStation" }\n', ""
        )
    )
    _expect_error(
        schemas, tmp_path, "HeartbeatRequest.json", "action Heartbeat has no entry in [actions]"
    )
    metadata.write_text(
        SMALL_METADATA + 'Reset = { profile = "Availability", initiator = "CSMS" }\n'
    )
    _expect_error(schemas, tmp_path, "ocppgen.toml", "actions.Reset: no such action")
    metadata.write_text(SMALL_METADATA.replace('initiator = "both"', 'initiator = "Nobody"'))
    _expect_error(
        schemas, tmp_path, "ocppgen.toml", "actions.DataTransfer: initiator must be one of"
    )
    metadata.write_text(SMALL_METADATA.replace('profile = "DataTransfer"', 'profile = "Nope"'))
    _expect_error(schemas, tmp_path, "ocppgen.toml", "unknown profile 'Nope'")


def test_overlay_corrects_a_schema_at_load_time(schemas: Path, tmp_path: Path) -> None:
    metadata = schemas / "2.0.1" / "ocppgen.toml"
    overlay = """
[[overlays]]
file = "HeartbeatResponse.json"
op = "add"
path = "/properties/currentTime/description"
value = "Overlay-corrected description."
"""
    metadata.write_text(SMALL_METADATA + overlay)
    out = tmp_path / "out"
    assert (
        run("generate", "--schemas", str(schemas), "--out", str(out), cwd=tmp_path).returncode == 0
    )
    assert (
        "Overlay-corrected description."
        in (out / "ocpp_bindings" / "v201" / "messages.py").read_text()
    )
    metadata.write_text(
        SMALL_METADATA + overlay.replace("/properties/currentTime/description", "/nothing/here")
    )
    _expect_error(
        schemas, tmp_path, "HeartbeatResponse.json", "overlays[0]: nothing at /nothing/here"
    )


def test_list_prints_the_table(schemas: Path, tmp_path: Path) -> None:
    result = run("list", "--schemas", str(schemas), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "OCPP 2.0.1: 2 actions in 2 profiles"
    assert "P DataTransfer  DataTransfer  ChargingStation + CSMS  CALL" in result.stdout


def test_unknown_version(schemas: Path, tmp_path: Path) -> None:
    result = run(
        "generate",
        "--schemas",
        str(schemas),
        "--out",
        str(tmp_path / "o"),
        "--version",
        "3.0",
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "unknown OCPP version '3.0'" in result.stderr
    assert "Traceback" not in result.stderr


def test_defaults_come_from_the_nearest_pyproject(schemas: Path, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ocppgen]\nschemas = "schemas"\nout = "bindings"\n'
    )
    nested = tmp_path / "deep" / "er"
    nested.mkdir(parents=True)
    result = run("generate", cwd=nested)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "bindings" / "ocpp_bindings" / "v201" / "enums.py").is_file()


@pytest.mark.parametrize("command", ["generate", "check"])
def test_help_is_useful(command: str, tmp_path: Path) -> None:
    result = run(command, "--help", cwd=tmp_path)
    assert result.returncode == 0
    for option in ("--schemas", "--out", "--version", "[tool.ocppgen]", "pyproject.toml"):
        assert option in result.stdout


def test_unwritable_output_is_a_one_line_error(schemas: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    result = run("generate", "--schemas", str(schemas), "--out", str(blocker / "out"), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "cannot write the package" in result.stderr
    assert "Traceback" not in result.stderr


def test_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    writer.write_package(out, {"ocpp_bindings/__init__.py": "old = 1\n"})
    calls = 0
    real_write = Path.write_bytes

    def failing_write(self: Path, data: bytes) -> int:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError("disk full")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    with pytest.raises(GeneratorError, match="cannot write the package: disk full"):
        writer.write_package(
            out, {"ocpp_bindings/__init__.py": "new = 1\n", "ocpp_bindings/x.py": "x = 1\n"}
        )
    assert sorted(p.name for p in out.iterdir()) == ["ocpp_bindings"]
    assert (out / "ocpp_bindings" / "__init__.py").read_text() == "old = 1\n"


def test_committed_package_is_what_generate_writes(tmp_path: Path) -> None:
    """Run from another folder with another hash seed: byte-identical to generated/."""
    out = tmp_path / "out"
    result = run(
        "generate",
        "--schemas",
        str(SCHEMAS),
        "--out",
        str(out),
        cwd=tmp_path,
        env={"PYTHONHASHSEED": "12345"},
    )
    assert result.returncode == 0, result.stderr
    assert _snapshot(out / "ocpp_bindings") == _snapshot(
        ROOT / "generated" / "ocpp_bindings", skip_cache=True
    )


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_prints_ocppgen_and_its_output_tools(tmp_path: Path, flag: str) -> None:
    from importlib import metadata

    from generator import __version__

    result = run(flag, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    writer = f"datamodel-code-generator {metadata.version('datamodel-code-generator')}"
    assert result.stdout == (
        f"ocppgen {__version__} (black {metadata.version('black')}; --style pydantic: "
        f"{writer}; --style msgspec: {writer})\n"
    )


def test_version_after_a_command_is_still_the_ocpp_version(tmp_path: Path) -> None:
    result = run("list", "--version", "1.6", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OCPP 1.6: ")


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in sorted(getattr(group, "commands", {}).items()):
        found += _commands(command, (*prefix, name))
    return found


HELP_PLACEHOLDER = re.compile(r"<[a-zA-Z\[\]]+>|\{[A-Za-z.]+\}")
"""typer's type placeholders (``<list[str]>``, ``<path>``, ``{old}``); choices such as
``<text|markdown|json>`` stay."""


def test_every_help_shows_names_not_type_placeholders_and_only_real_commands() -> None:
    import typer

    from generator.cli import app

    root = typer.main.get_command(app)
    commands = _commands(root)
    assert ("extension", "init") in commands and ("schemas", "import") in commands
    real = {" ".join(command) for command in commands}
    for command in commands:
        result = CliRunner().invoke(app, [*command, "--help"])
        assert result.exit_code == 0, command
        text = " ".join(result.stdout.split())
        assert HELP_PLACEHOLDER.findall(text) == [], (command, text)
        for mentioned in re.findall(r"`ocppgen ([a-z ]+?)`", text):
            assert mentioned in real, (command, mentioned)
        assert "inspect" not in text, command
