"""Blockers: open first by severity then age, stale ones flagged, linked tasks, who to call."""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content

from .. import display, insight
from ..model import BlockerStatus, Plan
from ..sync import Snapshot
from ..widgets.blocker_list import BlockerList
from ..widgets.card_list import Card
from ..widgets.marks import STALE_MARK
from ..widgets.value_label import ValueLabel
from .base import DashboardScreen
from .blocker_detail import BlockerDetailModal


class BlockersScreen(DashboardScreen):
    """Every blocker as a card; Enter opens one with its notes and log."""

    BINDINGS = [
        Binding("enter", "open_blocker", "Details", id="blocker-details"),
        Binding("down,j", "list_move(1)", "Next", show=False),
        Binding("up,k", "list_move(-1)", "Previous", show=False),
    ]

    DEFAULT_CSS = """
    BlockersScreen {
        #blockers-summary { padding: 0 1; width: 1fr; background: $boost; }
        #blockers-empty { padding: 1 2; color: $text-muted; }
    }
    """

    def compose_body(self) -> ComposeResult:
        yield ValueLabel(id="blockers-summary")
        yield ValueLabel("No blockers raised.", id="blockers-empty")
        yield BlockerList(id="blocker-list")

    def show_snapshot(self, snapshot: Snapshot) -> None:
        app = self.cutover_app
        plan = snapshot.plan
        blocker_list = self.query_one(BlockerList)
        had_cards = bool(blocker_list.cards)
        blocker_list.show_plan(plan, app.now, app.zone)
        self.query_one("#blockers-empty").display = not plan.blockers
        blocker_list.display = bool(plan.blockers)
        if not had_cards and plan.blockers:
            blocker_list.action_move_to(0)

    def show_time(self, now: datetime) -> None:
        snapshot = self.cutover_app.snapshot
        if snapshot is None:
            return
        self.query_one(BlockerList).show_time(now)
        self.query_one("#blockers-summary", ValueLabel).show(_summary(snapshot.plan, now))

    def action_list_move(self, step: int) -> None:
        self.query_one(BlockerList).action_move(step)

    def action_open_blocker(self) -> None:
        card = self.query_one(BlockerList).focused_card()
        if card is not None:
            self.app.push_screen(BlockerDetailModal(card.key))

    @on(Card.Selected)
    def open_blocker_detail(self, message: Card.Selected) -> None:
        self.app.push_screen(BlockerDetailModal(message.key))


def _summary(plan: Plan, now: datetime) -> Content:
    """``2 open · ⚠ 1 STALE · 1 mitigated · 1 resolved``."""
    if not plan.blockers:
        return Content.styled("Blockers", "bold")
    counts = dict.fromkeys(BlockerStatus, 0)
    for blocker in plan.blockers:
        counts[blocker.status] += 1
    stale = len(insight.stale_blockers(plan, now))
    stale_after = plan.header.stale_after.total_seconds()
    parts: list[Content | str | tuple[str, str]] = [
        (f"{counts[BlockerStatus.OPEN]} open", "bold"),
    ]
    if stale:
        parts += [" · ", (f"⚠ {stale} STALE", STALE_MARK[1])]
    parts += [
        f" · {counts[BlockerStatus.MITIGATED]} mitigated",
        f" · {counts[BlockerStatus.RESOLVED]} resolved",
        (f" · stale after {display.span_minutes(stale_after)} without an update", "$text-muted"),
    ]
    return Content.assemble(*parts)
