"""``caseapp letter KIND CASE -o FILE [--format pdf|odt|docx] [--sent DATE [--received DATE]]``: a letter from the
case (the CADA request, the referral to the CADA, a recours gracieux, a demande préalable), and recording it as
sent, which enters the deadline it starts."""

from __future__ import annotations

import argparse
import uuid
from typing import Any

from caseapp.cli.catalogue import help_of
from caseapp.cli.common import open_core
from caseapp.cli.output import day
from caseapp.errors import InvalidInput
from caseapp.i18n import _, ngettext
from caseapp.textsafe import for_terminal

# as caseapp.reports.letters.KINDS (not imported: --help stays light)
KINDS = ("cada-request", "cada-referral", "recours-gracieux", "demande-prealable")
FORMATS = ("pdf", "odt", "docx")


def _uuid_of(ref: str | None, choices: list[uuid.UUID], what: str) -> uuid.UUID | None:
    if not ref:
        return None
    wanted = ref.strip().replace("-", "").lower()
    found = [c for c in choices if c.hex.startswith(wanted)] if len(wanted) >= 6 else []
    if len(found) != 1:
        raise InvalidInput(_("No single {what} of this case matches “{ref}”.").format(what=what, ref=ref))
    return found[0]


def cmd_letter(args: argparse.Namespace) -> int:
    from caseapp.date_parsing import parse_date
    from caseapp.outputs import as_path, staged
    from caseapp.services.cases import get_case, resolve_case
    from caseapp.services.letters import LetterRequest, make_letter, mark_sent

    if not args.output and not args.sent:
        raise InvalidInput(_("Give -o FILE to write the letter, --sent DATE to record it as sent, or both."))
    if args.received and not args.sent:
        raise InvalidInput(_("--received goes with --sent."))
    core = open_core(args)
    detail = get_case(core, resolve_case(core, args.case))
    request_id = _uuid_of(args.request, [r.id for r in detail.access_requests], _("CADA request"))
    decision_id = _uuid_of(args.decision, [f.id for f in detail.filings], _("decision"))
    if args.output:
        request = LetterRequest(args.kind, detail.id, args.lang, request_id, decision_id, args.amount)
        fmt = args.format
        with staged(args.output) as path:
            if fmt is None:
                suffix = as_path(args.output).suffix.lower().lstrip(".")
                fmt = suffix if suffix in FORMATS else "pdf"
            letter, written = make_letter(core, request, path, fmt)
        print(_("Written: {path} ({format}).").format(path=as_path(args.output), format=written))
        print(_("Legal basis: {articles}.").format(articles=", ".join(letter.legal_basis)))
        if letter.to_fill:
            print(
                ngettext(
                    "{count} blank to fill in by hand (“[…]”).",
                    "{count} blanks to fill in by hand (“[…]”).",
                    letter.to_fill,
                ).format(count=letter.to_fill)
            )
    if args.sent:
        sent_on = parse_date(args.sent)
        received_on = parse_date(args.received) if args.received else None
        result = mark_sent(
            core, args.kind, detail.id, sent_on, received_on=received_on, request_id=request_id, decision_id=decision_id
        )
        print(_("Recorded as sent on {date}.").format(date=day(result.sent_on)))
        if result.receipt_assumed:
            print(
                _(
                    "Received on the day it was sent, until you record the date of the acknowledgement of receipt: "
                    "the deadlines are never later than the real ones."
                )
            )
        for deadline in sorted(result.deadlines, key=lambda d: d.due_on):
            print(f"  {day(deadline.due_on)}  {for_terminal(deadline.title)}  ({deadline.legal_basis or '—'})")
    return 0


def register(sub: Any) -> None:
    text = help_of("letter")
    parser: argparse.ArgumentParser = sub.add_parser("letter", help=text, description=text)
    parser.set_defaults(handler=cmd_letter)
    parser.add_argument(
        "kind", choices=KINDS, metavar="KIND", help=_("which letter: {kinds}").format(kinds=", ".join(KINDS))
    )
    parser.add_argument(
        "case", metavar="CASE", help=_("a case identifier, a unique prefix of it (6+ characters) or its court number")
    )
    parser.add_argument("-o", "--output", metavar="FILE", help=_("where to write it"))
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help=_(
            "pdf (to send as it is), odt (OpenDocument text, to edit) or docx (Word, to edit); default: the file "
            "name's extension, else pdf"
        ),
    )
    parser.add_argument(
        "--lang", choices=("fr", "en"), default="fr", help=_("language of the document (default: fr, French)")
    )
    parser.add_argument("--request", metavar="ID", help=_("the CADA request it is about (default: the case's latest)"))
    parser.add_argument("--decision", metavar="ID", help=_("the contested decision (default: the case's latest)"))
    parser.add_argument("--amount", metavar="EUROS", help=_("the sum claimed (demande préalable)"))
    parser.add_argument("--sent", metavar="DATE", help=_("record the letter as sent on this day (enters its deadline)"))
    parser.add_argument(
        "--received",
        metavar="DATE",
        help=_("the day the administration received it (default: the day it was sent, the safe side)"),
    )
