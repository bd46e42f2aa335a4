"""``ocppgen audit``: every strict failure of a traffic log with its tolerance, a summary, exit 1
only for what the given tolerances do not accept, unreadable lines reported and skipped, the
example CSMS's own log read as it writes it, a progress bar only for a large file on a terminal.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import pty
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import websockets
from csms import Csms
from support import ROOT
from test_example_csms import LIMIT, serving
from typer.testing import CliRunner

from generator.cli import PROGRESS_BYTES, app

SAMPLE = ROOT / "examples" / "traffic.jsonl"


def _audit(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["audit", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_sample_log_lists_each_failure_with_its_tolerance_and_exits_1() -> None:
    code, out, err = _audit(str(SAMPLE), "--version", "1.6")
    assert code == 1 and err == ""
    assert (
        "CS-OPENEVSE MeterValues\n  line 8: request: TypeConstraintViolation at "
        "meterValue[0].sampledValue[0].value: expected string, got number -> tolerance: "
        "number-for-string\n"
    ) in out
    assert "line 7: response: TypeConstraintViolation at configurationKey[0].value" in out
    assert "line 12: request: OccurenceConstraintViolation" in out and "-> tolerance: none" in out
    assert "line 16: skipped: not JSON" in out
    assert out.endswith(
        "13 frames checked (OCPP 1.6), 9 fail strictly, 0 accepted under strict, 9 not covered; "
        "1 line skipped\n"
    )


def test_json_output_and_what_field_covers() -> None:
    code, out, _ = _audit(str(SAMPLE), "-v", "1.6", "--tolerate", "field", "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["uncovered"] == 2
    uncovered = {(f["station"], f["code"], tuple(f["tolerances"])) for f in report["failures"]
                 if not f["covered"]}  # fmt: skip
    assert uncovered == {
        ("CS-SIGEN", "PropertyConstraintViolation", ("id-token-truncated",)),
        ("CS-VESTEL", "OccurenceConstraintViolation", ()),
    }
    assert report["unreadable"] == [{"line": 16, "reason": report["unreadable"][0]["reason"]}]
    rows = {(r["station"], r["action"]): r for r in report["summary"]}
    assert rows[("CS-WALLBOX", "GetConfiguration")]["frames"] == 2  # the CALL and its result


def test_exit_0_when_every_failure_is_covered(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    status = {"connectorId": 1, "errorCode": "NoError", "status": "Available",
              "timestamp": "2024-04-26T14:35:02+02"}  # fmt: skip
    frames = [[2, "1", "StatusNotification", status], [2, "2", "Heartbeat", {}]]
    log.write_text("\n".join(json.dumps(f) for f in frames) + "\n", encoding="utf-8")
    assert _audit(str(log), "-v", "1.6")[0] == 1
    code, out, _ = _audit(str(log), "-v", "1.6", "--tolerate", "date-time-short-offset")
    assert code == 0 and "(covered)" in out
    assert _audit(str(log), "-v", "1.6", "--tolerate", "strict,field")[0] == 0


def test_unreadable_lines_are_reported_with_their_numbers_and_the_audit_goes_on(
    tmp_path: Path,
) -> None:
    log = tmp_path / "log.jsonl"
    log.write_bytes(
        b'[2, "1", "Heartbeat", {}]\n'
        b"not json at all\n"
        b"\xff\xfe broken bytes\n"
        b'{"station": "CS-1", "frame": "[2, "}\n'
        b'[1, "x", "Heartbeat", {}]\n'
        b'[3, "nobody", {}]\n'
        b"\n"
        b'[2, "2", "Heartbeat", {"extra": 1}]\n'
        b'[2, "3", "NoSuchAction", {}]\n'
    )
    code, out, _ = _audit(str(log), "-v", "1.6")
    assert code == 1
    lines = out.splitlines()
    for number, reason in (
        (2, "not JSON"),
        (3, "not UTF-8 text"),
        (4, "frame not JSON"),
        (5, "not an OCPP-J frame (type 1)"),
        (6, "a CALLRESULT to no CALL seen"),
    ):
        assert any(line.startswith(f"line {number}: skipped: {reason}") for line in lines), out
    assert "  line 8: request: FormationViolation at extra: property 'extra' is not allowed" in out
    assert "  line 9: request: NotImplemented at <payload>: OCPP 1.6 has no action" in out
    assert "3 frames checked" in out and "5 lines skipped" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--version", "1.7"], "ocpp_bindings has no OCPP version '1.7' (it has: 1.6, 2.0.1, 2.1)"),
        (["--version", "1.6", "--tolerate", "lenient"], "--tolerate: unknown tolerance or profile"),
        (["--version", "1.6", "--package", "no_such_bindings"], "cannot import the bindings"),
    ],
)
def test_bad_arguments_exit_2_in_one_line(args: list[str], message: str) -> None:
    code, out, err = _audit(str(SAMPLE), *args)
    assert code == 2 and out == ""
    assert err.startswith(f"ocppgen: error: {message}") and err.count("\n") == 1, err


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, err = _audit(str(tmp_path / "missing.jsonl"), "--version", "1.6")
    assert code == 2 and "missing.jsonl: cannot read" in err


def test_the_example_csms_log_is_read_as_it_writes_it(tmp_path: Path) -> None:
    """A real CSMS run: its log lines (formatted as ``csms.py`` does) audited."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    keep = Keep()
    logger = logging.getLogger("csms")
    logger.addHandler(keep)
    level = logger.level
    logger.setLevel(logging.INFO)

    async def scenario() -> None:
        async with (
            serving(Csms()) as base,
            websockets.connect(f"{base}/CS-LOG", subprotocols=["ocpp1.6"]) as ws,
        ):
            boot = {"chargePointVendor": "V", "chargePointModel": "M"}
            await ws.send(json.dumps([2, "b-1", "BootNotification", boot]))
            answers: list[Any] = []
            while len(answers) < 2:  # the boot's answer, and the CSMS's GetConfiguration
                answers.append(json.loads(await asyncio.wait_for(ws.recv(), 5)))
            call = next(a for a in answers if a[0] == 2)
            value = {"key": "HeartbeatInterval", "readonly": False, "value": 300}
            await ws.send(json.dumps([3, call[1], {"configurationKey": [value]}]))
            status = {"connectorId": 1, "errorCode": "NoError", "status": "Available",
                          "timestamp": "2024-01-01T10:00:00"}  # fmt: skip
            await ws.send(json.dumps([2, "s-1", "StatusNotification", status]))
            await asyncio.wait_for(ws.recv(), 5)

    try:
        asyncio.run(asyncio.wait_for(scenario(), LIMIT))
    finally:
        logger.removeHandler(keep)
        logger.setLevel(level)
    formatter = logging.Formatter("%(asctime)s %(name)s %(message)s")
    log = tmp_path / "csms.log"
    log.write_text("\n".join(formatter.format(r) for r in records) + "\n", encoding="utf-8")
    code, out, _ = _audit(str(log), "--version", "1.6")
    assert code == 1
    assert "CS-LOG GetConfiguration\n  line" in out and "response: TypeConstraintViolation" in out
    assert "CS-LOG StatusNotification" in out and "date-time-without-offset" in out
    assert "lines skipped" in out and "0 lines skipped" in out  # its other lines are no frames


def _large_log(path: Path) -> None:
    frame = json.dumps([2, "x", "Heartbeat", {}]) + "\n"
    path.write_text(frame * (PROGRESS_BYTES // len(frame) + 1), encoding="utf-8")


def test_a_progress_bar_only_for_a_large_file_on_a_terminal(tmp_path: Path) -> None:
    log = tmp_path / "large.jsonl"
    _large_log(log)
    code, _, err = _audit(str(log), "--version", "1.6")  # stderr is no terminal here
    assert code == 0 and err == ""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [str(Path(sys.executable).parent / "ocppgen"), "audit", str(log), "--version", "1.6"],
            stdout=subprocess.PIPE, stderr=follower, timeout=120, cwd=ROOT,
            env={**os.environ, "COLUMNS": "100"},
        )  # fmt: skip
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    assert done.returncode == 0, done
    assert b"auditing" in shown
    assert b"auditing" not in done.stdout and done.stdout.decode().endswith("0 lines skipped\n")


def _readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## Tolerances: what real stations send", 1)[1].split("\n## ", 1)[0]


def test_the_readme_audit_commands_print_what_it_shows() -> None:
    """The README's worked example, run as a new user runs it (``ocppgen`` on the PATH)."""
    section = _readme_section().split("**Auditing a traffic log.**", 1)[1]
    commands = re.search(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    shown = re.search(r"```text\n(.*?)```", section, flags=re.DOTALL)
    assert commands and shown
    lines = commands[1].strip().splitlines()
    assert len(lines) == 2
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    outputs = []
    for line in lines:
        done = subprocess.run(
            shlex.split(line), capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
        )
        assert done.returncode == 1 and done.stderr == "", done
        outputs.append(done.stdout)
    assert "9 fail strictly, 0 accepted under strict, 9 not covered" in outputs[0]
    assert outputs[1] == shown[1]


def test_the_readme_tolerances_file_reads(tmp_path: Path) -> None:
    from station_tolerances import load

    snippet = re.search(r"```toml\n(.*?)```", _readme_section(), flags=re.DOTALL)
    assert snippet
    path = tmp_path / "tolerances.toml"
    path.write_text(snippet[1], encoding="utf-8")
    tolerances = load(path)
    assert tolerances.for_station("CS-LAB-2") and not tolerances.for_station("CS-2")
