"""Stage 2, the intermediate representation: what the schemas mean, with every decision made.

This module holds the IR's frozen dataclasses; ``builder`` makes them from the loaded schemas
and metadata, with Python names from ``naming`` and docstrings rendered by ``docs``. Stages
after the builder (templates, flavours, extensions, test data) read only the IR, never the raw
schemas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias


@dataclass(frozen=True)
class StringType:
    """A JSON string, optionally with length bounds (in code points)."""

    min_length: int | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class IntegerType:
    """A JSON integer; draft-06 also counts integral floats such as ``1.0`` as integers."""

    minimum: int | float | None = None
    maximum: int | float | None = None
    multiple_of: str | None = None
    accepts_integral_float: bool = False


@dataclass(frozen=True)
class NumberType:
    """A JSON number; ``multiple_of`` is kept as decimal text for an exact check."""

    minimum: int | float | None = None
    maximum: int | float | None = None
    multiple_of: str | None = None


@dataclass(frozen=True)
class BooleanType:
    """A JSON boolean."""


@dataclass(frozen=True)
class DateTimeType:
    """A string with ``format: date-time``: an RFC 3339 timestamp with an offset."""


@dataclass(frozen=True)
class AnyType:
    """Any JSON value (a property without ``type``)."""


@dataclass(frozen=True)
class EnumRef:
    """A reference to a named enum."""

    name: str


@dataclass(frozen=True)
class ObjectRef:
    """A reference to a named object type."""

    name: str


@dataclass(frozen=True)
class ArrayType:
    """A JSON array of one item type."""

    items: TypeExpr
    min_items: int | None = None
    max_items: int | None = None


TypeExpr: TypeAlias = (
    StringType
    | IntegerType
    | NumberType
    | BooleanType
    | DateTimeType
    | AnyType
    | EnumRef
    | ObjectRef
    | ArrayType
)


@dataclass(frozen=True)
class Field:
    """One property of an object type."""

    json_name: str
    py_name: str
    type: TypeExpr
    required: bool
    doc: str
    """The description as a docstring: plain prose (see :mod:`generator.ir.docs`)."""
    description: str = ""
    """The schema's description text as written (AsciiDoc source)."""


@dataclass(frozen=True)
class EnumMember:
    """One enum value and its Python member name."""

    name: str
    value: str


@dataclass(frozen=True)
class EnumDef:
    """A named string enum."""

    name: str
    members: tuple[EnumMember, ...]
    doc: str
    source: str
    description: str = ""

    def shape(self) -> object:
        """What makes two enums the same type (docs and source aside)."""
        return tuple(member.value for member in self.members)


@dataclass(frozen=True)
class ObjectDef:
    """A named object type; ``allows_extra`` when additional properties are allowed."""

    name: str
    fields: tuple[Field, ...]
    allows_extra: bool
    doc: str
    source: str
    description: str = ""

    def shape(self) -> object:
        """What makes two object types the same type (docs and source aside)."""
        fields = tuple((f.json_name, f.type, f.required) for f in self.fields)
        return (fields, self.allows_extra)


MessageKind: TypeAlias = Literal["request", "response"]


@dataclass(frozen=True)
class Message:
    """The payload of one side of an action: its root object type."""

    action: str
    kind: MessageKind
    type: ObjectDef
    schema_file: str


ActionKind: TypeAlias = Literal["CALL", "SEND"]


@dataclass(frozen=True)
class Action:
    """An action: its messages (no response for SEND), profile and who may start it."""

    name: str
    request: Message
    response: Message | None
    profile: str
    initiated_by: tuple[str, ...]
    """Role names, in the version's role order."""
    kind: ActionKind
    handler_name: str
    """The handler method, ``on_<snake_case action>``."""
    source: str


@dataclass(frozen=True)
class Profile:
    """A 1.6 feature profile or 2.x functional block and its actions (sorted by name)."""

    name: str
    letter: str | None
    description: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class ErrorCodes:
    """The version's spelling of the OCPP-J error codes validation failures map to."""

    all_codes: tuple[str, ...]
    format: str
    occurrence: str
    type: str
    property: str


@dataclass(frozen=True)
class EnumRepairs:
    """The curated enum tables of the tolerances, checked against the enums: by enum name,
    the catch-all member, other spellings of members, and the enums whose absence means a
    default (an unknown value of those is never dropped)."""

    catch_all: tuple[tuple[str, str], ...] = ()
    aliases: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    defaulted: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeviceVariable:
    """One variable of the device-model catalogue: a row of ``components-variables.csv``."""

    name: str
    instance: str | None
    """A listed instance (``GetReport``); ``None`` for a variable without instances, and for
    the template of a variable that takes any instance (see :class:`DeviceVariableGroup`)."""
    data_type: str
    """A DataEnumType value: ``integer``, ``decimal``, ``boolean``, ``dateTime``, ``string``,
    ``OptionList``, ``SequenceList``, ``MemberList``."""
    unit: str | None
    mutability: str | None
    """``ReadOnly``, ``ReadWrite``, ``WriteOnly``; ``None`` where the standard does not fix it."""
    required: str | None
    """``yes``, ``no`` or ``V2X`` (required when V2X is supported); ``None`` when unknown."""
    values_list: tuple[str, ...]
    description: str
    source: str
    """``file:line`` of its row."""


@dataclass(frozen=True)
class DeviceVariableGroup:
    """A variable of a component, as the catalogue lists it: once (``variables`` has one entry,
    without instance), once per instance (one entry per instance), or for any instance
    (``instance_pattern`` is the catalogue's text, such as ``<vendorId>``; one template
    entry)."""

    name: str
    py_name: str
    """The attribute of the component class."""
    variables: tuple[DeviceVariable, ...]
    instance_pattern: str | None = None

    @property
    def per_instance(self) -> bool:
        """Listed per instance, or for any instance."""
        return self.instance_pattern is not None or self.variables[0].instance is not None


@dataclass(frozen=True)
class DeviceComponent:
    """A standardized (or vendor) component and the variables specific to it."""

    name: str
    py_name: str
    """The class name."""
    kind: str
    """``controller`` or ``physical_or_logical``."""
    in_components_table: bool
    """Whether the OCA components table lists it (some own variables without being listed)."""
    variables: tuple[DeviceVariableGroup, ...]
    source: str
    extends: bool = False
    """A vendor's variables of a standard component (in an extension): its class subclasses
    the standard one."""


@dataclass(frozen=True)
class DeviceModel:
    """The device-model catalogue of a 2.x version: components and the generic variables that
    apply to any component."""

    components: tuple[DeviceComponent, ...]
    generic: tuple[DeviceVariableGroup, ...]
    source: str
    """The ``components-variables.csv`` it was read from."""

    @property
    def variable_count(self) -> int:
        """Rows of the catalogue (component-specific and generic)."""
        groups = [*self.generic, *(g for c in self.components for g in c.variables)]
        return sum(len(group.variables) for group in groups)


@dataclass(frozen=True)
class ConfigurationKey:
    """A 1.6 configuration key: a row of ``configuration-keys.csv``."""

    name: str
    py_name: str
    """The module attribute."""
    profile: str
    required: bool
    accessibility: str
    """``R``, ``RW``, ``W`` (write-only) or ``R|RW`` (the charge point chooses)."""
    type: str
    """``boolean``, ``integer``, ``string`` or ``CSL`` (comma separated list)."""
    unit: str | None
    max_length_key: str | None
    """The integer key bounding the items of this CSL (``...MaxLength``)."""
    description: str
    source: str


@dataclass(frozen=True)
class Configuration:
    """The 1.6 configuration keys."""

    keys: tuple[ConfigurationKey, ...]
    source: str


@dataclass(frozen=True)
class Spec:
    """Everything generated for one OCPP version, in a deterministic order."""

    version: str
    package: str
    title: str
    schema_digest: str
    error_codes: ErrorCodes
    roles: tuple[str, str]
    """Charging-station role name, central-system role name."""
    rpc_error_code: str
    message_type_error_code: str
    has_send: bool
    profiles: tuple[Profile, ...]
    enums: tuple[EnumDef, ...]
    datatypes: tuple[ObjectDef, ...]
    actions: tuple[Action, ...]
    device_model: DeviceModel | None = None
    """The 2.x device-model catalogue, where the version folder has one."""
    configuration: Configuration | None = None
    """The 1.6 configuration keys, where the version folder has them."""
    enum_repairs: EnumRepairs = EnumRepairs()

    def receives(self, role: str) -> tuple[Action, ...]:
        """The actions that ``role`` receives: those the other side may start."""
        return tuple(a for a in self.actions if any(r != role for r in a.initiated_by))

    def actions_of(self, profile: Profile) -> tuple[Action, ...]:
        """The actions of one profile."""
        return tuple(a for a in self.actions if a.profile == profile.name)

    @property
    def messages(self) -> tuple[Message, ...]:
        """Every message, requests and responses, in action order."""
        out: list[Message] = []
        for action in self.actions:
            out.append(action.request)
            if action.response is not None:
                out.append(action.response)
        return tuple(out)


VendorData: TypeAlias = Literal["object", "json_text", "string"]
"""How a vendor payload travels in DataTransfer ``data``: a JSON value (2.x), JSON text in the
1.6 string, or a plain 1.6 string (no schema)."""


@dataclass(frozen=True)
class VendorMessage:
    """A vendor DataTransfer message: its key and the types of its request and response data."""

    vendor_id: str
    message_id: str
    name: str
    handler_name: str
    data: VendorData
    request: ObjectDef | None
    """``None`` for a plain string."""
    response: ObjectDef | None
    """``None`` for a plain string, or when the vendor answers without data."""
    has_response: bool
    source: str
    """The manifest entry (file#pointer)."""


@dataclass(frozen=True)
class CustomDataExtension:
    """The vendor's typed properties in the ``customData`` of a standard type or message."""

    target: str
    type: ObjectDef
    read_name: str
    write_name: str
    source: str


@dataclass(frozen=True)
class ExtensionSpec:
    """Everything one vendor extension generates for one OCPP version.

    ``spec`` holds the version's facts, the vendor's named types (``enums``, ``datatypes``)
    and custom actions (``actions``, profile ``name``); ``standard`` is the version's own spec.
    """

    name: str
    package: str
    vendor_id: str
    spec: Spec
    standard: Spec
    data_transfers: tuple[VendorMessage, ...]
    custom_data: tuple[CustomDataExtension, ...]
    schemas: dict[str, object]
    """Root class name -> the schema document it was built from (for the generated tests)."""
    source: str
    """The extension's manifest file."""

    @property
    def payloads(self) -> tuple[ObjectDef, ...]:
        """Every root payload class: DataTransfer data, customData and custom action messages."""
        out: list[ObjectDef] = []
        for message in self.data_transfers:
            out += [t for t in (message.request, message.response) if t is not None]
        out += [c.type for c in self.custom_data]
        out += [m.type for m in self.spec.messages]
        return tuple(out)
