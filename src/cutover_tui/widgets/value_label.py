"""A label that repaints only when its text changes: a 1 Hz tick must not repaint idle text.

Plan text is untrusted, so what it shows is never read as markup: a `str` is shown literally and
styled text comes as `Content`.
"""

from __future__ import annotations

from textual.content import Content
from textual.visual import VisualType
from textual.widget import Widget


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
        # Same width on one line (a clock's text): no need to lay the screen out again.
        same_shape = _cells(old) == _cells(value) and "\n" not in str(value) + str(old)
        self.refresh(layout=not same_shape)


def _cells(text: str | Content) -> int:
    return (text if isinstance(text, Content) else Content(text)).cell_length
