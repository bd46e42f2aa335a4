"""``ocppgen scaffold``: starter packages that pass their own tests and mypy --strict."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT, SCHEMAS
from test_cli import run

VERSIONS = {"1.6": "v16", "2.0.1": "v201", "2.1": "v21"}
ROLES = {"csms": "csms", "charging-station": "station"}


def _scaffold(out: Path, version: str, role: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return run(
        "scaffold", "--version", version, "--role", role, "--out", str(out),
        "--schemas", str(SCHEMAS), *extra, cwd=out.parent,
    )  # fmt: skip


@pytest.mark.xdist_group("scaffold")
def test_every_version_and_role_passes_its_own_tests_and_mypy(tmp_path: Path) -> None:
    folders = []
    for version, package in VERSIONS.items():
        for role, short in ROLES.items():
            out = tmp_path / f"{package}_{short}"
            result = _scaffold(out, version, role)
            assert result.returncode == 0, result.stderr
            folders.append(out)
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'generated'}{os.pathsep}{tmp_path}"}
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         *map(str, folders)],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert " passed" in tests.stdout and "skipped" not in tests.stdout
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *map(str, folders)],
        cwd=tmp_path, env={**env, "MYPYPATH": str(ROOT / "generated")},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert mypy.returncode == 0, mypy.stdout[-3000:]


def test_existing_folder_is_refused_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "my_station"
    assert _scaffold(out, "2.0.1", "charging-station").returncode == 0
    handlers = out / "handlers.py"
    handlers.write_text("# my own work\n")
    again = _scaffold(out, "2.0.1", "charging-station")
    assert again.returncode == 1
    assert "exists" in again.stderr and "--force" in again.stderr
    assert handlers.read_text() == "# my own work\n"
    forced = _scaffold(out, "2.0.1", "charging-station", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "class ChargingStationHandlers(" in handlers.read_text()


def test_profiles_narrow_the_scaffold(tmp_path: Path) -> None:
    out = tmp_path / "boot_only"
    result = _scaffold(out, "2.0.1", "csms", "--profile", "Provisioning")
    assert result.returncode == 0, result.stderr
    text = (out / "handlers.py").read_text()
    assert "ProvisioningCSMSHandler" in text and "TransactionsCSMSHandler" not in text
    assert "async def on_boot_notification(" in text
    assert "TODO" in text
    bad = _scaffold(tmp_path / "nope", "2.0.1", "csms", "--profile", "Nonsense")
    assert bad.returncode == 2 and "unknown profile 'Nonsense'" in bad.stderr
    assert not (tmp_path / "nope").exists()


def test_folder_name_must_be_a_package_name(tmp_path: Path) -> None:
    result = _scaffold(tmp_path / "my-csms", "2.0.1", "csms")
    assert result.returncode == 2 and "package name" in result.stderr
    assert not (tmp_path / "my-csms").exists()
