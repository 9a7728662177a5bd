"""The starter plan `cutover-tui init` writes: a commented template, its times set from now.

The template (``templates/starter.toml.tmpl``) is a TOML file with ``${name}`` placeholders for
every moment. Final data production is a Friday 17:00 at least a week ahead, in the chosen zone;
every other moment is a wall-clock time on a day relative to it, so the plan reads naturally
("Saturday 10:00") whatever the zone. Times are written without an offset (the plan sets
``timezone``), except one that does not exist or happens twice in that zone around a clock change,
which gets its offset.
"""

from __future__ import annotations

import re
import shlex
from datetime import UTC, date, datetime, time, timedelta
from importlib.resources import files
from string import Template
from zoneinfo import ZoneInfo

from .model.times import localize, parse_zone

TEMPLATE = "templates/starter.toml.tmpl"
DEFAULT_PLAN_ID = "cutover-plan"
FRIDAY = 4
FDP_TIME = time(17, 0)

MOMENTS: dict[str, tuple[int, time]] = {
    # name: (days after final data production's day, wall-clock time)
    "p01_start": (-4, time(10, 0)),
    "p02_start": (-3, time(9, 0)),
    "p03_start": (-2, time(9, 0)),
    "p04_start": (-1, time(13, 0)),
    "fdp": (0, FDP_TIME),
    "c01_start": (0, FDP_TIME),
    "c02_start": (0, time(21, 30)),
    "cp1_at": (0, time(21, 30)),
    "c03_start": (1, time(10, 0)),
    "c04_start": (1, time(14, 0)),
    "c05_start": (2, time(10, 0)),
    "blocker_raised": (2, time(10, 20)),
    "blocker_updated": (2, time(10, 40)),
    "gng_at": (2, time(15, 0)),
    "point_of_no_return": (2, time(16, 0)),
    "go_live": (3, time(8, 0)),
    "s01_start": (3, time(8, 0)),
    "s02_start": (4, time(10, 0)),
}
"""Every moment of the starter plan. Kept within 08:00 to 22:00, away from clock changes."""


def final_data_production_day(today: date) -> date:
    """The first Friday at least seven days after `today`: time to prepare, and a weekend."""
    earliest = today + timedelta(days=7)
    return earliest + timedelta(days=(FRIDAY - earliest.weekday()) % 7)


def plan_id_for(file_name: str) -> str:
    """A plan id from a file name (``my cutover.toml`` → ``my-cutover``)."""
    stem = file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    ident = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.")[:64].strip("-.")
    return ident or DEFAULT_PLAN_ID


def render_starter(now: datetime, timezone: str, file_name: str = "cutover-plan.toml") -> str:
    """The starter plan's TOML text, with its moments placed relative to `now` in `timezone`.

    Raises ValueError when `timezone` is not a known IANA zone.
    """
    zone = parse_zone(timezone)
    local_now = now.astimezone(zone)
    fdp_day = final_data_production_day(local_now.date())
    values = {
        name: toml_moment(datetime.combine(fdp_day + timedelta(days=days), at), zone)
        for name, (days, at) in MOMENTS.items()
    }
    values["now"] = toml_moment(local_now.replace(tzinfo=None, second=0, microsecond=0), zone)
    values["timezone"] = timezone
    values["plan_id"] = plan_id_for(file_name)
    values["file_name"] = shlex.quote(file_name)
    values["fdp_day"] = f"{fdp_day:%A} {fdp_day.day} {fdp_day:%B}"
    return _template().substitute(values)


def toml_moment(wall: datetime, zone: ZoneInfo) -> str:
    """A TOML datetime for a wall-clock time in `zone`: local when unambiguous, else with offset."""
    try:
        localize(wall, zone)
    except ValueError:
        instant = wall.replace(tzinfo=zone, fold=0).astimezone(UTC).astimezone(zone)
        return instant.isoformat(timespec="seconds")
    return wall.isoformat(timespec="seconds")


def _template() -> Template:
    return Template((files("cutover_tui") / TEMPLATE).read_text(encoding="utf-8"))
