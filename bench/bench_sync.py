"""Live sync benchmarks: a plan changes; how soon, and at what cost, does the screen show it?

    python bench/bench_sync.py [--tasks 1000 10000] [--repeat 30] [--idle 30] [--only NAME ...]

The installed `cutover-tui` follows a generated JSON plan (`bench/make_plan.py`, seed 1) in a
real pseudo-terminal (160x48, TERM=xterm-256color, the screen read with `pyte`), with a fixed
`--now` so the clock never repaints anything. Reported, for each plan size:

- **change → screen** (watch mode): the plan title (in the header, on the Overview) and,
  separately, one task's status (on the Tasks screen, key `2`) change by atomic replace; the time
  from the replace to the read of the terminal output that completes the frame showing it. The
  terminal offers synchronized output, so Textual marks frame ends and only whole frames count.
  Median and p90 of `--repeat` changes, each made once the screen has been quiet a random
  0.3-0.6 s (so changes do not lock step with the app's one-second timer).
- the same through `FileSource` alone, in this process (change event, read, parse and
  validate, no screen): the part of the time the source itself takes.
- **polling**: `--poll 1`, title changes at random moments; p90 (target: interval + 100 ms).
- **bytes** written to the terminal for one task's status changing, on the Tasks screen and on
  the Overview, from the replace until the output has been quiet 0.5 s (target: ≤ 1 KB). This
  terminal does not offer synchronized output (as `bench_tui.py`), so no frame markers count.
- **idle CPU** of following an unchanging file for `--idle` seconds, watch mode and `--poll 1`
  (target ≤ 1 % of one core): user + system time of the process tree, from /proc/PID/stat.

HTTP sources: `http_figures(url, publish, ...)` runs change → screen and idle CPU against any
SOURCE URL (`publish` puts a new document where the server serves it). Unless `--only` leaves
it out, and as long as `HttpSource` is implemented (`http_implemented()`), a small Starlette
server in this process (`PlanServer`: `/plan.json` with an ETag, `/events` as server-sent events,
per DESIGN.md "HTTP protocol") is measured: SSE change → screen, `HttpSource` alone, idle CPU
on an idle event stream, and, without the stream, polling every 2 s answered by 304s (idle CPU,
change → screen).

Figures, not pass/fail tests.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from make_plan import make_plan, render
from terminal import Terminal

EXECUTABLE = str(Path(sys.executable).with_name("cutover-tui"))
NOW = "2026-12-04T15:00:00Z"
QUIET = 0.5
"""Seconds without output that count as "the screen has settled"."""

Publish = Callable[[bytes], float]
"""Put a new plan document where the source reads it; returns `time.monotonic()` at the moment
it became visible there (after an atomic replace; when a server starts serving it)."""


# --- plans and their changes --------------------------------------------------------------------


class BenchPlan:
    """A generated plan and its changes, each rendered off the clock before it is published."""

    def __init__(self, tasks: int) -> None:
        self.tasks = tasks
        self.document = make_plan(tasks, seed=1)
        self.document["plan"]["title"] = self.title(0)
        first = self.document["tasks"][0]
        assert first["status"] == "done", "the first task of a generated plan is done"
        self.task_id: str = first["id"]
        self.changes = 0

    @staticmethod
    def title(number: int) -> str:
        return f"Sync bench {number:05d}"

    def data(self) -> bytes:
        return render(self.document, "json").encode()

    def retitle(self) -> tuple[bytes, str]:
        """The next document with a new title, and the title."""
        self.changes += 1
        title = self.title(self.changes)
        self.document["revision"] += 1
        self.document["plan"]["title"] = title
        return self.data(), title

    def toggle_task(self) -> tuple[bytes, str]:
        """The next document with the first task done <-> failed, and its new status."""
        task = self.document["tasks"][0]
        task["status"] = "failed" if task["status"] == "done" else "done"
        self.document["revision"] += 1
        return self.data(), task["status"]

    def toggle_quiet_task(self) -> tuple[bytes, str]:
        """The next document with a task far in the future not started <-> blocked: only the
        Overview's counts change (no list on it holds the task)."""
        task = self.document["tasks"][self.quiet_position]
        task["status"] = "blocked" if task["status"] == "not-started" else "not-started"
        self.document["revision"] += 1
        return self.data(), task["status"]

    @property
    def quiet_position(self) -> int:
        later = datetime.fromisoformat(NOW) + timedelta(hours=6)
        return next(
            position
            for position, task in enumerate(self.document["tasks"])
            if task["status"] in ("not-started", "blocked")
            and datetime.fromisoformat(task["planned_start"]) > later
        )

    def blocked(self) -> int:
        return sum(task.get("status") == "blocked" for task in self.document["tasks"])

    def shows_blocked(self, count: int) -> Callable[[str], bool]:
        """The Overview's task counts say `count` blocked."""
        return lambda screen: f"■ {count} blocked" in screen

    def failed(self) -> int:
        return sum(task.get("status") == "failed" for task in self.document["tasks"])

    def shows_failed(self, count: int) -> Callable[[str], bool]:
        """The Overview's task counts say `count` failed."""
        return lambda screen: f"✖ {count} failed" in screen

    def shows_title(self, title: str) -> Callable[[str], bool]:
        return lambda screen: title in screen.split("\n", 1)[0]

    def shows_status(self, status: str) -> Callable[[str], bool]:
        mark = f" {self.task_id} "

        def check(screen: str) -> bool:
            row = next((line for line in screen.splitlines() if mark in line), "")
            return status in row

        return check


def file_publisher(path: Path) -> Publish:
    def publish(data: bytes) -> float:
        temp = path.with_name(f".{path.name}.tmp")
        temp.write_bytes(data)
        moment = time.monotonic()
        os.replace(temp, path)
        return moment

    return publish


# --- measurements -------------------------------------------------------------------------------


def open_dashboard(source: str, *extra: str, sync_output: bool = True) -> Terminal:
    terminal = Terminal(
        [EXECUTABLE, source, "--now", NOW, *extra], cols=160, rows=48, sync_output=sync_output
    )
    terminal.wait_for("Clocks", timeout=60)
    terminal.wait_quiet(QUIET)
    return terminal


def open_tasks(terminal: Terminal) -> None:
    terminal.send("2")
    terminal.wait_for("sorted by", timeout=60)
    terminal.wait_quiet(QUIET)


def settle(terminal: Terminal, extra: tuple[float, float] = (0.3, 0.6)) -> None:
    """Quiet screen, then a random pause: no change made in step with a timer."""
    terminal.wait_quiet(QUIET, timeout=30)
    terminal.pump(random.uniform(*extra))


def change_to_screen(
    source: str,
    publish: Publish,
    plan: BenchPlan,
    *,
    screen: str,
    repeat: int,
    extra: Sequence[str] = (),
    pause: tuple[float, float] = (0.3, 0.6),
) -> list[float]:
    """Seconds from `publish` to the frame that shows the change, `repeat` times.

    `screen` is "overview" (the plan title changes) or "tasks" (a task's status changes)."""
    latencies = []
    with open_dashboard(source, *extra) as terminal:
        if screen == "tasks":
            open_tasks(terminal)
        for _ in range(repeat):
            if screen == "tasks":
                data, status = plan.toggle_task()
                shown = plan.shows_status(status)
            else:
                data, title = plan.retitle()
                shown = plan.shows_title(title)
            settle(terminal, pause)
            published = publish(data)
            latencies.append(terminal.until(shown, timeout=60) - published)
    return latencies


def bytes_for_one_task(
    source: str, publish: Publish, plan: BenchPlan, *, screen: str, repeat: int
) -> list[int]:
    """Bytes written to the terminal from one task's status change until quiet, `repeat` times.

    `screen`: "tasks"; "overview" (the first task done <-> failed: the counts change, and the
    task joins or leaves the late tasks that "Now and next" lists first, moving the lines under
    it); "overview, counts only" (a task far ahead not started <-> blocked).
    """
    counts = []
    with open_dashboard(source, sync_output=False) as terminal:
        if screen == "tasks":
            open_tasks(terminal)
        for _ in range(repeat):
            quiet = screen == "overview, counts only"
            data, status = plan.toggle_quiet_task() if quiet else plan.toggle_task()
            settle(terminal)
            before = terminal.bytes_written
            publish(data)
            if screen == "tasks":
                terminal.until(plan.shows_status(status), timeout=60)
            elif quiet:
                terminal.until(plan.shows_blocked(plan.blocked()), timeout=60)
            else:
                terminal.until(plan.shows_failed(plan.failed()), timeout=60)
            terminal.wait_quiet(QUIET, timeout=30)
            counts.append(terminal.bytes_written - before)
    return counts


def idle_cpu(source: str, window: float, *extra: str) -> float:
    """CPU of the process tree, in % of one core, over `window` s with nothing changing."""
    with open_dashboard(source, *extra, sync_output=False) as terminal:
        terminal.wait_quiet(1.0)
        cpu, start = terminal.cpu_seconds(), time.monotonic()
        terminal.pump(window, parse=False)
        return 100 * (terminal.cpu_seconds() - cpu) / (time.monotonic() - start)


def source_alone(
    events: Callable[[], Any], publish: Publish, plan: BenchPlan, repeat: int
) -> list[float]:
    """Seconds from `publish` to the source's snapshot of the change, in this process, no
    screen: `events()` is a source's event stream (`FileSource(...).events()`, ...)."""
    from cutover_tui.sync import Snapshot

    async def run() -> list[float]:
        arrived: asyncio.Queue[tuple[float, int]] = asyncio.Queue()

        async def follow() -> None:
            async for event in events():
                if isinstance(event, Snapshot):
                    arrived.put_nowait((time.monotonic(), event.revision))

        task = asyncio.create_task(follow())
        await asyncio.wait_for(arrived.get(), 60)  # the first read
        latencies = []
        for _ in range(repeat):
            data, _ = plan.retitle()
            await asyncio.sleep(random.uniform(0.1, 0.3))
            published = publish(data)
            while True:
                moment, revision = await asyncio.wait_for(arrived.get(), 60)
                if revision == plan.document["revision"]:
                    break
            latencies.append(moment - published)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return latencies

    return asyncio.run(run())


# --- reporting ----------------------------------------------------------------------------------


def p90(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def ms(values: Sequence[float]) -> str:
    """``median / p90 ms (min-max)``."""
    return (
        f"{statistics.median(values) * 1000:,.0f} / {p90(values) * 1000:,.0f} ms "
        f"({min(values) * 1000:,.0f}-{max(values) * 1000:,.0f})"
    )


def row(*cells: object) -> None:
    print("| " + " | ".join(str(cell) for cell in cells) + " |", flush=True)


def file_figures(tasks: int, folder: Path, args: argparse.Namespace) -> None:
    plan = BenchPlan(tasks)
    path = folder / f"plan-{tasks}.json"
    path.write_bytes(plan.data())
    publish = file_publisher(path)
    source = str(path)
    size = f"{tasks:,} tasks ({path.stat().st_size / 1024:,.0f} KiB)"
    wanted = set(args.only or ["latency", "alone", "poll", "bytes", "idle"])
    if "latency" in wanted:
        title = change_to_screen(source, publish, plan, screen="overview", repeat=args.repeat)
        row(size, "change → screen, watch: title on the Overview", ms(title), "")
        status = change_to_screen(source, publish, plan, screen="tasks", repeat=args.repeat)
        row(size, "change → screen, watch: a task's status on Tasks", ms(status), "")
    if "alone" in wanted:
        from cutover_tui.sync import FileSource

        alone = source_alone(lambda: FileSource(path).events(), publish, plan, args.repeat)
        row(size, "replace → snapshot, `FileSource` alone (no screen)", ms(alone), "")
    if "poll" in wanted:
        polled = change_to_screen(
            source,
            publish,
            plan,
            screen="overview",
            repeat=args.repeat,
            extra=("--poll", "1"),
            pause=(0.0, 1.0),
        )
        row(size, "change → screen, `--poll 1`: title", ms(polled), "p90 ≤ 1,100 ms")
    if "bytes" in wanted:
        for screen in ("tasks", "overview", "overview, counts only"):
            counts = bytes_for_one_task(source, publish, plan, screen=screen, repeat=5)
            row(
                size,
                f"bytes to the terminal, one task's status, {screen.capitalize()}",
                f"{statistics.median(counts):,.0f} B ({min(counts):,}-{max(counts):,})",
                "≤ 1,024 B",
            )
    if "idle" in wanted:
        row(
            size,
            f"idle CPU, watch, {args.idle:.0f} s",
            f"{idle_cpu(source, args.idle):.2f} %",
            "≤ 1 %",
        )
        polled_cpu = idle_cpu(source, args.idle, "--poll", "1")
        row(size, f"idle CPU, `--poll 1`, {args.idle:.0f} s", f"{polled_cpu:.2f} %", "≤ 1 %")


# --- HTTP ---------------------------------------------------------------------------------------


def http_implemented() -> bool:
    """True once `HttpSource.events` does more than raise NotImplementedError."""
    import inspect

    from cutover_tui.sync import http_source

    text = inspect.getsource(http_source.HttpSource)
    return "raise NotImplementedError" not in text


def http_figures(
    url: str, publish: Publish, plan: BenchPlan, args: argparse.Namespace, label: str
) -> None:
    """The HTTP measurements against any SOURCE URL: change → screen (with the server's event
    stream if it offers one), and idle CPU while the plan does not change (polling answered by
    304s, or an idle event stream)."""
    latencies = change_to_screen(url, publish, plan, screen="overview", repeat=args.repeat)
    row(label, "change → screen: title on the Overview", ms(latencies), "")
    row(label, f"idle CPU, {args.idle:.0f} s", f"{idle_cpu(url, args.idle):.2f} %", "≤ 1 %")


def _one_line(document: bytes) -> str:
    return json.dumps(json.loads(document), ensure_ascii=False, separators=(",", ":"))


@dataclass
class PlanServer:
    """The plan over HTTP per DESIGN.md, in a thread of this process: `GET /plan.json` with
    `ETag: "<revision>"` (304 on a match) and, with `events`, `Link: </events>; rel="events"`
    and `GET /events` (one `plan` event per change, keep-alive comments; the current document
    first unless `Last-Event-ID` names its revision)."""

    document: bytes
    events: bool = True
    port: int = 0

    def __post_init__(self) -> None:
        import socket
        import threading

        import uvicorn
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import Response, StreamingResponse
        from starlette.routing import Route

        self.revision = json.loads(self.document)["revision"]
        self.line = _one_line(self.document)
        self.requests = {"200": 0, "304": 0, "events": 0}
        self._changed = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None

        def headers() -> dict[str, str]:
            found = {"ETag": f'"{self.revision}"', "Cache-Control": "no-cache"}
            if self.events:
                found["Link"] = '</events>; rel="events"'
            return found

        async def plan(request: Request) -> Response:
            if request.headers.get("if-none-match") == f'"{self.revision}"':
                self.requests["304"] += 1
                return Response(status_code=304, headers=headers())
            self.requests["200"] += 1
            return Response(self.document, media_type="application/json", headers=headers())

        async def stream(request: Request) -> StreamingResponse:
            self.requests["events"] += 1
            wake = self._wake
            assert wake is not None
            last = request.headers.get("last-event-id")

            async def lines() -> Any:
                sent = self.revision if last == str(self.revision) else None
                while True:
                    if sent != self.revision:
                        sent = self.revision
                        yield f"id: {sent}\nevent: plan\ndata: {self.line}\n\n"
                    wake.clear()
                    try:
                        await asyncio.wait_for(wake.wait(), 15)
                    except TimeoutError:
                        yield ": keep-alive\n\n"

            return StreamingResponse(lines(), media_type="text/event-stream")

        app = Starlette(routes=[Route("/plan.json", plan), Route("/events", stream)])
        sock = socket.socket()
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)

        async def serve() -> None:
            self._loop = asyncio.get_running_loop()
            self._wake = asyncio.Event()
            await self._server.serve(sockets=[sock])

        self._thread = threading.Thread(target=lambda: asyncio.run(serve()), daemon=True)
        self._thread.start()
        while not self._server.started:
            time.sleep(0.01)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/plan.json"

    def publish(self, data: bytes) -> float:
        revision, line = json.loads(data)["revision"], _one_line(data)  # off the clock
        assert self._loop is not None
        assert self._wake is not None
        wake = self._wake

        def swap() -> None:
            self.document, self.revision, self.line = data, revision, line
            wake.set()

        moment = time.monotonic()
        self._loop.call_soon_threadsafe(swap)
        return moment

    def close(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)


def http_server_figures(tasks: int, args: argparse.Namespace) -> None:
    plan = BenchPlan(tasks)
    size = f"{tasks:,} tasks, HTTP"
    sse = PlanServer(plan.data(), events=True)
    try:
        http_figures(sse.url, sse.publish, plan, args, f"{size} + SSE")
        from cutover_tui.sync.http_settings import HttpSettings
        from cutover_tui.sync.http_source import HttpSource

        alone = source_alone(
            lambda: HttpSource(sse.url, HttpSettings()).events(), sse.publish, plan, args.repeat
        )
        row(f"{size} + SSE", "change → snapshot, `HttpSource` alone (no screen)", ms(alone), "")
        streams = sse.requests["events"]
        row(
            size,
            f"(SSE run: {streams} event-stream subscriptions, {sse.requests['200']} GETs)",
            "",
            "",
        )
    finally:
        sse.close()
    polled = PlanServer(plan.data(), events=False)
    try:
        cpu = idle_cpu(polled.url, args.idle)  # the default interval: 2 s
        answers = f"{polled.requests['304']} x 304, {polled.requests['200']} x 200"
        row(
            size,
            f"idle CPU, polling every 2 s ({answers}), {args.idle:.0f} s",
            f"{cpu:.2f} %",
            "≤ 1 %",
        )
        latencies = change_to_screen(
            polled.url, polled.publish, plan, screen="overview", repeat=args.repeat, pause=(0, 2)
        )
        row(size, "change → screen, polling every 2 s: title", ms(latencies), "p90 ≤ 2,100 ms")
    finally:
        polled.close()


# --- main ---------------------------------------------------------------------------------------


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    return (
        f"{os.cpu_count()} x {cpu}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=30, help="changes per latency figure")
    parser.add_argument("--idle", type=float, default=30.0, help="idle window, seconds")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=("latency", "alone", "poll", "bytes", "idle", "http"),
        help="run only these measurements (default: all; http when HttpSource is implemented)",
    )
    args = parser.parse_args(argv)
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')} · {machine()}\n")
    row("plan", "measurement", "median / p90 (min-max), or figure", "target")
    row("---", "---", "---:", "---")
    with tempfile.TemporaryDirectory(prefix="cutover-sync-bench-") as folder:
        for tasks in args.tasks:
            if args.only != ["http"]:
                file_figures(tasks, Path(folder), args)
            if (args.only is None or "http" in args.only) and http_implemented():
                http_server_figures(tasks, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
