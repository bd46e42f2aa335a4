"""Format rendered Python with black: in parallel, and only what changed since last time."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context

import black
from black.mode import TargetVersion

LINE_LENGTH = 100
BLACK_MODE = black.Mode(target_versions={TargetVersion.PY310}, line_length=LINE_LENGTH)
PARALLEL_MIN_CHARS = 200_000
"""Below this much source, starting worker processes costs more than it saves."""


def format_source(text: str) -> str:
    """One file through black (non-Python files are left alone by the caller)."""
    return black.format_str(text, mode=BLACK_MODE)


def format_all(
    sources: dict[str, str], reuse: Callable[[str, str], str | None] | None = None
) -> dict[str, str]:
    """Format every ``.py`` source; ``reuse(path, text)`` may give an earlier result instead.

    Work is spread over the CPUs when there is enough of it; the result does not depend on
    how it was split.
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
    if workers < 2 or sum(len(text) for text in todo.values()) < PARALLEL_MIN_CHARS:
        return {path: format_source(text) for path, text in todo.items()}
    # Largest first, so that no worker is left with one big file at the end.
    paths = sorted(todo, key=lambda path: -len(todo[path]))
    method = "fork" if "fork" in get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context(method)) as pool:
        results = pool.map(format_source, [todo[path] for path in paths])
        return dict(zip(paths, results, strict=True))
