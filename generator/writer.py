"""Write the generated package atomically, and compare it with what is on disk."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from generator.errors import GeneratorError
from generator.render import PACKAGE

MANIFEST = "manifest.json"


def with_manifest(files: dict[str, str], generator_version: str) -> dict[str, str]:
    """Add ``ocpp_bindings/manifest.json``: every file's sha256, for drift checks."""
    digests = {path: hashlib.sha256(text.encode()).hexdigest() for path, text in files.items()}
    manifest = {"generator": "ocppgen", "version": generator_version, "files": digests}
    out = dict(files)
    out[f"{PACKAGE}/{MANIFEST}"] = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    return {path: out[path] for path in sorted(out)}


def write_package(out_dir: Path, files: dict[str, str]) -> None:
    """Replace ``out_dir/ocpp_bindings`` with ``files`` as one step.

    The new package is written to a temporary sibling folder first, then swapped in by
    renames, so a failure leaves the previous package untouched.
    """
    try:
        _write_and_swap(out_dir, files)
    except OSError as exc:
        raise GeneratorError(
            f"cannot write the package: {exc.strerror or exc}", str(out_dir)
        ) from None


def _write_and_swap(out_dir: Path, files: dict[str, str]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / PACKAGE
    staging = Path(tempfile.mkdtemp(prefix=f".{PACKAGE}.new-", dir=out_dir))
    try:
        for relative, text in files.items():
            path = staging / Path(relative).relative_to(PACKAGE)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode())
        for folder in [staging, *(p for p in staging.rglob("*") if p.is_dir())]:
            folder.chmod(0o755)
        backup = out_dir / f".{PACKAGE}.old-{os.getpid()}"
        if target.exists():
            target.rename(backup)
        staging.rename(target)
        shutil.rmtree(backup, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def differences(out_dir: Path, files: dict[str, str]) -> list[str]:
    """Paths that are missing, changed or not generated (sorted); empty when up to date."""
    target = out_dir / PACKAGE
    on_disk = {
        str(p.relative_to(out_dir).as_posix())
        for p in target.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    changed = [
        path
        for path, text in files.items()
        if path not in on_disk or (out_dir / path).read_bytes() != text.encode()
    ]
    return sorted(changed + [path for path in on_disk if path not in files])
