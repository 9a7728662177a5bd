"""Pilot tests of the Tasks screen (2): the table, filters, search, sort, detail, live updates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rich.text import Text
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static
from textual.widgets.data_table import ColumnKey

from cutover_tui.app import CutoverApp, DashboardOptions
from cutover_tui.model import Plan, load_path, to_data, validate
from cutover_tui.screens.task_detail import TaskDetailModal
from cutover_tui.screens.tasks import TasksScreen
from cutover_tui.widgets.task_board import COLUMN_KEYS, Cell, TaskBoard, TimeCells
from cutover_tui.widgets.task_filters import TaskFilters
from cutover_tui.widgets.value_label import ValueLabel

AT_15 = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
NOTES = "Line one\n[@click=app.quit]x[/]\n  indented [bold]line three"


def plan_data() -> dict[str, Any]:
    """Six tasks: one of each status, a late one, hostile text, a rehearsal-only task."""
    return {
        "schema_version": 1,
        "plan": {
            "id": "tasks-test",
            "title": "Tasks screen test",
            "timezone": "Europe/London",
            "final_data_production": "2026-12-04T17:00:00Z",
        },
        "tasks": [
            {
                "id": "A1",
                "title": "Extract the data",
                "phase": "pre-cutover",
                "status": "done",
                "party": "customer",
                "owner": "Alice",
                "workstream": "Data",
                "planned_start": "2026-12-04T10:00:00Z",
                "planned_end": "2026-12-04T11:00:00Z",
                "actual_start": "2026-12-04T10:05:00Z",
                "actual_end": "2026-12-04T10:50:00Z",
            },
            {
                "id": "A2",
                "title": "Tell the patients",
                "phase": "pre-cutover",
                "status": "in-progress",
                "party": "shared",
                "owner": "Bob",
                "workstream": "Comms",
                "planned_start": "2026-12-04T12:00:00Z",
                "planned_end": "2026-12-04T14:00:00Z",
                "actual_start": "2026-12-04T12:10:00Z",
                "depends_on": ["A1"],
            },
            {
                "id": "A3",
                "title": "[red]DONE[/]",
                "phase": "cutover",
                "party": "provider",
                "owner": "[red]DONE[/]",
                "workstream": "Data",
                "planned_start": "2026-12-04T15:30:00Z",
                "duration": "1h",
                "depends_on": ["A2"],
            },
            {
                "id": "A4",
                "title": "[/tmp] cleanup",
                "phase": "cutover",
                "status": "blocked",
                "party": "provider",
                "owner": "Carol",
                "workstream": "Hardware",
                "planned_start": "2026-12-04T17:00:00Z",
                "planned_end": "2026-12-04T18:30:00Z",
                "depends_on": ["A2"],
                "notes": NOTES,
            },
            {
                "id": "A5",
                "title": "Rehearse the restore",
                "phase": "post-cutover",
                "rehearsal_only": True,
                "owner": "Bob",
            },
            {
                "id": "A6",
                "title": "[@click=app.quit]x[/]",
                "phase": "contingency",
                "status": "failed",
                "owner": "Carol",
            },
        ],
        "blockers": [
            {
                "id": "B1",
                "title": "[bold]x",
                "severity": "high",
                "tasks": ["A4"],
                "owner": "Dana",
                "raised_at": "2026-12-04T13:00:00Z",
            },
            {
                "id": "B2",
                "title": "Old and fixed",
                "severity": "low",
                "status": "resolved",
                "tasks": ["A4"],
                "raised_at": "2026-12-04T09:00:00Z",
                "resolved_at": "2026-12-04T09:30:00Z",
            },
        ],
        "log": [
            {"at": "2026-12-04T14:00:00Z", "actor": "Carol", "text": "first entry", "ref": "A4"},
            {"at": "2026-12-04T14:30:00Z", "actor": "Carol", "text": "second entry", "ref": "A4"},
            {"at": "2026-12-04T14:45:00Z", "text": "about another task", "ref": "A2"},
        ],
    }


PLAN = validate(plan_data(), "test")
ALL = ["A1", "A2", "A3", "A4", "A5", "A6"]


@dataclass
class SettableClock:
    """A frozen clock the test can move (the app re-reads it every second)."""

    at: datetime
    simulated = True

    def now(self) -> datetime:
        return self.at


def make_app(
    plan: Plan = PLAN, at: datetime = AT_15, **options: Any
) -> tuple[CutoverApp, SettableClock]:
    clock = SettableClock(at)
    app = CutoverApp("test.toml", load_path, clock, DashboardOptions(**options), initial=plan)
    return app, clock


def edited(plan: Plan, change: Callable[[dict[str, Any]], None]) -> Plan:
    data = to_data(plan)
    change(data)
    return validate(data, "test")


def board(app: CutoverApp) -> TaskBoard:
    return app.screen.query_one(TaskBoard)


def cell(app: CutoverApp, task_id: str, column: str) -> str:
    value = board(app).get_cell(task_id, column)
    assert isinstance(value, Cell)
    return value.text


def summary(app: CutoverApp) -> str:
    shown = app.screen.query_one("#task-summary", ValueLabel).render()
    assert isinstance(shown, Content)
    return shown.plain


def painted(table: TaskBoard) -> str:
    """What the table draws on screen, as plain text."""
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


def detail_text(app: CutoverApp) -> str:
    shown = app.screen.query_one("#task-detail-text", Static).render()
    assert isinstance(shown, Content)
    return shown.plain


async def open_tasks(pilot: Pilot[None]) -> None:
    await pilot.press("2")
    await pilot.pause()


# --- the table ----------------------------------------------------------------------------


async def test_key_2_shows_every_task_in_plan_order_with_words_and_marks() -> None:
    app, _ = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        assert isinstance(app.screen, TasksScreen)
        table = board(app)
        assert table.shown_ids == ALL
        assert table.has_focus
        assert cell(app, "A1", "status") == "✔ done"
        assert cell(app, "A2", "status") == "▶ in progress"
        assert cell(app, "A3", "status") == "· not started"
        assert cell(app, "A4", "status") == "■ blocked"
        assert cell(app, "A6", "status") == "✖ failed"
        assert cell(app, "A2", "late") == "⚠ LATE"
        assert cell(app, "A1", "late") == ""
        assert cell(app, "A2", "critical") == "◆"  # A1 → A2 → A4 is the longest chain
        assert cell(app, "A2", "planned_end") == "Fri 14:00"
        assert cell(app, "A1", "actual_end") == "Fri 10:50"
        assert str(table.columns[ColumnKey("planned_start")].label) == "Start GMT"
        assert summary(app).startswith("All 6 tasks")
        screen_text = painted(table)
        assert "⚠ LATE" in screen_text
        assert "Start GMT" in screen_text


async def test_times_follow_the_zone_switch() -> None:
    app, _ = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        await pilot.press("u")
        await pilot.pause()
        assert str(board(app).columns[ColumnKey("planned_start")].label) == "Start UTC"
        assert cell(app, "A2", "planned_end") == "Fri 14:00"


def test_times_across_a_dst_change_carry_their_own_zone() -> None:
    zone = ZoneInfo("Europe/London")
    summer = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    winter = datetime(2026, 10, 26, 12, 0, tzinfo=UTC)
    times = TimeCells([summer, winter], zone, summer)
    assert times.label is None
    assert times(summer).text == "Sat 13:00 BST"
    assert times(winter).text == "Mon 12:00 GMT"
    assert times(None).text == ""


async def test_rehearsal_only_tasks_are_hidden_when_live() -> None:
    app, _ = make_app(live=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        assert "A5" not in board(app).shown_ids
        assert "1 rehearsal-only hidden" in summary(app)


# --- filters, search, sort ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("select_id", "value", "expected"),
    [
        ("phase", "cutover", ["A3", "A4"]),
        ("party", "provider", ["A3", "A4"]),
        ("owner", "Carol", ["A4", "A6"]),
        ("owner", "[red]DONE[/]", ["A3"]),
        ("workstream", "Data", ["A1", "A3"]),
        ("status", "blocked", ["A4"]),
    ],
)
async def test_each_filter_narrows_the_table_and_says_so(
    select_id: str, value: str, expected: list[str]
) -> None:
    app, _ = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        await pilot.press("f")
        await pilot.pause()
        bar = app.screen.query_one(TaskFilters)
        assert bar.display
        select: Select[str] = bar.query_one(f"#filter-{select_id}", Select)
        select.value = value
        await pilot.pause()
        assert board(app).shown_ids == expected
        line = summary(app)
        assert f"FILTERED  showing {len(expected)} of 6" in line
        assert f"{select_id} " in line
        await pilot.press("x")  # clear filters
        await pilot.pause()
        assert board(app).shown_ids == ALL
        assert select.is_blank()


async def test_filters_combine_and_escape_hides_the_bar_but_keeps_them() -> None:
    app, _ = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        await pilot.press("f")
        await pilot.pause()
        bar = app.screen.query_one(TaskFilters)
        bar.query_one("#filter-phase", Select).value = "cutover"
        bar.query_one("#filter-owner", Select).value = "Carol"
        await pilot.pause()
        assert board(app).shown_ids == ["A4"]
        await pilot.press("escape")
        await pilot.pause()
        assert not bar.display
        assert board(app).has_focus
        assert board(app).shown_ids == ["A4"]
        assert "phase cutover" in summary(app)


async def test_late_only_toggles_with_l() -> None:
    app, _ = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert board(app).shown_ids == ["A2"]
        assert "showing 1 of 6" in summary(app)
        assert "late only" in summary(app)
        await pilot.press("l")
        await pilot.pause()
        assert board(app).shown_ids == ALL


async def test_search_matches_id_title_owner_workstream_and_notes_and_escape_clears() -> None:
    app, _ = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        await pilot.press("slash")
        search = app.screen.query_one("#task-search", Input)
        assert search.display
        assert search.has_focus
        for query, expected in [
            ("CLEAN", ["A4"]),  # title, any case
            ("hardware", ["A4"]),  # workstream
            ("bob", ["A2", "A5"]),  # owner
            ("a6", ["A6"]),  # id
            ("indented", ["A4"]),  # notes
            ("[red]", ["A3"]),  # brackets are just characters
        ]:
            search.value = query
            await pilot.pause()
            assert board(app).shown_ids == expected, query
        assert "search [red]" in summary(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not search.display
        assert search.value == ""
        assert board(app).shown_ids == ALL
        assert board(app).has_focus


async def test_enter_keeps_the_search_and_returns_to_the_table() -> None:
    app, _ = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        await pilot.press("slash", "d", "a", "t", "a", "enter")
        await pilot.pause()
        assert board(app).shown_ids == ["A1", "A3"]
        assert board(app).has_focus


async def test_sort_cycles_with_s_and_by_header_with_none_last_both_ways() -> None:
    app, _ = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        await pilot.press("s")  # plan order → critical path first
        await pilot.pause()
        assert board(app).shown_ids[:3] == ["A1", "A2", "A4"]
        assert "sorted by critical path first" in summary(app)
        table = board(app)

        def header() -> DataTable.HeaderSelected:
            return DataTable.HeaderSelected(table, ColumnKey("planned_start"), 5, Text("Start"))

        table.post_message(header())
        await pilot.pause()
        assert table.shown_ids == ["A1", "A2", "A3", "A4", "A5", "A6"]
        table.post_message(header())  # the same header again: reversed, undated still last
        await pilot.pause()
        assert table.shown_ids == ["A4", "A3", "A2", "A1", "A5", "A6"]
        assert "sorted by planned start ↓" in summary(app)
        await pilot.press("S")
        await pilot.pause()
        assert table.shown_ids == ["A1", "A2", "A3", "A4", "A5", "A6"]


async def test_sort_keeps_the_cursor_on_the_same_task() -> None:
    app, _ = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        table = board(app)
        table.select_task("A4")
        await pilot.press("S")  # plan order reversed
        await pilot.pause()
        assert table.shown_ids == ALL[::-1]
        assert table.cursor_task_id == "A4"


# --- detail -------------------------------------------------------------------------------


async def test_enter_opens_the_detail_with_waits_blockers_notes_and_log() -> None:
    app, _ = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        board(app).select_task("A4")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TaskDetailModal)
        text = detail_text(app)
        assert text.startswith("[/tmp] cleanup\n■ blocked")
        assert "◆ critical path" in text
        waits = text.split("Waits for (1)\n")[1]
        assert waits.startswith("  ▶ in progress  A2  Tell the patients")
        assert "Waited on by (0)" in text
        assert NOTES in text  # literally, every line
        blockers = text.split("Blockers (2)\n")[1]
        assert blockers.index("B1") < blockers.index("B2")  # open before resolved
        assert "▲ HIGH" in blockers
        assert "open" in blockers
        assert "[bold]x" in blockers
        assert "resolved" in blockers
        log = text.split("Log, newest first (2)\n")[1]
        assert log.index("second entry") < log.index("first entry")
        assert "about another task" not in log
        assert "Sat" not in text  # every time in the plan's zone and day
        assert "Fri 04 Dec 17:00 GMT" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TasksScreen)


async def test_detail_lists_what_waits_for_a_task() -> None:
    app, _ = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        board(app).select_task("A2")
        await pilot.press("enter")
        await pilot.pause()
        text = detail_text(app)
        assert "Waits for (1)\n  ✔ done" in text
        followers = text.split("Waited on by (2)\n")[1]
        assert "A3  [red]DONE[/]" in followers
        assert "A4  [/tmp] cleanup" in followers
        assert "⚠ LATE since Fri 04 Dec 14:00 GMT" in text
        assert "No entries." not in text
        assert "about another task" in text


async def test_detail_follows_a_new_snapshot() -> None:
    app, _ = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        board(app).select_task("A3")
        await pilot.press("enter")
        await pilot.pause()
        assert "· not started" in detail_text(app)
        app.accept(edited(PLAN, lambda d: d["tasks"][2].update(status="in-progress")))
        await pilot.pause()
        assert "▶ in progress" in detail_text(app)


# --- live updates -------------------------------------------------------------------------


async def test_a_new_snapshot_updates_changed_cells_in_place() -> None:
    app, _ = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        table = board(app)
        table.select_task("A3")
        calls: list[tuple[str, str]] = []
        update_cell = table.update_cell

        def spy(row_key: Any, column_key: Any, value: Any, **kwargs: Any) -> None:
            calls.append((str(row_key), str(column_key)))
            update_cell(row_key, column_key, value, **kwargs)

        table.update_cell = spy  # type: ignore[method-assign]
        table.clear = None  # type: ignore[assignment,method-assign]  # a rebuild would fail

        def start_a3(data: dict[str, Any]) -> None:
            data["tasks"][2].update(status="in-progress", actual_start="2026-12-04T14:55:00Z")

        app.accept(edited(PLAN, start_a3))
        await pilot.pause()
        assert table.row_count == 6
        assert table.cursor_task_id == "A3"
        assert cell(app, "A3", "status") == "▶ in progress"
        assert cell(app, "A3", "actual_start") == "Fri 14:55"
        assert sorted(calls) == [("A3", "actual_start"), ("A3", "status")]


async def test_a_new_snapshot_adds_and_removes_rows_by_id() -> None:
    app, _ = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        table = board(app)
        table.select_task("A4")

        def change(data: dict[str, Any]) -> None:
            del data["tasks"][0]  # A1 goes
            data["tasks"][0]["depends_on"] = []
            data["tasks"].append({"id": "A7", "title": "New step", "phase": "post-cutover"})

        app.accept(edited(PLAN, change))
        await pilot.pause()
        assert table.shown_ids == ["A2", "A3", "A4", "A5", "A6", "A7"]
        assert table.cursor_task_id == "A4"


async def test_a_task_turns_late_on_the_tick_it_crosses_and_idle_ticks_touch_nothing() -> None:
    app, clock = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        table = board(app)
        calls: list[str] = []
        update_cell = table.update_cell

        def spy(row_key: Any, column_key: Any, value: Any, **kwargs: Any) -> None:
            calls.append(f"{row_key}:{column_key}")
            update_cell(row_key, column_key, value, **kwargs)

        table.update_cell = spy  # type: ignore[method-assign]
        assert cell(app, "A3", "late") == ""
        for seconds in (1, 2, 30 * 60):  # 15:30:00 exactly is not yet late
            clock.at = app.now = AT_15 + timedelta(seconds=seconds)
            await pilot.pause()
        assert calls == []
        assert cell(app, "A3", "late") == ""
        clock.at = app.now = AT_15 + timedelta(minutes=30, seconds=1)
        await pilot.pause()
        assert cell(app, "A3", "late") == "⚠ LATE"
        assert calls == ["A3:late"]
        await pilot.press("l")
        await pilot.pause()
        assert table.shown_ids == ["A2", "A3"]
        clock.at = app.now = AT_15  # a rehearsal clock set back: A3 is on time again
        await pilot.pause()
        assert table.shown_ids == ["A2"]


# --- hostile text, kiosk, size ------------------------------------------------------------


async def test_hostile_text_shows_literally_and_runs_nothing() -> None:
    app, _ = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        assert cell(app, "A3", "title") == "[red]DONE[/]"
        assert cell(app, "A3", "owner") == "[red]DONE[/]"
        assert cell(app, "A4", "title") == "[/tmp] cleanup"
        assert cell(app, "A6", "title") == "[@click=app.quit]x[/]"
        screen_text = painted(board(app))
        for text in ("[red]DONE[/]", "[/tmp] cleanup", "[@click=app.quit]x[/]"):
            assert text in screen_text
        await pilot.press("f")
        await pilot.pause()
        owner: Select[str] = app.screen.query_one("#filter-owner", Select)
        owner.value = "[red]DONE[/]"
        await pilot.pause()
        shown = owner.query_one("#label", Static).render()
        assert isinstance(shown, Text | Content)
        assert shown.plain == "[red]DONE[/]"
        await pilot.press("x", "escape")
        board(app).select_task("A6")
        await pilot.press("enter")
        await pilot.pause()
        assert "[@click=app.quit]x[/]" in detail_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, TasksScreen)


async def test_kiosk_puts_late_tasks_first_and_ignores_the_screen_keys() -> None:
    app, _ = make_app(kiosk_seconds=1000)
    async with app.run_test(size=(160, 48)) as pilot:
        app.switch_mode("tasks")
        await pilot.pause()
        table = board(app)
        assert table.shown_ids == ["A2", "A1", "A3", "A4", "A5", "A6"]
        assert "late first" in summary(app)
        await pilot.press("l", "s", "slash")
        await pilot.pause()
        assert table.shown_ids == ["A2", "A1", "A3", "A4", "A5", "A6"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TasksScreen)  # nothing opens on a wall display


@pytest.mark.parametrize("size", [(80, 24), (250, 60)])
async def test_the_title_takes_the_width_there_is(size: tuple[int, int]) -> None:
    app, _ = make_app()
    async with app.run_test(size=size) as pilot:
        await open_tasks(pilot)
        table = board(app)
        title = table.columns[ColumnKey("title")]
        assert title.width >= 30
        assert table.virtual_size.width >= table.scrollable_content_region.width
        assert "Extract the data" in painted(table)


# --- big plans ----------------------------------------------------------------------------


async def test_a_big_plan_fills_every_row_without_measuring() -> None:
    from make_plan import make_plan  # type: ignore[import-not-found]  # bench/, via conftest

    plan = validate(make_plan(2_000, seed=3), "bench")
    app, _ = make_app(plan)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        table = board(app)
        assert table.row_count == 2_000
        assert table.shown_ids == [task.id for task in plan.tasks]
        assert table.virtual_size.height == 2_001  # rows plus the header
        assert all(
            column.content_width <= len(str(column.label)) for column in table.columns.values()
        )
        await pilot.press("l")
        await pilot.pause()
        late = table.row_count
        assert 0 < late < 2_000
        await pilot.press("l")  # back to everything: a refill, not 1,900 single adds
        await pilot.pause()
        assert table.shown_ids == [task.id for task in plan.tasks]


async def test_bulk_rows_match_what_stock_add_row_builds() -> None:
    rows = [(f"T{n}", tuple(Cell(f"{key}{n}") for key in COLUMN_KEYS)) for n in range(50)]
    app, _ = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_tasks(pilot)
        bulk = board(app)
        bulk.show_rows(rows)
        stock = TaskBoard()
        await app.screen.mount(stock)
        for key, row in rows:
            stock.add_row(*row, key=key)
        await pilot.pause()
        assert bulk.shown_ids == stock.shown_ids == [key for key, _ in rows]
        for index in (0, 17, 49):
            assert bulk.get_row_at(index) == stock.get_row_at(index)
        assert [row.height for row in bulk.ordered_rows] == [1] * 50
        assert bulk.cursor_task_id == "T0"
