"""The consistency rules of PLAN_FORMAT.md that relate fields and records to each other.

Rules run on every record that is valid on its own, even when others are not, so one pass over a
document reports every mistake in it. Each finding is located by a pydantic-style path
(``("tasks", 3, "planned_end")``); the loader turns paths into readable text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

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
    findings += _dependency_cycles(records.tasks)
    return findings


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
    loc: Loc, ids: Sequence[str], known: set[str], *, what: str = "task"
) -> Iterable[Finding]:
    seen: set[str] = set()
    for position, ref in enumerate(ids):
        if ref not in known:
            yield Finding((*loc, position), f"unknown {what} '{ref}'")
        elif ref in seen:
            yield Finding((*loc, position), f"lists '{ref}' twice")
        seen.add(ref)


def _task_rules(index: int, task: Task, task_ids: set[str]) -> Iterable[Finding]:
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


def _blocker_rules(index: int, blocker: Blocker, task_ids: set[str]) -> Iterable[Finding]:
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
    index: int, checkpoint: Checkpoint, task_ids: set[str], phase_of: dict[str, Phase]
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
