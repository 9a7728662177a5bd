"""HttpSource and fetch_plan against a real uvicorn server with switchable faults.

Each test starts its own server on 127.0.0.1 at a free port (tests/fault_server.py). Waits are
bounded: on events (`Follower.wait_for`) or on what the server saw (`until`), never fixed sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import random
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from cutover_tui.cli import cli
from cutover_tui.model import Plan, PlanError
from cutover_tui.sync.auth import TOKEN_ENV, TokenError, load_token
from cutover_tui.sync.events import Contact, SourceEvent, SourceProblem, SourceRecovered
from cutover_tui.sync.http_source import (
    BACKOFF_CAP,
    MAX_RETRY_AFTER,
    HttpSettings,
    HttpSource,
    _EventStreamParser,
    _max_age,
    _retry_after,
    display_url,
    fetch_plan,
)
from cutover_tui.sync.snapshot import Snapshot
from fault_server import FaultServer, Running, reserve_port

TIMEOUT = 5.0
"""Longest wait for anything expected (generous: a loaded CI machine)."""
TOKEN = "tkn-9f8e7d6c5b4a-SECRET"


@dataclass
class Served:
    faults: FaultServer
    running: Running

    @property
    def url(self) -> str:
        return f"{self.running.base}/plan.json"


@contextlib.contextmanager
def serve(faults: FaultServer | None = None, sock: object | None = None) -> Iterator[Served]:
    faults = faults or FaultServer()
    running = Running(faults.app(), sock)  # type: ignore[arg-type]
    try:
        yield Served(faults, running)
    finally:
        running.stop()


@pytest.fixture
def server() -> Iterator[Served]:
    with serve() as served:
        yield served


@pytest.fixture
def other_server() -> Iterator[Served]:
    with serve() as served:
        yield served


def settings(**changes: object) -> HttpSettings:
    values: dict[str, object] = {"poll": 0.2, "deadline": 1.0, "heartbeat": 1.0}
    values.update(changes)
    return HttpSettings(**values)  # type: ignore[arg-type]


class Follower:
    """Collects a source's events in a background task."""

    def __init__(self, source: HttpSource) -> None:
        self.events: list[SourceEvent] = []
        self._arrived = asyncio.Event()
        self._stream = source.events()
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        async for event in self._stream:
            self.events.append(event)
            self._arrived.set()

    async def close(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        await self._stream.aclose()  # type: ignore[attr-defined]

    async def wait_for(
        self, predicate: Callable[[SourceEvent], bool], *, start: int = 0, within: float = TIMEOUT
    ) -> tuple[int, SourceEvent]:
        """The index and the first event from `start` on matching `predicate`."""

        async def scan() -> tuple[int, SourceEvent]:
            index = start
            while True:
                while index < len(self.events):
                    event = self.events[index]
                    index += 1
                    if predicate(event):
                        return index - 1, event
                self._arrived.clear()
                if self._task.done():
                    self._task.result()
                    raise AssertionError("the source ended")
                await self._arrived.wait()

        return await asyncio.wait_for(scan(), within)

    async def snapshot(self, revision: int, *, start: int = 0) -> int:
        index, _ = await self.wait_for(
            lambda e: isinstance(e, Snapshot) and e.revision == revision, start=start
        )
        return index

    async def problem(self, kind: str, *, start: int = 0) -> tuple[int, SourceProblem]:
        index, event = await self.wait_for(
            lambda e: isinstance(e, SourceProblem) and e.kind == kind, start=start
        )
        assert isinstance(event, SourceProblem)
        return index, event

    async def recovered(self, *, start: int = 0) -> int:
        index, _ = await self.wait_for(lambda e: isinstance(e, SourceRecovered), start=start)
        return index

    def of(self, kind: type, start: int = 0) -> list[SourceEvent]:
        return [event for event in self.events[start:] if isinstance(event, kind)]


@contextlib.asynccontextmanager
async def following(
    url: str, http: HttpSettings, shown: Plan | None = None
) -> AsyncIterator[Follower]:
    follower = Follower(HttpSource(url, http, shown=shown))
    try:
        yield follower
    finally:
        await follower.close()


async def until(condition: Callable[[], bool], within: float = TIMEOUT) -> None:
    """Wait (bounded) until `condition()` holds, checking every 10 ms."""
    end = time.monotonic() + within
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


async def recovers_with(follower: Follower, served: Served, start: int, revision: int) -> None:
    """Healing the server brings SourceRecovered, then the new revision's Snapshot."""
    served.faults.set_plan(revision)
    served.faults.heal()
    recovered = await follower.recovered(start=start)
    snapshot = await follower.snapshot(revision, start=start)
    assert recovered < snapshot


# --- the happy path ------------------------------------------------------------------------------


async def test_first_answer_is_a_snapshot_then_contact(server: Served) -> None:
    async with following(server.url, settings()) as follower:
        index = await follower.snapshot(1)
        _, contact = await follower.wait_for(lambda e: isinstance(e, Contact), start=index)
        assert isinstance(contact, Contact)
        assert contact.fresh_for == pytest.approx(2 * 0.2 + 1.0)
        snapshot = follower.events[index]
        assert isinstance(snapshot, Snapshot)
        assert snapshot.source == server.url
        assert not follower.of(SourceProblem)


async def test_the_plan_already_shown_is_not_yielded_again(server: Served) -> None:
    shown = await asyncio.to_thread(fetch_plan, server.url, settings())
    async with following(server.url, settings(poll=0.1), shown) as follower:
        await follower.wait_for(lambda e: isinstance(e, Contact))
        assert not follower.of(Snapshot)
        server.faults.set_plan(2)
        await follower.snapshot(2)


async def test_a_new_revision_is_a_new_snapshot(server: Served) -> None:
    async with following(server.url, settings(poll=0.1)) as follower:
        index = await follower.snapshot(1)
        server.faults.set_plan(2)
        await follower.snapshot(2, start=index)


async def test_long_run_of_304s_is_contact_without_new_snapshots(server: Served) -> None:
    async with following(server.url, settings(poll=0.1)) as follower:
        index = await follower.snapshot(1)
        await until(lambda: sum(r.status == 304 for r in server.faults.seen()) >= 5)
        await until(lambda: len(follower.of(Contact, index)) >= 5)
        assert len(follower.of(Snapshot)) == 1
        assert not follower.of(SourceProblem)
        later = server.faults.seen()[1:]
        assert later
        assert all(r.headers.get("if-none-match") == '"1"' for r in later)
        assert all("if-modified-since" in r.headers for r in later)


async def test_max_age_slows_polling_down(server: Served) -> None:
    server.faults.max_age = 1
    async with following(server.url, settings(poll=0.05)) as follower:
        await follower.snapshot(1)
        await until(lambda: len(server.faults.seen()) >= 3)
        times = [r.at for r in server.faults.seen()]
        assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(times))
        _, contact = await follower.wait_for(lambda e: isinstance(e, Contact))
        assert isinstance(contact, Contact)
        assert contact.fresh_for == pytest.approx(2 * 1 + 1.0)


# --- faults, each followed by recovery -----------------------------------------------------------


async def test_connection_refused_is_offline_then_recovers() -> None:
    sock = reserve_port()  # bound, not listening: refused
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/plan.json"
    async with following(url, settings()) as follower:
        _, problem = await follower.problem("offline")
        assert problem.reason == "connection refused"
        with serve(sock=sock) as served:
            await recovers_with(follower, served, 0, 1)


async def test_slow_drip_ends_at_the_deadline_and_keeps_the_last_good(server: Served) -> None:
    async with following(server.url, settings(deadline=0.5)) as follower:
        start = await follower.snapshot(1)
        server.faults.fail("drip")
        start, problem = await follower.problem("offline", start=start)
        assert problem.reason == "no complete answer within 0.5 s"
        dripped = [r for r in server.faults.seen() if r.at < problem.since_monotonic]
        # Ended at the deadline, not after the document's ~120 one-second bytes.
        assert problem.since_monotonic - dripped[-1].at < 0.5 + 0.75
        assert len(follower.of(Snapshot)) == 1
        await recovers_with(follower, server, start, 2)


async def test_huge_body_is_too_large(server: Served) -> None:
    async with following(server.url, settings(max_bytes=64 * 1024)) as follower:
        start = await follower.snapshot(1)
        server.faults.fail("huge")
        start, problem = await follower.problem("too-large", start=start)
        assert problem.reason == "the answer is larger than the 65,536 bytes limit"
        await recovers_with(follower, server, start, 2)


async def test_html_page_with_200_is_invalid(server: Served) -> None:
    async with following(server.url, settings()) as follower:
        start = await follower.snapshot(1)
        server.faults.fail("html")
        start, problem = await follower.problem("invalid", start=start)
        assert "sent a web page (text/html), not a plan document" in problem.reason
        assert problem.reason.startswith(server.url)
        await recovers_with(follower, server, start, 2)


async def test_document_that_fails_validation_is_invalid(server: Served) -> None:
    async with following(server.url, settings()) as follower:
        start = await follower.snapshot(1)
        server.faults.fail("invalid")
        start, problem = await follower.problem("invalid", start=start)
        assert problem.reason.startswith(f"{server.url}: ")
        assert "more problems" in problem.reason or "required" in problem.reason
        await recovers_with(follower, server, start, 2)


async def test_revision_going_backwards_is_reported_not_taken(server: Served) -> None:
    server.faults.set_plan(5)
    async with following(server.url, settings()) as follower:
        start = await follower.snapshot(5)
        server.faults.fail("old")
        start, problem = await follower.problem("revision-backwards", start=start)
        assert "went back from 5 to 4" in problem.reason
        assert all(s.revision == 5 for s in follower.of(Snapshot))  # type: ignore[attr-defined]
        await recovers_with(follower, server, start, 6)


async def test_429_waits_for_retry_after_and_is_not_a_problem(server: Served) -> None:
    async with following(server.url, settings(poll=0.05)) as follower:
        start = await follower.snapshot(1)
        server.faults.fail("status", times=1, status=429, fault_headers={"Retry-After": "1"})
        await until(lambda: any(r.status == 429 for r in server.faults.seen()))
        limited = next(r for r in server.faults.seen() if r.status == 429)
        await until(lambda: server.faults.seen()[-1].at > limited.at)
        following_request = next(r for r in server.faults.seen() if r.at > limited.at)
        assert following_request.at - limited.at >= 1.0
        server.faults.set_plan(2)
        await follower.snapshot(2, start=start)
        assert not follower.of(SourceProblem)


async def test_401_is_auth_failed_without_the_token(server: Served) -> None:
    async with following(server.url, settings(token=TOKEN)) as follower:
        start = await follower.snapshot(1)
        assert server.faults.seen()[0].headers["authorization"] == f"Bearer {TOKEN}"
        server.faults.fail("status", status=401)
        start, problem = await follower.problem("auth-failed", start=start)
        assert problem.reason.startswith("401 Unauthorized")
        assert "CUTOVER_TUI_TOKEN or --token-file" in problem.reason
        assert TOKEN not in problem.reason
        await recovers_with(follower, server, start, 2)


@pytest.mark.parametrize(
    ("status", "kind", "reason"),
    [
        (403, "auth-failed", "403 Forbidden: the token may not read this plan"),
        (404, "missing", "404 Not Found: no plan at this URL"),
        (410, "missing", "410 Gone: no plan at this URL"),
        (503, "offline", "503 Service Unavailable from the server"),
    ],
)
async def test_error_statuses(server: Served, status: int, kind: str, reason: str) -> None:
    async with following(server.url, settings(token=TOKEN)) as follower:
        start = await follower.snapshot(1)
        server.faults.fail("status", status=status)
        start, problem = await follower.problem(kind, start=start)
        assert problem.reason.startswith(reason)
        await recovers_with(follower, server, start, 2)


async def test_problems_are_reported_once_per_change(server: Served) -> None:
    async with following(server.url, settings(poll=0.05)) as follower:
        start = await follower.snapshot(1)
        server.faults.fail("status", status=503)
        await follower.problem("offline", start=start)
        await until(lambda: sum(r.status == 503 for r in server.faults.seen()) >= 3)
        assert len(follower.of(SourceProblem)) == 1


async def test_redirect_to_another_host_does_not_forward_the_token(
    server: Served, other_server: Served
) -> None:
    other_server.faults.set_plan(7)
    server.faults.fail("redirect", redirect_to=other_server.url)
    async with following(server.url, settings(token=TOKEN)) as follower:
        await follower.snapshot(7)
    assert server.faults.seen()[0].headers["authorization"] == f"Bearer {TOKEN}"
    arrived = other_server.faults.seen()
    assert arrived
    assert all("authorization" not in r.headers for r in arrived)
    assert all(TOKEN not in str(r.headers) for r in arrived)


# --- server-sent events --------------------------------------------------------------------------


async def test_a_pushed_change_arrives_quickly(server: Served) -> None:
    server.faults.advertise_events = True
    # A poll interval far longer than the test: only the event stream can bring revision 2.
    async with following(server.url, settings(poll=60, heartbeat=5)) as follower:
        start = await follower.snapshot(1)
        await until(lambda: bool(server.faults.seen("/events")))
        assert server.faults.seen("/events")[0].headers["last-event-id"] == "1"
        assert server.faults.seen("/events")[0].headers["accept"] == "text/event-stream"
        pushed = time.monotonic()
        server.faults.set_plan(2)
        index = await follower.snapshot(2, start=start)
        assert time.monotonic() - pushed < 2.0
        _, contact = await follower.wait_for(lambda e: isinstance(e, Contact), start=index)
        assert isinstance(contact, Contact)
        assert contact.fresh_for == pytest.approx(5 + 1.0)  # the heartbeat's promise, not poll's
        assert len(server.faults.seen()) == 1  # no GET while the stream works
        assert not follower.of(SourceProblem)


async def test_keep_alive_comments_are_contact(server: Served) -> None:
    server.faults.advertise_events = True
    server.faults.keepalive = 0.05
    async with following(server.url, settings(poll=60, heartbeat=5)) as follower:
        await follower.snapshot(1)
        await until(lambda: bool(server.faults.seen("/events")))
        count = len(follower.of(Contact))
        await until(lambda: len(follower.of(Contact)) >= count + 3)
        contact = follower.of(Contact)[-1]
        assert isinstance(contact, Contact)
        assert contact.fresh_for == pytest.approx(5 + 1.0)


async def test_dropped_stream_reconnects_with_last_event_id(server: Served) -> None:
    server.faults.advertise_events = True
    server.faults.events_mode = "drop"  # closes each stream after one event
    async with following(server.url, settings(heartbeat=5)) as follower:
        start = await follower.snapshot(1)
        await until(lambda: bool(server.faults.seen("/events")))
        server.faults.set_plan(2)
        await follower.snapshot(2, start=start)
        await until(
            lambda: any(
                r.headers.get("last-event-id") == "2" for r in server.faults.seen("/events")
            )
        )
        assert not follower.of(SourceProblem)


async def test_silent_stream_falls_back_to_polling(server: Served) -> None:
    server.faults.advertise_events = True
    server.faults.events_mode = "silent"
    async with following(server.url, settings(heartbeat=0.5)) as follower:
        start = await follower.snapshot(1)
        await until(lambda: bool(server.faults.seen("/events")))
        opened = server.faults.seen("/events")[0].at
        await until(lambda: server.faults.seen()[-1].at > opened)
        fallback = next(r for r in server.faults.seen() if r.at > opened)
        assert fallback.at - opened >= 0.5  # the heartbeat ran out first
        server.faults.set_plan(2)
        await follower.snapshot(2, start=start)
        assert not follower.of(SourceProblem)


async def test_no_content_on_the_stream_falls_back_to_polling_and_retries_later(
    server: Served,
) -> None:
    server.faults.advertise_events = True
    server.faults.events_mode = "no-content"
    async with following(server.url, settings(poll=0.1)) as follower:
        start = await follower.snapshot(1)
        server.faults.set_plan(2)
        await follower.snapshot(2, start=start)
        await until(lambda: len(server.faults.seen("/events")) >= 3)
        times = [r.at for r in server.faults.seen("/events")]
        assert all(later - earlier >= 0.1 for earlier, later in itertools.pairwise(times))
        # Polling went on in between.
        assert sum(times[0] < r.at < times[-1] for r in server.faults.seen()) >= 2


async def test_stream_recovers_after_the_server_went_away() -> None:
    sock = reserve_port()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/plan.json"
    faults = FaultServer(advertise_events=True)
    async with following(url, settings(heartbeat=5)) as follower:
        await follower.problem("offline")
        with serve(faults, sock) as served:
            await recovers_with(follower, served, 0, 1)
            await until(lambda: bool(faults.seen("/events")))
            index = len(follower.events)
            faults.set_plan(3)
            await follower.snapshot(3, start=index)


# --- the token stays secret ----------------------------------------------------------------------


async def test_the_token_appears_nowhere(
    server: Served,
    other_server: Served,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    http = settings(token=TOKEN, poll=0.05, deadline=0.5)
    texts = [repr(http), str(http), repr(HttpSource(server.url, http))]
    faults = server.faults
    async with following(server.url, http) as follower:
        start = await follower.snapshot(1)
        for fault, options in [
            ("status", {"status": 401}),
            ("status", {"status": 403}),
            ("html", {}),
            ("invalid", {}),
            ("status", {"status": 500}),
            ("drip", {}),
        ]:
            faults.fail(fault, **options)  # type: ignore[arg-type]
            start, _ = await follower.wait_for(lambda e: isinstance(e, SourceProblem), start=start)
            faults.heal()
            start = await follower.recovered(start=start)
        faults.fail("redirect", redirect_to=other_server.url)  # not a problem: no event
        await until(lambda: bool(other_server.faults.seen()))
        faults.heal()
        texts += [str(event) for event in follower.events]
    # The one-shot fetch, and its exceptions.
    for fault, options in [("status", {"status": 401}), ("drip", {}), ("html", {})]:
        faults.fail(fault, **options)  # type: ignore[arg-type]
        with pytest.raises(PlanError) as raised:
            await asyncio.to_thread(fetch_plan, server.url, http)
        texts += [str(raised.value), repr(raised.value)]
    sock = reserve_port()
    with pytest.raises(PlanError) as raised:
        await asyncio.to_thread(
            fetch_plan, f"http://127.0.0.1:{sock.getsockname()[1]}/plan.json", http
        )
    sock.close()
    texts += [str(raised.value)]
    assert any(r.headers.get("authorization") == f"Bearer {TOKEN}" for r in faults.seen())
    captured = capsys.readouterr()
    texts += [caplog.text, captured.out, captured.err]
    assert caplog.records  # the log was captured, and checked
    for text in texts:
        assert TOKEN not in text


def test_settings_refuse_a_token_that_cannot_be_a_header() -> None:
    with pytest.raises(TokenError) as raised:
        HttpSettings(token="two words\n")
    assert "two words" not in str(raised.value)


# --- fetch_plan ----------------------------------------------------------------------------------


def test_fetch_plan_reads_the_plan(server: Served) -> None:
    server.faults.set_plan(4)
    assert fetch_plan(server.url, settings()).revision == 4


def test_fetch_plan_names_the_url_and_the_reason() -> None:
    sock = reserve_port()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/plan.json"
    with pytest.raises(PlanError) as raised:
        fetch_plan(url, settings())
    sock.close()
    assert str(raised.value) == f"{url}: connection refused"


def test_fetch_plan_keeps_to_the_deadline(server: Served) -> None:
    server.faults.fail("drip")
    began = time.monotonic()
    with pytest.raises(PlanError) as raised:
        fetch_plan(server.url, settings(deadline=0.5))
    assert time.monotonic() - began < 0.5 + 0.75
    assert str(raised.value) == f"{server.url}: no complete answer within 0.5 s"


@pytest.mark.parametrize(
    ("fault", "options", "message"),
    [
        ("huge", {}, "the answer is larger than the 65,536 bytes limit"),
        ("html", {}, "the server sent a web page (text/html), not a plan document"),
        ("status", {"status": 401}, "401 Unauthorized: the server wants a token"),
        ("status", {"status": 404}, "404 Not Found"),
        ("status", {"status": 429, "fault_headers": {"Retry-After": "3"}}, "try again in 3 s"),
    ],
)
def test_fetch_plan_refusals(
    server: Served, fault: str, options: dict[str, object], message: str
) -> None:
    server.faults.fail(fault, **options)  # type: ignore[arg-type]
    with pytest.raises(PlanError) as raised:
        fetch_plan(server.url, settings(max_bytes=64 * 1024))
    assert str(raised.value).startswith(f"{server.url}: ")
    assert message in str(raised.value)


def test_fetch_plan_refuses_a_bad_url() -> None:
    with pytest.raises(PlanError) as raised:
        fetch_plan("ftp://example.invalid/plan.json", settings())
    assert "not an http(s) URL" in str(raised.value)


def test_fetch_plan_refuses_an_unusable_ca_file(tmp_path: Path, server: Served) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a certificate")
    with pytest.raises(PlanError) as raised:
        fetch_plan(server.url.replace("http:", "https:"), settings(ca_file=bundle))
    assert f"{bundle}: not a usable CA bundle" in str(raised.value)


# --- the command line ----------------------------------------------------------------------------


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={TOKEN_ENV: None, "CUTOVER_TUI_DEBUG": None})


def test_validate_and_status_read_a_url(server: Served, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate", server.url])
    assert result.exit_code == 0, result.output
    assert f"{server.url}: valid" in result.output
    result = runner.invoke(cli, ["status", "--json", "--now", "2026-12-04T15:00:00Z", server.url])
    assert result.exit_code == 0, result.output


def test_token_file_is_sent_as_bearer(server: Served, runner: CliRunner, tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    token_file.chmod(0o600)
    result = runner.invoke(cli, ["validate", "--token-file", str(token_file), server.url])
    assert result.exit_code == 0, result.output
    assert server.faults.seen()[-1].headers["authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in result.output


def test_environment_token_is_sent_as_bearer(server: Served, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["status", server.url], env={TOKEN_ENV: TOKEN})
    assert result.exit_code == 0, result.output
    assert server.faults.seen()[-1].headers["authorization"] == f"Bearer {TOKEN}"


def test_readable_token_file_exits_2(server: Served, runner: CliRunner, tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN)
    token_file.chmod(0o644)
    for command in ("validate", "status", "dashboard"):
        result = runner.invoke(cli, [command, "--token-file", str(token_file), server.url])
        assert result.exit_code == 2
        assert f"chmod 600 {token_file}" in result.output
        assert TOKEN not in result.output
    assert not server.faults.seen()


def test_refused_401_exits_2_with_the_reason(server: Served, runner: CliRunner) -> None:
    server.faults.fail("status", status=401)
    result = runner.invoke(cli, ["validate", server.url])
    assert result.exit_code == 2
    assert f"{server.url}: 401 Unauthorized" in result.output


# --- load_token ----------------------------------------------------------------------------------


def test_token_file_0600_is_read_and_stripped(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text(f"  {TOKEN}\n")
    path.chmod(0o600)
    assert load_token({}, path) == TOKEN


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620])
def test_token_file_others_can_read_is_refused(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "token"
    path.write_text(TOKEN)
    path.chmod(mode)
    with pytest.raises(TokenError) as raised:
        load_token({}, path)
    message = str(raised.value)
    assert str(path) in message
    assert f"chmod 600 {path}" in message
    assert TOKEN not in message


def test_token_from_the_environment() -> None:
    assert load_token({TOKEN_ENV: f"{TOKEN}\n"}, None) == TOKEN
    assert load_token({}, None) is None
    assert load_token({TOKEN_ENV: "  "}, None) is None


def test_token_file_wins_over_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text("from-the-file")
    path.chmod(0o600)
    assert load_token({TOKEN_ENV: "from-the-environment"}, path) == "from-the-file"


def test_missing_or_empty_token_file_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(TokenError, match="no such token file"):
        load_token({TOKEN_ENV: TOKEN}, missing)
    empty = tmp_path / "empty"
    empty.write_text("\n")
    empty.chmod(0o600)
    with pytest.raises(TokenError, match="empty"):
        load_token({}, empty)
    with pytest.raises(TokenError, match="not a regular file"):
        load_token({}, tmp_path)


def test_token_with_spaces_is_refused_without_showing_it(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text("secret part\nsecond line")
    path.chmod(0o600)
    with pytest.raises(TokenError) as raised:
        load_token({}, path)
    assert "secret" not in str(raised.value)


# --- pieces --------------------------------------------------------------------------------------


def test_event_stream_parser_counts_comments_and_joins_split_lines() -> None:
    parser = _EventStreamParser(limit=1000)
    assert parser.feed(b": keep-alive\n\n") == (2, [])
    lines, events = parser.feed(b"id: 3\r")
    assert (lines, events) == (1, [])
    lines, events = parser.feed(b'\nevent: plan\r\ndata: {"a":\ndata: 1}\n')
    assert (lines, events) == (3, [])
    lines, events = parser.feed(b"\n")
    assert lines == 1
    (event,) = events
    assert (event.event, event.data, event.id) == ("plan", '{"a":\n1}', "3")
    assert parser.last_id == "3"
    _, events = parser.feed(b"data: x\n\n")
    assert events[0].id == "3"  # the last id carries on
    assert events[0].event == "message"


def test_event_stream_parser_refuses_an_oversized_event() -> None:
    from cutover_tui.sync.http_source import _StreamTooLarge

    parser = _EventStreamParser(limit=10)
    with pytest.raises(_StreamTooLarge):
        parser.feed(b"data: 0123456789abcdef\n")


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert _retry_after(httpx.Headers({"Retry-After": "7"})) == 7
    later = datetime.now(UTC) + timedelta(seconds=30)
    seconds = _retry_after(httpx.Headers({"Retry-After": format_datetime(later, usegmt=True)}))
    assert seconds is not None
    assert 28 <= seconds <= 30
    assert _retry_after(httpx.Headers({"Retry-After": "99999999"})) == MAX_RETRY_AFTER
    assert _retry_after(httpx.Headers({"Retry-After": "soon"})) is None
    assert _retry_after(httpx.Headers()) is None


def test_max_age() -> None:
    assert _max_age(httpx.Headers({"Cache-Control": "public, max-age=5"})) == 5
    assert _max_age(httpx.Headers({"Cache-Control": "no-cache"})) is None
    assert _max_age(httpx.Headers({"Cache-Control": "max-age=31536000"})) == 300


def test_backoff_has_full_jitter_between_poll_and_the_cap() -> None:
    source = HttpSource("http://127.0.0.1:1/plan.json", settings(poll=0.5))
    random.seed(4)
    for failures in range(1, 40):
        delays = [source._backoff(failures) for _ in range(50)]
        ceiling = min(BACKOFF_CAP, 0.5 * 2**failures)
        assert all(0.5 <= delay <= ceiling for delay in delays)
    assert max(source._backoff(30) for _ in range(200)) > BACKOFF_CAP / 2


def test_display_url_hides_credentials() -> None:
    assert display_url("https://user:pw@example.com/plan.json") == "https://example.com/plan.json"
    assert display_url("https://example.com/plan.json") == "https://example.com/plan.json"


def test_constructor_refuses_what_is_not_an_http_url() -> None:
    with pytest.raises(ValueError, match="not an http"):
        HttpSource("file:///tmp/plan.json", settings())
