"""Render a version's catalogue modules: ``device_model.py`` (2.x) or ``configuration.py``
(1.6), with their generated tests and the tests' data, in the bindings or (the vendor's
components, variables and keys beside the standard ones) in an extension package."""

from __future__ import annotations

from dataclasses import dataclass

from generator import ir
from generator.ir.device_model import (
    CONFIGURATION_EXPORTS,
    DEVICE_MODEL_EXPORTS,
    EXTENSION_CONFIGURATION_EXPORTS,
    EXTENSION_DEVICE_MODEL_EXPORTS,
)
from generator.ir.naming import dunder_all_key
from generator.render import device_model as views
from generator.render.renderer import Renderer
from generator.render.views import version_source


@dataclass(frozen=True)
class Place:
    """Where one version's catalogue module goes, and which templates write it."""

    base: str
    """The version's package folder."""
    tests: str
    """The version's generated tests folder."""
    module: str
    """The version's package, as the tests import it (``ocpp_bindings.v201``)."""
    templates: str
    """``""`` for the bindings' templates, ``extension/`` for an extension's."""
    source: str


def catalogue_files(renderer: Renderer, spec: ir.Spec) -> None:
    """The bindings' catalogue module of a version and its generated tests."""
    layout = renderer.layout
    place = Place(
        f"{layout.package_dir}/{spec.package}",
        f"{layout.tests_dir}/{spec.package}",
        f"{layout.package}.{spec.package}",
        "",
        version_source(spec),
    )
    _render(renderer, spec, place, DEVICE_MODEL_EXPORTS, CONFIGURATION_EXPORTS, 0)


def extension_catalogue_files(
    renderer: Renderer, ext: ir.ExtensionSpec, base: str, tests: str, source: str
) -> None:
    """An extension's catalogue module of a version (the vendor's components, variables and
    keys) and its generated tests."""
    package = ext.spec.package
    place = Place(base, tests, f"{ext.package}.{package}", "extension/", source)
    standard = ext.standard.configuration
    exports = (EXTENSION_DEVICE_MODEL_EXPORTS, EXTENSION_CONFIGURATION_EXPORTS)
    _render(renderer, ext.spec, place, *exports, len(standard.keys) if standard else 0, ext=ext)


def _render(
    renderer: Renderer,
    spec: ir.Spec,
    place: Place,
    model_exports: tuple[str, ...],
    key_exports: tuple[str, ...],
    other_keys: int,
    **context: object,
) -> None:
    if spec.device_model is not None:
        model = spec.device_model
        components = views.component_views(model)
        names = [*model_exports, *(c.py_name for c in components)]
        renderer.add(
            f"{place.base}/device_model.py",
            f"{place.templates}device_model.py.j2",
            place.source,
            spec=spec,
            model=model,
            components=components,
            generic=views.generic_views(model),
            uses_decimal=views.uses_decimal(components),
            export_names=sorted(names, key=dunder_all_key),
            **context,
        )
        renderer.add(
            f"{place.tests}/test_device_model.py",
            "device_model_test.py.j2",
            place.source,
            spec=spec,
            model=model,
            module=place.module,
        )
        variable_cases = views.device_model_cases(model)
        renderer.add_data(f"{place.tests}/device_model_cases.json", variable_cases)
    if spec.configuration is not None:
        configuration = spec.configuration
        keys = tuple(views.key_view(key) for key in configuration.keys)
        names = [*key_exports, *(key.py_name for key in keys)]
        renderer.add(
            f"{place.base}/configuration.py",
            f"{place.templates}configuration.py.j2",
            place.source,
            spec=spec,
            configuration=configuration,
            keys=keys,
            export_names=sorted(names, key=dunder_all_key),
            **context,
        )
        renderer.add(
            f"{place.tests}/test_configuration.py",
            "configuration_test.py.j2",
            place.source,
            spec=spec,
            keys=keys,
            module=place.module,
            total=len(keys) + other_keys,
        )
        key_cases = views.configuration_cases(configuration)
        renderer.add_data(f"{place.tests}/configuration_cases.json", key_cases)
