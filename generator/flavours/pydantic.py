"""The pydantic flavour: pydantic v2 models written by datamodel-code-generator from the
canonical schema (:mod:`generator.flavours.canonical`), with the dataclass flavour's names."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from generator import ir
from generator.flavours.base import ModelSet, Style
from generator.flavours.canonical import Lowering, multiple_of_type, multiples_of
from generator.render.views import object_module_view

if TYPE_CHECKING:
    from generator.render.renderer import Renderer

MODELS_WRITER = "datamodel-code-generator"


class PydanticFlavour:
    """``models.py`` by datamodel-code-generator, its ``base.py`` (the version's base model and
    exact types) and ``enums`` / ``datatypes`` / ``messages`` naming the same classes as the
    dataclass flavour; the package depends on pydantic v2 only."""

    style = Style.PYDANTIC
    runtime: Mapping[str, str] = {
        "_flavour.py": "_flavour_pydantic.py",
        "_pydantic.py": "_pydantic.py",
    }

    def template_filters(self) -> Mapping[str, Callable[..., Any]]:
        return {"multiple_of_type": multiple_of_type}

    def render_models(self, renderer: Renderer, models: ModelSet) -> None:
        spec, folder, source = models.spec, models.folder, models.source
        objects = (*spec.datatypes, *models.objects)
        what = f"of {spec.title}" if models.in_bindings else "of this extension version"
        doc = f'"""Every enum, data type and message {what}, as pydantic v2 models."""\n'
        header = renderer.header(f"{source}, models by {MODELS_WRITER}") + doc
        own = f"{_import_name(folder)}.base"
        text = models_source(spec, objects, models.objects[0].name, own, header)
        renderer.add_text(f"{folder}/models.py", text, MODELS_WRITER)
        runtime = ".." if models.in_bindings else f"{models.package}."
        renderer.add(
            f"{folder}/base.py",
            "pydantic/base.py.j2",
            source,
            spec=spec,
            base_class=base_class_name(spec),
            multiples=multiples_of(objects),
            runtime_prefix=runtime,
        )
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
        modules = (
            ("enums", f"The enums of {spec.title}.", [e.name for e in spec.enums]),
            ("datatypes", models.datatypes_doc, [o.name for o in spec.datatypes]),
            ("messages", models.messages_doc, [o.name for o in models.objects]),
        )
        for module, module_doc, names in modules:
            if models.in_bindings or names:
                renderer.add(
                    f"{folder}/{module}.py",
                    "pydantic/reexport.py.j2",
                    source,
                    spec=spec,
                    module_doc=module_doc,
                    names=names,
                )


def _import_name(folder: str) -> str:
    return folder.replace("/", ".")


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
    from datamodel_code_generator import PythonVersion, generate
    from datamodel_code_generator.enums import DataModelType, InputFileType, StrictTypes

    lowering = Lowering(spec.enums, objects, root, own)
    source = generate(
        json.dumps(lowering.document()),
        input_file_type=InputFileType.JsonSchema,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_310,
        class_name=root,
        base_class=f"{own}.{base_class_name(spec)}",
        aliases=lowering.aliases(),
        strict_types=[StrictTypes.str, StrictTypes.int, StrictTypes.float, StrictTypes.bool],
        field_constraints=True,
        use_annotated=True,
        use_schema_description=True,
        use_field_description=True,
        use_subclass_enum=True,
        use_double_quotes=True,
        use_union_operator=True,
        collapse_root_models=True,
        disable_timestamp=True,
        custom_file_header=header,
        formatters=[],
    )
    assert isinstance(source, str)
    return _sorted_imports(source.replace(f"from {own} import", "from .base import"))


def _sorted_imports(source: str) -> str:
    """Imports grouped and sorted like the rest of the package (isort, black profile, with
    no configuration file read, so the result does not depend on where it runs)."""
    import isort

    return isort.code(source, config=isort.Config(profile="black", line_length=100))
