"""The pydantic flavour's models, written by datamodel-code-generator from the canonical schema."""

from __future__ import annotations

import json

from generator import ir
from generator.canonical import Lowering


def base_class_name(spec: ir.Spec) -> str:
    """The version's base model (``V201Model``): sets the version's error-code dialect."""
    return f"{spec.package.upper()}Model"


def models_source(spec: ir.Spec, package: str, header: str) -> str:
    """``<package>/<v>/models.py``: every enum, data type and message of ``spec``.

    datamodel-code-generator does the writing; we choose its options so that the names are
    the dataclass flavour's and validation is as strict as the schema (strict scalar types,
    field constraints, ``extra="forbid"`` from ``additionalProperties: false``).
    """
    from datamodel_code_generator import PythonVersion, generate
    from datamodel_code_generator.enums import DataModelType, InputFileType, StrictTypes

    own = f"{package}.{spec.package}.base"
    lowering = Lowering(spec, own)
    source = generate(
        json.dumps(lowering.document()),
        input_file_type=InputFileType.JsonSchema,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_310,
        class_name=spec.messages[0].type.name,
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
