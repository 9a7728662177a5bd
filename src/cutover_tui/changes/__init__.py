"""Edits to a plan: the closed set of Change kinds and `apply`, used by every writer. No Textual."""

from .apply import apply
from .errors import ChangeRejected
from .kinds import (
    CHANGE_ADAPTER,
    CHANGE_KINDS,
    KIND_NAMES,
    AddTaskNote,
    Change,
    RaiseBlocker,
    RecordDecision,
    SetCriterion,
    SetTaskStatus,
    SetTaskTimes,
    UpdateBlocker,
    change_target,
    change_to_data,
    change_to_json,
    parse_change,
)

__all__ = [
    "CHANGE_ADAPTER",
    "CHANGE_KINDS",
    "KIND_NAMES",
    "AddTaskNote",
    "Change",
    "ChangeRejected",
    "RaiseBlocker",
    "RecordDecision",
    "SetCriterion",
    "SetTaskStatus",
    "SetTaskTimes",
    "UpdateBlocker",
    "apply",
    "change_target",
    "change_to_data",
    "change_to_json",
    "parse_change",
]
