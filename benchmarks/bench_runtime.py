"""Decode and encode representative OCPP payloads: ocpp_bindings against its peers.

Decode is JSON text in, validated objects (or dicts, for the validators) out. Encode is an
object (or dict) in, validated JSON text out: ocpp_bindings' objects are valid by
construction once parsed, so ``to_json`` does not validate again; the validators must check
every outgoing dict. Prints medians, and ratios against ocpp_bindings, one table per payload.
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

from payloads import CASES, Case
from peers import (
    fastjsonschema_validator,
    jsonschema_decoder,
    pydantic_flavour_class,
    pydantic_model,
    schema_path,
)
from timing import per_call_us, print_table

OURS = "ocpp_bindings"
OURS_PYDANTIC = "ocpp_bindings, pydantic flavour"
PLAIN_PYDANTIC = "pydantic v2 (datamodel-codegen)"


@dataclass(frozen=True)
class Tools:
    """Each tool set up once for one payload's schema."""

    cls: Any
    """The ocpp_bindings message class."""
    js_decode: Callable[[str], Any]
    fast_validate: Callable[[Any], Any]
    model: Any
    """The plain pydantic model class."""
    strict_model: Any
    """The class of ocppgen's pydantic flavour."""

    @classmethod
    def for_case(cls, case: Case) -> Tools:
        path = schema_path(case.version, case.schema)
        module = importlib.import_module(f"ocpp_bindings.{case.module}")
        return cls(
            getattr(module, case.cls),
            jsonschema_decoder(path),
            fastjsonschema_validator(path),
            pydantic_model(path, case.version),
            pydantic_flavour_class(case.module, case.cls),
        )


def decoders(tools: Tools, text: str) -> dict[str, Callable[[], object]]:
    """Each tool's JSON text -> validated data, for one payload."""
    return {
        "json.loads only (floor)": lambda: json.loads(text),
        OURS: lambda: tools.cls.from_json(text),
        OURS_PYDANTIC: lambda: tools.strict_model.from_json(text),
        "fastjsonschema": lambda: tools.fast_validate(json.loads(text)),
        PLAIN_PYDANTIC: lambda: tools.model.model_validate_json(text),
        "jsonschema, cached validator": lambda: tools.js_decode(text),
    }


def encoders(tools: Tools, text: str) -> dict[str, Callable[[], object]]:
    """Each tool's object -> JSON text, for one payload."""
    obj = tools.cls.from_json(text)
    strict = tools.strict_model.from_json(text)
    model = tools.model.model_validate_json(text)
    data: Any = json.loads(text)
    compact = {"separators": (",", ":"), "ensure_ascii": False}
    return {
        "json.dumps only (floor)": lambda: json.dumps(data, **compact),
        OURS: obj.to_json,
        OURS_PYDANTIC: strict.to_json,
        "fastjsonschema": lambda: json.dumps(tools.fast_validate(data), **compact),
        PLAIN_PYDANTIC: lambda: model.model_dump_json(
            by_alias=True, exclude_none=True, warnings=False
        ),
        # jsonschema validates the text it would send (Decimal-read where multipleOf needs it).
        "jsonschema, cached validator": lambda: tools.js_decode(json.dumps(data, **compact)),
    }


def main() -> None:
    print(f"Python {sys.version.split()[0]}; median of 7 batches per row")
    tables: dict[tuple[str, str], dict[str, float]] = {}
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
    print_targets(tables[CASES[0].label, "decode + validate"], tables[CASES[0].label, "encode"])


def print_targets(decode: dict[str, float], encode: dict[str, float]) -> None:
    """The issue's targets for the TransactionEvent payload, as ratios within this run."""
    checks = [
        ("decode / json.loads", decode[OURS] / decode["json.loads only (floor)"], "<=", 2.5),
        ("jsonschema / decode", decode["jsonschema, cached validator"] / decode[OURS], ">=", 40),
        ("encode / json.dumps", encode[OURS] / encode["json.dumps only (floor)"], "<=", 2.5),
        ("strict / plain pydantic", decode[OURS_PYDANTIC] / decode[PLAIN_PYDANTIC], "<=", 1.3),
    ]
    print(f"\nTargets ({CASES[0].label}):")
    for name, ratio, sense, bound in checks:
        met = ratio <= bound if sense == "<=" else ratio >= bound
        print(
            f"  {name:<22} {ratio:6.2f}x  (target {sense} {bound}x)  {'met' if met else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
