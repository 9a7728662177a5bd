"""Sources of plan snapshots. No Textual: the app receives what these produce as messages."""

from .snapshot import Snapshot

__all__ = ["Snapshot"]
