"""The closed set of edits to a plan, one frozen model per kind, told apart by ``kind``.

A Change says what someone wants to happen; `apply` decides whether it may and stamps the times.
Changes arrive from the dashboard, from ``cutover-tui update`` and as JSON over ``POST /changes``,
so every string is cleaned like a plan's own text and unknown keys are errors.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails

from ..model import BlockerStatus, CriterionState, Severity, TaskStatus
from ..model.document import Id, Instant, LongText, Name, Title
from ..model.text import clean_text
from .errors import ChangeRejected

MAX_CHANGE_BYTES = 64 * 1024
"""Largest Change read from JSON (the longest field, a note, is 20,000 characters)."""

_LINE_BREAKS = re.compile(r"\s*(?:\r\n|\r|\n|\u2028|\u2029)\s*")


def _one_line(text: str) -> str:
    """Untrusted single-line text: line breaks become spaces, control characters U+FFFD."""
    return clean_text(_LINE_BREAKS.sub(" ", text)).strip()


def _many_lines(text: str) -> str:
    """Untrusted multi-line text (notes): control characters other than newline become U+FFFD."""
    return clean_text(text, multiline=True).strip()


def _not_blank(text: str) -> str:
    if not text:
        raise ValueError("must not be empty")
    return text


NoteText = Annotated[LongText, AfterValidator(_many_lines), AfterValidator(_not_blank)]
TitleText = Annotated[Title, AfterValidator(_one_line), AfterValidator(_not_blank)]
NameText = Annotated[Name, AfterValidator(_one_line), AfterValidator(_not_blank)]
ShortText = Annotated[LongText, AfterValidator(_one_line), AfterValidator(_not_blank)]


class ChangeModel(BaseModel):
    """Common settings: unknown keys are errors, a change never changes once made."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class SetTaskStatus(ChangeModel):
    """Move a task to a status. Starting stamps ``actual_start``; ending stamps ``actual_end``.

    Reopening an ended task (done, failed, skipped) clears its ``actual_end``; moving a task back
    to not-started clears both actual times.
    """

    kind: Literal["set-task-status"] = "set-task-status"
    task: Id
    status: TaskStatus
    actual_start: Instant | None = None
    """When it really started; default: the time of the change, when it starts now."""
    actual_end: Instant | None = None
    """When it really ended; default: the time of the change, when it ends now."""


class SetTaskTimes(ChangeModel):
    """Correct a task's actual start and/or end without changing its status."""

    kind: Literal["set-task-times"] = "set-task-times"
    task: Id
    actual_start: Instant | None = None
    actual_end: Instant | None = None

    @model_validator(mode="after")
    def _some_time(self) -> SetTaskTimes:
        if self.actual_start is None and self.actual_end is None:
            raise ValueError("give actual_start, actual_end or both")
        return self


class RaiseBlocker(ChangeModel):
    """Raise a new blocker, open from the time of the change."""

    kind: Literal["raise-blocker"] = "raise-blocker"
    id: Id | None = None
    """The new blocker's id; default: the next free ``B-NN``."""
    title: TitleText
    severity: Severity = Severity.MEDIUM
    tasks: tuple[Id, ...] = ()
    """Tasks it blocks."""
    owner: NameText | None = None
    notes: NoteText | None = None


class UpdateBlocker(ChangeModel):
    """Change a blocker's severity, status or owner, and/or add a note; stamps ``updated_at``.

    Resolving stamps ``resolved_at``; reopening a resolved blocker clears it.
    """

    kind: Literal["update-blocker"] = "update-blocker"
    blocker: Id
    severity: Severity | None = None
    status: BlockerStatus | None = None
    owner: NameText | None = None
    note: NoteText | None = None
    """Appended to the blocker's notes, stamped with the time and the actor."""

    @model_validator(mode="after")
    def _something(self) -> UpdateBlocker:
        if (self.severity, self.status, self.owner, self.note) == (None, None, None, None):
            raise ValueError("give at least one of severity, status, owner or note")
        return self


class SetCriterion(ChangeModel):
    """Mark one readiness criterion of a checkpoint met, waived or unmet."""

    kind: Literal["set-criterion"] = "set-criterion"
    checkpoint: Id
    criterion: Annotated[StrictInt, Field(ge=0)]
    """The criterion's position in the checkpoint's list, counted from 0."""
    state: CriterionState
    by: NameText | None = None
    """Who confirmed it; default: the actor making the change."""
    note: ShortText | None = None
    """Replaces the criterion's note when given."""


class RecordDecision(ChangeModel):
    """Record the outcome of a Go/No-Go checkpoint; stamps ``decided_at``."""

    kind: Literal["record-decision"] = "record-decision"
    checkpoint: Id
    decision: Literal["go", "go-with-conditions", "no-go"]
    """The outcome; a decision cannot be taken back to pending, only changed."""
    conditions: ShortText | None = None
    """Required with go-with-conditions; replaces any earlier conditions."""
    decided_by: NameText | None = None
    """Who decided (the chair or the board); default: the actor making the change."""

    @model_validator(mode="after")
    def _conditions_given(self) -> RecordDecision:
        if self.decision == "go-with-conditions" and self.conditions is None:
            raise ValueError("a go-with-conditions decision needs its conditions")
        return self


class AddTaskNote(ChangeModel):
    """Append a note to a task, stamped with the time and the actor."""

    kind: Literal["add-task-note"] = "add-task-note"
    task: Id
    text: NoteText


Change = Annotated[
    SetTaskStatus
    | SetTaskTimes
    | RaiseBlocker
    | UpdateBlocker
    | SetCriterion
    | RecordDecision
    | AddTaskNote,
    Field(discriminator="kind"),
]
"""Any one edit to a plan."""

CHANGE_KINDS: tuple[type[ChangeModel], ...] = (
    SetTaskStatus,
    SetTaskTimes,
    RaiseBlocker,
    UpdateBlocker,
    SetCriterion,
    RecordDecision,
    AddTaskNote,
)
KIND_NAMES: tuple[str, ...] = tuple(str(kind.model_fields["kind"].default) for kind in CHANGE_KINDS)

CHANGE_ADAPTER: TypeAdapter[Change] = TypeAdapter(Change)


def change_to_data(change: Change) -> dict[str, Any]:
    """A change as plain JSON data, ``kind`` first, absent fields left out."""
    return change.model_dump(mode="json", exclude_none=True)


def change_to_json(change: Change) -> str:
    return json.dumps(change_to_data(change), ensure_ascii=False)


def parse_change(data: str | bytes | dict[str, Any]) -> Change:
    """A Change from JSON text or decoded data; `ChangeRejected` naming every problem."""
    if isinstance(data, str | bytes):
        size = len(data.encode("utf-8") if isinstance(data, str) else data)
        if size > MAX_CHANGE_BYTES:
            raise ChangeRejected(
                f"the change is larger than the {MAX_CHANGE_BYTES // 1024} KiB limit"
            )
        try:
            decoded = json.loads(data, parse_constant=_refuse_constant)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ChangeRejected(f"the change is not valid JSON: {error}") from None
        except ValueError as error:
            raise ChangeRejected(f"the change {error}") from None
    else:
        decoded = data
    if not isinstance(decoded, dict):
        raise ChangeRejected("a change must be a JSON object with a 'kind'")
    if "kind" not in decoded:
        raise ChangeRejected(f"kind: is required (one of {', '.join(KIND_NAMES)})")
    try:
        return CHANGE_ADAPTER.validate_python(decoded)
    except ValidationError as error:
        raise ChangeRejected("; ".join(_reason(detail) for detail in error.errors())) from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"contains {name}: NaN and Infinity are not allowed")


def _reason(detail: ErrorDetails) -> str:
    kind = detail["type"]
    # A tagged union puts the tag first in the location: it is not a field.
    loc = [str(part) for part in detail["loc"][1:]] if kind != "union_tag_invalid" else ["kind"]
    where = ".".join(loc)
    if kind == "union_tag_invalid":
        tag = str((detail.get("ctx") or {}).get("tag", ""))[:40]
        message = f"unknown kind {tag!r}; one of {', '.join(KIND_NAMES)}"
    elif kind == "missing":
        message = "is required"
    elif kind == "extra_forbidden":
        message = "unknown key"
    else:
        text = detail["msg"].removeprefix("Value error, ")
        message = text[:1].lower() + text[1:]
    return f"{where}: {message}" if where else message


def change_target(change: Change) -> str | None:
    """The id of the task, blocker or checkpoint a change is about (None for a new blocker)."""
    if isinstance(change, SetTaskStatus | SetTaskTimes | AddTaskNote):
        return change.task
    if isinstance(change, UpdateBlocker):
        return change.blocker
    if isinstance(change, SetCriterion | RecordDecision):
        return change.checkpoint
    return change.id
