"""What templates print besides the IR: the imports of a module of classes, handler protocols."""

from __future__ import annotations

from dataclasses import dataclass

from generator import ir
from generator.ir.naming import isort_key
from generator.render import pyexpr


@dataclass(frozen=True)
class ObjectModuleView:
    """What one module of dataclasses needs besides its classes: its imports."""

    objects: tuple[ir.ObjectDef, ...]
    enum_imports: tuple[str, ...]
    datatype_imports: tuple[str, ...]
    runtime_names: tuple[str, ...]
    uses_datetime: bool
    uses_field: bool
    runtime_parent: str = ".."
    """Where ``_runtime`` is imported from: the package itself, or (extensions) its name."""

    @property
    def runtime_module(self) -> str:
        """The runtime module, for ``from ... import``."""
        return self.runtime_parent + ("_runtime" if self.runtime_parent == ".." else "._runtime")


def object_module_view(
    objects: tuple[ir.ObjectDef, ...], local: bool, runtime_parent: str = ".."
) -> ObjectModuleView:
    """Collect the names a module of ``objects`` imports; ``local`` when datatypes are its own."""
    enums: set[str] = set()
    datatypes: set[str] = set()
    fields = [f for obj in objects for f in obj.fields]
    for f in fields:
        enum_names, object_names = pyexpr.referenced_names(f.type)
        enums |= enum_names
        datatypes |= object_names
    innermost = {type(_innermost(f.type)) for f in fields}
    uses_extra = any(o.allows_extra for o in objects)
    runtime = set()
    if ir.AnyType in innermost or uses_extra:
        runtime.add("JsonValue")
    if any(isinstance(f.type, ir.AnyType) and not f.required for f in fields):
        runtime |= {"UNSET", "Unset"}
    return ObjectModuleView(
        objects=objects,
        enum_imports=tuple(sorted(enums, key=isort_key)),
        datatype_imports=() if local else tuple(sorted(datatypes, key=isort_key)),
        runtime_names=tuple(sorted(runtime, key=isort_key)),
        uses_datetime=ir.DateTimeType in innermost,
        uses_field=uses_extra,
        runtime_parent=runtime_parent,
    )


@dataclass(frozen=True)
class HandlerProtocolView:
    """One handler Protocol: a profile's actions that one side receives."""

    name: str
    doc: str
    central: bool
    actions: tuple[ir.Action, ...]
    profile: str


def handler_protocols(spec: ir.Spec) -> tuple[HandlerProtocolView, ...]:
    """``<Profile><Role>Handler`` for every profile side that receives at least one action."""
    protocols = []
    receives = {role: {a.name for a in spec.receives(role)} for role in spec.roles}
    for profile in spec.profiles:
        block = f"{profile.name} ({profile.letter})" if profile.letter else profile.name
        for role in spec.roles:
            received = tuple(a for a in spec.actions_of(profile) if a.name in receives[role])
            if received:
                doc = f"{block}: the {spec.title} actions that the {role} receives."
                central = role == spec.roles[1]
                name = f"{profile.name}{role}Handler"
                protocols.append(HandlerProtocolView(name, doc, central, received, profile.name))
    return tuple(protocols)


def handler_doc(action: ir.Action) -> str:
    """Docstring of a handler method: who starts the action, what it returns, schema text."""
    starters = " or the ".join(action.initiated_by)
    answer = f"Returns {action.response.type.name}." if action.response else "No answer (SEND)."
    doc = f"Handle {action.name}, started by the {starters}. {answer}"
    description = action.request.type.doc.split("\n\n", 1)
    return doc + ("\n\n" + description[1] if len(description) > 1 else "")


def _innermost(t: ir.TypeExpr) -> ir.TypeExpr:
    return _innermost(t.items) if isinstance(t, ir.ArrayType) else t


def version_source(spec: ir.Spec) -> str:
    """What the header of a version's files names as their source."""
    return f"{spec.title} JSON schemas by the OCA"
