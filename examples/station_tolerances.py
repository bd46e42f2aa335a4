"""Which tolerances the example CSMS grants which station: ``csms.py --tolerances FILE``.

The file is TOML::

    default = "strict"                 # every station (optional; a profile or a list)

    [stations]                         # station id (or glob pattern) -> profile or list
    "CS-OPENEVSE-*" = ["number-for-string"]
    "CS-001" = "field"

    [[boot]]                           # after a BootNotification: vendor / model patterns
    vendor = "Schneider*"              # glob, case-insensitive ("*" when left out)
    model = "EVlink*"
    tolerate = ["string-truncated", "date-time-without-offset"]

Names are the bindings' profiles (``strict``, ``field``, ``all``) and tolerance names
(``enum-case``...). A station gets the union of ``default``, its ``[stations]`` entries and,
once its BootNotification named vendor and model, every matching ``[[boot]]`` rule; the
BootNotification itself is read under the first two. An unknown name or key is an error that
names the file and the key: nothing is loosened silently.
"""

from __future__ import annotations

import fnmatch
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ocpp_bindings import Tolerance, tolerances_named

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


class TolerancesFileError(ValueError):
    """The tolerances file cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class BootRule:
    """Tolerances for the stations whose BootNotification matches ``vendor`` and ``model``."""

    vendor: str
    model: str
    tolerate: frozenset[Tolerance]

    def matches(self, vendor: str, model: str) -> bool:
        return fnmatch.fnmatchcase(vendor.casefold(), self.vendor.casefold()) and (
            fnmatch.fnmatchcase(model.casefold(), self.model.casefold())
        )


@dataclass(frozen=True)
class StationTolerances:
    """The tolerances file, read and checked."""

    default: frozenset[Tolerance] = frozenset()
    stations: dict[str, frozenset[Tolerance]] = field(default_factory=dict)
    boot: tuple[BootRule, ...] = ()

    def for_station(self, station: str) -> frozenset[Tolerance]:
        """What ``station`` gets on connecting (``default`` and its ``[stations]`` entries)."""
        chosen = set(self.default)
        for pattern, tolerances in self.stations.items():
            if fnmatch.fnmatchcase(station, pattern):
                chosen |= tolerances
        return frozenset(chosen)

    def for_boot(self, station: str, vendor: str, model: str) -> frozenset[Tolerance]:
        """What ``station`` gets once its BootNotification named ``vendor`` and ``model``."""
        chosen = set(self.for_station(station))
        for rule in self.boot:
            if rule.matches(vendor, model):
                chosen |= rule.tolerate
        return frozenset(chosen)


def _names(value: object, where: str) -> frozenset[Tolerance]:
    """A profile name or a list of profile and tolerance names; ValueError naming ``where``."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise TolerancesFileError(f"{where}: expected a profile name or a list of names")
    try:
        return tolerances_named(names)
    except ValueError as exc:
        raise TolerancesFileError(f"{where}: {exc}") from None


def _boot_rule(entry: object, where: str) -> BootRule:
    if not isinstance(entry, dict):
        raise TolerancesFileError(f"{where}: expected a table (vendor, model, tolerate)")
    unknown = sorted(set(entry) - {"vendor", "model", "tolerate"})
    if unknown:
        raise TolerancesFileError(f"{where}.{unknown[0]}: unknown key")
    if "tolerate" not in entry:
        raise TolerancesFileError(f"{where}: needs tolerate")
    patterns = {key: entry.get(key, "*") for key in ("vendor", "model")}
    for key, pattern in patterns.items():
        if not isinstance(pattern, str):
            raise TolerancesFileError(f"{where}.{key}: expected a string pattern")
    tolerate = _names(entry["tolerate"], f"{where}.tolerate")
    return BootRule(patterns["vendor"], patterns["model"], tolerate)


def load(path: Path) -> StationTolerances:
    """Read and check a tolerances file; TolerancesFileError (one line: file, key, what)."""
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise TolerancesFileError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise TolerancesFileError(f"{path}: not TOML: {exc}") from None
    try:
        unknown = sorted(set(data) - {"default", "stations", "boot"})
        if unknown:
            raise TolerancesFileError(f"{unknown[0]}: unknown key (default, stations, boot)")
        default = _names(data["default"], "default") if "default" in data else frozenset()
        stations = data.get("stations", {})
        if not isinstance(stations, dict):
            raise TolerancesFileError("stations: expected a table of station ids")
        boot = data.get("boot", [])
        if not isinstance(boot, list):
            raise TolerancesFileError("boot: expected an array of tables ([[boot]])")
        return StationTolerances(
            default,
            {key: _names(value, f"stations.{key}") for key, value in stations.items()},
            tuple(_boot_rule(entry, f"boot[{index}]") for index, entry in enumerate(boot)),
        )
    except TolerancesFileError as exc:
        raise TolerancesFileError(f"{path}: {exc}") from None


def describe(tolerances: frozenset[Tolerance]) -> str:
    """``strict``, or the tolerance names in order."""
    return ", ".join(sorted(t.value for t in tolerances)) or "strict"
