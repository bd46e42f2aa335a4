"""Our device-model metadata next to the schemas: the 2.x components and variables and the 1.6
configuration keys, as CSV files in ``schemas/<version>/`` (see ``DEVICE-MODEL-PROVENANCE.md``).

Each row is checked on its own here (header, columns, allowed values, names, duplicates); how
rows fit together (components of variables, instance groups, ``...MaxLength`` keys) is checked
where the IR is built. A bad row is a :class:`GeneratorError` naming ``file:line``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import GeneratorError

COMPONENTS_FILE = "components.csv"
VARIABLES_FILE = "components-variables.csv"
KEYS_FILE = "configuration-keys.csv"
CATALOGUE_FILES = (COMPONENTS_FILE, VARIABLES_FILE, KEYS_FILE)
"""Every catalogue file a version folder may hold (each is an input of a generation)."""

VARIABLE_COLUMNS = (
    "component",
    "variable",
    "instance",
    "data_type",
    "unit",
    "mutability",
    "required",
    "values_list",
    "description",
)
COMPONENT_COLUMNS = ("component", "kind", "in_components_table", "specific_pairs")
KEY_COLUMNS = (
    "key",
    "profile",
    "required",
    "accessibility",
    "type",
    "unit",
    "max_length_key",
    "description",
)

GENERIC = "<generic>"
"""The component name of the variables that apply to any component."""
DATA_TYPES = (
    "string",
    "decimal",
    "integer",
    "dateTime",
    "boolean",
    "OptionList",
    "SequenceList",
    "MemberList",
)
"""The values of OCPP 2.x DataEnumType."""
LIST_TYPES = ("OptionList", "SequenceList", "MemberList")
MUTABILITIES = ("ReadOnly", "ReadWrite", "WriteOnly")
REQUIRED = ("yes", "no", "V2X")
"""``V2X``: required when V2X is supported (an OCPP 2.1 value)."""
KINDS = ("controller", "physical_or_logical")
KEY_TYPES = ("boolean", "integer", "string", "CSL")
ACCESSIBILITIES = ("R", "RW", "W", "R|RW")
"""``W``: write-only (AuthorizationKey); ``R|RW``: read-only or read-write, as the charge point
chooses (AuthorizeRemoteTxRequests)."""
NAME_LENGTH = 50
"""The schemas' maxLength of component, variable and instance names and of 1.6 keys."""
_CONTROL = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
"""Unicode categories refused in a cell: control and format characters, line and paragraph
separators, surrogates."""
_NAME = re.compile(r"[A-Za-z0-9*\-_=:+|@.]+")
"""OCPP 2.x identifierString: the characters a component, variable or instance name may have."""


@dataclass(frozen=True)
class VariableRow:
    """One row of ``components-variables.csv``; empty cells are ``None``."""

    component: str
    variable: str
    instance: str | None
    data_type: str
    unit: str | None
    mutability: str | None
    required: str | None
    values_list: tuple[str, ...]
    description: str
    where: str
    """``file:line``."""


@dataclass(frozen=True)
class ComponentRow:
    """One row of ``components.csv``."""

    component: str
    kind: str
    in_components_table: bool
    specific_pairs: int
    where: str


@dataclass(frozen=True)
class KeyRow:
    """One row of ``configuration-keys.csv``."""

    key: str
    profile: str
    required: bool
    accessibility: str
    type: str
    unit: str | None
    max_length_key: str | None
    description: str
    where: str


@dataclass(frozen=True)
class Catalogue:
    """The catalogue files of one version folder (empty where a file is absent)."""

    components: tuple[ComponentRow, ...] = ()
    variables: tuple[VariableRow, ...] = ()
    keys: tuple[KeyRow, ...] = ()
    components_file: str = ""
    variables_file: str = ""
    keys_file: str = ""


def catalogue_paths(version_dir: Path) -> list[Path]:
    """The catalogue files present in ``version_dir``, in a fixed order."""
    return [version_dir / name for name in CATALOGUE_FILES if (version_dir / name).is_file()]


def load_catalogue(version_dir: Path) -> Catalogue:
    """Read and check the catalogue files of a version folder (none of them is required, but
    the two device-model files go together)."""
    components_path = version_dir / COMPONENTS_FILE
    variables_path = version_dir / VARIABLES_FILE
    keys_path = version_dir / KEYS_FILE
    if components_path.is_file() != variables_path.is_file():
        present, absent = (
            (components_path, VARIABLES_FILE)
            if components_path.is_file()
            else (variables_path, COMPONENTS_FILE)
        )
        raise GeneratorError(f"needs {absent} beside it (the device model has both)", str(present))
    components: tuple[ComponentRow, ...] = ()
    variables: tuple[VariableRow, ...] = ()
    keys: tuple[KeyRow, ...] = ()
    if variables_path.is_file():
        components = read_components(components_path)
        variables = read_variables(variables_path)
    if keys_path.is_file():
        keys = read_keys(keys_path)
    return Catalogue(
        components,
        variables,
        keys,
        str(components_path) if components else "",
        str(variables_path) if variables else "",
        str(keys_path) if keys else "",
    )


def read_components(path: Path) -> tuple[ComponentRow, ...]:
    """The rows of a ``components.csv``, each checked, no component twice."""
    rows = tuple(_component(cells, where) for cells, where in _rows(path, COMPONENT_COLUMNS))
    _no_duplicates(((row.component,), row.where) for row in rows)
    return rows


def read_variables(path: Path) -> tuple[VariableRow, ...]:
    """The rows of a ``components-variables.csv``, each checked, no variable twice."""
    rows = tuple(_variable(cells, where) for cells, where in _rows(path, VARIABLE_COLUMNS))
    _no_duplicates(((row.component, row.variable, row.instance or ""), row.where) for row in rows)
    return rows


def read_keys(path: Path) -> tuple[KeyRow, ...]:
    """The rows of a ``configuration-keys.csv``, each checked, no key twice."""
    rows = tuple(_key(cells, where) for cells, where in _rows(path, KEY_COLUMNS))
    _no_duplicates(((row.key,), row.where) for row in rows)
    return rows


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[dict[str, str], str]]:
    """The data rows of a CSV file as column -> cell, each with its ``file:line``."""
    shown = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise GeneratorError(f"cannot read file: {exc.strerror}", shown) from None
    except UnicodeDecodeError as exc:
        raise GeneratorError(f"not UTF-8 (byte {exc.start})", shown) from None
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    rows = []
    try:
        header = next(reader, None)
        if header is None or tuple(header) != columns:
            raise GeneratorError(
                f"the header must be {','.join(columns)} (found {','.join(header or [])!r})",
                f"{shown}:1",
            )
        start = reader.line_num + 1
        for cells in reader:
            where = f"{shown}:{start}"  # the row's first line (a quoted cell may span more)
            start = reader.line_num + 1
            if len(cells) != len(columns):
                raise GeneratorError(
                    f"{len(cells)} cells, the header has {len(columns)} columns", where
                )
            rows.append((dict(zip(columns, cells, strict=True)), where))
    except csv.Error as exc:
        raise GeneratorError(f"not valid CSV: {exc}", f"{shown}:{reader.line_num}") from None
    return rows


def _name(cells: dict[str, str], column: str, where: str, *, optional: bool = False) -> str:
    """A component, variable or key name: OCPP identifier characters, at most 50 of them."""
    value = cells[column]
    if not value and optional:
        return value
    if not value:
        raise GeneratorError(f"{column} is empty", where)
    if not _NAME.fullmatch(value):
        raise GeneratorError(
            f"{column} {value!r} has characters an OCPP name cannot have "
            "(letters, digits and * - _ = : + | @ . only)",
            where,
        )
    if len(value) > NAME_LENGTH:
        raise GeneratorError(f"{column} {value!r} is longer than {NAME_LENGTH} characters", where)
    return value


def _choice(cells: dict[str, str], column: str, allowed: tuple[str, ...], where: str) -> str:
    value = cells[column]
    if value not in allowed:
        choices = ", ".join(repr(choice) for choice in allowed)
        raise GeneratorError(f"{column} {value!r} is not one of {choices}", where)
    return value


def _text(cells: dict[str, str], column: str, where: str) -> str:
    """A free-text cell: no surrounding spaces, no line break or other control character
    (the text reaches generated code and one-line error messages)."""
    value = cells[column]
    if value != value.strip():
        raise GeneratorError(f"{column} {value!r} has surrounding spaces", where)
    control = next((c for c in value if unicodedata.category(c) in _CONTROL), None)
    if control is not None:
        raise GeneratorError(
            f"{column} has the control character U+{ord(control):04X} (one line of text only)",
            where,
        )
    return value


def is_instance_pattern(instance: str) -> bool:
    """An instance cell that stands for any instance (``<vendorId>``, ``1, 2 .. 20``)."""
    return (instance.startswith("<") and instance.endswith(">")) or not _NAME.fullmatch(instance)


def _variable(cells: dict[str, str], where: str) -> VariableRow:
    component = cells["component"]
    if component != GENERIC:
        component = _name(cells, "component", where)
    variable = _name(cells, "variable", where)
    instance = _text(cells, "instance", where)
    if instance and not is_instance_pattern(instance):
        instance = _name(cells, "instance", where)
    data_type = _choice(cells, "data_type", DATA_TYPES, where)
    mutability = _choice(cells, "mutability", ("", *MUTABILITIES), where)
    required = _choice(cells, "required", ("", *REQUIRED), where)
    values_text = _text(cells, "values_list", where)
    values = tuple(values_text.split(",")) if values_text else ()
    if values and data_type not in LIST_TYPES:
        raise GeneratorError(f"values_list on a {data_type} variable (only list types)", where)
    if any(not value or value != value.strip() for value in values):
        raise GeneratorError(f"values_list {values_text!r} has an empty or padded value", where)
    if len(set(values)) != len(values):
        repeated = next(value for value in values if values.count(value) > 1)
        raise GeneratorError(f"values_list repeats {repeated!r}", where)
    return VariableRow(
        component,
        variable,
        instance or None,
        data_type,
        _text(cells, "unit", where) or None,
        mutability or None,
        required or None,
        values,
        _text(cells, "description", where),
        where,
    )


def _component(cells: dict[str, str], where: str) -> ComponentRow:
    component = _name(cells, "component", where)
    kind = _choice(cells, "kind", KINDS, where)
    listed = _choice(cells, "in_components_table", ("yes", "no"), where)
    pairs = cells["specific_pairs"]
    if not pairs.isdigit() or not pairs.isascii():
        raise GeneratorError(f"specific_pairs {pairs!r} is not a count", where)
    return ComponentRow(component, kind, listed == "yes", int(pairs), where)


def _key(cells: dict[str, str], where: str) -> KeyRow:
    key = _name(cells, "key", where)
    profile = _text(cells, "profile", where)
    if not profile.isidentifier():
        raise GeneratorError(f"profile {profile!r} is not a profile name", where)
    required = _choice(cells, "required", ("required", "optional"), where)
    accessibility = _choice(cells, "accessibility", ACCESSIBILITIES, where)
    key_type = _choice(cells, "type", KEY_TYPES, where)
    max_length_key = _name(cells, "max_length_key", where, optional=True)
    if max_length_key and key_type != "CSL":
        raise GeneratorError(f"max_length_key on a {key_type} key (only CSL keys)", where)
    return KeyRow(
        key,
        profile,
        required == "required",
        accessibility,
        key_type,
        _text(cells, "unit", where) or None,
        max_length_key or None,
        _text(cells, "description", where),
        where,
    )


def _no_duplicates(entries: Iterable[tuple[tuple[str, ...], str]]) -> None:
    """No two rows with one key; names compare case-insensitively, as OCPP compares them."""
    seen: dict[tuple[str, ...], str] = {}
    for key, where in entries:
        folded = tuple(part.casefold() for part in key)
        if folded in seen:
            shown = ", ".join(part for part in key if part)
            raise GeneratorError(f"{shown} is listed twice (also at {seen[folded]})", where)
        seen[folded] = where
