"""`apply`: the one function every writer uses to turn a plan and a Change into the next plan.

The plan is edited as plain data and validated again as a whole, so a change can never produce a
document that `cutover-tui validate` would refuse: every consistency rule of PLAN_FORMAT.md is
checked on the result, and a violation rejects the change with the rule's own words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from .. import display
from ..model import (
    BlockerStatus,
    CheckpointKind,
    Decision,
    Plan,
    PlanError,
    Task,
    TaskStatus,
    to_data,
    validate,
)
from ..model.document import ENDED_STATUSES
from ..model.text import clean_text
from .errors import ChangeRejected
from .kinds import (
    AddTaskNote,
    Change,
    RaiseBlocker,
    RecordDecision,
    SetCriterion,
    SetTaskStatus,
    SetTaskTimes,
    UpdateBlocker,
    change_target,
)

Data = dict[str, Any]
MAX_LOG_TEXT = 1_000
"""Longest log line written: notes quoted in the log are cut to fit."""
MAX_TITLE_IN_LOG = 80
MAX_ACTOR = 200


def apply(plan: Plan, change: Change, actor: str, now: datetime) -> Plan:
    """The plan after `change`, made by `actor` at `now`: a new `Plan`, `plan` is untouched.

    Bumps ``revision`` by one, stamps ``updated_at`` and appends a ``log`` entry. Raises
    `ChangeRejected` when the change names something the plan lacks, asks for something that is
    not allowed (a decision on a progress checkpoint, a change that changes nothing), or would
    leave the plan invalid.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("apply() needs an offset-aware `now`")
    who = clean_text(" ".join(actor.split()))
    if not who:
        raise ChangeRejected("the actor (who makes the change) must be named")
    if len(who) > MAX_ACTOR:
        raise ChangeRejected(f"the actor's name is longer than {MAX_ACTOR} characters")
    moment = now.astimezone(UTC)
    data = to_data(plan)
    edit = _EDITS[type(change)]
    text = edit(_Context(plan, data, who, moment), change)
    data["revision"] = plan.revision + 1
    data["updated_at"] = _iso(moment)
    entry: Data = {"at": _iso(moment), "actor": who, "text": _log_text(text)}
    target = change_target(change)
    if target is not None:
        entry["ref"] = target
    data["log"] = [*data.get("log", []), entry]
    try:
        return validate(data, "change")
    except PlanError as error:
        reasons = "; ".join(
            f"{problem.path}: {problem.message}" if problem.path else problem.message
            for problem in error.problems
        )
        raise ChangeRejected(f"the change would make the plan invalid: {reasons}") from None


class _Context:
    """What an edit works on: the plan as it was, its data to edit, who and when."""

    def __init__(self, plan: Plan, data: Data, actor: str, now: datetime) -> None:
        self.plan = plan
        self.data = data
        self.actor = actor
        self.now = now

    def item(self, section: str, item_id: str, what: str) -> Data:
        """The data of the record `item_id` in `section`, or `ChangeRejected`."""
        for item in self.data.get(section, []):
            if item.get("id") == item_id:
                result: Data = item
                return result
        raise ChangeRejected(f"unknown {what} '{item_id}'")

    def stamp(self) -> str:
        """``Fri 04 Dec 16:52 GMT, Practice Manager``: heads a note appended to notes."""
        return f"{display.day_time(self.now, self.plan.header.zone)}, {self.actor}"

    def when(self, moment: datetime) -> str:
        return display.day_time(moment, self.plan.header.zone)


# --- tasks ------------------------------------------------------------------------------------


_STATUS_WORDS = {
    TaskStatus.NOT_STARTED: "reset to not started",
    TaskStatus.IN_PROGRESS: "started",
    TaskStatus.DONE: "done",
    TaskStatus.BLOCKED: "blocked",
    TaskStatus.SKIPPED: "skipped",
    TaskStatus.FAILED: "failed",
}


def _set_task_status(context: _Context, change: SetTaskStatus) -> str:
    task = _task(context, change.task)
    item = context.item("tasks", change.task, "task")
    old, new = task.status, change.status
    if old is new and change.actual_start is None and change.actual_end is None:
        raise ChangeRejected(f"task '{task.id}' is already {new}")
    item["status"] = new.value
    if new is TaskStatus.NOT_STARTED:
        if change.actual_start is not None or change.actual_end is not None:
            raise ChangeRejected("a task that has not started has no actual times")
        item.pop("actual_start", None)
        item.pop("actual_end", None)
    elif new not in ENDED_STATUSES:
        if change.actual_end is not None:
            raise ChangeRejected(f"a task that is {new} has not ended: actual_end is not allowed")
        item.pop("actual_end", None)
    if change.actual_start is not None:
        item["actual_start"] = _iso(change.actual_start)
    elif new is TaskStatus.IN_PROGRESS and "actual_start" not in item:
        item["actual_start"] = _iso(context.now)
    elif new is TaskStatus.DONE and task.milestone and "actual_start" not in item:
        item["actual_start"] = _iso(context.now)  # a milestone is reached at one instant
    if change.actual_end is not None:
        item["actual_end"] = _iso(change.actual_end)
    elif new in ENDED_STATUSES and "actual_end" not in item:
        item["actual_end"] = _iso(context.now)
    words = _STATUS_WORDS[new]
    if new is TaskStatus.IN_PROGRESS and old in (*ENDED_STATUSES, TaskStatus.BLOCKED):
        words = "reopened" if old in ENDED_STATUSES else "unblocked, in progress"
    elif new is TaskStatus.DONE and task.milestone:
        words = "reached"
    elif old is new:
        words = f"still {new}; actual times corrected"
    text = f"{task.id} {words}: {_short(task.title)}"
    return text + _times_text(context, change.actual_start, change.actual_end)


def _set_task_times(context: _Context, change: SetTaskTimes) -> str:
    task = _task(context, change.task)
    item = context.item("tasks", change.task, "task")
    new_start = change.actual_start not in (None, task.actual_start)
    new_end = change.actual_end not in (None, task.actual_end)
    if not (new_start or new_end):
        raise ChangeRejected(f"task '{task.id}' already has these actual times")
    if change.actual_start is not None:
        if task.status is TaskStatus.NOT_STARTED:
            raise ChangeRejected(
                f"task '{task.id}' has not started: set its status to in-progress first"
            )
        item["actual_start"] = _iso(change.actual_start)
    if change.actual_end is not None:
        if task.status not in ENDED_STATUSES:
            raise ChangeRejected(
                f"task '{task.id}' is {task.status}: only a done, failed or skipped task "
                "has an actual end"
            )
        item["actual_end"] = _iso(change.actual_end)
    return f"{task.id} actual times set: {_short(task.title)}" + _times_text(
        context, change.actual_start, change.actual_end
    )


def _add_task_note(context: _Context, change: AddTaskNote) -> str:
    task = _task(context, change.task)
    item = context.item("tasks", change.task, "task")
    item["notes"] = _appended(item.get("notes"), f"[{context.stamp()}] {change.text}")
    return f"Note on {task.id}: {change.text}"


def _task(context: _Context, task_id: str) -> Task:
    task = context.plan.task_by_id.get(task_id)
    if task is None:
        raise ChangeRejected(f"unknown task '{task_id}'")
    return task


def _times_text(context: _Context, start: datetime | None, end: datetime | None) -> str:
    parts = []
    if start is not None:
        parts.append(f"started {context.when(start)}")
    if end is not None:
        parts.append(f"ended {context.when(end)}")
    return f" ({', '.join(parts)})" if parts else ""


# --- blockers ---------------------------------------------------------------------------------


def _raise_blocker(context: _Context, change: RaiseBlocker) -> str:
    blocker_id = change.id or _next_blocker_id(context.plan)
    if blocker_id in context.plan.blocker_by_id:
        raise ChangeRejected(f"a blocker '{blocker_id}' already exists")
    for task_id in change.tasks:
        _task(context, task_id)
    item: Data = {
        "id": blocker_id,
        "title": change.title,
        "severity": change.severity.value,
        "status": BlockerStatus.OPEN.value,
        "raised_at": _iso(context.now),
    }
    if change.tasks:
        item["tasks"] = list(change.tasks)
    if change.owner is not None:
        item["owner"] = change.owner
    if change.notes is not None:
        item["notes"] = change.notes
    context.data["blockers"] = [*context.data.get("blockers", []), item]
    blocks = f" — blocks {', '.join(change.tasks)}" if change.tasks else ""
    return f"Raised {blocker_id} ({change.severity}): {change.title}{blocks}"


def _next_blocker_id(plan: Plan) -> str:
    """``B-NN``, one past the highest number used in a ``B-NN`` id (``B-01`` when none is)."""
    numbers = [
        int(match.group(1))
        for blocker in plan.blockers
        if (match := re.fullmatch(r"B-(\d{1,6})", blocker.id))
    ]
    return f"B-{max(numbers, default=0) + 1:02d}"


def _update_blocker(context: _Context, change: UpdateBlocker) -> str:
    blocker = context.plan.blocker_by_id.get(change.blocker)
    if blocker is None:
        raise ChangeRejected(f"unknown blocker '{change.blocker}'")
    item = context.item("blockers", change.blocker, "blocker")
    changes: list[str] = []
    head = f"{blocker.id} updated"
    if change.status is not None and change.status is not blocker.status:
        item["status"] = change.status.value
        if change.status is BlockerStatus.RESOLVED:
            item["resolved_at"] = _iso(context.now)
            head = f"{blocker.id} resolved"
        else:
            item.pop("resolved_at", None)
            reopened = blocker.status is BlockerStatus.RESOLVED
            head = f"{blocker.id} {'reopened as ' if reopened else ''}{change.status}"
    if change.severity is not None and change.severity is not blocker.severity:
        item["severity"] = change.severity.value
        changes.append(f"severity {blocker.severity} → {change.severity}")
    if change.owner is not None and change.owner != blocker.owner:
        item["owner"] = change.owner
        changes.append(f"owner now {change.owner}")
    if change.note is not None:
        item["notes"] = _appended(item.get("notes"), f"[{context.stamp()}] {change.note}")
    elif not changes and head.endswith("updated"):
        raise ChangeRejected(f"blocker '{blocker.id}' already is as the change asks")
    item["updated_at"] = _iso(context.now)
    text = f"{head}: {_short(blocker.title)}"
    if changes:
        text += f" ({'; '.join(changes)})"
    if change.note is not None:
        text += f" — {change.note}"
    return text


# --- checkpoints ------------------------------------------------------------------------------


def _set_criterion(context: _Context, change: SetCriterion) -> str:
    checkpoint = context.plan.checkpoint_by_id.get(change.checkpoint)
    if checkpoint is None:
        raise ChangeRejected(f"unknown checkpoint '{change.checkpoint}'")
    count = len(checkpoint.criteria)
    if change.criterion >= count:
        has = f"has {count} criteria" if count != 1 else "has 1 criterion"
        has = has if count else "has no criteria"
        raise ChangeRejected(
            f"checkpoint '{checkpoint.id}' {has}: there is no criterion {change.criterion} "
            "(counted from 0)"
        )
    criterion = checkpoint.criteria[change.criterion]
    by = change.by or context.actor
    same_note = change.note is None or change.note == criterion.note
    if criterion.state is change.state and by == criterion.by and same_note:
        raise ChangeRejected(
            f"criterion {change.criterion} of '{checkpoint.id}' is already {change.state}"
        )
    item = context.item("checkpoints", change.checkpoint, "checkpoint")
    criterion_data: Data = item["criteria"][change.criterion]
    criterion_data["state"] = change.state.value
    criterion_data["by"] = by
    if change.note is not None:
        criterion_data["note"] = change.note
    text = (
        f"{checkpoint.id} criterion {change.criterion + 1} of {count} {change.state} "
        f"(by {by}): {_short(criterion.text)}"
    )
    return text + (f" — {change.note}" if change.note else "")


def _record_decision(context: _Context, change: RecordDecision) -> str:
    checkpoint = context.plan.checkpoint_by_id.get(change.checkpoint)
    if checkpoint is None:
        raise ChangeRejected(f"unknown checkpoint '{change.checkpoint}'")
    if checkpoint.kind is not CheckpointKind.GO_NO_GO:
        raise ChangeRejected(
            f"checkpoint '{checkpoint.id}' is a progress checkpoint, not a Go/No-Go: "
            "it takes no decision"
        )
    decision = Decision(change.decision)
    decided_by = change.decided_by or context.actor
    if checkpoint.decision is decision and checkpoint.conditions == change.conditions:
        raise ChangeRejected(f"'{checkpoint.id}' is already decided {decision}")
    item = context.item("checkpoints", change.checkpoint, "checkpoint")
    item["decision"] = decision.value
    item["decided_by"] = decided_by
    item["decided_at"] = _iso(context.now)
    if change.conditions is None:
        item.pop("conditions", None)
    else:
        item["conditions"] = change.conditions
    verdict = decision.value.upper().replace("-", " ")
    was = ""
    if checkpoint.decision is not Decision.PENDING:
        was = f" (changed from {checkpoint.decision.value.upper().replace('-', ' ')})"
    text = f"{checkpoint.id} decided {verdict}{was} by {decided_by}: {_short(checkpoint.title)}"
    if change.conditions:
        text += f" — conditions: {change.conditions}"
    return text


# --- shared -----------------------------------------------------------------------------------


_EDITS: dict[type[Any], Callable[[_Context, Any], str]] = {
    SetTaskStatus: _set_task_status,
    SetTaskTimes: _set_task_times,
    AddTaskNote: _add_task_note,
    RaiseBlocker: _raise_blocker,
    UpdateBlocker: _update_blocker,
    SetCriterion: _set_criterion,
    RecordDecision: _record_decision,
}


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _short(text: str) -> str:
    return text if len(text) <= MAX_TITLE_IN_LOG else text[: MAX_TITLE_IN_LOG - 1].rstrip() + "…"


def _log_text(text: str) -> str:
    """One line (the log is single-line text), at most `MAX_LOG_TEXT` characters."""
    line = " ".join(text.split())
    return line if len(line) <= MAX_LOG_TEXT else line[: MAX_LOG_TEXT - 1].rstrip() + "…"


def _appended(notes: str | None, addition: str) -> str:
    return f"{notes.rstrip()}\n\n{addition}" if notes and notes.strip() else addition
