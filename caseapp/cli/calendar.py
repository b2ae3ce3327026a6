"""``caseapp calendar``: the team's shared CalDAV calendar — ``connect``, ``sync``, ``repair``, ``disconnect`` and
``status``.

The password is never an argument (other programs can read a command line, the shell keeps it): it is asked, or
taken from ``CASEAPP_CALDAV_PASSWORD``, then kept in the system keyring (or CaseApp's encrypted key file).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from caseapp.cli.catalogue import help_of
from caseapp.cli.common import open_core
from caseapp.i18n import _, ngettext


def _folder(args: argparse.Namespace) -> Path:
    from caseapp import config

    return Path(args.data_dir) if args.data_dir else config.data_dir()


def cmd_connect(args: argparse.Namespace) -> int:
    from caseapp.errors import InvalidInput
    from caseapp.secrets import ask
    from caseapp.services import calendar_sync
    from caseapp.textsafe import for_terminal as shown

    password = os.environ.get(calendar_sync.PASSWORD_ENV) or ask(
        _("Calendar password for {user}: ").format(user=args.user)
    )
    if not password:
        raise InvalidInput(
            _("No password was given: type it when asked (in a terminal), or set {env}.").format(
                env=calendar_sync.PASSWORD_ENV
            )
        )
    cases = None
    if args.case:
        from caseapp.services.cases import resolve_case

        core = open_core(args)
        cases = [resolve_case(core, ref) for ref in args.case]
    done = calendar_sync.connect(_folder(args), args.url, args.user, password, cases=cases)
    if done.made:
        print(
            _("A calendar named “CaseApp” was made for {user}: {url}").format(user=shown(args.user), url=done.calendar)
        )
    print(_("CaseApp publishes its hearings and open deadlines to {url}.").format(url=shown(done.calendar)))
    if cases is not None:
        print(
            ngettext("Only {count} case is published.", "Only {count} cases are published.", len(cases)).format(
                count=len(cases)
            )
        )
    print(done.secrets_message, file=sys.stdout if done.password_kept else sys.stderr)
    print(_("Run “caseapp calendar sync” to send them now."))
    return 0


def _when(start: str) -> str:
    """An event's start as the calendar sync gives it (Paris time, "2026-12-07 14:00" or "2026-12-07"), written
    as the person's language writes dates."""
    from datetime import date, datetime

    from caseapp.cli.output import day

    try:
        if len(start) > 10:
            moment = datetime.strptime(start, "%Y-%m-%d %H:%M")
            return f"{day(moment.date())} {moment:%H:%M}"
        return day(date.fromisoformat(start))
    except ValueError:
        return start


def _dates(text: str) -> str:
    """Every start written "2026-12-07 14:00" or "2026-12-07" in ``text``, written as the language writes dates."""
    import re

    return re.sub(r"\b\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?\b", lambda found: _when(found.group(0)), text)


def _print_report(report: Any) -> None:
    from caseapp.services import calendar_sync as cs
    from caseapp.textsafe import for_terminal as shown

    counts = ", ".join(
        (
            ngettext("{count} added", "{count} added", report.added).format(count=report.added),
            ngettext("{count} updated", "{count} updated", report.updated).format(count=report.updated),
            ngettext("{count} removed", "{count} removed", report.removed).format(count=report.removed),
            ngettext("{count} unchanged", "{count} unchanged", report.unchanged).format(count=report.unchanged),
        )
    )
    if report.dry_run:
        print(
            _("Dry run — nothing was changed. The calendar {url} would get: {counts}.").format(
                url=shown(report.calendar), counts=counts
            )
        )
    elif report.repair:
        print(_("Calendar {url} repaired: {counts}.").format(url=shown(report.calendar), counts=counts))
    else:
        print(_("Calendar {url} synced: {counts}.").format(url=shown(report.calendar), counts=counts))
    words = {cs.ADD: _("add"), cs.UPDATE: _("update"), cs.REMOVE: _("remove")}
    for change in report.changes:
        was = _("the calendar had: {was}").format(was=_dates(shown(change.was))) if change.was else ""
        line = _("{action}: {what} — {when}").format(
            action=words[change.action], what=shown(change.summary), when=_when(change.start)
        )
        print(f"  {line}" + (f"  ({was})" if was else ""))
    if not report.edits:
        return
    print()
    print(_("Changed by someone directly in the shared calendar (CaseApp's cases are unchanged):"))
    said = {
        cs.EDITED: _("edited in the calendar, left as it is: {calendar} (CaseApp: {caseapp})"),
        cs.DELETED: _("deleted from the calendar, not put back: {caseapp}"),
        cs.REPLACED: _(
            "edited in the calendar, but changed in CaseApp too; CaseApp's version was written: {caseapp} "
            "(the calendar had: {calendar})"
        ),
        cs.DROPPED: _("edited in the calendar, but done, cancelled or deleted in CaseApp; removed: {calendar}"),
    }
    for edit in report.edits:
        print("  " + said[edit.what].format(calendar=_dates(shown(edit.calendar)), caseapp=_dates(shown(edit.caseapp))))
    if any(e.what in (cs.EDITED, cs.DELETED) for e in report.edits):
        print(
            _(
                "Make the change in CaseApp if it is right; otherwise “caseapp calendar repair” puts CaseApp's "
                "version back."
            )
        )


def _run(args: argparse.Namespace, *, repair: bool) -> int:
    from caseapp.services import calendar_sync

    core = open_core(args)
    run = calendar_sync.repair if repair else calendar_sync.sync
    report = run(core, dry_run=args.dry_run)
    if args.json:
        from caseapp.cli.output import emit_json

        emit_json(report.as_json())
    else:
        _print_report(report)
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    return _run(args, repair=False)


def cmd_repair(args: argparse.Namespace) -> int:
    return _run(args, repair=True)


def cmd_disconnect(args: argparse.Namespace) -> int:
    from caseapp.services import calendar_sync
    from caseapp.textsafe import for_terminal as shown

    gone = calendar_sync.disconnect(_folder(args))
    if gone is None:
        print(_("CaseApp was not connected to a calendar."))
        return 0
    print(
        _(
            "CaseApp no longer publishes to {url}; its password was removed from the keyring. The events already in "
            "the calendar stay there."
        ).format(url=shown(gone.url))
    )
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from caseapp.services import calendar_sync
    from caseapp.textsafe import for_terminal as shown

    found = calendar_sync.status(_folder(args))
    if args.json:
        from caseapp.cli.output import emit_json

        emit_json(found)
        return 0
    if not found["connected"]:
        print(_("CaseApp is not connected to a calendar."))
        return 0
    print(_("Calendar: {url} (user {user})").format(url=shown(found["url"]), user=shown(found["user"])))
    cases = found["cases"]
    print(
        _("Cases published: all")
        if cases is None
        else ngettext("Cases published: {count} chosen", "Cases published: {count} chosen", len(cases)).format(
            count=len(cases)
        )
    )
    print(_("Last sync: {when}").format(when=found["last_sync"] or _("never")))
    if not found["password_known"]:
        print(_("The password is not known on this computer: run “caseapp calendar connect” again."))
    return 0


def register(sub: Any) -> None:
    calendar = sub.add_parser(
        "calendar",
        help=help_of("calendar"),
        description=_(
            "Publish the hearings and open deadlines to a shared CalDAV calendar (Nextcloud and the like), keep it "
            "in step, and report what people changed there directly."
        ),
    )
    calendar.set_defaults(handler=lambda a: (print(_("Use “caseapp calendar sync”."), file=sys.stderr), 2)[1])
    actions = calendar.add_subparsers(dest="calendar_command", metavar="ACTION")
    connect = actions.add_parser(
        "connect",
        help=_("publish to a CalDAV calendar (the password is asked, or read from CASEAPP_CALDAV_PASSWORD)"),
        description=_(
            "Publish to a CalDAV calendar. URL is the calendar's address, or the server's (a calendar named "
            "“CaseApp” is then made). The password is never an argument: it is asked, or read from "
            "CASEAPP_CALDAV_PASSWORD, and kept in the system keyring."
        ),
    )
    connect.add_argument("url", metavar="URL", help=_("the calendar's address (https://…)"))
    connect.add_argument("--user", required=True, metavar="USER", help=_("the user name on the calendar server"))
    connect.add_argument(
        "--case",
        action="append",
        metavar="CASE",
        help=_("publish only this case (repeat for several; default: every case)"),
    )
    connect.set_defaults(handler=cmd_connect)
    for name, handler, text in (
        ("sync", cmd_sync, _("send CaseApp's changes and report the changes made in the calendar")),
        ("repair", cmd_repair, _("compare the calendar with CaseApp and fix only what differs")),
    ):
        action = actions.add_parser(name, help=text, description=text)
        action.add_argument("--dry-run", action="store_true", help=_("say what would change, change nothing"))
        action.add_argument("--json", action="store_true", help=_("print JSON"))
        action.set_defaults(handler=handler)
    actions.add_parser("disconnect", help=_("stop publishing (the events already in the calendar stay)")).set_defaults(
        handler=cmd_disconnect
    )
    status = actions.add_parser("status", help=_("which calendar, which cases, when last synced"))
    status.add_argument("--json", action="store_true", help=_("print JSON"))
    status.set_defaults(handler=cmd_status)
