"""Sources of plan snapshots. No Textual: the app receives what these produce as messages."""

from .events import Contact, ProblemKind, SourceEvent, SourceProblem, SourceRecovered
from .file_source import FileSource
from .snapshot import Snapshot

__all__ = [
    "Contact",
    "FileSource",
    "ProblemKind",
    "Snapshot",
    "SourceEvent",
    "SourceProblem",
    "SourceRecovered",
]
