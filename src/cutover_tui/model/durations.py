"""Durations as people write them in a runbook: ``"90m"``, ``"4h"``, ``"1d 2h"``, or ISO 8601."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache

MAX_DURATION = timedelta(days=366)

_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_UNITS_WITHOUT_DAYS = {"h": 3600, "m": 60, "s": 1}
_COMPACT = re.compile(r"\s*(\d{1,6})\s*([dhms])\s*", re.IGNORECASE)
_ISO = re.compile(
    r"P(?:(?P<w>\d{1,4})W)?(?:(?P<d>\d{1,4})D)?"
    r"(?:T(?:(?P<h>\d{1,6})H)?(?:(?P<m>\d{1,6})M)?(?:(?P<s>\d{1,8})S)?)?",
    re.IGNORECASE,
)


@lru_cache(maxsize=512)
def parse_duration(text: str) -> timedelta:
    """Parse ``"1d 2h 30m"``-style or ISO 8601 (``"PT4H30M"``) text; raise ValueError if neither."""
    value = text.strip()
    seconds = _parse_iso(value) if value[:1] in "Pp" else _parse_compact(value)
    if seconds is None:
        raise ValueError(
            f"is not a duration: {value[:40]!r} (write e.g. '90m', '4h', '1d 2h' or 'PT4H30M')"
        )
    result = timedelta(seconds=seconds)
    if result > MAX_DURATION:
        raise ValueError(f"is longer than {MAX_DURATION.days} days")
    return result


def _parse_compact(value: str) -> int | None:
    position, total, seen = 0, 0, set()
    while position < len(value):
        match = _COMPACT.match(value, position)
        if not match or match.end() == position:
            return None
        unit = match.group(2).lower()
        if unit in seen:
            return None
        seen.add(unit)
        total += int(match.group(1)) * _UNIT_SECONDS[unit]
        position = match.end()
    return total if seen else None


def _parse_iso(value: str) -> int | None:
    match = _ISO.fullmatch(value)
    if not match or value.upper() in ("P", "PT") or value.upper().endswith("T"):
        return None
    parts = {key: int(number) for key, number in match.groupdict().items() if number}
    if not parts:
        return None
    return (
        parts.get("w", 0) * 7 * 86400
        + parts.get("d", 0) * 86400
        + parts.get("h", 0) * 3600
        + parts.get("m", 0) * 60
        + parts.get("s", 0)
    )


def format_duration(value: timedelta) -> str:
    """The compact form (``"26h 30m"``) that `parse_duration` reads back to the same value."""
    remaining = int(value.total_seconds())
    parts = []
    # Hours read better than days for cutover spans ("72h"); days only from a week up.
    units = _UNIT_SECONDS if remaining >= 7 * 86400 else _UNITS_WITHOUT_DAYS
    for unit, size in units.items():
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count}{unit}")
    return " ".join(parts) or "0m"
