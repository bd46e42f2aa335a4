"""A vendor extension's own device-model components and variables (2.x) and configuration keys
(1.6): the manifest's ``[device_model]`` and ``[configuration]`` tables name CSV files with the
columns of ``schemas/<version>/components-variables.csv``, ``components.csv`` and
``configuration-keys.csv``::

    [device_model]
    variables = "device-model/components-variables.csv"
    components = "device-model/components.csv"   # the vendor's own components, if any
    versions = ["2.0.1"]                           # default: the extension's 2.x versions

    [configuration]
    keys = "device-model/configuration-keys.csv"

A bad value is an error at its JSON pointer in the manifest; a bad row names ``file:line``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from generator import ir
from generator.errors import GeneratorError
from generator.extensions.fields import ManifestFields, control_character
from generator.extensions.schema_files import is_inside
from generator.ir.device_model import build_vendor_configuration, build_vendor_device_model
from generator.schemas.device_model import (
    Catalogue,
    read_components,
    read_keys,
    read_variables,
)

P = TypeVar("P")
DEVICE_MODEL_VERSIONS = ("2.0.1", "2.1")
CONFIGURATION_VERSIONS = ("1.6",)


@dataclass(frozen=True)
class ExtensionCatalogue:
    """The vendor's catalogue rows and the versions they are for."""

    device_model: Catalogue | None = None
    device_model_versions: tuple[str, ...] = ()
    configuration: Catalogue | None = None
    configuration_versions: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self.device_model is None and self.configuration is None


TABLES = {"device_model": ("variables", "components"), "configuration": ("keys",)}
"""The manifest's catalogue tables and the keys in each that name a CSV file."""


def named_files(data: dict[str, Any]) -> set[str]:
    """The CSV paths the manifest's catalogue tables name (those that can be paths at all)."""
    named: set[str] = set()
    for table, keys in TABLES.items():
        entry = data.get(table)
        values = [entry.get(key) for key in keys] if isinstance(entry, dict) else []
        named.update(v for v in values if isinstance(v, str) and not control_character(v))
    return named


def read_catalogue(
    folder: Path, fields: ManifestFields, versions: tuple[str, ...]
) -> ExtensionCatalogue:
    """The catalogue tables of a manifest (``fields``) in ``folder``, for the extension's
    ``versions``."""
    data = fields.data
    device_model: Catalogue | None = None
    configuration: Catalogue | None = None
    chosen: tuple[str, ...] = ()
    if "device_model" in data:
        entry = _table(fields, "device_model")
        fields.check_keys(entry, {"variables", "components", "versions"}, "device_model")
        allowed = tuple(v for v in versions if v in DEVICE_MODEL_VERSIONS)
        listed = entry.get("versions")
        if isinstance(listed, list) and "1.6" in listed:
            raise fields.error(
                "OCPP 1.6 has no device model (its keys go in [configuration])",
                "device_model",
                "versions",
                listed.index("1.6"),
            )
        chosen = fields.versions(entry, allowed, ("device_model",))
        if not chosen:
            raise fields.error(
                "a device model needs OCPP 2.0.1 or 2.1 among the versions", "device_model"
            )
        variables = _csv(folder, fields, entry, "device_model", "variables")
        if variables is None:
            raise fields.error(
                "variables (the CSV file of the variables) is missing", "device_model"
            )
        components = _csv(folder, fields, entry, "device_model", "components")
        device_model = Catalogue(
            components=read_components(components) if components else (),
            variables=read_variables(variables),
            components_file=str(components) if components else "",
            variables_file=str(variables),
        )
    if "configuration" in data:
        entry = _table(fields, "configuration")
        fields.check_keys(entry, {"keys"}, "configuration")
        if not set(CONFIGURATION_VERSIONS) & set(versions):
            raise fields.error(
                "configuration keys are OCPP 1.6: add 1.6 to versions", "configuration"
            )
        keys = _csv(folder, fields, entry, "configuration", "keys")
        if keys is None:
            raise fields.error("keys (the CSV file of the keys) is missing", "configuration")
        configuration = Catalogue(keys=read_keys(keys), keys_file=str(keys))
    configuration_versions = CONFIGURATION_VERSIONS if configuration else ()
    return ExtensionCatalogue(device_model, chosen, configuration, configuration_versions)


def _table(fields: ManifestFields, key: str) -> dict[str, Any]:
    entry = fields.data[key]
    if not isinstance(entry, dict):
        raise fields.error(f"{key} must be a table ([{key}])", key)
    return entry


def _csv(
    folder: Path, fields: ManifestFields, entry: dict[str, Any], table: str, key: str
) -> Path | None:
    """The CSV file an entry names, inside the folder and a regular file (None if absent)."""
    if key not in entry:
        return None
    relative = fields.plain_text(entry, key, table)
    path = folder / relative
    if not is_inside(folder, path):
        raise fields.error(f"{relative!r} is outside the extension folder", table, key)
    if not path.is_file():
        problem = "is not a regular file" if path.exists() else "does not exist"
        raise fields.error(f"{relative!r} {problem}", table, key)
    return path


def vendor_catalogues(
    catalogue: ExtensionCatalogue, standard: ir.Spec
) -> tuple[ir.DeviceModel | None, ir.Configuration | None]:
    """The vendor's device model and keys for the version of ``standard`` (None where the
    extension has none for it)."""
    device_model = configuration = None
    version = standard.version
    vendor_model, vendor_keys = catalogue.device_model, catalogue.configuration
    if vendor_model is not None and version in catalogue.device_model_versions:
        model = _standard_part(standard.device_model, standard, "device model", vendor_model)
        device_model = build_vendor_device_model(vendor_model, model, standard.title)
    if vendor_keys is not None and version in catalogue.configuration_versions:
        keys = _standard_part(standard.configuration, standard, "configuration keys", vendor_keys)
        configuration = build_vendor_configuration(vendor_keys, keys)
    return device_model, configuration


def _standard_part(part: P | None, standard: ir.Spec, what: str, vendor: Catalogue) -> P:
    """The standard catalogue a vendor's extends; an error when the version has none."""
    if part is None:
        raise GeneratorError(
            f"{standard.title} has no {what} to extend (its schema folder has no catalogue files)",
            vendor.variables_file or vendor.keys_file,
        )
    return part
