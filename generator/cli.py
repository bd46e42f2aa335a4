"""The ``ocppgen`` command line: a thin typer layer over :mod:`generator.pipeline`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer

from generator import PACKAGE, pipeline
from generator.config import Settings, resolve_settings
from generator.errors import GeneratorError

if TYPE_CHECKING:
    from generator import ir

app = typer.Typer(
    help="Generate typed, validated Python bindings from the OCA's OCPP JSON schemas.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

SchemasOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer reads the annotation at run time
    typer.Option(
        "--schemas",
        help="Folder with one subfolder per OCPP version (1.6, 2.0.1, 2.1). "
        "Default: [tool.ocppgen] schemas in the nearest pyproject.toml, else the bundled schemas.",
        file_okay=False,
    ),
]
OutOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--out",
        help="Folder that receives the ocpp_bindings package. "
        "Default: [tool.ocppgen] out in the nearest pyproject.toml, else ./generated.",
        file_okay=False,
    ),
]
VersionOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--version",
        "-v",
        help="OCPP version (repeatable): 1.6, 2.0.1 or 2.1. Default: every version folder present.",
    ),
]


def _settings(schemas: Path | None, out: Path | None, versions: list[str] | None) -> Settings:
    try:
        return resolve_settings(schemas, out, versions, Path.cwd())
    except GeneratorError as exc:
        _fail(exc)


def _fail(error: GeneratorError) -> NoReturn:
    typer.echo(f"ocppgen: error: {error}", err=True)
    raise typer.Exit(code=2)


@app.command()
def generate(
    schemas: SchemasOption = None, out: OutOption = None, version: VersionOption = None
) -> None:
    """Regenerate the ocpp_bindings package: only changed files are rewritten, none on error."""
    settings = _settings(schemas, out, version)
    try:
        written = pipeline.generate(settings)
    except GeneratorError as exc:
        _fail(exc)
    package = settings.out / PACKAGE
    typer.echo(f"{package}: {len(written.files)} files, {len(written.rewritten)} rewritten")
    for path in written.rewritten:
        typer.echo(f"  wrote {path}")


@app.command()
def check(
    schemas: SchemasOption = None, out: OutOption = None, version: VersionOption = None
) -> None:
    """Exit 1 when the package on disk differs from what generate would write; never writes.

    Lists stale (hand-edited included), missing and extra files. Exit 2 on bad input.
    """
    settings = _settings(schemas, out, version)
    try:
        found = pipeline.check(settings)
    except GeneratorError as exc:
        _fail(exc)
    package = settings.out / PACKAGE
    if found:
        typer.echo(f"ocppgen: {package} is not what generate would write:", err=True)
        for label, paths in (
            ("stale", found.stale),
            ("missing", found.missing),
            ("extra", found.extra),
        ):
            for path in paths:
                typer.echo(f"  {label:<8}{path}", err=True)
        typer.echo("run `ocppgen generate` (make generate) and commit the result", err=True)
        raise typer.Exit(code=1)
    typer.echo(f"{package} is up to date")


@app.command("list")
def list_features(
    schemas: SchemasOption = None,
    version: VersionOption = None,
) -> None:
    """Print every action with its profile (functional block), initiators and kind."""
    settings = _settings(schemas, Path("."), version)
    try:
        specs = pipeline.build_specs(settings)
    except GeneratorError as exc:
        _fail(exc)
    for index, spec in enumerate(specs):
        if index:
            typer.echo("")
        typer.echo(feature_table(spec))


def feature_table(spec: ir.Spec) -> str:
    """A plain-text table of a version's actions, grouped by profile."""
    title = f"{spec.title}: {len(spec.actions)} actions in {len(spec.profiles)} profiles"
    rows = [("profile", "action", "initiated by", "kind")]
    for profile in spec.profiles:
        label = f"{profile.letter} {profile.name}" if profile.letter else profile.name
        for action in spec.actions_of(profile):
            rows.append((label, action.name, " + ".join(action.initiated_by), action.kind))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [title]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[3]]).rstrip())
    return "\n".join(lines)
