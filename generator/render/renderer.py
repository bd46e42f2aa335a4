"""The renderer of one run: maps output paths to the templates (or runtime modules) that write
them, and collects the results."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import __version__
from generator.output.layout import Layout
from generator.render import templates as templating
from generator.render.environment import environment
from generator.runtime import SHARED, runtime_identity, runtime_source

if TYPE_CHECKING:
    from generator.flavours.base import Flavour


@dataclass
class RenderedPackage:
    """The rendered files (path relative to the output folder -> text) and their templates."""

    files: dict[str, str] = field(default_factory=dict)
    templates: dict[str, str] = field(default_factory=dict)
    """Output path -> the template (or runtime module) that wrote it, for error messages."""

    def sorted(self) -> RenderedPackage:
        """The same files in path order (the output does not depend on rendering order)."""
        return RenderedPackage(dict(sorted(self.files.items())), self.templates)


class Renderer:
    """Renders the templates of one run, for one flavour, into a :class:`RenderedPackage`."""

    def __init__(self, layout: Layout, overrides: Path | None, flavour: Flavour) -> None:
        self.layout = layout
        self.flavour = flavour
        self.env = environment(layout, overrides, flavour)
        self.env.globals["runtime_version"] = runtime_identity(
            __version__, flavour.style.value, (*SHARED, *flavour.runtime.values())
        )
        self.out = RenderedPackage()

    def add(self, path: str, template: str, source: str, **context: Any) -> None:
        """Render ``template`` (with the generated header naming ``source``) into ``path``."""
        text = templating.render_template(self.env, template, source=source, **context)
        self.out.files[path] = text
        self.out.templates[path] = template

    def add_text(self, path: str, text: str, written_by: str = "header.j2") -> None:
        """A file whose text is already made (``written_by`` names what made it)."""
        self.out.files[path] = text
        self.out.templates[path] = written_by

    def add_data(self, path: str, data: object) -> None:
        """A generated JSON data file."""
        self.add_text(path, json_data_file(data), "ocppgen")

    def add_runtime(self, path: str, module: str) -> None:
        """A static runtime module (``generator/runtime/<module>``), copied with the header."""
        source, text = runtime_source(module)
        header = templating.render_template(self.env, "header.j2", source=f"ocppgen ({source})")
        self.add_text(path, header + text, source)

    def header(self, source: str) -> str:
        """The generated header naming ``source``, and an empty line."""
        return templating.render_template(self.env, "header.j2", source=source) + "\n"


def json_data_file(data: object) -> str:
    """``data`` as the text of a generated JSON data file (stable, readable, UTF-8)."""
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"
