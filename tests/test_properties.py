"""Properties of the model over generated documents.

(a) Every document the strategy builds follows PLAN_FORMAT.md, so it validates, and converting it
TOML → JSON → TOML gives the same `Plan`. (b) Whatever bytes arrive, loading either succeeds or
raises `PlanError` — never any other exception.
"""

from __future__ import annotations

import itertools
import json
import string
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cutover_tui.model import (
    Plan,
    PlanError,
    dump_json,
    dump_toml,
    format_duration,
    load_bytes,
    load_path,
    parse_duration,
    validate,
)
from cutover_tui.model.durations import MAX_DURATION
from cutover_tui.model.text import clean_text
from cutover_tui.model.times import localize

PlanData = dict[str, Any]
Draw = st.DrawFn

SAMPLE_PLANS = Path(__file__).parents[1] / "sample_plans"

ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/St_Johns",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Pacific/Kiritimati",
]
CUTOVER = datetime(2026, 12, 4, 17, tzinfo=UTC)


def _clock_changes(name: str) -> list[datetime]:
    """The hours of 2026 at which `name` changes its UTC offset (daylight saving)."""
    zone = ZoneInfo(name)
    hours = [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=h) for h in range(365 * 24)]
    return [
        later
        for earlier, later in itertools.pairwise(hours)
        if earlier.astimezone(zone).utcoffset() != later.astimezone(zone).utcoffset()
    ]


CLOCK_CHANGES = {name: _clock_changes(name) for name in ZONES}
"""Where a plan's times may cluster: local times near a clock change are the tricky ones."""


@dataclass(frozen=True)
class Where:
    """The plan's time zone (None: UTC, offsets required) and the instant its times cluster on."""

    zone: ZoneInfo | None
    anchor: datetime


PHASES = ["pre-cutover", "cutover", "post-cutover", "contingency"]
STATUSES = ["not-started", "in-progress", "done", "blocked", "skipped", "failed"]
ENDED = {"done", "skipped", "failed"}

VALID = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings(max_examples=300, deadline=None)
MUTATE = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- building blocks ----------------------------------------------------------------------------

ids = st.text(string.ascii_letters + string.digits + "._-", min_size=1, max_size=12)


def _clean_text(*, multiline: bool = False, max_size: int = 40) -> st.SearchStrategy[str]:
    """Text the loader keeps as it is: no control, bidi-override or separator characters."""
    allowed = st.characters(
        exclude_categories=("Cc", "Cs", "Zl", "Zp"),
        exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    )
    if multiline:
        allowed = st.one_of(allowed, st.just("\n"))
    return st.text(allowed, max_size=max_size)


titles = _clean_text(max_size=60).map(lambda text: text if text.strip() else f"T{text}")
names = _clean_text(max_size=30)
notes = _clean_text(multiline=True, max_size=80)

json_scalars = st.one_of(
    st.booleans(),
    st.integers(-(2**53) + 1, 2**53 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    names,
)
extras = st.dictionaries(
    names,
    st.recursive(
        json_scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(names, inner, max_size=3),
        max_leaves=6,
    ),
    max_size=3,
)
"""What `extra` may carry and both formats hold: no null (TOML has none), no deep nesting."""


def _instant(draw: Draw, where: Where, after: datetime | None = None) -> datetime:
    """A whole-second instant within two days of the plan's anchor, at or after `after`."""
    if after is not None:
        return after + timedelta(seconds=draw(st.integers(0, 2 * 86400)))
    return where.anchor + timedelta(seconds=draw(st.integers(-2 * 86400, 2 * 86400)))


def _render_instant(draw: Draw, moment: datetime, where: Where) -> str | datetime:
    """`moment` written as a plan author might: Z, any offset, or wall time in the plan's zone."""
    zone = where.zone
    choices = ["z", "offset", "object"] + (["local", "local"] if zone else [])
    choice = draw(st.sampled_from(choices))
    if choice == "local" and zone is not None:
        wall = moment.astimezone(zone).replace(tzinfo=None)
        try:
            if localize(wall, zone) == moment:
                return wall.isoformat()
        except ValueError:  # a wall time that does not exist or happens twice
            pass
        choice = "offset"
    if choice == "offset":
        minutes = draw(st.integers(-12 * 4, 14 * 4)) * 15
        return moment.astimezone(timezone(timedelta(minutes=minutes))).isoformat()
    if choice == "object":
        return moment
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _render_duration(draw: Draw, span: timedelta) -> str:
    """`span` in one of the documented spellings."""
    seconds = int(span.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    style = draw(st.sampled_from(["compact", "iso", "formatted", "hours"]))
    if style == "formatted":
        return format_duration(span)
    if style == "hours" and secs == 0 and seconds < 10**6 * 60:
        return f"{seconds // 60}m" if minutes else f"{seconds // 3600}h"
    if style == "iso":
        time_part = "".join(
            f"{value}{unit}" for value, unit in [(hours, "H"), (minutes, "M"), (secs, "S")] if value
        )
        text = "P" + (f"{days}D" if days else "") + (f"T{time_part}" if time_part else "")
        return text if text != "P" else "PT0S"
    parts = [
        f"{value}{unit}"
        for value, unit in [(days, "d"), (hours, "h"), (minutes, "m"), (secs, "s")]
        if value
    ]
    return " ".join(parts) or "0m"


def _span(draw: Draw, *, at_least: int = 0) -> timedelta:
    return timedelta(seconds=draw(st.integers(at_least, 3 * 86400)))


def _coin(draw: Draw) -> bool:
    return draw(st.booleans())


def _maybe(draw: Draw, record: PlanData, key: str, strategy: st.SearchStrategy[Any]) -> None:
    if _coin(draw):
        record[key] = draw(strategy)


# --- valid documents ----------------------------------------------------------------------------


def _header(draw: Draw) -> tuple[PlanData, Where]:
    zone_name = draw(st.none() | st.sampled_from(ZONES))
    anchors = [CUTOVER, *CLOCK_CHANGES.get(zone_name or "UTC", [])]
    where = Where(ZoneInfo(zone_name) if zone_name else None, draw(st.sampled_from(anchors)))
    fdp = _instant(draw, where)
    header: PlanData = {
        "id": draw(ids),
        "title": draw(titles),
        "final_data_production": _render_instant(draw, fdp, where),
    }
    if zone_name:
        header["timezone"] = zone_name
    if _coin(draw):
        header["go_live"] = _render_instant(draw, _instant(draw, where, after=fdp), where)
    if _coin(draw):
        sla = _span(draw, at_least=60)
        header["cutover_sla"] = _render_duration(draw, sla)
        if _coin(draw):
            warning = timedelta(seconds=draw(st.integers(0, int(sla.total_seconds()) - 1)))
            header["sla_warning"] = _render_duration(draw, warning)
    if _coin(draw):
        header["point_of_no_return"] = _render_instant(draw, _instant(draw, where), where)
    if _coin(draw):
        header["blocker_update_interval"] = _render_duration(draw, _span(draw, at_least=1))
    _maybe(draw, header, "clocks", st.lists(st.sampled_from(ZONES), max_size=3))
    _maybe(draw, header, "description", notes)
    _maybe(draw, header, "extra", extras)
    return header, where


def _task(draw: Draw, ident: str, earlier: list[str], where: Where) -> PlanData:
    status = draw(st.sampled_from(STATUSES))
    task: PlanData = {"id": ident, "title": draw(titles), "phase": draw(st.sampled_from(PHASES))}
    if _coin(draw):
        task["status"] = status
    else:
        status = "not-started"
    milestone = _coin(draw)
    start = _instant(draw, where)
    span = timedelta(0) if milestone else _span(draw)
    shape = draw(
        st.sampled_from(["none", "start", "start+end", "start+duration", "all", "duration"])
    )
    if "start" in shape or shape == "all":
        task["planned_start"] = _render_instant(draw, start, where)
    if shape in ("start+end", "all"):
        task["planned_end"] = _render_instant(draw, start + span, where)
    if shape in ("start+duration", "all", "duration"):
        task["duration"] = _render_duration(draw, span)
    if milestone:
        task["milestone"] = True
    if status != "not-started" and _coin(draw):
        began = _instant(draw, where)
        task["actual_start"] = _render_instant(draw, began, where)
        if status in ENDED and _coin(draw):
            task["actual_end"] = _render_instant(draw, _instant(draw, where, after=began), where)
    elif status in ENDED and _coin(draw):
        task["actual_end"] = _render_instant(draw, _instant(draw, where), where)
    if earlier:
        _maybe(draw, task, "depends_on", st.lists(st.sampled_from(earlier), unique=True))
    _maybe(draw, task, "party", st.sampled_from(["customer", "provider", "shared"]))
    _maybe(draw, task, "owner", names)
    _maybe(draw, task, "workstream", names)
    _maybe(draw, task, "rehearsal_only", st.booleans())
    _maybe(draw, task, "notes", notes)
    _maybe(draw, task, "extra", extras)
    return task


def _blocker(draw: Draw, ident: str, task_ids: list[str], where: Where) -> PlanData:
    raised = _instant(draw, where)
    blocker: PlanData = {
        "id": ident,
        "title": draw(titles),
        "raised_at": _render_instant(draw, raised, where),
    }
    status = draw(st.sampled_from(["open", "mitigated", "resolved", None]))
    if status:
        blocker["status"] = status
    if status == "resolved":
        blocker["resolved_at"] = _render_instant(draw, _instant(draw, where, after=raised), where)
    if _coin(draw):
        blocker["updated_at"] = _render_instant(draw, _instant(draw, where, after=raised), where)
    if task_ids:
        _maybe(draw, blocker, "tasks", st.lists(st.sampled_from(task_ids), unique=True))
    _maybe(draw, blocker, "severity", st.sampled_from(["critical", "high", "medium", "low"]))
    _maybe(draw, blocker, "owner", names)
    _maybe(draw, blocker, "notes", notes)
    _maybe(draw, blocker, "extra", extras)
    return blocker


def _checkpoint(draw: Draw, ident: str, rollback_ids: list[str], where: Where) -> PlanData:
    checkpoint: PlanData = {
        "id": ident,
        "title": draw(titles),
        "at": _render_instant(draw, _instant(draw, where), where),
    }
    kind = draw(st.sampled_from(["checkpoint", "go-no-go", None]))
    if kind:
        checkpoint["kind"] = kind
    decisions = ["pending", "go", "go-with-conditions", "no-go"] if kind == "go-no-go" else []
    decision = draw(st.sampled_from([None, "pending", *decisions]))
    if decision:
        checkpoint["decision"] = decision
    if decision not in (None, "pending"):
        checkpoint["decided_by"] = draw(titles)
        checkpoint["decided_at"] = _render_instant(draw, _instant(draw, where), where)
    if decision == "go-with-conditions" or (decision is None and _coin(draw)):
        checkpoint["conditions"] = draw(titles)
    criterion = st.fixed_dictionaries(
        {"text": titles},
        optional={
            "state": st.sampled_from(["unmet", "met", "waived"]),
            "by": names,
            "note": names,
            "extra": extras,
        },
    )
    _maybe(draw, checkpoint, "criteria", st.lists(criterion, max_size=3))
    if rollback_ids:
        _maybe(
            draw, checkpoint, "contingency", st.lists(st.sampled_from(rollback_ids), unique=True)
        )
    _maybe(draw, checkpoint, "extra", extras)
    return checkpoint


@st.composite
def valid_plans(draw: Draw) -> PlanData:
    """A document that follows every rule of PLAN_FORMAT.md."""
    header, where = _header(draw)
    document: PlanData = {"schema_version": 1, "plan": header}
    task_ids = draw(st.lists(ids, unique=True, max_size=10))
    tasks = [_task(draw, ident, task_ids[:index], where) for index, ident in enumerate(task_ids)]
    document["tasks"] = tasks
    rollback_ids = [task["id"] for task in tasks if task["phase"] == "contingency"]
    blocker_ids = draw(st.lists(ids, unique=True, max_size=3))
    if blocker_ids or _coin(draw):
        document["blockers"] = [_blocker(draw, b, task_ids, where) for b in blocker_ids]
    checkpoint_ids = draw(st.lists(ids, unique=True, max_size=3))
    if checkpoint_ids or _coin(draw):
        document["checkpoints"] = [
            _checkpoint(draw, c, rollback_ids, where) for c in checkpoint_ids
        ]
    contact = st.fixed_dictionaries(
        {"name": titles},
        optional={
            "role": names,
            "party": st.sampled_from(["customer", "provider", "shared"]),
            "phone": names,
            "email": names,
            "channel": names,
            "on_call": st.booleans(),
            "extra": extras,
        },
    )
    _maybe(draw, document, "contacts", st.lists(contact, max_size=3))
    refs = task_ids + blocker_ids + checkpoint_ids
    log = [
        {
            "at": _render_instant(draw, _instant(draw, where), where),
            "text": draw(titles),
            **({"actor": draw(names)} if _coin(draw) else {}),
            **({"ref": draw(st.sampled_from(refs))} if refs and _coin(draw) else {}),
        }
        for _ in range(draw(st.integers(0, 3)))
    ]
    if log:
        document["log"] = log
    _maybe(draw, document, "revision", st.integers(0, 2**53 - 1))
    if _coin(draw):
        document["updated_at"] = _render_instant(draw, _instant(draw, where), where)
    _maybe(draw, document, "extra", extras)
    return document


@VALID
@given(valid_plans())
def test_valid_plans_validate_and_survive_toml_json_toml(document: PlanData) -> None:
    plan = validate(document, "generated")
    from_toml = load_bytes(dump_toml(plan).encode(), "a.toml")
    from_json = load_bytes(dump_json(from_toml).encode(), "b.json")
    from_toml_again = load_bytes(dump_toml(from_json).encode(), "c.toml")
    assert from_toml == plan
    assert from_json == plan
    assert from_toml_again == plan
    assert dump_toml(from_toml_again) == dump_toml(from_toml)
    assert dump_json(from_toml_again) == dump_json(from_toml)


@VALID
@given(valid_plans())
def test_valid_plans_load_from_either_format_written_by_hand(document: PlanData) -> None:
    """The generated dict itself (TOML datetimes and all) loads the same from TOML or JSON."""
    plan = validate(document, "generated")
    assert load_bytes(tomli_w.dumps(document).encode(), "hand.toml") == plan
    as_json = json.dumps(document, default=lambda moment: moment.isoformat())
    assert load_bytes(as_json.encode(), "hand.json") == plan


def _assert_survives_conversion(plan: Plan) -> None:
    from_toml = load_bytes(dump_toml(plan).encode(), "a.toml")
    from_json = load_bytes(dump_json(from_toml).encode(), "b.json")
    assert from_toml == plan
    assert from_json == plan
    assert dump_toml(from_json) == dump_toml(plan)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_large_plans_validate_and_survive_conversion(seed: int) -> None:
    make_plan = pytest.importorskip("make_plan").make_plan
    _assert_survives_conversion(validate(make_plan(500, seed=seed), "generated"))


@pytest.mark.parametrize("path", sorted(SAMPLE_PLANS.glob("*.toml")), ids=lambda path: path.name)
def test_sample_plans_survive_conversion(path: Path) -> None:
    _assert_survives_conversion(load_path(path))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, int(MAX_DURATION.total_seconds())))
def test_format_duration_round_trips(seconds: int) -> None:
    span = timedelta(seconds=seconds)
    assert parse_duration(format_duration(span)) == span


# --- nothing but PlanError ----------------------------------------------------------------------


def _load_or_plan_error(data: bytes, source: str) -> Plan | None:
    try:
        return load_bytes(data, source)
    except PlanError as error:
        problems = error.problems
    assert problems
    for problem in problems:
        assert str(problem).startswith(f"{source}: ")
        assert clean_text(str(problem)) == str(problem)  # no control characters
    return None


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_raise_only_plan_error(data: bytes) -> None:
    _load_or_plan_error(data, "x.toml")
    _load_or_plan_error(data, "x.json")
    _load_or_plan_error(data, "x")


@FUZZ
@given(st.text(max_size=2000))
def test_arbitrary_text_raises_only_plan_error(text: str) -> None:
    data = text.encode()
    _load_or_plan_error(data, "x.toml")
    _load_or_plan_error(data, "x.json")


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(
        ["2026-12-04T17:00:00", "2026-12-04T17:00:00Z", "90m", "PT", "T1", "go-no-go", "done"]
    ),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=10,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every position in a JSON value, the root included."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, *rest = path
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _replace(value[head], tuple(rest), new)
    return copy


@st.composite
def mutated_documents(draw: Draw) -> bytes:
    """A valid document as JSON with a few values replaced, keys added or keys removed."""
    document = json.loads(dump_json(validate(draw(valid_plans()), "generated")))  # plain JSON data
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(document)))
        action = draw(st.sampled_from(["replace", "add", "remove"]))
        target = document
        for part in path:
            target = target[part]
        if action == "add" and isinstance(target, dict):
            document = _replace(
                document, path, {**target, draw(st.text(max_size=12)): draw(json_values)}
            )
        elif action == "remove" and path:
            parent = document
            for part in path[:-1]:
                parent = parent[part]
            pruned = (
                {k: v for k, v in parent.items() if k != path[-1]}
                if isinstance(parent, dict)
                else [v for i, v in enumerate(parent) if i != path[-1]]
            )
            document = _replace(document, path[:-1], pruned)
        else:
            document = _replace(document, path, draw(json_values))
    return json.dumps(document).encode()


@MUTATE
@given(mutated_documents())
def test_mutated_documents_raise_only_plan_error(data: bytes) -> None:
    plan = _load_or_plan_error(data, "x.json")
    if plan is not None:  # still valid: it must also survive a conversion round trip
        assert load_bytes(dump_json(plan).encode(), "y.json") == plan
