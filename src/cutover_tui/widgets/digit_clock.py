"""Big digits for a countdown that repaint only the characters that changed.

Textual's `Digits` repaints all of itself on every update: three rows across the whole number, once
a second, on every terminal in the room and over every SSH link. This one marks dirty only the
cells of the characters that differ, and the dashboard's compositor writes only those cells: a
tick that changes the last second rewrites three cells of three rows.
"""

from __future__ import annotations

from textual.geometry import Region, Size
from textual.renderables.digits import Digits as DigitsRenderable
from textual.visual import VisualType
from textual.widget import Widget

from .relayout import relayout


class DigitClock(Widget):
    """``HH:MM:SS`` in three-row digits; `show()` repaints just what differs."""

    DEFAULT_CSS = "DigitClock { width: auto; height: 3; }"

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._value = value

    @property
    def value(self) -> str:
        return self._value

    def render(self) -> VisualType:
        return DigitsRenderable(self._value, self.rich_style)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return DigitsRenderable.get_width(self._value)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 3

    def show(self, value: str) -> None:
        """Display `value`, repainting only the characters that differ."""
        old, self._value = self._value, value
        if value == old:
            return
        widths = _widths(value)
        if widths != _widths(old):
            relayout(self)  # rare: the hours gained a digit
            return
        changed = [index for index, (a, b) in enumerate(zip(old, value, strict=True)) if a != b]
        start = sum(widths[: changed[0]])
        end = sum(widths[: changed[-1] + 1])
        self.refresh(Region(start, 0, end - start, 3))


def _widths(text: str) -> list[int]:
    """The cells each character takes in three-row digits."""
    return [DigitsRenderable.get_width(character) for character in text]
