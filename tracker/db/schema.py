"""The schema revisions this code knows.

Kept as constants so that opening a database that is already up to date
needs no Alembic import, and so that a file can be recognised as tracker's
before anything is written to it (:mod:`tracker.db.ownership`); a test checks
them against the migration scripts, so a new migration without a bump here
fails the suite."""

KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008")
HEAD_REVISION = KNOWN_REVISIONS[-1]
