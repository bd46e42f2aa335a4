"""Vendor extensions: typed DataTransfer messages, vendor customData and custom actions.

A generated extension package (``ocppgen generate --extension DIR``) holds, per OCPP version,
an :class:`Extension`: its DataTransfer messages by ``(vendor_id, message_id)``, its custom
actions as features, and helpers for its customData. Pass the extension's version module to the
version's ``Dispatcher(..., extensions=[...])``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, Protocol, TypeVar

from ._flavour import Model, dialect_of, extra_of, json_names
from ._registry import Feature, ocpp_name
from ._runtime import ErrorKind, JsonValue, ValidationError, load_json

T = TypeVar("T")
M = TypeVar("M", bound=Model)
Q = TypeVar("Q")
P = TypeVar("P")
DQ = TypeVar("DQ", bound=Model)
DP = TypeVar("DP", bound=Model)
DATA_TRANSFER = "DataTransfer"


class VendorDataError(ValidationError):
    """The ``data`` of a DataTransfer message does not match the vendor's schema."""


class IncomingDataError(Exception):
    """The data of a received DataTransfer request failed: the dispatcher answers a CALLERROR
    with the error's code (only for this request; handlers' own errors stay InternalError)."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(str(error))
        self.error = error


def _data_error(error: ValidationError, prefix: str) -> VendorDataError:
    path = f"{prefix}.{error.path}" if error.path else prefix
    wrapped = VendorDataError(error.message, path, error.kind)
    wrapped.dialect = error.dialect
    return wrapped


class DataCodec(Generic[T]):
    """How a vendor payload travels in the ``data`` of a DataTransfer message."""

    def decode(self, data: object) -> T:
        raise NotImplementedError

    def encode(self, value: T) -> JsonValue:
        raise NotImplementedError


class ObjectData(DataCodec[M]):
    """A typed payload: a JSON value (2.x), or JSON text in a string (1.6 ``data = "json"``)."""

    def __init__(self, cls: type[M], as_text: bool = False) -> None:
        self.cls = cls
        self.as_text = as_text

    def decode(self, data: object) -> M:
        if self.as_text:
            if not isinstance(data, str):
                error = ValidationError("expected a string holding JSON", "", ErrorKind.TYPE)
                raise _data_error(_dialect(error, self.cls), "data")
            try:
                data = load_json(data)
            except ValidationError as exc:
                raise _data_error(_dialect(exc, self.cls), "data") from None
        try:
            return self.cls.from_dict(data)
        except ValidationError as exc:
            raise _data_error(exc, "data") from None

    def encode(self, value: M) -> JsonValue:
        if not isinstance(value, self.cls):
            raise TypeError(f"expected {self.cls.__name__}, got {type(value).__name__}")
        value.validate()
        return value.to_json() if self.as_text else value.to_dict()


class StringData(DataCodec[str]):
    """A plain string (1.6 ``data = "string"``)."""

    def __init__(self, dialect_of: type[Model]) -> None:
        self.dialect_of = dialect_of

    def decode(self, data: object) -> str:
        if not isinstance(data, str):
            error = ValidationError("expected a string", "", ErrorKind.TYPE)
            raise _data_error(_dialect(error, self.dialect_of), "data")
        return data

    def encode(self, value: str) -> JsonValue:
        if not isinstance(value, str):
            raise TypeError(f"expected str, got {type(value).__name__}")
        return value


def _dialect(error: ValidationError, cls: type[Model]) -> ValidationError:
    error.dialect = dialect_of(cls)
    return error


@dataclass(frozen=True)
class DataTransferTypes(Generic[DQ, DP]):
    """The standard DataTransfer classes of one OCPP version."""

    request: type[DQ]
    response: type[DP]
    accepted: Enum
    unknown_vendor_id: Enum
    unknown_message_id: Enum


@dataclass(frozen=True)
class VendorMessage(Generic[Q, P, DQ, DP]):
    """One vendor DataTransfer message: its key, typed data and handler method.

    ``pack`` and ``unpack`` convert between the typed payload and the standard
    ``DataTransferRequest``; ``pack_response`` and ``unpack_response`` do the same for the
    answer. ``unpack`` raises ``ValidationError`` (path ``data...``) when the data does not
    match the vendor's schema.
    """

    vendor_id: str
    message_id: str
    handler: str
    """The handler method: ``on_<snake_case name>``."""
    request: DataCodec[Q]
    response: DataCodec[P] | None
    """``None`` when the vendor answers without data."""
    standard: DataTransferTypes[DQ, DP]

    @property
    def key(self) -> tuple[str, str]:
        """``(vendor_id, message_id)``."""
        return (self.vendor_id, self.message_id)

    @property
    def label(self) -> str:
        """The message for people: ``DataTransfer com.acme SelfTest``."""
        return f"DataTransfer {self.vendor_id} {self.message_id}"

    def pack(self, payload: Q) -> DQ:
        """The standard DataTransferRequest carrying ``payload``."""
        data = self.request.encode(payload)
        return self.standard.request.from_dict(
            {"vendorId": self.vendor_id, "messageId": self.message_id, "data": data}
        )

    def unpack(self, message: DQ) -> Q:
        """The typed payload of a DataTransferRequest for this message."""
        raw = message.to_dict()
        if (raw.get("vendorId"), raw.get("messageId")) != self.key:
            raise ValueError(f"not a {self.vendor_id} {self.message_id} message")
        if "data" not in raw:
            error = ValidationError("required property is missing", "", ErrorKind.OCCURRENCE)
            raise _data_error(_dialect(error, self.standard.request), "data")
        return self.request.decode(raw["data"])

    def pack_response(self, payload: P | None = None, status: Enum | None = None) -> DP:
        """The standard DataTransferResponse (``Accepted`` unless ``status``) with ``payload``."""
        document: dict[str, JsonValue] = {"status": (status or self.standard.accepted).value}
        if payload is not None:
            if self.response is None:
                raise TypeError(f"{self.message_id} answers without data")
            document["data"] = self.response.encode(payload)
        return self.standard.response.from_dict(document)

    def unpack_response(self, message: DP) -> P | None:
        """The typed data of a DataTransferResponse (``None`` when it carries none)."""
        raw = message.to_dict()
        if self.response is None or "data" not in raw:
            return None
        return self.response.decode(raw["data"])


@dataclass(frozen=True)
class Extension(Generic[DQ, DP]):
    """What one generated extension adds to one OCPP version."""

    package: str
    version: str
    vendor_id: str
    data_transfer: Mapping[tuple[str, str], VendorMessage[Any, Any, DQ, DP]]
    features: Mapping[str, Feature[Any]]
    """The custom actions, like the version's ``FEATURES``."""
    standard: DataTransferTypes[DQ, DP]


class CustomData(Protocol):
    """The standard ``CustomDataType``: a vendor id; the flavour's ``extra_of`` gives the
    vendor's properties."""

    vendor_id: str


def read_custom_data(custom: CustomData | None, vendor_id: str, cls: type[M]) -> M | None:
    """The vendor's typed fields from a standard ``custom_data`` (None when it has none).

    Only properties of ``cls`` are read; other vendors' properties stay where they are.
    Raises ``ValidationError`` (path ``customData...``) when they do not match.
    """
    if custom is None or custom.vendor_id != vendor_id:
        return None
    names = json_names(cls)
    mine = {key: value for key, value in extra_of(custom).items() if key in names}
    if not mine:
        return None
    try:
        return cls.from_dict(mine)
    except ValidationError as exc:
        raise _data_error(exc, "customData") from None


def write_custom_data(custom: CustomData, vendor_id: str, value: Model) -> None:
    """Put the vendor's fields among ``custom``'s extra properties; other vendors' properties
    are kept."""
    if custom.vendor_id != vendor_id:
        raise ValueError(f"customData belongs to {custom.vendor_id!r}, not {vendor_id!r}")
    value.validate()
    extra = extra_of(custom)
    for key in json_names(type(value)):
        extra.pop(key, None)
    extra.update(value.to_dict())


def _call(parse: Callable[[], T]) -> T:
    return parse()


class VendorRouter:
    """Routes incoming DataTransfer requests to typed ``on_<message>`` handler methods.

    A message no extension knows goes to the standard ``on_data_transfer`` handler when there
    is one, else gets the standard ``UnknownVendorId`` / ``UnknownMessageId`` answer.
    """

    def __init__(
        self, extensions: list[Extension[Any, Any]], features: Mapping[str, Feature[Any]]
    ) -> None:
        self.features = features
        """The version's features and the extensions' custom actions."""
        self.messages: dict[tuple[str, str], VendorMessage[Any, Any, Any, Any]] = {}
        for extension in extensions:
            for key, message in extension.data_transfer.items():
                if key in self.messages:
                    raise ValueError(f"two extensions define {message.label}")
                self.messages[key] = message
        self.standard = extensions[0].standard
        self.vendors = {vendor for vendor, _ in self.messages}
        self.handlers: dict[tuple[str, str], Callable[..., Any]] = {}

    def handler_names(self) -> dict[str, str]:
        """Handler method name -> what it handles (``DataTransfer com.acme SelfTest``)."""
        return {message.handler: message.label for message in self.messages.values()}

    def add_handler(self, handler: object) -> int:
        """Register the handler's typed DataTransfer methods; returns how many it has."""
        found = 0
        for key, message in self.messages.items():
            method = getattr(handler, message.handler, None)
            if method is None:
                continue
            if key in self.handlers:
                raise ValueError(f"two handlers for {message.label}")
            self.handlers[key] = method
            found += 1
        return found

    def route(
        self, fallback: Callable[..., Any] | None, parse: Callable[[Callable[[], Any]], Any] = _call
    ) -> Callable[..., Any]:
        """The DataTransfer handler: typed methods first, then ``fallback``.

        ``parse`` runs the typed decoding of the data (the dispatcher's tolerances apply).
        """

        async def handle(request: Model, *station: str) -> Any:
            raw = request.to_dict()
            vendor, message_id = raw.get("vendorId"), raw.get("messageId")
            strings = isinstance(vendor, str) and isinstance(message_id, str)
            key = (str(vendor), str(message_id)) if strings else None
            method = self.handlers.get(key) if key is not None else None
            if method is None or key is None:
                if fallback is not None:
                    return await _awaited(fallback(request, *station))
                known = vendor in self.vendors
                standard = self.standard
                status = standard.unknown_message_id if known else standard.unknown_vendor_id
                return self.standard.response.from_dict({"status": status.value})
            message = self.messages[key]
            try:
                payload = parse(lambda: message.unpack(request))
            except ValidationError as exc:
                raise IncomingDataError(exc) from None
            answer = await _awaited(method(payload, *station))
            if isinstance(answer, self.standard.response):
                return answer
            return message.pack_response(answer)

        return handle


async def _awaited(result: Any) -> Any:
    return await result if inspect.isawaitable(result) else result


def extension_of(module: object, version: str) -> Extension[Any, Any]:
    """The :class:`Extension` of a generated extension version module (``acme_ocpp.v201``)."""
    extension = getattr(module, "EXTENSION", None)
    if not isinstance(extension, Extension):
        raise TypeError(f"{module!r} is not a generated extension version module")
    if extension.version != version:
        raise ValueError(f"{extension.package} is for OCPP {extension.version}, not {version}")
    return extension


def with_extensions(
    features: Mapping[str, Feature[Any]], extensions: list[Extension[Any, Any]]
) -> dict[str, Feature[Any]]:
    """The version's features and every extension's custom actions (names must be unique)."""
    merged = dict(features)
    for extension in extensions:
        for name, feature in extension.features.items():
            if name in merged:
                raise ValueError(f"{extension.package} redefines the action {ocpp_name(name)}")
            merged[name] = feature
    return merged
