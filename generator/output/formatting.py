"""Format rendered Python with black: in parallel, and only what changed since last time."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

LINE_LENGTH = 100
BLACK_MODE = black.Mode(target_versions={TargetVersion.PY310}, line_length=LINE_LENGTH)
PARALLEL_MIN_CHARS = 200_000
"""Below this much source, starting worker processes costs more than it saves."""


class UnparsableSource(Exception):
    """black cannot parse a rendered source (a broken template override, usually)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def format_source(text: str) -> str:
    """One file through black (non-Python files are left alone by the caller)."""
    return black.format_str(text, mode=BLACK_MODE)


def _format_or_report(text: str) -> tuple[str, str | None]:
    """black's output, or the first line of its complaint (picklable, for worker processes)."""
    try:
        return format_source(text), None
    except InvalidInput as exc:
        return text, str(exc).splitlines()[0]


def format_all(
    sources: dict[str, str], reuse: Callable[[str, str], str | None] | None = None
) -> dict[str, str]:
    """Format every ``.py`` source; ``reuse(path, text)`` may give an earlier result instead.

    Work is spread over the CPUs when there is enough of it; the result does not depend on
    how it was split. Raises :class:`UnparsableSource` for a source black cannot parse.
    """
    done: dict[str, str] = {}
    todo: dict[str, str] = {}
    for path, text in sources.items():
        earlier = reuse(path, text) if reuse else None
        if not path.endswith(".py"):
            done[path] = text
        elif earlier is not None:
            done[path] = earlier
        else:
            todo[path] = text
    done.update(_format_many(todo))
    return {path: done[path] for path in sources}


def _format_many(todo: dict[str, str]) -> dict[str, str]:
    workers = min(os.cpu_count() or 1, len(todo))
    # Largest first, so that no worker is left with one big file at the end.
    paths = sorted(todo, key=lambda path: -len(todo[path]))
    sources = [todo[path] for path in paths]
    if workers < 2 or sum(len(text) for text in sources) < PARALLEL_MIN_CHARS:
        results = [_format_or_report(text) for text in sources]
    else:
        method = "fork" if "fork" in get_all_start_methods() else None
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context(method)) as pool:
            results = list(pool.map(_format_or_report, sources))
    for path, (_, problem) in sorted(zip(paths, results, strict=True)):
        if problem is not None:
            raise UnparsableSource(path, problem)
    return {path: text for path, (text, _) in zip(paths, results, strict=True)}
