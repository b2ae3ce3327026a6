"""Case bundles as user actions: export a case, open one (decrypt, verify, compare: the preview), import it, and
the keys behind signatures and encryption — for the window, the command line and tests alike.

The work itself lives in ``caseapp.bundle`` (below this layer); these functions are the entry points, each one
action. They run on the database side (exporting and opening read the database and stream files; keys live in
the system keyring, which may answer slowly).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseapp.errors import CaseAppError, InvalidInput
from caseapp.i18n import _

if TYPE_CHECKING:
    from caseapp.casefile.core import Core
    from caseapp.progress import CancelCheck, Progress

BUNDLE_SUFFIX = ".casebundle"


def is_bundle(path: str | Path) -> bool:
    return str(path).lower().endswith(BUNDLE_SUFFIX)


# -- keys ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Colleague:
    """A colleague whose key is trusted here, as the keys and export dialogs show them."""

    fingerprint: str
    shown: str  # the fingerprint grouped for reading aloud
    name: str
    recipient: str | None  # their encryption key, when they gave their card


@dataclass(frozen=True)
class KeyInfo:
    """This person's signing and encryption keys, and the colleagues they trust (the keys and export dialogs)."""

    fingerprint: str | None  # this person's signing key (None: not created yet)
    shown: str | None
    recipient: str | None  # this person's encryption key ("age1…"), when created
    colleagues: tuple[Colleague, ...]
    warning: str | None  # keys kept for this session only (no system keyring)


def key_info(core: Core) -> KeyInfo:
    from caseapp.bundle import crypt
    from caseapp.identity import signing
    from caseapp.identity.keys import default_keystore

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


def create_keys(core: Core) -> KeyInfo:
    """This person's signing and encryption keys, made now if they do not exist yet."""
    from caseapp.bundle import crypt
    from caseapp.identity import signing
    from caseapp.identity.keys import default_keystore

    store = default_keystore()
    signing.ensure_signer(store)
    crypt.ensure_identity(store)
    return key_info(core)


def export_card(core: Core, target: Path) -> Path:
    """Write this person's public card (name, signing key, encryption key) for colleagues to trust."""
    from caseapp.bundle import crypt
    from caseapp.identity import signing
    from caseapp.identity.keys import default_keystore

    store = default_keystore()
    signer = signing.ensure_signer(store)
    card = signing.Card(core.author, signer.public_key, crypt.recipient_of(crypt.ensure_identity(store)))
    signing.write_atomically(target, card.text().encode("utf-8"))
    return target


def trust(core: Core, *, fingerprint: str | None = None, card_file: Path | None = None, name: str = "") -> KeyInfo:
    """Trust a colleague's key, given by its fingerprint or by their public card file."""
    from caseapp.identity import signing

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
    return key_info(core)


def forget(core: Core, fingerprint: str) -> KeyInfo:
    from caseapp.identity import signing

    signing.TrustedKeys(core.data_dir).forget(fingerprint)
    return key_info(core)


# -- export -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportOptions:
    """How a case is exported as a bundle: signed or not, with the summary PDF and the evidence files or not, and
    encrypted with a passphrase or for colleagues' keys (``recipients``)."""

    sign: bool | None = None  # None: signed when this person has a key
    include_pdf: bool = True
    passphrase: str | None = None
    recipients: tuple[str, ...] = ()
    include_evidence: bool = True  # False: only the files' names, sizes and fingerprints travel


def export(
    core: Core,
    case_id: uuid.UUID,
    target: Path,
    options: ExportOptions,
    *,
    keystore: Any = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> Any:
    """Write the case, its history and its evidence files into one bundle (``caseapp.bundle.export.Exported``)."""
    from caseapp.bundle.export import export_bundle

    return export_bundle(
        core,
        case_id,
        target,
        sign=options.sign,
        include_pdf=options.include_pdf,
        encrypt_passphrase=options.passphrase,
        recipients=list(options.recipients),
        include_evidence=options.include_evidence,
        keystore=keystore,
        progress=progress,
        cancelled=cancelled,
    )


# -- import -------------------------------------------------------------------------------------------------------


def encryption_of(path: Path) -> str | None:
    """None for a plain bundle, "passphrase" or "recipients" for an encrypted one."""
    from caseapp.bundle import crypt

    return crypt.encryption_of(path)


def inspect(
    core: Core,
    path: Path,
    *,
    passphrase: str | None = None,
    identities: list[str] | None = None,
    keystore: Any = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> Any:
    """Decrypt, check every file and signature, and compare with the database: the import preview
    (``caseapp.bundle.importer.ImportPreview``). Nothing is written but a private staging folder, which the
    preview's ``discard`` removes."""
    from caseapp.bundle.importer import inspect_bundle

    return inspect_bundle(
        core,
        path,
        passphrase=passphrase,
        identities=identities or (),
        keystore=keystore,
        progress=progress,
        cancelled=cancelled,
    )


def apply(
    core: Core,
    preview: Any,
    *,
    choices: Mapping[Any, str] | None = None,
    accept_unsigned: bool = False,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> Any:
    """Import what the preview showed, in one transaction (``caseapp.bundle.importer.ImportReport``). ``choices``
    settles conflicts: per record (``{record_id: "theirs"}``) or per field (``{(record_id, field): "theirs"}``);
    what is not chosen keeps the value here (the bundle's is kept in the history).

    Once the import is committed, a case taken offline from this database whose laptop copy this is (written after
    it was taken, by whoever took it) is no longer marked as taken (``services.checkout_marks``)."""
    from caseapp.bundle.importer import apply_import
    from caseapp.services.checkout_marks import clear_if_brought_back

    report = apply_import(
        core,
        preview,
        choices=dict(choices or {}),
        accept_unsigned=accept_unsigned,
        progress=progress,
        cancelled=cancelled,
    )
    try:
        clear_if_brought_back(core, preview.case_id, preview.exported_by, preview.exported_at)
    except CaseAppError as exc:  # the import is committed: the mark stays (and still says so to colleagues)
        logging.getLogger(__name__).warning("the mark of a case taken offline was not cleared: %s", exc)
    return report


def value_for_people(value: Any) -> str:
    """A field's value from a merge (its JSON form) as a person reads it: moments in Paris time, dates as the
    language writes them, nothing as "—", truth values in words, lists joined; text as it is, in full."""
    from datetime import date, datetime

    from caseapp.dates import format_date, format_datetime, to_paris
    from caseapp.i18n import current_language

    lang = current_language()
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(value_for_people(item) for item in value)
    if isinstance(value, datetime):
        return format_datetime(to_paris(value), lang)
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return format_date(date.fromisoformat(value), lang)
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return format_datetime(to_paris(moment), lang)
    return str(value)


def report_sentence(report: Any, *, title: bool = False) -> str:
    """What an import did, in one sentence for people (the window and the command line say the same)."""
    if not report.changed:
        return _("Everything in this bundle was already here: nothing changed.")
    counts = _(
        "{added} added, {updated} updated, {kept} conflicts kept as here, {taken} taken from the bundle, {files} "
        "evidence files, {events} history events."
    ).format(
        added=report.added,
        updated=report.updated,
        kept=report.conflicts_kept,
        taken=report.conflicts_taken,
        files=report.files_added,
        events=report.history_added,
    )
    if title:
        return _("Imported “{title}”: {counts}").format(title=report.case_title, counts=counts)
    return _("Imported: {counts}").format(counts=counts)


def written_sentence(report: Any, path: str | None = None) -> str:
    """What an export wrote, for people: the file (``path``: how to show it), its size with a unit, the records and
    evidence files."""
    from caseapp.i18n import ngettext
    from caseapp.services.sizes import human_size

    return ngettext(
        "Bundle written: {path} ({size}): {records} records, {files} evidence file.",
        "Bundle written: {path} ({size}): {records} records, {files} evidence files.",
        report.files,
    ).format(path=path or report.path, size=human_size(report.size), records=report.records, files=report.files)
