"""Where the generated package and its tests go: import names and paths under the output folder.

The package may have a dotted name (``acme_csms.ocpp``): its folder is then
``acme_csms/ocpp`` and its tests are the sibling ``acme_csms.ocpp_tests``. Generate owns only
those two folders; a parent such as ``acme_csms`` stays the user's (a namespace package when
it has no ``__init__.py``).
"""

from __future__ import annotations

import keyword
import sys
from dataclasses import dataclass

from generator.errors import GeneratorError
from generator.ir.naming import ascii_name_problem

DEFAULT_PACKAGE = "ocpp_bindings"
MANIFEST_FILE = "manifest.json"
"""The generated package's record of its inputs and outputs (:mod:`generator.output.manifest`)."""


@dataclass(frozen=True)
class Layout:
    """The import name of the generated package, and the paths that follow from it."""

    package: str = DEFAULT_PACKAGE

    @property
    def tests_package(self) -> str:
        """The generated tests: a sibling, so that the package needs nothing but its runtime."""
        return f"{self.package}_tests"

    @property
    def package_dir(self) -> str:
        """The package folder, relative to the output folder (``/``-separated)."""
        return self.package.replace(".", "/")

    @property
    def tests_dir(self) -> str:
        """The generated tests' folder, relative to the output folder."""
        return self.tests_package.replace(".", "/")

    @property
    def roots(self) -> tuple[str, str]:
        """The folders under the output folder that generate owns."""
        return (self.package_dir, self.tests_dir)

    @property
    def manifest_path(self) -> str:
        """The manifest, relative to the output folder."""
        return f"{self.package_dir}/{MANIFEST_FILE}"


def check_package_name(name: str, where: str) -> str:
    """``name`` when it is a dotted Python package name we can generate into, else an error."""
    problem = ascii_name_problem(name, "package name")
    if problem is not None:
        raise GeneratorError(problem, where)
    parts = name.split(".")
    bad = next((p for p in parts if not p.isidentifier() or keyword.iskeyword(p)), None)
    if bad is not None:
        what = "a Python keyword" if keyword.iskeyword(bad) else "not a Python identifier"
        raise GeneratorError(f"package name {name!r}: {bad!r} is {what}", where)
    if parts[0] in sys.stdlib_module_names:
        raise GeneratorError(
            f"package name {name!r} would shadow the standard library module {parts[0]!r}", where
        )
    return name
