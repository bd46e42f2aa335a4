"""Golden records: committed outputs of the variants beside ``generated/``, so that a change to a
flavour or extension template is a reviewable diff, and drift fails ``make check``.

- ``generated/variants/pydantic-v201`` and ``generated/variants/msgspec-v201``: the pydantic and
  msgspec flavours of OCPP 2.0.1 (the whole package, with its manifest, checked like
  ``generated/``);
- ``generated/variants/acme``: the worked extension ``examples/extensions/acme`` (its package
  and tests only; the bindings it sits beside are ``generated/``).

    python tests/golden.py write   # make generate
    python tests/golden.py check   # make check: exit 1 listing what differs
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import pipeline  # noqa: E402 - the repository root is put on the path above
from generator.config import Settings  # noqa: E402
from generator.flavours import Style  # noqa: E402
from generator.output.writer import files_on_disk, write_package  # noqa: E402

VARIANTS = ROOT / "generated" / "variants"
SCHEMAS = ROOT / "schemas"
ACME = ROOT / "examples" / "extensions" / "acme"
PYDANTIC = Settings(SCHEMAS, VARIANTS / "pydantic-v201", ("2.0.1",), style=Style.PYDANTIC)
MSGSPEC = Settings(SCHEMAS, VARIANTS / "msgspec-v201", ("2.0.1",), style=Style.MSGSPEC)
FLAVOURS = {"pydantic-v201": PYDANTIC, "msgspec-v201": MSGSPEC}
ACME_SETTINGS = Settings(SCHEMAS, VARIANTS / "acme", ("1.6", "2.0.1"), extensions=(ACME,))
ACME_ROOTS = ("acme_ocpp", "acme_ocpp_tests")


def write() -> None:
    """Regenerate every golden record (only changed files are rewritten)."""
    for settings in FLAVOURS.values():
        pipeline.generate(settings)
    files = pipeline.extension_files(ACME_SETTINGS)
    write_package(ACME_SETTINGS.out, files, ACME_ROOTS, force=True)


def check() -> list[str]:
    """What differs from what the generator writes now (empty: every record is current)."""
    problems = [
        f"{name}: {path}"
        for name, settings in FLAVOURS.items()
        for path in _listed(pipeline.check(settings))
    ]
    expected = pipeline.extension_files(ACME_SETTINGS)
    on_disk = files_on_disk(ACME_SETTINGS.out, ACME_ROOTS)
    for path in sorted(set(expected) | set(on_disk)):
        if path not in on_disk:
            problems.append(f"acme: missing {path}")
        elif path not in expected:
            problems.append(f"acme: extra {path}")
        elif on_disk[path].read_text(encoding="utf-8") != expected[path]:
            problems.append(f"acme: stale {path}")
    return problems


def _listed(drift: pipeline.Drift) -> list[str]:
    return [
        *(f"stale {p}" for p in drift.stale),
        *(f"missing {p}" for p in drift.missing),
        *(f"extra {p}" for p in drift.extra),
    ]


def main(argv: list[str]) -> int:
    if argv == ["write"]:
        write()
        return 0
    if argv == ["check"]:
        problems = check()
        for problem in problems:
            print(f"golden record out of date: {problem}", file=sys.stderr)
        if problems:
            print("run `make generate` and commit generated/variants", file=sys.stderr)
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
