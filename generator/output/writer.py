"""Write the generated package (only what changed, all or nothing), and compare it with disk."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from generator.errors import GeneratorError
from generator.output.layout import Layout
from generator.output.manifest import sha256

DEFAULT_ROOTS = Layout().roots


@dataclass(frozen=True)
class Drift:
    """How the package on disk differs from what generate would write."""

    stale: tuple[str, ...] = ()
    """Files whose content differs (a hand edit included)."""
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    """Files in the package folder that generate would not write."""

    def __bool__(self) -> bool:
        return bool(self.stale or self.missing or self.extra)


CACHES = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis"})
"""Folders that tools write into a package or its tests (pytest's rootdir cache...): not ours."""


def files_on_disk(out_dir: Path, roots: tuple[str, ...] = DEFAULT_ROOTS) -> dict[str, Path]:
    """Files under the generated ``roots`` of ``out_dir`` (caches aside), by relative path."""
    found: dict[str, Path] = {}
    for root in roots:
        target = out_dir / root
        if target.is_dir():
            found.update(
                (path.relative_to(out_dir).as_posix(), path)
                for path in sorted(target.rglob("*"))
                if path.is_file() and CACHES.isdisjoint(path.parts)
            )
    return found


def drift(out_dir: Path, expected: dict[str, str], roots: tuple[str, ...] = DEFAULT_ROOTS) -> Drift:
    """Compare the files on disk with ``expected`` (path -> sha256 of the wanted content)."""
    on_disk = files_on_disk(out_dir, roots)
    stale = [
        path
        for path, digest in expected.items()
        if path in on_disk and sha256(on_disk[path].read_bytes()) != digest
    ]
    missing = [path for path in expected if path not in on_disk]
    extra = [path for path in on_disk if path not in expected]
    return Drift(tuple(sorted(stale)), tuple(sorted(missing)), tuple(sorted(extra)))


def write_package(
    out_dir: Path, files: dict[str, str], roots: tuple[str, ...] = DEFAULT_ROOTS
) -> list[str]:
    """Make the ``roots`` of ``out_dir`` hold exactly ``files``; returns the paths rewritten.

    Changed files are first written next to their targets under temporary names; only when
    all of them are on disk are they renamed into place (the manifest last) and files that
    are no longer generated removed. A failure while writing leaves the package untouched.
    """
    try:
        return _write_changed(out_dir, files, roots)
    except OSError as exc:
        raise GeneratorError(
            f"cannot write the package: {exc.strerror or exc}", str(out_dir)
        ) from None


def _write_changed(out_dir: Path, files: dict[str, str], roots: tuple[str, ...]) -> list[str]:
    on_disk = files_on_disk(out_dir, roots)
    changed = [
        path
        for path, text in files.items()
        if path not in on_disk or on_disk[path].read_bytes() != text.encode()
    ]
    # The manifest goes last: until it is replaced, an interrupted run looks stale to check.
    changed.sort(key=lambda path: (path.endswith("/manifest.json"), path))
    replace_files({out_dir / path: files[path].encode() for path in changed})
    for path, stray in on_disk.items():
        if path not in files:
            stray.unlink()
    for root in roots:
        if (out_dir / root).is_dir():
            _remove_empty_folders(out_dir / root)
    return changed


def replace_files(contents: dict[Path, bytes]) -> None:
    """Write every file under a temporary name beside it, then rename all into place.

    Renames follow the order of ``contents``. If any write fails, the temporary files are
    removed and the targets are untouched; the OSError propagates.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in contents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            staged.append((temporary, target))
            temporary.write_bytes(data)
            temporary.chmod(0o644)
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, target in staged:
        os.replace(temporary, target)


def _remove_empty_folders(package: Path) -> None:
    """Remove the folders left empty under ``package``, and ``package`` itself if empty."""
    for folder in sorted((p for p in package.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    if not any(package.iterdir()):
        package.rmdir()


class FolderExists(Exception):
    """The output folder exists and ``--force`` was not given."""


def write_new_folder(out: Path, files: dict[str, str], force: bool) -> None:
    """Write the files (relative path -> text) into ``out``, a folder the user names for a
    starter (scaffold, extension init); refuse an existing folder unless ``force``."""
    if out.exists() and not force:
        raise FolderExists(str(out))
    try:
        replace_files({out / name: text.encode() for name, text in files.items()})
    except OSError as exc:
        raise GeneratorError(f"cannot write: {exc.strerror or exc}", str(out)) from None
