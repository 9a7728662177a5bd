"""Per-snapshot indexes that make the dashboard's once-a-second figures cheap on big plans.

Built once when a snapshot arrives (O(n log n)); each tick then answers by bisection instead of
walking 10,000 tasks.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import datetime, timedelta

from ..model import Plan, Task, TaskStatus
from .figures import late_since
from .memo import memo


def plan_index(plan: Plan) -> PlanIndex:
    """The plan's index, built once and shared by every screen."""
    return memo(plan, "index", lambda: PlanIndex(plan))


class PlanIndex:
    """Lateness and start times of a plan's tasks, sorted for range questions."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        late = sorted(
            ((since, position) for position, task in enumerate(plan.tasks)
             if (since := late_since(task)) is not None),
        )  # fmt: skip
        self._late_at = [since for since, _ in late]
        self._late_tasks = [plan.tasks[position] for _, position in late]
        starts = sorted(
            (task.planned_start, position)
            for position, task in enumerate(plan.tasks)
            if task.status is TaskStatus.NOT_STARTED and task.planned_start is not None
        )
        self._start_at = [start for start, _ in starts]
        self._start_tasks = [plan.tasks[position] for _, position in starts]
        self.in_progress = [t for t in plan.tasks if t.status is TaskStatus.IN_PROGRESS]

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
