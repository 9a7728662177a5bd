"""An immutable snapshot of a plan as received from its source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..model import Plan


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One good, validated state of the plan, and when it arrived."""

    plan: Plan
    source: str
    """The file path or URL, as the user gave it."""
    received_at: datetime
    """Real wall-clock time of arrival (never simulated), for "loaded hh:mm:ss"."""
    received_monotonic: float
    """Monotonic time of arrival, for ages that an NTP step cannot distort."""

    @property
    def revision(self) -> int:
        return self.plan.revision
