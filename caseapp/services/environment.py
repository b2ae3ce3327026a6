"""What the window asks of its surroundings, through the application layer: the data folder, the process's file
permissions, the log file, the password prompt, the bundled resources and the version.

Each is a small function that imports its module when called, so that importing this one costs nothing before
the window's first paint.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path


def version() -> str:
    import caseapp

    return caseapp.__version__


def data_dir() -> Path:
    """The data folder when none is chosen: ``CASEAPP_DATA_DIR``, or the user's data folder."""
    from caseapp import config

    return config.data_dir()


def secure_process() -> None:
    """Everything this process writes from now on is private to its owner."""
    from caseapp import config

    config.secure_process()


def install_log_file(folder: Path) -> logging.Handler:
    """Log to ``logs/caseapp.log`` in the data folder (rotated, owner-only, scrubbed of secrets)."""
    from caseapp import logs

    return logs.install_log_file(folder)


def set_prompter(prompter: Callable[[str, bool], str | None] | None) -> None:
    """Let the window ask for passwords and passphrases (None: the terminal, when there is one)."""
    from caseapp import secrets

    secrets.set_prompter(prompter)


def resource_path(*parts: str) -> Path:
    """A file shipped with the application (icons, translations)."""
    from caseapp import resources

    return resources.resource_path(*parts)
