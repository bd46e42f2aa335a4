"""What the flavours written by datamodel-code-generator share: one call of its Python API on
the canonical schema (:mod:`generator.flavours.canonical`), with the options that keep the
dataclass flavour's names, and the same import order as the rest of the package."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator import ir
    from generator.flavours.base import ModelSet
    from generator.flavours.canonical import Lowering
    from generator.render.renderer import Renderer

MODELS_WRITER = "datamodel-code-generator"


def write_models(lowering: Lowering, header: str, **options: Any) -> str:
    """``models.py``: every enum and object of ``lowering``, written by datamodel-code-generator.

    The options every flavour shares: our class names (one definition per type, the root named
    by ``class_name``), field names (``aliases``) and enum member names (``x-enum-varnames``),
    constraints on the fields, docstrings from the schema, no timestamp, no formatter (black
    formats the package). ``options`` adds the flavour's (output model type, base class, ...).
    Imports of the lowering's runtime module become imports of the folder's ``base``.
    """
    from datamodel_code_generator import PythonVersion, generate
    from datamodel_code_generator.enums import InputFileType

    source = generate(
        json.dumps(lowering.document()),
        input_file_type=InputFileType.JsonSchema,
        target_python_version=PythonVersion.PY_310,
        class_name=lowering.root,
        aliases=lowering.aliases(),
        field_constraints=True,
        use_annotated=True,
        use_schema_description=True,
        use_field_description=True,
        use_subclass_enum=True,
        use_double_quotes=True,
        collapse_root_models=True,
        disable_timestamp=True,
        custom_file_header=header,
        formatters=[],
        **options,
    )
    assert isinstance(source, str)
    return sorted_imports(source.replace(f"from {lowering.runtime} import", "from .base import"))


def sorted_imports(source: str) -> str:
    """Imports grouped and sorted like the rest of the package (isort, black profile, with
    no configuration file read, so the result does not depend on where it runs)."""
    import isort

    return isort.code(source, config=isort.Config(profile="black", line_length=100))


def import_name(folder: str) -> str:
    """The import name of an output folder (``ocpp_bindings/v201`` -> ``ocpp_bindings.v201``)."""
    return folder.replace("/", ".")


def write_reexports(renderer: Renderer, models: ModelSet, template: str) -> None:
    """``enums.py``, ``datatypes.py`` and ``messages.py``: the classes of ``models.py`` under
    the dataclass flavour's module names (an extension gets only the modules it has classes
    for)."""
    spec = models.spec
    modules = (
        ("enums", f"The enums of {spec.title}.", [e.name for e in spec.enums]),
        ("datatypes", models.datatypes_doc, [o.name for o in spec.datatypes]),
        ("messages", models.messages_doc, [o.name for o in models.objects]),
    )
    for module, module_doc, names in modules:
        if models.in_bindings or names:
            renderer.add(
                f"{models.folder}/{module}.py",
                template,
                models.source,
                spec=spec,
                module_doc=module_doc,
                names=names,
            )


ModelsSource = Callable[["ir.Spec", "tuple[ir.ObjectDef, ...]", str, str, str], str]
"""A flavour's ``models_source(spec, objects, root class, base module, header)``."""


def add_models_module(
    renderer: Renderer, models: ModelSet, kind: str, source: ModelsSource
) -> tuple[tuple[ir.ObjectDef, ...], str]:
    """Write ``<folder>/models.py`` (``kind``: what the docstring calls the classes) with
    ``source``; returns the objects it holds and the prefix the folder imports the package's
    runtime modules with (``..`` in the bindings, ``<package>.`` in an extension)."""
    spec, folder = models.spec, models.folder
    objects = (*spec.datatypes, *models.objects)
    what = f"of {spec.title}" if models.in_bindings else "of this extension version"
    doc = f'"""Every enum, data type and message {what}, as {kind}."""\n'
    header = renderer.header(f"{models.source}, models by {MODELS_WRITER}") + doc
    own = f"{import_name(folder)}.base"
    text = source(spec, objects, models.objects[0].name, own, header)
    renderer.add_text(f"{folder}/models.py", text, MODELS_WRITER)
    return objects, ".." if models.in_bindings else f"{models.package}."
