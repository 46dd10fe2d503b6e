"""Releases and the real nginx for the deploy, nginx and CSP tests.

A release is made by deploy.releases from a site built once (the `sample_site` fixture)
copied into the release folder, as `scripts/deploy` makes one from a fresh build; each carries
a `release.txt` naming it, so a test can tell which release nginx serves. nginx runs through
`scripts/serve-release`, as a maintainer starts it, on a free port of 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import runkit
import sitekit

sys.path.insert(0, str(sitekit.REPO_ROOT))

from huatuopin import urls

from deploy.releases import Deployed, Destination, deploy

MARKER = "release.txt"
START_TIMEOUT_SECONDS = 20
STOP_TIMEOUT_SECONDS = 15


@dataclass
class Clock:
    """A UTC clock that moves one minute each time it is read, so releases made one after
    the other in a test get distinct, ordered names without waiting."""

    now: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=UTC))

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def copy_of(site_dir: Path, marker: str) -> Callable[[Path], None]:
    """A release's contents: the built site, and `release.txt` saying `marker`."""

    def fill(folder: Path) -> None:
        shutil.copytree(site_dir, folder, dirs_exist_ok=True)
        (folder / MARKER).write_text(marker, encoding="utf-8")

    return fill


def deploy_copy(dest: Path, site_dir: Path, marker: str, clock: Clock) -> Deployed:
    return deploy(Destination(dest), copy_of(site_dir, marker), "test", clock=clock)


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes  # as sent (gzip when Content-Encoding says so)

    def text(self) -> str:
        data = self.body
        if self.headers.get("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        return data.decode("utf-8")


def get(url: str, *, gzip_ok: bool = True) -> Answer:
    """A GET as a browser sends it (accepting gzip unless told not to); errors are answers."""
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {"Accept-Encoding": "identity"}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


@dataclass
class Nginx:
    """`scripts/serve-release` running; `stop()` is Ctrl-C."""

    process: runkit.Running
    base_url: str
    log_path: Path

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT_SECONDS)


def start_nginx(dest: Path, log_dir: Path) -> Nginx:
    """`scripts/serve-release --dest <dest>` on a free port; returns once it answers."""
    port = sitekit.free_port()
    log_path = log_dir / f"serve-release-{port}.log"
    process = runkit.start(
        runkit.script(
            sitekit.REPO_ROOT / "scripts" / "serve-release", "--dest", str(dest), f"--port={port}"
        ),
        cwd=log_dir,
        env=sitekit.mkdocs_env(),
        log=log_path,
    )
    nginx = Nginx(process, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"serve-release exited with {process.returncode}:\n{nginx.output()}")
        with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError):
            get(nginx.url(f"/{MARKER}"))
            return nginx
        if time.monotonic() > deadline:
            nginx.stop()
            raise RuntimeError(f"nginx did not answer within {START_TIMEOUT_SECONDS} s")
        time.sleep(0.1)


@contextlib.contextmanager
def serving(dest: Path, log_dir: Path) -> Iterator[Nginx]:
    nginx = start_nginx(dest, log_dir)
    try:
        yield nginx
    finally:
        nginx.stop()


# -- facts of a built site ------------------------------------------------------------------


def site_copy(site_dir: Path, target: Path) -> Path:
    shutil.copytree(site_dir, target)
    return target


def read_facts(site: Path) -> dict[str, Any]:
    return json.loads((site / urls.RELEASE_FACTS).read_text("utf-8"))


def write_facts(site: Path, facts: dict[str, Any]) -> None:
    (site / urls.RELEASE_FACTS).write_text(
        json.dumps(facts, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8"
    )
