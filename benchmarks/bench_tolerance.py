"""What tolerances cost: nothing on the strict path, and what a tolerated payload costs.

Three tables per flavour (dataclasses, and ocppgen's pydantic flavour):

- the strict path: ``from_json`` of valid payloads, and the same with ``tolerate=FIELD``
  (tolerances are consulted only after strict validation failed, so the ratio is noise);
- tolerated payloads: real deviations from ``tests/data/field_frames`` parsed under ``FIELD``,
  against the strictly valid payload each becomes (the ratio is the price of the deviation:
  the failed strict attempt, the normalising walk and the strict parse of its result).

``--strict-only --bindings DIR`` times the first column only, with the ``ocpp_bindings`` of
another checkout (``DIR`` is its ``generated`` folder): run it on the main branch's to compare
the strict path before and after a change. Run: make bench
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FRAMES = ROOT / "tests" / "data" / "field_frames" / "frames.jsonl"
DEVIANT = (
    "ha210-openevse-metervalues",
    "ha213-schneider-boot-serial34",
    "monta5-status-plus02",
    "microocpp128-metervalues-case-hz",
    "ha1144-huawei-metervalues",
)
"""Corpus frames with the deviations of each kind that real traffic repeats most."""


def _class(package: str, module: str, name: str) -> Any:
    return getattr(importlib.import_module(f"{package}.{module}.messages"), name)


def strict_rows(package: str) -> list[tuple[str, float]]:
    from payloads import CASES
    from timing import per_call_us

    rows = []
    for case in CASES:
        cls = _class(package, case.module, case.cls)
        text = json.dumps(case.payload)
        cls.from_json(text)
        rows.append((case.label, per_call_us(lambda: cls.from_json(text))))  # noqa: B023
    return rows


def _frame_class(package: str, frame: dict[str, Any]) -> Any:
    module = {"1.6": "v16", "2.0.1": "v201", "2.1": "v21"}[frame["version"]]
    suffix = "Request" if frame["direction"] == "request" else "Response"
    return _class(package, module, frame["action"] + suffix)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bindings", type=Path, help="the generated folder to import from")
    parser.add_argument("--strict-only", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(args.bindings or ROOT / "generated"))
    from timing import per_call_us

    print(f"Python {sys.version.split()[0]}; median of 7 batches per row, microseconds")
    if args.strict_only:
        for label, value in strict_rows("ocpp_bindings"):
            print(f"  {label:<28} {value:>9.2f}")
        return
    from peers import pydantic_flavour_class

    pydantic_flavour_class("v16", "HeartbeatRequest")  # generates build/flavours when stale
    frames = {f["id"]: f for f in map(json.loads, FRAMES.read_text(encoding="utf-8").splitlines())}
    for flavour, package in (("dataclasses", "ocpp_bindings"), ("pydantic", "ocpp_pydantic")):
        runtime = importlib.import_module(f"{package}._runtime")
        field = runtime.FIELD
        from payloads import CASES

        print(f"\n{flavour}: strict path on valid payloads, and the same with tolerate=FIELD")
        for case in CASES:
            cls = _class(package, case.module, case.cls)
            text = json.dumps(case.payload)
            strict = per_call_us(lambda: cls.from_json(text))  # noqa: B023
            tolerant = per_call_us(lambda: cls.from_json(text, tolerate=field))  # noqa: B023
            print(f"  {case.label:<28} {strict:>9.2f} {tolerant:>9.2f}  {tolerant / strict:5.2f} x")
        print(
            f"\n{flavour}: tolerated payloads under FIELD, against the valid payload each becomes"
        )
        for frame_id in DEVIANT:
            frame = frames[frame_id]
            cls = _frame_class(package, frame)
            text = json.dumps(frame["payload"])
            model, found = runtime.tolerating(field, lambda: cls.from_json(text))  # noqa: B023
            valid = model.to_json()
            kinds = sorted({d.tolerance.value for d in found})
            strict = per_call_us(lambda: cls.from_json(valid))  # noqa: B023
            tolerated = per_call_us(lambda: cls.from_json(text, tolerate=field))  # noqa: B023
            label = f"{frame['action']} ({len(found)} x {', '.join(kinds)})"
            print(f"  {label:<70} {strict:>8.1f} {tolerated:>8.1f}  {tolerated / strict:6.1f} x")


if __name__ == "__main__":
    import logging

    logging.disable(logging.WARNING)  # tolerate= logs every deviation: not what is timed
    main()
