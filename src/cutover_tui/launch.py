"""The ``cutover-tui`` command: the command line, started without the cyclic garbage collector.

Start-up (importing Textual and pydantic, reading the plan, building the first screen) makes
hundreds of thousands of objects and almost no garbage, yet the collector walks them all several
times on the way: some 60 ms of the GP sample's launch and 150 ms of a 10,000-task plan's
(`bench/bench_tui.py`). The dashboard turns it back on after its first frame, once what start-up
made is frozen out of its reach (`CutoverApp.freeze_startup`); every other command reads a plan
or two and exits.

It also tells pydantic not to look for plugins: the app uses none, and looking reads the metadata
of every installed package when the first model is built (8 ms with the 56 packages of the test
environment). A value the user set is kept.
"""

from __future__ import annotations

import gc
import os
from typing import NoReturn


def main() -> NoReturn:
    """The console script's entry point (and ``python -m cutover_tui``'s)."""
    gc.disable()
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from .cli import main as run_command_line  # after: the imports are most of start-up

    run_command_line()
