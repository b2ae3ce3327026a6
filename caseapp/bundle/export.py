"""Export one case as a ``.casebundle``: a zip holding a BagIt bag, signed when a key exists, optionally encrypted.

The bundle is written to a temporary file next to the target and renamed over it at the end, so a failure, a
full disk or a cancel never leaves half a bundle; it goes to disk while it is written (``durable.Flusher``) and is
flushed whole before the rename. Evidence files are streamed from the store into the zip (stored, not
recompressed), read once each and re-hashed on the way: a stored file that no longer matches its SHA-256 stops
the export. The case summary (PDF) is laid out after them, while the disk takes them in. A bundle made with
``include_evidence=False`` carries every record and the stored files' names, sizes and SHA-256, but not the
files, and says so in bag-info.txt and case.json (see ``format``); the evidence store is then not read at all.
An encrypted bundle is first written in the private staging folder (never next to the target in clear), then
encrypted into the target folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import stat
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from caseapp import __version__
from caseapp.bundle import content, crypt, durable, workspace
from caseapp.bundle import format as fmt
from caseapp.casefile.core import Core
from caseapp.casefile.uow import reading
from caseapp.casefile.views import CaseDetail
from caseapp.errors import BundleError, Cancelled, CaseAppError, InvalidInput, NotFound, StorageError
from caseapp.i18n import _
from caseapp.identity import signing
from caseapp.identity.keys import KeyStore, default_keystore
from caseapp.progress import CancelCheck, Meter, Progress
from caseapp.store import anchors, migrate
from caseapp.store import models as m

CHUNK = 1024 * 1024

PdfRenderer = Callable[[CaseDetail, BinaryIO], None]
Wrote = Callable[[int], None]  # told how many more bytes of the bundle were written


def _nothing(_count: int) -> None:
    pass


@dataclass(frozen=True)
class ExportReport:
    """What exporting a case did: the bundle written and its size, the records and evidence files it carries, and how it
    was signed and encrypted."""

    path: Path
    case_id: uuid.UUID
    case_title: str
    size: int  # bytes of the bundle file
    records: int
    files: int  # evidence files in the bundle
    evidence_bytes: int
    summary_pdf: bool
    signed_by: str | None  # the signing key's fingerprint
    encryption: str | None  # None, "passphrase" or "recipients"
    evidence_included: bool = True
    files_omitted: int = 0  # stored files the exhibits refer to, left out (include_evidence=False)


def default_pdf_renderer() -> PdfRenderer:
    """The case summary from ``caseapp.reports.summary`` (imported only when a bundle is made)."""
    try:
        from caseapp.reports.summary import render_summary
    except Exception as exc:
        raise BundleError(
            _(
                "The case summary (PDF) cannot be made: {reason}. Nothing was exported; "
                "export without the summary to go on."
            ).format(reason=exc)
        ) from exc

    def render(detail: CaseDetail, out: BinaryIO) -> None:
        from caseapp.settings import load_settings

        # the summary a colleague receives is an internal document: marked as the setting says, as when printed
        render_summary(detail, out, lang="fr", confidential=load_settings().confidential_mark)

    return render


class _Summary:
    """The case summary (PDF) the bundle carries. The renderer is found and the case read when the export starts
    (a summary that cannot be made at all stops it before anything is written); the PDF is laid out once the
    evidence files are written, while the disk is still taking them in (``durable.Flusher``)."""

    def __init__(self, core: Core, case_id: uuid.UUID, renderer: PdfRenderer | None) -> None:
        from caseapp.casefile.loaders import case_detail

        self._render = renderer or default_pdf_renderer()
        with reading(core) as session:
            self._detail = case_detail(session, case_id)

    def make(self) -> bytes:
        buffer = io.BytesIO()
        detail = self._detail
        try:
            self._render(detail, buffer)
        except Cancelled:
            raise
        except Exception as exc:
            reason = exc.message if isinstance(exc, CaseAppError) else f"{type(exc).__name__}: {exc}"
            raise BundleError(
                _(
                    "The case summary (PDF) could not be made: {reason}. Nothing was exported; "
                    "export without the summary to go on."
                ).format(reason=reason)
            ) from exc
        data = buffer.getvalue()
        if not data.startswith(b"%PDF"):
            raise BundleError(_("The case summary (PDF) could not be made: the renderer did not produce a PDF."))
        return data


def export_bundle(
    core: Core,
    case_id: uuid.UUID,
    target: Path,
    *,
    sign: bool | None = None,
    encrypt_passphrase: str | None = None,
    recipients: Sequence[str] = (),
    include_pdf: bool = True,
    include_evidence: bool = True,
    pdf_renderer: PdfRenderer | None = None,
    keystore: KeyStore | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> ExportReport:
    """Write the bundle of a case to ``target``.

    ``sign``: True signs (creating this person's key on first use), False does not, None (the default) signs
    when a key exists. ``encrypt_passphrase`` or ``recipients`` (age public keys) encrypt the whole file.
    ``include_pdf=False`` leaves the summary out on purpose; otherwise a summary that cannot be made stops the
    export with a BundleError saying why. ``include_evidence=False`` leaves the evidence files out (their names,
    sizes and SHA-256 still travel, and the bundle says the files were omitted). ``pdf_renderer(detail, out)``
    replaces the real one (tests).
    """
    target = Path(target)
    if target.is_dir():
        raise InvalidInput(_("“{path}” is a folder: give the name of the bundle file to write.").format(path=target))
    if not target.parent.is_dir():
        raise InvalidInput(_("The folder “{path}” does not exist.").format(path=target.parent))
    if encrypt_passphrase is not None and recipients:
        raise InvalidInput(_("Encrypt a bundle with a passphrase or for colleagues' keys, not both."))
    if encrypt_passphrase is not None and not encrypt_passphrase:
        raise InvalidInput(_("The passphrase cannot be empty."))
    for recipient in recipients:
        crypt.parse_recipient(recipient)
    store = keystore or default_keystore()
    signer = signing.ensure_signer(store) if sign else signing.load_signer(store) if sign is None else None

    with reading(core) as session:
        case = session.get(m.Case, case_id)
        if case is None:
            raise NotFound(_("No case with the identifier {id}.").format(id=case_id))
        title = case.title
        rows = content.collect(session, case_id)
        seq, head = anchors.head(session)  # the same state as the rows: the bundle anchors the history it carries
    _refuse_unsendable_text(rows)
    identity = anchors.ensure_database_id(core.db)
    described = {row["sha256"]: row["size"] for row in rows["stored_files"]}  # what case.json lists
    files = described if include_evidence else {}  # what the bag carries
    owners = _file_owners(rows)
    for sha, size in files.items():
        path = core.db.files.path_for(sha)
        try:
            actual = path.stat().st_size
        except OSError:
            actual = None
        if actual != size:
            raise BundleError(
                (
                    _("The file of exhibit {exhibit} is missing from the evidence store. Nothing was exported.")
                    if actual is None
                    else _("The file of exhibit {exhibit} has changed in the evidence store. Nothing was exported.")
                ).format(exhibit=owners.get(sha, sha[:16]))
            )
    summary = _Summary(core, case_id, pdf_renderer) if include_pdf else None
    exported_at = datetime.now(UTC)
    case_json = content.build_case_json(
        case_id,
        rows,
        files=described,
        summary_pdf=include_pdf,
        exported_by=core.author,
        exported_at=exported_at,
        app_version=__version__,
        evidence_included=include_evidence,
    )
    encrypting = encrypt_passphrase is not None or bool(recipients)
    passes = 2 if encrypting else 1  # progress: the zip is written, then encrypted
    meter = Meter((len(case_json) + sum(files.values())) * passes, progress, cancelled)  # the summary added once made
    info = [
        ("Bag-Software-Agent", f"CaseApp {__version__}"),
        ("Bagging-Date", exported_at.date().isoformat()),
        ("External-Identifier", str(case_id)),
        ("External-Description", f"CaseApp case bundle: {title}"),
        ("Contact-Name", core.author),
        (fmt.INFO_FORMAT, str(fmt.FORMAT_VERSION)),
        (fmt.INFO_CASE_ID, str(case_id)),
        (fmt.INFO_CASE_TITLE, title),
        (fmt.INFO_EXPORTED_BY, core.author),
        (fmt.INFO_EXPORTED_AT, exported_at.isoformat(timespec="seconds")),
        (fmt.INFO_APP_VERSION, __version__),
        (fmt.INFO_SCHEMA, migrate.records_revision()),
        (fmt.INFO_EVIDENCE, fmt.EVIDENCE_INCLUDED if include_evidence else fmt.EVIDENCE_OMITTED),
    ]
    anchor = None
    if identity is not None and seq > 0:
        anchor = anchors.Anchor(anchors.BUNDLE, identity, seq, head, exported_at, place=anchors.place_of(core.db))
        info.append((fmt.INFO_HISTORY_ANCHOR, anchors.bundle_field(anchor)))
    if signer is not None:
        info += [
            (fmt.INFO_SIGNING_KEY, signing.encode_public(signer.public_key)),
            (fmt.INFO_SIGNER, signing.show_fingerprint(signer.fingerprint)),
        ]

    def bag_info(pdf_size: int) -> bytes:
        """bag-info.txt, once the summary's size is known (Payload-Oxum counts it)."""
        payload = fmt.Oxum(len(case_json) + pdf_size + sum(files.values()), len(files) + 1 + (1 if pdf_size else 0))
        return fmt.write_info([*info[:2], ("Payload-Oxum", str(payload)), *info[2:]])

    bag = _Bag(
        folder=fmt.bag_folder(case_id),
        case_json=case_json,
        summary=summary,
        files=files,
        owners=owners,
        info=bag_info,
        signer=signer,
        store_path=core.db.files.path_for,
        when=exported_at,
        passes=passes,
    )

    plain_dir: Path | None = None
    partial: Path | None = None
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        partial = Path(name)
        # The bundle goes to disk while it is written (durable.Flusher); ``finish`` makes it all durable before the
        # rename publishes it.
        with os.fdopen(fd, "w+b") as out, durable.Flusher(out.fileno()) as flusher:
            if encrypting:
                plain_dir = workspace.new_workspace(core.data_dir, "export-")
                plain = plain_dir / "bundle.zip"
                with os.fdopen(workspace.create_private_file(plain), "w+b") as clear:
                    bag.write(clear, meter)
                    clear.seek(0)

                    def encrypted(count: int) -> None:
                        meter.tick(count)
                        flusher.wrote(count)

                    crypt.encrypt(
                        clear, out, passphrase=encrypt_passphrase, recipients=list(recipients), tick=encrypted
                    )
            else:
                bag.write(out, meter, flusher.wrote)
            out.flush()
            flusher.finish()
        meter.check()
        os.replace(partial, target)
        partial = None
        signing.fsync_folder(target.parent)
    except OSError as exc:
        raise StorageError(
            _("The bundle could not be written to “{path}”: {reason}.").format(path=target, reason=exc.strerror or exc)
        ) from exc
    finally:
        if partial is not None:
            with contextlib.suppress(OSError):
                partial.unlink()
        workspace.remove(plain_dir)
    if anchor is not None:  # the anchor file keeps what the bundle says, signed with the key that signed it
        with contextlib.suppress(OSError):
            signed = anchors.sign(replace(anchor, name=target.name), signer or anchors.load_signer(interactive=False))
            anchors.append(core.data_dir, signed)
    return ExportReport(
        path=target,
        case_id=case_id,
        case_title=title,
        size=target.stat().st_size,
        records=sum(len(r) for r in rows.values()),
        files=len(files),
        evidence_bytes=sum(files.values()),
        summary_pdf=include_pdf,
        signed_by=signer.fingerprint if signer else None,
        encryption=(crypt.PASSPHRASE if encrypt_passphrase is not None else crypt.RECIPIENTS) if encrypting else None,
        evidence_included=include_evidence,
        files_omitted=0 if include_evidence else len(described),
    )


def _file_owners(rows: dict[str, list[content.Row]]) -> dict[str, str]:
    """For messages: which exhibit a stored file belongs to ("n° 3 — courrier.pdf")."""
    by_file = {row["id"]: row for row in rows["stored_files"]}
    owners: dict[str, str] = {}
    for item in rows["evidence"]:
        stored = by_file.get(item["file_id"])
        if stored is not None:
            owners.setdefault(stored["sha256"], f"n° {item['number']} ({stored['original_name']})")
    return owners


class _Copy:
    """What copying the evidence files into the zip shares: progress, the flusher, one buffer."""

    def __init__(self, meter: Meter, wrote: Wrote) -> None:
        self.meter = meter
        self.wrote = wrote
        self.buffer = bytearray(CHUNK)
        self.view = memoryview(self.buffer)


@dataclass
class _Bag:
    """What one export puts in the zip, gathered before it is written: case.json, the evidence files (SHA-256 → size,
    read from ``store_path``), the case summary, bag-info.txt (made once the summary's size is known) and the signer."""

    folder: str
    case_json: bytes
    summary: _Summary | None
    files: dict[str, int]
    owners: dict[str, str]
    info: Callable[[int], bytes]  # bag-info.txt, given the summary's size
    signer: signing.Signer | None
    store_path: Callable[[str], Path]
    when: datetime
    passes: int = 1  # how many times the meter counts each byte

    def _entry(self, name: str, size: int, method: int) -> zipfile.ZipInfo:
        entry = zipfile.ZipInfo(f"{self.folder}/{name}", date_time=self.when.timetuple()[:6])
        entry.compress_type = method
        entry.create_system = 3
        entry.external_attr = (stat.S_IFREG | 0o644) << 16
        entry.file_size = size
        return entry

    def _put(self, archive: zipfile.ZipFile, name: str, data: bytes, *, deflate: bool) -> str:
        method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
        archive.writestr(self._entry(name, len(data), method), data, compresslevel=6 if deflate else None)
        return hashlib.sha256(data).hexdigest()

    def _put_file(self, archive: zipfile.ZipFile, sha: str, size: int, copy: _Copy) -> None:
        """One pass over the stored file: each chunk is read once into the same buffer, hashed (SHA-256), then
        written to the zip (which adds it to the entry's CRC-32)."""
        sha256 = hashlib.sha256()
        with (
            self.store_path(sha).open("rb", buffering=0) as source,
            archive.open(self._entry(fmt.evidence_name(sha), size, zipfile.ZIP_STORED), "w") as out,
        ):
            while count := source.readinto(copy.buffer):
                chunk = copy.view[:count]
                sha256.update(chunk)
                out.write(chunk)
                copy.wrote(count)
                copy.meter.tick(count)
        if sha256.hexdigest() != sha:
            raise BundleError(
                _(
                    "The file of exhibit {exhibit} has changed since it was added: its SHA-256 no longer matches. "
                    "Nothing was exported."
                ).format(exhibit=self.owners.get(sha, sha[:16]))
            )

    def write(self, out: BinaryIO, meter: Meter, wrote: Wrote = _nothing) -> None:
        """The zip, to ``out``; ``wrote(count)`` is told of the evidence bytes as they reach the system."""
        manifest: dict[str, str] = {}
        copy = _Copy(meter, wrote)
        with zipfile.ZipFile(out, "w", allowZip64=True) as archive:
            self._put(archive, fmt.BAGIT, fmt.BAGIT_TEXT, deflate=True)
            manifest[fmt.CASE_JSON] = self._put(archive, fmt.CASE_JSON, self.case_json, deflate=True)
            meter.tick(len(self.case_json))
            for sha, size in sorted(self.files.items()):
                self._put_file(archive, sha, size, copy)
                manifest[fmt.evidence_name(sha)] = sha
            # The summary is made now, while the disk takes in the evidence files written so far.
            pdf = self.summary.make() if self.summary is not None else b""
            if pdf:
                meter.total += len(pdf) * self.passes
                manifest[fmt.SUMMARY_PDF] = self._put(archive, fmt.SUMMARY_PDF, pdf, deflate=False)
                meter.tick(len(pdf))
            info = self.info(len(pdf))
            manifest_text = fmt.write_manifest(manifest.items())
            tags = {
                fmt.BAGIT: hashlib.sha256(fmt.BAGIT_TEXT).hexdigest(),
                fmt.BAG_INFO: hashlib.sha256(info).hexdigest(),
                fmt.MANIFEST: hashlib.sha256(manifest_text).hexdigest(),
            }
            tag_manifest = fmt.write_manifest(tags.items())
            self._put(archive, fmt.MANIFEST, manifest_text, deflate=True)
            self._put(archive, fmt.BAG_INFO, info, deflate=True)
            self._put(archive, fmt.TAG_MANIFEST, tag_manifest, deflate=True)
            if self.signer is not None:
                self._put(archive, fmt.SIGNATURE, self.signer.sign(tag_manifest), deflate=False)


_UNSENDABLE = re.compile("[\x00\ud800-\udfff]")


def _unsendable(text: str) -> bool:
    """NUL, or a lone surrogate: text an older version let in, which no colleague's CaseApp would accept."""
    return _UNSENDABLE.search(text) is not None


def _refuse_unsendable_text(rows: dict[str, list[dict[str, object]]]) -> None:
    """Refuse to send a bundle its receiver would refuse whole, naming the record to correct."""
    for table_name, records in rows.items():
        for row in records:
            for column, value in row.items():
                if isinstance(value, str) and _unsendable(value):
                    raise BundleError(
                        _(
                            "A {table} record ({id}) holds a character that cannot be sent in its “{field}” (a NUL "
                            "or a broken character, written by an older version): correct it, then export again. "
                            "Nothing was exported."
                        ).format(table=table_name, id=row.get("id", "?"), field=column)
                    )
