"""The OCPP 2.x device model as Python objects: components, typed variables and the catalogue.

A generated ``device_model`` module declares one :class:`Component` subclass per standardized
component, each with one :class:`Variable` per variable (a descriptor: ``OCPPCommCtrlr.
HeartbeatInterval``), and the variables that apply to any component on the base class
``AnyComponent``. A variable listed per instance is an :class:`Instances`
(``DeviceDataCtrlr.BytesPerMessage["GetReport"]``). ``EVSE(evse=1).AvailabilityState`` is the
same variable on EVSE 1. Names compare case-insensitively, as OCPP compares them.

Nothing here knows the message classes: requests and responses are built and read by
``_device_messages`` and ``_device_store`` through the version's ``from_dict`` / ``to_dict``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum
from types import MappingProxyType
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from ._codecs import STRING, Codec, DecimalCodec
from ._runtime import UNSET, Unset

T = TypeVar("T")
U = TypeVar("U")


class Mutability(str, Enum):
    """Whether the CSMS may read and write a variable (OCPP MutabilityEnumType)."""

    ReadOnly = "ReadOnly"
    ReadWrite = "ReadWrite"
    WriteOnly = "WriteOnly"


class Required(str, Enum):
    """Whether a station that has the component must have the variable."""

    yes = "yes"
    no = "no"
    V2X = "V2X"
    """Required when the station supports V2X (OCPP 2.1)."""


class Attribute(str, Enum):
    """Which value of a variable (OCPP AttributeEnumType): the actual one or a setting."""

    Actual = "Actual"
    Target = "Target"
    MinSet = "MinSet"
    MaxSet = "MaxSet"


class NotWritable(ValueError):
    """A request would write a variable or key the standard declares read-only; nothing sent."""


@dataclass(frozen=True)
class Scope:
    """Where a component sits: its name, its instance, and the EVSE and connector it is on."""

    component: str | None
    instance: str | None = None
    evse: int | None = None
    connector: int | None = None

    def __post_init__(self) -> None:
        if self.connector is not None and self.evse is None:
            raise ValueError("a connector is on an EVSE: give evse= as well")
        for number in (self.evse, self.connector):
            if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
                raise TypeError(f"EVSE and connector ids are int, not {type(number).__name__}")

    @property
    def label(self) -> str:
        """``EVSE[evse=1]``, ``Controller[instance=Main]``, ``OCPPCommCtrlr``."""
        parts = [f"instance={self.instance}"] if self.instance is not None else []
        parts += [f"evse={self.evse}"] if self.evse is not None else []
        parts += [f"connector={self.connector}"] if self.connector is not None else []
        name = self.component or "<any component>"
        return f"{name}[{','.join(parts)}]" if parts else name

    def folded(self) -> tuple[object, ...]:
        """The scope as OCPP compares it (names case-insensitively)."""
        return (_fold(self.component), _fold(self.instance), self.evse, self.connector)

    def reference(self) -> dict[str, Any]:
        """The scope as a ComponentType JSON object."""
        if self.component is None:
            raise ValueError("a generic variable names no component: use it on one")
        data: dict[str, Any] = {"name": self.component}
        if self.instance is not None:
            data["instance"] = self.instance
        if self.evse is not None:
            data["evse"] = {"id": self.evse}
            if self.connector is not None:
                data["evse"]["connectorId"] = self.connector
        return data


def _fold(name: str | None) -> str | None:
    return None if name is None else name.casefold()


class Variable(Generic[T]):
    """One variable of one component, with what the catalogue says of it and its value codec.

    As a class attribute of a :class:`Component` it is a descriptor: read on the class or on a
    component object, it is the variable on that component (``EVSE(evse=1).Power``). Two
    variables are equal when they name the same component scope, variable and instance
    (names case-insensitively); the catalogue facts do not take part.
    """

    def __init__(
        self,
        name: str,
        codec: Codec[T],
        *,
        instance: str | None = None,
        unit: str | None = None,
        mutability: Mutability | None = None,
        required: Required | None = None,
        description: str = "",
        scope: Scope | None = None,
        standard: bool = True,
    ) -> None:
        self.name = name
        self.codec = codec
        self.instance = instance
        self.unit = unit
        self.mutability = mutability
        """``None``: the standard leaves it to the station."""
        self.required = required
        """``None``: the catalogue's source gives no flag."""
        self.description = description
        self.__doc__ = description
        self.scope = scope or Scope(None)
        self.standard = standard
        """False for a variable the catalogue does not have (a vendor's, read from a report)."""
        self._by_owner: dict[type[Component], Variable[T]] = {}

    @property
    def component(self) -> str | None:
        """The component's name (None for a generic variable not yet on a component)."""
        return self.scope.component

    @property
    def data_type(self) -> str:
        """The DataEnumType value: ``integer``, ``decimal``, ``OptionList``..."""
        return self.codec.type_name

    @property
    def values_list(self) -> tuple[str, ...]:
        """The allowed values of a list type (empty: the station defines them)."""
        return self.codec.values

    @property
    def path(self) -> str:
        """Where the variable is, as errors name it (``OCPPCommCtrlr.HeartbeatInterval``,
        ``DeviceDataCtrlr.BytesPerMessage[GetReport]``, ``EVSE[evse=1].Power``)."""
        instance = f"[{self.instance}]" if self.instance is not None else ""
        return f"{self.scope.label}.{self.name}{instance}"

    def parse(self, text: str) -> T:
        """The typed value of an attribute value; ValidationError (path: this variable)."""
        return self.codec.parse(text, self.path)

    def format(self, value: T) -> str:
        """The attribute value of a typed value; ValidationError (path: this variable)."""
        return self.codec.format(value, self.path)

    def as_float(self: Variable[Decimal]) -> Variable[float]:
        """A decimal variable read and written as ``float`` (equal to this one)."""
        if not isinstance(self.codec, DecimalCodec):
            raise TypeError(f"{self.path} is {self.data_type}, not decimal")
        return self.retyped(self.codec.as_float())

    def with_values(self, values: Iterable[str]) -> Variable[T]:
        """The variable with a values list of the station's own (a list type's)."""
        return self.retyped(self.codec.with_values(values))

    def on(self, scope: Scope) -> Variable[T]:
        """The same variable on another component scope."""
        return self.retyped(self.codec, scope=scope)

    def with_instance(self, instance: str | None) -> Variable[T]:
        """The same variable of another instance."""
        return self.retyped(self.codec, instance=instance)

    def retyped(
        self, codec: Codec[U], *, scope: Scope | None = None, instance: str | Unset | None = UNSET
    ) -> Variable[U]:
        """The variable with another codec (and scope or instance), the rest unchanged."""
        return Variable(
            self.name,
            codec,
            instance=self.instance if isinstance(instance, Unset) else instance,
            unit=self.unit,
            mutability=self.mutability,
            required=self.required,
            description=self.description,
            scope=scope or self.scope,
            standard=self.standard,
        )

    def reference(self) -> dict[str, Any]:
        """The variable as a VariableType JSON object."""
        data: dict[str, Any] = {"name": self.name}
        if self.instance is not None:
            data["instance"] = self.instance
        return data

    def key(self) -> tuple[object, ...]:
        """What identifies the variable as OCPP compares it."""
        return (*self.scope.folded(), self.name.casefold(), _fold(self.instance))

    def __set_name__(self, owner: type[Component], name: str) -> None:
        if owner.name and self.scope.component is None:
            self.scope = Scope(owner.name)

    def __get__(self, obj: Component | None, owner: type[Component]) -> Variable[T]:
        return _seen_from(self, self._by_owner, obj, owner)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Variable) and other.key() == self.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def __repr__(self) -> str:
        return f"<Variable {self.path} {self.codec.type_name}>"

    def __str__(self) -> str:
        return self.path


class Instances(Generic[T]):
    """A variable that the catalogue lists per instance (``[instance]`` gives one), or that
    takes any instance (``pattern`` is the catalogue's text, such as ``<vendorId>``)."""

    def __init__(self, *variables: Variable[T], pattern: str | None = None) -> None:
        if not variables or (pattern is not None and len(variables) != 1):
            raise ValueError("give the listed instances, or one template with a pattern")
        self.name = variables[0].name
        self.pattern = pattern
        self._variables = variables
        self.template: Variable[T] = variables[0]
        """The first listed instance's variable, or (for a pattern) the variable without an
        instance that every instance shares."""
        self.scope = variables[0].scope
        self.__doc__ = variables[0].description
        self._by_owner: dict[type[Component], Instances[T]] = {}

    @property
    def instances(self) -> tuple[str, ...]:
        """The listed instances (none when any instance is allowed)."""
        return () if self.pattern is not None else tuple(v.instance or "" for v in self._variables)

    def __getitem__(self, instance: str) -> Variable[T]:
        if self.pattern is not None:
            if not isinstance(instance, str) or not instance:
                raise KeyError(instance)
            return self.template.with_instance(instance)
        for variable in self._variables:
            if _fold(variable.instance) == _fold(instance):
                return variable
        listed = ", ".join(self.instances)
        where = f"{self.scope.label}.{self.name}"
        raise KeyError(f"{where} has the instances {listed}, not {instance!r}")

    def get(self, instance: str) -> Variable[T] | None:
        """The variable of one instance, or None when the catalogue does not list it."""
        try:
            return self[instance]
        except KeyError:
            return None

    def __iter__(self) -> Iterator[Variable[T]]:
        """The listed instances' variables (the template, for a pattern)."""
        return iter(self._variables)

    def on(self, scope: Scope) -> Instances[T]:
        """The same variable on another component scope."""
        moved = tuple(v.on(scope) for v in self._variables)
        return Instances(*moved, pattern=self.pattern)

    def __set_name__(self, owner: type[Component], name: str) -> None:
        if owner.name and self.scope.component is None:
            self.scope = Scope(owner.name)
            self._variables = tuple(v.on(self.scope) for v in self._variables)
            self.template = self._variables[0]

    def __get__(self, obj: Component | None, owner: type[Component]) -> Instances[T]:
        return _seen_from(self, self._by_owner, obj, owner)

    def __repr__(self) -> str:
        listed = self.pattern if self.pattern is not None else ",".join(self.instances)
        return f"<Instances {self.scope.label}.{self.name}[{listed}]>"


class _Placed(Protocol):
    """A descriptor on a component class: a Variable or Instances."""

    scope: Scope

    def on(self: P, scope: Scope) -> P: ...


P = TypeVar("P", bound=_Placed)


def _seen_from(
    descriptor: P, by_owner: dict[type[Component], P], obj: Component | None, owner: type[Component]
) -> P:
    """A descriptor as read on a component object (on its scope) or class (on the class's
    component, made once per class: the generic variables read on ``EVSE``...)."""
    if obj is not None:
        return descriptor.on(obj.scope)
    if not owner.name or owner.name == descriptor.scope.component:
        return descriptor
    found = by_owner.get(owner)
    if found is None:
        found = by_owner[owner] = descriptor.on(Scope(owner.name))
    return found


class Component:
    """A component class: its variables are class attributes. An object of it is the component
    at one place: ``EVSE(evse=1)``, ``Connector(evse=1, connector=2)``, ``Controller(
    instance="Main")``; ``AnyComponent(name="AcmeFan")`` is a component the catalogue lacks."""

    name: ClassVar[str] = ""
    """The component's name ("" on ``AnyComponent``, the base of every component class)."""
    kind: ClassVar[str] = ""
    """``controller`` or ``physical_or_logical``."""
    in_components_table: ClassVar[bool] = True

    def __init__(
        self,
        *,
        instance: str | None = None,
        evse: int | None = None,
        connector: int | None = None,
        name: str | None = None,
    ) -> None:
        if self.name and name is not None and _fold(name) != _fold(self.name):
            raise ValueError(f"{type(self).__name__} is the component {self.name}, not {name}")
        if not self.name and not name:
            raise ValueError("give the component's name=")
        self.scope = Scope(name or self.name, instance, evse, connector)

    @classmethod
    def variables(cls) -> Iterator[Variable[Any] | Instances[Any]]:
        """The variables specific to this component (not the generic ones), in catalogue order
        (a vendor's subclass of a standard component: the standard ones first)."""
        seen: set[str] = set()
        for klass in reversed(cls.__mro__):
            if not (isinstance(klass, type) and issubclass(klass, Component) and klass.name):
                continue
            for attribute, value in vars(klass).items():
                if isinstance(value, (Variable, Instances)) and attribute not in seen:
                    seen.add(attribute)
                    yield getattr(cls, attribute)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.scope.label}>"


class DeviceModel:
    """The catalogue of a version: component classes by name, the generic variables, and a
    lookup by names (``find``)."""

    def __init__(
        self,
        generic: type[Component],
        components: Iterable[type[Component]],
        *,
        float_decimals: bool = False,
    ) -> None:
        self.generic = generic
        """``AnyComponent``: the class whose variables apply to any component."""
        self._components = {cls.name.casefold(): cls for cls in components}
        self.float_decimals = float_decimals
        """True when decimal variables found here read and write ``float``."""

    @property
    def components(self) -> Mapping[str, type[Component]]:
        """Component name -> class, in catalogue order."""
        return MappingProxyType({cls.name: cls for cls in self._components.values()})

    def component(self, name: str) -> type[Component] | None:
        """The class of a component by its name (any case), or None."""
        return self._components.get(name.casefold())

    def extended(self, components: Iterable[type[Component]]) -> DeviceModel:
        """The catalogue with more components: a vendor's, or a vendor's subclass of a
        standard component (with the vendor's variables), which takes the standard's place."""
        merged = dict(self._components)
        merged.update((cls.name.casefold(), cls) for cls in components)
        return DeviceModel(self.generic, merged.values(), float_decimals=self.float_decimals)

    def with_float_decimals(self) -> DeviceModel:
        """The same catalogue, its decimal variables read and written as ``float``."""
        return DeviceModel(self.generic, self._components.values(), float_decimals=True)

    def find(
        self,
        component: str,
        variable: str,
        instance: str | None = None,
        *,
        evse: int | None = None,
        connector: int | None = None,
        component_instance: str | None = None,
    ) -> Variable[Any] | None:
        """The variable by names (any case), on the component at ``evse``/``connector``: a
        component's own, else a generic one (which applies to any component, one the catalogue
        lacks included), or None. A variable listed per instance is found for its listed
        instances (any instance, for a pattern); one listed without instances is found for
        any instance the station gives it (``ACCurrent`` of ``L1``), with the same facts."""
        scope = Scope(component, component_instance, evse, connector)
        cls = self.component(component)
        found = self._own(cls, variable, instance) if cls is not None else None
        if found is None:
            found = self._own(self.generic, variable, instance)
        if found is None:
            return None
        found = found.on(replace(scope, component=cls.name if cls else component))
        if self.float_decimals and isinstance(found.codec, DecimalCodec):
            return found.as_float()
        return found

    @staticmethod
    def _own(cls: type[Component], variable: str, instance: str | None) -> Variable[Any] | None:
        """The variable of that name declared on ``cls`` or a base (the generic variables of
        ``AnyComponent`` last), of ``instance``, not yet on a scope."""
        wanted = variable.casefold()
        for klass in cls.__mro__:
            for value in vars(klass).values():
                if not isinstance(value, (Variable, Instances)) or value.name.casefold() != wanted:
                    continue
                if isinstance(value, Variable):
                    return value if instance is None else value.with_instance(instance)
                if instance is not None:
                    found = value.get(instance)
                    if found is not None:
                        return found
        return None

    def variables(self) -> Iterator[Variable[Any] | Instances[Any]]:
        """Every component-specific variable of the catalogue, component by component."""
        for cls in self._components.values():
            yield from cls.variables()

    def generic_variables(self) -> Iterator[Variable[Any] | Instances[Any]]:
        """The variables that apply to any component."""
        for attribute, value in vars(self.generic).items():
            if isinstance(value, (Variable, Instances)):
                yield getattr(self.generic, attribute)

    def raw(self, scope: Scope, variable: str, instance: str | None) -> Variable[str]:
        """A variable the catalogue does not have, kept as text (``standard`` is False)."""
        return Variable(variable, STRING, instance=instance, scope=scope, standard=False)
