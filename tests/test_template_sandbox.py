"""Template overrides are untrusted (issue 19, items 6 and 15): they render in Jinja's sandbox,
read only inside their folder, must be UTF-8 and print UTF-8, and are stopped after a time
limit; each problem is one line naming the override, exit 2, nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from inprocess import invoke, one_line_error
from support import ROOT
from test_cli import OCPPGEN
from typer.testing import Result

from generator.render.templates import TIME_LIMIT_VARIABLE


def _generate(tmp_path: Path, overrides: Path) -> tuple[Path, Result]:
    out = tmp_path / "out"
    result = invoke(
        "generate", "--templates", overrides, "--out", out, "--version", "2.0.1", cwd=tmp_path
    )
    return out, result


def _override(tmp_path: Path, name: str, text: str | bytes) -> Path:
    folder = tmp_path / "overrides"
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "expression",
    [
        'cycler.__init__.__globals__.os.system("touch {marker}")',
        "lipsum.__globals__['os'].system('touch {marker}')",
        "''.__class__.__mro__[1].__subclasses__()",
        "spec.__class__.__init__.__globals__",
    ],
)
def test_an_override_cannot_reach_python_internals(tmp_path: Path, expression: str) -> None:
    marker = tmp_path / "PWNED"
    overrides = _override(
        tmp_path, "header.j2", "# {{ " + expression.format(marker=marker) + " }}\n"
    )
    out, result = _generate(tmp_path, overrides)
    one_line_error(result, f"{overrides}/header.j2:1:", "unsafe")
    assert not marker.exists(), "the command ran"
    assert not out.exists()


def test_an_override_cannot_change_the_objects_it_is_given(tmp_path: Path) -> None:
    overrides = _override(
        tmp_path,
        "version_init.py.j2",
        "{% extends \"ocppgen:version_init.py.j2\" %}{% set _ = export_names.append('Injected') %}",
    )
    _, result = _generate(tmp_path, overrides)
    one_line_error(result, "version_init.py.j2:1:", "unsafe")


def test_an_include_through_a_symlink_outside_the_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET\n")
    overrides = _override(tmp_path, "header.j2", '# {% include "notes.txt" %}\n')
    (overrides / "notes.txt").symlink_to(secret)
    out, result = _generate(tmp_path, overrides)
    one_line_error(result, f"{overrides}/notes.txt:", f"resolves to {secret}, outside its folder")
    assert not out.exists()


def test_an_override_that_is_a_symlink_outside_the_folder_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.j2"
    elsewhere.write_text("# {{ source }}\n")
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "header.j2").symlink_to(elsewhere)
    _, result = _generate(tmp_path, overrides)
    one_line_error(result, f"{overrides}/header.j2:", "outside its folder")


def test_a_symlink_inside_the_folder_is_followed(tmp_path: Path) -> None:
    overrides = _override(tmp_path, "shared/header.j2", "# shared header: {{ source }}\n")
    (overrides / "header.j2").symlink_to(overrides / "shared" / "header.j2")
    out, result = _generate(tmp_path, overrides)
    assert result.exit_code == 0, result.stderr
    assert (out / "ocpp_bindings" / "__init__.py").read_text().startswith("# shared header: ")


def test_a_non_utf8_override_is_one_line(tmp_path: Path) -> None:
    overrides = _override(tmp_path, "header.j2", b"# caf\xe9\n")
    _, result = _generate(tmp_path, overrides)
    one_line_error(result, f"{overrides}/header.j2:", "not UTF-8 (byte 5)")


def test_output_that_cannot_be_encoded_is_one_line(tmp_path: Path) -> None:
    overrides = _override(tmp_path, "header.j2", '# {{ "%c" % 56320 }}\n')
    out, result = _generate(tmp_path, overrides)
    one_line_error(result, f"{overrides}/header.j2:1:", "cannot be encoded as UTF-8 (\\udc00)")
    assert not out.exists()


@pytest.mark.parametrize(
    ("expression", "message"),
    [("2 ** 10000000", "2 ** 10000000 is too large"), ('"ab" * 10 ** 9', "too long")],
)
def test_arithmetic_too_large_to_compute_is_refused(
    tmp_path: Path, expression: str, message: str
) -> None:
    overrides = _override(tmp_path, "header.j2", "# {{ " + expression + " }}\n")
    _, result = _generate(tmp_path, overrides)
    one_line_error(result, f"{overrides}/header.j2:1:", message)


def test_an_endless_override_is_stopped_after_the_time_limit(tmp_path: Path) -> None:
    overrides = _override(
        tmp_path,
        "header.j2",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
    )
    started = time.monotonic()
    result = subprocess.run(
        [*OCPPGEN, "generate", "--templates", str(overrides), "--out", str(tmp_path / "out")],
        cwd=tmp_path,
        env={**os.environ, TIME_LIMIT_VARIABLE: "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"ocppgen: error: {overrides}/header.j2:1: rendering took longer than 1 s "
        f"(an endless loop?); {TIME_LIMIT_VARIABLE} sets the limit"
    ]
    assert time.monotonic() - started < 60
    assert not (tmp_path / "out").exists()


def test_the_worked_override_still_renders_in_the_sandbox(tmp_path: Path) -> None:
    out, result = _generate(tmp_path, ROOT / "examples" / "templates")
    assert result.exit_code == 0, result.stderr
    code = (
        "from datetime import datetime, timezone; from ocpp_bindings.v201 import "
        "HeartbeatResponse as H; print(H(datetime(2026, 1, 1, tzinfo=timezone.utc)))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(out)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.startswith("HeartbeatResponse(current_time=")


def test_a_dangling_symlink_override_is_an_error_not_the_bundled_template(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "header.j2").symlink_to(overrides / "missing.j2")
    out, result = _generate(tmp_path, overrides)
    one_line_error(result, f"{overrides}/header.j2:", "must be a regular file")
    assert not out.exists()
