"""Where the templates and bundled schemas are: inside the wheel, or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    bundled = _PACKAGE / "_bundled" / name
    return bundled if bundled.is_dir() else _PACKAGE.parent / name


def templates_dir() -> Path:
    """The Jinja templates."""
    return _find("templates")


def bundled_schemas_dir() -> Path:
    """The OCA schemas shipped with ocppgen (one folder per version)."""
    return _find("schemas")


TEMPLATE_SUFFIX = ".j2"


def template_names(folder: Path) -> tuple[str, ...]:
    """Every template under ``folder``, as sorted ``/``-separated relative paths."""
    return tuple(
        sorted(
            path.relative_to(folder).as_posix()
            for path in folder.rglob(f"*{TEMPLATE_SUFFIX}")
            if path.is_file()
        )
    )
