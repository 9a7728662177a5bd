"""The dashboard app as a whole: navigation, the clock, kiosk mode, reload, help."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cutover_tui.app import CutoverApp, DashboardOptions
from cutover_tui.clock import Clock, FixedClock, SystemClock
from cutover_tui.model import load_path
from cutover_tui.screens.help import HelpScreen
from cutover_tui.widgets.digit_clock import DigitClock
from cutover_tui.widgets.panel import Panel
from cutover_tui.widgets.value_label import ValueLabel

ROOT = Path(__file__).parents[1]
GP = ROOT / "sample_plans" / "gp-practice-migration.toml"
AT_1500 = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


class SteppedClock:
    """A simulated clock the test moves by hand."""

    simulated = True

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def make_app(
    path: Path = GP, clock: Clock | None = None, options: DashboardOptions | None = None
) -> CutoverApp:
    return CutoverApp(
        str(path), load_path, clock or FixedClock(AT_1500), options, initial=load_path(path)
    )


def label(app: CutoverApp, selector: str) -> str:
    return str(app.screen.query_one(selector, ValueLabel).render())


async def test_number_keys_reach_every_screen() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        assert app.current_mode == "overview"
        for key, mode in zip("2345671", ["tasks", "blockers", "checkpoints", "timeline", "log",
                                        "contacts", "overview"], strict=True):  # fmt: skip
            await pilot.press(key)
            await pilot.pause()
            assert app.current_mode == mode


async def test_header_shows_title_phase_zone_and_simulated_clock() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert label(app, "#plan-title") == "Riverside Surgery — clinical system migration"
        assert label(app, "#phase") == "PRE-CUTOVER"
        assert label(app, "#local-time") == "Fri 04 Dec 15:00:00 GMT"
        assert app.screen.query_one("#simulated", ValueLabel).display
        assert label(app, "#sync").startswith("● LIVE · ")


async def test_real_clock_has_no_simulated_badge() -> None:
    app = make_app(clock=SystemClock())
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#simulated", ValueLabel).display


async def test_countdown_crosses_final_data_production() -> None:
    clock = SteppedClock(datetime(2026, 12, 4, 16, 59, 58, tzinfo=UTC))
    app = make_app(clock=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        digits = app.screen.query_one("#countdown-digits", DigitClock)
        assert digits.value == "00:00:02"
        assert label(app, "#countdown-caption") == "Final data production in"
        clock.at += timedelta(seconds=5)
        app.now = clock.now()
        await pilot.pause()
        assert label(app, "#countdown-caption") == "Cutover elapsed"
        assert digits.value == "00:00:03"
        assert label(app, "#phase") == "CUTOVER"


async def test_overdue_go_no_go_is_impossible_to_miss() -> None:
    app = make_app(clock=FixedClock(datetime(2026, 12, 4, 16, 30, tzinfo=UTC)))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        card = app.screen.query_one("#next-checkpoint", Panel)
        assert card.has_class("-overdue")
        assert card.border_title == "⚠ OVERDUE GO/NO-GO: DECISION NEEDED"
        assert "30m 00s ago" in card.text


async def test_kiosk_rotates_and_ignores_quit_keys() -> None:
    # The rotation is driven by hand below; the real timer is set too long to fire meanwhile.
    options = DashboardOptions(kiosk_seconds=600)
    app = make_app(options=options)
    async with app.run_test(size=(160, 48)) as pilot:
        assert not app.screen.query("Footer")
        await pilot.press("q", "2", "r")
        await pilot.pause()
        assert app.is_running
        assert app.current_mode == "overview"
        app._rotate_kiosk()
        await pilot.pause()
        assert app.current_mode == "tasks"
        app._rotate_kiosk()
        app._rotate_kiosk()
        app._rotate_kiosk()
        await pilot.pause()
        assert app.current_mode == "overview"


async def test_kiosk_exit_key_quits() -> None:
    app = make_app(options=DashboardOptions(kiosk_seconds=20, kiosk_exit_key="ctrl+x"))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("ctrl+x")
        await pilot.pause()
    assert not app.is_running


async def test_reload_takes_a_new_good_plan_and_keeps_it_when_the_file_breaks(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plan.toml"
    shutil.copy(GP, path)
    app = make_app(path)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await pilot.pause()
        text = path.read_text().replace(
            "Riverside Surgery — clinical system migration", "Riverside Surgery (renamed)"
        )
        path.write_text(text)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert label(app, "#plan-title") == "Riverside Surgery (renamed)"
        path.write_text(text.replace("schema_version = 1", "schema_version = 1\nbogus = 2"))
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert label(app, "#plan-title") == "Riverside Surgery (renamed)"
        messages = [str(n.message) for n in app._notifications]
        assert any("bogus: unknown key" in message for message in messages)


async def test_reloading_an_unchanged_plan_keeps_the_snapshot() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await pilot.pause()
        before = app.snapshot
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.snapshot is before
        assert any("has not changed" in str(n.message) for n in app._notifications)


async def test_utc_toggle_changes_every_time_shown() -> None:
    app = make_app(ROOT / "sample_plans" / "agency-go-live.toml")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert label(app, "#local-time").endswith("EST")
        await pilot.press("u")
        await pilot.pause()
        assert label(app, "#local-time").endswith("UTC")


async def test_help_lists_every_key() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for words in ("Overview", "Tasks", "Timeline", "Reload", "UTC", "Quit"):
            assert words in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize("size", [(80, 24), (160, 48), (240, 67)])
async def test_overview_keeps_the_essentials_at_every_size(size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for selector in ("#countdown", "#next-checkpoint", "#task-counts"):
            widget = app.screen.query_one(selector)
            assert widget.display
            assert widget.region.bottom <= size[1]
