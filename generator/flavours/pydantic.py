"""The pydantic flavour: pydantic v2 models written by datamodel-code-generator from the
canonical schema (:mod:`generator.flavours.canonical`), with the dataclass flavour's names."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from generator import ir
from generator.flavours.base import ModelSet, Style
from generator.flavours.canonical import Lowering, multiple_of_type, multiples_of
from generator.flavours.dmc import add_models_module, write_models, write_reexports
from generator.render.views import object_module_view

if TYPE_CHECKING:
    from generator.render.renderer import Renderer


class PydanticFlavour:
    """``models.py`` by datamodel-code-generator, its ``base.py`` (the version's base model and
    exact types) and ``enums`` / ``datatypes`` / ``messages`` naming the same classes as the
    dataclass flavour; the package depends on pydantic v2 only."""

    style = Style.PYDANTIC
    runtime: Mapping[str, str] = {
        "_flavour.py": "_flavour_pydantic.py",
        "_pydantic.py": "_pydantic.py",
        "_pydantic_native.py": "_pydantic_native.py",
    }

    def template_filters(self) -> Mapping[str, Callable[..., Any]]:
        return {"multiple_of_type": multiple_of_type}

    def render_models(self, renderer: Renderer, models: ModelSet) -> None:
        spec, folder, source = models.spec, models.folder, models.source
        objects, runtime = add_models_module(renderer, models, "pydantic v2 models", models_source)
        renderer.add(
            f"{folder}/base.py",
            "pydantic/base.py.j2",
            source,
            spec=spec,
            base_class=base_class_name(spec),
            multiples=multiples_of(objects),
            runtime_prefix=runtime,
        )
        what = f"of {spec.title}" if models.in_bindings else "of this extension version"
        parent = ".." if models.in_bindings else models.package
        view = object_module_view(objects, local=True, runtime_parent=parent)
        names = sorted({o.name for o in objects} | set(view.enum_imports))
        renderer.add(
            f"{folder}/tables.py",
            "pydantic/tables.py.j2",
            source,
            what=what,
            view=view,
            names=names,
        )
        write_reexports(renderer, models, "pydantic/reexport.py.j2")


def base_class_name(spec: ir.Spec) -> str:
    """The version's base model (``V201Model``): sets the version's error-code dialect."""
    return f"{spec.package.upper()}Model"


def models_source(
    spec: ir.Spec, objects: tuple[ir.ObjectDef, ...], root: str, own: str, header: str
) -> str:
    """``models.py``: every enum of ``spec`` and every one of ``objects``.

    datamodel-code-generator does the writing; we choose its options so that the names are
    the dataclass flavour's and validation is as strict as the schema (strict scalar types,
    field constraints, ``extra="forbid"`` from ``additionalProperties: false``). ``own`` is the
    import name of the folder's ``base`` module.
    """
    from datamodel_code_generator.enums import DataModelType, StrictTypes

    return write_models(
        Lowering(spec.enums, objects, root, own),
        header,
        output_model_type=DataModelType.PydanticV2BaseModel,
        base_class=f"{own}.{base_class_name(spec)}",
        strict_types=[StrictTypes.str, StrictTypes.int, StrictTypes.float, StrictTypes.bool],
        use_union_operator=True,
    )
