"""The commands that write documents: one per entry of ``services.documents.DOCUMENTS`` (``summary``,
``bordereau``, ``hearing-sheet``, ``case-pdf``), and ``telerecours``.

``register(sub)`` adds them to the ``caseapp`` parser. ReportLab (and the output files' helpers) are imported only
when one of them runs, so the other commands start as fast as before.
"""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseapp.cli.catalogue import help_of
from caseapp.cli.common import HEX, MIN_PREFIX, open_core, resolve_hearing
from caseapp.errors import InvalidInput, NotFound
from caseapp.i18n import _, ngettext
from caseapp.textsafe import for_terminal

if TYPE_CHECKING:
    from caseapp.casefile.core import Core
    from caseapp.casefile.views import CaseDetail

LANGUAGES = ("fr", "en")  # as caseapp.services.documents.LANGUAGES (not imported: --help stays light)


def resolve_filing(detail: CaseDetail, ref: str) -> uuid.UUID:
    """Find one of the case's filings by its UUID or a unique prefix of it (at least 6 characters)."""
    wanted = ref.strip().replace("-", "").lower()
    if len(wanted) < MIN_PREFIX or not HEX.match(ref.strip()):
        raise InvalidInput(_("Give the filing's identifier or its first 6 characters or more."))
    matches = [f.id for f in detail.filings if f.id.hex.startswith(wanted)]
    if len(matches) > 1:
        raise InvalidInput(
            _("“{ref}” matches several filings: give more characters of the identifier.").format(ref=ref)
        )
    if not matches:
        raise NotFound(_("No filing of this case matches “{ref}”.").format(ref=ref))
    return matches[0]


def _case(args: argparse.Namespace) -> tuple[Core, CaseDetail]:
    from caseapp.services.cases import get_case, resolve_case

    core = open_core(args)
    return core, get_case(core, resolve_case(core, args.case))


def check_output_folder(path: Path) -> Path:
    """A folder to write an exhibit set into: a real folder (or one to create), never a link or a device."""
    import os
    import stat

    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return path
    if not stat.S_ISDIR(mode):
        raise InvalidInput(
            _("“{path}” is not a folder CaseApp can write into (a link, a device or a file).").format(
                path=for_terminal(str(path))
            )
        )
    return path


def _written(path: Path, pages: int) -> None:
    print(
        ngettext("Written: {path} ({pages} page).", "Written: {path} ({pages} pages).", pages).format(
            path=path, pages=pages
        )
    )


def _write_document(core: Core, request: Any, output: str) -> int:
    from caseapp.outputs import as_path, staged
    from caseapp.services import documents

    made_from = documents.sources(core, request)
    with staged(output) as path:  # never through a link or a device: a private file renamed over the target
        result = documents.write(request, made_from, path)
    for left in getattr(result, "left_out", ()):  # the whole case as one PDF: exhibits whose file is not in it
        print(
            _("Not included: exhibit n° {number} ({reason}).").format(
                number=left.number, reason=for_terminal(left.reason())
            )
        )
    _written(as_path(output), result.pages)
    return 0


def cmd_document(args: argparse.Namespace) -> int:
    """Write one of ``services.documents.DOCUMENTS`` (which one: ``args.document``)."""
    from caseapp.services.documents import DOCUMENTS, DocumentRequest
    from caseapp.services.hearings import get_hearing

    kind = DOCUMENTS[args.document]
    if kind.per_hearing:
        core = open_core(args)
        hearing = get_hearing(core, resolve_hearing(core, args.hearing))
        request = DocumentRequest(kind.key, hearing.case_id, hearing_id=hearing.id, lang=args.lang)
    else:
        core, detail = _case(args)
        filing = getattr(args, "filing", None)
        request = DocumentRequest(
            kind.key,
            detail.id,
            filing_id=resolve_filing(detail, filing) if filing else None,
            lang=args.lang,
            notes=not getattr(args, "no_notes", False),
            telerecours=getattr(args, "telerecours", False),
            include_privileged=getattr(args, "include_privileged", False),
            tags=tuple(getattr(args, "tag", None) or ()),
        )
    return _write_document(core, request, args.output)


def cmd_telerecours(args: argparse.Namespace) -> int:
    from caseapp.outputs import as_path
    from caseapp.services.documents import export_exhibit_set

    core, detail = _case(args)
    filing_id = resolve_filing(detail, args.filing) if args.filing else None
    target = as_path(args.output)
    if target.suffix.lower() != ".zip":
        target = check_output_folder(target)
    result = export_exhibit_set(
        core, detail, target, filing_id=filing_id, force=args.force, overwrite=args.overwrite, lang=args.lang
    )
    for problem in result.problems:
        print(_("Warning: {message}").format(message=for_terminal(problem.message)))
    if result.skipped:
        numbers = ", ".join(str(n) for n in result.skipped)
        print(_("Left out of the set and of its bordereau (no usable file): {numbers}.").format(numbers=numbers))
    for name in result.files:
        print(f"  {for_terminal(name)}")
    count = len(result.files)
    written = ngettext(
        "Exhibit set written: {path} ({count} file).", "Exhibit set written: {path} ({count} files).", count
    )
    print(written.format(path=result.path, count=count))
    return 0


def register(sub: Any) -> None:
    """Add the document sub-commands to the ``caseapp`` sub-parsers."""

    def add(name: str, handler: Any, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
        parser.set_defaults(handler=handler)
        return parser

    case_help = _("a case identifier, a unique prefix of it (6+ characters) or its court number")

    def common(parser: argparse.ArgumentParser, *, output: str) -> None:
        parser.add_argument("-o", "--output", required=True, metavar=output, help=_("where to write it"))
        parser.add_argument(
            "--lang", choices=LANGUAGES, default="fr", help=_("language of the document (default: fr, French)")
        )

    from caseapp.services.documents import DOCUMENTS

    for kind in DOCUMENTS.values():
        parser = add(kind.command, cmd_document, help_of(kind.command))
        parser.set_defaults(document=kind.key)
        if kind.per_hearing:
            parser.add_argument(
                "hearing", metavar="HEARING", help=_("a hearing identifier or a unique prefix of it (6+ characters)")
            )
        else:
            parser.add_argument("case", metavar="CASE", help=case_help)
        common(parser, output="FILE")
        if kind.by_filing:
            parser.add_argument(
                "--filing", metavar="ID", help=_("only the exhibits of this filing (identifier or 6+ first characters)")
            )
        if kind.notes_optional:
            parser.add_argument("--no-notes", action="store_true", help=_("leave the hearing notes out"))
        if kind.telerecours_variant:
            parser.add_argument(
                "--telerecours",
                action="store_true",
                help=_(
                    "the single file for Télérecours: the bordereau then the exhibits, one bookmark per exhibit "
                    "named as the bordereau lists it"
                ),
            )
        if kind.by_tag:
            parser.add_argument(
                "--tag",
                action="append",
                metavar="T",
                help=_(
                    "only the entries with this tag (repeat for several): decision, filing, hearing, opinion, cada, "
                    "exhibit, case, or an authority (cnil, defenseur-des-droits)"
                ),
            )
        if kind.privileged_optional:
            parser.add_argument(
                "--include-privileged", action="store_true", help=_("include the hearing notes (left out by default)")
            )

    telerecours = add("telerecours", cmd_telerecours, help_of("telerecours"))
    telerecours.add_argument("case", metavar="CASE", help=case_help)
    common(telerecours, output="DIR_OR_ZIP")
    telerecours.add_argument(
        "--filing", metavar="ID", help=_("only the exhibits of this filing (identifier or 6+ first characters)")
    )
    telerecours.add_argument(
        "--force",
        action="store_true",
        help=_(
            "export even with blocking problems (exhibits without a usable file are left out, and the bordereau "
            "lists only the exhibits exported)"
        ),
    )
    telerecours.add_argument("--overwrite", action="store_true", help=_("replace an existing zip or non-empty folder"))
