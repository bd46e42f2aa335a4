"""The dispatcher's cost per frame: ``handle_frame`` on a CSMS against its parts run by hand.

For each payload: the whole ``handle_frame`` (frame checks, size limit, routing, validation,
handler, response validation, encoding) and the floor it cannot go below: the same message's
``from_json`` plus the response's ``to_json``. The ratio is the dispatcher's own overhead; it
is what must not grow when the dispatch path gets new guards. Run: make bench
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "generated"))

from ocpp_bindings.v201 import dispatch, examples, messages
from timing import per_call_us, print_table

ACTIONS = ("Heartbeat", "BootNotification", "TransactionEvent", "MeterValues")


class Answers:
    """A CSMS answering each action with its example response, prepared once."""

    def __init__(self) -> None:
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


def main() -> None:
    print(f"Python {sys.version.split()[0]}; median of 7 batches per row")
    csms = dispatch.Dispatcher(dispatch.Role.CSMS, [Answers()])
    loop = asyncio.new_event_loop()
    for action in ACTIONS:
        body = examples.request(action, full=True)
        frame = json.dumps([2, "b0e2f1c4-7d7a-4f56-9a43-3e8d2c1f0a11", action, body])
        request_cls = getattr(messages, f"{action}Request")
        response = getattr(messages, f"{action}Response").from_dict(
            examples.response(action, full=True)
        )
        text = json.dumps(body)

        def whole(frame: str = frame) -> object:
            return loop.run_until_complete(csms.handle_frame(frame, charging_station_id="CS-1"))

        def parts(text: str = text, cls: Any = request_cls, out: Any = response) -> object:
            cls.from_json(text)
            return out.to_json()

        whole()  # warm up; and the frame must be answered with a CALLRESULT
        assert json.loads(str(whole()))[0] == 3
        floor = "from_json + to_json (floor)"
        rows = [(floor, per_call_us(parts)), ("handle_frame", per_call_us(whole))]
        print_table(f"{action} CALL ({len(frame)} B)", rows, "us", floor)
    loop.close()


if __name__ == "__main__":
    main()
