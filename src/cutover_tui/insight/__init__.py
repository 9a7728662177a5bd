"""Derived figures: pure functions of (plan, now). No Textual, no IO, no clock reads."""

from .figures import (
    Sla,
    blockers_by_severity,
    countdown,
    cutover_finished,
    is_late,
    is_stale,
    late_since,
    late_tasks,
    next_checkpoint,
    open_blockers,
    open_blockers_ranked,
    overdue_decisions,
    phase_now,
    progress,
    sla,
    stale_blockers,
    starting_soon,
    status_counts,
    tasks_with_status,
    upcoming_checkpoints,
)
from .index import PlanIndex, plan_index
from .memo import memo
from .schedule import (
    critical_path,
    forecast_cutover_end,
    projected_finishes,
    rollback_now_end,
    rollback_tasks,
)
from .summary import summary
from .warm import warm

__all__ = [
    "PlanIndex",
    "Sla",
    "blockers_by_severity",
    "countdown",
    "critical_path",
    "cutover_finished",
    "forecast_cutover_end",
    "is_late",
    "is_stale",
    "late_since",
    "late_tasks",
    "memo",
    "next_checkpoint",
    "open_blockers",
    "open_blockers_ranked",
    "overdue_decisions",
    "phase_now",
    "plan_index",
    "progress",
    "projected_finishes",
    "rollback_now_end",
    "rollback_tasks",
    "sla",
    "stale_blockers",
    "starting_soon",
    "status_counts",
    "summary",
    "tasks_with_status",
    "upcoming_checkpoints",
    "warm",
]
