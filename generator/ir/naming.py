"""Python names for JSON names: fields, enum members, docstrings.

Conventions (also in the README):
- fields: snake_case of the JSON name; acronyms stay together (``priceScheduleID`` ->
  ``price_schedule_id``, ``limit_L2`` -> ``limit_l2``); a Python keyword gets a trailing ``_``.
- enum members: the value itself with every character that cannot be in an identifier replaced
  by ``_`` (``Energy.Active.Import.Register`` -> ``Energy_Active_Import_Register``); a leading
  digit gets a ``_`` prefix, a keyword a ``_`` suffix.
- classes: ASCII identifiers starting with an upper-case letter, not a keyword and not a name
  the generated modules use themselves (:func:`class_name_problem`).
"""

from __future__ import annotations

import builtins
import keyword
import re

_ACRONYM_END = re.compile(r"([A-Z]+)([A-Z][a-z])")
_LOWER_UPPER = re.compile(r"([a-z])([A-Z])")
_DIGIT_WORD = re.compile(r"([0-9])([A-Z][a-z])")
_NOT_IDENTIFIER = re.compile(r"[^0-9A-Za-z_]")
_SEPARATORS = re.compile(r"[^0-9A-Za-z]+")


def snake_case(json_name: str) -> str:
    """Return the snake_case field name for a camelCase JSON property name."""
    name = _ACRONYM_END.sub(r"\1_\2", json_name)
    name = _LOWER_UPPER.sub(r"\1_\2", name)
    name = _DIGIT_WORD.sub(r"\1_\2", name)
    name = _SEPARATORS.sub("_", name).strip("_").lower()
    if name and name[0].isdigit():
        name = "_" + name
    return name + "_" if keyword.iskeyword(name) else name


def enum_member_name(value: str) -> str:
    """Return the enum member name for an enum value (see the module docstring)."""
    name = _NOT_IDENTIFIER.sub("_", value)
    if name and name[0].isdigit():
        name = "_" + name
    return name + "_" if keyword.iskeyword(name) else name


def is_reserved_enum_member(name: str) -> bool:
    """Names the Enum machinery refuses or reserves (``_sunder_``, ``__dunder__``, ``mro``)."""
    return not name or name == "mro" or (name.startswith("_") and name.endswith("_"))


def enum_member_problem(value: str, member: str, taken: dict[str, str]) -> str | None:
    """Why ``member`` (the name for enum ``value``) cannot be used, or None when it can.

    ``taken`` maps the member names already given to their values.
    """
    if not value:
        return "the empty enum value '' gives no member name"
    if member in taken:
        return (
            f"enum values {taken[member]!r} and {value!r} both give the member name "
            f"{member!r} (characters that cannot be in a name become '_')"
        )
    if member == "mro":
        return f"enum value {value!r} would give the member name 'mro', which Enum reserves"
    if is_reserved_enum_member(member):
        if not re.search(r"[0-9A-Za-z]", value):
            return (
                f"enum value {value!r} has no letter or digit: with its characters replaced by "
                f"'_' it gives the member name {member!r}, and Python's Enum reserves names "
                "that start and end with '_'"
            )
        return (
            f"enum value {value!r} gives the member name {member!r}, which starts and ends "
            "with '_': Python's Enum reserves such names"
        )
    return None


def ascii_name_problem(name: str, what: str) -> str | None:
    """Why ``name`` (a ``what``: class, package, action...) is not ASCII, or None.

    Python reads identifiers NFKC-normalised: a fullwidth or other lookalike letter would make
    a name that passes every comparison here and then rebinds (or never finds) another, so
    every name the generator emits is ASCII.
    """
    strange = next((c for c in name if not c.isascii()), None)
    if strange is None:
        return None
    return (
        f"{what} {name!r} has the non-ASCII character {strange!r} (U+{ord(strange):04X}): "
        "names are ASCII letters, digits and '_'"
    )


RESERVED_CLASS_NAMES = frozenset(
    {
        # imported or defined beside the classes by the generated modules and their tests
        *("ACTIONS", "Action", "ActionNotAllowed", "Annotated", "Any", "AnyJson", "CALL"),
        *("CALLERROR", "CALLRESULT", "CALLRESULTERROR", "CASES", "CUSTOM_DATA", "CallError"),
        *("CallTimeout", "Callable", "ClassVar", "ConfigDict", "DATA_TRANSFER", "DIALECT"),
        *("DataTransferTypes", "DateTime", "Deviation", "Dialect", "Dispatcher", "EXTENSION"),
        *("Enum", "ErrorCode", "ErrorKind", "Extension", "FEATURES", "Feature", "Field"),
        *("FormatChecker", "HANDLERS", "INVALID", "Integer", "Invalid", "Iterable", "JsonValue"),
        *("MAX_FRAME_BYTES", "MESSAGES", "Mapping", "MappingProxyType", "Message"),
        *("MessageNotEncodable", "Model", "OCPP_VERSION", "ObjectData", "OcppModel", "P"),
        *("PAYLOADS", "PROFILES", "PROTOCOL", "Path", "PlainValidator", "Profile", "Protocol"),
        *("ProtocolSpec", "Q", "RUNTIME", "Role", "RootModel", "SCHEMA_FILES", "SEND"),
        *("STANDARD", "StrictBool", "StrictFloat", "StrictInt", "StrictStr", "StringData"),
        *("TARGETS", "Tolerance", "Transport", "TypeAlias", "TypeVar", "UNSET", "Unset"),
        *("VENDOR_ID", "VERSION", "VERSIONS", "ValidationError", "VendorMessage"),
        *("V16Model", "V201Model", "V21Model", "IntegerDraft04", "Number", "NoExample"),
        # the msgspec flavour's base modules and models
        *("Meta", "OcppStruct", "OpenStruct", "TYPE_CHECKING", "UnsetType", "V16Struct"),
        *("V201Struct", "V21Struct", "V16OpenStruct", "V201OpenStruct", "V21OpenStruct"),
        # the dispatch modules' calls and offline queue
        *("CallAbandoned", "NoReturn", "OfflineQueue", "RetryPolicy", "MessageDiscarded"),
        *("MessageStore", "MemoryStore", "SqliteStore", "StoreError", "StoredMessage"),
        # the tolerances' names in the package and the version modules
        *("EnumRepairs", "FIELD", "TOLERANCE_PROFILES"),
        # what datamodel-code-generator may import besides
        *("BaseModel", "Dict", "List", "Literal", "Optional", "Union"),
        *(name for name in dir(builtins) if name[:1].isupper()),
    }
)
"""Upper-case names the generated modules bind besides the classes: no class may take them."""
RESERVED_CLASS_SUFFIX = "Handler"
"""The handler protocols are ``<Profile><Role>Handler``."""
RESERVED_CLASS_PREFIX = ("MultipleOf_", "Number_")
"""The pydantic flavour's exact number types, the msgspec flavour's number types of bounds."""


def class_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a generated class, or None.

    A lower-case first letter is refused because such a name could shadow a module or function
    the generated code uses (``datetime``, ``field``, ``_rt``); upper-case ones the generated
    modules bind are :data:`RESERVED_CLASS_NAMES`.
    """
    problem = ascii_name_problem(name, "class name")
    if problem is not None:
        return problem
    if not name.isidentifier():
        return f"class name {name!r} is not a Python identifier"
    if keyword.iskeyword(name):
        return f"class name {name!r} is a Python keyword"
    if not name[0].isupper():
        return (
            f"class name {name!r} must start with an upper-case letter (a lower-case name "
            "could shadow a name the generated module uses, such as datetime or _rt)"
        )
    reserved = name in RESERVED_CLASS_NAMES or name.startswith(RESERVED_CLASS_PREFIX)
    if reserved or name.endswith(RESERVED_CLASS_SUFFIX):
        return f"class name {name!r} is a name the generated modules use themselves"
    return None


def pascal_name_problem(name: str, what: str) -> str | None:
    """Why ``name`` (a ``what``) is not an ASCII identifier with an upper-case first letter."""
    problem = ascii_name_problem(name, what)
    if problem is not None:
        return problem
    if not name.isidentifier() or keyword.iskeyword(name) or not name[0].isupper():
        return f"{what} {name!r} must be a PascalCase identifier"
    return None


def description_problem(text: str) -> str | None:
    """Why a schema description cannot become a docstring, or None."""
    if "\x00" in text:
        return "description contains a NUL character (U+0000), which Python source cannot hold"
    surrogate = next((c for c in text if 0xD800 <= ord(c) <= 0xDFFF), None)
    if surrogate is not None:
        return (
            f"description contains the lone surrogate U+{ord(surrogate):04X}, which UTF-8 "
            "source cannot hold"
        )
    return None


def clean_doc(text: str | None) -> str:
    """Normalise a schema description: no ``\\r``, no trailing blanks, no blank edges."""
    if not text:
        return ""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part
    )


def _rank(name: str) -> int:
    return 0 if name.isupper() else 1 if name[:1].isupper() else 2


def isort_key(name: str) -> tuple[object, ...]:
    """Order imported names as isort (and ruff's I001) do: CONSTANTS, Classes, the rest."""
    return (_rank(name), _natural(name.lower()), _natural(name))


def dunder_all_key(name: str) -> tuple[object, ...]:
    """Order ``__all__`` as ruff's RUF022 does: by kind as isort, then case-sensitively."""
    return (_rank(name), _natural(name))


RESERVED_FIELD_NAMES = frozenset({"from_dict", "from_json", "to_dict", "to_json", "validate"})
"""Methods of every generated class: no field may take their names."""
EXTRA_FIELD = "extra"
"""The field holding the additional properties of an object that allows them."""
EXTRA_FACTORY = "field"
"""What the class body calls to default :data:`EXTRA_FIELD` (``dataclasses.field``): a field
of that name, bound before it, would be called instead."""


def field_name_problem(
    json_name: str, py_name: str, seen: dict[str, str], allows_extra: bool
) -> str | None:
    """Why ``py_name`` (of the property ``json_name``) cannot be a field beside ``seen``
    (Python name -> JSON name of the fields before it), or None."""
    if not py_name.isidentifier():
        return f"property name {json_name!r} gives no identifier"
    if allows_extra and py_name == EXTRA_FACTORY:
        return (
            f"field name {py_name!r} of {json_name!r} would hide dataclasses.field in a class "
            "that allows additional properties: rename the property or set "
            "additionalProperties to false"
        )
    taken = py_name in RESERVED_FIELD_NAMES or (allows_extra and py_name == EXTRA_FIELD)
    if taken or py_name in seen:
        other = seen.get(py_name, "a generated method")
        return f"field name {py_name!r} of {json_name!r} collides with {other!r}"
    return None
