"""Checkpoints: the schedule in time order with countdowns, criteria, decisions and rollback."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content

from .. import display, insight
from ..model import CheckpointKind, Plan
from ..sync import Snapshot
from ..widgets.checkpoint_schedule import (
    OVERDUE_STYLE,
    CheckpointSchedule,
    criteria_summary,
)
from ..widgets.marks import relative_minutes
from ..widgets.value_label import ValueLabel
from .base import DashboardScreen


class CheckpointsScreen(DashboardScreen):
    """Every checkpoint as a card, the next one picked out and shown first."""

    BINDINGS = [
        Binding("n", "show_next", "Next checkpoint", id="next-checkpoint"),
        Binding("down,j", "list_move(1)", "Next", show=False),
        Binding("up,k", "list_move(-1)", "Previous", show=False),
    ]

    DEFAULT_CSS = """
    CheckpointsScreen {
        #checkpoints-summary { padding: 0 1; width: 1fr; background: $boost; }
        #checkpoints-empty { padding: 1 2; color: $text-muted; }
    }
    """

    def compose_body(self) -> ComposeResult:
        yield ValueLabel(id="checkpoints-summary")
        yield ValueLabel("No checkpoints scheduled.", id="checkpoints-empty")
        yield CheckpointSchedule(id="checkpoint-schedule")

    def show_snapshot(self, snapshot: Snapshot) -> None:
        app = self.cutover_app
        plan = snapshot.plan
        schedule = self.query_one(CheckpointSchedule)
        had_cards = bool(schedule.cards)
        schedule.show_plan(plan, app.now, app.zone)
        self.query_one("#checkpoints-empty").display = not plan.checkpoints
        schedule.display = bool(plan.checkpoints)
        if not had_cards and plan.checkpoints:
            self.action_show_next()

    def show_time(self, now: datetime) -> None:
        snapshot = self.cutover_app.snapshot
        if snapshot is None:
            return
        schedule = self.query_one(CheckpointSchedule)
        was_next = schedule.next_key
        schedule.show_time(now)
        focused = schedule.focused_card()
        if schedule.next_key != was_next and focused is not None and focused.key == was_next:
            self.action_show_next()  # the user was following the next one: keep following it
        self.query_one("#checkpoints-summary", ValueLabel).show(_summary(snapshot.plan, now))

    def action_show_next(self) -> None:
        """Focus the next checkpoint (an overdue decision first) and bring it to the top."""
        schedule = self.query_one(CheckpointSchedule)
        key = schedule.next_key
        if key is None and schedule.cards:
            key = list(schedule.cards)[-1]
        if key is not None:
            schedule.focus_key(key, top=True)

    def action_list_move(self, step: int) -> None:
        self.query_one(CheckpointSchedule).action_move(step)


def _summary(plan: Plan, now: datetime) -> Content:
    """``6 checkpoints, 2 Go/No-Go · next GNG-FDP in 1h 00m, criteria 2/4 met``."""
    if not plan.checkpoints:
        return Content.styled("Checkpoints", "bold")
    decisions = sum(1 for c in plan.checkpoints if c.kind is CheckpointKind.GO_NO_GO)
    parts: list[Content | str | tuple[str, str]] = [
        (f"{len(plan.checkpoints)} checkpoints", "bold"),
        f", {decisions} Go/No-Go",
    ]
    overdue = insight.overdue_decisions(plan, now)
    if overdue:
        count = len(overdue)
        parts += [" · ", (f" ⚠ {count} OVERDUE DECISION{'S' if count > 1 else ''} ", OVERDUE_STYLE)]
    upcoming = insight.next_checkpoint(plan, now)
    if upcoming is not None:
        seconds = display.delta_seconds(upcoming.at, now)
        parts += [" · next ", (upcoming.id, "bold"), f" {relative_minutes(seconds)}"]
        if upcoming.criteria:
            parts.append(f", criteria {criteria_summary(upcoming)}")
    else:
        parts.append(" · none ahead")
    return Content.assemble(*parts)
