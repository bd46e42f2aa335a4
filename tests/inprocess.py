"""Run the ``ocppgen`` command line in the test process (fast; a traceback is exit 1)."""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner, Result

from generator.cli import app


def invoke(*args: str | Path, cwd: Path) -> Result:
    """``ocppgen ARGS`` from the folder ``cwd`` (so that no pyproject.toml of the repository
    supplies defaults)."""
    here = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(app, [str(arg) for arg in args])
    finally:
        os.chdir(here)


def one_line_error(result: Result, *fragments: str) -> str:
    """The error line of a run that must fail as bad input: exit 2, one line, no traceback,
    containing every fragment."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"raised {result.exception!r}"
    )
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ocppgen: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]
