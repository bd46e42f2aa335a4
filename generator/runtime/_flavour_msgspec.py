"""The msgspec flavour: what the shared runtime modules need to know of the models.

Shipped as ``_flavour.py`` in a package generated with ``--style msgspec``; see the
dataclasses flavour's ``_flavour.py`` for the contract. It also gives the dispatcher the
optional ``load_frame``, ``dump_frame``, ``checked_frame``, ``call_reader`` and
``result_writer``: frames read and written by msgspec, a payload handed to its class as JSON
text, an outgoing message encoded once for its validation and its frame, and a CALL of a
routed action read whole with its request class and answered by a writer of its response
class.
"""

from __future__ import annotations

from ._msgspec import OcppStruct as Model
from ._msgspec import (
    call_head,
    call_reader,
    checked_frame,
    dump_frame,
    extra_of,
    json_names,
    load_frame,
    payload_reader,
    result_writer,
)
from ._runtime import Dialect

__all__ = [
    "FLAVOUR",
    "Model",
    "call_head",
    "call_reader",
    "checked_frame",
    "dialect_of",
    "dump_frame",
    "extra_of",
    "json_names",
    "load_frame",
    "payload_reader",
    "result_writer",
]

FLAVOUR = "msgspec"
"""The name of the flavour (``ocppgen generate --style``)."""


def dialect_of(cls: type[Model]) -> Dialect:
    """The error-code spelling of the OCPP version ``cls`` belongs to."""
    return cls.ocpp_dialect
