"""`cutover-tui status` as readable text, built from the `status --json` report. No Textual."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from . import display, model
from .model import Plan


def status_lines(plan: Plan, report: dict[str, Any], zone: ZoneInfo) -> list[str]:
    """The status report as readable lines, times in `zone`."""
    now = _instant(report["now"])
    countdown = report["countdown"]
    seconds = countdown["seconds"]
    started = f"started {display.span(seconds)} ago" if seconds <= 0 else display.relative(seconds)
    when_now = f"{now.astimezone(zone):%a %d %b %Y %H:%M} {display.zone_label(now, zone)}"
    rows = [
        ("Now", when_now if when_now.endswith(zone.key) else f"{when_now} ({zone.key})"),
        ("Phase", report["phase"]),
        ("Final data production", f"{_when(countdown['at'], zone)} — {started}"),
    ]
    for key, label in (("go_live", "Go-live"), ("point_of_no_return", "Point of no return")):
        moment = report.get(key)
        if moment:
            rows.append((label, f"{_when(moment['at'], zone)} — {_relative(moment['seconds'])}"))
    rows += [
        ("SLA", _sla_text(report["sla"], seconds)),
        ("Tasks", _tasks_text(report["tasks"])),
        ("Progress", _progress_text(report["progress"])),
    ]
    width = max(len(label) for label, _ in rows) + 1
    lines = [f"{report['title']}  ({report['plan_id']}, revision {report['revision']})", ""]
    lines += [f"{label + ':':<{width}} {value}" for label, value in rows]
    lines += ["", *_late_lines(plan, report), *_blocker_lines(plan, report, now)]
    lines += ["", *_checkpoint_lines(report["next_checkpoint"], zone)]
    path = report["critical_path"]
    shown = " → ".join(path[:12]) + (f" … (+{len(path) - 12})" if len(path) > 12 else "")
    lines.append(f"Critical path: {shown or 'none (no durations to chain)'}")
    lines += _forecast_lines(report["forecast"], zone)
    return lines


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _when(text: str, zone: ZoneInfo) -> str:
    return display.day_time(_instant(text), zone)


def _relative(seconds: float) -> str:
    return display.relative(seconds)


def _sla_text(sla: dict[str, Any] | None, countdown_seconds: float) -> str:
    if sla is None:
        return "none set (no cutover_sla)"
    limit = model.format_duration(timedelta(seconds=sla["limit_seconds"]))
    remaining = sla["remaining_seconds"]
    if sla["state"] == "breached":
        return f"BREACHED — the {limit} limit was exceeded {display.span(remaining)} ago"
    if sla.get("cutover_finished"):
        return f"{sla['state']} — cutover finished within the {limit} limit"
    if countdown_seconds > 0:
        return f"{sla['state']} — {limit} from final data production"
    state = "WARNING" if sla["state"] == "warning" else sla["state"]
    elapsed = display.span(sla["elapsed_seconds"])
    return f"{state} — {display.span(remaining)} left of {limit} ({elapsed} elapsed)"


def _tasks_text(tasks: dict[str, Any]) -> str:
    counts = [
        f"{count} {status.replace('-', ' ')}"
        for status, count in tasks["by_status"].items()
        if count
    ]
    return f"{tasks['total']} total: {', '.join(counts) or 'none'}"


def _progress_text(progress: dict[str, float]) -> str:
    phases = ", ".join(
        f"{phase} {progress[phase]:.0%}"
        for phase in ("pre-cutover", "cutover", "post-cutover")
        if phase in progress
    )
    return f"{progress['overall']:.0%} overall ({phases})"


def _late_lines(plan: Plan, report: dict[str, Any]) -> list[str]:
    late = report["tasks"]["late"]
    if not late:
        return ["Late tasks: none"]
    width = max(len(task_id) for task_id in late)
    lines = [f"Late tasks ({len(late)}):"]
    for task_id in late:
        task = plan.task_by_id.get(task_id)
        if task is None:
            lines.append(f"  {task_id}")
            continue
        who = task.owner or "no owner"
        if task.party is not None:
            who += f" ({task.party})"
        lines.append(f"  {task_id:<{width}}  {task.title} — {who}")
    return lines


def _blocker_lines(plan: Plan, report: dict[str, Any], now: datetime) -> list[str]:
    blockers = report["blockers"]
    open_ids, stale = blockers["open"], set(blockers["stale"])
    if not open_ids:
        return ["Open blockers: none"]
    width = max(len(blocker_id) for blocker_id in open_ids)
    lines = [f"Open blockers ({len(open_ids)}):"]
    for blocker_id in open_ids:
        blocker = plan.blocker_by_id.get(blocker_id)
        if blocker is None:
            lines.append(f"  {blocker_id}")
            continue
        line = f"  {blocker_id:<{width}}  {blocker.severity:<8}  {blocker.title}"
        line += f" — {blocker.owner or 'no owner'}"
        if blocker.status != model.BlockerStatus.OPEN:
            line += f" [{blocker.status}]"
        if blocker_id in stale:
            quiet_for = display.span_minutes(display.delta_seconds(now, blocker.last_update))
            line += f"  STALE (no update for {quiet_for})"
        lines.append(line)
    return lines


def _checkpoint_lines(checkpoint: dict[str, Any] | None, zone: ZoneInfo) -> list[str]:
    if checkpoint is None:
        return ["Next checkpoint: none"]
    seconds = checkpoint["seconds"]
    pending_decision = checkpoint["kind"] == "go-no-go" and checkpoint["decision"] == "pending"
    overdue = checkpoint.get("overdue", pending_decision and seconds < 0)
    head = f"Next checkpoint: {checkpoint['id']}  {checkpoint['title']}"
    when = f"{_when(checkpoint['at'], zone)}, {_relative(seconds)}"
    detail = f"{checkpoint['kind']}, criteria met {checkpoint['criteria_met']}"
    detail += f"/{checkpoint['criteria_total']}"
    if checkpoint.get("criteria_waived"):
        detail += f" ({checkpoint['criteria_waived']} waived)"
    if checkpoint["kind"] == "go-no-go":
        detail += f", decision {checkpoint['decision']}"
    return [head, f"  {when}{'  OVERDUE' if overdue else ''}", f"  {detail}"]


def _forecast_lines(forecast: dict[str, Any], zone: ZoneInfo) -> list[str]:
    parts = []
    if forecast.get("cutover_end"):
        parts.append(f"cutover ends {_when(forecast['cutover_end'], zone)}")
    slip = forecast.get("go_live_slip_seconds")
    if slip:
        parts.append(f"go-live slips by {display.span(slip)}")
    elif slip is not None:
        parts.append("on time for go-live")
    margin = forecast.get("sla_margin_seconds")
    if margin is not None:
        within = "within" if margin >= 0 else "over"
        parts.append(f"{display.span(margin)} {within} the SLA")
    lines = [f"Forecast: {'; '.join(parts) or 'not enough planned durations to forecast'}"]
    if forecast.get("rollback_now_end"):
        lines.append(
            f"Rollback: started now, it would end {_when(forecast['rollback_now_end'], zone)}"
        )
    return lines
