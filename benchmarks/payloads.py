"""Representative payloads for the runtime benchmark: what a CSMS parses all day long.

Each case names the schema file (for the peer tools) and the generated class (for ours).
Every payload is checked against its schema before anything is timed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Case:
    """One message to decode and encode."""

    label: str
    version: str
    """Schema folder: ``1.6``, ``2.0.1`` or ``2.1``."""
    schema: str
    """Schema file stem, e.g. ``TransactionEventRequest``."""
    module: str
    """Generated package module, e.g. ``v201``."""
    cls: str
    payload: dict[str, Any]


def _sampled(measurand: str, value: float, unit: str) -> dict[str, Any]:
    return {
        "value": value,
        "measurand": measurand,
        "context": "Sample.Periodic",
        "unitOfMeasure": {"unit": unit, "multiplier": 0},
    }


TRANSACTION_EVENT = {
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
                _sampled("Energy.Active.Import.Register", 15234.5, "Wh"),
                _sampled("Power.Active.Import", 7360.0, "W"),
                _sampled("Current.Import", 32.0, "A"),
                _sampled("Voltage", 230.1, "V"),
                _sampled("SoC", 64.0, "Percent"),
                _sampled("Power.Offered", 22000.0, "W"),
            ],
        },
    ],
}

BOOT_NOTIFICATION = {
    "reason": "PowerUp",
    "chargingStation": {
        "model": "WallBox 22",
        "vendorName": "ExampleVendor",
        "serialNumber": "WB22-000123",
        "firmwareVersion": "4.2.1",
        "modem": {"iccid": "89310410106543789301", "imsi": "310410123456789"},
    },
}


def _report_entry(index: int) -> dict[str, Any]:
    return {
        "component": {"name": "EVSE", "evse": {"id": 1 + index % 2}},
        "variable": {"name": f"Variable{index}", "instance": "Main"},
        "variableAttribute": [
            {"type": "Actual", "value": str(index * 7), "mutability": "ReadWrite"}
        ],
        "variableCharacteristics": {"dataType": "integer", "supportsMonitoring": True},
    }


NOTIFY_REPORT = {
    "requestId": 42,
    "generatedAt": "2026-11-21T10:15:00Z",
    "seqNo": 0,
    "tbc": False,
    "reportData": [_report_entry(i) for i in range(100)],
}

METER_VALUES_16 = {
    "connectorId": 1,
    "transactionId": 1234,
    "meterValue": [
        {
            "timestamp": "2026-11-21T10:15:00Z",
            "sampledValue": [
                {"value": "15234", "measurand": "Energy.Active.Import.Register", "unit": "Wh"},
                {"value": "7360", "measurand": "Power.Active.Import", "unit": "W"},
                {"value": "32.0", "measurand": "Current.Import", "unit": "A", "phase": "L1"},
                {"value": "230.1", "measurand": "Voltage", "unit": "V", "phase": "L1-N"},
            ],
        }
    ],
}

SET_CHARGING_PROFILE_16 = {
    "connectorId": 1,
    "csChargingProfiles": {
        "chargingProfileId": 7,
        "stackLevel": 1,
        "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Recurring",
        "recurrencyKind": "Daily",
        "chargingSchedule": {
            "chargingRateUnit": "A",
            "startSchedule": "2026-11-21T00:00:00Z",
            "minChargingRate": 6.1,
            "chargingSchedulePeriod": [
                {"startPeriod": hour * 3600, "limit": round(16 + hour * 0.7, 1)}
                for hour in range(24)
            ],
        },
    },
}

SET_CHARGING_PROFILE_21 = {
    "evseId": 1,
    "chargingProfile": {
        "id": 12,
        "stackLevel": 0,
        "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Absolute",
        "validFrom": "2026-11-21T00:00:00Z",
        "chargingSchedule": [
            {
                "id": 1,
                "chargingRateUnit": "W",
                "startSchedule": "2026-11-21T00:00:00Z",
                "duration": 86400,
                "chargingSchedulePeriod": [
                    {
                        "startPeriod": quarter * 900,
                        "limit": 11000.0 - (quarter % 8) * 500,
                        "numberPhases": 3,
                        "operationMode": "ChargingOnly",
                    }
                    for quarter in range(96)
                ],
            }
        ],
    },
}

CASES = (
    Case("2.0.1 TransactionEvent", "2.0.1", "TransactionEventRequest", "v201",
         "TransactionEventRequest", TRANSACTION_EVENT),
    Case("2.0.1 BootNotification", "2.0.1", "BootNotificationRequest", "v201",
         "BootNotificationRequest", BOOT_NOTIFICATION),
    Case("2.0.1 NotifyReport x100", "2.0.1", "NotifyReportRequest", "v201",
         "NotifyReportRequest", NOTIFY_REPORT),
    Case("1.6 MeterValues", "1.6", "MeterValues", "v16", "MeterValuesRequest", METER_VALUES_16),
    Case("1.6 SetChargingProfile", "1.6", "SetChargingProfile", "v16",
         "SetChargingProfileRequest", SET_CHARGING_PROFILE_16),
    Case("2.1 SetChargingProfile x96", "2.1", "SetChargingProfileRequest", "v21",
         "SetChargingProfileRequest", SET_CHARGING_PROFILE_21),
)  # fmt: skip
