"""Load: thousands of simulated OCPP 2.0.1 stations on loopback against the example CSMS.

1. One worker (``examples/csms.py``), and as the peer the ``ocpp`` package's central system
   (``load_peer.py``) on the same load: N stations connect and boot, then send Heartbeat and
   MeterValues (alternately, each station in turn) at a fixed total rate for a bounded time
   (2,000 and 4,000 frames/s by default: each station once a second, twice a second).
   Prints frames/s answered, p50/p99 round trip, the server's CPU and its memory per station
   (resident set growth from idle to N stations, over N).
2. Two workers through Redis (``csms.py --redis``), half of the stations on each, the same
   frame load (at the first rate); then, with the frames still flowing, CSMS-initiated calls
   (GetVariables) entering worker A for stations on worker B, a fixed number in flight:
   calls/s and p50/p99; and, for reference, calls entering A for its own stations. The
   ``ocpp`` package has no way to reach a station held by another process: no peer column.

The simulated stations are raw WebSocket clients in this process sending prepared frames (the
load must cost less than the work it measures); they answer the CSMS's calls (the boot's
GetVariables) and offer no permessage-deflate, like most chargers. All processes share this
machine's cores; the table shows the stations' CPU too.

    python bench_load.py [--stations 2000] [--rate 2000 --rate 4000] [--seconds 15]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import resource
import sys
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "generated"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))  # cluster, redis

import websockets
from cluster import Cluster
from ocpp_bindings import v201
from redis_server import RedisServer, free_port

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BOOT = {"chargingStation": {"model": "Load-11kW", "vendorName": "ocppgen"}, "reason": "PowerUp"}
METER_VALUES = {
    "evseId": 1,
    "meterValue": [
        {
            "timestamp": "2026-12-01T08:00:00Z",
            "sampledValue": [
                {"value": 12345.6, "measurand": "Energy.Active.Import.Register",
                 "unitOfMeasure": {"unit": "Wh"}},
                {"value": 11000.0, "measurand": "Power.Active.Import",
                 "unitOfMeasure": {"unit": "W"}},
            ],
        }
    ],
}  # fmt: skip
FRAMES = [("Heartbeat", "{}"), ("MeterValues", json.dumps(METER_VALUES))]
"""What each station sends, in turn, as prepared payload text."""
CONNECTING = 50
"""Stations opening their connection at the same time (the listen backlog is 100)."""
ASK = v201.GetVariablesRequest(
    get_variable_data=[
        v201.GetVariableDataType(
            component=v201.ComponentType(name="OCPPCommCtrlr"),
            variable=v201.VariableType(name="HeartbeatInterval"),
        )
    ]
)


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` (0..1) quantile of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def raise_file_limit(needed: int) -> tuple[int, int]:
    """Raise this process's (and its children's) soft limit on open files to ``needed`` if
    the hard limit allows; (before, after)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return soft, soft
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise SystemExit(f"bench_load.py: needs {needed} open files, the hard limit is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    return soft, needed


# --- the simulated stations ---------------------------------------------------------------------


class Fleet:
    """N simulated stations: their connections, the frames in flight and the round trips."""

    def __init__(self) -> None:
        self.connections: list[Any] = []
        self.sent_at: dict[str, float] = {}
        """Message id -> when it was sent (while measuring)."""
        self.round_trips: list[float] = []
        self.unanswered = 0
        self._ids = itertools.count()
        self._booted: dict[str, asyncio.Future[None]] = {}
        self._readers: list[asyncio.Task[None]] = []

    async def connect(self, urls: Sequence[str]) -> float:
        """Open and boot a station at each URL; the seconds it took."""
        start = time.perf_counter()
        gate = asyncio.Semaphore(CONNECTING)

        async def one(url: str) -> None:
            async with gate:
                connection = await websockets.connect(
                    url, subprotocols=[websockets.Subprotocol("ocpp2.0.1")],
                    compression=None, open_timeout=60, ping_interval=None,
                )  # fmt: skip
            self.connections.append(connection)
            self._readers.append(asyncio.create_task(self._read(connection)))
            booted = asyncio.get_running_loop().create_future()
            boot_id = f"boot-{next(self._ids)}"
            self._booted[boot_id] = booted
            await connection.send(json.dumps([2, boot_id, "BootNotification", BOOT]))
            await asyncio.wait_for(booted, 60)

        await asyncio.gather(*(one(url) for url in urls))
        return time.perf_counter() - start

    async def _read(self, connection: Any) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for text in connection:
                frame = json.loads(text)
                if frame[0] == 2:  # the CSMS asks: answer as a station would
                    await connection.send(json.dumps([3, frame[1], _answer(frame[2], frame[3])]))
                    continue
                message_id = frame[1]
                sent = self.sent_at.pop(message_id, None)
                if sent is not None:
                    self.round_trips.append(time.perf_counter() - sent)
                elif message_id in self._booted:
                    self._booted.pop(message_id).set_result(None)

    async def offer(self, rate: float, seconds: float, drain: float = 3.0) -> tuple[int, float]:
        """Send ``rate`` frames/s (stations in turn) for ``seconds``; (frames answered, s)."""
        self.round_trips, self.sent_at = [], {}
        tick, due, sent = 0.01, 0.0, 0
        turns = itertools.cycle(
            (connection, frame)
            for frame in FRAMES
            for connection in self.connections
        )  # fmt: skip
        start = time.perf_counter()
        while (now := time.perf_counter()) - start < seconds:
            due = rate * (now - start)
            while sent < due:
                connection, (action, payload) = next(turns)
                message_id = f"m{next(self._ids)}"
                self.sent_at[message_id] = time.perf_counter()
                await connection.send(f'[2,"{message_id}","{action}",{payload}]')
                sent += 1
            await asyncio.sleep(tick)
        elapsed = time.perf_counter() - start
        deadline = time.perf_counter() + drain
        while self.sent_at and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        self.unanswered = len(self.sent_at)
        return len(self.round_trips), elapsed

    async def close(self) -> None:
        await asyncio.gather(*(c.close() for c in self.connections), return_exceptions=True)
        for reader in self._readers:
            reader.cancel()
        await asyncio.gather(*self._readers, return_exceptions=True)


def _answer(action: str, request: dict[str, Any]) -> dict[str, Any]:
    """A station's answer to a CSMS call (GetVariables: the heartbeat interval)."""
    if action == "GetVariables":
        wanted = request["getVariableData"]
        return {"getVariableResult": [{"attributeStatus": "Accepted", "attributeValue": "300",
                                       **item} for item in wanted]}  # fmt: skip
    return {"status": "Accepted"}


# --- the servers --------------------------------------------------------------------------------


@dataclass
class Server:
    """A CSMS process under load (``{port}`` in ``argv`` is its port): memory and CPU time."""

    argv: list[str]
    port: int = field(default_factory=free_port)
    process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    async def start(self) -> None:
        argv = [arg.replace("{port}", str(self.port)) for arg in self.argv]
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, *argv, cwd=ROOT, stdin=asyncio.subprocess.DEVNULL
        )
        deadline = time.monotonic() + 30
        while not self.listening():
            if self.process.returncode is not None or time.monotonic() > deadline:
                raise SystemExit(f"bench_load.py: {self.argv[0]} did not start")
            await asyncio.sleep(0.05)

    def listening(self) -> bool:
        """Is the port in LISTEN state? (Read from /proc: a probe connection would be
        logged by the server as a failed handshake.)"""
        local = f"0100007F:{self.port:04X}"
        lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
        return any(line.split()[1] == local and line.split()[3] == "0A" for line in lines)

    def rss_kib(self) -> int:
        assert self.process is not None
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(
            next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
        )

    def cpu_s(self) -> float:
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 30)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


@contextlib.asynccontextmanager
async def running(*servers: Server) -> AsyncIterator[None]:
    try:
        for server in servers:
            await server.start()
        await asyncio.sleep(0.5)  # imports done, idle
        yield
    finally:
        for server in servers:
            await server.stop()


def csms(*options: str) -> Server:
    return Server([str(ROOT / "examples" / "csms.py"), "--port", "{port}", "--log-level", "WARNING",
                   *options])  # fmt: skip


# --- the runs -----------------------------------------------------------------------------------


@dataclass
class Frames:
    """One frame-load run against one or more servers."""

    boot_s: float
    answered: int
    seconds: float
    unanswered: int
    round_trips: list[float]
    cpu: list[float]
    """Per server: CPU time over the window / the window (1.0 = one core)."""
    kib_per_station: list[float]
    generator_cpu: float
    """This process's (the simulated stations') CPU time over the window / the window."""

    def row(self) -> dict[str, str]:
        return {
            "boot": f"{self.boot_s:.1f}",
            "frames/s": f"{self.answered / self.seconds:.0f}"
            + (f" ({self.unanswered} unanswered)" if self.unanswered else ""),
            "p50 / p99": _ms(self.round_trips),
            "cpu": " + ".join(f"{share * 100:.0f}%" for share in self.cpu),
            "memory": " / ".join(f"{kib:.1f}" for kib in self.kib_per_station),
            "generator": f"{self.generator_cpu * 100:.0f}%",
        }


async def frame_load(fleet: Fleet, servers: Sequence[Server], stations: int, rate: float,
                     seconds: float) -> Frames:  # fmt: skip
    """Boot ``stations`` spread over ``servers``, then offer the frames."""
    idle = [server.rss_kib() for server in servers]
    urls = [f"{servers[i % len(servers)].url}/LOAD-{i:05d}" for i in range(stations)]
    boot_s = await fleet.connect(urls)
    await asyncio.sleep(1.0)  # the boot's GetVariables answered everywhere
    cpu_before = [server.cpu_s() for server in servers]
    generator_before = time.process_time()
    answered, elapsed = await fleet.offer(rate, seconds)
    generator = (time.process_time() - generator_before) / elapsed
    cpu = [(server.cpu_s() - before) / elapsed for server, before in zip(servers, cpu_before,
                                                                         strict=True)]  # fmt: skip
    held = stations / len(servers)
    memory = [(server.rss_kib() - kib) / held for server, kib in zip(servers, idle, strict=True)]
    return Frames(boot_s, answered, elapsed, fleet.unanswered, fleet.round_trips, cpu, memory,
                  generator)  # fmt: skip


async def calls(cluster: Cluster, via: str, stations: Sequence[str], in_flight: int,
                seconds: float) -> tuple[float, list[float]]:  # fmt: skip
    """Closed loop: ``in_flight`` callers send GetVariables through ``via`` to ``stations`` in
    turn for ``seconds``; (calls/s, round trips in s)."""
    turns = itertools.cycle(stations)
    round_trips: list[float] = []
    end = time.perf_counter() + seconds

    async def caller() -> None:
        while time.perf_counter() < end:
            start = time.perf_counter()
            await cluster.call(next(turns), ASK, via=via, timeout=10)
            round_trips.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(in_flight)))
    return len(round_trips) / (time.perf_counter() - start), round_trips


def _ms(round_trips: Sequence[float]) -> str:
    """p50 / p99 in milliseconds."""
    ms = [t * 1000 for t in round_trips]
    return f"{percentile(ms, 0.5):.1f} / {percentile(ms, 0.99):.1f}"


LABELS = {
    "boot": "boot of all stations (s)",
    "frames/s": "frames/s answered",
    "p50 / p99": "round trip p50 / p99 (ms)",
    "cpu": "server CPU (one core = 100%)",
    "memory": "server memory per station (KiB)",
    "generator": "the simulated stations' CPU (one process)",
}


async def one_process(args: argparse.Namespace, rate: float) -> None:
    """The example CSMS and the peer, one process each, on the same load."""
    results: dict[str, Frames] = {}
    peer = Server([str(HERE / "load_peer.py"), "{port}"])
    for name, server in (("example CSMS", csms()), ("ocpp 2.1.0 central system", peer)):
        fleet = Fleet()
        async with running(server):
            results[name] = await frame_load(fleet, [server], args.stations, rate, args.seconds)
            await fleet.close()
    print(f"\nOne process, {rate:g} frames/s offered | {' | '.join(results)}\n---|---|---")
    for key, label in LABELS.items():
        print(f"{label} | {' | '.join(frames.row()[key] for frames in results.values())}")


async def two_workers(args: argparse.Namespace, rate: float) -> None:
    """Two workers through Redis: the frame load, then calls entering worker A."""
    with RedisServer() as redis_url:
        a_name, b_name = f"bench-a-{os.getpid()}", f"bench-b-{os.getpid()}"
        a = csms("--redis", redis_url, "--worker", a_name)
        b = csms("--redis", redis_url, "--worker", b_name)
        fleet = Fleet()
        async with running(a, b):
            frames = await frame_load(fleet, [a, b], args.stations, rate, args.seconds)
            cluster = await Cluster.from_url(redis_url, f"bench-{os.getpid()}").start()
            try:
                on_a = [f"LOAD-{i:05d}" for i in range(0, args.stations, 2)]
                on_b = [f"LOAD-{i:05d}" for i in range(1, args.stations, 2)]
                load = asyncio.create_task(fleet.offer(rate, 2 * args.call_seconds + 1))
                remote = await calls(cluster, a_name, on_b, args.in_flight, args.call_seconds)
                local = await calls(cluster, a_name, on_a, args.in_flight, args.call_seconds)
                await load
            finally:
                await cluster.close()
            await fleet.close()
    row = frames.row()
    print(f"\nTwo workers through Redis, {args.stations // 2} stations each, {rate:g} frames/s "
          "offered | example CSMS\n---|---")  # fmt: skip
    for key, label in LABELS.items():
        print(f"{label.replace('server', 'each worker:')} | {row[key]}")
    for name, (per_s, round_trips) in (("for stations on B", remote), ("for its own", local)):
        print(f"calls entering A {name}, {args.in_flight} in flight: calls/s | {per_s:.0f}")
        print(f"... round trip p50 / p99 (ms) | {_ms(round_trips)}")
    print("(the ocpp package cannot call a station held by another process: no peer column)")


async def main(args: argparse.Namespace) -> None:
    before, after = raise_file_limit(args.stations + 512)
    raised = f" (raised to {after})" if after != before else ""
    print(f"\nLoad: {args.stations} OCPP 2.0.1 stations on loopback, Heartbeat and MeterValues "
          f"for {args.seconds:g} s per run; open files limit {before}{raised}")  # fmt: skip
    for rate in args.rate:
        await one_process(args, rate)
    await two_workers(args, args.rate[0])


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=2000)
    parser.add_argument(
        "--rate", type=float, action="append", help="frames/s of all stations (2000, 4000)"
    )
    parser.add_argument("--seconds", type=float, default=15.0, help="of frame load")
    parser.add_argument("--call-seconds", type=float, default=8.0, help="of each call run")
    parser.add_argument("--in-flight", type=int, default=16, help="concurrent calls")
    args = parser.parse_args()
    args.rate = args.rate or [2000.0, 4000.0]
    return args


if __name__ == "__main__":
    asyncio.run(main(arguments()))
