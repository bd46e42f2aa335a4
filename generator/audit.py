"""``ocppgen audit``: which frames of a traffic log fail strict validation, and which tolerance
would accept each.

A log is JSON lines: OCPP-J frames (``[2, "id", "Action", {...}]``), objects
``{"station": ..., "direction": ..., "frame": ...}`` (the frame as an array or as JSON text),
or the example CSMS's own log lines (``... csms CS-001 <- [2, ...]``; its other lines are
skipped). A CALLRESULT is matched to its CALL by station and unique id. Each payload is parsed
strictly by the generated bindings; a failure is reported with its path, OCPP error code and the
tolerances that would accept it (found by parsing under every tolerance), and counted as covered
when the tolerances given accept it.
"""

from __future__ import annotations

import importlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from types import ModuleType
from typing import Any

CALL, CALLRESULT, CALLERROR, SEND = 2, 3, 4, 6
_CSMS_LINE = re.compile(r"^(?:.*?\s)?csms (?P<station>\S+) (?P<arrow><-|->) (?P<frame>\[.*)$")
_LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d")
"""A log line of some other kind (a timestamp first): skipped, not an unreadable line."""


class AuditError(ValueError):
    """The audit cannot start (unknown version, bindings not importable, unknown tolerance)."""


@dataclass(frozen=True)
class Failure:
    """One frame that fails strict validation."""

    line: int
    station: str
    action: str
    message: str
    """``request`` or ``response``."""
    code: str
    path: str
    reason: str
    tolerances: tuple[str, ...]
    """The tolerances that accept the frame (empty: none does)."""
    covered: bool
    """Accepted under the tolerances the audit was given."""


@dataclass(frozen=True)
class Unreadable:
    """A line that holds no frame the audit can check, and why."""

    line: int
    reason: str


@dataclass
class AuditReport:
    """Everything an audit found, in log order."""

    version: str
    tolerate: tuple[str, ...]
    """The tolerances the audit was given, by name."""
    given: str = "strict"
    """The ``--tolerate`` arguments as given (``field``)."""
    frames: int = 0
    """Payloads checked (CALL, SEND and matched CALLRESULT frames)."""
    failures: list[Failure] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    checked: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(station, action) -> payloads checked."""

    @property
    def uncovered(self) -> list[Failure]:
        return [f for f in self.failures if not f.covered]


@dataclass(frozen=True)
class _Frame:
    line: int
    station: str
    frame: Any


def read_frames(lines: Iterable[str | bytes], report: AuditReport) -> Iterator[_Frame]:
    """The frames of a log's lines (text, or UTF-8 bytes); what cannot be read goes to
    ``report.unreadable``."""
    for number, raw in enumerate(lines, start=1):
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                report.unreadable.append(Unreadable(number, f"not UTF-8 text: {exc.reason}"))
                continue
        text = raw.strip()
        if not text:
            continue
        match = _CSMS_LINE.match(text)
        station, source = ("-", text) if match is None else (match["station"], match["frame"])
        try:
            value = json.loads(source)
        except (ValueError, RecursionError) as exc:
            if match is None and _LOG_LINE.match(text):
                continue  # another line of a log
            report.unreadable.append(Unreadable(number, f"not JSON: {str(exc)[:80]}"))
            continue
        if isinstance(value, dict):
            station = str(value.get("station", "-"))
            value = value.get("frame")
            if isinstance(value, str):
                try:
                    value = json.loads(value)
                except (ValueError, RecursionError) as exc:
                    report.unreadable.append(Unreadable(number, f"frame not JSON: {exc}"[:90]))
                    continue
        if not isinstance(value, list) or len(value) < 3 or not isinstance(value[1], str):
            report.unreadable.append(Unreadable(number, "not an OCPP-J frame"))
            continue
        yield _Frame(number, station, value)


class Auditor:
    """Checks the payloads of one OCPP version's frames with the generated bindings."""

    def __init__(self, package: str, version: str, tolerate: Iterable[str]) -> None:
        try:
            bindings = importlib.import_module(package)
        except ImportError as exc:
            raise AuditError(f"cannot import the bindings {package!r}: {exc}") from None
        versions: dict[str, str] = getattr(bindings, "VERSIONS", {})
        if version not in versions:
            known = ", ".join(versions) or "none"
            raise AuditError(f"{package} has no OCPP version {version!r} (it has: {known})")
        self.runtime: ModuleType = importlib.import_module(f"{package}._runtime")
        self.messages = importlib.import_module(f"{versions[version]}.messages")
        names = [name.strip() for entry in tolerate for name in entry.split(",") if name.strip()]
        try:
            self.tolerate = self.runtime.tolerances_named(names)
        except ValueError as exc:
            raise AuditError(f"--tolerate: {exc}") from None
        self.every = frozenset(self.runtime.Tolerance)
        chosen = tuple(sorted(t.value for t in self.tolerate))
        self.report = AuditReport(version, chosen, ", ".join(names) or "strict")
        self._pending: dict[tuple[str, str], str] = {}

    def audit(self, lines: Iterable[str | bytes]) -> AuditReport:
        for frame in read_frames(lines, self.report):
            self.check_frame(frame)
        return self.report

    def check_frame(self, item: _Frame) -> None:
        frame, report = item.frame, self.report
        kind, unique_id = frame[0], frame[1]
        if kind in (CALL, SEND) and len(frame) == 4 and isinstance(frame[2], str):
            action, message, payload = frame[2], "request", frame[3]
            if kind == CALL:
                self._pending[(item.station, unique_id)] = action
        elif kind == CALLRESULT and len(frame) == 3:
            pending = self._pending.pop((item.station, unique_id), None)
            if pending is None:
                report.unreadable.append(Unreadable(item.line, "a CALLRESULT to no CALL seen"))
                return
            action, message, payload = pending, "response", frame[2]
        elif kind in (CALLERROR, 5):
            self._pending.pop((item.station, unique_id), None)
            return
        else:
            report.unreadable.append(Unreadable(item.line, f"not an OCPP-J frame (type {kind!r})"))
            return
        cls = self._class(action, message)
        report.frames += 1
        report.checked[(item.station, action)] += 1
        if cls is None:
            failure = Failure(
                item.line, item.station, action, message, "NotImplemented", "",
                f"OCPP {report.version} has no action {action[:40]!r}", (), False,
            )  # fmt: skip
            report.failures.append(failure)
            return
        self.check_payload(item, cls, action, message, payload)

    def _class(self, action: str, message: str) -> Any:
        if not action.isidentifier():
            return None
        suffix = "Request" if message == "request" else "Response"
        cls = getattr(self.messages, action + suffix, None)
        return cls if isinstance(cls, type) else None

    def check_payload(
        self, item: _Frame, cls: Any, action: str, message: str, payload: object
    ) -> None:
        runtime = self.runtime
        try:
            cls.from_dict(payload)
            return
        except runtime.ValidationError as exc:
            error = exc
        try:
            _, found = runtime.tolerating(self.every, lambda: cls.from_dict(payload))
            needed = tuple(sorted({d.tolerance.value for d in found}))
        except runtime.ValidationError:
            needed = ()
        covered = False
        if needed and self.tolerate:
            try:
                runtime.tolerating(self.tolerate, lambda: cls.from_dict(payload))
                covered = True
            except runtime.ValidationError:
                pass
        self.report.failures.append(
            Failure(
                item.line, item.station, action, message, error.ocpp_error_code, error.path,
                error.message, needed, covered,
            )
        )  # fmt: skip


def render_text(report: AuditReport) -> str:
    """Failures per station and action, the unreadable lines, a summary table, the totals."""
    out: list[str] = []
    order = sorted(report.failures, key=lambda f: (f.station, f.action, f.line))
    current: tuple[str, str] | None = None
    for failure in order:
        if (failure.station, failure.action) != current:
            current = (failure.station, failure.action)
            out.append(f"{failure.station} {failure.action}")
        accepted = ", ".join(failure.tolerances) or "none"
        mark = " (covered)" if failure.covered else ""
        where = failure.path or "<payload>"
        out.append(
            f"  line {failure.line}: {failure.message}: {failure.code} at {where}: "
            f"{_one_line(failure.reason)} -> tolerance: {accepted}{mark}"
        )
    for unreadable in report.unreadable:
        out.append(f"line {unreadable.line}: skipped: {unreadable.reason}")
    rows = summary(report)
    if rows:
        out += ["", *_table(rows)]
    failing, uncovered = len(report.failures), len(report.uncovered)
    skipped = len(report.unreadable)
    out.append(
        f"\n{report.frames} frames checked (OCPP {report.version}), {failing} fail strictly, "
        f"{failing - uncovered} accepted under {report.given}, {uncovered} not covered; "
        f"{skipped} {'line' if skipped == 1 else 'lines'} skipped"
    )
    return "\n".join(out).lstrip("\n") + "\n"


def summary(report: AuditReport) -> list[dict[str, Any]]:
    """One row per station and action: frames, strict failures, covered, tolerances needed."""
    rows = []
    for station, action in sorted(report.checked):
        mine = [f for f in report.failures if (f.station, f.action) == (station, action)]
        needed = sorted({t for f in mine for t in f.tolerances})
        rows.append(
            {
                "station": station,
                "action": action,
                "frames": report.checked[(station, action)],
                "failing": len(mine),
                "covered": sum(f.covered for f in mine),
                "tolerances": needed,
                "rejected_by_every_tolerance": sum(not f.tolerances for f in mine),
            }
        )
    return rows


def _table(rows: list[dict[str, Any]]) -> list[str]:
    header = ("station", "action", "frames", "failing", "covered", "tolerances needed")
    cells = [header] + [
        (
            r["station"], r["action"], str(r["frames"]), str(r["failing"]), str(r["covered"]),
            ", ".join([*r["tolerances"], *(["none"] if r["rejected_by_every_tolerance"] else [])])
            or "-",
        )
        for r in rows
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in cells
    ]
    return [line.rstrip() for line in lines]


def render_json(report: AuditReport) -> str:
    """The report as one JSON document."""
    document = {
        "version": report.version,
        "tolerate": list(report.tolerate),
        "given": report.given,
        "frames": report.frames,
        "failures": [asdict(f) for f in report.failures],
        "unreadable": [asdict(u) for u in report.unreadable],
        "summary": summary(report),
        "uncovered": len(report.uncovered),
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def _one_line(text: str) -> str:
    return text if text.isprintable() else repr(text)[1:-1]
