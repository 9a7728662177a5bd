"""Hostile or broken input: every string is cleaned, and every limit ends in a `PlanError`.

Whatever arrives (a file, an HTTP body), the only exception `load_bytes`/`load_path` may raise is
`PlanError`, and its message names the source and never carries a control character.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from cutover_tui.model import UTC, PlanError, dump_json, dump_toml, load_bytes, load_path
from cutover_tui.model.load import MAX_BYTES, MAX_DEPTH
from cutover_tui.model.text import clean_text

PlanData = dict[str, Any]
MinimalPlan = Callable[[], PlanData]

FFFD = "\ufffd"
HOSTILE = {
    "ESC": "\x1b",
    "BEL": "\x07",
    "NUL": "\x00",
    "C1 CSI": "\x9b",
    "DEL": "\x7f",
    "RIGHT-TO-LEFT OVERRIDE": "\u202e",
    "LEFT-TO-RIGHT ISOLATE": "\u2066",
    "POP DIRECTIONAL ISOLATE": "\u2069",
    "LINE SEPARATOR": "\u2028",
    "TAB": "\t",
    "LINE FEED": "\n",
    "CARRIAGE RETURN": "\r",
}


def refused(data: bytes, source: str) -> str:
    """The message of the `PlanError` loading `data` raises (any other exception fails)."""
    with pytest.raises(PlanError) as caught:
        load_bytes(data, source)
    message = str(caught.value)
    assert message.startswith(f"{source}: "), message
    assert all(line.isprintable() for line in message.splitlines()), message
    return message


def as_json(document: PlanData) -> bytes:
    return json.dumps(document).encode()


# --- text cleaning ------------------------------------------------------------------------------


@pytest.mark.parametrize("char", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("fmt", ["json", "toml"])
def test_hostile_character_in_a_title_becomes_replacement_character(
    minimal_plan: MinimalPlan, char: str, fmt: str
) -> None:
    document = minimal_plan()
    document["plan"]["title"] = f"Go{char}live"
    document["tasks"] = [{"id": "T1", "title": f"[red]{char}[2J", "phase": "cutover"}]
    data = as_json(document) if fmt == "json" else tomli_w.dumps(document).encode()
    plan = load_bytes(data, f"plan.{fmt}")
    assert plan.header.title == f"Go{FFFD}live"
    assert plan.tasks[0].title == f"[red]{FFFD}[2J"


def test_every_string_field_is_cleaned(minimal_plan: MinimalPlan) -> None:
    bad = "\x1b]0;pwned\x07"
    document = minimal_plan()
    document["plan"]["extra"] = {"k": bad}
    document["tasks"] = [
        {"id": "T1", "title": "t", "phase": "cutover", "owner": bad, "workstream": bad}
    ]
    document["blockers"] = [
        {"id": "B1", "title": bad, "owner": bad, "raised_at": "2026-12-04T17:00:00Z"}
    ]
    document["checkpoints"] = [
        {
            "id": "C1",
            "title": bad,
            "at": "2026-12-04T17:00:00Z",
            "criteria": [{"text": bad, "by": bad, "note": bad}],
        }
    ]
    document["contacts"] = [{"name": bad, "phone": bad, "email": bad, "channel": bad}]
    document["log"] = [{"at": "2026-12-04T17:00:00Z", "actor": bad, "text": bad}]
    plan = load_bytes(as_json(document), "plan.json")
    clean = f"{FFFD}]0;pwned{FFFD}"
    assert plan.header.extra == {"k": clean}
    assert (plan.tasks[0].owner, plan.tasks[0].workstream) == (clean, clean)
    assert (plan.blockers[0].title, plan.blockers[0].owner) == (clean, clean)
    criterion = plan.checkpoints[0].criteria[0]
    assert (plan.checkpoints[0].title, criterion.text, criterion.by, criterion.note) == (clean,) * 4
    contact = plan.contacts[0]
    assert (contact.name, contact.phone, contact.email, contact.channel) == (clean,) * 4
    assert (plan.log[0].actor, plan.log[0].text) == (clean, clean)
    assert bad not in dump_json(plan)
    assert "\x1b" not in dump_toml(plan)


@pytest.mark.parametrize("field", ["notes", "description"])
def test_line_breaks_are_kept_in_multiline_fields(minimal_plan: MinimalPlan, field: str) -> None:
    text = "line one\r\nline two\rline three\u2028line four\nline five\x1b[0m"
    expected = f"line one\nline two\nline three\nline four\nline five{FFFD}[0m"
    document = minimal_plan()
    if field == "description":
        document["plan"]["description"] = text
    else:
        document["tasks"] = [{"id": "T1", "title": "t", "phase": "cutover", "notes": text}]
        document["blockers"] = [
            {"id": "B1", "title": "b", "raised_at": "2026-12-04T17:00:00Z", "notes": text}
        ]
    plan = load_bytes(as_json(document), "plan.json")
    if field == "description":
        assert plan.header.description == expected
    else:
        assert plan.tasks[0].notes == expected
        assert plan.blockers[0].notes == expected


def test_line_breaks_are_replaced_in_single_line_fields(minimal_plan: MinimalPlan) -> None:
    document = minimal_plan()
    document["tasks"] = [
        {"id": "T1", "title": "one\r\ntwo\nthree", "phase": "cutover", "owner": "a\u2029b"}
    ]
    document["checkpoints"] = [
        {
            "id": "C1",
            "title": "c",
            "at": "2026-12-04T17:00:00Z",
            "criteria": [{"text": "t", "note": "x\ny"}],
        }
    ]
    plan = load_bytes(as_json(document), "plan.json")
    assert plan.tasks[0].title == f"one{FFFD}{FFFD}two{FFFD}three"
    assert plan.tasks[0].owner == f"a{FFFD}b"
    assert plan.checkpoints[0].criteria[0].note == f"x{FFFD}y"


def test_toml_multiline_string_is_normalised() -> None:
    text = (
        'schema_version = 1\r\ntasks = []\r\n[plan]\r\nid = "p"\r\ntitle = "P"\r\n'
        'final_data_production = 2026-12-04T17:00:00Z\r\ndescription = """\r\nOne\r\nTwo"""\r\n'
    )
    plan = load_bytes(text.encode(), "plan.toml")
    assert plan.header.description == "One\nTwo"


def test_lone_surrogate_becomes_replacement_character(minimal_plan: MinimalPlan) -> None:
    document = minimal_plan()
    data = as_json(document).replace(b'"Test plan"', b'"Test \\ud800 plan"')
    plan = load_bytes(data, "plan.json")
    assert plan.header.title == f"Test {FFFD} plan"
    dump_json(plan).encode("utf-8")  # writable as UTF-8


def test_surrogate_pair_is_one_character(minimal_plan: MinimalPlan) -> None:
    data = as_json(minimal_plan()).replace(b'"Test plan"', b'"Rocket \\ud83d\\ude80"')
    assert load_bytes(data, "plan.json").header.title == "Rocket \U0001f680"


def test_keys_are_cleaned_so_messages_carry_no_control_characters(
    minimal_plan: MinimalPlan,
) -> None:
    document = minimal_plan()
    document["plan"]["ti\x1b[2Jtle"] = "x"
    document["tasks"] = [{"id": "T\x07", "title": "t", "phase": "\x9b31m", "\u202eowner": "x"}]
    message = refused(as_json(document), "plan.json")
    assert message.splitlines() == [
        f"plan.json: plan.ti{FFFD}[2Jtle: unknown key (did you mean 'title'?)",
        "plan.json: tasks[0].id: must use only letters, digits, '-', '_' and '.' (no spaces)",
        "plan.json: tasks[0].phase: must be 'pre-cutover', 'cutover', 'post-cutover' or "
        f"'contingency', not '{FFFD}31m'",
        f"plan.json: tasks[0].{FFFD}owner: unknown key (did you mean 'owner'?)",
    ]


def test_keys_that_collide_once_cleaned_are_refused(minimal_plan: MinimalPlan) -> None:
    document = minimal_plan()
    document["plan"]["extra"] = {"a\x1b": 1, "a\x07": 2}
    assert refused(as_json(document), "plan.json") == (
        f"plan.json: has the key 'a{FFFD}' twice in one table"
    )


def test_clean_text_leaves_ordinary_text_alone() -> None:
    text = "Café \u2013 東京 🚀 [b]markup[/b] \u2018quotes\u2019 ümlaut"
    assert clean_text(text) == text
    assert clean_text(text, multiline=True) == text


# --- size, depth and number limits --------------------------------------------------------------


def test_over_five_mib_is_refused(minimal_plan: MinimalPlan) -> None:
    data = as_json(minimal_plan())
    padded = data + b" " * (MAX_BYTES + 1 - len(data))
    assert refused(padded, "big.json") == "big.json: is larger than the 5 MiB limit"


def test_exactly_five_mib_is_read(minimal_plan: MinimalPlan) -> None:
    data = tomli_w.dumps(minimal_plan()).encode() + b"#"
    padded = data + b"x" * (MAX_BYTES - len(data))
    assert len(padded) == MAX_BYTES
    assert load_bytes(padded, "big.toml").header.id == "test-plan"


def test_over_five_mib_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: cheap to make
    with pytest.raises(PlanError) as caught:
        load_path(path, source="huge.toml")
    assert str(caught.value) == "huge.toml: is larger than the 5 MiB limit"


@pytest.mark.parametrize(
    ("data", "source"),
    [
        (b"[" * 100_000, "deep.json"),
        (b"[" * 100_000 + b"]" * 100_000, "deep.json"),
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "deep.json"),
        (b"x = " + b"[" * 100_000 + b"]" * 100_000, "deep.toml"),
        (b"x = " + b"{a = " * 100_000 + b"1" + b"}" * 100_000, "deep.toml"),
        (b"x = " + b"[" * 40 + b"]" * 40, "deep.toml"),
        (b"x." * 40 + b"x = 1", "deep.toml"),
    ],
    ids=[
        "json-unclosed-arrays",
        "json-arrays",
        "json-objects",
        "toml-arrays",
        "toml-inline-tables",
        "toml-40-arrays",
        "toml-dotted-keys",
    ],
)
def test_deep_nesting_is_refused(data: bytes, source: str) -> None:
    assert refused(data, source) == f"{source}: is nested too deeply (limit {MAX_DEPTH} levels)"


def test_nesting_within_the_limit_is_read(minimal_plan: MinimalPlan) -> None:
    nested: Any = {}
    for _ in range(MAX_DEPTH - 3):  # the top level, plan and the innermost table are the others
        nested = {"k": nested}
    document = minimal_plan()
    document["plan"]["extra"] = nested
    assert load_bytes(as_json(document), "plan.json").header.extra == nested
    document["plan"]["extra"] = {"k": nested}
    assert refused(as_json(document), "plan.json") == (
        f"plan.json: is nested too deeply (limit {MAX_DEPTH} levels)"
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("NaN", "NaN"),
        ("Infinity", "Infinity"),
        ("-Infinity", "-Infinity"),
        ("1e999", "'1e999'"),
        ("-1e999", "'-1e999'"),
    ],
)
def test_json_nan_and_infinity_are_refused(value: str, shown: str) -> None:
    data = f'{{"schema_version": 1, "revision": {value}}}'.encode()
    assert refused(data, "x.json") == (
        f"x.json: contains {shown}: NaN and Infinity are not allowed"
    )


@pytest.mark.parametrize("value", ["nan", "+nan", "-nan", "inf", "+inf", "-inf"])
def test_toml_nan_and_infinity_are_refused(value: str) -> None:
    assert refused(f"x = {value}".encode(), "x.toml") == (
        f"x.toml: contains '{value}': NaN and Infinity are not allowed"
    )


@pytest.mark.parametrize(
    ("data", "source", "message"),
    [
        (
            b'{"revision": 1' + b"0" * 5000 + b"}",
            "x.json",
            "contains an integer that is too large (10000000000000000000…)",
        ),
        (
            b'{"revision": -1' + b"0" * 5000 + b"}",
            "x.json",
            "contains an integer that is too large (-1000000000000000000…)",
        ),
        (
            b'{"revision": 9007199254740992}',
            "x.json",
            "contains an integer that is too large (9007199254740992…)",
        ),
        (
            b"revision = 99999999999999999999",
            "x.toml",
            "contains an integer that is too large (99999999999999999999…)",
        ),
        (b"revision = 1" + b"0" * 5000, "x.toml", "contains an integer that is too large"),
        (
            b"revision = 0x" + b"f" * 5000,
            "x.toml",
            "contains an integer that is too large (thousands of digits)",
        ),
    ],
    ids=["json-5000-digits", "json-negative", "json-2**53", "toml-20-digits", "toml-5000", "hex"],
)
def test_huge_integers_are_refused(data: bytes, source: str, message: str) -> None:
    assert refused(data, source) == f"{source}: {message}"


def test_largest_safe_integer_is_read(minimal_plan: MinimalPlan) -> None:
    document = minimal_plan()
    document["revision"] = 2**53 - 1
    assert load_bytes(as_json(document), "x.json").revision == 2**53 - 1


# --- encodings and shapes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"title": "caf\xe9"}', "is not UTF-8 text (bad byte at offset 14)"),
        (b"\xff\xfe{\x00}\x00", "is not UTF-8 text (bad byte at offset 0)"),
        (b"\xef\xbb\xbf{}", "starts with a byte-order mark (BOM): save it as UTF-8 without BOM"),
        (b"", "is empty (0 bytes)"),
        (b"[]", "must be a JSON object (a table of keys) at the top level"),
        (b'[{"schema_version": 1}]', "must be a JSON object (a table of keys) at the top level"),
        (b'"plan"', "must be a JSON object (a table of keys) at the top level"),
        (b"42", "must be a JSON object (a table of keys) at the top level"),
        (b"null", "must be a JSON object (a table of keys) at the top level"),
        (b'{"a": 1, "a": 2}', "has the key 'a' twice in one object"),
        (b'{"plan": {"id": "x", "id": "y"}}', "has the key 'id' twice in one object"),
        (
            b'{"a": 1,}',
            "is not valid JSON: Expecting property name enclosed in double quotes "
            "(line 1, column 9)",
        ),
    ],
)
def test_unreadable_json_is_refused(data: bytes, message: str) -> None:
    assert refused(data, "plan.json") == f"plan.json: {message}"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"title = 'caf\xe9'", "is not UTF-8 text (bad byte at offset 12)"),
        (b"\xef\xbb\xbfa = 1", "starts with a byte-order mark (BOM): save it as UTF-8 without BOM"),
        (b"", "is empty (0 bytes)"),
        (b"a = 1\na = 2", "is not valid TOML: Cannot overwrite a value (at end of document)"),
        (b"a = \x1b", "is not valid TOML: Invalid value (at line 1, column 5)"),
    ],
)
def test_unreadable_toml_is_refused(data: bytes, message: str) -> None:
    assert refused(data, "plan.toml") == f"plan.toml: {message}"


def test_format_is_guessed_from_content_without_an_extension(minimal_plan: MinimalPlan) -> None:
    document = minimal_plan()
    assert load_bytes(as_json(document), "https://example.com/plan").header.id == "test-plan"
    assert load_bytes(tomli_w.dumps(document).encode(), "-").header.id == "test-plan"


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PlanError) as caught:
        load_path(tmp_path, source="plans/")
    assert str(caught.value) == "plans/: is a folder, not a plan file"


def test_missing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(PlanError) as caught:
        load_path(path)
    assert str(caught.value) == f"{path}: no such file"


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_bytes(b"")
    with pytest.raises(PlanError) as caught:
        load_path(path, source="empty.json")
    assert str(caught.value) == "empty.json: is empty (0 bytes)"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("final_data_production", "9999-12-31T23:59:59-23:59"),
        ("final_data_production", "0001-01-01T00:00:00+23:59"),
        ("planned_start", "9999-12-31T00:00:00Z"),
    ],
)
def test_instant_at_the_edge_of_time_is_refused(
    minimal_plan: MinimalPlan, field: str, value: str
) -> None:
    document = minimal_plan()
    if field == "planned_start":
        document["tasks"] = [
            {"id": "T1", "title": "t", "phase": "cutover", "planned_start": value, "duration": "2d"}
        ]
    else:
        document["plan"][field] = value
    try:
        plan = load_bytes(as_json(document), "plan.json")
    except PlanError:
        return
    # Loaded, so it must be usable: reports move every instant to UTC, forecasts add durations.
    plan.header.final_data_production.astimezone(UTC)
    for task in plan.tasks:
        assert task.planned_finish is not None
