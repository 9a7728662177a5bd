"""Contacts: who is who on the night, on call first, and which open blockers they are called for."""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable

from ..insight.contacts import contacts_to_call
from ..model import Contact, Plan
from ..sync import Snapshot
from ..widgets.contact_table import ON_CALL, ContactTable
from ..widgets.labelled_text import LabelledText, Row, labelled
from ..widgets.value_label import ValueLabel
from .base import DashboardScreen


class ContactsScreen(DashboardScreen):
    """Every contact; the highlighted one in full below the table."""

    AUTO_FOCUS = "#contact-table"

    DEFAULT_CSS = """
    ContactsScreen {
        #contacts-summary { padding: 0 1; width: 1fr; background: $boost; }
        #contacts-empty { padding: 1 2; color: $text-muted; }
        #contact-detail {
            height: auto; max-height: 10; padding: 0 1;
            border-top: solid $panel-lighten-2;
        }
    }
    """

    def compose_body(self) -> ComposeResult:
        yield ValueLabel(id="contacts-summary")
        yield ValueLabel("No contacts in the plan.", id="contacts-empty")
        yield ContactTable(id="contact-table")
        yield LabelledText(id="contact-detail")

    def show_snapshot(self, snapshot: Snapshot) -> None:
        plan = snapshot.plan
        table = self.query_one(ContactTable)
        table.show_contacts(plan)
        has_contacts = bool(plan.contacts)
        self.query_one("#contacts-empty").display = not has_contacts
        table.display = has_contacts
        on_call = sum(1 for contact in plan.contacts if contact.on_call)
        self.query_one("#contacts-summary", ValueLabel).show(
            Content.assemble(
                (f"{len(plan.contacts)} contacts", "bold"),
                " · ",
                (f"{ON_CALL}: {on_call}", "bold $status-done"),
                (" · on call first, then by party and name", "$text-muted"),
            )
        )
        self._show_detail()

    def show_time(self, now: datetime) -> None:
        """Nothing here changes with time."""

    @on(DataTable.RowHighlighted, "#contact-table")
    def show_highlighted_contact(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        snapshot = self.cutover_app.snapshot
        contact = self.query_one(ContactTable).contact_at_cursor()
        detail = self.query_one("#contact-detail", LabelledText)
        detail.display = contact is not None
        if contact is not None and snapshot is not None:
            detail.show_rows(contact_rows(snapshot.plan, contact))


def contact_rows(plan: Plan, contact: Contact) -> list[Row]:
    """One contact in full, and the open blockers that name them as the one to call."""
    name = Content.styled(contact.name, "bold")
    if contact.on_call:
        name = Content.assemble(name, "  ", (ON_CALL, "bold $status-done"))
    rows = labelled("Name", [name])
    for label, value in (
        ("Role", contact.role),
        ("Party", str(contact.party) if contact.party else None),
        ("Phone", contact.phone),
        ("Email", contact.email),
        ("Channel", contact.channel),
    ):
        rows += labelled(label, [Content(value) if value else Content.styled("—", "$text-muted")])
    called_for = [
        Content.assemble((blocker.id, "bold"), "  ", blocker.title)
        for blocker in plan.blockers
        if blocker.is_open and contact in contacts_to_call(plan, blocker).contacts
    ]
    if called_for:
        rows += labelled("Call for", called_for)
    return rows
