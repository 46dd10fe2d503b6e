"""Throwaway MkDocs projects for the build and browser tests.

A project made here is a copy of the parts of the repository that make the site (mkdocs.yml,
overrides/, hooks/, docs/index.md, docs/assets/) plus the story folders a test writes. Builds,
`mkdocs serve` and scripts/check run in that copy, each in a process of its own, as a
contributor runs them (started warm by runkit.py). Every project uses the run's one media cache
(conftest.py) unless a test asks for its own.
Built sites are served by a small static server; `Phone` is a phone-sized Chromium page that
may reach 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple, NoReturn, Protocol

import pytest
import runkit
import yaml
from huatuopin.media.cache import CACHE_ENV, PROJECT_CACHE_ENV
from phonebrowser import CHROMIUM_FLAGS, PHONE, SYSTEM_CHROMIUM
from playwright.sync_api import Browser, Dialog, Page, Playwright
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

REPO_ROOT = Path(__file__).resolve().parents[1]
STORIES = Path("docs") / "stories"
# What a project needs besides its stories; docs/stories itself is written by each test.
COPIED_PATHS = ("mkdocs.yml", "overrides", "hooks", "docs/index.md", "docs/assets")
IGNORED_WHEN_COPYING = shutil.ignore_patterns("__pycache__", "*.pyc")
BUILD_TIMEOUT_SECONDS = 300
SERVE_START_TIMEOUT_SECONDS = 120
SERVE_STOP_TIMEOUT_SECONDS = 15
# No HTML page of the site may weigh more, at any size (issue 13; DESIGN.md: pages cost the
# same at 10 stories and at 10,000). Of it, Material's page around the content (header, nav of
# sections, footer, scripts) may take CHROME_BUDGET: tests/build checks that on the sample
# site, tests/unit/test_bounded_pages.py holds the content of province-size pages to the rest.
PAGE_BUDGET = 100_000
CHROME_BUDGET = 25_000


# The frab/c3voc schedule schemas live in shared/ beside the repository, where CI lays it; a
# newcomer's fresh clone has nothing beside it.
FRAB_REFERENCE = REPO_ROOT.parent / "shared" / "reference" / "frab-schedule"


def absent(reason: str) -> NoReturn:
    """Skip a test whose reference file or program is not on this machine, saying why; in CI,
    which installs and provides everything (.ci/run), fail instead: CI never skips a test."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def missing_here(program: str) -> bool:
    """True when `program` is not installed and this is not CI, for `skipif`: in CI the
    test runs anyway and fails on the missing program."""
    return shutil.which(program) is None and not os.environ.get("CI")


def frab_reference(name: str) -> Path:
    """A frab schema from shared/; skips the test, saying why, when shared/ is not there
    (fails in CI, which always has it)."""
    path = FRAB_REFERENCE / name
    if not path.is_file():
        absent(f"{path} is absent: the frab schemas come from shared/ beside the repository")
    return path


def mkdocs_env(*, own_media_cache: bool = False) -> dict[str, str]:
    """The environment every mkdocs subprocess runs with: the run's shared media cache
    (conftest.py), or with `own_media_cache` the project's own, as mkdocs.yml sets it."""
    env = dict(os.environ)
    # As run from a shell, whether or not the tests themselves run under `make test`: under
    # make (MAKELEVEL) the scripts end a refusal with status 0 (scripts/_stop.py).
    env.pop("MAKELEVEL", None)
    env.pop("MAKEFLAGS", None)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.setdefault("PYTHONUNBUFFERED", "1")
    if own_media_cache:
        env.pop(CACHE_ENV, None)
        env.pop(PROJECT_CACHE_ENV, None)
    return env


def mkdocs_command(*args: str) -> list[str]:
    """`mkdocs <args>` with the interpreter running the tests (the project's .venv)."""
    return [sys.executable, "-m", "mkdocs", *args]


# -- projects --------------------------------------------------------------------------------


def make_project(
    root: Path,
    stories: Mapping[str, str],
    *,
    campaign: Mapping[str, Any] | None = None,
    files: Mapping[str, bytes] | None = None,
) -> Path:
    """A fresh project in `root`: the repository's site machinery plus the given stories.

    `stories` maps a story folder name to the text of its `index.md`; `files` maps a path
    relative to docs/stories (e.g. `2021-03-12-x/cover.jpg`) to bytes written beside them.
    `campaign` overrides keys of `extra.campaign` (`override_config`).
    """
    root.mkdir(parents=True, exist_ok=True)
    for relative in COPIED_PATHS:
        source = REPO_ROOT / relative
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=IGNORED_WHEN_COPYING)
        else:
            shutil.copy2(source, target)
    if campaign:
        override_config(root, {"extra": {"campaign": dict(campaign)}})
    stories_dir = root / STORIES
    stories_dir.mkdir(parents=True, exist_ok=True)
    for folder, text in stories.items():
        (stories_dir / folder).mkdir(parents=True, exist_ok=True)
        (stories_dir / folder / "index.md").write_text(text, encoding="utf-8")
    for relative_path, content in (files or {}).items():
        path = stories_dir / relative_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return root


def override_config(project: Path, overrides: Mapping[str, Any]) -> None:
    """Change settings of a project's mkdocs.yml without rewriting it: the first call moves it
    to `mkdocs.base.yml` and writes a short mkdocs.yml that inherits from it (MkDocs merges
    mappings key by key), so comments, YAML tags and relative paths of the original keep
    working; later calls add to that short file."""
    config_path = project / "mkdocs.yml"
    if (project / "mkdocs.base.yml").exists():
        config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    else:
        config_path.rename(project / "mkdocs.base.yml")
        config = {"INHERIT": "mkdocs.base.yml"}
    _merge(config, overrides)
    config_path.write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def _merge(into: dict[str, Any], overrides: Mapping[str, Any]) -> None:
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def line_of(text: str, needle: str, occurrence: int = 1, *, starts: bool = False) -> int:
    """The 1-based number of the `occurrence`-th line of `text` holding `needle` (starting
    with it, with `starts`). Lines end at "\n" only, as the loaders count them."""
    seen = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith(needle) if starts else needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} (occurrence {occurrence}) is on no line of:\n{text}")


def read_config(project: Path = REPO_ROOT) -> dict[str, Any]:
    """A project's mkdocs.yml as MkDocs reads it (tags such as !ENV and INHERIT included)."""
    from mkdocs.utils.yaml import yaml_load

    with (project / "mkdocs.yml").open(encoding="utf-8") as config_file:
        return yaml_load(config_file)


def front_matter(index_md: Path) -> dict[str, Any]:
    """The YAML front-matter of a story's index.md."""
    text = index_md.read_text(encoding="utf-8-sig")
    _, block, _ = text.split("---\n", 2)
    data = yaml.safe_load(block)
    assert isinstance(data, dict), f"{index_md}: front-matter is not a mapping"
    return data


def repo_stories() -> dict[str, dict[str, Any]]:
    """Front-matter of every story in the repository, by folder, drafts included; withdrawn
    ones are not stories any more (their front-matter is only `withdrawn:`)."""
    stories = {
        index.parent.name: front_matter(index)
        for index in sorted((REPO_ROOT / STORIES).glob("*/index.md"))
    }
    return {folder: data for folder, data in stories.items() if "withdrawn" not in data}


# -- builds ----------------------------------------------------------------------------------


class BuildResult(NamedTuple):
    """What `build` returns; unpacks as `(returncode, output, site_dir)`."""

    returncode: int
    output: str  # stdout and stderr, interleaved
    site_dir: Path


def build(
    project: Path,
    *,
    strict: bool = True,
    site_dir: Path | None = None,
    own_media_cache: bool = False,
) -> BuildResult:
    """Run `mkdocs build [--strict] [-d site_dir]` in `project`."""
    site_dir = (site_dir or project / "site").resolve()
    args = ["build", "-d", str(site_dir)]
    if strict:
        args.append("--strict")
    completed = runkit.run(
        runkit.mkdocs(*args),
        cwd=project,
        env=mkdocs_env(own_media_cache=own_media_cache),
        timeout=BUILD_TIMEOUT_SECONDS,
        merge_stderr=True,
    )
    return BuildResult(completed.returncode, completed.stdout, site_dir)


def build_once(site_dir: Path, build: Callable[[], BuildResult]) -> BuildResult:
    """`build()` into `site_dir` once per test run: a test process that finds another has
    done it (or is doing it: they take turns on a lock beside it) gets that build's result."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    record = site_dir.with_name(f"{site_dir.name}.build.json")
    with site_dir.with_name(f"{site_dir.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if record.is_file():
            done = json.loads(record.read_text(encoding="utf-8"))
            return BuildResult(done["returncode"], done["output"], site_dir)
        result = build()
        record.write_text(
            json.dumps({"returncode": result.returncode, "output": result.output}), "utf-8"
        )
        return result


class MediaCounts(NamedTuple):
    """The build's media line: files looked at, read (probed), groups made, groups reused."""

    files: int
    read: int
    encoded: int
    reused: int


MEDIA_LINE = re.compile(r"媒体文件：(\d+) 个；读取 (\d+) 个，新生成 (\d+) 组，沿用缓存 (\d+) 组")


def media_counts(output: str) -> MediaCounts:
    """What a build's log says it did with the media (the last build, under serve)."""
    found = MEDIA_LINE.findall(output)
    assert found, f"no media line in the build's output:\n{output}"
    return MediaCounts(*(int(n) for n in found[-1]))


def check(project: Path) -> subprocess.CompletedProcess[str]:
    """Run `scripts/check` (what `make check` runs) on `project`'s mkdocs.yml."""
    return run_script("check", project)


def run_script(
    name: str, project: Path, *args: str, own_media_cache: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run `scripts/<name> --config <project>/mkdocs.yml [args]`, as its make target does."""
    return runkit.run(
        runkit.script(REPO_ROOT / "scripts" / name, "--config", str(project / "mkdocs.yml"), *args),
        cwd=project,
        env=mkdocs_env(own_media_cache=own_media_cache),
        timeout=BUILD_TIMEOUT_SECONDS,
    )


# -- mkdocs serve ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class ServedProject:
    """A running `mkdocs serve`; `stop()` ends it (SIGINT first, as Ctrl-C would)."""

    process: runkit.Running
    base_url: str  # without a trailing slash, e.g. http://127.0.0.1:41234
    log_path: Path

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=SERVE_STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=SERVE_STOP_TIMEOUT_SECONDS)


class ServeProjectFactory(Protocol):
    def __call__(self, project: Path, *, own_media_cache: bool = False) -> ServedProject: ...


def start_serve(
    project: Path, *, timeout: float = SERVE_START_TIMEOUT_SECONDS, own_media_cache: bool = False
) -> ServedProject:
    """Start `mkdocs serve` on a free port of 127.0.0.1 and return once it serves `/`."""
    port = free_port()
    log_path = project / f"serve-{port}.log"
    process = runkit.start(
        # --dirty as make serve (scripts/serve): only the pages an edit changed are made again.
        runkit.mkdocs("serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"),
        cwd=project,
        env=mkdocs_env(own_media_cache=own_media_cache),
        log=log_path,
    )
    served = ServedProject(process, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            served.stop()
            raise RuntimeError(f"mkdocs serve exited with {process.returncode}:\n{served.output()}")
        try:
            with urllib.request.urlopen(served.url("/"), timeout=5) as response:
                if response.status == 200:
                    return served
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            served.stop()
            raise RuntimeError(
                f"mkdocs serve did not answer within {timeout:.0f} s:\n{served.output()}"
            )
        time.sleep(0.2)


def fetch(url: str) -> tuple[int, str]:
    """(HTTP status, body text) of a GET; error statuses are returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


# -- a static server for built sites ---------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class StaticSite:
    site_dir: Path
    base_url: str  # without a trailing slash
    build_output: str

    def url(self, path: str = "/") -> str:
        return self.base_url + path


class _NotFoundPageHandler(_QuietHandler):
    """Answers an unknown path with the site's 404.html and status 404, as nginx does."""

    not_found_page: Path

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404 or not self.not_found_page.is_file():
            super().send_error(code, message, explain)
            return
        body = self.not_found_page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


# overrides/redirect.html: the page at a moved story's old address only leads to its new one.
REDIRECT_PAGE_MARK = '<meta http-equiv="refresh"'


def site_pages(site_dir: Path, name: str = "*.html") -> list[Path]:
    """The HTML pages of a built site, sorted: every file matching `name` but the redirect
    pages at moved stories' old addresses, which are no pages of the site (no chrome, no
    stylesheet, no share part; tests/build/test_redirects_build.py checks them)."""
    return [
        path
        for path in sorted(site_dir.rglob(name))
        if REDIRECT_PAGE_MARK not in path.read_text(encoding="utf-8")
    ]


@contextlib.contextmanager
def serve_directory(directory: Path, *, not_found: str | None = None) -> Iterator[str]:
    """Serve `directory` over HTTP on 127.0.0.1 (threaded); yields the base URL. With
    `not_found` (a file in `directory`, e.g. "404.html"), unknown paths get that page."""
    if not_found is None:
        handler = partial(_QuietHandler, directory=str(directory))
    else:
        page = directory / not_found
        handler_class = type("NotFound", (_NotFoundPageHandler,), {"not_found_page": page})
        handler = partial(handler_class, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="static-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=SERVE_STOP_TIMEOUT_SECONDS)


# -- a phone in Chromium ---------------------------------------------------------------------

CHROMIUM_ARGS = list(CHROMIUM_FLAGS)
LOCAL_HOST = "127.0.0.1"
# Chromium sends everything except 127.0.0.1 through a proxy that is not there (nothing listens
# on port 1), so no page reaches another host, whatever the protocol: a Playwright route would
# miss WebSockets, and intercepting every request costs a third of each page load. The phones
# record each such request, and their fixtures fail the test on it.
OFFLINE = {"server": f"http://{LOCAL_HOST}:1", "bypass": LOCAL_HOST}
NETWORK_SCHEMES = ("http", "https", "ws", "wss")
SCREENSHOTS = REPO_ROOT / "tests" / "browser" / "screenshots"


def launch_chromium(playwright: Playwright) -> Browser:
    """The system Chromium if installed, else Playwright's own; never a silent skip."""
    if SYSTEM_CHROMIUM.exists():
        try:
            return playwright.chromium.launch(
                executable_path=str(SYSTEM_CHROMIUM), args=CHROMIUM_ARGS, proxy=OFFLINE
            )
        except PlaywrightError as error:
            pytest.fail(f"{SYSTEM_CHROMIUM} exists but Playwright cannot launch it:\n{error}")
    try:
        return playwright.chromium.launch(args=CHROMIUM_ARGS, proxy=OFFLINE)
    except PlaywrightError as error:
        pytest.fail(
            f"No Chromium for the browser tests (CI={os.environ.get('CI', 'unset')}). "
            "Install the system package (`apt-get install chromium fonts-noto-cjk`, giving "
            "/usr/bin/chromium) or Playwright's build (`.venv/bin/playwright install chromium`)."
            f"\n{error}"
        )


@dataclass
class Visit:
    """What happened while a page was open (`Phone.visit`)."""

    url: str
    went_to: str | None  # where the page went, if it left `url`
    dialogs: list[str]
    blocked: list[str]


@dataclass
class Phone:
    """A phone-sized page in a browser context of its own, with every request it made, every
    one it was refused, every uncaught script error and every dialog a page opened.

    Only 127.0.0.1 is reachable (`OFFLINE`): a request or WebSocket to any other host fails
    and is collected in `blocked`. Dialogs are dismissed and collected in `dialogs`. The
    `phone` fixtures fail the test on anything blocked, any script error and any dialog.
    """

    page: Page
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @classmethod
    def in_browser(cls, browser: Browser, **options: Any) -> Phone:
        """A new phone; `options` change the context's (e.g. `java_script_enabled=False`)."""
        context = browser.new_context(**{**PHONE, **options})
        phone = cls(context.new_page())
        context.on("request", lambda request: phone._saw(request.url))
        phone.page.on("websocket", lambda socket: phone._saw(socket.url))
        phone.page.on("pageerror", lambda error: phone.script_errors.append(str(error)))
        phone.page.on("dialog", phone._dismiss)
        return phone

    def close(self) -> None:
        self.page.context.close()

    def assert_nothing_went_wrong(self) -> None:
        assert not self.blocked, f"requests to hosts other than 127.0.0.1: {self.blocked}"
        assert not self.script_errors, f"JavaScript errors: {self.script_errors}"
        assert not self.dialogs, f"dialogs opened: {self.dialogs}"

    def _saw(self, url: str) -> None:
        self.requests.append(url)
        parts = urllib.parse.urlsplit(url)
        if parts.scheme in NETWORK_SCHEMES and parts.hostname != LOCAL_HOST:
            self.blocked.append(url)

    def _dismiss(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def open(self, url: str) -> Page:
        response = self.page.goto(url, wait_until="load")
        assert response is not None and response.ok, f"GET {url}: {response and response.status}"
        return self.page

    def visit(self, url: str, *, settle_ms: int) -> Visit:
        """Open `url` and leave it `settle_ms` after its load event, for what would run late
        (autofocus handlers, timers, a refresh after 0 s); what happened meanwhile."""
        return self.finish_visit(self.start_visit(url), settle_ms=settle_ms)

    def start_visit(self, url: str) -> tuple[str, int, int, float]:
        """The first half of `visit`: open `url` and note when it had loaded."""
        marks = (url, len(self.dialogs), len(self.blocked))
        self.page.goto(url, wait_until="load")
        return (*marks, time.monotonic())

    def finish_visit(self, started: tuple[str, int, int, float], *, settle_ms: int) -> Visit:
        """The second half of `visit`: wait out the rest of `settle_ms` and report."""
        url, dialogs, blocked, loaded = started
        left = loaded + settle_ms / 1000 - time.monotonic()
        if left > 0:
            self.page.wait_for_timeout(left * 1000)
        here = urllib.parse.urlsplit(self.page.url)
        stayed = here.hostname == LOCAL_HOST and here.path == urllib.parse.urlsplit(url).path
        return Visit(
            url, None if stayed else self.page.url, self.dialogs[dialogs:], self.blocked[blocked:]
        )

    def assert_no_horizontal_scroll(self, *, settle_ms: int = 0) -> None:
        """The page is no wider than the phone; `settle_ms` lets a transition finish first."""
        fits = "() => document.documentElement.scrollWidth <= window.innerWidth"
        if settle_ms:
            with contextlib.suppress(PlaywrightTimeout):
                self.page.wait_for_function(fits, timeout=settle_ms)
        widths = self.page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert widths[0] <= widths[1], (
            f"{self.page.url} scrolls sideways: content {widths[0]}px, window {widths[1]}px; "
            f"too wide: {self.too_wide()}"
        )

    def assert_content_fits(self, *, scrolling_inside: str = ".hp-chart__frame") -> None:
        """No sideways scroll, and nothing in the content sticks out to the right, except
        inside `scrolling_inside` (a frame that scrolls on its own)."""
        self.assert_no_horizontal_scroll()
        sticking_out = self.page.evaluate(
            """inside => [...document.querySelectorAll('.md-content *')]
                .filter(e => !e.closest(inside))
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                .slice(0, 5).map(e => e.tagName + '.' + [...e.classList].join('.'))""",
            scrolling_inside,
        )
        assert not sticking_out, f"{self.page.url}: elements past the right edge: {sticking_out}"

    def too_wide(self) -> list[str]:
        """Elements that stick out to the right of the window (for failure messages)."""
        return self.page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                .slice(0, 8)
                .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`)"""
        )

    def screenshot(self, name: str, *, full_page: bool = True) -> None:
        """`<name>.png` (the first screen) and, unless told not to, `<name>-full.png`."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{name}.png", animations="disabled")
        if full_page:
            self.page.screenshot(
                path=SCREENSHOTS / f"{name}-full.png", animations="disabled", full_page=True
            )


class PhoneFactory(Protocol):
    """The `new_phone` fixture: `new_phone(**context_options)`."""

    def __call__(self, **options: Any) -> Phone: ...


def visit_each(
    phones: list[Phone], urls: list[str], *, settle_ms: int
) -> Iterator[tuple[Phone, Visit]]:
    """`Phone.visit` of every url in order, the phones taking turns: while one page settles,
    the next phone loads the next url. Each pair is yielded while its page is still open, to
    be inspected before the loop goes on."""
    started = [phone.start_visit(url) for phone, url in zip(phones, urls, strict=False)]
    for index in range(len(urls)):
        phone = phones[index % len(phones)]
        yield phone, phone.finish_visit(started[index], settle_ms=settle_ms)
        following = index + len(phones)
        if following < len(urls):
            started.append(phone.start_visit(urls[following]))


# -- fixture content ---------------------------------------------------------------------


def story_text(
    title: str,
    *,
    date: str = "2021-03-12",
    activity: str = "入户访",
    city: str = "开封市",
    county: str = "兰考县",
    village: str = "张庄村",
    form: str = "文章",
    summary: str = "驻村工作队陪着老党员算了一笔收入账。",
    body: str = "村里的光伏板一排排立在屋顶上。",
    extra: str = "",
) -> str:
    """A valid story's index.md; `extra` is appended to the front-matter as written."""
    return (
        "---\n"
        f"title: {title}\n"
        f"date: {date}\n"
        f"activity: {activity}\n"
        f"city: {city}\n"
        f"county: {county}\n"
        f"village: {village}\n"
        f"form: {form}\n"
        "authors:\n"
        "  - name: 王小红\n"
        "    role: 媒体记者\n"
        f"summary: {summary}\n"
        f"{extra}"
        "---\n"
        "\n"
        f"{body}\n"
    )
