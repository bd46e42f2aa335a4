"""Render the bindings package: its runtime, and per version the modules every flavour shares
(registry, handlers, dispatcher, errors) plus the flavour's model modules."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generator import ir
from generator.flavours.base import ModelSet
from generator.ir.naming import dunder_all_key
from generator.output.layout import Layout
from generator.render.catalogue import catalogue_files
from generator.render.generated_tests import examples_and_tests
from generator.render.renderer import RenderedPackage, Renderer
from generator.render.views import handler_doc, handler_protocols, version_source
from generator.runtime import SHARED

if TYPE_CHECKING:
    from generator.flavours.base import Flavour


def template_source(template: str) -> str:
    """What the header of a file rendered from schema-independent ``template`` names."""
    return f"ocppgen (templates/{template})"


def render_package(
    specs: tuple[ir.Spec, ...], layout: Layout, overrides: Path | None, flavour: Flavour
) -> RenderedPackage:
    """All files of the package and its tests, by path relative to the output folder.

    The Python sources come out as the templates, the runtime modules and the flavour write
    them; :mod:`generator.output.formatting` puts them through black.
    """
    renderer = Renderer(layout, overrides, flavour)
    base, tests = layout.package_dir, layout.tests_dir
    init, support = "package_init.py.j2", "tests_support.py.j2"
    renderer.add(f"{base}/__init__.py", init, template_source(init), specs=specs)
    for module in SHARED:
        renderer.add_runtime(f"{base}/{module}", module)
    for name, module in flavour.runtime.items():
        renderer.add_runtime(f"{base}/{name}", module)
    renderer.add_text(f"{base}/py.typed", "", "ocppgen")
    tests_doc = f'"""Generated tests of the {layout.package} package, one module per profile."""\n'
    renderer.add_text(f"{tests}/__init__.py", renderer.header("ocppgen") + tests_doc)
    renderer.add(f"{tests}/_support.py", support, template_source(support))
    for spec in specs:
        _version(renderer, spec)
        examples_and_tests(renderer, spec)
    return renderer.out.sorted()


def _version(renderer: Renderer, spec: ir.Spec) -> None:
    """One version's modules: the shared ones, then the flavour's models."""
    # Only __init__ names the schema set's digest: other files change only when their
    # content does, so one changed schema leaves the rest of the package untouched.
    source = version_source(spec)
    init_source = f"{source}, schema set sha256 {spec.schema_digest[:16]}"
    base = f"{renderer.layout.package_dir}/{spec.package}"
    messages = tuple(m.type for m in spec.messages)
    public = [e.name for e in spec.enums] + [o.name for o in spec.datatypes]
    public += [m.name for m in messages] + ["DIALECT", "OCPP_VERSION", "ErrorCode"]
    protocols = handler_protocols(spec)
    handler_imports = {
        message.type.name
        for protocol in protocols
        for action in protocol.actions
        for message in (action.request, action.response)
        if message is not None
    }
    add = renderer.add
    add(
        f"{base}/__init__.py",
        "version_init.py.j2",
        init_source,
        spec=spec,
        export_names=sorted(public, key=dunder_all_key),
    )
    add(f"{base}/errors.py", "errors.py.j2", source, spec=spec)
    add(f"{base}/registry.py", "registry.py.j2", source, spec=spec)
    renderer.add_data(f"{base}/descriptions.json", _descriptions(spec))
    add(
        f"{base}/handlers.py",
        "handlers.py.j2",
        source,
        spec=spec,
        protocols=protocols,
        handler_imports=sorted(handler_imports),
        handler_doc=handler_doc,
    )
    add(f"{base}/dispatch.py", "dispatch.py.j2", source, spec=spec)
    models = ModelSet(
        spec,
        messages,
        base,
        source,
        renderer.layout.package,
        datatypes_doc=f"Data types shared by the {spec.title} messages.",
        messages_doc=f"Request and response payloads of every {spec.title} action.",
    )
    renderer.flavour.render_models(renderer, models)
    catalogue_files(renderer, spec)


def _descriptions(spec: ir.Spec) -> dict[str, dict[str, str]]:
    """Type name -> its schema description (``description``) and its fields' (``/<json name>``)."""
    found: dict[str, dict[str, str]] = {e.name: {"description": e.description} for e in spec.enums}
    for obj in (*spec.datatypes, *(m.type for m in spec.messages)):
        found[obj.name] = {"description": obj.description}
        found[obj.name].update((f"/{f.json_name}", f.description) for f in obj.fields)
    return dict(sorted(found.items()))
