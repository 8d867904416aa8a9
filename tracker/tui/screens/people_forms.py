"""Forms for speakers and sources."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Select, TextArea

from tracker import services as svc
from tracker.db.database import Database
from tracker.services.records import SourceRecord, SpeakerRecord
from tracker.tui.screens.form import FormScreen, field, split_list
from tracker.tui.widgets.pickers import SourcePicker
from tracker.vocab import SOURCE_KINDS, SPEAKER_KINDS


class SpeakerForm(FormScreen):
    """Add or edit a speaker: name, kind, aliases, new roles."""

    heading = "New speaker"
    ERROR_FIELDS: ClassVar[dict[str, str]] = {
        "speaker kind": "kind",
        "alias": "aliases",
        "alias kind": "aliases",
        "role": "roles",
        "role title": "roles",
        "role organisation": "roles",
        "role start": "roles",
        "role end": "roles",
        "Wikidata id": "wikidata_qid",
    }

    def __init__(self, db: Database, record: SpeakerRecord | None = None) -> None:
        super().__init__(db)
        self.load(record)

    def load(self, record: SpeakerRecord | None = None) -> Self:
        """Open on ``record`` (edit), or on a new speaker."""
        self.record = record
        return self.opened()

    def title_text(self) -> Text:
        return Text(f"Edit speaker #{self.record.id}" if self.record else self.heading)

    def fields(self) -> ComposeResult:
        yield field("Name", Input(id="name"), "name")
        yield field(
            "Kind",
            Select([(k, k) for k in SPEAKER_KINDS], allow_blank=False, id="kind"),
            "kind",
        )
        yield field("Aliases", TextArea(id="aliases", classes="short"), "aliases", "one per line")
        yield field(
            "Add roles",
            TextArea(id="roles", classes="short"),
            "roles",
            "one per line: TITLE;ORGANISATION;FROM;TO",
        )
        yield field("Wikidata id", Input(id="wikidata_qid"), "wikidata_qid", "e.g. Q6279")
        yield field("Notes", TextArea(id="notes", classes="short"), "notes")

    def fill(self) -> None:
        r = self.record
        aliases = "\n".join(a.text for a in r.aliases if a.kind != "role") if r else ""
        self.query_one("#name", Input).value = r.name if r else ""
        self.query_one("#kind", Select).value = r.kind if r else "person"
        self.query_one("#aliases", TextArea).text = aliases
        self.query_one("#roles", TextArea).text = ""
        self.query_one("#wikidata_qid", Input).value = (r.wikidata_qid or "") if r else ""
        self.query_one("#notes", TextArea).text = (r.notes or "") if r else ""

    def values(self) -> dict[str, Any]:
        return {
            "name": self.text_of("name"),
            "kind": self.choice_of("kind"),
            "aliases": split_list(self.text_of("aliases"), "\n"),
            "roles": split_list(self.text_of("roles"), "\n"),
            "wikidata_qid": self.text_of("wikidata_qid"),
            "notes": self.text_of("notes"),
        }

    def save(self, values: dict[str, Any]) -> SpeakerRecord:
        roles = [svc.parse_role(spec) for spec in values["roles"]]
        qid = values["wikidata_qid"] or None
        notes = values["notes"] or None
        if self.record is None:
            return svc.add_speaker(
                self.db,
                values["name"],
                kind=values["kind"] or "person",
                aliases=values["aliases"],
                roles=roles,
                wikidata_qid=qid,
                notes=notes,
            )
        r = self.record
        # One service call: all saved or nothing, and one change to undo.
        return svc.edit_speaker(
            self.db,
            r.id,
            expected_version=r.version,
            aliases=values["aliases"],
            new_roles=roles,
            name=values["name"],
            kind=values["kind"],
            wikidata_qid=qid,
            notes=notes,
        )


class SourceForm(FormScreen):
    """Add or edit a source."""

    heading = "New source"
    ERROR_FIELDS: ClassVar[dict[str, str]] = {
        "source kind": "kind",
        "author": "authors",
        "published": "published_on",
        "accessed": "accessed_on",
        "reports_on": "reports_on",
        "source": "reports_on",
    }

    def __init__(
        self, db: Database, record: SourceRecord | None = None, reports_on_title: str = ""
    ) -> None:
        super().__init__(db)
        self.load(record, reports_on_title)

    def load(self, record: SourceRecord | None = None, reports_on_title: str = "") -> Self:
        """Open on ``record`` (edit; ``reports_on_title`` the title of the
        source it reports on), or on a new source."""
        self.record = record
        self.reports_on_title = reports_on_title
        return self.opened()

    def title_text(self) -> Text:
        return Text(f"Edit source #{self.record.id}" if self.record else self.heading)

    def fields(self) -> ComposeResult:
        yield field("Title", Input(id="title"), "title")
        yield field(
            "Kind",
            Select([(k, k) for k in SOURCE_KINDS], allow_blank=False, id="kind"),
            "kind",
        )
        yield field("Publisher", Input(id="publisher"), "publisher")
        yield field("Authors", Input(id="authors"), "authors", "comma separated")
        yield field("URL", Input(id="url"), "url")
        yield field("Published", Input(id="published_on"), "published_on", "2021-03-18")
        yield field("Accessed", Input(id="accessed_on"), "accessed_on", "YYYY-MM-DD")
        yield field(
            "Reports on",
            SourcePicker(self.db, allow_new=False, id="reports_on"),
            "reports_on",
            "the source this one reports (optional)",
        )
        yield field("Notes", TextArea(id="notes", classes="short"), "notes")

    def fill(self) -> None:
        r = self.record
        self.query_one("#title", Input).value = r.title if r else ""
        self.query_one("#kind", Select).value = r.kind if r else "article"
        self.query_one("#publisher", Input).value = (r.publisher or "") if r else ""
        self.query_one("#authors", Input).value = ", ".join(r.authors) if r else ""
        self.query_one("#url", Input).value = (r.url or "") if r else ""
        self.query_one("#published_on", Input).value = (r.published_on or "") if r else ""
        accessed = r.accessed_on.isoformat() if r and r.accessed_on else ""
        self.query_one("#accessed_on", Input).value = accessed
        self.picked("reports_on").load(
            r.reports_on_id if r else None,
            self.reports_on_title,
            exclude=frozenset({r.id}) if r else frozenset(),
        )
        self.query_one("#notes", TextArea).text = (r.notes or "") if r else ""

    def values(self) -> dict[str, Any]:
        return {
            "title": self.text_of("title"),
            "kind": self.choice_of("kind"),
            "publisher": self.text_of("publisher") or None,
            "authors": split_list(self.text_of("authors")),
            "url": self.text_of("url") or None,
            "published_on": self.text_of("published_on") or None,
            "accessed_on": self.text_of("accessed_on") or None,
            "reports_on_id": self.picked("reports_on").record_id,
            "notes": self.text_of("notes") or None,
        }

    def save(self, values: dict[str, Any]) -> SourceRecord:
        if self.record is None:
            title = values.pop("title")
            return svc.add_source(self.db, title, **values)
        return svc.update_source(
            self.db, self.record.id, expected_version=self.record.version, **values
        )
