"""The dispatcher's cost per frame: ``handle_frame`` on a CSMS against its parts run by hand.

For each payload and flavour: the whole ``handle_frame`` (frame checks, size limit, routing,
validation, handler, response validation, encoding), awaited in a running event loop as a
server does, and the floor it cannot go below: the same message's ``from_json`` plus the
response's ``to_json``. The ratio is the dispatcher's own overhead; it is what must not grow
when the dispatch path gets new guards. Run: make bench
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "generated"))

from peers import flavour_package
from timing import per_call_us, print_table

ACTIONS = ("Heartbeat", "BootNotification", "TransactionEvent", "MeterValues")
FLOOR = "from_json + to_json (floor)"
TARGET = 1.5
"""The msgspec flavour's target: handle_frame within 1.5x of its floor."""


class Answers:
    """A CSMS answering each action with its example response, prepared once."""

    def __init__(self, package: str) -> None:
        dispatch = importlib.import_module(f"{package}.v201.dispatch")
        examples = importlib.import_module(f"{package}.v201.examples")
        messages = importlib.import_module(f"{package}.v201.messages")
        for action in ACTIONS:
            response = getattr(messages, f"{action}Response").from_dict(
                examples.response(action, full=True)
            )
            method = f"on_{dispatch.PROTOCOL.features[action].handler.removeprefix('on_')}"
            setattr(self, method, self._answer(response))

    @staticmethod
    def _answer(response: Any) -> Any:
        def handler(request: Any, charging_station_id: str) -> Any:
            return response

        return handler


def awaited_us(loop: asyncio.AbstractEventLoop, csms: Any, frame: str) -> float:
    """Median time per ``await csms.handle_frame(frame)`` inside one running task (batches
    sized like ``per_call_us``'s; the loop is entered once per batch, not per frame)."""

    async def batch(number: int) -> float:
        start = time.perf_counter()
        for _ in range(number):
            await csms.handle_frame(frame, charging_station_id="CS-1")
        return time.perf_counter() - start

    def one_batch(number: int) -> float:
        return loop.run_until_complete(batch(number))

    return per_call_us(lambda: None, batch=one_batch)


def _stages(
    package: str, csms: Any, action: str, frame: str, response: Any
) -> list[tuple[str, float]]:
    """The steps of ``handle_frame`` that touch the messages, each timed alone (what is left
    is the dispatcher's own work: frame checks, routing, the handler call, the coroutine):
    reading the frame with its request and writing the checked answer, by the flavour's hot
    path where it has one (msgspec), else by the general path's functions."""
    fast = csms._fast_calls.get(action)  # the routes the frames above warmed
    if fast is not None:
        unique_id = fast.read(frame)[1]
        read: Callable[[], object] = lambda: fast.read(frame)  # noqa: E731
        write: Callable[[], object] = lambda: fast.write(unique_id, response)  # noqa: E731
    else:
        frames = importlib.import_module(f"{package}._dispatch")
        request = csms.protocol.features[action].request
        unique_id = frames.load_frame(frame)[1]
        read = lambda: request.from_dict(frames.load_frame(frame)[3])  # noqa: E731
        write = lambda: frames.checked_frame([3, unique_id], response)  # noqa: E731
    return [
        ("  read the frame and request", per_call_us(read)),
        ("  check and write the answer", per_call_us(write)),
    ]


def main() -> None:
    print(f"Python {sys.version.split()[0]}; median of 7 batches per row")
    loop = asyncio.new_event_loop()
    ratios: dict[tuple[str, str], float] = {}
    flavours = (("dataclasses", "ocpp_bindings"), ("msgspec", flavour_package("msgspec")))
    for style, package in flavours:
        dispatch = importlib.import_module(f"{package}.v201.dispatch")
        examples = importlib.import_module(f"{package}.v201.examples")
        messages = importlib.import_module(f"{package}.v201.messages")
        csms = dispatch.Dispatcher(dispatch.Role.CSMS, [Answers(package)])
        for action in ACTIONS:
            body = examples.request(action, full=True)
            frame = json.dumps([2, "b0e2f1c4-7d7a-4f56-9a43-3e8d2c1f0a11", action, body])
            request_cls = getattr(messages, f"{action}Request")
            response = getattr(messages, f"{action}Response").from_dict(
                examples.response(action, full=True)
            )
            text = json.dumps(body)

            def parts(text: str = text, cls: Any = request_cls, out: Any = response) -> object:
                cls.from_json(text)
                return out.to_json()

            reply = loop.run_until_complete(csms.handle_frame(frame, charging_station_id="CS-1"))
            assert json.loads(str(reply))[0] == 3, reply  # the frame is answered
            rows = [(FLOOR, per_call_us(parts)), ("handle_frame", awaited_us(loop, csms, frame))]
            if action == "TransactionEvent":
                rows += _stages(package, csms, action, frame, response)
            print_table(f"{style}: {action} CALL ({len(frame)} B)", rows, "us", FLOOR)
            ratios[style, action] = rows[1][1] / rows[0][1]
    loop.close()
    print(f"\nTarget: msgspec flavour, handle_frame / floor <= {TARGET}x (others for comparison)")
    for (style, action), value in ratios.items():
        verdict = ("met" if value <= TARGET else "MISSED") if style == "msgspec" else ""
        print(f"  {style:<12} {action:<17} {value:5.2f}x  {verdict}")


if __name__ == "__main__":
    main()
