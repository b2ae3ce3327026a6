"""The Qt models on their own, with no widget: rows, columns, display text, sort values, lazy paging."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from caseapp.casefile.views import CaseRow, DeadlineView, NoteView
from ui.models import ID_ROLE, RECORD_ROLE, SORT_ROLE
from ui.models.case_list import CaseFilter, CaseListModel
from ui.models.notes import NotesModel
from ui.models.table import Column, RecordTableModel, SortProxyModel


def case_row(number: int, status: str = "open") -> CaseRow:
    return CaseRow(
        id=uuid.uuid4(),
        title=f"Affaire {number:05d}",
        reference=None,
        court="Tribunal administratif de Marseille",
        court_number=f"{2400000 + number}",
        procedure="refere_liberte",
        status=status,
        opened_on=date(2024, 1, 1),
        updated_at=datetime(2024, 1, 1, tzinfo=UTC),
        example=False,
    )


def deadline(title: str, due: date) -> DeadlineView:
    """A read model as a service returns it (fields this test does not care about left empty)."""
    given: dict[str, Any] = {"id": uuid.uuid4(), "title": title, "due_on": due, "status": "open", "flags": (),
                             "version": 1}  # fmt: skip
    return DeadlineView(**{f.name: given.get(f.name) for f in dataclasses.fields(DeadlineView)})


def test_record_table_model_shows_and_sorts_read_models(qtbot: object) -> None:
    columns: list[Column[DeadlineView]] = [
        Column("Due on", lambda d: d.due_on.strftime("%d/%m/%Y"), sort=lambda d: d.due_on),
        Column("What", lambda d: d.title),
    ]
    model = RecordTableModel(columns, bold_when=lambda d: d.due_on < date(2026, 1, 1))
    rows = [deadline("Mémoire", date(2026, 3, 1)), deadline("Appel", date(2025, 12, 31))]
    model.set_rows(rows)
    assert model.rowCount() == 2
    assert model.columnCount() == 2
    assert model.headerData(1, Qt.Orientation.Horizontal) == "What"
    assert model.index(0, 0).data() == "01/03/2026"
    assert model.index(1, 1).data() == "Appel"
    assert model.index(0, 0).data(SORT_ROLE) == "2026-03-01"
    assert model.index(1, 0).data(RECORD_ROLE) is rows[1]
    assert model.index(1, 0).data(ID_ROLE) == rows[1].id
    assert model.index(1, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole) is None
    assert model.row_of(rows[1].id) == 1
    proxy = SortProxyModel()
    proxy.setSourceModel(model)
    proxy.sort(0)
    assert proxy.index(0, 1).data() == "Appel"  # by date, not by the displayed text


def sync_source(rows: list[CaseRow], calls: list[tuple[int, int]]) -> Callable[..., None]:
    def source(case_filter: CaseFilter, offset: int, limit: int, deliver: Callable[[list[CaseRow]], None]) -> None:
        calls.append((offset, limit))
        matching = [r for r in rows if case_filter.text.lower() in r.title.lower()]
        deliver(matching[offset : offset + limit])

    return source


def test_case_list_model_fetches_page_by_page(qtbot: object) -> None:
    rows = [case_row(n) for n in range(450)]
    calls: list[tuple[int, int]] = []
    model = CaseListModel(sync_source(rows, calls), page_size=200)
    model.reload()
    assert model.rowCount() == 200  # never everything at once
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 400
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 450
    assert not model.canFetchMore(QModelIndex())
    assert calls == [(0, 200), (200, 200), (400, 200)]
    assert model.index(0, 0).data() == "Affaire 00000"
    assert model.index(0, 4).data() == "Urgent freedom application (L521-2)"
    assert model.index(0, 2).data() == "Open"
    assert model.row_of(rows[449].id) == 449


def test_case_list_model_filter_restarts_and_drops_late_pages(qtbot: object) -> None:
    rows = [case_row(n) for n in range(30)]
    pending: list[Callable[[], None]] = []

    def late_source(case_filter: CaseFilter, offset: int, limit: int, deliver: Callable[[list[CaseRow]], None]) -> None:
        matching = [r for r in rows if case_filter.text in r.title]
        pending.append(lambda: deliver(matching[offset : offset + limit]))

    model = CaseListModel(late_source, page_size=10)
    model.reload()
    assert model.rowCount() == 0 and model.loading
    model.set_filter(CaseFilter(text="Affaire 0002"))  # typed before the first page came back
    pending[0]()  # the stale page arrives: dropped
    assert model.rowCount() == 0
    pending[1]()
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Affaire 00020", "Affaire 00021",
                                                                          "Affaire 00022", "Affaire 00023",
                                                                          "Affaire 00024", "Affaire 00025",
                                                                          "Affaire 00026", "Affaire 00027",
                                                                          "Affaire 00028", "Affaire 00029"]  # fmt: skip


def test_case_list_model_reads_real_cases_through_services(qtbot: object, core: object) -> None:
    from caseapp.services import cases

    for number in range(5):
        cases.create_case(core, title=f"Recours {number}", court="Conseil d'État", court_number=f"45{number}")

    def source(case_filter: CaseFilter, offset: int, limit: int, deliver: Callable[[list[CaseRow]], None]) -> None:
        deliver(cases.list_cases(core, text=case_filter.text or None, limit=limit, offset=offset))

    model = CaseListModel(source, page_size=2)
    model.reload()
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 5
    model.set_filter(CaseFilter(text="recours 3"))
    assert model.rowCount() == 1
    assert model.index(0, 1).data() == "453"


def test_notes_model_lists_notes_in_time_order(qtbot: object) -> None:
    hearing = uuid.uuid4()
    late = NoteView(uuid.uuid4(), hearing, datetime(2026, 3, 3, 13, 40, tzinfo=UTC), "Me", "Le rapporteur conclut", 1)
    early = NoteView(uuid.uuid4(), hearing, datetime(2026, 3, 3, 13, 5, tzinfo=UTC), "Me", "Ouverture", 1)
    model = NotesModel()
    model.set_notes([late, early])
    assert model.rowCount() == 2
    assert model.index(0).data() == "14:05 — Ouverture"  # Paris time
    model.append(late)  # already there: not twice
    assert model.rowCount() == 2
    model.remove(early.id)
    assert model.index(0).data(RECORD_ROLE) is late


def test_a_painted_cell_gets_from_multi_data_what_data_gives_role_by_role(qtbot: object) -> None:
    """Views ask for all the roles of a cell at once (multiData), through the sorting proxy too: the answers
    are the same as one role at a time — text, icon, bold for attention, right alignment, nothing else."""
    from PySide6.QtCore import QModelRoleData

    from ui.icons import icon

    columns: list[Column[DeadlineView]] = [
        Column("What", lambda d: d.title, icon=lambda d: icon("deadline")),
        Column("Days", lambda d: str((d.due_on - date(2026, 1, 1)).days), align_right=True),
    ]
    model = RecordTableModel(columns, bold_when=lambda d: d.due_on < date(2026, 1, 1))
    model.set_rows([deadline("Mémoire", date(2026, 3, 1)), deadline("Appel", date(2025, 12, 31))])
    proxy = SortProxyModel()
    proxy.setSourceModel(model)
    roles = [
        Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.CheckStateRole,
    ]  # fmt: skip
    for source in (model, proxy):
        for row in range(2):
            for column in range(2):
                index = source.index(row, column)
                for role in roles:
                    answer = QModelRoleData(int(role))
                    source.multiData(index, answer)
                    expected = index.data(role)
                    got = answer.data()
                    if role == Qt.ItemDataRole.FontRole:
                        assert (got.bold() if got is not None else None) == (
                            expected.bold() if expected is not None else None
                        )
                    elif role == Qt.ItemDataRole.DecorationRole:
                        assert (got is None) == (expected is None)
                    else:
                        assert got == expected, (source, row, column, role)
    assert proxy.index(1, 0).data() == "Appel"
