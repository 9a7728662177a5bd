"""Messages shared across the app, named as facts in the past tense."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from .sync import Snapshot


@dataclass
class SnapshotReceived(Message):
    """A new good snapshot of the plan arrived from the source."""

    snapshot: Snapshot

    def can_replace(self, message: Message) -> bool:
        # A newer snapshot supersedes one still waiting in the queue.
        return isinstance(message, SnapshotReceived)


@dataclass
class SnapshotRejected(Message):
    """The source was read but gave nothing usable; the last good snapshot stays."""

    source: str
    reason: str
