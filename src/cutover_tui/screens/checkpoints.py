"""Checkpoints: the schedule in time order with countdowns, criteria, decisions and rollback."""

from __future__ import annotations

from collections.abc import Sized
from datetime import datetime

from textual.binding import Binding
from textual.content import Content

from .. import display, insight
from ..model import CheckpointKind, Plan
from ..widgets.checkpoint_schedule import (
    OVERDUE_STYLE,
    CheckpointSchedule,
    criteria_summary,
)
from ..widgets.marks import relative_minutes
from .card_screen import CardScreen


class CheckpointsScreen(CardScreen):
    """Every checkpoint as a card, the next one picked out and shown first."""

    NAME = "checkpoints"
    EMPTY = "No checkpoints scheduled."
    BINDINGS = [Binding("n", "show_next", "Next checkpoint", id="next-checkpoint")]

    def make_list(self) -> CheckpointSchedule:
        return CheckpointSchedule(id="checkpoint-schedule")

    def records(self, plan: Plan) -> Sized:
        return plan.checkpoints

    def first_cards_shown(self) -> None:
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
        self.show_summary(_summary(snapshot.plan, now))

    def action_show_next(self) -> None:
        """Focus the next checkpoint (an overdue decision first) and bring it to the top."""
        schedule = self.query_one(CheckpointSchedule)
        key = schedule.next_key
        if key is None and schedule.cards:
            key = list(schedule.cards)[-1]
        if key is not None:
            schedule.focus_key(key, top=True)


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
