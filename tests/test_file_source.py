"""FileSource: following a plan file through replaces, in-place and torn writes, and trouble."""

# The tests play the writer: small, deliberate, blocking file operations on the event loop.
# ruff: noqa: ASYNC230, ASYNC240

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from cutover_tui.sync.events import Contact, SourceEvent, SourceProblem, SourceRecovered
from cutover_tui.sync.file_source import FileSource
from cutover_tui.sync.snapshot import Snapshot


def document(revision: int, title: str = "P") -> bytes:
    return json.dumps(
        {
            "schema_version": 1,
            "plan": {"id": "p", "title": title, "final_data_production": "2026-12-04T17:00:00Z"},
            "tasks": [],
            "revision": revision,
        }
    ).encode()


def write_atomic(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)


class Follower:
    """Collects a FileSource's events in a background task."""

    def __init__(self, source: FileSource) -> None:
        self.events: list[SourceEvent] = []
        self._arrived = asyncio.Event()
        self._stream = source.events()
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        async for event in self._stream:
            self.events.append(event)
            self._arrived.set()

    async def wait_for(
        self, predicate: Callable[[SourceEvent], bool], *, start: int = 0
    ) -> SourceEvent:
        """The first event from index `start` matching `predicate`, waiting at most 5 s."""

        async def scan() -> SourceEvent:
            index = start
            while True:
                while index < len(self.events):
                    event = self.events[index]
                    index += 1
                    if predicate(event):
                        return event
                self._arrived.clear()
                await self._arrived.wait()

        return await asyncio.wait_for(scan(), timeout=5)

    async def snapshot(self, revision: int, *, start: int = 0) -> Snapshot:
        event = await self.wait_for(
            lambda e: isinstance(e, Snapshot) and e.revision == revision, start=start
        )
        assert isinstance(event, Snapshot)
        return event

    async def problem(self, kind: str, *, start: int = 0) -> SourceProblem:
        event = await self.wait_for(
            lambda e: isinstance(e, SourceProblem) and e.kind == kind, start=start
        )
        assert isinstance(event, SourceProblem)
        return event

    def snapshots(self) -> list[int]:
        return [e.revision for e in self.events if isinstance(e, Snapshot)]

    def news(self, start: int) -> list[SourceEvent]:
        """Events from index `start`, leaving out `Contact`s."""
        return [e for e in self.events[start:] if not isinstance(e, Contact)]

    def problems(self) -> list[str]:
        return [e.kind for e in self.events if isinstance(e, SourceProblem)]

    async def close(self) -> None:
        self._task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await self._task
        await self._stream.aclose()  # type: ignore[attr-defined]


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    path.write_bytes(document(1))
    return path


@pytest.fixture
async def follow() -> AsyncIterator[Callable[..., Follower]]:
    followers: list[Follower] = []

    def start(path: Path, **options: float) -> Follower:
        follower = Follower(FileSource(path, **options))
        followers.append(follower)
        return follower

    yield start
    for follower in followers:
        await follower.close()


async def test_first_snapshot(plan_file: Path, follow: Callable[..., Follower]) -> None:
    follower = follow(plan_file)
    snapshot = await follower.snapshot(1)
    assert snapshot.source == str(plan_file)
    assert snapshot.plan.header.title == "P"
    assert snapshot.received_at.tzinfo is not None


async def test_atomic_replace_is_seen(plan_file: Path, follow: Callable[..., Follower]) -> None:
    follower = follow(plan_file)
    await follower.snapshot(1)
    write_atomic(plan_file, document(2))
    await follower.snapshot(2)
    write_atomic(plan_file, document(3))
    await follower.snapshot(3)
    assert follower.problems() == []


async def test_in_place_write_is_seen(plan_file: Path, follow: Callable[..., Follower]) -> None:
    follower = follow(plan_file)
    await follower.snapshot(1)
    with open(plan_file, "r+b") as handle:
        handle.truncate(0)
        handle.write(document(2))
    await follower.snapshot(2)


async def test_unchanged_plan_is_not_yielded_again(
    plan_file: Path, follow: Callable[..., Follower]
) -> None:
    follower = follow(plan_file)
    await follower.snapshot(1)
    # Same plan, different bytes (formatting): no new snapshot.
    write_atomic(plan_file, json.dumps(json.loads(document(1)), indent=2).encode())
    await asyncio.sleep(0.3)
    write_atomic(plan_file, document(2))
    await follower.snapshot(2)
    assert follower.snapshots() == [1, 2]


async def test_torn_write_is_not_reported(
    plan_file: Path, follow: Callable[..., Follower], monkeypatch: pytest.MonkeyPatch
) -> None:
    import cutover_tui.sync.file_source as module

    refused: list[str] = []
    real_parse = module._parse

    def recording_parse(data: bytes, path: Path, source: str, previous: object) -> object:
        result = real_parse(data, path, source, previous)  # type: ignore[arg-type]
        if isinstance(result, str):
            refused.append(result)
        return result

    monkeypatch.setattr(module, "_parse", recording_parse)
    follower = follow(plan_file)
    await follower.snapshot(1)
    data = document(2, title="Torn")
    with open(plan_file, "r+b") as handle:
        handle.truncate(0)
        handle.write(data[: len(data) // 2])
        handle.flush()
        await asyncio.sleep(0.1)
        handle.write(data[len(data) // 2 :])
    snapshot = await follower.snapshot(2)
    assert snapshot.plan.header.title == "Torn"
    assert follower.problems() == []
    assert follower.snapshots() == [1, 2]
    assert refused, "the half-written file was never read: the test did not test a torn write"


async def test_lasting_invalid_is_reported_after_delay(
    plan_file: Path, follow: Callable[..., Follower]
) -> None:
    follower = follow(plan_file, invalid_after=0.3)
    await follower.snapshot(1)
    written = asyncio.get_running_loop().time()
    write_atomic(plan_file, b'{"schema_version": 1, "tasks": ')
    problem = await follower.problem("invalid")
    assert asyncio.get_running_loop().time() - written >= 0.3
    assert "not valid JSON" in problem.reason
    assert follower.snapshots() == [1]
    # A valid document again: recovered, then the new snapshot.
    start = len(follower.events)
    write_atomic(plan_file, document(2))
    await follower.snapshot(2, start=start)
    assert isinstance(follower.news(start)[0], SourceRecovered)


async def test_invalid_document_is_reported_with_its_reason(
    plan_file: Path, follow: Callable[..., Follower]
) -> None:
    follower = follow(plan_file, invalid_after=0.2)
    await follower.snapshot(1)
    write_atomic(plan_file, json.dumps({"schema_version": 1, "tasks": []}).encode())
    problem = await follower.problem("invalid")
    assert "plan" in problem.reason
    assert follower.snapshots() == [1]


async def test_deletion_and_recreation(plan_file: Path, follow: Callable[..., Follower]) -> None:
    follower = follow(plan_file)
    await follower.snapshot(1)
    plan_file.unlink()
    problem = await follower.problem("missing")
    assert "no such file" in problem.reason
    start = len(follower.events)
    write_atomic(plan_file, document(2))
    await follower.snapshot(2, start=start)
    assert isinstance(follower.news(start)[0], SourceRecovered)


async def test_missing_at_start_then_created(
    tmp_path: Path, follow: Callable[..., Follower]
) -> None:
    path = tmp_path / "plan.json"
    follower = follow(path)
    await follower.problem("missing")
    path.write_bytes(document(1))
    await follower.snapshot(1)


async def test_replaced_by_folder_and_fifo(
    plan_file: Path, follow: Callable[..., Follower]
) -> None:
    follower = follow(plan_file)
    await follower.snapshot(1)
    plan_file.unlink()
    plan_file.mkdir()
    problem = await follower.problem("not-a-file")
    assert "folder" in problem.reason
    plan_file.rmdir()
    if hasattr(os, "mkfifo"):
        start = len(follower.events)
        os.mkfifo(plan_file)
        problem = await follower.problem("not-a-file", start=start)
        assert "FIFO" in problem.reason
        plan_file.unlink()
    start = len(follower.events)
    write_atomic(plan_file, document(2))
    await follower.snapshot(2, start=start)


async def test_too_large(plan_file: Path, follow: Callable[..., Follower]) -> None:
    from cutover_tui.model.load import MAX_BYTES

    follower = follow(plan_file)
    await follower.snapshot(1)
    with open(plan_file, "r+b") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: cheap
    problem = await follower.problem("too-large")
    assert "MiB" in problem.reason


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() == 0, reason="root reads any file")
async def test_unreadable_then_readable(plan_file: Path, follow: Callable[..., Follower]) -> None:
    follower = follow(plan_file)
    await follower.snapshot(1)
    plan_file.chmod(0)
    try:
        os.utime(plan_file)  # a change event, as chmod alone may not wake the poll
        await follower.problem("unreadable")
    finally:
        plan_file.chmod(0o644)
    start = len(follower.events)
    write_atomic(plan_file, document(2))
    await follower.snapshot(2, start=start)


async def test_swap_file_triggers_nothing(
    plan_file: Path, follow: Callable[..., Follower], monkeypatch: pytest.MonkeyPatch
) -> None:
    import cutover_tui.sync.file_source as module

    reads: list[Path] = []
    real_read = module._read

    def counting_read(path: Path, skip_if: object) -> object:
        reads.append(path)
        return real_read(path, skip_if)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "_read", counting_read)
    follower = follow(plan_file)
    await follower.snapshot(1)
    await asyncio.sleep(0.1)
    before = len(reads)
    for name in (".plan.json.swp", "plan.json~", ".plan.json.tmp.123", "4913"):
        (plan_file.parent / name).write_bytes(b"{garbage")
    await asyncio.sleep(0.5)
    assert len(reads) == before
    assert follower.snapshots() == [1]
    assert follower.problems() == []


async def test_polling_mode_sees_a_change(
    plan_file: Path, follow: Callable[..., Follower], monkeypatch: pytest.MonkeyPatch
) -> None:

    import cutover_tui.sync.file_source as module

    def no_watch(*args: object, **kwargs: object) -> None:
        raise AssertionError("polling mode must not watch")

    monkeypatch.setattr(module, "folder_changes", no_watch)
    follower = follow(plan_file, poll=0.1)
    await follower.snapshot(1)
    write_atomic(plan_file, document(2))
    await follower.snapshot(2)
    with open(plan_file, "r+b") as handle:
        handle.truncate(0)
        handle.write(document(3))
    await follower.snapshot(3)


async def test_falls_back_to_polling_when_folder_cannot_be_watched(
    plan_file: Path, follow: Callable[..., Follower], monkeypatch: pytest.MonkeyPatch
) -> None:
    import cutover_tui.sync.file_source as module

    def broken_watch(*args: object, **kwargs: object) -> None:
        raise OSError("inotify watch limit reached")

    monkeypatch.setattr(module, "folder_changes", broken_watch)
    monkeypatch.setattr(module, "FALLBACK_POLL", 0.1)
    follower = follow(plan_file)
    await follower.snapshot(1)
    write_atomic(plan_file, document(2))
    await follower.snapshot(2)


async def test_revision_going_backwards_is_refused(
    plan_file: Path, follow: Callable[..., Follower]
) -> None:
    plan_file.write_bytes(document(5))
    follower = follow(plan_file)
    await follower.snapshot(5)
    write_atomic(plan_file, document(3, title="Old copy"))
    problem = await follower.problem("revision-backwards")
    assert "from 5 to 3" in problem.reason
    await asyncio.sleep(0.2)
    assert follower.snapshots() == [5]
    start = len(follower.events)
    write_atomic(plan_file, document(6))
    await follower.snapshot(6, start=start)
    assert isinstance(follower.news(start)[0], SourceRecovered)


def test_permission_denied_is_unreadable(plan_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs even as root, where chmod 0 does not stop a read."""
    import cutover_tui.sync.file_source as module

    def denied(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", denied)
    result = module._read(plan_file, None)
    assert result == module._Trouble("unreadable", "permission denied")


async def test_an_unchanged_file_keeps_making_contact(
    plan_file: Path, follow: Callable[..., Follower]
) -> None:
    follower = follow(plan_file, poll=0.1)
    await follower.snapshot(1)
    start = len(follower.events)
    contact = await follower.wait_for(lambda e: isinstance(e, Contact), start=start)
    assert isinstance(contact, Contact)
    assert contact.fresh_for >= 0.2  # two intervals and some grace
    assert follower.snapshots() == [1]


async def test_toml_written_in_place_never_shows_a_shorter_prefix(
    tmp_path: Path, follow: Callable[..., Follower]
) -> None:
    """A prefix of a TOML document can be a valid plan with fewer tasks: a writer still writing
    in place (pauses shorter than the settle time) must never have such a prefix shown."""
    from cutover_tui.model import dump_toml, load_path

    sample = Path(__file__).parent.parent / "sample_plans" / "gp-practice-migration.toml"
    full = load_path(sample)
    data = dump_toml(full).encode()
    path = tmp_path / "plan.toml"
    path.write_bytes(data)
    follower = follow(path)
    first = await follower.wait_for(lambda e: isinstance(e, Snapshot))
    assert isinstance(first, Snapshot)
    # Rewrite the same plan with a new revision, in place, a task table at a time.
    changed = data.replace(f"revision = {full.revision}".encode(), b"revision = 999", 1)
    assert changed != data
    pieces = changed.split(b"\n[[tasks]]")
    assert len(pieces) > 10
    start = len(follower.events)
    with open(path, "r+b") as handle:
        handle.truncate(0)
        for number, piece in enumerate(pieces):
            handle.write((b"\n[[tasks]]" if number else b"") + piece)
            handle.flush()
            await asyncio.sleep(0.005)
    final = await follower.snapshot(999, start=start)
    assert len(final.plan.tasks) == len(full.tasks)
    shown = [e for e in follower.events[start:] if isinstance(e, Snapshot)]
    assert [len(e.plan.tasks) for e in shown] == [len(full.tasks)]
    assert follower.problems() == []


async def test_the_plan_already_shown_is_not_yielded_again(plan_file: Path) -> None:
    """The dashboard reads the plan before it starts; following it must not load it again as
    news (a whole second load at start, competing with the first frame)."""
    from cutover_tui.model import load_path

    shown = load_path(plan_file)
    follower = Follower(FileSource(plan_file, shown=shown))
    try:
        await follower.wait_for(lambda e: isinstance(e, Contact))
        assert follower.snapshots() == []
        write_atomic(plan_file, document(2))
        await follower.snapshot(2)
        assert follower.snapshots() == [2]
    finally:
        await follower.close()


async def test_the_file_read_at_start_is_not_read_again_while_it_keeps_its_signature(
    plan_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the signature taken before the start-up read, following starts without reading
    the file again; a change made since (the signature differs) is read at once."""
    from cutover_tui.model import load_path
    from cutover_tui.sync import file_source

    reads: list[Path] = []
    real_read = file_source._read

    def counting(path: Path, skip_if: Any) -> Any:
        result = real_read(path, skip_if)
        if not isinstance(result, file_source._Same):
            reads.append(path)
        return result

    monkeypatch.setattr(file_source, "_read", counting)
    signature = file_source.file_signature(plan_file)
    shown = load_path(plan_file)
    follower = Follower(FileSource(plan_file, shown=shown, shown_signature=signature))
    try:
        await follower.wait_for(lambda e: isinstance(e, Contact))
        assert reads == []
        assert follower.snapshots() == []
    finally:
        await follower.close()
    # Changed between the start-up read and following: the first check reads it.
    write_atomic(plan_file, document(2))
    follower = Follower(FileSource(plan_file, shown=shown, shown_signature=signature))
    try:
        await follower.snapshot(2)
        assert reads == [plan_file]
    finally:
        await follower.close()
