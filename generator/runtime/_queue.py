"""Offline-safe sending for a charging station: transaction-related messages are kept while the
connection is down and sent, in order, when it is back.

OCPP asks a station to queue its transaction-related messages while it is offline and deliver
them in order once it is online again, and to send a message again when the CSMS fails to
process it, up to a number of attempts, waiting longer before each retry: 1.6
``TransactionMessageAttempts`` and ``TransactionMessageRetryInterval``; 2.0.1 and 2.1
``OCPPCommCtrlr.MessageAttempts`` and ``MessageAttemptInterval`` (instance
``TransactionEvent``). :class:`OfflineQueue` does that for one station's :class:`Dispatcher`,
keeping the messages in a :mod:`store <._message_store>` (in memory, or in a SQLite file that
survives a restart).

    queue = OfflineQueue(dispatcher, SqliteStore("queue.sqlite"), retry=RetryPolicy(3, 60))
    queue.online()                       # connected (and booted): start sending
    answer = await queue.submit(request)  # stored at once; the typed response once delivered
    queue.offline()                      # the connection is gone: keep everything
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ._dispatch import CallAbandoned, CallError, CallTimeout, Dispatcher, MessageNotEncodable
from ._message_store import MemoryStore, MessageStore, StoredMessage
from ._runtime import ValidationError

logger = logging.getLogger(f"{__name__.rpartition('.')[0]}.queue")

TRANSACTION_ACTIONS = frozenset({"StartTransaction", "StopTransaction", "TransactionEvent"})
"""The actions that are always transaction-related (1.6 and 2.x)."""

SETTINGS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "1.6": ("TransactionMessageAttempts", "TransactionMessageRetryInterval"),
        "2.0.1": ("OCPPCommCtrlr.MessageAttempts", "OCPPCommCtrlr.MessageAttemptInterval"),
        "2.1": ("OCPPCommCtrlr.MessageAttempts", "OCPPCommCtrlr.MessageAttemptInterval"),
    }
)
"""OCPP version -> the configuration key (1.6) or variable (2.x, instance ``TransactionEvent``)
of :attr:`RetryPolicy.attempts` and :attr:`RetryPolicy.interval`."""


def is_transaction_related(action: str, payload: Mapping[str, Any]) -> bool:
    """1.6 StartTransaction, StopTransaction and the MeterValues of a transaction (those with a
    ``transactionId``); 2.x TransactionEvent."""
    return action in TRANSACTION_ACTIONS or (action == "MeterValues" and "transactionId" in payload)


@dataclass(frozen=True)
class RetryPolicy:
    """How a message the other side failed to process is sent again (see :data:`SETTINGS`).

    ``attempts``: how many times a message is sent in all before it is dropped (the
    specification's ``TransactionMessageAttempts`` / ``MessageAttempts``). ``interval``: before
    the n-th resend the queue waits ``interval * n`` seconds (``TransactionMessageRetryInterval``
    / ``MessageAttemptInterval``). A failure is a CALLERROR, an answer that fails validation,
    or no answer within the dispatcher's timeout; a lost connection is none (the message waits
    for the next one and is sent again then, whatever the count).
    """

    attempts: int = 3
    interval: float = 60.0

    def __post_init__(self) -> None:
        if type(self.attempts) is not int or self.attempts < 1:
            raise ValueError(f"attempts must be an int of at least 1, not {self.attempts!r}")
        if isinstance(self.interval, bool) or not isinstance(self.interval, (int, float)):
            raise ValueError(f"interval must be a number of seconds, not {self.interval!r}")
        if not 0 <= self.interval < float("inf"):
            raise ValueError(f"interval must be 0 or more seconds, not {self.interval!r}")

    def pause(self, failures: int) -> float:
        """Seconds to wait before sending a message again after ``failures`` failed attempts."""
        return float(self.interval) * failures


class MessageDiscarded(Exception):
    """A queued message was given up: the other side failed to process it in every attempt
    (or, read back from a store, it no longer parses). ``failure`` is the last reason."""

    def __init__(self, message: StoredMessage, failure: BaseException) -> None:
        super().__init__(f"{message.action} #{message.id} given up: {_describe(failure)}")
        self.message = message
        self.failure = failure


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}".rstrip(": ")


def _retrieved(future: asyncio.Future[Any]) -> None:
    """Nobody need await a submitted message's future: mark its exception as seen."""
    if not future.cancelled():
        future.exception()


class OfflineQueue:
    """The outgoing queue of one station's transaction-related messages.

    :meth:`submit` stores a message at once and returns a future for its typed response; the
    queue sends the stored messages one at a time, oldest first, through ``dispatcher`` while
    it is :meth:`online`. When the connection is lost (:meth:`offline`) nothing is dropped:
    the message in flight and everything submitted meanwhile are sent when it is back. An
    answered message is removed from the store before the next one is sent, so it is never
    sent again. ``queued`` decides which messages belong here (default:
    :func:`is_transaction_related`); messages read back from a store after a restart have no
    future: their outcome is logged on the ``<package>.queue`` logger.
    """

    def __init__(
        self,
        dispatcher: Dispatcher[Any],
        store: MessageStore | None = None,
        *,
        retry: RetryPolicy | None = None,
        queued: Callable[[str, Mapping[str, Any]], bool] = is_transaction_related,
    ) -> None:
        self.dispatcher = dispatcher
        self.store: MessageStore = MemoryStore() if store is None else store
        self.retry = RetryPolicy() if retry is None else retry
        self._queued = queued
        version = dispatcher.protocol.version
        others = sorted({m.version for m in self.store.messages()} - {version})
        if others:
            raise ValueError(
                f"the store holds OCPP {', '.join(others)} messages; this dispatcher speaks "
                f"OCPP {version}"
            )
        self._futures: dict[int, asyncio.Future[Any]] = {}
        self._online = False
        self._closing = False
        self._wake = asyncio.Event()
        """Set on a submit, online, offline or close: the sender looks again."""
        self._progress = asyncio.Event()
        """Set whenever a message leaves the store."""
        self._sender: asyncio.Task[None] | None = None
        self._sending: StoredMessage | None = None

    @property
    def is_online(self) -> bool:
        return self._online

    def __len__(self) -> int:
        return len(self.store.messages())

    def keeps(self, request: Any) -> bool:
        """Does :meth:`submit` take ``request`` (a CALL this side may start)?"""
        feature = self.dispatcher._outgoing(request, "CALL")
        return self._queued(feature.action, request.to_dict())

    def submit(self, request: Any) -> asyncio.Future[Any]:
        """Store ``request`` (checked first, as ``call`` does) and send it when its turn comes;
        the future gets its typed response, or :class:`MessageDiscarded`. Raises ValueError
        for a message this queue does not keep (send it with ``dispatcher.call``)."""
        feature = self.dispatcher._outgoing(request, "CALL")
        request.validate()
        payload = request.to_dict()
        if not self._queued(feature.action, payload):
            raise ValueError(
                f"{feature.action} is not a message this queue keeps: send it with dispatcher.call"
            )
        try:
            text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        except Exception as exc:
            raise MessageNotEncodable(f"{feature.action} cannot be encoded: {exc}") from None
        message_id = self.store.append(self.dispatcher.protocol.version, feature.action, text)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        future.add_done_callback(_retrieved)
        self._futures[message_id] = future
        self._wake.set()
        return future

    def online(self) -> None:
        """The transport is up (and the station booted): send what is stored, in order."""
        if self._closing:
            raise RuntimeError("the queue is closed")
        self._online = True
        if self._sender is None or self._sender.done():
            self._sender = asyncio.get_running_loop().create_task(self._run())
            self._sender.add_done_callback(_report_crash)
        self._wake.set()

    def offline(self, reason: str = "the connection closed") -> None:
        """The transport is gone: the dispatcher's waiting calls fail at once
        (:meth:`Dispatcher.connection_lost`) and the queue keeps everything until
        :meth:`online`."""
        self._online = False
        self.dispatcher.connection_lost(reason)
        self._wake.set()

    async def drained(self) -> None:
        """Wait until every stored message is delivered or given up."""
        while self.store.first() is not None:
            self._progress.clear()
            await self._progress.wait()

    async def close(self) -> None:
        """Stop sending; what is not delivered stays in the store (for the next run, with a
        durable one). A message in flight is abandoned unless its answer already came."""
        self._closing = True
        if self._sending is not None:
            self.dispatcher.connection_lost("the outgoing queue is closing")
        self._wake.set()
        if self._sender is not None:
            await self._sender
        for future in self._futures.values():  # their messages stay stored
            future.cancel()
        self._futures.clear()
        self.store.close()

    async def _run(self) -> None:
        while not self._closing:
            message = self.store.first() if self._online else None
            if message is None:
                self._wake.clear()
                await self._wake.wait()
                continue
            self._sending = message
            try:
                await self._attempt(message)
            finally:
                self._sending = None

    async def _attempt(self, message: StoredMessage) -> None:
        """Send ``message`` once (after its pause, when it failed before)."""
        if message.failures and not await self._pause(self.retry.pause(message.failures)):
            return
        try:
            request = self._request(message)
        except (ValidationError, ValueError, KeyError) as exc:  # read back, it no longer fits
            self._give_up(message, exc)
            return
        try:
            response = await self.dispatcher.call(request)
        except CallAbandoned:
            return  # offline: kept as it is, sent again on the next connection
        except (CallError, CallTimeout, ValidationError) as failure:
            self._failed(message, failure)
            return
        except Exception as exc:  # the transport failed: offline until online() says otherwise
            logger.warning("%s #%d not sent: %s", message.action, message.id, _describe(exc))
            self._online = False
            return
        self._delivered(message, response)

    def _request(self, message: StoredMessage) -> Any:
        feature = self.dispatcher.protocol.features[message.action]
        request = feature.request.from_dict(json.loads(message.payload))
        self.dispatcher._outgoing(request, "CALL")
        return request

    async def _pause(self, seconds: float) -> bool:
        """Wait ``seconds``; False when the queue went offline or is closing meanwhile."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while self._online and not self._closing:
            left = deadline - loop.time()
            if left <= 0:
                return True
            self._wake.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), left)
        return False

    def _failed(self, message: StoredMessage, failure: BaseException) -> None:
        failures = self.store.failed(message.id)
        if failures >= self.retry.attempts:
            self._give_up(message, failure)
            return
        logger.warning(
            "%s #%d not processed (%s): attempt %d of %d, again in %gs",
            message.action,
            message.id,
            _describe(failure),
            failures,
            self.retry.attempts,
            self.retry.pause(failures),
        )

    def _give_up(self, message: StoredMessage, failure: BaseException) -> None:
        discarded = MessageDiscarded(message, failure)
        logger.warning("%s", discarded)
        self._forget(message)
        future = self._futures.pop(message.id, None)
        if future is not None and not future.done():
            future.set_exception(discarded)

    def _delivered(self, message: StoredMessage, response: Any) -> None:
        self._forget(message)
        future = self._futures.pop(message.id, None)
        if future is None:
            logger.info("%s #%d (queued earlier) delivered", message.action, message.id)
        elif not future.done():
            future.set_result(response)

    def _forget(self, message: StoredMessage) -> None:
        self.store.remove(message.id)
        self._progress.set()


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        error = task.exception()
        logger.error("the outgoing queue stopped", exc_info=error)
