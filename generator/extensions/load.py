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
from generator.extensions.catalogue import ExtensionCatalogue, named_files, read_catalogue
from generator.extensions.fields import ManifestFields, control_character
from generator.extensions.schema_files import SchemaFiles, is_inside
from generator.ir.naming import class_name_problem, pascal_name_problem
from generator.output.layout import check_package_name
from generator.schemas.versions import VERSIONS

if TYPE_CHECKING:  # the loader imports jsonschema: only a generation needs it
    from generator.schemas.loader import SchemaFile

EXTENSION_FILE = "ocppgen-extension.toml"
TOP_KEYS = frozenset(
    {"package", "vendor_id", "name", "versions", "type_names", "data_transfer", "custom_data"}
    | {"action", "device_model", "configuration"}
)
SCHEMA_KEYS = {
    "data_transfer": ("request", "response"),
    "custom_data": ("schema",),
    "action": ("request", "response"),
}
"""The keys of each array of tables that name a schema file."""
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
    """The manifest and the schema and catalogue (CSV) files it names: what a generation reads.

    Only regular files inside the folder count, and nothing else in the folder is opened (a
    FIFO or a device there cannot stall a run); a named file that is missing or not regular is
    left to :func:`load_extension` to report.
    """
    manifest = folder / EXTENSION_FILE
    data = _manifest_data(folder)
    if data is None:
        return [manifest] if manifest.is_file() else []
    named = _named_schemas(data) | named_files(data)
    files = [folder / relative for relative in sorted(named)]
    return [manifest, *(p for p in files if is_inside(folder, p) and p.is_file())]


def _named_schemas(data: dict[str, Any]) -> set[str]:
    """The schema paths the manifest's entries name (those that can be paths at all)."""
    named: set[str] = set()
    for key, schema_keys in SCHEMA_KEYS.items():
        entries = data.get(key)
        for entry in entries if isinstance(entries, list) else []:
            values = [entry.get(k) for k in schema_keys] if isinstance(entry, dict) else []
            named.update(v for v in values if isinstance(v, str) and not control_character(v))
    return named


def _manifest_data(folder: Path) -> dict[str, Any] | None:
    """The manifest's data, or None when it is missing, not a regular file or unreadable."""
    path = folder / EXTENSION_FILE
    if not path.is_file():
        return None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def read_package_name(folder: Path) -> str | None:
    """The manifest's package name without further checks (None when unreadable)."""
    package = (_manifest_data(folder) or {}).get("package")
    return package if isinstance(package, str) else None


def load_extension(folder: Path) -> Extension:
    """Read and check an extension folder (schemas included)."""
    path = folder / EXTENSION_FILE
    source = str(path)
    if not folder.is_dir():
        raise GeneratorError("extension folder not found", str(folder))
    if path.exists() and not path.is_file():
        raise GeneratorError(f"{EXTENSION_FILE} is not a regular file", source)
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
        vendor_id = self.fields.plain_text(data, "vendor_id")
        name = self.fields.optional_text(data, "name") or pascal_name(package.rsplit(".", 1)[-1])
        problem = pascal_name_problem(name, "name")
        if problem is not None:
            raise self.fields.error(problem, "name")
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

    @staticmethod
    def _prefix_problem(name: str, suffixes: tuple[str, ...], what: str = "name") -> str | None:
        """Why ``name`` cannot prefix the classes ``name + suffix``, or None."""
        problem = pascal_name_problem(name, what)
        for suffix in suffixes:
            problem = problem or class_name_problem(name + suffix)
        return problem

    def data_transfer(
        self, entry: dict[str, Any], index: int, vendor_id: str, versions: tuple[str, ...]
    ) -> DataTransferEntry:
        parts = ("data_transfer", index)
        keys = {"vendor_id", "message_id", "name", "request", "response", "data", "versions"}
        self.fields.check_keys(entry, keys, *parts)
        message_id = self.fields.plain_text(entry, "message_id", *parts)
        vendor = self.fields.plain_text(entry, "vendor_id", *parts) if "vendor_id" in entry else ""
        name = self.fields.optional_text(entry, "name", *parts) or pascal_name(message_id)
        problem = self._prefix_problem(name, ("Request", "Response"))
        if problem is not None:
            if "name" not in entry:
                problem = f"{message_id!r} gives no class name ({problem}): set name"
            raise self.fields.error(problem, *parts, "name" if "name" in entry else "message_id")
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
            vendor or vendor_id,
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
        problem = class_name_problem(name)
        if problem is not None:
            raise self.fields.error(problem, *parts, "name" if "name" in entry else "target")
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
        problem = self._prefix_problem(name, ("Request", "Response"), "action name")
        if problem is not None:
            raise self.fields.error(problem, *parts, "name")
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
