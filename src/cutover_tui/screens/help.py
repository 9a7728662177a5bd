"""`?`: every key of the dashboard, gathered from the bindings so the list never goes stale."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """Keys of the app and of the screen underneath, with what they do."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", show=False)]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll {
            width: 72; max-width: 100%; height: auto; max-height: 90%;
            border: thick $primary; background: $surface; padding: 0 1;
        }
    }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self._help_text(), id="help-text")

    def _help_text(self) -> Content:
        sections: list[tuple[str, list[Binding]]] = [("Everywhere", list(_bindings(self.app)))]
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        if below is not None:
            sections.append(("On this screen", list(_bindings(below))))
            focused = below.focused
            if focused is not None:
                # The focused widget and its containers: a table's or chart's own keys.
                nodes = [n for n in focused.ancestors_with_self if n not in (below, self.app)]
                keys = [binding for node in nodes for binding in _bindings(node)]
                sections.append(("In the focused panel", keys))
        parts: list[Content | str] = []
        for title, bindings in sections:
            if not bindings:
                continue
            parts.append(Content.styled(f"{title}\n", "bold $accent"))
            for binding in bindings:
                key = binding.key_display or binding.key
                parts.append(Content.assemble((f"  {key:<12}", "bold"), f"{binding.description}\n"))
        parts.append(
            Content.styled(
                "\nCtrl+P opens the command palette (screens, reload, UTC, themes).\n"
                "Esc or ? closes this help.",
                "italic $text-muted",
            )
        )
        return Content.assemble(*parts)


def _bindings(node: object) -> list[Binding]:
    found = []
    for binding in getattr(node, "BINDINGS", []):
        if isinstance(binding, Binding) and binding.description:
            found.append(binding)
    return found
