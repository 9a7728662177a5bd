"""The plan document of PLAN_FORMAT.md as immutable pydantic models.

Only the shape of each table is checked here; rules that relate fields or records to each other
live in `rules.py` so that every problem in a document can be reported at once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal, Self
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictInt,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from .durations import format_duration, parse_duration
from .times import parse_zone, to_datetime

SCHEMA_VERSION = 1
ID_PATTERN = r"^[A-Za-z0-9._-]+$"
ID_RULE = "must use only letters, digits, '-', '_' and '.' (no spaces)"


class Phase(StrEnum):
    PRE_CUTOVER = "pre-cutover"
    CUTOVER = "cutover"
    POST_CUTOVER = "post-cutover"
    CONTINGENCY = "contingency"


class TaskStatus(StrEnum):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    BLOCKED = "blocked"
    SKIPPED = "skipped"
    FAILED = "failed"


class Party(StrEnum):
    CUSTOMER = "customer"
    PROVIDER = "provider"
    SHARED = "shared"


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class BlockerStatus(StrEnum):
    OPEN = "open"
    MITIGATED = "mitigated"
    RESOLVED = "resolved"


class CheckpointKind(StrEnum):
    CHECKPOINT = "checkpoint"
    GO_NO_GO = "go-no-go"


class CriterionState(StrEnum):
    UNMET = "unmet"
    MET = "met"
    WAIVED = "waived"


class Decision(StrEnum):
    PENDING = "pending"
    GO = "go"
    GO_WITH_CONDITIONS = "go-with-conditions"
    NO_GO = "no-go"


FINISHED_STATUSES = frozenset({TaskStatus.DONE, TaskStatus.SKIPPED})
"""Statuses that count as complete for progress and lateness."""
ENDED_STATUSES = frozenset({TaskStatus.DONE, TaskStatus.SKIPPED, TaskStatus.FAILED})
"""Statuses that may carry an ``actual_end``."""


def _custom(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def _instant(value: object, info: ValidationInfo) -> datetime:
    zone = (info.context or {}).get("zone")
    try:
        return to_datetime(value, zone)
    except ValueError as error:
        raise _custom("datetime", str(error)) from None


def _duration(value: object) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if not isinstance(value, str):
        raise _custom("duration", "must be a duration string such as '90m', '4h' or 'PT4H30M'")
    try:
        return parse_duration(value)
    except ValueError as error:
        raise _custom("duration", str(error)) from None


def _not_blank(value: str) -> str:
    if not value.strip():
        raise _custom("blank", "must not be empty")
    return value


def _zone_name(value: str) -> str:
    try:
        parse_zone(value)
    except ValueError as error:
        raise _custom("timezone", str(error)) from None
    return value


Instant = Annotated[
    datetime,
    BeforeValidator(_instant),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601 with an offset; without one only when plan.timezone is set",
        }
    ),
]
Duration = Annotated[
    timedelta,
    BeforeValidator(_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "description": "e.g. '90m', '4h', '1d 2h', '72h' or ISO 8601 'PT4H30M'",
            "examples": ["90m", "1d 2h", "PT4H30M"],
        }
    ),
]
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=ID_PATTERN)]
"""An identifier; a mismatch is reported in plain words by the loader (`ID_RULE`)."""
Title = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_not_blank)]
Name = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=20_000)]
ZoneName = Annotated[str, Field(max_length=64), AfterValidator(_zone_name)]


def _plain_times(value: Any) -> Any:
    """TOML dates and times inside `extra` as ISO strings, so TOML and JSON hold the same data."""
    if isinstance(value, dict):
        return {key: _plain_times(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_times(item) for item in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


Extra = Annotated[dict[str, Any] | None, BeforeValidator(_plain_times)]
"""Tool-specific data, any keys; dates and times in it are kept as ISO 8601 text."""


_FIELD_SETS: dict[frozenset[str], set[str]] = {}
"""One set of field names for all the records that set the same fields."""
_FIELD_SETS_CAP = 4096


class Record(BaseModel):
    """Common settings: unknown keys are errors, records never change once read."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
    )

    def model_post_init(self, context: Any, /) -> None:
        # Pydantic keeps, per record, the set of fields its input gave (~0.7 KB for a task:
        # 7 MB at 10,000 tasks, most of them setting the same few fields). Records never
        # change, so nothing adds to a set once made: records that set the same fields share one.
        given = self.__pydantic_fields_set__
        key = frozenset(given)
        shared = _FIELD_SETS.get(key)
        if shared is None:
            if len(_FIELD_SETS) < _FIELD_SETS_CAP:
                _FIELD_SETS[key] = given
        elif shared is not given:
            object.__setattr__(self, "__pydantic_fields_set__", shared)


class PlanHeader(Record):
    """The ``[plan]`` table: what the cutover is and its fixed moments."""

    id: Id
    title: Title
    timezone: ZoneName | None = None
    final_data_production: Instant
    """The moment the old system's final data extract starts: the countdown target."""
    go_live: Instant | None = None
    cutover_sla: Duration | None = None
    sla_warning: Duration | None = None
    point_of_no_return: Instant | None = None
    blocker_update_interval: Duration | None = None
    clocks: tuple[ZoneName, ...] = ()
    description: LongText | None = None
    extra: Extra = None

    @property
    def zone(self) -> ZoneInfo:
        """The display zone (UTC when the plan names none)."""
        return parse_zone(self.timezone or "UTC")

    @property
    def sla_warning_span(self) -> timedelta | None:
        """How long before the SLA ends to warn: given, or a sixth of the SLA."""
        if self.cutover_sla is None:
            return None
        return self.sla_warning if self.sla_warning is not None else self.cutover_sla / 6

    @property
    def stale_after(self) -> timedelta:
        """An open blocker not updated for this long is going stale."""
        if self.blocker_update_interval is not None:
            return self.blocker_update_interval
        return timedelta(minutes=15)


class Task(Record):
    """One step of the runbook."""

    id: Id
    title: Title
    phase: Phase
    status: TaskStatus = TaskStatus.NOT_STARTED
    party: Party | None = None
    owner: Name | None = None
    workstream: Name | None = None
    planned_start: Instant | None = None
    planned_end: Instant | None = None
    duration: Duration | None = None
    actual_start: Instant | None = None
    actual_end: Instant | None = None
    depends_on: tuple[Id, ...] = ()
    milestone: StrictBool = False
    rehearsal_only: StrictBool = False
    notes: LongText | None = None
    extra: Extra = None

    @property
    def planned_finish(self) -> datetime | None:
        """``planned_end`` as given, or derived from ``planned_start`` and ``duration``."""
        if self.planned_end is not None:
            return self.planned_end
        if self.planned_start is not None:
            if self.duration is not None:
                return self.planned_start + self.duration
            if self.milestone:
                return self.planned_start
        return None

    @property
    def planned_duration(self) -> timedelta | None:
        """How long the task is planned to take, from whichever fields give it."""
        if self.duration is not None:
            return self.duration
        if self.planned_start is not None and self.planned_end is not None:
            return self.planned_end - self.planned_start
        if self.milestone:
            return timedelta(0)
        return None

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES


class Blocker(Record):
    """An issue that stops or threatens tasks."""

    id: Id
    title: Title
    severity: Severity = Severity.MEDIUM
    status: BlockerStatus = BlockerStatus.OPEN
    tasks: tuple[Id, ...] = ()
    owner: Name | None = None
    raised_at: Instant
    updated_at: Instant | None = None
    resolved_at: Instant | None = None
    notes: LongText | None = None
    extra: Extra = None

    @property
    def is_open(self) -> bool:
        return self.status is not BlockerStatus.RESOLVED

    @property
    def last_update(self) -> datetime:
        return self.updated_at or self.raised_at


class Criterion(Record):
    """One readiness criterion of a checkpoint."""

    text: Title
    state: CriterionState = CriterionState.UNMET
    by: Name | None = None
    note: LongText | None = None
    extra: Extra = None


class Checkpoint(Record):
    """A scheduled checkpoint meeting or Go/No-Go decision."""

    id: Id
    title: Title
    at: Instant
    kind: CheckpointKind = CheckpointKind.CHECKPOINT
    criteria: tuple[Criterion, ...] = ()
    decision: Decision = Decision.PENDING
    conditions: LongText | None = None
    decided_by: Name | None = None
    decided_at: Instant | None = None
    contingency: tuple[Id, ...] = ()
    extra: Extra = None

    def criteria_in(self, state: CriterionState) -> int:
        """How many of its criteria are in `state`."""
        return sum(1 for criterion in self.criteria if criterion.state is state)

    @property
    def is_overdue_decision(self) -> bool:
        """A Go/No-Go still undecided: overdue once its time has passed."""
        return self.kind is CheckpointKind.GO_NO_GO and self.decision is Decision.PENDING


class Contact(Record):
    """Who is who on the night."""

    name: Title
    role: Name | None = None
    party: Party | None = None
    phone: Name | None = None
    email: Name | None = None
    channel: Name | None = None
    on_call: StrictBool = False
    extra: Extra = None


class LogEntry(Record):
    """One line of the append-only audit trail."""

    at: Instant
    actor: Name | None = None
    text: Annotated[str, Field(min_length=1, max_length=5_000), AfterValidator(_not_blank)]
    ref: Id | None = None
    extra: Extra = None


class Plan(Record):
    """A whole cutover document: the plan as authored plus its live state."""

    schema_version: Literal[1]
    revision: Annotated[StrictInt, Field(ge=0)] = 0
    updated_at: Instant | None = None
    header: PlanHeader = Field(alias="plan")
    tasks: tuple[Task, ...]
    blockers: tuple[Blocker, ...] = ()
    checkpoints: tuple[Checkpoint, ...] = ()
    contacts: tuple[Contact, ...] = ()
    log: tuple[LogEntry, ...] = ()
    extra: Extra = None

    def __copy__(self) -> Self:
        """A copy (`model_copy` makes one, then updates its fields) computes its own figures."""
        copied = super().__copy__()
        for name in _CACHED:
            copied.__dict__.pop(name, None)
        return copied

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        copied = super().__deepcopy__(memo)
        for name in _CACHED:
            copied.__dict__.pop(name, None)
        return copied

    @cached_property
    def derived(self) -> dict[str, Any]:
        """Figures derived from this plan, kept by whoever computes them (`insight.memo`).

        A plan never changes, so a figure computed once serves every screen; cached values take
        no part in equality.
        """
        return {}

    @cached_property
    def load_state(self) -> dict[str, Any]:
        """What `load_bytes` keeps to load this plan's next version quickly (for its use only)."""
        return {}

    @cached_property
    def task_by_id(self) -> dict[str, Task]:
        return {task.id: task for task in self.tasks}

    @cached_property
    def blocker_by_id(self) -> dict[str, Blocker]:
        return {blocker.id: blocker for blocker in self.blockers}

    @cached_property
    def checkpoint_by_id(self) -> dict[str, Checkpoint]:
        return {checkpoint.id: checkpoint for checkpoint in self.checkpoints}


_CACHED = tuple(name for name, value in vars(Plan).items() if isinstance(value, cached_property))
"""What a plan works out and keeps in its ``__dict__``: never shared with a copy."""

SECTION_MODELS: dict[str, type[Record]] = {
    "plan": PlanHeader,
    "tasks": Task,
    "blockers": Blocker,
    "checkpoints": Checkpoint,
    "contacts": Contact,
    "log": LogEntry,
}
"""The model of each top-level table (one record, or each item of an array of tables)."""
