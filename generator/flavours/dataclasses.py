"""The dataclasses flavour: standard-library dataclasses over the compiled validation runtime."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from generator.flavours.base import ModelSet, Style
from generator.render.views import object_module_view

if TYPE_CHECKING:
    from generator.render.renderer import Renderer


class DataclassesFlavour:
    """``enums.py``, ``datatypes.py`` and ``messages.py`` from ``enums.py.j2`` and
    ``objects.py.j2``; the package depends on the standard library only."""

    style = Style.DATACLASSES
    runtime: Mapping[str, str] = {"_flavour.py": "_flavour.py"}

    def template_filters(self) -> Mapping[str, Callable[..., Any]]:
        return {}

    def render_models(self, renderer: Renderer, models: ModelSet) -> None:
        spec, folder, source = models.spec, models.folder, models.source
        parent = ".." if models.in_bindings else models.package
        if models.in_bindings or spec.enums:
            renderer.add(f"{folder}/enums.py", "enums.py.j2", source, spec=spec)
        if models.in_bindings or spec.datatypes:
            renderer.add(
                f"{folder}/datatypes.py",
                "objects.py.j2",
                source,
                spec=spec,
                module_doc=models.datatypes_doc,
                view=object_module_view(spec.datatypes, local=True, runtime_parent=parent),
            )
        renderer.add(
            f"{folder}/messages.py",
            "objects.py.j2",
            source,
            spec=spec,
            module_doc=models.messages_doc,
            view=object_module_view(models.objects, local=False, runtime_parent=parent),
        )
