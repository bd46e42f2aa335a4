"""The example simulator's offline-safe sending over real loopback WebSockets: the CSMS goes
away mid-transaction, the simulator charges on with its messages queued, reconnects and
resends them in order; with a SQLite queue the messages survive a killed and restarted
simulator program. Every transaction message must reach the CSMS exactly once, in order (each
was answered before the next was sent, so none may come twice).

Real servers on 127.0.0.1 and a free port, stopped afterwards; bounded time.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sqlite3
import sys
from asyncio.subprocess import PIPE, STDOUT
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from charging_station import POWER_W, Station
from csms import Csms, Session
from ocpp_bindings import v16
from ocpp_bindings.v201.dispatch import MemoryStore
from support import ROOT
from websockets.asyncio.server import Server

LIMIT = 40.0
"""Seconds one scenario may take."""
SIMULATOR = ROOT / "examples" / "charging_station.py"


def _run(scenario: Callable[[], Awaitable[Any]]) -> Any:
    async def bounded() -> Any:
        return await asyncio.wait_for(scenario(), LIMIT)

    return asyncio.run(bounded())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RecordingCsms(Csms):
    """The example CSMS, noting every transaction message and status it handles, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[tuple[Any, ...]] = []
        """(action, what identifies the message, offline flag) in arrival order."""
        self.statuses: list[str] = []
        self.status_seen = asyncio.Event()

    def handlers(self, session: Session) -> object:
        handler: Any = super().handlers(session)
        for name, key in KEYS.items():
            original = getattr(handler, name, None)
            if original is not None:
                setattr(handler, name, self._recording(original, key))
        status = handler.on_status_notification

        def on_status_notification(request: Any, charging_station_id: str) -> Any:
            self.statuses.append(_status(request))
            self.status_seen.set()
            return status(request, charging_station_id)

        handler.on_status_notification = on_status_notification
        return handler

    def _recording(
        self, original: Callable[..., Any], key: Callable[[Any], tuple[Any, ...]]
    ) -> Callable[..., Any]:
        def record(request: Any, charging_station_id: str) -> Any:
            self.messages.append(key(request))
            return original(request, charging_station_id)

        return record

    async def status(self, wanted: str) -> None:
        while wanted not in self.statuses:
            self.status_seen.clear()
            await self.status_seen.wait()


def _status(request: Any) -> str:
    status = getattr(request, "connector_status", None) or request.status
    return str(status.value)


KEYS: dict[str, Callable[[Any], tuple[Any, ...]]] = {
    "on_transaction_event": lambda r: (r.event_type.value, r.seq_no, bool(r.offline)),
    "on_start_transaction": lambda r: ("Start", r.meter_start),
    "on_meter_values": lambda r: ("MeterValues", r.meter_value[0].sampled_value[0].value),
    "on_stop_transaction": lambda r: ("Stop", r.meter_stop),
}
"""Handler -> what identifies one transaction message of it."""
CHARGING = {"1.6": "Charging", "2.0.1": "Occupied", "2.1": "Occupied"}
"""The status a station reports once its StartTransaction / TransactionEvent Started is answered."""


@contextlib.asynccontextmanager
async def listening(csms: Csms, port: int) -> AsyncIterator[Server]:
    server = await csms.serve("127.0.0.1", port)
    try:
        yield server
    finally:
        server.close()
        await server.wait_closed()


def _expected(version: str, samples: int) -> list[tuple[Any, ...]]:
    """Every transaction message of one charging session, in order, each once."""
    if version == "1.6":
        energies = [1000.0 + POWER_W * 300 / 3600 * i for i in range(samples + 1)]
        meters = [("MeterValues", f"{energy:.0f}") for energy in energies[1:]]
        return [("Start", 1000), *meters, ("Stop", int(energies[-1]))]
    return [
        ("Started", 0),
        *[("Updated", seq) for seq in range(1, samples + 1)],
        ("Ended", samples + 1),
    ]


def _without_flags(messages: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [message[:2] for message in messages]


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_a_dropped_connection_mid_transaction_loses_and_repeats_nothing(version: str) -> None:
    port = free_port()
    csms = RecordingCsms()
    samples = 4

    async def scenario() -> tuple[Station, int]:
        station = Station(
            f"ws://127.0.0.1:{port}/CS-OFF",
            version,
            samples=samples,
            sample_seconds=0.15,
            store=MemoryStore(),
            reconnect_interval=0.1,
            offline_limit=20,
        )
        async with listening(csms, port):
            run = asyncio.create_task(station.run(stay=0))
            await csms.status(CHARGING[version])  # the start was answered
        queue = station.queue
        assert queue is not None
        while len(queue) < 2:  # the CSMS is gone: the station charges on, queueing
            assert not run.done()
            await asyncio.sleep(0.02)
        queued = len(queue)
        async with listening(csms, port):
            await run
        return station, queued

    station, queued = _run(scenario)
    assert _without_flags(csms.messages) == _expected(version, samples)
    if version != "1.6":  # 2.x: the events that happened offline say so
        assert [m[2] for m in csms.messages].count(True) >= queued
        assert csms.messages[0][2] is False
    assert station.sent.count("TransactionEvent" if version != "1.6" else "MeterValues") >= 4


async def _simulator(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, str(SIMULATOR), *args, cwd=ROOT, stdout=PIPE, stderr=STDOUT
    )


def _queued(path: Path) -> int:
    """Messages in a simulator's queue file (read beside the running program)."""
    if not path.exists():
        return 0
    with contextlib.closing(sqlite3.connect(path)) as db:
        try:
            return int(db.execute("SELECT COUNT(*) FROM ocpp_outgoing").fetchone()[0])
        except sqlite3.OperationalError:  # not created yet
            return 0


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_the_sqlite_queue_survives_a_killed_and_restarted_simulator(
    version: str, tmp_path: Path
) -> None:
    port = free_port()
    csms = RecordingCsms()
    queue = tmp_path / "queue.sqlite"
    url = f"ws://127.0.0.1:{port}/CS-RST"
    options = ["--version", version, "--queue", str(queue), "--reconnect-interval", "0.2"]

    async def scenario() -> tuple[int, int | None, str]:
        async with listening(csms, port):
            first = await _simulator(url, *options, "--offline-limit", "30")
            await csms.status(CHARGING[version])
        # the CSMS is gone: the simulator queues the rest of the session in the file
        while _queued(queue) < 4:
            assert first.returncode is None
            await asyncio.sleep(0.05)
        first.kill()  # no goodbye: whatever is in the file is what survives
        await first.wait()
        stored = _queued(queue)
        async with listening(csms, port):
            second = await _simulator(url, *options, "--no-charge", "--stay", "0")
            output, _ = await second.communicate()
        return stored, second.returncode, output.decode()

    stored, code, output = _run(scenario)
    assert code == 0, output
    assert stored == 4  # 1.6: three MeterValues and the Stop; 2.x: three Updated and the Ended
    assert _without_flags(csms.messages) == _expected(version, 3)
    assert _queued(queue) == 0
    assert output.count("(queued earlier) delivered") == 4, output


def test_a_queue_of_another_version_or_no_queue_file_is_one_line_exit_2(tmp_path: Path) -> None:
    store = tmp_path / "queue.sqlite"
    from ocpp_bindings.v201.dispatch import SqliteStore

    older = SqliteStore(store)
    older.append("1.6", "StopTransaction", v16.StopTransactionRequest.__name__)
    older.close()
    text = tmp_path / "notes.txt"
    text.write_text("just some notes, not a database at all, long enough for a header " * 10)

    async def scenario() -> list[tuple[int | None, list[str]]]:
        results = []
        for path in (store, text):
            process = await _simulator("ws://127.0.0.1:1/CS-1", "--queue", str(path))
            output, _ = await process.communicate()
            results.append((process.returncode, output.decode().splitlines()))
        return results

    (version_code, version_lines), (file_code, file_lines) = _run(scenario)
    assert (version_code, len(version_lines)) == (2, 1), version_lines
    assert version_lines[0] == (
        "charging_station.py: the store holds OCPP 1.6 messages; this dispatcher speaks OCPP 2.0.1"
    )
    assert (file_code, len(file_lines)) == (2, 1), file_lines
    assert file_lines[0].startswith(f"charging_station.py: {text}: not a message store: ")
