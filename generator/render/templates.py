"""The Jinja templates: bundled ones, a user's overrides, and rendering with clear errors.

An override is a file in the user's templates folder with the same relative path as a bundled
template (``objects.py.j2``, ``scaffold/handlers.py.j2``); it replaces that template everywhere,
``{% include %}`` included. Other files there are reachable only by ``include``/``import``.
The bundled text stays reachable as ``ocppgen:<name>``, so an override can
``{% extends "ocppgen:objects.py.j2" %}`` and fill a ``{% block %}`` instead of copying it all.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator.errors import GeneratorError
from generator.resources import template_names, templates_dir

BUNDLED_PREFIX = "ocppgen"
"""``ocppgen:<name>`` is always the bundled template, even when ``<name>`` is overridden."""


def bundled_template_names() -> tuple[str, ...]:
    """The templates shipped with ocppgen."""
    return template_names(templates_dir())


@dataclass(frozen=True)
class TemplateListing:
    """The bundled templates, which of them a folder overrides, and its other templates."""

    bundled: tuple[str, ...]
    overridden: frozenset[str]
    extra: tuple[str, ...]
    """Templates in the override folder that replace nothing (usable by ``include``)."""


def list_templates(overrides: Path | None) -> TemplateListing:
    """What ``ocppgen templates list`` shows."""
    bundled = bundled_template_names()
    mine = set(template_names(overrides)) if overrides is not None else set()
    return TemplateListing(
        bundled, frozenset(mine & set(bundled)), tuple(sorted(mine - set(bundled)))
    )


def bundled_template_text(name: str) -> str:
    """The text of one bundled template; an unknown name is an error listing the known ones."""
    known = bundled_template_names()
    if name not in known:
        raise GeneratorError(f"no bundled template {name!r} (see `ocppgen templates list`)", name)
    return (templates_dir() / name).read_text(encoding="utf-8")


RETIRED = {
    "_runtime.py.j2": "_runtime.py",
    "_registry.py.j2": "_registry.py",
    "_dispatch.py.j2": "_dispatch.py",
    "_vendor.py.j2": "_vendor.py",
    "pydantic/_pydantic.py.j2": "_pydantic.py",
}
"""Templates that became runtime modules (``generator/runtime``): an override of one is an
error, not silently ignored."""


def check_overrides(overrides: Path) -> None:
    """Refuse an overrides folder that holds a template ocppgen no longer renders."""
    for name in template_names(overrides):
        if name in RETIRED:
            raise GeneratorError(
                f"{name} is no longer a template: the runtime module is Python now "
                f"(generator/runtime/{RETIRED[name]}) and cannot be overridden; remove the file",
                str(overrides / name),
            )


def environment(overrides: Path | None = None) -> jinja2.Environment:
    """A strict Jinja environment over the overrides (when given), then the bundled templates.

    The caller adds filters and globals; templates only loop and print.
    """
    if overrides is not None:
        check_overrides(overrides)
    bundled = jinja2.FileSystemLoader(str(templates_dir()))
    folders = [str(templates_dir())]
    if overrides is not None:
        folders.insert(0, str(overrides.resolve()))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(folders),
                jinja2.PrefixLoader({BUNDLED_PREFIX: bundled}, delimiter=":"),
            ]
        ),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def render_template(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render one template; a broken template is one GeneratorError naming its file and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or name}:{exc.lineno}"
        raise GeneratorError(f"template syntax error: {exc.message}", where) from None
    except jinja2.TemplateError as exc:
        raise GeneratorError(f"template error: {exc}", _template_frame(exc, name)) from None
    except Exception as exc:
        where = _template_frame(exc, name)
        if not where.startswith(_override_prefix(env)):
            raise  # a bug in a bundled template or in the generator: keep the traceback
        raise GeneratorError(f"template error: {type(exc).__name__}: {exc}", where) from None


def _template_frame(exc: BaseException, name: str) -> str:
    """``file:line`` of the innermost template frame in the traceback (Jinja maps them)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if not frames:
        return name
    return f"{frames[-1].filename}:{frames[-1].lineno}"


def _override_prefix(env: jinja2.Environment) -> str:
    loader = env.loader
    assert isinstance(loader, jinja2.ChoiceLoader)
    folders = loader.loaders[0]
    assert isinstance(folders, jinja2.FileSystemLoader)
    searchpath = list(folders.searchpath)
    return searchpath[0] if len(searchpath) > 1 else "\0"
