"""Hostile numbers, nesting, strings and paths in schemas (issue 19, items 5 and 9).

Every way a schema enters (``generate --schemas``, ``--extension``, ``schemas import``,
``diff``) refuses what the generator cannot represent with one line naming the file and the
JSON pointer, exit 2; ``diff`` handles the boolean schemas draft-06 allows.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from inprocess import invoke, one_line_error
from support import ROOT, SCHEMAS

from generator.errors import GeneratorError
from generator.schemas.json_text import MAX_DEPTH, MAX_INT_DIGITS
from generator.schemas.loader import parse_schema

SMALL_METADATA = """
[profiles]
Availability = { letter = "G" }

[actions]
Heartbeat = { profile = "Availability", initiator = "ChargingStation" }
"""
HEARTBEAT = (SCHEMAS / "2.0.1" / "HeartbeatResponse.json").read_text()
TOO_DEEP = "/properties/n" + "/items" * (MAX_DEPTH - 2)
"""The first too deep container of ``_nested_arrays`` (n is the third level)."""


def _with_property(schema_text: str, property_json: str) -> str:
    """``schema_text`` with a property ``n`` (raw JSON text) in its top-level properties."""
    at = schema_text.rindex('"properties": {') + len('"properties": {')
    return f'{schema_text[:at]}"n": {property_json}, {schema_text[at:]}'


def _nested_arrays(levels: int) -> str:
    return '{"type": "array", "items": ' * levels + '{"type": "integer"}' + "}" * levels


def _deep_default(levels: int) -> str:
    return '{"default": ' + "[" * levels + "]" * levels + "}"


HOSTILE = {
    "huge float": ('{"type": "number", "maximum": 1e400}', "/maximum", "1e400 is out of range"),
    "huge negative float": (
        '{"type": "number", "minimum": -1e400}',
        "/minimum",
        "-1e400 is out of range",
    ),
    "NaN": ('{"type": "number", "maximum": NaN}', "/maximum", "NaN is not a JSON number"),
    "Infinity": (
        '{"type": "number", "maximum": Infinity}',
        "/maximum",
        "Infinity is not a JSON number",
    ),
    "-Infinity": (
        '{"type": "number", "minimum": -Infinity}',
        "/minimum",
        "-Infinity is not a JSON number",
    ),
    "long integer": (
        '{"type": "integer", "maximum": ' + "9" * (MAX_INT_DIGITS + 1) + "}",
        "/maximum",
        f"an integer of {MAX_INT_DIGITS + 1} digits",
    ),
    "300 nested arrays": (_nested_arrays(300), TOO_DEEP[len("/properties/n") :], "nested deeper"),
    "100,000-deep JSON": (_deep_default(100_000), "/default" + "/0" * 61, "nested deeper"),
    "lone surrogate": (
        '{"type": "string", "description": "a \\ud800 b"}',
        "/description",
        "lone surrogate \\ud800",
    ),
}


def _schema_set(tmp_path: Path, response_text: str) -> Path:
    root = tmp_path / "schemas"
    (root / "2.0.1").mkdir(parents=True)
    shutil.copy(SCHEMAS / "2.0.1" / "HeartbeatRequest.json", root / "2.0.1")
    (root / "2.0.1" / "HeartbeatResponse.json").write_text(response_text, encoding="utf-8")
    (root / "2.0.1" / "ocppgen.toml").write_text(SMALL_METADATA)
    return root


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_generate_refuses_hostile_schema_with_file_and_pointer(tmp_path: Path, case: str) -> None:
    prop, pointer, message = HOSTILE[case]
    schemas = _schema_set(tmp_path, _with_property(HEARTBEAT, prop))
    out = tmp_path / "out"
    result = invoke("generate", "--schemas", schemas, "--out", out, cwd=tmp_path)
    one_line_error(result, f"HeartbeatResponse.json#/properties/n{pointer}:", message)
    assert not out.exists(), "nothing may be written"


def test_the_pointer_of_too_deep_json_is_the_same_whether_python_can_decode_it_or_not() -> None:
    def pointer(levels: int) -> str | None:
        with pytest.raises(GeneratorError) as caught:
            parse_schema(
                "x.json", "x.json", _with_property(HEARTBEAT, _deep_default(levels)).encode()
            )
        return caught.value.pointer

    decodable, too_deep_to_decode = pointer(MAX_DEPTH + 10), pointer(100_000)
    assert decodable == too_deep_to_decode == "/properties/n/default" + "/0" * 61


def test_numbers_and_nesting_at_the_limits_generate(tmp_path: Path) -> None:
    big = '{"type": "integer", "maximum": ' + "9" * MAX_INT_DIGITS + "}"
    text = _with_property(_with_property(HEARTBEAT, big), _nested_arrays(MAX_DEPTH - 3))
    schemas = _schema_set(tmp_path, text.replace('"n": ', '"deep": ', 1))
    result = invoke("generate", "--schemas", schemas, "--out", tmp_path / "out", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr or result.exception


@pytest.mark.parametrize(
    ("overlay_value", "fragments"),
    [
        ("nan", ("HeartbeatResponse.json#/x:", "the number nan is not finite")),
        ("[" * 5000 + "]" * 5000, ("ocppgen.toml:", "nested too deeply")),
    ],
)
def test_overlay_values_are_held_to_the_same_rules(
    tmp_path: Path, overlay_value: str, fragments: tuple[str, ...]
) -> None:
    schemas = _schema_set(tmp_path, HEARTBEAT)
    overlay = (
        '\n[[overlays]]\nfile = "HeartbeatResponse.json"\nop = "add"\npath = "/x"\n'
        f"value = {overlay_value}\n"
    )
    with (schemas / "2.0.1" / "ocppgen.toml").open("a") as toml:
        toml.write(overlay)
    result = invoke("generate", "--schemas", schemas, "--out", tmp_path / "out", cwd=tmp_path)
    one_line_error(result, *fragments)


def _extension(tmp_path: Path) -> Path:
    folder = tmp_path / "acme"
    shutil.copytree(ROOT / "examples" / "extensions" / "acme", folder)
    return folder


@pytest.mark.parametrize("case", ["NaN", "huge float", "long integer", "300 nested arrays"])
def test_extension_schemas_are_held_to_the_same_rules(tmp_path: Path, case: str) -> None:
    prop, pointer, message = HOSTILE[case]
    folder = _extension(tmp_path)
    schema = folder / "schemas" / "AcmeSelfTestRequest.json"
    schema.write_text(_with_property(schema.read_text(), prop))
    result = invoke("generate", "--extension", folder, "--out", tmp_path / "out", cwd=tmp_path)
    one_line_error(result, f"AcmeSelfTestRequest.json#/properties/n{pointer}:", message)


def test_a_nul_in_an_extension_schema_path_names_the_manifest_entry(tmp_path: Path) -> None:
    folder = _extension(tmp_path)
    manifest = folder / "ocppgen-extension.toml"
    text = manifest.read_text()
    manifest.write_text(
        text.replace('"schemas/AcmeSelfTestRequest.json"', '"schemas/Acme\\u0000.json"')
    )
    result = invoke("generate", "--extension", folder, "--out", tmp_path / "out", cwd=tmp_path)
    one_line_error(
        result, "ocppgen-extension.toml#/action/0/request:", "the control character U+0000"
    )


def test_error_lines_escape_control_characters_of_the_input(tmp_path: Path) -> None:
    prop = '{"$ref": "#/definitions/a\\u0000b\\nc"}'
    schemas = _schema_set(tmp_path, _with_property(HEARTBEAT, prop))
    result = invoke("generate", "--schemas", schemas, "--out", tmp_path / "out", cwd=tmp_path)
    line = one_line_error(result, "a\\x00b\\nc")
    assert "\0" not in line


@pytest.mark.parametrize("case", ["NaN", "long integer", "100,000-deep JSON"])
def test_schemas_import_refuses_hostile_files_naming_the_zip_entry(
    tmp_path: Path, case: str
) -> None:
    prop, pointer, message = HOSTILE[case]
    release = tmp_path / "release.zip"
    with zipfile.ZipFile(release, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((SCHEMAS / "2.0.1").glob("*.json")):
            text = path.read_text()
            if path.name == "HeartbeatResponse.json":
                text = _with_property(text, prop)
            archive.writestr(f"OCPP-2.0.1/schemas/{path.name}", text)
    target = tmp_path / "project" / "schemas"
    shutil.copytree(SCHEMAS / "2.0.1", target / "2.0.1")
    before = {p.name: p.read_bytes() for p in (target / "2.0.1").iterdir()}
    result = invoke(
        "schemas", "import", release, "--version", "2.0.1", "--schemas", target, cwd=tmp_path
    )
    one_line_error(
        result,
        f"release.zip!OCPP-2.0.1/schemas/HeartbeatResponse.json#/properties/n{pointer}:",
        message,
    )
    assert {p.name: p.read_bytes() for p in (target / "2.0.1").iterdir()} == before


def _diff_sets(tmp_path: Path, old_prop: str | None, new_prop: str | None) -> tuple[Path, Path]:
    sets = []
    for name, prop in (("old", old_prop), ("new", new_prop)):
        folder = tmp_path / name
        folder.mkdir(parents=True)
        shutil.copy(SCHEMAS / "2.0.1" / "HeartbeatRequest.json", folder)
        text = HEARTBEAT if prop is None else _with_property(HEARTBEAT, prop)
        (folder / "HeartbeatResponse.json").write_text(text)
        sets.append(folder)
    return sets[0], sets[1]


def _diff(tmp_path: Path, old: Path, new: Path) -> dict[str, Any]:
    result = invoke("diff", old, new, "--format", "json", "--fail-on", "breaking", cwd=tmp_path)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    document: dict[str, Any] = json.loads(result.stdout)
    assert result.exit_code == (1 if document["breaking"] else 0)
    return document


def _changes(log: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    return [(c["path"], c["change"], c["detail"], c["breaking"]) for c in log["changes"]]


def test_diff_compares_boolean_sub_schemas(tmp_path: Path) -> None:
    old, new = _diff_sets(tmp_path, "true", '{"type": "string"}')
    assert _changes(_diff(tmp_path, old, new)) == [
        ("n", "type changed", "any value -> string", True)
    ]
    back = _diff(tmp_path, new, old)
    assert _changes(back) == [("n", "type changed", "string -> any value", False)]
    added = _diff(tmp_path, *_diff_sets(tmp_path / "added", None, "false"))
    assert _changes(added) == [("n", "field added", "no value, optional", False)]
    items = _diff(
        tmp_path, *_diff_sets(tmp_path / "items", None, '{"type": "array", "items": true}')
    )
    assert _changes(items) == [("n", "field added", "array of any value, optional", False)]


def test_diff_compares_boolean_definitions(tmp_path: Path) -> None:
    def with_definitions(extra: str) -> str:
        return HEARTBEAT.replace('"definitions": {', '"definitions": {' + extra + ",", 1)

    folders = []
    for name, extra in (("old", '"Anything": true'), ("new", '"Anything": {"type": "string"}')):
        folder = tmp_path / name
        folder.mkdir()
        shutil.copy(SCHEMAS / "2.0.1" / "HeartbeatRequest.json", folder)
        (folder / "HeartbeatResponse.json").write_text(with_definitions(extra))
        folders.append(folder)
    log = _diff(tmp_path, folders[0], folders[1])
    assert [(c["subject"], c["change"], c["detail"], c["breaking"]) for c in log["changes"]] == [
        ("Anything", "kind changed", "true schema -> type", True)
    ]
    plain, _ = _diff_sets(tmp_path / "plain", None, None)
    added = _diff(tmp_path, plain, folders[0])
    assert [(c["subject"], c["change"]) for c in added["changes"]] == [
        ("Anything", "true schema added")
    ]


@pytest.mark.parametrize(
    ("prop", "pointer", "message"),
    [
        ('{"type": "number", "multipleOf": NaN}', "/multipleOf", "NaN is not a JSON number"),
        ('{"type": "number", "multipleOf": 1e400}', "/multipleOf", "1e400 is out of range"),
        ('{"type": "number", "multipleOf": Infinity}', "/multipleOf", "Infinity is not"),
        ('{"type": "integer", "maximum": ' + "7" * 5000 + "}", "/maximum", "5000 digits"),
        (_nested_arrays(400), TOO_DEEP[len("/properties/n") :], "nested deeper"),
    ],
)
def test_diff_of_hostile_schemas_is_bad_input_not_breaking(
    tmp_path: Path, prop: str, pointer: str, message: str
) -> None:
    old, new = _diff_sets(tmp_path, None, prop)
    result = invoke("diff", old, new, "--fail-on", "breaking", cwd=tmp_path)
    one_line_error(result, f"new/HeartbeatResponse.json#/properties/n{pointer}:", message)


def test_diff_shows_non_string_enum_values_as_json(tmp_path: Path) -> None:
    old, new = _diff_sets(tmp_path, '{"enum": [null, {"a": 1}]}', '{"enum": [{"a": 1}]}')
    assert _changes(_diff(tmp_path, old, new)) == [("n", "enum value removed", "null", True)]
