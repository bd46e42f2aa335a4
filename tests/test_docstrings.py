"""Docstrings read as prose: the OCA's AsciiDoc description text rendered, wrapped and safe."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import ROOT

from generator.ir.docs import render_description
from generator.output.formatting import LINE_LENGTH
from generator.render.environment import docstring

PACKAGE = ROOT / "generated" / "ocpp_bindings"
TYPES = {"registrationstatusenumtype": "RegistrationStatusEnumType", "idtokentype": "IdTokenType"}


def _docstrings(path: Path) -> Iterator[tuple[int, str]]:
    """Every string statement of a module: module, class, function and attribute docstrings."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            yield node.lineno, node.value.value


def test_no_generated_docstring_carries_asciidoc_markup_or_urn_lines() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 20
    found = [(p, line, text) for p in modules for line, text in _docstrings(p)]
    assert len(found) > 2000, "the walk must see the field docstrings"
    bad = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path, line, text in found
        if any(mark in text for mark in ("&lt;", "&gt;", "&amp;", "<<", ">>"))
        or any(row.strip().startswith("urn:x-oca") for row in text.splitlines())
    ]
    assert not bad, bad[:10]


def test_generated_lines_fit_the_line_length() -> None:
    long = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if len(line) > LINE_LENGTH
    ]
    assert not long, long[:10]


def test_charging_station_type_reads_like_a_hand_written_docstring() -> None:
    from ocpp_bindings.v201 import ChargingStationType, registry

    assert ChargingStationType.__doc__ == (
        "The physical system where an Electrical Vehicle (EV) can be charged."
    )
    raw = registry.description("ChargingStationType")
    assert raw.startswith("Charge_ Point\nurn:x-oca:ocpp:uid:2:233122\n")


def test_raw_descriptions_stay_reachable_as_data() -> None:
    from ocpp_bindings.v201 import registry

    raw = registry.description("BootNotificationResponse", "interval")
    assert "&lt;&lt;cmn_registrationstatusenumtype,Status&gt;&gt;" in raw
    assert registry.description("ChargingStationType", "serialNumber").startswith("Device.")
    with pytest.raises(KeyError):
        registry.description("NoSuchType")
    with pytest.raises(KeyError):
        registry.description("ChargingStationType", "noSuchField")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            "When &lt;&lt;cmn_registrationstatusenumtype,Status&gt;&gt; is Accepted.",
            "When RegistrationStatusEnumType is Accepted.",
            id="escaped reference to our type names the class",
        ),
        pytest.param(
            "As in <<ref-RFC5646,[RFC5646]>> and <<configkey-x, X.maxLimit >>.",
            "As in [RFC5646] and X.maxLimit.",
            id="reference elsewhere keeps its text",
        ),
        pytest.param(
            "Depends on the &lt;&lt;cmn_idtokentype&gt;&gt; of the curve.",
            "Depends on the IdTokenType of the curve.",
            id="reference without text",
        ),
        pytest.param(
            "Charge_ Point\r\nurn:x-oca:ocpp:uid:2:233122\r\nThe physical system.\r\n",
            "The physical system.",
            id="semantic name and URN preamble dropped",
        ),
        pytest.param(
            "APN. APN. URI\nurn:x-oca:ocpp:uid:1:568814\nThe Access Point Name.",
            "The Access Point Name.",
            id="preamble without an underscore",
        ),
        pytest.param(
            "charging &amp; idle, soft\n      wrapped line",
            "charging & idle, soft wrapped line",
            id="entities decoded and soft line breaks joined",
        ),
        pytest.param(
            "Relates to: +\r\n*ISO 15118-2*: EVMaxVoltage",
            "Relates to:\nISO 15118-2: EVMaxVoltage",
            id="hard break kept, strong text unmarked",
        ),
        pytest.param(
            "_additionalInfo_ extra, not EVSE_DC_Mode or snake_case_name",
            "additionalInfo extra, not EVSE_DC_Mode or snake_case_name",
            id="emphasis unmarked, identifiers untouched",
        ),
        pytest.param(
            "Values: \r\n\r\n* OptionList: one\r\ncontinued.\r\n\r\n* MemberList: set",
            "Values:\n\n* OptionList: one continued.\n\n* MemberList: set",
            id="bullets kept",
        ),
        pytest.param(
            "Schedule.\n\nimage::images/Schedule.png[]", "Schedule.", id="image macro dropped"
        ),
    ],
)
def test_render_description(raw: str, expected: str) -> None:
    assert render_description(raw, TYPES) == expected


@pytest.mark.parametrize(
    "text",
    [
        'Ends with a quote "',
        'Has """ inside and a backslash \\ and \\" too',
        "A backslash at the end \\",
        "word " * 60 + "\n\n* a bullet item " + "that is long " * 10,
        "x" * 150,
    ],
)
@pytest.mark.parametrize("indent", [4, 8])
def test_docstring_literal_is_safe_and_fits(text: str, indent: int) -> None:
    literal = docstring(text, indent)
    source = f"class C:\n{' ' * indent}{literal}\n"
    if indent == 8:
        source = f"class C:\n    def f(self) -> None:\n{' ' * indent}{literal}\n"
    tree = ast.parse(source)
    node = tree.body[0]
    if indent == 8:
        assert isinstance(node, ast.ClassDef)
        node = node.body[0]
    assert isinstance(node, ast.ClassDef | ast.FunctionDef)
    value = ast.get_docstring(node, clean=False)
    assert value is not None
    assert value.split() == text.split(), "wrapping changes whitespace only"
    lines = source.splitlines()
    too_long = [line for line in lines if len(line) > LINE_LENGTH and " " in line.strip()]
    assert not too_long
