"""The commands that keep data safe: ``backup`` and ``restore`` the database, ``evidence verify`` and ``prune`` the
evidence store, ``audit verify`` the history."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from caseapp.cli.catalogue import help_of
from caseapp.cli.common import open_core
from caseapp.cli.output import emit_json
from caseapp.errors import CaseAppError, StorageError
from caseapp.i18n import _, ngettext
from caseapp.textsafe import for_terminal


def cmd_backup(args: argparse.Namespace) -> int:
    import os

    from caseapp.outputs import as_path, staged
    from caseapp.store.backup import backup_sqlite, default_backup_path

    core = open_core(args)
    source = core.db.sqlite_path
    if source is None:
        raise StorageError(
            _("Backups from CaseApp are for the local SQLite database; back up a server with its own tools.")
        )
    if args.path:
        target = as_path(args.path)
        if os.path.isdir(target):  # a folder (or a link to one): a new file in it
            target = default_backup_path(target, in_backups=False)
    else:
        target = default_backup_path(core.data_dir)
    # Written in a private folder beside the target, then renamed over it: never through a link or a device.
    with staged(target) as staging:
        backup_sqlite(source, staging)
    size = target.stat().st_size
    print(_("Backup written: {path} ({size} KB).").format(path=for_terminal(target), size=max(1, size // 1024)))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from caseapp import config
    from caseapp.store.backup import restore_sqlite
    from caseapp.store.database import open_database
    from caseapp.store.models import StoredFile

    folder = Path(args.data_dir) if args.data_dir else config.data_dir()
    url = config.database_url(folder)
    if not url.startswith("sqlite:///"):
        raise StorageError(_("Restoring is for the local SQLite database; restore a server with its own tools."))
    target = Path(url.removeprefix("sqlite:///"))
    aside = restore_sqlite(Path(args.path).expanduser(), target, folder)
    print(_("Backup restored. The database it replaced was kept as {path}.").format(path=aside))
    database = open_database(data_dir=folder)  # migrates the restored copy if it is older than the app
    try:
        with database.reader() as session:
            digests = set(session.scalars(select(StoredFile.sha256)))
        missing = [d for d in digests if not database.files.has(d)]
    finally:
        database.close()
    if missing:
        print(
            _("Warning: {count} evidence files named in the backup are not in the evidence store.").format(
                count=len(missing)
            )
        )
        return 1
    print(_("All {count} evidence files named in the backup are in the evidence store.").format(count=len(digests)))
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Check the history: its chain, the records against the events that last described them, the imported
    events against the imports that brought them, and the chain against the anchors written outside the database
    (the anchor file, the backups, and the bundles or backups named with ``--against``)."""
    from caseapp.store import anchors, history_check

    core = open_core(args)
    signer = anchors.load_signer()
    report = history_check.verify_history(
        core.db, against=[Path(p).expanduser() for p in args.against or ()], signer=signer
    )
    if not report.holds:
        for problem in report.problems[1:]:
            print(problem)
        more = len(report.problems) - 1
        others = ""
        if more == 1:
            others = " " + _("(One other problem is listed above.)")
        elif more:
            others = " " + _("({count} other problems are listed above.)").format(count=more)
        raise CaseAppError(report.problems[0] + others)
    print(_("The history holds together: {count} events checked, no link broken.").format(count=report.events))
    print(_("{count} records match the last event that describes them.").format(count=report.records))
    if report.imported:
        print(_("{count} events came from bundles; each says which import brought it.").format(count=report.imported))
    if report.newest is not None:
        print(
            _(
                "{count} anchors written outside the database agree with it; the newest was written on {when} ({how})."
            ).format(
                count=report.anchors, when=history_check.when(report.newest.at), how=history_check.how(report.newest)
            )
        )
    else:
        print(_("No anchor was written outside the database yet: this check writes the first one."))
    if not report.key_here:
        print(
            _(
                "The anchors are not signed: there is no signing key here (“caseapp keys show” makes one). Someone "
                "able to change the data folder could rewrite them along with the database."
            )
        )
    elif report.unsigned:
        print(
            _(
                "{count} of these anchors are not signed with your key: they were written where it was not available."
            ).format(count=report.unsigned)
        )
    anchors.write_now(core.db, anchors.VERIFY, signer=signer)
    return 0


def cmd_evidence_verify(args: argparse.Namespace) -> int:
    from caseapp.services.cases import list_cases, resolve_case
    from caseapp.services.evidence import unreferenced_files, verify_evidence

    core = open_core(args)
    case_ids = [resolve_case(core, args.case)] if args.case else [row.id for row in list_cases(core)]
    results = [(case_id, r) for case_id in case_ids for r in verify_evidence(core, case_id)]
    problems = [(case_id, r) for case_id, r in results if r.problem]
    loose = [] if args.case else unreferenced_files(core)
    if args.json:
        rows: list[dict[str, object]] = [
            {
                "case_id": str(case_id),
                "exhibit": r.evidence.number,
                "title": r.evidence.title,
                "sha256": r.evidence.file.sha256 if r.evidence.file else None,
                "problem": r.problem,
            }
            for case_id, r in results
        ]
        rows += [
            {"case_id": None, "exhibit": None, "title": None, "sha256": f.sha256, "size": f.size, "unreferenced": True}
            for f in loose
        ]
        emit_json(rows)
    else:
        for _case_id, r in problems:
            print(
                _("Exhibit {number} “{title}”: {problem}").format(
                    number=r.evidence.number, title=r.evidence.title, problem=r.problem
                )
            )
        print(
            ngettext(
                "{count} file checked, {bad} with a problem.",
                "{count} files checked, {bad} with a problem.",
                len(results),
            ).format(count=len(results), bad=len(problems))
        )
        if loose:
            print()
            print(
                ngettext(
                    "{count} file in the evidence store is named by no exhibit of this case file (it may belong "
                    "to a backup, to the database a restore set aside or to a team server). It is kept; "
                    "“caseapp evidence prune SHA256…” removes the ones you name:",
                    "{count} files in the evidence store are named by no exhibit of this case file (they may belong "
                    "to a backup, to the database a restore set aside or to a team server). They are kept; "
                    "“caseapp evidence prune SHA256…” removes the ones you name:",
                    len(loose),
                ).format(count=len(loose))
            )
            for item in loose:
                print(f"  {item.sha256}  {item.size}")
    return 1 if problems else 0


def cmd_evidence_prune(args: argparse.Namespace) -> int:
    from caseapp.services.evidence import prune_files, unreferenced_files

    core = open_core(args)
    if not args.yes:
        loose = {f.sha256 for f in unreferenced_files(core)}
        for digest in args.sha256:
            state = _("named by no exhibit: would be removed") if digest.lower() in loose else _("not removable")
            print(f"{digest}  {state}")
        print(_("Nothing was removed. Run again with --yes to remove the files listed as removable."))
        return 0
    removed = prune_files(core, args.sha256)
    print(
        ngettext(
            "{count} file removed from the evidence store.",
            "{count} files removed from the evidence store.",
            len(removed),
        ).format(count=len(removed))
    )
    return 0


def register_backup(sub: Any) -> None:
    """``backup``: listed by ``caseapp --help`` with the database commands, before the documents."""
    help_text = help_of("backup")
    backup = sub.add_parser("backup", help=help_text, description=help_text)
    backup.set_defaults(handler=cmd_backup)
    backup.add_argument("path", nargs="?", metavar="PATH", help=_("where to write it (default: the backups folder)"))


def register(sub: Any) -> None:
    """``evidence``, ``restore`` and ``audit``."""
    evidence = sub.add_parser("evidence", help=help_of("evidence"), description=help_of("evidence"))
    evidence.set_defaults(handler=lambda a: (evidence.print_help(), 2)[1])
    evidence_actions = evidence.add_subparsers(dest="evidence_command", metavar="ACTION")
    verify_files = evidence_actions.add_parser("verify", help=_("re-hash every stored file and report mismatches"))
    verify_files.add_argument("case", metavar="CASE", nargs="?", help=_("only this case (default: every case)"))
    verify_files.add_argument("--json", action="store_true", help=_("print JSON"))
    verify_files.set_defaults(handler=cmd_evidence_verify)
    prune = evidence_actions.add_parser(
        "prune", help=_("remove the named files that no exhibit names (see “evidence verify”)")
    )
    prune.add_argument("sha256", metavar="SHA256", nargs="+", help=_("the files to remove, by their SHA-256"))
    prune.add_argument("--yes", action="store_true", help=_("remove them (otherwise only show what would be done)"))
    prune.set_defaults(handler=cmd_evidence_prune)
    restore = sub.add_parser("restore", help=help_of("restore"))
    restore.set_defaults(handler=cmd_restore)
    restore.add_argument("path", metavar="PATH", help=_("the backup file"))
    audit = sub.add_parser("audit", help=help_of("audit"), description=help_of("audit"))
    audit.set_defaults(handler=lambda a: (audit.print_help(), 2)[1])
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION")
    verify = actions.add_parser(
        "verify",
        help=_("check that the history was not edited behind CaseApp's back"),
        description=_(
            "Check the chain of events, every record against the last event that describes it, the events imported "
            "from bundles, and the chain against the anchors written outside the database."
        ),
    )
    verify.add_argument(
        "--against",
        metavar="FILE",
        action="append",
        help=_("also check against the anchor a bundle or a backup carries (may be repeated)"),
    )
    verify.set_defaults(handler=cmd_audit_verify)
