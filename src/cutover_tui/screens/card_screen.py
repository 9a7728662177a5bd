"""A screen of cards: a summary line, a message for an empty list, and the cards themselves."""

from __future__ import annotations

from collections.abc import Sized
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content

from ..model import Plan
from ..sync import Snapshot
from ..widgets.card_list import PlanCardList
from ..widgets.value_label import ValueLabel
from .base import DashboardScreen


class CardScreen(DashboardScreen):
    """Cards for one kind of record; subclasses name it and say what to show."""

    NAME: ClassVar[str]
    """Prefix of the widgets' ids: ``{NAME}-summary``, ``{NAME}-empty``."""
    EMPTY: ClassVar[str]
    """What an empty list says."""

    BINDINGS = [
        Binding("down,j", "list_move(1)", "Next", show=False),
        Binding("up,k", "list_move(-1)", "Previous", show=False),
    ]

    DEFAULT_CSS = """
    CardScreen {
        .cards-summary { padding: 0 1; width: 1fr; background: $boost; }
        .cards-empty { padding: 1 2; color: $text-muted; }
    }
    """

    def make_list(self) -> PlanCardList:
        raise NotImplementedError

    def records(self, plan: Plan) -> Sized:
        raise NotImplementedError

    def first_cards_shown(self) -> None:
        """Called once the list first has cards: where the cursor starts."""

    def compose_body(self) -> ComposeResult:
        yield ValueLabel(id=f"{self.NAME}-summary", classes="cards-summary")
        yield ValueLabel(self.EMPTY, id=f"{self.NAME}-empty", classes="cards-empty")
        yield self.make_list()

    @property
    def card_list(self) -> PlanCardList:
        return self.query_one(PlanCardList)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        app = self.cutover_app
        cards = self.card_list
        had_cards = bool(cards.cards)
        cards.show_plan(snapshot.plan, app.now, app.zone)
        has_records = bool(len(self.records(snapshot.plan)))
        self.query_one(f"#{self.NAME}-empty").display = not has_records
        cards.display = has_records
        if not had_cards and has_records:
            self.first_cards_shown()

    def show_summary(self, summary: Content) -> None:
        self.query_one(f"#{self.NAME}-summary", ValueLabel).show(summary)

    def action_list_move(self, step: int) -> None:
        self.card_list.action_move(step)
