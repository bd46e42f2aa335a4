"""Generation speed: ocppgen against datamodel-code-generator, side by side.

- cold: all three versions into an empty folder (a fresh process each time, as in CI);
- check: ``ocppgen check`` with nothing changed;
- one schema changed: an enum value added to one 2.0.1 schema, then generate again;
- datamodel-codegen: plain dataclasses for the same three schema sets (no incremental mode,
  so a change costs it a full run).
Run: make bench
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import print_table, wall_s

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VERSIONS = ("1.6", "2.0.1", "2.1")
CHANGED = Path("2.0.1") / "BootNotificationRequest.json"


def run(*command: str | Path) -> None:
    subprocess.run([str(part) for part in command], check=True, capture_output=True)


def toggle_enum_value(schema: Path) -> None:
    """Add a value to the file's first enum, or remove it again."""
    document = json.loads(schema.read_text(encoding="utf-8-sig"))
    enum = next(d for d in document["definitions"].values() if "enum" in d)
    values = enum["enum"]
    values.remove("BenchValue") if "BenchValue" in values else values.append("BenchValue")
    schema.write_text(json.dumps(document, indent=2), encoding="utf-8")


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        schemas = work / "schemas"
        for version in VERSIONS:
            shutil.copytree(ROOT / "schemas" / version, schemas / version)
        ocppgen = [BIN / "ocppgen"]
        out = work / "out"

        def cold() -> None:
            shutil.rmtree(out, ignore_errors=True)
            run(*ocppgen, "generate", "--schemas", schemas, "--out", out)

        def check() -> None:
            run(*ocppgen, "check", "--schemas", schemas, "--out", out)

        def one_changed() -> None:
            toggle_enum_value(schemas / CHANGED)
            run(*ocppgen, "generate", "--schemas", schemas, "--out", out)

        def dmc() -> None:
            target = work / "dmc"
            shutil.rmtree(target, ignore_errors=True)
            folders = [schemas / version for version in VERSIONS]
            run(sys.executable, Path(__file__).parent / "dmc_dataclasses.py", target, *folders)

        rows = [("ocppgen generate, cold", wall_s(cold))]
        rows.append(("ocppgen check, nothing changed", wall_s(check, rounds=5)))
        rows.append(("ocppgen generate, one schema changed", wall_s(one_changed, rounds=4)))
        rows.append(("datamodel-codegen dataclasses, full run", wall_s(dmc)))
    print_table(
        "Generation of 1.6 + 2.0.1 + 2.1 (fresh process per run)",
        rows,
        "s",
        "ocppgen generate, cold",
    )
    times = dict(rows)
    cold, check = times["ocppgen generate, cold"], times["ocppgen check, nothing changed"]
    dmc = times["datamodel-codegen dataclasses, full run"]
    print("\nTargets:")
    print(
        f"  cold generate faster than datamodel-codegen: {dmc / cold:.2f}x  "
        f"{'met' if cold < dmc else 'MISSED'}"
    )
    print(f"  no-op check <= 1.5 s: {check:.2f} s  {'met' if check <= 1.5 else 'MISSED'}")


if __name__ == "__main__":
    main()
