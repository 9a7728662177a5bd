"""Symbols, words and styles for states, and minute-granular ages: shared by the list widgets.

Colour is never the only signal, so every state has a symbol and a word; the style is a theme
variable. Ages and countdowns here change once a minute, so a 1 Hz tick repaints nothing in between.
"""

from __future__ import annotations

from datetime import timedelta

from textual.content import Content

from .. import display
from ..model import BlockerStatus, CriterionState, Decision, Severity, Task, TaskStatus

SEVERITY_MARK: dict[Severity, tuple[str, str]] = {
    Severity.CRITICAL: ("▲▲ CRITICAL", "bold $severity-critical"),
    Severity.HIGH: ("▲ HIGH", "bold $severity-high"),
    Severity.MEDIUM: ("● MEDIUM", "$severity-medium"),
    Severity.LOW: ("○ LOW", "$severity-low"),
}
BLOCKER_STATUS_MARK: dict[BlockerStatus, tuple[str, str]] = {
    BlockerStatus.OPEN: ("OPEN", "bold"),
    BlockerStatus.MITIGATED: ("◐ MITIGATED", "$text-muted"),
    BlockerStatus.RESOLVED: ("✔ RESOLVED", "$status-done"),
}
TASK_STATUS_MARK: dict[TaskStatus, tuple[str, str]] = {
    TaskStatus.NOT_STARTED: ("○ not started", "$text-muted"),
    TaskStatus.IN_PROGRESS: ("▶ in progress", "$status-in-progress"),
    TaskStatus.DONE: ("✔ done", "$status-done"),
    TaskStatus.BLOCKED: ("■ BLOCKED", "bold $status-blocked"),
    TaskStatus.SKIPPED: ("» skipped", "$text-muted"),
    TaskStatus.FAILED: ("✖ FAILED", "bold $status-failed"),
}
CRITERION_MARK: dict[CriterionState, tuple[str, str]] = {
    CriterionState.MET: ("✔ met", "$status-done"),
    CriterionState.UNMET: ("✘ unmet", "bold $status-late"),
    CriterionState.WAIVED: ("~ waived", "$text-muted"),
}
DECISION_MARK: dict[Decision, tuple[str, str]] = {
    Decision.PENDING: ("? PENDING", "bold"),
    Decision.GO: ("✔ GO", "bold $status-done"),
    Decision.GO_WITH_CONDITIONS: ("◐ GO WITH CONDITIONS", "bold $status-late"),
    Decision.NO_GO: ("✖ NO-GO", "bold $status-failed"),
}
STALE_MARK = ("⚠ STALE", "bold reverse $status-late")


def mark(pair: tuple[str, str]) -> Content:
    """A (word, style) pair as styled content."""
    text, style = pair
    return Content.styled(text, style)


def ago(seconds: float) -> str:
    """How long ago, to the minute: ``<1m``, ``40m``, ``1h 05m``, ``3d 04h``."""
    return "<1m" if abs(seconds) < 60 else display.span_minutes(seconds)


def relative_minutes(seconds: float) -> str:
    """``in 59m``, ``2h 00m ago``, ``in <1m``, ``now``: a countdown that changes once a minute."""
    if 0 < seconds < 60:
        return "in <1m"
    if -60 < seconds <= 0:
        return "now"
    text = display.span_minutes(seconds)
    return f"in {text}" if seconds > 0 else f"{text} ago"


def duration_text(length: timedelta | None) -> str:
    """A task's planned length (``1h 30m``), or ``?`` when the plan does not give it."""
    return display.span_minutes(length.total_seconds()) if length is not None else "?"


def task_line(task_id: str, task: Task | None) -> Content:
    """``PRE-13 ■ BLOCKED  Title`` for a task named by a blocker or a checkpoint."""
    if task is None:
        return Content.assemble((task_id, "bold"), ("  (not in the plan)", "$text-muted"))
    return Content.assemble(
        (task_id, "bold"), " ", mark(TASK_STATUS_MARK[task.status]), "  ", task.title
    )
