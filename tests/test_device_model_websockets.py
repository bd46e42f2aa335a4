"""The example CSMS and simulator exchange typed device-model requests over real WebSockets:
GetVariables / SetVariables / GetBaseReport with its NotifyReport parts (2.0.1, 2.1) and
GetConfiguration / ChangeConfiguration (1.6), built with the typed helpers on the CSMS side and
answered by the simulator's stores. A server on 127.0.0.1 and a free port, every exchange
bounded in time."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from typing import Any

import pytest
import websockets
from charging_station import DEVICE_MODELS, Station
from csms import Csms, Csms2, Session
from ocpp_bindings import v16, v21, v201
from ocpp_bindings.v16 import configuration

LIMIT = 20.0
"""Seconds a scenario may take."""
VERSIONS = {"2.0.1": v201, "2.1": v21}


class RecordingCsms(Csms):
    """The example CSMS, keeping the handler object of each session (for its reports)."""

    def __init__(self) -> None:
        super().__init__()
        self.handler_objects: dict[str, Any] = {}

    def handlers(self, session: Session) -> object:
        made = super().handlers(session)
        self.handler_objects[session.station] = made
        return made


@contextlib.asynccontextmanager
async def connected(version: str, station_id: str) -> AsyncIterator[tuple[RecordingCsms, Station]]:
    """The CSMS listening on a free loopback port and a booted simulator connected to it."""
    csms = RecordingCsms()
    server = await csms.serve("127.0.0.1", 0)
    port = next(iter(server.sockets)).getsockname()[1]
    station = Station(f"ws://127.0.0.1:{port}/{station_id}", version)
    running = asyncio.create_task(station.run(charge=False, stay=LIMIT))
    try:
        await _until(lambda: "StatusNotification" in station.sent)
        await _until(lambda: station.received)  # the CSMS's own question after the boot
        yield csms, station
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        server.close()
        await server.wait_closed()


async def _until(condition: Callable[[], object]) -> None:
    while not condition():
        await asyncio.sleep(0.01)


def _run(scenario: Callable[[], Awaitable[None]]) -> None:
    async def bounded() -> None:
        await asyncio.wait_for(scenario(), LIMIT)

    asyncio.run(bounded())


@pytest.mark.parametrize("version", list(VERSIONS))
def test_typed_get_set_variables_and_a_base_report(
    version: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="csms")
    v = VERSIONS[version]
    dm = DEVICE_MODELS[v]
    heartbeat = dm.OCPPCommCtrlr.HeartbeatInterval
    ping = dm.OCPPCommCtrlr.WebSocketPingInterval
    power = dm.EVSE(evse=1).Power
    connector = dm.Connector(evse=1, connector=1)

    async def scenario() -> None:
        async with connected(version, "CS-DM") as (csms, station):
            asked = [heartbeat, power, connector.AvailabilityState, dm.EVSE(evse=2).Power]
            answer = await csms.call("CS-DM", dm.get_variables_request(asked))
            assert isinstance(answer, v.GetVariablesResponse)
            results = dm.read_get_variables(answer, asked)
            assert results.value(heartbeat) == 300
            assert results.value(power) == Decimal(11000)
            assert results.value(connector.AvailabilityState) == "Available"
            assert results[dm.EVSE(evse=2).Power].status == "UnknownComponent"

            with pytest.raises(dm.NotWritable):  # refused before anything is sent
                dm.set_variables_request({dm.DeviceDataCtrlr.ItemsPerMessage["GetVariables"]: 1})
            written = await csms.call("CS-DM", dm.set_variables_request({heartbeat: 60, ping: 30}))
            statuses = dm.read_set_variables(written)
            assert (statuses[heartbeat].status, statuses[ping].status) == (
                "Accepted",
                "RebootRequired",
            )
            read_only = v.SetVariablesRequest.from_dict(  # what a careless CSMS might send
                {"setVariableData": [{"attributeValue": "1", **_names(power)}]}
            )
            refused = await csms.call("CS-DM", read_only)
            assert dm.read_set_variables(refused)[power].status == "Rejected"
            again = await csms.call("CS-DM", dm.get_variables_request([heartbeat, ping]))
            assert dm.read_get_variables(again).value(heartbeat) == 60
            assert dm.read_get_variables(again).value(ping) == 0  # until the station reboots

            started = await csms.call("CS-DM", dm.get_base_report_request(5, "FullInventory"))
            assert started.status.value == "Accepted"
            handler = csms.handler_objects["CS-DM"]
            assert isinstance(handler, Csms2)
            await _until(lambda: 5 in handler.reports)
            report = handler.reports[5]
            assert report.complete and report.seq_nos == (0, 1, 2)  # 7 variables, 3 a part
            assert report.value(heartbeat) == 60 and report.value(power) == Decimal(11000)
            assert report.value(connector.ConnectorType) == "cType2"
            assert report[power].characteristics.unit == "W"
            assert report[power].characteristics.max_limit == 22_000
            assert not report.unknown
            assert station.sent.count("NotifyReport") == 3
            assert station.received == [
                "GetVariables",
                "GetVariables",
                "SetVariables",
                "SetVariables",
                "GetVariables",
                "GetBaseReport",
            ]

    _run(scenario)
    assert any(
        "CS-DM answered GetVariablesRequest: OCPPCommCtrlr.HeartbeatInterval = 300 s"
        in record.getMessage()
        for record in caplog.records
    )
    assert any(
        "CS-DM report 5: 7 variables (0 the catalogue lacks)" in r.getMessage()
        for r in caplog.records
    )


def _names(variable: Any) -> dict[str, Any]:
    return {"component": variable.scope.reference(), "variable": variable.reference()}


def test_typed_get_and_change_configuration_in_1_6(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="csms")
    cf = configuration

    async def scenario() -> None:
        async with connected("1.6", "CP-16") as (csms, station):
            keys = [cf.HeartbeatInterval, cf.MeterValuesSampledData, cf.AuthorizationKey]
            answer = await csms.call("CP-16", cf.get_configuration_request(keys))
            assert isinstance(answer, v16.GetConfigurationResponse)
            results = cf.read_configuration(answer, keys)
            assert results.value(cf.HeartbeatInterval) == 300
            assert results.value(cf.MeterValuesSampledData) == (
                "Energy.Active.Import.Register",
                "Power.Active.Import",
            )
            assert results.unknown == ("AuthorizationKey",)  # this simulator has none
            with pytest.raises(cf.NotWritable):
                cf.change_configuration_request(cf.NumberOfConnectors, 2)

            async def change(request: Any) -> str:
                response = await csms.call("CP-16", request)
                return response.status.value  # type: ignore[no-any-return]

            assert await change(cf.change_configuration_request(cf.HeartbeatInterval, 60)) == (
                "Accepted"
            )
            too_many = ("SoC", "Voltage", "Current.Import", "Power.Offered", "Temperature")
            assert await change(
                cf.change_configuration_request(cf.MeterValuesSampledData, too_many)
            ) == (
                "Rejected"  # MeterValuesSampledDataMaxLength is 4
            )
            assert await change(cf.change_configuration_request(cf.WebSocketPingInterval, 30)) == (
                "RebootRequired"
            )
            assert await change(
                v16.ChangeConfigurationRequest(key="NumberOfConnectors", value="2")
            ) == ("Rejected")
            assert await change(v16.ChangeConfigurationRequest(key="AcmeFan", value="on")) == (
                "NotSupported"
            )
            everything = cf.read_configuration(
                await csms.call("CP-16", cf.get_configuration_request())
            )
            assert everything.value(cf.HeartbeatInterval) == 60
            assert everything.value(cf.WebSocketPingInterval) == 0
            assert everything[cf.NumberOfConnectors].readonly
            assert station.received.count("ChangeConfiguration") == 5

    _run(scenario)
    assert any(
        "CP-16 answered GetConfigurationRequest: HeartbeatInterval = 300 s" in r.getMessage()
        for r in caplog.records
    )


def test_a_value_of_the_wrong_type_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    """A station answering the CSMS's typed GetVariables with a value that is not an integer:
    the CSMS logs it as unreadable and keeps serving."""
    caplog.set_level(logging.INFO, logger="csms")
    boot = {"chargingStation": {"model": "M", "vendorName": "V"}, "reason": "PowerUp"}

    async def scenario() -> None:
        csms = Csms()
        server = await csms.serve("127.0.0.1", 0)
        port = next(iter(server.sockets)).getsockname()[1]
        try:
            url = f"ws://127.0.0.1:{port}/CS-ODD"
            async with websockets.connect(url, subprotocols=["ocpp2.0.1"]) as station:
                await station.send(json.dumps([2, "b", "BootNotification", boot]))
                assert json.loads(await station.recv())[:2] == [3, "b"]
                call = json.loads(await station.recv())
                assert call[2] == "GetVariables"
                result = {
                    "attributeStatus": "Accepted",
                    "attributeValue": "soon",
                    **call[3]["getVariableData"][0],
                }
                await station.send(json.dumps([3, call[1], {"getVariableResult": [result]}]))
                await _until(lambda: any("unreadably" in r.getMessage() for r in caplog.records))
                await station.send(json.dumps([2, "h", "Heartbeat", {}]))
                assert json.loads(await station.recv())[:2] == [3, "h"]  # still serving
        finally:
            server.close()
            await server.wait_closed()

    _run(scenario)
    (warning,) = [r.getMessage() for r in caplog.records if "unreadably" in r.getMessage()]
    assert warning == (
        "CS-ODD answered GetVariablesRequest unreadably: "
        "OCPPCommCtrlr.HeartbeatInterval: not an integer: 'soon'"
    )
