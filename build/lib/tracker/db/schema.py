"""The schema revision this code expects.

Kept as a constant so that opening a database that is already up to date
needs no Alembic import; a test checks it against the migration scripts'
head, so a new migration without a bump here fails the suite."""

HEAD_REVISION = "0002"
