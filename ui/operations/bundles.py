"""Case bundles from the interface: export, open (verify and preview), import, and the keys behind signatures.

The actions are ``caseapp.services.bundles``; this module runs them on the database worker (exporting and
opening a bundle read the database and stream files, keys live in the system keyring, which may answer slowly)
and hands the result back on the GUI thread.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from caseapp.i18n import _
from caseapp.services import bundles as service
from caseapp.services.bundles import BUNDLE_SUFFIX, Colleague, ExportOptions, KeyInfo, is_bundle
from ui.context import AppContext
from ui.operations.base import mutate, query
from ui.progress import Progress

if TYPE_CHECKING:
    from caseapp.services.core import Core

__all__ = [
    "BUNDLE_SUFFIX",
    "Colleague",
    "ExportOptions",
    "KeyInfo",
    "apply",
    "checkout",
    "create_keys",
    "discard",
    "encryption_of",
    "export",
    "export_card",
    "forget",
    "is_bundle",
    "key_info",
    "open_bundle",
    "trust",
]


# -- keys ---------------------------------------------------------------------------------------------------------


def key_info(ctx: AppContext, *, owner: QObject, on_success: Callable[[KeyInfo], None]) -> None:
    query(ctx, service.key_info, on_success=on_success, owner=owner)


def create_keys(ctx: AppContext, *, owner: QObject, on_success: Callable[[KeyInfo], None]) -> None:
    """This person's signing and encryption keys, made now if they do not exist yet."""
    query(ctx, service.create_keys, on_success=on_success, owner=owner)


def export_card(ctx: AppContext, target: Path, *, owner: QObject, on_success: Callable[[Path], None]) -> None:
    """Write this person's public card (name, signing key, encryption key) for colleagues to trust."""
    query(ctx, lambda core: service.export_card(core, target), on_success=on_success, owner=owner)


def trust(
    ctx: AppContext,
    *,
    fingerprint: str | None,
    card_file: Path | None,
    name: str,
    owner: QObject,
    on_success: Callable[[KeyInfo], None],
    on_failure: Callable[[BaseException], None] | None = None,
) -> None:
    """Trust a colleague's key, given by its fingerprint or by their public card file."""

    def work(core: Core) -> KeyInfo:
        return service.trust(core, fingerprint=fingerprint, card_file=card_file, name=name)

    query(ctx, work, on_success=on_success, on_failure=on_failure, owner=owner)


def forget(ctx: AppContext, fingerprint: str, *, owner: QObject, on_success: Callable[[KeyInfo], None]) -> None:
    query(ctx, lambda core: service.forget(core, fingerprint), on_success=on_success, owner=owner)


# -- export -------------------------------------------------------------------------------------------------------


def export(
    ctx: AppContext,
    case_id: uuid.UUID,
    target: Path,
    options: ExportOptions,
    *,
    parent: QWidget | None,
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None] | None = None,
) -> Progress:
    progress = Progress(_("Writing the case bundle…"))

    def work(core: Core) -> Any:
        return service.export(core, case_id, target, options, progress=progress, cancelled=progress.cancelled)

    query(ctx, work, on_success=on_success, on_failure=on_failure, progress=progress, parent=parent, owner=parent)
    return progress


def checkout(
    ctx: AppContext,
    case_id: uuid.UUID,
    target: Path,
    *,
    again: bool,
    parent: QWidget | None,
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None] | None = None,
) -> Progress:
    """Take the case offline: write its bundle for a laptop (signed when this person has a key) and mark it as
    taken by this person (``caseapp.services.checkouts``); ``again`` takes a case already taken."""
    from caseapp.services import checkouts

    progress = Progress(_("Writing the case bundle…"))

    def work(core: Core) -> Any:
        return checkouts.checkout(core, case_id, target, again=again, progress=progress, cancelled=progress.cancelled)

    mutate(
        ctx,
        work,
        case_id=case_id,
        on_success=on_success,
        on_failure=on_failure,
        progress=progress,
        parent=parent,
        owner=parent,
    )
    return progress


# -- import -------------------------------------------------------------------------------------------------------


def encryption_of(
    ctx: AppContext,
    path: Path,
    *,
    owner: QObject,
    on_success: Callable[[str | None], None],
    on_failure: Callable[[BaseException], None],
) -> None:
    """None for a plain bundle, "passphrase" or "recipients" for an encrypted one."""
    query(ctx, lambda _core: service.encryption_of(path), on_success=on_success, on_failure=on_failure, owner=owner)


def open_bundle(
    ctx: AppContext,
    path: Path,
    *,
    passphrase: str | None,
    parent: QWidget | None,
    owner: QObject,
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
) -> Progress:
    """Decrypt, check every file and signature, and compare with the database: the import preview.
    Nothing is written but a private staging folder (``discard`` removes it)."""
    progress = Progress(_("Checking the bundle…"))

    def work(core: Core) -> Any:
        return service.inspect(core, path, passphrase=passphrase, progress=progress, cancelled=progress.cancelled)

    query(ctx, work, on_success=on_success, on_failure=on_failure, progress=progress, parent=parent, owner=owner)
    return progress


def apply(
    ctx: AppContext,
    preview: Any,
    *,
    choices: dict[uuid.UUID, str],
    accept_unsigned: bool,
    parent: QWidget | None,
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
) -> Progress:
    """Import what the preview showed, in one transaction (the undo history is cleared: an import is not undone
    edit by edit)."""
    progress = Progress(_("Importing the case bundle…"))

    def work(core: Core) -> Any:
        return service.apply(
            core,
            preview,
            choices=choices,
            accept_unsigned=accept_unsigned,
            progress=progress,
            cancelled=progress.cancelled,
        )

    def done(report: Any) -> None:
        if report.changed:
            ctx.undo.clear()
        on_success(report)

    mutate(
        ctx,
        work,
        case_id=None,
        on_success=done,
        on_failure=on_failure,
        progress=progress,
        parent=parent,
        owner=parent,
    )
    return progress


def discard(ctx: AppContext, preview: Any) -> None:
    """Remove the preview's staging folder (on the worker, after anything still using it)."""
    query(ctx, lambda _core: preview.discard(), on_success=lambda _result: None)
