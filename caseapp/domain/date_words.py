"""What a deadline's date is, said in words: a last day to act, the day an implicit decision is born (never a last
day), the court's own duty, the answer an authority owes, the close of the investigation. One place for the agenda,
the documents, the calendar and the command line.
"""

from __future__ import annotations

from datetime import date

from caseapp.domain.deadline_rules import RULES
from caseapp.i18n import N_, current_language, translate

ACT, BIRTH, COURT, CLOSING, EXPECTED = "act", "birth", "court", "closing", "expected"
USERS_TASKS = (ACT, CLOSING)  # what the user must have done by the day: overdue once past
# What a date is, said with the day (already formatted): the day an implicit decision is born is never a last day
# to act, the hearing notice is the court's duty, the closing of the investigation is not a filing.
BORN_ON = N_("Implicit decision born on {day}")
COURT_BY = N_("Due from the court by {day}")
NOTICE_BY = N_("Hearing notice due from the court by {day}")
CLOSES_ON = N_("Investigation closes on {day}")
CLOSES_AT_END_OF = N_("Investigation closes at the end of {day}")
CLOSES_AFTER_HEARING = N_("Investigation closes at the end of the hearing on {day}")
NO_NEW_GROUNDS = N_("No new grounds after {day}")
EXPECTED_BY = N_("Answer expected by {day}")
CADA_OPINION_BY = N_("CADA opinion expected by {day}")
RULE_PHRASES = {
    "hearing-notice": NOTICE_BY,
    "instruction-closing": CLOSES_AT_END_OF,  # the last day to file: it closes at midnight (R613-2)
    "refere-hearing": CLOSES_AFTER_HEARING,  # R522-8, unless the judge defers it
    "court-set-new-grounds": NO_NEW_GROUNDS,  # R611-7-1: the investigation itself goes on
    "cada-opinion": CADA_OPINION_BY,  # the CADA's answer, not the user's task and not a decision
}
_BY_KIND = {BIRTH: BORN_ON, COURT: COURT_BY, CLOSING: CLOSES_ON, EXPECTED: EXPECTED_BY}
# Rules whose dates are never the user's overdue task (births, the court's duties), for counting in SQL.
NOT_TASK_RULES = tuple(sorted(rule.id for rule in RULES.values() if rule.date_kind not in USERS_TASKS))


def is_users_task(date_kind: str | None) -> bool:
    """A last day to act, or the closing of the investigation (nothing can be filed after it)."""
    return (date_kind or ACT) in USERS_TASKS


def is_overdue(date_kind: str | None, due_on: date, today: date) -> bool:
    """Past and still the user's to do: the day an implicit decision was born, or the court's own duty, never is."""
    return is_users_task(date_kind) and due_on < today


def date_phrase(date_kind: str | None, rule_id: str | None, day: str, lang: str | None = None) -> str | None:
    """What a deadline's date is, with ``day`` already formatted: "Implicit decision born on {day}", "Hearing
    notice due from the court by {day}", "Investigation closes on {day}"… in ``lang`` (the interface's by
    default). None for a last day to act, which every list already shows as a deadline."""
    kind = date_kind or ACT
    if kind == ACT:
        return None
    text = RULE_PHRASES.get(rule_id or "", _BY_KIND.get(kind))
    if text is None:
        return None
    return translate(text, lang or current_language()).format(day=day)


def dated_title(
    date_kind: str | None, rule_id: str | None, title: str, day: str, lang: str | None = None, *, sep: str = " — "
) -> str | None:
    """A deadline named with what its date is ("Implicit decision born on {day} — Implicit refusal of access"),
    or the phrase alone when it says all the rule's name would ("Hearing notice due from the court by {day}").
    None for a last day to act."""
    phrase = date_phrase(date_kind, rule_id, day, lang)
    if phrase is None or rule_id in RULE_PHRASES:
        return phrase
    return f"{phrase}{sep}{title}"
