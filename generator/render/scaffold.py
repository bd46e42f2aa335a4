"""``ocppgen scaffold``: a starter package implementing one side's handler protocols."""

from __future__ import annotations

from pathlib import Path

from generator import ir
from generator.errors import GeneratorError
from generator.output.formatting import UnparsableSource, format_all
from generator.output.layout import Layout
from generator.render.environment import environment
from generator.render.templates import render_template
from generator.render.testdata import ExampleBuilder
from generator.render.views import handler_protocols

ROLES = ("charging-station", "csms")
"""The ``--role`` values: the version's first (charging station) and second (central) role."""


def scaffold_files(
    spec: ir.Spec,
    role: str,
    profiles: tuple[str, ...],
    layout: Layout | None = None,
    overrides: Path | None = None,
) -> dict[str, str]:
    """The starter package's files (relative path -> text) for one side of ``spec``."""
    role_name = spec.roles[ROLES.index(role)]
    known = [p.name for p in spec.profiles]
    unknown = [p for p in profiles if p not in known]
    if unknown:
        raise GeneratorError(
            f"unknown profile {unknown[0]!r} for {spec.title} (known: {', '.join(known)})",
            "--profile",
        )
    chosen = profiles or tuple(known)
    protocols = [
        p
        for p in handler_protocols(spec)
        if p.profile in chosen and p.name.endswith(f"{role_name}Handler")
    ]
    if not protocols:
        raise GeneratorError(
            f"the {role_name} receives no action in {', '.join(chosen)}", "--profile"
        )
    actions = sorted({a for p in protocols for a in p.actions}, key=lambda a: a.name)
    builder = ExampleBuilder(spec)
    responses = {
        a.name: builder.payload(a.response.type, full=False) for a in actions if a.response
    }
    messages = {a.request.type.name for a in actions}
    messages |= {a.response.type.name for a in actions if a.response}
    env = environment(layout or Layout(), overrides)
    context = {
        "spec": spec,
        "role": role_name,
        "role_name": role_name,
        "central": role_name == spec.roles[1],
        "class_name": f"{role_name}Handlers",
        "profiles": [p.name for p in spec.profiles if p.name in {x.profile for x in protocols}],
        "protocols": protocols,
        "actions": actions,
        "responses": responses,
        "message_imports": sorted(messages),
    }
    sources = {
        name: render_template(env, f"scaffold/{name}.j2", **context)
        for name in ("__init__.py", "handlers.py", "test_handlers.py")
    }
    try:
        return format_all(sources)
    except UnparsableSource as exc:
        raise GeneratorError(
            f"the template scaffold/{exc.path}.j2 wrote Python that black cannot parse: "
            f"{exc.message}",
            exc.path,
        ) from None
