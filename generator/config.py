"""Settings for a run: CLI options over ``[tool.ocppgen]`` in the nearest pyproject.toml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import toml as tomllib
from generator.errors import GeneratorError
from generator.resources import bundled_schemas_dir


@dataclass(frozen=True)
class Settings:
    """Where to read schemas, where to write, and which versions."""

    schemas: Path
    out: Path
    versions: tuple[str, ...]


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` in ``start`` or a parent folder."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def project_defaults(start: Path) -> tuple[Path | None, Path | None]:
    """``schemas`` and ``out`` from ``[tool.ocppgen]``, resolved against that file's folder."""
    pyproject = find_pyproject(start)
    if pyproject is None:
        return None, None
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GeneratorError(f"cannot read: {exc}", str(pyproject)) from None
    section = data.get("tool", {}).get("ocppgen", {})
    paths = []
    for key in ("schemas", "out"):
        value = section.get(key)
        if value is not None and not isinstance(value, str):
            raise GeneratorError(f"[tool.ocppgen] {key} must be a string", str(pyproject))
        paths.append(None if value is None else pyproject.parent / value)
    return paths[0], paths[1]


def resolve_settings(
    schemas: Path | None, out: Path | None, versions: list[str] | None, cwd: Path
) -> Settings:
    """Combine CLI options, project defaults and built-in defaults."""
    default_schemas, default_out = project_defaults(cwd)
    schemas = schemas or default_schemas or bundled_schemas_dir()
    out = out or default_out or cwd / "generated"
    if not schemas.is_dir():
        raise GeneratorError("schemas folder not found", str(schemas))
    return Settings(schemas, out, tuple(versions or ()))
