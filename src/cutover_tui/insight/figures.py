"""Derived figures of a plan at an instant: pure functions of (plan, now), no IO, no clock.

Each function answers one question a cutover manager asks; `summary.py` assembles them into the
`status --json` report and the screens show the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from ..model import (
    FINISHED_STATUSES,
    Blocker,
    Checkpoint,
    Lineage,
    Phase,
    Plan,
    Severity,
    Task,
    TaskStatus,
)
from .memo import carried, memo

PROGRESS_PHASES = (Phase.PRE_CUTOVER, Phase.CUTOVER, Phase.POST_CUTOVER)


def countdown(plan: Plan, now: datetime) -> timedelta:
    """Time until final data production; negative once it has started."""
    return plan.header.final_data_production - now


def cutover_finished(plan: Plan) -> bool:
    """Every cutover-phase task is done or skipped."""
    return memo(plan, "cutover_unfinished", lambda: _cutover_unfinished(plan)) == 0


def _cutover_unfinished(plan: Plan) -> int:
    before = carried(plan, "cutover_unfinished", moved=True)
    if before is not None:
        count, lineage = before
        return int(count) + sum(sign * _unfinished(task) for task, sign in _replaced(plan, lineage))
    return sum(map(_unfinished, plan.tasks))


def _unfinished(task: Task) -> bool:
    """A cutover-phase task not yet done or skipped."""
    return task.phase is Phase.CUTOVER and not task.is_finished


def phase_now(plan: Plan, now: datetime) -> Phase:
    """Pre-cutover before final data production, cutover until go-live, then post-cutover.

    Without a go-live time the cutover ends when every cutover-phase task is done or skipped.
    """
    header = plan.header
    if now < header.final_data_production:
        return Phase.PRE_CUTOVER
    if header.go_live is not None:
        return Phase.CUTOVER if now < header.go_live else Phase.POST_CUTOVER
    return Phase.POST_CUTOVER if cutover_finished(plan) else Phase.CUTOVER


@dataclass(frozen=True, slots=True)
class Sla:
    limit: timedelta
    elapsed: timedelta
    remaining: timedelta
    ends_at: datetime
    state: str
    """``ok``, ``warning`` or ``breached``."""
    finished: bool


def sla(plan: Plan, now: datetime) -> Sla | None:
    """The cutover SLA's clock, or None when the plan sets no ``cutover_sla``.

    The clock stops when the cutover finishes (at its last task's actual end, when known): a
    cutover that finished inside the SLA stays ``ok``, one that finished late stays ``breached``.
    """
    header = plan.header
    limit = header.cutover_sla
    if limit is None:
        return None
    fdp = header.final_data_production
    finished = now >= fdp and cutover_finished(plan)
    stopped = min(_cutover_finished_at(plan) or now, now) if finished else now
    elapsed = max(stopped - fdp, timedelta(0))
    remaining = limit - elapsed
    warning = header.sla_warning_span or timedelta(0)
    if remaining < timedelta(0):
        state = "breached"
    elif remaining < warning and not finished:
        state = "warning"
    else:
        state = "ok"
    return Sla(limit, elapsed, remaining, fdp + limit, state, finished)


def _cutover_finished_at(plan: Plan) -> datetime | None:
    ends = [t.actual_end for t in plan.tasks if t.phase is Phase.CUTOVER and t.actual_end]
    return max(ends) if ends else None


def late_since(task: Task) -> datetime | None:
    """The instant after which `task` counts as late (None: it cannot be late as it stands).

    Late: not done or skipped, and past its planned end, or past its planned start while not
    started. Contingency tasks run only after a No-Go, so an untouched one is never late.
    """
    if task.status in FINISHED_STATUSES:
        return None
    if task.phase is Phase.CONTINGENCY and task.status is TaskStatus.NOT_STARTED:
        return None
    moments = [task.planned_finish]
    if task.status is TaskStatus.NOT_STARTED:
        moments.append(task.planned_start)
    known = [moment for moment in moments if moment is not None]
    return min(known) if known else None


def is_late(task: Task, now: datetime) -> bool:
    since = late_since(task)
    return since is not None and now > since


def late_tasks(plan: Plan, now: datetime) -> list[Task]:
    return [task for task in plan.tasks if is_late(task, now)]


def tasks_with_status(plan: Plan, status: TaskStatus) -> list[Task]:
    return [task for task in plan.tasks if task.status is status]


def status_counts(plan: Plan) -> dict[TaskStatus, int]:
    """Tasks by status (counted once per plan)."""
    return dict(memo(plan, "status_counts", lambda: _count_statuses(plan)))


def _count_statuses(plan: Plan) -> dict[TaskStatus, int]:
    before = carried(plan, "status_counts", moved=True)
    if before is not None:  # patched: only the tasks that left or came count again
        counts, lineage = before
        counts = dict(counts)
        for task, sign in _replaced(plan, lineage):
            counts[task.status] += sign
        return cast(dict[TaskStatus, int], counts)
    counts = dict.fromkeys(TaskStatus, 0)
    for task in plan.tasks:
        counts[task.status] += 1
    return counts


_Tally = tuple[dict[Phase, int], dict[Phase, int]]
"""Tasks done or skipped, and all tasks, per phase of `PROGRESS_PHASES`."""


def progress(plan: Plan) -> dict[str, float]:
    """Share of tasks done or skipped per phase and overall (contingency excluded).

    A phase with no tasks reports 0.
    """
    done, total = memo(plan, "progress_tally", lambda: _progress_tally(plan))
    shares = {str(phase): _share(done[phase], total[phase]) for phase in PROGRESS_PHASES}
    shares["overall"] = _share(sum(done.values()), sum(total.values()))
    return shares


def _progress_tally(plan: Plan) -> _Tally:
    before = carried(plan, "progress_tally", moved=True)
    if before is not None:
        (done, total), lineage = cast(tuple[_Tally, Any], before)
        done, total = dict(done), dict(total)
        for task, sign in _replaced(plan, lineage):
            if task.phase in total:
                total[task.phase] += sign
                done[task.phase] += sign * task.is_finished
        return done, total
    done = dict.fromkeys(PROGRESS_PHASES, 0)
    total = dict.fromkeys(PROGRESS_PHASES, 0)
    for task in plan.tasks:
        if task.phase in total:
            total[task.phase] += 1
            done[task.phase] += task.is_finished
    return done, total


def _replaced(plan: Plan, lineage: Lineage) -> list[tuple[Task, int]]:
    """The tasks that left (-1) and the tasks that came (+1)."""
    old, new = lineage.tasks, plan.tasks
    return [(old[k], -1) for k in lineage.removed_tasks] + [
        (new[k], 1) for k in lineage.fresh_tasks
    ]


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def open_blockers(plan: Plan) -> list[Blocker]:
    """Blockers open or mitigated, in plan order."""
    return [blocker for blocker in plan.blockers if blocker.is_open]


def is_stale(blocker: Blocker, plan: Plan, now: datetime) -> bool:
    """Open, and not updated for the plan's ``blocker_update_interval``."""
    return blocker.is_open and now - blocker.last_update > plan.header.stale_after


def stale_blockers(plan: Plan, now: datetime) -> list[Blocker]:
    return [blocker for blocker in plan.blockers if is_stale(blocker, plan, now)]


def blockers_by_severity(plan: Plan) -> dict[Severity, int]:
    """Open blockers counted by severity."""
    counts = dict.fromkeys(Severity, 0)
    for blocker in open_blockers(plan):
        counts[blocker.severity] += 1
    return counts


def open_blockers_ranked(plan: Plan) -> list[Blocker]:
    """Open blockers, most severe first, then oldest first."""
    rank = {severity: position for position, severity in enumerate(Severity)}
    return sorted(open_blockers(plan), key=lambda b: (rank[b.severity], b.raised_at))


def overdue_decisions(plan: Plan, now: datetime) -> list[Checkpoint]:
    """Go/No-Go decisions still pending after their time, earliest first."""
    overdue = [c for c in plan.checkpoints if c.is_overdue_decision and c.at < now]
    return sorted(overdue, key=lambda c: c.at)


def upcoming_checkpoints(plan: Plan, now: datetime) -> list[Checkpoint]:
    """Checkpoints at or after now, in time order."""
    return sorted((c for c in plan.checkpoints if c.at >= now), key=lambda c: c.at)


def next_checkpoint(plan: Plan, now: datetime) -> Checkpoint | None:
    """An overdue undecided Go/No-Go first; else the earliest checkpoint still ahead."""
    for candidates in (overdue_decisions(plan, now), upcoming_checkpoints(plan, now)):
        if candidates:
            return candidates[0]
    return None


def starting_soon(plan: Plan, now: datetime, within: timedelta) -> list[Task]:
    """Tasks not started whose planned start falls between now and `within` from now."""
    return [
        task
        for task in plan.tasks
        if task.status is TaskStatus.NOT_STARTED
        and task.planned_start is not None
        and now <= task.planned_start <= now + within
    ]
