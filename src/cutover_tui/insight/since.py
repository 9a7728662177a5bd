"""What changed between two looks at a plan: the "since you last looked" summary.

Pure functions of two (plan, instant) pairs; the earlier one may be kept as a compact `Look`.
Statuses and lateness are read through the model's and `figures.py`'s own rules, so the summary
can never disagree with what the screens show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from ..model import FINISHED_STATUSES, BlockerStatus, Checkpoint, Decision, Plan, Task, TaskStatus
from .index import plan_index

TROUBLE_STATUSES = frozenset({TaskStatus.BLOCKED, TaskStatus.FAILED})
DECISION_WORDS = {
    Decision.PENDING: "pending",
    Decision.GO: "Go",
    Decision.GO_WITH_CONDITIONS: "Go with conditions",
    Decision.NO_GO: "No-Go",
}


@dataclass(frozen=True, slots=True)
class Changed:
    """One record that changed: its id, its title (plan text, untrusted) and how, in words."""

    id: str
    title: str
    detail: str = ""
    """A few plain words more (``failed``, ``critical``, ``Go by Dr Shah``); may be empty."""


@dataclass(frozen=True, slots=True)
class ChangeSummary:
    """Everything that changed between `before_at` and `after_at`, each list in plan order."""

    before_at: datetime
    after_at: datetime
    newly_late: tuple[Changed, ...] = ()
    """Late at `after_at` in the new plan, not late at `before_at` in the old one."""
    blocked: tuple[Changed, ...] = ()
    """Tasks that became blocked or failed."""
    blockers_raised: tuple[Changed, ...] = ()
    """Blockers new since then, or reopened after being resolved."""
    decisions: tuple[Changed, ...] = ()
    """Checkpoint decisions made (or changed), with who made them."""
    finished: tuple[Changed, ...] = ()
    """Tasks that became done or skipped."""
    started: tuple[Changed, ...] = ()
    """Tasks that went from not started to in progress."""
    blockers_resolved: tuple[Changed, ...] = ()
    tasks_added: tuple[Changed, ...] = ()
    tasks_removed: tuple[Changed, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not any(section.entries for section in self.sections())

    def sections(self) -> list[Section]:
        """Every kind of change with its heading, bad news first; empty ones included."""
        return [
            Section(name, heading, getattr(self, name))
            for name, heading in SECTION_HEADINGS.items()
        ]


class Section(NamedTuple):
    """One kind of change: the `ChangeSummary` field it comes from, its heading, its entries."""

    name: str
    heading: str
    entries: tuple[Changed, ...]


SECTION_HEADINGS = {
    "newly_late": "Newly late",
    "blocked": "Blocked or failed",
    "blockers_raised": "Blockers raised",
    "decisions": "Decisions made",
    "finished": "Finished",
    "started": "Started",
    "blockers_resolved": "Blockers resolved",
    "tasks_added": "Tasks added",
    "tasks_removed": "Tasks removed",
}
"""Each list of `ChangeSummary` with its heading, in the order they are shown."""


class SeenTask(NamedTuple):
    status: TaskStatus
    late: bool
    """Late at the instant it was seen (by the rule of `figures.is_late`)."""
    title: str


@dataclass(frozen=True, slots=True)
class Look:
    """What `changes_since` needs to remember of a plan seen at an instant.

    A tenth of the plan's memory (about 2 MB for 10,000 tasks against 19 MB): the app keeps one
    from the last time the user looked, so it must not hold a whole second plan alive.
    """

    at: datetime
    tasks: dict[str, SeenTask]
    """By id, in plan order."""
    open_blockers: dict[str, bool]
    """Each blocker's id, and whether it was open (or mitigated)."""
    decisions: dict[str, tuple[object, ...]]
    """Each checkpoint's id and its decision, who made it and when."""

    @classmethod
    def of(cls, plan: Plan, at: datetime) -> Look:
        late = plan_index(plan).late_ids(at)
        return cls(
            at=at,
            tasks={
                task.id: SeenTask(task.status, task.id in late, task.title) for task in plan.tasks
            },
            open_blockers={blocker.id: blocker.is_open for blocker in plan.blockers},
            decisions={checkpoint.id: _decided(checkpoint) for checkpoint in plan.checkpoints},
        )


def what_changed(
    before: Plan, before_at: datetime, after: Plan, after_at: datetime
) -> ChangeSummary:
    """What happened between seeing `before` at `before_at` and `after` at `after_at`."""
    return changes_since(Look.of(before, before_at), after, after_at)


def changes_since(look: Look, after: Plan, after_at: datetime) -> ChangeSummary:
    """What happened between `look` and seeing `after` at `after_at`."""
    seen = look.tasks
    late = plan_index(after).late_ids(after_at)
    finished: list[Changed] = []
    started: list[Changed] = []
    blocked: list[Changed] = []
    newly_late: list[Changed] = []
    added: list[Changed] = []
    for task in after.tasks:
        old = seen.get(task.id)
        if task.id in late and not (old is not None and old.late):
            newly_late.append(_task(task))
        if old is None:
            added.append(_task(task, str(task.status)))
        elif old.status is not task.status:
            if task.is_finished and old.status not in FINISHED_STATUSES:
                finished.append(_task(task, str(task.status)))
            elif task.status in TROUBLE_STATUSES:
                blocked.append(_task(task, str(task.status)))
            elif task.status is TaskStatus.IN_PROGRESS and old.status is TaskStatus.NOT_STARTED:
                started.append(_task(task))
    new_ids = after.task_by_id
    removed = [
        Changed(task_id, old.title) for task_id, old in seen.items() if task_id not in new_ids
    ]

    raised: list[Changed] = []
    resolved: list[Changed] = []
    for blocker in after.blockers:
        was_open = look.open_blockers.get(blocker.id)
        if was_open is None:
            raised.append(Changed(blocker.id, blocker.title, str(blocker.severity)))
        elif blocker.is_open and not was_open:
            raised.append(Changed(blocker.id, blocker.title, f"{blocker.severity}, reopened"))
        resolved_now = blocker.status is BlockerStatus.RESOLVED
        if resolved_now and was_open is not False:
            resolved.append(Changed(blocker.id, blocker.title))

    decisions = [
        Changed(checkpoint.id, checkpoint.title, _decision(checkpoint))
        for checkpoint in after.checkpoints
        if checkpoint.decision is not Decision.PENDING
        and look.decisions.get(checkpoint.id) != _decided(checkpoint)
    ]
    return ChangeSummary(
        before_at=look.at,
        after_at=after_at,
        newly_late=tuple(newly_late),
        blocked=tuple(blocked),
        blockers_raised=tuple(raised),
        decisions=tuple(decisions),
        finished=tuple(finished),
        started=tuple(started),
        blockers_resolved=tuple(resolved),
        tasks_added=tuple(added),
        tasks_removed=tuple(removed),
    )


def _task(task: Task, detail: str = "") -> Changed:
    return Changed(task.id, task.title, detail)


def _decided(checkpoint: Checkpoint) -> tuple[object, ...]:
    """What a decision consists of: a change to any part of it is a decision made."""
    return (checkpoint.decision, checkpoint.decided_by, checkpoint.decided_at)


def _decision(checkpoint: Checkpoint) -> str:
    words = DECISION_WORDS[checkpoint.decision]
    return f"{words} by {checkpoint.decided_by}" if checkpoint.decided_by else words
