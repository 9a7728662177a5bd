"""Follow a plan file on disk: a stream of good snapshots and of health changes.

The file's folder is watched (`folder_watch`: inotify on Linux, watchfiles elsewhere), filtered
to the file's own name so editor side files (swap, backup, temp) never cause a parse. Where the
folder cannot be watched, or with `poll`, the file is polled instead, comparing (mtime_ns,
ctime_ns, size, inode) and a content hash. A slow safety poll runs even while watching, for
file systems whose change events never arrive (network shares).

Torn and partial writes are normal: a read that does not parse or validate is retried
shortly, the last good snapshot stays current, and "invalid" is reported only if it lasts
`invalid_after` seconds. Nothing here raises for bad input: problems are events.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import stat
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from ..clock import monotonic, wall_now
from ..insight import warm
from ..model import Plan, format_for
from ..model.load import MAX_BYTES
from .events import Contact, ProblemKind, SourceEvent, SourceProblem, SourceRecovered
from .folder_watch import folder_changes
from .parsing import parse_or_reason
from .snapshot import Snapshot

FALLBACK_POLL = 1.0
"""Polling interval when the folder cannot be watched (and while the file is in trouble)."""
SAFETY_POLL = 2.0
"""A cheap stat() while watching, in case change events never arrive."""
RETRY_FIRST = 0.05
RETRY_MAX = 1.0
WATCH_RESTART = 1.0
"""Seconds between attempts to watch a folder that could not be watched."""
READ_GRACE = 1.0
"""Slack on top of two check intervals before the data counts as stale (a slow share)."""
TOML_SETTLE = 0.03
"""A TOML read that parses is kept only if the file is unchanged this long after: a prefix of a
TOML document (a writer still writing in place) can itself be a valid, shorter plan."""


Signature = tuple[int, int, int, int]
"""(mtime_ns, ctime_ns, size, inode): ctime moves on a chmod too, so lost permission is seen."""


@dataclass(frozen=True, slots=True)
class _Trouble:
    kind: ProblemKind
    reason: str


@dataclass(frozen=True, slots=True)
class _Same:
    """The stat signature has not changed since the last read."""


@dataclass(frozen=True, slots=True)
class _Moving:
    """The file changed while it was read: a write in progress."""


@dataclass(frozen=True, slots=True)
class _Read:
    signature: Signature
    data: bytes
    digest: bytes


def _signature(info: os.stat_result) -> Signature:
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)


def _read(path: Path, skip_if: Signature | None) -> _Trouble | _Same | _Moving | _Read:
    """Stat then read the file, refusing what is not a regular file under the cap (blocking)."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return _Trouble("missing", "no such file")
    except PermissionError:
        return _Trouble("unreadable", "permission denied")
    except OSError as error:
        return _Trouble("unreadable", f"cannot be read: {error.strerror or error}")
    trouble = _check_kind(info)
    if trouble is not None:
        return trouble
    if skip_if is not None and _signature(info) == skip_if:
        return _Same()
    try:
        # O_NONBLOCK: should a FIFO replace the file between stat and open, opening must not hang.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return _Trouble("missing", "no such file")
    except IsADirectoryError:
        return _Trouble("not-a-file", "is a folder, not a plan file")
    except PermissionError:
        return _Trouble("unreadable", "permission denied")
    except OSError as error:
        return _Trouble("unreadable", f"cannot be read: {error.strerror or error}")
    try:
        with open(descriptor, "rb", closefd=True) as handle:
            opened = os.fstat(handle.fileno())
            trouble = _check_kind(opened)
            if trouble is not None:
                return trouble
            data = handle.read(MAX_BYTES + 1)
            after = os.fstat(handle.fileno())
    except OSError as error:
        return _Trouble("unreadable", f"cannot be read: {error.strerror or error}")
    if len(data) > MAX_BYTES:
        return _too_large()
    signature = _signature(opened)
    if _signature(after) != signature or len(data) != opened.st_size:
        return _Moving()
    return _Read(signature, data, hashlib.blake2b(data, digest_size=32).digest())


def file_signature(path: Path) -> Signature | None:
    """The file's stat signature (what a write or a replace changes), None if it cannot be had."""
    try:
        return _signature(os.stat(path))
    except OSError:
        return None


def _check_kind(info: os.stat_result) -> _Trouble | None:
    if stat.S_ISDIR(info.st_mode):
        return _Trouble("not-a-file", "is a folder, not a plan file")
    if not stat.S_ISREG(info.st_mode):
        return _Trouble("not-a-file", "is not a regular file (a FIFO, socket or device)")
    if info.st_size > MAX_BYTES:
        return _too_large()
    return None


def _too_large() -> _Trouble:
    return _Trouble("too-large", f"is larger than the {MAX_BYTES // (1024 * 1024)} MiB limit")


def _parse(data: bytes, path: Path, source: str, previous: Plan | None = None) -> Plan | str:
    """The plan in the file's bytes, or why not (blocking: run it in a thread)."""
    return parse_or_reason(data, source, format_for(str(path), data), previous)


class FileSource:
    """Follow a plan file: yields `Snapshot`s and health events until cancelled."""

    def __init__(
        self,
        path: Path,
        *,
        poll: float | None = None,
        settle: float = RETRY_FIRST,
        invalid_after: float = 3.0,
        shown: Plan | None = None,
        shown_signature: Signature | None = None,
    ) -> None:
        """`shown`: the plan already on screen (read at start), so that the first read is
        loaded as an edit of it and, when it is the same plan, not yielded again.
        `shown_signature`: the file's `file_signature`, taken before `shown` was read from it;
        while the file keeps it, the first check does not read it again (at 10,000 tasks a
        read holds a few MB that the process would keep)."""
        if poll is not None and poll <= 0:
            raise ValueError("poll must be greater than zero")
        self.path = Path(path)
        self.source = str(path)
        self.poll = poll
        self.settle = settle
        """First retry delay after a read that did not parse; it doubles up to `RETRY_MAX`."""
        self.invalid_after = invalid_after
        self._wake = asyncio.Event()
        self._watching = False
        # State of the stream.
        self._good: Plan | None = shown
        self._good_digest: bytes | None = None
        self._bad_digest: bytes | None = None
        self._bad_reason: _Trouble | None = None
        self._last_signature: Signature | None = shown_signature if shown is not None else None
        self._reported: SourceProblem | None = None
        self._invalid_since: float | None = None
        self._retry_delay = settle

    async def events(self) -> AsyncIterator[SourceEvent]:
        """Snapshots of each new good state and problem/recovery events, forever."""
        stop = asyncio.Event()
        watcher: asyncio.Task[None] | None = None
        if self.poll is None:
            watcher = asyncio.create_task(self._watch(stop))
            await asyncio.sleep(0)  # let the watch start before the first read
        try:
            full = self._last_signature is None
            while True:
                self._wake.clear()
                for event in await self._check(full):
                    yield event
                try:
                    await asyncio.wait_for(self._wake.wait(), self._timeout())
                    full = True
                except TimeoutError:
                    full = self._invalid_since is not None
        finally:
            stop.set()
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await watcher

    def _timeout(self) -> float:
        """Seconds until the next check without a change event."""
        if self.poll is not None:
            timeout = self.poll
        elif not self._watching:
            timeout = FALLBACK_POLL
        else:
            timeout = SAFETY_POLL
        if self._reported is not None and self._reported.kind != "revision-backwards":
            timeout = min(timeout, FALLBACK_POLL)
        if self._invalid_since is not None:
            timeout = min(timeout, self._retry_delay)
            if self._reported is None or self._reported.kind != "invalid":
                deadline = self._invalid_since + self.invalid_after - monotonic()
                timeout = min(timeout, max(deadline, 0.0))
        return timeout

    async def _watch(self, stop: asyncio.Event) -> None:
        """Wake the reader on each change to the file's name in its folder; retry if unwatchable."""
        while not stop.is_set():
            try:
                changes = folder_changes(self.path.parent, self.path.name)
                self._watching = True
                async for _ in changes:
                    self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:
                pass  # cannot watch (folder gone, no inotify, ...): polling takes over
            self._watching = False
            self._wake.set()
            await asyncio.sleep(WATCH_RESTART)

    async def _check(self, full: bool) -> list[SourceEvent]:
        skip_if = None if full else self._last_signature
        result = await asyncio.to_thread(_read, self.path, skip_if)
        if isinstance(result, _Same):
            return [self._contact()]
        if isinstance(result, _Moving):
            self._last_signature = None
            return self._refused(_Trouble("invalid", f"{self.source}: changed while being read"))
        if isinstance(result, _Trouble):
            self._last_signature = None
            self._end_invalid()
            return self._report(result.kind, result.reason, monotonic())
        self._last_signature = result.signature
        if result.digest == self._good_digest:
            self._end_invalid()
            return [*self._recover(), self._contact()]
        if result.digest == self._bad_digest and self._bad_reason is not None:
            return self._refused(self._bad_reason)
        parsed = await asyncio.to_thread(_parse, result.data, self.path, self.source, self._good)
        if isinstance(parsed, str):
            self._bad_digest, self._bad_reason = result.digest, _Trouble("invalid", parsed)
            return self._refused(self._bad_reason)
        if format_for(self.source, result.data) == "toml":
            await asyncio.sleep(TOML_SETTLE)
            if await asyncio.to_thread(file_signature, self.path) != result.signature:
                self._last_signature = None
                return self._refused(_Trouble("invalid", f"{self.source}: still being written"))
        if self._good is not None and parsed.revision < self._good.revision:
            reason = (
                f"{self.source}: revision went back from {self._good.revision} to "
                f"{parsed.revision} (an old copy restored?): not shown"
            )
            self._bad_digest = result.digest
            self._bad_reason = _Trouble("revision-backwards", reason)
            return self._refused(self._bad_reason)
        self._end_invalid()
        events = self._recover()
        self._good_digest = result.digest
        if parsed != self._good:
            # The figures the screens read, worked out here rather than on their event loop
            # (and only for news: an unchanged plan is not shown again).
            await asyncio.to_thread(warm, parsed)
            self._good = parsed
            events.append(Snapshot(parsed, self.source, wall_now(), monotonic()))
        events.append(self._contact())
        return events

    def _contact(self) -> Contact:
        """The file was checked and what is on screen is its current content."""
        interval = self.poll if self.poll is not None else SAFETY_POLL
        if self.poll is None and not self._watching:
            interval = FALLBACK_POLL
        return Contact(monotonic(), 2 * interval + READ_GRACE)

    def _refused(self, trouble: _Trouble) -> list[SourceEvent]:
        """A read that does not parse is retried; a backwards revision is reported at once."""
        if trouble.kind == "revision-backwards":
            self._end_invalid()
            return self._report(trouble.kind, trouble.reason, monotonic())
        now = monotonic()
        if self._invalid_since is None:
            self._invalid_since = now
            self._retry_delay = self.settle
        else:
            self._retry_delay = min(self._retry_delay * 2, RETRY_MAX)
        if now - self._invalid_since >= self.invalid_after:
            return self._report("invalid", trouble.reason, self._invalid_since)
        return []

    def _end_invalid(self) -> None:
        self._invalid_since = None
        self._retry_delay = self.settle

    def _report(self, kind: ProblemKind, reason: str, since: float) -> list[SourceEvent]:
        current = self._reported
        if current is not None and (current.kind, current.reason) == (kind, reason):
            return []
        self._reported = SourceProblem(kind, reason, since)
        return [self._reported]

    def _recover(self) -> list[SourceEvent]:
        if self._reported is None:
            return []
        self._reported = None
        return [SourceRecovered()]
