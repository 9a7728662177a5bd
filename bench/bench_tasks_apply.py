"""Applying a live snapshot of a big plan on the event loop, on the Tasks and Overview screens.

    python bench/bench_tasks_apply.py [--tasks 10000] [--repeat 10]

A generated JSON plan (`bench/make_plan.py`, seed 1) is shown headless (`App.run_test`, 160x48).
Then, `--repeat` times, one task's status changes (a task not started starts, as a live update
would say) or an ad hoc task is added in the middle; the new bytes are loaded as the sources load
them (`parse_or_reason(previous=…)`, an incremental load, then `insight.warm`, the figures
the screens read worked out ahead; off the clock, as the sources do it in a thread), and the
snapshot is handed to the app as its `SnapshotReceived` handler would take it. On the Tasks
screen the changed task's row is either off screen (the table shows its top) or on screen (the
cursor was put on it first), so the repaint of the changed cells counts too; and the table is
shown in plan order, or sorted, filtered, or late tasks first as a wall display (`--kiosk`)
shows it. Reported, best / median / max milliseconds:

- **apply**: the handler itself (`store_snapshot`: compare the plans, set `app.snapshot`, which
  runs every screen's `show_snapshot` synchronously);
- **stall**: the longest the event loop went without running an asyncio task that sleeps 1 ms,
  from the handler to the repaint that follows it (so drawing counts too).

The budget is 50 ms at 10,000 tasks for both. Figures, not a test: the machine may be busy, so
compare best and median rather than single runs.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).parent))

from cutover_tui import clock as clocks
from cutover_tui.app import CutoverApp, DashboardOptions
from cutover_tui.clock import FixedClock
from cutover_tui.insight import warm
from cutover_tui.messages import SnapshotReceived
from cutover_tui.model import Plan, TaskStatus
from cutover_tui.screens.tasks import TasksScreen
from cutover_tui.sync import Snapshot
from cutover_tui.sync.parsing import parse_or_reason
from cutover_tui.widgets.task_board import TaskBoard
from cutover_tui.widgets.task_filters import TaskFilter
from loop_gaps import loop_gaps
from make_plan import DEFAULT_NOW, make_plan, render

FREEZE = "--no-freeze" not in sys.argv


def load(data: bytes, previous: Plan | None = None) -> Plan:
    """As the sources load (in their thread): the plan, and the figures worked out ahead."""
    plan = parse_or_reason(data, "plan.json", "json", previous)
    assert not isinstance(plan, str), plan
    warm(plan)
    return plan


def start_task(document: dict[str, Any], step: int) -> tuple[dict[str, Any], str]:
    """The document after one more task, past the middle, starts (and the revision moves on),
    and the task's id."""
    edited = copy.deepcopy(document)
    tasks = edited["tasks"]
    waiting = [
        task
        for task in tasks[len(tasks) // 2 :]
        if task.get("status") in (None, "not-started") and not task.get("rehearsal_only")
    ]
    task = waiting[step * 7 % len(waiting)]
    task["status"] = "in-progress"
    task["actual_start"] = "2026-12-04T14:58:00Z"
    edited["revision"] = edited.get("revision", 0) + 1
    return edited, task["id"]


def add_task(document: dict[str, Any], step: int) -> tuple[dict[str, Any], str]:
    """The document after an ad hoc task is inserted in the middle (every later task moves),
    and its id."""
    edited = copy.deepcopy(document)
    tasks = edited["tasks"]
    middle = len(tasks) // 2
    task_id = f"ADHOC-{step}"
    tasks.insert(middle, {**tasks[middle], "id": task_id, "title": "Ad hoc", "depends_on": []})
    edited["revision"] = edited.get("revision", 0) + 1
    return edited, task_id


Edit = Callable[[dict[str, Any], int], tuple[dict[str, Any], str]]
View = Callable[[TasksScreen], None]
"""How the Tasks screen is set up before the snapshots come (a sort, a filter)."""


def plan_order(screen: TasksScreen) -> None:
    """As the screen opens: every task, in plan order."""


def by_owner(screen: TasksScreen) -> None:
    screen._set_sort("owner", False)


def not_started_only(screen: TasksScreen) -> None:
    """A status filter that the tasks `add_task` adds (copies of a waiting task) pass."""
    screen._set_filter(TaskFilter(status=TaskStatus.NOT_STARTED))


async def _timed(apply: Callable[[], object]) -> tuple[float, float]:
    """(milliseconds in `apply`, the longest gap between 1 ms ticks of the event loop from
    `apply` through the repaint after it)."""
    async with loop_gaps(settle=0.05) as gaps:
        start = time.perf_counter()
        apply()
        spent = time.perf_counter() - start
        await asyncio.sleep(0.3)  # the repaint, and any work the handler left queued
    return spent * 1000, max(gaps) * 1000


async def _measure(
    app: CutoverApp,
    document: dict[str, Any],
    previous: Plan,
    repeat: int,
    on_screen: bool,
    edit: Edit,
) -> tuple[list[float], list[float]]:
    """Apply `repeat` snapshots in turn: (handler ms, longest loop stall ms) for each."""
    applies: list[float] = []
    stalls: list[float] = []
    for step in range(repeat):
        document, task_id = edit(document, step)
        if on_screen:
            app.screen.query_one(TaskBoard).select_task(task_id)  # scrolls it into view
            await asyncio.sleep(0.2)
        # Loaded from the plan on screen, as the file source does (a plan keeps its lineage to
        # the one before only until the next is loaded from it, so not all in advance).
        previous = load(render(document, "json").encode(), previous)
        snapshot = Snapshot(previous, app.source, clocks.wall_now(), clocks.monotonic())
        spent, stall = await _timed(lambda: app.store_snapshot(SnapshotReceived(snapshot)))  # noqa: B023
        applies.append(spent)
        stalls.append(stall)
    return applies, stalls


class Case(NamedTuple):
    label: str
    screen: str
    on_screen: bool = False
    edit: Edit = start_task
    view: View = plan_order
    """The Tasks screen's sort or filter."""
    kiosk: bool = False
    """Run as a wall display (`--kiosk`): the Tasks screen puts late tasks first."""


async def run(case: Case, size: int, repeat: int) -> tuple[list[float], list[float]]:
    document = make_plan(size, seed=1)
    first = load(render(document, "json").encode())
    options = DashboardOptions(kiosk_seconds=3_600 if case.kiosk else None)  # no rotation
    app = CutoverApp("plan.json", lambda _: first, FixedClock(DEFAULT_NOW), options, first)
    async with app.run_test(size=(160, 48)) as pilot:
        app.switch_mode(case.screen)
        await pilot.pause()
        if isinstance(app.screen, TasksScreen):
            case.view(app.screen)
            await pilot.pause()
        await asyncio.sleep(0.3)
        if FREEZE:
            app.freeze_startup()  # as a real run does (not headless ones)
        # The first snapshot warms what runs once (imports, caches): not counted.
        applies, stalls = await _measure(
            app, document, first, repeat + 1, case.on_screen, case.edit
        )
    return applies[1:], stalls[1:]


CASES = (
    Case("tasks, changed row off screen", "tasks"),
    Case("tasks, changed row on screen", "tasks", on_screen=True),
    Case("overview", "overview"),
    Case("tasks, a task added", "tasks", edit=add_task),
    Case("overview, a task added", "overview", edit=add_task),
    Case("tasks sorted by owner, a task added", "tasks", edit=add_task, view=by_owner),
    Case(
        "tasks filtered (status not started), a task added",
        "tasks",
        edit=add_task,
        view=not_started_only,
    ),
    Case("tasks, kiosk late-first, a task added", "tasks", edit=add_task, kiosk=True),
)


def figures(runs: list[float]) -> str:
    return f"{min(runs):,.1f} | {statistics.median(runs):,.1f} | {max(runs):,.1f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument(
        "--no-freeze", action="store_true", help="leave start-up objects to the collector"
    )
    args = parser.parse_args(argv)
    print(f"\n{args.tasks:,} tasks, one task changes (or comes) per snapshot, {args.repeat} runs\n")
    print("| screen | apply best | median | max | stall best | median | max |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for case in CASES:
        applies, stalls = asyncio.run(run(case, args.tasks, args.repeat))
        print(f"| {case.label} | {figures(applies)} | {figures(stalls)} |")
    print("\n(milliseconds on the event loop; budget 50 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
