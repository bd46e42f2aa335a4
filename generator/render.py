"""Render the IR through the Jinja templates into formatted Python source files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import jinja2

from generator import PACKAGE, TESTS_PACKAGE, __version__, ir, pyexpr
from generator.examples import INVALID_LABELS, ExampleBuilder
from generator.naming import dunder_all_key, isort_key, snake_case
from generator.resources import templates_dir

RUNTIME_SOURCE = "ocppgen runtime (templates/_runtime.py.j2)"


@dataclass(frozen=True)
class ObjectModuleView:
    """What one module of dataclasses needs besides its classes: its imports."""

    objects: tuple[ir.ObjectDef, ...]
    enum_imports: tuple[str, ...]
    datatype_imports: tuple[str, ...]
    runtime_names: tuple[str, ...]
    uses_datetime: bool
    uses_field: bool


def object_module_view(objects: tuple[ir.ObjectDef, ...], local: bool) -> ObjectModuleView:
    """Collect the names a module of ``objects`` imports; ``local`` when datatypes are its own."""
    enums: set[str] = set()
    datatypes: set[str] = set()
    fields = [f for obj in objects for f in obj.fields]
    for f in fields:
        enum_names, object_names = pyexpr.referenced_names(f.type)
        enums |= enum_names
        datatypes |= object_names
    innermost = {type(_innermost(f.type)) for f in fields}
    uses_extra = any(o.allows_extra for o in objects)
    runtime = set()
    if ir.AnyType in innermost or uses_extra:
        runtime.add("JsonValue")
    if any(isinstance(f.type, ir.AnyType) and not f.required for f in fields):
        runtime |= {"UNSET", "Unset"}
    return ObjectModuleView(
        objects=objects,
        enum_imports=tuple(sorted(enums, key=isort_key)),
        datatype_imports=() if local else tuple(sorted(datatypes, key=isort_key)),
        runtime_names=tuple(sorted(runtime, key=isort_key)),
        uses_datetime=ir.DateTimeType in innermost,
        uses_field=uses_extra,
    )


@dataclass(frozen=True)
class HandlerProtocolView:
    """One handler Protocol: a profile's actions that one side receives."""

    name: str
    doc: str
    central: bool
    actions: tuple[ir.Action, ...]
    profile: str


def handler_protocols(spec: ir.Spec) -> tuple[HandlerProtocolView, ...]:
    """``<Profile><Role>Handler`` for every profile side that receives at least one action."""
    protocols = []
    receives = {role: {a.name for a in spec.receives(role)} for role in spec.roles}
    for profile in spec.profiles:
        block = f"{profile.name} ({profile.letter})" if profile.letter else profile.name
        for role in spec.roles:
            received = tuple(a for a in spec.actions_of(profile) if a.name in receives[role])
            if received:
                doc = f"{block}: the {spec.title} actions that the {role} receives."
                central = role == spec.roles[1]
                name = f"{profile.name}{role}Handler"
                protocols.append(HandlerProtocolView(name, doc, central, received, profile.name))
    return tuple(protocols)


def handler_doc(action: ir.Action) -> str:
    """Docstring of a handler method: who starts the action, what it returns, schema text."""
    starters = " or the ".join(action.initiated_by)
    answer = f"Returns {action.response.type.name}." if action.response else "No answer (SEND)."
    doc = f"Handle {action.name}, started by the {starters}. {answer}"
    description = action.request.type.doc.split("\n\n", 1)
    return doc + ("\n\n" + description[1] if len(description) > 1 else "")


def _innermost(t: ir.TypeExpr) -> ir.TypeExpr:
    return _innermost(t.items) if isinstance(t, ir.ArrayType) else t


def docstring(text: str, indent: int) -> str:
    """A triple-quoted docstring literal, its continuation lines indented by ``indent``."""
    body = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if body.endswith('"'):
        body += " "
    pad = " " * indent
    lines = body.split("\n")
    if len(lines) == 1:
        return f'"""{body}"""'
    return '"""' + ("\n" + pad).join(lines).replace("\n" + pad + "\n", "\n\n") + "\n" + pad + '"""'


def environment() -> jinja2.Environment:
    """The Jinja environment with the filters the templates use."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
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
    env.globals["generator_version"] = __version__
    return env


def render_package(specs: tuple[ir.Spec, ...]) -> dict[str, str]:
    """All files of the ``ocpp_bindings`` package, by path relative to the output folder.

    The Python sources come out as the templates write them; :mod:`generator.formatting`
    puts them through black.
    """
    env = environment()
    files: dict[str, str] = {
        f"{PACKAGE}/__init__.py": _render(env, "package_init.py.j2", RUNTIME_SOURCE, specs=specs),
        f"{PACKAGE}/_runtime.py": _render(env, "_runtime.py.j2", RUNTIME_SOURCE),
        f"{PACKAGE}/_registry.py": _render(env, "_registry.py.j2", RUNTIME_SOURCE),
        f"{PACKAGE}/_dispatch.py": _render(env, "_dispatch.py.j2", RUNTIME_SOURCE),
        f"{PACKAGE}/py.typed": "",
    }
    tests_doc = '"""Generated tests of the ocpp_bindings package, one module per profile."""\n'
    files[f"{TESTS_PACKAGE}/__init__.py"] = _render_header(env, RUNTIME_SOURCE) + tests_doc
    files[f"{TESTS_PACKAGE}/_support.py"] = _render(env, "tests_support.py.j2", RUNTIME_SOURCE)
    for spec in specs:
        files.update(_render_version(env, spec))
        files.update(_render_examples_and_tests(env, spec))
    return {path: files[path] for path in sorted(files)}


def _render_header(env: jinja2.Environment, source: str) -> str:
    return env.get_template("header.j2").render(source=source) + "\n"


def _render_examples_and_tests(env: jinja2.Environment, spec: ir.Spec) -> dict[str, str]:
    """``examples.json`` + ``examples.py`` of a version, and its tests, one module per profile."""
    source = f"{spec.title} JSON schemas by the OCA"
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
    base = f"{PACKAGE}/{spec.package}"
    tests = f"{TESTS_PACKAGE}/{spec.package}"
    doc = f'"""Generated tests of the {spec.title} bindings, one module per profile."""\n'
    files = {
        f"{base}/examples.json": _json(examples),
        f"{base}/examples.py": _render(env, "examples.py.j2", source, spec=spec),
        f"{tests}/__init__.py": _render_header(env, source) + doc,
    }
    protocols = handler_protocols(spec)
    invalid_payloads: dict[str, list[dict[str, Any]]] = {}
    for profile in spec.profiles:
        actions = spec.actions_of(profile)
        invalid, not_applicable = _invalid_cases(spec, builder, actions)
        invalid_payloads[profile.name] = invalid
        label = f"{profile.name} ({profile.letter})" if profile.letter else profile.name
        files[f"{tests}/test_{snake_case(profile.name)}.py"] = _render(
            env,
            "profile_test.py.j2",
            source,
            spec=spec,
            profile=profile.name,
            label=label,
            actions=actions,
            not_applicable=not_applicable,
            protocols=[p for p in protocols if p.profile == profile.name],
        )
    files[f"{tests}/invalid_payloads.json"] = _json(invalid_payloads)
    return files


def _json(data: object) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def _invalid_cases(
    spec: ir.Spec, builder: ExampleBuilder, actions: tuple[ir.Action, ...]
) -> tuple[list[dict[str, Any]], list[str]]:
    """The typical mistakes of a profile's messages, as the generated tests read them."""
    codes = spec.error_codes
    code_of = {
        "FORMAT": codes.format,
        "OCCURRENCE": codes.occurrence,
        "TYPE": codes.type,
        "PROPERTY": codes.property,
    }
    cases: list[dict[str, Any]] = []
    not_applicable = []
    for action in actions:
        for message in (action.request, action.response):
            if message is None:
                continue
            found = builder.invalid_cases(message.type)
            cases += [
                {
                    "action": action.name,
                    "side": message.kind,
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
            if missing:
                not_applicable.append(f"{action.name} {message.kind}: {', '.join(missing)}")
    return cases, not_applicable


def _render_version(env: jinja2.Environment, spec: ir.Spec) -> dict[str, str]:
    # Only __init__ names the schema set's digest: other files change only when their content
    # does, so one changed schema leaves the rest of the package untouched.
    source = f"{spec.title} JSON schemas by the OCA"
    init_source = f"{source}, schema set sha256 {spec.schema_digest[:16]}"
    base = f"{PACKAGE}/{spec.package}"
    messages = tuple(m.type for m in spec.messages)
    public = [e.name for e in spec.enums] + [o.name for o in spec.datatypes]
    public += [m.name for m in messages] + ["DIALECT", "OCPP_VERSION", "ErrorCode"]
    export_names = sorted(public, key=dunder_all_key)
    protocols = handler_protocols(spec)
    handler_imports = {
        message.type.name
        for protocol in protocols
        for action in protocol.actions
        for message in (action.request, action.response)
        if message is not None
    }
    datatypes_doc = f"Data types shared by the {spec.title} messages."
    messages_doc = f"Request and response payloads of every {spec.title} action."
    return {
        f"{base}/__init__.py": _render(
            env, "version_init.py.j2", init_source, spec=spec, export_names=export_names
        ),
        f"{base}/errors.py": _render(env, "errors.py.j2", source, spec=spec),
        f"{base}/registry.py": _render(env, "registry.py.j2", source, spec=spec),
        f"{base}/handlers.py": _render(
            env,
            "handlers.py.j2",
            source,
            spec=spec,
            protocols=protocols,
            handler_imports=sorted(handler_imports),
            handler_doc=handler_doc,
        ),
        f"{base}/dispatch.py": _render(env, "dispatch.py.j2", source, spec=spec),
        f"{base}/enums.py": _render(env, "enums.py.j2", source, spec=spec),
        f"{base}/datatypes.py": _render(
            env,
            "objects.py.j2",
            source,
            spec=spec,
            module_doc=datatypes_doc,
            view=object_module_view(spec.datatypes, local=True),
        ),
        f"{base}/messages.py": _render(
            env,
            "objects.py.j2",
            source,
            spec=spec,
            module_doc=messages_doc,
            view=object_module_view(messages, local=False),
        ),
    }


def _render(env: jinja2.Environment, template: str, source: str, **context: Any) -> str:
    return env.get_template(template).render(source=source, **context)
