"""The Tasks screen's order, worked out from the one on display, is the order made afresh.

Filtered, searched or sorted, or late tasks first (a wall display), a snapshot that adds,
removes or changes a few tasks, or a tick that makes some late, places only those tasks again
(`TasksScreen._place_again`). Random edits of generated plans, in every order the screen knows
and under a range of filters, check each outcome against the screen's whole path (`_show_rows`:
filter and sort every task), itself checked against the plan: same ids, same order, same cells.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import product
from typing import Any

import pytest
from textual.content import Content
from textual.widgets import DataTable

from cutover_tui import clock as clocks
from cutover_tui import insight
from cutover_tui.app import CutoverApp, DashboardOptions
from cutover_tui.messages import SnapshotReceived
from cutover_tui.model import Party, Phase, Plan, TaskStatus, lineage, load_bytes
from cutover_tui.screens.tasks import SORTS, TasksScreen
from cutover_tui.sync import Snapshot
from cutover_tui.widgets.task_board import RowMaker
from cutover_tui.widgets.task_filters import TaskFilter, search_text
from cutover_tui.widgets.value_label import ValueLabel
from make_plan import DEFAULT_NOW, make_plan, render  # type: ignore[import-not-found]  # bench/

NOW = DEFAULT_NOW
SIZE = 48
OWNERS = ("Cutover Manager", "Site Lead", "Comms Lead", None)
"""What an edit gives a task as owner: the first is the one an owner filter asks for."""
TITLES = ("Archive the old feed", "Brief the wards", "Check the ward printers", "Run the report")
FILTERS = (
    TaskFilter(),
    TaskFilter(owner=OWNERS[0]),
    TaskFilter(status=TaskStatus.NOT_STARTED),
    TaskFilter(late_only=True),
    TaskFilter(search="ar"),
    TaskFilter(phase=Phase.CUTOVER, party=Party.CUSTOMER, search="e"),
)
AT = "2026-12-04T14:58:00Z"


@pytest.fixture(autouse=True)
def frozen_flashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Flashes never end on their own (they would redraw cells while a test reads them)."""
    monkeypatch.setattr(clocks, "monotonic", lambda: 1_000.0)


# --- random edits of a plan ---------------------------------------------------------------


class Plans:
    """A generated plan document, edited at random and reloaded from the plan before it, as
    the file source loads it (tasks carried over are the very same objects)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.document = make_plan(SIZE, seed=seed)
        self.plan = load_bytes(self._bytes(), "plan.json", "json")
        self.added = 0

    def _bytes(self) -> bytes:
        return render(self.document, "json").encode()

    @property
    def tasks(self) -> list[dict[str, Any]]:
        tasks: list[dict[str, Any]] = self.document["tasks"]
        return tasks

    def edit(self, *edits: Callable[[Plans], object]) -> Plan:
        for edit in edits:
            edit(self)
        self.plan = load_bytes(self._bytes(), "plan.json", "json", previous=self.plan)
        assert lineage(self.plan) is not None  # loaded incrementally
        return self.plan

    def any_task(self) -> dict[str, Any]:
        return self.rng.choice(self.tasks)

    def removable(self) -> list[dict[str, Any]]:
        """Tasks nothing refers to (no other task, blocker, checkpoint or log entry)."""
        rest = json.dumps({k: v for k, v in self.document.items() if k != "tasks"}, default=str)
        needed = {need for task in self.tasks for need in task.get("depends_on", [])}
        return [
            task
            for task in self.tasks
            if task["id"] not in needed and f'"{task["id"]}"' not in rest
        ]


def set_status(plans: Plans) -> None:
    task = plans.any_task()
    status = plans.rng.choice(list(TaskStatus))
    task["status"] = str(status)
    task.pop("actual_start", None)
    task.pop("actual_end", None)
    if status is not TaskStatus.NOT_STARTED:
        task["actual_start"] = "2026-12-04T12:00:00Z"
    if status in (TaskStatus.DONE, TaskStatus.FAILED, TaskStatus.SKIPPED):
        task["actual_end"] = AT


def set_owner(plans: Plans) -> None:
    task = plans.any_task()
    owner = plans.rng.choice(OWNERS)
    if owner is None:
        task.pop("owner", None)
    else:
        task["owner"] = owner


def set_title(plans: Plans) -> None:
    plans.any_task()["title"] = plans.rng.choice(TITLES)


def set_party(plans: Plans) -> None:
    task = plans.any_task()
    party = plans.rng.choice([*Party, None])
    if party is None:
        task.pop("party", None)
    else:
        task["party"] = str(party)


def shift_times(plans: Plans) -> None:
    """Plan a task around now, so it is late or falls late as the clock moves."""
    task = plans.any_task()
    if "planned_start" not in task:
        return
    start = datetime.fromisoformat(task["planned_start"])
    shift = NOW + timedelta(minutes=plans.rng.randint(-240, 600)) - start
    for key in ("planned_start", "planned_end"):
        if key in task:
            task[key] = (datetime.fromisoformat(task[key]) + shift).isoformat()


def add_task(plans: Plans) -> None:
    plans.added += 1
    rng = plans.rng
    start = NOW + timedelta(minutes=rng.randint(-240, 600))
    task: dict[str, Any] = {
        "id": f"NEW{plans.added:03d}",
        "title": rng.choice(TITLES),
        "phase": str(rng.choice([Phase.PRE_CUTOVER, Phase.CUTOVER, Phase.POST_CUTOVER])),
        "status": str(rng.choice([TaskStatus.NOT_STARTED, TaskStatus.BLOCKED])),
        "party": str(rng.choice(list(Party))),
        "workstream": "Ad hoc",
        "planned_start": start.isoformat(),
        "duration": "30m",
    }
    if (owner := rng.choice(OWNERS)) is not None:
        task["owner"] = owner
    plans.tasks.insert(rng.randint(0, len(plans.tasks)), task)


def remove_task(plans: Plans) -> None:
    removable = plans.removable()
    if removable:
        plans.tasks.remove(plans.rng.choice(removable))


def toggle_rehearsal(plans: Plans) -> None:
    task = plans.any_task()
    task["rehearsal_only"] = not task.get("rehearsal_only", False)


def move_task(plans: Plans) -> None:
    """Move a task, unchanged, elsewhere in the plan: the plan re-orders tasks it keeps."""
    tasks = plans.tasks
    task = tasks.pop(plans.rng.randrange(len(tasks)))
    tasks.insert(plans.rng.randint(0, len(tasks)), task)


EDITS = (set_status, set_owner, set_title, set_party, shift_times, add_task, remove_task)


# --- the screen ---------------------------------------------------------------------------


@dataclass
class Paths:
    """How many times the screen took each path."""

    whole: int = 0
    placed: int = 0


@contextmanager
def counting(screen: TasksScreen, paths: Paths) -> Iterator[None]:
    """Count the screen's calls of its whole path (`_show_rows`) and of `_place_again`."""
    show_rows, place_again = screen._show_rows, screen._place_again

    def whole(**kwargs: Any) -> None:
        paths.whole += 1
        show_rows(**kwargs)

    def placed(*args: Any, **kwargs: Any) -> None:
        paths.placed += 1
        place_again(*args, **kwargs)

    screen._show_rows = whole  # type: ignore[method-assign]
    screen._place_again = placed  # type: ignore[method-assign]
    try:
        yield
    finally:
        del screen._show_rows, screen._place_again


def summary(screen: TasksScreen) -> str:
    shown = screen.query_one("#task-summary", ValueLabel).render()
    assert isinstance(shown, Content)
    return shown.plain


def assert_state_is_the_plans(app: CutoverApp, screen: TasksScreen, plan: Plan) -> None:
    """What the whole path reads (tasks, positions, late and critical ids, rows, search
    texts) is what the plan says now: so `_show_rows` is the order made afresh."""
    tasks = [task for task in plan.tasks if not (app.options.live and task.rehearsal_only)]
    late = {task.id for task in insight.late_tasks(plan, app.now)}
    critical = {task.id for task in insight.critical_path(plan)}
    assert screen._tasks == tasks
    assert screen._position == {task.id: position for position, task in enumerate(tasks)}
    assert screen._late_ids == late
    assert screen._critical == critical
    make_row = RowMaker(tasks, app.zone, plan.header.final_data_production)
    assert screen._rows == {
        task.id: make_row(task, late=task.id in late, critical=task.id in critical)
        for task in tasks
    }
    if screen._searched is not None:
        assert screen._searched == {task.id: search_text(task) for task in tasks}


def assert_as_shown_afresh(app: CutoverApp, screen: TasksScreen, plan: Plan) -> None:
    """The table shows what the screen's whole path shows: same rows, same order, same cells,
    same summary."""
    assert_state_is_the_plans(app, screen, plan)
    board = screen.board
    order, rows, said = list(board.shown_rows), dict(board.shown_rows), summary(screen)
    assert board.shown_ids == order
    for task_id, row in rows.items():
        assert tuple(cell._replace(flash=False) for cell in board.get_row(task_id)) == row
    screen._show_rows()
    assert list(board.shown_rows) == order, (screen._sort, screen._reverse, screen._filter)
    assert board.shown_ids == order
    assert dict(board.shown_rows) == rows
    assert summary(screen) == said


def receive(app: CutoverApp, plan: Plan) -> None:
    """Hand `plan` over as the app's `SnapshotReceived` handler does (every screen follows)."""
    app.store_snapshot(SnapshotReceived(Snapshot(plan, app.source, NOW, clocks.monotonic())))


def move_clock(app: CutoverApp, at: datetime) -> None:
    app.clock = clocks.FixedClock(at)
    app.now = at  # the screen's `show_time`


def random_step(app: CutoverApp, plans: Plans) -> bool:
    """The clock moves, or a snapshot with one to three random edits comes; True when the plan
    may have re-ordered tasks it kept."""
    rng = plans.rng
    if rng.random() < 0.2:
        move_clock(app, NOW + timedelta(minutes=rng.randint(-60, 480)))
        return False
    edits = rng.choices(EDITS, k=rng.randint(1, 3))
    if app.options.live and rng.random() < 0.2:
        edits.append(toggle_rehearsal)  # live: the task leaves the screen, or comes back
    reordered = rng.random() < 0.05
    if reordered:
        edits.append(move_task)
    receive(app, plans.edit(*edits))
    return reordered


# --- random edits, every order, a range of filters ------------------------------------------


@asynccontextmanager
async def tasks_screen(
    plans: Plans, options: DashboardOptions | None = None, size: tuple[int, int] = (160, 48)
) -> AsyncIterator[tuple[CutoverApp, Any, TasksScreen]]:
    """The app on `plans`, run headless with its Tasks screen open."""
    app = CutoverApp("plan.json", lambda _: plans.plan, clocks.FixedClock(NOW), options, plans.plan)
    async with app.run_test(size=size) as pilot:
        app.switch_mode("tasks")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TasksScreen)
        yield app, pilot, screen


@pytest.mark.parametrize(
    ("seed", "kiosk"),
    [(1, False), (2, True)],
    ids=["interactive", "kiosk-late-first-live"],
)
async def test_placing_rows_again_shows_what_showing_every_row_would(
    seed: int, kiosk: bool
) -> None:
    plans = Plans(seed)
    options = DashboardOptions(kiosk_seconds=3_600, live=True) if kiosk else DashboardOptions()
    paths = Paths()
    async with tasks_screen(plans, options) as (app, pilot, screen):
        assert screen._late_first is kiosk
        for sort, reverse, task_filter in product(SORTS, (False, True), FILTERS):
            screen._set_sort(sort, reverse)
            screen._set_filter(task_filter)
            for _ in range(2):  # the second from an order placed, not made afresh
                whole_before, maker = paths.whole, screen._make_row
                with counting(screen, paths):
                    reordered = random_step(app, plans)
                # The whole path only when the plan re-ordered tasks (which it may not have: a
                # task moved to where it was) or every row was made again.
                if not (reordered or screen._make_row is not maker):
                    assert paths.whole == whole_before, (sort, reverse, task_filter)
                assert_as_shown_afresh(app, screen, plans.plan)
        await pilot.pause()
    assert paths.placed > 100  # the path under test was taken, many times


# --- the cases by name ----------------------------------------------------------------------


def swap_two_of_one_owner(plans: Plans) -> tuple[str, str]:
    """Two tasks of one owner, unchanged, change places in the plan; their ids, as they were.
    Sorted by owner they tie, and the plan's order breaks the tie: they swap on screen too."""
    tasks = plans.tasks
    owners = Counter(task.get("owner") for task in tasks)
    owner = max(owners, key=lambda name: (name is not None, owners[name]))
    first, second = [k for k, task in enumerate(tasks) if task.get("owner") == owner][:2]
    tasks[first], tasks[second] = tasks[second], tasks[first]
    return tasks[second]["id"], tasks[first]["id"]


async def test_a_plan_that_reorders_its_tasks_is_shown_afresh() -> None:
    plans = Plans(4)
    async with tasks_screen(plans) as (app, _pilot, screen):
        screen._set_sort("owner", False)
        swapped: list[str] = []
        paths = Paths()
        with counting(screen, paths):
            receive(app, plans.edit(lambda plans: swapped.extend(swap_two_of_one_owner(plans))))
        assert paths == Paths(whole=1, placed=0)  # nothing changed, came or went: no cue
        shown = list(screen.board.shown_rows)
        assert shown.index(swapped[1]) < shown.index(swapped[0])
        with counting(screen, paths):  # the same with a task added: placing it is not enough
            receive(app, plans.edit(lambda plans: swapped.extend(swap_two_of_one_owner(plans))))
            receive(app, plans.edit(add_task))
        assert paths == Paths(whole=2, placed=1)
        assert_as_shown_afresh(app, screen, plans.plan)


async def test_a_task_falling_late_goes_on_top_of_a_wall_display_alone() -> None:
    plans = Plans(5)
    waiting = next(
        task
        for task in plans.tasks
        if task.get("status", "not-started") == "not-started" and task["phase"] != "contingency"
    )
    planned = datetime.fromisoformat(waiting["planned_start"])

    def soon(plans: Plans) -> None:
        shift = NOW + timedelta(minutes=30) - planned
        for key in ("planned_start", "planned_end"):
            if key in waiting:
                waiting[key] = (datetime.fromisoformat(waiting[key]) + shift).isoformat()

    plans.edit(soon)
    async with tasks_screen(plans, DashboardOptions(kiosk_seconds=3_600)) as (app, _pilot, screen):
        board = screen.board
        late_before = [task_id for task_id in board.shown_rows if task_id in screen._late_ids]
        assert waiting["id"] not in late_before
        paths = Paths()
        with counting(screen, paths):
            move_clock(app, NOW + timedelta(hours=1))
        assert paths.whole == 0
        assert paths.placed == 1
        shown = list(board.shown_rows)
        assert shown[: len(late_before) + 1] == sorted(
            [*late_before, waiting["id"]], key=screen._position.__getitem__
        )
        assert board.get_cell(waiting["id"], "late").text == "⚠ LATE"
        assert_as_shown_afresh(app, screen, plans.plan)


# --- the board, by index ------------------------------------------------------------------


async def test_the_board_finds_rows_and_fixed_room_as_stock_does() -> None:
    plans = Plans(4)
    async with tasks_screen(plans) as (_app, _pilot, screen):
        screen._set_sort("title", True)  # rows re-ordered: stock lists them afresh
        board = screen.board
        for index in (0, 1, 17, board.row_count - 1, board.row_count, -1):
            assert board._get_row_region(index) == DataTable._get_row_region(board, index)
        for fixed_rows in (0, 2):
            board.fixed_rows = fixed_rows
            assert board._get_fixed_offset() == DataTable._get_fixed_offset(board)


async def test_a_row_coming_above_the_cursor_scrolls_it_into_view_at_once() -> None:
    """Not after the next repaint, as stock does when rows came: that repaints it all twice."""
    plans = Plans(7)
    async with tasks_screen(plans, size=(160, 24)) as (app, pilot, screen):
        board = screen.board
        bottom = (
            board.scrollable_content_region.height - 2
        )  # the last row in view, under the header
        board.move_cursor(row=bottom)
        await pilot.pause()
        assert board.scroll_y == 0
        receive(
            app, plans.edit(lambda plans: plans.tasks.insert(0, {**plans.tasks[-1], "id": "NEW"}))
        )
        assert board.cursor_row == bottom + 1
        assert board.scroll_y == 1
