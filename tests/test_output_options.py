"""Output the user shapes: a package name of their choice and template overrides."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT, SCHEMAS
from test_cli import SMALL_METADATA, SMALL_SET, _snapshot, run

from generator.render.templates import bundled_template_names

EXAMPLE_OVERRIDES = ROOT / "examples" / "templates"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch project: a small 2.0.1 schema set and a pyproject.toml pointing at it."""
    folder = tmp_path / "schemas" / "2.0.1"
    folder.mkdir(parents=True)
    for name in SMALL_SET:
        shutil.copy(SCHEMAS / "2.0.1" / f"{name}.json", folder)
    (folder / "ocppgen.toml").write_text(SMALL_METADATA)
    _pyproject(tmp_path, 'schemas = "schemas"\nout = "out"')
    return tmp_path


def _pyproject(project: Path, settings: str) -> None:
    (project / "pyproject.toml").write_text(
        f'[project]\nname = "scratch"\n\n[tool.ocppgen]\n{settings}\n'
    )


def _python(code: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(path)},
        capture_output=True,
        text=True,
        check=False,
    )


def _one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ocppgen: error: ") and "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


# -- package name -------------------------------------------------------------------------------


@pytest.mark.xdist_group("package_name")
def test_dotted_package_is_importable_passes_its_tests_and_mypy(tmp_path: Path) -> None:
    _pyproject(tmp_path, f'schemas = "{SCHEMAS}"\npackage = "acme_csms.ocpp"')
    result = run("generate", "--version", "2.0.1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "generated"
    assert sorted(p.name for p in out.iterdir()) == ["acme_csms"]
    assert sorted(p.name for p in (out / "acme_csms").iterdir()) == ["ocpp", "ocpp_tests"]
    leftovers = [p for p in out.rglob("*.py") if "ocpp_bindings" in p.read_text()]
    assert not leftovers, leftovers

    imported = _python(
        "import json\n"
        "from acme_csms.ocpp.v201 import BootNotificationRequest, examples\n"
        "from acme_csms.ocpp.v201.dispatch import Dispatcher\n"
        "from acme_csms.ocpp import VERSIONS\n"
        "request = BootNotificationRequest.from_dict(examples.request('BootNotification'))\n"
        "print(type(request).__module__, sorted(VERSIONS))",
        out,
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.split() == ["acme_csms.ocpp.v201.messages", "['2.0.1']"]

    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "-p", "no:randomly", str(out / "acme_csms" / "ocpp_tests")],
        cwd=out, env={**os.environ, "PYTHONPATH": str(out)},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert " passed" in tests.stdout and " skipped" not in tests.stdout

    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental",
         "-p", "acme_csms.ocpp", "-p", "acme_csms.ocpp_tests"],
        cwd=out, env={**os.environ, "MYPYPATH": str(out)},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert mypy.returncode == 0, mypy.stdout[-3000:]

    assert run("check", "--version", "2.0.1", cwd=tmp_path).returncode == 0
    other = run("check", "--version", "2.0.1", "--package", "ocpp_bindings", cwd=tmp_path)
    assert other.returncode == 1, "another package name is another output"


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("acme-csms", "'acme-csms' is not a Python identifier"),
        ("acme.class", "'class' is a Python keyword"),
        ("acme..ocpp", "'' is not a Python identifier"),
        ("json", "shadow the standard library module 'json'"),
    ],
)
def test_invalid_package_name_is_one_line_and_exit_2(
    project: Path, name: str, fragment: str
) -> None:
    result = run("generate", "--package", name, cwd=project)
    _one_line_error(result, "--package", fragment)
    assert not (project / "out").exists()


def test_invalid_package_name_in_pyproject_names_the_file(project: Path) -> None:
    _pyproject(project, 'schemas = "schemas"\nout = "out"\npackage = "3com"')
    result = run("generate", cwd=project)
    _one_line_error(result, "pyproject.toml", "'3com' is not a Python identifier")
    assert not (project / "out").exists()


# -- template overrides -------------------------------------------------------------------------


def _generate(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run("generate", *extra, cwd=project)


def test_example_override_changes_the_output_and_check_sees_an_edit(project: Path) -> None:
    overrides = project / "templates"
    shutil.copytree(EXAMPLE_OVERRIDES, overrides)
    _pyproject(project, 'schemas = "schemas"\nout = "out"\ntemplates = "templates"')
    assert _generate(project).returncode == 0
    datatypes = (project / "out" / "ocpp_bindings" / "v201" / "datatypes.py").read_text()
    assert "def __repr__(self) -> str:" in datatypes

    shown = _python(
        "from ocpp_bindings.v201 import DataTransferRequest\n"
        "print(repr(DataTransferRequest(vendor_id='com.acme', message_id='x')))",
        project / "out",
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == "DataTransferRequest(vendor_id='com.acme', message_id='x')"

    lint = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "ocpp_bindings"],
        cwd=project / "out", env={**os.environ, "MYPYPATH": str(project / "out")},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert lint.returncode == 0, lint.stdout[-2000:]

    assert run("check", cwd=project).returncode == 0
    template = overrides / "objects.py.j2"
    template.write_text(template.read_text().replace("are set", "are set (edited)"))
    stale = run("check", cwd=project)
    assert stale.returncode == 1
    assert "stale" in stale.stderr and "ocpp_bindings/v201/datatypes.py" in stale.stderr
    without = run("check", "--templates", str(project / "schemas"), cwd=project)
    assert without.returncode == 1, "dropping the override makes the output stale too"


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        pytest.param(
            '{% extends "ocppgen:enums.py.j2" %}\n{% block nothing %}\n{% for x in %}\n',
            ("enums.py.j2:3", "template syntax error"),
            id="jinja syntax error",
        ),
        pytest.param(
            "{% include 'header.j2' %}\nX = 1\n{{ no_such_variable }}\n",
            ("enums.py.j2:3", "'no_such_variable' is undefined"),
            id="undefined variable",
        ),
        pytest.param(
            "{% include 'header.j2' %}\ndef broken(:\n",
            ("enums.py.j2", "black cannot parse", "ocpp_bindings/v201/enums.py"),
            id="output black cannot parse",
        ),
    ],
)
def test_broken_override_is_one_line_exit_2_and_nothing_written(
    project: Path, text: str, fragments: tuple[str, ...]
) -> None:
    assert _generate(project).returncode == 0
    before = _snapshot(project / "out")
    overrides = project / "templates"
    overrides.mkdir()
    (overrides / "enums.py.j2").write_text(text)
    line = _one_line_error(_generate(project, "--templates", str(overrides)), *fragments)
    assert str(overrides) in line, "the error names the override, not the bundled template"
    assert _snapshot(project / "out") == before


def test_templates_list_and_copy(project: Path) -> None:
    overrides = project / "mine"
    copied = run("templates", "copy", "objects.py.j2", "scaffold/handlers.py.j2", "--to",
                 str(overrides), cwd=project)  # fmt: skip
    assert copied.returncode == 0, copied.stderr
    bundled = ROOT / "templates"
    for name in ("objects.py.j2", "scaffold/handlers.py.j2"):
        assert (overrides / name).read_bytes() == (bundled / name).read_bytes()
    (overrides / "helpers.j2").write_text("{# included by my overrides #}\n")

    listed = run("templates", "list", "--templates", str(overrides), cwd=project)
    assert listed.returncode == 0, listed.stderr
    rows = dict(reversed(line.split()) for line in listed.stdout.splitlines())
    assert set(rows) == set(bundled_template_names()) | {"helpers.j2"}
    assert rows["objects.py.j2"] == "overridden"
    assert rows["scaffold/handlers.py.j2"] == "overridden"
    assert rows["enums.py.j2"] == "bundled"
    assert rows["helpers.j2"] == "extra"

    (overrides / "objects.py.j2").write_text("mine\n")
    again = run("templates", "copy", "objects.py.j2", "--to", str(overrides), cwd=project)
    assert again.returncode == 1 and "--force" in again.stderr
    assert (overrides / "objects.py.j2").read_text() == "mine\n"
    unknown = run(
        "templates", "copy", "enums.py.j2", "nope.j2", "--to", str(overrides), cwd=project
    )
    _one_line_error(unknown, "no bundled template 'nope.j2'")
    assert not (overrides / "enums.py.j2").exists(), "nothing written when one name is bad"


def test_scaffold_uses_the_package_name(project: Path) -> None:
    out = project / "my_csms"
    result = run("scaffold", "--version", "2.0.1", "--role", "csms", "--out", str(out),
                 "--package", "acme_csms.ocpp", cwd=project)  # fmt: skip
    assert result.returncode == 0, result.stderr
    handlers = (out / "handlers.py").read_text()
    assert "from acme_csms.ocpp.v201.handlers import" in handlers
    assert "ocpp_bindings" not in handlers
