"""argparse's own words (``usage:``, ``options``, its error messages) in the interface's language.

argparse looks its words up with the standard library's ``gettext`` in a catalogue named ``messages`` that no
CaseApp install has, so a French command line said "usage:", "positional arguments" and "invalid choice" in
English; each lookup also searched the locale folders on disk (97 searches for ``caseapp --help``, a fifth of its
time). ``install`` points argparse's two lookup functions at CaseApp's catalogue; the words a person can meet are
listed below so that the catalogue must translate them (the translations test fails otherwise). Words argparse
says only to a programmer (a conflicting option string, a bad ``dest``) stay as argparse says them.
"""

from __future__ import annotations

import argparse

from caseapp.i18n import N_, ngettext, translate

SEEN_BY_PEOPLE = frozenset(
    {
        N_("usage: "),
        N_("positional arguments"),
        N_("options"),
        N_("show this help message and exit"),
        N_("%(prog)s: error: %(message)s\n"),
        N_("argument %(argument_name)s: %(message)s"),
        N_("the following arguments are required: %s"),
        N_("one of the arguments %s is required"),
        N_("unrecognized arguments: %s"),
        N_("ambiguous option: %(option)s could match %(matches)s"),
        N_("invalid choice: %(value)r (choose from %(choices)s)"),
        N_("invalid %(type)s value: %(value)r"),
        N_("expected one argument"),
        N_("expected at most one argument"),
        N_("expected at least one argument"),
        N_("not allowed with argument %s"),
        N_("ignored explicit argument %r"),
        N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
        N_("can't open '%(filename)s': %(error)s"),
    }
)


def _text(message: str) -> str:
    return translate(message) if message in SEEN_BY_PEOPLE else message


def _plural(singular: str, plural: str, count: int) -> str:
    if singular == "expected %s argument":
        return ngettext("expected %s argument", "expected %s arguments", count)
    return singular if count == 1 else plural


def install() -> None:
    """Make argparse speak the interface's language (called once, where the command line's parser is defined)."""
    argparse._ = _text  # type: ignore[attr-defined]  # argparse's module-level lookups, read at each message
    argparse.ngettext = _plural  # type: ignore[attr-defined]
