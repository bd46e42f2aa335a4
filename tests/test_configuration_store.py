"""The 1.6 configuration keys on both sides, per flavour: typed GetConfiguration /
ChangeConfiguration requests and readers on the Central System side, ``ConfigurationStore``
on the charge point answering with every status the specification gives; every answer is
checked against the OCA schema with jsonschema."""

from __future__ import annotations

from typing import Any

import pytest
from catalogues import FLAVOURS, module, validation_error, version
from support import SCHEMAS, is_valid


class Side:
    """The 1.6 configuration module of one flavour and a seeded store."""

    def __init__(self, flavour: str) -> None:
        self.cf: Any = module(flavour, "v16", "configuration")
        self.v: Any = version(flavour, "v16")
        self.error = validation_error(flavour)
        self.changes: list[Any] = []
        cf = self.cf
        self.store = store = cf.ConfigurationStore(on_change=self.changes.append)
        store.add(cf.HeartbeatInterval, 300)
        store.add(cf.MeterValuesSampledData, ("Energy.Active.Import.Register",))
        store.add(cf.MeterValuesSampledDataMaxLength, 3)
        store.add(cf.NumberOfConnectors, 2)
        store.add(cf.AuthorizationKey, "0123456789abcdef0123")
        store.add(cf.AuthorizeRemoteTxRequests, True, read_only=False)
        store.add(cf.WebSocketPingInterval, 30, reboot_required=True)
        store.add(cf.LocalAuthListEnabled, None)  # known, not set
        store.add(cf.Key("AcmeFanMode", cf.STRING, standard=False), "quiet")

    def valid(self, message: Any) -> Any:
        file = type(message).__name__.removesuffix("Request")
        assert is_valid(SCHEMAS / "1.6" / f"{file}.json", message.to_dict()), message.to_json()
        return message


@pytest.fixture(params=FLAVOURS)
def side(request: pytest.FixtureRequest) -> Side:
    return Side(request.param)


def test_get_configuration_of_every_key_and_of_some(side: Side) -> None:
    cf = side.cf
    everything = side.valid(
        side.store.get_configuration(side.valid(cf.get_configuration_request()))
    )
    keys = everything.to_dict()["configurationKey"]
    assert [entry["key"] for entry in keys] == [
        "HeartbeatInterval",
        "MeterValuesSampledData",
        "MeterValuesSampledDataMaxLength",
        "NumberOfConnectors",
        "AuthorizationKey",
        "AuthorizeRemoteTxRequests",
        "WebSocketPingInterval",
        "LocalAuthListEnabled",
        "AcmeFanMode",
    ]
    by_key = {entry["key"]: entry for entry in keys}
    assert by_key["AuthorizationKey"] == {"key": "AuthorizationKey", "readonly": False}  # W
    assert by_key["LocalAuthListEnabled"] == {"key": "LocalAuthListEnabled", "readonly": False}
    assert by_key["NumberOfConnectors"] == {
        "key": "NumberOfConnectors",
        "readonly": True,
        "value": "2",
    }
    assert "unknownKey" not in everything.to_dict()
    results = cf.read_configuration(everything)
    assert results.value(cf.HeartbeatInterval) == 300
    assert results.value(cf.MeterValuesSampledData) == ("Energy.Active.Import.Register",)
    assert results[cf.NumberOfConnectors].readonly and results.value(cf.AuthorizationKey) is None
    vendor = next(key for key in results if key.name == "AcmeFanMode")
    assert (vendor.standard, results.value(vendor)) == (False, "quiet")  # kept, as text
    some = side.v.GetConfigurationRequest.from_dict(
        {"key": ["heartbeatinterval", "NoSuchKey", "HeartbeatInterval"]}
    )
    answer = side.valid(side.store.get_configuration(some)).to_dict()
    assert answer["configurationKey"] == [
        {"key": "HeartbeatInterval", "readonly": False, "value": "300"}
    ]
    assert answer["unknownKey"] == ["NoSuchKey"]
    assert cf.read_configuration(side.store.get_configuration(some)).unknown == ("NoSuchKey",)


def test_change_configuration_answers_every_status(side: Side) -> None:
    cf, v = side.cf, side.v

    def change(key: str, value: str) -> str:
        request = side.valid(v.ChangeConfigurationRequest(key=key, value=value))
        response = side.valid(side.store.change_configuration(request))
        return response.to_dict()["status"]  # type: ignore[no-any-return]

    assert change("HeartbeatInterval", "60") == "Accepted"
    assert change("heartbeatINTERVAL", "61") == "Accepted"  # CiString: any case
    assert change("HeartbeatInterval", "sixty") == "Rejected"
    assert change("NumberOfConnectors", "3") == "Rejected"  # read-only
    assert change("NoSuchKey", "1") == "NotSupported"
    assert change("MeterValuesSampledData", "SoC,Voltage,Current.Import") == "Accepted"
    assert (
        change("MeterValuesSampledData", "SoC,Voltage,Current.Import,Power.Offered") == "Rejected"
    )
    assert change("AuthorizeRemoteTxRequests", "false") == "Accepted"  # this one chose RW
    assert change("WebSocketPingInterval", "10") == "RebootRequired"
    store = side.store
    assert store.get(cf.HeartbeatInterval) == 61
    assert store.get(cf.MeterValuesSampledData) == ("SoC", "Voltage", "Current.Import")
    assert (store.get(cf.WebSocketPingInterval), store.pending(cf.WebSocketPingInterval)) == (
        30,
        10,
    )
    assert [(c.key.name, c.previous, c.value, c.pending) for c in side.changes] == [
        ("HeartbeatInterval", 300, 60, False),
        ("HeartbeatInterval", 60, 61, False),
        (
            "MeterValuesSampledData",
            ("Energy.Active.Import.Register",),
            ("SoC", "Voltage", "Current.Import"),
            False,
        ),
        ("AuthorizeRemoteTxRequests", True, False, False),
        ("WebSocketPingInterval", 30, 10, True),
    ]
    (applied,) = store.reboot()
    assert (applied.key, applied.value, store.get(cf.WebSocketPingInterval)) == (
        cf.WebSocketPingInterval,
        10,
        10,
    )


def test_the_helpers_refuse_before_anything_is_sent(side: Side) -> None:
    cf = side.cf
    with pytest.raises(cf.NotWritable, match="NumberOfConnectors is read-only"):
        cf.change_configuration_request(cf.NumberOfConnectors, 3)
    with pytest.raises(side.error) as caught:
        cf.change_configuration_request(cf.HeartbeatInterval, "300")
    assert caught.value.path == "HeartbeatInterval"
    request = side.valid(
        cf.change_configuration_request(cf.MeterValuesSampledData, ("SoC", "Voltage"))
    )
    assert request.to_dict() == {"key": "MeterValuesSampledData", "value": "SoC,Voltage"}
    assert (
        cf.change_configuration_request(cf.AuthorizationKey, "x" * 16).to_dict()["value"]
        == "x" * 16
    )
    asked = side.valid(cf.get_configuration_request([cf.HeartbeatInterval, "AcmeFanMode"]))
    assert asked.to_dict() == {"key": ["HeartbeatInterval", "AcmeFanMode"]}


def test_a_store_must_be_told_what_the_specification_leaves_open(side: Side) -> None:
    cf = side.cf
    store = cf.ConfigurationStore()
    with pytest.raises(ValueError, match="R or RW as the charge point chooses: pass read_only="):
        store.add(cf.AuthorizeRemoteTxRequests, True)
    with pytest.raises(ValueError, match=r"read-only \(R\) in the specification"):
        store.add(cf.NumberOfConnectors, 1, read_only=False)
    store.add(cf.ConnectorPhaseRotationMaxLength, 1)
    with pytest.raises(side.error, match="2 items, ConnectorPhaseRotationMaxLength allows 1"):
        store.add(cf.ConnectorPhaseRotation, ("0.RST", "1.RST"))
    assert (
        cf.CONFIGURATION.max_length_of(cf.ConnectorPhaseRotation)
        is cf.ConnectorPhaseRotationMaxLength
    )
