"""A scrolling list of focusable cards keyed by id: updated in place, reordered, never rebuilt.

The blockers and checkpoints screens show a few dozen records with several lines each, and a wall
display must show all of a record without interaction, so each record is a card rather than a
table row. Cards are created once per key, their text replaced only when it changes, and moved
(not recreated) when the order changes. Cards a new snapshot changed are marked `-changed` (and say
CHANGED on their bottom border) for `FLASH_SECONDS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.events import Click
from textual.message import Message

from ..model import Plan
from .flash import Flashes
from .labelled_text import LabelledText, Row

CHANGED_MARK = " ● CHANGED "
"""On the bottom border of a card a new snapshot just changed: in words, not only a colour."""


class Card(LabelledText, can_focus=True):
    """One record as labelled rows (never markup), repainted only when its rows change."""

    DEFAULT_CSS = """
    Card {
        height: auto;
        border: round $panel-lighten-2;
        border-title-style: bold;
        padding: 0 1;
        border-subtitle-style: bold reverse;
        border-subtitle-align: right;
        &:focus { background-tint: $foreground 10%; border-title-style: bold reverse; }
        &.-changed { background-tint: $accent 20%; }
    }
    """

    @dataclass
    class Selected(Message):
        """The user chose a card (a double click; screens bind Enter to their own action)."""

        key: str

    def __init__(self, key: str, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.key = key
        self._shown_title: Content | None = None

    def show(self, rows: Sequence[Row], title: Content | None = None) -> None:
        """Show `rows` (and the border `title`), doing nothing if they are already shown."""
        if title is not None and title != self._shown_title:
            self._shown_title = title
            self.border_title = title
        self.show_rows(rows)

    def flash(self, on: bool) -> None:
        """Mark the card as just changed by a new snapshot (or no longer)."""
        self.set_class(on, "-changed")
        self.border_subtitle = CHANGED_MARK if on else None

    def on_click(self, event: Click) -> None:
        if event.chain >= 2:
            self.post_message(self.Selected(self.key))


class CardList(VerticalScroll, can_focus=False):
    """Cards in a given order; Up/Down (or j/k), Page Up/Down, Home/End move between them."""

    DEFAULT_CSS = """
    CardList {
        height: 1fr;
        scrollbar-gutter: stable;
    }
    """

    BINDINGS = [
        Binding("down,j", "move(1)", "Next", show=False),
        Binding("up,k", "move(-1)", "Previous", show=False),
        Binding("pagedown", "move(5)", "Page down", show=False),
        Binding("pageup", "move(-5)", "Page up", show=False),
        Binding("home", "move_to(0)", "First", show=False),
        Binding("end", "move_to(-1)", "Last", show=False),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.cards: dict[str, Card] = {}
        """The cards on display, by key."""
        self.flashes = Flashes(self, self._end_flashes)
        """Cards marked as just changed, and the one timer that ends the marks."""

    def sync(self, keys: Sequence[str], make: Callable[[str], Card]) -> None:
        """Make the cards those of `keys`, in that order: remove, create and move as needed."""
        wanted = set(keys)
        gone = [key for key in self.cards if key not in wanted]
        for key in gone:
            self.cards.pop(key).remove()
        self.flashes.forget(gone)
        in_order = [card.key for card in self.ordered_cards()] == list(keys)
        previous: Card | None = None
        for key in keys:
            card = self.cards.get(key)
            if card is None:
                card = self.cards[key] = make(key)
                if previous is None and self.children:
                    self.mount(card, before=0)
                elif previous is None:
                    self.mount(card)
                else:
                    self.mount(card, after=previous)
            elif not in_order:
                if previous is None:
                    self.move_child(card, before=0)
                else:
                    self.move_child(card, after=previous)
            previous = card

    def flash(self, keys: Sequence[str]) -> None:
        """Mark the cards of `keys` as just changed, from now (again, for any still marked)."""
        for key in keys:
            self.cards[key].flash(True)
        self.flashes.start(keys)

    def _end_flashes(self, keys: list[str]) -> None:
        for key in keys:
            card = self.cards.get(key)
            if card is not None:
                card.flash(False)

    def ordered_cards(self) -> list[Card]:
        """The cards from top to bottom."""
        return [
            card
            for card in self.children
            if isinstance(card, Card) and self.cards.get(card.key) is card  # not one being removed
        ]

    def focused_card(self) -> Card | None:
        focused = self.screen.focused
        return focused if isinstance(focused, Card) and focused.parent is self else None

    def action_move(self, step: int) -> None:
        cards = self.ordered_cards()
        if not cards:
            return
        current = self.focused_card()
        position = cards.index(current) + step if current in cards else 0
        cards[max(0, min(position, len(cards) - 1))].focus()

    def action_move_to(self, position: int) -> None:
        cards = self.ordered_cards()
        if cards:
            cards[position].focus()

    def focus_key(self, key: str, *, top: bool = False) -> None:
        """Focus the card of `key` and scroll it into view (to the top with `top`)."""
        card = self.cards.get(key)
        if card is not None:
            card.focus(scroll_visible=not top)
            if top:
                self.call_after_refresh(card.scroll_visible, top=True, animate=False)


class PlanCardList(CardList):
    """A card list showing one kind of record of a plan (blockers, checkpoints)."""

    def show_plan(self, plan: Plan, now: datetime, zone: ZoneInfo) -> None:
        raise NotImplementedError

    def show_time(self, now: datetime) -> None:
        raise NotImplementedError
