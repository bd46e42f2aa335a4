"""The Jinja environment of a run: the templates' loader, filters and globals."""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import TYPE_CHECKING

import jinja2

from generator import __version__
from generator.ir.docs import wrap_docstring
from generator.ir.naming import dunder_all_key, isort_key
from generator.output.formatting import LINE_LENGTH
from generator.output.layout import Layout
from generator.render import pyexpr
from generator.render import templates as templating

if TYPE_CHECKING:
    from generator.flavours.base import Flavour


def docstring(text: str, indent: int) -> str:
    """A triple-quoted docstring literal of ``text`` (already plain prose), wrapped to fit the
    line length at ``indent``; quotes and backslashes cannot end it early."""
    body = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if body.endswith('"'):
        body += " "
    if "\n" not in body and indent + len(body) + 6 <= LINE_LENGTH:
        return f'"""{body}"""'
    pad = " " * indent
    lines = wrap_docstring(body, LINE_LENGTH - indent - 3)
    if len(lines) == 1:  # black would join the closing quotes to it: leave room for them
        lines = wrap_docstring(body, LINE_LENGTH - indent - 6)
    joined = "\n".join(pad + line if line else "" for line in lines)
    return '"""' + joined.lstrip() + "\n" + pad + '"""'


def environment(
    layout: Layout, overrides: Path | None, flavour: Flavour | None = None
) -> jinja2.Environment:
    """The Jinja environment with the filters and globals every template uses, plus the
    ``flavour``'s (package templates; the scaffold has none)."""
    env = templating.environment(overrides)
    env.filters.update(
        docstring=docstring,
        pyrepr=repr,
        basename=lambda path: PurePath(path).name,
        hint=pyexpr.type_hint,
        parser=pyexpr.parser_expr,
        declaration=pyexpr.field_declaration,
        absent=pyexpr.absent_value,
        sort_imports=lambda names: sorted(names, key=isort_key),
        sort_all=lambda names: sorted(names, key=dunder_all_key),
    )
    env.globals.update(
        generator_version=__version__,
        package=layout.package,
        tests_package=layout.tests_package,
    )
    if flavour is not None:
        env.filters.update(flavour.template_filters())
        env.globals["style"] = flavour.style.value
    return env
