"""Big digits for a countdown that repaint only the characters that changed.

Textual's `Digits` repaints all of itself on every update: three rows across the whole number, once
a second, on every terminal in the room and over every SSH link. The terminal is written in whole
widget-wide pieces of a line, so each character here is a widget of its own: a tick that changes
the last second rewrites three cells of three rows.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.geometry import Size
from textual.renderables.digits import Digits as DigitsRenderable
from textual.visual import VisualType
from textual.widget import Widget


class _Glyph(Widget):
    """One character of the clock."""

    DEFAULT_CSS = "_Glyph { width: auto; height: 3; }"

    def __init__(self, character: str) -> None:
        super().__init__()
        self.character = character

    def render(self) -> VisualType:
        return DigitsRenderable(self.character, self.rich_style)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return DigitsRenderable.get_width(self.character)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 3

    def show(self, character: str) -> None:
        if character != self.character:
            same_width = _width(character) == _width(self.character)
            self.character = character
            self.refresh(layout=not same_width)


class DigitClock(HorizontalGroup):
    """``HH:MM:SS`` in three-row digits; `show()` repaints just what differs."""

    DEFAULT_CSS = "DigitClock { width: auto; height: 3; }"

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._value = value

    @property
    def value(self) -> str:
        return self._value

    def compose(self) -> ComposeResult:
        for character in self._value:
            yield _Glyph(character)

    def show(self, value: str) -> None:
        """Display `value`, changing only the characters that differ."""
        if value == self._value:
            return
        glyphs = list(self.query_children(_Glyph))
        self._value = value
        if len(glyphs) != len(value):
            self.refresh(recompose=True)  # rare: the hours gained a digit
            return
        for glyph, character in zip(glyphs, value, strict=True):
            glyph.show(character)


def _width(text: str) -> int:
    return DigitsRenderable.get_width(text)
