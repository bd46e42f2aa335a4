"""The ``ocppgen`` command line: a thin typer layer over :mod:`generator.pipeline`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional

import typer
import typer.core

from generator import pipeline
from generator.config import Settings, resolve_settings
from generator.errors import GeneratorError
from generator.flavours.base import Style

if TYPE_CHECKING:
    from generator import ir
    from generator.schemas.diff import SchemaSet


class _Argument(typer.core.TyperArgument):
    """An argument shown by its metavar alone (typer would add ``<list[str]>``, ``{OLD}``)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def _usage_display_name(self) -> str:
        return self.display_name_raw


class _Command(typer.core.TyperCommand):
    """A command whose arguments with a metavar show it plainly in ``--help``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if type(param) is typer.core.TyperArgument and param.metavar is not None:
                param.__class__ = _Argument


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
        metavar="ROOT",
        help="Folder with one subfolder per OCPP version (1.6, 2.0.1, 2.1). "
        "Default: [tool.ocppgen] schemas in the nearest pyproject.toml, else the bundled schemas.",
        file_okay=False,
    ),
]
OutOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--out",
        metavar="DIR",
        help="Folder that receives the ocpp_bindings package. "
        "Default: [tool.ocppgen] out in the nearest pyproject.toml, else ./generated.",
        file_okay=False,
    ),
]
VERSION_HELP = "1.6, 2.0.1 or 2.1 (an OCPP version; `ocppgen --version` is ocppgen's own)."


def _version_option(help_text: str) -> Any:
    """``--version V`` / ``-v V`` of a command: an OCPP version."""
    return typer.Option("--version", "-v", metavar="V", help=help_text)


VersionOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    _version_option(
        f"OCPP version (repeatable): {VERSION_HELP} Default: every version folder present."
    ),
]
OneVersionOption = Annotated[str, _version_option(f"OCPP version: {VERSION_HELP}")]
PackageOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--package",
        metavar="NAME",
        help="Import name of the generated package; dotted names (acme_csms.ocpp) are allowed, "
        "the tests go to the sibling NAME_tests. "
        "Default: [tool.ocppgen] package, else ocpp_bindings.",
    ),
]
TemplatesOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--templates",
        metavar="DIR",
        help="Folder of template overrides: a file with the relative path of a bundled template "
        "(see `ocppgen templates list`) replaces it. Default: [tool.ocppgen] templates.",
        file_okay=False,
    ),
]

ExtensionOption = Annotated[
    Optional[list[Path]],  # noqa: UP045
    typer.Option(
        "--extension",
        metavar="DIR",
        help="Vendor extension folder with an ocppgen-extension.toml (repeatable): generates "
        "one package per extension beside the bindings. Default: [tool.ocppgen] extensions.",
        file_okay=False,
    ),
]


StyleOption = Annotated[
    Optional[Style],  # noqa: UP045
    typer.Option(
        "--style",
        help="dataclasses (standard library only), pydantic (pydantic v2 models; needs "
        "ocppgen[pydantic]) or msgspec (msgspec structs; needs ocppgen[msgspec]), the latter "
        "two written by datamodel-code-generator, with the same names and validation. "
        "Default: [tool.ocppgen] style, else dataclasses.",
    ),
]


def version_line() -> str:
    """``ocppgen --version``: ocppgen's version and those of the packages that shape output."""
    from importlib import metadata

    from generator import __version__
    from generator.flavours import EXTRAS, FORMATTER

    tools = [f"{FORMATTER} {metadata.version(FORMATTER)}"]
    for style, extra in EXTRAS.items():
        for name in extra.shapes_output:
            try:
                found = f"{name} {metadata.version(name)}"
            except metadata.PackageNotFoundError:
                found = f"not installed (pip install 'ocppgen[{extra.name}]')"
            tools.append(f"--style {style.value}: {found}")
    return f"ocppgen {__version__} ({'; '.join(tools)})"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(version_line())
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_print_version,
            is_eager=True,
            help="Print ocppgen's version and exit (after a command, --version V names an "
            "OCPP version).",
        ),
    ] = False,
) -> None:
    """Generate typed, validated Python bindings from the OCA's OCPP JSON schemas."""


def _settings(
    schemas: Path | None,
    out: Path | None,
    versions: list[str] | None,
    package: str | None = None,
    templates: Path | None = None,
    style: Style | None = None,
    extensions: list[Path] | None = None,
) -> Settings:
    try:
        return resolve_settings(
            schemas,
            out,
            versions,
            Path.cwd(),
            package=package,
            templates=templates,
            style=style,
            extensions=extensions,
        )
    except GeneratorError as exc:
        _fail(exc)


def _fail(error: GeneratorError) -> NoReturn:
    typer.echo(f"ocppgen: error: {error}", err=True)
    raise typer.Exit(code=2)


@app.command()
def generate(
    schemas: SchemasOption = None,
    out: OutOption = None,
    version: VersionOption = None,
    package: PackageOption = None,
    templates: TemplatesOption = None,
    style: StyleOption = None,
    extension: ExtensionOption = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Also remove the files in the generated folders that ocppgen did not write "
            "(without it they are kept and listed).",
        ),
    ] = False,
) -> None:
    """Regenerate the bindings package and its tests: only changed files are rewritten.

    On any error (bad schema, broken template override, invalid package name, an existing
    folder that ocppgen did not write) nothing is written and the error is one line naming the
    file and place; exit 2.
    """
    settings = _settings(schemas, out, version, package, templates, style, extension)
    try:
        written = pipeline.generate(settings, force=force)
    except GeneratorError as exc:
        _fail(exc)
    package_dir = settings.out / settings.layout.package_dir
    typer.echo(f"{package_dir}: {len(written.files)} files, {len(written.rewritten)} rewritten")
    for path in written.rewritten:
        typer.echo(f"  wrote {path}")
    for path in written.removed:
        typer.echo(f"  removed {path}")
    for path in written.kept:
        typer.echo(f"  kept {path} (not written by ocppgen; generate --force removes it)")


@app.command()
def check(
    schemas: SchemasOption = None,
    out: OutOption = None,
    version: VersionOption = None,
    package: PackageOption = None,
    templates: TemplatesOption = None,
    style: StyleOption = None,
    extension: ExtensionOption = None,
) -> None:
    """Exit 1 when the package on disk differs from what generate would write; never writes.

    Lists stale (hand-edited included), missing and extra files; an edited template override
    makes the package stale too. Exit 2 on bad input.
    """
    settings = _settings(schemas, out, version, package, templates, style, extension)
    try:
        found = pipeline.check(settings)
    except GeneratorError as exc:
        _fail(exc)
    package_dir = settings.out / settings.layout.package_dir
    if found:
        typer.echo(f"ocppgen: {package_dir} is not what generate would write:", err=True)
        for label, paths in (
            ("stale", found.stale),
            ("missing", found.missing),
            ("extra", found.extra),
        ):
            for path in paths:
                typer.echo(f"  {label:<8}{path}", err=True)
        typer.echo("run `ocppgen generate` (make generate) and commit the result", err=True)
        raise typer.Exit(code=1)
    typer.echo(f"{package_dir} is up to date")


class DiffFormat(str, Enum):
    """How ``ocppgen diff`` prints the changelog."""

    text = "text"
    markdown = "markdown"
    json = "json"


class FailOn(str, Enum):
    """Which changes make ``ocppgen diff`` exit 1."""

    breaking = "breaking"
    never = "never"


@app.command(cls=_Command)
def diff(
    old: Annotated[
        Path,
        typer.Argument(
            metavar="OLD", help="Old schema set: a folder or a zip, or an extension folder."
        ),
    ],
    new: Annotated[
        Path,
        typer.Argument(
            metavar="NEW", help="New schema set: a folder or a zip, or an extension folder."
        ),
    ],
    output_format: Annotated[
        DiffFormat, typer.Option("--format", help="text, markdown or json.")
    ] = DiffFormat.text,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            help="breaking: exit 1 when an action, field or enum value was removed, a field "
            "became required, or a constraint got tighter.",
        ),
    ] = FailOn.never,
) -> None:
    """Print a semantic changelog between two schema sets (exit 2 on bad input)."""
    from generator.extensions.diff import describe_extension, is_extension
    from generator.schemas.diff import compare, describe, render
    from generator.schemas.schemaset import read_schema_source

    def described(source: Path) -> SchemaSet:
        if is_extension(source):
            return describe_extension(source)
        return describe(read_schema_source(source))

    try:
        log = compare(described(old), described(new), str(old), str(new))
    except GeneratorError as exc:
        _fail(exc)
    typer.echo(render(log, output_format.value), nl=False)
    if fail_on is FailOn.breaking and log.breaking_count:
        raise typer.Exit(code=1)


class AuditFormat(str, Enum):
    text = "text"
    json = "json"


PROGRESS_BYTES = 4 * 1024 * 1024
"""From this size on, ``ocppgen audit`` shows a progress bar (on a terminal's stderr)."""


@app.command(cls=_Command)
def audit(
    log: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="Traffic log: JSON lines of OCPP-J frames, {station, direction, frame} "
            "objects, or the example CSMS's log.",
            dir_okay=False,
        ),
    ],
    version: OneVersionOption,
    tolerate: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--tolerate",
            metavar="PROFILE|NAME",
            help="Tolerances the peer runs with (repeatable or comma-separated): a profile "
            "(strict, field, all) or a tolerance name. Default: strict.",
        ),
    ] = None,
    output_format: Annotated[
        AuditFormat, typer.Option("--format", help="text or json.")
    ] = AuditFormat.text,
    package: Annotated[
        str, typer.Option("--package", metavar="NAME", help="Import name of the bindings.")
    ] = "ocpp_bindings",
) -> None:
    """Show every frame of a traffic log that fails strict validation: station, action, path,
    OCPP error code and the tolerance that would accept it (or none); then a summary table.

    Exit 1 when a frame fails strictly and the given tolerances do not accept it; exit 2 on
    bad arguments. Lines that cannot be read are listed with their number; the audit goes on.
    """
    from generator.audit import AuditError, Auditor, render_json, render_text

    try:
        auditor = Auditor(package, version, tolerate or ())
        with log.open("rb") as source:
            report = auditor.audit(_with_progress(source, log.stat().st_size))
    except AuditError as exc:
        typer.echo(f"ocppgen: error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    except OSError as exc:
        typer.echo(f"ocppgen: error: {log}: cannot read: {exc.strerror or exc}", err=True)
        raise typer.Exit(code=2) from None
    render = render_json if output_format is AuditFormat.json else render_text
    typer.echo(render(report), nl=False)
    if report.uncovered:
        raise typer.Exit(code=1)


def _with_progress(lines: Iterable[bytes], size: int) -> Iterator[bytes]:
    """``lines`` as they are, with a progress bar on stderr for a large file on a terminal."""
    import sys

    if size < PROGRESS_BYTES or not sys.stderr.isatty():
        yield from lines
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("auditing", total=size)
        for line in lines:
            progress.advance(task, len(line))
            yield line


schemas_app = typer.Typer(help="Manage the vendored OCA schema sets.", no_args_is_help=True)
app.add_typer(schemas_app, name="schemas")


@schemas_app.command("import", cls=_Command)
def import_command(
    source: Annotated[
        Path, typer.Argument(metavar="SOURCE", help="The OCA release: a folder or a zip.")
    ],
    version: OneVersionOption,
    schemas: SchemasOption = None,
) -> None:
    """Copy a schema release verbatim into ROOT/V after checking every file.

    Refuses (exit 2, nothing written) a set with an invalid file, a file of another draft
    than the version's, a request without its response or a response without its request,
    a zip entry outside the zip ('..') or too large. Prints what changed against the
    previous set, and what ocppgen.toml must gain or lose before the next generate.
    """
    from generator.schemas.diff import render
    from generator.schemas.importer import import_schemas

    settings = _settings(schemas, Path("."), None)
    try:
        result = import_schemas(source, settings.schemas, version)
    except GeneratorError as exc:
        _fail(exc)
    target = settings.schemas / version
    typer.echo(
        f"{target}: {len(result.added)} added, {len(result.changed)} changed, "
        f"{len(result.removed)} removed, {result.unchanged} unchanged"
    )
    for label, names in (
        ("added", result.added),
        ("changed", result.changed),
        ("removed", result.removed),
    ):
        for name in names:
            typer.echo(f"  {label:<8}{name}")
    if result.changelog is not None:
        typer.echo("")
        typer.echo(render(result.changelog, "text"), nl=False)
    if result.without_metadata:
        typer.echo(
            f"\nadd these actions to {target / 'ocppgen.toml'} before generating: "
            + ", ".join(result.without_metadata)
        )
    if result.stale_metadata:
        typer.echo(
            f"\nremove these entries from {target / 'ocppgen.toml'} before generating "
            "(the release no longer has what they name):"
        )
        for entry in result.stale_metadata:
            typer.echo(f"  {entry}")


class ScaffoldRole(str, Enum):
    """Which side ``ocppgen scaffold`` implements."""

    csms = "csms"
    charging_station = "charging-station"


@app.command()
def scaffold(
    version: OneVersionOption,
    role: Annotated[ScaffoldRole, typer.Option("--role", help="csms or charging-station.")],
    out: Annotated[
        Path,
        typer.Option(
            "--out", metavar="DIR", help="The package folder to create (its name is the package's)."
        ),
    ],
    profile: Annotated[
        Optional[list[str]],  # noqa: UP045 - typer reads the annotation at run time
        typer.Option(
            "--profile", "-p", metavar="P", help="Profile (repeatable). Default: every profile."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing folder.")] = False,
    schemas: SchemasOption = None,
    package: PackageOption = None,
    templates: TemplatesOption = None,
) -> None:
    """Write a starter package implementing one side's handler protocols, with its tests.

    Each handler returns a valid example response; the pytest file drives them through the
    Dispatcher with the example requests. Exit 1 when OUT exists (unless --force).
    """
    from generator.output.writer import FolderExists, write_new_folder
    from generator.render.scaffold import scaffold_files

    settings = _settings(schemas, Path("."), [version], package, templates)
    try:
        if not out.name.isidentifier():
            raise GeneratorError("the folder name must be a Python package name", str(out))
        (spec,) = pipeline.build_specs(settings)
        files = scaffold_files(
            spec, role.value, tuple(profile or ()), settings.layout, settings.templates
        )
        write_new_folder(out, files, force)
    except GeneratorError as exc:
        _fail(exc)
    except FolderExists:
        typer.echo(f"ocppgen: {out} exists; nothing written (use --force to overwrite)", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"wrote {', '.join(sorted(files))} to {out}")
    top = settings.layout.package.split(".")[0]
    typer.echo(f"run: PYTHONPATH=<folder holding {top}>:{out.parent} pytest {out}")


templates_app = typer.Typer(
    help="See and start template overrides (--templates / [tool.ocppgen] templates).",
    no_args_is_help=True,
)
app.add_typer(templates_app, name="templates")


@templates_app.command("list")
def list_templates_command(templates: TemplatesOption = None) -> None:
    """Print the bundled templates; those the overrides folder replaces are marked."""
    from generator.render.templates import list_templates

    settings = _settings(None, Path("."), None, templates=templates)
    listing = list_templates(settings.templates)
    for name in listing.bundled:
        mark = "overridden" if name in listing.overridden else "bundled"
        typer.echo(f"{mark:<12}{name}")
    for name in listing.extra:
        typer.echo(f"{'extra':<12}{name}")


@templates_app.command("copy", cls=_Command)
def copy_templates_command(
    names: Annotated[
        list[str], typer.Argument(metavar="NAME...", help="Bundled template names (see list).")
    ],
    to: Annotated[
        Path, typer.Option("--to", metavar="DIR", help="The overrides folder.", file_okay=False)
    ],
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Copy bundled templates into an overrides folder to start editing them.

    Exit 1 when a target exists (unless --force); exit 2 for an unknown name. Nothing is
    written unless every name is good.
    """
    from generator.output.writer import replace_files
    from generator.render.templates import bundled_template_text

    try:
        texts = {to / name: bundled_template_text(name) for name in names}
    except GeneratorError as exc:
        _fail(exc)
    existing = [str(path) for path in texts if path.exists()]
    if existing and not force:
        typer.echo(f"ocppgen: {existing[0]} exists; nothing written (use --force)", err=True)
        raise typer.Exit(code=1)
    try:
        replace_files({path: text.encode() for path, text in texts.items()})
    except OSError as exc:
        _fail(GeneratorError(f"cannot write: {exc.strerror or exc}", str(to)))
    for path in texts:
        typer.echo(f"wrote {path}")
    typer.echo(f"generate with: ocppgen generate --templates {to}")


@app.command("list")
def list_features(
    schemas: SchemasOption = None,
    version: VersionOption = None,
    device_model: Annotated[
        bool,
        typer.Option(
            "--device-model",
            help="Print the device-model catalogue (2.x) and the configuration keys (1.6).",
        ),
    ] = False,
    component: Annotated[
        Optional[str],  # noqa: UP045 - typer reads the annotation at run time
        typer.Option(
            "--component",
            metavar="NAME",
            help="With --device-model: one component (any case), or generic for the variables "
            "that apply to every component.",
        ),
    ] = None,
) -> None:
    """Print every action with its profile (functional block), initiators and kind; with
    --device-model, every variable of the device model (2.x) and every key (1.6)."""
    from generator.render.catalogue_listing import catalogue_listing

    settings = _settings(schemas, Path("."), version)
    try:
        if component is not None and not device_model:
            raise GeneratorError("needs --device-model", "--component")
        specs = pipeline.build_specs(settings)
        tables = (
            catalogue_listing(specs, component)
            if device_model
            else [feature_table(spec) for spec in specs]
        )
    except GeneratorError as exc:
        _fail(exc)
    typer.echo("\n\n".join(tables))


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


extension_app = typer.Typer(
    help="Start a vendor extension (generate it with generate --extension DIR, compare two "
    "versions of it with diff OLD NEW).",
    no_args_is_help=True,
)
app.add_typer(extension_app, name="extension")


@extension_app.command("init", cls=_Command)
def extension_init(
    name: Annotated[
        str,
        typer.Argument(metavar="NAME", help="Vendor name (a Python identifier, e.g. acme)."),
    ],
    folder: Annotated[
        Path, typer.Option("--dir", metavar="DIR", help="The extension folder to create.")
    ],
    version: Annotated[
        Optional[list[str]],  # noqa: UP045
        _version_option(
            f"OCPP version the extension targets (repeatable): {VERSION_HELP} Default: 2.0.1."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing folder.")] = False,
) -> None:
    """Write a starter extension: manifest with one example of each kind, schemas, README.

    Exit 1 when DIR exists (unless --force); exit 2 for a bad name or version.
    """
    from generator.extensions.starter import starter_files
    from generator.output.writer import FolderExists, write_new_folder

    try:
        files = starter_files(name, tuple(version or ()), folder.as_posix())
        write_new_folder(folder, files, force)
    except GeneratorError as exc:
        _fail(exc)
    except FolderExists:
        typer.echo(f"ocppgen: {folder} exists; nothing written (use --force)", err=True)
        raise typer.Exit(code=1) from None
    for path in files:
        typer.echo(f"wrote {folder / path}")
    typer.echo(
        f"generate with: ocppgen generate --extension {folder} "
        "(beside your bindings: the same --out, ./generated by default)"
    )
