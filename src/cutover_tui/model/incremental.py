"""Reading a document, whole or as an edit of a previous load (`load_bytes(..., previous=plan)`).

A live plan file changes a few rows at a time, but parsing and validating 10,000 tasks takes most
of a second. Given the previous plan, rows whose input is byte for byte what it was reuse that
plan's validated records; only the rest is parsed, cleaned and validated, and the cross-table
rules are checked on the whole plan by a quick pass (`rules.quick_check`) that trusts only what
the previous load proved. The result is always equal to a whole load of the same bytes, and a
document with any problem is loaded whole again, so errors are exactly those of a whole load.

JSON, the format live state travels in, is aligned as bytes: each row's span in the previous
document is remembered, runs of rows found unchanged in the new bytes are replaced by a number
token that no valid document can hold (the loader refuses integers of more than 16 digits), and
only that small "frame" is decoded and parsed, with the same scanner and the same input-limit
hooks as a whole parse. A token counts only where the frame parser meets it as a whole element
of its own section's array, so the frame parses exactly as the whole document would. TOML (the
authoring format) is parsed whole; its rows are matched by their parsed values.

A whole load validates row by row too: no single call holds the interpreter lock for long, so a
reload in a worker thread leaves the event loop free.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from itertools import accumulate, pairwise
from operator import add, itemgetter, sub
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from . import load as _load
from .document import SCHEMA_VERSION, SECTION_MODELS, Plan, Record, Task
from .errors import PlanError
from .load import Format, format_for, parse_bytes, read_path, validate
from .rules import Records, check_ranked, quick_check, topological_ranks
from .text import MULTILINE_KEYS

SECTIONS: dict[str, str] = {
    "tasks": "tasks",
    "blockers": "blockers",
    "checkpoints": "checkpoints",
    "contacts": "contacts",
    "log": "log",
}
"""Top-level arrays loaded row by row: document key → `Plan` field."""
ROW_MODELS: dict[str, type[Record]] = {section: SECTION_MODELS[section] for section in SECTIONS}

CACHE_KEY = "cache"
"""Where a loaded plan keeps what the next load needs (`Plan.load_state`)."""
LINEAGE_KEY = "model.lineage"
"""Where a plan loaded incrementally keeps its `Lineage` (`Plan.derived`)."""

_TOKEN_BASE = 10**20
"""Run tokens are 21-digit integers: the loader refuses every integer of more than 16 digits."""
_WINDOW = 64 * 1024
"""How far past its expected place a row is looked for (rows inserted before it)."""
_RESYNC_ROWS = 8
"""After a changed row, how many of the following old rows to look for."""
_MAX_MISSES = 64
"""Searches for old rows that may fail in one section before the rest of it is parsed anew."""


class Lineage(NamedTuple):
    """How a plan loaded with `previous` relates to it: which tasks are carried over unchanged.

    Holds what figures are patched from, not the previous plan (nor its load cache).
    """

    tasks: tuple[Task, ...]
    """The previous plan's tasks."""
    derived: dict[str, Any]
    """The previous plan's figures (`Plan.derived`), as far as they were computed."""
    fresh_tasks: tuple[int, ...]
    """Positions (ascending) of the tasks validated anew; every other task is carried over."""
    same_positions: bool
    """As many tasks as before, each carried-over task at its old position (the same object)."""
    same_checkpoints: bool
    """The previous plan's checkpoints, every one carried over at its old position."""
    moves: tuple[tuple[int, int, int], ...]
    """The carried-over tasks as runs: (new position, old position, how many), by new position."""
    removed_tasks: tuple[int, ...]
    """Old positions (ascending) of the previous plan's tasks that were not carried over."""
    in_order: bool
    """The carried-over tasks keep their order (old positions ascend with the new)."""


def lineage(plan: Plan) -> Lineage | None:
    """The plan's `Lineage`, when it was loaded incrementally from a previous plan."""
    found = plan.derived.get(LINEAGE_KEY)
    return found if isinstance(found, Lineage) else None


class _Cache:
    """What a loaded plan keeps for loading its next version."""

    __slots__ = ("data", "fmt", "keys", "ranks", "spans", "zone")

    def __init__(
        self,
        fmt: Format,
        zone: str | None,
        ranks: dict[str, int] | None = None,
        *,
        data: bytes = b"",
        spans: dict[str, _Spans] | None = None,
        keys: dict[str, dict[str, int]] | None = None,
    ) -> None:
        self.fmt = fmt
        self.zone = zone
        """The declared time zone: every instant without an offset was read in it."""
        self.ranks = ranks
        """A topological rank of the task ids valid for this plan (`rules.topological_ranks`)."""
        self.data = data
        """JSON: the document's bytes."""
        self.spans = spans or {}
        """JSON: section → where its rows are in `data` (sections in document order)."""
        self.keys = keys or {}
        """TOML: section → the `repr` of each parsed row → its position."""


_Spans = tuple[list[int], list[int]]
"""Where a section's rows are in a document's bytes: from the start of the row before (of the
document for the first) to the row's start, and the row's length. Neither changes when an
edit elsewhere moves the rows, so carrying rows over copies slices."""


def _spans(starts: list[int], ends: list[int]) -> _Spans:
    return [*starts[:1], *map(sub, starts[1:], starts[:-1])], list(map(sub, ends, starts))


def _offsets(spans: _Spans) -> tuple[list[int], list[int]]:
    """The rows' (start, end) byte offsets."""
    steps, lengths = spans
    starts = list(accumulate(steps))
    return starts, list(map(add, starts, lengths))


class _Fallback(Exception):
    """The incremental path cannot vouch for the result: load the document whole."""


# --- entry points -------------------------------------------------------------------------------


def load_path(path: str | Path, source: str | None = None) -> Plan:
    """Read, parse and validate a plan file; `source` is the name used in messages."""
    source = source or str(path)
    data = read_path(path, source)
    return load_bytes(data, source, format_for(str(path), data))


def load_bytes(
    data: bytes, source: str, fmt: Format | None = None, previous: Plan | None = None
) -> Plan:
    """Parse and validate a document; raise `PlanError` listing every problem.

    With `previous` (a plan returned by an earlier `load_bytes`), rows identical to its rows are
    not validated again; the result is the same either way.
    """
    fmt = fmt or format_for(source, data)
    cache = previous.load_state.get(CACHE_KEY) if previous is not None else None
    if previous is not None and isinstance(cache, _Cache) and cache.fmt == fmt:
        if cache.data and cache.data == data:
            return previous  # the very document: a source's first read of the plan on screen
        _load.check_input(data, source)
        try:
            if fmt == "json":
                return _reload_json(data, previous, cache)
            return _reload_toml(parse_bytes(data, source, fmt), previous, cache)
        except _Fallback:
            pass
    return _load_whole(data, source, fmt)


# --- a whole load -------------------------------------------------------------------------------


def _load_whole(data: bytes, source: str, fmt: Format) -> Plan:
    spans: dict[str, _Spans] | None = None
    raw: dict[str, Any] | None = None
    if fmt == "json":
        _load.check_input(data, source)
        try:
            raw, spans = _parse_json_rows(data)
        except Exception:  # any problem: the plain parser reports it in its own words
            raw, spans = None, None
    if raw is None:
        raw = parse_bytes(data, source, fmt)
    plan, ranks = _validate_whole(raw, source)
    cache = _Cache(fmt, _zone_key(raw), ranks)  # never updated from another plan's load
    if fmt == "toml":
        cache.keys = _row_keys(raw)
    elif spans is not None and all(
        len(getattr(plan, SECTIONS[name])) == len(steps) for name, (steps, _) in spans.items()
    ):
        cache.data, cache.spans = data, spans
    plan.load_state[CACHE_KEY] = cache
    return plan


def _validate_whole(raw: dict[str, Any], source: str) -> tuple[Plan, dict[str, int] | None]:
    """`validate(raw, source)`, row by row (no single pydantic call holds the lock for long),
    and a topological rank of its tasks."""
    try:
        _check_version(raw)
        context = {"zone": _load._declared_zone(raw)}
        values = dict(raw)
        for section, model in ROW_MODELS.items():
            rows = raw.get(section)
            if isinstance(rows, list):
                values[section] = [model.model_validate(row, context=context) for row in rows]
        plan = Plan.model_validate(values, context=context)
    except (ValidationError, _Fallback):
        plan = validate(raw, source)  # reports every problem, as it always has
        return plan, topological_ranks(plan.tasks)
    findings, ranks = check_ranked(Records.of(plan))
    if findings:
        raise PlanError(_load.problems_of(findings, raw, source))
    return plan, ranks


def _check_version(raw: dict[str, Any]) -> None:
    """`validate` refuses this version with its own message."""
    version = raw.get("schema_version")
    if "schema_version" in raw and (type(version) is not int or version != SCHEMA_VERSION):
        raise _Fallback


def _zone_key(raw: dict[str, Any]) -> str | None:
    zone = _load._declared_zone(raw)
    return zone.key if zone is not None else None


# --- JSON: rows as byte spans -------------------------------------------------------------------

_DECODER = json.JSONDecoder(
    object_pairs_hook=_load._unique_keys,
    parse_constant=_load._refuse_constant,
    parse_float=_load._finite_float,
    parse_int=_load._bounded_int,
)
_scan: Callable[[str, int], tuple[Any, int]] = _DECODER.scan_once  # type: ignore[attr-defined]
_scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_WHITESPACE: Callable[[str, int], re.Match[str]] = re.compile(r"[ \t\n\r]*").match  # type: ignore[assignment]
"""What the JSON scanner skips between tokens (it always matches, if only the empty string)."""


class _RunRef(int):
    """Where a frame's row array holds a run token: the run's index (not a number read)."""


class _Rows:
    """A row array as the frame parser found it: each row's value (a `_RunRef` for a run
    token) and span in the frame text (characters)."""

    __slots__ = ("ends", "starts", "values")

    def __init__(self) -> None:
        self.values: list[Any] = []
        self.starts: list[int] = []
        self.ends: list[int] = []


class _NotPlain(Exception):
    """Not an object the frame parser reads (`json.loads` either refuses it or reads it alone)."""


def _walk(frame: str, tokens: dict[int, tuple[int, int]]) -> list[tuple[str, Any]]:
    """The top-level (key, value) pairs of `frame`, each row array as `_Rows`.

    Reads what `json.loads(frame)` with the loader's hooks reads, with the same scanner for every
    value, or raises. `tokens` maps a character position to (run index, token length): a token
    stands for a run of rows only where an element of a row array starts.
    """
    pos = _WHITESPACE(frame, 0).end()
    if frame[pos : pos + 1] != "{":
        raise _NotPlain
    pos = _WHITESPACE(frame, pos + 1).end()
    pairs: list[tuple[str, Any]] = []
    if frame[pos : pos + 1] == "}":
        pos += 1
    else:
        while True:
            if frame[pos : pos + 1] != '"':
                raise _NotPlain
            key, pos = _scanstring(frame, pos + 1, True)
            pos = _WHITESPACE(frame, pos).end()
            if frame[pos : pos + 1] != ":":
                raise _NotPlain
            pos = _WHITESPACE(frame, pos + 1).end()
            if key in SECTIONS and frame[pos : pos + 1] == "[":
                rows, pos = _walk_rows(frame, pos + 1, tokens)
                pairs.append((key, rows))
            else:
                value, pos = _scan(frame, pos)
                pairs.append((key, value))
            pos = _WHITESPACE(frame, pos).end()
            if frame[pos : pos + 1] == "}":
                pos += 1
                break
            if frame[pos : pos + 1] != ",":
                raise _NotPlain
            pos = _WHITESPACE(frame, pos + 1).end()
    if _WHITESPACE(frame, pos).end() != len(frame):
        raise _NotPlain
    return pairs


_AFTER_ROW: Callable[[str, int], re.Match[str] | None] = re.compile(
    r"[ \t\n\r]*(?:(,)[ \t\n\r]*|\])"
).match
"""After an element of an array: whitespace, then a comma and whitespace, or the closing bracket."""


def _walk_rows(frame: str, pos: int, tokens: dict[int, tuple[int, int]]) -> tuple[_Rows, int]:
    rows = _Rows()
    pos = _WHITESPACE(frame, pos).end()
    if frame[pos : pos + 1] == "]":
        return rows, pos + 1
    values, starts, ends = rows.values, rows.starts, rows.ends
    scan, after_row = _scan, _AFTER_ROW  # 10,000 rows: every lookup counts
    while True:
        token = tokens.get(pos) if tokens else None
        if token is None:
            value, end = scan(frame, pos)
        else:
            value, end = _RunRef(token[0]), pos + token[1]
        values.append(value)
        starts.append(pos)
        ends.append(end)
        after = after_row(frame, end)
        if after is None:
            raise _NotPlain
        pos = after.end()
        if after.group(1) is None:
            return rows, pos


def _parse_json_rows(data: bytes) -> tuple[dict[str, Any], dict[str, _Spans]]:
    """What `parse_bytes` returns for JSON, and each row's byte span; raises where it would."""
    text = data.decode("utf-8")
    pairs: list[tuple[str, Any]] = []
    spans: dict[str, _Spans] = {}
    for key, value in _walk(text, {}):
        if isinstance(value, _Rows):
            starts = _byte_offsets(text, data, value.starts)
            spans[key] = _spans(starts, _byte_offsets(text, data, value.ends))
            value = value.values
        pairs.append((key, value))
    raw = _load._clean(_load._unique_keys(pairs), depth=1, multiline=False)
    assert isinstance(raw, dict)
    return raw, spans


_CHUNK = 64 * 1024
_NOT_ASCII = re.compile(rb"[\x80-\xff]")


def _byte_offsets(text: str, data: bytes, chars: list[int]) -> list[int]:
    """Where the characters at positions `chars` (ascending) of `text` start in `data`, its UTF-8.

    Before the first non-ASCII byte characters and bytes are one to one, and after the last one
    they are a constant distance apart; only what lies between is encoded, once.
    """
    extra = len(data) - len(text)
    if not extra:
        return list(chars)
    head = _first_not_ascii(data)
    tail = len(text) - (len(data) - _last_not_ascii(data) - 1)  # the first of the ASCII tail
    low = bisect_right(chars, head)
    high = max(bisect_left(chars, tail), low)
    middle: list[int] = []
    last_char = last_byte = head
    for char in chars[low:high]:
        last_byte += len(text[last_char:char].encode("utf-8"))
        last_char = char
        middle.append(last_byte)
    return chars[:low] + middle + [char + extra for char in chars[high:]]


def _first_not_ascii(data: bytes) -> int:
    for chunk in range(0, len(data), _CHUNK):
        if not data[chunk : chunk + _CHUNK].isascii():
            found = _NOT_ASCII.search(data, chunk, chunk + _CHUNK)
            assert found is not None
            return found.start()
    return len(data)


def _last_not_ascii(data: bytes) -> int:
    for chunk in range((len(data) - 1) // _CHUNK * _CHUNK, -1, -_CHUNK):
        if not data[chunk : chunk + _CHUNK].isascii():
            *_, found = _NOT_ASCII.finditer(data, chunk, chunk + _CHUNK)
            return found.start()
    return -1


class _ByteOffsets:
    """Character positions in a frame → byte offsets in the document it stands for.

    Positions are asked in ascending order, so within a piece the count goes on from the last.
    """

    def __init__(self, text: str, pieces: list[tuple[int, int, bool]]) -> None:
        self.text = text
        self.pieces = pieces
        """(first character, its byte offset, whether the piece is ASCII), ascending."""
        self._firsts = [piece[0] for piece in pieces]
        self._last = (0, 0)

    def byte(self, char: int) -> int:
        first, offset, ascii_only = self.pieces[bisect_right(self._firsts, char) - 1]
        if ascii_only:
            return offset + char - first
        last_char, last_byte = self._last
        if not first <= last_char <= char:
            last_char, last_byte = first, offset
        result = last_byte + len(self.text[last_char:char].encode("utf-8"))
        self._last = (char, result)
        return result


class _Run(NamedTuple):
    """Consecutive rows of the previous document, and what lies between them, found again."""

    section: str
    first: int
    """The first row's index in the previous document's section."""
    rows: int
    """How many rows."""
    at: int
    """Where the run starts in the new bytes."""
    length: int
    """Its length in bytes (the same in both documents)."""


def _align(cache: _Cache, data: bytes) -> tuple[list[_Run], dict[str, tuple[list[int], list[int]]]]:
    """Runs of the previous document's rows found unchanged in `data`, in document order, and
    the previous rows' byte offsets.

    Only a guess at what is unchanged: the frame parser verifies it.
    """
    old = cache.data
    runs: list[_Run] = []
    offsets = {section: _offsets(spans) for section, spans in cache.spans.items()}
    cursor = 0  # runs never overlap and keep their order
    shift = 0  # where the new bytes stand relative to the old ones, after the last run
    for section, (starts, ends) in offsets.items():
        count = len(starts)
        index = 0
        misses = 0
        while index < count and misses <= _MAX_MISSES:
            expected = starts[index] + shift
            found = -1
            if expected >= cursor and data.startswith(old[starts[index] : ends[index]], expected):
                found = expected
            else:
                for candidate in range(index, min(count, index + _RESYNC_ROWS)):
                    row = old[starts[candidate] : ends[candidate]]
                    limit = max(starts[candidate] + shift + _WINDOW + len(row), cursor)
                    found = data.find(row, cursor, limit)
                    if found >= 0:
                        index = candidate
                        break
                    misses += 1
                if found < 0:
                    index += _RESYNC_ROWS
                    continue
            limit = min(ends[count - 1] - starts[index], len(data) - found)
            same = _common_prefix(data, found, old, starts[index], limit)
            last = bisect_right(ends, starts[index] + same, index, count) - 1
            length = ends[last] - starts[index]
            runs.append(_Run(section, index, last - index + 1, found, length))
            cursor = found + length
            shift = cursor - ends[last]
            index = last + 1
    return runs, offsets


def _common_prefix(a: bytes, i: int, b: bytes, j: int, limit: int) -> int:
    """The length of the longest common prefix of ``a[i:i+limit]`` and ``b[j:j+limit]``."""
    done, step = 0, 1024
    while done < limit:
        size = min(step, limit - done)
        if a[i + done : i + done + size] == b[j + done : j + done + size]:
            done += size
            step = min(step * 2, 64 * 1024)  # small slices: no large copies
            continue
        low, high = 0, size  # a prefix of `low` bytes matches, one of `high` does not
        while high - low > 1:
            middle = (low + high) // 2
            if a[i + done : i + done + middle] == b[j + done : j + done + middle]:
                low = middle
            else:
                high = middle
        return done + low
    return limit


def _frame(data: bytes, runs: list[_Run]) -> tuple[str, dict[int, tuple[int, int]], _ByteOffsets]:
    """`data` as text with each run replaced by its token; where the tokens are; byte offsets.

    Runs start and end at ASCII characters of a valid UTF-8 document, so the pieces between
    them decode exactly as the whole document would.
    """
    parts: list[str] = []
    tokens: dict[int, tuple[int, int]] = {}
    pieces: list[tuple[int, int, bool]] = []
    char = 0
    byte = 0
    for index, run in enumerate(runs):
        piece = data[byte : run.at].decode("utf-8")
        pieces.append((char, byte, piece.isascii()))
        parts.append(piece)
        char += len(piece)
        token = str(_TOKEN_BASE + index)
        tokens[char] = (index, len(token))
        parts.append(token)
        char += len(token)
        byte = run.at + run.length
    tail = data[byte:].decode("utf-8")
    pieces.append((char, byte, tail.isascii()))
    parts.append(tail)
    text = "".join(parts)
    return text, tokens, _ByteOffsets(text, pieces)


def _reload_json(data: bytes, previous: Plan, cache: _Cache) -> Plan:
    runs, old_offsets = _align(cache, data)
    try:
        frame, tokens, offsets = _frame(data, runs)
        document = _load._unique_keys(_walk(frame, tokens))
        top: dict[str, Any] = {}
        sections: dict[str, _Section] = {}
        used = 0
        for key, value in document.items():
            clean_key = _load._clean_text(str(key), False)
            if clean_key in top:
                raise _Fallback
            if not isinstance(value, _Rows):
                multiline = clean_key in MULTILINE_KEYS
                top[clean_key] = _load._clean(value, depth=2, multiline=multiline)
                continue
            top[clean_key] = section = _Section(previous, cache, clean_key)
            sections[clean_key] = section
            for row, start, end in zip(value.values, value.starts, value.ends, strict=True):
                if type(row) is _RunRef:
                    if runs[row].section != key:
                        raise _Fallback
                    section.carry(runs[row], old_offsets[key][0])
                    used += 1
                else:
                    raw = _load._clean(row, depth=3, multiline=False)
                    section.add(raw, offsets.byte(start), offsets.byte(end))
    except Exception:
        raise _Fallback from None
    if used != len(runs):
        raise _Fallback  # a token was read as something other than rows: not ours to trust
    spans = {name: (section.steps, section.lengths) for name, section in sections.items()}
    return _finish(
        top, sections, previous, cache, _Cache("json", cache.zone, data=data, spans=spans)
    )


class _Section:
    """One row section of the new document: carried-over records, and rows to validate."""

    __slots__ = (
        "cache", "fresh", "keys", "last", "lengths", "models", "moves", "name", "previous", "raws",
        "same_positions", "steps",
    )  # fmt: skip

    def __init__(self, previous: Plan, cache: _Cache, name: str) -> None:
        self.previous = previous
        self.cache = cache
        self.name = name
        self.models: list[Any] = []
        self.fresh: list[int] = []
        """Positions of the rows to validate, ascending."""
        self.raws: list[Any] = []
        """Their cleaned input."""
        self.steps: list[int] = []
        self.lengths: list[int] = []
        """JSON: where every row is in the new document (`_Spans`)."""
        self.last = 0
        """JSON: where the last row so far starts."""
        self.keys: dict[str, int] = {}
        """TOML: every row's `repr` → its position."""
        self.same_positions = True
        """Every carried-over row is at its old position."""
        self.moves: list[list[int]] = []
        """The carried-over rows as runs: [new position, old position, how many]."""

    def carry(self, run: _Run, starts: list[int]) -> None:
        """Take over `run`, whose rows began at `starts` in the previous document."""
        old = getattr(self.previous, SECTIONS[self.name])
        steps, lengths = self.cache.spans[self.name]
        stop = run.first + run.rows
        if stop > len(old) or stop > len(steps):
            raise _Fallback
        self.move(len(self.models), run.first, run.rows)
        self.models.extend(old[run.first : stop])
        self.steps.append(run.at - self.last)
        self.steps.extend(steps[run.first + 1 : stop])
        self.lengths.extend(lengths[run.first : stop])
        self.last = run.at + starts[stop - 1] - starts[run.first]

    def move(self, new: int, old: int, count: int) -> None:
        """Rows `old`… of the previous document become rows `new`…"""
        if new != old:
            self.same_positions = False
        last = self.moves[-1] if self.moves else None
        if last is not None and last[0] + last[2] == new and last[1] + last[2] == old:
            last[2] += count
        else:
            self.moves.append([new, old, count])

    def add(self, raw: Any, start: int = 0, end: int = 0) -> None:
        self.fresh.append(len(self.models))
        self.models.append(None)
        self.raws.append(raw)
        self.steps.append(start - self.last)
        self.lengths.append(end - start)
        self.last = start


def _finish(
    top: dict[str, Any],
    sections: dict[str, _Section],
    previous: Plan,
    cache: _Cache,
    new_cache: _Cache,
) -> Plan:
    """The plan from the cleaned top level (sections as `_Section`), or `_Fallback`.

    Fresh rows are validated one by one, as `Plan.model_validate` would validate them, and the
    plan is built around the records; then `quick_check` must vouch for the rules. The plan
    keeps `new_cache`, completed with its own ranks.
    """
    _check_version(top)
    zone = _load._declared_zone(top)
    if (zone.key if zone is not None else None) != cache.zone:
        raise _Fallback  # every instant without an offset reads differently now
    context = {"zone": zone}
    try:
        for name, section in sections.items():
            model = ROW_MODELS[name]
            for position, raw in zip(section.fresh, section.raws, strict=True):
                section.models[position] = model.model_validate(raw, context=context)
            top[name] = section.models
        plan = Plan.model_validate(top, context=context)
    except ValidationError:
        raise _Fallback from None
    tasks = sections.get("tasks")
    if tasks is None:
        raise _Fallback
    fresh = tuple(tasks.fresh)
    same = tasks.same_positions and len(plan.tasks) == len(previous.tasks)
    same_ids = same and all(plan.tasks[k].id == previous.tasks[k].id for k in fresh)
    if same_ids and "task_by_id" in previous.__dict__:
        by_id = previous.task_by_id.copy()
        for k in fresh:
            by_id[plan.tasks[k].id] = plan.tasks[k]
        plan.__dict__["task_by_id"] = by_id  # what the cached property would hold, sooner
    ranks = quick_check(plan, previous, fresh, cache.ranks, same_ids=same_ids)
    if ranks is None:
        raise _Fallback  # the whole load reports whatever is wrong
    new_cache.ranks = ranks
    plan.load_state[CACHE_KEY] = new_cache
    previous.derived.pop(LINEAGE_KEY, None)  # one generation back is enough: older plans can go
    checkpoints = sections.get("checkpoints")
    same_checkpoints = len(plan.checkpoints) == len(previous.checkpoints) and (
        not plan.checkpoints
        or (checkpoints is not None and checkpoints.same_positions and not checkpoints.fresh)
    )
    moves = tuple((new, old, count) for new, old, count in tasks.moves)
    in_order = all(a[1] + a[2] <= b[1] for a, b in pairwise(moves))
    removed: list[int] = []
    position = 0
    for _, old, count in sorted(moves, key=itemgetter(1)):
        removed.extend(range(position, old))
        position = max(position, old + count)
    removed.extend(range(position, len(previous.tasks)))
    plan.derived[LINEAGE_KEY] = Lineage(
        previous.tasks, previous.derived, fresh, same, same_checkpoints, moves, tuple(removed),
        in_order,
    )  # fmt: skip
    return plan


# --- TOML: rows matched by value ----------------------------------------------------------------


def _row_keys(raw: dict[str, Any]) -> dict[str, dict[str, int]]:
    keys: dict[str, dict[str, int]] = {}
    for section in SECTIONS:
        rows = raw.get(section)
        if isinstance(rows, list):
            keys[section] = {}
            for position, row in enumerate(rows):
                keys[section].setdefault(repr(row), position)
    return keys


def _reload_toml(raw: dict[str, Any], previous: Plan, cache: _Cache) -> Plan:
    """A parsed TOML document as an edit of `previous`: rows with the same `repr` are reused.

    `repr` tells apart every value TOML yields (``1``, ``1.0`` and ``true``; a datetime and its
    offset), so the same text means the same input.
    """
    top: dict[str, Any] = {}
    sections: dict[str, _Section] = {}
    for key, value in raw.items():
        if key not in SECTIONS or not isinstance(value, list):
            top[key] = value
            continue
        old = getattr(previous, SECTIONS[key])
        known = cache.keys.get(key, {})
        top[key] = section = _Section(previous, cache, key)
        sections[key] = section
        for position, row in enumerate(value):
            text = repr(row)
            section.keys.setdefault(text, position)
            found = known.get(text)
            if found is None or found >= len(old):
                section.add(row)
                continue
            section.move(position, found, 1)
            section.models.append(old[found])
    keys = {name: section.keys for name, section in sections.items()}
    return _finish(top, sections, previous, cache, _Cache("toml", cache.zone, keys=keys))
