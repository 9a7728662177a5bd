"""Hostile plan text on every screen: shown literally, styling nothing, running nothing.

The installed dashboard runs in a real pseudo-terminal on `fixtures/hostile.toml`; each screen is
opened with its key and read off the terminal as a person would see it.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

from terminal import Terminal

HOSTILE = Path(__file__).parent / "fixtures" / "hostile.toml"
EXECUTABLE = shutil.which("cutover-tui", path=str(Path(sys.executable).parent))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(EXECUTABLE is None, reason="cutover-tui is not installed"),
]

# What each screen must show, character for character.
EXPECTED = {
    "1": ["[red]DONE[/]", "[link=https://example.org]click me[/link]", "[on red]Go/No-Go[/]"],
    "2": ["[red]DONE[/]", "[/tmp] cleanup", "[@click=app.quit]boom[/]"],
    "3": ["[link=https://example.org]click me[/link]", "[b]Alice"],
    "4": ["[on red]Go/No-Go[/]", "[green]ready[/green]"],
    "5": ["[red]DONE[/]", "[/tmp] cleanup"],
    "6": ["[/] unbalanced [/"],
    "7": ["[b]Alice", "[dim]0000"],
}


def _wait_for_any(terminal: Terminal, texts: list[str], timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = terminal.text()
        if any(text in screen for text in texts):
            return True
        terminal.pump(0.05)
    return False


@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
def test_every_screen_shows_hostile_text_literally(size: tuple[int, int]) -> None:
    assert EXECUTABLE is not None
    cols, rows = size
    argv = [EXECUTABLE, str(HOSTILE), "--now", "2026-12-04T15:00:00Z"]
    with Terminal(argv, cols=cols, rows=rows) as terminal:
        terminal.wait_for("Final data production in", timeout=30)
        assert "[bold red]Hostile[/]" in terminal.text()  # the title, in the header
        for key, texts in EXPECTED.items():
            terminal.send(key)
            for text in texts:
                if cols < 100 and key == "1":
                    continue  # the compact overview has no room for these lists
                # Wait for it rather than for quiet: a first visit to a screen can take a moment.
                # An overview list cuts a long title: its start, markup included, is enough.
                shown = _wait_for_any(terminal, [text, text[: min(30, cols // 3)]])
                assert shown, (key, text, terminal.text())
            terminal.wait_quiet(0.3)
            assert terminal.alive(), f"the dashboard stopped on screen {key}"
        # Enter on the tasks screen opens a task; its notes show literally, across lines.
        terminal.send("2")
        assert _wait_for_any(terminal, ["sorted by plan order"])
        terminal.wait_quiet(0.3)
        terminal.send("\r")
        terminal.wait_for("Task T1", timeout=10)
        if rows >= 40:
            terminal.wait_for("line three \ufffd]0;pwned\ufffd", timeout=10)
            assert "[@click=app.quit]boom[/]" in terminal.text()
        assert terminal.alive()
