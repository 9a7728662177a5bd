"""Datetimes in a plan: offset-aware, or local ones read in ``plan.timezone``."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FIRST_YEAR, LAST_YEAR = 1970, 2999
"""Plans live in these years; far-off dates would overflow arithmetic on times and spans."""
_HAS_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def parse_zone(name: str) -> ZoneInfo:
    """The IANA zone called `name`; ValueError with a readable reason if there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"is not a known IANA time zone: {name[:60]!r}") from None


def to_datetime(value: object, zone: ZoneInfo | None) -> datetime:
    """Read a TOML datetime or an ISO 8601 string; a local time needs `zone` and is read in it."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        raise ValueError("is a date without a time of day")
    elif isinstance(value, str):
        text = value.strip()
        if not _HAS_TIME.match(text):
            raise ValueError(f"is not an ISO 8601 date and time: {text[:40]!r}")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"is not an ISO 8601 date and time: {text[:40]!r}") from None
    else:
        raise ValueError("must be a date and time, such as 2026-12-04T17:00:00Z")
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"is outside the years {FIRST_YEAR} to {LAST_YEAR}")
    if moment.tzinfo is None:
        if zone is None:
            raise ValueError(
                "has no UTC offset: add one (e.g. 'Z' or '+01:00') or set plan.timezone"
            )
        return localize(moment, zone)
    return moment


def localize(naive: datetime, zone: ZoneInfo) -> datetime:
    """The instant a wall-clock time in `zone` names; refuses times that never or twice happen.

    The result carries the fixed UTC offset in force, not `zone` itself: Python subtracts and
    compares two datetimes sharing one `ZoneInfo` by wall clock, so a span across a DST change
    would measure an hour more or less than passes (and change once written out with offsets).
    """
    earlier = naive.replace(tzinfo=zone, fold=0)
    later = naive.replace(tzinfo=zone, fold=1)
    if earlier.utcoffset() == later.utcoffset():
        return naive.replace(tzinfo=timezone(earlier.utcoffset() or timedelta(0)))
    round_trip = earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != naive:
        raise ValueError(
            f"{naive.isoformat()} does not exist in {zone.key} (the clocks go forward); "
            "give an offset"
        )
    raise ValueError(
        f"{naive.isoformat()} happens twice in {zone.key} (the clocks go back); give an offset"
    )


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with ``Z``, whole seconds: the form reports use."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def whole_seconds(span: timedelta) -> int:
    """A span in whole seconds, rounded toward zero."""
    return int(span.total_seconds())
