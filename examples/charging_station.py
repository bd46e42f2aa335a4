"""A charging-station simulator speaking OCPP 1.6, 2.0.1 or 2.1 over a WebSocket.

It boots, sends a heartbeat and its connector status, then runs one charging session
(authorize, start, meter values at 11 kW, stop) and answers what the CSMS asks meanwhile:
Reset, ChangeAvailability, GetConfiguration / ChangeConfiguration (1.6) and GetVariables /
SetVariables / GetBaseReport (2.x, with the NotifyReport parts after it) from its typed
configuration (a ``ConfigurationStore`` / ``DeviceModelStore``), RemoteStartTransaction (1.6) /
RequestStartTransaction (2.x) and TriggerMessage.

    python examples/charging_station.py ws://127.0.0.1:9000/CS-001 --version 2.0.1
    python examples/charging_station.py wss://localhost:9000/CS-001 --security-profile 3 \
        --cafile ca.pem --certfile cs-001.pem --keyfile cs-001.key

When it cannot connect, is refused or loses the connection, it says why on one line and exits
with 1 (2 for a URL it cannot use). With ``--queue FILE`` it is offline-safe instead: its
transaction-related messages go through an ``OfflineQueue`` kept in that SQLite file
(``:memory:``: in memory), it charges on while the connection is down, reconnects, and resends
what is queued in order (also after a restart of the program); it gives up after
``--offline-limit`` seconds without a connection.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import ssl
import sys
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlsplit

from ocpp_bindings import ValidationError, v16, v21, v201
from ocpp_bindings.v16 import configuration
from ocpp_bindings.v16 import dispatch as dispatch16
from ocpp_bindings.v21 import device_model as device_model21
from ocpp_bindings.v21 import dispatch as dispatch21
from ocpp_bindings.v201 import device_model as device_model201
from ocpp_bindings.v201 import dispatch as dispatch201
from ocpp_bindings.v201.dispatch import (
    CallAbandoned,
    CallError,
    CallTimeout,
    MemoryStore,
    MessageDiscarded,
    MessageStore,
    OfflineQueue,
    RetryPolicy,
    SqliteStore,
    StoreError,
)
from security import ClientSecurity, add_profile_option
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.frames import CloseCode
from websockets.headers import build_authorization_basic
from websockets.typing import Subprotocol

DISPATCH: dict[ModuleType, ModuleType] = {v16: dispatch16, v201: dispatch201, v21: dispatch21}
"""Each version's ``dispatch`` module."""
DEVICE_MODELS: dict[ModuleType, Any] = {v201: device_model201, v21: device_model21}
"""Each 2.x version's ``device_model`` module."""

log = logging.getLogger("station")
VERSIONS = {"1.6": v16, "2.0.1": v201, "2.1": v21}
POWER_W = 11_000.0
"""Charging power: 3 phases x 230 V x 16 A."""


class ConnectionLost(ConnectionError):
    """The CSMS closed the connection (or it broke) while the station was at work."""

    def __init__(self, code: int | None, reason: str | None) -> None:
        self.code, self.reason = code, reason or ""
        if code in (None, CloseCode.ABNORMAL_CLOSURE):
            super().__init__("the connection to the CSMS broke (no close frame)")
        else:
            super().__init__(f"the CSMS closed the connection: {code} {self.reason}".rstrip())


class StillOffline(ConnectionError):
    """The CSMS stayed unreachable for the whole ``offline_limit``."""


def configuration_store() -> configuration.ConfigurationStore:
    """The simulator's 1.6 configuration keys, typed."""
    store = configuration.ConfigurationStore(on_change=_changed)
    store.add(configuration.HeartbeatInterval, 300)
    store.add(configuration.MeterValueSampleInterval, 60)
    store.add(configuration.NumberOfConnectors, 1)
    store.add(configuration.MeterValuesSampledDataMaxLength, 4)
    store.add(
        configuration.MeterValuesSampledData,
        ("Energy.Active.Import.Register", "Power.Active.Import"),
    )
    store.add(configuration.WebSocketPingInterval, 0, reboot_required=True)
    return store


def device_model_store(dm: Any) -> Any:
    """The simulator's 2.x device model (``dm``: the version's ``device_model``), typed."""
    store = dm.DeviceModelStore(on_change=_changed)
    store.add(dm.OCPPCommCtrlr.HeartbeatInterval, 300)
    store.add(dm.OCPPCommCtrlr.WebSocketPingInterval, 0, reboot_required=True)
    store.add(dm.DeviceDataCtrlr.ItemsPerMessage["GetVariables"], 16)
    store.add(dm.EVSE(evse=1).AvailabilityState, "Available")
    store.add(dm.EVSE(evse=1).Power, Decimal(POWER_W), unit="W", max_limit=22_000)
    connector = dm.Connector(evse=1, connector=1)
    store.add(connector.AvailabilityState, "Available", mutability=dm.Mutability.ReadOnly)
    store.add(connector.ConnectorType, "cType2", mutability=dm.Mutability.ReadOnly)
    return store


def _changed(change: Any) -> None:
    what = getattr(change, "variable", None) or change.key
    later = " after a reboot" if change.pending else ""
    log.info("%s set to %r (was %r)%s", what, change.value, change.previous, later)


class Station16:
    """What a 1.6 charge point answers (``CoreChargePointHandler`` and friends)."""

    def __init__(self, station: Station) -> None:
        self.station = station
        self.configuration = configuration_store()

    def on_reset(self, request: v16.ResetRequest) -> v16.ResetResponse:
        self.station.received.append("Reset")
        return v16.ResetResponse(status=v16.ResetStatus.Accepted)

    def on_change_availability(
        self, request: v16.ChangeAvailabilityRequest
    ) -> v16.ChangeAvailabilityResponse:
        self.station.received.append("ChangeAvailability")
        return v16.ChangeAvailabilityResponse(status=v16.AvailabilityStatus.Accepted)

    def on_get_configuration(
        self, request: v16.GetConfigurationRequest
    ) -> v16.GetConfigurationResponse:
        self.station.received.append("GetConfiguration")
        return self.configuration.get_configuration(request)

    def on_change_configuration(
        self, request: v16.ChangeConfigurationRequest
    ) -> v16.ChangeConfigurationResponse:
        self.station.received.append("ChangeConfiguration")
        return self.configuration.change_configuration(request)

    def on_remote_start_transaction(
        self, request: v16.RemoteStartTransactionRequest
    ) -> v16.RemoteStartTransactionResponse:
        self.station.received.append("RemoteStartTransaction")
        return v16.RemoteStartTransactionResponse(status=v16.RemoteStartStopStatus.Accepted)

    def on_trigger_message(self, request: v16.TriggerMessageRequest) -> v16.TriggerMessageResponse:
        self.station.received.append("TriggerMessage")
        if request.requested_message is v16.MessageTrigger.Heartbeat:
            self.station.later(self.station.send(v16.HeartbeatRequest()))
        return v16.TriggerMessageResponse(status=v16.TriggerMessageStatus.Accepted)


class Station2:
    """What a 2.0.1 / 2.1 charging station answers; ``v`` is ``v201`` or ``v21``."""

    def __init__(self, station: Station, v: ModuleType) -> None:
        self.station = station
        self.v = v
        self.device_model = device_model_store(DEVICE_MODELS[v])

    def on_reset(self, request: Any) -> Any:
        self.station.received.append("Reset")
        return self.v.ResetResponse(status=self.v.ResetStatusEnumType.Accepted)

    def on_change_availability(self, request: Any) -> Any:
        self.station.received.append("ChangeAvailability")
        return self.v.ChangeAvailabilityResponse(
            status=self.v.ChangeAvailabilityStatusEnumType.Accepted
        )

    def on_get_variables(self, request: Any) -> Any:
        self.station.received.append("GetVariables")
        return self.device_model.get_variables(request)

    def on_set_variables(self, request: Any) -> Any:
        self.station.received.append("SetVariables")
        return self.device_model.set_variables(request)

    def on_get_base_report(self, request: Any) -> Any:
        """Answer at once; the NotifyReport parts follow (3 variables each)."""
        self.station.received.append("GetBaseReport")
        response, parts = self.device_model.get_base_report(request, max_items=3)
        self.station.later(self._report(parts))
        return response

    async def _report(self, parts: list[Any]) -> None:
        for part in parts:
            await self.station.send(part)

    def on_request_start_transaction(self, request: Any) -> Any:
        self.station.received.append("RequestStartTransaction")
        return self.v.RequestStartTransactionResponse(
            status=self.v.RequestStartStopStatusEnumType.Accepted
        )

    def on_trigger_message(self, request: Any) -> Any:
        self.station.received.append("TriggerMessage")
        if request.requested_message is self.v.MessageTriggerEnumType.Heartbeat:
            self.station.later(self.station.send(self.v.HeartbeatRequest()))
        return self.v.TriggerMessageResponse(status=self.v.TriggerMessageStatusEnumType.Accepted)


class Station:
    """One simulated charging station: connect, boot, charge once, answer the CSMS."""

    def __init__(
        self,
        url: str,
        version: str,
        *,
        password: str | None = None,
        id_token: str = "04A2B3C4D5E6F7",
        samples: int = 3,
        sample_seconds: float = 0.2,
        store: MessageStore | None = None,
        retry: RetryPolicy | None = None,
        reconnect_interval: float = 2.0,
        offline_limit: float = 60.0,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.url = url
        self.version = version
        self.v = VERSIONS[version]
        parts = urlsplit(url)
        self.id = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
        if parts.scheme not in ("ws", "wss") or not parts.hostname or not self.id:
            raise ValueError(f"{url!r} is not a ws:// or wss:// URL ending with the station id")
        if password is not None and ":" in self.id:
            raise ValueError(f"station id {self.id!r} has a ':', which Basic auth cannot carry")
        self.password = password
        self.tls = tls
        """The TLS context of a wss:// URL (None: the system's CAs)."""
        self.id_token = id_token
        self.samples = samples
        self.sample_seconds = sample_seconds
        self.sent: list[str] = []
        """The actions this station started, in order."""
        self.received: list[str] = []
        """The CSMS-initiated actions it answered."""
        self.connection: ClientConnection | None = None
        station_role = next(iter(DISPATCH[self.v].Role))
        handlers = Station16(self) if self.v is v16 else Station2(self, self.v)
        self.dispatcher = DISPATCH[self.v].Dispatcher(
            station_role, [handlers], transport=self._transmit
        )
        self.queue = None if store is None else OfflineQueue(self.dispatcher, store, retry=retry)
        """With a store: the transaction-related messages go through this queue, and the
        station reconnects after a lost connection (every ``reconnect_interval`` seconds, for
        at most ``offline_limit``)."""
        self.reconnect_interval = reconnect_interval
        self.offline_limit = offline_limit
        self.transaction_id = str(uuid.uuid4())
        """The 2.x transaction id of this run's charging session."""
        self._tasks: set[asyncio.Task[Any]] = set()
        self._lost: asyncio.Future[None] | None = None
        """Done when the current connection ended."""

    async def _transmit(self, text: str) -> None:
        assert self.connection is not None
        log.info("%s -> %s", self.id, text)
        await self.connection.send(text)

    def later(self, coroutine: Any) -> None:
        """Run ``coroutine`` after the current answer has been sent."""
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @property
    def online(self) -> bool:
        return self._lost is not None and not self._lost.done()

    async def send(self, request: Any, *, wait: bool = False) -> Any:
        """CALL the CSMS and return its typed answer.

        With a queue: a transaction-related message is stored first and sent in order; its
        answer is awaited while the station is online (None once the connection is lost: it
        is sent after reconnecting), with ``wait`` until it comes (None if it is given up).
        Any other message is not sent while offline (None).
        """
        name = type(request).__name__.removesuffix("Request")
        self.sent.append(name)
        if self.queue is None:
            return await self.dispatcher.call(request)
        if self.queue.keeps(request):
            return await self._answer(self.queue.submit(request), wait)
        if not self.online:
            log.info("%s offline: %s not sent", self.id, name)
            return None
        try:
            return await self.dispatcher.call(request)
        except (CallAbandoned, ConnectionClosed):
            log.info("%s offline: %s not answered", self.id, name)
            return None

    async def _answer(self, answer: asyncio.Future[Any], wait: bool) -> Any:
        while not answer.done() and (wait or self.online):
            waits: set[asyncio.Future[Any]] = {answer}
            if self._lost is not None and not wait:
                waits.add(self._lost)
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        if not answer.done():
            return None  # queued: sent after the station reconnected
        try:
            return answer.result()
        except MessageDiscarded:  # the queue logged it
            return None

    async def _read(self, connection: ClientConnection) -> None:
        """Answer the CSMS until the connection closes."""
        try:
            async for frame in connection:
                log.info("%s <- %s", self.id, frame)
                reply = await self.dispatcher.handle_frame(frame)
                if reply is not None:
                    await self._transmit(reply)
        except ConnectionClosed:
            pass

    async def run(self, *, charge: bool = True, stay: float = 0.0) -> None:
        """Connect, boot and (with ``charge``) run a session; answer the CSMS for ``stay`` s.

        Raises what ``websockets.connect`` raises when the CSMS cannot be reached or refuses
        the handshake (``InvalidStatus`` for HTTP 401...), and ConnectionLost as soon as the
        connection closes before the work is done (no waiting for the pending call's timeout).
        With a queue, a lost connection is reconnected instead (StillOffline after
        ``offline_limit`` seconds without one); a close for a policy violation (1008: another
        connection took over) still ends the run.
        """
        connection = await self._connect()
        work = asyncio.get_running_loop().create_task(self._work(charge, stay))
        try:
            while True:
                await self._serve(connection, work)
                if work.done() and not work.cancelled():
                    failure = work.exception()
                    if failure is None:
                        return
                    if not isinstance(failure, ConnectionClosed):
                        raise failure
                lost = ConnectionLost(connection.close_code, connection.close_reason)
                if self.queue is None or lost.code == CloseCode.POLICY_VIOLATION:
                    raise lost
                connection = await self._reconnect(lost)
        finally:
            work.cancel()
            await connection.close()
            if self.queue is not None:
                await self.queue.close()

    async def _connect(self) -> ClientConnection:
        headers = None
        if self.password is not None:
            headers = {"Authorization": build_authorization_basic(self.id, self.password)}
        subprotocol = Subprotocol(f"ocpp{self.version}")
        secure: dict[str, Any] = {} if self.tls is None else {"ssl": self.tls}
        return await connect(
            self.url,
            subprotocols=[subprotocol],
            open_timeout=5,
            additional_headers=headers,
            **secure,
        )

    async def _serve(self, connection: ClientConnection, work: asyncio.Task[None]) -> None:
        """Answer the CSMS on ``connection`` until it closes or the work is done."""
        self.connection = connection
        self._lost = asyncio.get_running_loop().create_future()
        reader = asyncio.get_running_loop().create_task(self._read(connection))
        try:
            await asyncio.wait((reader, work), return_when=asyncio.FIRST_COMPLETED)
        finally:
            reader.cancel()
            self._lost.set_result(None)
        if reader.done() and not reader.cancelled():
            reader.result()  # a failure of our own, not the connection's

    async def _reconnect(self, lost: ConnectionLost) -> ClientConnection:
        """Connect again (the queue keeps what is sent meanwhile); StillOffline when the CSMS
        stays unreachable for ``offline_limit`` seconds."""
        assert self.queue is not None
        self.queue.offline(str(lost))
        log.warning("%s: %s; charging on offline, reconnecting", self.id, lost)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.offline_limit
        while True:
            await asyncio.sleep(self.reconnect_interval)
            try:
                connection = await self._connect()
            except InvalidStatus:
                raise  # refused (401, 429...): retrying would not help
            except (OSError, TimeoutError, InvalidHandshake) as exc:
                if loop.time() >= deadline:
                    queued = len(self.queue)
                    raise StillOffline(
                        f"the CSMS stayed unreachable for {self.offline_limit:g} s "
                        f"({describe(exc, self.url)}); {queued} messages stay queued"
                    ) from None
                continue
            log.info("%s reconnected; %d queued messages to send", self.id, len(self.queue))
            self.queue.online()
            return connection

    async def _work(self, charge: bool, stay: float) -> None:
        await self.boot()
        if self.queue is not None:
            self.queue.online()  # booted: what an earlier run left queued goes first
        if charge:
            await (self.session16() if self.v is v16 else self.session2())
        if self.queue is not None:
            await self.queue.drained()
        await asyncio.sleep(stay)

    async def boot(self) -> None:
        v = self.v
        if v is v16:
            boot = v16.BootNotificationRequest(
                charge_point_vendor="ocppgen", charge_point_model="Simulator-11kW"
            )
        else:
            boot = v.BootNotificationRequest(
                charging_station=v.ChargingStationType(
                    model="Simulator-11kW", vendor_name="ocppgen", firmware_version="1.0.0"
                ),
                reason=v.BootReasonEnumType.PowerUp,
            )
        answer = await self.send(boot)
        if answer is not None:  # None: the connection was lost (with a queue)
            status, interval = answer.status.value, answer.interval
            log.info("%s boot %s, heartbeat every %ss", self.id, status, interval)
        await self.send(v.HeartbeatRequest())
        await self.status("Available")

    async def status(self, status: str) -> None:
        v = self.v
        if v is v16:
            await self.send(
                v16.StatusNotificationRequest(
                    connector_id=1,
                    error_code=v16.ChargePointErrorCode.NoError,
                    status=v16.ChargePointStatus(status),
                    timestamp=_now(),
                )
            )
        else:
            await self.send(
                v.StatusNotificationRequest(
                    timestamp=_now(),
                    connector_status=v.ConnectorStatusEnumType(status),
                    evse_id=1,
                    connector_id=1,
                )
            )

    def _readings(self) -> list[tuple[datetime, float]]:
        """(time, energy register in Wh) of every sample, 11 kW for ``sample_seconds`` each."""
        start = _now()
        step = timedelta(minutes=5)
        wh_per_step = POWER_W * step.total_seconds() / 3600
        return [(start + step * i, 1000.0 + wh_per_step * i) for i in range(self.samples + 1)]

    async def session16(self) -> None:
        authorized = await self.send(v16.AuthorizeRequest(id_tag=self.id_token))
        accepted = v16.AuthorizationStatus.Accepted
        if authorized is not None and authorized.id_tag_info.status is not accepted:
            return  # (offline, None: authorized locally)
        readings = self._readings()
        started = await self.send(
            v16.StartTransactionRequest(
                connector_id=1,
                id_tag=self.id_token,
                meter_start=int(readings[0][1]),
                timestamp=_now(),
            ),
            wait=True,  # its answer has the transaction id the later messages carry
        )
        if started is None:
            return
        await self.status("Charging")
        for when, energy in readings[1:]:
            await asyncio.sleep(self.sample_seconds)
            sampled = [
                v16.SampledValue(
                    value=f"{energy:.0f}",
                    measurand=v16.Measurand.Energy_Active_Import_Register,
                    unit=v16.UnitOfMeasure.Wh,
                ),
                v16.SampledValue(
                    value=f"{POWER_W:.0f}",
                    measurand=v16.Measurand.Power_Active_Import,
                    unit=v16.UnitOfMeasure.W,
                ),
            ]
            await self.send(
                v16.MeterValuesRequest(
                    connector_id=1,
                    transaction_id=started.transaction_id,
                    meter_value=[v16.MeterValue(timestamp=when, sampled_value=sampled)],
                )
            )
        await self.send(
            v16.StopTransactionRequest(
                meter_stop=int(readings[-1][1]),
                timestamp=_now(),
                transaction_id=started.transaction_id,
                id_tag=self.id_token,
                reason=v16.Reason.Local,
            )
        )
        await self.status("Available")

    async def session2(self) -> None:
        v = self.v
        token = v.IdTokenType(id_token=self.id_token, type="ISO14443")
        authorized = await self.send(v.AuthorizeRequest(id_token=token))
        accepted = v.AuthorizationStatusEnumType.Accepted
        if authorized is not None and authorized.id_token_info.status is not accepted:
            return  # (offline, None: authorized locally)
        readings = self._readings()
        transaction = v.TransactionType(transaction_id=self.transaction_id)
        evse = v.EVSEType(id=1, connector_id=1)
        await self.send(
            v.TransactionEventRequest(
                event_type=v.TransactionEventEnumType.Started,
                timestamp=_now(),
                trigger_reason=v.TriggerReasonEnumType.Authorized,
                seq_no=0,
                transaction_info=transaction,
                id_token=token,
                evse=evse,
                offline=self._offline_flag(),
                meter_value=[self._meter_value(*readings[0])],
            )
        )
        await self.status("Occupied")
        for seq_no, (when, energy) in enumerate(readings[1:], start=1):
            await asyncio.sleep(self.sample_seconds)
            await self.send(
                v.TransactionEventRequest(
                    event_type=v.TransactionEventEnumType.Updated,
                    timestamp=_now(),
                    trigger_reason=v.TriggerReasonEnumType.MeterValuePeriodic,
                    seq_no=seq_no,
                    transaction_info=v.TransactionType(
                        transaction_id=transaction.transaction_id,
                        charging_state=v.ChargingStateEnumType.Charging,
                    ),
                    offline=self._offline_flag(),
                    meter_value=[self._meter_value(when, energy)],
                )
            )
        await self.send(
            v.TransactionEventRequest(
                event_type=v.TransactionEventEnumType.Ended,
                timestamp=_now(),
                trigger_reason=v.TriggerReasonEnumType.StopAuthorized,
                seq_no=len(readings),
                transaction_info=v.TransactionType(
                    transaction_id=transaction.transaction_id,
                    stopped_reason=v.ReasonEnumType.Local,
                ),
                id_token=token,
                offline=self._offline_flag(),
                meter_value=[self._meter_value(*readings[-1])],
            )
        )
        await self.status("Available")

    def _offline_flag(self) -> bool | None:
        """2.x ``offline``: True for an event that happens while the station is offline."""
        return True if self.queue is not None and not self.online else None

    def _meter_value(self, when: datetime, energy: float) -> Any:
        v = self.v
        return v.MeterValueType(
            timestamp=when,
            sampled_value=[
                v.SampledValueType(
                    value=energy,
                    measurand=v.MeasurandEnumType.Energy_Active_Import_Register,
                    unit_of_measure=v.UnitOfMeasureType(unit="Wh"),
                ),
                v.SampledValueType(
                    value=POWER_W,
                    measurand=v.MeasurandEnumType.Power_Active_Import,
                    unit_of_measure=v.UnitOfMeasureType(unit="W"),
                ),
            ],
        )


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


FAILURES = (OSError, TimeoutError, InvalidHandshake, CallError, CallTimeout, ValidationError)
"""What ends a run with a one-line message: unreachable or refusing CSMS (OSError covers
ConnectionLost and a refused TCP connection), an error answer, an invalid answer."""


def describe(error: BaseException, url: str) -> str:
    """One line saying why the run ended."""
    if isinstance(error, InvalidStatus):
        response = error.response
        retry = response.headers.get("Retry-After")
        later = f"; retry after {retry} s" if retry else ""
        status = f"HTTP {response.status_code} {response.reason_phrase}"
        return f"the CSMS refused the connection: {status}{later}"
    if isinstance(error, (ConnectionLost, StillOffline)):
        return str(error)
    text = f"{type(error).__name__}: {error}".rstrip(": ")
    if isinstance(error, CallError):
        return f"the CSMS answered with an error: {error}"
    if isinstance(error, CallTimeout):
        return f"the CSMS did not answer in time: {error}"
    if isinstance(error, ValidationError):
        return f"the CSMS sent an invalid answer: {error}"
    return f"cannot connect to {url}: {text}"


def arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="ws://host:port/<station id> (wss:// for TLS)")
    parser.add_argument("--version", choices=list(VERSIONS), default="2.0.1")
    parser.add_argument("--password", help="HTTP Basic auth password (user: the station id)")
    security = add_profile_option(parser, "a client certificate")
    security.add_argument(
        "--cafile", type=Path, help="the CA to trust for the CSMS (PEM; default: the system's)"
    )
    security.add_argument("--certfile", type=Path, help="this station's certificate (PEM; 3)")
    security.add_argument("--keyfile", type=Path, help="its private key (default: in --certfile)")
    parser.add_argument("--stay", type=float, default=2.0, help="seconds to stay connected after")
    parser.add_argument(
        "--no-charge", action="store_true", help="boot and answer the CSMS, no charging session"
    )
    offline = parser.add_argument_group("offline-safe sending")
    offline.add_argument(
        "--queue",
        metavar="FILE",
        help="keep transaction-related messages in this SQLite file while offline and resend "
        "them after reconnecting, also after a restart (':memory:': in memory only)",
    )
    offline.add_argument(
        "--message-attempts",
        type=int,
        default=3,
        help="tries per queued message the CSMS fails to process (1.6 "
        "TransactionMessageAttempts, 2.x OCPPCommCtrlr.MessageAttempts; 3)",
    )
    offline.add_argument(
        "--message-attempt-interval",
        type=float,
        default=60.0,
        help="seconds before the first retry, times the attempts so far (1.6 "
        "TransactionMessageRetryInterval, 2.x OCPPCommCtrlr.MessageAttemptInterval; 60)",
    )
    offline.add_argument(
        "--reconnect-interval", type=float, default=2.0, help="seconds between reconnects (2)"
    )
    offline.add_argument(
        "--offline-limit", type=float, default=60.0, help="seconds offline before giving up (60)"
    )
    return parser


def open_store(path: str | None) -> MessageStore | None:
    """The queue's store of ``--queue`` (None without it); StoreError for a bad file."""
    if path is None:
        return None
    return MemoryStore() if path == ":memory:" else SqliteStore(path)


def main() -> int:
    args = arguments().parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    security = ClientSecurity(
        args.security_profile, args.cafile, args.certfile, args.keyfile, args.password
    )
    try:
        security.check(args.url)
        tls = security.context(args.url)
        retry = RetryPolicy(args.message_attempts, args.message_attempt_interval)
        store = open_store(args.queue)
        station = Station(
            args.url,
            args.version,
            password=args.password,
            store=store,
            retry=retry,
            reconnect_interval=args.reconnect_interval,
            offline_limit=args.offline_limit,
            tls=tls,
        )
    except (ValueError, StoreError) as exc:  # security.SecurityError is a ValueError
        print(f"charging_station.py: {exc}", file=sys.stderr)
        return 2
    try:
        asyncio.run(station.run(charge=not args.no_charge, stay=args.stay))
    except FAILURES as exc:
        print(f"charging_station.py: {describe(exc, args.url)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    log.info(
        "%s done: sent %s; answered %s",
        station.id,
        ", ".join(station.sent),
        ", ".join(station.received) or "nothing",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
