"""Profiles, initiators and kinds: metadata, generated registry and `ocppgen list` agree."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import ROOT, SCHEMAS

from generator.schemas.metadata import load_metadata
from generator.schemas.versions import VERSIONS

REFERENCE = (Path(__file__).parent / "data" / "profiles_reference.md").read_text()
COUNTS = {"1.6": 39, "2.0.1": 64, "2.1": 91}


def registry(version: str) -> Any:
    return importlib.import_module(f"ocpp_bindings.{VERSIONS[version].package}.registry")


def _reference_rows(section: str, cs: str, csms: str) -> dict[str, tuple[str, set[str]]]:
    """action -> (profile, initiators) from a "| profile | by CS | by CSMS |" table."""
    rows: dict[str, tuple[str, set[str]]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("profile", "block") or set(cells[0]) <= {"-"}:
            continue
        profile = re.sub(r"^[A-Z] |\s*\(.*\)$", "", cells[0])
        for role, cell in ((cs, cells[1]), (csms, cells[2])):
            for entry in filter(None, (e.strip() for e in cell.split(","))):
                action = entry.replace("(both)", "").strip()
                initiators = {cs, csms} if "(both)" in entry else {role}
                rows[action] = (profile, rows.get(action, (profile, set()))[1] | initiators)
    return rows


def _expected(version: str) -> dict[str, tuple[str, set[str]]]:
    v16, rest = REFERENCE.split("## OCPP 1.6", 1)[1].split("## OCPP 2.0.1", 1)
    v201, v21 = rest.split("## OCPP 2.1", 1)
    if version == "1.6":
        return _reference_rows(v16, "ChargePoint", "CentralSystem")
    expected = _reference_rows(v201, "ChargingStation", "CSMS")
    if version == "2.1":
        for line in v21.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) != 3 or cells[0] in ("action",) or set(cells[0]) <= {"-"}:
                continue
            block = re.sub(r"^[A-Z] |\s*\(or .*\)$", "", cells[1]).replace(" ", "")
            role = {"CS": "ChargingStation", "CSMS": "CSMS"}[cells[2]]
            for action in re.sub(r"\(.*?\)", "", cells[0]).split(","):
                expected[action.strip()] = (block, {role})
    return expected


@pytest.mark.parametrize("version", COUNTS)
def test_every_action_has_its_profile_and_direction(version: str) -> None:
    features = registry(version).FEATURES
    expected = _expected(version)
    assert len(features) == COUNTS[version] == len(expected)
    for action, (profile, initiators) in expected.items():
        feature = features[action]
        assert feature.profile == profile, action
        assert {role.value for role in feature.initiated_by} == initiators, action
        assert feature.kind == ("SEND" if action == "NotifyPeriodicEventStream" else "CALL")
        assert (feature.response is None) == (feature.kind == "SEND")


@pytest.mark.parametrize("version", COUNTS)
def test_each_action_is_in_exactly_one_profile(version: str) -> None:
    module = registry(version)
    seen = [f.action for profile in module.PROFILES.values() for f in profile.features]
    assert sorted(seen) == sorted(module.FEATURES)
    assert len(seen) == len(set(seen))
    assert set(module.Action) == set(module.FEATURES)


@pytest.mark.parametrize("version", COUNTS)
def test_registry_matches_metadata(version: str) -> None:
    info = VERSIONS[version]
    metadata = load_metadata(SCHEMAS / version, info.roles)
    module = registry(version)
    assert [r.value for r in module.Role] == list(info.roles)
    for name, meta in metadata.actions.items():
        feature = module.FEATURES[name]
        initiators = set(info.roles) if meta.initiator == "both" else {meta.initiator}
        assert (feature.profile, {r.value for r in feature.initiated_by}) == (
            meta.profile,
            initiators,
        )
    if version == "2.1":
        new = [m for m in metadata.actions.values() if m.source]
        assert len(new) == 27, "every action new in 2.1 records its source"


@pytest.mark.parametrize("version", COUNTS)
def test_ocppgen_list_matches_the_metadata(version: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from generator.cli import app; app()",
            "list",
            "--version",
            version,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith(f"OCPP {version}: {COUNTS[version]} actions")
    assert re.split(r"\s{2,}", lines[1]) == ["profile", "action", "initiated by", "kind"]
    listed = {}
    for line in lines[2:]:
        profile, action, initiators, kind = re.split(r"\s{2,}", line)
        listed[action] = (profile.split()[-1], set(initiators.split(" + ")), kind)
    expected = {
        f.action.value: (f.profile, {r.value for r in f.initiated_by}, f.kind)
        for f in registry(version).FEATURES.values()
    }
    assert listed == expected
