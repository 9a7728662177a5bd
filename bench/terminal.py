"""Run a program in a real pseudo-terminal and read its screen: for end-to-end tests and benches.

The program gets a pty of a fixed size with TERM=xterm-256color; everything it writes is fed to
a `pyte` screen, so tests read what a person would see. The meter also counts bytes written and
the CPU and memory of the process tree, from /proc.

With ``sync_output=True`` the terminal says it supports synchronized output (mode 2026), so
Textual brackets every frame in begin/end markers: `frames` counts complete frames, `on_frame`
is called after each one (the screen then holds a whole frame, never half of one), and
`until(predicate)` checks the screen at frame ends only. Off by default: the byte counts of
existing benches stay comparable.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pyte

SYNC_QUERY = b"\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"  # "supported, currently reset"
SYNC_START = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"


class Terminal:
    """A program running under a pty, with its screen, byte count and resource use."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cols: int = 160,
        rows: int = 48,
        env: dict[str, str] | None = None,
        cwd: str | Path | None = None,
        sync_output: bool = False,
        preexec: Callable[[], None] | None = None,
    ) -> None:
        """`preexec` runs in the child just before the exec (e.g. to drop privileges)."""
        self.cols, self.rows = cols, rows
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.bytes_written = 0
        self.started = time.monotonic()
        self.sync_output = sync_output
        self.frames = 0
        """Complete frames seen (only counted with `sync_output`)."""
        self.on_frame: Callable[[], None] | None = None
        """Called after each complete frame is on the screen (only with `sync_output`)."""
        self.in_frame = False
        """Inside a begin/end frame pair: the screen may hold half a frame."""
        self._carry = b""
        environment = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLUMNS": str(cols),
            "LINES": str(rows),
        }
        environment.update(env or {})
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the program
            try:
                if cwd is not None:
                    os.chdir(cwd)
                if preexec is not None:
                    preexec()
                os.execvpe(argv[0], list(argv), environment)
            finally:
                os._exit(127)  # never return into the caller's code (a test runner) in the child
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    # --- reading --------------------------------------------------------------------------

    def pump(self, timeout: float, *, parse: bool = True) -> int:
        """Read whatever arrives within `timeout` seconds; returns the number of bytes read."""
        total = 0
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return total
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if not ready:
                return total
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return total
            if not data:
                return total
            total += len(data)
            self.bytes_written += len(data)
            if parse:
                self._answer_queries(data)
                self._feed(data)

    def _feed(self, data: bytes) -> None:
        if not self.sync_output:
            self.stream.feed(data)
            return
        # Feed up to each end-of-frame marker, then tell `on_frame`; hold back a marker's start.
        data = self._carry + data
        while (end := data.find(SYNC_END)) >= 0:
            self.stream.feed(data[: end + len(SYNC_END)])
            data = data[end + len(SYNC_END) :]
            self.frames += 1
            self.in_frame = False
            if self.on_frame is not None:
                self.on_frame()
        keep = next((n for n in range(len(SYNC_END) - 1, 0, -1) if data.endswith(SYNC_END[:n])), 0)
        self.stream.feed(data[: len(data) - keep])
        self._carry = data[len(data) - keep :]
        if SYNC_START in data:
            self.in_frame = True

    def _answer_queries(self, data: bytes) -> None:
        # Textual asks the terminal for its features; a real terminal would answer.
        if b"\x1b[c" in data or b"\x1b[0c" in data:
            os.write(self.fd, b"\x1b[?62;22c")
        if self.sync_output and SYNC_QUERY in data:
            os.write(self.fd, SYNC_REPLY)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, text: str, timeout: float = 15.0) -> float:
        """Seconds since start when `text` is on screen; TimeoutError if it never shows."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.text():
                return time.monotonic() - self.started
            self.pump(0.05)
        raise TimeoutError(f"{text!r} did not appear within {timeout}s; screen:\n{self.text()}")

    def until(self, predicate: Callable[[str], bool], timeout: float = 15.0) -> float:
        """The `time.monotonic()` at which `predicate(screen text)` first held; TimeoutError if
        never. Checked after every read (at frame ends with `sync_output`), so the time is as
        exact as the reads: for latency measurements, unlike `wait_for`."""
        if not self.in_frame and predicate(self.text()):  # half a frame does not count
            return time.monotonic()
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if not ready:
                break
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                break
            if not data:
                break
            arrived = time.monotonic()
            self.bytes_written += len(data)
            self._answer_queries(data)
            self._feed(data)
            if self.in_frame:
                continue  # half a frame on the screen: wait for its end
            if predicate(self.text()):
                return arrived
        raise TimeoutError(
            f"the screen did not change as expected within {timeout}s:\n{self.text()}"
        )

    def wait_quiet(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Read until nothing has arrived for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.pump(quiet) > 0:
            pass

    def send(self, keys: str | bytes) -> None:
        os.write(self.fd, keys.encode() if isinstance(keys, str) else keys)

    # --- resources ------------------------------------------------------------------------

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                children.setdefault(int(fields[1]), []).append(int(entry.name))
        found, pending = [], [self.pid]
        while pending:
            pid = pending.pop()
            found.append(pid)
            pending.extend(children.get(pid, []))
        return found

    def cpu_seconds(self) -> float:
        """User + system CPU of the program's process tree so far."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self._tree():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += sum(int(value) for value in fields[11:15])
        return total / ticks

    def rss_kb(self) -> int:
        """Resident memory of the process tree, in KiB."""
        total = 0
        for pid in self._tree():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                continue
        return total

    # --- stopping -------------------------------------------------------------------------

    def alive(self) -> bool:
        waited, _ = os.waitpid(self.pid, os.WNOHANG)
        return waited == 0

    def stop(self, keys: str = "q") -> None:
        """Ask the program to quit with `keys`, then insist."""
        try:
            if keys:
                self.send(keys)
                deadline = time.monotonic() + 3
                while time.monotonic() < deadline and self.alive():
                    self.pump(0.1, parse=False)
            for sig in (signal.SIGTERM, signal.SIGKILL):
                if not self.alive():
                    break
                os.kill(self.pid, sig)
                time.sleep(0.5)
        except ChildProcessError:
            pass
        finally:
            os.close(self.fd)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *_: object) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                self.stop()
