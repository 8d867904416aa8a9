"""The Markdown digest of an export, as text: a claim with its claimant,
verdicts and the quotes it rests on; a quote under its source.

Everything shown came from a user or a file, so it is data, never markup:
:func:`markdown_text` escapes it. :mod:`.exporter` reads the records and
writes these pieces in order."""

from __future__ import annotations

import re
from collections.abc import Sequence

Row = dict[str, object]

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~#&$])")
# What starts a list or a heading underline at the start of a line.
_LINE_START = re.compile(r"([-+=])|\d+(?=[.)])")
_LINK = re.compile(r"https?://[^\s<>]+")
_QUOTE_MARKS = ('"', "“", "‘", "«", "„")


def markdown_text(value: object) -> str:
    """User text as Markdown that shows it literally: every character that
    could start markup is backslash-escaped, and line breaks become spaces
    (a digest shows each field on one line)."""
    text = _SPECIAL.sub(r"\\\1", " ".join(str(value).split()))
    start = _LINE_START.match(text)
    if start is None:
        return text
    if start.group(1):  # "- x" would be a list item: "\- x"
        return "\\" + text
    return text[: start.end()] + "\\" + text[start.end() :]  # "1. x" -> "1\. x"


def link(url: object) -> str:
    """A url as a Markdown autolink, or as escaped text when it is not a plain http(s) url."""
    text = str(url)
    return f"<{text}>" if _LINK.fullmatch(text) else markdown_text(text)


def title(heading: str) -> str:
    return f"# {heading}\n"


def nothing(what: str) -> str:
    return f"\nNo {what}.\n"


def claim_section(claim: Row, quotes: Sequence[Row]) -> str:
    """One claim: what was claimed, by whom, its verdicts oldest first, and
    the quotes it rests on with their speakers and sources."""
    lines = ["", f"## {markdown_text(claim['text'])}", ""]
    speaker = claim.get("speaker")
    if speaker:
        kind = f" ({markdown_text(claim['speaker_kind'])})" if claim.get("speaker_kind") else ""
        lines.append(f"- **Claimant:** {markdown_text(speaker)}{kind}")
    else:
        lines.append("- **Claimant:** not recorded")
    lines.append(f"- **Kind:** {markdown_text(claim['claim_kind'])}")
    for label, name in (("Said", "said_on"), ("Due", "due")):
        if claim.get(name):
            lines.append(f"- **{label}:** {markdown_text(claim[name])}")
    status = claim.get("status")
    lines.append(f"- **Status:** {markdown_text(status) if status else 'no verdict yet'}")
    tags = _strings(claim.get("tags"))
    if tags:
        lines.append(f"- **Tags:** {', '.join(markdown_text(t) for t in tags)}")
    if claim.get("notes"):
        lines.append(f"- **Notes:** {markdown_text(claim['notes'])}")
    lines.append(f"- **Key:** {markdown_text(claim['key'])}")
    verdicts = claim.get("verdicts")
    if isinstance(verdicts, list) and verdicts:
        lines += ["", "### Verdicts, oldest first", ""]
        lines += [_verdict(n, v) for n, v in enumerate(verdicts, 1) if isinstance(v, dict)]
    if quotes:
        lines += ["", "### Quotes it rests on", ""]
        lines += [quote_item(q) for q in quotes]
    return "\n".join(lines) + "\n"


def _verdict(number: int, verdict: dict[str, object]) -> str:
    line = (
        f"{number}. **{markdown_text(verdict['rating'])}** on the "
        f"{markdown_text(verdict['scale'])} scale, {markdown_text(verdict['reviewed_at'])}, "
        f"by {markdown_text(verdict['reviewer'])}."
    )
    if verdict.get("rationale"):
        line += f" {markdown_text(verdict['rationale'])}"
    evidence = _strings(verdict.get("evidence"))
    if evidence:
        line += f"\n   Evidence: {', '.join(link(e) for e in evidence)}"
    return line


def quote_item(quote: Row, *, with_source: bool = True) -> str:
    """A quote as a list item: its words, who said them, when and where
    (its source too, unless listed under it)."""
    words = markdown_text(quote["text"])
    if not str(quote["text"]).lstrip().startswith(_QUOTE_MARKS):
        words = f"“{words}”"
    mode = f" ({markdown_text(quote['mode'])})" if quote.get("mode") not in (None, "direct") else ""
    line = f"- {words}{mode}: {markdown_text(quote['speaker'])}"
    for name in ("said_on", "venue"):
        if quote.get(name):
            line += f", {markdown_text(quote[name])}"
    if with_source and quote.get("source_title"):
        line += f". Source: *{markdown_text(quote['source_title'])}*"
        if quote.get("source_url"):
            line += f", {link(quote['source_url'])}"
    return line


def source_heading(quote: Row) -> str:
    """The heading over a source's quotes, from the first of them."""
    if not quote.get("source_title"):
        return "\n## Quotes with no source\n\n"
    about = [
        markdown_text(quote[name])
        for name in ("source_kind", "source_publisher", "published")
        if quote.get(name)
    ]
    lines = [f"## {markdown_text(quote['source_title'])}", ""]
    if about:
        lines.append(", ".join(about))
    if quote.get("source_url"):
        lines.append(link(quote["source_url"]))
    return "\n" + "\n".join(lines).rstrip("\n") + "\n\n"


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []
