"""Per-snapshot indexes that make the dashboard's once-a-second figures cheap on big plans.

Built once when a snapshot arrives (O(n log n)); each tick then answers by bisection instead of
walking 10,000 tasks. A plan loaded as an edit of the previous one patches that plan's index
where its tasks were replaced (a few bisections) instead of sorting them all again.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import datetime, timedelta

from ..model import Lineage, Plan, Task, TaskStatus
from .figures import late_since
from .memo import carried, memo


def plan_index(plan: Plan) -> PlanIndex:
    """The plan's index, built once and shared by every screen."""
    return memo(plan, "index", lambda: _index_of(plan))


def _index_of(plan: Plan) -> PlanIndex:
    before = carried(plan, "index", moved=True)
    if before is not None:
        previous, lineage = before
        if isinstance(previous, PlanIndex) and lineage.in_order:
            return previous.patched(plan, lineage)
    return PlanIndex(plan)


class PlanIndex:
    """Lateness and start times of a plan's tasks, sorted for range questions.

    Each sorted list has a twin of plan positions, which break ties (plan order) and locate a
    task's entry when the index is patched. It keeps no reference to the plan (a plan keeps its
    index: a cycle that would keep a replaced plan alive).
    """

    def __init__(self, plan: Plan) -> None:
        late = sorted(
            ((since, position) for position, task in enumerate(plan.tasks)
             if (since := late_since(task)) is not None),
        )  # fmt: skip
        self._late_at = [since for since, _ in late]
        self._late_positions = [position for _, position in late]
        self._late_tasks = [plan.tasks[position] for _, position in late]
        starts = sorted(
            (task.planned_start, position)
            for position, task in enumerate(plan.tasks)
            if task.status is TaskStatus.NOT_STARTED and task.planned_start is not None
        )
        self._start_at = [start for start, _ in starts]
        self._start_positions = [position for _, position in starts]
        self._start_tasks = [plan.tasks[position] for _, position in starts]
        self._in_progress_positions = [
            position
            for position, task in enumerate(plan.tasks)
            if task.status is TaskStatus.IN_PROGRESS
        ]
        self.in_progress = [plan.tasks[position] for position in self._in_progress_positions]

    def patched(self, plan: Plan, lineage: Lineage) -> PlanIndex:
        """The index of `plan`, which is this index's plan with `lineage.removed_tasks` gone,
        the other tasks carried over in order (`lineage.in_order`), and `lineage.fresh_tasks`
        come: a few bisections, and positions renumbered if tasks moved."""
        index = PlanIndex.__new__(PlanIndex)  # every field is set below
        late = (list(self._late_at), list(self._late_positions), list(self._late_tasks))
        starts = (list(self._start_at), list(self._start_positions), list(self._start_tasks))
        progress = list(self._in_progress_positions)
        for position in lineage.removed_tasks:
            old = lineage.tasks[position]
            _remove(late, late_since(old), position)
            _remove(starts, _start(old), position)
            if old.status is TaskStatus.IN_PROGRESS:
                progress.remove(position)
        if not lineage.same_positions:  # the order stays: only the numbers change
            moved = [-1] * len(lineage.tasks)
            for new_start, old_start, count in lineage.moves:
                moved[old_start : old_start + count] = range(new_start, new_start + count)
            late[1][:] = [moved[position] for position in late[1]]
            starts[1][:] = [moved[position] for position in starts[1]]
            progress = [moved[position] for position in progress]
        for position in lineage.fresh_tasks:
            new = plan.tasks[position]
            _insert(late, late_since(new), position, new)
            _insert(starts, _start(new), position, new)
            if new.status is TaskStatus.IN_PROGRESS:
                progress.insert(bisect_left(progress, position), position)
        index._late_at, index._late_positions, index._late_tasks = late
        index._start_at, index._start_positions, index._start_tasks = starts
        index._in_progress_positions = progress
        index.in_progress = [plan.tasks[position] for position in progress]
        return index

    def late_count(self, now: datetime) -> int:
        return bisect_left(self._late_at, now)

    def late(self, now: datetime) -> list[Task]:
        """Late tasks, the longest-late first."""
        return self._late_tasks[: self.late_count(now)]

    def late_ids(self, now: datetime) -> set[str]:
        return {task.id for task in self.late(now)}

    def starting_within(self, now: datetime, span: timedelta) -> list[Task]:
        """Tasks not started whose planned start is between now and now + `span`, soonest first."""
        low = bisect_left(self._start_at, now)
        high = bisect_right(self._start_at, now + span)
        return self._start_tasks[low:high]

    def next_change(self, now: datetime) -> datetime | None:
        """The next instant a task turns late (so a screen knows when its late flags move)."""
        position = bisect_left(self._late_at, now)
        return self._late_at[position] if position < len(self._late_at) else None


_Sorted = tuple[list[datetime], list[int], list[Task]]
"""Instants ascending (ties in plan order), the plan positions and the tasks, in step."""


def _start(task: Task) -> datetime | None:
    """The task's planned start while it is not started: what `starting_within` ranges over."""
    return task.planned_start if task.status is TaskStatus.NOT_STARTED else None


def _place(entries: _Sorted, at: datetime, position: int) -> int:
    """Where (`at`, `position`) is or would go in `entries`."""
    moments, positions, _ = entries
    low = bisect_left(moments, at)
    high = bisect_right(moments, at, low)
    return bisect_left(positions, position, low, high)


def _remove(entries: _Sorted, at: datetime | None, position: int) -> None:
    if at is None:
        return
    place = _place(entries, at, position)
    for column in entries:
        del column[place]


def _insert(entries: _Sorted, at: datetime | None, position: int, task: Task) -> None:
    if at is None:
        return
    place = _place(entries, at, position)
    moments, positions, tasks = entries
    moments.insert(place, at)
    positions.insert(place, position)
    tasks.insert(place, task)
