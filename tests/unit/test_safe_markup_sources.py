"""Trusted HTML is marked safe in one place: never in a template, only in huatuopin.safehtml."""

from __future__ import annotations

import re
from pathlib import Path

import sitekit

REPO = sitekit.REPO_ROOT
SAFE_HTML_MODULE = REPO / "hooks" / "huatuopin" / "safehtml.py"
# The `safe` filter or `{% autoescape false %}`.
TEMPLATE_BYPASS = re.compile(r"\|\s*safe\b|autoescape\s+false", re.IGNORECASE)
MARKUP_CALL = re.compile(r"\bMarkup\s*\(")


def python_sources() -> list[Path]:
    return sorted(
        path
        for folder in ("hooks", "scripts")
        for path in (REPO / folder).rglob("*")
        if path.is_file()
        and (path.suffix == ".py" or (folder == "scripts" and path.suffix == ""))
        and "__pycache__" not in path.parts
    )


def test_no_template_marks_anything_safe() -> None:
    templates = sorted((REPO / "overrides").rglob("*.html"))
    assert templates

    offenders = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in templates
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if TEMPLATE_BYPASS.search(line)
    ]
    assert offenders == []


def test_only_the_safe_html_module_calls_markup() -> None:
    sources = python_sources()
    assert SAFE_HTML_MODULE in sources

    offenders = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in sources
        if path != SAFE_HTML_MODULE
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if MARKUP_CALL.search(line)
    ]
    assert offenders == []
