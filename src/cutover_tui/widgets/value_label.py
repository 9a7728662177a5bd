"""A label that repaints only when its text changes: a 1 Hz tick must not repaint idle text.

Plan text is untrusted, so what it shows is never read as markup: a `str` is shown literally and
styled text comes as `Content`.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Region
from textual.visual import VisualType
from textual.widget import Widget

from .changed_span import changed_span, counts_cells_from_left
from .relayout import relayout


class ValueLabel(Widget):
    """One piece of text (a `str`, shown literally, or styled `Content`); `show()` to change it."""

    DEFAULT_CSS = """
    ValueLabel { width: auto; height: auto; }
    """

    def __init__(
        self, text: str | Content = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._shown: str | Content = text

    @property
    def value(self) -> str | Content:
        return self._shown

    def render(self) -> VisualType:
        shown = self._shown
        return shown if isinstance(shown, Content) else Content(shown)

    def show(self, value: str | Content) -> None:
        old = self._shown
        if value == old:
            return
        self._shown = value
        # A widget that keeps its size repaints only its own region (one line: only the cells
        # that change); a layout would repaint the panel around it too.
        if not self.keeps_size(old, value):
            relayout(self)
        elif self.size.height == 1 and counts_cells_from_left(self):
            span = changed_span(old, value)
            if span is not None:
                self.refresh(Region(span[0], 0, span[1] - span[0], 1))
        else:
            self.refresh()

    def keeps_size(self, old: str | Content, new: str | Content) -> bool:
        """Whether showing `new` instead of `old` leaves the widget's size as it is: the same
        lines as wide as before, none of them wrapped."""
        shape = _shape(new)
        return shape == _shape(old) and self.size.height == shape[0]


def _shape(text: str | Content) -> tuple[int, int]:
    """(lines, cells in the widest line) of `text` unwrapped."""
    plain = text.plain if isinstance(text, Content) else text
    lines = plain.split("\n")
    return len(lines), max(cell_len(line) for line in lines)
