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


@pytest.fixture(scope="module")
def acme_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bindings (1.6, 2.0.1) and the acme extension, generated once into a scratch folder."""
    out = tmp_path_factory.mktemp("acme")
    result = run(
        "generate",
        "--schemas",
        str(SCHEMAS),
        "--out",
        str(out),
        "--extension",
        str(ACME),
        "--version",
        "1.6",
        "--version",
        "2.0.1",
        cwd=out,
    )
    assert result.returncode == 0, result.stderr
    return out


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
def test_check_passes_then_sees_an_edited_extension_schema(acme_out: Path, tmp_path: Path) -> None:
    args = [
        "--schemas",
        str(SCHEMAS),
        "--out",
        str(acme_out),
        "--version",
        "1.6",
        "--version",
        "2.0.1",
    ]
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

    async def on_diagnostics_snapshot(self, request: Any) -> Any:
        raise AssertionError("the CSMS asks, it does not answer")

    async def on_acme_self_test(self, request: Any) -> Any:
        return self.acme.AcmeSelfTestResponse(passed=request.depth.value == "Quick")


class Csms:
    def __init__(self, acme: ModuleType) -> None:
        self.acme = acme
        self.brightness: list[int] = []

    async def on_diagnostics_snapshot(self, request: Any, charging_station_id: str) -> Any:
        from datetime import datetime, timezone

        module = self.acme.AcmeModuleType(module_id=charging_station_id, healthy=True)
        return self.acme.DiagnosticsSnapshotResponse(
            taken_at=datetime(2026, 1, 2, tzinfo=timezone.utc), modules=[module]
        )

    def on_set_display_brightness(self, request: Any, charging_station_id: str) -> None:
        self.brightness.append(request.percent)


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
        request = snapshot.pack(acme.DiagnosticsSnapshotRequest(acme.AcmeScopeEnumType.All))
        call = asyncio.ensure_future(station.call(request, timeout=5))
        await asyncio.sleep(0)
        await pump()
        answer = await call
        assert isinstance(answer, DataTransferResponse) and answer.status.value == "Accepted"
        typed = snapshot.unpack_response(answer)
        assert typed.modules[0].module_id == "CS-1"

        brightness = acme.registry.SET_DISPLAY_BRIGHTNESS
        call = asyncio.ensure_future(
            station.call(brightness.pack(acme.SetDisplayBrightnessRequest(40)))
        )
        await asyncio.sleep(0)
        await pump()
        assert (await call).status.value == "Accepted" and csms_handler.brightness == [40]

        self_test = asyncio.ensure_future(
            csms.call(acme.AcmeSelfTestRequest(acme.AcmeSelfTestDepthEnumType.Quick), timeout=5)
        )
        await asyncio.sleep(0)
        await pump()
        assert (await self_test).passed is True

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
            return DataTransferResponse(DataTransferStatusEnumType.Rejected)

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
    with pytest.raises(ValueError, match=r"not 1\.6"):
        from ocpp_bindings.v16.dispatch import Dispatcher as Dispatcher16
        from ocpp_bindings.v16.dispatch import Role as Role16

        Dispatcher16(Role16.CentralSystem, [], extensions=[acme])


@pytest.mark.xdist_group("acme")
def test_custom_data_survives_json_with_a_second_vendors_properties(acme: ModuleType) -> None:
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
    assert again.custom_data.extra["org.other.flag"] is True
    assert again.custom_data.extra["org.other.n"] == [1]
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
