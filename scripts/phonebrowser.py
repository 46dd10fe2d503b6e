"""The phone every browser check of the project uses (tests, make audit, make bench) and how
Chromium is started for it: one definition, so the tests, the audit and the benchmark measure
the same reader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
# No first-run dialogs, updates or sync traffic to disturb what is measured; no sandbox
# because containers and CI run as root.
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
# A mid-range phone: the public reads the site on phones, mostly on slow rural networks.
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
}


def launch_options() -> dict[str, Any]:
    """Playwright's launch arguments: the system Chromium when installed, else Playwright's."""
    options: dict[str, Any] = {"args": list(CHROMIUM_FLAGS)}
    if SYSTEM_CHROMIUM.exists():
        options["executable_path"] = str(SYSTEM_CHROMIUM)
    return options
