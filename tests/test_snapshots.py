"""SVG snapshots of every screen at 80x24 and 160x48, and of each shipped theme, frozen in time.

Review changes with the report pytest writes (snapshot_report.html) before `--snapshot-update`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from cutover_tui import clock
from cutover_tui.app import CutoverApp, DashboardOptions
from cutover_tui.clock import FixedClock
from cutover_tui.model import load_path
from cutover_tui.sync import SourceProblem

ROOT = Path(__file__).parents[1]
GP = ROOT / "sample_plans" / "gp-practice-migration.toml"
AT_1500 = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
LOADED = datetime(2026, 12, 4, 14, 59, 30, tzinfo=UTC)

pytestmark = pytest.mark.snapshot

SCREENS = {
    "1": "overview",
    "2": "tasks",
    "3": "blockers",
    "4": "checkpoints",
    "5": "timeline",
    "6": "log",
    "7": "contacts",
}


@pytest.fixture(autouse=True)
def frozen_load_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """'loaded hh:mm:ss' comes from the real clock; freeze it too."""
    monkeypatch.setattr(clock, "wall_now", lambda: LOADED)


def make_app(theme: str | None = None, now: datetime = AT_1500) -> CutoverApp:
    options = DashboardOptions(theme=theme)
    return CutoverApp(str(GP), load_path, FixedClock(now), options, initial=load_path(GP))


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
@pytest.mark.parametrize("key", list(SCREENS), ids=list(SCREENS.values()))
def test_screen(snap_compare: Any, key: str, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), press=[key], terminal_size=size)


@pytest.mark.parametrize("theme", ["command-centre-light", "wall-amber"])
def test_theme(snap_compare: Any, theme: str) -> None:
    assert snap_compare(make_app(theme), terminal_size=(160, 48))


def test_overdue_go_no_go_during_the_cutover(snap_compare: Any) -> None:
    later = datetime(2026, 12, 5, 2, 30, tzinfo=UTC)
    assert snap_compare(make_app(now=later), terminal_size=(160, 48))


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_offline_source_banner(snap_compare: Any, size: tuple[int, int]) -> None:
    """A source lost for six minutes: red badge and banner, the last good plan still shown."""

    async def lose_the_source(pilot: Any) -> None:
        app = pilot.app
        since = clock.monotonic() - 360
        app.problem = SourceProblem("offline", "connection refused", since_monotonic=since)
        await pilot.pause()

    assert snap_compare(make_app(), run_before=lose_the_source, terminal_size=size)
