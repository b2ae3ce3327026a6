"""``caseapp show``: a case printed for a terminal, in the interface language.

What the lawyer must look at comes first ("Points to check"); a deadline whose date is not a last day to act
says what it is ("Implicit decision born on …", the court's duty, the closing of the investigation).
"""

from __future__ import annotations

from caseapp.casefile.views import CaseDetail, DeadlineView
from caseapp.domain import enums
from caseapp.i18n import _, current_language


def _day(value: object) -> str:
    from caseapp.commands import _day as day

    return day(value)  # type: ignore[arg-type]


def deadline_text(deadline: DeadlineView, lang: str) -> str:
    """A deadline's title, preceded by what its date is when it is not a last day to act."""
    from caseapp.dates import format_date
    from caseapp.domain.date_words import dated_title
    from caseapp.textsafe import for_terminal

    day = format_date(deadline.due_on, lang)
    title = for_terminal(deadline.title)  # a deadline made by hand is named by its user
    return dated_title(deadline.date_kind, deadline.rule_id, title, day, lang) or title


def print_case(detail: CaseDetail) -> None:
    from caseapp.commands import _label, _moment
    from caseapp.textsafe import for_terminal as safe

    lang = current_language()
    print(safe(detail.title) + (f"  [{_('example')}]" if detail.example else ""))
    print("=" * min(len(detail.title), 100))
    rows = [
        (_("Identifier"), str(detail.id)),
        (_("Court"), safe(detail.court or "—")),
        (_("Number"), safe(detail.court_number or "—")),
        (_("Procedure"), _label(enums.Procedure, detail.procedure)),
        (_("Status"), _label(enums.CaseStatus, detail.status)),
        (_("Opened"), _day(detail.opened_on)),
    ]
    if detail.reference:
        rows.append((_("Reference"), safe(detail.reference)))
    if detail.parent_title:
        rows.append((_label(enums.ParentRelation, detail.parent_relation), safe(detail.parent_title)))
    if detail.tags:
        rows.append((_("Tags"), safe(", ".join(detail.tags))))
    if detail.next_hearing:
        rows.append((_("Next hearing"), _moment(detail.next_hearing.starts_at)))
    if detail.next_deadline:
        rows.append(
            (_("Next deadline"), f"{_day(detail.next_deadline.due_on)} — {deadline_text(detail.next_deadline, lang)}")
        )
    width = max(len(label) for label, _value in rows)
    for label, value in rows:
        print(f"{label.ljust(width)}  {value}")
    if detail.checks:
        print(f"\n{_('Points to check')}")
        for check in detail.checks:
            print(f"  ! {check.message(lang)}")
    for heading, text in ((_("Subject"), detail.subject), (_("Summary"), detail.summary)):
        if text:
            print(f"\n{heading}\n  {safe(text, multiline=True)}")
    for child in detail.children:
        print(f"\n{_('Linked case')}: {safe(child.title)} ({safe(child.court_number or str(child.id)[:8])})")

    def section(title: str, lines: list[str]) -> None:
        if lines:
            print(f"\n{title}")
            for line in lines:
                print(f"  {safe(line)}")

    section(
        _("Parties"),
        [
            f"{_label(enums.PartyRole, p.role)}: {p.name}" + (f" — {_('counsel')}: {p.counsel}" if p.counsel else "")
            for p in detail.parties
        ],
    )
    section(
        _("Filings and decisions"),
        [
            f"{_day(f.filed_on)}  {_label(enums.FilingKind, f.kind)}"
            + (f" — {f.title}" if f.title else "")
            + (f" [{_label(enums.Outcome, f.outcome)}]" if f.outcome else "")
            + (f" ({_('notified')} {_day(f.notified_on)})" if f.notified_on else "")
            for f in detail.filings
        ],
    )
    hearing_lines: list[str] = []
    for h in detail.hearings:
        hearing_lines.append(
            f"{_moment(h.starts_at)}  {_label(enums.HearingKind, h.kind)} — {_label(enums.HearingStatus, h.status)}"
            + (f" — {h.room}" if h.room else "")
        )
        hearing_lines += [f"    {_moment(n.at)[-5:]}  {n.text}" for n in h.notes]
    section(_("Hearings"), hearing_lines)
    section(
        _("Opinions"),
        [
            f"{_day(o.issued_on)}  {_label(enums.Authority, o.authority)} — {o.title} "
            f"[{_label(enums.Position, o.position)}]"
            for o in detail.opinions
        ],
    )
    section(
        _("Evidence"),
        [
            f"{_('Exhibit')} {e.number}: {e.title} ({_day(e.document_date)})"
            + (f" — {e.file.original_name}, SHA-256 {e.file.sha256[:16]}…" if e.file else "")
            for e in detail.evidence
        ],
    )
    section(
        _("CADA requests"),
        [
            f"{a.administration} — {_label(enums.AccessStatus, a.status)} ({_day(a.sent_on)})"
            for a in detail.access_requests
        ],
    )
    section(
        _("Deadlines"),
        [
            f"{_day(d.due_on)}  {deadline_text(d, lang)} — {_label(enums.DeadlineStatus, d.status)}"
            + (f" ({d.legal_basis})" if d.legal_basis else "")
            for d in detail.deadlines
        ],
    )
