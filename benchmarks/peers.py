"""The tools a user would otherwise pick, set up for one schema as each recommends.

- jsonschema: a validator built once per schema and reused (what the ``ocpp`` package does:
  ``json.loads``, then ``validate``; dicts for the handler), date-time format checked.
- fastjsonschema: the schema compiled once to Python code; validates dicts.
- pydantic v2: models written by datamodel-code-generator from the same schema file
  (into ``build/bench/pydantic``), ``model_validate_json`` / ``model_dump_json``: plain, that is
  pydantic's lax mode (``"5"`` is an integer, a date is a date-time).
- msgspec: ``msgspec.Struct`` models written by datamodel-code-generator from the same schema
  file (into ``build/bench/msgspec``), decoded by a ``msgspec.json.Decoder`` for the root
  struct, encoded by ``msgspec.json.encode``: plain (date-times stay text, ``multipleOf`` is
  dropped, ``1.0`` is no integer, customData's vendor properties are dropped).
- ocppgen's own pydantic and msgspec flavours (``--style pydantic`` / ``msgspec``, as strict
  as the schemas), generated into ``build/bench/flavours`` as the packages ``ocpp_pydantic`` and
  ``ocpp_msgspec``: ``from_json`` / ``to_json``.
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
import msgspec
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
    return _root_model(path, version, DataModelType.PydanticV2BaseModel, "pydantic")


def msgspec_decoder(path: Path, version: str) -> msgspec.json.Decoder[Any]:
    """A decoder for the root ``msgspec.Struct`` datamodel-code-generator writes for one
    schema file."""
    return msgspec.json.Decoder(_root_model(path, version, DataModelType.MsgspecStruct, "msgspec"))


def _root_model(path: Path, version: str, model_type: DataModelType, kind: str) -> Any:
    out = BUILD / kind / version.replace(".", "_") / f"{path.stem}.py"
    out.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        generate(path, input_file_type=InputFileType.JsonSchema, output=out,
                 output_model_type=model_type)  # fmt: skip
    module = _import(out, f"bench_{kind}_{version.replace('.', '_')}_{path.stem}")
    for name in (path.stem, f"{path.stem}Request", "Model"):
        if hasattr(module, name):
            return getattr(module, name)
    raise LookupError(f"no root model in {out}")


FLAVOUR_PACKAGES = {"pydantic": "ocpp_pydantic", "msgspec": "ocpp_msgspec"}


def flavour_package(style: str) -> str:
    """The import name of one of ocppgen's flavours (generated first when stale)."""
    from generator import pipeline
    from generator.config import Settings
    from generator.output.layout import Layout

    out = BUILD / "flavours"
    package = FLAVOUR_PACKAGES[style]
    settings = Settings(ROOT / "schemas", out, (), Layout(package), style=style)
    pipeline.generate_if_stale(settings)
    if str(out) not in sys.path:
        sys.path.insert(0, str(out))
    return package


def flavour_class(style: str, module: str, name: str) -> Any:
    """A message class of one of ocppgen's flavours."""
    return getattr(importlib.import_module(f"{flavour_package(style)}.{module}"), name)


def _import(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # pydantic resolves the postponed annotations through it
    spec.loader.exec_module(module)
    return module
