"""datamodel-code-generator writing plain dataclasses for every schema of the given sets.

Its CLI stops on a folder of OCPP schemas ("Modular references require an output
directory"), so this drives its Python API file by file, in one process: its best case.
Usage: python dmc_dataclasses.py OUT_DIR SCHEMA_DIR...
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

from datamodel_code_generator import DataModelType, InputFileType, generate


def main(out: Path, folders: list[Path]) -> None:
    warnings.simplefilter("ignore")
    for folder in folders:
        target = out / folder.name.replace(".", "_")
        target.mkdir(parents=True, exist_ok=True)
        for schema in sorted(folder.glob("*.json")):
            generate(
                schema,
                input_file_type=InputFileType.JsonSchema,
                output=target / f"{schema.stem}.py",
                output_model_type=DataModelType.DataclassesDataclass,
            )


if __name__ == "__main__":
    main(Path(sys.argv[1]), [Path(arg) for arg in sys.argv[2:]])
