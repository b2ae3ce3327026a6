"""The commands about time: ``deadline compute``, ``deadline routes``, ``deadline recompute``, ``rules``, ``agenda``,
``ics`` and ``parse-date``."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from caseapp.cli.catalogue import help_of
from caseapp.cli.common import bounded_int, open_core
from caseapp.cli.output import emit_json, labelled, table
from caseapp.i18n import _, current_language, ngettext

AGENDA_DAYS = 3660  # ten years ahead: every time limit a case can run, far from the calendar's end


def cmd_deadline_compute(args: argparse.Namespace) -> int:
    from caseapp.date_parsing import parse_when
    from caseapp.dates import format_date, format_datetime
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


def cmd_deadline_routes(args: argparse.Namespace) -> int:
    """What can be done against a court decision, before which court, by when."""
    from caseapp.date_parsing import parse_date
    from caseapp.dates import format_date
    from caseapp.domain.deadline_rules import get_rule, needs_verification
    from caseapp.domain.enums import CourtLevel, DecisionNature, Matter
    from caseapp.domain.notification import deemed_notification
    from caseapp.domain.routes import IMMEDIATE_NATURES, answer

    lang = current_language()
    level = CourtLevel.parse(args.court, field="court_level")
    nature = DecisionNature.parse(args.decision, field="decision_nature")
    matter = Matter.parse(args.matter, field="matter")
    lead_fr: tuple[str, ...] = ()
    lead_en: tuple[str, ...] = ()
    if args.notified:
        notified = parse_date(args.notified)
    else:
        deemed = deemed_notification(
            parse_date(args.available),
            parse_date(args.consulted) if args.consulted else None,
            seat=args.seat,
            immediate=nature in IMMEDIATE_NATURES,
        )
        notified, lead_fr, lead_en = deemed.notified_on, deemed.steps_fr, deemed.steps_en
    answers = answer(
        level,
        nature,
        notified,
        matter=matter,
        seat=args.seat,
        residence=args.residence,
        appeal_routes_stated=not args.no_appeal_routes,
        lead_fr=lead_fr,
        lead_en=lead_en,
    )
    if args.json:
        emit_json(
            {
                "court": level.value,
                "decision": nature.value,
                "matter": matter.value,
                "notified": notified.isoformat(),
                "routes": [item.as_json() for item in answers],
            }
        )
        return 0
    print(
        _("{nature} — {court}, notified on {day}").format(
            nature=nature.label(lang), court=level.label(lang), day=format_date(notified, lang)
        )
    )
    kinds = {"appeal": _("Appeal"), "cassation": _("Cassation"), "other": _("Exceptional remedy")}
    courts = {"caa": CourtLevel.CAA.label(lang), "ce": CourtLevel.CE.label(lang), None: ""}
    ordinary = [item for item in answers if item.route.kind != "other"]
    if not ordinary:
        print(_("No appeal and no cassation lie against this decision."))
    for item in answers:
        rule = get_rule(item.route.rule_id)
        before = f" → {courts[item.route.court]}" if item.route.court else ""
        if item.last_day:
            when = _("last day {day}").format(day=format_date(item.last_day, lang))
        elif item.computed is not None:
            when = _("the delay does not run: see below")
        else:
            when = _("no date follows from the notification")
        verify = " " + _("(to verify)") if needs_verification(rule) else ""
        print()
        line = _("{route}{court}: {label} — {when} ({basis}){verify}").format(
            route=kinds[item.route.kind],
            court=before,
            label=rule.label(lang),
            when=when,
            basis=rule.legal_basis,
            verify=verify,
        )
        print(line)
        text = item.explanation_fr if lang == "fr" else item.explanation_en
        for line in text.splitlines():
            print(f"    {line}")
    return 0


def cmd_deadline_recompute(args: argparse.Namespace) -> int:
    """Show what recomputing every deadline would change; apply it with --yes."""
    from caseapp.dates import format_date
    from caseapp.services import deadline_review
    from caseapp.textsafe import for_terminal as shown

    core = open_core(args)
    preview = deadline_review.preview_recompute(core)
    if args.yes and preview.total:
        preview = deadline_review.apply_recompute(core, preview.token)
    elif args.yes:
        deadline_review.apply_recompute(core, preview.token)  # records that the deadlines follow these rules
    if args.json:
        emit_json(
            {
                "applied": bool(args.yes),
                "added": preview.added,
                "changed": preview.changed,
                "removed": preview.removed,
                "cases": [asdict(case) for case in preview.cases],
            }
        )
        return 0
    lang = current_language()
    if not preview.total:
        print(_("Every deadline already follows this version's rules: nothing to change."))
        return 0
    head = (
        _("Recomputing the deadlines changed them:") if args.yes else _("Recomputing the deadlines would change them:")
    )
    print(
        head,
        ", ".join(
            (
                ngettext("{count} deadline added", "{count} deadlines added", preview.added).format(
                    count=preview.added
                ),
                ngettext("{count} deadline changed", "{count} deadlines changed", preview.changed).format(
                    count=preview.changed
                ),
                ngettext("{count} deadline removed", "{count} deadlines removed", preview.removed).format(
                    count=preview.removed
                ),
            )
        )
        + ".",
    )
    day = lambda d: format_date(d, lang) if d else "—"  # noqa: E731
    for case in preview.cases:
        print()
        print(shown(case.case_title))
        for change in case.changes:
            if change.action == "add":
                line = f"  + {day(change.new_due)}  {shown(change.title)}"
            elif change.action == "remove":
                line = f"  - {day(change.old_due)}  {shown(change.title)}"
            else:
                line = f"  ~ {day(change.old_due)} → {day(change.new_due)}  {shown(change.title)}"
            if change.overridden:
                line += "  " + _("(moved by hand: your date is kept)")
            print(line)
    if not args.yes:
        print()
        print(_("Nothing was changed. Run “caseapp deadline recompute --yes” to apply."))
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    from caseapp.domain.deadline_rules import RULES, needs_verification

    lang = current_language()
    rows: list[dict[str, Any]] = [
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
    units = {"months": _("months"), "days": _("days"), "hours": _("hours")}
    table(
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
    from caseapp.dates import format_date, format_time
    from caseapp.domain.date_words import date_phrase
    from caseapp.services.reads import agenda, rules_changed
    from caseapp.textsafe import for_terminal as shown

    core = open_core(args)
    result = agenda(core, days=args.days)
    changed = rules_changed(core)
    if args.json:
        emit_json(asdict(result) | {"rules_changed": changed})
        return 0
    lang = current_language()
    lines: list[str] = []  # printed at once: one write through the terminal-safe stream, not one per line
    if not result.items:
        lines.append(_("Nothing in the next {days} days.").format(days=args.days))
    for item in result.items:
        when = format_date(item.day, lang) + (f" {format_time(item.at, lang)}" if item.at else "")
        mark = _("OVERDUE") + " " if item.overdue else ""
        if item.kind == "hearing":
            what = _("Hearing")
        else:  # a birth, the court's duty or the closing of the investigation is not a deadline to meet
            rule_id = item.deadline.rule_id if item.deadline else None
            what = date_phrase(item.date_kind, rule_id, format_date(item.day, lang), lang) or _("Deadline")
        case = f" — {shown(item.case_title)}" if item.case_title else ""
        lines.append(f"{mark}{when}  {labelled(what, shown(item.title))}{case}")
    if result.more:
        lines.append(_("… and {count} more in this period.").format(count=result.more))
    if result.older_overdue:
        lines.append(
            ngettext(
                "{count} older open deadline is past by more than 90 days: review it and mark it done or missed.",
                "{count} older open deadlines are past by more than 90 days: review them and mark them done or missed.",
                result.older_overdue,
            ).format(count=result.older_overdue)
        )
    if result.idle_cases:
        lines += ["", _("Cases with no hearing or deadline ahead:")]
        lines += [f"  {str(row.id)[:8]}  {shown(row.title)}" for row in result.idle_cases]
    if changed:
        lines += [
            "",
            _(
                "The deadline rules changed with this version of CaseApp: run “caseapp deadline recompute” to see "
                "what would change."
            ),
        ]
    print("\n".join(lines))
    return 0


def cmd_ics(args: argparse.Namespace) -> int:
    from caseapp.outputs import check_output, staged
    from caseapp.services.ics import export_ics
    from caseapp.textsafe import for_terminal

    target = check_output(args.output)
    core = open_core(args)
    # The calendar is written in a private folder beside the target, then renamed over it: a link, a device
    # or a pipe given as the output is refused, never written through.
    with staged(target) as staging:
        count = export_ics(core, staging)
    print(_("Calendar written: {path} ({count} events).").format(path=for_terminal(target, limit=200), count=count))
    return 0


def cmd_parse_date(args: argparse.Namespace) -> int:
    from caseapp.date_parsing import parse_when

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

    deadline = sub.add_parser("deadline", help=help_of("deadline"), description=help_of("deadline"))
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

    from caseapp.domain.enums import CourtLevel, DecisionNature, Matter

    routes = actions.add_parser(
        "routes",
        help=_("what can be done against a court decision, before which court and by when"),
        description=_("what can be done against a court decision, before which court and by when"),
    )
    routes.set_defaults(handler=cmd_deadline_routes)
    routes.add_argument(
        "--court", required=True, choices=[c.value for c in CourtLevel], help=_("the court that gave the decision")
    )
    routes.add_argument(
        "--decision", required=True, choices=[n.value for n in DecisionNature], help=_("the nature of the decision")
    )
    when = routes.add_mutually_exclusive_group(required=True)
    when.add_argument("--notified", metavar="DATE", help=_("the date the decision was notified"))
    when.add_argument("--available", metavar="DATE", help=_("the date it was made available on Télérecours"))
    routes.add_argument("--consulted", metavar="DATE", help=_("the date it was first consulted on Télérecours"))
    routes.add_argument(
        "--matter", default="general", choices=[c.value for c in Matter], help=_("the matter (default general)")
    )
    routes.add_argument("--seat", default="metropole", choices=sorted(SEATS), help=_("the court's seat (holidays)"))
    routes.add_argument("--residence", default="france", choices=sorted(RESIDENCES), help=_("where the party lives"))
    routes.add_argument(
        "--no-appeal-routes", action="store_true", help=_("the decision did not state the routes of appeal")
    )
    routes.add_argument("--json", action="store_true", help=_("print JSON"))

    recompute = actions.add_parser(
        "recompute",
        help=_("show what recomputing every deadline with this version's rules would change; --yes applies it"),
    )
    recompute.set_defaults(handler=cmd_deadline_recompute)
    recompute.add_argument("--yes", action="store_true", help=_("apply the changes shown"))
    recompute.add_argument("--json", action="store_true", help=_("print JSON"))

    rules = sub.add_parser("rules", help=help_of("rules"), description=help_of("rules"))
    rules.set_defaults(handler=cmd_rules)
    rules.add_argument("--json", action="store_true", help=_("print JSON"))


def register_agenda(sub: Any) -> None:
    """``agenda``, ``ics`` and ``parse-date``: none of their options needs the deadline engine, which ``caseapp
    agenda`` would otherwise import only to build the options of ``deadline compute``."""
    agenda = sub.add_parser("agenda", help=help_of("agenda"))
    agenda.set_defaults(handler=cmd_agenda)
    agenda.add_argument(
        "--days",
        type=bounded_int(0, AGENDA_DAYS),
        default=60,
        help=_("how many days ahead (default 60, at most {limit})").format(limit=AGENDA_DAYS),
    )
    agenda.add_argument("--json", action="store_true", help=_("print JSON"))

    ics = sub.add_parser("ics", help=help_of("ics"))
    ics.set_defaults(handler=cmd_ics)
    ics.add_argument("-o", "--output", required=True, metavar="FILE", help=_("the .ics file to write"))

    parse = sub.add_parser("parse-date", help=help_of("parse-date"))
    parse.set_defaults(handler=cmd_parse_date)
    parse.add_argument("text", metavar="TEXT")
    parse.add_argument("--want", choices=["any", "date", "datetime"], default="any", help=_("what the field expects"))
    parse.add_argument("--json", action="store_true", help=_("print JSON"))
