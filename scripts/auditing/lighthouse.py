"""Lighthouse on one URL, with its default mobile settings (a mid-range phone on a slow 4G
network, simulated), driving the Chromium of `chrome.py`. Lighthouse is an npm package in
audit/ (package.json and its lock), installed by `make audit` with `npm ci`."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from auditing import chrome
from auditing.targets import CATEGORIES

AUDIT_DIR = Path(__file__).resolve().parents[2] / "audit"
PROGRAM = AUDIT_DIR / "node_modules" / ".bin" / "lighthouse"
TIMEOUT_SECONDS = 300


class NoLighthouse(Exception):
    """Lighthouse is not installed in audit/node_modules."""


def installed() -> Path:
    if not PROGRAM.is_file():
        raise NoLighthouse(
            f"没有安装 Lighthouse（{PROGRAM}）：请用 make audit 运行，它会先在 audit/ 里运行 npm ci"
        )
    return PROGRAM


def run(
    url: str, browser: Path, report_path: Path, *, error_status: bool = False
) -> dict[str, Any]:
    """Lighthouse's JSON result for `url`, also saved at `report_path`. A page Lighthouse cannot
    measure gives a result with `runtimeError`, as Lighthouse itself reports one; so does one
    answering with an error status, unless `error_status` says it should (the 404 page)."""
    command = [
        str(installed()),
        url,
        "--output=json",
        f"--output-path={report_path}",
        f"--only-categories={','.join(category.id for category in CATEGORIES)}",
        f"--chrome-flags={' '.join(chrome.LIGHTHOUSE_FLAGS)}",
        # Audit titles in Chinese, for the summary.
        "--locale=zh",
        "--quiet",
    ]
    if error_status:
        command.append("--ignore-status-code")
    env = {**os.environ, "CHROME_PATH": str(browser)}
    try:
        completed = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired:
        return {"runtimeError": {"message": f"{TIMEOUT_SECONDS} 秒内没有完成"}}
    if completed.returncode != 0 or not report_path.is_file():
        said = (completed.stderr or completed.stdout).strip().splitlines()
        return {"runtimeError": {"message": said[-1] if said else f"退出码 {completed.returncode}"}}
    return json.loads(report_path.read_text(encoding="utf-8"))
