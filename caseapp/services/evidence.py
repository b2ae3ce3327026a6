"""Evidence (pièces): numbered exhibits of a case, with files whose integrity can be proved.

Files are copied into the content-addressed store *before* the transaction (hashing can take long, and must
not hold the database). The store only grows: if the transaction then fails, the copy stays, unreferenced, and
``caseapp evidence verify`` lists it (``caseapp evidence prune`` removes it on request).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from caseapp.casefile import fields as f
from caseapp.casefile import kinds, records
from caseapp.casefile.core import Core
from caseapp.casefile.loaders import evidence_view
from caseapp.casefile.records import get_or_404
from caseapp.casefile.search import created_here
from caseapp.casefile.uow import UnitOfWork, reading
from caseapp.casefile.views import EvidenceView
from caseapp.errors import Cancelled, CaseAppError, InvalidInput
from caseapp.i18n import N_, _
from caseapp.progress import Announce, CancelCheck, Progress
from caseapp.store import models as m
from caseapp.store.files import Intake

EVIDENCE_FORM = kinds.EVIDENCE.form


def _check(uow: UnitOfWork, item: m.Evidence) -> None:
    if item.number is None:
        item.number = next_number(uow.session, item.case_id)
    clash = uow.session.scalar(
        select(m.Evidence.id).where(
            m.Evidence.case_id == item.case_id, m.Evidence.number == item.number, m.Evidence.id != item.id
        )
    )
    if clash is not None:
        raise InvalidInput(
            _("Exhibit n° {number} already exists in this case. Choose another number or renumber.").format(
                number=item.number
            ),
            field="number",
        )
    if item.filing_id is not None:
        filing_case = uow.session.scalar(select(m.Filing.case_id).where(m.Filing.id == item.filing_id))
        if filing_case != item.case_id:
            raise InvalidInput(_("That filing does not belong to this case."), field="filing_id")


EVIDENCE = records.Kind(kinds.EVIDENCE, checks=(_check,))


def next_number(session: Any, case_id: uuid.UUID) -> int:
    return (session.scalar(select(func.max(m.Evidence.number)).where(m.Evidence.case_id == case_id)) or 0) + 1


def get_evidence(core: Core, evidence_id: uuid.UUID) -> EvidenceView:
    with reading(core) as session:
        item = session.scalar(
            select(m.Evidence).options(selectinload(m.Evidence.file)).where(m.Evidence.id == evidence_id)
        )
        return evidence_view(item if item is not None else get_or_404(session, m.Evidence, evidence_id, N_("exhibit")))


def list_evidence(core: Core, case_id: uuid.UUID) -> list[EvidenceView]:
    with reading(core) as session:
        items = session.scalars(
            select(m.Evidence)
            .options(selectinload(m.Evidence.file))
            .where(m.Evidence.case_id == case_id)
            .order_by(m.Evidence.number)
        )
        return [evidence_view(e) for e in items]


def add_evidence(
    core: Core, case_id: uuid.UUID, *, example: bool = False, record_id: uuid.UUID | None = None, **values: Any
) -> EvidenceView:
    """Add an exhibit without a file; it gets the next number unless one is given."""
    return get_evidence(
        core, records.create(core, EVIDENCE, values, record_id=record_id, case_id=case_id, example=example)
    )


def update_evidence(
    core: Core, evidence_id: uuid.UUID, *, expected_version: int | None = None, **values: Any
) -> EvidenceView:
    return get_evidence(core, records.update(core, EVIDENCE, evidence_id, values, expected_version=expected_version))


def restore_evidence(core: Core, view: EvidenceView) -> EvidenceView:
    """Put back an exhibit that was deleted (undo), with its number, identifier and stored file if the store
    still has it."""
    with UnitOfWork(core) as uow:
        records.require_case(uow.session, view.case_id)
        if uow.session.get(m.Evidence, view.id) is not None:
            raise InvalidInput(_("This exhibit already exists."))
        file_id = None
        if view.file is not None and core.db.files.has(view.file.sha256):
            stored = uow.session.get(m.StoredFile, view.file.id)
            file_id = stored.id if stored is not None else None
        item = m.Evidence(
            id=view.id,
            case_id=view.case_id,
            number=view.number,
            title=view.title,
            description=view.description,
            document_date=view.document_date,
            source=view.source,
            filing_id=view.filing_id,
            file_id=file_id,
            example=view.example,
        )
        _insert(uow, item, _("Exhibit restored: {description}"))
        uow.commit()
    return get_evidence(core, view.id)


def delete_evidence(core: Core, evidence_id: uuid.UUID, *, expected_version: int | None = None) -> uuid.UUID | None:
    """Delete an exhibit. Its stored file stays in the store (other exhibits or the history may need it)."""
    return records.delete(core, EVIDENCE, evidence_id, expected_version=expected_version)


def _insert(uow: UnitOfWork, item: m.Evidence, summary: str, changes: dict[str, Any] | None = None) -> None:
    """Check, add and index a new exhibit built outside the generic create (file intake, undo)."""
    with uow.session.no_autoflush:
        _check(uow, item)
    uow.session.add(item)
    created_here(uow.session, item.id)
    uow.flush()
    kinds.index_exhibit(uow.session, item)
    uow.audit(
        "create",
        "evidence",
        item.id,
        summary.format(description=kinds.describe_exhibit(item)),
        case_id=item.case_id,
        changes={"number": item.number, "title": item.title} | (changes or {}),
    )


def _stored_file(uow: UnitOfWork, intake: Intake) -> m.StoredFile:
    stored = m.StoredFile(
        id=uuid.uuid4(),
        sha256=intake.sha256,
        original_name=intake.original_name,
        size=intake.size,
        media_type=intake.media_type,
        added_by=uow.core.author,
    )
    uow.session.add(stored)
    return stored


def add_evidence_file(
    core: Core,
    case_id: uuid.UUID,
    path: Path,
    *,
    title: str | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    example: bool = False,
    record_id: uuid.UUID | None = None,
    **values: Any,
) -> EvidenceView:
    """Take a file in as a new exhibit: hash and copy it into the store, then record it in one transaction."""
    path = Path(path)
    values["title"] = title or path.stem
    cleaned = EVIDENCE_FORM.clean(values)
    with reading(core) as session:
        records.require_case(session, case_id)
    intake = core.db.files.add_file(path, progress=progress, cancelled=cancelled)
    with UnitOfWork(core) as uow:
        stored = _stored_file(uow, intake)
        item = m.Evidence(id=record_id or uuid.uuid4(), case_id=case_id, file_id=stored.id, example=example, **cleaned)
        _insert(
            uow,
            item,
            _("Exhibit added: {description}"),
            {"file": intake.original_name, "sha256": intake.sha256, "size": intake.size},
        )
        uow.commit()
        evidence_id = item.id
    return get_evidence(core, evidence_id)


@dataclass
class IntakeResult:
    """What taking in several files did: the exhibits added, the files refused (name, why), the files held back
    because they are doubtful (an empty file, a file the case already holds: the path and why, to ask about and take
    in knowingly with ``keep_doubtful``), and whether the person cancelled (then nothing was added)."""

    added: list[EvidenceView] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False
    held_back: list[tuple[Path, str]] = field(default_factory=list)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def take_in_files(
    core: Core,
    case_id: uuid.UUID,
    paths: list[Path],
    *,
    source: str | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    announce: Announce | None = None,
    keep_doubtful: bool = False,
) -> IntakeResult:
    """Take several files in as the case's next exhibits, numbered in the order given: one action.

    An empty file (0 bytes) and a file the case already holds (the same SHA-256, as an exhibit or earlier in the
    same selection) are not taken in silently: they are held back (``IntakeResult.held_back``, with the reason)
    unless ``keep_doubtful`` says the person wants them anyway.

    Each file is hashed and copied into the evidence store first (that may take long and holds no database
    lock); a file that cannot be read is refused with the reason and the others go on. Then every exhibit is
    recorded in one transaction: all of them or, if anything fails or the person cancels, none (the store
    only grows: copies nobody references are listed by ``caseapp evidence verify``). ``source``: the provenance
    every exhibit carries (``access.take_in_documents`` says where documents obtained from a CADA request came from).
    """
    with reading(core) as session:
        records.require_case(session, case_id)
        held = {
            sha: (number, title)
            for sha, number, title in session.execute(
                select(m.StoredFile.sha256, m.Evidence.number, m.Evidence.title)
                .join(m.Evidence, m.Evidence.file_id == m.StoredFile.id)
                .where(m.Evidence.case_id == case_id)
            )
        }
    in_selection: dict[str, str] = {}
    result = IntakeResult()
    taken: list[tuple[Intake, dict[str, Any]]] = []
    total = sum(_size(Path(p)) for p in paths) or 1
    before = 0
    for number, path in enumerate(Path(p) for p in paths):
        if announce is not None:
            announce(
                _("Hashing and copying “{name}” ({number} of {count})…").format(
                    name=path.name, number=number + 1, count=len(paths)
                )
            )

        def step(done: int, _total: int, base: int = before) -> None:
            if progress is not None:
                progress(base + done, total)

        try:
            values = {"title": path.stem} | ({"source": source} if source else {})
            cleaned = EVIDENCE_FORM.clean(values)
            intake = core.db.files.add_file(path, progress=step, cancelled=cancelled)
            doubt = None if keep_doubtful else _doubt(intake, held, in_selection)
            in_selection.setdefault(intake.sha256, path.name)
            if doubt is None:
                taken.append((intake, cleaned))
            else:
                result.held_back.append((path, doubt))
        except Cancelled:
            return IntakeResult(refused=result.refused, cancelled=True)
        except CaseAppError as exc:
            result.refused.append((path.name, exc.message))
        before += _size(path)
        if progress is not None:
            progress(before, total)
    if cancelled is not None and cancelled():
        return IntakeResult(refused=result.refused, cancelled=True)
    if not taken:
        return result
    added: list[uuid.UUID] = []
    with UnitOfWork(core) as uow:
        for intake, cleaned in taken:
            stored = _stored_file(uow, intake)
            item = m.Evidence(id=uuid.uuid4(), case_id=case_id, file_id=stored.id, **cleaned)
            _insert(
                uow,
                item,
                _("Exhibit added: {description}"),
                {"file": intake.original_name, "sha256": intake.sha256, "size": intake.size},
            )
            added.append(item.id)
        uow.commit()
    with reading(core) as session:
        rows = session.scalars(
            select(m.Evidence).options(selectinload(m.Evidence.file)).where(m.Evidence.id.in_(added))
        ).all()
        result.added = sorted((evidence_view(row) for row in rows), key=lambda view: view.number)
    return result


def _doubt(intake: Any, held: dict[str, tuple[int, str]], in_selection: dict[str, str]) -> str | None:
    """Why a file should not be taken in without asking: empty, or already in the case (None when it is fine)."""
    if intake.size == 0:
        return _("the file is empty (0 bytes)")
    if intake.sha256 in held:
        number, title = held[intake.sha256]
        return _("the case already holds this file, as exhibit n° {number} — {title}").format(
            number=number, title=title
        )
    if intake.sha256 in in_selection:
        return _("the same file as “{name}”, chosen just before").format(name=in_selection[intake.sha256])
    return None


def attach_file(
    core: Core,
    evidence_id: uuid.UUID,
    path: Path,
    *,
    expected_version: int | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> EvidenceView:
    """Give an existing exhibit its file (or a new version of it; the old one stays in the store)."""
    with reading(core) as session:
        get_or_404(session, m.Evidence, evidence_id, N_("exhibit"))
    intake = core.db.files.add_file(Path(path), progress=progress, cancelled=cancelled)
    with UnitOfWork(core) as uow:
        item = get_or_404(uow.session, m.Evidence, evidence_id, N_("exhibit"))
        f.check_version(item, expected_version, N_("exhibit"))
        stored = _stored_file(uow, intake)
        item.file_id = stored.id
        uow.audit(
            "update",
            "evidence",
            item.id,
            _("File attached to exhibit: {description}").format(description=kinds.describe_exhibit(item)),
            case_id=item.case_id,
            changes={"file": intake.original_name, "sha256": intake.sha256, "size": intake.size},
        )
        uow.commit()
    return get_evidence(core, evidence_id)


def supply_missing_file(
    core: Core,
    evidence_id: uuid.UUID,
    path: Path,
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> EvidenceView:
    """Give back to an exhibit the file its record names but the store lacks (a bundle received without its
    evidence, a store restored from an older copy). The file is accepted only if its SHA-256 is the one
    recorded; no record changes, so the exhibit stays identical to the sender's."""
    item = get_evidence(core, evidence_id)
    if item.file is None:
        raise InvalidInput(_("This exhibit has no file on record: attach one instead."))
    if core.db.files.has(item.file.sha256):
        return item
    intake = core.db.files.add_file(Path(path), progress=progress, cancelled=cancelled)
    if intake.sha256 != item.file.sha256:
        raise InvalidInput(
            _(
                "This is not the file of exhibit n° {number}: its SHA-256 is {actual}, the exhibit's is {expected}."
            ).format(number=item.number, actual=intake.sha256, expected=item.file.sha256)
        )
    with UnitOfWork(core) as uow:
        uow.audit(
            "supply",
            "evidence",
            item.id,
            _("Missing file supplied for exhibit: {description}").format(
                description=f"n° {item.number} — {item.title}"
            ),
            case_id=item.case_id,
            changes={"sha256": intake.sha256, "file": Path(path).name},
        )
        uow.commit()
    return get_evidence(core, evidence_id)


def renumber_evidence(core: Core, case_id: uuid.UUID, order: list[uuid.UUID] | None = None) -> list[EvidenceView]:
    """Number a case's exhibits 1, 2, 3… in the given order (default: the current order, closing gaps)."""
    with UnitOfWork(core) as uow:
        records.require_case(uow.session, case_id)
        items = list(
            uow.session.scalars(select(m.Evidence).where(m.Evidence.case_id == case_id).order_by(m.Evidence.number))
        )
        by_id = {item.id: item for item in items}
        if order is not None:
            if len(order) != len(set(order)) or set(order) != set(by_id):
                raise InvalidInput(_("The new order must list every exhibit of the case exactly once."))
            items = [by_id[i] for i in order]
        old = {item.id: item.number for item in items}
        if all(old[item.id] == position for position, item in enumerate(items, start=1)):
            return list_evidence(core, case_id)
        # Two steps, so the unique (case, number) rule holds at every moment: first out of the way, then in place.
        for item in items:
            uow.session.execute(
                update(m.Evidence)
                .where(m.Evidence.id == item.id)
                .values(number=-old[item.id], version=item.version + 1)
            )
        for position, item in enumerate(items, start=1):
            uow.session.execute(update(m.Evidence).where(m.Evidence.id == item.id).values(number=position))
        uow.session.expire_all()
        for item in items:
            entity = uow.session.get(m.Evidence, item.id)
            assert entity is not None
            kinds.index_exhibit(uow.session, entity)
        uow.audit(
            "renumber",
            "evidence",
            case_id,
            _("Exhibits renumbered"),
            case_id=case_id,
            changes={
                str(item.id): [old[item.id], position]
                for position, item in enumerate(items, start=1)
                if old[item.id] != position
            },
        )
        uow.commit()
    return list_evidence(core, case_id)


@dataclass(frozen=True)
class Verification:
    """One exhibit whose stored file was hashed again, and what is wrong with it (None: nothing)."""

    evidence: EvidenceView
    problem: str | None  # None when the file is there and its hash matches


def verify_evidence(
    core: Core, case_id: uuid.UUID, *, progress: Progress | None = None, cancelled: CancelCheck | None = None
) -> list[Verification]:
    """Re-hash every stored file of a case's exhibits and say plainly which ones no longer match."""
    from caseapp.errors import Cancelled

    items = [e for e in list_evidence(core, case_id) if e.file is not None]
    total = sum(e.file.size for e in items if e.file) or 1
    done = 0
    results: list[Verification] = []
    for item in items:
        if cancelled is not None and cancelled():
            raise Cancelled()
        assert item.file is not None
        try:
            problem = core.db.files.verify(item.file.sha256)
        except (OSError, CaseAppError) as exc:
            problem = str(exc)
        results.append(Verification(item, problem))
        done += item.file.size
        if progress is not None:
            progress(done, total)
    return results


def file_path(core: Core, evidence_id: uuid.UUID) -> Path | None:
    """Where an exhibit's file is in the store (to open it read-only), or None if it has no file."""
    item = get_evidence(core, evidence_id)
    return core.db.files.path_for(item.file.sha256) if item.file else None


@dataclass(frozen=True)
class UnreferencedFile:
    """A file in the evidence store that no record of this case file names (it may be another database's)."""

    sha256: str
    size: int


def unreferenced_files(core: Core) -> list[UnreferencedFile]:
    """The files in the evidence store that no stored-file record of this database names. They are reported,
    never removed behind the person's back: a restored backup, the file set aside by a restore or the team's
    server may name them."""
    with reading(core) as session:
        referenced = set(session.scalars(select(m.StoredFile.sha256)))
    found = []
    for path in core.db.files.stored_files():
        if path.name not in referenced:
            try:
                size = path.stat().st_size
            except OSError:
                continue
            found.append(UnreferencedFile(path.name, size))
    return sorted(found, key=lambda f: f.sha256)


def prune_files(core: Core, digests: list[str]) -> list[str]:
    """Remove, from the evidence store, the files named here — only files no record of this database names.
    Refuses the whole request (removing nothing) if any digest is unknown or still named by a record."""
    wanted = [d.strip().lower() for d in digests if d.strip()]
    if not wanted:
        raise InvalidInput(_("Name the files to remove by their SHA-256 (see “caseapp evidence verify”)."))
    for digest in wanted:
        core.db.files.path_for(digest)  # refuses what is not a SHA-256
    with reading(core) as session:
        named = set(session.scalars(select(m.StoredFile.sha256).where(m.StoredFile.sha256.in_(wanted))))
    if named:
        raise InvalidInput(
            _("These files are still named by exhibits and were not removed: {digests}.").format(
                digests=", ".join(sorted(named))
            )
        )
    absent = [d for d in wanted if not core.db.files.has(d)]
    if absent:
        raise InvalidInput(
            _("These files are not in the evidence store: {digests}. Nothing was removed.").format(
                digests=", ".join(absent)
            )
        )
    for digest in wanted:
        core.db.files.remove(digest)
    return wanted


def restore_exhibit(
    core: Core, case_id: uuid.UUID, record_id: uuid.UUID, values: dict[str, Any], file: Any | None = None
) -> EvidenceView:
    """Bring back a deleted exhibit with its own identifier and number, and its file — still in the store, which
    only grows — in one transaction (undo of a delete). ``file``: the exhibit's file as it was read before
    (``FileView``), or None. A file no longer in the store leaves the exhibit without one, said by the result."""
    cleaned = EVIDENCE_FORM.clean(values)
    with UnitOfWork(core) as uow:
        records.insert(uow, EVIDENCE, cleaned, record_id=record_id, case_id=case_id)
        if file is not None and core.db.files.has(file.sha256):
            stored = m.StoredFile(
                id=uuid.uuid4(),
                sha256=file.sha256,
                original_name=file.original_name,
                size=file.size,
                media_type=file.media_type,
                added_by=file.added_by,
                added_at=file.added_at,
            )
            uow.session.add(stored)
            uow.flush()
            item = uow.session.get(m.Evidence, record_id)
            assert item is not None
            item.file_id = stored.id
            uow.audit(
                "update",
                "evidence",
                record_id,
                _("File attached to exhibit: {description}").format(description=kinds.describe_exhibit(item)),
                case_id=case_id,
                changes={"file": file.original_name, "sha256": file.sha256, "size": file.size},
            )
        uow.commit()
    return get_evidence(core, record_id)
