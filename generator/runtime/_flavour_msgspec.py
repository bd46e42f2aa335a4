"""The msgspec flavour: what the shared runtime modules need to know of the models.

Shipped as ``_flavour.py`` in a package generated with ``--style msgspec``; see the
dataclasses flavour's ``_flavour.py`` for the contract. It also gives the dispatcher the
optional ``load_frame``, ``dump_frame`` and ``checked_frame``: frames read and written by
msgspec, a CALL of a routed action read whole with its request class (``load_frame(text,
calls)``: ``calls`` is the dispatcher's request classes by action) and any other payload handed
to its class as JSON text, and an outgoing message encoded once for its validation and its
frame.
"""

from __future__ import annotations

from ._msgspec import OcppStruct as Model
from ._msgspec import checked_frame, dump_frame, extra_of, json_names, load_frame
from ._runtime import Dialect

__all__ = [
    "FLAVOUR",
    "Model",
    "checked_frame",
    "dialect_of",
    "dump_frame",
    "extra_of",
    "json_names",
    "load_frame",
]

FLAVOUR = "msgspec"
"""The name of the flavour (``ocppgen generate --style``)."""


def dialect_of(cls: type[Model]) -> Dialect:
    """The error-code spelling of the OCPP version ``cls`` belongs to."""
    return cls.ocpp_dialect
