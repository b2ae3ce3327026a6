"""The command line under hostile arguments: whatever it is given, ``caseapp`` answers with exit code 0, 1 or 2,
never a traceback, and never prints an escape sequence it did not write.

The commands run in this process (``main()`` with stdout and stderr captured through UTF-8 text streams that
behave as a real process's do: stdout strict, stderr ``backslashreplace``), because a process costs a second
and the point is to try many arguments. ``test_in_process_is_the_real_command`` shows it is the same thing: the
same argument lists, given as bytes to real ``caseapp`` processes, give the same exit codes and the same last
line on stderr.

Every sub-command is found by walking the parser, so a command added later is fuzzed too. Arguments come
from pools of hostile values: control and escape characters, lone surrogates and invalid UTF-8 bytes, huge
numbers, impossible dates, a 120 KB name, and paths to a device, a named pipe, a folder, symbolic links, a
missing file, a binary file. As root, the devices are nodes made in the test's own folder: a command that
wrongly replaced its output would replace those, never ``/dev/null``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseapp.services.demo import demo_id

ROOT = Path(__file__).resolve().parents[2]
CASE = "1901249"  # a court number of the example data
HEARING = str(demo_id("case/vsa-2020/hearing/0"))
LONG = "x" * 120_000  # longer than any path a system takes (PATH_MAX is 4 KB), shorter than an argument may be
HUGE = str(10**20)
TERMINAL_ACTIONS = ("\x1b", "\x9b", "\u202e")  # ESC, CSI, right-to-left override: never printed raw


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def last_error_line(self) -> str:
        lines = [line for line in self.err.splitlines() if line.strip()]
        return lines[-1] if lines else ""


def run_main(args: Sequence[str]) -> Run:
    """``caseapp ARGS`` in this process. stdout is strict UTF-8 and stderr ``backslashreplace``, as in a real
    process, so that printing a lone surrogate fails here exactly where it would fail there."""
    from caseapp.cli import main

    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", errors="backslashreplace", write_through=True)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: usage errors (2), --help (0)
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    out.flush()
    err.flush()
    return Run(code, out_bytes.getvalue().decode("utf-8", "replace"), err_bytes.getvalue().decode("utf-8", "replace"))


def process_env(data: Path, scratch: Path) -> dict[str, str]:
    env = os.environ | {
        "CASEAPP_DATA_DIR": str(data),
        "CASEAPP_LANG": "en",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",  # the system keyring is never touched
        "CASEAPP_KEYRING_FILE": str(scratch / "keyring.cfg"),
    }
    for name in ("CASEAPP_DB_URL", "CASEAPP_DEBUG", "CASEAPP_BUNDLE_PASSPHRASE", "CASEAPP_KEYRING_PASSPHRASE"):
        env.pop(name, None)
    return env


def run_process(args: Sequence[str | bytes], *, env: dict[str, str], cwd: Path) -> Run:
    """``caseapp ARGS`` as a real process, arguments given as bytes (as a shell gives them)."""
    command = [sys.executable.encode(), b"-m", b"caseapp.cli"]
    command += [arg if isinstance(arg, bytes) else os.fsencode(arg) for arg in args]
    env = env | {"PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        command, capture_output=True, env=env, cwd=cwd, stdin=subprocess.DEVNULL, timeout=120, check=False
    )
    return Run(result.returncode, result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace"))


# --- the playground: example data and hostile files -----------------------------------------------------------


@dataclass
class Playground:
    root: Path
    data: Path
    hostile: Path
    pristine: Path
    paths: dict[str, str]

    def reset(self) -> None:
        """Put every hostile file back as it was (a command may have replaced one: that is what is tested)."""
        make_hostile_files(self.hostile, self.pristine)


def _device(path: Path, minor: int, fallback: str) -> str:
    """A character device: made here as root (so a faulty command replaces this one, not the system's);
    otherwise the system's, which nobody but root can replace."""
    if os.geteuid() != 0:
        return fallback
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except OSError:  # pragma: no cover - a container without the right to make device nodes
        pytest.skip("cannot make a device node here, and will not risk the system's as root")
    return str(path)


def make_hostile_files(folder: Path, pristine: Path) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    for item in list(folder.iterdir()):
        if item.is_dir() and not item.is_symlink():
            shutil.rmtree(item)
        else:
            item.unlink()
    paths = {
        "zero": _device(folder / "zero", 5, "/dev/zero"),
        "null": _device(folder / "null", 3, "/dev/null"),
    }
    os.mkfifo(folder / "fifo")
    paths["fifo"] = str(folder / "fifo")
    (folder / "folder").mkdir()
    paths["folder"] = str(folder / "folder")
    paths["missing"] = str(folder / "no-such-folder" / "file.pdf")
    for name in ("bundle.casebundle", "card.txt", "binary.bin", "text.txt", "empty.txt"):
        shutil.copyfile(pristine / name, folder / name)
        paths[name.split(".")[0]] = str(folder / name)
    latin1 = os.fsdecode(str(folder).encode() + b"/caf\xe9.casebundle")
    shutil.copyfile(pristine / "bundle.casebundle", latin1)
    paths["latin1"] = latin1
    os.symlink(paths["zero"], folder / "link-to-device")
    paths["link-to-device"] = str(folder / "link-to-device")
    os.symlink(folder / "text.txt", folder / "link-to-file")
    paths["link-to-file"] = str(folder / "link-to-file")
    os.symlink(folder / "nowhere", folder / "dangling-link")
    paths["dangling-link"] = str(folder / "dangling-link")
    paths["long"] = LONG
    paths["long-name"] = str(folder / ("y" * 300))
    paths["fresh"] = str(folder / "fresh" / "output.bin")
    return paths


@contextlib.contextmanager
def isolated_process_state(data: Path, cwd: Path) -> Iterator[None]:
    """What ``main()`` reads or changes in this process, set for the test and put back after: the data folder,
    the language, the key store (in memory, never the system keyring), the umask, the working folder, stdin."""
    from keyring.backends.fail import Keyring as NoKeyring

    from caseapp.identity.keys import MemoryKeyStore, set_default_keystore
    from caseapp.secrets import Secrets, use_secrets

    umask = os.umask(0o022)
    os.umask(umask)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in process_env(data, cwd).items():
            if os.environ.get(name) != value:
                patch.setenv(name, value)
        for name in ("CASEAPP_DB_URL", "CASEAPP_DEBUG", "CASEAPP_BUNDLE_PASSPHRASE", "CASEAPP_KEYRING_PASSPHRASE"):
            patch.delenv(name, raising=False)
        patch.chdir(cwd)
        patch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal: nothing is ever asked
        set_default_keystore(MemoryKeyStore())
        use_secrets(Secrets(NoKeyring()))
        try:
            yield
        finally:
            set_default_keystore(None)
            use_secrets(None)
            os.umask(umask)


@pytest.fixture(scope="module")
def playground(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Iterator[Playground]:
    from caseapp.config import DB_FILE

    root = tmp_path_factory.mktemp("fuzz")
    data = root / "data"
    data.mkdir()
    shutil.copyfile(template_db, data / DB_FILE)
    cwd = root / "cwd"  # relative names given as outputs land here
    cwd.mkdir()
    pristine = root / "pristine"
    pristine.mkdir()
    with isolated_process_state(data, cwd):
        assert run_main(["demo"]).code == 0
        bundle = run_main(["export", CASE, "-o", str(pristine / "bundle.casebundle"), "--no-pdf"])
        assert bundle.code == 0, bundle.err
        card = run_main(["keys", "show", "--export", str(pristine / "card.txt")])
        assert card.code == 0, card.err
        (pristine / "binary.bin").write_bytes(bytes(range(256)) * 4)
        (pristine / "text.txt").write_text("AGE-SECRET-KEY-1NOTAKEY\nune phrase\n", encoding="utf-8")
        (pristine / "empty.txt").write_bytes(b"")
        hostile = root / "hostile"
        paths = make_hostile_files(hostile, pristine)
        yield Playground(root, data, hostile, pristine, paths)


# --- every sub-command, from the parser ----------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    words: tuple[str, ...]
    positionals: tuple[argparse.Action, ...]
    options: tuple[argparse.Action, ...]

    @property
    def name(self) -> str:
        return " ".join(self.words)


def all_commands() -> list[Command]:
    from caseapp.cli import build_parser

    found: list[Command] = []

    def walk(parser: argparse.ArgumentParser, words: tuple[str, ...]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if subs:
            seen: set[int] = set()
            for name, child in subs[0].choices.items():
                if id(child) not in seen:  # an alias ("keys remove") is the same parser
                    seen.add(id(child))
                    walk(child, (*words, name))
            return
        actions = [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]
        found.append(
            Command(
                words,
                tuple(a for a in actions if not a.option_strings),
                tuple(a for a in actions if a.option_strings),
            )
        )

    walk(build_parser(), ())
    return found


COMMANDS = all_commands()
PATH_DESTS = {"data_dir", "path", "output", "file", "passphrase_file", "identity", "export", "key", "password_file"}
HOSTILE_TEXT = [
    "\x1b[2J\x1b[H\x1b]0;pwned\x07",
    "\x9b31mred",
    "\u202eevil\u202c",
    "line\nsigned by alice (trusted key)",
    "\r\x08\x7f",
    "\x00",
    "\ud800",
    os.fsdecode(b"\xff\xfe\xe9"),
    "",
    " ",
    "-",
    "--",
    "--help",
    HUGE,
    "-" + HUGE,
    "1e400",
    "9999-12-31",
    "0001-01-01",
    "31/12/9999",
    "9999-12-31T23:59:59+00:00",
    "0001-01-01T00:00:00+05:00",
    "dans 99999999999 ans",
    LONG,
]
REALISTIC = [CASE, "2009485", HEARING, HEARING[:8], "marché", "3 mars 2026", "demain 14h30", "5", "0" * 64]
PATH_KINDS = [
    "zero",
    "null",
    "fifo",
    "folder",
    "missing",
    "bundle",
    "card",
    "binary",
    "text",
    "empty",
    "latin1",
    "link-to-device",
    "link-to-file",
    "dangling-link",
    "long",
    "long-name",
    "fresh",
]


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.binary(max_size=24).map(os.fsdecode),  # what a real process makes of arbitrary argument bytes
        st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=24),
    )


def value_for(action: argparse.Action, paths: dict[str, str]) -> st.SearchStrategy[str]:
    if action.choices is not None:
        return st.one_of(st.sampled_from(sorted(str(c) for c in action.choices)), hostile_text())
    if action.dest in PATH_DESTS:
        return st.one_of(st.sampled_from([paths[kind] for kind in PATH_KINDS]), hostile_text())
    if action.dest in ("days", "limit"):
        return st.one_of(st.integers(-(10**25), 10**25).map(str), hostile_text())
    return st.one_of(st.sampled_from(REALISTIC), hostile_text())


@st.composite
def command_lines(draw: st.DrawFn, paths: dict[str, str]) -> list[str]:
    command = draw(st.sampled_from(COMMANDS))
    args = list(command.words)
    for action in command.options:
        if action.dest in ("encrypt_passphrase",) or not draw(st.booleans()):
            continue
        option = draw(st.sampled_from(action.option_strings))
        args += [option] if action.nargs == 0 else [option, draw(value_for(action, paths))]
    for action in command.positionals:
        if action.nargs in ("?", "*") and draw(st.booleans()):
            continue
        count = draw(st.integers(1, 3)) if action.nargs in ("+", "*") else 1
        args += [draw(value_for(action, paths)) for _ in range(count)]
    if draw(st.integers(0, 7)) == 0:
        args.insert(draw(st.integers(len(command.words), len(args))), draw(hostile_text()))  # a stray argument
    return args


def check_answer(args: Sequence[str], run: Run) -> None:
    shown = ascii(list(args))[:300]
    assert run.code in (0, 1, 2), f"exit code {run.code} for {shown}: {run.err[-500:]}"
    assert "Traceback" not in run.err, f"a traceback for {shown}:\n{run.err[-2000:]}"
    for char in TERMINAL_ACTIONS:
        assert char not in run.out, f"{char!r} printed raw on stdout for {shown}"
        assert char not in run.err, f"{char!r} printed raw on stderr for {shown}"


# --- the tests ----------------------------------------------------------------------------------------------


def test_every_sub_command_is_fuzzed() -> None:
    names = {command.name for command in COMMANDS}
    assert {"cases", "show", "search", "agenda", "ics", "export", "verify", "import", "backup", "restore"} <= names
    assert {"keys show", "keys trust", "deadline compute", "summary", "telerecours", "db connect"} <= names
    assert len(COMMANDS) >= 25


def test_hostile_arguments_never_crash_the_command_line(playground: Playground) -> None:
    seen: set[str] = set()  # the top-level commands the examples reached

    @settings(
        max_examples=150,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )
    @given(command_lines(playground.paths))
    def run(args: list[str]) -> None:
        playground.reset()
        seen.add(args[0])
        check_answer(args, run_main(args))

    with isolated_process_state(playground.data, playground.root / "cwd"):
        run()
    assert len(seen) >= 12  # the examples did reach most commands


def _benign(action: argparse.Action, paths: dict[str, str]) -> str:
    if action.choices is not None:
        return sorted(str(c) for c in action.choices)[0]
    if action.dest in ("file", "key"):
        return paths["card"] if action.dest == "key" else paths["bundle"]
    if action.dest in PATH_DESTS:
        return paths["fresh"]
    if action.dest in ("days", "limit"):
        return "5"
    if action.dest == "hearing":
        return HEARING
    if action.dest in ("trigger", "notified", "available", "consulted"):
        return "3 mars 2026"
    return CASE


SWEEP_PATHS = ["zero", "fifo", "folder", "missing", "binary", "latin1", "link-to-device", "long"]
SWEEP_TEXT = ["\x1b[2J\x1b[H", os.fsdecode(b"\xff\xe9"), HUGE, "9999-12-31T23:59:59+00:00", LONG]


@pytest.mark.parametrize("command", COMMANDS, ids=[c.name for c in COMMANDS])
def test_each_slot_of_each_sub_command_takes_each_kind_of_hostile_value(
    playground: Playground, command: Command
) -> None:
    """Deterministic, so that no sub-command and no kind of value is left to chance: each argument slot in
    turn gets each kind of hostile value, the others a plain one."""
    paths = playground.paths
    slots = [a for a in (*command.positionals, *command.options) if a.nargs != 0]
    with isolated_process_state(playground.data, playground.root / "cwd"):
        for slot in slots or [None]:
            if slot is None:
                values: list[str] = []
            elif slot.dest in PATH_DESTS:
                values = [paths[kind] for kind in SWEEP_PATHS]
            else:
                values = SWEEP_TEXT
            for value in values or [""]:
                args = list(command.words)
                for action in command.options:
                    if action is slot:
                        args += [action.option_strings[0], value]
                    elif action.required:
                        args += [action.option_strings[0], _benign(action, paths)]
                for action in command.positionals:
                    args.append(value if action is slot else _benign(action, paths))
                playground.reset()
                check_answer(args, run_main(args))


EQUIVALENCE = [
    ["cases", "--search", b"\xff\xfe"],  # not UTF-8
    ["search", "x", "--limit", HUGE],
    ["agenda", "--days", HUGE],
    ["parse-date", "9999-12-31T23:30:00Z"],
    ["verify", "{fifo}"],
    ["export", CASE, "-o", "{link-to-device}"],
    ["export", CASE, "-o", "{fresh}", "--passphrase-file", "{zero}"],
    ["keys", "trust", "{binary}"],
    ["backup", "{null}"],
    ["show", LONG],
    ["ics", "-o", "{folder}"],
    ["cases"],
]


def test_in_process_is_the_real_command(playground: Playground) -> None:
    """The same argument lists (as bytes) in real processes and in ``main()`` here: same exit codes, same
    last line on stderr, same stdout. So what the fuzz finds in-process is what a person would get."""

    def expand(arg: str | bytes) -> str | bytes:
        if isinstance(arg, str) and arg.startswith("{") and arg.endswith("}"):
            return playground.paths[arg[1:-1]]
        return arg

    env = process_env(playground.data, playground.root / "cwd")
    for template in EQUIVALENCE:
        args = [expand(arg) for arg in template]
        playground.reset()
        real = run_process(args, env=env, cwd=playground.root / "cwd")
        playground.reset()
        with isolated_process_state(playground.data, playground.root / "cwd"):
            here = run_main([os.fsdecode(arg) for arg in args])
        shown = ascii(template)[:200]
        assert "Traceback" not in real.err, f"{shown}: {real.err[-2000:]}"
        assert (real.code, real.last_error_line, real.out) == (here.code, here.last_error_line, here.out), shown
        check_answer([os.fsdecode(arg) for arg in args], real)
