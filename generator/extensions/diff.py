"""``ocppgen diff`` of two versions of an extension folder, compared like two schema sets."""

from __future__ import annotations

from pathlib import Path

from generator.extensions.load import EXTENSION_FILE, load_extension
from generator.schemas.diff import SchemaSet, describe
from generator.schemas.schemaset import SchemaSource


def is_extension(folder: Path) -> bool:
    """Whether ``folder`` is an extension folder (it has the manifest)."""
    return (folder / EXTENSION_FILE).is_file()


def describe_extension(folder: Path) -> SchemaSet:
    """The extension's payloads as units named by their classes; its "actions" are the custom
    actions and the DataTransfer messages (``DataTransfer <vendorId> <messageId>``)."""
    extension = load_extension(folder)
    files: dict[str, tuple[str, bytes]] = {}

    def add(class_name: str, relative: str | None) -> None:
        if relative is not None:
            shown = extension.schemas[relative].shown
            files[f"{class_name}.json"] = (shown, Path(shown).read_bytes())

    actions = set()
    for message in extension.data_transfers:
        actions.add(f"DataTransfer {message.vendor_id} {message.message_id}")
        add(message.name + "Request", message.request)
        add(message.name + "Response", message.response)
    for custom in extension.custom_data:
        add(custom.name, custom.schema)
    for action in extension.actions:
        actions.add(action.name)
        add(action.name + "Request", action.request)
        add(action.name + "Response", action.response)
    described = describe(SchemaSource(str(folder), dict(sorted(files.items()))))
    return SchemaSet(frozenset(actions), described.units)
