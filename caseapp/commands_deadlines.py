"""Sub-commands about time: ``deadline compute``, ``rules``, ``agenda``, ``ics`` and ``parse-date``."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from caseapp.i18n import _, current_language


def cmd_deadline_compute(args: argparse.Namespace) -> int:
    from caseapp.cli import emit_json
    from caseapp.dates import format_date, format_datetime, parse_when
    from caseapp.domain.deadline_rules import get_rule
    from caseapp.domain.deadlines import compute_deadline

    lang = current_language()
    rule = get_rule(args.rule)
    trigger = parse_when(args.trigger, want="any").value
    result = compute_deadline(
        args.rule,
        trigger,
        seat=args.seat,
        residence=args.residence,
        urgent=args.urgent,
        appeal_routes_stated=not args.no_appeal_routes,
        acknowledged=not args.no_acknowledgement,
    )
    if args.json:
        data = asdict(result)
        data["flags"] = [{"code": f.code, "message": f.message(lang)} for f in result.flags]
        data["rule"] = {"id": rule.id, "label": rule.label(lang), "legal_basis": rule.legal_basis}
        data["explanation"] = result.explanation(lang)
        emit_json(data)
        return 0
    print(f"{rule.label(lang)} ({rule.legal_basis})")
    if result.last_day:
        print(_("Last day: {day}").format(day=format_date(result.last_day, lang)))
    else:
        print(_("No last day can be computed: see the flags."))
    if result.due_at:
        print(_("Exact moment: {moment}").format(moment=format_datetime(result.due_at, lang)))
    if result.arguable_day:
        print(_("Arguable day: {day}").format(day=format_date(result.arguable_day, lang)))
    if result.local_extension_day:
        print(_("Possible local extension: {day}").format(day=format_date(result.local_extension_day, lang)))
    for flag in result.flags:
        print(f"! {flag.message(lang)}")
    print()
    print(result.explanation(lang))
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    from caseapp.cli import emit_json
    from caseapp.domain.deadline_rules import RULES, needs_verification

    lang = current_language()
    rows = [
        {
            "id": rule.id,
            "label": rule.label(lang),
            "legal_basis": rule.legal_basis,
            "confidence": rule.confidence,
            "to_verify": needs_verification(rule),
            "trigger": rule.trigger,
            "length": rule.length,
            "unit": rule.unit,
            "counting": rule.counting,
        }
        for rule in RULES.values()
    ]
    if args.json:
        emit_json(rows)
        return 0
    from caseapp.commands import _table

    units = {"months": _("months"), "days": _("days"), "hours": _("hours")}
    _table(
        [
            [
                r["id"],
                f"{r['length']} {units[r['unit']]}",
                r["counting"],
                r["legal_basis"],
                r["confidence"] + (" " + _("(to verify)") if r["to_verify"] else ""),
                r["label"],
            ]
            for r in rows
        ],
        [_("Rule"), _("Length"), _("Counting"), _("Legal basis"), _("Confidence"), _("Label")],
    )
    return 0


def cmd_agenda(args: argparse.Namespace) -> int:
    from caseapp.cli import emit_json, open_core
    from caseapp.dates import format_date, format_time
    from caseapp.services.agenda import agenda

    result = agenda(open_core(args), days=args.days)
    if args.json:
        emit_json(asdict(result))
        return 0
    lang = current_language()
    if not result.items:
        print(_("Nothing in the next {days} days.").format(days=args.days))
    for item in result.items:
        when = format_date(item.day, lang) + (f" {format_time(item.at, lang)}" if item.at else "")
        mark = _("OVERDUE") + " " if item.overdue else ""
        what = _("Hearing") if item.kind == "hearing" else _("Deadline")
        case = f" — {item.case_title}" if item.case_title else ""
        print(f"{mark}{when}  {what}: {item.title}{case}")
    if result.more:
        print(_("… and {count} more in this period.").format(count=result.more))
    if result.older_overdue:
        print(
            _(
                "{count} older open deadlines are past by more than 90 days: review them and mark them done or missed."
            ).format(count=result.older_overdue)
        )
    if result.idle_cases:
        print()
        print(_("Cases with no hearing or deadline ahead:"))
        for row in result.idle_cases:
            print(f"  {str(row.id)[:8]}  {row.title}")
    return 0


def cmd_ics(args: argparse.Namespace) -> int:
    from caseapp.cli import open_core
    from caseapp.services.ics import export_ics

    count = export_ics(open_core(args), Path(args.output))
    print(_("Calendar written: {path} ({count} events).").format(path=args.output, count=count))
    return 0


def cmd_parse_date(args: argparse.Namespace) -> int:
    from caseapp.cli import emit_json
    from caseapp.dates import parse_when

    parsed = parse_when(args.text, want=args.want)
    if args.json:
        emit_json(
            {
                "value": parsed.value.isoformat(),
                "has_time": parsed.has_time,
                "echo_fr": parsed.echo_fr,
                "echo_en": parsed.echo_en,
            }
        )
        return 0
    print(parsed.echo(current_language()))
    print(parsed.value.isoformat())
    return 0


def register(sub: Any) -> None:
    from caseapp.domain.deadline_rules import RULES
    from caseapp.domain.deadlines import RESIDENCES
    from caseapp.domain.holidays_fr import SEATS

    deadline = sub.add_parser("deadline", help=_("compute a time limit"), description=_("compute a time limit"))
    deadline.set_defaults(handler=lambda a: (deadline.print_help(), 2)[1])
    actions = deadline.add_subparsers(dest="deadline_command", metavar="ACTION")
    compute = actions.add_parser("compute", help=_("compute the last day of a time limit and explain it"))
    compute.set_defaults(handler=cmd_deadline_compute)
    compute.add_argument("--rule", required=True, choices=sorted(RULES), help=_("the rule (see “caseapp rules”)"))
    compute.add_argument("--trigger", required=True, metavar="DATE", help=_("the date of the starting event"))
    compute.add_argument("--seat", default="metropole", choices=sorted(SEATS), help=_("the court's seat (holidays)"))
    compute.add_argument("--residence", default="france", choices=sorted(RESIDENCES), help=_("where the party lives"))
    compute.add_argument("--urgent", action="store_true", help=_("urgent procedure (shorter notice)"))
    compute.add_argument(
        "--no-appeal-routes", action="store_true", help=_("the decision did not state the routes of appeal")
    )
    compute.add_argument(
        "--no-acknowledgement", action="store_true", help=_("the request got no compliant acknowledgement")
    )
    compute.add_argument("--json", action="store_true", help=_("print JSON"))

    rules = sub.add_parser("rules", help=_("list the time-limit rules"), description=_("list the time-limit rules"))
    rules.set_defaults(handler=cmd_rules)
    rules.add_argument("--json", action="store_true", help=_("print JSON"))

    agenda = sub.add_parser("agenda", help=_("hearings and deadlines ahead, overdue first"))
    agenda.set_defaults(handler=cmd_agenda)
    agenda.add_argument("--days", type=int, default=60, help=_("how many days ahead (default 60)"))
    agenda.add_argument("--json", action="store_true", help=_("print JSON"))

    ics = sub.add_parser("ics", help=_("export hearings and deadlines as an iCalendar file"))
    ics.set_defaults(handler=cmd_ics)
    ics.add_argument("-o", "--output", required=True, metavar="FILE", help=_("the .ics file to write"))

    parse = sub.add_parser("parse-date", help=_("show how a typed date is understood"))
    parse.set_defaults(handler=cmd_parse_date)
    parse.add_argument("text", metavar="TEXT")
    parse.add_argument("--want", choices=["any", "date", "datetime"], default="any", help=_("what the field expects"))
    parse.add_argument("--json", action="store_true", help=_("print JSON"))
