"""The `status --json` report of PLAN_FORMAT.md: the contract scripts and bots rely on.

Keys may be added, never renamed. Times are ISO 8601 in UTC with ``Z``; durations whole
seconds; lists of ids in plan order (the critical path in chain order).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..model import Checkpoint, CriterionState, Plan, TaskStatus, iso_utc
from ..model.times import whole_seconds
from . import figures, schedule


def summary(plan: Plan, now: datetime) -> dict[str, Any]:
    """Every derived figure of `plan` at `now`, as plain JSON-ready data."""
    header = plan.header
    return {
        "plan_id": header.id,
        "title": header.title,
        "revision": plan.revision,
        "now": iso_utc(now),
        "phase": str(figures.phase_now(plan, now)),
        "countdown": {
            "target": "final_data_production",
            "at": iso_utc(header.final_data_production),
            "seconds": whole_seconds(figures.countdown(plan, now)),
        },
        "sla": _sla(plan, now),
        "tasks": _tasks(plan, now),
        "progress": figures.progress(plan),
        "blockers": _blockers(plan, now),
        "next_checkpoint": _checkpoint(figures.next_checkpoint(plan, now), now),
        "critical_path": [task.id for task in schedule.critical_path(plan)],
        "forecast": _forecast(plan, now),
        "go_live": _moment(header.go_live, now),
        "point_of_no_return": _moment(header.point_of_no_return, now),
    }


def _sla(plan: Plan, now: datetime) -> dict[str, Any] | None:
    clock = figures.sla(plan, now)
    if clock is None:
        return None
    return {
        "limit_seconds": whole_seconds(clock.limit),
        "elapsed_seconds": whole_seconds(clock.elapsed),
        "remaining_seconds": whole_seconds(clock.remaining),
        "state": clock.state,
        "ends_at": iso_utc(clock.ends_at),
        "cutover_finished": clock.finished,
    }


def _tasks(plan: Plan, now: datetime) -> dict[str, Any]:
    return {
        "total": len(plan.tasks),
        "by_status": {str(status): count for status, count in figures.status_counts(plan).items()},
        "late": [task.id for task in figures.late_tasks(plan, now)],
        "in_progress": [t.id for t in figures.tasks_with_status(plan, TaskStatus.IN_PROGRESS)],
        "blocked": [t.id for t in figures.tasks_with_status(plan, TaskStatus.BLOCKED)],
    }


def _blockers(plan: Plan, now: datetime) -> dict[str, Any]:
    return {
        "open": [blocker.id for blocker in figures.open_blockers(plan)],
        "stale": [blocker.id for blocker in figures.stale_blockers(plan, now)],
        "by_severity": {str(s): n for s, n in figures.blockers_by_severity(plan).items()},
    }


def _checkpoint(checkpoint: Checkpoint | None, now: datetime) -> dict[str, Any] | None:
    if checkpoint is None:
        return None
    return {
        "id": checkpoint.id,
        "title": checkpoint.title,
        "kind": str(checkpoint.kind),
        "at": iso_utc(checkpoint.at),
        "seconds": whole_seconds(checkpoint.at - now),
        "decision": str(checkpoint.decision),
        "criteria_met": checkpoint.criteria_in(CriterionState.MET),
        "criteria_waived": checkpoint.criteria_in(CriterionState.WAIVED),
        "criteria_total": len(checkpoint.criteria),
        "overdue": checkpoint.is_overdue_decision and checkpoint.at < now,
    }


def _forecast(plan: Plan, now: datetime) -> dict[str, Any]:
    header = plan.header
    cutover_end = schedule.forecast_cutover_end(plan, now)
    rollback_end = schedule.rollback_now_end(plan, now)
    slip = None
    if cutover_end is not None and header.go_live is not None:
        slip = max(whole_seconds(cutover_end - header.go_live), 0)
    sla_margin = None
    if cutover_end is not None and header.cutover_sla is not None:
        sla_end = header.final_data_production + header.cutover_sla
        sla_margin = whole_seconds(sla_end - cutover_end)
    return {
        "cutover_end": iso_utc(cutover_end) if cutover_end else None,
        "go_live_slip_seconds": slip,
        "sla_margin_seconds": sla_margin,
        "rollback_now_end": iso_utc(rollback_end) if rollback_end else None,
    }


def _moment(at: datetime | None, now: datetime) -> dict[str, Any] | None:
    if at is None:
        return None
    return {"at": iso_utc(at), "seconds": whole_seconds(at - now)}
