"""A transport-agnostic OCPP-J dispatcher, shared by the per-version ``dispatch`` modules.

Feed every received text frame to :meth:`Dispatcher.handle_frame` and send back what it
returns; give the dispatcher a ``transport`` coroutine to send the frames that
:meth:`Dispatcher.call` and :meth:`Dispatcher.send` build.
"""

from __future__ import annotations

import asyncio
import difflib
import inspect
import json
import logging
import re
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Generic, NamedTuple, TypeVar

from . import _flavour
from ._flavour import Model
from ._inflight import CallSlots
from ._registry import Feature, ocpp_name
from ._runtime import (
    Deviation,
    JsonValue,
    Tolerance,
    ValidationError,
    is_unicode,
    load_json,
    printable,
    tolerating,
)
from ._vendor import DATA_TRANSFER, IncomingDataError, VendorRouter, extension_of, with_extensions

CALL = 2
CALLRESULT = 3
CALLERROR = 4
CALLRESULTERROR = 5
SEND = 6
UNKNOWN_ID = "-1"
"""The unique id used in a CALLERROR when the frame's own id cannot be read (or is invalid)."""
MAX_UNIQUE_ID = 36
"""OCPP-J unique ids are at most 36 characters."""
MAX_FRAME_BYTES = 1024 * 1024
"""The default frame size limit (UTF-8 bytes): larger frames are refused unparsed."""

R = TypeVar("R")
T = TypeVar("T")
Transport = Callable[[str], Awaitable[None]]
logger = logging.getLogger(f"{__name__.rpartition('.')[0]}.dispatch")


class CallError(Exception):
    """The other side answered a CALL with a CALLERROR (or a CALLRESULTERROR)."""

    def __init__(self, code: str, description: str, details: JsonValue) -> None:
        super().__init__(f"{code}: {description}")
        self.code = code
        self.description = description
        self.details = details


class CallTimeout(TimeoutError):
    """No answer to a CALL within the timeout."""


class CallAbandoned(ConnectionError):
    """The connection went away before the CALL was answered (or before it was sent): see
    :meth:`Dispatcher.connection_lost`."""


class ActionNotAllowed(ValueError):
    """This role may not start that action (or a CALL was asked for a SEND message)."""


class MessageNotEncodable(ValueError):
    """An outgoing message cannot be turned into a frame (cyclic, too deep, a huge number...)."""


@dataclass(frozen=True)
class ProtocolSpec(Generic[R]):
    """What differs between OCPP versions: features, roles, frame types, error codes."""

    version: str
    features: Mapping[str, Feature[Any]]
    central_role: R
    has_send: bool
    internal_error: str
    not_implemented: str
    not_supported: str
    rpc_error: str
    message_type_error: str
    format_error: str


def encode(frame: list[JsonValue]) -> str:
    """A frame as compact JSON text."""
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


def _dump_frame(head: list[JsonValue], message: Model) -> str:
    """A frame: ``head`` (message type, unique id, action) and the message's payload."""
    return encode([*head, message.to_dict()])


# A flavour may read and write frames its own, faster way (msgspec: a payload stays JSON text
# for its message class); the frames, and the errors on bad ones, are the same.
def _checked_frame(head: list[JsonValue], message: Model) -> str:
    """The frame of an outgoing message, once ``validate()`` passed it."""
    message.validate()
    return dump_frame(head, message)


load_frame: Callable[[str | bytes], object] = getattr(_flavour, "load_frame", load_json)
"""A received frame as JSON values (a flavour may keep payloads as its own values)."""
dump_frame: Callable[[list[JsonValue], Model], str] = getattr(_flavour, "dump_frame", _dump_frame)
checked_frame: Callable[[list[JsonValue], Model], str] = getattr(
    _flavour, "checked_frame", _checked_frame
)
call_reader: Callable[[type[Model]], Callable[[str | bytes], tuple[Any, ...]]] | None = getattr(
    _flavour, "call_reader", None
)
"""A flavour's one-pass reader of the CALLs of a request class: the text of a CALL frame to the
frame as a tuple (message type, unique id, action, request object) when it certainly is one
that the general path would accept (a unique id of at most ``MAX_UNIQUE_ID`` characters of
Unicode text, a valid request), else *some* exception."""
result_writer: Callable[[type[Model]], Callable[[str, Model], str]] | None = getattr(
    _flavour, "result_writer", None
)
"""A flavour's fast ``checked_frame([CALLRESULT, unique_id], response)`` for a response class:
the frame, or *some* exception (then ``checked_frame`` decides and explains)."""
call_head: Callable[[str | bytes], tuple[Any, ...]] | None = getattr(_flavour, "call_head", None)
"""A flavour's reader of a CALL frame's head: the frame as a tuple (message type, unique id,
action, the payload still as text) when its unique id is one ``call_reader`` takes, else
*some* exception (with ``payload_reader``, for frames of at most ``SMALL_CALL`` characters)."""
payload_reader: Callable[[type[Model]], Callable[[Any], Any]] | None = getattr(
    _flavour, "payload_reader", None
)
"""A flavour's reader of a request class's payload from ``call_head``'s: the request object, or
*some* exception."""
SMALL_CALL = 256
"""The longest CALL frame read by ``call_head`` and ``payload_reader`` (measured with msgspec:
about 0.1 us faster than the peek and ``call_reader`` for a 0.1 KB frame, slower from about
0.3 KB, where reading the payload twice costs more than the peek saves)."""


class _FastCall(NamedTuple):
    """How the CALLs of one routed action go around the general path: read in one pass by
    the flavour's ``call_reader`` (a small one: its head by ``call_head``, its payload by
    ``decode``), answered by its ``result_writer`` (the hot path of
    :meth:`Dispatcher.handle_frame`)."""

    feature: Feature[Any]
    handler: Callable[..., Any]
    read: Callable[[str | bytes], tuple[Any, ...]]
    write: Callable[[str, Any], str]
    decode: Callable[[Any], Any]
    """The flavour's ``payload_reader`` of the request class (a small CALL's payload)."""


def _unread(payload: object) -> Any:
    """``_FastCall.decode`` where the flavour has no ``payload_reader`` (nor ``call_head``,
    which alone gives a payload to read)."""
    raise TypeError("the flavour reads no payload by itself")


def error_frame(unique_id: str, code: str, description: str, message_type: int = CALLERROR) -> str:
    """A CALLERROR (or CALLRESULTERROR) frame with empty details."""
    return encode([message_type, unique_id, code, description[:255], {}])


def _uuid4() -> str:
    """The default unique id of an outgoing message."""
    return str(uuid.uuid4())


OTHER_METHODS = "ocpp_other_methods"
"""The attribute of a handler object naming its ``on_*`` methods that handle no OCPP action
(``ocpp_other_methods = {"on_connect"}``): the dispatcher leaves them alone."""


class DeviationKey(NamedTuple):
    """What :attr:`Dispatcher.deviations` counts: a tolerance used in an action at a path."""

    action: str
    tolerance: Tolerance
    path: str
    """The field path, array indexes as ``[*]`` (``meterValue[*].sampledValue[*].value``)."""


DEVIATION_LOG = 100
"""How many accepted deviations a dispatcher keeps in ``deviation_log``."""
_ANY_INDEX = re.compile(r"\[[0-9]+\]")


@dataclass
class _Pending:
    feature: Feature[Any]
    future: asyncio.Future[Model]


class Dispatcher(Generic[R]):
    """Routes OCPP-J frames to handler objects and matches answers to outgoing calls.

    ``handlers`` are objects with ``on_<action>`` methods (sync or async) for actions this
    role receives; the central system's methods also get the charging station's identity.
    ``max_frame_bytes``: larger frames are answered with the format error, never parsed.
    ``handler_timeout``: seconds an (async) handler may take before it is cancelled and the
    CALL answered ``InternalError``; None waits. ``tolerate``: deviations of deployed
    stations to accept in received requests and in the responses to this side's calls
    (:class:`Tolerance`, or a profile such as ``FIELD``; strict by default; what this side
    sends is always strict), each logged once per dispatcher (connection), action, tolerance
    and path, and counted in :attr:`deviations`.
    ``extensions`` are generated extension version modules (``acme_ocpp.v201``): their custom
    actions are routed like standard ones, their DataTransfer messages to ``on_<message>``.
    ``max_calls_in_flight``: how many of its own CALLs may wait for their answers at once
    (OCPP-J: one; None: no limit); further calls wait their turn, in order.
    """

    def __init__(
        self,
        protocol: ProtocolSpec[R],
        role: R,
        handlers: Iterable[object] = (),
        *,
        transport: Transport | None = None,
        timeout: float = 30.0,
        new_id: Callable[[], str] | None = None,
        max_frame_bytes: int = MAX_FRAME_BYTES,
        handler_timeout: float | None = None,
        tolerate: Iterable[Tolerance] = (),
        extensions: Iterable[object] = (),
        max_calls_in_flight: int | None = 1,
    ) -> None:
        self._slots = CallSlots(max_calls_in_flight)
        self._vendor = _vendor_router(protocol, extensions)
        if self._vendor is not None:
            protocol = replace(protocol, features=self._vendor.features)
        self._routes: dict[str, dict[str, tuple[Feature[Any], Callable[..., Any]]]] = {
            "CALL": {},
            "SEND": {},
        }
        """The routes found so far, by kind and action (vendor DataTransfer excepted)."""
        self._fast_calls: dict[str, _FastCall] = {}
        """The CALL routes found so far that the flavour reads and answers in one pass (its
        ``call_reader`` and ``result_writer``), by action."""
        self._protocol = protocol
        self.role = role
        self.transport = transport
        self.timeout = timeout
        self.new_id = new_id or _uuid4
        self.max_frame_bytes = max_frame_bytes
        self.handler_timeout = handler_timeout
        self.tolerate = frozenset(tolerate)
        self.deviations: Counter[DeviationKey] = Counter()
        """How often each deviation was accepted on this dispatcher (connection), by action,
        tolerance and path (array indexes as ``[*]``)."""
        self.deviation_log: list[tuple[str, Deviation]] = []
        """The latest accepted deviations with their action (the last ``DEVIATION_LOG``),
        original values included: what to show a vendor."""
        self._by_request = {f.request: f for f in protocol.features.values()}
        self._pending: dict[str, _Pending] = {}
        self._waiting: set[str] = set()
        """Unique ids of the calls waiting for their turn to be sent."""
        self._handlers: dict[str, Callable[..., Any]] = {}
        for handler in handlers:
            self.add_handler(handler)

    @property
    def protocol(self) -> ProtocolSpec[R]:
        """The OCPP version's features, roles, frame types and error codes."""
        return self._protocol

    @protocol.setter
    def protocol(self, protocol: ProtocolSpec[R]) -> None:
        self._protocol = protocol
        self._changed()

    @property
    def role(self) -> R:
        """This side's role (what it receives, what it may start)."""
        return self._role

    @role.setter
    def role(self, role: R) -> None:
        self._role = role
        self._changed()

    def _changed(self) -> None:
        """Forget what was derived from the role, protocol and handlers (routes,
        ``is_central``)."""
        for routes in self._routes.values():
            routes.clear()
        self._fast_calls.clear()
        self._central = bool(self._role == self._protocol.central_role)

    @property
    def is_central(self) -> bool:
        """True on the CSMS (1.6: Central System) side."""
        return self._central

    @property
    def tolerate(self) -> frozenset[Tolerance]:
        """The deviations this dispatcher accepts in what it receives; assign to change them
        while it runs (after the BootNotification named vendor and model, say)."""
        return self._tolerate

    @tolerate.setter
    def tolerate(self, tolerate: Iterable[Tolerance | str]) -> None:
        self._tolerate = frozenset(Tolerance(t) for t in tolerate)

    def add_handler(self, handler: object) -> None:
        """Register every ``on_<action>`` method of ``handler`` for actions this role receives.

        Every other public ``on_*`` method is refused (ValueError naming it and the closest
        action), so that a misspelt or misplaced handler fails here rather than leaving its
        action answered ``NotSupported``; list methods that are no OCPP handlers in the
        handler's ``ocpp_other_methods``.
        """
        self._check_methods(handler)
        found = self._vendor.add_handler(handler) if self._vendor is not None else 0
        for feature in self.protocol.features.values():
            method = getattr(handler, feature.handler, None)
            if method is None or not feature.received_by(self.role):
                continue
            if feature.action in self._handlers:
                raise ValueError(f"two handlers for {ocpp_name(feature.action)}")
            self._handlers[feature.action] = method
            self._changed()
            found += 1
        if not found:
            raise ValueError(
                f"{type(handler).__name__} handles no action that the {self._role_name} "
                f"receives in OCPP {self.protocol.version}"
            )

    @property
    def _role_name(self) -> str:
        return ocpp_name(self.role)

    def _check_methods(self, handler: object) -> None:
        """Refuse the ``on_*`` methods of ``handler`` that handle nothing this role receives."""
        every = {f.handler: f for f in self.protocol.features.values()}
        received = {name: f for name, f in every.items() if f.received_by(self.role)}
        vendor = self._vendor.handler_names() if self._vendor is not None else {}
        skipped = set(getattr(handler, OTHER_METHODS, ()))
        problems = []
        for name in sorted(dir(handler)):
            if not name.startswith("on_") or name in received or name in vendor:
                continue
            if name in skipped or not callable(getattr(handler, name, None)):
                continue
            where = f"{type(handler).__name__}.{name}"
            if name in every:
                action, role = ocpp_name(every[name].action), self._role_name
                problems.append(f"{where}: the {role} never receives {action} (only starts it)")
                continue
            hint = ""
            closest = difflib.get_close_matches(name, [*received, *vendor], n=1, cutoff=0.6)
            if closest:
                known = received.get(closest[0])
                what = ocpp_name(known.action) if known else vendor[closest[0]]
                hint = f" (did you mean {closest[0]}, for {what}?)"
            problems.append(
                f"{where} matches no action the {self._role_name} receives in OCPP "
                f"{self.protocol.version}{hint}; list on_* methods that are no OCPP handlers "
                f"in {OTHER_METHODS}"
            )
        if problems:
            raise ValueError("; ".join(problems))

    async def handle_frame(
        self, text: str | bytes, charging_station_id: str | None = None
    ) -> str | None:
        """Process one received frame; returns the frame to send back, or None."""
        if charging_station_id is None and self._central:
            raise ValueError("a central-system dispatcher needs the charging_station_id")
        if len(text) * 4 > self.max_frame_bytes and self._oversize(text):
            description = f"Frame larger than {self.max_frame_bytes} bytes"
            return error_frame(UNKNOWN_ID, self.protocol.format_error, description)
        head = text[:3]
        if (head == "[2," or (head == b"[2," and head.__class__ is bytes)) and self._fast_calls:
            # The hot path, inline (a call costs as much as a few checks): a CALL of an action
            # that the flavour reads in one pass and answers with its writer (see _FastCall).
            # A small frame's head is read first (msgspec's decoder: cheaper than a peek at
            # that size), then its payload by the request class's reader. A larger one's
            # action is peeked at as the text between the third and fourth quote, and the
            # frame read whole must name it (an unusual frame, with escapes or spaces, takes
            # the general path).
            request: Any = None
            fast: _FastCall | None = None
            if len(text) <= SMALL_CALL and call_head is not None:
                try:
                    frame = call_head(text)
                    unique_id, action = frame[1], frame[2]
                    fast = self._fast_calls.get(action)
                    if fast is not None:
                        request = fast.decode(frame[3])
                except Exception:  # the general path decides and explains
                    request = None
            else:
                quote: Any = b'"' if head.__class__ is bytes else '"'
                pieces = text.split(quote, 4)
                action = pieces[3] if len(pieces) == 5 else ""
                if action.__class__ is bytes:
                    action = action.decode("utf-8", "replace")
                fast = self._fast_calls.get(action)
                if fast is not None:
                    try:
                        frame = fast.read(text)
                    except Exception:  # the general path decides and explains
                        frame = None
                    if frame and frame[2] == action:  # its unique id is valid (see call_reader)
                        unique_id, request = frame[1], frame[3]
            if request is not None and fast is not None:
                feature, handler, _, write, _ = fast
                try:
                    response = handler(request, charging_station_id) if self._central \
                        else handler(request)  # fmt: skip
                except Exception as exc:
                    return self._handler_failed(unique_id, action, exc)
                if response.__class__ is feature.response:
                    try:
                        return write(unique_id, response)
                    except Exception:
                        pass  # _answer finds the failure again, and logs it
                replied = self._respond(unique_id, action, feature, response)
                return replied if isinstance(replied, str) else await replied
        answer = self._read_and_answer(text, charging_station_id)
        return answer if answer is None or isinstance(answer, str) else await answer

    def _read_and_answer(
        self, text: str | bytes, charging_station_id: str | None
    ) -> str | Awaitable[str | None] | None:
        """``handle_frame`` for every frame but those of its hot path: the frame read, and the
        answer (or None), or an awaitable of it (an async handler's, a SEND's)."""
        try:
            frame = load_frame(text)
        except ValidationError:
            return error_frame(UNKNOWN_ID, self.protocol.rpc_error, "Frame is not valid JSON")
        if not isinstance(frame, list) or len(frame) < 3 or not isinstance(frame[1], str):
            return error_frame(UNKNOWN_ID, self.protocol.rpc_error, "Not an OCPP-J frame")
        message_type, unique_id = frame[0], frame[1]
        if len(unique_id) > MAX_UNIQUE_ID:
            description = f"Unique id longer than {MAX_UNIQUE_ID} characters"
            return error_frame(UNKNOWN_ID, self.protocol.rpc_error, description)
        if not is_unicode(unique_id):  # an answer could not carry it: no UTF-8 form
            description = "Unique id is not Unicode text"
            return error_frame(UNKNOWN_ID, self.protocol.rpc_error, description)
        if _is_call(message_type, frame):  # the common case first: a well-formed CALL
            return self._on_call(unique_id, frame[2], frame[3], charging_station_id)
        if type(message_type) is not int:
            return error_frame(unique_id, self.protocol.rpc_error, "Not an OCPP-J frame")
        if message_type in (SEND, CALLRESULTERROR) and not self.protocol.has_send:
            return self._unsupported_type(unique_id, message_type)
        if message_type in (CALL, SEND):
            if len(frame) != 4 or not isinstance(frame[2], str):
                return error_frame(unique_id, self.protocol.rpc_error, "Malformed CALL frame")
            return self._on_send(frame[2], frame[3], charging_station_id)  # CALLs: see above
        if message_type == CALLRESULT:
            return self._on_result(unique_id, frame) if len(frame) == 3 else None
        if message_type in (CALLERROR, CALLRESULTERROR):
            self._on_error(unique_id, frame)
            return None
        return self._unsupported_type(unique_id, message_type)

    def _oversize(self, text: str | bytes) -> bool:
        """Is the frame over the limit? Counts UTF-8 bytes only when characters cannot tell."""
        size = len(text)
        if size <= self.max_frame_bytes // 4 or not isinstance(text, str):
            return size > self.max_frame_bytes
        return size > self.max_frame_bytes or len(text.encode("utf-8", "surrogatepass")) > (
            self.max_frame_bytes
        )

    def _parse(self, cls: type[Model], payload: object, action: str) -> Model:
        """Validate a payload; with tolerances, log each accepted deviation once."""
        if not self._tolerate:
            return cls.from_dict(payload)
        return self._tolerant(action, lambda: cls.from_dict(payload))

    def _tolerant(self, action: str, parse: Callable[[], T]) -> T:
        """Run ``parse`` under the dispatcher's tolerances, logging each deviation once."""
        if not self.tolerate:
            return parse()
        message, found = tolerating(self.tolerate, parse)
        for deviation in found:
            key = DeviationKey(action, deviation.tolerance, _ANY_INDEX.sub("[*]", deviation.path))
            self.deviations[key] += 1
            self.deviation_log.append((action, deviation))
            if self.deviations[key] == 1:
                logger.warning(
                    "tolerated %s (logged once per connection)", deviation.describe(action)
                )
        del self.deviation_log[:-DEVIATION_LOG]
        return message

    def _unsupported_type(self, unique_id: str, message_type: int) -> str:
        description = f"Message type {message_type} is not supported"
        return error_frame(unique_id, self.protocol.message_type_error, description)

    def _route(self, action: str, kind: str) -> tuple[Feature[Any], Callable[..., Any]] | str:
        """The feature and handler for an incoming action, or the error code to answer."""
        route = self._routes[kind].get(action)
        if route is not None:
            return route
        found = self._find_route(action, kind)
        vendor_routed = self._vendor is not None and action == DATA_TRANSFER
        if not isinstance(found, str) and not vendor_routed:  # those are routed per message
            self._routes[kind][action] = found
            if kind == "CALL":
                self._keep_fast_call(action, *found)
        return found

    def _keep_fast_call(
        self, action: str, feature: Feature[Any], handler: Callable[..., Any]
    ) -> None:
        """Give a CALL route the hot path when the flavour has one (see ``_FastCall``)."""
        if call_reader is None or result_writer is None or feature.response is None:
            return
        read, write = call_reader(feature.request), result_writer(feature.response)
        decode = _unread if payload_reader is None else payload_reader(feature.request)
        self._fast_calls[action] = _FastCall(feature, handler, read, write, decode)

    def _find_route(self, action: str, kind: str) -> tuple[Feature[Any], Callable[..., Any]] | str:
        """``_route`` without the cache: looked up in the protocol and the handlers."""
        feature = self.protocol.features.get(action)
        if feature is None:
            return self.protocol.not_implemented
        handler = self._handlers.get(action)
        if self._vendor is not None and action == DATA_TRANSFER:
            handler = self._vendor.route(handler, lambda parse: self._tolerant(action, parse))
        if feature.kind != kind or not feature.received_by(self.role) or handler is None:
            return self.protocol.not_supported
        return feature, handler

    async def _run(self, handler: Callable[..., Any], request: Model, station: str | None) -> Any:
        """The handler's result for ``request``, awaited (within ``handler_timeout``)."""
        return await self._settle(self._call_handler(handler, request, station))

    def _call_handler(
        self, handler: Callable[..., Any], request: Model, station: str | None
    ) -> Any:
        """What the handler returns for ``request``: a result, or an awaitable of one."""
        return handler(request, station) if self._central else handler(request)

    async def _settle(self, result: Any) -> Any:
        """An awaitable ``result`` awaited (within ``handler_timeout``), any other as it is."""
        if not inspect.isawaitable(result):
            return result
        if self.handler_timeout is None:
            return await result
        return await asyncio.wait_for(result, self.handler_timeout)

    def _on_call(
        self, unique_id: str, action: str, payload: object, station: str | None
    ) -> str | Coroutine[Any, Any, str]:
        """The answer to a CALL; with an async handler, a coroutine that answers it (a sync
        handler's CALL is answered without a coroutine: the common case on a CSMS)."""
        route = self._route(action, "CALL")
        if isinstance(route, str):
            description = f"Action {printable(action[:60])} is not handled here"
            return error_frame(unique_id, route, description)
        feature, handler = route
        try:
            request = self._parse(feature.request, payload, action)
        except ValidationError as exc:
            return error_frame(unique_id, exc.ocpp_error_code, str(exc))
        try:
            response = self._call_handler(handler, request, station)
        except Exception as exc:
            return self._handler_failed(unique_id, action, exc)
        return self._respond(unique_id, action, feature, response)

    def _respond(
        self, unique_id: str, action: str, feature: Feature[Any], response: object
    ) -> str | Coroutine[Any, Any, str]:
        """The CALLRESULT for a handler's ``response`` (see ``_answer``); a coroutine that
        answers when the response is awaitable (an async handler's)."""
        # isawaitable costs (ABC checks): the response class first, the common case
        if response.__class__ is not feature.response and inspect.isawaitable(response):
            return self._awaited_answer(unique_id, action, feature, response)
        return self._answer(unique_id, action, feature, response)

    async def _awaited_answer(
        self, unique_id: str, action: str, feature: Feature[Any], response: Awaitable[Any]
    ) -> str:
        """The answer to a CALL once its async handler's ``response`` is awaited."""
        try:
            result = await self._settle(response)
        except Exception as exc:
            return self._handler_failed(unique_id, action, exc)
        return self._answer(unique_id, action, feature, result)

    def _handler_failed(self, unique_id: str, action: str, exc: Exception) -> str:
        """The CALLERROR for a handler that raised ``exc`` (or took too long), logged."""
        if isinstance(exc, asyncio.TimeoutError):
            logger.error("handler for %s took longer than %ss", action, self.handler_timeout)
        elif isinstance(exc, IncomingDataError):
            return error_frame(unique_id, exc.error.ocpp_error_code, str(exc.error))
        else:
            logger.error("handler for %s failed", action, exc_info=exc)
        return error_frame(unique_id, self.protocol.internal_error, "Internal error")

    def _answer(self, unique_id: str, action: str, feature: Feature[Any], response: object) -> str:
        """The CALLRESULT carrying a handler's ``response``, validated; any failure of this
        reply path (wrong type, validation, encoding) is ours: InternalError, logged."""
        try:
            if feature.response is None or not isinstance(response, feature.response):
                raise TypeError(f"returned {type(response).__name__}")
            return checked_frame([CALLRESULT, unique_id], response)
        except Exception:
            logger.exception("invalid response from the handler for %s", action)
            return error_frame(unique_id, self.protocol.internal_error, "Internal error")

    async def _on_send(self, action: str, payload: object, station: str | None) -> None:
        # ``action`` is what the peer sent: logged escaped (%r), so it cannot forge log lines
        route = self._route(action, "SEND")
        if isinstance(route, str):
            logger.warning("SEND %r dropped: %s", action[:60], route)
            return
        feature, handler = route
        try:
            request = self._parse(feature.request, payload, action)
        except ValidationError as exc:  # str() of the error is one line
            logger.warning("SEND %s dropped: %s: %s", action, exc.ocpp_error_code, exc)
            return
        try:
            await self._run(handler, request, station)
        except Exception:
            logger.exception("SEND %s failed", action)

    def _on_result(self, unique_id: str, frame: list[Any]) -> str | None:
        pending = self._pending.pop(unique_id, None)
        if pending is None or pending.future.done():
            return None
        assert pending.feature.response is not None
        try:
            action = ocpp_name(pending.feature.action)
            response = self._parse(pending.feature.response, frame[2], action)
            pending.future.set_result(response)
        except ValidationError as exc:
            pending.future.set_exception(exc)
            if self.protocol.has_send:
                return error_frame(unique_id, exc.ocpp_error_code, str(exc), CALLRESULTERROR)
        return None

    def _on_error(self, unique_id: str, frame: list[Any]) -> None:
        pending = self._pending.pop(unique_id, None)
        if pending is None or pending.future.done():
            return
        code = frame[2] if isinstance(frame[2], str) else self.protocol.rpc_error
        description = frame[3] if len(frame) > 3 and isinstance(frame[3], str) else ""
        details = frame[4] if len(frame) > 4 else {}
        pending.future.set_exception(CallError(code, description, details))

    def _outgoing(self, request: Model, kind: str) -> Feature[Any]:
        feature = self._by_request.get(type(request))
        if feature is None:
            raise ActionNotAllowed(
                f"{type(request).__name__} is not a {self.protocol.version} request"
            )
        if feature.kind != kind:
            raise ActionNotAllowed(f"{ocpp_name(feature.action)} is a {feature.kind} message")
        if self.role not in feature.initiated_by:
            action = ocpp_name(feature.action)
            raise ActionNotAllowed(f"the {self._role_name} may not start {action}")
        return feature

    def _frame(
        self, message_type: int, unique_id: str, feature: Feature[Any], request: Model
    ) -> str:
        """The frame of an outgoing message, validated; MessageNotEncodable when it cannot be
        encoded (ValidationError when it does not match its schema)."""
        try:
            return checked_frame([message_type, unique_id, feature.action], request)
        except ValidationError:
            raise
        except Exception as exc:
            raise MessageNotEncodable(
                f"{ocpp_name(feature.action)} cannot be encoded: {type(exc).__name__}: "
                f"{str(exc)[:120]}"
            ) from None

    async def _transmit(self, frame: str) -> None:
        if self.transport is None:
            raise RuntimeError("this dispatcher has no transport to send frames")
        await self.transport(frame)

    async def call(self, request: Any, *, timeout: float | None = None) -> Any:
        """Send a CALL and wait for its typed response; raises CallError or CallTimeout.

        The request is checked and encoded at once; it is sent when one of the
        ``max_calls_in_flight`` slots is free (calls wait in order), and ``timeout`` counts from
        then. The per-version ``Dispatcher`` types the response of each request.
        """
        feature = self._outgoing(request, "CALL")
        unique_id = self.new_id()
        if unique_id in self._pending or unique_id in self._waiting:
            raise ValueError(f"unique id {unique_id!r} is already waiting for its answer")
        frame = self._frame(CALL, unique_id, feature, request)
        self._waiting.add(unique_id)
        try:
            await self._slots.acquire()
        finally:
            self._waiting.discard(unique_id)
        try:
            return await self._call(unique_id, feature, frame, timeout)
        finally:
            self._slots.release()

    async def _call(
        self, unique_id: str, feature: Feature[Any], frame: str, timeout: float | None
    ) -> Model:
        future: asyncio.Future[Model] = asyncio.get_running_loop().create_future()
        self._pending[unique_id] = _Pending(feature, future)
        try:
            await self._transmit(frame)
            return await asyncio.wait_for(future, self.timeout if timeout is None else timeout)
        except asyncio.TimeoutError:
            action = ocpp_name(feature.action)
            raise CallTimeout(f"no answer to {action} ({unique_id})") from None
        finally:
            self._pending.pop(unique_id, None)

    def connection_lost(self, reason: str = "the connection closed") -> None:
        """The transport is gone: every call waiting for its answer, or for its turn, raises
        :class:`CallAbandoned` now (an answer that already arrived is kept). Incoming frames
        and later calls work as before (on the next connection)."""
        for pending in self._pending.values():
            if not pending.future.done():
                pending.future.set_exception(CallAbandoned(reason))
        self._slots.fail_waiters(lambda: CallAbandoned(reason))

    async def send(self, request: Any) -> None:
        """Send a SEND message (OCPP 2.1), which gets no answer (and takes no call slot)."""
        feature = self._outgoing(request, "SEND")
        await self._transmit(self._frame(SEND, self.new_id(), feature, request))


def _is_call(message_type: object, frame: list[Any]) -> bool:
    """Is this a well-formed CALL frame (message type, unique id, action, payload)?"""
    return (
        message_type == CALL
        and type(message_type) is int
        and len(frame) == 4
        and isinstance(frame[2], str)
    )


def _vendor_router(protocol: ProtocolSpec[Any], modules: Iterable[object]) -> VendorRouter | None:
    """The router of the given extension modules (None without extensions)."""
    extensions = [extension_of(module, protocol.version) for module in modules]
    if not extensions:
        return None
    return VendorRouter(extensions, with_extensions(protocol.features, extensions))
