"""The big countdown: final data production, then cutover elapsed and SLA left, then live for."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from .digit_clock import DigitClock
from .value_label import ValueLabel


class Countdown(Vertical):
    """Large digits with a caption above and detail lines below; urgency shown as a class."""

    DEFAULT_CSS = """
    Countdown {
        height: auto;
        border: round $panel-lighten-2;
        border-title-style: bold;
        padding: 0 1;
        & > DigitClock { width: auto; }
        & > #countdown-caption { text-style: bold; }
        & > .detail { color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
        & > .-empty { display: none; }
        &.-warning {
            border: heavy $countdown-warning;
            & > DigitClock { color: $countdown-warning; }
        }
        &.-breached {
            border: heavy $countdown-breached;
            & > DigitClock { color: $countdown-breached; }
        }
    }
    """

    def compose(self) -> ComposeResult:
        yield ValueLabel(id="countdown-caption")
        yield DigitClock("00:00:00", id="countdown-digits")
        yield ValueLabel(id="countdown-target", classes="detail")
        yield ValueLabel(id="countdown-second", classes="detail")
        yield ValueLabel(id="countdown-third", classes="detail")

    def show(
        self,
        title: str,
        caption: str,
        digits: str,
        target: str,
        second: str = "",
        third: str = "",
        *,
        state: str = "ok",
    ) -> None:
        """Show `digits` (``HH:MM:SS``) under `caption`; `state` is ok, warning or breached.

        Only what changed is repainted: a border title set even to the same text repaints the
        whole panel, borders included, so it is compared first.
        """
        if self.border_title != title:
            self.border_title = title
        self.query_one("#countdown-caption", ValueLabel).show(caption)
        self.query_one("#countdown-digits", DigitClock).show(digits)
        self.query_one("#countdown-target", ValueLabel).show(target)
        for name, text in (("second", second), ("third", third)):
            line = self.query_one(f"#countdown-{name}", ValueLabel)
            line.show(text)
            line.set_class(not text, "-empty")
        self.set_class(state == "warning", "-warning")
        self.set_class(state == "breached", "-breached")
