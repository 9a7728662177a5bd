"""Follow a plan served over HTTP(S): conditional polling, server-sent events when offered.

Two states. **Polling**: one GET at a time (the next is scheduled when the previous ends),
conditional on the last good answer's `ETag` and `Last-Modified`; a 304, or a 200 with an equal
plan, is fresh contact. The interval is `poll`, never shorter than the answer's
`Cache-Control: max-age`; after a failure it backs off exponentially with full jitter (never
below `poll`, at most `BACKOFF_CAP`), and never sooner than a `Retry-After`. **Streaming**: when
the document's answer carries `Link: <…>; rel="events"`, the source subscribes to that event
stream; each `plan` event is a whole document, validated like a GET, and every event or
keep-alive comment is contact. A stream that fails, ends, answers 204 or stays silent for
`heartbeat` seconds sends the source back to polling at once (a GET catches up on what was
missed); it subscribes again, with `Last-Event-ID`, after a later GET still advertises the
stream, backing off after failures.

Every request has an overall deadline (a server dripping a byte a second cannot hold it) and a
cap on the decoded body. Nothing here raises for bad input: problems are events, and the last
good plan is simply never replaced by a bad one. The bearer token goes only to the plan URL's
origin (httpx drops it on a redirect to another origin), and never into a message or a log.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import hashlib
import logging
import random
import re
import ssl
import threading
from collections.abc import AsyncIterator, Callable, Generator
from dataclasses import dataclass
from datetime import UTC
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

import httpx

from .. import __version__
from ..clock import monotonic, wall_now
from ..insight import warm
from ..model import Plan, PlanError, Problem, format_for, load_bytes
from ..model.load import Format
from .events import Contact, ProblemKind, SourceEvent, SourceProblem, SourceRecovered
from .http_settings import HttpSettings
from .parsing import parse_or_reason
from .snapshot import Snapshot

BACKOFF_CAP = 60.0
"""Longest wait between attempts after failures (unless `poll` is longer)."""
MAX_AGE_CAP = 300.0
"""A `Cache-Control: max-age` longer than this is honoured only up to it (a live plan)."""
MAX_RETRY_AFTER = 600.0
"""A `Retry-After` longer than this is honoured only up to it."""
MAX_REDIRECTS = 5

_log = logging.getLogger(__name__)


# --- pieces shared by the async source and the one-shot fetch -----------------------------------


def display_url(url: str) -> str:
    """`url` as messages show it: without any user:password part."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unreadable URL>"
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _check_url(url: str) -> httpx.URL:
    """The URL parsed, or `ValueError` saying why it cannot be followed."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        raise ValueError(f"{display_url(url)}: not a valid URL") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError(f"{display_url(url)}: not an http(s) URL with a host")
    return parsed


_LOOPBACK = ("localhost", "127.0.0.1", "::1")


def _check_transport(url: httpx.URL, settings: HttpSettings) -> None:
    """A bearer token travels only over TLS, or to this machine; else `ValueError` says so."""
    if settings.token and url.scheme == "http" and url.host not in _LOOPBACK:
        raise ValueError(
            f"refusing to send the bearer token unencrypted to {url.host}; use an https URL"
        )


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return (url.scheme, url.host, url.port or default)


class _Bearer(httpx.Auth):
    """`Authorization: Bearer …` on requests to one origin only (never another host)."""

    def __init__(self, token: str, origin: tuple[str, str, int | None]) -> None:
        self._token = token
        self._origin = origin

    def __repr__(self) -> str:
        return "_Bearer(<hidden>)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if _origin(request.url) == self._origin:
            request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


def _verify(settings: HttpSettings) -> ssl.SSLContext | bool:
    """TLS verification, always on: the given CA bundle, or the usual ones (blocking)."""
    if settings.ca_file is None:
        return True
    try:
        return ssl.create_default_context(cafile=str(settings.ca_file))
    except FileNotFoundError:
        raise ValueError(f"{settings.ca_file}: no such CA file") from None
    except (ssl.SSLError, OSError) as error:
        reason = getattr(error, "reason", None) or getattr(error, "strerror", None) or "unusable"
        raise ValueError(
            f"{settings.ca_file}: not a usable CA bundle ({reason}); give PEM certificates"
        ) from None


_ACCEPT = "application/json, application/toml;q=0.9, */*;q=0.1"


def _client_settings(url: httpx.URL, settings: HttpSettings) -> dict[str, Any]:
    """What the source's client and the one-shot fetch's share (blocking: may read the CA)."""
    return {
        "auth": _Bearer(settings.token, _origin(url)) if settings.token else None,
        "verify": _verify(settings),
        "timeout": httpx.Timeout(settings.deadline),
        "follow_redirects": True,
        "max_redirects": MAX_REDIRECTS,
        "headers": {"Accept": _ACCEPT, "User-Agent": f"cutover-tui/{__version__}"},
    }


def _async_client(url: httpx.URL, settings: HttpSettings) -> httpx.AsyncClient:
    """The source's client (blocking: it may read the CA file; build it in a thread)."""
    return httpx.AsyncClient(**_client_settings(url, settings))


def _blocking_client(url: httpx.URL, settings: HttpSettings) -> httpx.Client:
    """The one-shot fetch's client: the same settings as the source's."""
    return httpx.Client(**_client_settings(url, settings))


@dataclass(frozen=True, slots=True)
class _Trouble:
    kind: ProblemKind
    reason: str


@dataclass(frozen=True, slots=True)
class _Answer:
    """What a GET got back: the status, the headers, the final URL and (for a 200) the body."""

    status: int
    headers: httpx.Headers
    url: httpx.URL
    events_url: str | None
    body: bytes | None
    """None when too large or not read (any status but 200 or 203)."""
    downgraded: bool = False
    """An https URL was redirected to plain http."""


@dataclass(frozen=True, slots=True)
class _Document:
    body: bytes
    fmt: Format


@dataclass(frozen=True, slots=True)
class _NotModified:
    pass


@dataclass(frozen=True, slots=True)
class _SlowDown:
    """429: not a problem in itself, but the next request waits."""

    retry_after: float | None


_Verdict = _Document | _NotModified | _SlowDown | _Trouble

_READ_STATUSES = (200, 203)


def _answer(response: httpx.Response, requested: httpx.URL, body: bytes | None) -> _Answer:
    return _Answer(
        response.status_code,
        response.headers,
        response.url,
        _events_link(response),
        body,
        downgraded=requested.scheme == "https" and response.url.scheme == "http",
    )


def _events_link(response: httpx.Response) -> str | None:
    """The event stream a document advertises (`Link: <…>; rel="events"`), on its own origin."""
    try:
        link = response.links.get("events")
        if not link or not link.get("url"):
            return None
        target = response.url.join(link["url"])
    except (httpx.InvalidURL, ValueError, TypeError):
        return None
    if _origin(target) != _origin(response.url):
        return None  # the token is for the plan's origin: another host gets no subscription
    return str(target)


def _too_large(limit: int) -> _Trouble:
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        size = f"{limit // (1024 * 1024)} MiB"
    else:
        size = f"{limit:,} bytes"
    return _Trouble("too-large", f"the answer is larger than the {size} limit")


def _deadline(seconds: float) -> _Trouble:
    return _Trouble("offline", f"no complete answer within {seconds:g} s")


def _phrase(status: int) -> str:
    text = httpx.codes.get_reason_phrase(status)
    return f"{status} {text}" if text else f"HTTP {status}"


def _judge(answer: _Answer, *, has_token: bool, limit: int, source: str) -> _Verdict:
    """What an answer means for the source."""
    status = answer.status
    if answer.downgraded:
        return _Trouble("unreadable", "redirected from https to plain http: refused")
    if status in _READ_STATUSES:
        if answer.body is None:
            return _too_large(limit)
        content_type = answer.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if content_type in ("text/html", "application/xhtml+xml"):
            return _Trouble(
                "invalid",
                f"{source}: the server sent a web page ({content_type}), not a plan document; "
                "check the URL",
            )
        if "json" in content_type:
            fmt: Format = "json"
        elif "toml" in content_type:
            fmt = "toml"
        else:
            fmt = format_for(answer.url.path, answer.body)
        return _Document(answer.body, fmt)
    if status == 304:
        return _NotModified()
    if status == 429:
        return _SlowDown(_retry_after(answer.headers))
    return _status_trouble(status, has_token=has_token)


def _status_trouble(status: int, *, has_token: bool) -> _Trouble:
    phrase = _phrase(status)
    if status == 401:
        if has_token:
            return _Trouble(
                "auth-failed",
                f"{phrase}: the server refused the token; check CUTOVER_TUI_TOKEN or --token-file",
            )
        return _Trouble(
            "auth-failed",
            f"{phrase}: the server wants a token; set CUTOVER_TUI_TOKEN or use --token-file",
        )
    if status == 403:
        if has_token:
            return _Trouble(
                "auth-failed",
                f"{phrase}: the token may not read this plan; "
                "check CUTOVER_TUI_TOKEN or --token-file",
            )
        return _Trouble(
            "auth-failed",
            f"{phrase}: a token may be needed; set CUTOVER_TUI_TOKEN or use --token-file",
        )
    if status == 407:
        return _Trouble("auth-failed", f"{phrase}: the proxy wants credentials")
    if status in (404, 410):
        return _Trouble("missing", f"{phrase}: no plan at this URL")
    if status >= 500:
        return _Trouble("offline", f"{phrase} from the server")
    if status == 204:
        return _Trouble("invalid", f"{phrase}: the server sent no document")
    if 300 <= status < 400:
        return _Trouble("unreadable", f"{phrase}: a redirect that could not be followed")
    return _Trouble("unreadable", f"{phrase}: expected 200 with the plan")


def _describe(error: Exception, deadline: float) -> _Trouble:
    """A request that failed, in a few words (never the request's headers)."""
    if isinstance(error, httpx.TimeoutException):
        return _deadline(deadline)
    if isinstance(error, httpx.TooManyRedirects):
        return _Trouble("unreadable", f"more than {MAX_REDIRECTS} redirects")
    if isinstance(error, httpx.UnsupportedProtocol):
        return _Trouble("unreadable", "redirected to a URL that is not http(s)")
    if isinstance(error, httpx.DecodingError):
        return _Trouble("invalid", "the answer's compression could not be decoded")
    if isinstance(error, httpx.ConnectError):
        return _Trouble("offline", _connect_reason(error))
    if isinstance(error, httpx.RemoteProtocolError):
        return _Trouble("offline", "the server broke off the answer")
    if isinstance(error, httpx.NetworkError | httpx.ProxyError):
        return _Trouble("offline", "the connection broke")
    if isinstance(error, httpx.HTTPError):
        return _Trouble("offline", f"the request failed ({type(error).__name__})")
    return _Trouble("unreadable", f"the answer could not be read ({type(error).__name__})")


def _connect_reason(error: BaseException) -> str:
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, OSError) and cause.__class__.__name__ == "gaierror":
            return "host not found (DNS)"
        if isinstance(cause, ssl.SSLCertVerificationError):
            detail = cause.verify_message or "not trusted"
            return f"TLS certificate not accepted ({detail}); use --ca-file for a private CA"
        if isinstance(cause, ssl.SSLError):
            return "TLS handshake failed"
        cause = cause.__cause__ or cause.__context__
    text = str(error).lower()
    if "refused" in text:
        return "connection refused"
    if "name or service" in text or "nodename" in text or "getaddrinfo" in text:
        return "host not found (DNS)"
    return "cannot connect"


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the server asks us to wait (`Retry-After`: seconds or an HTTP date)."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        seconds = float(int(value[:12]))
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - wall_now()).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


_MAX_AGE = re.compile(r"^max-age\s*=\s*\"?(\d{1,12})\"?$")


def _max_age(headers: httpx.Headers) -> float | None:
    """`Cache-Control: max-age` in seconds (capped), or None."""
    value = headers.get("cache-control", "")
    for directive in value.lower().split(","):
        match = _MAX_AGE.match(directive.strip())
        if match:
            return min(float(match.group(1)), MAX_AGE_CAP)
    return None


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


def _scrub(text: str, token: str | None) -> str:
    return text.replace(token, "[token]") if token else text


def _too_big_by_length(response: httpx.Response, limit: int) -> bool:
    """The declared length already exceeds the cap (and no decoding can shrink it)."""
    if response.headers.get("content-encoding", "identity").lower() not in ("", "identity"):
        return False
    try:
        return int(response.headers.get("content-length", "0")) > limit
    except ValueError:
        return False


# --- the event stream's lines -------------------------------------------------------------------


class _StreamTooLarge(Exception):
    """An event (or a line) on the stream is larger than the cap."""


_EOL = re.compile(rb"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class ServerSentEvent:
    event: str
    data: str
    id: str


class _EventStreamParser:
    """`text/event-stream` lines into events (the WHATWG rules), counting comments too.

    A keep-alive comment is a sign of life for the heartbeat, so every line counts; SSE client
    libraries drop comments, which is why the (small) parsing is done here.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._buffer = bytearray()
        self._skip_lf = False
        self._first = True
        self._event = ""
        self._data: list[str] = []
        self._size = 0
        self.last_id: str | None = None
        self.retry: int | None = None

    def feed(self, chunk: bytes) -> tuple[int, list[ServerSentEvent]]:
        """How many complete lines `chunk` finished, and the events they dispatched."""
        if self._skip_lf and chunk[:1] == b"\n":
            chunk = chunk[1:]
        self._skip_lf = False
        # Only the new bytes are searched for line ends: the buffer before them holds none
        # (a 3 MB `data:` line arriving in small reads must not be rescanned on every read).
        searched = len(self._buffer)
        self._buffer += chunk
        lines = 0
        events: list[ServerSentEvent] = []
        start = 0
        for match in _EOL.finditer(self._buffer, searched):
            if match.group() == b"\r" and match.end() == len(self._buffer):
                self._skip_lf = True  # a CR LF may be split across chunks
            line = bytes(self._buffer[start : match.start()])
            start = match.end()
            lines += 1
            event = self._line(line)
            if event is not None:
                events.append(event)
        del self._buffer[:start]
        if len(self._buffer) > self._limit:
            raise _StreamTooLarge
        return lines, events

    def _line(self, raw: bytes) -> ServerSentEvent | None:
        if self._first:
            self._first = False
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        line = raw.decode("utf-8", errors="replace")
        if not line:
            data, event = self._data, self._event
            self._data, self._event, self._size = [], "", 0
            if not data:
                return None  # no data: nothing to dispatch (the spec)
            return ServerSentEvent(event or "message", "\n".join(data), self.last_id or "")
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._size += len(value) + 1
            if self._size > self._limit:
                raise _StreamTooLarge
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self.last_id = value
        elif name == "retry" and value.isdigit():
            self.retry = int(value[:9])
        return None


# --- the source -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Crash:
    error: BaseException


_Emit = Callable[[SourceEvent], None]
_StreamEnd = Literal["dropped", "failed"]


class HttpSource:
    """Follow a plan URL: yields `Snapshot`s, `Contact`s and health events until cancelled."""

    def __init__(self, url: str, settings: HttpSettings, *, shown: Plan | None = None) -> None:
        """`shown`: the plan already on screen (read at start), so that the first answer is
        loaded as an edit of it and, when it is the same plan, not yielded again."""
        self._parsed = _check_url(url)
        _check_transport(self._parsed, settings)
        self.url = url
        self.settings = settings
        self.name = display_url(url)
        """The URL as messages and snapshots name it (without any user:password)."""
        # Polling.
        self._failures = 0
        self._interval = settings.poll
        self._etag: str | None = None
        self._last_modified: str | None = None
        # Streaming.
        self._events_url: str | None = None
        self._sse_not_before = 0.0
        self._sse_failures = 0
        self._last_event_id: str | None = None
        self._streaming = False
        # What has been shown and reported.
        self._good: Plan | None = shown
        self._good_digest: bytes | None = None
        self._bad_digest: bytes | None = None
        self._bad: _Trouble | None = None
        self._reported: SourceProblem | None = None

    def __repr__(self) -> str:
        return f"HttpSource({self.name!r}, {self.settings!r})"

    async def events(self) -> AsyncIterator[SourceEvent]:
        """Snapshots of each new good plan, contact, and problem/recovery events, forever."""
        # The network runs in its own task: its timeouts must never fire while this generator
        # is suspended in a `yield` (they would cancel whatever the consumer is doing).
        queue: asyncio.Queue[SourceEvent | _Crash] = asyncio.Queue()
        worker = asyncio.create_task(self._work(queue.put_nowait))
        try:
            while True:
                item = await queue.get()
                if isinstance(item, _Crash):
                    raise item.error
                yield item
        finally:
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker

    async def _work(self, put: Callable[[SourceEvent | _Crash], None]) -> None:
        try:
            await self._run(put)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # a bug: let the consumer see it rather than go quiet
            put(_Crash(error))

    async def _run(self, emit: _Emit) -> None:
        client = await self._open(emit)
        async with client:
            next_get = monotonic()
            while True:
                now = monotonic()
                if self._events_url is not None and now >= self._sse_not_before:
                    await self._stream(client, self._events_url, emit)
                    # Back to polling: catch up at once on anything the stream missed.
                    delay = await self._get(client, emit)
                    next_get = monotonic() + delay  # counted from the end: no overlap
                    continue
                wake = next_get
                if self._events_url is not None:
                    wake = min(wake, self._sse_not_before)
                if wake > now:
                    await asyncio.sleep(wake - now)
                    continue
                delay = await self._get(client, emit)
                next_get = monotonic() + delay

    async def _open(self, emit: _Emit) -> httpx.AsyncClient:
        """The client (reading the CA file in a thread); a bad CA file is reported and retried."""
        failures = 0
        while True:
            try:
                return await asyncio.to_thread(_async_client, self._parsed, self.settings)
            except ValueError as error:
                failures += 1
                for event in self._report(_Trouble("unreadable", str(error))):
                    emit(event)
                await asyncio.sleep(self._backoff(failures))

    # --- polling ----------------------------------------------------------------------------

    async def _get(self, client: httpx.AsyncClient, emit: _Emit) -> float:
        """One conditional GET and its events; returns the seconds until the next one."""
        answer = await self._fetch(client)
        if isinstance(answer, _Trouble):
            verdict: _Verdict = answer
            retry_after = None
        else:
            verdict = _judge(
                answer,
                has_token=self.settings.token is not None,
                limit=self.settings.max_bytes,
                source=self.name,
            )
            retry_after = _retry_after(answer.headers)
        _log.debug("%s: GET → %s", self.name, type(verdict).__name__.strip("_"))
        answered = (
            isinstance(answer, _Answer)
            and answer.status in (*_READ_STATUSES, 304)
            and not answer.downgraded
        )
        if answered:
            assert isinstance(answer, _Answer)
            self._failures = 0
            max_age = _max_age(answer.headers)
            self._interval = max(self.settings.poll, max_age or 0.0)
            if answer.events_url is not None or answer.status != 304:
                self._events_url = answer.events_url  # a 304 may leave the Link out
        else:
            self._failures += 1
            self._events_url = None
        if isinstance(verdict, _Document):
            assert isinstance(answer, _Answer)
            events, accepted = await self._accept(verdict.body, verdict.fmt)
            if accepted:
                self._etag = answer.headers.get("etag")
                self._last_modified = answer.headers.get("last-modified")
        elif isinstance(verdict, _NotModified):
            assert isinstance(answer, _Answer)
            events = self._not_modified(answer)
        elif isinstance(verdict, _SlowDown):
            events = []
        else:
            events = self._report(verdict)
        for event in events:
            emit(event)
        delay = self._interval if answered else self._backoff(self._failures)
        if retry_after is not None:
            delay = max(delay, retry_after)
        return delay

    async def _fetch(self, client: httpx.AsyncClient) -> _Answer | _Trouble:
        """One GET within the overall deadline, the body read up to the cap."""
        limit = self.settings.max_bytes
        try:
            async with (
                asyncio.timeout(self.settings.deadline),
                client.stream("GET", self.url, headers=self._conditional()) as response,
            ):
                body = None
                if response.status_code in _READ_STATUSES and not _too_big_by_length(
                    response, limit
                ):
                    body = await _read_capped(response, limit)
                return _answer(response, self._parsed, body)
        except TimeoutError:
            return _deadline(self.settings.deadline)
        except Exception as error:  # httpx's errors, and whatever a hostile answer provokes
            return _describe(error, self.settings.deadline)

    def _conditional(self) -> dict[str, str]:
        if self._good is None:
            return {}
        headers = {}
        if self._etag:
            headers["If-None-Match"] = self._etag
        if self._last_modified:
            headers["If-Modified-Since"] = self._last_modified
        return headers

    def _not_modified(self, answer: _Answer) -> list[SourceEvent]:
        if self._good is None:
            return self._report(_Trouble("invalid", "304 Not Modified, but nothing was cached"))
        self._etag = answer.headers.get("etag", self._etag)
        self._last_modified = answer.headers.get("last-modified", self._last_modified)
        return [*self._recover(), self._contact()]

    def _backoff(self, failures: int) -> float:
        """Exponential backoff with full jitter above the poll interval, capped."""
        poll = self.settings.poll
        ceiling = min(max(BACKOFF_CAP, poll), poll * 2.0 ** min(failures, 32))
        return random.uniform(poll, max(poll, ceiling))

    # --- streaming --------------------------------------------------------------------------

    async def _stream(self, client: httpx.AsyncClient, url: str, emit: _Emit) -> None:
        """Follow the event stream until it fails, ends or goes silent."""
        settings = self.settings
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-store"}
        last_id = self._last_event_id
        if last_id is None and self._good is not None:
            last_id = str(self._good.revision)  # the protocol's event ids are revisions
        if last_id is not None:
            headers["Last-Event-ID"] = last_id
        parser = _EventStreamParser(settings.max_bytes)
        loop = asyncio.get_running_loop()
        started = monotonic()
        heard = False
        end: _StreamEnd = "failed"
        why = "ended"
        timeout = httpx.Timeout(settings.deadline, read=settings.heartbeat + settings.deadline)
        try:
            async with asyncio.timeout(settings.deadline) as timer:
                async with client.stream("GET", url, headers=headers, timeout=timeout) as response:
                    kind = response.headers.get("content-type", "").split(";", 1)[0].strip()
                    if response.status_code != 200 or kind.lower() != "text/event-stream":
                        why = f"answered {_phrase(response.status_code)} ({kind or 'no type'})"
                        return
                    _log.debug("%s: event stream open", self.name)
                    self._streaming = True
                    emit(self._contact())  # an accepted stream is a sign of life already
                    timer.reschedule(loop.time() + settings.heartbeat)
                    async for chunk in response.aiter_bytes():
                        lines, messages = parser.feed(chunk)
                        if not lines:
                            continue
                        heard = True
                        emit(self._contact())
                        for message in messages:
                            if message.id:
                                self._last_event_id = message.id
                            if message.event == "plan":
                                for event in await self._on_plan(message.data):
                                    emit(event)
                        timer.reschedule(loop.time() + settings.heartbeat)
                    end = "dropped" if heard else "failed"
        except TimeoutError:
            why = "silent" if heard else "no answer in time"
            end = "failed"
        except _StreamTooLarge:
            why = "an event larger than the cap"
        except Exception as error:
            why = _describe(error, settings.deadline).reason
            end = "dropped" if heard else "failed"
        finally:
            self._streaming = False
            if parser.last_id is not None:
                self._last_event_id = parser.last_id
            self._stream_ended(end, started, parser.retry)
            _log.debug("%s: event stream closed (%s)", self.name, why)

    def _stream_ended(self, end: _StreamEnd, started: float, retry_ms: int | None) -> None:
        now = monotonic()
        if end == "dropped":
            # A stream that worked and then ended: subscribe again soon (at most once a poll).
            self._sse_failures = 0
            self._sse_not_before = max(started + self.settings.poll, now)
        else:
            self._sse_failures += 1
            self._sse_not_before = now + self._backoff(self._sse_failures)
        if retry_ms is not None:
            wait = min(retry_ms / 1000, BACKOFF_CAP)
            self._sse_not_before = max(self._sse_not_before, now + wait)

    async def _on_plan(self, data: str) -> list[SourceEvent]:
        events, _ = await self._accept(data.encode("utf-8"), "json")
        return events

    # --- documents and health ---------------------------------------------------------------

    async def _accept(self, data: bytes, fmt: Format) -> tuple[list[SourceEvent], bool]:
        """Events for a whole document, and whether it is (equal to) the plan on screen."""
        digest = await asyncio.to_thread(_digest, data)
        if digest == self._good_digest:
            return [*self._recover(), self._contact()], True
        if digest == self._bad_digest and self._bad is not None:
            return self._report(self._bad), False
        parsed = await asyncio.to_thread(parse_or_reason, data, self.name, fmt, self._good)
        if isinstance(parsed, str):
            self._bad_digest, self._bad = digest, _Trouble("invalid", parsed)
            return self._report(self._bad), False
        if self._good is not None and parsed.revision < self._good.revision:
            reason = (
                f"{self.name}: revision went back from {self._good.revision} to "
                f"{parsed.revision} (an old copy served?): not shown"
            )
            self._bad_digest, self._bad = digest, _Trouble("revision-backwards", reason)
            return self._report(self._bad), False
        events = self._recover()
        self._good_digest = digest
        if parsed != self._good:
            # The figures the screens read, worked out here rather than on their event loop
            # (and only for news: an unchanged plan is not shown again).
            await asyncio.to_thread(warm, parsed)
            self._good = parsed
            events.append(Snapshot(parsed, self.name, wall_now(), monotonic()))
        events.append(self._contact())
        return events, True

    def _contact(self) -> Contact:
        """Fresh contact: stale after two missed polls and a deadline, or, while streaming,
        after a heartbeat's silence and the deadline of the GET that falls back."""
        if self._streaming:
            return Contact(monotonic(), self.settings.heartbeat + self.settings.deadline)
        return Contact(monotonic(), 2 * self._interval + self.settings.deadline)

    def _report(self, trouble: _Trouble) -> list[SourceEvent]:
        reason = _scrub(trouble.reason, self.settings.token)
        current = self._reported
        if current is not None and (current.kind, current.reason) == (trouble.kind, reason):
            return []
        since = current.since_monotonic if current is not None else monotonic()
        self._reported = SourceProblem(trouble.kind, reason, since)
        _log.debug("%s: problem %s", self.name, trouble.kind)
        return [self._reported]

    def _recover(self) -> list[SourceEvent]:
        if self._reported is None:
            return []
        self._reported = None
        return [SourceRecovered()]


async def _read_capped(response: httpx.Response, limit: int) -> bytes | None:
    """The decoded body, or None as soon as it passes `limit` bytes."""
    buffer = bytearray()
    async for chunk in response.aiter_bytes():
        buffer += chunk
        if len(buffer) > limit:
            return None
    return bytes(buffer)


# --- one-shot fetch for the command line ----------------------------------------------------------


def fetch_plan(url: str, settings: HttpSettings) -> Plan:
    """The plan at `url`, fetched once with the same checks, deadline and cap (blocking).

    Raises `PlanError` naming the URL and the reason (e.g. "connection refused").
    """
    name = display_url(url)
    try:
        parsed = _check_url(url)
        _check_transport(parsed, settings)
        client = _blocking_client(parsed, settings)
    except ValueError as error:
        raise PlanError.single(name, str(error).removeprefix(f"{name}: ")) from None
    result = _fetch_blocking(client, parsed, url, settings)
    verdict = (
        result
        if isinstance(result, _Trouble)
        else _judge(
            result, has_token=settings.token is not None, limit=settings.max_bytes, source=name
        )
    )
    if isinstance(verdict, _Document):
        try:
            return load_bytes(verdict.body, name, verdict.fmt)
        except PlanError as error:
            raise _scrubbed(error, settings.token) from None
    if isinstance(verdict, _SlowDown):
        wait = "" if verdict.retry_after is None else f" in {verdict.retry_after:g} s"
        message = f"{_phrase(429)}: the server is busy; try again{wait}"
    elif isinstance(verdict, _NotModified):
        message = f"{_phrase(304)} to a request that was not conditional"
    else:
        message = verdict.reason.removeprefix(f"{name}: ")
    raise PlanError.single(name, _scrub(message, settings.token))


def _scrubbed(error: PlanError, token: str | None) -> PlanError:
    if not token:
        return error
    return PlanError([Problem(p.source, p.path, _scrub(p.message, token)) for p in error.problems])


def _fetch_blocking(
    client: httpx.Client, parsed: httpx.URL, url: str, settings: HttpSettings
) -> _Answer | _Trouble:
    """One GET in a helper thread; the caller waits no longer than the deadline."""
    box: list[_Answer | _Trouble] = []
    stop_at = monotonic() + settings.deadline

    def run() -> None:
        try:
            with client, client.stream("GET", url) as response:
                body = None
                if response.status_code in _READ_STATUSES and not _too_big_by_length(
                    response, settings.max_bytes
                ):
                    body = _read_capped_blocking(response, settings.max_bytes, stop_at)
                if monotonic() > stop_at:
                    box.append(_deadline(settings.deadline))
                else:
                    box.append(_answer(response, parsed, body))
        except _PastDeadline:
            box.append(_deadline(settings.deadline))
        except Exception as error:
            box.append(_describe(error, settings.deadline))

    thread = threading.Thread(target=run, name="cutover-tui fetch", daemon=True)
    thread.start()
    thread.join(settings.deadline)  # a drip that outlasts it is left to end on its own timeout
    return box[0] if box else _deadline(settings.deadline)


class _PastDeadline(Exception):
    pass


def _read_capped_blocking(response: httpx.Response, limit: int, stop_at: float) -> bytes | None:
    buffer = bytearray()
    for chunk in response.iter_bytes():
        if monotonic() > stop_at:
            raise _PastDeadline
        buffer += chunk
        if len(buffer) > limit:
            return None
    return bytes(buffer)
