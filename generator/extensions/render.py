"""Render a vendor extension's IR into its package and generated tests.

The payload classes go through the standard ``objects.py.j2`` and ``enums.py.j2``; the rest
comes from ``templates/extension/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import ir
from generator.flavours.base import Flavour, ModelSet
from generator.ir.naming import dunder_all_key, snake_case
from generator.output.layout import Layout
from generator.render.catalogue import extension_catalogue_files
from generator.render.generated_tests import invalid_cases
from generator.render.renderer import RenderedPackage, Renderer
from generator.render.testdata import ExampleBuilder
from generator.render.views import HandlerProtocolView, handler_doc, handler_protocols

TEMPLATES = "extension"
NOT_AN_OBJECT = ["not", "an", "object"]
NOT_JSON_TEXT = "{not json"


@dataclass(frozen=True)
class MessageView:
    """A vendor DataTransfer message as the registry and handler templates print it."""

    message: ir.VendorMessage
    constant: str
    request_hint: str
    response_hint: str
    answer_hint: str
    request_codec: str
    response_codec: str


def message_view(message: ir.VendorMessage) -> MessageView:
    """Hints and codec expressions of one vendor message."""
    as_text = ", as_text=True" if message.data == "json_text" else ""

    def codec(obj: ir.ObjectDef | None) -> tuple[str, str]:
        if message.data == "string":
            return "str", "StringData(DataTransferRequest)"
        if obj is None:
            return "None", "None"
        return obj.name, f"ObjectData({obj.name}{as_text})"

    request_hint, request_codec = codec(message.request)
    response_hint, response_codec = codec(message.response)
    if not message.has_response:
        response_hint, response_codec = "None", "None"
    answer = "DataTransferResponse | None"
    if response_hint != "None":
        answer = f"{response_hint} | DataTransferResponse"
        if message.data == "string":
            answer += " | None"
    return MessageView(
        message,
        snake_case(message.name).upper(),
        request_hint,
        response_hint,
        answer,
        request_codec,
        response_codec,
    )


def one_line(text: str) -> str:
    """``text`` with every non-printable character escaped (``\\n``, ``\\x00``): safe in a
    ``#`` comment such as the generated header's ``Source:`` line."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def render_extension(
    specs: tuple[ir.ExtensionSpec, ...],
    layout: Layout,
    overrides: Path | None,
    flavour: Flavour,
) -> RenderedPackage:
    """Every file of one extension package and its tests (``specs``: one per version), with
    its payload classes in the bindings' ``flavour``."""
    first = specs[0]
    own = Layout(first.package)
    renderer = Renderer(layout, overrides, flavour)
    source = f"{first.name} extension ({one_line(first.vendor_id)})"
    renderer.add(
        f"{own.package_dir}/__init__.py",
        f"{TEMPLATES}/package_init.py.j2",
        source,
        ext=first,
        extensions=specs,
    )
    renderer.add_text(f"{own.package_dir}/py.typed", "", "ocppgen")
    doc = f'"""Generated tests of the {first.name} extension, one module per version."""\n'
    renderer.add_text(f"{own.tests_dir}/__init__.py", renderer.header(source) + doc)
    for spec in specs:
        _version(renderer, spec, own, f"{source} for {spec.spec.title}")
    return renderer.out.sorted()


def _version(renderer: Renderer, ext: ir.ExtensionSpec, own: Layout, source: str) -> None:
    base = f"{own.package_dir}/{ext.spec.package}"
    tests = f"{own.tests_dir}/{ext.spec.package}"
    spec = ext.spec
    messages = tuple(message_view(m) for m in ext.data_transfers)
    add = renderer.add
    add(f"{base}/errors.py", f"{TEMPLATES}/errors.py.j2", source, ext=ext)
    models = ModelSet(
        spec,
        ext.payloads,
        base,
        source,
        renderer.layout.package,
        datatypes_doc=f"Data types of the {ext.name} payloads for {spec.title}.",
        messages_doc=(
            f"The {ext.name} payloads for {spec.title}: DataTransfer data, customData, actions."
        ),
        in_bindings=False,
    )
    renderer.flavour.render_models(renderer, models)
    status = _status_enum(ext.standard)
    codecs = sorted(
        {m.request_codec.split("(")[0] for m in messages}
        | {m.response_codec.split("(")[0] for m in messages if m.response_codec != "None"}
    )
    add(
        f"{base}/registry.py",
        f"{TEMPLATES}/registry.py.j2",
        source,
        ext=ext,
        messages=messages,
        status_enum=status,
        codec_imports=[f"{name}, " for name in codecs],
    )
    if ext.custom_data:
        add(f"{base}/custom_data.py", f"{TEMPLATES}/custom_data.py.j2", source, ext=ext)
    protocols = _protocols(ext, messages)
    handler_imports = {m.request_hint for m in messages} | {m.response_hint for m in messages}
    for protocol in protocols:
        for action in protocol.actions:
            handler_imports.add(action.request.type.name)
            if action.response is not None:
                handler_imports.add(action.response.type.name)
    add(
        f"{base}/handlers.py",
        f"{TEMPLATES}/handlers.py.j2",
        source,
        ext=ext,
        messages=messages,
        protocols=protocols,
        handler_imports=sorted(handler_imports - {"str", "None"}),
        handler_doc=handler_doc,
    )
    helpers = [name for name, kind in (("call", "CALL"), ("send", "SEND")) if _has(spec, kind)]
    if helpers:
        add(f"{base}/calls.py", f"{TEMPLATES}/calls.py.j2", source, ext=ext)
    exports = [e.name for e in spec.enums] + [o.name for o in spec.datatypes] + helpers
    exports += [o.name for o in ext.payloads]
    exports += ["CUSTOM_DATA", "DATA_TRANSFER", "EXTENSION", "FEATURES", "OCPP_VERSION"]
    exports += ["VENDOR_ID"] + [n for c in ext.custom_data for n in (c.read_name, c.write_name)]
    add(
        f"{base}/__init__.py",
        f"{TEMPLATES}/version_init.py.j2",
        source,
        ext=ext,
        export_names=sorted(exports, key=dunder_all_key),
        helpers=helpers,
    )
    doc = f'"""Generated tests of the {ext.name} extension for {spec.title}."""\n'
    renderer.add_text(f"{tests}/__init__.py", renderer.header(source) + doc)
    extension_catalogue_files(renderer, ext, base, tests, source)
    add(f"{tests}/test_extension.py", f"{TEMPLATES}/test_extension.py.j2", source, ext=ext)
    renderer.add_data(f"{tests}/cases.json", _cases(ext, messages, protocols))


def _has(spec: ir.Spec, kind: str) -> bool:
    """Has the extension a custom action of ``kind`` (CALL or SEND)?"""
    return any(action.kind == kind for action in spec.actions)


def _protocols(
    ext: ir.ExtensionSpec, messages: tuple[MessageView, ...]
) -> tuple[HandlerProtocolView, ...]:
    """One Protocol per side: the vendor messages (both sides) and the actions it receives."""
    received = {p.central: p.actions for p in handler_protocols(ext.spec)}
    out = []
    for index, role in enumerate(ext.spec.roles):
        central = index == 1
        actions = received.get(central, ())
        if messages or actions:
            doc = f"The {ext.name} messages and actions that the {role} receives."
            name = f"{ext.name}{role}Handler"
            out.append(HandlerProtocolView(name, doc, central, actions, ext.name))
    return tuple(out)


def _status_enum(standard: ir.Spec) -> str:
    for action in standard.actions:
        if action.name == "DataTransfer" and action.response is not None:
            for f in action.response.type.fields:
                if f.json_name == "status" and isinstance(f.type, ir.EnumRef):
                    return f.type.name
    raise AssertionError(f"{standard.title} has no DataTransfer status enum")


def _cases(
    ext: ir.ExtensionSpec,
    messages: tuple[MessageView, ...],
    protocols: tuple[HandlerProtocolView, ...],
) -> dict[str, Any]:
    """The data the generated test module reads."""
    builder = ExampleBuilder(ext.spec)
    codes = ext.spec.error_codes
    payloads = {
        obj.name: {
            "schema": ext.schemas[obj.name],
            "minimal": builder.payload(obj, full=False),
            "full": builder.payload(obj, full=True),
        }
        for obj in ext.payloads
    }
    invalid: list[dict[str, Any]] = []
    for obj in ext.payloads:
        cases, _ = invalid_cases(codes, builder, obj)
        invalid += [{"class": obj.name, **case} for case in cases]
    data_transfer = [
        {
            "vendor_id": view.message.vendor_id,
            "message_id": view.message.message_id,
            "request": view.message.request.name if view.message.request else None,
            "response": view.message.response.name if view.message.response else None,
            "string": view.message.data == "string",
            "bad_data": {"object": NOT_AN_OBJECT, "json_text": NOT_JSON_TEXT, "string": 12345}[
                view.message.data
            ],
            "bad_code": codes.format if view.message.data == "json_text" else codes.type,
        }
        for view in messages
    ]
    standard = ExampleBuilder(ext.standard)
    targets = {o.name: o for o in ext.standard.datatypes}
    targets.update((m.type.name, m.type) for m in ext.standard.messages)
    custom_data = [
        {
            "target": c.target,
            "class": c.type.name,
            "read": c.read_name,
            "write": c.write_name,
            "target_example": standard.payload(targets[c.target], full=False),
        }
        for c in ext.custom_data
    ]
    handlers = [
        [protocol.name, name]
        for protocol in protocols
        for name in [m.message.handler_name for m in messages]
        + [a.handler_name for a in protocol.actions]
    ]
    return {
        "payloads": payloads,
        "invalid": invalid,
        "data_transfer": data_transfer,
        "custom_data": custom_data,
        "handlers": handlers,
        "actions": sorted(a.name for a in ext.spec.actions),
    }
