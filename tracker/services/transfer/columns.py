"""The fields of an import row, and the columns of tracker's own exports.

Every reader and mapping produces rows as ``{field: value}`` dicts keyed by
the names below; the importer knows nothing else. An export writes the same
names as its header, so ``tracker import FILE --format csv`` recognises an
export by its header and needs no mapping.

Values in a row are strings as read (or, from JSON, strings, numbers,
lists), except the list fields: in tracker's own CSV/TSV exports they are
JSON arrays in one cell; in JSON Lines, real arrays.
"""

from __future__ import annotations

# What a row becomes.
RECORDS = ("quote", "claim", "quote+claim", "speaker", "source")

# Fields an import maps columns to (docs/import.md lists them with meanings).
ROW_FIELDS = (
    "key",  # the row's stable key (else a hash of speaker, text and source)
    "text",  # the quote's text; the claim's too unless claim_text is given
    "claim_text",
    "speaker",  # the name as written
    "speaker_id",  # an existing speaker's id, instead of a name
    "speaker_kind",  # person | organisation
    "speaker_role",  # job title, added as a role if the speaker lacks it
    "speaker_party",
    "speaker_region",
    "speaker_wikidata",
    "mode",  # direct | indirect | mixed
    "said_on",
    "venue",
    "start_offset",
    "end_offset",
    "prefix",
    "suffix",
    "tags",
    "notes",
    "source_title",
    "source_url",
    "source_kind",
    "source_publisher",
    "published",
    "claim_kind",  # fact | prediction | promise | opinion
    "due",
    "quote_keys",  # a claim resting on quotes already imported, by key
    "rating",  # a verdict's label on its scale
    "scale",
    "reviewer",
    "reviewed_at",
    "rationale",
    "evidence",  # links
    "verdicts",  # a whole verdict history (tracker's own claim exports)
)

LIST_FIELDS = frozenset(
    {"tags", "quote_keys", "evidence", "verdicts", "aliases", "roles", "authors"}
)

# The header of each kind of tracker export, in order. An import whose
# header is exactly one of these (plus, in a rejects file, "_line" and
# "_reason" at the end) is read as that kind with no mapping.
QUOTE_COLUMNS = (
    "key",
    "text",
    "speaker",
    "speaker_kind",
    "mode",
    "said_on",
    "venue",
    "source_title",
    "source_url",
    "source_kind",
    "source_publisher",
    "published",
    "start_offset",
    "end_offset",
    "prefix",
    "suffix",
    "tags",
    "notes",
)

CLAIM_COLUMNS = (
    "key",
    "text",
    "claim_kind",
    "speaker",
    "speaker_kind",
    "said_on",
    "due",
    "status",  # the latest verdict's rating: written, ignored on import
    "tags",
    "notes",
    "quote_keys",
    "verdicts",
)

SPEAKER_COLUMNS = (
    "name",
    "kind",
    "party",
    "region",
    "wikidata_qid",
    "aliases",  # [{"text": ..., "kind": ...}]
    "roles",  # [{"title", "organisation", "start", "end"}]
    "notes",
)

SOURCE_COLUMNS = (
    "key",  # the source's url, else its title
    "title",
    "url",
    "kind",
    "publisher",
    "authors",
    "published",
    "accessed",
    "reports_on",  # the key of the source this one reports on
    "notes",
)

OWN_COLUMNS = {
    "quote": QUOTE_COLUMNS,
    "claim": CLAIM_COLUMNS,
    "speaker": SPEAKER_COLUMNS,
    "source": SOURCE_COLUMNS,
}
REJECT_COLUMNS = ("_line", "_reason")


def own_kind(header: tuple[str, ...] | list[str]) -> str | None:
    """The kind of tracker export this header is, or None."""
    names = tuple(header)
    if names[-2:] == REJECT_COLUMNS:
        names = names[:-2]
    for kind, columns in OWN_COLUMNS.items():
        if names == columns:
            return kind
    return None


def content_key(speaker: str | None, text: str, source: str | None) -> str:
    """A row's key when no id column is mapped: a hash of the speaker's name
    as written, the text and the source (its url, else its title), each
    with its spacing and case folded, so a re-typed copy of the same row
    gets the same key. Exports write it for records that have no stored
    key, so re-importing an export finds them."""
    import hashlib

    parts = [" ".join((part or "").split()).casefold() for part in (speaker, text, source)]
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).hexdigest()
    return f"h:{digest}"
