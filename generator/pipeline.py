"""The generator as a Python API: load -> IR -> render -> write (or compare)."""

from __future__ import annotations

from pathlib import Path

from generator import __version__, ir
from generator.builder import build_spec
from generator.config import Settings
from generator.errors import GeneratorError
from generator.loader import load_version
from generator.render import render_package
from generator.versions import VERSIONS
from generator.writer import differences, with_manifest, write_package


def select_versions(schemas: Path, requested: tuple[str, ...]) -> tuple[str, ...]:
    """The requested versions, or every known version with a folder under ``schemas``."""
    for version in requested:
        if version not in VERSIONS:
            known = ", ".join(VERSIONS)
            raise GeneratorError(f"unknown OCPP version {version!r} (known: {known})", str(schemas))
        if not (schemas / version).is_dir():
            raise GeneratorError(f"no folder for version {version}", str(schemas / version))
    chosen = requested or tuple(v for v in VERSIONS if (schemas / v).is_dir())
    if not chosen:
        raise GeneratorError("no version folders (1.6, 2.0.1, 2.1) found", str(schemas))
    return tuple(v for v in VERSIONS if v in chosen)


def build_specs(settings: Settings) -> tuple[ir.Spec, ...]:
    """Load and build the IR of every selected version."""
    versions = select_versions(settings.schemas, settings.versions)
    return tuple(build_spec(load_version(settings.schemas / v, VERSIONS[v])) for v in versions)


def generate_files(settings: Settings) -> dict[str, str]:
    """Every output file (path relative to the output folder -> text), manifest included."""
    return with_manifest(render_package(build_specs(settings)), __version__)


def generate(settings: Settings) -> dict[str, str]:
    """Generate and write the package; returns what was written."""
    files = generate_files(settings)
    write_package(settings.out, files)
    return files


def check(settings: Settings) -> list[str]:
    """Paths in ``settings.out`` that differ from a fresh generation (empty when in step)."""
    return differences(settings.out, generate_files(settings))
