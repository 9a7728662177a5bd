"""Loading an edited document incrementally (`load_bytes(..., previous=plan)`) is a whole load.

Whatever the edit (rows changed, added, removed, moved; the header, the time zone; bytes that no
longer parse), the result is the same as loading the new bytes alone: an equal plan with the
same keys given, or the very same problems in the same order.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cutover_tui import insight
from cutover_tui.insight import schedule
from cutover_tui.model import Plan, PlanError, load_bytes, to_data, validate
from cutover_tui.model.incremental import lineage
from test_properties import STATUSES, _paths, _replace, json_values, valid_plans

PlanData = dict[str, Any]
Draw = st.DrawFn

EDITS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SECTIONS = ("tasks", "blockers", "checkpoints", "contacts", "log")


def _json(document: PlanData, style: int) -> bytes:
    """`document` as JSON in one of the shapes tools write (datetimes as ISO text)."""
    indent: int | str | None = [None, 1, 2, "\t"][style]
    text = json.dumps(
        document, indent=indent, ensure_ascii=style == 2, default=lambda moment: moment.isoformat()
    )
    return text.encode()


def _outcome(data: bytes, fmt: str, previous: Plan | None = None) -> Plan | list[str]:
    """The plan, or the problems as text."""
    try:
        return load_bytes(data, f"plan.{fmt}", fmt, previous=previous)  # type: ignore[arg-type]
    except PlanError as error:
        return [str(problem) for problem in error.problems]


def _assert_same(incremental: Plan | list[str], whole: Plan | list[str]) -> None:
    if isinstance(whole, list):
        assert incremental == whole
        return
    assert isinstance(incremental, Plan)
    assert incremental == whole
    assert to_data(incremental) == to_data(whole)  # the same keys given, row by row
    assert incremental.model_fields_set == whole.model_fields_set


@st.composite
def _edit(draw: Draw, document: PlanData) -> PlanData:
    """`document` after one edit a person, a tool or a broken tool might make."""
    document = json.loads(json.dumps(document, default=lambda moment: moment.isoformat()))
    kind = draw(
        st.sampled_from(
            ["task field", "status", "rewire", "rewire", "insert", "delete", "move", "duplicate",
             "header", "log", "anywhere"]
        )
    )  # fmt: skip
    rows = [
        (s, i)
        for s in SECTIONS
        if isinstance(document.get(s), list)
        for i in range(len(document[s]))
    ]
    tasks = [t for t in document.get("tasks") or [] if isinstance(t, dict) and "id" in t]
    if kind == "rewire" and tasks:  # chains of these make (and break) dependency cycles
        ids = [t["id"] for t in tasks]
        draw(st.sampled_from(tasks))["depends_on"] = draw(
            st.lists(st.sampled_from(ids), max_size=2)
        )
    elif kind in ("task field", "status") and tasks:
        task = draw(st.sampled_from(tasks))
        if kind == "status":
            task["status"] = draw(st.sampled_from(STATUSES))
        else:
            key = draw(st.sampled_from(["title", "id", "depends_on", "duration", "owner", "x"]))
            task[key] = draw(
                json_values
                | st.sampled_from([t["id"] for t in tasks])
                | st.lists(st.sampled_from([t["id"] for t in tasks]), max_size=3)
            )
    elif kind in ("insert", "duplicate") and rows:
        section, index = draw(st.sampled_from(rows))
        row = json.loads(json.dumps(document[section][index]))
        if kind == "insert" and isinstance(row, dict) and "id" in row:
            row["id"] = f"{row['id']}-new"
        position = draw(st.integers(0, len(document[section])))
        document[section].insert(position, row)
    elif kind == "delete" and rows:
        section, index = draw(st.sampled_from(rows))
        del document[section][index]
    elif kind == "move" and tasks:
        rows_of = document["tasks"]
        row = rows_of.pop(draw(st.integers(0, len(rows_of) - 1)))
        rows_of.insert(draw(st.integers(0, len(rows_of))), row)
    elif kind == "header" and isinstance(document.get("plan"), dict):
        key = draw(st.sampled_from(["timezone", "revision", "updated_at", "title", "order"]))
        if key == "timezone":
            document["plan"]["timezone"] = draw(st.sampled_from(["UTC", "Asia/Kolkata", "Nowhere"]))
        elif key == "revision":
            document["revision"] = draw(st.integers(0, 10**6))
        elif key == "updated_at":
            document["updated_at"] = "2026-12-04T15:00:00Z"
        elif key == "title":
            document["plan"]["title"] = draw(json_values)
        else:  # the same keys in another order
            keys = list(document)
            document = {key: document[key] for key in draw(st.permutations(keys))}
    elif kind == "log" and isinstance(document.get("log", []), list):
        document.setdefault("log", []).append({"at": "2026-12-04T15:00:00Z", "text": "noted"})
    else:
        path = draw(st.sampled_from(_paths(document)[1:] or [("revision",)]))
        document = _replace(document, path, draw(json_values))
    return document


@st.composite
def _byte_edit(draw: Draw, data: bytes) -> bytes:
    """`data` with a few bytes inserted, removed or replaced (usually no longer a document)."""
    position = draw(st.integers(0, len(data)))
    junk = draw(st.sampled_from([b"", b",", b"}", b"]", b'"', b"1", b"\xff", b" ", b"{}", b"\\"]))
    removed = draw(st.integers(0, 3))
    return data[:position] + junk + data[position + removed :]


@EDITS
@given(data=st.data(), document=valid_plans(), style=st.integers(0, 3))
def test_incremental_json_load_equals_a_whole_load(
    data: st.DataObject, document: PlanData, style: int
) -> None:
    old_bytes = _json(document, style)
    previous = load_bytes(old_bytes, "plan.json", "json")
    for _ in range(data.draw(st.integers(1, 3))):
        document = data.draw(_edit(document))
        new_style = data.draw(st.sampled_from([style, style, style, (style + 1) % 4]))
        new_bytes = _json(document, new_style)
        if data.draw(st.integers(0, 4)) == 0:
            new_bytes = data.draw(_byte_edit(new_bytes))
        incremental = _outcome(new_bytes, "json", previous)
        _assert_same(incremental, _outcome(new_bytes, "json"))
        if isinstance(incremental, Plan):
            previous = incremental  # the next edit builds on an incremental load


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), document=valid_plans())
def test_incremental_toml_load_equals_a_whole_load(data: st.DataObject, document: PlanData) -> None:
    previous = load_bytes(tomli_w.dumps(document).encode(), "plan.toml", "toml")
    for _ in range(2):
        document = data.draw(_edit(document))
        try:
            new_bytes = tomli_w.dumps(document).encode()
        except Exception:  # TOML cannot hold null, nor every key
            return
        incremental = _outcome(new_bytes, "toml", previous)
        _assert_same(incremental, _outcome(new_bytes, "toml"))
        if isinstance(incremental, Plan):
            previous = incremental


@st.composite
def _rewirings(draw: Draw) -> list[list[list[int]]]:
    """For a few tasks, a chain of states of who depends on whom, a task or two rewired at a time.

    The rest is carried over from the load before, so cycles form through dependencies checked
    in different loads.
    """
    count = draw(st.integers(2, 4))
    deps = st.lists(st.integers(0, count - 1), max_size=2)
    state = draw(st.lists(deps, min_size=count, max_size=count))
    states = [state]
    for _ in range(draw(st.integers(1, 10))):
        state = list(state)
        for task in draw(st.lists(st.integers(0, count - 1), min_size=1, max_size=2)):
            state[task] = draw(deps)
        states.append(state)
    return states


@settings(max_examples=600, deadline=None)
@given(states=_rewirings(), moved=st.booleans())
def test_chains_of_dependency_edits_find_every_cycle(
    states: list[list[list[int]]], moved: bool
) -> None:
    previous: Plan | None = None
    for state in states:
        tasks = [
            {"id": f"T{i}", "title": "t", "phase": "cutover", "depends_on": [f"T{d}" for d in deps]}
            for i, deps in enumerate(state)
        ]
        if moved:
            tasks.reverse()
        document = {
            "schema_version": 1,
            "plan": {"id": "p", "title": "p", "final_data_production": "2026-12-04T17:00:00Z"},
            "tasks": tasks,
        }
        data = _json(document, 1)
        incremental = _outcome(data, "json", previous)
        _assert_same(incremental, _outcome(data, "json"))
        if isinstance(incremental, Plan):
            previous = incremental


# --- reuse, and the edits that must not be missed -----------------------------------------------


@pytest.fixture(scope="module")
def big() -> PlanData:
    make_plan = pytest.importorskip("make_plan").make_plan
    document: PlanData = make_plan(400, seed=3)
    return document


def _load(document: PlanData, previous: Plan | None = None) -> Plan:
    return load_bytes(_json(document, 1), "plan.json", "json", previous=previous)


def test_unchanged_rows_are_the_previous_records(big: PlanData) -> None:
    previous = _load(big)
    edited = json.loads(json.dumps(big))
    edited["tasks"][200]["title"] = "Renamed — with a non-ASCII dash"
    edited["revision"] += 1
    edited["log"].append({"at": "2026-12-04T15:00:00Z", "text": "T0201 renamed"})
    plan = _load(edited, previous)
    assert plan == _load(edited)
    assert plan.tasks[199] is previous.tasks[199]
    assert plan.tasks[201] is previous.tasks[201]
    assert plan.tasks[200] is not previous.tasks[200]
    assert plan.log[:-1] == previous.log
    assert plan.log[0] is previous.log[0]
    found = lineage(plan)
    assert found is not None
    assert found.tasks is previous.tasks
    assert found.derived is previous.derived
    assert (found.fresh_tasks, found.same_positions, found.same_checkpoints) == ((200,), True, True)


def test_inserted_and_removed_tasks_shift_the_rest(big: PlanData) -> None:
    previous = _load(big)
    edited = json.loads(json.dumps(big))
    extra = {**edited["tasks"][10], "id": "NEW-1", "depends_on": []}
    edited["tasks"].insert(5, extra)
    needed = {ref for task in edited["tasks"] for ref in task.get("depends_on", [])}
    needed |= {ref for item in edited["blockers"] + edited["checkpoints"]
               for ref in item.get("tasks", []) + item.get("contingency", [])}  # fmt: skip
    spare = next(i for i in range(300, 400) if edited["tasks"][i]["id"] not in needed)
    del edited["tasks"][spare]
    plan = _load(edited, previous)
    assert plan == _load(edited)
    assert plan.tasks[6] is previous.tasks[5]
    found = lineage(plan)
    assert found is not None
    assert found.fresh_tasks == (5,)
    assert not found.same_positions


@pytest.mark.parametrize(
    "edit",
    [
        "remove a task others depend on",
        "depend on a later task",
        "make a cycle",
        "repeat an id",
        "end before start",
        "a 21-digit number",
        "break the JSON",
        "remove a task a blocker lists",
        "resolve a blocker without saying when",
        "move a rollback task out of contingency",
        "a row where no row can be",
        "go-live before final data production",
        "rename a task others depend on",
    ],
)
def test_problems_of_an_edit_are_those_of_a_whole_load(big: PlanData, edit: str) -> None:
    previous = _load(big)
    edited = json.loads(json.dumps(big))
    tasks = edited["tasks"]
    depended = next(t["depends_on"][0] for t in tasks[100:] if t.get("depends_on"))
    if edit == "remove a task others depend on":
        edited["tasks"] = [t for t in tasks if t["id"] != depended]
    elif edit == "depend on a later task":
        tasks[10]["depends_on"] = [tasks[300]["id"]]
    elif edit == "make a cycle":
        later = next(t for t in tasks if depended in t.get("depends_on", []))
        next(t for t in tasks if t["id"] == depended)["depends_on"] = [later["id"]]
    elif edit == "repeat an id":
        tasks[20]["id"] = tasks[21]["id"]
    elif edit == "end before start":
        tasks[30]["planned_start"] = "2027-01-01T00:00:00Z"
        tasks[30].pop("duration", None)
        tasks[30]["planned_end"] = "2026-01-01T00:00:00Z"
    elif edit == "a 21-digit number":
        tasks[40]["extra"] = {"n": 10**20 + 1}
    elif edit == "remove a task a blocker lists":
        listed = next(b["tasks"][0] for b in edited["blockers"] if b.get("tasks"))
        edited["tasks"] = [t for t in tasks if t["id"] != listed]
        for task in edited["tasks"]:
            task["depends_on"] = [d for d in task.get("depends_on", []) if d != listed]
    elif edit == "resolve a blocker without saying when":
        blocker = next(b for b in edited["blockers"] if b.get("status") != "resolved")
        blocker["status"] = "resolved"
    elif edit == "rename a task others depend on":
        next(t for t in tasks if t["id"] == depended)["id"] = "RENAMED"
    elif edit == "go-live before final data production":
        edited["plan"]["go_live"] = "2026-12-01T08:00:00Z"
    elif edit == "move a rollback task out of contingency":
        listed = next(c["contingency"][0] for c in edited["checkpoints"] if c.get("contingency"))
        next(t for t in tasks if t["id"] == listed)["phase"] = "cutover"
    data = _json(edited, 1)
    if edit == "break the JSON":
        data = data.replace(b'"id": "T0050"', b'"id": T0050"', 1)
    elif edit == "a row where no row can be":
        # The last log entry's bytes, moved to follow "1." at the end: not JSON, yet a frame
        # reading the run's token as part of a number would parse.
        text = data.decode()
        start = text.rindex("{", 0, text.rindex('"text"'))
        end = text.index("}", start) + 1
        row = text[start:end]
        text = text[:start].rstrip().rstrip(",") + text[end:]
        data = (text.rstrip().removesuffix("}") + f', "extra": {{"n": 1.{row}}}}}').encode()
    whole = _outcome(data, "json")
    _assert_same(_outcome(data, "json", previous), whole)
    if edit == "depend on a later task":
        assert isinstance(whole, Plan)  # allowed: the order of the list is not the order of work
    else:
        assert isinstance(whole, list)


def test_a_changed_time_zone_reads_every_local_time_again(minimal_plan: Any) -> None:
    document = minimal_plan()
    document["plan"]["timezone"] = "Europe/London"
    document["tasks"] = [
        {"id": "A", "title": "A", "phase": "cutover", "planned_start": "2026-12-04T18:00:00"}
    ]
    previous = _load(document)
    document["plan"]["timezone"] = "Asia/Kolkata"
    plan = _load(document, previous)
    assert plan == _load(document)
    assert plan.tasks[0].planned_start != previous.tasks[0].planned_start


def test_a_plan_from_elsewhere_is_loaded_whole(minimal_plan: Any) -> None:
    """A `previous` that was not loaded by `load_bytes` (or is TOML) gives nothing to reuse."""
    document = minimal_plan()
    built = validate(document, "built")
    assert _load(document, built) == built
    from_toml = load_bytes(tomli_w.dumps(document).encode(), "plan.toml", "toml")
    assert _load(document, from_toml) == built


def test_loads_from_the_same_previous_plan_do_not_trust_each_other(minimal_plan: Any) -> None:
    """A retry from the same previous plan must not rely on what another load worked out."""
    document = minimal_plan()
    document["tasks"] = [
        {"id": "X", "title": "X", "phase": "cutover"},
        {"id": "Y", "title": "Y", "phase": "cutover", "depends_on": ["X"]},
        {"id": "Z", "title": "Z", "phase": "cutover"},
    ]
    previous = _load(document)
    swapped = json.loads(json.dumps(document))  # X now follows Y: ranks must change
    swapped["tasks"][0]["depends_on"] = []
    swapped["tasks"][1]["depends_on"] = []
    swapped["tasks"][0]["depends_on"] = ["Y"]
    assert isinstance(_outcome(_json(swapped, 1), "json", previous), Plan)
    cycle = json.loads(json.dumps(document))  # Y still depends on X; X now depends on Y
    cycle["tasks"][0]["depends_on"] = ["Y"]
    cycle["tasks"][2]["title"] = "Z changed"
    whole = _outcome(_json(cycle, 1), "json")
    assert isinstance(whole, list)
    _assert_same(_outcome(_json(cycle, 1), "json", previous), whole)


def test_a_chain_of_loads_keeps_track_of_the_order_of_work(minimal_plan: Any) -> None:
    """A cycle through dependencies edited in two different loads is still found."""
    document = minimal_plan()
    document["tasks"] = [
        {"id": "X", "title": "X", "phase": "cutover"},
        {"id": "Y", "title": "Y", "phase": "cutover", "depends_on": ["X"]},
    ]
    first = _load(document)
    document["tasks"][0]["depends_on"] = ["Y"]  # X after Y now
    document["tasks"][1]["depends_on"] = []
    second = _load(document, first)
    assert second == _load(document)
    document["tasks"][1]["depends_on"] = ["X"]  # and Y after X: a cycle
    whole = _outcome(_json(document, 1), "json")
    assert isinstance(whole, list)
    _assert_same(_outcome(_json(document, 1), "json", second), whole)


def test_toml_rows_are_matched_by_value(big: PlanData) -> None:
    make_plan = pytest.importorskip("make_plan")
    document = make_plan.build_document(60, seed=4)

    def load(previous: Plan | None = None) -> Plan:
        return load_bytes(tomli_w.dumps(document).encode(), "p.toml", "toml", previous=previous)

    previous = load()
    document["tasks"][7]["title"] = "Changed"
    plan = load(previous)
    assert plan == load()
    assert plan.tasks[8] is previous.tasks[8]
    found = lineage(plan)
    assert found is not None
    assert (found.fresh_tasks, found.same_positions) == ((7,), True)
    document["tasks"].insert(0, document["tasks"].pop(20))  # as many tasks, in another order
    moved = load(plan)
    assert moved == load()
    assert moved.tasks[9] is plan.tasks[8]
    found = lineage(moved)
    assert found is not None
    assert (found.fresh_tasks, found.same_positions) == ((), False)


# --- figures of an incremental plan -------------------------------------------------------------

MOMENTS = [datetime(2026, 12, 4, 12, tzinfo=UTC) + timedelta(hours=h) for h in (-30, 0, 5, 30)]


def _figures(plan: Plan) -> list[Any]:
    """Every figure the screens and `status --json` ask for, at a few moments."""
    found: list[Any] = [
        insight.status_counts(plan),
        insight.progress(plan),
        insight.cutover_finished(plan),
        [task.id for task in insight.critical_path(plan)],
        [task.id for task in insight.rollback_tasks(plan)],
    ]
    index = insight.plan_index(plan)
    for now in MOMENTS:
        found += [
            insight.sla(plan, now),
            insight.forecast_cutover_end(plan, now),
            insight.rollback_now_end(plan, now),
            insight.summary(plan, now),
            [task.id for task in index.late(now)],
            [task.id for task in index.starting_within(now, timedelta(hours=6))],
            index.next_change(now),
        ]
    found.append([task.id for task in index.in_progress])
    return found


@EDITS
@given(data=st.data(), document=valid_plans())
def test_figures_of_an_incremental_plan_are_those_of_a_whole_load(
    data: st.DataObject, document: PlanData
) -> None:
    previous = load_bytes(_json(document, 1), "plan.json", "json")
    _figures(previous)  # as on screen: the previous plan's figures are there to patch
    for _ in range(data.draw(st.integers(1, 3))):
        document = data.draw(_edit(document))
        new_bytes = _json(document, 1)
        plan = _outcome(new_bytes, "json", previous)
        if not isinstance(plan, Plan):
            continue
        assert _figures(plan) == _figures(load_bytes(new_bytes, "plan.json", "json"))
        previous = plan


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=valid_plans(), now=st.sampled_from(MOMENTS))
def test_schedule_figures_agree_with_their_first_versions(
    document: PlanData, now: datetime
) -> None:
    plan = validate(document, "plan")
    assert insight.critical_path(plan) == schedule._critical_path(plan)
    assert insight.forecast_cutover_end(plan, now) == schedule._forecast_cutover_end(plan, now)
    finishes = insight.projected_finishes(insight.rollback_tasks(plan), now,
                                          ignore_planned_starts=True)  # fmt: skip
    known = [moment for moment in finishes.values() if moment is not None]
    expected = max(known) if finishes and len(known) == len(finishes) else None
    assert insight.rollback_now_end(plan, now) == expected


def test_figures_follow_a_long_live_session(big: PlanData) -> None:
    """Edit after edit (statuses, actual times, new log lines), each figure as if loaded anew."""
    document = json.loads(json.dumps(big))
    previous = _load(document)
    _figures(previous)
    tasks = document["tasks"]
    for step, task in enumerate(t for t in tasks if t.get("status", "not-started") != "done"):
        if step == 12:
            break
        if task.get("status", "not-started") == "not-started":
            task["status"], task["actual_start"] = "in-progress", "2026-12-04T14:00:00Z"
        else:
            task["status"], task["actual_end"] = "done", "2026-12-04T16:00:00Z"
            task.setdefault("actual_start", "2026-12-04T13:00:00Z")
        document["revision"] += 1
        document["log"].append({"at": "2026-12-04T15:00:00Z", "text": f"{task['id']} moved on"})
        plan = _load(document, previous)
        found = lineage(plan)
        assert found is not None
        assert found.same_positions
        assert _figures(plan) == _figures(_load(document))
        previous = plan
    # Tasks added and removed: carried-over tasks move, figures follow.
    needed = {ref for task in tasks for ref in task.get("depends_on", [])}
    needed |= {ref for item in document["blockers"] + document["checkpoints"]
               for ref in item.get("tasks", []) + item.get("contingency", [])}  # fmt: skip
    for step in range(4):
        if step % 2:
            spare = next(i for i in range(50 + step, len(tasks)) if tasks[i]["id"] not in needed)
            del tasks[spare]
        else:
            tasks.insert(100 * step, {**tasks[7], "id": f"ADDED-{step}", "depends_on": []})
        plan = _load(document, previous)
        found = lineage(plan)
        assert found is not None
        assert found.in_order
        assert not found.same_positions
        assert _figures(plan) == _figures(_load(document))
        previous = plan


def _runbook(minimal_plan: Any, *tasks: tuple[str, str, list[str]]) -> PlanData:
    document: PlanData = minimal_plan()
    document["tasks"] = [
        {"id": ident, "title": ident, "phase": "cutover", "duration": span, "depends_on": deps}
        for ident, span, deps in tasks
    ]
    return document


def test_the_critical_path_breaks_ties_by_plan_order(minimal_plan: Any) -> None:
    document = _runbook(
        minimal_plan, ("A", "1h", []), ("B", "1h", []), ("C", "1h", ["B", "A"]), ("D", "2h", [])
    )
    plan = _load(document)
    assert [task.id for task in insight.critical_path(plan)] == ["A", "C"]
    assert insight.critical_path(plan) == schedule._critical_path(plan)
    # Listed out of the order of work, two chains as long: the one that ends earlier in the plan.
    document = _runbook(minimal_plan, ("A", "1h", ["B"]), ("B", "1h", []), ("C", "2h", []))
    plan = _load(document)
    assert [task.id for task in insight.critical_path(plan)] == ["B", "A"]
    assert insight.critical_path(plan) == schedule._critical_path(plan)


def test_the_critical_path_follows_a_changed_duration(minimal_plan: Any) -> None:
    document = _runbook(
        minimal_plan, ("A", "1h", []), ("B", "2h", ["A"]), ("C", "1h", ["A"]), ("D", "1m", [])
    )
    previous = _load(document)
    assert [task.id for task in insight.critical_path(previous)] == ["A", "B"]
    document["tasks"][2]["duration"] = "5h"
    plan = _load(document, previous)
    assert [task.id for task in insight.critical_path(plan)] == ["A", "C"]
    document["tasks"][3]["title"] = "D, renamed"  # nothing that counts changes: kept as it was
    again = _load(document, plan)
    assert insight.critical_path(again) == insight.critical_path(plan)


def test_a_copy_of_a_plan_works_out_its_own_figures(big: PlanData) -> None:
    """`model_copy` copies the model's ``__dict__``, where a plan keeps what it worked out."""
    plan = _load(big)
    insight.rollback_tasks(plan)
    insight.critical_path(plan)
    decided = plan.model_copy(update={"checkpoints": (), "tasks": plan.tasks[:50]})
    assert decided.derived == {}
    assert insight.rollback_tasks(decided) == [t for t in decided.tasks if t.phase == "contingency"]
    assert insight.critical_path(decided) == schedule._critical_path(decided)
    assert len(decided.task_by_id) == 50
    # Nor is a copy a plan the loader can build on: its rows are not the document's.
    assert _load(big, decided) == plan


def test_figures_follow_tasks_added_and_removed_among_equals(minimal_plan: Any) -> None:
    """Many tasks due at the same moment (ties kept in plan order), then tasks come and go."""
    document = minimal_plan()
    document["tasks"] = [
        {
            "id": f"T{i}",
            "title": "t",
            "phase": "cutover",
            "status": ["not-started", "in-progress"][i % 2],
            "planned_start": "2026-12-04T13:00:00Z",
            "duration": "1h",
        }
        for i in range(12)
    ]
    previous = _load(document)
    _figures(previous)
    steps = [
        lambda tasks: tasks.insert(0, {**tasks[3], "id": "NEW", "status": "blocked"}),
        lambda tasks: tasks.pop(6),
        lambda tasks: tasks.insert(4, {**tasks[1], "id": "NEWER", "status": "done"}),
        lambda tasks: tasks.pop(9),
        lambda tasks: tasks.pop(2),
    ]
    for step in steps:
        step(document["tasks"])
        plan = _load(document, previous)
        found = lineage(plan)
        assert found is not None
        assert not found.same_positions
        assert _figures(plan) == _figures(_load(document))
        previous = plan


def test_the_same_document_again_is_the_plan_already_loaded(minimal_plan: Any) -> None:
    """A source reads the file on screen once it starts following it: nothing to parse again."""
    data = json.dumps(minimal_plan()).encode()
    first = load_bytes(data, "plan.json", "json")
    assert load_bytes(data, "plan.json", "json", previous=first) is first
    assert load_bytes(data + b"\n", "plan.json", "json", previous=first) == first  # parsed
    with pytest.raises(PlanError):
        load_bytes(b"", "plan.json", "json", previous=first)  # empty is still refused
    toml = tomli_w.dumps(minimal_plan()).encode()
    from_toml = load_bytes(toml, "plan.toml", "toml")
    again = load_bytes(toml, "plan.toml", "toml", previous=from_toml)
    assert again == from_toml
