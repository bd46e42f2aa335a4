"""OCPP 1.6 configuration keys: typed keys, the catalogue, request helpers, a station store.

A generated ``v16.configuration`` module has one :class:`Key` per standard key as a module
attribute named as the key (``configuration.HeartbeatInterval``) and ``CONFIGURATION``, the
lookup by name. Keys compare case-insensitively (CiString in 1.6). Requests are built with
the version's ``from_dict`` and read with ``to_dict``, so every flavour works alike.

The store (:class:`BaseConfigurationStore`, typed in the generated ``ConfigurationStore``)
answers GetConfiguration (every key when none is asked; unknown ones in ``unknownKey``; a
write-only key without its value) and ChangeConfiguration: ``NotSupported`` for an unknown
key, ``Rejected`` for a read-only key, a value its type refuses or a CSL longer than its
``...MaxLength`` key allows, ``RebootRequired`` for a key added with ``reboot_required`` (in
effect at :meth:`BaseConfigurationStore.reboot`), else ``Accepted``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

from ._codecs import STRING, Codec
from ._device_model import NotWritable
from ._flavour import Model
from ._runtime import ErrorKind, ValidationError

T = TypeVar("T")
M = TypeVar("M", bound=Model)


class Accessibility(str, Enum):
    """How the Central System may use a key."""

    R = "R"
    RW = "RW"
    W = "W"
    """Write-only: its value is never read back (AuthorizationKey)."""
    R_or_RW = "R|RW"
    """Read-only or read-write, as the charge point chooses (AuthorizeRemoteTxRequests)."""


class Key(Generic[T]):
    """One configuration key, with what the specification says of it and its value codec.
    Two keys are equal when their names are (case-insensitively)."""

    def __init__(
        self,
        name: str,
        codec: Codec[T],
        *,
        profile: str = "",
        required: bool = False,
        accessibility: Accessibility = Accessibility.RW,
        unit: str | None = None,
        max_length_key: str | None = None,
        description: str = "",
        standard: bool = True,
    ) -> None:
        self.name = name
        self.codec = codec
        self.profile = profile
        self.required = required
        self.accessibility = Accessibility(accessibility)
        self.unit = unit
        self.max_length_key = max_length_key
        """The integer key that bounds the items of this CSL."""
        self.description = description
        self.__doc__ = description
        self.standard = standard
        """False for a key the catalogue does not have (a vendor's, read from a response)."""

    @property
    def type(self) -> str:
        """``boolean``, ``integer``, ``string`` or ``CSL``."""
        return self.codec.type_name

    @property
    def read_only(self) -> bool | None:
        """True for R, False for RW and W, None where the charge point chooses (R|RW)."""
        return {Accessibility.R: True, Accessibility.R_or_RW: None}.get(self.accessibility, False)

    def parse(self, text: str) -> T:
        """The typed value of a configuration value; ValidationError (path: the key)."""
        return self.codec.parse(text, self.name)

    def format(self, value: T) -> str:
        """The configuration value of a typed value; ValidationError (path: the key)."""
        return self.codec.format(value, self.name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Key) and other.name.casefold() == self.name.casefold()

    def __hash__(self) -> int:
        return hash(self.name.casefold())

    def __repr__(self) -> str:
        return f"<Key {self.name} {self.type}>"

    def __str__(self) -> str:
        return self.name


class Configuration:
    """The keys of a version by name (any case)."""

    def __init__(self, keys: Iterable[Key[Any]]) -> None:
        self._keys = {key.name.casefold(): key for key in keys}

    @property
    def keys(self) -> tuple[Key[Any], ...]:
        return tuple(self._keys.values())

    def find(self, name: str) -> Key[Any] | None:
        """The key of that name (any case), or None."""
        return self._keys.get(name.casefold())

    def max_length_of(self, key: Key[Any]) -> Key[Any] | None:
        """The ``...MaxLength`` key that bounds a CSL key, or None."""
        return None if key.max_length_key is None else self.find(key.max_length_key)

    def extended(self, keys: Iterable[Key[Any]]) -> Configuration:
        """The catalogue with more keys (a vendor's)."""
        return Configuration([*self._keys.values(), *keys])

    def raw(self, name: str) -> Key[str]:
        """A key the catalogue does not have, kept as text (``standard`` False)."""
        return Key(name, STRING, standard=False)

    def __iter__(self) -> Iterator[Key[Any]]:
        return iter(self._keys.values())

    def __len__(self) -> int:
        return len(self._keys)


def get_configuration_request(cls: type[M], keys: Iterable[Key[Any] | str] = ()) -> M:
    """A GetConfigurationRequest (``cls``) for ``keys`` (every key when none are given)."""
    names = [key if isinstance(key, str) else key.name for key in keys]
    return cls.from_dict({"key": names} if names else {})


def change_configuration_request(cls: type[M], key: Key[T], value: T) -> M:
    """A ChangeConfigurationRequest (``cls``) setting ``key`` to a typed ``value``;
    NotWritable for a read-only (R) key, ValidationError for a value its type refuses."""
    if key.accessibility is Accessibility.R:
        raise NotWritable(f"{key.name} is read-only: a charge point rejects changing it")
    return cls.from_dict({"key": key.name, "value": key.format(value)})


@dataclass(frozen=True)
class KeyResult(Generic[T]):
    """One KeyValue of a GetConfigurationResponse."""

    key: Key[T]
    readonly: bool
    text: str | None
    """The value as sent (None: not set, or write-only)."""

    @property
    def value(self) -> T | None:
        """The typed value; ValidationError when the text is not one of the key's type."""
        return None if self.text is None else self.key.parse(self.text)


class ConfigurationResults(Mapping[Key[Any], KeyResult[Any]]):
    """A GetConfigurationResponse by key; ``unknown``: the keys the charge point does not know."""

    def __init__(self, results: Iterable[KeyResult[Any]], unknown: Iterable[str]) -> None:
        self._results = {result.key: result for result in results}
        self.unknown = tuple(unknown)

    def __getitem__(self, key: Key[T]) -> KeyResult[T]:
        result: KeyResult[T] = self._results[key]
        return result

    def __iter__(self) -> Iterator[Key[Any]]:
        return iter(self._results)

    def __len__(self) -> int:
        return len(self._results)

    def value(self, key: Key[T]) -> T | None:
        """The typed value of ``key`` (KeyError when the response does not list it)."""
        return self[key].value


def read_configuration(
    response: Model, catalogue: Configuration, asked: Iterable[Key[Any]] = ()
) -> ConfigurationResults:
    """The response's keys, typed: one of ``asked``, else the catalogue's, else a raw key
    (``standard`` False, text) for a vendor's."""
    known = {key.name.casefold(): key for key in asked}
    data: Any = response.to_dict()
    results = []
    for entry in data.get("configurationKey") or ():
        name = entry["key"]
        key = known.get(name.casefold()) or catalogue.find(name) or catalogue.raw(name)
        results.append(KeyResult(key, entry["readonly"], entry.get("value")))
    return ConfigurationResults(results, data.get("unknownKey") or ())


@dataclass(frozen=True)
class Change:
    """A change the Central System made with ChangeConfiguration (``pending`` until a
    reboot when the key needs one)."""

    key: Key[Any]
    previous: Any
    value: Any
    pending: bool = False


@dataclass
class _Stored:
    key: Key[Any]
    value: Any
    read_only: bool
    reboot_required: bool
    pending: Any = None
    has_pending: bool = False


class BaseConfigurationStore:
    """The version-independent engine of ``configuration.ConfigurationStore``."""

    def __init__(
        self, catalogue: Configuration, on_change: Callable[[Change], object] | None = None
    ) -> None:
        self.catalogue = catalogue
        self.on_change = on_change
        self._stored: dict[str, _Stored] = {}

    def add(
        self,
        key: Key[T],
        value: T | None,
        *,
        read_only: bool | None = None,
        reboot_required: bool = False,
    ) -> None:
        """Store a key with its typed ``value`` (None: known but not set). ``read_only``
        defaults to the key's accessibility; for R|RW keys it must be given."""
        chosen = key.read_only if read_only is None else read_only
        if chosen is None:
            raise ValueError(f"{key.name} is R or RW as the charge point chooses: pass read_only=")
        if key.accessibility is Accessibility.R and not chosen:
            raise ValueError(f"{key.name} is read-only (R) in the specification")
        stored = _Stored(key, value, chosen, reboot_required)
        self._stored[key.name.casefold()] = stored
        if value is not None:
            self._check(key, value)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, Key) and key.name.casefold() in self._stored

    def __iter__(self) -> Iterator[Key[Any]]:
        return iter([stored.key for stored in self._stored.values()])

    def __len__(self) -> int:
        return len(self._stored)

    def get(self, key: Key[T]) -> T | None:
        """The typed value in effect (KeyError when not stored)."""
        value: T | None = self._stored[key.name.casefold()].value
        return value

    def pending(self, key: Key[T]) -> T | None:
        """The value waiting for a reboot, or None."""
        stored = self._stored[key.name.casefold()]
        value: T | None = stored.pending if stored.has_pending else None
        return value

    def set(self, key: Key[T], value: T) -> None:
        """A change made by the charge point itself (no read-only check, no ``on_change``)."""
        stored = self._stored[key.name.casefold()]
        self._check(key, value)
        stored.value = value

    def reboot(self) -> list[Change]:
        """Put the values waiting for a reboot into effect; the changes made."""
        changes = []
        for stored in self._stored.values():
            if stored.has_pending:
                changes.append(Change(stored.key, stored.value, stored.pending))
                stored.value, stored.pending, stored.has_pending = stored.pending, None, False
        return changes

    def _check(self, key: Key[Any], value: Any) -> str:
        """The text of ``value``; ValidationError for a CSL with more items than its
        ``...MaxLength`` key (when stored) allows."""
        text = key.format(value)
        bound = self.catalogue.max_length_of(key)
        limit = self._stored.get(bound.name.casefold()) if bound is not None else None
        if limit is not None and isinstance(limit.value, int) and len(value) > limit.value:
            raise ValidationError(
                f"{len(value)} items, {limit.key.name} allows {limit.value}",
                key.name,
                ErrorKind.PROPERTY,
            )
        return text

    def _get_configuration(self, request: Model, response: type[M]) -> M:
        """The GetConfigurationResponse (class ``response``) to a GetConfigurationRequest."""
        data: Any = request.to_dict()
        asked = data.get("key") or [stored.key.name for stored in self._stored.values()]
        known, unknown = [], []
        first: dict[str, str] = {}  # each key once, as first asked (names in any case)
        for name in asked:
            first.setdefault(name.casefold(), name)
        for folded, name in first.items():
            stored = self._stored.get(folded)
            if stored is None:
                unknown.append(name)
                continue
            entry: dict[str, Any] = {"key": stored.key.name, "readonly": stored.read_only}
            if stored.value is not None and stored.key.accessibility is not Accessibility.W:
                entry["value"] = stored.key.format(stored.value)
            known.append(entry)
        answer: dict[str, Any] = {}
        if known:
            answer["configurationKey"] = known
        if unknown:
            answer["unknownKey"] = unknown
        return response.from_dict(answer)

    def _change_configuration(self, request: Model, response: type[M]) -> M:
        """The ChangeConfigurationResponse (class ``response``) to a ChangeConfigurationRequest."""
        data: Any = request.to_dict()
        stored = self._stored.get(str(data["key"]).casefold())
        return response.from_dict({"status": self._change(stored, data["value"])})

    def _change(self, stored: _Stored | None, text: str) -> str:
        if stored is None:
            return "NotSupported"
        if stored.read_only:
            return "Rejected"
        try:
            value = stored.key.parse(text)
            self._check(stored.key, value)
        except ValidationError:
            return "Rejected"
        previous = stored.value
        if stored.reboot_required:
            stored.pending, stored.has_pending = value, True
        else:
            stored.value = value
        if self.on_change is not None:
            self.on_change(Change(stored.key, previous, value, stored.reboot_required))
        return "RebootRequired" if stored.reboot_required else "Accepted"
