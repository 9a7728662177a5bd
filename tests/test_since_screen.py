"""What changed, on screen: `c` and its summary; rows and cards a new snapshot changed flash."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.content import Content
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets.data_table import ColumnKey

from cutover_tui import clock as clocks
from cutover_tui.app import CutoverApp, DashboardOptions
from cutover_tui.changes import (
    Change,
    RaiseBlocker,
    RecordDecision,
    SetTaskStatus,
    UpdateBlocker,
    apply,
)
from cutover_tui.insight.since import Look
from cutover_tui.messages import SnapshotReceived
from cutover_tui.model import BlockerStatus, Plan, TaskStatus, load_path, to_data, validate
from cutover_tui.screens.help import HelpScreen
from cutover_tui.screens.since import SinceScreen
from cutover_tui.sync import Snapshot
from cutover_tui.widgets.blocker_list import BlockerList
from cutover_tui.widgets.card_list import CHANGED_MARK, CardList
from cutover_tui.widgets.checkpoint_schedule import CheckpointSchedule
from cutover_tui.widgets.flash import FLASH_SECONDS, Flashes
from cutover_tui.widgets.labelled_text import LabelledText
from cutover_tui.widgets.task_board import COLUMN_KEYS, FLASH_STYLE, Cell, TaskBoard

GP = Path(__file__).parents[1] / "sample_plans" / "gp-practice-migration.toml"
AT_15 = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
SHORT_FLASH = 0.2
"""Flashes in these tests last this long on a fake monotonic clock that only the test moves."""


@dataclass
class SettableClock:
    """A frozen clock the test can move (the app re-reads it every second)."""

    at: datetime
    simulated = True

    def now(self) -> datetime:
        return self.at


@pytest.fixture(scope="module")
def gp() -> Plan:
    return load_path(GP)


def make_app(plan: Plan, **options: Any) -> tuple[CutoverApp, SettableClock]:
    clock = SettableClock(AT_15)
    app = CutoverApp(str(GP), load_path, clock, DashboardOptions(**options), initial=plan)
    return app, clock


def changed(plan: Plan, *changes: Change, at: datetime = AT_15) -> Plan:
    for change in changes:
        plan = apply(plan, change, "Duty manager", at)
    return plan


def edited(plan: Plan, edit: Callable[[dict[str, Any]], None]) -> Plan:
    data = to_data(plan)
    edit(data)
    return validate(data, "test")


async def receive(app: CutoverApp, pilot: Pilot[None], plan: Plan) -> None:
    """Deliver `plan` as the source would: a `SnapshotReceived` message."""
    snapshot = Snapshot(plan, app.source, clocks.wall_now(), clocks.monotonic())
    app.post_message(SnapshotReceived(snapshot))
    await pilot.pause()


async def move_time(app: CutoverApp, clock: SettableClock, moment: datetime) -> None:
    clock.at = moment
    app.now = moment


@dataclass
class FakeMonotonic:
    """The monotonic clock flashes are timed by, moved only by the test.

    Real timers still fire (every `SHORT_FLASH` at most), but a flash ends only once this clock
    says so: a slow, loaded machine cannot end one before the test has looked at it.
    """

    now: float = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def monotonic(monkeypatch: pytest.MonkeyPatch) -> FakeMonotonic:
    fake = FakeMonotonic()
    monkeypatch.setattr(clocks, "monotonic", fake)
    return fake


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    """Let real timers run until `condition` holds (at most 10 real seconds)."""
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


def since_text(app: CutoverApp) -> str:
    screen = app.screen
    assert isinstance(screen, SinceScreen)
    heading = screen.query_one("#since-heading", LabelledText).plain
    return heading + "\n" + screen.query_one("#since-text", LabelledText).plain


# --- the summary ----------------------------------------------------------------------------


async def test_c_says_what_changed_since_the_first_snapshot_then_nothing(gp: Plan) -> None:
    app, clock = make_app(gp)
    async with app.run_test(size=(160, 48)) as pilot:
        after = changed(
            gp,
            SetTaskStatus(task="PRE-11", status=TaskStatus.DONE),
            SetTaskStatus(task="PRE-12", status=TaskStatus.FAILED),
            RaiseBlocker(id="B-09", title="[red]Server room[/] flooded", severity="critical"),
            UpdateBlocker(blocker="B-04", status=BlockerStatus.RESOLVED),
            RecordDecision(checkpoint="GNG-FDP", decision="no-go", decided_by="[b]Dr Shah"),
        )
        await receive(app, pilot, after)
        await move_time(app, clock, AT_15 + timedelta(minutes=5, seconds=3))
        await pilot.press("c")
        await pilot.pause()
        text = since_text(app)
        assert text.startswith("Since 15:00:00 GMT (5m 03s ago): 5 changes")
        assert "■ Blocked or failed (1)" in text
        assert "  PRE-12   Issue manual-process packs" in text
        assert "— failed" in text
        assert "▲ Blockers raised (1)" in text
        assert "  B-09     [red]Server room[/] flooded — critical" in text  # literally
        assert "◆ Decisions made (1)" in text
        assert "No-Go by [b]Dr Shah" in text
        assert "✔ Finished (1)" in text
        assert "✔ Blockers resolved (1)" in text
        assert "Newly late" not in text  # no empty sections
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SinceScreen)
        assert app.last_looked == Look.of(after, AT_15 + timedelta(minutes=5, seconds=3))
        await move_time(app, clock, AT_15 + timedelta(minutes=9))
        await pilot.press("c")
        await pilot.pause()
        assert since_text(app).startswith(
            "Nothing has changed since you last looked at 15:05:03 GMT."
        )


async def test_q_and_c_close_it_too_and_it_scrolls(gp: Plan) -> None:
    app, _ = make_app(gp)
    async with app.run_test(size=(80, 24)) as pilot:

        def many(data: dict[str, Any]) -> None:
            data["tasks"] += [
                {"id": f"NEW-{n:02d}", "title": f"New step {n}", "phase": "post-cutover"}
                for n in range(40)
            ]

        await receive(app, pilot, edited(gp, many))
        for key in ("q", "c", "escape"):
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(app.screen, SinceScreen)
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, SinceScreen)
            assert app.is_running  # q closed the summary, it did not quit
        app.last_looked = Look.of(gp, AT_15)  # as at start: the 40 new tasks are news again
        await pilot.press("c")
        await pilot.pause()
        scroll = app.screen.query_one("#since")
        assert scroll.max_scroll_y > 0  # 40 tasks added do not fit: it scrolls
        assert "+ Tasks added (40)" in since_text(app)


async def test_the_summary_is_listed_in_help_and_the_palette_and_off_in_a_kiosk(gp: Plan) -> None:
    app, _ = make_app(gp)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = str(app.screen.query_one("#help-text").render())
        assert "c           Changes" in help_text
        await pilot.press("escape")
        titles = [command.title for command in app.get_system_commands(app.screen)]  # type: ignore[arg-type]
        assert "What changed" in titles
    kiosk, _ = make_app(gp, kiosk_seconds=60)
    async with kiosk.run_test(size=(160, 48)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert not isinstance(kiosk.screen, SinceScreen)


# --- flashing: the Flashes bookkeeping --------------------------------------------------------


@dataclass
class FakeOwner:
    """Stands in for a widget: records the timers asked for instead of running them."""

    timers: list[tuple[float, Callable[[], None]]] = field(default_factory=list)

    def set_timer(self, delay: float, callback: Callable[[], None]) -> FakeTimer:
        self.timers.append((delay, callback))
        return FakeTimer()


class FakeTimer:
    stopped = False

    def stop(self) -> None:
        self.stopped = True


def test_flashes_restart_and_end_with_one_timer(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr(clocks, "monotonic", lambda: now[0])
    owner, ended = FakeOwner(), list[list[str]]()
    flashes = Flashes(owner, ended.append)  # type: ignore[arg-type]
    assert flashes.seconds == FLASH_SECONDS == 2.0
    flashes.start(["A", "B", "C"])
    assert len(owner.timers) == 1  # three rows, one timer
    assert owner.timers[0][0] == pytest.approx(2.0)
    now[0] = 101.0
    flashes.start(["A"])  # A changes again while flashing: it starts over
    assert len(owner.timers) == 1  # the timer due first still stands
    now[0] = 102.0
    owner.timers[0][1]()
    assert ended == [["B", "C"]]
    assert "A" in flashes
    assert len(flashes) == 1
    assert len(owner.timers) == 2
    assert owner.timers[1][0] == pytest.approx(1.0)  # re-armed for A
    now[0] = 103.0
    owner.timers[1][1]()
    assert ended == [["B", "C"], ["A"]]
    assert len(flashes) == 0
    assert len(owner.timers) == 2  # nothing left: no new timer


# --- flashing: the Tasks table -----------------------------------------------------------------


def board(app: CutoverApp) -> TaskBoard:
    return app.screen.query_one(TaskBoard)


def shown_cell(table: TaskBoard, task_id: str, key: str) -> Cell:
    value = table.get_cell(task_id, key)
    assert isinstance(value, Cell)
    return value


async def open_tasks(pilot: Pilot[None]) -> TaskBoard:
    await pilot.press("2")
    await pilot.pause()
    table = board(pilot.app)  # type: ignore[arg-type]
    table.flashes.seconds = SHORT_FLASH
    return table


async def test_the_first_snapshot_and_a_zone_change_flash_nothing(gp: Plan) -> None:
    app, _ = make_app(gp)
    async with app.run_test(size=(160, 48)) as pilot:
        table = await open_tasks(pilot)
        assert table.flashing_cells == {}
        await pilot.press("u")  # every time cell changes; the plan did not
        await pilot.pause()
        assert table.flashing_cells == {}


async def test_changed_cells_and_the_id_flash_then_return_to_normal(
    gp: Plan, monotonic: FakeMonotonic
) -> None:
    app, _ = make_app(gp)
    async with app.run_test(size=(160, 48)) as pilot:
        table = await open_tasks(pilot)
        plain = shown_cell(table, "PRE-11", "status")
        after = changed(gp, SetTaskStatus(task="PRE-11", status=TaskStatus.DONE))
        await receive(app, pilot, after)
        assert table.flashing_cells == {"PRE-11": {"id", "status", "actual_end"}}
        status = shown_cell(table, "PRE-11", "status")
        assert status.text == "✔ done"
        assert status.flash
        assert shown_cell(table, "PRE-11", "id").flash
        assert not shown_cell(table, "PRE-11", "title").flash  # unchanged cells stay as they are
        assert not shown_cell(table, "PRE-12", "id").flash
        await pilot.pause(SHORT_FLASH * 2)
        assert set(table.flashing_cells) == {"PRE-11"}  # its time is not up yet
        monotonic.now += SHORT_FLASH
        await wait_until(pilot, lambda: not table.flashing_cells)
        assert shown_cell(table, "PRE-11", "status") == Cell("✔ done", "$status-done")
        assert not any(shown_cell(table, "PRE-11", key).flash for key in COLUMN_KEYS)
        assert plain == Cell("▶ in progress", "$status-in-progress")


def test_a_flashing_cell_is_drawn_bold_and_reversed_on_top_of_its_own_style() -> None:
    plain = Cell("Alice", flash=True).__rich__()
    assert isinstance(plain, Text)
    assert plain.style == FLASH_STYLE == "bold reverse"
    assert plain.overflow == "ellipsis"  # a long title still ends in …
    styled = Cell("✔ done", "$status-done", flash=True).__rich__()
    assert isinstance(styled, Content)
    assert [str(span.style) for span in styled.spans] == [f"$status-done {FLASH_STYLE}"]


async def test_a_row_that_changes_again_while_flashing_starts_over(
    gp: Plan, monotonic: FakeMonotonic
) -> None:
    app, _ = make_app(gp)
    async with app.run_test(size=(160, 48)) as pilot:
        table = await open_tasks(pilot)
        first = changed(
            gp,
            SetTaskStatus(task="PRE-15", status=TaskStatus.IN_PROGRESS),
            SetTaskStatus(task="CUT-02", status=TaskStatus.BLOCKED),
        )
        await receive(app, pilot, first)
        monotonic.now += SHORT_FLASH * 0.75
        second = changed(first, SetTaskStatus(task="PRE-15", status=TaskStatus.DONE))
        await receive(app, pilot, second)
        monotonic.now += SHORT_FLASH * 0.5  # past the first flash's end, within the second's
        await wait_until(pilot, lambda: "CUT-02" not in table.flashing_cells)
        assert set(table.flashing_cells) == {"PRE-15"}
        assert {"status", "actual_start", "actual_end"} <= table.flashing_cells["PRE-15"]
        monotonic.now += SHORT_FLASH
        await wait_until(pilot, lambda: not table.flashing_cells)


async def test_a_flash_on_a_row_filtered_out_costs_nothing(gp: Plan) -> None:
    app, _ = make_app(gp)
    async with app.run_test(size=(160, 48)) as pilot:
        table = await open_tasks(pilot)
        await pilot.press("l")  # late only: PRE-13 and one more
        await pilot.pause()
        assert "PRE-15" not in table.shown_ids
        writes: list[str] = []
        update_cell = table.update_cell

        def spy(row_key: Any, column_key: Any, value: Any, **kwargs: Any) -> None:
            writes.append(f"{row_key}:{column_key}")
            update_cell(row_key, column_key, value, **kwargs)

        table.update_cell = spy  # type: ignore[method-assign]
        after = changed(gp, SetTaskStatus(task="PRE-15", status=TaskStatus.IN_PROGRESS))
        await receive(app, pilot, after)
        assert writes == []
        assert table.flashing_cells == {}
        assert len(table.flashes) == 0


# --- flashing: cards -------------------------------------------------------------------------


async def test_changed_blocker_and_checkpoint_cards_are_marked_for_a_moment(
    gp: Plan, monotonic: FakeMonotonic
) -> None:
    app, clock = make_app(gp)
    async with app.run_test(size=(160, 48)) as pilot:
        after = changed(
            gp,
            UpdateBlocker(blocker="B-04", status=BlockerStatus.RESOLVED),
            RaiseBlocker(id="B-09", title="Printer jam"),
            RecordDecision(checkpoint="GNG-FDP", decision="go", decided_by="Dr Shah"),
        )
        for key, list_type in (("3", BlockerList), ("4", CheckpointSchedule)):
            await pilot.press(key)
            await pilot.pause()
            cards: CardList = app.screen.query_one(list_type)
            cards.flashes.seconds = SHORT_FLASH
            assert marked(cards) == set()  # the first snapshot marks nothing
        await receive(app, pilot, after)  # the Checkpoints screen shows it at once
        schedule = app.screen.query_one(CheckpointSchedule)
        assert marked(schedule) == {"GNG-FDP"}
        assert schedule.cards["GNG-FDP"].border_subtitle == CHANGED_MARK
        await pilot.press("3")  # the Blockers screen catches up when shown
        await pilot.pause()
        blockers = app.screen.query_one(BlockerList)
        assert marked(blockers) == {"B-04", "B-09"}
        monotonic.now += SHORT_FLASH
        await wait_until(pilot, lambda: not marked(blockers))
        assert blockers.cards["B-04"].border_subtitle is None
        await move_time(app, clock, AT_15 + timedelta(minutes=3))  # ages change: no mark
        await pilot.pause()
        assert marked(blockers) == set()


def marked(cards: CardList) -> set[str]:
    return {key for key, card in cards.cards.items() if card.has_class("-changed")}


# --- a 10,000-task plan ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def big() -> Plan:
    from make_plan import make_plan  # type: ignore[import-not-found]  # bench/, via conftest

    return validate(make_plan(10_000, seed=1), "bench")


async def test_one_task_changed_in_10k_repaints_only_its_changed_cells_and_id(
    big: Plan, monotonic: FakeMonotonic
) -> None:
    app, _ = make_app(big)
    async with app.run_test(size=(160, 48)) as pilot:
        table = await open_tasks(pilot)
        assert table.row_count == 10_000
        on_screen = table.shown_ids[5]
        target = big.task_by_id[on_screen]
        refreshed: list[tuple[Region, ...]] = []
        writes: list[str] = []
        refresh, update_cell = table.refresh, table.update_cell

        def spy_refresh(*regions: Region, **kwargs: Any) -> Any:
            refreshed.append(regions)
            return refresh(*regions, **kwargs)

        def spy_update(row_key: Any, column_key: Any, value: Any, **kwargs: Any) -> None:
            writes.append(f"{row_key}:{column_key}")
            update_cell(row_key, column_key, value, **kwargs)

        table.refresh = spy_refresh  # type: ignore[method-assign]
        table.update_cell = spy_update  # type: ignore[method-assign]
        table.clear = None  # type: ignore[assignment,method-assign]  # a rebuild would fail

        def rename_owner(data: dict[str, Any]) -> None:
            task = next(t for t in data["tasks"] if t["id"] == on_screen)
            task["owner"] = "Someone else"

        after = edited(big, rename_owner)
        await receive(app, pilot, after)
        assert writes == [f"{on_screen}:owner"]
        assert table.flashing_cells == {on_screen: {"id", "owner"}}
        assert refreshed
        assert all(regions for regions in refreshed)  # never the whole table
        row_y = table.header_height + table.get_row_index(on_screen)
        assert {region.y for regions in refreshed for region in regions} == {row_y}
        owner_end = sum(
            column.get_render_width(table)
            for column in table.ordered_columns[: COLUMN_KEYS.index("owner") + 1]
        )
        assert (
            {(region.x, region.right) for regions in refreshed for region in regions}
            <= {
                (0, owner_end),  # the row up to the owner (written from the table's edge anyway)
                (0, owner_end - table.columns[ColumnKey("owner")].get_render_width(table)),
                (0, sum(c.get_render_width(table) for c in table.ordered_columns[:2])),  # up to id
            }
        )
        refreshed.clear()
        monotonic.now += SHORT_FLASH  # the flash ends: the same row again
        await wait_until(pilot, lambda: not table.flashing_cells)
        await pilot.pause()
        assert {region.y for regions in refreshed for region in regions} == {row_y}
        assert all(regions for regions in refreshed)
        del target


async def test_a_cell_refresh_covers_what_stock_datatable_would(gp: Plan) -> None:
    """The row from the table's edge to the end of the cell stock would refresh, in view."""
    app, _ = make_app(gp)
    async with app.run_test(size=(100, 20)) as pilot:
        table = await open_tasks(pilot)
        table.scroll_to(x=7, y=4, animate=False)
        await pilot.pause()
        assert table.scroll_offset == (7, 4)
        body = Region(0, table.header_height, table.size.width, table.size.height - 1)
        regions: list[Region] = []
        table.refresh = lambda *r, **_: regions.extend(r)  # type: ignore[method-assign,assignment]
        for row, column in ((6, 2), (8, 3), (10, 5), (0, 2), (40, 6), (12, 7)):
            regions.clear()
            table.refresh_coordinate(Coordinate(row, column))  # stock
            stock = [region.intersection(body) for region in regions]
            expected = Region(0, stock[0].y, stock[0].right, 1) if stock and stock[0].area else None
            ours = table._cell_region(row, column)
            assert (ours if ours.area else None) == expected, (row, column)
        # The fixed columns (CP, ID) stay put when the table scrolls sideways; stock shifts them.
        id_end = sum(column.get_render_width(table) for column in table.ordered_columns[:2])
        assert table._cell_region(12, 1) == Region(0, 1 + 12 - 4, id_end, 1)
