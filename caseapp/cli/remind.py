"""``caseapp remind``: what is due, printed (or shown as the system's notifications) — for the system's scheduler.

Without options it prints the week's digest and every hearing and deadline of the next ``--days`` days, overdue
ones first, each as the sentence a reminder says; ``--json`` gives the same as data. ``--notify`` (what the
systemd timer, the Windows task and the macOS agent run) shows the reminders not given yet as notifications, and
the digest at the first run of the day, then records them as given — the window will not give them again; during
the quiet hours it shows nothing and records nothing. Only what this needs is imported: no documents, no bundles.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from caseapp.cli.catalogue import help_of
from caseapp.cli.common import bounded_int, open_core
from caseapp.i18n import _


def cmd_remind(args: argparse.Namespace) -> int:
    from datetime import datetime

    from caseapp.services import reminders
    from caseapp.textsafe import for_terminal as shown

    core = open_core(args)
    now = datetime.now(reminders.PARIS)
    today = now.date()
    if args.notify:
        return _notify(core, now)
    items = reminders.upcoming(core, today=today, days=args.days)
    week = reminders.digest(core, today=today)
    if args.json:
        from caseapp.cli.output import emit_json

        emit_json({"today": today.isoformat(), "digest": week.as_json(), "items": [i.as_json() for i in items]})
        return 0
    print(shown(week.text))
    if not items:
        print(_("Nothing due in the next {days} days.").format(days=args.days))
    for item in items:
        mark = _("OVERDUE") + " " if item.days_left < 0 else ""
        print(f"{mark}{shown(item.text)}")
    return 0


def _notify(core: Any, now: Any) -> int:
    from caseapp.services import reminders
    from caseapp.textsafe import for_terminal as shown

    pending = reminders.take_pending(core, now=now, mark=False)
    if pending.quiet:
        print(_("Quiet hours: no reminder now."))
        return 0
    if pending.empty:
        print(_("No new reminder."))
        return 0
    messages = ([(_("CaseApp — this week"), pending.digest.text)] if pending.digest else []) + [
        (_("CaseApp reminder"), r.text) for r in pending.reminders
    ]
    shown_ok = _send(messages)
    for title, text in messages:
        print(shown(_("{title}: {text}").format(title=title, text=text)))  # "Rappel CaseApp : …" in French
    if shown_ok:  # given: recorded, so the window does not give them again
        reminders.take_pending(core, now=now, mark=True)
    else:
        print(_("The system's notifications are not available here: the reminders were printed only."), file=sys.stderr)
    return 0


def _send(messages: list[tuple[str, str]]) -> bool:
    """Show each message as a notification of the system; False when the system has no notification service."""
    try:
        from desktop_notifier import DesktopNotifierSync

        notifier = DesktopNotifierSync(app_name="CaseApp")
        for title, text in messages:
            notifier.send(title=title, message=text)
    except Exception:  # no session bus, no notification server, an unsupported system: printed instead
        return False
    return True


def register(sub: Any) -> None:
    remind = sub.add_parser(
        "remind",
        help=help_of("remind"),
        description=_(
            "Print the hearings and deadlines of the next days, overdue ones first, with the week's digest. "
            "--notify shows the reminders not given yet as the system's notifications (each once), as the window "
            "does; the Linux package runs it every hour with a systemd user timer."
        ),
    )
    remind.add_argument("--days", type=bounded_int(0, 3660), default=7, help=_("how many days ahead (default 7)"))
    remind.add_argument("--json", action="store_true", help=_("print JSON"))
    remind.add_argument(
        "--notify", action="store_true", help=_("show the reminders not given yet as notifications, each once")
    )
    remind.set_defaults(handler=cmd_remind)
