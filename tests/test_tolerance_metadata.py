"""``[tolerances]`` of ``schemas/<version>/ocppgen.toml``: checked against the enums, every
mistake one line naming the file and the JSON pointer (exit 2, nothing written), and what it
says reaches the generated package."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from inprocess import invoke, one_line_error
from ocpp_bindings.v16.errors import DIALECT as DIALECT16
from ocpp_bindings.v201.errors import DIALECT as DIALECT201
from support import SCHEMAS


def _schemas_with(tmp_path: Path, tables: str) -> Path:
    """The 1.6 schemas with ``tables`` in place of the curated ``[tolerances]``."""
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS / "1.6", root / "1.6")
    metadata = root / "1.6" / "ocppgen.toml"
    text = metadata.read_text(encoding="utf-8")
    metadata.write_text(text.split("[tolerances.catch_all]")[0] + tables, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("tables", "fragments"),
    [
        ('[tolerances.catch_all]\nNoSuchEnum = "Other"\n',
         ("tolerances.catch_all: no enum named 'NoSuchEnum'", "#/tolerances/catch_all/NoSuchEnum")),
        ('[tolerances.catch_all]\nChargePointErrorCode = "Broken"\n',
         ("tolerances.catch_all.ChargePointErrorCode: 'Broken' is not a member",)),
        ('[tolerances.aliases.UnitOfMeasure]\nHz = "Hurts"\n',
         ("tolerances.aliases.UnitOfMeasure: 'Hurts' is not a member",
          "#/tolerances/aliases/UnitOfMeasure/Hz")),
        ('[tolerances.aliases.UnitOfMeasure]\nWh = "kWh"\n',
         ("tolerances.aliases.UnitOfMeasure: 'Wh' is a member already",)),
        ('[tolerances.defaults]\nMeasurand = "Energy"\n',
         ("tolerances.defaults.Measurand: 'Energy' is not a member",)),
        ('[tolerances.catchall]\nReason = "Other"\n', ("tolerances: unknown key 'catchall'",)),
        ('[tolerances]\ncatch_all = ["OtherError"]\n',
         ("[tolerances.catch_all] must map names to strings",)),
    ],
)  # fmt: skip
def test_a_mistake_in_the_tables_is_one_line_with_file_and_pointer(
    tmp_path: Path, tables: str, fragments: tuple[str, ...]
) -> None:
    schemas = _schemas_with(tmp_path, tables)
    out = tmp_path / "out"
    result = invoke("generate", "--schemas", schemas, "--out", out, cwd=tmp_path)
    line = one_line_error(result, str(schemas / "1.6" / "ocppgen.toml"), *fragments)
    assert "\n" not in line and not out.exists()


def test_the_curated_tables_reach_each_version_dialect() -> None:
    repairs = DIALECT16.repairs
    assert repairs.catch_all["ChargePointErrorCode"] == "OtherError"
    assert repairs.aliases["UnitOfMeasure"] == {"Hz": "Hertz"}
    assert {"Measurand", "UnitOfMeasure", "StopTransactionUnitOfMeasure"} <= repairs.defaulted
    assert "AuthorizationStatusEnumType" not in DIALECT201.repairs.catch_all  # a real answer
    assert DIALECT201.repairs.catch_all["BootReasonEnumType"] == "Unknown"
