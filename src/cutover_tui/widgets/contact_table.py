"""Who is who as a table: on-call first, then by party, then by name; updated in place.

Contacts carry no id, so a row is keyed by name and role (a second contact with the same
name and role gets ``#2``): a changed phone number updates a cell, it does not re-add the row.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from ..model import Contact, Plan

ON_CALL = "● ON CALL"
COLUMNS = (
    ("On call", "on_call", 9),
    ("Name", "name", 22),
    ("Role", "role", 30),
    ("Party", "party", 8),
    ("Phone", "phone", 13),
    ("Email", "email", 34),
    ("Channel", "channel", 28),
)
"""(label, key, width) of each column: declared, so no cell is measured."""
_PARTY_ORDER = {"customer": 0, "provider": 1, "shared": 2, "": 3}


def contact_keys(plan: Plan) -> list[tuple[str, Contact]]:
    """Each contact with a stable row key, in plan order."""
    seen: Counter[str] = Counter()
    keyed = []
    for contact in plan.contacts:
        base = f"{contact.name.casefold()}\x1f{(contact.role or '').casefold()}"
        seen[base] += 1
        keyed.append((base if seen[base] == 1 else f"{base}#{seen[base]}", contact))
    return keyed


def contact_cells(contact: Contact) -> tuple[Text, ...]:
    """The row's cells, as literal text; a cell its column cuts ends in an ellipsis (the
    highlighted contact shows in full below the table)."""
    return (
        _cell(ON_CALL, "bold") if contact.on_call else _cell(""),
        _cell(contact.name, "bold"),
        _cell(contact.role or ""),
        _cell(str(contact.party or "")),
        _cell(contact.phone or ""),
        _cell(contact.email or ""),
        _cell(contact.channel or ""),
    )


def _cell(text: str, style: str = "") -> Text:
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")


def _sort_key(cells: tuple[Any, ...]) -> tuple[bool, int, str]:
    on_call, name, party = (cell.plain if isinstance(cell, Text) else str(cell) for cell in cells)
    return (not on_call, _PARTY_ORDER.get(party, 3), name.casefold())


class ContactTable(DataTable[Text]):
    """Every contact of the plan, the people on call at the top."""

    DEFAULT_CSS = """
    ContactTable { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.contacts: dict[str, Contact] = {}
        """The contacts shown, by row key."""

    def on_mount(self) -> None:
        for label, key, width in COLUMNS:
            self.add_column(label, key=key, width=width)

    def show_contacts(self, plan: Plan) -> None:
        """Follow a new snapshot: rows removed, updated cell by cell, added; sorted if changed."""
        keyed = dict(contact_keys(plan))
        kept = self.key_at_cursor()
        changed = False
        for key in [key for key in self.contacts if key not in keyed]:
            self.remove_row(key)
            del self.contacts[key]
            changed = True
        for key, contact in keyed.items():
            old = self.contacts.get(key)
            if old == contact:
                continue
            cells = contact_cells(contact)
            if old is None:
                self.add_row(*cells, key=key)
            else:
                for (_, column, _), new, before in zip(
                    COLUMNS, cells, contact_cells(old), strict=True
                ):
                    if new != before:
                        self.update_cell(key, column, new)
            self.contacts[key] = contact
            changed = True
        if changed:
            self.sort("on_call", "name", "party", key=_sort_key)
            if kept is not None and kept in self.contacts:
                self.move_cursor(row=self.get_row_index(kept), animate=False)

    def key_at_cursor(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def contact_at_cursor(self) -> Contact | None:
        key = self.key_at_cursor()
        return self.contacts.get(key) if key is not None else None
