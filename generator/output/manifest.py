"""``ocpp_bindings/manifest.json``: what a generation read and wrote, as SHA-256 digests.

The manifest lets ``check`` answer without regenerating when no input changed (it still
hashes every output file, so hand edits are caught), and lets ``generate`` reuse the
formatted text of outputs whose unformatted source did not change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator import __version__
from generator.extensions.load import manifest_files
from generator.resources import template_names, templates_dir
from generator.schemas.device_model import catalogue_paths

FORMAT = 2
BUNDLED = "_bundled"
"""The wheel's folder of bundled schemas and templates (see :mod:`generator.resources`)."""
_GENERATOR_CODE = Path(__file__).resolve().parent.parent


def sha256(data: bytes | str) -> str:
    """Hex SHA-256 of bytes, or of text encoded as UTF-8."""
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


@dataclass(frozen=True)
class Output:
    """One generated file: the digest of its text and of its text before black."""

    sha256: str
    unformatted_sha256: str


@dataclass(frozen=True)
class Manifest:
    """Inputs and outputs of one generation."""

    versions: tuple[str, ...]
    inputs: dict[str, str]
    """``schemas/<v>/<file>``, ``templates/<file>`` and ``overrides/<file>`` -> sha256;
    ``generator`` -> code digest."""
    options: dict[str, str] = field(default_factory=dict)
    """Options that shape the output besides the inputs (``package``)."""
    outputs: dict[str, Output] = field(default_factory=dict)
    generator_version: str = __version__
    tools: dict[str, str] = field(default_factory=dict)
    """The versions of the packages whose version shapes the output (black, and the style's
    model writer: datamodel-code-generator for pydantic). A manifest written before they were
    recorded has none, so it is stale."""

    def to_json(self) -> str:
        document = {
            "format": FORMAT,
            "generator": "ocppgen",
            "generator_version": self.generator_version,
            "versions": list(self.versions),
            "options": dict(sorted(self.options.items())),
            "tools": dict(sorted(self.tools.items())),
            "inputs": dict(sorted(self.inputs.items())),
            "outputs": {
                path: {"sha256": out.sha256, "unformatted_sha256": out.unformatted_sha256}
                for path, out in sorted(self.outputs.items())
            },
        }
        return json.dumps(document, indent=2) + "\n"

    def same_inputs(self, other: Manifest) -> bool:
        """Whether ``other`` was made by the same generator, with the same tools, from the same
        inputs and options."""
        return (self.generator_version, self.tools, self.versions, self.options, self.inputs) == (
            other.generator_version,
            other.tools,
            other.versions,
            other.options,
            other.inputs,
        )


def input_digests(
    schemas: Path,
    versions: tuple[str, ...],
    overrides: Path | None = None,
    extensions: Mapping[str, Path] | None = None,
) -> dict[str, str]:
    """Digest of every file a generation reads: schemas, metadata (``ocppgen.toml`` and the
    device-model CSV files), templates (bundled and overrides), generator code, and every
    extension's files (``extensions``: label -> folder).

    Keys are relative (``schemas/2.0.1/BootNotificationRequest.json``), so the manifest does
    not depend on where the project or the installed generator lives.
    """
    digests: dict[str, str] = {}
    for version in versions:
        folder = schemas / version
        files = [*folder.glob("*.json"), folder / "ocppgen.toml", *catalogue_paths(folder)]
        for path in sorted(p for p in files if p.is_file()):
            digests[f"schemas/{version}/{path.name}"] = sha256(path.read_bytes())
    for name in template_names(templates_dir()):
        digests[f"templates/{name}"] = sha256((templates_dir() / name).read_bytes())
    if overrides is not None:
        for name in template_names(overrides):
            digests[f"overrides/{name}"] = sha256((overrides / name).read_bytes())
    for label, folder in (extensions or {}).items():
        for path in manifest_files(folder):
            relative = path.relative_to(folder).as_posix()
            digests[f"extensions/{label}/{relative}"] = sha256(path.read_bytes())
    digests["generator"] = generator_code_digest()
    return digests


def generator_code_digest(root: Path = _GENERATOR_CODE) -> str:
    """One digest of every module of the generator (runtime modules included), each keyed by
    its path relative to ``root``: an edit anywhere in the tree makes the package stale."""
    code = hashlib.sha256()
    for path in sorted(root.rglob("*.py"), key=lambda p: p.relative_to(root).as_posix()):
        if BUNDLED in path.relative_to(root).parts:
            continue  # the wheel's schemas and templates are inputs, not code
        relative = path.relative_to(root).as_posix()
        code.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return code.hexdigest()


def _text_map(value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValueError("not a map of names to versions")
    return dict(value)


def read_manifest(path: Path) -> Manifest | None:
    """The manifest at ``path``, or None when it is missing, not a regular file (a FIFO is
    never opened) or not one we can read."""
    if not path.is_file():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != FORMAT:
            return None
        outputs = {
            path: Output(entry["sha256"], entry["unformatted_sha256"])
            for path, entry in document["outputs"].items()
        }
        return Manifest(
            versions=tuple(document["versions"]),
            inputs=dict(document["inputs"]),
            options=dict(document["options"]),
            outputs=outputs,
            generator_version=document["generator_version"],
            tools=_text_map(document.get("tools", {})),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
