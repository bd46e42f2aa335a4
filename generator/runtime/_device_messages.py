"""Typed device-model requests and answers (2.x), for any flavour of the bindings.

``get_variables_request`` / ``set_variables_request`` / ``get_report_request`` build the
version's request from variables and typed values; ``read_get_variables``,
``read_set_variables`` and ``read_report`` read a ``GetVariablesResponse``,
``SetVariablesResponse`` or the ``NotifyReportRequest`` parts of a report back into typed
values keyed by variable. The messages are built with the version's ``from_dict`` and read
with ``to_dict``, so the dataclass and pydantic flavours work alike. A report's variables that
the catalogue does not have (a vendor's) are kept as raw ones (``standard`` False), never
dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from ._codecs import codec_for
from ._device_model import (
    Attribute,
    Component,
    DeviceModel,
    Mutability,
    NotWritable,
    Scope,
    Variable,
)
from ._flavour import Model

T = TypeVar("T")
M = TypeVar("M", bound=Model)
R = TypeVar("R")


def reference(variable: Variable[Any]) -> dict[str, Any]:
    """The ``component`` and ``variable`` JSON objects that name a variable."""
    return {"component": variable.scope.reference(), "variable": variable.reference()}


def get_variables_request(
    cls: type[M], variables: Iterable[Variable[Any]], attribute_type: Attribute | None = None
) -> M:
    """A GetVariablesRequest (``cls``) asking for ``variables`` (``attribute_type``: Actual
    when not given)."""
    data = []
    for variable in variables:
        entry = reference(variable)
        if attribute_type is not None:
            entry["attributeType"] = Attribute(attribute_type).value
        data.append(entry)
    return cls.from_dict({"getVariableData": data})


def set_variables_request(
    cls: type[M], values: Mapping[Variable[Any], Any], attribute_type: Attribute | None = None
) -> M:
    """A SetVariablesRequest (``cls``) writing typed ``values``. NotWritable for a ReadOnly
    variable and ValidationError for a value its codec refuses, before anything is built."""
    data = []
    for variable, value in values.items():
        if variable.mutability is Mutability.ReadOnly:
            raise NotWritable(f"{variable.path} is ReadOnly: a station rejects writing it")
        entry = {**reference(variable), "attributeValue": variable.format(value)}
        if attribute_type is not None:
            entry["attributeType"] = Attribute(attribute_type).value
        data.append(entry)
    return cls.from_dict({"setVariableData": data})


def get_base_report_request(cls: type[M], request_id: int, report_base: str | Enum) -> M:
    """A GetBaseReportRequest (``cls``): ``report_base`` is ConfigurationInventory,
    FullInventory or SummaryInventory."""
    base = report_base.value if isinstance(report_base, Enum) else report_base
    return cls.from_dict({"requestId": request_id, "reportBase": base})


def get_report_request(
    cls: type[M],
    request_id: int,
    variables: Iterable[Variable[Any]] = (),
    components: Iterable[Component | type[Component]] = (),
    criteria: Iterable[str | Enum] = (),
) -> M:
    """A GetReportRequest (``cls``) for some variables, whole components and/or components
    meeting ``criteria`` (Active, Available, Enabled, Problem)."""
    wanted = [reference(variable) for variable in variables]
    for component in components:
        scope = component.scope if isinstance(component, Component) else Scope(component.name)
        wanted.append({"component": scope.reference()})
    data: dict[str, Any] = {"requestId": request_id}
    if wanted:
        data["componentVariable"] = wanted
    chosen = [c.value if isinstance(c, Enum) else c for c in criteria]
    if chosen:
        data["componentCriteria"] = chosen
    return cls.from_dict(data)


def scope_of(component: Mapping[str, Any]) -> Scope:
    """The scope a ComponentType JSON object names."""
    evse = component.get("evse") or {}
    return Scope(
        component["name"], component.get("instance"), evse.get("id"), evse.get("connectorId")
    )


def resolve(
    catalogue: DeviceModel,
    component: Mapping[str, Any],
    variable: Mapping[str, Any],
    asked: Mapping[tuple[object, ...], Variable[Any]] | None = None,
) -> Variable[Any]:
    """The variable a component / variable JSON pair names: one of ``asked`` (by key), else the
    catalogue's, else a raw one (text, ``standard`` False)."""
    scope = scope_of(component)
    name, instance = variable["name"], variable.get("instance")
    raw = catalogue.raw(scope, name, instance)
    if asked and raw.key() in asked:
        return asked[raw.key()]
    found = catalogue.find(
        scope.component or "",
        name,
        instance,
        evse=scope.evse,
        connector=scope.connector,
        component_instance=scope.instance,
    )
    return raw if found is None else found


class _ByVariable(Mapping[Variable[Any], R]):
    """Results keyed by variable, with every result in order (``entries``). A variable with
    results for several attribute types maps to its Actual one (else its first); ``of`` picks
    another."""

    def __init__(self, entries: Iterable[tuple[Variable[Any], R]]) -> None:
        found: dict[Variable[Any], list[R]] = {}
        ordered = []
        for variable, entry in entries:
            found.setdefault(variable, []).append(entry)
            ordered.append(entry)
        self.entries: tuple[R, ...] = tuple(ordered)
        self._found = found

    def __getitem__(self, variable: Variable[Any]) -> R:
        results = self._found[variable]
        actual = [r for r in results if getattr(r, "attribute_type", None) is Attribute.Actual]
        return (actual or results)[0]

    def of(self, variable: Variable[Any], attribute: Attribute) -> R:
        """The result for one attribute type of ``variable`` (KeyError when there is none)."""
        for result in self._found[variable]:
            if getattr(result, "attribute_type", None) is attribute:
                return result
        raise KeyError((variable, attribute))

    def __iter__(self) -> Iterator[Variable[Any]]:
        return iter(self._found)

    def __len__(self) -> int:
        return len(self._found)


@dataclass(frozen=True)
class VariableResult(Generic[T]):
    """One GetVariableResult: its status and the value, typed by the variable's codec."""

    variable: Variable[T]
    status: str
    """A GetVariableStatusEnumType value (``Accepted``...)."""
    attribute_type: Attribute
    text: str | None
    """The attribute value as sent."""
    status_info: Mapping[str, Any] | None = None

    @property
    def accepted(self) -> bool:
        return self.status == "Accepted"

    @property
    def value(self) -> T | None:
        """The typed value (None when the station sent none); ValidationError when the text
        is not a value of the variable's data type."""
        return None if self.text is None else self.variable.parse(self.text)


class VariableResults(_ByVariable[VariableResult[Any]]):
    """The results of a GetVariablesResponse by variable; ``entries`` has all of them."""

    def __getitem__(self, variable: Variable[T]) -> VariableResult[T]:
        result: VariableResult[T] = super().__getitem__(variable)
        return result

    def value(self, variable: Variable[T]) -> T | None:
        """The typed value of ``variable`` (None when it was not Accepted or has none)."""
        result = self[variable]
        return result.value if result.accepted else None


def _asked(variables: Iterable[Variable[Any]]) -> dict[tuple[object, ...], Variable[Any]]:
    return {variable.key(): variable for variable in variables}


def read_get_variables(
    response: Model, catalogue: DeviceModel, asked: Iterable[Variable[Any]] = ()
) -> VariableResults:
    """The GetVariablesResponse's results keyed by variable. A result for one of ``asked`` is
    keyed (and typed) by it; others by the catalogue's variable, else a raw one."""
    return VariableResults(
        (variable, VariableResult(variable, status, attribute, entry.get("attributeValue"), info))
        for variable, status, attribute, info, entry in _results(
            response, "getVariableResult", catalogue, asked
        )
    )


def _results(
    response: Model, key: str, catalogue: DeviceModel, asked: Iterable[Variable[Any]]
) -> Iterator[tuple[Variable[Any], str, Attribute, Any, dict[str, Any]]]:
    """(variable, status, attribute type, status info, the entry) of each result under
    ``key``, the variable resolved as :func:`read_get_variables` says."""
    known = _asked(asked)
    data: Any = response.to_dict()
    for entry in data[key]:
        variable = resolve(catalogue, entry["component"], entry["variable"], known)
        attribute = Attribute(entry.get("attributeType", "Actual"))
        yield variable, entry["attributeStatus"], attribute, entry.get("attributeStatusInfo"), entry


@dataclass(frozen=True)
class SetResult(Generic[T]):
    """One SetVariableResult."""

    variable: Variable[T]
    status: str
    """A SetVariableStatusEnumType value (``Accepted``, ``RebootRequired``...)."""
    attribute_type: Attribute
    status_info: Mapping[str, Any] | None = None

    @property
    def accepted(self) -> bool:
        """Accepted, or accepted to take effect after a reboot."""
        return self.status in ("Accepted", "RebootRequired")


class SetResults(_ByVariable[SetResult[Any]]):
    """The results of a SetVariablesResponse by variable; ``entries`` has all of them."""

    def __getitem__(self, variable: Variable[T]) -> SetResult[T]:
        result: SetResult[T] = super().__getitem__(variable)
        return result


def read_set_variables(
    response: Model, catalogue: DeviceModel, asked: Iterable[Variable[Any]] = ()
) -> SetResults:
    """The SetVariablesResponse's results keyed by variable (as :func:`read_get_variables`)."""
    return SetResults(
        (variable, SetResult(variable, status, attribute, info))
        for variable, status, attribute, info, _ in _results(
            response, "setVariableResult", catalogue, asked
        )
    )


@dataclass(frozen=True)
class ReportedAttribute:
    """One VariableAttribute of a report."""

    type: Attribute
    text: str | None
    """The value as sent (None for a WriteOnly variable)."""
    mutability: Mutability | None = None
    persistent: bool | None = None
    constant: bool | None = None


@dataclass(frozen=True)
class Characteristics:
    """The VariableCharacteristics a station reports for a variable."""

    data_type: str
    supports_monitoring: bool
    unit: str | None = None
    min_limit: float | None = None
    max_limit: float | None = None
    values_list: tuple[str, ...] = ()
    max_elements: int | None = None
    """OCPP 2.1."""


@dataclass(frozen=True)
class ReportEntry(Generic[T]):
    """One variable of a report: its attributes (by type), characteristics and the raw
    reportData entry as received."""

    variable: Variable[T]
    attributes: Mapping[Attribute, ReportedAttribute]
    characteristics: Characteristics | None
    raw: Mapping[str, Any]

    def value(self, attribute: Attribute = Attribute.Actual) -> T | None:
        """The typed value of one attribute (None when not reported or without value);
        ValidationError when the text is not a value of the variable's data type."""
        reported = self.attributes.get(attribute)
        if reported is None or reported.text is None:
            return None
        return self.variable.parse(reported.text)


class Report(_ByVariable[ReportEntry[Any]]):
    """A report (the reportData of its NotifyReportRequest parts) by variable."""

    def __init__(
        self,
        entries: Iterable[tuple[Variable[Any], ReportEntry[Any]]],
        request_id: int | None,
        seq_nos: tuple[int, ...],
        last_seen: bool,
    ) -> None:
        super().__init__(entries)
        self.request_id = request_id
        self.seq_nos = seq_nos
        """The seqNo of every part read, in order."""
        self.complete = last_seen and seq_nos == tuple(range(len(seq_nos)))
        """Every part from seqNo 0 up to the last one (``tbc`` false) was read."""

    def __getitem__(self, variable: Variable[T]) -> ReportEntry[T]:
        entry: ReportEntry[T] = super().__getitem__(variable)
        return entry

    def value(self, variable: Variable[T], attribute: Attribute = Attribute.Actual) -> T | None:
        """The typed value of a reported variable's attribute (KeyError when not reported)."""
        return self[variable].value(attribute)

    @property
    def unknown(self) -> tuple[ReportEntry[Any], ...]:
        """The entries of variables the catalogue does not have (a vendor's), as reported."""
        return tuple(entry for entry in self.entries if not entry.variable.standard)


def _characteristics(data: Mapping[str, Any] | None) -> Characteristics | None:
    if data is None:
        return None
    values = data.get("valuesList")
    return Characteristics(
        data["dataType"],
        data["supportsMonitoring"],
        data.get("unit"),
        data.get("minLimit"),
        data.get("maxLimit"),
        tuple(values.split(",")) if values else (),
        data.get("maxElements"),
    )


def _reported_variable(
    catalogue: DeviceModel, entry: Mapping[str, Any], characteristics: Characteristics | None
) -> Variable[Any]:
    """The catalogue's variable (with the station's values list where the catalogue has none),
    else a raw one typed by the reported data type."""
    variable = resolve(catalogue, entry["component"], entry["variable"])
    if characteristics is None:
        return variable
    values = characteristics.values_list
    if variable.standard:
        if values and not variable.values_list and variable.data_type in _LIST_TYPES:
            return variable.with_values(values)
        return variable
    try:
        codec = codec_for(characteristics.data_type, values)
    except ValueError:
        return variable
    return Variable(
        variable.name,
        codec,
        instance=variable.instance,
        unit=characteristics.unit,
        scope=variable.scope,
        standard=False,
    )


_LIST_TYPES = ("OptionList", "SequenceList", "MemberList")


def read_report(parts: Iterable[Model], catalogue: DeviceModel) -> Report:
    """The report of NotifyReportRequest ``parts`` (any order; one requestId), keyed by
    variable; variables the catalogue lacks are kept raw (``Report.unknown``)."""
    payloads: list[Any] = sorted((part.to_dict() for part in parts), key=_seq_no)
    request_ids = {payload["requestId"] for payload in payloads}
    if len(request_ids) > 1:
        raise ValueError(f"parts of different reports (requestId {sorted(request_ids)})")
    entries = []
    for payload in payloads:
        for raw in payload.get("reportData") or ():
            characteristics = _characteristics(raw.get("variableCharacteristics"))
            variable = _reported_variable(catalogue, raw, characteristics)
            attributes = {}
            for attribute in raw["variableAttribute"]:
                kind = Attribute(attribute.get("type", "Actual"))
                mutability = attribute.get("mutability")
                attributes[kind] = ReportedAttribute(
                    kind,
                    attribute.get("value"),
                    None if mutability is None else Mutability(mutability),
                    attribute.get("persistent"),
                    attribute.get("constant"),
                )
            entry = ReportEntry(variable, MappingProxyType(attributes), characteristics, raw)
            entries.append((variable, entry))
    last = bool(payloads) and not payloads[-1].get("tbc", False)
    seq_nos = tuple(payload["seqNo"] for payload in payloads)
    request_id = payloads[0]["requestId"] if payloads else None
    return Report(entries, request_id, seq_nos, last)


def _seq_no(payload: Any) -> int:
    number: int = payload["seqNo"]
    return number
