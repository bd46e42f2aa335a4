"""The example CSMS on several processes: stations recorded in Redis, calls routed between workers.

Every worker (``python examples/csms.py --redis URL``) records each station it holds under
``ocpp:station:<id>`` (its name, the connection, the subprotocol) with an expiry it renews
while the connection lives, and deletes the key when the connection ends. Every worker, and
the operator command ``csms.py call``, listens on its own channel ``ocpp:worker:<name>``: a
call for a station held elsewhere goes to the holder's channel, its answer (the typed
response, or CallError / CallTimeout / NotConnected) comes back on the caller's.

A station that connects to another worker takes over: the new holder tells the old one, which
closes its connection (1008) and fails the calls pending on it at once. A worker that dies
stops listening at once, so calls to its stations fail fast (nobody receives them), and its
keys expire within ``expiry`` seconds.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import sys
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass
from enum import Enum
from typing import Any, TextIO
from urllib.parse import urlsplit, urlunsplit

from csms import (
    DISPATCH,
    SUBPROTOCOLS,
    TAKEN_OVER,
    Csms,
    NotConnected,
    Session,
    one_line,
)
from ocpp_bindings import ValidationError
from ocpp_bindings._registry import Feature
from ocpp_bindings.v201.dispatch import ActionNotAllowed, CallError, CallTimeout
from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import RedisError
from websockets.frames import CloseCode

log = logging.getLogger("csms.cluster")
PREFIX = "ocpp"
"""Of every key and channel: ``ocpp:station:<id>``, ``ocpp:worker:<name>``."""
EXPIRY = 15.0
"""Seconds a worker's record of a station outlives the worker (renewed every third of it)."""
DEFAULT_TIMEOUT = 30.0
"""Seconds a call waits for the station's answer (the dispatcher's default)."""
MARGIN = 2.0
"""Seconds a caller allows each trip through Redis beyond the call's own timeout."""
LIVENESS = 1.0
"""Seconds between checks, while a call waits, that the worker asked still listens."""
RENEW_BATCH = 500
"""Stations renewed per Lua script run."""
CONNECTIONS = 32
"""Connections to Redis per worker (one of them listens)."""
POOL_WAIT = 20.0
"""Seconds a Redis command may wait for a free connection."""

_RENEW = """
local results = {}
local expiry = ARGV[#ARGV]
for i, key in ipairs(KEYS) do
  local held = redis.call('GET', key)
  if held == ARGV[i] then
    redis.call('PEXPIRE', key, expiry)
    results[i] = 1
  elseif not held then
    redis.call('SET', key, ARGV[i], 'PX', expiry)
    results[i] = 2
  else
    results[i] = 0
  end
end
return results
"""
"""Per key: 1 renewed; 2 recorded again (it had expired); 0 held by another connection now."""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
"""Delete a station's key if it still names this connection."""


class ClusterError(ConnectionError):
    """Redis cannot be reached, or a worker failed to handle a call."""


@dataclass(frozen=True)
class Claim:
    """Who holds a station: the worker, which of its connections, and the OCPP subprotocol."""

    worker: str
    connection: str
    subprotocol: str

    def dump(self) -> str:
        return json.dumps([self.worker, self.connection, self.subprotocol])

    @classmethod
    def load(cls, text: object) -> Claim | None:
        """The claim stored as ``text`` (None for no key, or one this module did not write)."""
        if not isinstance(text, str):
            return None
        try:
            worker, connection, subprotocol = json.loads(text)
        except (ValueError, TypeError):
            return None
        if subprotocol not in SUBPROTOCOLS:
            return None
        return cls(str(worker), str(connection), subprotocol)


def csms_feature(subprotocol: str, action: str) -> Feature[Any]:
    """The feature of a CSMS-initiated ``action`` in a subprotocol's version; ValueError
    says why there is none."""
    protocol = DISPATCH[SUBPROTOCOLS[subprotocol]].PROTOCOL
    feature: Feature[Any] | None = protocol.features.get(action)
    if feature is None:
        raise ValueError(f"{action!r} is not an OCPP {protocol.version} action")
    if protocol.central_role not in feature.initiated_by or feature.kind != "CALL":
        raise ValueError(f"{action} is not a call the CSMS sends in OCPP {protocol.version}")
    return feature


def _outgoing() -> dict[type, tuple[str, Feature[Any]]]:
    """Request class -> (subprotocol, feature), for every call a CSMS sends."""
    table: dict[type, tuple[str, Feature[Any]]] = {}
    for subprotocol, version in SUBPROTOCOLS.items():
        protocol = DISPATCH[version].PROTOCOL
        for feature in protocol.features.values():
            if protocol.central_role in feature.initiated_by and feature.kind == "CALL":
                table[feature.request] = (subprotocol, feature)
    return table


OUTGOING = _outgoing()


def _name(action: str) -> str:
    """An action's name (the registries' ``Action`` members are ``str`` enums)."""
    return str(action.value) if isinstance(action, Enum) else action


def redacted(url: str) -> str:
    """A Redis URL without its password, for logs and messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _failure(error: BaseException) -> dict[str, Any]:
    """The answer that carries ``error`` back to the caller."""
    if isinstance(error, CallError):
        return {"outcome": "call_error", "code": error.code,
                "description": error.description, "details": error.details}  # fmt: skip
    if isinstance(error, CallTimeout):
        return {"outcome": "timeout", "message": str(error)}
    if isinstance(error, NotConnected):
        return {"outcome": "not_connected", "message": str(error)}
    if isinstance(error, ValueError):  # ValidationError, ActionNotAllowed, an unknown action
        return {"outcome": "refused", "message": str(error)}
    return {"outcome": "error", "message": one_line(error)}


def _raise(answer: dict[str, Any]) -> Exception:
    """The exception of an answer that is not a result (the inverse of ``_failure``)."""
    outcome, message = answer.get("outcome"), str(answer.get("message", ""))
    if outcome == "call_error":
        return CallError(
            str(answer.get("code")), str(answer.get("description", "")), answer.get("details")
        )
    if outcome == "timeout":
        return CallTimeout(message)
    if outcome == "not_connected":
        return NotConnected(message)
    if outcome == "refused":
        return ActionNotAllowed(message)
    return ClusterError(f"the worker failed: {message or outcome}")


class Cluster:
    """A worker's (or a client's) view of the cluster in Redis: the ``Router`` of a ``Csms``.

    ``await Cluster.from_url(url).start(csms)`` makes ``csms`` a worker: its stations are
    recorded and reachable from the others, and ``csms.call`` reaches theirs. ``start()``
    without a CSMS makes a client that only calls (the operator command).
    """

    def __init__(
        self, redis: Redis, name: str | None = None, *, prefix: str = PREFIX, expiry: float = EXPIRY
    ) -> None:
        self.redis = redis
        self.name = name or f"{socket.gethostname()}-{os.getpid()}"
        if not self.name.isprintable() or " " in self.name:
            raise ValueError(f"worker name {self.name!r} has spaces or control characters")
        if expiry <= 0:
            raise ValueError(f"expiry must be positive, not {expiry}")
        self.prefix = prefix
        self.expiry = expiry
        self.csms: Csms | None = None
        self._held: dict[str, tuple[Session, Claim]] = {}
        """Station id -> its session here and the claim recorded for it."""
        self._waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}
        """Call id -> the answer it waits for."""
        self._pubsub = redis.pubsub()
        self._renew = redis.register_script(_RENEW)
        self._release = redis.register_script(_RELEASE)
        self._loops: list[asyncio.Task[None]] = []
        self._tasks: set[asyncio.Task[None]] = set()

    @classmethod
    def from_url(cls, url: str, name: str | None = None, **options: Any) -> Cluster:
        """A cluster view on the Redis at ``url`` (``redis://host:port/db``; ValueError for a
        URL redis-py cannot use). At most ``CONNECTIONS`` connections to Redis: when many
        stations connect or leave at once, their records wait for a free one."""
        pool = BlockingConnectionPool.from_url(
            url, decode_responses=True, max_connections=CONNECTIONS, timeout=POOL_WAIT
        )
        return cls(Redis.from_pool(pool), name, **options)

    @property
    def where(self) -> str:
        """The Redis server's address (``host:port/db``; no password)."""
        options = self.redis.connection_pool.connection_kwargs
        if "path" in options:
            return f"unix:{options['path']}"
        return f"{options.get('host')}:{options.get('port')}/{options.get('db', 0)}"

    def key(self, station: str) -> str:
        return f"{self.prefix}:station:{station}"

    def channel(self, worker: str) -> str:
        return f"{self.prefix}:worker:{worker}"

    # --- life cycle ----------------------------------------------------------------------------

    async def start(self, csms: Csms | None = None) -> Cluster:
        """Listen on this worker's channel; with ``csms``, route its calls and keep its
        stations' records. ClusterError when Redis cannot be reached or the name is taken."""
        try:
            await self.redis.ping()
            taken = await self._listeners(self.name)
            await self._pubsub.subscribe(self.channel(self.name))
        except RedisError as exc:
            raise ClusterError(f"cannot reach Redis at {self.where}: {one_line(exc)}") from None
        if taken:
            await self._pubsub.aclose()  # type: ignore[no-untyped-call]
            raise ClusterError(f"a worker named {self.name} is already listening on Redis")
        loop = asyncio.get_running_loop()
        self._loops.append(loop.create_task(self._listen()))
        if csms is not None:
            self.csms = csms
            csms.router = self
            self._loops.append(loop.create_task(self._keep_claims()))
        return self

    async def close(self) -> None:
        """Stop listening and forget the stations still held here (their keys are deleted)."""
        for task in self._loops:
            task.cancel()
        await asyncio.gather(*self._loops, return_exceptions=True)
        for session, _ in list(self._held.values()):
            await self.release(session)
        for future in self._waiting.values():
            future.cancel()
        try:
            await self._pubsub.aclose()  # type: ignore[no-untyped-call]
        finally:
            await self.redis.aclose()

    # --- the stations held here ----------------------------------------------------------------

    async def claim(self, session: Session) -> None:
        """Record ``session`` as its station's connection; tell the worker that held the
        station before (if another) to close its connection."""
        station = session.station
        claim = Claim(self.name, uuid.uuid4().hex, session.connection.subprotocol or "")
        self._held[station] = (session, claim)
        try:
            previous = await self.redis.set(
                self.key(station), claim.dump(), px=self._expiry_ms, get=True
            )
            before = Claim.load(previous)
            if before is not None and before.worker != self.name:
                log.info("%s was on worker %s: it closes that connection", station, before.worker)
                notice = {"type": "release", "station": station, "claim": previous,
                          "worker": self.name}  # fmt: skip
                await self.redis.publish(self.channel(before.worker), json.dumps(notice))
        except RedisError as exc:
            log.warning("%s not recorded in Redis yet: %s", station, one_line(exc))

    async def release(self, session: Session) -> None:
        """``session``'s connection ended: delete its record unless a newer one replaced it."""
        held = self._held.get(session.station)
        if held is None or held[0] is not session:
            return
        del self._held[session.station]
        try:
            await self._release(keys=[self.key(session.station)], args=[held[1].dump()])
        except RedisError as exc:
            log.warning("%s still recorded in Redis (%s): it expires", session.station, exc)

    async def renew(self) -> None:
        """Renew the records of the stations held here; a station another worker now holds
        loses its connection here (in case its takeover notice was missed)."""
        held = list(self._held.items())
        for start in range(0, len(held), RENEW_BATCH):
            batch = held[start : start + RENEW_BATCH]
            keys = [self.key(station) for station, _ in batch]
            claims = [claim.dump() for _, (_, claim) in batch]
            results = await self._renew(keys=keys, args=[*claims, self._expiry_ms])
            for (station, entry), result in zip(batch, results, strict=True):
                if result == 0 and self._held.get(station) is entry:
                    self._lose(station, "another worker")
                elif result == 2:
                    log.info("%s recorded in Redis again (its record had expired)", station)

    @property
    def _expiry_ms(self) -> int:
        return max(1, round(self.expiry * 1000))

    async def _keep_claims(self) -> None:
        failing = False
        while True:
            await asyncio.sleep(self.expiry / 3)
            try:
                await self.renew()
            except RedisError as exc:
                if not failing:
                    log.warning("cannot renew the stations' records in Redis: %s", one_line(exc))
                failing = True
            else:
                if failing:
                    log.info("the stations' records in Redis are renewed again")
                failing = False

    def _lose(self, station: str, holder: str) -> None:
        """Another worker took ``station`` over: close its connection here."""
        session, _ = self._held.pop(station)
        log.warning("%s connected to %s: closing its connection here", station, holder)
        if self.csms is not None:
            self.csms.sessions.release(session)
        session.end(TAKEN_OVER, (CloseCode.POLICY_VIOLATION, TAKEN_OVER))

    # --- calls ---------------------------------------------------------------------------------

    async def holder(self, station: str) -> Claim | None:
        """Who holds ``station`` now, per Redis (None: no worker)."""
        try:
            return Claim.load(await self.redis.get(self.key(station)))
        except RedisError as exc:
            raise ClusterError(f"cannot reach Redis at {self.where}: {one_line(exc)}") from None

    async def call(
        self, station: str, request: Any, *, timeout: float | None = None, via: str | None = None
    ) -> Any:
        """Send a CSMS-initiated request to ``station`` on the worker that holds it (with
        ``via``: ask that worker to send it, from wherever the station is); its typed response.

        Raises NotConnected at once when no worker holds the station or its worker is gone,
        and when its connection ends before it answers; CallError when it answers with one;
        CallTimeout after ``timeout`` seconds (30 by default) plus the trips through Redis.
        """
        entry = OUTGOING.get(type(request))
        if entry is None:
            raise ActionNotAllowed(f"{type(request).__name__} is not a request a CSMS sends")
        subprotocol, feature = entry
        request.validate()
        timeout = DEFAULT_TIMEOUT if timeout is None else timeout
        if via is None:
            claim = await self.holder(station)
            if claim is None:
                raise NotConnected(f"{station} is not connected to any worker")
            if claim.worker == self.name:  # its connection here has just ended
                raise NotConnected(f"{station} is not connected")
            worker, route, wait = claim.worker, False, timeout + MARGIN
        else:
            worker, route, wait = via, True, timeout + 2 * MARGIN
        action = _name(feature.action)
        message = {"type": "call", "station": station, "subprotocol": subprotocol,
                   "action": action, "payload": request.to_dict(), "timeout": timeout,
                   "route": route}  # fmt: skip
        answer = await self._ask(worker, message, wait)
        if answer.get("outcome") != "result":
            raise _raise(answer)
        assert feature.response is not None
        return feature.response.from_dict(answer.get("payload"))

    async def _ask(self, worker: str, message: dict[str, Any], wait: float) -> dict[str, Any]:
        """Publish a call on ``worker``'s channel and wait up to ``wait`` s for its answer."""
        station, action = message["station"], message["action"]
        loop = asyncio.get_running_loop()
        call_id = uuid.uuid4().hex
        future: asyncio.Future[dict[str, Any]] = loop.create_future()
        self._waiting[call_id] = future
        try:
            text = json.dumps({**message, "id": call_id, "reply_to": self.name})
            if not await self.redis.publish(self.channel(worker), text):
                if message["route"]:
                    raise ClusterError(f"no worker named {worker} listens on Redis")
                raise NotConnected(f"{station} is not connected: its worker {worker} is gone")
            deadline = loop.time() + wait
            while not future.done():
                left = deadline - loop.time()
                if left <= 0:
                    raise CallTimeout(f"no answer to {action} for {station} from worker {worker}")
                await asyncio.wait((future,), timeout=min(left, LIVENESS))
                if not future.done() and not await self._listeners(worker):
                    raise NotConnected(
                        f"{station} did not answer {action}: worker {worker} is gone"
                    )
            return future.result()
        except RedisError as exc:
            raise ClusterError(f"cannot reach Redis at {self.where}: {one_line(exc)}") from None
        finally:
            self._waiting.pop(call_id, None)

    async def _listeners(self, worker: str) -> int:
        channel = self.channel(worker)
        counts = dict(await self.redis.pubsub_numsub(channel))
        return int(counts.get(channel, 0))

    # --- what arrives on this worker's channel -------------------------------------------------

    async def _listen(self) -> None:
        failing = False
        while True:
            try:
                message = await self._pubsub.get_message(
                    ignore_subscribe_messages=True, timeout=LIVENESS
                )
            except RedisError as exc:
                if not failing:
                    log.warning("Redis: %s; listening again in 1 s", one_line(exc))
                failing = True
                await asyncio.sleep(1.0)
                continue
            if failing:
                log.info("Redis: listening again")
                failing = False
            if message is not None:
                self._receive(message.get("data"))

    def _receive(self, data: object) -> None:
        try:
            message = json.loads(data) if isinstance(data, str) else None
        except ValueError:
            message = None
        kind = message.get("type") if isinstance(message, dict) else None
        if not isinstance(message, dict) or kind not in ("answer", "call", "release"):
            log.warning("dropped a message on %s that is not ours", self.channel(self.name))
            return
        if kind == "answer":
            future = self._waiting.get(str(message.get("id")))
            if future is not None and not future.done():
                future.set_result(message)
        elif kind == "release":
            held = self._held.get(str(message.get("station")))
            if held is not None and held[1].dump() == message.get("claim"):
                self._lose(held[0].station, f"worker {message.get('worker')}")
        else:
            self._later(self._answer(message))

    async def _answer(self, message: dict[str, Any]) -> None:
        """Handle a call from another worker (or the operator command); publish the answer."""
        reply_to, call_id = message.get("reply_to"), message.get("id")
        if not isinstance(reply_to, str) or not isinstance(call_id, str):
            log.warning("dropped a call without a reply channel or id")
            return
        answer: dict[str, Any] = {"type": "answer", "id": call_id}
        try:
            response = await self._handle_call(message)
        except Exception as error:
            if not isinstance(error, (CallError, CallTimeout, NotConnected, ValueError)):
                log.exception("a call from %s failed", reply_to)
            answer.update(_failure(error))
        else:
            answer.update(outcome="result", payload=response.to_dict())
        try:
            await self.redis.publish(self.channel(reply_to), json.dumps(answer))
        except RedisError as exc:
            log.warning("cannot answer %s: %s", reply_to, one_line(exc))

    async def _handle_call(self, message: dict[str, Any]) -> Any:
        station, subprotocol = str(message.get("station")), str(message.get("subprotocol"))
        if subprotocol not in SUBPROTOCOLS:
            raise ValueError(f"unknown subprotocol {subprotocol!r}")
        feature = csms_feature(subprotocol, str(message.get("action")))
        request = feature.request.from_dict(message.get("payload"))
        timeout = message.get("timeout")
        timeout = float(timeout) if isinstance(timeout, (int, float)) else DEFAULT_TIMEOUT
        if self.csms is None:
            raise ValueError(f"{self.name} is no CSMS worker")
        if message.get("route") is True:
            return await self.csms.call(station, request, timeout=timeout)
        session = self.csms.sessions.get(station)
        if session is None:
            raise NotConnected(f"{station} is not connected to worker {self.name}")
        return await session.call(request, timeout=timeout)

    def _later(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


# --- the operator command: python examples/csms.py call STATION ACTION 'JSON' --redis URL -------


async def operator_call(
    url: str,
    station: str,
    action: str,
    payload: str,
    *,
    via: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    out: TextIO | None = None,
) -> int:
    """Send one CSMS-initiated call through the cluster; print ``<Response class> <JSON>``.
    Exit status: 0 answered, 1 not delivered or not answered (one line on stderr), 2 bad input."""

    def fail(status: int, text: str) -> int:
        print(f"csms.py call: {text}", file=sys.stderr)
        return status

    try:
        cluster = Cluster.from_url(url, f"call-{uuid.uuid4().hex[:12]}")
    except ValueError as exc:
        return fail(2, f"--redis {redacted(url)}: {exc}")
    try:
        await cluster.start()
        claim = await cluster.holder(station)
        if claim is None:
            return fail(1, f"{station} is not connected to any worker")
        try:
            feature = csms_feature(claim.subprotocol, action)
            request = feature.request.from_json(payload)
        except ValidationError as exc:
            return fail(2, f"not a valid {action} request: {exc}")
        except ValueError as exc:
            return fail(2, f"{exc} ({station} speaks {claim.subprotocol})")
        response = await cluster.call(station, request, via=via, timeout=timeout)
    except CallError as exc:
        return fail(1, f"{station} answered {action} with an error: {exc}")
    except CallTimeout as exc:
        return fail(1, f"{station} did not answer {action} in time: {exc}")
    except (NotConnected, ClusterError, ActionNotAllowed) as exc:
        return fail(1, str(exc))
    finally:
        await cluster.close()
    print(type(response).__name__, response.to_json(), file=out or sys.stdout)
    return 0
