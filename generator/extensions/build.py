"""Build the IR of a vendor extension for one OCPP version, through the standard builder.

Vendor payloads become classes exactly like the standard messages (same naming, same
validation); nothing may collide with the version's own classes, actions or handler methods.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from generator import ir
from generator.errors import GeneratorError
from generator.extensions.catalogue import vendor_catalogues
from generator.extensions.load import ActionEntry, CustomDataEntry, DataTransferEntry, Extension
from generator.ir.builder import Payloads, build_payloads, check_type_names_used
from generator.ir.docs import render_spec_docs
from generator.ir.naming import RESERVED_CLASS_NAMES, snake_case
from generator.schemas.loader import LoadedVersion, SchemaFile
from generator.schemas.metadata import Metadata
from generator.schemas.versions import VERSIONS

RESERVED_FUNCTION_NAMES = frozenset({"read_custom_data", "write_custom_data"})
"""What ``custom_data.py`` imports from the runtime beside the vendor's functions."""


@dataclass(frozen=True)
class _Built:
    """One version of an extension, and what its build used of ``[type_names]``."""

    spec: ir.ExtensionSpec
    used_type_names: frozenset[str]
    stems: frozenset[str]
    """The stems of the schema files built (``[type_names]`` keys start with one)."""


def _build_version(extension: Extension, standard: ir.Spec) -> _Built:
    """The extension's IR for the version of ``standard``."""
    version = standard.version
    transfers = [t for t in extension.data_transfers if version in t.versions]
    custom = [c for c in extension.custom_data if version in c.versions]
    actions = [a for a in extension.actions if version in a.versions]
    roots: list[tuple[SchemaFile, str]] = []
    for transfer in transfers:
        for side, relative in (("Request", transfer.request), ("Response", transfer.response)):
            if relative is not None:
                roots.append((extension.schemas[relative], transfer.name + side))
    roots += [(extension.schemas[c.schema], c.name) for c in custom]
    for action in actions:
        for side, relative in (("Request", action.request), ("Response", action.response)):
            if relative is not None:
                roots.append((extension.schemas[relative], action.name + side))
    _check_lengths(extension, transfers, bool(custom), standard)
    for entry in actions:
        if entry.name in {a.name for a in standard.actions}:
            raise GeneratorError(
                f"custom action {entry.name} collides with the {standard.title} action "
                "of that name",
                extension.source,
                entry.where + "/name",
            )
    metadata = Metadata(extension.source, extension.type_names, (), {}, {})
    loaded = LoadedVersion(VERSIONS[version], tuple(f for f, _ in roots), metadata, "")
    payloads = build_payloads(loaded, tuple(roots))
    built = {obj.name: obj for obj in payloads.roots}
    _check_class_names(payloads, standard)
    handlers = {a.handler_name: f"the standard action {a.name}" for a in standard.actions}
    vendor_actions = tuple(
        _action(extension, entry, built, standard, handlers) for entry in actions
    )
    messages = tuple(_message(extension, entry, built, standard, handlers) for entry in transfers)
    custom_data = tuple(_custom_data(extension, entry, built, standard) for entry in custom)
    profiles: tuple[ir.Profile, ...] = ()
    if vendor_actions:
        names = tuple(a.name for a in vendor_actions)
        profiles = (ir.Profile(extension.name, None, f"{extension.name} custom actions", names),)
    device_model, configuration = vendor_catalogues(extension.catalogue, standard)
    spec = replace(
        standard,
        profiles=profiles,
        enums=payloads.enums,
        datatypes=payloads.datatypes,
        actions=vendor_actions,
        device_model=device_model,
        configuration=configuration,
    )
    _check_function_names(extension, messages, custom_data)
    schemas = {name: schema_file.document for schema_file, name in roots}
    built_spec = ir.ExtensionSpec(
        extension.name,
        extension.package,
        extension.vendor_id,
        render_spec_docs(spec),
        standard,
        messages,
        custom_data,
        dict(schemas),
        extension.source,
    )
    stems = frozenset(schema_file.stem for schema_file, _ in roots)
    return _Built(built_spec, payloads.used_type_names, stems)


def _max_length(spec: ir.Spec, type_name: str, json_name: str) -> int | None:
    """The ``maxLength`` of a string field of a standard type or message (None: no limit)."""
    types = {o.name: o for o in spec.datatypes} | {m.type.name: m.type for m in spec.messages}
    found = types.get(type_name)
    for f in found.fields if found is not None else ():
        if f.json_name == json_name and isinstance(f.type, ir.StringType):
            return f.type.max_length
    return None


def _check_lengths(
    extension: Extension,
    transfers: list[DataTransferEntry],
    has_custom_data: bool,
    standard: ir.Spec,
) -> None:
    """Vendor and message ids must fit the standard fields they are sent in, or every
    ``pack()`` would fail."""
    request = "DataTransferRequest"
    checks: list[tuple[str, str, str, str]] = []
    for entry in transfers:
        own = entry.vendor_id != extension.vendor_id
        where = entry.where + "/vendor_id" if own else "/vendor_id"
        checks.append((entry.vendor_id, where, request, "vendorId"))
        checks.append((entry.message_id, entry.where + "/message_id", request, "messageId"))
    if has_custom_data:
        checks.append((extension.vendor_id, "/vendor_id", "CustomDataType", "vendorId"))
    for value, where, type_name, json_name in checks:
        limit = _max_length(standard, type_name, json_name)
        if limit is not None and len(value) > limit:
            raise GeneratorError(
                f"{where.rsplit('/', 1)[-1]} has {len(value)} characters: the {standard.title} "
                f"{type_name} {json_name} allows at most {limit}",
                extension.source,
                where,
            )


def standard_names(spec: ir.Spec) -> set[str]:
    """Every class name of a standard version."""
    names = {e.name for e in spec.enums} | {o.name for o in spec.datatypes}
    return names | {m.type.name for m in spec.messages}


def _check_class_names(payloads: Payloads, standard: ir.Spec) -> None:
    taken = standard_names(standard)
    objects: list[ir.ObjectDef | ir.EnumDef] = [*payloads.roots, *payloads.enums]
    for obj in [*objects, *payloads.datatypes]:
        if obj.name in taken:
            file, _, pointer = obj.source.partition("#")
            raise GeneratorError(
                f"class name {obj.name!r} collides with the {standard.title} class of that name",
                file,
                pointer,
            )


def _check_function_names(
    extension: Extension,
    messages: tuple[ir.VendorMessage, ...],
    custom_data: tuple[ir.CustomDataExtension, ...],
) -> None:
    """The registry's per-message constants and the customData functions must be unique and
    not take a name the generated modules bind themselves."""
    seen: dict[str, str] = {}
    for name, source in (
        *((snake_case(m.name).upper(), m.source) for m in messages),
        *((n, c.source) for c in custom_data for n in (c.read_name, c.write_name)),
    ):
        file, _, pointer = source.partition("#")
        if name in RESERVED_CLASS_NAMES or name in RESERVED_FUNCTION_NAMES:
            raise GeneratorError(
                f"the generated name {name} is one the generated modules use themselves: "
                "choose another name",
                file,
                pointer,
            )
        if name in seen:
            raise GeneratorError(
                f"the generated name {name} is also generated for {seen[name]}", file, pointer
            )
        seen[name] = pointer


def _claim_handler(
    extension: Extension, handlers: dict[str, str], name: str, what: str, where: str
) -> str:
    handler = "on_" + snake_case(name)
    if handler in handlers:
        raise GeneratorError(
            f"handler {handler} of {what} collides with {handlers[handler]}",
            extension.source,
            where,
        )
    handlers[handler] = what
    return handler


def _action(
    extension: Extension,
    entry: ActionEntry,
    built: dict[str, ir.ObjectDef],
    standard: ir.Spec,
    handlers: dict[str, str],
) -> ir.Action:
    handler = _claim_handler(
        extension, handlers, entry.name, f"the custom action {entry.name}", entry.where
    )
    request_type = built[entry.name + "Request"]
    request = ir.Message(
        entry.name, "request", request_type, extension.schemas[entry.request].shown
    )
    response = None
    if entry.response is not None:
        schema = extension.schemas[entry.response].shown
        response = ir.Message(entry.name, "response", built[entry.name + "Response"], schema)
    roles = standard.roles
    initiated_by = {"ChargingStation": (roles[0],), "CSMS": (roles[1],), "both": roles}
    kind: ir.ActionKind = "SEND" if entry.kind == "SEND" else "CALL"
    return ir.Action(
        entry.name,
        request,
        response,
        extension.name,
        initiated_by[entry.initiator],
        kind,
        handler,
        f"{extension.source}#{entry.where}",
    )


def _message(
    extension: Extension,
    entry: DataTransferEntry,
    built: dict[str, ir.ObjectDef],
    standard: ir.Spec,
    handlers: dict[str, str],
) -> ir.VendorMessage:
    what = f"the DataTransfer message {entry.message_id}"
    handler = _claim_handler(extension, handlers, entry.name, what, entry.where)
    if entry.data == "string":
        data: ir.VendorData = "string"
    else:
        data = "json_text" if standard.version == "1.6" else "object"
    return ir.VendorMessage(
        entry.vendor_id,
        entry.message_id,
        entry.name,
        handler,
        data,
        built.get(entry.name + "Request") if entry.request else None,
        built.get(entry.name + "Response") if entry.response else None,
        entry.data == "string" or entry.response is not None,
        f"{extension.source}#{entry.where}",
    )


def _custom_data(
    extension: Extension,
    entry: CustomDataEntry,
    built: dict[str, ir.ObjectDef],
    standard: ir.Spec,
) -> ir.CustomDataExtension:
    targets = {o.name: o for o in standard.datatypes} | {
        m.type.name: m.type for m in standard.messages
    }
    target = targets.get(entry.target)
    if target is None or "customData" not in {f.json_name for f in target.fields}:
        raise GeneratorError(
            f"{entry.target!r} is no {standard.title} type or message with customData",
            extension.source,
            entry.where + "/target",
        )
    snake = snake_case(entry.name)
    return ir.CustomDataExtension(
        entry.target,
        built[entry.name],
        f"read_{snake}",
        f"write_{snake}",
        f"{extension.source}#{entry.where}",
    )


def check_together(specs: list[ir.ExtensionSpec]) -> None:
    """Extensions generated together must not share packages, classes, actions or messages."""
    packages: dict[str, str] = {}
    names: dict[tuple[str, str], str] = {}
    keys: dict[tuple[str, str, str], str] = {}
    for spec in specs:
        if packages.setdefault(spec.package, spec.source) != spec.source:
            raise GeneratorError(
                f"two extensions generate the package {spec.package}", spec.package
            )
        version = spec.spec.version
        classes: list[ir.ObjectDef | ir.EnumDef] = [*spec.payloads, *spec.spec.enums]
        classes += spec.spec.datatypes
        for obj in classes:
            other = names.setdefault((version, obj.name), spec.package)
            if other != spec.package:
                file, _, pointer = obj.source.partition("#")
                raise GeneratorError(
                    f"class name {obj.name!r} is also generated by the extension {other}",
                    file,
                    pointer,
                )
        for action in spec.spec.actions:
            other = names.setdefault((version, "action " + action.name), spec.package)
            if other != spec.package:
                file, _, pointer = action.source.partition("#")
                raise GeneratorError(
                    f"custom action {action.name} is also defined by the extension {other}",
                    file,
                    pointer + "/name",
                )
        for message in spec.data_transfers:
            other = keys.setdefault((version, message.vendor_id, message.message_id), spec.package)
            if other != spec.package:
                file, _, pointer = message.source.partition("#")
                raise GeneratorError(
                    f"DataTransfer {(message.vendor_id, message.message_id)} is also defined by "
                    f"the extension {other}",
                    file,
                    pointer,
                )


def build_extensions(
    extensions: list[Extension], standards: tuple[ir.Spec, ...]
) -> list[tuple[ir.ExtensionSpec, ...]]:
    """Every extension's IR, one spec per targeted version, checked against each other."""
    by_version = {spec.version: spec for spec in standards}
    built: list[tuple[ir.ExtensionSpec, ...]] = []
    for extension in extensions:
        versions = [version for version in extension.versions if version in by_version]
        if not versions:
            targeted = ", ".join(extension.versions)
            raise extension.error(
                f"none of the extension's versions ({targeted}) is among the versions generated",
                "versions",
            )
        versions_built = [_build_version(extension, by_version[v]) for v in versions]
        _check_type_names(extension, versions_built)
        built.append(tuple(one.spec for one in versions_built))
    check_together([spec for specs in built for spec in specs])
    return built


def _check_type_names(extension: Extension, built: list[_Built]) -> None:
    """Every ``[type_names]`` entry must name a type, as in the standard build. An entry for a
    schema built only for versions not generated now cannot be judged, and is left."""
    stems = {schema.stem for schema in extension.schemas.values()}
    built_stems = frozenset().union(*(one.stems for one in built))
    used = frozenset().union(*(one.used_type_names for one in built))
    judged = [
        key
        for key in extension.type_names
        if key.partition(":")[0] in built_stems or key.partition(":")[0] not in stems
    ]
    check_type_names_used(extension.source, judged, used)
