"""A station-side device model (2.x): typed values in memory that answer GetVariables,
SetVariables, GetBaseReport and GetReport as OCPP specifies.

Seed it with :meth:`BaseDeviceModelStore.add` (the catalogue's variables, or a vendor's); the
generated ``device_model.DeviceModelStore`` adds the version's typed ``get_variables``,
``set_variables``, ``get_base_report`` and ``get_report``. Statuses, per variable:

- ``UnknownComponent``: no variable is stored for that component (name, instance, EVSE,
  connector); ``UnknownVariable``: the component is known, the variable (with its instance) not;
- ``NotSupportedAttributeType``: the variable has no value of that attribute type;
- GetVariables: ``Rejected`` for a WriteOnly variable, else ``Accepted`` with the value;
- SetVariables: ``Rejected`` for a ReadOnly variable (reason ``ReadOnly``) or a value the data
  type, values list or limits refuse (reason ``InvalidValue``); ``RebootRequired`` for a
  variable added with ``reboot_required`` (the value takes effect at :meth:`reboot`); else
  ``Accepted``. Each change (and each pending one) is passed to ``on_change``.

A report (GetBaseReport, GetReport) is ``NotSupported`` for a report base not in
``report_bases``, ``EmptyResultSet`` when nothing matches, else ``Accepted`` together with the
NotifyReportRequest parts to send, at most ``max_items`` reportData entries (and, if given,
``max_bytes`` of JSON) each, ``seqNo`` from 0 and ``tbc`` on all but the last.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, TypeVar

from ._device_messages import scope_of
from ._device_model import Attribute, DeviceModel, Mutability, Scope, Variable
from ._flavour import Model
from ._runtime import ErrorKind, ValidationError, format_datetime

T = TypeVar("T")
M = TypeVar("M", bound=Model)
N = TypeVar("N", bound=Model)

INFO_LENGTH = 512
"""StatusInfoType additionalInfo maxLength."""
VALUES_LIST_LENGTH = 1000
"""VariableCharacteristicsType valuesList maxLength (2.0.1 and 2.1)."""
SUMMARY_VARIABLES = ("AvailabilityState", "Available", "Problem")
"""What a SummaryInventory reports: every stored variable of these names (availability and
problems of each component)."""
REPORT_BASES = ("ConfigurationInventory", "FullInventory", "SummaryInventory")


@dataclass(frozen=True)
class Change:
    """A change the CSMS made with SetVariables (``pending`` until a reboot when the variable
    needs one)."""

    variable: Variable[Any]
    attribute: Attribute
    previous: Any
    value: Any
    pending: bool = False


@dataclass
class _Stored:
    """One stored variable: typed values per attribute and what the station reports of it."""

    variable: Variable[Any]
    values: dict[Attribute, Any]
    mutability: Mutability
    unit: str | None = None
    persistent: bool | None = None
    constant: bool | None = None
    reboot_required: bool = False
    supports_monitoring: bool = False
    min_limit: float | None = None
    max_limit: float | None = None
    max_elements: int | None = None
    pending: dict[Attribute, Any] = field(default_factory=dict)

    def check(self, value: Any) -> str:
        """The text of ``value``; ValidationError for a value outside the limits."""
        variable = self.variable
        text = variable.format(value)
        number = value if isinstance(value, (int, float, Decimal)) else None
        if isinstance(value, bool) or number is None:
            if self.max_limit is not None and len(text) > self.max_limit:
                raise ValidationError(
                    f"longer than {self.max_limit:g} characters", variable.path, ErrorKind.PROPERTY
                )
            return text
        if self.min_limit is not None and number < Decimal(repr(self.min_limit)):
            raise ValidationError(
                f"less than the minimum {self.min_limit:g}", variable.path, ErrorKind.PROPERTY
            )
        if self.max_limit is not None and number > Decimal(repr(self.max_limit)):
            raise ValidationError(
                f"greater than the maximum {self.max_limit:g}", variable.path, ErrorKind.PROPERTY
            )
        return text

    def report_data(self) -> dict[str, Any]:
        """The reportData entry of this variable."""
        attributes = []
        for attribute in Attribute:
            if attribute not in self.values:
                continue
            entry: dict[str, Any] = {"type": attribute.value, "mutability": self.mutability.value}
            if self.mutability is not Mutability.WriteOnly:
                entry["value"] = self.variable.format(self.values[attribute])
            for name, flag in (("persistent", self.persistent), ("constant", self.constant)):
                if flag is not None:
                    entry[name] = flag
            attributes.append(entry)
        characteristics: dict[str, Any] = {
            "dataType": self.variable.data_type,
            "supportsMonitoring": self.supports_monitoring,
        }
        optional = {
            "unit": self.unit,
            "minLimit": self.min_limit,
            "maxLimit": self.max_limit,
            "maxElements": self.max_elements,
            "valuesList": ",".join(self.variable.values_list) or None,
        }
        characteristics.update((k, v) for k, v in optional.items() if v is not None)
        return {
            "component": self.variable.scope.reference(),
            "variable": self.variable.reference(),
            "variableAttribute": attributes,
            "variableCharacteristics": characteristics,
        }


class BaseDeviceModelStore:
    """The version-independent engine of ``device_model.DeviceModelStore``."""

    def __init__(
        self,
        catalogue: DeviceModel,
        on_change: Callable[[Change], object] | None = None,
        *,
        report_bases: Iterable[str] = REPORT_BASES,
        summary_variables: Iterable[str] = SUMMARY_VARIABLES,
    ) -> None:
        self.catalogue = catalogue
        self.on_change = on_change
        self.report_bases = frozenset(report_bases)
        self.summary_variables = frozenset(name.casefold() for name in summary_variables)
        self._stored: dict[tuple[object, ...], _Stored] = {}
        self._components: set[tuple[object, ...]] = set()

    def add(
        self,
        variable: Variable[T],
        value: T | None,
        *,
        attributes: Mapping[Attribute, T] | None = None,
        mutability: Mutability | None = None,
        unit: str | None = None,
        persistent: bool | None = None,
        constant: bool | None = None,
        reboot_required: bool = False,
        supports_monitoring: bool = False,
        min_limit: float | None = None,
        max_limit: float | None = None,
        values_list: Iterable[str] | None = None,
        max_elements: int | None = None,
    ) -> None:
        """Store a variable with its Actual ``value`` (None: no Actual attribute) and other
        ``attributes`` (Target, MinSet, MaxSet). ``mutability`` and ``unit`` default to the
        catalogue's; where the standard does not fix the mutability, or lists units to choose
        from (``W, kW``), they must be given. ``values_list`` is the station's for a list type.
        ValidationError for a value the variable refuses."""
        if variable.component is None:
            raise ValueError(f"{variable.path} is on no component: take it from one")
        chosen = mutability or variable.mutability
        if chosen is None:
            raise ValueError(
                f"the standard does not fix the mutability of {variable.path}: pass mutability="
            )
        chosen_unit = unit or variable.unit
        if unit is None and chosen_unit is not None and "," in chosen_unit:
            raise ValueError(f"{variable.path} is in one of {chosen_unit}: pass unit=")
        if values_list is not None:
            variable = variable.with_values(values_list)
        if len(",".join(variable.values_list)) > VALUES_LIST_LENGTH:
            raise ValueError(
                f"the values list of {variable.path} is longer than a report may carry "
                f"({VALUES_LIST_LENGTH} characters): pass the station's own as values_list="
            )
        values: dict[Attribute, Any] = {} if value is None else {Attribute.Actual: value}
        values.update(attributes or {})
        if not values:
            raise ValueError(f"{variable.path}: give a value of at least one attribute")
        stored = _Stored(
            variable,
            values,
            Mutability(chosen),
            chosen_unit,
            persistent,
            constant,
            reboot_required,
            supports_monitoring,
            min_limit,
            max_limit,
            max_elements,
        )
        for typed in values.values():
            stored.check(typed)
        self._stored[variable.key()] = stored
        self._components.add(variable.scope.folded())

    def __contains__(self, variable: object) -> bool:
        return isinstance(variable, Variable) and variable.key() in self._stored

    def __iter__(self) -> Iterator[Variable[Any]]:
        """The stored variables, in the order they were added."""
        return iter([stored.variable for stored in self._stored.values()])

    def __len__(self) -> int:
        return len(self._stored)

    def get(self, variable: Variable[T], attribute: Attribute = Attribute.Actual) -> T:
        """The typed value in effect (KeyError when not stored)."""
        value: T = self._stored[variable.key()].values[attribute]
        return value

    def pending(self, variable: Variable[T], attribute: Attribute = Attribute.Actual) -> T | None:
        """The value waiting for a reboot, or None."""
        value: T | None = self._stored[variable.key()].pending.get(attribute)
        return value

    def set(self, variable: Variable[T], value: T, attribute: Attribute = Attribute.Actual) -> None:
        """A change made by the station itself (no mutability check, no ``on_change``)."""
        stored = self._stored[variable.key()]
        stored.check(value)
        stored.values[attribute] = value

    def reboot(self) -> list[Change]:
        """Put the values waiting for a reboot into effect; the changes made."""
        changes = []
        for stored in self._stored.values():
            for attribute, value in stored.pending.items():
                previous = stored.values.get(attribute)
                stored.values[attribute] = value
                changes.append(Change(stored.variable, attribute, previous, value))
            stored.pending.clear()
        return changes

    def _lookup(
        self, component: Mapping[str, Any], variable: Mapping[str, Any]
    ) -> tuple[str | None, _Stored | None]:
        """The stored variable a request names, or the Unknown... status."""
        scope = scope_of(component)
        key = (*scope.folded(), str(variable["name"]).casefold(), _fold(variable.get("instance")))
        stored = self._stored.get(key)
        if stored is not None:
            return None, stored
        known = scope.folded() in self._components
        return ("UnknownVariable" if known else "UnknownComponent"), None

    def _get_variables(self, request: Model, response: type[M]) -> M:
        """The GetVariablesResponse (class ``response``) to a GetVariablesRequest."""
        data: Any = request.to_dict()
        results = self._results(data["getVariableData"], self._read)
        return response.from_dict({"getVariableResult": results})

    def _set_variables(self, request: Model, response: type[M]) -> M:
        """The SetVariablesResponse (class ``response``) to a SetVariablesRequest; changes
        are made, and passed to ``on_change``, in the request's order."""
        data: Any = request.to_dict()
        results = self._results(data["setVariableData"], self._write)
        return response.from_dict({"setVariableResult": results})

    def _results(
        self,
        items: list[dict[str, Any]],
        answer: Callable[[_Stored, Attribute, dict[str, Any]], tuple[str, dict[str, Any]]],
    ) -> list[dict[str, Any]]:
        """One result per requested variable: what it names (as named), the Unknown...
        status, or ``answer``'s status and fields for a stored variable."""
        results = []
        for item in items:
            attribute = Attribute(item.get("attributeType", "Actual"))
            status, stored = self._lookup(item["component"], item["variable"])
            result: dict[str, Any] = {"component": item["component"], "variable": item["variable"]}
            if "attributeType" in item:
                result["attributeType"] = attribute.value
            if stored is not None:
                status, fields = answer(stored, attribute, item)
                result.update(fields)
            result["attributeStatus"] = status
            results.append(result)
        return results

    @staticmethod
    def _read(
        stored: _Stored, attribute: Attribute, item: dict[str, Any]
    ) -> tuple[str, dict[str, Any]]:
        if attribute not in stored.values:
            return "NotSupportedAttributeType", {}
        if stored.mutability is Mutability.WriteOnly:
            return "Rejected", {}
        return "Accepted", {"attributeValue": stored.variable.format(stored.values[attribute])}

    def _write(
        self, stored: _Stored, attribute: Attribute, item: dict[str, Any]
    ) -> tuple[str, dict[str, Any]]:
        if attribute not in stored.values:
            return "NotSupportedAttributeType", {}
        if stored.mutability is Mutability.ReadOnly:
            return "Rejected", {"attributeStatusInfo": {"reasonCode": "ReadOnly"}}
        try:
            value = stored.variable.parse(item["attributeValue"])
            stored.check(value)
        except ValidationError as exc:
            info = {"reasonCode": "InvalidValue", "additionalInfo": str(exc)[:INFO_LENGTH]}
            return "Rejected", {"attributeStatusInfo": info}
        previous = stored.values.get(attribute)
        if stored.reboot_required:
            stored.pending[attribute] = value
        else:
            stored.values[attribute] = value
        if self.on_change is not None:
            pending = stored.reboot_required
            self.on_change(Change(stored.variable, attribute, previous, value, pending))
        return ("RebootRequired" if stored.reboot_required else "Accepted"), {}

    def _get_base_report(
        self,
        request: Model,
        response: type[M],
        notify: type[N],
        max_items: int,
        max_bytes: int | None,
        generated_at: datetime | None,
    ) -> tuple[M, list[N]]:
        """The GetBaseReportResponse and the NotifyReportRequest parts to send after it."""
        data: Any = request.to_dict()
        base = data["reportBase"]
        if base not in self.report_bases:
            return response.from_dict({"status": "NotSupported"}), []
        chosen = [stored for stored in self._stored.values() if self._in_base(stored, base)]
        limits = (max_items, max_bytes, generated_at)
        return self._report(data["requestId"], chosen, response, notify, *limits)

    def _in_base(self, stored: _Stored, base: str) -> bool:
        if base == "FullInventory":
            return True
        if base == "ConfigurationInventory":
            return stored.mutability is not Mutability.ReadOnly
        return stored.variable.name.casefold() in self.summary_variables

    def _get_report(
        self,
        request: Model,
        response: type[M],
        notify: type[N],
        max_items: int,
        max_bytes: int | None,
        generated_at: datetime | None,
    ) -> tuple[M, list[N]]:
        """The GetReportResponse and its NotifyReportRequest parts. A componentVariable entry
        matches the stored variables whose names it gives (an absent instance, EVSE or
        connector matches any); a criterion (Active, Available, Enabled, Problem) matches the
        components whose boolean variable of that name is true. Both must match when both
        are given."""
        data: Any = request.to_dict()
        wanted = data.get("componentVariable") or []
        criteria = [name.casefold() for name in data.get("componentCriteria") or []]
        chosen = [
            stored
            for stored in self._stored.values()
            if (not wanted or any(_matches(stored.variable, entry) for entry in wanted))
            and (not criteria or self._meets(stored.variable.scope, criteria))
        ]
        limits = (max_items, max_bytes, generated_at)
        return self._report(data["requestId"], chosen, response, notify, *limits)

    def _meets(self, scope: Scope, criteria: list[str]) -> bool:
        folded = scope.folded()
        return any(
            stored.variable.scope.folded() == folded
            and stored.variable.name.casefold() in criteria
            and stored.variable.instance is None
            and stored.values.get(Attribute.Actual) is True
            for stored in self._stored.values()
        )

    def _report(
        self,
        request_id: int,
        chosen: list[_Stored],
        response: type[M],
        notify: type[N],
        max_items: int,
        max_bytes: int | None,
        generated_at: datetime | None,
    ) -> tuple[M, list[N]]:
        if max_items < 1:
            raise ValueError("max_items must be at least 1")
        if not chosen:
            return response.from_dict({"status": "EmptyResultSet"}), []
        at = format_datetime(generated_at or datetime.now(timezone.utc).replace(microsecond=0))
        head = {"requestId": request_id, "generatedAt": at, "seqNo": 0, "tbc": False}
        chunks = _chunks([stored.report_data() for stored in chosen], max_items, max_bytes, head)
        last = len(chunks) - 1
        parts = [
            notify.from_dict({**head, "seqNo": index, "tbc": index < last, "reportData": chunk})
            for index, chunk in enumerate(chunks)
        ]
        return response.from_dict({"status": "Accepted"}), parts


def _fold(name: object) -> str | None:
    return None if name is None else str(name).casefold()


def _matches(variable: Variable[Any], entry: Mapping[str, Any]) -> bool:
    """Does a componentVariable entry name ``variable`` (absent parts match anything)?"""
    component, wanted = entry["component"], entry.get("variable")
    scope = scope_of(component)
    mine = variable.scope
    if _fold(scope.component) != _fold(mine.component):
        return False
    for given, have in ((scope.instance, mine.instance), (scope.evse, mine.evse)):
        if given is not None and _fold(given) != _fold(have):
            return False
    if scope.connector is not None and scope.connector != mine.connector:
        return False
    if wanted is None:
        return True
    if _fold(wanted["name"]) != _fold(variable.name):
        return False
    return "instance" not in wanted or _fold(wanted["instance"]) == _fold(variable.instance)


def _chunks(
    items: list[dict[str, Any]], max_items: int, max_bytes: int | None, head: dict[str, Any]
) -> list[list[dict[str, Any]]]:
    """``items`` in order, at most ``max_items`` (and about ``max_bytes`` of JSON) per part;
    an item larger than ``max_bytes`` alone makes a part of its own."""
    overhead = len(json.dumps({**head, "reportData": []}, separators=(",", ":")))
    chunks: list[list[dict[str, Any]]] = [[]]
    size = overhead
    for item in items:
        length = len(json.dumps(item, separators=(",", ":"), ensure_ascii=False)) + 1
        current = chunks[-1]
        full = len(current) >= max_items or (
            max_bytes is not None and current and size + length > max_bytes
        )
        if full:
            chunks.append([])
            size = overhead
        chunks[-1].append(item)
        size += length
    return chunks
