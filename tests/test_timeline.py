"""Pilot tests of the Timeline screen (5): bars, the now line, zoom, jump to now, snapshots."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from textual.geometry import Region

from cutover_tui import insight
from cutover_tui.app import CutoverApp, DashboardOptions
from cutover_tui.clock import FixedClock
from cutover_tui.insight.timeline_cells import PLANNED
from cutover_tui.model import Plan, load_path, to_data, validate
from cutover_tui.screens.timeline import TimelineScreen
from cutover_tui.widgets.gantt import HEADER_LINES, Gantt

ROOT = Path(__file__).parents[1]
GP = ROOT / "sample_plans" / "gp-practice-migration.toml"
AT_15 = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
HOSTILE = ("[red]DONE[/]", "[/tmp] cleanup", "[bold]x", "[@click=app.quit]boom[/]")


def make_app(plan: Plan | None = None, *, live: bool = False) -> CutoverApp:
    return CutoverApp(
        str(GP),
        load_path,
        FixedClock(AT_15),
        DashboardOptions(live=live),
        initial=plan or load_path(GP),
    )


def edited(plan: Plan, change: Callable[[dict[str, Any]], None]) -> Plan:
    """`plan` after `change` to its data, validated again like a new snapshot."""
    data = to_data(plan)
    change(data)
    return validate(data, str(GP))


def task_data(data: dict[str, Any], task_id: str) -> dict[str, Any]:
    return next(task for task in data["tasks"] if task["id"] == task_id)


def lines(gantt: Gantt) -> list[str]:
    """The text of every line the chart shows now."""
    return [gantt.render_line(y).text for y in range(gantt.size.height)]


def row_of(gantt: Gantt, task_id: str) -> str:
    """The line showing `task_id` (it must be on screen)."""
    found = [line for line in lines(gantt)[HEADER_LINES:] if f" {task_id} " in line[:24]]
    assert found, f"{task_id} is not on screen"
    return found[0]


def chart(gantt: Gantt, line: str) -> str:
    return line[gantt.label_width :]


async def open_timeline(pilot: Any) -> Gantt:
    await pilot.press("5")
    await pilot.pause()
    assert isinstance(pilot.app.screen, TimelineScreen)
    gantt = pilot.app.screen.query_one(Gantt)
    await pilot.pause()
    return gantt


async def test_key_5_opens_the_timeline_with_now_and_bars() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        gantt = await open_timeline(pilot)
        assert app.focused is gantt
        shown = lines(gantt)
        assert "NOW 15:00 GMT" in shown[1]
        assert "1 col = 1h" in shown[0]
        now_column = gantt.label_width + gantt.axis.column(AT_15) - round(gantt.scroll_x)
        assert 0 < now_column - gantt.label_width < gantt.chart_width
        assert sum(line[now_column] == "│" for line in shown[HEADER_LINES:]) > 10
        # PRE-15 (log-off, 16:30-16:45) is planned just after now: a planned bar, not started.
        assert PLANNED in chart(gantt, row_of(gantt, "PRE-15"))
        assert row_of(gantt, "PRE-15").startswith("○")
        # PRE-12 is in progress and late: actual work drawn up to now, marked in words too.
        pre_12 = row_of(gantt, "PRE-12")
        assert pre_12.startswith("▶⚠")
        assert "█" in chart(gantt, pre_12)
        assert "⚠ LATE" in chart(gantt, pre_12)
        assert "■ BLOCKED" in chart(gantt, row_of(gantt, "PRE-13"))
        assert "◆" in chart(gantt, row_of(gantt, "CUT-01"))  # final data production
        assert "FINAL DATA" in shown[1]


async def test_zoom_changes_the_scale_and_keeps_now_in_view() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        gantt = await open_timeline(pilot)
        await pilot.press("plus")
        await pilot.pause()
        assert "1 col = 15m" in lines(gantt)[0]
        assert "NOW 15:00 GMT" in lines(gantt)[1]
        await pilot.press("plus", "plus")
        await pilot.pause()
        assert "1 col = 5m" in lines(gantt)[0]  # the closest zoom stops there
        await pilot.press("minus", "minus", "minus", "minus", "minus", "minus")
        await pilot.pause()
        assert "1 col = 1d" in lines(gantt)[0]
        assert "NOW 15:00 GMT" in lines(gantt)[1]


async def test_n_scrolls_back_to_now() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        gantt = await open_timeline(pilot)
        await pilot.press("end", "ctrl+pagedown", "ctrl+pagedown", "ctrl+pagedown")
        await pilot.pause()
        assert "NOW" not in lines(gantt)[1]
        await pilot.press("n")
        await pilot.pause()
        assert "NOW 15:00 GMT" in lines(gantt)[1]
        assert "PRE-11" in "".join(lines(gantt))  # the work under way is in view again


async def test_scrolling_moves_rows_and_time_under_fixed_labels() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        gantt = await open_timeline(pilot)
        top = lines(gantt)[HEADER_LINES]
        await pilot.press("pagedown")
        await pilot.pause()
        assert lines(gantt)[HEADER_LINES] != top
        await pilot.press("home")
        await pilot.pause()
        assert lines(gantt)[HEADER_LINES] == top
        left = gantt.scroll_x
        await pilot.press("right")
        await pilot.pause()
        assert gantt.scroll_x > left
        assert lines(gantt)[0].startswith(" 46 tasks")  # the label column does not scroll


async def test_critical_path_rows_are_marked_in_the_label() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        gantt = await open_timeline(pilot)
        plan = load_path(GP)
        critical = {task.id for task in insight.critical_path(plan)}
        await pilot.press("home")
        await pilot.pause()
        for line in lines(gantt)[HEADER_LINES:]:
            words = line[: gantt.label_width].split()
            task_id = next((word for word in words if word in plan.task_by_id), None)
            if task_id is not None:
                assert ("CP" in words) == (task_id in critical), line


async def test_contingency_is_last_and_drawn_from_now() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        gantt = await open_timeline(pilot)
        await pilot.press("end")
        await pilot.pause()
        shown = lines(gantt)
        heading = next(line for line in shown if "Contingency" in line)
        assert "if rolled back now, done by Fri 04 Dec 16:30 GMT" in heading
        assert "░" in chart(gantt, row_of(gantt, "CON-01"))
        assert "not in a rollback now" in row_of(gantt, "CON-03")


async def test_the_rollback_end_follows_the_minute() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        gantt = await open_timeline(pilot)
        await pilot.press("end")
        await pilot.pause()
        gantt.show_time(AT_15 + timedelta(minutes=7))  # same 1h column, a new minute
        await pilot.pause()
        heading = next(line for line in lines(gantt) if "Contingency" in line)
        assert "done by Fri 04 Dec 16:37 GMT" in heading


async def test_hostile_titles_render_literally() -> None:
    def hostile(data: dict[str, Any]) -> None:
        for task, title in zip(data["tasks"][10:], HOSTILE, strict=False):
            task["title"] = title

    app = make_app(edited(load_path(GP), hostile))
    async with app.run_test(size=(160, 48)) as pilot:
        gantt = await open_timeline(pilot)
        shown = "\n".join(lines(gantt))
        for title in HOSTILE:
            assert title in shown
        assert app.is_running


async def test_every_line_fills_the_width_exactly_even_with_wide_characters() -> None:
    def wide(data: dict[str, Any]) -> None:
        task_data(data, "PRE-11")["title"] = (
            "移行データの最終確認と検証作業を行う 🚀 then more words"
        )

    for size in ((160, 48), (80, 24)):
        async with make_app(edited(load_path(GP), wide)).run_test(size=size) as pilot:
            gantt = await open_timeline(pilot)
            strips = [gantt.render_line(y) for y in range(gantt.size.height)]
            assert {strip.cell_length for strip in strips} == {gantt.size.width}
            label = row_of(gantt, "PRE-11")
            assert "移行データ" in label
            assert "…" in label


async def test_a_new_snapshot_updates_bars_in_place() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        gantt = await open_timeline(pilot)
        await pilot.press("pagedown")
        await pilot.pause()
        position = (gantt.scroll_x, gantt.scroll_y)
        top = lines(gantt)[HEADER_LINES][:24]

        def start_cut_03(data: dict[str, Any]) -> None:
            task = task_data(data, "CUT-03")
            task["status"] = "in-progress"
            task["actual_start"] = "2026-12-04T14:00:00Z"

        await pilot.press("home")
        await pilot.pause()
        before = row_of(gantt, "CUT-03")
        app.accept(edited(load_path(GP), start_cut_03))
        await pilot.pause()
        assert app.screen.query_one(Gantt) is gantt
        after = row_of(gantt, "CUT-03")
        assert after != before
        assert after.startswith("▶")
        assert "▶ in progress" in chart(gantt, after)
        await pilot.press("pagedown")
        await pilot.pause()
        assert (gantt.scroll_x, gantt.scroll_y) == position
        assert lines(gantt)[HEADER_LINES][:24] == top


async def test_a_snapshot_keeps_the_scroll_position() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        gantt = await open_timeline(pilot)
        await pilot.press("pagedown", "right", "right")
        await pilot.pause()
        position = (gantt.scroll_x, gantt.scroll_y)
        app.accept(edited(load_path(GP), lambda data: data.update(revision=18)))
        await pilot.pause()
        assert (gantt.scroll_x, gantt.scroll_y) == position


async def test_a_tick_repaints_only_when_the_now_column_or_lateness_changes() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        gantt = await open_timeline(pilot)
        refreshed: list[tuple[Region, ...]] = []
        original = gantt.refresh

        def counting_refresh(*regions: Any, **kwargs: Any) -> Gantt:
            refreshed.append(regions)
            return original(*regions, **kwargs)

        gantt.refresh = counting_refresh  # type: ignore[method-assign]
        gantt.show_time(AT_15 + timedelta(seconds=1))
        gantt.show_time(AT_15 + timedelta(seconds=30))
        assert refreshed == []  # same column, same minute: nothing to paint
        gantt.show_time(AT_15 + timedelta(minutes=1))
        # The NOW label's minute: the axis lines, and the rollback's end on the heading line.
        assert refreshed
        assert all(regions != () and regions[0].height <= 2 for regions in refreshed)
        gantt.show_time(AT_15 + timedelta(hours=1))
        assert refreshed[-1] == ()  # the now line moved a column: everything
        assert "NOW 16:00 GMT" in lines(gantt)[1]


async def test_tasks_turn_late_as_time_passes() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        gantt = await open_timeline(pilot)
        assert row_of(gantt, "PRE-15").startswith("○ ")
        later = datetime(2026, 12, 4, 16, 31, tzinfo=UTC)  # after its planned start
        app.clock = FixedClock(later)  # so the once-a-second tick keeps this time
        app.now = later
        await pilot.pause()
        assert row_of(gantt, "PRE-15").startswith("○⚠")
        assert "⚠ LATE" in chart(gantt, row_of(gantt, "PRE-15"))


async def test_unscheduled_tasks_and_rehearsal_only_tasks() -> None:
    def add_tasks(data: dict[str, Any]) -> None:
        data["tasks"][:0] = [
            {"id": "NO-TIME", "title": "Phone the bank", "phase": "pre-cutover"},
            {"id": "DRY-RUN", "title": "Dry run only", "phase": "pre-cutover",
             "rehearsal_only": True, "planned_start": "2026-12-04T15:00:00Z", "duration": "1h"},
        ]  # fmt: skip

    plan = edited(load_path(GP), add_tasks)
    async with make_app(plan).run_test(size=(160, 48)) as pilot:
        gantt = await open_timeline(pilot)
        await pilot.press("home")
        await pilot.pause()
        assert "unscheduled" in row_of(gantt, "NO-TIME")
        assert "DRY-RUN" in "".join(lines(gantt))
    async with make_app(plan, live=True).run_test(size=(160, 48)) as pilot:
        gantt = await open_timeline(pilot)
        await pilot.press("home")
        await pilot.pause()
        assert "DRY-RUN" not in "".join(lines(gantt))
        assert "NO-TIME" in "".join(lines(gantt))


async def test_zone_toggle_relabels_the_axis() -> None:
    def summer(data: dict[str, Any]) -> None:
        data["plan"]["timezone"] = "Asia/Kolkata"

    async with make_app(edited(load_path(GP), summer)).run_test(size=(160, 48)) as pilot:
        gantt = await open_timeline(pilot)
        assert "NOW 20:30 IST" in lines(gantt)[1]
        await pilot.press("u")
        await pilot.pause()
        assert "NOW 15:00 UTC" in lines(gantt)[1]


async def test_a_big_plan_opens_and_scrolls() -> None:
    from make_plan import make_plan  # type: ignore[import-not-found]

    plan = validate(make_plan(2_000, seed=3), "big")
    async with make_app(plan).run_test(size=(160, 48)) as pilot:
        gantt = await open_timeline(pilot)
        await pilot.press("end")
        await pilot.pause()
        assert row_of(gantt, plan.tasks[-1].id)
        await pilot.press("pageup", "minus", "n")
        await pilot.pause()
        assert "NOW" in lines(gantt)[1]
