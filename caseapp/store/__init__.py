"""Persistence: SQLAlchemy models, engine set-up, migrations, the evidence file store, search, backups."""
