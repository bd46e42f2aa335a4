"""Each flavour's dependencies are an extra (issue 19, item 19): ``ocppgen[pydantic]``; a
missing extra is one line naming it, exit 2; the versions that shape the output are pinned
exactly and recorded in the manifest, and a manifest without them is read as stale."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from support import GENERATED, ROOT, SCHEMAS

from generator import toml as tomllib
from generator.flavours import EXTRAS, FORMATTER, Style, output_tools
from generator.output.manifest import read_manifest

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
REQUIREMENT = re.compile(r"^([A-Za-z0-9._-]+)\s*([^;]*)")


def _requirements(lines: list[str]) -> dict[str, str]:
    """Distribution name -> version specifier."""
    found = {}
    for line in lines:
        match = REQUIREMENT.match(line)
        assert match is not None, line
        found[match.group(1).lower()] = match.group(2).strip()
    return found


def test_the_base_install_has_no_flavour_dependencies() -> None:
    base = _requirements(PYPROJECT["dependencies"])
    for extra in EXTRAS.values():
        assert set(extra.needs).isdisjoint(base), extra.name
    pinned = sorted(name for name, spec in base.items() if spec.startswith("=="))
    assert pinned == [FORMATTER], "only the formatter's version shapes every flavour's output"


@pytest.mark.parametrize("style", sorted(EXTRAS, key=lambda s: s.value))
def test_each_extra_installs_what_its_flavour_needs_pinned_where_output_depends(
    style: Style,
) -> None:
    extra = EXTRAS[style]
    assert extra.name == style.value
    declared = _requirements(PYPROJECT["optional-dependencies"][extra.name])
    assert sorted(declared) == sorted(extra.needs)
    exact = sorted(name for name, spec in declared.items() if spec.startswith("=="))
    assert exact == sorted(extra.shapes_output)


def test_the_makefile_installs_every_extra() -> None:
    setup = re.search(r"pip install --quiet -e '\.\[([a-z,]+)\]'", (ROOT / "Makefile").read_text())
    assert setup is not None
    assert {e.name for e in EXTRAS.values()} | {"dev", "bench"} <= set(setup.group(1).split(","))


WITHOUT = (
    "import importlib.metadata as m, sys\n"
    "real = m.version\n"
    "def version(name):\n"
    "    if name == {name!r}:\n"
    "        raise m.PackageNotFoundError(name)\n"
    "    return real(name)\n"
    "m.version = version\n"
    "sys.modules[{module!r}] = None  # importing it fails, as when it is not installed\n"
    "from generator.cli import app\n"
    "app(sys.argv[1:])\n"
)


@pytest.mark.parametrize("command", ["generate", "check"])
def test_a_missing_extra_is_one_line_naming_it(tmp_path: Path, command: str) -> None:
    code = WITHOUT.format(name="datamodel-code-generator", module="datamodel_code_generator")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-c", code, command, "--style", "pydantic", "--out", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "ocppgen: error: --style pydantic: the pydantic flavour needs datamodel-code-generator, "
        "not installed: pip install 'ocppgen[pydantic]'"
    ]
    assert not out.exists()
    version = subprocess.run(
        [sys.executable, "-c", code, "--version"], capture_output=True, text=True, check=True
    )
    assert "--style pydantic: not installed (pip install 'ocppgen[pydantic]')" in version.stdout


def test_the_dataclasses_flavour_needs_no_extra(tmp_path: Path) -> None:
    # (pydantic itself stays: typer, a base dependency, needs it)
    code = WITHOUT.format(name="datamodel-code-generator", module="datamodel_code_generator")
    code = code.replace("from generator.cli", "sys.modules['isort'] = None\nfrom generator.cli")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-c", code, "generate", "--version", "2.0.1", "--out", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_manifest_records_the_versions_that_shape_the_output() -> None:
    bindings = json.loads((GENERATED / "ocpp_bindings" / "manifest.json").read_text())
    assert bindings["tools"] == {"black": metadata.version("black")}
    variant = GENERATED / "variants" / "pydantic-v201" / "ocpp_bindings" / "manifest.json"
    assert json.loads(variant.read_text())["tools"] == {
        "black": metadata.version("black"),
        "datamodel-code-generator": metadata.version("datamodel-code-generator"),
    }
    assert output_tools(Style.PYDANTIC) == json.loads(variant.read_text())["tools"]


def test_a_manifest_without_tool_versions_is_stale_not_broken(tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(GENERATED / "ocpp_bindings", out / "ocpp_bindings")
    shutil.copytree(GENERATED / "ocpp_bindings_tests", out / "ocpp_bindings_tests")
    manifest = out / "ocpp_bindings" / "manifest.json"
    document = json.loads(manifest.read_text())
    del document["tools"]
    manifest.write_text(json.dumps(document, indent=2) + "\n")
    old = read_manifest(manifest)
    assert old is not None and old.tools == {} and old.outputs
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    ocppgen = [sys.executable, "-c", "from generator.cli import app; app()"]
    where = ["--schemas", str(SCHEMAS), "--out", str(out)]
    check = subprocess.run(
        [*ocppgen, "check", *where], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert check.returncode == 1, check.stderr
    assert "stale   ocpp_bindings/manifest.json" in check.stderr
    assert check.stderr.count("stale") == 1
    generate = subprocess.run(
        [*ocppgen, "generate", *where], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert generate.returncode == 0, generate.stderr
    assert generate.stdout.splitlines()[1:] == ["  wrote ocpp_bindings/manifest.json"]
    assert manifest.read_bytes() == (GENERATED / "ocpp_bindings" / "manifest.json").read_bytes()
