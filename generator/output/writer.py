"""Write the generated package (only what changed, all or nothing), and compare it with disk."""

from __future__ import annotations

import os
import stat
from collections.abc import Collection
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
    """Entries under the generated ``roots`` of ``out_dir`` (caches aside), by relative path.

    Symbolic links are never followed: a root that is a link, or has one on its way from
    ``out_dir``, or a linked folder inside a root, is an error (generate writes and deletes only
    in real folders under ``out_dir``); a linked file is listed like a file, and replaced or
    removed as the link itself.
    """
    found: dict[str, Path] = {}
    for root in roots:
        _refuse_links_on_the_way(out_dir, root)
        target = out_dir / root
        if not target.is_dir():
            continue
        for folder, dirs, names in os.walk(target):
            here = Path(folder)
            for name in dirs:
                if (here / name).is_symlink():
                    raise _link_error(here / name)
            dirs[:] = sorted(name for name in dirs if name not in CACHES)
            for name in names:
                path = here / name
                found[path.relative_to(out_dir).as_posix()] = path
    return dict(sorted(found.items()))


def _refuse_links_on_the_way(out_dir: Path, root: str) -> None:
    folder = out_dir
    for part in root.split("/"):
        folder = folder / part
        if folder.is_symlink():
            raise _link_error(folder)


def _link_error(path: Path) -> GeneratorError:
    return GeneratorError(
        "is a symbolic link: generate writes only into real folders under the output folder "
        "and never follows links there; replace the link with a folder",
        str(path),
    )


def read_regular(path: Path) -> bytes | None:
    """The content of ``path`` when it is a regular file (not a link, FIFO or device, which
    are never read), else None."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        return path.read_bytes()
    except OSError:
        return None


def drift(out_dir: Path, expected: dict[str, str], roots: tuple[str, ...] = DEFAULT_ROOTS) -> Drift:
    """Compare the files on disk with ``expected`` (path -> sha256 of the wanted content)."""
    on_disk = files_on_disk(out_dir, roots)
    stale = [
        path
        for path, digest in expected.items()
        if path in on_disk and _digest(on_disk[path]) != digest
    ]
    missing = [path for path in expected if path not in on_disk]
    extra = [path for path in on_disk if path not in expected]
    return Drift(tuple(sorted(stale)), tuple(sorted(missing)), tuple(sorted(extra)))


def _digest(path: Path) -> str | None:
    data = read_regular(path)
    return None if data is None else sha256(data)


@dataclass(frozen=True)
class Changes:
    """What a write did on disk."""

    rewritten: list[str]
    removed: list[str]
    """Files no longer generated, and with ``force`` the files ocppgen did not write."""
    kept: list[str]
    """Files in the generated folders that ocppgen did not write, left in place."""


def write_package(
    out_dir: Path,
    files: dict[str, str],
    roots: tuple[str, ...] = DEFAULT_ROOTS,
    *,
    recorded: Collection[str] = (),
    force: bool = False,
) -> Changes:
    """Write ``files`` into the ``roots`` of ``out_dir``: only what changed, all or nothing.

    Changed files are first written next to their targets under temporary names; only when
    all of them are on disk are they renamed into place (the manifest last). Then a file that
    is no longer generated is removed if ocppgen wrote it (``recorded``: the paths of the
    previous generation) or ``force`` is set; any other file is kept (and listed). A failure
    while writing leaves the package untouched.
    """
    try:
        return _write_changed(out_dir, files, roots, set(recorded), force)
    except OSError as exc:
        raise GeneratorError(
            f"cannot write the package: {exc.strerror or exc}", str(out_dir)
        ) from None


def _write_changed(
    out_dir: Path, files: dict[str, str], roots: tuple[str, ...], recorded: set[str], force: bool
) -> Changes:
    on_disk = files_on_disk(out_dir, roots)
    changed = [
        path
        for path, text in files.items()
        if path not in on_disk or read_regular(on_disk[path]) != text.encode()
    ]
    # The manifest goes last: until it is replaced, an interrupted run looks stale to check.
    changed.sort(key=lambda path: (path.endswith("/manifest.json"), path))
    replace_files({out_dir / path: files[path].encode() for path in changed})
    strays = [path for path in on_disk if path not in files]
    removed = [path for path in strays if force or path in recorded]
    for path in removed:
        on_disk[path].unlink()
    for root in roots:
        if (out_dir / root).is_dir():
            _remove_empty_folders(out_dir / root)
    kept = [path for path in strays if path not in removed]
    return Changes(changed, removed, kept)


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
    """Remove the folders left empty under ``package``, and ``package`` itself if empty (links
    and caches are not entered)."""
    folders: list[Path] = []
    for folder, dirs, _ in os.walk(package):
        dirs[:] = [name for name in dirs if name not in CACHES]
        folders.append(Path(folder))
    for here in reversed(folders):
        if not any(here.iterdir()):
            here.rmdir()


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
