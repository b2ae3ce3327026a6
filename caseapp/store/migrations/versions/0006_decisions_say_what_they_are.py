"""Decisions say what they are: the court level and nature of a court decision, the matter of a case, and the
facts some time limits depend on (publication, Télérecours consultation, what silence means, a CNIL progress
report, a date set by the court, an announced supplementary brief, the CE 2024 n° 488227 information); a small
table of facts about the case file (which deadline rules its deadlines were computed with).

Existing decisions get their court level from their case's court (or, failing a recognisable court, an appeal
case is before a court of appeal and a cassation case before the Conseil d'État) and their nature from their kind
(a judgment, a ruling) or, for an order, from a référé case's procedure. An order in a main action stays without
a nature: it may be a référé order filed there, and the deadline engine then shows the shortest delay, flagged.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 10:30:00
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

_ORDER_OF_PROCEDURE = {
    "refere_liberte": "refere_liberte",
    "refere_suspension": "refere_suspension",
    "refere_mesures_utiles": "refere_mesures_utiles",
}


def _level(court: str | None, procedure: str | None) -> str | None:
    spaced = "".join(c if c.isalnum() else " " for c in court or "")
    plain = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode("ascii").lower()
    words = " " + " ".join(plain.split()) + " "
    if "conseil d etat" in words or words.startswith(" ce "):
        return "ce"
    if "cour administrative d appel" in words or " caa " in words:
        return "caa"
    if "tribunal administratif" in words or " ta " in words:
        return "ta"
    return {"appel": "caa", "cassation": "ce"}.get(procedure or "")


def _nature(kind: str, level: str | None, procedure: str | None) -> str | None:
    if level == "ce":
        return "ordonnance" if kind == "ordonnance" else "decision_ce"
    if kind == "jugement":
        return "jugement" if level in ("ta", None) else None
    if kind == "arret":
        return "arret" if level in ("caa", None) else None
    return _ORDER_OF_PROCEDURE.get(procedure or "")


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "matter",
                sa.Enum(
                    "general",
                    "cada",
                    "last_resort",
                    name="matter",
                    native_enum=False,
                    create_constraint=False,
                    length=32,
                ),
                nullable=True,
            )
        )
    with op.batch_alter_table("filings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "court_level",
                sa.Enum("ta", "caa", "ce", name="courtlevel", native_enum=False, create_constraint=False, length=32),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column(
                "decision_nature",
                sa.Enum(
                    "jugement",
                    "ordonnance",
                    "refere_liberte",
                    "refere_liberte_tri",
                    "refere_suspension",
                    "refere_mesures_utiles",
                    "refere_modification",
                    "refere_tri",
                    "refere_constat",
                    "refere_instruction",
                    "refere_provision",
                    "arret",
                    "decision_ce",
                    name="decisionnature",
                    native_enum=False,
                    create_constraint=False,
                    length=32,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("published", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("made_available_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("consulted_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "silence_means",
                sa.Enum(
                    "rejection",
                    "acceptance",
                    name="silencemeaning",
                    native_enum=False,
                    create_constraint=False,
                    length=32,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("progress_reported", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("court_set_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("brief_announced", sa.Boolean(), nullable=True))
    with op.batch_alter_table("access_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("routes_informed", sa.Boolean(), nullable=True))
    op.create_table(
        "app_state",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_state")),
    )

    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT f.id, f.kind, c.court, c.procedure FROM filings f JOIN cases c ON c.id = f.case_id "
            "WHERE f.kind IN ('ordonnance', 'jugement', 'arret')"
        )
    ).all()
    update = sa.text("UPDATE filings SET court_level = :level, decision_nature = :nature WHERE id = :id")
    for filing_id, kind, court, procedure in rows:
        level = _level(court, procedure)
        nature = _nature(kind, level, procedure)
        if level or nature:
            connection.execute(update, {"level": level, "nature": nature, "id": filing_id})


def downgrade() -> None:
    op.drop_table("app_state")
    with op.batch_alter_table("access_requests", schema=None) as batch_op:
        batch_op.drop_column("routes_informed")
    with op.batch_alter_table("filings", schema=None) as batch_op:
        for name in (
            "brief_announced",
            "court_set_on",
            "progress_reported",
            "silence_means",
            "consulted_on",
            "made_available_on",
            "published",
            "decision_nature",
            "court_level",
        ):
            batch_op.drop_column(name)
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("matter")
