"""The example CSMS on several processes: two real workers (``csms.py --redis URL``), a real
Redis, simulated stations, and calls between them.

Redis is Debian's ``redis-server`` (installed by ``make setup``), started once per test process
on 127.0.0.1 and a free port with persistence off; every test starts its own two workers with
fresh names. Every scenario is bounded (``asyncio.wait_for``); "at once" means well before the
calls' own timeouts (20 s here).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import signal
import sys
import uuid
from asyncio.subprocess import PIPE, STDOUT, Process
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
import websockets
from charging_station import Station
from cluster import Cluster
from csms import TAKEN_OVER, NotConnected
from ocpp_bindings import v16, v201
from ocpp_bindings.v201.dispatch import CallError, CallTimeout
from redis_server import RedisServer
from support import ROOT

pytestmark = pytest.mark.xdist_group("redis")  # one Redis per test process: keep them together

LIMIT = 40.0
"""Seconds one scenario may take."""
AT_ONCE = 4.0
"""Seconds within which a call that cannot be answered must fail."""
CALL_TIMEOUT = 20.0
"""The calls' own timeout in these tests (so failing "at once" is not a timeout)."""
EXPIRY = 2.0
"""The workers' ``--expiry``: a dead worker's stations are unknown after it."""
EXAMPLES = ROOT / "examples"
RESET = v201.ResetRequest(type=v201.ResetEnumType.Immediate)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    with RedisServer() as url:
        yield url


@pytest.fixture
def redis_url(redis_server: str) -> str:
    with redis.Redis.from_url(redis_server) as client:
        client.flushall()
    return redis_server


def _run(scenario: Callable[[], Awaitable[Any]]) -> Any:
    async def bounded() -> Any:
        return await asyncio.wait_for(scenario(), LIMIT)

    return asyncio.run(bounded())


async def _until(condition: Callable[[], Awaitable[bool]], seconds: float = AT_ONCE) -> None:
    """Poll ``condition`` until it holds (fails after ``seconds``)."""

    async def poll() -> None:
        while not await condition():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), seconds)


@dataclass
class Worker:
    """One ``csms.py --redis`` process."""

    name: str
    process: Process
    log: Path
    url: str = ""

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    async def wait_started(self) -> None:
        async def started() -> bool:
            assert self.process.returncode is None, self.text()
            return "stations shared through Redis" in self.text()

        await _until(started, 15)
        match = re.search(r"listening on (ws://127\.0\.0\.1:\d+)/", self.text())
        assert match is not None, self.text()
        self.url = match[1]

    async def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.returncode is None:
            self.process.send_signal(sig)
            try:
                await asyncio.wait_for(self.process.wait(), 10)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


@contextlib.asynccontextmanager
async def workers(redis_url: str, folder: Path, *names: str) -> AsyncIterator[list[Worker]]:
    """Workers with these names (suffixed to be unique), started; stopped afterwards."""
    started = []
    try:
        for name in names:
            unique = f"{name}-{uuid.uuid4().hex[:6]}"
            log = folder / f"{unique}.log"
            with log.open("wb") as out:
                process = await asyncio.create_subprocess_exec(
                    sys.executable, str(EXAMPLES / "csms.py"), "--port", "0",
                    "--redis", redis_url, "--worker", unique, "--expiry", str(EXPIRY),
                    cwd=ROOT, stdout=out, stderr=STDOUT,
                )  # fmt: skip
            started.append(Worker(unique, process, log))
        for worker in started:
            await worker.wait_started()
        yield started
    finally:
        for worker in started:
            await worker.stop()


@contextlib.asynccontextmanager
async def client(redis_url: str) -> AsyncIterator[Cluster]:
    """A cluster member that only calls (what the operator command uses)."""
    cluster = await Cluster.from_url(redis_url, f"test-{uuid.uuid4().hex[:8]}").start()
    try:
        yield cluster
    finally:
        await cluster.close()


def _holder(redis_url: str, station: str) -> str | None:
    """The worker Redis names for ``station`` (None: none)."""
    with redis.Redis.from_url(redis_url, decode_responses=True) as r:
        value = r.get(f"ocpp:station:{station}")
    return None if value is None else str(json.loads(value)[0])


async def _held_by(redis_url: str, station: str, worker: Worker | None) -> None:
    name = None if worker is None else worker.name

    async def held() -> bool:
        return _holder(redis_url, station) == name

    await _until(held, EXPIRY + AT_ONCE)


async def _frame(connection: Any) -> list[Any]:
    frame: list[Any] = json.loads(await asyncio.wait_for(connection.recv(), AT_ONCE))
    return frame


def _connect(worker: Worker, station: str, subprotocol: str = "ocpp2.0.1") -> Any:
    return websockets.connect(
        f"{worker.url}/{station}", subprotocols=[websockets.Subprotocol(subprotocol)]
    )


async def _unanswered_reset(
    me: Cluster, connection: Any, station: str, *, via: str
) -> asyncio.Task[Any]:
    """A Reset to ``station`` entering the cluster at ``via``, seen on the station's
    ``connection`` and left unanswered."""
    pending = asyncio.create_task(me.call(station, RESET, via=via, timeout=CALL_TIMEOUT))
    assert (await _frame(connection))[2] == "Reset"
    return pending


def _get_heartbeat_interval() -> v201.GetVariablesRequest:
    return v201.GetVariablesRequest(
        get_variable_data=[
            v201.GetVariableDataType(
                component=v201.ComponentType(name="OCPPCommCtrlr"),
                variable=v201.VariableType(name="HeartbeatInterval"),
            )
        ]
    )


def test_a_call_through_one_worker_reaches_a_station_on_the_other(
    redis_url: str, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with workers(redis_url, tmp_path, "a", "b") as (a, b), client(redis_url) as me:
            station = Station(f"{b.url}/SIM-1", "2.0.1")
            running = asyncio.create_task(station.run(charge=False, stay=LIMIT))
            await _held_by(redis_url, "SIM-1", b)
            answer = await asyncio.wait_for(
                me.call("SIM-1", _get_heartbeat_interval(), via=a.name), AT_ONCE
            )
            assert isinstance(answer, v201.GetVariablesResponse)
            assert answer.get_variable_result[0].attribute_value == "300"
            reset = await asyncio.wait_for(me.call("SIM-1", RESET, via=a.name), AT_ONCE)
            assert reset == v201.ResetResponse(status=v201.ResetStatusEnumType.Accepted)
            assert station.received.count("GetVariables") == 2  # the boot's own, and ours
            assert "Reset" in station.received

            # the other way round, in another version, and an error answer across the wire
            async with _connect(a, "OLD-16", "ocpp1.6") as old:
                await _held_by(redis_url, "OLD-16", a)
                call = asyncio.create_task(
                    me.call("OLD-16", v16.ClearCacheRequest(), via=b.name, timeout=CALL_TIMEOUT)
                )
                asked = await _frame(old)
                assert asked[2:] == ["ClearCache", {}]
                await old.send(json.dumps([4, asked[1], "NotSupported", "not here", {"n": 1}]))
                with pytest.raises(CallError) as refused:
                    await asyncio.wait_for(call, AT_ONCE)
                assert (refused.value.code, refused.value.details) == ("NotSupported", {"n": 1})
            running.cancel()

    _run(scenario)


def test_a_station_connected_nowhere_fails_at_once(redis_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with workers(redis_url, tmp_path, "a", "b") as (a, b), client(redis_url) as me:
            for via in (None, a.name):
                with pytest.raises(NotConnected, match="NOBODY is not connected to any worker"):
                    await asyncio.wait_for(
                        me.call("NOBODY", RESET, via=via, timeout=CALL_TIMEOUT), AT_ONCE
                    )
            # a station that was connected: its record goes with its connection
            async with _connect(b, "LEFT"):
                await _held_by(redis_url, "LEFT", b)
            await _held_by(redis_url, "LEFT", None)
            with pytest.raises(NotConnected, match="LEFT is not connected to any worker"):
                await asyncio.wait_for(
                    me.call("LEFT", RESET, via=a.name, timeout=CALL_TIMEOUT), AT_ONCE
                )

    _run(scenario)


def test_a_station_that_reconnects_to_another_worker_takes_over(
    redis_url: str, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with workers(redis_url, tmp_path, "a", "b") as (a, b), client(redis_url) as me:
            older = await _connect(a, "MOVER")
            await _held_by(redis_url, "MOVER", a)
            pending = await _unanswered_reset(me, older, "MOVER", via=b.name)

            async with _connect(b, "MOVER") as newer:
                with pytest.raises(NotConnected, match=f"MOVER did not answer Reset: {TAKEN_OVER}"):
                    await asyncio.wait_for(pending, AT_ONCE)
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await asyncio.wait_for(older.recv(), AT_ONCE)
                assert closed.value.rcvd is not None
                assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1008, TAKEN_OVER)
                assert _holder(redis_url, "MOVER") == b.name

                # calls through either worker now reach the newer connection
                for via in (a.name, b.name):
                    call = asyncio.create_task(me.call("MOVER", RESET, via=via))
                    asked = await _frame(newer)
                    await newer.send(json.dumps([3, asked[1], {"status": "Scheduled"}]))
                    answer = await asyncio.wait_for(call, AT_ONCE)
                    assert answer.status is v201.ResetStatusEnumType.Scheduled
            assert f"MOVER connected to worker {b.name}: closing its connection here" in a.text()

    _run(scenario)


def test_a_killed_workers_stations_fail_fast_then_become_unknown(
    redis_url: str, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with workers(redis_url, tmp_path, "a", "b") as (a, b), client(redis_url) as me:
            station = await _connect(b, "ORPHAN")
            await _held_by(redis_url, "ORPHAN", b)
            await asyncio.sleep(EXPIRY * 1.5)  # outlives one expiry: the record is renewed
            assert _holder(redis_url, "ORPHAN") == b.name
            pending = await _unanswered_reset(me, station, "ORPHAN", via=a.name)

            await b.stop(signal.SIGKILL)
            with pytest.raises(NotConnected, match=f"ORPHAN did not answer Reset: worker {b.name}"):
                await asyncio.wait_for(pending, AT_ONCE)
            assert _holder(redis_url, "ORPHAN") == b.name  # until its record expires...
            with pytest.raises(NotConnected, match=f"its worker {b.name} is gone"):
                await asyncio.wait_for(me.call("ORPHAN", RESET, via=a.name), AT_ONCE)
            await _held_by(redis_url, "ORPHAN", None)  # ...within the expiry
            with pytest.raises(NotConnected, match="ORPHAN is not connected to any worker"):
                await asyncio.wait_for(me.call("ORPHAN", RESET, via=a.name), AT_ONCE)
            await station.close()

    _run(scenario)


def test_no_call_waits_past_its_timeout(redis_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with workers(redis_url, tmp_path, "a", "b") as (a, b), client(redis_url) as me:
            async with _connect(b, "SILENT") as silent:
                await _held_by(redis_url, "SILENT", b)
                for via in (None, a.name):
                    call = asyncio.create_task(me.call("SILENT", RESET, via=via, timeout=1.0))
                    assert (await _frame(silent))[2] == "Reset"  # never answered
                    with pytest.raises(CallTimeout, match=r"no answer to .*Reset"):
                        await asyncio.wait_for(call, 1.0 + AT_ONCE)

            # a worker that stopped gracefully (SIGTERM) deleted its stations' records at once
            async with _connect(a, "STAYS"):
                await _held_by(redis_url, "STAYS", a)
                await a.stop()
                assert _holder(redis_url, "STAYS") is None

    _run(scenario)


# --- the operator command and the worker's command line ---------------------------------------


async def _command(*args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(EXAMPLES / "csms.py"), *args, cwd=ROOT, stdout=PIPE, stderr=PIPE
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), LIMIT / 2)
    finally:
        if process.returncode is None:  # timed out: leave no process behind
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def test_the_operator_command_prints_the_typed_response(redis_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with workers(redis_url, tmp_path, "a", "b") as (a, b):
            async with _connect(b, "CS-OP") as station:
                await _held_by(redis_url, "CS-OP", b)
                operator = ("call", "CS-OP", "Reset", '{"type": "OnIdle"}', "--redis", redis_url)
                command = asyncio.create_task(_command(*operator, "--via", a.name))
                asked = await asyncio.wait_for(station.recv(), LIMIT / 2)
                frame = json.loads(asked)
                assert frame[2:] == ["Reset", {"type": "OnIdle"}]
                await station.send(json.dumps([3, frame[1], {"status": "Accepted"}]))
                assert await command == (0, 'ResetResponse {"status":"Accepted"}\n', "")

                cases = [
                    (("NOBODY", "Reset", '{"type": "OnIdle"}'), 1,
                     "NOBODY is not connected to any worker"),
                    (("CS-OP", "Reset", '{"type": "Later"}'), 2,
                     "not a valid Reset request: type: 'Later' is not a valid ResetEnumType"),
                    (("CS-OP", "Reset", "{type"), 2, "not a valid Reset request"),
                    (("CS-OP", "Heartbeat", "{}"), 2,
                     "Heartbeat is not a call the CSMS sends in OCPP 2.0.1"),
                    (("CS-OP", "Rest", "{}"), 2, "'Rest' is not an OCPP 2.0.1 action"),
                ]  # fmt: skip
                for args, status, text in cases:
                    code, out, err = await _command("call", *args, "--redis", redis_url)
                    assert (code, out) == (status, ""), err
                    assert err.startswith("csms.py call: ") and text in err, err
                    assert err.count("\n") == 1, err
            code, _, err = await _command("call", "CS-OP", "Reset", "{}")
            assert code == 2 and "call needs --redis URL" in err

    _run(scenario)


def test_a_worker_says_in_one_line_when_redis_cannot_serve_it(
    redis_url: str, tmp_path: Path
) -> None:
    async def scenario() -> None:
        dead = "redis://127.0.0.1:1/0"
        code, _, err = await _command("--port", "0", "--redis", dead)
        assert code == 1 and err.startswith("csms.py: cannot reach Redis at 127.0.0.1:1/0: ")
        code, _, err = await _command("call", "X", "Reset", "{}", "--redis", dead)
        assert code == 1 and err.startswith("csms.py call: cannot reach Redis at 127.0.0.1:1")
        code, _, err = await _command("--port", "0", "--redis", "http://127.0.0.1")
        assert code == 2 and err.startswith("csms.py: ") and "redis://" in err
        async with workers(redis_url, tmp_path, "a") as (a,):
            code, _, err = await _command("--port", "0", "--redis", redis_url, "--worker", a.name)
            assert (code, err) == (
                1, f"csms.py: a worker named {a.name} is already listening on Redis\n"
            )  # fmt: skip

    _run(scenario)


def test_many_stations_connecting_and_leaving_at_once_keep_their_records_right(
    redis_url: str, tmp_path: Path
) -> None:
    """More stations at once than the worker has connections to Redis (a reconnect storm)."""
    count = 120
    ids = [f"CROWD-{i:03d}" for i in range(count)]

    async def recorded() -> list[str | None]:
        return [_holder(redis_url, station) for station in ids]

    async def scenario() -> None:
        async with workers(redis_url, tmp_path, "a") as (a,):
            crowd = await asyncio.gather(*(_connect(a, station) for station in ids))

            async def all_held() -> bool:
                return await recorded() == [a.name] * count

            await _until(all_held)
            await asyncio.gather(*(connection.close() for connection in crowd))

            async def none_held() -> bool:
                return await recorded() == [None] * count

            await _until(none_held, EXPIRY / 2)  # deleted, not left to expire
        assert "still recorded in Redis" not in a.text()
        assert "not recorded in Redis yet" not in a.text()

    _run(scenario)
