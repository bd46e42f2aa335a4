"""``ocppgen extension init``: a starter extension folder a vendor edits."""

from __future__ import annotations

import json

from generator.errors import GeneratorError
from generator.extensions.load import EXTENSION_FILE, pascal_name
from generator.output.layout import check_package_name
from generator.schemas.versions import VERSIONS

DRAFT06 = "http://json-schema.org/draft-06/schema#"


def _schema(name: str, description: str, properties: dict[str, object], required: list[str]) -> str:
    document = {
        "$schema": DRAFT06,
        "$id": f"urn:vendor:{name}",
        "description": description,
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "required": required,
    }
    return json.dumps(document, indent=2) + "\n"


def starter_files(
    name: str, versions: tuple[str, ...], folder: str = "<this folder>"
) -> dict[str, str]:
    """Relative path -> text of a starter extension called ``name``, written to ``folder``."""
    check_package_name(name, "NAME")
    for version in versions:
        if version not in VERSIONS:
            raise GeneratorError(f"unknown OCPP version {version!r}", "--version")
    versions = versions or ("2.0.1",)
    title = pascal_name(name)
    package = f"{name}_ocpp"
    custom = [v for v in versions if v != "1.6"]
    manifest = [
        f"# The {title} vendor extension: edit, then `ocppgen generate --extension <this folder>`.",
        f'package = "{package}"',
        f'vendor_id = "com.{name}"',
        f'name = "{title}"  # prefix of the handler protocols',
        f"versions = {json.dumps(list(versions))}",
        "",
        "# A DataTransfer message (vendorId, messageId) with typed request and response data.",
        "[[data_transfer]]",
        'message_id = "GetStatus"',
        'request = "schemas/GetStatusRequest.json"',
        'response = "schemas/GetStatusResponse.json"',
        '# data = "string"   # 1.6 only: data is a plain string (no schemas; versions = ["1.6"])',
        "",
    ]
    files = {
        "schemas/GetStatusRequest.json": _schema(
            "GetStatusRequest",
            "Asks for the status of a component.",
            {"component": {"type": "string", "maxLength": 50}},
            ["component"],
        ),
        "schemas/GetStatusResponse.json": _schema(
            "GetStatusResponse",
            "The component's status.",
            {"ok": {"type": "boolean"}, "detail": {"type": "string", "maxLength": 200}},
            ["ok"],
        ),
        f"schemas/{title}SelfTestRequest.json": _schema(
            f"{title}SelfTestRequest", "Starts a self test.", {"full": {"type": "boolean"}}, []
        ),
        f"schemas/{title}SelfTestResponse.json": _schema(
            f"{title}SelfTestResponse",
            "The self test's result.",
            {"passed": {"type": "boolean"}},
            ["passed"],
        ),
    }
    if custom:
        manifest += [
            "# Your properties in the customData of a standard type or message (2.0.1, 2.1).",
            "[[custom_data]]",
            'target = "MeterValueType"',
            'schema = "schemas/MeterValueCustomData.json"',
            f"versions = {json.dumps(custom)}",
            "",
        ]
        files["schemas/MeterValueCustomData.json"] = _schema(
            "MeterValueCustomData",
            "Vendor readings beside a meter value.",
            {f"{name}Temperature": {"type": "number", "minimum": -40, "maximum": 150}},
            [f"{name}Temperature"],
        )
    manifest += [
        "# A custom action: initiator ChargingStation, CSMS or both; kind CALL (or SEND, 2.1).",
        "[[action]]",
        f'name = "{title}SelfTest"',
        'initiator = "CSMS"',
        'kind = "CALL"',
        f'request = "schemas/{title}SelfTestRequest.json"',
        f'response = "schemas/{title}SelfTestResponse.json"',
        "",
    ]
    files[EXTENSION_FILE] = "\n".join(manifest)
    files["README.md"] = (
        f"# {title} vendor extension\n\n"
        f"`{EXTENSION_FILE}` names the package (`{package}`), the vendor id and the OCPP versions, "
        "and\n"
        "lists the DataTransfer messages, customData extensions and custom actions; `schemas/`\n"
        "holds their draft-06 JSON schemas. Generate the typed package beside the bindings\n"
        "(into the same `--out` folder as your bindings, `./generated` by default):\n\n"
        "```sh\n"
        f"ocppgen generate --extension {folder}\n"
        "```\n\n"
        f"then pass `{package}.{VERSIONS[versions[0]].package}` (one module per version) to\n"
        "`Dispatcher(..., extensions=[...])`.\n"
        'See the section "Vendor extensions" of the ocppgen README.\n'
    )
    return dict(sorted(files.items()))
