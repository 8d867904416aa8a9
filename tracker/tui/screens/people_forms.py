"""Forms for speakers and sources."""

from __future__ import annotations

from typing import Any, ClassVar

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
        self.record = record

    def title_text(self) -> Text:
        return Text(f"Edit speaker #{self.record.id}" if self.record else self.heading)

    def fields(self) -> ComposeResult:
        r = self.record
        aliases = "\n".join(a.text for a in r.aliases if a.kind != "role") if r else ""
        yield field("Name", Input(r.name if r else "", id="name"), "name")
        yield field(
            "Kind",
            Select(
                [(k, k) for k in SPEAKER_KINDS],
                value=r.kind if r else "person",
                allow_blank=False,
                id="kind",
            ),
            "kind",
        )
        yield field(
            "Aliases", TextArea(aliases, id="aliases", classes="short"), "aliases", "one per line"
        )
        yield field(
            "Add roles",
            TextArea("", id="roles", classes="short"),
            "roles",
            "one per line: TITLE;ORGANISATION;FROM;TO",
        )
        yield field(
            "Wikidata id",
            Input(r.wikidata_qid or "" if r else "", id="wikidata_qid"),
            "wikidata_qid",
            "e.g. Q6279",
        )
        yield field(
            "Notes", TextArea(r.notes or "" if r else "", id="notes", classes="short"), "notes"
        )

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
        self.record = record
        self.reports_on_title = reports_on_title

    def title_text(self) -> Text:
        return Text(f"Edit source #{self.record.id}" if self.record else self.heading)

    def fields(self) -> ComposeResult:
        r = self.record
        yield field("Title", Input(r.title if r else "", id="title"), "title")
        yield field(
            "Kind",
            Select(
                [(k, k) for k in SOURCE_KINDS],
                value=r.kind if r else "article",
                allow_blank=False,
                id="kind",
            ),
            "kind",
        )
        yield field("Publisher", Input(r.publisher or "" if r else "", id="publisher"), "publisher")
        yield field(
            "Authors",
            Input(", ".join(r.authors) if r else "", id="authors"),
            "authors",
            "comma separated",
        )
        yield field("URL", Input(r.url or "" if r else "", id="url"), "url")
        yield field(
            "Published",
            Input(r.published_on or "" if r else "", id="published_on"),
            "published_on",
            "2021-03-18",
        )
        accessed = r.accessed_on.isoformat() if r and r.accessed_on else ""
        yield field("Accessed", Input(accessed, id="accessed_on"), "accessed_on", "YYYY-MM-DD")
        exclude = frozenset({r.id}) if r else frozenset()
        yield field(
            "Reports on",
            SourcePicker(
                self.db,
                record_id=r.reports_on_id if r else None,
                label=self.reports_on_title,
                allow_new=False,
                exclude=exclude,
                id="reports_on",
            ),
            "reports_on",
            "the source this one reports (optional)",
        )
        yield field(
            "Notes", TextArea(r.notes or "" if r else "", id="notes", classes="short"), "notes"
        )

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
