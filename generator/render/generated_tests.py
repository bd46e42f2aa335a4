"""Render a version's examples (``examples.json`` + ``examples.py``) and its generated tests:
one pytest module per profile, with the typical invalid payloads as data."""

from __future__ import annotations

from typing import Any

from generator import ir
from generator.ir.naming import snake_case
from generator.render.renderer import Renderer
from generator.render.testdata import INVALID_LABELS, ExampleBuilder
from generator.render.views import handler_protocols, version_source


def examples_and_tests(renderer: Renderer, spec: ir.Spec) -> None:
    """``examples.json`` + ``examples.py`` of a version and its per-profile tests."""
    source = version_source(spec)
    builder = ExampleBuilder(spec)
    examples: dict[str, dict[str, dict[str, Any]]] = {}
    for action in spec.actions:
        examples[action.name] = {
            message.kind: {
                "minimal": builder.payload(message.type, full=False),
                "full": builder.payload(message.type, full=True),
            }
            for message in (action.request, action.response)
            if message is not None
        }
    base = f"{renderer.layout.package_dir}/{spec.package}"
    tests = f"{renderer.layout.tests_dir}/{spec.package}"
    doc = f'"""Generated tests of the {spec.title} bindings, one module per profile."""\n'
    renderer.add_data(f"{base}/examples.json", examples)
    renderer.add(f"{base}/examples.py", "examples.py.j2", source, spec=spec)
    renderer.add_text(f"{tests}/__init__.py", renderer.header(source) + doc)
    protocols = handler_protocols(spec)
    invalid_payloads: dict[str, list[dict[str, Any]]] = {}
    for profile in spec.profiles:
        actions = spec.actions_of(profile)
        invalid, not_applicable = _invalid_cases(spec, builder, actions)
        invalid_payloads[profile.name] = invalid
        label = f"{profile.name} ({profile.letter})" if profile.letter else profile.name
        renderer.add(
            f"{tests}/test_{snake_case(profile.name)}.py",
            "profile_test.py.j2",
            source,
            spec=spec,
            profile=profile.name,
            label=label,
            actions=actions,
            not_applicable=not_applicable,
            protocols=[p for p in protocols if p.profile == profile.name],
        )
    renderer.add_data(f"{tests}/invalid_payloads.json", invalid_payloads)


def _invalid_cases(
    spec: ir.Spec, builder: ExampleBuilder, actions: tuple[ir.Action, ...]
) -> tuple[list[dict[str, Any]], list[str]]:
    """The typical mistakes of a profile's messages, as the generated tests read them."""
    cases: list[dict[str, Any]] = []
    not_applicable = []
    for action in actions:
        for message in (action.request, action.response):
            if message is None:
                continue
            found, missing = invalid_cases(spec.error_codes, builder, message.type)
            cases += [{"action": action.name, "side": message.kind, **case} for case in found]
            if missing:
                not_applicable.append(f"{action.name} {message.kind}: {', '.join(missing)}")
    return cases, not_applicable


def invalid_cases(
    codes: ir.ErrorCodes, builder: ExampleBuilder, obj: ir.ObjectDef
) -> tuple[list[dict[str, Any]], list[str]]:
    """The typical mistakes that apply to one payload class (as data), and those that do not."""
    code_of = {
        "FORMAT": codes.format,
        "OCCURRENCE": codes.occurrence,
        "TYPE": codes.type,
        "PROPERTY": codes.property,
    }
    found = builder.invalid_cases(obj)
    cases = [
        {
            "label": case.label,
            "keys": list(case.keys),
            "edit": case.edit,
            "value": case.value,
            "code": code_of[case.kind],
            "path": case.path,
        }
        for case in found
    ]
    missing = [label for label in INVALID_LABELS if label not in {c.label for c in found}]
    return cases, missing
