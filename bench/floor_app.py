"""The stock Textual app of `stock_app.py` that first reads a plan through the format's loader:
the launch floor of any dashboard on this stack, before it computes or shows anything.

`python floor_app.py PLAN` reads PLAN as `cutover-tui` does (`load_path`: parse, clean, validate,
check), then shows one label with the plan's title. Like the dashboard's command, it starts with
the cyclic garbage collector off. `bench_tui.py` times it beside the dashboard, so the part of the
dashboard's launch that is the overview's own work can be told from what Textual and reading the
plan cost whatever the app does.
"""

import gc
import sys

READY = "Floor app ready"


def main(plan: str) -> None:
    gc.disable()  # before the imports, as `cutover_tui.launch` does
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Label

    from cutover_tui.model import load_path

    class FloorApp(App[None]):
        def __init__(self, title: str) -> None:
            super().__init__()
            self.plan_title = title

        def compose(self) -> ComposeResult:
            yield Header()
            yield Label(f"{READY}: {self.plan_title}", markup=False)
            yield Footer()

    FloorApp(load_path(plan).header.title).run()


if __name__ == "__main__":
    main(sys.argv[1])
