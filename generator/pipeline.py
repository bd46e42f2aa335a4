"""The generator as a Python API; each stage is a subpackage:

``schemas`` (load, check, overlay) -> ``ir`` (build the IR) -> ``render`` (templates, with the
chosen ``flavours`` module writing the models, and ``extensions`` rendering vendor packages)
-> ``output`` (black, then an atomic write with the manifest, or a comparison with disk).

Heavy modules (jsonschema, Jinja, black, datamodel-code-generator) are imported only when a run
needs them, so a ``check`` that the manifest answers stays fast.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.config import Settings
from generator.errors import GeneratorError
from generator.flavours import output_tools
from generator.output.layout import Layout, check_package_name
from generator.output.manifest import (
    Manifest,
    Output,
    input_digests,
    read_manifest,
    sha256,
)
from generator.output.writer import Drift, drift, files_on_disk, read_regular, write_package
from generator.schemas.versions import VERSIONS

if TYPE_CHECKING:
    from collections.abc import Callable

    from generator import ir
    from generator.render.renderer import RenderedPackage


def select_versions(schemas: Path, requested: tuple[str, ...]) -> tuple[str, ...]:
    """The requested versions, or every known version with a folder under ``schemas``."""
    for version in requested:
        if version not in VERSIONS:
            known = ", ".join(VERSIONS)
            raise GeneratorError(f"unknown OCPP version {version!r} (known: {known})", str(schemas))
        if not (schemas / version).is_dir():
            raise GeneratorError(f"no folder for version {version}", str(schemas / version))
    chosen = requested or tuple(v for v in VERSIONS if (schemas / v).is_dir())
    if not chosen:
        raise GeneratorError("no version folders (1.6, 2.0.1, 2.1) found", str(schemas))
    return tuple(v for v in VERSIONS if v in chosen)


def build_specs(settings: Settings) -> tuple[ir.Spec, ...]:
    """Load and build the IR of every selected version."""
    return _build(settings.schemas, select_versions(settings.schemas, settings.versions))


def _build(schemas: Path, versions: tuple[str, ...]) -> tuple[ir.Spec, ...]:
    from generator.ir.builder import build_spec
    from generator.schemas.loader import load_version

    return tuple(build_spec(load_version(schemas / v, VERSIONS[v])) for v in versions)


def generate_files(settings: Settings) -> dict[str, str]:
    """Every output file (path relative to the output folder -> text), manifest included.

    Outputs whose unformatted text is the one the manifest on disk records, and whose file is
    untouched, are taken from disk instead of going through black again: the result is the
    same as a full run, only faster.
    """
    return _generate_files(settings, _owned(settings))


def _generate_files(settings: Settings, owned: _Owned) -> dict[str, str]:
    versions = select_versions(settings.schemas, settings.versions)
    layout = settings.layout
    inputs = _inputs(settings, versions, owned)
    rendered = _render(settings, versions)
    previous = owned.previous
    on_disk = files_on_disk(settings.out, owned.roots)

    unformatted = {path: sha256(text) for path, text in rendered.files.items()}

    def unchanged(path: str, _: str) -> str | None:
        known = previous.outputs.get(path) if previous else None
        if known is None or known.unformatted_sha256 != unformatted[path] or path not in on_disk:
            return None
        data = read_regular(on_disk[path])
        return data.decode() if data is not None and sha256(data) == known.sha256 else None

    formatted = _format(rendered, unchanged, settings.templates)
    outputs = {path: Output(sha256(formatted[path]), unformatted[path]) for path in formatted}
    tools = output_tools(settings.style)
    manifest = Manifest(versions, inputs, options(settings, owned.packages), outputs, tools=tools)
    files = {**formatted, layout.manifest_path: manifest.to_json()}
    return {path: files[path] for path in sorted(files)}


def extension_files(settings: Settings) -> dict[str, str]:
    """The formatted files of the settings' extension packages alone, without the bindings
    and the manifest (what a reviewable record of an extension's output holds)."""
    from generator.render.renderer import RenderedPackage

    rendered = _render(settings, select_versions(settings.schemas, settings.versions))
    roots = [root for package in _owned(settings).packages for root in Layout(package).roots]
    files = {
        path: text
        for path, text in rendered.files.items()
        if any(path.startswith(root + "/") for root in roots)
    }
    only = RenderedPackage(files, rendered.templates)
    return _format(only, lambda _path, _text: None, settings.templates)


def _render(settings: Settings, versions: tuple[str, ...]) -> RenderedPackage:
    """The bindings and every extension, rendered (not yet formatted)."""
    from generator.extensions.build import build_extensions
    from generator.extensions.load import load_extension
    from generator.extensions.render import render_extension
    from generator.flavours import flavour
    from generator.render.package import render_package

    specs = _build(settings.schemas, versions)
    extensions = [load_extension(folder) for folder in settings.extensions]
    built = build_extensions(extensions, specs)
    chosen = flavour(settings.style)
    rendered = render_package(specs, settings.layout, settings.templates, chosen)
    _check_folders(settings.layout, [specs[0] for specs in built])
    for extension_specs in built:
        more = render_extension(extension_specs, settings.layout, settings.templates, chosen)
        rendered.files.update(more.files)
        rendered.templates.update(more.templates)
    return rendered


def _check_folders(layout: Layout, extensions: list[ir.ExtensionSpec]) -> None:
    """No extension's package folder may be, or hold, the bindings' or another extension's."""
    claimed = {root: layout.package for root in layout.roots}
    for extension in extensions:
        roots = Layout(extension.package).roots
        for root, (other, owner) in itertools.product(roots, claimed.items()):
            if _overlap(root, other):
                raise GeneratorError(
                    f"the extension package folder {root} overlaps {other} of {owner}",
                    extension.source,
                    "/package",
                )
        claimed.update({root: extension.package for root in roots})


def _overlap(root: str, other: str) -> bool:
    """Is one output folder the other, or inside it?"""
    return root == other or root.startswith(other + "/") or other.startswith(root + "/")


def _inputs(settings: Settings, versions: tuple[str, ...], owned: _Owned) -> dict[str, str]:
    extensions = dict(zip(owned.packages, settings.extensions, strict=True))
    return input_digests(settings.schemas, versions, settings.templates, extensions)


@dataclass(frozen=True)
class _Owned:
    """Read once per run: the manifest on disk and the folders generate owns."""

    previous: Manifest | None
    packages: tuple[str, ...]
    """The extension packages asked for."""
    roots: tuple[str, ...]
    """The bindings' folders, the extensions' asked for, and those the manifest on disk lists
    (so that a dropped extension goes)."""


def _owned(settings: Settings) -> _Owned:
    from generator.extensions.load import read_package_name

    manifest = settings.out / settings.layout.manifest_path
    previous = read_manifest(manifest)
    packages = tuple(read_package_name(folder) or folder.name for folder in settings.extensions)
    listed = str(previous.options.get("extensions", "")).split() if previous else []
    where = f"{manifest} (options.extensions)"
    every = [*packages, *(check_package_name(package, where) for package in listed)]
    roots = list(settings.layout.roots)
    for package in dict.fromkeys(every):
        roots += Layout(package).roots
    return _Owned(previous, packages, tuple(roots))


def options(settings: Settings, extension_packages: tuple[str, ...]) -> dict[str, str]:
    """The settings besides the inputs that shape the output (recorded in the manifest)."""
    found = {"package": settings.layout.package, "style": settings.style.value}
    if extension_packages:
        found["extensions"] = " ".join(extension_packages)
    return found


def _format(
    rendered: RenderedPackage,
    reuse: Callable[[str, str], str | None],
    overrides: Path | None,
) -> dict[str, str]:
    """black over the rendered sources; unparsable output names the template that wrote it."""
    from generator.output.formatting import UnparsableSource, format_all

    try:
        return format_all(rendered.files, reuse)
    except UnparsableSource as exc:
        template = rendered.templates.get(exc.path, "?")
        if overrides is not None and (overrides / template).is_file():
            template = str(overrides / template)
        raise GeneratorError(
            f"the template {template} wrote Python that black cannot parse: {exc.message}",
            exc.path,
        ) from None


@dataclass(frozen=True)
class Written:
    """What a generate run produced and what it did on disk."""

    files: dict[str, str]
    rewritten: list[str]
    removed: list[str] = field(default_factory=list)
    """Files no longer generated (and with ``force``, files ocppgen did not write)."""
    kept: list[str] = field(default_factory=list)
    """Files in the generated folders that ocppgen did not write, left in place."""


def generate(settings: Settings, force: bool = False) -> Written:
    """Generate and write the package; only changed files are rewritten.

    A file in the generated folders that ocppgen did not write is kept (and listed in
    ``Written.kept``) unless ``force``; a non-empty folder that no ocppgen manifest records is
    refused.
    """
    owned = _owned(settings)
    files = _generate_files(settings, owned)
    recorded = _recorded(settings, owned)
    _refuse_foreign_folders(settings, owned, recorded)
    done = write_package(settings.out, files, owned.roots, recorded=recorded, force=force)
    return Written(files, done.rewritten, done.removed, done.kept)


def _recorded(settings: Settings, owned: _Owned) -> set[str]:
    """The paths the previous generation wrote, by the manifest on disk (with itself)."""
    if owned.previous is None:
        return set()
    return {*owned.previous.outputs, settings.layout.manifest_path}


def _refuse_foreign_folders(settings: Settings, owned: _Owned, recorded: set[str]) -> None:
    """A folder generate is to write that exists, holds files and was not generated here is
    the user's: generate would mix its files with theirs, so it stops instead."""
    chosen = [(root, "--package") for root in settings.layout.roots]
    for package in owned.packages:
        what = f"package name for the extension {package}"
        chosen += [(root, what) for root in Layout(package).roots]
    for root, what in chosen:
        ours = any(path.startswith(root + "/") for path in recorded)
        if not ours and files_on_disk(settings.out, (root,)):
            raise GeneratorError(
                "the folder is not empty and was not written by ocppgen (no ocppgen manifest "
                f"records it): move it away or choose another {what}",
                str(settings.out / root),
            )


def generate_if_stale(settings: Settings) -> bool:
    """Generate only when :func:`check` finds drift (cheap when the manifest answers);
    True when it generated."""
    if not check(settings):
        return False
    generate(settings)
    return True


def check(settings: Settings) -> Drift:
    """How ``settings.out`` differs from what generate would write; never writes.

    When the manifest on disk records exactly the current inputs (schemas, metadata,
    templates, generator code), the files are compared with its digests; otherwise the
    package is generated in memory and compared.
    """
    versions = select_versions(settings.schemas, settings.versions)
    layout = settings.layout
    owned = _owned(settings)
    previous = owned.previous
    inputs = _inputs(settings, versions, owned)
    tools = output_tools(settings.style)
    current = Manifest(versions, inputs, options(settings, owned.packages), tools=tools)
    if previous is not None and previous.same_inputs(current):
        expected = {path: output.sha256 for path, output in previous.outputs.items()}
        expected[layout.manifest_path] = sha256(previous.to_json())
        return drift(settings.out, expected, owned.roots)
    files = generate_files(settings)
    return drift(settings.out, {path: sha256(text) for path, text in files.items()}, owned.roots)
