"""A new snapshot on the Tasks screen: only the rows of what changed are made again.

Plans are generated (`bench/make_plan.py`) and each new version is loaded as the file source
loads it, from the plan before (`load_bytes(..., previous=...)`), so tasks carried over are the
very same objects. Whatever path a snapshot takes, the table must end up as a fresh one would.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, Select
from textual.widgets.data_table import ColumnKey

from cutover_tui import clock as clocks
from cutover_tui import insight
from cutover_tui.app import CutoverApp, DashboardOptions
from cutover_tui.insight.schedule import task_span
from cutover_tui.messages import SnapshotReceived
from cutover_tui.model import Plan, lineage, load_bytes
from cutover_tui.screens.tasks import STATUS_RANK
from cutover_tui.sync import Snapshot
from cutover_tui.widgets.task_board import Row, RowMaker, TaskBoard, TimeCells
from cutover_tui.widgets.task_filters import TaskFilters
from cutover_tui.widgets.value_label import ValueLabel
from make_plan import DEFAULT_NOW, make_plan, render  # type: ignore[import-not-found]  # bench/

NOW = DEFAULT_NOW
"""2026-12-04 15:00 UTC, the moment the generated plan's statuses agree with."""
SIZE = 300


class Feed:
    """A generated plan document, edited and reloaded as the file source does it."""

    def __init__(self) -> None:
        self.document = make_plan(SIZE, seed=3)
        self.plan = load_bytes(self._bytes(), "plan.json", "json")

    def _bytes(self) -> bytes:
        return render(self.document, "json").encode()

    def task(self, task_id: str) -> dict[str, Any]:
        return next(task for task in self.document["tasks"] if task["id"] == task_id)

    def edit(self, change: Callable[[dict[str, Any]], object]) -> Plan:
        """The plan after `change` to the document, loaded from the plan before it."""
        change(self.document)
        self.plan = load_bytes(self._bytes(), "plan.json", "json", previous=self.plan)
        assert lineage(self.plan) is not None  # loaded incrementally
        return self.plan

    def start(self, task_id: str) -> Plan:
        return self.edit(lambda _: self.task(task_id).update(status="in-progress", actual_start=AT))

    def ids(self, keep: Callable[[dict[str, Any]], bool] = lambda _: True) -> list[str]:
        return [task["id"] for task in self.document["tasks"] if keep(task)]

    def waiting(self) -> list[str]:
        """Tasks not started and not due yet, off the critical path: starting one changes
        nothing but its own row."""
        critical = {task.id for task in insight.critical_path(self.plan)}
        return self.ids(
            lambda task: (
                task.get("status", "not-started") == "not-started"
                and task.get("planned_start", "") > "2026-12-04T16"
                and task["phase"] != "contingency"
                and not task.get("rehearsal_only")
                and task["id"] not in critical
            )
        )

    def leaves(self) -> list[str]:
        """Tasks no other task depends on (they can be removed)."""
        needed = {need for task in self.document["tasks"] for need in task.get("depends_on", [])}
        return self.ids(lambda task: task["id"] not in needed)


AT = "2026-12-04T14:58:00Z"


@pytest.fixture
def feed() -> Feed:
    return Feed()


@pytest.fixture(autouse=True)
def frozen_flashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Flashes end only when the test moves this clock (never): a slow machine cannot end one
    before the test has looked at it."""
    monkeypatch.setattr(clocks, "monotonic", lambda: 1_000.0)


def make_app(plan: Plan, **options: Any) -> CutoverApp:
    return CutoverApp(
        "plan.json", lambda _: plan, clocks.FixedClock(NOW), DashboardOptions(**options), plan
    )


async def open_tasks(pilot: Pilot[None]) -> TaskBoard:
    await pilot.press("2")
    await pilot.pause()
    return pilot.app.screen.query_one(TaskBoard)


async def receive(pilot: Pilot[None], plan: Plan) -> None:
    """Deliver `plan` as the source would: a `SnapshotReceived` message."""
    app = pilot.app
    assert isinstance(app, CutoverApp)
    app.post_message(SnapshotReceived(Snapshot(plan, app.source, NOW, clocks.monotonic())))
    await pilot.pause()


def rows_of(table: TaskBoard) -> dict[str, Row]:
    return dict(table._shown)


def remade(before: dict[str, Row], after: dict[str, Row]) -> set[str]:
    """The rows that are new objects (rows of tasks new to the table included)."""
    return {task_id for task_id, row in after.items() if before.get(task_id) is not row}


def summary(app: CutoverApp) -> str:
    shown = app.screen.query_one("#task-summary", ValueLabel).render()
    assert isinstance(shown, Content)
    return shown.plain


def assert_as_made_afresh(app: CutoverApp, plan: Plan) -> None:
    """Every row on display is what a fresh `RowMaker` makes of `plan`, and the table holds
    it (flashing aside): an incremental update ends where a whole one would."""
    live = app.options.live
    tasks = [task for task in plan.tasks if not (live and task.rehearsal_only)]
    make_row = RowMaker(tasks, app.zone, plan.header.final_data_production)
    late = insight.plan_index(plan).late_ids(app.now)
    critical = {task.id for task in insight.critical_path(plan)}
    by_id = {task.id: task for task in tasks}
    table = app.screen.query_one(TaskBoard)
    assert list(table._shown) == table.shown_ids
    for task_id, row in table._shown.items():
        task = by_id[task_id]
        assert row == make_row(task, late=task_id in late, critical=task_id in critical)
        assert tuple(cell._replace(flash=False) for cell in table.get_row(task_id)) == row


def refuse_full_path(table: TaskBoard) -> None:
    """Make the table fail if the screen lays it out again instead of updating rows in place."""

    def show_rows(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the table was laid out again")

    table.show_rows = show_rows  # type: ignore[method-assign]


# --- one task changes ---------------------------------------------------------------------


async def test_one_changed_task_makes_one_row_and_updates_it_in_place(feed: Feed) -> None:
    app = make_app(feed.plan)
    changing, cursor = feed.waiting()[0], feed.waiting()[-1]
    async with app.run_test(size=(160, 48)) as pilot:
        table = await open_tasks(pilot)
        table.select_task(cursor)
        before = rows_of(table)
        refuse_full_path(table)
        await receive(pilot, feed.start(changing))
        after = rows_of(table)
        assert remade(before, after) == {changing}
        assert list(after) == list(before)
        assert table.get_cell(changing, "status").text == "▶ in progress"
        assert table.get_cell(changing, "actual_start").text == "Fri 04 14:58"
        assert table.cursor_task_id == cursor
        assert table.flashing_cells == {changing: {"id", "status", "actual_start"}}
        assert table.get_cell(changing, "status").flash
        assert not table.get_cell(changing, "title").flash
        assert summary(app).startswith(f"All {SIZE} tasks")
        assert_as_made_afresh(app, feed.plan)


async def test_a_whole_reload_of_equal_tasks_keeps_every_row(feed: Feed) -> None:
    app = make_app(feed.plan)
    changing = feed.waiting()[0]
    async with app.run_test(size=(160, 48)) as pilot:
        table = await open_tasks(pilot)
        before = rows_of(table)
        refuse_full_path(table)
        feed.document["revision"] = feed.document.get("revision", 0) + 1
        feed.task(changing).update(status="blocked")
        whole = load_bytes(render(feed.document, "json").encode(), "plan.json", "json")
        assert lineage(whole) is None  # every task is another object
        await receive(pilot, whole)
        assert remade(before, rows_of(table)) == {changing}
        assert table.get_cell(changing, "status").text == "■ blocked"
        assert set(table.flashing_cells) == {changing}
        assert_as_made_afresh(app, whole)


async def test_marks_that_flip_are_redone_with_the_changed_rows(feed: Feed) -> None:
    app = make_app(feed.plan)
    async with app.run_test(size=(160, 48)) as pilot:
        table = await open_tasks(pilot)
        before = rows_of(table)
        critical = [task.id for task in insight.critical_path(feed.plan)]
        # The critical path's longest task becomes a minute long: the path goes elsewhere.
        longest = max(critical[1:-1], key=lambda task_id: task_span(feed.plan.task_by_id[task_id]))

        def shorten(_: object) -> None:
            task = feed.task(longest)
            task.pop("planned_end", None)
            task["duration"] = "1m"

        plan = feed.edit(shorten)
        await receive(pilot, plan)
        moved = set(critical) ^ {task.id for task in insight.critical_path(plan)}
        assert moved
        assert remade(before, rows_of(table)) == moved | {longest}
        assert_as_made_afresh(app, plan)


async def test_late_flags_that_flipped_while_the_screen_was_hidden(feed: Feed) -> None:
    app = make_app(feed.plan)
    async with app.run_test(size=(160, 48)) as pilot:
        table = await open_tasks(pilot)
        await pilot.press("1")
        later = NOW + timedelta(hours=3)
        app.clock = clocks.FixedClock(later)
        app.now = later
        plan = feed.start(feed.waiting()[-1])
        await receive(pilot, plan)
        table = await open_tasks(pilot)
        late = insight.plan_index(plan).late_ids(later)
        assert late > insight.plan_index(plan).late_ids(NOW)
        assert {task_id for task_id in late if table.get_cell(task_id, "late").text} == late
        assert_as_made_afresh(app, plan)


# --- filters, search, sort ----------------------------------------------------------------


async def set_filter(pilot: Pilot[None], select_id: str, value: str) -> None:
    bar = pilot.app.screen.query_one_optional(TaskFilters)
    if bar is None or not bar.display:
        await pilot.press("f")
        await pilot.pause()
        bar = pilot.app.screen.query_one(TaskFilters)
    select: Select[str] = bar.query_one(f"#filter-{select_id}", Select)
    select.value = value
    await pilot.pause()


async def test_a_changed_task_leaves_and_enters_a_status_filter(feed: Feed) -> None:
    app = make_app(feed.plan)
    leaving, entering, cursor = feed.waiting()[0], feed.waiting()[1], feed.waiting()[-1]

    def status_is(status: str) -> Callable[[dict[str, Any]], bool]:
        return lambda task: task.get("status", "not-started") == status

    async with app.run_test(size=(160, 48)) as pilot:
        table = await open_tasks(pilot)
        await set_filter(pilot, "status", "not-started")
        table.select_task(cursor)
        before = rows_of(table)
        await receive(pilot, feed.start(leaving))
        assert table.shown_ids == feed.ids(status_is("not-started"))
        assert leaving not in table.shown_ids
        assert remade(before, rows_of(table)) == set()  # the others' rows are kept
        assert table.cursor_task_id == cursor
        assert f"showing {len(before) - 1} of {SIZE}" in summary(app)
        await set_filter(pilot, "status", "in-progress")
        before = rows_of(table)
        await receive(pilot, feed.start(entering))
        assert table.shown_ids == feed.ids(status_is("in-progress"))
        assert entering in table.shown_ids
        assert remade(before, rows_of(table)) == {entering}
        assert table.flashing_cells[entering] >= {"id"}
        assert_as_made_afresh(app, feed.plan)


async def test_late_only_follows_tasks_that_finish_or_fall_late(feed: Feed) -> None:
    app = make_app(feed.plan)
    late_now = sorted(insight.plan_index(feed.plan).late_ids(NOW))
    finishing = late_now[0]
    done = feed.ids(lambda task: task.get("status") == "done")
    reverting = next(task_id for task_id in reversed(done) if task_id in feed.leaves())

    def late_ids() -> list[str]:
        late = insight.plan_index(feed.plan).late_ids(NOW)
        return [task.id for task in feed.plan.tasks if task.id in late]

    async with app.run_test(size=(160, 48)) as pilot:
        table = await open_tasks(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert table.shown_ids == late_ids()
        await receive(
            pilot,
            feed.edit(lambda _: feed.task(finishing).update(status="done", actual_end=AT)),
        )
        assert finishing not in table.shown_ids
        assert table.shown_ids == late_ids()

        def revert(_: object) -> None:
            task = feed.task(reverting)
            task["status"] = "in-progress"
            del task["actual_end"]

        await receive(pilot, feed.edit(revert))
        assert reverting in table.shown_ids
        assert table.shown_ids == late_ids()
        assert table.get_cell(reverting, "late").text == "⚠ LATE"
        assert_as_made_afresh(app, feed.plan)


async def test_search_follows_a_changed_title(feed: Feed) -> None:
    app = make_app(feed.plan)
    changing = feed.waiting()[3]
    async with app.run_test(size=(160, 48)) as pilot:
        table = await open_tasks(pilot)
        await pilot.press("slash")
        search = app.screen.query_one("#task-search", Input)
        search.value = "zebra"
        await pilot.pause()
        assert table.shown_ids == []
        await receive(
            pilot, feed.edit(lambda _: feed.task(changing).update(title="Feed the Zebra"))
        )
        assert table.shown_ids == [changing]
        assert table.get_cell(changing, "title").text == "Feed the Zebra"
        await receive(pilot, feed.edit(lambda _: feed.task(changing).update(title="Feed the cat")))
        assert table.shown_ids == []
        search.value = "cat"
        await pilot.pause()
        assert changing in table.shown_ids  # the search texts were patched, not left stale
        assert_as_made_afresh(app, feed.plan)


async def test_a_sort_value_that_changes_moves_the_row_and_others_stay_in_place(
    feed: Feed,
) -> None:
    app = make_app(feed.plan)
    failing, starting = feed.waiting()[-1], feed.waiting()[0]
    async with app.run_test(size=(160, 48)) as pilot:
        table = await open_tasks(pilot)
        for _ in range(4):  # plan, critical, id, title, status
            await pilot.press("s")
        await pilot.pause()
        assert "sorted by status" in summary(app)
        before = rows_of(table)
        await receive(pilot, feed.edit(lambda _: feed.task(failing).update(status="failed")))
        position = {task.id: k for k, task in enumerate(feed.plan.tasks)}
        by_status = sorted(
            feed.plan.tasks, key=lambda task: (STATUS_RANK[task.status], position[task.id])
        )
        assert table.shown_ids == [task.id for task in by_status]
        assert table.shown_ids[0] == failing
        assert remade(before, rows_of(table)) == {failing}
        await pilot.press(
            "s", "s", "s", "s", "s"
        )  # late, planned start, planned end, started, ended
        await pilot.pause()
        assert "sorted by actual end" in summary(app)
        order = table.shown_ids
        refuse_full_path(table)  # starting a task leaves its actual end as it was
        await receive(pilot, feed.start(starting))
        assert table.shown_ids == order
        assert table.get_cell(starting, "status").text == "▶ in progress"


# --- tasks come and go ------------------------------------------------------------------


async def test_tasks_added_and_removed_keep_the_other_rows_and_the_cursor(feed: Feed) -> None:
    app = make_app(feed.plan)
    removing = feed.leaves()[len(feed.leaves()) // 2]
    cursor = feed.waiting()[-1]
    async with app.run_test(size=(160, 48)) as pilot:
        table = await open_tasks(pilot)
        table.select_task(cursor)
        before = rows_of(table)

        def change(document: dict[str, Any]) -> None:
            tasks = document["tasks"]
            tasks.remove(feed.task(removing))
            tasks.insert(SIZE // 3, {"id": "ADHOC-1", "title": "Ad hoc", "phase": "cutover"})

        await receive(pilot, feed.edit(change))
        assert table.shown_ids == feed.ids()
        assert removing not in table.shown_ids
        assert remade(before, rows_of(table)) == {"ADHOC-1"}
        assert table.cursor_task_id == cursor
        assert table.flashing_cells == {"ADHOC-1": {"id"}}
        assert summary(app).startswith(f"All {SIZE} tasks")
        assert_as_made_afresh(app, feed.plan)


async def test_kiosk_moves_a_task_that_falls_late_to_the_top(feed: Feed) -> None:
    app = make_app(feed.plan, kiosk_seconds=1000)
    done = feed.ids(lambda task: task.get("status") == "done")
    reverting = next(task_id for task_id in reversed(done) if task_id in feed.leaves())
    async with app.run_test(size=(160, 48)) as pilot:
        app.switch_mode("tasks")
        await pilot.pause()
        table = app.screen.query_one(TaskBoard)

        def revert(_: object) -> None:
            task = feed.task(reverting)
            task["status"] = "in-progress"
            del task["actual_end"]

        await receive(pilot, feed.edit(revert))
        late = insight.plan_index(feed.plan).late_ids(NOW)
        ids = feed.ids()
        assert reverting in late
        assert table.shown_ids == [i for i in ids if i in late] + [i for i in ids if i not in late]
        assert_as_made_afresh(app, feed.plan)


async def test_live_keeps_hiding_rehearsal_only_tasks_as_they_change(feed: Feed) -> None:
    app = make_app(feed.plan, live=True)
    hidden = feed.ids(lambda task: bool(task.get("rehearsal_only")))
    hiding = feed.waiting()[2]
    async with app.run_test(size=(160, 48)) as pilot:
        table = await open_tasks(pilot)
        assert hidden
        assert not set(hidden) & set(table.shown_ids)
        before = rows_of(table)
        await receive(pilot, feed.start(hidden[0]))
        assert rows_of(table) == before
        assert remade(before, rows_of(table)) == set()
        await receive(pilot, feed.edit(lambda _: feed.task(hiding).update(rehearsal_only=True)))
        assert table.shown_ids == feed.ids(lambda task: not task.get("rehearsal_only"))
        assert f"{len(hidden) + 1} rehearsal-only hidden" in summary(app)
        assert_as_made_afresh(app, feed.plan)


async def test_a_zone_switch_after_updates_remakes_every_time_cell(feed: Feed) -> None:
    app = make_app(feed.plan)
    async with app.run_test(size=(160, 48)) as pilot:
        table = await open_tasks(pilot)
        await receive(pilot, feed.start(feed.waiting()[0]))
        await pilot.press("u")
        await pilot.pause()
        assert app.zone == ZoneInfo("UTC")
        assert str(table.columns[ColumnKey("planned_start")].label) == "Start UTC"
        assert_as_made_afresh(app, feed.plan)


# --- time cells, patched --------------------------------------------------------------------


LONDON = ZoneInfo("Europe/London")
FRIDAY = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)


def test_time_cells_patched_with_moments_in_the_span_keep_their_format() -> None:
    times = TimeCells([FRIDAY, FRIDAY + timedelta(days=2)], LONDON, FRIDAY)
    cells = copy.copy(times._cells)
    assert times.patch([FRIDAY], [FRIDAY + timedelta(hours=1)])
    assert times(FRIDAY + timedelta(hours=1)).text == "Fri 18:00"
    assert times(FRIDAY + timedelta(days=2)) is cells[FRIDAY + timedelta(days=2)]
    assert (times.label, times.width) == ("GMT", 9)


def test_time_cells_say_when_a_patch_changes_their_format() -> None:
    wider = TimeCells([FRIDAY, FRIDAY + timedelta(days=2)], LONDON, FRIDAY)
    assert not wider.patch([], [FRIDAY + timedelta(days=7)])  # the day of the month is needed
    narrower = TimeCells([FRIDAY, FRIDAY + timedelta(days=7)], LONDON, FRIDAY)
    assert not narrower.patch([FRIDAY + timedelta(days=7)], [])
    summer = TimeCells([FRIDAY], LONDON, FRIDAY)
    assert not summer.patch([], [datetime(2026, 10, 24, 12, 0, tzinfo=UTC)])  # BST and GMT
    same = TimeCells([FRIDAY, FRIDAY], LONDON, FRIDAY)
    assert same.patch([FRIDAY], [])  # one of two uses goes: the moment stays
    assert same(FRIDAY).text == "Fri 17:00"
