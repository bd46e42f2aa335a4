"""Typed calls: mypy --strict sees the exact response type of every ``call``, in every flavour.

For each flavour the bindings (every version) and a small extension with several custom
actions (``zap_ocpp``, 2.1: two CALLs, two SENDs) are generated once into ``build/typed-calls``;
the worked extension ``acme`` is checked beside the committed ``generated/``. A file that calls
``dispatcher.call(request)`` for every CALL action of every version, without annotating the
results, goes through mypy, and the revealed types must be the response classes the generated
registry names, line by line; the calls that must not type-check (a response passed as a
request, another version's request, ``send`` of a CALL message, a custom action through the
wrong version's dispatcher) must fail with the expected error code, and nothing else may.
"""

from __future__ import annotations

import asyncio
import fcntl
import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from support import ROOT, SCHEMAS

from generator import pipeline
from generator.config import Settings
from generator.flavours import Style
from generator.output.layout import Layout

BUILD = ROOT / "build" / "typed-calls"
BIN = Path(sys.executable).parent
VERSION_PACKAGES = {"1.6": "v16", "2.0.1": "v201", "2.1": "v21"}

ZAP_MANIFEST = """package = "zap_ocpp"
vendor_id = "com.zap"
versions = ["2.1"]

[[action]]
name = "ZapPing"
initiator = "both"
request = "ZapPingRequest.json"
response = "ZapPingResponse.json"

[[action]]
name = "ZapReport"
initiator = "ChargingStation"
request = "ZapReportRequest.json"
response = "ZapReportResponse.json"

[[action]]
name = "ZapTick"
initiator = "ChargingStation"
kind = "SEND"
request = "ZapTickRequest.json"

[[action]]
name = "ZapTock"
initiator = "CSMS"
kind = "SEND"
request = "ZapTockRequest.json"
"""
ZAP_SCHEMAS = ("ZapPingRequest", "ZapPingResponse", "ZapReportRequest", "ZapReportResponse")
ZAP_SCHEMAS += ("ZapTickRequest", "ZapTockRequest")


def _zap_extension() -> Path:
    """The zap extension's folder (rewritten only when its text changes, so the generated
    output stays current between runs)."""
    folder = BUILD / "zap"
    folder.mkdir(parents=True, exist_ok=True)
    files = {"ocppgen-extension.toml": ZAP_MANIFEST}
    for name in ZAP_SCHEMAS:
        schema = {
            "$schema": "http://json-schema.org/draft-06/schema#",
            "type": "object",
            "additionalProperties": False,
            "properties": {"level": {"type": "integer"}},
        }
        files[f"{name}.json"] = json.dumps(schema, indent=1) + "\n"
    for name, text in files.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return folder


def _generated(style: Style) -> Path:
    """The bindings of ``style`` (every version) and the zap extension, up to date."""
    BUILD.mkdir(parents=True, exist_ok=True)
    out = BUILD / style.value
    with (BUILD / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        extension = _zap_extension()
        settings = Settings(SCHEMAS, out, (), Layout(), style=style, extensions=(extension,))
        pipeline.generate_if_stale(settings)
    return out


@dataclass(frozen=True)
class Action:
    name: str
    kind: str
    request: str
    response: str | None
    """Fully qualified class names, as mypy prints them."""


LIST_ACTIONS = """
import importlib, json, sys
out = {}
for module in sys.argv[1:]:
    features = importlib.import_module(module).FEATURES
    name = lambda cls: None if cls is None else f"{cls.__module__}.{cls.__qualname__}"
    out[module] = [
        [f.action, f.kind, name(f.request), name(f.response)] for f in features.values()
    ]
print(json.dumps(out))
"""


def _actions(path: str, registries: list[str]) -> dict[str, list[Action]]:
    """The actions of each registry module, as the generated package itself lists them."""
    listed = subprocess.run(
        [sys.executable, "-c", LIST_ACTIONS, *registries],
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(listed.stdout)
    return {module: [Action(*entry) for entry in found[module]] for module in registries}


@dataclass
class TypingFile:
    """A source file for mypy, with the revealed types and errors it must produce."""

    lines: list[str] = field(default_factory=list)
    reveals: list[tuple[int, str]] = field(default_factory=list)
    errors: set[tuple[int, str]] = field(default_factory=set)

    def add(self, line: str) -> int:
        self.lines.append(line)
        return len(self.lines)

    def reveal(self, expression: str, expected: str) -> None:
        self.reveals.append((self.add(f"    reveal_type({expression})"), expected))

    def refuse(self, statement: str, code: str) -> None:
        self.errors.add((self.add(f"    {statement}"), code))

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _short(qualified: str) -> str:
    return qualified.rsplit(".", 1)[1]


def typing_file(
    package: str,
    versions: dict[str, list[Action]],
    extensions: dict[tuple[str, str], list[Action]],
) -> TypingFile:
    """Calls of every action of every version (``versions``: version package -> its actions)
    and of the extensions' custom actions (``(extension, version package)`` -> actions)."""
    file = TypingFile()
    for line in ("from __future__ import annotations", "", "from typing import TypeVar", ""):
        file.add(line)
    for v in versions:
        file.add(f"from {package} import {v}")
        file.add(f"from {package}.{v} import dispatch as dispatch_{v}, messages as m_{v}")
    for extension, v in extensions:
        file.add(f"from {extension} import {v} as {extension}_{v}")
    file.add("")
    file.add('T = TypeVar("T")')
    file.add("")
    file.add("")
    file.add("def make(cls: type[T]) -> T:")
    file.add('    raise NotImplementedError("only type-checked")')
    for v, actions in versions.items():
        file.add("")
        file.add("")
        file.add(f"async def calls_{v}(dispatcher: dispatch_{v}.Dispatcher) -> None:")
        _reveal_every(file, actions, f"m_{v}", "dispatcher.", "")
        call = next(a for a in actions if a.kind == "CALL")
        assert call.response is not None
        request, response = f"make(m_{v}.{_short(call.request)})", _short(call.response)
        file.reveal(f"await dispatcher.call({request}, timeout=5)", call.response)
        file.refuse(f"await dispatcher.call(make(m_{v}.{response}))", "call-overload")
        file.refuse(f"await dispatcher.send({request})", "arg-type")
    if "v201" in versions and "v21" in versions:
        file.add("")
        file.add("")
        file.add("async def mixed(dispatcher: dispatch_v201.Dispatcher) -> None:")
        file.refuse("await dispatcher.call(make(m_v21.HeartbeatRequest))", "call-overload")
        file.add("    boot = v201.BootNotificationRequest(")
        file.add("        charging_station=v201.ChargingStationType(model='M', vendor_name='V'),")
        file.add("        reason=v201.BootReasonEnumType.PowerUp,")
        file.add("    )")
        boot = next(a for a in versions["v201"] if a.name == "BootNotification")
        assert boot.response is not None
        file.reveal("await dispatcher.call(boot)", boot.response)
    for (extension, v), actions in extensions.items():
        module = f"{extension}_{v}"
        file.add("")
        file.add("")
        file.add(f"async def {module}_calls(dispatcher: dispatch_{v}.Dispatcher) -> None:")
        _reveal_every(file, actions, module, f"{module}.", "dispatcher, ")
        for action in actions:
            if action.kind == "CALL":
                assert action.response is not None
                request = f"make({module}.{_short(action.request)})"
                file.reveal(
                    f"await {module}.call(dispatcher, {request}, timeout=1)", action.response
                )
        standard = f"make(m_{v}.HeartbeatRequest)"
        calls = [a for a in actions if a.kind == "CALL"]
        file.refuse(f"await {module}.call(dispatcher, {standard})", _wrong_request(calls))
        other = next((o for o in versions if o != v), None)
        if calls and other is not None:
            file.add("")
            file.add("")
            file.add(
                f"async def {module}_elsewhere(dispatcher: dispatch_{other}.Dispatcher) -> None:"
            )
            request = f"make({module}.{_short(calls[0].request)})"
            file.refuse(f"await {module}.call(dispatcher, {request})", _wrong_request(calls))
    return file


def _reveal_every(
    file: TypingFile, actions: list[Action], module: str, callee: str, first: str
) -> None:
    """``reveal_type(await <callee>call(<first>request))`` (``send`` for a SEND) for every
    action, with the request class from ``module``."""
    for action in actions:
        request = f"make({module}.{_short(action.request)})"
        if action.kind == "CALL":
            assert action.response is not None
            file.reveal(f"await {callee}call({first}{request})", action.response)
        else:
            file.reveal(f"await {callee}send({first}{request})", "None")


def _wrong_request(calls: list[Action]) -> str:
    """mypy's error code for a bad argument: an overloaded ``call`` has its own."""
    return "call-overload" if len(calls) > 1 else "arg-type"


MYPY_LINE = re.compile(r"^[^:]+:(\d+): (note|error): (.*?)(?:  \[([a-z-]+)\])?$")


def _mypy(file: TypingFile, folder: Path, path: list[Path]) -> tuple[list[Any], set[Any], str]:
    """Run mypy --strict on ``file``; the revealed types and errors it printed."""
    source = folder / "typed_calls_check.py"
    source.write_text(file.text, encoding="utf-8")
    result = subprocess.run(
        [BIN / "mypy", "--strict", "--cache-dir", str(folder / ".mypy_cache"), str(source)],
        cwd=folder,
        env={**os.environ, "MYPYPATH": os.pathsep.join(map(str, path))},
        capture_output=True,
        text=True,
        check=False,
    )
    reveals, errors = [], set()
    for line in result.stdout.splitlines():
        match = MYPY_LINE.match(line)
        if match is None:
            continue
        number, kind, text, code = int(match[1]), match[2], match[3], match[4]
        if kind == "note" and text.startswith("Revealed type is "):
            reveals.append((number, text.removeprefix("Revealed type is ").strip('"')))
        elif kind == "error":
            errors.add((number, code))
    return reveals, errors, result.stdout


def _check(file: TypingFile, folder: Path, path: list[Path]) -> None:
    reveals, errors, output = _mypy(file, folder, path)
    assert reveals == file.reveals, output[-3000:]
    assert errors == file.errors, output[-3000:]


@pytest.mark.parametrize("style", list(Style), ids=lambda s: s.value)
def test_every_call_is_typed_with_its_response(style: Style) -> None:
    out = _generated(style)
    registries = [f"ocpp_bindings.{v}.registry" for v in VERSION_PACKAGES.values()]
    registries.append("zap_ocpp.v21.registry")
    found = _actions(str(out), registries)
    versions = {v: found[f"ocpp_bindings.{v}.registry"] for v in VERSION_PACKAGES.values()}
    zap = found["zap_ocpp.v21.registry"]
    assert sorted(a.kind for a in zap) == ["CALL", "CALL", "SEND", "SEND"]
    file = typing_file("ocpp_bindings", versions, {("zap_ocpp", "v21"): zap})
    _check(file, out, [out])
    ruff = [BIN / "ruff", "check", "--config", str(ROOT / "pyproject.toml"), "zap_ocpp"]
    linted = subprocess.run(ruff, cwd=out, capture_output=True, text=True, check=False)
    assert linted.returncode == 0, linted.stdout  # the overloads and SEND helper of calls.py


def test_the_acme_extension_call_is_typed_beside_the_committed_bindings() -> None:
    generated, acme = ROOT / "generated", ROOT / "generated" / "variants" / "acme"
    registries = ["ocpp_bindings.v16.registry", "ocpp_bindings.v201.registry"]
    registries += ["acme_ocpp.v16.registry", "acme_ocpp.v201.registry"]
    found = _actions(os.pathsep.join(map(str, (generated, acme))), registries)
    versions = {v: found[f"ocpp_bindings.{v}.registry"] for v in ("v16", "v201")}
    extensions = {("acme_ocpp", v): found[f"acme_ocpp.{v}.registry"] for v in ("v16", "v201")}
    BUILD.mkdir(parents=True, exist_ok=True)
    folder = BUILD / "acme"
    folder.mkdir(exist_ok=True)
    _check(typing_file("ocpp_bindings", versions, extensions), folder, [generated, acme])


@pytest.fixture
def acme() -> Iterator[ModuleType]:
    """``acme_ocpp.v201`` of the golden record, beside the committed bindings (forgotten
    afterwards, so other tests import their own acme_ocpp)."""
    sys.path.insert(0, str(ROOT / "generated" / "variants" / "acme"))
    try:
        yield importlib.import_module("acme_ocpp.v201")
    finally:
        sys.path.pop(0)
        for name in [name for name in sys.modules if name.split(".")[0] == "acme_ocpp"]:
            del sys.modules[name]


def test_the_extension_call_sends_the_custom_action_through_the_dispatcher(
    acme: ModuleType,
) -> None:
    """At run time: the typed helper is the dispatcher's call (with the extension given)."""
    from ocpp_bindings.v201.dispatch import ActionNotAllowed, Dispatcher, Role

    class Csms:
        def on_acme_self_test(self, request: Any, charging_station_id: str) -> Any:
            return acme.AcmeSelfTestResponse(passed=True, report=charging_station_id)

    async def scenario() -> Any:
        csms = Dispatcher(Role.CSMS, [Csms()], extensions=[acme])

        async def to_csms(text: str) -> None:
            reply = await csms.handle_frame(text, charging_station_id="CS-9")
            assert reply is not None
            await station.handle_frame(reply)

        station = Dispatcher(Role.ChargingStation, transport=to_csms, extensions=[acme])
        plain = Dispatcher(Role.ChargingStation, transport=to_csms)
        request = acme.AcmeSelfTestRequest(depth=acme.AcmeSelfTestDepthEnumType.Quick)
        with pytest.raises(ActionNotAllowed, match=r"not a 2\.0\.1 request"):
            await acme.call(plain, request)
        return await asyncio.wait_for(acme.call(station, request), 5)

    answer = asyncio.run(scenario())
    assert answer == acme.AcmeSelfTestResponse(passed=True, report="CS-9")
