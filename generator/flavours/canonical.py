"""One canonical JSON Schema per version, lowered from the IR, for datamodel-code-generator.

Every enum, data type and message is a named definition under the name the IR gave it (1.6
inline types under their specification names, de-duplicated), so the pydantic flavour gets
exactly the dataclass flavour's class names. Field names, enum member names and the checks
pydantic cannot express natively travel as datamodel-code-generator's own extensions:
``aliases`` (JSON name -> Python name), ``x-enum-varnames`` and ``customTypePath`` (a type of
the generated ``_pydantic`` runtime: RFC 3339 date-times, integers and numbers (ints of any
size up to the digit limit, kept exact), exact ``multipleOf``, any JSON value).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from generator import ir

DRAFT = "http://json-schema.org/draft-07/schema#"


def multiple_of_type(text: str) -> str:
    """The runtime type name for numbers that must be a multiple of ``text`` (``0.1``)."""
    return "MultipleOf_" + text.replace(".", "_").replace("-", "m").replace("+", "")


def number_types(objects: Iterable[ir.ObjectDef]) -> tuple[ir.NumberType, ...]:
    """Every distinct number type of a field in ``objects`` (array items included), sorted."""
    found: set[ir.NumberType] = set()

    def visit(t: ir.TypeExpr) -> None:
        if isinstance(t, ir.ArrayType):
            visit(t.items)
        elif isinstance(t, ir.NumberType):
            found.add(t)

    for obj in objects:
        for f in obj.fields:
            visit(f.type)
    return tuple(sorted(found, key=repr))


def multiples_of(objects: Iterable[ir.ObjectDef]) -> tuple[str, ...]:
    """Every ``multipleOf`` of a number in ``objects`` (the base defines one type for each)."""
    return tuple(sorted({t.multiple_of for t in number_types(objects) if t.multiple_of}))


class Lowering:
    """Lowers one set of enums and objects (a version's, or an extension's); ``runtime`` is the
    import path of the module holding the exact types (the version's ``base``)."""

    def __init__(
        self,
        enums: tuple[ir.EnumDef, ...],
        objects: tuple[ir.ObjectDef, ...],
        root: str,
        runtime: str,
    ) -> None:
        self.enums = enums
        self.objects = objects
        self.root = root
        """The class the document's ``$ref`` names (datamodel-code-generator wants one)."""
        self.runtime = runtime

    def document(self) -> dict[str, Any]:
        """The canonical schema: a ``$ref`` to the root and every type as a definition."""
        definitions: dict[str, Any] = {}
        for enum in self.enums:
            definitions[enum.name] = {
                "type": "string",
                "enum": [member.value for member in enum.members],
                "x-enum-varnames": [member.name for member in enum.members],
                "description": enum.doc,
            }
        for obj in self.objects:
            definitions[obj.name] = self.object(obj)
        root = self.root
        return {"$schema": DRAFT, "$ref": f"#/definitions/{root}", "definitions": definitions}

    def aliases(self) -> dict[str, str]:
        """JSON name -> Python name for every field whose names differ (they are the same in
        every type, as the IR derives one from the other)."""
        pairs = {(f.json_name, f.py_name) for obj in self.objects for f in obj.fields}
        return {json_name: py_name for json_name, py_name in sorted(pairs) if json_name != py_name}

    def object(self, obj: ir.ObjectDef) -> dict[str, Any]:
        node: dict[str, Any] = {
            "type": "object",
            "description": obj.doc,
            "properties": {f.json_name: self.field(f) for f in obj.fields},
            "additionalProperties": obj.allows_extra,
        }
        required = [f.json_name for f in obj.fields if f.required]
        if required:
            node["required"] = required
        return node

    def field(self, f: ir.Field) -> dict[str, Any]:
        node = self.type(f.type)
        if f.doc:
            node["description"] = f.doc
        return node

    def type(self, t: ir.TypeExpr) -> dict[str, Any]:
        if isinstance(t, ir.StringType):
            return _bounded({"type": "string"}, minLength=t.min_length, maxLength=t.max_length)
        if isinstance(t, ir.IntegerType):
            node = _bounded({"type": "integer"}, minimum=t.minimum, maximum=t.maximum)
            if t.multiple_of is not None:
                node["multipleOf"] = int(t.multiple_of)
            integer = "Integer" if t.accepts_integral_float else "IntegerDraft04"
            node["customTypePath"] = f"{self.runtime}.{integer}"
            return node
        if isinstance(t, ir.NumberType):
            node = _bounded({"type": "number"}, minimum=t.minimum, maximum=t.maximum)
            number = "Number" if t.multiple_of is None else multiple_of_type(t.multiple_of)
            node["customTypePath"] = f"{self.runtime}.{number}"
            return node
        if isinstance(t, ir.BooleanType):
            return {"type": "boolean"}
        if isinstance(t, ir.DateTimeType):
            return {"type": "string", "customTypePath": f"{self.runtime}.DateTime"}
        if isinstance(t, ir.AnyType):
            return {"customTypePath": f"{self.runtime}.AnyJson"}
        if isinstance(t, ir.EnumRef | ir.ObjectRef):
            return {"$ref": f"#/definitions/{t.name}"}
        return _bounded(
            {"type": "array", "items": self.type(t.items)},
            minItems=t.min_items,
            maxItems=t.max_items,
        )


def _bounded(node: dict[str, Any], **bounds: int | float | None) -> dict[str, Any]:
    node.update((key, value) for key, value in bounds.items() if value is not None)
    return node
