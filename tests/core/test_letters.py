"""Letters from the case: the CADA request, the referral to the CADA, a recours gracieux and a demande préalable,
filled from the case with the right articles, written as PDF, OpenDocument and Word and read back; recording one as
sent enters the deadline the rules give, on the right day (dates worked out by hand below)."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from caseapp.casefile.core import Core
from caseapp.errors import InvalidInput
from caseapp.services import access, cases, filings, parties
from caseapp.services.letters import LetterRequest, make_letter, mark_sent
from caseapp.settings import Settings, save_settings
from tests.core.test_reports import flat

TODAY = date(2026, 2, 16)


@pytest.fixture
def case_id(core: Core) -> uuid.UUID:
    case = cases.create_case(
        core,
        title="Vidéosurveillance automatisée",
        court="Tribunal administratif de Marseille",
        subject="l'installation de caméras de vidéosurveillance automatisée",
    )
    parties.add_party(
        core,
        case.id,
        name="La Quadrature du Net",
        role="applicant",
        kind="organisation",
        counsel="Me Alice Martin",
        counsel_contact="12 rue de la République\n13001 Marseille",
    )
    parties.add_party(core, case.id, name="Ville de Marseille", role="respondent", kind="public_body")
    filings.add_filing(
        core,
        case.id,
        kind="decision",
        title="Arrêté n° 2026-17 relatif à la vidéosurveillance",
        filed_on=date(2026, 1, 5),
        notified_on=date(2026, 1, 9),
    )
    return case.id


def pdf_words(path: Path) -> str:
    return flat("\n".join(page.extract_text() or "" for page in PdfReader(path).pages))


def odt_words(path: Path) -> str:
    from odf import teletype
    from odf.opendocument import load
    from odf.text import P

    document = load(str(path))
    return flat("\n".join(teletype.extractText(p) for p in document.getElementsByType(P)))


def docx_words(path: Path) -> str:
    import docx

    return flat("\n".join(p.text for p in docx.Document(str(path)).paragraphs))


READ = {"pdf": pdf_words, "odt": odt_words, "docx": docx_words}


def write(core: Core, kind: str, case_id: uuid.UUID, tmp_path: Path, fmt: str, **values: object) -> str:
    target = tmp_path / f"{kind}.{fmt}"
    _letter, written = make_letter(core, LetterRequest(kind, case_id, **values), target, today=TODAY)  # type: ignore[arg-type]
    assert written == fmt and target.stat().st_size > 0
    if fmt == "pdf" and shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "50", str(target), str(tmp_path / kind)], check=True)
    return READ[fmt](target)


@pytest.mark.parametrize("fmt", ["pdf", "odt", "docx"])
def test_the_cada_request_cites_the_crpa_and_the_month_of_silence(
    core: Core, case_id: uuid.UUID, tmp_path: Path, fmt: str
) -> None:
    access.add_request(core, case_id=case_id, administration="Ville de Marseille", documents="Le CCTP du marché SNEF")
    text = write(core, "cada-request", case_id, tmp_path, fmt)
    assert "Demande de communication de documents administratifs" in text
    assert "Ville de Marseille" in text and "Le CCTP du marché SNEF" in text
    assert "Agissant pour le compte de La Quadrature du Net" in text
    assert "Me Alice Martin" in text and "13001 Marseille" in text  # counsel recorded for the applicant
    for article in ("L300-1", "L311-1", "L311-7", "L311-9", "R311-13", "L342-1", "R343-1"):
        assert article in text, article
    assert "plus d'un mois" in text
    assert "Marseille, le 16 février 2026" in text
    assert "CaseApp" not in text and "CONFIDENTIEL" not in text.upper()


def test_the_referral_to_the_cada_says_when_the_refusal_was_born(
    core: Core, case_id: uuid.UUID, tmp_path: Path
) -> None:
    access.add_request(
        core,
        case_id=case_id,
        administration="Ville de Marseille",
        documents="Le CCTP",
        sent_on=date(2026, 2, 12),
        received_on=date(2026, 2, 16),
    )
    text = write(core, "cada-referral", case_id, tmp_path, "pdf")
    assert "Commission d'accès aux documents administratifs" in text and "75334 Paris Cedex 07" in text
    assert "L342-1" in text and "R343-1" in text and "R311-13" in text
    assert "reçue le 16 février 2026" in text
    assert "née le 16 mars 2026" in text  # one month after receipt, same date
    assert "Copie de la demande du 12 février 2026" in text


def test_the_recours_gracieux_keeps_the_time_limit_and_names_the_decision(
    core: Core, case_id: uuid.UUID, tmp_path: Path
) -> None:
    text = write(core, "recours-gracieux", case_id, tmp_path, "docx")
    assert "Recours gracieux contre Arrêté n° 2026-17" in text
    assert "du 5 janvier 2026, notifiée le 9 janvier 2026" in text
    assert "L411-2" in text and "L231-4" in text
    assert "Ville de Marseille" in text


def test_the_demande_prealable_binds_the_dispute_under_r421_1(core: Core, case_id: uuid.UUID, tmp_path: Path) -> None:
    save_settings(None, Settings(counsel_name="Me Bruno Durand", counsel_address="1 place Bellecour\n69002 Lyon"))
    text = write(core, "demande-prealable", case_id, tmp_path, "odt", amount="15 000")
    assert "Demande préalable indemnitaire" in text
    assert "R421-1" in text and "L231-4" in text and "R421-2" in text
    assert "15 000 euros" in text and "intérêts au taux légal" in text
    assert "Me Bruno Durand" in text and "69002 Lyon" in text  # the settings' counsel signs
    assert "Me Alice Martin" not in text


def test_what_the_case_does_not_say_is_a_blank_to_fill_never_a_guess(core: Core, tmp_path: Path) -> None:
    bare = cases.create_case(core, title="Dossier sans parties")
    text = write(core, "demande-prealable", bare.id, tmp_path, "pdf")
    assert "[à compléter : montant demandé]" in text
    assert "[à compléter : nom du client]" in text


def test_an_english_letter(core: Core, case_id: uuid.UUID, tmp_path: Path) -> None:
    text = write(core, "recours-gracieux", case_id, tmp_path, "pdf", lang="en")
    assert "Administrative appeal (recours gracieux) against" in text and "L411-2" in text


# --- marked as sent: the deadline it starts ------------------------------------------------------------------------


def due(sent: object, rule: str) -> date:
    found = [d.due_on for d in sent.deadlines if d.rule_id == rule]  # type: ignore[attr-defined]
    assert found, [d.rule_id for d in sent.deadlines]  # type: ignore[attr-defined]
    return found[0]


def test_a_cada_request_sent_starts_the_implicit_refusal_and_the_referral(core: Core, case_id: uuid.UUID) -> None:
    access.add_request(core, case_id=case_id, administration="Ville de Marseille", documents="Le CCTP")
    sent = mark_sent(core, "cada-request", case_id, date(2026, 2, 16))
    assert sent.receipt_assumed and sent.received_on == date(2026, 2, 16)
    # received Mon 16 Feb 2026 → refusal born Mon 16 Mar 2026 (R311-13) → referral by Fri 15 May 2026 (R343-1)
    assert due(sent, "cada-silence") == date(2026, 3, 16)
    assert due(sent, "cada-referral") == date(2026, 5, 15)
    request = cases.get_case(core, case_id).access_requests[0]
    assert request.sent_on == date(2026, 2, 16) and request.status == "sent"  # the draft was the one sent


def test_a_referral_sent_starts_the_opinion_the_confirmation_and_the_court(core: Core, case_id: uuid.UUID) -> None:
    access.add_request(
        core,
        case_id=case_id,
        administration="Ville de Marseille",
        documents="Le CCTP",
        sent_on=date(2026, 2, 12),
        received_on=date(2026, 2, 16),
    )
    sent = mark_sent(core, "cada-referral", case_id, date(2026, 3, 20))
    # referred Fri 20 Mar 2026 → opinion expected 20 Apr, refusal confirmed 20 May (R343-3 to R343-5), then two
    # clear months: 20 Jul + 1 = Tue 21 Jul 2026 before the court
    assert due(sent, "cada-opinion") == date(2026, 4, 20)
    assert due(sent, "cada-confirmation") == date(2026, 5, 20)
    assert due(sent, "cada-court") == date(2026, 7, 21)
    assert not [d for d in sent.deadlines if d.rule_id == "cada-referral"]  # done: it was referred


def test_a_recours_gracieux_sent_starts_the_new_time_limit(core: Core, case_id: uuid.UUID) -> None:
    sent = mark_sent(core, "recours-gracieux", case_id, date(2026, 3, 2), received_on=date(2026, 3, 4))
    # received Wed 4 Mar 2026 → rejection born Mon 4 May; two clear months: 4 Jul + 1 = Sun 5 Jul → Mon 6 Jul 2026
    assert due(sent, "recours-gracieux") == date(2026, 7, 6)
    filing = next(f for f in cases.get_case(core, case_id).filings if f.id == sent.record_id)
    assert filing.kind == "recours_gracieux" and filing.received_on == date(2026, 3, 4)


def test_a_demande_prealable_sent_starts_the_action_against_its_implicit_rejection(
    core: Core, case_id: uuid.UUID
) -> None:
    sent = mark_sent(core, "demande-prealable", case_id, date(2026, 2, 16), received_on=date(2026, 2, 18))
    # received Wed 18 Feb 2026 → implicit rejection born Sat 18 Apr (never moved) → 18 Jun + 1 = Fri 19 Jun 2026
    assert due(sent, "rep-implicit") == date(2026, 6, 19)
    assert not sent.receipt_assumed


def test_a_referral_needs_a_request_and_a_letter_is_not_received_before_it_is_sent(
    core: Core, case_id: uuid.UUID
) -> None:
    with pytest.raises(InvalidInput, match="CADA"):
        mark_sent(core, "cada-referral", case_id, date(2026, 3, 20))
    with pytest.raises(InvalidInput):
        mark_sent(core, "recours-gracieux", case_id, date(2026, 3, 20), received_on=date(2026, 3, 1))


def test_the_command_line_writes_and_marks_sent(
    core: Core, case_id: uuid.UUID, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from caseapp.cli import main

    prefix = case_id.hex[:8]
    target = tmp_path / "recours.odt"
    assert main(["letter", "recours-gracieux", prefix, "-o", str(target), "--sent", "2026-03-02"]) == 0
    out = capsys.readouterr().out
    assert "(odt)" in out and "CRPA L411-2" in out
    # received (assumed) Mon 2 Mar 2026 → rejection born Sat 2 May → 2 Jul + 1 = Fri 3 Jul 2026, printed
    assert "2026-07-03" in out and "acknowledgement of receipt" in out
    assert odt_words(target).startswith("Me Alice Martin")
    assert main(["letter", "cada-request", prefix]) == 1  # neither a file nor --sent


def test_recording_the_same_letter_sent_twice_adds_nothing(core: Core, case_id: uuid.UUID) -> None:
    """Run again after an interruption: the letter and its deadline are there once, and the person is told so."""
    from caseapp.errors import InvalidInput
    from caseapp.services import cases
    from caseapp.services.letters import mark_sent

    mark_sent(core, "recours-gracieux", case_id, date(2026, 3, 2), received_on=date(2026, 3, 4))
    before = cases.get_case(core, case_id)
    with pytest.raises(InvalidInput, match="already recorded as sent"):
        mark_sent(core, "recours-gracieux", case_id, date(2026, 3, 2), received_on=date(2026, 3, 4))
    after = cases.get_case(core, case_id)
    assert len(after.filings) == len(before.filings) and len(after.deadlines) == len(before.deadlines)
