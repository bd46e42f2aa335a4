"""The example CSMS and simulator under attack and misuse: two connections with one station id,
many short connections, awkward credentials, hostile frames, and what a new user sees.

Real servers on 127.0.0.1 and port 0, stopped afterwards; every exchange bounded by
``asyncio.wait_for`` (the dispatcher's call timeout is 30 s, so "at once" means well before).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gc
import json
import logging
import re
import shlex
import socket
import sys
from asyncio.subprocess import PIPE, STDOUT
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import websockets
from charging_station import ConnectionLost, Station
from csms import (
    BINARY_REFUSED,
    TAKEN_OVER,
    Csms,
    LoginThrottle,
    NotConnected,
    Session,
    Transactions,
)
from ocpp_bindings import v16, v201
from support import ROOT

LIMIT = 20.0
"""Seconds one scenario may take."""
AT_ONCE = 5.0
"""Seconds within which a call on a closed connection must fail (its own timeout is 30 s)."""
EXAMPLES = ROOT / "examples"
RESET = v201.ResetRequest(type=v201.ResetEnumType.Immediate)
BOOT_201 = {"chargingStation": {"model": "M", "vendorName": "V"}, "reason": "PowerUp"}


def _run(scenario: Callable[[], Awaitable[Any]]) -> Any:
    async def bounded() -> Any:
        return await asyncio.wait_for(scenario(), LIMIT)

    return asyncio.run(bounded())


@contextlib.asynccontextmanager
async def serving(csms: Csms) -> AsyncIterator[str]:
    """``csms`` listening on a free loopback port; yields its ``ws://`` base URL."""
    server = await csms.serve("127.0.0.1", 0)
    port = next(iter(server.sockets)).getsockname()[1]
    try:
        yield f"ws://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


async def _until(condition: Callable[[], object]) -> None:
    while not condition():
        await asyncio.sleep(0.01)


async def _frame(connection: Any) -> list[Any]:
    return json.loads(await asyncio.wait_for(connection.recv(), AT_ONCE))


async def _close_of(connection: Any) -> tuple[int, str]:
    """The close code and reason the CSMS sent (fails if the connection stays open)."""
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(connection.recv(), AT_ONCE)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code, closed.value.rcvd.reason


def _logged(caplog: pytest.LogCaptureFixture, text: str) -> bool:
    return any(text in record.getMessage() for record in caplog.records)


# --- item 11: two connections with one station id ----------------------------------------------


def test_a_newer_connection_takes_over_and_the_older_is_closed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="csms")
    csms = Csms()

    async def scenario() -> None:
        async with serving(csms) as base:
            older = await websockets.connect(f"{base}/TWIN", subprotocols=["ocpp2.0.1"])
            await _until(lambda: "TWIN" in csms.sessions)
            first = csms.sessions["TWIN"]
            pending = asyncio.create_task(csms.call("TWIN", RESET))
            assert (await _frame(older))[2] == "Reset"  # left unanswered

            newer = await websockets.connect(f"{base}/TWIN", subprotocols=["ocpp2.0.1"])
            await _until(lambda: csms.sessions.get("TWIN") not in (None, first))
            with pytest.raises(NotConnected, match=f"did not answer Reset: {TAKEN_OVER}"):
                await asyncio.wait_for(pending, AT_ONCE)
            with contextlib.suppress(websockets.ConnectionClosed):  # a boot after the takeover
                await older.send(json.dumps([2, "old-boot", "BootNotification", BOOT_201]))
            assert await _close_of(older) == (1008, TAKEN_OVER)
            await _until(lambda: _logged(caplog, "TWIN disconnected after"))

            # the older connection's end left the newer one in place, reachable, and only its
            # own boot makes the CSMS ask it something
            await newer.send(json.dumps([2, "new-boot", "BootNotification", BOOT_201]))
            assert (await _frame(newer))[:2] == [3, "new-boot"]
            asked = await _frame(newer)
            assert asked[2] == "GetVariables"
            result = {"attributeStatus": "Accepted", "attributeValue": "300",
                      **asked[3]["getVariableData"][0]}  # fmt: skip
            await newer.send(json.dumps([3, asked[1], {"getVariableResult": [result]}]))
            await _until(lambda: _logged(caplog, "TWIN answered GetVariablesRequest"))
            call = asyncio.create_task(csms.call("TWIN", RESET))
            reset = await _frame(newer)
            assert reset[2] == "Reset"
            await newer.send(json.dumps([3, reset[1], {"status": "Accepted"}]))
            assert isinstance(await asyncio.wait_for(call, AT_ONCE), v201.ResetResponse)

            await newer.close()
            await _until(lambda: "TWIN" not in csms.sessions)
            with pytest.raises(NotConnected, match="TWIN is not connected"):
                await csms.call("TWIN", RESET)

    _run(scenario)
    assert _logged(caplog, "TWIN connected again: closing its older connection")


def test_a_call_fails_at_once_when_the_station_disconnects() -> None:
    csms = Csms()

    async def scenario() -> None:
        async with serving(csms) as base:
            station = await websockets.connect(f"{base}/GONE", subprotocols=["ocpp2.0.1"])
            await _until(lambda: "GONE" in csms.sessions)
            pending = asyncio.create_task(csms.call("GONE", RESET))
            assert (await _frame(station))[2] == "Reset"
            await station.close()
            with pytest.raises(NotConnected, match="GONE did not answer Reset: the connection"):
                await asyncio.wait_for(pending, AT_ONCE)

    _run(scenario)


def test_transactions_belong_to_the_station_that_sent_them() -> None:
    """Two stations at once: 1.6 transaction ids come from one CSMS counter and a station cannot
    end another one's; 2.x stations may use the same id, each has its own transaction."""
    csms = Csms()

    def event(kind: str, energy: float) -> str:
        payload = {"eventType": kind, "timestamp": "2026-11-23T10:00:00Z", "seqNo": 0,
                   "triggerReason": "Authorized", "transactionInfo": {"transactionId": "T-1"},
                   "meterValue": [{"timestamp": "2026-11-23T10:00:00Z",
                                   "sampledValue": [{"value": energy}]}]}  # fmt: skip
        return json.dumps([2, kind, "TransactionEvent", payload])

    async def scenario() -> None:
        async with serving(csms) as base:
            one = await websockets.connect(f"{base}/ONE", subprotocols=["ocpp1.6"])
            two = await websockets.connect(f"{base}/TWO", subprotocols=["ocpp1.6"])
            started = {}
            for name, station, meter in (("ONE", one, 100), ("TWO", two, 5000)):
                start = {"connectorId": 1, "idTag": "T", "meterStart": meter,
                         "timestamp": "2026-11-23T10:00:00Z"}  # fmt: skip
                await station.send(json.dumps([2, "s", "StartTransaction", start]))
                started[name] = (await _frame(station))[2]["transactionId"]
            assert started["ONE"] != started["TWO"]
            stop = {"meterStop": 900, "timestamp": "2026-11-23T11:00:00Z",
                    "transactionId": started["ONE"]}  # fmt: skip
            await two.send(json.dumps([2, "x", "StopTransaction", stop]))  # not TWO's
            await _frame(two)
            await one.send(json.dumps([2, "y", "StopTransaction", stop]))
            await _frame(one)
            await one.close()
            await two.close()
            for name, first, last in (("A", 0.0, 10.0), ("B", 500.0, 1500.0)):
                async with websockets.connect(f"{base}/{name}", subprotocols=["ocpp2.0.1"]) as ws:
                    for frame in (event("Started", first), event("Ended", last)):
                        await ws.send(frame)
                        await _frame(ws)

    _run(scenario)
    assert [(t.station, t.id, t.energy) for t in csms.transactions.ended] == [
        ("ONE", str(1), 800.0), ("A", "T-1", 10.0), ("B", "T-1", 1000.0)
    ]  # fmt: skip
    assert [key[0] for key in csms.transactions.open] == ["TWO"]


# --- item 12: nothing per station outlives its connection, beyond a bound ----------------------


def test_sessions_are_forgotten_when_their_connections_end(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="csms")  # records kept meanwhile hold no session
    csms = Csms(transactions=Transactions(limit=5, keep=3))
    versions = ["1.6", "2.0.1", "2.1"]

    async def scenario() -> None:
        async with serving(csms) as base:
            for number in range(30):  # boot (the CSMS asks back), leave
                station = Station(f"{base}/CYCLE-{number}", versions[number % 3])
                await station.run(charge=False)
            for number in range(5):  # boot, leave without answering what the CSMS asks
                async with websockets.connect(
                    f"{base}/RUDE-{number}", subprotocols=["ocpp2.0.1"]
                ) as station:
                    await station.send(json.dumps([2, "b", "BootNotification", BOOT_201]))
                    assert (await _frame(station))[1] == "b"
                    assert (await _frame(station))[2] == "GetVariables"
            for number in range(4):  # whole charging sessions
                await Station(f"{base}/FULL-{number}", "2.0.1", sample_seconds=0).run()
            for number in range(12):  # start a transaction, vanish without stopping it
                async with websockets.connect(
                    f"{base}/HALF-{number}", subprotocols=["ocpp1.6"]
                ) as station:
                    start = {"connectorId": 1, "idTag": "T", "meterStart": 0,
                             "timestamp": "2026-11-23T10:00:00Z"}  # fmt: skip
                    await station.send(json.dumps([2, "s", "StartTransaction", start]))
                    await _frame(station)
            await _until(lambda: not csms.sessions)

    _run(scenario)
    assert len(caplog.records) >= 5 and _logged(caplog, "RUDE-4 did not answer GetVariables")
    assert len(csms.sessions) == 0
    assert [key[0] for key in csms.transactions.open] == [f"HALF-{n}" for n in range(7, 12)]
    assert [t.station for t in csms.transactions.ended] == ["FULL-1", "FULL-2", "FULL-3"]
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, Session)]


def test_the_login_back_off_doubles_resets_and_forgets() -> None:
    clock = [0.0]
    throttle = LoginThrottle(first=1.0, longest=8.0, clients=3, clock=lambda: clock[0])
    waits = []
    for _ in range(5):
        throttle.failed("a")
        waits.append(throttle.retry_after("a"))
    assert waits == [1.0, 2.0, 4.0, 8.0, 8.0]
    clock[0] = 3.0
    assert throttle.retry_after("a") == 5.0
    throttle.succeeded("a")
    assert throttle.retry_after("a") == 0.0
    throttle.failed("b")
    clock[0] = 3.0 + 17.0  # more than 2 * longest after the last failure: forgotten
    assert throttle.retry_after("b") == 0.0 and len(throttle) == 0
    for client in "cdefg":
        throttle.failed(client)
    assert len(throttle) == 3 and throttle.retry_after("c") == 0.0  # the oldest went first


# --- item 17: credentials, logs, handshakes, binary frames -------------------------------------


async def _status(url: str, user: str, password: bytes) -> int | str:
    """The HTTP status the CSMS answers a login with (``"in"`` when it accepts)."""
    token = base64.b64encode(user.encode() + b":" + password).decode()
    try:
        async with websockets.connect(
            url, subprotocols=["ocpp2.0.1"], additional_headers={"Authorization": f"Basic {token}"}
        ):
            return "in"
    except websockets.InvalidStatus as refused:
        return refused.response.status_code


def test_non_ascii_passwords_log_in_and_unreadable_ones_are_refused() -> None:
    password = "pässwörd-€"
    csms = Csms({"CS-U": password})

    async def scenario() -> list[Any]:
        async with serving(csms) as base:
            station = Station(f"{base}/CS-U", "2.0.1", password=password)
            await station.run(charge=False)
            outcomes: list[Any] = [station.sent[0]]
            # not UTF-8: refused like a wrong password (and not counted as a failed login)
            outcomes.append(
                await _status(f"{base}/CS-U", "CS-U", password.encode("latin-1", "replace"))
            )
            outcomes.append(await _status(f"{base}/CS-U", "CS-U", "wröng".encode()))
            return outcomes

    assert _run(scenario) == ["BootNotification", 401, 401]


def test_failed_logins_back_off_per_client(caplog: pytest.LogCaptureFixture) -> None:
    clock = [100.0]
    csms = Csms({"CS-B": "right", "CS-C": "other"}, throttle=LoginThrottle(clock=lambda: clock[0]))

    async def scenario() -> list[Any]:
        async with serving(csms) as base:
            url = f"{base}/CS-B"
            outcomes = [await _status(url, "CS-B", b"wrong")]
            try:  # even the right password waits out the back-off
                await Station(url, "2.0.1", password="right").run(charge=False)
            except websockets.InvalidStatus as refused:
                outcomes.append((refused.response.status_code,
                                 refused.response.headers["Retry-After"]))  # fmt: skip
            outcomes.append(await _status(f"{base}/CS-C", "CS-C", b"other"))  # another client
            clock[0] += 1.0
            outcomes.append(await _status(url, "CS-B", b"wrong"))
            clock[0] += 1.0
            outcomes.append(await _status(url, "CS-B", b"right"))  # the wait is 2 s now
            clock[0] += 1.0
            outcomes.append(await _status(url, "CS-B", b"right"))
            outcomes.append(await _status(url, "CS-B", b"wrong"))  # the count starts again
            return outcomes

    assert _run(scenario) == [401, (429, "1"), "in", 401, 429, "in", 401]
    assert _logged(caplog, "CS-B: failed login from 127.0.0.1")


def test_log_lines_cannot_be_forged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="csms")
    csms = Csms()
    forged = "2026-11-23 10:00:00,000 csms ADMIN logged in"
    boot = {"chargingStation": {"model": "M", "vendorName": f"V\n{forged}\r"}, "reason": "PowerUp"}

    async def scenario() -> None:
        async with (
            serving(csms) as base,
            websockets.connect(f"{base}/LOG%0AFORGED", subprotocols=["ocpp2.0.1"]) as station,
        ):
            await station.send(f'[2, "l-1", "BootNotification",\n{json.dumps(boot)}]')
            await _frame(station)
            await station.send('[2, "l-2", "Heartbeat", {}]\u2028\x1b[2J')
            await _frame(station)

    _run(scenario)
    messages = [record.getMessage() for record in caplog.records if record.name == "csms"]
    assert any("booted (PowerUp): V\\n" + forged + "\\r M" in m for m in messages), messages
    assert any('"BootNotification",\\n{' in m for m in messages)
    assert any("\\u2028\\x1b[2J" in m for m in messages)
    assert any(m.startswith("LOG\\nFORGED connected") for m in messages)
    assert all(m.isprintable() for m in messages), [m for m in messages if not m.isprintable()]


@pytest.mark.parametrize(
    ("request_bytes", "reason"),
    [
        (b"", "InvalidMessage: did not receive a valid HTTP request (EOFError: "),
        (b"GET /X HTTP/1.1\r\nHost: x\r\n\r\n", "InvalidUpgrade: missing Connection header"),
    ],
)
def test_an_aborted_handshake_logs_one_line(
    request_bytes: bytes, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A port scan (connect, close) or a plain HTTP request: one line, no traceback."""

    async def scenario() -> None:
        async with serving(Csms()) as base:
            host, port = base.removeprefix("ws://").split(":")
            reader, writer = await asyncio.open_connection(host, int(port))
            writer.write(request_bytes)
            await writer.drain()
            if request_bytes:
                await reader.read()  # the HTTP answer, then the CSMS closes
            writer.close()
            await writer.wait_closed()
            await _until(lambda: _logged(caplog, "opening handshake failed"))

    _run(scenario)
    failed = [r for r in caplog.records if "opening handshake failed" in r.getMessage()]
    assert len(failed) == 1
    (record,) = failed
    assert record.exc_info is None and record.levelno == logging.WARNING
    assert "\n" not in record.getMessage()
    assert record.getMessage().startswith("opening handshake failed (127.0.0.1:")
    assert f"): {reason}" in record.getMessage()


def test_binary_frames_are_refused_with_1003() -> None:
    async def scenario() -> tuple[int, str]:
        async with (
            serving(Csms()) as base,
            websockets.connect(f"{base}/BIN", subprotocols=["ocpp1.6"]) as station,
        ):
            await station.send(b'[2, "b-1", "Heartbeat", {}]')
            return await _close_of(station)

    assert _run(scenario) == (1003, BINARY_REFUSED)


def test_calls_to_an_unknown_station_fail_clearly() -> None:
    with pytest.raises(NotConnected, match="NOBODY is not connected"):
        asyncio.run(Csms().call("NOBODY", v16.HeartbeatRequest()))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- item 18: the simulator's failures, and the README's sample of a real run ------------------


async def _example(script: str, *args: str) -> tuple[int | None, list[str]]:
    """Run ``examples/<script>`` to its end; its exit code and output lines."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(EXAMPLES / script), *args, cwd=ROOT, stdout=PIPE, stderr=STDOUT
    )
    output, _ = await process.communicate()
    return process.returncode, output.decode().splitlines()


@pytest.mark.parametrize("case", ["refused", "unauthorized", "bad url"])
def test_the_simulator_fails_in_one_line(case: str) -> None:
    async def scenario() -> tuple[int | None, list[str]]:
        async with serving(Csms({"CS-1": "right"})) as base:
            arguments = {
                "refused": [f"ws://127.0.0.1:{free_port()}/CS-1"],
                "unauthorized": [f"{base}/CS-1", "--password", "wrong"],
                "bad url": ["http://127.0.0.1/CS-1"],
            }[case]
            return await _example("charging_station.py", *arguments)

    code, lines = _run(scenario)
    expected = {
        "refused": (1, r"cannot connect to ws://127\.0\.0\.1:\d+/CS-1: ConnectionRefusedError: .+"),
        "unauthorized": (1, "the CSMS refused the connection: HTTP 401 Unauthorized"),
        "bad url": (2, "'http://127.0.0.1/CS-1' is not a ws:// or wss:// URL ending with the "
                       "station id"),
    }[case]  # fmt: skip
    assert code == expected[0] and len(lines) == 1, lines
    assert re.fullmatch(f"charging_station.py: {expected[1]}", lines[0]), lines


def test_the_simulator_stops_at_once_when_the_csms_closes_the_connection() -> None:
    csms = Csms()

    async def scenario() -> ConnectionLost:
        async with serving(csms) as base:
            run = asyncio.create_task(Station(f"{base}/TAKEN", "1.6").run(charge=False, stay=60))
            await _until(lambda: "TAKEN" in csms.sessions)
            async with websockets.connect(f"{base}/TAKEN", subprotocols=["ocpp1.6"]):
                with pytest.raises(ConnectionLost) as lost:
                    await asyncio.wait_for(run, AT_ONCE)
            return lost.value

    lost = _run(scenario)
    assert str(lost) == f"the CSMS closed the connection: 1008 {TAKEN_OVER}"


@pytest.mark.parametrize("case", ["port taken", "bad users file"])
def test_the_csms_fails_in_one_line(case: str, tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    users.write_text("# station:password\nCS-001 secret\n", encoding="utf-8")

    async def scenario() -> tuple[int | None, list[str], int]:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            extra = ["--users", str(users)] if case == "bad users file" else []
            code, lines = await _example("csms.py", "--port", str(port), *extra)
            return code, lines, port

    code, lines, port = _run(scenario)
    if case == "port taken":
        assert code == 1 and len(lines) == 1, lines
        assert lines[0].startswith(f"csms.py: cannot listen on 127.0.0.1:{port}: [Errno ")
    else:
        assert (code, lines) == (2, [f"csms.py: {users}:2: expected station:password"])


TIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")
DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _normal(line: str) -> str:
    """A log line without what changes from run to run: times, message ids."""
    return UUID.sub("<id>", DATETIME.sub("<datetime>", TIME.sub("<time> ", line)))


def _sample_pattern(line: str) -> re.Pattern[str]:
    """A README sample line as a pattern: ``...`` stands for the part cut off."""
    return re.compile(".*".join(re.escape(part) for part in _normal(line).split("...")))


def _unpaired(samples: list[str], lines: list[str]) -> tuple[list[str], list[str]]:
    """Pair every output line with a sample line matching it, each sample used once (a maximum
    bipartite matching: concurrent lines may come in any order); what is left unpaired."""
    patterns = [_sample_pattern(sample) for sample in samples]
    fits = [[j for j, p in enumerate(patterns) if p.fullmatch(_normal(line))] for line in lines]
    owner: dict[int, int] = {}

    def place(i: int, seen: set[int]) -> bool:
        for j in fits[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or place(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    lonely_lines = [line for i, line in enumerate(lines) if not place(i, set())]
    return lonely_lines, [sample for j, sample in enumerate(samples) if j not in owner]


def test_the_readme_websocket_sample_is_what_its_commands_print() -> None:
    section = (ROOT / "README.md").read_text(encoding="utf-8")
    section = section.split("## Talking OCPP over WebSockets\n", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)[0].splitlines()
    csms_sample, station_sample = re.findall(r"```text\n(.*?)```", section, flags=re.DOTALL)[:2]
    assert len(commands) == 2 and "--port 9000" in commands[0] and ":9000/" in commands[1]

    async def scenario() -> tuple[list[str], list[str], int | None, int | None]:
        argv = shlex.split(commands[0].replace("--port 9000", "--port 0"))
        csms = await asyncio.create_subprocess_exec(
            sys.executable, *argv[1:], cwd=ROOT, stdout=PIPE, stderr=STDOUT
        )
        try:
            assert csms.stdout is not None
            first = (await csms.stdout.readline()).decode()
            port = re.search(r"ws://127\.0\.0\.1:(\d+)/", first)
            assert port, first
            argv = shlex.split(commands[1].replace(":9000/", f":{port[1]}/"))
            station = await asyncio.create_subprocess_exec(
                sys.executable, *argv[1:], cwd=ROOT, stdout=PIPE, stderr=STDOUT
            )
            station_output, _ = await station.communicate()
            lines = [first]
            while lines[-1] and "disconnected after" not in lines[-1]:
                lines.append((await csms.stdout.readline()).decode())
            csms.terminate()  # SIGTERM: the CSMS closes its connections and ends (exit 0)
            rest, _ = await csms.communicate()
        finally:
            if csms.returncode is None:
                csms.kill()
                await csms.wait()
        printed = "".join(lines) + rest.decode()
        printed = printed.replace(f"127.0.0.1:{port[1]}/", "127.0.0.1:9000/")
        return (
            printed.splitlines(),
            station_output.decode().splitlines(),
            csms.returncode,
            (station.returncode),
        )

    printed, station_printed, csms_code, station_code = _run(scenario)
    assert (csms_code, station_code) == (0, 0)
    assert _unpaired(csms_sample.splitlines(), printed) == ([], [])
    assert _unpaired(station_sample.splitlines(), station_printed[-1:]) == ([], [])
