"""The JSON Schema constructs the builder understands; anything else is an error."""

from __future__ import annotations

from typing import Any

ANNOTATIONS = frozenset(
    {"$schema", "$id", "id", "title", "comment", "description", "javaType", "default"}
)
"""Keywords that say nothing about validity: allowed everywhere."""
ALLOWED_KEYWORDS: dict[str | None, frozenset[str]] = {
    "object": frozenset({"type", "properties", "required", "additionalProperties", "definitions"}),
    "string": frozenset({"type", "enum", "format", "minLength", "maxLength"}),
    "integer": frozenset({"type", "minimum", "maximum", "multipleOf"}),
    "number": frozenset({"type", "minimum", "maximum", "multipleOf"}),
    "boolean": frozenset({"type"}),
    "array": frozenset({"type", "items", "minItems", "maxItems", "additionalItems"}),
    None: frozenset(),
}
"""The validation keywords supported for each ``type`` (None: no type, any JSON value)."""
IGNORED_OUTSIDE_OBJECTS = frozenset({"additionalProperties"})
STRING_FORMATS_WITHOUT_CHECK = frozenset({"uri"})
"""Formats accepted as plain strings (jsonschema does not check them either)."""
DEFINITIONS_PREFIX = "#/definitions/"


def keyword_problem(node: dict[str, Any], kind: str | None) -> str | None:
    """Why a schema node of type ``kind`` is not supported, or None."""
    allowed = ALLOWED_KEYWORDS[kind] | ANNOTATIONS
    if kind != "object":
        allowed |= IGNORED_OUTSIDE_OBJECTS
    if kind is None:
        allowed -= {"default"}
    for keyword in node:
        if keyword not in allowed:
            return f"unsupported keyword {keyword!r} for type {kind}"
    if node.get("additionalItems", False) is not False:
        return "additionalItems other than false is not supported"
    return None


def ref_problem(node: dict[str, Any]) -> str | None:
    """Why a ``$ref`` node is not supported (only ``#/definitions/Name``, alone), or None."""
    extra = sorted(set(node) - {"$ref"} - ANNOTATIONS)
    if extra:
        return f"keyword {extra[0]!r} beside $ref is not supported"
    ref = node["$ref"]
    prefix = DEFINITIONS_PREFIX
    if not isinstance(ref, str) or not ref.startswith(prefix) or "/" in ref[len(prefix) :]:
        return f"unsupported $ref {ref!r} (only #/definitions/Name)"
    return None
