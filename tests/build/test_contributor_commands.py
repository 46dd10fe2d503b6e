"""The contributor commands answer clearly: a busy port, Ctrl-C or Ctrl-D end `make serve` and
`make new-story` with one Chinese line, no traceback and nothing half-written; PORT picks the
preview's port; new-story names the folder by the interview date.

The scripts run as subprocesses, as a contributor runs them; `make` runs with the venv's stamp
marked old-enough (`-o`), so it never reinstalls anything.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import sitekit

SCRIPTS = sitekit.REPO_ROOT / "scripts"
STAMP = ".venv/.installed-from-lock"
CANCELLED = "已取消，没有创建任何文件。"
ANSWERS = {
    "title": "张庄的新日子",
    "date": "2021-05-09",
    "city": "开封市",
    "county": "兰考县",
    "township": "",
    "village": "张庄村",
    "activity": "入户访",
    "form": "文章",
    "author": "王小红",
    "role": "媒体记者",
    "org": "",
}
COMMAND_TIMEOUT_SECONDS = 60


def make(*args: str, stdin: int | None = subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "-o", STAMP, *args],
        cwd=sitekit.REPO_ROOT,
        env=sitekit.mkdocs_env(),
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
        check=False,
    )


def serve_script(*args: str) -> subprocess.CompletedProcess[str]:
    """scripts/serve run by hand, as a contributor would."""
    return subprocess.run(
        [sys.executable, str(SCRIPTS / "serve"), *args],
        env=sitekit.mkdocs_env(),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
        check=False,
    )


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port of 127.0.0.1 that another program is listening on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield int(holder.getsockname()[1])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return sitekit.make_project(tmp_path / "project", {})


def stories_in(project: Path) -> list[str]:
    return sorted(path.name for path in (project / "docs" / "stories").iterdir())


# -- make serve -------------------------------------------------------------------------------


def test_serve_on_a_busy_port_says_so_in_one_line(busy_port: int) -> None:
    started = time.monotonic()
    completed = serve_script(f"--port={busy_port}")

    assert completed.returncode == 1
    assert completed.stdout == ""
    assert completed.stderr.strip() == (
        f"端口 {busy_port} 已被占用（可能另一个 make serve 还开着）；"
        "请先关掉它，或换一个端口：make serve PORT=8001"
    )
    # Said before the site is built, not after.
    assert time.monotonic() - started < 10


def test_make_serve_on_a_busy_port_ends_with_that_line(busy_port: int) -> None:
    completed = make("serve", f"PORT={busy_port}")

    assert "Traceback" not in completed.stdout
    assert last_line(completed.stdout).startswith(f"端口 {busy_port} 已被占用")
    assert "make: ***" not in completed.stdout


def test_port_that_is_not_a_number_is_explained() -> None:
    completed = serve_script("--port=八千")

    assert completed.returncode == 1
    assert completed.stderr.strip().startswith("“八千”不是端口号")


def test_make_serve_takes_the_port_from_port() -> None:
    assert "scripts/serve --port=8001" in make("-n", "serve", "PORT=8001").stdout
    assert "scripts/serve --port=8000" in make("-n", "serve").stdout


def test_serve_previews_on_the_chosen_port(project: Path) -> None:
    port = sitekit.free_port()
    log_path = project / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                str(SCRIPTS / "serve"),
                f"--port={port}",
                "--config",
                str(project / "mkdocs.yml"),
            ],
            env=sitekit.mkdocs_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            html = wait_for_page(f"http://127.0.0.1:{port}/", process, log_path)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=sitekit.SERVE_STOP_TIMEOUT_SECONDS)
    assert "话脱贫" in html
    assert "Traceback" not in log_path.read_text("utf-8", errors="replace")


def wait_for_page(url: str, process: subprocess.Popen[bytes], log_path: Path) -> str:
    deadline = time.monotonic() + sitekit.SERVE_START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited with {process.returncode}:\n{log_path.read_text('utf-8')}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    pytest.fail(f"serve did not answer at {url}:\n{log_path.read_text('utf-8')}")


# -- make new-story ---------------------------------------------------------------------------


def new_story(project: Path, *flags: str) -> list[str]:
    return [
        sys.executable,
        str(SCRIPTS / "new-story"),
        "--config",
        str(project / "mkdocs.yml"),
        *flags,
    ]


def test_closed_stdin_cancels_in_one_line(project: Path) -> None:
    completed = subprocess.run(
        new_story(project),
        stdin=subprocess.DEVNULL,
        env=sitekit.mkdocs_env(),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
        check=False,
    )

    assert completed.returncode == 1
    assert completed.stderr.strip() == CANCELLED
    assert "Traceback" not in completed.stdout + completed.stderr
    assert stories_in(project) == []


def read_until(stream: int, needle: str, process: subprocess.Popen[bytes]) -> str:
    """What the process printed until `needle` (a question waiting for its answer)."""
    seen = b""
    deadline = time.monotonic() + COMMAND_TIMEOUT_SECONDS
    while needle.encode() not in seen:
        assert time.monotonic() < deadline and process.poll() is None, seen.decode()
        ready, _, _ = select.select([stream], [], [], 0.2)
        if ready:
            seen += os.read(stream, 4096)
    return seen.decode()


@pytest.mark.parametrize("answered", [0, 4], ids=["at-the-first-question", "half-way"])
def test_ctrl_c_cancels_in_one_line(project: Path, answered: int) -> None:
    process = subprocess.Popen(
        new_story(project),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=sitekit.mkdocs_env(),
    )
    assert process.stdin is not None and process.stdout is not None
    keys = list(ANSWERS)
    read_until(process.stdout.fileno(), "标题", process)
    for key in keys[:answered]:
        process.stdin.write(f"{ANSWERS[key]}\n".encode())
        process.stdin.flush()
    if answered:
        read_until(process.stdout.fileno(), "乡镇", process)  # the fifth question
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=COMMAND_TIMEOUT_SECONDS)

    assert process.returncode == 130
    assert stderr.decode().strip() == CANCELLED
    assert stories_in(project) == []


def test_make_new_story_ends_with_the_cancel_line() -> None:
    stories = sitekit.REPO_ROOT / "docs" / "stories"
    before = sorted(stories.iterdir())

    completed = make("new-story")

    assert last_line(completed.stdout) == CANCELLED
    assert "Traceback" not in completed.stdout
    assert "make: ***" not in completed.stdout
    assert sorted(stories.iterdir()) == before


def test_answers_name_the_folder_by_the_interview_date(project: Path) -> None:
    completed = subprocess.run(
        new_story(project),
        input="".join(f"{value}\n" for value in ANSWERS.values()),
        env=sitekit.mkdocs_env(),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert "采访日期" in completed.stdout
    [folder] = stories_in(project)
    assert folder.startswith("2021-05-09-")
    index = project / "docs" / "stories" / folder / "index.md"
    assert "\ndate: 2021-05-09\n" in index.read_text("utf-8")


def test_date_flag_names_the_folder_too(project: Path) -> None:
    flags = [f"--{key}={value}" for key, value in ANSWERS.items() if value]
    completed = subprocess.run(
        new_story(project, *flags, "--slug=zhangzhuang"),
        stdin=subprocess.DEVNULL,
        env=sitekit.mkdocs_env(),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert stories_in(project) == ["2021-05-09-zhangzhuang"]
