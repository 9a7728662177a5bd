"""End to end: the installed `cutover-tui` in a real pseudo-terminal, read off the screen."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from textual.renderables.digits import DIGITS, DIGITS3X3, DIGITS3X3_BOLD

from terminal import Terminal

ROOT = Path(__file__).parents[1]
GP = ROOT / "sample_plans" / "gp-practice-migration.toml"
EXECUTABLE = shutil.which("cutover-tui", path=str(Path(sys.executable).parent))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(EXECUTABLE is None, reason="cutover-tui is not installed"),
]


def _glyphs() -> dict[tuple[str, str, str], str]:
    """Each character Digits can draw, keyed by its three rows (either weight)."""
    table: dict[tuple[str, str, str], str] = {}
    for font in (DIGITS3X3, DIGITS3X3_BOLD):
        for position, character in enumerate(DIGITS):
            rows = font[position * 3 : position * 3 + 3]
            table[tuple(row.ljust(3) for row in rows)] = character  # type: ignore[index]
    return table


def read_digits(rows: list[str]) -> str:
    """Decode three screen rows of Textual `Digits` back into text."""
    glyphs, text, column = _glyphs(), "", 0
    width = max(len(row) for row in rows)
    while column < width:
        block = tuple(row[column : column + 3].ljust(3) for row in rows)
        if block not in glyphs:
            column += 1
            continue
        text += glyphs[block]  # type: ignore[index]
        column += 3
    return text.strip()


def countdown_on(terminal: Terminal, caption: str) -> str:
    lines = terminal.text().splitlines()
    row = next(i for i, line in enumerate(lines) if caption in line)
    left = lines[row].index(caption)
    return read_digits([line[left : left + 40] for line in lines[row + 1 : row + 4]])


def test_the_countdown_reads_two_hours_before_final_data_production() -> None:
    assert EXECUTABLE is not None
    argv = [EXECUTABLE, str(GP), "--now", "2026-12-04T15:00:00Z"]
    with Terminal(argv, cols=160, rows=48) as terminal:
        terminal.wait_for("Final data production in", timeout=30)
        terminal.wait_quiet(0.5)
        assert countdown_on(terminal, "Final data production in") == "02:00:00"
        screen = terminal.text()
        assert "SIMULATED CLOCK" in screen
        assert "Go/No-Go for final data production" in screen
        assert "⚠ 2 late" in screen
        assert "Fri 04 Dec 15:00:00 GMT" in screen


def test_the_countdown_crosses_final_data_production_at_80_by_24() -> None:
    assert EXECUTABLE is not None
    argv = [EXECUTABLE, str(GP), "--now", "2026-12-04T16:59:57Z", "--speed", "1"]
    with Terminal(argv, cols=80, rows=24) as terminal:
        terminal.wait_for("Final data production in", timeout=30)
        terminal.wait_for("Cutover elapsed", timeout=15)
        terminal.wait_quiet(0.3)
        elapsed = countdown_on(terminal, "Cutover elapsed")
        assert elapsed.startswith("00:00:0"), elapsed
        assert "CUTOVER" in terminal.text()


def test_start_up_writes_the_overview_once() -> None:
    """Over a slow link every byte counts: start-up writes about one screenful, not three."""
    assert EXECUTABLE is not None
    argv = [EXECUTABLE, str(GP), "--now", "2026-12-04T15:00:00Z"]  # a still clock: no ticks
    with Terminal(argv, cols=160, rows=48) as terminal:
        terminal.wait_for("Clocks", timeout=30)
        terminal.wait_quiet(1.0)
        at_start = terminal.bytes_written
        terminal.send("2")
        terminal.wait_for("Late only", timeout=10)
        terminal.wait_quiet(0.5)
        before = terminal.bytes_written
        terminal.send("1")  # back to the overview: painted whole again
        terminal.wait_for("Clocks", timeout=10)
        terminal.wait_quiet(0.5)
        one_screen = terminal.bytes_written - before
    assert at_start < 1.5 * one_screen, (at_start, one_screen)
