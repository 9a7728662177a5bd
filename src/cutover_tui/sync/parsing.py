"""Bytes from a source into a plan, or the one line that says why not (shared by the sources)."""

from __future__ import annotations

from ..model import Plan, PlanError, load_bytes
from ..model.load import Format


def parse_or_reason(
    data: bytes, source: str, fmt: Format, previous: Plan | None = None
) -> Plan | str:
    """The plan, or the reason it was refused (blocking: run it in a thread).

    `previous`, the last good plan, lets rows that did not change be reused, not validated again.
    """
    try:
        return load_bytes(data, source, fmt, previous=previous)
    except PlanError as error:
        first = str(error.problems[0])
        more = len(error.problems) - 1
        return f"{first} (and {more} more problems)" if more else first
