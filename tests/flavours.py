"""The pydantic flavour of the bindings, generated for the tests beside the committed package.

It is generated once (per change of the generator's inputs) into ``build/flavours`` as the
package ``ocpp_pydantic``, so both flavours import side by side in one test process. A file
lock keeps parallel test workers from generating it twice.
"""

from __future__ import annotations

import fcntl
import functools
import sys

from support import ROOT, SCHEMAS

from generator import pipeline
from generator.config import Settings
from generator.output.layout import Layout

FLAVOURS = ROOT / "build" / "flavours"
PYDANTIC_PACKAGE = "ocpp_pydantic"
PYDANTIC = Settings(SCHEMAS, FLAVOURS, (), Layout(PYDANTIC_PACKAGE), style="pydantic")


@functools.cache
def pydantic_bindings() -> str:
    """The import name of the up-to-date pydantic flavour (generated when stale)."""
    FLAVOURS.mkdir(parents=True, exist_ok=True)
    with (FLAVOURS / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        pipeline.generate_if_stale(PYDANTIC)
    if str(FLAVOURS) not in sys.path:
        sys.path.insert(0, str(FLAVOURS))
    return PYDANTIC_PACKAGE
