"""Scheduling figures over the dependency graph: critical path, forecast end, rollback end.

All work in one pass over a topological order (Kahn's algorithm, no recursion), so a plan of
10,000 tasks costs milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from ..model import FINISHED_STATUSES, Phase, Plan, Task, TaskStatus
from .memo import memo


def topological(tasks: Sequence[Task]) -> list[Task]:
    """`tasks` ordered so each comes after its predecessors among them.

    A valid plan has no cycles and no repeated dependency, so every task comes out once.
    """
    by_id = {task.id: task for task in tasks}
    waiting: dict[str, int] = {}
    followers: dict[str, list[str]] = {}
    for task in tasks:
        count = 0
        for predecessor in task.depends_on:
            if predecessor in by_id:
                count += 1
                followers.setdefault(predecessor, []).append(task.id)
        waiting[task.id] = count
    ready = [task.id for task in tasks if waiting[task.id] == 0]
    ordered: list[Task] = []
    while ready:
        current = ready.pop()
        ordered.append(by_id[current])
        for follower in followers.get(current, ()):
            waiting[follower] -= 1
            if waiting[follower] == 0:
                ready.append(follower)
    return ordered


def task_span(task: Task) -> timedelta:
    """How long a task takes: actual when known, planned otherwise, else zero."""
    if task.actual_start is not None and task.actual_end is not None:
        return task.actual_end - task.actual_start
    return task.planned_duration or timedelta(0)


def critical_path(plan: Plan) -> list[Task]:
    """The longest chain through ``depends_on`` by duration, contingency tasks left out."""
    return list(memo(plan, "critical_path", lambda: _critical_path(plan)))


def _critical_path(plan: Plan) -> list[Task]:
    tasks = [task for task in plan.tasks if task.phase is not Phase.CONTINGENCY]
    position = {task.id: index for index, task in enumerate(tasks)}
    length: dict[str, timedelta] = {}
    previous: dict[str, str | None] = {}
    for task in topological(tasks):
        best: str | None = None
        for predecessor in task.depends_on:
            if predecessor in length and (
                best is None
                or (length[predecessor], -position[predecessor]) > (length[best], -position[best])
            ):
                best = predecessor
        length[task.id] = task_span(task) + (length[best] if best else timedelta(0))
        previous[task.id] = best
    if not length:
        return []
    end = max(length, key=lambda task_id: (length[task_id], -position[task_id]))
    chain: list[Task] = []
    cursor: str | None = end
    while cursor is not None:
        chain.append(plan.task_by_id[cursor])
        cursor = previous[cursor]
    return chain[::-1]


def projected_finishes(
    tasks: Sequence[Task], now: datetime, *, ignore_planned_starts: bool = False
) -> dict[str, datetime | None]:
    """When each task is expected to finish, seen from `now`.

    Actual times where known, planned durations otherwise; work not yet done never finishes
    before now, and each task waits for its predecessors. None where a duration is missing.
    With `ignore_planned_starts`, work starts as soon as it can (a rollback started now).
    """
    finish: dict[str, datetime | None] = {}
    for task in topological(tasks):
        after = _latest((finish.get(d) for d in task.depends_on if d in finish), default=None)
        if any(finish.get(d, now) is None for d in task.depends_on):
            finish[task.id] = None
        elif task.status in FINISHED_STATUSES:
            finish[task.id] = _finished_at(task, now, after)
        else:
            planned_start = None if ignore_planned_starts else task.planned_start
            try:
                finish[task.id] = _expected_finish(task, now, after, planned_start)
            except OverflowError:  # a chain of absurd durations runs past year 9999
                finish[task.id] = None
    return finish


def _finished_at(task: Task, now: datetime, after: datetime | None) -> datetime | None:
    if task.actual_end is not None:
        return task.actual_end
    if task.planned_finish is not None:
        return min(task.planned_finish, now)
    return after or now


def _expected_finish(
    task: Task, now: datetime, after: datetime | None, planned_start: datetime | None
) -> datetime | None:
    duration = task.planned_duration
    if duration is None:
        return None
    if task.actual_start is not None and task.status is not TaskStatus.NOT_STARTED:
        return max(task.actual_start + duration, now)
    start = max(moment for moment in (planned_start, after, now) if moment is not None)
    return max(start + duration, now)


def _latest(moments: Iterable[datetime | None], default: datetime | None) -> datetime | None:
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else default


def forecast_cutover_end(plan: Plan, now: datetime) -> datetime | None:
    """The cutover phase's projected finish; None without cutover tasks or their durations."""
    tasks = [task for task in plan.tasks if task.phase is not Phase.CONTINGENCY]
    finishes = projected_finishes(tasks, now)
    cutover = [finishes[t.id] for t in tasks if t.phase is Phase.CUTOVER]
    if not cutover or any(moment is None for moment in cutover):
        return None
    return max(moment for moment in cutover if moment is not None)


def rollback_tasks(plan: Plan) -> list[Task]:
    """The contingency tasks a rollback decided now would run.

    Those of the next undecided Go/No-Go that lists any (with the contingency tasks they
    depend on); without one, every contingency task.
    """
    contingency = [task for task in plan.tasks if task.phase is Phase.CONTINGENCY]
    pending = sorted(
        (c for c in plan.checkpoints if c.is_overdue_decision and c.contingency),
        key=lambda c: c.at,
    )
    if not pending:
        return contingency
    wanted: set[str] = set()
    queue = [ref for ref in pending[0].contingency if ref in plan.task_by_id]
    while queue:
        task_id = queue.pop()
        if task_id not in wanted:
            wanted.add(task_id)
            queue.extend(plan.task_by_id[task_id].depends_on)
    return [task for task in contingency if task.id in wanted]


def rollback_now_end(plan: Plan, now: datetime) -> datetime | None:
    """When the rollback (`rollback_tasks`) would be finished if it started now."""
    finishes = projected_finishes(rollback_tasks(plan), now, ignore_planned_starts=True)
    if not finishes or any(moment is None for moment in finishes.values()):
        return None
    return max(moment for moment in finishes.values() if moment is not None)
