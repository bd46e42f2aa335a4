"""Python source fragments for IR types: type hints and runtime parser expressions."""

from __future__ import annotations

from generator import ir


def type_hint(t: ir.TypeExpr) -> str:
    """The annotation of a field holding ``t`` (without ``| None``)."""
    if isinstance(t, ir.ArrayType):
        return f"list[{type_hint(t.items)}]"
    if isinstance(t, (ir.EnumRef, ir.ObjectRef)):
        return t.name
    return _SCALAR_HINTS[type(t)]


_SCALAR_HINTS: dict[type, str] = {
    ir.StringType: "str",
    ir.IntegerType: "int",
    ir.NumberType: "float",
    ir.BooleanType: "bool",
    ir.DateTimeType: "datetime",
    ir.AnyType: "JsonValue",
}


def parser_expr(t: ir.TypeExpr) -> str:
    """The runtime parser that validates and converts a value of type ``t``."""
    if isinstance(t, ir.StringType):
        return _call("String", min_length=t.min_length, max_length=t.max_length)
    if isinstance(t, ir.IntegerType):
        return _call(
            "Integer",
            minimum=t.minimum,
            maximum=t.maximum,
            multiple_of=t.multiple_of,
            accepts_integral_float=t.accepts_integral_float or None,
        )
    if isinstance(t, ir.NumberType):
        return _call("Number", minimum=t.minimum, maximum=t.maximum, multiple_of=t.multiple_of)
    if isinstance(t, ir.ArrayType):
        items = parser_expr(t.items)
        bounds = _call("", min_items=t.min_items, max_items=t.max_items)[1:-1]
        return f"_rt.ArrayOf({items}{', ' + bounds if bounds else ''})"
    if isinstance(t, ir.EnumRef):
        return f"_rt.EnumOf({t.name})"
    if isinstance(t, ir.ObjectRef):
        return f"_rt.ObjectOf({t.name})"
    if isinstance(t, ir.DateTimeType):
        return "_rt.DateTime()"
    if isinstance(t, ir.BooleanType):
        return "_rt.Boolean()"
    return "_rt.AnyJson()"


def _call(name: str, **kwargs: object) -> str:
    args = ", ".join(f"{key}={value!r}" for key, value in kwargs.items() if value is not None)
    return f"_rt.{name}({args})" if name else f"({args})"


def field_declaration(f: ir.Field) -> str:
    """``name: hint`` for a required field, with its default for an optional one."""
    hint = type_hint(f.type)
    if f.required:
        return f"{f.py_name}: {hint}"
    if isinstance(f.type, ir.AnyType):
        return f"{f.py_name}: {hint} | Unset = UNSET"
    return f"{f.py_name}: {hint} | None = None"


def absent_value(f: ir.Field) -> str:
    """The attribute value that means "property absent"."""
    return "UNSET" if isinstance(f.type, ir.AnyType) else "None"


def referenced_names(t: ir.TypeExpr) -> tuple[set[str], set[str]]:
    """Enum names and object names that a type refers to."""
    if isinstance(t, ir.ArrayType):
        return referenced_names(t.items)
    if isinstance(t, ir.EnumRef):
        return {t.name}, set()
    if isinstance(t, ir.ObjectRef):
        return set(), {t.name}
    return set(), set()
