"""The consistency rules of PLAN_FORMAT.md that relate fields and records to each other.

Rules run on every record that is valid on its own, even when others are not, so one pass over a
document reports every mistake in it. Each finding is located by a pydantic-style path
(``("tasks", 3, "planned_end")``); the loader turns paths into readable text.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import repeat

from .document import (
    ENDED_STATUSES,
    Blocker,
    BlockerStatus,
    Checkpoint,
    CheckpointKind,
    Decision,
    Phase,
    Plan,
    PlanHeader,
    Task,
)
from .durations import format_duration

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    loc: Loc
    message: str


@dataclass
class Records:
    """The records of a document that validated on their own, with their positions."""

    header: PlanHeader | None = None
    tasks: list[tuple[int, Task]] = field(default_factory=list)
    blockers: list[tuple[int, Blocker]] = field(default_factory=list)
    checkpoints: list[tuple[int, Checkpoint]] = field(default_factory=list)
    task_ids: set[str] = field(default_factory=set)
    """Every task id the document names, valid task or not (so a broken task is not 'unknown')."""

    @classmethod
    def of(cls, plan: Plan) -> Records:
        return cls(
            header=plan.header,
            tasks=list(enumerate(plan.tasks)),
            blockers=list(enumerate(plan.blockers)),
            checkpoints=list(enumerate(plan.checkpoints)),
            task_ids={task.id for task in plan.tasks},
        )


def check(records: Records) -> list[Finding]:
    """Every rule violation among `records`."""
    return check_ranked(records)[0]


def check_ranked(records: Records) -> tuple[list[Finding], dict[str, int] | None]:
    """`check`, and `topological_ranks` of the tasks when their ids are unique and acyclic."""
    plain = [task for _, task in records.tasks]
    unique = len({task.id for task in plain}) == len(plain)
    ranks = topological_ranks(plain) if unique else None
    findings: list[Finding] = []
    if records.header is not None:
        findings += _header_rules(records.header)
    findings += _duplicate_ids("tasks", records.tasks)
    findings += _duplicate_ids("blockers", records.blockers)
    findings += _duplicate_ids("checkpoints", records.checkpoints)
    phase_of = {task.id: task.phase for _, task in records.tasks}
    for index, task in records.tasks:
        findings += _task_rules(index, task, records.task_ids)
    for index, blocker in records.blockers:
        findings += _blocker_rules(index, blocker, records.task_ids)
    for index, checkpoint in records.checkpoints:
        findings += _checkpoint_rules(index, checkpoint, records.task_ids, phase_of)
    if ranks is None:  # else there is no cycle to find
        findings += _dependency_cycles(records.tasks)
    return findings, ranks


def _header_rules(header: PlanHeader) -> Iterable[Finding]:
    fdp = header.final_data_production
    if header.go_live is not None and header.go_live < fdp:
        yield Finding(("plan", "go_live"), "is before final_data_production")
    if header.sla_warning is not None:
        if header.cutover_sla is None:
            yield Finding(("plan", "sla_warning"), "is set but there is no cutover_sla to warn of")
        elif header.sla_warning >= header.cutover_sla:
            yield Finding(("plan", "sla_warning"), "must be shorter than cutover_sla")
    if header.cutover_sla is not None and header.cutover_sla <= timedelta(0):
        yield Finding(("plan", "cutover_sla"), "must be longer than zero")
    if header.blocker_update_interval is not None and header.blocker_update_interval <= timedelta(
        0
    ):
        yield Finding(("plan", "blocker_update_interval"), "must be longer than zero")


def _duplicate_ids(
    section: str, records: Sequence[tuple[int, Task | Blocker | Checkpoint]]
) -> Iterable[Finding]:
    first_index: dict[str, int] = {}
    for index, record in records:
        if record.id in first_index:
            yield Finding(
                (section, index, "id"),
                f"'{record.id}' is already used by {section}[{first_index[record.id]}]",
            )
        else:
            first_index[record.id] = index


def _references(
    loc: Loc, ids: Sequence[str], known: Collection[str], *, what: str = "task"
) -> Iterable[Finding]:
    seen: set[str] = set()
    for position, ref in enumerate(ids):
        if ref not in known:
            yield Finding((*loc, position), f"unknown {what} '{ref}'")
        elif ref in seen:
            yield Finding((*loc, position), f"lists '{ref}' twice")
        seen.add(ref)


def _task_rules(index: int, task: Task, task_ids: Collection[str]) -> Iterable[Finding]:
    here: Loc = ("tasks", index)
    start, end, duration = task.planned_start, task.planned_end, task.duration
    if start is not None and end is not None:
        if end < start:
            yield Finding((*here, "planned_end"), "is before planned_start")
        elif duration is not None and end - start != duration:
            yield Finding(
                (*here, "duration"),
                f"disagrees with planned_end minus planned_start ({format_duration(end - start)})",
            )
    started, ended = task.actual_start, task.actual_end
    if started is not None and ended is not None and ended < started:
        yield Finding((*here, "actual_end"), "is before actual_start")
    if task.actual_end is not None and task.status not in ENDED_STATUSES:
        yield Finding(
            (*here, "actual_end"),
            f"is set but status is '{task.status}' (only a done, failed or skipped task has ended)",
        )
    if task.milestone and (task.planned_duration or timedelta(0)) > timedelta(0):
        yield Finding((*here, "milestone"), "a milestone has no length, but this task has one")
    if task.id in task.depends_on:
        yield Finding((*here, "depends_on"), "a task cannot depend on itself")
    yield from _references((*here, "depends_on"), task.depends_on, task_ids)


def _blocker_rules(index: int, blocker: Blocker, task_ids: Collection[str]) -> Iterable[Finding]:
    here: Loc = ("blockers", index)
    yield from _references((*here, "tasks"), blocker.tasks, task_ids)
    if blocker.status is BlockerStatus.RESOLVED and blocker.resolved_at is None:
        yield Finding((*here, "resolved_at"), "is required when status is 'resolved'")
    if blocker.status is not BlockerStatus.RESOLVED and blocker.resolved_at is not None:
        yield Finding((*here, "resolved_at"), f"is set but status is '{blocker.status}'")
    if blocker.updated_at is not None and blocker.updated_at < blocker.raised_at:
        yield Finding((*here, "updated_at"), "is before raised_at")
    if blocker.resolved_at is not None and blocker.resolved_at < blocker.raised_at:
        yield Finding((*here, "resolved_at"), "is before raised_at")


def _checkpoint_rules(
    index: int, checkpoint: Checkpoint, task_ids: Collection[str], phase_of: dict[str, Phase]
) -> Iterable[Finding]:
    here: Loc = ("checkpoints", index)
    decided = checkpoint.decision is not Decision.PENDING
    if decided and checkpoint.kind is not CheckpointKind.GO_NO_GO:
        yield Finding((*here, "decision"), "only a go-no-go checkpoint takes a decision")
    if checkpoint.decision is Decision.GO_WITH_CONDITIONS and not checkpoint.conditions:
        yield Finding((*here, "conditions"), "is required with decision 'go-with-conditions'")
    if decided and not checkpoint.decided_by:
        yield Finding(
            (*here, "decided_by"), f"is required once the decision is '{checkpoint.decision}'"
        )
    if decided and checkpoint.decided_at is None:
        yield Finding(
            (*here, "decided_at"), f"is required once the decision is '{checkpoint.decision}'"
        )
    yield from _references((*here, "contingency"), checkpoint.contingency, task_ids)
    for position, ref in enumerate(checkpoint.contingency):
        phase = phase_of.get(ref)
        if phase is not None and phase is not Phase.CONTINGENCY:
            yield Finding(
                (*here, "contingency", position),
                f"task '{ref}' is in phase '{phase}'; only contingency-phase tasks run on No-Go",
            )


def _dependency_cycles(tasks: Sequence[tuple[int, Task]]) -> Iterable[Finding]:
    """Each dependency cycle once, found by an iterative depth-first search (plans can be deep)."""
    index_of = {task.id: index for index, task in tasks}
    depends_on = {
        task.id: [d for d in task.depends_on if d in index_of and d != task.id] for _, task in tasks
    }
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for _, root in tasks:
        if root.id in state:
            continue
        path: list[str] = [root.id]
        iterators = [iter(depends_on[root.id])]
        state[root.id] = 1
        while iterators:
            successor = next(iterators[-1], None)
            if successor is None:
                state[path.pop()] = 2
                iterators.pop()
            elif state.get(successor) == 1:
                cycle = [*path[path.index(successor) :], successor]
                yield Finding(
                    ("tasks", index_of[successor], "depends_on"),
                    "dependency cycle: " + " → ".join(cycle),
                )
            elif successor not in state:
                state[successor] = 1
                path.append(successor)
                iterators.append(iter(depends_on[successor]))


def topological_ranks(tasks: Sequence[Task]) -> dict[str, int] | None:
    """A rank per task id, each task ranked above those it depends on; None if there is a cycle.

    Counts only dependencies on tasks among `tasks` and not on itself, as the cycle rule does;
    the ids must be unique. A runbook usually lists each task after its predecessors, and then
    positions serve as ranks (one pass); otherwise Kahn's algorithm ranks them.
    """
    rank = {task.id: position for position, task in enumerate(tasks)}
    get = rank.get
    for position, task in enumerate(tasks):
        if task.depends_on and max(map(get, task.depends_on, repeat(-1))) >= position:
            break
    else:
        return rank
    waiting: dict[str, int] = {}
    followers: dict[str, list[str]] = {}
    for task in tasks:
        known = [d for d in task.depends_on if d in rank and d != task.id]
        waiting[task.id] = len(known)
        for predecessor in known:
            followers.setdefault(predecessor, []).append(task.id)
    ready = [task.id for task in tasks if not waiting[task.id]]
    ranked: dict[str, int] = {}
    while ready:
        current = ready.pop()
        ranked[current] = len(ranked)
        for follower in followers.get(current, ()):
            waiting[follower] -= 1
            if not waiting[follower]:
                ready.append(follower)
    return ranked if len(ranked) == len(rank) else None


def quick_check(
    plan: Plan,
    previous: Plan,
    fresh_tasks: Sequence[int],
    ranks: dict[str, int] | None,
    *,
    same_ids: bool = False,
) -> dict[str, int] | None:
    """Whether `check` would find nothing in `plan`, judged without re-checking what cannot fail.

    Every task of `plan` not at a position in `fresh_tasks` is a record of `previous`, which
    passed every rule; `ranks` is None or a topological rank valid for every task of `previous`
    that `plan` carries over; `same_ids` says the plan has exactly the task ids of `previous`.
    Returns a topological rank valid for `plan` when nothing would be found, None when
    something might (then run `check`).
    """
    if any(_header_rules(plan.header)):
        return None
    by_id = plan.task_by_id
    tasks = plan.tasks
    if (
        len(by_id) != len(tasks)
        or len(plan.blocker_by_id) != len(plan.blockers)
        or len(plan.checkpoint_by_id) != len(plan.checkpoints)
    ):
        return None  # a repeated id
    ids = by_id.keys()
    for index in fresh_tasks:
        if any(_task_rules(index, tasks[index], ids)):
            return None
    gone = set() if same_ids else previous.task_by_id.keys() - ids
    if gone:  # a carried-over task may depend on a task that is no more
        fresh = set(fresh_tasks)
        for index, task in enumerate(tasks):
            if index not in fresh and not gone.isdisjoint(task.depends_on):
                return None
    for index, blocker in enumerate(plan.blockers):
        if any(_blocker_rules(index, blocker, ids)):
            return None
    phase_of = {
        ref: by_id[ref].phase for c in plan.checkpoints for ref in c.contingency if ref in by_id
    }
    for index, checkpoint in enumerate(plan.checkpoints):
        if any(_checkpoint_rules(index, checkpoint, ids, phase_of)):
            return None
    if ranks is not None and _ranks_hold(tasks, fresh_tasks, ranks):
        return ranks
    return topological_ranks(tasks)


def _ranks_hold(tasks: Sequence[Task], fresh: Sequence[int], ranks: dict[str, int]) -> bool:
    """Each fresh task ranks above what it depends on (carried-over tasks already did)."""
    for index in fresh:
        task = tasks[index]
        own = ranks.get(task.id)
        if own is None:
            return False
        for dependency in task.depends_on:
            rank = ranks.get(dependency)
            if rank is None or rank >= own:
                return False
    return True


def warnings(plan: Plan) -> list[Finding]:
    """Things that are allowed but that a cutover manager would want to know before the night."""
    found: list[Finding] = []
    header = plan.header
    fdp = header.final_data_production
    window_end = header.go_live or (fdp + header.cutover_sla if header.cutover_sla else None)
    for index, task in enumerate(plan.tasks):
        here: Loc = ("tasks", index)
        if not task.owner:
            found.append(Finding((*here, "owner"), "has no owner: who does this on the night?"))
        if (
            task.phase is Phase.CUTOVER
            and not task.is_finished
            and task.planned_duration is None
            and task.actual_end is None
        ):
            found.append(
                Finding(here, "cutover task without a duration or planned end cannot be forecast")
            )
        found += _window_warnings(here, task, fdp, window_end, header.go_live)
    for index, checkpoint in enumerate(plan.checkpoints):
        if checkpoint.kind is CheckpointKind.GO_NO_GO and not checkpoint.criteria:
            found.append(
                Finding(("checkpoints", index, "criteria"), "a Go/No-Go without readiness criteria")
            )
    known_refs = plan.task_by_id.keys() | plan.blocker_by_id.keys() | plan.checkpoint_by_id.keys()
    for index, entry in enumerate(plan.log):
        if entry.ref is not None and entry.ref not in known_refs:
            found.append(
                Finding(("log", index, "ref"), f"refers to '{entry.ref}', which is not in the plan")
            )
    if header.point_of_no_return is not None and header.point_of_no_return < fdp:
        found.append(Finding(("plan", "point_of_no_return"), "is before final_data_production"))
    return found


def _window_warnings(
    here: Loc, task: Task, fdp: datetime, window_end: datetime | None, go_live: datetime | None
) -> Iterable[Finding]:
    start, finish = task.planned_start, task.planned_finish
    if task.phase is Phase.PRE_CUTOVER and finish is not None and finish > fdp:
        yield Finding(
            (*here, "planned_end"), "pre-cutover task planned to end after final data production"
        )
    if task.phase is Phase.CUTOVER:
        if start is not None and start < fdp:
            yield Finding(
                (*here, "planned_start"), "cutover task planned before final data production"
            )
        if finish is not None and window_end is not None and finish > window_end:
            yield Finding(
                (*here, "planned_end"), "cutover task planned to end after the cutover window"
            )
    if task.phase is Phase.POST_CUTOVER and go_live and start is not None and start < go_live:
        yield Finding((*here, "planned_start"), "post-cutover task planned before go-live")
