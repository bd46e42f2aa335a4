"""The offline queue: transaction-related messages survive a lost connection (and, in SQLite, a
restart), go out in order, are retried as the specification's settings say, and an answered
one is never sent again.

A station dispatcher and a CSMS dispatcher talk over a ``Link`` that the tests cut and mend;
every scenario runs under ``asyncio.wait_for``. The end-to-end runs of the example simulator
(a real CSMS, a dropped connection, a killed and restarted program) are in
``tests/test_simulator_offline.py``.
"""

from __future__ import annotations

import asyncio
import importlib
import itertools
import json
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from flavours import bindings

LIMIT = 10.0
"""Seconds one scenario may take."""
WHEN = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)


def _run(scenario: Callable[[], Awaitable[Any]]) -> Any:
    async def bounded() -> Any:
        return await asyncio.wait_for(scenario(), LIMIT)

    return asyncio.run(bounded())


def _package(flavour: str) -> str:
    return bindings(flavour)


@pytest.fixture(params=["dataclasses", "pydantic", "msgspec"])
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _modules(flavour: str, version: str = "v201") -> tuple[ModuleType, ModuleType]:
    """The version's bindings and its ``dispatch`` module in ``flavour``."""
    package = f"{_package(flavour)}.{version}"
    return importlib.import_module(package), importlib.import_module(f"{package}.dispatch")


class Csms:
    """The central system's handlers: records what arrives; may fail or hold answers."""

    def __init__(self, v: ModuleType) -> None:
        self.v = v
        self.events: list[tuple[str, int]] = []
        """(event type, seqNo) of every TransactionEvent handled, in order."""
        self.failures = 0
        """How many of the next TransactionEvents to answer with InternalError."""
        self.hold: asyncio.Event | None = None
        """While set to an unset event, TransactionEvents wait for it before answering."""

    async def on_transaction_event(self, request: Any, charging_station_id: str) -> Any:
        self.events.append((request.event_type.value, request.seq_no))
        if self.hold is not None:
            await self.hold.wait()
        if self.failures:
            self.failures -= 1
            raise RuntimeError("the database is down")
        return self.v.TransactionEventResponse()

    def on_heartbeat(self, request: Any, charging_station_id: str) -> Any:
        return self.v.HeartbeatResponse(current_time=WHEN)


class Link:
    """The wire between a station dispatcher and a CSMS dispatcher, which the test cuts."""

    def __init__(self, dispatch: ModuleType, csms: Csms, **station_options: Any) -> None:
        self.up = True
        self.sent: list[list[Any]] = []
        """Every frame the station got onto the wire."""
        self.csms = dispatch.Dispatcher(dispatch.Role.CSMS, [csms])
        self.station = dispatch.Dispatcher(
            dispatch.Role.ChargingStation, transport=self.transport, **station_options
        )
        self._tasks: set[asyncio.Task[None]] = set()

    async def transport(self, text: str) -> None:
        if not self.up:
            raise ConnectionError("the link is down")
        self.sent.append(json.loads(text))
        task = asyncio.get_running_loop().create_task(self._deliver(text))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, text: str) -> None:
        reply = await self.csms.handle_frame(text, charging_station_id="CS-1")
        if reply is not None and self.up:  # an answer on a cut link is lost
            await self.station.handle_frame(reply)

    def cut(self, queue: Any) -> None:
        self.up = False
        queue.offline("the link was cut")

    def mend(self, queue: Any) -> None:
        self.up = True
        queue.online()

    def actions(self) -> list[str]:
        return [frame[2] for frame in self.sent if frame[0] == 2]


def event(v: ModuleType, kind: str, seq_no: int, transaction: str = "T-1") -> Any:
    return v.TransactionEventRequest(
        event_type=v.TransactionEventEnumType(kind),
        timestamp=WHEN,
        trigger_reason=v.TriggerReasonEnumType.MeterValuePeriodic,
        seq_no=seq_no,
        transaction_info=v.TransactionType(transaction_id=transaction),
    )


async def _until(condition: Callable[[], object]) -> None:
    while not condition():
        await asyncio.sleep(0.005)


def test_a_dropped_connection_keeps_the_messages_and_resends_them_in_order(flavour: str) -> None:
    v, dispatch = _modules(flavour)

    async def scenario() -> None:
        csms = Csms(v)
        link = Link(dispatch, csms)
        queue = dispatch.OfflineQueue(link.station)
        queue.online()
        assert isinstance(await queue.submit(event(v, "Started", 0)), v.TransactionEventResponse)
        csms.hold = asyncio.Event()
        in_flight = queue.submit(event(v, "Updated", 1))
        await _until(lambda: len(csms.events) == 2)  # Updated 1 reached the CSMS ...
        link.cut(queue)  # ... and the link broke before its answer came back
        csms.hold.set()
        offline = [queue.submit(event(v, "Updated", seq)) for seq in (2, 3)]
        offline.append(queue.submit(event(v, "Ended", 4)))
        await asyncio.sleep(0.05)
        assert not in_flight.done() and len(queue) == 4
        assert link.actions() == ["TransactionEvent"] * 2  # nothing sent while offline
        link.mend(queue)
        answers = await asyncio.gather(in_flight, *offline)
        assert all(isinstance(answer, v.TransactionEventResponse) for answer in answers)
        started = ("Started", 0)
        updates = [("Updated", 1), ("Updated", 1), ("Updated", 2), ("Updated", 3)]
        assert csms.events == [started, *updates, ("Ended", 4)]
        assert len(queue) == 0

    _run(scenario)


def test_an_answered_message_is_never_sent_again(flavour: str) -> None:
    v, dispatch = _modules(flavour)

    async def scenario() -> None:
        csms = Csms(v)
        link = Link(dispatch, csms)
        queue = dispatch.OfflineQueue(link.station)
        queue.online()
        await queue.submit(event(v, "Started", 0))
        await queue.submit(event(v, "Updated", 1))
        for round_trip in range(3):  # cut and mend, with and without new messages
            link.cut(queue)
            link.mend(queue)
            if round_trip == 1:
                await queue.submit(event(v, "Updated", 2))
        await queue.submit(event(v, "Ended", 3))
        assert csms.events == [("Started", 0), ("Updated", 1), ("Updated", 2), ("Ended", 3)]
        assert link.actions().count("TransactionEvent") == 4

    _run(scenario)


def test_a_message_the_csms_fails_to_process_is_retried_with_growing_pauses() -> None:
    v, dispatch = _modules("dataclasses")

    async def scenario() -> list[float]:
        csms = Csms(v)
        csms.failures = 2
        link = Link(dispatch, csms)
        retry = dispatch.RetryPolicy(attempts=3, interval=0.1)
        queue = dispatch.OfflineQueue(link.station, retry=retry)
        queue.online()
        loop = asyncio.get_running_loop()
        times: list[float] = []
        original = link.transport

        async def timed(text: str) -> None:
            times.append(loop.time())
            await original(text)

        link.station.transport = timed
        answer = await queue.submit(event(v, "Ended", 5))
        assert isinstance(answer, v.TransactionEventResponse)
        assert csms.events == [("Ended", 5)] * 3
        return [later - earlier for earlier, later in itertools.pairwise(times)]

    pauses = _run(scenario)
    assert pauses[0] >= 0.1 and pauses[1] >= 0.2  # interval x preceding failures


def test_after_the_last_attempt_the_message_is_dropped_and_the_next_one_goes() -> None:
    v, dispatch = _modules("dataclasses")

    async def scenario() -> None:
        csms = Csms(v)
        csms.failures = 2
        link = Link(dispatch, csms)
        queue = dispatch.OfflineQueue(link.station, retry=dispatch.RetryPolicy(2, 0.01))
        queue.online()
        doomed = queue.submit(event(v, "Updated", 1))
        after = queue.submit(event(v, "Ended", 2))
        with pytest.raises(dispatch.MessageDiscarded, match=r"TransactionEvent #1 given up"):
            await doomed
        assert isinstance(await after, v.TransactionEventResponse)
        assert csms.events == [("Updated", 1), ("Updated", 1), ("Ended", 2)]

    _run(scenario)


def test_no_answer_in_time_is_a_failed_attempt_a_lost_connection_is_not() -> None:
    v, dispatch = _modules("dataclasses")

    async def scenario() -> None:
        csms = Csms(v)
        csms.hold = asyncio.Event()
        link = Link(dispatch, csms, timeout=0.2)
        store = dispatch.MemoryStore()
        queue = dispatch.OfflineQueue(link.station, store, retry=dispatch.RetryPolicy(5, 0))
        queue.online()
        answer = queue.submit(event(v, "Updated", 1))
        await _until(lambda: store.messages()[0].failures == 2)  # two timeouts
        await _until(lambda: len(csms.events) == 3)  # the third attempt is on its way ...
        link.cut(queue)  # ... when the link breaks
        link.mend(queue)
        link.cut(queue)
        assert store.messages()[0].failures == 2  # the lost connections counted none
        csms.hold.set()
        link.mend(queue)
        assert isinstance(await answer, v.TransactionEventResponse)
        assert len(queue) == 0

    _run(scenario)


def test_only_transaction_related_messages_are_queued() -> None:
    v16, dispatch16 = _modules("dataclasses", "v16")
    v, dispatch = _modules("dataclasses")
    station16 = dispatch16.Dispatcher(dispatch16.Role.ChargePoint)
    queue16 = dispatch16.OfflineQueue(station16)
    station = dispatch.Dispatcher(dispatch.Role.ChargingStation)
    queue = dispatch.OfflineQueue(station)
    sampled = [v16.MeterValue(timestamp=WHEN, sampled_value=[v16.SampledValue(value="1")])]
    start = v16.StartTransactionRequest(connector_id=1, id_tag="A", meter_start=0, timestamp=WHEN)
    stop = v16.StopTransactionRequest(meter_stop=5, timestamp=WHEN, transaction_id=7)
    with_transaction = v16.MeterValuesRequest(connector_id=1, transaction_id=7, meter_value=sampled)
    idle = v16.MeterValuesRequest(connector_id=1, meter_value=sampled)
    assert [queue16.keeps(m) for m in (start, stop, with_transaction, idle)] == [
        True,
        True,
        True,
        False,
    ]
    assert queue.keeps(event(v, "Started", 0)) and not queue.keeps(v.HeartbeatRequest())

    async def scenario() -> None:
        with pytest.raises(ValueError, match="Heartbeat is not a message this queue keeps"):
            queue.submit(v.HeartbeatRequest())
        with pytest.raises(dispatch.ActionNotAllowed):
            queue.submit(v.ResetRequest(type=v.ResetEnumType.Immediate))
        everything = dispatch.OfflineQueue(station, queued=lambda action, payload: True)
        everything.submit(v.HeartbeatRequest())
        assert [m.action for m in everything.store.messages()] == ["Heartbeat"]

    _run(scenario)


def test_the_sqlite_store_keeps_order_and_failures_across_instances(tmp_path: Path) -> None:
    _, dispatch = _modules("dataclasses")
    path = tmp_path / "queue.sqlite"
    store = dispatch.SqliteStore(path)
    ids = [store.append("2.0.1", "TransactionEvent", json.dumps({"n": n})) for n in range(3)]
    assert store.failed(ids[0]) == 1 and store.failed(ids[0]) == 2
    store.remove(ids[1])
    store.close()
    again = dispatch.SqliteStore(path)
    assert [(m.id, m.payload, m.failures) for m in again.messages()] == [
        (ids[0], '{"n": 0}', 2),
        (ids[2], '{"n": 2}', 0),
    ]
    assert len(again) == 2 and again.first() == again.messages()[0]
    later = again.append("2.0.1", "TransactionEvent", "{}")
    assert later > ids[2]  # ids keep growing, also past removed ones
    again.close()


def test_queued_messages_survive_a_new_queue_on_the_same_file(tmp_path: Path) -> None:
    """In one process (the program restart is tested with the simulator)."""
    v, dispatch = _modules("dataclasses")
    path = tmp_path / "queue.sqlite"

    async def first_run() -> None:
        station = dispatch.Dispatcher(dispatch.Role.ChargingStation)
        queue = dispatch.OfflineQueue(station, dispatch.SqliteStore(path))
        for seq in range(3):
            queue.submit(event(v, "Updated", seq))
        await queue.close()

    async def second_run() -> list[tuple[str, int]]:
        csms = Csms(v)
        link = Link(dispatch, csms)
        queue = dispatch.OfflineQueue(link.station, dispatch.SqliteStore(path))
        queue.online()
        await queue.drained()
        await queue.close()
        return csms.events

    _run(first_run)
    assert _run(second_run) == [("Updated", 0), ("Updated", 1), ("Updated", 2)]
    assert dispatch.SqliteStore(path).messages() == []


def test_a_store_of_another_version_or_program_is_refused(tmp_path: Path) -> None:
    _, dispatch = _modules("dataclasses")
    path = tmp_path / "queue.sqlite"
    store = dispatch.SqliteStore(path)
    store.append("1.6", "StartTransaction", "{}")
    with pytest.raises(ValueError, match=r"holds OCPP 1\.6 messages; .* speaks OCPP 2\.0\.1"):
        dispatch.OfflineQueue(dispatch.Dispatcher(dispatch.Role.ChargingStation), store)
    store.close()
    text = tmp_path / "notes.txt"
    text.write_text("not a database, but long enough to look like a header " * 20)
    with pytest.raises(dispatch.StoreError, match="not a message store"):
        dispatch.SqliteStore(text)
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE customers (name TEXT)")
    db.close()
    with pytest.raises(dispatch.StoreError, match="another program"):
        dispatch.SqliteStore(other)
    with pytest.raises(dispatch.StoreError, match="cannot open"):
        dispatch.SqliteStore(tmp_path / "missing" / "folder" / "queue.sqlite")


def test_a_stored_message_that_no_longer_parses_is_dropped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    v, dispatch = _modules("dataclasses")
    store = dispatch.MemoryStore()
    store.append("2.0.1", "TransactionEvent", '{"eventType": "Sideways"}')
    good = event(v, "Ended", 9).to_dict()
    store.append("2.0.1", "TransactionEvent", json.dumps(good))

    async def scenario() -> list[tuple[str, int]]:
        csms = Csms(v)
        link = Link(dispatch, csms)
        queue = dispatch.OfflineQueue(link.station, store)
        queue.online()
        await queue.drained()
        return csms.events

    with caplog.at_level(logging.INFO):
        assert _run(scenario) == [("Ended", 9)]
    assert "TransactionEvent #1 given up: ValidationError" in caplog.text
    assert "TransactionEvent #2 (queued earlier) delivered" in caplog.text


def test_close_keeps_the_message_in_flight(tmp_path: Path) -> None:
    v, dispatch = _modules("dataclasses")
    path = tmp_path / "queue.sqlite"

    async def scenario() -> None:
        csms = Csms(v)
        csms.hold = asyncio.Event()
        link = Link(dispatch, csms)
        queue = dispatch.OfflineQueue(link.station, dispatch.SqliteStore(path))
        queue.online()
        pending = queue.submit(event(v, "Updated", 1))
        await _until(lambda: csms.events)
        await queue.close()
        assert pending.cancelled()
        with pytest.raises(RuntimeError, match="closed"):
            queue.online()

    _run(scenario)
    store = dispatch.SqliteStore(path)
    assert [(m.action, m.failures) for m in store.messages()] == [("TransactionEvent", 0)]
    store.close()


@pytest.mark.parametrize(
    ("attempts", "interval", "problem"),
    [
        (0, 1, "attempts"),
        (1.5, 1, "attempts"),
        (True, 1, "attempts"),
        (3, -1, "interval"),
        (3, float("nan"), "interval"),
        (3, "60", "interval"),
        (3, float("inf"), "interval"),
    ],
)
def test_the_retry_policy_is_checked(attempts: Any, interval: Any, problem: str) -> None:
    _, dispatch = _modules("dataclasses")
    with pytest.raises(ValueError, match=problem):
        dispatch.RetryPolicy(attempts, interval)


def test_the_settings_name_the_specifications_configuration() -> None:
    from ocpp_bindings._queue import SETTINGS

    assert SETTINGS["1.6"] == ("TransactionMessageAttempts", "TransactionMessageRetryInterval")
    assert SETTINGS["2.0.1"] == SETTINGS["2.1"]
    assert SETTINGS["2.1"] == (
        "OCPPCommCtrlr.MessageAttempts",
        "OCPPCommCtrlr.MessageAttemptInterval",
    )
