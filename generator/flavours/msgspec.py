"""The msgspec flavour: ``msgspec.Struct`` models written by datamodel-code-generator from the
canonical schema (:mod:`generator.flavours.canonical`), with the dataclass flavour's names.

Decoding stays on msgspec's C code wherever that is exact; the package's ``_msgspec`` runtime
finishes what msgspec cannot check exactly and hands every refused payload to the dataclass
flavour's exact parser, described per folder by ``tables.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator import ir
from generator.flavours.base import ModelSet, Style
from generator.flavours.canonical import Lowering, number_types
from generator.flavours.dmc import add_models_module, write_models, write_reexports

if TYPE_CHECKING:
    from generator.render.renderer import Renderer


@dataclass(frozen=True)
class NumberAlias:
    """A number type of the base module: an integer or a finite float within the bounds."""

    name: str
    minimum: int | float | None
    maximum: int | float | None


class MsgspecFlavour:
    """``models.py`` by datamodel-code-generator, its ``base.py`` (the version's base structs
    and the types msgspec reads differently), ``tables.py`` (the exact parser's description)
    and ``enums`` / ``datatypes`` / ``messages`` naming the same classes as the dataclass
    flavour; the package depends on msgspec only."""

    style = Style.MSGSPEC
    runtime: Mapping[str, str] = {
        "_flavour.py": "_flavour_msgspec.py",
        "_msgspec.py": "_msgspec.py",
    }

    def template_filters(self) -> Mapping[str, Callable[..., Any]]:
        return {}

    def render_models(self, renderer: Renderer, models: ModelSet) -> None:
        spec, folder, source = models.spec, models.folder, models.source
        objects, runtime = add_models_module(renderer, models, "msgspec structs", models_source)
        renderer.add(
            f"{folder}/base.py",
            "msgspec/base.py.j2",
            source,
            spec=spec,
            base_class=base_class_name(spec),
            open_class=open_class_name(spec) if any(o.allows_extra for o in objects) else None,
            numbers=number_aliases(objects),
            runtime_prefix=runtime,
        )
        renderer.add(
            f"{folder}/tables.py",
            "msgspec/tables.py.j2",
            source,
            spec=spec,
            objects=objects,
            names=sorted({*(o.name for o in objects), *_enums_used(objects)}),
            runtime_prefix=runtime,
        )
        write_reexports(renderer, models, "msgspec/reexport.py.j2")


def base_class_name(spec: ir.Spec) -> str:
    """The version's base struct (``V201Struct``): sets the version's error-code dialect."""
    return f"{spec.package.upper()}Struct"


def open_class_name(spec: ir.Spec) -> str:
    """The version's base of objects that allow additional properties (``V201OpenStruct``)."""
    return f"{spec.package.upper()}OpenStruct"


def number_alias(t: ir.NumberType) -> str:
    """The base module's number type for the bounds of ``t`` (``Number_min_0``)."""
    parts = ["Number"]
    if t.minimum is not None:
        parts.append(f"min_{_name_text(t.minimum)}")
    if t.maximum is not None:
        parts.append(f"max_{_name_text(t.maximum)}")
    return "_".join(parts)


def _name_text(value: int | float) -> str:
    return repr(value).replace("-", "m").replace("+", "").replace(".", "_")


def number_aliases(objects: Iterable[ir.ObjectDef]) -> tuple[NumberAlias, ...]:
    """One number type per distinct pair of bounds in ``objects``."""
    found = {number_alias(t): NumberAlias(number_alias(t), t.minimum, t.maximum)
             for t in number_types(objects)}  # fmt: skip
    return tuple(found[name] for name in sorted(found))


def _enums_used(objects: Iterable[ir.ObjectDef]) -> set[str]:
    found: set[str] = set()
    for obj in objects:
        for f in obj.fields:
            t = f.type
            while isinstance(t, ir.ArrayType):
                t = t.items
            if isinstance(t, ir.EnumRef):
                found.add(t.name)
    return found


class MsgspecLowering(Lowering):
    """The canonical schema as the msgspec structs need it (the pydantic flavour's is unchanged).

    - An optional property is nullable: with ``strict_nullable`` datamodel-code-generator
      writes ``Optional[X] = None``, where ``Optional`` (and ``Union``) are the base module's:
      typing's to a type checker, ``X`` alone to msgspec, so ``null`` is refused in C while
      an absent property is None, as in the other flavours. "Any JSON" properties are not
      nullable: ``Union[AnyJson, UnsetType] = UNSET``, the base's ``UNSET`` being the
      package's (absent is ``UNSET``, ``null`` is None).
    - A number is the base module's number type for its bounds: an integer or a finite float
      (integers stay integers; NaN and infinities are refused from Python objects as well).
      Its ``multipleOf`` is left to the runtime's finisher: msgspec's check is binary.
    """

    def field(self, f: ir.Field) -> dict[str, Any]:
        node = super().field(f)
        if not f.required and not isinstance(f.type, ir.AnyType):
            node["nullable"] = True
        return node

    def type(self, t: ir.TypeExpr) -> dict[str, Any]:
        if isinstance(t, ir.NumberType):
            return {"type": "number", "customTypePath": f"{self.runtime}.{number_alias(t)}"}
        return super().type(t)


NAMES_FROM_BASE = ("Optional", "Union", "UNSET", "UnsetType")
"""Names datamodel-code-generator writes that the models import from their base module (see
:class:`MsgspecLowering` and the base template)."""


def models_source(
    spec: ir.Spec, objects: tuple[ir.ObjectDef, ...], root: str, own: str, header: str
) -> str:
    """``models.py``: every enum of ``spec`` and every one of ``objects``, as msgspec structs.

    datamodel-code-generator does the writing; our options: the version's base struct for
    every class (objects that allow additional properties get the open one, which keeps
    them), unions written as ``Optional`` / ``Union`` (imported from the base, with ``UNSET``
    and ``UnsetType``: see :class:`MsgspecLowering`). ``forbid_unknown_fields`` is the base
    struct's option, inherited by every class. ``own`` is the import name of the base module.
    """
    from datamodel_code_generator.enums import DataModelType

    opened = {o.name: f"{own}.{open_class_name(spec)}" for o in objects if o.allows_extra}
    source = write_models(
        MsgspecLowering(spec.enums, objects, root, own),
        header,
        output_model_type=DataModelType.MsgspecStruct,
        base_class=f"{own}.{base_class_name(spec)}",
        base_class_map=opened,
        import_overrides=dict.fromkeys(NAMES_FROM_BASE, own),
        use_union_operator=False,
        strict_nullable=True,
    )
    return without_unused_base_imports(source)


def without_unused_base_imports(source: str) -> str:
    """``source`` without the names it imports from ``.base`` and never uses.

    The one edit of datamodel-code-generator's msgspec output: with ``strict_nullable`` it
    imports ``Optional`` wherever a field is nullable, also where every such field is written
    ``Union[X, None]`` (a small extension module), and the package must stay ruff-clean.
    """
    import ast

    from generator.flavours.dmc import sorted_imports

    tree = ast.parse(source)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module == "base":
            names = [alias.name for alias in node.names]
            kept = [name for name in names if name in used]
            if kept == names:
                return source
            lines = source.splitlines(keepends=True)
            start, end = node.lineno - 1, node.end_lineno or node.lineno
            statement = f"from .base import {', '.join(kept)}\n" if kept else ""
            return sorted_imports("".join([*lines[:start], statement, *lines[end:]]))
    return source
