"""A label that repaints only when its text changes: a 1 Hz tick must not repaint idle text."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Label


class ValueLabel(Label):
    """`Label` with `show()`, a no-op when given what it already shows; markup always off."""

    def __init__(
        self, text: str | Content = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(text, id=id, classes=classes, markup=False)
        self._shown: str | Content = text

    def show(self, value: str | Content) -> None:
        if value != self._shown:
            self._shown = value
            self.update(value)
