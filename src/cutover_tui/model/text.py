"""Cleaning of untrusted text: every string read from a document passes through here once.

Control characters could move the cursor, recolour or clear a terminal; bidirectional overrides
can make a task title read differently from what it is. Each becomes U+FFFD so the problem stays
visible instead of silently disappearing. Line breaks survive only in multi-line fields.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"

MULTILINE_KEYS = frozenset({"notes", "description"})
"""Keys whose string values may keep line breaks."""

_BIDI = "\u202a-\u202e\u2066-\u2069"
_SURROGATES = "\ud800-\udfff"
"""Lone surrogates (from JSON ``\\ud800`` escapes) cannot be encoded as UTF-8 when written out."""
_SINGLE_LINE_BAD = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029{_SURROGATES}]")
_MULTI_LINE_BAD = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI}{_SURROGATES}]")
_LINE_BREAKS = re.compile("\r\n|\r|\u2028|\u2029")


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Return `text` with control, bidi-override and lone surrogate characters made U+FFFD."""
    if multiline:
        return _MULTI_LINE_BAD.sub(REPLACEMENT, _LINE_BREAKS.sub("\n", text))
    return _SINGLE_LINE_BAD.sub(REPLACEMENT, text)
