"""Cases through the services: what a lawyer does, what they see, and what bad input gets."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from caseapp.casefile.core import Core
from caseapp.errors import Conflict, InvalidInput, NotFound
from caseapp.services import cases, history
from caseapp.store import models as m


def snapshot(core: Core) -> dict[str, int]:
    """Row counts of every table: to show that a refused action left the database exactly as it was."""
    with core.db.reader() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in m.Base.metadata.sorted_tables
        }


def test_create_case_and_read_it_back(core: Core) -> None:
    created = cases.create_case(
        core,
        title="Reconnaissance faciale",
        court="TA de Marseille",
        court_number="1901249",
        procedure="Recours pour excès de pouvoir",
        opened_on="2019-02-14",
        tags=["RGPD", "lycées", "rgpd"],
    )
    detail = cases.get_case(core, created.id)
    assert detail.title == "Reconnaissance faciale"
    assert detail.procedure == "exces_de_pouvoir"
    assert detail.status == "open"
    assert detail.opened_on == date(2019, 2, 14)
    assert detail.tags == ("RGPD", "lycées")  # the duplicate tag, differing only in case, is dropped
    assert detail.version == 1
    events = history.case_history(core, created.id)
    assert [e.action for e in events] == ["create"]
    assert events[0].author == "Tester"
    assert events[0].changes["court_number"] == "1901249"


def test_update_records_what_changed_and_bumps_the_version(core: Core) -> None:
    case = cases.create_case(core, title="Vidéosurveillance", court="TA de Marseille")
    updated = cases.update_case(core, case.id, expected_version=1, status="decided", court="TA de Marseille")
    assert updated.status == "decided"
    assert updated.version == 2
    latest = history.case_history(core, case.id)[0]
    assert latest.action == "update"
    assert latest.changes == {"status": ["open", "decided"]}


def test_saving_over_someone_elses_change_is_a_conflict(core: Core) -> None:
    from caseapp.casefile.core import open_core

    colleague = open_core(data_dir=core.data_dir, author="Me Dupont")  # a second editor on the same database
    case = cases.create_case(core, title="Affaire")
    cases.update_case(colleague, case.id, expected_version=1, summary="Colleague's summary")
    before = snapshot(core)
    with pytest.raises(Conflict, match="changed by Me Dupont") as caught:
        cases.update_case(core, case.id, expected_version=1, summary="My summary")
    assert cases.get_case(core, case.id).summary == "Colleague's summary"
    assert snapshot(core) == before
    # Knowingly keeping one's own version: save again against the version the conflict reported.
    assert caught.value.current_version == 2
    kept = cases.update_case(core, case.id, expected_version=caught.value.current_version, summary="My summary")
    assert kept.summary == "My summary" and kept.version == 3
    with pytest.raises(Conflict):
        cases.delete_case(colleague, case.id, expected_version=2)  # deleting a record changed since is refused too
    colleague.close()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"title": "   "}, "title", "title cannot be empty"),
        ({"title": "x" * 301}, "title", "too long"),
        ({"title": "Ok", "status": "finished"}, "status", "not a valid status"),
        ({"title": "Ok", "procedure": "référé-magique"}, "procedure", "not a valid procedure"),
        ({"title": "Ok", "opened_on": "the day after never"}, "opened_on", "date"),
        ({"title": "Ok", "parent_id": str(uuid.uuid4())}, "parent_id", "parent case does not exist"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_nothing_is_written(
    core: Core, values: dict[str, str], field: str, message: str
) -> None:
    before = snapshot(core)
    with pytest.raises(InvalidInput, match=message) as caught:
        cases.create_case(core, **values)
    assert caught.value.field == field
    assert snapshot(core) == before


def test_unknown_field_is_refused(core: Core) -> None:
    with pytest.raises(InvalidInput, match="Unknown field"):
        cases.create_case(core, title="Ok", colour="blue")


def test_unknown_case_is_not_found(core: Core) -> None:
    with pytest.raises(NotFound):
        cases.get_case(core, uuid.uuid4())
    with pytest.raises(NotFound):
        cases.update_case(core, uuid.uuid4(), title="x")


def test_appeal_chain_and_no_cycles(core: Core) -> None:
    first = cases.create_case(core, title="Première instance", court_number="2009485")
    appeal = cases.create_case(
        core, title="Appel", court_number="23MA02036", parent_id=first.id, parent_relation="appeal_of"
    )
    detail = cases.get_case(core, first.id)
    assert [c.title for c in detail.children] == ["Appel"]
    assert cases.get_case(core, appeal.id).parent_title == "Première instance"
    with pytest.raises(InvalidInput, match="own parent"):
        cases.update_case(core, first.id, parent_id=appeal.id)


def test_list_filters_by_status_text_and_tag(core: Core) -> None:
    cases.create_case(core, title="Lycées", court_number="1901249", tags=["RGPD"])
    cases.create_case(core, title="VSA Marseille", status="closed")
    assert [r.title for r in cases.list_cases(core, status="closed")] == ["VSA Marseille"]
    assert [r.title for r in cases.list_cases(core, text="1901")] == ["Lycées"]
    assert [r.title for r in cases.list_cases(core, tag="rgpd")] == ["Lycées"]
    assert len(cases.list_cases(core, limit=1)) == 1
    with pytest.raises(InvalidInput):
        cases.list_cases(core, status="nope")


def test_resolve_case_by_id_prefix_and_court_number(core: Core) -> None:
    case = cases.create_case(core, title="Lycées", court_number="1901249")
    assert cases.resolve_case(core, str(case.id)) == case.id
    assert cases.resolve_case(core, str(case.id)[:8]) == case.id
    assert cases.resolve_case(core, "1901249") == case.id
    with pytest.raises(NotFound):
        cases.resolve_case(core, "zzzzzz")
    with pytest.raises(InvalidInput):
        cases.resolve_case(core, " ")


def test_ambiguous_court_number_asks_for_more(core: Core) -> None:
    cases.create_case(core, title="A", court_number="123")
    cases.create_case(core, title="B", court_number="123")
    with pytest.raises(InvalidInput, match="several cases"):
        cases.resolve_case(core, "123")


def test_delete_case_removes_what_belongs_to_it_and_keeps_history(core: Core) -> None:
    parent = cases.create_case(core, title="Parent")
    child = cases.create_case(core, title="Enfant", parent_id=parent.id, parent_relation="appeal_of")
    cases.delete_case(core, parent.id)
    with pytest.raises(NotFound):
        cases.get_case(core, parent.id)
    assert cases.get_case(core, child.id).parent_id is None
    assert history.case_history(core, parent.id)[0].action == "delete"
