"""What a build publishes for redirects.yml: a standalone page at every old address that
leads to the new one (relative, so it works on any host), and nginx's map of them all."""

from __future__ import annotations

import re
from pathlib import Path

import storykit
from huatuopin import urls
from huatuopin.catalog import Catalog
from huatuopin.gazetteer import load_gazetteer
from huatuopin.media.pipeline import MediaPublication
from huatuopin.views import ViewSet
from huatuopin.views.build import build_views

NEW = "2021-03-12-zhangzhuang"
OLD = "2021-03-12-old-name"
OLDER = "2021-02-01-first-name"
SITE_URL = "https://huatuopin.example.org/"


def moved(root: Path, lines: str) -> Catalog:
    storykit.write_story(root, {"title": "张庄的光伏板"}, folder=NEW)
    (root / "redirects.yml").write_text(f"redirect_maps:\n{lines}", encoding="utf-8")
    catalog = storykit.catalog(root)
    assert catalog.problems == ()
    return catalog


def files_of(catalog: Catalog, site_url: str | None = SITE_URL) -> dict[str, str]:
    views: ViewSet = build_views(
        catalog,
        MediaPublication(),
        load_gazetteer(),
        serving=False,
        site_url=site_url,
        docs_dir=Path("docs"),
        env=storykit.template_env(),
    )
    return {path: str(content) for path, content in views.files}


def test_the_old_address_holds_a_page_that_leads_to_the_new_one(tmp_path: Path) -> None:
    html = files_of(moved(tmp_path, f"  {OLD}: {NEW}\n"))[f"stories/{OLD}/index.html"]
    assert html.startswith("<!doctype html>")
    assert f'<meta http-equiv="refresh" content="0; url=../{NEW}/">' in html
    assert f'<link rel="canonical" href="{SITE_URL}stories/{NEW}/">' in html
    assert '<meta name="robots" content="noindex">' in html
    assert f'<a href="../{NEW}/">本文已移至新地址</a>：张庄的光伏板' in html
    # The site's CSP refuses inline script and style, and the page needs neither.
    assert not re.search(r"<script|<style|\sstyle=|\son[a-z]+=", html)


def test_without_site_url_the_page_has_no_canonical_link(tmp_path: Path) -> None:
    html = files_of(moved(tmp_path, f"  {OLD}: {NEW}\n"), None)[f"stories/{OLD}/index.html"]
    assert "canonical" not in html
    assert f'content="0; url=../{NEW}/"' in html


def test_the_nginx_map_has_every_old_address(tmp_path: Path) -> None:
    files = files_of(moved(tmp_path, f"  {OLDER}: {OLD}\n  {OLD}: {NEW}\n"))
    lines = files[urls.REDIRECTS_MAP].splitlines()
    assert lines[0].startswith("#")
    assert lines[1:] == [
        f'"/stories/{OLDER}/" "/stories/{NEW}/";',
        f'"/stories/{OLD}/" "/stories/{NEW}/";',
    ]
    assert {f"stories/{OLDER}/index.html", f"stories/{OLD}/index.html"} <= set(files)


def test_the_page_before_a_story_taken_down_shows_nothing_of_it(tmp_path: Path) -> None:
    moved(tmp_path, f"  {OLD}: {NEW}\n")
    index = tmp_path / "docs" / "stories" / NEW / "index.md"
    index.write_text(
        "---\nwithdrawn:\n  date: 2021-08-01\n  reason: 当事人要求撤下\n---\n", "utf-8"
    )
    catalog = storykit.catalog(tmp_path)
    assert catalog.problems == ()
    files = files_of(catalog)
    html = files[f"stories/{OLD}/index.html"]
    assert f'<a href="../{NEW}/">本文已移至新地址</a></p>' in html
    assert "张庄的光伏板" not in html
    assert f'"/stories/{OLD}/" "/stories/{NEW}/";' in files[urls.REDIRECTS_MAP]


def test_the_map_is_written_without_redirects_too(tmp_path: Path) -> None:
    storykit.write_story(tmp_path, folder=NEW)
    files = files_of(storykit.catalog(tmp_path))
    assert [line[0] for line in files[urls.REDIRECTS_MAP].splitlines()] == ["#"]
    assert not any(path.endswith("index.html") for path in files)


def test_a_redirect_that_is_not_published_has_no_page_and_no_map_line(tmp_path: Path) -> None:
    storykit.write_story(tmp_path, folder=NEW)
    (tmp_path / "redirects.yml").write_text(
        f"redirect_maps:\n  {OLD}: 2021-03-12-nowhere\n", encoding="utf-8"
    )
    files = files_of(storykit.catalog(tmp_path))
    assert f"stories/{OLD}/index.html" not in files
    assert OLD not in files[urls.REDIRECTS_MAP]
