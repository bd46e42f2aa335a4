"""Vendor extensions: the worked example generated, linted, tested and dispatched end to end."""

from __future__ import annotations

import asyncio
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from support import ROOT, SCHEMAS
from test_cli import run

ACME = ROOT / "examples" / "extensions" / "acme"
BIN = Path(sys.executable).parent


STYLES = ("dataclasses", "pydantic", "msgspec")


@pytest.fixture(scope="module", params=STYLES)
def style(request: pytest.FixtureRequest) -> str:
    """Each flavour of the bindings: the extension is generated in the same flavour."""
    return str(request.param)


@pytest.fixture(scope="module")
def acme_out(tmp_path_factory: pytest.TempPathFactory, style: str) -> Path:
    """The bindings (1.6, 2.0.1) and the acme extension, generated once per flavour into a
    scratch folder."""
    out = tmp_path_factory.mktemp(f"acme-{style}")
    result = run("generate", *_acme_options(out, style), "--extension", str(ACME), cwd=out)
    assert result.returncode == 0, result.stderr
    return out


def _acme_options(out: Path, style: str) -> list[str]:
    schemas = ["--schemas", str(SCHEMAS), "--out", str(out), "--style", style]
    return [*schemas, "--version", "1.6", "--version", "2.0.1"]


@pytest.fixture(scope="module")
def acme(acme_out: Path) -> Iterator[ModuleType]:
    """``acme_ocpp.v201`` imported from the scratch output (with its own ``ocpp_bindings``)."""
    saved = {k: v for k, v in sys.modules.items() if k.split(".")[0] == "ocpp_bindings"}
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, str(acme_out))
    try:
        yield importlib.import_module("acme_ocpp.v201")
    finally:
        sys.path.remove(str(acme_out))
        for name in [k for k in sys.modules if k.split(".")[0] in ("ocpp_bindings", "acme_ocpp")]:
            del sys.modules[name]
        sys.modules.update(saved)


@pytest.mark.xdist_group("acme")
def test_extension_package_is_ruff_and_mypy_clean_and_its_tests_pass(acme_out: Path) -> None:
    packages = ["acme_ocpp", "acme_ocpp_tests"]
    ruff = subprocess.run(
        [BIN / "ruff", "check", "--config", str(ROOT / "pyproject.toml"), *packages],
        cwd=acme_out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    mypy = subprocess.run(
        [BIN / "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null", *packages],
        cwd=acme_out,
        capture_output=True,
        text=True,
        check=False,
        env={"MYPYPATH": "."},
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "acme_ocpp_tests"],
        cwd=acme_out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert " passed" in tests.stdout and "skipped" not in tests.stdout


@pytest.mark.xdist_group("acme")
def test_check_passes_then_sees_an_edited_extension_schema(
    acme_out: Path, style: str, tmp_path: Path
) -> None:
    args = _acme_options(acme_out, style)
    assert run("check", *args, "--extension", str(ACME), cwd=acme_out).returncode == 0
    manifest = json.loads((acme_out / "ocpp_bindings" / "manifest.json").read_text())
    assert "extensions/acme_ocpp/ocppgen-extension.toml" in manifest["inputs"]
    assert "acme_ocpp/v201/registry.py" in manifest["outputs"]
    edited = tmp_path / "acme"
    subprocess.run(["cp", "-r", str(ACME), str(edited)], check=True)
    schema = edited / "schemas" / "SetDisplayBrightnessRequest.json"
    schema.write_text(schema.read_text().replace('"maximum": 100', '"maximum": 90'))
    stale = run("check", *args, "--extension", str(edited), cwd=acme_out)
    assert stale.returncode == 1 and "acme_ocpp/" in stale.stderr, stale.stderr
    without = run("check", *args, cwd=acme_out)
    assert without.returncode == 1 and "extra" in without.stderr, without.stderr


class Station:
    """The charging station side: Acme's DataTransfer messages and self test."""

    def __init__(self, acme: ModuleType) -> None:
        self.acme = acme

    async def on_acme_self_test(self, request: Any) -> Any:
        return self.acme.AcmeSelfTestResponse(passed=request.depth.value == "Quick")


class Csms:
    def __init__(self, acme: ModuleType) -> None:
        self.acme = acme
        self.brightness: list[int] = []
        self.since: list[Any] = []

    async def on_diagnostics_snapshot(self, request: Any, charging_station_id: str) -> Any:
        from datetime import datetime, timezone

        self.since.append(request.since)
        module = self.acme.AcmeModuleType(module_id=charging_station_id, healthy=True)
        return self.acme.DiagnosticsSnapshotResponse(
            taken_at=datetime(2026, 1, 2, tzinfo=timezone.utc), modules=[module]
        )

    def on_set_display_brightness(self, request: Any, charging_station_id: str) -> None:
        self.brightness.append(request.percent)

    async def on_acme_self_test(self, request: Any, charging_station_id: str) -> Any:
        return self.acme.AcmeSelfTestResponse(passed=request.depth.value == "Full")


@pytest.mark.xdist_group("acme")
def test_dispatchers_exchange_vendor_messages_and_custom_actions(acme: ModuleType) -> None:
    from ocpp_bindings.v201 import DataTransferRequest, DataTransferResponse
    from ocpp_bindings.v201.dispatch import Dispatcher, Role

    async def scenario() -> None:
        csms_handler = Csms(acme)
        to_station: list[str] = []
        to_csms: list[str] = []

        async def send_to_station(frame: str) -> None:
            to_station.append(frame)

        async def send_to_csms(frame: str) -> None:
            to_csms.append(frame)

        csms = Dispatcher(Role.CSMS, [csms_handler], transport=send_to_station, extensions=[acme])
        station = Dispatcher(
            Role.ChargingStation, [Station(acme)], transport=send_to_csms, extensions=[acme]
        )

        async def pump() -> None:
            while to_station or to_csms:
                if to_csms:
                    reply = await csms.handle_frame(to_csms.pop(0), charging_station_id="CS-1")
                    if reply:
                        to_station.append(reply)
                if to_station:
                    reply = await station.handle_frame(to_station.pop(0))
                    if reply:
                        to_csms.append(reply)

        snapshot = acme.registry.DIAGNOSTICS_SNAPSHOT
        request = snapshot.pack(acme.DiagnosticsSnapshotRequest(scope=acme.AcmeScopeEnumType.All))
        call = asyncio.ensure_future(station.call(request, timeout=5))
        await asyncio.sleep(0)
        await pump()
        answer = await call
        assert isinstance(answer, DataTransferResponse) and answer.status.value == "Accepted"
        typed = snapshot.unpack_response(answer)
        assert typed.modules[0].module_id == "CS-1"

        brightness = acme.registry.SET_DISPLAY_BRIGHTNESS
        call = asyncio.ensure_future(
            station.call(brightness.pack(acme.SetDisplayBrightnessRequest(percent=40)))
        )
        await asyncio.sleep(0)
        await pump()
        assert (await call).status.value == "Accepted" and csms_handler.brightness == [40]

        self_test = asyncio.ensure_future(
            csms.call(
                acme.AcmeSelfTestRequest(depth=acme.AcmeSelfTestDepthEnumType.Quick), timeout=5
            )
        )
        await asyncio.sleep(0)
        await pump()
        assert (await self_test).passed is True
        backend_test = asyncio.ensure_future(
            station.call(
                acme.AcmeSelfTestRequest(depth=acme.AcmeSelfTestDepthEnumType.Full), timeout=5
            )
        )
        await asyncio.sleep(0)
        await pump()
        assert (await backend_test).passed is True

        for vendor, message, status in (
            ("com.acme", "NoSuchMessage", "UnknownMessageId"),
            ("org.other", "Hello", "UnknownVendorId"),
        ):
            unknown = DataTransferRequest(vendor_id=vendor, message_id=message)
            call = asyncio.ensure_future(station.call(unknown, timeout=5))
            await asyncio.sleep(0)
            await pump()
            assert (await call).status.value == status

    asyncio.run(scenario())


@pytest.mark.xdist_group("acme")
def test_unknown_data_transfer_reaches_on_data_transfer_and_bad_data_is_a_call_error(
    acme: ModuleType,
) -> None:
    from ocpp_bindings.v201 import DataTransferResponse, DataTransferStatusEnumType
    from ocpp_bindings.v201.dispatch import Dispatcher, Role

    class Fallback:
        async def on_data_transfer(self, request: Any, charging_station_id: str) -> Any:
            return DataTransferResponse(status=DataTransferStatusEnumType.Rejected)

    csms = Dispatcher(Role.CSMS, [Fallback(), Csms(acme)], extensions=[acme])

    async def answer(payload: dict[str, Any]) -> Any:
        frame = json.dumps([2, "1", "DataTransfer", payload])
        return json.loads(await csms.handle_frame(frame, charging_station_id="CS-1") or "null")

    other = asyncio.run(answer({"vendorId": "org.other", "messageId": "x"}))
    assert other == [3, "1", {"status": "Rejected"}]
    bad = asyncio.run(
        answer(
            {"vendorId": "com.acme", "messageId": "SetDisplayBrightness", "data": {"percent": 101}}
        )
    )
    assert bad[:3] == [4, "1", "PropertyConstraintViolation"] and "data.percent" in bad[3]
    no_data = asyncio.run(answer({"vendorId": "com.acme", "messageId": "SetDisplayBrightness"}))
    assert no_data == [
        4,
        "1",
        "OccurrenceConstraintViolation",
        "data: required property is missing",
        {},
    ]
    with pytest.raises(ValueError, match=r"not 1\.6"):
        from ocpp_bindings.v16.dispatch import Dispatcher as Dispatcher16
        from ocpp_bindings.v16.dispatch import Role as Role16

        Dispatcher16(Role16.CentralSystem, [], extensions=[acme])


@pytest.mark.xdist_group("acme")
def test_a_handlers_own_vendor_data_error_is_an_internal_error(acme: ModuleType) -> None:
    """Only the received DataTransfer's data blames the caller; a vendor-data error inside a
    handler (here: reading customData the handler does not like) is the handler's failure."""
    from ocpp_bindings.v201.dispatch import Dispatcher, Role

    class Meters:
        def on_meter_values(self, request: Any, charging_station_id: str) -> Any:
            from ocpp_bindings.v201 import MeterValuesResponse

            acme.custom_data.read_meter_value_custom_data(request.meter_value[0])  # raises
            return MeterValuesResponse()

    csms = Dispatcher(Role.CSMS, [Meters()], extensions=[acme])
    meter_value = {
        "timestamp": "2026-01-02T03:04:05Z",
        "sampledValue": [{"value": 1}],
        "customData": {"vendorId": "com.acme", "acmeCoolingMode": "Boiling"},
    }
    frame = json.dumps([2, "m-1", "MeterValues", {"evseId": 1, "meterValue": [meter_value]}])
    reply = json.loads(asyncio.run(csms.handle_frame(frame, "CS-1")) or "null")
    assert reply[:3] == [4, "m-1", "InternalError"]


@pytest.mark.xdist_group("acme")
def test_a_slow_typed_handler_is_cancelled_by_the_handler_timeout(acme: ModuleType) -> None:
    from ocpp_bindings.v201.dispatch import Dispatcher, Role

    finished: list[int] = []

    class Slow:
        async def on_set_display_brightness(self, request: Any, charging_station_id: str) -> None:
            await asyncio.sleep(5)
            finished.append(request.percent)

    csms = Dispatcher(Role.CSMS, [Slow()], extensions=[acme], handler_timeout=0.05)
    brightness = acme.registry.SET_DISPLAY_BRIGHTNESS.pack(
        acme.SetDisplayBrightnessRequest(percent=40)
    )
    frame = json.dumps([2, "s-1", "DataTransfer", brightness.to_dict()])
    reply = json.loads(asyncio.run(csms.handle_frame(frame, "CS-1")) or "null")
    assert reply[:3] == [4, "s-1", "InternalError"] and finished == []


@pytest.mark.xdist_group("acme")
def test_vendor_data_is_parsed_with_the_dispatchers_tolerances(acme: ModuleType) -> None:
    from datetime import datetime, timezone

    from ocpp_bindings import Tolerance
    from ocpp_bindings.v201.dispatch import Dispatcher, Role

    data = {"scope": "All", "since": "2026-01-02T03:04:05"}
    frame = json.dumps(
        [
            2,
            "1",
            "DataTransfer",
            {"vendorId": "com.acme", "messageId": "DiagnosticsSnapshot", "data": data},
        ]
    )
    strict_handler, tolerant_handler = Csms(acme), Csms(acme)
    strict = Dispatcher(Role.CSMS, [strict_handler], extensions=[acme])
    tolerant = Dispatcher(
        Role.CSMS,
        [tolerant_handler],
        extensions=[acme],
        tolerate=[Tolerance.DATE_TIME_WITHOUT_OFFSET],
    )
    refused = json.loads(asyncio.run(strict.handle_frame(frame, "CS-1")) or "null")
    assert refused[:3] == [4, "1", "TypeConstraintViolation"] and "data.since" in refused[3]
    assert strict_handler.since == []
    answered = json.loads(asyncio.run(tolerant.handle_frame(frame, "CS-1")) or "null")
    assert answered[0] == 3 and answered[2]["status"] == "Accepted", answered
    assert tolerant_handler.since == [datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)]


@pytest.mark.xdist_group("acme")
def test_custom_data_survives_json_with_a_second_vendors_properties(acme: ModuleType) -> None:
    from ocpp_bindings._flavour import extra_of
    from ocpp_bindings.v201 import CustomDataType, MeterValueType

    meter_value = MeterValueType.from_dict(
        {
            "timestamp": "2026-01-02T03:04:05Z",
            "sampledValue": [{"value": 12.5}],
            "customData": {"vendorId": "com.acme", "org.other.flag": True, "org.other.n": [1]},
        }
    )
    fields = acme.MeterValueCustomData(
        acme_cable_temperature=41.5, acme_cooling_mode=acme.AcmeCoolingModeEnumType.Fan
    )
    acme.write_meter_value_custom_data(meter_value, fields)
    again = MeterValueType.from_json(meter_value.to_json())
    assert acme.read_meter_value_custom_data(again) == fields
    assert extra_of(again.custom_data)["org.other.flag"] is True
    assert extra_of(again.custom_data)["org.other.n"] == [1]
    assert json.loads(again.to_json())["customData"]["acmeCableTemperature"] == 41.5
    foreign = MeterValueType.from_dict(
        {
            "timestamp": "2026-01-02T03:04:05Z",
            "sampledValue": [{"value": 1}],
            "customData": {"vendorId": "org.other", "acmeCableTemperature": 1},
        }
    )
    assert acme.read_meter_value_custom_data(foreign) is None
    with pytest.raises(ValueError, match=r"org\.other"):
        acme.write_meter_value_custom_data(foreign, fields)
    assert isinstance(foreign.custom_data, CustomDataType)


# -- init, diff, and bad input ------------------------------------------------------------------


def test_init_then_generate_gives_an_importable_package_keyed_by_vendor_and_message(
    tmp_path: Path,
) -> None:
    made = run("extension", "init", "zap", "--dir", "zap", "--version", "2.0.1", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    starter_readme = (tmp_path / "zap" / "README.md").read_text()
    assert "ocppgen generate --extension zap\n" in starter_readme
    assert "`zap_ocpp.v201`" in starter_readme
    again = run("extension", "init", "zap", "--dir", "zap", cwd=tmp_path)
    assert again.returncode == 1 and "exists" in again.stderr
    assert run("extension", "init", "zap", "--dir", "zap", "--force", cwd=tmp_path).returncode == 0
    result = run(
        "generate",
        "--schemas",
        str(SCHEMAS),
        "--version",
        "2.0.1",
        "--extension",
        "zap",
        "--out",
        "out",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    code = (
        "import zap_ocpp.v201 as z\n"
        "print(sorted(z.DATA_TRANSFER), sorted(z.FEATURES), sorted(z.CUSTOM_DATA))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        check=False,
    )
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.ocppgen]\nschemas = "{SCHEMAS}"\nextensions = ["zap"]\nout = "out"\n'
    )
    assert run("check", "--version", "2.0.1", cwd=tmp_path).returncode == 0
    assert run("check", "--version", "2.0.1", "--extension", "zap", cwd=tmp_path).returncode == 0
    assert shown.stdout.strip() == (
        "[('com.zap', 'GetStatus')] ['ZapSelfTest'] ['MeterValueType']"
    ), shown.stderr


def test_diff_compares_two_versions_of_an_extension(tmp_path: Path) -> None:
    new = tmp_path / "acme"
    subprocess.run(["cp", "-r", str(ACME), str(new)], check=True)
    schema = new / "schemas" / "SetDisplayBrightnessRequest.json"
    schema.write_text(schema.read_text().replace('"maximum": 100', '"maximum": 90'))
    result = run("diff", str(ACME), str(new), "--fail-on", "breaking", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "SetDisplayBrightnessRequest" in result.stdout
    assert "percent constraint changed: maximum: 100 -> 90 (breaking)" in result.stdout


SMALL = ["HeartbeatRequest", "HeartbeatResponse", "DataTransferRequest", "DataTransferResponse"]
DT_SCHEMA = {
    "$schema": "http://json-schema.org/draft-06/schema#",
    "type": "object",
    "additionalProperties": False,
    "properties": {"level": {"type": "integer"}},
}
GOOD_MANIFEST = """package = "zap_ocpp"
vendor_id = "com.zap"
versions = ["2.0.1"]

[[data_transfer]]
message_id = "Ping"
request = "ping.json"
"""


def _extension(folder: Path, manifest: str = GOOD_MANIFEST, schema: object = DT_SCHEMA) -> Path:
    folder.mkdir(parents=True)
    (folder / "ocppgen-extension.toml").write_text(manifest)
    (folder / "ping.json").write_text(json.dumps(schema))
    return folder


def _small_schemas(root: Path) -> Path:
    from test_cli import SMALL_METADATA

    (root / "2.0.1").mkdir(parents=True)
    for name in SMALL:
        (root / "2.0.1" / f"{name}.json").write_bytes(
            (SCHEMAS / "2.0.1" / f"{name}.json").read_bytes()
        )
    (root / "2.0.1" / "ocppgen.toml").write_text(SMALL_METADATA)
    return root


CUSTOM_DATA = """
[[custom_data]]
target = "DataTransferRequest"
name = "{name}"
schema = "ping.json"
"""
BAD = {
    "missing manifest": ("", None, "ocppgen-extension.toml: no ocppgen-extension.toml"),
    "malformed manifest": ("package = [", None, "ocppgen-extension.toml: malformed manifest"),
    "unknown version": (
        GOOD_MANIFEST.replace('["2.0.1"]', '["2.0.1", "3.0"]'),
        None,
        "ocppgen-extension.toml#/versions/1: unknown OCPP version '3.0'",
    ),
    "schema fails its meta-schema": (
        GOOD_MANIFEST,
        {**DT_SCHEMA, "properties": {"level": {"type": "integer", "minimum": "0"}}},
        "ping.json#/properties/level/minimum: invalid schema",
    ),
    "duplicate vendorId and messageId": (
        GOOD_MANIFEST
        + '\n[[data_transfer]]\nmessage_id = "Ping"\nname = "Pong"\nrequest = "ping.json"\n',
        None,
        "ocppgen-extension.toml#/data_transfer/1: duplicate DataTransfer",
    ),
    "custom action colliding with a standard one": (
        GOOD_MANIFEST
        + '\n[[action]]\nname = "Heartbeat"\ninitiator = "CSMS"\n'
        + 'request = "ping.json"\nresponse = "ping.json"\n',
        None,
        "ocppgen-extension.toml#/action/0/name: custom action Heartbeat collides",
    ),
    "class name colliding with a standard one": (
        GOOD_MANIFEST.replace('message_id = "Ping"', 'message_id = "Ping"\nname = "Heartbeat"'),
        None,
        "ping.json#: class name 'HeartbeatRequest' collides with the OCPP 2.0.1 class",
    ),
    "schema outside the extension folder": (
        GOOD_MANIFEST.replace('request = "ping.json"', 'request = "../ping.json"'),
        None,
        "#/data_transfer/0/request: schema '../ping.json' is outside the extension folder",
    ),
    "versions not strings": (
        GOOD_MANIFEST.replace('["2.0.1"]', '[["2.0.1"]]'),
        None,
        "#/versions/0: unknown OCPP version ['2.0.1']",
    ),
    "one class name for two payloads": (
        GOOD_MANIFEST + CUSTOM_DATA.format(name="PingRequest"),
        None,
        "ping.json#: class name 'PingRequest' is given to two payloads",
    ),
    "two customData extensions of one type": (
        GOOD_MANIFEST + CUSTOM_DATA.format(name="A") + CUSTOM_DATA.format(name="B"),
        None,
        "#/custom_data/1: a second customData extension of DataTransferRequest for OCPP 2.0.1",
    ),
    "package name not an identifier": (
        GOOD_MANIFEST.replace("zap_ocpp", "zap-ocpp"),
        None,
        "ocppgen-extension.toml#/package: package name 'zap-ocpp'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_extension_input_is_one_line_exit_2_nothing_written(case: str, tmp_path: Path) -> None:
    expect_refused(tmp_path, *BAD[case])


def expect_refused(tmp_path: Path, manifest: str, schema: object, expected: str) -> None:
    """Generating an extension with this manifest ("": none) and ``ping.json`` (None: the
    default schema) fails in one line holding ``expected``, exit 2, nothing written."""
    folder = _extension(tmp_path / "ext", manifest, schema or DT_SCHEMA)
    if not manifest:
        (folder / "ocppgen-extension.toml").unlink()
    _expect_failure(tmp_path, [folder], expected)


def test_extensions_colliding_with_each_other_are_refused(tmp_path: Path) -> None:
    first = _extension(tmp_path / "one")
    second = _extension(tmp_path / "two", GOOD_MANIFEST.replace("zap_ocpp", "zip_ocpp"))
    _expect_failure(tmp_path, [first, second], "is also generated by the extension zap_ocpp")


def test_an_extension_is_generated_for_the_versions_generated(tmp_path: Path) -> None:
    schemas = _small_schemas(tmp_path / "schemas")
    both = GOOD_MANIFEST.replace('["2.0.1"]', '["1.6", "2.0.1"]')
    folder = _extension(tmp_path / "ext", both)
    out = tmp_path / "out"
    args = ("--schemas", str(schemas), "--out", str(out), "--extension", str(folder))
    result = run("generate", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (out / "zap_ocpp").iterdir() if p.is_dir()) == ["v201"]
    only_16 = _extension(tmp_path / "ext16", GOOD_MANIFEST.replace('["2.0.1"]', '["1.6"]'))
    expected = "#/versions: none of the extension's versions (1.6) is among the versions generated"
    _expect_failure(tmp_path / "16", [only_16], expected)


def test_tool_caches_are_not_drift_and_a_dropped_extension_leaves_no_folder(
    tmp_path: Path,
) -> None:
    schemas = _small_schemas(tmp_path / "schemas")
    folder = _extension(tmp_path / "ext")
    out = tmp_path / "out"
    plain = ("--schemas", str(schemas), "--out", str(out))
    assert run("generate", *plain, "--extension", str(folder), cwd=tmp_path).returncode == 0
    cache = out / "zap_ocpp_tests" / ".pytest_cache" / "v" / "cache"
    cache.mkdir(parents=True)
    (cache / "nodeids").write_text("[]")
    checked = run("check", *plain, "--extension", str(folder), cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert run("generate", *plain, cwd=tmp_path).returncode == 0
    assert not (out / "zap_ocpp").exists()
    assert sorted(p.name for p in (out / "zap_ocpp_tests").rglob("*") if p.is_file()) == ["nodeids"]


def test_an_extension_package_inside_the_bindings_package_is_refused(tmp_path: Path) -> None:
    folder = _extension(tmp_path / "ext")
    expected = "#/package: the extension package folder zap_ocpp overlaps zap_ocpp/bindings"
    _expect_failure(tmp_path, [folder], expected, "--package", "zap_ocpp.bindings")


def test_generate_never_takes_over_a_folder_it_did_not_write(tmp_path: Path) -> None:
    schemas = _small_schemas(tmp_path / "schemas")
    folder = _extension(tmp_path / "ext")
    out = tmp_path / "out"
    mine = out / "zap_ocpp" / "app.py"
    mine.parent.mkdir(parents=True)
    mine.write_text("# the user's own code\n")
    plain = ("--schemas", str(schemas), "--out", str(out))
    result = run("generate", *plain, "--extension", str(folder), cwd=tmp_path)
    assert result.returncode == 2 and "was not written by ocppgen" in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "zap_ocpp/app.py"
    ]
    mine.unlink()
    assert run("generate", *plain, "--extension", str(folder), cwd=tmp_path).returncode == 0
    manifest_path = out / "ocpp_bindings" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["options"]["extensions"] = "zap_ocpp ..elsewhere"
    manifest_path.write_text(json.dumps(manifest))
    tampered = run("generate", *plain, cwd=tmp_path)
    assert tampered.returncode == 2 and "'..elsewhere'" in tampered.stderr, tampered.stderr
    assert (out / "zap_ocpp" / "v201" / "registry.py").is_file()


def _expect_failure(tmp_path: Path, folders: list[Path], expected: str, *more: str) -> None:
    from test_cli import _snapshot

    schemas = _small_schemas(tmp_path / "schemas")
    out = tmp_path / "out"
    (out / "ocpp_bindings").mkdir(parents=True)
    (out / "ocpp_bindings" / "keep.py").write_text("previous generation\n")
    before = _snapshot(out)
    args = [arg for folder in folders for arg in ("--extension", str(folder))]
    result = run(
        "generate", "--schemas", str(schemas), "--out", str(out), *args, *more, cwd=tmp_path
    )
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ocppgen: error: "), result.stderr
    assert expected in lines[0], lines[0]
    assert _snapshot(out) == before


# -- property-based agreement with jsonschema for the vendor payload classes ---------------------

VENDOR_PAYLOADS = {
    "DiagnosticsSnapshotRequest": "DiagnosticsSnapshotRequest.json",
    "DiagnosticsSnapshotResponse": "DiagnosticsSnapshotResponse.json",
    "SetDisplayBrightnessRequest": "SetDisplayBrightnessRequest.json",
    "MeterValueCustomData": "MeterValueCustomData.json",
    "AcmeSelfTestRequest": "AcmeSelfTestRequest.json",
    "AcmeSelfTestResponse": "AcmeSelfTestResponse.json",
}


@pytest.mark.xdist_group("acme")
@pytest.mark.parametrize("name", sorted(VENDOR_PAYLOADS))
def test_vendor_payloads_agree_with_jsonschema(acme: ModuleType, name: str) -> None:
    from hypothesis import given
    from hypothesis import strategies as st
    from hypothesis_jsonschema import from_schema
    from ocpp_bindings import ValidationError
    from support import assert_reported_place, is_valid, load_schema, same_json
    from test_properties import (
        PROPERTY_SETTINGS,
        _get,
        _inlined,
        _locations,
        _mutated_value,
        _replace,
    )

    cls = getattr(acme, name)
    path = ACME / "schemas" / VENDOR_PAYLOADS[name]

    def accepts(payload: Any) -> bool:
        try:
            cls.from_dict(payload)
        except ValidationError as error:
            if not is_valid(path, payload):
                assert_reported_place(path, payload, error.path)
            return False
        return True

    @PROPERTY_SETTINGS
    @given(from_schema(_inlined(load_schema(path))), st.data())
    def check(payload: Any, data: st.DataObject) -> None:
        expected = is_valid(path, payload)
        assert accepts(payload) == expected, payload
        if expected:
            same_json(cls.from_dict(payload).to_dict(), payload)
        where = data.draw(st.sampled_from(_locations(payload)), label="path")
        mutated = _replace(payload, where, data.draw(_mutated_value(_get(payload, where))))
        assert accepts(mutated) == is_valid(path, mutated), f"disagree on {mutated!r}"

    check()
