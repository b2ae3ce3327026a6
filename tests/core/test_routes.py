"""The route matrix: what lies against a decision, before which court and by when, checked by hand.

Every expected date below was worked out by hand from ``/shared/DEADLINES.md`` (délai franc: the day after the
nominal end, then past Saturdays, Sundays and holidays of the seat), not by running the engine. A row reads:
court, nature, matter, notification, options → the routes (kind, court, rule, last day; None = no date from the
notification).
"""

from __future__ import annotations

import json
from datetime import date as D
from typing import Any

import pytest

from caseapp.domain.enums import CourtLevel, DecisionNature
from caseapp.domain.routes import MATRIX, NATURES, answer, court_level_of, routes_for
from caseapp.errors import InvalidInput

A, C, X = "appeal", "cassation", "other"  # X: an exceptional remedy
CE_OTHERS = [(X, "ce", "rectification", "R"), (X, "ce", "revision", None), (X, "ce", "tierce-opposition", None)]

ROUTES: list[tuple[str, str, str | None, D, dict[str, Any], list[tuple[str, str | None, str, Any]]]] = [
    # --- tribunal administratif: judgments and president's orders follow the matter (R811-1) -------------------
    # Fri 28 Feb 2020 + 2 months = Tue 28 Apr; franc → Wed 29 Apr (reading B, 29 Feb + 2 months, agrees).
    ("ta", "jugement", "general", D(2020, 2, 28), {}, [(A, "caa", "appeal", D(2020, 4, 29))]),
    ("ta", "jugement", "cada", D(2020, 2, 28), {}, [(C, "ce", "cassation-last-resort", D(2020, 4, 29))]),
    # Sun 3 Jan 2021 → 3 Mar; franc → Thu 4 Mar 2021 (worked example of DEADLINES.md).
    ("ta", "jugement", "last_resort", D(2021, 1, 3), {}, [(C, "ce", "cassation-last-resort", D(2021, 3, 4))]),
    # Fri 14 Dec 2018 → 14 Feb 2019; franc → Fri 15 Feb 2019.
    ("ta", "ordonnance", "general", D(2018, 12, 14), {}, [(A, "caa", "appeal", D(2019, 2, 15))]),
    # Mon 5 Oct 2020 → Sat 5 Dec; franc Sun 6 Dec → Mon 7 Dec 2020.
    ("ta", "ordonnance", "cada", D(2020, 10, 5), {}, [(C, "ce", "cassation-last-resort", D(2020, 12, 7))]),
    # Fri 1 May 2026 (notified on a holiday) → 1 Jul; franc → Thu 2 Jul 2026.
    ("ta", "ordonnance", "last_resort", D(2026, 5, 1), {}, [(C, "ce", "cassation-last-resort", D(2026, 7, 2))]),
    # Month ends. 31 Jan 2019: (A) 31 Mar (Sun) + 1 = Mon 1 Apr; (B) 1 Feb + 2 months = Mon 1 Apr: the same.
    ("ta", "jugement", "general", D(2019, 1, 31), {}, [(A, "caa", "appeal", D(2019, 4, 1))]),
    # 29 Dec 2022: (A) 28 Feb 2023 (capped) + 1 = Wed 1 Mar; (B) 30 Dec + 2 months = Tue 28 Feb: meet 28 Feb.
    ("ta", "jugement", "general", D(2022, 12, 29), {}, [(A, "caa", "appeal", D(2023, 2, 28))]),
    # 30 Dec 2025: (A) 28 Feb 2026 + 1 = Sun 1 Mar → Mon 2 Mar; (B) 28 Feb (Sat) → Mon 2 Mar: the same.
    ("ta", "jugement", "general", D(2025, 12, 30), {}, [(A, "caa", "appeal", D(2026, 3, 2))]),
    # 31 Dec 2024: (A) 28 Feb 2025 + 1 = Sat 1 Mar → Mon 3 Mar; (B) 1 Jan + 2 months = Sat 1 Mar → Mon 3 Mar.
    ("ta", "ordonnance", "general", D(2024, 12, 31), {}, [(A, "caa", "appeal", D(2025, 3, 3))]),
    # Distance (R421-7 via R811-5): abroad +2 months: Thu 27 Feb 2020 → 27 Jun (Sat) + 1 → Sun → Mon 29 Jun 2020.
    ("ta", "jugement", "general", D(2020, 2, 27), {"residence": "abroad"}, [(A, "caa", "appeal", D(2020, 6, 29))]),
    # Via R821-2 for cassation: overseas +1 month: 27 Feb 2020 → 27 May; franc → Thu 28 May 2020.
    (
        "ta",
        "jugement",
        "cada",
        D(2020, 2, 27),
        {"residence": "overseas"},
        [(C, "ce", "cassation-last-resort", D(2020, 5, 28))],
    ),
    # Alsace-Moselle: 17 Feb 2025 → 17 Apr; franc → Fri 18 Apr 2025, Good Friday only locally: the national date
    # stands (a local extension is only shown).
    ("ta", "jugement", "general", D(2025, 2, 17), {"seat": "alsace-moselle"}, [(A, "caa", "appeal", D(2025, 4, 18))]),
    # Guadeloupe: 26 Mar 2024 → Sun 26 May; franc Mon 27 May = abolition day in Guadeloupe → Tue 28 May 2024.
    ("ta", "jugement", "general", D(2024, 3, 26), {"seat": "971"}, [(A, "caa", "appeal", D(2024, 5, 28))]),
    # --- tribunal administratif: référé orders, fifteen days, whatever the matter --------------------------------
    # Tue 20 Dec 2022 + 15 = 4 Jan 2023; franc → Thu 5 Jan 2023 (CE 29 Jun 2023 n° 470217).
    ("ta", "refere_liberte", None, D(2022, 12, 20), {}, [(A, "ce", "refere-liberte-appeal", D(2023, 1, 5))]),
    # Thu 29 Feb 2024 + 15 = Fri 15 Mar; franc Sat 16 → Mon 18 Mar 2024.
    ("ta", "refere_liberte", "cada", D(2024, 2, 29), {}, [(A, "ce", "refere-liberte-appeal", D(2024, 3, 18))]),
    (
        "ta",
        "refere_liberte_tri",
        None,
        D(2022, 12, 20),
        {},
        [(A, "ce", "refere-liberte-appeal", D(2023, 1, 5)), (C, "ce", "refere-cassation", D(2023, 1, 5))],
    ),
    # The case: order of 11 Mar 2020 → 26 Mar; franc → Fri 27 Mar 2020 (not the CAA's 12 May).
    ("ta", "refere_suspension", "general", D(2020, 3, 11), {}, [(C, "ce", "refere-cassation", D(2020, 3, 27))]),
    # No distance extension for a référé's fifteen days.
    (
        "ta",
        "refere_suspension",
        None,
        D(2020, 3, 11),
        {"residence": "abroad"},
        [(C, "ce", "refere-cassation", D(2020, 3, 27))],
    ),
    # Fri 17 Apr 2020 + 15 = Sat 2 May; franc Sun 3 May → Mon 4 May 2020.
    ("ta", "refere_mesures_utiles", None, D(2020, 4, 17), {}, [(C, "ce", "refere-cassation", D(2020, 5, 4))]),
    # Mon 15 Apr 2024 + 15 = 30 Apr; franc Wed 1 May (holiday) → Thu 2 May 2024.
    ("ta", "refere_modification", None, D(2024, 4, 15), {}, [(C, "ce", "refere-cassation", D(2024, 5, 2))]),
    # Thu 24 Apr 2025 + 15 = Fri 9 May; franc Sat 10 → Mon 12 May 2025.
    ("ta", "refere_tri", None, D(2025, 4, 24), {}, [(C, "ce", "refere-cassation", D(2025, 5, 12))]),
    # R533-1: Mon 7 Jul 2025 + 15 = 22 Jul; franc → Wed 23 Jul 2025.
    ("ta", "refere_constat", None, D(2025, 7, 7), {}, [(A, "caa", "refere-instruction-appeal", D(2025, 7, 23))]),
    # Wed 30 Jul 2025 + 15 = 14 Aug; franc Fri 15 Aug (holiday) → Sat, Sun → Mon 18 Aug 2025.
    ("ta", "refere_instruction", None, D(2025, 7, 30), {}, [(A, "caa", "refere-instruction-appeal", D(2025, 8, 18))]),
    # R541-3: Tue 16 Dec 2025 + 15 = 31 Dec; franc Thu 1 Jan 2026 (holiday) → Fri 2 Jan 2026.
    ("ta", "refere_provision", None, D(2025, 12, 16), {}, [(A, "caa", "refere-provision-appeal", D(2026, 1, 2))]),
    # Fri 20 Dec 2024 + 15 = Sat 4 Jan; franc Sun 5 → Mon 6 Jan 2025.
    ("ta", "refere_provision", None, D(2024, 12, 20), {}, [(A, "caa", "refere-provision-appeal", D(2025, 1, 6))]),
    # --- cour administrative d'appel: cassation (and rectification, R833-1) -------------------------------------
    # Mon 14 Oct 2024 → Sat 14 Dec; franc Sun 15 → Mon 16 Dec 2024 (the CAA 23MA02036 decision's date).
    (
        "caa",
        "arret",
        None,
        D(2024, 10, 14),
        {},
        [(C, "ce", "cassation", D(2024, 12, 16)), (X, "caa", "rectification", D(2024, 12, 16))],
    ),
    # 31 Oct 2024: (A) 31 Dec + 1 = 1 Jan 2025 (holiday) → Thu 2 Jan; (B) 1 Nov + 2 months = 1 Jan → 2 Jan.
    (
        "caa",
        "ordonnance",
        None,
        D(2024, 10, 31),
        {},
        [(C, "ce", "cassation", D(2025, 1, 2)), (X, "caa", "rectification", D(2025, 1, 2))],
    ),
    (
        "caa",
        "arret",
        "cada",  # the matter does not change a court of appeal's route
        D(2025, 12, 30),
        {},
        [(C, "ce", "cassation", D(2026, 3, 2)), (X, "caa", "rectification", D(2026, 3, 2))],
    ),
    # Fri 1 Aug 2025 + 15 = Sat 16 Aug; franc Sun 17 → Mon 18 Aug 2025.
    ("caa", "refere_liberte", None, D(2025, 8, 1), {}, [(A, "ce", "refere-liberte-appeal", D(2025, 8, 18))]),
    # Fri 24 Apr 2026 + 15 = Sat 9 May; franc Sun 10 → Mon 11 May 2026.
    (
        "caa",
        "refere_liberte_tri",
        None,
        D(2026, 4, 24),
        {},
        [(A, "ce", "refere-liberte-appeal", D(2026, 5, 11)), (C, "ce", "refere-cassation", D(2026, 5, 11))],
    ),
    # Mon 3 Nov 2025 + 15 = 18 Nov; franc → Wed 19 Nov 2025.
    ("caa", "refere_suspension", None, D(2025, 11, 3), {}, [(C, "ce", "refere-cassation", D(2025, 11, 19))]),
    # Thu 30 Jul 2026 + 15 = Fri 14 Aug; franc Sat 15 Aug (holiday) → Sun → Mon 17 Aug 2026.
    ("caa", "refere_mesures_utiles", None, D(2026, 7, 30), {}, [(C, "ce", "refere-cassation", D(2026, 8, 17))]),
    # Wed 29 Jul 2026 + 15 = Thu 13 Aug; franc → Fri 14 Aug 2026.
    ("caa", "refere_modification", None, D(2026, 7, 29), {}, [(C, "ce", "refere-cassation", D(2026, 8, 14))]),
    # Mon 13 Jul 2026 + 15 = 28 Jul; franc → Wed 29 Jul 2026.
    ("caa", "refere_tri", None, D(2026, 7, 13), {}, [(C, "ce", "refere-cassation", D(2026, 7, 29))]),
    # R541-6: Fri 26 Dec 2025 + 15 = Sat 10 Jan; franc Sun 11 → Mon 12 Jan 2026.
    ("caa", "refere_provision", None, D(2025, 12, 26), {}, [(C, "ce", "refere-provision-cassation", D(2026, 1, 12))]),
    # R533-3: Wed 6 May 2026 + 15 = Thu 21 May; franc → Fri 22 May 2026.
    ("caa", "refere_instruction", None, D(2026, 5, 6), {}, [(C, "ce", "refere-instruction-cassation", D(2026, 5, 22))]),
    # Thu 7 May 2026 + 15 = Fri 22 May; franc Sat 23 → Sun 24 → Mon 25 (Whit Monday) → Tue 26 May 2026.
    ("caa", "refere_constat", None, D(2026, 5, 7), {}, [(C, "ce", "refere-instruction-cassation", D(2026, 5, 26))]),
    # --- Conseil d'État: no ordinary route; rectification (2 months), révision and tierce opposition (no date) ---
    # Wed 11 Mar 2020 → Mon 11 May; franc → Tue 12 May 2020.
    (
        "ce",
        "decision_ce",
        None,
        D(2020, 3, 11),
        {},
        [(k, c, r, D(2020, 5, 12) if d else None) for k, c, r, d in CE_OTHERS],
    ),
    # A référé-liberté appeal decided by the CE: Fri 10 Jul 2020 → Thu 10 Sep; franc → Fri 11 Sep 2020.
    (
        "ce",
        "refere_liberte",
        None,
        D(2020, 7, 10),
        {},
        [(k, c, r, D(2020, 9, 11) if d else None) for k, c, r, d in CE_OTHERS],
    ),
    # 30 Nov 2020: (A) Sat 30 Jan 2021 + 1 = Sun 31 → Mon 1 Feb; (B) 1 Dec + 2 months = Mon 1 Feb.
    (
        "ce",
        "ordonnance",
        None,
        D(2020, 11, 30),
        {},
        [(k, c, r, D(2021, 2, 1) if d else None) for k, c, r, d in CE_OTHERS],
    ),
    # Mon 2 Mar 2020 → Sat 2 May; franc Sun 3 → Mon 4 May 2020.
    (
        "ce",
        "refere_suspension",
        "cada",
        D(2020, 3, 2),
        {},
        [(k, c, r, D(2020, 5, 4) if d else None) for k, c, r, d in CE_OTHERS],
    ),
]


@pytest.mark.parametrize(("court", "nature", "matter", "notified", "options", "expected"), ROUTES)
def test_route_table(
    court: str, nature: str, matter: str | None, notified: D, options: dict[str, Any], expected: list[Any]
) -> None:
    found = [
        (item.route.kind, item.route.court, item.route.rule_id, item.last_day)
        for item in answer(court, nature, notified, matter=matter, **options)
    ]
    assert found == expected


def test_the_table_has_forty_decisions_and_covers_every_entry_of_the_matrix() -> None:
    assert len(ROUTES) >= 40
    covered = {(court, nature) for court, nature, *_rest in ROUTES}
    every = {(level.value, nature.value) for (level, nature, _matter) in MATRIX}
    missing = every - covered
    # The Conseil d'État's natures all answer the same way (checked below); every other entry is in the table.
    assert {(c, n) for c, n in missing if c != "ce"} == set()
    for nature in NATURES[CourtLevel.CE]:
        assert [r.rule_id for r in routes_for("ce", nature)] == ["rectification", "revision", "tierce-opposition"]


def test_month_end_ambiguity_keeps_the_later_day_as_arguable() -> None:
    (appeal,) = answer("ta", "jugement", D(2022, 12, 29))
    assert appeal.last_day == D(2023, 2, 28)
    assert appeal.computed is not None and appeal.computed.arguable_day == D(2023, 3, 1)
    assert "month_end_ambiguity" in appeal.as_json()["flags"]


def test_local_holiday_is_only_a_possible_extension() -> None:
    (appeal,) = answer("ta", "jugement", D(2025, 2, 17), seat="alsace-moselle")
    # Sat 19, Sun 20, Easter Monday 21 April → Tue 22 April 2025.
    assert appeal.computed is not None and appeal.computed.local_extension_day == D(2025, 4, 22)


def test_routes_not_stated_means_no_date_for_the_ordinary_routes() -> None:
    (appeal,) = answer("ta", "jugement", D(2020, 3, 11), appeal_routes_stated=False)
    assert appeal.last_day is None and "no_appeal_routes" in appeal.as_json()["flags"]
    assert "Czabaj" in appeal.explanation_fr


def test_a_court_that_does_not_give_that_decision_is_refused() -> None:
    for court, nature in (("ta", "arret"), ("ta", "decision_ce"), ("caa", "jugement"), ("ce", "jugement")):
        with pytest.raises(InvalidInput, match="does not give a decision of that nature"):
            routes_for(court, nature)
    with pytest.raises(InvalidInput):
        routes_for("tribunal", "jugement")


def test_exceptional_remedies_say_why_no_date_follows() -> None:
    found = {item.route.rule_id: item for item in answer("ce", "decision_ce", D(2020, 3, 11))}
    assert found["revision"].last_day is None
    assert "cause de révision est connue" in found["revision"].explanation_fr
    assert "neither present nor represented" in found["tierce-opposition"].explanation_en
    data = json.loads(json.dumps([item.as_json() for item in found.values()]))
    assert {row["kind"] for row in data} == {"other"}
    assert [row["last_day"] for row in data] == ["2020-05-12", None, None]


def test_unsettled_route_is_said_on_both_routes() -> None:
    for item in answer("ta", "refere_liberte_tri", D(2022, 12, 20)):
        assert "n'est pas tranchée" in item.explanation_fr and "unsettled" in item.explanation_en


def test_court_level_from_the_court_name() -> None:
    assert court_level_of("Tribunal administratif de Marseille") == CourtLevel.TA
    assert court_level_of("TA de Nice") == CourtLevel.TA
    assert court_level_of("Cour administrative d'appel de Marseille") == CourtLevel.CAA
    assert court_level_of("CAA de Paris") == CourtLevel.CAA
    assert court_level_of("Conseil d'État") == CourtLevel.CE
    assert court_level_of("Conseil d’Etat, juge des référés") == CourtLevel.CE
    assert court_level_of("") is None and court_level_of("Tribunal judiciaire de Paris") is None


def test_every_nature_has_a_label_in_both_languages() -> None:
    for nature in DecisionNature:
        assert nature.label("fr") and nature.label("en") and nature.label("fr") != nature.value


def _digest_with_asdict() -> str:
    """The rules' fingerprint as every earlier version computed it (``dataclasses.asdict``), written out here."""
    import hashlib
    from dataclasses import asdict

    from caseapp.domain.deadline_rules import RULES
    from caseapp.domain.fingerprint import ENGINE_VERSION

    rules = [
        {k: v for k, v in sorted(asdict(rule).items()) if k not in ("note_fr", "note_en", "label_en")}
        for rule in sorted(RULES.values(), key=lambda r: r.id)
    ]
    matrix = sorted(
        [level.value, nature.value, matter.value if matter else "", [asdict(route) for route in routes]]
        for (level, nature, matter), routes in MATRIX.items()
    )
    payload = json.dumps([ENGINE_VERSION, rules, matrix], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def test_the_rules_fingerprint_is_unchanged_by_this_version_and_follows_any_change_of_a_rule_or_route(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A case file whose rules did not change must not be told to recompute its deadlines after an upgrade; one
    whose rules did must be."""
    from dataclasses import replace

    from caseapp.domain import deadline_rules
    from caseapp.domain.fingerprint import rules_fingerprint

    before = rules_fingerprint()
    assert before == _digest_with_asdict()
    longer = replace(deadline_rules.RULES["appeal"], length=deadline_rules.RULES["appeal"].length + 1)
    monkeypatch.setitem(deadline_rules.RULES, "appeal", longer)
    assert rules_fingerprint() not in (before, "")
    assert rules_fingerprint() == _digest_with_asdict()
    monkeypatch.undo()
    key = (CourtLevel.TA, DecisionNature.REFERE_LIBERTE, None)
    monkeypatch.setitem(MATRIX, key, (*MATRIX[key], replace(MATRIX[key][0], court="caa")))
    assert rules_fingerprint() != before
    assert rules_fingerprint() == _digest_with_asdict()
