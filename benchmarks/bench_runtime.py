"""Decode and encode representative OCPP payloads: ocpp_bindings against its peers.

Decode is JSON text in, validated objects (or dicts, for the validators) out. Encode is an
object (or dict) in, validated JSON text out: ocpp_bindings' objects are valid by
construction once parsed, so ``to_json`` does not validate again; the validators must check
every outgoing dict. Prints medians, and ratios against ocpp_bindings, one table per payload,
then the targets (ratios within this run).
Run: make bench
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "generated"))

import msgspec
from payloads import CASES, Case
from peers import (
    fastjsonschema_validator,
    flavour_class,
    jsonschema_decoder,
    msgspec_decoder,
    pydantic_model,
    schema_path,
)
from timing import per_call_us, print_table

FLOOR_DECODE = "json.loads only (floor)"
FLOOR_ENCODE = "json.dumps only (floor)"
OURS = "ocpp_bindings"
OURS_PYDANTIC = "ocpp_bindings, pydantic flavour"
OURS_MSGSPEC = "ocpp_bindings, msgspec flavour"
PLAIN_PYDANTIC = "pydantic v2 (datamodel-codegen)"
PLAIN_MSGSPEC = "msgspec (datamodel-codegen)"
JSONSCHEMA = "jsonschema, cached validator"


@dataclass(frozen=True)
class Tools:
    """Each tool set up once for one payload's schema."""

    cls: Any
    """The ocpp_bindings message class."""
    js_decode: Callable[[str], Any]
    fast_validate: Callable[[Any], Any]
    model: Any
    """The plain pydantic model class."""
    plain_msgspec: msgspec.json.Decoder[Any]
    """The decoder of the plain msgspec struct."""
    strict_model: Any
    """The class of ocppgen's pydantic flavour."""
    struct: Any
    """The class of ocppgen's msgspec flavour."""

    @classmethod
    def for_case(cls, case: Case) -> Tools:
        path = schema_path(case.version, case.schema)
        module = importlib.import_module(f"ocpp_bindings.{case.module}")
        return cls(
            getattr(module, case.cls),
            jsonschema_decoder(path),
            fastjsonschema_validator(path),
            pydantic_model(path, case.version),
            msgspec_decoder(path, case.version),
            flavour_class("pydantic", case.module, case.cls),
            flavour_class("msgspec", case.module, case.cls),
        )


def decoders(tools: Tools, text: str) -> dict[str, Callable[[], object]]:
    """Each tool's JSON text -> validated data, for one payload."""
    return {
        FLOOR_DECODE: lambda: json.loads(text),
        OURS: lambda: tools.cls.from_json(text),
        OURS_PYDANTIC: lambda: tools.strict_model.from_json(text),
        OURS_MSGSPEC: lambda: tools.struct.from_json(text),
        "fastjsonschema": lambda: tools.fast_validate(json.loads(text)),
        PLAIN_PYDANTIC: lambda: tools.model.model_validate_json(text),
        PLAIN_MSGSPEC: lambda: tools.plain_msgspec.decode(text),
        JSONSCHEMA: lambda: tools.js_decode(text),
    }


def encoders(tools: Tools, text: str) -> dict[str, Callable[[], object]]:
    """Each tool's object -> JSON text, for one payload."""
    obj = tools.cls.from_json(text)
    strict = tools.strict_model.from_json(text)
    struct = tools.struct.from_json(text)
    model = tools.model.model_validate_json(text)
    plain = tools.plain_msgspec.decode(text)
    data: Any = json.loads(text)
    compact = {"separators": (",", ":"), "ensure_ascii": False}
    return {
        FLOOR_ENCODE: lambda: json.dumps(data, **compact),
        OURS: obj.to_json,
        OURS_PYDANTIC: strict.to_json,
        OURS_MSGSPEC: struct.to_json,
        "fastjsonschema": lambda: json.dumps(tools.fast_validate(data), **compact),
        PLAIN_PYDANTIC: lambda: model.model_dump_json(
            by_alias=True, exclude_none=True, warnings=False
        ),
        PLAIN_MSGSPEC: lambda: msgspec.json.encode(plain),  # bytes: no str made
        # jsonschema validates the text it would send (Decimal-read where multipleOf needs it).
        JSONSCHEMA: lambda: tools.js_decode(json.dumps(data, **compact)),
    }


Tables = dict[tuple[str, str], dict[str, float]]


def main() -> None:
    print(f"Python {sys.version.split()[0]}; msgspec {msgspec.__version__}; median of 7 batches")
    tables: Tables = {}
    for case in CASES:
        text = json.dumps(case.payload)
        tools = Tools.for_case(case)
        for label, build in (("decode + validate", decoders), ("encode", encoders)):
            runs = build(tools, text)
            for run in runs.values():
                run()  # warm up; and the payload must pass every tool
            rows = [(name, per_call_us(run)) for name, run in runs.items()]
            print_table(f"{case.label} ({len(text)} B): {label}", rows, "us", OURS)
            tables[case.label, label] = dict(rows)
    print_targets(tables)


def print_targets(tables: Tables) -> None:
    """The issues' targets, as ratios within this run: for the TransactionEvent payload, and
    the flavours against their plain peers on every payload."""
    first = CASES[0].label
    decode, encode = tables[first, "decode + validate"], tables[first, "encode"]
    checks = [
        (f"{OURS} decode / json.loads", decode[OURS] / decode[FLOOR_DECODE], "<=", 2.5),
        (f"jsonschema / {OURS} decode", decode[JSONSCHEMA] / decode[OURS], ">=", 40),
        (f"{OURS} encode / json.dumps", encode[OURS] / encode[FLOOR_ENCODE], "<=", 2.5),
        ("msgspec flavour decode / json.loads", decode[OURS_MSGSPEC] / decode[FLOOR_DECODE],
         "<=", 0.6),
        ("pydantic flavour / msgspec flavour decode", decode[OURS_PYDANTIC] / decode[OURS_MSGSPEC],
         ">=", 4),
        ("msgspec flavour encode / json.dumps", encode[OURS_MSGSPEC] / encode[FLOOR_ENCODE],
         "<=", 0.5),
    ]  # fmt: skip
    for case in CASES:
        row = tables[case.label, "decode + validate"]
        checks.append((f"msgspec flavour / plain msgspec, {case.label}",
                       row[OURS_MSGSPEC] / row[PLAIN_MSGSPEC], "<=", 1.5))  # fmt: skip
    for case in CASES:
        row = tables[case.label, "decode + validate"]
        checks.append((f"strict / plain pydantic, {case.label}",
                       row[OURS_PYDANTIC] / row[PLAIN_PYDANTIC], "<=", 1.3))  # fmt: skip
    print(f"\nTargets (decode and encode ratios for {first} unless a payload is named):")
    width = max(len(name) for name, *_ in checks)
    for name, ratio, sense, bound in checks:
        met = ratio <= bound if sense == "<=" else ratio >= bound
        print(f"  {name:<{width}} {ratio:6.2f}x  (target {sense} {bound}x)  "
              f"{'met' if met else 'MISSED'}")  # fmt: skip


if __name__ == "__main__":
    main()
