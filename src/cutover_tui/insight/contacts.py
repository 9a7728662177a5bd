"""Who to call about a blocker: its owner matched to the plan's contacts. Pure; no Textual.

Owners are free text ("Delivery Partner (CCG) — Registration Authority") and contacts carry a
name and a role, so the match is by words, case-insensitively, in three steps:

1. the whole owner against each contact's name or role, a substring either way;
2. failing that, the owner's parts (split at dashes, brackets, slashes, commas) against the same,
   keeping the contacts that match the most parts;
3. failing that, the on-call contacts of the party the blocker's tasks share, if they share one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ..model import Blocker, Contact, Party, Plan

MATCH_LIMIT = 3
"""At most this many contacts are offered for one blocker."""
_PART_SEPARATORS = re.compile(r"\s+[\u2014\u2013-]\s+|[()\[\]/,;:&|]|\s+and\s+")
_SHORTEST_PART = 3


class MatchKind(StrEnum):
    OWNER = "owner"
    """A contact's name or role matches the whole owner."""
    OWNER_PART = "owner-part"
    """A contact's name or role matches part of the owner (the best such contacts)."""
    ON_CALL = "on-call"
    """No match on the owner: the on-call contacts of the party the blocker's tasks share."""
    NONE = "none"
    """Nobody found."""


@dataclass(frozen=True, slots=True)
class ContactMatch:
    """The contacts to call about one blocker, and how they were found."""

    kind: MatchKind
    contacts: tuple[Contact, ...] = ()
    party: Party | None = None
    """The party the fallback used (only for `MatchKind.ON_CALL`)."""


def _fold(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _matches(wanted: str, contact: Contact) -> bool:
    """`wanted` (folded) and the contact's name or role contain one another."""
    if len(wanted) < 2:
        return False
    for field in (contact.name, contact.role):
        have = _fold(field)
        if len(have) >= 2 and (wanted in have or have in wanted):
            return True
    return False


def owner_parts(owner: str) -> list[str]:
    """The owner's distinct parts, folded: ``A (B) — C`` gives ``a``, ``b``, ``c``."""
    parts: list[str] = []
    for piece in _PART_SEPARATORS.split(owner):
        folded = _fold(piece)
        if len(folded) >= _SHORTEST_PART and folded not in parts:
            parts.append(folded)
    return parts


def shared_party(plan: Plan, blocker: Blocker) -> Party | None:
    """The party of the blocker's tasks, when every one of them that names a party names it."""
    parties = {
        task.party
        for task_id in blocker.tasks
        if (task := plan.task_by_id.get(task_id)) is not None and task.party is not None
    }
    return parties.pop() if len(parties) == 1 else None


def _on_call_first(contacts: list[Contact]) -> tuple[Contact, ...]:
    ordered = sorted(contacts, key=lambda contact: not contact.on_call)  # stable: plan order
    return tuple(ordered[:MATCH_LIMIT])


def contacts_to_call(plan: Plan, blocker: Blocker) -> ContactMatch:
    """The contacts to call about `blocker`, on-call ones first, at most `MATCH_LIMIT`."""
    owner = _fold(blocker.owner)
    if owner:
        direct = [contact for contact in plan.contacts if _matches(owner, contact)]
        if direct:
            return ContactMatch(MatchKind.OWNER, _on_call_first(direct))
        parts = owner_parts(blocker.owner or "")
        if len(parts) > 1:
            scored = [
                (sum(_matches(part, contact) for part in parts), contact)
                for contact in plan.contacts
            ]
            best = max((score for score, _ in scored), default=0)
            if best:
                found = [contact for score, contact in scored if score == best]
                return ContactMatch(MatchKind.OWNER_PART, _on_call_first(found))
    party = shared_party(plan, blocker)
    if party is not None:
        on_call = [c for c in plan.contacts if c.on_call and c.party is party]
        if on_call:
            return ContactMatch(MatchKind.ON_CALL, tuple(on_call[:MATCH_LIMIT]), party)
    return ContactMatch(MatchKind.NONE)
