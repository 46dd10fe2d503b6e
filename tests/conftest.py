"""Fixtures shared by the unit, build and browser tests; the helpers are in sitekit.py."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sitekit
from huatuopin.media.cache import CACHE_ENV
from playwright.sync_api import Browser, sync_playwright


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this test run shared by both xdist workers (each also has its own)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session", autouse=True)
def shared_media_cache(run_dir: Path) -> Iterator[Path]:
    """One media cache for every project of the run, both xdist workers included, so the
    sample photos and videos are encoded once: builds in-process and in subprocesses (which
    inherit the environment) all find it through HUATUOPIN_MEDIA_CACHE. The cache is
    content-addressed and written atomically, so concurrent builds can share it."""
    cache = run_dir / "media-cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(cache))
        yield cache


@pytest.fixture
def private_media_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests about the cache itself (cold and warm, what is read, what is kept): each
    project uses its own `.cache/media`, as it does outside the tests."""
    monkeypatch.delenv(CACHE_ENV)


@pytest.fixture
def serve_project() -> Iterator[sitekit.ServeProjectFactory]:
    """Start `mkdocs serve` on a project; every server started is stopped at teardown."""
    started: list[sitekit.ServedProject] = []

    def start(project: Path, *, own_media_cache: bool = False) -> sitekit.ServedProject:
        served = sitekit.start_serve(project, own_media_cache=own_media_cache)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


@pytest.fixture(scope="session")
def sample_site(run_dir: Path) -> Iterator[sitekit.StaticSite]:
    """The repository's own content, built once per run with `--strict` (by whichever worker
    needs it first) and served over HTTP by each worker; tests only read it."""
    site_dir = run_dir / "sample-site" / "site"
    result = sitekit.build_once(
        site_dir, lambda: sitekit.build(sitekit.REPO_ROOT, strict=True, site_dir=site_dir)
    )
    if result.returncode != 0:
        pytest.fail(
            f"`mkdocs build --strict` of the repository failed ({result.returncode}):\n"
            f"{result.output}"
        )
    with sitekit.serve_directory(site_dir) as base_url:
        yield sitekit.StaticSite(site_dir, base_url, result.output)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Chromium, once per test process (each xdist worker has its own). Every browser test
    takes it from here: Playwright's sync API allows one running instance per thread."""
    with sync_playwright() as playwright:
        chromium = sitekit.launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def new_phone(browser: Browser) -> Iterator[sitekit.PhoneFactory]:
    """Makes phones (`new_phone(java_script_enabled=False)`, a user agent …), each a page in a
    context of its own; at teardown each is closed, and the test fails if one requested
    anything off 127.0.0.1, hit an uncaught JavaScript error or opened a dialog."""
    phones: list[sitekit.Phone] = []

    def make(**options: Any) -> sitekit.Phone:
        phone = sitekit.Phone.in_browser(browser, **options)
        phones.append(phone)
        return phone

    yield make
    for phone in phones:
        phone.close()
    for phone in phones:
        phone.assert_nothing_went_wrong()


@pytest.fixture
def phone(new_phone: sitekit.PhoneFactory) -> sitekit.Phone:
    """A phone-sized page of its own (see `new_phone`)."""
    return new_phone()
