"""Watching one file through its folder: inotify on Linux, watchfiles elsewhere (both tested)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from cutover_tui.sync.folder_watch import folder_changes

WAYS = [
    pytest.param(
        True,
        id="inotify",
        marks=pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only"),
    ),
    pytest.param(False, id="watchfiles"),
]


class Watch:
    """Counts the changes `folder_changes` reports, in a task of its own."""

    def __init__(self, changes: AsyncIterator[None]) -> None:
        self.count = 0
        self.error: BaseException | None = None
        self._news = asyncio.Event()
        self._task = asyncio.create_task(self._run(changes))

    async def _run(self, changes: AsyncIterator[None]) -> None:
        try:
            async for _ in changes:
                self.count += 1
                self._news.set()
        except Exception as error:
            self.error = error
            self._news.set()

    async def until(self, done: Callable[[], bool]) -> None:
        async with asyncio.timeout(5):
            while not done():
                self._news.clear()
                if not done():
                    await self._news.wait()

    async def close(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


async def _started(folder: Path, name: str, inotify: bool) -> Watch:
    watch = Watch(folder_changes(folder, name, inotify=inotify))
    await asyncio.sleep(0.3)  # watchfiles starts its watch in a thread
    return watch


@pytest.mark.parametrize("inotify", WAYS)
async def test_writes_replaces_and_deletions_of_the_file_are_reported(
    tmp_path: Path, inotify: bool
) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text("{}")
    watch = await _started(tmp_path, "plan.json", inotify)
    try:
        plan.write_text('{"a": 1}')  # in place
        await watch.until(lambda: watch.count >= 1)
        seen = watch.count
        (tmp_path / ".plan.json.tmp").write_text('{"b": 2}')
        os.replace(tmp_path / ".plan.json.tmp", plan)  # a save by rename
        await watch.until(lambda: watch.count > seen)
        seen = watch.count
        plan.unlink()
        await watch.until(lambda: watch.count > seen)
        seen = watch.count
        plan.write_text("{}")  # back again
        await watch.until(lambda: watch.count > seen)
        seen = watch.count
        plan.chmod(0o000)  # read access lost: a reader must look
        await watch.until(lambda: watch.count > seen)
        assert watch.error is None
    finally:
        plan.chmod(0o644)
        await watch.close()


@pytest.mark.parametrize("inotify", WAYS)
async def test_other_names_in_the_folder_are_not_reported(tmp_path: Path, inotify: bool) -> None:
    (tmp_path / "plan.json").write_text("{}")
    watch = await _started(tmp_path, "plan.json", inotify)
    try:
        for name in (".plan.json.swp", "plan.json~", "4913", "other.json"):
            (tmp_path / name).write_text("{garbage")
        await asyncio.sleep(0.4)
        assert watch.count == 0
    finally:
        await watch.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
async def test_a_folder_that_goes_away_ends_the_inotify_watch_with_an_error(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    watch = await _started(folder, "plan.json", True)
    try:
        shutil.rmtree(folder)
        await watch.until(lambda: watch.error is not None)
        assert isinstance(watch.error, OSError)
    finally:
        await watch.close()


async def test_a_folder_that_cannot_be_watched_raises(tmp_path: Path) -> None:
    for inotify in (True, False):
        with pytest.raises(OSError, match="missing"):
            async for _ in folder_changes(tmp_path / "missing", "plan.json", inotify=inotify):
                pass
