"""Hostile names and values in extension manifests and schemas (issue 19: items 1, 3, 4, 13, 14).

Every value that reaches generated code is validated and emitted escaped; names are ASCII
(Python folds lookalike letters with NFKC) and may not take a name the generated modules use;
only the files a manifest names are read.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support import GENERATED
from test_cli import OCPPGEN, run
from test_extensions import (
    CUSTOM_DATA,
    DT_SCHEMA,
    GOOD_MANIFEST,
    _extension,
    _small_schemas,
    expect_refused,
)
from test_output_options import _python

from generator.ir.naming import (
    RESERVED_CLASS_NAMES,
    RESERVED_CLASS_PREFIX,
    RESERVED_CLASS_SUFFIX,
    snake_case,
)

TIMEOUT = 120
"""Seconds a generate may take here: a hang (a FIFO read) fails the test instead of the run."""


def _generate(
    tmp_path: Path, folder: Path, *more: str
) -> tuple[subprocess.CompletedProcess[str], Path]:
    schemas = _small_schemas(tmp_path / "schemas")
    out = tmp_path / "out"
    result = subprocess.run(
        [
            *OCPPGEN,
            "generate",
            *more,
            "--schemas",
            str(schemas),
            "--out",
            str(out),
            *("--extension", str(folder)),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return result, out


def _manifest(vendor_id: str, message_id: str = "Ping", name: str = "Ping") -> str:
    return (
        f'package = "zap_ocpp"\nvendor_id = {json.dumps(vendor_id)}\nversions = ["2.0.1"]\n\n'
        f'[[data_transfer]]\nmessage_id = {json.dumps(message_id)}\nname = "{name}"\n'
        'request = "ping.json"\n' + CUSTOM_DATA.format(name="PingData")
    )


# -- item 1: values that reach generated code -----------------------------------------------------

INJECTION = 'x""" + str(print("INJECTED")) + """\\'
"""Printable, so a valid vendor id: it must reach the code as data, never as code."""


@pytest.mark.parametrize("style", ["dataclasses", "pydantic", "msgspec"])
def test_quotes_in_ids_are_data_in_every_generated_module(tmp_path: Path, style: str) -> None:
    manifest = _manifest(INJECTION, message_id='Ping"""' + "'''")
    folder = _extension(tmp_path / "ext", manifest)
    result, out = _generate(tmp_path, folder, "--style", style)
    assert result.returncode == 0, result.stderr
    modules = sorted(
        p.relative_to(out).with_suffix("").as_posix().replace("/", ".")
        for root in ("zap_ocpp", "zap_ocpp_tests")
        for p in (out / root).rglob("*.py")
    )
    code = (
        "import importlib, json\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name.removesuffix('.__init__'))\n"
        "import zap_ocpp, zap_ocpp.v201 as z\n"
        "print(json.dumps([zap_ocpp.VENDOR_ID, z.VENDOR_ID, sorted(z.DATA_TRANSFER)]))"
    )
    imported = _python(code, out)
    assert imported.returncode == 0, imported.stderr
    printed = imported.stdout.splitlines()
    assert len(printed) == 1, "only the JSON line: the vendor id ran as code otherwise"
    assert json.loads(printed[0]) == [INJECTION, INJECTION, [[INJECTION, "Ping\"\"\"'''"]]]
    header = (out / "zap_ocpp" / "__init__.py").read_text().splitlines()[1]
    assert header == f"# Source: ZapOcpp extension ({INJECTION})"


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        (
            _manifest("com.zap\nimport os"),
            "#/vendor_id: vendor_id contains the control character U+000A",
        ),
        (_manifest("com.zap\x00"), "#/vendor_id: vendor_id contains the control character U+0000"),
        (
            _manifest("com.\u202ezap"),
            "#/vendor_id: vendor_id contains the control character U+202E",
        ),
        (
            _manifest("com.zap", message_id="Ping\u2028x"),
            "#/data_transfer/0/message_id: message_id contains the control character U+2028",
        ),
        (
            GOOD_MANIFEST.replace(
                'message_id = "Ping"', 'message_id = "Ping"\nvendor_id = "a\\rb"'
            ),
            "#/data_transfer/0/vendor_id: vendor_id contains the control character U+000D",
        ),
        (
            GOOD_MANIFEST.replace('"ping.json"', '"ping\\u0000.json"'),
            "#/data_transfer/0/request: request contains the control character U+0000",
        ),
    ],
    ids=["newline", "nul", "bidi-override", "line-separator", "entry-vendor-id", "schema-path"],
)
def test_control_characters_in_ids_are_refused(
    tmp_path: Path, manifest: str, expected: str
) -> None:
    expect_refused(tmp_path, manifest, None, expected)


# -- item 14: ids longer than the standard fields they travel in ---------------------------------


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        (
            _manifest("v" * 256),
            "#/vendor_id: vendor_id has 256 characters: the OCPP 2.0.1 DataTransferRequest "
            "vendorId allows at most 255",
        ),
        (
            _manifest("com.zap", message_id="M" * 51),
            "#/data_transfer/0/message_id: message_id has 51 characters: the OCPP 2.0.1 "
            "DataTransferRequest messageId allows at most 50",
        ),
        (
            GOOD_MANIFEST.replace(
                'message_id = "Ping"', f'message_id = "Ping"\nvendor_id = "{"v" * 300}"'
            ),
            "#/data_transfer/0/vendor_id: vendor_id has 300 characters",
        ),
    ],
    ids=["vendor-id", "message-id", "entry-vendor-id"],
)
def test_ids_longer_than_the_standard_allows_are_refused(
    tmp_path: Path, manifest: str, expected: str
) -> None:
    expect_refused(tmp_path, manifest, None, expected)


def test_ids_at_the_limits_pack(tmp_path: Path) -> None:
    vendor, message = "v" * 255, "M" * 50
    result, out = _generate(tmp_path, _extension(tmp_path / "ext", _manifest(vendor, message)))
    assert result.returncode == 0, result.stderr
    code = (
        "import zap_ocpp.v201 as z\n"
        "packed = z.registry.PING.pack(z.PingRequest(level=1))\n"
        "print(len(packed.vendor_id), len(packed.message_id))"
    )
    packed = _python(code, out)
    assert packed.stdout.split() == ["255", "50"], packed.stderr


# -- item 3: lookalike (non-ASCII) names ---------------------------------------------------------


def _with_definition(name: str) -> dict[str, Any]:
    part = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"n": {"type": "integer"}},
    }
    properties = {"level": {"type": "integer"}, "part": {"$ref": f"#/definitions/{name}"}}
    return {**DT_SCHEMA, "definitions": {name: part}, "properties": properties}


LOOKALIKES = {
    "data_transfer name": (
        GOOD_MANIFEST.replace(
            'message_id = "Ping"', 'message_id = "Ping"\nname = "\uff24ataTransfer"'
        ),
        None,
        "#/data_transfer/0/name: name '\uff24ataTransfer' has the non-ASCII character "
        "'\uff24' (U+FF24)",
    ),
    "definition": (
        GOOD_MANIFEST,
        _with_definition("\uff23ustomDataType"),
        "ping.json#/definitions/\uff23ustomDataType: class name '\uff23ustomDataType' has the "
        "non-ASCII character",
    ),
    "action": (
        GOOD_MANIFEST
        + '\n[[action]]\nname = "\uff32eset"\ninitiator = "CSMS"\n'
        + 'request = "ping.json"\nresponse = "ping.json"\n',
        None,
        "#/action/0/name: action name '\uff32eset' has the non-ASCII character",
    ),
    "extension name": (
        GOOD_MANIFEST.replace('vendor_id = "com.zap"', 'vendor_id = "com.zap"\nname = "\u0391cme"'),
        None,
        "#/name: name '\u0391cme' has the non-ASCII character '\u0391' (U+0391)",
    ),
    "customData name": (
        GOOD_MANIFEST + CUSTOM_DATA.format(name="\uff30ingData"),
        None,
        "#/custom_data/0/name: class name '\uff30ingData' has the non-ASCII character",
    ),
    "package": (
        GOOD_MANIFEST.replace('"zap_ocpp"', '"\uff5aap_ocpp"'),
        None,
        "#/package: package name '\uff5aap_ocpp' has the non-ASCII character",
    ),
}


@pytest.mark.parametrize("case", sorted(LOOKALIKES))
def test_lookalike_names_are_refused(tmp_path: Path, case: str) -> None:
    expect_refused(tmp_path, *LOOKALIKES[case])


def test_lookalike_package_and_starter_names_are_refused(tmp_path: Path) -> None:
    package = run("generate", "--package", "\uff4fcpp_b", "--out", "out", cwd=tmp_path)
    assert package.returncode == 2, package.stderr
    assert package.stderr.strip() == (
        "ocppgen: error: --package: package name '\uff4fcpp_b' has the non-ASCII character "
        "'\uff4f' (U+FF4F): names are ASCII letters, digits and '_'"
    )
    starter = run("extension", "init", "\uff21cme", "--dir", "vendor", cwd=tmp_path)
    assert starter.returncode == 2, starter.stderr
    assert "NAME: package name '\uff21cme' has the non-ASCII character" in starter.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# -- item 4: names that would break the package --------------------------------------------------

OPEN_OBJECT = {
    "$schema": DT_SCHEMA["$schema"],
    "type": "object",
    "properties": {"level": {"type": "integer"}, "field": {"type": "string"}},
}
ENUM_SCHEMA = {
    **DT_SCHEMA,
    "properties": {"mode": {"type": "string", "enum": ["On", "Off"]}},
}
BREAKING = {
    "class None": (
        GOOD_MANIFEST,
        _with_definition("None"),
        "ping.json#/definitions/None: class name 'None' is a Python keyword",
    ),
    "class _rt": (
        GOOD_MANIFEST,
        _with_definition("_rt"),
        "ping.json#/definitions/_rt: class name '_rt' must start with an upper-case letter",
    ),
    "class datetime": (
        GOOD_MANIFEST,
        _with_definition("datetime"),
        "ping.json#/definitions/datetime: class name 'datetime' must start with an upper-case",
    ),
    "class Field": (
        GOOD_MANIFEST,
        _with_definition("Field"),
        "ping.json#/definitions/Field: class name 'Field' is a name the generated modules use",
    ),
    "a type name from [type_names]": (
        GOOD_MANIFEST + '\n[type_names]\n"ping:mode" = "Enum"\n',
        ENUM_SCHEMA,
        "ocppgen-extension.toml#/type_names/ping:mode: class name 'Enum' is a name the "
        "generated modules use themselves",
    ),
    "a type name that is no identifier": (
        GOOD_MANIFEST + '\n[type_names]\n"ping:mode" = "Mode-1"\n',
        ENUM_SCHEMA,
        "#/type_names/ping:mode: class name 'Mode-1' is not a Python identifier",
    ),
    "customData class Message": (
        GOOD_MANIFEST + CUSTOM_DATA.format(name="Message"),
        None,
        "#/custom_data/0/name: class name 'Message' is a name the generated modules use",
    ),
    "a handler protocol's name": (
        GOOD_MANIFEST + CUSTOM_DATA.format(name="ZapCSMSHandler"),
        None,
        "#/custom_data/0/name: class name 'ZapCSMSHandler' is a name the generated modules use",
    ),
    "a registry constant": (
        GOOD_MANIFEST.replace('message_id = "Ping"', 'message_id = "Standard"'),
        None,
        "#/data_transfer/0: the generated name STANDARD is one the generated modules use",
    ),
    "the runtime's customData reader": (
        GOOD_MANIFEST + CUSTOM_DATA.format(name="CustomData"),
        None,
        "#/custom_data/0: the generated name read_custom_data is one the generated modules use",
    ),
    "field on an open object": (
        GOOD_MANIFEST,
        OPEN_OBJECT,
        "ping.json#/properties/field: field name 'field' of 'field' would hide dataclasses.field",
    ),
    "NUL in a description": (
        GOOD_MANIFEST,
        {**DT_SCHEMA, "properties": {"level": {"type": "integer", "description": "a\x00b"}}},
        "ping.json#/properties/level/description: description contains a NUL character",
    ),
    "unused [type_names] entry": (
        GOOD_MANIFEST + '\n[type_names]\n"ping:mode" = "PingMode"\n',
        None,
        "ocppgen-extension.toml#/type_names/ping:mode: [type_names] entry 'ping:mode' matches "
        "no inline type",
    ),
    "[type_names] entry for no schema": (
        GOOD_MANIFEST + '\n[type_names]\n"pong:mode" = "PingMode"\n',
        None,
        "#/type_names/pong:mode: [type_names] entry 'pong:mode' matches no inline type",
    ),
}


@pytest.mark.parametrize("case", sorted(BREAKING))
def test_names_that_would_break_the_package_are_refused(tmp_path: Path, case: str) -> None:
    expect_refused(tmp_path, *BREAKING[case])


METADATA_16 = """
[type_names]
"DataTransferResponse:status" = "DataTransferStatus"

[profiles]
Core = {}

[actions]
DataTransfer = { profile = "Core", initiator = "both" }
Heartbeat = { profile = "Core", initiator = "ChargePoint" }
"""


def test_a_type_name_used_by_one_version_only_is_not_unused(tmp_path: Path) -> None:
    """``[type_names]`` is judged over every version built: an entry for a 1.6-only schema
    is used by the 1.6 build alone."""
    manifest = (
        GOOD_MANIFEST.replace('["2.0.1"]', '["1.6", "2.0.1"]')
        + '\n[[data_transfer]]\nmessage_id = "Mode"\nrequest = "mode.json"\nversions = ["1.6"]\n'
        + '\n[type_names]\n"mode:mode" = "ZapMode"\n'
    )
    folder = _extension(tmp_path / "ext", manifest)
    (folder / "mode.json").write_text(json.dumps(ENUM_SCHEMA))
    schemas = _small_schemas(tmp_path / "schemas")
    (schemas / "1.6").mkdir()
    for name in ("Heartbeat", "HeartbeatResponse", "DataTransfer", "DataTransferResponse"):
        source = GENERATED.parent / "schemas" / "1.6" / f"{name}.json"
        (schemas / "1.6" / f"{name}.json").write_bytes(source.read_bytes())
    (schemas / "1.6" / "ocppgen.toml").write_text(METADATA_16)
    out = tmp_path / "out"
    both = run(
        "generate",
        "--schemas",
        str(schemas),
        "--out",
        str(out),
        "--extension",
        str(folder),
        cwd=tmp_path,
    )
    assert both.returncode == 0, both.stderr
    assert (out / "zap_ocpp" / "v16" / "enums.py").read_text().count("class ZapMode(") == 1
    only = run("generate", "--schemas", str(schemas), "--out", str(out), "--version", "2.0.1",
               "--extension", str(folder), cwd=tmp_path)  # fmt: skip
    assert only.returncode == 0, only.stderr


def _bound_names(path: Path) -> set[str]:
    """Upper-case names a module binds at its top level, except the classes it imports from
    the modules that define the generated classes."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom):
            module = (node.module or "").rsplit(".", 1)[-1]
            if module in ("enums", "datatypes", "messages", "models") or module.startswith("v"):
                continue
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
    return {name for name in names if name[:1].isupper()}


def _generated_classes(paths: list[Path]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        if path.stem in ("enums", "datatypes", "messages", "models"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found.update(node.name for node in tree.body if isinstance(node, ast.ClassDef))
    return found


CATALOGUE_MODULES = ("device_model.py", "configuration.py", "test_device_model.py")
"""They bind no class a schema names (only the message classes they import by name); their
own names are kept from the catalogue's by generator.ir.device_model, as
tests/test_device_model_loader.py checks."""


def test_reserved_class_names_cover_every_name_the_generated_modules_bind() -> None:
    """Every upper-case name a generated (non-runtime) module binds beside the generated
    classes is reserved, so that no schema or manifest can make a class that shadows it."""
    roots = [
        GENERATED / "ocpp_bindings",
        GENERATED / "ocpp_bindings_tests",
        GENERATED / "variants" / "pydantic-v201" / "ocpp_bindings",
        GENERATED / "variants" / "pydantic-v201" / "ocpp_bindings_tests",
        GENERATED / "variants" / "msgspec-v201" / "ocpp_bindings",
        GENERATED / "variants" / "msgspec-v201" / "ocpp_bindings_tests",
        GENERATED / "variants" / "acme" / "acme_ocpp",
        GENERATED / "variants" / "acme" / "acme_ocpp_tests",
    ]
    paths = [
        path
        for root in roots
        for path in sorted(root.rglob("*.py"))
        if (not path.name.startswith("_") or path.name == "__init__.py")
        and path.name not in CATALOGUE_MODULES
    ]
    constants = {
        snake_case(name).upper() for name in ("DiagnosticsSnapshot", "SetDisplayBrightness")
    }
    classes = _generated_classes(paths)
    unreserved = {
        (name, path.relative_to(GENERATED).as_posix())
        for path in paths
        for name in _bound_names(path) - classes - constants
        if name not in RESERVED_CLASS_NAMES
        and not name.endswith(RESERVED_CLASS_SUFFIX)
        and not name.startswith(RESERVED_CLASS_PREFIX)
    }
    assert not unreserved, sorted(unreserved)


# -- item 13: only the files the manifest names are read -----------------------------------------


def test_a_fifo_in_the_extension_folder_is_never_opened(tmp_path: Path) -> None:
    folder = _extension(tmp_path / "ext")
    os.mkfifo(folder / "stray.json")
    (folder / "notes.json").write_text("{not even json")
    result, out = _generate(tmp_path, folder)
    assert result.returncode == 0, result.stderr
    inputs = json.loads((out / "ocpp_bindings" / "manifest.json").read_text())["inputs"]
    assert sorted(key for key in inputs if key.startswith("extensions/")) == [
        "extensions/zap_ocpp/ocppgen-extension.toml",
        "extensions/zap_ocpp/ping.json",
    ]


def test_a_fifo_named_as_a_schema_or_as_the_manifest_is_an_error(tmp_path: Path) -> None:
    folder = _extension(tmp_path / "ext", GOOD_MANIFEST.replace('"ping.json"', '"pipe.json"'))
    os.mkfifo(folder / "pipe.json")
    result, _ = _generate(tmp_path / "schema", folder)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().endswith(
        "ocppgen-extension.toml#/data_transfer/0/request: schema 'pipe.json' is not a regular file"
    )
    (folder / "ocppgen-extension.toml").unlink()
    os.mkfifo(folder / "ocppgen-extension.toml")
    result, _ = _generate(tmp_path / "manifest", folder)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().endswith(
        "ocppgen-extension.toml: ocppgen-extension.toml is not a regular file"
    )
