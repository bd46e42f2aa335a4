"""A wheel built from the repository works from any folder, with no checkout around it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from support import ROOT

from generator.flavours import EXTRAS


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_wheel_ships_templates_and_schemas_and_generates_the_same_package(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("ocppgen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "generator/_bundled/templates/objects.py.j2" in names
    assert "generator/_bundled/schemas/2.1/BootNotificationRequest.json" in names
    assert "generator/_bundled/schemas/PROVENANCE.md" in names
    assert "generator/_bundled/schemas/1.6/ocppgen.toml" in names
    (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
    metadata = zipfile.ZipFile(wheel).read(metadata_name).decode()
    requires = [
        line.split(":", 1)[1].strip()
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:")
    ]
    for extra in EXTRAS.values():
        assert f"Provides-Extra: {extra.name}" in metadata.splitlines()
        for name in extra.needs:
            found = [
                r
                for r in requires
                if re.match(rf"{re.escape(name)}[<>=!~]", r)
                and r.endswith(f"; extra == '{extra.name}'")
            ]
            assert len(found) == 1, (extra.name, name, requires)

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    workdir = tmp_path / "anywhere"
    workdir.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONHASHSEED": "7"}
    code = (
        "import generator, sys; assert generator.__file__.startswith(sys.argv[1]); "
        "from generator.cli import app; app(sys.argv[2:])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(site), "generate"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert _files(workdir / "generated" / "ocpp_bindings") == _files(
        ROOT / "generated" / "ocpp_bindings"
    )
