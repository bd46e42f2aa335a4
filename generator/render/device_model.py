"""What the device-model templates print besides the IR: the descriptor expressions, their
docstrings, and the codec test cases of the generated tests.

Every decision is made here; ``device_model.py.j2`` and ``configuration.py.j2`` only loop over
the views and print them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator import ir

_SCALAR_CODECS = {
    "integer": "_c.INTEGER",
    "decimal": "_c.DECIMAL",
    "boolean": "_c.BOOLEAN",
    "dateTime": "_c.DATE_TIME",
    "string": "_c.STRING",
    "CSL": "_c.CSL",
}
_LIST_CODECS = {
    "OptionList": "_c.OptionListCodec",
    "SequenceList": "_c.SequenceListCodec",
    "MemberList": "_c.MemberListCodec",
}
GENERIC_LABEL = "<generic>"
"""How the catalogue (and the generated test data) names the generic variables' component."""


def codec_expr(data_type: str, values: tuple[str, ...]) -> str:
    """The codec of a data type, as Python source (``_c`` is the package's ``_codecs``)."""
    if data_type in _SCALAR_CODECS:
        return _SCALAR_CODECS[data_type]
    return f"{_LIST_CODECS[data_type]}({values!r})" if values else f"{_LIST_CODECS[data_type]}()"


STRING_PART = 60
"""Characters per literal of a long description, so that black can fit the lines."""


def string_expr(text: str) -> str:
    """``text`` as a Python string literal; a long one as parenthesized literals of about
    ``STRING_PART`` characters each (split at spaces), which black puts one per line."""
    if len(text) <= STRING_PART:
        return repr(text)
    parts, current = [], ""
    for word in text.split(" "):
        if current and len(current) + len(word) + 1 > STRING_PART:
            parts.append(current + " ")
            current = word
        else:
            current = f"{current} {word}" if current else word
    parts.append(current)
    return "(" + " ".join(repr(part) for part in parts) + ")"


def variable_expr(variable: ir.DeviceVariable) -> str:
    """The ``Variable(...)`` constructor call of one catalogue row."""
    arguments = [repr(variable.name), codec_expr(variable.data_type, variable.values_list)]
    if variable.instance is not None:
        arguments.append(f"instance={variable.instance!r}")
    if variable.unit is not None:
        arguments.append(f"unit={variable.unit!r}")
    if variable.mutability is not None:
        arguments.append(f"mutability=Mutability.{variable.mutability}")
    if variable.required is not None:
        arguments.append(f"required=Required.{variable.required}")
    arguments.append(f"description={string_expr(variable.description)}")
    return f"Variable({', '.join(arguments)})"


PYTHON_TYPES = {
    "integer": "int",
    "decimal": "Decimal",
    "boolean": "bool",
    "dateTime": "datetime",
    "string": "str",
    "OptionList": "str",
    "SequenceList": "tuple[str, ...]",
    "MemberList": "frozenset[str]",
}
"""The Python value type of each data type (what its codec reads and writes)."""


@dataclass(frozen=True)
class GroupView:
    """One attribute of a component class: its expression and docstring, and where it takes
    the place of a generic variable of another type, its annotation (and the one it differs
    from), which the template prints with a ``type: ignore``."""

    py_name: str
    expr: str
    doc: str
    annotation: str | None = None
    overrides: str | None = None


@dataclass(frozen=True)
class ComponentView:
    """One component class."""

    py_name: str
    name: str
    kind: str
    in_components_table: bool
    doc: str
    groups: tuple[GroupView, ...]
    extends: bool = False
    """A vendor's subclass of the standard component (in an extension)."""


def annotation(group: ir.DeviceVariableGroup) -> str:
    """The descriptor's type: ``Variable[int]``, ``Instances[bool]``..."""
    kind = "Instances" if group.per_instance else "Variable"
    return f"{kind}[{PYTHON_TYPES[group.variables[0].data_type]}]"


def group_view(group: ir.DeviceVariableGroup) -> GroupView:
    """The descriptor of a variable: a Variable, or Instances of the listed ones / a pattern."""
    first = group.variables[0]
    if not group.per_instance:
        return GroupView(group.py_name, variable_expr(first), _variable_doc(first))
    members = ", ".join(variable_expr(variable) for variable in group.variables)
    if group.instance_pattern is not None:
        expr = f"Instances({members}, pattern={group.instance_pattern!r})"
        doc = f"{_variable_doc(first)}\n\nOne per instance ({group.instance_pattern}): ``[name]``."
        return GroupView(group.py_name, expr, doc)
    lines = [f"- ``{v.instance}``: {_variable_doc(v)}" for v in group.variables]
    return GroupView(group.py_name, f"Instances({members})", "Per instance:\n\n" + "\n".join(lines))


def _variable_doc(variable: ir.DeviceVariable) -> str:
    facts = [variable.data_type]
    if variable.values_list:
        facts.append("of " + ", ".join(variable.values_list))
    if variable.unit:
        facts.append(f"in {variable.unit}")
    facts.append(variable.mutability or "mutability not fixed by the standard")
    required = {"yes": "required", "no": "optional", "V2X": "required with V2X"}
    facts.append(required.get(variable.required or "", "required flag unknown"))
    text = variable.description.rstrip(".")
    return f"{text} ({'; '.join(facts)})." if text else f"{'; '.join(facts)}."


def _overriding(group: ir.DeviceVariableGroup, generic: dict[str, str]) -> GroupView:
    """The view of a component's variable; annotated where the generic variable of that
    attribute has another type (a class attribute of a subclass must otherwise keep it)."""
    view = group_view(group)
    mine, theirs = annotation(group), generic.get(group.py_name)
    if theirs is None or theirs == mine:
        return view
    return GroupView(view.py_name, view.expr, view.doc, mine, theirs)


def uses_decimal(components: tuple[ComponentView, ...]) -> bool:
    """Whether an annotation names ``Decimal`` (the module then imports it)."""
    return any("Decimal" in (g.annotation or "") for c in components for g in c.groups)


def component_views(model: ir.DeviceModel) -> tuple[ComponentView, ...]:
    """Every component class, in catalogue order."""
    generic = {group.py_name: annotation(group) for group in model.generic}
    views = []
    for component in model.components:
        kind = (
            "a controller" if component.kind == "controller" else "a physical or logical component"
        )
        count = sum(len(group.variables) for group in component.variables)
        variables = f"{count} variables" if count != 1 else "1 variable"
        doc = f"{component.name}: {kind}, with {variables} of its own and the generic ones."
        if component.extends:
            doc = f"{component.name} with the vendor's {variables} beside the standard ones."
        elif not component.in_components_table:
            doc += " Not in the OCA components table."
        groups = tuple(_overriding(group, generic) for group in component.variables)
        views.append(
            ComponentView(
                component.py_name,
                component.name,
                component.kind,
                component.in_components_table,
                doc,
                groups,
                component.extends,
            )
        )
    return tuple(views)


def generic_views(model: ir.DeviceModel) -> tuple[GroupView, ...]:
    """The attributes of ``AnyComponent``."""
    return tuple(group_view(group) for group in model.generic)


@dataclass(frozen=True)
class KeyView:
    """One 1.6 configuration key as a module attribute."""

    py_name: str
    expr: str
    doc: str


def key_view(key: ir.ConfigurationKey) -> KeyView:
    """The ``Key(...)`` constructor call and docstring of a 1.6 key."""
    accessibility = {"R": "R", "RW": "RW", "W": "W", "R|RW": "R_or_RW"}[key.accessibility]
    arguments = [
        repr(key.name),
        codec_expr(key.type, ()),
        f"profile={key.profile!r}",
        f"required={key.required!r}",
        f"accessibility=Accessibility.{accessibility}",
    ]
    if key.unit is not None:
        arguments.append(f"unit={key.unit!r}")
    if key.max_length_key is not None:
        arguments.append(f"max_length_key={key.max_length_key!r}")
    arguments.append(f"description={string_expr(key.description)}")
    facts = [key.type, key.profile, key.accessibility, "required" if key.required else "optional"]
    if key.unit:
        facts.append(f"in {key.unit}")
    if key.max_length_key:
        facts.append(f"at most {key.max_length_key} items")
    doc = f"{key.description.rstrip('.')} ({'; '.join(facts)})."
    return KeyView(key.py_name, f"Key({', '.join(arguments)})", doc)


# --- the generated codec tests' data ----------------------------------------------------------

_NOT_A_VALUE = "ocppgen-not-a-value"

_VALID: dict[str, list[tuple[str, bool]]] = {
    "integer": [
        ("0", True),
        ("300", True),
        ("-1", True),
        ("-0", False),
        ("2147483647", True),
        ("-9223372036854775809", True),
    ],
    "decimal": [
        ("0", True),
        ("11000", True),
        ("-0.5", True),
        ("0.1", True),
        ("1E+3", True),
        ("123456789.000000001", True),
        ("2.5e-3", False),
        ("-0", True),
    ],
    "boolean": [("true", True), ("false", True)],
    "dateTime": [
        ("2026-01-02T03:04:05Z", True),
        ("2026-01-02T03:04:05.123+02:00", True),
        ("1970-01-01T00:00:00.000001-05:30", True),
        ("2026-01-02t03:04:05z", False),
    ],
    "string": [("", True), ("x", True), ("Zürich, CH", True), ("a" * 1000, True)],
}
"""(text, canonical: ``format(parse(text)) == text``) of every scalar data type."""
_INVALID: dict[str, list[str]] = {
    "integer": ["", "1.5", "abc", "+1", " 1", "1 ", "01", "1e3", "true", "0x10"],
    "decimal": ["", "abc", "NaN", "Infinity", "-Infinity", "1.", ".5", "1,5", "+1", "01"],
    "boolean": ["", "True", "FALSE", "1", "0", "yes", " true"],
    "dateTime": [
        "",
        "2026-01-02",
        "yesterday",
        "2026-13-01T00:00:00Z",
        "2026-01-02T03:04:05",
        "2026-02-30T00:00:00Z",
        "2026-01-02 03:04:05Z",
    ],
    "string": [],
}


def _list_cases(
    data_type: str, values: tuple[str, ...]
) -> tuple[list[tuple[str, bool]], list[str]]:
    """Valid and invalid texts of a list type, from its values list (or made-up members)."""
    members = list(values) or ["A", "B", "C"]
    first, last = members[0], members[-1]
    if data_type == "OptionList":
        valid = [(first, True), (last, True)]
        invalid = ["", f"{first},{last}", f"{first},"]
        return valid, invalid + ([_NOT_A_VALUE] if values else [])
    joined = ",".join(members)
    valid = [("", True), (first, True), (joined, True)]
    invalid = [f"{first},", f",{first}", f"{first},,{last}"]
    if values:
        invalid.append(_NOT_A_VALUE)
    reversed_text = ",".join(reversed(members))
    if data_type == "MemberList":
        valid.append((reversed_text, len(members) == 1))
        invalid.append(f"{first},{first}")
    else:
        valid += [(reversed_text, True), (f"{first},{first}", True)]
    return valid, invalid


def codec_cases(data_type: str, values: tuple[str, ...]) -> dict[str, Any]:
    """The texts a variable of this type and values list must read (and write back, where
    canonical) and refuse."""
    if data_type in _VALID:
        valid, invalid = list(_VALID[data_type]), list(_INVALID[data_type])
    else:
        list_type = "SequenceList" if data_type == "CSL" else data_type
        valid, invalid = _list_cases(list_type, values)
    return {"valid": [list(case) for case in valid], "invalid": invalid}


def _path(component: str | None, variable: ir.DeviceVariable) -> str:
    scope = component if component is not None else "<any component>"
    instance = f"[{variable.instance}]" if variable.instance is not None else ""
    return f"{scope}.{variable.name}{instance}"


def device_model_cases(model: ir.DeviceModel) -> dict[str, list[dict[str, Any]]]:
    """Component (``<generic>`` for the generic variables) -> one case per catalogue row: how
    to reach the variable, what it must be, and its codec cases."""
    found: dict[str, list[dict[str, Any]]] = {}
    groups: list[tuple[str | None, str, str | None, ir.DeviceVariableGroup]] = [
        (None, GENERIC_LABEL, None, group) for group in model.generic
    ]
    groups += [(c.name, c.name, c.py_name, g) for c in model.components for g in c.variables]
    for component, label, py_name, group in groups:
        for variable in group.variables:
            found.setdefault(label, []).append(
                {
                    "class": py_name,
                    "attribute": group.py_name,
                    "name": variable.name,
                    "instance": variable.instance,
                    "pattern": group.instance_pattern,
                    "path": _path(component, variable),
                    "data_type": variable.data_type,
                    **codec_cases(variable.data_type, variable.values_list),
                }
            )
    return found


def configuration_cases(configuration: ir.Configuration) -> dict[str, dict[str, Any]]:
    """Key name -> its module attribute, type and codec cases."""
    return {
        key.name: {"attribute": key.py_name, "type": key.type, **codec_cases(key.type, ())}
        for key in configuration.keys
    }
