"""Shared paths and objects for the plan tests: the seed decree and the committed plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scheduler.plan import Plan, import_decree, load_plan
from scheduler.plan.translations import Translations, load_translations

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "decree" / "2015-2016-state-symbols.kk.txt"
PLAN_JSON = ROOT / "data" / "plan.json"
SCHEMA_JSON = ROOT / "data" / "plan.schema.json"
SIDECAR = ROOT / "data" / "plan.translations.json"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sidecar() -> Translations:
    return load_translations(SIDECAR)


@pytest.fixture(scope="session")
def seed_plan(seed_text: str, sidecar: Translations) -> Plan:
    return import_decree(seed_text, translations=sidecar).plan


@pytest.fixture(scope="session")
def committed_plan() -> Plan:
    return load_plan(PLAN_JSON)


@pytest.fixture
def plan_data() -> dict[str, Any]:
    """A fresh, mutable copy of the committed plan's JSON, for breaking in tests."""
    data: dict[str, Any] = json.loads(PLAN_JSON.read_text(encoding="utf-8"))
    return data
