"""The Jinja templates: bundled ones, a user's overrides, and rendering with clear errors.

An override is a file in the user's templates folder with the same relative path as a bundled
template (``objects.py.j2``, ``scaffold/handlers.py.j2``); it replaces that template everywhere,
``{% include %}`` included. Other files there are reachable only by ``include``/``import``.
The bundled text stays reachable as ``ocppgen:<name>``, so an override can
``{% extends "ocppgen:objects.py.j2" %}`` and fill a ``{% block %}`` instead of copying it all.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.runtime
import jinja2.sandbox
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path

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


TIME_LIMIT_VARIABLE = "OCPPGEN_TEMPLATE_TIME_LIMIT"
"""Seconds one template may take to render when overrides are in use (default 60)."""
DEFAULT_TIME_LIMIT = 60.0
MAX_POWER_BITS = 100_000
"""The largest integer ``**`` may make in a template."""
MAX_REPEAT = 10_000_000
"""The longest string or list ``*`` may make in a template."""


class TemplateTimeout(Exception):
    """A template rendered for longer than the time limit."""


class TemplateSandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Jinja's sandbox, which lets a template read the IR but not reach Python's internals
    (``__globals__``, ``__class__``, ``os``) or change the objects it is given; ``**`` and
    ``*`` refuse results too large to compute."""

    intercepted_binops = frozenset({"**", "*"})

    def __init__(self, overrides: Path | None, **options: Any) -> None:
        super().__init__(**options)
        self.overrides = overrides
        """The overrides folder (resolved), or None."""

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        if operator == "**" and _power_bits(left, right) > MAX_POWER_BITS:
            raise SecurityError(f"{left!r} ** {right!r} is too large")
        if operator == "*" and _repeat_length(left, right) > MAX_REPEAT:
            raise SecurityError("the repeated string or list is too long")
        return super().call_binop(context, operator, left, right)


def _encodable(value: Any) -> Any:
    """What an override prints must be writable as UTF-8 (no lone surrogate)."""
    text = str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = text[exc.start].encode("unicode_escape").decode()
        raise jinja2.TemplateRuntimeError(
            f"the template printed text that cannot be encoded as UTF-8 ({bad})"
        ) from None
    return value


def _power_bits(base: Any, exponent: Any) -> float:
    if not isinstance(base, int) or not isinstance(exponent, int) or abs(base) < 2:
        return 0.0
    return float(exponent) * math.log2(abs(base))


def _repeat_length(left: Any, right: Any) -> int:
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, (str, list, tuple)) and isinstance(count, int):
            return len(sequence) * count
    return 0


class ConfinedLoader(jinja2.BaseLoader):
    """The templates of one folder. A name that resolves outside it (through a symlink) is
    refused, and so is a file that is not UTF-8 or not a regular file: each is a
    :class:`GeneratorError` naming the file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        if not path.exists() and not path.is_symlink():  # a dangling link is an error below
            raise jinja2.TemplateNotFound(template)
        resolved = path.resolve()
        if not resolved.is_relative_to(self.folder):
            raise GeneratorError(
                f"the template resolves to {resolved}, outside its folder {self.folder}; "
                "templates may only read files inside it",
                str(path),
            )
        if not resolved.is_file():
            raise GeneratorError("a template must be a regular file (or a link to one)", str(path))
        try:
            data = resolved.read_bytes()
            mtime = resolved.stat().st_mtime
        except OSError as exc:
            raise GeneratorError(f"cannot read: {exc.strerror or exc}", str(path)) from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise GeneratorError(f"not UTF-8 (byte {exc.start})", str(path)) from None

        def uptodate() -> bool:
            try:
                return resolved.stat().st_mtime == mtime
            except OSError:
                return False

        return text, str(path), uptodate


def environment(overrides: Path | None = None) -> TemplateSandbox:
    """A strict, sandboxed Jinja environment over the overrides (when given), then the bundled
    templates.

    The caller adds filters and globals; templates only loop and print.
    """
    if overrides is not None:
        check_overrides(overrides)
    bundled = ConfinedLoader(templates_dir())
    loaders: list[jinja2.BaseLoader] = [
        bundled,
        jinja2.PrefixLoader({BUNDLED_PREFIX: bundled}, delimiter=":"),
    ]
    if overrides is not None:
        loaders.insert(0, ConfinedLoader(overrides))
    return TemplateSandbox(
        overrides.resolve() if overrides is not None else None,
        loader=jinja2.ChoiceLoader(loaders),
        finalize=None if overrides is None else _encodable,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def render_template(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render one template; a broken template is one GeneratorError naming its file and line.

    With overrides, a template that renders for longer than the time limit
    (``OCPPGEN_TEMPLATE_TIME_LIMIT`` seconds, default 60) is stopped, and what it prints must
    be valid Unicode.
    """
    overrides = env.overrides if isinstance(env, TemplateSandbox) else None
    try:
        with _time_limit(overrides is not None):
            text = env.get_template(name).render(**context)
    except GeneratorError:
        raise
    except TemplateTimeout as exc:
        raise GeneratorError(
            f"rendering took longer than {_time_limit_seconds():g} s (an endless loop?); "
            f"{TIME_LIMIT_VARIABLE} sets the limit",
            _template_frame(exc, name),
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or name}:{exc.lineno}"
        raise GeneratorError(f"template syntax error: {exc.message}", where) from None
    except jinja2.TemplateError as exc:
        raise GeneratorError(f"template error: {exc}", _template_frame(exc, name)) from None
    except Exception as exc:
        where = _template_frame(exc, name)
        if overrides is None or not where.startswith(str(overrides)):
            raise  # a bug in a bundled template or in the generator: keep the traceback
        raise GeneratorError(f"template error: {type(exc).__name__}: {exc}", where) from None
    return text


def _time_limit_seconds() -> float:
    try:
        seconds = float(os.environ.get(TIME_LIMIT_VARIABLE, DEFAULT_TIME_LIMIT))
    except ValueError:
        return DEFAULT_TIME_LIMIT
    return seconds if math.isfinite(seconds) and seconds > 0 else DEFAULT_TIME_LIMIT


@contextlib.contextmanager
def _time_limit(active: bool) -> Iterator[None]:
    """Raise :class:`TemplateTimeout` in the block after the time limit (a SIGALRM timer:
    only on the main thread of a POSIX system; elsewhere the block is not bounded)."""
    if not active or not hasattr(signal, "setitimer"):
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise TemplateTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, _time_limit_seconds())
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _template_frame(exc: BaseException, name: str) -> str:
    """``file:line`` of the innermost template frame in the traceback (Jinja maps them)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if not frames:
        return name
    return f"{frames[-1].filename}:{frames[-1].lineno}"
