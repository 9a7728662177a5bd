"""Follow a plan served over HTTP(S): conditional polling, server-sent events when offered.

(Interface only; the implementation is being written.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from ..model.load import MAX_BYTES
from .events import SourceEvent

DEFAULT_POLL = 2.0


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """How to reach an HTTP source. The token never appears in a repr, a message or a log."""

    token: str | None = field(default=None, repr=False)
    ca_file: Path | None = None
    poll: float = DEFAULT_POLL
    deadline: float = 10.0
    """Overall seconds for one request, however slowly the server drips its answer."""
    heartbeat: float = 30.0
    """Seconds of silence on an event stream before it counts as dead."""
    max_bytes: int = MAX_BYTES


class HttpSource:
    """Follow a plan URL: yields `Snapshot`s, `Contact`s and health events until cancelled."""

    def __init__(self, url: str, settings: HttpSettings) -> None:
        self.url = url
        self.settings = settings

    async def events(self) -> AsyncIterator[SourceEvent]:
        raise NotImplementedError
        yield  # pragma: no cover
