"""Bytes ⇄ `Plan`: hardened parsing of TOML and JSON, validation, and writing both formats.

Everything that reads a document goes through `load_bytes` (`incremental.py`, which builds on
this module), so every source (file, HTTP, server) gets the same limits, the same text cleaning
and the same error messages.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from enum import Enum
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import tomli
import tomli_w
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .document import (
    ID_PATTERN,
    ID_RULE,
    SCHEMA_VERSION,
    SECTION_MODELS,
    Blocker,
    Checkpoint,
    Plan,
    PlanHeader,
    Record,
    Task,
)
from .durations import format_duration
from .errors import PlanError, Problem
from .rules import Finding, Loc, Records, check
from .text import MULTILINE_KEYS, clean_text
from .times import parse_zone

Format = Literal["toml", "json"]

MAX_BYTES = 5 * 1024 * 1024
"""Largest document read (a 10,000-task plan is about 3 MiB of JSON)."""
MAX_DEPTH = 32
MAX_INTEGER = 2**53 - 1
"""Largest integer kept: beyond it JavaScript tools reading the same JSON lose precision."""


def format_for(name: str, data: bytes = b"") -> Format:
    """The format of a document, by its name's extension, else by its first character."""
    lowered = name.lower().split("?", 1)[0]
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith(".toml"):
        return "toml"
    return "json" if data.lstrip()[:1] in (b"{", b"[") else "toml"


def read_path(path: str | Path, source: str | None = None) -> bytes:
    """The bytes of a plan file, refusing what is not a regular, readable file under the cap."""
    source = source or str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise PlanError.single(source, "no such file") from None
    except IsADirectoryError:
        raise PlanError.single(source, "is a folder, not a plan file") from None
    except PermissionError:
        raise PlanError.single(source, "permission denied") from None
    except OSError as error:
        raise PlanError.single(source, f"cannot be read: {error.strerror or error}") from None
    return data


def check_input(data: bytes, source: str) -> None:
    """Refuse a document that is empty, too large or starts with a byte-order mark."""
    if not data:
        raise PlanError.single(source, "is empty (0 bytes)")
    if len(data) > MAX_BYTES:
        raise PlanError.single(source, f"is larger than the {MAX_BYTES // (1024 * 1024)} MiB limit")
    if data.startswith(b"\xef\xbb\xbf"):
        raise PlanError.single(
            source, "starts with a byte-order mark (BOM): save it as UTF-8 without BOM"
        )


def parse_bytes(data: bytes, source: str, fmt: Format | None = None) -> dict[str, Any]:
    """Decode TOML or JSON within the input limits, and clean every string in it."""
    check_input(data, source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PlanError.single(
            source, f"is not UTF-8 text (bad byte at offset {error.start})"
        ) from None
    fmt = fmt or format_for(source, data)
    try:
        raw = _parse_json(text) if fmt == "json" else tomli.loads(text, parse_float=_finite_float)
    except RecursionError:
        raise PlanError.single(source, f"is nested too deeply (limit {MAX_DEPTH} levels)") from None
    except _InputRefused as error:
        raise PlanError.single(source, str(error)) from None
    except json.JSONDecodeError as error:
        message = f"is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        raise PlanError.single(source, message) from None
    except tomli.TOMLDecodeError as error:
        raise PlanError.single(source, f"is not valid TOML: {clean_text(str(error))}") from None
    except ValueError:  # int() refusing a digit string past Python's conversion limit
        raise PlanError.single(source, "contains an integer that is too large") from None
    if not isinstance(raw, dict):
        raise PlanError.single(source, "must be a JSON object (a table of keys) at the top level")
    try:
        cleaned = _clean(raw, depth=1, multiline=False)
    except _InputRefused as error:
        raise PlanError.single(source, str(error)) from None
    assert isinstance(cleaned, dict)
    return cleaned


class _InputRefused(ValueError):
    """Input outside the limits; its text is the reason shown to the user."""


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _InputRefused(f"contains {text!r}: NaN and Infinity are not allowed")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 16:
        raise _InputRefused(f"contains an integer that is too large ({text[:20]}…)")
    return int(text)


def _refuse_constant(name: str) -> Any:
    raise _InputRefused(f"contains {name}: NaN and Infinity are not allowed")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    seen: set[str] = set()
    for key, _ in pairs:  # name the first key that repeats
        if key in seen:
            raise _InputRefused(f"has the key {clean_text(key)[:60]!r} twice in one object")
        seen.add(key)
    raise AssertionError("unreachable")  # pragma: no cover


def _parse_json(text: str) -> Any:
    return json.loads(
        text,
        object_pairs_hook=_unique_keys,
        parse_constant=_refuse_constant,
        parse_float=_finite_float,
        parse_int=_bounded_int,
    )


def _clean(value: Any, *, depth: int, multiline: bool) -> Any:
    """A copy of `value` with every string and key cleaned; refuses too deep or too big."""
    kind = type(value)
    if kind is str:
        return _clean_text(value, multiline)
    if depth > MAX_DEPTH:
        raise _InputRefused(f"is nested too deeply (limit {MAX_DEPTH} levels)")
    if kind is dict:
        cleaned: dict[str, Any] = {}
        deep = depth + 1 > MAX_DEPTH
        for key, item in value.items():
            # The common cases inline (the same checks as the calls they stand for): a plan
            # holds some 200,000 values.
            if type(key) is str and key.isprintable():
                clean_key = key
            else:
                clean_key = _clean_text(str(key), False)
            if clean_key in cleaned:
                raise _InputRefused(f"has the key {clean_key[:60]!r} twice in one table")
            item_kind = type(item)
            if item_kind is str:
                if item.isprintable():
                    cleaned[clean_key] = item
                else:
                    cleaned[clean_key] = clean_text(item, multiline=clean_key in MULTILINE_KEYS)
            elif (item_kind is bool or item is None) and not deep:
                cleaned[clean_key] = item
            else:
                cleaned[clean_key] = _clean(
                    item, depth=depth + 1, multiline=clean_key in MULTILINE_KEYS
                )
        return cleaned
    if kind is list:
        return [
            item
            if type(item) is str and item.isprintable()
            else _clean(item, depth=depth + 1, multiline=False)
            for item in value
        ]
    if kind is int and abs(value) > MAX_INTEGER:
        # str() refuses ints past 4,300 digits, which TOML's hex/octal/binary forms can reach.
        shown = f"{str(value)[:20]}…" if value.bit_length() < 4000 else "thousands of digits"
        raise _InputRefused(f"contains an integer that is too large ({shown})")
    if kind is float and not math.isfinite(value):
        raise _InputRefused("contains NaN or Infinity, which are not allowed")
    return value  # bools, ints, floats, and TOML's datetimes, dates and times


def _clean_text(text: str, multiline: bool) -> str:
    # isprintable() runs at C speed and is False for every character clean_text replaces.
    return text if text.isprintable() else clean_text(text, multiline=multiline)


# --- validation ---------------------------------------------------------------------------------


def validate(raw: dict[str, Any], source: str) -> Plan:
    """A `Plan` from cleaned data, or `PlanError` with every problem found."""
    version = raw.get("schema_version")
    if "schema_version" in raw and (type(version) is not int or version != SCHEMA_VERSION):
        raise PlanError.single(
            source,
            f"unsupported version {_show(version)}: this cutover-tui reads version "
            f"{SCHEMA_VERSION}",
            "schema_version",
        )
    context = {"zone": _declared_zone(raw)}
    findings: list[Finding] = []
    plan: Plan | None = None
    try:
        plan = Plan.model_validate(raw, context=context)
    except ValidationError as error:
        findings += [_finding_from_pydantic(detail) for detail in error.errors()]
    records = Records.of(plan) if plan else _valid_records(raw, context)
    findings += check(records)
    if findings:
        raise PlanError(_problems(findings, raw, source))
    assert plan is not None
    return plan


def problems_of(
    findings: list[Finding], plan_data: Mapping[str, Any], source: str
) -> list[Problem]:
    """Readable problems from findings, in document order."""
    return _problems(findings, plan_data, source)


def _declared_zone(raw: dict[str, Any]) -> ZoneInfo | None:
    header = raw.get("plan")
    name = header.get("timezone") if isinstance(header, dict) else None
    if not isinstance(name, str):
        return None
    try:
        return parse_zone(name)
    except ValueError:
        return None  # reported by the model; local times then get their own clear message


def _valid_records(raw: dict[str, Any], context: dict[str, Any]) -> Records:
    """The records of a broken document that are valid on their own, so rules still run."""
    records = Records()
    records.header = _try(PlanHeader, raw.get("plan"), context)
    sections: dict[str, list[tuple[int, Any]]] = {
        "tasks": records.tasks,
        "blockers": records.blockers,
        "checkpoints": records.checkpoints,
    }
    for section, target in sections.items():
        items = raw.get(section)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            record = _try(SECTION_MODELS[section], item, context)
            if record is not None:
                target.append((index, record))
    tasks = raw.get("tasks")
    if isinstance(tasks, list):
        records.task_ids = {
            t["id"] for t in tasks if isinstance(t, dict) and isinstance(t.get("id"), str)
        }
    return records


_NEUTRAL: dict[type[Record], dict[str, Any]] = {
    PlanHeader: {"id": "x", "title": "?"},
    Task: {"title": "?", "phase": "contingency", "status": "done"},
    Blocker: {"title": "?", "severity": "medium"},
    Checkpoint: {"title": "?", "kind": "go-no-go"},
}
"""Stand-ins for broken fields that let a record's other rules run without false alarms:
a contingency task is never "not contingency", a done task may have ended, a go-no-go may be
decided. Other broken optional fields are left out (no rule fires on an absent value); a
broken required field without a stand-in, or a blocker's status, drops the record from the
rules: its own error is already listed."""
_NOT_NEUTRAL_WHEN_ABSENT = {(Blocker, "status")}
"""Optional fields whose default would make a rule fire falsely (an absent status is 'open')."""


def _try(model: type[Record], data: Any, context: dict[str, Any]) -> Any:
    """`data` as `model` for the rules: with neutral stand-ins for its broken fields."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as error:
        if not isinstance(data, dict):
            return None
        broken = {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]}
    neutral = _NEUTRAL.get(model, {})
    repaired = {key: value for key, value in data.items() if key not in broken}
    for key in broken:
        field = model.model_fields.get(key)
        if key in neutral:
            repaired[key] = neutral[key]
        elif field is not None and (
            field.is_required() or (model, key) in _NOT_NEUTRAL_WHEN_ABSENT
        ):
            return None
    try:
        return model.model_validate(repaired, context=context)
    except ValidationError:
        return None


def _finding_from_pydantic(detail: ErrorDetails) -> Finding:
    loc = tuple(detail["loc"])
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    given = detail.get("input")
    if kind == "missing":
        message = "is required"
    elif kind == "extra_forbidden":
        message = "unknown key" + _suggestion(loc)
    elif kind in ("enum", "literal_error"):
        message = f"must be {ctx.get('expected', 'one of the allowed values')}, not {_show(given)}"
    elif kind == "string_too_long":
        length = len(given) if isinstance(given, str) else "too many"
        message = f"is {length} characters long; the limit is {ctx.get('max_length')}"
    elif kind == "string_pattern_mismatch":
        message = ID_RULE
    elif kind == "string_too_short":
        message = "must not be empty"
    elif kind == "string_type":
        message = f"must be text, not {_show(given)}"
    elif kind == "bool_type":
        message = f"must be true or false, not {_show(given)}"
    elif kind in ("int_type", "int_from_float", "int_parsing"):
        message = f"must be a whole number, not {_show(given)}"
    elif kind == "greater_than_equal":
        message = f"must be at least {ctx.get('ge')}"
    elif kind in ("tuple_type", "list_type"):
        message = f"must be a list, not {_show(given)}"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"must be a table (an object of keys), not {_show(given)}"
    else:
        text = detail["msg"]
        message = text[:1].lower() + text[1:]
    return Finding(loc, message)


def _show(value: Any) -> str:
    """A short, safe rendering of a bad value for a message."""
    if isinstance(value, str):
        return repr(value[:40] + ("…" if len(value) > 40 else ""))
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, datetime | date | time):
        return f"the date/time {value.isoformat()}"
    return repr(value)[:40]


def _suggestion(loc: Loc) -> str:
    """`` (did you mean 'title'?)`` for a misspelt key, when a close allowed key exists."""
    model = _model_at(loc[:-1])
    if model is None or not isinstance(loc[-1], str):
        return ""
    allowed = [(f.alias or name) for name, f in model.model_fields.items()]
    close = difflib.get_close_matches(loc[-1], allowed, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else f" (allowed: {', '.join(allowed)})"


def _model_at(loc: Loc) -> type[BaseModel] | None:
    shape = tuple("#" if isinstance(part, int) else part for part in loc)
    models: dict[tuple[str, ...], type[BaseModel]] = {
        (): Plan,
        ("plan",): PlanHeader,
        ("checkpoints", "#", "criteria", "#"): SECTION_MODELS["checkpoints"]
        .model_fields["criteria"]
        .annotation.__args__[0],  # type: ignore[union-attr]
    }
    for section, model in SECTION_MODELS.items():
        if section != "plan":
            models[(section, "#")] = model
    return models.get(shape)


def _problems(findings: list[Finding], raw: Mapping[str, Any], source: str) -> list[Problem]:
    order = {
        name: rank
        for rank, name in enumerate(["schema_version", "revision", "updated_at", *SECTION_MODELS])
    }

    def position(finding: Finding) -> tuple[int, int, tuple[int, ...]]:
        loc = finding.loc
        index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else -1
        model = SECTION_MODELS.get(str(loc[0])) if loc else None
        fields = list(model.model_fields) if model else []
        # Within a record: the fields' order in the format, then list positions.
        rest = tuple(
            part if isinstance(part, int) else (fields.index(part) if part in fields else 99)
            for part in loc[(2 if index >= 0 else 1) :]
        )
        return (order.get(str(loc[0]), len(order)) if loc else -1, index, rest)

    ordered = sorted(findings, key=position)
    return [Problem(source, render_path(f.loc, raw), f.message) for f in ordered]


def render_path(loc: Loc, raw: Mapping[str, Any]) -> str:
    """``("tasks", 3, "planned_end")`` → ``tasks[3] (C2).planned_end``."""
    text = ""
    for depth, part in enumerate(loc):
        if isinstance(part, int):
            text += f"[{part}]"
            if depth == 1:
                items = raw.get(str(loc[0]))
                item = items[part] if isinstance(items, list) and part < len(items) else None
                ident = item.get("id") if isinstance(item, dict) else None
                if isinstance(ident, str) and len(ident) <= 64 and re.fullmatch(ID_PATTERN, ident):
                    text += f" ({ident})"
        else:
            text += f".{part}" if text else str(part)
    return text


# --- writing ------------------------------------------------------------------------------------


def to_data(plan: Plan) -> dict[str, Any]:
    """The document as plain data, only the keys that were given (so conversion is lossless)."""
    return plan.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude_none=True)


def dump_json(plan: Plan) -> str:
    return json.dumps(to_data(plan), indent=2, ensure_ascii=False) + "\n"


def dump_toml(plan: Plan) -> str:
    """TOML with real TOML datetimes; fails with `PlanError` on what TOML cannot hold (null)."""
    data = plan.model_dump(mode="python", by_alias=True, exclude_unset=True, exclude_none=True)
    return tomli_w.dumps(_tomlable(data, "document"))


def _tomlable(value: Any, where: str) -> Any:
    if isinstance(value, dict):
        return {key: _tomlable(item, f"{where}.{key}") for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_tomlable(item, f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, timedelta):
        return format_duration(value)
    if value is None:
        raise PlanError.single(where, "is null, which TOML cannot hold")
    return value


def dump(plan: Plan, fmt: Format) -> str:
    return dump_json(plan) if fmt == "json" else dump_toml(plan)
