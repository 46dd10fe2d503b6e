"""The project's commands for the build and browser tests, run as a contributor runs them but
started warm.

Each `mkdocs build`, `mkdocs serve` or `scripts/…` run is a new process with its own arguments,
working directory and environment; its output is captured and its exit code returned, as with
`subprocess`. The process is forked from a server that has already imported the third-party
libraries every run loads (tests/warm_imports.py: MkDocs, Material,
Pillow …), which saves each run half a second or more. Everything the project itself is made of
still starts cold: the run imports huatuopin afresh (for a build, from the project it builds),
reads its mkdocs.yml and templates, and exits. HUATUOPIN_TESTS_COLD=1 runs each command as a
plain subprocess instead, to rule the fork server out when a test fails.
"""

from __future__ import annotations

import atexit
import io
import multiprocessing
import multiprocessing.forkserver
import os
import runpy
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from multiprocessing.context import ForkServerContext
from pathlib import Path
from typing import Protocol

COLD = bool(os.environ.get("HUATUOPIN_TESTS_COLD"))
PRELOAD = "warm_imports"


@dataclass(frozen=True)
class Command:
    """`python -m <module> <args>` or `python <script> <args>`."""

    args: tuple[str, ...]
    module: str | None = None
    script: Path | None = None

    def argv(self) -> list[str]:
        """The command line as a subprocess runs it."""
        start = ["-m", self.module] if self.module else [str(self.script)]
        return [sys.executable, *start, *self.args]


def mkdocs(*args: str) -> Command:
    return Command(args, module="mkdocs")


def script(path: Path, *args: str) -> Command:
    return Command(args, script=path)


class Running(Protocol):
    """What `start` returns: the part of `subprocess.Popen` the tests use."""

    @property
    def returncode(self) -> int | None: ...

    def poll(self) -> int | None: ...

    def send_signal(self, sig: int) -> None: ...

    def wait(self, timeout: float | None = None) -> int: ...

    def kill(self) -> None: ...


def run(
    command: Command,
    *,
    cwd: Path,
    env: dict[str, str],
    timeout: float,
    merge_stderr: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run `command` to its end; stdout and stderr as text (interleaved in stdout when
    `merge_stderr`, as `stderr=subprocess.STDOUT` gives them)."""
    if COLD:
        return subprocess.run(
            command.argv(),
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )
    with tempfile.TemporaryDirectory(prefix="run-") as scratch:
        stdout = Path(scratch) / "stdout"
        stderr = None if merge_stderr else Path(scratch) / "stderr"
        process = _fork(command, cwd, env, stdout, stderr)
        try:
            returncode = process.wait(timeout)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        return subprocess.CompletedProcess(
            command.argv(), returncode, _read(stdout), "" if stderr is None else _read(stderr)
        )


def start(command: Command, *, cwd: Path, env: dict[str, str], log: Path) -> Running:
    """Start `command` with stdout and stderr going to `log`; it runs until it is stopped."""
    if COLD:
        with log.open("ab") as stream:
            return subprocess.Popen(
                command.argv(), cwd=cwd, env=env, stdout=stream, stderr=subprocess.STDOUT
            )
    return _fork(command, cwd, env, log, None)


# -- the fork server -----------------------------------------------------------------------------

_server: ForkServerContext | None = None


def _context() -> ForkServerContext:
    global _server
    if _server is None:
        _server = multiprocessing.get_context("forkserver")
        _server.set_forkserver_preload([PRELOAD])
        # Python 3.11's fork server ignores the sys.path it is given (fixed in 3.12), so it
        # finds the preload module through PYTHONPATH; a run sets its own sys.path.
        saved = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = str(Path(__file__).parent)
        try:
            multiprocessing.forkserver.ensure_running()
        finally:
            if saved is None:
                del os.environ["PYTHONPATH"]
            else:
                os.environ["PYTHONPATH"] = saved
    return _server


class _Forked:
    """A run forked from the server, seen through the Popen methods the tests call."""

    def __init__(self, process: multiprocessing.process.BaseProcess, argv: list[str]) -> None:
        self._process = process
        self._argv = argv

    @property
    def returncode(self) -> int | None:
        return self._process.exitcode

    def poll(self) -> int | None:
        return self._process.exitcode

    def send_signal(self, sig: int) -> None:
        if self._process.pid is not None and self.poll() is None:
            os.kill(self._process.pid, sig)

    def wait(self, timeout: float | None = None) -> int:
        self._process.join(timeout)
        if self._process.exitcode is None:
            raise subprocess.TimeoutExpired(self._argv, timeout or 0)
        return self._process.exitcode

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _fork(
    command: Command, cwd: Path, env: dict[str, str], stdout: Path, stderr: Path | None
) -> _Forked:
    process = _context().Process(
        target=_main, args=(command, str(cwd), env, str(stdout), stderr and str(stderr))
    )
    process.start()
    return _Forked(process, command.argv())


def _main(command: Command, cwd: str, env: dict[str, str], stdout: str, stderr: str | None) -> None:
    """In the forked process: become `python -m module` or `python script` and run."""
    import warm_imports

    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    _redirect(1, stdout)
    if stderr is None:
        os.dup2(1, 2)
    else:
        _redirect(2, stderr)
    # Unbuffered, as PYTHONUNBUFFERED=1 (sitekit.mkdocs_env) makes a cold run: stdout and
    # stderr interleave in the order they were written.
    sys.stdout = sys.__stdout__ = _text_stream(1, "strict")
    sys.stderr = sys.__stderr__ = _text_stream(2, "backslashreplace")
    atexit._clear()  # the server's own exit handlers are not this run's
    sys.argv = [str(command.script or command.module), *command.args]
    first = cwd if command.module else str(Path(command.script or "").resolve().parent)
    sys.path[:] = [first, *warm_imports.INTERPRETER_PATH]
    try:
        if command.module:
            runpy.run_module(command.module, run_name="__main__", alter_sys=True)
        else:
            runpy.run_path(str(command.script), run_name="__main__")
    finally:
        atexit._run_exitfuncs()  # what the interpreter runs at exit


def _redirect(fd: int, path: str) -> None:
    target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(target, fd)
    os.close(target)


def _text_stream(fd: int, errors: str) -> io.TextIOWrapper:
    raw = io.FileIO(fd, "w", closefd=False)
    return io.TextIOWrapper(raw, encoding="utf-8", errors=errors, write_through=True)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
