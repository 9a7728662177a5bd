"""Overview: the wall display. Countdown, next checkpoint, counts, blockers, now and next."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.geometry import Size

from .. import display, insight
from ..model import (
    Blocker,
    BlockerStatus,
    Checkpoint,
    CriterionState,
    Decision,
    Phase,
    Plan,
    Task,
    TaskStatus,
)
from ..sync import Snapshot
from ..widgets.columns import MIN_LAST, Cell, aligned, share_rows
from ..widgets.countdown import Countdown
from ..widgets.marks import BLOCKER_STATUS_MARK, CRITERION_MARK, SEVERITY_MARK, STALE_MARK
from ..widgets.panel import Fit, Panel
from .base import DashboardScreen

SOON = timedelta(hours=1)
LIST_LIMIT = 8
OWNER_WIDTH = 16
"""Owners longer than this (a tenth of a wider screen) are cut in the overview's lists; the
Tasks and Blockers screens have them whole."""
DECISION_STYLE = {
    Decision.GO: "$status-done",
    Decision.GO_WITH_CONDITIONS: "$status-late",
    Decision.NO_GO: "$status-failed",
    Decision.PENDING: "$text-muted",
}


class OverviewScreen(DashboardScreen):
    """Everything a cutover manager needs at a glance, readable from across the room."""

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="overview-top"):
            yield Countdown(id="countdown")
            yield Panel("Next checkpoint", id="next-checkpoint")
        with Horizontal(id="overview-middle"):
            yield Panel("Tasks", id="task-counts")
            yield Panel("Progress", id="phase-progress")
            yield Panel("Open blockers", id="open-blockers")
        with Horizontal(id="overview-bottom"):
            yield Panel("Now and next", id="now-next")
            yield Panel("Forecast", id="forecast")
            yield Panel("Clocks", id="clocks")

    def on_resize(self) -> None:
        compact = self.size.width < 110 or self.size.height < 34
        if compact != self.has_class("-compact"):
            self.set_class(compact, "-compact")
        # Laid out at last: what depends on the layout (the compact checkpoint) fits it now.
        if self.cutover_app.snapshot is not None:
            self.call_after_refresh(self.show_time, self.cutover_app.now)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._index = insight.plan_index(snapshot.plan)
        self._slow_key: tuple[object, ...] | None = None
        self._forecast_minute: datetime | None = None
        plan = snapshot.plan
        self.query_one("#phase-progress", Panel).show(_progress(plan))

    def show_time(self, now: datetime) -> None:
        snapshot = self.cutover_app.snapshot
        if snapshot is None:
            return
        plan, zone = snapshot.plan, self.cutover_app.zone
        index = self._index
        self._show_countdown(plan, now, zone)
        checkpoint = insight.next_checkpoint(plan, now)
        card = self.query_one("#next-checkpoint", Panel)
        overdue = checkpoint is not None and checkpoint.is_overdue_decision and checkpoint.at < now
        card.set_class(overdue, "-overdue")
        card.show(
            _checkpoint(checkpoint, now, zone, compact=self.has_class("-compact")),
            "⚠ OVERDUE GO/NO-GO: DECISION NEEDED" if overdue else "Next checkpoint",
        )
        late = index.late_count(now)
        self.query_one("#task-counts", Panel).show(_counts(plan, late))
        # The rest reads to the minute: rebuilt when the minute turns, a task turns late, a
        # blocker goes stale, or the layout changes; otherwise a tick costs nothing here.
        minute = now.replace(second=0, microsecond=0)
        stale = sum(insight.is_stale(blocker, plan, now) for blocker in plan.blockers)
        owner_width = max(OWNER_WIDTH, self.size.width // 10)
        slow_key = (minute, late, stale, owner_width, zone.key)
        if slow_key != self._slow_key:
            self._slow_key = slow_key
            self.query_one("#open-blockers", Panel).show(_blockers(plan, now, owner_width))
            self.query_one("#now-next", Panel).show(_now_next(index, now, zone, owner_width))
            self.query_one("#clocks", Panel).show(_clocks(plan, now, zone))
        if minute != self._forecast_minute:  # an O(tasks) pass: once a minute is plenty
            self._forecast_minute = minute
            self.query_one("#forecast", Panel).show(_forecast(plan, now, zone))

    def _show_countdown(self, plan: Plan, now: datetime, zone: ZoneInfo) -> None:
        header = plan.header
        countdown = self.query_one(Countdown)
        fdp = header.final_data_production
        phase = insight.phase_now(plan, now)
        if phase is Phase.PRE_CUTOVER:
            go_live = header.go_live
            countdown.show(
                "Countdown",
                "Final data production in",
                display.digits(display.delta_seconds(fdp, now)),
                f"at {display.day_time(fdp, zone)}",
                f"Go-live {display.day_time(go_live, zone)}" if go_live else "",
            )
        elif phase is Phase.CUTOVER:
            sla = insight.sla(plan, now)
            countdown.show(
                "Cutover under way",
                "Cutover elapsed",
                display.digits(display.delta_seconds(now, fdp)),
                *_sla_lines(sla, zone, started=fdp),
                _point_of_no_return(plan, now, zone),
                state=sla.state if sla else "ok",
            )
        else:
            since = header.go_live or fdp
            countdown.show(
                "Live",
                "Live for",
                display.digits(display.delta_seconds(now, since)),
                f"since {display.day_time(since, zone)}",
            )


def _sla_lines(sla: insight.Sla | None, zone: ZoneInfo, started: datetime) -> tuple[str, str]:
    """The SLA in two short lines: how much is left, and when it ends."""
    if sla is None:
        return f"started {display.day_time(started, zone)}", ""
    ends = f"SLA ends {display.day_time(sla.ends_at, zone)}"
    left = sla.remaining.total_seconds()
    if sla.state == "breached":
        return f"✖ SLA BREACHED {display.hours(left)} ago", ends
    mark = "⚠ " if sla.state == "warning" else ""
    limit = display.hours(sla.limit.total_seconds()).removesuffix(" 00m")
    return f"{mark}SLA {display.hours(left)} left of {limit}", ends


def _point_of_no_return(plan: Plan, now: datetime, zone: ZoneInfo) -> str:
    ponr = plan.header.point_of_no_return
    if ponr is None:
        return ""
    left = display.delta_seconds(ponr, now)
    if left <= 0:
        return "Point of no return passed"
    return f"No return {display.relative(left)}, {display.day_time(ponr, zone)}"


def _checkpoint(
    checkpoint: Checkpoint | None, now: datetime, zone: ZoneInfo, *, compact: bool = False
) -> Fit:
    """The next checkpoint, for the panel's width: a criterion that wraps goes on under its own
    text, not under its mark."""
    return lambda size: _checkpoint_lines(checkpoint, now, zone, size.width, compact=compact)


def _checkpoint_lines(
    checkpoint: Checkpoint | None, now: datetime, zone: ZoneInfo, width: int, *, compact: bool
) -> Content:
    if checkpoint is None:
        return Content.styled("No checkpoint ahead.", "$text-muted")
    seconds = display.delta_seconds(checkpoint.at, now)
    kind = "GO/NO-GO" if checkpoint.is_overdue_decision or checkpoint.kind == "go-no-go" else ""
    when = f"{display.day_time(checkpoint.at, zone)} · {display.relative(seconds)}"
    met = checkpoint.criteria_in(CriterionState.MET)
    waived = checkpoint.criteria_in(CriterionState.WAIVED)
    total = len(checkpoint.criteria)
    lines: list[Content | str] = [
        Content.styled(checkpoint.title, "bold"),
        "\n",
        Content.assemble((f"{kind} " if kind else "", "bold $accent"), when),
    ]
    if total:
        extra = f", {waived} waived" if waived else ""
        lines += ["\n", Content.styled(f"Criteria {met}/{total} met{extra}", "bold")]
        for criterion in () if compact else checkpoint.criteria[:LIST_LIMIT]:
            mark, style = CRITERION_MARK[criterion.state]
            head = Content.assemble(" ", (f"{mark:<9}", style))
            room = width - head.cell_length
            text = Content(criterion.text)
            first, *rest = text.wrap(room) if room >= MIN_LAST else [text]
            lines += ["\n", head + first]
            for more in rest:
                lines += ["\n", " " * head.cell_length, more]
    if checkpoint.kind == "go-no-go":
        decision = checkpoint.decision
        lines += [
            "\n",
            Content.assemble("Decision: ", (str(decision).upper(), DECISION_STYLE[decision])),
        ]
    return Content.assemble(*lines)


def _counts(plan: Plan, late: int) -> Content:
    counts = insight.status_counts(plan)
    finished = counts[TaskStatus.DONE] + counts[TaskStatus.SKIPPED]
    rows = [
        (f"⚠ {late} late", "$status-late" if late else "$text-muted"),
        (f"▶ {counts[TaskStatus.IN_PROGRESS]} in progress", "$status-in-progress"),
        (
            f"■ {counts[TaskStatus.BLOCKED]} blocked",
            "$status-blocked" if counts[TaskStatus.BLOCKED] else "$text-muted",
        ),
        (
            f"✖ {counts[TaskStatus.FAILED]} failed",
            "$status-failed" if counts[TaskStatus.FAILED] else "$text-muted",
        ),
        (f"✔ {finished}/{len(plan.tasks)} done", "$status-done"),
    ]
    parts: list[Content | str] = []
    for position, (text, style) in enumerate(rows):
        if position:
            parts.append("\n")
        parts.append(Content.styled(text, f"bold {style}"))
    return Content.assemble(*parts)


def _bar(share: float, width: int = 12) -> str:
    filled = round(share * width)
    return "█" * filled + "░" * (width - filled)


def _progress(plan: Plan) -> Fit:
    """A bar per phase, as long as the panel allows (so a percentage never wraps)."""
    shares = insight.progress(plan)

    def fit(size: Size) -> Content:
        bar = min(max(size.width - 18, 4), 30)  # 13 for the phase, 5 for the percentage
        return Content("\n").join(
            Content.assemble(f"{name:<13}", (_bar(share, bar), "$status-done"), f" {share:>4.0%}")
            for name, share in shares.items()
        )

    return fit


def _blockers(plan: Plan, now: datetime, owner_width: int = OWNER_WIDTH) -> Fit:
    """Open blockers, most severe first, one line each: severity, id, age, STALE or MITIGATED,
    owner, title. A narrow panel gives up the owner, then the age, before the title."""
    ranked = insight.open_blockers_ranked(plan)
    rows: list[list[Cell]] = []
    for blocker in ranked[:LIST_LIMIT]:
        age = display.span_minutes(display.delta_seconds(now, blocker.raised_at))
        rows.append(
            [
                Cell(*SEVERITY_MARK[blocker.severity]),
                Cell(blocker.id, "bold"),
                Cell(f"{age} ago", "$text-muted"),
                _blocker_flag(blocker, insight.is_stale(blocker, plan, now)),
                Cell(blocker.owner or "", "$text-muted"),
                Cell(blocker.title),
            ]
        )
    more = len(ranked) - LIST_LIMIT

    def fit(size: Size) -> Content:
        if not rows:
            return Content.styled("None open.", "$text-muted")
        caps = (11, 12, 12, 11, owner_width)
        lines = aligned(rows, caps, width=size.width, droppable=(4, 2))
        if more > 0:
            lines.append(Content.styled(f"… and {more} more", "$text-muted"))
        return Content("\n").join(lines)

    return fit


def _blocker_flag(blocker: Blocker, stale: bool) -> Cell:
    """STALE (it needs an update) outranks MITIGATED; the Blockers screen shows both."""
    if stale:
        return Cell(*STALE_MARK)
    if blocker.status is BlockerStatus.MITIGATED:
        return Cell(*BLOCKER_STATUS_MARK[blocker.status])
    return Cell("")


def _now_next(
    index: insight.PlanIndex, now: datetime, zone: ZoneInfo, owner_width: int = OWNER_WIDTH
) -> Fit:
    """Late tasks, tasks in progress and tasks starting within the hour, as many as fit: one
    line each with what it is doing, id, party, owner and title."""
    late = index.late(now)
    late_ids = {task.id for task in late}
    kinds: list[tuple[str, list[Task]]] = [
        ("late", late),
        ("in progress", [task for task in index.in_progress if task.id not in late_ids]),
        ("starting within the hour", index.starting_within(now, SOON)),
    ]

    def state(kind: str, task: Task) -> Cell:
        if kind == "late":
            since = insight.late_since(task)
            late_by = display.span_minutes(display.delta_seconds(now, since)) if since else ""
            return Cell(f"⚠ LATE {late_by}", "bold $status-late")
        if kind == "in progress":
            return Cell("▶ in progress", "$status-in-progress")
        start = task.planned_start
        when = display.clock_time(start, zone, seconds=False) if start else "soon"
        return Cell(f"◷ starts {when}", "$text-muted")

    def row(kind: str, task: Task) -> list[Cell]:
        return [
            state(kind, task),
            Cell(task.id, "bold"),
            Cell(str(task.party or ""), "$text-muted"),
            Cell(task.owner or "no owner", "$text-muted"),
            Cell(task.title),
        ]

    def fit(size: Size) -> Content:
        counts = [len(tasks) for _, tasks in kinds]
        shown = list(zip(kinds, share_rows(counts, size.height), strict=True))
        entries = [row(kind, task) for (kind, tasks), count in shown for task in tasks[:count]]
        if not entries:
            return Content.styled("Nothing in progress or starting within the hour.", "$text-muted")
        # A narrow panel gives up the owner, then the party, before the title.
        lines = aligned(entries, caps=(18, 12, 8, owner_width), width=size.width, droppable=(3, 2))
        more = [
            f"{len(tasks) - count:,} {kind}" for (kind, tasks), count in shown if len(tasks) > count
        ]
        if more:
            lines.append(Content.styled(f"… and more: {', '.join(more)}", "$text-muted"))
        return Content("\n").join(lines)

    return fit


def _forecast(plan: Plan, now: datetime, zone: ZoneInfo) -> Content:
    header = plan.header
    end = insight.forecast_cutover_end(plan, now)
    rollback = insight.rollback_now_end(plan, now)
    lines: list[Content] = []
    if end is None:
        lines.append(Content.styled("Cutover end: needs durations to forecast", "$text-muted"))
    else:
        lines.append(Content.assemble("Cutover end ", (display.day_time(end, zone), "bold")))
        if header.go_live is not None:
            slip = display.delta_seconds(end, header.go_live)
            if slip > 0:
                text, style = f"  ⚠ {display.span(slip)} after go-live", "bold $status-late"
            elif slip == 0:
                text, style = "  ✔ on time for go-live", "$status-done"
            else:
                text, style = f"  ✔ {display.span(-slip)} before go-live", "$status-done"
            lines.append(Content.styled(text, style))
        if header.cutover_sla is not None:
            margin = display.delta_seconds(header.final_data_production + header.cutover_sla, end)
            lines.append(
                Content.styled(f"  ✖ {display.span(margin)} past the SLA", "bold $status-failed")
                if margin < 0
                else Content.styled(f"  ✔ {display.span(margin)} inside the SLA", "$status-done")
            )
    if rollback is not None:
        lines.append(
            Content.assemble("Rollback now ends ", (display.day_time(rollback, zone), "bold"))
        )
    return Content("\n").join(lines)


def _clocks(plan: Plan, now: datetime, zone: ZoneInfo) -> Content:
    zones = [plan.header.zone, ZoneInfo("UTC")]
    for name in plan.header.clocks:
        zones.append(ZoneInfo(name))
    seen: set[str] = set()
    lines = []
    for clock_zone in zones:
        if clock_zone.key in seen:
            continue
        seen.add(clock_zone.key)
        place = clock_zone.key.rsplit("/", 1)[-1].replace("_", " ")
        marker = "bold" if clock_zone.key == zone.key else ""
        lines.append(
            Content.assemble(
                (f"{place:<12}", marker), display.clock_time(now, clock_zone, seconds=False)
            )
        )
    return Content("\n").join(lines)
