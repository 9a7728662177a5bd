"""Blockers: open first by severity then age, stale ones flagged, linked tasks, who to call."""

from __future__ import annotations

from collections.abc import Sized
from datetime import datetime

from textual import on
from textual.binding import Binding
from textual.content import Content

from .. import display, insight
from ..model import BlockerStatus, Plan
from ..widgets.blocker_list import BlockerList
from ..widgets.card_list import Card
from ..widgets.marks import STALE_MARK
from .blocker_detail import BlockerDetailModal
from .card_screen import CardScreen


class BlockersScreen(CardScreen):
    """Every blocker as a card; Enter opens one with its notes and log."""

    NAME = "blockers"
    EMPTY = "No blockers raised."
    BINDINGS = [Binding("enter", "open_blocker", "Details", id="blocker-details")]

    def make_list(self) -> BlockerList:
        return BlockerList(id="blocker-list")

    def records(self, plan: Plan) -> Sized:
        return plan.blockers

    def first_cards_shown(self) -> None:
        self.card_list.action_move_to(0)

    def show_time(self, now: datetime) -> None:
        snapshot = self.cutover_app.snapshot
        if snapshot is None:
            return
        self.card_list.show_time(now)
        self.show_summary(_summary(snapshot.plan, now))

    def action_open_blocker(self) -> None:
        card = self.card_list.focused_card()
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
