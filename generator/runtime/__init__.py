"""The runtime modules shipped in every generated package, written as ordinary Python.

They are linted and type-checked here, importable by unit tests (``generator.runtime._runtime``)
and copied into a generated package with its header (see
:meth:`generator.render.renderer.Renderer.add_runtime`). Inside a package they import each other
relatively and derive the package name from ``__name__``, so the copies need no templating.
``_flavour.py`` is the dataclasses flavour's; each other flavour ships its own as
``_flavour.py`` (``_flavour_pydantic.py`` and ``_flavour_msgspec.py`` here).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

FOLDER = Path(__file__).resolve().parent

SHARED = (
    "_runtime.py",
    "_tolerance.py",
    "_registry.py",
    "_dispatch.py",
    "_vendor.py",
    "_inflight.py",
    "_message_store.py",
    "_queue.py",
    "_codecs.py",
    "_device_model.py",
    "_device_messages.py",
    "_device_store.py",
    "_configuration.py",
)
"""The modules every flavour ships, by name in the package and here."""


def runtime_source(module: str) -> tuple[str, str]:
    """The path of a runtime module relative to the project (for the header) and its text."""
    path = FOLDER / module
    return f"generator/runtime/{module}", path.read_text(encoding="utf-8")


def runtime_identity(version: str, style: str, modules: Iterable[str]) -> str:
    """The identity of a generated package's runtime: the generator version, the flavour and a
    digest of the runtime modules it ships. Generated extensions check it at import."""
    digest = hashlib.sha256()
    for module in sorted(modules):
        digest.update(module.encode() + b"\0" + runtime_source(module)[1].encode() + b"\0")
    return f"{version}+{style}.{digest.hexdigest()[:12]}"
