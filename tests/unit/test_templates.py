"""Templates show finished view models: they spell no URL (`huatuopin.urls` owns them), reach
into no Catalog or gazetteer, and compute no figures (counts, sums, groups, sorting belong in
the views). Comments may name URLs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from huatuopin import urls

OVERRIDES = Path(__file__).resolve().parents[2] / "overrides"
TEMPLATES = sorted(path.relative_to(OVERRIDES).as_posix() for path in OVERRIDES.rglob("*.html"))

COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
SPELLED_URL = re.compile(
    rf"(?:^|[\"'/\s])/?(?:{'|'.join(urls.GENERATED_SPACES)})/|/page/", re.MULTILINE
)
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
CATALOG = re.compile(r"\bhp\.|\b(?:catalog|gazetteer)\b")
# Jinja filters that count, add up, group or order what a view should have finished.
COMPUTING = re.compile(r"\|\s*(?:length|count|sum|groupby|sort|unique|map|max|min)\b")


def findings(template: str, overrides: Path = OVERRIDES) -> list[str]:
    text = COMMENT.sub("", (overrides / template).read_text(encoding="utf-8"))
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        code = " ".join(JINJA.findall(line))
        for name, pattern, where in (
            ("spells a URL", SPELLED_URL, line),
            ("reads the Catalog", CATALOG, code),
            ("computes", COMPUTING, code),
        ):
            if pattern.search(where):
                found.append(f"{template}:{number}: {name}: {line.strip()}")
    return found


@pytest.mark.parametrize("template", TEMPLATES)
def test_template_shows_a_finished_view_model(template: str) -> None:
    assert findings(template) == []


def test_the_checks_see_what_they_look_for(tmp_path: Path) -> None:
    """Each check finds what it is about, and leaves comments, printed URLs and class names
    alone."""
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "t.html").write_text(
        '<a href="{{ base_url }}/stories/activity/{{ a.slug }}/">\n'
        '<a href="{{ base_url }}/{{ pager.next_url }}">{# /stories/page/2/ #}</a>\n'
        "{{ hp.catalog.stories | length }}\n"
        "{% for path, items in report.problems | sort | groupby('path') %}\n"
        '<p class="hp-count">共 {{ listing.total }} 篇</p>\n',
        encoding="utf-8",
    )
    found = [finding.split(": ")[0:2] for finding in findings("partials/t.html", tmp_path)]
    assert found == [
        ["partials/t.html:1", "spells a URL"],
        ["partials/t.html:3", "reads the Catalog"],
        ["partials/t.html:3", "computes"],
        ["partials/t.html:4", "computes"],
    ]
