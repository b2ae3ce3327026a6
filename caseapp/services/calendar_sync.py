"""The team's shared calendar (CalDAV: Nextcloud, Radicale, SOGo, iCloud…) kept in step with CaseApp.

What is published: the hearings that are not cancelled and the open deadlines of the chosen cases (or of all),
one event per record, built by ``services.ics`` (the same events as the ``.ics`` export) with the same stable UIDs
(``hearing-<id>@caseapp``, ``deadline-<id>@caseapp``). A hearing moved, a deadline done or missed, a case deleted:
the next ``sync`` updates or removes its events. Events whose UID is not CaseApp's — people's own appointments in the
same calendar — are never touched.

**Sync** sends what changed in CaseApp since the last sync and reads back what the server holds. What people
changed directly in the calendar is not applied silently either way: an event edited or deleted on the server while
CaseApp's record did not change is left as it is and *reported* (every sync reports it again until it is dealt
with); where both changed, CaseApp's version is written — CaseApp is the record — and the edit it replaced is
reported with what it said. **Repair** compares the server with CaseApp event by event and fixes only what differs
(missing, different, left over): never a blind rebuild. Both take ``dry_run``.

What was last written, per event (a fingerprint of what people see: title, times, place, status, description), is
kept in ``calendar-sync.json`` in the data folder, saved after every change made on the server. A server that is
down or stops in the middle, or refuses the password, raises ``CalendarError`` with a sentence for people; what
was done so far is recorded, nothing in CaseApp changes, and the next sync catches up.

The password is in the keyring (``caseapp.secrets``) like the database server's; ``CASEAPP_CALDAV_PASSWORD`` wins
for one run (the system's scheduler, a test). The address and the user are in the settings.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from caseapp.casefile.core import Core
from caseapp.errors import CaseAppError, InvalidInput
from caseapp.i18n import _, current_language

PASSWORD_ENV = "CASEAPP_CALDAV_PASSWORD"
STATE_FILE = "calendar-sync.json"
CALENDAR_NAME = "CaseApp"
TIMEOUT = 20  # seconds for one request
OURS = re.compile(r"^(hearing|deadline)-[0-9a-f-]{36}@caseapp$")
FINGERPRINTED = ("SUMMARY", "DTSTART", "DTEND", "STATUS", "LOCATION", "DESCRIPTION", "CATEGORIES")

Progress = Callable[[int, int], None]  # (changes made, changes to make), after each change on the server


class CalendarError(CaseAppError):
    """The calendar server cannot be used now (down, unreachable, refusing the password, refusing a change)."""


# --- the account ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarAccount:
    """The team calendar this person syncs with, from the settings: its address, the user, and the cases published (the
    password is in the keyring)."""

    url: str
    user: str
    cases: tuple[uuid.UUID, ...] | None = None  # None: every case


def password_key(user: str, url: str) -> str:
    return f"caldav-password:{user}@{url}"


def _cases_text(cases: Iterable[uuid.UUID] | None) -> str | None:
    return None if cases is None else ",".join(str(c) for c in cases)


def _parse_cases(text: str | None) -> tuple[uuid.UUID, ...] | None:
    if not text:
        return None
    found: list[uuid.UUID] = []
    for part in text.split(","):
        with contextlib.suppress(ValueError):
            found.append(uuid.UUID(part.strip()))
    return tuple(found)


def account(data_dir: Path | None = None) -> CalendarAccount | None:
    """The calendar CaseApp is connected to (from the settings), or None."""
    from caseapp.settings import load_settings

    saved = load_settings(data_dir)
    if not saved.calendar_url or not saved.calendar_user:
        return None
    return CalendarAccount(saved.calendar_url, saved.calendar_user, _parse_cases(saved.calendar_cases))


def _secrets() -> Any:
    from caseapp.secrets import default_secrets

    return default_secrets()


def stored_password(acct: CalendarAccount) -> str | None:
    """``CASEAPP_CALDAV_PASSWORD`` for this run, else the one kept in the keyring."""
    return os.environ.get(PASSWORD_ENV) or _secrets().get(password_key(acct.user, acct.url))


def _check_url(url: str) -> str:
    from urllib.parse import urlsplit

    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(_("“{url}” is not a calendar address: it starts with https://").format(url=url))
    if parts.password is not None or "@" in parts.netloc:
        raise InvalidInput(
            _("Do not put the user or the password in the address: give the user with --user, the password when asked.")
        )
    return url if url.endswith("/") else url + "/"


# --- talking to the server -----------------------------------------------------------------------------------------


def _failure(exc: BaseException, url: str) -> CalendarError:
    """A sentence for people for what the CalDAV library or the network raised."""
    from caldav.lib import error as dav

    host = _host(url)
    if isinstance(exc, dav.AuthorizationError):
        return CalendarError(
            _(
                "The calendar server {host} refused the user name or the password. Check them, then give them again "
                "with “caseapp calendar connect” (or in Settings › Calendar)."
            ).format(host=host),
            detail=str(exc),
        )
    if isinstance(exc, dav.NotFoundError):
        return CalendarError(
            _("The calendar at {url} does not exist (any more) on the server.").format(url=url), detail=str(exc)
        )
    if isinstance(exc, dav.DAVError):
        return CalendarError(
            _("The calendar server {host} refused a change: {reason}.").format(host=host, reason=_reason(exc)),
            detail=str(exc),
        )
    return CalendarError(
        _(
            "The calendar server {host} cannot be reached ({reason}). Nothing was lost: the next sync catches up."
        ).format(host=host, reason=_reason(exc)),
        detail=str(exc),
    )


def _reason(exc: BaseException) -> str:
    text = str(exc)
    if "refused" in text.lower():
        return _("connection refused")
    if "timed out" in text.lower() or "timeout" in type(exc).__name__.lower():
        return _("no answer in time")
    if "name or service not known" in text.lower() or "resolve" in text.lower():
        return _("unknown host")
    return text[:160] if text else type(exc).__name__


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else url


def _errors() -> tuple[type[BaseException], ...]:
    from caldav.lib.error import DAVError

    return (DAVError, OSError, ValueError)  # the HTTP library's connection errors are OSErrors


def _client(url: str, user: str, password: str) -> Any:
    from caldav.davclient import DAVClient

    return DAVClient(url=url, username=user, password=password, timeout=TIMEOUT)


def _open_calendar(url: str, user: str, password: str, *, create: bool = False) -> tuple[Any, str, bool]:
    """The calendar at ``url``; when ``url`` is not a calendar but the server or the user's home, the user's
    calendar named "CaseApp" (made when ``create``). Returns (calendar, its address, made now?)."""
    from caldav.collection import Calendar

    client = _client(url, user, password)
    try:
        calendar = Calendar(client=client, url=url)
        if _is_calendar(calendar):
            return calendar, str(calendar.url), False
        principal = client.principal()
        for found in principal.get_calendars():
            if str(found.url).rstrip("/") == url.rstrip("/") or found.get_display_name() == CALENDAR_NAME:
                return found, str(found.url), False
        if not create:
            raise CalendarError(_("There is no calendar at {url}.").format(url=url))
        made = principal.make_calendar(name=CALENDAR_NAME)
        return made, str(made.url), True
    except CalendarError:
        raise
    except _errors() as exc:
        raise _failure(exc, url) from exc


def _is_calendar(calendar: Any) -> bool:
    from caldav.lib.error import AuthorizationError, DAVError

    try:
        kinds = calendar.get_property(_resourcetype(), use_cached=False)
    except AuthorizationError:
        raise
    except DAVError:
        return False
    return bool(kinds) and "calendar" in str(kinds)


def _resourcetype() -> Any:
    from caldav.elements import dav

    return dav.ResourceType()


# --- what CaseApp says, and what the server holds ------------------------------------------------------------------


@dataclass(frozen=True)
class EventFacts:
    """What people see of an event, to compare and to report."""

    uid: str
    summary: str
    start: str  # "2026-12-07 14:00" (Paris time) or "2026-12-07"
    fingerprint: str


def _component(text: str) -> Any:
    import icalendar

    calendar = icalendar.Calendar.from_ical(text)
    for component in calendar.walk("VEVENT"):
        return component
    return None


def _value(component: Any, name: str) -> str:
    if name not in component:
        return ""
    value = component[name]
    if name in ("DTSTART", "DTEND"):
        moment = component.decoded(name)
        if isinstance(moment, datetime):
            return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
        return moment.isoformat() if isinstance(moment, date) else str(moment)
    if name == "CATEGORIES":
        values = value if isinstance(value, list) else [value]
        return ",".join(sorted(str(c) for v in values for c in getattr(v, "cats", [v])))
    return str(value).replace("\r\n", "\n").strip()


def facts(text: str) -> EventFacts | None:
    """The facts of a calendar resource's event, or None when it holds none (or cannot be read)."""
    from zoneinfo import ZoneInfo

    try:
        component = _component(text)
    except ValueError:
        return None
    if component is None or "UID" not in component:
        return None
    values = {name: _value(component, name) for name in FINGERPRINTED}
    digest = hashlib.sha256(json.dumps(values, sort_keys=True).encode("utf-8")).hexdigest()[:32]
    start = component.decoded("DTSTART") if "DTSTART" in component else None
    if isinstance(start, datetime):
        shown = start.astimezone(ZoneInfo("Europe/Paris")).strftime("%Y-%m-%d %H:%M")
    else:
        shown = start.isoformat() if isinstance(start, date) else ""
    return EventFacts(str(component["UID"]), values["SUMMARY"], shown, digest)


@dataclass(frozen=True)
class Wanted:
    """An event the calendar should hold: the iCalendar resource CaseApp writes (``text``) and what people see of it."""

    uid: str
    text: str
    facts: EventFacts


def _wanted(core: Core, acct: CalendarAccount | None, lang: str) -> tuple[dict[str, Wanted], set[str]]:
    """The events the calendar should hold (the chosen cases' active ones), and the UIDs of the active events of
    the cases not chosen (someone else on the team may publish them: left alone)."""
    from caseapp.services.ics import calendar_events, calendar_header, render

    header = calendar_header(lang, method=False)
    chosen = set(acct.cases) if acct is not None and acct.cases is not None else None
    wanted: dict[str, Wanted] = {}
    others: set[str] = set()
    for event in calendar_events(core, lang=lang):
        if not event.active:
            continue
        if chosen is not None and event.case_id not in chosen:
            others.add(event.uid)
            continue
        text = render([*header, *event.lines, "END:VCALENDAR"]).decode("utf-8")
        found = facts(text)
        if found is not None:
            wanted[event.uid] = Wanted(event.uid, text, found)
    return wanted, others


@dataclass
class _OnServer:
    """One of CaseApp's events as the server holds it: the CalDAV resource, and what people see of it."""

    resource: Any
    facts: EventFacts


def _on_server(calendar: Any) -> dict[str, _OnServer]:
    held: dict[str, _OnServer] = {}
    for resource in calendar.get_events():
        text = resource.data
        found = facts(text) if text else None
        if found is not None and OURS.match(found.uid):
            held[found.uid] = _OnServer(resource, found)
    return held


# --- the record of what was written --------------------------------------------------------------------------------


@dataclass
class SyncState:
    """``calendar-sync.json``: the calendar it is about, and per UID the fingerprint last written there."""

    path: Path
    calendar: str | None = None
    written: dict[str, str] = field(default_factory=dict)
    last_sync: str | None = None

    @classmethod
    def open(cls, data_dir: Path, calendar_url: str) -> SyncState:
        path = Path(data_dir) / STATE_FILE
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        if not isinstance(raw, dict) or raw.get("calendar") != calendar_url:
            return cls(path, calendar_url)
        written = raw.get("written")
        return cls(
            path,
            calendar_url,
            {str(k): str(v) for k, v in written.items()} if isinstance(written, dict) else {},
            raw.get("last_sync") if isinstance(raw.get("last_sync"), str) else None,
        )

    def save(self) -> None:
        data = json.dumps(
            {"calendar": self.calendar, "written": self.written, "last_sync": self.last_sync}, indent=1, sort_keys=True
        )
        from caseapp.store.files import write_text_atomically

        write_text_atomically(self.path, data, prefix=".calendar-sync-")


# --- the plan and the report ---------------------------------------------------------------------------------------

ADD = "add"
UPDATE = "update"
REMOVE = "remove"

EDITED = "edited"  # changed in the calendar, not in CaseApp: left as it is
DELETED = "deleted"  # deleted from the calendar, not in CaseApp: not put back
REPLACED = "replaced"  # changed in the calendar and in CaseApp: CaseApp's version written over it
DROPPED = "dropped"  # changed in the calendar, and gone (done, cancelled, deleted) in CaseApp: removed


@dataclass(frozen=True)
class Change:
    """One change a sync makes on the server (or would make, in a dry run): an event added, updated or removed."""

    action: str  # add, update, remove
    uid: str
    summary: str  # what CaseApp says (what the server held, for a removal)
    start: str
    was: str = ""  # what the server held before, for an update: "summary — start"


@dataclass(frozen=True)
class PersonEdit:
    """A change made by someone directly in the shared calendar."""

    what: str  # edited, deleted, replaced, dropped
    uid: str
    caseapp: str  # "summary — start" as CaseApp has it ("" when CaseApp no longer has it)
    calendar: str  # "summary — start" as the calendar had it ("" when deleted there)


@dataclass(frozen=True)
class SyncReport:
    """What a sync or a repair did (or would do, in a dry run): the changes made on the server, the events left as they
    were, and the edits people made in the calendar."""

    calendar: str
    dry_run: bool
    repair: bool
    changes: tuple[Change, ...]
    unchanged: int
    edits: tuple[PersonEdit, ...]

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    @property
    def added(self) -> int:
        return self.count(ADD)

    @property
    def updated(self) -> int:
        return self.count(UPDATE)

    @property
    def removed(self) -> int:
        return self.count(REMOVE)

    def as_json(self) -> dict[str, Any]:
        return {
            "calendar": self.calendar,
            "dry_run": self.dry_run,
            "repair": self.repair,
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "changes": [c.__dict__ for c in self.changes],
            "edits_in_calendar": [e.__dict__ for e in self.edits],
        }


def _said(event: EventFacts | None) -> str:
    return f"{event.summary} — {event.start}" if event is not None else ""


def _plan(
    wanted: dict[str, Wanted],
    others: set[str],
    held: dict[str, _OnServer],
    state: SyncState,
    *,
    repair: bool,
) -> tuple[list[Change], int, list[PersonEdit]]:
    changes: list[Change] = []
    edits: list[PersonEdit] = []
    unchanged = 0
    for uid, want in wanted.items():
        there = held.get(uid)
        last = state.written.get(uid)
        mine = want.facts
        if there is None:
            if not repair and last is not None and last == mine.fingerprint:
                edits.append(PersonEdit(DELETED, uid, _said(mine), ""))  # deleted by someone: not put back
                continue
            changes.append(Change(ADD, uid, mine.summary, mine.start))
            continue
        theirs = there.facts
        if theirs.fingerprint == mine.fingerprint:
            unchanged += 1
            continue
        if repair or last is None or theirs.fingerprint == last:
            changes.append(Change(UPDATE, uid, mine.summary, mine.start, _said(theirs)))
        elif mine.fingerprint == last:
            edits.append(PersonEdit(EDITED, uid, _said(mine), _said(theirs)))  # left as it is, reported
        else:
            edits.append(PersonEdit(REPLACED, uid, _said(mine), _said(theirs)))
            changes.append(Change(UPDATE, uid, mine.summary, mine.start, _said(theirs)))
    for uid, there in held.items():
        if uid in wanted:
            continue
        last = state.written.get(uid)
        if uid in others and last is None:
            continue  # an event of a case not chosen here, published by someone else: not ours to remove
        if not repair and last is not None and there.facts.fingerprint != last:
            edits.append(PersonEdit(DROPPED, uid, "", _said(there.facts)))
        changes.append(Change(REMOVE, uid, there.facts.summary, there.facts.start))
    return changes, unchanged, edits


@dataclass(frozen=True)
class Prepared:
    """What CaseApp says the calendar must hold, read from the case file (``prepare``); ``push`` then talks to the
    server without touching the database (the window reads on its database worker, and talks to the server on
    another thread)."""

    data_dir: Path
    account: CalendarAccount
    wanted: dict[str, Wanted]
    others: set[str]


def prepare(core: Core, *, lang: str | None = None) -> Prepared:
    acct = account(core.data_dir)
    if acct is None:
        raise InvalidInput(
            _("CaseApp is not connected to a calendar: run “caseapp calendar connect URL --user USER” first.")
        )
    wanted, others = _wanted(core, acct, lang or current_language())
    return Prepared(core.data_dir, acct, wanted, others)


def push(
    prepared: Prepared,
    *,
    repair: bool = False,
    dry_run: bool = False,
    password: str | None = None,
    progress: Progress | None = None,
) -> SyncReport:
    """Bring the calendar to what ``prepared`` says: a sync, or a repair (see the module)."""
    acct, wanted = prepared.account, prepared.wanted
    password = password or stored_password(acct)
    if not password:
        raise CalendarError(
            _(
                "The calendar password is not known on this computer: give it again with “caseapp calendar connect”, "
                "or set {env}."
            ).format(env=PASSWORD_ENV)
        )
    calendar, url, _made = _open_calendar(acct.url, acct.user, password)
    state = SyncState.open(prepared.data_dir, url)
    try:
        held = _on_server(calendar)
    except _errors() as exc:
        raise _failure(exc, url) from exc
    changes, unchanged, edits = _plan(wanted, prepared.others, held, state, repair=repair)
    report = SyncReport(url, dry_run, repair, tuple(changes), unchanged, tuple(edits))
    if dry_run:
        return report
    done = 0
    try:
        for change in changes:
            _apply(calendar, change, wanted, held)
            if change.action == REMOVE:
                state.written.pop(change.uid, None)
            else:
                state.written[change.uid] = wanted[change.uid].facts.fingerprint
            done += 1
            if progress is not None:
                progress(done, len(changes))
    except _errors() as exc:
        state.save()  # what was done is recorded: the next sync does the rest
        failure = _failure(exc, url)
        raise CalendarError(
            failure.message
            + " "
            + _("{done} of {total} changes were made in the calendar; CaseApp itself is unchanged.").format(
                done=done, total=len(changes)
            ),
            detail=failure.detail,
        ) from exc
    # What the server holds and CaseApp agrees with is recorded as written (the first sync from this computer of a
    # calendar a colleague already fills; a repair).
    for uid, there in held.items():
        if uid in wanted and there.facts.fingerprint == wanted[uid].facts.fingerprint:
            state.written[uid] = there.facts.fingerprint
    state.written = {k: v for k, v in state.written.items() if k in wanted or k in held}
    state.last_sync = datetime.now(UTC).isoformat(timespec="seconds")
    state.save()
    return report


def _apply(calendar: Any, change: Change, wanted: dict[str, Wanted], held: dict[str, _OnServer]) -> None:
    if change.action == ADD:
        calendar.add_event(wanted[change.uid].text, increase_seqno=False)
    elif change.action == UPDATE:
        resource = held[change.uid].resource
        resource.data = wanted[change.uid].text
        resource.save(increase_seqno=False)
    else:
        held[change.uid].resource.delete()


def sync(
    core: Core,
    *,
    dry_run: bool = False,
    password: str | None = None,
    lang: str | None = None,
    progress: Progress | None = None,
) -> SyncReport:
    """Send CaseApp's changes to the calendar and report the changes people made there (see the module)."""
    return push(prepare(core, lang=lang), dry_run=dry_run, password=password, progress=progress)


def repair(
    core: Core,
    *,
    dry_run: bool = False,
    password: str | None = None,
    lang: str | None = None,
    progress: Progress | None = None,
) -> SyncReport:
    """Compare the calendar with CaseApp event by event and fix only what differs."""
    return push(prepare(core, lang=lang), repair=True, dry_run=dry_run, password=password, progress=progress)


# --- connecting and disconnecting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Connected:
    """What connecting did: the calendar's address, whether it was made now, and where the password is kept."""

    calendar: str
    made: bool  # the "CaseApp" calendar was made on the server now
    password_kept: bool  # kept in the keyring or the encrypted key file (False: for this session only)
    secrets_message: str


def connect(
    data_dir: Path,
    url: str,
    user: str,
    password: str,
    *,
    cases: Iterable[uuid.UUID] | None = None,
) -> Connected:
    """Check the calendar with this user and password (making a "CaseApp" calendar when the address is the server
    or the user's home), then remember the address and the user in the settings and the password in the keyring.
    A refused password or an unreachable server changes nothing."""
    from caseapp.settings import load_settings, save_settings

    url = _check_url(url)
    user = user.strip()
    if not user:
        raise InvalidInput(_("Give the calendar's user name (--user)."))
    if not password:
        raise InvalidInput(_("Give the calendar's password."))
    calendar, address, made = _open_calendar(url, user, password, create=True)
    try:
        calendar.get_events()  # the password opens the calendar itself, not only the server
    except _errors() as exc:
        raise _failure(exc, address) from exc
    previous = account(data_dir)
    saved = load_settings(data_dir)
    save_settings(
        data_dir,
        replace(saved, calendar_url=address, calendar_user=user, calendar_cases=_cases_text(cases)),
    )
    secrets = _secrets()
    if previous is not None and (previous.url, previous.user) != (address, user):
        secrets.delete(password_key(previous.user, previous.url))
    kept = bool(secrets.set(password_key(user, address), password))
    return Connected(address, made, kept, secrets.status.message)


def choose_cases(data_dir: Path, cases: Iterable[uuid.UUID] | None) -> None:
    """Publish the events of these cases only (None: of every case), from the next sync on."""
    from caseapp.settings import load_settings, save_settings

    save_settings(data_dir, replace(load_settings(data_dir), calendar_cases=_cases_text(cases)))


def disconnect(data_dir: Path) -> CalendarAccount | None:
    """Forget the calendar: its address and user, the password in the keyring and the record of what was written.
    The events already in the shared calendar stay there (the team may rely on them)."""
    from caseapp.settings import load_settings, save_settings

    acct = account(data_dir)
    save_settings(
        data_dir, replace(load_settings(data_dir), calendar_url=None, calendar_user=None, calendar_cases=None)
    )
    if acct is not None:
        _secrets().delete(password_key(acct.user, acct.url))
    with contextlib.suppress(OSError):
        (Path(data_dir) / STATE_FILE).unlink()
    return acct


def status(data_dir: Path) -> dict[str, Any]:
    """The calendar connected, the cases published and when it was last synced (for the CLI and the window)."""
    acct = account(data_dir)
    if acct is None:
        return {"connected": False}
    state = SyncState.open(data_dir, acct.url)
    return {
        "connected": True,
        "url": acct.url,
        "user": acct.user,
        "cases": [str(c) for c in acct.cases] if acct.cases is not None else None,
        "last_sync": state.last_sync,
        "events": len(state.written),
        "password_known": bool(stored_password(acct)),
    }
