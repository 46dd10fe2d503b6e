"""axe-core (bundled with axe-playwright-python) on each page, in Chromium at a phone's size."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from phonebrowser import PHONE
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from auditing import chrome
from auditing.targets import AxeFindings, read_axe

LOAD_TIMEOUT_MS = 60_000


def run(urls: Iterable[str], browser_path: Path) -> Iterator[tuple[str, AxeFindings]]:
    """axe's findings for each URL, each page opened in a fresh phone."""
    axe = Axe()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(browser_path), args=list(chrome.FLAGS)
        )
        try:
            for url in urls:
                context = browser.new_context(**PHONE)
                try:
                    page = context.new_page()
                    response = page.goto(url, wait_until="load", timeout=LOAD_TIMEOUT_MS)
                    status = response.status if response is not None else None
                    yield url, read_axe(status, axe.run(page).response)
                except PlaywrightError as error:
                    yield url, AxeFindings(status=None, error=str(error).splitlines()[0])
                finally:
                    context.close()
        finally:
            browser.close()
