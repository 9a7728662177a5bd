"""The ``cutover-tui`` command: the command line, started without the cyclic garbage collector.

Start-up (importing Textual and pydantic, reading the plan, building the first screen) makes
hundreds of thousands of objects and almost no garbage, yet the collector walks them all several
times on the way: some 60 ms of the GP sample's launch and 150 ms of a 10,000-task plan's
(`bench/bench_tui.py`). The dashboard turns it back on after its first frame, once what start-up
made is frozen out of its reach (`CutoverApp.freeze_startup`); every other command reads a plan
or two and exits.
"""

from __future__ import annotations

import gc
from typing import NoReturn


def main() -> NoReturn:
    """The console script's entry point (and ``python -m cutover_tui``'s)."""
    gc.disable()
    from .cli import main as run_command_line  # after: the imports are most of start-up

    run_command_line()
