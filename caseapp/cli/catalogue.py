"""The commands of ``caseapp``: which module registers each, and the line ``caseapp --help`` says about it.

Written here once, in the order the help lists them, so that ``caseapp --help`` can list every command without
importing any group (building every group's parser loads the rules, the document kinds and the dates: three times
the start of a bare interpreter), and so that running one command loads its own group only. Each group's
``register`` takes its commands' help from here (``help_of``); ``tests/core/test_cli_parser.py`` checks that the
commands the groups register are exactly these, with this help.
"""

from __future__ import annotations

from caseapp.i18n import N_, _

# (module in ``caseapp.cli``, its register function, ((command, help), …)).
GROUPS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "cases",
        "register",
        (
            ("demo", N_("load the example cases (running it again changes nothing)")),
            ("cases", N_("list cases")),
            ("show", N_("show one case with everything in it")),
            ("search", N_("search cases, filings, hearing notes, opinions and evidence")),
        ),
    ),
    (
        "editing",
        "register",
        (
            ("set", N_("edit a case's fields in one go (all or nothing) and show what changed")),
            ("note", N_("hearing notes")),
        ),
    ),
    ("database", "register", (("db", N_("database maintenance")),)),
    ("safety", "register_backup", (("backup", N_("copy the database to a backup file")),)),
    (
        "documents",  # one per entry of services.documents.DOCUMENTS, then telerecours
        "register",
        (
            ("summary", N_("write the summary of a case as PDF")),
            ("bordereau", N_("write the list of exhibits (bordereau de pièces) as PDF")),
            ("hearing-sheet", N_("write the sheet of a hearing as PDF")),
            (
                "case-pdf",
                N_(
                    "write the whole case as one PDF: the summary, the bordereau and every exhibit that is a PDF or "
                    "an image, with bookmarks, a table of contents and page numbers"
                ),
            ),
            (
                "chronology",
                N_(
                    "write the chronology of a case as a PDF annex: decisions, filings, hearings, opinions, CADA "
                    "steps and exhibit dates in order, with the exhibit numbers cited"
                ),
            ),
            (
                "telerecours",
                N_("export the exhibits named for Télérecours, with the bordereau, into a folder or a .zip"),
            ),
        ),
    ),
    (
        "deadlines",
        "register",
        (
            ("deadline", N_("compute a time limit")),
            ("rules", N_("list the time-limit rules")),
        ),
    ),
    (  # apart from the two above, whose options list the rules, the seats and the residences from the engine
        "deadlines",
        "register_agenda",
        (
            ("agenda", N_("hearings and deadlines ahead, overdue first")),
            ("ics", N_("export hearings and deadlines as an iCalendar file")),
            ("parse-date", N_("show how a typed date is understood")),
        ),
    ),
    (
        "safety",
        "register",
        (
            ("evidence", N_("the evidence files")),
            ("restore", N_("put a backup back in place (the current database is kept aside)")),
            ("audit", N_("the history of changes")),
        ),
    ),
    (
        "bundles",
        "register",
        (
            ("export", N_("write a case bundle for a colleague")),
            ("verify", N_("check a bundle without importing it")),
            ("import", N_("import a colleague's case bundle")),
            ("keys", N_("your bundle keys and the colleagues you trust")),
        ),
    ),
    (
        "sync",
        "register",
        (
            ("checkout", N_("take a case offline: write its bundle for a laptop and mark it as taken by you")),
            ("checkin", N_("bring a case back: import the laptop's bundle and clear the mark")),
        ),
    ),
    (
        "letters",
        "register",
        (
            (
                "letter",
                N_(
                    "write a letter from a case (cada-request, cada-referral, recours-gracieux, demande-prealable) "
                    "as PDF, OpenDocument (odt, LibreOffice and Word open it) or Word (docx); --sent records it as "
                    "sent and enters the deadline it starts"
                ),
            ),
        ),
    ),
    (
        "remind",
        "register",
        (("remind", N_("what is due: hearings and deadlines ahead, overdue first (for the system's scheduler)")),),
    ),
    (
        "calendar",
        "register",
        (("calendar", N_("the team's shared CalDAV calendar: connect, sync, repair, disconnect")),),
    ),
)

_HELP = {command: text for _module, _function, commands in GROUPS for command, text in commands}


def help_of(command: str) -> str:
    """The line ``caseapp --help`` gives ``command``, in the interface's language."""
    return _(_HELP[command])
