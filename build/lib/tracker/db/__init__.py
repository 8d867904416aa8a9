"""Database layer: models, engine and sessions, migrations, full-text search."""
