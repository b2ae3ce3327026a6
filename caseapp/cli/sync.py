"""Taking a case offline and bringing it back: ``checkout`` and ``checkin``.

``caseapp checkout CASE -o FILE`` writes the case bundle for a laptop (like ``export``, evidence files included,
signed when you have a key) and marks the case, in the database it was taken from, as taken offline by you now;
``--again`` takes a case already taken. ``caseapp checkin FILE`` imports the laptop's bundle like ``import`` (the
same preview, questions and options) and clears the mark. The options, preview and reports are ``cli.bundles``'.
"""

from __future__ import annotations

import argparse
from typing import Any

from caseapp.cli import bundles as bundle_commands
from caseapp.cli.catalogue import help_of
from caseapp.cli.common import open_core
from caseapp.errors import InvalidInput
from caseapp.i18n import _
from caseapp.textsafe import for_terminal


def shown(value: object) -> str:
    return for_terminal(value, limit=400)


def _taken_already(mark: Any) -> InvalidInput:
    from caseapp.services import checkouts

    return InvalidInput(
        _(
            "This case is already taken offline, by {who} on {when}: nothing was written. Add --again to take it "
            "again (the mark will then name you)."
        ).format(who=shown(mark.taken_by), when=checkouts.moment(mark))
    )


def cmd_checkout(args: argparse.Namespace) -> int:
    from caseapp.outputs import check_output
    from caseapp.services import checkouts
    from caseapp.services.cases import resolve_case

    target = check_output(args.output)
    core = open_core(args)
    case_id = resolve_case(core, args.case)
    taken = checkouts.mark_of(core, case_id)
    if taken is not None and not args.again:  # said before anything is asked or written
        raise _taken_already(taken)
    options = bundle_commands.export_options(core, args)
    try:
        done = checkouts.checkout(core, case_id, target, options, again=args.again, keystore=bundle_commands.keystore())
    except checkouts.TakenAlready as exc:  # taken by someone else while the bundle was being written
        raise _taken_already(exc.mark) from None
    bundle_commands.print_export_report(done.export, len(options.recipients))
    if done.previous is not None:
        print(
            _("It was already taken offline by {who} on {when}.").format(
                who=shown(done.previous.taken_by), when=checkouts.moment(done.previous)
            )
        )
    print(
        _("{taken}: colleagues see it, and can still edit the case.").format(taken=shown(checkouts.describe(done.mark)))
    )
    print(
        _(
            "On the laptop: “caseapp import {file}”. Back here: export the case on the laptop, then “caseapp checkin "
            "FILE” with that bundle."
        ).format(file=shown(done.export.path.name))
    )
    return 0


def cmd_checkin(args: argparse.Namespace) -> int:
    from caseapp.services import checkouts

    core = open_core(args)
    preview = bundle_commands.open_preview(core, args)
    try:
        bundle_commands.print_preview(preview)
        taken = checkouts.mark_of(core, preview.case_id)
        if taken is None:
            print(_("This case is not marked as taken offline here: the bundle is imported like any other."))
        else:
            print(
                _("{taken}: the mark is cleared once the bundle is imported.").format(
                    taken=shown(checkouts.describe(taken))
                )
            )
            if checkouts.written_before(preview, taken):
                print(
                    _(
                        "Warning: this bundle was written before the case was taken offline: what was done on the "
                        "laptop since is not in it."
                    )
                )
        nothing = preview.nothing_to_do and not preview.conflicts
        if nothing and taken is None:
            return 0
        choices: dict[Any, str] = {}
        accept = False
        if not nothing:  # nothing to import: the mark is cleared without a question (it is what checkin is for)
            decided = bundle_commands.decide_import(preview, args)
            if decided is None:
                return 1
            choices, accept = decided
        result = checkouts.checkin(core, preview, choices=choices, accept_unsigned=accept)
    finally:
        preview.discard()
    if result.report is not None:
        bundle_commands.print_import_report(result.report)
    if result.cleared is not None:
        print(
            _("The case is no longer marked as taken offline (it was taken by {who} on {when}).").format(
                who=shown(result.cleared.taken_by), when=checkouts.moment(result.cleared)
            )
        )
    return 0


def register(sub: Any) -> None:
    checkout = sub.add_parser(
        "checkout",
        help=help_of("checkout"),
        description=_(
            "Write the case bundle for a laptop (evidence files included, signed when you have a key) and mark the "
            "case, in this database, as taken offline by you now. Colleagues see the mark; nothing is locked."
        ),
    )
    checkout.set_defaults(handler=cmd_checkout)
    checkout.add_argument(
        "case", metavar="CASE", help=_("a case identifier, a unique prefix of it or its court number")
    )
    checkout.add_argument("-o", "--output", required=True, metavar="FILE", help=_("the bundle file to write"))
    checkout.add_argument(
        "--again", action="store_true", help=_("take the case offline even though it is already taken")
    )
    encryption = checkout.add_mutually_exclusive_group()
    encryption.add_argument(
        "--recipient",
        "--encrypt-to",
        dest="recipient",
        action="append",
        metavar="KEY",
        help=_("encrypt for this age public key or trusted colleague (repeatable)"),
    )
    encryption.add_argument(
        "--passphrase-file", metavar="FILE", help=_("encrypt with the passphrase on this file's first line")
    )
    encryption.add_argument(
        "--encrypt-passphrase",
        action="store_true",
        help=_("encrypt with a passphrase (from {env}, or asked for)").format(env=bundle_commands.PASSPHRASE_ENV),
    )

    checkin = sub.add_parser(
        "checkin",
        help=help_of("checkin"),
        description=_(
            "Import the bundle written on the laptop, exactly like “caseapp import”, then clear the mark that says "
            "the case is taken offline."
        ),
    )
    checkin.set_defaults(handler=cmd_checkin)
    bundle_commands.add_import_arguments(checkin, dry_run=False)
