"""A plan server with switchable faults, served by a real uvicorn on 127.0.0.1 in a thread.

`FaultServer` holds the plan and the fault of the moment; the tests switch faults from their
own thread while the server runs in another, and read back what every request carried
(`requests`). It speaks the protocol of DESIGN.md: `GET /plan.json` with `ETag: "<revision>"`
(and `Link: </events>; rel="events"` when `advertise_events`), `GET /events` as
`text/event-stream` with `id: <revision>`, `event: plan`, the document on one `data:` line,
keep-alive comments, and `Last-Event-ID` honoured.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any, Literal

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

Fault = Literal["drip", "huge", "html", "status", "redirect", "invalid", "old"]
EventsMode = Literal["live", "silent", "drop", "no-content"]


def document(revision: int, title: str = "P") -> dict[str, Any]:
    return {
        "schema_version": 1,
        "revision": revision,
        "plan": {"id": "p", "title": title, "final_data_production": "2026-12-04T17:00:00Z"},
        "tasks": [],
    }


@dataclass(frozen=True)
class Recorded:
    """One request as it arrived."""

    path: str
    headers: dict[str, str]
    at: float
    """time.monotonic() at arrival (the test process shares the clock)."""
    status: int


@dataclass
class FaultServer:
    revision: int = 1
    title: str = "P"
    fault: Fault | None = None
    fault_times: int | None = None
    """Serve the fault this many times, then heal (None: until told)."""
    status: int = 503
    fault_headers: dict[str, str] = field(default_factory=dict)
    redirect_to: str = ""
    advertise_events: bool = False
    events_mode: EventsMode = "live"
    drop_after: int = 1
    keepalive: float = 0.1
    max_age: int | None = None
    huge_bytes: int = 8 * 1024 * 1024
    requests: list[Recorded] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # --- the test's side ----------------------------------------------------------------------

    def set_plan(self, revision: int, title: str = "P") -> None:
        with self.lock:
            self.revision, self.title = revision, title

    def fail(self, fault: Fault, *, times: int | None = None, **settings: Any) -> None:
        with self.lock:
            for name, value in settings.items():
                setattr(self, name, value)
            self.fault, self.fault_times = fault, times

    def heal(self) -> None:
        with self.lock:
            self.fault, self.fault_times = None, None

    def seen(self, path: str = "/plan.json") -> list[Recorded]:
        with self.lock:
            return [request for request in self.requests if request.path == path]

    # --- the server's side --------------------------------------------------------------------

    def body(self) -> bytes:
        return json.dumps(document(self.revision, self.title)).encode()

    def _record(self, request: Request, status: int) -> None:
        headers = {key.lower(): value for key, value in request.headers.items()}
        with self.lock:
            self.requests.append(Recorded(request.url.path, headers, time.monotonic(), status))

    def _take_fault(self) -> Fault | None:
        with self.lock:
            fault = self.fault
            if fault is not None and self.fault_times is not None:
                self.fault_times -= 1
                if self.fault_times <= 0:
                    self.fault, self.fault_times = None, None
            return fault

    async def plan(self, request: Request) -> Response:
        fault = self._take_fault()
        if fault == "drip":
            self._record(request, 200)
            return StreamingResponse(_drip(self.body()), media_type="application/json")
        if fault == "huge":
            self._record(request, 200)
            return StreamingResponse(_huge(self.huge_bytes), media_type="application/json")
        if fault == "html":
            self._record(request, 200)
            page = b"<!doctype html><html><body><h1>Welcome to nginx</h1></body></html>"
            return Response(page, media_type="text/html")
        if fault == "invalid":
            self._record(request, 200)
            return Response(b'{"schema_version": 1, "plan": {}}', media_type="application/json")
        if fault == "old":
            self._record(request, 200)
            body = json.dumps(document(self.revision - 1, self.title)).encode()
            return Response(body, media_type="application/json")
        if fault == "status":
            self._record(request, self.status)
            return Response(b"no", status_code=self.status, headers=self.fault_headers)
        if fault == "redirect":
            self._record(request, 302)
            return RedirectResponse(self.redirect_to, status_code=302)
        with self.lock:
            revision, body = self.revision, self.body()
        etag = f'"{revision}"'
        headers = {"ETag": etag, "Last-Modified": formatdate(1_700_000_000 + revision, usegmt=True)}
        if self.advertise_events:
            headers["Link"] = '</events>; rel="events"'
        if self.max_age is not None:
            headers["Cache-Control"] = f"max-age={self.max_age}"
        if request.headers.get("if-none-match") == etag:
            self._record(request, 304)
            return Response(status_code=304, headers=headers)
        self._record(request, 200)
        return Response(body, media_type="application/json", headers=headers)

    async def events(self, request: Request) -> Response:
        mode = self.events_mode
        if mode == "no-content":
            self._record(request, 204)
            return Response(status_code=204)
        self._record(request, 200)
        try:
            last = int(request.headers.get("last-event-id", ""))
        except ValueError:
            last = -1
        return StreamingResponse(
            self._stream(request, last, mode),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store"},
        )

    async def _stream(self, request: Request, last: int, mode: EventsMode) -> AsyncIterator[bytes]:
        sent = 0
        quiet_since = time.monotonic()
        if mode != "silent":
            yield b": hello\n\n"
        while not await request.is_disconnected():
            with self.lock:
                revision, body = self.revision, self.body()
            if mode != "silent" and revision != last:
                last = revision
                sent += 1
                yield b"id: %d\nevent: plan\ndata: %s\n\n" % (revision, body)
                if mode == "drop" and sent >= self.drop_after:
                    return
            elif mode != "silent" and time.monotonic() - quiet_since >= self.keepalive:
                quiet_since = time.monotonic()
                yield b": keep-alive\n\n"
            await asyncio.sleep(0.02)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/plan.json", self.plan),
                Route("/events", self.events),
            ]
        )


async def _drip(body: bytes) -> AsyncIterator[bytes]:
    """The document, a byte a second."""
    for index in range(len(body)):
        yield body[index : index + 1]
        await asyncio.sleep(1.0)


async def _huge(size: int) -> AsyncIterator[bytes]:
    chunk = b" " * 65536
    for _ in range(size // len(chunk) + 1):
        yield chunk
        await asyncio.sleep(0)


def reserve_port() -> socket.socket:
    """A socket bound to a free port on 127.0.0.1 and not listening: connections are refused."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class Running:
    """uvicorn serving an app on a socket, in a daemon thread, until `stop()`."""

    def __init__(self, app: Starlette, sock: socket.socket | None = None) -> None:
        self.sock = sock or reserve_port()
        self.port = self.sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app,
            log_config=None,
            access_log=False,
            lifespan="off",
            loop="asyncio",
            http="h11",
            ws="none",
            timeout_graceful_shutdown=1,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)
        self.sock.close()
