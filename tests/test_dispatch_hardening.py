"""The dispatch path against hostile and real-world traffic: no hang, no raise, bounded frames.

Every test runs under ``asyncio.wait_for`` with a short limit: a hang fails, it does not block.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
from ocpp_bindings import Tolerance, ValidationError
from ocpp_bindings.v16 import dispatch as dispatch16
from ocpp_bindings.v201 import (
    DataTransferRequest,
    DataTransferResponse,
    DataTransferStatusEnumType,
    HeartbeatRequest,
    HeartbeatResponse,
    dispatch,
    examples,
)

LIMIT = 5.0
"""Seconds any one exchange may take (generous: the machine is shared)."""


def _run(coroutine: Any) -> Any:
    async def bounded() -> Any:
        return await asyncio.wait_for(coroutine, LIMIT)

    return asyncio.run(bounded())


def _cyclic() -> list[Any]:
    cycle: list[Any] = []
    cycle.append(cycle)
    return cycle


def _deep(levels: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(levels):
        value = [value]
    return value


class DataTransferAnswers:
    """A CSMS whose DataTransfer handler answers with the data it is given."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def on_data_transfer(self, request: Any, charging_station_id: str) -> DataTransferResponse:
        return DataTransferResponse(status=DataTransferStatusEnumType.Accepted, data=self.data)


def _csms(*handlers: object, **options: Any) -> Any:
    return dispatch.Dispatcher(dispatch.Role.CSMS, handlers, **options)


def _call(dispatcher: Any, action: str, payload: Any, unique_id: str = "u-1") -> list[Any]:
    frame = json.dumps([2, unique_id, action, payload])
    reply = _run(dispatcher.handle_frame(frame, charging_station_id="CS-1"))
    return json.loads(reply)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "data",
    [_cyclic(), _deep(100_000), 10**5000, {"a": float("nan")}, {1: "not a string key"}],
    ids=["cyclic", "100000 levels deep", "10**5000", "nan", "int key"],
)
def test_unencodable_handler_response_is_an_internal_error(
    data: Any, caplog: pytest.LogCaptureFixture
) -> None:
    reply = _call(_csms(DataTransferAnswers(data)), "DataTransfer", {"vendorId": "x"})
    assert reply[:3] == [4, "u-1", "InternalError"]
    assert "invalid response from the handler for DataTransfer" in caplog.text


def test_the_runtime_reports_cyclic_data_instead_of_looping() -> None:
    response = DataTransferResponse(status=DataTransferStatusEnumType.Accepted, data=_cyclic())
    with pytest.raises(ValidationError, match="contains itself"):
        response.validate()
    shared = [1, 2]
    fine = DataTransferResponse(
        status=DataTransferStatusEnumType.Accepted, data={"a": shared, "b": shared}
    )
    fine.validate()  # the same list twice is not a cycle


@pytest.mark.parametrize(
    "data", [_cyclic(), _deep(100_000), 10**5000], ids=["cyclic", "deep", "huge"]
)
def test_outgoing_call_and_send_with_unencodable_data_raise_a_clear_error(data: Any) -> None:
    sent: list[str] = []

    async def transport(text: str) -> None:
        sent.append(text)

    station = dispatch.Dispatcher(dispatch.Role.ChargingStation, transport=transport)
    request = DataTransferRequest(vendor_id="com.acme", data=data)
    with pytest.raises(ValidationError) as caught:  # the limits of from_dict, at their place
        _run(station.call(request))
    assert caught.value.path.startswith("data")
    assert sent == [] and not station._pending


@pytest.mark.parametrize("unique_id", ["x" * 37, "x" * 10_000_000])
def test_over_long_unique_id_is_refused_without_echoing_it(unique_id: str) -> None:
    frame = json.dumps([2, unique_id, "Heartbeat", {}])
    csms = _csms(max_frame_bytes=32 * 1024 * 1024)  # the id check, not the size limit
    reply = _run(csms.handle_frame(frame, charging_station_id="CS-1"))
    assert len(reply) < 200
    assert json.loads(reply)[:3] == [4, "-1", "RpcFrameworkError"]


def test_non_string_unique_id_is_refused() -> None:
    reply = _run(_csms().handle_frame('[2, 17, "Heartbeat", {}]', charging_station_id="CS-1"))
    assert json.loads(reply)[:3] == [4, "-1", "RpcFrameworkError"]


def test_36_character_unique_id_is_fine() -> None:
    class Heartbeats:
        def on_heartbeat(self, request: Any, charging_station_id: str) -> HeartbeatResponse:
            return HeartbeatResponse.from_dict(examples.response("Heartbeat"))

    reply = _call(_csms(Heartbeats()), "Heartbeat", {}, unique_id="x" * 36)
    assert reply[:2] == [3, "x" * 36]


@pytest.mark.parametrize("as_bytes", [False, True])
def test_oversize_frame_is_a_format_error_and_never_parsed(
    monkeypatch: pytest.MonkeyPatch, as_bytes: bool
) -> None:
    from ocpp_bindings import _dispatch

    def no_parsing(_: object) -> object:
        raise AssertionError("an over-size frame reached the JSON parser")

    monkeypatch.setattr(_dispatch, "load_json", no_parsing)
    body = json.dumps([2, "u-1", "DataTransfer", {"vendorId": "x", "data": [0] * 600_000}])
    frame: str | bytes = body.encode() if as_bytes else body
    reply = _run(_csms().handle_frame(frame, charging_station_id="CS-1"))
    assert json.loads(reply)[:3] == [4, "-1", "FormatViolation"]
    v16 = dispatch16.Dispatcher(dispatch16.Role.CentralSystem, max_frame_bytes=100)
    reply = _run(v16.handle_frame("[" + " " * 200 + "]", charging_station_id="CS-1"))
    assert json.loads(reply)[:3] == [4, "-1", "FormationViolation"]


def test_frame_size_counts_utf8_bytes() -> None:
    csms = _csms(max_frame_bytes=1000)
    assert csms._oversize("é" * 600)  # 600 characters, 1200 bytes
    assert not csms._oversize("e" * 1000)
    assert csms._oversize(b"e" * 1001)


def test_slow_handler_is_cancelled_and_answered_internal_error() -> None:
    cancelled: list[bool] = []

    class Slow:
        async def on_heartbeat(self, request: Any, charging_station_id: str) -> Any:
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                cancelled.append(True)
                raise

    reply = _call(_csms(Slow(), handler_timeout=0.05), "Heartbeat", {})
    assert reply[:3] == [4, "u-1", "InternalError"]
    assert cancelled == [True]


def test_second_outgoing_call_with_a_pending_unique_id_is_refused() -> None:
    async def silent(text: str) -> None:
        return None

    station = dispatch.Dispatcher(
        dispatch.Role.ChargingStation, transport=silent, new_id=lambda: "same", timeout=2
    )

    async def two_calls() -> None:
        first = asyncio.create_task(station.call(HeartbeatRequest()))
        await asyncio.sleep(0)
        with pytest.raises(ValueError, match="already waiting"):
            await station.call(HeartbeatRequest())
        first.cancel()

    _run(two_calls())


class Reports:
    def __init__(self) -> None:
        self.seen: list[Any] = []

    def on_status_notification(self, request: Any, charging_station_id: str) -> Any:
        self.seen.append(request)
        from ocpp_bindings.v201 import StatusNotificationResponse

        return StatusNotificationResponse()


def _status(timestamp: str) -> dict[str, Any]:
    return {
        "timestamp": timestamp,
        "connectorStatus": "Available",
        "evseId": 1,
        "connectorId": 1,
    }


def test_date_time_without_offset_is_rejected_by_default() -> None:
    reply = _call(_csms(Reports()), "StatusNotification", _status("2026-11-23T02:24:56"))
    assert reply[:3] == [4, "u-1", "TypeConstraintViolation"]


def test_date_time_without_offset_is_tolerated_as_utc_and_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    reports = Reports()
    csms = _csms(reports, tolerate={Tolerance.DATE_TIME_WITHOUT_OFFSET})
    with caplog.at_level(logging.WARNING):
        for index in range(3):
            reply = _call(csms, "StatusNotification", _status("2026-11-23T02:24:56"), f"u-{index}")
            assert reply[0] == 3
    assert reports.seen[0].timestamp.isoformat() == "2026-11-23T02:24:56+00:00"
    warnings = [r for r in caplog.records if "date-time-without-offset" in r.getMessage()]
    assert len(warnings) == 1, "once per connection, deviation and path"
    assert "StatusNotification at timestamp" in warnings[0].getMessage()
    still_bad = _call(csms, "StatusNotification", _status("yesterday"))
    assert still_bad[:3] == [4, "u-1", "TypeConstraintViolation"]
    another = _csms(Reports(), tolerate={Tolerance.DATE_TIME_WITHOUT_OFFSET})
    with caplog.at_level(logging.WARNING):
        _call(another, "StatusNotification", _status("2026-11-23T02:24:56"))
    assert len([r for r in caplog.records if "date-time-without" in r.getMessage()]) == 2


def test_from_json_tolerates_only_when_asked(caplog: pytest.LogCaptureFixture) -> None:
    from ocpp_bindings.v201 import StatusNotificationRequest

    text = json.dumps(_status("2026-11-23T02:24:56.5"))
    with pytest.raises(ValidationError):
        StatusNotificationRequest.from_json(text)
    with caplog.at_level(logging.WARNING):
        request = StatusNotificationRequest.from_json(
            text, tolerate={Tolerance.DATE_TIME_WITHOUT_OFFSET}
        )
    assert request.timestamp.isoformat() == "2026-11-23T02:24:56.500000+00:00"
    assert "tolerated date-time-without-offset at timestamp" in caplog.text
    # read as UTC and written back with Z (msgspec writes the fraction with six digits)
    assert request.to_dict()["timestamp"] in (
        "2026-11-23T02:24:56.500Z",
        "2026-11-23T02:24:56.500000Z",
    )


# --- what a peer sends never forges a log line, and every answer has a UTF-8 form -----------


def _log_lines(records: list[logging.LogRecord]) -> list[str]:
    """The records as a handler writes them (message and traceback, if any)."""
    formatter = logging.Formatter("%(levelname)s %(message)s")
    return [formatter.format(record) for record in records]


def _send(csms: Any, action: str, payload: Any) -> None:
    frame = json.dumps([6, "s-1", action, payload])
    assert _run(csms.handle_frame(frame, charging_station_id="CS-1")) is None


def test_a_2_1_send_cannot_forge_log_lines(caplog: pytest.LogCaptureFixture) -> None:
    from ocpp_bindings.v21 import dispatch as dispatch21

    class Streams:
        def on_notify_periodic_event_stream(self, request: Any, charging_station_id: str) -> None:
            raise AssertionError("an invalid SEND never reaches its handler")

    csms = dispatch21.Dispatcher(dispatch21.Role.CSMS, [Streams()])
    forged = "\n2026-12-01 08:00:00 INFO csms CS-001 authorized as admin"
    with caplog.at_level(logging.WARNING, logger="ocpp_bindings.dispatch"):
        _send(csms, "Unknown" + forged, {})
        _send(csms, "NotifyPeriodicEventStream", {"id": 1, "pending": 0, "basetime": "x" + forged})
        _send(csms, "NotifyPeriodicEventStream", {"data" + forged: 1})
    lines = _log_lines(caplog.records)
    assert len(lines) == 3, lines
    assert all("\n" not in line for line in lines), lines
    assert "'Unknown\\n2026-12-01" in lines[0] and "NotImplemented" in lines[0]
    assert lines[1].startswith("WARNING SEND NotifyPeriodicEventStream dropped: ")


@pytest.mark.parametrize(
    "frame",
    [
        '[2, "\\ud800", "Heartbeat", {}]',
        '[2, "u-1", "Heart\\udc00beat", {}]',
        '[2, "u-1", "DataTransfer", {"vendorId": "v", "\\ud800": 1}]',
        '[2, "u-1", "DataTransfer", {"vendorId": "\\ud800"}]',
    ],
    ids=["unique id", "action", "property name", "value"],
)
def test_a_lone_surrogate_is_refused_and_the_answer_is_utf_8(frame: str) -> None:
    """A frame may escape a lone surrogate (``\\ud800``); the answer must still be UTF-8
    text, so the surrogate is neither accepted nor echoed."""
    reply = _run(_csms(DataTransferAnswers(None)).handle_frame(frame, charging_station_id="CS-1"))
    reply.encode("utf-8")
    code = json.loads(reply)[2]
    assert code in ("RpcFrameworkError", "NotImplemented", "TypeConstraintViolation"), reply


def test_tolerated_call_results_are_logged_with_the_action_name(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def exchange() -> Any:
        frames: list[str] = []

        async def transport(text: str) -> None:
            frames.append(text)

        station = dispatch.Dispatcher(
            dispatch.Role.ChargingStation,
            transport=transport,
            new_id=lambda: "h-1",
            tolerate={Tolerance.DATE_TIME_WITHOUT_OFFSET},
        )
        call = asyncio.create_task(station.call(HeartbeatRequest()))
        await asyncio.sleep(0)
        await station.handle_frame('[3, "h-1", {"currentTime": "2026-11-23T02:24:56"}]')
        return await call

    with caplog.at_level(logging.WARNING, logger="ocpp_bindings.dispatch"):
        response = _run(exchange())
    assert response.current_time.isoformat() == "2026-11-23T02:24:56+00:00"
    assert "tolerated date-time-without-offset in Heartbeat at currentTime" in caplog.text
