"""Parse + validate one ~1 KB OCPP 2.0.1 TransactionEvent: ocpp_bindings vs jsonschema.

jsonschema is what other Python OCPP libraries run on every message (json.loads, then
validate, then a dict for the handler). Prints the time per message of each, and ratios.
Run: make bench
"""

from __future__ import annotations

import json
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

from jsonschema import Draft6Validator, FormatChecker

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "generated"))

from ocpp_bindings.v201 import TransactionEventRequest  # noqa: E402


def sampled(measurand: str, value: float, unit: str) -> dict[str, object]:
    return {
        "value": value,
        "measurand": measurand,
        "context": "Sample.Periodic",
        "unitOfMeasure": {"unit": unit, "multiplier": 0},
    }


PAYLOAD = {
    "eventType": "Updated",
    "timestamp": "2026-11-21T10:15:00.000Z",
    "triggerReason": "MeterValuePeriodic",
    "seqNo": 17,
    "offline": False,
    "transactionInfo": {
        "transactionId": "f3a9c1d2-5b7e-4c8a-9d0f-1e2b3c4d5e6f",
        "chargingState": "Charging",
        "timeSpentCharging": 3600,
    },
    "idToken": {"idToken": "04A2B3C4D5E6F7", "type": "ISO14443"},
    "evse": {"id": 1, "connectorId": 1},
    "meterValue": [
        {
            "timestamp": "2026-11-21T10:15:00.000Z",
            "sampledValue": [
                sampled("Energy.Active.Import.Register", 15234.5, "Wh"),
                sampled("Power.Active.Import", 7360.0, "W"),
                sampled("Current.Import", 32.0, "A"),
                sampled("Voltage", 230.1, "V"),
                sampled("SoC", 64.0, "Percent"),
            ],
        },
    ],
}
TEXT = json.dumps(PAYLOAD)


def per_call(function: Callable[[], object], number: int = 2000) -> float:
    """Best of 5 runs, in microseconds per call."""
    return min(timeit.repeat(function, number=number, repeat=5)) / number * 1e6


def main() -> None:
    schema = json.loads((ROOT / "schemas" / "2.0.1" / "TransactionEventRequest.json").read_text())
    with_formats = Draft6Validator(schema, format_checker=FormatChecker(formats=["date-time"]))
    plain = Draft6Validator(schema)
    assert with_formats.is_valid(PAYLOAD)
    TransactionEventRequest.from_json(TEXT)

    results = {
        "ocpp_bindings from_json (typed objects)": per_call(
            lambda: TransactionEventRequest.from_json(TEXT)
        ),
        "json.loads + jsonschema (date-time checked)": per_call(
            lambda: with_formats.validate(json.loads(TEXT))
        ),
        "json.loads + jsonschema (no format check)": per_call(
            lambda: plain.validate(json.loads(TEXT))
        ),
        "json.loads only (no validation)": per_call(lambda: json.loads(TEXT)),
    }
    ours = results["ocpp_bindings from_json (typed objects)"]
    print(f"TransactionEventRequest, {len(TEXT)} bytes of JSON, best of 5 x 2000 calls")
    for name, micros in results.items():
        print(f"  {name:<46} {micros:9.1f} us   {micros / ours:6.2f} x ocpp_bindings")


if __name__ == "__main__":
    main()
