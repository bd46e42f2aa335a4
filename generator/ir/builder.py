"""Turn one version's loaded schemas into the IR, naming and de-duplicating types.

Rules: a ``definitions`` entry is named by its key; an inline object or enum is named from the
version's ``[type_names]`` table; types with one name must have one shape (descriptions aside),
and one shape under two names stays two types only when the table says so. Anything the
generator does not understand is an error naming the file and JSON pointer.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator import ir
from generator.errors import GeneratorError, json_pointer
from generator.ir.device_model import build_configuration, build_device_model
from generator.ir.docs import render_spec_docs
from generator.ir.naming import (
    class_name_problem,
    clean_doc,
    description_problem,
    enum_member_name,
    enum_member_problem,
    field_name_problem,
    snake_case,
)
from generator.ir.supported import (
    ALLOWED_KEYWORDS,
    STRING_FORMATS_WITHOUT_CHECK,
    keyword_problem,
    ref_problem,
)
from generator.schemas.loader import LoadedVersion, SchemaFile, draft06_integers
from generator.schemas.metadata import ToleranceMeta

Parts = tuple[str | int, ...]


@dataclass
class _NamedTypes:
    """Every named type of a version; one name, one shape."""

    enums: dict[str, ir.EnumDef] = field(default_factory=dict)
    objects: dict[str, ir.ObjectDef] = field(default_factory=dict)

    def add_enum(self, enum: ir.EnumDef) -> None:
        self._check_kind(enum.name, enum.source, self.objects)
        known = self.enums.setdefault(enum.name, enum)
        if known.shape() != enum.shape():
            raise _collision(enum.name, enum.source, known.source)

    def add_object(self, obj: ir.ObjectDef) -> None:
        self._check_kind(obj.name, obj.source, self.enums)
        known = self.objects.setdefault(obj.name, obj)
        if known.shape() != obj.shape():
            raise _collision(obj.name, obj.source, known.source)

    @staticmethod
    def _check_kind(name: str, source: str, other: dict[str, Any]) -> None:
        if name in other:
            raise _collision(name, source, other[name].source)


def _collision(name: str, source: str, other_source: str) -> GeneratorError:
    file, _, pointer = source.partition("#")
    return GeneratorError(
        f"name collision: {name!r} here differs from {name!r} at {other_source}", file, pointer
    )


def build_spec(loaded: LoadedVersion) -> ir.Spec:
    """Build the version's IR from its loaded schema files."""
    named = _NamedTypes()
    used_names: set[str] = set()
    messages: dict[tuple[str, ir.MessageKind], ir.Message] = {}
    for schema_file in loaded.files:
        message = _FileBuilder(loaded, schema_file, named, used_names).build_message()
        messages[(message.action, message.kind)] = message
    check_type_names_used(loaded.metadata.source, loaded.metadata.type_names, used_names)
    _check_roots(named, {m.type.name: m.schema_file for m in messages.values()})
    actions = _pair_actions(loaded, messages)
    names = [action.name for action in actions]
    spec = ir.Spec(
        version=loaded.info.folder,
        package=loaded.info.package,
        title=loaded.info.title,
        schema_digest=loaded.digest,
        error_codes=loaded.info.error_codes,
        roles=loaded.info.roles,
        rpc_error_code=loaded.info.rpc_error_code,
        message_type_error_code=loaded.info.message_type_error_code,
        has_send=loaded.info.has_send,
        profiles=_profiles(loaded, actions),
        enums=tuple(named.enums[name] for name in sorted(named.enums)),
        datatypes=tuple(named.objects[name] for name in sorted(named.objects)),
        actions=actions,
        device_model=build_device_model(loaded.catalogue, names, loaded.info.title),
        configuration=build_configuration(loaded.catalogue, names, loaded.info.title),
        enum_repairs=enum_repairs(loaded.metadata.tolerances, named.enums, loaded.metadata.source),
    )
    return render_spec_docs(spec)


def enum_repairs(meta: ToleranceMeta, enums: dict[str, ir.EnumDef], source: str) -> ir.EnumRepairs:
    """``[tolerances]`` checked against the version's enums: every enum named must exist and
    every member named must be one of its values (an alias must not be one already)."""

    def values(table: str, name: str) -> set[str]:
        enum = enums.get(name)
        if enum is None:
            pointer = json_pointer(("tolerances", table, name))
            raise GeneratorError(f"tolerances.{table}: no enum named {name!r}", source, pointer)
        return {member.value for member in enum.members}

    def member(table: str, name: str, value: str, key: str) -> str:
        if value not in values(table, name):
            pointer = json_pointer(
                ("tolerances", table, name, key) if key else ("tolerances", table, name)
            )
            raise GeneratorError(
                f"tolerances.{table}.{name}: {value!r} is not a member", source, pointer
            )
        return value

    aliases = []
    for name, spellings in sorted(meta.aliases.items()):
        known = values("aliases", name)
        for spelling in spellings:
            if spelling in known:
                pointer = json_pointer(("tolerances", "aliases", name, spelling))
                message = f"tolerances.aliases.{name}: {spelling!r} is a member already"
                raise GeneratorError(message, source, pointer)
        pairs = tuple((k, member("aliases", name, v, k)) for k, v in sorted(spellings.items()))
        aliases.append((name, pairs))
    return ir.EnumRepairs(
        catch_all=tuple(
            (name, member("catch_all", name, value, ""))
            for name, value in sorted(meta.catch_all.items())
        ),
        aliases=tuple(aliases),
        defaulted=tuple(
            name
            for name, value in sorted(meta.defaults.items())
            if member("defaults", name, value, "")
        ),
    )


def check_type_names_used(source: str, type_names: Collection[str], used: Collection[str]) -> None:
    """Every ``[type_names]`` entry must name an inline type the schemas have."""
    unused = sorted(set(type_names) - set(used))
    if unused:
        raise GeneratorError(
            f"[type_names] entry {unused[0]!r} matches no inline type",
            source,
            json_pointer(("type_names", unused[0])),
        )


def _check_roots(named: _NamedTypes, roots: dict[str, str]) -> None:
    """Root classes (name -> schema file) must not share a name with a named type."""
    for name in sorted(set(roots) & (set(named.objects) | set(named.enums))):
        clash = named.objects.get(name) or named.enums[name]
        raise _collision(name, clash.source, roots[name])


@dataclass(frozen=True)
class Payloads:
    """Root object types built under given names, and the named types they use."""

    roots: tuple[ir.ObjectDef, ...]
    enums: tuple[ir.EnumDef, ...]
    datatypes: tuple[ir.ObjectDef, ...]
    used_type_names: frozenset[str] = frozenset()
    """The ``[type_names]`` entries that named a type."""


def build_payloads(loaded: LoadedVersion, roots: tuple[tuple[SchemaFile, str], ...]) -> Payloads:
    """Build each schema file's root object as a class called as given (vendor payloads).

    Same rules as :func:`build_spec`: definitions are named types shared by shape, inline
    types are named by ``loaded.metadata.type_names``, anything unsupported is an error.
    """
    named = _NamedTypes()
    built = []
    used_names: set[str] = set()
    first: dict[str, str] = {}
    for schema_file, name in roots:
        if name in first:
            raise GeneratorError(
                f"class name {name!r} is given to two payloads (also to {first[name]}); "
                "give one another `name` in the manifest",
                schema_file.shown,
                "",
            )
        first[name] = schema_file.shown
        builder = _FileBuilder(loaded, schema_file, named, used_names)
        built.append(builder.build_root(name))
    _check_roots(named, {obj.name: obj.source.partition("#")[0] for obj in built})
    return Payloads(
        tuple(built),
        tuple(named.enums[name] for name in sorted(named.enums)),
        tuple(named.objects[name] for name in sorted(named.objects)),
        frozenset(used_names),
    )


def _pair_actions(
    loaded: LoadedVersion, messages: dict[tuple[str, ir.MessageKind], ir.Message]
) -> tuple[ir.Action, ...]:
    metadata = loaded.metadata
    names = sorted({action for action, _ in messages})
    unknown = sorted(set(metadata.actions) - set(names))
    if unknown:
        raise GeneratorError(
            f"actions.{unknown[0]}: no such action in the schemas", metadata.source
        )
    actions = []
    handler_names: dict[str, str] = {}
    for name in names:
        request = messages.get((name, "request"))
        response = messages.get((name, "response"))
        if request is None:
            assert response is not None
            raise GeneratorError(f"response of {name} has no request schema", response.schema_file)
        meta = metadata.actions.get(name)
        if meta is None:
            raise GeneratorError(
                f"action {name} has no entry in [actions] of {metadata.source}",
                request.schema_file,
            )
        if meta.kind == "SEND" and not loaded.info.has_send:
            raise GeneratorError(
                f"actions.{name}: {loaded.info.title} has no SEND", metadata.source
            )
        if response is None and meta.kind != "SEND":
            raise GeneratorError(f"request of {name} has no response schema", request.schema_file)
        if response is not None and meta.kind == "SEND":
            raise GeneratorError(
                f"SEND action {name} must not have a response", response.schema_file
            )
        handler = "on_" + snake_case(name)
        if handler in handler_names:
            raise GeneratorError(
                f"handler name {handler} of {name} collides with {handler_names[handler]}",
                metadata.source,
            )
        handler_names[handler] = name
        roles = loaded.info.roles
        initiated_by = roles if meta.initiator == "both" else (meta.initiator,)
        kind: ir.ActionKind = "SEND" if meta.kind == "SEND" else "CALL"
        actions.append(
            ir.Action(
                name, request, response, meta.profile, initiated_by, kind, handler, meta.source
            )
        )
    return tuple(actions)


def _profiles(loaded: LoadedVersion, actions: tuple[ir.Action, ...]) -> tuple[ir.Profile, ...]:
    profiles = []
    for meta in loaded.metadata.profiles.values():
        members = tuple(a.name for a in actions if a.profile == meta.name)
        if not members:
            raise GeneratorError(f"profiles.{meta.name}: has no actions", loaded.metadata.source)
        profiles.append(ir.Profile(meta.name, meta.letter, meta.description, members))
    return tuple(profiles)


class _FileBuilder:
    """Walks one schema file, adding its named types and returning its message."""

    def __init__(
        self,
        loaded: LoadedVersion,
        schema_file: SchemaFile,
        named: _NamedTypes,
        used_names: set[str],
    ) -> None:
        self.loaded = loaded
        self.file = schema_file
        self.named = named
        self.used_names = used_names
        self.building: set[str] = set()
        self.definition_types: dict[str, ir.TypeExpr] = {}

    def error(self, message: str, parts: Parts) -> GeneratorError:
        return GeneratorError(message, self.file.shown, json_pointer(parts))

    def build_message(self) -> ir.Message:
        action, kind = self._classify()
        suffix = "Request" if kind == "request" else "Response"
        message_type = self.build_root(action + suffix)
        summary = f"The {action} {kind} payload."
        doc = f"{summary}\n\n{message_type.doc}" if message_type.doc else summary
        return ir.Message(action, kind, replace(message_type, doc=doc), self.file.shown)

    def build_root(self, name: str) -> ir.ObjectDef:
        """The file's definitions, and its root object as the class ``name``."""
        document = self.file.document
        for definition in document.get("definitions", {}):
            self._definition(definition)
        if document.get("type") != "object":
            raise self.error("a message schema must have type object", ())
        return self._object(document, (), "", self._class_name(name, ()))

    def _classify(self) -> tuple[str, ir.MessageKind]:
        stem = self.file.stem
        if stem.endswith("Response") and len(stem) > len("Response"):
            return stem[: -len("Response")], "response"
        if stem.endswith("Request") and not self.loaded.info.bare_request_files:
            return stem[: -len("Request")], "request"
        if self.loaded.info.bare_request_files or self.loaded.info.has_send:
            return stem, "request"
        raise self.error("file name must end in Request.json or Response.json", ())

    def _definition(self, name: str) -> ir.TypeExpr:
        known = self.definition_types.get(name)
        if known is not None:
            return known
        parts: Parts = ("definitions", name)
        definitions = self.file.document.get("definitions", {})
        if name not in definitions:
            raise self.error(f"$ref to missing definition {name!r}", parts)
        if name in self.building:
            raise self.error(f"recursive type {name!r} is not supported", parts)
        self.building.add(name)
        type_expr = self._type(definitions[name], parts, f"definitions.{name}", name)
        self.building.discard(name)
        self.definition_types[name] = type_expr
        return type_expr

    def _type(self, node: Any, parts: Parts, location: str, name: str | None) -> ir.TypeExpr:
        """The type of a schema node; ``name`` is set for definitions and roots."""
        if not isinstance(node, dict):
            raise self.error("a property schema must be an object", parts)
        if "$ref" in node:
            return self._ref(node, parts)
        kind = node.get("type")
        if kind is not None and not isinstance(kind, str):
            raise self.error("a list of types is not supported", parts)
        if kind not in ALLOWED_KEYWORDS:
            raise self.error(f"unsupported type {kind!r}", parts)
        self._check_keywords(node, parts, kind)
        if kind == "object":
            type_name = self._type_name(name, location, parts)
            return ir.ObjectRef(self._object(node, parts, location, type_name).name)
        if kind == "array":
            return self._array(node, parts, location)
        if kind == "string":
            return self._string(node, parts, location, name)
        if kind == "integer":
            return ir.IntegerType(
                node.get("minimum"),
                node.get("maximum"),
                _decimal_text(node.get("multipleOf")),
                draft06_integers(self.file),
            )
        if kind == "number":
            return ir.NumberType(
                node.get("minimum"), node.get("maximum"), _decimal_text(node.get("multipleOf"))
            )
        if kind == "boolean":
            return ir.BooleanType()
        return ir.AnyType()

    def _ref(self, node: dict[str, Any], parts: Parts) -> ir.TypeExpr:
        problem = ref_problem(node)
        if problem is not None:
            raise self.error(problem, parts)
        return self._definition(node["$ref"].removeprefix("#/definitions/"))

    def _check_keywords(self, node: dict[str, Any], parts: Parts, kind: str | None) -> None:
        problem = keyword_problem(node, kind)
        if problem is not None:
            raise self.error(problem, parts)

    def _class_name(self, name: str, parts: Parts) -> str:
        """``name`` (of a definition or a root) when it can be a class, else an error here."""
        problem = class_name_problem(name)
        if problem is not None:
            raise self.error(problem, parts)
        return name

    def _type_name(self, name: str | None, location: str, parts: Parts) -> str:
        """The class name of an object or enum: its own (a definition's), else the inline
        type's from ``[type_names]``."""
        return self._class_name(name, parts) if name else self._inline_name(location, parts)

    def _inline_name(self, location: str, parts: Parts) -> str:
        key = f"{self.file.stem}:{location}"
        metadata = self.loaded.metadata
        name = metadata.type_names.get(key)
        if name is None:
            raise self.error(
                f"inline type has no name: add {key!r} to [type_names] in {metadata.source}",
                parts,
            )
        problem = class_name_problem(name)
        if problem is not None:
            raise GeneratorError(problem, metadata.source, json_pointer(("type_names", key)))
        self.used_names.add(key)
        return name

    def _doc(self, node: Any, parts: Parts) -> str:
        """The node's description, cleaned (empty when it has none)."""
        text = node.get("description") if isinstance(node, dict) else None
        problem = None if not isinstance(text, str) else description_problem(text)
        if problem is not None:
            raise self.error(problem, (*parts, "description"))
        return clean_doc(text)

    def _string(
        self, node: dict[str, Any], parts: Parts, location: str, name: str | None
    ) -> ir.TypeExpr:
        if "enum" in node:
            return ir.EnumRef(self._enum(node, parts, self._type_name(name, location, parts)))
        fmt = node.get("format")
        if fmt == "date-time":
            return ir.DateTimeType()
        if fmt is not None and fmt not in STRING_FORMATS_WITHOUT_CHECK:
            raise self.error(f"unsupported format {fmt!r}", parts)
        return ir.StringType(node.get("minLength"), node.get("maxLength"))

    def _enum(self, node: dict[str, Any], parts: Parts, name: str) -> str:
        values = node["enum"]
        if not all(isinstance(v, str) for v in values) or len(set(values)) != len(values):
            raise self.error("enum values must be distinct strings", (*parts, "enum"))
        members: dict[str, str] = {}
        for index, value in enumerate(values):
            member = enum_member_name(value)
            problem = enum_member_problem(value, member, members)
            if problem is not None:
                raise self.error(problem, (*parts, "enum", index))
            members[member] = value
        source = f"{self.file.shown}#{json_pointer(parts)}"
        description = self._doc(node, parts)
        enum = ir.EnumDef(
            name,
            tuple(ir.EnumMember(m, v) for m, v in members.items()),
            description or f"Values of {name}.",
            source,
            description,
        )
        self.named.add_enum(enum)
        return name

    def _array(self, node: dict[str, Any], parts: Parts, location: str) -> ir.TypeExpr:
        if "items" not in node:
            raise self.error("an array needs items", parts)
        items = self._type(node["items"], (*parts, "items"), location + "[]", None)
        return ir.ArrayType(items, node.get("minItems"), node.get("maxItems"))

    def _object(self, node: dict[str, Any], parts: Parts, location: str, name: str) -> ir.ObjectDef:
        self._check_keywords(node, parts, "object")
        if "definitions" in node and parts:
            raise self.error("nested definitions are not supported", parts)
        properties = node.get("properties", {})
        required = node.get("required", [])
        missing = sorted(set(required) - set(properties))
        if missing:
            raise self.error(f"required property {missing[0]!r} is not defined", parts)
        additional = node.get("additionalProperties", True)
        if not isinstance(additional, bool):
            raise self.error("additionalProperties must be true or false", parts)
        fields = []
        for json_name, prop in properties.items():
            prop_parts = (*parts, "properties", json_name)
            prop_location = f"{location}/{json_name}" if location else json_name
            prop_type = self._type(prop, prop_parts, prop_location, None)
            description = self._doc(prop, prop_parts)
            fields.append(
                ir.Field(
                    json_name,
                    snake_case(json_name),
                    prop_type,
                    json_name in required,
                    description,
                    description,
                )
            )
        ordered = tuple([f for f in fields if f.required] + [f for f in fields if not f.required])
        self._check_field_names(ordered, additional, parts)
        source = f"{self.file.shown}#{json_pointer(parts)}"
        description = self._doc(node, parts)
        doc = description
        if parts and not doc:
            doc = f"The {name} type of {Path(self.file.shown).name}."
        obj = ir.ObjectDef(name, ordered, additional, doc, source, description)
        if parts:
            self.named.add_object(obj)
        return obj

    def _check_field_names(self, fields: tuple[ir.Field, ...], extra: bool, parts: Parts) -> None:
        seen: dict[str, str] = {}
        for f in fields:
            problem = field_name_problem(f.json_name, f.py_name, seen, extra)
            if problem is not None:
                raise self.error(problem, (*parts, "properties", f.json_name))
            seen[f.py_name] = f.json_name


def _decimal_text(value: Any) -> str | None:
    """``multipleOf`` as exact decimal text (``repr`` of a float is its shortest form)."""
    return None if value is None else repr(value)
