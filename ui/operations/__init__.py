"""Operation helpers: the only way the interface reaches the core.

Each helper wraps one service call (or a few that make one user action), runs it on the database worker, and
broadcasts what changed. Service modules are imported inside the work functions: they bring SQLAlchemy and Alembic
with them (seconds on a slow disk), a cost that belongs on the worker thread after the window has painted.
"""
