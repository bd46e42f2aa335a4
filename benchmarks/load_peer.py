"""The peer of ``bench_load.py``: the ``ocpp`` package's (2.1.0) central system for OCPP 2.0.1,
set up as its README shows (one ``ChargePoint`` per connection on ``websockets``, ``@on``
handlers), answering what the load sends. Logs warnings only, like the CSMS it is compared to.

    python load_peer.py PORT
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from datetime import datetime, timezone
from typing import Any

import websockets
from ocpp.routing import on
from ocpp.v201 import ChargePoint, call_result
from ocpp.v201.enums import RegistrationStatusEnumType
from websockets.asyncio.server import ServerConnection


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


class CentralSystem(ChargePoint):  # ocpp ships no type hints
    """The answers: BootNotification accepted, Heartbeat with the time, MeterValues empty."""

    @on("BootNotification")
    def on_boot_notification(self, **request: Any) -> call_result.BootNotification:
        return call_result.BootNotification(
            current_time=_now(), interval=300, status=RegistrationStatusEnumType.accepted
        )

    @on("Heartbeat")
    def on_heartbeat(self, **request: Any) -> call_result.Heartbeat:
        return call_result.Heartbeat(current_time=_now())

    @on("MeterValues")
    def on_meter_values(self, **request: Any) -> call_result.MeterValues:
        return call_result.MeterValues()


async def accept(connection: ServerConnection) -> None:
    assert connection.request is not None
    central = CentralSystem(connection.request.path.strip("/"), connection)
    with contextlib.suppress(websockets.ConnectionClosed):
        await central.start()


async def main(port: int) -> None:
    server = await websockets.serve(
        accept, "127.0.0.1", port, subprotocols=[websockets.Subprotocol("ocpp2.0.1")]
    )
    await server.serve_forever()


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main(int(sys.argv[1])))
