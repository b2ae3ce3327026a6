"""The case commands: ``demo``, ``cases``, ``show`` and ``search``.

``caseapp show`` prints a case for a terminal, in the interface language: what the lawyer must look at comes first
("Points to check"); a deadline whose date is not a last day to act says what it is ("Implicit decision born on …",
the court's duty, the closing of the investigation).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from caseapp.cli.catalogue import help_of
from caseapp.cli.common import bounded_int, open_core
from caseapp.cli.output import day, emit_json, label, labelled, moment, table
from caseapp.domain import enums
from caseapp.i18n import _, current_language
from caseapp.textsafe import for_terminal as shown

if TYPE_CHECKING:
    from caseapp.casefile.views import CaseDetail, DeadlineView

SEARCH_LIMIT = 10_000


def counted(kind: str, count: int) -> str:
    """ "1 CADA request", "2 CADA requests": a kind of example record (its plural name, as the demo report counts
    it) with its count, in the form the count needs."""
    from caseapp.i18n import ngettext

    forms = {
        "access requests": ngettext("{count} CADA request", "{count} CADA requests", count),
        "cases": ngettext("{count} case", "{count} cases", count),
        "parties": ngettext("{count} party", "{count} parties", count),
        "filings": ngettext("{count} filing", "{count} filings", count),
        "hearings": ngettext("{count} hearing", "{count} hearings", count),
        "notes": ngettext("{count} note", "{count} notes", count),
        "exhibits": ngettext("{count} exhibit", "{count} exhibits", count),
        "opinions": ngettext("{count} opinion", "{count} opinions", count),
        "links": ngettext("{count} link", "{count} links", count),
        "example records corrected": ngettext(
            "{count} example record corrected", "{count} example records corrected", count
        ),
    }
    return forms.get(kind, f"{{count}} {_(kind)}").format(count=count)


def cmd_demo(args: argparse.Namespace) -> int:
    from caseapp.services.demo import load_demo

    core = open_core(args)
    report = load_demo(core)
    if report.total:
        parts = ", ".join(counted(kind, count) for kind, count in report.added.items())
        print(_("Example data loaded: {parts}.").format(parts=parts))
    else:
        print(_("The example data is already there: nothing changed."))
    return 0


def cmd_cases(args: argparse.Namespace) -> int:
    from caseapp.services.reads import list_cases

    rows = list_cases(open_core(args), status=args.status, text=args.search, tag=args.tag)
    if args.json:
        emit_json(rows)
        return 0
    if not rows:
        print(_("No cases. Run “caseapp demo” to load the example cases."))
        return 0
    headers = [_("ID"), _("Status"), _("Number"), _("Court"), _("Title")]
    statuses = {status.value: label(enums.CaseStatus, status.value) for status in enums.CaseStatus}  # once, not per row
    cells = [[r.id.hex[:8], statuses[r.status], r.court_number or "—", r.court or "—", r.title] for r in rows]
    if any(r.taken_offline for r in rows):  # who took a case to a laptop, and since when (Paris time)
        headers.insert(4, _("Offline"))
        for row, case in zip(cells, rows, strict=True):
            mark = case.taken_offline
            row.insert(4, f"{mark.taken_by}, {moment(mark.taken_at)}" if mark else "")
    table(cells, headers)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from caseapp.services.reads import get_case, resolve_case

    core = open_core(args)
    detail = get_case(core, resolve_case(core, args.case))
    if args.json:
        emit_json(detail)
        return 0
    print_case(detail)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from caseapp.services.reads import search

    hits = search(open_core(args), args.text, limit=args.limit)
    if args.json:
        emit_json(hits)
        return 0
    if not hits:
        print(_("Nothing found for “{text}”.").format(text=shown(args.text, limit=200)))
        return 0
    kinds = {
        "case": _("case"),
        "filing": _("filing"),
        "note": _("note"),
        "opinion": _("opinion"),
        "evidence": _("exhibit"),
        "access_request": _("CADA request"),
    }
    for hit in hits:
        where = f" — {shown(hit.case_title)}" if hit.case_title and hit.kind != "case" else ""
        print(f"[{kinds.get(hit.kind, hit.kind)}] {shown(hit.title)}{where}")
        snippet = shown(" ".join(hit.snippet.split()))
        if snippet:
            print(f"    {snippet}")
    return 0


# --- one case, printed ----------------------------------------------------------------------------------------


def deadline_text(deadline: DeadlineView, lang: str) -> str:
    """A deadline's title, preceded by what its date is when it is not a last day to act."""
    from caseapp.dates import format_date
    from caseapp.domain.date_words import dated_title

    when = format_date(deadline.due_on, lang)
    title = shown(deadline.title)  # a deadline made by hand is named by its user
    return dated_title(deadline.date_kind, deadline.rule_id, title, when, lang) or title


def print_case(detail: CaseDetail) -> None:
    lang = current_language()
    print(shown(detail.title) + (f"  [{_('example')}]" if detail.example else ""))
    print("=" * min(len(detail.title), 100))
    rows = [
        (_("Identifier"), str(detail.id)),
        (_("Court"), shown(detail.court or "—")),
        (_("Number"), shown(detail.court_number or "—")),
        (_("Procedure"), label(enums.Procedure, detail.procedure)),
        (_("Status"), label(enums.CaseStatus, detail.status)),
        (_("Opened"), day(detail.opened_on)),
    ]
    if detail.reference:
        rows.append((_("Reference"), shown(detail.reference)))
    if detail.parent_title:
        rows.append((label(enums.ParentRelation, detail.parent_relation), shown(detail.parent_title)))
    if detail.tags:
        rows.append((_("Tags"), shown(", ".join(detail.tags))))
    if detail.next_hearing:
        rows.append((_("Next hearing"), moment(detail.next_hearing.starts_at)))
    if detail.next_deadline:
        rows.append(
            (_("Next deadline"), f"{day(detail.next_deadline.due_on)} — {deadline_text(detail.next_deadline, lang)}")
        )
    width = max(len(name) for name, _value in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    if detail.taken_offline:
        from caseapp.services.checkout_marks import describe

        print(f"\n{shown(describe(detail.taken_offline))}")
    if detail.checks:
        print(f"\n{_('Points to check')}")
        for check in detail.checks:
            print(f"  ! {check.message(lang)}")
    for heading, text in ((_("Subject"), detail.subject), (_("Summary"), detail.summary)):
        if text:
            print(f"\n{heading}\n  {shown(text, multiline=True)}")
    for child in detail.children:
        linked = f"{shown(child.title)} ({shown(child.court_number or str(child.id)[:8])})"
        print("\n" + labelled(_("Linked case"), linked))

    def section(title: str, lines: list[str]) -> None:
        if lines:
            print(f"\n{title}")
            for line in lines:
                print(f"  {shown(line)}")

    section(
        _("Parties"),
        [
            labelled(label(enums.PartyRole, p.role), p.name)
            + (f" — {labelled(_('counsel'), p.counsel)}" if p.counsel else "")
            for p in detail.parties
        ],
    )
    section(
        _("Filings and decisions"),
        [
            f"{day(f.filed_on)}  {label(enums.FilingKind, f.kind)}"
            + (f" — {f.title}" if f.title else "")
            + (f" [{label(enums.Outcome, f.outcome)}]" if f.outcome else "")
            + (f" ({_('notified')} {day(f.notified_on)})" if f.notified_on else "")
            for f in detail.filings
        ],
    )
    hearing_lines: list[str] = []
    for h in detail.hearings:
        hearing_lines.append(
            f"{moment(h.starts_at)}  {label(enums.HearingKind, h.kind)} — {label(enums.HearingStatus, h.status)}"
            + (f" — {h.room}" if h.room else "")
        )
        hearing_lines += [f"    {moment(n.at)[-5:]}  {n.text}" for n in h.notes]
    section(_("Hearings"), hearing_lines)
    section(
        _("Opinions"),
        [
            f"{day(o.issued_on)}  {label(enums.Authority, o.authority)} — {o.title} "
            f"[{label(enums.Position, o.position)}]"
            for o in detail.opinions
        ],
    )
    section(
        _("Evidence"),
        [
            labelled(f"{_('Exhibit')} {e.number}", f"{e.title} ({day(e.document_date)})")
            + (f" — {e.file.original_name}, SHA-256 {e.file.sha256[:16]}…" if e.file else "")
            for e in detail.evidence
        ],
    )
    section(
        _("CADA requests"),
        [
            f"{a.administration} — {label(enums.AccessStatus, a.status)} ({day(a.sent_on)})"
            for a in detail.access_requests
        ],
    )
    section(
        _("Deadlines"),
        [
            f"{day(d.due_on)}  {deadline_text(d, lang)} — {label(enums.DeadlineStatus, d.status)}"
            + (f" ({d.legal_basis})" if d.legal_basis else "")
            for d in detail.deadlines
        ],
    )


def register(sub: Any) -> None:
    def add(name: str, handler: Any, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
        parser.set_defaults(handler=handler)
        return parser

    add("demo", cmd_demo, help_of("demo"))
    cases = add("cases", cmd_cases, help_of("cases"))
    cases.add_argument("--status", choices=[s.value for s in enums.CaseStatus], help=_("only cases with this status"))
    cases.add_argument(
        "--search", metavar="TEXT", help=_("only cases whose title, reference, court or number contains TEXT")
    )
    cases.add_argument("--tag", help=_("only cases with this tag"))
    cases.add_argument("--json", action="store_true", help=_("print JSON"))
    show = add("show", cmd_show, help_of("show"))
    show.add_argument(
        "case", metavar="CASE", help=_("a case identifier, a unique prefix of it (6+ characters) or its court number")
    )
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    search = add("search", cmd_search, help_of("search"))
    search.add_argument("text", metavar="TEXT")
    search.add_argument(
        "--limit",
        type=bounded_int(1, SEARCH_LIMIT),
        default=50,
        help=_("at most this many results (default 50, at most {limit})").format(limit=SEARCH_LIMIT),
    )
    search.add_argument("--json", action="store_true", help=_("print JSON"))
