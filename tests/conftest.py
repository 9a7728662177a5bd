"""Fixtures shared by every test module: plan documents as data, and writing them to files."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w

ROOT = Path(__file__).parents[1]

# `bench/make_plan.py` generates large plans; tests import it as `make_plan`.
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))

PlanData = dict[str, Any]


def _minimal_plan() -> PlanData:
    """The smallest valid document: a header and an empty runbook. A fresh dict on every call."""
    return {
        "schema_version": 1,
        "plan": {
            "id": "test-plan",
            "title": "Test plan",
            "final_data_production": "2026-12-04T17:00:00Z",
        },
        "tasks": [],
    }


@pytest.fixture
def minimal_plan() -> Callable[[], PlanData]:
    """A factory: `minimal_plan()` returns a new valid document each time, safe to mutate."""
    return _minimal_plan


@pytest.fixture
def write_plan(tmp_path: Path) -> Callable[..., Path]:
    """Write a document into `tmp_path` as TOML or JSON, chosen by the name's extension."""

    def write(data: PlanData, name: str = "plan.toml") -> Path:
        path = tmp_path / name
        if path.suffix == ".json":
            path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        else:
            path.write_text(tomli_w.dumps(data), encoding="utf-8")
        return path

    return write


@pytest.fixture
def sample_plans() -> Path:
    """The folder of shipped sample plans."""
    return ROOT / "sample_plans"
