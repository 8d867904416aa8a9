"""The error types that services raise. Callers (CLI, TUI, scripts) catch
:class:`TrackerError` and show its message; nothing was written when one is
raised."""

from __future__ import annotations


class TrackerError(Exception):
    """Base class: something the user can fix, with a message that says what."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field  # the form field at fault, when there is one

    def __str__(self) -> str:
        return self.message


class ValidationError(TrackerError):
    """Bad input: empty text, an unknown id, a date out of order, ..."""


class NotFoundError(ValidationError):
    """A record that does not exist was named."""


class ConflictError(TrackerError):
    """Someone else changed the record since it was read."""


class DatabaseError(TrackerError):
    """The database cannot be opened or written (not SQLite, read-only, locked, too new)."""
