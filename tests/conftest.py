"""Fixtures shared by the build and browser tests; the helpers themselves are in sitekit.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sitekit
from playwright.sync_api import Browser, sync_playwright


@pytest.fixture
def serve_project() -> Iterator[sitekit.ServeProjectFactory]:
    """Start `mkdocs serve` on a project; every server started is stopped at teardown."""
    started: list[sitekit.ServedProject] = []

    def start(project: Path) -> sitekit.ServedProject:
        served = sitekit.start_serve(project)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sitekit.StaticSite]:
    """The repository's own content, built once with `--strict` and served over HTTP."""
    site_dir = tmp_path_factory.mktemp("sample-site") / "site"
    result = sitekit.build(sitekit.REPO_ROOT, strict=True, site_dir=site_dir)
    if result.returncode != 0:
        pytest.fail(
            f"`mkdocs build --strict` of the repository failed ({result.returncode}):\n"
            f"{result.output}"
        )
    with sitekit.serve_directory(site_dir) as base_url:
        yield sitekit.StaticSite(site_dir, base_url, result.output)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium, once per test module.

    Module scope, not session: Playwright's sync API allows one running instance per thread,
    so a module that starts its own must find none left running by an earlier module.
    """
    with sync_playwright() as playwright:
        chromium = sitekit.launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[sitekit.Phone]:
    """A phone-sized page of its own; fails the test on any request off 127.0.0.1 and on any
    uncaught JavaScript error."""
    context = browser.new_context(**sitekit.PHONE)
    phone = sitekit.Phone(context.new_page())
    context.route("**/*", phone.guard)
    phone.page.on("pageerror", lambda error: phone.script_errors.append(str(error)))
    yield phone
    context.close()
    assert not phone.blocked, f"requests to hosts other than 127.0.0.1: {phone.blocked}"
    assert not phone.script_errors, f"JavaScript errors: {phone.script_errors}"
