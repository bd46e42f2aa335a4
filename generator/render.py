"""Render the IR through the Jinja templates into formatted Python source files."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import jinja2

from generator import __version__, ir, pyexpr, templating
from generator.canonical import multiple_of_type, multiples_of
from generator.config import STYLES
from generator.docs import wrap_docstring
from generator.examples import INVALID_LABELS, ExampleBuilder
from generator.formatting import LINE_LENGTH
from generator.layout import Layout
from generator.naming import dunder_all_key, isort_key, snake_case
from generator.pydantic_models import base_class_name, models_source

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
    runtime_parent: str = ".."
    """Where ``_runtime`` is imported from: the package itself, or (extensions) its name."""

    @property
    def runtime_module(self) -> str:
        """The runtime module, for ``from ... import``."""
        return self.runtime_parent + ("_runtime" if self.runtime_parent == ".." else "._runtime")


def object_module_view(
    objects: tuple[ir.ObjectDef, ...], local: bool, runtime_parent: str = ".."
) -> ObjectModuleView:
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
        runtime_parent=runtime_parent,
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
    layout: Layout | None = None, overrides: Path | None = None, style: str = STYLES[0]
) -> jinja2.Environment:
    """The Jinja environment with the filters and globals the templates use."""
    layout = layout or Layout()
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
        multiple_of_type=multiple_of_type,
    )
    env.globals.update(
        generator_version=__version__,
        package=layout.package,
        tests_package=layout.tests_package,
        style=style,
    )
    return env


@dataclass
class RenderedPackage:
    """The rendered files (path relative to the output folder -> text) and their templates."""

    files: dict[str, str] = field(default_factory=dict)
    templates: dict[str, str] = field(default_factory=dict)
    """Output path -> the template that wrote it (for error messages)."""


def render_package(
    specs: tuple[ir.Spec, ...],
    layout: Layout | None = None,
    overrides: Path | None = None,
    style: str = STYLES[0],
) -> RenderedPackage:
    """All files of the package and its tests, by path relative to the output folder.

    The Python sources come out as the templates (and, for the pydantic style,
    datamodel-code-generator) write them; :mod:`generator.formatting` puts them through black.
    """
    return Renderer(layout or Layout(), overrides, style).package(specs)


class Renderer:
    """Renders the templates of one run into a :class:`RenderedPackage`."""

    def __init__(self, layout: Layout, overrides: Path | None, style: str) -> None:
        self.layout = layout
        self.style = style
        self.env = environment(layout, overrides, style)
        self.out = RenderedPackage()

    def add(self, path: str, template: str, source: str, **context: Any) -> None:
        """Render ``template`` (with the generated header naming ``source``) into ``path``."""
        text = templating.render_template(self.env, template, source=source, **context)
        self.out.files[path] = text
        self.out.templates[path] = template

    def add_text(self, path: str, text: str) -> None:
        self.out.files[path] = text
        self.out.templates[path] = "header.j2"

    def header(self, source: str) -> str:
        return templating.render_template(self.env, "header.j2", source=source) + "\n"

    def package(self, specs: tuple[ir.Spec, ...]) -> RenderedPackage:
        base, tests = self.layout.package_dir, self.layout.tests_dir
        self.add(f"{base}/__init__.py", "package_init.py.j2", RUNTIME_SOURCE, specs=specs)
        self.add(f"{base}/_runtime.py", "_runtime.py.j2", RUNTIME_SOURCE)
        self.add(f"{base}/_registry.py", "_registry.py.j2", RUNTIME_SOURCE)
        self.add(f"{base}/_dispatch.py", "_dispatch.py.j2", RUNTIME_SOURCE)
        if self.style == "pydantic":
            multiples = multiples_of(specs)
            self.add(
                f"{base}/_pydantic.py",
                "pydantic/_pydantic.py.j2",
                RUNTIME_SOURCE,
                multiples=multiples,
            )
        else:
            self.add(f"{base}/_vendor.py", "_vendor.py.j2", RUNTIME_SOURCE)
        self.out.files[f"{base}/py.typed"] = ""
        tests_doc = (
            f'"""Generated tests of the {self.layout.package} package, one module per profile."""\n'
        )
        self.add_text(f"{tests}/__init__.py", self.header(RUNTIME_SOURCE) + tests_doc)
        self.add(f"{tests}/_support.py", "tests_support.py.j2", RUNTIME_SOURCE)
        for spec in specs:
            self.version(spec)
            self.examples_and_tests(spec)
        files = self.out.files
        self.out.files = {path: files[path] for path in sorted(files)}
        return self.out

    def examples_and_tests(self, spec: ir.Spec) -> None:
        """``examples.json`` + ``examples.py`` of a version and its per-profile tests."""
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
        base = f"{self.layout.package_dir}/{spec.package}"
        tests = f"{self.layout.tests_dir}/{spec.package}"
        doc = f'"""Generated tests of the {spec.title} bindings, one module per profile."""\n'
        self.out.files[f"{base}/examples.json"] = json_data_file(examples)
        self.add(f"{base}/examples.py", "examples.py.j2", source, spec=spec)
        self.add_text(f"{tests}/__init__.py", self.header(source) + doc)
        protocols = handler_protocols(spec)
        invalid_payloads: dict[str, list[dict[str, Any]]] = {}
        for profile in spec.profiles:
            actions = spec.actions_of(profile)
            invalid, not_applicable = _invalid_cases(spec, builder, actions)
            invalid_payloads[profile.name] = invalid
            label = f"{profile.name} ({profile.letter})" if profile.letter else profile.name
            self.add(
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
        self.out.files[f"{tests}/invalid_payloads.json"] = json_data_file(invalid_payloads)

    def version(self, spec: ir.Spec) -> None:
        # Only __init__ names the schema set's digest: other files change only when their
        # content does, so one changed schema leaves the rest of the package untouched.
        source = f"{spec.title} JSON schemas by the OCA"
        init_source = f"{source}, schema set sha256 {spec.schema_digest[:16]}"
        base = f"{self.layout.package_dir}/{spec.package}"
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
        self.add(
            f"{base}/__init__.py",
            "version_init.py.j2",
            init_source,
            spec=spec,
            export_names=export_names,
        )
        self.add(f"{base}/errors.py", "errors.py.j2", source, spec=spec)
        self.add(f"{base}/registry.py", "registry.py.j2", source, spec=spec)
        self.out.files[f"{base}/descriptions.json"] = json_data_file(_descriptions(spec))
        self.add(
            f"{base}/handlers.py",
            "handlers.py.j2",
            source,
            spec=spec,
            protocols=protocols,
            handler_imports=sorted(handler_imports),
            handler_doc=handler_doc,
        )
        self.add(f"{base}/dispatch.py", "dispatch.py.j2", source, spec=spec)
        if self.style == "pydantic":
            self.pydantic_models(spec, source)
            return
        self.add(f"{base}/enums.py", "enums.py.j2", source, spec=spec)
        self.add(
            f"{base}/datatypes.py",
            "objects.py.j2",
            source,
            spec=spec,
            module_doc=f"Data types shared by the {spec.title} messages.",
            view=object_module_view(spec.datatypes, local=True),
        )
        self.add(
            f"{base}/messages.py",
            "objects.py.j2",
            source,
            spec=spec,
            module_doc=f"Request and response payloads of every {spec.title} action.",
            view=object_module_view(messages, local=False),
        )

    def pydantic_models(self, spec: ir.Spec, source: str) -> None:
        """``models.py`` by datamodel-code-generator, its base, and the dataclass layout's
        ``enums`` / ``datatypes`` / ``messages`` naming the same classes."""
        base = f"{self.layout.package_dir}/{spec.package}"
        doc = f'"""Every enum, data type and message of {spec.title}, as pydantic v2 models."""\n'
        header = self.header(f"{source}, models by datamodel-code-generator") + doc
        self.out.files[f"{base}/models.py"] = models_source(spec, self.layout.package, header)
        self.out.templates[f"{base}/models.py"] = "datamodel-code-generator"
        self.add(
            f"{base}/base.py",
            "pydantic/base.py.j2",
            source,
            spec=spec,
            base_class=base_class_name(spec),
            multiples=multiples_of((spec,)),
        )
        modules = (
            ("enums", f"The enums of {spec.title}.", [e.name for e in spec.enums]),
            (
                "datatypes",
                f"Data types shared by the {spec.title} messages.",
                [o.name for o in spec.datatypes],
            ),
            (
                "messages",
                f"Request and response payloads of every {spec.title} action.",
                [m.type.name for m in spec.messages],
            ),
        )
        for module, module_doc, names in modules:
            self.add(
                f"{base}/{module}.py",
                "pydantic/reexport.py.j2",
                source,
                spec=spec,
                module_doc=module_doc,
                names=names,
            )


def _descriptions(spec: ir.Spec) -> dict[str, dict[str, str]]:
    """Type name -> its schema description (``description``) and its fields' (``/<json name>``)."""
    found: dict[str, dict[str, str]] = {e.name: {"description": e.description} for e in spec.enums}
    for obj in (*spec.datatypes, *(m.type for m in spec.messages)):
        found[obj.name] = {"description": obj.description}
        found[obj.name].update((f"/{f.json_name}", f.description) for f in obj.fields)
    return dict(sorted(found.items()))


def json_data_file(data: object) -> str:
    """``data`` as the text of a generated JSON data file (stable, readable, UTF-8)."""
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


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
