"""The plan document: models, loading and dumping, validation with readable errors."""

from datetime import UTC

from .document import (
    FINISHED_STATUSES,
    SCHEMA_VERSION,
    Blocker,
    BlockerStatus,
    Checkpoint,
    CheckpointKind,
    Contact,
    Criterion,
    CriterionState,
    Decision,
    LogEntry,
    Party,
    Phase,
    Plan,
    PlanHeader,
    Severity,
    Task,
    TaskStatus,
)
from .durations import format_duration, parse_duration
from .errors import PlanError, Problem
from .incremental import Lineage, lineage, load_bytes, load_path
from .load import (
    Format,
    dump,
    dump_json,
    dump_toml,
    format_for,
    parse_bytes,
    read_path,
    to_data,
    validate,
)
from .rules import warnings
from .times import iso_utc

__all__ = [
    "FINISHED_STATUSES",
    "SCHEMA_VERSION",
    "UTC",
    "Blocker",
    "BlockerStatus",
    "Checkpoint",
    "CheckpointKind",
    "Contact",
    "Criterion",
    "CriterionState",
    "Decision",
    "Format",
    "Lineage",
    "LogEntry",
    "Party",
    "Phase",
    "Plan",
    "PlanError",
    "PlanHeader",
    "Problem",
    "Severity",
    "Task",
    "TaskStatus",
    "dump",
    "dump_json",
    "dump_toml",
    "format_duration",
    "format_for",
    "iso_utc",
    "lineage",
    "load_bytes",
    "load_path",
    "parse_bytes",
    "parse_duration",
    "read_path",
    "to_data",
    "validate",
    "warnings",
]
