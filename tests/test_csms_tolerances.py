"""The example CSMS's ``--tolerances FILE``: by station id, by BootNotification vendor and
model (changed while the connection runs), and a clear error for every unknown name or key.

Real servers on 127.0.0.1 and port 0; every exchange bounded by ``asyncio.wait_for``.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import websockets
from csms import Csms
from ocpp_bindings import FIELD, Tolerance
from station_tolerances import TolerancesFileError, load
from support import ROOT
from test_example_csms import LIMIT, serving

EXAMPLE = ROOT / "examples" / "tolerances.toml"
NO_OFFSET = {"connectorId": 1, "errorCode": "NoError", "status": "Available",
             "timestamp": "2024-01-01T10:00:00"}  # fmt: skip
"""A StatusNotification whose timestamp lacks its offset (date-time-without-offset)."""


def test_the_example_file_reads_as_documented() -> None:
    tolerances = load(EXAMPLE)
    assert tolerances.for_station("CS-LAB-7") == FIELD
    assert tolerances.for_station("CS-OPENEVSE-1") == {Tolerance.NUMBER_FOR_STRING}
    assert tolerances.for_station("CS-001") == frozenset()
    schneider = tolerances.for_boot("CS-001", "Schneider Electric", "EVlink Smart Wallbox")
    assert schneider == {Tolerance.STRING_TRUNCATED, Tolerance.DATE_TIME_WITHOUT_OFFSET}
    assert tolerances.for_boot("CS-001", "MONTA", "any") == {Tolerance.DATE_TIME_SHORT_OFFSET}
    assert tolerances.for_boot("CS-001", "Other", "EVlink") == frozenset()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[stations]\n"CS-1" = "lenient"\n',
            "stations.CS-1: unknown tolerance or profile 'lenient'",
        ),
        ('default = ["field", "enum-cas"]\n', "default: unknown tolerance or profile 'enum-cas'"),
        ('[[boot]]\nvendor = "V"\ntolerate = ["nope"]\n', "boot[0].tolerate: unknown tolerance"),
        (
            '[[boot]]\nvendor = "V"\nmodell = "M"\ntolerate = "field"\n',
            "boot[0].modell: unknown key",
        ),
        ('[[boot]]\nvendor = "V"\n', "boot[0]: needs tolerate"),
        ('[station]\n"CS-1" = "field"\n', "station: unknown key"),
        ('[stations]\n"CS-1" = 3\n', "stations.CS-1: expected a profile name or a list"),
        ("default = \n", "not TOML"),
    ],
)
def test_an_unknown_name_or_key_is_an_error_naming_the_file_and_the_key(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "tolerances.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TolerancesFileError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}: {message}"), caught.value
    assert "\n" not in str(caught.value)


def test_the_csms_refuses_a_bad_file_in_one_line_before_listening(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text('[stations]\n"CS-1" = ["field", "lenient"]\n', encoding="utf-8")
    command = [sys.executable, str(ROOT / "examples" / "csms.py"), "--port", "0"]
    done = subprocess.run(
        [*command, "--tolerances", str(path)], capture_output=True, text=True, timeout=LIMIT
    )
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"csms.py: {path}: stations.CS-1: unknown "), (
        lines
    )


async def _answer(connection: Any, unique_id: str) -> list[Any]:
    """The answer to our call ``unique_id`` (the CSMS's own calls in between are skipped)."""
    while True:
        frame = json.loads(await asyncio.wait_for(connection.recv(), 5))
        if frame[1] == unique_id and frame[0] in (3, 4):
            return frame  # type: ignore[no-any-return]


def test_tolerances_follow_the_station_id_and_change_after_the_boot_notification() -> None:
    csms = Csms(tolerances=load(EXAMPLE))
    status = json.dumps([2, "s-1", "StatusNotification", NO_OFFSET])

    async def scenario() -> dict[str, list[str]]:
        seen: dict[str, list[str]] = {}
        async with serving(csms) as base:
            for station, vendor in (
                ("CS-LAB-1", "Lab"),
                ("CS-9", "Schneider Electric"),
                ("CS-8", "Acme"),
            ):
                async with websockets.connect(f"{base}/{station}", subprotocols=["ocpp1.6"]) as ws:
                    await ws.send(status)
                    before = await _answer(ws, "s-1")
                    boot = {"chargePointVendor": vendor, "chargePointModel": "EVlink Smart Wallbox"}
                    await ws.send(json.dumps([2, "b-1", "BootNotification", boot]))
                    assert (await _answer(ws, "b-1"))[0] == 3
                    await ws.send(status.replace("s-1", "s-2"))
                    after = await _answer(ws, "s-2")
                    seen[station] = [
                        "accepted" if frame[0] == 3 else frame[2] for frame in (before, after)
                    ]
        return seen

    seen = asyncio.run(asyncio.wait_for(scenario(), LIMIT))
    assert seen == {
        "CS-LAB-1": ["accepted", "accepted"],  # by id: field
        "CS-9": ["TypeConstraintViolation", "accepted"],  # by vendor and model, after the boot
        "CS-8": ["TypeConstraintViolation", "TypeConstraintViolation"],  # strict
    }
