"""The shapes of the generated feature registries: features and profiles of a version."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

from ._flavour import Model

R = TypeVar("R", bound=Enum)


def ocpp_name(value: object) -> str:
    """The OCPP name of a role or an action (``CSMS``, ``Reset``) for messages: the enum's
    value, never its Python form (``Role.CSMS``, which ``str``, ``%s`` and, from Python
    3.11, f-strings give)."""
    return str(value.value) if isinstance(value, Enum) else str(value)


@dataclass(frozen=True)
class Feature(Generic[R]):
    """One action: its message classes, profile, and the roles that may start it."""

    action: str
    request: type[Model]
    response: type[Model] | None
    """``None`` for a SEND message, which has no response."""
    profile: str
    initiated_by: frozenset[R]
    kind: str
    """``CALL``, or ``SEND`` for a message that gets no response (OCPP 2.1)."""
    handler: str
    """The handler method that receives it: ``on_<snake_case action>``."""

    def received_by(self, role: R) -> bool:
        """Does ``role`` receive this action (because the other side may start it)?"""
        return any(initiator != role for initiator in self.initiated_by)


@dataclass(frozen=True)
class Profile(Generic[R]):
    """A 1.6 feature profile or a 2.x functional block, with its features."""

    name: str
    letter: str | None
    description: str
    features: tuple[Feature[R], ...]
