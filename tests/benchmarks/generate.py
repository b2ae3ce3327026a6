"""Build the benchmark database through the services, and keep it in a cache folder.

Every record is created by the service a person's action would call (create_case, add_party, add_filing,
add_hearing, add_note, add_evidence / add_evidence_file, add_deadline, add_opinion + link_opinion, add_request),
each in its own committed transaction with its audit event and search entry — so the database has the shape,
the indexes and the history the application really produces. Nothing is written with raw SQL.

The spread is planned up front from a seed (same size and seed, same database): N cases grouped in families
(a main action, its référé, its appeal and cassation), 2–6 parties per case drawn from a shared pool where a few
parties appear in many cases, 2–8 filings, 0–4 hearings, 10 hearing notes per case on average (100,000 for
10,000 cases) spread unevenly over the hearings, 5 exhibits per case on average (50,000), 0–4 deadlines,
one opinion per 30 cases linked to 1–5 cases, one access request per 20 cases. Case 0 is the large case
(up to 1,000 exhibits, 500 notes) that "open a case", PDF and bundle benchmarks use; ``files_bytes`` of evidence
files go into it.

Generating 10,000 cases is about 290,000 committed service calls (about 40 minutes here). One worker process
by default: two were slower, because SQLite serialises writers, the write lock is held during the ORM work, and
a waiting writer sleeps in SQLite's busy handler (``--workers`` is there to try again if that changes). The
finished database is checkpointed and kept under ``~/.cache/caseapp-bench/<size>-<schema>-g<generator>``;
when a migration lands, an older cached database is upgraded by the app's own migrations instead of being
generated again. Measurements run on a copy, so the cache stays clean.

Above 2,000 cases, ``cached_database`` builds the database from the 1,000-case one instead, copying its
families in bulk (``replicate.py``: 10,000 cases in about ten minutes, 50,000 in about half an hour, instead of
hours); ``--through-services`` generates every case through the services.

    uv run python -m tests.benchmarks.generate --size 500
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing as mp
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from tests.benchmarks import corpus

GENERATOR_VERSION = 1
DEFAULT_SIZE = 10_000
QUICK_SIZE = 200
DEFAULT_SEED = 20200227  # the day the Marseille court annulled the high-school facial recognition experiment
NOTES_PER_CASE = 10
EVIDENCE_PER_CASE = 5
AUTHOR = "Me Hélène Mercier (benchmark)"
PARIS = ZoneInfo("Europe/Paris")
DB_FILE = "caseapp.sqlite3"
SKIPPED = frozenset({"backups", "run"})  # not copied: the app's backups, and its open-process markers
APPENDED = frozenset({".jsonl", ".log", ".ini", ".json", ".txt"})  # data-folder files the app writes to in place
TAGS = ("vidéosurveillance", "biométrie", "CADA", "urgent", "RGPD", "police municipale", "référé", "lycées")


def load_services() -> None:
    """Import every caseapp module the generator calls, at once, at the start of a process.

    Others change caseapp/ while a long generation runs; importing a service module an hour after the rest
    would mix two versions of the code in one process (and it did: a new unit of work met old models).
    """
    import importlib

    for name in ("access", "cases", "core", "deadlines", "evidence", "filings", "hearings", "opinions", "parties"):
        importlib.import_module(f"caseapp.services.{name}")
    importlib.import_module("caseapp.store.migrate")


def log(message: str) -> None:
    print(f"[generate {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class CasePlan:
    index: int
    parent: int | None  # the case this one appeals or is the référé of
    relation: str | None  # ParentRelation value
    depth: int  # 0 main action, 1 référé or appeal, 2 cassation
    parties: int
    filings: int
    notes: tuple[int, ...]  # notes per hearing; its length is the number of hearings
    evidence: int
    deadlines: int


@dataclass(frozen=True)
class Plan:
    size: int
    seed: int
    files_bytes: int
    today: date
    cases: tuple[CasePlan, ...]
    families: tuple[tuple[int, ...], ...]
    party_pool: int
    opinions: int
    requests: int

    @property
    def large_case(self) -> int:
        return 0

    def case_id(self, index: int) -> uuid.UUID:
        return record_uuid(self.seed, "case", index)


def record_uuid(seed: int, kind: str, index: int) -> uuid.UUID:
    """A fixed identifier per generated record, so two generations of one size name the same records."""
    return uuid.UUID(int=random.Random(f"{seed}-{kind}-{index}").getrandbits(128), version=4)


def _spread(rng: random.Random, total: int, slots: int) -> list[int]:
    """Share ``total`` items unevenly (log-normal weights) over ``slots`` slots."""
    if slots == 0:
        return []
    weights = [rng.lognormvariate(0.0, 0.9) for _ in range(slots)]
    counts = Counter(rng.choices(range(slots), weights=weights, k=total))
    return [counts.get(i, 0) for i in range(slots)]


def make_plan(size: int, *, seed: int = DEFAULT_SEED, files_bytes: int = 0, today: date | None = None) -> Plan:
    rng = random.Random(seed)
    today = today or date.today()
    families: list[tuple[int, ...]] = []
    shape: list[tuple[int | None, str | None, int]] = []
    index = 0
    while index < size:
        # The large case (index 0) stands alone; other families are a main action with its référé or appeals.
        members = 1 if index == 0 else min(size - index, rng.choices((1, 2, 3), weights=(70, 20, 10))[0])
        family = tuple(range(index, index + members))
        families.append(family)
        for position in range(members):
            if position == 0:
                shape.append((None, None, 0))
            elif position == 1:
                shape.append((family[0], rng.choice(("refere_of", "appeal_of")), 1))
            else:
                shape.append((family[1], "cassation_of", 2))
        index += members

    hearings = [rng.choices((0, 1, 2, 3, 4), weights=(15, 30, 25, 18, 12))[0] for _ in range(size)]
    large_notes = max(40, min(500, size * NOTES_PER_CASE // 200))
    large_evidence = max(50, min(1000, size * EVIDENCE_PER_CASE // 50))
    hearings[0] = 4
    other_slots = [(case, h) for case in range(1, size) for h in range(hearings[case])]
    note_counts = _spread(rng, max(0, size * NOTES_PER_CASE - large_notes), len(other_slots))
    notes: dict[int, list[int]] = {case: [0] * hearings[case] for case in range(size)}
    for (case, h), count in zip(other_slots, note_counts, strict=True):
        notes[case][h] = count
    notes[0] = [large_notes // 4 + (1 if h < large_notes % 4 else 0) for h in range(4)]
    evidence = [0, *_spread(rng, max(0, size * EVIDENCE_PER_CASE - large_evidence), size - 1)]
    evidence[0] = large_evidence

    cases = tuple(
        CasePlan(
            index=i,
            parent=shape[i][0],
            relation=shape[i][1],
            depth=shape[i][2],
            parties=6 if i == 0 else rng.randint(2, 6),
            filings=8 if i == 0 else rng.randint(2, 8),
            notes=tuple(notes[i]),
            evidence=evidence[i],
            deadlines=rng.choices((0, 1, 2, 3, 4), weights=(20, 30, 25, 15, 10))[0],
        )
        for i in range(size)
    )
    return Plan(
        size=size,
        seed=seed,
        files_bytes=files_bytes,
        today=today,
        cases=cases,
        families=tuple(families),
        party_pool=max(40, size * 3 // 10),
        opinions=max(5, size // 30),
        requests=max(3, size // 20),
    )


# ----------------------------------------------------------------------------------------- building records


def _paris(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def _pick_parties(rng: random.Random, pool: int, count: int) -> list[int]:
    """Distinct party indexes; low indexes (the associations, the big cities) come up far more often."""
    chosen: list[int] = []
    while len(chosen) < count:
        candidate = int(pool * rng.random() ** 3)
        if candidate not in chosen:
            chosen.append(candidate)
    return chosen


def _opened_on(plan: Plan, index: int) -> date:
    """When a case was opened: within the last seven years; a référé or an appeal after the case it follows."""
    rng = random.Random(f"{plan.seed}-opened-{index}")
    parent = plan.cases[index].parent
    if parent is None:
        return plan.today - timedelta(days=rng.randint(0, 7 * 365))
    return min(plan.today, _opened_on(plan, parent) + timedelta(days=rng.randint(20, 400)))


def _court(rng: random.Random, depth: int, relation: str | None, city_court: str) -> tuple[str, str]:
    if depth == 0 or relation == "refere_of":
        return city_court, "{yy}{n:05d}"
    if depth == 1:
        return rng.choice(corpus.APPEAL_COURTS), "{yy}MA{n:05d}"
    return corpus.CONSEIL_ETAT, "4{n:05d}"


class Timed:
    """Calls a module's service functions and adds up how long each kind took (for the generation report)."""

    totals: ClassVar[dict[str, list[float]]] = {}

    def __init__(self, module: Any) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Callable[..., Any]:
        function = getattr(self._module, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                entry = Timed.totals.setdefault(name, [0, 0.0])
                entry[0] += 1
                entry[1] += time.perf_counter() - started

        return call


def build_case(core: Any, plan: Plan, case: CasePlan, staging: Path | None = None) -> int:
    """Create one case and everything in it through the services; returns how many service calls it took."""
    from caseapp.services import cases as cases_module
    from caseapp.services import deadlines as deadlines_module
    from caseapp.services import evidence as evidence_module
    from caseapp.services import filings as filings_module
    from caseapp.services import hearings as hearings_module
    from caseapp.services import parties as parties_module

    cases, deadlines, evidence = Timed(cases_module), Timed(deadlines_module), Timed(evidence_module)
    filings, hearings, parties = Timed(filings_module), Timed(hearings_module), Timed(parties_module)

    rng = random.Random(f"{plan.seed}-case-content-{case.index}")
    today = plan.today
    calls = 0
    city = rng.choice(corpus.CITIES)
    city_court = (
        f"Tribunal administratif de {city}" if city in corpus.CITIES[:14] else rng.choice(corpus.FIRST_INSTANCE)
    )
    court, number_pattern = _court(rng, case.depth, case.relation, city_court)
    if case.relation == "refere_of":
        procedure = rng.choice(("refere_suspension", "refere_liberte", "refere_mesures_utiles"))
    elif case.relation == "appeal_of":
        procedure = "appel"
    elif case.relation == "cassation_of":
        procedure = "cassation"
    else:
        procedure = rng.choices(
            ("exces_de_pouvoir", "refere_liberte", "refere_suspension", "plein_contentieux", "other"),
            weights=(60, 12, 12, 12, 4),
        )[0]
    refere = procedure.startswith("refere")
    status = rng.choices(("open", "pending_decision", "decided", "appealed", "closed"), weights=(35, 15, 20, 10, 20))[0]
    opened_on = _opened_on(plan, case.index)
    year = opened_on.year
    closed_on = min(today, opened_on + timedelta(days=rng.randint(30, 700))) if status == "closed" else None
    court_number = number_pattern.format(yy=year % 100, n=rng.randint(0, 99_999))
    title = corpus.case_title(rng, city)
    if case.relation == "refere_of":
        title = f"Référé — {title}"
    elif case.relation == "appeal_of":
        title = f"Appel — {title}"
    elif case.relation == "cassation_of":
        title = f"Cassation — {title}"
    if case.index == plan.large_case:
        title = f"Dossier volumineux — {title}"
    case_id = plan.case_id(case.index)
    cases.create_case(
        core,
        record_id=case_id,
        title=title,
        reference=f"BENCH-{year}-{case.index:05d}",
        court=court,
        court_number=court_number,
        procedure=procedure,
        status=status,
        subject=corpus.case_subject(rng, city),
        summary=corpus.filing_summary(rng) if rng.random() < 0.5 else None,
        opened_on=opened_on,
        closed_on=closed_on,
        parent_id=plan.case_id(case.parent) if case.parent is not None else None,
        parent_relation=case.relation,
        tags=rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2))),
    )
    calls += 1

    applicants: list[uuid.UUID] = []
    respondents: list[uuid.UUID] = []
    for position, pool_index in enumerate(_pick_parties(rng, plan.party_pool, case.parties)):
        name, kind = corpus.party_name(random.Random(f"{plan.seed}-party-{pool_index}"), pool_index)
        role = (
            "applicant"
            if position == 0
            else "respondent"
            if position == 1
            else rng.choice(("applicant", "intervener", "other", "respondent"))
        )
        view = parties.add_party(
            core,
            case_id,
            role=role,
            name=name,
            kind=kind,
            counsel=rng.choice(corpus.LAWYERS) if rng.random() < 0.6 else None,
        )
        calls += 1
        (applicants if role == "applicant" else respondents).append(view.party_id)

    first_filing: uuid.UUID | None = None
    filed_on = opened_on
    decided = status in ("decided", "appealed", "closed")
    for position in range(case.filings):
        filed_on = min(today, filed_on + timedelta(days=rng.randint(3, 60)))
        last = position == case.filings - 1
        values: dict[str, Any] = {"filed_on": filed_on, "summary": corpus.filing_summary(rng)}
        if position == 0:
            values |= {"kind": "requete", "title": "Requête introductive", "party_id": rng.choice(applicants)}
        elif last and decided and case.filings >= 3:
            kind = {0: "ordonnance" if refere else "jugement", 1: "arret", 2: "decision"}[case.depth]
            values |= {
                "kind": kind,
                "title": kind.capitalize(),
                "outcome": rng.choice(("granted", "partly_granted", "rejected", "rejected", "dismissed")),
                "notified_on": min(today, filed_on + timedelta(days=rng.randint(1, 15))),
                "appeal_routes_stated": rng.random() < 0.9,
            }
        else:
            kind = rng.choice(("memoire", "memoire_en_defense", "replique", "memoire", "note_en_delibere"))
            by = respondents if kind == "memoire_en_defense" and respondents else applicants
            values |= {"kind": kind, "title": f"{kind.replace('_', ' ').capitalize()} n° {position}"}
            values["party_id"] = rng.choice(by) if by else None
        values["reference"] = f"TR-{filed_on.year}-{rng.randint(1, 999_999):06d}"
        view = filings.add_filing(core, case_id, **values)
        calls += 1
        if position == 0:
            first_filing = view.id

    for hearing_notes in case.notes:
        day = opened_on + timedelta(days=rng.randint(15, max(16, (today - opened_on).days + 120)))
        starts_at = _paris(day, rng.randint(9, 16), rng.choice((0, 15, 30, 45)))
        future = day >= today
        if future:
            hearing_status = rng.choices(("scheduled", "postponed"), weights=(9, 1))[0]
        else:
            hearing_status = rng.choices(
                ("held", "under_advisement", "postponed", "cancelled"), weights=(70, 15, 10, 5)
            )[0]
        hearing = hearings.add_hearing(
            core,
            case_id,
            starts_at=starts_at,
            court=court,
            room=rng.choice(("Salle 1", "Salle 2", "Salle des référés", "2e chambre", "5e chambre", None)),
            kind="urgent" if refere else "appeal" if case.depth else "merits",
            status=hearing_status,
            urgent=refere,
        )
        calls += 1
        # Notes of a past hearing are taken during it; notes of a coming one are the lawyer's preparation.
        first = starts_at if not future else datetime.now(UTC) - timedelta(days=rng.randint(1, 20))
        for position in range(hearing_notes):
            at = first + timedelta(minutes=2 * position, seconds=rng.randint(0, 119))
            hearings.add_note(core, hearing.id, corpus.hearing_note(rng), at=at)
            calls += 1

    files_left = plan.files_bytes if case.index == plan.large_case and staging is not None else 0
    for position in range(case.evidence):
        title, description, source = corpus.exhibit(rng)
        values = {
            "title": title,
            "description": description,
            "source": source or None,
            "document_date": opened_on - timedelta(days=rng.randint(0, 400)),
        }
        if first_filing is not None and rng.random() < 0.3:
            values["filing_id"] = first_filing
        if files_left > 0 and staging is not None:
            size = min(files_left, rng.randint(200_000, 8_000_000))
            path = _write_file(staging, f"piece-{position + 1:04d}.pdf", size)
            evidence.add_evidence_file(core, case_id, path, **values)
            path.unlink()
            files_left -= size
        else:
            evidence.add_evidence(core, case_id, **values)
        calls += 1

    active = status in ("open", "pending_decision", "appealed")
    for _ in range(case.deadlines):
        title, basis = rng.choice(corpus.DEADLINE_TITLES)
        if active and rng.random() < 0.6:
            deadline_status, due_on = "open", today + timedelta(days=rng.randint(-20, 120))
        else:
            deadline_status = rng.choices(("done", "missed", "cancelled"), weights=(85, 5, 10))[0]
            due_on = opened_on + timedelta(days=rng.randint(10, 300))
        deadlines.add_deadline(
            core, case_id, title=title, due_on=due_on, legal_basis=basis or None, status=deadline_status
        )
        calls += 1
    return calls


def _write_file(folder: Path, name: str, size: int) -> Path:
    path = folder / name
    with path.open("wb") as handle:
        left = size
        while left:
            chunk = min(left, 1 << 20)
            handle.write(os.urandom(chunk))
            left -= chunk
    return path


def build_shared(core: Any, plan: Plan) -> int:
    """Opinions linked to cases, and access requests: once all cases exist."""
    from caseapp.services import access as access_module
    from caseapp.services import opinions as opinions_module

    access, opinions = Timed(access_module), Timed(opinions_module)
    rng = random.Random(f"{plan.seed}-shared")
    calls = 0
    for index in range(plan.opinions):
        values = corpus.opinion(rng, index)
        view = opinions.add_opinion(
            core,
            record_id=record_uuid(plan.seed, "opinion", index),
            issued_on=plan.today - timedelta(days=rng.randint(0, 8 * 365)),
            **values,
        )
        calls += 1
        linked = {0} if index < 3 else set()  # the large case bears on a few opinions
        while len(linked) < rng.randint(1, 5):
            linked.add(rng.randrange(plan.size))
        for case_index in sorted(linked):
            opinions.link_opinion(core, view.id, plan.case_id(case_index))
            calls += 1
    for index in range(plan.requests):
        sent_on = plan.today - timedelta(days=rng.randint(0, 3 * 365))
        access.add_request(
            core,
            record_id=record_uuid(plan.seed, "access", index),
            administration=corpus.fill(rng.choice(corpus.ADMINISTRATIONS), rng),
            documents="Communication des "
            + rng.choice(corpus.EXHIBIT_TITLES).split(" du ")[0].lower()
            + f" relatifs à {rng.choice(corpus.SUBJECTS)}",
            sent_on=sent_on,
            case_id=plan.case_id(rng.randrange(plan.size)) if rng.random() < 0.7 else None,
            notes=rng.choice(corpus.REMARKS),
        )
        calls += 1
    return calls


# ----------------------------------------------------------------------------------------- worker processes


def _worker(
    data_dir: str,
    plan_args: dict[str, Any],
    worker: int,
    workers: int,
    done_cases: Any,
    done_calls: Any,
) -> None:
    try:
        load_services()
        from caseapp.casefile.core import open_core

        plan = make_plan(**plan_args)
        core = open_core(data_dir=Path(data_dir), author=AUTHOR)
        staging = Path(data_dir).parent / f"staging-{worker}"
        staging.mkdir(exist_ok=True)
        try:
            for family in plan.families[worker::workers]:
                for index in family:
                    calls = build_case(core, plan, plan.cases[index], staging)
                    with done_cases.get_lock():
                        done_cases.value += 1
                    with done_calls.get_lock():
                        done_calls.value += calls
        finally:
            core.close()
            shutil.rmtree(staging, ignore_errors=True)
        (Path(data_dir).parent / f"timings-{worker}.json").write_text(json.dumps(Timed.totals))
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)


def _table_counts(db_path: Path) -> dict[str, int]:
    tables = (
        "cases",
        "parties",
        "case_parties",
        "filings",
        "hearings",
        "hearing_notes",
        "evidence",
        "stored_files",
        "deadlines",
        "opinions",
        "opinion_cases",
        "access_requests",
        "search_entries",
        "audit_events",
    )
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables}


def _pick_ids(db_path: Path, plan: Plan) -> dict[str, str]:
    """Records the measurements use: the large case, a hearing of it (for notes), an ordinary open case."""
    large = plan.case_id(plan.large_case)
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        hearing = conn.execute(
            "SELECT id FROM hearings WHERE case_id = ? ORDER BY starts_at DESC LIMIT 1", (large.hex,)
        ).fetchone()[0]
        ordinary = conn.execute(
            "SELECT c.id FROM cases c JOIN evidence e ON e.case_id = c.id WHERE c.status = 'open' AND c.id != ? "
            "GROUP BY c.id HAVING count(*) BETWEEN 4 AND 8 ORDER BY c.id LIMIT 1",
            (large.hex,),
        ).fetchone()
    return {
        "large_case_id": str(large),
        "note_hearing_id": str(uuid.UUID(hearing)),
        "ordinary_case_id": str(uuid.UUID(ordinary[0])) if ordinary else str(large),
    }


def git_commit() -> str | None:
    """The commit the code was at, with "+changes" when caseapp/ has uncommitted changes."""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "caseapp"], capture_output=True, text=True, timeout=5
        )
        commit = head.stdout.strip()
        return f"{commit}+changes" if commit and dirty.stdout.strip() else commit or None
    return None


def generate(
    folder: Path, size: int, *, files_bytes: int = 0, seed: int = DEFAULT_SEED, workers: int | None = None
) -> dict[str, Any]:
    """Build a database of ``size`` cases in ``folder``/data; returns the manifest (also written as JSON)."""
    load_services()
    from caseapp.casefile.core import open_core

    commit = git_commit()  # the code the services ran, imported now
    workers = workers or 1
    plan_args = {"size": size, "seed": seed, "files_bytes": files_bytes, "today": date.today()}
    plan = make_plan(**plan_args)
    data_dir = folder / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    core = open_core(data_dir=data_dir, author=AUTHOR)  # creates and migrates the database once
    core.close()
    log(
        f"{size} cases in {len(plan.families)} families, {sum(sum(c.notes) for c in plan.cases)} notes, "
        f"{sum(c.evidence for c in plan.cases)} exhibits, {files_bytes} bytes of files; {workers} worker(s)"
    )
    context = mp.get_context("spawn")
    done_cases = context.Value("i", 0)
    done_calls = context.Value("q", 0)
    processes = [
        context.Process(
            target=_worker,
            args=(str(data_dir), plan_args, worker, workers, done_cases, done_calls),
            name=f"bench-generate-{worker}",
        )
        for worker in range(workers)
    ]
    for process in processes:
        process.start()
    try:
        last_report = time.perf_counter()
        while any(p.is_alive() for p in processes):
            time.sleep(0.5)
            if any(p.exitcode not in (None, 0) for p in processes):
                raise RuntimeError("a generator worker failed (its traceback is above)")
            if time.perf_counter() - last_report >= 15:
                last_report = time.perf_counter()
                elapsed = last_report - started
                done = done_cases.value
                rate = done_calls.value / elapsed
                eta = elapsed / done * (size - done) if done else float("nan")
                log(f"{done}/{size} cases, {done_calls.value} service calls ({rate:.0f}/s), ~{eta:.0f} s left")
        for process in processes:
            process.join()
            if process.exitcode != 0:
                raise RuntimeError(f"generator worker {process.name} exited with {process.exitcode}")
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
                process.join()
    cases_seconds = time.perf_counter() - started
    core = open_core(data_dir=data_dir, author=AUTHOR)
    try:
        shared_calls = build_shared(core, plan)
    finally:
        core.close()
    timings: dict[str, list[float]] = {}
    for part in [*folder.glob("timings-*.json"), None]:
        totals = json.loads(part.read_text()) if part is not None else Timed.totals
        if part is not None:
            part.unlink()
        for name, (count, seconds) in totals.items():
            entry = timings.setdefault(name, [0, 0.0])
            entry[0] += count
            entry[1] += seconds
    db_path = data_dir / DB_FILE
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    seconds = time.perf_counter() - started
    manifest: dict[str, Any] = {
        "size": size,
        "seed": seed,
        "files_bytes": files_bytes,
        "generator_version": GENERATOR_VERSION,
        "schema_revision": database_revision(db_path),
        "caseapp_commit": commit,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "generated_for_day": plan.today.isoformat(),
        "generation_seconds": round(seconds, 1),
        "cases_phase_seconds": round(cases_seconds, 1),
        "workers": workers,
        "service_calls": done_calls.value + shared_calls,
        "service_ms_per_call": {
            name: {"calls": count, "ms": round(seconds / count * 1000, 2)} for name, (count, seconds) in timings.items()
        },
        "database_bytes": db_path.stat().st_size,
        "counts": _table_counts(db_path),
        "plan": {
            "families": len(plan.families),
            "party_pool": plan.party_pool,
            "opinions": plan.opinions,
            "requests": plan.requests,
            "large_case": asdict(plan.cases[plan.large_case]) | {"notes": sum(plan.cases[plan.large_case].notes)},
        },
        **_pick_ids(db_path, plan),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    log(f"done in {seconds:.0f} s ({manifest['service_calls']} service calls): {manifest['counts']}")
    return manifest


# ---------------------------------------------------------------------------------------------------- cache


def cache_root() -> Path:
    override = os.environ.get("CASEAPP_BENCH_CACHE")
    return Path(override).expanduser() if override else Path.home() / ".cache" / "caseapp-bench"


def database_revision(db_path: Path) -> str | None:
    """The schema revision a database file is at (read from the file, not from a manifest)."""
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def replicated(size: int, files_bytes: int, through_services: bool) -> bool:
    """Whether a database of this size is made by copying the base's families (``replicate.py``)."""
    from tests.benchmarks.replicate import REPLICATE_ABOVE

    return size > REPLICATE_ABOVE and not files_bytes and not through_services


def cache_key(size: int, files_bytes: int, revision: str, *, copied_from: int | None = None) -> str:
    key = f"{size}-{revision}-g{GENERATOR_VERSION}"
    if copied_from:
        key += f"-x{copied_from}"
    return f"{key}-files{files_bytes}" if files_bytes else key


def _copy_data(source: Path, destination: Path) -> None:
    """Copy a data folder: the database and the files the app appends to copied, evidence files hard-linked (they
    are never written)."""
    destination.mkdir(parents=True, exist_ok=True)
    for item in source.rglob("*"):
        relative = item.relative_to(source)
        if relative.parts[0] in SKIPPED:
            continue
        target = destination / relative
        if item.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Only evidence files are never written: anything else the app appends to (the history's anchors,
            # its logs) is copied, or the working copy's writes would land in the cache through the link.
            if item.name.startswith(DB_FILE) or item.suffix in APPENDED:
                shutil.copyfile(item, target)
            else:
                try:
                    os.link(item, target)
                except OSError:
                    shutil.copyfile(item, target)


UPGRADE = (
    "import sys; from pathlib import Path; from caseapp.casefile.core import open_core; "
    "open_core(data_dir=Path(sys.argv[1]), author=sys.argv[2]).close()"
)


def _upgrade(folder: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Bring a database to the current schema the way a user's is: open_core() runs the app's migrations.

    It runs in a fresh process, so the migrations and the code that checks them are today's, whatever this
    process imported earlier.
    """
    data_dir = folder / "data"
    db_path = data_dir / DB_FILE
    before = database_revision(db_path)
    log(f"upgrading the database from schema {before} with the app's migrations")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", UPGRADE, str(data_dir), AUTHOR], check=True)
    seconds = time.perf_counter() - started
    shutil.rmtree(data_dir / "backups", ignore_errors=True)  # the app's pre-migration backup: not needed here
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    after = database_revision(db_path)
    manifest["upgrades"] = [*manifest.get("upgrades", []), {"from": before, "to": after, "seconds": round(seconds, 1)}]
    manifest["schema_revision"] = after
    manifest["counts"] = _table_counts(db_path)
    manifest["database_bytes"] = db_path.stat().st_size
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    log(f"upgraded to {after} in {seconds:.0f} s")
    return manifest


def _older_cache(root: Path, size: int, files_bytes: int, head: str, copied_from: int | None = None) -> Path | None:
    """A cached database of the same size, generator and making (generated, or replicated from the same base)
    at an older schema revision the app can upgrade."""
    from caseapp.store.migrate import known_revisions

    known = known_revisions()
    copied = f"-x{copied_from}" if copied_from else ""
    suffix = f"-files{files_bytes}" if files_bytes else ""
    candidates = []
    for folder in root.glob(f"{size}-*-g{GENERATOR_VERSION}{copied}{suffix}"):
        db_path = folder / "data" / DB_FILE
        if not (folder / "manifest.json").exists() or not db_path.exists():
            continue
        revision = database_revision(db_path)
        if revision in known and revision != head:
            candidates.append(((folder / "manifest.json").stat().st_mtime, folder))
    return max(candidates)[1] if candidates else None


def cached_database(
    size: int,
    *,
    files_bytes: int = 0,
    regenerate: bool = False,
    workers: int | None = None,
    through_services: bool = False,
) -> tuple[Path, dict[str, Any], str]:
    """The cache folder for this size at the current schema, its manifest, and how it came: "cached",
    "upgraded" (an older cached database migrated by the app, much faster than generating again), "generated"
    or "replicated" (above ``replicate.REPLICATE_ABOVE`` cases: the base size generated through the services, its
    families copied in bulk; ``through_services`` generates every case through the services instead)."""
    from caseapp.store.migrate import head_revision
    from tests.benchmarks.replicate import BASE_SIZE, replicate

    head = head_revision()
    root = cache_root()
    copied_from = BASE_SIZE if replicated(size, files_bytes, through_services) else None
    folder = root / cache_key(size, files_bytes, head, copied_from=copied_from)
    manifest_file = folder / "manifest.json"
    if manifest_file.exists() and not regenerate:
        return folder, json.loads(manifest_file.read_text()), "cached"
    root.mkdir(parents=True, exist_ok=True)
    older = None if regenerate else _older_cache(root, size, files_bytes, head, copied_from)
    base = cached_database(BASE_SIZE, workers=workers)[0] if copied_from and older is None else None
    partial = Path(tempfile.mkdtemp(prefix=f"{folder.name}.partial-", dir=root))
    try:
        if base is not None:
            manifest = replicate(base, partial, size, author=AUTHOR)
            if manifest["schema_revision"] != head_revision():
                manifest = _upgrade(partial, manifest)
            origin = "replicated"
        elif older is not None:
            _copy_data(older / "data", partial / "data")
            manifest = _upgrade(partial, json.loads((older / "manifest.json").read_text()))
            origin = "upgraded"
        else:
            manifest = generate(partial, size, files_bytes=files_bytes, workers=workers)
            if manifest["schema_revision"] != head_revision():  # a migration landed while it was generating
                manifest = _upgrade(partial, manifest)
            origin = "generated"
        folder = root / cache_key(size, files_bytes, manifest["schema_revision"], copied_from=copied_from)
        if folder.exists():
            shutil.rmtree(folder)
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return folder, manifest, origin


def working_copy(cache_folder: Path, destination: Path) -> Path:
    """A private copy of the cached data folder to measure on (the cache itself is never opened by the app)."""
    _copy_data(cache_folder / "data", destination)
    return destination


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="number of cases (default %(default)s)")
    parser.add_argument("--files-bytes", type=int, default=0, help="bytes of evidence files in the large case")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default 1: writes are serialised)")
    parser.add_argument("--regenerate", action="store_true", help="build again even if the cache has it")
    parser.add_argument(
        "--through-services", action="store_true", help="every case through the services, even above 2,000 cases"
    )
    args = parser.parse_args(argv)
    folder, manifest, origin = cached_database(
        args.size,
        files_bytes=args.files_bytes,
        regenerate=args.regenerate,
        workers=args.workers,
        through_services=args.through_services,
    )
    print(json.dumps({"folder": str(folder), "origin": origin, **manifest}, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
