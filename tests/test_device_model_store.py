"""The 2.x device model on both sides, per version and flavour: typed request helpers and
readers on the CSMS side, ``DeviceModelStore`` on the station side answering GetVariables,
SetVariables, GetBaseReport and GetReport with every status the specification gives. Every
answer is also checked against the OCA schema with jsonschema."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest
from catalogues import DEVICE_MODEL_VERSIONS, FLAVOURS, module, validation_error, version
from support import SCHEMAS, is_valid

FOLDERS = {"v201": "2.0.1", "v21": "2.1"}
AT = datetime(2026, 11, 23, 2, 24, 56, tzinfo=timezone.utc)
CASES = [(flavour, package) for flavour in FLAVOURS for package in DEVICE_MODEL_VERSIONS]


class Side:
    """One version of one flavour: its device_model module, messages and a seeded store."""

    def __init__(self, flavour: str, package: str) -> None:
        self.dm: Any = module(flavour, package, "device_model")
        self.error = validation_error(flavour)
        self.v: ModuleType = version(flavour, package)
        self.folder = SCHEMAS / FOLDERS[package]
        self.changes: list[Any] = []
        self.store = self.dm.DeviceModelStore(on_change=self.changes.append)

    def valid(self, message: Any) -> Any:
        """``message``, after checking its JSON against the OCA schema."""
        name = type(message).__name__
        assert is_valid(self.folder / f"{name}.json", message.to_dict()), message.to_json()
        return message

    def seed(self) -> None:
        dm, store = self.dm, self.store
        store.add(dm.OCPPCommCtrlr.HeartbeatInterval, 300)
        store.add(dm.EVSE(evse=1).AvailabilityState, "Available")
        store.add(
            dm.Connector(evse=1, connector=1).AvailabilityState,
            "Occupied",
            mutability=dm.Mutability.ReadOnly,  # not fixed by the standard for a connector
        )
        store.add(dm.DeviceDataCtrlr.BytesPerMessage["GetReport"], 4000)
        store.add(
            dm.SecurityCtrlr.BasicAuthPassword, "s3cret-s3cret", mutability=dm.Mutability.WriteOnly
        )
        store.add(
            dm.SampledDataCtrlr.TxUpdatedMeasurands,
            frozenset({"Energy.Active.Import.Register"}),
            reboot_required=True,
            values_list=["Energy.Active.Import.Register", "SoC", "Voltage"],  # this station's
        )
        store.add(
            dm.Variable("BladePitch", dm.INTEGER, scope=dm.Scope("AcmeFan")),  # a vendor's
            1200,
            mutability=dm.Mutability.ReadWrite,
            unit="RPM",
            min_limit=0,
            max_limit=3000,
            attributes={dm.Attribute.MaxSet: 2500},
        )


@pytest.fixture(params=CASES, ids=[f"{f}-{p}" for f, p in CASES])
def side(request: pytest.FixtureRequest) -> Side:
    seeded = Side(*request.param)
    seeded.seed()
    return seeded


def _result(response: Any, key: str) -> list[dict[str, Any]]:
    return response.to_dict()[key]  # type: ignore[no-any-return]


def test_get_variables_answers_every_status(side: Side) -> None:
    dm = side.dm
    request = dm.get_variables_request(
        [
            dm.OCPPCommCtrlr.HeartbeatInterval,
            dm.EVSE(evse=1).AvailabilityState,
            dm.EVSE(evse=2).AvailabilityState,  # no EVSE 2 here
            dm.OCPPCommCtrlr.FileTransferProtocols,  # not stored
            dm.SecurityCtrlr.BasicAuthPassword,  # WriteOnly
        ]
    )
    response = side.valid(side.store.get_variables(side.valid(request)))
    statuses = [entry["attributeStatus"] for entry in _result(response, "getVariableResult")]
    assert statuses == ["Accepted", "Accepted", "UnknownComponent", "UnknownVariable", "Rejected"]
    results = dm.read_get_variables(response)
    assert results.value(dm.OCPPCommCtrlr.HeartbeatInterval) == 300
    assert results[dm.EVSE(evse=1).AvailabilityState].value == "Available"
    assert results.value(dm.SecurityCtrlr.BasicAuthPassword) is None
    assert results[dm.EVSE(evse=2).AvailabilityState].status == "UnknownComponent"
    target = dm.get_variables_request([dm.OCPPCommCtrlr.HeartbeatInterval], dm.Attribute.Target)
    (entry,) = _result(side.store.get_variables(target), "getVariableResult")
    assert (entry["attributeStatus"], entry["attributeType"]) == (
        "NotSupportedAttributeType",
        "Target",
    )


def test_names_compare_case_insensitively_and_scopes_do_not_mix(side: Side) -> None:
    v = side.v
    request = v.GetVariablesRequest.from_dict(
        {
            "getVariableData": [
                {"component": {"name": "ocppcommctrlr"}, "variable": {"name": "HEARTBEATINTERVAL"}},
                {"component": {"name": "EVSE"}, "variable": {"name": "AvailabilityState"}},
                {
                    "component": {"name": "connector", "evse": {"id": 1, "connectorId": 1}},
                    "variable": {"name": "availabilitystate"},
                },
                {
                    "component": {"name": "DeviceDataCtrlr"},
                    "variable": {"name": "BytesPerMessage", "instance": "getreport"},
                },
                {"component": {"name": "DeviceDataCtrlr"}, "variable": {"name": "BytesPerMessage"}},
            ]
        }
    )
    response = side.valid(side.store.get_variables(request))
    found = [
        (e["attributeStatus"], e.get("attributeValue"))
        for e in _result(response, "getVariableResult")
    ]
    assert found == [
        ("Accepted", "300"),
        ("UnknownComponent", None),  # the station-level EVSE is not EVSE 1
        ("Accepted", "Occupied"),
        ("Accepted", "4000"),
        ("UnknownVariable", None),  # the variable exists only per instance
    ]
    # the answer names what was asked, as asked
    assert _result(response, "getVariableResult")[0]["component"] == {"name": "ocppcommctrlr"}


def test_set_variables_answers_every_status_and_reports_changes(side: Side) -> None:
    dm, v = side.dm, side.v
    fan = dm.DEVICE_MODEL.raw(dm.Scope("AcmeFan"), "BladePitch", None)
    raw = [
        ("OCPPCommCtrlr", None, "HeartbeatInterval", None, "60", None),
        ("OCPPCommCtrlr", None, "HeartbeatInterval", None, "sixty", None),
        ("OCPPCommCtrlr", None, "HeartbeatInterval", None, "60", "MaxSet"),
        ("DeviceDataCtrlr", None, "BytesPerMessage", "GetReport", "10", None),
        ("EVSE", 3, "AvailabilityState", None, "Available", None),
        ("OCPPCommCtrlr", None, "NoSuchVariable", None, "1", None),
        ("SampledDataCtrlr", None, "TxUpdatedMeasurands", None, "SoC,Voltage", None),
        ("SampledDataCtrlr", None, "TxUpdatedMeasurands", None, "SoC,SoC", None),
        ("AcmeFan", None, "BladePitch", None, "3001", None),
        ("AcmeFan", None, "BladePitch", None, "2000", "MaxSet"),
    ]
    data = []
    for component, evse, name, instance, value, attribute in raw:
        entry: dict[str, Any] = {
            "component": {"name": component, **({"evse": {"id": evse}} if evse else {})},
            "variable": {"name": name, **({"instance": instance} if instance else {})},
            "attributeValue": value,
        }
        if attribute:
            entry["attributeType"] = attribute
        data.append(entry)
    request = v.SetVariablesRequest.from_dict({"setVariableData": data})
    response = side.valid(side.store.set_variables(request))
    entries = _result(response, "setVariableResult")
    assert [e["attributeStatus"] for e in entries] == [
        "Accepted",
        "Rejected",
        "NotSupportedAttributeType",
        "Rejected",
        "UnknownComponent",
        "UnknownVariable",
        "RebootRequired",
        "Rejected",
        "Rejected",
        "Accepted",
    ]
    assert entries[1]["attributeStatusInfo"]["reasonCode"] == "InvalidValue"
    assert "not an integer" in entries[1]["attributeStatusInfo"]["additionalInfo"]
    assert entries[3]["attributeStatusInfo"] == {"reasonCode": "ReadOnly"}
    assert "listed twice" in entries[7]["attributeStatusInfo"]["additionalInfo"]
    assert "greater than the maximum 3000" in entries[8]["attributeStatusInfo"]["additionalInfo"]
    store = side.store
    assert store.get(dm.OCPPCommCtrlr.HeartbeatInterval) == 60
    assert store.get(fan, dm.Attribute.MaxSet) == 2000 and store.get(fan) == 1200
    measurands = dm.SampledDataCtrlr.TxUpdatedMeasurands
    assert store.get(measurands) == {"Energy.Active.Import.Register"}  # until the reboot
    assert store.pending(measurands) == {"SoC", "Voltage"}
    assert [(c.variable, c.previous, c.value, c.pending) for c in side.changes] == [
        (dm.OCPPCommCtrlr.HeartbeatInterval, 300, 60, False),
        (measurands, frozenset({"Energy.Active.Import.Register"}), {"SoC", "Voltage"}, True),
        (fan, 2500, 2000, False),
    ]
    (applied,) = store.reboot()
    assert (applied.variable, applied.value, store.get(measurands)) == (
        measurands,
        {"SoC", "Voltage"},
        {"SoC", "Voltage"},
    )
    results = dm.read_set_variables(response)
    heartbeat = dm.OCPPCommCtrlr.HeartbeatInterval
    assert results[heartbeat].accepted  # its Actual result
    assert results.of(heartbeat, dm.Attribute.MaxSet).status == "NotSupportedAttributeType"
    assert len(results.entries) == 10
    assert results[measurands].status == "RebootRequired" and results[measurands].accepted


def test_the_helpers_refuse_before_anything_is_sent(side: Side) -> None:
    dm = side.dm
    with pytest.raises(
        dm.NotWritable, match=r"DeviceDataCtrlr.BytesPerMessage\[GetReport\] is ReadOnly"
    ):
        dm.set_variables_request({dm.DeviceDataCtrlr.BytesPerMessage["GetReport"]: 10})
    with pytest.raises(side.error) as caught:
        dm.set_variables_request({dm.AuthCacheCtrlr.Policy: "Random"})
    assert caught.value.path == "AuthCacheCtrlr.Policy"
    with pytest.raises(ValueError, match="names no component"):
        dm.get_variables_request([dm.AnyComponent.Available])
    request = dm.set_variables_request(
        {dm.AuthCacheCtrlr.Policy: "LFU", dm.EVSE(evse=2).Enabled: True}, dm.Attribute.Target
    )
    assert side.valid(request).to_dict()["setVariableData"] == [
        {
            "attributeValue": "LFU",
            "component": {"name": "AuthCacheCtrlr"},
            "variable": {"name": "Policy"},
            "attributeType": "Target",
        },
        {
            "attributeValue": "true",
            "component": {"name": "EVSE", "evse": {"id": 2}},
            "variable": {"name": "Enabled"},
            "attributeType": "Target",
        },
    ]


def test_a_store_must_be_told_what_the_standard_leaves_open(side: Side) -> None:
    dm = side.dm
    connector = dm.Connector(evse=1, connector=2).AvailabilityState
    with pytest.raises(
        ValueError, match=r"not fix the mutability of Connector\[evse=1,connector=2\]"
    ):
        dm.DeviceModelStore().add(connector, "Available")
    with pytest.raises(ValueError, match="is in one of W, kW: pass unit="):
        dm.DeviceModelStore().add(dm.EVSE.Power, Decimal(11000), mutability=dm.Mutability.ReadOnly)
    with pytest.raises(ValueError, match="on no component"):
        dm.DeviceModelStore().add(dm.AnyComponent.Enabled, True, mutability=dm.Mutability.ReadWrite)
    rotation = dm.EVSE(evse=1).PhaseRotation  # generic; the station defines its values
    assert rotation.data_type == "OptionList" and rotation.values_list == ()
    store = dm.DeviceModelStore()
    store.add(rotation, "RST", values_list=["RST", "RTS"], mutability=dm.Mutability.ReadWrite)
    request = dm.set_variables_request({rotation: "TSR"})  # any value, as far as the catalogue goes
    (entry,) = _result(store.set_variables(request), "setVariableResult")
    assert entry["attributeStatus"] == "Rejected"  # the station's own list decides
    (entry,) = _result(
        store.set_variables(dm.set_variables_request({rotation: "RTS"})), "setVariableResult"
    )
    assert entry["attributeStatus"] == "Accepted" and store.get(rotation) == "RTS"
    with pytest.raises(ValueError, match="longer than a report may carry"):
        store.add(dm.SampledDataCtrlr.TxEndedMeasurands.with_values(["x" * 40] * 30), frozenset())


def _report(side: Side, base: str, **limits: Any) -> tuple[Any, list[Any]]:
    request = side.valid(side.dm.get_base_report_request(7, base))
    response, parts = side.store.get_base_report(request, generated_at=AT, **limits)
    side.valid(response)
    for part in parts:
        side.valid(part)
    return response, parts


def test_base_reports_choose_and_split_as_asked(side: Side) -> None:
    dm = side.dm
    response, parts = _report(side, "FullInventory", max_items=2)
    assert response.to_dict() == {"status": "Accepted"}
    payloads = [part.to_dict() for part in parts]
    assert [(p["seqNo"], p["tbc"], len(p["reportData"])) for p in payloads] == [
        (0, True, 2),
        (1, True, 2),
        (2, True, 2),
        (3, False, 1),
    ]
    assert {p["requestId"] for p in payloads} == {7}
    assert {p["generatedAt"] for p in payloads} == {"2026-11-23T02:24:56Z"}
    report = dm.read_report(reversed(parts))  # parts may arrive in any order
    assert report.complete and report.seq_nos == (0, 1, 2, 3) and report.request_id == 7
    assert report.value(dm.OCPPCommCtrlr.HeartbeatInterval) == 300
    assert report.value(dm.Connector(evse=1, connector=1).AvailabilityState) == "Occupied"
    password = report[dm.SecurityCtrlr.BasicAuthPassword]
    assert password.attributes[dm.Attribute.Actual].text is None  # WriteOnly: no value
    (fan,) = report.unknown  # a vendor's, kept raw and typed by the reported data type
    assert (fan.variable.component, fan.variable.name, fan.variable.standard) == (
        "AcmeFan",
        "BladePitch",
        False,
    )
    assert fan.value() == 1200 and fan.value(dm.Attribute.MaxSet) == 2500
    assert fan.characteristics.unit == "RPM" and fan.characteristics.max_limit == 3000
    _, configuration = _report(side, "ConfigurationInventory")
    names = {e["variable"]["name"] for part in configuration for e in part.to_dict()["reportData"]}
    assert names == {"HeartbeatInterval", "BasicAuthPassword", "TxUpdatedMeasurands", "BladePitch"}
    _, summary = _report(side, "SummaryInventory")
    assert [len(p.to_dict()["reportData"]) for p in summary] == [2]  # the AvailabilityStates


def test_base_reports_split_by_size(side: Side) -> None:
    _, parts = _report(side, "FullInventory", max_bytes=600)
    sizes = [len(json.dumps(part.to_dict(), separators=(",", ":"))) for part in parts]
    counts = [len(part.to_dict()["reportData"]) for part in parts]
    assert all(size <= 600 or count == 1 for size, count in zip(sizes, counts, strict=True))
    assert sum(counts) == 7 and len(parts) > 1


def test_base_report_not_supported_and_empty(side: Side) -> None:
    dm = side.dm
    store = dm.DeviceModelStore(report_bases=["FullInventory"])
    request = dm.get_base_report_request(1, "ConfigurationInventory")
    response, parts = store.get_base_report(request)
    assert (response.to_dict(), parts) == ({"status": "NotSupported"}, [])
    response, parts = store.get_base_report(dm.get_base_report_request(2, "FullInventory"))
    assert (side.valid(response).to_dict(), parts) == ({"status": "EmptyResultSet"}, [])


def test_get_report_by_variable_component_and_criteria(side: Side) -> None:
    dm = side.dm
    store = side.store
    store.add(dm.EVSE(evse=1).Available, True)
    store.add(dm.EVSE(evse=2).Available, False)
    store.add(dm.EVSE(evse=2).AvailabilityState, "Unavailable")

    def reported(**wanted: Any) -> list[tuple[str, Any, str]]:
        request = side.valid(dm.get_report_request(9, **wanted))
        response, parts = store.get_report(request, generated_at=AT)
        side.valid(response)
        if response.to_dict()["status"] != "Accepted":
            return [response.to_dict()["status"]]  # type: ignore[list-item]
        report = dm.read_report(side.valid(part) for part in parts)
        return [(v.component, v.scope.evse, v.name) for v in report]

    assert reported(variables=[dm.OCPPCommCtrlr.HeartbeatInterval]) == [
        ("OCPPCommCtrlr", None, "HeartbeatInterval")
    ]
    assert reported(components=[dm.EVSE]) == [
        ("EVSE", 1, "AvailabilityState"),
        ("EVSE", 1, "Available"),
        ("EVSE", 2, "Available"),
        ("EVSE", 2, "AvailabilityState"),
    ]
    assert reported(components=[dm.EVSE(evse=2)], criteria=["Available"]) == ["EmptyResultSet"]
    assert reported(criteria=["Available"]) == [
        ("EVSE", 1, "AvailabilityState"),
        ("EVSE", 1, "Available"),
    ]


def test_reading_answers_keeps_what_the_catalogue_lacks(side: Side) -> None:
    dm, v = side.dm, side.v
    response = v.GetVariablesResponse.from_dict(
        {
            "getVariableResult": [
                {
                    "attributeStatus": "Accepted",
                    "component": {"name": "AcmeFan"},
                    "variable": {"name": "Quietness"},
                    "attributeValue": "Quiet",
                },
                {
                    "attributeStatus": "Accepted",
                    "component": {"name": "ocppCommCtrlr"},
                    "variable": {"name": "heartbeatInterval"},
                    "attributeValue": "often",
                },
            ]
        }
    )
    results = dm.read_get_variables(response)
    mode, interval = results.entries
    assert (mode.variable.standard, mode.value) == (False, "Quiet")
    generic = dm.read_get_variables(
        v.GetVariablesResponse.from_dict(
            {
                "getVariableResult": [
                    {
                        "attributeStatus": "Accepted",
                        "component": {"name": "AcmeFan", "evse": {"id": 1}},
                        "variable": {"name": "Enabled"},
                        "attributeValue": "true",
                    }
                ]
            }
        )
    )
    phase = dm.DEVICE_MODEL.find("EVSE", "ACCurrent", "L1", evse=1)  # an instance it lists not
    assert phase is not None and (phase.instance, phase.data_type) == ("L1", "decimal")
    assert phase.parse("15.5") == Decimal("15.5") and phase == dm.EVSE(
        evse=1
    ).ACCurrent.with_instance("L1")
    assert dm.DEVICE_MODEL.find("DeviceDataCtrlr", "BytesPerMessage", "NoSuchInstance") is None
    (enabled,) = generic.entries  # a generic variable applies to a vendor's component too
    assert enabled.variable.standard and enabled.value is True
    assert enabled.variable == dm.AnyComponent(name="AcmeFan", evse=1).Enabled
    assert interval.variable == dm.OCPPCommCtrlr.HeartbeatInterval
    with pytest.raises(side.error) as caught:  # at the variable, named as the catalogue does
        _ = interval.value
    assert caught.value.path == "OCPPCommCtrlr.HeartbeatInterval"  # type: ignore[attr-defined]
    part = v.NotifyReportRequest.from_dict(
        {"requestId": 1, "generatedAt": "2026-01-01T00:00:00Z", "seqNo": 1, "tbc": True}
    )
    report = dm.read_report([part])
    assert not report.complete and len(report) == 0
    other = v.NotifyReportRequest.from_dict(
        {"requestId": 2, "generatedAt": "2026-01-01T00:00:00Z", "seqNo": 0}
    )
    with pytest.raises(ValueError, match="parts of different reports"):
        dm.read_report([part, other])


def test_decimals_read_as_float_when_the_catalogue_says_so(side: Side) -> None:
    dm = side.dm
    store = side.store
    power = dm.EVSE(evse=1).Power
    store.add(power, Decimal("11000.5"), mutability=dm.Mutability.ReadOnly, unit="W")
    response = store.get_variables(dm.get_variables_request([power]))
    assert dm.read_get_variables(response).value(power) == Decimal("11000.5")
    as_float = dm.read_get_variables(response, catalogue=dm.DEVICE_MODEL.with_float_decimals())
    assert as_float.value(power) == 11000.5 and isinstance(as_float.value(power), float)
    assert dm.read_get_variables(response, asked=[power.as_float()]).value(power) == 11000.5
