"""Settings for a run: CLI options over ``[tool.ocppgen]`` in the nearest pyproject.toml."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator import toml as tomllib
from generator.errors import GeneratorError
from generator.flavours.base import Style
from generator.output.layout import DEFAULT_PACKAGE, Layout, check_package_name
from generator.resources import bundled_schemas_dir

PATH_KEYS = ("schemas", "out", "templates")
"""``[tool.ocppgen]`` keys holding a folder, relative to the pyproject.toml's folder."""
TEXT_KEYS = ("package", "style")
LIST_KEYS = ("extensions",)
"""``[tool.ocppgen]`` keys holding a list of folders."""
KNOWN_KEYS = frozenset(PATH_KEYS + TEXT_KEYS + LIST_KEYS)


@dataclass(frozen=True)
class Settings:
    """Where to read schemas and templates, where to write, which versions, which package."""

    schemas: Path
    out: Path
    versions: tuple[str, ...]
    layout: Layout = field(default_factory=Layout)
    templates: Path | None = None
    """A folder of template overrides (same relative path as the bundled template)."""
    style: Style = Style.DATACLASSES
    """The flavour of the models (a ``Style``, or its value: it is checked here)."""
    extensions: tuple[Path, ...] = ()
    """Vendor extension folders (each with an ``ocppgen-extension.toml``)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "style", check_style(self.style, "Settings"))


def check_style(style: object, where: str, what: str = "style") -> Style:
    """``style`` as a :class:`Style`; anything else is an error naming the known styles."""
    if isinstance(style, Style):
        return style
    if isinstance(style, str):
        try:
            return Style(style)
        except ValueError:
            pass
    known = ", ".join(s.value for s in Style)
    raise GeneratorError(f"{what} {style!r} is not one of {known}", where)


@dataclass(frozen=True)
class ProjectDefaults:
    """What ``[tool.ocppgen]`` of the nearest pyproject.toml sets (None: not set)."""

    schemas: Path | None = None
    out: Path | None = None
    templates: Path | None = None
    package: str | None = None
    style: str | None = None
    extensions: tuple[Path, ...] | None = None
    source: str = "[tool.ocppgen]"


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` in ``start`` or a parent folder."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def project_defaults(start: Path) -> ProjectDefaults:
    """``[tool.ocppgen]`` of the nearest pyproject.toml; folders resolved against its folder."""
    pyproject = find_pyproject(start)
    if pyproject is None:
        return ProjectDefaults()
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GeneratorError(f"cannot read: {exc}", str(pyproject)) from None
    section = data.get("tool", {}).get("ocppgen", {})
    unknown = sorted(set(section) - KNOWN_KEYS)
    if unknown:
        known = ", ".join(sorted(KNOWN_KEYS))
        raise GeneratorError(
            f"[tool.ocppgen] has unknown key {unknown[0]!r} (known: {known})", str(pyproject)
        )
    for key in (*PATH_KEYS, *TEXT_KEYS):
        if key in section and not isinstance(section[key], str):
            raise GeneratorError(f"[tool.ocppgen] {key} must be a string", str(pyproject))
    folders = {key: pyproject.parent / section[key] for key in PATH_KEYS if key in section}
    extensions = section.get("extensions")
    if extensions is not None:
        if not isinstance(extensions, list) or not all(isinstance(e, str) for e in extensions):
            raise GeneratorError(
                "[tool.ocppgen] extensions must be a list of folders", str(pyproject)
            )
        extensions = tuple(pyproject.parent / e for e in extensions)
    return ProjectDefaults(
        **folders,
        package=section.get("package"),
        style=section.get("style"),
        extensions=extensions,
        source=str(pyproject),
    )


def resolve_settings(
    schemas: Path | None,
    out: Path | None,
    versions: list[str] | None,
    cwd: Path,
    *,
    package: str | None = None,
    templates: Path | None = None,
    style: str | Style | None = None,
    extensions: list[Path] | None = None,
) -> Settings:
    """Combine CLI options, project defaults and built-in defaults."""
    defaults = project_defaults(cwd)
    schemas = schemas or defaults.schemas or bundled_schemas_dir()
    out = out or defaults.out or cwd / "generated"
    templates = templates or defaults.templates
    if package is not None:
        package = check_package_name(package, "--package")
    elif defaults.package is not None:
        package = check_package_name(defaults.package, defaults.source)
    if not schemas.is_dir():
        raise GeneratorError("schemas folder not found", str(schemas))
    if templates is not None and not templates.is_dir():
        raise GeneratorError("templates folder not found", str(templates))
    if style is not None:
        chosen_style = check_style(style, "--style")
    elif defaults.style is not None:
        chosen_style = check_style(defaults.style, defaults.source, "[tool.ocppgen] style")
    else:
        chosen_style = Style.DATACLASSES
    chosen = tuple(extensions) if extensions else defaults.extensions or ()
    for folder in chosen:
        if not folder.is_dir():
            raise GeneratorError("extension folder not found", str(folder))
    layout = Layout(package or DEFAULT_PACKAGE)
    return Settings(
        schemas,
        out,
        tuple(versions or ()),
        layout,
        templates,
        style=chosen_style,
        extensions=chosen,
    )
