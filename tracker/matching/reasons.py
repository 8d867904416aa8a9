"""Why a candidate matched, as data; rendered to text once, when a result is built.

Each reason records what matched (which alias or role phrase, of which kind,
with which text) and renders the ``Candidate.why`` string.  Nothing reads a
rendered string back: code that needs the alias text or the role reads it
from these values.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal, TypeAlias


@dataclass(frozen=True, slots=True)
class AliasMatch:
    """A name query compared with one indexed name or alias."""

    label: str
    """How the row is shown: "name" (the display name), "alias", "variant" or
    "misspelling"."""
    text: str
    """The row's text as written."""
    display: bool
    """The row is the speaker's display name (its text is then not repeated)."""
    exact: bool
    """The matching keys are equal."""
    rule: str
    """The comparison's reason ("typo of surname 'x'"), empty when it has none."""

    def render(self) -> str:
        if self.exact:
            return f"exact {self.label}" if self.display else f"exact {self.label} '{self.text}'"
        if self.rule:
            return f"{self.rule}; via {self.label} '{self.text}'"
        return f"similar to {self.label} '{self.text}'"


@dataclass(frozen=True, slots=True)
class WordsJoined:
    """Two query words read as one indexed token ("benn ier" as "bennier")."""

    first: str
    second: str
    joined: str

    def render(self) -> str:
        return f"words joined: '{self.first} {self.second}' as '{self.joined}'"


@dataclass(frozen=True, slots=True)
class CommonName:
    """A full name too frequent to be decided on the name alone."""

    expected: float
    """Other speakers expected to share the name by chance."""

    def render(self) -> str:
        return (
            f"common name (given name and surname both frequent: about {self.expected:.2f} "
            "other speakers expected to share it by chance), please confirm"
        )


@dataclass(frozen=True, slots=True)
class RoleHeld:
    """A title in a name query ("President Bush") held on the query's date."""

    label: str
    on: datetime.date

    def render(self) -> str:
        return f"role '{self.label}' held on {self.on.isoformat()}"


@dataclass(frozen=True, slots=True)
class HonorificOnly:
    """A surname after a form of address that may not fit the speaker ("Mrs Obama")."""

    word: str

    def render(self) -> str:
        return f"'{self.word.capitalize()}' may not fit this given name, please confirm"


Note: TypeAlias = WordsJoined | CommonName | RoleHeld | HonorificOnly
"""What is added after an alias match's reason."""


@dataclass(frozen=True, slots=True)
class RoleSource:
    """The role phrase a role query went through."""

    kind: Literal["role", "reference", "role alias"]
    """A role's title and organisation, one of its references, or an alias of
    kind "role"."""
    text: str
    """The role's label, the reference or the alias, as written."""

    def render(self) -> str:
        return f"{self.kind} '{self.text}'"


@dataclass(frozen=True, slots=True)
class RoleMatch:
    """A role query resolved to one speaker through ``source``."""

    source: RoleSource
    span: str | None
    """When the role was held ("2021-01-20 to ...", "since ..."); ``None`` for a
    role alias of a speaker with no known roles."""
    on: datetime.date | None
    """The query's date, if it had one."""
    held: bool
    """Held on ``on`` (or timeless)."""
    title_only: bool
    """Only the title matched; the query gave no organisation."""

    def render(self) -> str:
        src = self.source.render()
        if self.on is None:
            span = "" if self.span is None else f" ({self.span})"
            why = f"{src}{span}; no date given"
        elif self.span is None:
            why = f"{src} (no dates known)"
        elif self.held:
            why = f"{src} held on {self.on.isoformat()}"
        else:
            why = f"{src} held {self.span}, not on {self.on.isoformat()}"
        return f"{why}; organisation not given" if self.title_only else why


@dataclass(frozen=True, slots=True)
class Completion:
    """An as-you-type suggestion: the unfinished last word completes a token."""

    prefix: str
    token: str | None
    """The completed token; ``None`` when finished words were typed before it
    (they are what was compared)."""

    def render(self) -> str:
        if self.token is not None:
            return f"'{self.prefix}' starts '{self.token}'"
        return f"typed words match, '{self.prefix}' completes a name"
