"""Formatting of times and spans for people: shared by the screens and `status`. No Textual."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


def zone_label(moment: datetime, zone: ZoneInfo) -> str:
    """The zone's abbreviation at `moment` (GMT, BST, EST), or its offset where it has none."""
    name = moment.astimezone(zone).tzname() or zone.key
    return name if name[:1].isalpha() else f"UTC{name}"


def clock_time(moment: datetime, zone: ZoneInfo, *, seconds: bool = True) -> str:
    """``15:04:05 GMT``: a time of day with its zone."""
    local = moment.astimezone(zone)
    text = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{text} {zone_label(moment, zone)}"


def day_time(moment: datetime, zone: ZoneInfo) -> str:
    """``Fri 04 Dec 17:00 GMT``: a moment in the plan, with its day and zone."""
    local = moment.astimezone(zone)
    return f"{local.strftime('%a %d %b %H:%M')} {zone_label(moment, zone)}"


def span(seconds: float) -> str:
    """A length of time, two units at most: ``45s``, ``12m 05s``, ``2h 05m``, ``3d 04h``."""
    total = int(abs(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours:02d}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def hours(seconds: float) -> str:
    """A span in hours and minutes however long (``50h 05m``): how an SLA is spoken of."""
    whole_minutes = int(abs(seconds)) // 60
    return f"{whole_minutes // 60}h {whole_minutes % 60:02d}m"


def span_minutes(seconds: float) -> str:
    """Like `span` but to the minute (``1h 05m``, ``40m``): for ages that need not tick."""
    whole_minutes = int(abs(seconds)) // 60
    if whole_minutes < 60:
        return f"{whole_minutes}m"
    return span(whole_minutes * 60)


def relative(seconds: float) -> str:
    """``in 2h 05m`` for the future, ``2h 05m ago`` for the past, ``now`` within a second."""
    if -1 < seconds < 1:
        return "now"
    return f"in {span(seconds)}" if seconds > 0 else f"{span(seconds)} ago"


def digits(seconds: float) -> str:
    """``HH:MM:SS`` for a countdown (hours grow past 24: a 72-hour SLA reads ``72:00:00``)."""
    total = int(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def delta_seconds(later: datetime, earlier: datetime) -> float:
    return (later - earlier) / timedelta(seconds=1)
