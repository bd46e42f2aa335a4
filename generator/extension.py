"""Read a vendor extension folder: ``ocppgen-extension.toml`` and its draft-06 JSON schemas.

Every problem is a :class:`GeneratorError` naming the file and a JSON pointer (into the
manifest's data for the TOML file, into the schema for a schema file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import toml as tomllib
from generator.errors import GeneratorError, json_pointer
from generator.layout import check_package_name
from generator.versions import VERSIONS

if TYPE_CHECKING:  # the loader imports jsonschema: only a generation needs it
    from generator.loader import SchemaFile

MANIFEST = "ocppgen-extension.toml"
TOP_KEYS = frozenset(
    {"package", "vendor_id", "name", "versions", "type_names", "data_transfer", "custom_data"}
    | {"action"}
)
INITIATORS = ("ChargingStation", "CSMS", "both")
CUSTOM_DATA_VERSIONS = ("2.0.1", "2.1")


@dataclass(frozen=True)
class DataTransferEntry:
    """A ``[[data_transfer]]`` entry: a vendor message and the schemas of its data."""

    vendor_id: str
    message_id: str
    name: str
    request: str | None
    response: str | None
    data: str
    """``json`` or ``string`` (1.6 only)."""
    versions: tuple[str, ...]
    where: str


@dataclass(frozen=True)
class CustomDataEntry:
    """A ``[[custom_data]]`` entry: the vendor's properties in a standard type's customData."""

    target: str
    name: str
    schema: str
    versions: tuple[str, ...]
    where: str


@dataclass(frozen=True)
class ActionEntry:
    """An ``[[action]]`` entry: a custom action."""

    name: str
    initiator: str
    kind: str
    request: str
    response: str | None
    versions: tuple[str, ...]
    where: str


@dataclass(frozen=True)
class Extension:
    """A loaded extension folder."""

    folder: Path
    source: str
    """The manifest file, for error messages."""
    package: str
    vendor_id: str
    name: str
    versions: tuple[str, ...]
    type_names: dict[str, str]
    data_transfers: tuple[DataTransferEntry, ...]
    custom_data: tuple[CustomDataEntry, ...]
    actions: tuple[ActionEntry, ...]
    schemas: dict[str, SchemaFile]
    """Relative schema path (as the manifest writes it) -> the parsed schema."""

    def error(self, message: str, *parts: str | int) -> GeneratorError:
        """An error at a place in the manifest."""
        return GeneratorError(message, self.source, json_pointer(parts))


def pascal_name(text: str) -> str:
    """``get-diagnostics.v2`` -> ``GetDiagnosticsV2``; an identifier's first letter upper."""
    words = [w for w in re.split(r"[^0-9A-Za-z]+", text) if w]
    return "".join(w[:1].upper() + w[1:] for w in words)


def manifest_files(folder: Path) -> list[Path]:
    """The manifest and every ``*.json`` under the folder: what a generation reads."""
    found = [folder / MANIFEST] if (folder / MANIFEST).is_file() else []
    return found + sorted(p for p in folder.rglob("*.json") if p.is_file())


def read_package_name(folder: Path) -> str | None:
    """The manifest's package name without further checks (None when unreadable)."""
    try:
        data = tomllib.loads((folder / MANIFEST).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    package = data.get("package")
    return package if isinstance(package, str) else None


def load_extension(folder: Path) -> Extension:
    """Read and check an extension folder (schemas included)."""
    path = folder / MANIFEST
    source = str(path)
    if not folder.is_dir():
        raise GeneratorError("extension folder not found", str(folder))
    if not path.is_file():
        raise GeneratorError(f"no {MANIFEST} in the extension folder", source)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GeneratorError(f"malformed manifest: {exc}", source) from None
    return _Reader(folder, source, data).extension()


class _Reader:
    """Checks the manifest's data, entry by entry."""

    def __init__(self, folder: Path, source: str, data: dict[str, Any]) -> None:
        self.folder = folder
        self.source = source
        self.data = data
        self.schemas: dict[str, SchemaFile] = {}

    def error(self, message: str, *parts: str | int) -> GeneratorError:
        return GeneratorError(message, self.source, json_pointer(parts))

    def text(self, table: dict[str, Any], key: str, *parts: str | int) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value:
            raise self.error(f"{key} must be a non-empty string", *parts, key)
        return value

    def optional_text(self, table: dict[str, Any], key: str, *parts: str | int) -> str | None:
        return self.text(table, key, *parts) if key in table else None

    def extension(self) -> Extension:
        data = self.data
        unknown = sorted(set(data) - TOP_KEYS)
        if unknown:
            raise self.error(f"unknown key {unknown[0]!r}", unknown[0])
        package = self.text(data, "package")
        try:
            check_package_name(package, self.source)
        except GeneratorError as exc:
            raise self.error(exc.message, "package") from None
        vendor_id = self.text(data, "vendor_id")
        name = self.optional_text(data, "name") or pascal_name(package.rsplit(".", 1)[-1])
        if not name.isidentifier() or not name[0].isupper():
            raise self.error(f"name {name!r} must be a PascalCase identifier", "name")
        versions = self.versions(data, VERSIONS, ())
        if not versions:
            raise self.error("versions must name at least one OCPP version", "versions")
        type_names = data.get("type_names", {})
        if not isinstance(type_names, dict) or not all(
            isinstance(v, str) for v in type_names.values()
        ):
            raise self.error("[type_names] must map locations to type names", "type_names")
        transfers = tuple(
            self.data_transfer(entry, index, vendor_id, versions)
            for index, entry in enumerate(self.entries("data_transfer"))
        )
        seen: dict[tuple[str, str], str] = {}
        for entry in transfers:
            key = (entry.vendor_id, entry.message_id)
            if key in seen:
                raise GeneratorError(
                    f"duplicate DataTransfer (vendorId, messageId) {key} (first at {seen[key]})",
                    self.source,
                    entry.where,
                )
            seen[key] = entry.where
        custom = tuple(
            self.custom_data(entry, index, versions)
            for index, entry in enumerate(self.entries("custom_data"))
        )
        targets: dict[tuple[str, str], str] = {}
        for extension in custom:
            for version in extension.versions:
                first = targets.setdefault((version, extension.target), extension.where)
                if first != extension.where:
                    raise GeneratorError(
                        f"a second customData extension of {extension.target} for OCPP "
                        f"{version} (first at {first})",
                        self.source,
                        extension.where,
                    )
        actions = tuple(
            self.action(entry, index, versions)
            for index, entry in enumerate(self.entries("action"))
        )
        if not (transfers or custom or actions):
            raise self.error("the extension defines nothing (data_transfer, custom_data, action)")
        return Extension(
            self.folder,
            self.source,
            package,
            vendor_id,
            name,
            versions,
            dict(type_names),
            transfers,
            custom,
            actions,
            dict(self.schemas),
        )

    def entries(self, key: str) -> list[dict[str, Any]]:
        raw = self.data.get(key, [])
        if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
            raise self.error(f"{key} must be an array of tables ([[{key}]])", key)
        return raw

    def versions(
        self, table: dict[str, Any], allowed: Any, parts: tuple[str | int, ...]
    ) -> tuple[str, ...]:
        raw = table.get("versions", list(allowed))
        if not isinstance(raw, list):
            raise self.error("versions must be an array of strings", *parts, "versions")
        for index, version in enumerate(raw):
            if not isinstance(version, str) or version not in VERSIONS:
                known = ", ".join(VERSIONS)
                raise self.error(
                    f"unknown OCPP version {version!r} (known: {known})", *parts, "versions", index
                )
            if version not in allowed:
                raise self.error(
                    f"version {version} is not one of the extension's versions",
                    *parts,
                    "versions",
                    index,
                )
        return tuple(v for v in VERSIONS if v in raw)

    def check_keys(self, entry: dict[str, Any], keys: set[str], *parts: str | int) -> None:
        unknown = sorted(set(entry) - keys)
        if unknown:
            raise self.error(f"unknown key {unknown[0]!r}", *parts, unknown[0])

    def schema(self, entry: dict[str, Any], key: str, *parts: str | int) -> str | None:
        """Read and check the schema file an entry names (None when the key is absent)."""
        relative = self.optional_text(entry, key, *parts)
        if relative is None:
            return None
        if relative not in self.schemas:
            from generator.loader import DRAFT_06, parse_schema

            path = self.folder / relative
            if not path.resolve().is_relative_to(self.folder.resolve()):
                raise self.error(
                    f"schema {relative!r} is outside the extension folder", *parts, key
                )
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise self.error(
                    f"cannot read schema {relative!r}: {exc.strerror}", *parts, key
                ) from None
            schema_file = parse_schema(str(path), path.name, data)
            if schema_file.draft != DRAFT_06:
                raise GeneratorError("extension schemas must be draft-06", str(path), "/$schema")
            if schema_file.document.get("type") != "object":
                raise GeneratorError("a payload schema must have type object", str(path), "")
            self.schemas[relative] = schema_file
        return relative

    def data_transfer(
        self, entry: dict[str, Any], index: int, vendor_id: str, versions: tuple[str, ...]
    ) -> DataTransferEntry:
        parts = ("data_transfer", index)
        keys = {"vendor_id", "message_id", "name", "request", "response", "data", "versions"}
        self.check_keys(entry, keys, *parts)
        message_id = self.text(entry, "message_id", *parts)
        name = self.optional_text(entry, "name", *parts) or pascal_name(message_id)
        if not name.isidentifier() or not name[0].isupper():
            raise self.error(
                f"{message_id!r} gives no class name: set name to a PascalCase identifier",
                *parts,
                "name" if "name" in entry else "message_id",
            )
        data = entry.get("data", "json")
        if data not in ("json", "string"):
            raise self.error('data must be "json" or "string"', *parts, "data")
        own_versions = self.versions(entry, versions, parts)
        if data == "string" and own_versions != ("1.6",):
            raise self.error(
                'data = "string" is for OCPP 1.6 only: set versions = ["1.6"]', *parts, "data"
            )
        if data == "string":
            for key in ("request", "response"):
                if key in entry:
                    raise self.error('a plain string (data = "string") has no schema', *parts, key)
        elif "request" not in entry:
            raise self.error("request (the schema of the request data) is missing", *parts)
        return DataTransferEntry(
            self.optional_text(entry, "vendor_id", *parts) or vendor_id,
            message_id,
            name,
            self.schema(entry, "request", *parts),
            self.schema(entry, "response", *parts),
            data,
            own_versions,
            json_pointer(parts),
        )

    def custom_data(
        self, entry: dict[str, Any], index: int, versions: tuple[str, ...]
    ) -> CustomDataEntry:
        parts = ("custom_data", index)
        self.check_keys(entry, {"target", "name", "schema", "versions"}, *parts)
        target = self.text(entry, "target", *parts)
        name = self.optional_text(entry, "name", *parts) or (
            target.removesuffix("Type") + "CustomData"
        )
        if not name.isidentifier():
            raise self.error(f"name {name!r} is not an identifier", *parts, "name")
        allowed = tuple(v for v in versions if v in CUSTOM_DATA_VERSIONS)
        listed = entry.get("versions")
        if isinstance(listed, list) and "1.6" in listed:
            raise self.error("OCPP 1.6 has no customData", *parts, "versions", listed.index("1.6"))
        own_versions = self.versions(entry, allowed, parts)
        if not own_versions:
            raise self.error("customData needs OCPP 2.0.1 or 2.1 among the versions", *parts)
        schema = self.schema(entry, "schema", *parts)
        if schema is None:
            raise self.error("schema is missing", *parts)
        if "vendorId" in self.schemas[schema].document.get("properties", {}):
            raise GeneratorError(
                "vendorId is the standard customData property: leave it out",
                self.schemas[schema].shown,
                "/properties/vendorId",
            )
        return CustomDataEntry(target, name, schema, own_versions, json_pointer(parts))

    def action(self, entry: dict[str, Any], index: int, versions: tuple[str, ...]) -> ActionEntry:
        parts = ("action", index)
        keys = {"name", "initiator", "kind", "request", "response", "versions"}
        self.check_keys(entry, keys, *parts)
        name = self.text(entry, "name", *parts)
        if not name.isidentifier() or not name[0].isupper():
            raise self.error(
                f"action name {name!r} must be a PascalCase identifier", *parts, "name"
            )
        initiator = entry.get("initiator")
        if initiator not in INITIATORS:
            raise self.error(
                f"initiator must be one of {', '.join(INITIATORS)}", *parts, "initiator"
            )
        kind = entry.get("kind", "CALL")
        if kind not in ("CALL", "SEND"):
            raise self.error("kind must be CALL or SEND", *parts, "kind")
        own_versions = self.versions(entry, versions, parts)
        if kind == "SEND":
            if "response" in entry:
                raise self.error("a SEND action has no response", *parts, "response")
            if own_versions != ("2.1",):
                raise self.error('SEND exists in OCPP 2.1 only: set versions = ["2.1"]', *parts)
        elif "response" not in entry:
            raise self.error("response (the schema of the response) is missing", *parts)
        request = self.schema(entry, "request", *parts)
        if request is None:
            raise self.error("request (the schema of the request) is missing", *parts)
        response = self.schema(entry, "response", *parts)
        return ActionEntry(
            name, initiator, kind, request, response, own_versions, json_pointer(parts)
        )
