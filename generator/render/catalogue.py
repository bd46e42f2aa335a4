"""Render a version's catalogue modules: ``device_model.py`` (2.x) or ``configuration.py``
(1.6), with their generated tests and the tests' data."""

from __future__ import annotations

from generator import ir
from generator.ir.device_model import CONFIGURATION_EXPORTS, DEVICE_MODEL_EXPORTS
from generator.ir.naming import dunder_all_key
from generator.render import device_model as views
from generator.render.renderer import Renderer
from generator.render.views import version_source


def catalogue_files(renderer: Renderer, spec: ir.Spec) -> None:
    """The version's catalogue module and its generated tests, where it has a catalogue."""
    source = version_source(spec)
    base = f"{renderer.layout.package_dir}/{spec.package}"
    tests = f"{renderer.layout.tests_dir}/{spec.package}"
    if spec.device_model is not None:
        model = spec.device_model
        components = views.component_views(model)
        names = [*DEVICE_MODEL_EXPORTS, *(c.py_name for c in components)]
        renderer.add(
            f"{base}/device_model.py",
            "device_model.py.j2",
            source,
            spec=spec,
            model=model,
            components=components,
            generic=views.generic_views(model),
            uses_decimal=views.uses_decimal(components),
            export_names=sorted(names, key=dunder_all_key),
        )
        renderer.add(
            f"{tests}/test_device_model.py",
            "device_model_test.py.j2",
            source,
            spec=spec,
            model=model,
        )
        renderer.add_data(f"{tests}/device_model_cases.json", views.device_model_cases(model))
    if spec.configuration is not None:
        configuration = spec.configuration
        keys = tuple(views.key_view(key) for key in configuration.keys)
        names = [*CONFIGURATION_EXPORTS, *(key.py_name for key in keys)]
        renderer.add(
            f"{base}/configuration.py",
            "configuration.py.j2",
            source,
            spec=spec,
            configuration=configuration,
            keys=keys,
            export_names=sorted(names, key=dunder_all_key),
        )
        renderer.add(
            f"{tests}/test_configuration.py",
            "configuration_test.py.j2",
            source,
            spec=spec,
            keys=keys,
        )
        renderer.add_data(
            f"{tests}/configuration_cases.json", views.configuration_cases(configuration)
        )
