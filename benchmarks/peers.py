"""The tools a user would otherwise pick, set up for one schema as each recommends.

- jsonschema: a validator built once per schema and reused (what the ``ocpp`` package does:
  ``json.loads``, then ``validate``; dicts for the handler), date-time format checked.
- fastjsonschema: the schema compiled once to Python code; validates dicts.
- pydantic v2: models written by datamodel-code-generator from the same schema file
  (into ``build/bench/pydantic``), ``model_validate_json`` / ``model_dump_json``: plain, that is
  pydantic's lax mode (``"5"`` is an integer, a date is a date-time).
- ocppgen's own pydantic flavour (``--style pydantic``, as strict as the schemas), generated
  into ``build/bench/flavours`` as the package ``ocpp_pydantic``: ``from_json`` / ``to_json``.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import warnings
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import fastjsonschema
from datamodel_code_generator import DataModelType, InputFileType, generate
from jsonschema import FormatChecker
from jsonschema.validators import validator_for

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "bench"


def schema_path(version: str, stem: str) -> Path:
    return ROOT / "schemas" / version / f"{stem}.json"


def jsonschema_decoder(path: Path) -> Callable[[str], Any]:
    """``json.loads`` then a cached jsonschema validator, date-time format checked.

    Schemas with ``multipleOf`` are read, like their payloads, with ``parse_float=Decimal``:
    with floats, jsonschema rejects valid values such as 16.7 for ``multipleOf: 0.1`` (the
    ``ocpp`` package does the same for these actions).
    """
    text = path.read_text(encoding="utf-8-sig")
    parse_float = Decimal if "multipleOf" in text else float
    schema = json.loads(text, parse_float=parse_float)
    validate = validator_for(schema)(schema, format_checker=FormatChecker()).validate

    def decode(payload: str) -> Any:
        data = json.loads(payload, parse_float=parse_float)
        validate(data)
        return data

    return decode


def fastjsonschema_validator(path: Path) -> Callable[[Any], Any]:
    """fastjsonschema's compiled validator for one schema file."""
    schema = json.loads(path.read_text(encoding="utf-8-sig"))
    return fastjsonschema.compile(schema)  # type: ignore[no-any-return]


def pydantic_model(path: Path, version: str) -> Any:
    """The root pydantic v2 model datamodel-code-generator writes for one schema file."""
    out = BUILD / "pydantic" / version.replace(".", "_") / f"{path.stem}.py"
    out.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        generate(
            path,
            input_file_type=InputFileType.JsonSchema,
            output=out,
            output_model_type=DataModelType.PydanticV2BaseModel,
        )
    module = _import(out, f"bench_pydantic_{version.replace('.', '_')}_{path.stem}")
    for name in (path.stem, f"{path.stem}Request", "Model"):
        if hasattr(module, name):
            return getattr(module, name)
    raise LookupError(f"no root model in {out}")


def pydantic_flavour_class(module: str, name: str) -> Any:
    """A message class of ocppgen's pydantic flavour (generated first when stale)."""
    from generator import pipeline
    from generator.config import Settings
    from generator.output.layout import Layout

    out = BUILD / "flavours"
    settings = Settings(ROOT / "schemas", out, (), Layout("ocpp_pydantic"), style="pydantic")
    pipeline.generate_if_stale(settings)
    if str(out) not in sys.path:
        sys.path.insert(0, str(out))
    return getattr(importlib.import_module(f"ocpp_pydantic.{module}"), name)


def _import(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # pydantic resolves the postponed annotations through it
    spec.loader.exec_module(module)
    return module
