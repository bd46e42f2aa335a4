"""One CALL in flight: a dispatcher's own CALLs go out one at a time, in order.

A peer object records the frames the dispatcher sends and answers them when the test says
so; every scenario runs under ``asyncio.wait_for`` (a hang fails, it does not block).
"""

from __future__ import annotations

import asyncio
import importlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from ocpp_bindings import ValidationError, v16, v21, v201
from ocpp_bindings._inflight import CallSlots
from ocpp_bindings.v201 import dispatch

LIMIT = 5.0
"""Seconds one scenario may take."""
VERSIONS = {"1.6": v16, "2.0.1": v201, "2.1": v21}


def _run(scenario: Callable[[], Awaitable[Any]]) -> Any:
    async def bounded() -> Any:
        return await asyncio.wait_for(scenario(), LIMIT)

    return asyncio.run(bounded())


class Peer:
    """The other side of the wire: keeps every frame sent to it until the test answers."""

    def __init__(self) -> None:
        self.frames: list[list[Any]] = []
        self.arrived = asyncio.Event()

    async def transport(self, text: str) -> None:
        self.frames.append(json.loads(text))
        self.arrived.set()

    @property
    def actions(self) -> list[str]:
        return [frame[2] for frame in self.frames if frame[0] == 2]

    async def sent(self, count: int) -> None:
        """Wait until ``count`` frames were sent, then let the loop settle (no more may come)."""
        while len(self.frames) < count:
            self.arrived.clear()
            await self.arrived.wait()
        for _ in range(5):
            await asyncio.sleep(0)

    def result(self, index: int, payload: dict[str, Any]) -> str:
        return json.dumps([3, self.frames[index][1], payload])

    def error(self, index: int) -> str:
        return json.dumps([4, self.frames[index][1], "InternalError", "down", {}])


def _station(peer: Peer, **options: Any) -> dispatch.Dispatcher:
    return dispatch.Dispatcher(dispatch.Role.ChargingStation, transport=peer.transport, **options)


HEARTBEAT_ANSWER = {"currentTime": "2026-01-01T00:00:00Z"}
AUTHORIZED = {"idTokenInfo": {"status": "Accepted"}}


def _requests() -> list[Any]:
    token = v201.IdTokenType(id_token="A1", type=v201.IdTokenEnumType.ISO14443)
    return [v201.HeartbeatRequest(), v201.AuthorizeRequest(id_token=token), v201.HeartbeatRequest()]


@pytest.mark.parametrize("version", VERSIONS)
def test_three_concurrent_calls_go_out_one_at_a_time_in_order(version: str) -> None:
    v = VERSIONS[version]
    module = importlib.import_module(f"{v.__name__}.dispatch")
    answers = {"Heartbeat": HEARTBEAT_ANSWER, "DataTransfer": {"status": "Accepted"}}
    requests = [v.HeartbeatRequest(), v.DataTransferRequest(vendor_id="x"), v.HeartbeatRequest()]

    async def scenario() -> list[Any]:
        peer = Peer()
        station = module.Dispatcher(next(iter(module.Role)), transport=peer.transport)
        calls = [asyncio.create_task(station.call(request)) for request in requests]
        for sent in range(1, 4):
            await peer.sent(sent)
            assert len(peer.frames) == sent  # the next one waits for this answer
            assert not any(call.done() for call in calls[sent - 1 :])
            await station.handle_frame(peer.result(sent - 1, answers[peer.actions[-1]]))
        assert peer.actions == ["Heartbeat", "DataTransfer", "Heartbeat"]
        return await asyncio.gather(*calls)

    results = _run(scenario)
    assert [type(r) for r in results] == [
        v.HeartbeatResponse,
        v.DataTransferResponse,
        v.HeartbeatResponse,
    ]


def test_a_call_error_and_an_invalid_answer_free_the_slot() -> None:
    async def scenario() -> None:
        peer = Peer()
        station = _station(peer)
        calls = [asyncio.create_task(station.call(request)) for request in _requests()]
        await peer.sent(1)
        await station.handle_frame(peer.error(0))
        with pytest.raises(dispatch.CallError):
            await calls[0]
        await peer.sent(2)
        await station.handle_frame(peer.result(1, {"unexpected": True}))
        with pytest.raises(ValidationError):
            await calls[1]
        await peer.sent(3)
        await station.handle_frame(peer.result(2, HEARTBEAT_ANSWER))
        assert isinstance(await calls[2], v201.HeartbeatResponse)

    _run(scenario)


def test_a_timed_out_call_frees_the_slot_and_the_next_timeout_counts_from_sending() -> None:
    async def scenario() -> None:
        peer = Peer()
        station = _station(peer)
        loop = asyncio.get_running_loop()
        started = loop.time()
        first = asyncio.create_task(station.call(v201.HeartbeatRequest(), timeout=0.3))
        second = asyncio.create_task(station.call(v201.HeartbeatRequest(), timeout=0.2))
        await peer.sent(1)
        with pytest.raises(dispatch.CallTimeout):
            await first
        await peer.sent(2)  # sent once the first timed out, not before
        sent_at = loop.time()
        assert sent_at - started >= 0.3
        await asyncio.sleep(0.1)  # 0.4 s after it was asked for, 0.1 s after it was sent
        assert not second.done()
        await station.handle_frame(peer.result(1, HEARTBEAT_ANSWER))
        assert isinstance(await second, v201.HeartbeatResponse)

    _run(scenario)


def test_with_two_calls_in_flight_two_go_out_together() -> None:
    async def scenario() -> None:
        peer = Peer()
        station = _station(peer, max_calls_in_flight=2)
        calls = [asyncio.create_task(station.call(request)) for request in _requests()]
        await peer.sent(2)
        assert peer.actions == ["Heartbeat", "Authorize"]
        await station.handle_frame(peer.result(1, AUTHORIZED))  # the second answered first
        await peer.sent(3)
        assert peer.actions == ["Heartbeat", "Authorize", "Heartbeat"]
        await station.handle_frame(peer.result(0, HEARTBEAT_ANSWER))
        await station.handle_frame(peer.result(2, HEARTBEAT_ANSWER))
        assert [type(r).__name__ for r in await asyncio.gather(*calls)] == [
            "HeartbeatResponse",
            "AuthorizeResponse",
            "HeartbeatResponse",
        ]

    _run(scenario)


def test_without_a_limit_every_call_goes_out_at_once() -> None:
    async def scenario() -> None:
        peer = Peer()
        station = _station(peer, max_calls_in_flight=None)
        calls = [asyncio.create_task(station.call(v201.HeartbeatRequest())) for _ in range(20)]
        await peer.sent(20)
        for index in range(20):
            await station.handle_frame(peer.result(index, HEARTBEAT_ANSWER))
        await asyncio.gather(*calls)

    _run(scenario)


def test_a_cancelled_waiter_leaves_the_queue() -> None:
    async def scenario() -> None:
        peer = Peer()
        station = _station(peer)
        first, second, third = (
            asyncio.create_task(station.call(request)) for request in _requests()
        )
        await peer.sent(1)
        second.cancel()
        await asyncio.sleep(0)
        await station.handle_frame(peer.result(0, HEARTBEAT_ANSWER))
        await peer.sent(2)
        assert peer.actions == ["Heartbeat", "Heartbeat"]  # the Authorize was never sent
        assert second.cancelled()
        await station.handle_frame(peer.result(1, HEARTBEAT_ANSWER))
        await asyncio.gather(first, third)
        assert station._slots.busy == 0 and station._slots.waiting == 0

    _run(scenario)


def test_a_waiter_cancelled_just_as_its_turn_comes_passes_the_slot_on() -> None:
    async def scenario() -> None:
        peer = Peer()
        station = _station(peer)
        first, second, third = (
            asyncio.create_task(station.call(request)) for request in _requests()
        )
        await peer.sent(1)
        await station.handle_frame(peer.result(0, HEARTBEAT_ANSWER))  # the slot goes to second
        second.cancel()  # ... which is cancelled before it runs
        await peer.sent(2)
        assert peer.actions == ["Heartbeat", "Heartbeat"]
        await station.handle_frame(peer.result(1, HEARTBEAT_ANSWER))
        await asyncio.gather(first, third)
        assert second.cancelled() and station._slots.busy == 0

    _run(scenario)


def test_a_cancelled_call_in_flight_frees_the_slot() -> None:
    async def scenario() -> None:
        peer = Peer()
        station = _station(peer)
        first = asyncio.create_task(station.call(v201.HeartbeatRequest()))
        second = asyncio.create_task(station.call(v201.HeartbeatRequest()))
        await peer.sent(1)
        first.cancel()
        await peer.sent(2)
        await station.handle_frame(peer.result(1, HEARTBEAT_ANSWER))
        assert isinstance(await second, v201.HeartbeatResponse)
        late = await station.handle_frame(peer.result(0, HEARTBEAT_ANSWER))
        assert late is None and not station._pending

    _run(scenario)


def test_incoming_calls_are_answered_while_an_own_call_waits() -> None:
    class Resets:
        def on_reset(self, request: Any) -> v201.ResetResponse:
            return v201.ResetResponse(status=v201.ResetStatusEnumType.Accepted)

    async def scenario() -> None:
        peer = Peer()
        station = dispatch.Dispatcher(
            dispatch.Role.ChargingStation, [Resets()], transport=peer.transport
        )
        calls = [asyncio.create_task(station.call(request)) for request in _requests()[:2]]
        await peer.sent(1)
        for number in range(3):
            frame = json.dumps([2, f"r-{number}", "Reset", {"type": "Immediate"}])
            reply = await station.handle_frame(frame)
            assert reply is not None and json.loads(reply)[:2] == [3, f"r-{number}"]
        assert len(peer.frames) == 1
        await station.handle_frame(peer.result(0, HEARTBEAT_ANSWER))
        await peer.sent(2)
        await station.handle_frame(peer.result(1, AUTHORIZED))
        await asyncio.gather(*calls)

    _run(scenario)


def test_a_bad_request_fails_at_once_even_behind_a_waiting_call() -> None:
    async def scenario() -> None:
        peer = Peer()
        station = _station(peer)
        first = asyncio.create_task(station.call(v201.HeartbeatRequest()))
        await peer.sent(1)
        invalid = v201.HeartbeatRequest()
        invalid.custom_data = "not an object"  # type: ignore[assignment]
        with pytest.raises(ValidationError):
            await station.call(invalid)
        with pytest.raises(dispatch.ActionNotAllowed):
            await station.call(v201.ResetRequest(type=v201.ResetEnumType.Immediate))
        await station.handle_frame(peer.result(0, HEARTBEAT_ANSWER))
        await first
        assert len(peer.frames) == 1 and station._slots.busy == 0

    _run(scenario)


def test_a_transport_failure_frees_the_slot() -> None:
    attempts: list[str] = []

    async def broken(text: str) -> None:
        attempts.append(text)
        if len(attempts) == 1:
            raise OSError("the socket broke")

    async def scenario() -> None:
        station = dispatch.Dispatcher(dispatch.Role.ChargingStation, transport=broken, timeout=0.05)
        first = asyncio.create_task(station.call(v201.HeartbeatRequest()))
        second = asyncio.create_task(station.call(v201.HeartbeatRequest()))
        with pytest.raises(OSError, match="broke"):
            await first
        with pytest.raises(dispatch.CallTimeout):
            await second
        assert len(attempts) == 2

    _run(scenario)


def test_connection_lost_fails_waiting_calls_at_once_and_keeps_an_arrived_answer() -> None:
    async def scenario() -> None:
        peer = Peer()
        station = _station(peer, max_calls_in_flight=2)
        calls = [asyncio.create_task(station.call(request)) for request in _requests()]
        await peer.sent(2)
        await station.handle_frame(peer.result(0, HEARTBEAT_ANSWER))  # arrived, not yet read
        station.connection_lost("the CSMS went away")
        results = await asyncio.gather(*calls, return_exceptions=True)
        assert isinstance(results[0], v201.HeartbeatResponse)
        for abandoned in results[1:]:
            assert isinstance(abandoned, dispatch.CallAbandoned)
            assert str(abandoned) == "the CSMS went away"
        assert len(peer.frames) == 2 and station._slots.busy == 0 and not station._pending
        again = asyncio.create_task(station.call(v201.HeartbeatRequest()))  # the next connection
        await peer.sent(3)
        await station.handle_frame(peer.result(2, HEARTBEAT_ANSWER))
        assert isinstance(await again, v201.HeartbeatResponse)

    _run(scenario)


def test_a_unique_id_waiting_for_its_turn_is_not_given_twice() -> None:
    ids = iter(["a", "b", "b"])

    async def scenario() -> None:
        peer = Peer()
        station = _station(peer, new_id=lambda: next(ids))
        first = asyncio.create_task(station.call(v201.HeartbeatRequest()))
        second = asyncio.create_task(station.call(v201.HeartbeatRequest()))
        await peer.sent(1)
        with pytest.raises(ValueError, match="already waiting"):
            await station.call(v201.HeartbeatRequest())
        first.cancel()
        second.cancel()

    _run(scenario)


@pytest.mark.parametrize("limit", [0, -1, 1.5, True, "2"])
def test_the_limit_must_be_a_positive_int_or_none(limit: Any) -> None:
    with pytest.raises(ValueError, match="max_calls_in_flight must be a positive int or None"):
        _station(Peer(), max_calls_in_flight=limit)


def test_slots_serve_waiters_first_come_first_served() -> None:
    async def scenario() -> list[int]:
        slots = CallSlots(1)
        order: list[int] = []

        async def user(number: int) -> None:
            await slots.acquire()
            order.append(number)
            await asyncio.sleep(0)
            slots.release()

        await slots.acquire()
        users = [asyncio.create_task(user(n)) for n in range(5)]
        await asyncio.sleep(0)
        late = asyncio.create_task(user(99))  # arrives while the others wait: served last
        slots.release()
        await asyncio.gather(*users, late)
        return order

    assert _run(scenario) == [0, 1, 2, 3, 4, 99]
