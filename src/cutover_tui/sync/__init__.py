"""Sources of plan snapshots. No Textual: the app receives what these produce as messages."""

from .file_source import FileSource, SourceEvent, SourceProblem, SourceRecovered
from .snapshot import Snapshot

__all__ = ["FileSource", "Snapshot", "SourceEvent", "SourceProblem", "SourceRecovered"]
