"""Vendor extensions declare their own device-model components and variables (2.x) and 1.6
configuration keys, with the columns of the standard CSV files: they are generated into the
extension package and known to its lookup, readers and stores. The worked example
(``examples/extensions/acme``) is used as its golden record (``generated/variants/acme``)
holds it, beside the committed bindings; bad declarations are one error naming the place."""

from __future__ import annotations

import functools
import importlib
import shutil
import sys
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from ocpp_bindings import ValidationError, v16
from ocpp_bindings.v16 import configuration as standard_configuration
from ocpp_bindings.v201 import device_model as standard_model
from support import ROOT, SCHEMAS

from generator import ir
from generator.config import Settings
from generator.errors import GeneratorError
from generator.extensions.build import build_extensions
from generator.extensions.load import load_extension, manifest_files
from generator.pipeline import build_specs

ACME = ROOT / "examples" / "extensions" / "acme"
GOLDEN = ROOT / "generated" / "variants" / "acme"


@pytest.fixture(scope="module")
def acme() -> Iterator[tuple[ModuleType, ModuleType]]:
    """``acme_ocpp.v201.device_model`` and ``acme_ocpp.v16.configuration`` from the golden
    record, against the committed bindings."""
    sys.path.insert(0, str(GOLDEN))
    try:
        yield (
            importlib.import_module("acme_ocpp.v201.device_model"),
            importlib.import_module("acme_ocpp.v16.configuration"),
        )
    finally:
        sys.path.remove(str(GOLDEN))
        for name in [k for k in sys.modules if k.split(".")[0] == "acme_ocpp"]:
            del sys.modules[name]


def test_vendor_components_and_variables_are_typed_and_found(acme: Any) -> None:
    dm, _ = acme
    cooling = dm.AcmeCoolingCtrlr
    assert (cooling.name, cooling.kind, cooling.in_components_table) == (
        "AcmeCoolingCtrlr",
        "controller",
        False,
    )
    assert cooling.CoolingMode.parse("Boost") == "Boost"
    with pytest.raises(ValidationError) as caught:
        cooling.CoolingMode.parse("Turbo")
    assert caught.value.path == "AcmeCoolingCtrlr.CoolingMode"
    assert cooling.TargetTemperature.parse("21.5") == Decimal("21.5")
    assert cooling.PumpHours["Secondary"].unit == "h"
    assert cooling.Available.component == "AcmeCoolingCtrlr"  # the generic ones apply too
    # the vendor's variable of a standard component, beside every standard one
    assert dm.OCPPCommCtrlr.AcmeDiagnosticsUpload.parse("true") is True
    assert dm.OCPPCommCtrlr.HeartbeatInterval == standard_model.OCPPCommCtrlr.HeartbeatInterval
    model = dm.DEVICE_MODEL
    assert model.find("acmecoolingctrlr", "PumpHours", "primary") == cooling.PumpHours["Primary"]
    assert model.find("OCPPCommCtrlr", "AcmeDiagnosticsUpload") is not None
    assert model.find("OCPPCommCtrlr", "HeartbeatInterval") is not None
    assert model.component("EVSE") is standard_model.EVSE
    assert standard_model.DEVICE_MODEL.find("OCPPCommCtrlr", "AcmeDiagnosticsUpload") is None
    names = [v.name for v in dm.OCPPCommCtrlr.variables()]
    assert names[-1] == "AcmeDiagnosticsUpload" and "HeartbeatInterval" in names


def test_the_store_and_readers_know_the_vendor_variables(acme: Any) -> None:
    dm, _ = acme
    cooling = dm.AcmeCoolingCtrlr
    store = dm.DeviceModelStore()
    store.add(cooling.CoolingMode, "Normal")
    store.add(cooling.PumpHours["Primary"], 1200)
    store.add(dm.OCPPCommCtrlr.AcmeDiagnosticsUpload, False)
    store.add(dm.OCPPCommCtrlr.HeartbeatInterval, 300)
    written = store.set_variables(
        dm.set_variables_request({cooling.CoolingMode: "Boost", cooling.TargetTemperature: 1})
    )
    results = dm.read_set_variables(written)
    assert results[cooling.CoolingMode].status == "Accepted"
    assert results[cooling.TargetTemperature].status == "UnknownVariable"  # not stored
    with pytest.raises(standard_model.NotWritable):
        dm.set_variables_request({cooling.PumpHours["Primary"]: 0})
    response, parts = store.get_base_report(dm.get_base_report_request(3, "FullInventory"))
    assert response.status.value == "Accepted"
    report = dm.read_report(parts)
    assert not report.unknown and report.value(cooling.CoolingMode) == "Boost"
    assert report.value(cooling.PumpHours["Primary"]) == 1200
    plain = standard_model.read_report(parts)  # without the extension: kept raw, as text
    assert {e.variable.name for e in plain.unknown} == {
        "CoolingMode",
        "PumpHours",
        "AcmeDiagnosticsUpload",
    }
    answer = store.get_variables(dm.get_variables_request([dm.OCPPCommCtrlr.AcmeDiagnosticsUpload]))
    assert dm.read_get_variables(answer).value(dm.OCPPCommCtrlr.AcmeDiagnosticsUpload) is False


def test_vendor_configuration_keys(acme: Any) -> None:
    _, cf = acme
    assert cf.AcmeDisplayBrightness.unit == "%" and cf.AcmeSupportedModes.type == "CSL"
    assert cf.CONFIGURATION.find("acmecoolingmode") is cf.AcmeCoolingMode
    assert cf.CONFIGURATION.find("HeartbeatInterval") is standard_configuration.HeartbeatInterval
    assert cf.CONFIGURATION.max_length_of(cf.AcmeSupportedModes) is cf.AcmeSupportedModesMaxLength
    store = cf.ConfigurationStore()
    store.add(cf.AcmeSupportedModesMaxLength, 2)
    store.add(cf.AcmeSupportedModes, ("Quiet", "Normal"))
    store.add(cf.AcmeCoolingMode, "Quiet")
    answer = store.get_configuration(cf.get_configuration_request())
    results = cf.read_configuration(answer)
    assert results.value(cf.AcmeSupportedModes) == ("Quiet", "Normal")
    assert results[cf.AcmeSupportedModes].readonly
    assert not any(not key.standard for key in results)  # all known to the extension
    change = store.change_configuration(
        v16.ChangeConfigurationRequest(key="AcmeCoolingMode", value="Boost")
    )
    assert change.status.value == "Accepted" and store.get(cf.AcmeCoolingMode) == "Boost"
    with pytest.raises(standard_configuration.NotWritable):
        cf.change_configuration_request(cf.AcmeSupportedModes, ("Quiet",))


@functools.cache
def _standards() -> tuple[ir.Spec, ...]:
    return build_specs(Settings(SCHEMAS, ROOT / "generated", ("1.6", "2.0.1")))


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "acme"
    shutil.copytree(ACME, folder)
    return folder


def _build(folder: Path) -> str:
    with pytest.raises(GeneratorError) as caught:
        build_extensions([load_extension(folder)], _standards())
    text = str(caught.value)
    assert "\n" not in text
    return text


ROWS = [
    ("<generic>,Foo,,integer,,,no,,x", "an extension cannot add generic variables"),
    ("AcmeCoolingCtrlr,Enabled,,boolean,,,no,,x", "Enabled is a generic variable of OCPP 2.0.1"),
    ("OCPPCommCtrlr,HeartbeatInterval,,integer,,,no,,x", "is a standard variable of OCPP 2.0.1"),
    ("AcmeFan,Speed,,integer,,,no,,x", "'AcmeFan' is not a standard component of OCPP 2.0.1"),
    ("AcmeCoolingCtrlr,Speed,,float,,,no,,x", "data_type 'float' is not one of"),
]


@pytest.mark.parametrize(("row", "message"), ROWS, ids=[m for _, m in ROWS])
def test_a_bad_vendor_row_names_the_file_and_line(tmp_path: Path, row: str, message: str) -> None:
    folder = _copy(tmp_path)
    variables = folder / "device-model" / "components-variables.csv"
    variables.write_text(variables.read_text() + row + "\n")
    text = _build(folder) if "float" not in message else _load(folder)
    assert text.startswith(f"{variables}:7: ") and message in text, text


def _load(folder: Path) -> str:
    with pytest.raises(GeneratorError) as caught:
        load_extension(folder)
    return str(caught.value)


def test_bad_catalogue_tables_are_named_in_the_manifest(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    manifest = folder / "ocppgen-extension.toml"
    original = manifest.read_text()
    for replacement, expected in (
        ('"../outside.csv"', "'../outside.csv' is outside the extension folder"),
        ('"device-model/none.csv"', "'device-model/none.csv' does not exist"),
    ):
        manifest.write_text(
            original.replace('"device-model/components-variables.csv"', replacement)
        )
        assert _load(folder) == f"{manifest}#/device_model/variables: {expected}"
    manifest.write_text(
        original.replace("[device_model]\n", "[device_model]\nversions = ['1.6']\n")
    )
    assert _load(folder) == (
        f"{manifest}#/device_model/versions/0: OCPP 1.6 has no device model (its keys go in "
        "[configuration])"
    )
    manifest.write_text(original.replace('versions = ["1.6", "2.0.1"]', 'versions = ["2.0.1"]'))
    assert _load(folder) == (
        f"{manifest}#/configuration: configuration keys are OCPP 1.6: add 1.6 to versions"
    )
    components = folder / "device-model" / "components.csv"
    manifest.write_text(original)
    components.write_text(components.read_text() + "EVSE,physical_or_logical,yes,0\n")
    assert _build(folder) == f"{components}:3: EVSE is a standard component of OCPP 2.0.1"
    keys = folder / "device-model" / "configuration-keys.csv"
    components.write_text(components.read_text().replace("EVSE,physical_or_logical,yes,0\n", ""))
    keys.write_text(keys.read_text() + "heartbeatinterval,Acme,optional,RW,integer,,,x\n")
    assert _build(folder) == f"{keys}:6: heartbeatinterval is a standard configuration key"


def test_the_csv_files_are_inputs_of_the_extension() -> None:
    names = {path.relative_to(ACME).as_posix() for path in manifest_files(ACME)}
    assert {
        "device-model/components-variables.csv",
        "device-model/components.csv",
        "device-model/configuration-keys.csv",
    } <= names


def test_a_vendor_catalogue_needs_the_standard_one_to_extend() -> None:
    v16_spec, v201_spec = _standards()
    bare = (replace(v16_spec, configuration=None), replace(v201_spec, device_model=None))
    extension = load_extension(ACME)
    with pytest.raises(GeneratorError) as caught:
        build_extensions([extension], (v16_spec, bare[1]))
    assert str(caught.value) == (
        f"{ACME / 'device-model' / 'components-variables.csv'}: OCPP 2.0.1 has no device model "
        "to extend (its schema folder has no catalogue files)"
    )
    with pytest.raises(GeneratorError) as caught:
        build_extensions([extension], (bare[0], v201_spec))
    assert str(caught.value) == (
        f"{ACME / 'device-model' / 'configuration-keys.csv'}: OCPP 1.6 has no configuration keys "
        "to extend (its schema folder has no catalogue files)"
    )
