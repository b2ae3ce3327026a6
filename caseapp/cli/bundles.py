"""The bundle commands: ``export``, ``verify``, ``import`` and ``keys``; ``sync`` (checkout, checkin) uses the same
options, preview, questions and reports.

Passphrases come from ``CASEAPP_BUNDLE_PASSPHRASE``, from ``--passphrase-file``, or are asked for (hidden) when
the command runs in a terminal; they are never taken on the command line, where other users could see them.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import getpass
import os
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

from caseapp.cli.catalogue import help_of
from caseapp.cli.common import open_core
from caseapp.errors import BundleError, InvalidInput
from caseapp.i18n import _, ngettext
from caseapp.textsafe import for_terminal

PASSPHRASE_ENV = "CASEAPP_BUNDLE_PASSPHRASE"
CARD_LIMIT = 64 * 1024  # a public key card is a few hundred bytes


def shown(value: object) -> str:
    """Text from a bundle, the key list or the command line, safe to print on one terminal line."""
    return for_terminal(value, limit=400)


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask(question: str) -> bool:
    answer = input(question + " " + _("[y/N]") + " ").strip().lower()
    return answer in ("y", "yes", "o", "oui")


def keystore() -> Any:
    """The key store (signing and encryption keys); its warning, if any, said on stderr."""
    from caseapp.identity.keys import default_keystore

    store = default_keystore()
    if store.warning:
        print(_("Warning: {message}").format(message=store.warning), file=sys.stderr)
    return store


def _passphrase(args: argparse.Namespace, *, confirm: bool) -> str:
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env:
        return from_env
    if getattr(args, "passphrase_file", None):
        from caseapp.bundle.crypt import passphrase_in

        return passphrase_in(args.passphrase_file)
    if not sys.stdin.isatty():
        raise InvalidInput(
            _("A passphrase is needed: set {env}, use --passphrase-file, or run the command in a terminal.").format(
                env=PASSPHRASE_ENV
            )
        )
    first = getpass.getpass(_("Passphrase: "))
    if confirm and getpass.getpass(_("Passphrase again: ")) != first:
        raise InvalidInput(_("The two passphrases differ."))
    return first


def _identities(args: argparse.Namespace) -> list[str]:
    from caseapp.bundle.crypt import identities_in

    found: list[str] = []
    for name in getattr(args, "identity", None) or []:
        found += identities_in(name)
    return found


def _recipients(core: Any, values: list[str]) -> list[str]:
    """``age1…`` keys as they are; a trusted colleague's fingerprint or name gives their encryption key."""
    from caseapp.identity.signing import TrustedKeys, parse_fingerprint

    trusted = TrustedKeys(core.data_dir).all()
    result: list[str] = []
    for value in values:
        if value.startswith("age1"):
            result.append(value)
            continue
        try:
            wanted = parse_fingerprint(value)
            match = [key for key in trusted if key.fingerprint == wanted]
        except InvalidInput:
            match = [key for key in trusted if key.name.casefold() == value.casefold()]
        if len(match) != 1 or not match[0].recipient:
            raise InvalidInput(
                _("“{value}” is neither an age public key nor a trusted colleague with an encryption key.").format(
                    value=shown(value)
                )
            )
        result.append(match[0].recipient)
    return result


def export_options(core: Any, args: argparse.Namespace) -> Any:
    """The export options of ``export`` and ``checkout`` (``services.bundles.ExportOptions``): the passphrase is
    asked for here, when the command says to encrypt with one."""
    from caseapp.services import bundles

    passphrase = _passphrase(args, confirm=True) if args.encrypt_passphrase or args.passphrase_file else None
    return bundles.ExportOptions(
        sign=getattr(args, "sign", None),
        include_pdf=not getattr(args, "no_pdf", False),
        passphrase=passphrase,
        recipients=tuple(_recipients(core, args.recipient or [])),
        include_evidence=not getattr(args, "no_evidence", False),
    )


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the garbage collector's youngest passes 14 times less often while a bundle command works. Nearly
    everything such a command allocates lives until it ends (the modules it loads, the case's records, the
    summary's layout): the frequent passes over it freed nothing and cost 0.08 s of an export's 1.2 s of work."""
    threshold = gc.get_threshold()
    gc.set_threshold(10_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def cmd_export(args: argparse.Namespace) -> int:
    with fewer_collections():
        return _export(args)


def _export(args: argparse.Namespace) -> int:
    from caseapp.outputs import check_output
    from caseapp.services import bundles
    from caseapp.services.cases import resolve_case

    # The bundle writer makes its own temporary file and renames it over the target: the target itself
    # only has to be a regular file or a new name (not a link, a device or a pipe).
    target = check_output(args.output)
    core = open_core(args)
    case_id = resolve_case(core, args.case)
    options = export_options(core, args)
    report = bundles.export(core, case_id, target, options, keystore=keystore())
    print_export_report(report, len(options.recipients))
    return 0


def print_export_report(report: Any, recipients: int) -> None:
    """What ``export`` and ``checkout`` wrote: the file, the evidence, the signature and the encryption."""
    from caseapp.services.bundles import written_sentence

    print(written_sentence(report, shown(report.path)))
    if not report.evidence_included:
        print(
            _(
                "Without the evidence files: the {count} files of the exhibits were left out; only their names, "
                "sizes and fingerprints (SHA-256) are in the bundle."
            ).format(count=report.files_omitted)
        )
    if report.signed_by:
        from caseapp.identity.signing import show_fingerprint

        print(_("Signed with your key {fingerprint}.").format(fingerprint=show_fingerprint(report.signed_by)))
    else:
        print(_("Not signed (create your key with “caseapp keys show”, or export with --sign)."))
    if report.encryption == "passphrase":
        print(_("Encrypted with a passphrase: give it to your colleague by another channel than the bundle."))
    elif report.encryption:
        print(
            ngettext("Encrypted for {count} key.", "Encrypted for {count} keys.", recipients).format(count=recipients)
        )


def open_preview(core: Any, args: argparse.Namespace) -> Any:
    from caseapp.outputs import as_path
    from caseapp.services import bundles

    path = as_path(args.file)
    passphrase = None
    encryption = bundles.encryption_of(path)  # a regular file only: a pipe or a device is refused here
    if encryption == "passphrase":
        passphrase = _passphrase(args, confirm=False)
    # The key store (and its warning) only for a bundle encrypted for keys; a signed one opens it when checked.
    store = keystore() if encryption == "recipients" else None
    return bundles.inspect(core, path, passphrase=passphrase, identities=_identities(args), keystore=store)


def print_preview(preview: Any) -> None:
    """What a bundle says and what importing it would do. Everything that comes from the bundle (titles,
    names, descriptions) goes through ``shown``: a bundle cannot move the cursor or fake a line."""
    print(_("Bundle: {path}").format(path=shown(preview.source)))
    print(_("Case: {title} ({id})").format(title=shown(preview.case_title), id=preview.case_id))
    print(
        _("Exported by {who} on {when} with CaseApp {version}.").format(
            who=shown(preview.exported_by),
            when=value_for_people(preview.exported_at),
            version=shown(preview.app_version),
        )
    )
    print(_("Signature: {status}.").format(status=shown(preview.signature.description)))
    if preview.encryption:
        print(_("It was encrypted; it opened and every file checks out."))
    else:
        print(_("Every file checks out."))
    if preview.evidence_message:
        print(shown(preview.evidence_message))
    if preview.nothing_to_do and not preview.conflicts:
        print(_("Everything in this bundle is already here: importing it changes nothing."))
        return
    if preview.additions:
        kinds = Counter(change.label for change in preview.additions)
        parts = ", ".join(f"{count} × {shown(label)}" for label, count in sorted(kinds.items()))
        print(_("To add: {count} records ({parts}).").format(count=len(preview.additions), parts=parts))
    if preview.updates:
        print(_("To update: {count} records.").format(count=len(preview.updates)))
        for change in preview.updates:
            print(f"  - {shown(change.label)}: {shown(change.description)} ({_labels(change.fields)})")
            if change.kept:
                print("    " + _("Kept as here (changed here only): {fields}.").format(fields=_labels(change.kept)))
    if preview.conflicts:
        print_conflicts(preview.conflicts)
    print(_("Unchanged: {count} records.").format(count=preview.unchanged))
    print(
        ngettext(
            "Evidence files: {new} of {total} to add; history: {events} new event.",
            "Evidence files: {new} of {total} to add; history: {events} new events.",
            preview.new_history,
        ).format(new=preview.new_files, total=preview.files, events=preview.new_history)
    )
    for note in preview.notes:
        print(_("Note: {note}").format(note=shown(note)))


def value_for_people(value: Any) -> str:
    from caseapp.services.bundles import value_for_people as shown_value

    return shown_value(value)


def _labels(names: Any) -> str:
    from caseapp.services.editing import field_label

    return shown(", ".join(field_label(name) for name in names))


def _block(label: str, value: Any) -> None:
    """One version of a field, in full: a long or multi-line text keeps every line, indented."""
    lines = for_terminal(value_for_people(value), multiline=True).splitlines() or [""]
    print(f"      {label} {lines[0]}")
    for line in lines[1:]:
        print(" " * (7 + len(label)) + line)


def print_conflicts(conflicts: Any) -> None:
    """Each conflict field by field, every version in full: what both had (the base), mine and theirs; the key to
    use in a decisions file is given for each (``RECORD/FIELD``, or ``RECORD`` for a whole record)."""
    fields = sum(len(change.conflicting) if change.merges else 1 for change in conflicts)
    print(
        _("Conflicts to decide — fields: {fields}; records: {records}.").format(fields=fields, records=len(conflicts))
    )
    width = max(len(_("base:")), len(_("mine:")), len(_("theirs:")))
    for change in conflicts:
        print(f"  - {shown(change.label)}: {shown(change.description)} — {shown(change.explanation)}")
        if not change.merges:
            print(f"    [{change.record_id}]")
            continue
        for decision in change.merges:
            if not decision.conflict:
                continue
            print(f"    [{change.record_id}/{decision.name}] {_labels([decision.name])}")
            base = change.base.get(decision.name, _UNKNOWN) if decision.name in change.base else _UNKNOWN
            _block(_("base:").ljust(width), base)
            _block(_("mine:").ljust(width), decision.mine)
            _block(_("theirs:").ljust(width), decision.theirs)
        if change.taken:
            print(
                "    "
                + _("Also taken from the bundle, changed there only: {fields}.").format(fields=_labels(change.taken))
            )
        if change.kept:
            print("    " + _("Kept as here, changed here only: {fields}.").format(fields=_labels(change.kept)))
    print(_("Whatever is chosen, the value not chosen is kept in the case's history and can be restored."))


class _Unknown:
    def __str__(self) -> str:
        return _("unknown (not in the history you share)")


_UNKNOWN = _Unknown()


def read_decisions(path: str, conflicts: Any) -> dict[Any, str]:
    """A decisions file: a JSON object whose keys are ``RECORD`` or ``RECORD/FIELD`` (as the preview prints them)
    and values ``"mine"`` or ``"theirs"``."""
    import json

    from caseapp.outputs import as_path

    try:
        raw = json.loads(as_path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(_("The decisions file cannot be read: {reason}").format(reason=exc.strerror)) from exc
    except ValueError as exc:
        raise InvalidInput(
            _("The decisions file is not JSON: {reason}. Write an object such as {example}.").format(
                reason=exc, example='{"RECORD/summary": "theirs"}'
            )
        ) from exc
    if not isinstance(raw, dict):
        raise InvalidInput(_("The decisions file must hold one JSON object of RECORD/FIELD: mine or theirs."))
    choices: dict[Any, str] = {}
    for key, value in raw.items():
        record, _slash, name = str(key).partition("/")
        try:
            record_id = uuid.UUID(record)
        except ValueError:
            raise InvalidInput(
                _("“{key}” in the decisions file is not RECORD or RECORD/FIELD.").format(key=shown(key))
            ) from None
        if value not in ("mine", "theirs"):
            raise InvalidInput(
                _("“{value}” in the decisions file is not a choice: write mine or theirs.").format(value=shown(value))
            )
        choices[(record_id, name) if name else record_id] = value
    return choices


def cmd_verify(args: argparse.Namespace) -> int:

    with open_preview(open_core(args), args) as preview:
        print_preview(preview)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    with fewer_collections():
        return _import(args)


def _import(args: argparse.Namespace) -> int:
    from caseapp.services import bundles
    from caseapp.services.checkout_marks import mark_of

    core = open_core(args)
    preview = open_preview(core, args)
    try:
        print_preview(preview)
        if args.dry_run:
            print(_("Dry run: nothing was imported."))
            return 0
        if preview.nothing_to_do and not preview.conflicts:
            return 0
        decided = decide_import(preview, args)
        if decided is None:
            return 1
        choices, accept = decided
        taken = mark_of(core, preview.case_id)
        report = bundles.apply(core, preview, choices=choices, accept_unsigned=accept)
    finally:
        preview.discard()
    print_import_report(report)
    if taken is not None and mark_of(core, preview.case_id) is None:
        print(
            _("The case is no longer marked as taken offline: this bundle brings back the copy {who} took.").format(
                who=shown(taken.taken_by)
            )
        )
    return 0


def decide_import(preview: Any, args: argparse.Namespace) -> tuple[dict[Any, str], bool] | None:
    """What ``import`` and ``checkin`` import: the choice for each conflict and whether a bundle without a trusted
    signature is accepted, asked in a terminal (or taken from --prefer, --accept-unsigned and --yes), then the
    confirmation. None: the person said no ("Nothing was imported." is printed)."""
    from caseapp.bundle import merge
    from caseapp.bundle.importer import TRUSTED

    accept = args.accept_unsigned
    asking = _interactive() and not args.yes
    if preview.signature.status != TRUSTED and not accept:
        if not asking:
            raise BundleError(
                _("Nothing was imported: the bundle has no trusted signature. Add --accept-unsigned to import it.")
            )
        accept = _ask(_("The bundle has no trusted signature. Import it anyway?"))
        if not accept:
            print(_("Nothing was imported."))
            return None
    default = merge.TAKE_THEIRS if args.prefer == "theirs" else merge.KEEP_MINE
    given = read_decisions(args.decisions, preview.conflicts) if getattr(args, "decisions", None) else {}
    choices: dict[Any, str] = {}
    for change in preview.conflicts:
        names = [d.name for d in change.merges if d.conflict] if change.merges else [None]
        for name in names:
            key = (change.record_id, name) if name else change.record_id
            choice = given.get(key, given.get(change.record_id, default))
            if asking and key not in given and change.record_id not in given:
                what = _labels([name]) + " — " if name else ""
                answer = input(
                    _("{field}{what} “{description}”: keep mine (m) or take theirs (t)? [{default}] ").format(
                        field=what, what=shown(change.label), description=shown(change.description), default=default[0]
                    )
                ).strip()
                choice = merge.TAKE_THEIRS if answer[:1].lower() == "t" else merge.KEEP_MINE if answer else default
            choices[key] = choice
    merge.check_choices(preview.plan, {k: v for k, v in given.items()})
    if not args.yes:
        if not asking:
            raise BundleError(_("Nothing was imported: add --yes to import without being asked."))
        if not _ask(_("Import?")):
            print(_("Nothing was imported."))
            return None
    return choices, accept


def print_import_report(report: Any) -> None:
    """What ``import`` and ``checkin`` imported."""
    from caseapp.services.bundles import report_sentence

    print(report_sentence(report))
    if not report.changed:
        return
    if report.files_missing:
        print(
            _("{count} evidence files are missing here: “caseapp evidence verify” lists their exhibits.").format(
                count=report.files_missing
            )
        )


def cmd_keys_show(args: argparse.Namespace) -> int:
    from caseapp.bundle import crypt
    from caseapp.identity import signing
    from caseapp.identity.keys import default_keystore

    core = open_core(args)
    store = default_keystore()
    signer = signing.ensure_signer(store)  # may ask for the passphrase of the encrypted key file
    recipient = crypt.recipient_of(crypt.ensure_identity(store))
    card = signing.Card(core.author, signer.public_key, recipient)
    print(_("Your bundle signing key: {fingerprint}").format(fingerprint=signing.show_fingerprint(signer.fingerprint)))
    print(_("Your encryption key (colleagues encrypt bundles for you with it): {key}").format(key=recipient))
    if store.warning:  # said after the keys are read: a passphrase declined just now means "this session only"
        print(_("Warning: {message}").format(message=store.warning), file=sys.stderr)
    notice = getattr(store, "notice", None)  # where the keys are kept (the system keyring, the encrypted file…)
    if notice:
        print(notice, file=sys.stdout if store.persistent else sys.stderr)
    if args.export:
        from caseapp.outputs import write_bytes

        written = write_bytes(args.export, card.text().encode("utf-8"))
        print(_("Public key written to {path}: give it to your colleagues.").format(path=shown(written)))
    return 0


def cmd_keys_trust(args: argparse.Namespace) -> int:
    """Trust a colleague's key, given as their public key file or as its fingerprint."""
    from caseapp.identity import signing
    from caseapp.store.files import read_input

    core = open_core(args)
    card = None
    if os.path.lexists(args.key):  # never raises: a name too long or with a NUL simply does not exist
        data = read_input(args.key, CARD_LIMIT)  # a regular file only, and a small one
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(
                _("“{path}” is not a CaseApp public key: it is not text.").format(path=shown(args.key))
            ) from None
        card = signing.parse_card(text)
        fingerprint = card.fingerprint
    else:
        fingerprint = signing.parse_fingerprint(args.key)
    name = args.name or (card.name if card else "")
    entry = signing.TrustedKeys(core.data_dir).trust(fingerprint, name=name, author=core.author, card=card)
    print(_("Trusted: {fingerprint} {name}").format(fingerprint=entry.shown, name=shown(entry.name)).rstrip())
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    from caseapp.identity import signing

    core = open_core(args)
    entries = signing.TrustedKeys(core.data_dir).all()
    if not entries:
        print(_("No trusted keys yet. Trust a colleague's key with “caseapp keys trust”."))
        return 0
    for entry in entries:
        extra = _(" (can receive encrypted bundles)") if entry.recipient else ""
        print(f"{entry.shown}  {shown(entry.name) or '—'}{extra}")
    return 0


def cmd_keys_forget(args: argparse.Namespace) -> int:
    from caseapp.identity import signing

    core = open_core(args)
    entry = signing.TrustedKeys(core.data_dir).forget(signing.parse_fingerprint(args.fingerprint))
    print(_("No longer trusted: {fingerprint} {name}").format(fingerprint=entry.shown, name=shown(entry.name)).rstrip())
    return 0


def add_import_arguments(parser: argparse.ArgumentParser, *, dry_run: bool) -> None:
    """The arguments of ``import`` (and ``checkin``): the file, the confirmations, how conflicts are settled and how
    an encrypted bundle is opened."""
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    parser.add_argument(
        "--accept-unsigned", action="store_true", help=_("import even without a trusted signature (recorded)")
    )
    if dry_run:
        parser.add_argument("--dry-run", action="store_true", help=_("show what would change, write nothing"))
    parser.add_argument(
        "--prefer",
        choices=["mine", "theirs"],
        default="mine",
        help=_("how to settle the conflicts no decision is given for (default: mine)"),
    )
    parser.add_argument(
        "--decisions",
        metavar="FILE",
        help=_("a JSON file deciding conflicts: RECORD/FIELD or RECORD (as printed) to mine or theirs"),
    )
    parser.add_argument("--passphrase-file", metavar="FILE", help=_("the passphrase is on this file's first line"))
    parser.add_argument("--identity", action="append", metavar="FILE", help=_("an age secret key file to open it"))


def register(sub: Any) -> None:
    export = sub.add_parser("export", help=help_of("export"))
    export.set_defaults(handler=cmd_export)
    export.add_argument("case", metavar="CASE", help=_("a case identifier, a unique prefix of it or its court number"))
    export.add_argument("-o", "--output", required=True, metavar="FILE", help=_("the bundle file to write"))
    signed = export.add_mutually_exclusive_group()
    signed.add_argument(
        "--sign", dest="sign", action="store_true", default=None, help=_("sign (creating your key if needed)")
    )
    signed.add_argument("--no-sign", dest="sign", action="store_false", help=_("do not sign"))
    export.add_argument("--no-pdf", action="store_true", help=_("leave the case summary (PDF) out"))
    export.add_argument(
        "--no-evidence",
        action="store_true",
        help=_("leave the evidence files out (their names, sizes and fingerprints still go in)"),
    )
    export.add_argument(
        "--encrypt-passphrase",
        action="store_true",
        help=_("encrypt with a passphrase (from {env}, or asked for)").format(env=PASSPHRASE_ENV),
    )
    export.add_argument(
        "--passphrase-file", metavar="FILE", help=_("encrypt with the passphrase on this file's first line")
    )
    export.add_argument(
        "--recipient",
        "--encrypt-to",
        dest="recipient",
        action="append",
        metavar="KEY",
        help=_("encrypt for this age public key or trusted colleague (repeatable)"),
    )

    verify = sub.add_parser("verify", help=help_of("verify"))
    verify.set_defaults(handler=cmd_verify)
    verify.add_argument("file", metavar="FILE")
    verify.add_argument("--passphrase-file", metavar="FILE", help=_("the passphrase is on this file's first line"))
    verify.add_argument("--identity", action="append", metavar="FILE", help=_("an age secret key file to open it"))

    imp = sub.add_parser("import", help=help_of("import"))
    imp.set_defaults(handler=cmd_import)
    add_import_arguments(imp, dry_run=True)

    keys = sub.add_parser("keys", help=help_of("keys"))
    keys.set_defaults(handler=lambda a: (keys.print_help(), 2)[1])
    actions = keys.add_subparsers(dest="keys_command", metavar="ACTION")
    show = actions.add_parser("show", help=_("show your keys (creating them on first use)"))
    show.set_defaults(handler=cmd_keys_show)
    show.add_argument("--export", metavar="FILE", help=_("write your public key to a file for colleagues"))
    trust = actions.add_parser("trust", help=_("trust a colleague's key"))
    trust.set_defaults(handler=cmd_keys_trust)
    trust.add_argument("key", metavar="FINGERPRINT_OR_FILE")
    trust.add_argument("--name", help=_("whose key it is"))
    actions.add_parser("list", help=_("list the keys you trust")).set_defaults(handler=cmd_keys_list)
    forget = actions.add_parser("forget", aliases=["remove"], help=_("stop trusting a key"))
    forget.set_defaults(handler=cmd_keys_forget)
    forget.add_argument("fingerprint", metavar="FINGERPRINT")
