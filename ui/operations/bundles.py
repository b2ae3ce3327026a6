"""Case bundles from the interface: export, open (verify and preview), import, and the keys behind signatures.

Everything runs on the database worker: exporting and opening a bundle read the database and stream files, keys
live in the system keyring (which may answer slowly). The bundle modules are imported inside the work functions.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from caseapp.i18n import _
from ui.context import AppContext
from ui.operations.base import mutate, query
from ui.progress import Progress

BUNDLE_SUFFIX = ".casebundle"
IMPORT_KINDS = {"case", "case_party", "filing", "hearing", "note", "deadline", "evidence", "opinion", "access_request"}


def is_bundle(path: str | Path) -> bool:
    return str(path).lower().endswith(BUNDLE_SUFFIX)


# -- keys ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Colleague:
    fingerprint: str
    shown: str  # the fingerprint grouped for reading aloud
    name: str
    recipient: str | None  # their encryption key, when they gave their card


@dataclass(frozen=True)
class KeyInfo:
    fingerprint: str | None  # this person's signing key (None: not created yet)
    shown: str | None
    recipient: str | None  # this person's encryption key ("age1…"), when created
    colleagues: tuple[Colleague, ...]
    warning: str | None  # keys kept for this session only (no system keyring)


def _key_info(core: Any) -> KeyInfo:
    from caseapp.bundle import crypt, signing
    from caseapp.bundle.keys import default_keystore

    store = default_keystore()
    signer = signing.load_signer(store)
    identity = crypt.load_identity(store)
    colleagues = tuple(
        Colleague(key.fingerprint, key.shown, key.name, key.recipient)
        for key in signing.TrustedKeys(core.data_dir).all()
    )
    return KeyInfo(
        fingerprint=signer.fingerprint if signer else None,
        shown=signing.show_fingerprint(signer.fingerprint) if signer else None,
        recipient=crypt.recipient_of(identity) if identity is not None else None,
        colleagues=colleagues,
        warning=store.warning,
    )


def key_info(ctx: AppContext, *, owner: QObject, on_success: Callable[[KeyInfo], None]) -> None:
    query(ctx, _key_info, on_success=on_success, owner=owner)


def create_keys(ctx: AppContext, *, owner: QObject, on_success: Callable[[KeyInfo], None]) -> None:
    """This person's signing and encryption keys, made now if they do not exist yet."""

    def work(core: Any) -> KeyInfo:
        from caseapp.bundle import crypt, signing
        from caseapp.bundle.keys import default_keystore

        store = default_keystore()
        signing.ensure_signer(store)
        crypt.ensure_identity(store)
        return _key_info(core)

    query(ctx, work, on_success=on_success, owner=owner)


def export_card(ctx: AppContext, target: Path, *, owner: QObject, on_success: Callable[[Path], None]) -> None:
    """Write this person's public card (name, signing key, encryption key) for colleagues to trust."""

    def work(core: Any) -> Path:
        from caseapp.bundle import crypt, signing
        from caseapp.bundle.keys import default_keystore

        store = default_keystore()
        signer = signing.ensure_signer(store)
        card = signing.Card(core.author, signer.public_key, crypt.recipient_of(crypt.ensure_identity(store)))
        signing.write_atomically(target, card.text().encode("utf-8"))
        return target

    query(ctx, work, on_success=on_success, owner=owner)


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

    def work(core: Any) -> KeyInfo:
        from caseapp.bundle import signing
        from caseapp.errors import InvalidInput

        card = None
        if card_file is not None:
            try:
                text = card_file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise InvalidInput(
                    _("The file “{path}” cannot be read: {reason}.").format(path=card_file, reason=exc)
                ) from exc
            card = signing.parse_card(text)
            wanted = card.fingerprint
        else:
            wanted = signing.parse_fingerprint(fingerprint or "")
        signing.TrustedKeys(core.data_dir).trust(
            wanted, name=name or (card.name if card else ""), author=core.author, card=card
        )
        return _key_info(core)

    query(ctx, work, on_success=on_success, on_failure=on_failure, owner=owner)


def forget(ctx: AppContext, fingerprint: str, *, owner: QObject, on_success: Callable[[KeyInfo], None]) -> None:
    def work(core: Any) -> KeyInfo:
        from caseapp.bundle import signing

        signing.TrustedKeys(core.data_dir).forget(fingerprint)
        return _key_info(core)

    query(ctx, work, on_success=on_success, owner=owner)


# -- export -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportOptions:
    sign: bool
    include_pdf: bool
    passphrase: str | None = None
    recipients: tuple[str, ...] = ()


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

    def work(core: Any) -> Any:
        from caseapp.bundle.export import export_bundle

        return export_bundle(
            core,
            case_id,
            target,
            sign=options.sign,
            include_pdf=options.include_pdf,
            encrypt_passphrase=options.passphrase,
            recipients=list(options.recipients),
            progress=progress,
            cancelled=progress.cancelled,
        )

    query(ctx, work, on_success=on_success, on_failure=on_failure, progress=progress, parent=parent, owner=parent)
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

    def work(_core: Any) -> str | None:
        from caseapp.bundle import crypt

        return crypt.encryption_of(path)

    query(ctx, work, on_success=on_success, on_failure=on_failure, owner=owner)


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

    def work(core: Any) -> Any:
        from caseapp.bundle.importer import inspect_bundle

        return inspect_bundle(core, path, passphrase=passphrase, progress=progress, cancelled=progress.cancelled)

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

    def work(core: Any) -> Any:
        from caseapp.bundle.importer import apply_import

        return apply_import(
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
        kinds=IMPORT_KINDS,
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
