"""Import a bundle: verify everything first, show what would change, then commit it all in one transaction.

``inspect_bundle`` decrypts (if needed) and opens the bundle in a private staging folder, checks the zip's index
before extracting anything (``safety``), checks the tag manifest, the signature and the manifests, extracts the
payload while checking every SHA-256, reads and checks ``case.json`` and its history, and compares it with the
database (``merge.plan``). Nothing is written to the database or the evidence store. The returned
``ImportPreview`` says who signed the bundle and what would be added, updated, or conflicts with local edits.

A bundle exported without its evidence files (it says so in bag-info.txt and case.json, which must agree) must
carry no file under ``data/evidence/``; its records import as usual, stored-file records included, and the
preview says how many of the exhibits' files will be missing here (``evidence_message``). Importing a bundle
of the same case that carries the files later puts them in the store.

The evidence files extracted are flushed to disk in the background (``durable.Syncer``) while the next ones are
extracted and the preview is read. ``apply_import`` waits until all are on disk, moves the new ones into the store
(a rename: the store never names a file that a crash could leave incomplete), writes every record and the history
in one unit of work, and commits; if anything fails the transaction rolls back and the files it moved are removed again.
The staging folder is removed either way. An unsigned bundle, or one signed by a key not trusted here, is
imported only with ``accept_unsigned=True``, and the history records that it was.

The bundle's events are appended to the local history marked as imported, with their origin (the bundle's author
and date, the signer's fingerprint or none); an event dated before its case was created, or (in a bundle no
trusted key signed) claiming the name of someone who writes here, is imported but flagged, and ``audit verify``
reports it. The import event's seal lists the events it brought in, names the head of the sender's history the
bundle carries (``CaseApp-History-Anchor``), and seals every record the import wrote.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from caseapp.bundle import content as content_module
from caseapp.bundle import crypt, durable, history, merge, safety, workspace
from caseapp.bundle import format as fmt
from caseapp.bundle.merge import Change, Plan
from caseapp.casefile.core import Core
from caseapp.casefile.uow import UnitOfWork, reading
from caseapp.errors import BundleError, InvalidInput, StorageError
from caseapp.i18n import _
from caseapp.progress import CancelCheck, Meter, Progress
from caseapp.store import anchors
from caseapp.store import models as m
from caseapp.store.files import fsync_folder

if TYPE_CHECKING:
    from caseapp.identity.keys import KeyStore

TRUSTED, UNKNOWN, UNSIGNED = "trusted", "unknown", "unsigned"
REQUIRED = (fmt.BAGIT, fmt.BAG_INFO, fmt.MANIFEST, fmt.TAG_MANIFEST)
ROOT_FILES = (*REQUIRED, fmt.SIGNATURE)


@dataclass(frozen=True)
class Signature:
    """Who signed a bundle, as far as this database can tell: a trusted colleague, a key not trusted here, or nobody."""

    status: str  # TRUSTED, UNKNOWN or UNSIGNED
    fingerprint: str | None = None
    name: str | None = None  # the trusted colleague's name, or who the bundle says exported it

    @property
    def shown(self) -> str | None:
        from caseapp.identity.signing import show_fingerprint

        return show_fingerprint(self.fingerprint) if self.fingerprint else None

    @property
    def description(self) -> str:
        if self.status == TRUSTED:
            return _("signed by {name} (trusted key {fingerprint})").format(name=self.name, fingerprint=self.shown)
        if self.status == UNKNOWN:
            return _("signed with a key that is not trusted here ({fingerprint})").format(fingerprint=self.shown)
        return _("not signed")


@dataclass
class ImportPreview:
    """What importing a bundle would do. Holds a private staging folder: ``apply_import`` or ``discard`` it."""

    source: Path
    case_id: uuid.UUID
    case_title: str
    exported_by: str
    exported_at: datetime
    app_version: str
    schema: str
    signature: Signature
    encryption: str | None
    plan: Plan
    files: int  # evidence files in the bundle (none when it was exported without them)
    file_bytes: int
    summary_pdf: Path | None  # the sender's case summary, checked, in the staging folder until discarded
    content: content_module.Content = field(repr=False)
    staging: Path | None = field(repr=False, default=None)
    # Flushes the staged evidence files to disk while the preview is read; ``_place_files`` waits for it.
    syncer: durable.Syncer | None = field(repr=False, default=None)
    sender_anchor: anchors.Anchor | None = None  # the head of the sender's history, when the bundle says it
    planned_at: object = None  # the head of the local history the plan was made against

    @property
    def additions(self) -> list[Change]:
        return self.plan.additions

    @property
    def updates(self) -> list[Change]:
        return self.plan.updates

    @property
    def conflicts(self) -> list[Change]:
        return self.plan.conflicts

    @property
    def deletions(self) -> list[Change]:
        """Records the colleague deleted that will be deleted here too."""
        return self.plan.deletions

    @property
    def unchanged(self) -> int:
        return self.plan.unchanged

    @property
    def notes(self) -> list[str]:
        return self.plan.notes

    @property
    def new_files(self) -> int:
        return len(self.plan.new_files)

    @property
    def new_history(self) -> int:
        return len(self.plan.new_events)

    @property
    def nothing_to_do(self) -> bool:
        return self.plan.nothing_to_do

    @property
    def evidence_included(self) -> bool:
        return self.content.evidence_included

    @property
    def files_omitted(self) -> int:
        """Stored files the exhibits refer to that the sender left out of the bundle."""
        return 0 if self.content.evidence_included else len(self.content.files)

    @property
    def missing_files(self) -> int:
        """Of those, the ones not in the evidence store here either: their exhibits will have no file yet."""
        return len(self.plan.missing_files)

    @property
    def evidence_message(self) -> str | None:
        """For a bundle exported without its evidence files, what that means here, for people."""
        if not self.files_omitted:
            return None
        if self.missing_files:
            return _(
                "{count} evidence files are not in this bundle; the exhibits arrive without them: ask the sender "
                "for a bundle with evidence, or attach the files later."
            ).format(count=self.missing_files)
        return _(
            "The evidence files are not in this bundle, but the {count} its exhibits need are already here."
        ).format(count=self.files_omitted)

    @property
    def open(self) -> bool:
        return self.staging is not None

    def discard(self) -> None:
        """Remove the staging folder; the preview can no longer be applied."""
        if self.syncer is not None:
            self.syncer.abandon()
            self.syncer = None
        workspace.remove(self.staging)
        self.staging = None

    def __enter__(self) -> ImportPreview:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


@dataclass(frozen=True)
class ImportReport:
    """What importing a bundle did: the records added and updated, the conflicts settled each way, the evidence files
    and history events brought in, the exhibits renumbered, and the signature it carried."""

    case_id: uuid.UUID
    case_title: str
    changed: bool  # False: everything was already here
    added: int = 0
    updated: int = 0
    conflicts_kept: int = 0  # conflicts settled by keeping the copy here
    conflicts_taken: int = 0  # ... by taking the bundle's copy
    files_added: int = 0
    files_missing: int = 0  # exhibits' files neither in the bundle (exported without them) nor here
    history_added: int = 0
    renumbered: int = 0
    signature: Signature = Signature(UNSIGNED)
    accepted_unsigned: bool = False


# --- inspect -------------------------------------------------------------------------------------------------


class _KeysHere:
    """This person's key store, opened only when the bundle needs it (encrypted, or signed): a plain bundle is
    imported without touching the keyring."""

    def __init__(self, given: KeyStore | None) -> None:
        self._store = given

    def store(self) -> KeyStore:
        if self._store is None:
            from caseapp.identity.keys import default_keystore

            self._store = default_keystore()
        return self._store


def inspect_bundle(
    core: Core,
    path: Path,
    *,
    passphrase: str | None = None,
    identities: Sequence[object] = (),
    keystore: KeyStore | None = None,
    limits: safety.Limits | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> ImportPreview:
    """Open and check a bundle, and say what importing it would do. Writes nothing but the staging folder.

    ``identities`` are age secret keys (``AGE-SECRET-KEY-1…`` strings or pyrage identities) to open a bundle
    encrypted for them; this person's own key from the key store is always tried too.
    """
    path = Path(path)
    if not path.is_file():
        raise BundleError(_("The bundle “{path}” does not exist or is not a file.").format(path=path))
    limits = limits or safety.Limits()
    keys_here = _KeysHere(keystore)
    work = workspace.new_workspace(core.data_dir, "import-")
    syncer = durable.Syncer()
    try:
        encryption = crypt.encryption_of(path)
        size = path.stat().st_size
        meter = Meter(size * (2 if encryption else 1), progress, cancelled)
        source = path
        if encryption is not None:
            keys = [crypt.parse_identity(i) if isinstance(i, str) else i for i in identities]
            own = crypt.load_identity(keys_here.store())
            if own is not None:
                keys.append(own)
            source = work / "bundle.zip"
            with path.open("rb") as encrypted, os.fdopen(workspace.create_private_file(source), "wb") as clear:
                crypt.decrypt(
                    encrypted, clear, passphrase=passphrase, identities=keys, limit=limits.max_total, tick=meter.tick
                )
            meter.total += source.stat().st_size - size
        with safety.open_archive(source, limits) as archive:
            checked = _check_bundle(core, archive, work, keys_here, meter, syncer)
        if source != path:
            source.unlink()
        with reading(core) as session:
            plan = merge.plan(session, checked.content, core.db.files)
            planned_at = _head(session, checked.content.case_id)
        info = checked.info
        return ImportPreview(
            source=path,
            case_id=checked.content.case_id,
            case_title=checked.content.rows["cases"][0]["title"],
            exported_by=checked.content.exported_by,
            exported_at=checked.content.exported_at,
            app_version=info.get(fmt.INFO_APP_VERSION, checked.content.app_version),
            schema=checked.content.schema,
            signature=checked.signature,
            encryption=encryption,
            plan=plan,
            files=len(checked.content.files) if checked.content.evidence_included else 0,
            file_bytes=sum(checked.content.files.values()) if checked.content.evidence_included else 0,
            summary_pdf=work / fmt.SUMMARY_PDF if checked.content.summary_pdf else None,
            content=checked.content,
            staging=work,
            syncer=syncer,
            sender_anchor=checked.anchor,
            planned_at=planned_at,
        )
    except BaseException:
        from caseapp.logs import bundle_refused  # the reason a person was given, on one line; never the content

        bundle_refused(path)
        syncer.abandon()
        workspace.remove(work)
        raise


@dataclass
class _Checked:
    """What checking the bundle's zip gave, before the database is read: bag-info.txt, the signature, case.json, and the
    head of the sender's history the bundle names (``anchor``)."""

    info: dict[str, str]
    signature: Signature
    content: content_module.Content
    anchor: anchors.Anchor | None = None


def _altered(name: str, where: str) -> BundleError:
    return BundleError(
        _("The bundle was changed after it was made: its file {name} is not the one it announces.").format(
            name=name, manifest=where
        )
    )


def _check_bundle(
    core: Core, archive: safety.BundleArchive, work: Path, keys_here: _KeysHere, meter: Meter, syncer: durable.Syncer
) -> _Checked:
    entries = archive.entries
    limits = archive.limits
    for name in REQUIRED:
        if name not in entries:
            raise BundleError(
                _("This file is not a CaseApp bundle: the case it should carry ({name}) is missing.").format(name=name)
            )
    for name in entries:
        if "/" not in name and name not in ROOT_FILES:
            raise BundleError(
                _("The bundle was changed after it was made: it contains a file it does not announce: {name}").format(
                    name=safety.shown(name)
                )
            )
        if "/" in name and not name.startswith("data/"):
            raise BundleError(
                _("The bundle contains a file CaseApp does not know: {name}").format(name=safety.shown(name))
            )
    bagit = fmt.parse_info(archive.read(fmt.BAGIT, 4096))
    if bagit.get("BagIt-Version") != "1.0" or bagit.get("Tag-File-Character-Encoding", "").upper() != "UTF-8":
        raise BundleError(_("This file is not a CaseApp bundle, or it was made by a program CaseApp does not know."))
    tag_manifest = archive.read(fmt.TAG_MANIFEST, limits.max_small_file)
    tags = fmt.parse_manifest(tag_manifest, fmt.TAG_MANIFEST)
    for name in tags:
        if name not in entries:
            raise BundleError(
                _("The bundle is incomplete: a file it announces is missing: {name}").format(
                    manifest=fmt.TAG_MANIFEST, name=safety.shown(name)
                )
            )
    for name in REQUIRED[:3]:
        if name not in tags:
            raise BundleError(
                _("The bundle was changed after it was made: it contains a file it does not announce: {name}").format(
                    name=name
                )
            )
    small = {name: archive.read(name, limits.max_small_file) for name in REQUIRED[:3]}
    for name, data in small.items():
        if hashlib.sha256(data).hexdigest() != tags[name]:
            raise _altered(name, fmt.TAG_MANIFEST)
    info = fmt.parse_info(small[fmt.BAG_INFO])
    _check_versions(info)
    included = _evidence_included(info)
    signature = _check_signature(core, archive, info, tag_manifest, keys_here)
    try:
        case_id = uuid.UUID(info.get(fmt.INFO_CASE_ID, ""))
    except ValueError:
        raise BundleError(
            _("The bundle's {file} does not say which case it holds.").format(file=fmt.BAG_INFO)
        ) from None
    manifest = fmt.parse_manifest(small[fmt.MANIFEST], fmt.MANIFEST)
    payload = {name for name in entries if name.startswith("data/")}
    for name in sorted(payload - set(manifest)):
        raise BundleError(
            _("The bundle was changed after it was made: it contains a file it does not announce: {name}").format(
                name=safety.shown(name)
            )
        )
    for name in sorted(set(manifest) - payload):
        raise BundleError(
            _("The bundle is incomplete: a file it announces is missing: {name}").format(
                manifest=fmt.MANIFEST, name=safety.shown(name)
            )
        )
    for name in sorted(payload):
        if name not in (fmt.CASE_JSON, fmt.SUMMARY_PDF) and not fmt.is_evidence_name(name):
            raise BundleError(
                _("The bundle contains a file CaseApp does not know: {name}").format(name=safety.shown(name))
            )
        if fmt.is_evidence_name(name) and manifest[name] != name.rsplit("/", 1)[1]:
            raise _altered(name, fmt.MANIFEST)
        if fmt.is_evidence_name(name) and not included:
            raise BundleError(
                _(
                    "The bundle says its evidence files were left out, yet it contains one: {name}. It was altered."
                ).format(name=safety.shown(name))
            )
    if fmt.CASE_JSON not in payload:
        raise BundleError(
            _("This file is not a CaseApp bundle: the case it should carry ({name}) is missing.").format(
                name=fmt.CASE_JSON
            )
        )
    declared = fmt.Oxum.parse(info.get("Payload-Oxum", ""))
    if declared != fmt.Oxum(sum(entries[n].size for n in payload), len(payload)):
        raise BundleError(
            _(
                "The bundle is incomplete or was changed after it was made: its files do not add up to what it "
                "announces."
            )
        )
    free = shutil.disk_usage(work).free
    if declared.size > free:
        raise StorageError(
            _("There is not enough free disk space to open this bundle ({needed} MB needed).").format(
                needed=declared.size // (1024 * 1024) + 1
            )
        )
    (work / "data" / "evidence").mkdir(parents=True, mode=0o700)
    case_json = _extract(archive, fmt.CASE_JSON, work, manifest[fmt.CASE_JSON], meter, limit=limits.max_case_json)
    content = content_module.parse_case_json(case_json.read_bytes(), case_id=case_id)
    problem = history.check_events(content.rows["audit_events"])
    if problem:
        raise BundleError(problem)
    if content.evidence_included != included:
        raise BundleError(
            _(
                "The bundle's {info} and case.json disagree about whether it includes the evidence files: "
                "it was altered."
            ).format(info=fmt.BAG_INFO)
        )
    files = {name.rsplit("/", 1)[1] for name in payload if fmt.is_evidence_name(name)}
    if included and files != set(content.files):
        missing = sorted(set(content.files) - files)
        raise BundleError(
            _("The bundle is incomplete: a file the case needs is not in it: {name}").format(
                name=fmt.evidence_name(missing[0])
            )
            if missing
            else _("The bundle contains a file no exhibit refers to: {name}").format(
                name=fmt.evidence_name(sorted(files - set(content.files))[0])
            )
        )
    if content.summary_pdf != (fmt.SUMMARY_PDF in payload):
        raise BundleError(_("The bundle was changed after it was made: its case summary is not the one it announces."))
    if fmt.SUMMARY_PDF in payload:
        _extract(archive, fmt.SUMMARY_PDF, work, manifest[fmt.SUMMARY_PDF], meter)
    # Each evidence file goes to disk (``syncer``) while the next ones are extracted and the preview is read: all
    # are durable before the first is renamed into the store (``_place_files``), as a file the store takes in is.
    for sha in sorted(files):
        _extract(archive, fmt.evidence_name(sha), work, sha, meter, syncer=syncer)
    return _Checked(info, signature, content, _sender_anchor(info, content))


def _sender_anchor(info: dict[str, str], content: content_module.Content) -> anchors.Anchor | None:
    """The head of the sender's history the bundle names (signed along with bag-info.txt): the bundle's events
    are a slice of that history, none past it, and the one at its position has its hash."""
    value = info.get(fmt.INFO_HISTORY_ANCHOR)
    if value is None:
        return None
    try:
        anchor = anchors.parse_bundle_field(value)
    except ValueError:
        raise BundleError(
            _("The bundle's {file} is not valid: “{line}”.").format(
                file=fmt.BAG_INFO, line=f"{fmt.INFO_HISTORY_ANCHOR}: {value}"[:80]
            )
        ) from None
    for row in content.rows["audit_events"]:
        if row["seq"] > anchor.seq or (row["seq"] == anchor.seq and row["hash"] != anchor.hash):
            raise BundleError(
                _(
                    "The history in the bundle was altered: event {id} is not in the history its sender recorded "
                    "when the bundle was made."
                ).format(id=row["id"])
            )
    return anchor


def _evidence_included(info: dict[str, str]) -> bool:
    """What bag-info.txt says about the evidence files; a bundle that does not say includes them."""
    value = info.get(fmt.INFO_EVIDENCE, fmt.EVIDENCE_INCLUDED)
    if value not in (fmt.EVIDENCE_INCLUDED, fmt.EVIDENCE_OMITTED):
        raise BundleError(
            _("The bundle's {file} is not valid: “{line}”.").format(
                file=fmt.BAG_INFO, line=f"{fmt.INFO_EVIDENCE}: {value}"[:80]
            )
        )
    return value == fmt.EVIDENCE_INCLUDED


def _check_versions(info: dict[str, str]) -> None:
    from caseapp.store import migrate

    version = info.get(fmt.INFO_FORMAT, "")
    if not version.isdigit() or int(version) < 1:
        raise BundleError(
            _("This file is not a CaseApp bundle: its {file} has no bundle format.").format(file=fmt.BAG_INFO)
        )
    if int(version) > fmt.FORMAT_VERSION:
        raise BundleError(
            _(
                "This bundle was made by a newer version of CaseApp (bundle format {version}; this one reads "
                "format {known}). Update CaseApp to import it."
            ).format(version=version, known=fmt.FORMAT_VERSION)
        )
    schema = info.get(fmt.INFO_SCHEMA, "")
    if schema not in migrate.known_revisions():
        raise BundleError(
            _(
                "This bundle was made by a newer or unknown version of CaseApp (database schema “{schema}”). "
                "Update CaseApp to import it."
            ).format(schema=schema[:40])
        )


def _check_signature(
    core: Core, archive: safety.BundleArchive, info: dict[str, str], tag_manifest: bytes, keys_here: _KeysHere
) -> Signature:
    declared = info.get(fmt.INFO_SIGNING_KEY)
    if fmt.SIGNATURE not in archive.entries:
        return Signature(UNSIGNED, name=info.get(fmt.INFO_EXPORTED_BY))
    from caseapp.identity import signing

    public = signing.decode_public(declared or "")
    signature = archive.read(fmt.SIGNATURE, 4096)
    if public is None or not signing.verify(public, tag_manifest, signature):
        raise BundleError(_("The bundle's signature does not match its content: it was altered after it was signed."))
    fingerprint = signing.fingerprint(public)
    shown = info.get(fmt.INFO_SIGNER)
    if shown is not None and signing.parse_fingerprint(shown) != fingerprint:
        raise BundleError(_("The bundle's signature does not match its content: it was altered after it was signed."))
    own = signing.load_signer(keys_here.store())
    if own is not None and own.fingerprint == fingerprint:
        return Signature(TRUSTED, fingerprint, core.author)
    trusted = signing.TrustedKeys(core.data_dir).find(fingerprint)
    if trusted is not None and trusted.public_key not in (None, signing.encode_public(public)):
        trusted = None
    if trusted is not None:
        return Signature(TRUSTED, fingerprint, trusted.name or info.get(fmt.INFO_EXPORTED_BY))
    return Signature(UNKNOWN, fingerprint, info.get(fmt.INFO_EXPORTED_BY))


def _extract(
    archive: safety.BundleArchive,
    name: str,
    work: Path,
    sha: str,
    meter: Meter,
    *,
    limit: int | None = None,
    syncer: durable.Syncer | None = None,
) -> Path:
    """Copy one payload file into the staging folder, checking its SHA-256 on the way (one pass: the archive
    checks the CRC-32 of the same chunks). With a ``syncer``, the checked file is then flushed to disk by it."""
    entry = archive.entries[name]
    if limit is not None and entry.size > limit:
        raise BundleError(_("The bundle's {name} is larger than CaseApp accepts.").format(name=name))
    target = work.joinpath(*name.split("/"))
    sha256 = hashlib.sha256()
    fd = workspace.create_private_file(target)
    try:
        with open(fd, "wb", closefd=False) as out:
            for chunk in archive.stream(name):
                sha256.update(chunk)
                out.write(chunk)
                meter.tick(len(chunk))
        if sha256.hexdigest() != sha:
            raise _altered(name, fmt.MANIFEST)
    except BaseException:
        os.close(fd)
        raise
    if syncer is None:
        os.close(fd)
    else:
        syncer.sync(fd)
    return target


# --- apply ---------------------------------------------------------------------------------------------------


def apply_import(
    core: Core,
    preview: ImportPreview,
    *,
    choices: merge.Choices | None = None,
    accept_unsigned: bool = False,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> ImportReport:
    """Import what the preview showed, in one transaction. ``choices`` settles conflicts per record
    (``merge.KEEP_MINE``, the default, or ``merge.TAKE_THEIRS``). The preview is used up either way."""
    if preview.staging is None:
        raise BundleError(_("This import was already done or abandoned: open the bundle again."))
    try:
        return _apply(core, preview, dict(choices or {}), accept_unsigned, progress, cancelled)
    finally:
        preview.discard()


def _apply(
    core: Core,
    preview: ImportPreview,
    choices: merge.Choices,
    accept_unsigned: bool,
    progress: Progress | None,
    cancelled: CancelCheck | None,
) -> ImportReport:
    signature = preview.signature
    if signature.status != TRUSTED and not accept_unsigned:
        if signature.status == UNKNOWN:
            raise BundleError(
                _(
                    "This bundle is signed with a key that is not trusted here ({fingerprint}). Check the "
                    "fingerprint with its sender and trust it, or confirm the import explicitly. Nothing was imported."
                ).format(fingerprint=signature.shown)
            )
        raise BundleError(
            _(
                "This bundle is not signed: nothing shows who made it. Confirm the import explicitly if you know "
                "where it comes from. Nothing was imported."
            )
        )
    merge.check_choices(preview.plan, choices)
    # Progress counts the evidence files put in the store, then one last step: the records written, just
    # before the commit.
    meter = Meter(preview.file_bytes + 1, progress, cancelled)
    placed: list[str] = []
    try:
        return _write(core, preview, choices, signature, meter, placed)
    except InvalidInput as exc:
        from sqlalchemy.exc import IntegrityError

        if isinstance(exc.__cause__, IntegrityError):  # another import of the same records committed first
            raise BundleError(
                _(
                    "Another import, or a colleague's change, reached the case file at the same moment: nothing was "
                    "imported. Open the bundle again to see what it would do now."
                )
            ) from exc
        raise


def _write(
    core: Core,
    preview: ImportPreview,
    choices: merge.Choices,
    signature: Signature,
    meter: Meter,
    placed: list[str],
) -> ImportReport:
    # What to write is worked out, and the evidence files put in the store, before the write lock is taken: on
    # SQLite it stops every other writer (a note in the courtroom) while it is held. Every change writes a history
    # event: if none was written meanwhile about this case or about shared records (parties, opinions), the plan
    # still holds; otherwise it is worked out again, under the lock.
    with reading(core) as session:
        seen = _head(session, preview.case_id)
        # The preview's plan still holds when nothing was written about this case or shared records since.
        plan = preview.plan if seen == preview.planned_at else merge.plan(session, preview.content, core.db.files)
    _check_plan(preview, plan)
    if plan.nothing_to_do and not plan.takes_any(choices):
        return ImportReport(preview.case_id, preview.case_title, changed=False, signature=signature)
    _place_files(core, preview, plan, meter, placed)
    with UnitOfWork(core) as uow:
        if _head(uow.session, preview.case_id) != seen:
            plan = merge.plan(uow.session, preview.content, core.db.files)
            _check_plan(preview, plan)
            if plan.nothing_to_do and not plan.takes_any(choices):
                return ImportReport(preview.case_id, preview.case_title, changed=False, signature=signature)
            _place_files(core, preview, plan, meter, placed)
        written = merge.write(uow, plan, preview.content, choices)
        accepted = signature.status != TRUSTED
        uow.audit(
            "import",
            "bundle",
            preview.case_id,
            _("Bundle imported from {who} ({signature})").format(
                who=preview.exported_by, signature=signature.description
            )
            + (_(", accepted without a trusted signature by {author}").format(author=core.author) if accepted else "")
            + (
                _(", without its evidence files ({count} missing here)").format(count=len(plan.missing_files))
                if not preview.evidence_included
                else ""
            ),
            case_id=preview.case_id,
            changes={
                "file": preview.source.name,
                "exported_by": preview.exported_by,
                "exported_at": preview.exported_at.isoformat(),
                "signer": signature.status,
                "fingerprint": signature.fingerprint,
                "signer_name": signature.name,
                "accepted_unsigned": accepted,
                "added": written.added,
                "updated": written.updated,
                "conflicts_kept": written.kept,
                "conflicts_taken": written.taken,
                "files": len(placed),
                "evidence_files": fmt.EVIDENCE_INCLUDED if preview.evidence_included else fmt.EVIDENCE_OMITTED,
                "files_missing": len(plan.missing_files),
                "history": len(plan.new_events),
            },
        )
        _mark_history(uow, preview, plan, choices, signature)
        meter.tick(meter.total - meter.done)  # the last step: everything written, about to commit
        uow.commit()
    return ImportReport(
        preview.case_id,
        preview.case_title,
        changed=True,
        added=written.added,
        updated=written.updated,
        conflicts_kept=written.kept,
        conflicts_taken=written.taken,
        files_added=len(placed),
        files_missing=len(plan.missing_files),
        history_added=len(plan.new_events),
        renumbered=len(written.renumbered),
        signature=signature,
        accepted_unsigned=accepted,
    )


def _head(session: Session, case_id: uuid.UUID) -> object:
    """The last history event about a case or about shared records: any write that could change a plan adds one."""
    from sqlalchemy import func, or_, select

    events = m.AuditEvent
    about = or_(events.case_id == case_id, events.case_id.is_(None))
    return session.scalar(select(func.max(events.seq)).where(about))


def _mark_history(
    uow: UnitOfWork, preview: ImportPreview, plan: Plan, choices: merge.Choices, signature: Signature
) -> None:
    """Mark the bundle's events as imported (with their origin, and what makes one look forged), list them in the
    import event's seal with the head of the sender's history, and have the import event seal every record the
    import wrote with bulk statements (loaded fresh from the database)."""
    from sqlalchemy import select

    from caseapp.store import audit_chain, history_check

    import_event = uow.events[-1]
    incoming = [event for event in uow.events if event.origin_hash is not None]
    flags = history_check.imported_flags(
        uow.session,
        preview.case_id,
        preview.content.rows["audit_events"],
        [event.id for event in incoming],
        trusted=signature.status == TRUSTED,
    )
    origin = {
        "by": preview.exported_by,
        "at": preview.exported_at.isoformat(),
        "signer": signature.fingerprint,
        "signature": signature.status,
    }
    sealed: dict[str, object] = {"imported": history.mark_imported(uow.events, import_event, origin, flags)}
    if preview.sender_anchor is not None:
        sender = preview.sender_anchor
        sealed["sender"] = {"database": sender.database, "seq": sender.seq, "hash": sender.hash}
    import_event.seal = sealed
    # What the import wrote (merge.write's own reckoning of it): inserted, replaced, taken back, renumbered.
    written: dict[str, set[uuid.UUID]] = {
        name: {row["id"] for row in merge._taken(plan, choices, name)} for name in merge.record_tables()
    }
    for name, rows in merge._revived(plan, choices).items():
        written.setdefault(name, set()).update(row["id"] for row in rows)
    written.setdefault("evidence", set()).update(merge._final_numbers(plan, choices))
    gone = [(name, record_id) for name, ids in plan.removes.items() for record_id in ids]
    gone += [(name, i) for i, name in plan.doomed.items() if choices.get(i) == merge.TAKE_THEIRS]
    uow.session.flush()
    for name, ids in written.items():
        model = audit_chain.TABLE_MODELS.get(name)
        if model is None:
            continue
        wanted = sorted(ids, key=str)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            fresh = uow.session.scalars(
                select(model).where(model.id.in_(chunk)).execution_options(populate_existing=True)
            )
            uow.cover(fresh)
    uow.cover((), [(audit_chain.TABLE_MODELS[name], i) for name, i in gone if name in audit_chain.TABLE_MODELS])


def _check_plan(preview: ImportPreview, plan: Plan) -> None:
    if plan.conflict_ids != preview.plan.conflict_ids:
        raise BundleError(_("Records here changed since the bundle was opened: open it again to see what it would do."))


def _place_files(core: Core, preview: ImportPreview, plan: Plan, meter: Meter, placed: list[str]) -> None:
    """Move the checked evidence files from the staging folder into the store, noting in ``placed`` each one
    moved (so that a failure anywhere later can take them out again)."""
    assert preview.staging is not None
    store = core.db.files
    renamed: dict[Path, None] = {}  # the folders that received a file, in order
    try:
        if preview.syncer is not None:
            preview.syncer.finish()  # every staged file on disk before the first enters the store
        for sha in plan.new_files:
            meter.check()
            staged = preview.staging / "data" / "evidence" / sha
            target = store.path_for(sha)
            if target.is_file():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(staged, target)  # the staged file is already on disk (``preview.syncer``)
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise
                intake = store.add_file(staged)  # another file system: copy, hashing again
                if not intake.already_stored:
                    placed.append(intake.sha256)
                if intake.sha256 != sha:
                    raise BundleError(_("A staged evidence file changed before it reached the store.")) from exc
            else:
                placed.append(sha)
                renamed[target.parent] = None
            meter.tick(preview.content.files[sha])
        # The renames made durable, before the records that name the files are committed: once all are done, the
        # first folder's flush writes them all (one journal commit), the others find little left to do.
        for folder in renamed:
            fsync_folder(folder)
    except OSError as exc:
        raise StorageError(
            _("The evidence files could not be put in the store: {reason}. Nothing was imported.").format(
                reason=exc.strerror or exc
            )
        ) from exc
