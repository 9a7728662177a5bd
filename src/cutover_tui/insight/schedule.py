"""Scheduling figures over the dependency graph: critical path, forecast end, rollback end.

All work in one pass over a topological order (Kahn's algorithm, no recursion), so a plan of
10,000 tasks costs milliseconds. The runbook's graph (its tasks as indexes, their dependencies
among them, an order) is built once per plan, and a plan loaded as an edit of the previous one
keeps that plan's graph when no dependency changed; what each task brings (its span, how its
finish is worked out) is kept per task, so only the replaced tasks are looked at again.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

from ..model import FINISHED_STATUSES, Lineage, Phase, Plan, Task, TaskStatus
from .memo import carried, memo


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
    return list(memo(plan, "critical_path", lambda: _critical_path_of(plan)))


def _critical_path_of(plan: Plan) -> list[Task]:
    path = _runbook(plan).critical_path()
    return path if path is not None else _critical_path(plan)


def _critical_path(plan: Plan) -> list[Task]:
    """`critical_path` as first written: what the graph's version must agree with."""
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
    graph = _runbook(plan)
    finishes = graph.finishes(now, ignore_planned_starts=False)
    if finishes is None:
        return _forecast_cutover_end(plan, now)
    cutover = [finishes[i] for i in graph.cutover_tasks()]
    if not cutover or any(moment is None for moment in cutover):
        return None
    return max(moment for moment in cutover if moment is not None)


def _forecast_cutover_end(plan: Plan, now: datetime) -> datetime | None:
    """`forecast_cutover_end` over `projected_finishes`, for what the graph leaves to it."""
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
    return list(memo(plan, "rollback_tasks", lambda: _rollback_tasks(plan)))


def _rollback_tasks(plan: Plan) -> list[Task]:
    before = carried(plan, "rollback_tasks")
    if before is not None and _same_rollback(plan, before[1]):
        return list(before[0])
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


def _same_rollback(plan: Plan, lineage: Lineage) -> bool:
    """Whether `rollback_tasks` must give the same tasks as for the previous plan: the same
    checkpoints, and no replaced task in the contingency phase or with new dependencies."""
    if not lineage.same_checkpoints:
        return False
    for k in lineage.fresh_tasks:
        old, new = lineage.tasks[k], plan.tasks[k]
        if (
            Phase.CONTINGENCY in (old.phase, new.phase)
            or old.id != new.id
            or old.depends_on != new.depends_on
        ):
            return False
    return True


def _rollback_graph(plan: Plan) -> _Graph:
    tasks = rollback_tasks(plan)
    before = carried(plan, "schedule.rollback")
    if before is not None and _same_rollback(plan, before[1]):
        graph: _Graph = before[0]
        return graph  # the same task records: the same graph and steps
    return _Graph.of(tasks)


def rollback_now_end(plan: Plan, now: datetime) -> datetime | None:
    """When the rollback (`rollback_tasks`) would be finished if it started now."""
    graph = memo(plan, "schedule.rollback", lambda: _rollback_graph(plan))
    finishes = graph.finishes(now, ignore_planned_starts=True)
    if finishes is None:
        finishes = list(projected_finishes(graph.tasks, now, ignore_planned_starts=True).values())
    if not finishes or any(moment is None for moment in finishes):
        return None
    return max(moment for moment in finishes if moment is not None)


# --- the graph ----------------------------------------------------------------------------------

_Step = tuple[int, datetime | None, timedelta | None]
"""How a task's projected finish is worked out: a kind (below) and the moment and span it uses."""
_ENDED, _PLANNED_END, _AFTER, _NO_DURATION, _RUNNING, _WAITING = range(6)


def _step(task: Task, ignore_planned_starts: bool) -> _Step:
    """The part of `projected_finishes` for `task` that does not depend on the moment."""
    if task.status in FINISHED_STATUSES:
        if task.actual_end is not None:
            return _ENDED, task.actual_end, None
        if task.planned_finish is not None:
            return _PLANNED_END, task.planned_finish, None
        return _AFTER, None, None
    duration = task.planned_duration
    if duration is None:
        return _NO_DURATION, None, None
    if task.actual_start is not None and task.status is not TaskStatus.NOT_STARTED:
        return _RUNNING, task.actual_start, duration
    return _WAITING, None if ignore_planned_starts else task.planned_start, duration


def _runbook(plan: Plan) -> _Graph:
    """The graph of the plan's tasks outside the contingency phase, built once per plan."""
    return memo(plan, "schedule.runbook", lambda: _runbook_graph(plan))


def _runbook_graph(plan: Plan) -> _Graph:
    before = carried(plan, "schedule.runbook", moved=True)
    if before is not None and isinstance(before[0], _Graph):
        previous: _Graph = before[0]
        lineage = before[1]
        if lineage.same_positions and (patched := previous.patched(plan, lineage)) is not None:
            return patched
        graph = _runbook_built(plan)  # tasks came, went or changed dependencies
        graph.adopt(previous, plan, lineage)
        return graph
    return _runbook_built(plan)


def _runbook_built(plan: Plan) -> _Graph:
    positions = [k for k, task in enumerate(plan.tasks) if task.phase is not Phase.CONTINGENCY]
    return _Graph.of([plan.tasks[k] for k in positions], positions)


@dataclass(slots=True)
class _Graph:
    """Tasks, each one's dependencies among them as indexes, and a topological order.

    What each task brings to a figure is worked out when first asked for, then kept.
    """

    tasks: list[Task]
    positions: list[int]
    """Each task's position in the plan (ascending)."""
    depends: list[tuple[int, ...]]
    order: list[int]
    """Every task once, each after those it depends on; shorter if there is a cycle."""
    spans: list[timedelta] | None = None
    critical: list[int] | None = None
    """The critical path, as indexes."""
    steps: dict[bool, list[_Step]] = field(default_factory=dict)
    """Per `ignore_planned_starts`: each task's `_step`."""
    cutover: list[int] | None = None
    """The indexes of the cutover-phase tasks, ascending."""

    @classmethod
    def of(cls, tasks: Sequence[Task], positions: Sequence[int] | None = None) -> _Graph:
        index = {task.id: i for i, task in enumerate(tasks)}.get
        depends: list[tuple[int, ...]] = []
        in_order = True  # listed in order of work, as runbooks usually are
        for i, task in enumerate(tasks):
            if not task.depends_on:
                depends.append(())
                continue
            found = tuple(map(index, task.depends_on))
            if None in found:  # dependencies outside these tasks do not count
                found = tuple(d for d in found if d is not None)
            depends.append(cast(tuple[int, ...], found))
            if found and max(cast(tuple[int, ...], found)) >= i:
                in_order = False
        order = list(range(len(tasks))) if in_order else _kahn(depends)
        return cls(list(tasks), list(positions or range(len(tasks))), depends, order)

    def patched(self, plan: Plan, lineage: Lineage) -> _Graph | None:
        """This graph for `plan` (this graph's plan with the tasks at `lineage.fresh_tasks`
        replaced), or None when a replacement changed its id, its dependencies or whether it
        is in the graph."""
        tasks = list(self.tasks)
        fresh: list[int] = []
        for k in lineage.fresh_tasks:
            old, new = lineage.tasks[k], plan.tasks[k]
            inside = new.phase is not Phase.CONTINGENCY
            if (
                old.id != new.id
                or old.depends_on != new.depends_on
                or (old.phase is not Phase.CONTINGENCY) != inside
            ):
                return None
            if inside:
                i = bisect_left(self.positions, k)
                tasks[i] = new
                fresh.append(i)
        graph = _Graph(tasks, self.positions, self.depends, self.order)
        if self.spans is not None:
            graph.spans = list(self.spans)
            for i in fresh:
                graph.spans[i] = task_span(tasks[i])
            if self.critical is not None and all(graph.spans[i] == self.spans[i] for i in fresh):
                graph.critical = self.critical  # the same spans over the same graph
        for ignore, steps in self.steps.items():
            graph.steps[ignore] = list(steps)
            for i in fresh:
                graph.steps[ignore][i] = _step(tasks[i], ignore)
        if self.cutover is not None:
            graph.cutover = cutover = list(self.cutover)
            for i in fresh:
                was, is_now = self.tasks[i].phase is Phase.CUTOVER, tasks[i].phase is Phase.CUTOVER
                if was and not is_now:
                    cutover.remove(i)
                elif is_now and not was:
                    cutover.insert(bisect_left(cutover, i), i)
        return graph

    def adopt(self, previous: _Graph, plan: Plan, lineage: Lineage) -> None:
        """Take over what `previous` (the previous plan's graph) worked out for each task
        carried over: its span and its forecast steps."""
        if previous.spans is None and not previous.steps:
            return
        old_index = [-1] * len(lineage.tasks)
        for j, position in enumerate(previous.positions):
            old_index[position] = j
        old_position = [-1] * len(plan.tasks)
        for new_start, old_start, count in lineage.moves:
            old_position[new_start : new_start + count] = range(old_start, old_start + count)
        source = [
            old_index[old_position[p]] if old_position[p] >= 0 else -1 for p in self.positions
        ]
        source = [j if j >= 0 and previous.tasks[j] is task else -1
                  for j, task in zip(source, self.tasks, strict=True)]  # fmt: skip
        pairs = list(zip(source, self.tasks, strict=True))
        if previous.spans is not None:
            spans = previous.spans
            self.spans = [spans[j] if j >= 0 else task_span(task) for j, task in pairs]
        for ignore, steps in previous.steps.items():
            self.steps[ignore] = [steps[j] if j >= 0 else _step(task, ignore) for j, task in pairs]

    def cutover_tasks(self) -> list[int]:
        if self.cutover is None:
            self.cutover = [i for i, task in enumerate(self.tasks) if task.phase is Phase.CUTOVER]
        return self.cutover

    def critical_path(self) -> list[Task] | None:
        """`_critical_path`, over indexes: the same chain (ties go to the earlier task); None
        if there is a cycle (left to `_critical_path`)."""
        if len(self.order) != len(self.tasks):
            return None
        if self.critical is None:
            self.critical = self._critical()
        return [self.tasks[i] for i in self.critical]

    def _critical(self) -> list[int]:
        if self.spans is None:
            self.spans = [task_span(task) for task in self.tasks]
        spans, depends = self.spans, self.depends
        length: list[timedelta] = list(spans)
        previous = [-1] * len(spans)
        end, longest = -1, timedelta(0)
        for i in self.order:
            best = -1
            for d in depends[i]:
                if best < 0 or length[d] > length[best] or (length[d] == length[best] and d < best):
                    best = d
            if best >= 0:
                length[i] = spans[i] + length[best]
                previous[i] = best
            if end < 0 or length[i] > longest or (length[i] == longest and i < end):
                end, longest = i, length[i]
        chain: list[int] = []
        while end >= 0:
            chain.append(end)
            end = previous[end]
        return chain[::-1]

    def finishes(
        self, now: datetime, *, ignore_planned_starts: bool
    ) -> list[datetime | None] | None:
        """`projected_finishes` by index; None where the general version must answer (a cycle,
        or a chain of absurd durations that runs past year 9999)."""
        if len(self.order) != len(self.tasks):
            return None
        steps = self.steps.get(ignore_planned_starts)
        if steps is None:
            steps = [_step(task, ignore_planned_starts) for task in self.tasks]
            self.steps[ignore_planned_starts] = steps
        finish: list[datetime | None] = [None] * len(steps)
        depends = self.depends
        try:
            for i in self.order:
                after: datetime | None = None
                missing = False
                for d in depends[i]:
                    moment = finish[d]
                    if moment is None:
                        missing = True
                        break
                    if after is None or moment > after:
                        after = moment
                if missing:
                    continue
                kind, at, duration = steps[i]
                # Each line is `projected_finishes`' own arithmetic (`max` keeps the first of
                # equals, `min` too), so the same moments come out.
                if kind == _ENDED:
                    finish[i] = at
                elif kind == _PLANNED_END:
                    assert at is not None
                    finish[i] = now if now < at else at
                elif kind == _AFTER:
                    finish[i] = after or now
                elif kind == _NO_DURATION:
                    continue
                else:
                    assert duration is not None
                    if kind == _RUNNING:
                        assert at is not None
                        end = at + duration
                    else:
                        start = at
                        if after is not None and (start is None or after > start):
                            start = after
                        if start is None or now > start:
                            start = now
                        end = start + duration
                    finish[i] = now if now > end else end
        except OverflowError:
            return None
        return finish


def _kahn(depends: list[tuple[int, ...]]) -> list[int]:
    """A topological order of indexes (leaving out any on a cycle)."""
    waiting = [len(before) for before in depends]
    followers: list[list[int]] = [[] for _ in depends]
    for i, before in enumerate(depends):
        for d in before:
            followers[d].append(i)
    ready = [i for i, count in enumerate(waiting) if not count]
    order: list[int] = []
    while ready:
        current = ready.pop()
        order.append(current)
        for follower in followers[current]:
            waiting[follower] -= 1
            if not waiting[follower]:
                ready.append(follower)
    return order
