"""What generate may touch under ``--out`` (issue 19: items 2 and 7).

Generate writes only into folders it owns (empty, or recorded by its manifest), removes only
files it wrote unless ``--force``, names the others, and never follows a symbolic link.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from test_cli import _snapshot, run
from test_extensions import _extension, _small_schemas

LINK_ERROR = "is a symbolic link: generate writes only into real folders under the output folder"


def _generate(
    tmp_path: Path, *more: str, command: str = "generate"
) -> subprocess.CompletedProcess[str]:
    schemas = tmp_path / "schemas"
    if not schemas.is_dir():
        _small_schemas(schemas)
    return run(command, "--schemas", str(schemas), *more, cwd=tmp_path)


def _one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ocppgen: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


# -- item 2: folders and files generate did not write ---------------------------------------------


@pytest.mark.parametrize(
    ("options", "user_file"),
    [
        (("--out", "proj", "--package", "mypkg"), "proj/mypkg/core.py"),
        (("--out", "proj", "--package", "mypkg"), "proj/mypkg_tests/test_core.py"),
        (("--out", ".", "--package", "src"), "src/app.py"),
    ],
    ids=["package", "tests", "src"],
)
def test_a_folder_with_files_and_no_manifest_is_refused(
    tmp_path: Path, options: tuple[str, ...], user_file: str
) -> None:
    mine = tmp_path / user_file
    mine.parent.mkdir(parents=True)
    mine.write_text("# the user's own code\n")
    before = _snapshot(tmp_path / "proj" if "proj" in user_file else tmp_path / "src")
    result = _generate(tmp_path, *options)
    _one_line_error(result, f" {mine.parent.relative_to(tmp_path)}: ", "was not written by ocppgen")
    after = _snapshot(tmp_path / "proj" if "proj" in user_file else tmp_path / "src")
    assert after == before, "nothing may change"


def test_an_empty_folder_or_one_with_only_caches_is_taken(tmp_path: Path) -> None:
    (tmp_path / "out" / "ocpp_bindings").mkdir(parents=True)
    (tmp_path / "out" / "ocpp_bindings_tests" / "__pycache__").mkdir(parents=True)
    (tmp_path / "out" / "ocpp_bindings_tests" / "__pycache__" / "x.pyc").write_bytes(b"")
    result = _generate(tmp_path, "--out", "out")
    assert result.returncode == 0, result.stderr


def test_files_ocppgen_did_not_write_are_kept_and_named_unless_force(tmp_path: Path) -> None:
    assert _generate(tmp_path, "--out", "out").returncode == 0
    mine = ["ocpp_bindings/v201/mine.py", "ocpp_bindings_tests/helpers.py"]
    for path in mine:
        (tmp_path / "out" / path).write_text("# mine\n")
    again = _generate(tmp_path, "--out", "out")
    assert again.returncode == 0, again.stderr
    for path in mine:
        assert (tmp_path / "out" / path).read_text() == "# mine\n"
        assert f"  kept {path} (not written by ocppgen; generate --force removes it)" in (
            again.stdout
        )
    checked = _generate(tmp_path, "--out", "out", command="check")
    assert checked.returncode == 1
    assert [line.split() for line in checked.stderr.splitlines() if "extra" in line] == [
        ["extra", path] for path in mine
    ]
    forced = _generate(tmp_path, "--out", "out", "--force")
    assert forced.returncode == 0, forced.stderr
    for path in mine:
        assert not (tmp_path / "out" / path).exists()
        assert f"  removed {path}" in forced.stdout
    assert _generate(tmp_path, "--out", "out", command="check").returncode == 0


def test_files_ocppgen_wrote_are_removed_when_no_longer_generated(tmp_path: Path) -> None:
    folder = _extension(tmp_path / "ext")
    out = ("--out", "out")
    assert _generate(tmp_path, *out, "--extension", str(folder)).returncode == 0
    (tmp_path / "out" / "zap_ocpp" / "notes.txt").write_text("mine\n")
    dropped = _generate(tmp_path, *out)
    assert dropped.returncode == 0, dropped.stderr
    assert "  removed zap_ocpp/v201/registry.py" in dropped.stdout
    left = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*"))
    assert [p for p in left if p.startswith("zap_ocpp")] == ["zap_ocpp", "zap_ocpp/notes.txt"]


# -- item 7: symbolic links under --out ------------------------------------------------------------


def _elsewhere(tmp_path: Path) -> Path:
    """A folder outside the output folder, with a file that must survive."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.py").write_text("# not ocppgen's\n")
    return elsewhere


def test_a_linked_package_folder_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    elsewhere = _elsewhere(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "ocpp_bindings").symlink_to(elsewhere, target_is_directory=True)
    for command in ("generate", "check"):
        result = _generate(tmp_path, "--out", "out", command=command)
        _one_line_error(result, " out/ocpp_bindings: ", LINK_ERROR)
    assert _snapshot(elsewhere) == {"precious.py": b"# not ocppgen's\n"}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["ocpp_bindings"]


def test_a_linked_parent_of_a_dotted_package_is_refused(tmp_path: Path) -> None:
    elsewhere = _elsewhere(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "acme").symlink_to(elsewhere, target_is_directory=True)
    result = _generate(tmp_path, "--out", "out", "--package", "acme.ocpp")
    _one_line_error(result, " out/acme: ", LINK_ERROR)
    assert _snapshot(elsewhere) == {"precious.py": b"# not ocppgen's\n"}


def test_a_linked_version_folder_sends_nothing_outside_out(tmp_path: Path) -> None:
    assert _generate(tmp_path, "--out", "out").returncode == 0
    version = tmp_path / "out" / "ocpp_bindings" / "v201"
    elsewhere = _elsewhere(tmp_path)
    for path in sorted(version.iterdir()):
        path.replace(elsewhere / path.name)
    version.rmdir()
    version.symlink_to(elsewhere, target_is_directory=True)
    before = _snapshot(elsewhere)
    (elsewhere / "enums.py").write_text("# edited, so that generate has to write\n")
    edited = _snapshot(elsewhere)
    assert edited != before
    result = _generate(tmp_path, "--out", "out", "--force")
    _one_line_error(result, " out/ocpp_bindings/v201: ", LINK_ERROR)
    assert _snapshot(elsewhere) == edited


def test_linked_files_are_replaced_or_removed_as_links_never_through_them(tmp_path: Path) -> None:
    assert _generate(tmp_path, "--out", "out").returncode == 0
    elsewhere = _elsewhere(tmp_path)
    package = tmp_path / "out" / "ocpp_bindings"
    (package / "v201" / "enums.py").unlink()
    (package / "v201" / "enums.py").symlink_to(elsewhere / "precious.py")
    (package / "v201" / "link.py").symlink_to(elsewhere / "precious.py")
    kept = _generate(tmp_path, "--out", "out")
    assert kept.returncode == 0, kept.stderr
    assert not (package / "v201" / "enums.py").is_symlink()
    assert "class " in (package / "v201" / "enums.py").read_text()
    assert (package / "v201" / "link.py").is_symlink()
    forced = _generate(tmp_path, "--out", "out", "--force")
    assert forced.returncode == 0, forced.stderr
    assert not (package / "v201" / "link.py").exists()
    assert _snapshot(elsewhere) == {"precious.py": b"# not ocppgen's\n"}
