"""A stock Textual app (a header, a label and a footer): the launch floor on this machine.

`bench_tui.py` times its launch beside the dashboard's, so the dashboard's figure can be read
against what Textual itself costs here.
"""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Label

READY = "Stock Textual app ready"


class StockApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(READY)
        yield Footer()


if __name__ == "__main__":
    StockApp().run()
