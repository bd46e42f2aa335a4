"""OCPP-J dispatch for every version: routing, every error path, full exchanges, SEND."""

from __future__ import annotations

import asyncio
import importlib
import json
from typing import Any

import pytest
from examples import minimal
from ocpp_bindings import Model, ValidationError
from support import message_cases

VERSIONS = {"1.6": "v16", "2.0.1": "v201", "2.1": "v21"}
SCHEMAS = {(c.version, c.class_name): c.schema for c in message_cases()}


def dispatch(version: str) -> Any:
    return importlib.import_module(f"ocpp_bindings.{VERSIONS[version]}.dispatch")


def payload(version: str, class_name: str) -> dict[str, Any]:
    schema = SCHEMAS[(version, class_name)]
    return minimal(schema, schema)  # type: ignore[no-any-return]


def message(version: str, class_name: str) -> Model:
    module = importlib.import_module(f"ocpp_bindings.{VERSIONS[version]}.messages")
    return getattr(module, class_name).from_dict(payload(version, class_name))  # type: ignore[no-any-return]


def roles(version: str) -> tuple[Any, Any]:
    """(charging station role, central system role)."""
    role = dispatch(version).Role
    return tuple(role)  # type: ignore[return-value]


def codes(version: str) -> dict[str, str]:
    if version == "1.6":
        return {
            "format": "FormationViolation",
            "occurrence": "OccurenceConstraintViolation",
            "rpc": "FormationViolation",
            "type_id": "FormationViolation",
        }
    return {
        "format": "FormatViolation",
        "occurrence": "OccurrenceConstraintViolation",
        "rpc": "RpcFrameworkError",
        "type_id": "MessageTypeNotSupported",
    }


class CentralHandler:
    """Handles BootNotification (async) and StatusNotification (plain method)."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.seen: list[tuple[Model, str]] = []

    async def on_boot_notification(self, request: Model, charging_station_id: str) -> Model:
        self.seen.append((request, charging_station_id))
        return message(self.version, "BootNotificationResponse")

    def on_status_notification(self, request: Model, charging_station_id: str) -> Model:
        self.seen.append((request, charging_station_id))
        return message(self.version, "StatusNotificationResponse")


class StationHandler:
    def __init__(self, version: str) -> None:
        self.version = version
        self.seen: list[Model] = []

    async def on_reset(self, request: Model) -> Model:
        self.seen.append(request)
        return message(self.version, "ResetResponse")


def central(version: str, *handlers: object, **kwargs: Any) -> Any:
    return dispatch(version).Dispatcher(
        roles(version)[1], handlers or [CentralHandler(version)], **kwargs
    )


def call_frame(action: str, body: Any, unique_id: str = "id-1") -> str:
    return json.dumps([2, unique_id, action, body])


def handle(dispatcher: Any, frame: str | bytes) -> Any:
    reply = asyncio.run(dispatcher.handle_frame(frame, charging_station_id="CS-1"))
    return None if reply is None else json.loads(reply)


@pytest.mark.parametrize("version", VERSIONS)
def test_call_is_routed_to_the_handler_with_the_station_identity(version: str) -> None:
    handler = CentralHandler(version)
    reply = handle(
        central(version, handler),
        call_frame("BootNotification", payload(version, "BootNotificationRequest")),
    )
    assert reply == [3, "id-1", message(version, "BootNotificationResponse").to_dict()]
    request, station = handler.seen[0]
    assert type(request).__name__ == "BootNotificationRequest"
    assert station == "CS-1"


@pytest.mark.parametrize("version", VERSIONS)
def test_plain_methods_work_as_handlers(version: str) -> None:
    reply = handle(
        central(version),
        call_frame("StatusNotification", payload(version, "StatusNotificationRequest")),
    )
    assert reply[0] == 3


@pytest.mark.parametrize("version", VERSIONS)
def test_unknown_action_is_not_implemented(version: str) -> None:
    assert handle(central(version), call_frame("NoSuchAction", {}))[:3] == [
        4,
        "id-1",
        "NotImplemented",
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_action_without_handler_is_not_supported(version: str) -> None:
    assert handle(central(version), call_frame("Heartbeat", {}))[:3] == [4, "id-1", "NotSupported"]


@pytest.mark.parametrize("version", VERSIONS)
def test_action_this_role_never_receives_is_not_supported(version: str) -> None:
    reply = handle(central(version), call_frame("Reset", payload(version, "ResetRequest")))
    assert reply[:3] == [4, "id-1", "NotSupported"]


@pytest.mark.parametrize("version", VERSIONS)
def test_routes_follow_a_change_of_role(version: str) -> None:
    """The dispatcher keeps the routes it found; a new role forgets them."""
    dispatcher = central(version)
    frame = call_frame("StatusNotification", payload(version, "StatusNotificationRequest"))
    assert handle(dispatcher, frame)[0] == 3
    dispatcher.role = roles(version)[0]  # a charging station never receives it
    assert not dispatcher.is_central
    assert handle(dispatcher, frame)[:3] == [4, "id-1", "NotSupported"]


@pytest.mark.parametrize("version", VERSIONS)
def test_payload_errors_answer_with_the_validation_code(version: str) -> None:
    good = payload(version, "BootNotificationRequest")
    dispatcher = central(version)
    assert handle(dispatcher, call_frame("BootNotification", {}))[2] == codes(version)["occurrence"]
    assert (
        handle(dispatcher, call_frame("BootNotification", {**good, "zz": 1}))[2]
        == codes(version)["format"]
    )
    first = next(iter(good))
    assert (
        handle(dispatcher, call_frame("BootNotification", {**good, first: 5}))[2]
        == "TypeConstraintViolation"
    )
    assert handle(dispatcher, call_frame("BootNotification", []))[2] == "TypeConstraintViolation"
    assert not CentralHandler(version).seen


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    ("frame", "expected_id", "kind"),
    [
        ("not json", "-1", "rpc"),
        (b"\xff\xfe", "-1", "rpc"),
        ("{}", "-1", "rpc"),
        ("[2]", "-1", "rpc"),
        ('[2, 5, "Heartbeat", {}]', "-1", "rpc"),
        ('[2, "x", {}, {}]', "x", "rpc"),
        ('[2, "x", "Heartbeat"]', "x", "rpc"),
        ('[2.0, "x", "Heartbeat", {}]', "x", "rpc"),
        ('[true, "x", "Heartbeat", {}]', "x", "rpc"),
        ('[9, "x", "Heartbeat", {}]', "x", "type_id"),
        ("[" * 5000 + "]" * 5000, "-1", "rpc"),
    ],
)
def test_malformed_frames_get_the_rpc_error(
    version: str, frame: str | bytes, expected_id: str, kind: str
) -> None:
    reply = handle(central(version), frame)
    assert reply[:3] == [4, expected_id, codes(version)[kind]]
    assert reply[4] == {}


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
@pytest.mark.parametrize("type_id", [5, 6])
def test_2_1_frame_types_are_unknown_before_2_1(version: str, type_id: int) -> None:
    reply = handle(central(version), json.dumps([type_id, "x", "Heartbeat", {}]))
    assert reply[:3] == [4, "x", codes(version)["type_id"]]


class Failing:
    def __init__(self, version: str, mode: str) -> None:
        self.version, self.mode = version, mode

    async def on_boot_notification(self, request: Model, charging_station_id: str) -> Any:
        if self.mode == "raise":
            raise RuntimeError("secret database password in this text")
        if self.mode == "wrong type":
            return message(self.version, "HeartbeatResponse")
        response = message(self.version, "BootNotificationResponse")
        response.interval = "not an int"  # type: ignore[attr-defined]
        return response


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("mode", ["raise", "wrong type", "invalid"])
def test_handler_failures_are_internal_errors_without_details(version: str, mode: str) -> None:
    dispatcher = central(version, Failing(version, mode))
    reply = handle(
        dispatcher, call_frame("BootNotification", payload(version, "BootNotificationRequest"))
    )
    assert reply == [4, "id-1", "InternalError", "Internal error", {}]


@pytest.mark.parametrize("version", VERSIONS)
def test_handler_registration_errors(version: str) -> None:
    with pytest.raises(ValueError, match="two handlers"):
        central(version, CentralHandler(version), CentralHandler(version))
    with pytest.raises(ValueError, match="handles no action"):
        central(version, object())
    with pytest.raises(ValueError, match="charging_station_id"):
        asyncio.run(central(version).handle_frame("[]"))


@pytest.mark.parametrize("version", VERSIONS)
def test_a_misspelt_or_misplaced_handler_method_is_refused_when_the_dispatcher_is_built(
    version: str,
) -> None:
    """Before, ``on_boot_notifcation`` was ignored and every BootNotification answered
    NotSupported; a station's ``on_reset`` on the central side, the same."""
    central_name = {"1.6": "CentralSystem"}.get(version, "CSMS")

    class Misspelt(CentralHandler):
        async def on_boot_notifcation(self, request: Model, charging_station_id: str) -> Model:
            raise AssertionError("never called")

    with pytest.raises(ValueError) as caught:
        central(version, Misspelt(version))
    assert str(caught.value) == (
        f"Misspelt.on_boot_notifcation matches no action the {central_name} receives in OCPP "
        f"{version} (did you mean on_boot_notification, for BootNotification?); list on_* "
        "methods that are no OCPP handlers in ocpp_other_methods"
    )
    with pytest.raises(ValueError) as caught:
        central(version, StationHandler(version))
    assert str(caught.value) == (
        f"StationHandler.on_reset: the {central_name} never receives Reset (only starts it)"
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_handler_objects_name_their_other_on_methods(version: str) -> None:
    """The rule: every public ``on_*`` method is an OCPP handler of an action the role
    receives, unless the object lists it in ``ocpp_other_methods``; private ``_on_*`` names
    and attributes that are not callable are no methods of that kind."""

    class WithCallbacks(CentralHandler):
        ocpp_other_methods = ("on_connect",)
        on_close = None

        def on_connect(self) -> None:
            raise AssertionError("not a handler")

        def _on_private(self) -> None:
            raise AssertionError("not a handler")

    handler = WithCallbacks(version)
    reply = handle(
        central(version, handler),
        call_frame("BootNotification", payload(version, "BootNotificationRequest")),
    )
    assert reply[0] == 3 and len(handler.seen) == 1
    without_list = type("WithoutList", (CentralHandler,), {"on_connect": lambda self: None})
    with pytest.raises(ValueError, match=r"WithoutList\.on_connect matches no action"):
        central(version, without_list(version))


@pytest.mark.parametrize("version", VERSIONS)
def test_error_texts_use_ocpp_names_not_python_reprs(version: str) -> None:
    """Since Python 3.11 an f-string shows a str enum as ``Role.CSMS``; the texts say
    ``CSMS`` and ``BootNotification``."""
    module = dispatch(version)
    station_role, central_role = roles(version)
    dispatcher = central(version, transport=lambda frame: asyncio.sleep(0))
    with pytest.raises(module.ActionNotAllowed) as caught:
        asyncio.run(dispatcher.call(message(version, "BootNotificationRequest")))
    name = central_role.value
    assert str(caught.value) == f"the {name} may not start BootNotification"
    with pytest.raises(ValueError) as refused:
        central(version, StationHandler(version))
    assert "Role." not in str(refused.value) and "Action." not in str(refused.value)
    with pytest.raises(ValueError, match=f"that the {name} receives in OCPP {version}$"):
        central(version, object())
    with pytest.raises(ValueError, match=r"^two handlers for BootNotification$"):
        central(version, CentralHandler(version), CentralHandler(version))
    station = module.Dispatcher(
        station_role, [StationHandler(version)], transport=lambda f: asyncio.sleep(0), timeout=0
    )
    with pytest.raises(module.CallTimeout, match=r"^no answer to BootNotification "):
        asyncio.run(station.call(message(version, "BootNotificationRequest")))


def _connected(version: str, central_handler: object, station_handler: object) -> tuple[Any, Any]:
    """A charging-station dispatcher and a CSMS dispatcher wired to each other in memory."""
    station_role, central_role = roles(version)
    module = dispatch(version)
    peers: dict[str, Any] = {}

    async def to_central(text: str) -> None:
        reply = await peers["central"].handle_frame(text, charging_station_id="CS-7")
        if reply is not None:
            await peers["station"].handle_frame(reply)

    async def to_station(text: str) -> None:
        reply = await peers["station"].handle_frame(text)
        if reply is not None:
            await peers["central"].handle_frame(reply, charging_station_id="CS-7")

    peers["station"] = module.Dispatcher(
        station_role, [station_handler], transport=to_central, timeout=5
    )
    peers["central"] = module.Dispatcher(
        central_role, [central_handler], transport=to_station, timeout=5
    )
    return peers["station"], peers["central"]


@pytest.mark.parametrize("version", VERSIONS)
def test_full_exchange_both_directions(version: str) -> None:
    central_handler, station_handler = CentralHandler(version), StationHandler(version)
    station, csms = _connected(version, central_handler, station_handler)

    async def exchange() -> None:
        boot = await station.call(message(version, "BootNotificationRequest"))
        assert boot == message(version, "BootNotificationResponse")
        assert central_handler.seen[0][1] == "CS-7"
        reset = await csms.call(message(version, "ResetRequest"))
        assert reset == message(version, "ResetResponse")
        assert station_handler.seen == [message(version, "ResetRequest")]
        with pytest.raises(dispatch(version).CallError) as caught:
            await station.call(message(version, "HeartbeatRequest"))
        assert caught.value.code == "NotSupported"
        with pytest.raises(dispatch(version).CallError) as caught:
            await csms.call(message(version, "ClearCacheRequest"))
        assert caught.value.code == "NotSupported"

    asyncio.run(exchange())


@pytest.mark.parametrize("version", VERSIONS)
def test_outgoing_calls_are_refused_when_the_role_may_not_send_them(version: str) -> None:
    station, csms = _connected(version, CentralHandler(version), StationHandler(version))
    module = dispatch(version)
    with pytest.raises(module.ActionNotAllowed):
        asyncio.run(station.call(message(version, "ResetRequest")))
    with pytest.raises(module.ActionNotAllowed):
        asyncio.run(csms.call(message(version, "BootNotificationRequest")))
    invalid = message(version, "BootNotificationRequest")
    setattr(invalid, next(iter(vars(type(invalid))["__annotations__"])), 12345)  # any flavour
    with pytest.raises(ValidationError):
        asyncio.run(station.call(invalid))


@pytest.mark.parametrize("version", VERSIONS)
def test_call_timeout_and_late_answers(version: str) -> None:
    sent: list[str] = []

    async def lossy(text: str) -> None:
        sent.append(text)

    station = dispatch(version).Dispatcher(
        roles(version)[0], [StationHandler(version)], transport=lossy, timeout=0.01
    )
    with pytest.raises(dispatch(version).CallTimeout):
        asyncio.run(station.call(message(version, "HeartbeatRequest")))
    unique_id = json.loads(sent[0])[1]
    late = json.dumps([3, unique_id, payload(version, "HeartbeatResponse")])
    assert asyncio.run(station.handle_frame(late)) is None


@pytest.mark.parametrize("version", VERSIONS)
def test_invalid_call_result_fails_the_call(version: str) -> None:
    module = dispatch(version)
    replies: list[str | None] = []

    async def answer_badly(text: str) -> None:
        unique_id = json.loads(text)[1]
        replies.append(await station.handle_frame(json.dumps([3, unique_id, {"unexpected": 1}])))

    station = module.Dispatcher(
        roles(version)[0], [StationHandler(version)], transport=answer_badly
    )
    with pytest.raises(ValidationError):
        asyncio.run(station.call(message(version, "HeartbeatRequest")))
    if version == "2.1":
        assert replies[0] is not None and json.loads(replies[0])[:3][0] == 5
    else:
        assert replies == [None]


def test_send_in_2_1() -> None:
    received: list[tuple[Model, str]] = []

    class StreamHandler(CentralHandler):
        async def on_notify_periodic_event_stream(
            self, request: Model, charging_station_id: str
        ) -> None:
            received.append((request, charging_station_id))

    station, csms = _connected("2.1", StreamHandler("2.1"), StationHandler("2.1"))
    request = message("2.1", "NotifyPeriodicEventStreamRequest")
    asyncio.run(station.send(request))
    assert received == [(request, "CS-7")]
    frame = json.dumps([6, "s-1", "NotifyPeriodicEventStream", request.to_dict()])
    assert asyncio.run(csms.handle_frame(frame, charging_station_id="CS-7")) is None
    bad = json.dumps([6, "s-2", "NotifyPeriodicEventStream", {"broken": True}])
    assert asyncio.run(csms.handle_frame(bad, charging_station_id="CS-7")) is None
    assert len(received) == 2
    module = dispatch("2.1")
    with pytest.raises(module.ActionNotAllowed):
        asyncio.run(station.call(request))
    as_call = handle(csms, call_frame("NotifyPeriodicEventStream", request.to_dict()))
    assert as_call[:3] == [4, "id-1", "NotSupported"]


def test_handler_protocols_exist_per_profile_and_side() -> None:
    from ocpp_bindings.v16 import handlers as h16
    from ocpp_bindings.v21 import handlers as h21
    from ocpp_bindings.v201 import handlers as h201

    assert hasattr(h16.CoreCentralSystemHandler, "on_boot_notification")
    assert hasattr(h16.CoreChargePointHandler, "on_reset")
    assert hasattr(h201.ProvisioningCSMSHandler, "on_boot_notification")
    assert hasattr(h201.ProvisioningChargingStationHandler, "on_reset")
    assert not hasattr(h201, "MeterValuesChargingStationHandler")  # that side receives nothing
    assert hasattr(h21.DiagnosticsCSMSHandler, "on_notify_periodic_event_stream")
    assert hasattr(h16.CoreChargePointHandler, "on_data_transfer")
    assert hasattr(h16.CoreCentralSystemHandler, "on_data_transfer")


def test_protocol_typed_handler_runs() -> None:
    from typing_example import make_dispatcher

    dispatcher, handler = make_dispatcher()
    frame = call_frame("BootNotification", payload("2.0.1", "BootNotificationRequest"))
    assert handle(dispatcher, frame)[0] == 3
    assert handler.booted == ["CS-1"]
