"""The command starts without the cyclic garbage collector; the dashboard turns it back on."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cutover_tui.app import CutoverApp
from cutover_tui.clock import FixedClock
from cutover_tui.model import load_path

SAMPLE = Path(__file__).parents[1] / "sample_plans" / "gp-practice-migration.toml"

# Stands in for the command line: reports what the launcher left it.
_PROBE = """
import gc, sys, types
command_line = types.ModuleType("cutover_tui.cli")
def main():
    heavy = [name for name in ("textual", "pydantic") if name in sys.modules]
    print(gc.isenabled(), heavy)
    raise SystemExit(0)
command_line.main = main
sys.modules["cutover_tui.cli"] = command_line
from cutover_tui.launch import main as launch
launch()
"""


@pytest.mark.slow
def test_the_collector_is_off_while_the_command_starts() -> None:
    shown = subprocess.run(
        [sys.executable, "-c", _PROBE], check=True, capture_output=True, text=True
    ).stdout
    assert shown.split() == ["False", "[]"]  # off before any heavy import


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_dashboard_turns_the_collector_back_on(collector_off: None) -> None:
    plan = load_path(SAMPLE)
    app = CutoverApp(str(SAMPLE), load_path, FixedClock(plan.header.final_data_production))
    app.freeze_startup()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
