"""A small CSMS (central system) speaking OCPP 1.6, 2.0.1 and 2.1 over WebSockets.

One ``Session`` per live connection, each with its own ``Dispatcher`` and handler objects;
``Csms.sessions`` maps a station id (the last part of the URL path, ``ws://host:9000/CS-001``)
to the session of its current connection. A newer connection for a connected id takes over:
the older one is closed and its pending calls fail at once. A session is forgotten when its
connection ends; what outlives it is bounded (open transactions, the last ended ones, the
login back-off). The WebSocket subprotocol (``ocpp1.6``, ``ocpp2.0.1``, ``ocpp2.1``) picks the
version's bindings; a connection offering none of them is closed with a reason. Optional HTTP
Basic auth (OCPP security profile 1): user = station id, passwords from a file of
``station:password`` lines (``--users``) or ``OCPP_USERS`` (``CS-001:secret,CS-002:other``),
with a per-client back-off after failed logins; ``--security-profile 2`` adds TLS (``wss://``,
``--certfile`` / ``--keyfile``), ``--security-profile 3`` mutual TLS instead of passwords
(``--client-ca``: the station's certificate must name its station id; see ``security.py``).
Every frame is logged, one line each. After a BootNotification the CSMS asks the station for
its configuration (1.6 GetConfiguration, 2.x GetVariables); ``Csms.call`` sends any other
request to a connected station. With ``--tolerances FILE`` (see ``station_tolerances.py``)
stations get the named tolerances of the bindings by station id, and by vendor and model once
their BootNotification names them.

With ``--redis URL`` the process is one worker of a cluster (``cluster.py``): its stations are
recorded in Redis, ``Csms.call`` reaches the stations of every worker, and ``call`` sends one
call through the cluster from the command line.

    python examples/csms.py --port 9000
    python examples/csms.py --port 9000 --tolerances examples/tolerances.toml
    python examples/csms.py --security-profile 3 --certfile csms.pem --keyfile csms.key \
        --client-ca ca.pem
    python examples/csms.py --port 9001 --redis redis://127.0.0.1:6379/0 --worker a
    python examples/csms.py call CS-001 Reset '{"type": "Immediate"}' --redis redis://127.0.0.1:6379/0
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http
import itertools
import logging
import math
import os
import re
import secrets
import signal
import ssl
import sys
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Coroutine, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from ocpp_bindings import v16, v21, v201
from ocpp_bindings.v16 import configuration
from ocpp_bindings.v16 import dispatch as dispatch16
from ocpp_bindings.v21 import device_model as device_model21
from ocpp_bindings.v21 import dispatch as dispatch21
from ocpp_bindings.v201 import device_model as device_model201
from ocpp_bindings.v201 import dispatch as dispatch201
from security import ServerSecurity, add_profile_option, station_certificate_problem
from station_tolerances import StationTolerances, describe
from station_tolerances import load as load_tolerances
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed, InvalidHeader
from websockets.frames import CloseCode
from websockets.headers import build_www_authenticate_basic, parse_authorization_basic
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

DISPATCH: dict[ModuleType, ModuleType] = {v16: dispatch16, v201: dispatch201, v21: dispatch21}
"""Each version's ``dispatch`` module."""
DEVICE_MODELS: dict[ModuleType, Any] = {v201: device_model201, v21: device_model21}
"""Each 2.x version's ``device_model`` module (typed variables, requests and answers)."""

log = logging.getLogger("csms")
WEBSOCKETS_LOG = logging.getLogger("csms.websockets")
"""The ``websockets`` server's own messages (handshake failures among them)."""
SUBPROTOCOLS = {"ocpp2.1": v21, "ocpp2.0.1": v201, "ocpp1.6": v16}
"""Offered subprotocol -> the version's bindings, in order of preference."""
HEARTBEAT_INTERVAL = 300
REPORTS_KEPT = 16
"""Device-model reports kept per connection (the last ones)."""
REPORT_PARTS_KEPT = 10_000
"""NotifyReport parts of unfinished reports kept per connection (the oldest report goes)."""
TAKEN_OVER = "a newer connection for this station id took over"
"""Why an older connection is closed (close code 1008) when its station connects again."""
BINARY_REFUSED = "OCPP-J frames are text (UTF-8 JSON), not binary"
"""Why a connection that sends a binary frame is closed (close code 1003)."""


def now() -> datetime:
    return datetime.now(timezone.utc)


# --- logging: one line per record, whatever a station sends -----------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
HANDSHAKE_FAILED = "opening handshake failed"
"""The ``websockets`` message for an aborted opening handshake (logged with a traceback)."""


def printable(text: str) -> str:
    """``text`` with control characters (line breaks among them) escaped as ``\\n``, ``\\x1b``..."""
    return _CONTROL.sub(lambda match: match[0].encode("unicode_escape").decode("ascii"), text)


def one_line(error: BaseException) -> str:
    """An exception and its causes on one line: ``InvalidMessage: ... (EOFError: ...)``."""
    text = f"{type(error).__name__}: {error}".rstrip(": ")
    return f"{text} ({one_line(error.__cause__)})" if error.__cause__ is not None else text


class OneLineLogs(logging.Filter):
    """Keeps every record on one line: escapes control characters in the message (so a frame
    or a vendor name cannot forge log lines) and logs an aborted opening handshake (a port
    scan, a plain HTTP request) as a one-line warning instead of an error with a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == HANDSHAKE_FAILED and record.exc_info and record.exc_info[1]:
            websocket = getattr(record, "websocket", None)
            peer = getattr(websocket, "remote_address", None)
            where = f" ({peer[0]}:{peer[1]})" if peer else ""
            record.msg = f"{HANDSHAKE_FAILED}{where}: {one_line(record.exc_info[1])}"
            record.args, record.exc_info, record.exc_text = (), None, None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        message = record.getMessage()
        escaped = printable(message)
        if escaped != message:
            record.msg, record.args = escaped, ()
        return True


ONE_LINE = OneLineLogs()
log.addFilter(ONE_LINE)
WEBSOCKETS_LOG.addFilter(ONE_LINE)


# --- what the CSMS keeps -----------------------------------------------------------------------


class NotConnected(ConnectionError):
    """The station is not connected, or its connection ended (closed, or taken over by a newer
    one) before it answered the call."""


@dataclass
class Transaction:
    """One charging session's energy register (Wh): its first and latest reading."""

    station: str
    id: str
    first: float | None = None
    last: float | None = None
    readings: int = 0

    def read(self, energy: float) -> None:
        if self.first is None:
            self.first = energy
        self.last = energy
        self.readings += 1

    @property
    def energy(self) -> float | None:
        """Wh delivered so far (None before two readings)."""
        if self.first is None or self.last is None or self.readings < 2:
            return None
        return self.last - self.first


class Transactions:
    """Transactions by (station id, transaction id): they outlive a connection, since a station
    may reconnect mid-transaction. At most ``limit`` open ones (the least recently updated is
    forgotten first) and the last ``keep`` ended ones (a real CSMS writes them to a database)."""

    def __init__(self, limit: int = 10_000, keep: int = 1_000) -> None:
        self.limit = limit
        self.open: OrderedDict[tuple[str, str], Transaction] = OrderedDict()
        self.ended: deque[Transaction] = deque(maxlen=keep)

    def get(self, station: str, transaction_id: str, *, create: bool = False) -> Transaction | None:
        """The open transaction (created with ``create``), or None."""
        key = (station, transaction_id)
        transaction = self.open.get(key)
        if transaction is not None:
            self.open.move_to_end(key)
        elif create:
            transaction = self.open[key] = Transaction(station, transaction_id)
            if len(self.open) > self.limit:
                (old_station, old_id), _ = self.open.popitem(last=False)
                log.warning(
                    "%s transaction %s forgotten: over %d open", old_station, old_id, self.limit
                )
        return transaction

    def end(self, station: str, transaction_id: str) -> Transaction | None:
        """Close an open transaction and keep it with the ended ones."""
        transaction = self.open.pop((station, transaction_id), None)
        if transaction is not None:
            self.ended.append(transaction)
        return transaction


class LoginThrottle:
    """A back-off for failed logins, per client (its address and the station id it claims).

    After ``n`` failures in a row a client must wait ``first * 2 ** (n - 1)`` seconds (at most
    ``longest``) before its next attempt is checked; earlier attempts get HTTP 429. A good
    login, or ``2 * longest`` seconds without a failure, clears the count. At most ``clients``
    are remembered (the one that failed longest ago is forgotten first).
    """

    def __init__(
        self,
        *,
        first: float = 1.0,
        longest: float = 60.0,
        clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.first, self.longest, self.clients, self.clock = first, longest, clients, clock
        self._failures: OrderedDict[Hashable, tuple[int, float]] = OrderedDict()
        """Client -> (failures in a row, time of the last)."""

    def __len__(self) -> int:
        return len(self._failures)

    def retry_after(self, client: Hashable) -> float:
        """Seconds until ``client`` may try again (0: now)."""
        failures, last = self._failures.get(client, (0, 0.0))
        if not failures:
            return 0.0
        elapsed = self.clock() - last
        if elapsed > 2 * self.longest:
            del self._failures[client]
            return 0.0
        return max(0.0, min(self.first * 2.0 ** (failures - 1), self.longest) - elapsed)

    def failed(self, client: Hashable) -> None:
        failures, _ = self._failures.pop(client, (0, 0.0))
        self._failures[client] = (failures + 1, self.clock())
        while len(self._failures) > self.clients:
            self._failures.popitem(last=False)

    def succeeded(self, client: Hashable) -> None:
        self._failures.pop(client, None)


# --- one connection, and the registry of the current ones --------------------------------------


class Session:
    """One live connection of one charging station: its dispatcher and handlers (bound to this
    connection, never to a newer one with the same id), its calls in flight and its end."""

    def __init__(
        self, csms: Csms, station: str, version: ModuleType, connection: ServerConnection
    ) -> None:
        self.station = station
        self.version = version
        self.connection = connection
        self.frames = 0
        """Frames received on this connection."""
        central_role = list(DISPATCH[version].Role)[1]
        self.tolerances = csms.tolerances
        self.dispatcher = DISPATCH[version].Dispatcher(
            central_role,
            [csms.handlers(self)],
            transport=self._send,
            tolerate=self.tolerances.for_station(station),
        )
        self._ended: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def ended(self) -> bool:
        return self._ended.done()

    def booted(self, vendor: str, model: str) -> None:
        """The station named its vendor and model: change its tolerances while it runs."""
        tolerate = self.tolerances.for_boot(self.station, vendor, model)
        if tolerate != self.dispatcher.tolerate:
            self.dispatcher.tolerate = tolerate
            log.info("%s (%s %s) now tolerates %s", self.station, vendor, model, describe(tolerate))

    def end(self, reason: str, close: tuple[int, str] | None = None) -> None:
        """End the session: calls in flight fail at once with ``reason``; with ``close`` (code,
        reason) the connection is closed too."""
        if self.ended:
            return
        self._ended.set_result(reason)
        if close is not None:
            self.later(self.connection.close(*close))

    async def call(self, request: Any, *, timeout: float | None = None) -> Any:
        """Send a CSMS-initiated request on this connection; its typed response. Raises
        NotConnected as soon as the session ends without an answer, CallTimeout after
        ``timeout`` seconds (None: the dispatcher's 30)."""
        action = type(request).__name__.removesuffix("Request")
        if self.ended:
            raise NotConnected(f"{self.station} is not connected ({self._ended.result()})")
        call = asyncio.ensure_future(self.dispatcher.call(request, timeout=timeout))
        try:
            await asyncio.wait((call, self._ended), return_when=asyncio.FIRST_COMPLETED)
        finally:
            call.cancel()  # no-op when answered; else the call ends with the session (or caller)
        if call.done() and not call.cancelled():
            with contextlib.suppress(ConnectionClosed):
                return call.result()
        reason = self._ended.result() if self.ended else "the connection closed"
        raise NotConnected(f"{self.station} did not answer {action}: {reason}")

    def ask_later(self, request: Any, read: Callable[[Any], str] | None = None) -> None:
        """Send ``request`` once the answer being handled is on its way; log the response
        (as ``read`` tells it, else as JSON)."""

        async def ask() -> None:
            await asyncio.sleep(0)
            name = type(request).__name__
            try:
                response = await self.call(request)
            except NotConnected as gone:  # logged as text: a record keeps no session alive
                log.warning("%s", str(gone))
                return
            except Exception as exc:  # refused (CallError), too late, invalid: keep serving
                log.warning("%s did not answer %s: %s", self.station, name, str(exc))
                return
            try:
                text = response.to_json() if read is None else read(response)
            except (LookupError, ValueError) as exc:  # ValidationError: a value of the wrong type
                log.warning("%s answered %s unreadably: %s", self.station, name, str(exc))
                return
            log.info("%s answered %s: %s", self.station, name, text)

        self.later(ask())

    def later(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        """Run ``coroutine`` as a task of this session."""
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def serve(self) -> None:
        """Handle the station's frames in order until the connection closes."""
        with contextlib.suppress(ConnectionClosed):
            async for frame in self.connection:
                if self.ended:
                    continue  # taken over or refused: the connection is closing
                if isinstance(frame, bytes):
                    log.warning("%s sent a binary frame; closing (1003)", self.station)
                    self.end("it sent a binary frame", (CloseCode.UNSUPPORTED_DATA, BINARY_REFUSED))
                    continue
                self.frames += 1
                log.info("%s <- %s", self.station, frame)
                reply = await self.dispatcher.handle_frame(frame, charging_station_id=self.station)
                if reply is not None:
                    await self._send(reply)

    async def _send(self, text: str) -> None:
        log.info("%s -> %s", self.station, text)
        await self.connection.send(text)


class Sessions(Mapping[str, Session]):
    """Station id -> the session of its current connection.

    A newer connection for a connected id takes over: the older session ends (its pending calls
    fail at once) and its connection is closed with 1008. A session leaves when its connection
    ends, unless a newer one has already taken its place.
    """

    def __init__(self) -> None:
        self._current: dict[str, Session] = {}

    def __getitem__(self, station: str) -> Session:
        return self._current[station]

    def __iter__(self) -> Iterator[str]:
        return iter(self._current)

    def __len__(self) -> int:
        return len(self._current)

    def take_over(self, session: Session) -> None:
        older = self._current.get(session.station)
        self._current[session.station] = session
        if older is not None:
            log.warning("%s connected again: closing its older connection", session.station)
            older.end(TAKEN_OVER, (CloseCode.POLICY_VIOLATION, TAKEN_OVER))

    def release(self, session: Session) -> None:
        if self._current.get(session.station) is session:
            del self._current[session.station]


# --- the answers, per version ------------------------------------------------------------------


class Csms16:
    """The OCPP 1.6 central system's answers (``CoreCentralSystemHandler`` and more)."""

    def __init__(self, csms: Csms, session: Session) -> None:
        self.csms = csms
        self.session = session

    async def on_boot_notification(
        self, request: v16.BootNotificationRequest, charging_station_id: str
    ) -> v16.BootNotificationResponse:
        log.info(
            "%s booted: %s %s",
            charging_station_id,
            request.charge_point_vendor,
            request.charge_point_model,
        )
        self.session.booted(request.charge_point_vendor, request.charge_point_model)
        heartbeat = configuration.HeartbeatInterval

        def interval(response: v16.GetConfigurationResponse) -> str:
            seconds = configuration.read_configuration(response, [heartbeat]).get(heartbeat)
            return f"{heartbeat} = {seconds.value if seconds else None} s"

        self.session.ask_later(configuration.get_configuration_request([heartbeat]), interval)
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
        transaction_id = next(self.csms.transaction_ids)
        transaction = self.csms.transactions.get(
            charging_station_id, str(transaction_id), create=True
        )
        assert transaction is not None
        transaction.read(float(request.meter_start))
        return v16.StartTransactionResponse(
            id_tag_info=self._id_tag_info(request.id_tag), transaction_id=transaction_id
        )

    def on_meter_values(
        self, request: v16.MeterValuesRequest, charging_station_id: str
    ) -> v16.MeterValuesResponse:
        transaction = None
        if request.transaction_id is not None:  # only known transactions' readings are kept
            transaction = self.csms.transactions.get(
                charging_station_id, str(request.transaction_id)
            )
        if transaction is not None:
            register = (None, v16.Measurand.Energy_Active_Import_Register)
            for meter_value in request.meter_value:
                for sampled in meter_value.sampled_value:
                    if sampled.measurand in register and _is_number(sampled.value):
                        transaction.read(float(sampled.value))  # 1.6 sends values as text
        return v16.MeterValuesResponse()

    def on_stop_transaction(
        self, request: v16.StopTransactionRequest, charging_station_id: str
    ) -> v16.StopTransactionResponse:
        transaction = self.csms.transactions.end(charging_station_id, str(request.transaction_id))
        if transaction is None:
            log.info("%s transaction %s ended", charging_station_id, request.transaction_id)
        else:
            transaction.read(float(request.meter_stop))
            log.info(
                "%s transaction %s ended: %.0f Wh",
                charging_station_id,
                request.transaction_id,
                transaction.energy or 0.0,
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

    def __init__(self, csms: Csms, session: Session, v: ModuleType) -> None:
        self.csms = csms
        self.session = session
        self.v = v
        self.dm = DEVICE_MODELS[v]
        self.reports: OrderedDict[int, Any] = OrderedDict()
        """Request id -> the station's report (typed) once its last part arrived; the last
        ``REPORTS_KEPT`` of this connection."""
        self._parts: OrderedDict[int, list[Any]] = OrderedDict()

    async def on_boot_notification(self, request: Any, charging_station_id: str) -> Any:
        station = request.charging_station
        log.info(
            "%s booted (%s): %s %s",
            charging_station_id,
            request.reason.value,
            station.vendor_name,
            station.model,
        )
        self.session.booted(station.vendor_name, station.model)
        heartbeat = self.dm.OCPPCommCtrlr.HeartbeatInterval

        def interval(response: Any) -> str:
            seconds = self.dm.read_get_variables(response, [heartbeat]).value(heartbeat)
            return f"{heartbeat} = {seconds} s"

        self.session.ask_later(self.dm.get_variables_request([heartbeat]), interval)
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
        transaction_id = request.transaction_info.transaction_id
        transaction = self.csms.transactions.get(charging_station_id, transaction_id, create=True)
        assert transaction is not None
        for meter_value in request.meter_value or ():
            for energy in self._energy(meter_value):
                transaction.read(energy)
        log.info(
            "%s transaction %s %s (%s)",
            charging_station_id,
            transaction_id,
            request.event_type.value,
            request.trigger_reason.value,
        )
        if request.event_type is self.v.TransactionEventEnumType.Ended:
            self.csms.transactions.end(charging_station_id, transaction_id)
            if transaction.energy is not None:
                log.info(
                    "%s transaction %s delivered %.0f Wh",
                    charging_station_id,
                    transaction_id,
                    transaction.energy,
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
        """Collect the parts of a report; the last one (``tbc`` false) makes it typed."""
        parts = self._parts.setdefault(request.request_id, [])
        parts.append(request)
        if sum(len(waiting) for waiting in self._parts.values()) > REPORT_PARTS_KEPT:
            forgotten, _ = self._parts.popitem(last=False)
            log.warning("%s report %s forgotten: too many parts", charging_station_id, forgotten)
        if not request.tbc and request.request_id in self._parts:
            report = self.reports[request.request_id] = self.dm.read_report(parts)
            del self._parts[request.request_id]
            if len(self.reports) > REPORTS_KEPT:
                self.reports.popitem(last=False)
            log.info(
                "%s report %s: %d variables (%d the catalogue lacks)%s",
                charging_station_id,
                request.request_id,
                len(report),
                len(report.unknown),
                "" if report.complete else ", parts missing",
            )
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


# --- the server --------------------------------------------------------------------------------


class Router(Protocol):
    """Where the stations of other processes are (``cluster.Cluster`` keeps them in Redis):
    told of every session that starts and ends here, asked for the stations not held here."""

    async def claim(self, session: Session) -> None:
        """``session`` is now its station's current connection (here)."""

    async def release(self, session: Session) -> None:
        """``session``'s connection ended."""

    async def call(self, station: str, request: Any, *, timeout: float | None = None) -> Any:
        """Send ``request`` to ``station`` where it is connected; its typed response."""


class Csms:
    """The CSMS: the current session of each station, what outlives sessions (transactions,
    the login back-off), and the WebSocket handler that feeds them."""

    def __init__(
        self,
        users: dict[str, str] | None = None,
        *,
        transactions: Transactions | None = None,
        throttle: LoginThrottle | None = None,
        router: Router | None = None,
        tls: ssl.SSLContext | None = None,
        certificate_ids: bool = False,
        tolerances: StationTolerances | None = None,
    ) -> None:
        self.users = users
        self.tls = tls
        """The TLS context of security profiles 2 and 3 (None: plain ws://)."""
        self.certificate_ids = certificate_ids
        """Profile 3: a station's client certificate must name the station id of its URL."""
        self.tolerances = StationTolerances() if tolerances is None else tolerances
        """Which tolerances each station gets (``--tolerances FILE``; strict by default)."""
        self.router = router
        """Reaches the stations connected to other processes (None: this process only)."""
        self.sessions = Sessions()
        self.transactions = Transactions() if transactions is None else transactions
        self.throttle = LoginThrottle() if throttle is None else throttle
        self.transaction_ids = itertools.count(1)
        """The 1.6 transaction ids this CSMS hands out."""

    def handlers(self, session: Session) -> object:
        """The handler object of one session (of its OCPP version)."""
        if session.version is v16:
            return Csms16(self, session)
        return Csms21(self, session, v21) if session.version is v21 else Csms2(self, session, v201)

    async def call(self, station: str, request: Any, *, timeout: float | None = None) -> Any:
        """Send a CSMS-initiated request to a connected station (here, or through the router
        where it is held); its typed response. Raises NotConnected when the station is not
        connected or its connection ends first, CallError or CallTimeout as the dispatcher."""
        session = self.sessions.get(station)
        if session is not None:
            return await session.call(request, timeout=timeout)
        if self.router is not None:
            return await self.router.call(station, request, timeout=timeout)
        raise NotConnected(f"{station} is not connected")

    async def handle(self, connection: ServerConnection) -> None:
        """One charging station's connection, from subprotocol check to close."""
        assert connection.request is not None
        station = station_id(connection.request.path)
        version = SUBPROTOCOLS.get(connection.subprotocol or "")
        if version is None:
            offered = ", ".join(SUBPROTOCOLS)
            log.warning("%s offered no OCPP subprotocol we speak; closing", station)
            await connection.close(
                CloseCode.PROTOCOL_ERROR,
                f"no supported OCPP subprotocol (this CSMS speaks {offered})",
            )
            return
        if not station:
            await connection.close(CloseCode.POLICY_VIOLATION, "the URL names no station id")
            return
        if self.users is not None and connection.username != station:
            await connection.close(
                CloseCode.POLICY_VIOLATION, "the user name must be the charging station id"
            )
            return
        session = Session(self, station, version, connection)
        self.sessions.take_over(session)
        log.info("%s connected (%s)", station, connection.subprotocol)
        try:
            if self.router is not None:
                await self.router.claim(session)
            await session.serve()
        finally:
            self.sessions.release(session)
            session.end("the connection closed")
            if self.router is not None:
                await self.router.release(session)
            log.info("%s disconnected after %d frames", station, session.frames)

    async def admit(self, connection: ServerConnection, request: Request) -> Response | None:
        """The opening handshake's checks, before any OCPP frame: in profile 3 the client
        certificate must be the station's (else HTTP 403), with passwords Basic auth."""
        if self.certificate_ids:
            ssl_object = connection.transport.get_extra_info("ssl_object")
            station = station_id(request.path)
            problem = station_certificate_problem(ssl_object, station)
            if problem is not None:
                log.warning("%s refused: %s", station, problem)
                return connection.respond(http.HTTPStatus.FORBIDDEN, f"{problem}\n")
        if self.users is not None:
            return await self.authenticate(connection, request)
        return None

    async def authenticate(self, connection: ServerConnection, request: Request) -> Response | None:
        """HTTP Basic auth (security profile 1), with the back-off for failed logins."""
        assert self.users is not None
        try:
            user, password = parse_authorization_basic(request.headers["Authorization"])
        except (LookupError, InvalidHeader, ValueError):  # ValueError: credentials not UTF-8
            return _unauthorized(connection, "Missing or unreadable credentials")
        peer = connection.remote_address
        client = (peer[0] if peer else "", user)
        wait = self.throttle.retry_after(client)
        if wait > 0:
            response = connection.respond(
                http.HTTPStatus.TOO_MANY_REQUESTS, "Too many failed logins; try again later\n"
            )
            response.headers["Retry-After"] = str(math.ceil(wait))
            return response
        expected = self.users.get(user)
        # compare_digest on str accepts ASCII only: compare the UTF-8 bytes
        if expected is None or not secrets.compare_digest(expected.encode(), password.encode()):
            self.throttle.failed(client)
            log.warning("%s: failed login from %s", user, client[0])
            return _unauthorized(connection, "Invalid credentials")
        self.throttle.succeeded(client)
        connection.username = user
        return None

    async def serve(self, host: str = "127.0.0.1", port: int = 9000) -> Server:
        """Start listening (``port=0``: any free port; see ``server.sockets``)."""
        return await serve(
            self.handle,
            host,
            port,
            subprotocols=[Subprotocol(name) for name in SUBPROTOCOLS],
            select_subprotocol=select_subprotocol,
            process_request=self.admit if self.users is not None or self.certificate_ids else None,
            logger=WEBSOCKETS_LOG,
            ssl=self.tls,
        )


def _unauthorized(connection: ServerConnection, text: str) -> Response:
    response = connection.respond(http.HTTPStatus.UNAUTHORIZED, f"{text}\n")
    response.headers["WWW-Authenticate"] = build_www_authenticate_basic("ocpp")
    return response


def station_id(path: str) -> str:
    """The station id in a connection URL's path: its last part, percent-decoded."""
    return unquote(urlsplit(path).path.rstrip("/").rsplit("/", 1)[-1])


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
    """``station:password`` lines from a file, else from ``OCPP_USERS``; None: no auth.
    ValueError names the line that is not ``station:password``."""
    if path is not None:
        source, lines = str(path), path.read_text(encoding="utf-8").splitlines()
    elif os.environ.get("OCPP_USERS"):
        source, lines = "OCPP_USERS", os.environ["OCPP_USERS"].split(",")
    else:
        return None
    users = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        user, colon, password = line.strip().partition(":")
        if not user or not colon:
            raise ValueError(f"{source}:{number}: expected station:password")
        users[user] = password
    return users


async def run(
    host: str,
    port: int,
    users: dict[str, str] | None,
    *,
    redis: str | None = None,
    worker: str | None = None,
    expiry: float | None = None,
    tls: ssl.SSLContext | None = None,
    certificate_ids: bool = False,
    tolerances: StationTolerances | None = None,
) -> None:
    """Serve until Ctrl-C or SIGTERM (which closes every connection with 1001 first); with
    ``redis`` (a URL) as one worker of a cluster (``cluster.py``); with ``tls`` on wss://."""
    csms = Csms(users, tls=tls, certificate_ids=certificate_ids, tolerances=tolerances)
    cluster = None
    if redis is not None:
        from cluster import EXPIRY, Cluster  # imports redis-py only for --redis

        cluster = Cluster.from_url(redis, worker, expiry=EXPIRY if expiry is None else expiry)
    try:
        if cluster is not None:
            await cluster.start(csms)
        server = await csms.serve(host, port)
        bound = next(iter(server.sockets)).getsockname()[1]
        scheme = "ws" if tls is None else "wss"
        versions = ", ".join(SUBPROTOCOLS)
        log.info("listening on %s://%s:%d/<station id> (%s)", scheme, host, bound, versions)
        if cluster is not None:
            log.info(
                "worker %s: stations shared through Redis at %s (records expire after %g s)",
                cluster.name,
                cluster.where,
                cluster.expiry,
            )
        with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, server.close)
        await server.wait_closed()
    finally:
        if cluster is not None:
            await cluster.close()


def arguments() -> argparse.ArgumentParser:
    """The command line: serve (the default), or ``call`` through a cluster."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="python examples/csms.py call --help: send one call through a cluster",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000, help="0: any free port")
    parser.add_argument("--users", type=Path, help="station:password lines (Basic auth)")
    security = add_profile_option(parser, "client certificates")
    security.add_argument("--certfile", type=Path, help="the CSMS's certificate (PEM; 2, 3)")
    security.add_argument("--keyfile", type=Path, help="its private key (default: in --certfile)")
    security.add_argument(
        "--client-ca", type=Path, help="the CA that signs station certificates (PEM; 3)"
    )
    parser.add_argument(
        "--tolerances",
        type=Path,
        metavar="FILE",
        help="TOML: station ids or BootNotification vendor/model patterns -> tolerances",
    )
    parser.add_argument(
        "--redis", metavar="URL", help="run as one worker of a cluster (redis://host:port/db)"
    )
    parser.add_argument("--worker", help="this worker's name in the cluster (default: host-pid)")
    parser.add_argument(
        "--expiry", type=float, help="seconds a dead worker's stations stay recorded (15)"
    )
    parser.add_argument(
        "--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"]
    )
    commands = parser.add_subparsers(dest="command", metavar="{call}")
    call = commands.add_parser(
        "call",
        help="send one CSMS-initiated call through the cluster; print the typed response",
        description="Send one CSMS-initiated call to a station connected to any worker of "
        "the cluster and print the typed response (class name and JSON).",
    )
    call.add_argument("station", help="the charging station id")
    call.add_argument("action", help="a call the CSMS sends, such as Reset or GetVariables")
    call.add_argument("payload", help='the request as JSON, such as \'{"type": "Immediate"}\'')
    call.add_argument("--redis", metavar="URL", default=argparse.SUPPRESS, help="the cluster's")
    call.add_argument("--via", metavar="WORKER", help="have this worker send it")
    call.add_argument("--timeout", type=float, default=30.0, help="seconds (30)")
    return parser


def main() -> int:
    parser = arguments()
    args = parser.parse_args()
    if args.command == "call":
        if not args.redis:
            parser.error("call needs --redis URL")
        from cluster import operator_call

        return asyncio.run(
            operator_call(
                args.redis, args.station, args.action, args.payload,
                via=args.via, timeout=args.timeout,
            )
        )  # fmt: skip
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(name)s %(message)s")
    for handler in logging.getLogger().handlers:  # the dispatcher's records too
        handler.addFilter(ONE_LINE)
    WEBSOCKETS_LOG.setLevel(logging.WARNING)  # its "connection open" repeats ours
    security = ServerSecurity(args.security_profile, args.certfile, args.keyfile, args.client_ca)
    try:
        users = read_users(args.users)
        security.check(users is not None)
        tls = security.context()
        tolerances = None if args.tolerances is None else load_tolerances(args.tolerances)
    except (OSError, ValueError) as exc:  # security.SecurityError is a ValueError
        print(f"csms.py: {exc}", file=sys.stderr)
        return 2
    cluster = {"redis": args.redis, "worker": args.worker, "expiry": args.expiry}
    identified = security.identifies_by_certificate
    try:
        asyncio.run(
            run(
                args.host, args.port, users, **cluster, tls=tls, certificate_ids=identified,
                tolerances=tolerances,
            )
        )  # fmt: skip
    except ValueError as exc:  # a Redis URL or worker name the cluster cannot use
        print(f"csms.py: {exc}", file=sys.stderr)
        return 2
    except ConnectionError as exc:  # Redis cannot be reached (cluster.ClusterError)
        print(f"csms.py: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # the port is taken, the host unknown...
        print(f"csms.py: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.modules.setdefault("csms", sys.modules[__name__])  # cluster.py's `import csms` is this
    sys.exit(main())
