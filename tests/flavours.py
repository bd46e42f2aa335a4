"""The other flavours of the bindings, generated for the tests beside the committed package.

Each is generated once (per change of the generator's inputs) into ``build/flavours``: the
pydantic flavour as the package ``ocpp_pydantic`` and the msgspec flavour as
``ocpp_msgspec``, so that every flavour imports side by side in one test process; and the
msgspec flavour once more under the committed package's own name, ``ocpp_bindings``, in
``build/flavours/msgspec-as-bindings``, for test modules written against that name (run in a
subprocess). A file lock keeps parallel test workers from generating one twice.
"""

from __future__ import annotations

import fcntl
import functools
import sys
from pathlib import Path

from support import ROOT, SCHEMAS

from generator import pipeline
from generator.config import Settings
from generator.flavours import Style
from generator.output.layout import Layout

FLAVOURS = ROOT / "build" / "flavours"
PYDANTIC_PACKAGE = "ocpp_pydantic"
MSGSPEC_PACKAGE = "ocpp_msgspec"
PACKAGES = {Style.PYDANTIC: PYDANTIC_PACKAGE, Style.MSGSPEC: MSGSPEC_PACKAGE}
MSGSPEC_AS_BINDINGS = FLAVOURS / "msgspec-as-bindings"
"""The msgspec flavour named ``ocpp_bindings`` (see :func:`msgspec_as_bindings`)."""


def _generate(settings: Settings) -> None:
    FLAVOURS.mkdir(parents=True, exist_ok=True)
    with (FLAVOURS / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        pipeline.generate_if_stale(settings)


@functools.cache
def bindings(style: str) -> str:
    """The import name of the up-to-date package of flavour ``style`` (generated when stale;
    the dataclasses flavour is the committed ``ocpp_bindings``)."""
    if style == Style.DATACLASSES.value:
        return "ocpp_bindings"
    package = PACKAGES[Style(style)]
    _generate(Settings(SCHEMAS, FLAVOURS, (), Layout(package), style=Style(style)))
    if str(FLAVOURS) not in sys.path:
        sys.path.insert(0, str(FLAVOURS))
    return package


def pydantic_bindings() -> str:
    """The import name of the up-to-date pydantic flavour (generated when stale)."""
    return bindings(Style.PYDANTIC.value)


def msgspec_bindings() -> str:
    """The import name of the up-to-date msgspec flavour (generated when stale)."""
    return bindings(Style.MSGSPEC.value)


@functools.cache
def msgspec_as_bindings() -> Path:
    """The folder holding the msgspec flavour as the package ``ocpp_bindings`` (generated
    when stale); put it first on the path of a subprocess, never of this one."""
    _generate(Settings(SCHEMAS, MSGSPEC_AS_BINDINGS, (), style=Style.MSGSPEC))
    return MSGSPEC_AS_BINDINGS
