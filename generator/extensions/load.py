"""Read a vendor extension folder: ``ocppgen-extension.toml`` and its draft-06 JSON schemas.

Every problem is a :class:`GeneratorError` naming the file and a JSON pointer (into the
manifest's data for the TOML file, into the schema for a schema file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import toml as tomllib
from generator.errors import GeneratorError, json_pointer
from generator.extensions.catalogue import ExtensionCatalogue, read_catalogue
from generator.extensions.fields import ManifestFields
from generator.extensions.schema_files import SchemaFiles
from generator.output.layout import check_package_name
from generator.schemas.versions import VERSIONS

if TYPE_CHECKING:  # the loader imports jsonschema: only a generation needs it
    from generator.schemas.loader import SchemaFile

EXTENSION_FILE = "ocppgen-extension.toml"
TOP_KEYS = frozenset(
    {"package", "vendor_id", "name", "versions", "type_names", "data_transfer", "custom_data"}
    | {"action", "device_model", "configuration"}
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
    catalogue: ExtensionCatalogue = field(default_factory=ExtensionCatalogue)
    """The vendor's device-model components and variables, and 1.6 keys."""

    def error(self, message: str, *parts: str | int) -> GeneratorError:
        """An error at a place in the manifest."""
        return GeneratorError(message, self.source, json_pointer(parts))


def pascal_name(text: str) -> str:
    """``get-diagnostics.v2`` -> ``GetDiagnosticsV2``; an identifier's first letter upper."""
    words = [w for w in re.split(r"[^0-9A-Za-z]+", text) if w]
    return "".join(w[:1].upper() + w[1:] for w in words)


def manifest_files(folder: Path) -> list[Path]:
    """The manifest and every ``*.json`` under the folder: what a generation reads."""
    found = [folder / EXTENSION_FILE] if (folder / EXTENSION_FILE).is_file() else []
    files = [*folder.rglob("*.json"), *folder.rglob("*.csv")]
    return found + sorted(p for p in files if p.is_file())


def read_package_name(folder: Path) -> str | None:
    """The manifest's package name without further checks (None when unreadable)."""
    try:
        data = tomllib.loads((folder / EXTENSION_FILE).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    package = data.get("package")
    return package if isinstance(package, str) else None


def load_extension(folder: Path) -> Extension:
    """Read and check an extension folder (schemas included)."""
    path = folder / EXTENSION_FILE
    source = str(path)
    if not folder.is_dir():
        raise GeneratorError("extension folder not found", str(folder))
    if not path.is_file():
        raise GeneratorError(f"no {EXTENSION_FILE} in the extension folder", source)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GeneratorError(f"malformed manifest: {exc}", source) from None
    return _Reader(folder, source, data).extension()


class _Reader:
    """Checks the manifest's data, entry by entry, and the entries against each other."""

    def __init__(self, folder: Path, source: str, data: dict[str, Any]) -> None:
        self.folder = folder
        self.source = source
        self.data = data
        self.fields = ManifestFields(source, data)
        self.schemas = SchemaFiles(folder, self.fields)

    def extension(self) -> Extension:
        data = self.data
        unknown = sorted(set(data) - TOP_KEYS)
        if unknown:
            raise self.fields.error(f"unknown key {unknown[0]!r}", unknown[0])
        package = self.fields.text(data, "package")
        try:
            check_package_name(package, self.source)
        except GeneratorError as exc:
            raise self.fields.error(exc.message, "package") from None
        vendor_id = self.fields.text(data, "vendor_id")
        name = self.fields.optional_text(data, "name") or pascal_name(package.rsplit(".", 1)[-1])
        if not name.isidentifier() or not name[0].isupper():
            raise self.fields.error(f"name {name!r} must be a PascalCase identifier", "name")
        versions = self.fields.versions(data, VERSIONS, ())
        if not versions:
            raise self.fields.error("versions must name at least one OCPP version", "versions")
        type_names = data.get("type_names", {})
        if not isinstance(type_names, dict) or not all(
            isinstance(v, str) for v in type_names.values()
        ):
            raise self.fields.error("[type_names] must map locations to type names", "type_names")
        transfers = tuple(
            self.data_transfer(entry, index, vendor_id, versions)
            for index, entry in enumerate(self.fields.entries("data_transfer"))
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
            for index, entry in enumerate(self.fields.entries("custom_data"))
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
            for index, entry in enumerate(self.fields.entries("action"))
        )
        catalogue = read_catalogue(self.folder, self.fields, versions)
        if not (transfers or custom or actions) and catalogue.empty:
            raise self.fields.error(
                "the extension defines nothing (data_transfer, custom_data, action, "
                "device_model, configuration)"
            )
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
            dict(self.schemas.files),
            catalogue,
        )

    def data_transfer(
        self, entry: dict[str, Any], index: int, vendor_id: str, versions: tuple[str, ...]
    ) -> DataTransferEntry:
        parts = ("data_transfer", index)
        keys = {"vendor_id", "message_id", "name", "request", "response", "data", "versions"}
        self.fields.check_keys(entry, keys, *parts)
        message_id = self.fields.text(entry, "message_id", *parts)
        name = self.fields.optional_text(entry, "name", *parts) or pascal_name(message_id)
        if not name.isidentifier() or not name[0].isupper():
            raise self.fields.error(
                f"{message_id!r} gives no class name: set name to a PascalCase identifier",
                *parts,
                "name" if "name" in entry else "message_id",
            )
        data = entry.get("data", "json")
        if data not in ("json", "string"):
            raise self.fields.error('data must be "json" or "string"', *parts, "data")
        own_versions = self.fields.versions(entry, versions, parts)
        if data == "string" and own_versions != ("1.6",):
            raise self.fields.error(
                'data = "string" is for OCPP 1.6 only: set versions = ["1.6"]', *parts, "data"
            )
        if data == "string":
            for key in ("request", "response"):
                if key in entry:
                    raise self.fields.error(
                        'a plain string (data = "string") has no schema', *parts, key
                    )
        elif "request" not in entry:
            raise self.fields.error("request (the schema of the request data) is missing", *parts)
        return DataTransferEntry(
            self.fields.optional_text(entry, "vendor_id", *parts) or vendor_id,
            message_id,
            name,
            self.schemas.read(entry, "request", *parts),
            self.schemas.read(entry, "response", *parts),
            data,
            own_versions,
            json_pointer(parts),
        )

    def custom_data(
        self, entry: dict[str, Any], index: int, versions: tuple[str, ...]
    ) -> CustomDataEntry:
        parts = ("custom_data", index)
        self.fields.check_keys(entry, {"target", "name", "schema", "versions"}, *parts)
        target = self.fields.text(entry, "target", *parts)
        name = self.fields.optional_text(entry, "name", *parts) or (
            target.removesuffix("Type") + "CustomData"
        )
        if not name.isidentifier():
            raise self.fields.error(f"name {name!r} is not an identifier", *parts, "name")
        allowed = tuple(v for v in versions if v in CUSTOM_DATA_VERSIONS)
        listed = entry.get("versions")
        if isinstance(listed, list) and "1.6" in listed:
            raise self.fields.error(
                "OCPP 1.6 has no customData", *parts, "versions", listed.index("1.6")
            )
        own_versions = self.fields.versions(entry, allowed, parts)
        if not own_versions:
            raise self.fields.error("customData needs OCPP 2.0.1 or 2.1 among the versions", *parts)
        schema = self.schemas.read(entry, "schema", *parts)
        if schema is None:
            raise self.fields.error("schema is missing", *parts)
        if "vendorId" in self.schemas.files[schema].document.get("properties", {}):
            raise GeneratorError(
                "vendorId is the standard customData property: leave it out",
                self.schemas.files[schema].shown,
                "/properties/vendorId",
            )
        return CustomDataEntry(target, name, schema, own_versions, json_pointer(parts))

    def action(self, entry: dict[str, Any], index: int, versions: tuple[str, ...]) -> ActionEntry:
        parts = ("action", index)
        keys = {"name", "initiator", "kind", "request", "response", "versions"}
        self.fields.check_keys(entry, keys, *parts)
        name = self.fields.text(entry, "name", *parts)
        if not name.isidentifier() or not name[0].isupper():
            raise self.fields.error(
                f"action name {name!r} must be a PascalCase identifier", *parts, "name"
            )
        initiator = entry.get("initiator")
        if initiator not in INITIATORS:
            raise self.fields.error(
                f"initiator must be one of {', '.join(INITIATORS)}", *parts, "initiator"
            )
        kind = entry.get("kind", "CALL")
        if kind not in ("CALL", "SEND"):
            raise self.fields.error("kind must be CALL or SEND", *parts, "kind")
        own_versions = self.fields.versions(entry, versions, parts)
        if kind == "SEND":
            if "response" in entry:
                raise self.fields.error("a SEND action has no response", *parts, "response")
            if own_versions != ("2.1",):
                raise self.fields.error(
                    'SEND exists in OCPP 2.1 only: set versions = ["2.1"]', *parts
                )
        elif "response" not in entry:
            raise self.fields.error("response (the schema of the response) is missing", *parts)
        request = self.schemas.read(entry, "request", *parts)
        if request is None:
            raise self.fields.error("request (the schema of the request) is missing", *parts)
        response = self.schemas.read(entry, "response", *parts)
        return ActionEntry(
            name, initiator, kind, request, response, own_versions, json_pointer(parts)
        )
