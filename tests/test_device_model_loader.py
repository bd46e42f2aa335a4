"""The device-model CSV files as generator input: every malformed row is one line naming the
file and line (exit 2, nothing written), the files are inputs of the manifest (``check`` sees an
edit), and a folder without them generates no catalogue module."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from support import ROOT, SCHEMAS
from test_cli import _expect_error

from generator import pipeline
from generator.config import Settings
from generator.errors import GeneratorError
from generator.ir.device_model import (
    CONFIGURATION_MODULE_NAMES,
    DEVICE_MODEL_ACTIONS,
    DEVICE_MODEL_MODULE_NAMES,
)
from generator.output.manifest import input_digests

METADATA_201 = "[profiles]\nProvisioning = { letter = 'B' }\n\n[actions]\n" + "".join(
    f"{action} = {{ profile = 'Provisioning', initiator = 'both' }}\n"
    for action in DEVICE_MODEL_ACTIONS
)
METADATA_16 = """
[type_names]
"ChangeConfigurationResponse:status" = "ConfigurationStatus"
"GetConfigurationResponse:configurationKey[]" = "KeyValue"

[profiles]
Core = {}

[actions]
ChangeConfiguration = { profile = "Core", initiator = "CentralSystem" }
GetConfiguration = { profile = "Core", initiator = "CentralSystem" }
"""
VARIABLES_HEADER = (
    "component,variable,instance,data_type,unit,mutability,required,values_list,description"
)
VARIABLES = [
    VARIABLES_HEADER,
    "OCPPCommCtrlr,HeartbeatInterval,,integer,s,ReadWrite,no,,Idle time before a Heartbeat",
    'AuthCacheCtrlr,Policy,,OptionList,,ReadWrite,no,"LRU,LFU",Cache policy',
    "DeviceDataCtrlr,BytesPerMessage,GetReport,integer,,ReadOnly,yes,,Max bytes",
    "<generic>,Available,,boolean,,,no,,Supported",
]
COMPONENTS = [
    "component,kind,in_components_table,specific_pairs",
    "OCPPCommCtrlr,controller,yes,1",
    "AuthCacheCtrlr,controller,yes,1",
    "DeviceDataCtrlr,controller,yes,1",
]
KEYS_HEADER = "key,profile,required,accessibility,type,unit,max_length_key,description"
KEYS = [
    KEYS_HEADER,
    "HeartbeatInterval,Core,required,RW,integer,seconds,,Idle time before a Heartbeat",
    "MeterValuesSampledData,Core,required,RW,CSL,,MeterValuesSampledDataMaxLength,Measurands",
    "MeterValuesSampledDataMaxLength,Core,optional,R,integer,,,Max items",
]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def schemas(tmp_path: Path) -> Path:
    """A 2.0.1 folder with the device-model actions and a 1.6 one with the configuration
    actions, each with a small catalogue."""
    root = tmp_path / "schemas"
    v201, v16 = root / "2.0.1", root / "1.6"
    v201.mkdir(parents=True)
    v16.mkdir()
    for action in DEVICE_MODEL_ACTIONS:
        for side in ("Request", "Response"):
            shutil.copy(SCHEMAS / "2.0.1" / f"{action}{side}.json", v201)
    for name in ("GetConfiguration", "GetConfigurationResponse", "ChangeConfiguration"):
        shutil.copy(SCHEMAS / "1.6" / f"{name}.json", v16)
    shutil.copy(SCHEMAS / "1.6" / "ChangeConfigurationResponse.json", v16)
    (v201 / "ocppgen.toml").write_text(METADATA_201)
    (v16 / "ocppgen.toml").write_text(METADATA_16)
    _write(v201 / "components-variables.csv", VARIABLES)
    _write(v201 / "components.csv", COMPONENTS)
    _write(v16 / "configuration-keys.csv", KEYS)
    return root


def _error(schemas: Path) -> str:
    with pytest.raises(GeneratorError) as caught:
        pipeline.build_specs(Settings(schemas, schemas.parent / "out", ()))
    text = str(caught.value)
    assert "\n" not in text
    return text


def test_the_small_catalogues_build(schemas: Path) -> None:
    v16, v201 = pipeline.build_specs(Settings(schemas, schemas.parent / "out", ()))
    assert v201.device_model is not None and v201.device_model.variable_count == 4
    assert v16.configuration is not None and len(v16.configuration.keys) == 3
    assert v16.device_model is None and v201.configuration is None


VARIABLE_ROWS = [
    ("OCPPCommCtrlr,HeartbeatInterval,,float,s,ReadWrite,no,,x", "data_type 'float' is not one of"),
    ("OCPPCommCtrlr,Interval,,integer,s,RW,no,,x", "mutability 'RW' is not one of"),
    ("OCPPCommCtrlr,Interval,,integer,s,,maybe,,x", "required 'maybe' is not one of"),
    ('OCPPCommCtrlr,Interval,,integer,,,no,"1,2",x', "values_list on a integer variable"),
    ('OCPPCommCtrlr,Interval,,OptionList,,,no,"A,B,A",x', "values_list repeats 'A'"),
    ('OCPPCommCtrlr,Interval,,OptionList,,,no,"A,,B",x', "has an empty or padded value"),
    ("OCPPCommCtrlr,Interval,,integer,s,ReadWrite,no", "7 cells, the header has 9 columns"),
    ("ocppcommctrlr,heartbeatinterval,,integer,s,ReadWrite,no,,x", "is listed twice (also at"),
    ("OCPPCommCtrlr,Heart beat,,integer,s,ReadWrite,no,,x", "has characters an OCPP name cannot"),
    ("OCPPCommCtrlr," + "V" * 51 + ",,integer,,,no,,x", "is longer than 50 characters"),
    (",Interval,,integer,,,no,,x", "component is empty"),
    ("OCPPCommCtrlr,Interval,,integer, s,,no,,x", "unit ' s' has surrounding spaces"),
    ("OCPPCommCtrlr,Interval,,integer,s,,no,,a\u202ebc", "has the control character U+202E"),
    ('OCPPCommCtrlr,Interval,,integer,s,,no,,"two\nlines"', "has the control character U+000A"),
    ("NoSuchCtrlr,Interval,,integer,,,no,,x", "component 'NoSuchCtrlr' is not in"),
    (
        "OCPPCommCtrlr,HeartbeatInterval,Default,integer,,,no,,x",
        "both with and without an instance",
    ),
    ("DeviceDataCtrlr,BytesPerMessage,GetVariables,string,,,no,,x", "share one data type"),
    ("OCPPCommCtrlr,name,,integer,,,no,,x", "taken by an attribute of every component"),
]


@pytest.mark.parametrize(("row", "message"), VARIABLE_ROWS, ids=[m for _, m in VARIABLE_ROWS])
def test_a_bad_variable_row_names_the_file_and_line(schemas: Path, row: str, message: str) -> None:
    path = _write(schemas / "2.0.1" / "components-variables.csv", [*VARIABLES, row])
    text = _error(schemas)
    assert text.startswith(f"{path}:6: "), text
    assert message in text


def test_a_bad_header_or_csv_or_encoding_is_named(schemas: Path) -> None:
    path = _write(schemas / "2.0.1" / "components-variables.csv", ["component,variable", "a,b"])
    assert _error(schemas).startswith(f"{path}:1: the header must be component,variable,")
    path.write_text(VARIABLES_HEADER + '\nOCPPCommCtrlr,"unterminated\n', encoding="utf-8")
    assert f"{path}:" in _error(schemas) and "not valid CSV" in _error(schemas)
    path.write_bytes(VARIABLES_HEADER.encode() + b"\nOCPPCommCtrlr,Caf\xe9,,string,,,no,,x\n")
    assert _error(schemas) == f"{path}: not UTF-8 (byte {len(VARIABLES_HEADER) + 18})"


def test_components_rows_and_the_pair_of_files(schemas: Path) -> None:
    components = schemas / "2.0.1" / "components.csv"
    _write(components, [*COMPONENTS[:-1], "DeviceDataCtrlr,controller,yes,2"])
    assert _error(schemas) == (
        f"{components}:4: specific_pairs is 2 but 1 variables of DeviceDataCtrlr are listed"
    )
    _write(components, [*COMPONENTS, "Extra,sensor,yes,0"])
    assert "kind 'sensor' is not one of" in _error(schemas)
    _write(components, [*COMPONENTS, "Variable,controller,yes,0"])
    assert _error(schemas) == (
        f"{components}:5: component 'Variable' gives the name 'Variable', which the generated "
        "module uses"
    )
    components.unlink()
    variables = schemas / "2.0.1" / "components-variables.csv"
    assert _error(schemas) == (
        f"{variables}: needs components.csv beside it (the device model has both)"
    )


KEY_ROWS = [
    ("Foo,Core,required,X,integer,,,x", "accessibility 'X' is not one of"),
    ("Foo,Core,required,RW,float,,,x", "type 'float' is not one of"),
    ("Foo,Core,maybe,RW,integer,,,x", "required 'maybe' is not one of"),
    ("Foo,Core,required,RW,integer,,HeartbeatInterval,x", "max_length_key on a integer key"),
    ("Foo,Core,required,RW,CSL,,NoSuchKey,x", "max_length_key 'NoSuchKey' is not a listed key"),
    ("Foo,Core,required,RW,CSL,,MeterValuesSampledData,x", "is not an integer key"),
    ("heartbeatINTERVAL,Core,required,RW,integer,,,x", "is listed twice (also at"),
    ("CONFIGURATION,Core,required,RW,integer,,,x", "which the generated module uses"),
    ("Foo,Co re,required,RW,integer,,,x", "profile 'Co re' is not a profile name"),
]


@pytest.mark.parametrize(("row", "message"), KEY_ROWS, ids=[m for _, m in KEY_ROWS])
def test_a_bad_key_row_names_the_file_and_line(schemas: Path, row: str, message: str) -> None:
    path = _write(schemas / "1.6" / "configuration-keys.csv", [*KEYS, row])
    text = _error(schemas)
    assert text.startswith(f"{path}:5: "), text
    assert message in text


def test_a_catalogue_needs_the_actions_its_helpers_build(schemas: Path) -> None:
    for side in ("Request", "Response"):
        (schemas / "2.0.1" / f"GetReport{side}.json").unlink()
    toml = schemas / "2.0.1" / "ocppgen.toml"
    toml.write_text(toml.read_text().replace("GetReport = ", "# GetReport = "))
    assert _error(schemas) == (
        f"{schemas / '2.0.1' / 'components-variables.csv'}: OCPP 2.0.1 has no GetReport action, "
        "which the helpers of this file need"
    )


def test_the_command_line_says_it_in_one_line_and_writes_nothing(
    schemas: Path, tmp_path: Path
) -> None:
    _write(schemas / "2.0.1" / "components-variables.csv", [*VARIABLES, "A,B,,integer,,,no,,x"])
    line = _expect_error(schemas, tmp_path, "components-variables.csv:6: component 'A'")
    assert line.endswith("is not in " + str(schemas / "2.0.1" / "components.csv"))


def test_the_files_are_manifest_inputs_and_check_sees_an_edit(schemas: Path) -> None:
    settings = Settings(schemas, schemas.parent / "out", ("2.0.1",))
    digests = input_digests(schemas, ("1.6", "2.0.1"))
    for name in ("2.0.1/components-variables.csv", "2.0.1/components.csv"):
        assert f"schemas/{name}" in digests
    assert "schemas/1.6/configuration-keys.csv" in digests
    pipeline.generate(settings)
    module = settings.out / "ocpp_bindings" / "v201" / "device_model.py"
    assert "HeartbeatInterval = Variable(" in module.read_text()
    assert not pipeline.check(settings)
    variables = schemas / "2.0.1" / "components-variables.csv"
    variables.write_text(variables.read_text().replace("Idle time", "Idle seconds"))
    found = pipeline.check(settings)
    assert "ocpp_bindings/v201/device_model.py" in found.stale
    assert "ocpp_bindings/manifest.json" in found.stale


def test_a_folder_without_the_files_generates_no_catalogue_module(schemas: Path) -> None:
    for path in (schemas / "2.0.1").glob("*.csv"):
        path.unlink()
    (spec,) = pipeline.build_specs(Settings(schemas, schemas.parent / "out", ("2.0.1",)))
    assert spec.device_model is None
    files = pipeline.generate_files(Settings(schemas, schemas.parent / "out", ("2.0.1",)))
    assert "ocpp_bindings/v201/registry.py" in files
    assert "ocpp_bindings/v201/device_model.py" not in files
    assert "ocpp_bindings_tests/v201/test_device_model.py" not in files


def _module_names(path: Path) -> tuple[set[str], set[str]]:
    """(names a catalogue module binds at its top level, those that are catalogue entries:
    component classes and 1.6 keys)."""
    bound: set[str] = set()
    entries: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom):
            if (node.module or "").rsplit(".", 1)[-1] != "messages":
                bound.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.ClassDef):
            bound.add(node.name)
            bases = {ast.unparse(base) for base in node.bases}
            if "AnyComponent" in bases or any(b.startswith("_standard.") for b in bases):
                entries.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {t.id for t in targets if isinstance(t, ast.Name)}
            bound |= names
            call = node.value
            if isinstance(call, ast.Call) and ast.unparse(call.func) == "Key":
                entries |= names
        elif isinstance(node, ast.FunctionDef):
            bound.add(node.name)
    return bound, entries


@pytest.mark.parametrize(
    ("module", "reserved", "copies"),
    [
        ("device_model.py", DEVICE_MODEL_MODULE_NAMES, 5),  # 2.0.1, 2.1, pydantic, msgspec, acme
        ("configuration.py", CONFIGURATION_MODULE_NAMES, 2),  # 1.6, acme
    ],
)
def test_every_name_a_catalogue_module_binds_is_kept_from_the_catalogue(
    module: str, reserved: frozenset[str], copies: int
) -> None:
    """A component or key can never take a name its module uses itself: each is refused by
    name (the reserved sets) or as private (a leading ``_``)."""
    paths = sorted((ROOT / "generated").rglob(module))
    assert len(paths) == copies
    for path in paths:
        bound, entries = _module_names(path)
        assert entries, path
        own = {name for name in bound - entries if not name.startswith("_")}
        assert own <= reserved, (path, sorted(own - reserved))
