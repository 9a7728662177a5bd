"""The big countdown: final data production, then cutover elapsed and SLA left, then live for."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits

from .value_label import ValueLabel


class Countdown(Vertical):
    """Large digits with a caption above and detail lines below; urgency shown as a class."""

    DEFAULT_CSS = """
    Countdown {
        height: auto;
        border: round $panel-lighten-2;
        border-title-style: bold;
        padding: 0 1;
        & > Digits { width: auto; }
        & > #countdown-caption { text-style: bold; }
        & > .detail { color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
        & > .-empty { display: none; }
        &.-warning {
            border: heavy $countdown-warning;
            & > Digits { color: $countdown-warning; }
        }
        &.-breached {
            border: heavy $countdown-breached;
            & > Digits { color: $countdown-breached; }
        }
    }
    """

    def compose(self) -> ComposeResult:
        yield ValueLabel(id="countdown-caption")
        yield Digits("00:00:00", id="countdown-digits")
        yield ValueLabel(id="countdown-target", classes="detail")
        yield ValueLabel(id="countdown-second", classes="detail")
        yield ValueLabel(id="countdown-third", classes="detail")

    def show(
        self,
        caption: str,
        digits: str,
        target: str,
        second: str = "",
        third: str = "",
        *,
        state: str = "ok",
    ) -> None:
        """Show `digits` (``HH:MM:SS``) under `caption`; `state` is ok, warning or breached."""
        self.query_one("#countdown-caption", ValueLabel).show(caption)
        shown = self.query_one("#countdown-digits", Digits)
        if shown.value != digits:
            shown.update(digits)
        self.query_one("#countdown-target", ValueLabel).show(target)
        for name, text in (("second", second), ("third", third)):
            line = self.query_one(f"#countdown-{name}", ValueLabel)
            line.show(text)
            line.set_class(not text, "-empty")
        self.set_class(state == "warning", "-warning")
        self.set_class(state == "breached", "-breached")
