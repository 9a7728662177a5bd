"""The dashboard follows its plan file: saves show at once, a lost file keeps the last good plan."""

from __future__ import annotations

import asyncio
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from cutover_tui.app import CutoverApp, DashboardOptions
from cutover_tui.clock import FixedClock
from cutover_tui.model import load_path
from cutover_tui.widgets.value_label import ValueLabel

GP = Path(__file__).parents[1] / "sample_plans" / "gp-practice-migration.toml"
TITLE = "Riverside Surgery — clinical system migration"


def label(app: CutoverApp, selector: str) -> str:
    return str(app.screen.query_one(selector, ValueLabel).render())


async def until(check: object, pilot: object, within: float = 5.0) -> None:
    """Wait (bounded) for `check()` to hold while the app runs."""
    deadline = asyncio.get_running_loop().time() + within
    while not check():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await pilot.pause(0.05)  # type: ignore[attr-defined]


def write_atomically(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(text)
    os.replace(temp, path)


async def test_saves_show_and_a_missing_file_keeps_the_last_good_plan(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    shutil.copy(GP, path)
    clock = FixedClock(datetime(2026, 12, 4, 15, 0, tzinfo=UTC))
    options = DashboardOptions(follow=True)
    app = CutoverApp(str(path), load_path, clock, options, initial=load_path(path))
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await pilot.pause()
        assert label(app, "#sync").startswith("● LIVE · ")
        write_atomically(path, path.read_text().replace(TITLE, "Riverside (saved)"))
        await until(lambda: label(app, "#plan-title") == "Riverside (saved)", pilot)

        path.unlink()
        await until(lambda: "SOURCE MISSING" in label(app, "#sync"), pilot)
        assert label(app, "#plan-title") == "Riverside (saved)"  # the last good plan stays
        assert "last good" in label(app, "#sync")

        shutil.copy(GP, path)
        await until(lambda: label(app, "#plan-title") == TITLE, pilot)
        await until(lambda: label(app, "#sync").startswith("● LIVE · "), pilot)


async def test_a_broken_save_is_marked_invalid_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    shutil.copy(GP, path)
    clock = FixedClock(datetime(2026, 12, 4, 15, 0, tzinfo=UTC))
    app = CutoverApp(
        str(path), load_path, clock, DashboardOptions(follow=True), initial=load_path(path)
    )
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await pilot.pause()
        write_atomically(
            path, path.read_text().replace("schema_version = 1", "schema_version = 1\nx = 1")
        )
        # A bad save is reported only once it has lasted 3 s (a torn write is not a problem).
        await until(lambda: "INVALID" in label(app, "#sync"), pilot, within=8)
        assert label(app, "#plan-title") == TITLE
        assert any("x: unknown key" in str(n.message) for n in app._notifications)
