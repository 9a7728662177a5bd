"""The command starts without the cyclic garbage collector (the dashboard turns it back on) and
with pydantic's plugin search off."""

from __future__ import annotations

import gc
import os
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
import gc, os, sys, types
command_line = types.ModuleType("cutover_tui.cli")
def main():
    heavy = [name for name in ("textual", "pydantic") if name in sys.modules]
    print(gc.isenabled(), heavy, os.environ.get("PYDANTIC_DISABLE_PLUGINS"))
    raise SystemExit(0)
command_line.main = main
sys.modules["cutover_tui.cli"] = command_line
from cutover_tui.launch import main as launch
launch()
"""


def probe(env: dict[str, str]) -> list[str]:
    """What the launcher leaves the command line, started with `env`."""
    shown = subprocess.run(
        [sys.executable, "-c", _PROBE], check=True, capture_output=True, text=True, env=env
    ).stdout
    return shown.split()


def environment_without_plugin_setting() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}


@pytest.mark.slow
def test_the_collector_is_off_while_the_command_starts() -> None:
    shown = probe(environment_without_plugin_setting())
    assert shown[:2] == ["False", "[]"]  # off before any heavy import


@pytest.mark.slow
def test_pydantic_does_not_look_for_plugins_unless_the_user_says() -> None:
    env = environment_without_plugin_setting()
    assert probe(env)[2] == "__all__"
    assert probe({**env, "PYDANTIC_DISABLE_PLUGINS": "logfire"})[2] == "logfire"


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
