"""How to reach an HTTP source: its own module, so that describing one (the command line, the
app's options) does not import the HTTP client."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model.load import MAX_BYTES
from .auth import check_token

DEFAULT_POLL = 2.0


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """How to reach an HTTP source. The token never appears in a repr, a message or a log."""

    token: str | None = field(default=None, repr=False)
    ca_file: Path | None = None
    """A PEM bundle of the CA certificates to trust instead of the usual ones (a private CA)."""
    poll: float = DEFAULT_POLL
    deadline: float = 10.0
    """Overall seconds for one request, however slowly the server drips its answer."""
    heartbeat: float = 30.0
    """Seconds of silence on an event stream before it counts as dead."""
    max_bytes: int = MAX_BYTES

    def __post_init__(self) -> None:
        for name in ("poll", "deadline", "heartbeat"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be greater than zero")
        if self.max_bytes <= 0:
            raise ValueError("max_bytes must be greater than zero")
        if self.token is not None:
            check_token(self.token)
