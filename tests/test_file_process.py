"""Following a plan file that other processes write: real processes, a real terminal.

The installed `cutover-tui` follows a plan file in a pseudo-terminal (160x48, a fixed `--now` so
the clock never changes the screen), and the tests read the screen as a person would, at the end
of every frame (the terminal offers synchronized output, so Textual marks where each frame ends
and half-painted frames are never judged). The writers are real: a separate Python process
rewriting the file in place, or bursts of atomic replaces, deletions and permission changes.
Every wait is bounded; nothing is asserted after a fixed sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cutover_tui.sync.events import SourceEvent, SourceProblem
from cutover_tui.sync.file_source import FileSource
from cutover_tui.sync.snapshot import Snapshot
from make_plan import make_plan
from terminal import Terminal

EXECUTABLE = shutil.which("cutover-tui", path=str(Path(sys.executable).parent))
NOW = "2026-12-04T15:00:00Z"
TASKS = 40
TITLE = re.compile(r"^ Rev (\d{6}) ")
"""The header starts with the plan title, which encodes the revision."""
DONE = re.compile(r"✔ (\d+)/(\d+) done")
"""The overview's task panel: done / all tasks."""
TROUBLE = ("INVALID", "SOURCE MISSING", "UNREADABLE", "NOT A FILE", "OLDER REVISION", "STALE")
"""Problem badges: none may show in the header while a writer only ever writes good plans."""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(EXECUTABLE is None, reason="cutover-tui is not installed"),
]

# A writer process: rewrites the plan IN PLACE (truncate, then the document in chunks with tiny
# pauses, so a reader can catch it half written) `hz` times a second for `seconds`, each time a
# complete valid plan with the next revision and the title "Rev NNNNNN". Every eighth write
# pauses longer in the middle, so the change events arrive while the file is half written and
# readers really do read torn files. Prints the last revision written.
WRITER = r"""
import json, sys, time
path, base, seconds, hz = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
with open(base, encoding="utf-8") as handle:
    doc = json.load(handle)
revision = doc["revision"]
start = next_at = time.monotonic()
while time.monotonic() - start < seconds:
    revision += 1
    doc["revision"] = revision
    doc["plan"]["title"] = f"Rev {revision:06d}"
    data = json.dumps(doc, ensure_ascii=False, indent=1).encode()
    step = -(-len(data) // 4)
    with open(path, "r+b") as handle:
        handle.truncate(0)
        for number, offset in enumerate(range(0, len(data), step)):
            handle.write(data[offset : offset + step])
            handle.flush()
            time.sleep(0.012 if revision % 8 == 0 and number == 1 else 0.001)
    next_at += 1 / hz
    time.sleep(max(0.0, next_at - time.monotonic()))
print(revision, flush=True)
"""


def plan_document(revision: int) -> dict[str, Any]:
    document = make_plan(TASKS, seed=7)
    document["revision"] = revision
    document["plan"]["title"] = f"Rev {revision:06d}"
    return document


def encode(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def with_revision(document: dict[str, Any], revision: int) -> bytes:
    document["revision"] = revision
    document["plan"]["title"] = f"Rev {revision:06d}"
    return encode(document)


def write_atomic(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)


def shown_revision(screen: str) -> int | None:
    match = TITLE.match(screen)
    return int(match.group(1)) if match else None


def showing(revision: int, *, live: bool = False) -> Callable[[str], bool]:
    """A check for `Terminal.until`: the screen shows `revision` (and says LIVE, with `live`)."""
    return lambda screen: shown_revision(screen) == revision and (not live or "● LIVE" in screen)


class Watcher:
    """Judges every complete frame: a whole revision, never going back, all tasks, no trouble."""

    def __init__(self, terminal: Terminal) -> None:
        self.terminal = terminal
        self.revisions: list[int] = []
        self.done: set[tuple[int, int]] = set()
        self.faults: list[str] = []
        terminal.on_frame = self.check

    def check(self) -> None:
        screen = self.terminal.text()
        revision = shown_revision(screen)
        if revision is None:
            self.fault("no whole revision in the title", screen)
            return
        if self.revisions and revision < self.revisions[-1]:
            self.fault(f"revision went back from {self.revisions[-1]} to {revision}", screen)
        if not self.revisions or revision != self.revisions[-1]:
            self.revisions.append(revision)
        counts = DONE.search(screen)
        if counts is None:
            self.fault("no task counts", screen)
        else:
            self.done.add((int(counts.group(1)), int(counts.group(2))))
        header = screen.splitlines()[0]
        if "● LIVE" not in header:
            self.fault("the header does not say LIVE", screen)
        for word in TROUBLE:
            if word in header:
                self.fault(f"{word} in the header", screen)
        if "Kept the last good plan" in screen:
            self.fault("a problem was reported (toast)", screen)

    def fault(self, what: str, screen: str) -> None:
        if len(self.faults) < 3:  # the first few, with their screens, are enough to debug
            self.faults.append(f"{what}:\n{screen}")


def dashboard(plan: Path, *extra: str, preexec: Callable[[], None] | None = None) -> Terminal:
    assert EXECUTABLE is not None
    argv = [EXECUTABLE, str(plan), "--now", NOW, *extra]
    return Terminal(argv, cols=160, rows=48, sync_output=True, preexec=preexec)


def open_overview(terminal: Terminal, revision: int) -> None:
    terminal.wait_for(f"Rev {revision:06d}", timeout=30)
    terminal.until(lambda screen: "Clocks" in screen and "● LIVE" in screen, timeout=30)


class Following:
    """A FileSource followed in this process's event loop: its events, and bounded waits."""

    def __init__(self, path: Path, poll: float | None = None) -> None:
        self.events: list[SourceEvent] = []
        self._arrived = asyncio.Event()
        self._stream = FileSource(path, poll=poll).events()
        self._task = asyncio.create_task(self._collect())

    async def _collect(self) -> None:
        async for event in self._stream:
            self.events.append(event)
            self._arrived.set()

    def snapshots(self) -> list[int]:
        return [event.revision for event in self.events if isinstance(event, Snapshot)]

    def last_snapshot_is(self, revision: int) -> Callable[[], bool]:
        return lambda: self.snapshots()[-1:] == [revision]

    def problems(self) -> list[SourceProblem]:
        return [event for event in self.events if isinstance(event, SourceProblem)]

    async def until(self, check: Callable[[], bool], within: float = 10.0) -> None:
        async with asyncio.timeout(within):
            while not check():
                self._arrived.clear()
                await self._arrived.wait()

    async def close(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        await self._stream.aclose()  # type: ignore[attr-defined]


# --- a writer process rewriting the file in place --------------------------------------------


class Observer:
    """FileSource in a thread of this process, on the same file: the app's own logic, counted."""

    def __init__(self, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        import cutover_tui.sync.file_source as module

        self.refused = 0
        self.events: list[SourceEvent] = []
        real_parse = module._parse

        def counting_parse(*args: Any, **kwargs: Any) -> object:
            result = real_parse(*args, **kwargs)
            if isinstance(result, str):
                self.refused += 1
            return result

        monkeypatch.setattr(module, "_parse", counting_parse)
        self._path = path
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)
        self._thread.start()

    async def _run(self) -> None:
        following = Following(self._path)
        self.events = following.events
        await asyncio.to_thread(self._stop.wait)
        await following.close()

    def snapshots(self) -> list[int]:
        return [event.revision for event in self.events if isinstance(event, Snapshot)]

    def wait_for_snapshot(self, revision: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while revision not in self.snapshots():
            assert time.monotonic() < deadline, f"never saw {revision}: {self.snapshots()[-5:]}"
            time.sleep(0.02)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def test_a_writer_process_rewriting_in_place_at_50_hz_never_shows_partial_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process rewrites the plan in place ~60 times a second for 10 s, in chunks; torn reads
    happen (the in-process FileSource counts them) and must be retried silently: every frame
    shows a whole revision, revisions never go back, every frame counts all the tasks, no
    problem badge ever shows, and the screen ends on the last revision written."""
    plan = tmp_path / "plan.json"
    base = tmp_path / "base.json"
    document = plan_document(0)
    plan.write_bytes(encode(document))
    base.write_bytes(encode(document))
    with dashboard(plan) as terminal:
        open_overview(terminal, 0)
        watcher = Watcher(terminal)
        observer = Observer(plan, monkeypatch)
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(plan), str(base), "10", "60"],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            while writer.poll() is None:
                terminal.pump(0.05)
            output, _ = writer.communicate(timeout=5)
            assert writer.returncode == 0
            last = int(output.strip())
            terminal.until(showing(last), timeout=20)
            observer.wait_for_snapshot(last)
        finally:
            if writer.poll() is None:
                writer.kill()
            observer.stop()
        assert last >= 500, f"the writer managed only {last} writes in 10 s (< 50 Hz)"
        assert watcher.faults == [], watcher.faults[0]
        assert watcher.revisions[-1] == last
        assert len(watcher.revisions) >= 20, "the screen barely followed the writer"
        assert {total for _, total in watcher.done} == {TASKS}
        assert len(watcher.done) == 1, watcher.done  # the same plan apart from its title
        # The app's own logic, in this process: torn files were read and silently refused.
        assert observer.refused > 0, "no torn read happened: the test did not test torn writes"
        assert [e for e in observer.events if isinstance(e, SourceProblem)] == []
        seen = observer.snapshots()
        assert seen == sorted(set(seen))
        assert seen[-1] == last


# --- bursts of atomic replaces ---------------------------------------------------------------

BURSTS = (100, 100, 100)


def test_bursts_of_100_atomic_replaces_end_on_the_last_revision(tmp_path: Path) -> None:
    """Three bursts of 100 atomic replaces (temp file + os.replace), back to back.

    "100 atomic replaces: every final revision is shown" is read as: after each burst, the
    screen ends on that burst's last revision, by itself and within a bounded wait. Revisions
    in the middle of a burst may be skipped (a screen cannot show 100 frames in a blink, nor
    should it), but no frame shows anything but a whole revision, none goes back, and no
    problem badge shows.
    """
    plan = tmp_path / "plan.json"
    document = plan_document(0)
    plan.write_bytes(encode(document))
    with dashboard(plan) as terminal:
        open_overview(terminal, 0)
        watcher = Watcher(terminal)
        revision = 0
        for size in BURSTS:
            for _ in range(size):
                revision += 1
                write_atomic(plan, with_revision(document, revision))
            terminal.until(showing(revision), timeout=15)
            assert "● LIVE" in terminal.text()
        assert watcher.faults == [], watcher.faults[0]
        assert watcher.revisions[-1] == sum(BURSTS)


@pytest.mark.parametrize("poll", [None, 0.05], ids=["watch", "poll"])
async def test_file_source_ends_each_burst_of_atomic_replaces_on_its_last_revision(
    tmp_path: Path, poll: float | None
) -> None:
    """The same bursts straight into FileSource: after each burst of 100 atomic replaces, the
    last snapshot is that burst's last revision; snapshots only go forward, without a problem.

    (Every revision's snapshot is not promised: replaces faster than a read are coalesced,
    and the last one always wins.)
    """
    plan = tmp_path / "plan.json"
    document = plan_document(0)
    plan.write_bytes(encode(document))
    following = Following(plan, poll)
    try:
        await following.until(following.last_snapshot_is(0))
        revision = 0
        for size in BURSTS:
            for _ in range(size):
                revision += 1
                write_atomic(plan, with_revision(document, revision))
            await following.until(following.last_snapshot_is(revision))
    finally:
        await following.close()
    snapshots = following.snapshots()
    assert snapshots == sorted(set(snapshots))
    assert following.problems() == []


# --- the file goes away, or cannot be read, and comes back --------------------------------------


def test_deletion_and_recreation_keep_the_plan_and_return_to_live(tmp_path: Path) -> None:
    """Deleted: SOURCE MISSING with "last good", the plan stays. Recreated with the same
    content: LIVE again by itself. Deleted and recreated with a new revision: LIVE, showing it."""
    plan = tmp_path / "plan.json"
    document = plan_document(1)
    plan.write_bytes(encode(document))
    with dashboard(plan) as terminal:
        open_overview(terminal, 1)
        for revision in (1, 2):
            plan.unlink()
            terminal.until(lambda screen: "SOURCE MISSING" in screen, timeout=10)
            screen = terminal.text()
            assert "last good" in screen
            assert shown_revision(screen) == 1
            assert DONE.search(screen) is not None, screen  # the plan is still on screen
            write_atomic(plan, with_revision(document, revision))
            terminal.until(showing(revision, live=True), timeout=10)
            assert "SOURCE MISSING" not in terminal.text()


PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def without_permission_override() -> None:
    """In the child, as root: give up the two capabilities that let root ignore file permissions
    (dropped from the bounding set, so the program exec'd next never has them)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def permissions_bind(folder: Path) -> Callable[[], None] | None:
    """What to run in the dashboard's child so that chmod 000 stops it reading: nothing for a
    normal user; as root, `without_permission_override` (the test skips if that fails here)."""
    if os.geteuid() != 0:
        return None
    probe = folder / "probe"
    probe.write_bytes(b"{}")
    probe.chmod(0)
    try:
        denied = subprocess.run(
            ["cat", str(probe)],
            preexec_fn=without_permission_override,
            capture_output=True,
            check=False,
        ).returncode
    except (OSError, subprocess.SubprocessError):
        denied = 0
    finally:
        probe.unlink()
    if not denied:
        pytest.skip("running as root, and root's permission override cannot be dropped here")
    return without_permission_override


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX file permissions")
@pytest.mark.parametrize(
    ("extra", "touches"),
    [
        pytest.param((), (False, True), id="watch"),
        pytest.param(("--poll", "0.2"), (False, True), id="poll"),
    ],
)
def test_losing_and_regaining_read_permission(
    tmp_path: Path, extra: tuple[str, ...], touches: tuple[bool, ...]
) -> None:
    """chmod 000: UNREADABLE with "last good", the plan stays; chmod 644: LIVE by itself.

    Root ignores permissions, so as root the dashboard runs without the capabilities that let
    it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH): still root, the file's owner, bound by its mode.
    A bare chmod changes nothing but the mode (same content, same mtime), so the change event
    for the mode must be enough; with a touch the mtime moves too.
    """
    plan = tmp_path / "plan.json"
    plan.write_bytes(encode(plan_document(1)))
    plan.chmod(0o644)
    preexec = permissions_bind(tmp_path)
    with dashboard(plan, *extra, preexec=preexec) as terminal:
        open_overview(terminal, 1)
        for touch in touches:
            plan.chmod(0)
            if touch:
                os.utime(plan)
            terminal.until(lambda screen: "UNREADABLE" in screen, timeout=5)
            screen = terminal.text()
            assert "last good" in screen
            assert shown_revision(screen) == 1
            assert DONE.search(screen) is not None, screen
            plan.chmod(0o644)
            terminal.until(lambda screen: "● LIVE" in screen, timeout=10)
            assert shown_revision(terminal.text()) == 1


async def test_polling_notices_a_file_that_only_lost_its_read_permission(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--poll` and a bare chmod 000 (mode changed, content and mtime not): UNREADABLE should
    follow within a few polls. In-process, with opening the file denied as chmod 000 would deny
    it to anyone but root (so it runs as root too); a real chmod keeps the test honest about
    what changes on disk."""
    plan = tmp_path / "plan.json"
    plan.write_bytes(encode(plan_document(1)))
    following = Following(plan, poll=0.05)
    try:
        await following.until(lambda: following.snapshots() == [1], within=5)
        plan.chmod(0)
        real_open = os.open

        def as_chmod_000_denies(path: object, *args: Any, **kwargs: Any) -> int:
            if Path(str(path)) == plan:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "open", as_chmod_000_denies)
        await following.until(lambda: bool(following.problems()), within=1.5)  # thirty polls
    finally:
        plan.chmod(0o644)
        await following.close()
    assert following.problems()[0].kind == "unreadable"


def _table_ids(screen: str) -> list[str]:
    """The task ids in the Tasks screen's rows, top to bottom, as the terminal shows them."""
    return re.findall(r"^ [◆ ] +(T\d+) ", screen, flags=re.MULTILINE)


def test_rows_added_and_removed_in_view_are_drawn_where_they_belong(tmp_path: Path) -> None:
    """The table repaints only from the first row that moved: what the terminal shows after
    tasks come and go must be exactly the plan's order, every row in its place."""
    document = plan_document(1)
    path = tmp_path / "plan.json"
    write_atomic(path, encode(document))
    with dashboard(path) as terminal:
        open_overview(terminal, 1)
        terminal.send("2")
        terminal.until(lambda screen: "sorted by plan order" in screen, timeout=30)
        tasks = document["tasks"]

        def spare(start: int, step: int = 1) -> int:
            """The position of the first task from `start` that nothing refers to."""
            named = {ref for task in tasks for ref in task.get("depends_on", [])}
            for item in document.get("blockers", []) + document.get("checkpoints", []):
                named |= set(item.get("tasks", []) + item.get("contingency", []))
            position = start
            while tasks[position]["id"] in named:
                position += step
            return position

        for revision, edit in enumerate(
            (
                lambda: tasks.pop(spare(3)),  # a row in view goes: the rows under it move up
                lambda: tasks.insert(5, {**tasks[5], "id": "T9001", "depends_on": []}),
                lambda: tasks.pop(spare(len(tasks) - 1, -1)),  # far below: nothing in view moves
                lambda: tasks.insert(0, {**tasks[9], "id": "T9002", "depends_on": []}),
            ),
            start=2,
        ):
            edit()
            expected = [task["id"] for task in tasks]
            write_atomic(path, with_revision(document, revision))

            def drawn_in_order(screen: str, expected: list[str] = expected) -> bool:
                ids = _table_ids(screen)
                return len(ids) > 20 and ids == expected[: len(ids)]

            terminal.until(drawn_in_order, timeout=30)
            terminal.wait_quiet(0.5)
            ids = _table_ids(terminal.text())
            assert ids == expected[: len(ids)], f"revision {revision}: {ids}"
