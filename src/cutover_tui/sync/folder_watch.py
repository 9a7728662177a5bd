"""Change events for one file, watched through its folder (a save by rename replaces the file,
and a watch on the file itself goes blind after it).

On Linux the kernel's inotify reports a change at once through a descriptor the event loop
waits on, so a dashboard whose plan does not change does nothing at all. Elsewhere watchfiles
does the watching; its loop wakes every `WATCH_STEP_MS` to look for changes, which costs
~0.5 % of a core at the 10 ms step that keeps a change quick to show (50 ms, its default,
would add ~75 ms to every change).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import struct
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

WATCH_STEP_MS = 10
"""watchfiles' wake-up period and quiet wait (where inotify cannot be used)."""

# <sys/inotify.h>
_IN_MODIFY = 0x2
_IN_ATTRIB = 0x4
_IN_CLOSE_WRITE = 0x8
_IN_MOVED_FROM = 0x40
_IN_MOVED_TO = 0x80
_IN_CREATE = 0x100
_IN_DELETE = 0x200
_IN_DELETE_SELF = 0x400
_IN_MOVE_SELF = 0x800
_IN_UNMOUNT = 0x2000
_IN_Q_OVERFLOW = 0x4000
_IN_IGNORED = 0x8000
_IN_ONLYDIR = 0x01000000
_FILE_EVENTS = (
    _IN_MODIFY | _IN_ATTRIB | _IN_CLOSE_WRITE | _IN_MOVED_FROM | _IN_MOVED_TO | _IN_CREATE
) | _IN_DELETE
"""A write, a permission change (read access lost or back), and the name coming or going."""
_FOLDER_GONE = _IN_DELETE_SELF | _IN_MOVE_SELF | _IN_UNMOUNT | _IN_IGNORED
_HEADER = struct.Struct("iIII")  # struct inotify_event: wd, mask, cookie, len; then the name


class _Inotify:
    """The three libc calls inotify needs."""

    def __init__(self, libc: Any) -> None:
        self.init1: Callable[[int], int] = libc.inotify_init1
        self.add_watch: Callable[[int, bytes, int], int] = libc.inotify_add_watch


def _load_inotify() -> _Inotify | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return _Inotify(libc)
    except (OSError, AttributeError):
        return None


_INOTIFY = _load_inotify()


def folder_changes(folder: Path, name: str, *, inotify: bool = True) -> AsyncIterator[None]:
    """Yield whenever the file `name` in `folder` may have changed: written, replaced, created,
    deleted, its permissions changed; other names in the folder (an editor's swap and backup
    files) never wake it. Raises `OSError` if the folder cannot be watched, or no longer can
    (deleted, moved away).

    `inotify=False` uses watchfiles even where inotify is at hand (tests cover both ways).
    """
    if inotify and _INOTIFY is not None:
        return _inotify_changes(_INOTIFY, folder, name)
    return _watchfiles_changes(folder, name)


async def _inotify_changes(calls: _Inotify, folder: Path, name: str) -> AsyncIterator[None]:
    descriptor = calls.init1(os.O_NONBLOCK | os.O_CLOEXEC)
    if descriptor < 0:
        raise _error(f"cannot watch {folder}")
    loop = asyncio.get_running_loop()
    readable = asyncio.Event()
    try:
        if calls.add_watch(descriptor, os.fsencode(folder), _FILE_EVENTS | _IN_ONLYDIR) < 0:
            raise _error(f"cannot watch {folder}")
        loop.add_reader(descriptor, readable.set)
        wanted = os.fsencode(name)
        while True:
            await readable.wait()
            readable.clear()
            try:
                data = os.read(descriptor, 64 * 1024)
            except BlockingIOError:
                continue
            changed, gone = _scan(data, wanted)
            if changed:
                yield
            if gone:
                raise OSError(f"{folder} is no longer there to watch")
    finally:
        with contextlib.suppress(Exception):
            loop.remove_reader(descriptor)
        os.close(descriptor)


def _scan(data: bytes, wanted: bytes) -> tuple[bool, bool]:
    """(whether an event concerns the name `wanted` or events were lost, whether the folder
    went away) for the events in `data`."""
    changed = gone = False
    offset = 0
    while offset + _HEADER.size <= len(data):
        _, mask, _, length = _HEADER.unpack_from(data, offset)
        start = offset + _HEADER.size
        offset = start + length
        if mask & _FOLDER_GONE:
            gone = True
        elif mask & _IN_Q_OVERFLOW or data[start:offset].rstrip(b"\0") == wanted:
            changed = True
    return changed, gone


async def _watchfiles_changes(folder: Path, name: str) -> AsyncIterator[None]:
    from watchfiles import Change, awatch  # imported only where it is used

    def only_the_file(change: Change, changed: str) -> bool:
        return Path(changed).name == name

    async for _ in awatch(
        folder, watch_filter=only_the_file, step=WATCH_STEP_MS, debounce=50, recursive=False
    ):
        yield


def _error(message: str) -> OSError:
    number = ctypes.get_errno()
    return OSError(number, f"{message}: {os.strerror(number)}")
