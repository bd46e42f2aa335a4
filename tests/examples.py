"""Build a minimal and a maximal example payload straight from a JSON schema.

Minimal: required properties only, each at its smallest allowed value. Maximal: every
property, strings at their maximum length (in non-ASCII code points), arrays with two items
(or their bounds), numbers at their bounds, vendor extras on open objects.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]


def _resolve(node: Schema, root: Schema) -> Schema:
    while "$ref" in node:
        node = root["definitions"][node["$ref"].rsplit("/", 1)[1]]
    return node


def minimal(node: Schema, root: Schema) -> Any:
    """The smallest payload the schema accepts."""
    node = _resolve(node, root)
    kind = node.get("type")
    if kind == "object":
        props = node.get("properties", {})
        return {name: minimal(props[name], root) for name in node.get("required", [])}
    if kind == "array":
        return [minimal(node["items"], root) for _ in range(node.get("minItems", 0))]
    if kind == "string":
        if "enum" in node:
            return node["enum"][0]
        if node.get("format") == "date-time":
            return "2024-01-01T00:00:00Z"
        return "a" * node.get("minLength", 0)
    if kind in ("integer", "number"):
        return node.get("minimum", 0)
    if kind == "boolean":
        return False
    return None


def maximal(node: Schema, root: Schema) -> Any:
    """A payload with every property filled, values at their upper bounds."""
    node = _resolve(node, root)
    kind = node.get("type")
    if kind == "object":
        out = {name: maximal(prop, root) for name, prop in node.get("properties", {}).items()}
        if node.get("additionalProperties", True) is not False:
            out["vendorExtension"] = {"nested": [1, 2.5, "é", None, True], "empty": {}}
        return out
    if kind == "array":
        count = max(node.get("minItems", 0), min(node.get("maxItems", 2), 2))
        return [maximal(node["items"], root) for _ in range(count)]
    if kind == "string":
        if "enum" in node:
            return node["enum"][-1]
        if node.get("format") == "date-time":
            return "2024-02-29T23:59:59.123456+05:30"
        return "é" * node.get("maxLength", 12)
    if kind == "integer":
        return node.get("maximum", 2**40)
    if kind == "number":
        if "multipleOf" in node:
            return 21.4
        return node.get("maximum", 12345.625)
    if kind == "boolean":
        return True
    return {"any": ["json", 1, 2.5, None, {"deep": [True]}]}
