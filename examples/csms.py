"""A small CSMS (central system) speaking OCPP 1.6, 2.0.1 and 2.1 over WebSockets.

One ``Dispatcher`` per connection; the charging station's id is the last part of the URL path
(``ws://host:9000/CS-001``); the WebSocket subprotocol (``ocpp1.6``, ``ocpp2.0.1``,
``ocpp2.1``) picks the version's bindings, and a connection offering none of them is closed
with a reason. Optional HTTP Basic auth (OCPP security profile 1): user = station id,
passwords from a file of ``station:password`` lines (``--users``) or ``OCPP_USERS``
(``CS-001:secret,CS-002:other``). Every frame is logged. After a BootNotification the CSMS
asks the station for its configuration (1.6 GetConfiguration, 2.x GetVariables);
``Csms.call`` sends any other request to a connected station.

    python examples/csms.py --port 9000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import secrets
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

from ocpp_bindings import v16, v21, v201
from ocpp_bindings.v16 import dispatch as dispatch16
from ocpp_bindings.v21 import dispatch as dispatch21
from ocpp_bindings.v201 import dispatch as dispatch201
from websockets.asyncio.server import Server, ServerConnection, basic_auth, serve
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

DISPATCH: dict[ModuleType, ModuleType] = {v16: dispatch16, v201: dispatch201, v21: dispatch21}
"""Each version's ``dispatch`` module."""

log = logging.getLogger("csms")
SUBPROTOCOLS = {"ocpp2.1": v21, "ocpp2.0.1": v201, "ocpp1.6": v16}
"""Offered subprotocol -> the version's bindings, in order of preference."""
HEARTBEAT_INTERVAL = 300


def now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Session:
    """What the CSMS knows of one connected station."""

    station: str
    version: ModuleType
    dispatcher: Any
    transactions: dict[str, list[float]] = field(default_factory=dict)
    """Transaction id -> energy readings (Wh) received for it."""
    frames: int = 0


class Csms16:
    """The OCPP 1.6 central system's answers (``CoreCentralSystemHandler`` and more)."""

    def __init__(self, csms: Csms) -> None:
        self.csms = csms
        self.next_transaction = 1

    async def on_boot_notification(
        self, request: v16.BootNotificationRequest, charging_station_id: str
    ) -> v16.BootNotificationResponse:
        log.info(
            "%s booted: %s %s",
            charging_station_id,
            request.charge_point_vendor,
            request.charge_point_model,
        )
        self.csms.after_boot(
            charging_station_id, v16.GetConfigurationRequest(key=["HeartbeatInterval"])
        )
        return v16.BootNotificationResponse(
            current_time=now(),
            interval=HEARTBEAT_INTERVAL,
            status=v16.RegistrationStatus.Accepted,
        )

    def on_heartbeat(
        self, request: v16.HeartbeatRequest, charging_station_id: str
    ) -> v16.HeartbeatResponse:
        return v16.HeartbeatResponse(current_time=now())

    def on_status_notification(
        self, request: v16.StatusNotificationRequest, charging_station_id: str
    ) -> v16.StatusNotificationResponse:
        log.info(
            "%s connector %s is %s", charging_station_id, request.connector_id, request.status.value
        )
        return v16.StatusNotificationResponse()

    def on_authorize(
        self, request: v16.AuthorizeRequest, charging_station_id: str
    ) -> v16.AuthorizeResponse:
        return v16.AuthorizeResponse(id_tag_info=self._id_tag_info(request.id_tag))

    def on_start_transaction(
        self, request: v16.StartTransactionRequest, charging_station_id: str
    ) -> v16.StartTransactionResponse:
        transaction_id = self.next_transaction
        self.next_transaction += 1
        session = self.csms.sessions[charging_station_id]
        session.transactions[str(transaction_id)] = [float(request.meter_start)]
        return v16.StartTransactionResponse(
            id_tag_info=self._id_tag_info(request.id_tag), transaction_id=transaction_id
        )

    def on_meter_values(
        self, request: v16.MeterValuesRequest, charging_station_id: str
    ) -> v16.MeterValuesResponse:
        readings = self.csms.sessions[charging_station_id].transactions.setdefault(
            str(request.transaction_id), []
        )
        register = (None, v16.Measurand.Energy_Active_Import_Register)
        for meter_value in request.meter_value:
            for sampled in meter_value.sampled_value:
                if sampled.measurand in register and _is_number(sampled.value):
                    readings.append(float(sampled.value))  # 1.6 sends values as text
        return v16.MeterValuesResponse()

    def on_stop_transaction(
        self, request: v16.StopTransactionRequest, charging_station_id: str
    ) -> v16.StopTransactionResponse:
        readings = self.csms.sessions[charging_station_id].transactions.get(
            str(request.transaction_id), []
        )
        energy = request.meter_stop - (readings[0] if readings else request.meter_stop)
        log.info(
            "%s transaction %s ended: %.0f Wh", charging_station_id, request.transaction_id, energy
        )
        return v16.StopTransactionResponse(
            id_tag_info=v16.IdTagInfo(status=v16.AuthorizationStatus.Accepted)
        )

    def on_data_transfer(
        self, request: v16.DataTransferRequest, charging_station_id: str
    ) -> v16.DataTransferResponse:
        return v16.DataTransferResponse(status=v16.DataTransferStatus.UnknownVendorId)

    def on_firmware_status_notification(
        self, request: v16.FirmwareStatusNotificationRequest, charging_station_id: str
    ) -> v16.FirmwareStatusNotificationResponse:
        return v16.FirmwareStatusNotificationResponse()

    def on_diagnostics_status_notification(
        self, request: v16.DiagnosticsStatusNotificationRequest, charging_station_id: str
    ) -> v16.DiagnosticsStatusNotificationResponse:
        return v16.DiagnosticsStatusNotificationResponse()

    def on_security_event_notification(
        self, request: v16.SecurityEventNotificationRequest, charging_station_id: str
    ) -> v16.SecurityEventNotificationResponse:
        log.warning("%s security event: %s", charging_station_id, request.type)
        return v16.SecurityEventNotificationResponse()

    @staticmethod
    def _id_tag_info(id_tag: str) -> v16.IdTagInfo:
        blocked = id_tag.upper().startswith("BLOCKED")
        status = v16.AuthorizationStatus.Blocked if blocked else v16.AuthorizationStatus.Accepted
        return v16.IdTagInfo(status=status)


class Csms2:
    """The OCPP 2.0.1 / 2.1 CSMS's answers; ``v`` is ``v201`` or ``v21`` (same names)."""

    def __init__(self, csms: Csms, v: ModuleType) -> None:
        self.csms = csms
        self.v = v

    async def on_boot_notification(self, request: Any, charging_station_id: str) -> Any:
        station = request.charging_station
        log.info(
            "%s booted (%s): %s %s",
            charging_station_id,
            request.reason.value,
            station.vendor_name,
            station.model,
        )
        wanted = self.v.GetVariableDataType(
            component=self.v.ComponentType(name="OCPPCommCtrlr"),
            variable=self.v.VariableType(name="HeartbeatInterval"),
        )
        self.csms.after_boot(
            charging_station_id, self.v.GetVariablesRequest(get_variable_data=[wanted])
        )
        return self.v.BootNotificationResponse(
            current_time=now(),
            interval=HEARTBEAT_INTERVAL,
            status=self.v.RegistrationStatusEnumType.Accepted,
        )

    def on_heartbeat(self, request: Any, charging_station_id: str) -> Any:
        return self.v.HeartbeatResponse(current_time=now())

    def on_status_notification(self, request: Any, charging_station_id: str) -> Any:
        log.info(
            "%s EVSE %s connector %s is %s",
            charging_station_id,
            request.evse_id,
            request.connector_id,
            request.connector_status.value,
        )
        return self.v.StatusNotificationResponse()

    def on_authorize(self, request: Any, charging_station_id: str) -> Any:
        return self.v.AuthorizeResponse(
            id_token_info=self._id_token_info(request.id_token.id_token)
        )

    def on_transaction_event(self, request: Any, charging_station_id: str) -> Any:
        session = self.csms.sessions[charging_station_id]
        readings = session.transactions.setdefault(request.transaction_info.transaction_id, [])
        for meter_value in request.meter_value or ():
            readings.extend(self._energy(meter_value))
        log.info(
            "%s transaction %s %s (%s)",
            charging_station_id,
            request.transaction_info.transaction_id,
            request.event_type.value,
            request.trigger_reason.value,
        )
        if request.event_type is self.v.TransactionEventEnumType.Ended and len(readings) > 1:
            log.info(
                "%s transaction %s delivered %.0f Wh",
                charging_station_id,
                request.transaction_info.transaction_id,
                readings[-1] - readings[0],
            )
        if request.id_token is None:
            return self.v.TransactionEventResponse()
        return self.v.TransactionEventResponse(
            id_token_info=self._id_token_info(request.id_token.id_token)
        )

    def on_meter_values(self, request: Any, charging_station_id: str) -> Any:
        return self.v.MeterValuesResponse()

    def on_data_transfer(self, request: Any, charging_station_id: str) -> Any:
        return self.v.DataTransferResponse(status=self.v.DataTransferStatusEnumType.UnknownVendorId)

    def on_notify_event(self, request: Any, charging_station_id: str) -> Any:
        return self.v.NotifyEventResponse()

    def on_notify_report(self, request: Any, charging_station_id: str) -> Any:
        return self.v.NotifyReportResponse()

    def on_firmware_status_notification(self, request: Any, charging_station_id: str) -> Any:
        return self.v.FirmwareStatusNotificationResponse()

    def on_log_status_notification(self, request: Any, charging_station_id: str) -> Any:
        return self.v.LogStatusNotificationResponse()

    def on_security_event_notification(self, request: Any, charging_station_id: str) -> Any:
        log.warning("%s security event: %s", charging_station_id, request.type)
        return self.v.SecurityEventNotificationResponse()

    def _energy(self, meter_value: Any) -> Iterable[float]:
        register = self.v.MeasurandEnumType.Energy_Active_Import_Register
        return (s.value for s in meter_value.sampled_value if s.measurand in (None, register))

    def _id_token_info(self, id_token: str) -> Any:
        blocked = id_token.upper().startswith("BLOCKED")
        status = self.v.AuthorizationStatusEnumType
        return self.v.IdTokenInfoType(status=status.Blocked if blocked else status.Accepted)


class Csms21(Csms2):
    """OCPP 2.1 adds, among others, battery swapping, payment settlement and dynamic schedules."""

    def on_battery_swap(
        self, request: v21.BatterySwapRequest, charging_station_id: str
    ) -> v21.BatterySwapResponse:
        log.info(
            "%s battery swap %s: %d batteries",
            charging_station_id,
            request.event_type.value,
            len(request.battery_data),
        )
        return v21.BatterySwapResponse()

    def on_notify_settlement(
        self, request: v21.NotifySettlementRequest, charging_station_id: str
    ) -> v21.NotifySettlementResponse:
        log.info("%s settlement %s: %s", charging_station_id, request.psp_ref, request.status.value)
        return v21.NotifySettlementResponse()

    def on_vat_number_validation(
        self, request: v21.VatNumberValidationRequest, charging_station_id: str
    ) -> v21.VatNumberValidationResponse:
        known = request.vat_number.upper().startswith("NL")
        status = v21.GenericStatusEnumType.Accepted if known else v21.GenericStatusEnumType.Rejected
        return v21.VatNumberValidationResponse(vat_number=request.vat_number, status=status)

    def on_notify_priority_charging(
        self, request: v21.NotifyPriorityChargingRequest, charging_station_id: str
    ) -> v21.NotifyPriorityChargingResponse:
        log.info(
            "%s priority charging %s for %s",
            charging_station_id,
            "on" if request.activated else "off",
            request.transaction_id,
        )
        return v21.NotifyPriorityChargingResponse()

    def on_pull_dynamic_schedule_update(
        self, request: v21.PullDynamicScheduleUpdateRequest, charging_station_id: str
    ) -> v21.PullDynamicScheduleUpdateResponse:
        return v21.PullDynamicScheduleUpdateResponse(
            status=v21.ChargingProfileStatusEnumType.Accepted,
            schedule_update=v21.ChargingScheduleUpdateType(limit=11000.0),
        )


class Csms:
    """The CSMS: its sessions by station id, and the WebSocket handler that feeds them."""

    def __init__(self, users: dict[str, str] | None = None) -> None:
        self.users = users
        self.sessions: dict[str, Session] = {}
        self.answers: dict[str, list[Any]] = {}
        """Station id -> the typed answers to the CSMS-initiated calls."""
        self._tasks: set[asyncio.Task[None]] = set()

    def handlers(self, version: ModuleType) -> object:
        if version is v16:
            return Csms16(self)
        return Csms21(self, v21) if version is v21 else Csms2(self, v201)

    async def call(self, station: str, request: Any) -> Any:
        """Send a CSMS-initiated request to a connected station; its typed response."""
        response = await self.sessions[station].dispatcher.call(request)
        self.answers.setdefault(station, []).append(response)
        return response

    def after_boot(self, station: str, request: Any) -> None:
        """Ask the station something once the boot answer is on its way."""

        async def ask() -> None:
            await asyncio.sleep(0)
            try:
                response = await self.call(station, request)
                log.info("%s answered %s: %s", station, type(request).__name__, response.to_json())
            except Exception as exc:  # a station may refuse or drop: log, keep serving
                log.warning("%s did not answer %s: %s", station, type(request).__name__, exc)

        task = asyncio.get_running_loop().create_task(ask())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def handle(self, connection: ServerConnection) -> None:
        """One charging station's connection, from subprotocol check to close."""
        assert connection.request is not None
        station = connection.request.path.rstrip("/").rsplit("/", 1)[-1]
        version = SUBPROTOCOLS.get(connection.subprotocol or "")
        if version is None:
            offered = ", ".join(SUBPROTOCOLS)
            log.warning("%s offered no OCPP subprotocol we speak; closing", station)
            await connection.close(
                1002, f"no supported OCPP subprotocol (this CSMS speaks {offered})"
            )
            return
        if self.users is not None and connection.username != station:
            await connection.close(1008, "the user name must be the charging station id")
            return

        async def transport(text: str) -> None:
            log.info("%s -> %s", station, text)
            await connection.send(text)

        central_role = list(DISPATCH[version].Role)[1]
        dispatcher = DISPATCH[version].Dispatcher(
            central_role, [self.handlers(version)], transport=transport
        )
        session = Session(station, version, dispatcher)
        self.sessions[station] = session
        log.info("%s connected (%s)", station, connection.subprotocol)
        try:
            async for frame in connection:
                session.frames += 1
                log.info("%s <- %s", station, frame)
                reply = await dispatcher.handle_frame(frame, charging_station_id=station)
                if reply is not None:
                    await transport(reply)
        except ConnectionClosed:
            pass
        finally:
            log.info("%s disconnected after %d frames", station, session.frames)

    def _check_credentials(self, username: str, password: str) -> bool:
        assert self.users is not None
        expected = self.users.get(username)
        return expected is not None and secrets.compare_digest(expected, password)

    async def serve(self, host: str = "127.0.0.1", port: int = 9000) -> Server:
        """Start listening (``port=0``: any free port; see ``server.sockets``)."""
        auth: Callable[..., Awaitable[Any] | Any] | None = None
        if self.users is not None:
            auth = basic_auth(realm="ocpp", check_credentials=self._check_credentials)
        return await serve(
            self.handle,
            host,
            port,
            subprotocols=[Subprotocol(name) for name in SUBPROTOCOLS],
            select_subprotocol=select_subprotocol,
            process_request=auth,
        )


def select_subprotocol(
    connection: ServerConnection, offered: Sequence[Subprotocol]
) -> Subprotocol | None:
    """Our most preferred version the station offers; None lets ``Csms.handle`` close the
    connection with a reason (rather than an HTTP 400 the station may not show)."""
    return next((Subprotocol(name) for name in SUBPROTOCOLS if name in offered), None)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_users(path: Path | None) -> dict[str, str] | None:
    """``station:password`` lines from a file, else from ``OCPP_USERS``; None: no auth."""
    if path is not None:
        lines = path.read_text(encoding="utf-8").splitlines()
    elif os.environ.get("OCPP_USERS"):
        lines = os.environ["OCPP_USERS"].split(",")
    else:
        return None
    pairs = (
        line.strip().split(":", 1) for line in lines if line.strip() and not line.startswith("#")
    )
    return {user: password for user, password in pairs}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--users", type=Path, help="station:password lines (Basic auth)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    csms = Csms(read_users(args.users))
    server = await csms.serve(args.host, args.port)
    log.info(
        "listening on ws://%s:%d/<station id> (%s)", args.host, args.port, ", ".join(SUBPROTOCOLS)
    )
    await server.serve_forever()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
