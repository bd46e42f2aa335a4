"""``ocppgen list --device-model``: the device-model catalogue (2.x) and the configuration keys
(1.6) as plain-text tables."""

from __future__ import annotations

from collections.abc import Sequence

from generator import ir
from generator.errors import GeneratorError
from generator.render.device_model import GENERIC_LABEL

VALUES_WIDTH = 60
"""Characters of a values list shown before it is cut (with its count)."""
GENERIC_NAMES = (GENERIC_LABEL, "generic")
"""What ``--component`` takes for the generic variables."""
UNKNOWN = "-"
"""How a fact the catalogue leaves open (mutability, required flag) is shown."""


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _values(values: tuple[str, ...]) -> str:
    text = ",".join(values)
    if len(text) <= VALUES_WIDTH:
        return text
    shown = text[:VALUES_WIDTH].rsplit(",", 1)[0]
    return f"{shown},... ({len(values)} values)"


def _variable_rows(component: str, groups: tuple[ir.DeviceVariableGroup, ...]) -> list[list[str]]:
    rows = []
    for group in groups:
        for variable in group.variables:
            instance = group.instance_pattern or variable.instance or ""
            rows.append(
                [
                    component,
                    variable.name,
                    instance,
                    variable.data_type,
                    variable.unit or "",
                    variable.mutability or UNKNOWN,
                    variable.required or UNKNOWN,
                    _values(variable.values_list),
                ]
            )
    return rows


HEADER = ["component", "variable", "instance", "type", "unit", "mutability", "required", "values"]


def device_model_table(spec: ir.Spec, component: str | None = None) -> str:
    """A version's catalogue: every variable (``component``: that component's own, or
    ``generic`` / ``<generic>`` for the generic ones; any case)."""
    model = spec.device_model
    if model is None:
        return _keys_table(spec)
    if component is not None:
        return _component_table(spec, model, component)
    rows = [HEADER]
    for entry in model.components:
        rows += _variable_rows(entry.name, entry.variables)
    rows += _variable_rows(GENERIC_LABEL, model.generic)
    title = (
        f"{spec.title} device model: {len(model.components)} components, "
        f"{model.variable_count} variables ({UNKNOWN}: not fixed by the standard)"
    )
    return "\n".join([title, *_table(rows)])


def has_component(spec: ir.Spec, name: str) -> bool:
    """Does the version's device model have the component (or is ``name`` ``<generic>``)?"""
    model = spec.device_model
    if model is None:
        return False
    names = {c.name.casefold() for c in model.components} | set(GENERIC_NAMES)
    return name.casefold() in names


def _component_table(spec: ir.Spec, model: ir.DeviceModel, name: str) -> str:
    if name.casefold() in GENERIC_NAMES:
        rows = [HEADER, *_variable_rows(GENERIC_LABEL, model.generic)]
        title = f"{spec.title}: the generic variables, which apply to any component"
        return "\n".join([title, *_table(rows)])
    found = next((c for c in model.components if c.name.casefold() == name.casefold()), None)
    if found is None:
        return f"{spec.title}: no component {name!r} in the device model"
    kind = "controller" if found.kind == "controller" else "physical or logical component"
    count = sum(len(group.variables) for group in found.variables)
    title = (
        f"{spec.title} {found.name} ({kind}): {count} variables of its own, and the "
        f"{sum(len(g.variables) for g in model.generic)} generic ones (--component generic)"
    )
    if not found.variables:
        return title
    return "\n".join([title, *_table([HEADER, *_variable_rows(found.name, found.variables)])])


def _keys_table(spec: ir.Spec) -> str:
    if spec.configuration is None:
        return f"{spec.title}: no device model or configuration keys in its schema folder"
    rows = [["key", "profile", "type", "unit", "accessibility", "required", "bounded by"]]
    for key in spec.configuration.keys:
        required = "required" if key.required else "optional"
        unit = key.unit or ""
        rows.append(
            [
                key.name,
                key.profile,
                key.type,
                unit,
                key.accessibility,
                required,
                key.max_length_key or "",
            ]
        )
    title = f"{spec.title} configuration keys: {len(spec.configuration.keys)} keys"
    return "\n".join([title, *_table(rows)])


def catalogue_listing(specs: Sequence[ir.Spec], component: str | None) -> list[str]:
    """The tables of ``ocppgen list --device-model [--component NAME]``, one per version
    (with a component: the 2.x versions only). GeneratorError when no version has it."""
    if component is None:
        return [device_model_table(spec) for spec in specs]
    models = [spec for spec in specs if spec.device_model is not None]
    if not any(has_component(spec, component) for spec in models):
        versions = ", ".join(spec.version for spec in models) or "none of the versions chosen"
        raise GeneratorError(
            f"no component {component!r} in the device model ({versions})",
            "--component",
        )
    return [device_model_table(spec, component) for spec in models]
