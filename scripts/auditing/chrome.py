"""The Chromium that Lighthouse and axe drive: CHROME_PATH when the user sets it, else the
system's /usr/bin/chromium, else the one Playwright downloaded (a laptop without the system
package)."""

from __future__ import annotations

import os
from pathlib import Path

from phonebrowser import CHROMIUM_FLAGS as FLAGS
from phonebrowser import SYSTEM_CHROMIUM

# Lighthouse starts Chromium itself (chrome-launcher) and must be told to run it headless;
# Playwright adds its own headless switch.
LIGHTHOUSE_FLAGS: tuple[str, ...] = ("--headless=new", *FLAGS)


class NoChromium(Exception):
    """No Chromium to run the audit with; the message says how to get one."""


def chromium() -> Path:
    """The Chromium executable to audit with."""
    chosen = os.environ.get("CHROME_PATH")
    if chosen:
        if not Path(chosen).is_file():
            raise NoChromium(
                f"CHROME_PATH 指向的 {chosen} 不存在，请改成 Chromium 或 Chrome 的程序路径"
            )
        return Path(chosen)
    if SYSTEM_CHROMIUM.is_file():
        return SYSTEM_CHROMIUM
    bundled = _playwright_chromium()
    if bundled is not None:
        return bundled
    raise NoChromium(
        f"找不到 Chromium：请安装系统的 chromium（{SYSTEM_CHROMIUM}），"
        "或运行 .venv/bin/playwright install chromium，或用 CHROME_PATH 指定浏览器程序"
    )


def _playwright_chromium() -> Path | None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        path = Path(playwright.chromium.executable_path)
    return path if path.is_file() else None
