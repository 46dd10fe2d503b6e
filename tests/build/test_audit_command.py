"""`make audit`'s recipe: Lighthouse is installed with `npm ci` from audit/'s lock only when the
lock changes, into a node_modules git ignores; URL= audits a running server. (The audit itself
runs Lighthouse and is not part of `make test`.)"""

from __future__ import annotations

import subprocess

import sitekit

VENV_STAMP = ".venv/.installed-from-lock"
LIGHTHOUSE_STAMP = "audit/node_modules/.installed-from-lock"


def make_dry_run(*args: str) -> str:
    """What `make -n` would run; the venv counts as installed."""
    return subprocess.run(
        ["make", "--no-print-directory", "-n", "-o", VENV_STAMP, *args],
        cwd=sitekit.REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout


def test_a_changed_lock_reinstalls_lighthouse_with_npm_ci() -> None:
    recipe = make_dry_run("-W", "audit/package-lock.json", "audit")

    assert "cd audit && npm ci" in recipe
    assert f"touch {LIGHTHOUSE_STAMP}" in recipe
    assert recipe.rstrip().endswith("scripts/audit")


def test_an_installed_lighthouse_is_not_installed_again() -> None:
    recipe = make_dry_run("-o", LIGHTHOUSE_STAMP, "audit")

    assert "npm" not in recipe
    assert recipe.strip().endswith("scripts/audit")


def test_url_audits_a_running_server() -> None:
    recipe = make_dry_run("-o", LIGHTHOUSE_STAMP, "audit", "URL=http://127.0.0.1:8080/")

    assert "scripts/audit --url=http://127.0.0.1:8080/" in recipe


def test_the_installed_packages_are_not_committed() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "audit/node_modules/lighthouse/package.json"],
        cwd=sitekit.REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert ignored.returncode == 0, "audit/node_modules/ is not in .gitignore"
