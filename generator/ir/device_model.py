"""Build the device-model catalogue (2.x) and the configuration keys (1.6) of the IR from the
rows the loader read, checking how they fit together and naming them for Python.

Components become classes named as the component; variables become attributes named as the
variable; a 1.6 key becomes a module attribute named as the key. A name that is not a Python
identifier has its other characters replaced by ``_`` (as enum members do). Collisions, and
rows that do not fit (a variable of an unlisted component, a variable listed both with and
without instances, a ``...MaxLength`` key that is not an integer key) are errors naming the
row's ``file:line``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from generator import ir
from generator.errors import GeneratorError
from generator.ir.naming import class_name_problem, enum_member_name
from generator.schemas.device_model import (
    GENERIC,
    Catalogue,
    ComponentRow,
    KeyRow,
    VariableRow,
    is_instance_pattern,
)

DEVICE_MODEL_ACTIONS = (
    "GetVariables",
    "SetVariables",
    "GetBaseReport",
    "GetReport",
    "NotifyReport",
)
"""The actions the device-model helpers and store build and answer."""
CONFIGURATION_ACTIONS = ("GetConfiguration", "ChangeConfiguration")

CODEC_EXPORTS = ("BOOLEAN", "DATE_TIME", "DECIMAL", "INTEGER", "STRING", "codec_for")
"""The value codecs both catalogue modules re-export (for a vendor's own variables and keys)."""
_SHARED_DEVICE_MODEL_EXPORTS = (
    "DEVICE_MODEL",
    "REPORT_BASES",
    "SUMMARY_VARIABLES",
    "AnyComponent",
    "Change",
    "DeviceModel",
    "DeviceModelStore",
    "Instances",
    "Mutability",
    "Report",
    "Required",
    "SetResults",
    "Variable",
    "VariableResults",
    "get_base_report_request",
    "get_report_request",
    "get_variables_request",
    "read_get_variables",
    "read_report",
    "read_set_variables",
    "set_variables_request",
)
EXTENSION_DEVICE_MODEL_EXPORTS = _SHARED_DEVICE_MODEL_EXPORTS
"""What an extension's ``device_model`` exports besides its component classes."""
DEVICE_MODEL_EXPORTS = (
    *_SHARED_DEVICE_MODEL_EXPORTS,
    *CODEC_EXPORTS,
    "MemberListCodec",
    "OptionListCodec",
    "SequenceListCodec",
    "Attribute",
    "Characteristics",
    "Component",
    "NotWritable",
    "ReportEntry",
    "ReportedAttribute",
    "Scope",
    "SetResult",
    "VariableResult",
)
"""What ``device_model`` exports besides its component classes."""
_SHARED_CONFIGURATION_EXPORTS = (
    "CONFIGURATION",
    "Accessibility",
    "Change",
    "Configuration",
    "ConfigurationResults",
    "ConfigurationStore",
    "Key",
    "change_configuration_request",
    "get_configuration_request",
    "read_configuration",
)
EXTENSION_CONFIGURATION_EXPORTS = _SHARED_CONFIGURATION_EXPORTS
"""What an extension's ``configuration`` exports besides its keys."""
CONFIGURATION_EXPORTS = (
    *_SHARED_CONFIGURATION_EXPORTS,
    *CODEC_EXPORTS,
    "CSL",
    "KeyResult",
    "NotWritable",
)
"""What ``configuration`` exports besides its keys."""

_SIDES = ("Request", "Response")
_IMPORTED = frozenset(
    {"Any", "Callable", "Decimal", "Enum", "Iterable", "Mapping", "T", "TypeVar", "annotations"}
)
"""Names the generated modules import or define for themselves (``_c``, ``_...`` aside)."""
DEVICE_MODEL_MODULE_NAMES = frozenset(
    {
        *DEVICE_MODEL_EXPORTS,
        *_IMPORTED,
        "BaseDeviceModelStore",
        "datetime",
        *(f"{action}{side}" for action in DEVICE_MODEL_ACTIONS for side in _SIDES),
    }
)
"""Names the generated ``device_model`` module defines or imports besides its components."""
CONFIGURATION_MODULE_NAMES = frozenset(
    {
        *CONFIGURATION_EXPORTS,
        *_IMPORTED,
        "BaseConfigurationStore",
        *(f"{action}{side}" for action in CONFIGURATION_ACTIONS for side in _SIDES),
    }
)
"""Names the generated ``configuration`` module defines or imports besides its keys."""
COMPONENT_ATTRIBUTES = frozenset(
    {"name", "kind", "in_components_table", "scope", "variables"}
    | {"Variable", "Instances", "Mutability", "Required"}
)
"""Attributes of every component class, and the names its class body calls: no variable may
take them."""


def python_name(name: str) -> str:
    """The class or attribute name for a component, variable or key name."""
    return enum_member_name(name)


def build_device_model(
    catalogue: Catalogue, actions: Iterable[str], title: str
) -> ir.DeviceModel | None:
    """The version's device model, or None when its folder has none."""
    if not catalogue.variables:
        return None
    _needs_actions(set(actions), DEVICE_MODEL_ACTIONS, catalogue.variables_file, title)
    specific: dict[str, list[VariableRow]] = {row.component: [] for row in catalogue.components}
    folded = {name.casefold(): name for name in specific}
    generic: list[VariableRow] = []
    for row in catalogue.variables:
        if row.component == GENERIC:
            generic.append(row)
            continue
        listed = folded.get(row.component.casefold())
        if listed != row.component:
            hint = f" (listed as {listed!r})" if listed else ""
            raise GeneratorError(
                f"component {row.component!r} is not in {catalogue.components_file}{hint}",
                row.where,
            )
        specific[row.component].append(row)
    generic_groups = _groups(generic, taken={})
    generic_names = {group.py_name: group.name for group in generic_groups}
    classes: dict[str, str] = {}
    components = tuple(
        _component(row, specific[row.component], generic_names, classes)
        for row in catalogue.components
    )
    return ir.DeviceModel(components, generic_groups, catalogue.variables_file)


def _needs_actions(actions: set[str], needed: tuple[str, ...], source: str, title: str) -> None:
    missing = [action for action in needed if action not in actions]
    if missing:
        raise GeneratorError(
            f"{title} has no {missing[0]} action, which the helpers of this file need", source
        )


def _component(
    row: ComponentRow,
    rows: list[VariableRow],
    generic_names: dict[str, str],
    classes: dict[str, str],
) -> ir.DeviceComponent:
    py_name = _checked_name(
        row.component, DEVICE_MODEL_MODULE_NAMES, classes, "component", row.where
    )
    classes[py_name] = row.component
    groups = _groups(rows, taken=dict(generic_names))
    if len(rows) != row.specific_pairs:
        raise GeneratorError(
            f"specific_pairs is {row.specific_pairs} but {len(rows)} variables of "
            f"{row.component} are listed",
            row.where,
        )
    return ir.DeviceComponent(
        row.component, py_name, row.kind, row.in_components_table, groups, row.where
    )


def _groups(rows: list[VariableRow], taken: dict[str, str]) -> tuple[ir.DeviceVariableGroup, ...]:
    """The variables of one component (or the generic ones), grouped by name.

    ``taken`` maps the attribute names that variables of another name may not take (the
    generic variables': a component's own variable of the same name overrides it) to them.
    """
    by_name: dict[str, list[VariableRow]] = {}
    for row in rows:
        by_name.setdefault(row.variable, []).append(row)
    own: dict[str, str] = {}
    groups = []
    for name, members in by_name.items():
        py_name = python_name(name)
        other = own.get(py_name) or taken.get(py_name)
        if (other is not None and other != name) or py_name in COMPONENT_ATTRIBUTES:
            what = f"the variable {other!r}" if other else "an attribute of every component"
            raise GeneratorError(
                f"variable {name!r} gives the attribute {py_name!r}, taken by {what}",
                members[0].where,
            )
        if not py_name.isidentifier() or py_name.startswith("_"):
            raise GeneratorError(
                f"variable {name!r} gives no attribute name (an identifier not starting with _)",
                members[0].where,
            )
        own[py_name] = name
        groups.append(_group(name, py_name, members))
    return tuple(groups)


def _group(name: str, py_name: str, rows: list[VariableRow]) -> ir.DeviceVariableGroup:
    first = rows[0]
    patterns = [row for row in rows if row.instance and is_instance_pattern(row.instance)]
    for row in rows[1:]:
        if first.instance is None or row.instance is None:
            raise GeneratorError(
                f"{row.component}.{name} is listed both with and without an instance "
                f"(also at {first.where})",
                row.where,
            )
        if patterns:
            raise GeneratorError(
                f"{row.component}.{name} takes any instance ({patterns[0].instance}) and "
                f"cannot also list instances (also at {first.where})",
                row.where,
            )
        if row.data_type != first.data_type:
            raise GeneratorError(
                f"{row.component}.{name} is {first.data_type} at {first.where}, here "
                f"{row.data_type}: the instances of a variable share one data type",
                row.where,
            )
    variables = tuple(_variable(row, pattern=bool(patterns)) for row in rows)
    pattern = patterns[0].instance if patterns else None
    return ir.DeviceVariableGroup(name, py_name, variables, pattern)


def _variable(row: VariableRow, pattern: bool) -> ir.DeviceVariable:
    return ir.DeviceVariable(
        row.variable,
        None if pattern else row.instance,
        row.data_type,
        row.unit,
        row.mutability,
        row.required,
        row.values_list,
        row.description,
        row.where,
    )


def _checked_name(
    name: str, reserved: frozenset[str], taken: dict[str, str], what: str, where: str
) -> str:
    """A module-level name (a component class, a 1.6 key) that the module leaves free."""
    py_name = python_name(name)
    problem = class_name_problem(py_name) if what == "component" else None
    if problem is not None:
        raise GeneratorError(f"component {name!r}: {problem}", where)
    if py_name in reserved or py_name.startswith("_"):
        raise GeneratorError(
            f"{what} {name!r} gives the name {py_name!r}, which the generated module uses",
            where,
        )
    if py_name in taken:
        raise GeneratorError(
            f"{what} {name!r} gives the name {py_name!r}, taken by {taken[py_name]!r}", where
        )
    return py_name


def build_configuration(
    catalogue: Catalogue,
    actions: Iterable[str],
    title: str,
    more_integer_keys: Iterable[str] = (),
) -> ir.Configuration | None:
    """The version's configuration keys, or None when its folder has none;
    ``more_integer_keys`` may bound a CSL too (the standard ones, for a vendor's keys)."""
    if not catalogue.keys:
        return None
    _needs_actions(set(actions), CONFIGURATION_ACTIONS, catalogue.keys_file, title)
    types = {row.key: row.type for row in catalogue.keys}
    types.update((name, "integer") for name in more_integer_keys)
    taken: dict[str, str] = {}
    keys = []
    for row in catalogue.keys:
        bound = row.max_length_key
        if bound is not None and types.get(bound) != "integer":
            problem = "is not a listed key" if bound not in types else "is not an integer key"
            raise GeneratorError(f"max_length_key {bound!r} {problem}", row.where)
        py_name = _checked_name(row.key, CONFIGURATION_MODULE_NAMES, taken, "key", row.where)
        taken[py_name] = row.key
        keys.append(_key(row, py_name))
    return ir.Configuration(tuple(keys), catalogue.keys_file)


def _key(row: KeyRow, py_name: str) -> ir.ConfigurationKey:
    return ir.ConfigurationKey(
        row.key,
        py_name,
        row.profile,
        row.required,
        row.accessibility,
        row.type,
        row.unit,
        row.max_length_key,
        row.description,
        row.where,
    )


def build_vendor_device_model(
    catalogue: Catalogue, standard: ir.DeviceModel, title: str
) -> ir.DeviceModel:
    """A vendor's device model beside the version's ``standard`` one: the vendor's own
    components (its ``components.csv``) and its variables of standard components, none of
    them standard already."""
    known = {c.name.casefold(): c for c in standard.components}
    generic = {g.name.casefold() for g in standard.generic}
    own = {row.component.casefold(): row for row in catalogue.components}
    for listed in catalogue.components:
        if listed.component.casefold() in known:
            raise GeneratorError(
                f"{listed.component} is a standard component of {title}", listed.where
            )
    specific: dict[str, list[VariableRow]] = {c.component: [] for c in catalogue.components}
    extended: dict[str, list[VariableRow]] = {}
    for row in catalogue.variables:
        _check_vendor_row(row, known, own, generic, title, catalogue.components_file)
        component = known.get(row.component.casefold())
        if component is None:
            specific[own[row.component.casefold()].component].append(row)
        else:
            extended.setdefault(component.name, []).append(row)
    taken = {group.py_name: group.name for group in standard.generic}
    classes = {c.py_name: c.name for c in standard.components}
    components = [
        _component(row, specific[row.component], taken, classes) for row in catalogue.components
    ]
    for name, rows in extended.items():
        base = known[name.casefold()]
        names = taken | {group.py_name: group.name for group in base.variables}
        groups = _groups(rows, taken=names)
        components.append(replace(base, variables=groups, source=rows[0].where, extends=True))
    return ir.DeviceModel(tuple(components), (), catalogue.variables_file)


def _check_vendor_row(
    row: VariableRow,
    known: dict[str, ir.DeviceComponent],
    own: dict[str, ComponentRow],
    generic: set[str],
    title: str,
    components_file: str,
) -> None:
    folded = row.variable.casefold()
    if row.component == GENERIC:
        raise GeneratorError("an extension cannot add generic variables", row.where)
    if folded in generic:
        raise GeneratorError(
            f"{row.variable} is a generic variable of {title}: it applies to every component",
            row.where,
        )
    component = known.get(row.component.casefold())
    if component is not None:
        if any(group.name.casefold() == folded for group in component.variables):
            raise GeneratorError(
                f"{component.name}.{row.variable} is a standard variable of {title}", row.where
            )
    elif row.component.casefold() not in own:
        where = f"in {components_file}" if components_file else "listed (no components file)"
        raise GeneratorError(
            f"component {row.component!r} is not a standard component of {title}, nor {where}",
            row.where,
        )


def build_vendor_configuration(
    catalogue: Catalogue, standard: ir.Configuration
) -> ir.Configuration:
    """A vendor's 1.6 keys beside the standard ones, none of them standard already; a
    ``...MaxLength`` key may be the vendor's or a standard one."""
    standard_keys = {key.name.casefold(): key for key in standard.keys}
    for row in catalogue.keys:
        if row.key.casefold() in standard_keys:
            raise GeneratorError(f"{row.key} is a standard configuration key", row.where)
    integers = {key.name for key in standard.keys if key.type == "integer"}
    built = build_configuration(catalogue, CONFIGURATION_ACTIONS, "", integers)
    assert built is not None
    return built
