"""What the header badge and banner say about the data on screen, on the monotonic clock."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cutover_tui import clock as clocks
from cutover_tui.app import CutoverApp, DashboardOptions
from cutover_tui.clock import FixedClock
from cutover_tui.model import load_path
from cutover_tui.sync import Contact, Snapshot, SourceProblem
from cutover_tui.sync.health import FAILED_AFTER, assess
from cutover_tui.widgets.sync_banner import SyncBanner
from cutover_tui.widgets.value_label import ValueLabel

GP = Path(__file__).parents[1] / "sample_plans" / "gp-practice-migration.toml"
PLAN = load_path(GP)
LONDON = ZoneInfo("Europe/London")
RECEIVED = datetime(2026, 12, 4, 15, 0, 1, tzinfo=UTC)


def snapshot(at: float = 1000.0) -> Snapshot:
    return Snapshot(PLAN, "https://cutover.example/plan.json", RECEIVED, at)


def test_live_while_contact_is_fresh() -> None:
    health = assess(snapshot(), None, Contact(1100.0, 14.0), 1110.0, LONDON)
    assert health.level == "live"
    assert health.badge == "● LIVE · updated 15:00:01 GMT (1m)"
    assert health.banner is None


def test_stale_after_contact_runs_out_then_red_after_five_minutes() -> None:
    contact = Contact(1100.0, 14.0)
    stale = assess(snapshot(), None, contact, 1115.0, LONDON)
    assert stale.level == "stale"
    assert stale.badge == "▲ STALE · last good 15:00:01 GMT (1m)"
    assert stale.banner is not None
    assert stale.banner.startswith("STALE: no word from https://cutover.example/plan.json for 15s.")
    assert "Showing the last good plan, received 15:00:01 GMT" in stale.banner
    red = assess(snapshot(), None, contact, 1100.0 + FAILED_AFTER, LONDON)
    assert red.level == "failed"
    assert red.badge.startswith("✖ STALE")


def test_a_snapshot_counts_as_contact() -> None:
    # The snapshot arrived after the last Contact: its arrival is the last word.
    health = assess(snapshot(at=1200.0), None, Contact(1100.0, 14.0), 1205.0, LONDON)
    assert health.level == "live"


def test_a_clock_step_backwards_never_shows_a_negative_age() -> None:
    health = assess(snapshot(at=1000.0), None, None, 900.0, LONDON)
    assert "(0m)" in health.badge


def test_problems_name_themselves_with_the_last_good_time() -> None:
    offline = SourceProblem("offline", "connection refused", since_monotonic=1000.0)
    health = assess(snapshot(), offline, None, 1060.0, LONDON)
    assert health.badge == "▲ OFFLINE · last good 15:00:01 GMT (1m)"
    assert health.level == "stale"
    assert health.banner is not None
    assert health.banner.startswith("OFFLINE: connection refused. Showing the last good plan")
    assert assess(snapshot(), offline, None, 1000.0 + FAILED_AFTER, LONDON).level == "failed"


def test_auth_failed_and_invalid_are_red_at_once() -> None:
    for kind, words in (("auth-failed", "AUTH FAILED"), ("invalid", "INVALID")):
        problem = SourceProblem(kind, "401 Unauthorized", since_monotonic=1000.0)  # type: ignore[arg-type]
        health = assess(snapshot(), problem, None, 1001.0, LONDON)
        assert health.level == "failed"
        assert health.badge.startswith(f"✖ {words} · last good 15:00:01 GMT")


def banner(app: CutoverApp) -> str:
    widget = app.screen.query_one(SyncBanner)
    return str(widget.render()) if widget.display and widget.has_class("-shown") else ""


async def test_the_screen_says_stale_when_the_source_goes_quiet_and_live_when_it_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = clocks.monotonic
    later = 0.0
    monkeypatch.setattr(clocks, "monotonic", lambda: real() + later)
    clock = FixedClock(datetime(2026, 12, 4, 15, 0, tzinfo=UTC))
    app = CutoverApp(str(GP), load_path, clock, DashboardOptions(), initial=PLAN)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await pilot.pause()
        assert banner(app) == ""
        # The source answered at start, promising to again within 5 s; 20 s pass in silence.
        app.contact = Contact(clocks.monotonic(), 5.0)
        later = 20.0
        app._tick()
        await pilot.pause()
        badge = str(app.screen.query_one("#sync", ValueLabel).render())
        assert badge.startswith("▲ STALE · last good ")
        assert banner(app).startswith("▲ STALE: no word from ")
        assert [n.title for n in app._notifications] == ["The data on screen is stale"]

        app.contact = Contact(clocks.monotonic(), 5.0)
        app._tick()
        await pilot.pause()
        assert str(app.screen.query_one("#sync", ValueLabel).render()).startswith("● LIVE")
        assert banner(app) == ""
        await asyncio.sleep(0)
        assert [n.title for n in app._notifications][-1] == "Live"
